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

SEC-2 (no fail-open values): every public function and constructor here checks what it is
given. An event needs a printable id, a version from 1 and an aware instant; a record's key
is its event's idempotency key. The codec encodes only what it can decode again (no NaN or
infinity, no integer beyond 64 bits, no text that is not valid Unicode, no cycle or absurd
nesting) and decodes only what matches the declared type, field by field: malformed JSON,
a missing or unknown field, a wrong type or a naive instant is a
:class:`~omakase_core.errors.ValidationError` naming the public parameter (``text``,
``data``, ``event``, ``value``) and the path inside it, never a raw ``KeyError``,
``TypeError`` or ``JSONDecodeError``.
"""

from __future__ import annotations

import enum
import functools
import json
import math
import types
import typing
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any, ClassVar, Final, TypeVar

import attrs

from omakase_core.calendar import to_jst
from omakase_core.errors import NotFound, OmakaseError, ValidationError, excerpt

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


def _record_event(_: object, attribute: attrs.Attribute[Event], value: object) -> None:
    if not isinstance(value, Event):
        msg = f"event must be an Event, not {type(value).__name__}"
        raise ValidationError(msg, field="event", rule="PORT-3")


def _delivered_at(_: object, attribute: attrs.Attribute[datetime | None], value: object) -> None:
    if value is not None:
        to_jst(value, field=attribute.name)  # type: ignore[arg-type]  # to_jst checks the type


@attrs.frozen(kw_only=True)
class OutboxRecord:
    """An event waiting for (or past) delivery; ``key`` is the event's idempotency key."""

    key: str
    event: Event = attrs.field(validator=_record_event)
    delivered_at: datetime | None = attrs.field(default=None, validator=_delivered_at)

    def __attrs_post_init__(self) -> None:
        """Refuse a key that is not the event's idempotency key (PORT-3)."""
        if self.key != self.event.idempotency_key or type(self.key) is not str:
            msg = f"key must be the event's idempotency key, not {excerpt(self.key)}"
            raise ValidationError(msg, field="key", rule="PORT-3")

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
            return (OutboxRecord(key=event.idempotency_key, event=event),)
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
            return tuple(OutboxRecord(key=event.idempotency_key, event=event) for event in events)
    numbers = excerpt([event.version for event in events])
    msg = (
        f"a save of {excerpt(aggregate_id)} from version {excerpt(start)} to {excerpt(version)} "
        f"must carry its events {excerpt(start + 1)}..{excerpt(version)} of that aggregate, "
        f"not versions {numbers}"
    )
    raise ValidationError(msg, field="events", rule="PORT-3")


# -- JSON codec ------------------------------------------------------------------------------

JsonValue = None | bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"]

_MAX_DEPTH: Final = 32
"""The deepest nesting the codec follows; deeper data is refused, never a RecursionError."""
_MAX_INT: Final = 2**63 - 1
"""Integers the codec writes fit 64 bits, what SQL databases store as INTEGER."""


