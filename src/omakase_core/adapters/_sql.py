"""What the SQLite and PostgreSQL adapters share: tables, statements, repositories (PORT-5).

Both adapters hold the same tables (``omakase_`` prefixed, so they can live in a portal's
own database): one per aggregate kind, with the aggregate as the codec's JSON (PORT-7) in
``body`` and, beside it, the columns its queries need (a due instant, a customer id), each
indexed; the ``omakase_outbox`` every repository writes its events to (PORT-3), with each
record's delivery state (PORT-6) and the aggregate its event belongs to (for CON-10's
redaction); the user directory of contracts (CON-8). A :class:`Dialect` says how each
database spells a column type, a JSON parameter, an instant and a row lock; a backend (one
per adapter) lends a :class:`Session` for a read, for a write transaction and for a claim.

:func:`create_tables` creates the tables at :data:`SCHEMA_VERSION` and upgrades older ones
in place (version 1 → 2: the outbox's delivery and aggregate columns, filled in for the
stored records; the inquiries' due instant; 2 → 3: the sites' table, SUB-5; 3 → 4: the
register of site names, SUB-7, and the sites' due instant, SUB-3(i)), recording the
version in ``omakase_schema``.

``add`` and ``save`` are each one transaction: the compare-and-set on ``version``
(``UPDATE … WHERE id = ? AND version = ?``, PORT-2) and the outbox rows of the aggregate's
events (PORT-3) are written together, or nothing is. Everything that can be checked is
checked before the transaction starts (the aggregate, its events, the expected version);
a malformed call is a ``ValidationError`` naming the parameter and writes nothing (SEC-2).

A database that reports a lost race itself (PostgreSQL's serialization failure or
deadlock: :attr:`Dialect.conflicts`) rolls the transaction back, and the repository raises
``ConcurrencyConflict``, never the driver's exception (PORT-2). A database that cannot serve
the command (a closed store, a server that cannot be reached, a pool with no connection to
lend, a file locked past its busy timeout, an I/O error: :attr:`Dialect.unavailable`) rolls
it back too, and the store raises ``StoreUnavailable`` with the driver's exception as its
cause (PORT-5); every other exception of the driver (our own SQL's) stays what it is.

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

While a thread holds a claim, every other call that thread makes through the same store
(the user directory, the outbox, a redaction, a read) *joins* the claim's transaction
instead of taking another connection — SQLite's second writer would otherwise wait for
the claim's own lock — and commits or rolls back with it. Each such write is one
statement, or checks everything before its first change, so it needs no savepoint either.
``add`` and ``save`` through the store's repositories (not the batch) are refused in that
thread, as the batch refuses them (PORT-5); another claim too. Other threads are unaffected.

A stored row that does not decode (PORT-7) never stops a sweep: ``due`` and ``claim_due``
decode row by row, hand out only the rows that decode, and report the others as a
``WARNING`` on the ``omakase_core.adapters`` logger (the ids and the first decode error);
a claimed batch also lists their ids in ``undecodable``. Its claim keeps reading past them
until it holds ``limit`` aggregates or none is left, so the sweep loop's ``len(batch.claimed)
< limit`` still tells when the sweep is done. The rows stay stored, untouched, and are
reported by every sweep until they are repaired; ``get`` of one is the ``DecodeError``.
An outbox record whose event does not decode never stops delivery either: the claim that
meets it dead-letters it (``last_error`` says why, PORT-6, PORT-7), reports it as a
``WARNING`` and lists it in its result's ``undecodable``, so that the delivery run reports
it in ``DeliveryReport.dead_lettered``; ``undecodable_dead_letters`` lists such dead letters
for an operator (``dead_letters`` returns records with their events); once an upcaster can
read it, ``retry_dead_letter`` puts it back.
"""

# ruff: noqa: S608  # every statement is built from this module's own table and column names; values are always parameters

from __future__ import annotations

import contextlib
import copy
import logging
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta  # attrs resolves the annotations of Dialect at run time
from typing import TYPE_CHECKING, Any, Final, Generic, Literal, Protocol, Self, TypeVar

import attrs

from omakase_core._validation import check_email, check_text
from omakase_core.accounts.aggregate import Credential, Tenant
from omakase_core.calendar import to_jst
from omakase_core.codec import decode, encode
from omakase_core.contract.aggregate import Contract
from omakase_core.contract.model import (
    Contractor,
    ContractStatus,
    DirectoryRole,
    check_contractor,
)
from omakase_core.errors import (
    ConcurrencyConflict,
    DecodeError,
    NotFound,
    OmakaseError,
    StoreUnavailable,
    ValidationError,
    excerpt,
)
from omakase_core.events import (
    REDACTED_ERROR,
    Event,
    OutboxRecord,
    lease_end,
    lost_lease_error,
    records_for_save,
)
from omakase_core.id_change.aggregate import IdChangeApplication
from omakase_core.inquiry.aggregate import Inquiry
from omakase_core.ocn.aggregate import OcnCustomer
from omakase_core.principal import check_id
from omakase_core.submission.aggregate import Application, Site
from omakase_core.submission.model import SiteName
from omakase_core.submission.ports import checked_names, name_taken

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
_BACKFILL_CHUNK: Final = 1000
"""Rows the upgrade of a version-1 database reads at a time."""
_DEAD_CHUNK: Final = 1000
"""Dead letters :meth:`SqlOutbox.undecodable_dead_letters` reads at a time."""


# -- dialects -----------------------------------------------------------------------------------


def _never_unavailable(error: Exception) -> str | None:
    """Say that no exception means the database cannot serve (a dialect that knows none)."""
    return None


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
    columns: str
    """A query of the names of a table's columns (one parameter: the table's name)."""
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
    store: str = "store"
    """The name of the adapter's store, as ``StoreUnavailable`` names it."""
    unavailable: Callable[[Exception], str | None] = _never_unavailable
    """Why the driver's exception means the database cannot serve now (unreachable, locked,
    an I/O error), in a few words of the adapter's own, or ``None`` when it means something
    else (a mistake in our SQL stays loud); raised as ``StoreUnavailable`` (PORT-5)."""

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

    def erased(self) -> None:
        """Scrub what the committed erasure of personal data left in the files (CON-10).

        Called once a transaction that erased committed: a redaction of events, a removal
        of accounts, the save of an aggregate whose body no longer holds them
        (:attr:`Table.erases`).
        """
        ...


def unavailable(dialect: Dialect, error: Exception) -> StoreUnavailable | None:
    """Return the ``StoreUnavailable`` the driver's ``error`` means, if it means one (PORT-5).

    A lost race (:attr:`Dialect.conflicts`) is not one: the repositories raise it as
    ``ConcurrencyConflict``.
    """
    if isinstance(error, dialect.conflicts):
        return None
    reason = dialect.unavailable(error)
    return None if reason is None else StoreUnavailable(store=dialect.store, reason=reason)


@contextlib.contextmanager
def serving(dialect: Dialect) -> Iterator[None]:
    """Raise the driver's exceptions that say the database cannot serve as ``StoreUnavailable``.

    The driver's exception is the cause; any other exception passes unchanged (PORT-5).
    """
    try:
        yield
    except Exception as error:
        refused = unavailable(dialect, error)
        if refused is None:
            raise
        raise refused from error


