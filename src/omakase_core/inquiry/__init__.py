"""Fault inquiries of My KDDI Biz (INQ-1 … INQ-3): lifecycle, attachments, answer notice.

受付 (waiting for an answer) → 回答済 when staff answer; back to 受付 when the customer adds
a message; the customer may close it as 解決済 from either, and 解決済 is terminal.
Attachments are checked on upload and purged six months after resolution (CAL-6).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import PurePosixPath
from typing import Any, ClassVar, Final

import attrs
from statemachine import StateChart

from omakase_core._validation import check_email, check_text
from omakase_core._values import command_instant, replace, with_event, without_events
from omakase_core.accounts.roles import Action, Role, require
from omakase_core.calendar import period_end, to_jst
from omakase_core.calendar._jst import check_int
from omakase_core.errors import ValidationError
from omakase_core.events import Event
from omakase_core.lifecycle import Actor, Lifecycle, Status, by, register, status_state
from omakase_core.ports import Clock, Repository  # attrs fields

__all__ = [
    "ATTACHMENT_MAX_BYTES",
    "ATTACHMENT_TYPES",
    "INQUIRY_LIFECYCLE",
    "Attachment",
    "Inquiry",
    "InquiryAnswered",
    "InquiryChart",
    "InquiryEvent",
    "InquiryMessageAdded",
    "InquiryOpened",
    "InquiryResolved",
    "InquiryService",
    "InquiryStatus",
    "attachment_purge_at",
    "notices",
    "validate_attachment",
]


class InquiryStatus(Status):
    """The status of a fault inquiry (INQ-1)."""

    RECEIVED = "received", "受付"
    ANSWERED = "answered", "回答済"
    RESOLVED = "resolved", "解決済"


class InquiryChart(StateChart[Any]):
    """受付 ⇄ 回答済 → 解決済 (INQ-1)."""

    allow_event_without_transition = False
    catch_errors_as_events = False

    received = status_state(InquiryStatus.RECEIVED, initial=True)
    answered = status_state(InquiryStatus.ANSWERED)
    resolved = status_state(InquiryStatus.RESOLVED, final=True)

    answer = received.to(answered, cond=by(Actor.OPERATOR))
    add_message = answered.to(received, cond=by(Actor.CUSTOMER))
    resolve = received.to(resolved, cond=by(Actor.CUSTOMER)) | answered.to(
        resolved, cond=by(Actor.CUSTOMER)
    )


INQUIRY_LIFECYCLE: Lifecycle[InquiryStatus] = register(
    Lifecycle.compile("inquiry", InquiryChart, InquiryStatus)
)
"""The compiled lifecycle, also ``LIFECYCLES["inquiry"]``."""

ATTACHMENT_TYPES: Final = frozenset(
    {".pdf", ".png", ".jpeg", ".jpg", ".gif", ".bmp", ".txt", ".csv", ".xlsx"}
)
"""INQ-2: the accepted extensions (compared case-insensitively)."""

ATTACHMENT_MAX_BYTES: Final = 3 * 1024 * 1024
"""INQ-2: at most 3 MB per file."""


def validate_attachment(filename: str, size_bytes: int) -> None:
    """Refuse an attachment of another type or larger than 3 MB (INQ-2).

    >>> validate_attachment("error.PNG", 1024)
    """
    name = check_text(filename, field="filename", rule="INQ-2", max_length=255)
    if PurePosixPath(name).suffix.lower() not in ATTACHMENT_TYPES:
        kinds = ", ".join(sorted(t.lstrip(".") for t in ATTACHMENT_TYPES))
        msg = f"filename {name!r} is not an accepted type ({kinds})"
        raise ValidationError(msg, field="filename", rule="INQ-2")
    size = check_int(size_bytes, "size_bytes")
    if not 0 < size <= ATTACHMENT_MAX_BYTES:
        msg = f"an attachment must be 1 byte to 3 MB ({ATTACHMENT_MAX_BYTES} bytes), not {size}"
        raise ValidationError(msg, field="size_bytes", rule="INQ-2")


def attachment_purge_at(resolved_at: datetime) -> datetime:
    """Return when a resolved inquiry's attachments are deleted: six months on (INQ-2, CAL-6).

    >>> from omakase_core.calendar import JST
    >>> attachment_purge_at(datetime(2026, 1, 30, 10, 0, tzinfo=JST)).isoformat()
    '2026-07-31T00:00:00+09:00'
    """
    return period_end(resolved_at, months=6)


@attrs.frozen(kw_only=True)
class Attachment:
    """An attached file (INQ-2)."""

    filename: str
    size_bytes: int


@attrs.frozen(kw_only=True)
class InquiryEvent(Event):
    """Base of the inquiry events; ``contact_email`` is the inquiry's contact address."""

    aggregate_type: ClassVar[str] = "inquiry"

    subject: str
    contact_email: str


@attrs.frozen(kw_only=True)
class InquiryOpened(InquiryEvent):
    """A customer sent a fault inquiry."""


@attrs.frozen(kw_only=True)
class InquiryAnswered(InquiryEvent):
    """Staff answered (INQ-3: the contact address is notified)."""

    answer: str


