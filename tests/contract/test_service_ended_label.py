"""CON-1 (amended): the status after the 14 days is labelled 利用終了, never 利用停止.

The seeds call the termination *request* 利用停止手続き and its mail 利用停止受理通知, so the
state reached when the reinstatement period runs out carries another word. Its English id,
``service_ended``, is unchanged: look-ups by id and contracts stored by 0.1 still read.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from omakase_core import InvalidTransition, ValidationError
from omakase_core.codec import decode, encode
from omakase_core.contract import CONTRACT_LIFECYCLE, Contract, ContractStatus
from omakase_core.contract.notices import SUBJECT_TERMINATION_ACCEPTED
from tests.contract.conftest import CONTRACTOR, OWNER, STAFF, SYSTEM, T0, World

STORED_BY_0_1 = (
    '{"type": "contract.Contract", "schema": 1, "data": {"id": "c-1", "contractor": '
    '{"name": "山田 太郎", "email": "taro@example.co.jp"}, "status": "service_ended", '
    '"version": 2, "updated_at": "2026-11-16T00:00:00+09:00", "history": [{"timeline": '
    '{"requested_at": "2026-11-01T10:00:00+09:00", "reinstatable_until": '
    '"2026-11-16T00:00:00+09:00", "service_ends_at": "2026-11-16T00:00:00+09:00", '
    '"purge_at": "2026-12-17T00:00:00+09:00"}, "reinstated_at": null}], '
    '"pending_change": null, "completed_change": null}}'
)
"""A contract whose service ended, as release 0.1 stored it."""


def _ended(world: World) -> None:
    world.service.request_termination("c-1", by=CONTRACTOR)
    world.service.apply_due(T0 + timedelta(days=15), by=SYSTEM)
    world.clock.set(T0 + timedelta(days=16))


def test_con_1_the_state_after_the_14_days_is_labelled_riyou_shuuryou() -> None:
    assert ContractStatus.SERVICE_ENDED.label == "利用終了"
    assert str(ContractStatus.SERVICE_ENDED) == "利用終了"


def test_con_1_riyou_teishi_names_no_state_only_the_request_and_its_mail() -> None:
    assert "利用停止" not in {status.label for status in ContractStatus}
    assert SUBJECT_TERMINATION_ACCEPTED == "【おまかせログイン】サービス利用停止受理通知"


def test_con_1_a_contract_whose_14_days_ran_out_shows_riyou_shuuryou(world: World) -> None:
    _ended(world)
    contract = world.service.get("c-1", by=STAFF)
    assert contract.status is ContractStatus.SERVICE_ENDED
    assert contract.status.label == "利用終了"


def test_con_1_the_english_id_service_ended_still_looks_the_state_up() -> None:
    assert ContractStatus("service_ended") is ContractStatus.SERVICE_ENDED
    assert ContractStatus("service_ended").label == "利用終了"
    for label in ("利用終了", "利用停止"):  # a label is no key, the old one no more than the new
        with pytest.raises(ValidationError) as refused:
            ContractStatus(label)
        assert refused.value.field == "value"


def test_con_1_a_contract_stored_at_service_ended_by_0_1_reads_as_riyou_shuuryou() -> None:
    contract = decode(STORED_BY_0_1, expected=Contract)
    assert contract.status is ContractStatus.SERVICE_ENDED
    assert contract.status.label == "利用終了"
    assert contract.contractor == OWNER
    assert encode(contract) == STORED_BY_0_1  # the id it stores is unchanged: no new schema


def test_con_1_the_generated_diagram_draws_riyou_shuuryou() -> None:
    chart = CONTRACT_LIFECYCLE.mermaid()
    assert '    state "利用終了" as SERVICE_ENDED' in chart.splitlines()
    assert "利用停止" not in chart


def test_con_1_a_command_refused_after_the_service_ended_names_riyou_shuuryou(
    world: World,
) -> None:
    _ended(world)
    with pytest.raises(InvalidTransition) as terminate:
        world.service.request_termination("c-1", by=CONTRACTOR)
    assert "SERVICE_ENDED (利用終了)" in str(terminate.value)
    with pytest.raises(InvalidTransition) as change:
        world.service.request_contractor_change(
            "c-1", by=CONTRACTOR, name="佐藤 花子", email="hanako@example.co.jp"
        )
    assert str(change.value).endswith("the contract is 利用終了")
    assert "利用停止" not in str(terminate.value) + str(change.value)
