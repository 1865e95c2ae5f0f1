"""CAL-8 at the calendar's edges: every month from January 1955 to December 2099 has its view.

A new-user trial found ``month_windows(<any service>, 2099, 12)`` refused with an internal
"d 2100-01-01" although December 2099 is inside the calendar. The view answers everything
about the month; only ``decide``'s timing of a change that applies in 2100 is refused, and
that refusal names ``submitted_at``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from omakase_core.calendar import JST, BusinessCalendar
from omakase_core.errors import CalendarRangeError
from omakase_core.id_change import (
    POLICIES,
    DayWindows,
    Decision,
    Service,
    Target,
    decide,
    month_windows,
)
from tests.id_change.conftest import Desk

EDGE_MONTHS = [(2099, 11), (2099, 12), (1955, 1)]
NATIONAL = BusinessCalendar.japan()


def _decide(service: Service, target: Target, at: datetime) -> Decision:
    return decide(
        service, target=target, submitted_at=at, delta=1, current_count=10, consented=True
    )


def _decision_or_range_error(
    service: Service, target: Target, at: datetime
) -> Decision | CalendarRangeError:
    try:
        return _decide(service, target, at)
    except CalendarRangeError as error:
        return error


def _covering(day: DayWindows, target: Target, at: time) -> list[object]:
    return [
        slot.counts_as
        for slot in day.open_for(target)
        if slot.start <= at and (slot.end is None or at < slot.end)
    ]


@pytest.mark.parametrize("service", list(Service))
@pytest.mark.parametrize(("year", "month"), EDGE_MONTHS)
def test_cal_8_the_month_view_answers_for_the_edge_months(
    service: Service, year: int, month: int
) -> None:
    days = month_windows(service, year, month)
    last = (date(year, month + 1, 1) if month < 12 else date(year + 1, 1, 1)) - timedelta(days=1)
    assert [w.day for w in days] == [date(year, month, n) for n in range(1, last.day + 1)]
    assert all(w.open_for(Target.NEXT_MONTH) for w in days)  # 翌月 is open every day somewhere


@given(
    service=st.sampled_from(list(Service)),
    target=st.sampled_from(list(Target)),
    edge=st.sampled_from(EDGE_MONTHS),
    day=st.integers(min_value=1, max_value=31),
    seconds=st.integers(min_value=0, max_value=86_399),
)
def test_cal_8_decide_agrees_with_the_month_view_or_names_submitted_at_beyond_2099(
    *, service: Service, target: Target, edge: tuple[int, int], day: int, seconds: int
) -> None:
    """Wherever the answer is inside the calendar, the view and ``decide`` agree.

    Where it is not (a change counted for January 2100), the view still shows the slot as
    翌月 and ``decide`` says why in the terms of its own parameter.
    """
    year, month = edge
    days = month_windows(service, year, month)
    view = days[min(day, len(days)) - 1]
    at = datetime.combine(view.day, time(0), JST) + timedelta(seconds=seconds)
    covering = _covering(view, target, at.time())
    decision = _decision_or_range_error(service, target, at)
    if isinstance(decision, CalendarRangeError):
        assert covering == [Target.NEXT_MONTH]
        assert (year, month, decision.year) == (2099, 12, 2100)
        assert str(decision).startswith(f"CAL-8: submitted_at {at:%Y-%m-%d} JST: a 翌月")
        return
    assert decision.accepted == bool(covering)
    if covering:
        assert covering[0] is decision.target


def test_cal_8_december_2099_closes_google_workspaces_current_month_in_its_last_4_days() -> None:
    closed_from = NATIONAL.last_business_days(2099, 12, 4)[0]
    days = month_windows(Service.GOOGLE_WORKSPACE, 2099, 12)
    for view in days:
        targets = [slot.target for slot in view.slots]
        if view.day < closed_from:
            assert targets == [Target.CURRENT_MONTH, Target.NEXT_MONTH]
        else:
            assert [(s.target, s.start, s.end) for s in view.slots] == [
                (Target.NEXT_MONTH, time(0), None)
            ]


def test_cal_8_december_2099_rolls_emm_over_to_the_next_month_in_its_last_11_days() -> None:
    rolls_from = NATIONAL.last_business_days(2099, 12, 11)[0]
    days = {w.day: w for w in month_windows(Service.EMM, 2099, 12)}
    assert {s.counts_as for s in days[rolls_from].open_for(Target.CURRENT_MONTH)} == {
        Target.NEXT_MONTH
    }
    assert {s.counts_as for s in days[date(2099, 12, 31)].open_for(Target.CURRENT_MONTH)} == {
        Target.NEXT_MONTH
    }
    before = NATIONAL.previous_business_day(rolls_from)
    assert days[before].open_for(Target.CURRENT_MONTH)[0].counts_as is Target.CURRENT_MONTH


@pytest.mark.parametrize("service", list(Service))
def test_cal_8_a_next_month_change_submitted_in_december_2099_is_refused_naming_submitted_at(
    service: Service,
) -> None:
    with pytest.raises(CalendarRangeError) as raised:
        _decide(service, Target.NEXT_MONTH, datetime(2099, 12, 10, 10, 0, tzinfo=JST))
    assert str(raised.value) == (
        "CAL-8: submitted_at 2099-12-10 JST: a 翌月 (next-month) change applies in a month that "
        "falls in 2100, outside the supported years 1955-2099 for which Japanese holidays "
        "are known"
    )
    assert raised.value.__cause__ is None
    assert raised.value.__suppress_context__


@pytest.mark.parametrize("service", list(Service))
def test_cal_8_a_current_month_change_in_december_2099_is_decided_in_full(
    service: Service,
) -> None:
    decision = _decide(service, Target.CURRENT_MONTH, datetime(2099, 12, 2, 10, 0, tzinfo=JST))
    assert (decision.accepted, decision.target) == (True, Target.CURRENT_MONTH)
    assert decision.applying_instant is not None
    assert decision.applying_instant <= datetime(2100, 1, 1, tzinfo=JST)


def test_cal_8_a_current_month_change_processed_in_2100_is_refused_naming_submitted_at() -> None:
    """A policy without a closed month end: a 当月 change on 31 Dec 2099 is processed in 2100."""
    open_end = attrs.evolve(POLICIES[Service.GOOGLE_WORKSPACE], current_closed_in_last=None)
    with pytest.raises(CalendarRangeError) as raised:
        decide(
            open_end,
            target=Target.CURRENT_MONTH,
            submitted_at=datetime(2099, 12, 31, 10, 0, tzinfo=JST),
            delta=1,
            current_count=10,
            consented=True,
        )
    assert str(raised.value).startswith(
        "CAL-8: submitted_at 2099-12-31 JST: a 当月 change applies or is processed on a day that "
        "falls in 2100"
    )
    (slot,) = month_windows(open_end, 2099, 12)[-1].open_for(Target.CURRENT_MONTH)
    assert (slot.start, slot.end, slot.counts_as) == (time(0), None, Target.CURRENT_MONTH)


def test_cal_8_the_service_refuses_a_december_2099_next_month_change_storing_nothing() -> None:
    desk = Desk(datetime(2099, 12, 10, 10, 0, tzinfo=JST))
    with pytest.raises(CalendarRangeError, match=r"^CAL-8: submitted_at 2099-12-10 JST"):
        desk.submit(target=Target.NEXT_MONTH)
    assert desk.snapshot() == (0, [])
    assert desk.submit(target=Target.CURRENT_MONTH).decision.target is Target.CURRENT_MONTH
