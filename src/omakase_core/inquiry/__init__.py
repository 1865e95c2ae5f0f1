"""Fault inquiries of My KDDI Biz (INQ-1 … INQ-3): lifecycle, attachments, answer notice.

受付 (waiting for an answer) → 回答済 when staff answer; back to 受付 when the customer adds
a message (one added in 受付 keeps it 受付); every customer message may carry attachments;
the customer may close it as 解決済 from either, and 解決済 is terminal. An inquiry names
the contracted service it is about, one of those the portal's :class:`ContractedServices`
lists for the tenant (INQ-1).
Attachments are checked on upload; six months after resolution (CAL-6) the sweep
:meth:`InquiryService.apply_due` deletes their files through the portal's
:class:`AttachmentStore` (INQ-2).

The attachment rules are :mod:`~omakase_core.inquiry.rules`; the status, attachments and
events :mod:`~omakase_core.inquiry.model`; the chart ``LIFECYCLES["inquiry"]``
:mod:`~omakase_core.inquiry.machine`; the aggregate :class:`Inquiry`; the ports
(:class:`InquiryRepository`, :class:`AttachmentStore`, :class:`ContractedServices`)
:mod:`~omakase_core.inquiry.ports`;
and the :class:`InquiryService` runs its commands over the ports for a principal
(SEC-1 … SEC-3).
"""

from omakase_core.inquiry.aggregate import Inquiry
from omakase_core.inquiry.machine import INQUIRY_LIFECYCLE, InquiryChart
from omakase_core.inquiry.model import (
    Attachment,
    AttachmentsDeleted,
    InquiryAnswered,
    InquiryEvent,
    InquiryMessageAdded,
    InquiryOpened,
    InquiryResolved,
    InquiryStatus,
)
from omakase_core.inquiry.ports import AttachmentStore, ContractedServices, InquiryRepository
from omakase_core.inquiry.rules import (
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_TYPES,
    attachment_purge_at,
    validate_attachment,
)
from omakase_core.inquiry.service import InquiryService, PurgeReport

__all__ = [
    "ATTACHMENT_MAX_BYTES",
    "ATTACHMENT_TYPES",
    "INQUIRY_LIFECYCLE",
    "Attachment",
    "AttachmentStore",
    "AttachmentsDeleted",
    "ContractedServices",
    "Inquiry",
    "InquiryAnswered",
    "InquiryChart",
    "InquiryEvent",
    "InquiryMessageAdded",
    "InquiryOpened",
    "InquiryRepository",
    "InquiryResolved",
    "InquiryService",
    "InquiryStatus",
    "PurgeReport",
    "attachment_purge_at",
    "notices",
    "validate_attachment",
]

from omakase_core.inquiry import notices  # importing it registers how the events read as messages
