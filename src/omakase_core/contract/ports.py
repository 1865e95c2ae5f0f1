"""Ports of the おまかせログイン contract: its repository and the user directory (CON-5, CON-8)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from omakase_core.ports import Repository

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from datetime import datetime

    from omakase_core.contract.aggregate import Contract
    from omakase_core.contract.model import Contractor, DirectoryRole
    from omakase_core.events import Event

__all__ = ["ContractRepository", "UserDirectory"]


class ContractRepository(Repository["Contract"], Protocol):
    """Storage of おまかせログイン contracts (CON-5 needs the time-driven query)."""

    def due(self, now: datetime) -> Iterable[Contract]:
        """Return the stored contracts whose ``next_due_at`` is at or before ``now``."""
        ...

    def redact_events(self, aggregate_id: str, *, using: Callable[[Event], Event]) -> int:
        """Rewrite every outbox record of the contract's events through ``using`` (CON-10).

        Delivered or not, each stored event of ``aggregate_id`` is replaced by
        ``using(event)`` (same type, key and instants; the personal fields replaced by the
        redaction marker), in the stored bytes themselves. Idempotent; return how many
        records changed. Inside a claimed batch it is part of the claim's transaction.
        """
        ...


class UserDirectory(Protocol):
    """The おまかせログイン user accounts of a contract, as CON-8 needs them.

    The service writes it only after the completed contract is saved, and may write the
    same change again when a first login is retried: both writes must be idempotent.
    """

    def role_of(self, contract_id: str, email: str) -> DirectoryRole | None:
        """Return the role of the account with ``email``, or ``None`` if there is none.

        The answer must be a :class:`DirectoryRole` member or ``None``; anything else (a
        plain ``"user"`` string read from a database) is refused by the service before
        anything is written (SEC-2).
        """
        ...

    def raise_to_administrator(self, contract_id: str, email: str) -> None:
        """Make the existing account with ``email`` an administrator (idempotent)."""
        ...

    def issue_administrator(self, contract_id: str, contractor: Contractor) -> None:
        """Create an administrator account for ``contractor`` (idempotent)."""
        ...

    def remove_accounts(self, contract_id: str) -> int:
        """Delete every account of the contract (CON-10, idempotent); return how many went."""
        ...
