"""Delivery of the outbox's events as messages: at least once, never stalled (PORT-3, PORT-6).

:func:`deliver_pending` is one run of a delivery worker. It *claims* due records from the
outbox (each leased to this run until ``now + policy.lease``, so several workers — threads,
processes, machines — never send one record at once), renders each record's messages and
sends them, then reports each record:

- sent: the record is marked delivered;
- the notifier raised: the attempt is counted and the record waits (exponential backoff,
  :class:`RetryPolicy`) before it is claimed again; the other records go on, so a failing
  record never holds back the ones behind it, whatever the ``limit``;
- after ``policy.max_attempts`` counted attempts, or at once when the stored event cannot
  be decoded (the outbox's claim dead-letters it and lists it as ``undecodable``) or
  rendered, or the notifier refuses the message itself with an
  :class:`~omakase_core.errors.OmakaseError` (a bug, not a passing failure), the record is
  *dead-lettered*: kept, reported in
  :attr:`DeliveryReport.dead_lettered`, never retried by itself, until an operator calls
  :meth:`~omakase_core.ports.Outbox.retry_dead_letter`.

A worker that crashes mid-batch reports nothing: its leases expire and another worker's
claim takes those records, counting the lost attempt. Retries send the same message keys,
so a deduplicating receiver sees each message once.

SEC-2: the arguments are checked before anything is claimed or sent. An outbox, a notifier
or a clock without the methods of its port, settings that are not
:class:`~omakase_core.messages.NotificationSettings`, a policy that is not a
:class:`RetryPolicy`, or a ``limit`` that is not ``None`` or a non-negative ``int``
(``"3"``, ``3.0``, ``True`` included) is a ``ValidationError`` naming the parameter, and
nothing is claimed.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Final

import attrs

from omakase_core._validation import check_port, count_validator
from omakase_core.calendar import to_jst
from omakase_core.errors import OmakaseError, ValidationError, excerpt
from omakase_core.messages import NotificationSettings, render

if TYPE_CHECKING:
    from omakase_core.events import OutboxRecord
    from omakase_core.ports import Clock, Notifier, Outbox

__all__ = ["DeliveryReport", "RetryPolicy", "deliver_pending"]

_MAX_REASON: Final = 200
"""The longest failure reason a report keeps: a notifier's error may be long."""
_MAX_BATCH: Final = 10_000
"""The most records one claim may take."""
_MAX_ATTEMPTS: Final = 1000
"""The most attempts a policy may allow."""
_MAX_DELAY: Final = timedelta(days=30)
"""The longest backoff, lease or cap a policy may set."""
_LATEST: Final = datetime.max.replace(tzinfo=UTC)
"""The latest instant Python can hold: a run must be able to schedule its retries."""
_MARGIN: Final = timedelta(days=2)
"""How much later than its start a run's retries may be scheduled (a slow run, zones)."""


def _keys(_: object, attribute: attrs.Attribute[tuple[str, ...]], value: object) -> None:
    if not isinstance(value, tuple) or not all(isinstance(key, str) for key in value):
        msg = f"{attribute.name} must be a tuple of record keys, not {excerpt(value)}"
        raise ValidationError(msg, field=attribute.name, rule="PORT-3")


def _failures(
    _: object, attribute: attrs.Attribute[tuple[tuple[str, str], ...]], value: object
) -> None:
    if not isinstance(value, tuple) or not all(
        isinstance(item, tuple) and len(item) == 2 and all(isinstance(s, str) for s in item)
        for item in value
    ):
        msg = f"{attribute.name} must be a tuple of (key, reason) pairs, not {excerpt(value)}"
        raise ValidationError(msg, field=attribute.name, rule="PORT-3")


_count = count_validator("PORT-3")


