"""Pure rules of the contract: the timeline, what time has made due, CON-8's table.

CON-3: a termination requested at instant t ends the service at the end of the 14-day
period from t and purges the registration at the end of the 45-day period from t, both
counted under CAL-4 (初日不算入) and returned as exclusive JST instants.

CON-5: 利用終了 and 登録抹消 happen because time passed. :func:`due_transitions` tells, for a
given "now", which of them are due; applying them is the aggregate's job.

CON-10: :func:`erase_personal_data` is the redaction of one stored event at 登録抹消: every
contractor it names (the addressee, a new or a previous contractor) becomes the marker
:meth:`~omakase_core.contract.model.Contractor.erased`; its type, key and instants stay.

CON-8: :func:`admin_account_for` maps the new contractor's directory role to what happens
to their administrator account.

SEC-2: the checks of enum arguments (:func:`check_actor`, :func:`check_admin_account`)
refuse plain strings, labels, ``None`` and members of other enums, even where the enum is a
``StrEnum`` that would compare equal to its value; nothing answers "allowed" for a value it
does not know.
"""

from __future__ import annotations

import enum
import typing
from datetime import datetime
from typing import Final, Protocol, TypeVar

import attrs

from omakase_core._values import replace
from omakase_core.calendar import period_end, to_jst
from omakase_core.contract.machine import CONTRACT_LIFECYCLE
from omakase_core.contract.model import (
    AdminAccount,
    ContractEvent,
    Contractor,
    ContractStatus,
    DirectoryRole,
    TerminationTimeline,
)
from omakase_core.errors import ValidationError
from omakase_core.events import Event
from omakase_core.lifecycle import Actor, Transition

__all__ = [
    "PURGE_DAYS",
    "REINSTATEMENT_DAYS",
    "DueTransition",
    "Terminable",
    "admin_account_for",
    "due_transitions",
    "erase_personal_data",
    "termination_timeline",
]

E = TypeVar("E", bound=enum.Enum)
EV = TypeVar("EV", bound=Event)

REINSTATEMENT_DAYS: Final = 14
"""CON-3/CON-4: days after the request during which reinstatement is possible."""

PURGE_DAYS: Final = 45
"""CON-3: days after the request after which the registration data is purged."""


_CONTRACTOR_FIELDS: dict[type[Event], tuple[str, ...]] = {}
"""The names of the fields holding a contractor, by contract event type (CON-10)."""


def erase_personal_data(event: EV) -> EV:
    """Return ``event`` with every contractor it names replaced by the erased marker (CON-10).

    A contract event keeps its type, aggregate id, version and instants (so its key); any
    other event is returned as it is, so a repository may pass it every record of an id.
    Idempotent. Anything but an :class:`~omakase_core.events.Event` is refused (SEC-2).

    >>> from omakase_core.calendar import JST
    >>> from omakase_core.contract.model import ContractorChangeRequested
    >>> event = ContractorChangeRequested(
    ...     aggregate_id="c-1", version=1, occurred_at=datetime(2026, 11, 1, tzinfo=JST),
    ...     contractor=Contractor(name="山田 太郎", email="taro@example.co.jp"),
    ...     new=Contractor(name="佐藤 花子", email="hanako@example.co.jp"))
    >>> erased = erase_personal_data(event)
    >>> erased.contractor.is_erased, erased.new.is_erased, erased.idempotency_key
    (True, True, 'contract:c-1:1')
    """
    given: object = event  # callers are not always type-checked
    if not isinstance(given, Event):
        msg = f"event must be an Event, not {type(given).__name__}"
        raise ValidationError(msg, field="event", rule="CON-10")
    if not isinstance(event, ContractEvent):
        return event
    erased = Contractor.erased()
    names = _CONTRACTOR_FIELDS.get(type(event))
    if names is None:  # every field declared to hold a Contractor, once per event type
        hints = typing.get_type_hints(type(event))
        names = tuple(
            field.name
            for field in attrs.fields(type(event))
            if Contractor in (hints[field.name], *typing.get_args(hints[field.name]))
        )
        _CONTRACTOR_FIELDS[type(event)] = names
    changes: dict[str, object] = {
        name: erased
        for name in names
        if getattr(event, name) is not None and getattr(event, name) != erased
    }
    return replace(event, **changes) if changes else event


def termination_timeline(requested_at: datetime) -> TerminationTimeline:
    """Return the instants of a termination requested at ``requested_at`` (CON-3).

    >>> from omakase_core.calendar import JST
    >>> timeline = termination_timeline(datetime(2026, 11, 1, 10, 0, tzinfo=JST))
    >>> timeline.reinstatable_until.isoformat(), timeline.purge_at.isoformat()
    ('2026-11-16T00:00:00+09:00', '2026-12-17T00:00:00+09:00')
    """
    at = to_jst(requested_at, field="requested_at")
    service_ends_at = period_end(at, days=REINSTATEMENT_DAYS)
    return TerminationTimeline(
        requested_at=at,
        reinstatable_until=service_ends_at,
        service_ends_at=service_ends_at,
        purge_at=period_end(at, days=PURGE_DAYS),
    )


