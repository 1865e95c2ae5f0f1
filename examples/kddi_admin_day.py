"""A My KDDI Biz administrator's day (ACC-1 … ACC-11, INQ-1 … INQ-3).

The tenant opens with its administrator 未設定: 山田 finishes their own setup through the
setup mail's link like everyone else (ACC-4). 山田 adds a user, whose link runs out before
they use it; 山田 resends the setup mail, the old link stops working and the user finishes
their own setup through the new one (the administrator may not do it for them, SEC-1) and
changes the password through a hasher (ACC-11). Later 山田 sets a temporary password the
user must change at the next login, gives them the 管理者 role and takes it back (ACC-11);
each acts as a ``Principal`` of the tenant; a ユーザ tries an administrator's action and is
refused; the user sends a fault inquiry with a screenshot, staff answer it (and the answer
notice goes out), the user closes it, and six months later the sweep deletes the screenshot
from the portal's file store (INQ-2).
"""

from __future__ import annotations

import runpy
from datetime import datetime
from pathlib import Path

from omakase_core.accounts import (
    KDDI_PORTAL_PASSWORD,
    Action,
    PasswordPolicyError,
    PasswordService,
    Role,
    UserDirectoryService,
    check_permission,
    setup_link_expires_at,
)
from omakase_core.calendar import JST, format_deadline, format_instant
from omakase_core.delivery import deliver_pending
from omakase_core.errors import DeadlinePassed, InvalidTransition, PermissionDenied
from omakase_core.inquiry import Attachment, InquiryService
from omakase_core.messages import NotificationSettings
from omakase_core.principal import Principal
from omakase_core.testing import (
    FixedClock,
    InMemoryAttachmentStore,
    InMemoryContractedServices,
    InMemoryInquiryRepository,
    InMemoryOutbox,
    InMemoryRepository,
    RecordingNotifier,
)

SETTINGS = NotificationSettings(
    contractor_login_url="https://biz.example.jp/login",
    first_login_url="https://biz.example.jp/first-login",
)
HASHER = runpy.run_path(str(Path(__file__).with_name("scrypt_hasher.py")))["ScryptHasher"]()
SATO = "sato@example.co.jp"
CONTRACTS = {"tenant-1": ("KDDI IP-VPN", "KDDI 光ダイレクト")}
"""The portal's contract records: the services each tenant has contracted (INQ-1)."""


def main() -> None:
    """Run the day."""
    clock = FixedClock(datetime(2026, 11, 2, 9, 0, tzinfo=JST))
    outbox = InMemoryOutbox()
    passwords = PasswordService(
        credentials=InMemoryRepository(InMemoryOutbox()),
        clock=clock,
        hasher=HASHER,
        policy=KDDI_PORTAL_PASSWORD,
    )
    directory = UserDirectoryService(
        tenants=InMemoryRepository(outbox), clock=clock, passwords=passwords
    )
    provisioning = Principal.operator("kddi-provisioning")
    yamada = Principal.customer("tenant-1", user_id="admin@example.co.jp", role=Role.ADMIN)
    sato_self = Principal.customer("tenant-1", user_id=SATO, role=Role.USER)
    opened = directory.create_tenant(
        "tenant-1",
        by=provisioning,
        admin_id="admin@example.co.jp",
        family_name="山田",
        given_name="太郎",
    )
    print(
        f"[{format_instant(clock.now())}] tenant opened; 管理者 山田 is"
        f" {opened.user('admin@example.co.jp').status.label} until their own setup (ACC-4)"
    )
    directory.complete_setup("tenant-1", by=yamada, user_id="admin@example.co.jp", link=1)
    print(f"[{format_instant(clock.now())}] 管理者 山田 adds 佐藤 as a ユーザ")
    tenant = directory.add_user(
        "tenant-1",
        by=yamada,
        user_id=SATO,
        role=Role.USER,
        family_name="佐藤",
        given_name="花子",
    )
    sato = tenant.user(SATO)
    if sato.setup_sent_at is not None:
        expiry = format_deadline(setup_link_expires_at(sato.setup_sent_at))
        print(f"  status {sato.status.label}; the setup link is valid until {expiry}")

    clock.advance(days=7)
    set_up_after_a_resend(directory, yamada, sato_self, clock)
    try:
        directory.complete_setup("tenant-1", by=yamada, user_id=SATO)
    except PermissionDenied as refused:
        print(f"  山田 tries to finish 佐藤's setup: refused ({refused.rule})")
    directory.complete_setup("tenant-1", by=sato_self, user_id=SATO, link=2)
    passwords.set_initial(SATO, by=sato_self, new="Hanako2026!", confirmation="Hanako2026!")
    print(
        f"[{format_instant(clock.now())}] 佐藤 finishes the setup: can log in =",
        directory.check_login("tenant-1", by=sato_self, user_id=SATO).status.label,
    )

    clock.advance(hours=3)
    try:
        passwords.change(
            SATO,
            by=sato_self,
            current="Hanako2026!",
            new="password",
            confirmation="password",
        )
    except PasswordPolicyError as refused:
        print(f"  password change refused ({refused.requirement}): {refused}")
    passwords.change(
        SATO,
        by=sato_self,
        current="Hanako2026!",
        new="Sato-Nov-2026",
        confirmation="Sato-Nov-2026",
    )
    print("  password changed; only its scrypt hash is stored")

    try:
        check_permission(sato_self, Action.APPLY_ID_COUNT_CHANGE)
    except PermissionDenied as refused:
        print(f"  ユーザ tries an ID-count change: {refused}")

    clock.advance(days=1)
    temporary_password(directory, passwords, yamada, sato_self, clock)
    change_role(directory, yamada, clock)

    inquire(outbox, clock, sato_self)
    follow_up_with_attachment(outbox, clock, sato_self)


