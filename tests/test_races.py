"""A command that loses a race reports ConcurrencyConflict, never a time-order error (SEC-3).

The race: process A reads its clock, then process B runs a whole command on the same
aggregate (its clock, read later, is later) and saves; then A goes on. With real clocks B's
write lands after A's clock read. :class:`RacingClock` plays exactly that: on its first read
it fixes A's instant, lets the rival command run at a later instant, and only then answers.

Every service loads the aggregate *before* reading its clock (``load_owned``), so A acts on
the version it loaded and its save finds the rival's newer version: a
``ConcurrencyConflict`` that changes nothing. A service that read the clock first would load
the rival's version and refuse A's earlier instant as out of time order instead.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from omakase_core import ConcurrencyConflict, Principal
from omakase_core.calendar import JST
from omakase_core.contract import Contractor, ContractService
from omakase_core.testing import (
    InMemoryAttachmentStore,
    InMemoryContractedServices,
    InMemoryContractRepository,
    InMemoryInquiryRepository,
    InMemoryOutbox,
    InMemoryUserDirectory,
)

if TYPE_CHECKING:
    from collections.abc import Callable

T0 = datetime(2026, 11, 2, 10, 0, tzinfo=JST)


class RacingClock:
    """A clock whose next read lets a rival command in between the read and its answer."""

    def __init__(self, start: datetime) -> None:
        self.instant = start
        self.rival: Callable[[], object] | None = None

    def now(self) -> datetime:
        answer = self.instant
        self.instant += timedelta(minutes=1)
        rival, self.rival = self.rival, None
        if rival is not None:
            rival()  # the rival reads the clock again: a later instant than ``answer``
        return answer


def test_sec_3_a_contract_command_that_loses_a_race_is_a_concurrency_conflict() -> None:
    clock = RacingClock(T0)
    outbox = InMemoryOutbox()
    contracts = InMemoryContractRepository(outbox)
    service = ContractService(contracts=contracts, clock=clock, directory=InMemoryUserDirectory())
    service.open_contract(
        "c-1",
        contractor=Contractor(name="山田 太郎", email="taro@example.co.jp"),
        by=Principal.operator("staff-1"),
    )
    contractor = Principal.contractor("c-1")
    clock.rival = lambda: service.request_contractor_change(
        "c-1", by=contractor, name="佐藤 花子", email="hanako@example.co.jp"
    )
    with pytest.raises(ConcurrencyConflict):
        service.request_termination("c-1", by=contractor)
    stored = contracts.get("c-1")
    assert stored.pending_change is not None  # the rival's change, and only it, was stored
    assert [type(record.event).__name__ for record in outbox.records()] == [
        "ContractorChangeRequested"
    ]


def test_sec_3_an_inquiry_command_that_loses_a_race_is_a_concurrency_conflict() -> None:
    from omakase_core.accounts import Role  # noqa: PLC0415
    from omakase_core.inquiry import InquiryService, InquiryStatus  # noqa: PLC0415

    clock = RacingClock(T0)
    outbox = InMemoryOutbox()
    inquiries = InMemoryInquiryRepository(outbox)
    service = InquiryService(
        inquiries=inquiries,
        clock=clock,
        attachments=InMemoryAttachmentStore(),
        services=InMemoryContractedServices({"tenant-1": ("KDDI IP-VPN",)}),
    )
    user = Principal.customer("tenant-1", user_id="sato@example.co.jp", role=Role.USER)
    service.open(
        "inq-1",
        by=user,
        subject="VPN",
        body="つながりません",
        contact_email="sato@example.co.jp",
        service="KDDI IP-VPN",
    )
    clock.rival = lambda: service.answer("inq-1", "再起動してください", by=Principal.operator("k"))
    with pytest.raises(ConcurrencyConflict):
        service.resolve("inq-1", by=user)
    assert inquiries.get("inq-1").status is InquiryStatus.ANSWERED
    assert len(outbox.records()) == 2  # opened, answered: nothing of the losing command
