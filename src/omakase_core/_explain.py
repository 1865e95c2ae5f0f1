"""The Japanese words of a refusal: rule names, field labels and the date format (issue 15).

:meth:`omakase_core.errors.OmakaseError.explain` builds a sentence a portal can show its
user from an error's fields and these tables. The module imports nothing of the library,
so the lowest layer (``errors``) may use it; the wording is ours.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from types import MappingProxyType
from typing import Final

__all__ = [
    "ACTOR_LABELS",
    "EVENT_LABELS",
    "FIELD_LABELS",
    "KIND_LABELS",
    "LIFECYCLE_LABELS",
    "RULE_NAMES",
    "format_deadline_ja",
    "label",
    "rule_phrase",
]

RULE_NAMES: Final = MappingProxyType(
    {
        "ACC-1": "OCN認証パスワードの条件",
        "ACC-2": "KDDIポータルのパスワードの条件",
        "ACC-3": "ロールごとの権限",
        "ACC-4": "ユーザーの状態",
        "ACC-5": "代表管理者",
        "ACC-6": "設定用リンク",
        "ACC-7": "セッション",
        "ACC-8": "ユーザー情報の項目",
        "ACC-9": "専用ログインURL",
        "ACC-10": "画像",
        "ACC-11": "ユーザー管理",
        "CAL-1": "日本時間での日時指定",
        "CAL-2": "営業日",
        "CAL-3": "営業日の計算",
        "CAL-4": "日単位の期間（初日不算入）",
        "CAL-5": "初日を含む期間",
        "CAL-6": "月単位の期間",
        "CAL-7": "休日による期間の延長",
        "CAL-8": "祝日が分かる年の範囲",
        "CAL-9": "期限の説明",
        "CON-1": "契約の状態",
        "CON-2": "契約の操作ができる人",
        "CON-3": "利用終了の日程",
        "CON-4": "利用再開の期限",
        "CON-5": "時間による状態の変化",
        "CON-6": "契約のお知らせ",
        "CON-7": "契約者変更",
        "CON-8": "契約者変更後の管理者アカウント",
        "CON-9": "契約者変更を受け付ける状態",
        "CON-10": "データの消去",
        "IDC-1": "ID数変更の対象サービス",
        "IDC-2": "ID数変更の申込",
        "IDC-2b": "営業日数による受付期間",
        "IDC-3": "Google Workspace",
        "IDC-4": "Microsoft 365のプランとオプション",
        "IDC-5": "Microsoft 365の追加オプション",
        "IDC-6": "LINE WORKS",
        "IDC-7": "EMM",
        "IDC-8": "同時に一件までの申込",
        "IDC-9": "ID数",
        "IDC-10": "判定の説明",
        "INQ-1": "お問い合わせの状態",
        "INQ-2": "添付ファイル",
        "INQ-3": "回答のお知らせ",
        "OCN-1": "メールアカウント",
        "OCN-2": "変更の種類",
        "OCN-3": "処理前の申込の取消",
        "OCN-4": "廃止",
        "OCN-5": "OCNのお知らせ",
        "PORT-1": "保存と通知の接続",
        "PORT-2": "同時更新の防止",
        "PORT-3": "イベントからの通知",
        "PORT-4": "時刻の取得",
        "PORT-5": "外部接続",
        "PORT-6": "通知の配信",
        "PORT-7": "保存データの読み込み",
        "SEC-1": "本人とその所有物",
        "SEC-2": "不正な値の拒否",
        "SEC-3": "古い画面からの操作",
        "SUB-1": "申込の状態",
        "SUB-2": "申込の操作ができる人",
        "SUB-3": "申込の流れ",
        "SUB-4": "変更メニュー",
        "SUB-5": "拠点と拠点名の確定",
        "SUB-6": "設定変更の項目",
        "SUB-7": "拠点名",
        "SUB-8": "新設の申込",
        "SUB-9": "メニューとASP",
        "SUB-10": "工事日",
        "SUB-11": "入館",
        "SUB-12": "課金開始月",
        "SUB-13": "ポータルアカウント",
        "SUB-14": "入力の形式",
        "SUB-15": "完了した申込",
        "SUB-16": "申込の終了",
        "SUB-17": "設定変更の書類",
    }
)
"""A short Japanese name for every rule ID of the rulebook that the library raises with."""

FIELD_LABELS: Final = MappingProxyType(
    {
        "account": "アカウント",
        "actor": "操作する人",
        "alias": "ログインURLの別名",
        "answer": "回答",
        "application": "申込",
        "application_id": "申込ID",
        "at": "日時",
        "attachment_id": "添付ファイル",
        "attachments": "添付ファイル",
        "body": "本文",
        "by": "操作する人",
        "comment": "コメント",
        "confirmation": "確認用パスワード",
        "contact_email": "連絡先メールアドレス",
        "contract": "契約",
        "contract_id": "契約ID",
        "corporate_number": "法人番号",
        "current": "現在のパスワード",
        "customer_id": "お客さまID",
        "desired_date": "希望日",
        "detail": "詳細",
        "details": "詳細",
        "email": "メールアドレス",
        "email_confirmation": "確認用メールアドレス",
        "event": "操作",
        "family_name": "姓",
        "family_name_kana": "姓（フリガナ）",
        "file_name": "ファイル名",
        "filename": "ファイル名",
        "given_name": "名",
        "given_name_kana": "名（フリガナ）",
        "id": "ID",
        "inquiry": "お問い合わせ",
        "inquiry_id": "お問い合わせID",
        "instant": "日時",
        "kind": "種類",
        "lang": "言語",
        "line_work": "回線工事",
        "login_email": "ログイン用メールアドレス",
        "name": "名前",
        "new": "新しいパスワード",
        "new_name": "新しい名前",
        "now": "現在日時",
        "password": "パスワード",
        "password_confirmation": "確認用パスワード",
        "phone": "電話番号",
        "postal_code": "郵便番号",
        "reason": "理由",
        "role": "ロール",
        "router": "ルーター設置",
        "service": "サービス",
        "site_id": "拠点",
        "site_name": "拠点名",
        "site_survey": "現地調査",
        "converter": "光回線終端装置の設置",
        "status": "状態",
        "subject": "件名",
        "text": "本文",
        "user_id": "ユーザーID",
    }
)
"""Japanese labels of field names; a field without one is shown by its name."""

KIND_LABELS: Final = MappingProxyType(
    {
        "OCN customer": "OCNのお客さま",
        "contract": "契約",
        "inquiry": "お問い合わせ",
        "lifecycle": "ライフサイクル",
        "message renderer for event type": "お知らせの文面",
        "outbox record": "お知らせの記録",
        "user": "ユーザー",
        "user account": "ユーザーアカウント",
    }
)
"""Japanese names of what a ``NotFound`` did not find (its ``kind``)."""

EVENT_LABELS: Final = MappingProxyType(
    {
        "accept": "承諾",
        "add_message": "メッセージの追加",
        "answer": "回答",
        "apply": "適用",
        "cancel": "取消",
        "close_rename": "拠点名変更の終了",
        "complete": "完了",
        "complete_fields": "項目の入力完了",
        "complete_setup": "初期設定の完了",
        "confirm_withdrawal": "取り下げの確定",
        "end_service": "利用終了",
        "lock": "ロック",
        "publish_sheet": "設定シートの公開",
        "purge": "データの消去",
        "receive": "受領",
        "register": "登録",
        "reinstate": "利用再開",
        "rename": "拠点名の変更",
        "report_applied": "適用の報告",
        "report_unavailable": "対応不可の報告",
        "request_termination": "利用終了の申請",
        "request_withdrawal": "取り下げの依頼",
        "resolve": "解決",
        "resume": "利用再開",
        "send_back": "差し戻し",
        "ship": "発送",
        "start_rename": "拠点名変更の開始",
        "start_review": "確認の開始",
        "submit": "提出",
        "suspend": "利用停止",
        "unlock": "ロック解除",
        "unsubmit": "提出の取り消し",
        "withdraw": "取り下げ",
    }
)
"""Japanese names of the lifecycles' events; an event without one is shown by its id."""

