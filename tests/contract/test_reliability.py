"""Random commands, clock moves, sweeps, notifier failures and stale saves (CON-*, PORT-*).

A Hypothesis state machine drives the contract service and checks, after every step:
the status agrees with the timeline, refused commands changed nothing (contract, outbox and
user directory), every event is delivered at least once and no key is marked delivered
twice, and no contract is ever reinstated after its deadline. The principals are mostly
the contract's own contractor, sometimes anyone (SEC-1), and the screens sometimes stale
(SEC-3).
"""

from __future__ import annotations

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from omakase_core import ConcurrencyConflict, OmakaseError
from omakase_core.contract import (
    ContractReinstated,
    ContractService,
    ContractStatus,
    DirectoryRole,
)
from omakase_core.delivery import RetryPolicy, deliver_pending
from omakase_core.messages import render
from omakase_core.principal import Principal
from omakase_core.testing import (
    FixedClock,
    InMemoryContractRepository,
    InMemoryOutbox,
    InMemoryUserDirectory,
    RecordingNotifier,
)
from tests.contract.conftest import HEIR, OWNER, PORTAL_USER, SETTINGS, STAFF, SYSTEM, T0

IDS = ("c-1", "c-2")
OWN = "own contractor"
# Mostly the contract's own contractor, who may act; sometimes anyone, who mostly may not.
PRINCIPALS = st.one_of(
    st.just(OWN),
    st.sampled_from(
        [OWN, PORTAL_USER, STAFF, SYSTEM, Principal.contractor("c-1"), Principal.contractor("c-9")]
    ),
)
CONTRACT_IDS = st.sampled_from(IDS)
# Mostly no version, sometimes the right one, sometimes a stale one (SEC-3).
VERSIONS = st.sampled_from(["none", "none", "right", "stale"])


PATIENT = RetryPolicy(max_attempts=1000)
"""Enough attempts that no record is dead-lettered here (PORT-6 has its own tests)."""


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
            self.service.open_contract(contract_id, contractor=OWNER, by=STAFF)
        self.marked: set[str] = set()
        self.swept_at: dict[str, object] = {}

    def _snapshot(self, contract_id: str) -> object:
        return (
            self.contracts.get(contract_id),
            self.outbox.records(),
            self.directory.accounts(contract_id),
        )

    def _attempt(
        self, contract_id: str, command: str, who: Principal | str, version: str, **kwargs: object
    ) -> None:
        by = Principal.contractor(contract_id) if who == OWN else who
        stored = self.contracts.get(contract_id).version
        expected = {"none": None, "right": stored, "stale": stored - 1}[version]
        before = self._snapshot(contract_id)
        try:
            getattr(self.service, command)(contract_id, by=by, expected_version=expected, **kwargs)
        except OmakaseError:
            assert self._snapshot(contract_id) == before
        else:
            if version == "stale":  # only a repeated first login may pass, and it records nothing
                assert command == "record_first_login", "a stale screen acted (SEC-3)"
                assert self._snapshot(contract_id) == before

    @rule(contract_id=CONTRACT_IDS, who=PRINCIPALS, version=VERSIONS)
    def terminate(self, contract_id: str, who: Principal | str, version: str) -> None:
        self._attempt(contract_id, "request_termination", who, version)

    @rule(contract_id=CONTRACT_IDS, who=PRINCIPALS, version=VERSIONS)
    def reinstate(self, contract_id: str, who: Principal | str, version: str) -> None:
        self._attempt(contract_id, "reinstate", who, version)

    @rule(
        contract_id=CONTRACT_IDS,
        who=PRINCIPALS,
        version=VERSIONS,
        email=st.sampled_from([HEIR.email, "bad"]),
    )
    def request_change(
        self, contract_id: str, who: Principal | str, version: str, email: str
    ) -> None:
        self._attempt(
            contract_id, "request_contractor_change", who, version, name=HEIR.name, email=email
        )

    @rule(contract_id=CONTRACT_IDS, who=PRINCIPALS, version=VERSIONS)
    def cancel_change(self, contract_id: str, who: Principal | str, version: str) -> None:
        self._attempt(contract_id, "cancel_contractor_change", who, version)

    @rule(
        contract_id=CONTRACT_IDS,
        who=PRINCIPALS,
        version=VERSIONS,
        email=st.sampled_from([HEIR.email, OWNER.email]),
    )
    def first_login(self, contract_id: str, who: Principal | str, version: str, email: str) -> None:
        self._attempt(contract_id, "record_first_login", who, version, login_email=email)

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
        self.service.apply_due(now, by=SYSTEM)
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
    def deliver(self, failures: int, clock: FixedClock | None = None) -> None:
        self.notifier.fail_next(failures)
        report = deliver_pending(
            self.outbox, self.notifier, clock=clock or self.clock, settings=SETTINGS, policy=PATIENT
        )
        assert not (set(report.delivered) & self.marked), "a key was marked delivered twice"
        self.marked.update(report.delivered)

    @precondition(lambda self: self.outbox.pending())
    @rule()
    def deliver_with_a_healthy_notifier(self) -> None:
        """Once every backoff has passed (PORT-6: at most the cap), everything goes out."""
        self.notifier.heal()
        self.deliver(0, clock=FixedClock(self.clock.now() + PATIENT.cap + PATIENT.cap))
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
