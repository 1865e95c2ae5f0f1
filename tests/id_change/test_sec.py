"""SEC-1, SEC-2, SEC-3 for IdChangeService: who acts on which application, with what values.

The headline case of issue 9: an administrator who knew another tenant's application id
could withdraw it. Now another customer's application is ``NotFound`` exactly as an absent
one, and nothing changes.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from omakase_core import Actor, ConcurrencyConflict, NotFound, PermissionDenied, Principal
from omakase_core.accounts import Role
from omakase_core.errors import ValidationError
from omakase_core.id_change import (
    IdChangeApplication,
    IdChangeService,
    IdChangeStatus,
    Service,
    Target,
)
from omakase_core.testing import InMemoryIdChangeRepository, InMemoryOutbox
from tests.id_change.conftest import ADMIN, OPERATOR, OTHER_ADMIN, SYSTEM, Desk, jst

S = IdChangeStatus
T0 = jst(2026, 5, 12, 10, 0)
# Every command and look-up on an existing application, with the principal that may run it.
Command = Callable[..., IdChangeApplication]
COMMANDS: list[tuple[str, Principal]] = [
    ("get", ADMIN),
    ("withdraw", ADMIN),
    ("report_applied", OPERATOR),
    ("complete", OPERATOR),
]
NAMES = [name for name, _ in COMMANDS]
VERSIONED = [(name, by) for name, by in COMMANDS if name != "get"]


def windowed_desk() -> Desk:
    """Return a desk holding cust-1's pending, withdrawable add-on application ``idc-1``."""
    desk = Desk(T0)
    desk.submit("idc-1", service=Service.M365_ADDONS)
    desk.clock.advance(hours=1)
    return desk


def ready(desk: Desk, name: str) -> None:
    """Bring ``idc-1`` to the status where ``name`` is allowed."""
    if name == "complete":
        desk.service.report_applied("idc-1", by=OPERATOR)
        desk.clock.advance(hours=1)


def command(desk: Desk, name: str) -> Command:
    method: Command = getattr(desk.service, name)
    return method


def absent_error(application_id: str) -> NotFound:
    """Return the error an empty repository answers for ``application_id``."""
    empty = Desk(T0)
    with pytest.raises(NotFound) as raised:
        empty.service.get(application_id, by=ADMIN)
    return raised.value


# -- SEC-1: another tenant's application is absent ---------------------------------------------


def test_sec_1_another_tenants_administrator_cannot_withdraw_an_application() -> None:
    """Issue 9's headline: knowing the id is not enough to withdraw another tenant's change."""
    desk = windowed_desk()
    before = desk.state()
    with pytest.raises(NotFound) as raised:
        desk.service.withdraw("idc-1", by=OTHER_ADMIN)
    absent = absent_error("idc-1")
    assert (str(raised.value), raised.value.kind, raised.value.id) == (
        str(absent),
        absent.kind,
        absent.id,
    )
    assert desk.state() == before
    assert desk.service.get("idc-1", by=ADMIN).status is S.PENDING


@pytest.mark.parametrize("name", NAMES)
def test_sec_1_another_customers_application_answers_as_an_absent_one(name: str) -> None:
    desk = windowed_desk()
    ready(desk, name)
    before = desk.state()
    with pytest.raises(NotFound) as foreign:
        command(desk, name)("idc-1", by=OTHER_ADMIN)
    with pytest.raises(NotFound) as absent:
        command(desk, name)("idc-404", by=ADMIN)
    assert str(foreign.value) == str(absent_error("idc-1"))
    assert str(absent.value) == str(absent_error("idc-404"))
    assert type(foreign.value) is type(absent.value) is NotFound
    assert desk.state() == before


@pytest.mark.parametrize("name", NAMES)
def test_sec_1_a_contractor_principal_sees_no_id_change_application(name: str) -> None:
    desk = windowed_desk()
    ready(desk, name)
    before = desk.state()
    with pytest.raises(NotFound) as raised:
        command(desk, name)("idc-1", by=Principal.contractor("cust-1"))
    assert str(raised.value) == str(absent_error("idc-1"))
    assert desk.state() == before


