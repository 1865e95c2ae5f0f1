"""PORT-5: the port contract suite passes on correct stores and fails a non-atomic save.

Three stores run here: the library's :class:`InMemoryStore` (threads only); a small
adapter of this test on SQLite storing pickled aggregates, which has a store factory, so
it runs :class:`ProcessRaceContract` with the suite's racing *processes*; and deliberately
broken variants of both, whose version check and write are two steps — each passes every
test but the races, and the races fail it. A race that cannot run fails, never passes
having done nothing: the process race without a factory, a writer stuck in the adapter.

The SQLite adapter is also the example of a caller proving its own adapter: its outbox
leases records to delivery workers (PORT-6), it redacts stored events and removes accounts
at 登録抹消, and the suite reads its file's bytes to see that nothing erased is left (CON-10);
a variant without ``secure_delete`` leaves the old bytes in free space, and fails.
"""

from __future__ import annotations

import contextlib
import functools
import pathlib
import pickle
import shutil
import sqlite3
import tempfile
import threading
import time
import uuid
from typing import TYPE_CHECKING, Any

import attrs
import pytest

from omakase_core.calendar import to_jst
from omakase_core.contract.model import Contractor, DirectoryRole
from omakase_core.errors import ConcurrencyConflict, NotFound
from omakase_core.events import REDACTED_ERROR, OutboxRecord, records_for_save
from omakase_core.submission import SiteName
from omakase_core.submission.ports import checked_names, name_taken
from omakase_core.testing import (
    ContractPortsContract,
    InMemoryApplicationRepository,
    InMemoryContractRepository,
    InMemoryIdChangeRepository,
    InMemoryInquiryRepository,
    InMemoryOutbox,
    InMemoryRepository,
    InMemorySiteRepository,
    InMemoryStore,
    ProcessRaceContract,
    StorageContract,
    _race,
)
from omakase_core.testing._race import add_racers, racer_id
from omakase_core.testing._samples import SAMPLES

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence
    from datetime import datetime, timedelta

    from omakase_core.events import Event
    from omakase_core.testing import Store

RACES = (
    "test_port_5_racing_threads_save_each_version_once_in_every_repository",
    "test_port_5_racing_threads_add_each_id_once_in_every_repository",
    "test_port_5_racing_sweeps_transition_each_due_contract_once",
    "test_sub_5_port_5_racing_threads_save_a_site_with_an_application_once",
    "test_sub_7_port_5_racing_threads_take_each_site_name_once",
    "test_port_5_racing_threads_save_each_contract_version_once",
    "test_port_5_racing_threads_add_each_contract_id_once",
)
CONTRACT_PORTS_RACES = (
    "test_port_5_racing_threads_save_each_contract_version_once",
    "test_port_5_racing_threads_add_each_contract_id_once",
    "test_port_3_racing_marks_deliver_a_record_once",
    "test_port_6_racing_claims_hand_each_record_to_one_worker",
)
PROCESS_RACE = "test_port_5_racing_processes_save_each_version_once_in_every_repository"


class TestInMemoryStore(StorageContract):
    """PORT-5: the in-memory store passes the whole suite, racing threads included."""

    def make_store(self) -> InMemoryStore:
        return InMemoryStore()


def test_port_5_the_process_race_belongs_to_process_race_contract_only() -> None:
    """StorageContract has no process race that would pass without a factory."""
    assert not hasattr(StorageContract, PROCESS_RACE)
    assert hasattr(ProcessRaceContract, PROCESS_RACE)
    assert issubclass(ProcessRaceContract, StorageContract)


class NoFactorySuite(ProcessRaceContract):
    """ProcessRaceContract on a store that other processes cannot open (not collected)."""

    def make_store(self) -> InMemoryStore:
        return InMemoryStore()


def test_port_5_the_process_race_fails_without_a_store_factory() -> None:
    """A process race that cannot run fails: it never passes having done nothing."""
    with pytest.raises(AssertionError, match=r"store_factory\(\).*\(PORT-5\)"):
        getattr(NoFactorySuite(), PROCESS_RACE)()


# -- the samples: every step of a race is contested, every writer's event its own ------------


