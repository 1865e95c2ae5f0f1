"""The おまかせログイン contract: termination, reinstatement, sweep and contractor change.

CON-1 … CON-9. The package reads top-down: ``model`` (values, statuses, events),
``machine`` (the chart :class:`ContractChart`, ``LIFECYCLES["contract"]``), ``rules`` (pure
functions), ``aggregate`` (the immutable :class:`Contract`, whose commands record events),
``service`` (:class:`ContractService`, the use cases over the ports, taking
``by: Principal`` — SEC-1, SEC-3), ``ports`` (``ContractRepository``, ``UserDirectory``)
and ``notices`` (how the events read as messages).
"""

from omakase_core.contract.aggregate import Contract
from omakase_core.contract.machine import CONTRACT_LIFECYCLE, ContractChart
from omakase_core.contract.model import (
    AdminAccount,
    CompletedChange,
    ContractEvent,
    Contractor,
    ContractorChange,
    ContractorChangeCancelled,
    ContractorChangeCompleted,
    ContractorChangeRequested,
    ContractReinstated,
    ContractStatus,
    DirectoryRole,
    RegistrationErased,
    RegistrationPurged,
    ServiceEnded,
    TerminationCycle,
    TerminationRequested,
    TerminationTimeline,
)
from omakase_core.contract.ports import ContractRepository, UserDirectory
from omakase_core.contract.rules import (
    PURGE_DAYS,
    REINSTATEMENT_DAYS,
    DueTransition,
    admin_account_for,
    due_transitions,
    erase_personal_data,
    termination_timeline,
)
from omakase_core.contract.service import ContractService, SweepReport

__all__ = [
    "CONTRACT_LIFECYCLE",
    "PURGE_DAYS",
    "REINSTATEMENT_DAYS",
    "AdminAccount",
    "CompletedChange",
    "Contract",
    "ContractChart",
    "ContractEvent",
    "ContractReinstated",
    "ContractRepository",
    "ContractService",
    "ContractStatus",
    "Contractor",
    "ContractorChange",
    "ContractorChangeCancelled",
    "ContractorChangeCompleted",
    "ContractorChangeRequested",
    "DirectoryRole",
    "DueTransition",
    "RegistrationErased",
    "RegistrationPurged",
    "ServiceEnded",
    "SweepReport",
    "TerminationCycle",
    "TerminationRequested",
    "TerminationTimeline",
    "UserDirectory",
    "admin_account_for",
    "due_transitions",
    "erase_personal_data",
    "notices",
    "termination_timeline",
]

from omakase_core.contract import notices  # importing it registers how the events read as messages
