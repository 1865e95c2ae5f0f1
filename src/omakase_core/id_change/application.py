"""The ID-count change application: aggregate, events and use cases (IDC-2, IDC-8, IDC-9).

:class:`IdChangeService` submits with :func:`~omakase_core.id_change.decide` — a refusal
raises :class:`ApplicationRefused` naming the rule and stores nothing — and then moves the
application through ``LIFECYCLES["id_change"]``: withdrawal while the decision allows it,
time-driven application at ``applies_at`` (:meth:`IdChangeService.apply_due`, idempotent),
the operator's report for changes applied "within N business days", and the operator's
end of processing.

Decisions: IDC-8's add-on block lasts to the end of the 5th business day after the
submission day (IDC-2b counting). A monthly reduction where the policy asks for it (Google
Workspace) needs ``console_count_confirmed=True``: the caller asserts that the admin
console's user count is at most the new count.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, ClassVar, Final

import attrs

from omakase_core._validation import check_email, check_text, require
from omakase_core._values import command_instant, with_event, without_events
from omakase_core.accounts.roles import Action, Role
from omakase_core.accounts.roles import require as require_role
from omakase_core.calendar import JST, BusinessCalendar, format_deadline, format_instant, to_jst
from omakase_core.errors import (
    ConcurrencyConflict,
    DeadlinePassed,
    InvalidTransition,
    ValidationError,
)
from omakase_core.events import Event
from omakase_core.id_change.decide import Decision, _policy, decide
from omakase_core.id_change.machine import ID_CHANGE_LIFECYCLE, IdChangeStatus
from omakase_core.id_change.policy import Service, ServicePolicy, Target, Term
from omakase_core.id_change.ports import IdChangeRepository  # attrs fields
from omakase_core.lifecycle import Actor
from omakase_core.ports import Clock  # attrs fields

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "ApplicationRefused",
    "IdChangeAccepted",
    "IdChangeApplication",
    "IdChangeApplied",
    "IdChangeCompleted",
    "IdChangeEvent",
    "IdChangeService",
    "IdChangeWithdrawn",
]

_ACTIVE: Final = frozenset({IdChangeStatus.PENDING, IdChangeStatus.PROCESSING})
_ONE_DAY: Final = timedelta(days=1)


class ApplicationRefused(ValidationError):
    """A well-formed application that a rule refuses; ``decision`` says which and why."""

    decision: Decision | None

    def __init__(
        self, message: str, *, rule: str, field: str, decision: Decision | None = None
    ) -> None:
        self.decision = decision
        super().__init__(message, field=field, rule=rule)


# -- events ------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class IdChangeEvent(Event):
    """Base of the ID-count change events; ``contact_email`` is the applicant's address."""

    aggregate_type: ClassVar[str] = "id_change"

    service_label: str
    contact_email: str


@attrs.frozen(kw_only=True)
class IdChangeAccepted(IdChangeEvent):
    """The application was accepted; ``decision`` says when it applies (IDC-2)."""

    decision: Decision


@attrs.frozen(kw_only=True)
class IdChangeApplied(IdChangeEvent):
    """The new ID count applies from ``occurred_at``; KDDI's processing runs (IDC-8)."""

    delta: int
    processing_done_expected_at: datetime | None


@attrs.frozen(kw_only=True)
class IdChangeWithdrawn(IdChangeEvent):
    """The customer withdrew the application before it applied."""


@attrs.frozen(kw_only=True)
class IdChangeCompleted(IdChangeEvent):
    """KDDI reported its processing complete: a new application is possible (IDC-8)."""


# -- the aggregate ------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class IdChangeApplication:
    """One ID-count change application and its decision (IDC-2)."""

    id: str
    customer_id: str
    contact_email: str
    decision: Decision
    status: IdChangeStatus
    version: int = 0
    updated_at: datetime
    applied_at: datetime | None = None
    pending_events: tuple[IdChangeEvent, ...] = ()

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
        return self._applied(due, target)

    def report_applied(self, *, actor: Actor, at: datetime) -> IdChangeApplication:
        """Record the operator's report that a "within N business days" change applied."""
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
        return self._applied(instant, target)

    def complete(self, *, actor: Actor, at: datetime) -> IdChangeApplication:
        """Record that KDDI's processing is complete (IDC-8)."""
        instant = self._check_time(at)
        target = ID_CHANGE_LIFECYCLE.fire(self.status, "complete", actor=actor)
        return self._record(IdChangeCompleted, instant, {}, status=target)

    def _applied(self, instant: datetime, target: IdChangeStatus) -> IdChangeApplication:
        expected = self.decision.processing_done_expected_at
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


