"""What the SQLite and PostgreSQL adapters share: tables, statements, repositories (PORT-5).

Both adapters hold the same tables (``omakase_`` prefixed, so they can live in a portal's
own database): one per aggregate kind, with the aggregate as the codec's JSON (PORT-7) in
``body`` and, beside it, the columns its queries need (a due instant, a customer id), each
indexed; the ``omakase_outbox`` every repository writes its events to (PORT-3); the user
directory of contracts (CON-8). A :class:`Dialect` says how each database spells a column
type, a JSON parameter, an instant and a row lock; a backend (one per adapter) lends a
:class:`Session` for a read, for a write transaction and for a claim.

``add`` and ``save`` are each one transaction: the compare-and-set on ``version``
(``UPDATE … WHERE id = ? AND version = ?``, PORT-2) and the outbox rows of the aggregate's
events (PORT-3) are written together, or nothing is. Everything that can be checked is
checked before the transaction starts (the aggregate, its events, the expected version);
a malformed call is a ``ValidationError`` naming the parameter and writes nothing (SEC-2).

A database that reports a lost race itself (PostgreSQL's serialization failure or
deadlock: :attr:`Dialect.conflicts`) rolls the transaction back, and the repository raises
``ConcurrencyConflict``, never the driver's exception (PORT-2).

The due-queries of the sweeps can *claim* (:meth:`SqlDueRepository.claim_due`): the due
rows are selected inside a transaction, locked (``FOR UPDATE SKIP LOCKED`` on PostgreSQL;
SQLite's single writer locks the database), and handed out as a repository bound to that
transaction, whose ``due`` answers only the claimed aggregates. A service's ``apply_due``
runs over it unchanged; several workers never claim one aggregate twice (PORT-5). A
claimed batch writes only what it claimed: ``save`` of another aggregate, and any ``add``,
is a ``ValidationError`` (field ``aggregate``, PORT-5), so two workers never wait on each
other's rows. Inside the claim the rows are locked by its own transaction, so a save
needs no savepoint to leave no trace when it is refused (PostgreSQL caches at most 64
subtransactions per transaction; a batch of 500 opened 500): it checks its version
against the claimed aggregate (which only this transaction can have changed), then
inserts its outbox records all or none (``RETURNING`` the keys it wrote, deleted again
when one was taken), and only then changes the row.

A stored row that does not decode (PORT-7) never stops a sweep: ``due`` and ``claim_due``
decode row by row, hand out only the rows that decode, and report the others as a
``WARNING`` on the ``omakase_core.adapters`` logger (the ids and the first decode error);
a claimed batch also lists their ids in ``undecodable``. Its claim keeps reading past them
until it holds ``limit`` aggregates or none is left, so the sweep loop's ``len(batch.claimed)
< limit`` still tells when the sweep is done. The rows stay stored, untouched, and are
reported by every sweep until they are repaired; ``get`` of one is the ``DecodeError``.
"""

# ruff: noqa: S608  # every statement is built from this module's own table and column names; values are always parameters

from __future__ import annotations

import contextlib
import copy
import logging
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime  # attrs resolves the annotations of Dialect at run time
from typing import TYPE_CHECKING, Any, Final, Generic, Literal, Protocol, Self, TypeVar

import attrs

from omakase_core._validation import check_email, check_text
from omakase_core.accounts.aggregate import Credential, Tenant
from omakase_core.calendar import to_jst
from omakase_core.codec import decode, encode
from omakase_core.contract.aggregate import Contract
from omakase_core.contract.model import Contractor, DirectoryRole, check_contractor
from omakase_core.errors import (
    ConcurrencyConflict,
    DecodeError,
    NotFound,
    ValidationError,
    excerpt,
)
from omakase_core.events import Event, OutboxRecord, records_for_save
from omakase_core.id_change.aggregate import IdChangeApplication
from omakase_core.inquiry.aggregate import Inquiry
from omakase_core.ocn.aggregate import OcnCustomer
from omakase_core.principal import check_id
from omakase_core.submission.aggregate import Application

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

__all__: list[str] = []  # private: the adapters' modules hold the public names

MAX_INT: Final = 2**62
"""The largest count or version sent to a database: both store 64-bit integers."""
MAX_LIMIT: Final = 100_000
"""The most aggregates one claim takes."""
LOGGER: Final = logging.getLogger("omakase_core.adapters")
"""Where the sweeps report the stored rows they cannot decode (PORT-7)."""
_REPORTED_IDS: Final = 20
"""The most ids one report of undecodable rows names (the batch's ``undecodable`` has all)."""


