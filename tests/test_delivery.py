"""Retries, backoff and dead letters of deliver_pending (PORT-6), on the in-memory outbox.

The outbox side (claims, leases, reports) is the port contract suite's
(:mod:`omakase_core.testing`); these tests are about the delivery worker's decisions.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from omakase_core import ValidationError
from omakase_core.calendar import JST
from omakase_core.delivery import RetryPolicy, deliver_pending
from omakase_core.events import Event, OutboxRecord
from omakase_core.messages import Message, NotificationSettings, register_renderer
from omakase_core.testing import FixedClock, InMemoryOutbox, RecordingNotifier

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=JST)
SETTINGS = NotificationSettings(
    contractor_login_url="https://portal.example.jp/contractor/login",
    first_login_url="https://portal.example.jp/first-login",
)


@attrs.frozen(kw_only=True)
class Noticed(Event):
    """A test event with one message, or a renderer bug when ``broken``."""

    aggregate_type = "noticed"

    broken: bool = False


def _render(event: Noticed, _: NotificationSettings) -> tuple[Message, ...]:
    if event.broken:
        msg = "template missing"
        raise KeyError(msg)
    return (
        Message(
            key=f"{event.idempotency_key}/to",
            event_key=event.idempotency_key,
            to="someone@example.co.jp",
            subject="お知らせ",
            body="本文",
        ),
    )


register_renderer(Noticed, _render)


def _outbox(*broken: bool) -> InMemoryOutbox:
    outbox = InMemoryOutbox()
    records = [
        OutboxRecord.pending(Noticed(aggregate_id=f"n-{i}", version=1, occurred_at=T0, broken=b))
        for i, b in enumerate(broken)
    ]
    with outbox._lock:
        outbox._append(records)
    return outbox


def test_port_6_an_event_that_cannot_be_rendered_is_dead_lettered_at_once() -> None:
    outbox = _outbox(True, False)
    notifier = RecordingNotifier()
    report = deliver_pending(outbox, notifier, clock=FixedClock(T0), settings=SETTINGS)
    assert report.delivered == ("noticed:n-1:1",)
    assert [key for key, _ in report.dead_lettered] == ["noticed:n-0:1"]
    assert "cannot be rendered" in report.dead_lettered[0][1]
    assert "KeyError" in report.dead_lettered[0][1]
    record = outbox.get("noticed:n-0:1")
    assert record.is_dead_lettered
    assert record.attempts == 1
    later = deliver_pending(
        outbox, notifier, clock=FixedClock(T0 + timedelta(days=30)), settings=SETTINGS
    )
    assert (later.delivered, later.dead_lettered, later.failed) == ((), (), ())


def test_port_6_an_operator_puts_a_dead_letter_back_and_the_next_run_delivers_it() -> None:
    outbox = _outbox(False)
    notifier = RecordingNotifier()
    notifier.fail_next(2)
    policy = RetryPolicy(max_attempts=2, base=timedelta(seconds=1), cap=timedelta(seconds=1))
    clock = FixedClock(T0)
    first = deliver_pending(outbox, notifier, clock=clock, settings=SETTINGS, policy=policy)
    clock.advance(seconds=1)
    second = deliver_pending(outbox, notifier, clock=clock, settings=SETTINGS, policy=policy)
    assert [key for key, _ in first.failed] == ["noticed:n-0:1"]
    assert [key for key, _ in second.dead_lettered] == ["noticed:n-0:1"]
    assert outbox.retry_dead_letter("noticed:n-0:1") is True
    third = deliver_pending(outbox, notifier, clock=clock, settings=SETTINGS, policy=policy)
    assert third.delivered == ("noticed:n-0:1",)
    assert notifier.keys() == ["noticed:n-0:1/to"]


def test_port_6_a_record_waits_its_backoff_then_is_retried() -> None:
    outbox = _outbox(False)
    notifier = RecordingNotifier()
    notifier.fail_next(1)
    policy = RetryPolicy(base=timedelta(seconds=30))
    clock = FixedClock(T0)
    deliver_pending(outbox, notifier, clock=clock, settings=SETTINGS, policy=policy)
    record = outbox.get("noticed:n-0:1")
    assert record.next_attempt_at == T0 + timedelta(seconds=30)
    assert record.attempts == 1
    clock.advance(seconds=29)
    assert deliver_pending(outbox, notifier, clock=clock, settings=SETTINGS).delivered == ()
    clock.advance(seconds=1)
    assert deliver_pending(outbox, notifier, clock=clock, settings=SETTINGS).delivered == (
        "noticed:n-0:1",
    )


def test_port_6_the_backoff_doubles_up_to_the_cap() -> None:
    policy = RetryPolicy(base=timedelta(seconds=10), cap=timedelta(seconds=75))
    waits = [policy.delay("k", n).total_seconds() for n in range(1, 7)]
    assert waits == [10, 20, 40, 75, 75, 75]
    assert policy.delay("k", 1000) == timedelta(seconds=75)


@given(key=st.text(max_size=30), attempts=st.integers(min_value=1, max_value=1000))
def test_port_6_jitter_is_deterministic_per_key_and_never_exceeds_the_wait(
    key: str, attempts: int
) -> None:
    plain = RetryPolicy(base=timedelta(seconds=5), cap=timedelta(minutes=10))
    jittered = attrs.evolve(plain, jitter=0.5)
    wait = jittered.delay(key, attempts)
    assert wait == jittered.delay(key, attempts)
    assert plain.delay(key, attempts) / 2 <= wait <= plain.delay(key, attempts)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("max_attempts", 0),
        ("max_attempts", True),
        ("max_attempts", 8.0),
        ("base", timedelta(0)),
        ("base", 30),
        ("cap", timedelta(days=31)),
        ("lease", timedelta(seconds=-1)),
        ("jitter", 1.0),
        ("jitter", float("nan")),
    ],
)
def test_port_6_a_retry_policy_refuses_impossible_settings(field: str, value: object) -> None:
    with pytest.raises(ValidationError) as raised:
        RetryPolicy(**{field: value})  # type: ignore[arg-type]  # the refusal is the test
    assert raised.value.field == field
    assert raised.value.rule == "PORT-6"


def test_port_6_a_cap_below_the_base_is_refused() -> None:
    with pytest.raises(ValidationError, match="cap"):
        RetryPolicy(base=timedelta(minutes=5), cap=timedelta(minutes=1))


class Refusing:
    """A notifier whose own check refuses the message (a library error: a bug, not an outage)."""

    def __init__(self) -> None:
        self.calls = 0

    def send(self, message: Message) -> None:
        self.calls += 1
        msg = f"message.to {message.to!r} is not an address this notifier can send to"
        raise ValidationError(msg, field="message")


def test_port_6_a_message_the_notifier_refuses_itself_is_dead_lettered_at_once() -> None:
    outbox = _outbox(False)
    notifier = Refusing()
    report = deliver_pending(outbox, notifier, clock=FixedClock(T0), settings=SETTINGS)
    assert [key for key, _ in report.dead_lettered] == ["noticed:n-0:1"]
    assert "the notifier refused the message" in report.dead_lettered[0][1]
    assert notifier.calls == 1
    assert outbox.get("noticed:n-0:1").attempts == 1


def test_port_6_a_clock_too_late_to_schedule_a_retry_is_refused_before_anything_is_claimed() -> (
    None
):
    outbox = _outbox(False)
    late = FixedClock(datetime(9999, 12, 31, 12, 0, tzinfo=JST))
    with pytest.raises(ValidationError) as raised:
        deliver_pending(outbox, RecordingNotifier(), clock=late, settings=SETTINGS)
    assert raised.value.field == "clock"
    assert outbox.get("noticed:n-0:1").lease is None


def test_port_6_a_claim_too_late_in_the_calendar_for_its_lease_is_refused() -> None:
    outbox = _outbox(False)
    with pytest.raises(ValidationError) as raised:
        outbox.claim(
            now=datetime(9999, 12, 31, 23, 0, tzinfo=JST), limit=1, lease=timedelta(days=30)
        )
    assert raised.value.field == "now"
    assert outbox.get("noticed:n-0:1").lease is None


class SlowNotifier(RecordingNotifier):
    """A notifier whose every send takes 40 seconds of the clock's time."""

    def __init__(self, clock: FixedClock) -> None:
        super().__init__()
        self.clock = clock

    def send(self, message: Message) -> None:
        self.clock.advance(seconds=40)
        super().send(message)