def test_sec_1_a_customer_applies_only_for_itself() -> None:
    desk = Desk(T0)
    desk.submit("idc-1", by=OTHER_ADMIN)
    stored = desk.service.get("idc-1", by=OTHER_ADMIN)
    assert stored.customer_id == "cust-2"
    with pytest.raises(NotFound):
        desk.service.get("idc-1", by=ADMIN)


def test_sec_1_submitting_with_a_taken_id_is_refused_alike_whoever_holds_it() -> None:
    """idc-1 is cust-1's (moved on to 処理中): cust-1 and cust-2 get the same answer."""
    desk = windowed_desk()
    desk.service.report_applied("idc-1", by=OPERATOR)
    before = desk.state()
    errors = []
    for by in (ADMIN, OTHER_ADMIN):
        with pytest.raises(ValidationError) as raised:
            desk.submit("idc-1", by=by, service=Service.GOOGLE_WORKSPACE)
        errors.append((str(raised.value), raised.value.field, raised.value.rule))
        assert not isinstance(raised.value, ConcurrencyConflict)
    assert (
        errors[0]
        == errors[1]
        == (
            (
                "SEC-1: application_id 'idc-1' cannot be used; choose another application_id"
                " (generate one, e.g. with uuid4)"
            ),
            "application_id",
            "SEC-1",
        )
    )
    assert desk.state() == before
    assert desk.submit("idc-2", by=OTHER_ADMIN).customer_id == "cust-2"  # a free id works


def test_sec_1_a_foreign_id_is_refused_without_confirming_the_other_customers_application() -> None:
    """The trial's leak: cust-2 read "'idc-1' is already taken" while get answered NotFound.

    The id space is one across customers, so cust-2 cannot have idc-1; the refusal is
    the one cust-1 gets for its own id, and says nothing of who holds it or its version.
    """
    desk = windowed_desk()
    before = desk.state()
    holder = desk.service.get("idc-1", by=ADMIN)
    with pytest.raises(NotFound) as looked_up:
        desk.service.get("idc-1", by=OTHER_ADMIN)
    assert str(looked_up.value) == str(absent_error("idc-1"))
    refusals = []
    for by in (OTHER_ADMIN, ADMIN):
        with pytest.raises(ValidationError) as raised:
            desk.submit("idc-1", by=by)
        refusals.append(raised.value)
    foreign, own = refusals
    assert foreign == own  # the same class, text, field and rule: nothing tells them apart
    assert type(foreign) is ValidationError
    text = str(foreign).lower()
    assert not any(word in text for word in ("taken", "exist", "cust-1", "version"))
    assert foreign.__cause__ is None
    assert foreign.__suppress_context__
    assert foreign.explain("ja") == own.explain("ja")
    assert desk.state() == before
    assert desk.service.get("idc-1", by=ADMIN) == holder


def test_sec_1_an_application_is_the_tenants_so_another_of_its_administrators_may_withdraw() -> (
    None
):
    desk = windowed_desk()
    colleague = Principal.customer("cust-1", user_id="cust-1-second-admin", role=Role.ADMIN)
    assert desk.service.withdraw("idc-1", by=colleague).status is S.WITHDRAWN


@pytest.mark.parametrize(
    "by",
    [OPERATOR, SYSTEM, Principal.contractor("cust-1")],
    ids=["operator", "system", "contractor"],
)
def test_sec_1_only_the_customer_submits(by: Principal) -> None:
    desk = Desk(T0)
    with pytest.raises(PermissionDenied) as raised:
        desk.submit(by=by)
    assert raised.value.rule == "SEC-1"
    assert desk.snapshot() == (0, [])


@pytest.mark.parametrize(
    "by", [ADMIN, Principal.contractor("cust-1")], ids=["customer", "contractor"]
)
def test_sec_1_only_the_system_or_an_operator_runs_the_sweep(by: Principal) -> None:
    desk = Desk(jst(2026, 5, 20, 10, 0))
    desk.submit()
    before = desk.state()
    with pytest.raises(PermissionDenied) as raised:
        desk.service.apply_due(jst(2026, 6, 1, 12, 0), by=by)
    assert raised.value.rule == "SEC-1"
    assert desk.state() == before
    assert desk.service.apply_due(jst(2026, 6, 1, 12, 0), by=OPERATOR) == ("idc-1",)


