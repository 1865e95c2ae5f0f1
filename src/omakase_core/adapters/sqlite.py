"""Every storage port on the standard library's ``sqlite3`` (PORT-2, PORT-3, PORT-5).

>>> from omakase_core.adapters.sqlite import SqliteStore
>>> with SqliteStore(":memory:") as store:
...     store.outbox.pending()
[]

:class:`SqliteStore` opens the database file in WAL mode (readers never wait for the
writer) and creates the tables (:func:`create_schema`, idempotent). Each read, ``add``,
``save`` or claim borrows one connection for its unit of work from the store's own small
set, so the store is safe to share between threads; each process opens its own store on
the same file. A write is ``BEGIN IMMEDIATE`` … ``COMMIT``: SQLite runs one writer at a
time and the others wait (up to 30 s), so a compare-and-set on the version and its outbox
rows are one atomic step (PORT-2, PORT-3). ``":memory:"`` is one private database on a
single connection, taken in turn.

A path that cannot be a database file — a directory, a file in a directory that does not
exist, a file that is not an SQLite database — is refused with a ``ValidationError`` naming
``path`` (the caller's configuration). A database that cannot serve a command — the store
closed, the file locked by another writer past :data:`BUSY_TIMEOUT`, a disk I/O error, a
full disk — is ``StoreUnavailable`` (PORT-5), with ``sqlite3``'s exception as its cause;
the command's transaction is rolled back.

Instants are stored as microseconds since the epoch (UTC) in the indexed ``due_at``
columns and read back in JST; aggregates and events are the codec's JSON text (PORT-7).

Erasure (CON-10) reaches the file: every connection runs with ``PRAGMA secure_delete = ON``,
so the bytes of a redacted event, a rewritten contract or a removed account are zeroed, not
just freed; and once an erasure has committed (a redaction, a removal of accounts, the save
of a purged contract — in a claim, once the claim has), the store checkpoints the WAL into
the database file and truncates it, so no earlier page image stays behind in either file.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import weakref
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from omakase_core.adapters._sql import (
    Dialect,
    Session,
    SqlStore,
    create_tables,
    serving,
    unavailable,
)
from omakase_core.calendar import to_jst
from omakase_core.errors import OmakaseError, StoreUnavailable, ValidationError, excerpt

if TYPE_CHECKING:
    from collections.abc import Iterator
    from types import TracebackType

__all__ = ["SqliteStore", "create_schema"]

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND: Final = timedelta(microseconds=1)
BUSY_TIMEOUT: Final = 30.0
"""Seconds a writer waits for another connection's write transaction to end."""
ERASURE_CHECKPOINT_WAIT: Final = 1000
"""Milliseconds the checkpoint after an erasure waits for other connections (CON-10)."""
_MAX_PATH: Final = 4096


def _micros(instant: datetime) -> int:
    return (instant - _EPOCH) // _MICROSECOND


def _instant(value: Any) -> datetime:  # what sqlite3 returns for an INTEGER column
    return to_jst(_EPOCH + timedelta(microseconds=int(value)), field="instant")


_UNAVAILABLE: Final = {
    sqlite3.SQLITE_BUSY: "its database is locked past the busy timeout",
    sqlite3.SQLITE_LOCKED: "its database is locked past the busy timeout",
    sqlite3.SQLITE_IOERR: "its database file reported a disk I/O error",
    sqlite3.SQLITE_FULL: "its disk or database file is full",
    sqlite3.SQLITE_CANTOPEN: "its database file cannot be opened",
    sqlite3.SQLITE_PERM: "access to its database file is denied",
    sqlite3.SQLITE_READONLY: "its database file is read-only",
    sqlite3.SQLITE_NOMEM: "SQLite ran out of memory",
    sqlite3.SQLITE_PROTOCOL: "its database's file locking failed",
    sqlite3.SQLITE_CORRUPT: "its database file is damaged",
    sqlite3.SQLITE_NOTADB: "its database file is damaged",
}
"""Why each of SQLite's primary result codes means the database cannot serve (PORT-5).

``SQLITE_ERROR`` (a statement SQLite cannot run: our SQL, a missing table) and the
constraint codes are not here: they stay ``sqlite3``'s exceptions, loud.
"""


def _unavailable(error: Exception) -> str | None:
    """Return why ``error`` says the database cannot serve now, or ``None`` (PORT-5)."""
    if not isinstance(error, sqlite3.Error):
        return None
    code = getattr(error, "sqlite_errorcode", None)
    if not isinstance(code, int):
        return None
    reason = _UNAVAILABLE.get(code & 0xFF)  # the primary code of an extended one
    return None if reason is None else f"{reason} ({getattr(error, 'sqlite_errorname', code)})"


