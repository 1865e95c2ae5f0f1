"""Fixtures for the contract domain: the service over in-memory ports and a fixed clock.

The principals (SEC-1): ``CONTRACTOR`` is c-1's contractor, ``RIVAL`` another contract's
contractor, ``PORTAL_USER`` a customer-side user of c-1's portal, ``STAFF`` an operator and
``SYSTEM`` the sweeps.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import attrs
import pytest

from omakase_core.calendar import JST
from omakase_core.contract import Contract, Contractor, ContractService, DirectoryRole
from omakase_core.messages import NotificationSettings
from omakase_core.principal import Principal
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
CONTRACTOR = Principal.contractor("c-1")
RIVAL = Principal.contractor("c-2")
PORTAL_USER = Principal.customer("c-1")
STAFF = Principal.operator("staff-1")
SYSTEM = Principal.system()
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

    def snapshot(
        self, contract_id: str = "c-1"
    ) -> tuple[Contract, list[OutboxRecord], dict[str, tuple[str, DirectoryRole]]]:
        """Return what a refused command must leave unchanged: contract, outbox, directory."""
        return (
            self.contracts.get(contract_id),
            self.outbox.records(),
            self.directory.accounts(contract_id),
        )


def make_world() -> World:
    """Return fresh in-memory ports at ``T0`` with contract c-1 of ``OWNER`` opened."""
    clock = FixedClock(T0)
    outbox = InMemoryOutbox()
    contracts = InMemoryContractRepository(outbox)
    directory = InMemoryUserDirectory()
    service = ContractService(contracts=contracts, clock=clock, directory=directory)
    service.open_contract("c-1", contractor=OWNER, by=STAFF)
    return World(clock, outbox, contracts, directory, RecordingNotifier(), service)


@pytest.fixture
def world() -> World:
    return make_world()