# -- dialects -----------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Dialect:
    """How one database spells what the shared statements need."""

    param: str
    """The parameter placeholder (``?`` or ``%s``)."""
    json_param: str
    """A parameter written to a JSON column (``?``, or ``%s::jsonb``)."""
    json_text: str
    """How a JSON column is read back as text; ``{}`` is the column."""
    lock: str
    """What a claim appends to its ``SELECT`` to lock the rows it takes."""
    seq: str
    """The column type of an increasing row number, primary key."""
    integer: str
    text: str
    instant: str
    json: str
    instant_in: Callable[[datetime], object]
    """An aware instant as the database stores it."""
    instant_out: Callable[[Any], datetime]
    """What the database returned for an instant, as an aware datetime."""
    conflicts: tuple[type[Exception], ...] = ()
    """The driver's exceptions saying a transaction lost a race and was rolled back
    (PostgreSQL's serialization failure and deadlock), raised as ``ConcurrencyConflict``."""

    def sql(self, statement: str) -> str:
        """Return ``statement`` (written with ``?`` and ``{json}``) in this dialect."""
        parts = statement.split("{json}")
        return self.json_param.join(part.replace("?", self.param) for part in parts)


class Session(Protocol):
    """One connection lent for a read, a transaction or a claim."""

    def rows(self, sql: str, params: Sequence[object]) -> list[tuple[Any, ...]]:
        """Run a query and return every row."""
        ...

    def one(self, sql: str, params: Sequence[object]) -> tuple[Any, ...] | None:
        """Run a query and return its first row, or ``None``."""
        ...

    def change(self, sql: str, params: Sequence[object]) -> int:
        """Run a statement and return how many rows it changed."""
        ...


class Backend(Protocol):
    """Where sessions come from: an adapter's connections."""

    @property
    def dialect(self) -> Dialect:
        """The database's dialect."""
        ...

    def reading(self) -> AbstractContextManager[Session]:
        """Lend a session for reads."""
        ...

    def writing(self) -> AbstractContextManager[Session]:
        """Lend a session inside a transaction, committed when the block ends without error."""
        ...

    def claiming(self) -> AbstractContextManager[Session]:
        """Lend a session inside a transaction that may lock rows until it ends."""
        ...


class _Bound:
    """The backend of a claimed batch: every session is the claim's own transaction.

    No savepoint: a save inside the claim checks what can refuse it before it changes the
    row (:meth:`SqlRepository.save`). Once the database has rolled the claim's transaction
    back (``failed``), every further use raises that ``ConcurrencyConflict`` again.
    """

    def __init__(self, session: Session, dialect: Dialect) -> None:
        self._session = session
        self._dialect = dialect
        self.active = True
        self.failed: ConcurrencyConflict | None = None

    @property
    def dialect(self) -> Dialect:
        return self._dialect

    def _check(self) -> Session:
        if not self.active:
            msg = "this claimed batch has ended: use the repository, or claim again"
            raise ValidationError(msg, field="batch", rule="PORT-5")
        if self.failed is not None:
            raise self.failed
        return self._session

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        yield self._check()

    writing = reading  # the claim's transaction: it commits when the claim's block ends

    def claiming(self) -> AbstractContextManager[Session]:
        msg = "a claimed batch cannot claim again: end it first"
        raise ValidationError(msg, field="batch", rule="PORT-5")


# -- tables -------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Column:
    """A column extracted from the aggregate for a query, and indexed."""

    name: str
    kind: Literal["text", "instant"]
    of: Callable[[Any], object]
    nullable: bool = False


@attrs.frozen(kw_only=True)
class Table:
    """One aggregate kind's table: its name, what ``NotFound`` calls it, its columns."""

    name: str
    kind: str
    aggregate: type[Any]
    columns: tuple[Column, ...] = ()
    due: Callable[[Any], datetime | None] | None = None
    """The aggregate's due instant (stored in the ``due_at`` column), if the port sweeps it."""
    by_customer: bool = False
    """Whether the port asks for a customer's aggregates (a ``customer_id`` column)."""


def _customer(aggregate: Any) -> str:
    customer: str = aggregate.customer_id
    return customer


def _contract_due(contract: Contract) -> datetime | None:
    return contract.next_due_at


def _id_change_due(application: IdChangeApplication) -> datetime | None:
    return application.due_at


_CUSTOMER: Final = Column(name="customer_id", kind="text", of=_customer)

CONTRACTS: Final = Table(
    name="omakase_contracts",
    kind="contract",
    aggregate=Contract,
    columns=(
        Column(name="status", kind="text", of=lambda contract: contract.status.value),
        Column(name="due_at", kind="instant", of=_contract_due, nullable=True),
    ),
    due=_contract_due,
)
APPLICATIONS: Final = Table(
    name="omakase_applications",
    kind="application",
    aggregate=Application,
    columns=(_CUSTOMER,),
    by_customer=True,
)
ID_CHANGES: Final = Table(
    name="omakase_id_changes",
    kind="id change application",
    aggregate=IdChangeApplication,
    columns=(_CUSTOMER, Column(name="due_at", kind="instant", of=_id_change_due, nullable=True)),
    due=_id_change_due,
    by_customer=True,
)
TENANTS: Final = Table(name="omakase_tenants", kind="tenant", aggregate=Tenant)
CREDENTIALS: Final = Table(name="omakase_credentials", kind="credential", aggregate=Credential)
OCN_CUSTOMERS: Final = Table(
    name="omakase_ocn_customers", kind="OCN customer", aggregate=OcnCustomer
)
INQUIRIES: Final = Table(name="omakase_inquiries", kind="inquiry", aggregate=Inquiry)

