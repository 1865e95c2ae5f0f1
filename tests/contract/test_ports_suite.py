"""PORT-1 … PORT-3: the port contract suite runs against the in-memory and sqlite adapters."""

from __future__ import annotations

import importlib.util
import pathlib
import sys
from typing import TYPE_CHECKING

from omakase_core.testing import ContractPortsContract, InMemoryContractRepository, InMemoryOutbox

if TYPE_CHECKING:
    from types import ModuleType

    from omakase_core.contract.ports import ContractRepository
    from omakase_core.ports import Outbox


def _load_sqlite_adapter() -> ModuleType:
    path = pathlib.Path(__file__).parents[2] / "examples" / "sqlite_adapter.py"
    spec = importlib.util.spec_from_file_location("sqlite_adapter", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["sqlite_adapter"] = module
    spec.loader.exec_module(module)
    return module


sqlite_adapter = _load_sqlite_adapter()


class TestInMemoryPorts(ContractPortsContract):
    """PORT-1: the library's own in-memory adapters pass the suite."""

    def make_ports(self) -> tuple[ContractRepository, Outbox]:
        outbox = InMemoryOutbox()
        return InMemoryContractRepository(outbox), outbox


class TestSqlitePorts(ContractPortsContract):
    """PORT-1: the stdlib sqlite3 adapter of examples/ passes the same suite."""

    def make_ports(self) -> tuple[ContractRepository, Outbox]:
        store = sqlite_adapter.SqliteStore(":memory:")
        return store.contracts, store.outbox
