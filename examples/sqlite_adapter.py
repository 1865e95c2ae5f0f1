"""Contracts stored in SQLite with the shipped adapter, then swept (PORT-3, PORT-5).

:class:`~omakase_core.adapters.sqlite.SqliteStore` holds every storage port of every domain
in one database file: the services take its attributes (``store.contracts``,
``store.directory``, …), and each ``add``/``save`` writes the new state and its outbox
records in one transaction. The sweep claims what is due and runs the service's
``apply_due`` over the claimed batch, as a sweep worker would (on PostgreSQL, several at once).
"""

from __future__ import annotations

import pathlib
import sqlite3
import tempfile
from datetime import datetime

from omakase_core.adapters.sqlite import SqliteStore
from omakase_core.calendar import JST
from omakase_core.contract import Contractor, ContractService, DirectoryRole
from omakase_core.principal import Principal
from omakase_core.testing import FixedClock


def main() -> None:
    """Terminate a contract, sweep it 46 days later, and show the rows the adapter wrote."""
    with tempfile.TemporaryDirectory() as directory:
        path = pathlib.Path(directory) / "portal.db"
        with SqliteStore(path) as store:
            clock = FixedClock(datetime(2026, 11, 1, 10, 0, tzinfo=JST))
            service = ContractService(
                contracts=store.contracts, clock=clock, directory=store.directory
            )
            owner = Contractor(name="山田 太郎", email="owner@example.co.jp")
            store.directory.add_account(
                "c-1", owner.email, name=owner.name, role=DirectoryRole.USER
            )
            service.open_contract("c-1", contractor=owner, by=Principal.operator("staff-1"))
            service.request_termination("c-1", by=Principal.contractor("c-1"))

            later = clock.advance(days=46)
            with store.contracts.claim_due(later, limit=100) as batch:
                sweeper = ContractService(contracts=batch, clock=clock, directory=store.directory)
                report = sweeper.apply_due(later, by=Principal.system())
            print("sweep:", report)
            for record in store.outbox.pending():
                print("outbox:", record.key, record.event.name)

        connection = sqlite3.connect(path)
        try:
            query = "SELECT id, version, status, due_at FROM omakase_contracts"
            for row in connection.execute(query):
                print("contracts row:", row)
        finally:
            connection.close()


if __name__ == "__main__":
    main()
