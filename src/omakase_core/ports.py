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
    from datetime import datetime, timedelta

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
    """The stored events waiting for delivery (PORT-3, PORT-6).

    Delivery workers *claim* records (:meth:`claim`): each claimed record is leased to one
    worker until ``leased_until``; the worker reports each record as delivered
    (:meth:`mark_delivered`) or failed (:meth:`record_failure`), which ends the lease. A
    worker that never reports (a crash) loses the record when its lease expires: another
    worker's claim takes it and counts the lost attempt. Every method is atomic: of two
    workers claiming at once, each record goes to one of them.
    """

    def pending(
        self, *, limit: int | None = None, now: datetime | None = None
    ) -> Sequence[OutboxRecord]:
        """Return records neither delivered nor dead-lettered, oldest first, at most ``limit``.

        With ``now``, only those a worker may claim at ``now`` (:meth:`OutboxRecord.is_due`):
        a record waiting for its next attempt, or leased to a worker, is left out.
        """
        ...

    def get(self, key: str) -> OutboxRecord:
        """Return the record with idempotency key ``key``; raise ``NotFound`` if none."""
        ...

    def claim(self, *, now: datetime, limit: int, lease: timedelta) -> Sequence[OutboxRecord]:
        """Lease up to ``limit`` records due at ``now`` to the caller, oldest first (PORT-6).

        Each returned record carries a fresh ``lease`` token and ``leased_until = now +
        lease``; no other claim returns it before then. A record whose previous lease
        expired without a report counts that lost attempt (``attempts`` + 1, ``last_error``
        says so) before it is leased again.
        """
        ...

    def mark_delivered(self, key: str, *, at: datetime) -> bool:
        """Mark ``key`` delivered at ``at`` and end its lease.

        Return ``False`` if it already was (no change). A dead-lettered record that a late
        worker did deliver is marked delivered too.
        """
        ...

    def record_failure(  # noqa: PLR0913  # one attempt's whole report
        self,
        key: str,
        *,
        lease: str,
        at: datetime,
        error: str,
        attempts: int,
        retry_at: datetime | None,
    ) -> bool:
        """Record a failed attempt of the worker holding ``lease`` and end the lease (PORT-6).

        The record's ``attempts`` becomes ``attempts`` and ``last_error`` ``error``; with
        ``retry_at`` it waits until then (``next_attempt_at``), with ``None`` it is
        dead-lettered at ``at``. Return ``False`` and change nothing when the record is
        delivered or ``lease`` is no longer its lease (another worker took it).
        """
        ...

    def retry_dead_letter(self, key: str) -> bool:
        """Put the dead-lettered record ``key`` back for delivery, as an operator's step.

        Its attempts start again from 0 and it is due at once; ``last_error`` is kept.
        Return ``False`` (no change) if it is not dead-lettered; ``NotFound`` if unknown.
        """
        ...

    def dead_letters(self, *, limit: int | None = None) -> Sequence[OutboxRecord]:
        """Return the dead-lettered records, oldest first, at most ``limit`` of them."""
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
