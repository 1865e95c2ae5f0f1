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
- INQ-1 (amended), the contracted service, fail-closed: the tenant's contracted services
  are known through a port, :class:`~omakase_core.inquiry.ports.ContractedServices` (the
  service's ``services`` field), asked once when an inquiry is opened, for ``by``'s tenant
  only. :meth:`InquiryService.open` always requires ``service`` and always checks it against
  the port: a name the tenant has not contracted is refused (a ``ValidationError`` naming
  ``service``; names compare exactly, after trimming), and so is ``service=None``; a port
  answering anything but a collection of names is refused naming ``services``, never read
  as "any service". A service built without the port refuses every ``open`` with a
  ``ValidationError`` naming ``services`` before anything is read or written: a portal that
  forgets the port gets no inquiries, not inquiries about no service. The field stays
  optional (default ``None``) only because a service built just to sweep
  (:meth:`InquiryService.apply_due`) or to answer, follow up, resolve and read never asks
  it. Inquiries stored by 0.1 name no service; they are read as they are.
  Follow-ups are not checked again: a fault may outlive the contract it is about.
- INQ-1 (amended), INQ-2: :meth:`InquiryService.add_message` takes the message's
  ``attachments`` as :meth:`InquiryService.open` does, in 受付 as in 回答済.

The purge of attachments (INQ-2) is :meth:`InquiryService.apply_due`, a sweep like the
contract's: for each inquiry whose purge instant has come it deletes every file through the
:class:`~omakase_core.inquiry.ports.AttachmentStore`, *then* saves the inquiry with
:class:`~omakase_core.inquiry.model.AttachmentsDeleted`. A sweep that stops between the two
(a crash, a store failing on the third file) leaves the inquiry due, and the next sweep
deletes the same files again (the store's ``delete`` is idempotent) and saves it.

Decisions (the rulebook is silent):

- SEC-1: only the system or an operator sweeps (``PermissionDenied`` naming SEC-1 for a
  customer-side user or a contractor).
- The service takes the attachment store as a required field, ``attachments``, as the
  contract's service takes its user directory: a service that could not purge would let
  INQ-2 lapse silently.
- A store that raises for one inquiry does not stop the sweep: that inquiry is reported in
  :attr:`PurgeReport.failed` with the reason, stays due and is taken by the next sweep; a
  lost race of the save (``ConcurrencyConflict``, another sweep saved it first) is reported
  in :attr:`PurgeReport.conflicts`.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Final

import attrs

from omakase_core._validation import count_validator, port_validator
from omakase_core.accounts.model import Action, Role
from omakase_core.accounts.rules import require
from omakase_core.calendar import to_jst
from omakase_core.errors import ConcurrencyConflict, PermissionDenied, ValidationError, excerpt
from omakase_core.inquiry.aggregate import Inquiry, check_service
from omakase_core.inquiry.ports import (  # attrs fields
    AttachmentStore,
    ContractedServices,
    InquiryRepository,
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
    from collections.abc import Callable
    from datetime import datetime

    from omakase_core.inquiry.model import Attachment
    from omakase_core.lifecycle import Actor

__all__ = ["InquiryService", "PurgeReport"]

KIND: Final = "inquiry"
"""What :class:`~omakase_core.errors.NotFound` calls an inquiry."""

_MAX_REASON: Final = 200
"""The longest part of a store's error a report keeps."""


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


def _ids(_: object, attribute: attrs.Attribute[tuple[str, ...]], value: object) -> None:
    if type(value) is not tuple or not all(type(item) is str for item in value):
        msg = f"{attribute.name} must be a tuple of inquiry ids, not {type(value).__name__}"
        raise ValidationError(msg, field=attribute.name, rule="SEC-2")


def _failures(
    _: object, attribute: attrs.Attribute[tuple[tuple[str, str], ...]], value: object
) -> None:
    if type(value) is not tuple or not all(
        type(item) is tuple and len(item) == 2 and all(type(s) is str for s in item)
        for item in value
    ):
        msg = (
            f"{attribute.name} must be a tuple of (inquiry id, reason) pairs, not {excerpt(value)}"
        )
        raise ValidationError(msg, field=attribute.name, rule="SEC-2")


_count = count_validator("SEC-2")


@attrs.frozen(kw_only=True)
class PurgeReport:
    """What one :meth:`InquiryService.apply_due` sweep did (INQ-2).

    ``purged`` lists the inquiries saved with their attachments deleted; ``files`` counts
    the files deleted for them; ``conflicts`` the inquiries whose save lost a race (another
    sweep saved them); ``failed`` the inquiries whose store raised, with the reason: they
    stay due for the next sweep.
    """

    purged: tuple[str, ...] = attrs.field(validator=_ids)
    files: int = attrs.field(validator=_count)
    conflicts: tuple[str, ...] = attrs.field(default=(), validator=_ids)
    failed: tuple[tuple[str, str], ...] = attrs.field(default=(), validator=_failures)


@attrs.frozen(kw_only=True)
class InquiryService:
    """Fault inquiries over a repository, a clock and the attachment store.

    INQ-1 … INQ-3, ACC-3, SEC-1 … SEC-3; ``attachments`` is where the files are deleted at
    their purge instant (INQ-2, :meth:`apply_due`); ``services`` tells which services each
    tenant has contracted, so that an inquiry names one of them (INQ-1). :meth:`open` refuses
    to run without ``services``; it is optional only for a service that sweeps, answers or
    reads (see the module's decisions).
    """

    inquiries: InquiryRepository = attrs.field(
        validator=port_validator("an InquiryRepository", "get", "add", "save", "due")
    )
    clock: Clock = attrs.field(validator=port_validator("a Clock", "now"))
    attachments: AttachmentStore = attrs.field(
        validator=port_validator("an AttachmentStore", "delete")
    )
    services: ContractedServices | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(port_validator("a ContractedServices", "services_of")),
    )

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
        service: str,
        attachments: tuple[Attachment, ...] = (),
    ) -> Inquiry:
        """Send a fault inquiry for ``by``'s tenant (both roles may, ACC-3; INQ-1, INQ-2).

        ``service`` is the contracted service the inquiry is about (INQ-1): one of those the
        ``services`` port lists for the tenant, always required; without the port every
        inquiry is refused, naming ``services`` (see the module's decisions). Creation has
        no version, so there is no ``expected_version``. A taken ``inquiry_id`` is a
        ``ValidationError`` naming it, alike for the tenant's own inquiries and every other
        tenant's (SEC-1): it says neither whose nor at which version.
        """
        principal = _principal(by)
        customer_id = principal.customer_id
        if customer_id is None:
            msg = f"sending an inquiry is a customer-side user's; {principal!r} may not"
            raise PermissionDenied(msg, actor=str(principal.actor), event="open", rule="SEC-1")
        identifier = check_id(inquiry_id, field="inquiry_id")
        named = self._contracted(customer_id, service)
        inquiry = Inquiry.open(
            id=identifier,
            customer_id=customer_id,
            subject=subject,
            body=body,
            contact_email=contact_email,
            attachments=attachments,
            at=self._now(),
            service=named,
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
        self,
        inquiry_id: str,
        text: str,
        *,
        by: Principal,
        expected_version: int | None = None,
        attachments: tuple[Attachment, ...] = (),
    ) -> Inquiry:
        """Add the customer's message with its files (INQ-1, INQ-2); refused once 解決済.

        In 回答済 the inquiry waits for an answer again (受付); in 受付 it stays 受付.
        """
        return self._run(
            inquiry_id,
            by,
            expected_version,
            lambda i, actor, at: i.add_message(text, actor=actor, at=at, attachments=attachments),
        )

    def resolve(
        self, inquiry_id: str, *, by: Principal, expected_version: int | None = None
    ) -> Inquiry:
        """Close the inquiry as 解決済, the customer's step (INQ-1); attachments purge later."""
        return self._run(
            inquiry_id, by, expected_version, lambda i, actor, at: i.resolve(actor=actor, at=at)
        )

    def apply_due(self, now: datetime, *, by: Principal) -> PurgeReport:
        """Delete the attachments whose purge instant has come, then record it (INQ-2).

        Only the system or an operator sweeps (SEC-1). For each inquiry the repository
        finds due at ``now`` (``next_due_at <= now``: exactly at the purge instant, never
        before), every file is deleted through ``attachments``, and only then is the
        inquiry saved with :class:`~omakase_core.inquiry.model.AttachmentsDeleted`.
        Idempotent: a second sweep finds nothing due; a sweep that stopped halfway is
        finished by the next one. A store failure or a lost race of one inquiry does not
        stop the others (see :class:`PurgeReport`).
        """
        principal = check_principal(by)
        if not principal.is_back_office:
            msg = (
                f"only an operator or the system may sweep inquiries, not a {principal.kind.value}"
            )
            raise PermissionDenied(msg, actor=str(principal.actor), event="apply_due", rule="SEC-1")
        instant = to_jst(now, field="now")
        purged: list[str] = []
        conflicts: list[str] = []
        failed: list[tuple[str, str]] = []
        files = 0
        for inquiry in list(self.inquiries.due(instant)):
            updated = inquiry.apply_due(instant)
            if updated is inquiry:
                continue  # not due after all (an adapter's due() may be generous)
            try:
                for attachment in inquiry.attachments:
                    self.attachments.delete(attachment.attachment_id)
            except Exception as error:  # any store failure: the inquiry stays due
                failed.append((inquiry.id, _reason(error)))
                continue
            try:
                self.inquiries.save(updated, expected_version=inquiry.version)
            except ConcurrencyConflict:
                conflicts.append(inquiry.id)
                continue
            purged.append(inquiry.id)
            files += len(inquiry.attachments)
        return PurgeReport(
            purged=tuple(purged), files=files, conflicts=tuple(conflicts), failed=tuple(failed)
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

    def _contracted(self, customer_id: str, service: object) -> str:
        """Return ``service`` if the tenant has contracted it (INQ-1); see the decisions."""
        if self.services is None:
            msg = (
                "services is required to open inquiries: this InquiryService needs a "
                "ContractedServices port to tell the tenant's contracted services"
            )
            raise ValidationError(msg, field="services", rule="INQ-1")
        if service is None:
            msg = "service is required: an inquiry names one of the tenant's contracted services"
            raise ValidationError(msg, field="service", rule="INQ-1")
        named = check_service(service)
        answer: object = self.services.services_of(customer_id)
        if isinstance(answer, str | bytes) or not isinstance(answer, Collection):
            msg = f"services.services_of must answer a collection of names, not {excerpt(answer)}"
            raise ValidationError(msg, field="services", rule="INQ-1")
        if not all(isinstance(name, str) for name in answer):
            msg = "services.services_of must answer names (str) only"
            raise ValidationError(msg, field="services", rule="INQ-1")
        if named not in answer:
            msg = f"service {excerpt(named)} is not one of the tenant's contracted services"
            raise ValidationError(msg, field="service", rule="INQ-1")
        return named

    def _now(self) -> datetime:
        return to_jst(self.clock.now(), field="now")


def _reason(error: BaseException) -> str:
    """Return a store's error as a short reason: its type and the start of its message."""
    text = str(error)
    shown = text if len(text) <= _MAX_REASON else f"{text[:_MAX_REASON]}…"
    return f"{type(error).__name__}: {shown}" if shown else type(error).__name__
