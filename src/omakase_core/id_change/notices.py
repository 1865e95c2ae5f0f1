"""Messages of ID-count change applications (IDC-2): accepted, and applied."""

from __future__ import annotations

from typing import Final

from omakase_core.calendar import format_deadline, format_instant
from omakase_core.id_change.model import (
    IdChangeAccepted,
    IdChangeApplied,
    IdChangeCompleted,
    IdChangeEvent,
    IdChangeWithdrawn,
)
from omakase_core.messages import Message, NotificationSettings, register_renderer

__all__ = ["SUBJECT_ACCEPTED", "SUBJECT_APPLIED"]

SUBJECT_ACCEPTED: Final = "【My KDDI Biz 総合】サービス情報変更受付のお知らせ"
SUBJECT_APPLIED: Final = "【My KDDI Biz 総合】サービス情報変更完了のお知らせ"

_FOOTER: Final = "このメールは送信専用です。ご返信いただいてもお答えできません。"


def _message(event: IdChangeEvent, subject: str, lines: list[str]) -> Message:
    return Message(
        key=f"{event.idempotency_key}/customer",
        event_key=event.idempotency_key,
        to=event.contact_email,
        subject=subject,
        body="\n".join([*lines, "", _FOOTER]),
    )


def _accepted(event: IdChangeAccepted, _: NotificationSettings) -> tuple[Message, ...]:
    decision = event.decision
    target = decision.target.label if decision.target else decision.requested_target.label
    lines = [
        (
            f"{event.service_label} の契約 ID 数変更（{decision.delta:+d}、{target}）のお申込みを"
            f" {format_instant(event.occurred_at)} に受け付けました。"
        ),
    ]
    if decision.applies_at is not None:
        lines.append(f"変更は {format_instant(decision.applies_at)} に適用されます。")
    elif decision.applies_by is not None:
        lines.append(f"変更は {format_deadline(decision.applies_by)} までに適用されます。")
    if decision.withdrawable_until is not None:
        lines.append(f"{format_deadline(decision.withdrawable_until)} まで取下げできます。")
    return (_message(event, SUBJECT_ACCEPTED, lines),)


def _applied(event: IdChangeApplied, _: NotificationSettings) -> tuple[Message, ...]:
    lines = [
        (
            f"{event.service_label} の契約 ID 数の変更（{event.delta:+d}）を"
            f" {format_instant(event.occurred_at)} に適用しました。"
        ),
    ]
    if event.processing_done_expected_at is not None:
        lines.append(
            "KDDI の内部処理は "
            f"{format_instant(event.processing_done_expected_at)} 頃に完了する見込みです。"
            "完了までは次の ID 数変更をお申し込みいただけません。"
        )
    return (_message(event, SUBJECT_APPLIED, lines),)


def _silent(_: IdChangeEvent, __: NotificationSettings) -> tuple[Message, ...]:
    return ()


register_renderer(IdChangeAccepted, _accepted)
register_renderer(IdChangeApplied, _applied)
register_renderer(IdChangeWithdrawn, _silent)
register_renderer(IdChangeCompleted, _silent)
