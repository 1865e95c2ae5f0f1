"""The values of fault inquiries: the status, attachments and the events (INQ-1 … INQ-3).

Decision (SEC-2): an :class:`Attachment` checks itself on construction (INQ-2), so that no
attachment of a refused type or size can exist, not only none that the service accepts.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

import attrs

from omakase_core.events import Event
from omakase_core.inquiry.rules import validate_attachment
from omakase_core.lifecycle import Status

__all__ = [
    "Attachment",
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
    """An attached file (INQ-2): an accepted type, 1 byte to 3 MB."""

    filename: str
    size_bytes: int

    def __attrs_post_init__(self) -> None:
        validate_attachment(self.filename, self.size_bytes)


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