class _Bound:
    """The backend of a claimed batch: every session is the claim's own transaction.

    No savepoint: a save inside the claim checks what can refuse it before it changes the
    row (:meth:`SqlRepository.save`). Once the database has rolled the claim's transaction
    back (``failed``: a lost race, or a database that could not serve), every further use
    raises that ``ConcurrencyConflict`` or ``StoreUnavailable`` again. An erasure inside
    the claim is remembered (``erasing``) and scrubbed once it commits.
    """

    def __init__(self, session: Session, dialect: Dialect) -> None:
        self._session = session
        self._dialect = dialect
        self.active = True
        self.failed: OmakaseError | None = None
        self.erasing = False

    @property
    def dialect(self) -> Dialect:
        return self._dialect

    def session(self) -> Session:
        """Return the claim's session while the claim is active and has not failed."""
        return self._check()

    def _check(self) -> Session:
        if not self.active:
            msg = "this claimed batch has ended: use the repository, or claim again"
            raise ValidationError(msg, field="batch", rule="PORT-5")
        if self.failed is not None:
            raise self.failed
        return self._session

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        with self._failing():
            yield self._check()

    @contextlib.contextmanager
    def writing(self) -> Iterator[Session]:
        """Lend the claim's transaction; a write the database rolls back fails the claim."""
        session = self._check()
        try:
            with self._failing():
                yield session
        except self._dialect.conflicts:
            if self.failed is None:
                what = "a write joined to a claimed batch"
                self.failed = lost_race(
                    "batch", expected_version=None, actual_version=None, what=what
                )
            raise

    @contextlib.contextmanager
    def _failing(self) -> Iterator[None]:
        """Fail the claim with ``StoreUnavailable`` when the database cannot serve (PORT-5)."""
        try:
            yield
        except Exception as error:
            refused = unavailable(self._dialect, error)
            if refused is None:
                raise
            if self.failed is None:
                self.failed = refused
            raise refused from error

    def claiming(self) -> AbstractContextManager[Session]:
        msg = "a claimed batch cannot claim again: end it first"
        raise ValidationError(msg, field="batch", rule="PORT-5")

    def erased(self) -> None:
        self.erasing = True  # scrubbed when the claim has committed


class _Joining:
    """A store's backend: while a thread holds a claim, that thread's calls join it.

    Another thread borrows its own connection as before. A second claim in the thread
    that holds one is refused (PORT-5): on SQLite it would wait 30 s for the first.
    """

    def __init__(self, backend: Backend) -> None:
        self._backend = backend
        self._local = threading.local()

    @property
    def dialect(self) -> Dialect:
        return self._backend.dialect

    def held(self) -> _Bound | None:
        """Return the claim the calling thread holds on this store, if any."""
        bound: _Bound | None = getattr(self._local, "bound", None)
        return bound

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        bound = self.held()
        with (
            serving(self.dialect),
            self._backend.reading() if bound is None else bound.reading() as session,
        ):
            yield session

    @contextlib.contextmanager
    def writing(self) -> Iterator[Session]:
        bound = self.held()
        with (
            serving(self.dialect),
            self._backend.writing() if bound is None else bound.writing() as session,
        ):
            yield session

    @contextlib.contextmanager
    def claiming(self) -> Iterator[Session]:
        if self.held() is not None:
            msg = "this thread already holds a claim of this store: end it before claiming again"
            raise ValidationError(msg, field="batch", rule="PORT-5")
        with serving(self.dialect), self._backend.claiming() as session:
            yield session

    def erased(self) -> None:
        bound = self.held()
        if bound is None:
            with serving(self.dialect):
                self._backend.erased()
        else:
            bound.erased()

    @contextlib.contextmanager
    def hold(self, bound: _Bound) -> Iterator[None]:
        """Let the calling thread's other calls join ``bound`` until the block ends."""
        self._local.bound = bound
        try:
            yield
        finally:
            self._local.bound = None


@contextlib.contextmanager
def _claim(backend: Backend) -> Iterator[_Bound]:
    """Open a claim's transaction on ``backend``; the thread's other calls join it.

    The transaction commits when the block ends, unless it raised or the database rolled
    the claim back (then the claim's ``ConcurrencyConflict``, or ``StoreUnavailable`` when
    the database could not serve, is raised); an erasure made inside it is scrubbed once it
    has committed (CON-10).
    """
    with backend.claiming() as session:
        bound = _Bound(session, backend.dialect)
        holding = backend.hold(bound) if isinstance(backend, _Joining) else contextlib.nullcontext()
        try:
            with holding:
                yield bound
        finally:
            bound.active = False
        if bound.failed is not None:
            raise bound.failed  # the database rolled the claim back: commit nothing
    if bound.erasing:
        backend.erased()


def _joined(backend: Backend) -> bool:
    """Return whether the calling thread holds a claim of ``backend``'s store."""
    return isinstance(backend, _Joining) and backend.held() is not None


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
    events: str
    """The ``aggregate_type`` of the aggregate's events: its records in the outbox."""
    columns: tuple[Column, ...] = ()
    due: Callable[[Any], datetime | None] | None = None
    """The aggregate's due instant (stored in the ``due_at`` column), if the port sweeps it."""
    by_customer: bool = False
    """Whether the port asks for a customer's aggregates (a ``customer_id`` column)."""
    erases: Callable[[Any], bool] | None = None
    """Whether saving the aggregate erases personal data from its body (CON-10)."""


def _customer(aggregate: Any) -> str:
    customer: str = aggregate.customer_id
    return customer


def _contract_due(contract: Contract) -> datetime | None:
    return contract.next_due_at


def _contract_purged(contract: Contract) -> bool:
    return contract.status is ContractStatus.PURGED


def _id_change_due(application: IdChangeApplication) -> datetime | None:
    return application.due_at


def _inquiry_due(inquiry: Inquiry) -> datetime | None:
    return inquiry.next_due_at  # when the attachments' files are to be deleted (INQ-2)


def _site_due(site: Site) -> datetime | None:
    return site.next_due_at  # when its scheduled fault-contact change applies (SUB-3(i))


_CUSTOMER: Final = Column(name="customer_id", kind="text", of=_customer)

CONTRACTS: Final = Table(
    name="omakase_contracts",
    kind="contract",
    aggregate=Contract,
    events="contract",
    columns=(
        Column(name="status", kind="text", of=lambda contract: contract.status.value),
        Column(name="due_at", kind="instant", of=_contract_due, nullable=True),
    ),
    due=_contract_due,
    erases=_contract_purged,
)
APPLICATIONS: Final = Table(
    name="omakase_applications",
    kind="application",
    aggregate=Application,
    events="application",
    columns=(_CUSTOMER,),
    by_customer=True,
)
SITES: Final = Table(
    name="omakase_sites",
    kind="site",
    aggregate=Site,
    events="site",
    columns=(_CUSTOMER, Column(name="due_at", kind="instant", of=_site_due, nullable=True)),
    due=_site_due,
    by_customer=True,
)
ID_CHANGES: Final = Table(
    name="omakase_id_changes",
    kind="id change application",
    aggregate=IdChangeApplication,
    events="id_change",
    columns=(_CUSTOMER, Column(name="due_at", kind="instant", of=_id_change_due, nullable=True)),
    due=_id_change_due,
    by_customer=True,
)
TENANTS: Final = Table(name="omakase_tenants", kind="tenant", aggregate=Tenant, events="tenant")
CREDENTIALS: Final = Table(
    name="omakase_credentials", kind="credential", aggregate=Credential, events="credential"
)
OCN_CUSTOMERS: Final = Table(
    name="omakase_ocn_customers", kind="OCN customer", aggregate=OcnCustomer, events="ocn"
)
INQUIRIES: Final = Table(
    name="omakase_inquiries",
    kind="inquiry",
    aggregate=Inquiry,
    events="inquiry",
    columns=(Column(name="due_at", kind="instant", of=_inquiry_due, nullable=True),),
    due=_inquiry_due,
)

