"""The OCN line: its mail accounts, its mail change and its cancellation (OCN-1 … OCN-5).

:class:`OcnCustomer` is an immutable value. Every command checks everything first and then
returns a new line with its version raised and the :class:`~omakase_core.ocn.model.OcnEvent`
it recorded in ``pending_events``; a refused command raises and changes nothing. The
aggregate never calls a port: :mod:`omakase_core.ocn.service` loads, commands and saves (and
hands the mail password to the hasher: the line only ever holds its hash).

Decisions (the seed leaves them open):

- OCN-2, OCN-4: the change application and the cancellation are the customer's own forms;
  another actor sending them is refused (:class:`~omakase_core.errors.PermissionDenied`).
  Cancelling a mail change is the customer's, registering it or reporting the name
  unavailable the operator's, and completing the cancellation the operator's: the charts of
  :mod:`omakase_core.ocn.machine` decide.
- OCN-2: the accounts are local parts, the basic account first; a rename keeps the
  account's place (so a renamed basic account is still the basic one) and, in the
  account-only pattern, its virus check; an addition comes last. ``hosts`` holds the host
  part of each account in the same order, ``None`` where it was never recorded (lines
  stored by release 0.1); the operator records the new host when registering an addition
  or a rename, and the host of a renamed account is the new one. The ticked addresses of
  the confirmation mail (OCN-5) must be the line's accounts with a recorded host.
- OCN-2: a virus check switched to what it already is (on when on, off when off) changes
  nothing and is refused; a name is unavailable only for an addition or a rename.
- OCN-2: the mail password's hash is kept while the application is pending (the operator
  sets the mailbox up from it) and dropped when it ends, whatever the outcome.
- OCN-4: the submission is the acceptance (「廃止受付完了」). From then on no change is
  applied for, and a pending one can never be registered: the submission ends it (取消, the
  customer's own step, recorded in the same event), so nothing lingers in 申込中. A pending
  change of an accepted line (only data stored by 0.1 holds one) may still be cancelled by
  the customer, which changes no account, but not registered nor reported unavailable.
  After completion every command is refused (OCN-4), the fee is 0 and login is refused.
- OCN-4: the desired date is not before the JST day of the submission (CAL-1).
- Commands must come in time order: an ``at`` before the line's last change is refused.
- SEC-2: every ``actor`` must be an :class:`~omakase_core.lifecycle.Actor` member (the string
  ``"customer"`` is refused), and a line is validated on construction: its id, its 1 to 4
  accounts (OCN-1), one host or ``None`` per account, virus checks only on its accounts, a
  pending mail change the line can take, a password hash only with a pending addition or
  rename, statuses that are members of their own enums, and an aware ``updated_at``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

import attrs

from omakase_core._validation import require
from omakase_core._values import command_instant, with_event, without_events
from omakase_core.calendar import to_jst
from omakase_core.calendar._jst import check_int
from omakase_core.codec import register_upcaster, stored
from omakase_core.errors import InvalidTransition, PermissionDenied, ValidationError, excerpt
from omakase_core.lifecycle import Actor
from omakase_core.ocn.machine import CANCELLATION_LIFECYCLE, MAIL_CHANGE_LIFECYCLE
from omakase_core.ocn.model import (
    AccountAction,
    CancellationRequest,
    CancellationStatus,
    CancellationSubmitted,
    MailChangeApplied,
    MailChangePattern,
    MailChangeRequest,
    MailChangeStatus,
    OcnEvent,
    VirusCheck,
)
from omakase_core.ocn.rules import (
    MAX_MAIL_ACCOUNTS,
    check_host,
    check_local_parts,
    mail_monthly_fee,
)
from omakase_core.principal import check_id

__all__ = ["OcnCustomer"]

_MAX_HASH: Final = 1024
"""The longest password hash kept: what any hasher writes, with room to spare."""
_NOT_APPLIED: Final = "未申込"
"""How a refusal shows the status ``none``: no such application was made (OCN-3, OCN-4)."""


def _check_actor(actor: object) -> Actor:
    return require(actor, Actor, field="actor", rule="SEC-2", what="an Actor member")


def _check_pair(
    request: object, status: object, types: tuple[type, type], *, field: str, rule: str
) -> None:
    """Refuse a request without its status (or the reverse) and values of the wrong type.

    The error names the one that is missing: a status without its request names the request.
    """
    request_type, status_type = types
    if request is not None:
        require(request, request_type, field=field, rule=rule, what=f"a {request_type.__name__}")
    if status is not None:
        require(
            status, status_type, field=f"{field}_status", rule="SEC-2", what=status_type.__name__
        )
    if (request is None) != (status is None):
        missing = field if request is None else f"{field}_status"
        msg = f"{field} and {field}_status are given together or not at all"
        raise ValidationError(msg, field=missing, rule=rule)


def _check_hosts(value: object, count: int) -> tuple[str | None, ...]:
    """Return ``value``: one host (or ``None``, not recorded) per account (OCN-2)."""
    if not isinstance(value, tuple) or len(value) != count:
        shown = f"{len(value)} items" if isinstance(value, tuple) else type(value).__name__
        msg = f"hosts must be a tuple of one host (or None) per account, {count}, not {shown}"
        raise ValidationError(msg, field="hosts", rule="OCN-2")
    items: tuple[object, ...] = value
    return tuple(None if item is None else check_host(item, field="hosts") for item in items)


def _no_hosts(line: OcnCustomer) -> tuple[None, ...]:
    """Return the default ``hosts``: none recorded, one ``None`` per account."""
    accounts: object = line.accounts  # checked after the defaults are set
    return (None,) * len(accounts) if isinstance(accounts, tuple) else ()


@attrs.frozen
class _Plan:
    """The line's accounts, virus checks and hosts once a change is registered (OCN-2)."""

    accounts: tuple[str, ...]
    virus_checks: tuple[str, ...]
    hosts: tuple[str | None, ...]
    name: str | None
    """The account added or renamed (its host is assigned on registration), or None."""


