"""Valid calls of the contract domain's public callables: the baselines of SEC-2.

One :class:`~tests.bad_input.spec.Case` per public callable of ``omakase_core.contract``
(model values and events, the chart, the rules, the aggregate's commands, the service's
commands and look-ups) and of its in-memory adapters (``InMemoryContractRepository``,
``InMemoryUserDirectory``). Every service case runs on fresh in-memory ports with a
principal that may act (SEC-1), so a refusal is the bad value's doing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from omakase_core import Actor, Principal
from omakase_core.calendar import JST
from omakase_core.contract import (
    AdminAccount,
    CompletedChange,
    Contract,
    ContractChart,
    ContractEvent,
    Contractor,
    ContractorChange,
    ContractorChangeCancelled,
    ContractorChangeCompleted,
    ContractorChangeRequested,
    ContractReinstated,
    ContractService,
    ContractStatus,
    DirectoryRole,
    DueTransition,
    RegistrationErased,
    RegistrationPurged,
    ServiceEnded,
    SweepReport,
    TerminationCycle,
    TerminationRequested,
    TerminationTimeline,
    admin_account_for,
    due_transitions,
    erase_personal_data,
    termination_timeline,
)
from omakase_core.lifecycle import Transition
from omakase_core.testing import (
    FixedClock,
    InMemoryContractRepository,
    InMemoryOutbox,
    InMemoryUserDirectory,
)
from tests.bad_input import values as v
from tests.bad_input.spec import ID_TEXT, Case, Lazy, Param, refuse
from tests.bad_input.values import REFUSE, bad

if TYPE_CHECKING:
    from collections.abc import Callable

T0 = datetime(2026, 11, 1, 10, 0, tzinfo=JST)
LATER = T0 + timedelta(hours=1)
SWEPT = T0 + timedelta(days=50)
OWNER = Contractor(name="山田 太郎", email="taro@example.co.jp")
HEIR = Contractor(name="佐藤 花子", email="hanako@example.co.jp")
CONTRACTOR = Principal.contractor("c-1")
STAFF = Principal.operator("staff-1")
SYSTEM = Principal.system()
TIMELINE = termination_timeline(T0)


# -- fresh contracts and ports, one per call ------------------------------------------------


def _opened() -> Contract:
    return Contract.open(id="c-1", contractor=OWNER, opened_at=T0)


def _terminated() -> Contract:
    return _opened().request_termination(actor=Actor.CONTRACTOR, at=T0).saved()


def _changing() -> Contract:
    return _opened().request_contractor_change(actor=Actor.CONTRACTOR, new=HEIR, at=T0).saved()


def _completed() -> Contract:
    return (
        _changing()
        .complete_contractor_change(
            actor=Actor.CONTRACTOR,
            login_email=HEIR.email,
            at=T0,
            admin_account=AdminAccount.ISSUED,
        )
        .saved()
    )


def _service(prepare: Callable[[ContractService], object] | None = None) -> ContractService:
    """Return a service over fresh ports holding contract c-1, ``prepare``d."""
    outbox = InMemoryOutbox()
    directory = InMemoryUserDirectory()
    directory.add_account("c-1", HEIR.email, name=HEIR.name, role=DirectoryRole.USER)
    service = ContractService(
        contracts=InMemoryContractRepository(outbox), clock=FixedClock(T0), directory=directory
    )
    service.open_contract("c-1", contractor=OWNER, by=STAFF)
    if prepare is not None:
        prepare(service)
    return service


def _terminated_service() -> ContractService:
    return _service(lambda s: s.request_termination("c-1", by=CONTRACTOR))


def _changing_service() -> ContractService:
    return _service(
        lambda s: s.request_contractor_change(
            "c-1", by=CONTRACTOR, name=HEIR.name, email=HEIR.email
        )
    )


def _completed_service() -> ContractService:
    service = _changing_service()
    service.record_first_login("c-1", by=CONTRACTOR, login_email=HEIR.email)
    return service


def _repository() -> InMemoryContractRepository:
    repository = InMemoryContractRepository(InMemoryOutbox())
    repository.add(_terminated())
    return repository


def _directory() -> InMemoryUserDirectory:
    directory = InMemoryUserDirectory()
    directory.add_account("c-1", HEIR.email, name=HEIR.name, role=DirectoryRole.USER)
    return directory


# -- families of this domain's special parameters ---------------------------------------------

ID = refuse(*ID_TEXT)
"""A contract's id (SEC-1): printable, not blank, at most 200 characters."""

