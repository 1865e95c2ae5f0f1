"""Periods counted the way the Civil Code counts them (CAL-4 … CAL-7, CAL-9).

A period is given by its start instant and its length in days and/or months. Its end
is returned as an **exclusive** JST instant: 00:00 of the day after the period's last
day, which is the "24:00 of the last day" the rulebook speaks of.

- CAL-4 (初日不算入, Civil Code 140/141): the start day is not counted unless the start is
  exactly 00:00 JST; day 1 is the next day.
- CAL-5 (``count_first_day=True``, "送信日を含む7日間"): the start day is day 1.
- CAL-6 (Civil Code 143): a period of months ends on the day before the day corresponding
  to the first day of the period; where the last month has no such day, on its last day.
- CAL-7 (Civil Code 142, opt-in): a last day that is not a business day of the given
  calendar moves to the next business day.

Decision: when both ``months`` and ``days`` are given ("1か月と10日"), the months are
counted first and the days are added after the month period's last day.
Decision: pendulum's month arithmetic clamps 01-31 + 1 month to 02-28, which is not
Civil Code 143 (the period counted from 01-31 ends at the end of 02-28, but the one from
01-30 must too, and pendulum would give 02-27); so months are counted with ``datetime``
here and pendulum is used for formatting only.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Final, Literal

import attrs

from omakase_core.calendar._business import BusinessCalendar
from omakase_core.calendar._jst import (
    FIRST_YEAR,
    JST,
    LAST_YEAR,
    as_day,
    as_instant,
    check_int,
    check_year,
    to_jst,
)
from omakase_core.errors import CalendarRangeError, ValidationError, excerpt

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "Deadline",
    "explain_period_end",
    "format_date",
    "format_deadline",
    "format_instant",
    "period_end",
]

_MIDNIGHT: Final = time(0)
_ONE_DAY: Final = timedelta(days=1)
_LANGUAGES: Final = ("ja", "en")

Language = Literal["ja", "en"]


def _check_length(value: object, field: str) -> int:
    n = check_int(value, field)
    if n < 0:
        msg = f"{field} must not be negative, not {excerpt(n)}"
        raise ValidationError(msg, field=field, rule="CAL-4")
    return n


def _check_lang(lang: object) -> Language:
    """Return ``lang`` if it is ``"ja"`` or ``"en"``; refuse anything else (CAL-9, SEC-2).

    An unknown language is refused, never answered in English: a caller who asked for
    another language gets an error, not a text its reader may not read.
    """
    if lang == "ja" and type(lang) is str:
        return "ja"
    if lang == "en" and type(lang) is str:
        return "en"
    raise ValidationError(
        f"lang must be one of {', '.join(_LANGUAGES)}, not {excerpt(lang)}",
        field="lang",
        rule="CAL-9",
    )


def _aware(_: object, attribute: attrs.Attribute[datetime], value: object) -> None:
    to_jst(value, field=attribute.name)  # type: ignore[arg-type]  # to_jst checks the type


def _day(_: object, attribute: attrs.Attribute[date], value: object) -> None:
    if isinstance(value, datetime) or not isinstance(value, date):
        msg = f"{attribute.name} must be a date, not {type(value).__name__}"
        raise ValidationError(msg, field=attribute.name, rule="CAL-9")


def _optional_day(instance: object, attribute: attrs.Attribute[date], value: object) -> None:
    if value is not None:
        _day(instance, attribute, value)


def _length(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    _check_length(value, attribute.name)


def _flag(_: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if not isinstance(value, bool):
        msg = f"{attribute.name} must be True or False, not {excerpt(value)}"
        raise ValidationError(msg, field=attribute.name, rule="CAL-9")


def _calendar(
    _: object, attribute: attrs.Attribute[BusinessCalendar | None], value: object
) -> None:
    if value is not None and not isinstance(value, BusinessCalendar):
        msg = f"{attribute.name} must be a BusinessCalendar or None, not {type(value).__name__}"
        raise ValidationError(msg, field=attribute.name, rule="CAL-9")


def _month_length(year: int, month: int) -> int:
    """Return the number of days in the month.

    The standard library's ``calendar.monthrange`` gives the same, but importing ``calendar``
    costs a fresh process ~1 ms.
    """
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return (following - date(year, month, 1)).days


def _months_last_day(first_day: date, months: int) -> tuple[date, date | None]:
    """Return the last day of a period of ``months`` starting on ``first_day`` (CAL-6).

    The second value is the corresponding day (応当日) whose previous day ends the
    period, or ``None`` when the last month has no corresponding day.
    """
    index = first_day.month - 1 + months
    year, month = first_day.year + index // 12, index % 12 + 1
    if (year, month) > (LAST_YEAR + 1, 1):
        # January 2100 may still hold the corresponding day of a period that ends on
        # 2099-12-31 (CAL-8's last day); any later month cannot.
        what = f"the end of a {excerpt(months)}-month period from {first_day.isoformat()}"
        check_year(year, what)
    month_length = _month_length(year, month)
    if first_day.day > month_length:
        return date(year, month, month_length), None
    corresponding = date(year, month, first_day.day)
    return corresponding - _ONE_DAY, corresponding


@attrs.frozen(kw_only=True)
class Deadline:
    """A computed period end together with how it was computed (CAL-9).

    ``at`` is the exclusive end (00:00 JST of the day after ``last_day``). The other
    attributes are the inputs and the intermediate days, so that :meth:`explain` can say
    which rule, which inputs, which convention and which result.
    """

    at: datetime = attrs.field(validator=_aware)
    start: datetime = attrs.field(validator=_aware)
    days: int = attrs.field(validator=_length)
    months: int = attrs.field(validator=_length)
    count_first_day: bool = attrs.field(validator=_flag)
    first_day: date = attrs.field(validator=_day)
    last_day: date = attrs.field(validator=_day)
    unextended_last_day: date = attrs.field(validator=_day)
    corresponding_day: date | None = attrs.field(validator=_optional_day)
    calendar: BusinessCalendar | None = attrs.field(validator=_calendar)

    @property
    def rules(self) -> tuple[str, ...]:
        """Return the IDs of the rules that produced this deadline, in the order applied."""
        rules = ["CAL-1", "CAL-5" if self.count_first_day else "CAL-4"]
        if self.months:
            rules.append("CAL-6")
        if self.calendar is not None:
            rules.append("CAL-7")
        return tuple(rules)

    @property
    def extended(self) -> bool:
        """Return whether CAL-7 moved the last day to a later business day."""
        return self.last_day != self.unextended_last_day

    def explain(self, lang: str = "ja") -> str:
        """Explain the deadline in full sentences, in ``"ja"`` or ``"en"`` (CAL-9)."""
        language = _check_lang(lang)
        explainer: Callable[[Deadline], str] = _explain_ja if language == "ja" else _explain_en
        return explainer(self)


def explain_period_end(
    start: datetime,
    *,
    days: int = 0,
    months: int = 0,
    count_first_day: bool = False,
    extend_to_business_day: BusinessCalendar | None = None,
) -> Deadline:
    """Compute a period's end like :func:`period_end` and keep how it was computed (CAL-9).

    >>> from datetime import datetime
    >>> deadline = explain_period_end(datetime(2026, 11, 1, 10, 0, tzinfo=JST), days=14)
    >>> deadline.at.isoformat()
    '2026-11-16T00:00:00+09:00'
    >>> print(deadline.explain("en"))  # doctest: +NORMALIZE_WHITESPACE
    The period of 14 days starts at Sun 1 Nov 2026 10:00 JST. Under CAL-4 (Civil Code
    140, the first day is not counted) the start is not exactly midnight, so day 1 is
    Mon 2 Nov 2026. Day 14 is Sun 15 Nov 2026. The deadline is Sun 15 Nov 2026 24:00 JST
    (that is, Mon 16 Nov 2026 00:00 JST).
    """
    instant = as_instant(start, "start")
    n_days = _check_length(days, "days")
    n_months = _check_length(months, "months")
    if n_days == 0 and n_months == 0:
        raise ValidationError(
            "a period needs a length: give days or months greater than 0",
            field="days",
            rule="CAL-4",
        )
    if not isinstance(count_first_day, bool):
        raise ValidationError(
            f"count_first_day must be True or False, not {excerpt(count_first_day)}",
            field="count_first_day",
            rule="CAL-5",
        )
    if extend_to_business_day is not None and not isinstance(
        extend_to_business_day, BusinessCalendar
    ):
        raise ValidationError(
            "extend_to_business_day must be a BusinessCalendar or None, "
            f"not {type(extend_to_business_day).__name__}",
            field="extend_to_business_day",
            rule="CAL-7",
        )
    first_day = instant.date()
    if not count_first_day and instant.time() != _MIDNIGHT:
        first_day += _ONE_DAY
    what = f"the last day of the period from {instant:%Y-%m-%d %H:%M} JST"
    corresponding: date | None = None
    try:
        if n_months:
            last_day, corresponding = _months_last_day(first_day, n_months)
            last_day += timedelta(days=n_days)
        else:
            last_day = first_day + timedelta(days=n_days - 1)
    except OverflowError:
        raise CalendarRangeError(
            year=LAST_YEAR + 1, first_year=FIRST_YEAR, last_year=LAST_YEAR, what=what
        ) from None
    check_year(last_day.year, what)
    unextended = last_day
    if extend_to_business_day is not None:
        last_day = extend_to_business_day.on_or_after(last_day)
    return Deadline(
        at=datetime.combine(last_day + _ONE_DAY, _MIDNIGHT, JST),
        start=instant,
        days=n_days,
        months=n_months,
        count_first_day=count_first_day,
        first_day=first_day,
        last_day=last_day,
        unextended_last_day=unextended,
        corresponding_day=corresponding,
        calendar=extend_to_business_day,
    )


def period_end(
    start: datetime,
    *,
    days: int = 0,
    months: int = 0,
    count_first_day: bool = False,
    extend_to_business_day: BusinessCalendar | None = None,
) -> datetime:
    """Return the exclusive end of a period as an aware JST instant (CAL-4 … CAL-7).

    The result is 00:00 JST of the day after the period's last day.

    >>> from datetime import datetime
    >>> period_end(datetime(2026, 11, 1, 10, 0, tzinfo=JST), days=14).isoformat()
    '2026-11-16T00:00:00+09:00'
    >>> period_end(datetime(2026, 1, 30, 10, 0, tzinfo=JST), months=1).isoformat()
    '2026-03-01T00:00:00+09:00'
    """
    return explain_period_end(
        start,
        days=days,
        months=months,
        count_first_day=count_first_day,
        extend_to_business_day=extend_to_business_day,
    ).at


# -- formatting ---------------------------------------------------------------------------


def format_date(d: date, lang: Language = "ja") -> str:
    """Format a day the way a reader of ``lang`` expects: 2026年11月15日(日) / Sun 15 Nov 2026.

    ``d`` is a ``date``, or an aware ``datetime`` whose JST date is meant (CAL-1), as
    everywhere in the calendar; anything else, and a ``lang`` other than ``"ja"`` or
    ``"en"``, is refused (SEC-2).

    >>> format_date(date(2026, 11, 15))
    '2026年11月15日(日)'
    """
    import pendulum  # noqa: PLC0415  # deferred: formatting is off the hot paths

    given = as_day(d, "d")
    lang = _check_lang(lang)
    day = pendulum.Date(given.year, given.month, given.day)
    if lang == "ja":
        return day.format("YYYY年M月D日(dd)", locale="ja")
    return day.format("ddd D MMM YYYY", locale="en")


def _format_time(instant: datetime) -> str:
    return f"{instant:%H:%M:%S}" if instant.second or instant.microsecond else f"{instant:%H:%M}"


def _format_instant(instant: datetime, lang: Language) -> str:
    local = instant.astimezone(JST)
    if lang == "ja":
        return f"{format_date(local.date(), 'ja')} {_format_time(local)}"
    return f"{format_date(local.date(), 'en')} {_format_time(local)} JST"


def format_instant(instant: datetime, lang: Language = "ja") -> str:
    """Format an instant in JST: 2026年11月1日(日) 10:00 / Sun 1 Nov 2026 10:00 JST.

    >>> format_instant(datetime(2026, 11, 1, 10, 0, tzinfo=JST))
    '2026年11月1日(日) 10:00'
    """
    return _format_instant(to_jst(instant, field="instant"), _check_lang(lang))


def format_deadline(at: datetime, lang: Language = "ja") -> str:
    """Format an exclusive end instant as the end of the day before it when it is 00:00 JST.

    >>> format_deadline(datetime(2026, 11, 16, 0, 0, tzinfo=JST))
    '2026年11月15日(日) 24:00'
    >>> format_deadline(datetime(2026, 11, 16, 0, 0, tzinfo=JST), "en")
    'Sun 15 Nov 2026 24:00 JST'
    """
    local = to_jst(at, field="at")
    lang = _check_lang(lang)
    if local.time() != _MIDNIGHT:
        return _format_instant(local, lang)
    if local.date() == date.min:  # its "24:00 of the day before" is before year 1
        raise CalendarRangeError(
            year=0, first_year=FIRST_YEAR, last_year=LAST_YEAR, what=f"at ({local.isoformat()})"
        )
    day = format_date(local.date() - _ONE_DAY, lang)
    return f"{day} 24:00" if lang == "ja" else f"{day} 24:00 JST"


# -- explanations (CAL-9) -----------------------------------------------------------------


def _day_off_reason_ja(cal: BusinessCalendar, d: date) -> str:
    name = cal.holiday_name(d)
    if name is not None:
        return f"祝日「{name}」"
    if cal.is_closure(d):
        return "休業日"
    return "土曜日" if d.weekday() == 5 else "日曜日"


def _day_off_reason_en(cal: BusinessCalendar, d: date) -> str:
    name = cal.holiday_name(d)
    if name is not None:
        return f"the national holiday {name}"
    if cal.is_closure(d):
        return "a closure day of the calendar"
    return "a Saturday" if d.weekday() == 5 else "a Sunday"


def _explain_ja(dl: Deadline) -> str:
    length = "と".join(
        part
        for part in (f"{dl.months}か月" if dl.months else "", f"{dl.days}日" if dl.days else "")
        if part
    )
    start = _format_instant(dl.start, "ja")
    out = [f"起算時刻 {start}（日本時間）から{length}の期間です。"]
    if dl.count_first_day:
        out.append(
            f"CAL-5（初日算入）により、起算日 {format_date(dl.first_day)} を1日目として数えます。"
        )
    elif dl.first_day == dl.start.date():
        out.append(
            "CAL-4（民法140条）により、起算時刻がちょうど午前0時なので初日を算入し、"
            f"{format_date(dl.first_day)} を1日目として数えます。"
        )
    else:
        out.append(
            "CAL-4（民法140条、初日不算入）により、起算時刻が午前0時ちょうどではないので初日は"
            f"算入せず、翌日 {format_date(dl.first_day)} を1日目として数えます。"
        )
    unextended = dl.unextended_last_day
    if dl.months:
        month_end = unextended - timedelta(days=dl.days)
        if dl.corresponding_day is None:
            out.append(
                f"CAL-6（民法143条）により、{dl.months}か月後の月には応当日がないので、"
                f"その月の末日 {format_date(month_end)} に満了します。"
            )
        else:
            out.append(
                f"CAL-6（民法143条）により、{dl.months}か月後の応当日 "
                f"{format_date(dl.corresponding_day)} の前日 "
                f"{format_date(month_end)} に満了します。"
            )
        if dl.days:
            out.append(f"さらに{dl.days}日を加えた末日は {format_date(unextended)} です。")
    else:
        out.append(f"{dl.days}日目にあたる末日は {format_date(unextended)} です。")
    if dl.calendar is not None:
        if dl.extended:
            out.append(
                f"CAL-7（民法142条）により、末日が{_day_off_reason_ja(dl.calendar, unextended)}で"
                f"営業日ではないので、翌営業日 {format_date(dl.last_day)} まで延長します。"
            )
        else:
            out.append("CAL-7（民法142条）による延長は、末日が営業日なので行いません。")
    out.append(f"期限は {format_deadline(dl.at)}（日本時間）です。")
    return "".join(out)


def _explain_en(dl: Deadline) -> str:
    def plural(n: int, unit: str) -> str:
        return f"{n} {unit}" if n == 1 else f"{n} {unit}s"

    length = " and ".join(
        part
        for part in (
            plural(dl.months, "month") if dl.months else "",
            plural(dl.days, "day") if dl.days else "",
        )
        if part
    )
    out = [f"The period of {length} starts at {_format_instant(dl.start, 'en')}."]
    first = format_date(dl.first_day, "en")
    if dl.count_first_day:
        out.append(f"Under CAL-5 (the first day is counted) day 1 is the start day, {first}.")
    elif dl.first_day == dl.start.date():
        out.append(
            "Under CAL-4 (Civil Code 140) the start is exactly midnight, so the first day "
            f"counts and day 1 is {first}."
        )
    else:
        out.append(
            "Under CAL-4 (Civil Code 140, the first day is not counted) the start is not "
            f"exactly midnight, so day 1 is {first}."
        )
    unextended = dl.unextended_last_day
    if dl.months:
        month_end = format_date(unextended - timedelta(days=dl.days), "en")
        if dl.corresponding_day is None:
            out.append(
                f"Under CAL-6 (Civil Code 143) the final month has no day {dl.first_day.day} "
                f"corresponding to day 1, so the period ends on that month's last day, "
                f"{month_end}."
            )
        else:
            corresponding = format_date(dl.corresponding_day, "en")
            out.append(
                f"Under CAL-6 (Civil Code 143) the period ends on the day before the day "
                f"corresponding to day 1, {corresponding}, that is on {month_end}."
            )
        if dl.days:
            out.append(
                f"Adding {plural(dl.days, 'day')} makes the last day "
                f"{format_date(unextended, 'en')}."
            )
    else:
        out.append(f"Day {dl.days} is {format_date(unextended, 'en')}.")
    if dl.calendar is not None:
        if dl.extended:
            reason = _day_off_reason_en(dl.calendar, unextended)
            out.append(
                f"Under CAL-7 (Civil Code 142) that day is {reason}, "
                f"not a business day, so the period extends to the next business day, "
                f"{format_date(dl.last_day, 'en')}."
            )
        else:
            out.append("CAL-7 (Civil Code 142) does not apply: the last day is a business day.")
    out.append(
        f"The deadline is {format_deadline(dl.at, 'en')} (that is, {_format_instant(dl.at, 'en')})."
    )
    return " ".join(out)
