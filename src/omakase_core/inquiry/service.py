"""Fault inquiries over the ports, for a principal (INQ-1 … INQ-3, ACC-3, SEC-1 … SEC-3).

Every command and look-up takes ``by``, the :class:`~omakase_core.principal.Principal`
acting, and runs in one order: the principal (a customer-side one with its role), the
inquiry id, the stored inquiry, its owner (a customer principal sees only its own tenant's
inquiries: another tenant's answers exactly as an absent one, SEC-1), the version the screen
showed (``expected_version``, SEC-3); only then the clock is read and the aggregate's command
runs with ``by.actor``, and the result is saved at the version loaded. A refused command
raises before anything is written.

Decisions (the rulebook is silent):

- SEC-1: an inquiry is opened for the tenant of ``by`` (``by.customer_id``): there is no
  customer id parameter, so no one can open an inquiry for another tenant. Only a
  customer-side principal opens one; an operator, a contractor or the system is refused.
- ACC-3, SEC-2: a customer-side principal must carry its role, an
  :class:`omakase_core.accounts.Role` member, on every inquiry command and look-up
  (sending an inquiry is in the permission matrix, for both roles); a missing role, a
  string or another enum's member is a ``ValidationError`` naming ``by``, never assumed.
  Operators answer; the chart decides who takes each step (``by.actor``).
- :meth:`InquiryService.open` creates the inquiry: it takes no ``expected_version`` (a new
  inquiry has no version any screen showed). An id already taken is one
  ``ValidationError`` naming ``inquiry_id`` (SEC-1, :func:`~omakase_core.principal.add_new`),
  the same whoever holds it, never a ``ConcurrencyConflict`` giving the stored version away.
- An absent or foreign inquiry is ``NotFound(kind="inquiry")`` whatever the repository
  adapter calls its aggregates, so the two cannot be told apart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import attrs

from omakase_core._validation import port_validator
from omakase_core.accounts.model import Action, Role
from omakase_core.accounts.rules import require
from omakase_core.calendar import to_jst
from omakase_core.errors import PermissionDenied, ValidationError
from omakase_core.inquiry.aggregate import Inquiry
from omakase_core.inquiry.ports import InquiryRepository  # attrs fields
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
    from collections.abc import Callable
    from datetime import datetime

    from omakase_core.inquiry.model import Attachment
    from omakase_core.lifecycle import Actor

__all__ = ["InquiryService"]

KIND: Final = "inquiry"
"""What :class:`~omakase_core.errors.NotFound` calls an inquiry."""


def _owner(inquiry: Inquiry) -> str:
    return inquiry.customer_id


def _principal(by: object) -> Principal:
    """Return ``by``, a principal; a customer-side one must hold a role that may send (ACC-3)."""
    principal = check_principal(by)
    if principal.kind is PrincipalKind.CUSTOMER:
        role = principal.role
        if not isinstance(role, Role):
            shown = "no role" if role is None else type(role).__name__
            msg = (
                "by.role must be an accounts Role (管理者 or ユーザ) for a customer-side user "
                f"sending inquiries, not {shown}"
            )
            raise ValidationError(msg, field="by", rule="SEC-2")
        require(role, Action.SEND_INQUIRY)
    return principal


@attrs.frozen(kw_only=True)
class InquiryService:
    """Fault inquiries over a repository and a clock (INQ-1 … INQ-3, ACC-3, SEC-1 … SEC-3)."""

    inquiries: InquiryRepository = attrs.field(
        validator=port_validator("an InquiryRepository", "get", "add", "save")
    )
    clock: Clock = attrs.field(validator=port_validator("a Clock", "now"))

    def get(self, inquiry_id: str, *, by: Principal) -> Inquiry:
        """Return the stored inquiry, if ``by`` may see it (``NotFound`` otherwise, SEC-1)."""
        return self._load(inquiry_id, _principal(by), None)

    def open(  # noqa: PLR0913  # the inquiry form's fields
        self,
        inquiry_id: str,
        *,
        by: Principal,
        subject: str,
        body: str,
        contact_email: str,
        attachments: tuple[Attachment, ...] = (),
    ) -> Inquiry:
        """Send a fault inquiry for ``by``'s tenant (both roles may, ACC-3; INQ-1, INQ-2).

        Creation has no version, so there is no ``expected_version``. A taken ``inquiry_id``
        is a ``ValidationError`` naming it, alike for the tenant's own inquiries and every
        other tenant's (SEC-1): it says neither whose nor at which version.
        """
        principal = _principal(by)
        customer_id = principal.customer_id
        if customer_id is None:
            msg = f"sending an inquiry is a customer-side user's; {principal!r} may not"
            raise PermissionDenied(msg, actor=str(principal.actor), event="open", rule="SEC-1")
        identifier = check_id(inquiry_id, field="inquiry_id")
        inquiry = Inquiry.open(
            id=identifier,
            customer_id=customer_id,
            subject=subject,
            body=body,
            contact_email=contact_email,
            attachments=attachments,
            at=self._now(),
        )
        add_new(self.inquiries, inquiry, id=identifier, field="inquiry_id")
        return inquiry

    def answer(
        self, inquiry_id: str, text: str, *, by: Principal, expected_version: int | None = None
    ) -> Inquiry:
        """Answer, the operator's step (受付 → 回答済); the contact is notified (INQ-3)."""
        return self._run(
            inquiry_id,
            by,
            expected_version,
            lambda i, actor, at: i.answer(text, actor=actor, at=at),
        )

    def add_message(
        self, inquiry_id: str, text: str, *, by: Principal, expected_version: int | None = None
    ) -> Inquiry:
        """Add the customer's message (回答済 → 受付); refused once 解決済 (INQ-1)."""
        return self._run(
            inquiry_id,
            by,
            expected_version,
            lambda i, actor, at: i.add_message(text, actor=actor, at=at),
        )

    def resolve(
        self, inquiry_id: str, *, by: Principal, expected_version: int | None = None
    ) -> Inquiry:
        """Close the inquiry as 解決済, the customer's step (INQ-1); attachments purge later."""
        return self._run(
            inquiry_id, by, expected_version, lambda i, actor, at: i.resolve(actor=actor, at=at)
        )

    def _load(self, inquiry_id: object, by: Principal, expected_version: int | None) -> Inquiry:
        return load_owned(
            self.inquiries,
            inquiry_id,
            by=by,
            kind=KIND,
            expected_version=expected_version,
            customer_of=_owner,
            field="inquiry_id",
        )

    def _run(
        self,
        inquiry_id: str,
        by: object,
        expected_version: int | None,
        command: Callable[[Inquiry, Actor, datetime], Inquiry],
    ) -> Inquiry:
        principal = _principal(by)
        inquiry = self._load(inquiry_id, principal, expected_version)
        updated = command(inquiry, principal.actor, self._now())
        self.inquiries.save(updated, expected_version=inquiry.version)
        return updated

    def _now(self) -> datetime:
        return to_jst(self.clock.now(), field="now")
