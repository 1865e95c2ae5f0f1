"""The fault inquiry: an immutable value whose commands return the next value (INQ-1 … INQ-3).

Every command checks everything first and then returns a new :class:`Inquiry` with its
version raised and the event it recorded in ``pending_events``; a refused command raises
and changes nothing. The aggregate never calls a port: :mod:`omakase_core.inquiry.service`
loads, commands and saves.

Decisions (the rulebook is silent):

- SEC-1: an inquiry belongs to one customer (tenant): ``customer_id``. Within the tenant it
  is not one user's: every user of the tenant may follow it up and resolve it, as the
  portal's history list is the tenant's.
- Commands must come in time order: an ``at`` before the inquiry's last change is refused.
- SEC-2: every ``actor`` must be an :class:`~omakase_core.lifecycle.Actor` member;
  ``attachments`` must be a tuple (or list) of :class:`~omakase_core.inquiry.model.Attachment`
  (``None`` is refused, naming ``attachments``); an inquiry is validated on construction.
- Error fields name the public parameter: a message's or an answer's text is ``text``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

import attrs

from omakase_core._validation import check_email, check_text, require
from omakase_core._values import command_instant, with_event, without_events
from omakase_core.calendar import to_jst
from omakase_core.calendar._jst import check_int
from omakase_core.codec import stored
from omakase_core.errors import ValidationError, excerpt
from omakase_core.inquiry.machine import INQUIRY_LIFECYCLE
from omakase_core.inquiry.model import (
    MAX_SUBJECT,
    MAX_TEXT,
    Attachment,
    InquiryAnswered,
    InquiryEvent,
    InquiryMessageAdded,
    InquiryOpened,
    InquiryResolved,
    InquiryStatus,
)
from omakase_core.inquiry.rules import attachment_purge_at
from omakase_core.lifecycle import Actor
from omakase_core.principal import check_id

__all__ = ["Inquiry"]

_AUTHORS: Final = frozenset({"customer", "operator"})


def _attachments(value: object, *, lists: bool = True) -> tuple[Attachment, ...]:
    """Return ``value`` as a tuple of attachments; refuse ``None`` and anything else (INQ-2).

    A list is accepted from callers (``lists``); a stored inquiry holds a tuple.
    """
    items = value if isinstance(value, tuple) else None
    if lists and isinstance(value, list):
        items = tuple(value)
    if items is None or not all(isinstance(a, Attachment) for a in items):
        msg = f"attachments must be a tuple of Attachment values, not {type(value).__name__}"
        raise ValidationError(msg, field="attachments", rule="INQ-2")
    return items


def _messages(value: object) -> None:
    """Refuse messages that are not ``(author, text)`` pairs an inquiry could hold (INQ-1)."""
    pairs = value if isinstance(value, tuple) else None
    if pairs is None or not all(
        isinstance(m, tuple) and len(m) == 2 and all(isinstance(x, str) for x in m) for m in pairs
    ):
        msg = "messages must be a tuple of (author, text) pairs of strings"
        raise ValidationError(msg, field="messages", rule="INQ-1")
    for author, text in pairs:
        if author not in _AUTHORS:
            msg = f"a message's author must be 'customer' or 'operator', not {excerpt(author)}"
            raise ValidationError(msg, field="messages", rule="INQ-1")
        check_text(text, field="messages", rule="INQ-1", max_length=MAX_TEXT)


def _text(value: object) -> str:
    return check_text(value, field="text", rule="INQ-1", max_length=MAX_TEXT)


@stored("inquiry.Inquiry")
@attrs.frozen(kw_only=True)
class Inquiry:
    """A fault inquiry of one customer (tenant) and its messages (INQ-1 … INQ-3).

    ``messages`` are ``(author, text)`` pairs in order, the author ``"customer"`` or
    ``"operator"``.
    """

    id: str
    customer_id: str
    subject: str
    contact_email: str
    status: InquiryStatus = InquiryStatus.RECEIVED
    messages: tuple[tuple[str, str], ...] = ()
    attachments: tuple[Attachment, ...] = ()
    resolved_at: datetime | None = None
    version: int = 0
    updated_at: datetime
    pending_events: tuple[InquiryEvent, ...] = ()

    def __attrs_post_init__(self) -> None:
        check_id(self.id, field="id")
        check_id(self.customer_id, field="customer_id")
        check_text(self.subject, field="subject", rule="INQ-1", max_length=MAX_SUBJECT)
        check_email(self.contact_email, field="contact_email", rule="INQ-3")
        require(self.status, InquiryStatus, field="status", rule="SEC-2", what="an InquiryStatus")
        _messages(self.messages)
        _attachments(self.attachments, lists=False)
        if self.resolved_at is not None:
            to_jst(self.resolved_at, field="resolved_at")
        if check_int(self.version, "version") < 0:
            raise ValidationError("version must not be negative", field="version", rule="PORT-2")
        to_jst(self.updated_at, field="updated_at")
        events: object = self.pending_events  # callers are not always type-checked
        if not isinstance(events, tuple) or not all(isinstance(e, InquiryEvent) for e in events):
            msg = "pending_events must be a tuple of InquiryEvent"
            raise ValidationError(msg, field="pending_events", rule="PORT-3")

    @classmethod
    def open(  # noqa: PLR0913  # the inquiry form's fields
        cls,
        *,
        id: str,  # noqa: A002  # the aggregate's id, as every aggregate names it
        customer_id: str,
        subject: str,
        body: str,
        contact_email: str,
        attachments: tuple[Attachment, ...] = (),
        at: datetime,
    ) -> Inquiry:
        """Return a new 受付 inquiry of ``customer_id`` with its first message (INQ-1, INQ-2)."""
        files = _attachments(attachments)
        text = check_text(body, field="body", rule="INQ-1", max_length=MAX_TEXT)
        now = to_jst(at, field="at")
        inquiry = cls(
            id=check_id(id, field="id"),
            customer_id=check_id(customer_id, field="customer_id"),
            subject=check_text(subject, field="subject", rule="INQ-1", max_length=MAX_SUBJECT),
            contact_email=check_email(contact_email, field="contact_email", rule="INQ-3"),
            messages=(("customer", text),),
            attachments=files,
            updated_at=now,
        )
        opened = InquiryOpened(
            aggregate_id=inquiry.id,
            version=1,
            occurred_at=now,
            subject=inquiry.subject,
            contact_email=inquiry.contact_email,
        )
        return with_event(inquiry, opened)

    @property
    def purge_at(self) -> datetime | None:
        """Return when the attachments are deleted, once resolved (INQ-2)."""
        return None if self.resolved_at is None else attachment_purge_at(self.resolved_at)

    def saved(self) -> Inquiry:
        """Return the inquiry as stored, without pending events."""
        return without_events(self)

    def answer(self, text: str, *, actor: Actor, at: datetime) -> Inquiry:
        """Answer, the operator's step (受付 → 回答済); the contact is notified (INQ-3)."""
        answer = _text(text)
        return self._step(
            "answer",
            actor,
            at,
            InquiryAnswered,
            {"answer": answer},
            messages=(*self.messages, ("operator", answer)),
        )

    def add_message(self, text: str, *, actor: Actor, at: datetime) -> Inquiry:
        """Add the customer's message (回答済 → 受付); refused once 解決済 (INQ-1)."""
        message = _text(text)
        return self._step(
            "add_message",
            actor,
            at,
            InquiryMessageAdded,
            {},
            messages=(*self.messages, ("customer", message)),
        )

    def resolve(self, *, actor: Actor, at: datetime) -> Inquiry:
        """Close the inquiry as 解決済, the customer's step (INQ-1); attachments purge later."""
        instant = to_jst(at, field="at")
        return self._step(
            "resolve",
            actor,
            instant,
            InquiryResolved,
            {"purge_at": attachment_purge_at(instant)},
            resolved_at=instant,
        )

    def _step(  # one step's parts
        self,
        event: str,
        actor: object,
        at: datetime,
        event_type: type[InquiryEvent],
        fields: dict[str, object],
        **changes: object,
    ) -> Inquiry:
        checked = require(actor, Actor, field="actor", rule="SEC-2", what="an Actor member")
        target = INQUIRY_LIFECYCLE.fire(self.status, event, actor=checked)
        instant = command_instant(at, self.updated_at, what="inquiry")
        recorded = event_type(
            aggregate_id=self.id,
            version=self.version + 1,
            occurred_at=instant,
            subject=self.subject,
            contact_email=self.contact_email,
            **fields,
        )
        return with_event(self, recorded, status=target, **changes)
