"""Ports of Connecure applications and installed sites (SUB-5, SUB-7).

:class:`ApplicationRepository` stores the applications; :class:`SiteRepository` the installed
sites, and it is where a site and an application are stored *together* when one command
changes both (a new installation completed creates its site; a 拠点名変更 started locks the
site, 承諾 renames it, closed releases it): :meth:`SiteRepository.save_with_application`
writes both compare-and-sets and both sets of events in one unit of work, or nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from omakase_core.ports import Repository

if TYPE_CHECKING:
    from collections.abc import Sequence

    from omakase_core.submission.aggregate import Application, Site

__all__ = ["ApplicationRepository", "SiteRepository"]


class ApplicationRepository(Repository["Application"], Protocol):
    """Storage of Connecure applications, new installations and changes alike (SUB-5, SUB-7)."""

    def of_customer(self, customer_id: str) -> Sequence[Application]:
        """Return every stored application of the customer, oldest first."""
        ...


class SiteRepository(Repository["Site"], Protocol):
    """Storage of installed sites, and of a site together with an application (SUB-5)."""

    def of_customer(self, customer_id: str) -> Sequence[Site]:
        """Return every stored site of the customer, oldest first."""
        ...

    def save_with_application(
        self,
        site: Site,
        *,
        site_version: int | None,
        application: Application,
        application_version: int | None,
    ) -> None:
        """Store ``site`` and ``application`` in one unit of work, or neither (SUB-5).

        Each is a compare-and-set against the version it was loaded at (``None``: it is new
        and its id must be free), and each one's pending events go to the outbox with it. A
        stale version or a taken id is a ``ConcurrencyConflict`` and writes nothing.
        """
        ...
