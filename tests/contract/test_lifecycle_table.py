"""CON-1 and CON-2: the contract lifecycle table, written out as data."""

from __future__ import annotations

from omakase_core import LIFECYCLES, Actor, Transition
from omakase_core.contract import CONTRACT_LIFECYCLE, ContractStatus

S = ContractStatus

CON_1 = {
    # source, event, actor, target
    (S.ACTIVE, "request_termination", Actor.CONTRACTOR, S.TERMINATED),
    (S.TERMINATED, "reinstate", Actor.CONTRACTOR, S.ACTIVE),
    (S.TERMINATED, "end_service", Actor.SYSTEM, S.SERVICE_ENDED),
    (S.SERVICE_ENDED, "purge", Actor.SYSTEM, S.PURGED),
}


def test_con_1_the_contract_table_is_exactly_the_rulebooks() -> None:
    expected = {
        Transition(source=source, target=target, event=event, actor=actor)
        for source, event, actor, target in CON_1
    }
    assert CONTRACT_LIFECYCLE.transitions == expected
    assert LIFECYCLES["contract"] is CONTRACT_LIFECYCLE


def test_con_1_starts_active_and_ends_purged() -> None:
    assert CONTRACT_LIFECYCLE.initial is S.ACTIVE
    assert CONTRACT_LIFECYCLE.final == {S.PURGED}
    assert CONTRACT_LIFECYCLE.statuses == (S.ACTIVE, S.TERMINATED, S.SERVICE_ENDED, S.PURGED)


def test_con_1_the_japanese_labels_are_the_portals() -> None:
    assert [s.label for s in S] == ["契約中", "契約終了", "利用終了", "登録抹消"]


def test_con_2_only_the_contractor_may_terminate_or_reinstate() -> None:
    for actor in (Actor.CUSTOMER, Actor.OPERATOR, Actor.SYSTEM):
        assert CONTRACT_LIFECYCLE.events_from(S.ACTIVE, actor=actor) == frozenset()
        assert "reinstate" not in CONTRACT_LIFECYCLE.events_from(S.TERMINATED, actor=actor)
    assert CONTRACT_LIFECYCLE.events_from(S.TERMINATED, actor=Actor.CONTRACTOR) == {"reinstate"}


def test_con_5_only_the_system_ends_the_service_and_purges() -> None:
    assert CONTRACT_LIFECYCLE.events_from(S.TERMINATED, actor=Actor.SYSTEM) == {"end_service"}
    assert CONTRACT_LIFECYCLE.events_from(S.SERVICE_ENDED) == {"purge"}