@stored("ocn.OcnCustomer", version=2)
@attrs.frozen(kw_only=True)
class OcnCustomer:
    """An OCN line (OCN-1 … OCN-4): its mail accounts, pending mail change and cancellation.

    ``id`` is the OCN customer id: a customer principal with that id owns it (SEC-1).
    ``accounts`` are the local parts, the basic account first; ``hosts`` their host parts
    (``None``: not recorded); ``virus_checks`` the accounts whose virus check is on.
    ``mail_password_hash`` is the hasher's output for the pending addition's or rename's
    password (never the password; hidden from ``repr``).
    """

    id: str
    accounts: tuple[str, ...]
    virus_checks: tuple[str, ...] = ()
    hosts: tuple[str | None, ...] = attrs.field(default=attrs.Factory(_no_hosts, takes_self=True))
    mail_change: MailChangeRequest | None = None
    mail_change_status: MailChangeStatus | None = None
    mail_password_hash: str | None = attrs.field(default=None, repr=False)
    cancellation: CancellationRequest | None = None
    cancellation_status: CancellationStatus | None = None
    version: int = 0
    updated_at: datetime
    pending_events: tuple[OcnEvent, ...] = ()

    def __attrs_post_init__(self) -> None:
        check_id(self.id, field="id")
        accounts = check_local_parts(self.accounts, field="accounts")
        if not 1 <= len(accounts) <= MAX_MAIL_ACCOUNTS:
            msg = f"accounts must hold 1 to {MAX_MAIL_ACCOUNTS} mail accounts, not {len(accounts)}"
            raise ValidationError(msg, field="accounts", rule="OCN-1")
        _check_hosts(self.hosts, len(accounts))
        checks = check_local_parts(self.virus_checks, field="virus_checks")
        if not set(checks) <= set(accounts):
            msg = "virus_checks may only name the customer's accounts"
            raise ValidationError(msg, field="virus_checks", rule="OCN-2")
        _check_pair(
            self.mail_change,
            self.mail_change_status,
            (MailChangeRequest, MailChangeStatus),
            field="mail_change",
            rule="OCN-2",
        )
        _check_pair(
            self.cancellation,
            self.cancellation_status,
            (CancellationRequest, CancellationStatus),
            field="cancellation",
            rule="OCN-4",
        )
        self._check_pending_change()
        self._check_password_hash(self.mail_password_hash)
        if check_int(self.version, "version") < 0:
            raise ValidationError("version must not be negative", field="version", rule="PORT-2")
        to_jst(self.updated_at, field="updated_at")
        events: object = self.pending_events  # callers are not always type-checked
        if not isinstance(events, tuple) or not all(isinstance(e, OcnEvent) for e in events):
            msg = "pending_events must be a tuple of OcnEvent"
            raise ValidationError(msg, field="pending_events", rule="PORT-3")

    def _check_pending_change(self) -> None:
        """Refuse a pending mail change that the line could not take (OCN-1, OCN-2)."""
        request = self.mail_change
        if self.mail_change_status is not MailChangeStatus.REQUESTED or request is None:
            return
        try:
            self._plan(request)
        except ValidationError as error:
            msg = f"mail_change is pending but does not fit the line: {error.message}"
            raise ValidationError(msg, field="mail_change", rule=error.rule) from None

    def _check_password_hash(self, value: object) -> None:
        """Refuse a hash of the wrong kind, or one without a pending addition or rename."""
        if value is None:
            return
        if not isinstance(value, str) or not 0 < len(value) <= _MAX_HASH:
            msg = f"mail_password_hash must be the hasher's non-empty text of at most {_MAX_HASH}"
            raise ValidationError(msg, field="mail_password_hash", rule="OCN-2")
        if not self._pending_new_name:
            msg = "mail_password_hash belongs to a pending addition or rename only"
            raise ValidationError(msg, field="mail_password_hash", rule="OCN-2")

    @property
    def _pending_new_name(self) -> bool:
        request = self.mail_change
        return (
            self.mail_change_status is MailChangeStatus.REQUESTED
            and request is not None
            and request.names_new_account
        )

    # -- what the line shows (OCN-1, OCN-4) ------------------------------------------------------

    @property
    def basic_account(self) -> str:
        """Return the basic account (基本メールアドレス): the first, never deleted (OCN-2)."""
        return self.accounts[0]

    @property
    def addresses(self) -> tuple[str | None, ...]:
        """Return each account's mail address, ``None`` where its host is not recorded."""
        return tuple(
            None if host is None else f"{name}@{host}"
            for name, host in zip(self.accounts, self.hosts, strict=True)
        )

    @property
    def is_closed(self) -> bool:
        """Return whether the cancellation (廃止) is complete: nothing changes the line (OCN-4)."""
        return self.cancellation_status is CancellationStatus.COMPLETED

    @property
    def monthly_fee(self) -> int:
        """Return the mail fee in yen, tax excluded, of the registered plan; 0 once closed.

        OCN-1: the fee of the plan the registered changes left (a rename keeps the count, a
        deletion lowers it, a virus check switched off takes ¥200 off); OCN-4: 0 once the
        cancellation is complete.
        """
        return self._fee(tax_included=False)

    @property
    def monthly_fee_tax_included(self) -> int:
        """Return :attr:`monthly_fee` with 10% consumption tax, rounded down (OCN-1)."""
        return self._fee(tax_included=True)

    def _fee(self, *, tax_included: bool) -> int:
        if self.is_closed:
            return 0
        return mail_monthly_fee(
            accounts=len(self.accounts),
            virus_checks=len(self.virus_checks),
            tax_included=tax_included,
        )

    @property
    def can_log_in(self) -> bool:
        """Return whether the customer may still log in: not once closed (OCN-4)."""
        return not self.is_closed

    def saved(self) -> OcnCustomer:
        """Return the line as stored, without pending events."""
        return without_events(self)

    # -- mail changes (OCN-2, OCN-3, OCN-5) -------------------------------------------------------

    def apply_mail_change(
        self,
        request: MailChangeRequest,
        *,
        actor: Actor,
        at: datetime,
        password_hash: str | None = None,
    ) -> OcnCustomer:
        """Apply for a mail change, the customer's form (OCN-2), confirmed by mail (OCN-5).

        ``password_hash`` is the hasher's output for the new or renamed account's mail
        password: required for an addition or a rename, refused otherwise. Refused while
        another change is in progress (OCN-3), once a cancellation was submitted (OCN-4),
        and when the change does not fit the line (OCN-1, OCN-2). The event carries the
        ticked addresses and the fee the change leaves.
        """
        plan, recipients = self._checked_change(request, actor)
        hashed = self._password_hash(password_hash, request)
        instant = self._instant(at)
        row = None if request.account is None else self.accounts.index(request.account)
        fees = {
            "monthly_fee": mail_monthly_fee(
                accounts=len(plan.accounts), virus_checks=len(plan.virus_checks)
            ),
            "monthly_fee_tax_included": mail_monthly_fee(
                accounts=len(plan.accounts),
                virus_checks=len(plan.virus_checks),
                tax_included=True,
            ),
        }
        event = MailChangeApplied(
            aggregate_id=self.id,
            version=self.version + 1,
            occurred_at=instant,
            event="mail_change_requested",
            detail=request.pattern.value,
            request=request,
            recipients=recipients,
            account_address=None if row is None else self.addresses[row],
            had_virus_check=request.account in self.virus_checks,
            **fees,
        )
        return with_event(
            self,
            event,
            mail_change=request,
            mail_change_status=MailChangeStatus.REQUESTED,
            mail_password_hash=hashed,
        )

    def check_mail_change(self, request: MailChangeRequest, *, actor: Actor) -> None:
        """Refuse what :meth:`apply_mail_change` refuses, but the password hash (OCN-2 … OCN-4).

        The service calls it before a password is checked and handed to the hasher, so that
        a change the line refuses never reaches the hasher.
        """
        self._checked_change(request, actor)

    def _checked_change(self, request: object, actor: object) -> tuple[_Plan, tuple[str, ...]]:
        """Return the plan ``request`` leaves and its confirmation's addresses, or refuse it."""
        self._check_customer(actor, "apply_mail_change", rule="OCN-2")
        checked = require(
            request, MailChangeRequest, field="request", rule="OCN-2", what="a request"
        )
        self._check_open("apply_mail_change")
        if self.mail_change_status is MailChangeStatus.REQUESTED:
            msg = "a mail change is already in progress; cancel it or wait until it is processed"
            raise ValidationError(msg, field="request", rule="OCN-3")
        return self._plan(checked), self._recipients(checked.notify)

    def cancel_mail_change(self, *, actor: Actor, at: datetime) -> OcnCustomer:
        """Cancel the mail change while it is not processed, the customer's step (OCN-3).

        Refused once the line is closed (OCN-4); allowed on an accepted line, since it
        changes no account.
        """
        _check_actor(actor)
        self._check_not_closed("cancel_mail_change")
        target, _ = self._fire_mail("cancel", actor)
        return self._record(
            at, "mail_change_cancel", mail_change_status=target, mail_password_hash=None
        )

    def register_mail_change(
        self, *, actor: Actor, at: datetime, host: str | None = None
    ) -> OcnCustomer:
        """Register the change (the operator's): the line takes the plan it leaves (OCN-1, OCN-2).

        ``host`` is the host part the operator assigned to the added or renamed account
        (``dune.ocn.ne.jp``): required for those, refused for a deletion or a virus check.
        Refused once a cancellation was submitted (OCN-4).
        """
        _check_actor(actor)
        self._check_open("register_mail_change")
        target, request = self._fire_mail("register", actor)
        plan = self._plan(request)
        hosts = plan.hosts
        detail = ""
        if plan.name is not None:
            assigned = check_host(host)
            hosts = tuple(
                assigned if n == plan.name else h for n, h in zip(plan.accounts, hosts, strict=True)
            )
            detail = f"{plan.name}@{assigned}"
        elif host is not None:
            msg = f"host is assigned only to an added or renamed account, not for {excerpt(host)}"
            raise ValidationError(msg, field="host", rule="OCN-2")
        return self._record(
            at,
            "mail_change_register",
            detail,
            mail_change_status=target,
            accounts=plan.accounts,
            virus_checks=plan.virus_checks,
            hosts=hosts,
            mail_password_hash=None,
        )

    def report_name_unavailable(self, *, actor: Actor, at: datetime) -> OcnCustomer:
        """Report that a desired name is taken (the operator's): the application fails (OCN-2).

        Only an addition or a rename has a desired name; refused once a cancellation was
        submitted (OCN-4).
        """
        _check_actor(actor)
        self._check_open("report_name_unavailable")
        target, request = self._fire_mail("report_unavailable", actor)
        if not request.names_new_account:
            raise InvalidTransition(
                "only an addition or a rename has a desired name that can be unavailable",
                state=MailChangeStatus.REQUESTED.name,
                event="report_unavailable",
                lifecycle=MAIL_CHANGE_LIFECYCLE.name,
                rule="OCN-2",
                state_label=MailChangeStatus.REQUESTED.label,
                reason="no_desired_name",
            )
        return self._record(
            at,
            "mail_change_report_unavailable",
            mail_change_status=target,
            mail_password_hash=None,
        )

    # -- cancellation (OCN-4, OCN-5) --------------------------------------------------------------

    def submit_cancellation(
        self, request: CancellationRequest, *, actor: Actor, at: datetime
    ) -> OcnCustomer:
        """Submit the cancellation (廃止), the customer's form: it is accepted at once (OCN-4).

        It cannot be withdrawn; the desired date is not before the JST day of ``at``; a
        pending mail change ends with it (取消). The 受付完了 notice goes to the contact
        e-mail (OCN-5).
        """
        self._check_customer(actor, "submit_cancellation", rule="OCN-4")
        require(request, CancellationRequest, field="request", rule="OCN-4", what="a request")
        self._check_not_closed("submit_cancellation")
        if self.cancellation_status is not None:
            msg = f"a cancellation was already submitted ({self.cancellation_status.label})"
            raise ValidationError(msg, field="request", rule="OCN-4")
        instant = self._instant(at)
        if request.desired_date < instant.date():
            msg = (
                f"desired_date {request.desired_date.isoformat()} is before the day of the "
                f"submission, {instant.date().isoformat()} (JST)"
            )
            raise ValidationError(msg, field="desired_date", rule="OCN-4")
        changes: dict[str, Any] = {
            "cancellation": request,
            "cancellation_status": CANCELLATION_LIFECYCLE.initial,
        }
        pending = self.mail_change_status is MailChangeStatus.REQUESTED
        if pending:
            changes["mail_change_status"] = MAIL_CHANGE_LIFECYCLE.fire(
                MailChangeStatus.REQUESTED, "cancel", actor=Actor.CUSTOMER
            )
            changes["mail_password_hash"] = None
        event = CancellationSubmitted(
            aggregate_id=self.id,
            version=self.version + 1,
            occurred_at=instant,
            event="cancellation_submitted",
            detail=request.desired_date.isoformat(),
            contact_name=request.contact_name,
            contact_email=request.email,
            desired_date=request.desired_date,
            withdrew_mail_change=pending,
        )
        return with_event(self, event, **changes)

    def complete_cancellation(self, *, actor: Actor, at: datetime) -> OcnCustomer:
        """Complete the cancellation (the operator's): the line is closed (OCN-4).

        From then on no command changes it, the customer can no longer log in and the fee
        is 0.
        """
        checked = _check_actor(actor)
        self._check_not_closed("complete_cancellation")
        if self.cancellation_status is None:
            raise InvalidTransition(
                "no cancellation was submitted",
                state="none",
                event="complete",
                lifecycle=CANCELLATION_LIFECYCLE.name,
                rule="OCN-4",
                state_label=_NOT_APPLIED,
                reason="no_cancellation",
            )
        target = CANCELLATION_LIFECYCLE.fire(self.cancellation_status, "complete", actor=checked)
        return self._record(at, "cancellation_complete", cancellation_status=target)

    # -- helpers ---------------------------------------------------------------------------------

    def _check_customer(self, actor: object, event: str, *, rule: str) -> None:
        checked = _check_actor(actor)
        if checked is not Actor.CUSTOMER:
            msg = f"{event} is the customer's form; {checked!s} may not send it"
            raise PermissionDenied(msg, actor=str(checked), event=event, rule=rule)

    def _check_not_closed(self, event: str) -> None:
        """Refuse every command once the cancellation is complete (OCN-4)."""
        if self.cancellation_status is CancellationStatus.COMPLETED:
            raise InvalidTransition(
                "the cancellation (廃止) is complete: the line is closed and nothing changes it",
                state=CancellationStatus.COMPLETED.name,
                event=event,
                lifecycle=CANCELLATION_LIFECYCLE.name,
                rule="OCN-4",
                state_label=CancellationStatus.COMPLETED.label,
                reason="line_closed",
            )

    def _check_open(self, event: str) -> None:
        """Refuse a mail change step that changes the line once 廃止 was accepted (OCN-4)."""
        self._check_not_closed(event)
        status = self.cancellation_status
        if status is not None:
            raise InvalidTransition(
                "the cancellation (廃止受付完了) was submitted: no mail change is accepted "
                "or registered any more",
                state=status.name,
                event=event,
                lifecycle=CANCELLATION_LIFECYCLE.name,
                rule="OCN-4",
                state_label=status.label,
                reason="cancellation_submitted",
            )

    def _fire_mail(self, event: str, actor: object) -> tuple[MailChangeStatus, MailChangeRequest]:
        checked = _check_actor(actor)
        if self.mail_change_status is None or self.mail_change is None:
            raise InvalidTransition(
                "there is no mail change application",
                state="none",
                event=event,
                lifecycle=MAIL_CHANGE_LIFECYCLE.name,
                rule="OCN-3",
                state_label=_NOT_APPLIED,
                reason="no_mail_change",
            )
        target = MAIL_CHANGE_LIFECYCLE.fire(self.mail_change_status, event, actor=checked)
        return target, self.mail_change

    def _plan(self, request: MailChangeRequest) -> _Plan:
        """Return the line once ``request`` is registered; refuse what does not fit (OCN-2)."""
        accounts, checks, hosts = list(self.accounts), list(self.virus_checks), list(self.hosts)
        action, account, name = request.action, request.account, request.new_name
        if account is not None and account not in accounts:
            msg = f"account {account!r} is not one of the line's accounts"
            raise ValidationError(msg, field="account", rule="OCN-2")
        if name is not None and name in accounts:
            msg = f"new_name {name!r} is already one of the line's accounts"
            raise ValidationError(msg, field="new_name", rule="OCN-2")
        if action is AccountAction.ADD and name is not None:
            if len(accounts) >= MAX_MAIL_ACCOUNTS:
                msg = f"at most {MAX_MAIL_ACCOUNTS} mail accounts: this line has them all"
                raise ValidationError(msg, field="new_name", rule="OCN-1")
            accounts.append(name)
            hosts.append(None)
        elif action is AccountAction.RENAME and account is not None and name is not None:
            row = accounts.index(account)
            accounts[row], hosts[row] = name, None
            checks = [name if check == account else check for check in checks]
        elif action is AccountAction.DELETE and account is not None:
            if account == self.basic_account:
                msg = f"account {account!r} is the basic account, which is never deleted"
                raise ValidationError(msg, field="account", rule="OCN-2")
            row = accounts.index(account)
            del accounts[row], hosts[row]
            checks = [check for check in checks if check != account]
        checked = name if request.pattern is MailChangePattern.ACCOUNT_AND_VIRUS_CHECK else account
        if request.virus_check is not None and checked is not None:
            checks = self._switched(checks, checked, request)
        return _Plan(tuple(accounts), tuple(checks), tuple(hosts), name)

    @staticmethod
    def _switched(checks: list[str], account: str, request: MailChangeRequest) -> list[str]:
        """Return ``checks`` with ``account``'s virus check switched as ``request`` asks."""
        on = request.virus_check is VirusCheck.USE
        if request.pattern is MailChangePattern.VIRUS_CHECK_ONLY and (account in checks) is on:
            state = "on" if on else "off"
            msg = f"the virus check of {account!r} is already {state}: the change changes nothing"
            raise ValidationError(msg, field="virus_check", rule="OCN-2")
        kept = [check for check in checks if check != account]
        return [*kept, account] if on else kept

    def _recipients(self, notify: tuple[str, ...]) -> tuple[str, ...]:
        """Return the addresses of the ticked accounts (OCN-5); each must have one (OCN-2)."""
        found = []
        for name in notify:
            if name not in self.accounts:
                msg = f"notify names {name!r}, which is not one of the line's accounts"
                raise ValidationError(msg, field="notify", rule="OCN-2")
            address = self.addresses[self.accounts.index(name)]
            if address is None:
                msg = f"notify names {name!r}, whose address (host) is not recorded"
                raise ValidationError(msg, field="notify", rule="OCN-2")
            found.append(address)
        return tuple(found)

    @staticmethod
    def _password_hash(value: object, request: MailChangeRequest) -> str | None:
        """Return the new account's password hash; required exactly for a new name (OCN-2)."""
        if not request.names_new_account:
            if value is not None:
                msg = "password_hash goes only with an added or renamed account"
                raise ValidationError(msg, field="password_hash", rule="OCN-2")
            return None
        if not isinstance(value, str) or not 0 < len(value) <= _MAX_HASH:
            msg = (
                "password_hash is needed for an added or renamed account: the hasher's "
                f"non-empty text of at most {_MAX_HASH} characters"
            )
            raise ValidationError(msg, field="password_hash", rule="OCN-2")
        return value

    def _instant(self, at: datetime) -> datetime:
        return command_instant(at, self.updated_at, what="line")

    def _record(self, at: datetime, event: str, detail: str = "", **changes: Any) -> OcnCustomer:
        recorded = OcnEvent(
            aggregate_id=self.id,
            version=self.version + 1,
            occurred_at=self._instant(at),
            event=event,
            detail=detail,
        )
        return with_event(self, recorded, **changes)


