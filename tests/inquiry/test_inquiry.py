"""INQ-1 … INQ-3: fault inquiries, attachments and the answer notice."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omakase_core import LIFECYCLES, Actor, InvalidTransition, PermissionDenied, ValidationError
from omakase_core.accounts import Role
from omakase_core.calendar import JST
from omakase_core.delivery import deliver_pending
from omakase_core.inquiry import (
    ATTACHMENT_MAX_BYTES,
    Attachment,
    InquiryService,
    InquiryStatus,
    attachment_purge_at,
    validate_attachment,
)
from omakase_core.inquiry.notices import SUBJECT_ANSWERED
from omakase_core.messages import NotificationSettings
from omakase_core.testing import FixedClock, InMemoryOutbox, InMemoryRepository, RecordingNotifier

S = InquiryStatus
SETTINGS = NotificationSettings(
    contractor_login_url="https://x.example.jp", first_login_url="https://y.example.jp"
)


def jst(*args: int) -> datetime:
    return datetime(*args, tzinfo=JST)  # type: ignore[arg-type, misc]


def desk() -> tuple[InquiryService, FixedClock, InMemoryOutbox, InMemoryRepository]:  # type: ignore[type-arg]
    clock = FixedClock(jst(2026, 11, 2, 9, 0))
    outbox = InMemoryOutbox()
    repo: InMemoryRepository = InMemoryRepository(outbox)  # type: ignore[type-arg]
    service = InquiryService(inquiries=repo, clock=clock)
    service.open(
        "inq-1",
        role=Role.USER,
        subject="VPN につながらない",
        body="朝から接続できません",
        contact_email="user@example.co.jp",
        attachments=(Attachment(filename="log.txt", size_bytes=10),),
    )
    return service, clock, outbox, repo


def test_inq_1_the_lifecycle() -> None:
    lifecycle = LIFECYCLES["inquiry"]
    assert lifecycle.initial is S.RECEIVED
    assert lifecycle.final == {S.RESOLVED}
    assert [s.label for s in S] == ["受付", "回答済", "解決済"]


def test_inq_1_answer_follow_up_and_resolve() -> None:
    service, clock, _, _ = desk()
    assert (
        service.answer("inq-1", "再起動をお試しください", actor=Actor.OPERATOR).status is S.ANSWERED
    )
    assert (
        service.add_message("inq-1", "まだつながりません", actor=Actor.CUSTOMER).status
        is S.RECEIVED
    )
    service.answer("inq-1", "設定を変更しました", actor=Actor.OPERATOR)
    clock.set(jst(2026, 11, 30, 15, 0))
    resolved = service.resolve("inq-1", actor=Actor.CUSTOMER)
    assert resolved.status is S.RESOLVED
    assert resolved.purge_at == jst(2027, 6, 1)  # day 1 is 12/1: ends at the end of 5/31
    assert len(resolved.messages) == 4


def test_inq_1_resolved_is_terminal_and_refusals_change_nothing() -> None:
    service, _, outbox, repo = desk()
    service.resolve("inq-1", actor=Actor.CUSTOMER)
    before = (repo.get("inq-1"), outbox.records())
    with pytest.raises(InvalidTransition):
        service.add_message("inq-1", "追加です", actor=Actor.CUSTOMER)
    with pytest.raises(InvalidTransition):
        service.answer("inq-1", "回答", actor=Actor.OPERATOR)
    assert (repo.get("inq-1"), outbox.records()) == before


def test_inq_1_only_staff_answer() -> None:
    service, _, _, _ = desk()
    with pytest.raises(PermissionDenied):
        service.answer("inq-1", "自己解決", actor=Actor.CUSTOMER)


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


def test_inq_2_attachments_go_six_months_after_resolution() -> None:
    assert attachment_purge_at(jst(2026, 3, 10, 15, 0)) == jst(2026, 9, 11)


def test_inq_2_an_inquiry_with_a_bad_attachment_is_not_opened() -> None:
    service, _, _, repo = desk()
    with pytest.raises(ValidationError):
        service.open(
            "inq-2",
            role=Role.ADMIN,
            subject="s",
            body="b",
            contact_email="a@example.co.jp",
            attachments=(Attachment(filename="virus.exe", size_bytes=1),),
        )
    assert len(repo) == 1


def test_inq_3_an_answer_notifies_the_contact_address() -> None:
    service, _, outbox, _ = desk()
    service.answer("inq-1", "再起動をお試しください", actor=Actor.OPERATOR)
    notifier = RecordingNotifier()
    deliver_pending(outbox, notifier, clock=FixedClock(jst(2026, 11, 2, 10)), settings=SETTINGS)
    (message,) = notifier.messages
    assert message.subject == SUBJECT_ANSWERED
    assert message.to == "user@example.co.jp"
    assert "再起動をお試しください" in message.body
