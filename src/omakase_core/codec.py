"""The storage codec: events and aggregates as versioned JSON that outlives releases (PORT-7).

An adapter stores the text :func:`encode` writes and hands it back to :func:`decode`::

    {"type": "contract.TerminationRequested", "schema": 1, "data": {...}}

- ``type`` is the stable name the class declares with :func:`stored`, never its Python
  ``__name__``: moving or renaming a class never orphans stored data, and a caller's class
  called ``TerminationRequested`` never takes over decoding. A name is
  ``namespace.Name``; the library's classes use their package as namespace
  (``contract.Contract``), and every package name of ``omakase_core`` is reserved for the
  library, so a caller's class can never shadow one of the library's. A second class
  under a taken name is a :class:`~omakase_core.errors.DefinitionError`.
- ``schema`` is the type's schema version when the data was written. Older data is upcast
  on read: the upcaster registered (:func:`register_upcaster`) for each older version turns
  its data into the next version's; a version without one passes the data on unchanged
  (the next version only added fields with defaults, which older data lacks and decoding
  fills in). Data of a newer schema than this release knows is refused.
- Every field is stored, so data stored at the type's current schema must hold every
  field at every depth: a missing one is refused, never filled with its default (a 契約終了
  contract without its ``status`` would read as 契約中). Only data of an older schema may
  lack fields, and only fields with a default, which the newer schemas added: what an
  upcaster does not supply, decoding fills in.
- ``data`` holds the fields, converted by a cattrs converter with the library's hooks:
  aware instants as ISO text (decoded in JST), dates and times as ISO text, enums by
  value (a ``Literal`` enum member too), tuples as arrays, frozensets as arrays in a stable
  order, ``Mapping[str, X]`` as objects, attrs classes as objects keyed by field name (a
  private field ``_x`` under ``"_x"``). A union's value is stored as the arm it is, and read
  by trying the arms narrowest first — literals, enums, ``bool``, ``int``, ``float``, ISO
  texts, arrays and objects, then ``str`` — so ``Colour.RED`` in ``str | Colour`` and ``1``
  in ``float | int`` come back as they were. A value whose JSON an arm tried earlier reads
  too (``"red"`` there, a member of the second of two enums sharing a value) is refused by
  :func:`encode`, never stored to come back as another value. ``init=False`` fields are
  derived when the value is built, so they are not stored; an aggregate is stored without
  its ``pending_events`` (they go to the outbox with the save, PORT-3).

Decoding is strict (SEC-2): text is never read as a number, a number never as text or a
bool, an unknown or missing field is refused, a key twice in one object is refused at any
depth (PostgreSQL ``json`` keeps both; which one counts is no reader's guess), an instant
must be aware, integers fit 64 bits, and every value's own validators run. A float field
also reads the integer literal a JSON store may write for it (PostgreSQL jsonb stores
``1e25`` as 26 digits) when it is the float's exact value or shortest digits, never
rounding another integer. Malformed stored data — not JSON, the wrong shape, an unknown
type, a wrong field type, a schema that is not a positive int, absurd nesting — raises
:class:`~omakase_core.errors.DecodeError` naming the type and the field, never a raw
``JSONDecodeError``, ``KeyError``, ``RecursionError`` or cattrs error, and never a silently
wrong value. :func:`encode` writes only what :func:`decode` reads back.
"""

from __future__ import annotations

import contextvars
import decimal
import enum
import functools
import importlib.util
import json
import math
import re
import threading
import types
import typing
from collections.abc import Callable, Mapping, MutableMapping
from datetime import UTC, date, datetime, time
from typing import Any, Final, TypeVar, overload

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ForbiddenExtraKeysError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from omakase_core.calendar import to_jst
from omakase_core.errors import (
    DecodeError,
    DefinitionError,
    OmakaseError,
    ValidationError,
    excerpt,
)

__all__ = ["DecodeError", "decode", "encode", "register_upcaster", "stored", "type_name"]

T = TypeVar("T")
C = TypeVar("C")

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]
"""Turns the data of one schema version of a type into the next version's (PORT-7)."""

_NAME: Final = re.compile(r"[a-z][a-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+")
_MAX_NAME: Final = 100
_MAX_VERSION: Final = 10_000
_MAX_INT: Final = 2**63 - 1
"""Integers the codec writes and reads fit 64 bits, what SQL databases store as INTEGER."""
_MAX_DIGITS: Final = 310
"""The longest integer literal read: a float's digits, which a JSON store may write out in
full (PostgreSQL jsonb stores ``1e308`` as 309 digits), and a sign. An int field still
takes only 64 bits; a longer literal is refused before Python converts it."""
_JSONB_INTEGRAL: Final = 1e16
"""From here on Python writes a float in exponent form (``1e+16``), which PostgreSQL jsonb
rewrites as an integer literal (``10000000000000000``)."""
_MAX_DEPTH: Final = 32
"""The deepest nesting the codec writes; deeper values are refused, never a RecursionError."""
_MAX_ISO: Final = 64
_ENVELOPE: Final = frozenset({"type", "schema", "data"})
_OMITTED: Final = ("pending_events",)
"""Fields an aggregate records for the outbox; they are not part of its stored state."""
_LIBRARY: Final = "omakase_core"
_DEFAULTS_FILL: Final = contextvars.ContextVar("_DEFAULTS_FILL", default=False)
"""Whether the data being read was stored at an older schema (PORT-7): only then may a field
with a default be missing (a newer schema added it), and the default is what it meant."""


# -- the registry of stored types ------------------------------------------------------------


