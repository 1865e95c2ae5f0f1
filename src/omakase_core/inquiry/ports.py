"""Ports of fault inquiries: their repository and the attachment store (PORT-1, PORT-2, INQ-2).

:class:`InquiryRepository` is :class:`~omakase_core.ports.Repository`'s ``get``, ``add`` and
``save`` with the time-driven query of the attachments' purge (``due``);
:class:`omakase_core.testing.InMemoryInquiryRepository` implements it. The files
themselves are the portal's: the library holds each attachment's id, and deletes the file
through the :class:`AttachmentStore` the caller provides
(:class:`omakase_core.testing.InMemoryAttachmentStore` in tests). Which services each
tenant has contracted is the portal's too: :class:`ContractedServices` answers it, so that
an inquiry names one of them (INQ-1).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from omakase_core.inquiry.aggregate import Inquiry
from omakase_core.ports import Repository

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable
    from datetime import datetime

__all__ = ["AttachmentStore", "ContractedServices", "InquiryRepository"]


class InquiryRepository(Repository[Inquiry], Protocol):
    """Storage of fault inquiries, by inquiry id, with optimistic versions (PORT-2)."""

    def due(self, now: datetime) -> Iterable[Inquiry]:
        """Return the stored inquiries whose ``next_due_at`` is at or before ``now`` (INQ-2)."""
        ...


class AttachmentStore(Protocol):
    """Where the portal keeps the attached files, by attachment id (INQ-2).

    The purge sweep deletes every file of a due inquiry *before* it saves the inquiry as
    purged, so a sweep that stops halfway deletes the same files again next time: ``delete``
    must be idempotent. ``delete`` receives the attachment id alone, so an attachment id is
    the stored file's key in this store: unique across the portal, never reused for
    another inquiry's file (the id the store gave the upload is one).
    """

    def delete(self, attachment_id: str) -> None:
        """Delete the file ``attachment_id``; deleting an absent file is not an error.

        A failure (the store unreachable) is raised: the inquiry stays due and the next
        sweep tries again.
        """
        ...


class ContractedServices(Protocol):
    """The services each tenant has contracted, as the portal's contract records say (INQ-1).

    The fault-inquiry form offers the services of the tenant's contracts; an inquiry names
    one of them. :class:`~omakase_core.inquiry.InquiryService` asks this port when an
    inquiry is opened, for the tenant of the user sending it, and compares the name exactly.
    """

    def services_of(self, customer_id: str) -> Collection[str]:
        """Return the names of the services ``customer_id`` has contracted (none: empty).

        The service asks it once per inquiry opened; it must answer a collection of names
        (a tuple, list or set of ``str``), never a single string.
        """
        ...