# -- stored data of release 0.1 (PORT-7) ----------------------------------------------------------

_RENAMED_STATUS: Final = {"submitted": "accepted"}
"""0.1's 申込済 and 受付済 are both 廃止受付完了 under the amended OCN-4."""


def _schema_1_change(change: dict[str, Any]) -> dict[str, Any] | None:
    """Return 0.1's application as one change of the amended OCN-2, or None if it is not one.

    0.1 added accounts (``new_accounts``) and switched virus checks on (``virus_checks``);
    an addition of one account, with or without its own virus check, and one virus check
    alone are one change each. 0.1's form had no consent box: applying for a virus check
    was taken as consent.
    """
    added, checked = change.get("new_accounts"), change.get("virus_checks")
    if not isinstance(added, list) or not isinstance(checked, list):
        return None
    if len(added) == 1 and checked in ([], added):
        pattern = "account_only" if not checked else "account_and_virus_check"
        fields: dict[str, Any] = {"action": "add", "new_name": added[0]}
    elif not added and len(checked) == 1:
        pattern, fields = "virus_check_only", {"account": checked[0]}
    else:
        return None
    if checked:
        fields.update(virus_check="use", virus_check_consent=True)
    return {"pattern": pattern, **fields}


def _schema_1_line(data: dict[str, Any]) -> dict[str, Any]:
    """Bring a line stored by release 0.1 (schema 1) to schema 2 (OCN-2, OCN-4, PORT-7).

    The cancellation's 申込済 becomes 廃止受付完了. A mail change of one account becomes
    that change; one of several accounts that was processed is history the accounts already
    show, and is dropped with its status; a pending one is passed on as it is, for decoding
    to refuse by field (0.1 must process it before the upgrade). ``hosts`` and
    ``mail_password_hash`` are new, and default to none recorded. Data of another shape is
    passed on for decoding to refuse by field.
    """
    upcast = dict(data)
    status = upcast.get("cancellation_status")
    if isinstance(status, str):
        upcast["cancellation_status"] = _RENAMED_STATUS.get(status, status)
    change = upcast.get("mail_change")
    if isinstance(change, dict):
        converted = _schema_1_change(change)
        if converted is not None:
            upcast["mail_change"] = converted
        elif upcast.get("mail_change_status") != MailChangeStatus.REQUESTED.value:
            upcast["mail_change"] = upcast["mail_change_status"] = None
    return upcast


register_upcaster("ocn.OcnCustomer", 1, _schema_1_line)
