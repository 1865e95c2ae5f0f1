"""SEC-1, SEC-2, SEC-3 in the contract service: who may act on which contract, with what.

- SEC-1: another contractor's contract, or another portal's, is ``NotFound`` with exactly the
  message of an absent one; a user of the contract's own portal may look it up but its
  commands are refused by CON-2; contracts are opened and swept by the back office only.
- SEC-2: a plain string, a label, ``None`` or a member of another enum where a principal,
  an actor, a role or an account decision is expected is a ``ValidationError`` naming it.
- SEC-3: a stale ``expected_version`` is a ``ConcurrencyConflict``; the right one works.

Every refusal changes nothing: the contract, the outbox and the user directory.
"""

from __future__ import annotations

import enum
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest

from omakase_core import (
    Actor,
    ConcurrencyConflict,
    NotFound,
    PermissionDenied,
    Principal,
    ValidationError,
)
from omakase_core.contract import (
    AdminAccount,
    Contract,
    Contractor,
    ContractService,
    ContractStatus,
    DirectoryRole,
    admin_account_for,
    due_transitions,
)
from omakase_core.testing import InMemoryContractRepository, InMemoryOutbox, InMemoryUserDirectory
from tests.contract.conftest import (
    CONTRACTOR,
    HEIR,
    OWNER,
    PORTAL_USER,
    RIVAL,
    STAFF,
    SYSTEM,
    T0,
    World,
    make_world,
)

if TYPE_CHECKING:
    from collections.abc import Callable


CALLS: dict[str, Callable[[ContractService, Any], object]] = {
    "get": lambda s, by: s.get("c-1", by=by),
    "request_termination": lambda s, by: s.request_termination("c-1", by=by),
    "reinstate": lambda s, by: s.reinstate("c-1", by=by),
    "request_contractor_change": lambda s, by: s.request_contractor_change(
        "c-1", by=by, name=HEIR.name, email=HEIR.email
    ),
    "cancel_contractor_change": lambda s, by: s.cancel_contractor_change("c-1", by=by),
    "record_first_login": lambda s, by: s.record_first_login("c-1", by=by, login_email=HEIR.email),
    "finish_contractor_change": lambda s, by: s.finish_contractor_change("c-1", by=by),
}
FOREIGN = [
    pytest.param(RIVAL, id="another contract's contractor"),
    pytest.param(Principal.customer("c-2"), id="a user of another contract's portal"),
]


def absent_service() -> ContractService:
    """Return a service over empty ports: every id is absent."""
    return ContractService(
        contracts=InMemoryContractRepository(InMemoryOutbox()),
        clock=make_world().clock,
        directory=InMemoryUserDirectory(),
    )


# -- SEC-1 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("by", FOREIGN)
@pytest.mark.parametrize("call", list(CALLS))
def test_sec_1_a_foreign_contract_is_not_found_exactly_like_an_absent_one(
    world: World, call: str, by: Principal
) -> None:
    with pytest.raises(NotFound) as absent:
        CALLS[call](absent_service(), by)
    before = world.snapshot()
    with pytest.raises(NotFound) as foreign:
        CALLS[call](world.service, by)
    assert str(foreign.value) == str(absent.value) == "no contract with id 'c-1' exists"
    assert (foreign.value.kind, foreign.value.id) == (absent.value.kind, absent.value.id)
    assert world.snapshot() == before


@pytest.mark.parametrize("by", FOREIGN)
def test_sec_1_a_foreign_contract_with_a_pending_change_is_not_found_either(
    world: World, by: Principal
) -> None:
    world.service.request_contractor_change("c-1", by=CONTRACTOR, name=HEIR.name, email=HEIR.email)
    before = world.snapshot()
    for call in CALLS.values():
        with pytest.raises(NotFound):
            call(world.service, by)
    assert world.snapshot() == before


