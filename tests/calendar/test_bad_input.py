"""Bad input to the calendar is refused with a clear error (CAL-1, CAL-3, CAL-4, CAL-8, SEC-2)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

import attrs
import pytest

if TYPE_CHECKING:
    from collections.abc import Callable

from omakase_core import CalendarRangeError, NaiveDatetimeError, OmakaseError, ValidationError
from omakase_core.calendar import (
    JST,
    BusinessCalendar,
    Deadline,
    explain_period_end,
    format_date,
    format_deadline,
    format_instant,
    period_end,
    to_jst,
)

JAPAN = BusinessCalendar.japan()
DAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=JST)


@pytest.mark.parametrize("n", [True, False, 1.0, 2.5, "3", None])
def test_cal_3_add_business_days_refuses_an_n_that_is_not_an_int(n: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        JAPAN.add_business_days(DAY, n)
    assert raised.value.field == "n"
    assert "n must be an integer" in str(raised.value)


def test_cal_3_an_int_like_object_is_accepted_as_n() -> None:
    class Five:
        def __index__(self) -> int:
            return 5

    assert JAPAN.add_business_days(DAY, Five()) == JAPAN.add_business_days(DAY, 5)  # type: ignore[arg-type]


@pytest.mark.parametrize("n", [True, 2.0])
def test_cal_3_last_business_days_and_the_window_refuse_a_non_int_n(n: Any) -> None:
    with pytest.raises(ValidationError, match="n must be an integer"):
        JAPAN.last_business_days(2026, 5, n)
    with pytest.raises(ValidationError, match="n must be an integer"):
        JAPAN.in_last_business_days(NOW, n)


@pytest.mark.parametrize("n", [0, -1, 19])
def test_cal_3_last_business_days_refuses_n_outside_the_months_business_days(n: int) -> None:
    with pytest.raises(ValidationError) as raised:
        JAPAN.last_business_days(2026, 5, n)
    assert raised.value.field == "n"
    assert raised.value.rule == "CAL-3"
    assert "from 1 to 18" in str(raised.value)


@pytest.mark.parametrize("month", [0, 13, -1])
def test_cal_3_a_month_outside_1_to_12_is_refused(month: int) -> None:
    with pytest.raises(ValidationError) as raised:
        JAPAN.first_business_day(2026, month)
    assert raised.value.field == "month"
    assert "from 1 to 12" in str(raised.value)


@pytest.mark.parametrize("year", [1954, 2100])
def test_cal_8_month_queries_outside_the_years_are_refused(year: int) -> None:
    with pytest.raises(CalendarRangeError, match=str(year)):
        JAPAN.first_business_day(year, 1)
    with pytest.raises(CalendarRangeError, match=str(year)):
        JAPAN.last_business_days(year, 12, 1)


def test_cal_8_an_instant_outside_the_years_is_refused() -> None:
    with pytest.raises(CalendarRangeError, match="2100"):
        JAPAN.in_last_business_days(datetime(2100, 1, 5, tzinfo=JST), 1)
    with pytest.raises(CalendarRangeError, match="1954"):
        period_end(datetime(1954, 12, 1, tzinfo=JST), days=1)


def test_cal_8_a_period_ending_after_2099_is_refused() -> None:
    with pytest.raises(CalendarRangeError, match="2100"):
        period_end(datetime(2099, 12, 20, 10, 0, tzinfo=JST), days=14)
    with pytest.raises(CalendarRangeError, match="2100"):
        period_end(datetime(2099, 12, 20, 10, 0, tzinfo=JST), months=1)
    with pytest.raises(CalendarRangeError):
        period_end(datetime(2026, 1, 1, tzinfo=JST), days=10**12)
    with pytest.raises(CalendarRangeError):
        period_end(datetime(2026, 1, 1, tzinfo=JST), months=10**12)


def test_cal_8_a_period_ending_on_the_last_supported_day_is_accepted() -> None:
    deadline = explain_period_end(datetime(2099, 12, 17, 10, 0, tzinfo=JST), days=14)
    assert deadline.at == datetime(2100, 1, 1, tzinfo=JST)
    assert "2099年12月31日(木) 24:00" in deadline.explain("ja")


def test_cal_7_extension_past_2099_is_refused() -> None:
    with pytest.raises(CalendarRangeError, match="2100"):
        period_end(
            datetime(2099, 12, 30, 10, 0, tzinfo=JST),
            days=1,
            extend_to_business_day=BusinessCalendar.japan(year_end_closure=True),
        )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({}, "days"),
        ({"days": 0}, "days"),
        ({"days": 0, "months": 0}, "days"),
        ({"days": -1}, "days"),
        ({"months": -2}, "months"),
        ({"days": 14, "months": -1}, "months"),
        ({"days": 1.5}, "days"),
        ({"days": True}, "days"),
        ({"months": "1"}, "months"),
        ({"days": 1, "count_first_day": 1}, "count_first_day"),
        ({"days": 1, "extend_to_business_day": "JP"}, "extend_to_business_day"),
    ],
)
def test_cal_4_a_period_without_a_valid_length_or_option_is_refused(
    kwargs: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        period_end(NOW, **kwargs)
    assert raised.value.field == field
    assert field in str(raised.value)


def test_cal_4_a_period_start_must_be_an_instant_not_a_date() -> None:
    with pytest.raises(ValidationError) as raised:
        period_end(DAY, days=14)  # type: ignore[arg-type]  # the point of the test
    assert raised.value.field == "start"


@pytest.mark.parametrize("value", ["2026-11-20", 20261120, None])
def test_cal_3_a_day_that_is_not_a_date_is_refused(value: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        JAPAN.is_business_day(value)
    assert raised.value.field == "d"
    with pytest.raises(ValidationError):
        JAPAN.add_business_days(value, 1)
    with pytest.raises(ValidationError) as between:
        JAPAN.business_days_between(DAY, value)
    assert between.value.field == "end"


def test_cal_3_the_window_needs_an_instant_not_a_date() -> None:
    with pytest.raises(ValidationError) as raised:
        JAPAN.in_last_business_days(DAY, 4)  # type: ignore[arg-type]  # the point of the test
    assert raised.value.field == "instant"


@pytest.mark.parametrize(
    "closures",
    [
        [datetime(2026, 11, 20, tzinfo=JST)],
        ["2026-11-20"],
        42,
    ],
)
def test_cal_2_extra_closures_must_be_dates(closures: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        BusinessCalendar.japan(extra_closures=closures)
    assert raised.value.field == "extra_closures"


def test_cal_8_an_extra_closure_outside_the_years_is_refused() -> None:
    with pytest.raises(CalendarRangeError, match="2100"):
        BusinessCalendar.japan(extra_closures=[date(2100, 1, 4)])


def test_cal_2_year_end_closure_must_be_a_bool() -> None:
    with pytest.raises(ValidationError) as raised:
        BusinessCalendar.japan(year_end_closure="yes")  # type: ignore[arg-type]  # the point
    assert raised.value.field == "year_end_closure"


def test_cal_3_a_month_closed_entirely_has_no_first_business_day() -> None:
    february = [date(2026, 2, d) for d in range(1, 29)]
    cal = BusinessCalendar.japan(extra_closures=february)
    with pytest.raises(ValidationError, match="no business day"):
        cal.first_business_day(2026, 2)
    with pytest.raises(ValidationError, match="no business day"):
        cal.in_last_business_days(datetime(2026, 2, 10, tzinfo=JST), 1)


def test_every_calendar_error_is_an_omakase_error_and_a_value_error() -> None:
    for error in (CalendarRangeError, ValidationError):
        assert issubclass(error, OmakaseError)
        assert issubclass(error, ValueError)


# -- SEC-2 (issue 9): no raw errors, no silent fallback, short messages ----------------------


def test_sec_2_to_jst_of_datetime_max_in_utc_is_a_calendar_range_error_not_an_overflow() -> None:
    with pytest.raises(CalendarRangeError) as raised:
        to_jst(datetime.max.replace(tzinfo=UTC))
    assert raised.value.rule == "CAL-8"
    assert "no JST date" in str(raised.value)
    with pytest.raises(CalendarRangeError):
        to_jst(datetime.min.replace(tzinfo=timezone(timedelta(hours=23))), field="sent_at")


def test_sec_2_datetime_max_in_utc_is_refused_wherever_an_instant_is_taken() -> None:
    far = datetime.max.replace(tzinfo=UTC)
    for call in (
        lambda: period_end(far, days=1),
        lambda: JAPAN.in_last_business_days(far, 1),
        lambda: JAPAN.is_business_day(far),
        lambda: format_instant(far),
    ):
        with pytest.raises(CalendarRangeError):
            call()


@pytest.mark.parametrize("day", [None, "2026-11-20", 20261120, datetime(2026, 11, 20)])  # noqa: DTZ001  # a naive one among them
def test_sec_2_format_date_refuses_what_is_not_a_day(day: Any) -> None:
    with pytest.raises((ValidationError, NaiveDatetimeError)) as raised:
        format_date(day)
    assert getattr(raised.value, "field", None) == "d"


def test_cal_1_format_date_of_an_instant_formats_its_jst_date() -> None:
    late_utc = datetime(2026, 11, 14, 20, 0, tzinfo=UTC)  # already the 15th in Tokyo
    assert format_date(late_utc) == format_date(date(2026, 11, 15)) == "2026年11月15日(日)"


@pytest.mark.parametrize(
    "lang",
    ["fr", "JA", " en", "", None, ["ja"], "x" * 1_000_000],
    ids=["fr", "JA", "padded", "empty", "None", "list", "1 MB"],
)
def test_sec_2_an_unknown_language_is_refused_never_answered_in_english(lang: Any) -> None:
    deadline = explain_period_end(NOW, days=14)
    calls: tuple[Callable[[], object], ...] = (
        lambda: format_date(DAY, lang),
        lambda: format_instant(NOW, lang),
        lambda: format_deadline(deadline.at, lang),
        lambda: deadline.explain(lang),
    )
    for call in calls:
        with pytest.raises(ValidationError) as raised:
            call()
        assert raised.value.field == "lang"
        assert raised.value.rule == "CAL-9"
        assert len(str(raised.value)) < 200


def test_sec_2_format_deadline_at_the_first_representable_midnight_is_refused() -> None:
    with pytest.raises(CalendarRangeError):
        format_deadline(datetime.min.replace(tzinfo=JST))


@pytest.mark.parametrize(
    "call",
    [
        lambda: JAPAN.add_business_days(DAY, 10**5000),
        lambda: JAPAN.first_business_day(10**5000, 1),
        lambda: JAPAN.last_business_days(2026, 5, 10**5000),
        lambda: period_end(NOW, months=10**5000),
        lambda: period_end(NOW, days=-(10**5000)),
    ],
)
def test_sec_2_an_int_of_thousands_of_digits_is_refused_with_a_short_message(call: Any) -> None:
    with pytest.raises(OmakaseError) as raised:
        call()
    assert "0" * 81 not in str(raised.value)
    assert len(str(raised.value)) < 300


def test_sec_2_a_deadline_built_by_hand_is_checked_like_a_computed_one() -> None:
    parts = attrs.asdict(explain_period_end(NOW, days=14), recurse=False)
    assert Deadline(**parts) == explain_period_end(NOW, days=14)
    for field, value in [
        ("at", datetime(2026, 11, 16)),  # noqa: DTZ001  # the point: naive
        ("days", -1),
        ("count_first_day", "no"),
        ("first_day", NOW),
        ("corresponding_day", "2026-11-20"),
        ("calendar", "JP"),
    ]:
        with pytest.raises(OmakaseError) as raised:
            Deadline(**{**parts, field: value})
        assert raised.value.field == field  # type: ignore[attr-defined]  # each has one