@pytest.mark.parametrize("found", SAMPLES, ids=[found.port for found in SAMPLES])
def test_port_5_every_step_of_every_samples_race_is_contested_by_distinct_writers(
    found: Any,
) -> None:
    """Each writer's command is valid at every step and records an event of its own.

    Otherwise a step would race nobody, and a record written for one writer's state could
    not be told from another's (PORT-3).
    """
    store = InMemoryStore()
    steps, writers = 40, 8
    add_racers(store, found.port, "race", steps=steps)
    repository = getattr(store, found.port)
    for step in range(steps):
        loaded = repository.get(racer_id(found.port, "race", step))
        tried = [found.step(loaded, writer, step) for writer in range(writers)]
        assert None not in tried, f"{found.port}: step {step} is not contested"
        events = [tuple(attempt.pending_events) for attempt in tried]
        assert all(events), f"{found.port}: a writer's command at step {step} recorded nothing"
        assert len(set(events)) == writers, f"{found.port}: writers' events alike at {step}"
        repository.save(tried[step % writers], expected_version=loaded.version)


# -- a writer stuck in the adapter fails the race, never hangs it ------------------------------


class StuckContracts(InMemoryContractRepository):
    """Contracts whose ``save`` waits until the test releases it: a call that never returns."""

    released = threading.Event()

    def save(self, aggregate: Any, *, expected_version: int) -> None:
        self.released.wait()
        super().save(aggregate, expected_version=expected_version)


class StuckSuite(StorageContract):
    """The suite on a store whose contract saves hang (not collected)."""

    racing_writers = 3
    racing_steps = 2

    def make_store(self) -> InMemoryStore:
        store = InMemoryStore()
        store.contracts = StuckContracts(store.outbox)
        return store


def test_port_5_a_writer_stuck_in_the_adapter_fails_the_race_instead_of_hanging(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_race, "BARRIER_TIMEOUT", 0.5)
    monkeypatch.setattr(_race, "STALL_TIMEOUT", 1.0)
    started = time.monotonic()
    try:
        with pytest.raises(AssertionError, match=r"never returned.*\(PORT-5\)"):
            StuckSuite().test_port_5_racing_threads_save_each_version_once_in_every_repository()
    finally:
        StuckContracts.released.set()  # let the stuck writers end
    assert time.monotonic() - started < 30


# -- the in-memory store with a save that checks, then writes ---------------------------------


class CheckThenWrite(InMemoryRepository[Any]):
    """``add`` and ``save`` as the in-memory adapters had them before PORT-5: no lock.

    Each reads the stored version, then computes the outbox records, then writes: two
    writers that loaded one version can both pass the check.
    """

    def add(self, aggregate: Any) -> None:
        stored = self._items.get(aggregate.id)
        if stored is not None:
            raise ConcurrencyConflict(
                aggregate_id=aggregate.id, expected_version=None, actual_version=stored.version
            )
        self._store(aggregate, aggregate.version - len(aggregate.pending_events))

    def save(self, aggregate: Any, *, expected_version: int) -> None:
        stored = self._items.get(aggregate.id)
        actual = None if stored is None else stored.version
        if actual != expected_version:
            raise ConcurrencyConflict(
                aggregate_id=aggregate.id,
                expected_version=expected_version,
                actual_version=actual,
            )
        self._store(aggregate, expected_version)


class CheckThenWriteContracts(CheckThenWrite, InMemoryContractRepository):
    """Contracts, with the broken save."""


class CheckThenWriteApplications(CheckThenWrite, InMemoryApplicationRepository):
    """Connecure applications, with the broken save."""


class CheckThenWriteSites(CheckThenWrite, InMemorySiteRepository):
    """Installed sites, whose ``save_with_application`` checks versions and names, then writes."""

    def save_with_application(
        self,
        site: Any,
        *,
        site_version: int | None,
        application: Any,
        application_version: int | None,
        names: Any = None,
    ) -> None:
        held = checked_names(names, site=site, application=application)
        register = dict(self._names.get(application.customer_id, {}))
        for name in (name for taken in held.values() for name in taken):
            holder = register.get((name.company_abbrev, name.location))
            if holder is not None and holder not in held:
                raise name_taken(name)
        writes = [
            (self, site, site_version),
            (self._applications, application, application_version),
        ]
        if site is None:
            del writes[0]
        for repository, aggregate, expected in writes:
            stored = repository._items.get(aggregate.id)
            actual = None if stored is None else stored.version
            if actual != expected:
                raise ConcurrencyConflict(
                    aggregate_id=aggregate.id, expected_version=expected, actual_version=actual
                )
        time.sleep(0)  # the bug: another writer may save or take the name before this one writes
        prepared = []
        for repository, aggregate, expected in writes:
            start = aggregate.version - len(aggregate.pending_events)
            begin = start if expected is None else expected
            prepared.append((repository, *repository._prepare(aggregate, begin)))
        self.outbox._check_new([record for _, records, _ in prepared for record in records])
        for repository, records, saved in prepared:
            repository._commit(saved, records)
        self._hold(application.customer_id, held)


