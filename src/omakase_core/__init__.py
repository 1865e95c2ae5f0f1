"""omakase_core: workflow rules of Japanese B2B service portals as a typed library.

The public surface is re-exported here; the modules behind it are private unless a
domain package (``omakase_core.calendar``, ``omakase_core.contract``, …) says otherwise.
Importing the package registers every lifecycle in :data:`LIFECYCLES`.
"""

from omakase_core import accounts, contract, id_change, inquiry, notifications, ocn, submission
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
    ConcurrencyConflict,
    DeadlinePassed,
    DefinitionError,
    InvalidTransition,
    NaiveDatetimeError,
    NotFound,
    OmakaseError,
    PermissionDenied,
    ValidationError,
)
from omakase_core.lifecycle import LIFECYCLES, Actor, Lifecycle, Status, Transition

__all__ = [
    "JST",
    "LIFECYCLES",
    "Actor",
    "BusinessCalendar",
    "CalendarRangeError",
    "ConcurrencyConflict",
    "Deadline",
    "DeadlinePassed",
    "DefinitionError",
    "InvalidTransition",
    "Lifecycle",
    "NaiveDatetimeError",
    "NotFound",
    "OmakaseError",
    "PermissionDenied",
    "Status",
    "Transition",
    "ValidationError",
    "__version__",
    "accounts",
    "contract",
    "explain_period_end",
    "id_change",
    "inquiry",
    "notifications",
    "ocn",
    "period_end",
    "submission",
    "to_jst",
]


def __getattr__(name: str) -> str:
    """Return ``__version__`` from the package metadata, read on first use (it costs ~40 ms)."""
    if name == "__version__":
        from importlib.metadata import version  # noqa: PLC0415  # deferred: see above

        return version("omakase-core")
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