@attrs.frozen(kw_only=True)
class DeliveryReport:
    """What one :func:`deliver_pending` run did (PORT-6).

    ``delivered`` lists the keys marked delivered; ``failed`` the records that will be
    tried again (key, reason); ``dead_lettered`` those given up (key, reason);
    ``messages_sent`` counts the notifier's successful sends.
    """

    delivered: tuple[str, ...] = attrs.field(validator=_keys)
    failed: tuple[tuple[str, str], ...] = attrs.field(validator=_failures)
    messages_sent: int = attrs.field(validator=_count)
    dead_lettered: tuple[tuple[str, str], ...] = attrs.field(default=(), validator=_failures)


def _attempts(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    if type(value) is not int or not 1 <= value <= _MAX_ATTEMPTS:
        msg = f"{attribute.name} must be an int from 1 to {_MAX_ATTEMPTS}, not {excerpt(value)}"
        raise ValidationError(msg, field=attribute.name, rule="PORT-6")


def _duration(_: object, attribute: attrs.Attribute[timedelta], value: object) -> None:
    if type(value) is not timedelta or not timedelta(0) < value <= _MAX_DELAY:
        msg = (
            f"{attribute.name} must be a timedelta above 0 and at most {_MAX_DELAY.days} days, "
            f"not {excerpt(value)}"
        )
        raise ValidationError(msg, field=attribute.name, rule="PORT-6")


def _jitter(_: object, attribute: attrs.Attribute[float], value: object) -> None:
    if type(value) not in (int, float) or not 0 <= value < 1:  # type: ignore[operator]  # checked
        msg = f"{attribute.name} must be a number from 0 to below 1, not {excerpt(value)}"
        raise ValidationError(msg, field=attribute.name, rule="PORT-6")


def _batch(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    if type(value) is not int or not 1 <= value <= _MAX_BATCH:
        msg = f"{attribute.name} must be an int from 1 to {_MAX_BATCH}, not {excerpt(value)}"
        raise ValidationError(msg, field=attribute.name, rule="PORT-6")


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """How delivery retries a failing record (PORT-6); deterministic.

    ``max_attempts`` counted attempts (failed sends and lost leases) dead-letter a record.
    After its ``n``-th failed attempt a record waits ``min(cap, base * 2**(n - 1))``; with
    ``jitter`` above 0, up to that fraction of the wait is taken off, by an amount derived
    from the record's key and ``n`` (so two runs agree, and records failing together spread
    out). ``lease`` is how long a worker holds the records it claimed, and ``batch`` how many
    one claim takes: keep ``batch`` times the slowest send well under the lease, or the
    last records of a batch find their lease expired and wait for the next claim.

    >>> policy = RetryPolicy(base=timedelta(seconds=30), cap=timedelta(minutes=5))
    >>> [str(policy.delay("contract:c-1:1", n)) for n in (1, 2, 3, 4, 5)]
    ['0:00:30', '0:01:00', '0:02:00', '0:04:00', '0:05:00']
    """

    max_attempts: int = attrs.field(default=8, validator=_attempts)
    base: timedelta = attrs.field(default=timedelta(seconds=30), validator=_duration)
    cap: timedelta = attrs.field(default=timedelta(hours=1), validator=_duration)
    lease: timedelta = attrs.field(default=timedelta(minutes=5), validator=_duration)
    jitter: float = attrs.field(default=0.0, validator=_jitter)
    batch: int = attrs.field(default=10, validator=_batch)

    def __attrs_post_init__(self) -> None:
        """Refuse a cap below the base wait (PORT-6)."""
        if self.cap < self.base:
            msg = f"cap ({self.cap}) must not be below base ({self.base})"
            raise ValidationError(msg, field="cap", rule="PORT-6")

    def delay(self, key: str, attempts: int) -> timedelta:
        """Return how long a record waits after its ``attempts``-th failed attempt."""
        if type(key) is not str:
            msg = f"key must be an outbox record's key (text), not {type(key).__name__}"
            raise ValidationError(msg, field="key", rule="PORT-6")
        if type(attempts) is not int or not 1 <= attempts <= _MAX_ATTEMPTS:
            msg = f"attempts must be an int from 1 to {_MAX_ATTEMPTS}, not {excerpt(attempts)}"
            raise ValidationError(msg, field="attempts", rule="PORT-6")
        doublings = min(attempts - 1, 40)  # 2**40 times any base exceeds every cap
        wait = min(self.cap, self.base * (1 << max(doublings, 0)))
        if self.jitter:
            digest = hashlib.sha256(f"{key}\x00{attempts}".encode("utf-8", "surrogatepass"))
            fraction = int.from_bytes(digest.digest()[:8]) / 2**64
            wait -= wait * (self.jitter * fraction)
        return wait


def _check_arguments(  # noqa: PLR0913, PLR0917  # deliver_pending's arguments, in order
    outbox: object, notifier: object, clock: object, settings: object, limit: object, policy: object
) -> None:
    check_port(
        outbox,
        field="outbox",
        port="an Outbox",
        methods=("claim", "mark_delivered", "record_failure"),
    )
    check_port(notifier, field="notifier", port="a Notifier", methods=("send",))
    check_port(clock, field="clock", port="a Clock", methods=("now",))
    if not isinstance(settings, NotificationSettings):
        msg = f"settings must be NotificationSettings, not {type(settings).__name__}"
        raise ValidationError(msg, field="settings")
    if limit is not None and (type(limit) is not int or limit < 0):
        msg = f"limit must be None or a non-negative int, not {type(limit).__name__} "
        raise ValidationError(msg + excerpt(limit), field="limit")
    if not isinstance(policy, RetryPolicy):
        msg = f"policy must be a RetryPolicy, not {type(policy).__name__}"
        raise ValidationError(msg, field="policy", rule="PORT-6")


def _undecodable(records: object) -> list[tuple[str, str]]:
    """Return ``(key, reason)`` of the records a claim dead-lettered undecoded (PORT-6, PORT-7).

    An outbox whose stored events may not decode (the SQL adapters) dead-letters such a
    record in its claim and lists it in the claim's result as ``undecodable``; the run
    reports it. A claim's result without the attribute dead-lettered none.
    """
    found: object = getattr(records, "undecodable", ())
    if not isinstance(found, tuple) or not all(
        isinstance(item, tuple) and len(item) == 2 and all(type(s) is str for s in item)
        for item in found
    ):
        msg = (
            "the outbox's claim listed as undecodable what is not a tuple of (key, reason) "
            f"pairs: {excerpt(found)}"
        )
        raise ValidationError(msg, field="outbox", rule="PORT-6")
    return list(found)


def _reason(error: BaseException) -> str:
    reason = str(error)
    reason = reason if len(reason) <= _MAX_REASON else f"{reason[:_MAX_REASON]}…"
    return f"{type(error).__name__}: {reason}" if reason else type(error).__name__


_DEFAULT_POLICY: Final = RetryPolicy()


def _claim_time(clock: Clock, policy: RetryPolicy) -> datetime:
    """Return the clock's instant for a claim; one too late to schedule a retry is refused."""
    now = to_jst(clock.now(), field="clock")
    if now > _LATEST - (policy.cap + policy.lease + _MARGIN):
        msg = f"clock says {now.isoformat()}: too late in the calendar to schedule a retry"
        raise ValidationError(msg, field="clock", rule="PORT-6")
    return now


def deliver_pending(  # noqa: PLR0913  # the ports, the settings and the run's bounds
    outbox: Outbox,
    notifier: Notifier,
    *,
    clock: Clock,
    settings: NotificationSettings,
    limit: int | None = None,
    policy: RetryPolicy = _DEFAULT_POLICY,
) -> DeliveryReport:
    """Claim the due outbox records and send their messages, at least once (PORT-3, PORT-6).

    At most ``limit`` records are claimed (all due ones with ``None``), in batches of
    ``policy.batch``, each batch leased for ``policy.lease`` from the clock's instant at its
    claim. A record is marked delivered only after all its messages
    were sent; when the notifier raises, the attempt is counted and the record waits its
    backoff, or is dead-lettered once it has used ``policy.max_attempts``; a record whose
    event cannot be rendered is dead-lettered at once, and so is one whose stored event
    cannot be decoded (by the outbox's claim, which lists it in its result's
    ``undecodable``: the report lists it with the others). A retry sends the same keys, so a
    deduplicating receiver sees each message once. The arguments are checked, and the
    clock read, before anything is claimed (SEC-2). A run ends when a claim finds fewer
    due records than it asked for: a record comes back within one run only once its
    backoff has passed, and at most ``policy.max_attempts`` times.
    """
    _check_arguments(outbox, notifier, clock, settings, limit, policy)
    run = _Run(outbox=outbox, notifier=notifier, clock=clock, settings=settings, policy=policy)
    remaining = limit
    while remaining is None or remaining > 0:
        now = _claim_time(clock, policy)  # each batch is leased from its own claim
        take = policy.batch if remaining is None else min(policy.batch, remaining)
        records = outbox.claim(now=now, limit=take, lease=policy.lease)
        run.dead += _undecodable(records)
        for record in records:
            run.deliver(record)
        if remaining is not None:
            remaining -= len(records)
        if len(records) < take:
            break
    return DeliveryReport(
        delivered=tuple(run.delivered),
        failed=tuple(run.failed),
        messages_sent=run.sent,
        dead_lettered=tuple(run.dead),
    )


class _Run:
    """One :func:`deliver_pending` run: what it sends and what it reports."""

    def __init__(
        self,
        *,
        outbox: Outbox,
        notifier: Notifier,
        clock: Clock,
        settings: NotificationSettings,
        policy: RetryPolicy,
    ) -> None:
        self.outbox = outbox
        self.notifier = notifier
        self.clock = clock
        self.settings = settings
        self.policy = policy
        self.delivered: list[str] = []
        self.failed: list[tuple[str, str]] = []
        self.dead: list[tuple[str, str]] = []
        self.sent = 0

    def deliver(self, record: OutboxRecord) -> None:
        """Send one claimed record's messages and report the outcome to the outbox."""
        if record.attempts >= self.policy.max_attempts:  # its lost leases used the attempts up
            reason = record.last_error or f"{record.attempts} attempts used"
            self._report(record, reason, attempts=record.attempts, give_up=True)
            return
        try:
            messages = render(record.event, self.settings)
        except Exception as error:  # a renderer's bug: retrying cannot help
            reason = f"the event cannot be rendered: {_reason(error)}"
            self._report(record, reason, attempts=record.attempts + 1, give_up=True)
            return
        if record.leased_until is not None and self._now() >= record.leased_until:
            reason = "the lease expired before sending; left to the next claim"
            self.failed.append((record.key, reason))
            return
        try:
            for message in messages:
                self.notifier.send(message)
                self.sent += 1
        except OmakaseError as error:  # the notifier refused the message itself: a bug
            reason = f"the notifier refused the message: {_reason(error)}"
            self._report(record, reason, attempts=record.attempts + 1, give_up=True)
            return
        except Exception as error:  # any other notifier failure: counted, retried later
            attempts = record.attempts + 1
            give_up = attempts >= self.policy.max_attempts
            self._report(record, _reason(error), attempts=attempts, give_up=give_up)
            return
        if self.outbox.mark_delivered(record.key, at=self._now()):
            self.delivered.append(record.key)

    def _report(self, record: OutboxRecord, reason: str, *, attempts: int, give_up: bool) -> None:
        at = self._now()
        retry_at = None if give_up else at + self.policy.delay(record.key, attempts)
        lease = record.lease
        if lease is None:  # an outbox that hands out records without a lease
            msg = f"the outbox's claim returned {excerpt(record.key)} without a lease"
            raise ValidationError(msg, field="outbox", rule="PORT-6")
        reported = self.outbox.record_failure(
            record.key, lease=lease, at=at, error=reason, attempts=attempts, retry_at=retry_at
        )
        if not reported:
            self.failed.append((record.key, f"{reason}; meanwhile another worker took it"))
        elif give_up:
            self.dead.append((record.key, reason))
        else:
            self.failed.append((record.key, reason))

    def _now(self) -> datetime:
        return to_jst(self.clock.now(), field="clock")