class CheckThenWriteIdChanges(CheckThenWrite, InMemoryIdChangeRepository):
    """ID-count change applications, with the broken save."""


class CheckThenWriteInquiries(CheckThenWrite, InMemoryInquiryRepository):
    """Fault inquiries, with the broken save."""


def check_then_write_store() -> InMemoryStore:
    """Return an in-memory store whose every repository checks, then writes."""
    store = InMemoryStore()
    store.contracts = CheckThenWriteContracts(store.outbox)
    store.applications = CheckThenWriteApplications(store.outbox)
    store.sites = CheckThenWriteSites(store.outbox, applications=store.applications)
    store.id_changes = CheckThenWriteIdChanges(store.outbox)
    store.tenants = CheckThenWrite(store.outbox)
    store.credentials = CheckThenWrite(store.outbox)
    store.ocn_customers = CheckThenWrite(store.outbox)
    store.inquiries = CheckThenWriteInquiries(store.outbox)
    return store


class CheckThenWriteSuite(StorageContract):
    """The suite on the broken store (not collected: its races must fail)."""

    def make_store(self) -> InMemoryStore:
        return check_then_write_store()


def test_port_5_the_thread_race_fails_a_save_that_is_not_a_compare_and_set() -> None:
    with pytest.raises(AssertionError, match=r"\(PORT-[23]\)"):
        CheckThenWriteSuite().test_port_5_racing_threads_save_each_version_once_in_every_repository()


def test_sub_5_port_5_the_thread_race_fails_a_save_with_application_checked_then_written() -> None:
    suite = CheckThenWriteSuite()
    with pytest.raises(AssertionError, match=r"\((SUB-5, )?PORT-[23]\)"):
        suite.test_sub_5_port_5_racing_threads_save_a_site_with_an_application_once()


def test_sub_7_port_5_the_thread_race_fails_a_register_checked_then_written() -> None:
    with pytest.raises(AssertionError, match=r"\(SUB-7(, PORT-2)?\)"):
        CheckThenWriteSuite().test_sub_7_port_5_racing_threads_take_each_site_name_once()


def test_port_5_the_thread_race_fails_an_add_that_is_not_a_compare_and_set() -> None:
    with pytest.raises(AssertionError, match=r"\(PORT-[23]\)"):
        CheckThenWriteSuite().test_port_5_racing_threads_add_each_id_once_in_every_repository()


@pytest.mark.parametrize(
    "name", sorted(n for n in dir(StorageContract) if n.startswith("test_") and n not in RACES)
)
def test_port_5_the_broken_store_passes_every_test_but_the_races(name: str) -> None:
    """Without the races the suite cannot tell the broken store from a correct one."""
    getattr(CheckThenWriteSuite(), name)()


# -- the contract-only subset: its races catch an unsafe dict adapter ------------------------------


class CheckThenWriteOutbox(InMemoryOutbox):
    """An outbox of dictionaries whose claim and mark read, then write, without the lock.

    Two workers claiming at once may both find a record due and both lease it; two marking
    one record may both find it undelivered and both answer ``True``.
    """

    def claim(self, *, now: datetime, limit: int, lease: timedelta) -> list[OutboxRecord]:
        instant = to_jst(now, field="now")
        due = list(self.pending(now=instant, limit=limit))
        taken = []
        for record in due:
            time.sleep(0)  # the bug: another worker may lease the record in between
            leased = record.claimed(now=instant, lease=lease, holder=uuid.uuid4().hex)
            self._records[record.key] = leased
            taken.append(leased)
        return taken

    def mark_delivered(self, key: str, *, at: datetime) -> bool:
        record = self.get(key)
        if record.is_delivered:
            return False
        time.sleep(0)  # the bug: another worker may mark it in between
        self._records[key] = record.delivered(at=to_jst(at, field="at"))
        self._pending.pop(key, None)
        return True


class RoundTripCheckThenWriteContracts(CheckThenWriteContracts):
    """Contracts checked, then written a moment later, as over a database's round trip."""

    def _store(self, aggregate: Any, expected_version: int) -> None:
        time.sleep(0)  # the bug: another writer may add or save between check and write
        super()._store(aggregate, expected_version)