@attrs.frozen
class _Type:
    """A class declared with :func:`stored`: its name, schema version and omitted fields."""

    name: str
    cls: type
    version: int
    omit: tuple[str, ...]


_LOCK: Final = threading.Lock()
_BY_NAME: Final[dict[str, _Type]] = {}
_BY_CLASS: Final[dict[type, _Type]] = {}
_UPCASTERS: Final[dict[tuple[str, int], Upcaster]] = {}


def _check_name(value: object, field: str) -> str:
    if type(value) is str and len(value) <= _MAX_NAME and _NAME.fullmatch(value):
        return value
    msg = (
        f"{field} must be a stored type name such as 'contract.Contract' "
        f"(namespace.Name, at most {_MAX_NAME} characters), not {excerpt(value)}"
    )
    raise ValidationError(msg, field=field, rule="PORT-7")


def _check_version(value: object, field: str) -> int:
    if type(value) is int and 1 <= value <= _MAX_VERSION:
        return value
    msg = f"{field} must be an int from 1 to {_MAX_VERSION}, not {excerpt(value)}"
    raise ValidationError(msg, field=field, rule="PORT-7")


def _owner(cls: type) -> str | None:
    """Return the library package a class belongs to (``contract``), or None for a caller's."""
    module = getattr(cls, "__module__", "")
    if isinstance(module, str) and module.startswith(f"{_LIBRARY}."):
        return module.split(".")[1]
    return None


@functools.lru_cache(maxsize=256)  # bounded: stored data may name any namespace
def _reserved(namespace: str) -> bool:
    """Return whether ``namespace`` is a package or module of the library (PORT-7)."""
    if namespace in {_LIBRARY, "omakase"}:
        return True
    try:
        return importlib.util.find_spec(f"{_LIBRARY}.{namespace}") is not None
    except (ImportError, ValueError):  # a name Python cannot look up: not the library's
        return False


def stored(name: str, *, version: int = 1) -> Callable[[type[C]], type[C]]:
    """Declare an attrs class as stored under ``name`` at schema ``version`` (PORT-7).

    Put it above ``@attrs.frozen``::

        @stored("portal.InvoiceSent", version=2)
        @attrs.frozen(kw_only=True)
        class InvoiceSent(Event): ...

    ``name`` is ``namespace.Name``; a caller's class may not use a namespace of the
    library (``contract``, ``submission``, …) and no two classes share a name: either is a
    :class:`~omakase_core.errors.DefinitionError` when the class is declared. Raise
    ``version`` when the stored fields change, and register an upcaster from the old
    version unless the change only added fields with defaults.
    """
    _check_name(name, "name")
    _check_version(version, "version")

    def declare(cls: type[C]) -> type[C]:
        _register(cls, name, version)
        return cls

    return declare


def _register(cls: object, name: str, version: int) -> None:
    if not isinstance(cls, type) or not attrs.has(cls):
        msg = f"stored() declares attrs classes (put it above @attrs.frozen), not {excerpt(cls)}"
        raise ValidationError(msg, field="cls", rule="PORT-7")
    namespace = name.split(".", 1)[0]
    owner = _owner(cls)
    if owner is not None and namespace != owner:
        msg = f"a class of {_LIBRARY}.{owner} is stored in the namespace {owner!r}, not {name!r}"
        raise DefinitionError(msg, chart=name)
    if owner is None and _reserved(namespace):
        msg = (
            f"the namespace {namespace!r} belongs to {_LIBRARY}: a caller's class "
            f"({cls.__qualname__}) is stored under a namespace of its own, such as "
            f"'portal.{cls.__name__}' (PORT-7)"
        )
        raise DefinitionError(msg, chart=name)
    fields = {field.name: field for field in attrs.fields(cls)}
    omit = tuple(field for field in _OMITTED if field in fields)
    for field in omit:
        if fields[field].default is attrs.NOTHING:
            msg = f"{name}.{field} is not stored, so it needs a default to decode"
            raise DefinitionError(msg, chart=name)
    entry = _Type(name=name, cls=cls, version=version, omit=omit)
    with _LOCK:
        taken = _BY_NAME.get(name)
        if taken is not None and taken != entry:
            where = f"{taken.cls.__module__}.{taken.cls.__qualname__}"
            msg = f"{name!r} already names {where} (schema {taken.version}); names are unique"
            raise DefinitionError(msg, chart=name)
        known = _BY_CLASS.get(cls)
        if known is not None and known != entry:
            msg = f"{cls.__qualname__} is already stored as {known.name!r}"
            raise DefinitionError(msg, chart=name)
        _BY_NAME[name] = entry
        _BY_CLASS[cls] = entry


def _lookup(name: str) -> _Type | None:
    """Return the stored type ``name``, importing the library package that declares it."""
    entry = _BY_NAME.get(name)
    if entry is None and len(name) <= _MAX_NAME and _NAME.fullmatch(name):
        namespace = name.split(".", 1)[0]
        if namespace != _LIBRARY and _reserved(namespace):
            try:  # the library's packages declare their types when they load
                importlib.import_module(f"{_LIBRARY}.{namespace}")
            except ImportError:
                return None
            entry = _BY_NAME.get(name)
    return entry


def type_name(cls_or_value: object) -> str:
    """Return the stored type name of a class declared with :func:`stored`, or of its value."""
    cls = cls_or_value if isinstance(cls_or_value, type) else type(cls_or_value)
    entry = _BY_CLASS.get(cls)
    if entry is None:
        msg = (
            "cls_or_value must be a class declared with stored() or one of its values, "
            f"not {excerpt(cls_or_value)}"
        )
        raise ValidationError(msg, field="cls_or_value", rule="PORT-7")
    return entry.name


