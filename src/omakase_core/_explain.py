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
    "PROBLEMS",
    "REASONS",
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
        "accepted_at": "承諾日時",
        "account": "アカウント",
        "account_address": "メールアカウントのアドレス",
        "accounts": "メールアカウント",
        "action": "変更の種類",
        "actor": "操作する人",
        "actor_id": "操作するユーザーのID",
        "actor_role": "操作するユーザーのロール",
        "addon_family": "追加オプションの種類",
        "admin_account": "管理者アカウント",
        "admin_id": "管理者のID",
        "admins": "管理者",
        "aggregate": "保存する対象",
        "aggregate_id": "保存する対象のID",
        "alias": "ログインURLの別名",
        "answer": "回答",
        "application": "申込",
        "application_accepted": "申込の受付",
        "application_id": "申込ID",
        "applications": "申込の保存先",
        "applied_at": "適用日時",
        "arrival_date": "到着希望日",
        "arrival_time_slot": "到着希望時間帯",
        "asp_change": "ASPの変更",
        "asp_count": "ASPの数",
        "asps": "ASP",
        "asps_after_change": "変更後のASP",
        "at": "日時",
        "attachment_id": "添付ファイル",
        "attachment_ids": "添付ファイル",
        "attachment_messages": "添付ファイルのメッセージ",
        "attachments": "添付ファイル",
        "attachments_deleted_at": "添付ファイルの削除日時",
        "attempts": "配信の試行回数",
        "author": "コメントした人",
        "bandwidth_mbps": "帯域（Mbps）",
        "bank_name": "自動口座振替先金融機関名",
        "batch": "一度に処理する件数",
        "billing_changed": "課金の変更",
        "body": "本文",
        "building": "建物名",
        "by": "操作する人",
        "calendar": "営業日カレンダー",
        "cancellation": "廃止の申込",
        "cancellation_status": "廃止の状態",
        "cap": "再試行の間隔の上限",
        "change_date": "変更日",
        "change_details": "変更内容",
        "change_menu": "変更メニュー",
        "changed": "変更した拠点",
        "changed_at": "変更日時",
        "changes_addons": "追加オプションの変更",
        "chart": "状態遷移の定義",
        "city": "市区町村",
        "clock": "時計",
        "closed_at": "終了日時",
        "cls": "型",
        "cls_or_value": "型または値",
        "comment": "コメント",
        "comments": "コメント",
        "company": "会社名",
        "company_abbrev": "会社名略称",
        "company_name": "会社名",
        "company_name_kana": "会社名（カナ）",
        "company_type": "会社種別",
        "company_type_position": "種別前後",
        "completed_on": "完了日",
        "confirmation": "確認用パスワード",
        "conflicts": "同時に更新された拠点",
        "connection": "データベース接続",
        "consented": "規約への同意",
        "console_count_confirmed": "管理コンソールのユーザー数の確認",
        "contact_department": "連絡先部署名",
        "contact_email": "連絡先メールアドレス",
        "contact_fax": "連絡先FAX番号",
        "contact_name": "連絡先のお名前（担当者名）",
        "contacts": "連絡先",
        "contract": "契約",
        "contract_id": "契約ID",
        "contract_of": "契約の持ち主",
        "contractor": "契約者",
        "converter": "光回線終端装置の設置",
        "corporate_number": "法人番号",
        "count_first_day": "初日を数えるか",
        "counts": "ID数",
        "created_at": "作成日時",
        "credential_id": "認証情報のID",
        "current": "現在のパスワード",
        "current_business_days": "当月の営業日数",
        "current_count": "現在のID数",
        "customer_id": "お客さまID",
        "customer_of": "お客さまの判定",
        "customers": "お客さまの保存先",
        "data": "データ",
        "day": "希望日",
        "days": "日数",
        "deadline": "提出締切日",
        "decision": "判定",
        "delta": "増減数",
        "department": "部署名",
        "department_kana": "部署名（カナ）",
        "desired_date": "希望日",
        "detail": "詳細",
        "details": "詳細",
        "documents": "書類",
        "done": "完了した書類",
        "earliest": "指定できる最も早い日",
        "effective_on": "適用日",
        "email": "メールアドレス",
        "email_confirmation": "確認用メールアドレス",
        "end": "終了日時",
        "error": "エラー",
        "event": "操作",
        "event_type": "イベントの種類",
        "events": "イベント",
        "existing": "既存の拠点名",
        "expected": "期待する型",
        "expected_version": "画面を表示したときの版",
        "extend_to_business_day": "営業日への延長",
        "extra_closures": "追加の休業日",
        "family_name": "姓",
        "family_name_kana": "姓（フリガナ）",
        "fault_contacts": "故障連絡先",
        "field": "項目",
        "file_name": "ファイル名",
        "filename": "ファイル名",
        "first": "第一連絡先",
        "first_billing_month": "課金開始月",
        "floor": "フロア",
        "given_name": "名",
        "given_name_kana": "名（フリガナ）",
        "had_virus_check": "ウイルスチェックの利用",
        "hasher": "パスワードのハッシュ化",
        "history": "過去のパスワード",
        "holder": "取得者",
        "host": "ホスト",
        "hosts": "ホスト",
        "id": "ID",
        "inquiry": "お問い合わせ",
        "inquiry_id": "お問い合わせID",
        "instant": "日時",
        "key": "キー",
        "kind": "種類",
        "ladder": "脚立の要否",
        "lan_cable_backup": "キャリア設備～バックアップルータ間のLANケーブル長",
        "lan_cable_between_routers": "メインルータ～バックアップルータ間のLANケーブル長",
        "lan_cable_main": "キャリア設備～メインルータ間のLANケーブル長",
        "lang": "言語",
        "last_activity": "最終操作日時",
        "last_login": "最終ログイン日時",
        "lease": "配信の予約",
        "leased_until": "配信の予約期限",
        "lifecycle": "ライフサイクル",
        "limit": "件数の上限",
        "line": "回線",
        "line_work": "回線工事",
        "link": "設定用リンク",
        "listeners": "リスナー",
        "loader": "読み込み関数",
        "location": "ロケーション名",
        "login_email": "ログイン用メールアドレス",
        "mail_change": "メール変更の申込",
        "mail_change_status": "メール変更の状態",
        "mail_password_hash": "メールパスワード",
        "max_length": "最大の長さ",
        "max_size": "最大の件数",
        "menu": "メニュー",
        "message": "メッセージ",
        "messages": "メッセージ",
        "migration_reason": "移行理由",
        "min_length": "最小の長さ",
        "model": "モデル",
        "month": "対象月",
        "monthly_fee": "月額料金",
        "monthly_fee_tax_included": "月額料金（税込）",
        "n": "日数",
        "name": "名前",
        "names": "拠点名",
        "new": "新しいパスワード",
        "new_accounts": "新しいメールアカウント",
        "new_name": "新しい名前",
        "next_business_days": "翌月の営業日数",
        "note": "備考",
        "notes": "備考",
        "notification_address": "通知先メールアドレス",
        "notifier": "通知の送信先",
        "notify": "通知の要否",
        "now": "現在日時",
        "occurred_at": "発生日時",
        "opened_at": "受付日時",
        "options": "オプション",
        "organisation": "所属",
        "other_detail": "廃止詳細その他",
        "outbox": "お知らせの送信待ち",
        "password": "パスワード",
        "password_confirmation": "確認用パスワード",
        "password_hash": "パスワード",
        "passwords": "パスワードの保存先",
        "path": "データベースファイルのパス",
        "pattern": "形式",
        "payment_method": "支払方法",
        "pending_events": "未保存のイベント",
        "phone": "電話番号",
        "plans": "プラン",
        "policies": "サービスの規則",
        "policy": "規則",
        "postal_code": "郵便番号",
        "prefecture": "都道府県",
        "preference": "希望",
        "previous": "変更前の拠点名",
        "purge_at": "データ消去の日時",
        "rack_mount": "ラックマウント要否",
        "reason": "理由",
        "reason_detail": "廃止理由詳細",
        "recipient": "宛名",
        "recipients": "お知らせの宛先",
        "renaming_by": "拠点名変更の申込",
        "renderer": "お知らせの文面",
        "reporting_hours": "故障申告時間帯",
        "repository": "保存先",
        "representative": "代表管理者",
        "request": "変更の申込",
        "requested_at": "申込日時",
        "resolved_at": "解決日時",
        "retry_at": "再試行の日時",
        "role": "ロール",
        "room": "部屋名",
        "router": "ルーター設置",
        "schedule": "工事日程",
        "scheduled_contacts": "変更予定の故障連絡先",
        "schema": "データの版",
        "scope": "範囲",
        "second": "第二連絡先",
        "security": "通信の暗号化",
        "sender": "送信元",
        "sent_at": "送信日時",
        "service": "サービス",
        "services": "契約中のサービス",
        "settings": "お知らせの設定",
        "site": "拠点",
        "site_id": "拠点",
        "site_name": "拠点名",
        "site_survey": "現地調査",
        "site_version": "拠点の版",
        "sites": "拠点の保存先",
        "size_bytes": "ファイルサイズ",
        "slot": "時間帯",
        "source": "接続先",
        "staff": "担当者",
        "staff_id": "担当者ID",
        "start_value": "開始状態",
        "starts_at": "開始日時",
        "state_field": "状態の項目",
        "status": "状態",
        "status_type": "状態の型",
        "step": "工程",
        "store": "保存先",
        "stored_hash": "保存されたパスワード",
        "street": "番地",
        "subject": "件名",
        "submitted_alone": "単独での申込",
        "submitted_at": "申込日時",
        "target": "対象月",
        "tax_included": "税込表示",
        "tenant_id": "テナントID",
        "term": "契約期間",
        "text": "本文",
        "to": "宛先",
        "today": "本日",
        "tp": "型",
        "type": "型",
        "upcast": "データの変換",
        "updated_at": "更新日時",
        "uploaded_at": "アップロード日時",
        "uploads": "アップロードしたファイル",
        "user_id": "ユーザーID",
        "users": "ユーザー",
        "using": "書き換え関数",
        "value": "値",
        "version": "版",
        "violations": "入力の不備",
        "virus_check": "ウイルスチェック",
        "virus_check_consent": "ウイルスチェックの同意",
        "virus_checks": "ウイルスチェック",
        "waiting_on_customer": "お客さまの対応待ちの書類",
        "waiting_on_operator": "NTTデータの対応待ちの書類",
        "weekday_daytime": "平日昼間の工事",
        "withdrew_mail_change": "メール変更の取消",
        "year_end_closure": "年末年始の休業",
    }
)
"""Japanese labels of field names; a field without one is shown by its name."""

