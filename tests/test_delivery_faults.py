"""Delivery under generated fault schedules: nothing lost, nothing under two keys (PORT-3, PORT-6).

Each scenario stores a few records, then lets delivery workers take turns on one outbox
while the notifier fails as the schedule says: a record failing its first ``k`` sends (by
record), a share of records failing (by rate: Hypothesis picks which), a record failing for
good, an event that cannot be rendered, a send so slow that its worker's lease expires and
another worker takes the record meanwhile, and a worker crashing mid-batch (a
``BaseException`` nothing catches: its claimed records are simply abandoned). Time moves
between turns. At the end the workers are healthy and the clock moves past every backoff and
lease until the outbox is quiet.

Then: every record is delivered or dead-lettered (0 lost); every record failing for good is
dead-lettered after exactly ``max_attempts`` counted attempts, one that cannot be rendered
at once; every other record is delivered, all its messages received; the receiver saw every
message under its one key and no key that is not a message's (0 delivered under two keys).
The scenario count is :data:`SCENARIOS` (10,000 by default; ``OMAKASE_FAULT_SCENARIOS``
lowers or raises it) on the in-memory outbox, and a twentieth of it on the shipped SQLite
adapter's outbox, each scenario on a fresh database.
"""

from __future__ import annotations

import contextlib
import enum
import os
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omakase_core.adapters.sqlite import SqliteStore
from omakase_core.calendar import JST
from omakase_core.codec import stored
from omakase_core.delivery import RetryPolicy, deliver_pending
from omakase_core.events import Event, OutboxRecord
from omakase_core.messages import Message, NotificationSettings, register_renderer
from omakase_core.testing import FixedClock, InMemoryOutbox

if TYPE_CHECKING:
    from omakase_core.adapters._sql import SqlOutbox