def register_upcaster(name: str, from_version: int, upcast: Upcaster) -> None:
    """Register how stored data of ``name`` at schema ``from_version`` becomes the next's.

    ``upcast`` takes the old data (a dict) and returns the new one; decoding chains the
    upcasters from the stored version to the type's current one (PORT-7). The type must be
    declared first, ``from_version`` must be older than its current version, and each
    (type, version) has one upcaster: anything else is a
    :class:`~omakase_core.errors.DefinitionError`. Only the library upcasts the library's
    types.
    """
    _check_name(name, "name")
    _check_version(from_version, "from_version")
    given: object = upcast  # callers are not always type-checked
    if not callable(given):
        msg = f"upcast must be a function from dict to dict, not {excerpt(upcast)}"
        raise ValidationError(msg, field="upcast", rule="PORT-7")
    entry = _lookup(name)
    if entry is None:
        msg = f"{name!r} is not a stored type: declare it with stored() before its upcasters"
        raise DefinitionError(msg, chart=name)
    module = getattr(upcast, "__module__", None)
    library_module = isinstance(module, str) and module.startswith(f"{_LIBRARY}.")
    if _owner(entry.cls) is not None and not library_module:
        msg = f"{name} belongs to {_LIBRARY}: only the library upcasts its stored data"
        raise DefinitionError(msg, chart=name)
    if from_version >= entry.version:
        msg = (
            f"{name} is at schema {entry.version}: upcasters lead from an older schema, "
            f"not from {from_version}"
        )
        raise DefinitionError(msg, chart=name)
    with _LOCK:
        if (name, from_version) in _UPCASTERS:
            msg = f"{name} already has an upcaster from schema {from_version}"
            raise DefinitionError(msg, chart=name)
        _UPCASTERS[name, from_version] = upcast


# -- why a value cannot be converted, and where ----------------------------------------------


class _Refused(Exception):  # internal: never raised out of the module
    """A value the codec cannot write or read, and why; ``path`` says where inside."""

    def __init__(self, reason: str, path: str = "") -> None:
        self.reason = reason
        self.path = path
        super().__init__(reason)


class _Nested(Exception):
    """An item of an array or object failed: ``step`` (``[2]``, ``['key']``) and the cause."""

    def __init__(self, step: str, cause: Exception) -> None:
        self.step = step
        self.cause = cause
        super().__init__(step)


class _Unsupported(Exception):
    """A type the codec does not convert (``list[int]``, ``Any``, a protocol, …)."""

    def __init__(self, tp: object) -> None:
        self.tp = tp
        super().__init__(f"{excerpt(tp, 60)} is not a type the codec stores")


def _kind(data: object) -> str:
    return f"{type(data).__name__} {excerpt(data, 30)}"


# -- structuring: the hooks that read data (strict, SEC-2) -----------------------------------


def _unsupported_factory(tp: Any) -> Any:  # a cattrs hook factory: raises instead
    raise _Unsupported(tp)


def _structure_str(data: object, tp: Any) -> Any:
    if tp is not str:
        return _structure_enum(data, tp)
    if type(data) is str:
        return data
    raise _Refused(f"must be text, not {_kind(data)}")


def _structure_int(data: object, tp: Any) -> Any:
    if tp is not int:
        return _structure_enum(data, tp)
    if type(data) is int and -_MAX_INT <= data <= _MAX_INT:
        return data
    raise _Refused(f"must be a 64-bit int, not {_kind(data)}")


def _structure_float(data: object, tp: Any) -> float:
    if tp is not float:
        raise _Unsupported(tp)
    if type(data) is float and math.isfinite(data):
        return data
    if type(data) is int:
        return _float_of(data)
    raise _Refused(f"must be a finite number, not {_kind(data)}")


def _float_of(number: int) -> float:
    """Return the float an integer literal denotes exactly, or refuse it (PORT-7).

    A JSON store may write a float as an integer: PostgreSQL jsonb stores ``1e25`` as
    ``10000000000000000000000000``. The literal is read when it is the float's exact value
    or its shortest decimal digits (what Python wrote); one that only rounds to a float is
    refused, never rounded silently.
    """
    try:
        value = float(number)
    except OverflowError:
        value = math.inf
    if math.isfinite(value) and (int(value) == number or decimal.Decimal(repr(value)) == number):
        return value
    raise _Refused(f"is an integer no float holds exactly: {_kind(number)}")


def _structure_bool(data: object, _: Any) -> bool:
    if type(data) is bool:
        return data
    raise _Refused(f"must be true or false, not {_kind(data)}")


def _structure_none(data: object, _: Any) -> None:
    if data is not None:
        raise _Refused(f"must be null, not {_kind(data)}")


def _refuse_type(_: object, tp: Any) -> Any:
    raise _Unsupported(tp)


@functools.cache
def _members(tp: type[enum.Enum]) -> dict[tuple[type, object], enum.Enum]:
    return {(type(member.value), member.value): member for member in tp}


def _structure_enum(data: object, tp: Any) -> Any:
    if not (isinstance(tp, type) and issubclass(tp, enum.Enum)):
        raise _Unsupported(tp)
    try:
        member = _members(tp).get((type(data), data))
    except TypeError:  # an array or object: not hashable, not a value
        member = None
    if member is None:
        raise _Refused(f"is not a {tp.__name__} value: {_kind(data)}")
    return member


