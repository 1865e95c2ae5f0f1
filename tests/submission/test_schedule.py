"""SUB-10: construction schedules — three preferences per step, chained bounds, slots."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from omakase_core import ValidationError
from omakase_core.calendar import BusinessCalendar
from omakase_core.submission import (
    ConstructionSchedule,
    Preference,
    ScheduleError,
    Slot,
    Step,
    earliest_site_survey,
)

JAPAN = BusinessCalendar.japan()
TODAY = date(2025, 4, 2)


def daytime(*days: date) -> tuple[Preference, ...]:
    return tuple(Preference(day=d, slot=Slot.AM) for d in days)


def evening(*days: date) -> tuple[Preference, ...]:
    return tuple(Preference(day=d, starts_at=time(19, 0)) for d in days)


def valid_daytime(**changes: Any) -> ConstructionSchedule:
    values: dict[str, Any] = {
        "weekday_daytime": True,
        "site_survey": daytime(date(2025, 5, 12), date(2025, 5, 13), date(2025, 5, 14)),
        "line_work": daytime(date(2025, 6, 23), date(2025, 6, 24), date(2025, 6, 25)),
        "converter": daytime(date(2025, 6, 30), date(2025, 7, 1), date(2025, 7, 2)),
        "router": daytime(date(2025, 7, 7), date(2025, 7, 8), date(2025, 7, 9)),
    }
    values.update(changes)
    return ConstructionSchedule(**values)


def test_sub_10_a_schedule_at_its_bounds_is_accepted() -> None:
    schedule = valid_daytime()
    assert earliest_site_survey(TODAY) == date(2025, 5, 12)  # the seed's example
    assert schedule.earliest(Step.LINE_WORK) == date(2025, 6, 23)  # latest survey 5/14 + 40
    assert schedule.earliest(Step.CONVERTER) == date(2025, 6, 28)  # latest line 6/25 + 3
    assert schedule.earliest(Step.ROUTER) == date(2025, 7, 5)  # latest converter 7/2 + 3
    assert schedule.after_hours_steps == ()


def test_sub_10_a_schedule_cannot_know_its_survey_bound_which_counts_from_the_command() -> None:
    with pytest.raises(ValidationError) as raised:
        valid_daytime().earliest(Step.SITE_SURVEY)
    assert (raised.value.field, raised.value.rule) == ("step", "SUB-10")
    # a survey "too early" for some day is no error of the value: the command decides
    survey = daytime(date(2025, 5, 12), date(2025, 5, 9), date(2025, 5, 14))
    assert valid_daytime(site_survey=survey).site_survey == survey


def test_sub_10_the_line_work_bound_counts_from_the_latest_survey_preference() -> None:
    survey = daytime(date(2025, 5, 12), date(2025, 5, 13), date(2025, 5, 20))
    with pytest.raises(ScheduleError) as raised:
        valid_daytime(site_survey=survey)
    assert {(v.step, v.preference) for v in raised.value.violations} == {
        (Step.LINE_WORK, 1),
        (Step.LINE_WORK, 2),
        (Step.LINE_WORK, 3),
    }
    assert raised.value.violations[0].earliest == date(2025, 6, 29)


def test_sub_10_without_a_converter_the_router_counts_from_line_work() -> None:
    schedule = valid_daytime(
        converter=None, router=daytime(date(2025, 6, 30), date(2025, 7, 1), date(2025, 7, 2))
    )
    assert schedule.steps == (Step.SITE_SURVEY, Step.LINE_WORK, Step.ROUTER)
    assert schedule.earliest(Step.ROUTER) == date(2025, 6, 28)


def test_sub_10_weekday_daytime_needs_business_days() -> None:
    survey = daytime(date(2025, 5, 12), date(2025, 5, 17), date(2025, 5, 14))  # 5/17 is a Sat
    with pytest.raises(ScheduleError) as raised:
        valid_daytime(site_survey=survey)
    (violation,) = [v for v in raised.value.violations if v.step is Step.SITE_SURVEY]
    assert violation.preference == 2
    assert violation.earliest == date(2025, 5, 19)
    assert "not a business day" in violation.reason


def test_sub_10_weekday_daytime_needs_an_am_or_pm_slot() -> None:
    survey = (
        Preference(day=date(2025, 5, 12), slot=Slot.PM),
        Preference(day=date(2025, 5, 13)),
        Preference(day=date(2025, 5, 14), slot=Slot.AM),
    )
    with pytest.raises(ScheduleError, match="needs an AM or PM slot"):
        valid_daytime(site_survey=survey)


def test_sub_10_after_hours_work_needs_a_time_and_is_flagged() -> None:
    schedule = ConstructionSchedule(
        weekday_daytime=False,
        site_survey=evening(date(2025, 5, 17), date(2025, 5, 18), date(2025, 5, 24)),
        line_work=evening(date(2025, 7, 3), date(2025, 7, 4), date(2025, 7, 5)),
        router=evening(date(2025, 7, 8), date(2025, 7, 9), date(2025, 7, 10)),
    )
    assert schedule.after_hours_steps == (Step.SITE_SURVEY, Step.LINE_WORK, Step.ROUTER)
    with pytest.raises(ScheduleError, match="needs a start time"):
        attrs.evolve(
            schedule, router=daytime(date(2025, 7, 8), date(2025, 7, 9), date(2025, 7, 10))
        )


@pytest.mark.parametrize("count", [0, 2, 4])
def test_sub_10_every_step_needs_exactly_three_preferences(count: int) -> None:
    days = [date(2025, 5, 12) + timedelta(days=i) for i in range(count)]
    with pytest.raises(ValidationError, match="exactly 3 preferred dates") as raised:
        valid_daytime(site_survey=daytime(*days))
    assert raised.value.field == "site_survey"


def test_sub_10_bad_flags_are_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        valid_daytime(weekday_daytime="yes")
    assert raised.value.field == "weekday_daytime"


# -- Hypothesis: valid schedules are accepted; one day before any bound is refused -------------


@st.composite
def valid_schedules(draw: st.DrawFn) -> ConstructionSchedule:
    today = draw(st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)))
    weekday = draw(st.booleans())
    with_converter = draw(st.booleans())

    def step(bound: date) -> tuple[Preference, ...]:
        gaps = draw(st.lists(st.integers(min_value=0, max_value=10), min_size=3, max_size=3))
        days = [bound + timedelta(days=g) for g in gaps]
        if weekday:
            days = [JAPAN.on_or_after(d) for d in days]
            return tuple(Preference(day=d, slot=draw(st.sampled_from(list(Slot)))) for d in days)
        return tuple(Preference(day=d, starts_at=time(20, 0)) for d in days)

    survey = step(today + timedelta(days=40))
    line = step(max(p.day for p in survey) + timedelta(days=40))
    converter = step(max(p.day for p in line) + timedelta(days=3)) if with_converter else None
    base = converter if converter is not None else line
    router = step(max(p.day for p in base) + timedelta(days=3))
    return ConstructionSchedule(
        weekday_daytime=weekday,
        site_survey=survey,
        line_work=line,
        converter=converter,
        router=router,
    )


FIELDS = {
    Step.SITE_SURVEY: "site_survey",
    Step.LINE_WORK: "line_work",
    Step.CONVERTER: "converter",
    Step.ROUTER: "router",
}


@given(valid_schedules(), st.data())
def test_sub_10_a_valid_schedule_is_accepted_and_one_day_before_a_bound_is_refused(
    schedule: ConstructionSchedule, data: st.DataObject
) -> None:
    step = data.draw(st.sampled_from(schedule.steps[1:]))  # the survey's bound: the command's
    number = data.draw(st.integers(min_value=1, max_value=3))
    early = schedule.earliest(step) - timedelta(days=1)
    preferences = list(schedule.preferences(step))
    preferences[number - 1] = attrs.evolve(preferences[number - 1], day=early)
    with pytest.raises(ScheduleError) as raised:
        attrs.evolve(schedule, **{FIELDS[step]: tuple(preferences)})  # type: ignore[arg-type]
    assert any(
        v.step is step and v.preference == number and v.reason == "is too early"
        for v in raised.value.violations
    )
