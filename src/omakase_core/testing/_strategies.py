"""Hypothesis strategies for lifecycles (needs ``hypothesis``, imported on first use)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from omakase_core.lifecycle import Actor, Lifecycle

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

__all__ = ["UNKNOWN_EVENT", "event_sequences", "steps"]

UNKNOWN_EVENT = "no_such_event"
"""An event id no lifecycle declares; sequences include it to exercise refusals."""


def steps(lifecycle: Lifecycle[Any]) -> SearchStrategy[tuple[str, Actor]]:
    """Return single (event, actor) steps: the lifecycle's events, plus an unknown one."""
    from hypothesis import strategies as st  # noqa: PLC0415  # hypothesis is a test tool

    events = [*sorted({row.event for row in lifecycle.transitions}), UNKNOWN_EVENT]
    return st.tuples(st.sampled_from(events), st.sampled_from(list(Actor)))


def event_sequences(
    lifecycle: Lifecycle[Any], *, max_size: int = 30
) -> SearchStrategy[list[tuple[str, Actor]]]:
    """Return sequences of (event, actor) steps, valid and invalid, for ``lifecycle``."""
    from hypothesis import strategies as st  # noqa: PLC0415  # hypothesis is a test tool

    return st.lists(steps(lifecycle), max_size=max_size)
