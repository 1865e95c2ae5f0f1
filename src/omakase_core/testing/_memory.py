"""In-memory adapters of the ports, for tests and examples only (PORT-1 … PORT-3, PORT-5).

They behave as a real adapter must: optimistic versions, state and outbox written in one
step (everything is checked before anything is stored), delivery marks that are never
applied twice — and all of it safe under threads. Every repository takes the lock of the
outbox it writes to, so one store (:class:`InMemoryStore`: one outbox, every repository) has
one lock: an ``add`` or ``save`` is a compare-and-set of the version and the outbox append
in one critical section (PORT-2, PORT-3), and every read (``get``, ``due``,
``of_customer``, ``pending``) sees a state some save left, never half of one. The port
contract suite (:class:`~omakase_core.testing.StorageContract`) holds them to it, racing
writers included (PORT-5).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import uuid
from collections.abc import Collection as CollectionABC
from collections.abc import Mapping as MappingABC
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from omakase_core._values import replace
from omakase_core.calendar import to_jst
from omakase_core.contract.model import Contractor, DirectoryRole
from omakase_core.errors import ConcurrencyConflict, NotFound, ValidationError, excerpt
from omakase_core.events import (
    REDACTED_ERROR,
    Event,
    OutboxRecord,
    _pending_record,
    lease_end,
    records_for_save,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
    from datetime import datetime, timedelta

    from omakase_core.accounts.aggregate import Credential, Tenant
    from omakase_core.contract.aggregate import Contract
    from omakase_core.id_change.aggregate import IdChangeApplication
    from omakase_core.inquiry.aggregate import Inquiry
    from omakase_core.messages import Message
    from omakase_core.ocn.aggregate import OcnCustomer
    from omakase_core.submission.aggregate import Application, Site
    from omakase_core.submission.model import SiteName

__all__ = [
    "InMemoryApplicationRepository",
    "InMemoryAttachmentStore",
    "InMemoryContractRepository",
    "InMemoryContractedServices",
    "InMemoryIdChangeRepository",
    "InMemoryInquiryRepository",
    "InMemoryOutbox",
    "InMemoryRepository",
    "InMemorySiteRepository",
    "InMemoryStore",
    "InMemoryUserDirectory",
    "NotifierError",
    "RecordingNotifier",
    "TestPasswordHasher",
]


class _Aggregate(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def pending_events(self) -> Sequence[Event]: ...
    def saved(self) -> _Aggregate: ...


A = TypeVar("A", bound=_Aggregate)


def _check_key(key: object, field: str = "key") -> str:
    """Return ``key`` if it is text; an unknown key is then ``NotFound`` (SEC-2)."""
    if type(key) is not str:
        msg = f"{field} must be an outbox record's {field} (text), not {type(key).__name__}"
        raise ValidationError(msg, field=field, rule="SEC-2")
    return key


def _check_count(value: object, field: str) -> int:
    """Return ``value`` if it is a non-negative ``int`` (not a bool, a float, text) (SEC-2)."""
    if type(value) is not int or value < 0:
        msg = f"{field} must be a non-negative int, not {type(value).__name__} {excerpt(value)}"
        raise ValidationError(msg, field=field, rule="SEC-2")
    return value


def _check_aggregate(value: object) -> None:
    """Refuse what a repository cannot store (PORT-2, SEC-2).

    An aggregate has a text ``id``, an ``int`` ``version``, a tuple of ``pending_events``
    and ``saved()``; a class is not one, even if its attributes have those names.
    """
    if type(value) in _AGGREGATE_TYPES:  # a slotted class seen before: saved() is its method
        known: Any = value
        try:
            if (
                type(known.id) is str
                and type(known.version) is int
                and type(known.pending_events) is tuple
            ):
                return
        except AttributeError:  # an unset slot: refused below
            pass
    if (
        isinstance(value, type)
        or type(getattr(value, "id", None)) is not str
        or type(getattr(value, "version", None)) is not int
        or type(getattr(value, "pending_events", None)) is not tuple
        or not callable(getattr(value, "saved", None))
    ):
        msg = (
            "aggregate must be an aggregate (a text id, an int version, a tuple of "
            f"pending_events and saved()), not {type(value).__name__}"
        )
        raise ValidationError(msg, field="aggregate", rule="PORT-2")
    if not hasattr(value, "__dict__") and callable(getattr(type(value), "saved", None)):
        _AGGREGATE_TYPES.add(type(value))


_AGGREGATE_TYPES: set[type] = set()
"""The classes whose instances passed :func:`_check_aggregate`, ``saved`` a method of theirs."""


class InMemoryOutbox:
    """The outbox as dictionaries: every record by key, the pending and dead-lettered keys.

    It holds the lock of its store: the repositories writing to it take the same lock, so
    a record is appended in the very critical section that stores its state (PORT-3), and
    every delivery step is a compare-and-set too: of two racing claims each record goes to
    one, of two racing marks only one answers ``True`` (PORT-6). A malformed ``limit``,
    ``key``, ``lease`` or instant is a ``ValidationError`` naming it (SEC-2).
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._records: dict[str, OutboxRecord | Event] = {}
        """Every record by key; a record still as it was stored (pending, never claimed) is
        kept as its event alone, and built when it is read: one object per saved event
        instead of two, which keeps the collector's work down (see :meth:`_record`)."""
        self._pending: dict[str, None] = {}
        """The keys not delivered (dead letters included), in the order they were stored."""
        self._by_aggregate: dict[str, list[str]] = {}

    def pending(
        self, *, limit: int | None = None, now: datetime | None = None
    ) -> Sequence[OutboxRecord]:
        """Return records neither delivered nor dead-lettered, oldest first (PORT-6).

        With ``now``, only those a worker may claim at ``now``.
        """
        if limit is not None:
            _check_count(limit, "limit")
        instant = None if now is None else to_jst(now, field="now")
        with self._lock:
            found: list[OutboxRecord] = []
            for key in self._pending:
                if limit is not None and len(found) >= limit:
                    break
                record = self._record(key)
                if record.is_due(instant) if instant is not None else not record.is_dead_lettered:
                    found.append(record)
            return found

    def get(self, key: str) -> OutboxRecord:
        """Return the record with idempotency key ``key``."""
        checked = _check_key(key)
        with self._lock:
            if checked not in self._records:
                raise NotFound(kind="outbox record", id=checked)
            return self._record(checked)

    def claim(self, *, now: datetime, limit: int, lease: timedelta) -> Sequence[OutboxRecord]:
        """Lease up to ``limit`` records due at ``now`` to the caller, oldest first (PORT-6)."""
        instant = to_jst(now, field="now")
        count = _check_count(limit, "limit")
        lease_end(instant, lease)  # a bad lease is refused even when nothing is due
        claimed: list[OutboxRecord] = []
        with self._lock:
            for key in self._pending:
                if len(claimed) >= count:
                    break
                record = self._record(key)
                if not record.is_due(instant):
                    continue
                taken = record.claimed(now=instant, lease=lease, holder=uuid.uuid4().hex)
                self._records[key] = taken
                claimed.append(taken)
        return claimed

    def mark_delivered(self, key: str, *, at: datetime) -> bool:
        """Mark ``key`` delivered and end its lease; return ``False`` if it already was."""
        checked = _check_key(key)
        instant = to_jst(at, field="at")
        with self._lock:
            record = self.get(checked)
            if record.is_delivered:
                return False
            self._records[checked] = record.delivered(at=instant)
            self._pending.pop(checked, None)
            return True

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
        """Record a failed attempt of the worker holding ``lease`` (PORT-6)."""
        checked = _check_key(key)
        token = _check_key(lease, field="lease")
        instant = to_jst(at, field="at")
        reason = _check_error(error)
        count = _check_count(attempts, "attempts")
        retry = None if retry_at is None else to_jst(retry_at, field="retry_at")
        with self._lock:
            record = self.get(checked)
            if record.is_delivered or record.lease != token:
                return False
            self._records[checked] = record.failed(
                at=instant, error=reason, attempts=count, retry_at=retry
            )
            return True

    def retry_dead_letter(self, key: str) -> bool:
        """Put the dead-lettered record ``key`` back, due at once with no attempts (PORT-6)."""
        checked = _check_key(key)
        with self._lock:
            record = self.get(checked)
            if not record.is_dead_lettered:
                return False
            self._records[checked] = record.put_back()  # in its place: oldest first still
            return True

    def dead_letters(self, *, limit: int | None = None) -> Sequence[OutboxRecord]:
        """Return the dead-lettered records, oldest first, at most ``limit`` of them."""
        if limit is not None:
            _check_count(limit, "limit")
        with self._lock:
            dead = (self._record(key) for key in self._pending)
            found = [record for record in dead if record.is_dead_lettered]
            return found if limit is None else found[:limit]

    def records(self) -> list[OutboxRecord]:
        """Return every record, delivered or not, in the order they were stored."""
        with self._lock:
            return [self._record(key) for key in self._records]

    def __len__(self) -> int:
        with self._lock:
            return len(self._records)

    def _check_new(self, records: Sequence[OutboxRecord]) -> None:
        """Refuse records whose keys are taken; the caller holds the lock."""
        for record in records:
            if record.key in self._records:
                msg = f"the outbox already holds an event with key {record.key}"
                raise ValidationError(msg, field="pending_events", rule="PORT-3")

    def _append(self, records: Sequence[OutboxRecord]) -> None:
        """Append checked records; the caller holds the lock."""
        by_aggregate = self._by_aggregate
        for record in records:
            key = record.key
            self._records[key] = record.event if _untouched(record) else record
            self._pending[key] = None
            keys = by_aggregate.get(record.event.aggregate_id)
            if keys is None:  # no setdefault: it would build a list on every append
                by_aggregate[record.event.aggregate_id] = [key]
            else:
                keys.append(key)

    def _append_event(self, key: str, event: Event) -> None:
        """Append the pending record of a checked ``event`` under its ``key`` (as ``_append``).

        A pending record is kept as its bare event, as :meth:`_append` keeps it; the caller
        holds the lock and has checked that ``key`` is new.
        """
        self._records[key] = event
        self._pending[key] = None
        aggregate_id = event.aggregate_id
        keys = self._by_aggregate.get(aggregate_id)
        if keys is None:
            self._by_aggregate[aggregate_id] = [key]
        else:
            keys.append(key)

    def _redact(
        self, aggregate_id: str, using: Callable[[Event], Event], *, kinds: set[str]
    ) -> int:
        """Rewrite the events of ``aggregate_id`` of ``kinds`` through ``using`` (CON-10).

        The caller holds the lock. Every replacement is built and checked before any is
        stored; events of another kind of aggregate with the same id are left alone.
        """
        replaced: dict[str, OutboxRecord] = {}
        for key in self._by_aggregate.get(aggregate_id, ()):
            record = self._record(key)
            if type(record.event).aggregate_type not in kinds:
                continue
            event: object = using(record.event)  # the caller's function: checked
            if not isinstance(event, Event) or event.idempotency_key != key:
                msg = (
                    "using must return an event with the same idempotency key, not "
                    f"{type(event).__name__}"
                )
                raise ValidationError(msg, field="using", rule="CON-10")
            scrub = record.last_error not in {None, REDACTED_ERROR}  # it may name the addressee
            if event != record.event or scrub:
                error = REDACTED_ERROR if scrub else record.last_error
                replaced[key] = replace(record, event=event, last_error=error)  # checked above
        self._records.update(replaced)
        return len(replaced)

    def _record(self, key: str) -> OutboxRecord:
        """Return the record of ``key`` (it must be held); the caller holds the lock.

        A record kept as its event alone (pending, as it was stored) is built here, and kept.
        """
        value = self._records[key]
        if isinstance(value, OutboxRecord):
            return value
        record = self._records[key] = _pending_record(value)
        return record


