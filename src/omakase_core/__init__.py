"""omakase_core: workflow rules of Japanese B2B service portals as a typed library.

The names most services need are re-exported here. The public modules are those of the
API reference: the domain packages (``omakase_core.contract``, …), ``calendar``,
``errors``, ``lifecycle``, ``principal``, ``ports``, ``events``, ``messages``,
``delivery``, ``codec``, ``clock``, ``testing`` and ``adapters.*``, each with its
``__all__``; a name or module starting with an underscore is private (see the
compatibility policy). The domain packages load on first use (``omakase_core.contract`` or
``from omakase_core import contract``), and :data:`LIFECYCLES` loads them all on its first
look-up, so importing the package itself stays quick.
"""

import importlib
from typing import TYPE_CHECKING

from omakase_core.calendar import (
    JST,
    BusinessCalendar,
    Deadline,
    explain_period_end,
    period_end,
    to_jst,
)
from omakase_core.clock import SystemClock
from omakase_core.errors import (
    CalendarRangeError,
    ConcurrencyConflict,
    DeadlinePassed,
    DecodeError,
    DefinitionError,
    InvalidTransition,
    NaiveDatetimeError,
    NotFound,
    OmakaseError,
    PermissionDenied,
    StoreUnavailable,
    ValidationError,
)
from omakase_core.lifecycle import (
    LIFECYCLES,
    Actor,
    Lifecycle,
    Status,
    Transition,
    load_charts_with,
)

__all__ = [
    "JST",
    "LIFECYCLES",
    "Actor",
    "BusinessCalendar",
    "CalendarRangeError",
    "ConcurrencyConflict",
    "Deadline",
    "DeadlinePassed",
    "DecodeError",
    "DefinitionError",
    "DeliveryReport",
    "InvalidTransition",
    "Lifecycle",
    "Message",
    "NaiveDatetimeError",
    "NotFound",
    "NotificationSettings",
    "OmakaseError",
    "PermissionDenied",
    "Principal",
    "RetryPolicy",
    "Status",
    "StoreUnavailable",
    "SystemClock",
    "Transition",
    "ValidationError",
    "__version__",
    "accounts",
    "contract",
    "deliver_pending",
    "explain_period_end",
    "id_change",
    "inquiry",
    "ocn",
    "period_end",
    "submission",
    "to_jst",
]


if TYPE_CHECKING:  # type checkers see the lazy names as the attributes they become
    from omakase_core import (
        accounts,
        contract,
        id_change,
        inquiry,
        ocn,
        submission,
    )
    from omakase_core.delivery import DeliveryReport, RetryPolicy, deliver_pending
    from omakase_core.messages import Message, NotificationSettings
    from omakase_core.principal import Principal

_DOMAINS = frozenset({"accounts", "contract", "id_change", "inquiry", "ocn", "submission"})
_LAZY = {
    "DeliveryReport": "delivery",
    "RetryPolicy": "delivery",
    "deliver_pending": "delivery",
    "Message": "messages",
    "NotificationSettings": "messages",
    "Principal": "principal",
}
"""Names loaded with their module on first use: the delivery side (events, the codec and
cattrs) is not needed to compute a deadline, and a fresh process answers its first one
sooner without it."""

# The core knows no domain: the package, which sits above both, tells the lifecycle registry
# which modules declare the charts, so that LIFECYCLES is complete on its first look-up.
load_charts_with(
    lambda: [importlib.import_module(f"{__name__}.{name}") for name in sorted(_DOMAINS)]
)


def __getattr__(name: str) -> object:
    """Return ``__version__``, a domain package or a lazy name (``_LAZY``), on first use."""
    if name == "__version__":
        from importlib.metadata import version  # noqa: PLC0415  # deferred: it costs ~40 ms

        return version("omakase-core")
    if name in _DOMAINS:
        return importlib.import_module(f"{__name__}.{name}")
    if name in _LAZY:
        value: object = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
        globals()[name] = value  # later look-ups find it directly
        return value
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
