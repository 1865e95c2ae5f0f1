"""PORT-6 on the shipped stores: claims across processes, crashed workers, undecodable records.

The port contract suite (``test_storage_contract.py``) already holds both stores to the
outbox's protocol, racing threads included. Here, what only a real database shows: worker
*processes* claiming one outbox at once (each record to one of them), a worker killed with
``SIGKILL`` mid-batch whose records another worker takes once the lease has expired, a
stored event this release cannot decode, and malformed arguments. SQLite (a file) and
PostgreSQL (a real server), never skipped.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest

from omakase_core.calendar import JST
from omakase_core.delivery import RetryPolicy, deliver_pending
from omakase_core.errors import DecodeError, NotFound, OmakaseError
from omakase_core.events import encode_event, lost_lease_error
from omakase_core.testing import FixedClock, RecordingNotifier
from tests.adapters import workers
from tests.adapters.test_adapters import _execute, _terminated

if TYPE_CHECKING:
    import pathlib
    from collections.abc import Callable, Iterator

    from omakase_core.adapters._sql import SqlStore
    from tests.adapters.conftest import Databases

T0 = datetime(2026, 11, 2, 10, 0, tzinfo=JST)
NAIVE = datetime(2026, 1, 1)  # noqa: DTZ001  # the point: an instant without its zone
LEASE = workers.LEASE
RECORDS = 120
WORKERS = 3


@pytest.fixture(params=["sqlite", "postgres"])
def target(request: pytest.FixtureRequest, tmp_path: pathlib.Path) -> tuple[str, str]:
    """Return a fresh database of each adapter: (kind, file name or connection string)."""
    if request.param == "sqlite":
        return "sqlite", str(tmp_path / "outbox.db")
    databases: Databases = request.getfixturevalue("databases")
    return "postgres", databases.fresh()


@pytest.fixture
def store(target: tuple[str, str]) -> Iterator[SqlStore]:
    opened = workers.open_store(*target)
    yield opened
    opened.close()  # type: ignore[attr-defined]  # both shipped stores close


def _fill(store: SqlStore, count: int) -> list[str]:
    """Store ``count`` terminated contracts; return their events' keys, oldest first."""
    for number in range(1, count + 1):
        store.contracts.add(_terminated(number))
    return [f"contract:contract-{n}:1" for n in range(1, count + 1)]


def _run(processes: list[Any]) -> None:
    for process in processes:
        process.start()


def _stop(processes: list[Any]) -> None:
    for process in processes:  # a worker that hangs never keeps pytest from exiting
        process.join(timeout=60)
        if process.is_alive():
            process.terminate()
            process.join(timeout=10)


# -- PORT-6: worker processes ---------------------------------------------------------------------


def test_port_6_worker_processes_claiming_at_once_each_take_a_record_once(
    target: tuple[str, str], store: SqlStore
) -> None:
    """Three processes claim 5 at a time until none is left: every record goes to one."""
    keys = _fill(store, RECORDS)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(WORKERS, timeout=60)
    results: Any = context.Queue()
    processes = [
        context.Process(
            target=workers.claim_all, args=(*target, T0, 5, barrier, results), daemon=True
        )
        for _ in range(WORKERS)
    ]
    try:
        _run(processes)
        outcomes = [results.get(timeout=120) for _ in processes]
    finally:
        _stop(processes)
    assert all(kind == "claimed" for kind, _ in outcomes), outcomes
    claimed = [key for _, taken in outcomes for key in taken]
    assert sorted(claimed) == sorted(keys)  # none twice, none left out
    assert store.outbox.pending() == []