def _iso_text(data: object, what: str) -> str:
    if type(data) is str and len(data) <= _MAX_ISO:
        return data
    raise _Refused(f"must be an ISO {what} text, not {_kind(data)}")


def _structure_datetime(data: object, _: Any) -> datetime:
    return _instant(_iso_text(data, "instant"))


@functools.lru_cache(maxsize=4096)  # stored data repeats its instants; a refusal is not kept
def _instant(text: str) -> datetime:
    """Return the ISO instant ``text`` in JST; refuse a naive or malformed one (CAL-1)."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise _Refused(f"is {excerpt(text)}, not an ISO instant") from None
    if value.utcoffset() is None:
        raise _Refused(f"is {excerpt(text)}, a naive datetime (CAL-1)")
    return to_jst(value)


def _structure_date(data: object, _: Any) -> date:
    text = _iso_text(data, "date")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _Refused(f"is {excerpt(text)}, not an ISO date") from None


def _structure_time(data: object, _: Any) -> time:
    text = _iso_text(data, "time")
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise _Refused(f"is {excerpt(text)}, not an ISO time") from None


def _array(data: object) -> list[Any]:
    if type(data) is list:
        return data
    raise _Refused(f"must be an array, not {_kind(data)}")


def _items(hook: Any, tp: Any, data: list[Any]) -> list[Any]:
    out = []
    for i, item in enumerate(data):
        try:
            out.append(hook(item, tp))
        except Exception as error:
            raise _Nested(f"[{i}]", error) from None
    return out


def _origin(tp: Any) -> Any:
    return typing.get_origin(tp)


def _is_union(tp: Any) -> bool:
    return _origin(tp) in (typing.Union, types.UnionType)


def _is_mapping(tp: Any) -> bool:
    origin = _origin(tp)
    if origin is not None:
        return origin in (dict, Mapping, MutableMapping)
    return tp in (dict, Mapping, MutableMapping, types.MappingProxyType)


# -- unstructuring: the hooks that write data -------------------------------------------------


def _unstructure_enum(member: enum.Enum) -> Any:
    return member.value


def _unstructure_datetime(value: datetime) -> str:
    given: object = value  # a declared datetime field may hold anything
    if not isinstance(given, datetime) or given.utcoffset() is None:
        raise _Refused(f"is {_kind(value)}, a naive datetime (CAL-1)")
    try:  # write only what reads back: the first hours of year 1 in JST have no UTC instant
        value.astimezone(UTC)
    except OverflowError:
        raise _Refused(f"is {excerpt(value)}, which has no UTC instant to read back") from None
    return value.isoformat()


def _unstructure_date(value: date) -> str:
    if type(value) is not date:  # a datetime where a day is declared would not read back
        raise _Refused(f"is {_kind(value)}, not a date")
    return value.isoformat()


def _unstructure_time(value: time) -> str:
    return value.isoformat()


def _sort_key(item: object) -> str:
    return json.dumps(item, sort_keys=True, ensure_ascii=False, default=repr)


# -- the converter's hook factories (each takes the type and the converter) -----------------


def _literal_value(choice: object) -> object:
    """Return what a ``Literal`` choice is stored as: an enum member by its value."""
    return choice.value if isinstance(choice, enum.Enum) else choice


def _literal(tp: Any, _: cattrs.Converter) -> Any:
    values = typing.get_args(tp)
    stored = [(type(_literal_value(v)), _literal_value(v), v) for v in values]
    if len({(kind, value) for kind, value, _ in stored}) != len(stored):
        raise _Unsupported(tp)  # two choices stored alike: reading could not tell them apart

    def hook(data: object, _: Any) -> Any:
        for kind, value, choice in stored:
            if kind is type(data) and value == data:
                return choice
        raise _Refused(f"must be one of {excerpt(values)}, not {_kind(data)}")

    return hook


_RANKS: Final[tuple[type, ...]] = (bool, int, float, datetime, date, time)
"""Scalar union arms in the order they are tried, after literals and enums (PORT-7)."""


def _rank(arm: Any) -> int:
    """Return where ``arm`` is tried among a union's arms: the narrowest reading first.

    Literals, then enums (a ``StrEnum`` before ``str``, an ``IntEnum`` before ``int``),
    then ``bool`` before ``int`` before ``float``, the ISO texts (instants before dates),
    arrays and objects, and plain ``str`` last.
    """
    if _origin(arm) is typing.Literal:
        return 0
    if isinstance(arm, type) and issubclass(arm, enum.Enum):
        return 1
    for rank, kind in enumerate(_RANKS, start=2):
        if arm is kind:
            return rank
    return len(_RANKS) + 3 if arm is str else len(_RANKS) + 2


def _arms(tp: Any) -> list[Any]:
    """Return the arms of the union ``tp`` but ``None``, in the order they are tried."""
    return sorted((arm for arm in typing.get_args(tp) if arm is not type(None)), key=_rank)


def _union(tp: Any, converter: cattrs.Converter) -> Any:
    optional = type(None) in typing.get_args(tp)
    arms = [(arm, converter.get_structure_hook(arm)) for arm in _arms(tp)]
    if optional and len(arms) == 1:
        ((arm, inner),) = arms

        def maybe(data: object, _: Any) -> Any:
            return None if data is None else inner(data, arm)

        return maybe
    names = ", ".join(excerpt(arm, 30) for arm, _ in arms)

    def first_fit(data: object, _: Any) -> Any:
        if data is None and optional:
            return None
        for arm, hook in arms:
            try:
                return hook(data, arm)
            except Exception:  # noqa: S112  # this arm does not fit: try the next one
                continue
        raise _Refused(f"matches none of {names}: {_kind(data)}")

    return first_fit


def _tuple(tp: Any, converter: cattrs.Converter) -> Any:
    args = typing.get_args(tp)
    if len(args) == 2 and args[1] is Ellipsis:  # tuple[X, ...]
        item = args[0]
        inner = converter.get_structure_hook(item)

        def homogeneous(data: object, _: Any) -> tuple[Any, ...]:
            return tuple(_items(inner, item, _array(data)))

        return homogeneous
    if not args or Ellipsis in args:
        raise _Unsupported(tp)
    hooks = [(arg, converter.get_structure_hook(arg)) for arg in args]

    def fixed(data: object, _: Any) -> tuple[Any, ...]:
        items = _array(data)
        if len(items) != len(hooks):
            raise _Refused(f"must have {len(hooks)} items, not {len(items)}")
        out = []
        for i, ((arg, hook), item) in enumerate(zip(hooks, items, strict=True)):
            try:
                out.append(hook(item, arg))
            except Exception as error:
                raise _Nested(f"[{i}]", error) from None
        return tuple(out)

    return fixed


def _frozenset(tp: Any, converter: cattrs.Converter) -> Any:
    args = typing.get_args(tp)
    if len(args) != 1:
        raise _Unsupported(tp)
    item = args[0]
    inner = converter.get_structure_hook(item)

    def hook(data: object, _: Any) -> frozenset[Any]:
        return frozenset(_items(inner, item, _array(data)))

    return hook


def _mapping(tp: Any, converter: cattrs.Converter) -> Any:
    args = typing.get_args(tp)
    if len(args) != 2 or args[0] is not str:
        raise _Unsupported(tp)
    value = args[1]
    inner = converter.get_structure_hook(value)

    def hook(data: object, _: Any) -> dict[str, Any]:
        if type(data) is not dict:
            raise _Refused(f"must be an object, not {_kind(data)}")
        out = {}
        for k, v in data.items():
            try:
                out[k] = inner(v, value)
            except Exception as error:
                raise _Nested(f"[{excerpt(k, 20)}]", error) from None
        return out

    return hook


def _omitted(cls: type) -> dict[str, Any]:
    """Return the cattrs overrides leaving out what a stored class does not store."""
    entry = _BY_CLASS.get(cls)
    return {field: override(omit=True) for field in (entry.omit if entry else ())}


def _attrs(cls: Any, converter: cattrs.Converter) -> Any:
    if _origin(cls) is not None:  # a generic attrs class: not stored
        raise _Unsupported(cls)
    omitted = _omitted(cls)
    inner = make_dict_structure_fn(cls, converter, **omitted)
    stored_fields = [f.name for f in attrs.fields(cls) if f.init and f.name not in omitted]
    count = len(stored_fields)

    def hook(data: object, _: Any) -> Any:
        if type(data) is not dict:
            raise _Refused(f"must be an object (a {cls.__name__}), not {_kind(data)}")
        # Fewer keys than fields: one is missing. As many or more with one missing means
        # a key that is no field, which the converter refuses (forbid_extra_keys).
        if len(data) < count and not _DEFAULTS_FILL.get():
            missing = next(name for name in stored_fields if name not in data)
            raise _Nested(f".{missing}", _Refused(f"is missing (a field of {cls.__name__})"))
        return inner(data, cls)

    return hook


def _write_sequence(tp: Any, converter: cattrs.Converter) -> Any:
    args = typing.get_args(tp)
    if len(args) == 2 and args[1] is Ellipsis:
        inner = converter.get_unstructure_hook(args[0])
        return lambda value: [inner(item) for item in value]
    if args:
        hooks = [converter.get_unstructure_hook(arg) for arg in args]
        return lambda value: [hook(item) for hook, item in zip(hooks, value, strict=True)]
    return lambda value: [converter.unstructure(item) for item in value]


def _write_set(tp: Any, converter: cattrs.Converter) -> Any:
    args = typing.get_args(tp)
    inner = converter.get_unstructure_hook(args[0]) if args else converter.unstructure
    return lambda value: sorted((inner(item) for item in value), key=_sort_key)


def _write_mapping(tp: Any, converter: cattrs.Converter) -> Any:
    args = typing.get_args(tp)
    inner = converter.get_unstructure_hook(args[1]) if len(args) == 2 else converter.unstructure

    def write(value: Mapping[Any, Any]) -> dict[str, Any]:
        out = {}
        for key, item in value.items():
            if type(key) is not str:
                raise _Refused(f"is a mapping whose keys are not all text ({_kind(key)})")
            out[key] = inner(item)
        return out

    return write


def _fits(value: object, arm: Any) -> bool:
    """Return whether ``value`` is written as the union arm ``arm`` (and read back as it)."""
    if arm is type(None):
        return value is None
    origin = _origin(arm)
    if origin is typing.Literal:
        return any(
            type(value) is type(choice) and value == choice for choice in typing.get_args(arm)
        )
    kind = origin if origin is not None else arm
    if kind is float and type(value) is int:
        return True
    if kind is int and type(value) is bool:
        return False
    return isinstance(kind, type) and isinstance(value, kind)


def _stored_forms(data: object) -> tuple[object, ...]:
    """Return ``data`` and what a JSON store may turn it into (PostgreSQL jsonb: 1e16 → int)."""
    if type(data) is float and abs(data) >= _JSONB_INTEGRAL:
        return data, int(data)
    return (data,)


def _write_union(tp: Any, converter: cattrs.Converter) -> Any:
    """Write a union's value as the first arm it fits, in reading order (:func:`_rank`).

    Stored JSON does not say which arm wrote it, so decoding takes the first arm that reads
    it. A value whose JSON an earlier arm reads too (``"red"`` in ``str | Colour`` where
    ``Colour.RED == "red"``, a member of the second of two enums sharing a value, an
    ISO date text in ``str | date``, a float of 1e16 or more in ``int | float``, which
    PostgreSQL jsonb rewrites as an integer) would read back as another value: it is
    refused here, never stored to come back wrong (PORT-7).
    """
    optional = type(None) in typing.get_args(tp)
    arms = [(arm, converter.get_structure_hook(arm)) for arm in _arms(tp)]
    names = ", ".join(excerpt(arm, 30) for arm, _ in arms)

    def write(value: Any) -> Any:
        if value is None and optional:
            return None
        for index, (arm, _) in enumerate(arms):
            if _fits(value, arm):
                data = converter.unstructure(value, unstructure_as=arm)
                _told_apart(data, arm, arms[:index])
                return data
        raise _Refused(f"is a {type(value).__name__}, not one of {names}")

    return write


def _told_apart(data: object, arm: Any, earlier: list[tuple[Any, Any]]) -> None:
    """Refuse ``data`` written as ``arm`` when an arm tried before it reads it too."""
    for other, hook in earlier:
        for form in _stored_forms(data):
            try:
                hook(form, other)
            except Exception:  # noqa: S112  # that arm does not read it: as it should be
                continue
            msg = (
                f"would read back as {excerpt(other, 30)}, not as the {excerpt(arm, 30)} it "
                "is: the union's arms store it alike"
            )
            raise _Refused(msg)


def _write_literal(_: Any) -> Any:
    return _literal_value


def _write_attrs(cls: Any, converter: cattrs.Converter) -> Any:
    inner = make_dict_unstructure_fn(cls, converter, **_omitted(cls))

    def write(value: Any) -> Any:
        if type(value) is not cls:  # a subclass's own fields would be lost
            shown = type(value).__name__
            raise _Refused(f"is a {shown} where a {cls.__name__} is declared")
        return inner(value)

    return write


def _is_sequence(tp: Any) -> bool:
    return tp in (tuple, list) or _origin(tp) in (tuple, list)


def _is_set(tp: Any) -> bool:
    return tp in (frozenset, set) or _origin(tp) in (frozenset, set)


_READERS: Final[tuple[tuple[type, Callable[[Any, Any], Any]], ...]] = (
    (str, _structure_str),
    (int, _structure_int),
    (float, _structure_float),
    (bool, _structure_bool),
    (bytes, _refuse_type),
    (enum.Enum, _structure_enum),
    (enum.StrEnum, _structure_enum),
    (enum.IntEnum, _structure_enum),
    (datetime, _structure_datetime),
    (date, _structure_date),
    (time, _structure_time),
)
_WRITERS: Final[tuple[tuple[type, Callable[[Any], Any]], ...]] = (
    (enum.Enum, _unstructure_enum),
    (enum.StrEnum, _unstructure_enum),
    (enum.IntEnum, _unstructure_enum),
    (datetime, _unstructure_datetime),
    (date, _unstructure_date),
    (time, _unstructure_time),
)


def _converter() -> cattrs.Converter:
    """Return the library's cattrs converter: strict, closed-world hooks (PORT-7, SEC-2)."""
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    # A closed world: a type no hook below claims is refused, never passed through. (Hooks
    # registered later are tried first.)
    converter.register_structure_hook_factory(lambda _: True, _unsupported_factory)
    for cls, read in _READERS:
        converter.register_structure_hook(cls, read)
    converter.register_structure_hook_func(lambda tp: tp in (None, type(None)), _structure_none)
    converter.register_structure_hook_factory(lambda tp: _origin(tp) is typing.Literal, _literal)
    converter.register_structure_hook_factory(_is_union, _union)
    converter.register_structure_hook_factory(lambda tp: _origin(tp) is tuple, _tuple)
    converter.register_structure_hook_factory(lambda tp: _origin(tp) is frozenset, _frozenset)
    converter.register_structure_hook_factory(_is_mapping, _mapping)
    converter.register_structure_hook_factory(attrs.has, _attrs)
    for cls, write in _WRITERS:
        converter.register_unstructure_hook(cls, write)
    converter.register_unstructure_hook_factory(_is_sequence, _write_sequence)
    converter.register_unstructure_hook_factory(_is_set, _write_set)
    converter.register_unstructure_hook_factory(_is_mapping, _write_mapping)
    converter.register_unstructure_hook_factory(_is_union, _write_union)
    converter.register_unstructure_hook_factory(
        lambda tp: _origin(tp) is typing.Literal, _write_literal
    )
    converter.register_unstructure_hook_factory(attrs.has, _write_attrs)
    return converter