def test_port_6_each_batch_is_leased_from_its_own_claim_so_a_long_run_loses_nothing() -> None:
    """A run longer than the lease: later batches are not born expired and charged for it."""
    outbox = _outbox(*([False] * 30))
    clock = FixedClock(T0)
    policy = RetryPolicy(lease=timedelta(minutes=5), batch=5)  # 5 x 40 s < 5 min
    report = deliver_pending(
        outbox, SlowNotifier(clock), clock=clock, settings=SETTINGS, policy=policy
    )
    assert len(report.delivered) == 30
    assert report.failed == report.dead_lettered == ()
    assert all(record.attempts == 0 for record in outbox.records())


class _Claimed(list[OutboxRecord]):
    """A claim's result listing what it dead-lettered undecoded, as the SQL adapters' do."""

    def __init__(self, records: list[OutboxRecord], undecodable: object) -> None:
        super().__init__(records)
        self.undecodable = undecodable


class _UndecodingOutbox(InMemoryOutbox):
    """An outbox whose first claim says it dead-lettered ``undecodable`` (PORT-7)."""

    def __init__(self, undecodable: object) -> None:
        super().__init__()
        self.undecodable: object = undecodable

    def claim(self, *, now: datetime, limit: int, lease: timedelta) -> list[OutboxRecord]:
        found, self.undecodable = self.undecodable, ()
        return _Claimed(list(super().claim(now=now, limit=limit, lease=lease)), found)


def _undecoding(undecodable: object) -> _UndecodingOutbox:
    outbox = _UndecodingOutbox(undecodable)
    record = OutboxRecord.pending(Noticed(aggregate_id="n-0", version=1, occurred_at=T0))
    with outbox._lock:
        outbox._append([record])
    return outbox


def test_port_6_a_record_the_claim_dead_lettered_undecoded_is_in_the_report() -> None:
    reason = "the stored event cannot be decoded (PORT-7): unknown type"
    outbox = _undecoding((("noticed:n-9:1", reason),))
    report = deliver_pending(outbox, RecordingNotifier(), clock=FixedClock(T0), settings=SETTINGS)
    assert report.delivered == ("noticed:n-0:1",)
    assert report.dead_lettered == (("noticed:n-9:1", reason),)
    assert report.failed == ()


@pytest.mark.parametrize(
    "undecodable", [["noticed:n-9:1"], (("noticed:n-9:1",),), (("noticed:n-9:1", 7),), "key"]
)
def test_port_6_a_claim_listing_malformed_undecodable_records_is_refused(
    undecodable: object,
) -> None:
    outbox = _undecoding(undecodable)
    with pytest.raises(ValidationError) as raised:
        deliver_pending(outbox, RecordingNotifier(), clock=FixedClock(T0), settings=SETTINGS)
    assert (raised.value.field, raised.value.rule) == ("outbox", "PORT-6")