def _untouched(record: OutboxRecord) -> bool:
    """Return whether ``record`` is the pending record of its event, as saves store it."""
    return (
        record.delivered_at is None
        and record.attempts == 0
        and record.last_error is None
        and record.next_attempt_at is None
        and record.dead_lettered_at is None
        and record.lease is None
    )


def _check_error(value: object) -> str:
    """Return ``value`` if it is non-empty text (a failure's reason) (SEC-2)."""
    if type(value) is not str or not value:
        msg = f"error must be non-empty text, not {type(value).__name__}"
        raise ValidationError(msg, field="error", rule="PORT-6")
    return value


class InMemoryRepository(Generic[A]):
    """A repository of one aggregate type in a dictionary, writing events to ``outbox``.

    It shares the outbox's lock (PORT-5): ``add`` and ``save`` check the version, check the
    events and store the state and its outbox records in one critical section, so of two
    writers that loaded one version exactly one wins (PORT-2) and no record is written for a
    state that was not stored (PORT-3).

    What no real adapter would take is a ``ValidationError`` naming the parameter (SEC-2):
    an ``outbox`` that is not an :class:`InMemoryOutbox`, an id that is not text, an
    ``aggregate`` without a text id, an int version and a tuple of events, a negative or
    non-int ``expected_version``.
    """

    kind = "aggregate"

    def __init__(self, outbox: InMemoryOutbox) -> None:
        given: object = outbox  # callers are not always type-checked
        if not isinstance(given, InMemoryOutbox):
            msg = f"outbox must be an InMemoryOutbox, not {type(given).__name__}"
            raise ValidationError(msg, field="outbox", rule="SEC-2")
        self.outbox = outbox
        self._lock = outbox._lock  # one lock per store: state and outbox move together
        self._items: dict[str, A] = {}
        self._event_kinds: set[str] = set()
        """The ``aggregate_type`` of the events this repository stored (its kind's)."""

    def get(self, aggregate_id: str) -> A:
        """Return the stored aggregate."""
        if type(aggregate_id) is not str:
            msg = f"aggregate_id must be a text id, not {type(aggregate_id).__name__}"
            raise ValidationError(msg, field="aggregate_id", rule="SEC-2")
        found = self._items.get(aggregate_id)  # one atomic read of an immutable value
        if found is None:
            raise NotFound(kind=self.kind, id=aggregate_id)
        return found

    def add(self, aggregate: A) -> None:
        """Store a new aggregate and its events (PORT-3); a taken id is a conflict (PORT-2)."""
        _check_aggregate(aggregate)
        with self._lock:
            stored = self._items.get(aggregate.id)
            if stored is not None:
                raise ConcurrencyConflict(
                    aggregate_id=aggregate.id, expected_version=None, actual_version=stored.version
                )
            self._store(aggregate, aggregate.version - len(aggregate.pending_events))

    def save(self, aggregate: A, *, expected_version: int) -> None:
        """Replace the aggregate stored at ``expected_version`` (PORT-2) and add its events.

        The comparison and the write are one critical section: a compare-and-set.
        """
        if self._saved_at_once(aggregate, expected_version):
            return
        _check_aggregate(aggregate)
        if type(expected_version) is not int or expected_version < 0:
            _check_count(expected_version, "expected_version")
        with self._lock:
            stored = self._items.get(aggregate.id)
            actual = None if stored is None else stored.version
            if actual != expected_version:
                raise ConcurrencyConflict(
                    aggregate_id=aggregate.id,
                    expected_version=expected_version,
                    actual_version=actual,
                )
            self._store(aggregate, expected_version)

    def _saved_at_once(self, aggregate: A, expected_version: object) -> bool:
        """Save the common case — one new event, the stored version — and return ``True``.

        An aggregate of a class seen before carrying exactly the next event of a stored
        version is stored with its event as ``save`` would, in fewer steps (the services'
        time budgets). Anything else returns ``False`` having written nothing, and ``save``
        takes its general path, which refuses what does not fit.
        """
        known: Any = aggregate
        if type(known) not in _AGGREGATE_TYPES or type(expected_version) is not int:
            return False
        events = known.pending_events
        if type(events) is not tuple or len(events) != 1:
            return False
        event = events[0]
        identifier = known.id
        if not (
            isinstance(event, Event)
            and type(identifier) is str
            and type(known.version) is int
            and event.version == known.version == expected_version + 1
            and event.aggregate_id == identifier
        ):
            return False
        saved = known.saved()
        kind = type(event).aggregate_type
        key = event.idempotency_key
        outbox = self.outbox
        with self._lock:
            stored = self._items.get(identifier)
            if stored is None or stored.version != expected_version or key in outbox._records:
                return False
            self._items[identifier] = saved
            outbox._append_event(key, event)
            if kind not in self._event_kinds:
                self._event_kinds.add(kind)
            self._replaced(stored, saved)
        return True

    def redact_events(self, aggregate_id: str, *, using: Callable[[Event], Event]) -> int:
        """Rewrite every outbox record of ``aggregate_id``'s events through ``using`` (CON-10).

        Delivered or not, each record keeps its key and delivery state; only its event is
        replaced, and only when ``using`` changes it. Idempotent; return how many changed.
        """
        if type(aggregate_id) is not str:
            msg = f"aggregate_id must be a text id, not {type(aggregate_id).__name__}"
            raise ValidationError(msg, field="aggregate_id", rule="SEC-2")
        given: object = using  # callers are not always type-checked
        if not callable(given):
            msg = f"using must be a function of an event, not {type(given).__name__}"
            raise ValidationError(msg, field="using", rule="CON-10")
        with self._lock:
            return self.outbox._redact(aggregate_id, using, kinds=self._event_kinds)

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def __iter__(self) -> Iterator[A]:
        with self._lock:
            return iter(list(self._items.values()))

    def _store(self, aggregate: A, expected_version: int) -> None:
        """Check the events, then store state and records; the caller holds the lock."""
        records, saved = self._prepare(aggregate, expected_version)
        self.outbox._check_new(records)
        # Everything is checked: from here on nothing can fail, so state and outbox move together.
        self._commit(saved, records)

    def _prepare(self, aggregate: A, expected_version: int) -> tuple[list[OutboxRecord], A]:
        """Return the outbox records of a save and the state to store; nothing is written."""
        events = aggregate.pending_events
        try:
            records = records_for_save(
                aggregate.id,
                events if type(events) is tuple else tuple(events),
                expected_version=expected_version,
                version=aggregate.version,
            )
        except ValidationError as error:  # the aggregate's own id, version or events
            raise ValidationError(error.message, field="aggregate", rule=error.rule) from None
        saved: A = aggregate.saved()  # type: ignore[assignment]  # saved() keeps the type
        return list(records), saved

    def _check_stored(self, aggregate: A, expected_version: int | None) -> int:
        """Compare ``expected_version`` (``None``: a new id) with the stored one (PORT-2).

        Return the version the save starts from; the caller holds the lock.
        """
        stored = self._items.get(aggregate.id)
        actual = None if stored is None else stored.version
        if actual != expected_version:
            raise ConcurrencyConflict(
                aggregate_id=aggregate.id, expected_version=expected_version, actual_version=actual
            )
        if expected_version is None:
            return aggregate.version - len(aggregate.pending_events)
        return expected_version

    def _commit(self, saved: A, records: Sequence[OutboxRecord]) -> None:
        """Store a prepared state and its records; nothing can fail (the caller holds the lock)."""
        self._items[saved.id] = saved
        self.outbox._append(records)
        kinds = self._event_kinds
        for record in records:
            kind = type(record.event).aggregate_type
            if kind not in kinds:
                kinds.add(kind)
        self._stored(saved)

    def _stored(self, aggregate: A) -> None:
        """Let a subclass keep an index up to date; the caller holds the lock."""

    def _replaced(self, stored: A, saved: A) -> None:
        """Let a subclass update its index for ``saved``, which replaced ``stored``.

        By default as for any store (:meth:`_stored`); the caller holds the lock.
        """
        self._stored(saved)