_CONVERTER: Final = _converter()


# -- the JSON written: only what reads back --------------------------------------------------


def _scalar(value: object, path: str) -> bool:
    """Return whether ``value`` is a JSON scalar the codec reads back; refuse a bad one."""
    if isinstance(value, str):
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise _Refused("is text that is not valid Unicode", path) from None
        return True
    if value is None or value is True or value is False:
        return True
    if isinstance(value, int):
        if not -_MAX_INT <= value <= _MAX_INT:
            raise _Refused("is an integer beyond 64 bits", path)
        return True
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _Refused(f"is {value}, which JSON cannot hold", path)
        return True
    return False


def _check(value: object, path: str, depth: int) -> None:
    """Refuse what JSON cannot hold or the codec could not read back (SEC-2)."""
    if _scalar(value, path):
        return
    if depth >= _MAX_DEPTH:
        raise _Refused(f"is nested deeper than {_MAX_DEPTH} levels", path)
    if type(value) is dict:
        for key, item in value.items():
            if type(key) is not str:
                raise _Refused("is a mapping whose keys are not all text", path)
            _scalar(key, path)
            _check(item, f"{path}.{key[:20]}", depth + 1)
    elif type(value) is list:
        for i, item in enumerate(value):
            _check(item, f"{path}[{i}]", depth + 1)
    else:
        raise _Refused(f"is a {type(value).__name__}, which the codec cannot encode", path)


