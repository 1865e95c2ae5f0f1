"""Every storage port on PostgreSQL, with ``psycopg`` 3 and ``psycopg-pool`` (PORT-2 … PORT-5).

Install the optional extra: ``pip install "omakase-core[postgres]"``. Then, once per
database (a deployment step, as any migration)::

    import psycopg
    from omakase_core.adapters.postgres import PostgresStore, create_schema

    with psycopg.connect(url) as connection:
        create_schema(connection)
    store = PostgresStore(url)          # or PostgresStore(your_connection_pool)

The tables are the SQLite adapter's, with the aggregate in a ``json`` ``body`` and the
columns the queries need beside it (``timestamptz`` due instants, customer ids), each
indexed. ``json``, not ``jsonb``: it keeps exactly the text the codec wrote (PORT-7), where
``jsonb`` rewrites it (``1e+25`` becomes ``10000000000000000000000000``, keys are
reordered). ``save`` is one transaction: ``UPDATE … WHERE id = %s AND version = %s`` (the
compare-and-set of PORT-2) and the insert of its outbox rows (PORT-3).

Every transaction the store opens is ``READ COMMITTED`` (``BEGIN ISOLATION LEVEL READ
COMMITTED``), whatever the database's or the pool's default: under concurrent writers
PostgreSQL's row lock makes the second ``UPDATE`` wait for the first to commit and then
find the version moved, so exactly one writer wins each version and the others get a
``ConcurrencyConflict``. A serialization failure or a deadlock that still reaches the store
(a trigger, a caller's own transaction holding locks) is a ``ConcurrencyConflict`` too,
never ``psycopg``'s exception. On a caller's pool the store sets each borrowed
connection's ``isolation_level`` while it uses it and gives the connection back as it was.

A database that cannot serve a command is ``StoreUnavailable`` (PORT-5), never ``psycopg``'s
exception (which is its cause): the store closed, a server that cannot be reached (a new
store waits :data:`CONNECT_TIMEOUT` for its first connection), a connection lost, a pool
with no connection to lend in its timeout, a server that reports an operational failure
(an I/O error, a full disk, a lock or statement timeout, a shutdown). The transaction is
rolled back. Its text never shows the connection string, which may hold a password.

Erasure (CON-10) rewrites the stored values (a redacted event's JSON, a contract's body)
and deletes the accounts; the row versions they replace are dead tuples until
(auto)vacuum reclaims their space — scrubbing the database's files and WAL archives
beyond that (``VACUUM FULL``, backups) is the database operator's part.

The sweeps' claims (``store.contracts.claim_due(now, limit=…)``, also ``id_changes`` and
``inquiries``) select the due rows ``FOR UPDATE SKIP LOCKED`` inside one transaction:
several worker processes, on one machine or many, sweep the same database at once, each
taking rows no other worker holds, and no aggregate is transitioned twice (PORT-5). The
outbox's claims (``store.outbox.claim(now=…, limit=…, lease=…)``) do the same for delivery
workers, and write a lease on each record they take (PORT-6).
"""

from __future__ import annotations

import contextlib
import weakref
from typing import TYPE_CHECKING, Any, Final

import psycopg
from psycopg import IsolationLevel
from psycopg.pq import TransactionStatus
from psycopg.rows import tuple_row
from psycopg_pool import ConnectionPool, PoolClosed, PoolTimeout

from omakase_core.adapters._sql import Dialect, Session, SqlStore, create_tables, serving
from omakase_core.calendar import to_jst
from omakase_core.errors import StoreUnavailable, ValidationError

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from datetime import datetime
    from types import TracebackType

__all__ = ["PostgresStore", "create_schema"]

MAX_POOL_SIZE: Final = 10
"""Connections a store opens at most when given a connection string (pass a pool for more)."""
CONNECT_TIMEOUT: Final = 30.0
"""Seconds a new store waits for its first connection."""
_SCHEMA_LOCK: Final = 0x6F6D616B
"""The advisory lock :func:`create_schema` holds, so concurrent creations take turns."""
_MAX_CONNINFO: Final = 4096