def _due_transition(
    _: object, attribute: attrs.Attribute[Transition[ContractStatus]], value: object
) -> None:
    """Refuse anything but one of CON-5's two time-driven transitions of the contract."""
    if value not in _TIMED_ROWS:  # identity first: the rows due_transitions builds
        msg = (
            "transition must be the contract's end_service or purge transition (CON-5), "
            f"not {type(value).__name__}"
        )
        raise ValidationError(msg, field=attribute.name, rule="CON-5")


def _due_at(_: object, attribute: attrs.Attribute[datetime], value: datetime) -> None:
    to_jst(value, field=attribute.name)


@attrs.frozen(kw_only=True)
class DueTransition:
    """A time-driven transition (CON-5) and the instant it became due."""

    transition: Transition[ContractStatus] = attrs.field(validator=_due_transition)
    due_at: datetime = attrs.field(validator=_due_at)


def _transition(source: ContractStatus, event: str) -> Transition[ContractStatus]:
    target = CONTRACT_LIFECYCLE.fire(source, event, actor=Actor.SYSTEM)
    return Transition(source=source, target=target, event=event, actor=Actor.SYSTEM)


_END_SERVICE: Final = _transition(ContractStatus.TERMINATED, "end_service")
_PURGE: Final = _transition(ContractStatus.SERVICE_ENDED, "purge")
_TIMED_ROWS: Final = (_END_SERVICE, _PURGE)


class Terminable(Protocol):
    """What :func:`due_transitions` reads of a contract: its status and current termination."""

    @property
    def status(self) -> ContractStatus:
        """The contract's status (CON-1)."""
        ...

    @property
    def termination(self) -> TerminationTimeline | None:
        """The current termination's timeline, ``None`` while 契約中 (CON-3)."""
        ...


def due_transitions(contract: Terminable, now: datetime) -> tuple[DueTransition, ...]:
    """Return the time-driven transitions due for ``contract`` at ``now``, in order (CON-5).

    ``contract`` is a :class:`~omakase_core.contract.Contract` (or anything with its
    ``status`` and ``termination``). A contract terminated long ago and never swept gets
    both: 利用終了 then 登録抹消. A contract with nothing due gets an empty tuple, so applying
    twice does nothing.
    """
    status, timeline = _terminable(contract)
    instant = to_jst(now, field="now")
    if timeline is None:
        return ()
    due: list[DueTransition] = []
    if status is ContractStatus.TERMINATED and instant >= timeline.service_ends_at:
        due.append(DueTransition(transition=_END_SERVICE, due_at=timeline.service_ends_at))
        status = ContractStatus.SERVICE_ENDED
    if status is ContractStatus.SERVICE_ENDED and instant >= timeline.purge_at:
        due.append(DueTransition(transition=_PURGE, due_at=timeline.purge_at))
    return tuple(due)


def _terminable(contract: object) -> tuple[ContractStatus, TerminationTimeline | None]:
    """Return ``contract``'s status and termination; refuse what is not a contract (SEC-2)."""
    status = getattr(contract, "status", None)
    timeline = getattr(contract, "termination", None)
    if isinstance(status, ContractStatus) and (
        timeline is None or isinstance(timeline, TerminationTimeline)
    ):
        return status, timeline
    msg = f"contract must be a Contract, not {type(contract).__name__}"
    raise ValidationError(msg, field="contract", rule="SEC-2")


def _member(value: object, expected: type[E], *, field: str, what: str) -> E:
    """Return ``value`` if it is a member of ``expected``; refuse anything else (SEC-2)."""
    if type(value) is not expected:
        shown = f"{value[:20]!r}" if isinstance(value, str) else type(value).__name__
        msg = f"{field} must be {what}, not {shown}"
        raise ValidationError(msg, field=field, rule="SEC-2")
    return value


def check_actor(actor: object) -> Actor:
    """Return ``actor`` if it is an :class:`~omakase_core.lifecycle.Actor` member (SEC-2).

    ``"contractor"`` is refused although ``Actor.CONTRACTOR == "contractor"``: a plain string
    is never taken for the contractor (CON-2).
    """
    return _member(actor, Actor, field="actor", what="an Actor member")


def check_admin_account(admin_account: object) -> AdminAccount:
    """Return ``admin_account`` if it is an :class:`AdminAccount` member (SEC-2)."""
    return _member(admin_account, AdminAccount, field="admin_account", what="an AdminAccount")


def admin_account_for(role: DirectoryRole | None) -> AdminAccount:
    """Return what CON-8 does for a new contractor whose directory role is ``role``.

    An administrator keeps the account, a general user is raised to administrator, and
    ``None`` (no account) means a new administrator account is issued. Anything else — a
    plain string such as ``"user"``, a label, a member of another enum — is refused with a
    :class:`~omakase_core.errors.ValidationError` naming ``role`` (SEC-2): a directory
    adapter that answers in strings must not get someone a new account by accident.

    >>> admin_account_for(DirectoryRole.USER)
    <AdminAccount.RAISED: 'raised'>
    """
    if role is None:
        return AdminAccount.ISSUED
    known = _member(role, DirectoryRole, field="role", what="a DirectoryRole member or None")
    return _ADMIN_ACCOUNTS[known]


_ADMIN_ACCOUNTS: Final = {
    DirectoryRole.ADMINISTRATOR: AdminAccount.KEPT,
    DirectoryRole.USER: AdminAccount.RAISED,
}
"""CON-8 as a table: the new contractor's directory role → what happens to the account."""
