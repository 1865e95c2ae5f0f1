"""The port contract suite: prove an adapter behaves like the in-memory ones (PORT-1 … PORT-3).

Subclass the suite in your own tests and say how to build a fresh pair of adapters::

    class TestSqlPorts(ContractPortsContract):
        def make_ports(self) -> tuple[ContractRepository, Outbox]:
            store = MySqlStore(fresh_test_database())
            return store.contracts, store.outbox

pytest then runs every ``test_…`` method below against your adapters. The methods use
plain ``assert`` and import nothing from pytest, so the suite also runs under unittest
discovery with a small shim, and importing ``omakase_core.testing`` needs no test tool.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

import attrs

from omakase_core.calendar import JST
from omakase_core.contract.aggregate import Contract
from omakase_core.contract.model import (
    AdminAccount,
    CompletedChange,
    Contractor,
    ContractStatus,
    TerminationRequested,
)
from omakase_core.delivery import deliver_pending
from omakase_core.errors import ConcurrencyConflict, NotFound, ValidationError
from omakase_core.lifecycle import Actor
from omakase_core.messages import NotificationSettings
from omakase_core.testing._clock import FixedClock
from omakase_core.testing._memory import RecordingNotifier

if TYPE_CHECKING:
    from collections.abc import Callable

    from omakase_core.contract.ports import ContractRepository
    from omakase_core.ports import Outbox

__all__ = ["ContractPortsContract", "ContractRepositoryContract", "OutboxContract"]

T0 = datetime(2026, 11, 1, 10, 0, tzinfo=JST)
SETTINGS = NotificationSettings(
    contractor_login_url="https://portal.example.jp/contractor/login",
    first_login_url="https://portal.example.jp/first-login",
)
E = TypeVar("E", bound=BaseException)


def _raises(error: type[E], call: Callable[[], object]) -> E:
    try:
        call()
    except error as raised:
        return raised
    msg = f"expected {error.__name__}"
    raise AssertionError(msg)


def _contract(number: int = 1) -> Contract:
    return Contract.open(
        id=f"contract-{number}",
        contractor=Contractor(name="山田 太郎", email=f"owner{number}@example.co.jp"),
        opened_at=T0,
    )


def _terminated(repo: ContractRepository, number: int = 1, *, at: datetime = T0) -> Contract:
    """Add contract ``number`` and terminate it at ``at``; return what was stored."""
    repo.add(_contract(number))
    stored = repo.get(f"contract-{number}")
    terminated = stored.request_termination(actor=Actor.CONTRACTOR, at=at)
    repo.save(terminated, expected_version=stored.version)
    return repo.get(stored.id)


class _Ports:
    def make_ports(self) -> tuple[ContractRepository, Outbox]:
        """Return a fresh, empty repository and the outbox it writes to."""
        raise NotImplementedError


class ContractRepositoryContract(_Ports):
    """What every :class:`~omakase_core.ports.ContractRepository` must do (PORT-2, PORT-3)."""

    def test_port_2_an_added_contract_is_returned_at_its_version(self) -> None:
        repo, _ = self.make_ports()
        contract = _contract()
        repo.add(contract)
        assert repo.get(contract.id) == contract
        assert repo.get(contract.id).version == 0

    def test_port_2_get_of_an_unknown_id_raises_not_found(self) -> None:
        repo, _ = self.make_ports()
        raised = _raises(NotFound, lambda: repo.get("contract-404"))
        assert raised.id == "contract-404"

    def test_port_2_adding_an_existing_id_is_a_conflict_and_changes_nothing(self) -> None:
        repo, outbox = self.make_ports()
        stored = _terminated(repo)
        raised = _raises(ConcurrencyConflict, lambda: repo.add(_contract()))
        assert raised.actual_version == stored.version
        assert repo.get(stored.id) == stored
        assert len(outbox.pending()) == 1

    def test_port_3_a_save_stores_the_state_and_each_event_in_the_outbox(self) -> None:
        repo, outbox = self.make_ports()
        stored = _terminated(repo)
        assert stored.status is ContractStatus.TERMINATED
        assert stored.version == 1
        assert stored.pending_events == ()
        (record,) = outbox.pending()
        assert isinstance(record.event, TerminationRequested)
        assert record.key == record.event.idempotency_key == "contract:contract-1:1"
        assert record.event.timeline == stored.termination
        assert not record.is_delivered

    def test_port_3_events_survive_the_round_trip_unchanged(self) -> None:
        repo, outbox = self.make_ports()
        stored = _terminated(repo)
        reinstated = stored.reinstate(actor=Actor.CONTRACTOR, at=T0 + timedelta(days=3))
        repo.save(reinstated, expected_version=stored.version)
        assert [r.event for r in outbox.pending()] == [
            *(_terminated_events(stored)),
            *reinstated.pending_events,
        ]
        assert repo.get(stored.id) == reinstated.saved()

    def test_port_2_a_stale_save_is_a_conflict_and_changes_nothing(self) -> None:
        repo, outbox = self.make_ports()
        repo.add(_contract())
        first = repo.get("contract-1")
        winner = first.request_termination(actor=Actor.CONTRACTOR, at=T0)
        repo.save(winner, expected_version=first.version)
        change = first.request_contractor_change(
            actor=Actor.CONTRACTOR,
            new=Contractor(name="佐藤 花子", email="hanako@example.co.jp"),
            at=T0,
        )
        raised = _raises(
            ConcurrencyConflict, lambda: repo.save(change, expected_version=first.version)
        )
        assert (raised.expected_version, raised.actual_version) == (0, 1)
        assert repo.get("contract-1") == winner.saved()
        assert [r.key for r in outbox.pending()] == ["contract:contract-1:1"]

    def test_port_2_saving_a_contract_that_was_never_added_is_a_conflict(self) -> None:
        repo, outbox = self.make_ports()
        contract = _contract().request_termination(actor=Actor.CONTRACTOR, at=T0)
        raised = _raises(ConcurrencyConflict, lambda: repo.save(contract, expected_version=0))
        assert raised.actual_version is None
        assert outbox.pending() == []
        _raises(NotFound, lambda: repo.get(contract.id))

    def test_port_3_a_save_whose_events_do_not_fit_writes_nothing(self) -> None:
        repo, outbox = self.make_ports()
        stored = _terminated(repo)
        reinstated = stored.reinstate(actor=Actor.CONTRACTOR, at=T0 + timedelta(days=1))
        broken = attrs.evolve(reinstated, pending_events=())  # version 2 but no event 2
        _raises(ValidationError, lambda: repo.save(broken, expected_version=stored.version))
        assert repo.get(stored.id) == stored
        assert len(outbox.pending()) == 1

    def test_con_8_a_completed_contractor_change_survives_the_round_trip(self) -> None:
        repo, outbox = self.make_ports()
        repo.add(_contract())
        stored = repo.get("contract-1")
        heir = Contractor(name="佐藤 花子", email="hanako@example.co.jp")
        pending = stored.request_contractor_change(actor=Actor.CONTRACTOR, new=heir, at=T0)
        repo.save(pending, expected_version=stored.version)
        completed = repo.get("contract-1").complete_contractor_change(
            actor=Actor.CONTRACTOR,
            login_email=heir.email,
            at=T0 + timedelta(hours=1),
            admin_account=AdminAccount.RAISED,
        )
        repo.save(completed, expected_version=pending.version)
        loaded = repo.get("contract-1")
        assert loaded == completed.saved()
        assert loaded.completed_change == CompletedChange(
            version=2, admin_account=AdminAccount.RAISED
        )
        assert [r.key for r in outbox.pending()] == [
            "contract:contract-1:1",
            "contract:contract-1:2",
        ]

    def test_con_5_due_returns_exactly_the_contracts_whose_deadline_came(self) -> None:
        repo, _ = self.make_ports()
        early = _terminated(repo, 1, at=T0)
        _terminated(repo, 2, at=T0 + timedelta(days=5))
        repo.add(_contract(3))
        ends = early.termination.service_ends_at  # type: ignore[union-attr]
        assert [c.id for c in repo.due(ends - timedelta(microseconds=1))] == []
        assert [c.id for c in repo.due(ends)] == ["contract-1"]
        assert sorted(c.id for c in repo.due(T0 + timedelta(days=60))) == [
            "contract-1",
            "contract-2",
        ]

    def test_con_5_a_swept_contract_leaves_the_due_list_once_purged(self) -> None:
        repo, _ = self.make_ports()
        stored = _terminated(repo)
        later = T0 + timedelta(days=60)
        purged = stored.apply_due(later)
        repo.save(purged, expected_version=stored.version)
        assert repo.get(stored.id).status is ContractStatus.PURGED
        assert list(repo.due(later)) == []


def _terminated_events(stored: Contract) -> list[TerminationRequested]:
    timeline = stored.termination
    assert timeline is not None
    return [
        TerminationRequested(
            aggregate_id=stored.id,
            version=1,
            occurred_at=timeline.requested_at,
            contractor=stored.contractor,
            timeline=timeline,
        )
    ]


class OutboxContract(_Ports):
    """What every :class:`~omakase_core.ports.Outbox` must do with delivery (PORT-3)."""

    def test_port_3_pending_lists_records_oldest_first_up_to_a_limit(self) -> None:
        repo, outbox = self.make_ports()
        for number in (1, 2, 3):
            _terminated(repo, number)
        keys = [f"contract:contract-{n}:1" for n in (1, 2, 3)]
        assert [r.key for r in outbox.pending()] == keys
        assert [r.key for r in outbox.pending(limit=2)] == keys[:2]

    def test_port_3_a_key_is_marked_delivered_once(self) -> None:
        repo, outbox = self.make_ports()
        _terminated(repo)
        at = T0 + timedelta(minutes=1)
        assert outbox.mark_delivered("contract:contract-1:1", at=at) is True
        assert outbox.mark_delivered("contract:contract-1:1", at=at + timedelta(hours=1)) is False
        record = outbox.get("contract:contract-1:1")
        assert record.delivered_at == at
        assert outbox.pending() == []

    def test_port_3_marking_an_unknown_key_raises_not_found(self) -> None:
        _, outbox = self.make_ports()
        _raises(NotFound, lambda: outbox.mark_delivered("contract:nobody:1", at=T0))
        _raises(NotFound, lambda: outbox.get("contract:nobody:1"))

    def test_port_3_a_notifier_failure_keeps_the_record_and_a_retry_delivers_it(self) -> None:
        repo, outbox = self.make_ports()
        _terminated(repo)
        notifier = RecordingNotifier()
        clock = FixedClock(T0)
        notifier.fail_next(1)
        first = deliver_pending(outbox, notifier, clock=clock, settings=SETTINGS)
        assert first.delivered == ()
        assert [key for key, _ in first.failed] == ["contract:contract-1:1"]
        assert [r.key for r in outbox.pending()] == ["contract:contract-1:1"]
        second = deliver_pending(outbox, notifier, clock=clock, settings=SETTINGS)
        assert second.delivered == ("contract:contract-1:1",)
        assert notifier.keys() == ["contract:contract-1:1/contractor"]
        assert outbox.pending() == []

    def test_port_3_a_delivered_record_is_not_sent_again(self) -> None:
        repo, outbox = self.make_ports()
        _terminated(repo)
        notifier = RecordingNotifier()
        clock = FixedClock(T0)
        deliver_pending(outbox, notifier, clock=clock, settings=SETTINGS)
        again = deliver_pending(outbox, notifier, clock=clock, settings=SETTINGS)
        assert again.delivered == ()
        assert again.messages_sent == 0
        assert notifier.keys() == ["contract:contract-1:1/contractor"]


class ContractPortsContract(ContractRepositoryContract, OutboxContract):
    """The whole suite for a contract repository and its outbox."""
