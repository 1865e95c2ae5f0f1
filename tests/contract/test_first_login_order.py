"""CON-8 under races and crashes: the contract is saved first, the user directory after it.

A first login that is refused or loses a race (``ConcurrencyConflict``) leaves the user
directory exactly as it was; a crash between the contract's save and the directory write
is finished by retrying the same command, or by ``finish_contractor_change`` (the event's
delivery), even after other commands changed the contract; the stored contract and outbox
are then as after one success.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from omakase_core import ConcurrencyConflict, InvalidTransition, Principal
from omakase_core.contract import (
    AdminAccount,
    Contract,
    Contractor,
    ContractorChangeCompleted,
    ContractService,
    ContractStatus,
    DirectoryRole,
)
from omakase_core.testing import InMemoryContractRepository, InMemoryUserDirectory
from tests.contract.conftest import CONTRACTOR, HEIR, STAFF, SYSTEM, World, make_world

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from datetime import datetime

    from omakase_core.events import Event


class RacingContracts:
    """A contract repository where another writer's save lands just before ours."""

    def __init__(self, inner: InMemoryContractRepository, other_writer: Callable[[], None]) -> None:
        self.inner = inner
        self.other_writer = other_writer

    def get(self, aggregate_id: str) -> Contract:
        return self.inner.get(aggregate_id)

    def add(self, aggregate: Contract) -> None:
        self.inner.add(aggregate)

    def due(self, now: datetime) -> Iterable[Contract]:
        return self.inner.due(now)

    def save(self, aggregate: Contract, *, expected_version: int) -> None:
        self.other_writer()
        self.inner.save(aggregate, expected_version=expected_version)

    def redact_events(self, aggregate_id: str, *, using: Callable[[Event], Event]) -> int:
        return self.inner.redact_events(aggregate_id, using=using)


class DirectoryDown(RuntimeError):
    """The crash a :class:`CrashingDirectory` simulates."""


class CrashingDirectory(InMemoryUserDirectory):
    """A user directory whose next write fails once, as a process dying mid-command would."""

    def __init__(self) -> None:
        super().__init__()
        self.crashes = 1

    def raise_to_administrator(self, contract_id: str, email: str) -> None:
        self._crash()
        super().raise_to_administrator(contract_id, email)

    def issue_administrator(self, contract_id: str, contractor: Contractor) -> None:
        self._crash()
        super().issue_administrator(contract_id, contractor)

    def _crash(self) -> None:
        if self.crashes:
            self.crashes -= 1
            raise DirectoryDown("the directory went away before the write")


def request_change(world: World) -> None:
    world.service.request_contractor_change("c-1", by=CONTRACTOR, name=HEIR.name, email=HEIR.email)


def with_account(world: World, role: DirectoryRole | None) -> None:
    if role is not None:
        world.directory.add_account("c-1", HEIR.email, name=HEIR.name, role=role)


ROLES = [
    pytest.param(None, id="no account: CON-8 would issue one"),
    pytest.param(DirectoryRole.USER, id="a general user: CON-8 would raise them"),
]


def cancel_concurrently(world: World) -> Callable[[], None]:
    """Return the old contractor's cancellation, saved between our load and our save (once)."""
    done: list[bool] = []

    def cancel() -> None:
        if not done:
            done.append(True)
            world.service.cancel_contractor_change("c-1", by=CONTRACTOR)

    return cancel


def stolen_save(world: World) -> Callable[[], None]:
    """Return another writer's first login, saved between our load and our save (once)."""
    done: list[bool] = []

    def login() -> None:
        if not done:
            done.append(True)
            contract = world.contracts.get("c-1")
            completed = contract.complete_contractor_change(
                actor=CONTRACTOR.actor,
                login_email=HEIR.email,
                at=world.clock.now(),
                admin_account=AdminAccount.KEPT,
            )
            world.contracts.save(completed, expected_version=contract.version)

    return login


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("race", [cancel_concurrently, stolen_save])
def test_con_8_a_first_login_that_loses_a_race_leaves_the_directory_as_it_was(
    world: World,
    role: DirectoryRole | None,
    race: Callable[[World], Callable[[], None]],
) -> None:
    with_account(world, role)
    request_change(world)
    directory_before = world.directory.accounts("c-1")
    racing = ContractService(
        contracts=RacingContracts(world.contracts, race(world)),
        clock=world.clock,
        directory=world.directory,
    )
    with pytest.raises(ConcurrencyConflict):
        racing.record_first_login("c-1", by=CONTRACTOR, login_email=HEIR.email)
    assert world.directory.accounts("c-1") == directory_before
    events = [record.event for record in world.outbox.records()]
    assert len(events) == 2  # the request and the other writer's event, nothing of ours