def test_sec_1_the_chart_refuses_a_customer_the_operators_commands_on_its_own_application() -> None:
    desk = windowed_desk()
    before = desk.state()
    with pytest.raises(PermissionDenied):
        desk.service.report_applied("idc-1", by=ADMIN)
    assert desk.state() == before


# -- SEC-2: no fail-open values ----------------------------------------------------------------


class Foreign(enum.Enum):
    ADMIN = "admin"


@pytest.mark.parametrize(
    "role",
    [None, Foreign.ADMIN, Actor.CUSTOMER],
    ids=["no role", "a foreign enum's admin", "an actor"],
)
def test_sec_2_a_customer_principal_needs_an_accounts_role(role: enum.Enum | None) -> None:
    """A role that is not an accounts.Role is refused, never taken for an administrator."""
    desk = windowed_desk()
    by = Principal.customer("cust-1", user_id="u-9", role=role)
    before = desk.state()
    acts: list[Callable[[], object]] = [
        lambda: desk.submit("idc-2", by=by, service=Service.LINE_WORKS),
        lambda: desk.service.withdraw("idc-1", by=by),
        lambda: desk.service.get("idc-1", by=by),
    ]
    for act in acts:
        with pytest.raises(ValidationError) as raised:
            act()
        assert (raised.value.field, raised.value.rule) == ("by", "SEC-2")
    assert desk.state() == before


@pytest.mark.parametrize(
    "by", ["admin", None, Role.ADMIN, Actor.CUSTOMER, ("cust-1", Role.ADMIN)], ids=repr
)
def test_sec_2_by_must_be_a_principal(by: Any) -> None:
    desk = windowed_desk()
    before = desk.state()
    acts: list[Callable[[], object]] = [
        lambda: desk.submit("idc-2", by=by, service=Service.LINE_WORKS),
        lambda: desk.service.withdraw("idc-1", by=by),
        lambda: desk.service.complete("idc-1", by=by),
        lambda: desk.service.get("idc-1", by=by),
        lambda: desk.service.apply_due(jst(2026, 7, 1), by=by),
    ]
    for act in acts:
        with pytest.raises(ValidationError) as raised:
            act()
        assert raised.value.field == "by"
    assert desk.state() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("service", "google_workspace"),
        ("service", "Google Workspace"),
        ("service", None),
        ("service", Role.ADMIN),
        ("target", "next_month"),
        ("target", "翌月"),
        ("target", None),
        ("target", Service.EMM),
        ("term", "monthly"),
        ("term", None),
        ("term", Role.USER),
    ],
)
def test_sec_2_submit_refuses_a_plain_string_a_label_none_or_a_foreign_member(
    field: str, value: object
) -> None:
    desk = Desk(T0)
    form: dict[str, Any] = {field: value}
    with pytest.raises(ValidationError) as raised:
        desk.submit(**form)
    assert raised.value.field == field
    assert desk.snapshot() == (0, [])


@pytest.mark.parametrize("application_id", [None, ["idc-1"], {"idc-1": 1}, "", " ", "x" * 10_000])
def test_sec_2_an_application_id_must_be_a_short_printable_string(application_id: Any) -> None:
    desk = windowed_desk()
    before = desk.state()
    with pytest.raises(ValidationError) as raised:
        desk.service.withdraw(application_id, by=ADMIN)
    assert raised.value.field == "application_id"
    assert len(str(raised.value)) < 200
    with pytest.raises(ValidationError):
        desk.submit(application_id)
    assert desk.state() == before


@pytest.mark.parametrize("field", ["applications", "clock"])
@pytest.mark.parametrize("value", [None, "repository", []])
def test_sec_2_the_service_refuses_what_is_not_a_port(field: str, value: object) -> None:
    ports: dict[str, Any] = {
        "applications": InMemoryIdChangeRepository(InMemoryOutbox()),
        "clock": Desk(T0).clock,
        field: value,
    }
    with pytest.raises(ValidationError) as raised:
        IdChangeService(**ports)
    assert raised.value.field == field


