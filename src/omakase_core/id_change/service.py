"""Use cases of ID-count change applications over the ports (IDC-2, IDC-8, IDC-9, SEC-1 … SEC-3).

:class:`IdChangeService` submits with :func:`~omakase_core.id_change.decide` — a refusal
raises :class:`~omakase_core.id_change.ApplicationRefused` naming the rule and stores
nothing — and then moves the application through ``LIFECYCLES["id_change"]``.

Every command and look-up takes ``by``, the :class:`~omakase_core.principal.Principal` who
acts, and checks it before anything else:

- SEC-1: a customer-side principal acts only on its own customer's applications; another
  customer's application answers exactly as an absent one (``NotFound``), so ids cannot be
  probed, and nothing changes. ``submit`` files the application for ``by.customer_id``.
- ACC-3: on the customer side only a 管理者 applies, withdraws and looks applications up; the
  role is ``by.role``, which must be an :class:`omakase_core.accounts.Role` — a principal
  without one, or with anything else, is refused (SEC-2), never taken for an administrator.
- The chart decides the rest through ``by.actor``: only the customer withdraws, only an
  operator reports a change applied or processing complete; the sweep
  :meth:`IdChangeService.apply_due` runs only as the system or an operator.
- SEC-3: every command on an existing application takes ``expected_version``, the version
  the user's screen showed; a stale one is ``ConcurrencyConflict`` and changes nothing.

The clock is read after the application is loaded and checked, so a command that loses a
race is a ``ConcurrencyConflict`` at save time, never a time-order error.

Decisions:

- ``submit`` takes the customer from ``by`` (there is no ``customer_id`` parameter): a
  customer can then only ever apply for itself. Operators, contractors and the system do not
  submit (SEC-1, ``PermissionDenied``); the portal's form is the customer's.
- An application is the customer's (the tenant's), not the user's who filed it: any 管理者
  of the same customer may withdraw it; there is no "own application" check.
- ``get`` follows ACC-3 too: on the customer side the ID-count change screen is a 管理者's,
  so a ユーザ may not look applications up.
- ``submit`` and ``get`` take no ``expected_version``: a new application has no version the
  user saw, and a look-up returns the current one. A taken ``application_id`` is one
  ``ValidationError`` naming it (SEC-1, :func:`~omakase_core.principal.add_new`), the same
  whoever holds the id, never a ``ConcurrencyConflict`` giving the stored version away.
- A refusal by a rule (``ApplicationRefused``) names the parameter the rule refuses (SEC-2):
  ``delta`` for additions-only services and annual reductions, ``current_count`` for a
  resulting count below one, ``target`` outside the hours or in a closed month-end window,
  ``service`` for one application at a time (IDC-8), ``console_count_confirmed`` for IDC-9.
- IDC-8's add-on block lasts to the end of the 5th business day after the submission day
  (IDC-2b counting). A monthly reduction where the policy asks for it (Google Workspace)
  needs ``console_count_confirmed=True``: the caller asserts that the admin console's user
  count is at most the new count.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import attrs

from omakase_core._validation import check_email, port_validator, require
from omakase_core.accounts.model import Action, Role
from omakase_core.accounts.rules import require as require_role
from omakase_core.calendar import BusinessCalendar, format_instant, to_jst
from omakase_core.errors import ConcurrencyConflict, PermissionDenied, ValidationError
from omakase_core.id_change.aggregate import IdChangeApplication
from omakase_core.id_change.model import (
    ApplicationRefused,
    IdChangeStatus,
    Service,
    ServicePolicy,
    Target,
    Term,
    shown,
)
from omakase_core.id_change.ports import IdChangeRepository  # attrs fields
from omakase_core.id_change.rules import (
    addon_block_end,
    calendar_or_national,
    decide,
    policy_of,
)
from omakase_core.ports import Clock  # attrs fields
from omakase_core.principal import (
    Principal,
    PrincipalKind,
    add_new,
    check_id,
    check_principal,
    load_owned,
)

if TYPE_CHECKING:
    from datetime import datetime

__all__ = ["IdChangeService"]

KIND: Final = "id change application"
"""The ``kind`` of the ``NotFound`` an unknown (or foreign) application id raises (SEC-1)."""

_ACTIVE: Final = frozenset({IdChangeStatus.PENDING, IdChangeStatus.PROCESSING})

_REFUSED_FIELD: Final = {
    "additions_only": "delta",
    "annual_reduction": "delta",
    "count_below_one": "current_count",
    "outside_hours": "target",
    "current_closed": "target",
}
"""The parameter a refusal of :func:`decide` names: what the rule refuses (SEC-2)."""


def _customer_of(application: IdChangeApplication) -> str:
    return application.customer_id


def _optional_calendar(_: object, __: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        calendar_or_national(value)


def _check_admin(by: Principal) -> None:
    """Refuse a customer-side principal that is not a 管理者 (ACC-3); others pass (SEC-2)."""
    if by.kind is not PrincipalKind.CUSTOMER:
        return
    role: object = by.role
    if type(role) is not Role:
        what = "no role" if role is None else f"the role {shown(role)}"
        msg = (
            "by must carry an omakase_core.accounts.Role (管理者 or ユーザ) to act on "
            f"ID-count change applications, not {what}"
        )
        raise ValidationError(msg, field="by", rule="SEC-2")
    require_role(role, Action.APPLY_ID_COUNT_CHANGE)


@attrs.frozen(kw_only=True)
class IdChangeService:
    """ID-count change applications over a repository and a clock (IDC-2, IDC-8, IDC-9)."""

    applications: IdChangeRepository = attrs.field(
        validator=port_validator(
            "an IdChangeRepository", "get", "add", "save", "of_customer", "due"
        )
    )
    clock: Clock = attrs.field(validator=port_validator("a Clock", "now"))
    calendar: BusinessCalendar | None = attrs.field(default=None, validator=_optional_calendar)

    def get(self, application_id: str, *, by: Principal) -> IdChangeApplication:
        """Return the stored application that ``by`` may see (``NotFound`` otherwise, SEC-1)."""
        principal = check_principal(by)
        _check_admin(principal)
        return self._load(application_id, principal, expected_version=None)

    def submit(  # noqa: PLR0913  # the application form's fields
        self,
        application_id: str,
        *,
        by: Principal,
        contact_email: str,
        service: Service | ServicePolicy,
        target: Target,
        delta: int,
        current_count: int | None = None,
        term: Term = Term.MONTHLY,
        submitted_alone: bool = True,
        console_count_confirmed: bool = False,
    ) -> IdChangeApplication:
        """Submit an application for ``by``'s customer now (IDC-2).

        Only a customer-side 管理者 applies (SEC-1, ACC-3). A refusal raises
        :class:`~omakase_core.id_change.ApplicationRefused` and stores nothing; so is a
        second application for the service while one is 処理待ち or 処理中, or, for add-ons,
        within 5 business days of the last submission (IDC-8); and a monthly Google
        Workspace reduction without ``console_count_confirmed`` (IDC-9). A taken
        ``application_id`` is a ``ValidationError`` naming it, alike for the customer's own
        applications and every other customer's (SEC-1).
        """
        principal = check_principal(by)
        if principal.customer_id is None:
            msg = f"only the customer applies for an ID-count change, not {principal!r}"
            raise PermissionDenied(msg, actor=str(principal.actor), event="submit", rule="SEC-1")
        _check_admin(principal)
        customer_id = principal.customer_id
        identifier = check_id(application_id, field="application_id")
        email = check_email(contact_email, field="contact_email", rule=None)
        confirmed = require(
            console_count_confirmed,
            bool,
            field="console_count_confirmed",
            rule="IDC-9",
            what="a bool",
        )
        policy = policy_of(service)
        now = self._now()
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
                decision.explain("en"),
                rule=decision.rule,
                field=_REFUSED_FIELD.get(decision.reason, "target"),
                decision=decision,
            )
        if policy.reduction_needs_console_check and decision.delta < 0 and not confirmed:
            raise ApplicationRefused(
                f"a {policy.label} reduction needs the confirmation that the admin console's "
                "user count is at most the new count",
                rule="IDC-9",
                field="console_count_confirmed",
                decision=decision,
            )
        self._check_one_at_a_time(customer_id, policy, now)
        application = IdChangeApplication.accept(
            id=identifier, customer_id=customer_id, contact_email=email, decision=decision
        )
        add_new(self.applications, application, id=identifier, field="application_id")
        return application

    def withdraw(
        self, application_id: str, *, by: Principal, expected_version: int | None = None
    ) -> IdChangeApplication:
        """Withdraw a pending application before its deadline (the customer's 管理者, ACC-3)."""
        principal = check_principal(by)
        _check_admin(principal)
        application = self._load(application_id, principal, expected_version=expected_version)
        now = self._now()
        return self._save(application, application.withdraw(actor=principal.actor, at=now))

    def report_applied(
        self, application_id: str, *, by: Principal, expected_version: int | None = None
    ) -> IdChangeApplication:
        """Record the operator's report that a windowed change applied."""
        principal = check_principal(by)
        application = self._load(application_id, principal, expected_version=expected_version)
        now = self._now()
        return self._save(application, application.report_applied(actor=principal.actor, at=now))

    def complete(
        self, application_id: str, *, by: Principal, expected_version: int | None = None
    ) -> IdChangeApplication:
        """Record the end of KDDI's processing (the operator, IDC-8)."""
        principal = check_principal(by)
        application = self._load(application_id, principal, expected_version=expected_version)
        now = self._now()
        return self._save(application, application.complete(actor=principal.actor, at=now))

    def apply_due(self, now: datetime, *, by: Principal) -> tuple[str, ...]:
        """Apply every pending change whose instant has come; return their ids (idempotent).

        The sweep runs as the system or an operator; a customer or a contractor is refused
        (SEC-1). An application changed meanwhile is skipped and applied by the next run.
        """
        principal = check_principal(by)
        if not principal.is_back_office:
            msg = f"only the system or an operator runs the ID-count change sweep, not {by!r}"
            raise PermissionDenied(msg, actor=str(principal.actor), event="apply", rule="SEC-1")
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

    def _load(
        self, application_id: object, by: Principal, *, expected_version: int | None
    ) -> IdChangeApplication:
        return load_owned(
            self.applications,
            application_id,
            by=by,
            kind=KIND,
            expected_version=expected_version,
            customer_of=_customer_of,
            field="application_id",
        )

    def _now(self) -> datetime:
        return to_jst(self.clock.now(), field="now")

    def _check_one_at_a_time(self, customer_id: str, policy: ServicePolicy, now: datetime) -> None:
        cal = calendar_or_national(self.calendar)
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
                free_from = addon_block_end(other.decision.submitted_at, days, cal)
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
