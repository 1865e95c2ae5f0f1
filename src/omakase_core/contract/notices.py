"""Messages of the おまかせログイン contract (CON-1, CON-6, CON-7, CON-8, CON-10).

The subjects are the portal's own notification names; the bodies are ours. Deadlines are
written the way a Japanese reader expects: 2026年11月15日(日) 24:00.

CON-1 (amended): the bodies use the words of the statuses. The termination request is
called サービス利用停止, as the subject of its notice (利用停止受理通知) calls it; the status it
leads to is 契約終了; the status after the 14 days is 利用終了, never 利用停止.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, TypeVar

from omakase_core.calendar import format_deadline, format_instant
from omakase_core.contract.model import (
    ERASED_EMAIL,
    AdminAccount,
    ContractEvent,
    ContractorChangeCancelled,
    ContractorChangeCompleted,
    ContractorChangeRequested,
    ContractReinstated,
    RegistrationErased,
    RegistrationPurged,
    ServiceEnded,
    TerminationRequested,
)
from omakase_core.messages import Message, NotificationSettings, register_renderer

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "SUBJECT_ADMIN_ACCOUNT_ISSUED",
    "SUBJECT_CONTRACTOR_CHANGE",
    "SUBJECT_CONTRACTOR_CHANGE_COMPLETED",
    "SUBJECT_REINSTATEMENT_ACCEPTED",
    "SUBJECT_TERMINATION_ACCEPTED",
]

SUBJECT_TERMINATION_ACCEPTED: Final = "【おまかせログイン】サービス利用停止受理通知"
SUBJECT_REINSTATEMENT_ACCEPTED: Final = "【おまかせログイン】サービス利用再開受理通知"
SUBJECT_CONTRACTOR_CHANGE: Final = "【おまかせログイン】契約者変更通知"
SUBJECT_CONTRACTOR_CHANGE_COMPLETED: Final = "【おまかせログイン】契約者変更完了通知"
SUBJECT_ADMIN_ACCOUNT_ISSUED: Final = "【おまかせログイン】管理者アカウント発行のお知らせ"
"""CON-8's first-login notice; the rulebook names no subject, so this one is ours."""

E = TypeVar("E", bound=ContractEvent)

_FOOTER: Final = "このメールは送信専用です。ご返信いただいてもお答えできません。"


def _message(event: ContractEvent, role: str, to: str, subject: str, lines: list[str]) -> Message:
    return Message(
        key=f"{event.idempotency_key}/{role}",
        event_key=event.idempotency_key,
        to=to,
        subject=subject,
        body="\n".join([*lines, "", _FOOTER]),
    )


def _termination(event: TerminationRequested, _: NotificationSettings) -> tuple[Message, ...]:
    timeline = event.timeline
    lines = [
        f"{event.contractor.name} 様",
        "",
        (
            "おまかせログインのサービス利用停止のお申し込みを "
            f"{format_instant(event.occurred_at)} に受け付けました。ご契約は契約終了となりました。"
        ),
        (
            f"利用再開のお手続きは {format_deadline(timeline.reinstatable_until)} まで、"
            "契約管理画面のホームから行えます。"
        ),
        (
            "この期限を過ぎると利用終了となり、サービスはご利用いただけなくなります。"
            f"{format_deadline(timeline.purge_at)} に登録情報を抹消します。"
        ),
    ]
    return (
        _message(event, "contractor", event.contractor.email, SUBJECT_TERMINATION_ACCEPTED, lines),
    )


def _reinstated(event: ContractReinstated, _: NotificationSettings) -> tuple[Message, ...]:
    lines = [
        f"{event.contractor.name} 様",
        "",
        (
            f"おまかせログインの利用再開のお申し込みを {format_instant(event.occurred_at)} に"
            "受け付けました。"
        ),
        "ご契約は契約中に戻り、予定されていた利用終了と登録情報の抹消は取り消されました。",
    ]
    return (
        _message(
            event, "contractor", event.contractor.email, SUBJECT_REINSTATEMENT_ACCEPTED, lines
        ),
    )


def _change_requested(
    event: ContractorChangeRequested, settings: NotificationSettings
) -> tuple[Message, ...]:
    lines = [
        f"{event.new.name} 様",
        "",
        (
            f"{event.contractor.name} 様から、おまかせログインの契約者をあなたに変更する"
            "お申し込みがありました。"
        ),
        "次の契約者用ログイン画面から初めてログインした時点で、契約者の変更が完了します。",
        f"契約者用ログイン画面: {settings.contractor_login_url}",
        "管理者アカウントをお持ちでない場合は、ログイン後に発行してメールでお知らせします。",
    ]
    return (_message(event, "new_contractor", event.new.email, SUBJECT_CONTRACTOR_CHANGE, lines),)


def _change_completed(
    event: ContractorChangeCompleted, settings: NotificationSettings
) -> tuple[Message, ...]:
    summary = [
        "",
        (
            f"おまかせログインの契約者が {event.previous.name} 様から {event.contractor.name} 様に"
            f"変更されました（{format_instant(event.occurred_at)}、新しい契約者の初回ログイン）。"
        ),
    ]
    messages = [
        _message(
            event,
            "previous_contractor",
            event.previous.email,
            SUBJECT_CONTRACTOR_CHANGE_COMPLETED,
            [f"{event.previous.name} 様", *summary],
        ),
        _message(
            event,
            "new_contractor",
            event.contractor.email,
            SUBJECT_CONTRACTOR_CHANGE_COMPLETED,
            [f"{event.contractor.name} 様", *summary],
        ),
    ]
    if event.admin_account is AdminAccount.ISSUED:
        messages.append(
            _message(
                event,
                "admin_account",
                event.contractor.email,
                SUBJECT_ADMIN_ACCOUNT_ISSUED,
                [
                    f"{event.contractor.name} 様",
                    "",
                    "契約者の変更にともない、あなたの管理者アカウントを発行しました。",
                    f"次の画面から初回ログインの手続きをしてください: {settings.first_login_url}",
                ],
            )
        )
    return tuple(messages)


def _silent(_: ContractEvent, __: NotificationSettings) -> tuple[Message, ...]:
    return ()


def _to_the_living(
    renderer: Callable[[E, NotificationSettings], tuple[Message, ...]],
) -> Callable[[E, NotificationSettings], tuple[Message, ...]]:
    """Return ``renderer`` without the messages addressed to an erased contractor (CON-10).

    An event redacted before its delivery names nobody any more: its messages are dropped,
    and the record is delivered with nothing to send.
    """

    def render(event: E, settings: NotificationSettings) -> tuple[Message, ...]:
        return tuple(m for m in renderer(event, settings) if m.to != ERASED_EMAIL)

    return render


register_renderer(TerminationRequested, _to_the_living(_termination))
register_renderer(ContractReinstated, _to_the_living(_reinstated))
register_renderer(ContractorChangeRequested, _to_the_living(_change_requested))
register_renderer(ContractorChangeCompleted, _to_the_living(_change_completed))
for _event_type in (
    ServiceEnded,
    RegistrationPurged,
    RegistrationErased,
    ContractorChangeCancelled,
):
    register_renderer(_event_type, _silent)