TABLES: Final = (
    CONTRACTS,
    APPLICATIONS,
    SITES,
    ID_CHANGES,
    TENANTS,
    CREDENTIALS,
    OCN_CUSTOMERS,
    INQUIRIES,
)
OUTBOX: Final = "omakase_outbox"
DIRECTORY: Final = "omakase_directory"
SITE_NAMES: Final = "omakase_site_names"
"""The register of site names (SUB-7): one row per name held, unique per customer."""
SCHEMA_VERSION: Final = 4
"""The version :func:`create_tables` creates or upgrades to, kept in ``omakase_schema``.

1: the first release. 2: the outbox's delivery state (PORT-6) and the aggregate of each
record (CON-10); the inquiries' due instant (INQ-2). 3: the installed sites'
``omakase_sites``, by customer (SUB-5). 4: the register of site names
``omakase_site_names`` (SUB-7) and the sites' due instant (a scheduled fault-contact
change, SUB-3(i)).
"""


def _outbox_columns(d: Dialect) -> list[tuple[str, str]]:
    """Return the outbox's columns added by version 2: (name, definition)."""
    return [
        ("aggregate_type", d.text),
        ("aggregate_id", d.text),
        ("attempts", f"{d.integer} NOT NULL DEFAULT 0"),
        ("last_error", d.text),
        ("next_attempt_at", d.instant),
        ("dead_lettered_at", d.instant),
        ("lease", d.text),
        ("leased_until", d.instant),
    ]


def _tables(d: Dialect) -> list[str]:
    """Return the statements creating every missing table at the current version."""
    statements = []
    for table in TABLES:
        columns = [
            f"seq {d.seq}",
            f"id {d.text} NOT NULL UNIQUE",
            f"version {d.integer} NOT NULL",
            f"body {d.json} NOT NULL",
            *(f"{c.name} {_column_type(c, d)}" for c in table.columns),
        ]
        statements.append(f"CREATE TABLE IF NOT EXISTS {table.name} ({', '.join(columns)})")
    outbox = [
        f"seq {d.seq}",
        f"key {d.text} NOT NULL UNIQUE",
        f"event {d.json} NOT NULL",
        f"delivered_at {d.instant}",
        *(f"{name} {definition}" for name, definition in _outbox_columns(d)),
    ]
    statements += [
        f"CREATE TABLE IF NOT EXISTS {OUTBOX} ({', '.join(outbox)})",
        (
            f"CREATE TABLE IF NOT EXISTS {DIRECTORY} (contract_id {d.text} NOT NULL, "
            f"email {d.text} NOT NULL, name {d.text} NOT NULL, role {d.text} NOT NULL, "
            "PRIMARY KEY (contract_id, email))"
        ),
        (
            f"CREATE TABLE IF NOT EXISTS {SITE_NAMES} (customer_id {d.text} NOT NULL, "
            f"company_abbrev {d.text} NOT NULL, location {d.text} NOT NULL, "
            f"holder_id {d.text} NOT NULL, PRIMARY KEY (customer_id, company_abbrev, location))"
        ),
    ]
    return statements


def _column_type(column: Column, d: Dialect) -> str:
    kind = d.text if column.kind == "text" else d.instant
    return kind if column.nullable else f"{kind} NOT NULL"


_WAITING: Final = "delivered_at IS NULL AND dead_lettered_at IS NULL"
"""The outbox records still to deliver (PORT-6): what ``pending`` and the claims read."""
_DEAD: Final = "dead_lettered_at IS NOT NULL AND delivered_at IS NULL"
"""The dead-lettered outbox records (PORT-6)."""


_UNASSIGNED: Final = "aggregate_id IS NULL"
"""The outbox rows whose aggregate is not written yet (version 1's)."""


def _indexes() -> list[str]:
    """Return the statements creating every missing index."""
    statements = []
    for table in TABLES:
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
    return [
        *statements,
        f"CREATE INDEX IF NOT EXISTS {OUTBOX}_pending ON {OUTBOX} (seq) WHERE {_WAITING}",
        f"CREATE INDEX IF NOT EXISTS {OUTBOX}_dead ON {OUTBOX} (seq) WHERE {_DEAD}",
        f"CREATE INDEX IF NOT EXISTS {OUTBOX}_aggregate ON {OUTBOX} (aggregate_id, aggregate_type)",
        # rows a version-1 process still writes during a rolling upgrade (CON-10 finds them)
        f"CREATE INDEX IF NOT EXISTS {OUTBOX}_unassigned ON {OUTBOX} (seq) WHERE {_UNASSIGNED}",
        f"CREATE INDEX IF NOT EXISTS {SITE_NAMES}_holder ON {SITE_NAMES} (holder_id)",
    ]


def create_tables(session: Session, dialect: Dialect) -> None:
    """Create every table and index at :data:`SCHEMA_VERSION`, or upgrade them (PORT-5, PORT-7).

    Idempotent, in the caller's transaction. A version-3 database gains the register of
    site names (SUB-7, empty: names stored before are still checked by the service's read)
    and the sites' due instant (SUB-3(i)), filled in for the stored sites; a version-2
    database the sites' table (SUB-5) and its index as well. A version-1 database is
    upgraded in place too:
    the columns it lacks are added (``ALTER TABLE … ADD COLUMN``), the outbox records get
    their aggregate (read from their events; from the key when one does not decode), the
    inquiries their due instant, the contracts theirs again (CON-10: one purged without
    erasure falls due), the outbox's pending index its new condition, and
    ``omakase_schema`` the new version. A database of a later version is refused with a
    ``ValidationError``: this release cannot know what that one stores.
    """
    d = dialect
    session.change(
        f"CREATE TABLE IF NOT EXISTS omakase_schema (version {d.integer} PRIMARY KEY)", ()
    )
    row = session.one("SELECT max(version) FROM omakase_schema", ())
    found = None if row is None or row[0] is None else int(row[0])
    if found is not None and found > SCHEMA_VERSION:
        msg = (
            f"the database's tables are at schema version {found}, newer than this release's "
            f"{SCHEMA_VERSION}: upgrade omakase_core before opening it"
        )
        raise ValidationError(msg, field="connection", rule="PORT-7")
    for statement in _tables(d):
        session.change(statement, ())
    added = _add_columns(session, d)
    if (OUTBOX, "dead_lettered_at") in added:  # version 1's pending index, without it
        session.change(f"DROP INDEX IF EXISTS {OUTBOX}_pending", ())
    for table in TABLES:
        if (table.name, "due_at") in added:
            _fill_due(session, d, table)
    if found == 1:  # CON-10: a contract version 1 purged kept its personal data: due again
        _fill_due(session, d, CONTRACTS)
    for statement in _indexes():
        session.change(statement, ())
    fill_aggregates(session, d)
    if found != SCHEMA_VERSION:
        session.change("DELETE FROM omakase_schema", ())
        session.change(d.sql("INSERT INTO omakase_schema (version) VALUES (?)"), (SCHEMA_VERSION,))


