"""CON-2 … CON-5: termination, reinstatement and the time-driven sweep."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omakase_core import (
    Actor,
    DeadlinePassed,
    InvalidTransition,
    NaiveDatetimeError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from omakase_core.calendar import JST, period_end
from omakase_core.contract import (
    Contract,
    ContractReinstated,
    ContractService,
    ContractStatus,
    RegistrationPurged,
    ServiceEnded,
    TerminationRequested,
    due_transitions,
    termination_timeline,
)
from tests.contract.conftest import CONTRACTOR, OWNER, PORTAL_USER, STAFF, SYSTEM, T0, World
from tests.strategies import PERIOD_START_DAYS, instants

if TYPE_CHECKING:
    from omakase_core.principal import Principal

S = ContractStatus


# -- CON-3: the timeline ---------------------------------------------------------------------


def test_con_3_a_request_at_10_00_is_reinstatable_until_the_end_of_day_14() -> None:
    timeline = termination_timeline(T0)
    assert timeline.requested_at == T0
    assert timeline.reinstatable_until == datetime(2026, 11, 16, tzinfo=JST)
    assert timeline.service_ends_at == timeline.reinstatable_until
    assert timeline.purge_at == datetime(2026, 12, 17, tzinfo=JST)


def test_con_3_a_request_from_utc_is_counted_in_jst() -> None:
    late_utc = datetime(2026, 11, 1, 16, 0, tzinfo=UTC)  # 11-02 01:00 JST
    assert termination_timeline(late_utc).service_ends_at == datetime(2026, 11, 17, tzinfo=JST)


def test_con_3_a_naive_request_instant_is_refused() -> None:
    with pytest.raises(NaiveDatetimeError):
        termination_timeline(datetime(2026, 11, 1, 10, 0))  # noqa: DTZ001  # the point


@given(instants(PERIOD_START_DAYS))
def test_con_3_the_timeline_is_the_14_and_45_day_periods_of_cal_4(requested: datetime) -> None:
    timeline = termination_timeline(requested)
    assert timeline.reinstatable_until == timeline.service_ends_at
    assert timeline.service_ends_at == period_end(requested, days=14)
    assert timeline.purge_at == period_end(requested, days=45)
    assert timeline.purge_at - timeline.service_ends_at == timedelta(days=31)
    assert requested < timeline.service_ends_at < timeline.purge_at


def test_con_3_the_timeline_is_known_at_request_time(world: World) -> None:
    contract = world.service.request_termination("c-1", by=CONTRACTOR)
    assert contract.status is S.TERMINATED
    assert contract.termination == termination_timeline(T0)
    (record,) = world.outbox.pending()
    assert isinstance(record.event, TerminationRequested)
    assert record.event.timeline == termination_timeline(T0)


# -- CON-2: who ---------------------------------------------------------------------------------


NOT_THE_CONTRACTOR = [
    pytest.param(PORTAL_USER, id="a user of the contract's portal"),
    pytest.param(STAFF, id="an operator"),
    pytest.param(SYSTEM, id="the system"),
]


@pytest.mark.parametrize("by", NOT_THE_CONTRACTOR)
def test_con_2_nobody_but_the_contractor_may_terminate(world: World, by: Principal) -> None:
    before = world.snapshot()
    with pytest.raises(PermissionDenied) as raised:
        world.service.request_termination("c-1", by=by)
    assert raised.value.actor == by.actor.value
    assert raised.value.event == "request_termination"
    assert world.snapshot() == before


@pytest.mark.parametrize("by", NOT_THE_CONTRACTOR)
def test_con_2_nobody_but_the_contractor_may_reinstate(world: World, by: Principal) -> None:
    world.service.request_termination("c-1", by=CONTRACTOR)
    before = world.snapshot()
    with pytest.raises(PermissionDenied) as raised:
        world.service.reinstate("c-1", by=by)
    assert raised.value.rule == "CON-2"
    assert world.snapshot() == before


# -- CON-4: reinstatement ---------------------------------------------------------------------


def test_con_4_reinstatement_on_day_10_returns_the_contract_to_active(world: World) -> None:
    world.service.request_termination("c-1", by=CONTRACTOR)
    world.clock.advance(days=10)
    contract = world.service.reinstate("c-1", by=CONTRACTOR)
    assert contract.status is S.ACTIVE
    assert contract.termination is None
    assert contract.next_due_at is None
    assert isinstance(world.outbox.pending()[-1].event, ContractReinstated)
    assert world.contracts.due(T0 + timedelta(days=100)) == []


def test_con_4_reinstatement_one_microsecond_before_the_deadline_is_accepted(world: World) -> None:
    world.service.request_termination("c-1", by=CONTRACTOR)
    world.clock.set(datetime(2026, 11, 15, 23, 59, 59, 999999, tzinfo=JST))
    assert world.service.reinstate("c-1", by=CONTRACTOR).status is S.ACTIVE


def test_con_4_reinstatement_at_the_deadline_is_refused_naming_it(world: World) -> None:
    world.service.request_termination("c-1", by=CONTRACTOR)
    world.clock.set(datetime(2026, 11, 16, 0, 0, tzinfo=JST))
    before = world.snapshot()
    with pytest.raises(DeadlinePassed) as raised:
        world.service.reinstate("c-1", by=CONTRACTOR)
    assert raised.value.deadline == datetime(2026, 11, 16, tzinfo=JST)
    assert raised.value.rule == "CON-4"
    assert "2026年11月15日(日) 24:00" in str(raised.value)
    assert world.snapshot() == before


def test_con_4_reinstatement_after_the_sweep_still_names_the_deadline(world: World) -> None:
    world.service.request_termination("c-1", by=CONTRACTOR)
    world.service.apply_due(world.clock.advance(days=20), by=SYSTEM)
    with pytest.raises(DeadlinePassed):
        world.service.reinstate("c-1", by=CONTRACTOR)


def test_con_4_reinstating_an_active_contract_is_an_invalid_transition(world: World) -> None:
    before = world.snapshot()
    with pytest.raises(InvalidTransition) as raised:
        world.service.reinstate("c-1", by=CONTRACTOR)
    assert raised.value.state == "ACTIVE"
    assert world.snapshot() == before


def test_con_4_every_cycle_is_kept_in_the_history(world: World) -> None:
    for day in (0, 3, 6):
        world.clock.set(T0 + timedelta(days=day))
        world.service.request_termination("c-1", by=CONTRACTOR)
        world.clock.advance(hours=1)
        world.service.reinstate("c-1", by=CONTRACTOR)
    world.clock.set(T0 + timedelta(days=9))
    contract = world.service.request_termination("c-1", by=CONTRACTOR)
    assert len(contract.history) == 4
    assert [c.reinstated_at is not None for c in contract.history] == [True, True, True, False]
    assert contract.history[0].reinstated_at == T0 + timedelta(hours=1)
    assert contract.termination == contract.history[-1].timeline
    assert contract.version == 7


def test_con_4_terminating_twice_is_an_invalid_transition(world: World) -> None:
    world.service.request_termination("c-1", by=CONTRACTOR)
    before = world.snapshot()
    with pytest.raises(InvalidTransition):
        world.service.request_termination("c-1", by=CONTRACTOR)
    assert world.snapshot() == before


# -- CON-5: time-driven transitions -------------------------------------------------------------


def test_con_5_nothing_is_due_before_the_14_days_end(world: World) -> None:
    world.service.request_termination("c-1", by=CONTRACTOR)
    report = world.service.apply_due(datetime(2026, 11, 15, 23, 59, tzinfo=JST), by=SYSTEM)
    assert report.changed == ()
    assert world.contracts.get("c-1").status is S.TERMINATED


def test_con_5_the_sweep_on_day_15_ends_the_service(world: World) -> None:
    world.service.request_termination("c-1", by=CONTRACTOR)
    report = world.service.apply_due(T0 + timedelta(days=15), by=SYSTEM)
    assert report.changed == ("c-1",)
    contract = world.contracts.get("c-1")
    assert contract.status is S.SERVICE_ENDED
    event = world.outbox.pending()[-1].event
    assert isinstance(event, ServiceEnded)
    assert event.occurred_at == datetime(2026, 11, 16, tzinfo=JST)


def test_con_5_the_sweep_on_day_46_purges(world: World) -> None:
    world.service.request_termination("c-1", by=CONTRACTOR)
    world.service.apply_due(T0 + timedelta(days=15), by=SYSTEM)
    world.service.apply_due(T0 + timedelta(days=46), by=SYSTEM)
    contract = world.contracts.get("c-1")
    assert contract.status is S.PURGED
    assert contract.next_due_at is None
    assert isinstance(world.outbox.pending()[-1].event, RegistrationPurged)


def test_con_5_a_late_sweep_applies_both_transitions_in_order(world: World) -> None:
    world.service.request_termination("c-1", by=CONTRACTOR)
    report = world.service.apply_due(T0 + timedelta(days=100), by=SYSTEM)
    assert report.events == 2
    events = [r.event for r in world.outbox.pending()]
    assert [type(e) for e in events] == [TerminationRequested, ServiceEnded, RegistrationPurged]
    assert [e.version for e in events] == [1, 2, 3]


def test_con_5_applying_twice_changes_nothing_and_emits_nothing_twice(world: World) -> None:
    world.service.request_termination("c-1", by=CONTRACTOR)
    now = T0 + timedelta(days=20)
    world.service.apply_due(now, by=SYSTEM)
    before = world.snapshot()
    report = world.service.apply_due(now, by=SYSTEM)
    assert report.changed == ()
    assert report.events == 0
    assert world.snapshot() == before


def test_con_5_due_transitions_is_empty_for_an_active_contract() -> None:
    contract = Contract.open(id="c-9", contractor=OWNER, opened_at=T0)
    assert due_transitions(contract, T0 + timedelta(days=1000)) == ()


@given(st.integers(min_value=0, max_value=60 * 24 * 60))
def test_con_5_the_status_after_a_sweep_follows_the_timeline(minutes: int) -> None:
    contract = Contract.open(id="c-1", contractor=OWNER, opened_at=T0)
    terminated = contract.request_termination(actor=Actor.CONTRACTOR, at=T0)
    now = T0 + timedelta(minutes=minutes)
    swept = terminated.apply_due(now)
    timeline = terminated.termination
    assert timeline is not None
    if now < timeline.service_ends_at:
        assert swept.status is S.TERMINATED
    elif now < timeline.purge_at:
        assert swept.status is S.SERVICE_ENDED
    else:
        assert swept.status is S.PURGED
    assert swept.apply_due(now) is swept


# -- bad input ------------------------------------------------------------------------------------


def test_an_unknown_contract_is_not_found(world: World) -> None:
    with pytest.raises(NotFound) as raised:
        world.service.request_termination("c-404", by=CONTRACTOR)
    assert raised.value.id == "c-404"
    assert isinstance(raised.value, LookupError)


def test_a_command_earlier_than_the_last_change_is_refused(world: World) -> None:
    world.service.request_termination("c-1", by=CONTRACTOR)
    world.clock.set(T0 - timedelta(seconds=1))
    before = world.snapshot()
    with pytest.raises(ValidationError) as raised:
        world.service.reinstate("c-1", by=CONTRACTOR)
    assert raised.value.field == "at"
    assert world.snapshot() == before


def test_a_naive_instant_is_refused_by_the_aggregate() -> None:
    contract = Contract.open(id="c-1", contractor=OWNER, opened_at=T0)
    with pytest.raises(NaiveDatetimeError):
        contract.request_termination(
            actor=Actor.CONTRACTOR,
            at=datetime(2026, 11, 1, 11, 0),  # noqa: DTZ001  # the point of the test
        )


def test_an_empty_contract_id_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        Contract.open(id="  ", contractor=OWNER, opened_at=T0)
    assert raised.value.field == "id"


class NaiveClock:
    """A broken clock port that returns naive datetimes."""

    def now(self) -> datetime:
        return datetime(2026, 11, 2, 10, 0)  # noqa: DTZ001  # the point of the test


def test_con_2_a_naive_clock_is_refused_and_nothing_changes(world: World) -> None:
    broken = ContractService(
        contracts=world.contracts, clock=NaiveClock(), directory=world.directory
    )
    before = world.snapshot()
    with pytest.raises(NaiveDatetimeError):
        broken.request_termination("c-1", by=CONTRACTOR)
    with pytest.raises(NaiveDatetimeError):
        broken.apply_due(NaiveClock().now(), by=SYSTEM)
    assert world.snapshot() == before
