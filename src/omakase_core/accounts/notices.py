"""Account messages: the setup mail (ACC-4, ACC-6, ACC-11); the other events are silent (PORT-3).

A tenant's opening (its first administrator, ACC-4), an added user and a resent setup mail
(ACC-11) send the setup mail (初期設定のお願い) to the user's notification address, with the
portal's setup page (``NotificationSettings.first_login_url``), the link's number and when
it expires (7 days including the sending day, ACC-6). The seed names the mail but gives no
text, so the wording is ours. Every other change of the user directory — a role change, an
edit, a deletion, a status change — and every password change, a temporary one included
(the seed: 設定案内メール送信なし), is shown on the portal's screens only. Each is declared
silent explicitly, so that an undeclared event type still fails loudly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from omakase_core.accounts.model import SETUP_MAILS, AccountEvent, PasswordChanged
from omakase_core.calendar import format_deadline
from omakase_core.messages import Message, NotificationSettings, register_renderer

if TYPE_CHECKING:
    from omakase_core.events import Event

__all__ = ["SUBJECT_SETUP"]

SUBJECT_SETUP: Final = "【My KDDI Biz 総合】初期設定のお願い"


def _account(event: AccountEvent, settings: NotificationSettings) -> tuple[Message, ...]:
    if event.what not in SETUP_MAILS or event.to is None or event.expires_at is None:
        return ()
    body = "\n".join(
        [
            f"ユーザID {event.user_id} の初期設定をお願いします。",
            "",
            f"初期設定ページ: {settings.first_login_url}",
            f"初期設定リンク番号: {event.setup_link}",
            f"有効期限: {format_deadline(event.expires_at)}",
            "",
            "期限を過ぎた場合や、このメールより前に届いたリンクは使えません。",
            "新しいリンクが必要なときは管理者に再送を依頼してください。",
            "",
            "このメールは送信専用です。ご返信いただいてもお答えできません。",
        ]
    )
    return (
        Message(
            key=f"{event.idempotency_key}/setup",
            event_key=event.idempotency_key,
            to=event.to,
            subject=SUBJECT_SETUP,
            body=body,
        ),
    )


def _silent(_: Event, __: NotificationSettings) -> tuple[Message, ...]:
    return ()


register_renderer(AccountEvent, _account)
register_renderer(PasswordChanged, _silent)