DIALECT: Final = Dialect(
    param="?",
    json_param="?",
    json_text="{}",
    lock="",
    seq="INTEGER PRIMARY KEY",
    columns="SELECT name FROM pragma_table_info(?)",
    integer="INTEGER",
    text="TEXT",
    instant="INTEGER",
    json="TEXT",
    instant_in=_micros,
    instant_out=_instant,
    store="SqliteStore",
    unavailable=_unavailable,
)


def create_schema(connection: sqlite3.Connection) -> None:
    """Create the adapter's tables and indexes on ``connection``, or upgrade them (PORT-5).

    Idempotent: missing tables and indexes are created, tables of an older schema version
    are upgraded in place (version 1 → 2: the outbox's delivery state, PORT-6), and a
    database of a newer version is refused with a ``ValidationError``. The statements run
    in their own ``BEGIN IMMEDIATE`` transaction, or inside the caller's when one is open
    (the caller then commits). :class:`SqliteStore` calls it when it opens a database.
    """
    given: object = connection  # callers are not always type-checked
    if not isinstance(given, sqlite3.Connection):
        msg = f"connection must be a sqlite3.Connection, not {type(given).__name__}"
        raise ValidationError(msg, field="connection", rule="PORT-5")
    try:
        own = not connection.in_transaction
    except sqlite3.ProgrammingError:
        msg = "connection must be open, not closed"
        raise ValidationError(msg, field="connection", rule="PORT-5") from None
    with serving(DIALECT):
        if own:
            connection.execute("BEGIN IMMEDIATE")
        try:
            create_tables(_Session(connection), DIALECT)
        except BaseException:
            if own:
                connection.rollback()
            raise
        if own:
            connection.execute("COMMIT")


def _refusal(path: str, error: sqlite3.Error) -> OmakaseError | None:
    """Return what opening ``path`` failing with ``error`` means, or ``None`` (PORT-5).

    A path that cannot be a database file is the caller's configuration, a
    ``ValidationError`` naming ``path``; a file that cannot be opened or read now is
    ``StoreUnavailable``.
    """
    code = getattr(error, "sqlite_errorcode", None)
    where = excerpt(path)
    if code == sqlite3.SQLITE_NOTADB:
        msg = f"path {where} is not an SQLite database: give a database file or a new file name"
        return ValidationError(msg, field="path", rule="PORT-5")
    if code == sqlite3.SQLITE_CANTOPEN:
        if os.path.isdir(path):
            msg = f"path {where} is a directory, not a database file: name a file in it"
            return ValidationError(msg, field="path", rule="PORT-5")
        if not os.path.isdir(os.path.dirname(os.path.abspath(path))):
            msg = f"the directory of path {where} does not exist: create it first"
            return ValidationError(msg, field="path", rule="PORT-5")
    return unavailable(DIALECT, error)


def _check_path(value: object) -> str:
    """Return ``value`` as a database path: ``":memory:"`` or a file name (SEC-2)."""
    try:
        path = os.fspath(value)  # type: ignore[call-overload]  # any value is checked here
    except TypeError:
        path = None
    if not isinstance(path, str):
        msg = f"path must be a file name or ':memory:', not {type(value).__name__}"
        raise ValidationError(msg, field="path", rule="SEC-2")
    if not path.strip() or len(path) > _MAX_PATH or not path.isprintable():
        msg = f"path must be a printable, non-blank file name of at most {_MAX_PATH} characters"
        raise ValidationError(msg, field="path", rule="SEC-2")
    return path