def test_port_6_a_worker_killed_mid_batch_loses_its_records_to_the_next_after_the_lease(
    target: tuple[str, str], store: SqlStore, tmp_path: pathlib.Path
) -> None:
    """SIGKILL right after its 3rd send: the rest of its claim waits for the lease.

    Then the next worker's claim counts the lost attempt (PORT-6) and sends every message
    the dead one did not mark delivered — the one it died on again, under the same key, so
    a deduplicating receiver sees every message once (PORT-3). Nothing is lost.
    """
    keys = _fill(store, 8)
    log = tmp_path / "sent.log"
    context = multiprocessing.get_context("spawn")
    crashing = context.Process(
        target=workers.deliver_then_crash, args=(*target, T0, str(log), 3), daemon=True
    )
    try:
        crashing.start()
        crashing.join(timeout=120)
    finally:
        _stop([crashing])
    assert crashing.exitcode == -signal.SIGKILL
    first = log.read_text().split()
    assert first == [f"{key}/contractor" for key in keys[:3]]
    assert [r.key for r in store.outbox.records() if r.is_delivered] == keys[:2]
    expired = T0 + LEASE
    assert all(r.leased_until == expired for r in store.outbox.pending())  # all 6 it claimed
    before_expiry = expired - timedelta(microseconds=1)
    assert store.outbox.claim(now=before_expiry, limit=10, lease=LEASE) == []
    notifier = RecordingNotifier()
    report = deliver_pending(
        store.outbox,
        notifier,
        clock=FixedClock(expired),
        settings=workers.SETTINGS,
        policy=RetryPolicy(lease=LEASE),
    )
    assert report.delivered == tuple(keys[2:])
    for key in keys[2:]:
        record = store.outbox.get(key)
        assert (record.attempts, record.last_error) == (1, lost_lease_error(expired))
    every = [*first, *notifier.keys()]
    assert set(every) == {f"{key}/contractor" for key in keys}  # none lost
    assert sorted(every) == sorted([*set(every), f"{keys[2]}/contractor"])  # one sent twice
    assert all(record.is_delivered for record in store.outbox.records())


# -- PORT-7: a stored event this release cannot decode -------------------------------------------

BROKEN = '{"type": "contract.NoSuchEvent", "schema": 1, "data": {}}'


def test_port_7_a_claim_dead_letters_an_undecodable_record_and_takes_the_next(
    store: SqlStore, caplog: pytest.LogCaptureFixture
) -> None:
    keys = _fill(store, 4)
    _execute(store, "UPDATE omakase_outbox SET event = {json} WHERE key = ?", BROKEN, keys[1])
    with caplog.at_level(logging.WARNING, logger="omakase_core.adapters"):
        claimed = store.outbox.claim(now=T0, limit=3, lease=LEASE)
    assert [record.key for record in claimed] == [keys[0], keys[2], keys[3]]
    assert keys[1] in caplog.text
    assert "dead-lettered" in caplog.text
    with pytest.raises(DecodeError):
        store.outbox.get(keys[1])
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="omakase_core.adapters"):
        assert store.outbox.dead_letters() == []  # left out of the list, and reported
        assert store.outbox.claim(now=T0 + LEASE, limit=10, lease=LEASE) != []
    assert keys[1] in caplog.text


def test_port_7_a_repaired_record_is_put_back_by_retry_dead_letter(store: SqlStore) -> None:
    keys = _fill(store, 2)
    (original,) = [r.event for r in store.outbox.records() if r.key == keys[0]]
    _execute(store, "UPDATE omakase_outbox SET event = {json} WHERE key = ?", BROKEN, keys[0])
    assert [r.key for r in store.outbox.claim(now=T0, limit=5, lease=LEASE)] == [keys[1]]
    assert store.outbox.retry_dead_letter(keys[0]) is True
    assert store.outbox.claim(now=T0, limit=5, lease=LEASE) == []  # still undecodable
    from omakase_core.codec import encode  # noqa: PLC0415  # the repair: a readable event

    _execute(
        store, "UPDATE omakase_outbox SET event = {json} WHERE key = ?", encode(original), keys[0]
    )
    assert store.outbox.retry_dead_letter(keys[0]) is True
    (record,) = store.outbox.claim(now=T0, limit=5, lease=LEASE)
    assert (record.key, record.event, record.attempts) == (keys[0], original, 0)
    assert record.last_error is not None
    assert "cannot be decoded" in record.last_error  # kept: why it was dead-lettered


def test_port_6_a_delivery_run_reports_the_undecodable_record_it_dead_lettered(
    store: SqlStore, caplog: pytest.LogCaptureFixture
) -> None:
    keys = _fill(store, 3)
    _execute(store, "UPDATE omakase_outbox SET event = {json} WHERE key = ?", BROKEN, keys[1])
    notifier = RecordingNotifier()
    with caplog.at_level(logging.WARNING, logger="omakase_core.adapters"):
        report = deliver_pending(
            store.outbox, notifier, clock=FixedClock(T0), settings=workers.SETTINGS
        )
    assert report.delivered == (keys[0], keys[2])
    ((key, reason),) = report.dead_lettered
    assert key == keys[1]
    assert "cannot be decoded" in reason
    assert "contract.NoSuchEvent" in reason
    assert report.failed == ()
    assert keys[1] in caplog.text


