"""SEC-1 … SEC-3 for OCN: who may act on which OCN customer, stale screens, no fail-open values."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from omakase_core import (
    Actor,
    ConcurrencyConflict,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from omakase_core.ocn import (
    AccountAction,
    CancellationStatus,
    MailChangePattern,
    MailChangeRequest,
    MailChangeStatus,
    OcnCustomer,
    OcnEvent,
    OcnService,
)
from omakase_core.ocn.machine import MailChangeChart
from omakase_core.principal import Principal
from omakase_core.testing import FixedClock, InMemoryOutbox, InMemoryRepository
from tests.ocn.conftest import (
    ADD_HANAKO,
    CANCELLATION,
    CONTRACTOR,
    CUSTOMER,
    HASH,
    PASSWORD,
    RIVAL,
    STAFF,
    SYSTEM,
    T0,
    Desk,
    RecordingHasher,
)

HOUR = timedelta(hours=1)

Command = Callable[[OcnService, str, Principal], object]

COMMANDS: dict[str, Command] = {
    "get": lambda s, i, by: s.get(i, by=by),
    "apply_mail_change": lambda s, i, by: s.apply_mail_change(
        i, ADD_HANAKO, by=by, password=PASSWORD, password_confirmation=PASSWORD
    ),
    "cancel_mail_change": lambda s, i, by: s.cancel_mail_change(i, by=by),
    "register_mail_change": lambda s, i, by: s.register_mail_change(i, by=by, host="red.ocn.ne.jp"),
    "report_name_unavailable": lambda s, i, by: s.report_name_unavailable(i, by=by),
    "submit_cancellation": lambda s, i, by: s.submit_cancellation(i, CANCELLATION, by=by),
    "complete_cancellation": lambda s, i, by: s.complete_cancellation(i, by=by),
}


def absent_error(name: str, customer_id: str, by: Principal) -> str:
    """Return the message the command gives for an id that does not exist at all."""
    empty = OcnService(
        customers=InMemoryRepository(InMemoryOutbox()),
        clock=FixedClock(T0),
        hasher=RecordingHasher(),
    )
    with pytest.raises(NotFound) as raised:
        COMMANDS[name](empty, customer_id, by)
    return str(raised.value)


@pytest.mark.parametrize("name", sorted(COMMANDS))
@pytest.mark.parametrize("by", [RIVAL, CONTRACTOR], ids=["another customer", "a contractor"])
def test_sec_1_another_customers_line_is_not_found_exactly_as_an_absent_one(
    desk: Desk, name: str, by: Principal
) -> None:
    desk.apply("ocn-1", ADD_HANAKO)
    before = desk.snapshot()
    with pytest.raises(NotFound) as raised:
        COMMANDS[name](desk.service, "ocn-1", by)
    assert str(raised.value) == absent_error(name, "ocn-1", by)
    assert (raised.value.kind, raised.value.id) == ("OCN customer", "ocn-1")
    assert desk.snapshot() == before


def test_sec_1_a_customer_sees_its_own_line_and_an_operator_every_line(desk: Desk) -> None:
    assert desk.service.get("ocn-1", by=CUSTOMER) == desk.customers.get("ocn-1")
    assert desk.service.get("ocn-2", by=STAFF).accounts == ("jiro",)


@pytest.mark.parametrize(
    ("name", "by"),
    [
        ("register_mail_change", CUSTOMER),
        ("report_name_unavailable", CUSTOMER),
        ("cancel_mail_change", STAFF),
        ("apply_mail_change", STAFF),
        ("apply_mail_change", SYSTEM),
        ("submit_cancellation", STAFF),
    ],
)
def test_sec_1_each_step_belongs_to_one_side_and_a_refusal_changes_nothing(
    desk: Desk, name: str, by: Principal
) -> None:
    """OCN-2 … OCN-4: the customer's forms and the operator's steps; nothing moves on refusal."""
    if name != "apply_mail_change":
        desk.apply("ocn-1", ADD_HANAKO)
    before = desk.snapshot()
    with pytest.raises(PermissionDenied):
        COMMANDS[name](desk.service, "ocn-1", by)
    assert desk.snapshot() == before


def test_sec_1_the_customer_cannot_complete_the_cancellation(desk: Desk) -> None:
    desk.service.submit_cancellation("ocn-1", CANCELLATION, by=CUSTOMER)
    before = desk.snapshot()
    with pytest.raises(PermissionDenied):
        COMMANDS["complete_cancellation"](desk.service, "ocn-1", CUSTOMER)
    assert desk.snapshot() == before


@pytest.mark.parametrize("by", [CUSTOMER, RIVAL, SYSTEM, CONTRACTOR])
def test_sec_1_only_an_operator_registers_an_ocn_customer(desk: Desk, by: Principal) -> None:
    before = (len(desk.customers), desk.outbox.records())
    with pytest.raises(PermissionDenied) as raised:
        desk.service.create_customer("ocn-1" if by is CUSTOMER else "ocn-9", by=by, accounts=("a",))
    assert raised.value.rule == "SEC-1"
    assert (len(desk.customers), desk.outbox.records()) == before


def stored(desk: Desk) -> tuple[list[OcnCustomer], list[object]]:
    """Every stored customer and every outbox record: what a refused creation must not change."""
    return list(desk.customers), list(desk.outbox.records())


@pytest.mark.parametrize("customer_id", ["ocn-1", "ocn-2"])
def test_sec_1_registering_a_taken_id_is_one_validation_error_that_reveals_nothing(
    desk: Desk, customer_id: str
) -> None:
    """ocn-1 has moved on to version 1, ocn-2 is at 0: the answers differ only by the id."""
    desk.apply("ocn-1", ADD_HANAKO)
    before = stored(desk)
    with pytest.raises(ValidationError) as raised:
        desk.service.create_customer(customer_id, by=STAFF, accounts=("hanako",))
    error = raised.value
    assert (str(error), error.field, error.rule) == (
        (
            f"SEC-1: customer_id {customer_id!r} cannot be used; choose another customer_id"
            " (generate one, e.g. with uuid4)"
        ),
        "customer_id",
        "SEC-1",
    )
    assert not isinstance(error, ConcurrencyConflict)
    assert stored(desk) == before


def test_sec_3_registering_takes_no_expected_version(desk: Desk) -> None:
    """Creation has no version: ``create_customer`` has no ``expected_version`` parameter."""
    before = stored(desk)
    with pytest.raises(TypeError, match="expected_version"):
        desk.service.create_customer(  # type: ignore[call-arg]
            "ocn-3", by=STAFF, accounts=("a",), expected_version=0
        )
    assert stored(desk) == before
    created = desk.service.create_customer(
        "ocn-3", by=STAFF, accounts=("a", "b"), virus_checks=("b",)
    )
    assert (created.version, created.monthly_fee) == (0, 450)


@pytest.mark.parametrize("name", sorted(set(COMMANDS) - {"get"}))
def test_sec_3_a_stale_expected_version_is_a_conflict_and_changes_nothing(
    desk: Desk, name: str
) -> None:
    desk.apply("ocn-1", ADD_HANAKO)  # version 1 now
    before = desk.snapshot()
    by = STAFF if "register" in name or "report" in name or "complete" in name else CUSTOMER
    command: Any = getattr(desk.service, name)
    args = {"apply_mail_change": (ADD_HANAKO,), "submit_cancellation": (CANCELLATION,)}
    with pytest.raises(ConcurrencyConflict):
        command("ocn-1", *args.get(name, ()), by=by, expected_version=0)
    assert desk.snapshot() == before


def test_sec_3_the_version_the_screen_showed_lets_the_command_through(desk: Desk) -> None:
    shown = desk.service.get("ocn-1", by=CUSTOMER).version
    applied = desk.service.apply_mail_change(
        "ocn-1",
        ADD_HANAKO,
        by=CUSTOMER,
        password=PASSWORD,
        password_confirmation=PASSWORD,
        expected_version=shown,
    )
    registered = desk.service.register_mail_change(
        "ocn-1", by=STAFF, host="red.ocn.ne.jp", expected_version=applied.version
    )
    assert registered.mail_change_status is MailChangeStatus.REGISTERED
    accepted = desk.service.submit_cancellation(
        "ocn-1", CANCELLATION, by=CUSTOMER, expected_version=registered.version
    )
    assert accepted.cancellation_status is CancellationStatus.ACCEPTED
    with pytest.raises(ValidationError) as raised:
        desk.service.complete_cancellation("ocn-1", by=STAFF, expected_version="2")  # type: ignore[arg-type]
    assert raised.value.field == "expected_version"
    closed = desk.service.complete_cancellation(
        "ocn-1", by=STAFF, expected_version=accepted.version
    )
    assert closed.cancellation_status is CancellationStatus.COMPLETED


class RacingClock:
    """A clock whose first reading lets another writer change ocn-1 an hour later (SEC-3)."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.raced = False

    def now(self) -> datetime:
        if not self.raced:
            self.raced = True
            other = self.desk.customers.get("ocn-1")
            later = other.apply_mail_change(
                ADD_HANAKO, actor=Actor.CUSTOMER, at=T0 + HOUR * 2, password_hash=HASH
            )
            self.desk.customers.save(later, expected_version=other.version)
        return T0 + HOUR