@pytest.mark.parametrize("by", [CONTRACTOR, PORTAL_USER, STAFF, SYSTEM])
def test_sec_1_the_contractor_its_portal_users_and_the_back_office_may_look_it_up(
    world: World, by: Principal
) -> None:
    assert world.service.get("c-1", by=by) == world.contracts.get("c-1")


def test_sec_1_con_2_a_user_of_the_contracts_own_portal_is_refused_every_command(
    world: World,
) -> None:
    world.service.request_contractor_change("c-1", by=CONTRACTOR, name=HEIR.name, email=HEIR.email)
    before = world.snapshot()
    for name, call in CALLS.items():
        if name == "get":
            continue
        with pytest.raises(PermissionDenied) as raised:
            call(world.service, PORTAL_USER)
        assert raised.value.actor == "customer"
    assert world.snapshot() == before


@pytest.mark.parametrize("by", [PORTAL_USER, STAFF, SYSTEM])
def test_con_7_only_the_new_contractors_own_login_completes_a_change(
    world: World, by: Principal
) -> None:
    world.service.request_contractor_change("c-1", by=CONTRACTOR, name=HEIR.name, email=HEIR.email)
    before = world.snapshot()
    with pytest.raises(PermissionDenied) as raised:
        world.service.record_first_login("c-1", by=by, login_email=HEIR.email)
    assert raised.value.rule == "CON-2"
    assert world.snapshot() == before


@pytest.mark.parametrize("by", [CONTRACTOR, RIVAL, PORTAL_USER])
def test_sec_1_only_the_back_office_opens_a_contract(world: World, by: Principal) -> None:
    with pytest.raises(PermissionDenied) as raised:
        world.service.open_contract("c-2", contractor=OWNER, by=by)
    assert raised.value.rule == "SEC-1"
    assert raised.value.event == "open_contract"
    with pytest.raises(NotFound):
        world.contracts.get("c-2")
    assert world.outbox.records() == []


@pytest.mark.parametrize("holder", [OWNER, HEIR], ids=["same contractor", "someone else"])
def test_sec_1_opening_a_taken_id_is_one_validation_error_that_reveals_nothing(
    world: World, holder: Contractor
) -> None:
    world.service.request_termination("c-1", by=CONTRACTOR)  # c-1 at version 1 now
    before = world.snapshot()
    with pytest.raises(ValidationError) as raised:
        world.service.open_contract("c-1", contractor=holder, by=STAFF)
    error = raised.value
    assert (str(error), error.field, error.rule) == (
        (
            "SEC-1: contract_id 'c-1' cannot be used; choose another contract_id"
            " (generate one, e.g. with uuid4)"
        ),
        "contract_id",
        "SEC-1",
    )
    assert "version" not in str(error)
    assert world.snapshot() == before


@pytest.mark.parametrize("by", [STAFF, SYSTEM])
def test_sec_1_an_operator_or_the_system_opens_a_contract(world: World, by: Principal) -> None:
    opened = world.service.open_contract("c-2", contractor=OWNER, by=by)
    assert world.contracts.get("c-2") == opened
    assert opened.status is ContractStatus.ACTIVE


@pytest.mark.parametrize("bad", [None, "山田 太郎", {"name": "山田", "email": "a@example.jp"}])
def test_sec_2_opening_without_a_contractor_names_sec_2_not_the_change_rule(
    world: World, bad: Any
) -> None:
    """A contractor's values at opening are SEC-2's; CON-7 is the contractor *change*."""
    before = world.snapshot()
    with pytest.raises(ValidationError) as raised:
        world.service.open_contract("c-2", contractor=bad, by=STAFF)
    assert (raised.value.field, raised.value.rule) == ("contractor", "SEC-2")
    assert "CON-7" not in raised.value.explain("ja")
    assert world.snapshot() == before


