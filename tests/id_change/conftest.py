"""A help desk of ID-count change applications over in-memory ports, and its principals."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from omakase_core import Principal
from omakase_core.accounts import Role
from omakase_core.calendar import JST
from omakase_core.id_change import IdChangeApplication, IdChangeService, Service, Target
from omakase_core.testing import FixedClock, InMemoryIdChangeRepository, InMemoryOutbox


def jst(*args: int) -> datetime:
    return datetime(*args, tzinfo=JST)  # type: ignore[arg-type, misc]


def admin(customer_id: str = "cust-1") -> Principal:
    """Return a 管理者 of ``customer_id``."""
    return Principal.customer(customer_id, user_id=f"{customer_id}-admin", role=Role.ADMIN)


ADMIN = admin()
OTHER_ADMIN = admin("cust-2")
USER = Principal.customer("cust-1", user_id="cust-1-user", role=Role.USER)
OPERATOR = Principal.operator("kddi-staff-1")
SYSTEM = Principal.system()


class Desk:
    """The service, its clock, repository and outbox."""

    def __init__(self, now: datetime) -> None:
        self.clock = FixedClock(now)
        self.outbox = InMemoryOutbox()
        self.repo = InMemoryIdChangeRepository(self.outbox)
        self.service = IdChangeService(applications=self.repo, clock=self.clock)

    def submit(self, application_id: str = "idc-1", **kw: Any) -> IdChangeApplication:
        values: dict[str, Any] = {
            "by": ADMIN,
            "contact_email": "admin@example.co.jp",
            "service": Service.GOOGLE_WORKSPACE,
            "target": Target.NEXT_MONTH,
            "delta": 2,
            "current_count": 10,
            "consented": True,
        }
        values.update(kw)
        return self.service.submit(application_id, **values)

    def snapshot(self) -> tuple[int, list[object]]:
        return len(self.repo), list(self.outbox.records())

    def state(self) -> tuple[list[IdChangeApplication], list[object]]:
        """Every stored application and every outbox record: what a refusal must not change."""
        return list(self.repo), list(self.outbox.records())
