"""A real adapter of the contract ports on the standard library's sqlite3 (PORT-1 … PORT-3).

It shows what a portal team writes for its own database: a contract repository and an
outbox sharing one connection, where every ``add``/``save`` is one transaction holding
the new state **and** its outbox rows, and a stale save changes no row. The library's
port contract suite runs against it in our tests (``tests/contract/test_ports_suite.py``);
run this file to see it used end to end.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Final

from omakase_core.calendar import JST, to_jst
from omakase_core.contract import Contract, Contractor, ContractService, DirectoryRole
from omakase_core.errors import ConcurrencyConflict, NotFound, ValidationError
from omakase_core.events import (
    OutboxRecord,
    decode_event,
    encode_event,
    from_data,
    records_for_save,
    to_data,
)
from omakase_core.principal import Principal
from omakase_core.testing import FixedClock, InMemoryUserDirectory

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS contracts (
    id          TEXT PRIMARY KEY,
    version     INTEGER NOT NULL,
    status      TEXT NOT NULL,
    next_due_us INTEGER,            -- microseconds since the epoch, NULL when nothing is due
    body        TEXT NOT NULL       -- the contract as JSON (omakase_core.events.to_data)
);
CREATE INDEX IF NOT EXISTS contracts_next_due ON contracts (next_due_us);
CREATE TABLE IF NOT EXISTS outbox (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    key          TEXT NOT NULL UNIQUE,
    event        TEXT NOT NULL,      -- omakase_core.events.encode_event
    delivered_at TEXT
);
"""

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)


def _micros(instant: datetime | None) -> int | None:
    return None if instant is None else (instant - _EPOCH) // timedelta(microseconds=1)


