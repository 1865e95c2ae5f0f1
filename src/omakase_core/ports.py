"""Generic ports: what the caller provides (PORT-1). Protocols only; no behaviour lives here.

Each domain declares its own repository protocol in its ``ports`` module
(:class:`omakase_core.contract.ports.ContractRepository`, …) on top of :class:`Repository`.

The library ships in-memory adapters for tests and examples (:mod:`omakase_core.testing`)
and a contract test suite that proves a caller's own adapter behaves like them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from omakase_core.events import OutboxRecord
    from omakase_core.messages import Message

__all__ = [
    "Clock",
    "Notifier",
    "Outbox",
    "PasswordHasher",
    "Repository",
]

A = TypeVar("A")


class Clock(Protocol):
    """Where "now" comes from (PORT-4): nothing in the library reads the system clock."""

    def now(self) -> datetime:
        """Return the current instant as an aware datetime."""
        ...


class Repository(Protocol[A]):
    """Storage of one kind of aggregate, with optimistic versions (PORT-2, PORT-3).

    ``add`` and ``save`` are each one unit of work: the aggregate's new state **and** the
    outbox records of its ``pending_events`` are written together or not at all.
    """

    def get(self, aggregate_id: str) -> A:
        """Return the stored aggregate, without pending events; raise ``NotFound`` if none."""
        ...

    def add(self, aggregate: A) -> None:
        """Store a new aggregate; raise ``ConcurrencyConflict`` if the id is taken."""
        ...

    def save(self, aggregate: A, *, expected_version: int) -> None:
        """Replace the aggregate stored at ``expected_version``.

        Raise ``ConcurrencyConflict`` and write nothing when the stored version differs.
        """
        ...


class Outbox(Protocol):
    """The stored events waiting for delivery (PORT-3)."""

    def pending(self, *, limit: int | None = None) -> Sequence[OutboxRecord]:
        """Return undelivered records, oldest first, at most ``limit`` of them."""
        ...

    def get(self, key: str) -> OutboxRecord:
        """Return the record with idempotency key ``key``; raise ``NotFound`` if none."""
        ...

    def mark_delivered(self, key: str, *, at: datetime) -> bool:
        """Mark ``key`` delivered at ``at``; return ``False`` if it already was (no change)."""
        ...


class Notifier(Protocol):
    """Sends a message (e-mail, …). It may raise: the outbox keeps the record pending."""

    def send(self, message: Message) -> None:
        """Send ``message``; a receiver may deduplicate on ``message.key``."""
        ...


class PasswordHasher(Protocol):
    """Turns passwords into stored hashes and checks them (ACC-2).

    The library hands passwords only to this port; it never stores or logs one.
    """

    def hash(self, password: str) -> str:
        """Return the hash to store for ``password``."""
        ...

    def verify(self, password: str, hashed: str) -> bool:
        """Return whether ``password`` is the one ``hashed`` was made from."""
        ...