def test_sec_3_a_command_that_loses_a_race_is_a_conflict_not_a_time_order_error(
    desk: Desk,
) -> None:
    """The clock is read after the load, so the other writer's later change fails the save."""
    racing = OcnService(customers=desk.customers, clock=RacingClock(desk), hasher=desk.hasher)
    with pytest.raises(ConcurrencyConflict):
        racing.submit_cancellation("ocn-1", CANCELLATION, by=CUSTOMER)
    stored = desk.customers.get("ocn-1")
    assert (stored.mail_change_status, stored.cancellation_status) == (
        MailChangeStatus.REQUESTED,
        None,
    )


@pytest.mark.parametrize("by", ["customer", "ocn-1", None, Actor.CUSTOMER, CUSTOMER.kind], ids=repr)
def test_sec_2_by_must_be_a_principal(desk: Desk, by: object) -> None:
    before = desk.snapshot()
    for name, command in COMMANDS.items():
        with pytest.raises(ValidationError) as raised:
            command(desk.service, "ocn-1", by)  # type: ignore[arg-type]
        assert raised.value.field == "by", name
    with pytest.raises(ValidationError):
        desk.service.create_customer("ocn-9", by=by, accounts=("a",))  # type: ignore[arg-type]
    assert desk.snapshot() == before


