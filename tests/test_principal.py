"""Principals and the checks every service runs before anything else (SEC-1, SEC-2, SEC-3)."""

from __future__ import annotations

import enum
import pickle

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from omakase_core import Actor, ConcurrencyConflict, NotFound, PermissionDenied, ValidationError
from omakase_core.principal import (
    Principal,
    PrincipalKind,
    add_new,
    check_owner,
    check_principal,
    check_self,
    check_version,
    load_owned,
)


class Role(enum.Enum):
    ADMIN = "admin"


@attrs.frozen
class Thing:
    id: str
    customer_id: str
    version: int


class Things:
    def __init__(self, *things: Thing) -> None:
        self.things = {thing.id: thing for thing in things}

    def get(self, aggregate_id: str) -> Thing:
        try:
            return self.things[aggregate_id]
        except KeyError:
            raise NotFound(kind="thing", id=aggregate_id) from None


def test_sec_1_each_kind_of_principal_acts_as_its_lifecycle_actor() -> None:
    assert Principal.customer("c1").actor is Actor.CUSTOMER
    assert Principal.contractor("k1").actor is Actor.CONTRACTOR
    assert Principal.operator("s1").actor is Actor.OPERATOR
    assert Principal.system().actor is Actor.SYSTEM


def test_sec_1_a_principal_names_its_scope_by_kind() -> None:
    customer = Principal.customer("c1", user_id="u1", role=Role.ADMIN)
    assert (customer.customer_id, customer.contract_id, customer.staff_id) == ("c1", None, None)
    assert (customer.user_id, customer.role) == ("u1", Role.ADMIN)
    assert Principal.contractor("k1").contract_id == "k1"
    assert Principal.operator("s1").staff_id == "s1"
    assert Principal.system().kind is PrincipalKind.SYSTEM


def test_sec_1_principals_are_frozen_hashable_and_picklable_values() -> None:
    customer = Principal.customer("c1", user_id="u1")
    assert customer == Principal.customer("c1", user_id="u1")
    assert hash(customer) == hash(Principal.customer("c1", user_id="u1"))
    assert pickle.loads(pickle.dumps(customer)) == customer  # noqa: S301  # our own value
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        customer.scope = "c2"  # type: ignore[misc]


def test_sec_1_the_repr_reads_like_the_constructor() -> None:
    assert repr(Principal.customer("c1", user_id="u1")) == "Principal.customer('c1', user_id='u1')"
    assert repr(Principal.operator("s1")) == "Principal.operator('s1')"
    assert repr(Principal.system()) == "Principal.system()"


@pytest.mark.parametrize("bad", ["", "   ", None, 1, b"c1", "x" * 201, "c\n1", ["c1"]])
def test_sec_2_a_principal_refuses_an_id_that_is_not_a_short_printable_string(bad: object) -> None:
    with pytest.raises(ValidationError) as caught:
        Principal.customer(bad)  # type: ignore[arg-type]
    assert caught.value.field == "customer_id"
    assert len(str(caught.value)) < 200


@pytest.mark.parametrize("bad", ["admin", "管理者", 1, True])
def test_sec_2_a_role_must_be_an_enum_member_never_a_plain_value(bad: object) -> None:
    with pytest.raises(ValidationError) as caught:
        Principal.customer("c1", role=bad)  # type: ignore[arg-type]
    assert (caught.value.field, caught.value.rule) == ("role", "SEC-2")


@pytest.mark.parametrize("bad", [None, "customer", Actor.CUSTOMER, ("customer", "c1")])
def test_sec_1_by_must_be_a_principal(bad: object) -> None:
    with pytest.raises(ValidationError) as caught:
        check_principal(bad)
    assert caught.value.field == "by"


def test_sec_1_a_customer_sees_only_its_own_customers_aggregates() -> None:
    check_owner(Principal.customer("c1"), kind="thing", id="t1", customer_id="c1")
    with pytest.raises(NotFound):
        check_owner(Principal.customer("c2"), kind="thing", id="t1", customer_id="c1")


def test_sec_1_a_contractor_sees_only_its_own_contract() -> None:
    check_owner(Principal.contractor("k1"), kind="contract", id="k1", contract_id="k1")
    with pytest.raises(NotFound):
        check_owner(Principal.contractor("k2"), kind="contract", id="k1", contract_id="k1")
    with pytest.raises(NotFound):  # a contractor is not a customer of anything
        check_owner(Principal.contractor("c1"), kind="thing", id="t1", customer_id="c1")


def test_sec_1_the_back_office_sees_every_aggregate() -> None:
    check_owner(Principal.operator("s1"), kind="thing", id="t1", customer_id="c1")
    check_owner(Principal.system(), kind="thing", id="t1", customer_id="c1")


def test_sec_1_another_customers_aggregate_answers_exactly_as_an_absent_one() -> None:
    things = Things(Thing(id="t1", customer_id="c1", version=3))
    by = Principal.customer("c2")
    with pytest.raises(NotFound) as foreign:
        load_owned(things, "t1", by=by, kind="thing", expected_version=None, customer_of=_owner)
    with pytest.raises(NotFound) as absent:
        load_owned(Things(), "t1", by=by, kind="thing", expected_version=None, customer_of=_owner)
    assert str(foreign.value) == str(absent.value)
    assert vars(foreign.value) == vars(absent.value)


