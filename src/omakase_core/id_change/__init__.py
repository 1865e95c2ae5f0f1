"""My KDDI Biz ID-count change applications (IDC-1 … IDC-10, SEC-1 … SEC-3).

The rules of each service are a :class:`ServicePolicy` value; :func:`decide` reads one and
the business calendar and says whether an application is accepted and when it applies.
:class:`IdChangeService` files and moves applications for the principal ``by`` who acts.

The package reads top-down: ``model`` (services, policies, decisions, statuses, events),
``machine`` (the chart), ``rules`` (:func:`decide`, :func:`month_windows`), ``aggregate``
(:class:`IdChangeApplication`), ``service`` (:class:`IdChangeService`), ``ports`` (its
repository) and ``notices`` (how its events become messages).
"""

from omakase_core.id_change.aggregate import IdChangeApplication
from omakase_core.id_change.machine import ID_CHANGE_LIFECYCLE, IdChangeChart
from omakase_core.id_change.model import (
    POLICIES,
    ApplicationRefused,
    CurrentTiming,
    DayWindows,
    Decision,
    IdChangeAccepted,
    IdChangeApplied,
    IdChangeCompleted,
    IdChangeEvent,
    IdChangeStatus,
    IdChangeWithdrawn,
    NextTiming,
    PlanCounts,
    Service,
    ServicePolicy,
    Target,
    Term,
    WindowSlot,
    policies_markdown,
)
from omakase_core.id_change.ports import IdChangeRepository
from omakase_core.id_change.rules import decide, month_windows
from omakase_core.id_change.service import IdChangeService

__all__ = [
    "ID_CHANGE_LIFECYCLE",
    "POLICIES",
    "ApplicationRefused",
    "CurrentTiming",
    "DayWindows",
    "Decision",
    "IdChangeAccepted",
    "IdChangeApplication",
    "IdChangeApplied",
    "IdChangeChart",
    "IdChangeCompleted",
    "IdChangeEvent",
    "IdChangeRepository",
    "IdChangeService",
    "IdChangeStatus",
    "IdChangeWithdrawn",
    "NextTiming",
    "PlanCounts",
    "Service",
    "ServicePolicy",
    "Target",
    "Term",
    "WindowSlot",
    "decide",
    "month_windows",
    "notices",
    "policies_markdown",
]

from omakase_core.id_change import notices  # importing it registers how the events read as messages
