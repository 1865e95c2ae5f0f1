"""IDC-2b … IDC-7 over random instants of 2026-2030, every service and target (Hypothesis)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import attrs
from hypothesis import given
from hypothesis import strategies as st

from omakase_core.calendar import JST
from omakase_core.id_change import Decision, Service, Target, Term, decide, month_windows
from tests.strategies import ZONES

INSTANTS = st.builds(
    lambda day, seconds, zone: (
        datetime.combine(day, datetime.min.time(), JST) + timedelta(seconds=seconds)
    ).astimezone(zone),
    st.dates(min_value=date(2026, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(min_value=0, max_value=86_399),
    ZONES,
)
SERVICES = st.sampled_from(list(Service))
TARGETS = st.sampled_from(list(Target))


@given(SERVICES, TARGETS, INSTANTS, st.integers(min_value=1, max_value=50))
def test_idc_2_the_change_never_applies_before_it_was_submitted(
    service: Service, target: Target, at: datetime, delta: int
) -> None:
    decision = decide(
        service, target=target, submitted_at=at, delta=delta, current_count=10, consented=True
    )
    if not decision.accepted:
        assert decision.applies_at is None
        assert decision.applies_by is None
        return
    applying = decision.applying_instant
    assert applying is not None
    assert applying >= at
    assert (decision.applies_at is None) != (decision.applies_by is None)
    if decision.withdrawable_until is not None:
        assert decision.withdrawable_until <= applying
    # IDC-8: an exact instant knows its processing end; a window learns it when reported.
    assert (decision.processing_done_expected_at is None) == (decision.applies_at is None)
    if decision.processing_done_expected_at is not None:
        assert decision.processing_done_expected_at > applying


@given(SERVICES, INSTANTS)
def test_idc_3_a_closed_current_month_always_leaves_next_month_open(
    service: Service, at: datetime
) -> None:
    current = decide(
        service,
        target=Target.CURRENT_MONTH,
        submitted_at=at,
        delta=1,
        current_count=10,
        consented=True,
    )
    if current.accepted or current.reason != "current_closed":
        return
    assert decide(
        service,
        target=Target.NEXT_MONTH,
        submitted_at=at,
        delta=1,
        current_count=10,
        consented=True,
    ).accepted


@given(SERVICES, TARGETS, INSTANTS)
def test_idc_2b_decide_agrees_with_the_month_view(
    service: Service, target: Target, at: datetime
) -> None:
    local = at.astimezone(JST)
    decision = decide(
        service, target=target, submitted_at=at, delta=1, current_count=10, consented=True
    )
    day = next(w for w in month_windows(service, local.year, local.month) if w.day == local.date())
    covering = [
        slot
        for slot in day.open_for(target)
        if slot.start <= local.time() and (slot.end is None or local.time() < slot.end)
    ]
    assert decision.accepted == bool(covering)
    if covering:
        assert covering[0].counts_as is decision.target


def test_idc_3_the_month_view_of_may_2026() -> None:
    days = {w.day: w for w in month_windows(Service.GOOGLE_WORKSPACE, 2026, 5)}
    assert len(days) == 31
    assert [s.target for s in days[date(2026, 5, 25)].slots] == [
        Target.CURRENT_MONTH,
        Target.NEXT_MONTH,
    ]
    assert days[date(2026, 5, 26)].open_for(Target.CURRENT_MONTH) == ()
    assert days[date(2026, 5, 31)].open_for(Target.CURRENT_MONTH) == ()
    (next_slot,) = days[date(2026, 5, 26)].open_for(Target.NEXT_MONTH)
    assert (next_slot.start.hour, next_slot.end) == (0, None)


def test_idc_4_the_month_view_shows_the_acceptance_hours() -> None:
    days = {w.day: w for w in month_windows(Service.M365_PLANS, 2026, 5)}
    (slot,) = days[date(2026, 5, 20)].open_for(Target.CURRENT_MONTH)
    assert (slot.start.isoformat(), slot.end.isoformat() if slot.end else None) == (
        "09:00:00",
        "23:30:00",
    )
    assert [(s.start.hour, s.end) for s in days[date(2026, 5, 29)].open_for(Target.NEXT_MONTH)] == [
        (0, None)
    ]


@given(
    service=SERVICES,
    target=TARGETS,
    at=INSTANTS,
    delta=st.integers(min_value=-50, max_value=50).filter(bool),
    term=st.sampled_from(list(Term)),
    count=st.none() | st.integers(min_value=0, max_value=100),
)
def test_sec_2_every_decision_decide_builds_is_one_its_checked_constructor_accepts(
    *, service: Service, target: Target, at: datetime, delta: int, term: Term, count: int | None
) -> None:
    """``decide`` skips the constructor's checks for speed; what it builds must pass them."""
    decision = decide(
        service,
        target=target,
        submitted_at=at,
        delta=delta,
        term=term,
        current_count=count,
        consented=True,
    )
    fields = attrs.asdict(decision, recurse=False)
    assert set(fields) == {field.name for field in attrs.fields(Decision)}
    assert Decision(**fields) == decision
