"""Messages of Connecure applications: the customer hears of every operator step (SUB-3).

The seed names no notification subjects for Connecure, so the subject and the body are
ours. Steps the customer took themselves send nothing.
"""

from __future__ import annotations

from typing import Final

from omakase_core.calendar import format_instant
from omakase_core.lifecycle import Actor
from omakase_core.messages import Message, NotificationSettings, register_renderer
from omakase_core.submission.model import (
    ApplicationClosed,
    ApplicationEvent,
    ConstructionCompleted,
    DeadlineSet,
    DocumentAdded,
    DocumentDetailsUpdated,
    DocumentStatusChanged,
    FileUploaded,
    ScheduleSet,
    SiteAspsChanged,
    SiteChangeStarted,
    SiteEvent,
    SiteFaultContactsChanged,
    SiteFaultContactsScheduled,
    SiteInstalled,
    SiteRenameClosed,
    SiteRenamed,
)

__all__ = ["SUBJECT_CLOSED", "SUBJECT_STATUS_CHANGED"]

SUBJECT_STATUS_CHANGED: Final = "【Connecure】提出情報のステータス変更のお知らせ"

_FOOTER: Final = "このメールは送信専用です。ご返信いただいてもお答えできません。"


def _status_changed(event: DocumentStatusChanged, _: NotificationSettings) -> tuple[Message, ...]:
    if event.actor is not Actor.OPERATOR:
        return ()
    lines = [
        f"拠点 {event.site} のお申込みについてお知らせします。",
        "",
        (
            f"{event.kind.label} のステータスが「{event.source.label}」から"
            f"「{event.target.label}」に変わりました（{format_instant(event.occurred_at)}）。"
        ),
    ]
    if event.comment:
        lines += ["", "NTTデータからのコメント:", event.comment]
    lines += ["", "カスタマーポータルで内容をご確認ください。", "", _FOOTER]
    return (
        Message(
            key=f"{event.idempotency_key}/customer",
            event_key=event.idempotency_key,
            to=event.contact_email,
            subject=SUBJECT_STATUS_CHANGED,
            body="\n".join(lines),
        ),
    )


SUBJECT_CLOSED: Final = "【Connecure】お申込み取消のお知らせ"


def _closed(event: ApplicationClosed, _: NotificationSettings) -> tuple[Message, ...]:
    """Tell the customer that the operator closed (取消) its application (SUB-16)."""
    if event.actor is not Actor.OPERATOR:
        return ()
    lines = [
        f"拠点 {event.site} のお申込みについてお知らせします。",
        "",
        f"お申込みはNTTデータにて取消されました（{format_instant(event.occurred_at)}）。",
        "",
        _FOOTER,
    ]
    return (
        Message(
            key=f"{event.idempotency_key}/customer",
            event_key=event.idempotency_key,
            to=event.contact_email,
            subject=SUBJECT_CLOSED,
            body="\n".join(lines),
        ),
    )


def _silent(_: ApplicationEvent, __: NotificationSettings) -> tuple[Message, ...]:
    return ()


def _silent_site(_: SiteEvent, __: NotificationSettings) -> tuple[Message, ...]:
    return ()


register_renderer(DocumentStatusChanged, _status_changed)
register_renderer(ApplicationClosed, _closed)
for _event_type in (
    FileUploaded,
    DocumentDetailsUpdated,
    DocumentAdded,
    DeadlineSet,
    ScheduleSet,
    ConstructionCompleted,
):
    register_renderer(_event_type, _silent)
for _site_event in (
    SiteInstalled,
    SiteChangeStarted,
    SiteRenamed,
    SiteRenameClosed,
    SiteAspsChanged,
    SiteFaultContactsScheduled,
    SiteFaultContactsChanged,
):  # the site follows its applications: their notices say it all (SUB-5)
    register_renderer(_site_event, _silent_site)
