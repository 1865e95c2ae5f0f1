"""CAL-4 … CAL-7: periods counted the way the Civil Code counts them."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from omakase_core.calendar import JST, BusinessCalendar, explain_period_end, period_end
from omakase_core.errors import CalendarRangeError

JAPAN = BusinessCalendar.japan()


def jst(*args: int) -> datetime:
    return datetime(*args, tzinfo=JST)  # type: ignore[arg-type, misc]  # year, month, day, …


# -- CAL-4: 初日不算入 --------------------------------------------------------------------------


def test_cal_4_a_14_day_period_from_a_daytime_request_ends_at_the_end_of_day_14() -> None:
    assert period_end(jst(2026, 11, 1, 10, 0), days=14) == jst(2026, 11, 16)


def test_cal_4_a_45_day_period_from_a_daytime_request() -> None:
    assert period_end(jst(2026, 11, 1, 10, 0), days=45) == jst(2026, 12, 17)


def test_cal_4_a_request_at_exactly_midnight_counts_its_own_day() -> None:
    assert period_end(jst(2026, 11, 1, 0, 0), days=14) == jst(2026, 11, 15)


def test_cal_4_one_microsecond_after_midnight_is_not_midnight() -> None:
    assert period_end(jst(2026, 11, 1, 0, 0, 0, 1), days=14) == jst(2026, 11, 16)


def test_cal_4_a_request_late_at_night_in_utc_is_counted_from_its_jst_day() -> None:
    # 2026-11-01 16:00 UTC is 2026-11-02 01:00 JST: day 1 is 11-03.
    start = datetime(2026, 11, 1, 16, 0, tzinfo=UTC)
    assert period_end(start, days=14) == jst(2026, 11, 17)


def test_cal_4_the_result_is_an_aware_jst_instant_at_midnight() -> None:
    end = period_end(jst(2026, 11, 1, 10, 0), days=14)
    assert end.tzinfo is JST
    assert (end.hour, end.minute, end.second, end.microsecond) == (0, 0, 0, 0)


# -- CAL-5: the first day counts -----------------------------------------------------------


def test_cal_5_seven_days_including_the_sending_day() -> None:
    sent = jst(2026, 11, 1, 18, 0)
    assert period_end(sent, days=7, count_first_day=True) == jst(2026, 11, 8)


def test_cal_5_one_day_including_the_sending_day_ends_that_night() -> None:
    assert period_end(jst(2026, 11, 1, 23, 59), days=1, count_first_day=True) == jst(2026, 11, 2)


def test_cal_5_differs_from_cal_4_by_exactly_one_day_for_a_daytime_start() -> None:
    start = jst(2026, 11, 1, 18, 0)
    assert period_end(start, days=7) == jst(2026, 11, 9)


# -- CAL-6: months ---------------------------------------------------------------------------


def test_cal_6_one_month_from_the_fifteenth_ends_on_the_fifteenth() -> None:
    assert period_end(jst(2026, 1, 15, 10, 0), months=1) == jst(2026, 2, 16)


def test_cal_6_one_month_from_the_thirtieth_ends_at_the_end_of_february() -> None:
    assert period_end(jst(2026, 1, 30, 10, 0), months=1) == jst(2026, 3, 1)


def test_cal_6_a_period_starting_on_the_thirtieth_also_ends_at_the_end_of_february() -> None:
    assert period_end(jst(2026, 1, 29, 10, 0), months=1) == jst(2026, 3, 1)


def test_cal_6_a_leap_year_february_has_its_29th() -> None:
    assert period_end(jst(2028, 1, 28, 10, 0), months=1) == jst(2028, 2, 29)
    assert period_end(jst(2028, 1, 30, 10, 0), months=1) == jst(2028, 3, 1)


def test_cal_6_a_period_from_the_first_of_a_month_ends_at_its_last_day() -> None:
    assert period_end(jst(2026, 1, 1, 0, 0), months=1) == jst(2026, 2, 1)
    assert period_end(jst(2026, 2, 1, 0, 0), months=1) == jst(2026, 3, 1)


def test_cal_6_six_months_cross_a_year() -> None:
    assert period_end(jst(2026, 8, 31, 10, 0), months=6) == jst(2027, 3, 1)  # day 1 is 9/1
    assert period_end(jst(2026, 8, 30, 10, 0), months=6) == jst(2027, 3, 1)  # 2/31 → 2/28
    assert period_end(jst(2026, 8, 27, 10, 0), months=6) == jst(2027, 2, 28)


def test_cal_6_twelve_months_is_a_year() -> None:
    assert period_end(jst(2026, 4, 1, 0, 0), months=12) == jst(2027, 4, 1)


def test_cal_6_months_and_days_count_the_months_first() -> None:
    assert period_end(jst(2026, 1, 15, 10, 0), months=1, days=10) == jst(2026, 2, 26)


def test_cal_6_count_first_day_starts_the_month_on_the_start_day() -> None:
    assert period_end(jst(2026, 1, 15, 10, 0), months=1, count_first_day=True) == jst(2026, 2, 15)


# -- CAL-7: extension to a business day -------------------------------------------------------


def test_cal_7_is_off_unless_asked_for() -> None:
    assert period_end(jst(2026, 11, 1, 10, 0), days=14) == jst(2026, 11, 16)  # ends on a Sunday


def test_cal_7_a_last_day_on_a_sunday_moves_to_monday() -> None:
    end = period_end(jst(2026, 11, 1, 10, 0), days=14, extend_to_business_day=JAPAN)
    assert end == jst(2026, 11, 17)


def test_cal_7_a_last_day_before_a_long_holiday_moves_past_it() -> None:
    # Day 1 is 4/30; day 3 is 5/2 (Sat) → extended over Golden Week to Thu 5/7.
    end = period_end(jst(2026, 4, 29, 10, 0), days=3, extend_to_business_day=JAPAN)
    assert end == jst(2026, 5, 8)


def test_cal_7_a_last_day_on_a_business_day_is_not_moved() -> None:
    end = period_end(jst(2026, 11, 2, 10, 0), days=14, extend_to_business_day=JAPAN)
    assert end == jst(2026, 11, 17)


def test_cal_7_uses_the_closures_of_the_given_calendar() -> None:
    start = jst(2026, 12, 15, 10, 0)  # day 14 is Tue 12/29
    assert period_end(start, days=14, extend_to_business_day=JAPAN) == jst(2026, 12, 30)
    closed = BusinessCalendar.japan(year_end_closure=True)
    assert period_end(start, days=14, extend_to_business_day=closed) == jst(2027, 1, 5)


def test_cal_7_the_deadline_records_the_extension() -> None:
    deadline = explain_period_end(jst(2026, 11, 1, 10, 0), days=14, extend_to_business_day=JAPAN)
    assert deadline.extended is True
    assert deadline.unextended_last_day == date(2026, 11, 15)
    assert deadline.last_day == date(2026, 11, 16)
    assert deadline.rules == ("CAL-1", "CAL-4", "CAL-7")


@pytest.mark.parametrize(
    ("start", "months"),
    [
        pytest.param(datetime(2099, 12, 1, tzinfo=JST), 1, id="december-plus-1-month"),
        pytest.param(datetime(2099, 1, 1, tzinfo=JST), 12, id="january-plus-12-months"),
        pytest.param(datetime(2099, 11, 30, 10, 0, tzinfo=JST), 1, id="cal-4-first-day-12-01"),
    ],
)
def test_cal_6_a_month_period_ending_on_2099_12_31_is_answered(
    start: datetime, months: int
) -> None:
    deadline = explain_period_end(start, months=months)
    assert deadline.last_day == date(2099, 12, 31)
    assert deadline.corresponding_day == date(2100, 1, 1)
    assert deadline.at == datetime(2100, 1, 1, tzinfo=JST)
    assert period_end(start, months=months) == datetime(2100, 1, 1, tzinfo=JST)
    assert "2099年12月31日(木) 24:00" in deadline.explain("ja")
    assert "Thu 31 Dec 2099 24:00 JST" in deadline.explain("en")


def test_cal_8_a_month_period_ending_in_january_2100_is_still_refused() -> None:
    with pytest.raises(CalendarRangeError, match="2100"):
        period_end(datetime(2099, 12, 2, tzinfo=JST), months=1)
    with pytest.raises(CalendarRangeError, match="2100"):
        period_end(datetime(2099, 1, 1, tzinfo=JST), months=13)