class _InMemoryDueRepository(InMemoryRepository[A]):
    """A repository with an index of its aggregates' due instants, for a sweep's ``due``.

    A subclass says which instant is due (:meth:`_due_at`); the index follows every save.
    """

    def __init__(self, outbox: InMemoryOutbox) -> None:
        super().__init__(outbox)
        self._due: dict[str, datetime] = {}

    def due(self, now: datetime) -> list[A]:
        """Return the aggregates whose due instant is at or before ``now``."""
        instant = to_jst(now, field="now")
        with self._lock:
            items = self._items
            return [items[i] for i, at in self._due.items() if at <= instant]

    def _due_at(self, aggregate: A) -> datetime | None:
        raise NotImplementedError

    def _stored(self, aggregate: A) -> None:
        due = self._due_at(aggregate)
        if due is None:
            self._due.pop(aggregate.id, None)
        else:
            self._due[aggregate.id] = due


class InMemoryContractRepository(_InMemoryDueRepository["Contract"]):
    """Contracts in a dictionary, with an index of the ones waiting for a deadline (CON-5).

    ``due(now)`` returns the contracts whose next time-driven transition is due at ``now``.
    """

    kind = "contract"

    def _due_at(self, aggregate: Contract) -> datetime | None:
        return aggregate.next_due_at