def test_sec_1_own_actions_are_refused_on_another_users_account() -> None:
    check_self(Principal.customer("c1", user_id="u1"), user_id="u1", event="change_password")
    with pytest.raises(PermissionDenied) as caught:
        check_self(Principal.customer("c1", user_id="u2"), user_id="u1", event="change_password")
    assert caught.value.rule == "SEC-1"
    with pytest.raises(PermissionDenied):
        check_self(Principal.operator("s1"), user_id="u1", event="complete_setup")


def test_sec_3_a_stale_expected_version_is_a_concurrency_conflict() -> None:
    check_version(None, actual=4, aggregate_id="t1")
    check_version(4, actual=4, aggregate_id="t1")
    with pytest.raises(ConcurrencyConflict) as caught:
        check_version(3, actual=4, aggregate_id="t1")
    assert (caught.value.expected_version, caught.value.actual_version) == (3, 4)


@pytest.mark.parametrize("bad", [True, "4", 4.0, -1])
def test_sec_3_expected_version_must_be_a_non_negative_int(bad: object) -> None:
    with pytest.raises(ValidationError) as caught:
        check_version(bad, actual=4, aggregate_id="t1")  # type: ignore[arg-type]
    assert caught.value.field == "expected_version"


def test_sec_1_load_owned_checks_the_principal_before_looking_anything_up() -> None:
    class Exploding:
        def get(self, aggregate_id: str) -> Thing:
            raise AssertionError

    with pytest.raises(ValidationError):
        load_owned(Exploding(), "t1", by="c1", kind="thing", expected_version=None)


@pytest.mark.parametrize("bad", [["t1"], {"t1"}, None, 1])
def test_sec_2_load_owned_refuses_an_id_that_is_not_a_string(bad: object) -> None:
    with pytest.raises(ValidationError) as caught:
        load_owned(
            Things(), bad, by=Principal.system(), kind="thing", expected_version=None, field="x_id"
        )
    assert caught.value.field == "x_id"


@given(owner=st.sampled_from(["c1", "c2"]), caller=st.sampled_from(["c1", "c2"]))
def test_sec_1_a_customer_loads_exactly_what_it_owns(owner: str, caller: str) -> None:
    things = Things(Thing(id="t1", customer_id=owner, version=1))
    by = Principal.customer(caller)
    if owner == caller:
        loaded = load_owned(
            things, "t1", by=by, kind="thing", expected_version=1, customer_of=_owner
        )
        assert loaded.customer_id == caller
    else:
        with pytest.raises(NotFound):
            load_owned(things, "t1", by=by, kind="thing", expected_version=1, customer_of=_owner)


def _owner(thing: Thing) -> str:
    return thing.customer_id


def test_sec_1_foreign_and_absent_not_found_carry_no_different_context() -> None:
    things = Things(Thing(id="t1", customer_id="c1", version=3))
    by = Principal.customer("c2")
    errors = []
    for repository in (things, Things()):
        with pytest.raises(NotFound) as caught:
            load_owned(repository, "t1", by=by, kind="thing", expected_version=None)
        errors.append(caught.value)
    foreign, absent = errors
    assert (foreign.__context__, foreign.__cause__) == (absent.__context__, absent.__cause__)
    assert foreign.__suppress_context__ == absent.__suppress_context__


@pytest.mark.parametrize(
    "parts",
    [
        {"kind": "customer", "scope": "c1"},
        {"kind": PrincipalKind.OPERATOR, "scope": None},
        {"kind": PrincipalKind.SYSTEM, "scope": "s"},
        {"kind": PrincipalKind.OPERATOR, "scope": "s", "user_id": "u"},
        {"kind": PrincipalKind.CONTRACTOR, "scope": "k", "role": Role.ADMIN},
        {"kind": PrincipalKind.CUSTOMER, "scope": "c1", "role": "admin"},
        {"kind": PrincipalKind.CUSTOMER, "scope": "c1", "user_id": ""},
    ],
)
def test_sec_2_a_principal_built_directly_is_checked_like_one_built_by_its_constructors(
    parts: dict[str, object],
) -> None:
    with pytest.raises(ValidationError):
        Principal(**parts)  # type: ignore[arg-type]


class Shelf:
    def __init__(self) -> None:
        self.ids: set[str] = set()

    def add(self, aggregate: Thing) -> None:
        if aggregate.id in self.ids:
            raise ConcurrencyConflict(
                aggregate_id=aggregate.id, expected_version=None, actual_version=7
            )
        self.ids.add(aggregate.id)

    def get(self, aggregate_id: str) -> Thing:
        raise NotFound(kind="thing", id=aggregate_id)


def test_sec_1_a_taken_id_is_refused_without_telling_whose_it_is_or_its_version() -> None:
    shelf = Shelf()
    add_new(shelf, Thing(id="t1", customer_id="c1", version=0), id="t1")
    with pytest.raises(ValidationError) as caught:
        add_new(shelf, Thing(id="t1", customer_id="c2", version=0), id="t1", field="inquiry_id")
    assert (caught.value.field, caught.value.rule) == ("inquiry_id", "SEC-1")
    assert "7" not in str(caught.value)