VERSION = refuse("negative", "-huge")
"""A version: never negative (0 is a contract just opened)."""

EXPECTED = refuse("negative", "-huge")
"""SEC-3: the version the screen showed; ``None`` (its default) skips the check."""

EVENT_VERSION = refuse("negative", "zero", "-huge")
"""An event's version: the first event of an aggregate is version 1 (PORT-3)."""

TEXT_REQUIRED = refuse("empty", "blank", "ideographic space", "control characters", "1 MB")
"""A contractor's name (CON-7): full-width digits and other scripts are names all the same."""

EMAIL = refuse(
    "empty",
    "blank",
    "ideographic space",
    "control characters",
    "line break",
    "1 MB",
    "full-width digits",
    "Arabic-Indic digits",
    "lone surrogate",
    "unknown word",
    "emoji",
)
"""An e-mail address (CON-7): only a plausible ASCII address."""

LOGIN = refuse("empty", "blank", "ideographic space", "control characters", "line break", "1 MB")
"""The address a first login gives (CON-7): any other address is refused, not a crash."""

BY = Param(
    family=(
        *v.instance_of(Principal),
        v.NONE,
        *v.WRONG_OBJECT,
        bad("the contract's id", "c-1", REFUSE),
        bad("an Actor for a principal", Actor.CONTRACTOR, REFUSE),
    )
)
"""SEC-1: who acts is a :class:`Principal`, never a string or an ``Actor``."""

ACTOR = Param(family=(*v.enum_member(Actor), v.NONE, *v.WRONG_OBJECT))
"""SEC-2: an aggregate's ``actor`` is an ``Actor`` member, nothing that equals one."""

CONTRACTOR_VALUE = Param(
    extra=(
        bad("a dict of a contractor", {"name": "x", "email": "x@example.jp"}, REFUSE),
        bad("an e-mail for a contractor", OWNER.email, REFUSE),
    )
)

TRANSITION_VALUE = Param(
    extra=(
        bad(
            "a transition of another lifecycle",
            Transition(
                source=ContractStatus.ACTIVE,
                target=ContractStatus.TERMINATED,
                event="request_termination",
                actor=Actor.CONTRACTOR,
            ),
            REFUSE,
        ),
    )
)
"""A due transition is one of CON-5's time-driven ones, by the system."""


def _event_args(**fields: object) -> dict[str, object]:
    return {"aggregate_id": "c-1", "version": 1, "occurred_at": T0, "contractor": OWNER, **fields}


EVENT_PARAMS = {"aggregate_id": ID, "version": EVENT_VERSION, "contractor": CONTRACTOR_VALUE}

EVENT_CASES: list[Case] = [
    Case(ContractEvent, _event_args(), EVENT_PARAMS),
    Case(TerminationRequested, _event_args(timeline=TIMELINE), EVENT_PARAMS),
    Case(ContractReinstated, _event_args(cancelled=TIMELINE), EVENT_PARAMS),
    Case(ServiceEnded, _event_args(), EVENT_PARAMS),
    Case(RegistrationPurged, _event_args(), EVENT_PARAMS),
    Case(RegistrationErased, _event_args(), EVENT_PARAMS),
    Case(
        ContractorChangeRequested,
        _event_args(new=HEIR),
        {**EVENT_PARAMS, "new": CONTRACTOR_VALUE},
    ),
    Case(
        ContractorChangeCancelled,
        _event_args(new=HEIR),
        {**EVENT_PARAMS, "new": CONTRACTOR_VALUE},
    ),
    Case(
        ContractorChangeCompleted,
        _event_args(contractor=HEIR, previous=OWNER, admin_account=AdminAccount.RAISED),
        {**EVENT_PARAMS, "previous": CONTRACTOR_VALUE},
    ),
]
"""The contract's events (PORT-3): each field is checked when the event is built."""


