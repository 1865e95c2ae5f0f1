"""PORT-2, PORT-3: the contract-only suites keep working with their ``make_ports`` factory.

:class:`ContractPortsContract` (and its halves) are the subset of
:class:`~omakase_core.testing.StorageContract` for a contract repository and its outbox: a
caller who wrote ``make_ports`` before the full suite existed still runs them. The whole
suite, racing writers included, runs in ``tests/test_ports_suite.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from omakase_core.testing import (
    ContractPortsContract,
    ContractRepositoryContract,
    InMemoryContractRepository,
    InMemoryOutbox,
    InMemoryStore,
    OutboxContract,
    StorageContract,
)

if TYPE_CHECKING:
    from omakase_core.contract.ports import ContractRepository
    from omakase_core.ports import Outbox


class TestInMemoryPorts(ContractPortsContract):
    """PORT-1: the in-memory contract repository and outbox pass the contract-only suite."""

    def make_ports(self) -> tuple[ContractRepository, Outbox]:
        outbox = InMemoryOutbox()
        return InMemoryContractRepository(outbox), outbox


class TestInMemoryStorePorts(ContractPortsContract):
    """PORT-1: without ``make_ports``, the contract-only suite takes a store's ports."""

    def make_store(self) -> InMemoryStore:
        return InMemoryStore()


def _tests(suite: type) -> set[str]:
    return {name for name in dir(suite) if name.startswith("test_")}


def test_port_5_the_contract_only_suites_are_subsets_of_the_storage_contract() -> None:
    halves = _tests(ContractRepositoryContract) | _tests(OutboxContract)
    assert _tests(ContractPortsContract) == halves
    assert halves < _tests(StorageContract)
    assert issubclass(StorageContract, ContractPortsContract)
