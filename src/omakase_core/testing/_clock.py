"""A clock the test (or the example) sets by hand (PORT-4).

SEC-2: the clock takes only aware instants (CAL-1) and finite, non-negative steps; a naive
datetime, a date, a number as text, ``True``, NaN or infinity is a ``ValidationError``
naming the parameter, and a step past the last representable instant is a
``CalendarRangeError``, never a raw ``OverflowError``.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from omakase_core.calendar import FIRST_YEAR, LAST_YEAR, to_jst
from omakase_core.errors import CalendarRangeError, ValidationError, excerpt

__all__ = ["FixedClock"]


def _step(value: object, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        msg = f"{field} must be a number, not {type(value).__name__} {excerpt(value)}"
        raise ValidationError(msg, field=field)
    try:
        number = float(value)
    except OverflowError:  # an int beyond any float
        number = math.inf
    if not math.isfinite(number) or number < 0:
        msg = f"{field} must be a finite number of at least 0 (the clock goes forward), not "
        raise ValidationError(msg + excerpt(value), field=field)
    return value


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
        """Move the clock forward by ``delta`` and/or the given units; return the new now.

        Every step is finite and not negative: to go back, :meth:`set` the clock.
        """
        given: object = delta  # callers are not always type-checked
        if given is not None and (not isinstance(given, timedelta) or given < timedelta()):
            msg = f"delta must be a timedelta of at least 0 or None, not {excerpt(given)}"
            raise ValidationError(msg, field="delta")
        units = {"days": days, "hours": hours, "minutes": minutes, "seconds": seconds}
        steps = {name: _step(value, name) for name, value in units.items()}
        try:
            step = (delta or timedelta()) + timedelta(**steps)
            now = self._now + step
        except OverflowError:
            raise CalendarRangeError(
                year=LAST_YEAR + 1,
                first_year=FIRST_YEAR,
                last_year=LAST_YEAR,
                what=f"the clock advanced from {self._now.isoformat()}",
            ) from None
        self._now = now
        return self._now

    def __repr__(self) -> str:
        return f"FixedClock({self._now.isoformat()})"