@attrs.frozen(kw_only=True)
class InquiryMessageAdded(InquiryEvent):
    """The customer added a message: the inquiry waits for an answer again."""


@attrs.frozen(kw_only=True)
class InquiryResolved(InquiryEvent):
    """The customer closed the inquiry; attachments go at ``purge_at`` (INQ-2)."""

    purge_at: datetime


@attrs.frozen(kw_only=True)
class Inquiry:
    """A fault inquiry and its messages (INQ-1 … INQ-3)."""

    id: str
    subject: str
    contact_email: str
    status: InquiryStatus = InquiryStatus.RECEIVED
    messages: tuple[tuple[str, str], ...] = ()
    attachments: tuple[Attachment, ...] = ()
    resolved_at: datetime | None = None
    version: int = 0
    updated_at: datetime
    pending_events: tuple[InquiryEvent, ...] = ()

    @property
    def purge_at(self) -> datetime | None:
        """Return when the attachments are deleted, once resolved (INQ-2)."""
        return None if self.resolved_at is None else attachment_purge_at(self.resolved_at)

    def saved(self) -> Inquiry:
        """Return the inquiry as stored, without pending events."""
        return without_events(self)

    def _step(
        self,
        event: str,
        actor: Actor,
        at: datetime,
        event_type: type[InquiryEvent],
        fields: dict[str, object],
        **changes: object,
    ) -> Inquiry:
        instant = command_instant(at, self.updated_at, what="inquiry")
        target = INQUIRY_LIFECYCLE.fire(self.status, event, actor=actor)
        recorded = event_type(
            aggregate_id=self.id,
            version=self.version + 1,
            occurred_at=instant,
            subject=self.subject,
            contact_email=self.contact_email,
            **fields,
        )
        return with_event(self, recorded, status=target, **changes)


@attrs.frozen(kw_only=True)
class InquiryService:
    """Fault inquiries over a repository and a clock (INQ-1 … INQ-3, ACC-3)."""

    inquiries: Repository[Inquiry]
    clock: Clock

    def open(  # noqa: PLR0913  # the inquiry form's fields
        self,
        inquiry_id: str,
        *,
        role: Role,
        subject: str,
        body: str,
        contact_email: str,
        attachments: tuple[Attachment, ...] = (),
    ) -> Inquiry:
        """Send a fault inquiry (both roles may, ACC-3); attachments are checked (INQ-2)."""
        require(role, Action.SEND_INQUIRY)
        for attachment in attachments:
            validate_attachment(attachment.filename, attachment.size_bytes)
        now = to_jst(self.clock.now(), field="now")
        text = check_text(body, field="body", rule="INQ-1", max_length=10_000)
        inquiry = Inquiry(
            id=check_text(inquiry_id, field="inquiry_id", rule=None, max_length=200),
            subject=check_text(subject, field="subject", rule="INQ-1", max_length=200),
            contact_email=check_email(contact_email, field="contact_email", rule="INQ-3"),
            messages=(("customer", text),),
            attachments=tuple(attachments),
            updated_at=now,
        )
        opened = InquiryOpened(
            aggregate_id=inquiry.id,
            version=1,
            occurred_at=now,
            subject=inquiry.subject,
            contact_email=inquiry.contact_email,
        )
        inquiry = replace(inquiry, version=1, pending_events=(opened,))
        self.inquiries.add(inquiry)
        return inquiry

    def answer(self, inquiry_id: str, text: str, *, actor: Actor) -> Inquiry:
        """Answer, the operator's step (受付 → 回答済); the contact is notified (INQ-3)."""
        answer = check_text(text, field="answer", rule="INQ-1", max_length=10_000)
        return self._run(
            inquiry_id,
            lambda i, now: i._step(
                "answer",
                actor,
                now,
                InquiryAnswered,
                {"answer": answer},
                messages=(*i.messages, ("operator", answer)),
            ),
        )

    def add_message(self, inquiry_id: str, text: str, *, actor: Actor) -> Inquiry:
        """Add the customer's message (回答済 → 受付); refused once 解決済 (INQ-1)."""
        message = check_text(text, field="message", rule="INQ-1", max_length=10_000)
        return self._run(
            inquiry_id,
            lambda i, now: i._step(
                "add_message",
                actor,
                now,
                InquiryMessageAdded,
                {},
                messages=(*i.messages, ("customer", message)),
            ),
        )

    def resolve(self, inquiry_id: str, *, actor: Actor) -> Inquiry:
        """Close the inquiry as 解決済, the customer's step (INQ-1); attachments purge later."""
        return self._run(
            inquiry_id,
            lambda i, now: i._step(
                "resolve",
                actor,
                now,
                InquiryResolved,
                {"purge_at": attachment_purge_at(now)},
                resolved_at=now,
            ),
        )

    def _run(self, inquiry_id: str, command: Any) -> Inquiry:
        inquiry = self.inquiries.get(inquiry_id)
        now = to_jst(self.clock.now(), field="now")
        updated: Inquiry = command(inquiry, now)
        self.inquiries.save(updated, expected_version=inquiry.version)
        return updated


from omakase_core.inquiry import notices  # noqa: E402  # importing it registers how the events read as messages
