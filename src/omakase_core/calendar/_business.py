"""The business calendar: which days are 営業日 and arithmetic over them (CAL-2, CAL-3).

A :class:`BusinessCalendar` is an immutable, hashable value: the national holidays plus
the closures it is configured with. Two calendars with different closures can be used
side by side; equal configurations are equal values and share one lookup table.

The arithmetic is table-driven. For every day of 1955-2099 the table holds how many
business days come before it, and the business days in order (as ordinals); so the n-th
business day after a date is two array look-ups, whatever n is. The tables are built from
ordinals and the shipped holiday table, with no ``date`` object per day, so a fresh process
pays a few milliseconds for its first calendar.
"""

from __future__ import annotations

import functools
import itertools
from array import array
from datetime import date, datetime
from typing import TYPE_CHECKING, Final

import attrs

from omakase_core.calendar._jst import (
    FIRST_YEAR,
    LAST_YEAR,
    as_day,
    check_int,
    check_year,
    to_jst,
)
from omakase_core.calendar._national import holiday_ordinals, national_holidays
from omakase_core.errors import CalendarRangeError, ValidationError, excerpt

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["BusinessCalendar"]

_BASE: Final = date(FIRST_YEAR, 1, 1).toordinal()
_SPAN: Final = date(LAST_YEAR, 12, 31).toordinal() - _BASE + 1
_RANGE_END: Final = date(LAST_YEAR + 1, 1, 1)
_SATURDAY: Final = 5
_YEAR_END_DAYS: Final = frozenset({(12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3)})


@attrs.frozen
class _Table:
    """Precomputed lookups for one calendar configuration.

    ``before[i]`` is the number of business days among the first ``i`` days of the
    supported range (so ``len(before) == _SPAN + 1``), ``days`` holds the ordinals of the
    business days in order and ``is_open[i]`` is 1 when day ``i`` is a business day.
    """

    before: array[int]
    days: array[int]
    is_open: bytes