SCENARIOS: Final = int(os.environ.get("OMAKASE_FAULT_SCENARIOS", "10000"))
SQLITE_SCENARIOS: Final = max(1, SCENARIOS // 20)
"""The same schedules on the shipped SQLite outbox: a twentieth as many (a database each)."""
T0: Final = datetime(2026, 11, 25, 9, 0, tzinfo=JST)
POLICY: Final = RetryPolicy(
    max_attempts=6,
    base=timedelta(seconds=10),
    cap=timedelta(minutes=2),
    lease=timedelta(minutes=1),
)
SETTINGS: Final = NotificationSettings(
    contractor_login_url="https://portal.example.jp/contractor/login",
    first_login_url="https://portal.example.jp/first-login",
)
MAX_CRASHES: Final = 2
MAX_SLOW: Final = 1


class Fate(enum.Enum):
    """What the notifier does with one record's messages."""

    HEALTHY = "healthy"
    TRANSIENT = "transient"  # fails its first ``failures`` sends, then works
    PERMANENT = "permanent"  # every send fails
    UNRENDERABLE = "unrenderable"  # its event cannot be rendered: a bug


@stored("tests.delivery_faults.Probed")
@attrs.frozen(kw_only=True)
class Probed(Event):
    """A test event: how many messages it makes, and whether rendering it is a bug."""

    aggregate_type = "probe"

    messages: int
    unrenderable: bool = False


class RenderBug(RuntimeError):
    """What the renderer of an unrenderable probe raises."""


def _render(event: Probed, _: NotificationSettings) -> tuple[Message, ...]:
    if event.unrenderable:
        msg = f"no template for {event.idempotency_key}"
        raise RenderBug(msg)
    return tuple(
        Message(
            key=f"{event.idempotency_key}/{index}",
            event_key=event.idempotency_key,
            to=f"user{index}@example.co.jp",
            subject="件名",
            body=f"本文 {event.aggregate_id} {index}",
        )
        for index in range(event.messages)
    )


register_renderer(Probed, _render)


class WorkerCrash(BaseException):
    """A delivery worker dying mid-send: not an ``Exception``, so delivery cannot catch it."""


class SendFailed(ConnectionError):
    """A simulated network failure."""


@attrs.frozen(kw_only=True)
class Plan:
    """One record of the scenario and what happens to it."""

    messages: int
    fate: Fate
    failures: int  # TRANSIENT: how many sends fail first


@attrs.frozen(kw_only=True)
class Turn:
    """One delivery worker's turn: how many records it takes, what goes wrong with it."""

    limit: int | None
    crash_after: int | None  # sends before this worker crashes, or None
    slow_after: int | None  # sends before one send outlasts the lease, or None
    wait: timedelta  # how long the clock moves after the turn


class Receiver:
    """The deduplicating receiver: every message by key, and how often each key came."""

    def __init__(self) -> None:
        self.by_key: dict[str, Message] = {}
        self.sends: dict[str, int] = {}

    def receive(self, message: Message) -> None:
        previous = self.by_key.setdefault(message.key, message)
        assert previous == message, f"two different messages under the key {message.key}"
        self.sends[message.key] = self.sends.get(message.key, 0) + 1


class World:
    """The outbox, the clock, the receiver and the notifier's failure budget per record.

    The outbox is the in-memory one, or the shipped SQLite adapter's (``sqlite``).
    """

    def __init__(self, plans: list[Plan], *, sqlite: SqliteStore | None = None) -> None:
        self.clock = FixedClock(T0)
        self.outbox: InMemoryOutbox | SqlOutbox = (
            InMemoryOutbox() if sqlite is None else sqlite.outbox
        )
        self.receiver = Receiver()
        self.plans = {f"probe:p-{i}:1": plan for i, plan in enumerate(plans)}
        self.failures_left = {key: plan.failures for key, plan in self.plans.items()}
        self.send_calls: dict[str, int] = dict.fromkeys(self.plans, 0)
        records = [
            OutboxRecord.pending(
                Probed(
                    aggregate_id=f"p-{i}",
                    version=1,
                    occurred_at=T0,
                    messages=plan.messages,
                    unrenderable=plan.fate is Fate.UNRENDERABLE,
                )
            )
            for i, plan in enumerate(plans)
        ]
        if isinstance(self.outbox, InMemoryOutbox):
            with self.outbox._lock:
                self.outbox._check_new(records)
                self.outbox._append(records)
        else:
            assert sqlite is not None
            with sqlite._backend.writing() as session:
                self.outbox.insert(session, records)

    def deliver(self, notifier: Worker, limit: int | None) -> None:
        deliver_pending(
            self.outbox, notifier, clock=self.clock, settings=SETTINGS, limit=limit, policy=POLICY
        )


class Worker:
    """One delivery worker's notifier: the schedule's failures, a crash, a slow send."""

    def __init__(self, world: World, turn: Turn | None = None) -> None:
        self.world = world
        self.turn = turn
        self.sends = 0

    def send(self, message: Message) -> None:
        world, turn = self.world, self.turn
        if turn is not None and turn.crash_after == self.sends:
            raise WorkerCrash
        if turn is not None and turn.slow_after == self.sends:
            # the send outlasts the lease: meanwhile another worker finds the record free
            world.clock.advance(POLICY.lease)
            world.deliver(Worker(world), limit=None)
        self.sends += 1
        key = message.event_key
        world.send_calls[key] += 1
        plan = world.plans[key]
        if plan.fate is Fate.PERMANENT:
            raise SendFailed(key)
        if world.failures_left[key] > 0:
            world.failures_left[key] -= 1
            raise SendFailed(key)
        world.receiver.receive(message)


# The budget of failures a record that is not failing for good may meet and still be
# delivered: its own failures plus the attempts lost to crashes and slow sends.
TRANSIENT_BUDGET: Final = POLICY.max_attempts - 1 - MAX_CRASHES - MAX_SLOW


@st.composite
def plans(draw: st.DrawFn) -> list[Plan]:
    count = draw(st.integers(min_value=1, max_value=8))
    rate = draw(st.sampled_from([0.0, 0.25, 0.5, 1.0]))  # by rate: the share that flakes
    found = []
    for _ in range(count):
        fate = draw(st.sampled_from(Fate))
        if fate is Fate.HEALTHY and rate and draw(st.floats(0, 1)) < rate:
            fate = Fate.TRANSIENT
        failures = draw(st.integers(1, TRANSIENT_BUDGET)) if fate is Fate.TRANSIENT else 0
        found.append(
            Plan(messages=draw(st.integers(min_value=1, max_value=3)), fate=fate, failures=failures)
        )
    return found


@st.composite
def turns(draw: st.DrawFn) -> list[Turn]:
    count = draw(st.integers(min_value=1, max_value=8))
    crashes = draw(st.integers(min_value=0, max_value=MAX_CRASHES))
    slows = draw(st.integers(min_value=0, max_value=MAX_SLOW))
    crashing = set(draw(st.lists(st.integers(0, count - 1), max_size=crashes, unique=True)))
    slow = set(draw(st.lists(st.integers(0, count - 1), max_size=slows, unique=True)))
    return [
        Turn(
            limit=draw(st.none() | st.integers(min_value=0, max_value=5)),
            crash_after=draw(st.integers(0, 4)) if index in crashing else None,
            slow_after=draw(st.integers(0, 4)) if index in slow else None,
            wait=draw(
                st.sampled_from(
                    [
                        timedelta(0),
                        timedelta(seconds=5),
                        timedelta(seconds=30),
                        timedelta(minutes=5),
                    ]
                )
            ),
        )
        for index in range(count)
    ]


def run(world: World, schedule: list[Turn]) -> None:
    """Play the schedule, then drain with healthy workers until nothing is pending."""
    for turn in schedule:
        # a crashed worker's claimed records stay leased until the lease expires
        with contextlib.suppress(WorkerCrash):
            world.deliver(Worker(world, turn), limit=turn.limit)
        world.clock.advance(turn.wait)
    for _ in range(4 * POLICY.max_attempts):
        if not world.outbox.pending():
            return
        world.clock.advance(POLICY.cap + POLICY.lease)
        world.deliver(Worker(world), limit=None)
    raise AssertionError("the outbox never became quiet: a record is stuck (PORT-6)")


@settings(
    max_examples=SCENARIOS,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(plans=plans(), schedule=turns())
def test_port_6_fault_schedules_lose_nothing_and_send_nothing_under_two_keys(
    plans: list[Plan], schedule: list[Turn]
) -> None:
    world = World(plans)
    run(world, schedule)
    check(world)


@settings(
    max_examples=SQLITE_SCENARIOS,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(plans=plans(), schedule=turns())
def test_port_6_fault_schedules_on_the_sqlite_outbox_lose_nothing_either(
    plans: list[Plan], schedule: list[Turn]
) -> None:
    with SqliteStore(":memory:") as store:
        world = World(plans, sqlite=store)
        run(world, schedule)
        check(world)


def check(world: World) -> None:
    """Assert the scenario's outcome: nothing lost, nothing under two keys (PORT-3, PORT-6)."""
    expected_keys = {
        f"{key}/{index}" for key, plan in world.plans.items() for index in range(plan.messages)
    }
    assert set(world.receiver.by_key) <= expected_keys, "a message arrived under a foreign key"
    for key, plan in world.plans.items():
        record = world.outbox.get(key)
        assert record.is_delivered or record.is_dead_lettered, f"{key} was lost"
        assert record.lease is None, f"{key} is still leased"
        messages = {f"{key}/{index}" for index in range(plan.messages)}
        if plan.fate is Fate.PERMANENT:
            assert record.is_dead_lettered, f"{key} fails for good but was not dead-lettered"
            assert record.attempts == POLICY.max_attempts
            assert world.send_calls[key] <= POLICY.max_attempts
            assert not messages & set(world.receiver.by_key)
        elif plan.fate is Fate.UNRENDERABLE:
            assert record.is_dead_lettered
            assert record.last_error is not None
            assert "cannot be rendered" in record.last_error
            assert world.send_calls[key] == 0
        else:
            assert record.is_delivered, f"{key} ({plan.fate.value}) was not delivered"
            assert messages <= set(world.receiver.by_key), f"{key}: a message never arrived"


def test_port_6_the_suite_runs_at_least_ten_thousand_scenarios_by_default() -> None:
    assert SCENARIOS >= 10_000 or "OMAKASE_FAULT_SCENARIOS" in os.environ