def test_sec_2_a_calendar_must_be_a_business_calendar() -> None:
    with pytest.raises(ValidationError) as raised:
        IdChangeService(
            applications=InMemoryIdChangeRepository(InMemoryOutbox()),
            clock=Desk(T0).clock,
            calendar="japan",  # type: ignore[arg-type]
        )
    assert raised.value.field == "calendar"


# -- SEC-3: stale screens ----------------------------------------------------------------------


@pytest.mark.parametrize(("name", "by"), VERSIONED)
def test_sec_3_a_stale_expected_version_is_a_conflict_and_changes_nothing(
    name: str, by: Principal
) -> None:
    desk = windowed_desk()
    ready(desk, name)
    seen = desk.service.get("idc-1", by=ADMIN).version
    before = desk.state()
    with pytest.raises(ConcurrencyConflict) as raised:
        command(desk, name)("idc-1", by=by, expected_version=seen - 1)
    assert (raised.value.expected_version, raised.value.actual_version) == (seen - 1, seen)
    assert desk.state() == before


@pytest.mark.parametrize(("name", "by"), VERSIONED)
def test_sec_3_the_version_the_screen_showed_lets_the_command_through(
    name: str, by: Principal
) -> None:
    desk = windowed_desk()
    ready(desk, name)
    seen = desk.service.get("idc-1", by=ADMIN).version
    assert command(desk, name)("idc-1", by=by, expected_version=seen).version == seen + 1


@pytest.mark.parametrize("version", ["1", 1.0, True, -1, [1]])
def test_sec_3_an_expected_version_must_be_a_non_negative_int(version: object) -> None:
    desk = windowed_desk()
    before = desk.state()
    with pytest.raises(ValidationError) as raised:
        desk.service.withdraw("idc-1", by=ADMIN, expected_version=version)  # type: ignore[arg-type]
    assert raised.value.field == "expected_version"
    assert desk.state() == before


# -- races: a lost race is a conflict, never a time-order error --------------------------------


class TickingClock:
    """A clock that moves one second forward every time it is read."""

    def __init__(self, now: datetime) -> None:
        self._now = now

    def now(self) -> datetime:
        self._now += timedelta(seconds=1)
        return self._now


class RacingRepository(InMemoryIdChangeRepository):
    """Runs ``race`` once inside the next ``get``: ``before`` or ``after`` reading the store."""

    race: Callable[[], object] | None = None
    when: str = "before"

    def get(self, aggregate_id: str) -> IdChangeApplication:
        race, self.race = self.race, None
        if race is not None and self.when == "before":
            race()
        loaded: IdChangeApplication = super().get(aggregate_id)
        if race is not None and self.when == "after":
            race()
        return loaded


def racing_desk(when: str) -> tuple[IdChangeService, RacingRepository, IdChangeService]:
    repo = RacingRepository(InMemoryOutbox())
    repo.when = when
    clock = TickingClock(T0)
    service = IdChangeService(applications=repo, clock=clock)
    rival = IdChangeService(applications=repo, clock=clock)
    service.submit(
        "idc-1",
        by=ADMIN,
        contact_email="admin@example.co.jp",
        service=Service.M365_ADDONS,
        target=Target.CURRENT_MONTH,
        delta=1,
        current_count=10,
        consented=True,
    )
    return service, repo, rival


def test_sec_3_a_change_saved_just_before_the_load_is_seen_not_a_time_order_error() -> None:
    service, repo, rival = racing_desk("before")
    repo.race = lambda: rival.report_applied("idc-1", by=OPERATOR)
    assert service.complete("idc-1", by=OPERATOR).status is S.DONE


def test_sec_3_a_change_saved_between_load_and_save_is_a_conflict_that_changes_nothing() -> None:
    service, repo, rival = racing_desk("after")
    repo.race = lambda: rival.report_applied("idc-1", by=OPERATOR)
    with pytest.raises(ConcurrencyConflict):
        service.withdraw("idc-1", by=ADMIN)
    stored = repo.get("idc-1")
    assert (stored.status, stored.version) == (S.PROCESSING, 2)
    assert [r.event.name for r in repo.outbox.records()] == ["IdChangeAccepted", "IdChangeApplied"]
