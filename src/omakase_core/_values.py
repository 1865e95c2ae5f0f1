"""A fast copy-with-changes for the library's own frozen attrs values."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from omakase_core.calendar import to_jst
from omakase_core.errors import ValidationError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from datetime import datetime

__all__ = ["replace"]

T = TypeVar("T")

_COPIERS: dict[type, Callable[[Any, Mapping[str, Any]], Any]] = {}


def _copier(cls: type) -> Callable[[Any, Mapping[str, Any]], Any]:
    """Build, once per class, a function that copies an instance field by field.

    The generated code reads each field directly (``self.name``) instead of looping with
    ``getattr``, which halves the cost of a copy; attrs builds its own ``__init__`` the same
    way.
    """
    names = [field.name for field in attrs.fields(cls)]
    lines = ["def copy(self, changes):", "    new = new_instance(cls)"]
    lines += [
        f"    set_field(new, {name!r}, changes[{name!r}] if {name!r} in changes else self.{name})"
        for name in names
    ]
    lines.append("    return new")
    namespace: dict[str, Any] = {
        "new_instance": object.__new__,
        "set_field": object.__setattr__,
        "cls": cls,
    }
    exec(compile("\n".join(lines), f"<copy of {cls.__qualname__}>", "exec"), namespace)  # noqa: S102  # code built from the class's own field names
    copy: Callable[[Any, Mapping[str, Any]], Any] = namespace["copy"]
    return copy


def replace(instance: T, /, **changes: Any) -> T:  # any field's value
    """Return a copy of ``instance`` with ``changes``, each already a checked value.

    ``attrs.evolve`` without its generic look-ups and validators: commands build a new
    aggregate on every step, and the sweeps and services must stay within their time
    budgets. Only the library calls it, with values it has validated.
    """
    cls = type(instance)
    copy = _COPIERS.get(cls)
    if copy is None:
        copy = _COPIERS[cls] = _copier(cls)
    result: T = copy(instance, changes)
    return result


def with_event(aggregate: T, event: Any, /, **changes: Any) -> T:  # any aggregate
    """Return ``aggregate`` with ``changes``, one more recorded ``event`` and its version.

    Every aggregate of the library records events the same way (PORT-3): the event carries
    the next version, the aggregate takes that version and the event's instant, and keeps the
    event in ``pending_events`` until a repository stores it.
    """
    current: Any = aggregate
    return replace(
        aggregate,
        version=event.version,
        updated_at=max(current.updated_at, event.occurred_at),
        pending_events=(*current.pending_events, event),
        **changes,
    )


def without_events(aggregate: T, /) -> T:
    """Return ``aggregate`` as a repository stores it: the same state, no pending events."""
    current: Any = aggregate
    return replace(aggregate, pending_events=()) if current.pending_events else aggregate


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
