"""Hypothesis properties of the calendar over the whole supported range (CAL-3 … CAL-6)."""

from __future__ import annotations

import calendar as stdlib_calendar
from datetime import date, datetime, timedelta

from hypothesis import assume, given
from hypothesis import strategies as st

from omakase_core.calendar import JST, BusinessCalendar, period_end, to_jst
from tests.strategies import (
    CALENDARS,
    INNER_DAYS,
    PERIOD_START_DAYS,
    STEPS,
    SUPPORTED_DAYS,
    instants,
)

JAPAN = BusinessCalendar.japan()
STARTS = instants(PERIOD_START_DAYS)
POSITIVE = st.integers(min_value=1, max_value=40)
MONTHS = st.integers(min_value=1, max_value=36)
DAYS = st.integers(min_value=1, max_value=400)


def naive_add(cal: BusinessCalendar, day: date, n: int) -> date:
    """Walk day by day: the obviously correct reading of CAL-3."""
    step = 1 if n > 0 else -1
    while n:
        day += timedelta(days=step)
        if cal.is_business_day(day):
            n -= step
    return day


@given(CALENDARS, INNER_DAYS, STEPS)
def test_cal_3_add_business_days_agrees_with_walking_day_by_day(
    cal: BusinessCalendar, day: date, n: int
) -> None:
    assert cal.add_business_days(day, n) == naive_add(cal, day, n)


@given(CALENDARS, INNER_DAYS, STEPS.filter(bool))
def test_cal_3_add_business_days_lands_on_a_business_day(
    cal: BusinessCalendar, day: date, n: int
) -> None:
    assert cal.is_business_day(cal.add_business_days(day, n))


@given(CALENDARS, INNER_DAYS, STEPS, STEPS)
def test_cal_3_add_business_days_is_strictly_monotonic_in_n(
    cal: BusinessCalendar, day: date, n: int, m: int
) -> None:
    assume(n != m)
    a, b = cal.add_business_days(day, n), cal.add_business_days(day, m)
    assert (a < b) == (n < m)


@given(CALENDARS, INNER_DAYS, STEPS)
def test_cal_3_add_business_days_inverts_from_a_business_day(
    cal: BusinessCalendar, day: date, n: int
) -> None:
    start = cal.on_or_after(day)
    assert cal.add_business_days(cal.add_business_days(start, n), -n) == start


@given(CALENDARS, INNER_DAYS, POSITIVE)
def test_cal_3_business_days_between_counts_what_add_business_days_added(
    cal: BusinessCalendar, day: date, n: int
) -> None:
    start = cal.on_or_after(day)
    assert cal.business_days_between(start, cal.add_business_days(start, n)) == n


@given(CALENDARS, INNER_DAYS, INNER_DAYS)
def test_cal_3_business_days_between_counts_the_half_open_range(
    cal: BusinessCalendar, a: date, b: date
) -> None:
    start, end = min(a, b), min(max(a, b), min(a, b) + timedelta(days=120))
    expected = sum(
        cal.is_business_day(start + timedelta(days=i)) for i in range((end - start).days)
    )
    assert cal.business_days_between(start, end) == expected
    assert cal.business_days_between(end, start) == -expected


@given(CALENDARS, INNER_DAYS)
def test_cal_3_next_and_previous_are_add_one_and_minus_one(cal: BusinessCalendar, d: date) -> None:
    assert cal.next_business_day(d) == cal.add_business_days(d, 1)
    assert cal.previous_business_day(d) == cal.add_business_days(d, -1)
    assert cal.previous_business_day(d) < d < cal.next_business_day(d)


@given(CALENDARS, INNER_DAYS, st.integers(min_value=1, max_value=10))
def test_cal_3_last_business_days_are_the_months_last_business_days(
    cal: BusinessCalendar, d: date, n: int
) -> None:
    days = cal.last_business_days(d.year, d.month, n)
    assert len(days) == n
    assert list(days) == sorted(days)
    assert all(day.month == d.month and cal.is_business_day(day) for day in days)
    month_end = date(d.year, d.month, stdlib_calendar.monthrange(d.year, d.month)[1])
    after = [month_end - timedelta(days=i) for i in range((month_end - days[-1]).days)]
    assert not any(cal.is_business_day(day) for day in after)
    assert cal.business_days_between(days[0], month_end + timedelta(days=1)) == n


