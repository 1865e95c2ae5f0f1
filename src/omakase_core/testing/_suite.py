"""The port contract suite: prove an adapter behaves like the in-memory ones (PORT-2 … PORT-5).

Subclass :class:`StorageContract` in your own tests and say how to open a fresh store::

    class TestSqlStore(StorageContract):
        def make_store(self) -> Store:
            return MySqlStore(fresh_test_database())

pytest then runs every ``test_…`` method below against your store: ``get``/``add``/``save``
of every repository of every domain (PORT-2), state and events in one outbox (PORT-3),
the queries, the user directory, and racing writers in threads — on several connections
when :meth:`StorageContract.store_factory` gives a factory (PORT-5). A store that another
process can open subclasses :class:`ProcessRaceContract` instead, which adds the race of
processes and fails unless ``store_factory`` gives a factory: no test here passes having
done nothing. The methods use plain ``assert`` and import nothing from pytest, so the suite
also runs under unittest discovery with a small shim, and importing
``omakase_core.testing`` needs no test tool. :class:`ContractPortsContract` is the older
contract-only subset, on ``make_ports``: racing threads included (saves and adds of one
contract, claims and marks of the outbox, PORT-5), all on the one pair of ports.
"""

from __future__ import annotations

import contextlib
import functools
import pickle
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from omakase_core.calendar import JST
from omakase_core.contract.aggregate import Contract
from omakase_core.contract.model import (
    AdminAccount,
    CompletedChange,
    Contractor,
    ContractStatus,
    DirectoryRole,
    TerminationRequested,
)
from omakase_core.contract.rules import erase_personal_data
from omakase_core.contract.service import ContractService
from omakase_core.delivery import RetryPolicy, deliver_pending
from omakase_core.errors import ConcurrencyConflict, NotFound, ValidationError
from omakase_core.events import REDACTED_ERROR
from omakase_core.lifecycle import Actor
from omakase_core.messages import Message, NotificationSettings
from omakase_core.principal import Principal
from omakase_core.submission.model import SiteName
from omakase_core.testing._clock import FixedClock
from omakase_core.testing._memory import InMemoryStore, RecordingNotifier
from omakase_core.testing._race import (
    add_racers,
    check_adds,
    check_names,
    check_race,
    check_race_with_application,
    claim_threads,
    mark_threads,
    race_adds,
    race_name_processes,
    race_names,
    race_processes,
    race_threads,
    race_with_application,
    sweep_threads,
)
from omakase_core.testing._samples import (
    SAMPLES,
    due_id_change,
    named_application,
    sample,
    scheduled_site,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from omakase_core.contract.ports import ContractRepository
    from omakase_core.events import Event, OutboxRecord
    from omakase_core.ports import Outbox
    from omakase_core.submission.aggregate import Application, Site
    from omakase_core.testing._store import Store

__all__ = [
    "ContractPortsContract",
    "ContractRepositoryContract",
    "OutboxContract",
    "ProcessRaceContract",
    "StorageContract",
]

T0 = datetime(2026, 11, 1, 10, 0, tzinfo=JST)
SETTINGS = NotificationSettings(
    contractor_login_url="https://portal.example.jp/contractor/login",
    first_login_url="https://portal.example.jp/first-login",
)
E = TypeVar("E", bound=BaseException)


def _raises(error: type[E], call: Callable[[], object]) -> E:
    try:
        call()
    except error as raised:
        return raised
    msg = f"expected {error.__name__}"
    raise AssertionError(msg)


def _contract(number: int = 1) -> Contract:
    return Contract.open(
        id=f"contract-{number}",
        contractor=Contractor(name="山田 太郎", email=f"owner{number}@example.co.jp"),
        opened_at=T0,
    )


def _terminated(repo: ContractRepository, number: int = 1, *, at: datetime = T0) -> Contract:
    """Add contract ``number`` and terminate it at ``at``; return what was stored."""
    repo.add(_contract(number))
    stored = repo.get(f"contract-{number}")
    terminated = stored.request_termination(actor=Actor.CONTRACTOR, at=at)
    repo.save(terminated, expected_version=stored.version)
    return repo.get(stored.id)


def _site(site_id: str, *, writer: int = 0) -> Site:
    """Return a new installed site of ``customer-1`` (SUB-5), as the sample builds it."""
    site: Site = sample("sites").new(site_id, "customer-1", writer)
    return site


def _site_step(site: Site, step: int, *, writer: int = 0) -> Site:
    stepped: Site = sample("sites").step(site, writer, step)
    return stepped


def _application(application_id: str, *, writer: int = 0) -> Application:
    application: Application = sample("applications").new(application_id, "customer-1", writer)
    return application


def _application_step(application: Application, step: int, *, writer: int = 0) -> Application:
    stepped: Application = sample("applications").step(application, writer, step)
    return stepped


HONSHA = SiteName(company_abbrev="ABC", location="本社")
SHISHA = SiteName(company_abbrev="ABC", location="支社")


def _named(application_id: str, name: SiteName = HONSHA, customer_id: str = "customer-1") -> Any:
    """Return a new installation for the site ``name`` (SUB-7)."""
    return named_application(application_id, name, customer_id=customer_id)


def _take(store: Store, application_id: str, name: SiteName = HONSHA) -> Application:
    """Store a new application holding ``name`` in the register; return it as stored."""
    application = _named(application_id, name)
    store.sites.save_with_application(
        None,
        site_version=None,
        application=application,
        application_version=None,
        names={application_id: (name,)},
    )
    stored: Application = store.applications.get(application_id)
    return stored


def _register(store: Store) -> tuple[object, ...]:
    """Return what a refused save leaves alone: the suite's aggregates, outbox and names."""
    return (
        _snapshot(store),
        dict(store.sites.held_names("customer-1")),
        dict(store.sites.held_names("customer-2")),
    )


class _PortsView:
    """The ports of :meth:`_Ports.make_ports`, with the names the race helpers read on a store."""

    def __init__(self, contracts: ContractRepository, outbox: Outbox) -> None:
        self.contracts = contracts
        self.outbox = outbox


class _Ports:
    racing_writers: int = 8
    """Threads (and processes) that race for one aggregate or one outbox record."""
    racing_steps: int = 150
    """Steps each thread race runs per repository: each a fresh compare-and-set contest."""

    def make_store(self) -> Store:
        """Return a fresh, empty store: every repository, the directory, one outbox."""
        raise NotImplementedError

    def make_ports(self) -> tuple[ContractRepository, Outbox]:
        """Return a fresh, empty repository and the outbox it writes to.

        By default the contracts and the outbox of :meth:`make_store`; a subclass of the
        contract-only suites may override this instead.
        """
        store = self.make_store()
        return store.contracts, store.outbox

    @contextlib.contextmanager
    def racing_ports(self, count: int) -> Iterator[tuple[Any, list[Any]]]:
        """Yield fresh ports and ``count`` views of them for racing threads (PORT-5).

        Each has ``contracts`` and ``outbox``: here all ``count`` are the ports of one
        :meth:`make_ports`; :class:`StorageContract` races on new connections as well.
        """
        repo, outbox = self.make_ports()
        view = _PortsView(repo, outbox)
        yield view, [view] * count


class ContractRepositoryContract(_Ports):
    """What every :class:`~omakase_core.ports.ContractRepository` must do (PORT-2, PORT-3)."""

    def test_port_2_an_added_contract_is_returned_at_its_version(self) -> None:
        repo, _ = self.make_ports()
        contract = _contract()
        repo.add(contract)
        assert repo.get(contract.id) == contract
        assert repo.get(contract.id).version == 0

    def test_port_2_get_of_an_unknown_id_raises_not_found(self) -> None:
        repo, _ = self.make_ports()
        raised = _raises(NotFound, lambda: repo.get("contract-404"))
        assert raised.id == "contract-404"

    def test_port_2_adding_an_existing_id_is_a_conflict_and_changes_nothing(self) -> None:
        repo, outbox = self.make_ports()
        stored = _terminated(repo)
        raised = _raises(ConcurrencyConflict, lambda: repo.add(_contract()))
        assert raised.actual_version == stored.version
        assert repo.get(stored.id) == stored
        assert len(outbox.pending()) == 1

    def test_port_3_a_save_stores_the_state_and_each_event_in_the_outbox(self) -> None:
        repo, outbox = self.make_ports()
        stored = _terminated(repo)
        assert stored.status is ContractStatus.TERMINATED
        assert stored.version == 1
        assert stored.pending_events == ()
        (record,) = outbox.pending()
        assert isinstance(record.event, TerminationRequested)
        assert record.key == record.event.idempotency_key == "contract:contract-1:1"
        assert record.event.timeline == stored.termination
        assert not record.is_delivered

    def test_port_3_events_survive_the_round_trip_unchanged(self) -> None:
        repo, outbox = self.make_ports()
        stored = _terminated(repo)
        reinstated = stored.reinstate(actor=Actor.CONTRACTOR, at=T0 + timedelta(days=3))
        repo.save(reinstated, expected_version=stored.version)
        assert [r.event for r in outbox.pending()] == [
            *(_terminated_events(stored)),
            *reinstated.pending_events,
        ]
        assert repo.get(stored.id) == reinstated.saved()

    def test_port_2_a_stale_save_is_a_conflict_and_changes_nothing(self) -> None:
        repo, outbox = self.make_ports()
        repo.add(_contract())
        first = repo.get("contract-1")
        winner = first.request_termination(actor=Actor.CONTRACTOR, at=T0)
        repo.save(winner, expected_version=first.version)
        change = first.request_contractor_change(
            actor=Actor.CONTRACTOR,
            new=Contractor(name="佐藤 花子", email="hanako@example.co.jp"),
            at=T0,
        )
        raised = _raises(
            ConcurrencyConflict, lambda: repo.save(change, expected_version=first.version)
        )
        assert (raised.expected_version, raised.actual_version) == (0, 1)
        assert repo.get("contract-1") == winner.saved()
        assert [r.key for r in outbox.pending()] == ["contract:contract-1:1"]

    def test_port_2_saving_a_contract_that_was_never_added_is_a_conflict(self) -> None:
        repo, outbox = self.make_ports()
        contract = _contract().request_termination(actor=Actor.CONTRACTOR, at=T0)
        raised = _raises(ConcurrencyConflict, lambda: repo.save(contract, expected_version=0))
        assert raised.actual_version is None
        assert outbox.pending() == []
        _raises(NotFound, lambda: repo.get(contract.id))

    def test_port_3_a_save_whose_events_do_not_fit_writes_nothing(self) -> None:
        repo, outbox = self.make_ports()
        stored = _terminated(repo)
        reinstated = stored.reinstate(actor=Actor.CONTRACTOR, at=T0 + timedelta(days=1))
        broken = attrs.evolve(reinstated, pending_events=())  # version 2 but no event 2
        _raises(ValidationError, lambda: repo.save(broken, expected_version=stored.version))
        assert repo.get(stored.id) == stored
        assert len(outbox.pending()) == 1

    def test_con_8_a_completed_contractor_change_survives_the_round_trip(self) -> None:
        repo, outbox = self.make_ports()
        repo.add(_contract())
        stored = repo.get("contract-1")
        heir = Contractor(name="佐藤 花子", email="hanako@example.co.jp")
        pending = stored.request_contractor_change(actor=Actor.CONTRACTOR, new=heir, at=T0)
        repo.save(pending, expected_version=stored.version)
        completed = repo.get("contract-1").complete_contractor_change(
            actor=Actor.CONTRACTOR,
            login_email=heir.email,
            at=T0 + timedelta(hours=1),
            admin_account=AdminAccount.RAISED,
        )
        repo.save(completed, expected_version=pending.version)
        loaded = repo.get("contract-1")
        assert loaded == completed.saved()
        assert loaded.completed_change == CompletedChange(
            version=2, admin_account=AdminAccount.RAISED
        )
        assert [r.key for r in outbox.pending()] == [
            "contract:contract-1:1",
            "contract:contract-1:2",
        ]

    def test_con_5_due_returns_exactly_the_contracts_whose_deadline_came(self) -> None:
        repo, _ = self.make_ports()
        early = _terminated(repo, 1, at=T0)
        _terminated(repo, 2, at=T0 + timedelta(days=5))
        repo.add(_contract(3))
        ends = early.termination.service_ends_at  # type: ignore[union-attr]
        assert [c.id for c in repo.due(ends - timedelta(microseconds=1))] == []
        assert [c.id for c in repo.due(ends)] == ["contract-1"]
        assert sorted(c.id for c in repo.due(T0 + timedelta(days=60))) == [
            "contract-1",
            "contract-2",
        ]

    def test_con_5_a_swept_contract_leaves_the_due_list_once_purged(self) -> None:
        repo, _ = self.make_ports()
        stored = _terminated(repo)
        later = T0 + timedelta(days=60)
        purged = stored.apply_due(later)
        repo.save(purged, expected_version=stored.version)
        assert repo.get(stored.id).status is ContractStatus.PURGED
        assert list(repo.due(later)) == []

    # -- PORT-5: racing writers ------------------------------------------------------------

    def test_port_5_racing_threads_save_each_contract_version_once(self) -> None:
        """N threads load one contract version and save at once: exactly one wins (PORT-2).

        No update is lost and the outbox holds exactly the winners' events (PORT-3).
        """
        with self.racing_ports(self.racing_writers) as (ports, racers):
            initials = add_racers(ports, "contracts", "contracts-race", steps=self.racing_steps)
            attempts = race_threads(racers, "contracts", "contracts-race", steps=self.racing_steps)
            check_race(ports, "contracts", initials, attempts)

    def test_port_5_racing_threads_add_each_contract_id_once(self) -> None:
        """N threads add one contract id at once: exactly one wins, only its events stored."""
        with self.racing_ports(self.racing_writers) as (ports, racers):
            attempts = race_adds(racers, "contracts", steps=self.racing_steps)
            check_adds(ports, "contracts", attempts)


LEASE = timedelta(minutes=5)
TICK = timedelta(microseconds=1)
RACED_MARKS = 20
"""Records the racing-marks test marks, each from every writer at once."""
RACED_CLAIMS = 60
"""Records the racing-claims test leaves for the racing workers to claim."""


class _SweepStopped(RuntimeError):
    """A sweep stopped (a crash, a deploy) between the erasure and the save."""


class _StopBeforeSave:
    """A contract repository that stops every save: the sweep stops halfway (CON-10)."""

    def __init__(self, inner: ContractRepository) -> None:
        self._inner = inner

    def get(self, aggregate_id: str) -> Contract:
        return self._inner.get(aggregate_id)

    def add(self, aggregate: Contract) -> None:
        self._inner.add(aggregate)

    def due(self, now: datetime) -> Iterable[Contract]:
        return self._inner.due(now)

    def redact_events(self, aggregate_id: str, *, using: Callable[[Event], Event]) -> int:
        return self._inner.redact_events(aggregate_id, using=using)

    def save(self, aggregate: Contract, *, expected_version: int) -> None:
        raise _SweepStopped


class _WorkerCrash(BaseException):
    """A delivery worker dying mid-batch: not an ``Exception``, so nothing catches it."""


class _CrashAfter(RecordingNotifier):
    """A notifier whose worker dies on the send after ``sends`` successful ones."""

    def __init__(self, sends: int) -> None:
        super().__init__()
        self._left = sends

    def send(self, message: Message) -> None:
        if self._left == 0:
            raise _WorkerCrash
        self._left -= 1
        super().send(message)


def _everything_erased(event: Event) -> Event:
    """Erase a contract's event; change any other, which a redaction must never be given."""
    erased = erase_personal_data(event)
    if erased is event and event.version < 10_000:
        return attrs.evolve(event, version=event.version + 10_000)  # caught: a foreign event
    return erased


def _report(  # noqa: PLR0913  # one attempt's whole report
    outbox: Outbox,
    record: OutboxRecord,
    *,
    at: datetime,
    error: str,
    attempts: int,
    retry_at: datetime | None,
) -> bool:
    """Report a failed attempt of the worker holding ``record``'s lease (PORT-6)."""
    return outbox.record_failure(
        record.key,
        lease=record.lease or "",
        at=at,
        error=error,
        attempts=attempts,
        retry_at=retry_at,
    )


def _terminated_events(stored: Contract) -> list[TerminationRequested]:
    timeline = stored.termination
    assert timeline is not None
    return [
        TerminationRequested(
            aggregate_id=stored.id,
            version=1,
            occurred_at=timeline.requested_at,
            contractor=stored.contractor,
            timeline=timeline,
        )
    ]


class OutboxContract(_Ports):
    """What every :class:`~omakase_core.ports.Outbox` must do with delivery (PORT-3)."""

    def test_port_3_pending_lists_records_oldest_first_up_to_a_limit(self) -> None:
        repo, outbox = self.make_ports()
        for number in (1, 2, 3):
            _terminated(repo, number)
        keys = [f"contract:contract-{n}:1" for n in (1, 2, 3)]
        assert [r.key for r in outbox.pending()] == keys
        assert [r.key for r in outbox.pending(limit=2)] == keys[:2]

    def test_port_3_a_key_is_marked_delivered_once(self) -> None:
        repo, outbox = self.make_ports()
        _terminated(repo)
        at = T0 + timedelta(minutes=1)
        assert outbox.mark_delivered("contract:contract-1:1", at=at) is True
        assert outbox.mark_delivered("contract:contract-1:1", at=at + timedelta(hours=1)) is False
        record = outbox.get("contract:contract-1:1")
        assert record.delivered_at == at
        assert outbox.pending() == []

    def test_port_3_marking_an_unknown_key_raises_not_found(self) -> None:
        _, outbox = self.make_ports()
        _raises(NotFound, lambda: outbox.mark_delivered("contract:nobody:1", at=T0))
        _raises(NotFound, lambda: outbox.get("contract:nobody:1"))

    def test_port_3_a_notifier_failure_keeps_the_record_and_a_retry_delivers_it(self) -> None:
        repo, outbox = self.make_ports()
        _terminated(repo)
        notifier = RecordingNotifier()
        clock = FixedClock(T0)
        notifier.fail_next(1)
        first = deliver_pending(outbox, notifier, clock=clock, settings=SETTINGS)
        assert first.delivered == ()
        assert [key for key, _ in first.failed] == ["contract:contract-1:1"]
        assert [r.key for r in outbox.pending()] == ["contract:contract-1:1"]
        clock.advance(RetryPolicy().base)  # PORT-6: the record waits its backoff
        second = deliver_pending(outbox, notifier, clock=clock, settings=SETTINGS)
        assert second.delivered == ("contract:contract-1:1",)
        assert notifier.keys() == ["contract:contract-1:1/contractor"]
        assert outbox.pending() == []

    def test_port_3_a_delivered_record_is_not_sent_again(self) -> None:
        repo, outbox = self.make_ports()
        _terminated(repo)
        notifier = RecordingNotifier()
        clock = FixedClock(T0)
        deliver_pending(outbox, notifier, clock=clock, settings=SETTINGS)
        again = deliver_pending(outbox, notifier, clock=clock, settings=SETTINGS)
        assert again.delivered == ()
        assert again.messages_sent == 0
        assert notifier.keys() == ["contract:contract-1:1/contractor"]

    # -- PORT-6: claims, leases, attempts, dead letters -----------------------------------------

    def test_port_6_a_claim_leases_due_records_oldest_first_up_to_the_limit(self) -> None:
        repo, outbox = self.make_ports()
        for number in (1, 2, 3):
            _terminated(repo, number)
        keys = [f"contract:contract-{n}:1" for n in (1, 2, 3)]
        first = outbox.claim(now=T0, limit=2, lease=LEASE)
        assert [r.key for r in first] == keys[:2]
        assert all(r.lease and r.leased_until == T0 + LEASE for r in first)
        assert len({r.lease for r in first}) == 2, "each claim of a record has its own lease"
        assert [r.key for r in outbox.pending(now=T0)] == keys[2:]
        assert [r.key for r in outbox.pending()] == keys  # leased records are still pending
        assert [r.key for r in outbox.claim(now=T0, limit=5, lease=LEASE)] == keys[2:]
        assert outbox.claim(now=T0 + LEASE - TICK, limit=5, lease=LEASE) == []
        assert outbox.get(keys[0]).lease == first[0].lease

    def test_port_6_an_expired_lease_is_claimed_again_and_counts_a_lost_attempt(self) -> None:
        repo, outbox = self.make_ports()
        _terminated(repo)
        (crashed,) = outbox.claim(now=T0, limit=1, lease=LEASE)
        (taken,) = outbox.claim(now=T0 + LEASE, limit=1, lease=LEASE)
        assert taken.key == crashed.key
        assert taken.lease != crashed.lease
        assert taken.attempts == 1
        assert taken.last_error is not None
        assert "lease" in taken.last_error
        stale = _report(
            outbox, crashed, at=T0 + LEASE, error="late report", attempts=1, retry_at=None
        )
        assert stale is False, "a worker whose lease passed to another cannot report"
        assert outbox.get(taken.key) == taken

    def test_port_6_a_failure_waits_until_its_next_attempt_and_ends_the_lease(self) -> None:
        repo, outbox = self.make_ports()
        _terminated(repo)
        (record,) = outbox.claim(now=T0, limit=1, lease=LEASE)
        retry_at = T0 + timedelta(minutes=3)
        assert _report(
            outbox,
            record,
            at=T0 + TICK,
            error="SMTPServerDisconnected: gone",
            attempts=1,
            retry_at=retry_at,
        )
        stored = outbox.get(record.key)
        assert (stored.attempts, stored.last_error) == (1, "SMTPServerDisconnected: gone")
        assert (stored.next_attempt_at, stored.lease, stored.leased_until) == (retry_at, None, None)
        assert not stored.is_dead_lettered
        assert outbox.pending(now=retry_at - TICK) == []
        assert outbox.claim(now=retry_at - TICK, limit=1, lease=LEASE) == []
        assert [r.key for r in outbox.pending(now=retry_at)] == [record.key]
        (again,) = outbox.claim(now=retry_at, limit=1, lease=LEASE)
        assert again.attempts == 1, "a reported failure is not counted again by the claim"

    def test_port_6_a_dead_letter_is_kept_not_retried_and_put_back_on_request(self) -> None:
        repo, outbox = self.make_ports()
        _terminated(repo, 1)
        _terminated(repo, 2)
        (record,) = outbox.claim(now=T0, limit=1, lease=LEASE)
        assert _report(
            outbox, record, at=T0 + TICK, error="render error", attempts=8, retry_at=None
        )
        dead = outbox.get(record.key)
        assert dead.is_dead_lettered
        assert dead.dead_lettered_at == T0 + TICK
        assert [r.key for r in outbox.dead_letters()] == [record.key]
        assert [r.key for r in outbox.pending()] == ["contract:contract-2:1"]
        later = T0 + timedelta(days=365)
        assert [r.key for r in outbox.claim(now=later, limit=5, lease=LEASE)] == [
            "contract:contract-2:1"
        ]
        assert outbox.retry_dead_letter(record.key) is True
        assert outbox.retry_dead_letter(record.key) is False
        back = outbox.get(record.key)
        assert (back.attempts, back.dead_lettered_at, back.next_attempt_at) == (0, None, None)
        assert back.last_error == "render error"
        assert outbox.dead_letters() == []
        assert [r.key for r in outbox.claim(now=later, limit=5, lease=LEASE)] == [record.key]
        _raises(NotFound, lambda: outbox.retry_dead_letter("contract:nobody:1"))

    def test_port_6_dead_letters_and_records_put_back_keep_their_place_oldest_first(self) -> None:
        repo, outbox = self.make_ports()
        for number in (1, 2, 3):
            _terminated(repo, number)
        keys = [f"contract:contract-{n}:1" for n in (1, 2, 3)]
        for record in reversed(outbox.claim(now=T0, limit=3, lease=LEASE)):  # newest first
            _report(outbox, record, at=T0, error="x", attempts=1, retry_at=None)
        assert [r.key for r in outbox.dead_letters()] == keys
        assert [r.key for r in outbox.dead_letters(limit=2)] == keys[:2]
        for key in reversed(keys):
            outbox.retry_dead_letter(key)
        assert [r.key for r in outbox.claim(now=T0, limit=3, lease=LEASE)] == keys

    def test_port_6_a_delivered_record_cannot_fail_and_ends_its_lease(self) -> None:
        repo, outbox = self.make_ports()
        _terminated(repo)
        (record,) = outbox.claim(now=T0, limit=1, lease=LEASE)
        assert outbox.mark_delivered(record.key, at=T0 + TICK)
        stored = outbox.get(record.key)
        assert (stored.lease, stored.leased_until) == (None, None)
        assert not _report(
            outbox, record, at=T0 + TICK, error="too late", attempts=1, retry_at=None
        )
        assert outbox.get(record.key) == stored
        assert outbox.claim(now=T0 + LEASE, limit=1, lease=LEASE) == []

    def test_port_6_failing_records_at_the_head_never_hold_back_the_others(self) -> None:
        """The head-of-line case: ``limit`` failing records first, then a good one."""
        repo, outbox = self.make_ports()
        for number in (1, 2, 3):
            _terminated(repo, number)
        notifier = RecordingNotifier()
        for number in (1, 2):
            notifier.fail_key(f"contract:contract-{number}:1")
        clock = FixedClock(T0)
        sent: list[str] = []
        for _ in range(3):
            report = deliver_pending(outbox, notifier, clock=clock, settings=SETTINGS, limit=2)
            sent += report.delivered
            clock.advance(seconds=1)
        assert sent == ["contract:contract-3:1"]
        assert [r.key for r in outbox.pending()] == [
            "contract:contract-1:1",
            "contract:contract-2:1",
        ]

    def test_port_6_a_record_failing_for_good_is_dead_lettered_after_max_attempts(self) -> None:
        """The poison-record case: exactly ``max_attempts`` sends, then a dead letter."""
        repo, outbox = self.make_ports()
        _terminated(repo, 1)
        notifier = RecordingNotifier()
        notifier.fail_key("contract:contract-1:1")
        policy = RetryPolicy(max_attempts=4, base=timedelta(minutes=1), cap=timedelta(minutes=5))
        clock = FixedClock(T0)
        dead: list[tuple[str, str]] = []
        for _ in range(10):
            report = deliver_pending(
                outbox, notifier, clock=clock, settings=SETTINGS, policy=policy
            )
            dead += report.dead_lettered
            clock.advance(policy.cap)
        assert notifier.attempts == 4
        assert [key for key, _ in dead] == ["contract:contract-1:1"]
        record = outbox.get("contract:contract-1:1")
        assert record.is_dead_lettered
        assert record.attempts == 4
        assert record.last_error is not None
        assert "NotifierError" in record.last_error

    def test_port_6_a_crashed_workers_records_go_to_another_after_the_lease(self) -> None:
        """The worker-crash case: a worker dies mid-batch; another delivers the rest once."""
        repo, outbox = self.make_ports()
        for number in (1, 2, 3):
            _terminated(repo, number)
        policy = RetryPolicy(lease=LEASE)
        crashing = _CrashAfter(1)
        clock = FixedClock(T0)
        try:
            deliver_pending(outbox, crashing, clock=clock, settings=SETTINGS, policy=policy)
        except _WorkerCrash:
            pass
        else:
            raise AssertionError("the worker did not crash")
        survivor = RecordingNotifier()
        early = deliver_pending(outbox, survivor, clock=clock, settings=SETTINGS, policy=policy)
        assert early.delivered == (), "records leased to the crashed worker were taken early"
        clock.advance(LEASE)
        late = deliver_pending(outbox, survivor, clock=clock, settings=SETTINGS, policy=policy)
        assert sorted(late.delivered) == ["contract:contract-2:1", "contract:contract-3:1"]
        assert outbox.pending() == []
        assert [outbox.get(k).attempts for k in sorted(late.delivered)] == [1, 1]
        assert crashing.keys() == ["contract:contract-1:1/contractor"]
        assert sorted(survivor.keys()) == [
            "contract:contract-2:1/contractor",
            "contract:contract-3:1/contractor",
        ]

    # -- CON-10: redaction of the stored events, removal of the accounts ----------------------

    def test_con_10_redaction_scrubs_a_failure_reason_that_names_the_addressee(self) -> None:
        repo, outbox = self.make_ports()
        stored = _terminated(repo, 1)
        (record,) = outbox.claim(now=T0, limit=1, lease=LEASE)
        refused = f"SMTPRecipientsRefused: {{'{stored.contractor.email}': (452, b'full')}}"
        _report(outbox, record, at=T0, error=refused, attempts=1, retry_at=T0)
        assert repo.redact_events("contract-1", using=erase_personal_data) == 1
        after = outbox.get(record.key)
        assert after.last_error == REDACTED_ERROR
        assert (after.attempts, after.next_attempt_at) == (1, T0)
        assert repo.redact_events("contract-1", using=erase_personal_data) == 0

    def test_con_10_redact_events_rewrites_every_record_of_that_contract_only(self) -> None:
        repo, outbox = self.make_ports()
        _terminated(repo, 1)
        _terminated(repo, 2)
        outbox.mark_delivered("contract:contract-1:1", at=T0)
        before = outbox.get("contract:contract-1:1")
        other = outbox.get("contract:contract-2:1")
        assert repo.redact_events("contract-1", using=erase_personal_data) == 1
        after = outbox.get("contract:contract-1:1")
        assert after.event == erase_personal_data(before.event)
        assert after.event.contractor.is_erased  # type: ignore[attr-defined]
        assert (after.key, after.delivered_at) == (before.key, before.delivered_at)
        assert outbox.get("contract:contract-2:1") == other
        assert repo.redact_events("contract-1", using=erase_personal_data) == 0, "idempotent"
        assert repo.redact_events("contract-404", using=erase_personal_data) == 0

    # -- PORT-3, PORT-6: racing delivery workers ---------------------------------------------

    def test_port_3_racing_marks_deliver_a_record_once(self) -> None:
        """Workers marking one record at once: exactly one is told it delivered it (PORT-5)."""
        with self.racing_ports(self.racing_writers) as (ports, racers):
            for number in range(1, RACED_MARKS + 1):
                _terminated(ports.contracts, number)
            answers = [
                mark_threads(racers, f"contract:contract-{number}:1", at=T0)
                for number in range(1, RACED_MARKS + 1)
            ]
            pending = ports.outbox.pending()
        twice = [n for n, told in enumerate(answers, start=1) if told.count(True) != 1]
        assert not twice, (
            f"records {twice[:5]}: {len(twice)} of {RACED_MARKS} records raced were not marked "
            "delivered exactly once; mark_delivered must be a compare-and-set (PORT-3, PORT-5)"
        )
        assert pending == []

    def test_port_6_racing_claims_hand_each_record_to_one_worker(self) -> None:
        """Delivery workers claiming at once: every due record goes to exactly one (PORT-6)."""
        with self.racing_ports(self.racing_writers) as (ports, racers):
            for number in range(1, RACED_CLAIMS + 1):
                _terminated(ports.contracts, number)
            taken = claim_threads(racers, now=T0, lease=LEASE, limit=3)
            due = ports.outbox.pending(now=T0)
        keys = [key for worker in taken for key in worker]
        assert len(keys) == len(set(keys)), (
            f"{len(keys) - len(set(keys))} claims handed a record already claimed to another "
            "worker; a claim must be atomic (PORT-5, PORT-6)"
        )
        assert sorted(keys) == sorted(
            f"contract:contract-{n}:1" for n in range(1, RACED_CLAIMS + 1)
        )
        assert due == []


class ContractPortsContract(ContractRepositoryContract, OutboxContract):
    """The suite for a contract repository and its outbox (a subset of StorageContract).

    Subclass it and define :meth:`make_ports` (a fresh repository and the outbox it writes
    to, each call). Its races (PORT-5) run ``racing_writers`` threads on those ports:
    racing saves of one version and adds of one id (exactly one wins, no lost update),
    racing claims (each record to one worker) and marks (one delivery).
    """


class StorageContract(ContractPortsContract):
    """The port contract suite of every storage port of every domain (PORT-2, PORT-3, PORT-5).

    Subclass it and define :meth:`make_store` (a fresh, empty store each call). When your
    adapter can open another connection to the same database, subclass
    :class:`ProcessRaceContract` instead and define :meth:`store_factory`: the racing
    threads then also run on their own connections, and racing processes join them. The
    class attributes below size the races; lower ``racing_steps`` for a slow database
    rather than dropping the race.
    """

    racing_process_steps: int = 25
    """Steps each process race runs per repository (:class:`ProcessRaceContract`)."""

    def make_store(self) -> Store:
        """Return a fresh, empty store (the attributes of :class:`Store`)."""
        raise NotImplementedError

    def store_factory(self) -> Callable[[], Store] | None:
        """Return a picklable factory opening the database of the last :meth:`make_store`.

        Each call of the factory opens a new connection (a new store object) on the very
        database :meth:`make_store` just created, in this process or in a process started
        with "spawn". A store with a ``close()`` method is closed when the suite is done
        with it. ``None`` (the default) runs the racing threads on the one store of
        :meth:`make_store`; :class:`ProcessRaceContract` fails on ``None``.
        """
        return None

    @contextlib.contextmanager
    def racing_ports(self, count: int) -> Iterator[tuple[Any, list[Any]]]:
        """Yield a fresh store and ``count`` stores on it, new connections among them (PORT-5)."""
        store = self.make_store()
        with _connections(self, store, count) as stores:
            yield store, stores

    # -- PORT-2: get, add and save of every repository -----------------------------------------

    def test_port_2_every_repository_returns_an_added_aggregate_at_its_version(self) -> None:
        store = self.make_store()
        for found in SAMPLES:
            repository = getattr(store, found.port)
            new = found.new(f"{found.port}-1", "customer-1", 0)
            repository.add(new)
            loaded = repository.get(new.id)
            assert loaded == new.saved(), f"{found.port}: get returned another aggregate"
            assert loaded.pending_events == (), f"{found.port}: get returned pending events"
            assert loaded.version == new.version, f"{found.port}: the version changed"

    def test_port_2_every_repository_raises_not_found_for_an_unknown_id(self) -> None:
        store = self.make_store()
        for found in SAMPLES:
            repository = getattr(store, found.port)
            repository.add(found.new(f"{found.port}-1", "customer-1", 0))
            raised = _raises(NotFound, functools.partial(repository.get, "absent-404"))
            assert raised.id == "absent-404", f"{found.port}: NotFound names {raised.id!r}"

    def test_port_2_adding_a_taken_id_is_a_conflict_and_changes_nothing_in_every_repository(
        self,
    ) -> None:
        store = self.make_store()
        for found in SAMPLES:
            repository = getattr(store, found.port)
            first = found.new(f"{found.port}-1", "customer-1", 0)
            repository.add(first)
            before = _snapshot(store)
            again = found.new(first.id, "customer-1", 1)
            raised = _raises(ConcurrencyConflict, functools.partial(repository.add, again))
            assert raised.actual_version == first.version, f"{found.port}: {raised}"
            assert _snapshot(store) == before, f"{found.port}: a refused add changed the store"

    def test_port_2_a_stale_save_is_a_conflict_and_changes_nothing_in_every_repository(
        self,
    ) -> None:
        store = self.make_store()
        for found in SAMPLES:
            repository = getattr(store, found.port)
            repository.add(found.new(f"{found.port}-1", "customer-1", 0))
            loaded = repository.get(f"{found.port}-1")
            winner = found.step(loaded, 0, 0)
            repository.save(winner, expected_version=loaded.version)
            before = _snapshot(store)
            loser = found.step(loaded, 1, 0)
            raised = _raises(
                ConcurrencyConflict,
                functools.partial(repository.save, loser, expected_version=loaded.version),
            )
            assert (raised.expected_version, raised.actual_version) == (
                loaded.version,
                winner.version,
            ), f"{found.port}: {raised}"
            assert _snapshot(store) == before, f"{found.port}: a stale save changed the store"

    def test_port_2_saving_an_aggregate_never_added_is_a_conflict_in_every_repository(
        self,
    ) -> None:
        store = self.make_store()
        for found in SAMPLES:
            repository = getattr(store, found.port)
            new = found.new(f"{found.port}-1", "customer-1", 0)
            stepped = found.step(new.saved(), 0, 0)
            raised = _raises(
                ConcurrencyConflict,
                functools.partial(repository.save, stepped, expected_version=new.version),
            )
            assert raised.actual_version is None, f"{found.port}: {raised}"
            _raises(NotFound, functools.partial(repository.get, new.id))
        assert list(store.outbox.pending()) == []

    # -- PORT-3: state and events together, in one shared outbox ---------------------------

    def test_port_3_every_repository_writes_each_event_of_a_save_to_the_shared_outbox(
        self,
    ) -> None:
        store = self.make_store()
        expected: list[object] = []
        for found in SAMPLES:
            repository = getattr(store, found.port)
            new = found.new(f"{found.port}-1", "customer-1", 0)
            repository.add(new)
            expected += new.pending_events
            loaded = repository.get(new.id)
            stepped = found.step(loaded, 0, 0)
            repository.save(stepped, expected_version=loaded.version)
            expected += stepped.pending_events
            assert repository.get(new.id) == stepped.saved(), f"{found.port}: not stored"
        records = list(store.outbox.pending())
        assert [r.event for r in records] == expected
        assert [r.key for r in records] == [e.idempotency_key for e in expected]  # type: ignore[attr-defined]
        assert all(not r.is_delivered for r in records)
        assert [store.outbox.get(r.key) for r in records] == records

    def test_port_3_a_save_whose_events_do_not_fit_writes_nothing_in_every_repository(
        self,
    ) -> None:
        store = self.make_store()
        for found in SAMPLES:
            repository = getattr(store, found.port)
            repository.add(found.new(f"{found.port}-1", "customer-1", 0))
            loaded = repository.get(f"{found.port}-1")
            broken = attrs.evolve(found.step(loaded, 0, 0), pending_events=())  # no event
            before = _snapshot(store)
            _raises(
                ValidationError,
                functools.partial(repository.save, broken, expected_version=loaded.version),
            )
            assert _snapshot(store) == before, f"{found.port}: a refused save changed the store"

    # -- the queries: of_customer (SUB-5, SUB-7, IDC-2) and due (CON-5, IDC-2) --------------

    def test_sub_5_of_customer_lists_exactly_the_customers_aggregates_oldest_first(self) -> None:
        store = self.make_store()
        for found in SAMPLES:
            if found.customer is None:
                continue
            repository = getattr(store, found.port)
            for number, customer in ((1, "customer-a"), (2, "customer-b"), (3, "customer-a")):
                repository.add(found.new(f"{found.port}-{number}", customer, 0))
            first = repository.get(f"{found.port}-1")
            stepped = found.step(first, 0, 0)  # a save keeps its place in the list
            repository.save(stepped, expected_version=first.version)
            listed = list(repository.of_customer("customer-a"))
            assert listed == [stepped.saved(), repository.get(f"{found.port}-3")], found.port
            assert [a.id for a in repository.of_customer("customer-b")] == [f"{found.port}-2"]
            assert list(repository.of_customer("customer-404")) == []

    def test_idc_2_due_lists_the_pending_id_changes_whose_instant_came(self) -> None:
        store = self.make_store()
        for number in (1, 2):
            store.id_changes.add(due_id_change(f"idc-{number}", "customer-1"))
        pending = store.id_changes.get("idc-1")
        due = pending.due_at
        assert due is not None
        assert list(store.id_changes.due(due - timedelta(microseconds=1))) == []
        assert sorted(a.id for a in store.id_changes.due(due)) == ["idc-1", "idc-2"]
        applied = pending.apply_due(due)
        store.id_changes.save(applied, expected_version=pending.version)
        assert [a.id for a in store.id_changes.due(due + timedelta(days=1))] == ["idc-2"]

    # -- SUB-5: a site and an application in one unit of work (save_with_application) ------

    def test_sub_5_port_2_save_with_application_stores_a_new_site_and_an_application_update(
        self,
    ) -> None:
        store = self.make_store()
        store.applications.add(_application("applications-1"))
        loaded = store.applications.get("applications-1")
        application = _application_step(loaded, 0)
        site = _site_step(_site("sites-1"), 0)  # new, with an event: a started 拠点名変更
        before = list(store.outbox.pending())
        store.sites.save_with_application(
            site, site_version=None, application=application, application_version=loaded.version
        )
        assert store.sites.get(site.id) == site.saved()
        assert store.applications.get(application.id) == application.saved()
        assert [s.id for s in store.sites.of_customer("customer-1")] == [site.id]
        added = [r for r in store.outbox.pending() if r not in before]
        events = [*site.pending_events, *application.pending_events]
        assert sorted(r.key for r in added) == sorted(e.idempotency_key for e in events)
        assert all(r.event == {e.idempotency_key: e for e in events}[r.key] for r in added)

    def test_sub_5_port_2_save_with_application_stores_both_at_their_versions(self) -> None:
        store = self.make_store()
        store.sites.add(_site("sites-1"))
        store.applications.add(_application("applications-1"))
        for step in range(3):
            site = store.sites.get("sites-1")
            application = store.applications.get("applications-1")
            next_site = _site_step(site, step)
            next_application = _application_step(application, step)
            store.sites.save_with_application(
                next_site,
                site_version=site.version,
                application=next_application,
                application_version=application.version,
            )
            assert store.sites.get("sites-1") == next_site.saved()
            assert store.applications.get("applications-1") == next_application.saved()
        keys = [r.key for r in store.outbox.pending()]
        site, application = store.sites.get("sites-1"), store.applications.get("applications-1")
        assert [k for k in keys if k.startswith("site:")] == [
            f"site:sites-1:{version}" for version in range(1, site.version + 1)
        ]
        assert keys.count(f"application:applications-1:{application.version}") == 1

    def test_sub_5_port_2_a_stale_site_version_stores_neither_and_writes_no_event(self) -> None:
        store = self.make_store()
        store.sites.add(_site("sites-1"))
        store.applications.add(_application("applications-1"))
        site = store.sites.get("sites-1")
        store.sites.save(_site_step(site, 0), expected_version=site.version)  # the winner
        loaded = store.applications.get("applications-1")
        before = _snapshot(store)
        for application, version in (
            (_application_step(loaded, 0, writer=1), loaded.version),  # an update
            (_application("applications-2"), None),  # a new application
        ):
            raised = _raises(
                ConcurrencyConflict,
                functools.partial(
                    store.sites.save_with_application,
                    _site_step(site, 0, writer=1),
                    site_version=site.version,
                    application=application,
                    application_version=version,
                ),
            )
            assert (raised.aggregate_id, raised.expected_version) == ("sites-1", site.version)
            assert _snapshot(store) == before, "a refused save_with_application wrote something"

    def test_sub_5_port_2_a_stale_application_version_stores_neither(self) -> None:
        store = self.make_store()
        store.sites.add(_site("sites-1"))
        store.applications.add(_application("applications-1"))
        loaded = store.applications.get("applications-1")
        winner = _application_step(loaded, 0)
        store.applications.save(winner, expected_version=loaded.version)
        site = store.sites.get("sites-1")
        before = _snapshot(store)
        raised = _raises(
            ConcurrencyConflict,
            functools.partial(
                store.sites.save_with_application,
                _site_step(site, 0),
                site_version=site.version,
                application=_application_step(loaded, 0, writer=1),
                application_version=loaded.version,
            ),
        )
        assert (raised.aggregate_id, raised.expected_version, raised.actual_version) == (
            "applications-1",
            loaded.version,
            winner.version,
        )
        assert _snapshot(store) == before, "the site was stored without its application"

    def test_sub_5_port_2_a_taken_id_of_either_stores_neither(self) -> None:
        store = self.make_store()
        store.sites.add(_site("sites-1"))
        store.applications.add(_application("applications-1"))
        before = _snapshot(store)
        for site, application in (
            (_site("sites-1", writer=1), _application("applications-2")),  # the site's id
            (_site("sites-2"), _application("applications-1", writer=1)),  # the application's
        ):
            _raises(
                ConcurrencyConflict,
                functools.partial(
                    store.sites.save_with_application,
                    _site_step(site, 0),
                    site_version=None,
                    application=application,
                    application_version=None,
                ),
            )
            assert _snapshot(store) == before, "a refused save_with_application wrote something"

    def test_sub_5_port_3_save_with_application_whose_events_do_not_fit_stores_neither(
        self,
    ) -> None:
        store = self.make_store()
        store.sites.add(_site("sites-1"))
        store.applications.add(_application("applications-1"))
        site = store.sites.get("sites-1")
        loaded = store.applications.get("applications-1")
        broken = attrs.evolve(_application_step(loaded, 0), pending_events=())  # no event
        before = _snapshot(store)
        _raises(
            ValidationError,
            functools.partial(
                store.sites.save_with_application,
                _site_step(site, 0),
                site_version=site.version,
                application=broken,
                application_version=loaded.version,
            ),
        )
        assert _snapshot(store) == before, "a refused save_with_application wrote something"

    # -- SUB-7: the register of site names (save_with_application's names) ------------------

    def test_sub_7_save_with_application_stores_an_application_and_its_name_without_a_site(
        self,
    ) -> None:
        store = self.make_store()
        application = _named("applications-1")
        store.sites.save_with_application(
            None,
            site_version=None,
            application=application,
            application_version=None,
            names={application.id: [HONSHA]},
        )
        assert store.applications.get(application.id) == application.saved()
        assert dict(store.sites.held_names("customer-1")) == {HONSHA: "applications-1"}
        assert list(store.sites.of_customer("customer-1")) == []

    def test_sub_7_port_2_a_name_another_holder_holds_refuses_the_whole_save(self) -> None:
        """A taken name is a ValidationError of SUB-7 naming ``names``; nothing is written."""
        store = self.make_store()
        _take(store, "applications-1")
        store.sites.add(_site("sites-1"))
        site = store.sites.get("sites-1")
        before = _register(store)
        for stored_site, version, application in (
            (None, None, _named("applications-2")),  # a second creation of the name
            (_site_step(site, 0), site.version, _named("applications-2")),  # with a site
        ):
            holder = application.id if stored_site is None else stored_site.id
            refused = _raises(
                ValidationError,
                functools.partial(
                    store.sites.save_with_application,
                    stored_site,
                    site_version=version,
                    application=application,
                    application_version=None,
                    names={holder: [HONSHA]},
                ),
            )
            assert (refused.rule, refused.field) == ("SUB-7", "names"), refused
            assert _register(store) == before, "a save refused for a taken name wrote something"

    def test_sub_7_a_holders_names_are_replaced_and_released(self) -> None:
        store = self.make_store()
        loaded = _take(store, "applications-1")
        moved = _application_step(loaded, 0)
        store.sites.save_with_application(
            None,
            site_version=None,
            application=moved,
            application_version=loaded.version,
            names={loaded.id: [SHISHA]},
        )
        assert dict(store.sites.held_names("customer-1")) == {SHISHA: "applications-1"}
        _take(store, "applications-2")  # HONSHA is free again
        loaded = store.applications.get("applications-1")
        store.sites.save_with_application(
            None,
            site_version=None,
            application=_application_step(loaded, 1),
            application_version=loaded.version,
            names={loaded.id: []},  # released (an application closed, SUB-16)
        )
        assert dict(store.sites.held_names("customer-1")) == {HONSHA: "applications-2"}
        _take(store, "applications-3", SHISHA)

    def test_sub_7_a_rename_moves_its_name_to_the_site_and_frees_the_old_one_at_once(
        self,
    ) -> None:
        store = self.make_store()
        application = _named("applications-1", SHISHA)  # a 拠点名変更 reserving 支社
        new_site = _site_step(_site("sites-1"), 0)
        store.sites.save_with_application(
            new_site,
            site_version=None,
            application=application,
            application_version=None,
            names={"sites-1": [HONSHA], "applications-1": [SHISHA]},
        )
        assert dict(store.sites.held_names("customer-1")) == {
            HONSHA: "sites-1",
            SHISHA: "applications-1",
        }
        site = store.sites.get("sites-1")
        loaded = store.applications.get("applications-1")
        store.sites.save_with_application(
            _site_step(site, 1),
            site_version=site.version,
            application=_application_step(loaded, 0),
            application_version=loaded.version,
            names={"sites-1": [SHISHA], "applications-1": []},  # the rename's 承諾
        )
        assert dict(store.sites.held_names("customer-1")) == {SHISHA: "sites-1"}
        _take(store, "applications-2", HONSHA)  # the old name is free

    def test_sub_7_names_are_held_per_customer(self) -> None:
        store = self.make_store()
        _take(store, "applications-1")
        other = _named("applications-2", customer_id="customer-2")
        store.sites.save_with_application(
            None,
            site_version=None,
            application=other,
            application_version=None,
            names={other.id: [HONSHA]},
        )
        assert dict(store.sites.held_names("customer-1")) == {HONSHA: "applications-1"}
        assert dict(store.sites.held_names("customer-2")) == {HONSHA: "applications-2"}
        assert dict(store.sites.held_names("customer-404")) == {}

    def test_sub_7_port_2_a_stale_version_writes_no_name(self) -> None:
        store = self.make_store()
        loaded = _take(store, "applications-1")
        store.applications.save(_application_step(loaded, 0), expected_version=loaded.version)
        before = _register(store)
        _raises(
            ConcurrencyConflict,
            functools.partial(
                store.sites.save_with_application,
                None,
                site_version=None,
                application=_application_step(loaded, 0, writer=1),
                application_version=loaded.version,
                names={loaded.id: [SHISHA]},
            ),
        )
        assert _register(store) == before, "a stale save wrote a name"

    def test_sub_7_names_may_name_only_the_site_and_the_application_of_the_save(self) -> None:
        store = self.make_store()
        _take(store, "applications-1")
        before = _register(store)
        malformed: tuple[Any, ...] = (
            {"applications-1": [SHISHA]},  # another aggregate's holder id
            {"applications-2": "ABC(支社)"},  # text, not a list of names
            {"applications-2": ["ABC(支社)"]},  # a list of text, not of SiteName values
        )
        for names in malformed:
            refused = _raises(
                ValidationError,
                functools.partial(
                    store.sites.save_with_application,
                    None,
                    site_version=None,
                    application=_named("applications-2", SHISHA),
                    application_version=None,
                    names=names,
                ),
            )
            assert refused.field == "names", refused
            assert _register(store) == before, "a malformed names wrote something"

    # -- SUB-3(i): the sites whose scheduled fault-contact change is due ---------------------

    def test_sub_3_i_due_lists_the_sites_whose_scheduled_contact_change_came(self) -> None:
        store = self.make_store()
        store.sites.add(scheduled_site("sites-1", "customer-1"))
        store.sites.add(scheduled_site("sites-2", "customer-1", days=40))
        store.sites.add(_site("sites-3"))  # nothing scheduled
        site = store.sites.get("sites-1")
        due = site.next_due_at
        assert due is not None
        assert list(store.sites.due(due - timedelta(microseconds=1))) == []
        assert [s.id for s in store.sites.due(due)] == ["sites-1"]
        later = due + timedelta(days=10)
        assert [s.id for s in store.sites.due(later)] == ["sites-1", "sites-2"]  # earliest first
        applied = site.apply_due(due)
        store.sites.save(applied, expected_version=site.version)
        assert store.sites.get("sites-1").fault_contacts == site.scheduled_contacts[0].contacts
        assert [s.id for s in store.sites.due(later)] == ["sites-2"]

    # -- CON-8: the user directory ---------------------------------------------------------

    def test_con_8_the_directory_answers_none_for_an_account_it_does_not_hold(self) -> None:
        store = self.make_store()
        assert store.directory.role_of("contract-1", "nobody@example.co.jp") is None

    def test_con_8_issuing_an_administrator_is_idempotent_and_per_contract(self) -> None:
        store = self.make_store()
        heir = Contractor(name="佐藤 花子", email="hanako@example.co.jp")
        store.directory.issue_administrator("contract-1", heir)
        store.directory.issue_administrator("contract-1", heir)  # a retried first login
        role = store.directory.role_of("contract-1", heir.email)
        assert role is DirectoryRole.ADMINISTRATOR, f"role_of answered {role!r}"
        assert store.directory.role_of("contract-2", heir.email) is None

    def test_con_8_raising_an_administrator_again_changes_nothing(self) -> None:
        store = self.make_store()
        heir = Contractor(name="佐藤 花子", email="hanako@example.co.jp")
        store.directory.issue_administrator("contract-1", heir)
        store.directory.raise_to_administrator("contract-1", heir.email)
        store.directory.raise_to_administrator("contract-1", heir.email)
        assert store.directory.role_of("contract-1", heir.email) is DirectoryRole.ADMINISTRATOR

    # -- PORT-5: racing writers ------------------------------------------------------------

    def test_port_5_racing_threads_save_each_version_once_in_every_repository(self) -> None:
        """N threads load the same version and save at once: exactly one wins (PORT-2)."""
        store = self.make_store()
        with _connections(self, store, self.racing_writers) as stores:
            for found in SAMPLES:
                base_id = f"{found.port}-race"
                initials = add_racers(store, found.port, base_id, steps=self.racing_steps)
                attempts = race_threads(stores, found.port, base_id, steps=self.racing_steps)
                check_race(store, found.port, initials, attempts)

    def test_sub_5_port_5_racing_threads_save_a_site_with_an_application_once(self) -> None:
        """N threads store one site version, each with its own application: one wins (SUB-5).

        Every loser's application is absent and no outbox record holds a loser's event;
        with a store factory, half the writers race on their own connections (PORT-5).
        """
        store = self.make_store()
        initial = _site("sites-race")
        store.sites.add(initial)
        with _connections(self, store, self.racing_writers) as stores:
            attempts = race_with_application(stores, initial.id, steps=self.racing_steps)
        check_race_with_application(store, initial, attempts)

    def test_sub_7_port_5_racing_threads_take_each_site_name_once(self) -> None:
        """N threads each store a new application holding one name at once: one holds it.

        SUB-7, PORT-5; with a store factory, half the writers race on their own connections.
        """
        store = self.make_store()
        with _connections(self, store, self.racing_writers) as stores:
            attempts = race_names(stores, steps=self.racing_steps)
        check_names(store, attempts)

    def test_port_5_racing_threads_add_each_id_once_in_every_repository(self) -> None:
        """N threads add the same id at once: exactly one wins, only its events are stored."""
        store = self.make_store()
        with _connections(self, store, self.racing_writers) as stores:
            for found in SAMPLES:
                attempts = race_adds(stores, found.port, steps=self.racing_steps)
                check_adds(store, found.port, attempts)

    def test_port_5_racing_sweeps_transition_each_due_contract_once(self) -> None:
        """Sweepers racing over ``due`` transition every contract exactly once (CON-5)."""
        store = self.make_store()
        contracts = [_contract(number) for number in range(1, 21)]
        for contract in contracts:
            store.contracts.add(contract)
            loaded = store.contracts.get(contract.id)
            store.contracts.save(
                loaded.request_termination(actor=Actor.CONTRACTOR, at=T0),
                expected_version=loaded.version,
            )
        later = T0 + timedelta(days=60)
        with _connections(self, store, self.racing_writers) as stores:
            swept = sweep_threads(stores, later)
        purged = [store.contracts.get(c.id) for c in contracts]
        assert all(c.status is ContractStatus.PURGED for c in purged)
        assert sorted(swept) == sorted(c.id for c in purged), "a contract was swept twice"
        assert list(store.contracts.due(later)) == []
        keys = [r.key for r in store.outbox.pending()]
        assert len(keys) == len(set(keys)) == sum(c.version for c in purged)

    def test_con_10_redaction_leaves_another_kinds_events_with_the_same_id_alone(self) -> None:
        store = self.make_store()
        _terminated(store.contracts, 7)
        others = {}
        for found in SAMPLES:
            if found.port == "contracts":
                continue
            repository = getattr(store, found.port)
            new = found.new("contract-7", "customer-1", 0)
            repository.add(new)
            stored = repository.get("contract-7")
            following = found.step(stored, 0, 0)
            repository.save(following, expected_version=stored.version)
            events = [*new.pending_events, *following.pending_events]
            others[found.port] = [store.outbox.get(e.idempotency_key) for e in events]
        assert store.contracts.redact_events("contract-7", using=_everything_erased) == 1
        for port, records in others.items():
            after = [store.outbox.get(record.key) for record in records]
            assert after == records, f"{port}: redacting a contract rewrote its events"

    def test_con_10_remove_accounts_removes_every_account_of_that_contract_only(self) -> None:
        store = self.make_store()
        directory = store.directory
        owner = Contractor(name="山田 太郎", email="taro@example.co.jp")
        directory.issue_administrator("contract-1", owner)
        directory.raise_to_administrator("contract-1", owner.email)
        other = Contractor(name="佐藤 花子", email="hanako@example.co.jp")
        directory.issue_administrator("contract-1", other)
        directory.issue_administrator("contract-2", owner)
        assert directory.remove_accounts("contract-1") == 2
        assert directory.role_of("contract-1", owner.email) is None
        assert directory.role_of("contract-1", other.email) is None
        assert directory.role_of("contract-2", owner.email) is DirectoryRole.ADMINISTRATOR
        assert directory.remove_accounts("contract-1") == 0, "idempotent"

    def test_con_10_after_the_purge_no_stored_byte_holds_a_name_or_an_e_mail(self) -> None:
        """A whole life — change requested, cancelled, completed; terminated; purged (CON-10)."""
        store = self.make_store()
        clock = FixedClock(T0)
        service = ContractService(contracts=store.contracts, clock=clock, directory=store.directory)
        by = Principal.contractor("contract-erase")
        owner = Contractor(name="消去 一郎", email="erase-owner@purge-me.example.jp")
        first = Contractor(name="取消 二郎", email="erase-cancelled@purge-me.example.jp")
        heir = Contractor(name="承継 三郎", email="erase-heir@purge-me.example.jp")
        service.open_contract("contract-erase", contractor=owner, by=Principal.operator("op"))
        store.directory.issue_administrator("contract-erase", owner)
        store.directory.issue_administrator("contract-erase", first)
        service.request_contractor_change(
            "contract-erase", by=by, name=first.name, email=first.email
        )
        service.cancel_contractor_change("contract-erase", by=by)
        service.request_contractor_change("contract-erase", by=by, name=heir.name, email=heir.email)
        clock.advance(hours=1)
        service.record_first_login("contract-erase", by=by, login_email=heir.email)
        deliver_pending(store.outbox, RecordingNotifier(), clock=clock, settings=SETTINGS)
        service.request_termination("contract-erase", by=by)
        _terminated(store.contracts, 1)  # a neighbour, purged by the same sweep
        secrets = [p for c in (owner, first, heir) for p in (c.name, c.email)]
        raw = self.stored_bytes(store)
        assert all(secret.encode() in raw for secret in (owner.email, heir.email, heir.name)), (
            "stored_bytes() must return the store's raw stored data"
        )
        report = service.apply_due(T0 + timedelta(days=60), by=Principal.system())
        assert sorted(report.changed) == ["contract-1", "contract-erase"]
        purged = store.contracts.get("contract-erase")
        assert purged.status is ContractStatus.PURGED
        assert purged.contractor.is_erased
        assert purged.history, "the status history and the timeline instants remain"
        for person in (owner, first, heir):
            assert store.directory.role_of("contract-erase", person.email) is None
        for version in range(1, purged.version + 1):
            record = store.outbox.get(f"contract:contract-erase:{version}")
            fields = attrs.asdict(record.event, recurse=False).values()
            assert not any(isinstance(f, Contractor) and not f.is_erased for f in fields)
        raw = self.stored_bytes(store)
        leaked = [s for s in secrets if s.encode() in raw or s.casefold().encode() in raw]
        assert leaked == [], f"still stored after the purge: {leaked}"

    def test_con_10_a_purge_stopped_halfway_is_finished_by_the_next_sweep(self) -> None:
        store = self.make_store()
        _terminated(store.contracts, 1)
        owner = store.contracts.get("contract-1").contractor
        store.directory.issue_administrator("contract-1", owner)
        later = T0 + timedelta(days=60)
        stopped = _StopBeforeSave(store.contracts)
        halfway = ContractService(
            contracts=stopped, clock=FixedClock(later), directory=store.directory
        )
        _raises(_SweepStopped, lambda: halfway.apply_due(later, by=Principal.system()))
        assert store.contracts.get("contract-1").status is ContractStatus.TERMINATED
        assert store.directory.role_of("contract-1", owner.email) is None
        service = ContractService(
            contracts=store.contracts, clock=FixedClock(later), directory=store.directory
        )
        assert service.apply_due(later, by=Principal.system()).changed == ("contract-1",)
        assert store.contracts.get("contract-1").contractor.is_erased
        record = store.outbox.get("contract:contract-1:1")
        assert isinstance(record.event, TerminationRequested)
        assert record.event.contractor.is_erased
        assert service.apply_due(later, by=Principal.system()).changed == ()

    def stored_bytes(self, store: Store) -> bytes:
        """Return every byte ``store`` holds, as stored: files, tables, memory (CON-10).

        The erasure test searches them for the personal data it stored. The default knows
        :class:`~omakase_core.testing.InMemoryStore` (its records, pickled); a suite for any
        other adapter must define it (a database file's bytes, a dump of its tables), and
        fails otherwise, so that no erasure test passes unchecked.
        """
        given: object = store
        if isinstance(given, InMemoryStore):
            return pickle.dumps(
                [
                    given.outbox.records(),
                    given.directory._accounts,
                    *(getattr(given, found.port)._items for found in SAMPLES),
                ]
            )
        msg = f"{type(self).__name__} must define stored_bytes(store) for the CON-10 tests"
        raise NotImplementedError(msg)

    def test_port_5_two_connections_interleaving_get_and_save_step_by_step(self) -> None:
        """Two connections: both load, one saves, the other's save is stale (PORT-2)."""
        store = self.make_store()
        with _connections(self, store, 2) as (first, second):
            for found in SAMPLES:
                a, b = getattr(first, found.port), getattr(second, found.port)
                new = found.new(f"{found.port}-1", "customer-1", 0)
                a.add(new)
                rival = found.new(new.id, "customer-1", 1)
                _raises(ConcurrencyConflict, functools.partial(b.add, rival))
                loaded_a, loaded_b = a.get(new.id), b.get(new.id)
                assert loaded_b == loaded_a == new.saved(), f"{found.port}: add not visible"
                saved_a = found.step(loaded_a, 0, 0)
                a.save(saved_a, expected_version=loaded_a.version)
                stale_b = found.step(loaded_b, 1, 0)
                _raises(
                    ConcurrencyConflict,
                    functools.partial(b.save, stale_b, expected_version=loaded_b.version),
                )
                reloaded_b = b.get(new.id)
                assert reloaded_b == saved_a.saved(), f"{found.port}: a save not visible"
                saved_b = found.step(reloaded_b, 1, 1)
                if saved_b is None:
                    continue
                b.save(saved_b, expected_version=reloaded_b.version)
                stale_a = found.step(loaded_a, 0, 1)
                _raises(
                    ConcurrencyConflict,
                    functools.partial(a.save, stale_a, expected_version=loaded_a.version),
                )
                assert a.get(new.id) == saved_b.saved(), f"{found.port}: lost the second save"
                keys = [r.key for r in first.outbox.pending() if r.event.aggregate_id == new.id]
                events = [*new.pending_events, *saved_a.pending_events, *saved_b.pending_events]
                assert keys == [e.idempotency_key for e in events], f"{found.port}: {keys}"


class ProcessRaceContract(StorageContract):
    """:class:`StorageContract` and racing processes, for a store other processes open (PORT-5).

    Subclass it instead of :class:`StorageContract` when your adapter's database can be
    opened again, from this process or another: define :meth:`make_store` and
    :meth:`store_factory`. The racing threads then run on several connections too, and
    ``racing_writers`` processes race over every repository. A ``store_factory`` that
    returns ``None`` fails the race of processes: a store that cannot be opened twice
    belongs in :class:`StorageContract`.
    """

    def test_port_5_racing_processes_save_each_version_once_in_every_repository(self) -> None:
        """N processes ("spawn"), each on its own ``store_factory()`` store, race (PORT-5)."""
        store = self.make_store()
        factory = self.store_factory()
        if factory is None:  # a test that did nothing would pass: it fails instead
            msg = (
                "ProcessRaceContract needs store_factory() to return a picklable factory "
                "opening the database of make_store() (PORT-5); a store that cannot be opened "
                "from another process runs StorageContract instead"
            )
            raise AssertionError(msg)
        initials = {}
        for found in SAMPLES:
            base_id = f"{found.port}-race"
            initials[found.port] = add_racers(
                store, found.port, base_id, steps=self.racing_process_steps
            )
        results = race_processes(
            factory,
            [(found.port, f"{found.port}-race") for found in SAMPLES],
            writers=self.racing_writers,
            steps=self.racing_process_steps,
        )
        for found in SAMPLES:
            check_race(store, found.port, initials[found.port], results[found.port])

    def test_sub_7_port_5_racing_processes_take_each_site_name_once(self) -> None:
        """N processes ("spawn") each store a new application holding one name (SUB-7)."""
        store = self.make_store()
        factory = self.store_factory()
        if factory is None:  # a test that did nothing would pass: it fails instead
            msg = "ProcessRaceContract needs store_factory() to race processes (PORT-5)"
            raise AssertionError(msg)
        attempts = race_name_processes(
            factory, writers=self.racing_writers, steps=self.racing_process_steps
        )
        check_names(store, attempts)


def _snapshot(store: Store) -> tuple[object, ...]:
    """Return what the suite's tests can see of ``store``: its aggregates and its outbox."""
    seen: list[object] = [tuple(store.outbox.pending())]
    for found in SAMPLES:
        repository = getattr(store, found.port)
        for number in (1, 2, 3):
            try:
                seen.append(repository.get(f"{found.port}-{number}"))
            except NotFound:
                seen.append(None)
    return tuple(seen)


@contextlib.contextmanager
def _connections(suite: StorageContract, store: Store, count: int) -> Iterator[list[Store]]:
    """Yield ``count`` stores on the database of ``store``: itself, and new connections.

    Without a factory every writer shares ``store``; with one, every other writer opens its
    own connection, so the race runs both on one shared store and across connections.
    """
    factory = suite.store_factory()
    opened: list[Store] = []
    stores: list[Store] = []
    try:
        for index in range(count):
            if factory is None or index % 2 == 0:
                stores.append(store)
            else:
                opened.append(factory())
                stores.append(opened[-1])
        yield stores
    finally:
        for connection in opened:
            close = getattr(connection, "close", None)
            if callable(close):
                close()
