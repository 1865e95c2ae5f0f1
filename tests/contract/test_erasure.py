"""CON-10: at 登録抹消 the contract's personal data is erased, and a stopped purge is finished.

The port contract suite checks the same on every store, down to the stored bytes
(:class:`omakase_core.testing.StorageContract`); these tests are the rule's own.
"""

from __future__ import annotations

from datetime import timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from omakase_core import InvalidTransition, ValidationError
from omakase_core.contract import (
    ContractorChangeRequested,
    ContractStatus,
    DirectoryRole,
    RegistrationPurged,
    ServiceEnded,
    erase_personal_data,
)
from omakase_core.contract.model import ERASED_EMAIL, ERASED_NAME, Contractor
from omakase_core.events import Event
from omakase_core.lifecycle import Actor
from tests.contract.conftest import CONTRACTOR, HEIR, OWNER, SYSTEM, T0, World, make_world

PURGE_TIME = T0 + timedelta(days=60)


def _names_anyone(event: Event) -> bool:
    return any(
        isinstance(value, Contractor) and not value.is_erased
        for value in attrs.asdict(event, recurse=False).values()
    )


def test_con_10_the_purge_erases_the_contractor_from_the_contract_and_its_events(
    world: World,
) -> None:
    terminated = world.service.request_termination("c-1", by=CONTRACTOR)
    world.service.apply_due(PURGE_TIME, by=SYSTEM)
    purged = world.contracts.get("c-1")
    assert purged.status is ContractStatus.PURGED
    assert purged.contractor == Contractor.erased()
    assert (purged.contractor.name, purged.contractor.email) == (ERASED_NAME, ERASED_EMAIL)
    assert purged.history == terminated.history, "the timeline instants remain"
    records = world.outbox.records()
    assert [type(r.event) for r in records[1:]] == [ServiceEnded, RegistrationPurged]
    assert not any(_names_anyone(r.event) for r in records)
    assert [r.key for r in records] == ["contract:c-1:1", "contract:c-1:2", "contract:c-1:3"]


def test_con_10_a_contractor_change_cancelled_long_ago_is_erased_too(world: World) -> None:
    world.service.request_contractor_change("c-1", by=CONTRACTOR, name=HEIR.name, email=HEIR.email)
    world.service.cancel_contractor_change("c-1", by=CONTRACTOR)
    world.service.request_termination("c-1", by=CONTRACTOR)
    world.service.apply_due(PURGE_TIME, by=SYSTEM)
    texts = repr([r.event for r in world.outbox.records()]) + repr(world.contracts.get("c-1"))
    for secret in (OWNER.name, OWNER.email, HEIR.name, HEIR.email):
        assert secret not in texts


def test_con_10_the_purge_removes_the_contracts_accounts_and_no_other(world: World) -> None:
    world.directory.add_account("c-1", HEIR.email, name=HEIR.name, role=DirectoryRole.USER)
    world.directory.issue_administrator("c-1", OWNER)
    world.directory.issue_administrator("c-2", OWNER)
    world.service.request_termination("c-1", by=CONTRACTOR)
    world.service.apply_due(T0 + timedelta(days=20), by=SYSTEM)  # 利用終了: accounts stay
    assert len(world.directory.accounts("c-1")) == 2
    world.service.apply_due(PURGE_TIME, by=SYSTEM)
    assert world.directory.accounts("c-1") == {}
    assert world.directory.accounts("c-2") == {
        OWNER.email: (OWNER.name, DirectoryRole.ADMINISTRATOR)
    }


def test_con_10_the_purge_comes_exactly_at_the_end_of_the_45_day_period(world: World) -> None:
    contract = world.service.request_termination("c-1", by=CONTRACTOR)
    timeline = contract.termination
    assert timeline is not None
    world.service.apply_due(timeline.purge_at - timedelta(microseconds=1), by=SYSTEM)
    assert world.contracts.get("c-1").contractor == OWNER
    world.service.apply_due(timeline.purge_at, by=SYSTEM)
    assert world.contracts.get("c-1").contractor.is_erased


def test_con_10_a_second_sweep_changes_nothing(world: World) -> None:
    world.service.request_termination("c-1", by=CONTRACTOR)
    world.service.apply_due(PURGE_TIME, by=SYSTEM)
    before = world.snapshot()
    report = world.service.apply_due(PURGE_TIME + timedelta(days=1), by=SYSTEM)
    assert report.changed == ()
    assert world.snapshot() == before


