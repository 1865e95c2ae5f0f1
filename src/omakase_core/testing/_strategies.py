"""Hypothesis strategies for lifecycles (needs ``hypothesis``, imported on first use).

SEC-2: a strategy is built only for a :class:`~omakase_core.lifecycle.Lifecycle` and a
``max_size`` that is a non-negative ``int``; anything else is a ``ValidationError`` naming
the parameter when the strategy is built, not an error deep inside a later draw.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from omakase_core.errors import ValidationError, excerpt
from omakase_core.lifecycle import Actor, Lifecycle

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

__all__ = ["UNKNOWN_EVENT", "event_sequences", "steps"]

UNKNOWN_EVENT = "no_such_event"
"""An event id no lifecycle declares; sequences include it to exercise refusals."""


_MAX_SIZE = 10_000
"""The longest sequence a strategy draws; more would only slow the test down."""


def _check_lifecycle(lifecycle: object) -> None:
    if not isinstance(lifecycle, Lifecycle):
        msg = f"lifecycle must be a Lifecycle, not {type(lifecycle).__name__}"
        raise ValidationError(msg, field="lifecycle")


def steps(lifecycle: Lifecycle[Any]) -> SearchStrategy[tuple[str, Actor]]:
    """Return single (event, actor) steps: the lifecycle's events, plus an unknown one."""
    _check_lifecycle(lifecycle)
    from hypothesis import strategies as st  # noqa: PLC0415  # hypothesis is a test tool

    events = [*sorted({row.event for row in lifecycle.transitions}), UNKNOWN_EVENT]
    return st.tuples(st.sampled_from(events), st.sampled_from(list(Actor)))


def event_sequences(
    lifecycle: Lifecycle[Any], *, max_size: int = 30
) -> SearchStrategy[list[tuple[str, Actor]]]:
    """Return sequences of (event, actor) steps, valid and invalid, for ``lifecycle``."""
    _check_lifecycle(lifecycle)
    given: object = max_size  # callers are not always type-checked
    if type(given) is not int or not 0 <= given <= _MAX_SIZE:
        msg = f"max_size must be an int from 0 to {_MAX_SIZE}, not {excerpt(given)}"
        raise ValidationError(msg, field="max_size")
    from hypothesis import strategies as st  # noqa: PLC0415  # hypothesis is a test tool

    return st.lists(steps(lifecycle), max_size=max_size)
