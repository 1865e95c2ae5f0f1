"""Random commands, clock moves, sweeps, notifier failures and stale saves (CON-*, PORT-*).

A Hypothesis state machine drives the contract service and checks, after every step:
the status agrees with the timeline, refused commands changed nothing, every event is
delivered at least once and no key is marked delivered twice, and no contract is ever
reinstated after its deadline.
"""

from __future__ import annotations

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from omakase_core import Actor, ConcurrencyConflict, OmakaseError
from omakase_core.contract import (
    ContractReinstated,
    ContractService,
    ContractStatus,
    DirectoryRole,
)
from omakase_core.delivery import deliver_pending
from omakase_core.messages import render
from omakase_core.testing import (
    FixedClock,
    InMemoryContractRepository,
    InMemoryOutbox,
    InMemoryUserDirectory,
    RecordingNotifier,
)
from tests.contract.conftest import HEIR, OWNER, SETTINGS, T0

IDS = ("c-1", "c-2")
# Mostly the contractor, who may act; sometimes anyone, who mostly may not.
ACTORS = st.one_of(st.just(Actor.CONTRACTOR), st.sampled_from(list(Actor)))
CONTRACT_IDS = st.sampled_from(IDS)


class ContractLife(RuleBasedStateMachine):
    """CON-1 … CON-9 and PORT-2/PORT-3 under random use."""

    def __init__(self) -> None:
        super().__init__()
        self.clock = FixedClock(T0)
        self.outbox = InMemoryOutbox()
        self.contracts = InMemoryContractRepository(self.outbox)
        self.directory = InMemoryUserDirectory()
        self.directory.add_account("c-2", HEIR.email, name=HEIR.name, role=DirectoryRole.USER)
        self.notifier = RecordingNotifier()
        self.service = ContractService(
            contracts=self.contracts, clock=self.clock, directory=self.directory
        )
        for contract_id in IDS:
            self.service.open_contract(contract_id, contractor=OWNER)
        self.marked: set[str] = set()
        self.swept_at: dict[str, object] = {}

    def _attempt(self, contract_id: str, command: str, **kwargs: object) -> None:
        before = (self.contracts.get(contract_id), self.outbox.records())
        try:
            getattr(self.service, command)(contract_id, **kwargs)
        except OmakaseError:
            assert (self.contracts.get(contract_id), self.outbox.records()) == before

    @rule(contract_id=CONTRACT_IDS, actor=ACTORS)
    def terminate(self, contract_id: str, actor: Actor) -> None:
        self._attempt(contract_id, "request_termination", actor=actor)

    @rule(contract_id=CONTRACT_IDS, actor=ACTORS)
    def reinstate(self, contract_id: str, actor: Actor) -> None:
        self._attempt(contract_id, "reinstate", actor=actor)

    @rule(contract_id=CONTRACT_IDS, actor=ACTORS, email=st.sampled_from([HEIR.email, "bad"]))
    def request_change(self, contract_id: str, actor: Actor, email: str) -> None:
        self._attempt(
            contract_id, "request_contractor_change", actor=actor, name=HEIR.name, email=email
        )

    @rule(contract_id=CONTRACT_IDS, actor=ACTORS)
    def cancel_change(self, contract_id: str, actor: Actor) -> None:
        self._attempt(contract_id, "cancel_contractor_change", actor=actor)

    @rule(contract_id=CONTRACT_IDS, email=st.sampled_from([HEIR.email, OWNER.email]))
    def first_login(self, contract_id: str, email: str) -> None:
        self._attempt(contract_id, "record_first_login", login_email=email)

    @rule(
        minutes=st.one_of(
            st.integers(min_value=1, max_value=24 * 60),
            st.integers(min_value=24 * 60, max_value=20 * 24 * 60),
            st.sampled_from([14 * 24 * 60 - 600, 14 * 24 * 60 - 599, 45 * 24 * 60 - 600]),
        )
    )
    def time_passes(self, minutes: int) -> None:
        self.clock.advance(minutes=minutes)

    @rule()
    def sweep(self) -> None:
        now = self.clock.now()
        self.service.apply_due(now)
        for contract_id in IDS:
            contract = self.contracts.get(contract_id)
            assert contract.apply_due(now) is contract  # nothing left due
            self.swept_at[contract_id] = now

    @rule(contract_id=CONTRACT_IDS)
    def stale_save_is_refused(self, contract_id: str) -> None:
        stale = self.contracts.get(contract_id)
        fresh = stale.apply_due(self.clock.now())
        if fresh is stale:
            return
        self.contracts.save(fresh, expected_version=stale.version)
        before = (self.contracts.get(contract_id), self.outbox.records())
        try:
            self.contracts.save(fresh, expected_version=stale.version)
        except ConcurrencyConflict:
            pass
        else:
            raise AssertionError("a stale save was accepted")
        assert (self.contracts.get(contract_id), self.outbox.records()) == before

    @rule(failures=st.integers(min_value=0, max_value=3))
    def deliver(self, failures: int) -> None:
        self.notifier.fail_next(failures)
        report = deliver_pending(self.outbox, self.notifier, clock=self.clock, settings=SETTINGS)
        assert not (set(report.delivered) & self.marked), "a key was marked delivered twice"
        self.marked.update(report.delivered)

    @precondition(lambda self: self.outbox.pending())
    @rule()
    def deliver_with_a_healthy_notifier(self) -> None:
        self.notifier.heal()
        self.deliver(0)
        assert self.outbox.pending() == []

    @invariant()
    def the_status_agrees_with_the_timeline(self) -> None:
        now = self.clock.now()
        for contract_id in IDS:
            contract = self.contracts.get(contract_id)
            timeline = contract.termination
            if contract.status is ContractStatus.ACTIVE:
                assert timeline is None
                continue
            assert timeline is not None
            expected = contract.apply_due(now).status
            if now < timeline.service_ends_at:
                assert expected is ContractStatus.TERMINATED
            elif now < timeline.purge_at:
                assert expected is ContractStatus.SERVICE_ENDED
            else:
                assert expected is ContractStatus.PURGED
            if self.swept_at.get(contract_id) == now:
                assert contract.status is expected

    @invariant()
    def every_marked_record_was_sent_at_least_once(self) -> None:
        sent = set(self.notifier.keys())
        for record in self.outbox.records():
            if record.is_delivered:
                assert record.key in self.marked
                assert {m.key for m in render(record.event, SETTINGS)} <= sent
            else:
                assert record.key not in self.marked

    @invariant()
    def no_contract_is_reinstated_after_its_deadline(self) -> None:
        for record in self.outbox.records():
            event = record.event
            if isinstance(event, ContractReinstated):
                assert event.occurred_at < event.cancelled.reinstatable_until

    @invariant()
    def versions_count_the_events(self) -> None:
        for contract_id in IDS:
            stored = [r for r in self.outbox.records() if r.event.aggregate_id == contract_id]
            assert self.contracts.get(contract_id).version == len(stored)


ContractLife.TestCase.settings = settings(max_examples=60, stateful_step_count=40, deadline=None)
test_contract_life = ContractLife.TestCase