class UnsafeContractPorts(ContractPortsContract):
    """The subset on a dict adapter with no lock: read, then write (not collected)."""

    def make_ports(self) -> tuple[Any, Any]:
        outbox = CheckThenWriteOutbox()
        return RoundTripCheckThenWriteContracts(outbox), outbox


class TestInMemoryContractPorts(ContractPortsContract):
    """PORT-5: the in-memory contracts and outbox pass the subset, its races included."""

    def make_ports(self) -> tuple[Any, Any]:
        outbox = InMemoryOutbox()
        return InMemoryContractRepository(outbox), outbox


def test_port_5_the_contract_ports_subset_runs_the_racing_writers() -> None:
    names = {n for n in dir(ContractPortsContract) if n.startswith("test_")}
    assert set(CONTRACT_PORTS_RACES) <= names


@pytest.mark.parametrize("name", CONTRACT_PORTS_RACES)
def test_port_5_the_contract_ports_races_fail_an_unsafe_dict_adapter(name: str) -> None:
    with pytest.raises(AssertionError, match=r"\(PORT-\d"):
        getattr(UnsafeContractPorts(), name)()


@pytest.mark.parametrize(
    "name",
    sorted(
        n
        for n in dir(ContractPortsContract)
        if n.startswith("test_") and n not in CONTRACT_PORTS_RACES
    ),
)
def test_port_5_the_unsafe_dict_adapter_passes_every_contract_ports_test_but_the_races(
    name: str,
) -> None:
    """Without the races the subset cannot tell the unsafe adapter from a correct one."""
    getattr(UnsafeContractPorts(), name)()


# -- an adapter of this test: pickled aggregates in SQLite, one connection per unit of work -------


class SqlitePickleStore:
    """Every storage port in one SQLite file, aggregates and outbox records pickled (tests only).

    Each call opens its own connection: it is safe in threads and in processes, and
    :func:`functools.partial` of the class and a path is the picklable store factory.
    ``atomic=False`` checks the version in one transaction and writes in another.

    Every connection turns ``secure_delete`` on: a row deleted or rewritten (an account
    removed, an event redacted at 登録抹消, CON-10) leaves zeros in the file, not its old
    bytes. ``secure_delete=False`` turns it off (the leaky variant the CON-10 test fails).
    """

    def __init__(self, path: str, *, atomic: bool = True, secure_delete: bool = True) -> None:
        self.path = path
        self.atomic = atomic
        self.secure_delete = secure_delete
        with contextlib.closing(_connect(path, secure_delete=secure_delete)) as db:
            db.executescript(SCHEMA)
        self.outbox = SqliteOutbox(self)
        self.directory = SqliteDirectory(self)
        self.contracts = SqliteRepository(self, "contracts")
        self.applications = SqliteRepository(self, "applications")
        self.sites = SqliteSiteRepository(self, "sites")
        self.id_changes = SqliteRepository(self, "id_changes")
        self.tenants = SqliteRepository(self, "tenants")
        self.credentials = SqliteRepository(self, "credentials")
        self.ocn_customers = SqliteRepository(self, "ocn_customers")
        self.inquiries = SqliteRepository(self, "inquiries")

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One unit of work: ``BEGIN IMMEDIATE`` … ``COMMIT`` (or ``ROLLBACK``)."""
        db = _connect(self.path, secure_delete=self.secure_delete)
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        finally:
            db.close()


def _connect(path: str, *, secure_delete: bool = True) -> sqlite3.Connection:
    """Open the database; deleted and rewritten rows are overwritten with zeros (CON-10).

    Some SQLite builds do it by default, others not: the adapter says what it needs.
    """
    db = sqlite3.connect(path, timeout=30, isolation_level=None)
    db.execute(f"PRAGMA secure_delete = {'ON' if secure_delete else 'OFF'}")
    return db


SCHEMA = """
PRAGMA journal_mode = WAL;
CREATE TABLE IF NOT EXISTS aggregates (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, port TEXT, id TEXT, version INTEGER, body BLOB,
    UNIQUE (port, id));
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT UNIQUE, port TEXT, aggregate_id TEXT,
    body BLOB);
CREATE INDEX IF NOT EXISTS outbox_by_aggregate ON outbox (port, aggregate_id);
CREATE TABLE IF NOT EXISTS directory (
    contract_id TEXT, email TEXT, name TEXT, role TEXT, PRIMARY KEY (contract_id, email));