def set_up_after_a_resend(
    directory: UserDirectoryService, yamada: Principal, sato_self: Principal, clock: FixedClock
) -> None:
    """佐藤's link ran out: 山田 resends the setup mail; only the new link works (ACC-11)."""
    try:
        directory.complete_setup("tenant-1", by=sato_self, user_id=SATO, link=1)
    except DeadlinePassed as refused:
        print(f"[{format_instant(clock.now())}] 佐藤's first link: {refused}")
    tenant = directory.resend_setup_mail("tenant-1", by=yamada, user_id=SATO)
    sato = tenant.user(SATO)
    if sato.setup_sent_at is not None:
        expiry = format_deadline(setup_link_expires_at(sato.setup_sent_at))
        print(f"  山田 resends the setup mail: link {sato.setup_link}, valid until {expiry}")
    try:
        directory.complete_setup("tenant-1", by=sato_self, user_id=SATO, link=1)
    except InvalidTransition as refused:
        print(f"  the old link no longer works ({refused.rule})")


def temporary_password(
    directory: UserDirectoryService,
    passwords: PasswordService,
    yamada: Principal,
    sato_self: Principal,
    clock: FixedClock,
) -> None:
    """佐藤 forgot the password: 山田 sets a temporary one, 佐藤 must change it (ACC-11)."""
    directory.set_temporary_password(
        "tenant-1", by=yamada, user_id=SATO, new="Temp-1102-ab", confirmation="Temp-1102-ab"
    )
    login = directory.check_login("tenant-1", by=sato_self, user_id=SATO)
    print(
        f"[{format_instant(clock.now())}] 山田 sets a temporary password for 佐藤:"
        f" must change at login = {login.must_change_password}"
    )
    passwords.change(
        SATO,
        by=sato_self,
        current="Temp-1102-ab",
        new="Sato-Dec-2026",
        confirmation="Sato-Dec-2026",
    )
    login = directory.check_login("tenant-1", by=sato_self, user_id=SATO)
    print(f"  佐藤 changes it: must change at login = {login.must_change_password}")


def change_role(directory: UserDirectoryService, yamada: Principal, clock: FixedClock) -> None:
    """山田 gives 佐藤 the 管理者 role and takes it back; 山田 keeps their own (ACC-11)."""
    clock.advance(hours=1)
    tenant = directory.change_role("tenant-1", by=yamada, user_id=SATO, role=Role.ADMIN)
    print(f"[{format_instant(clock.now())}] 佐藤 is now {tenant.user(SATO).role.label}")
    try:
        directory.change_role("tenant-1", by=yamada, user_id="admin@example.co.jp", role=Role.USER)
    except InvalidTransition as refused:
        print(f"  山田 tries to drop their own 管理者 role: refused ({refused.rule})")
    tenant = directory.change_role("tenant-1", by=yamada, user_id=SATO, role=Role.USER)
    print(f"  佐藤 is a {tenant.user(SATO).role.label} again")


