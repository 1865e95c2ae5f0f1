"""PORT-4: SystemClock, the production clock, answers the aware instant in JST."""

from __future__ import annotations

import copy
import pickle
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import attrs
import pytest

from omakase_core import JST, SystemClock, to_jst

if TYPE_CHECKING:
    from omakase_core.ports import Clock

SLACK = timedelta(seconds=5)
"""How far apart two reads of one wall clock may be in a slow test run."""


def test_port_4_system_clock_answers_an_aware_instant_in_jst() -> None:
    now = SystemClock().now()
    assert now.tzinfo is JST
    assert now.utcoffset() == timedelta(hours=9)
    assert to_jst(now, field="now") == now


def test_port_4_system_clock_reads_the_wall_clock() -> None:
    before = datetime.now(UTC)
    now = SystemClock().now()
    after = datetime.now(UTC)
    assert before - SLACK <= now <= after + SLACK


def test_port_4_system_clock_moves_forward_between_reads() -> None:
    clock = SystemClock()
    first = clock.now()
    second = clock.now()
    assert first - SLACK <= second <= first + SLACK
    assert second >= first - timedelta(seconds=1)  # a wall clock: nearly monotone


def test_port_4_system_clock_is_a_clock_port() -> None:
    clock: Clock = SystemClock()
    assert isinstance(clock.now(), datetime)


def test_port_4_system_clock_is_frozen() -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        SystemClock().now = lambda: datetime(2026, 1, 1, tzinfo=JST)  # type: ignore[method-assign]


def test_port_4_system_clock_pickles_to_an_equal_clock() -> None:
    clock = SystemClock()
    restored = pickle.loads(pickle.dumps(clock))  # noqa: S301  # the bytes just written
    assert restored == clock
    assert copy.deepcopy(clock) == clock
    assert restored.now().tzinfo is JST