TABLES: Final = (
    CONTRACTS,
    APPLICATIONS,
    ID_CHANGES,
    TENANTS,
    CREDENTIALS,
    OCN_CUSTOMERS,
    INQUIRIES,
)
OUTBOX: Final = "omakase_outbox"
DIRECTORY: Final = "omakase_directory"
SCHEMA_VERSION: Final = 1
"""The version :func:`schema` creates, recorded in ``omakase_schema`` for later migrations."""


def schema(dialect: Dialect) -> list[str]:
    """Return the statements creating every table and index, each idempotent (PORT-5)."""
    d = dialect
    statements = [
        f"CREATE TABLE IF NOT EXISTS omakase_schema (version {d.integer} PRIMARY KEY)",
        d.sql(
            f"INSERT INTO omakase_schema (version) VALUES ({SCHEMA_VERSION}) ON CONFLICT DO NOTHING"
        ),
    ]
    for table in TABLES:
        columns = [
            f"seq {d.seq}",
            f"id {d.text} NOT NULL UNIQUE",
            f"version {d.integer} NOT NULL",
            f"body {d.json} NOT NULL",
            *(
                f"{c.name} {d.text if c.kind == 'text' else d.instant}"
                + ("" if c.nullable else " NOT NULL")
                for c in table.columns
            ),
        ]
        statements.append(f"CREATE TABLE IF NOT EXISTS {table.name} ({', '.join(columns)})")
        if table.by_customer:
            statements.append(
                f"CREATE INDEX IF NOT EXISTS {table.name}_customer "
                f"ON {table.name} (customer_id, seq)"
            )
        if table.due is not None:
            statements.append(
                f"CREATE INDEX IF NOT EXISTS {table.name}_due "
                f"ON {table.name} (due_at, seq) WHERE due_at IS NOT NULL"
            )
    statements += [
        (
            f"CREATE TABLE IF NOT EXISTS {OUTBOX} (seq {d.seq}, key {d.text} NOT NULL UNIQUE, "
            f"event {d.json} NOT NULL, delivered_at {d.instant})"
        ),
        f"CREATE INDEX IF NOT EXISTS {OUTBOX}_pending ON {OUTBOX} (seq) WHERE delivered_at IS NULL",
        (
            f"CREATE TABLE IF NOT EXISTS {DIRECTORY} (contract_id {d.text} NOT NULL, "
            f"email {d.text} NOT NULL, name {d.text} NOT NULL, role {d.text} NOT NULL, "
            "PRIMARY KEY (contract_id, email))"
        ),
    ]
    return statements


# -- checks (SEC-2) ------------------------------------------------------------------------------


def check_count(value: object, field: str, *, least: int = 0, most: int = MAX_INT) -> int:
    """Return ``value`` if it is an ``int`` (not a bool) from ``least`` to ``most``."""
    if type(value) is not int or not least <= value <= most:
        msg = (
            f"{field} must be an int from {least} to {most}, "
            f"not {type(value).__name__} {excerpt(value)}"
        )
        raise ValidationError(msg, field=field, rule="SEC-2")
    return value


def check_key(value: object, field: str) -> str:
    """Return ``value`` if it is text (an id or key); anything else is refused (SEC-2)."""
    if type(value) is not str:
        msg = f"{field} must be text, not {type(value).__name__}"
        raise ValidationError(msg, field=field, rule="SEC-2")
    return value


def storable(text: str) -> bool:
    """Return whether ``text`` can be a stored id or key (printable, so sendable to a database).

    An id or key that is not printable cannot have been stored (events and principals refuse
    it), so a look-up of one is answered without asking the database, which might choke on
    a NUL or a lone surrogate.
    """
    return 0 < len(text) <= 1000 and text.isprintable()


def lost_race(
    aggregate_id: str, *, expected_version: int | None, actual_version: int | None, what: str
) -> ConcurrencyConflict:
    """Return the ``ConcurrencyConflict`` of a transaction the database rolled back (PORT-2).

    The database, not the compare-and-set, refused it (a serialization failure, a
    deadlock): the message says so, the fields are those of any conflict.
    """
    error = ConcurrencyConflict(
        aggregate_id=aggregate_id, expected_version=expected_version, actual_version=actual_version
    )
    error.message = (
        f"{what} lost a race with a concurrent transaction and the database rolled it back "
        "(a serialization failure or a deadlock); nothing of it was written: reload and try again"
    )
    error.args = (f"PORT-2: {error.message}",)
    return error


# -- the outbox ----------------------------------------------------------------------------------