def inquire(outbox: InMemoryOutbox, clock: FixedClock, sato_self: Principal) -> None:
    """佐藤 sends a fault inquiry; staff answer; 佐藤 closes it; its file goes later (INQ-2)."""
    files = InMemoryAttachmentStore()  # the portal's file store, where uploads are kept
    inquiries = InquiryService(
        inquiries=InMemoryInquiryRepository(outbox),
        clock=clock,
        attachments=files,
        services=InMemoryContractedServices(CONTRACTS),
    )
    kddi_staff = Principal.operator("kddi-support-1")
    files.store("upload-20261104-001")
    inquiry = inquiries.open(
        "inq-1",
        by=sato_self,
        subject="メールが受信できない",
        body="今朝から新着メールが届きません。",
        contact_email="sato@example.co.jp",
        service="KDDI 光ダイレクト",
        attachments=(
            Attachment(
                attachment_id="upload-20261104-001", filename="screenshot.PNG", size_bytes=240_000
            ),
        ),
    )
    print(f"[{format_instant(clock.now())}] inquiry {inquiry.id}: {inquiry.status.label}")
    clock.advance(hours=2)
    answered = inquiries.answer(
        "inq-1", "受信設定を初期化しました。ご確認ください。", by=kddi_staff
    )
    print(f"[{format_instant(clock.now())}] staff answer: {answered.status.label}")
    notifier = RecordingNotifier()
    deliver_pending(outbox, notifier, clock=clock, settings=SETTINGS)
    for message in notifier.messages:
        print(f"  ✉ {message.subject} → {message.to}")
    clock.advance(hours=1)
    resolved = inquiries.resolve("inq-1", by=sato_self)
    if resolved.purge_at is not None:
        print(f"  resolved; attachments are deleted at {format_deadline(resolved.purge_at)}")
        clock.set(resolved.purge_at)  # six months on: the back office's sweep runs
        report = inquiries.apply_due(clock.now(), by=Principal.system())
        print(
            f"[{format_instant(clock.now())}] purge sweep: {report.files} file of"
            f" {', '.join(report.purged)} deleted; files left in the store: {files.ids()}"
        )


def follow_up_with_attachment(
    outbox: InMemoryOutbox, clock: FixedClock, sato_self: Principal
) -> None:
    """佐藤 asks about a contracted service and follows up with a file (INQ-1, INQ-2).

    The portal tells the service which services the tenant has contracted (the
    ``ContractedServices`` port); a message sent before any answer keeps the inquiry 受付.
    """
    inquiries = InquiryService(
        inquiries=InMemoryInquiryRepository(outbox),
        clock=clock,
        attachments=InMemoryAttachmentStore(),
        services=InMemoryContractedServices(CONTRACTS),
    )
    try:
        inquiries.open(
            "inq-2",
            by=sato_self,
            subject="回線が切れる",
            body="夜間に切断されます。",
            contact_email="sato@example.co.jp",
            service="au ひかり",
        )
    except ValueError as refused:  # a ValidationError, which is also a ValueError
        print(f"  an inquiry about a service not contracted is refused: {refused}")
    inquiry = inquiries.open(
        "inq-2",
        by=sato_self,
        subject="拠点間がつながらない",
        body="大阪拠点から東京拠点に届きません。",
        contact_email="sato@example.co.jp",
        service="KDDI IP-VPN",
    )
    print(
        f"[{format_instant(clock.now())}] inquiry {inquiry.id} about {inquiry.service}:"
        f" {inquiry.status.label}"
    )
    clock.advance(minutes=30)
    followed = inquiries.add_message(
        "inq-2",
        "ping の結果を添付します。",
        by=sato_self,
        attachments=(
            Attachment(attachment_id="upload-ping-001", filename="ping.csv", size_bytes=1_200),
        ),
    )
    files = ", ".join(a.filename for a in followed.attachments_of(len(followed.messages) - 1))
    print(
        f"[{format_instant(clock.now())}] 佐藤 follows up before any answer with {files}:"
        f" still {followed.status.label}"
    )


if __name__ == "__main__":
    main()