def _unstructure(value: object, tp: Any, field: str) -> Any:
    """Return ``value`` as JSON-ready data, or a ValidationError naming ``field``."""
    try:
        data = _CONVERTER.unstructure(value, unstructure_as=tp)
        _check(data, "", 0)
    except _Refused as error:
        msg = f"{field}{error.path}: {error.reason}"
        raise ValidationError(msg, field=field, rule="PORT-7") from None
    except RecursionError:
        msg = f"{field}: is nested deeper than {_MAX_DEPTH} levels (or holds a cycle)"
        raise ValidationError(msg, field=field, rule="PORT-7") from None
    except (_Unsupported, TypeError, ValueError, AttributeError) as error:
        msg = f"{field}: cannot be encoded ({type(error).__name__}: {excerpt(str(error), 60)})"
        raise ValidationError(msg, field=field, rule="PORT-7") from None
    return data


def encode(value: object) -> str:
    """Return ``value`` (of a class declared with :func:`stored`) as stored JSON text (PORT-7).

    The text is the envelope ``{"type": name, "schema": version, "data": {...}}``; an
    aggregate's ``pending_events`` are not part of it. Anything else, or a value holding
    what :func:`decode` could not read back (NaN, an int beyond 64 bits, text that is not
    valid Unicode, a naive instant, absurd nesting), is a ``ValidationError`` naming
    ``value``.
    """
    return write(value, field="value")


