"""omakase_core: workflow rules of Japanese B2B service portals as a typed library.

The public surface is re-exported here; the modules behind it are private unless a
domain package (``omakase_core.calendar``, …) says otherwise.
"""

from importlib.metadata import version as _version

from omakase_core.calendar import (
    JST,
    BusinessCalendar,
    Deadline,
    explain_period_end,
    period_end,
    to_jst,
)
from omakase_core.errors import (
    CalendarRangeError,
    NaiveDatetimeError,
    OmakaseError,
    ValidationError,
)

__version__: str = _version("omakase-core")

__all__ = [
    "JST",
    "BusinessCalendar",
    "CalendarRangeError",
    "Deadline",
    "NaiveDatetimeError",
    "OmakaseError",
    "ValidationError",
    "__version__",
    "explain_period_end",
    "period_end",
    "to_jst",
]