CREATE TABLE IF NOT EXISTS names (
    customer_id TEXT, abbrev TEXT, location TEXT, holder TEXT,
    PRIMARY KEY (customer_id, abbrev, location));
"""


class SqliteRepository:
    """One port's aggregates; ``due`` and ``of_customer`` filter them in Python."""

    def __init__(self, store: SqlitePickleStore, port: str) -> None:
        self.store, self.port = store, port

    def get(self, aggregate_id: str) -> Any:
        with self.store.transaction() as db:
            row = db.execute(
                "SELECT body FROM aggregates WHERE port = ? AND id = ?", (self.port, aggregate_id)
            ).fetchone()
        if row is None:
            raise NotFound(kind=self.port, id=aggregate_id)
        return pickle.loads(row[0])  # noqa: S301  # this test's own data

    def add(self, aggregate: Any) -> None:
        start = aggregate.version - len(aggregate.pending_events)
        records = records_for_save(
            aggregate.id,
            aggregate.pending_events,
            expected_version=start,
            version=aggregate.version,
        )
        with self.store.transaction() as db:
            actual = self._version(db, aggregate.id)
            if actual is not None:
                raise ConcurrencyConflict(
                    aggregate_id=aggregate.id, expected_version=None, actual_version=actual
                )
            db.execute(
                "INSERT INTO aggregates (port, id, version, body) VALUES (?, ?, ?, ?)",
                (self.port, aggregate.id, aggregate.version, pickle.dumps(aggregate.saved())),
            )
            _append(db, self.port, records)

    def save(self, aggregate: Any, *, expected_version: int) -> None:
        records = records_for_save(
            aggregate.id,
            aggregate.pending_events,
            expected_version=expected_version,
            version=aggregate.version,
        )
        if not self.store.atomic:  # the bug: the check is one unit of work, the write another
            with self.store.transaction() as db:
                actual = self._version(db, aggregate.id)
            self._check(aggregate.id, expected_version, actual)
        with self.store.transaction() as db:
            if self.store.atomic:
                self._check(aggregate.id, expected_version, self._version(db, aggregate.id))
            db.execute(
                "UPDATE aggregates SET version = ?, body = ? WHERE port = ? AND id = ?",
                (aggregate.version, pickle.dumps(aggregate.saved()), self.port, aggregate.id),
            )
            _append(db, self.port, records)

    def redact_events(self, aggregate_id: str, *, using: Callable[[Event], Event]) -> int:
        """Rewrite the stored outbox records of ``aggregate_id``'s events (CON-10).

        Delivered or not, each record keeps its key and delivery state; its pickled event
        is replaced by ``using(event)`` in the table itself, when that changes it (a new
        key is refused by :class:`OutboxRecord`). Idempotent; return how many changed.
        """
        with self.store.transaction() as db:
            rows = db.execute(
                "SELECT body FROM outbox WHERE port = ? AND aggregate_id = ? ORDER BY seq",
                (self.port, aggregate_id),
            ).fetchall()
            changed = []
            for (body,) in rows:
                record: OutboxRecord = pickle.loads(body)  # noqa: S301  # this test's own data
                event = using(record.event)
                scrub = record.last_error not in {None, REDACTED_ERROR}  # it may name the addressee
                if event != record.event or scrub:
                    error = REDACTED_ERROR if scrub else record.last_error
                    changed.append(attrs.evolve(record, event=event, last_error=error))
            _write(db, changed)
        return len(changed)

    def due(self, now: datetime) -> list[Any]:
        def due_at(aggregate: Any) -> datetime | None:
            when: datetime | None = getattr(aggregate, "next_due_at", None) or getattr(
                aggregate, "due_at", None
            )
            return when

        return [a for a in self._all() if (when := due_at(a)) is not None and when <= now]

    def of_customer(self, customer_id: str) -> list[Any]:
        return [a for a in self._all() if a.customer_id == customer_id]

    def _all(self) -> list[Any]:
        with self.store.transaction() as db:
            rows = db.execute(
                "SELECT body FROM aggregates WHERE port = ? ORDER BY seq", (self.port,)
            ).fetchall()
        return [pickle.loads(row[0]) for row in rows]  # noqa: S301  # this test's own data

    def _version(self, db: sqlite3.Connection, aggregate_id: str) -> int | None:
        row = db.execute(
            "SELECT version FROM aggregates WHERE port = ? AND id = ?", (self.port, aggregate_id)
        ).fetchone()
        return None if row is None else int(row[0])

    @staticmethod
    def _check(aggregate_id: str, expected: int, actual: int | None) -> None:
        if actual != expected:
            raise ConcurrencyConflict(
                aggregate_id=aggregate_id, expected_version=expected, actual_version=actual
            )


