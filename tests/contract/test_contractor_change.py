"""CON-7 … CON-9: the contractor change and the administrator account after it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from omakase_core import InvalidTransition, PermissionDenied, ValidationError
from omakase_core.contract import (
    AdminAccount,
    Contractor,
    ContractorChangeCancelled,
    ContractorChangeCompleted,
    ContractorChangeRequested,
    ContractStatus,
    DirectoryRole,
    admin_account_for,
)
from tests.contract.conftest import CONTRACTOR, HEIR, OWNER, PORTAL_USER, STAFF, SYSTEM, World

if TYPE_CHECKING:
    from omakase_core.principal import Principal


def request(world: World, name: str = HEIR.name, email: str = HEIR.email) -> None:
    world.service.request_contractor_change("c-1", by=CONTRACTOR, name=name, email=email)


def test_con_7_a_request_leaves_the_change_pending_and_records_it(world: World) -> None:
    request(world)
    contract = world.contracts.get("c-1")
    assert contract.contractor == OWNER
    assert contract.pending_change is not None
    assert contract.pending_change.new == HEIR
    (record,) = world.outbox.pending()
    assert isinstance(record.event, ContractorChangeRequested)
    assert record.event.new == HEIR


@pytest.mark.parametrize(
    ("name", "email", "field"),
    [
        ("", HEIR.email, "name"),
        ("   ", HEIR.email, "name"),
        (HEIR.name, "", "email"),
        (HEIR.name, "hanako", "email"),
        (HEIR.name, "hanako@example", "email"),
        (HEIR.name, "hana ko@example.co.jp", "email"),
        (HEIR.name, "hanako@@example.co.jp", "email"),
    ],
)
def test_con_7_name_and_a_valid_email_are_required(
    world: World, name: str, email: str, field: str
) -> None:
    before = world.snapshot()
    with pytest.raises(ValidationError) as raised:
        request(world, name, email)
    assert raised.value.field == field
    assert raised.value.rule == "CON-7"
    assert world.snapshot() == before


def test_con_7_the_new_address_must_differ_from_the_current_one(world: World) -> None:
    before = world.snapshot()
    with pytest.raises(ValidationError, match="current contractor's address") as raised:
        request(world, "山田 次郎", OWNER.email.upper())
    assert raised.value.rule == "CON-7"
    assert world.snapshot() == before


@pytest.mark.parametrize("by", [PORTAL_USER, STAFF, SYSTEM])
def test_con_2_only_the_contractor_may_request_or_cancel_a_change(
    world: World, by: Principal
) -> None:
    before = world.snapshot()
    with pytest.raises(PermissionDenied):
        world.service.request_contractor_change("c-1", by=by, name=HEIR.name, email=HEIR.email)
    assert world.snapshot() == before
    request(world)
    pending = world.snapshot()
    with pytest.raises(PermissionDenied):
        world.service.cancel_contractor_change("c-1", by=by)
    assert world.snapshot() == pending


def test_con_7_the_new_contractors_first_login_completes_the_change(world: World) -> None:
    request(world)
    contract = world.service.record_first_login(
        "c-1", by=CONTRACTOR, login_email="Hanako@Example.co.jp"
    )
    assert contract.contractor == HEIR
    assert contract.pending_change is None
    event = world.outbox.pending()[-1].event
    assert isinstance(event, ContractorChangeCompleted)
    assert (event.previous, event.contractor) == (OWNER, HEIR)


def test_con_7_a_login_by_someone_else_does_not_complete_it(world: World) -> None:
    request(world)
    before = world.snapshot()
    with pytest.raises(PermissionDenied) as raised:
        world.service.record_first_login("c-1", by=CONTRACTOR, login_email=OWNER.email)
    assert raised.value.rule == "CON-7"
    assert world.snapshot() == before
    assert world.directory.accounts("c-1") == {}


def test_con_7_a_login_without_a_pending_change_is_refused(world: World) -> None:
    with pytest.raises(InvalidTransition, match="no contractor change is pending"):
        world.service.record_first_login("c-1", by=CONTRACTOR, login_email=HEIR.email)


# -- CON-8 -------------------------------------------------------------------------------------


def completed_event(world: World) -> ContractorChangeCompleted:
    event = world.outbox.pending()[-1].event
    assert isinstance(event, ContractorChangeCompleted)
    return event


def test_con_8_an_existing_administrator_keeps_the_account(world: World) -> None:
    world.directory.add_account("c-1", HEIR.email, name=HEIR.name, role=DirectoryRole.ADMINISTRATOR)
    request(world)
    world.service.record_first_login("c-1", by=CONTRACTOR, login_email=HEIR.email)
    assert completed_event(world).admin_account is AdminAccount.KEPT
    assert world.directory.accounts("c-1") == {HEIR.email: (HEIR.name, DirectoryRole.ADMINISTRATOR)}


def test_con_8_a_general_user_is_raised_to_administrator(world: World) -> None:
    world.directory.add_account("c-1", HEIR.email, name=HEIR.name, role=DirectoryRole.USER)
    request(world)
    world.service.record_first_login("c-1", by=CONTRACTOR, login_email=HEIR.email)
    assert completed_event(world).admin_account is AdminAccount.RAISED
    assert world.directory.role_of("c-1", HEIR.email) is DirectoryRole.ADMINISTRATOR
    assert len(world.directory.accounts("c-1")) == 1


def test_con_8_anyone_else_gets_a_new_administrator_account(world: World) -> None:
    request(world)
    world.service.record_first_login("c-1", by=CONTRACTOR, login_email=HEIR.email)
    assert completed_event(world).admin_account is AdminAccount.ISSUED
    assert world.directory.accounts("c-1") == {HEIR.email: (HEIR.name, DirectoryRole.ADMINISTRATOR)}


def test_con_8_the_decision_table() -> None:
    assert admin_account_for(DirectoryRole.ADMINISTRATOR) is AdminAccount.KEPT
    assert admin_account_for(DirectoryRole.USER) is AdminAccount.RAISED
    assert admin_account_for(None) is AdminAccount.ISSUED


# -- CON-9 ---------------------------------------------------------------------------------------


def test_con_9_only_one_change_can_be_pending(world: World) -> None:
    request(world)
    before = world.snapshot()
    with pytest.raises(InvalidTransition, match="already pending") as raised:
        request(world, "鈴木 一郎", "ichiro@example.co.jp")
    assert raised.value.rule == "CON-9"
    assert world.snapshot() == before


def test_con_9_termination_is_refused_while_a_change_is_pending(world: World) -> None:
    request(world)
    before = world.snapshot()
    with pytest.raises(InvalidTransition, match="pending") as raised:
        world.service.request_termination("c-1", by=CONTRACTOR)
    assert raised.value.rule == "CON-9"
    assert world.snapshot() == before


def test_con_9_the_contractor_may_cancel_a_pending_change(world: World) -> None:
    request(world)
    contract = world.service.cancel_contractor_change("c-1", by=CONTRACTOR)
    assert contract.pending_change is None
    assert isinstance(world.outbox.pending()[-1].event, ContractorChangeCancelled)
    assert world.service.request_termination("c-1", by=CONTRACTOR).status is (
        ContractStatus.TERMINATED
    )


def test_con_9_cancelling_without_a_pending_change_is_refused(world: World) -> None:
    before = world.snapshot()
    with pytest.raises(InvalidTransition, match="no contractor change is pending"):
        world.service.cancel_contractor_change("c-1", by=CONTRACTOR)
    assert world.snapshot() == before


def test_con_9_a_change_can_be_requested_only_while_active(world: World) -> None:
    world.service.request_termination("c-1", by=CONTRACTOR)
    before = world.snapshot()
    with pytest.raises(InvalidTransition, match="only while 契約中") as raised:
        request(world)
    assert raised.value.state == "TERMINATED"
    assert world.snapshot() == before


def test_con_7_the_contractor_value_refuses_anything_but_text() -> None:
    bad: Any = 42
    with pytest.raises(ValidationError) as raised:
        Contractor(name=bad, email=HEIR.email)
    assert raised.value.field == "name"
