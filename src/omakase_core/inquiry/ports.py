"""Ports of fault inquiries: their repository (PORT-1, PORT-2).

The service needs nothing beyond :class:`~omakase_core.ports.Repository`'s ``get``, ``add``
and ``save``; the protocol names the stored type, and is where the inquiries' queries will
go. :class:`omakase_core.testing.InMemoryRepository` satisfies it.
"""

from __future__ import annotations

from typing import Protocol

from omakase_core.inquiry.aggregate import Inquiry
from omakase_core.ports import Repository

__all__ = ["InquiryRepository"]


class InquiryRepository(Repository[Inquiry], Protocol):
    """Storage of fault inquiries, by inquiry id, with optimistic versions (PORT-2)."""
