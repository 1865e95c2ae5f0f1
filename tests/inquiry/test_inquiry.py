"""INQ-1 … INQ-3: fault inquiries, attachments and the answer notice."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omakase_core import LIFECYCLES, InvalidTransition, PermissionDenied, ValidationError
from omakase_core.delivery import deliver_pending
from omakase_core.inquiry import (
    ATTACHMENT_MAX_BYTES,
    Attachment,
    InquiryStatus,
    attachment_purge_at,
    validate_attachment,
)
from omakase_core.inquiry.notices import SUBJECT_ANSWERED
from omakase_core.messages import NotificationSettings
from omakase_core.testing import FixedClock, RecordingNotifier
from tests.inquiry.conftest import ADMIN, STAFF, USER, WAN, Desk, jst

S = InquiryStatus
SETTINGS = NotificationSettings(
    contractor_login_url="https://x.example.jp", first_login_url="https://y.example.jp"
)


def test_inq_1_the_lifecycle() -> None:
    lifecycle = LIFECYCLES["inquiry"]
    assert lifecycle.initial is S.RECEIVED
    assert lifecycle.final == {S.RESOLVED}
    assert [s.label for s in S] == ["受付", "回答済", "解決済"]


def test_inq_1_an_inquiry_belongs_to_the_tenant_of_the_user_who_sent_it(desk: Desk) -> None:
    inquiry = desk.inquiries.get("inq-1")
    assert (inquiry.customer_id, inquiry.status, inquiry.version) == ("tenant-1", S.RECEIVED, 1)
    assert inquiry.attachments == (
        Attachment(attachment_id="att-log", filename="log.txt", size_bytes=10),
    )


def test_inq_1_answer_follow_up_and_resolve(desk: Desk) -> None:
    service = desk.service
    assert service.answer("inq-1", "再起動をお試しください", by=STAFF).status is S.ANSWERED
    assert service.add_message("inq-1", "まだつながりません", by=USER).status is S.RECEIVED
    service.answer("inq-1", "設定を変更しました", by=STAFF)
    desk.clock.set(jst(2026, 11, 30, 15, 0))
    resolved = service.resolve("inq-1", by=ADMIN)  # any user of the tenant may close it
    assert resolved.status is S.RESOLVED
    assert resolved.purge_at == jst(2027, 6, 1)  # day 1 is 12/1: ends at the end of 5/31
    assert len(resolved.messages) == 4


def test_inq_1_resolved_is_terminal_and_refusals_change_nothing(desk: Desk) -> None:
    desk.service.resolve("inq-1", by=USER)
    before = desk.snapshot()
    with pytest.raises(InvalidTransition):
        desk.service.add_message("inq-1", "追加です", by=USER)
    with pytest.raises(InvalidTransition):
        desk.service.answer("inq-1", "回答", by=STAFF)
    assert desk.snapshot() == before


def test_inq_1_only_staff_answer(desk: Desk) -> None:
    before = desk.snapshot()
    with pytest.raises(PermissionDenied):
        desk.service.answer("inq-1", "自己解決", by=ADMIN)
    assert desk.snapshot() == before


def test_inq_2_attachments() -> None:
    validate_attachment("Report.XLSX", ATTACHMENT_MAX_BYTES)
    with pytest.raises(ValidationError) as too_big:
        validate_attachment("report.pdf", ATTACHMENT_MAX_BYTES + 1)
    assert too_big.value.field == "size_bytes"
    with pytest.raises(ValidationError) as bad_type:
        validate_attachment("run.sh", 10)
    assert bad_type.value.rule == "INQ-2"


@given(
    st.sampled_from(["pdf", "png", "jpeg", "jpg", "gif", "bmp", "txt", "csv", "xlsx"]),
    st.booleans(),
    st.integers(min_value=1, max_value=ATTACHMENT_MAX_BYTES),
)
def test_inq_2_every_accepted_type_in_any_case_up_to_3_mb(ext: str, upper: bool, size: int) -> None:
    validate_attachment(f"file.{ext.upper() if upper else ext}", size)


def test_inq_2_an_attachment_of_a_refused_type_or_size_cannot_exist() -> None:
    with pytest.raises(ValidationError) as bad_type:
        Attachment(attachment_id="a-1", filename="virus.exe", size_bytes=1)
    assert (bad_type.value.field, bad_type.value.rule) == ("filename", "INQ-2")
    with pytest.raises(ValidationError) as too_big:
        Attachment(attachment_id="a-1", filename="a.pdf", size_bytes=ATTACHMENT_MAX_BYTES + 1)
    assert too_big.value.field == "size_bytes"


def test_inq_2_a_long_file_name_is_not_echoed() -> None:
    with pytest.raises(ValidationError) as raised:
        validate_attachment("x" * 250 + ".exe", 10)
    assert len(str(raised.value)) < 160


def test_inq_2_attachments_go_six_months_after_resolution() -> None:
    assert attachment_purge_at(jst(2026, 3, 10, 15, 0)) == jst(2026, 9, 11)


@pytest.mark.parametrize(
    ("attachments", "field"),
    [
        (None, "attachments"),
        ("log.txt", "attachments"),
        ({"filename": "log.txt", "size_bytes": 1}, "attachments"),
        (({"filename": "log.txt", "size_bytes": 1},), "attachments"),
    ],
)
def test_inq_2_attachments_must_be_attachment_values(
    desk: Desk, attachments: object, field: str
) -> None:
    """SEC-2: ``attachments=None`` is a ValidationError naming ``attachments``, not a crash."""
    with pytest.raises(ValidationError) as raised:
        desk.service.open(
            "inq-3",
            by=USER,
            subject="s",
            body="b",
            contact_email="a@example.co.jp",
            service=WAN,
            attachments=attachments,  # type: ignore[arg-type]
        )
    assert raised.value.field == field
    assert len(desk.inquiries) == 2


def test_inq_2_a_list_of_attachments_is_kept_as_a_tuple(desk: Desk) -> None:
    files = [
        Attachment(attachment_id="a-1", filename="a.png", size_bytes=1),
        Attachment(attachment_id="a-2", filename="b.csv", size_bytes=2),
    ]
    opened = desk.service.open(
        "inq-3",
        by=ADMIN,
        subject="s",
        body="b",
        contact_email="a@example.co.jp",
        service=WAN,
        attachments=files,  # type: ignore[arg-type]  # a caller's list is accepted too
    )
    assert opened.attachments == tuple(files)


def test_inq_3_an_answer_notifies_the_contact_address(desk: Desk) -> None:
    desk.service.answer("inq-1", "再起動をお試しください", by=STAFF)
    notifier = RecordingNotifier()
    deliver_pending(
        desk.outbox, notifier, clock=FixedClock(jst(2026, 11, 2, 10)), settings=SETTINGS
    )
    (message,) = notifier.messages
    assert message.subject == SUBJECT_ANSWERED
    assert message.to == "user@example.co.jp"
    assert "再起動をお試しください" in message.body
