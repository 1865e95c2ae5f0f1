"""Use cases of the contract over the ports: load, command, save (CON-1 … CON-9, PORT-2/3/4).

Every command and look-up takes ``by``, the :class:`~omakase_core.principal.Principal` who
acts (SEC-1), and every command ``expected_version``, the version the user's screen showed
(SEC-3). A command runs in this order: :func:`~omakase_core.principal.load_owned` (the
principal, the id, the stored contract, whose it is, the version), then the clock's "now"
(read after the load, so a lost race is a ``ConcurrencyConflict`` at save time, never a
time-order error), then the aggregate's command with ``actor=by.actor``, then the save with
the loaded version; the repository writes the recorded events to the outbox in the same
unit of work. A command returns the contract as saved, with the events it recorded still in
``pending_events`` for the caller to look at (the stored copy has none). A refused command
raises before anything is written. Delivery of the resulting messages is
:func:`omakase_core.delivery.deliver_pending`'s job.

Decisions (the rulebook is silent):

- SEC-1, who sees a contract: the operator and the system see every contract; the
  contractor (``Principal.contractor(contract_id)``) only its own; a customer-side user of
  the おまかせログイン portal (its administrators and users) is a customer principal whose
  ``customer_id`` is the contract id, and may look that contract up with :meth:`get`.
  Anyone else gets exactly the ``NotFound`` of an absent contract. A customer-side user's
  commands reach the aggregate, whose chart refuses them (``PermissionDenied``, CON-2:
  only the contractor), as it refuses the operator's and the system's.
- :meth:`ContractService.open_contract` is a back-office action: only an operator or the
  system registers a contract (``PermissionDenied`` naming SEC-1 otherwise). It takes no
  ``expected_version``: nothing is stored yet. An id already taken is one
  ``ValidationError`` naming ``contract_id`` (SEC-1, :func:`~omakase_core.principal.add_new`),
  never a ``ConcurrencyConflict`` giving the stored version away.
- :meth:`ContractService.record_first_login`: ``by`` is the *new* contractor logging in to
  the contract-management site, i.e. ``Principal.contractor(contract_id)``; the login e-mail
  says which person it is.
- :meth:`ContractService.apply_due` is the sweep (CON-5): only the system or an operator
  runs it (``PermissionDenied`` naming SEC-1 otherwise). At 登録抹消 it erases the
  personal data (CON-10): the contract's accounts leave the directory
  (``UserDirectory.remove_accounts``) and every stored event of the contract is redacted
  (``ContractRepository.redact_events`` with :func:`~omakase_core.contract.erase_personal_data`),
  then the purged contract, whose contractor is the erased marker, is saved. A sweep
  stopped halfway left the contract 利用終了 and due: the next one finishes the purge.

Decision (CON-8, the order of the two writes): a first login first saves the completed
contract, whose :class:`~omakase_core.contract.ContractorChangeCompleted` event records which
of CON-8's three cases applies, and only then writes the user directory (both directory
writes are idempotent). So a first login that is refused or loses a race
(``ConcurrencyConflict``) leaves the directory exactly as it was. A crash between the save
and the directory write is finished by retrying the same command, or by
:meth:`ContractService.finish_contractor_change` (what the delivery of the
:class:`~omakase_core.contract.ContractorChangeCompleted` event calls): the contract
remembers its last completion (:class:`~omakase_core.contract.CompletedChange`), and the new
contractor's repeated first login re-applies that directory step and records nothing —
however the contract moved on since (a termination, a new pending change), as long as that
completion is its last one and the service has not ended (利用終了, then 登録抹消: CON-10
removes the accounts, and nothing may write them again).
The ``expected_version`` of the first attempt (or of the completion) is accepted too. A
change that a later completion replaced is not finished: its contractor is no longer the
contractor, and CON-8 is about the contractor's account.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import attrs

from omakase_core._validation import count_validator, ids_validator, port_validator
from omakase_core.calendar import to_jst
from omakase_core.contract.aggregate import Contract
from omakase_core.contract.model import AdminAccount, Contractor, ContractStatus, new_contractor
from omakase_core.contract.ports import ContractRepository, UserDirectory  # attrs fields
from omakase_core.contract.rules import admin_account_for, erase_personal_data
from omakase_core.errors import (
    ConcurrencyConflict,
    InvalidTransition,
    PermissionDenied,
)
from omakase_core.ports import Clock  # attrs fields
from omakase_core.principal import (
    Principal,
    PrincipalKind,
    add_new,
    check_id,
    check_principal,
    check_version,
    load_owned,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

__all__ = ["ContractService", "SweepReport"]

_KIND: Final = "contract"
"""What ``NotFound`` calls a contract: the same word as the repository's (SEC-1)."""


def _own_id(contract: Contract) -> str:
    """Return the contract a contractor, or a user of that contract's portal, belongs to."""
    return contract.id


_ids = ids_validator("contract ids", "SEC-2")
_count = count_validator("SEC-2")


@attrs.frozen(kw_only=True)
class SweepReport:
    """What :meth:`ContractService.apply_due` did: contracts changed, and conflicts skipped."""

    changed: tuple[str, ...] = attrs.field(validator=_ids)
    events: int = attrs.field(validator=_count)
    conflicts: tuple[str, ...] = attrs.field(validator=_ids)


