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
- INQ-2: the attachment ids of one inquiry are unique (two files under one id could not be
  deleted apart); a repeated id is refused naming ``attachments``.
- INQ-2, the purge: :meth:`Inquiry.apply_due` records
  :class:`~omakase_core.inquiry.model.AttachmentsDeleted` once the files are gone; the
  inquiry keeps each attachment's id, file name and size as history (the portal shows
  "deleted"), and ``attachments_deleted_at`` says since when the files are gone. The
  event's and the field's instant is the sweep's ``now`` — when the files were deleted —
  not the purge instant, which the inquiry derives from ``resolved_at`` anyway. 解決済 is
  terminal (INQ-1): the purge changes no status and does not go through the chart.
- PORT-7: the stored inquiry is at schema 2 (attachments carry ``attachment_id``). A schema 1
  inquiry is upcast with ``"<inquiry id>/<n>"`` as the id of its ``n``-th attachment
  (counted from 1): the library never knew those files' ids, and this one is stable, unique
  within the portal and tells the portal which file it is. Where that would exceed an id's
  200 characters, the inquiry id is replaced by the hex SHA-256 of it.
- INQ-1 (amended), INQ-2: every customer message may carry attachments, the first one
  (:meth:`Inquiry.open`) and each follow-up (:meth:`Inquiry.add_message`, in 受付 as in
  回答済). ``attachments`` stays the list of every file of the inquiry in upload order (the
  purge deletes them all, the ids are unique across the inquiry); ``attachment_messages``
  says, for each, the index in ``messages`` of the customer message it came with, and
  :meth:`Inquiry.attachments_of` answers a message's files. Staff answers carry none.
- INQ-1 (amended): ``service`` is the contracted service the inquiry is about, as the
  customer chose it on the form. The aggregate keeps the name; whether the tenant has
  contracted it is the service's check (:class:`~omakase_core.inquiry.InquiryService`,
  through the :class:`~omakase_core.inquiry.ports.ContractedServices` port). ``None`` is an
  inquiry that names none: stored by 0.1 (the service never opens one without a name).
- PORT-7: schema 3 adds ``service`` and ``attachment_messages``. A schema 2 inquiry is upcast
  with ``service`` ``None`` (0.1 never asked) and every attachment on message 0: only the
  first message could carry files then.
- INQ-1, INQ-3: a subject, a body, a follow-up, an answer and a service name refuse
  control and formatting characters (bidi controls, zero-width characters) when a command
  gives them, naming the parameter and never echoing the character: the subject and the
  answer go into the answer mail. A stored inquiry's subject and messages are checked as
  0.1 stored them (controls only), so that what was stored still loads (PORT-7); its
  service name, one of the contracted-services port's, is checked as a command's.
