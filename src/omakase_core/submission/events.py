"""Events of Connecure applications (PORT-3): what the aggregates record."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

import attrs

from omakase_core.events import Event
from omakase_core.lifecycle import Actor
from omakase_core.submission.documents import DocumentKind
from omakase_core.submission.model import SiteName
from omakase_core.submission.status import SubmissionStatus

__all__ = [
    "ApplicationEvent",
    "ConstructionCompleted",
    "DeadlineSet",
    "DocumentAdded",
    "DocumentDetailsUpdated",
    "DocumentStatusChanged",
    "FileUploaded",
    "ScheduleSet",
]


@attrs.frozen(kw_only=True)
class ApplicationEvent(Event):
    """Base of the application events; ``contact_email`` is the customer's portal contact."""

    aggregate_type: ClassVar[str] = "application"

    site: SiteName
    contact_email: str


@attrs.frozen(kw_only=True)
class DocumentStatusChanged(ApplicationEvent):
    """``actor`` sent ``event``: the document went from ``source`` to ``target`` (SUB-3)."""

    kind: DocumentKind
    event: str
    source: SubmissionStatus
    target: SubmissionStatus
    actor: Actor
    comment: str | None = None


@attrs.frozen(kw_only=True)
class FileUploaded(ApplicationEvent):
    """The customer uploaded a file, stored as ``file_name`` (SUB-3 (a), (c), (h))."""

    kind: DocumentKind
    file_name: str


@attrs.frozen(kw_only=True)
class DocumentDetailsUpdated(ApplicationEvent):
    """The customer filled in details or contacts of a document."""

    kind: DocumentKind


@attrs.frozen(kw_only=True)
class DocumentAdded(ApplicationEvent):
    """A document joined the application (the billing correction of SUB-3(f))."""

    kind: DocumentKind


@attrs.frozen(kw_only=True)
class DeadlineSet(ApplicationEvent):
    """The operator set a document's submission deadline (提出締切日)."""

    kind: DocumentKind
    deadline: date


@attrs.frozen(kw_only=True)
class ScheduleSet(ApplicationEvent):
    """The customer gave the construction preferences (SUB-10)."""


@attrs.frozen(kw_only=True)
class ConstructionCompleted(ApplicationEvent):
    """Router installation completed; billing starts the month after (SUB-12)."""

    completed_on: date
    first_billing_month: date
