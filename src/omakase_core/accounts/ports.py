"""Ports of accounts: where tenants and credentials are stored (PORT-1, PORT-2).

Both are plain :class:`~omakase_core.ports.Repository` protocols: a caller's SQL or HTTP
adapter implements ``get``, ``add`` and ``save`` with optimistic versions, and passes the
contract suite of :mod:`omakase_core.testing`.
"""

from __future__ import annotations

from typing import Protocol

from omakase_core.accounts.aggregate import Credential, Tenant
from omakase_core.ports import Repository

__all__ = ["CredentialRepository", "TenantRepository"]


class TenantRepository(Repository[Tenant], Protocol):
    """Storage of My KDDI Biz tenants, each with its users (ACC-3 … ACC-8)."""


class CredentialRepository(Repository[Credential], Protocol):
    """Storage of password credentials: hashes only, never a password (ACC-1, ACC-2)."""
