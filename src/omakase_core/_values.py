"""A fast copy-with-changes for the library's own frozen attrs values."""

from __future__ import annotations

from collections.abc import Callable
from types import MemberDescriptorType
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from omakase_core.calendar import to_jst
from omakase_core.errors import ValidationError

if TYPE_CHECKING:
    from datetime import datetime

__all__ = ["copier", "maker", "replace"]

T = TypeVar("T")

_Copy = Callable[..., Any]
_COPIERS: dict[tuple[type, tuple[str, ...]], _Copy] = {}
_BUILDERS: dict[tuple[type, tuple[str, ...]], _Copy] = {}


def _setters(cls: type, names: list[str], namespace: dict[str, Any]) -> list[str]:
    """Return, per field, the code that sets it on ``new``; fill ``namespace`` with setters.

    A slotted class's field is set through its slot's own descriptor (``__set__``), which is
    twice as fast as ``object.__setattr__`` by name; any other field through the latter.
    """
    lines = []
    for index, name in enumerate(names):
        slot = next((klass.__dict__[name] for klass in cls.__mro__ if name in klass.__dict__), None)
        if isinstance(slot, MemberDescriptorType):
            namespace[f"set_{index}"] = slot.__set__
            lines.append(f"set_{index}(new, {{}})")
        else:
            lines.append(f"set_field(new, {name!r}, {{}})")
    return lines


def _compiled(
    cls: type, parameters: list[str], body: list[str], namespace: dict[str, Any]
) -> _Copy:
    """Compile ``body`` into a function of ``parameters`` returning a new ``cls``."""
    lines = [
        f"def function({', '.join(parameters)}):",
        "    new = new_instance(cls)",
        *(f"    {line}" for line in body),
        "    return new",
    ]
    namespace.update(new_instance=object.__new__, set_field=object.__setattr__, cls=cls)
    exec(compile("\n".join(lines), f"<copy of {cls.__qualname__}>", "exec"), namespace)  # noqa: S102  # code built from the class's own field names
    function: _Copy = namespace["function"]
    return function


def _parameter(name: str) -> str:
    return f"new_{name}"


def _copier(cls: type, changed: tuple[str, ...]) -> _Copy:
    """Build a function ``(instance, *changed values)`` copying ``cls`` with those changed.

    The generated code reads each field directly (``instance.name``) and takes each change as
    a parameter, instead of looping with ``getattr``; attrs builds its own ``__init__`` the
    same way. A change that names no field is ignored.
    """
    names = [field.name for field in attrs.fields(cls)]
    namespace: dict[str, Any] = {}
    setters = _setters(cls, names, namespace)
    body = [
        setter.format(_parameter(name) if name in changed else f"self.{name}")
        for name, setter in zip(names, setters, strict=True)
    ]
    return _compiled(cls, ["self", *map(_parameter, changed)], body, namespace)


def copier(cls: type[T], *changed: str) -> Callable[..., T]:
    """Return the function ``(instance, *values)``: a copy of a ``cls`` with ``changed`` set.

    The values are given in the order of ``changed``, each already a checked value; no
    validator or converter runs (see :func:`replace`). Hot paths keep the function.
    """
    key = (cls, changed)
    copy = _COPIERS.get(key)
    if copy is None:
        copy = _COPIERS[key] = _copier(*key)
    return copy


def replace(instance: T, /, **changes: Any) -> T:  # any field's value
    """Return a copy of ``instance`` with ``changes``, each already a checked value.

    ``attrs.evolve`` without its generic look-ups and validators: commands build a new
    aggregate on every step, and the sweeps and services must stay within their time
    budgets. Only the library calls it, with values it has validated.
    """
    key = (type(instance), tuple(changes))
    copy = _COPIERS.get(key)
    if copy is None:
        copy = _COPIERS[key] = _copier(*key)
    result: T = copy(instance, *changes.values())
    return result


def _builder(cls: type, given: tuple[str, ...]) -> _Copy:
    """Build a function ``(*given values)`` making a ``cls``; the other fields default."""
    namespace: dict[str, Any] = {}
    fields = attrs.fields(cls)
    names = [field.name for field in fields]
    unknown = sorted(set(given) - set(names))
    if unknown:
        msg = f"{cls.__name__} has no field {', '.join(unknown)}"
        raise TypeError(msg)
    body = []
    setters = _setters(cls, names, namespace)
    for index, (field, setter) in enumerate(zip(fields, setters, strict=True)):
        default: Any = field.default  # a value, an attrs.Factory or attrs.NOTHING
        if field.name in given:
            body.append(setter.format(_parameter(field.name)))
        elif isinstance(default, attrs.Factory):  # type: ignore[arg-type]  # attrs.Factory is a class
            if default.takes_self:
                msg = f"{cls.__name__} needs its field {field.name}"
                raise TypeError(msg)
            namespace[f"default_{index}"] = default.factory
            body.append(setter.format(f"default_{index}()"))
        elif default is not attrs.NOTHING:
            namespace[f"default_{index}"] = default
            body.append(setter.format(f"default_{index}"))
        else:
            msg = f"{cls.__name__} needs its field {field.name}"
            raise TypeError(msg)
    return _compiled(cls, list(map(_parameter, given)), body, namespace)


def maker(cls: type[T], *given: str) -> Callable[..., T]:
    """Return the function ``(*values)`` making a ``cls`` from its ``given`` fields.

    The values are given in the order of ``given``, each already a checked value of its
    field; the other fields take their defaults. The constructor without its validators,
    converters and ``__attrs_post_init__``, for the library's own values (an event a command
    records from fields it has checked) on the hot paths of the services.
    """
    key = (cls, given)
    make = _BUILDERS.get(key)
    if make is None:
        make = _BUILDERS[key] = _builder(*key)
    return make


def with_event(aggregate: T, event: Any, /, **changes: Any) -> T:  # any aggregate
    """Return ``aggregate`` with ``changes``, one more recorded ``event`` and its version.

    Every aggregate of the library records events the same way (PORT-3): the event carries
    the next version, the aggregate takes that version and the event's instant, and keeps the
    event in ``pending_events`` until a repository stores it.
    """
    current: Any = aggregate
    copy = copier(type(aggregate), *changes, "version", "updated_at", "pending_events")
    return copy(
        aggregate,
        *changes.values(),
        event.version,
        max(current.updated_at, event.occurred_at),
        (*current.pending_events, event),
    )


def without_events(aggregate: T, /) -> T:
    """Return ``aggregate`` as a repository stores it: the same state, no pending events."""
    current: Any = aggregate
    if not current.pending_events:
        return aggregate
    copy = _WITHOUT_EVENTS.get(type(aggregate))
    if copy is None:
        copy = _WITHOUT_EVENTS[type(aggregate)] = copier(type(aggregate), "pending_events")
    return copy(aggregate, ())  # type: ignore[no-any-return]  # a copier of type(aggregate)


_WITHOUT_EVENTS: dict[type, Callable[..., Any]] = {}
"""Per aggregate class, the copier :func:`without_events` uses (one look-up per save)."""


def command_instant(at: datetime, last_change: datetime, *, what: str) -> datetime:
    """Return ``at`` in JST, refusing an instant before the aggregate's last change.

    Commands come in time order, so a clock going backwards can never reopen a passed
    deadline; ``what`` names the aggregate in the message ("contract", "application", …).
    """
    instant = to_jst(at, field="at")
    if instant < last_change:
        msg = (
            f"at {instant.isoformat()} is before the {what}'s last change at "
            f"{last_change.isoformat()}; commands must come in time order"
        )
        raise ValidationError(msg, field="at")
    return instant