@functools.cache
def _national_open() -> bytes:
    """Return, for every day of the range, 1 when it is neither a weekend nor a holiday."""
    first_weekday = date.fromordinal(_BASE).weekday()
    week = bytes(int((first_weekday + k) % 7 < _SATURDAY) for k in range(7))
    is_open = bytearray((week * (_SPAN // 7 + 1))[:_SPAN])
    for ordinal in holiday_ordinals():
        is_open[ordinal - _BASE] = 0
    return bytes(is_open)


@functools.lru_cache(maxsize=64)
def _table_for(year_end_closure: bool, extra_closures: frozenset[date]) -> _Table:  # noqa: FBT001
    is_open = bytearray(_national_open())
    closed = set(extra_closures)
    if year_end_closure:
        closed.update(
            date(year, month, day)
            for year in range(FIRST_YEAR, LAST_YEAR + 1)
            for month, day in _YEAR_END_DAYS
        )
    for day in closed:
        is_open[day.toordinal() - _BASE] = 0
    return _Table(
        before=array("i", itertools.accumulate(is_open, initial=0)),
        days=array("i", itertools.compress(range(_BASE, _BASE + _SPAN), is_open)),
        is_open=bytes(is_open),
    )


def _closures(value: Iterable[date]) -> frozenset[date]:
    try:
        items = list(value)
    except TypeError:
        raise ValidationError(
            f"extra_closures must be an iterable of dates, not {type(value).__name__}",
            field="extra_closures",
            rule="CAL-2",
        ) from None
    days: set[date] = set()
    for item in items:
        if isinstance(item, datetime) or not isinstance(item, date):
            shown = f"{type(item).__name__} {excerpt(item)}"
            msg = f"extra_closures must hold calendar dates, not {shown}"
            raise ValidationError(msg, field="extra_closures", rule="CAL-2")
        check_year(item.year, f"extra closure {item.isoformat()}")
        days.add(date(item.year, item.month, item.day))
    return frozenset(days)


def _out_of_range(what: str, *, after: bool) -> CalendarRangeError:
    year = LAST_YEAR + 1 if after else FIRST_YEAR - 1
    return CalendarRangeError(year=year, first_year=FIRST_YEAR, last_year=LAST_YEAR, what=what)


def _index(day: object, field: str) -> int:
    """Return the position of ``day`` in the supported range, refusing days outside it."""
    d = day if type(day) is date else as_day(day, field)
    i = d.toordinal() - _BASE
    if not 0 <= i < _SPAN:
        check_year(d.year, f"{field} {d.isoformat()}")
    return i


def _bound(day: object, field: str) -> int:
    """Return the index of a bound of a half-open range: a day of the range or its end.

    2100-01-01, the exclusive end of the supported range, is index ``_SPAN`` (CAL-3, CAL-8).
    """
    d = day if type(day) is date else as_day(day, field)
    if d == _RANGE_END:
        return _SPAN
    return _index(d, field)


def _check_month(year: object, month: object) -> tuple[int, int]:
    y = check_int(year, "year")
    m = check_int(month, "month")
    if not 1 <= m <= 12:
        raise ValidationError(f"month must be from 1 to 12, not {excerpt(m)}", field="month")
    check_year(y, f"year {excerpt(y)}")
    return y, m


def _month_bounds(year: int, month: int) -> tuple[int, int]:
    """Return the range indexes of the month's first day and of the next month's first day."""
    start = date(year, month, 1).toordinal() - _BASE
    nxt = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return start, nxt.toordinal() - _BASE


@attrs.frozen(kw_only=True)
class BusinessCalendar:
    """Which days are business days (営業日), and arithmetic over them (CAL-2, CAL-3).

    A business day is a weekday that is neither a national holiday (国民の祝日, 振替休日,
    国民の休日) nor a closure day of this calendar. Build one with
    :meth:`BusinessCalendar.japan`. Every method taking a day accepts a ``date`` or an
    aware ``datetime``, whose JST date is used (CAL-1). Days outside 1955-2099 are
    refused with :class:`~omakase_core.errors.CalendarRangeError` (CAL-8).

    >>> from datetime import date
    >>> cal = BusinessCalendar.japan()
    >>> cal.add_business_days(date(2026, 5, 1), 1)  # Golden Week lies between
    datetime.date(2026, 5, 7)
    """

    year_end_closure: bool = attrs.field(default=False)
    extra_closures: frozenset[date] = attrs.field(default=frozenset(), converter=_closures)
    _table: _Table = attrs.field(init=False, eq=False, repr=False)

    @year_end_closure.validator
    def _check_year_end_closure(self, _: attrs.Attribute[bool], value: object) -> None:
        if not isinstance(value, bool):
            raise ValidationError(
                f"year_end_closure must be True or False, not {excerpt(value)}",
                field="year_end_closure",
                rule="CAL-2",
            )

    def __attrs_post_init__(self) -> None:
        table = _table_for(self.year_end_closure, self.extra_closures)
        object.__setattr__(self, "_table", table)

    @classmethod
    def japan(
        cls, *, year_end_closure: bool = False, extra_closures: Iterable[date] = ()
    ) -> BusinessCalendar:
        """Return Japan's national calendar with the given closures (CAL-2).

        ``year_end_closure=True`` also closes 12/29-1/3 (年末年始) of every year;
        ``extra_closures`` closes any further dates.
        """
        return cls(year_end_closure=year_end_closure, extra_closures=extra_closures)

    # -- single days ---------------------------------------------------------------------

    def is_business_day(self, d: date) -> bool:
        """Return whether ``d`` is a business day of this calendar (CAL-2)."""
        return bool(self._table.is_open[_index(d, "d")])

    def holiday_name(self, d: date) -> str | None:
        """Return the Japanese name of the national holiday on ``d``, or ``None`` (CAL-2)."""
        i = _index(d, "d")
        return national_holidays().get(date.fromordinal(_BASE + i))

    def is_closure(self, d: date) -> bool:
        """Return whether ``d`` is a closure day of this calendar, not a national holiday."""
        day = date.fromordinal(_BASE + _index(d, "d"))
        return day in self.extra_closures or (
            self.year_end_closure and (day.month, day.day) in _YEAR_END_DAYS
        )

    # -- arithmetic ----------------------------------------------------------------------

    def add_business_days(self, d: date, n: int) -> date:
        """Return the n-th business day after ``d`` (n > 0) or before it (n < 0) (CAL-3).

        Counting is strict: ``d`` itself is never one of the n days, whether it is a
        business day or not. ``n == 0`` returns ``d`` unchanged.
        """
        if type(d) is not date:
            d = as_day(d, "d")
        if type(n) is not int:
            n = check_int(n, "n")
        i = d.toordinal() - _BASE
        if not 0 <= i < _SPAN:
            check_year(d.year, f"d {d.isoformat()}")
        table = self._table
        if n > 0:
            k = table.before[i + 1] + n - 1
        elif n < 0:
            k = table.before[i] + n
        else:
            return d
        if 0 <= k < len(table.days):
            return date.fromordinal(table.days[k])
        raise _out_of_range(
            f"counting {excerpt(abs(n))} business days "
            f"{'after' if n > 0 else 'before'} {d.isoformat()}",
            after=n > 0,
        )

    def next_business_day(self, d: date) -> date:
        """Return the first business day strictly after ``d`` (CAL-3)."""
        return self.add_business_days(d, 1)

    def previous_business_day(self, d: date) -> date:
        """Return the last business day strictly before ``d`` (CAL-3)."""
        return self.add_business_days(d, -1)

    def on_or_after(self, d: date) -> date:
        """Return ``d`` if it is a business day, else the next business day (CAL-3)."""
        i = _index(d, "d")
        if self._table.is_open[i]:
            return date.fromordinal(_BASE + i)
        return self.add_business_days(date.fromordinal(_BASE + i), 1)

    def on_or_before(self, d: date) -> date:
        """Return ``d`` if it is a business day, else the previous business day (CAL-3)."""
        i = _index(d, "d")
        if self._table.is_open[i]:
            return date.fromordinal(_BASE + i)
        return self.add_business_days(date.fromordinal(_BASE + i), -1)

    def business_days_between(self, start: date, end: date) -> int:
        """Return the number of business days in the half-open range [start, end) (CAL-3).

        Either bound may be 2100-01-01, the exclusive end of the supported range (CAL-8),
        as a ``date`` or as an instant on that JST day, such as the 2100-01-01 00:00 JST
        that :func:`~omakase_core.calendar.period_end` returns for a period ending on
        2099-12-31. When ``end`` is before ``start`` the count is negative:
        ``-business_days_between(end, start)``, as numpy's ``busday_count`` does, so that
        the function is antisymmetric.
        """
        before = self._table.before
        return before[_bound(end, "end")] - before[_bound(start, "start")]

    # -- months --------------------------------------------------------------------------

    def first_business_day(self, year: int, month: int) -> date:
        """Return the first business day of the month (CAL-3)."""
        return self._business_days_of_month(year, month)[0]

    def last_business_days(self, year: int, month: int, n: int) -> tuple[date, ...]:
        """Return the month's last ``n`` business days in ascending order (CAL-3).

        >>> BusinessCalendar.japan().last_business_days(2026, 5, 2)
        (datetime.date(2026, 5, 28), datetime.date(2026, 5, 29))
        """
        days = self._business_days_of_month(year, month)
        count = check_int(n, "n")
        if not 1 <= count <= len(days):
            raise ValidationError(
                f"n must be from 1 to {len(days)}, the number of business days in "
                f"{year}-{month:02d}, not {excerpt(count)}",
                field="n",
                rule="CAL-3",
            )
        return days[-count:]

    def in_last_business_days(self, instant: datetime, n: int) -> bool:
        """Return whether ``instant`` lies in its month's last ``n`` business days (CAL-3).

        The window runs from 00:00 JST of the month's n-th last business day to 24:00 of
        the month's last calendar day (当月最終n営業日の0:00～月末日24:00), so a weekend or
        holiday at the end of the month is inside it. ``instant`` is converted to JST first.
        """
        if not isinstance(instant, datetime):
            raise ValidationError(
                f"instant must be an aware datetime, not {type(instant).__name__}",
                field="instant",
                rule="CAL-3",
            )
        day = to_jst(instant).date()
        return day >= self.last_business_days(day.year, day.month, n)[0]

    def _business_days_of_month(self, year: int, month: int) -> tuple[date, ...]:
        y, m = _check_month(year, month)
        start, end = _month_bounds(y, m)
        table = self._table
        days = tuple(map(date.fromordinal, table.days[table.before[start] : table.before[end]]))
        if not days:
            raise ValidationError(
                f"{y}-{m:02d} has no business day in this calendar", field="month", rule="CAL-3"
            )
        return days