@attrs.frozen(kw_only=True)
class ContractService:
    """The contract's commands for a portal, over its repository, clock and user directory."""

    contracts: ContractRepository = attrs.field(
        validator=port_validator(
            "a ContractRepository", "get", "add", "save", "due", "redact_events"
        )
    )
    clock: Clock = attrs.field(validator=port_validator("a Clock", "now"))
    directory: UserDirectory = attrs.field(
        validator=port_validator(
            "a UserDirectory",
            "role_of",
            "raise_to_administrator",
            "issue_administrator",
            "remove_accounts",
        )
    )

    def open_contract(self, contract_id: str, *, contractor: Contractor, by: Principal) -> Contract:
        """Register a new 契約中 contract (no event: the rulebook starts at 契約中).

        Only an operator or the system registers contracts (SEC-1). Creation has no version,
        so there is no ``expected_version``; a taken ``contract_id`` is a ``ValidationError``
        naming it that gives nothing of the stored contract away (SEC-1).
        """
        self._back_office(by, "open_contract")
        identifier = check_id(contract_id, field="contract_id")
        contract = Contract.open(id=identifier, contractor=contractor, opened_at=self._now())
        add_new(self.contracts, contract, id=identifier, field="contract_id")
        return contract

    def get(self, contract_id: str, *, by: Principal) -> Contract:
        """Return the stored contract, if ``by`` may see it (SEC-1).

        ``NotFound`` when there is none — and, identically, when it is another contractor's
        or another portal's contract.
        """
        return self._load(contract_id, by, None)

    def request_termination(
        self, contract_id: str, *, by: Principal, expected_version: int | None = None
    ) -> Contract:
        """Terminate the contract now (CON-1 … CON-3, CON-9)."""
        return self._run(
            contract_id,
            by,
            expected_version,
            lambda c, now: c.request_termination(actor=by.actor, at=now),
        )

    def reinstate(
        self, contract_id: str, *, by: Principal, expected_version: int | None = None
    ) -> Contract:
        """Reinstate the contract now, if before its deadline (CON-4)."""
        return self._run(
            contract_id, by, expected_version, lambda c, now: c.reinstate(actor=by.actor, at=now)
        )

    def request_contractor_change(
        self,
        contract_id: str,
        *,
        by: Principal,
        name: str,
        email: str,
        expected_version: int | None = None,
    ) -> Contract:
        """Ask to hand the contract to the person named ``name`` at ``email`` (CON-7)."""
        contract = self._load(contract_id, by, expected_version)
        new = new_contractor(name, email)
        now = self._now()
        updated = contract.request_contractor_change(actor=by.actor, new=new, at=now)
        self.contracts.save(updated, expected_version=contract.version)
        return updated

    def cancel_contractor_change(
        self, contract_id: str, *, by: Principal, expected_version: int | None = None
    ) -> Contract:
        """Withdraw the pending contractor change (CON-9)."""
        return self._run(
            contract_id,
            by,
            expected_version,
            lambda c, now: c.cancel_contractor_change(actor=by.actor, at=now),
        )

    def record_first_login(
        self,
        contract_id: str,
        *,
        by: Principal,
        login_email: str,
        expected_version: int | None = None,
    ) -> Contract:
        """Complete the pending change on the new contractor's first login (CON-7, CON-8).

        ``by`` is the new contractor logging in: ``Principal.contractor(contract_id)``. The
        directory decides which of CON-8's three cases applies: an administrator keeps the
        account, a general user is raised to administrator, anyone else gets a new
        administrator account (and, through the event, a first-login notice). The contract
        is saved first, the directory written after it; repeating the command after a
        crash between the two finishes the directory write and records nothing, even after
        other commands changed the contract (see :meth:`finish_contractor_change`).
        """
        contract = self._load(contract_id, by, None)
        done = contract.repeated_first_login(actor=by.actor, login_email=login_email)
        if done is not None:
            seen = expected_version
            if type(seen) is int and seen in {done.version - 1, done.version}:
                seen = contract.version  # the first attempt's screen: the same command again
            check_version(seen, actual=contract.version, aggregate_id=contract.id)
            self._apply_admin_account(contract, done.admin_account, self._now())
            return contract
        check_version(expected_version, actual=contract.version, aggregate_id=contract.id)
        now = self._now()
        change = contract.check_first_login(actor=by.actor, login_email=login_email, at=now)
        account = admin_account_for(self.directory.role_of(contract.id, change.new.email))
        completed = contract.complete_contractor_change(
            actor=by.actor, login_email=login_email, at=now, admin_account=account
        )
        self.contracts.save(completed, expected_version=contract.version)
        self._apply_admin_account(completed, account, now)
        return completed

    def finish_contractor_change(
        self, contract_id: str, *, by: Principal, expected_version: int | None = None
    ) -> Contract:
        """Write the directory step of the contract's last completed change again (CON-8).

        Idempotent, records nothing and returns the stored contract: an administrator is
        kept, a general user raised, or an administrator account issued for the contractor,
        as the completion decided — however the contract moved on since. This is what the
        delivery of a :class:`~omakase_core.contract.ContractorChangeCompleted` event calls
        (``by=Principal.system()``, the event's ``aggregate_id``), so a crash between the
        contract's save and the directory write is finished even if the first login is
        never retried. It finishes the *last* completion: an event of an earlier one, which
        a later completion replaced, finishes the later one (its contractor is the
        contractor now). Once the service has ended (利用終了, by the clock even before the
        sweep records it) nothing is written (CON-10 removes the accounts at 登録抹消).
        The system, an operator or the contractor may call it; a customer-side user of the
        portal is refused (CON-2), and so is a contract that never completed a change
        (``InvalidTransition``).
        """
        contract = self._load(contract_id, by, expected_version)
        principal: Principal = by  # _load checked it
        if principal.kind is PrincipalKind.CUSTOMER:
            msg = "only the contractor, an operator or the system may finish a contractor change"
            raise PermissionDenied(
                msg, actor=str(principal.actor), event="finish_contractor_change", rule="CON-2"
            )
        if contract.completed_change is None:
            raise InvalidTransition(
                "no contractor change has been completed: there is no directory step to finish",
                state=contract.status.name,
                event="finish_contractor_change",
                lifecycle="contract",
                rule="CON-8",
            )
        done = contract.finishable_change
        if done is not None:
            self._apply_admin_account(contract, done.admin_account, self._now())
        return contract

    def apply_due(self, now: datetime, *, by: Principal) -> SweepReport:
        """Apply every time-driven transition due at ``now`` to every contract (CON-5).

        Only the system or an operator sweeps (SEC-1). Idempotent: a second run at the same
        ``now`` finds nothing due and records nothing. A contract changed concurrently is
        skipped and reported; the next sweep takes it.
        """
        self._back_office(by, "apply_due")
        instant = to_jst(now, field="now")
        changed: list[str] = []
        conflicts: list[str] = []
        events = 0
        for contract in list(self.contracts.due(instant)):
            updated = contract.apply_due(instant)
            if updated is contract:
                continue
            try:
                if updated.status is ContractStatus.PURGED:
                    self._erase(contract.id)
                self.contracts.save(updated, expected_version=contract.version)
            except ConcurrencyConflict:
                conflicts.append(contract.id)
                continue
            changed.append(contract.id)
            events += len(updated.pending_events)
        return SweepReport(changed=tuple(changed), events=events, conflicts=tuple(conflicts))

    # -- helpers ------------------------------------------------------------------------------

    def _now(self) -> datetime:
        return to_jst(self.clock.now(), field="now")

    def _load(self, contract_id: object, by: object, expected_version: int | None) -> Contract:
        """Load the contract ``by`` acts on, in SEC-1/SEC-3 order (see the module docstring)."""
        return load_owned(
            self.contracts,
            contract_id,
            by=by,
            kind=_KIND,
            expected_version=expected_version,
            customer_of=_own_id,
            contract_of=_own_id,
            field="contract_id",
        )

    def _run(
        self,
        contract_id: str,
        by: Principal,
        expected_version: int | None,
        command: Callable[[Contract, datetime], Contract],
    ) -> Contract:
        contract = self._load(contract_id, by, expected_version)
        updated = command(contract, self._now())
        self.contracts.save(updated, expected_version=contract.version)
        return updated

    def _erase(self, contract_id: str) -> None:
        """Erase the contract's personal data outside the contract itself (CON-10).

        Its accounts leave the directory and every stored event of it is redacted, before
        the purged contract is saved: a sweep stopped in between left the contract 利用終了
        and due, so the next sweep does it all again (both steps are idempotent) and saves.
        Nothing else writes them meanwhile: after 利用終了 no command of the contract
        succeeds and :attr:`Contract.finishable_change` is ``None``.
        """
        self.directory.remove_accounts(contract_id)
        self.contracts.redact_events(contract_id, using=erase_personal_data)

    def _back_office(self, by: object, event: str) -> Principal:
        """Return ``by`` if it is an operator or the system; refuse anyone else (SEC-1)."""
        principal = check_principal(by)
        if not principal.is_back_office:
            msg = (
                f"only an operator or the system may {event.replace('_', ' ')}, "
                f"not a {principal.kind.value}"
            )
            raise PermissionDenied(msg, actor=str(principal.actor), event=event, rule="SEC-1")
        return principal

    def _apply_admin_account(
        self, contract: Contract, account: AdminAccount, now: datetime
    ) -> None:
        """Write CON-8's decision to the user directory; both writes are idempotent.

        Nothing is written once the service has ended by the clock (CON-10), even if the
        stored contract is still 契約終了 because the sweep has not run yet: the sweep that
        purges may be erasing the accounts right now, and none may come back after it.
        """
        timeline = contract.termination
        if timeline is not None and now >= timeline.service_ends_at:
            return
        if account is AdminAccount.RAISED:
            self.directory.raise_to_administrator(contract.id, contract.contractor.email)
        elif account is AdminAccount.ISSUED:
            self.directory.issue_administrator(contract.id, contract.contractor)
