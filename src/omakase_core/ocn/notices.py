"""OCN's messages: the change's confirmation mail and the cancellation's 受付完了 notice (OCN-5).

A change application is confirmed to each address the customer ticked (none ticked: no
mail); the cancellation's submission, which is its acceptance (OCN-4), is confirmed to the
contact e-mail of the form (the seed: 「廃止申込み受付完了のお知らせメール」). The subjects and
bodies are ours. Every other step of a line (the operator's registration, a name found
unavailable, a cancelled change, the completion) sends nothing, and is declared silent
explicitly so that an undeclared event type still fails loudly. No message holds a
password or its hash: the events do not carry them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from omakase_core.calendar import format_date, format_instant
from omakase_core.messages import Message, NotificationSettings, register_renderer
from omakase_core.ocn.model import (
    AccountAction,
    CancellationSubmitted,
    MailChangeApplied,
    MailChangePattern,
    OcnEvent,
    VirusCheck,
)

if TYPE_CHECKING:
    from omakase_core.ocn.model import MailChangeRequest

__all__ = ["SUBJECT_CANCELLATION_ACCEPTED", "SUBJECT_MAIL_CHANGE"]

SUBJECT_MAIL_CHANGE: Final = "【OCN】メールアカウント・ウイルスチェックサービスのお申込み内容"
SUBJECT_CANCELLATION_ACCEPTED: Final = "【OCN】廃止申込み受付完了のお知らせ"

_FOOTER: Final = "このメールは送信専用のアドレスからお送りしています。ご返信には対応できません。"
_NOT_USED: Final = VirusCheck.NOT_USE.label
_USED: Final = VirusCheck.USE.label


def _account_line(event: MailChangeApplied) -> str | None:
    """Return the line of the mail about the account, or None when the account stays."""
    request: MailChangeRequest = event.request
    current = event.account_address or request.account
    if request.action is AccountAction.ADD:
        return f"メールアカウント（{request.action.label}）: {request.new_name}"
    if request.action is AccountAction.RENAME:
        return f"メールアカウント（{request.action.label}）: {current} → {request.new_name}"
    if request.action is AccountAction.DELETE:
        return f"メールアカウント（{request.action.label}）: {current}"
    return None


def _check_line(event: MailChangeApplied) -> str | None:
    """Return the line of the mail about the virus check, or None when it stays."""
    request: MailChangeRequest = event.request
    if request.virus_check is None:
        return None
    before = _USED if event.had_virus_check else _NOT_USED
    combined = request.pattern is MailChangePattern.ACCOUNT_AND_VIRUS_CHECK
    account = request.new_name if combined else event.account_address or request.account
    return f"ウイルスチェックサービス（{account}）: {before} → {request.virus_check.label}"


def _mail_change(event: MailChangeApplied, _: NotificationSettings) -> tuple[Message, ...]:
    """Confirm the application to every ticked address (OCN-5)."""
    if not event.recipients:
        return ()
    changes = [line for line in (_account_line(event), _check_line(event)) if line is not None]
    lines = [
        (
            "カスタマサポートデスクで、次の内容のお申込みを承りました"
            f"（{format_instant(event.occurred_at)}）。"
        ),
        "",
        *changes,
        (f"登録後の月額料金: {event.monthly_fee:,}円（税込 {event.monthly_fee_tax_included:,}円）"),
    ]
    if event.request.names_new_account:
        lines += [
            "",
            "@より後ろのホスト名は、登録の際に当社が決めます。",
            "ご希望のアカウント名がすでに使われているなどの理由で、登録できないことがあります。",
        ]
    lines += [
        "",
        "処理が済むまでは、カスタマサポートデスクからお申込みを取り消せます。",
        "",
        _FOOTER,
    ]
    body = "\n".join(lines)
    return tuple(
        Message(
            key=f"{event.idempotency_key}/confirmation/{number}",
            event_key=event.idempotency_key,
            to=address,
            subject=SUBJECT_MAIL_CHANGE,
            body=body,
        )
        for number, address in enumerate(event.recipients, 1)
    )


def _cancellation_accepted(
    event: CancellationSubmitted, _: NotificationSettings
) -> tuple[Message, ...]:
    """Tell the contact that the cancellation (廃止) was accepted on submission (OCN-4, OCN-5)."""
    lines = [
        f"{event.contact_name} 様",
        "",
        f"OCNの廃止のお申込みを受け付けました（{format_instant(event.occurred_at)}）。",
        f"廃止希望日: {format_date(event.desired_date)}",
        "",
        "このお申込みは取り消しできません。",
        "受付が完了しましたので、メールアカウントなど各種変更のお申込みはお受けできません。",
    ]
    if event.withdrew_mail_change:
        lines.append("処理中だったメールアカウント等の変更のお申込みは、取り消しました。")
    lines += [
        "廃止の処理が完了すると、カスタマサポートデスクにはログインできなくなります。",
        "内容の確認のため、ご連絡を差し上げることがあります。",
        "",
        _FOOTER,
    ]
    return (
        Message(
            key=f"{event.idempotency_key}/contact",
            event_key=event.idempotency_key,
            to=event.contact_email,
            subject=SUBJECT_CANCELLATION_ACCEPTED,
            body="\n".join(lines),
        ),
    )


def _silent(_: OcnEvent, __: NotificationSettings) -> tuple[Message, ...]:
    return ()


register_renderer(MailChangeApplied, _mail_change)
register_renderer(CancellationSubmitted, _cancellation_accepted)
register_renderer(OcnEvent, _silent)