@given(CALENDARS, instants(), st.integers(min_value=1, max_value=8))
def test_cal_3_the_window_holds_exactly_from_its_start_to_the_months_end(
    cal: BusinessCalendar, instant: datetime, n: int
) -> None:
    local = to_jst(instant)
    window_start = cal.last_business_days(local.year, local.month, n)[0]
    assert cal.in_last_business_days(instant, n) == (local.date() >= window_start)
    opening = datetime.combine(window_start, datetime.min.time(), JST)
    assert cal.in_last_business_days(opening, n)
    assert not cal.in_last_business_days(opening - timedelta(microseconds=1), n) or (
        window_start.day == 1
    )


@given(SUPPORTED_DAYS)
def test_cal_2_the_national_calendar_is_weekdays_without_holidays(d: date) -> None:
    expected = d.weekday() < 5 and JAPAN.holiday_name(d) is None
    assert JAPAN.is_business_day(d) == expected


@given(STARTS, DAYS)
def test_cal_4_period_end_is_after_the_start_and_at_jst_midnight(
    start: datetime, days: int
) -> None:
    end = period_end(start, days=days)
    assert end > start
    assert end.tzinfo is JST
    assert end.time() == datetime.min.time()
    assert (end - start) <= timedelta(days=days + 1)
    assert (end - start) >= timedelta(days=days)


@given(STARTS, DAYS, DAYS)
def test_cal_4_period_end_is_monotonic_in_days(start: datetime, a: int, b: int) -> None:
    assume(a != b)
    assert (period_end(start, days=a) < period_end(start, days=b)) == (a < b)


@given(STARTS, st.integers(min_value=1, max_value=60))
def test_cal_5_counting_the_first_day_ends_one_day_earlier_unless_at_midnight(
    start: datetime, days: int
) -> None:
    counted = period_end(start, days=days, count_first_day=True)
    excluded = period_end(start, days=days)
    at_midnight = to_jst(start).time() == datetime.min.time()
    assert excluded - counted == timedelta(days=0 if at_midnight else 1)


@given(STARTS, MONTHS, MONTHS)
def test_cal_6_period_end_is_monotonic_in_months(start: datetime, a: int, b: int) -> None:
    assume(a != b)
    assert (period_end(start, months=a) < period_end(start, months=b)) == (a < b)


@given(STARTS, MONTHS)
def test_cal_6_month_periods_end_before_the_corresponding_day_or_at_the_month_end(
    start: datetime, months: int
) -> None:
    local = to_jst(start)
    first = local.date() if local.time() == datetime.min.time() else local.date() + timedelta(1)
    index = first.month - 1 + months
    year, month = first.year + index // 12, index % 12 + 1
    month_length = stdlib_calendar.monthrange(year, month)[1]
    end = period_end(start, months=months)
    if first.day > month_length:  # no corresponding day: the end of that month
        assert end.date() == date(year, month, month_length) + timedelta(days=1)
    else:  # the end of the day before the corresponding day
        assert end.date() == date(year, month, first.day)
    assert end > start


@given(CALENDARS, STARTS, DAYS)
def test_cal_7_an_extended_period_ends_on_a_business_day_no_earlier_than_unextended(
    cal: BusinessCalendar, start: datetime, days: int
) -> None:
    plain = period_end(start, days=days)
    extended = period_end(start, days=days, extend_to_business_day=cal)
    last_day = extended.date() - timedelta(days=1)
    assert extended >= plain
    assert cal.is_business_day(last_day)
    skipped = [
        plain.date() - timedelta(days=1) + timedelta(days=i) for i in range((extended - plain).days)
    ]
    assert not any(cal.is_business_day(day) for day in skipped)