class InMemoryApplicationRepository(InMemoryRepository["Application"]):
    """Connecure applications in a dictionary, with the ids of each customer's (SUB-5, SUB-7)."""

    kind = "application"

    def __init__(self, outbox: InMemoryOutbox) -> None:
        super().__init__(outbox)
        self._by_customer: dict[str, dict[str, None]] = {}

    def of_customer(self, customer_id: str) -> list[Application]:
        """Return the customer's applications, oldest first (a malformed id is refused)."""
        if type(customer_id) is not str:
            msg = f"customer_id must be a string id, not {type(customer_id).__name__}"
            raise ValidationError(msg, field="customer_id", rule="SEC-2")
        with self._lock:
            return [self._items[i] for i in self._by_customer.get(customer_id, {})]

    def _stored(self, aggregate: Application) -> None:
        _index(self._by_customer, aggregate.customer_id, aggregate.id)

    def _replaced(self, stored: Application, saved: Application) -> None:
        if saved.customer_id != stored.customer_id:  # the same customer: indexed already
            self._stored(saved)


def _index(by_customer: dict[str, dict[str, None]], customer_id: str, aggregate_id: str) -> None:
    """Add ``aggregate_id`` to its customer's ids (no setdefault: it builds a dict per call)."""
    ids = by_customer.get(customer_id)
    if ids is None:
        by_customer[customer_id] = {aggregate_id: None}
    elif aggregate_id not in ids:
        ids[aggregate_id] = None


