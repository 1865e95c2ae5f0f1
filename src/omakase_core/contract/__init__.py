"""The おまかせログイン contract: termination, reinstatement, sweep and contractor change.

CON-1 … CON-9. The chart is :class:`ContractChart` (``LIFECYCLES["contract"]``); the
aggregate :class:`Contract` is an immutable value whose commands record events; the
:class:`ContractService` runs them over the ports.
"""

from omakase_core.contract.aggregate import Contract
from omakase_core.contract.machine import CONTRACT_LIFECYCLE, ContractChart
from omakase_core.contract.model import (
    AdminAccount,
    ContractEvent,
    Contractor,
    ContractorChange,
    ContractorChangeCancelled,
    ContractorChangeCompleted,
    ContractorChangeRequested,
    ContractReinstated,
    ContractStatus,
    DirectoryRole,
    RegistrationPurged,
    ServiceEnded,
    TerminationCycle,
    TerminationRequested,
    TerminationTimeline,
)
from omakase_core.contract.rules import (
    PURGE_DAYS,
    REINSTATEMENT_DAYS,
    DueTransition,
    due_transitions,
    termination_timeline,
)
from omakase_core.contract.service import ContractService, SweepReport, admin_account_for

__all__ = [
    "CONTRACT_LIFECYCLE",
    "PURGE_DAYS",
    "REINSTATEMENT_DAYS",
    "AdminAccount",
    "Contract",
    "ContractChart",
    "ContractEvent",
    "ContractReinstated",
    "ContractService",
    "ContractStatus",
    "Contractor",
    "ContractorChange",
    "ContractorChangeCancelled",
    "ContractorChangeCompleted",
    "ContractorChangeRequested",
    "DirectoryRole",
    "DueTransition",
    "RegistrationPurged",
    "ServiceEnded",
    "SweepReport",
    "TerminationCycle",
    "TerminationRequested",
    "TerminationTimeline",
    "admin_account_for",
    "due_transitions",
    "notices",
    "termination_timeline",
]

from omakase_core.contract import notices  # importing it registers how the events read as messages
