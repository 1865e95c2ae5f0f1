"""OCN カスタマサポートデスク: mail plans and fees, mail changes, cancellation (OCN-1 … OCN-4).

Decisions (the seed leaves them open):

- OCN-1: tax is 10% of the whole monthly amount, rounded down to the yen (切り捨て); every
  amount the seed gives (¥275, ¥385, ¥495, ¥220) comes out exact.
- OCN-2: an application names the new accounts' local parts (before the @) and/or the
  accounts whose virus check is switched on; the pattern says which of the two it carries,
  and the other must be empty.
- OCN-3: "until processed" means until the operator registered the change or reported the
  desired name unavailable.
- OCN-4: once submitted, a cancellation cannot be withdrawn; once accepted, no mail change
  is accepted; once completed, the customer can no longer log in.
"""

from __future__ import annotations

import enum
import re
from datetime import date, datetime
from typing import Any, ClassVar, Final

import attrs
from statemachine import StateChart

from omakase_core._validation import check_email, check_text, require
from omakase_core._values import command_instant, with_event, without_events
from omakase_core.calendar import to_jst
from omakase_core.calendar._jst import as_day, check_int
from omakase_core.errors import InvalidTransition, ValidationError
from omakase_core.events import Event
from omakase_core.lifecycle import Actor, Lifecycle, Status, by, register, status_state
from omakase_core.ports import Clock, Repository  # attrs fields
from omakase_core.submission.fields import validate_phone

__all__ = [
    "CANCELLATION_LIFECYCLE",
    "MAIL_CHANGE_LIFECYCLE",
    "MAX_MAIL_ACCOUNTS",
    "CancellationRequest",
    "CancellationStatus",
    "MailChangePattern",
    "MailChangeRequest",
    "MailChangeStatus",
    "OcnCustomer",
    "OcnEvent",
    "OcnService",
    "mail_monthly_fee",
    "notices",
]

MAX_MAIL_ACCOUNTS: Final = 4
_ACCOUNT_FEES: Final = {1: 0, 2: 250, 3: 350, 4: 450}
_VIRUS_CHECK_FEE: Final = 200
_TAX_PERCENT: Final = 10


def mail_monthly_fee(*, accounts: int, virus_checks: int, tax_included: bool = False) -> int:
    """Return the monthly mail fee in yen (OCN-1).

    1 account is included; 2 → ¥250, 3 → ¥350, 4 → ¥450; each virus check ¥200; tax 10%
    rounded down when ``tax_included``.

    >>> mail_monthly_fee(accounts=3, virus_checks=1, tax_included=True)
    605
    """
    n = check_int(accounts, "accounts")
    checks = check_int(virus_checks, "virus_checks")
    require(tax_included, bool, field="tax_included", rule="OCN-1", what="a bool")
    if not 1 <= n <= MAX_MAIL_ACCOUNTS:
        msg = f"accounts must be from 1 to {MAX_MAIL_ACCOUNTS}, not {n}"
        raise ValidationError(msg, field="accounts", rule="OCN-1")
    if not 0 <= checks <= n:
        msg = f"virus_checks must be from 0 to the {n} accounts, not {checks}"
        raise ValidationError(msg, field="virus_checks", rule="OCN-1")
    total = _ACCOUNT_FEES[n] + _VIRUS_CHECK_FEE * checks
    return total * (100 + _TAX_PERCENT) // 100 if tax_included else total


# -- lifecycles --------------------------------------------------------------------------------


class MailChangeStatus(Status):
    """A mail-change application's status (OCN-2, OCN-3)."""

    REQUESTED = "requested", "申込中"
    CANCELLED = "cancelled", "取消"
    REGISTERED = "registered", "登録完了"
    NAME_UNAVAILABLE = "name_unavailable", "登録不可"


class MailChangeChart(StateChart[Any]):
    """申込中 → 登録完了 / 登録不可 by the operator, or → 取消 by the customer (OCN-3)."""

    allow_event_without_transition = False
    catch_errors_as_events = False

    requested = status_state(MailChangeStatus.REQUESTED, initial=True)
    cancelled = status_state(MailChangeStatus.CANCELLED, final=True)
    registered = status_state(MailChangeStatus.REGISTERED, final=True)
    name_unavailable = status_state(MailChangeStatus.NAME_UNAVAILABLE, final=True)

    cancel = requested.to(cancelled, cond=by(Actor.CUSTOMER))
    register = requested.to(registered, cond=by(Actor.OPERATOR))
    report_unavailable = requested.to(name_unavailable, cond=by(Actor.OPERATOR))