def write(value: object, *, field: str) -> str:
    """Return :func:`encode`'s text of ``value``; a refusal names ``field`` (for ``events``)."""
    entry = _BY_CLASS.get(type(value))
    if entry is None:
        msg = (
            f"{field} must be an instance of a class declared with stored(), "
            f"not {type(value).__name__}"
        )
        raise ValidationError(msg, field=field, rule="PORT-7")
    data = _unstructure(value, entry.cls, field)
    return json.dumps(
        {"type": entry.name, "schema": entry.version, "data": data},
        ensure_ascii=False,
        allow_nan=False,
    )


def to_json_data(value: object) -> Any:
    """Return any value the codec converts as JSON-ready data (``events.to_data``)."""
    return _unstructure(value, None, "value")


def from_json_data(tp: Any, data: object) -> Any:
    """Return ``data`` structured as ``tp`` (``events.from_data``); refusals name the parameter."""
    try:
        hook = _CONVERTER.get_structure_hook(tp)
    except _Unsupported as error:
        raise ValidationError(f"tp: {error}", field="tp", rule="PORT-7") from None
    except Exception as error:  # an unhashable or otherwise impossible "type"
        msg = f"tp: {excerpt(tp)} is not a type ({type(error).__name__})"
        raise ValidationError(msg, field="tp", rule="PORT-7") from None
    try:
        return hook(data, tp)
    except Exception as error:
        path, reason = _locate(error)
        raise ValidationError(f"data{path}: {reason}", field="data", rule="PORT-7") from None


# -- reading -----------------------------------------------------------------------------------


def _parse_int(text: str) -> int:
    if len(text) > _MAX_DIGITS:
        msg = "an integer of more digits than 64 bits hold"
        raise ValueError(msg)
    return int(text)


def _parse_constant(name: str) -> float:
    msg = f"{name} is not JSON"
    raise ValueError(msg)


