"""CAL-2 and CAL-3: which days are business days, and arithmetic over them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from omakase_core.calendar import JST, BusinessCalendar, period_end
from omakase_core.errors import CalendarRangeError

JAPAN = BusinessCalendar.japan()
WITH_YEAR_END = BusinessCalendar.japan(year_end_closure=True)


# -- CAL-2: business days -------------------------------------------------------------------


def test_cal_2_weekdays_are_business_days_and_weekends_are_not() -> None:
    assert JAPAN.is_business_day(date(2026, 11, 20)) is True  # Friday
    assert JAPAN.is_business_day(date(2026, 11, 21)) is False  # Saturday
    assert JAPAN.is_business_day(date(2026, 11, 22)) is False  # Sunday


def test_cal_2_golden_week_2026_has_three_business_days_off_in_a_row() -> None:
    days = [date(2026, 5, d) for d in range(1, 8)]
    assert [JAPAN.is_business_day(d) for d in days] == [
        True,  # Fri 5/1
        False,  # Sat 5/2
        False,  # Sun 5/3 憲法記念日
        False,  # Mon 5/4 みどりの日
        False,  # Tue 5/5 こどもの日
        False,  # Wed 5/6 振替休日 (for 5/3)
        True,  # Thu 5/7
    ]


def test_cal_2_the_citizens_holiday_between_two_holidays_is_closed() -> None:
    # 2026-09-21 敬老の日 and 09-23 秋分の日 enclose 09-22, a 国民の休日.
    assert JAPAN.holiday_name(date(2026, 9, 22)) == "国民の休日"
    assert JAPAN.is_business_day(date(2026, 9, 22)) is False


def test_cal_2_the_default_calendar_is_open_at_the_year_end() -> None:
    assert JAPAN.is_business_day(date(2026, 12, 29)) is True
    assert JAPAN.is_business_day(date(2027, 1, 4)) is True


def test_cal_2_the_year_end_closure_closes_december_29_to_january_3() -> None:
    closed = [date(2026, 12, d) for d in (29, 30, 31)] + [date(2027, 1, d) for d in (1, 2, 3)]
    assert [WITH_YEAR_END.is_business_day(d) for d in closed] == [False] * 6
    assert WITH_YEAR_END.is_business_day(date(2026, 12, 28)) is True
    assert WITH_YEAR_END.is_business_day(date(2027, 1, 4)) is True
    assert WITH_YEAR_END.is_closure(date(2026, 12, 30)) is True
    assert WITH_YEAR_END.is_closure(date(2027, 1, 1)) is True
    assert JAPAN.is_closure(date(2026, 12, 30)) is False


def test_cal_2_extra_closures_close_exactly_the_given_dates() -> None:
    cal = BusinessCalendar.japan(extra_closures=[date(2026, 11, 20)])
    assert cal.is_business_day(date(2026, 11, 20)) is False
    assert cal.is_business_day(date(2026, 11, 19)) is True
    assert cal.next_business_day(date(2026, 11, 19)) == date(2026, 11, 24)
    assert cal.is_closure(date(2026, 11, 20)) is True


def test_cal_2_calendars_are_values_that_can_be_used_side_by_side() -> None:
    assert BusinessCalendar.japan() == JAPAN
    assert hash(BusinessCalendar.japan()) == hash(JAPAN)
    assert WITH_YEAR_END != JAPAN
    assert BusinessCalendar.japan(extra_closures=[date(2026, 11, 20)]) == BusinessCalendar.japan(
        extra_closures=(date(2026, 11, 20), date(2026, 11, 20))
    )
    assert len({JAPAN, WITH_YEAR_END, BusinessCalendar.japan()}) == 2
    friday = date(2026, 12, 25)
    assert JAPAN.add_business_days(friday, 2) == date(2026, 12, 29)
    assert WITH_YEAR_END.add_business_days(friday, 2) == date(2027, 1, 4)  # 12/28, then 1/4


def test_cal_2_a_calendar_is_immutable() -> None:
    with pytest.raises(AttributeError):
        JAPAN.year_end_closure = True  # type: ignore[misc]  # the point of the test


# -- CAL-3: arithmetic ------------------------------------------------------------------------


def test_cal_3_add_business_days_skips_golden_week() -> None:
    assert JAPAN.add_business_days(date(2026, 5, 1), 1) == date(2026, 5, 7)
    assert JAPAN.add_business_days(date(2026, 5, 7), -1) == date(2026, 5, 1)
    assert JAPAN.add_business_days(date(2026, 4, 30), 3) == date(2026, 5, 8)


def test_cal_3_add_business_days_counts_strictly_from_a_day_off() -> None:
    sunday = date(2026, 11, 22)
    assert JAPAN.add_business_days(sunday, 1) == date(2026, 11, 24)  # 11/23 勤労感謝の日
    assert JAPAN.add_business_days(sunday, -1) == date(2026, 11, 20)


def test_cal_3_add_zero_business_days_returns_the_day_itself_even_a_holiday() -> None:
    assert JAPAN.add_business_days(date(2026, 11, 23), 0) == date(2026, 11, 23)


def test_cal_3_add_business_days_takes_the_jst_date_of_an_instant() -> None:
    instant = datetime(2026, 5, 1, 23, 59, tzinfo=JST)
    assert JAPAN.add_business_days(instant, 1) == date(2026, 5, 7)


def test_cal_3_next_and_previous_business_day_are_strict() -> None:
    assert JAPAN.next_business_day(date(2026, 11, 20)) == date(2026, 11, 24)
    assert JAPAN.previous_business_day(date(2026, 11, 24)) == date(2026, 11, 20)
    assert JAPAN.next_business_day(date(2026, 11, 19)) == date(2026, 11, 20)


def test_cal_3_on_or_after_and_on_or_before_keep_a_business_day() -> None:
    assert JAPAN.on_or_after(date(2026, 11, 20)) == date(2026, 11, 20)
    assert JAPAN.on_or_after(date(2026, 11, 21)) == date(2026, 11, 24)
    assert JAPAN.on_or_before(date(2026, 11, 20)) == date(2026, 11, 20)
    assert JAPAN.on_or_before(date(2026, 11, 23)) == date(2026, 11, 20)


def test_cal_3_business_days_between_is_half_open() -> None:
    assert JAPAN.business_days_between(date(2026, 11, 16), date(2026, 11, 23)) == 5
    assert JAPAN.business_days_between(date(2026, 11, 16), date(2026, 11, 20)) == 4
    assert JAPAN.business_days_between(date(2026, 11, 20), date(2026, 11, 20)) == 0
    assert JAPAN.business_days_between(date(2026, 5, 1), date(2026, 5, 8)) == 2


def test_cal_3_business_days_between_a_reversed_range_is_negative() -> None:
    assert JAPAN.business_days_between(date(2026, 11, 23), date(2026, 11, 16)) == -5


def test_cal_3_business_days_between_may_end_at_the_exclusive_end_of_the_range() -> None:
    assert JAPAN.business_days_between(date(2099, 12, 31), date(2100, 1, 1)) == 1


def test_cal_3_first_business_day_of_a_month() -> None:
    assert JAPAN.first_business_day(2026, 5) == date(2026, 5, 1)
    assert JAPAN.first_business_day(2027, 1) == date(2027, 1, 4)  # 1/1 holiday, 2-3 weekend
    assert JAPAN.first_business_day(2026, 11) == date(2026, 11, 2)
    assert WITH_YEAR_END.first_business_day(2030, 1) == date(2030, 1, 4)
    assert JAPAN.first_business_day(2030, 1) == date(2030, 1, 2)


def test_cal_3_last_business_days_of_may_2026_from_the_rulebook() -> None:
    assert JAPAN.last_business_days(2026, 5, 4) == (
        date(2026, 5, 26),
        date(2026, 5, 27),
        date(2026, 5, 28),
        date(2026, 5, 29),
    )
    assert JAPAN.last_business_days(2026, 5, 2) == (date(2026, 5, 28), date(2026, 5, 29))


def test_cal_3_last_business_days_may_be_the_whole_month() -> None:
    days = JAPAN.last_business_days(2026, 5, 18)
    assert len(days) == 18
    assert days[0] == JAPAN.first_business_day(2026, 5)


def test_cal_3_last_business_days_of_december_with_the_year_end_closure() -> None:
    assert JAPAN.last_business_days(2026, 12, 1) == (date(2026, 12, 31),)
    assert WITH_YEAR_END.last_business_days(2026, 12, 1) == (date(2026, 12, 28),)


def test_cal_3_the_window_runs_from_midnight_of_the_fourth_last_business_day() -> None:
    # May 2026: window from 5/26 00:00 to 5/31 24:00 JST.
    assert not JAPAN.in_last_business_days(datetime(2026, 5, 25, 23, 59, 59, tzinfo=JST), 4)
    assert JAPAN.in_last_business_days(datetime(2026, 5, 26, 0, 0, tzinfo=JST), 4)
    assert JAPAN.in_last_business_days(datetime(2026, 5, 29, 18, 0, tzinfo=JST), 4)


def test_cal_3_the_window_includes_the_weekend_after_the_last_business_day() -> None:
    assert JAPAN.in_last_business_days(datetime(2026, 5, 30, 9, 0, tzinfo=JST), 4)
    assert JAPAN.in_last_business_days(datetime(2026, 5, 31, 23, 59, 59, tzinfo=JST), 4)
    assert not JAPAN.in_last_business_days(datetime(2026, 6, 1, 0, 0, tzinfo=JST), 4)


def test_cal_3_the_window_with_two_days() -> None:
    assert not JAPAN.in_last_business_days(datetime(2026, 5, 27, 23, 0, tzinfo=JST), 2)
    assert JAPAN.in_last_business_days(datetime(2026, 5, 28, 0, 0, tzinfo=JST), 2)


def test_cal_3_business_days_between_accepts_the_instant_period_end_returns_at_the_range_end() -> (
    None
):
    end = period_end(datetime(2099, 12, 1, tzinfo=JST), months=1)
    assert end == datetime(2100, 1, 1, tzinfo=JST)
    start = datetime(2099, 12, 1, tzinfo=JST)
    # December 2099: 23 weekdays, no national holiday.
    assert JAPAN.business_days_between(start, end) == 23
    assert JAPAN.business_days_between(date(2099, 12, 1), end) == 23


@pytest.mark.parametrize(
    "other",
    [
        date(2099, 12, 31),
        date(2099, 1, 1),
        date(1955, 1, 1),
        datetime(2099, 12, 30, 23, 0, tzinfo=JST),
    ],
)
def test_cal_3_business_days_between_is_antisymmetric_at_the_range_end(other: date) -> None:
    end = datetime(2100, 1, 1, tzinfo=JST)
    forward = JAPAN.business_days_between(other, end)
    assert forward > 0
    assert JAPAN.business_days_between(end, other) == -forward
    assert JAPAN.business_days_between(date(2100, 1, 1), other) == -forward
    assert JAPAN.business_days_between(end, end) == 0


def test_cal_8_the_day_after_the_range_is_only_a_bound_of_business_days_between() -> None:
    end = datetime(2100, 1, 1, tzinfo=JST)
    with pytest.raises(CalendarRangeError):
        JAPAN.is_business_day(end)
    with pytest.raises(CalendarRangeError):
        JAPAN.business_days_between(date(2099, 12, 1), date(2100, 1, 2))
    with pytest.raises(CalendarRangeError):
        JAPAN.business_days_between(datetime(2100, 1, 2, tzinfo=JST), date(2099, 12, 1))