@pytest.mark.parametrize("role", ROLES)
def test_con_8_a_first_login_refused_after_a_cancellation_leaves_the_directory_alone(
    world: World, role: DirectoryRole | None
) -> None:
    with_account(world, role)
    request_change(world)
    world.service.cancel_contractor_change("c-1", by=CONTRACTOR)
    before = world.snapshot()
    with pytest.raises(InvalidTransition):
        world.service.record_first_login("c-1", by=CONTRACTOR, login_email=HEIR.email)
    assert world.snapshot() == before


def crashing_world(world: World) -> tuple[ContractService, CrashingDirectory]:
    directory = CrashingDirectory()
    service = ContractService(contracts=world.contracts, clock=world.clock, directory=directory)
    return service, directory


def one_success(role: DirectoryRole | None, at: datetime) -> World:
    """Return the same story in a fresh world where the first login at ``at`` succeeds."""
    control = make_world()
    control.clock.set(at)
    with_account(control, role)
    request_change(control)
    control.service.record_first_login("c-1", by=CONTRACTOR, login_email=HEIR.email)
    return control


@pytest.mark.parametrize("role", ROLES)
def test_con_8_a_crash_between_the_save_and_the_directory_write_is_finished_by_a_retry(
    world: World, role: DirectoryRole | None
) -> None:
    service, directory = crashing_world(world)
    if role is not None:
        directory.add_account("c-1", HEIR.email, name=HEIR.name, role=role)
    service.request_contractor_change("c-1", by=CONTRACTOR, name=HEIR.name, email=HEIR.email)
    seen = world.contracts.get("c-1").version
    first_attempt = world.clock.now()
    with pytest.raises(DirectoryDown):
        service.record_first_login(
            "c-1", by=CONTRACTOR, login_email=HEIR.email, expected_version=seen
        )
    assert world.contracts.get("c-1").contractor == HEIR  # the save happened
    assert directory.role_of("c-1", HEIR.email) is role  # the directory write did not
    world.clock.advance(minutes=1)
    retried = service.record_first_login(
        "c-1", by=CONTRACTOR, login_email=HEIR.email, expected_version=seen
    )
    assert directory.accounts("c-1") == {HEIR.email: (HEIR.name, DirectoryRole.ADMINISTRATOR)}
    assert retried.pending_events == ()
    control = one_success(role, first_attempt)
    assert world.contracts.get("c-1") == control.contracts.get("c-1")
    assert world.outbox.records() == control.outbox.records()


@pytest.mark.parametrize("role", [None, DirectoryRole.USER, DirectoryRole.ADMINISTRATOR])
def test_con_8_repeating_a_successful_first_login_doubles_nothing(
    world: World, role: DirectoryRole | None
) -> None:
    with_account(world, role)
    request_change(world)
    first = world.service.record_first_login("c-1", by=CONTRACTOR, login_email=HEIR.email)
    event = first.pending_events[-1]
    assert isinstance(event, ContractorChangeCompleted)
    before = world.snapshot()
    again = world.service.record_first_login("c-1", by=CONTRACTOR, login_email=HEIR.email)
    assert again == first.saved()
    assert world.snapshot() == before
    assert world.contracts.get("c-1").completed_change is not None


def test_con_8_once_the_contract_moved_on_a_repeated_first_login_still_records_nothing(
    world: World,
) -> None:
    request_change(world)
    world.service.record_first_login("c-1", by=CONTRACTOR, login_email=HEIR.email)
    world.service.request_termination("c-1", by=CONTRACTOR)
    world.directory.add_account(
        "c-1", "someone@example.co.jp", name="誰か", role=DirectoryRole.USER
    )
    before = world.snapshot()
    again = world.service.record_first_login("c-1", by=CONTRACTOR, login_email=HEIR.email)
    assert again == before[0]
    assert world.snapshot() == before