def test_port_6_an_undecodable_record_quoting_a_nul_is_dead_lettered_not_stuck(
    store: SqlStore,
) -> None:
    """A NUL quoted from damaged data never reaches the stored reason (PORT-6, PORT-7).

    PostgreSQL refuses a NUL in text: the claim would fail on that record at every run.
    """
    keys = _fill(store, 2)
    event = store.outbox.pending(limit=1)[0].event
    damaged = encode_event(event).replace('"aggregate_id"', '"x\\u0000y": 1, "aggregate_id"', 1)
    assert "\\u0000" in damaged
    _execute(store, "UPDATE omakase_outbox SET event = {json} WHERE key = ?", damaged, keys[0])
    claimed = store.outbox.claim(now=T0, limit=10, lease=LEASE)
    assert [record.key for record in claimed] == [keys[1]]
    ((key, reason),) = store.outbox.undecodable_dead_letters()
    assert key == keys[0]
    assert "cannot be decoded" in reason
    assert "\x00" not in reason


def test_port_6_an_undecodable_dead_letter_is_listed_for_the_operator(store: SqlStore) -> None:
    keys = _fill(store, 4)
    for key in (keys[1], keys[3]):
        _execute(store, "UPDATE omakase_outbox SET event = {json} WHERE key = ?", BROKEN, key)
    assert store.outbox.undecodable_dead_letters() == []  # not dead-lettered yet
    store.outbox.claim(now=T0, limit=10, lease=LEASE)
    listed = store.outbox.undecodable_dead_letters()
    assert [key for key, _ in listed] == [keys[1], keys[3]]  # oldest first
    assert all("cannot be decoded" in reason for _, reason in listed)
    assert store.outbox.undecodable_dead_letters(limit=1) == listed[:1]
    assert store.outbox.dead_letters() == []  # no record without its event
    assert store.outbox.retry_dead_letter(keys[1]) is True  # the operator's step, by key
    assert [key for key, _ in store.outbox.undecodable_dead_letters()] == [keys[3]]


def test_port_6_a_dead_letter_whose_event_no_longer_decodes_is_listed_as_undecodable(
    store: SqlStore,
) -> None:
    """Dead-lettered while readable (a render failure), unreadable since: still listed."""
    (key,) = _fill(store, 1)
    (record,) = store.outbox.claim(now=T0, limit=1, lease=LEASE)
    assert record.lease is not None
    store.outbox.record_failure(
        key, lease=record.lease, at=T0, error="cannot render", attempts=1, retry_at=None
    )
    assert [r.key for r in store.outbox.dead_letters()] == [key]
    assert store.outbox.undecodable_dead_letters() == []
    _execute(store, "UPDATE omakase_outbox SET event = {json} WHERE key = ?", BROKEN, key)
    ((listed, reason),) = store.outbox.undecodable_dead_letters()
    assert listed == key
    assert "contract.NoSuchEvent" in reason


def test_port_7_a_record_row_no_adapter_writes_is_a_decode_error_not_a_crash(
    store: SqlStore, caplog: pytest.LogCaptureFixture
) -> None:
    """A lease without its expiry (a hand-edited row): the record is malformed stored data."""
    keys = _fill(store, 2)
    _execute(store, "UPDATE omakase_outbox SET lease = ? WHERE key = ?", "by-hand", keys[0])
    with pytest.raises(DecodeError) as raised:
        store.outbox.get(keys[0])
    assert raised.value.type_name == "outbox record"
    with caplog.at_level(logging.WARNING, logger="omakase_core.adapters"):
        assert [r.key for r in store.outbox.pending()] == [keys[1]]
    assert keys[0] in caplog.text


def test_port_6_an_error_a_database_cannot_store_as_text_is_stored_readably(
    store: SqlStore,
) -> None:
    """A failure reason with a NUL or a lone surrogate (any exception's text) is kept."""
    (key,) = _fill(store, 1)
    (record,) = store.outbox.claim(now=T0, limit=1, lease=LEASE)
    assert record.lease is not None
    reported = store.outbox.record_failure(
        key, lease=record.lease, at=T0, error="bad\x00byte \ud800 end", attempts=1, retry_at=None
    )
    assert reported is True
    (dead,) = store.outbox.dead_letters()
    assert dead.last_error == "bad\ufffdbyte ? end"


