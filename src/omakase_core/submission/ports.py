"""Ports of Connecure applications: their repository (SUB-5, SUB-7)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from omakase_core.ports import Repository

if TYPE_CHECKING:
    from collections.abc import Sequence

    from omakase_core.submission.aggregate import Application

__all__ = ["ApplicationRepository"]


class ApplicationRepository(Repository["Application"], Protocol):
    """Storage of Connecure applications, new installations and changes alike (SUB-5, SUB-7)."""

    def of_customer(self, customer_id: str) -> Sequence[Application]:
        """Return every stored application of the customer, oldest first."""
        ...