MODEL_CASES: list[Case] = [
    Case(ContractStatus, {"value": "active"}),
    Case(DirectoryRole, {"value": "user"}),
    Case(AdminAccount, {"value": "raised"}),
    Case(
        Contractor,
        {"name": OWNER.name, "email": OWNER.email},
        {"name": TEXT_REQUIRED, "email": EMAIL},
    ),
    Case(
        (Contractor, "same_address"),
        {"other": HEIR},
        {"other": CONTRACTOR_VALUE},
        instance=lambda: OWNER,
    ),
    Case(
        TerminationTimeline,
        {
            "requested_at": TIMELINE.requested_at,
            "reinstatable_until": TIMELINE.reinstatable_until,
            "service_ends_at": TIMELINE.service_ends_at,
            "purge_at": TIMELINE.purge_at,
        },
    ),
    Case(TerminationCycle, {"timeline": TIMELINE, "reinstated_at": LATER}),
    Case(ContractorChange, {"new": HEIR, "requested_at": T0}, {"new": CONTRACTOR_VALUE}),
    Case(
        CompletedChange,
        {"version": 2, "admin_account": AdminAccount.KEPT},
        {"version": EVENT_VERSION},
    ),
    *EVENT_CASES,
]


class _Model:
    """A plain object the chart keeps its state on."""


CHART_CASES: list[Case] = [
    Case(
        ContractChart,
        {"model": Lazy(_Model), "state_field": "state", "start_value": ContractStatus.ACTIVE},
        {
            "model": Param(
                family=(
                    *v.WRONG_OBJECT,
                    bad("int for a model", 1, REFUSE),
                    bad("text for a model", "model", REFUSE),
                    bad("a frozen value for a model", OWNER, REFUSE),
                )
            ),
            "state_field": refuse(*ID_TEXT, "full-width digits", "Arabic-Indic digits"),
            # A listener is any object whose methods become callbacks: a bare object() is a
            # valid listener with none, so a list holding one may be accepted.
            "listeners": Param(may=frozenset({"a list holding an object()"})),
        },
    ),
]


RULE_CASES: list[Case] = [
    Case(termination_timeline, {"requested_at": T0}),
    Case(
        DueTransition,
        {
            "transition": due_transitions(_terminated(), SWEPT)[0].transition,
            "due_at": TIMELINE.service_ends_at,
        },
        {"transition": TRANSITION_VALUE},
    ),
    Case(
        due_transitions,
        {"contract": Lazy(_terminated), "now": SWEPT},
        {"contract": Param(extra=(bad("a contract's id", "c-1", REFUSE),))},
    ),
    Case(admin_account_for, {"role": DirectoryRole.USER}),
    Case(
        erase_personal_data,
        {
            "event": ContractorChangeRequested(
                aggregate_id="c-1", version=1, occurred_at=T0, contractor=OWNER, new=HEIR
            )
        },
        {
            "event": Param(
                extra=(
                    bad("a contractor for an event", OWNER, REFUSE),
                    bad("a contract for an event", _opened(), REFUSE),
                )
            )
        },
    ),
]


