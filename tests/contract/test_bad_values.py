"""SEC-2 in the contract's values, chart, service ports and in-memory directory.

The generated bad-input test (``tests/test_bad_input.py``) feeds every parameter; these
tests pin the refusals this domain added for it, each naming the public parameter.
"""

from __future__ import annotations

from typing import Any

import pytest

from omakase_core import Actor, ValidationError
from omakase_core.contract import (
    AdminAccount,
    CompletedChange,
    Contract,
    ContractChart,
    ContractorChangeCompleted,
    ContractService,
    ContractStatus,
    DirectoryRole,
    DueTransition,
    SweepReport,
    TerminationCycle,
    due_transitions,
)
from omakase_core.testing import FixedClock, InMemoryContractRepository, InMemoryOutbox
from tests.contract.conftest import CONTRACTOR, HEIR, OWNER, T0, World


@pytest.mark.parametrize("kind", [DirectoryRole, AdminAccount])
@pytest.mark.parametrize(
    "value", ["nope", "USER", None, ["user"], pytest.param(10**5000, id="huge int")]
)
def test_sec_2_a_directory_role_or_account_decision_is_looked_up_by_value_only(
    kind: Any, value: object
) -> None:
    with pytest.raises(ValidationError) as raised:
        kind(value)
    assert raised.value.field == "value"
    assert len(str(raised.value)) < 200


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"status": "terminated"}, "status"),
        ({"status": ContractStatus.TERMINATED}, "history"),  # 契約終了 needs its termination
        ({"version": True}, "version"),
        ({"version": -1}, "version"),
        ({"id": ""}, "id"),
        ({"history": None}, "history"),
        ({"pending_events": [None]}, "pending_events"),
        ({"completed_change": "raised"}, "completed_change"),
    ],
)
def test_sec_2_a_contract_built_directly_refuses_malformed_fields(
    changes: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        Contract(**{"id": "c-1", "contractor": OWNER, "updated_at": T0, **changes})  # type: ignore[arg-type]  # the point
    assert raised.value.field == field


def test_sec_2_values_and_events_refuse_plain_values_for_members_and_contractors() -> None:
    with pytest.raises(ValidationError) as account:
        CompletedChange(version=2, admin_account="raised")  # type: ignore[arg-type]  # the point
    assert account.value.field == "admin_account"
    with pytest.raises(ValidationError) as version:
        CompletedChange(version=0, admin_account=AdminAccount.KEPT)
    assert version.value.field == "version"
    with pytest.raises(ValidationError) as timeline:
        TerminationCycle(timeline=None)  # type: ignore[arg-type]  # the point
    assert timeline.value.field == "timeline"
    with pytest.raises(ValidationError) as previous:
        ContractorChangeCompleted(
            aggregate_id="c-1",
            version=1,
            occurred_at=T0,
            contractor=HEIR,
            previous=OWNER.email,  # type: ignore[arg-type]  # the point
            admin_account=AdminAccount.KEPT,
        )
    assert previous.value.field == "previous"
    with pytest.raises(ValidationError) as other:
        OWNER.same_address(HEIR.email)  # type: ignore[arg-type]  # the point
    assert other.value.field == "other"


def test_sec_2_a_due_transition_is_one_of_con_5s_time_driven_rows(world: World) -> None:
    terminated = world.service.request_termination("c-1", by=CONTRACTOR)
    (due, _) = due_transitions(terminated, T0.replace(year=2027))
    assert DueTransition(transition=due.transition, due_at=due.due_at) == due
    with pytest.raises(ValidationError) as raised:
        DueTransition(transition="end_service", due_at=due.due_at)  # type: ignore[arg-type]  # the point
    assert raised.value.field == "transition"


def test_sec_2_the_service_refuses_an_object_that_is_not_its_port() -> None:
    contracts = InMemoryContractRepository(InMemoryOutbox())
    with pytest.raises(ValidationError) as raised:
        ContractService(contracts=contracts, clock=FixedClock(T0), directory=None)  # type: ignore[arg-type]  # the point
    assert raised.value.field == "directory"
    with pytest.raises(ValidationError) as outbox:
        InMemoryContractRepository(None)  # type: ignore[arg-type]  # the point
    assert outbox.value.field == "outbox"


def test_sec_2_a_sweep_report_holds_ids_and_a_count() -> None:
    with pytest.raises(ValidationError) as raised:
        SweepReport(changed=("c-1",), events=True, conflicts=())
    assert raised.value.field == "events"
    with pytest.raises(ValidationError) as ids:
        SweepReport(changed=[3], events=1, conflicts=())  # type: ignore[arg-type]  # the point
    assert ids.value.field == "changed"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"start_value": "active"}, "start_value"),
        ({"start_value": ContractStatus.ACTIVE.label}, "start_value"),
        ({"state_field": 3}, "state_field"),
        ({"model": 1}, "model"),
        ({"listeners": "x"}, "listeners"),
        ({"listeners": [None]}, "listeners"),
    ],
)
def test_sec_2_the_chart_refuses_what_it_cannot_run_on(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        ContractChart(**kwargs)
    assert raised.value.field == field


def test_the_chart_still_runs_on_a_model_from_a_given_status() -> None:
    class Model:
        state: object = None

    model = Model()
    chart = ContractChart(model=model, start_value=ContractStatus.TERMINATED, listeners=[object()])
    assert model.state is ContractStatus.TERMINATED
    chart.send("reinstate", actor=Actor.CONTRACTOR)
    assert chart.current_state_value is ContractStatus.ACTIVE


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda d: d.add_account("c-1", None, name="x", role=DirectoryRole.USER), "email"),
        (lambda d: d.add_account("c-1", HEIR.email, name="", role=DirectoryRole.USER), "name"),
        (lambda d: d.role_of(["c-1"], HEIR.email), "contract_id"),
        (lambda d: d.raise_to_administrator("c-1", 3), "email"),
        (lambda d: d.issue_administrator("c-1", HEIR.email), "contractor"),
        (lambda d: d.accounts(None), "contract_id"),
    ],
)
def test_sec_2_the_in_memory_directory_refuses_malformed_arguments(
    world: World, call: Any, field: str
) -> None:
    before = world.directory.accounts("c-1")
    with pytest.raises(ValidationError) as raised:
        call(world.directory)
    assert raised.value.field == field
    assert world.directory.accounts("c-1") == before