class CancellationStatus(Status):
    """A cancellation's (廃止) status (OCN-4)."""

    SUBMITTED = "submitted", "申込済"
    ACCEPTED = "accepted", "受付済"
    COMPLETED = "completed", "廃止完了"


class CancellationChart(StateChart[Any]):
    """申込済 → 受付済 → 廃止完了, the operator's steps; no withdrawal (OCN-4)."""

    allow_event_without_transition = False
    catch_errors_as_events = False

    submitted = status_state(CancellationStatus.SUBMITTED, initial=True)
    accepted = status_state(CancellationStatus.ACCEPTED)
    completed = status_state(CancellationStatus.COMPLETED, final=True)

    accept = submitted.to(accepted, cond=by(Actor.OPERATOR))
    complete = accepted.to(completed, cond=by(Actor.OPERATOR))


MAIL_CHANGE_LIFECYCLE: Lifecycle[MailChangeStatus] = register(
    Lifecycle.compile("ocn.mail_change", MailChangeChart, MailChangeStatus)
)
CANCELLATION_LIFECYCLE: Lifecycle[CancellationStatus] = register(
    Lifecycle.compile("ocn.cancellation", CancellationChart, CancellationStatus)
)


# -- applications ------------------------------------------------------------------------------


class MailChangePattern(enum.Enum):
    """What a mail-change application changes: exactly one of three (OCN-2)."""

    VIRUS_CHECK_ONLY = "virus_check_only"
    ACCOUNT_AND_VIRUS_CHECK = "account_and_virus_check"
    ACCOUNT_ONLY = "account_only"


_LOCAL_PART: Final = re.compile(r"[a-z0-9](?:[a-z0-9._-]{0,30}[a-z0-9])?")


def _local_parts(value: object, field: str) -> tuple[str, ...]:
    items = tuple(value) if isinstance(value, tuple | list) else None
    if items is None:
        msg = f"{field} must be a tuple of mail account names"
        raise ValidationError(msg, field=field, rule="OCN-2")
    for item in items:
        if not isinstance(item, str) or "@" in item or _LOCAL_PART.fullmatch(item) is None:
            msg = (
                f"{field} holds {item!r}: give only the part before the @, 1 to 32 lower-case "
                "letters, digits, '.', '_' or '-' (the host is assigned on registration)"
            )
            raise ValidationError(msg, field=field, rule="OCN-2")
    if len(set(items)) != len(items):
        raise ValidationError(f"{field} names an account twice", field=field, rule="OCN-2")
    return items


@attrs.frozen(kw_only=True)
class MailChangeRequest:
    """A mail-change application (OCN-2): one pattern, and only the fields it uses.

    ``new_accounts`` are the desired local parts of accounts to add; ``virus_checks`` the
    accounts (local parts) whose virus check is to be switched on.
    """

    pattern: MailChangePattern
    new_accounts: tuple[str, ...] = ()
    virus_checks: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        require(self.pattern, MailChangePattern, field="pattern", rule="OCN-2", what="a pattern")
        accounts = _local_parts(self.new_accounts, "new_accounts")
        checks = _local_parts(self.virus_checks, "virus_checks")
        wants_accounts = self.pattern is not MailChangePattern.VIRUS_CHECK_ONLY
        wants_checks = self.pattern is not MailChangePattern.ACCOUNT_ONLY
        for field, given, wanted in (
            ("new_accounts", accounts, wants_accounts),
            ("virus_checks", checks, wants_checks),
        ):
            if wanted and not given:
                msg = f"{self.pattern.value} needs {field}"
                raise ValidationError(msg, field=field, rule="OCN-2")
            if given and not wanted:
                msg = f"{field} must be empty for {self.pattern.value}"
                raise ValidationError(msg, field=field, rule="OCN-2")


