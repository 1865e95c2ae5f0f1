"""The contract aggregate: an immutable value whose commands return the next value.

Every command checks everything first and then returns a new :class:`Contract` with its
version raised and the event it recorded appended to ``pending_events``; a refused
command raises and, the contract being immutable, changes nothing. The aggregate never
calls a port: :mod:`omakase_core.contract.service` loads, commands and saves.

Decisions (the seeds are silent):

- CON-9: a contractor change can be requested only while 契約中, one at a time; the current
  contractor may cancel it; termination is refused while one is pending.
- Commands must come in time order: an ``at`` earlier than the contract's last change is
  refused, so that a deadline can never be dodged by a clock going backwards.
- A time-driven event (利用終了, 登録抹消) occurs at its deadline, not at the sweep that
  noticed it: its ``occurred_at`` is the deadline, whenever the sweep runs.
- CON-2, CON-7: the new contractor's first login is the contractor's move
  (``Actor.CONTRACTOR``, through the contract-management login); any other actor is refused.
- SEC-2: every ``actor`` is checked to be an :class:`~omakase_core.lifecycle.Actor` member
  before anything else (``"contractor"`` is not the contractor), and ``admin_account`` an
  :class:`AdminAccount` member.
- CON-8: the contract remembers its last completed change (:class:`CompletedChange`), so
  that the directory step of a completion cut short by a crash between the save and the
  directory write can always be finished (:attr:`Contract.finishable_change`,
  :meth:`Contract.repeated_first_login`), whatever happened to the contract since: only a
  completion changes the contractor, so the contractor is still that change's new one.
  Nothing is finished once the service has ended (利用終了 and 登録抹消: CON-10 removes the
  accounts at the purge, and no write may follow), nor for a change that a later completion
  replaced (its contractor is no longer the contractor).
- CON-10: the purge replaces the contractor by :meth:`Contractor.erased` in the contract and
  in the events it records (when the sweep comes late and records 利用終了 and 登録抹消 at
  once, both), and drops a pending change (none can be pending after a termination).
- A refused first login names neither the address it expected nor more than a short
  excerpt of the one it got.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import attrs

from omakase_core._validation import check_text
from omakase_core._values import command_instant, replace, with_event, without_events
from omakase_core.calendar import format_deadline, to_jst
from omakase_core.codec import stored
from omakase_core.contract.machine import CONTRACT_LIFECYCLE
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
    RegistrationErased,
    RegistrationPurged,
    ServiceEnded,
    TerminationCycle,
    TerminationRequested,
    TerminationTimeline,
    check_contractor,
)
from omakase_core.contract.rules import (
    check_actor,
    check_admin_account,
    due_transitions,
    erase_personal_data,
    termination_timeline,
)
from omakase_core.errors import (
    DeadlinePassed,
    InvalidTransition,
    PermissionDenied,
    ValidationError,
    excerpt,
)
from omakase_core.lifecycle import Actor
from omakase_core.principal import check_id

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = ["Contract"]

_TIMED = (ContractStatus.TERMINATED, ContractStatus.SERVICE_ENDED, ContractStatus.PURGED)
_ENDED = (ContractStatus.SERVICE_ENDED, ContractStatus.PURGED)
_TIMED_EVENTS: dict[str, type[ContractEvent]] = {
    "end_service": ServiceEnded,
    "purge": RegistrationPurged,
}
_MAX_ID = 200
_MAX_EMAIL = 254


def _login(login_email: object) -> str:
    return check_text(login_email, field="login_email", rule="CON-7", max_length=_MAX_EMAIL)


def _contractor(_: object, attribute: attrs.Attribute[Contractor], value: object) -> None:
    check_contractor(value, attribute.name)


def _id(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_id(value, field=attribute.name)


def _status(_: object, attribute: attrs.Attribute[ContractStatus], value: object) -> None:
    if type(value) is not ContractStatus:
        msg = f"status must be a ContractStatus member, not {excerpt(value)}"
        raise ValidationError(msg, field=attribute.name, rule="SEC-2")


def _version(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    if type(value) is not int or value < 0:
        shown = "a negative number" if type(value) is int else excerpt(value)
        msg = f"version must be a non-negative int, not {shown}"
        raise ValidationError(msg, field=attribute.name, rule="SEC-2")


def _updated_at(_: object, attribute: attrs.Attribute[datetime], value: datetime) -> None:
    to_jst(value, field=attribute.name)


def _items_of(
    expected: type, *, optional: bool = False
) -> Callable[[object, attrs.Attribute[Any], object], None]:
    """Return a validator of a tuple of ``expected`` (``optional``: or of one or ``None``)."""

    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if optional:
            ok = value is None or isinstance(value, expected)
            what = f"a {expected.__name__} or None"
        else:
            ok = type(value) is tuple and all(isinstance(item, expected) for item in value)
            what = f"a tuple of {expected.__name__}"
        if not ok:
            msg = f"{attribute.name} must be {what}, not {type(value).__name__}"
            raise ValidationError(msg, field=attribute.name, rule="SEC-2")

    return check


@stored("contract.Contract")
@attrs.frozen(kw_only=True)
class Contract:
    """An おまかせログイン contract (CON-1 … CON-9).

    ``history`` keeps every termination cycle in order (CON-4); the last one is the current
    termination while the contract is not 契約中. ``completed_change`` is the contractor
    change completed last (CON-8). ``pending_events`` are the events recorded since the
    contract was loaded; a repository stores them and clears them.
    """

    id: str = attrs.field(validator=_id)
    contractor: Contractor = attrs.field(validator=_contractor)
    status: ContractStatus = attrs.field(default=ContractStatus.ACTIVE, validator=_status)
    version: int = attrs.field(default=0, validator=_version)
    updated_at: datetime = attrs.field(validator=_updated_at)
    history: tuple[TerminationCycle, ...] = attrs.field(
        default=(), validator=_items_of(TerminationCycle)
    )
    pending_change: ContractorChange | None = attrs.field(
        default=None, validator=_items_of(ContractorChange, optional=True)
    )
    completed_change: CompletedChange | None = attrs.field(
        default=None, validator=_items_of(CompletedChange, optional=True)
    )
    pending_events: tuple[ContractEvent, ...] = attrs.field(
        default=(), validator=_items_of(ContractEvent)
    )

    def __attrs_post_init__(self) -> None:
        """Refuse a status its history and last change cannot explain (CON-1 … CON-5, CON-9).

        Each status holds with exactly the termination cycle it implies: 契約中 with no
        open termination (none, or the last one reinstated); 契約終了 with the last one
        open and changed before its service end; 利用終了 from the service end on, before
        the purge; 登録抹消 from the purge on. Only the last cycle may be open, and a
        contractor change is pending only while 契約中. ``attrs.evolve`` of a 契約終了
        contract to 契約中 is refused as much as the reverse.
        """
        history = self.history
        for cycle in history[:-1]:
            if cycle.reinstated_at is None:
                msg = (
                    "only the last termination in history may be open, "
                    "and an earlier one was not reinstated"
                )
                raise ValidationError(msg, field="history", rule="CON-4")
        open_cycle = bool(history) and history[-1].reinstated_at is None
        if self.status is ContractStatus.ACTIVE:
            if open_cycle:
                msg = (
                    f"a {self.status.label} contract has no open termination, but the last "
                    "termination in its history was not reinstated"
                )
                raise ValidationError(msg, field="status", rule="CON-4")
            return
        if not open_cycle:
            msg = (
                f"a {self.status.label} contract needs its termination last in history, "
                "not reinstated"
            )
            raise ValidationError(msg, field="history", rule="CON-3")
        self._check_window(history[-1].timeline)
        if self.pending_change is not None:
            active = ContractStatus.ACTIVE.label
            msg = f"a contractor change is pending only while {active}, not {self.status.label}"
            raise ValidationError(msg, field="status", rule="CON-9")

    def _check_window(self, timeline: TerminationTimeline) -> None:
        """Refuse a status whose open termination's instants say otherwise (CON-3, CON-5)."""
        status = self.status
        starts = {
            ContractStatus.TERMINATED: timeline.requested_at,
            ContractStatus.SERVICE_ENDED: timeline.service_ends_at,
            ContractStatus.PURGED: timeline.purge_at,
        }[status]
        ends = {
            ContractStatus.TERMINATED: timeline.service_ends_at,
            ContractStatus.SERVICE_ENDED: timeline.purge_at,
        }.get(status)
        if self.updated_at < starts or (ends is not None and self.updated_at >= ends):
            until = f" and before {ends.isoformat()}" if ends is not None else ""
            msg = (
                f"a {status.label} contract changed last at or after {starts.isoformat()}"
                f"{until} (its termination's instants), not at {self.updated_at.isoformat()}"
            )
            raise ValidationError(msg, field="status", rule="CON-5")

    @classmethod
    def open(cls, *, id: str, contractor: Contractor, opened_at: datetime) -> Contract:  # noqa: A002  # the aggregate's id
        """Return a new 契約中 contract at version 0, with no event recorded."""
        contract_id = check_text(id, field="id", rule=None, max_length=_MAX_ID)
        return cls(
            id=contract_id, contractor=contractor, updated_at=to_jst(opened_at, field="opened_at")
        )

    # -- derived ------------------------------------------------------------------------------

    @property
    def termination(self) -> TerminationTimeline | None:
        """Return the current termination's timeline, or ``None`` while 契約中 (CON-3)."""
        if self.status in _TIMED:
            return self.history[-1].timeline
        return None

    @property
    def next_due_at(self) -> datetime | None:
        """Return when the next time-driven transition falls due, if one can (CON-5)."""
        timeline = self.termination
        if timeline is None:
            return None
        if self.status is ContractStatus.PURGED:  # due again only if purged without erasure
            return None if self.contractor.is_erased else timeline.purge_at
        if self.status is ContractStatus.TERMINATED:
            return timeline.service_ends_at
        return timeline.purge_at

    @property
    def finishable_change(self) -> CompletedChange | None:
        """Return the completed change whose directory step may still be written (CON-8).

        It is the contract's last completed change, whatever happened to the contract since
        (a termination, a reinstatement, a new pending change): the contractor is still that
        change's new contractor, since only a completion changes it. ``None`` when no change
        was ever completed, and once the service has ended (利用終了: nobody logs in any
        more, and at 登録抹消 CON-10 removes the accounts, so nothing may write them again).
        """
        if self.status in _ENDED:
            return None
        return self.completed_change

    def saved(self) -> Contract:
        """Return the contract as stored: the same state with no pending events."""
        return without_events(self)

    # -- commands -----------------------------------------------------------------------------

    def request_termination(self, *, actor: Actor, at: datetime) -> Contract:
        """Terminate the contract (利用終了); the CON-3 timeline is fixed now (CON-1, CON-2).

        Refused while a contractor change is pending (CON-9).
        """
        checked = check_actor(actor)
        instant = self._check_time(at)
        target = CONTRACT_LIFECYCLE.fire(self.status, "request_termination", actor=checked)
        if self.pending_change is not None:
            raise InvalidTransition(
                "termination is refused while a contractor change to "
                f"{self.pending_change.new.email} is pending; cancel or complete it first",
                state=self.status.name,
                event="request_termination",
                lifecycle="contract",
                rule="CON-9",
            )
        timeline = termination_timeline(instant)
        return self._record(
            TerminationRequested,
            instant,
            {"timeline": timeline},
            status=target,
            history=(*self.history, TerminationCycle(timeline=timeline)),
        )

    def reinstate(self, *, actor: Actor, at: datetime) -> Contract:
        """Reinstate the contract (利用再開) before the 14-day period ends (CON-4).

        At or after ``reinstatable_until`` it raises :class:`DeadlinePassed` naming that
        deadline, whether or not the sweep has already ended the service.
        """
        instant = self._check_time(at)
        self._check_actor("reinstate", actor)
        timeline = self.termination
        if timeline is not None and instant >= timeline.reinstatable_until:
            raise DeadlinePassed(
                "reinstatement was possible only until "
                f"{format_deadline(timeline.reinstatable_until)} "
                f"({timeline.reinstatable_until.isoformat()}), 14 days after the termination "
                f"request of {timeline.requested_at.isoformat()}",
                deadline=timeline.reinstatable_until,
                at=instant,
                rule="CON-4",
            )
        target = CONTRACT_LIFECYCLE.fire(self.status, "reinstate", actor=actor)
        cycle = self.history[-1]  # 契約終了 always has its termination cycle last
        return self._record(
            ContractReinstated,
            instant,
            {"cancelled": cycle.timeline},
            status=target,
            history=(*self.history[:-1], attrs.evolve(cycle, reinstated_at=instant)),
        )

    def apply_due(self, now: datetime) -> Contract:
        """Apply every time-driven transition due at ``now`` (CON-5); idempotent.

        The purge (登録抹消) replaces the contractor by the erased marker (CON-10), in the
        contract and in the events it records; the service erases the earlier events and
        the directory before it saves. Returns ``self`` unchanged when nothing is due.
        """
        if self.status is ContractStatus.PURGED:
            return self._erase_late(now)
        dues = due_transitions(self, now)
        contract = self
        if any(due.transition.event == "purge" for due in dues):
            # CON-10: the purge erases the personal data, from every event it records too
            contract = replace(
                self,
                contractor=Contractor.erased(),
                pending_change=None,
                pending_events=tuple(erase_personal_data(e) for e in self.pending_events),
            )
        for due in dues:
            event = due.transition.event
            target = CONTRACT_LIFECYCLE.fire(contract.status, event, actor=Actor.SYSTEM)
            contract = contract._record(_TIMED_EVENTS[event], due.due_at, {}, status=target)
        return contract

    def _erase_late(self, now: datetime) -> Contract:
        """Erase a contract purged before CON-10 was kept, at ``now`` (CON-10); else ``self``."""
        timeline = self.termination
        instant = to_jst(now, field="now")
        if self.contractor.is_erased or timeline is None or instant < timeline.purge_at:
            return self
        erased = replace(
            self,
            contractor=Contractor.erased(),
            pending_change=None,
            pending_events=tuple(erase_personal_data(e) for e in self.pending_events),
        )
        return erased._record(RegistrationErased, max(instant, self.updated_at), {})

    def request_contractor_change(self, *, actor: Actor, new: Contractor, at: datetime) -> Contract:
        """Ask to hand the contract to ``new`` (契約者変更, CON-7, CON-9).

        Only the contractor, only while 契約中, one change at a time; the new address must
        differ from the current one.
        """
        instant = self._check_time(at)
        self._check_actor("request_contractor_change", actor)
        check_contractor(new, "new")
        self._check_changeable("request_contractor_change")
        if self.pending_change is not None:
            raise InvalidTransition(
                f"a contractor change to {self.pending_change.new.email} is already pending; "
                "only one can be pending at a time",
                state=self.status.name,
                event="request_contractor_change",
                lifecycle="contract",
                rule="CON-9",
            )
        if new.same_address(self.contractor):
            msg = f"the new contractor's e-mail {new.email} is the current contractor's address"
            raise ValidationError(msg, field="email", rule="CON-7", problem="same_as_current")
        return self._record(
            ContractorChangeRequested,
            instant,
            {"new": new},
            pending_change=ContractorChange(new=new, requested_at=instant),
        )

    def cancel_contractor_change(self, *, actor: Actor, at: datetime) -> Contract:
        """Withdraw the pending contractor change (CON-9)."""
        instant = self._check_time(at)
        self._check_actor("cancel_contractor_change", actor)
        change = self._pending("cancel_contractor_change")
        return self._record(
            ContractorChangeCancelled, instant, {"new": change.new}, pending_change=None
        )

    def check_first_login(
        self, *, actor: Actor, login_email: str, at: datetime
    ) -> ContractorChange:
        """Return the pending change that a first login by ``login_email`` completes (CON-7).

        The login is the contractor's (``Actor.CONTRACTOR``, CON-2). Raises when no change
        is pending or when the address is not the new contractor's.
        """
        checked = check_actor(actor)
        self._check_time(at)
        self._check_actor("complete_contractor_change", checked)
        change = self._pending("complete_contractor_change")
        login = _login(login_email)
        if login.casefold() != change.new.email.casefold():
            raise PermissionDenied(
                "only the new contractor's first login completes the change, "
                f"and {login[:40]!r} is not the address it was handed to",
                actor=str(checked),
                event="complete_contractor_change",
                state=self.status.name,
                rule="CON-7",
            )
        return change

    def complete_contractor_change(
        self, *, actor: Actor, login_email: str, at: datetime, admin_account: AdminAccount
    ) -> Contract:
        """Complete the pending change on the new contractor's first login (CON-7, CON-8).

        ``admin_account`` is what CON-8 decided (:func:`admin_account_for`); the contract
        remembers it in ``completed_change`` with the version of the completion.
        """
        account = check_admin_account(admin_account)
        change = self.check_first_login(actor=actor, login_email=login_email, at=at)
        instant = to_jst(at, field="at")
        return self._record(
            ContractorChangeCompleted,
            instant,
            {"contractor": change.new, "previous": self.contractor, "admin_account": account},
            contractor=change.new,
            pending_change=None,
            completed_change=CompletedChange(version=self.version + 1, admin_account=account),
        )

    def repeated_first_login(self, *, actor: Actor, login_email: str) -> CompletedChange | None:
        """Return the completion a first login by ``login_email`` already made, if any (CON-8).

        It is the contract's :attr:`finishable_change` when ``login_email`` is the (new)
        contractor's address, however the contract moved on since; otherwise ``None``. The
        service then only finishes the directory step that completion decided: a crash
        between the contract's save and the directory write is finished by retrying the
        first login. A pending change is no obstacle: its new contractor's address differs
        from the contractor's (CON-7), so their first login is never taken for a repeat.
        Only the contractor logs in here (CON-2).
        """
        checked = check_actor(actor)
        login = _login(login_email)
        done = self.finishable_change
        if done is None:
            return None
        self._check_actor("complete_contractor_change", checked)
        if login.casefold() != self.contractor.email.casefold():
            return None
        return done

    # -- helpers ------------------------------------------------------------------------------

    def _record(
        self,
        event_type: type[ContractEvent],
        occurred_at: datetime,
        fields: Mapping[str, object],
        **changes: Any,  # the fields of the next contract that change
    ) -> Contract:
        """Return the next contract: ``changes`` applied and one ``event_type`` event recorded."""
        event = event_type(
            aggregate_id=self.id,
            version=self.version + 1,
            occurred_at=occurred_at,
            **{"contractor": self.contractor, **fields},  # type: ignore[arg-type]  # its own fields
        )
        return with_event(self, event, **changes)

    def _check_time(self, at: datetime) -> datetime:
        return command_instant(at, self.updated_at, what="contract")

    def _check_actor(self, event: str, actor: Actor) -> None:
        """Refuse anyone but the contractor (CON-2); a non-``Actor`` is refused (SEC-2)."""
        if check_actor(actor) is not Actor.CONTRACTOR:
            raise PermissionDenied(
                f"only the contractor may {event.replace('_', ' ')}, not {actor!s}",
                actor=str(actor),
                event=event,
                state=self.status.name,
                rule="CON-2",
            )

    def _check_changeable(self, event: str) -> None:
        if self.status is not ContractStatus.ACTIVE:
            raise InvalidTransition(
                f"a contractor change is possible only while {ContractStatus.ACTIVE.label}, "
                f"and the contract is {self.status.label}",
                state=self.status.name,
                event=event,
                lifecycle="contract",
                rule="CON-9",
            )

    def _pending(self, event: str) -> ContractorChange:
        if self.pending_change is None:
            raise InvalidTransition(
                "no contractor change is pending",
                state=self.status.name,
                event=event,
                lifecycle="contract",
                rule="CON-9",
            )
        return self.pending_change