def _add_columns(session: Session, d: Dialect) -> set[tuple[str, str]]:
    """Add the columns a version-1 table lacks; return (table, column) of each one added."""
    wanted = {OUTBOX: _outbox_columns(d)}
    for table in TABLES:
        wanted[table.name] = [(c.name, _column_type(c, d)) for c in table.columns if c.nullable]
    added: set[tuple[str, str]] = set()
    for name, columns in wanted.items():
        present = {str(column) for (column,) in session.rows(d.columns, (name,))}
        for column, definition in columns:
            if column not in present:
                session.change(f"ALTER TABLE {name} ADD COLUMN {column} {definition}", ())
                added.add((name, column))
    return added


def fill_aggregates(session: Session, d: Dialect) -> None:
    """Write each outbox record's aggregate type and id where they are missing (CON-10).

    Rows written by version 1 lack them: those of an upgraded database, and those a
    version-1 process still writes during a rolling upgrade. Each is read from its event
    (from its key when the event does not decode). An indexed query: nothing to do costs
    nothing. :func:`create_tables` and every redaction call it first.
    """
    event = d.json_text.format("event")
    select = d.sql(
        f"SELECT seq, key, {event} FROM {OUTBOX} WHERE aggregate_id IS NULL AND seq > ? "
        "ORDER BY seq LIMIT ?"
    )
    update = d.sql(f"UPDATE {OUTBOX} SET aggregate_type = ?, aggregate_id = ? WHERE seq = ?")
    last = 0
    while rows := session.rows(select, (last, _BACKFILL_CHUNK)):
        for seq, key, text in rows:
            session.change(update, (*_origin(str(key), text), seq))
        last = rows[-1][0]


def _origin(key: str, text: str) -> tuple[str, str]:
    """Return the aggregate type and id of a stored event (from its key if it cannot decode)."""
    try:
        event = _event(text)
    except DecodeError:  # the key is the event's ``type:id:version`` (PORT-3)
        kind, _, rest = key.partition(":")
        return kind, rest.rpartition(":")[0]
    return event.aggregate_type, event.aggregate_id


def _fill_due(session: Session, d: Dialect, table: Table) -> None:
    """Write each stored aggregate's due instant into the ``due_at`` column just added."""
    due = table.due
    if due is None:
        return
    body = d.json_text.format("body")
    select = d.sql(f"SELECT seq, id, {body} FROM {table.name} WHERE seq > ? ORDER BY seq LIMIT ?")
    update = d.sql(f"UPDATE {table.name} SET due_at = ? WHERE seq = ?")
    undecodable: list[str] = []
    last = 0
    while rows := session.rows(select, (last, _BACKFILL_CHUNK)):
        for seq, row_id, text in rows:
            try:
                at = due(decode(text, expected=table.aggregate))
            except DecodeError:
                undecodable.append(str(row_id))
                continue
            if at is not None:
                session.change(update, (d.instant_in(at), seq))
        last = rows[-1][0]
    if undecodable:
        LOGGER.warning(
            "%s stored %s(s) could not be decoded while upgrading the tables and are not due "
            "until they are repaired and saved again (PORT-7): %s",
            len(undecodable),
            table.kind,
            ", ".join(excerpt(row_id) for row_id in undecodable[:_REPORTED_IDS]),
        )


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


class ClaimedRecords(list[OutboxRecord]):
    """The records a claim leased, and the undecodable ones it dead-lettered (PORT-6, PORT-7).

    A list of the leased records; ``undecodable`` holds ``(key, reason)`` of each record
    this claim dead-lettered because its stored event does not decode, so that
    :func:`~omakase_core.delivery.deliver_pending` reports them in
    :attr:`~omakase_core.delivery.DeliveryReport.dead_lettered`.
    """

    def __init__(
        self, records: Sequence[OutboxRecord], undecodable: Sequence[tuple[str, str]] = ()
    ) -> None:
        super().__init__(records)
        self.undecodable: tuple[tuple[str, str], ...] = tuple(undecodable)


