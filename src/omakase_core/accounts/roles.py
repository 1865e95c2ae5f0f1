"""Roles and their permissions as data (ACC-3): one table of action × role.

My KDDI Biz has two roles, 管理者 (administrator) and ユーザ (user). What each may do is
the seed's permission matrix, held in :data:`PERMISSIONS`; :func:`require` refuses an
action the role may not take with :class:`~omakase_core.errors.PermissionDenied`.
"""

from __future__ import annotations

import enum
from types import MappingProxyType
from typing import Final

from omakase_core._validation import require as require_type
from omakase_core.errors import PermissionDenied

__all__ = ["PERMISSIONS", "Action", "Role", "permission_matrix_markdown", "require"]


class Role(enum.Enum):
    """A My KDDI Biz portal role (ACC-3)."""

    ADMIN = "admin"
    USER = "user"

    @property
    def label(self) -> str:
        """Return the portal's word."""
        return "管理者" if self is Role.ADMIN else "ユーザ"


class Action(enum.Enum):
    """Something a portal user may do; ``label`` is the portal's name of it."""

    CHANGE_OWN_NOTIFICATION_ADDRESS = "change_own_notification_address"
    CHANGE_OWN_PASSWORD = "change_own_password"  # noqa: S105  # an action, not a password
    ACCESS_CONTRACTED_SERVICES = "access_contracted_services"
    ACCESS_BILLING_SITE = "access_billing_site"
    READ_MANUALS = "read_manuals"
    READ_INFORMATION = "read_information"
    MANAGE_USERS = "manage_users"
    RESET_PASSWORDS_AND_STATUS = "reset_passwords_and_status"
    SET_USER_MAIL_NOTIFICATIONS = "set_user_mail_notifications"
    BULK_IMPORT_USERS = "bulk_import_users"
    SEND_SETUP_MAIL = "send_setup_mail"
    APPLY_ID_COUNT_CHANGE = "apply_id_count_change"
    SET_MAIL_NOTIFICATION_SERVICE = "set_mail_notification_service"
    SET_LOGIN_ALIAS = "set_login_alias"
    SET_LOGIN_LOGO = "set_login_logo"
    SET_SITE_LOGO = "set_site_logo"
    ADD_LINKS = "add_links"
    FOLLOW_LINKS = "follow_links"
    DELETE_LINKS = "delete_links"
    READ_BULLETIN_BOARD = "read_bulletin_board"
    ADD_BULLETIN_CATEGORY = "add_bulletin_category"
    EDIT_BULLETIN_ARTICLES = "edit_bulletin_articles"
    VIEW_CONTRACT = "view_contract"
    CHANGE_REPRESENTATIVE_ADMIN = "change_representative_admin"
    SEND_INQUIRY = "send_inquiry"

    @property
    def label(self) -> str:
        """Return the portal's name of the action."""
        return _TABLE[self][0]


A = Action
# action: (label, roles allowed)
_TABLE: Final[dict[Action, tuple[str, frozenset[Role]]]] = {
    A.CHANGE_OWN_NOTIFICATION_ADDRESS: ("通知先メールアドレス変更", frozenset(Role)),
    A.CHANGE_OWN_PASSWORD: ("パスワード変更", frozenset(Role)),
    A.ACCESS_CONTRACTED_SERVICES: ("ご契約中サービスへのアクセス", frozenset({Role.ADMIN})),
    A.ACCESS_BILLING_SITE: ("ご請求金額確認サイトへのアクセス", frozenset({Role.ADMIN})),
    A.READ_MANUALS: ("マニュアルへのアクセス", frozenset(Role)),
    A.READ_INFORMATION: ("インフォメーション一覧の閲覧", frozenset(Role)),
    A.MANAGE_USERS: ("ユーザの追加・閲覧・変更", frozenset({Role.ADMIN})),
    A.RESET_PASSWORDS_AND_STATUS: (
        "ユーザのパスワード再設定/ステータス変更",
        frozenset({Role.ADMIN}),
    ),
    A.SET_USER_MAIL_NOTIFICATIONS: ("ユーザのメール通知受信設定", frozenset({Role.ADMIN})),
    A.BULK_IMPORT_USERS: ("CSVファイルによるユーザ一括追加・変更", frozenset({Role.ADMIN})),
    A.SEND_SETUP_MAIL: ("初期設定依頼メール送信", frozenset({Role.ADMIN})),
    A.APPLY_ID_COUNT_CHANGE: ("ID数変更申込", frozenset({Role.ADMIN})),
    A.SET_MAIL_NOTIFICATION_SERVICE: ("メール通知サービス設定", frozenset({Role.ADMIN})),
    A.SET_LOGIN_ALIAS: ("専用ログインURL設定", frozenset({Role.ADMIN})),
    A.SET_LOGIN_LOGO: ("ログイン画面用ロゴ画像設定", frozenset({Role.ADMIN})),
    A.SET_SITE_LOGO: ("ログイン後画面用ロゴ画像設定", frozenset({Role.ADMIN})),
    A.ADD_LINKS: ("リンク集追加", frozenset({Role.ADMIN})),
    A.FOLLOW_LINKS: ("リンク集のアイコンからの指定URL遷移", frozenset(Role)),
    A.DELETE_LINKS: ("リンクアイコン削除", frozenset({Role.ADMIN})),
    A.READ_BULLETIN_BOARD: ("掲示板記事閲覧", frozenset(Role)),
    A.ADD_BULLETIN_CATEGORY: ("掲示板カテゴリ追加", frozenset({Role.ADMIN})),
    A.EDIT_BULLETIN_ARTICLES: ("掲示板記事追加/編集", frozenset({Role.ADMIN})),
    A.VIEW_CONTRACT: ("契約情報の確認", frozenset({Role.ADMIN})),
    A.CHANGE_REPRESENTATIVE_ADMIN: ("代表管理者の変更", frozenset({Role.ADMIN})),
    A.SEND_INQUIRY: ("お問い合わせ送信", frozenset(Role)),
}

PERMISSIONS: Final = MappingProxyType({action: roles for action, (_, roles) in _TABLE.items()})
"""ACC-3's matrix: every action and the roles that may take it."""


def require(actor_role: Role, action: Action) -> None:
    """Refuse ``action`` unless ``actor_role`` may take it (ACC-3)."""
    require_type(actor_role, Role, field="actor_role", rule="ACC-3", what="a Role")
    require_type(action, Action, field="action", rule="ACC-3", what="an Action")
    if actor_role not in PERMISSIONS[action]:
        allowed = "、".join(role.label for role in Role if role in PERMISSIONS[action])
        raise PermissionDenied(
            f"{actor_role.label} may not {action.value.replace('_', ' ')} "
            f"({action.label}); only {allowed} may",
            actor=actor_role.value,
            event=action.value,
            rule="ACC-3",
        )


def permission_matrix_markdown() -> str:
    """Return the matrix as a Markdown table (the docs page embeds it; a test compares)."""
    rows = ["| action | 管理者 | ユーザ |", "|---|---|---|"]
    for action, roles in PERMISSIONS.items():
        marks = " | ".join("○" if role in roles else "×" for role in Role)
        rows.append(f"| {action.label} (`{action.value}`) | {marks} |")
    return "\n".join(rows)
