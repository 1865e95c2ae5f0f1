"""OCN-5: a change's confirmation mail and the cancellation's 受付完了 notice, via the outbox."""

from __future__ import annotations

import pytest

from omakase_core import NotificationSettings, deliver_pending
from omakase_core.codec import encode
from omakase_core.messages import Message, render
from omakase_core.ocn import (
    CancellationSubmitted,
    MailChangeApplied,
    MailChangePattern,
    MailChangeRequest,
    OcnEvent,
    VirusCheck,
)
from omakase_core.ocn.notices import SUBJECT_CANCELLATION_ACCEPTED, SUBJECT_MAIL_CHANGE
from omakase_core.testing import RecordingNotifier
from tests.ocn.conftest import (
    CANCELLATION,
    PASSWORD,
    RENAME,
    SEED,
    SEED_CUSTOMER,
    STAFF,
    Desk,
)

SETTINGS = NotificationSettings(
    contractor_login_url="https://x.example.jp", first_login_url="https://y.example.jp"
)

TICKED = MailChangeRequest(
    pattern=MailChangePattern.ACCOUNT_AND_VIRUS_CHECK,
    action=RENAME.action,
    account="k04xm40u",
    new_name="opqrstu",
    virus_check=VirusCheck.USE,
    virus_check_consent=True,
    notify=("abcdefg", "k04xm40u"),
)
"""The seed's 1.2.4 with both addresses ticked for the confirmation mail."""


def sent(desk: Desk) -> list[Message]:
    """Deliver what the outbox holds and return what the notifier received."""
    notifier = RecordingNotifier()
    deliver_pending(desk.outbox, notifier, clock=desk.clock, settings=SETTINGS)
    return notifier.messages


def test_ocn_5_the_change_is_confirmed_to_every_ticked_address(desk: Desk) -> None:
    sent(desk)  # the registrations of the lines send nothing
    desk.apply(SEED, TICKED)
    messages = sent(desk)
    assert [m.to for m in messages] == ["abcdefg@arrow.ocn.ne.jp", "k04xm40u@dune.ocn.ne.jp"]
    assert {m.subject for m in messages} == {SUBJECT_MAIL_CHANGE}
    assert len({m.key for m in messages}) == 2
    body = messages[0].body
    for fact in ("k04xm40u@dune.ocn.ne.jp", "opqrstu", "利用しない", "利用する", "450", "495"):
        assert fact in body
    assert PASSWORD not in body


def test_ocn_5_no_confirmation_mail_when_nothing_is_ticked(desk: Desk) -> None:
    sent(desk)
    desk.apply(SEED, RENAME)
    (record,) = [r for r in desk.outbox.records() if not r.is_delivered]
    assert isinstance(record.event, MailChangeApplied)
    assert record.event.recipients == ()
    assert sent(desk) == []


def test_ocn_5_the_event_carries_what_the_mail_says_and_no_password(desk: Desk) -> None:
    desk.apply(SEED, TICKED)
    event = desk.outbox.records()[-1].event
    assert isinstance(event, MailChangeApplied)
    assert (event.request, event.recipients) == (
        TICKED,
        ("abcdefg@arrow.ocn.ne.jp", "k04xm40u@dune.ocn.ne.jp"),
    )
    assert (event.account_address, event.had_virus_check) == ("k04xm40u@dune.ocn.ne.jp", False)
    assert (event.monthly_fee, event.monthly_fee_tax_included) == (450, 495)
    assert PASSWORD not in encode(event)
    assert "hashed" not in encode(event)


def test_ocn_5_the_cancellation_sends_its_acceptance_notice_to_the_contact_email(
    desk: Desk,
) -> None:
    sent(desk)
    desk.service.submit_cancellation(SEED, CANCELLATION, by=SEED_CUSTOMER)
    (message,) = sent(desk)
    assert (message.to, message.subject) == ("taro@example.co.jp", SUBJECT_CANCELLATION_ACCEPTED)
    assert "受付完了" in message.subject
    for fact in ("山田太郎", "2026年12月31日"):
        assert fact in message.body


def test_ocn_5_a_withdrawn_change_is_named_in_the_cancellation_notice(desk: Desk) -> None:
    desk.apply(SEED, RENAME)
    sent(desk)
    desk.service.submit_cancellation(SEED, CANCELLATION, by=SEED_CUSTOMER)
    event = desk.outbox.records()[-1].event
    assert isinstance(event, CancellationSubmitted)
    assert event.withdrew_mail_change is True
    (message,) = sent(desk)
    assert "変更のお申込みは、取り消しました" in message.body


def test_ocn_5_the_cancellation_notice_names_no_withdrawn_change_when_none_was_pending(
    desk: Desk,
) -> None:
    desk.service.submit_cancellation(SEED, CANCELLATION, by=SEED_CUSTOMER)
    messages = [m for m in sent(desk) if m.subject == SUBJECT_CANCELLATION_ACCEPTED]
    assert [m.to for m in messages] == ["taro@example.co.jp"]
    assert "取り消しました" not in messages[0].body


@pytest.mark.parametrize("step", ["register", "unavailable", "cancel", "complete"])
def test_ocn_5_the_other_steps_send_nothing(desk: Desk, step: str) -> None:
    desk.apply(SEED, RENAME)
    if step == "complete":
        desk.service.submit_cancellation(SEED, CANCELLATION, by=SEED_CUSTOMER)
    sent(desk)
    if step == "register":
        desk.service.register_mail_change(SEED, by=STAFF, host="dune.ocn.ne.jp")
    elif step == "unavailable":
        desk.service.report_name_unavailable(SEED, by=STAFF)
    elif step == "cancel":
        desk.service.cancel_mail_change(SEED, by=SEED_CUSTOMER)
    else:
        desk.service.complete_cancellation(SEED, by=STAFF)
    event = desk.outbox.records()[-1].event
    assert type(event) is OcnEvent
    assert render(event, SETTINGS) == ()
    assert sent(desk) == []