class SqlOutbox:
    """The :class:`~omakase_core.ports.Outbox` port on the ``omakase_outbox`` table (PORT-3).

    Each record's delivery state (PORT-6) is kept in columns beside its event: ``attempts``,
    ``last_error``, ``next_attempt_at``, ``dead_lettered_at``, and the ``lease`` and
    ``leased_until`` of the worker that claimed it. Every method is one transaction:
    :meth:`claim` selects the due records oldest first (``FOR UPDATE SKIP LOCKED`` on
    PostgreSQL, so two workers claiming at once take different records; SQLite's single
    writer takes turns), counts the attempts of expired leases and writes a fresh lease on
    each; :meth:`mark_delivered`, :meth:`record_failure` and :meth:`retry_dead_letter` are
    each one conditional ``UPDATE``, so of two workers only one succeeds. Malformed
    arguments are a ``ValidationError`` naming the parameter (SEC-2), and change nothing.

    A record whose event does not decode (PORT-7) is dead-lettered by the claim that meets
    it, which lists it in its result's ``undecodable`` (so a delivery run reports it); it is
    left out of :meth:`pending` and :meth:`dead_letters`, which return records with their
    events, with a ``WARNING`` on the ``omakase_core.adapters`` logger, and listed by
    :meth:`undecodable_dead_letters` for an operator; :meth:`get` of it is the
    ``DecodeError``.
    """

    def __init__(self, backend: Backend) -> None:
        self._backend = backend
        d = backend.dialect
        fields = (
            f"key, {d.json_text.format('event')}, delivered_at, attempts, last_error, "
            "next_attempt_at, dead_lettered_at, lease, leased_until"
        )
        due = (
            "(next_attempt_at IS NULL OR next_attempt_at <= ?) "
            "AND (leased_until IS NULL OR leased_until <= ?)"
        )
        self._pending = d.sql(
            f"SELECT {fields} FROM {OUTBOX} WHERE {_WAITING} ORDER BY seq LIMIT ?"
        )
        self._due = d.sql(
            f"SELECT {fields} FROM {OUTBOX} WHERE {_WAITING} AND {due} ORDER BY seq LIMIT ?"
        )
        self._claim = d.sql(
            f"SELECT seq, {fields} FROM {OUTBOX} WHERE {_WAITING} AND {due} AND seq > ? "
            f"ORDER BY seq LIMIT ?{d.lock}"
        )
        self._dead = d.sql(f"SELECT {fields} FROM {OUTBOX} WHERE {_DEAD} ORDER BY seq LIMIT ?")
        self._dead_after = d.sql(
            f"SELECT seq, {fields} FROM {OUTBOX} WHERE {_DEAD} AND seq > ? ORDER BY seq LIMIT ?"
        )
        self._get = d.sql(f"SELECT {fields} FROM {OUTBOX} WHERE key = ?")
        self._exists = d.sql(f"SELECT 1 FROM {OUTBOX} WHERE key = ?")
        self._all = d.sql(f"SELECT {fields} FROM {OUTBOX} ORDER BY seq")
        self._count = f"SELECT count(*) FROM {OUTBOX}"
        self._lease = d.sql(
            f"UPDATE {OUTBOX} SET lease = ?, leased_until = ?, attempts = ?, last_error = ? "
            "WHERE key = ?"
        )
        self._poisoned = d.sql(
            f"UPDATE {OUTBOX} SET dead_lettered_at = ?, last_error = ?, lease = NULL, "
            "leased_until = NULL WHERE key = ?"
        )
        self._mark = d.sql(
            f"UPDATE {OUTBOX} SET delivered_at = ?, dead_lettered_at = NULL, lease = NULL, "
            "leased_until = NULL WHERE key = ? AND delivered_at IS NULL"
        )
        self._failure = d.sql(
            f"UPDATE {OUTBOX} SET attempts = ?, last_error = ?, next_attempt_at = ?, "
            "dead_lettered_at = ?, lease = NULL, leased_until = NULL "
            "WHERE key = ? AND lease = ? AND delivered_at IS NULL"
        )
        self._retry = d.sql(
            f"UPDATE {OUTBOX} SET attempts = 0, next_attempt_at = NULL, dead_lettered_at = NULL "
            f"WHERE key = ? AND {_DEAD}"
        )
        self._inserts: dict[tuple[int, bool], str] = {}
        self._deletes: dict[int, str] = {}

    def pending(
        self, *, limit: int | None = None, now: datetime | None = None
    ) -> list[OutboxRecord]:
        """Return records neither delivered nor dead-lettered, oldest first, at most ``limit``.

        With ``now``, only those a worker may claim at ``now`` (PORT-6): not waiting for
        their next attempt, not leased to a worker.
        """
        count = MAX_INT if limit is None else check_count(limit, "limit")
        instant = None if now is None else to_jst(now, field="now")
        with self._backend.reading() as session:
            if instant is None:
                rows = session.rows(self._pending, (count,))
            else:
                at = self._backend.dialect.instant_in(instant)
                rows = session.rows(self._due, (at, at, count))
        return self._decoded(rows)

    def get(self, key: str) -> OutboxRecord:
        """Return the record with idempotency key ``key``; ``NotFound`` if there is none."""
        row = None
        if storable(check_key(key, "key")):
            with self._backend.reading() as session:
                row = session.one(self._get, (key,))
        if row is None:
            raise NotFound(kind="outbox record", id=key)
        return self._record(row)

    def claim(self, *, now: datetime, limit: int, lease: timedelta) -> ClaimedRecords:
        """Lease up to ``limit`` records due at ``now`` to the caller, oldest first (PORT-6).

        One transaction: the due records are selected and locked (skipping those another
        claim holds), each gets a fresh lease token and ``leased_until = now + lease``; a
        record whose previous lease expired unreported counts that attempt first. A record
        whose event does not decode is dead-lettered instead (PORT-7), listed with its
        reason in the result's ``undecodable``, and the claim reads on past it until it
        holds ``limit`` records or none is left.
        """
        instant = to_jst(now, field="now")
        count = check_count(limit, "limit")
        until = lease_end(instant, lease)
        if count == 0:
            return ClaimedRecords([])
        d = self._backend.dialect
        at = d.instant_in(instant)
        claimed: list[OutboxRecord] = []
        poisoned: list[tuple[str, DecodeError]] = []
        reasons: list[tuple[str, str]] = []
        try:
            with self._backend.writing() as session:
                last, wanted = 0, count
                while wanted > 0:
                    rows = session.rows(self._claim, (at, at, last, wanted))
                    for seq, *fields in rows:
                        last = seq
                        try:
                            record = self._record(fields)
                        except DecodeError as error:
                            poisoned.append((str(fields[0]), error))
                            reason = _undecodable_reason(error)
                            session.change(self._poisoned, (at, reason, fields[0]))
                            reasons.append((str(fields[0]), reason))
                            continue
                        claimed.append(self._lease_one(session, record, until))
                    if len(rows) < wanted:
                        break
                    wanted = count - len(claimed)
        except d.conflicts:
            what = "the claim of outbox records"
            raise lost_race(OUTBOX, expected_version=None, actual_version=None, what=what) from None
        if poisoned:
            _report_poisoned(poisoned)
        return ClaimedRecords(claimed, reasons)

    def _lease_one(self, session: Session, record: OutboxRecord, until: datetime) -> OutboxRecord:
        """Write a fresh lease on ``record`` (after counting an expired one); return it."""
        attempts, error = record.attempts, record.last_error
        if record.leased_until is not None:  # its worker never reported: a lost attempt
            attempts, error = attempts + 1, lost_lease_error(record.leased_until)
        token = uuid.uuid4().hex
        params = (token, self._backend.dialect.instant_in(until), attempts, error, record.key)
        session.change(self._lease, params)
        return attrs.evolve(
            record, attempts=attempts, last_error=error, lease=token, leased_until=until
        )

    def mark_delivered(self, key: str, *, at: datetime) -> bool:
        """Mark ``key`` delivered at ``at`` and end its lease (PORT-3, PORT-6).

        Return ``False`` if it already was (no change). A dead-lettered record that a late
        worker did deliver is marked delivered too.
        """
        check_key(key, "key")
        instant = to_jst(at, field="at")
        if not storable(key):
            raise NotFound(kind="outbox record", id=key)
        at_in = self._backend.dialect.instant_in(instant)
        changed = self._write(self._mark, (at_in, key), key, "marking {} delivered")
        if changed == 1:
            return True
        self._check_stored(key)
        return False

    def record_failure(  # noqa: PLR0913  # one attempt's whole report
        self,
        key: str,
        *,
        lease: str,
        at: datetime,
        error: str,
        attempts: int,
        retry_at: datetime | None,
    ) -> bool:
        """Record a failed attempt of the worker holding ``lease`` and end the lease (PORT-6).

        ``attempts`` and ``error`` are stored; with ``retry_at`` the record waits until
        then, with ``None`` it is dead-lettered at ``at``. Return ``False`` and change
        nothing when the record is delivered or ``lease`` is no longer its lease.
        """
        check_key(key, "key")
        check_key(lease, "lease")
        instant = to_jst(at, field="at")
        reason = _check_error(error)
        count = check_count(attempts, "attempts")
        retry = None if retry_at is None else to_jst(retry_at, field="retry_at")
        if not storable(key):
            raise NotFound(kind="outbox record", id=key)
        changed = 0
        if storable(lease):  # any other token cannot be a record's lease
            instant_in = self._backend.dialect.instant_in
            params = (
                count,
                reason,
                None if retry is None else instant_in(retry),
                instant_in(instant) if retry is None else None,
                key,
                lease,
            )
            changed = self._write(self._failure, params, key, "recording a failed attempt of {}")
        if changed == 1:
            return True
        self._check_stored(key)
        return False

    def retry_dead_letter(self, key: str) -> bool:
        """Put the dead-lettered record ``key`` back for delivery, as an operator's step.

        Its attempts start again from 0 and it is due at once; ``last_error`` is kept.
        Return ``False`` (no change) if it is not dead-lettered; ``NotFound`` if unknown.
        """
        check_key(key, "key")
        if not storable(key):
            raise NotFound(kind="outbox record", id=key)
        if self._write(self._retry, (key,), key, "retrying the dead letter {}") == 1:
            return True
        self._check_stored(key)
        return False

    def dead_letters(self, *, limit: int | None = None) -> list[OutboxRecord]:
        """Return the dead-lettered records, oldest first, at most ``limit`` of them.

        Those whose event does not decode are left out (reported as a ``WARNING``):
        :meth:`undecodable_dead_letters` lists them.
        """
        count = MAX_INT if limit is None else check_count(limit, "limit")
        with self._backend.reading() as session:
            rows = session.rows(self._dead, (count,))
        return self._decoded(rows, listed_by="undecodable_dead_letters()")

    def undecodable_dead_letters(self, *, limit: int | None = None) -> list[tuple[str, str]]:
        """Return ``(key, reason)`` of the dead letters whose event does not decode (PORT-6).

        Oldest first, at most ``limit``: the records :meth:`dead_letters` cannot return,
        each with why its stored event cannot be read now. An operator repairs the row (or
        installs an upcaster) and puts it back with :meth:`retry_dead_letter`.
        """
        count = MAX_INT if limit is None else check_count(limit, "limit")
        found: list[tuple[str, str]] = []
        last = 0
        with self._backend.reading() as session:
            while len(found) < count:
                rows = session.rows(self._dead_after, (last, _DEAD_CHUNK))
                for seq, *fields in rows:
                    last = seq
                    try:
                        self._record(fields)
                    except DecodeError as error:
                        found.append((str(fields[0]), _undecodable_reason(error)))
                if len(rows) < _DEAD_CHUNK:
                    break
        return found[:count]

    def records(self) -> list[OutboxRecord]:
        """Return every record, delivered or not, in the order they were stored.

        A record whose event does not decode is the ``DecodeError`` (PORT-7).
        """
        with self._backend.reading() as session:
            rows = session.rows(self._all, ())
        return [self._record(row) for row in rows]

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
            values = ", ".join(["(?, {json}, ?, ?)"] * len(records))
            statement = self._backend.dialect.sql(
                f"INSERT INTO {OUTBOX} (key, event, aggregate_type, aggregate_id) VALUES {values} "
                "ON CONFLICT (key) DO NOTHING" + (" RETURNING key" if returning else "")
            )
            self._inserts[len(records), returning] = statement
        params: list[object] = []
        for record in records:
            event = record.event
            params += (record.key, encode(event), event.aggregate_type, event.aggregate_id)
        return statement, params

    def _write(self, statement: str, params: Sequence[object], key: str, what: str) -> int:
        """Run one ``UPDATE`` of ``key`` in its own transaction (or the thread's claim).

        ``what`` names the write for a lost race, ``{}`` standing for the key.
        """
        try:
            with self._backend.writing() as session:
                return session.change(statement, params)
        except self._backend.dialect.conflicts:
            said = what.format(excerpt(key))
            raise lost_race(key, expected_version=None, actual_version=None, what=said) from None

    def _check_stored(self, key: str) -> None:
        """Raise ``NotFound`` unless a record with ``key`` is stored."""
        with self._backend.reading() as session:
            if session.one(self._exists, (key,)) is None:
                raise NotFound(kind="outbox record", id=key)

    def _record(self, row: Sequence[Any]) -> OutboxRecord:
        """Return the record of a row of the outbox's columns; ``DecodeError`` if it cannot."""
        key, text, delivered, attempts, error, retry, dead, lease, until = row
        out = self._backend.dialect.instant_out
        event = _event(text)
        try:
            return OutboxRecord(
                key=key,
                event=event,
                delivered_at=None if delivered is None else out(delivered),
                attempts=attempts,
                last_error=error,
                next_attempt_at=None if retry is None else out(retry),
                dead_lettered_at=None if dead is None else out(dead),
                lease=lease,
                leased_until=None if until is None else out(until),
            )
        except ValidationError as invalid:  # a row no adapter wrote: malformed stored data
            msg = f"the stored outbox record {excerpt(key)} is malformed: {invalid.message}"
            raise DecodeError(msg, type_name="outbox record", field=invalid.field) from None

    def _decoded(
        self, rows: Sequence[Sequence[Any]], *, listed_by: str = "get() of each"
    ) -> list[OutboxRecord]:
        """Return the records of ``rows``, leaving out (and reporting) those that cannot decode.

        ``listed_by`` names where the report sends an operator to see them.
        """
        records: list[OutboxRecord] = []
        undecodable: list[tuple[str, DecodeError]] = []
        for row in rows:
            try:
                records.append(self._record(row))
            except DecodeError as error:
                undecodable.append((str(row[0]), error))
        if undecodable:
            LOGGER.warning(
                "%s outbox record(s) could not be decoded and were left out (PORT-7): %s; "
                "the first: %s; see %s",
                len(undecodable),
                ", ".join(excerpt(key) for key, _ in undecodable[:_REPORTED_IDS]),
                undecodable[0][1],
                listed_by,
            )
        return records