@pytest.mark.parametrize(
    "actor", ["customer", "operator", "お客様", None, MailChangePattern.ACCOUNT_ONLY], ids=repr
)
def test_sec_2_an_actor_that_is_not_an_actor_member_is_refused(desk: Desk, actor: object) -> None:
    customer = desk.customers.get("ocn-1")
    applied = customer.apply_mail_change(
        ADD_HANAKO, actor=Actor.CUSTOMER, at=T0, password_hash=HASH
    )
    commands: tuple[Callable[[], object], ...] = (
        lambda: customer.apply_mail_change(ADD_HANAKO, actor=actor, at=T0, password_hash=HASH),  # type: ignore[arg-type]
        lambda: customer.check_mail_change(ADD_HANAKO, actor=actor),  # type: ignore[arg-type]
        lambda: customer.submit_cancellation(CANCELLATION, actor=actor, at=T0),  # type: ignore[arg-type]
        lambda: applied.cancel_mail_change(actor=actor, at=T0),  # type: ignore[arg-type]
        lambda: applied.register_mail_change(actor=actor, at=T0, host="red.ocn.ne.jp"),  # type: ignore[arg-type]
        lambda: applied.report_name_unavailable(actor=actor, at=T0),  # type: ignore[arg-type]
    )
    for command in commands:
        with pytest.raises(ValidationError) as raised:
            command()
        assert (raised.value.field, raised.value.rule) == ("actor", "SEC-2")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("mail_change_status", "requested"),
        ("mail_change_status", "申込中"),
        ("mail_change_status", CancellationStatus.ACCEPTED),
        ("cancellation_status", "accepted"),
        ("cancellation_status", "submitted"),
        ("cancellation_status", MailChangeStatus.REQUESTED),
    ],
)
def test_sec_2_a_stored_status_must_be_a_member_of_its_own_enum(field: str, value: object) -> None:
    request = {"mail_change_status": ("mail_change", ADD_HANAKO)}
    request_field, request_value = request.get(field, ("cancellation", CANCELLATION))
    fields: dict[str, Any] = {field: value, request_field: request_value}
    with pytest.raises(ValidationError) as raised:
        OcnCustomer(id="ocn-1", accounts=("taro",), updated_at=T0, **fields)
    assert raised.value.field == field


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"accounts": None}, "accounts"),
        ({"accounts": "taro"}, "accounts"),
        ({"accounts": ()}, "accounts"),
        ({"accounts": ("a", "b", "c", "d", "e")}, "accounts"),
        ({"virus_checks": ("hanako",)}, "virus_checks"),
        ({"id": None}, "id"),
        ({"mail_change": ADD_HANAKO}, "mail_change_status"),
        ({"mail_change_status": MailChangeStatus.REQUESTED}, "mail_change"),
        ({"cancellation_status": CancellationStatus.ACCEPTED}, "cancellation"),
        ({"accounts": ["taro"]}, "accounts"),
        ({"version": "1"}, "version"),
    ],
)
def test_sec_2_an_ocn_customer_is_checked_on_construction(
    changes: dict[str, Any], field: str
) -> None:
    fields: dict[str, Any] = {"id": "ocn-1", "accounts": ("taro",), "updated_at": T0}
    with pytest.raises(ValidationError) as raised:
        OcnCustomer(**{**fields, **changes})
    assert raised.value.field == field


