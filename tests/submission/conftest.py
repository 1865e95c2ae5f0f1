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
    SiteName,
    SubmissionService,
)
from omakase_core.testing import FixedClock, InMemoryApplicationRepository, InMemoryOutbox

if TYPE_CHECKING:
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

    @classmethod
    def fresh(cls) -> Portal:
        """Return a new portal over empty in-memory ports, the clock at ``T0``."""
        clock = FixedClock(T0)
        outbox = InMemoryOutbox()
        applications = InMemoryApplicationRepository(outbox)
        service = SubmissionService(applications=applications, clock=clock)
        return cls(clock, outbox, applications, service)

    def snapshot(self, application_id: str = "app-1") -> tuple[Application, list[OutboxRecord]]:
        """Return what a refused command must leave unchanged."""
        return self.applications.get(application_id), self.outbox.records()

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


@pytest.fixture
def portal() -> Portal:
    return Portal.fresh()
