"""The ID-count change application: an immutable aggregate (IDC-2, IDC-8).

:meth:`IdChangeApplication.accept` builds an accepted application from its
:class:`~omakase_core.id_change.model.Decision`; each command returns the next value with the
event it recorded and moves the status through ``LIFECYCLES["id_change"]``: withdrawal
while the decision allows it, time-driven application at ``applies_at`` (idempotent), the
operator's report for changes applied "within N business days", and the operator's end of
processing. Commands come in time order.

IDC-8 (amended): the processing end the applied event (the 完了 notice) states is computed
from the instant the change actually applied: ``applies_at`` for an exact instant, the
operator's report for a change applied "within N business days".
``changes_addons`` records whether the application changes add-ons, for IDC-8's add-on
block; data stored by 0.1 (schema 1) lacks it and is upcast: an M365 add-on application
always changed add-ons, any other did not say so (PORT-7).

The aggregate trusts the ``actor`` it is given; the service derives it from the acting
principal (SEC-1).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

import attrs

from omakase_core._validation import check_email, require
from omakase_core._values import command_instant, with_event, without_events
from omakase_core.calendar import format_deadline, format_instant, to_jst
from omakase_core.codec import register_upcaster, stored
from omakase_core.errors import DeadlinePassed, InvalidTransition, ValidationError
from omakase_core.id_change.machine import ID_CHANGE_LIFECYCLE
from omakase_core.id_change.model import (
    Decision,
    IdChangeAccepted,
    IdChangeApplied,
    IdChangeCompleted,
    IdChangeEvent,
    IdChangeStatus,
    IdChangeWithdrawn,
    check_accepted,
    shown,
)
from omakase_core.id_change.rules import calendar_or_national, processing_done_expected
from omakase_core.lifecycle import Actor
from omakase_core.principal import check_id

if TYPE_CHECKING:
    from collections.abc import Mapping

    from omakase_core.calendar import BusinessCalendar

__all__ = ["IdChangeApplication"]


def _id(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_id(value, field=attribute.name)


def _email(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_email(value, field=attribute.name, rule="IDC-2")


def _decision(_: object, attribute: attrs.Attribute[Decision], value: object) -> None:
    check_accepted(value, field=attribute.name)


def _status(_: object, attribute: attrs.Attribute[IdChangeStatus], value: object) -> None:
    require(value, IdChangeStatus, field=attribute.name, rule="SEC-2", what="an IdChangeStatus")


def _version(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    if type(value) is not int or value < 0:
        msg = f"version must be an int from 0, not {shown(value)}"
        raise ValidationError(msg, field=attribute.name, rule="PORT-2")


def _instant(_: object, attribute: attrs.Attribute[datetime], value: object) -> None:
    to_jst(value, field=attribute.name)  # type: ignore[arg-type]  # to_jst checks the type


def _optional_instant(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _instant(_, attribute, value)


def _flag(_: object, attribute: attrs.Attribute[bool], value: object) -> None:
    require(value, bool, field=attribute.name, rule="IDC-8", what="a bool")


def _events(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if type(value) is not tuple or not all(isinstance(e, IdChangeEvent) for e in value):
        msg = f"pending_events must be a tuple of IdChangeEvent values, not {shown(value)}"
        raise ValidationError(msg, field=attribute.name, rule="PORT-3")


_ALWAYS_ADDONS: Final = "m365_addons"
"""The service whose every application changes add-ons, as 0.1 stored it (IDC-5, IDC-8)."""


@stored("id_change.IdChangeApplication", version=2)
@attrs.frozen(kw_only=True)
class IdChangeApplication:
    """One ID-count change application of one customer, and its decision (IDC-2).

    Every field is checked when the value is built (SEC-2): printable ids, an e-mail
    address, an accepted decision, a status member, a version from 0, aware instants and a
    tuple of events. The commands copy a checked value without checking it again.
    """

    id: str = attrs.field(validator=_id)
    customer_id: str = attrs.field(validator=_id)
    contact_email: str = attrs.field(validator=_email)
    decision: Decision = attrs.field(validator=_decision)
    status: IdChangeStatus = attrs.field(validator=_status)
    version: int = attrs.field(default=0, validator=_version)
    updated_at: datetime = attrs.field(validator=_instant)
    applied_at: datetime | None = attrs.field(default=None, validator=_optional_instant)
    changes_addons: bool = attrs.field(default=False, validator=_flag)
    pending_events: tuple[IdChangeEvent, ...] = attrs.field(default=(), validator=_events)

    @classmethod
    def accept(
        cls,
        *,
        id: str,  # noqa: A002  # the aggregate's own field
        customer_id: str,
        contact_email: str,
        decision: Decision,
        changes_addons: bool = False,
    ) -> IdChangeApplication:
        """Return the application accepted by ``decision``, with its acceptance event (IDC-2).

        A 当月 change that applies at acceptance is 処理中 at once. ``changes_addons`` says
        the application changes add-ons (IDC-8's add-on block). ``id`` and
        ``customer_id`` are printable ids, ``contact_email`` an address and ``decision`` an
        accepted :class:`Decision`; anything else is a ``ValidationError`` naming it (SEC-2).
        """
        at = check_accepted(decision, field="decision").submitted_at
        application = cls(
            id=id,
            customer_id=customer_id,
            contact_email=contact_email,
            decision=decision,
            status=IdChangeStatus.PENDING,
            updated_at=at,
            changes_addons=changes_addons,
        )
        application = application._record(IdChangeAccepted, at, {"decision": decision})
        return application.apply_due(at)

    @property
    def service(self) -> str:
        """Return the service's policy key."""
        return self.decision.service

    @property
    def due_at(self) -> datetime | None:
        """Return when the change applies by itself, while it is pending (IDC-2)."""
        if self.status is IdChangeStatus.PENDING:
            return self.decision.applies_at
        return None

    def saved(self) -> IdChangeApplication:
        """Return the application as stored, without pending events."""
        return without_events(self)

    def withdraw(self, *, actor: Actor, at: datetime) -> IdChangeApplication:
        """Withdraw while pending and before ``withdrawable_until`` (IDC-3 … IDC-7)."""
        instant = self._check_time(at)
        target = ID_CHANGE_LIFECYCLE.fire(self.status, "withdraw", actor=actor)
        until = self.decision.withdrawable_until
        if until is None:
            raise InvalidTransition(
                f"this {self.decision.service_label} application cannot be withdrawn",
                state=self.status.name,
                event="withdraw",
                lifecycle="id_change",
                rule=self.decision.rule,
            )
        if instant >= until:
            raise DeadlinePassed(
                f"withdrawal was possible only until {format_deadline(until)} "
                f"({until.isoformat()})",
                deadline=until,
                at=instant,
                rule=self.decision.rule,
            )
        return self._record(IdChangeWithdrawn, instant, {}, status=target)

    def apply_due(self, now: datetime) -> IdChangeApplication:
        """Apply the change once its exact instant has come (IDC-2); idempotent."""
        due = self.due_at
        if due is None or to_jst(now, field="now") < due:
            return self
        target = ID_CHANGE_LIFECYCLE.fire(self.status, "apply", actor=Actor.SYSTEM)
        return self._applied(due, target, self.decision.processing_done_expected_at)

    def report_applied(
        self, *, actor: Actor, at: datetime, calendar: BusinessCalendar | None = None
    ) -> IdChangeApplication:
        """Record the operator's report that a "within N business days" change applied.

        The change applied at ``at``; KDDI's processing is expected to end at 12:00 of the
        next business day of ``calendar`` (the national calendar by default), which the
        applied event states (IDC-8).
        """
        instant = self._check_time(at)
        target = ID_CHANGE_LIFECYCLE.fire(self.status, "report_applied", actor=actor)
        if self.decision.applies_at is not None:
            raise InvalidTransition(
                f"this change applies by itself at {format_instant(self.decision.applies_at)}",
                state=self.status.name,
                event="report_applied",
                lifecycle="id_change",
                rule=self.decision.rule,
            )
        cal = calendar_or_national(calendar)
        return self._applied(instant, target, processing_done_expected(instant, cal))

    def complete(self, *, actor: Actor, at: datetime) -> IdChangeApplication:
        """Record that KDDI's processing is complete (IDC-8)."""
        instant = self._check_time(at)
        target = ID_CHANGE_LIFECYCLE.fire(self.status, "complete", actor=actor)
        return self._record(IdChangeCompleted, instant, {}, status=target)

    def _applied(
        self, instant: datetime, target: IdChangeStatus, expected: datetime | None
    ) -> IdChangeApplication:
        return self._record(
            IdChangeApplied,
            instant,
            {"delta": self.decision.delta, "processing_done_expected_at": expected},
            status=target,
            applied_at=instant,
        )

    def _check_time(self, at: datetime) -> datetime:
        return command_instant(at, self.updated_at, what="application")

    def _record(
        self,
        event_type: type[IdChangeEvent],
        occurred_at: datetime,
        fields: Mapping[str, object],
        **changes: object,
    ) -> IdChangeApplication:
        event = event_type(
            aggregate_id=self.id,
            version=self.version + 1,
            occurred_at=occurred_at,
            service_label=self.decision.service_label,
            contact_email=self.contact_email,
            **fields,
        )
        return with_event(self, event, **changes)


def _schema_1_application(data: dict[str, Any]) -> dict[str, Any]:
    """Bring an application stored by release 0.1 (schema 1) to schema 2 (IDC-8, PORT-7).

    ``changes_addons`` is new: an M365 add-on application changed add-ons; 0.1 knew no
    other application that did. Data of another shape is passed on for decoding to refuse.
    """
    upcast = dict(data)
    decision = upcast.get("decision")
    service = decision.get("service") if isinstance(decision, dict) else None
    upcast.setdefault("changes_addons", service == _ALWAYS_ADDONS)
    return upcast


register_upcaster("id_change.IdChangeApplication", 1, _schema_1_application)