@pytest.mark.parametrize(
    "pattern", ["account_only", "ACCOUNT_ONLY", None, CancellationStatus.ACCEPTED], ids=repr
)
def test_sec_2_the_pattern_must_be_a_mail_change_pattern(pattern: object) -> None:
    with pytest.raises(ValidationError) as raised:
        MailChangeRequest(pattern=pattern, action=AccountAction.ADD, new_name="hanako")  # type: ignore[arg-type]
    assert raised.value.field == "pattern"


@pytest.mark.parametrize("request_value", [None, "account_only", {"pattern": "account_only"}])
def test_sec_2_a_request_that_is_not_a_request_is_refused_and_changes_nothing(
    desk: Desk, request_value: object
) -> None:
    before = desk.snapshot()
    with pytest.raises(ValidationError) as applied:
        desk.service.apply_mail_change("ocn-1", request_value, by=CUSTOMER)  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as submitted:
        desk.service.submit_cancellation("ocn-1", request_value, by=CUSTOMER)  # type: ignore[arg-type]
    assert applied.value.field == submitted.value.field == "request"
    assert desk.snapshot() == before


def test_sec_2_a_long_account_name_is_not_echoed() -> None:
    with pytest.raises(ValidationError) as raised:
        MailChangeRequest(
            pattern=MailChangePattern.ACCOUNT_ONLY,
            action=AccountAction.ADD,
            new_name="X" * 1_000_000,
        )
    assert len(str(raised.value)) < 200


