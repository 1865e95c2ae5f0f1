"""What a store of every storage port looks like to the port contract suite (PORT-1, PORT-5)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from omakase_core.accounts.ports import CredentialRepository, TenantRepository
    from omakase_core.contract.ports import ContractRepository, UserDirectory
    from omakase_core.id_change.ports import IdChangeRepository
    from omakase_core.inquiry.ports import InquiryRepository
    from omakase_core.ocn.ports import OcnCustomerRepository
    from omakase_core.ports import Outbox
    from omakase_core.submission.ports import ApplicationRepository, SiteRepository

__all__ = ["Store"]


class Store(Protocol):
    """Every storage port of every domain, writing to one outbox (PORT-1, PORT-3, PORT-5).

    :class:`~omakase_core.testing.InMemoryStore` and the shipped SQL stores have exactly
    these attributes; :meth:`~omakase_core.testing.StorageContract.make_store` returns one.
    """

    @property
    def outbox(self) -> Outbox:
        """The outbox every repository of the store writes its events to (PORT-3)."""
        ...

    @property
    def contracts(self) -> ContractRepository:
        """おまかせログイン contracts, with ``due`` (CON-5)."""
        ...

    @property
    def directory(self) -> UserDirectory:
        """The おまかせログイン user accounts (CON-8)."""
        ...

    @property
    def applications(self) -> ApplicationRepository:
        """Connecure applications, with ``of_customer`` (SUB-5, SUB-7)."""
        ...

    @property
    def sites(self) -> SiteRepository:
        """Installed Connecure sites (SUB-3(i), SUB-5, SUB-7).

        With ``of_customer``, ``due``, ``held_names`` and ``save_with_application``.
        """
        ...

    @property
    def id_changes(self) -> IdChangeRepository:
        """ID-count change applications, with ``of_customer`` and ``due`` (IDC-2, IDC-8)."""
        ...

    @property
    def tenants(self) -> TenantRepository:
        """My KDDI Biz tenants (ACC-3 … ACC-8)."""
        ...

    @property
    def credentials(self) -> CredentialRepository:
        """Password credentials (ACC-1, ACC-2)."""
        ...

    @property
    def ocn_customers(self) -> OcnCustomerRepository:
        """OCN customers (OCN-1 … OCN-4)."""
        ...

    @property
    def inquiries(self) -> InquiryRepository:
        """Fault inquiries (INQ-1 … INQ-3), with ``due`` (the attachments' purge, INQ-2)."""
        ...
