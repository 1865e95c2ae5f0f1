"""JST handling and argument checks shared by the calendar (CAL-1, CAL-8).

Decision: ``JST`` is the fixed offset UTC+09:00 named "JST", not a tz-database zone.
Japan has observed no daylight saving time since 1951, so over the supported years
(1955-2099) the fixed offset *is* Asia/Tokyo; it needs no tz database on the host,
is hashable and compares cheaply.
"""

from __future__ import annotations

import operator
from datetime import date, datetime, timedelta, timezone
from typing import Final

from omakase_core.errors import CalendarRangeError, NaiveDatetimeError, ValidationError, excerpt

__all__ = [
    "FIRST_YEAR",
    "JST",
    "LAST_YEAR",
    "as_day",
    "as_instant",
    "check_int",
    "check_year",
    "to_jst",
]

JST: Final = timezone(timedelta(hours=9), "JST")
"""Japan Standard Time, UTC+09:00 (Asia/Tokyo has had no DST since 1951)."""

FIRST_YEAR: Final = 1955
"""The first year whose holidays the calendar knows (CAL-8)."""

LAST_YEAR: Final = 2099
"""The last year whose holidays the calendar knows (CAL-8)."""


def to_jst(instant: datetime, *, field: str = "instant") -> datetime:
    """Return ``instant`` converted to JST (CAL-1).

    Any aware datetime is accepted, whatever its zone. A naive datetime raises
    :class:`~omakase_core.errors.NaiveDatetimeError`: it is never assumed to be UTC or JST.
    An instant that has no JST datetime (``datetime.max`` in UTC is after 9999-12-31 in
    JST) raises :class:`~omakase_core.errors.CalendarRangeError` instead of overflowing
    (SEC-2: only the library's own errors escape).

    >>> from datetime import datetime, timezone
    >>> to_jst(datetime(2026, 11, 1, 15, 30, tzinfo=timezone.utc)).isoformat()
    '2026-11-02T00:30:00+09:00'
    """
    if not isinstance(instant, datetime):
        raise ValidationError(
            f"{field} must be an aware datetime, not {type(instant).__name__}",
            field=field,
            rule="CAL-1",
        )
    if instant.tzinfo is JST:
        return instant
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise NaiveDatetimeError(field=field)
    try:
        return instant.astimezone(JST)
    except OverflowError:
        raise CalendarRangeError(
            year=instant.year,
            first_year=FIRST_YEAR,
            last_year=LAST_YEAR,
            what=f"{field} ({instant.isoformat()}, which has no JST date)",
        ) from None


def as_instant(value: object, field: str) -> datetime:
    """Return ``value`` as a JST instant whose JST date lies in the supported years."""
    instant = to_jst(value, field=field)  # type: ignore[arg-type]  # to_jst checks the type
    check_year(instant.year, f"{field} ({instant:%Y-%m-%d %H:%M} JST)")
    return instant


def as_day(value: object, field: str) -> date:
    """Return ``value`` as a calendar day.

    A ``date`` is taken as it is; an aware ``datetime`` is an instant, so its JST date is
    taken (CAL-1). Anything else is refused.
    """
    if isinstance(value, datetime):
        return to_jst(value, field=field).date()
    if isinstance(value, date):
        return date(value.year, value.month, value.day)
    raise ValidationError(
        f"{field} must be a date or an aware datetime, not {type(value).__name__}",
        field=field,
    )


def check_int(value: object, field: str) -> int:
    """Return ``value`` as an ``int``; a bool, a float or anything else is refused."""
    if type(value) is int:
        return value
    if not isinstance(value, bool):
        try:
            return operator.index(value)  # type: ignore[arg-type]  # refused below if not
        except TypeError:
            pass
    raise ValidationError(
        f"{field} must be an integer, not {type(value).__name__} {excerpt(value)}", field=field
    )


def check_year(year: int, what: str) -> None:
    """Refuse a year outside 1955-2099, the years whose holidays are known (CAL-8)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CalendarRangeError(year=year, first_year=FIRST_YEAR, last_year=LAST_YEAR, what=what)