AGGREGATE_CASES: list[Case] = [
    Case(
        Contract,
        {"id": "c-1", "contractor": OWNER, "updated_at": T0, "version": 0},
        {"id": ID, "version": VERSION, "contractor": CONTRACTOR_VALUE},
    ),
    Case(
        (Contract, "open"),
        {"id": "c-1", "contractor": OWNER, "opened_at": T0},
        {"id": ID, "contractor": CONTRACTOR_VALUE},
    ),
    Case(
        (Contract, "request_termination"),
        {"actor": Actor.CONTRACTOR, "at": LATER},
        {"actor": ACTOR},
        instance=_opened,
    ),
    Case(
        (Contract, "reinstate"),
        {"actor": Actor.CONTRACTOR, "at": LATER},
        {"actor": ACTOR},
        instance=_terminated,
    ),
    Case((Contract, "apply_due"), {"now": SWEPT}, instance=_terminated),
    Case(
        (Contract, "request_contractor_change"),
        {"actor": Actor.CONTRACTOR, "new": HEIR, "at": LATER},
        {"actor": ACTOR, "new": CONTRACTOR_VALUE},
        instance=_opened,
    ),
    Case(
        (Contract, "cancel_contractor_change"),
        {"actor": Actor.CONTRACTOR, "at": LATER},
        {"actor": ACTOR},
        instance=_changing,
    ),
    Case(
        (Contract, "check_first_login"),
        {"actor": Actor.CONTRACTOR, "login_email": HEIR.email, "at": LATER},
        {"actor": ACTOR, "login_email": LOGIN},
        instance=_changing,
    ),
    Case(
        (Contract, "complete_contractor_change"),
        {
            "actor": Actor.CONTRACTOR,
            "login_email": HEIR.email,
            "at": LATER,
            "admin_account": AdminAccount.RAISED,
        },
        {"actor": ACTOR, "login_email": LOGIN},
        instance=_changing,
    ),
    Case(
        (Contract, "repeated_first_login"),
        {"actor": Actor.CONTRACTOR, "login_email": HEIR.email},
        {"actor": ACTOR, "login_email": LOGIN},
        instance=_completed,
    ),
]


class _Unredacting:
    """A contract repository of the port before CON-10: no ``redact_events``."""

    def get(self, aggregate_id: str) -> Contract:
        """Return nothing stored."""
        raise NotImplementedError

    def add(self, aggregate: Contract) -> None:
        """Store nothing."""

    def save(self, aggregate: Contract, *, expected_version: int) -> None:
        """Store nothing."""

    def due(self, now: datetime) -> list[Contract]:
        """Return nothing due."""
        return []


class _Unremoving:
    """A user directory of the port before CON-10: no ``remove_accounts``."""

    def role_of(self, contract_id: str, email: str) -> DirectoryRole | None:
        """Hold no account."""
        return None

    def raise_to_administrator(self, contract_id: str, email: str) -> None:
        """Change nothing."""

    def issue_administrator(self, contract_id: str, contractor: Contractor) -> None:
        """Issue nothing."""