class SqlOutbox:
    """The :class:`~omakase_core.ports.Outbox` port on the ``omakase_outbox`` table (PORT-3).

    Records are read oldest first; ``mark_delivered`` is one conditional ``UPDATE``, so two
    delivery workers never both mark one record. Malformed ``limit``, ``key`` or ``at`` are
    a ``ValidationError`` naming the parameter (SEC-2).
    """

    def __init__(self, backend: Backend) -> None:
        self._backend = backend
        d = backend.dialect
        event = d.json_text.format("event")
        self._pending = d.sql(
            f"SELECT key, {event} FROM {OUTBOX} WHERE delivered_at IS NULL ORDER BY seq LIMIT ?"
        )
        self._get = d.sql(f"SELECT {event}, delivered_at FROM {OUTBOX} WHERE key = ?")
        self._all = d.sql(f"SELECT key, {event}, delivered_at FROM {OUTBOX} ORDER BY seq")
        self._count = f"SELECT count(*) FROM {OUTBOX}"
        self._mark = d.sql(
            f"UPDATE {OUTBOX} SET delivered_at = ? WHERE key = ? AND delivered_at IS NULL"
        )
        self._inserts: dict[tuple[int, bool], str] = {}
        self._deletes: dict[int, str] = {}

    def pending(self, *, limit: int | None = None) -> list[OutboxRecord]:
        """Return undelivered records, oldest first, at most ``limit`` of them."""
        count = MAX_INT if limit is None else check_count(limit, "limit")
        with self._backend.reading() as session:
            rows = session.rows(self._pending, (count,))
        return [OutboxRecord(key=key, event=_event(text)) for key, text in rows]

    def get(self, key: str) -> OutboxRecord:
        """Return the record with idempotency key ``key``; ``NotFound`` if there is none."""
        row = None
        if storable(check_key(key, "key")):
            with self._backend.reading() as session:
                row = session.one(self._get, (key,))
        if row is None:
            raise NotFound(kind="outbox record", id=key)
        return self._record(key, row[0], row[1])

    def mark_delivered(self, key: str, *, at: datetime) -> bool:
        """Mark ``key`` delivered at ``at``; return ``False`` if it already was (no change)."""
        check_key(key, "key")
        instant = to_jst(at, field="at")
        if not storable(key):
            raise NotFound(kind="outbox record", id=key)
        try:
            with self._backend.writing() as session:
                changed = session.change(
                    self._mark, (self._backend.dialect.instant_in(instant), key)
                )
        except self._backend.dialect.conflicts:
            what = f"marking {excerpt(key)} delivered"
            raise lost_race(key, expected_version=None, actual_version=None, what=what) from None
        if changed == 1:
            return True
        self.get(key)  # NotFound for an unknown key
        return False

    def records(self) -> list[OutboxRecord]:
        """Return every record, delivered or not, in the order they were stored."""
        with self._backend.reading() as session:
            rows = session.rows(self._all, ())
        return [self._record(key, text, delivered) for key, text, delivered in rows]

    def __len__(self) -> int:
        with self._backend.reading() as session:
            row = session.one(self._count, ())
        return 0 if row is None else int(row[0])

    def insert(self, session: Session, records: Sequence[OutboxRecord]) -> None:
        """Write ``records`` in the caller's transaction; refuse a key already stored.

        The caller's transaction rolls back on the refusal: it may have written some.
        """
        if records and session.change(*self._insert(records, returning=False)) != len(records):
            raise _key_taken()

    def insert_all_or_none(self, session: Session, records: Sequence[OutboxRecord]) -> list[str]:
        """Write ``records``, or none of them if a key is taken; return the keys written.

        For a transaction that goes on after the refusal (a claim): the records that were
        written are deleted again before the ``ValidationError`` (PORT-3).
        """
        if not records:
            return []
        keys = [str(key) for (key,) in session.rows(*self._insert(records, returning=True))]
        if len(keys) != len(records):
            self.delete(session, keys)
            raise _key_taken()
        return keys

    def delete(self, session: Session, keys: Sequence[str]) -> None:
        """Delete the records ``keys`` this transaction wrote."""
        if not keys:
            return
        statement = self._deletes.get(len(keys))
        if statement is None:
            marks = ", ".join("?" * len(keys))
            statement = self._backend.dialect.sql(f"DELETE FROM {OUTBOX} WHERE key IN ({marks})")
            self._deletes[len(keys)] = statement
        session.change(statement, keys)

    def _insert(
        self, records: Sequence[OutboxRecord], *, returning: bool
    ) -> tuple[str, list[object]]:
        statement = self._inserts.get((len(records), returning))
        if statement is None:
            values = ", ".join(["(?, {json})"] * len(records))
            statement = self._backend.dialect.sql(
                f"INSERT INTO {OUTBOX} (key, event) VALUES {values} ON CONFLICT (key) DO NOTHING"
                + (" RETURNING key" if returning else "")
            )
            self._inserts[len(records), returning] = statement
        params: list[object] = []
        for record in records:
            params += (record.key, encode(record.event))
        return statement, params

    def _record(self, key: str, text: str, delivered: object) -> OutboxRecord:
        at = None if delivered is None else self._backend.dialect.instant_out(delivered)
        return OutboxRecord(key=key, event=_event(text), delivered_at=at)


def _event(text: str) -> Event:
    event: Event = decode(text, expected=Event)
    return event


def _key_taken() -> ValidationError:
    msg = "the outbox already holds an event of this save; nothing was written"
    return ValidationError(msg, field="aggregate", rule="PORT-3")


# -- repositories --------------------------------------------------------------------------------