def test_con_8_a_retry_from_a_stale_screen_older_than_the_first_attempt_is_refused(
    world: World,
) -> None:
    request_change(world)
    world.service.record_first_login("c-1", by=CONTRACTOR, login_email=HEIR.email)
    before = world.snapshot()
    with pytest.raises(ConcurrencyConflict):
        world.service.record_first_login(
            "c-1", by=CONTRACTOR, login_email=HEIR.email, expected_version=0
        )
    assert world.snapshot() == before


def test_con_8_only_the_contractor_may_repeat_a_first_login(world: World) -> None:
    request_change(world)
    world.service.record_first_login("c-1", by=CONTRACTOR, login_email=HEIR.email)
    before = world.snapshot()
    for by in (Principal.customer("c-1"), STAFF):
        with pytest.raises(PermissionError):
            world.service.record_first_login("c-1", by=by, login_email=HEIR.email)
    assert world.snapshot() == before


# -- a crash, then other commands, then the directory step is finished ---------------------------

THIRD = Contractor(name="高橋 次郎", email="jiro@example.co.jp")

LATER: dict[str, Callable[[ContractService], object]] = {
    "a termination": lambda s: s.request_termination("c-1", by=CONTRACTOR),
    "a termination and a reinstatement": lambda s: (
        s.request_termination("c-1", by=CONTRACTOR),
        s.reinstate("c-1", by=CONTRACTOR),
    ),
    "a new pending contractor change": lambda s: s.request_contractor_change(
        "c-1", by=CONTRACTOR, name=THIRD.name, email=THIRD.email
    ),
}


def first_login_again(service: ContractService, seen: int | None) -> Contract:
    return service.record_first_login(
        "c-1", by=CONTRACTOR, login_email=HEIR.email, expected_version=seen
    )


def event_delivery(service: ContractService, _: int | None) -> Contract:
    return service.finish_contractor_change("c-1", by=SYSTEM)


FINISH = [
    pytest.param(first_login_again, id="the first login again"),
    pytest.param(event_delivery, id="the event's delivery"),
]


def crash_then(
    world: World, role: DirectoryRole | None, later: str
) -> tuple[ContractService, CrashingDirectory, int, datetime]:
    """Crash a first login after its save, then run ``later``; return what the retry needs."""
    service, directory = crashing_world(world)
    if role is not None:
        directory.add_account("c-1", HEIR.email, name=HEIR.name, role=role)
    service.request_contractor_change("c-1", by=CONTRACTOR, name=HEIR.name, email=HEIR.email)
    seen = world.contracts.get("c-1").version
    first_attempt = world.clock.now()
    with pytest.raises(DirectoryDown):
        service.record_first_login(
            "c-1", by=CONTRACTOR, login_email=HEIR.email, expected_version=seen
        )
    world.clock.advance(minutes=1)
    LATER[later](service)
    assert directory.role_of("c-1", HEIR.email) is role  # still not written
    world.clock.advance(minutes=1)
    return service, directory, seen, first_attempt


@pytest.mark.parametrize("finish", FINISH)
@pytest.mark.parametrize("later", list(LATER))
@pytest.mark.parametrize("role", ROLES)
def test_con_8_a_crash_is_finished_even_after_another_command_changed_the_contract(
    world: World,
    role: DirectoryRole | None,
    later: str,
    finish: Callable[[ContractService, int | None], Contract],
) -> None:
    service, directory, seen, first_attempt = crash_then(world, role, later)
    stored = world.contracts.get("c-1")
    assert stored.version > stored.completed_change.version  # type: ignore[union-attr]
    finished = finish(service, seen)
    assert directory.accounts("c-1") == {HEIR.email: (HEIR.name, DirectoryRole.ADMINISTRATOR)}
    assert finished == stored
    assert finished.pending_events == ()
    control = one_success(role, first_attempt)
    control.clock.advance(minutes=1)
    LATER[later](control.service)
    assert world.contracts.get("c-1") == control.contracts.get("c-1")
    assert world.outbox.records() == control.outbox.records()
    completions = [
        r for r in world.outbox.records() if isinstance(r.event, ContractorChangeCompleted)
    ]
    assert len(completions) == 1
    again = finish(service, seen)  # finishing twice writes and records nothing more
    assert again == stored
    assert directory.accounts("c-1") == {HEIR.email: (HEIR.name, DirectoryRole.ADMINISTRATOR)}
    assert world.outbox.records() == control.outbox.records()