ACTOR_LABELS: Final = MappingProxyType(
    {
        "customer": "お客さま",
        "operator": "オペレーター",
        "contractor": "契約者",
        "system": "システム",
    }
)
"""Japanese names of the actors (``omakase_core.lifecycle.Actor`` values)."""

LIFECYCLE_LABELS: Final = MappingProxyType(
    {
        "account": "アカウント",
        "contract": "契約",
        "id_change": "ID数変更",
        "inquiry": "お問い合わせ",
        "ocn.cancellation": "OCNの廃止",
        "ocn.mail_change": "OCNメールの変更",
        "submission.site": "申込",
    }
)
"""Japanese names of the lifecycles, by the name each is registered under."""

_MAX_SHOWN: Final = 40
_WEEKDAYS: Final = "月火水木金土日"
_JST: Final = timezone(timedelta(hours=9), "JST")


def label(table: MappingProxyType[str, str], name: object) -> str:
    """Return the Japanese label of ``name`` in ``table``, else ``name`` cut short (SEC-2)."""
    if not isinstance(name, str):
        return "なし" if name is None else f"<{type(name).__name__}>"
    found = table.get(name)
    if found is not None:
        return found
    return name if len(name) <= _MAX_SHOWN else f"{name[:_MAX_SHOWN]}…"


def rule_phrase(rule: str | None) -> str:
    """Return how a sentence names ``rule``: ``"CON-4（利用再開の期限）"``, or ``""``."""
    if not rule:
        return ""
    name = RULE_NAMES.get(rule)
    shown = rule if len(rule) <= _MAX_SHOWN else f"{rule[:_MAX_SHOWN]}…"
    return f"{shown}（{name}）" if name is not None else shown


def format_deadline_ja(at: datetime) -> str:
    """Format an instant in JST as ``calendar.format_deadline`` does: 2026年11月15日(日) 24:00.

    00:00 JST is shown as 24:00 of the day before (an exclusive end); a naive ``at`` is
    shown as it reads. The calendar's own formatter lives above ``errors`` in the layers,
    so the sentence builds the same text here; a test checks both agree.
    """
    local = at.astimezone(_JST) if at.tzinfo is not None else at
    clock = f"{local:%H:%M:%S}" if local.second or local.microsecond else f"{local:%H:%M}"
    if local.time() == time(0) and local.date().toordinal() > 1:
        local -= timedelta(days=1)
        clock = "24:00"
    day = local.date()
    return f"{day.year}年{day.month}月{day.day}日({_WEEKDAYS[day.weekday()]}) {clock}"