def _instant_in(instant: datetime) -> datetime:
    return instant


def _instant_out(value: Any) -> datetime:  # what psycopg returns for a timestamptz
    return to_jst(value, field="instant")


def _unavailable(error: Exception) -> str | None:
    """Return why ``error`` says the database cannot serve now, or ``None`` (PORT-5).

    Only ``psycopg``'s ``OperationalError`` (the pool's timeouts among them) is: a
    ``ProgrammingError`` or any other is a mistake to see, not a database to wait for.
    Never the driver's text, which may name the server and its user.
    """
    if isinstance(error, PoolTimeout):
        return "no connection to its database server could be had in time"
    if isinstance(error, PoolClosed):
        return "its connection pool is closed"
    if not isinstance(error, psycopg.OperationalError):
        return None
    if error.sqlstate is None:  # reported by the client: the connection failed or was lost
        return "its connection to the database server failed or was lost"
    return f"its database server could not run it ({type(error).__name__}, {error.sqlstate})"


DIALECT: Final = Dialect(
    param="%s",
    json_param="%s::json",
    json_text="{}::text",
    lock=" FOR UPDATE SKIP LOCKED",
    seq="bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
    columns=(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = %s"
    ),
    integer="bigint",
    text="text",
    instant="timestamptz",
    json="json",
    instant_in=_instant_in,
    instant_out=_instant_out,
    conflicts=(psycopg.errors.SerializationFailure, psycopg.errors.DeadlockDetected),
    store="PostgresStore",
    unavailable=_unavailable,
)
_ISOLATION: Final = IsolationLevel.READ_COMMITTED
"""The isolation of every transaction of the store: what its compare-and-set relies on."""


def create_schema(connection: psycopg.Connection[Any]) -> None:
    """Create the adapter's tables and indexes, or upgrade them (PORT-5).

    Idempotent: missing tables and indexes are created, tables of an older schema version
    are upgraded in place (version 1 → 2: the outbox's delivery state, PORT-6), and a
    database of a newer version is refused with a ``ValidationError``. Safe to run from
    several processes at once (they take turns on an advisory lock). The statements run in
    one transaction of ``connection``: committed at the end when none was open, a
    savepoint inside the caller's otherwise. The tables go to the first schema of the
    connection's ``search_path``.
    """
    given: object = connection  # callers are not always type-checked
    if not isinstance(given, psycopg.Connection):
        msg = f"connection must be a psycopg.Connection, not {type(given).__name__}"
        raise ValidationError(msg, field="connection", rule="PORT-5")
    if connection.closed:
        msg = "connection must be open, not closed"
        raise ValidationError(msg, field="connection", rule="PORT-5")
    with (
        serving(DIALECT),
        connection.transaction(),
        connection.cursor(row_factory=tuple_row) as cursor,
    ):
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
        create_tables(_Session(connection, cursor), DIALECT)


class _Session:
    """A pooled connection and its cursor, as the shared repositories use them."""

    def __init__(self, connection: psycopg.Connection[Any], cursor: psycopg.Cursor[Any]) -> None:
        self._connection = connection
        self._cursor = cursor

    def rows(self, sql: str, params: Sequence[object]) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = self._cursor.execute(sql, params).fetchall()
        return rows

    def one(self, sql: str, params: Sequence[object]) -> tuple[Any, ...] | None:
        row: tuple[Any, ...] | None = self._cursor.execute(sql, params).fetchone()
        return row

    def change(self, sql: str, params: Sequence[object]) -> int:
        return self._cursor.execute(sql, params).rowcount


def _read_committed(connection: psycopg.Connection[Any]) -> None:
    """Configure a connection of the store's own pool: every transaction READ COMMITTED."""
    connection.isolation_level = _ISOLATION


