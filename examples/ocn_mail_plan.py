"""OCN mail plans: fees, a rename, virus checks on and off, a closing 廃止 (OCN-1 … OCN-5).

The fee table first; then the seed's line goes through a rename, a virus check switched on
and one switched off, and a cancellation that closes the line. Every command names who
acts (SEC-1): the customer ``N230110835`` applies and cancels, an operator registers the
line and takes the back office's steps; another customer cannot even see it. The mail
password of the renamed account goes to the hasher only; the mails the outbox holds are
delivered at the end of each part (OCN-5).
"""

from __future__ import annotations

from datetime import date, datetime

from omakase_core import NotificationSettings, deliver_pending
from omakase_core.calendar import JST
from omakase_core.errors import InvalidTransition, NotFound
from omakase_core.ocn import (
    AccountAction,
    CancellationRequest,
    MailChangePattern,
    MailChangeRequest,
    OcnCustomer,
    OcnService,
    VirusCheck,
    mail_monthly_fee,
)
from omakase_core.principal import Principal
from omakase_core.testing import (
    FixedClock,
    InMemoryOutbox,
    InMemoryRepository,
    RecordingNotifier,
    TestPasswordHasher,
)

SETTINGS = NotificationSettings(
    contractor_login_url="https://portal.example.jp/contractor",
    first_login_url="https://portal.example.jp/first-login",
)


def fee_table() -> None:
    """Print the monthly fee of every plan (OCN-1)."""
    print("accounts  virus checks  fee (tax excl.)  fee (tax incl.)")
    for accounts in range(1, 5):
        for checks in (0, accounts):
            plain = mail_monthly_fee(accounts=accounts, virus_checks=checks)
            taxed = mail_monthly_fee(accounts=accounts, virus_checks=checks, tax_included=True)
            print(f"{accounts:>8}  {checks:>12}  ¥{plain:>14,}  ¥{taxed:>14,}")


def show(line: OcnCustomer) -> None:
    """Print the line's accounts, virus checks and fee."""
    print(f"  accounts {line.addresses}, virus checks {line.virus_checks}")
    print(f"  monthly fee now ¥{line.monthly_fee:,} (tax excluded)")


def deliver(outbox: InMemoryOutbox, clock: FixedClock) -> None:
    """Send what the outbox holds and print each mail's subject and addressee (OCN-5)."""
    notifier = RecordingNotifier()
    deliver_pending(outbox, notifier, clock=clock, settings=SETTINGS)
    for message in notifier.messages:
        print(f"  ✉ {message.subject} → {message.to}")


def main() -> None:
    """Print the fee table, then change the seed's line and cancel it."""
    fee_table()

    clock = FixedClock(datetime(2026, 11, 2, 10, 0, tzinfo=JST))
    outbox = InMemoryOutbox()
    repo: InMemoryRepository[OcnCustomer] = InMemoryRepository(outbox)
    service = OcnService(customers=repo, clock=clock, hasher=TestPasswordHasher())
    customer = Principal.customer("N230110835")
    staff = Principal.operator("desk-3")
    line = service.create_customer(
        "N230110835",
        by=staff,
        accounts=("abcdefg", "k04xm40u"),
        hosts=("arrow.ocn.ne.jp", "dune.ocn.ne.jp"),
    )
    print(f"\nthe line N230110835 (basic account {line.basic_account}):")
    show(line)

    # 1.2.4: k04xm40u becomes opqrstu, with its virus check switched on
    rename = MailChangeRequest(
        pattern=MailChangePattern.ACCOUNT_AND_VIRUS_CHECK,
        action=AccountAction.RENAME,
        account="k04xm40u",
        new_name="opqrstu",
        virus_check=VirusCheck.USE,
        virus_check_consent=True,  # 規約に同意してウイルスチェックサービスを申し込む
        notify=("abcdefg",),
    )
    shown = service.get("N230110835", by=customer)  # the screen the customer fills in
    line = service.apply_mail_change(
        "N230110835",
        rename,
        by=customer,
        password="Kq7-mail!",  # noqa: S106  # the example's made-up password
        password_confirmation="Kq7-mail!",  # noqa: S106  # the same, typed again
        expected_version=shown.version,
    )
    print(f"\nrename k04xm40u → opqrstu with its virus check on: {line.mail_change_status}")
    try:
        service.get("N230110835", by=Principal.customer("ocn-2"))
    except NotFound as hidden:
        print(f"  another customer looking at it: {hidden}")
    line = service.register_mail_change("N230110835", by=staff, host="dune.ocn.ne.jp")
    print(f"  registered: {line.mail_change_status}")
    show(line)
    deliver(outbox, clock)

    switch_on = MailChangeRequest(
        pattern=MailChangePattern.VIRUS_CHECK_ONLY,
        account="abcdefg",
        virus_check=VirusCheck.USE,
        virus_check_consent=True,
    )
    service.apply_mail_change("N230110835", switch_on, by=customer)
    print("\nvirus check of abcdefg switched on:")
    show(service.register_mail_change("N230110835", by=staff))

    switch_off = MailChangeRequest(
        pattern=MailChangePattern.VIRUS_CHECK_ONLY,
        account="opqrstu",
        virus_check=VirusCheck.NOT_USE,  # 利用しない: no consent needed
    )
    service.apply_mail_change("N230110835", switch_off, by=customer)
    print("\nvirus check of opqrstu switched off (利用しない):")
    show(service.register_mail_change("N230110835", by=staff))

    cancellation = CancellationRequest(
        desired_date=date(2026, 12, 31),
        reason="他社へ移行",
        reason_detail="インターネット接続",
        migration_reason="価格",
        contact_name="コム太郎",
        phone="0120-123-456",
        email="dummy@example.co.jp",
        email_confirmation="dummy@example.co.jp",
    )
    line = service.submit_cancellation("N230110835", cancellation, by=customer)
    print(
        f"\ncancellation (廃止) submitted for {cancellation.desired_date}: "
        f"{line.cancellation_status}"
    )
    try:
        service.apply_mail_change(
            "N230110835",
            MailChangeRequest(
                pattern=MailChangePattern.ACCOUNT_ONLY,
                action=AccountAction.DELETE,
                account="opqrstu",
            ),
            by=customer,
        )
    except InvalidTransition as refused:
        print(f"  a new mail change is refused: {refused}")
    deliver(outbox, clock)
    clock.advance(days=59)
    line = service.complete_cancellation("N230110835", by=staff)
    print(
        f"  {line.cancellation_status}; can still log in: {line.can_log_in}; "
        f"monthly fee ¥{line.monthly_fee}"
    )


if __name__ == "__main__":
    main()