class SqliteStore:
    """One sqlite3 database holding contracts and their outbox."""

    def __init__(self, path: str) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None)
        self.connection.executescript(SCHEMA)
        self.contracts = SqliteContractRepository(self)
        self.outbox = SqliteOutbox(self)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run a block as one transaction: all of it is written, or none of it."""
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield self.connection
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")


class SqliteContractRepository:
    """The :class:`~omakase_core.ports.ContractRepository` port on sqlite3."""

    def __init__(self, store: SqliteStore) -> None:
        self._store = store

    def get(self, aggregate_id: str) -> Contract:
        """Return the stored contract."""
        row = self._store.connection.execute(
            "SELECT body FROM contracts WHERE id = ?", (aggregate_id,)
        ).fetchone()
        if row is None:
            raise NotFound(kind="contract", id=aggregate_id)
        return _decode_contract(row[0])

    def add(self, aggregate: Contract) -> None:
        """Insert a new contract and its events in one transaction."""
        start = aggregate.version - len(aggregate.pending_events)
        records = records_for_save(
            aggregate.id,
            aggregate.pending_events,
            expected_version=start,
            version=aggregate.version,
        )
        try:
            with self._store.transaction() as db:
                db.execute(
                    "INSERT INTO contracts (version, status, next_due_us, body, id) "
                    "VALUES (?, ?, ?, ?, ?)",
                    _row(aggregate),
                )
                _insert_records(db, records)
        except sqlite3.IntegrityError:
            actual = self._version(aggregate.id)
            if actual is None:
                raise
            raise ConcurrencyConflict(
                aggregate_id=aggregate.id, expected_version=None, actual_version=actual
            ) from None

    def save(self, aggregate: Contract, *, expected_version: int) -> None:
        """Update the contract stored at ``expected_version`` and add its events, atomically."""
        records = records_for_save(
            aggregate.id,
            aggregate.pending_events,
            expected_version=expected_version,
            version=aggregate.version,
        )
        version, status, next_due, body, contract_id = _row(aggregate)
        with self._store.transaction() as db:
            updated = db.execute(
                "UPDATE contracts SET version = ?, status = ?, next_due_us = ?, body = ? "
                "WHERE id = ? AND version = ?",
                (version, status, next_due, body, contract_id, expected_version),
            ).rowcount
            if updated != 1:
                raise ConcurrencyConflict(
                    aggregate_id=aggregate.id,
                    expected_version=expected_version,
                    actual_version=self._version(aggregate.id),
                )
            _insert_records(db, records)

    def due(self, now: datetime) -> list[Contract]:
        """Return the contracts whose next deadline is at or before ``now`` (CON-5)."""
        rows = self._store.connection.execute(
            "SELECT body FROM contracts WHERE next_due_us <= ? ORDER BY next_due_us, id",
            (_micros(to_jst(now, field="now")),),
        ).fetchall()
        return [_decode_contract(body) for (body,) in rows]

    def _version(self, contract_id: str) -> int | None:
        row = self._store.connection.execute(
            "SELECT version FROM contracts WHERE id = ?", (contract_id,)
        ).fetchone()
        return None if row is None else int(row[0])


class SqliteOutbox:
    """The :class:`~omakase_core.ports.Outbox` port on sqlite3."""

    def __init__(self, store: SqliteStore) -> None:
        self._store = store

    def pending(self, *, limit: int | None = None) -> Sequence[OutboxRecord]:
        """Return undelivered records, oldest first."""
        rows = self._store.connection.execute(
            "SELECT key, event FROM outbox WHERE delivered_at IS NULL ORDER BY seq LIMIT ?",
            (-1 if limit is None else limit,),
        ).fetchall()
        return [OutboxRecord(key=key, event=decode_event(event)) for key, event in rows]

    def get(self, key: str) -> OutboxRecord:
        """Return the record with idempotency key ``key``."""
        row = self._store.connection.execute(
            "SELECT event, delivered_at FROM outbox WHERE key = ?", (key,)
        ).fetchone()
        if row is None:
            raise NotFound(kind="outbox record", id=key)
        delivered = None if row[1] is None else datetime.fromisoformat(row[1])
        return OutboxRecord(key=key, event=decode_event(row[0]), delivered_at=delivered)

    def mark_delivered(self, key: str, *, at: datetime) -> bool:
        """Mark ``key`` delivered once; ``False`` if it already was."""
        with self._store.transaction() as db:
            changed = db.execute(
                "UPDATE outbox SET delivered_at = ? WHERE key = ? AND delivered_at IS NULL",
                (to_jst(at, field="at").isoformat(), key),
            ).rowcount
        if changed == 1:
            return True
        self.get(key)  # raises NotFound for an unknown key
        return False


def _row(contract: Contract) -> tuple[int, str, int | None, str, str]:
    body = json.dumps(to_data(contract.saved()), ensure_ascii=False, sort_keys=True)
    return (
        contract.version,
        contract.status.value,
        _micros(contract.next_due_at),
        body,
        contract.id,
    )


def _decode_contract(body: str) -> Contract:
    contract: Contract = from_data(Contract, json.loads(body))
    return contract


def _insert_records(db: sqlite3.Connection, records: Sequence[OutboxRecord]) -> None:
    try:
        db.executemany(
            "INSERT INTO outbox (key, event) VALUES (?, ?)",
            [(record.key, encode_event(record.event)) for record in records],
        )
    except sqlite3.IntegrityError:
        msg = "the outbox already holds one of these events; nothing was written"
        raise ValidationError(msg, field="pending_events", rule="PORT-3") from None


def main() -> None:
    """Terminate and sweep a contract stored in sqlite3, then show the rows."""
    store = SqliteStore(":memory:")
    clock = FixedClock(datetime(2026, 11, 1, 10, 0, tzinfo=JST))
    directory = InMemoryUserDirectory()
    directory.add_account("c-1", "owner@example.co.jp", name="山田 太郎", role=DirectoryRole.USER)
    service = ContractService(contracts=store.contracts, clock=clock, directory=directory)
    service.open_contract(
        "c-1",
        contractor=Contractor(name="山田 太郎", email="owner@example.co.jp"),
        by=Principal.operator("staff-1"),
    )
    service.request_termination("c-1", by=Principal.contractor("c-1"))
    report = service.apply_due(clock.advance(days=46), by=Principal.system())
    print("sweep:", report)
    for row in store.connection.execute("SELECT id, version, status, next_due_us FROM contracts"):
        print("contracts row:", row)
    for record in store.outbox.pending():
        print("outbox:", record.key, record.event.name)


if __name__ == "__main__":
    main()
