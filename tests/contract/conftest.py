"""Fixtures for the contract domain: the service over in-memory ports and a fixed clock."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import attrs
import pytest

from omakase_core.calendar import JST
from omakase_core.contract import Contract, Contractor, ContractService
from omakase_core.messages import NotificationSettings
from omakase_core.testing import (
    FixedClock,
    InMemoryContractRepository,
    InMemoryOutbox,
    InMemoryUserDirectory,
    RecordingNotifier,
)

if TYPE_CHECKING:
    from omakase_core.events import OutboxRecord

T0 = datetime(2026, 11, 1, 10, 0, tzinfo=JST)
OWNER = Contractor(name="山田 太郎", email="taro@example.co.jp")
HEIR = Contractor(name="佐藤 花子", email="hanako@example.co.jp")
SETTINGS = NotificationSettings(
    contractor_login_url="https://portal.example.jp/contractor/login",
    first_login_url="https://portal.example.jp/first-login",
)


@attrs.frozen
class World:
    """The ports a test looks at, with the service over them."""

    clock: FixedClock
    outbox: InMemoryOutbox
    contracts: InMemoryContractRepository
    directory: InMemoryUserDirectory
    notifier: RecordingNotifier
    service: ContractService

    def snapshot(self, contract_id: str = "c-1") -> tuple[Contract, list[OutboxRecord]]:
        """Return what a refused command must leave unchanged: the contract and the outbox."""
        return self.contracts.get(contract_id), self.outbox.records()


@pytest.fixture
def world() -> World:
    clock = FixedClock(T0)
    outbox = InMemoryOutbox()
    contracts = InMemoryContractRepository(outbox)
    directory = InMemoryUserDirectory()
    service = ContractService(contracts=contracts, clock=clock, directory=directory)
    service.open_contract("c-1", contractor=OWNER)
    return World(clock, outbox, contracts, directory, RecordingNotifier(), service)
