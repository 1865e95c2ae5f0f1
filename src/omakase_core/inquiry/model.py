"""The values of fault inquiries: the status, attachments and the events (INQ-1 … INQ-3).

Decisions (SEC-2):

- An :class:`Attachment` checks itself on construction (INQ-2), so that no attachment of a
  refused type or size can exist, not only none that the service accepts.
- An event checks its fields on construction as the inquiry does (a subject, a contact
  address, an answer, an aware ``purge_at``), so that no event the notice (INQ-3) or the
  codec (PORT-3) cannot use is ever recorded.
- INQ-2: an :class:`Attachment` names the stored file by ``attachment_id``, the portal's id
  of it (a printable id, as every id of the library), which is what the
  :class:`~omakase_core.inquiry.ports.AttachmentStore` deletes at the purge instant. The
  library never holds the file's bytes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Final

import attrs

from omakase_core._validation import check_email, check_text
from omakase_core.calendar import to_jst
from omakase_core.codec import stored
from omakase_core.errors import ValidationError
from omakase_core.events import Event
from omakase_core.inquiry.rules import validate_attachment
from omakase_core.lifecycle import Status
from omakase_core.principal import check_id

__all__ = [
    "Attachment",
    "AttachmentsDeleted",
    "InquiryAnswered",
    "InquiryEvent",
    "InquiryMessageAdded",
    "InquiryOpened",
    "InquiryResolved",
    "InquiryStatus",
]


class InquiryStatus(Status):
    """The status of a fault inquiry (INQ-1)."""

    RECEIVED = "received", "受付"
    ANSWERED = "answered", "回答済"
    RESOLVED = "resolved", "解決済"


@attrs.frozen(kw_only=True)
class Attachment:
    """An attached file (INQ-2): an accepted type, 1 byte to 3 MB.

    ``attachment_id`` is the portal's id of the stored file: the
    :class:`~omakase_core.inquiry.ports.AttachmentStore` deletes the file by it when the
    inquiry's attachments reach their purge instant.
    """

    attachment_id: str
    filename: str
    size_bytes: int

    def __attrs_post_init__(self) -> None:
        check_id(self.attachment_id, field="attachment_id")
        validate_attachment(self.filename, self.size_bytes)


MAX_SUBJECT: Final = 200
"""INQ-1: the longest subject, in characters."""

MAX_TEXT: Final = 10_000
"""INQ-1: the longest message or answer, in characters."""


def _subject(_: object, __: attrs.Attribute[Any], value: object) -> None:
    check_text(value, field="subject", rule="INQ-1", max_length=MAX_SUBJECT)


def _contact_email(_: object, __: attrs.Attribute[Any], value: object) -> None:
    check_email(value, field="contact_email", rule="INQ-3")


def _answer(_: object, __: attrs.Attribute[Any], value: object) -> None:
    check_text(value, field="answer", rule="INQ-3", max_length=MAX_TEXT)


def _purge_at(_: object, __: attrs.Attribute[Any], value: object) -> None:
    to_jst(value, field="purge_at")  # type: ignore[arg-type]  # to_jst checks the type


def _attachment_ids(_: object, __: attrs.Attribute[Any], value: object) -> None:
    if type(value) is not tuple or not value:
        msg = f"attachment_ids must be a non-empty tuple of ids, not {type(value).__name__}"
        raise ValidationError(msg, field="attachment_ids", rule="INQ-2")
    for item in value:
        check_id(item, field="attachment_ids")


@attrs.frozen(kw_only=True)
class InquiryEvent(Event):
    """Base of the inquiry events; ``contact_email`` is the inquiry's contact address."""

    aggregate_type: ClassVar[str] = "inquiry"

    subject: str = attrs.field(validator=_subject)
    contact_email: str = attrs.field(validator=_contact_email)


@stored("inquiry.InquiryOpened")
@attrs.frozen(kw_only=True)
class InquiryOpened(InquiryEvent):
    """A customer sent a fault inquiry."""


@stored("inquiry.InquiryAnswered")
@attrs.frozen(kw_only=True)
class InquiryAnswered(InquiryEvent):
    """Staff answered (INQ-3: the contact address is notified)."""

    answer: str = attrs.field(validator=_answer)


@stored("inquiry.InquiryMessageAdded")
@attrs.frozen(kw_only=True)
class InquiryMessageAdded(InquiryEvent):
    """The customer added a message: the inquiry waits for an answer (受付, INQ-1).

    Sent in 回答済 it reopens the inquiry; sent in 受付 it keeps it 受付. The message's files
    are on the inquiry (``Inquiry.attachments_of``).
    """


@stored("inquiry.InquiryResolved")
@attrs.frozen(kw_only=True)
class InquiryResolved(InquiryEvent):
    """The customer closed the inquiry; attachments go at ``purge_at`` (INQ-2)."""

    purge_at: datetime = attrs.field(validator=_purge_at)


@stored("inquiry.AttachmentsDeleted")
@attrs.frozen(kw_only=True)
class AttachmentsDeleted(InquiryEvent):
    """The files of a resolved inquiry were deleted at their purge instant (INQ-2).

    ``attachment_ids`` are the ids the :class:`~omakase_core.inquiry.ports.AttachmentStore`
    deleted. It sends no notice.
    """

    attachment_ids: tuple[str, ...] = attrs.field(validator=_attachment_ids)