class _Aggregate(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def pending_events(self) -> tuple[Event, ...]: ...
    def saved(self) -> Any: ...  # the same type, as stored


A = TypeVar("A", bound=_Aggregate)


@attrs.frozen(kw_only=True)
class _Statements:
    get: str
    version: str
    insert: str
    update: str
    due: str
    claim: str
    claim_after: str
    of_customer: str


def _statements(table: Table, d: Dialect) -> _Statements:
    names = ["version", "body", *(c.name for c in table.columns)]
    values = ["?", "{json}", *("?" for _ in table.columns)]
    body = d.json_text.format("body")
    due = f"SELECT id, due_at, seq, {body} FROM {table.name} WHERE due_at <= ?"
    order = " ORDER BY due_at, seq"
    return _Statements(
        get=d.sql(f"SELECT {body} FROM {table.name} WHERE id = ?"),
        version=d.sql(f"SELECT version FROM {table.name} WHERE id = ?"),
        insert=d.sql(
            f"INSERT INTO {table.name} (id, {', '.join(names)}) "
            f"VALUES (?, {', '.join(values)}) ON CONFLICT (id) DO NOTHING"
        ),
        update=d.sql(
            f"UPDATE {table.name} SET "
            + ", ".join(f"{name} = {value}" for name, value in zip(names, values, strict=True))
            + " WHERE id = ? AND version = ?"
        ),
        due=d.sql(due + order),
        claim=d.sql(f"{due}{order} LIMIT ?{d.lock}"),
        claim_after=d.sql(f"{due} AND (due_at, seq) > (?, ?){order} LIMIT ?{d.lock}"),
        of_customer=d.sql(f"SELECT {body} FROM {table.name} WHERE customer_id = ? ORDER BY seq"),
    )


class SqlRepository(Generic[A]):
    """A repository of one aggregate kind on its table, writing events to the outbox.

    Satisfies :class:`~omakase_core.ports.Repository` (PORT-2, PORT-3): ``get`` returns the
    stored aggregate (decoded by the codec, PORT-7) or raises ``NotFound``; ``add`` and
    ``save`` are each one transaction holding the row and its outbox records, and a stale
    ``save`` (or an ``add`` of a taken id) is a ``ConcurrencyConflict`` that writes nothing.
    """

    _claimed: dict[str, A] | None = None
    _undecodable: tuple[str, ...] = ()

    def __init__(self, table: Table, backend: Backend, outbox: SqlOutbox) -> None:
        self._table = table
        self._backend = backend
        self._outbox = outbox
        self._sql = _statements(table, backend.dialect)

    @property
    def kind(self) -> str:
        """What a ``NotFound`` of this repository calls its aggregates."""
        return self._table.kind

    def get(self, aggregate_id: str) -> A:
        """Return the stored aggregate, without pending events; ``NotFound`` if none."""
        row = None
        if storable(check_key(aggregate_id, "aggregate_id")):
            with self._backend.reading() as session:
                row = session.one(self._sql.get, (aggregate_id,))
        if row is None:
            raise NotFound(kind=self._table.kind, id=aggregate_id)
        return self._decode(row[0])

    def add(self, aggregate: A) -> None:
        """Store a new aggregate and its events; ``ConcurrencyConflict`` if the id is taken."""
        self._check(aggregate)
        if self._claimed is not None:  # a claimed batch adds nothing: its ids are stored
            held = self._refuse_in_claim(aggregate)
            raise ConcurrencyConflict(
                aggregate_id=aggregate.id, expected_version=None, actual_version=held.version
            )
        start = aggregate.version - len(aggregate.pending_events)
        records = self._records(aggregate, start)
        row = self._row(aggregate)
        try:
            with self._backend.writing() as session:
                if session.change(self._sql.insert, (aggregate.id, *row)) != 1:
                    found = session.one(self._sql.version, (aggregate.id,))
                    raise ConcurrencyConflict(
                        aggregate_id=aggregate.id,
                        expected_version=None,
                        actual_version=None if found is None else int(found[0]),
                    )
                self._outbox.insert(session, records)
        except self._backend.dialect.conflicts:
            raise self._lost(aggregate.id, None, "this add") from None
        self._stored(aggregate)

    def save(self, aggregate: A, *, expected_version: int) -> None:
        """Replace the aggregate stored at ``expected_version`` and add its events (PORT-2)."""
        self._check(aggregate)
        check_count(expected_version, "expected_version")
        records = self._records(aggregate, expected_version)
        row = self._row(aggregate)
        if self._claimed is not None:
            self._save_claimed(aggregate, expected_version, records, row)
            return
        try:
            with self._backend.writing() as session:
                if session.change(self._sql.update, (*row, aggregate.id, expected_version)) != 1:
                    found = session.one(self._sql.version, (aggregate.id,))
                    raise ConcurrencyConflict(
                        aggregate_id=aggregate.id,
                        expected_version=expected_version,
                        actual_version=None if found is None else int(found[0]),
                    )
                self._outbox.insert(session, records)
        except self._backend.dialect.conflicts:
            raise self._lost(aggregate.id, expected_version, "this save") from None
        self._stored(aggregate)

    def _save_claimed(
        self,
        aggregate: A,
        expected_version: int,
        records: Sequence[OutboxRecord],
        row: tuple[object, ...],
    ) -> None:
        """Save inside the claim: check, insert the outbox records, then change the row.

        The claim's transaction holds the row, so the version it claimed (and saved since)
        is the stored one; the outbox records are written all or none. A refusal therefore
        comes before the row changes and leaves nothing behind, with no savepoint.
        """
        held = self._refuse_in_claim(aggregate)
        if expected_version != held.version:
            raise ConcurrencyConflict(
                aggregate_id=aggregate.id,
                expected_version=expected_version,
                actual_version=held.version,
            )
        try:
            with self._backend.writing() as session:
                keys = self._outbox.insert_all_or_none(session, records)
                if session.change(self._sql.update, (*row, aggregate.id, expected_version)) != 1:
                    self._outbox.delete(session, keys)  # not reached: the claim holds the row
                    raise ConcurrencyConflict(
                        aggregate_id=aggregate.id,
                        expected_version=expected_version,
                        actual_version=None,
                    )
        except self._backend.dialect.conflicts:
            failed = lost_race(
                aggregate.id,
                expected_version=expected_version,
                actual_version=None,
                what=f"the claimed batch of {self._table.kind}s (saving {excerpt(aggregate.id)})",
            )
            self._backend.failed = failed  # type: ignore[attr-defined]  # a claim's _Bound
            raise failed from None
        self._stored(aggregate)

    def _refuse_in_claim(self, aggregate: A) -> A:
        """Return the claimed aggregate ``aggregate`` replaces; refuse any other (PORT-5)."""
        held = None if self._claimed is None else self._claimed.get(aggregate.id)
        if held is None:
            msg = (
                f"a claimed batch writes only the {self._table.kind}s it claimed, not "
                f"{excerpt(aggregate.id)}: save it through the repository, outside the claim"
            )
            raise ValidationError(msg, field="aggregate", rule="PORT-5")
        return held

    def _lost(self, aggregate_id: str, expected: int | None, what: str) -> ConcurrencyConflict:
        """Return the conflict of a write the database rolled back, with the stored version."""
        actual = None
        with contextlib.suppress(*self._backend.dialect.conflicts):
            with self._backend.reading() as session:
                found = session.one(self._sql.version, (aggregate_id,))
            actual = None if found is None else int(found[0])
        return lost_race(aggregate_id, expected_version=expected, actual_version=actual, what=what)

    def _check(self, value: object) -> None:
        """Refuse what this repository cannot store (PORT-2, SEC-2)."""
        if (
            not isinstance(value, self._table.aggregate)
            or type(getattr(value, "id", None)) is not str
            or type(getattr(value, "version", None)) is not int
            or type(getattr(value, "pending_events", None)) is not tuple
            or not 0 <= value.version <= MAX_INT
        ):
            msg = (
                f"aggregate must be a {self._table.aggregate.__name__} with a text id, an int "
                f"version and a tuple of pending_events, not {type(value).__name__}"
            )
            raise ValidationError(msg, field="aggregate", rule="PORT-2")

    def _records(self, aggregate: A, start: int) -> tuple[OutboxRecord, ...]:
        try:
            return records_for_save(
                aggregate.id,
                aggregate.pending_events,
                expected_version=start,
                version=aggregate.version,
            )
        except ValidationError as error:  # the aggregate's own id, version or events
            raise ValidationError(error.message, field="aggregate", rule=error.rule) from None

    def _row(self, aggregate: A) -> tuple[object, ...]:
        """Return ``version, body, *columns`` of the aggregate as stored."""
        instant_in = self._backend.dialect.instant_in
        values: list[object] = [aggregate.version, encode(aggregate.saved())]
        for column in self._table.columns:
            value = column.of(aggregate)
            if column.kind == "instant" and value is not None:
                value = instant_in(value)  # type: ignore[arg-type]  # an instant column's value
            values.append(value)
        return tuple(values)

    def _decode(self, text: str) -> A:
        aggregate: A = decode(text, expected=self._table.aggregate)
        return aggregate

    def _decode_rows(
        self, rows: Sequence[tuple[Any, ...]], into: dict[str, A], undecodable: list[str]
    ) -> DecodeError | None:
        """Decode ``(id, due_at, seq, body)`` rows into ``into``; list the others (PORT-7).

        Return the first ``DecodeError``, or ``None`` when every row decoded.
        """
        first = None
        for row_id, _, _, text in rows:
            try:
                into[row_id] = self._decode(text)
            except DecodeError as error:
                undecodable.append(row_id)
                first = first or error
        return first

    def _report(self, undecodable: Sequence[str], error: DecodeError | None) -> None:
        if error is None:
            return
        named = ", ".join(excerpt(row_id) for row_id in undecodable[:_REPORTED_IDS])
        more = len(undecodable) - _REPORTED_IDS
        LOGGER.warning(
            "%s stored %s(s) could not be decoded and were left out of the sweep (PORT-7): "
            "%s%s; the first: %s",
            len(undecodable),
            self._table.kind,
            named,
            f" and {more} more" if more > 0 else "",
            error,
        )

    def _stored(self, aggregate: A) -> None:
        if self._claimed is not None and aggregate.id in self._claimed:
            self._claimed[aggregate.id] = aggregate.saved()

    def _of_customer(self, customer_id: object) -> list[A]:
        if not storable(check_key(customer_id, "customer_id")):
            return []
        with self._backend.reading() as session:
            rows = session.rows(self._sql.of_customer, (customer_id,))
        return [self._decode(text) for (text,) in rows]


class SqlDueRepository(SqlRepository[A]):
    """A repository whose aggregates fall due: ``due`` for a sweep, ``claim_due`` for workers.

    ``due(now)`` returns every stored aggregate whose due instant is at or before ``now``,
    earliest first (an indexed query). ``claim_due(now, limit=…)`` is a block: inside it,
    up to ``limit`` of them are locked in one transaction and the block's value is this
    repository bound to that transaction, whose ``due`` answers only them; a service's
    ``apply_due`` run over it saves each inside the transaction, which commits when the block
    ends (and rolls back if it raises). Other workers skip the locked rows (PostgreSQL's
    ``FOR UPDATE SKIP LOCKED``; SQLite has one writer at a time), so no aggregate is swept
    twice (PORT-5)::

        while True:
            with store.contracts.claim_due(now, limit=500) as batch:
                sweeper = ContractService(contracts=batch, clock=clock, directory=directory)
                sweeper.apply_due(now, by=Principal.system())
            if len(batch.claimed) < 500:
                break
    """

    def due(self, now: datetime) -> list[A]:
        """Return the aggregates due at ``now``, earliest first (claimed ones, in a claim).

        A stored row that does not decode is left out and reported (PORT-7, module docs).
        """
        instant = to_jst(now, field="now")
        if self._claimed is not None:
            return [a for a in self._claimed.values() if self._is_due(a, instant)]
        with self._backend.reading() as session:
            rows = session.rows(self._sql.due, (self._backend.dialect.instant_in(instant),))
        found: dict[str, A] = {}
        undecodable: list[str] = []
        self._report(undecodable, self._decode_rows(rows, found, undecodable))
        return list(found.values())

    def _is_due(self, aggregate: A, instant: datetime) -> bool:
        due = self._table.due
        at = None if due is None else due(aggregate)
        return at is not None and at <= instant

    @contextlib.contextmanager
    def claim_due(self, now: datetime, *, limit: int = 100) -> Iterator[Self]:
        """Claim up to ``limit`` aggregates due at ``now`` for one transaction (PORT-5).

        Rows that do not decode are locked too but not handed out: the claim reads on
        past them, and lists them in the batch's ``undecodable`` (PORT-7).
        """
        instant = to_jst(now, field="now")
        count = check_count(limit, "limit", least=1, most=MAX_LIMIT)
        backend = self._backend
        at = backend.dialect.instant_in(instant)
        claimed: dict[str, A] = {}
        undecodable: list[str] = []
        try:
            with backend.claiming() as session:
                rows = session.rows(self._sql.claim, (at, count))
                error = self._decode_rows(rows, claimed, undecodable)
                wanted = count
                while len(rows) == wanted and len(claimed) < count:  # read on past bad rows
                    _, last_due, last_seq, _ = rows[-1]
                    wanted = count - len(claimed)
                    rows = session.rows(self._sql.claim_after, (at, last_due, last_seq, wanted))
                    later = self._decode_rows(rows, claimed, undecodable)
                    error = error or later
                self._report(undecodable, error)
                bound = _Bound(session, backend.dialect)
                batch = copy.copy(self)
                batch._backend = bound
                batch._claimed = claimed
                batch._undecodable = tuple(undecodable)
                try:
                    yield batch
                finally:
                    bound.active = False
                if bound.failed is not None:
                    raise bound.failed  # the database rolled the claim back: commit nothing
        except backend.dialect.conflicts:
            what = f"the claim of due {self._table.kind}s"
            first = next(iter(claimed), self._table.kind)
            raise lost_race(first, expected_version=None, actual_version=None, what=what) from None

    @property
    def claimed(self) -> tuple[str, ...]:
        """Return the ids this claimed batch holds (empty outside a claim)."""
        return () if self._claimed is None else tuple(self._claimed)

    @property
    def undecodable(self) -> tuple[str, ...]:
        """Return the ids of the due rows this claim locked but could not decode (PORT-7)."""
        return self._undecodable


class SqlContractRepository(SqlDueRepository[Contract]):
    """The :class:`~omakase_core.contract.ports.ContractRepository` port (CON-5, PORT-5)."""


class SqlApplicationRepository(SqlRepository[Application]):
    """The :class:`~omakase_core.submission.ports.ApplicationRepository` port (SUB-5, SUB-7)."""

    def of_customer(self, customer_id: str) -> list[Application]:
        """Return every stored application of the customer, oldest first."""
        return self._of_customer(customer_id)


class SqlIdChangeRepository(SqlDueRepository[IdChangeApplication]):
    """The :class:`~omakase_core.id_change.ports.IdChangeRepository` port (IDC-2, IDC-8)."""

    def of_customer(self, customer_id: str) -> list[IdChangeApplication]:
        """Return every stored application of the customer, oldest first."""
        return self._of_customer(customer_id)


# -- the user directory (CON-8) -------------------------------------------------------------------


class SqlUserDirectory:
    """The :class:`~omakase_core.contract.ports.UserDirectory` port on ``omakase_directory``.

    Accounts are keyed by contract and casefolded e-mail; both writes the service makes are
    idempotent upserts (CON-8). Every method refuses a malformed contract id, e-mail, name,
    role or contractor with a ``ValidationError`` naming the parameter (SEC-2); a stored role
    that is not a :class:`~omakase_core.contract.DirectoryRole` is a ``DecodeError`` (PORT-7).
    """

    def __init__(self, backend: Backend) -> None:
        self._backend = backend
        d = backend.dialect
        self._upsert = d.sql(
            f"INSERT INTO {DIRECTORY} (contract_id, email, name, role) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (contract_id, email) DO UPDATE "
            "SET name = excluded.name, role = excluded.role"
        )
        self._role = d.sql(f"SELECT role FROM {DIRECTORY} WHERE contract_id = ? AND email = ?")
        self._raise = d.sql(f"UPDATE {DIRECTORY} SET role = ? WHERE contract_id = ? AND email = ?")
        self._accounts = d.sql(
            f"SELECT email, name, role FROM {DIRECTORY} WHERE contract_id = ? ORDER BY email"
        )

    def add_account(self, contract_id: str, email: str, *, name: str, role: DirectoryRole) -> None:
        """Create (or replace) an account; ``role`` must be a :class:`DirectoryRole` (SEC-2)."""
        key = _account(contract_id, email)
        account_name = check_text(name, field="name", rule="SEC-2", max_length=100)
        given: object = role  # callers are not always type-checked
        if type(given) is not DirectoryRole:
            msg = f"role must be a DirectoryRole member, not {type(given).__name__}"
            raise ValidationError(msg, field="role", rule="SEC-2")
        with self._backend.writing() as session:
            session.change(self._upsert, (*key, account_name, role.value))

    def role_of(self, contract_id: str, email: str) -> DirectoryRole | None:
        """Return the role of the account with ``email``, or ``None`` if there is none."""
        key = _account(contract_id, email)
        with self._backend.reading() as session:
            row = session.one(self._role, key)
        return None if row is None else _role(row[0])

    def raise_to_administrator(self, contract_id: str, email: str) -> None:
        """Make the existing account an administrator (idempotent); ``NotFound`` if none."""
        key = _account(contract_id, email)
        with self._backend.writing() as session:
            changed = session.change(self._raise, (DirectoryRole.ADMINISTRATOR.value, *key))
        if changed != 1:
            raise NotFound(kind="user account", id=key[1])

    def issue_administrator(self, contract_id: str, contractor: Contractor) -> None:
        """Create an administrator account for ``contractor`` (idempotent)."""
        given = check_contractor(contractor, "contractor")
        key = _account(contract_id, given.email)
        with self._backend.writing() as session:
            session.change(self._upsert, (*key, given.name, DirectoryRole.ADMINISTRATOR.value))

    def accounts(self, contract_id: str) -> dict[str, tuple[str, DirectoryRole]]:
        """Return the contract's accounts by e-mail (casefolded)."""
        wanted = check_id(contract_id, field="contract_id")
        with self._backend.reading() as session:
            rows = session.rows(self._accounts, (wanted,))
        return {email: (name, _role(role)) for email, name, role in rows}


def _account(contract_id: object, email: object) -> tuple[str, str]:
    identifier = check_id(contract_id, field="contract_id")
    return identifier, check_email(email, field="email", rule="SEC-2").casefold()


def _role(value: object) -> DirectoryRole:
    for role in DirectoryRole:
        if value == role.value:
            return role
    msg = f"a stored directory role must be one of {[r.value for r in DirectoryRole]}, not "
    raise DecodeError(msg + excerpt(value), type_name="directory account", field="role")


# -- the store -----------------------------------------------------------------------------------


class SqlStore:
    """Every storage port of every domain on one database, sharing one outbox (PORT-5).

    The attributes are those of :class:`omakase_core.testing.InMemoryStore`.
    """

    def __init__(self, backend: Backend) -> None:
        self.outbox = SqlOutbox(backend)
        self.contracts = SqlContractRepository(CONTRACTS, backend, self.outbox)
        self.directory = SqlUserDirectory(backend)
        self.applications = SqlApplicationRepository(APPLICATIONS, backend, self.outbox)
        self.id_changes = SqlIdChangeRepository(ID_CHANGES, backend, self.outbox)
        self.tenants: SqlRepository[Tenant] = SqlRepository(TENANTS, backend, self.outbox)
        self.credentials: SqlRepository[Credential] = SqlRepository(
            CREDENTIALS, backend, self.outbox
        )
        self.ocn_customers: SqlRepository[OcnCustomer] = SqlRepository(
            OCN_CUSTOMERS, backend, self.outbox
        )
        self.inquiries: SqlRepository[Inquiry] = SqlRepository(INQUIRIES, backend, self.outbox)