def _check_error(value: object) -> str:
    """Return a failure's reason as it can be stored: non-empty text (SEC-2, PORT-6).

    A NUL or a lone surrogate (which neither database stores as text) is replaced.
    """
    if type(value) is not str or not value:
        msg = f"error must be non-empty text, not {type(value).__name__} {excerpt(value)}"
        raise ValidationError(msg, field="error", rule="PORT-6")
    text = value.replace("\x00", "\ufffd")
    return text.encode("utf-8", "replace").decode("utf-8")


def _undecodable_reason(error: DecodeError) -> str:
    """Return why a record is dead-lettered whose stored event does not decode (PORT-7).

    Stored as the record's ``last_error`` as any failure's reason is (:func:`_check_error`):
    the error may quote a part of the damaged data, NUL included, which PostgreSQL refuses
    in text — the claim would then fail on that record for ever.
    """
    return _check_error(f"the stored event cannot be decoded (PORT-7): {error}")


def _report_poisoned(poisoned: Sequence[tuple[str, DecodeError]]) -> None:
    LOGGER.warning(
        "%s outbox record(s) could not be decoded and were dead-lettered (PORT-6, PORT-7): %s; "
        "the first: %s",
        len(poisoned),
        ", ".join(excerpt(key) for key, _ in poisoned[:_REPORTED_IDS]),
        poisoned[0][1],
    )


def _event(text: str) -> Event:
    event: Event = decode(text, expected=Event)
    return event