class SqliteSiteRepository(SqliteRepository):
    """Installed sites; ``save_with_application`` writes a site, an application and names."""

    def held_names(self, customer_id: str) -> dict[SiteName, str]:
        with self.store.transaction() as db:
            rows = db.execute(
                "SELECT abbrev, location, holder FROM names WHERE customer_id = ?", (customer_id,)
            ).fetchall()
        return {SiteName(company_abbrev=a, location=loc): holder for a, loc, holder in rows}

    def save_with_application(
        self,
        site: Any,
        *,
        site_version: int | None,
        application: Any,
        application_version: int | None,
        names: Any = None,
    ) -> None:
        """Both compare-and-sets, the names and both outbox rows in one transaction.

        SUB-5, SUB-7, PORT-2. ``atomic=False`` checks both versions and the names in one
        transaction and writes in another (names then overwrite whoever took them meanwhile).
        """
        held = checked_names(names, site=site, application=application)
        if not self.store.atomic:  # the bug: the names are checked, then written later
            with self.store.transaction() as db:
                _check_free(db, application.customer_id, held)
            time.sleep(0.005)  # the round trips between the two (else SQLite's lock hides it)
        writes = []
        for repository, aggregate, expected in (
            (self, site, site_version),
            (self.store.applications, application, application_version),
        ):
            if aggregate is None:
                continue
            start = aggregate.version - len(aggregate.pending_events)
            records = records_for_save(
                aggregate.id,
                aggregate.pending_events,
                expected_version=start if expected is None else expected,
                version=aggregate.version,
            )
            writes.append((repository, aggregate, expected, records))
        if not self.store.atomic:  # the bug: the checks are one unit of work, the writes another
            with self.store.transaction() as db:
                for repository, aggregate, expected, _ in writes:
                    _check_version(aggregate.id, expected, repository._version(db, aggregate.id))
        with self.store.transaction() as db:
            for repository, aggregate, expected, records in writes:
                if self.store.atomic:
                    _check_version(aggregate.id, expected, repository._version(db, aggregate.id))
                body = pickle.dumps(aggregate.saved())
                if expected is None:
                    db.execute(
                        "INSERT INTO aggregates (port, id, version, body) VALUES (?, ?, ?, ?)",
                        (repository.port, aggregate.id, aggregate.version, body),
                    )
                else:
                    db.execute(
                        "UPDATE aggregates SET version = ?, body = ? WHERE port = ? AND id = ?",
                        (aggregate.version, body, repository.port, aggregate.id),
                    )
                _append(db, repository.port, records)
            _hold(db, application.customer_id, held, atomic=self.store.atomic)


def _check_free(db: sqlite3.Connection, customer_id: str, held: dict[str, Any]) -> None:
    """Refuse a name another holder holds (SUB-7): the broken variant's separate check."""
    for name in (name for names in held.values() for name in names):
        row = db.execute(
            "SELECT holder FROM names WHERE customer_id = ? AND abbrev = ? AND location = ?",
            (customer_id, name.company_abbrev, name.location),
        ).fetchone()
        if row is not None and row[0] not in held:
            raise name_taken(name)


def _hold(
    db: sqlite3.Connection,
    customer_id: str,
    held: dict[str, tuple[SiteName, ...]],
    *,
    atomic: bool,
) -> None:
    """Give each holder exactly its names; a name another holder holds refuses (SUB-7).

    Not ``atomic``: a name is written over whoever holds it (checked before, elsewhere).
    """
    for holder in held:
        db.execute("DELETE FROM names WHERE holder = ?", (holder,))
    insert = "INSERT INTO names (customer_id, abbrev, location, holder) VALUES (?, ?, ?, ?) "
    conflict = (
        "ON CONFLICT (customer_id, abbrev, location) DO NOTHING"
        if atomic
        else "ON CONFLICT (customer_id, abbrev, location) DO UPDATE SET holder = excluded.holder"
    )
    for holder, names in held.items():
        for name in names:
            taken = db.execute(
                insert + conflict, (customer_id, name.company_abbrev, name.location, holder)
            )
            if taken.rowcount != 1:
                raise name_taken(name)