def test_sec_2_tax_included_must_be_a_bool() -> None:
    from omakase_core.ocn import mail_monthly_fee  # noqa: PLC0415

    with pytest.raises(ValidationError) as raised:
        mail_monthly_fee(accounts=1, virus_checks=0, tax_included="yes")  # type: ignore[arg-type]
    assert raised.value.field == "tax_included"


@pytest.mark.parametrize(
    "value", ["nope", "ACCOUNT_ONLY", None, ["x"], MailChangeStatus.REQUESTED], ids=repr
)
def test_sec_2_looking_a_pattern_up_refuses_anything_but_its_values(value: object) -> None:
    with pytest.raises(ValidationError) as raised:
        MailChangePattern(value)
    assert (raised.value.field, raised.value.rule) == ("value", "SEC-2")
    assert MailChangePattern("account_only") is MailChangePattern.ACCOUNT_ONLY


@pytest.mark.parametrize("accounts", [["taro"], None, 3, (("taro",),)], ids=repr)
def test_sec_2_a_new_customer_takes_its_accounts_as_a_tuple_of_names(
    desk: Desk, accounts: object
) -> None:
    with pytest.raises(ValidationError) as raised:
        desk.service.create_customer("ocn-9", by=STAFF, accounts=accounts)  # type: ignore[arg-type]
    assert raised.value.field == "accounts"
    with pytest.raises(NotFound):
        desk.service.get("ocn-9", by=STAFF)


def test_sec_2_a_request_keeps_no_mutable_list() -> None:
    with pytest.raises(ValidationError) as raised:
        MailChangeRequest(
            pattern=MailChangePattern.ACCOUNT_ONLY,
            action=AccountAction.ADD,
            new_name="hanako",
            notify=["taro"],  # type: ignore[arg-type]
        )
    assert raised.value.field == "notify"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"event": ""}, "event"),
        ({"event": 3}, "event"),
        ({"event": "Mail Change"}, "event"),
        ({"detail": None}, "detail"),
        ({"detail": "a\x00b"}, "detail"),
        ({"detail": "x" * 1_000_000}, "detail"),
    ],
)
def test_sec_2_an_ocn_event_is_checked_on_construction(changes: dict[str, Any], field: str) -> None:
    fields: dict[str, Any] = {"aggregate_id": "ocn-1", "version": 1, "occurred_at": T0}
    with pytest.raises(ValidationError) as raised:
        OcnEvent(**{**fields, "event": "mail_change_requested", **changes})
    assert raised.value.field == field
    assert len(str(raised.value)) < 200


@pytest.mark.parametrize(
    ("ports", "field"),
    [
        ({"customers": None}, "customers"),
        ({"customers": "repository"}, "customers"),
        ({"clock": "clock"}, "clock"),
        ({"hasher": None}, "hasher"),
        ({"hasher": RecordingHasher}, "hasher"),
    ],
)
def test_sec_2_the_service_refuses_ports_without_their_methods(
    ports: dict[str, Any], field: str
) -> None:
    given: dict[str, Any] = {
        "customers": InMemoryRepository(InMemoryOutbox()),
        "clock": FixedClock(T0),
        "hasher": RecordingHasher(),
    }
    with pytest.raises(ValidationError) as raised:
        OcnService(**{**given, **ports})
    assert raised.value.field == field


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"start_value": "requested"}, "start_value"),
        ({"start_value": CancellationStatus.ACCEPTED}, "start_value"),
        ({"state_field": "not a name"}, "state_field"),
        ({"model": 1}, "model"),
        ({"listeners": "x"}, "listeners"),
    ],
)
def test_sec_2_a_chart_refuses_arguments_it_cannot_run_on(
    arguments: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        MailChangeChart(**arguments)
    assert raised.value.field == field
    assert set(MailChangeChart(start_value=MailChangeStatus.REGISTERED).configuration_values) == {
        MailChangeStatus.REGISTERED
    }
