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
  user saw, and a look-up returns the current one. Application ids are one space across
  customers, so an id another customer holds must be refused: the refusal is one
  ``ValidationError`` naming ``application_id`` (SEC-1,
  :func:`~omakase_core.principal.add_new`) whose words ("cannot be used; choose another
  application_id") are the same whoever holds the id and confirm no application —
  neither "taken" nor "exists" — and never a ``ConcurrencyConflict`` giving the stored
  version away. Portals generate ids (``uuid4``),
  so that a collision does not happen in practice and an id cannot be guessed.
- A refusal by a rule (``ApplicationRefused``) names the parameter the rule refuses (SEC-2):
  ``delta`` for additions-only services and annual reductions, ``current_count`` for a
  resulting count below one, ``target`` outside the hours or in a closed month-end window,
  ``service`` for one application at a time (IDC-8), ``console_count_confirmed`` for IDC-9.
- IDC-8's add-on block lasts to the end of the 5th business day after the submission day
  (IDC-2b counting) and covers every application that changes add-ons, across the services
  of one add-on family (M365 plans and add-ons; Google Workspace and its add-on tools): an
  M365 add-on application always changes add-ons; a plan or Google Workspace change does
  when ``changes_addons=True`` (the tenant's add-ons change with it). Such a refusal names
  ``changes_addons`` (``service`` for an add-on application).
- IDC-8 (amended): only a 処理中 application blocks a new one of its service (EMM: a
  処理待ち one too, until it applies); a 処理待ち reservation (翌月) does not. The refusal
  states the expected end computed from the instant the blocking change actually applied.
- IDC-2 (amended): ``submit`` without ``consented=True`` is refused naming IDC-2 and the
  parameter ``consented``; IDC-9: without ``current_count`` it is refused naming IDC-9 and
  ``current_count``. Both are keyword parameters with defaults only so that a call of the
  old shape is refused by the rule rather than broken; the form always passes them.
- IDC-9: a monthly reduction where the policy asks for it (Google Workspace)
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
    POLICIES,
    ApplicationRefused,
    IdChangeStatus,
    PlanCounts,
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
    processing_done_expected,
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


_REFUSED_FIELD: Final = {
    "additions_only": "delta",
    "annual_reduction": "delta",
    "count_below_one": "current_count",
    "outside_hours": "target",
    "current_closed": "target",
    "count_missing": "current_count",
    "all_plans_zero": "delta",
    "option_exceeds_plan": "delta",
    "no_consent": "consented",
}
"""The parameter a refusal of :func:`decide` names: what the rule refuses (SEC-2)."""


def _family(policy: ServicePolicy) -> str:
    """Return the add-on family of a policy: its ``addon_family``, or the service (IDC-8)."""
    return policy.service if policy.addon_family is None else policy.addon_family


_FAMILIES: Final = {policy.service: _family(policy) for policy in POLICIES.values()}
"""The add-on family of each of the library's services (IDC-8)."""


def _addon_field(changes_addons: bool) -> str:  # noqa: FBT001  # the caller's flag
    return "changes_addons" if changes_addons else "service"


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
        consented: bool = False,
        line: str | None = None,
        counts: PlanCounts | None = None,
        changes_addons: bool = False,
    ) -> IdChangeApplication:
        """Submit an application for ``by``'s customer now (IDC-2).

        Only a customer-side 管理者 applies (SEC-1, ACC-3). A refusal raises
        :class:`~omakase_core.id_change.ApplicationRefused` and stores nothing: without
        ``consented=True`` (IDC-2) or ``current_count`` (IDC-9); a second application for
        the service while one is 処理中 (EMM: 処理待ち too), or one that changes add-ons
        within 5 business days of the family's last such submission (IDC-8); a monthly
        Google Workspace reduction without ``console_count_confirmed`` (IDC-9). ``line``
        and ``counts`` are :func:`~omakase_core.id_change.decide`'s per-plan counts
        (IDC-9, M365). An ``application_id`` the store already holds is a
        ``ValidationError`` naming it that says only "choose another application_id", word
        for word the same for the customer's own applications and every other customer's
        (SEC-1); it is checked last, after every rule, so probing an id costs a real
        application whenever the id is free.
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
        addons = require(changes_addons, bool, field="changes_addons", rule="IDC-8", what="a bool")
        if addons and policy.blocks_new_for_business_days is None:
            msg = f"changes_addons: {policy.label[:60]} has no add-ons to change"
            raise ValidationError(msg, field="changes_addons", rule="IDC-8")
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
            consented=consented,
            line=line,
            counts=counts,
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
        changes = addons or policy.always_changes_addons
        self._check_one_at_a_time(customer_id, policy)
        if changes:
            self._check_addon_block(customer_id, policy, now, field=_addon_field(addons))
        application = IdChangeApplication.accept(
            id=identifier,
            customer_id=customer_id,
            contact_email=email,
            decision=decision,
            changes_addons=changes,
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
        updated = application.report_applied(actor=principal.actor, at=now, calendar=self.calendar)
        return self._save(application, updated)

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

    def _check_one_at_a_time(self, customer_id: str, policy: ServicePolicy) -> None:
        """Refuse while an application of the service is 処理中 (EMM: 処理待ち too) (IDC-8)."""
        cal = calendar_or_national(self.calendar)
        for other in self.applications.of_customer(customer_id):
            if other.service != policy.service:
                continue
            pending = other.status is IdChangeStatus.PENDING
            if other.status is IdChangeStatus.PROCESSING or (pending and policy.pending_blocks_new):
                applied = other.applied_at
                when = (
                    ""
                    if applied is None
                    else " (expected around "
                    f"{format_instant(processing_done_expected(applied, cal), 'en')})"
                )
                until = "it applies and " if pending else ""
                raise ApplicationRefused(
                    f"application {other.id} for {policy.label} is still {other.status.label}; "
                    f"a new one is possible once {until}KDDI's processing is complete{when}",
                    rule="IDC-8",
                    field="service",
                )

    def _check_addon_block(
        self, customer_id: str, policy: ServicePolicy, now: datetime, *, field: str
    ) -> None:
        """Refuse an add-on change within the family's block after the last one (IDC-8)."""
        cal = calendar_or_national(self.calendar)
        days = policy.blocks_new_for_business_days
        if days is None:  # a policy with add-ons has its block length (ServicePolicy checks)
            return
        for other in self.applications.of_customer(customer_id):
            family = _FAMILIES.get(other.service, other.service)
            if other.service == policy.service:
                family = _family(policy)
            if (
                not other.changes_addons
                or other.status is IdChangeStatus.WITHDRAWN
                or family != _family(policy)
            ):
                continue
            free_from = addon_block_end(other.decision.submitted_at, days, cal)
            if now < free_from:
                raise ApplicationRefused(
                    f"after application {other.id} changed add-ons, a new application that "
                    f"changes add-ons is possible {days} business days after its submission, "
                    f"from {format_instant(free_from, 'en')}",
                    rule="IDC-8",
                    field=field,
                )

    def _save(
        self, loaded: IdChangeApplication, updated: IdChangeApplication
    ) -> IdChangeApplication:
        self.applications.save(updated, expected_version=loaded.version)
        return updated