class _Twice(ValueError):
    """A JSON object holds a key twice: which one a reader takes is not the codec's guess."""


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Return a JSON object's pairs as a dict; a key twice in one object is refused (PORT-7).

    PostgreSQL's ``json`` keeps every copy of a key, and Python's ``json`` would keep the
    last: a stored contract could read as another contract.
    """
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                msg = f"the key {excerpt(key, 20)} appears twice in one object"
                raise _Twice(msg)
            seen.add(key)
    return data


_JSON: Final = json.JSONDecoder(
    object_pairs_hook=_object, parse_int=_parse_int, parse_constant=_parse_constant
)


def _locate(error: BaseException) -> tuple[str, str]:
    """Return (path inside the data, reason) of the first failure under ``error``."""
    path = ""
    while True:
        if isinstance(error, ForbiddenExtraKeysError):
            unknown = sorted(error.extra_fields)
            cls = getattr(error.cl, "__name__", "the type")
            shown = "".join(ch if ch.isprintable() else "?" for ch in unknown[0][:20])
            return f"{path}.{shown}", f"is not a field of {cls}"  # no control character
        if isinstance(error, BaseValidationError) and error.exceptions:
            sub = error.exceptions[0]
            for note in getattr(sub, "__notes__", ()):
                if isinstance(note, AttributeValidationNote):
                    path += f".{note.name}"
                    break
                if isinstance(note, IterableValidationNote):
                    path += f"[{note.index}]"
                    break
            error = sub
            continue
        if isinstance(error, _Nested):
            path += error.step
            error = error.cause
            continue
        break
    if isinstance(error, _Refused):
        return path, error.reason
    if isinstance(error, KeyError):
        return path, "is missing"
    if isinstance(error, OmakaseError):
        field = getattr(error, "field", None)
        if isinstance(field, str) and not path.endswith(f".{field}"):
            path += f".{field[:40]}"
        return path, f"is refused: {excerpt(error.message, 120)}"
    if isinstance(error, RecursionError):
        return path, f"is nested deeper than {_MAX_DEPTH} levels"
    return path, f"is refused ({type(error).__name__}: {excerpt(str(error), 80)})"


def _refuse(message: str, *, type_name: str | None, field: str | None) -> DecodeError:
    return DecodeError(message, type_name=type_name, field=field)


def _envelope(text: object) -> tuple[str, int, dict[str, Any]]:
    if type(text) is not str:
        msg = f"stored data must be JSON text (str), not {type(text).__name__}"
        raise _refuse(msg, type_name=None, field=None)
    try:
        payload = _JSON.decode(text)
    except json.JSONDecodeError as error:
        msg = f"stored data is not JSON ({error.msg} at character {error.pos})"
        raise _refuse(msg, type_name=None, field=None) from None
    except _Twice as error:
        msg = f"stored data is refused: {error}"
        raise _refuse(msg, type_name=None, field=None) from None
    except (ValueError, RecursionError) as error:
        reason = "nested too deep" if isinstance(error, RecursionError) else excerpt(str(error))
        msg = f"stored data is not JSON the codec reads ({reason})"
        raise _refuse(msg, type_name=None, field=None) from None
    if type(payload) is not dict or payload.keys() != _ENVELOPE:
        msg = 'stored data must be a JSON object with exactly the keys "type", "schema", "data"'
        raise _refuse(msg, type_name=None, field=None)
    name = payload["type"]
    if type(name) is not str:
        msg = f"stored data's type must be a stored type name, not {_kind(name)}"
        raise _refuse(msg, type_name=None, field="type")
    schema = payload["schema"]
    if type(schema) is not int or schema < 1:
        msg = f"stored {excerpt(name, 60)}: schema must be a positive int, not {_kind(schema)}"
        raise _refuse(msg, type_name=name[:_MAX_NAME], field="schema")
    data = payload["data"]
    if type(data) is not dict:
        msg = f"stored {excerpt(name, 60)}: data must be a JSON object, not {_kind(data)}"
        raise _refuse(msg, type_name=name[:_MAX_NAME], field="data")
    return name, schema, data


def _upcast(entry: _Type, schema: int, data: dict[str, Any]) -> dict[str, Any]:
    if schema > entry.version:
        msg = (
            f"stored {entry.name} is at schema {schema}, written by a newer release; this "
            f"release reads schemas 1 to {entry.version}"
        )
        raise _refuse(msg, type_name=entry.name, field="schema")
    for version in range(schema, entry.version):
        upcast = _UPCASTERS.get((entry.name, version))
        if upcast is None:
            continue  # the next version only added fields with defaults
        try:
            data = upcast(data)
        except Exception as error:
            msg = (
                f"stored {entry.name}: its upcaster from schema {version} failed "
                f"({type(error).__name__}: {excerpt(str(error), 60)})"
            )
            raise _refuse(msg, type_name=entry.name, field="data") from None
        if type(data) is not dict:
            msg = f"stored {entry.name}: its upcaster from schema {version} returned no object"
            raise _refuse(msg, type_name=entry.name, field="data")
    return data


@overload
def decode(text: str) -> object: ...


@overload
def decode(text: str, *, expected: type[T]) -> T: ...


def decode(text: str, *, expected: type[Any] | None = None) -> Any:
    """Return the value :func:`encode` wrote as ``text``, upcast to its current schema (PORT-7).

    With ``expected``, the value must be an instance of that class (an event of any kind
    with ``expected=Event``). Malformed stored data — not JSON, a key twice in one object,
    the wrong shape, an unknown type, a schema that is not a positive int or newer than this
    release's, a field unknown or of the wrong type, a field missing (at any depth; data of
    an older schema may lack one with a default, which a newer schema added), a value its
    class refuses — raises :class:`~omakase_core.errors.DecodeError` naming the type and
    the field.
    """
    given: object = expected  # callers are not always type-checked
    if given is not None and not isinstance(given, type):
        msg = f"expected must be a class or None, not {excerpt(expected)}"
        raise ValidationError(msg, field="expected", rule="PORT-7")
    name, schema, data = _envelope(text)
    entry = _lookup(name)
    if entry is None:
        msg = f"stored data is of an unknown type {excerpt(name, 60)}"
        raise _refuse(msg, type_name=name[:_MAX_NAME], field="type")
    if expected is not None and not issubclass(entry.cls, expected):
        msg = f"stored data is a {entry.name}, not a {expected.__qualname__}"
        raise _refuse(msg, type_name=entry.name, field="type")
    data = _upcast(entry, schema, data)
    # Only data of an older schema may lack fields (with defaults, which newer ones added).
    token = _DEFAULTS_FILL.set(schema < entry.version)
    try:
        return _CONVERTER.structure(data, entry.cls)
    except _Unsupported as error:
        msg = f"{entry.name} holds a field the codec cannot store: {error}"
        raise DefinitionError(msg, chart=entry.name) from None
    except Exception as error:
        path, reason = _locate(error)
        field = path.lstrip(".") or None
        where = f"{entry.name}.{field}" if field else entry.name
        msg = f"stored {where} (schema {schema}) {reason}"
        raise _refuse(msg, type_name=entry.name, field=field) from None
    finally:
        _DEFAULTS_FILL.reset(token)
