"""Ports of ID-count change applications: their repository (IDC-2, IDC-8, PORT-1).

A repository raises :class:`~omakase_core.errors.NotFound` with ``kind="id change
application"`` for an unknown id: the service answers a foreign application with that very
error, so the two must read the same (SEC-1).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from omakase_core.ports import Repository

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import datetime

    from omakase_core.id_change.aggregate import IdChangeApplication

__all__ = ["IdChangeRepository"]


class IdChangeRepository(Repository["IdChangeApplication"], Protocol):
    """Storage of ID-count change applications (IDC-2, IDC-8)."""

    def of_customer(self, customer_id: str) -> Sequence[IdChangeApplication]:
        """Return every stored application of the customer, oldest first."""
        ...

    def due(self, now: datetime) -> Iterable[IdChangeApplication]:
        """Return the pending applications whose ``due_at`` is at or before ``now``."""
        ...
