"""A fast copy-with-changes for the library's own frozen attrs values."""

from __future__ import annotations

import functools
from typing import Any, TypeVar

import attrs

__all__ = ["replace"]

T = TypeVar("T")


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(field.name for field in attrs.fields(cls))


def replace(instance: T, /, **changes: Any) -> T:  # any field's value
    """Return a copy of ``instance`` with ``changes``, each already a checked value.

    ``attrs.evolve`` without its generic look-ups and validators: commands build a new
    aggregate on every step, and the sweeps and services must stay within their time
    budgets. Only the library calls it, with values it has validated.
    """
    cls: type[Any] = type(instance)
    new = object.__new__(cls)
    for name in _field_names(cls):
        object.__setattr__(new, name, changes[name] if name in changes else getattr(instance, name))
    return new