def test_port_6_record_failure_with_a_lease_no_record_can_have_changes_nothing(
    store: SqlStore,
) -> None:
    (key,) = _fill(store, 1)
    store.outbox.claim(now=T0, limit=1, lease=LEASE)
    before = store.outbox.get(key)
    for lease in ("a\x00b", "\ud800", "x" * 5000):
        assert not store.outbox.record_failure(
            key, lease=lease, at=T0, error="boom", attempts=1, retry_at=None
        )
    assert store.outbox.get(key) == before
    with pytest.raises(NotFound):
        store.outbox.record_failure(
            "contract:nobody:1", lease="x", at=T0, error="boom", attempts=1, retry_at=None
        )
    with pytest.raises(NotFound):
        store.outbox.retry_dead_letter("contract:nobody:1")


# -- SEC-2: malformed arguments -------------------------------------------------------------------

KEY = "contract:contract-1:1"
BAD_CALLS: list[tuple[str, Callable[[Any], object], str]] = [
    ("pending: a naive now", lambda s: s.outbox.pending(now=NAIVE), "now"),
    ("claim: a naive now", lambda s: s.outbox.claim(now=NAIVE, limit=1, lease=LEASE), "now"),
    ("claim: a text limit", lambda s: s.outbox.claim(now=T0, limit="1", lease=LEASE), "limit"),
    ("claim: a negative limit", lambda s: s.outbox.claim(now=T0, limit=-1, lease=LEASE), "limit"),
    ("claim: a zero lease", lambda s: s.outbox.claim(now=T0, limit=1, lease=timedelta(0)), "lease"),
    ("claim: seconds", lambda s: s.outbox.claim(now=T0, limit=1, lease=300), "lease"),
    (
        "claim: a lease past the year 9999",
        lambda s: s.outbox.claim(now=T0, limit=1, lease=timedelta.max),
        "lease",
    ),
    (
        "record_failure: an int lease",
        lambda s: s.outbox.record_failure(
            KEY, lease=1, at=T0, error="x", attempts=1, retry_at=None
        ),
        "lease",
    ),
    (
        "record_failure: no error",
        lambda s: s.outbox.record_failure(
            KEY, lease="l", at=T0, error="", attempts=1, retry_at=None
        ),
        "error",
    ),
    (
        "record_failure: negative attempts",
        lambda s: s.outbox.record_failure(
            KEY, lease="l", at=T0, error="x", attempts=-1, retry_at=None
        ),
        "attempts",
    ),
    (
        "record_failure: a naive retry_at",
        lambda s: s.outbox.record_failure(
            KEY, lease="l", at=T0, error="x", attempts=1, retry_at=NAIVE
        ),
        "retry_at",
    ),
    (
        "record_failure: a naive at",
        lambda s: s.outbox.record_failure(
            KEY, lease="l", at=NAIVE, error="x", attempts=1, retry_at=None
        ),
        "at",
    ),
    ("retry_dead_letter: bytes", lambda s: s.outbox.retry_dead_letter(KEY.encode()), "key"),
    ("dead_letters: a float limit", lambda s: s.outbox.dead_letters(limit=1.0), "limit"),
    (
        "redact_events: an int id",
        lambda s: s.contracts.redact_events(1, using=lambda e: e),
        "aggregate_id",
    ),
    (
        "redact_events: no function",
        lambda s: s.contracts.redact_events("contract-1", using=None),
        "using",
    ),
    ("remove_accounts: a blank id", lambda s: s.directory.remove_accounts(" "), "contract_id"),
]


@pytest.mark.parametrize(
    ("call", "field"), [(c, f) for _, c, f in BAD_CALLS], ids=[label for label, _, _ in BAD_CALLS]
)
def test_sec_2_a_malformed_delivery_or_erasure_argument_is_refused_naming_it(
    store: SqlStore, call: Callable[[Any], object], field: str
) -> None:
    _fill(store, 1)
    store.directory.issue_administrator("contract-1", _terminated(1).contractor)
    before = (store.outbox.records(), store.directory.accounts("contract-1"))
    with pytest.raises(OmakaseError) as raised:  # a ValidationError, a NaiveDatetimeError
        call(store)
    assert getattr(raised.value, "field", None) == field
    assert (store.outbox.records(), store.directory.accounts("contract-1")) == before
