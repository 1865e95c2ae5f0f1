"""Domain events and the outbox record they are stored as (PORT-3).

An aggregate *records* events; it never sends anything. Every event is named in the past
tense and carries the same three fields: ``aggregate_id``, ``version`` (the aggregate's
version once the event is applied: each event adds one) and ``occurred_at`` (an aware
JST instant). Its :attr:`Event.idempotency_key` is derived from those, so it is stable:
the same event always has the same key, however often delivery is retried.

A repository saves the events of a command in the same unit of work as the new state,
as :class:`OutboxRecord` values; :func:`omakase_core.delivery.deliver_pending` later
turns them into messages.

Events round-trip through JSON with :func:`encode_event` / :func:`decode_event`, so a
caller's SQL adapter can store them as text.
"""

from __future__ import annotations

import enum
import json
import types
import typing
from datetime import date, datetime, time
from typing import Any, ClassVar, Final, TypeVar

import attrs

from omakase_core.calendar import to_jst
from omakase_core.errors import NotFound, ValidationError

__all__ = [
    "Event",
    "OutboxRecord",
    "decode_event",
    "encode_event",
    "from_data",
    "records_for_save",
    "to_data",
]

T = TypeVar("T")

_EVENT_TYPES: dict[str, type[Event]] = {}


def _aware(_: object, attribute: attrs.Attribute[datetime], value: datetime) -> None:
    to_jst(value, field=attribute.name)


@attrs.frozen(kw_only=True)
class Event:
    """Base of every domain event: the uniform fields and the idempotency key (PORT-3)."""

    aggregate_type: ClassVar[str] = "aggregate"

    aggregate_id: str
    version: int
    occurred_at: datetime = attrs.field(validator=_aware)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _EVENT_TYPES[cls.__name__] = cls  # attrs' slotted rebuild overwrites with the final class

    @property
    def idempotency_key(self) -> str:
        """Return the stable key of this event: aggregate type, id and version."""
        return f"{self.aggregate_type}:{self.aggregate_id}:{self.version}"

    @property
    def name(self) -> str:
        """Return the event's type name (``"TerminationRequested"``)."""
        return type(self).__name__


@attrs.frozen(kw_only=True)
class OutboxRecord:
    """An event waiting for (or past) delivery; ``key`` is the event's idempotency key."""

    key: str
    event: Event
    delivered_at: datetime | None = None

    @classmethod
    def pending(cls, event: Event) -> OutboxRecord:
        """Return the not-yet-delivered record of ``event``."""
        return cls(key=event.idempotency_key, event=event)

    @property
    def is_delivered(self) -> bool:
        """Return whether the record was marked delivered."""
        return self.delivered_at is not None


def records_for_save(
    aggregate_id: str, events: tuple[Event, ...], *, expected_version: int, version: int
) -> tuple[OutboxRecord, ...]:
    """Return the outbox records of a save, refusing events that do not fit it (PORT-3).

    A save from ``expected_version`` to ``version`` must carry exactly the events numbered
    ``expected_version + 1`` … ``version`` of that aggregate. Adapters call this before
    writing anything, so a malformed save writes nothing.
    """
    if len(events) == 1:  # the common case, checked without a loop
        (event,) = events
        if event.version == version == expected_version + 1 and event.aggregate_id == aggregate_id:
            return (OutboxRecord(key=event.idempotency_key, event=event),)
    expected = expected_version
    for event in events:
        expected += 1
        if event.version != expected or event.aggregate_id != aggregate_id:
            break
    else:
        if expected == version:
            return tuple(OutboxRecord(key=event.idempotency_key, event=event) for event in events)
    numbers = [event.version for event in events]
    msg = (
        f"a save of {aggregate_id} from version {expected_version} to {version} must carry "
        f"its events {expected_version + 1}..{version} of that aggregate, not versions {numbers}"
    )
    raise ValidationError(msg, field="pending_events", rule="PORT-3")


# -- JSON codec ------------------------------------------------------------------------------

JsonValue = None | bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"]


def to_data(value: object) -> JsonValue:
    """Return ``value`` (an attrs value, enum, instant, date, tuple, …) as JSON-ready data."""
    if isinstance(value, enum.Enum):
        return to_data(value.value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, tuple | list | frozenset | set):
        return [to_data(item) for item in value]
    if attrs.has(type(value)):
        fields: tuple[attrs.Attribute[Any], ...] = attrs.fields(type(value))  # type: ignore[arg-type]  # attrs.has checked it
        return {field.name: to_data(getattr(value, field.name)) for field in fields}
    msg = f"cannot encode {type(value).__name__} as JSON data"
    raise ValidationError(msg, field="value")


def from_data(tp: Any, data: JsonValue) -> Any:  # noqa: PLR0911  # a type-directed decoder
    """Rebuild a value of type ``tp`` from what :func:`to_data` produced."""
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        args = typing.get_args(tp)
        if data is None and type(None) in args:
            return None
        (inner,) = [arg for arg in args if arg is not type(None)]
        return from_data(inner, data)
    if origin is tuple:
        args = typing.get_args(tp)
        items: list[JsonValue] = data  # type: ignore[assignment]
        if len(args) == 2 and args[1] is Ellipsis:  # tuple[X, ...]
            return tuple(from_data(args[0], d) for d in items)
        return tuple(from_data(arg, d) for arg, d in zip(args, items, strict=True))
    if origin is frozenset:
        item = typing.get_args(tp)[0]
        return frozenset(from_data(item, d) for d in data)  # type: ignore[union-attr]
    if tp is datetime:
        return datetime.fromisoformat(data)  # type: ignore[arg-type]
    if tp is date:
        return date.fromisoformat(data)  # type: ignore[arg-type]
    if tp is time:
        return time.fromisoformat(data)  # type: ignore[arg-type]
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp(data)
    if isinstance(tp, type) and attrs.has(tp):
        hints = typing.get_type_hints(tp)
        values: dict[str, Any] = data  # type: ignore[assignment]
        return tp(
            **{
                field.alias: from_data(hints[field.name], values[field.name])
                for field in attrs.fields(tp)
                if field.init
            }
        )
    return data


_TYPE_KEY: Final = "type"


def encode_event(event: Event) -> str:
    """Return ``event`` as a JSON text that :func:`decode_event` turns back into it."""
    data = to_data(event)
    return json.dumps({_TYPE_KEY: event.name, "data": data}, ensure_ascii=False, sort_keys=True)


def decode_event(text: str) -> Event:
    """Return the event that :func:`encode_event` wrote as ``text``."""
    payload = json.loads(text)
    name = payload[_TYPE_KEY]
    try:
        event_type = _EVENT_TYPES[name]
    except KeyError:
        raise NotFound(kind="event type", id=name) from None
    event: Event = from_data(event_type, payload["data"])
    return event