def _prepared_as(
    prepare: Callable[[Any, int], tuple[list[OutboxRecord], Any]],
    aggregate: Any,
    start: int,
    field: str,
) -> tuple[list[OutboxRecord], Any]:
    """Run ``prepare``; a refusal of the aggregate names ``field``, the public parameter."""
    try:
        return prepare(aggregate, start)
    except ValidationError as error:
        raise ValidationError(error.message, field=field, rule=error.rule) from None


class InMemorySiteRepository(_InMemoryDueRepository["Site"]):
    """Installed Connecure sites, each customer's ids, site names and due changes.

    SUB-3(i), SUB-5, SUB-7. It shares the store's lock and outbox with ``applications``,
    so :meth:`save_with_application` stores a site, an application and their names in one
    critical section: both compare-and-sets, both sets of events and every name are checked
    before anything is written (SUB-5, SUB-7). ``due(now)`` returns the sites whose
    scheduled fault-contact change is due (SUB-3(i)).
    """

    kind = "site"

    def __init__(
        self, outbox: InMemoryOutbox, *, applications: InMemoryApplicationRepository
    ) -> None:
        super().__init__(outbox)
        given: object = applications  # callers are not always type-checked
        if not isinstance(given, InMemoryApplicationRepository) or given.outbox is not outbox:
            msg = "applications must be an InMemoryApplicationRepository on the same outbox"
            raise ValidationError(msg, field="applications", rule="SEC-2")
        self._applications = applications
        self._by_customer: dict[str, dict[str, None]] = {}
        self._names: dict[str, dict[tuple[str, str], str]] = {}
        """The register (SUB-7): per customer, (略称, ロケーション名) → the holder's id."""
        self._holdings: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {}
        """Per holder id: its customer and the names it holds."""

    def of_customer(self, customer_id: str) -> list[Site]:
        """Return the customer's sites, oldest first (a malformed id is refused)."""
        if type(customer_id) is not str:
            msg = f"customer_id must be a string id, not {type(customer_id).__name__}"
            raise ValidationError(msg, field="customer_id", rule="SEC-2")
        with self._lock:
            return [self._items[i] for i in self._by_customer.get(customer_id, {})]

    def held_names(self, customer_id: str) -> dict[SiteName, str]:
        """Return the customer's register of site names: name → holder id (SUB-7)."""
        from omakase_core.submission.model import SiteName  # noqa: PLC0415  # this port's own type

        if type(customer_id) is not str:
            msg = f"customer_id must be a string id, not {type(customer_id).__name__}"
            raise ValidationError(msg, field="customer_id", rule="SEC-2")
        with self._lock:
            held = list(self._names.get(customer_id, {}).items())
        return {
            SiteName(company_abbrev=abbrev, location=location): holder
            for (abbrev, location), holder in held
        }

    def save_with_application(  # two aggregates, their versions, their names
        self,
        site: Site | None,
        *,
        site_version: int | None,
        application: Application,
        application_version: int | None,
        names: Mapping[str, Sequence[SiteName]] | None = None,
    ) -> None:
        """Store ``site`` and ``application`` together, or neither (SUB-5, SUB-7, PORT-2, PORT-3).

        ``site`` may be ``None`` (an application and its names alone). Anything but a
        :class:`~omakase_core.submission.Site` (or ``None``) and an
        :class:`~omakase_core.submission.Application` is a ``ValidationError`` naming
        ``site`` or ``application`` (SEC-2), as is a version that is not ``None`` or a
        count, and ``names`` of another shape (see
        :meth:`~omakase_core.submission.SiteRepository.save_with_application`). A name
        another holder holds is a ``ValidationError`` (``SUB-7``, ``names``): nothing is
        written.
        """
        from omakase_core.submission.aggregate import Application, Site  # noqa: PLC0415  # this port's own types
        from omakase_core.submission.ports import checked_names, name_taken  # noqa: PLC0415  # this port's own checks

        for field, value, expected in (
            ("site", site, Site),
            ("application", application, Application),
        ):
            if not isinstance(value, expected) and not (field == "site" and value is None):
                msg = f"{field} must be a {expected.__name__}, not {type(value).__name__}"
                raise ValidationError(msg, field=field, rule="SEC-2")
        for field, version in (
            ("site_version", site_version),
            ("application_version", application_version),
        ):
            if version is not None:
                _check_count(version, field)
        if site is None and site_version is not None:
            msg = "site_version must be None when no site is saved"
            raise ValidationError(msg, field="site_version", rule="PORT-2")
        held = checked_names(names, site=site, application=application)
        customer = application.customer_id
        applications = self._applications
        with self._lock:
            site_records: list[OutboxRecord] = []
            site_saved = None
            if site is not None:
                site_start = self._check_stored(site, site_version)
                site_records, site_saved = _prepared_as(self._prepare, site, site_start, "site")
            application_start = applications._check_stored(application, application_version)
            application_records, application_saved = _prepared_as(
                applications._prepare, application, application_start, "application"
            )
            self.outbox._check_new([*site_records, *application_records])
            register = self._names.get(customer, {})
            for name in (name for taken in held.values() for name in taken):
                holder = register.get((name.company_abbrev, name.location))
                if holder is not None and holder not in held:
                    raise name_taken(name)
            # Everything is checked: from here on nothing can fail.
            if site_saved is not None:
                self._commit(site_saved, site_records)
            applications._commit(application_saved, application_records)
            self._hold(customer, held)

    def _hold(self, customer_id: str, held: Mapping[str, Sequence[SiteName]]) -> None:
        """Give each holder exactly its names in the register; the caller holds the lock."""
        register = self._names.setdefault(customer_id, {})
        for holder in held:
            _, pairs = self._holdings.pop(holder, (customer_id, ()))
            for pair in pairs:
                if register.get(pair) == holder:
                    del register[pair]
        for holder, names in held.items():
            pairs = tuple((name.company_abbrev, name.location) for name in names)
            for pair in pairs:
                register[pair] = holder
            if pairs:
                self._holdings[holder] = (customer_id, pairs)

    def _due_at(self, aggregate: Site) -> datetime | None:
        return aggregate.next_due_at

    def _stored(self, aggregate: Site) -> None:
        _index(self._by_customer, aggregate.customer_id, aggregate.id)
        super()._stored(aggregate)


