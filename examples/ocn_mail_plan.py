"""OCN mail plans: fees for each plan, a mail change and a cancellation (OCN-1 … OCN-4).

Every command names who acts (SEC-1): the customer ``ocn-1`` applies and cancels, an
operator registers the line and takes the back office's steps; another customer cannot
even see ``ocn-1``.
"""

from __future__ import annotations

from datetime import date, datetime

from omakase_core.calendar import JST
from omakase_core.errors import InvalidTransition, NotFound
from omakase_core.ocn import (
    CancellationRequest,
    MailChangePattern,
    MailChangeRequest,
    OcnCustomer,
    OcnService,
    mail_monthly_fee,
)
from omakase_core.principal import Principal
from omakase_core.testing import FixedClock, InMemoryOutbox, InMemoryRepository


def main() -> None:
    """Print the fee table, then run a change and a cancellation."""
    print("accounts  virus checks  fee (tax excl.)  fee (tax incl.)")
    for accounts in range(1, 5):
        for checks in (0, accounts):
            plain = mail_monthly_fee(accounts=accounts, virus_checks=checks)
            taxed = mail_monthly_fee(accounts=accounts, virus_checks=checks, tax_included=True)
            print(f"{accounts:>8}  {checks:>12}  ¥{plain:>14,}  ¥{taxed:>14,}")

    clock = FixedClock(datetime(2026, 11, 2, 10, 0, tzinfo=JST))
    repo: InMemoryRepository[OcnCustomer] = InMemoryRepository(InMemoryOutbox())
    service = OcnService(customers=repo, clock=clock)
    customer_side = Principal.customer("ocn-1")
    staff = Principal.operator("desk-3")
    service.create_customer("ocn-1", by=staff, accounts=("taro",))

    request = MailChangeRequest(
        pattern=MailChangePattern.ACCOUNT_AND_VIRUS_CHECK,
        new_accounts=("hanako",),
        virus_checks=("taro", "hanako"),
    )
    shown = service.get("ocn-1", by=customer_side)  # the screen the customer fills in
    customer = service.apply_mail_change(
        "ocn-1", request, by=customer_side, expected_version=shown.version
    )
    print(f"\nmail change ({request.pattern.value}): {customer.mail_change_status}")
    try:
        service.get("ocn-1", by=Principal.customer("ocn-2"))
    except NotFound as hidden:
        print(f"  another customer looking at it: {hidden}")
    customer = service.register_mail_change("ocn-1", by=staff)
    print(f"  registered: accounts {customer.accounts}, virus checks {customer.virus_checks}")
    print(f"  monthly fee now ¥{customer.monthly_fee:,} (tax excluded)")

    cancellation = CancellationRequest(
        desired_date=date(2026, 12, 31),
        reason="サービス移行",
        reason_detail="社内メールを別サービスへ統合するため",
        migration_reason="管理の一元化",
        contact_name="山田太郎",
        phone="0312345678",
        email="taro@example.co.jp",
        email_confirmation="taro@example.co.jp",
    )
    customer = service.submit_cancellation("ocn-1", cancellation, by=customer_side)
    print(
        f"\ncancellation (廃止) submitted for {cancellation.desired_date}: "
        f"{customer.cancellation_status}"
    )
    service.accept_cancellation("ocn-1", by=staff)
    try:
        service.apply_mail_change(
            "ocn-1",
            MailChangeRequest(pattern=MailChangePattern.ACCOUNT_ONLY, new_accounts=("x",)),
            by=customer_side,
        )
    except InvalidTransition as refused:
        print(f"  a new mail change is refused: {refused}")
    customer = service.complete_cancellation("ocn-1", by=staff)
    print(f"  {customer.cancellation_status}; can still log in: {customer.can_log_in}")


if __name__ == "__main__":
    main()
