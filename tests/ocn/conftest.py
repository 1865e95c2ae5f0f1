"""Fixtures for OCN: the service over in-memory ports and a fixed clock.

The principals (SEC-1): ``CUSTOMER`` is OCN customer ocn-1, ``RIVAL`` another OCN customer
(ocn-2, also stored), ``STAFF`` an operator, ``CONTRACTOR`` and ``SYSTEM`` principals that
have no business with OCN's forms.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import attrs
import pytest

from omakase_core.calendar import JST
from omakase_core.ocn import (
    CancellationRequest,
    MailChangePattern,
    MailChangeRequest,
    OcnCustomer,
    OcnService,
)
from omakase_core.principal import Principal
from omakase_core.testing import FixedClock, InMemoryOutbox, InMemoryRepository

if TYPE_CHECKING:
    from omakase_core.events import OutboxRecord

T0 = datetime(2026, 11, 2, 10, 0, tzinfo=JST)
CUSTOMER = Principal.customer("ocn-1")
RIVAL = Principal.customer("ocn-2")
STAFF = Principal.operator("staff-1")
CONTRACTOR = Principal.contractor("ocn-1")
SYSTEM = Principal.system()

ADD_HANAKO = MailChangeRequest(
    pattern=MailChangePattern.ACCOUNT_AND_VIRUS_CHECK,
    new_accounts=("hanako",),
    virus_checks=("taro",),
)
CANCELLATION = CancellationRequest(
    desired_date=date(2026, 12, 31),
    reason="移行",
    reason_detail="他社サービスへ移行するため",
    migration_reason="コスト",
    contact_name="山田太郎",
    phone="0312345678",
    email="taro@example.co.jp",
    email_confirmation="taro@example.co.jp",
)


@attrs.frozen
class Desk:
    """The ports a test looks at, with the service over them."""

    clock: FixedClock
    outbox: InMemoryOutbox
    customers: InMemoryRepository[OcnCustomer]
    service: OcnService

    def snapshot(self, customer_id: str = "ocn-1") -> tuple[OcnCustomer, list[OutboxRecord]]:
        """Return what a refused command must leave unchanged: the customer and the outbox."""
        return self.customers.get(customer_id), self.outbox.records()


def make_desk() -> Desk:
    """Return fresh in-memory ports at ``T0`` with ocn-1 (taro) and ocn-2 (jiro) registered."""
    clock = FixedClock(T0)
    outbox = InMemoryOutbox()
    customers: InMemoryRepository[OcnCustomer] = InMemoryRepository(outbox)
    service = OcnService(customers=customers, clock=clock)
    service.create_customer("ocn-1", by=STAFF, accounts=("taro",))
    service.create_customer("ocn-2", by=STAFF, accounts=("jiro",))
    return Desk(clock, outbox, customers, service)


@pytest.fixture
def desk() -> Desk:
    return make_desk()