KIND_LABELS: Final = MappingProxyType(
    {
        "OCN customer": "OCNのお客さま",
        "aggregate": "データ",
        "application": "申込",
        "contract": "契約",
        "credential": "認証情報",
        "id change application": "ID数変更の申込",
        "inquiry": "お問い合わせ",
        "lifecycle": "ライフサイクル",
        "message renderer for event type": "お知らせの文面",
        "outbox record": "お知らせの記録",
        "site": "拠点",
        "tenant": "テナント",
        "user": "ユーザー",
        "user account": "ユーザーアカウント",
    }
)
"""Japanese names of what a ``NotFound`` did not find (its ``kind``)."""

EVENT_LABELS: Final = MappingProxyType(
    {
        "accept": "承諾",
        "add_message": "メッセージの追加",
        "add_user": "ユーザーの追加",
        "answer": "回答",
        "apply": "適用",
        "apply_due": "期日の処理",
        "apply_mail_change": "メール変更の申込",
        "cancel": "取消",
        "cancel_mail_change": "メール変更の取消",
        "cancellation_submitted": "廃止の申込",
        "change_password": "パスワードの変更",
        "change_representative": "代表管理者の変更",
        "change_role": "ロールの変更",
        "close": "申込の終了",
        "close_rename": "拠点名変更の終了",
        "complete": "完了",
        "complete_cancellation": "廃止の完了",
        "complete_contractor_change": "契約者変更の完了",
        "complete_fields": "項目の入力完了",
        "complete_setup": "初期設定の完了",
        "confirm_withdrawal": "取り下げの確定",
        "correct_the_billing_information": "請求情報の修正",
        "create_customer": "お客さまの登録",
        "create_new_installation": "新設の申込",
        "create_tenant": "テナントの作成",
        "delete_user": "ユーザーの削除",
        "edit_user": "ユーザー情報の編集",
        "end_service": "利用終了",
        "fill_in": "項目の入力",
        "fill_in_details": "項目の入力",
        "finish_contractor_change": "契約者変更の完了",
        "give_construction_dates": "工事希望日の入力",
        "give_fault_contacts": "故障連絡先の入力",
        "lock": "ロック",
        "log_in": "ログイン",
        "mail_change_requested": "メール変更の申込",
        "open": "お問い合わせの登録",
        "publish_sheet": "設定シートの公開",
        "purge": "データの消去",
        "receive": "受領",
        "record_construction_completed": "工事完了の記録",
        "register": "登録",
        "register_mail_change": "メール変更の登録",
        "reinstate": "利用再開",
        "rename": "拠点名の変更",
        "report_applied": "適用の報告",
        "report_name_unavailable": "希望のアカウント名が使えないことの報告",
        "report_unavailable": "対応不可の報告",
        "request_contractor_change": "契約者変更の申請",
        "request_password_reset": "パスワード再設定の依頼",
        "request_termination": "利用終了の申請",
        "request_withdrawal": "取り下げの依頼",
        "resend_setup_mail": "設定メールの再送",
        "resolve": "解決",
        "resume": "利用再開",
        "send_back": "差し戻し",
        "set_deadline": "期限の設定",
        "set_fault_contacts": "故障連絡先の入力",
        "set_initial_password": "初期パスワードの設定",
        "set_schedule": "工事希望日の入力",
        "set_temporary": "仮パスワードの設定",
        "set_temporary_password": "仮パスワードの設定",
        "ship": "発送",
        "start_change": "変更の開始",
        "start_rename": "拠点名変更の開始",
        "start_review": "確認の開始",
        "submit": "提出",
        "submit_cancellation": "廃止の申込",
        "suspend": "利用停止",
        "unlock": "ロック解除",
        "unsubmit": "提出の取り消し",
        "upload": "ファイルのアップロード",
        "upload_files": "ファイルのアップロード",
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
        "submission.application": "申込",
        "submission.application_form": "申込情報（押印済み利用申込書）",
        "submission.billing_correction": "請求情報",
        "submission.company_change": "契約会社変更",
        "submission.configuration_change": "設定変更の申込情報",
        "submission.fault_contact_change": "故障連絡先変更",
        "submission.fault_contacts": "故障連絡先情報",
        "submission.installation_supplies": "機器設置時の備品情報",
        "submission.lan_parameters": "お客様LAN側のパラメータ情報",
        "submission.monthly_billing_change": "月額費用の請求情報",
        "submission.shipping_address": "機器及び備品の送付先情報",
        "submission.site": "拠点",
        "submission.site_name_change": "拠点名変更",
    }
)
"""Japanese names of the lifecycles, by the name each is registered under.

A Connecure document's lifecycle is called by the document's name (``DocumentKind.label``);
``submission.application`` names the application as a whole (SUB-15, SUB-16). Two kinds
share a lifecycle with the kind it is named after: the 設定変更's parameter sheet
(``lan_parameters``) and the one-time fee billing (``monthly_billing_change``); a refusal
of theirs is called by that kind's name.
"""