SERVICE_CASES: list[Case] = [
    Case(
        ContractService,
        {
            "contracts": Lazy(lambda: InMemoryContractRepository(InMemoryOutbox())),
            "clock": Lazy(lambda: FixedClock(T0)),
            "directory": Lazy(InMemoryUserDirectory),
        },
        {
            "contracts": Param(
                extra=(bad("a repository that cannot redact (CON-10)", _Unredacting(), REFUSE),)
            ),
            "directory": Param(
                extra=(bad("a directory that cannot remove (CON-10)", _Unremoving(), REFUSE),)
            ),
        },
    ),
    Case(
        (ContractService, "open_contract"),
        {"contract_id": "c-2", "contractor": HEIR, "by": STAFF},
        {"contract_id": ID, "contractor": CONTRACTOR_VALUE, "by": BY},
        instance=_service,
    ),
    Case(
        (ContractService, "get"),
        {"contract_id": "c-1", "by": CONTRACTOR},
        {"contract_id": ID, "by": BY},
        instance=_service,
    ),
    Case(
        (ContractService, "request_termination"),
        {"contract_id": "c-1", "by": CONTRACTOR, "expected_version": 0},
        {"contract_id": ID, "by": BY, "expected_version": EXPECTED},
        instance=_service,
    ),
    Case(
        (ContractService, "reinstate"),
        {"contract_id": "c-1", "by": CONTRACTOR, "expected_version": 1},
        {"contract_id": ID, "by": BY, "expected_version": EXPECTED},
        instance=_terminated_service,
    ),
    Case(
        (ContractService, "request_contractor_change"),
        {
            "contract_id": "c-1",
            "by": CONTRACTOR,
            "name": HEIR.name,
            "email": HEIR.email,
            "expected_version": 0,
        },
        {
            "contract_id": ID,
            "by": BY,
            "name": TEXT_REQUIRED,
            "email": EMAIL,
            "expected_version": EXPECTED,
        },
        instance=_service,
    ),
    Case(
        (ContractService, "cancel_contractor_change"),
        {"contract_id": "c-1", "by": CONTRACTOR, "expected_version": 1},
        {"contract_id": ID, "by": BY, "expected_version": EXPECTED},
        instance=_changing_service,
    ),
    Case(
        (ContractService, "record_first_login"),
        {"contract_id": "c-1", "by": CONTRACTOR, "login_email": HEIR.email, "expected_version": 1},
        {"contract_id": ID, "by": BY, "login_email": LOGIN, "expected_version": EXPECTED},
        instance=_changing_service,
    ),
    Case(
        (ContractService, "finish_contractor_change"),
        {"contract_id": "c-1", "by": SYSTEM, "expected_version": 2},
        {"contract_id": ID, "by": BY, "expected_version": EXPECTED},
        instance=_completed_service,
    ),
    Case(
        (ContractService, "apply_due"),
        {"now": SWEPT, "by": SYSTEM},
        {"by": BY},
        instance=_terminated_service,
    ),
    Case(
        SweepReport,
        {"changed": ("c-1",), "events": 2, "conflicts": ()},
        {"events": refuse("negative", "-huge")},
    ),
]


ADAPTER_CASES: list[Case] = [
    Case(InMemoryContractRepository, {"outbox": Lazy(InMemoryOutbox)}),
    Case((InMemoryContractRepository, "due"), {"now": SWEPT}, instance=_repository),
    Case(
        (InMemoryUserDirectory, "add_account"),
        {
            "contract_id": "c-1",
            "email": OWNER.email,
            "name": OWNER.name,
            "role": DirectoryRole.USER,
        },
        {"contract_id": ID, "email": EMAIL, "name": TEXT_REQUIRED},
        instance=_directory,
    ),
    Case(
        (InMemoryUserDirectory, "role_of"),
        {"contract_id": "c-1", "email": HEIR.email},
        {"contract_id": ID, "email": LOGIN},
        instance=_directory,
    ),
    Case(
        (InMemoryUserDirectory, "raise_to_administrator"),
        {"contract_id": "c-1", "email": HEIR.email},
        {"contract_id": ID, "email": LOGIN},
        instance=_directory,
    ),
    Case(
        (InMemoryUserDirectory, "issue_administrator"),
        {"contract_id": "c-1", "contractor": OWNER},
        {"contract_id": ID, "contractor": CONTRACTOR_VALUE},
        instance=_directory,
    ),
    Case(
        (InMemoryUserDirectory, "accounts"),
        {"contract_id": "c-1"},
        {"contract_id": ID},
        instance=_directory,
    ),
    Case(
        (InMemoryUserDirectory, "remove_accounts"),
        {"contract_id": "c-1"},
        {"contract_id": ID},
        instance=_directory,
    ),
]
"""The in-memory adapters of the contract's ports (PORT-4): they refuse what a real one would."""


CASES: list[Case] = [
    *MODEL_CASES,
    *CHART_CASES,
    *RULE_CASES,
    *AGGREGATE_CASES,
    *SERVICE_CASES,
    *ADAPTER_CASES,
]