def _check_version(aggregate_id: str, expected: int | None, actual: int | None) -> None:
    if actual != expected:
        raise ConcurrencyConflict(
            aggregate_id=aggregate_id, expected_version=expected, actual_version=actual
        )


def _append(db: sqlite3.Connection, port: str, records: Sequence[OutboxRecord]) -> None:
    db.executemany(
        "INSERT INTO outbox (key, port, aggregate_id, body) VALUES (?, ?, ?, ?)",
        [(r.key, port, r.event.aggregate_id, pickle.dumps(r)) for r in records],
    )


def _write(db: sqlite3.Connection, records: Sequence[OutboxRecord]) -> None:
    """Store new versions of existing records (their delivery state, a redacted event)."""
    db.executemany(
        "UPDATE outbox SET body = ? WHERE key = ?", [(pickle.dumps(r), r.key) for r in records]
    )


def _records(db: sqlite3.Connection) -> list[OutboxRecord]:
    """Return every record, delivered or not, in the order they were stored."""
    rows = db.execute("SELECT body FROM outbox ORDER BY seq").fetchall()
    return [pickle.loads(row[0]) for row in rows]  # noqa: S301  # this test's own data


def _record(db: sqlite3.Connection, key: str) -> OutboxRecord:
    row = db.execute("SELECT body FROM outbox WHERE key = ?", (key,)).fetchone()
    if row is None:
        raise NotFound(kind="outbox record", id=key)
    record: OutboxRecord = pickle.loads(row[0])  # noqa: S301  # this test's own data
    return record


class SqliteOutbox:
    """The outbox: pickled records in the order they were stored, leased to workers (PORT-6).

    Each method is one ``BEGIN IMMEDIATE`` transaction, which SQLite runs one at a time:
    of two racing claims each record goes to one worker, and only the worker still holding
    a record's lease can report its failure.
    """

    def __init__(self, store: SqlitePickleStore) -> None:
        self.store = store

    def pending(
        self, *, limit: int | None = None, now: datetime | None = None
    ) -> list[OutboxRecord]:
        with self.store.transaction() as db:
            records = _records(db)
        if now is None:
            found = [r for r in records if not r.is_delivered and not r.is_dead_lettered]
        else:
            found = [r for r in records if r.is_due(now)]
        return found if limit is None else found[:limit]

    def get(self, key: str) -> OutboxRecord:
        with self.store.transaction() as db:
            return _record(db, key)

    def claim(self, *, now: datetime, limit: int, lease: timedelta) -> list[OutboxRecord]:
        """Lease the oldest due records; count the attempt of a lease that expired unreported."""
        with self.store.transaction() as db:
            due = [r for r in _records(db) if r.is_due(now)][:limit]
            claimed = [r.claimed(now=now, lease=lease, holder=uuid.uuid4().hex) for r in due]
            _write(db, claimed)
        return claimed

    def mark_delivered(self, key: str, *, at: datetime) -> bool:
        with self.store.transaction() as db:
            record = _record(db, key)
            if record.is_delivered:
                return False
            _write(db, [record.delivered(at=at)])
            return True

    def record_failure(
        self,
        key: str,
        *,
        lease: str,
        at: datetime,
        error: str,
        attempts: int,
        retry_at: datetime | None,
    ) -> bool:
        with self.store.transaction() as db:
            record = _record(db, key)
            if record.is_delivered or record.lease != lease:
                return False  # delivered meanwhile, or another worker took it
            _write(db, [record.failed(at=at, error=error, attempts=attempts, retry_at=retry_at)])
            return True

    def retry_dead_letter(self, key: str) -> bool:
        with self.store.transaction() as db:
            record = _record(db, key)
            if not record.is_dead_lettered:
                return False
            _write(db, [record.put_back()])
            return True

    def dead_letters(self, *, limit: int | None = None) -> list[OutboxRecord]:
        with self.store.transaction() as db:
            dead = [r for r in _records(db) if r.is_dead_lettered]
        return dead if limit is None else dead[:limit]


