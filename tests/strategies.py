"""Hypothesis strategies shared by the test suite."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from hypothesis import strategies as st

from omakase_core.calendar import FIRST_YEAR, JST, LAST_YEAR, BusinessCalendar

SUPPORTED_DAYS = st.dates(min_value=date(FIRST_YEAR, 1, 1), max_value=date(LAST_YEAR, 12, 31))
"""Any day the calendar knows."""

INNER_DAYS = st.dates(min_value=date(FIRST_YEAR + 1, 1, 1), max_value=date(LAST_YEAR - 1, 12, 31))
"""Days at least a year from either end of the range, so that short arithmetic stays inside."""

PERIOD_START_DAYS = st.dates(min_value=date(FIRST_YEAR, 1, 1), max_value=date(2095, 12, 31))
"""Days from which periods of up to a few years stay inside the supported range."""

STEPS = st.integers(min_value=-40, max_value=40)
"""Business-day offsets of the size portals use."""

ZONES = st.sampled_from(
    [
        JST,
        UTC,
        timezone(timedelta(hours=-10)),
        timezone(timedelta(hours=5, minutes=45)),
        timezone(timedelta(hours=14)),
    ]
)
"""Fixed-offset zones on both sides of JST."""

CALENDARS = st.builds(
    BusinessCalendar.japan,
    year_end_closure=st.booleans(),
    extra_closures=st.frozensets(INNER_DAYS, max_size=20),
)
"""The national calendar with or without the year-end closure and some extra closures."""


@st.composite
def instants(draw: st.DrawFn, days: st.SearchStrategy[date] = INNER_DAYS) -> datetime:
    """Aware datetimes in assorted zones whose JST date is drawn from ``days``."""
    day = draw(days)
    seconds = draw(st.integers(min_value=0, max_value=86_399))
    whole_minute = draw(st.booleans())
    if whole_minute:
        seconds -= seconds % 60
    in_jst = datetime.combine(day, datetime.min.time(), JST) + timedelta(seconds=seconds)
    return in_jst.astimezone(draw(ZONES))
