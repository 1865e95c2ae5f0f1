"""Fixtures for fault inquiries: the service over in-memory ports and a fixed clock.

The principals (SEC-1): ``USER`` and ``ADMIN`` are users of tenant-1 (ユーザ, 管理者),
``RIVAL`` an administrator of tenant-2, ``STAFF`` an operator. inq-1 is tenant-1's inquiry
with one attachment, ``LOG`` (its file ``att-log`` is in the desk's attachment store), about
``WAN``, inq-2 tenant-2's without any, about ``VPN``; the desk's service knows the tenants'
contracted services, ``CONTRACTS`` (INQ-1).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import attrs
import pytest

from omakase_core.accounts import Role
from omakase_core.calendar import JST
from omakase_core.inquiry import Attachment, Inquiry, InquiryService
from omakase_core.principal import Principal
from omakase_core.testing import (
    FixedClock,
    InMemoryAttachmentStore,
    InMemoryContractedServices,
    InMemoryInquiryRepository,
    InMemoryOutbox,
)

if TYPE_CHECKING:
    from omakase_core.events import OutboxRecord

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=JST)
USER = Principal.customer("tenant-1", user_id="sato@example.co.jp", role=Role.USER)
ADMIN = Principal.customer("tenant-1", user_id="admin@example.co.jp", role=Role.ADMIN)
RIVAL = Principal.customer("tenant-2", user_id="x@example.jp", role=Role.ADMIN)
STAFF = Principal.operator("kddi-7")
LOG = Attachment(attachment_id="att-log", filename="log.txt", size_bytes=10)
VPN = "KDDI IP-VPN"
"""tenant-2's contracted service, which inq-2 is about (INQ-1)."""
WAN = "KDDI Wide Area Virtual Switch 2"
"""tenant-1's first contracted service, which inq-1 is about (INQ-1)."""
CONTRACTS = {
    "tenant-1": (WAN, "KDDI 光ダイレクト"),
    "tenant-2": (VPN,),
}
"""The services each tenant has contracted (INQ-1)."""


def jst(*args: int) -> datetime:
    return datetime(*args, tzinfo=JST)  # type: ignore[arg-type, misc]


@attrs.frozen
class Desk:
    """The ports a test looks at, with the service over them."""

    clock: FixedClock
    outbox: InMemoryOutbox
    inquiries: InMemoryInquiryRepository
    service: InquiryService
    files: InMemoryAttachmentStore

    def snapshot(self, inquiry_id: str = "inq-1") -> tuple[Inquiry, list[OutboxRecord]]:
        """Return what a refused command must leave unchanged: the inquiry and the outbox."""
        return self.inquiries.get(inquiry_id), self.outbox.records()


def make_desk() -> Desk:
    """Return fresh in-memory ports at ``T0`` with inq-1 (tenant-1) and inq-2 (tenant-2)."""
    clock = FixedClock(T0)
    outbox = InMemoryOutbox()
    inquiries = InMemoryInquiryRepository(outbox)
    files = InMemoryAttachmentStore()
    service = InquiryService(
        inquiries=inquiries,
        clock=clock,
        attachments=files,
        services=InMemoryContractedServices(CONTRACTS),
    )
    files.store(LOG.attachment_id)
    service.open(
        "inq-1",
        by=USER,
        subject="VPN につながらない",
        body="朝から接続できません",
        contact_email="user@example.co.jp",
        service=WAN,
        attachments=(LOG,),
    )
    service.open(
        "inq-2", by=RIVAL, subject="別件", body="本文", contact_email="x@example.jp", service=VPN
    )
    return Desk(clock, outbox, inquiries, service, files)


@pytest.fixture
def desk() -> Desk:
    return make_desk()