def _redacted(
    rows: Sequence[tuple[Any, ...]], using: Callable[[Event], Event]
) -> tuple[list[tuple[str, str, str | None]], list[str]]:
    """Return ``(key, JSON, last error)`` of the records to rewrite, and the undecodable keys.

    A record is rewritten when ``using`` changes its event, or when it keeps a failure
    reason, which may name the addressee (``SMTPRecipientsRefused`` does): that reason
    becomes :data:`~omakase_core.events.REDACTED_ERROR`. Every replacement is checked
    before any is written: an :class:`Event` with the same idempotency key, else a
    ``ValidationError`` naming ``using`` (CON-10).
    """
    replaced: list[tuple[str, str, str | None]] = []
    undecodable: list[str] = []
    for key, text, last_error in rows:
        try:
            event = _event(text)
        except DecodeError:
            undecodable.append(str(key))
            continue
        new: object = using(event)  # a caller's function: checked, not trusted
        if not isinstance(new, Event) or new.idempotency_key != key:
            msg = (
                "using must return an event with the same idempotency key, not "
                f"{type(new).__name__} {excerpt(getattr(new, 'idempotency_key', new))}"
            )
            raise ValidationError(msg, field="using", rule="CON-10")
        scrub = last_error is not None and last_error != REDACTED_ERROR
        if new != event or scrub:
            error = REDACTED_ERROR if scrub else last_error
            replaced.append((str(key), encode(new) if new != event else text, error))
    return replaced, undecodable


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
    events: str
    redact: str
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
        events=d.sql(
            f"SELECT key, {d.json_text.format('event')}, last_error FROM {OUTBOX} "
            "WHERE aggregate_id = ? AND aggregate_type = ? ORDER BY seq"
        ),
        redact=d.sql(f"UPDATE {OUTBOX} SET event = {{json}}, last_error = ? WHERE key = ?"),
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
        self._check_batch()
        self._check(aggregate)
        if self._claimed is not None:  # a claimed batch adds nothing: its ids are stored
            held = self._refuse_in_claim(aggregate)
            raise ConcurrencyConflict(
                aggregate_id=aggregate.id, expected_version=None, actual_version=held.version
            )
        self._refuse_joined(aggregate)
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
        self._check_batch()
        self._check(aggregate)
        check_count(expected_version, "expected_version")
        records = self._records(aggregate, expected_version)
        row = self._row(aggregate)
        if self._claimed is not None:
            self._save_claimed(aggregate, expected_version, records, row)
            return
        self._refuse_joined(aggregate)
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

    def redact_events(self, aggregate_id: str, *, using: Callable[[Event], Event]) -> int:
        """Rewrite every outbox record of the aggregate's events through ``using`` (CON-10).

        Delivered or not, each stored event of ``aggregate_id`` (of this repository's kind)
        is replaced by ``using(event)`` where that differs: the stored JSON itself is
        updated, so no stored byte keeps what ``using`` removed (on SQLite,
        ``secure_delete`` and a checkpoint of the WAL once it commits; on PostgreSQL the old
        row versions are reclaimed by vacuum). Key and delivery state are kept. Every
        replacement is computed and checked (an :class:`Event` with the same key, else a
        ``ValidationError`` naming ``using``) before the first is written, in one
        transaction — the claim's, inside a claimed batch or in the thread holding one.
        Idempotent; return how many records changed. A record whose event does not decode
        cannot be redacted: it is left as it is and reported as an ``ERROR`` (PORT-7). A
        claimed batch redacts only the aggregates it claimed (PORT-5), as it saves only them.
        """
        given = check_key(aggregate_id, "aggregate_id")
        function: object = using  # callers are not always type-checked
        if not callable(function):
            msg = f"using must be a function of an event, not {type(using).__name__}"
            raise ValidationError(msg, field="using", rule="CON-10")
        if self._claimed is not None and given not in self._claimed:
            msg = (
                f"a claimed batch redacts only the {self._table.kind}s it claimed, not "
                f"{excerpt(given)}: redact it through the repository, outside the claim"
            )
            raise ValidationError(msg, field="aggregate_id", rule="PORT-5")
        if not storable(given):
            return 0
        try:
            with self._backend.writing() as session:
                fill_aggregates(session, self._backend.dialect)  # a version-1 writer's rows
                rows = session.rows(self._sql.events, (given, self._table.events))
                replaced, undecodable = _redacted(rows, using)
                for key, text, error in replaced:
                    session.change(self._sql.redact, (text, error, key))
        except self._backend.dialect.conflicts:
            what = f"the redaction of {excerpt(given)}'s events"
            raise self._lost(given, None, what) from None
        if undecodable:
            LOGGER.error(
                "%s outbox record(s) of %s %s could not be decoded, so they were not redacted "
                "(CON-10, PORT-7): %s",
                len(undecodable),
                self._table.kind,
                excerpt(given),
                ", ".join(excerpt(key) for key in undecodable[:_REPORTED_IDS]),
            )
        if replaced:
            self._backend.erased()
        return len(replaced)

    def _prepared(
        self, aggregate: A, expected_version: int | None
    ) -> tuple[tuple[OutboxRecord, ...], tuple[object, ...]]:
        """Return the outbox records and the row of a write at ``expected_version``, checked.

        ``None`` is a new aggregate (its id must be free); nothing is written.
        """
        pending = len(aggregate.pending_events)
        start = aggregate.version - pending if expected_version is None else expected_version
        return self._records(aggregate, start), self._row(aggregate)

    def _compare_and_set(
        self,
        session: Session,
        aggregate: A,
        expected_version: int | None,
        row: tuple[object, ...],
    ) -> None:
        """Insert (``None``) or update the row at ``expected_version`` in the caller's transaction.

        A taken id or a stale version is a ``ConcurrencyConflict``; the caller's
        transaction then rolls back whatever it wrote before (PORT-2).
        """
        if expected_version is None:
            changed = session.change(self._sql.insert, (aggregate.id, *row))
        else:
            changed = session.change(self._sql.update, (*row, aggregate.id, expected_version))
        if changed != 1:
            found = session.one(self._sql.version, (aggregate.id,))
            raise ConcurrencyConflict(
                aggregate_id=aggregate.id,
                expected_version=expected_version,
                actual_version=None if found is None else int(found[0]),
            )

    def _refuse_joined(self, aggregate: A) -> None:
        """Refuse a write through the store in a thread that holds a claim of it (PORT-5)."""
        if _joined(self._backend):
            msg = (
                f"this thread holds a claimed batch of this store: save {excerpt(aggregate.id)} "
                "through the batch if it claimed it, or after the batch's block"
            )
            raise ValidationError(msg, field="aggregate", rule="PORT-5")

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
        """Return the conflict of a write the database rolled back, with the stored version.

        Inside a claim (a batch, or the thread holding one) the claim's transaction is lost
        with it: the claim fails with this conflict, and the stored version is not read.
        """
        backend = self._backend
        bound = backend.held() if isinstance(backend, _Joining) else backend
        if isinstance(bound, _Bound):
            bound.failed = lost_race(
                aggregate_id, expected_version=expected, actual_version=None, what=what
            )
            return bound.failed
        actual = None
        with contextlib.suppress(*self._backend.dialect.conflicts):
            with self._backend.reading() as session:
                found = session.one(self._sql.version, (aggregate_id,))
            actual = None if found is None else int(found[0])
        return lost_race(aggregate_id, expected_version=expected, actual_version=actual, what=what)

    def _check_batch(self) -> None:
        """Refuse any write through a claimed batch that has ended or failed, first (PORT-5).

        Before the aggregate, its version or its events are looked at: whatever it carries,
        the write is refused because the batch has ended.
        """
        if self._claimed is not None and isinstance(self._backend, _Bound):
            self._backend.session()

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
        """Note a committed ``add`` or ``save`` (the claim's, if one is held)."""
        if self._claimed is not None and aggregate.id in self._claimed:
            self._claimed[aggregate.id] = aggregate.saved()
        erases = self._table.erases
        if erases is not None and erases(aggregate):  # the body no longer holds personal data
            self._backend.erased()

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
            with _claim(backend) as bound:
                session = bound.session()
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
                batch = copy.copy(self)
                batch._backend = bound
                batch._claimed = claimed
                batch._undecodable = tuple(undecodable)
                yield batch
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


