"""Domain events and the outbox record they are stored as (PORT-3).

An aggregate *records* events; it never sends anything. Every event is named in the past
tense and carries the same three fields: ``aggregate_id``, ``version`` (the aggregate's
version once the event is applied: each event adds one) and ``occurred_at`` (an aware
JST instant). Its :attr:`Event.idempotency_key` is derived from those, so it is stable:
the same event always has the same key, however often delivery is retried.

A repository saves the events of a command in the same unit of work as the new state,
as :class:`OutboxRecord` values; :func:`omakase_core.delivery.deliver_pending` later
turns them into messages.

Events round-trip through JSON with :func:`encode_event` / :func:`decode_event`, the
event side of :mod:`omakase_core.codec` (PORT-7): each event class declares a stable type
name with :func:`~omakase_core.codec.stored`, and the stored text carries it with the
schema version, never the Python class name.

SEC-2 (no fail-open values): every public function and constructor here checks what it is
given. An event needs a printable id, a version from 1 and an aware instant; a record's key
is its event's idempotency key. The codec encodes only what it can decode again (no NaN or
infinity, no integer beyond 64 bits, no text that is not valid Unicode, no cycle or absurd
nesting): anything else is a :class:`~omakase_core.errors.ValidationError` naming the
parameter (``event``, ``value``). It decodes only what matches the declared type, field by
field: malformed stored text is a :class:`~omakase_core.errors.DecodeError` naming the type
and the field, and :func:`from_data` refuses with a ``ValidationError`` naming ``tp`` or
``data`` and the path inside it; never a raw ``KeyError``, ``TypeError`` or
``JSONDecodeError``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, Final

import attrs

from omakase_core import codec
from omakase_core._values import copier, replace
from omakase_core.calendar import to_jst
from omakase_core.errors import ValidationError, excerpt

__all__ = [
    "Event",
    "OutboxRecord",
    "decode_event",
    "encode_event",
    "from_data",
    "records_for_save",
    "to_data",
]

_MAX_ID: Final = 200
"""The longest aggregate id an event may carry (as a principal's ids, SEC-1)."""


def _check_id(value: object, field: str) -> str:
    if type(value) is str and 0 < len(value) <= _MAX_ID and value.isprintable() and value.strip():
        return value
    msg = f"{field} must be a non-empty printable id of at most {_MAX_ID} characters, not "
    raise ValidationError(msg + excerpt(value), field=field, rule="PORT-3")


def _check_version(value: object, field: str, *, least: int) -> int:
    if type(value) is int and value >= least:
        return value
    msg = f"{field} must be an int from {least}, not {type(value).__name__} {excerpt(value)}"
    raise ValidationError(msg, field=field, rule="PORT-3")


def _aggregate_id(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    _check_id(value, attribute.name)


def _event_version(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    _check_version(value, attribute.name, least=1)


def _aware(_: object, attribute: attrs.Attribute[datetime], value: datetime) -> None:
    to_jst(value, field=attribute.name)


@attrs.frozen(kw_only=True)
class Event:
    """Base of every domain event: the uniform fields and the idempotency key (PORT-3)."""

    aggregate_type: ClassVar[str] = "aggregate"

    aggregate_id: str = attrs.field(validator=_aggregate_id)
    version: int = attrs.field(validator=_event_version)
    occurred_at: datetime = attrs.field(validator=_aware)

    @property
    def idempotency_key(self) -> str:
        """Return the stable key of this event: aggregate type, id and version."""
        return f"{self.aggregate_type}:{self.aggregate_id}:{self.version}"

    @property
    def name(self) -> str:
        """Return the event's type name (``"TerminationRequested"``)."""
        return type(self).__name__


def _record_event(_: object, attribute: attrs.Attribute[Event], value: object) -> None:
    if not isinstance(value, Event):
        msg = f"event must be an Event, not {type(value).__name__}"
        raise ValidationError(msg, field="event", rule="PORT-3")


def _optional_instant(
    _: object, attribute: attrs.Attribute[datetime | None], value: object
) -> None:
    if value is not None:
        to_jst(value, field=attribute.name)  # type: ignore[arg-type]  # to_jst checks the type


def _attempts(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    _check_version(value, attribute.name, least=0)


def _optional_text(_: object, attribute: attrs.Attribute[str | None], value: object) -> None:
    if value is not None and (type(value) is not str or not value):
        msg = f"{attribute.name} must be None or non-empty text, not {excerpt(value)}"
        raise ValidationError(msg, field=attribute.name, rule="PORT-6")


@attrs.frozen(kw_only=True)
class OutboxRecord:
    """An event waiting for (or past) delivery; ``key`` is the event's idempotency key.

    Delivery state (PORT-6), kept by the outbox:

    - ``attempts``: delivery attempts that ended without the record being delivered — a
      failed send, or a worker whose lease expired before it reported (a crash, a hang).
    - ``last_error``: why the last attempt failed (at most a short excerpt), or ``None``.
    - ``next_attempt_at``: the earliest instant of the next attempt (backoff); ``None``
      means at once.
    - ``dead_lettered_at``: when delivery was given up (after ``max_attempts`` failures, or
      at once when the event cannot be rendered); such a record is never retried by
      itself (:meth:`~omakase_core.ports.Outbox.retry_dead_letter` puts it back).
    - ``lease`` and ``leased_until``: the token of the delivery worker that claimed the
      record and until when it holds it; after that instant another worker may claim it.
    """

    key: str
    event: Event = attrs.field(validator=_record_event)
    delivered_at: datetime | None = attrs.field(default=None, validator=_optional_instant)
    attempts: int = attrs.field(default=0, validator=_attempts)
    last_error: str | None = attrs.field(default=None, validator=_optional_text)
    next_attempt_at: datetime | None = attrs.field(default=None, validator=_optional_instant)
    dead_lettered_at: datetime | None = attrs.field(default=None, validator=_optional_instant)
    lease: str | None = attrs.field(default=None, validator=_optional_text)
    leased_until: datetime | None = attrs.field(default=None, validator=_optional_instant)

    def __attrs_post_init__(self) -> None:
        """Refuse a key that is not the event's idempotency key (PORT-3)."""
        if self.key != self.event.idempotency_key or type(self.key) is not str:
            msg = f"key must be the event's idempotency key, not {excerpt(self.key)}"
            raise ValidationError(msg, field="key", rule="PORT-3")
        if (self.lease is None) is not (self.leased_until is None):
            given, missing = (
                ("leased_until", "lease") if self.lease is None else ("lease", "leased_until")
            )
            msg = f"{given} was given without {missing}: give both, or neither"
            raise ValidationError(msg, field=given, rule="PORT-6")

    @classmethod
    def pending(cls, event: Event) -> OutboxRecord:
        """Return the not-yet-delivered record of ``event``."""
        given: object = event  # callers are not always type-checked
        if not isinstance(given, Event):
            _record_event(None, None, given)  # type: ignore[arg-type]  # raises
        return cls(key=event.idempotency_key, event=event)

    @property
    def is_delivered(self) -> bool:
        """Return whether the record was marked delivered."""
        return self.delivered_at is not None

    @property
    def is_dead_lettered(self) -> bool:
        """Return whether delivery was given up (and the record not delivered since)."""
        return self.dead_lettered_at is not None and self.delivered_at is None

    def is_due(self, now: datetime) -> bool:
        """Return whether a delivery worker may claim the record at ``now`` (PORT-6).

        It is neither delivered nor dead-lettered, its next attempt's time has come and no
        worker holds an unexpired lease on it.
        """
        instant = to_jst(now, field="now")
        return (
            self.delivered_at is None
            and self.dead_lettered_at is None
            and (self.next_attempt_at is None or self.next_attempt_at <= instant)
            and (self.leased_until is None or self.leased_until <= instant)
        )

    # -- the delivery steps an outbox stores (PORT-6) --------------------------------------------
    #
    # Each returns the next record; an outbox adapter stores it atomically with its check
    # (see :class:`omakase_core.testing.InMemoryOutbox`). The arguments are checked (SEC-2).

    def claimed(self, *, now: datetime, lease: timedelta, holder: str) -> OutboxRecord:
        """Return the record leased to ``holder`` until ``now + lease`` (PORT-6).

        ``holder`` is the claim's own lease token (a fresh random id per claim): only a
        report naming it may end the lease.

        A previous lease that expired without a report counts as a failed attempt first
        (``attempts`` + 1, ``last_error`` says so). The record must be due at ``now``.
        """
        instant = to_jst(now, field="now")
        until = lease_end(instant, lease)
        if type(holder) is not str or not holder:
            msg = f"holder must be non-empty text, not {excerpt(holder)}"
            raise ValidationError(msg, field="holder", rule="PORT-6")
        if not self.is_due(instant):
            msg = f"{excerpt(self.key)} is not due at {instant.isoformat()}: it cannot be claimed"
            raise ValidationError(msg, field="now", rule="PORT-6")
        record = self
        if self.leased_until is not None:
            record = replace(
                self,
                attempts=self.attempts + 1,
                last_error=lost_lease_error(self.leased_until),
            )
        return replace(record, lease=holder, leased_until=until)

    def failed(
        self, *, at: datetime, error: str, attempts: int, retry_at: datetime | None
    ) -> OutboxRecord:
        """Return the record after a failed attempt: waiting until ``retry_at``, or dead.

        ``attempts`` and ``error`` are stored; ``retry_at=None`` dead-letters the record at
        ``at``. The lease ends (PORT-6).
        """
        instant = to_jst(at, field="at")
        _attempts(None, attrs.fields(OutboxRecord).attempts, attempts)
        if type(error) is not str or not error:
            msg = f"error must be non-empty text, not {excerpt(error)}"
            raise ValidationError(msg, field="error", rule="PORT-6")
        retry = None if retry_at is None else to_jst(retry_at, field="retry_at")
        return replace(
            self,
            attempts=attempts,
            last_error=error,
            next_attempt_at=retry,
            dead_lettered_at=instant if retry is None else None,
            lease=None,
            leased_until=None,
        )

    def delivered(self, *, at: datetime) -> OutboxRecord:
        """Return the record delivered at ``at``: no lease, no dead letter (PORT-3)."""
        instant = to_jst(at, field="at")
        return replace(
            self, delivered_at=instant, dead_lettered_at=None, lease=None, leased_until=None
        )

    def put_back(self) -> OutboxRecord:
        """Return the dead letter put back: no attempts, due at once, last error kept."""
        return replace(self, attempts=0, next_attempt_at=None, dead_lettered_at=None)


_MAX_LEASE: Final = timedelta(days=30)
"""The longest lease a claim grants (as :class:`~omakase_core.delivery.RetryPolicy`)."""


def lease_end(now: datetime, lease: object) -> datetime:
    """Return ``now + lease``; refuse a lease outside 0 … 30 days, or one past year 9999.

    The outbox adapters share the check; not part of the public API (not in ``__all__``).
    """
    if type(lease) is not timedelta or not timedelta(0) < lease <= _MAX_LEASE:
        msg = f"lease must be a timedelta above 0 and at most 30 days, not {excerpt(lease)}"
        raise ValidationError(msg, field="lease", rule="PORT-6")
    try:
        return now + lease
    except OverflowError:
        msg = f"now {now.isoformat()} is too late in the calendar to lease anything"
        raise ValidationError(msg, field="now", rule="PORT-6") from None


def _pending_record(event: Event) -> OutboxRecord:
    """Return the pending record of a checked ``event`` without checking it again (PORT-3).

    :func:`records_for_save` has checked the event; its record is a copy of a template
    pending record with the key and the event put in (the services' time budgets).
    """
    return _NEW_RECORD(_TEMPLATE, event.idempotency_key, event)


_TEMPLATE: Final = OutboxRecord.pending(
    Event(aggregate_id="template", version=1, occurred_at=datetime(2026, 1, 1, tzinfo=UTC))
)
"""A pending record: every field a new record has, the key and the event replaced."""
_NEW_RECORD: Final = copier(OutboxRecord, "key", "event")


REDACTED_ERROR: Final = "[redacted under CON-10: the error named personal data]"
"""The ``last_error`` of a record whose event was redacted: an error may name the addressee."""


def lost_lease_error(leased_until: datetime) -> str:
    """Return the ``last_error`` of an attempt whose worker let its lease expire (PORT-6).

    The adapters share the wording; not part of the public API (not in ``__all__``).
    """
    until = to_jst(leased_until, field="leased_until")
    return (
        f"the delivery worker's lease expired at {until.isoformat()} without a report "
        "(a crashed or stalled worker); counted as a failed attempt (PORT-6)"
    )


def records_for_save(
    aggregate_id: str, events: tuple[Event, ...], *, expected_version: int, version: int
) -> tuple[OutboxRecord, ...]:
    """Return the outbox records of a save, refusing events that do not fit it (PORT-3).

    A save from ``expected_version`` to ``version`` must carry exactly the events numbered
    ``expected_version + 1`` … ``version`` of that aggregate. Adapters call this before
    writing anything, so a malformed save writes nothing. Each error names the parameter
    that does not fit (``events`` for the events themselves).
    """
    given: tuple[object, object, object] = (events, expected_version, version)  # unchecked
    if type(given[0]) is tuple and len(events) == 1:  # the common case, checked without a loop
        (event,) = given[0]
        if (
            isinstance(event, Event)
            and type(given[1]) is int
            and type(given[2]) is int
            and event.version == version == expected_version + 1
            and event.aggregate_id == aggregate_id
        ):
            return (_pending_record(event),)
    _check_id(aggregate_id, "aggregate_id")
    start = _check_version(expected_version, "expected_version", least=0)
    _check_version(version, "version", least=0)
    if not isinstance(given[0], tuple | list) or not all(isinstance(e, Event) for e in given[0]):
        msg = f"events must be a tuple of Event values, not {excerpt(given[0])}"
        raise ValidationError(msg, field="events", rule="PORT-3")
    expected = start
    for event in events:
        expected += 1
        if event.version != expected or event.aggregate_id != aggregate_id:
            break
    else:
        if expected == version:
            return tuple(_pending_record(event) for event in events)
    numbers = excerpt([event.version for event in events])
    msg = (
        f"a save of {excerpt(aggregate_id)} from version {excerpt(start)} to {excerpt(version)} "
        f"must carry its events {excerpt(start + 1)}..{excerpt(version)} of that aggregate, "
        f"not versions {numbers}"
    )
    raise ValidationError(msg, field="events", rule="PORT-3")


# -- the codec (PORT-7) -----------------------------------------------------------------------

JsonValue = None | bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"]


def to_data(value: object) -> JsonValue:
    """Return ``value`` (an attrs value, enum, instant, date, tuple, …) as JSON-ready data.

    The conversion is :mod:`omakase_core.codec`'s. Only what :func:`from_data` can rebuild
    is encoded; anything else (NaN, infinity, an int beyond 64 bits, text that is not valid
    Unicode, a cycle, nesting deeper than 32 levels, an object of another kind) is a
    ``ValidationError`` naming ``value``.
    """
    data: JsonValue = codec.to_json_data(value)
    return data


def from_data(tp: Any, data: JsonValue) -> Any:  # any type the codec supports
    """Rebuild a value of type ``tp`` from what :func:`to_data` produced.

    ``tp`` is ``None``, ``bool``, ``int``, ``float``, ``str``, ``datetime`` (aware),
    ``date``, ``time``, an enum, an attrs class, ``X | None`` or a union, ``tuple[X, ...]``,
    ``tuple[X, Y]``, ``frozenset[X]``, ``Mapping[str, X]`` or ``Literal[...]``; anything
    else is a ``ValidationError`` naming ``tp``. Data that does not match is one naming
    ``data`` and the path inside it; nothing is guessed or silently passed through.
    """
    return codec.from_json_data(tp, data)


def encode_event(event: Event) -> str:
    """Return ``event`` as the stored JSON text :func:`decode_event` reads back (PORT-7).

    The text is :func:`omakase_core.codec.encode`'s envelope, under the event class's
    declared type name. Anything but an :class:`Event` of a class declared with
    :func:`~omakase_core.codec.stored`, or an event holding data the codec cannot write,
    is a ``ValidationError`` naming ``event``.
    """
    given: object = event  # callers are not always type-checked
    if not isinstance(given, Event):
        msg = f"event must be an Event, not {type(given).__name__}"
        raise ValidationError(msg, field="event", rule="PORT-3")
    return codec.write(event, field="event")


def decode_event(text: str) -> Event:
    """Return the event that :func:`encode_event` wrote as ``text`` (PORT-7).

    Text that is not a stored event (not JSON, the wrong shape, an unknown type, a value
    that is not an event, a malformed field) is a :class:`~omakase_core.errors.DecodeError`
    naming the type and the field.
    """
    return codec.decode(text, expected=Event)