class InMemoryIdChangeRepository(_InMemoryDueRepository["IdChangeApplication"]):
    """ID-count change applications, indexed by customer and by due instant (IDC-2, IDC-8).

    ``due(now)`` returns the pending applications due at ``now``.
    """

    kind = "id change application"

    def __init__(self, outbox: InMemoryOutbox) -> None:
        super().__init__(outbox)
        self._by_customer: dict[str, dict[str, None]] = {}

    def of_customer(self, customer_id: str) -> list[IdChangeApplication]:
        """Return the customer's applications, oldest first (a malformed id is refused)."""
        if type(customer_id) is not str:
            msg = f"customer_id must be a string id, not {type(customer_id).__name__}"
            raise ValidationError(msg, field="customer_id", rule="SEC-2")
        with self._lock:
            return [self._items[i] for i in self._by_customer.get(customer_id, {})]

    def _due_at(self, aggregate: IdChangeApplication) -> datetime | None:
        return aggregate.due_at

    def _stored(self, aggregate: IdChangeApplication) -> None:
        self._by_customer.setdefault(aggregate.customer_id, {})[aggregate.id] = None
        super()._stored(aggregate)


class InMemoryUserDirectory:
    """The user accounts of each contract: (contract, e-mail) → (name, role) (CON-8).

    Every method refuses a malformed contract id, e-mail, name or contractor with a
    ``ValidationError`` naming the parameter (SEC-2), as a real directory would.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._accounts: dict[str, dict[str, tuple[str, DirectoryRole]]] = {}
        """The accounts by contract id, then by casefolded e-mail."""

    def add_account(self, contract_id: str, email: str, *, name: str, role: DirectoryRole) -> None:
        """Create an account (test set-up); ``role`` must be a :class:`DirectoryRole` (SEC-2)."""
        from omakase_core._validation import check_text  # noqa: PLC0415  # this class's own check

        key = self._key(contract_id, email)
        account_name = check_text(name, field="name", rule="SEC-2", max_length=100)
        given: object = role  # callers are not always type-checked
        if type(given) is not DirectoryRole:
            msg = f"role must be a DirectoryRole member, not {type(given).__name__}"
            raise ValidationError(msg, field="role", rule="SEC-2")
        with self._lock:
            self._accounts.setdefault(key[0], {})[key[1]] = (account_name, role)

    def role_of(self, contract_id: str, email: str) -> DirectoryRole | None:
        """Return the role of the account with ``email``, or ``None``."""
        key = self._key(contract_id, email)
        with self._lock:
            account = self._accounts.get(key[0], {}).get(key[1])
        return None if account is None else account[1]

    def raise_to_administrator(self, contract_id: str, email: str) -> None:
        """Make the existing account an administrator (idempotent)."""
        key = self._key(contract_id, email)
        with self._lock:
            accounts = self._accounts.get(key[0], {})
            if key[1] not in accounts:
                raise NotFound(kind="user account", id=key[1])
            accounts[key[1]] = (accounts[key[1]][0], DirectoryRole.ADMINISTRATOR)

    def issue_administrator(self, contract_id: str, contractor: Contractor) -> None:
        """Create an administrator account for ``contractor`` (idempotent)."""
        from omakase_core.contract.model import check_contractor  # noqa: PLC0415  # this class's own check

        given = check_contractor(contractor, "contractor")
        key = self._key(contract_id, given.email)
        with self._lock:
            self._accounts.setdefault(key[0], {})[key[1]] = (
                given.name,
                DirectoryRole.ADMINISTRATOR,
            )

    def accounts(self, contract_id: str) -> dict[str, tuple[str, DirectoryRole]]:
        """Return the contract's accounts by e-mail (casefolded)."""
        from omakase_core.principal import check_id  # noqa: PLC0415  # this class's own check

        wanted = check_id(contract_id, field="contract_id")
        with self._lock:
            return dict(self._accounts.get(wanted, {}))

    def remove_accounts(self, contract_id: str) -> int:
        """Delete every account of the contract (CON-10, idempotent); return how many went."""
        from omakase_core.principal import check_id  # noqa: PLC0415  # this class's own check

        wanted = check_id(contract_id, field="contract_id")
        with self._lock:
            return len(self._accounts.pop(wanted, {}))

    @staticmethod
    def _key(contract_id: object, email: object) -> tuple[str, str]:
        """Return an account's key; refuse a malformed contract id or e-mail (SEC-2)."""
        from omakase_core._validation import check_email  # noqa: PLC0415  # this class's own check
        from omakase_core.principal import check_id  # noqa: PLC0415  # this class's own check

        identifier = check_id(contract_id, field="contract_id")
        return identifier, check_email(email, field="email", rule="SEC-2").casefold()


