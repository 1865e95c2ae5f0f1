"""omakase_core: workflow rules of Japanese B2B service portals as a typed library.

The public surface is re-exported here; the modules behind it are private unless a
domain package (``omakase_core.calendar``, …) says otherwise.
"""

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


def __getattr__(name: str) -> str:
    """Return ``__version__`` from the package metadata, read on first use (it costs ~40 ms)."""
    if name == "__version__":
        from importlib.metadata import version  # noqa: PLC0415  # deferred: see above

        return version("omakase-core")
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


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
