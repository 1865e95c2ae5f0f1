"""PORT-5 at scale: two worker processes sweep 20,000 due contracts of one PostgreSQL database.

Each worker (:func:`tests.adapters.workers.sweep`, started with ``spawn``) loops claim
(``FOR UPDATE SKIP LOCKED``) → ``ContractService.apply_due`` → commit until a claim comes
back short. Every contract must transition exactly once (no conflict, none left due, each
at version 3) and every event must be in the outbox exactly once.

The 20,000 contracts are built through the aggregate and stored with the adapter's own
``add`` code path, run against a recording session (:class:`_Recorder`): the statements and
parameters ``add`` would send are kept and then sent with one ``executemany`` per statement,
so the stored rows are exactly those of ``store.contracts.add`` — in about a second instead
of 40,000 round trips.
"""

from __future__ import annotations

import contextlib
import multiprocessing
from typing import TYPE_CHECKING, Any

import psycopg
import pytest

from omakase_core.adapters._sql import CONTRACTS, SqlContractRepository, SqlOutbox
from omakase_core.adapters.postgres import DIALECT, PostgresStore
from omakase_core.contract import ContractStatus
from tests.adapters import workers
from tests.adapters.test_adapters import LATER, _terminated

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from omakase_core.adapters._sql import Dialect, Session
    from omakase_core.contract import Contract
    from tests.adapters.conftest import Databases

WORKERS = 2
CONTRACTS_DUE = 20_000
BATCH = 500
"""Contracts one claim takes: one transaction per batch."""


class _Recorder:
    """A session that keeps each statement ``add`` sends instead of running it.

    ``change`` answers the number of rows the statement would insert (its parameters
    divided by the placeholders of one ``VALUES`` group), as the database would.
    """

    def __init__(self) -> None:
        self.statements: dict[str, list[tuple[object, ...]]] = {}

    def rows(self, sql: str, params: Sequence[object]) -> list[tuple[Any, ...]]:
        raise AssertionError(sql)  # ``add`` reads only when the id is taken

    def one(self, sql: str, params: Sequence[object]) -> tuple[Any, ...] | None:
        raise AssertionError(sql)

    def change(self, sql: str, params: Sequence[object]) -> int:
        self.statements.setdefault(sql, []).append(tuple(params))
        group = sql.partition("VALUES (")[2].partition(")")[0]
        return len(params) // group.count(DIALECT.param)


class _Recording:
    """The backend of :class:`_Recorder`: every write goes to the one recorder."""

    def __init__(self) -> None:
        self.recorder = _Recorder()

    @property
    def dialect(self) -> Dialect:
        return DIALECT

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        yield self.recorder

    writing = claiming = reading

    def erased(self) -> None:
        """Nothing is stored here: ``add`` erases nothing."""


def bulk_add(conninfo: str, contracts: Iterable[Contract]) -> None:
    """Store ``contracts`` as ``store.contracts.add`` would, in one transaction (PORT-5)."""
    backend = _Recording()
    repository = SqlContractRepository(CONTRACTS, backend, SqlOutbox(backend))
    for contract in contracts:
        repository.add(contract)
    with psycopg.connect(conninfo) as connection, connection.cursor() as cursor:
        for sql, params in backend.recorder.statements.items():  # rows first, then the outbox
            cursor.executemany(sql, params)


@pytest.fixture
def conninfo(databases: Databases) -> str:
    """Return a fresh database (schema) with the adapter's tables."""
    return databases.fresh()


def _stored(conninfo: str) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    with psycopg.connect(conninfo) as connection:
        rows = connection.execute("SELECT * FROM omakase_contracts ORDER BY seq").fetchall()
        events = connection.execute("SELECT * FROM omakase_outbox ORDER BY seq").fetchall()
    return rows, events


def test_port_5_bulk_added_contracts_are_stored_exactly_as_add_stores_them(
    databases: Databases,
) -> None:
    """The fast loader of the sweep test writes the very rows and records of ``add``."""
    contracts = [_terminated(1), _terminated(2, at=LATER)]
    loaded, added = databases.fresh(), databases.fresh()
    bulk_add(loaded, contracts)
    with PostgresStore(added) as store:
        for contract in contracts:
            store.contracts.add(contract)
        assert store.contracts.get("contract-2") == contracts[1].saved()
    rows, events = _stored(loaded)
    assert (len(rows), len(events)) == (2, 2)
    assert (rows, events) == _stored(added)


def test_port_5_two_worker_processes_sweep_20000_due_contracts_each_exactly_once(
    conninfo: str,
) -> None:
    """Every contract is swept by one worker only; every event is in the outbox once."""
    bulk_add(conninfo, (_terminated(n) for n in range(1, CONTRACTS_DUE + 1)))
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(WORKERS, timeout=60)
    results: Any = context.Queue()
    processes = [
        context.Process(
            target=workers.sweep, args=(conninfo, LATER, BATCH, barrier, results), daemon=True
        )
        for _ in range(WORKERS)
    ]
    try:
        for process in processes:
            process.start()
        outcomes = [results.get(timeout=300) for _ in processes]
        for process in processes:
            process.join(timeout=60)
    finally:
        for process in processes:  # a worker that hangs never keeps pytest from exiting
            if process.is_alive():
                process.terminate()
                process.join(timeout=10)
    assert all(outcome[0] != "error" for outcome in outcomes), outcomes
    assert [conflicts for _, conflicts in outcomes] == [[]] * WORKERS  # no contract contended
    assert all(changed for changed, _ in outcomes)  # both workers took part
    changed = [contract_id for done, _ in outcomes for contract_id in done]
    assert len(changed) == len(set(changed)) == CONTRACTS_DUE
    assert set(changed) == {f"contract-{n}" for n in range(1, CONTRACTS_DUE + 1)}
    with psycopg.connect(conninfo) as connection:
        states = connection.execute(
            "SELECT status, version, due_at IS NULL, count(*) FROM omakase_contracts "
            "GROUP BY status, version, due_at IS NULL"
        ).fetchall()
        keys = connection.execute(
            "SELECT key, event->>'type', count(*) OVER (PARTITION BY key) FROM omakase_outbox"
        ).fetchall()
    assert states == [(ContractStatus.PURGED.value, 3, True, CONTRACTS_DUE)]
    assert all(copies == 1 for _, _, copies in keys)
    expected = {
        (f"contract:contract-{n}:{version}", f"contract.{name}")
        for n in range(1, CONTRACTS_DUE + 1)
        for version, name in (
            (1, "TerminationRequested"),
            (2, "ServiceEnded"),
            (3, "RegistrationPurged"),
        )
    }
    assert len(keys) == len(expected)
    assert {(key, name) for key, name, _ in keys} == expected
    with PostgresStore(conninfo) as store:
        assert store.contracts.due(LATER) == []
