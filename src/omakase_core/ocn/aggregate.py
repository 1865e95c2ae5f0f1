"""The OCN customer: its mail accounts, its mail change and its cancellation (OCN-1 … OCN-4).

:class:`OcnCustomer` is an immutable value. Every command checks everything first and then
returns a new customer with its version raised and the :class:`~omakase_core.ocn.model.OcnEvent`
it recorded in ``pending_events``; a refused command raises and changes nothing. The
aggregate never calls a port: :mod:`omakase_core.ocn.service` loads, commands and saves.

Decisions (the seed leaves them open):

- OCN-2, OCN-4: the change application and the cancellation are the customer's own forms;
  another actor sending them is refused (:class:`~omakase_core.errors.PermissionDenied`).
  Cancelling a mail change is the customer's, registering it or reporting the name
  unavailable the operator's, and accepting and completing the cancellation the
  operator's: the charts of :mod:`omakase_core.ocn.machine` decide.
- OCN-4: once submitted, a cancellation cannot be withdrawn; once accepted, no mail change
  is accepted; once completed, the customer can no longer log in.
- Commands must come in time order: an ``at`` before the customer's last change is refused.
- SEC-2: every ``actor`` must be an :class:`~omakase_core.lifecycle.Actor` member (the string
  ``"customer"`` is refused), and a customer is validated on construction: its id, its 1 to
  4 accounts (OCN-1), virus checks only on its accounts, statuses that are members of their
  own enums, and an aware ``updated_at``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from omakase_core._validation import require
from omakase_core._values import command_instant, with_event, without_events
from omakase_core.calendar import to_jst
from omakase_core.calendar._jst import check_int
from omakase_core.codec import stored
from omakase_core.errors import InvalidTransition, PermissionDenied, ValidationError
from omakase_core.lifecycle import Actor
from omakase_core.ocn.machine import CANCELLATION_LIFECYCLE, MAIL_CHANGE_LIFECYCLE
from omakase_core.ocn.model import (
    CancellationRequest,
    CancellationStatus,
    MailChangeRequest,
    MailChangeStatus,
    OcnEvent,
)
from omakase_core.ocn.rules import (
    MAX_MAIL_ACCOUNTS,
    check_local_parts,
    check_mail_change_fits,
    mail_monthly_fee,
)
from omakase_core.principal import check_id

__all__ = ["OcnCustomer"]


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


@stored("ocn.OcnCustomer")
@attrs.frozen(kw_only=True)
class OcnCustomer:
    """An OCN customer's mail accounts, pending mail change and cancellation (OCN-1 … OCN-4).

    ``id`` is the OCN customer id: a customer principal with that id owns it (SEC-1).
    """

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

    def __attrs_post_init__(self) -> None:
        check_id(self.id, field="id")
        accounts = check_local_parts(self.accounts, field="accounts")
        if not 1 <= len(accounts) <= MAX_MAIL_ACCOUNTS:
            msg = f"accounts must hold 1 to {MAX_MAIL_ACCOUNTS} mail accounts, not {len(accounts)}"
            raise ValidationError(msg, field="accounts", rule="OCN-1")
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
        if check_int(self.version, "version") < 0:
            raise ValidationError("version must not be negative", field="version", rule="PORT-2")
        to_jst(self.updated_at, field="updated_at")
        events: object = self.pending_events  # callers are not always type-checked
        if not isinstance(events, tuple) or not all(isinstance(e, OcnEvent) for e in events):
            msg = "pending_events must be a tuple of OcnEvent"
            raise ValidationError(msg, field="pending_events", rule="PORT-3")

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

    # -- mail changes (OCN-2, OCN-3) -----------------------------------------------------------

    def apply_mail_change(
        self, request: MailChangeRequest, *, actor: Actor, at: datetime
    ) -> OcnCustomer:
        """Apply for a mail change, the customer's form (OCN-2).

        Refused while another change is in progress (OCN-3), once a cancellation was
        accepted (OCN-4), and when the change does not fit the accounts (OCN-1, OCN-2).
        """
        self._check_customer(actor, "apply_mail_change", rule="OCN-2")
        require(request, MailChangeRequest, field="request", rule="OCN-2", what="a request")
        self._check_open()
        if self.mail_change_status is MailChangeStatus.REQUESTED:
            msg = "a mail change is already in progress; cancel it or wait until it is processed"
            raise ValidationError(msg, field="request", rule="OCN-3")
        check_mail_change_fits(
            accounts=self.accounts,
            new_accounts=request.new_accounts,
            virus_checks=request.virus_checks,
        )
        return self._record(
            at,
            "mail_change_requested",
            request.pattern.value,
            mail_change=request,
            mail_change_status=MailChangeStatus.REQUESTED,
        )

    def cancel_mail_change(self, *, actor: Actor, at: datetime) -> OcnCustomer:
        """Cancel the mail change while it is not processed, the customer's step (OCN-3)."""
        target, _ = self._fire_mail("cancel", actor)
        return self._record(at, "mail_change_cancel", mail_change_status=target)

    def register_mail_change(self, *, actor: Actor, at: datetime) -> OcnCustomer:
        """Register the change (the operator's): new accounts and virus checks take effect."""
        target, request = self._fire_mail("register", actor)
        return self._record(
            at,
            "mail_change_register",
            mail_change_status=target,
            accounts=(*self.accounts, *request.new_accounts),
            virus_checks=tuple(dict.fromkeys((*self.virus_checks, *request.virus_checks))),
        )

    def report_name_unavailable(self, *, actor: Actor, at: datetime) -> OcnCustomer:
        """Report that a desired name is taken (the operator's): the application fails (OCN-2)."""
        target, _ = self._fire_mail("report_unavailable", actor)
        return self._record(at, "mail_change_report_unavailable", mail_change_status=target)

    # -- cancellation (OCN-4) ------------------------------------------------------------------

    def submit_cancellation(
        self, request: CancellationRequest, *, actor: Actor, at: datetime
    ) -> OcnCustomer:
        """Submit the cancellation (廃止), the customer's form; it cannot be withdrawn (OCN-4)."""
        self._check_customer(actor, "submit_cancellation", rule="OCN-4")
        require(request, CancellationRequest, field="request", rule="OCN-4", what="a request")
        if self.cancellation_status is not None:
            msg = f"a cancellation was already submitted ({self.cancellation_status.label})"
            raise ValidationError(msg, field="request", rule="OCN-4")
        return self._record(
            at,
            "cancellation_submitted",
            request.desired_date.isoformat(),
            cancellation=request,
            cancellation_status=CANCELLATION_LIFECYCLE.initial,
        )

    def accept_cancellation(self, *, actor: Actor, at: datetime) -> OcnCustomer:
        """Accept the cancellation (the operator's): mail changes are refused from now (OCN-4)."""
        return self._cancellation_step("accept", actor, at)

    def complete_cancellation(self, *, actor: Actor, at: datetime) -> OcnCustomer:
        """Complete the cancellation (the operator's): the customer can no longer log in."""
        return self._cancellation_step("complete", actor, at)

    # -- helpers -------------------------------------------------------------------------------

    def _check_customer(self, actor: object, event: str, *, rule: str) -> None:
        checked = _check_actor(actor)
        if checked is not Actor.CUSTOMER:
            msg = f"{event} is the customer's form; {checked!s} may not send it"
            raise PermissionDenied(msg, actor=str(checked), event=event, rule=rule)

    def _check_open(self) -> None:
        status = self.cancellation_status
        if status is CancellationStatus.ACCEPTED or status is CancellationStatus.COMPLETED:
            raise InvalidTransition(
                "the cancellation (廃止) was accepted: no change application is accepted",
                state=status.name,
                event="apply_mail_change",
                lifecycle="ocn.cancellation",
                rule="OCN-4",
            )

    def _fire_mail(self, event: str, actor: object) -> tuple[MailChangeStatus, MailChangeRequest]:
        checked = _check_actor(actor)
        if self.mail_change_status is None or self.mail_change is None:
            raise InvalidTransition(
                "there is no mail change application",
                state="none",
                event=event,
                lifecycle="ocn.mail_change",
                rule="OCN-3",
            )
        target = MAIL_CHANGE_LIFECYCLE.fire(self.mail_change_status, event, actor=checked)
        return target, self.mail_change

    def _cancellation_step(self, event: str, actor: object, at: datetime) -> OcnCustomer:
        checked = _check_actor(actor)
        if self.cancellation_status is None:
            raise InvalidTransition(
                "no cancellation was submitted",
                state="none",
                event=event,
                lifecycle="ocn.cancellation",
                rule="OCN-4",
            )
        target = CANCELLATION_LIFECYCLE.fire(self.cancellation_status, event, actor=checked)
        return self._record(at, f"cancellation_{event}", cancellation_status=target)

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