@pytest.mark.parametrize("role", ROLES)
def test_con_8_a_retry_after_a_crash_from_a_screen_older_than_the_first_attempt_is_refused(
    world: World, role: DirectoryRole | None
) -> None:
    service, directory, seen, _ = crash_then(world, role, "a termination")
    before = (world.contracts.get("c-1"), world.outbox.records(), directory.accounts("c-1"))
    with pytest.raises(ConcurrencyConflict):
        first_login_again(service, seen - 1)
    assert (world.contracts.get("c-1"), world.outbox.records(), directory.accounts("c-1")) == before


def test_con_8_a_first_login_of_the_next_change_is_not_taken_for_a_retry(world: World) -> None:
    service, directory, _, _ = crash_then(world, None, "a new pending contractor change")
    completed = service.record_first_login("c-1", by=CONTRACTOR, login_email=THIRD.email)
    event = completed.pending_events[-1]
    assert isinstance(event, ContractorChangeCompleted)
    assert (completed.contractor, event.admin_account) == (THIRD, AdminAccount.ISSUED)
    assert completed.completed_change is not None
    assert completed.completed_change.version == completed.version
    assert directory.role_of("c-1", THIRD.email) is DirectoryRole.ADMINISTRATOR


def test_con_8_a_change_replaced_by_a_later_completion_is_not_finished(world: World) -> None:
    service, directory, _, _ = crash_then(world, None, "a new pending contractor change")
    service.record_first_login("c-1", by=CONTRACTOR, login_email=THIRD.email)
    before = (world.contracts.get("c-1"), world.outbox.records(), directory.accounts("c-1"))
    with pytest.raises(InvalidTransition, match="no contractor change is pending"):
        first_login_again(service, None)
    assert (world.contracts.get("c-1"), world.outbox.records(), directory.accounts("c-1")) == before
    service.finish_contractor_change("c-1", by=SYSTEM)  # finishes the last one: THIRD's
    assert directory.accounts("c-1") == before[2]
    assert directory.role_of("c-1", HEIR.email) is None


def test_con_8_con_10_nothing_is_finished_once_the_contract_is_purged(world: World) -> None:
    service, directory, _, _ = crash_then(world, None, "a termination")
    world.service.apply_due(world.clock.advance(days=60), by=SYSTEM)
    assert world.contracts.get("c-1").status is ContractStatus.PURGED
    before = (world.contracts.get("c-1"), world.outbox.records(), directory.accounts("c-1"))
    assert service.finish_contractor_change("c-1", by=SYSTEM) == before[0]
    with pytest.raises(InvalidTransition):
        first_login_again(service, None)
    assert (world.contracts.get("c-1"), world.outbox.records(), directory.accounts("c-1")) == before


def test_con_8_finishing_when_no_change_was_ever_completed_is_refused(world: World) -> None:
    request_change(world)
    before = world.snapshot()
    with pytest.raises(InvalidTransition) as raised:
        world.service.finish_contractor_change("c-1", by=SYSTEM)
    assert raised.value.rule == "CON-8"
    assert world.snapshot() == before


@pytest.mark.parametrize("by", [CONTRACTOR, STAFF, SYSTEM])
def test_con_8_sec_3_finishing_checks_the_version_the_screen_showed(
    world: World, by: Principal
) -> None:
    request_change(world)
    world.service.record_first_login("c-1", by=CONTRACTOR, login_email=HEIR.email)
    stored = world.contracts.get("c-1")
    before = world.snapshot()
    for stale in (0, stored.version - 1, stored.version + 1):
        with pytest.raises(ConcurrencyConflict):
            world.service.finish_contractor_change("c-1", by=by, expected_version=stale)
        assert world.snapshot() == before
    finished = world.service.finish_contractor_change("c-1", by=by, expected_version=stored.version)
    assert finished == stored
    assert world.snapshot() == before
