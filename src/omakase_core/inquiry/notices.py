"""Messages of fault inquiries (INQ-3): an answered inquiry notifies its contact address.

The rulebook names no subject for this notice, so the subject is ours. The other events —
opened, a message added, resolved, the attachments deleted at their purge (INQ-2) — send
nothing.
"""

from __future__ import annotations

from typing import Final

from omakase_core.calendar import format_instant
from omakase_core.inquiry.model import (
    AttachmentsDeleted,
    InquiryAnswered,
    InquiryEvent,
    InquiryMessageAdded,
    InquiryOpened,
    InquiryResolved,
)
from omakase_core.messages import Message, NotificationSettings, register_renderer

__all__ = ["SUBJECT_ANSWERED"]

SUBJECT_ANSWERED: Final = "【My KDDI Biz 総合】お問い合わせ回答のお知らせ"


def _answered(event: InquiryAnswered, _: NotificationSettings) -> tuple[Message, ...]:
    body = "\n".join(
        [
            (
                f"お問い合わせ「{event.subject}」に"
                f" {format_instant(event.occurred_at)} に回答しました。"
            ),
            "",
            event.answer,
            "",
            "追加のご質問はポータルのお問い合わせ画面からお送りください。",
            "",
            "このメールは送信専用です。ご返信いただいてもお答えできません。",
        ]
    )
    return (
        Message(
            key=f"{event.idempotency_key}/contact",
            event_key=event.idempotency_key,
            to=event.contact_email,
            subject=SUBJECT_ANSWERED,
            body=body,
        ),
    )


def _silent(_: InquiryEvent, __: NotificationSettings) -> tuple[Message, ...]:
    return ()


register_renderer(InquiryAnswered, _answered)
for _event_type in (InquiryOpened, InquiryMessageAdded, InquiryResolved, AttachmentsDeleted):
    register_renderer(_event_type, _silent)