@pytest.mark.parametrize(("name", "email", "field"), [("x" * 500, "a@example.jp", "name")])
def test_sec_2_a_contractor_with_a_bad_value_names_sec_2(name: str, email: str, field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        Contractor(name=name, email=email)
    assert (raised.value.field, raised.value.rule) == (field, "SEC-2")


@pytest.mark.parametrize("by", [CONTRACTOR, RIVAL, PORTAL_USER])
def test_sec_1_con_5_only_the_system_or_an_operator_sweeps(world: World, by: Principal) -> None:
    world.service.request_termination("c-1", by=CONTRACTOR)
    before = world.snapshot()
    with pytest.raises(PermissionDenied) as raised:
        world.service.apply_due(T0 + timedelta(days=60), by=by)
    assert raised.value.rule == "SEC-1"
    assert world.snapshot() == before


def test_con_5_an_operator_may_sweep(world: World) -> None:
    world.service.request_termination("c-1", by=CONTRACTOR)
    report = world.service.apply_due(T0 + timedelta(days=60), by=STAFF)
    assert report.changed == ("c-1",)
    assert world.contracts.get("c-1").status is ContractStatus.PURGED


# -- SEC-3 ---------------------------------------------------------------------------------------

COMMANDS: dict[str, Callable[[World, int | None], object]] = {
    "request_termination": lambda w, v: w.service.request_termination(
        "c-1", by=CONTRACTOR, expected_version=v
    ),
    "reinstate": lambda w, v: w.service.reinstate("c-1", by=CONTRACTOR, expected_version=v),
    "request_contractor_change": lambda w, v: w.service.request_contractor_change(
        "c-1", by=CONTRACTOR, name=HEIR.name, email=HEIR.email, expected_version=v
    ),
    "cancel_contractor_change": lambda w, v: w.service.cancel_contractor_change(
        "c-1", by=CONTRACTOR, expected_version=v
    ),
    "record_first_login": lambda w, v: w.service.record_first_login(
        "c-1", by=CONTRACTOR, login_email=HEIR.email, expected_version=v
    ),
}


def ready_for(world: World, command: str) -> None:
    """Bring c-1 to a state where ``command`` is allowed, with a few versions behind it."""
    world.service.request_termination("c-1", by=CONTRACTOR)
    world.clock.advance(hours=1)
    world.service.reinstate("c-1", by=CONTRACTOR)
    if command == "reinstate":
        world.service.request_termination("c-1", by=CONTRACTOR)
    elif command in ("cancel_contractor_change", "record_first_login"):
        world.service.request_contractor_change(
            "c-1", by=CONTRACTOR, name=HEIR.name, email=HEIR.email
        )
    world.clock.advance(hours=1)


@pytest.mark.parametrize("command", list(COMMANDS))
def test_sec_3_a_stale_expected_version_is_a_conflict_and_changes_nothing(
    world: World, command: str
) -> None:
    ready_for(world, command)
    stored = world.contracts.get("c-1").version
    before = world.snapshot()
    for stale in (0, stored - 1, stored + 1):
        with pytest.raises(ConcurrencyConflict) as raised:
            COMMANDS[command](world, stale)
        assert (raised.value.expected_version, raised.value.actual_version) == (stale, stored)
        assert world.snapshot() == before


@pytest.mark.parametrize("command", list(COMMANDS))
def test_sec_3_the_right_expected_version_works(world: World, command: str) -> None:
    ready_for(world, command)
    stored = world.contracts.get("c-1").version
    updated = COMMANDS[command](world, stored)
    assert isinstance(updated, Contract)
    assert updated.version == stored + 1
    assert world.contracts.get("c-1") == updated.saved()


@pytest.mark.parametrize("bad", ["1", 1.0, True, -1])
def test_sec_3_an_expected_version_that_is_not_a_version_is_refused(
    world: World, bad: object
) -> None:
    before = world.snapshot()
    with pytest.raises(ValidationError) as raised:
        COMMANDS["request_termination"](world, bad)  # type: ignore[arg-type]
    assert raised.value.field == "expected_version"
    assert world.snapshot() == before


# -- SEC-2 ---------------------------------------------------------------------------------------


class Other(enum.StrEnum):
    CONTRACTOR = "contractor"
    USER = "user"


NOT_A_PRINCIPAL = [
    pytest.param("contractor", id="plain string"),
    pytest.param(Actor.CONTRACTOR, id="an Actor"),
    pytest.param(None, id="None"),
    pytest.param({"kind": "contractor"}, id="unhashable"),
]


@pytest.mark.parametrize("bad", NOT_A_PRINCIPAL)
@pytest.mark.parametrize("call", list(CALLS))
def test_sec_2_a_by_that_is_not_a_principal_is_refused(
    world: World, call: str, bad: object
) -> None:
    world.service.request_contractor_change("c-1", by=CONTRACTOR, name=HEIR.name, email=HEIR.email)
    before = world.snapshot()
    with pytest.raises(ValidationError) as raised:
        CALLS[call](world.service, bad)
    assert raised.value.field == "by"
    assert world.snapshot() == before


@pytest.mark.parametrize("bad", NOT_A_PRINCIPAL)
def test_sec_2_open_and_sweep_refuse_a_by_that_is_not_a_principal(world: World, bad: Any) -> None:
    before = world.snapshot()
    with pytest.raises(ValidationError) as raised:
        world.service.open_contract("c-2", contractor=OWNER, by=bad)
    assert raised.value.field == "by"
    with pytest.raises(ValidationError) as raised:
        world.service.apply_due(T0 + timedelta(days=60), by=bad)
    assert raised.value.field == "by"
    assert world.snapshot() == before


@pytest.mark.parametrize("bad", [None, 42, ["c-1"], "", "c-1\n", "x" * 1000])
def test_sec_2_a_contract_id_that_is_not_an_id_is_refused(world: World, bad: Any) -> None:
    before = world.snapshot()
    with pytest.raises(ValidationError) as raised:
        world.service.request_termination(bad, by=CONTRACTOR)
    assert raised.value.field == "contract_id"
    assert len(str(raised.value)) < 200
    assert world.snapshot() == before


@pytest.mark.parametrize(
    "bad",
    ["user", "administrator", "管理者", Other.USER, AdminAccount.KEPT, 0, "x" * 100_000],
)
def test_sec_2_con_8_admin_account_for_refuses_what_is_not_a_directory_role(bad: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        admin_account_for(bad)
    assert raised.value.field == "role"
    assert raised.value.rule == "SEC-2"
    assert len(str(raised.value)) < 120


def test_con_8_admin_account_for_knows_every_role() -> None:
    assert {role: admin_account_for(role) for role in DirectoryRole} == {
        DirectoryRole.ADMINISTRATOR: AdminAccount.KEPT,
        DirectoryRole.USER: AdminAccount.RAISED,
    }
    assert admin_account_for(None) is AdminAccount.ISSUED


class StringDirectory(InMemoryUserDirectory):
    """A caller's directory adapter that answers with the role's stored string."""

    def role_of(self, contract_id: str, email: str) -> DirectoryRole | None:
        role = super().role_of(contract_id, email)
        return None if role is None else role.value  # type: ignore[return-value]  # the bug


def test_sec_2_a_directory_answering_a_plain_string_gets_nobody_an_account(world: World) -> None:
    directory = StringDirectory()
    directory.add_account("c-1", HEIR.email, name=HEIR.name, role=DirectoryRole.USER)
    service = ContractService(contracts=world.contracts, clock=world.clock, directory=directory)
    service.request_contractor_change("c-1", by=CONTRACTOR, name=HEIR.name, email=HEIR.email)
    before = world.snapshot()
    with pytest.raises(ValidationError) as raised:
        service.record_first_login("c-1", by=CONTRACTOR, login_email=HEIR.email)
    assert raised.value.field == "role"
    assert world.snapshot() == before
    assert directory.accounts("c-1") == {HEIR.email: (HEIR.name, DirectoryRole.USER)}


@pytest.mark.parametrize("bad", ["contractor", Other.CONTRACTOR, None, "契約者"])
def test_sec_2_con_2_the_aggregate_refuses_an_actor_that_is_not_an_actor(bad: Any) -> None:
    contract = Contract.open(id="c-1", contractor=OWNER, opened_at=T0)
    commands: list[Callable[[], object]] = [
        lambda: contract.request_termination(actor=bad, at=T0),
        lambda: contract.request_contractor_change(actor=bad, new=HEIR, at=T0),
    ]
    terminated = contract.request_termination(actor=Actor.CONTRACTOR, at=T0)
    commands.append(lambda: terminated.reinstate(actor=bad, at=T0))
    changing = contract.request_contractor_change(actor=Actor.CONTRACTOR, new=HEIR, at=T0)
    commands += [
        lambda: changing.cancel_contractor_change(actor=bad, at=T0),
        lambda: changing.check_first_login(actor=bad, login_email=HEIR.email, at=T0),
        lambda: changing.complete_contractor_change(
            actor=bad, login_email=HEIR.email, at=T0, admin_account=AdminAccount.ISSUED
        ),
    ]
    for command in commands:
        with pytest.raises(ValidationError) as raised:
            command()
        assert raised.value.field == "actor"
        assert raised.value.rule == "SEC-2"


@pytest.mark.parametrize("bad", ["issued", "ISSUED", None, DirectoryRole.USER])
def test_sec_2_con_8_the_aggregate_refuses_an_account_decision_that_is_not_one(bad: Any) -> None:
    contract = Contract.open(id="c-1", contractor=OWNER, opened_at=T0)
    changing = contract.request_contractor_change(actor=Actor.CONTRACTOR, new=HEIR, at=T0)
    with pytest.raises(ValidationError) as raised:
        changing.complete_contractor_change(
            actor=Actor.CONTRACTOR, login_email=HEIR.email, at=T0, admin_account=bad
        )
    assert raised.value.field == "admin_account"


@pytest.mark.parametrize("bad", [None, "c-1", ContractStatus.TERMINATED, object()])
def test_sec_2_due_transitions_refuses_what_is_not_a_contract(bad: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        due_transitions(bad, T0)
    assert raised.value.field == "contract"


@pytest.mark.parametrize("bad", ["user", Other.USER, None])
def test_sec_2_the_in_memory_directory_refuses_a_role_that_is_not_a_directory_role(
    bad: Any,
) -> None:
    directory = InMemoryUserDirectory()
    with pytest.raises(ValidationError) as raised:
        directory.add_account("c-1", HEIR.email, name=HEIR.name, role=bad)
    assert raised.value.field == "role"
    assert directory.accounts("c-1") == {}


@pytest.mark.parametrize("bad", [None, 42, "x" * 1000, "a\x00b@example.co.jp"])
def test_sec_2_a_login_email_that_is_not_text_is_refused(world: World, bad: Any) -> None:
    world.service.request_contractor_change("c-1", by=CONTRACTOR, name=HEIR.name, email=HEIR.email)
    before = world.snapshot()
    with pytest.raises(ValidationError) as raised:
        world.service.record_first_login("c-1", by=CONTRACTOR, login_email=bad)
    assert raised.value.field == "login_email"
    assert len(str(raised.value)) < 200
    assert world.snapshot() == before


def test_con_7_a_refused_login_echoes_a_short_excerpt_and_not_the_expected_address(
    world: World,
) -> None:
    world.service.request_contractor_change("c-1", by=CONTRACTOR, name=HEIR.name, email=HEIR.email)
    long_login = "a" * 200 + "@example.co.jp"
    with pytest.raises(PermissionDenied) as raised:
        world.service.record_first_login("c-1", by=CONTRACTOR, login_email=long_login)
    assert HEIR.email not in str(raised.value)
    assert len(str(raised.value)) < 160