def test_con_10_after_the_service_ended_no_directory_step_is_finished(world: World) -> None:
    """CON-8's retry stops at 利用終了: nothing may write the accounts the purge removes."""
    world.service.request_contractor_change("c-1", by=CONTRACTOR, name=HEIR.name, email=HEIR.email)
    world.service.record_first_login("c-1", by=CONTRACTOR, login_email=HEIR.email)
    world.directory.remove_accounts("c-1")  # as if the directory write had been lost
    world.service.request_termination("c-1", by=CONTRACTOR)
    world.service.apply_due(T0 + timedelta(days=20), by=SYSTEM)
    assert world.contracts.get("c-1").finishable_change is None
    world.service.finish_contractor_change("c-1", by=SYSTEM)
    world.clock.advance(days=21)
    with pytest.raises(InvalidTransition):
        world.service.record_first_login("c-1", by=CONTRACTOR, login_email=HEIR.email)
    assert world.directory.accounts("c-1") == {}


def test_con_10_erasing_an_event_keeps_its_type_key_and_instants() -> None:
    event = ContractorChangeRequested(
        aggregate_id="c-1", version=3, occurred_at=T0, contractor=OWNER, new=HEIR
    )
    erased = erase_personal_data(event)
    assert type(erased) is ContractorChangeRequested
    assert (erased.idempotency_key, erased.occurred_at) == (event.idempotency_key, T0)
    assert erased.contractor.is_erased
    assert erased.new.is_erased
    assert erase_personal_data(erased) is erased, "idempotent"


def test_con_10_an_event_of_another_aggregate_is_left_as_it_is() -> None:
    event = Event(aggregate_id="c-1", version=1, occurred_at=T0)
    assert erase_personal_data(event) is event


@pytest.mark.parametrize("value", [None, "contract:c-1:1", OWNER])
def test_con_10_erasing_refuses_anything_but_an_event(value: object) -> None:
    with pytest.raises(ValidationError) as raised:
        erase_personal_data(value)  # type: ignore[type-var]  # the refusal is the test
    assert raised.value.field == "event"


@given(days=st.integers(min_value=0, max_value=120))
def test_con_10_whenever_the_sweep_runs_the_contractor_is_kept_until_and_erased_from_the_purge(
    days: int,
) -> None:
    contract = make_world().contracts.get("c-1")
    terminated = contract.request_termination(actor=Actor.CONTRACTOR, at=T0)
    swept = terminated.apply_due(T0 + timedelta(days=days))
    purged = swept.status is ContractStatus.PURGED
    assert swept.contractor.is_erased is purged
    timeline = terminated.termination
    assert timeline is not None
    assert purged is (T0 + timedelta(days=days) >= timeline.purge_at)
    if purged:  # the unsaved termination event is erased with the rest
        assert not any(_names_anyone(e) for e in swept.pending_events)


def test_con_10_no_account_is_written_once_the_service_ended_by_the_clock_before_any_sweep(
    world: World,
) -> None:
    """A late sweep purges straight from 契約終了: a finish racing it must not write after it."""
    world.service.request_contractor_change("c-1", by=CONTRACTOR, name=HEIR.name, email=HEIR.email)
    world.service.record_first_login("c-1", by=CONTRACTOR, login_email=HEIR.email)
    world.directory.remove_accounts("c-1")  # as if the directory write had been lost
    world.service.request_termination("c-1", by=CONTRACTOR)
    world.clock.advance(days=60)  # no sweep yet: the stored contract is still 契約終了
    assert world.contracts.get("c-1").status is ContractStatus.TERMINATED
    world.service.finish_contractor_change("c-1", by=SYSTEM)
    world.service.record_first_login("c-1", by=CONTRACTOR, login_email=HEIR.email)
    assert world.directory.accounts("c-1") == {}


def test_con_10_a_contract_purged_without_erasure_falls_due_and_the_sweep_erases_it(
    world: World,
) -> None:
    """A contract 0.1 purged (its contractor kept) is erased by the next sweep (CON-10)."""
    world.directory.issue_administrator("c-1", OWNER)
    terminated = world.service.request_termination("c-1", by=CONTRACTOR)
    timeline = terminated.termination
    assert timeline is not None
    purged_by_0_1 = attrs.evolve(terminated.apply_due(PURGE_TIME).saved(), contractor=OWNER)
    with world.contracts._lock:  # stored as a release without CON-10 left it: nothing erased
        world.contracts._items["c-1"] = purged_by_0_1
        world.contracts._stored(purged_by_0_1)
    assert purged_by_0_1.next_due_at == timeline.purge_at
    report = world.service.apply_due(PURGE_TIME + timedelta(days=1), by=SYSTEM)
    assert report.changed == ("c-1",)
    erased = world.contracts.get("c-1")
    assert erased.contractor.is_erased
    assert erased.next_due_at is None
    assert world.outbox.records()[-1].event.name == "RegistrationErased"
    assert not any(_names_anyone(r.event) for r in world.outbox.records())
    assert world.directory.accounts("c-1") == {}
    assert world.service.apply_due(PURGE_TIME + timedelta(days=2), by=SYSTEM).changed == ()
