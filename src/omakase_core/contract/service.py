"""Use cases of the contract over the ports: load, command, save (CON-1 … CON-9, PORT-2/3/4).

Each method loads the contract, runs the aggregate's command at the clock's "now", and
saves the result with the version it loaded; the repository writes the recorded events
to the outbox in the same unit of work. A command returns the contract as saved, with the
events it recorded still in ``pending_events`` for the caller to look at (the stored copy
has none). A refused command raises before anything is
written. Delivery of the resulting messages is
:func:`omakase_core.delivery.deliver_pending`'s job.

Decision (CON-8): when a contractor change completes, the directory is updated before the
contract is saved. Both directory writes are idempotent, so if the save then fails (a
concurrent change), retrying the whole command is safe; the other order could leave a
completed change without its administrator account.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from omakase_core.calendar import to_jst
from omakase_core.contract.aggregate import Contract
from omakase_core.contract.model import AdminAccount, Contractor, DirectoryRole
from omakase_core.contract.ports import ContractRepository, UserDirectory  # attrs fields
from omakase_core.errors import ConcurrencyConflict
from omakase_core.ports import Clock  # attrs fields

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from omakase_core.lifecycle import Actor

__all__ = ["ContractService", "SweepReport", "admin_account_for"]


def admin_account_for(role: DirectoryRole | None) -> AdminAccount:
    """Return what CON-8 does for a new contractor whose directory role is ``role``."""
    if role is DirectoryRole.ADMINISTRATOR:
        return AdminAccount.KEPT
    if role is DirectoryRole.USER:
        return AdminAccount.RAISED
    return AdminAccount.ISSUED


@attrs.frozen(kw_only=True)
class SweepReport:
    """What :meth:`ContractService.apply_due` did: contracts changed, and conflicts skipped."""

    changed: tuple[str, ...]
    events: int
    conflicts: tuple[str, ...]


@attrs.frozen(kw_only=True)
class ContractService:
    """The contract's commands for a portal, over its repository, clock and user directory."""

    contracts: ContractRepository
    clock: Clock
    directory: UserDirectory

    def open_contract(self, contract_id: str, *, contractor: Contractor) -> Contract:
        """Register a new 契約中 contract (no event: the rulebook starts at 契約中)."""
        contract = Contract.open(id=contract_id, contractor=contractor, opened_at=self._now())
        self.contracts.add(contract)
        return contract

    def get(self, contract_id: str) -> Contract:
        """Return the stored contract (``NotFound`` if there is none)."""
        return self.contracts.get(contract_id)

    def request_termination(self, contract_id: str, *, actor: Actor) -> Contract:
        """Terminate the contract now (CON-1 … CON-3, CON-9)."""
        now = self._now()
        return self._run(contract_id, lambda c: c.request_termination(actor=actor, at=now))

    def reinstate(self, contract_id: str, *, actor: Actor) -> Contract:
        """Reinstate the contract now, if before its deadline (CON-4)."""
        now = self._now()
        return self._run(contract_id, lambda c: c.reinstate(actor=actor, at=now))

    def request_contractor_change(
        self, contract_id: str, *, actor: Actor, name: str, email: str
    ) -> Contract:
        """Ask to hand the contract to the person named ``name`` at ``email`` (CON-7)."""
        new = Contractor(name=name, email=email)
        now = self._now()
        return self._run(
            contract_id, lambda c: c.request_contractor_change(actor=actor, new=new, at=now)
        )

    def cancel_contractor_change(self, contract_id: str, *, actor: Actor) -> Contract:
        """Withdraw the pending contractor change (CON-9)."""
        now = self._now()
        return self._run(contract_id, lambda c: c.cancel_contractor_change(actor=actor, at=now))

    def record_first_login(self, contract_id: str, *, login_email: str) -> Contract:
        """Complete the pending change on the new contractor's first login (CON-7, CON-8).

        The directory decides which of CON-8's three cases applies: an administrator keeps
        the account, a general user is raised to administrator, anyone else gets a new
        administrator account (and, through the event, a first-login notice).
        """
        now = self._now()
        contract = self.contracts.get(contract_id)
        change = contract.check_first_login(login_email=login_email, at=now)
        account = admin_account_for(self.directory.role_of(contract_id, change.new.email))
        completed = contract.complete_contractor_change(
            login_email=login_email, at=now, admin_account=account
        )
        if account is AdminAccount.RAISED:
            self.directory.raise_to_administrator(contract_id, change.new.email)
        elif account is AdminAccount.ISSUED:
            self.directory.issue_administrator(contract_id, change.new)
        self.contracts.save(completed, expected_version=contract.version)
        return completed

    def apply_due(self, now: datetime) -> SweepReport:
        """Apply every time-driven transition due at ``now`` to every contract (CON-5).

        Idempotent: a second run at the same ``now`` finds nothing due and records nothing.
        A contract changed concurrently is skipped and reported; the next sweep takes it.
        """
        instant = to_jst(now, field="now")
        changed: list[str] = []
        conflicts: list[str] = []
        events = 0
        for contract in list(self.contracts.due(instant)):
            updated = contract.apply_due(instant)
            if updated is contract:
                continue
            try:
                self.contracts.save(updated, expected_version=contract.version)
            except ConcurrencyConflict:
                conflicts.append(contract.id)
                continue
            changed.append(contract.id)
            events += len(updated.pending_events)
        return SweepReport(changed=tuple(changed), events=events, conflicts=tuple(conflicts))

    def _now(self) -> datetime:
        return to_jst(self.clock.now(), field="now")

    def _run(self, contract_id: str, command: Callable[[Contract], Contract]) -> Contract:
        contract = self.contracts.get(contract_id)
        updated = command(contract)
        self.contracts.save(updated, expected_version=contract.version)
        return updated