class SqliteDirectory:
    """The おまかせログイン user directory in one table (CON-8, CON-10)."""

    def __init__(self, store: SqlitePickleStore) -> None:
        self.store = store

    def role_of(self, contract_id: str, email: str) -> DirectoryRole | None:
        with self.store.transaction() as db:
            row = db.execute(
                "SELECT role FROM directory WHERE contract_id = ? AND email = ?",
                (contract_id, email),
            ).fetchone()
        return None if row is None else DirectoryRole(row[0])

    def raise_to_administrator(self, contract_id: str, email: str) -> None:
        with self.store.transaction() as db:
            db.execute(
                "UPDATE directory SET role = ? WHERE contract_id = ? AND email = ?",
                (DirectoryRole.ADMINISTRATOR.value, contract_id, email),
            )

    def issue_administrator(self, contract_id: str, contractor: Contractor) -> None:
        with self.store.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO directory VALUES (?, ?, ?, ?)",
                (contract_id, contractor.email, contractor.name, DirectoryRole.ADMINISTRATOR.value),
            )

    def remove_accounts(self, contract_id: str) -> int:
        """Delete every account of the contract (CON-10); return how many went."""
        with self.store.transaction() as db:
            return db.execute(
                "DELETE FROM directory WHERE contract_id = ?", (contract_id,)
            ).rowcount


class SqlitePickleSuite(ProcessRaceContract):
    """The suite on :class:`SqlitePickleStore`, with processes (a fresh file each test)."""

    atomic = True
    secure_delete = True
    racing_writers = 4
    racing_steps = 12
    racing_process_steps = 6

    def make_store(self) -> SqlitePickleStore:
        self.folder = tempfile.mkdtemp(prefix="omakase-suite-")
        self.path = str(pathlib.Path(self.folder) / "store.db")
        return SqlitePickleStore(self.path, atomic=self.atomic, secure_delete=self.secure_delete)

    def teardown_method(self, method: object) -> None:
        """Remove the test's database (pytest calls this after each test)."""
        del method
        if hasattr(self, "folder"):
            shutil.rmtree(self.folder, ignore_errors=True)

    def store_factory(self) -> Callable[[], Store]:
        return functools.partial(
            SqlitePickleStore, self.path, atomic=self.atomic, secure_delete=self.secure_delete
        )

    def stored_bytes(self, store: Store) -> bytes:
        """Return the database file's bytes and its write-ahead log's, as on disk (CON-10).

        A checkpoint first copies the log into the file and empties it, as SQLite does by
        itself from time to time: only the latest version of each page is left, in which
        ``secure_delete`` zeroed whatever the erasure deleted or rewrote.
        """
        given: object = store
        if not isinstance(given, SqlitePickleStore):
            msg = f"stored_bytes reads a SqlitePickleStore, not {type(given).__name__}"
            raise TypeError(msg)
        path = pathlib.Path(given.path)
        with contextlib.closing(_connect(given.path)) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        files = (path, path.with_name(f"{path.name}-wal"))
        return b"".join(file.read_bytes() for file in files if file.exists())


class TestSqlitePickleStore(SqlitePickleSuite):
    """PORT-5, PORT-6, CON-10: a caller's adapter passes the whole suite.

    Racing processes (it has a store factory), claims and leases of its outbox, and the
    erasure checked over the raw bytes of its file (:meth:`SqlitePickleSuite.stored_bytes`).
    """


class CheckThenWriteSqliteSuite(SqlitePickleSuite):
    """The SQLite adapter checking in one transaction and writing in another (not collected)."""

    atomic = False
    racing_process_steps = 20


def test_port_5_the_process_race_fails_a_save_that_is_not_a_compare_and_set() -> None:
    suite = CheckThenWriteSqliteSuite()
    try:
        with pytest.raises(AssertionError, match=r"\(PORT-[23]\)"):
            getattr(suite, PROCESS_RACE)()
    finally:
        suite.teardown_method(None)


def test_sub_7_port_5_the_process_race_fails_a_register_checked_then_written() -> None:
    suite = CheckThenWriteSqliteSuite()
    try:
        with pytest.raises(AssertionError, match=r"\(SUB-7(, PORT-2)?\)"):
            suite.test_sub_7_port_5_racing_processes_take_each_site_name_once()
    finally:
        suite.teardown_method(None)


class LeakySqliteSuite(SqlitePickleSuite):
    """The SQLite adapter without ``secure_delete`` (not collected: its erasure must fail)."""

    secure_delete = False


def test_con_10_the_erasure_test_fails_an_adapter_leaving_erased_bytes_in_free_pages() -> None:
    """The rows are rewritten, yet their old bytes stay in the file: the suite sees them."""
    suite = LeakySqliteSuite()
    try:
        with pytest.raises(AssertionError, match=r"still stored after the purge: \[.*@"):
            suite.test_con_10_after_the_purge_no_stored_byte_holds_a_name_or_an_e_mail()
    finally:
        suite.teardown_method(None)
