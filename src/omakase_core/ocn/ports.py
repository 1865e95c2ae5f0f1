"""Ports of OCN: the repository of OCN lines (PORT-1, PORT-2).

The service needs nothing beyond :class:`~omakase_core.ports.Repository`'s ``get``, ``add``
and ``save``; the protocol names the stored type, and is where OCN's queries will go.
:class:`omakase_core.testing.InMemoryRepository` satisfies it.
"""

from __future__ import annotations

from typing import Protocol

from omakase_core.ocn.aggregate import OcnCustomer
from omakase_core.ports import Repository

__all__ = ["OcnCustomerRepository"]


class OcnCustomerRepository(Repository[OcnCustomer], Protocol):
    """Storage of OCN customers, by OCN customer id, with optimistic versions (PORT-2)."""
