"""CAL-8: the national holidays agree with the Cabinet Office list and with jpholiday."""

from __future__ import annotations

import csv
import pathlib
from datetime import date, timedelta

import jpholiday
import pytest

from omakase_core.calendar import FIRST_YEAR, LAST_YEAR, BusinessCalendar
from omakase_core.errors import CalendarRangeError

DATA = pathlib.Path(__file__).parent.parent / "data" / "syukujitsu.csv"


def _official() -> dict[date, str]:
    with DATA.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["国民の祝日・休日月日", "国民の祝日・休日名称"]
    return {date(*map(int, day.split("/"))): name for day, name in rows[1:]}


OFFICIAL = _official()
LAST_OFFICIAL_YEAR = max(OFFICIAL).year


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def test_cal_8_the_official_list_is_the_one_we_were_given() -> None:
    assert len(OFFICIAL) == 1067
    assert min(OFFICIAL) == date(1955, 1, 1)
    assert LAST_OFFICIAL_YEAR == 2027


def test_cal_8_business_days_agree_with_the_cabinet_office_list_every_day() -> None:
    cal = BusinessCalendar.japan()
    disagreements = [
        day
        for day in _days(date(FIRST_YEAR, 1, 1), date(LAST_OFFICIAL_YEAR, 12, 31))
        if cal.is_business_day(day) != (day.weekday() < 5 and day not in OFFICIAL)
    ]
    assert disagreements == []


def test_cal_8_every_official_holiday_has_a_name() -> None:
    cal = BusinessCalendar.japan()
    unnamed = [day for day in OFFICIAL if not cal.holiday_name(day)]
    assert unnamed == []


def test_cal_8_business_days_agree_with_jpholiday_after_the_official_list() -> None:
    cal = BusinessCalendar.japan()
    disagreements = [
        day
        for day in _days(date(LAST_OFFICIAL_YEAR + 1, 1, 1), date(LAST_YEAR, 12, 31))
        if cal.is_business_day(day) != (day.weekday() < 5 and not jpholiday.is_holiday(day))
    ]
    assert disagreements == []


@pytest.mark.parametrize(
    ("day", "name"),
    [
        pytest.param(date(1959, 4, 10), "結婚の儀", id="1959-royal-wedding"),
        pytest.param(date(1989, 2, 24), "大喪の礼", id="1989-state-funeral"),
        pytest.param(date(2019, 5, 1), "天皇の即位の日", id="2019-enthronement"),
        pytest.param(date(2021, 7, 23), "スポーツの日", id="2021-olympics-move"),
        pytest.param(date(2026, 5, 6), "振替休日", id="2026-substitute-holiday"),
        pytest.param(date(2026, 9, 22), "国民の休日", id="2026-citizens-holiday"),
    ],
)
def test_cal_8_one_off_substitute_and_citizens_holidays_are_days_off(day: date, name: str) -> None:
    cal = BusinessCalendar.japan()
    assert cal.is_business_day(day) is False
    assert cal.holiday_name(day) == name
    assert day in OFFICIAL


@pytest.mark.parametrize("day", [date(1954, 12, 31), date(2100, 1, 1), date(1, 1, 1)])
def test_cal_8_a_day_outside_1955_to_2099_is_refused_not_guessed(day: date) -> None:
    cal = BusinessCalendar.japan()
    with pytest.raises(CalendarRangeError) as raised:
        cal.is_business_day(day)
    assert raised.value.year == day.year
    assert (raised.value.first_year, raised.value.last_year) == (1955, 2099)
    assert raised.value.rule == "CAL-8"
    assert str(day.year) in str(raised.value)
    assert "1955-2099" in str(raised.value)


def test_cal_8_arithmetic_that_would_leave_the_range_is_refused() -> None:
    cal = BusinessCalendar.japan()
    with pytest.raises(CalendarRangeError) as after:
        cal.add_business_days(date(2099, 12, 25), 10)
    assert after.value.year == 2100
    with pytest.raises(CalendarRangeError) as before:
        cal.add_business_days(date(1955, 1, 10), -10)
    assert before.value.year == 1954