class SqlSiteRepository(SqlDueRepository[Site]):
    """The :class:`~omakase_core.submission.ports.SiteRepository` port (SUB-3(i), SUB-5, SUB-7).

    :meth:`save_with_application` stores a site, an application and their names in one
    transaction: both compare-and-sets, the register's rows and both aggregates' outbox
    rows, or nothing (PORT-2, PORT-3). The register (``omakase_site_names``) is unique on
    (customer, 略称, ロケーション名): a holder's rows are deleted and its names inserted
    ``ON CONFLICT DO NOTHING``; an insert that wrote nothing met another holder's row — one
    committed, or one a concurrent transaction wrote, which PostgreSQL waits for — and the
    whole transaction rolls back (SUB-7). ``due`` and ``claim_due`` answer the sites whose
    scheduled fault-contact change is due (SUB-3(i), the ``due_at`` column).
    """

    def __init__(
        self,
        table: Table,
        backend: Backend,
        outbox: SqlOutbox,
        *,
        applications: SqlApplicationRepository,
    ) -> None:
        super().__init__(table, backend, outbox)
        self._applications = applications
        d = backend.dialect
        self._release = d.sql(f"DELETE FROM {SITE_NAMES} WHERE holder_id = ?")
        self._take = d.sql(
            f"INSERT INTO {SITE_NAMES} (customer_id, company_abbrev, location, holder_id) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (customer_id, company_abbrev, location) DO NOTHING"
        )
        self._held = d.sql(
            f"SELECT company_abbrev, location, holder_id FROM {SITE_NAMES} "
            "WHERE customer_id = ? ORDER BY company_abbrev, location"
        )

    def of_customer(self, customer_id: str) -> list[Site]:
        """Return every stored site of the customer, oldest first."""
        return self._of_customer(customer_id)

    def held_names(self, customer_id: str) -> dict[SiteName, str]:
        """Return the customer's register of site names: name → holder id (SUB-7)."""
        if not storable(check_key(customer_id, "customer_id")):
            return {}
        with self._backend.reading() as session:
            rows = session.rows(self._held, (customer_id,))
        try:
            return {
                SiteName(company_abbrev=abbrev, location=location): str(holder)
                for abbrev, location, holder in rows
            }
        except ValidationError as error:  # a row no release of the library wrote
            msg = f"a stored site name does not decode: {error.message}"
            raise DecodeError(msg, type_name=SITE_NAMES, field=error.field) from None

    def save_with_application(  # two aggregates, their versions, their names
        self,
        site: Site | None,
        *,
        site_version: int | None,
        application: Application,
        application_version: int | None,
        names: Mapping[str, Sequence[SiteName]] | None = None,
    ) -> None:
        """Store ``site``, ``application`` and their names in one transaction, or nothing.

        SUB-5, SUB-7, PORT-2. Each aggregate is a compare-and-set against its version
        (``None``: it is new, its id must be free; a taken id or a stale version is a
        ``ConcurrencyConflict``); ``site`` may be ``None``. Each one's events go to the
        outbox in the same transaction (PORT-3), and each holder ``names`` names gets
        exactly those names in the register; a name another holder holds is a
        ``ValidationError`` (``SUB-7``, ``names``). Everything that can be checked is
        checked before the transaction starts; a refusal inside it rolls it all back.
        """
        self._check_batch()
        applications = self._applications
        if site is not None:
            with _naming("site"):
                self._check(site)
        elif site_version is not None:
            msg = "site_version must be None when no site is saved"
            raise ValidationError(msg, field="site_version", rule="PORT-2")
        with _naming("application"):
            applications._check(application)
        for field, version in (
            ("site_version", site_version),
            ("application_version", application_version),
        ):
            if version is not None:
                check_count(version, field)
        held = checked_names(names, site=site, application=application)
        if site is None:
            applications._refuse_joined(application)
        else:
            self._refuse_joined(site)
        site_records: tuple[OutboxRecord, ...] = ()
        site_row: tuple[object, ...] = ()
        if site is not None:
            with _naming("site"):
                site_records, site_row = self._prepared(site, site_version)
        with _naming("application"):
            records, row = applications._prepared(application, application_version)
        customer = application.customer_id
        try:
            with self._backend.writing() as session:
                if site is not None:
                    self._compare_and_set(session, site, site_version, site_row)
                applications._compare_and_set(session, application, application_version, row)
                self._hold(session, customer, held)
                self._outbox.insert(session, [*site_records, *records])
        except self._backend.dialect.conflicts:
            lost = application if site is None else site
            version = application_version if site is None else site_version
            raise self._lost(lost.id, version, "this save_with_application") from None
        if site is not None:
            self._stored(site)
        applications._stored(application)

    def _hold(
        self, session: Session, customer_id: str, held: Mapping[str, Sequence[SiteName]]
    ) -> None:
        """Give each holder exactly its names in the register, in the caller's transaction."""
        for holder in held:
            session.change(self._release, (holder,))
        for holder, names in held.items():
            for name in names:
                taken = (customer_id, name.company_abbrev, name.location, holder)
                if session.change(self._take, taken) != 1:
                    raise name_taken(name)


@contextlib.contextmanager
def _naming(field: str) -> Iterator[None]:
    """Let a refusal of the aggregate in the block name the parameter ``field`` (SEC-2)."""
    try:
        yield
    except ValidationError as error:
        if error.field != "aggregate":
            raise
        raise ValidationError(error.message, field=field, rule=error.rule) from None


class SqlIdChangeRepository(SqlDueRepository[IdChangeApplication]):
    """The :class:`~omakase_core.id_change.ports.IdChangeRepository` port (IDC-2, IDC-8)."""

    def of_customer(self, customer_id: str) -> list[IdChangeApplication]:
        """Return every stored application of the customer, oldest first."""
        return self._of_customer(customer_id)


class SqlInquiryRepository(SqlDueRepository[Inquiry]):
    """The :class:`~omakase_core.inquiry.ports.InquiryRepository` port (INQ-1 … INQ-3).

    ``due`` and ``claim_due`` answer the inquiries whose attachments are to be deleted
    (INQ-2: ``Inquiry.next_due_at``, in the indexed ``due_at`` column).
    """


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
        self._remove = d.sql(f"DELETE FROM {DIRECTORY} WHERE contract_id = ?")

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

    def remove_accounts(self, contract_id: str) -> int:
        """Delete every account of the contract (CON-10, idempotent); return how many went.

        One ``DELETE``, in the thread's claim when it holds one; the freed bytes are
        scrubbed as a redaction's are (:meth:`SqlRepository.redact_events`).
        """
        wanted = check_id(contract_id, field="contract_id")
        with self._backend.writing() as session:
            removed = session.change(self._remove, (wanted,))
        if removed:
            self._backend.erased()
        return removed


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

    The attributes are those of :class:`omakase_core.testing.InMemoryStore`. While a thread
    holds a claim of one of them, that thread's calls through any of them join the claim's
    transaction (module docs).
    """

    def __init__(self, backend: Backend) -> None:
        joined = _Joining(backend)
        self.outbox = SqlOutbox(joined)
        self.contracts = SqlContractRepository(CONTRACTS, joined, self.outbox)
        self.directory = SqlUserDirectory(joined)
        self.applications = SqlApplicationRepository(APPLICATIONS, joined, self.outbox)
        self.sites = SqlSiteRepository(SITES, joined, self.outbox, applications=self.applications)
        self.id_changes = SqlIdChangeRepository(ID_CHANGES, joined, self.outbox)
        self.tenants: SqlRepository[Tenant] = SqlRepository(TENANTS, joined, self.outbox)
        self.credentials: SqlRepository[Credential] = SqlRepository(
            CREDENTIALS, joined, self.outbox
        )
        self.ocn_customers: SqlRepository[OcnCustomer] = SqlRepository(
            OCN_CUSTOMERS, joined, self.outbox
        )
        self.inquiries = SqlInquiryRepository(INQUIRIES, joined, self.outbox)
