"""Fixtures for Connecure applications: the service over in-memory ports and a fixed clock."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import attrs
import pytest

from omakase_core import Principal
from omakase_core.calendar import JST
from omakase_core.submission import (
    ASP,
    Application,
    Contact,
    FaultContacts,
    Menu,
    Site,
    SiteName,
    SubmissionService,
)
from omakase_core.testing import (
    FixedClock,
    InMemoryApplicationRepository,
    InMemoryOutbox,
    InMemorySiteRepository,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from omakase_core.events import OutboxRecord

T0 = datetime(2025, 4, 2, 10, 0, tzinfo=JST)
SITE = SiteName(company_abbrev="NTTデータ", location="豊洲")
CONTACT = Contact(
    company="株式会社豊洲",
    department="豊洲事業部",
    name="豊洲太郎",
    phone="080-1234-5678",
    email="toyosu1@example.co.jp",
)
CONTACTS = FaultContacts(first=CONTACT)

CUSTOMER = Principal.customer("cust-1")
"""A user of the customer ``cust-1``, who owns the applications of these tests."""
OTHER_CUSTOMER = Principal.customer("cust-2")
"""A user of another customer: ``cust-1``'s applications do not exist for them (SEC-1)."""
OPERATOR = Principal.operator("nttdata-1")
"""A member of NTTデータ's back office."""


@attrs.frozen
class Portal:
    """The ports a test looks at, with the service over them."""

    clock: FixedClock
    outbox: InMemoryOutbox
    applications: InMemoryApplicationRepository
    service: SubmissionService
    sites: InMemorySiteRepository

    @classmethod
    def fresh(cls) -> Portal:
        """Return a new portal over empty in-memory ports, the clock at ``T0``."""
        clock = FixedClock(T0)
        outbox = InMemoryOutbox()
        applications = InMemoryApplicationRepository(outbox)
        sites = InMemorySiteRepository(outbox, applications=applications)
        service = SubmissionService(applications=applications, clock=clock, sites=sites)
        return cls(clock, outbox, applications, service, sites)

    def snapshot(self, application_id: str = "app-1") -> tuple[Application, list[OutboxRecord]]:
        """Return what a refused command must leave unchanged."""
        return self.applications.get(application_id), self.outbox.records()

    def site_snapshot(self, customer_id: str = "cust-1") -> list[Site | OutboxRecord]:
        """Return the customer's stored sites and the outbox, which a refusal leaves alone."""
        return [*self.sites.of_customer(customer_id), *self.outbox.records()]

    def new_installation(
        self,
        application_id: str = "app-1",
        *,
        by: Principal = CUSTOMER,
        menu: Menu = Menu.BASIC,
        **options: object,
    ) -> Application:
        values: dict[str, object] = {
            "site": SITE,
            "menu": menu,
            "asps": [ASP.SDS, ASP.ZEDI],
            "bandwidth_mbps": 100,
            "weekday_daytime": True,
            "contact_email": "it@example.co.jp",
        }
        values.update(options)
        return self.service.create_new_installation(application_id, by=by, **values)  # type: ignore[arg-type]

    def installed_site(  # a site has that many parts
        self,
        site_id: str = "site-1",
        *,
        customer_id: str = "cust-1",
        name: SiteName = SITE,
        menu: Menu = Menu.BASIC,
        asps: Iterable[ASP] = (ASP.SDS, ASP.ZEDI),
        bandwidth_mbps: float = 100,
    ) -> Site:
        """Store an installed site (SUB-5) as a completed installation would leave it.

        Built directly, at version 0 with no events: the change tests need a site, not the
        whole new-installation workflow (tests/submission/test_sites.py walks that).
        """
        site = Site(
            id=site_id,
            customer_id=customer_id,
            name=name,
            menu=menu,
            bandwidth_mbps=bandwidth_mbps,
            asps=tuple(asps),
            updated_at=T0,
        )
        self.sites.add(site)
        return site


@pytest.fixture
def portal() -> Portal:
    return Portal.fresh()