# -- the use cases ------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class IdChangeService:
    """ID-count change applications over a repository and a clock (IDC-2, IDC-8, IDC-9)."""

    applications: IdChangeRepository
    clock: Clock
    calendar: BusinessCalendar | None = None

    def get(self, application_id: str) -> IdChangeApplication:
        """Return the stored application (``NotFound`` if there is none)."""
        return self.applications.get(application_id)

    def submit(  # noqa: PLR0913  # the application form's fields
        self,
        application_id: str,
        *,
        role: Role,
        customer_id: str,
        contact_email: str,
        service: Service | ServicePolicy,
        target: Target,
        delta: int,
        current_count: int | None = None,
        term: Term = Term.MONTHLY,
        submitted_alone: bool = True,
        console_count_confirmed: bool = False,
    ) -> IdChangeApplication:
        """Submit an application now; a refusal raises :class:`ApplicationRefused`.

        Only a 管理者 may apply (ACC-3): ``role`` is the acting portal user's.

        Refused too: a second application for the service while one is 処理待ち or 処理中,
        or, for add-ons, within 5 business days of the last submission (IDC-8); a monthly
        Google Workspace reduction without ``console_count_confirmed`` (IDC-9).
        """
        require_role(role, Action.APPLY_ID_COUNT_CHANGE)
        now = to_jst(self.clock.now(), field="now")
        policy = _policy(service)
        decision = decide(
            policy,
            target=target,
            submitted_at=now,
            delta=delta,
            current_count=current_count,
            term=term,
            calendar=self.calendar,
            submitted_alone=submitted_alone,
        )
        if not decision.accepted:
            raise ApplicationRefused(
                decision.explain("en"), rule=decision.rule, field="application", decision=decision
            )
        require(
            console_count_confirmed,
            bool,
            field="console_count_confirmed",
            rule="IDC-9",
            what="a bool",
        )
        if (
            policy.reduction_needs_console_check
            and decision.delta < 0
            and not (console_count_confirmed)
        ):
            raise ApplicationRefused(
                f"a {policy.label} reduction needs the confirmation that the admin console's "
                "user count is at most the new count",
                rule="IDC-9",
                field="console_count_confirmed",
                decision=decision,
            )
        self._check_one_at_a_time(customer_id, policy, now)
        status = IdChangeStatus.PENDING
        application = IdChangeApplication(
            id=check_text(application_id, field="application_id", rule=None, max_length=200),
            customer_id=check_text(customer_id, field="customer_id", rule=None, max_length=200),
            contact_email=check_email(contact_email, field="contact_email", rule=None),
            decision=decision,
            status=status,
            updated_at=now,
        )
        application = application._record(IdChangeAccepted, now, {"decision": decision})
        application = application.apply_due(now)  # a 当月 change at acceptance: 処理中 at once
        self.applications.add(application)
        return application

    def withdraw(self, application_id: str, *, actor: Actor, role: Role) -> IdChangeApplication:
        """Withdraw a pending application before its deadline (a 管理者's, ACC-3)."""
        require_role(role, Action.APPLY_ID_COUNT_CHANGE)
        now = to_jst(self.clock.now(), field="now")
        application = self.applications.get(application_id)
        return self._save(application, application.withdraw(actor=actor, at=now))

    def report_applied(self, application_id: str, *, actor: Actor) -> IdChangeApplication:
        """Record the operator's report that a windowed change applied."""
        now = to_jst(self.clock.now(), field="now")
        application = self.applications.get(application_id)
        return self._save(application, application.report_applied(actor=actor, at=now))

    def complete(self, application_id: str, *, actor: Actor) -> IdChangeApplication:
        """Record the end of KDDI's processing (IDC-8)."""
        now = to_jst(self.clock.now(), field="now")
        application = self.applications.get(application_id)
        return self._save(application, application.complete(actor=actor, at=now))

    def apply_due(self, now: datetime) -> tuple[str, ...]:
        """Apply every pending change whose instant has come; return their ids (idempotent)."""
        instant = to_jst(now, field="now")
        applied: list[str] = []
        for application in list(self.applications.due(instant)):
            updated = application.apply_due(instant)
            if updated is application:
                continue
            try:
                self.applications.save(updated, expected_version=application.version)
            except ConcurrencyConflict:
                continue
            applied.append(application.id)
        return tuple(applied)

    def _check_one_at_a_time(self, customer_id: str, policy: ServicePolicy, now: datetime) -> None:
        cal = self.calendar or BusinessCalendar.japan()
        for other in self.applications.of_customer(customer_id):
            if other.service != policy.service:
                continue
            if other.status in _ACTIVE:
                expected = other.decision.processing_done_expected_at
                when = f" (expected around {format_instant(expected, 'en')})" if expected else ""
                raise ApplicationRefused(
                    f"application {other.id} for {policy.label} is still {other.status.label}; "
                    f"a new one is possible once KDDI's processing is complete{when}",
                    rule="IDC-8",
                    field="service",
                )
            days = policy.blocks_new_for_business_days
            if days is not None and other.status is not IdChangeStatus.WITHDRAWN:
                submitted = other.decision.submitted_at.date()
                free_from = datetime.combine(
                    cal.add_business_days(submitted, days) + _ONE_DAY, datetime.min.time(), JST
                )
                if now < free_from:
                    raise ApplicationRefused(
                        f"after a {policy.label} application a new one is possible "
                        f"{days} business days after the submission, from "
                        f"{format_instant(free_from, 'en')}",
                        rule="IDC-8",
                        field="service",
                    )

    def _save(
        self, loaded: IdChangeApplication, updated: IdChangeApplication
    ) -> IdChangeApplication:
        self.applications.save(updated, expected_version=loaded.version)
        return updated
