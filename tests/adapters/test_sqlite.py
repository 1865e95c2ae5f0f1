"""PORT-5: what is particular to the SQLite store — WAL, its schema, indexes, connections."""

from __future__ import annotations

import sqlite3
import threading
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest

from omakase_core.adapters.sqlite import SqliteStore, create_schema
from omakase_core.contract import ContractService, erase_personal_data
from omakase_core.errors import ValidationError
from omakase_core.principal import Principal
from omakase_core.testing import FixedClock
from tests.adapters.conftest import stored_bytes
from tests.adapters.test_adapters import LATER, T0, _terminated

if TYPE_CHECKING:
    import pathlib

TABLES = {
    "omakase_schema",
    "omakase_contracts",
    "omakase_applications",
    "omakase_sites",
    "omakase_id_changes",
    "omakase_tenants",
    "omakase_credentials",
    "omakase_ocn_customers",
    "omakase_inquiries",
    "omakase_outbox",
    "omakase_directory",
    "omakase_site_names",
}


def _names(connection: sqlite3.Connection, kind: str) -> set[str]:
    rows = connection.execute("SELECT name FROM sqlite_master WHERE type = ?", (kind,))
    return {name for (name,) in rows if not name.startswith("sqlite_")}


def _plan(connection: sqlite3.Connection, query: str, *params: object) -> str:
    rows = connection.execute(f"EXPLAIN QUERY PLAN {query}", params).fetchall()
    return " / ".join(str(row[-1]) for row in rows)