"""

from __future__ import annotations

import hashlib
import itertools
from datetime import datetime
from typing import Any, Final

import attrs

from omakase_core._validation import check_email, check_text, require
from omakase_core._values import command_instant, with_event, without_events
from omakase_core.calendar import to_jst
from omakase_core.calendar._jst import check_int
from omakase_core.codec import register_upcaster, stored
from omakase_core.errors import ValidationError, excerpt
from omakase_core.inquiry.machine import INQUIRY_LIFECYCLE
from omakase_core.inquiry.model import (
    MAX_SUBJECT,
    MAX_TEXT,
    Attachment,
    AttachmentsDeleted,
    InquiryAnswered,
    InquiryEvent,
    InquiryMessageAdded,
    InquiryOpened,
    InquiryResolved,
    InquiryStatus,
)
from omakase_core.inquiry.rules import attachment_purge_at, check_inquiry_text
from omakase_core.lifecycle import Actor
from omakase_core.principal import check_id

__all__ = ["Inquiry"]

_AUTHORS: Final = frozenset({"customer", "operator"})

MAX_SERVICE: Final = 100
"""INQ-1: the longest name of a contracted service, in characters."""


def check_service(value: object) -> str:
    """Return ``value``, the name of a contracted service, stripped; refuse other text (INQ-1)."""
    return check_inquiry_text(value, field="service", rule="INQ-1", max_length=MAX_SERVICE)


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
    ids = [a.attachment_id for a in items]
    if len(set(ids)) != len(ids):
        repeated = next(i for i in ids if ids.count(i) > 1)
        msg = f"attachments must have distinct attachment ids; {excerpt(repeated)} is repeated"
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


def _attachment_messages(value: object, inquiry: Inquiry) -> None:
    """Refuse a list that does not put each attachment on a customer message (INQ-1, INQ-2).

    One index per attachment, into ``messages``, never decreasing (files come in message
    order), each a customer's message. An inquiry built without messages (as 0.1 allowed)
    holds its files on message 0.
    """
    indexes = value if type(value) is tuple else None
    messages = inquiry.messages
    if (
        indexes is None
        or len(indexes) != len(inquiry.attachments)
        or not all(type(i) is int and 0 <= i < max(1, len(messages)) for i in indexes)
        or any(later < earlier for earlier, later in itertools.pairwise(indexes))
        or any(i < len(messages) and messages[i][0] != "customer" for i in indexes)
    ):
        msg = (
            "attachment_messages must give, for each attachment in order, the index of the "
            "customer message it came with"
        )
        raise ValidationError(msg, field="attachment_messages", rule="INQ-2")


def _on_first_message(inquiry: Inquiry) -> tuple[int, ...]:
    files: object = inquiry.attachments  # callers are not always type-checked
    return (0,) * len(files) if isinstance(files, tuple) else ()


def _text(value: object) -> str:
    return check_inquiry_text(value, field="text", rule="INQ-1", max_length=MAX_TEXT)


@stored("inquiry.Inquiry", version=3)
@attrs.frozen(kw_only=True)
class Inquiry:
    """A fault inquiry of one customer (tenant) and its messages (INQ-1 … INQ-3).

    ``messages`` are ``(author, text)`` pairs in order, the author ``"customer"`` or
    ``"operator"``. ``attachments`` are every file of the inquiry in upload order and
    ``attachment_messages`` the index in ``messages`` of the customer message each came
    with (:meth:`attachments_of`). ``service`` is the contracted service the inquiry is
    about (INQ-1), ``None`` where it names none. ``attachments_deleted_at`` is when the
    attachments' files were deleted (INQ-2), ``None`` while they are kept; the attachments
    stay listed as history.
    """

    id: str
    customer_id: str
    subject: str
    contact_email: str
    service: str | None = None
    status: InquiryStatus = InquiryStatus.RECEIVED
    messages: tuple[tuple[str, str], ...] = ()
    attachments: tuple[Attachment, ...] = ()
    attachment_messages: tuple[int, ...] = attrs.field(
        default=attrs.Factory(_on_first_message, takes_self=True)
    )
    resolved_at: datetime | None = None
    attachments_deleted_at: datetime | None = None
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
        if self.service is not None:
            check_service(self.service)
        _attachments(self.attachments, lists=False)
        _attachment_messages(self.attachment_messages, self)
        if self.resolved_at is not None:
            to_jst(self.resolved_at, field="resolved_at")
        if self.attachments_deleted_at is not None:
            self._check_deleted_at(
                to_jst(self.attachments_deleted_at, field="attachments_deleted_at")
            )
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
        service: str | None = None,
    ) -> Inquiry:
        """Return a new 受付 inquiry of ``customer_id`` with its first message (INQ-1, INQ-2).

        ``service`` is the contracted service it is about (INQ-1), as the customer chose it;
        the aggregate checks it is a name, the service that the tenant has contracted it.
        """
        files = _attachments(attachments)
        text = check_inquiry_text(body, field="body", rule="INQ-1", max_length=MAX_TEXT)
        named = None if service is None else check_service(service)
        now = to_jst(at, field="at")
        inquiry = cls(
            id=check_id(id, field="id"),
            customer_id=check_id(customer_id, field="customer_id"),
            subject=check_inquiry_text(
                subject, field="subject", rule="INQ-1", max_length=MAX_SUBJECT
            ),
            contact_email=check_email(contact_email, field="contact_email", rule="INQ-3"),
            service=named,
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

    @property
    def next_due_at(self) -> datetime | None:
        """Return when the attachments' files fall due for deletion (INQ-2, CAL-6).

        That is :attr:`purge_at` while the inquiry has attachments whose files are kept;
        ``None`` before resolution, without attachments, and once they were deleted. A
        repository's ``due(now)`` returns the inquiries whose ``next_due_at <= now``.
        """
        if not self.attachments or self.attachments_deleted_at is not None:
            return None
        return self.purge_at

    def apply_due(self, now: datetime) -> Inquiry:
        """Record the deletion of the attachments' files, if due at ``now`` (INQ-2).

        Due means :attr:`next_due_at` is at or before ``now``: the files are deleted at
        exactly their purge instant, never before. The caller deletes the files first (the
        :class:`~omakase_core.inquiry.InquiryService` sweep does), then saves the result.
        Returns ``self`` unchanged when nothing is due, so a second call records nothing.
        """
        instant = to_jst(now, field="now")
        due = self.next_due_at
        if due is None or instant < due:
            return self
        deleted = AttachmentsDeleted(
            aggregate_id=self.id,
            version=self.version + 1,
            occurred_at=instant,
            subject=self.subject,
            contact_email=self.contact_email,
            attachment_ids=tuple(a.attachment_id for a in self.attachments),
        )
        return with_event(self, deleted, attachments_deleted_at=instant)

    def attachments_of(self, message: int) -> tuple[Attachment, ...]:
        """Return the files that came with ``messages[message]`` (INQ-1, INQ-2).

        ``message`` is an index into ``messages`` (0 is the first message); a staff answer
        has none. An index that is not one of ``messages`` is refused naming ``message``.
        """
        index = check_int(message, "message")
        if not 0 <= index < len(self.messages):
            msg = (
                f"message must be an index of the {len(self.messages)} messages, "
                f"not {excerpt(index)}"
            )
            raise ValidationError(msg, field="message", rule="INQ-1")
        return tuple(
            a for a, i in zip(self.attachments, self.attachment_messages, strict=True) if i == index
        )

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

    def add_message(
        self,
        text: str,
        *,
        actor: Actor,
        at: datetime,
        attachments: tuple[Attachment, ...] = (),
    ) -> Inquiry:
        """Add the customer's message, with its files; refused once 解決済 (INQ-1, INQ-2).

        In 回答済 the inquiry waits for an answer again (受付); in 受付 it stays 受付. The
        files join the inquiry's ``attachments`` on this message; an id the inquiry already
        holds is refused naming ``attachments``.
        """
        message = _text(text)
        files = _attachments(attachments)
        every = _attachments((*self.attachments, *files), lists=False)
        index = len(self.messages)
        return self._step(
            "add_message",
            actor,
            at,
            InquiryMessageAdded,
            {},
            messages=(*self.messages, ("customer", message)),
            attachments=every,
            attachment_messages=(*self.attachment_messages, *(index for _ in files)),
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

    def _check_deleted_at(self, deleted_at: datetime) -> None:
        """Refuse a deletion instant no purge could record (INQ-2)."""
        purge_at = self.purge_at
        if not self.attachments or purge_at is None or deleted_at < purge_at:
            msg = (
                "attachments_deleted_at is set only on a resolved inquiry with attachments, "
                "at or after its purge instant"
            )
            raise ValidationError(msg, field="attachments_deleted_at", rule="INQ-2")

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


_MAX_ID: Final = 200
"""The longest id (:func:`~omakase_core.principal.check_id`)."""


def _schema_1_attachment_ids(data: dict[str, Any]) -> dict[str, Any]:
    """Give the attachments of a schema 1 inquiry their ids ``<inquiry id>/<n>`` (PORT-7).

    Where that is longer than an id may be, the inquiry id is replaced by its hex SHA-256.
    Data of another shape is passed on as it is, for decoding to refuse it by field.
    """
    files = data.get("attachments")
    inquiry_id = data.get("id")
    if (
        not isinstance(inquiry_id, str)
        or not isinstance(files, list)
        or not all(isinstance(item, dict) for item in files)
    ):
        return data
    prefix = inquiry_id
    if len(f"{prefix}/{len(files)}") > _MAX_ID:
        prefix = hashlib.sha256(inquiry_id.encode("utf-8", "surrogatepass")).hexdigest()
    numbered = [{"attachment_id": f"{prefix}/{n}", **item} for n, item in enumerate(files, 1)]
    return {**data, "attachments": numbered}


def _schema_2_service_and_message_files(data: dict[str, Any]) -> dict[str, Any]:
    """Give a schema 2 inquiry no service and its files on the first message (PORT-7).

    Data of another shape is passed on as it is, for decoding to refuse it by field.
    """
    files = data.get("attachments")
    if not isinstance(files, list):
        return data
    return {**data, "service": None, "attachment_messages": [0] * len(files)}


register_upcaster("inquiry.Inquiry", 1, _schema_1_attachment_ids)
register_upcaster("inquiry.Inquiry", 2, _schema_2_service_and_message_files)
