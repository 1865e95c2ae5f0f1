"""A fast copy-with-changes for the library's own frozen attrs values."""

from __future__ import annotations

from typing import Any, TypeVar

import attrs

__all__ = ["replace"]

T = TypeVar("T")

_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def replace(instance: T, /, **changes: Any) -> T:  # any field's value
    """Return a copy of ``instance`` with ``changes``, each already a checked value.

    ``attrs.evolve`` without its generic look-ups and validators: commands build a new
    aggregate on every step, and the sweeps and services must stay within their time
    budgets. Only the library calls it, with values it has validated.
    """
    cls = type(instance)
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(field.name for field in attrs.fields(cls))  # type: ignore[arg-type]  # only attrs classes come here
    new: T = object.__new__(cls)
    for name in names:
        object.__setattr__(new, name, changes[name] if name in changes else getattr(instance, name))
    return new
