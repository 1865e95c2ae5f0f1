"""Fixtures for OCN: the service over in-memory ports, a fixed clock and a recording hasher.

The principals (SEC-1): ``CUSTOMER`` is OCN customer ocn-1, ``RIVAL`` another OCN customer
(ocn-2, also stored), ``STAFF`` an operator, ``CONTRACTOR`` and ``SYSTEM`` principals that
have no business with OCN's forms. ``SEED`` is the line of the seed's screens (customer
number N230110835): ``abcdefg@arrow.ocn.ne.jp`` (the basic account) and
``k04xm40u@dune.ocn.ne.jp``, no virus check.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import attrs
import pytest

from omakase_core.calendar import JST
from omakase_core.ocn import (
    AccountAction,
    CancellationRequest,
    MailChangePattern,
    MailChangeRequest,
    OcnCustomer,
    OcnService,
    VirusCheck,
)
from omakase_core.principal import Principal
from omakase_core.testing import FixedClock, InMemoryOutbox, InMemoryRepository

if TYPE_CHECKING:
    from omakase_core.events import OutboxRecord

T0 = datetime(2026, 11, 2, 10, 0, tzinfo=JST)
CUSTOMER = Principal.customer("ocn-1")
RIVAL = Principal.customer("ocn-2")
STAFF = Principal.operator("staff-1")
CONTRACTOR = Principal.contractor("ocn-1")
SYSTEM = Principal.system()
SEED = "N230110835"
SEED_CUSTOMER = Principal.customer(SEED)

PASSWORD = "Kq7-mail!"  # noqa: S105  # a test value
"""A mail password a customer types: it must reach the hasher and nothing else (OCN-2)."""
HASH = "hashed"  # a test value
"""A hasher's output, for commands of the line itself (the service hashes for real)."""
FIRST_HASH = "hashed-1"  # a test value
"""What :class:`RecordingHasher` returns for the first password handed to it."""

ADD_HANAKO = MailChangeRequest(
    pattern=MailChangePattern.ACCOUNT_AND_VIRUS_CHECK,
    action=AccountAction.ADD,
    new_name="hanako",
    virus_check=VirusCheck.USE,
    virus_check_consent=True,
)
RENAME = MailChangeRequest(
    pattern=MailChangePattern.ACCOUNT_ONLY,
    action=AccountAction.RENAME,
    account="k04xm40u",
    new_name="opqrstu",
)
"""The seed's 1.2.5: メールアカウントの変更 k04xm40u → opqrstu, virus check 変更なし."""
CANCELLATION = CancellationRequest(
    desired_date=date(2026, 12, 31),
    reason="移行",
    reason_detail="他社サービスへ移行するため",
    migration_reason="コスト",
    contact_name="山田太郎",
    phone="0312345678",
    email="taro@example.co.jp",
    email_confirmation="taro@example.co.jp",
)


class RecordingHasher:
    """A :class:`~omakase_core.ports.PasswordHasher` fake that remembers what it was handed."""

    def __init__(self) -> None:
        self.handed: list[str] = []

    def hash(self, password: str) -> str:
        """Return ``hashed-<n>`` for the n-th password handed over."""
        self.handed.append(password)
        return f"hashed-{len(self.handed)}"

    def verify(self, password: str, hashed: str) -> bool:
        """Return whether ``password`` was the one handed over as ``hashed``."""
        number = hashed.removeprefix("hashed-")
        return number.isdigit() and self.handed[int(number) - 1] == password


@attrs.frozen
class Desk:
    """The ports a test looks at, with the service over them."""

    clock: FixedClock
    outbox: InMemoryOutbox
    customers: InMemoryRepository[OcnCustomer]
    hasher: RecordingHasher
    service: OcnService

    def snapshot(self, customer_id: str = "ocn-1") -> tuple[OcnCustomer, list[OutboxRecord]]:
        """Return what a refused command must leave unchanged: the customer and the outbox."""
        return self.customers.get(customer_id), self.outbox.records()

    def apply(
        self, customer_id: str, request: MailChangeRequest, by: Principal | None = None
    ) -> OcnCustomer:
        """Apply for ``request`` as the line's customer, with a password where it needs one."""
        needs = request.action in {AccountAction.ADD, AccountAction.RENAME}
        return self.service.apply_mail_change(
            customer_id,
            request,
            by=by or Principal.customer(customer_id),
            password=PASSWORD if needs else None,
            password_confirmation=PASSWORD if needs else None,
        )


def make_desk() -> Desk:
    """Return fresh in-memory ports at ``T0``: ocn-1 (taro), ocn-2 (jiro) and the seed's line."""
    clock = FixedClock(T0)
    outbox = InMemoryOutbox()
    customers: InMemoryRepository[OcnCustomer] = InMemoryRepository(outbox)
    hasher = RecordingHasher()
    service = OcnService(customers=customers, clock=clock, hasher=hasher)
    service.create_customer("ocn-1", by=STAFF, accounts=("taro",), hosts=("arrow.ocn.ne.jp",))
    service.create_customer("ocn-2", by=STAFF, accounts=("jiro",))
    service.create_customer(
        SEED,
        by=STAFF,
        accounts=("abcdefg", "k04xm40u"),
        hosts=("arrow.ocn.ne.jp", "dune.ocn.ne.jp"),
    )
    return Desk(clock, outbox, customers, hasher, service)


@pytest.fixture
def desk() -> Desk:
    return make_desk()