@attrs.frozen(kw_only=True)
class CancellationRequest:
    """A cancellation (廃止) application: every field required, e-mail confirmed (OCN-4)."""

    desired_date: date
    reason: str
    reason_detail: str
    migration_reason: str
    contact_name: str
    phone: str
    email: str
    email_confirmation: str

    def __attrs_post_init__(self) -> None:
        as_day(self.desired_date, "desired_date")
        for field in ("reason", "reason_detail", "migration_reason", "contact_name"):
            check_text(getattr(self, field), field=field, rule="OCN-4", max_length=1000)
        validate_phone(self.phone)
        check_email(self.email, field="email", rule="OCN-4")
        if self.email_confirmation != self.email:
            msg = "email_confirmation does not match email"
            raise ValidationError(msg, field="email_confirmation", rule="OCN-4")


# -- the customer aggregate --------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class OcnEvent(Event):
    """Base of the OCN events."""

    aggregate_type: ClassVar[str] = "ocn"

    event: str
    detail: str = ""


@attrs.frozen(kw_only=True)
class OcnCustomer:
    """An OCN customer's mail accounts, pending mail change and cancellation (OCN-1 … OCN-4)."""

    id: str
    accounts: tuple[str, ...]
    virus_checks: tuple[str, ...] = ()
    mail_change: MailChangeRequest | None = None
    mail_change_status: MailChangeStatus | None = None
    cancellation: CancellationRequest | None = None
    cancellation_status: CancellationStatus | None = None
    version: int = 0
    updated_at: datetime
    pending_events: tuple[OcnEvent, ...] = ()

    @property
    def monthly_fee(self) -> int:
        """Return the current mail fee in yen, tax excluded (OCN-1)."""
        return mail_monthly_fee(accounts=len(self.accounts), virus_checks=len(self.virus_checks))

    @property
    def can_log_in(self) -> bool:
        """Return whether the customer may still log in: not after cancellation (OCN-4)."""
        return self.cancellation_status is not CancellationStatus.COMPLETED

    def saved(self) -> OcnCustomer:
        """Return the customer as stored, without pending events."""
        return without_events(self)

    def _record(self, at: datetime, event: str, detail: str = "", **changes: Any) -> OcnCustomer:
        instant = command_instant(at, self.updated_at, what="customer")
        recorded = OcnEvent(
            aggregate_id=self.id,
            version=self.version + 1,
            occurred_at=instant,
            event=event,
            detail=detail,
        )
        return with_event(self, recorded, **changes)


