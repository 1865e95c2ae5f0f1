"""CON-1 … CON-5, CON-9, PORT-7: a contract's status holds only with the history it implies.

契約中 has no open termination; 契約終了, 利用終了 and 登録抹消 have their termination last in
history, and the contract last changed within that status's window of the termination's
instants (CON-3, CON-5); a change is pending only while 契約中 (CON-9). The check is
symmetric: ``attrs.evolve`` of a 契約終了 contract to 契約中 is refused as much as the
reverse, and so is stored data that says so.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omakase_core import Actor, DecodeError, OmakaseError, ValidationError
from omakase_core.codec import decode, encode
from omakase_core.contract import (
    AdminAccount,
    Contract,
    ContractorChange,
    ContractStatus,
    TerminationCycle,
)
from tests.contract.conftest import HEIR, OWNER, T0


def _terminated() -> Contract:
    contract = Contract.open(id="c-1", contractor=OWNER, opened_at=T0)
    return contract.request_termination(actor=Actor.CONTRACTOR, at=T0).saved()


def test_con_4_a_terminated_contract_evolved_to_active_is_refused_naming_the_status() -> None:
    terminated = _terminated()
    with pytest.raises(ValidationError) as raised:
        attrs.evolve(terminated, status=ContractStatus.ACTIVE)
    assert raised.value.field == "status"
    assert "契約中" in str(raised.value)


def test_con_3_an_active_contract_evolved_to_terminated_is_still_refused() -> None:
    active = Contract.open(id="c-1", contractor=OWNER, opened_at=T0)
    with pytest.raises(ValidationError) as raised:
        attrs.evolve(active, status=ContractStatus.TERMINATED)
    assert raised.value.field == "history"


def test_con_5_a_status_outside_its_window_of_the_termination_is_refused() -> None:
    terminated = _terminated()
    timeline = terminated.history[-1].timeline
    for status in (ContractStatus.SERVICE_ENDED, ContractStatus.PURGED):
        with pytest.raises(ValidationError) as early:
            attrs.evolve(terminated, status=status)
        assert early.value.field == "status"
    ended = terminated.apply_due(timeline.service_ends_at).saved()
    assert ended.status is ContractStatus.SERVICE_ENDED
    with pytest.raises(ValidationError) as back:
        attrs.evolve(ended, status=ContractStatus.TERMINATED)
    assert back.value.field == "status"
    purged = ended.apply_due(timeline.purge_at).saved()
    with pytest.raises(ValidationError) as unpurged:
        attrs.evolve(purged, status=ContractStatus.SERVICE_ENDED)
    assert unpurged.value.field == "status"


def test_con_4_only_the_last_termination_in_history_may_be_open() -> None:
    terminated = _terminated()
    cycle = terminated.history[-1]
    reinstated = terminated.reinstate(actor=Actor.CONTRACTOR, at=T0 + timedelta(hours=1)).saved()
    with pytest.raises(ValidationError) as raised:
        attrs.evolve(reinstated, history=(cycle, *reinstated.history))
    assert raised.value.field == "history"


def test_con_9_a_change_is_pending_only_while_active() -> None:
    pending = ContractorChange(new=HEIR, requested_at=T0)
    with pytest.raises(ValidationError) as raised:
        attrs.evolve(_terminated(), pending_change=pending)
    assert raised.value.field == "status"
    assert "pending" in str(raised.value)


def test_port_7_stored_data_whose_status_contradicts_its_history_is_a_decode_error() -> None:
    envelope = json.loads(encode(_terminated()))
    envelope["data"]["status"] = "active"
    with pytest.raises(DecodeError) as raised:
        decode(json.dumps(envelope), expected=Contract)
    assert raised.value.type_name == "contract.Contract"
    assert raised.value.field == "status"


# -- properties: what the commands build always holds; a mutated status never does ---------

COMMANDS = st.sampled_from(
    ["terminate", "reinstate", "change", "cancel", "complete", "due"],
)
STEPS = st.lists(
    st.tuples(COMMANDS, st.integers(0, 60 * 24 * 3) | st.integers(0, 60 * 24 * 50)), max_size=25
)


def _apply(contract: Contract, command: str, at: datetime) -> Contract:
    match command:
        case "terminate":
            return contract.request_termination(actor=Actor.CONTRACTOR, at=at)
        case "reinstate":
            return contract.reinstate(actor=Actor.CONTRACTOR, at=at)
        case "change":
            return contract.request_contractor_change(actor=Actor.CONTRACTOR, new=HEIR, at=at)
        case "cancel":
            return contract.cancel_contractor_change(actor=Actor.CONTRACTOR, at=at)
        case "complete":
            new = contract.pending_change.new.email if contract.pending_change else "x@example.jp"
            return contract.complete_contractor_change(
                actor=Actor.CONTRACTOR, login_email=new, at=at, admin_account=AdminAccount.KEPT
            )
        case _:
            return contract.apply_due(at)


def _build(steps: list[tuple[str, int]]) -> list[Contract]:
    """Return every contract the accepted commands of ``steps`` build (refusals skipped)."""
    contract = Contract.open(id="c-1", contractor=OWNER, opened_at=T0)
    built = [contract]
    at = T0
    for command, minutes in steps:
        at += timedelta(minutes=minutes)
        try:
            contract = _apply(contract, command, at).saved()
        except OmakaseError:
            continue
        built.append(contract)
    return built


@settings(max_examples=200)
@given(STEPS)
def test_con_1_every_contract_the_commands_build_is_consistent_and_round_trips(
    steps: list[tuple[str, int]],
) -> None:
    for contract in _build(steps):
        assert attrs.evolve(contract) == contract  # the check passes on what commands build
        assert decode(encode(contract), expected=Contract) == contract


@settings(max_examples=200)
@given(STEPS, st.sampled_from(list(ContractStatus)))
def test_con_1_a_built_contract_with_another_status_is_refused(
    steps: list[tuple[str, int]], status: ContractStatus
) -> None:
    for contract in _build(steps):
        if status is contract.status:
            assert attrs.evolve(contract, status=status) == contract
            continue
        with pytest.raises(ValidationError) as raised:
            attrs.evolve(contract, status=status)
        assert raised.value.field in {"status", "history"}
        envelope = json.loads(encode(contract))
        envelope["data"]["status"] = status.value
        with pytest.raises(DecodeError):
            decode(json.dumps(envelope), expected=Contract)


@settings(max_examples=100)
@given(STEPS)
def test_con_4_a_built_contract_whose_last_termination_is_flipped_is_refused(
    steps: list[tuple[str, int]],
) -> None:
    for contract in _build(steps):
        if not contract.history:
            continue
        last = contract.history[-1]
        flipped = attrs.evolve(
            last, reinstated_at=None if last.reinstated_at else last.timeline.requested_at
        )
        assert isinstance(flipped, TerminationCycle)
        with pytest.raises(ValidationError):
            attrs.evolve(contract, history=(*contract.history[:-1], flipped))