class _Backend:
    """Sessions from a connection pool: one connection per read, transaction or claim."""

    def __init__(self, pool: ConnectionPool[Any], *, owned: bool) -> None:
        self._pool = pool
        self._closed = False
        self._finalizer = weakref.finalize(self, pool.close) if owned else None

    @property
    def dialect(self) -> Dialect:
        return DIALECT

    def close(self) -> None:
        self._closed = True
        if self._finalizer is not None:
            self._finalizer()

    def _check_open(self) -> None:
        if self._closed:
            raise StoreUnavailable(store=DIALECT.store, reason="the store is closed")

    @contextlib.contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[Any]]:
        """Borrow a connection whose transactions are READ COMMITTED, and give it back.

        A caller's connection gets its own ``isolation_level`` back, its transaction (the
        reads of a connection that is not autocommit) ended.
        """
        self._check_open()
        with self._pool.connection() as connection:
            previous = connection.isolation_level
            if previous is _ISOLATION:
                yield connection
                return
            connection.isolation_level = _ISOLATION
            try:
                yield connection
            finally:
                status = connection.info.transaction_status
                if status in (TransactionStatus.INTRANS, TransactionStatus.INERROR):
                    connection.rollback()  # only reads: nothing to commit
                    status = connection.info.transaction_status
                if status is TransactionStatus.IDLE:
                    connection.isolation_level = previous

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        with (
            self._connection() as connection,
            connection.cursor(row_factory=tuple_row) as cursor,
        ):
            yield _Session(connection, cursor)

    @contextlib.contextmanager
    def writing(self) -> Iterator[Session]:
        with (
            self._connection() as connection,
            connection.transaction(),
            connection.cursor(row_factory=tuple_row) as cursor,
        ):
            yield _Session(connection, cursor)

    claiming = writing  # the claim's SELECT … FOR UPDATE SKIP LOCKED holds its rows till the end

    def erased(self) -> None:
        """Nothing to scrub here: (auto)vacuum reclaims the old row versions (CON-10)."""


def _pool(source: object) -> tuple[ConnectionPool[Any], bool]:
    """Return the pool to use and whether the store owns it (SEC-2: refuse anything else)."""
    if isinstance(source, ConnectionPool):
        return source, False
    if not isinstance(source, str):
        msg = f"source must be a connection string or a ConnectionPool, not {type(source).__name__}"
        raise ValidationError(msg, field="source", rule="SEC-2")
    if not source.strip() or len(source) > _MAX_CONNINFO or not source.isprintable():
        msg = f"source must be a printable connection string of at most {_MAX_CONNINFO} characters"
        raise ValidationError(msg, field="source", rule="SEC-2")
    try:
        psycopg.conninfo.conninfo_to_dict(source)
    except psycopg.ProgrammingError:
        msg = "source is not a PostgreSQL connection string (key=value pairs or a URL)"
        raise ValidationError(msg, field="source", rule="SEC-2") from None  # never echo: secrets
    pool: ConnectionPool[Any] = ConnectionPool(
        source,
        min_size=1,
        max_size=MAX_POOL_SIZE,
        kwargs={"autocommit": True},
        configure=_read_committed,
        open=True,
        name="omakase_core",
    )
    try:
        pool.wait(timeout=CONNECT_TIMEOUT)  # fail now, not at the first command
    except PoolTimeout as error:
        pool.close()  # stop its attempts to connect
        reason = f"its database server cannot be reached (no connection in {CONNECT_TIMEOUT:g} s)"
        raise StoreUnavailable(store=DIALECT.store, reason=reason) from error
    return pool, True


class PostgresStore(SqlStore):
    """Every storage port of every domain in one PostgreSQL database (PORT-5).

    ``source`` is a connection string (the store then opens its own pool of up to
    :data:`MAX_POOL_SIZE` connections and closes it with :meth:`close`) or a
    ``psycopg_pool.ConnectionPool`` the caller opens, sizes and closes. The tables must exist
    (:func:`create_schema`). The attributes are those of
    :class:`omakase_core.testing.InMemoryStore`; ``contracts`` and ``id_changes`` can also
    ``claim_due`` for several sweep workers at once.
    """

    def __init__(self, source: str | ConnectionPool[Any]) -> None:
        pool, owned = _pool(source)
        self._backend = _Backend(pool, owned=owned)
        super().__init__(self._backend)

    def close(self) -> None:
        """Close the store's own pool (a pool given by the caller stays open)."""
        self._backend.close()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
