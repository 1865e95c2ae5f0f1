"""CAL-9: every computed deadline explains itself in Japanese and in English."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from omakase_core import ValidationError
from omakase_core.calendar import (
    JST,
    BusinessCalendar,
    explain_period_end,
    format_date,
    format_deadline,
    period_end,
)

REQUEST = datetime(2026, 11, 1, 10, 0, tzinfo=JST)


def test_cal_9_the_deadline_instant_equals_period_end() -> None:
    assert explain_period_end(REQUEST, days=14).at == period_end(REQUEST, days=14)


def test_cal_9_the_japanese_explanation_names_rule_inputs_convention_and_result() -> None:
    text = explain_period_end(REQUEST, days=14).explain("ja")
    assert text == (
        "起算時刻 2026年11月1日(日) 10:00（日本時間）から14日の期間です。"
        "CAL-4（民法140条、初日不算入）により、起算時刻が午前0時ちょうどではないので初日は算入せず、"
        "翌日 2026年11月2日(月) を1日目として数えます。"
        "14日目にあたる末日は 2026年11月15日(日) です。"
        "期限は 2026年11月15日(日) 24:00（日本時間）です。"
    )


def test_cal_9_the_english_explanation_names_rule_inputs_convention_and_result() -> None:
    text = explain_period_end(REQUEST, days=14).explain("en")
    assert text == (
        "The period of 14 days starts at Sun 1 Nov 2026 10:00 JST. "
        "Under CAL-4 (Civil Code 140, the first day is not counted) the start is not exactly "
        "midnight, so day 1 is Mon 2 Nov 2026. Day 14 is Sun 15 Nov 2026. "
        "The deadline is Sun 15 Nov 2026 24:00 JST (that is, Mon 16 Nov 2026 00:00 JST)."
    )


def test_cal_9_explains_cal_5_counting_the_first_day() -> None:
    deadline = explain_period_end(
        datetime(2026, 11, 1, 18, 0, tzinfo=JST), days=7, count_first_day=True
    )
    assert "CAL-5（初日算入）" in deadline.explain("ja")
    assert "2026年11月7日(土) 24:00" in deadline.explain("ja")
    assert "Under CAL-5" in deadline.explain("en")
    assert deadline.rules == ("CAL-1", "CAL-5")


def test_cal_9_explains_a_midnight_start() -> None:
    deadline = explain_period_end(datetime(2026, 11, 1, 0, 0, tzinfo=JST), days=14)
    assert "ちょうど午前0時なので初日を算入し" in deadline.explain("ja")
    assert "exactly midnight, so the first day counts" in deadline.explain("en")


def test_cal_9_explains_cal_6_with_and_without_a_corresponding_day() -> None:
    with_day = explain_period_end(datetime(2026, 1, 15, 10, 0, tzinfo=JST), months=1)
    assert with_day.corresponding_day == date(2026, 2, 16)
    assert "応当日 2026年2月16日(月) の前日 2026年2月15日(日) に満了します" in with_day.explain(
        "ja"
    )
    assert "corresponding to day 1, Mon 16 Feb 2026" in with_day.explain("en")
    without = explain_period_end(datetime(2026, 1, 30, 10, 0, tzinfo=JST), months=1)
    assert without.corresponding_day is None
    assert "応当日がないので、その月の末日 2026年2月28日(土)" in without.explain("ja")
    assert "the final month has no day 31 corresponding to day 1" in without.explain("en")
    assert without.rules == ("CAL-1", "CAL-4", "CAL-6")


def test_cal_9_explains_months_and_days_together() -> None:
    deadline = explain_period_end(datetime(2026, 1, 15, 10, 0, tzinfo=JST), months=1, days=10)
    assert "1か月と10日の期間" in deadline.explain("ja")
    assert "さらに10日を加えた末日は 2026年2月25日(水)" in deadline.explain("ja")
    assert "1 month and 10 days" in deadline.explain("en")


def test_cal_9_explains_a_cal_7_extension_with_its_reason() -> None:
    cal = BusinessCalendar.japan()
    sunday = explain_period_end(REQUEST, days=14, extend_to_business_day=cal)
    assert (
        "末日が日曜日で営業日ではないので、翌営業日 2026年11月16日(月) まで延長"
        in sunday.explain("ja")
    )
    assert "that day is a Sunday, not a business day" in sunday.explain("en")
    holiday = explain_period_end(
        datetime(2026, 11, 9, 10, 0, tzinfo=JST), days=14, extend_to_business_day=cal
    )
    assert "祝日「勤労感謝の日」" in holiday.explain("ja")
    closure = BusinessCalendar.japan(extra_closures=[date(2026, 11, 24)])
    closed = explain_period_end(
        datetime(2026, 11, 10, 10, 0, tzinfo=JST), days=14, extend_to_business_day=closure
    )
    assert "休業日" in closed.explain("ja")
    assert "a closure day of the calendar" in closed.explain("en")


def test_cal_9_explains_that_no_extension_was_needed() -> None:
    cal = BusinessCalendar.japan()
    deadline = explain_period_end(
        datetime(2026, 11, 2, 10, 0, tzinfo=JST), days=14, extend_to_business_day=cal
    )
    assert deadline.extended is False
    assert "延長は、末日が営業日なので行いません" in deadline.explain("ja")
    assert "does not apply" in deadline.explain("en")


def test_cal_9_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        explain_period_end(REQUEST, days=14).explain("fr")
    assert raised.value.field == "lang"
    assert "'fr'" in str(raised.value)


def test_cal_9_seconds_of_the_start_are_shown_when_present() -> None:
    deadline = explain_period_end(datetime(2026, 11, 1, 10, 0, 30, tzinfo=JST), days=14)
    assert "10:00:30" in deadline.explain("ja")


def test_cal_9_dates_are_written_the_way_a_japanese_reader_expects() -> None:
    assert format_date(date(2026, 11, 15)) == "2026年11月15日(日)"
    assert format_date(date(2026, 11, 15), "en") == "Sun 15 Nov 2026"
    assert format_deadline(datetime(2026, 11, 16, 0, 0, tzinfo=JST)) == "2026年11月15日(日) 24:00"
    assert format_deadline(datetime(2026, 11, 16, 9, 30, tzinfo=JST)) == "2026年11月16日(月) 09:30"