PROBLEMS: Final = MappingProxyType(
    {
        "type": "「{field}」の値の種類が正しくありません。システム管理者に連絡してください。",
        "required": "「{field}」を入力してください。",
        "too_long": "「{field}」は{limit}文字以内で入力してください。",
        "control_characters": (
            "「{field}」に改行などの使えない文字が含まれています。取り除いてください。"
        ),
        "email": "「{field}」はメールアドレスの形式（例: name@example.co.jp）で入力してください。",
        "digits": "「{field}」は{limit}桁以内の半角数字で入力してください。",
        "katakana": "「{field}」は全角カタカナ{limit}文字以内で入力してください。",
        "person_name": (
            "「{field}」は全角10文字以内、または半角英字30文字以内で入力してください"
            "（全角と半角は混ぜられません）。"
        ),
        "same_as_current": "「{field}」が現在と同じです。別の値を入力してください。",
        "in_use": "この「{field}」は使用できません。別の値を指定してください。",
        "unknown_item": "「{field}」に、この書類では入力できない項目が含まれています。",
        "choice": "「{field}」は選択肢の中から選んでください。",
        "format": "「{field}」の形式が正しくありません。入力例に合わせて入力してください。",
        "file_name": (
            "「{field}」には、フォルダやドライブを含まないファイル名だけを指定してください。"
        ),
    }
)
"""What is wrong with a field (``ValidationError.problem``), as a Japanese sentence.

``{field}`` is the field's label and ``{limit}`` the error's ``limit``. A problem not
listed here, or one that needs a limit the error lacks, is explained without the why.
"""

