"""CAL-1: every instant is aware and converted to JST before its date is taken."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from omakase_core import NaiveDatetimeError, OmakaseError, ValidationError
from omakase_core.calendar import JST, BusinessCalendar, period_end, to_jst

NEW_YORK_WINTER = timezone(timedelta(hours=-5))


def test_cal_1_jst_is_utc_plus_nine() -> None:
    assert datetime(2026, 1, 1, tzinfo=JST).utcoffset() == timedelta(hours=9)
    assert datetime(2026, 1, 1, tzinfo=JST).tzname() == "JST"


def test_cal_1_to_jst_converts_utc_across_midnight() -> None:
    utc = datetime(2026, 11, 1, 15, 0, tzinfo=UTC)
    assert to_jst(utc) == datetime(2026, 11, 2, 0, 0, tzinfo=JST)
    assert to_jst(utc).tzinfo is JST


def test_cal_1_to_jst_keeps_the_instant() -> None:
    other = datetime(2026, 11, 1, 10, 0, tzinfo=NEW_YORK_WINTER)
    assert to_jst(other) == other
    assert to_jst(other).hour == 0
    assert to_jst(other).day == 2


def test_cal_1_a_naive_datetime_is_refused() -> None:
    with pytest.raises(NaiveDatetimeError) as raised:
        to_jst(datetime(2026, 11, 1, 10, 0))  # noqa: DTZ001  # the point of the test
    assert raised.value.rule == "CAL-1"
    assert raised.value.field == "instant"
    assert isinstance(raised.value, ValueError)
    assert isinstance(raised.value, OmakaseError)
    assert "naive" in str(raised.value)


def test_cal_1_to_jst_refuses_a_date() -> None:
    with pytest.raises(ValidationError) as raised:
        to_jst(date(2026, 11, 1))  # type: ignore[arg-type]  # the point of the test
    assert raised.value.field == "instant"


def test_cal_1_a_utc_instant_late_at_night_is_the_next_jst_day_for_the_calendar() -> None:
    cal = BusinessCalendar.japan()
    friday_night_utc = datetime(2026, 11, 6, 15, 30, tzinfo=UTC)  # Sat 00:30 JST
    assert cal.is_business_day(friday_night_utc) is False
    assert cal.is_business_day(friday_night_utc - timedelta(hours=1)) is True


def test_cal_1_the_window_test_uses_the_jst_date_of_a_utc_instant() -> None:
    cal = BusinessCalendar.japan()
    # 2026-05-25 15:00 UTC is 2026-05-26 00:00 JST: the first moment of the 4-day window.
    assert cal.in_last_business_days(datetime(2026, 5, 25, 15, 0, tzinfo=UTC), 4)
    assert not cal.in_last_business_days(datetime(2026, 5, 25, 14, 59, tzinfo=UTC), 4)


def test_cal_1_a_period_from_a_utc_instant_counts_from_its_jst_day() -> None:
    # 2026-10-31 15:00 UTC is exactly 2026-11-01 00:00 JST, so the first day counts.
    start = datetime(2026, 10, 31, 15, 0, tzinfo=UTC)
    assert period_end(start, days=14) == datetime(2026, 11, 15, 0, 0, tzinfo=JST)


def test_cal_1_calendar_methods_refuse_a_naive_datetime() -> None:
    cal = BusinessCalendar.japan()
    naive = datetime(2026, 11, 1, 10, 0)  # noqa: DTZ001  # the point of the test
    with pytest.raises(NaiveDatetimeError):
        cal.is_business_day(naive)
    with pytest.raises(NaiveDatetimeError):
        cal.add_business_days(naive, 1)
    with pytest.raises(NaiveDatetimeError):
        cal.in_last_business_days(naive, 4)
    with pytest.raises(NaiveDatetimeError):
        period_end(naive, days=14)