class _Session:
    """A borrowed connection, as the shared repositories use it."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def rows(self, sql: str, params: Any) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = self._connection.execute(sql, params).fetchall()
        return rows

    def one(self, sql: str, params: Any) -> tuple[Any, ...] | None:
        row: tuple[Any, ...] | None = self._connection.execute(sql, params).fetchone()
        return row

    def change(self, sql: str, params: Any) -> int:
        return self._connection.execute(sql, params).rowcount


def _close_all(connections: list[sqlite3.Connection]) -> None:
    for connection in connections:
        connection.close()


class _Backend:
    """The store's connections: borrowed one per unit of work, returned for the next one.

    A file database gets as many connections as units of work run at once (one per busy
    thread); ``":memory:"`` has one, lent to one unit of work at a time (a re-entrant lock,
    so a thread's nested read inside its own claim reuses the claim's connection).
    """

    def __init__(self, path: str) -> None:
        self._path = path
        self._memory = path == ":memory:"
        self._lock = threading.RLock()
        self._idle: list[sqlite3.Connection] = []
        self._every: list[sqlite3.Connection] = []
        self._closed = False
        self._truncation_owed = False
        """Whether an erasure's WAL truncation is still to be done (CON-10)."""
        with self._opening():
            first = self._connect()
        try:
            with self._opening():
                if not self._memory:
                    first.execute("PRAGMA journal_mode=WAL")
                create_schema(first)
        except BaseException:
            first.close()
            raise
        self._every.append(first)
        self._idle.append(first)
        self._finalizer = weakref.finalize(self, _close_all, self._every)

    @contextlib.contextmanager
    def _opening(self) -> Iterator[None]:
        """Raise what opening the database failing with ``sqlite3``'s error means (PORT-5)."""
        try:
            yield
        except sqlite3.Error as error:
            refused = _refusal(self._path, error)
            if refused is None:
                raise
            raise refused from error

    @property
    def dialect(self) -> Dialect:
        return DIALECT

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(
            self._path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
        )
        connection.execute("PRAGMA secure_delete = ON")  # freed bytes are zeroed (CON-10)
        return connection

    def close(self) -> None:
        if self._truncation_owed and not self._closed:
            with contextlib.suppress(StoreUnavailable), self._borrow() as connection:
                self._truncate(connection)
        with self._lock:
            self._closed = True
            self._idle.clear()
            self._finalizer()

    @contextlib.contextmanager
    def _borrow(self) -> Iterator[sqlite3.Connection]:
        if self._memory:
            with self._lock:
                self._check_open()
                yield self._every[0]
            return
        with self._lock:
            self._check_open()
            connection = self._idle.pop() if self._idle else None
        if connection is None:
            connection = self._connect()
            with self._lock:
                self._every.append(connection)
        try:
            yield connection
        except sqlite3.ProgrammingError as error:
            if not self._closed:
                raise  # a programming error of ours: loud
            # Another thread closed the store, and with it this connection, mid-command:
            # the command ran into a closed store, as one started after close() does.
            raise StoreUnavailable(store=DIALECT.store, reason="the store is closed") from error
        finally:
            with self._lock:
                if self._closed:
                    connection.close()
                else:
                    self._idle.append(connection)

    def _check_open(self) -> None:
        if self._closed:
            raise StoreUnavailable(store=DIALECT.store, reason="the store is closed")

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        with self._borrow() as connection:
            yield _Session(connection)

    @contextlib.contextmanager
    def writing(self) -> Iterator[Session]:
        with self._borrow() as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield _Session(connection)
                connection.execute("COMMIT")
            except BaseException:
                connection.rollback()
                raise
            if self._truncation_owed:  # an erasure's old pages may still be in the WAL
                self._truncate(connection)

    claiming = writing  # the single writer holds the whole database until the claim ends

    def erased(self) -> None:
        """Checkpoint the WAL into the database file and truncate it (CON-10).

        The WAL keeps the pages as they were before the erasure until a checkpoint resets
        it; this one waits at most :data:`ERASURE_CHECKPOINT_WAIT` for readers and writers.
        When they keep it busy (SQLite then reports the checkpoint busy, it does not
        raise), the truncation stays owed: it is tried again after every later write of
        this store, and when the store closes, until one succeeds.
        """
        if self._memory:
            return
        self._truncation_owed = True
        with self._borrow() as connection:
            self._truncate(connection, wait=ERASURE_CHECKPOINT_WAIT)

    def _truncate(self, connection: sqlite3.Connection, *, wait: int = 0) -> None:
        """Try the owed WAL truncation on ``connection``, waiting ``wait`` ms for others.

        A retry after a later write waits for nobody: it costs that write nothing when
        readers still hold the old pages, and a later write tries again.
        """
        connection.execute(f"PRAGMA busy_timeout = {wait}")
        try:
            row = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.OperationalError:  # locked: the next write tries again
            return
        finally:
            connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
        if row is not None and row[0] == 0:  # (busy, log pages, checkpointed pages)
            self._truncation_owed = False


class SqliteStore(SqlStore):
    """Every storage port of every domain in one SQLite database (PORT-5).

    ``path`` is a file name (created if missing) or ``":memory:"``. The attributes are those
    of :class:`omakase_core.testing.InMemoryStore`: ``contracts``, ``applications``, ``sites``,
    ``id_changes``, ``tenants``, ``credentials``, ``ocn_customers``, ``inquiries``,
    ``directory`` and the shared ``outbox``; ``contracts`` and ``id_changes`` can also
    ``claim_due`` for a sweep. Close the store (or use it as a context manager) when done;
    a store that is dropped closes its connections.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self._backend = _Backend(_check_path(path))
        super().__init__(self._backend)

    def close(self) -> None:
        """Close every connection of the store; it cannot be used afterwards."""
        self._backend.close()

    def __enter__(self) -> SqliteStore:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