@attrs.frozen(kw_only=True)
class OcnService:
    """Mail changes and cancellation of OCN customers over a repository and a clock."""

    customers: Repository[OcnCustomer]
    clock: Clock

    def apply_mail_change(self, customer_id: str, request: MailChangeRequest) -> OcnCustomer:
        """Apply for a mail change (OCN-2); refused after a cancellation was accepted (OCN-4)."""
        customer = self.customers.get(customer_id)
        require(request, MailChangeRequest, field="request", rule="OCN-2", what="a request")
        self._check_open(customer)
        if customer.mail_change_status is MailChangeStatus.REQUESTED:
            msg = "a mail change is already in progress; cancel it or wait until it is processed"
            raise ValidationError(msg, field="request", rule="OCN-3")
        taken = set(customer.accounts) & set(request.new_accounts)
        if taken:
            msg = f"new_accounts {sorted(taken)} already exist"
            raise ValidationError(msg, field="new_accounts", rule="OCN-2")
        total = len(customer.accounts) + len(request.new_accounts)
        if total > MAX_MAIL_ACCOUNTS:
            msg = f"at most {MAX_MAIL_ACCOUNTS} mail accounts, and this would make {total}"
            raise ValidationError(msg, field="new_accounts", rule="OCN-1")
        unknown = set(request.virus_checks) - set(customer.accounts) - set(request.new_accounts)
        if unknown:
            msg = f"virus_checks names accounts that do not exist: {sorted(unknown)}"
            raise ValidationError(msg, field="virus_checks", rule="OCN-2")
        updated = customer._record(
            self._now(),
            "mail_change_requested",
            request.pattern.value,
            mail_change=request,
            mail_change_status=MailChangeStatus.REQUESTED,
        )
        return self._save(customer, updated)

    def cancel_mail_change(self, customer_id: str, *, actor: Actor) -> OcnCustomer:
        """Cancel the mail change while it is not processed (OCN-3)."""
        return self._mail_step(customer_id, "cancel", actor)

    def register_mail_change(self, customer_id: str, *, actor: Actor) -> OcnCustomer:
        """Register the change (the operator's): new accounts and virus checks take effect."""
        customer = self.customers.get(customer_id)
        target, request = self._fire_mail(customer, "register", actor)
        updated = customer._record(
            self._now(),
            "mail_change_register",
            mail_change_status=target,
            accounts=(*customer.accounts, *request.new_accounts),
            virus_checks=tuple(dict.fromkeys((*customer.virus_checks, *request.virus_checks))),
        )
        return self._save(customer, updated)

    def report_name_unavailable(self, customer_id: str, *, actor: Actor) -> OcnCustomer:
        """Report that a desired name is taken (the operator's): the application fails (OCN-2)."""
        return self._mail_step(customer_id, "report_unavailable", actor)

    def submit_cancellation(self, customer_id: str, request: CancellationRequest) -> OcnCustomer:
        """Submit the cancellation (廃止); it cannot be withdrawn (OCN-4)."""
        customer = self.customers.get(customer_id)
        require(request, CancellationRequest, field="request", rule="OCN-4", what="a request")
        if customer.cancellation_status is not None:
            msg = f"a cancellation was already submitted ({customer.cancellation_status.label})"
            raise ValidationError(msg, field="request", rule="OCN-4")
        updated = customer._record(
            self._now(),
            "cancellation_submitted",
            request.desired_date.isoformat(),
            cancellation=request,
            cancellation_status=CANCELLATION_LIFECYCLE.initial,
        )
        return self._save(customer, updated)

    def accept_cancellation(self, customer_id: str, *, actor: Actor) -> OcnCustomer:
        """Accept the cancellation (the operator's): mail changes are refused from now (OCN-4)."""
        return self._cancellation_step(customer_id, "accept", actor)

    def complete_cancellation(self, customer_id: str, *, actor: Actor) -> OcnCustomer:
        """Complete the cancellation (the operator's): the customer can no longer log in."""
        return self._cancellation_step(customer_id, "complete", actor)

    def _mail_step(self, customer_id: str, event: str, actor: Actor) -> OcnCustomer:
        customer = self.customers.get(customer_id)
        target, _ = self._fire_mail(customer, event, actor)
        updated = customer._record(self._now(), f"mail_change_{event}", mail_change_status=target)
        return self._save(customer, updated)

    @staticmethod
    def _fire_mail(
        customer: OcnCustomer, event: str, actor: Actor
    ) -> tuple[MailChangeStatus, MailChangeRequest]:
        if customer.mail_change_status is None or customer.mail_change is None:
            raise InvalidTransition(
                "there is no mail change application",
                state="none",
                event=event,
                lifecycle="ocn.mail_change",
                rule="OCN-3",
            )
        target = MAIL_CHANGE_LIFECYCLE.fire(customer.mail_change_status, event, actor=actor)
        return target, customer.mail_change

    def _cancellation_step(self, customer_id: str, event: str, actor: Actor) -> OcnCustomer:
        customer = self.customers.get(customer_id)
        if customer.cancellation_status is None:
            raise InvalidTransition(
                "no cancellation was submitted",
                state="none",
                event=event,
                lifecycle="ocn.cancellation",
                rule="OCN-4",
            )
        target = CANCELLATION_LIFECYCLE.fire(customer.cancellation_status, event, actor=actor)
        updated = customer._record(self._now(), f"cancellation_{event}", cancellation_status=target)
        return self._save(customer, updated)

    def _check_open(self, customer: OcnCustomer) -> None:
        status = customer.cancellation_status
        if status is CancellationStatus.ACCEPTED or status is CancellationStatus.COMPLETED:
            raise InvalidTransition(
                "the cancellation (廃止) was accepted: no change application is accepted",
                state=status.name,
                event="apply_mail_change",
                lifecycle="ocn.cancellation",
                rule="OCN-4",
            )

    def _now(self) -> datetime:
        return to_jst(self.clock.now(), field="now")

    def _save(self, loaded: OcnCustomer, updated: OcnCustomer) -> OcnCustomer:
        self.customers.save(updated, expected_version=loaded.version)
        return updated


from omakase_core.ocn import notices  # noqa: E402  # importing it registers how the events read as messages
