"""A My KDDI Biz administrator's day (ACC-1 … ACC-10, INQ-1 … INQ-3).

The administrator adds a user, who finishes their own setup within the link's 7 days (the
administrator may not do it for them, SEC-1) and changes the password through a hasher;
each acts as a ``Principal`` of the tenant; a ユーザ tries an administrator's action and is
refused; the
user sends a fault inquiry with a screenshot, staff answer it (and the answer notice goes
out), the user closes it, and six months later the sweep deletes the screenshot from the
portal's file store (INQ-2).
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
from omakase_core.errors import PermissionDenied
from omakase_core.inquiry import Attachment, InquiryService
from omakase_core.messages import NotificationSettings
from omakase_core.principal import Principal
from omakase_core.testing import (
    FixedClock,
    InMemoryAttachmentStore,
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


def main() -> None:
    """Run the day."""
    clock = FixedClock(datetime(2026, 11, 2, 9, 0, tzinfo=JST))
    outbox = InMemoryOutbox()
    directory = UserDirectoryService(tenants=InMemoryRepository(outbox), clock=clock)
    provisioning = Principal.operator("kddi-provisioning")
    yamada = Principal.customer("tenant-1", user_id="admin@example.co.jp", role=Role.ADMIN)
    sato_self = Principal.customer("tenant-1", user_id="sato@example.co.jp", role=Role.USER)
    directory.create_tenant(
        "tenant-1",
        by=provisioning,
        admin_id="admin@example.co.jp",
        family_name="山田",
        given_name="太郎",
    )
    print(f"[{format_instant(clock.now())}] 管理者 山田 adds 佐藤 as a ユーザ")
    tenant = directory.add_user(
        "tenant-1",
        by=yamada,
        user_id="sato@example.co.jp",
        role=Role.USER,
        family_name="佐藤",
        given_name="花子",
    )
    sato = tenant.user("sato@example.co.jp")
    if sato.setup_sent_at is not None:
        expiry = format_deadline(setup_link_expires_at(sato.setup_sent_at))
        print(f"  status {sato.status.label}; the setup link is valid until {expiry}")

    clock.advance(days=2)
    passwords = PasswordService(
        credentials=InMemoryRepository(InMemoryOutbox()),
        clock=clock,
        hasher=HASHER,
        policy=KDDI_PORTAL_PASSWORD,
    )
    try:
        directory.complete_setup("tenant-1", by=yamada, user_id="sato@example.co.jp")
    except PermissionDenied as refused:
        print(f"  山田 tries to finish 佐藤's setup: refused ({refused.rule})")
    directory.complete_setup("tenant-1", by=sato_self, user_id="sato@example.co.jp")
    passwords.set_initial(
        "sato@example.co.jp", by=sato_self, new="Hanako2026!", confirmation="Hanako2026!"
    )
    print(
        f"[{format_instant(clock.now())}] 佐藤 finishes the setup: can log in =",
        directory.check_login("tenant-1", by=sato_self, user_id="sato@example.co.jp").status.label,
    )

    clock.advance(hours=3)
    try:
        passwords.change(
            "sato@example.co.jp",
            by=sato_self,
            current="Hanako2026!",
            new="password",
            confirmation="password",
        )
    except PasswordPolicyError as refused:
        print(f"  password change refused ({refused.requirement}): {refused}")
    passwords.change(
        "sato@example.co.jp",
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

    inquire(outbox, clock, sato_self)


def inquire(outbox: InMemoryOutbox, clock: FixedClock, sato_self: Principal) -> None:
    """佐藤 sends a fault inquiry; staff answer; 佐藤 closes it; its file goes later (INQ-2)."""
    files = InMemoryAttachmentStore()  # the portal's file store, where uploads are kept
    inquiries = InquiryService(
        inquiries=InMemoryInquiryRepository(outbox), clock=clock, attachments=files
    )
    kddi_staff = Principal.operator("kddi-support-1")
    files.store("upload-20261104-001")
    inquiry = inquiries.open(
        "inq-1",
        by=sato_self,
        subject="メールが受信できない",
        body="今朝から新着メールが届きません。",
        contact_email="sato@example.co.jp",
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


if __name__ == "__main__":
    main()