def test_port_5_a_store_opens_its_file_in_wal_mode_with_every_table(sqlite_path: str) -> None:
    with SqliteStore(sqlite_path):
        pass
    with sqlite3.connect(sqlite_path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert _names(connection, "table") == TABLES
        assert connection.execute("SELECT version FROM omakase_schema").fetchall() == [(4,)]
    connection.close()


def test_port_5_the_sweeps_and_the_customer_queries_use_their_indexes(sqlite_path: str) -> None:
    with SqliteStore(sqlite_path) as store:
        store.contracts.add(_terminated(1))
    connection = sqlite3.connect(sqlite_path)
    try:
        due = "SELECT body FROM {} WHERE due_at <= ? ORDER BY due_at, seq LIMIT 10"
        assert "omakase_contracts_due" in _plan(connection, due.format("omakase_contracts"), 1)
        assert "omakase_id_changes_due" in _plan(connection, due.format("omakase_id_changes"), 1)
        assert "omakase_sites_due" in _plan(connection, due.format("omakase_sites"), 1)
        holder = "DELETE FROM omakase_site_names WHERE holder_id = ?"
        assert "omakase_site_names_holder" in _plan(connection, holder, "app-1")
        customer = "SELECT body FROM {} WHERE customer_id = ? ORDER BY seq"
        for table in ("omakase_applications", "omakase_sites", "omakase_id_changes"):
            assert f"{table}_customer" in _plan(connection, customer.format(table), "c-1")
        pending = (
            "SELECT key FROM omakase_outbox WHERE delivered_at IS NULL "
            "AND dead_lettered_at IS NULL AND (leased_until IS NULL OR leased_until <= ?) "
            "ORDER BY seq LIMIT 10"
        )
        assert "omakase_outbox_pending" in _plan(connection, pending, 1)
        dead = (
            "SELECT key FROM omakase_outbox WHERE dead_lettered_at IS NOT NULL "
            "AND delivered_at IS NULL ORDER BY seq"
        )
        assert "omakase_outbox_dead" in _plan(connection, dead)
        events = "SELECT key FROM omakase_outbox WHERE aggregate_id = ? AND aggregate_type = ?"
        assert "omakase_outbox_aggregate" in _plan(connection, events, "contract-1", "contract")
        due = "SELECT body FROM omakase_inquiries WHERE due_at <= ? ORDER BY due_at, seq"
        assert "omakase_inquiries_due" in _plan(connection, due, 1)
        (micros,) = connection.execute("SELECT due_at FROM omakase_contracts").fetchone()
    finally:
        connection.close()
    service_ends = _terminated(1).next_due_at
    assert service_ends is not None
    assert micros == int(service_ends.timestamp()) * 1_000_000  # UTC microseconds


def test_port_5_create_schema_is_idempotent_and_joins_an_open_transaction() -> None:
    connection = sqlite3.connect(":memory:", isolation_level=None)
    try:
        create_schema(connection)
        create_schema(connection)
        connection.execute("BEGIN")
        connection.execute("DROP TABLE omakase_outbox")
        create_schema(connection)  # inside the caller's transaction: not committed by it
        assert connection.in_transaction
        connection.execute("ROLLBACK")
        assert _names(connection, "table") == TABLES
    finally:
        connection.close()


@pytest.mark.parametrize("given", [None, ":memory:", 3])
def test_sec_2_create_schema_refuses_what_is_not_a_connection(given: object) -> None:
    with pytest.raises(ValidationError) as raised:
        create_schema(given)  # type: ignore[arg-type]  # the point
    assert raised.value.field == "connection"


def test_sec_2_create_schema_refuses_a_closed_connection() -> None:
    connection = sqlite3.connect(":memory:")
    connection.close()
    with pytest.raises(ValidationError) as raised:
        create_schema(connection)
    assert raised.value.field == "connection"


@pytest.mark.parametrize("given", [None, 3, b"x.db", "", "  ", "a\x00b", "a\nb", "x" * 5000])
def test_sec_2_a_store_refuses_a_path_that_is_no_file_name(given: object) -> None:
    with pytest.raises(ValidationError) as raised:
        SqliteStore(given)  # type: ignore[arg-type]  # the point
    assert raised.value.field == "path"


def test_port_5_threads_share_one_file_store_each_on_a_connection_of_its_own(
    sqlite_path: str,
) -> None:
    with SqliteStore(sqlite_path) as store:
        errors: list[BaseException] = []

        def add(first: int) -> None:
            try:
                for number in range(first, first + 10):
                    store.contracts.add(_terminated(number))
            except BaseException as error:  # reported below
                errors.append(error)

        threads = [threading.Thread(target=add, args=(1 + 10 * n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert len(store.contracts.due(LATER)) == 40
        assert len(store.outbox) == 40


def test_port_5_a_memory_store_is_one_database_shared_by_threads() -> None:
    with SqliteStore(":memory:") as store:
        threads = [
            threading.Thread(target=store.contracts.add, args=(_terminated(n),))
            for n in range(1, 5)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(c.id for c in store.contracts.due(LATER)) == [
            f"contract-{n}" for n in range(1, 5)
        ]
        with store.contracts.claim_due(LATER, limit=2) as batch:
            (first, second) = batch.due(LATER)
            batch.save(first.apply_due(LATER), expected_version=first.version)
        assert store.contracts.get(first.id).version > first.version
        assert store.contracts.get(second.id) == second


def test_port_5_two_stores_on_one_file_see_each_others_writes(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "shared.db"
    with SqliteStore(path) as first, SqliteStore(str(path)) as second:
        first.contracts.add(_terminated(1))
        assert second.contracts.get("contract-1") == _terminated(1).saved()
        assert [r.key for r in second.outbox.pending()] == ["contract:contract-1:1"]
        assert second.outbox.mark_delivered("contract:contract-1:1", at=T0 + timedelta(hours=1))
        assert first.outbox.pending() == []


def test_con_10_a_reader_holding_the_wal_only_delays_its_truncation_to_a_later_write(
    sqlite_path: str,
) -> None:
    """The WAL keeps the erased pages while a reader holds them; the next write truncates it."""
    store = SqliteStore(sqlite_path)
    try:
        store.contracts.add(_terminated(1))
        email = store.contracts.get("contract-1").contractor.email.encode()
        reader = sqlite3.connect(sqlite_path)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM omakase_outbox").fetchall()  # holds a snapshot
        later = T0 + timedelta(days=60)
        service = ContractService(
            contracts=store.contracts, clock=FixedClock(later), directory=store.directory
        )
        service.apply_due(later, by=Principal.system())
        assert store.contracts.redact_events("contract-1", using=erase_personal_data) == 0
        assert email in stored_bytes("sqlite", sqlite_path), "the reader keeps the old pages"
        reader.rollback()
        reader.close()
        store.contracts.add(_terminated(2))  # any later write owes the truncation
        assert email not in stored_bytes("sqlite", sqlite_path)
    finally:
        store.close()