REASONS: Final = MappingProxyType(
    {
        "after_construction": (
            "承諾は工事の完了が記録された後にできます。工事の完了を記録してから承諾してください。"
        ),
        "through_sales": (
            "承諾後の修正はこの画面ではできません。Connecure営業窓口までお問い合わせください。"
        ),
        "construction_fixed": (
            "申込情報が承諾された後は、工事日程と工事の完了日は変更できません。"
            "変更が必要な場合はConnecure営業窓口までお問い合わせください。"
        ),
        "operator_closes": (
            "NTTデータが確認中または完了した書類がある申込は、お客さまからは取り消せません。"
            "取り消しはNTTデータに依頼してください。"
        ),
        "closed": "取り消した申込は変更できません。必要な場合は新しく申し込んでください。",
        "complete": "すべての書類の手続きが完了した申込は変更できません。",
        "line_closed": "廃止が完了した回線は、変更も操作もできません。",
        "cancellation_submitted": (
            "廃止を申し込んだ後は、メールアカウントの変更は受け付けられません。"
        ),
        "no_mail_change": "処理するメール変更の申込がありません。画面を再読み込みしてください。",
        "no_cancellation": "完了する廃止の申込がありません。画面を再読み込みしてください。",
        "no_desired_name": (
            "希望のアカウント名があるのは、追加と変更の申込だけです。申込の内容を確認してください。"
        ),
    }
)
"""Why a guard refused an event (``InvalidTransition.reason``) and what to do, in Japanese.

The sentence replaces the advice to reload the screen, which fits only a status that has
moved on; a reason not listed here is explained with that advice.
"""

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