class InMemoryStore:
    """Every storage port of every domain in memory, writing to one shared outbox (PORT-1).

    The attributes are the ports the services take — ``contracts``, ``applications``,
    ``sites``, ``id_changes``, ``tenants``, ``credentials``, ``ocn_customers``,
    ``inquiries`` — the contract's user ``directory`` and the ``outbox`` they all write to.
    One store has one lock (the outbox's): an ``add``/``save`` of any repository is one
    compare-and-set with its outbox records, safe under threads (PORT-2, PORT-3, PORT-5).
    The shipped SQL adapters expose the same attributes, so a test swaps one store for
    another.
    """

    def __init__(self) -> None:
        self.outbox = InMemoryOutbox()
        self.contracts = InMemoryContractRepository(self.outbox)
        self.directory = InMemoryUserDirectory()
        self.directory._lock = self.outbox._lock  # still one lock per store
        self.applications = InMemoryApplicationRepository(self.outbox)
        self.sites = InMemorySiteRepository(self.outbox, applications=self.applications)
        self.id_changes = InMemoryIdChangeRepository(self.outbox)
        self.tenants: InMemoryRepository[Tenant] = _named(self.outbox, "tenant")
        self.credentials: InMemoryRepository[Credential] = _named(self.outbox, "credential")
        self.ocn_customers: InMemoryRepository[OcnCustomer] = _named(self.outbox, "OCN customer")
        self.inquiries = InMemoryInquiryRepository(self.outbox)


def _named(outbox: InMemoryOutbox, kind: str) -> InMemoryRepository[A]:
    """Return a generic repository whose ``NotFound`` names ``kind``."""
    repository: InMemoryRepository[A] = InMemoryRepository(outbox)
    repository.kind = kind
    return repository


class NotifierError(RuntimeError):
    """The failure a :class:`RecordingNotifier` was told to simulate."""


