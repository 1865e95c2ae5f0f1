"""My KDDI Biz ID-count change applications (IDC-1 … IDC-10).

The rules of each service are a :class:`ServicePolicy` value; :func:`decide` reads one and
the business calendar and says whether an application is accepted and when it applies.
"""

from omakase_core.id_change.application import (
    ApplicationRefused,
    IdChangeAccepted,
    IdChangeApplication,
    IdChangeApplied,
    IdChangeCompleted,
    IdChangeEvent,
    IdChangeService,
    IdChangeWithdrawn,
)
from omakase_core.id_change.decide import (
    DayWindows,
    Decision,
    WindowSlot,
    decide,
    month_windows,
)
from omakase_core.id_change.machine import ID_CHANGE_LIFECYCLE, IdChangeChart, IdChangeStatus
from omakase_core.id_change.policy import (
    POLICIES,
    CurrentTiming,
    NextTiming,
    Service,
    ServicePolicy,
    Target,
    Term,
    policies_markdown,
)

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
    "IdChangeService",
    "IdChangeStatus",
    "IdChangeWithdrawn",
    "NextTiming",
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
