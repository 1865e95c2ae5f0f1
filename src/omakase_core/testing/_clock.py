"""A clock the test (or the example) sets by hand (PORT-4)."""

from __future__ import annotations

from datetime import datetime, timedelta

from omakase_core.calendar import to_jst

__all__ = ["FixedClock"]


class FixedClock:
    """A :class:`~omakase_core.ports.Clock` that says what it was told, in JST.

    >>> from omakase_core.calendar import JST
    >>> clock = FixedClock(datetime(2026, 11, 1, 10, 0, tzinfo=JST))
    >>> clock.advance(days=14).isoformat()
    '2026-11-15T10:00:00+09:00'
    """

    def __init__(self, now: datetime) -> None:
        self._now = to_jst(now, field="now")

    def now(self) -> datetime:
        """Return the instant the clock was set to."""
        return self._now

    def set(self, now: datetime) -> datetime:
        """Set the clock to ``now`` (any aware instant) and return it in JST."""
        self._now = to_jst(now, field="now")
        return self._now

    def advance(
        self,
        delta: timedelta | None = None,
        *,
        days: float = 0,
        hours: float = 0,
        minutes: float = 0,
        seconds: float = 0,
    ) -> datetime:
        """Move the clock forward by ``delta`` and/or the given units; return the new now."""
        step = (delta or timedelta()) + timedelta(
            days=days, hours=hours, minutes=minutes, seconds=seconds
        )
        self._now += step
        return self._now

    def __repr__(self) -> str:
        return f"FixedClock({self._now.isoformat()})"