class RecordingNotifier:
    """A :class:`~omakase_core.ports.Notifier` that records what it sends.

    It can be told to fail the next ``k`` sends (:meth:`fail_next`) or every send of a
    message whose key or event key is given (:meth:`fail_key`), to test PORT-3. A negative
    or non-int count, a key that is not one line of text and a ``message`` that is not a
    :class:`~omakase_core.messages.Message` are refused, each a ``ValidationError`` naming
    it (SEC-2).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.messages: list[Message] = []
        self.attempts = 0
        self._fail_next = 0
        self._fail_keys: set[str] = set()

    def fail_next(self, count: int) -> None:
        """Make the next ``count`` sends raise :class:`NotifierError`."""
        self._fail_next = _check_count(count, "count")

    def fail_key(self, key: str) -> None:
        """Make every send of a message with this key (or event key) raise."""
        from omakase_core._validation import check_text  # noqa: PLC0415  # this class's own check

        check_text(key, field="key", rule="SEC-2", max_length=1000)
        self._fail_keys.add(key)

    def heal(self) -> None:
        """Stop simulating failures."""
        self._fail_next = 0
        self._fail_keys.clear()

    def send(self, message: Message) -> None:
        """Record ``message``, or raise the failure it was told to simulate."""
        from omakase_core.messages import Message  # noqa: PLC0415  # a runtime check of the port's type

        given: object = message  # callers are not always type-checked
        if not isinstance(given, Message):
            msg = f"message must be a Message, not {type(given).__name__}"
            raise ValidationError(msg, field="message", rule="SEC-2")
        with self._lock:  # workers may deliver from several threads
            self.attempts += 1
            if self._fail_next > 0:
                self._fail_next -= 1
                msg = f"simulated failure sending {message.key}"
                raise NotifierError(msg)
            if message.key in self._fail_keys or message.event_key in self._fail_keys:
                msg = f"simulated failure for {message.key}"
                raise NotifierError(msg)
            self.messages.append(message)

    def keys(self) -> list[str]:
        """Return the keys of the recorded messages, in sending order (repeats included)."""
        return [message.key for message in self.messages]


class TestPasswordHasher:
    """A fast, salted :class:`~omakase_core.ports.PasswordHasher` for tests only.

    It hashes with SHA-256 and a random salt: quick enough for property tests, never to be
    used for real passwords (``examples/scrypt_hasher.py`` shows a real one).
    """

    __test__ = False  # not a pytest test class

    def hash(self, password: str) -> str:
        """Return ``salt$digest`` for ``password``; anything but text is refused (SEC-2)."""
        salt = secrets.token_hex(8)
        return f"{salt}${self._digest(salt, self._text(password, 'password'))}"

    def verify(self, password: str, hashed: str) -> bool:
        """Return whether ``password`` produced ``hashed``; anything but text is refused."""
        given, stored = self._text(password, "password"), self._text(hashed, "hashed")
        salt, _, digest = stored.partition("$")
        expected = self._digest(salt, given)
        return hmac.compare_digest(expected.encode(), digest.encode("utf-8", "surrogatepass"))

    @staticmethod
    def _digest(salt: str, password: str) -> str:
        # "surrogatepass": any Python text hashes, even a lone surrogate no real form sends
        data = (salt + password).encode("utf-8", "surrogatepass")
        return hashlib.sha256(data).hexdigest()

    @staticmethod
    def _text(value: object, field: str) -> str:
        """Return ``value`` if it is text; refuse anything else without showing it (SEC-2)."""
        if not isinstance(value, str):
            msg = f"{field} must be text, not {type(value).__name__}"
            raise ValidationError(msg, field=field, rule="SEC-2")
        return value


# -- fault inquiries (INQ-2) -------------------------------------------------------------------


class InMemoryInquiryRepository(_InMemoryDueRepository["Inquiry"]):
    """Fault inquiries in a dictionary, with an index of the attachments' purge instants (INQ-2).

    ``due(now)`` returns the inquiries whose ``next_due_at`` is at or before ``now``: the
    resolved inquiries whose attachments' files are still kept at their purge instant.
    """

    kind = "inquiry"

    def _due_at(self, aggregate: Inquiry) -> datetime | None:
        return aggregate.next_due_at


class InMemoryAttachmentStore:
    """An :class:`~omakase_core.inquiry.AttachmentStore` holding file ids, for tests (INQ-2).

    :meth:`store` puts a file in (the test's upload); :meth:`delete` removes it and is
    idempotent, as the port asks; ``attachment_id in store`` tells whether it is kept, and
    :attr:`deletions` lists every ``delete`` call in order (repeats included). It can be
    told to fail every deletion of one file (:meth:`fail_on`, a ``ConnectionError`` as a
    real store's outage) until :meth:`heal`. Thread-safe; an id that is not a printable
    text id is a ``ValidationError`` naming ``attachment_id`` (SEC-2).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._files: dict[str, None] = {}
        self._failing: set[str] = set()
        self.deletions: list[str] = []

    def store(self, attachment_id: str) -> None:
        """Keep the file ``attachment_id`` (test set-up; storing it twice keeps one)."""
        checked = _attachment_id(attachment_id)
        with self._lock:
            self._files[checked] = None

    def delete(self, attachment_id: str) -> None:
        """Delete the file ``attachment_id``; an absent one is not an error (idempotent)."""
        checked = _attachment_id(attachment_id)
        with self._lock:
            self.deletions.append(checked)
            if checked in self._failing:
                msg = f"simulated failure deleting {checked}"
                raise ConnectionError(msg)
            self._files.pop(checked, None)

    def fail_on(self, attachment_id: str) -> None:
        """Make every deletion of ``attachment_id`` raise ``ConnectionError``."""
        checked = _attachment_id(attachment_id)
        with self._lock:
            self._failing.add(checked)

    def heal(self) -> None:
        """Stop simulating failures."""
        with self._lock:
            self._failing.clear()

    def ids(self) -> list[str]:
        """Return the ids of the files kept, in the order they were stored."""
        with self._lock:
            return list(self._files)

    def __contains__(self, attachment_id: str) -> bool:
        checked = _attachment_id(attachment_id)
        with self._lock:
            return checked in self._files

    def __len__(self) -> int:
        with self._lock:
            return len(self._files)


class InMemoryContractedServices:
    """A :class:`~omakase_core.inquiry.ContractedServices` from a table, for tests (INQ-1).

    Built from a mapping of customer id to the names of the services that tenant has
    contracted; :meth:`services_of` answers a tuple of them in the order given (an empty
    one for a customer the table does not name), and :attr:`asked` lists every customer id
    asked, in order. The table is checked when built (SEC-2): it must be a mapping of
    customer ids to collections of service names (a ``str`` is one name, not a collection,
    and is refused), each name text of at most 100 characters, stored trimmed, as
    :class:`~omakase_core.inquiry.InquiryService` compares them; anything else is a
    ``ValidationError`` naming ``services``. Thread-safe.
    """

    def __init__(self, services: Mapping[str, Collection[str]]) -> None:
        self._lock = threading.Lock()
        self._services = _contracted_table(services)
        self.asked: list[str] = []

    def services_of(self, customer_id: str) -> tuple[str, ...]:
        """Return the names of the services ``customer_id`` has contracted (none: empty)."""
        from omakase_core.principal import check_id  # noqa: PLC0415  # this class's own check

        checked = check_id(customer_id, field="customer_id")
        with self._lock:
            self.asked.append(checked)
            return self._services.get(checked, ())


def _contracted_table(value: object) -> dict[str, tuple[str, ...]]:
    """Return ``value``, customer ids to service names, as a dict of tuples (INQ-1, SEC-2)."""
    from omakase_core.inquiry.aggregate import check_service  # noqa: PLC0415  # as below
    from omakase_core.principal import check_id  # noqa: PLC0415  # this class's own check

    if not isinstance(value, MappingABC):
        msg = f"services must map customer ids to service names, not {excerpt(value)}"
        raise ValidationError(msg, field="services", rule="SEC-2")
    table: dict[str, tuple[str, ...]] = {}
    for customer_id, names in value.items():
        key = check_id(customer_id, field="services")
        if isinstance(names, str | bytes) or not isinstance(names, CollectionABC):
            msg = (
                f"services[{excerpt(key)}] must be a collection of service names (a tuple, list or "
                f"set), not {excerpt(names)}"
            )
            raise ValidationError(msg, field="services", rule="SEC-2")
        checked = []
        for name in names:
            try:
                checked.append(check_service(name))
            except ValidationError as error:
                msg = f"services[{excerpt(key)}] holds a name that is not one: {error.message}"
                raise ValidationError(msg, field="services", rule="SEC-2") from None
        table[key] = tuple(checked)
    return table


def _attachment_id(value: object) -> str:
    """Return ``value`` if it can be an attachment id (a printable text id) (SEC-2)."""
    from omakase_core.principal import check_id  # noqa: PLC0415  # this class's own check

    return check_id(value, field="attachment_id")