class _Refused(Exception):
    """Internal: why a value cannot be encoded or decoded, and where inside it."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(reason)


def _refusal(error: _Refused, field: str) -> ValidationError:
    where = f"{field}{error.path}"
    return ValidationError(f"{where}: {error.reason}", field=field, rule="PORT-3")


def to_data(value: object) -> JsonValue:
    """Return ``value`` (an attrs value, enum, instant, date, tuple, …) as JSON-ready data.

    Only what :func:`from_data` can rebuild is encoded; anything else (NaN, infinity, an int
    beyond 64 bits, text that is not valid Unicode, a cycle, nesting deeper than 32 levels,
    an object of another kind) is a ``ValidationError`` naming ``value``.
    """
    try:
        return _encode(value, "", 0)
    except _Refused as error:
        raise _refusal(error, "value") from None


def _encode_scalar(value: object, path: str) -> JsonValue | _NotScalar:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        if -_MAX_INT <= value <= _MAX_INT:
            return int(value)
        raise _Refused(path, "is an integer beyond 64 bits")
    if isinstance(value, float):
        if math.isfinite(value):
            return float(value)
        raise _Refused(path, f"is {value}, which JSON cannot hold")
    if isinstance(value, str):
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise _Refused(path, "is text that is not valid Unicode") from None
        return str(value)
    if isinstance(value, datetime) and value.utcoffset() is None:
        raise _Refused(path, "is a naive datetime (CAL-1)")
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return _NOT_SCALAR


class _NotScalar(enum.Enum):
    """Internal: the answer of :func:`_encode_scalar` for a value that is not a scalar."""

    TOKEN = enum.auto()


_NOT_SCALAR: Final = _NotScalar.TOKEN


def _encode(value: object, path: str, depth: int) -> JsonValue:
    if depth > _MAX_DEPTH:
        raise _Refused(path, f"is nested deeper than {_MAX_DEPTH} levels")
    if isinstance(value, enum.Enum):
        return _encode(value.value, path, depth + 1)
    scalar = _encode_scalar(value, path)
    if scalar is not _NOT_SCALAR:
        return scalar
    if isinstance(value, tuple | list | frozenset | set):
        items = [_encode(item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value)]
        if isinstance(value, frozenset | set):  # a set has no order: write it in a stable one
            items.sort(key=lambda item: json.dumps(item, sort_keys=True))
        return items
    if isinstance(value, Mapping):
        if not all(isinstance(key, str) for key in value):
            raise _Refused(path, "is a mapping whose keys are not all text")
        return {key: _encode(item, f"{path}.{key[:20]}", depth + 1) for key, item in value.items()}
    if attrs.has(type(value)):
        fields: tuple[attrs.Attribute[Any], ...] = attrs.fields(type(value))  # type: ignore[arg-type]  # attrs.has checked it
        return {
            field.name: _encode(getattr(value, field.name), f"{path}.{field.name}", depth + 1)
            for field in fields
        }
    raise _Refused(path, f"is a {type(value).__name__}, which the codec cannot encode")


def from_data(tp: Any, data: JsonValue) -> Any:  # any type the codec supports
    """Rebuild a value of type ``tp`` from what :func:`to_data` produced.

    ``tp`` is ``None``, ``bool``, ``int``, ``float``, ``str``, ``datetime`` (aware),
    ``date``, ``time``, an enum, an attrs class, ``X | None`` or a union, ``tuple[X, ...]``,
    ``tuple[X, Y]``, ``frozenset[X]``, ``Mapping[str, X]`` or ``Literal[...]``; anything
    else is a ``ValidationError`` naming ``tp``. Data that does not match is one naming
    ``data`` and the path inside it; nothing is guessed or silently passed through.
    """
    try:
        return _decode(tp, data, "", 0)
    except _UnsupportedType as error:
        msg = f"tp {error.reason}"
        raise ValidationError(msg, field="tp", rule="PORT-3") from None
    except _Refused as error:
        raise _refusal(error, "data") from None


class _UnsupportedType(_Refused):
    """Internal: the type itself is not one the codec decodes."""


@functools.cache
def _hints(tp: type) -> dict[str, Any]:
    try:
        return typing.get_type_hints(tp)
    except Exception as error:  # a hint that cannot be resolved: the class is not decodable
        msg = f"{tp.__name__} has type hints that cannot be resolved ({type(error).__name__})"
        raise _UnsupportedType("", msg) from None


def _decode(tp: Any, data: object, path: str, depth: int) -> Any:  # noqa: PLR0911, PLR0912  # a type-directed decoder
    if depth > _MAX_DEPTH:
        raise _Refused(path, f"is nested deeper than {_MAX_DEPTH} levels")
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        return _decode_union(typing.get_args(tp), data, path, depth)
    if origin is typing.Literal:
        for choice in typing.get_args(tp):
            if type(choice) is type(data) and choice == data:
                return choice
        raise _Refused(path, f"is {excerpt(data)}, not one of {typing.get_args(tp)}")
    if origin is tuple:
        return _decode_tuple(typing.get_args(tp), data, path, depth)
    if origin is frozenset:
        (item,) = typing.get_args(tp)
        items = _list(data, path)
        return frozenset(_decode(item, d, f"{path}[{i}]", depth + 1) for i, d in enumerate(items))
    if origin in (Mapping, dict):
        key_type, value_type = typing.get_args(tp)
        if key_type is not str:
            raise _UnsupportedType(path, f"{excerpt(tp)} has keys that are not text")
        if not isinstance(data, dict) or not all(isinstance(key, str) for key in data):
            raise _Refused(path, f"must be an object, not {type(data).__name__}")
        return {k: _decode(value_type, v, f"{path}.{k[:20]}", depth + 1) for k, v in data.items()}
    if origin is not None:
        raise _UnsupportedType(path, f"{excerpt(tp)} is not a type the codec decodes")
    if tp is None or tp is type(None):
        if data is None:
            return None
        raise _Refused(path, f"must be null, not {type(data).__name__}")
    try:
        scalar = _SCALARS.get(tp)
    except TypeError:  # an unhashable "type"
        raise _UnsupportedType(path, f"{excerpt(tp)} is not a type") from None
    if scalar is not None:
        return scalar(data, path)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return _decode_enum(tp, data, path)
    if isinstance(tp, type) and attrs.has(tp):
        return _decode_attrs(tp, data, path, depth)
    raise _UnsupportedType(path, f"{excerpt(tp)} is not a type the codec decodes")


def _list(data: object, path: str) -> list[object]:
    if not isinstance(data, list):
        raise _Refused(path, f"must be an array, not {type(data).__name__}")
    return data


def _decode_union(args: tuple[Any, ...], data: object, path: str, depth: int) -> Any:
    if data is None and type(None) in args:
        return None
    arms = [arg for arg in args if arg is not type(None)]
    if len(arms) == 1:
        return _decode(arms[0], data, path, depth)
    for arm in arms:
        try:
            return _decode(arm, data, path, depth)
        except _UnsupportedType:
            raise
        except _Refused:
            continue
    raise _Refused(path, f"matches none of {', '.join(excerpt(arm) for arm in arms)}")


def _decode_tuple(args: tuple[Any, ...], data: object, path: str, depth: int) -> tuple[Any, ...]:
    items = _list(data, path)
    if len(args) == 2 and args[1] is Ellipsis:  # tuple[X, ...]
        return tuple(_decode(args[0], d, f"{path}[{i}]", depth + 1) for i, d in enumerate(items))
    if len(items) != len(args):
        raise _Refused(path, f"must have {len(args)} items, not {len(items)}")
    return tuple(
        _decode(arg, d, f"{path}[{i}]", depth + 1)
        for i, (arg, d) in enumerate(zip(args, items, strict=True))
    )


def _decode_enum(tp: type[enum.Enum], data: object, path: str) -> enum.Enum:
    if isinstance(data, str | int) and not isinstance(data, bool):
        try:
            return tp(data)
        except (ValueError, TypeError):
            pass
    raise _Refused(path, f"is {excerpt(data)}, not a {tp.__name__} value")


def _decode_attrs(tp: type, data: object, path: str, depth: int) -> Any:
    if not isinstance(data, dict):
        raise _Refused(path, f"must be an object for {tp.__name__}, not {type(data).__name__}")
    hints = _hints(tp)
    fields = [field for field in attrs.fields(tp) if field.init]
    names = {field.name for field in fields}
    unknown = [key for key in data if key not in names]
    if unknown:
        raise _Refused(path, f"has fields {tp.__name__} does not know: {excerpt(unknown)}")
    values: dict[str, Any] = {}
    for field in fields:
        if field.name not in data:
            if field.default is attrs.NOTHING:
                raise _Refused(path, f"lacks the field {field.name!r} of {tp.__name__}")
            continue
        where = f"{path}.{field.name}"
        values[field.alias] = _decode(hints[field.name], data[field.name], where, depth + 1)
    try:
        return tp(**values)
    except OmakaseError as error:
        raise _Refused(path, f"is not a valid {tp.__name__}: {error}") from None
    except (TypeError, ValueError) as error:
        reason = excerpt(str(error), 80)
        raise _Refused(path, f"is not a valid {tp.__name__}: {reason}") from None


def _strict(kind: type) -> typing.Callable[[object, str], Any]:
    def decode(data: object, path: str) -> Any:
        if type(data) is kind:
            return data
        raise _Refused(path, f"must be {kind.__name__}, not {type(data).__name__}")

    return decode


def _decode_int(data: object, path: str) -> int:
    if type(data) is int and -_MAX_INT <= data <= _MAX_INT:
        return data
    raise _Refused(path, f"must be a 64-bit int, not {type(data).__name__} {excerpt(data)}")


def _decode_float(data: object, path: str) -> float:
    if type(data) in (int, float) and math.isfinite(data):  # type: ignore[arg-type]  # checked
        return float(data)  # type: ignore[arg-type]  # checked
    raise _Refused(path, f"must be a finite number, not {type(data).__name__} {excerpt(data)}")


def _iso(kind: type[date | time]) -> typing.Callable[[object, str], Any]:
    def decode(data: object, path: str) -> Any:
        if not isinstance(data, str):
            raise _Refused(path, f"must be an ISO {kind.__name__} text, not {type(data).__name__}")
        try:
            value = kind.fromisoformat(data)
        except ValueError:
            raise _Refused(path, f"is {excerpt(data)}, not an ISO {kind.__name__}") from None
        if kind is datetime and value.utcoffset() is None:  # type: ignore[union-attr]  # a datetime
            raise _Refused(path, f"is {excerpt(data)}, a naive datetime (CAL-1)")
        return value

    return decode


_SCALARS: Final[dict[Any, typing.Callable[[object, str], Any]]] = {
    bool: _strict(bool),
    str: _strict(str),
    int: _decode_int,
    float: _decode_float,
    datetime: _iso(datetime),
    date: _iso(date),
    time: _iso(time),
}

_TYPE_KEY: Final = "type"


def encode_event(event: Event) -> str:
    """Return ``event`` as a JSON text that :func:`decode_event` turns back into it.

    Anything but an :class:`Event`, or an event holding data the codec cannot write, is a
    ``ValidationError`` naming ``event``.
    """
    given: object = event  # callers are not always type-checked
    if not isinstance(given, Event):
        msg = f"event must be an Event, not {type(given).__name__}"
        raise ValidationError(msg, field="event", rule="PORT-3")
    try:
        data = _encode(event, "", 0)
    except _Refused as error:
        raise _refusal(error, "event") from None
    payload = {_TYPE_KEY: event.name, "data": data}
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, allow_nan=False)


def decode_event(text: str) -> Event:
    """Return the event that :func:`encode_event` wrote as ``text``.

    Text that is not such JSON is a ``ValidationError`` naming ``text``; an event type no
    module declares is :class:`~omakase_core.errors.NotFound`.
    """
    given: object = text  # callers are not always type-checked
    if not isinstance(given, str):
        msg = f"text must be the JSON text of an event, not {type(given).__name__}"
        raise ValidationError(msg, field="text", rule="PORT-3")
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as error:
        msg = f"text is not JSON ({error.msg} at character {error.pos})"
        raise ValidationError(msg, field="text", rule="PORT-3") from None
    except (ValueError, RecursionError):
        msg = "text is not JSON the codec reads (nested too deep or malformed numbers)"
        raise ValidationError(msg, field="text", rule="PORT-3") from None
    if not isinstance(payload, dict) or set(payload) != {_TYPE_KEY, "data"}:
        msg = 'text must be a JSON object with exactly the keys "type" and "data"'
        raise ValidationError(msg, field="text", rule="PORT-3")
    name = payload[_TYPE_KEY]
    if not isinstance(name, str):
        msg = f"text's type must be an event type name, not {type(name).__name__}"
        raise ValidationError(msg, field="text", rule="PORT-3")
    event_type = _EVENT_TYPES.get(name)
    if event_type is None:
        raise NotFound(kind="event type", id=name)
    try:
        event: Event = _decode(event_type, payload["data"], ".data", 0)
    except _Refused as error:
        raise _refusal(error, "text") from None
    return event
