"""Every registered lifecycle: ``Lifecycle.fire`` agrees with python-statemachine step by step.

The chart is the single source of truth; the compiled table must accept, refuse and move
exactly as python-statemachine's own engine does with the same chart, events with no
transition being refused rather than ignored.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from statemachine.exceptions import TransitionNotAllowed

from omakase_core import LIFECYCLES, Actor, InvalidTransition, Lifecycle, PermissionDenied
from omakase_core.testing import event_sequences

NAMES = sorted(LIFECYCLES)


@pytest.mark.parametrize("name", NAMES)
def test_every_chart_refuses_events_without_transitions(name: str) -> None:
    chart = LIFECYCLES[name].chart
    assert chart.allow_event_without_transition is False


@pytest.mark.parametrize("name", NAMES)
@given(data=st.data())
def test_fire_agrees_with_python_statemachine_on_random_sequences(
    name: str, data: st.DataObject
) -> None:
    lifecycle: Lifecycle[Any] = LIFECYCLES[name]
    sequence = data.draw(event_sequences(lifecycle))
    machine = lifecycle.chart()
    status = lifecycle.initial
    assert machine.current_state_value is status
    for event, actor in sequence:
        try:
            target = lifecycle.fire(status, event, actor=actor)
        except (InvalidTransition, PermissionDenied):
            target = None
        try:
            machine.send(event, actor=actor)
            accepted = True
        except TransitionNotAllowed:
            accepted = False
        assert accepted == (target is not None), (status, event, actor)
        if target is not None:
            status = target
        assert machine.current_state_value is status, (status, event, actor)


@pytest.mark.parametrize("name", NAMES)
def test_every_transition_is_reachable_and_declares_one_known_actor(name: str) -> None:
    lifecycle = LIFECYCLES[name]
    assert {row.actor for row in lifecycle.transitions} <= set(Actor)
    reached = {lifecycle.initial}
    frontier = [lifecycle.initial]
    while frontier:
        status = frontier.pop()
        for row in lifecycle.transitions:
            if row.source == status and row.target not in reached:
                reached.add(row.target)
                frontier.append(row.target)
    assert reached == set(lifecycle.statuses)
