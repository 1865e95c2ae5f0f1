"""The values of accounts: roles, actions, user status, users, events and password policies.

- ACC-3: :class:`Role` (管理者, ユーザ) and :class:`Action` (what a portal user may do; the
  matrix of who may do what is :data:`omakase_core.accounts.rules.PERMISSIONS`).
- ACC-4: :class:`UserStatus` (有効, 未設定, 一時停止, アカウントロック) and :class:`User`.
- ACC-1, ACC-2: :class:`PasswordPolicy`, its two ready-made values
  (:data:`OCN_AUTH_PASSWORD`, :data:`KDDI_PORTAL_PASSWORD`) and :class:`PasswordChange`.
- ACC-10: :class:`ImageKind`.
- PORT-3: the events :class:`AccountEvent` and :class:`PasswordChanged`; neither carries a
  password.

A policy checks a new password against its rules, its confirmation, the current password
and the history. The current and earlier passwords are given the way the caller keeps
them: as hashes, checked with a :class:`~omakase_core.ports.PasswordHasher`, or — only
without a hasher — as given. No message, attribute or ``repr`` ever holds a password.

Decision: ``history`` is oldest first; "the last N passwords" are its last N entries.
"""

from __future__ import annotations

import enum
import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, ClassVar, Final

import attrs

from omakase_core._explain import rule_phrase
from omakase_core._validation import StrictEnumType, check_email, check_text
from omakase_core._validation import require as require_type
from omakase_core.calendar import to_jst
from omakase_core.codec import stored
from omakase_core.errors import ValidationError, error_text, excerpt
from omakase_core.events import Event
from omakase_core.lifecycle import Status
from omakase_core.principal import check_id

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from omakase_core.ports import PasswordHasher

    _Matcher = Callable[[str], re.Match[str] | None]
    """A compiled pattern's bound ``match``/``fullmatch``: one call per check, no look-up."""

__all__ = [
    "KDDI_PORTAL_PASSWORD",
    "OCN_AUTH_PASSWORD",
    "SETUP_MAILS",
    "AccountEvent",
    "Action",
    "ImageKind",
    "PasswordChange",
    "PasswordChanged",
    "PasswordPolicy",
    "PasswordPolicyError",
    "Role",
    "User",
    "UserStatus",
]


# -- ACC-3: roles and actions -------------------------------------------------------------------


class Role(enum.Enum, metaclass=StrictEnumType):
    """A My KDDI Biz portal role (ACC-3).

    ``Role("admin")`` looks a member up by value; anything else (``"admin "``, ``"ADMIN"``,
    the label ``"管理者"``, ``None``) is a ``ValidationError`` naming ``value`` (SEC-2).
    Where a role is *expected*, only a member is taken, never its plain value.
    """

    ADMIN = "admin"
    USER = "user"

    @property
    def label(self) -> str:
        """Return the portal's word."""
        return "管理者" if self is Role.ADMIN else "ユーザ"


class Action(enum.Enum, metaclass=StrictEnumType):
    """Something a portal user may do; ``label`` is the portal's name of it (ACC-3).

    ``Action("manage_users")`` looks a member up by value only (SEC-2).
    """

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
        return _ACTION_LABELS[self]


_ACTION_LABELS: Final[dict[Action, str]] = {
    Action.CHANGE_OWN_NOTIFICATION_ADDRESS: "通知先メールアドレス変更",
    Action.CHANGE_OWN_PASSWORD: "パスワード変更",
    Action.ACCESS_CONTRACTED_SERVICES: "ご契約中サービスへのアクセス",
    Action.ACCESS_BILLING_SITE: "ご請求金額確認サイトへのアクセス",
    Action.READ_MANUALS: "マニュアルへのアクセス",
    Action.READ_INFORMATION: "インフォメーション一覧の閲覧",
    Action.MANAGE_USERS: "ユーザの追加・閲覧・変更",
    Action.RESET_PASSWORDS_AND_STATUS: "ユーザのパスワード再設定/ステータス変更",
    Action.SET_USER_MAIL_NOTIFICATIONS: "ユーザのメール通知受信設定",
    Action.BULK_IMPORT_USERS: "CSVファイルによるユーザ一括追加・変更",
    Action.SEND_SETUP_MAIL: "初期設定依頼メール送信",
    Action.APPLY_ID_COUNT_CHANGE: "ID数変更申込",
    Action.SET_MAIL_NOTIFICATION_SERVICE: "メール通知サービス設定",
    Action.SET_LOGIN_ALIAS: "専用ログインURL設定",
    Action.SET_LOGIN_LOGO: "ログイン画面用ロゴ画像設定",
    Action.SET_SITE_LOGO: "ログイン後画面用ロゴ画像設定",
    Action.ADD_LINKS: "リンク集追加",
    Action.FOLLOW_LINKS: "リンク集のアイコンからの指定URL遷移",
    Action.DELETE_LINKS: "リンクアイコン削除",
    Action.READ_BULLETIN_BOARD: "掲示板記事閲覧",
    Action.ADD_BULLETIN_CATEGORY: "掲示板カテゴリ追加",
    Action.EDIT_BULLETIN_ARTICLES: "掲示板記事追加/編集",
    Action.VIEW_CONTRACT: "契約情報の確認",
    Action.CHANGE_REPRESENTATIVE_ADMIN: "代表管理者の変更",
    Action.SEND_INQUIRY: "お問い合わせ送信",
}


# -- ACC-4: users ---------------------------------------------------------------------------------


class UserStatus(Status):
    """A My KDDI Biz user's status (ACC-4)."""

    ACTIVE = "active", "有効"
    UNCONFIGURED = "unconfigured", "未設定"
    SUSPENDED = "suspended", "一時停止"
    LOCKED = "locked", "アカウントロック"


def _as_given(value: object, checked: str, field: str) -> None:
    if checked != value:
        msg = f"{field} must not begin or end with blanks"
        raise ValidationError(msg, field=field, rule="ACC-8")


def _address(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    _as_given(value, check_email(value, field=attribute.name, rule="ACC-8"), attribute.name)


def _person(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    checked = check_text(value, field=attribute.name, rule="ACC-8", max_length=30)
    _as_given(value, checked, attribute.name)


def _role(_: object, attribute: attrs.Attribute[Role], value: object) -> None:
    require_type(value, Role, field=attribute.name, rule="SEC-2", what="a Role")


def _user_status(_: object, attribute: attrs.Attribute[UserStatus], value: object) -> None:
    require_type(value, UserStatus, field=attribute.name, rule="SEC-2", what="a UserStatus")


def _instant(_: object, attribute: attrs.Attribute[datetime], value: object) -> None:
    to_jst(value, field=attribute.name)  # type: ignore[arg-type]  # to_jst checks the type


def _instant_or_none(_: object, attribute: attrs.Attribute[datetime | None], value: object) -> None:
    if value is not None:
        to_jst(value, field=attribute.name)  # type: ignore[arg-type]  # to_jst checks the type


def _link_number(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    if type(value) is not int or value < 0:
        msg = f"{attribute.name} must be a non-negative int, not {type(value).__name__}"
        raise ValidationError(msg, field=attribute.name, rule="SEC-2")


def _optional_text(_: object, attribute: attrs.Attribute[str | None], value: object) -> None:
    if value is not None:
        checked = check_text(value, field=attribute.name, rule="ACC-8", max_length=50)
        _as_given(value, checked, attribute.name)


def _bool(_: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if type(value) is not bool:
        msg = f"{attribute.name} must be True or False, not {type(value).__name__}"
        raise ValidationError(msg, field=attribute.name, rule="SEC-2")


@attrs.frozen(kw_only=True)
class User:
    """One portal user of a tenant (ACC-3, ACC-4, ACC-8).

    ``setup_sent_at`` is when the current setup link was sent (ACC-6) and ``setup_link`` its
    number: 1 for the first link, one more for each resent mail; only the current one works
    (ACC-11). ``None`` / ``0`` for a user who never needed one (stored by 0.1). The optional
    ACC-8 fields (カナ, 所属, phone) are ``None`` until set. ``must_change_password`` is
    ``check_login``'s answer that the user logs in with a temporary password and must change
    it (ACC-11); the tenant stores it as ``False`` (the credential holds the truth).

    A user built directly (by a storage adapter) has its fields' shapes checked — e-mail
    addresses, non-blank names of at most 30 characters, a :class:`Role` and a
    :class:`UserStatus` member, an aware instant (SEC-2); the tenant aggregate checks every
    ACC-8 rule when it adds or edits a user.
    """

    user_id: str = attrs.field(validator=_address)
    role: Role = attrs.field(validator=_role)
    status: UserStatus = attrs.field(validator=_user_status)
    family_name: str = attrs.field(validator=_person)
    given_name: str = attrs.field(validator=_person)
    notification_address: str = attrs.field(validator=_address)
    setup_sent_at: datetime | None = attrs.field(default=None, validator=_instant_or_none)
    setup_link: int = attrs.field(default=0, validator=_link_number)
    family_name_kana: str | None = attrs.field(default=None, validator=_optional_text)
    given_name_kana: str | None = attrs.field(default=None, validator=_optional_text)
    organisation: str | None = attrs.field(default=None, validator=_optional_text)
    phone: str | None = attrs.field(default=None, validator=_optional_text)
    must_change_password: bool = attrs.field(default=False, validator=_bool)


class ImageKind(enum.Enum, metaclass=StrictEnumType):
    """The images a portal administrator can upload (ACC-10); looked up by value only (SEC-2)."""

    SITE_LOGO = "site_logo"
    LOGIN_LOGO = "login_logo"
    LINK_ICON = "link_icon"


# -- events (PORT-3) ------------------------------------------------------------------------------


_CHANGES: Final = frozenset(
    {
        "user_added",
        "setup_completed",
        "suspend",
        "resume",
        "unlock",
        "lock",
        "user_deleted",
        "representative_changed",
        "tenant_opened",
        "setup_mail_resent",
        "role_changed",
        "user_edited",
    }
)
"""What an :class:`AccountEvent` may say happened."""


def _what(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or value not in _CHANGES:
        msg = f"what must name a change of the user directory, not {excerpt(value, 40)}"
        raise ValidationError(msg, field=attribute.name, rule="PORT-3")


def _event_user(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_id(value, field=attribute.name)


SETUP_MAILS: Final = frozenset({"tenant_opened", "user_added", "setup_mail_resent"})
"""The changes that send a setup mail with a new link (ACC-4, ACC-6, ACC-11)."""


def _optional_address(_: object, attribute: attrs.Attribute[str | None], value: object) -> None:
    if value is not None:
        check_email(value, field=attribute.name, rule="PORT-3")


@stored("accounts.AccountEvent", version=2)
@attrs.frozen(kw_only=True)
class AccountEvent(Event):
    """A tenant's user directory changed: ``what`` happened to ``user_id`` (never a password).

    ``what`` is the command's name: ``user_added``, ``setup_completed``, ``suspend``,
    ``resume``, ``unlock``, ``lock``, ``user_deleted``, ``representative_changed``,
    ``tenant_opened`` (ACC-4), ``setup_mail_resent``, ``role_changed`` or ``user_edited``
    (ACC-11); anything else is refused (SEC-2).

    The changes that send a setup mail (:data:`SETUP_MAILS`) also carry where it goes
    (``to``, the user's notification address), the link's number (``setup_link``) and when
    it expires (``expires_at``, ACC-6); the other changes leave them ``None`` (schema 2).
    Schema 1 (0.1) had none of them: its ``user_added`` events decode with all three
    ``None`` and send no mail, as they did not then.
    """

    aggregate_type: ClassVar[str] = "tenant"

    what: str = attrs.field(validator=_what)
    user_id: str = attrs.field(validator=_event_user)
    to: str | None = attrs.field(default=None, validator=_optional_address)
    setup_link: int | None = attrs.field(default=None)
    expires_at: datetime | None = attrs.field(default=None, validator=_instant_or_none)

    def __attrs_post_init__(self) -> None:
        """Refuse a setup mail without its address, link and expiry, or another change with."""
        mail = (self.to, self.setup_link, self.expires_at)
        if mail == (None, None, None):
            return
        if self.what in SETUP_MAILS:
            link: object = self.setup_link
            missing = (
                "to"
                if self.to is None
                else "expires_at"
                if self.expires_at is None
                else "setup_link"
                if type(link) is not int or link < 1
                else None
            )
            if missing is not None:
                msg = f"a {self.what} event needs to, a setup_link of 1 or more and expires_at"
                raise ValidationError(msg, field=missing, rule="PORT-3")
        else:
            msg = f"a {self.what} event sends no setup mail: to, setup_link, expires_at are None"
            raise ValidationError(msg, field="to", rule="PORT-3")


@stored("accounts.PasswordChanged")
@attrs.frozen(kw_only=True)
class PasswordChanged(Event):
    """A password changed; ``effective_by`` is when it surely works (ACC-1). No password."""

    aggregate_type: ClassVar[str] = "credential"

    effective_by: datetime = attrs.field(validator=_instant)


# -- ACC-1, ACC-2: password policies ---------------------------------------------------------------


_REQUIREMENT_FIELDS: Final = {"confirmation": "confirmation", "current": "current"}

_REQUIREMENTS_JA: Final = {
    "characters": "使える文字だけで入力されていること",
    "confirmation": "確認用パスワードが新しいパスワードと一致すること",
    "current": "現在のパスワードが正しいこと",
    "digits": "数字を含むこと",
    "digits_or_symbols": "数字または記号を含むこと",
    "length": "文字数が決められた範囲内であること",
    "letters": "英字を含むこと",
    "reuse_current": "現在のパスワードと異なること",
    "reuse_history": "最近使ったパスワードと異なること",
    "type": "文字列で入力されていること",
}
"""Each requirement of a password policy in Japanese (ACC-1, ACC-2); never the password."""


class PasswordPolicyError(ValidationError):
    """A new password breaks a requirement; ``requirement`` names which (never the password).

    ``field`` is the parameter the requirement is about (SEC-2): ``"confirmation"`` for a
    confirmation that does not match, ``"current"`` for a wrong current password, ``"new"``
    for every rule of the new password; a caller may name it otherwise.
    """

    requirement: str

    def __init__(
        self, message: str, *, requirement: str, rule: str, field: str | None = None
    ) -> None:
        self.requirement = requirement
        if field is None:
            given: object = requirement  # callers are not always type-checked
            known = isinstance(given, str) and given in _REQUIREMENT_FIELDS
            field = _REQUIREMENT_FIELDS[requirement] if known else "new"
        # ValidationError's constructor, its chain of super() calls spelled out: a form
        # validating as the user types raises this for most keystrokes (ACC-1, ACC-2).
        self.field = field
        self.rule = rule
        self.message = message
        Exception.__init__(self, error_text(message, rule))

    def _explain_ja(self) -> str:
        """Name the requirement the password missed, never the password (ACC-1, ACC-2)."""
        requirement = _REQUIREMENTS_JA.get(self.requirement, "パスワードの条件")
        return (
            f"{rule_phrase(self.rule)}: パスワードが条件（{requirement}）を満たしていないため、"
            "設定できません。条件を満たすパスワードを入力してください。"
        )


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


_MAX_COUNT: Final = 1000
"""The largest length or count a policy may name (far above any portal's)."""
_MAX_DURATION: Final = timedelta(days=366)
_SYMBOLS: Final = re.compile(r"[!-/:-@\[-`{-~]{0,64}")
"""Half-width ASCII symbols (no letter, digit or space), at most 64 of them."""


def _name(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_text(value, field=attribute.name, rule=None, max_length=100)


def _small_count(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    if type(value) is not int or not 0 <= value <= _MAX_COUNT:
        shown = excerpt(value, 20) if type(value) is int else type(value).__name__
        msg = f"{attribute.name} must be an integer from 0 to {_MAX_COUNT}, not {shown}"
        raise ValidationError(msg, field=attribute.name)


def _symbols(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or _SYMBOLS.fullmatch(value) is None:
        msg = "symbols must be at most 64 half-width ASCII symbols (no letters, digits, spaces)"
        raise ValidationError(msg, field=attribute.name)


def _duration(_: object, attribute: attrs.Attribute[timedelta | None], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, timedelta) or not timedelta(0) <= value <= _MAX_DURATION:
        msg = f"{attribute.name} must be None or a timedelta from 0 to 366 days"
        raise ValidationError(msg, field=attribute.name)


def _flag(_: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if type(value) is not bool:
        msg = f"{attribute.name} must be True or False, not {type(value).__name__}"
        raise ValidationError(msg, field=attribute.name, rule="SEC-2")


def _history(history: object) -> tuple[str, ...]:
    """Return ``history`` as a tuple; refuse anything but a list or tuple of hashes (SEC-2)."""
    if not isinstance(history, (list, tuple)):
        msg = f"history must be a list or tuple of stored hashes, not {type(history).__name__}"
        raise ValidationError(msg, field="history")
    for old in history:
        _kept(old, "history")
    return tuple(history)


def _given(current: object, history: object, hasher: object) -> tuple[str, ...]:
    """Check what a caller gives besides the passwords; return ``history`` as a tuple."""
    if current is not None:
        _kept(current, "current")
    if hasher is not None:
        check_hasher(hasher)
    return _history(history)


def check_hasher(hasher: object) -> None:
    """Refuse a ``hasher`` that is not a :class:`~omakase_core.ports.PasswordHasher` (SEC-2)."""
    if isinstance(hasher, type) or not callable(getattr(hasher, "verify", None)):
        shown = hasher.__name__ if isinstance(hasher, type) else type(hasher).__name__
        msg = f"hasher must be a PasswordHasher (an object with verify), not {shown}"
        raise ValidationError(msg, field="hasher", rule="SEC-2")


def _kept(value: object, field: str) -> str:
    if not isinstance(value, str):
        msg = f"{field} must be a stored hash (text), not {type(value).__name__}"
        raise ValidationError(msg, field=field)
    return value


@attrs.frozen(kw_only=True)
class PasswordPolicy:
    """The rules of one kind of password (ACC-1, ACC-2).

    ``symbols`` are the allowed symbols besides ASCII letters and digits. A password needs
    ``min_letters`` letters, ``min_digits`` digits and ``min_digits_or_symbols`` characters
    that are digits or symbols. ``history_size`` earlier passwords may not be reused
    (configurable with ``attrs.evolve``). ``change_lock`` is how long after a change another
    change is refused; ``effective_within`` how long a new password may take to work.

    ``single_account`` says whose password it is (SEC-1): ``True`` for a customer's one
    account (OCN's authentication password, ACC-1: the principal acting is
    ``Principal.customer(customer_id)`` with no user id), ``False`` for one user of a
    multi-user tenant (My KDDI Biz, ACC-2: the principal names its ``user_id``).
    """

    name: str = attrs.field(validator=_name)
    rule: str = attrs.field(validator=_name)
    min_length: int = attrs.field(validator=_small_count)
    max_length: int = attrs.field(validator=_small_count)
    symbols: str = attrs.field(validator=_symbols)
    min_letters: int = attrs.field(default=0, validator=_small_count)
    min_digits: int = attrs.field(default=0, validator=_small_count)
    min_digits_or_symbols: int = attrs.field(default=0, validator=_small_count)
    history_size: int = attrs.field(default=0, validator=_small_count)
    change_lock: timedelta | None = attrs.field(default=None, validator=_duration)
    effective_within: timedelta | None = attrs.field(default=None, validator=_duration)
    single_account: bool = attrs.field(default=False, validator=_flag)
    _valid: _Matcher = attrs.field(init=False, repr=False, eq=False)
    _characters: _Matcher = attrs.field(init=False, repr=False, eq=False)
    _letters: _Matcher = attrs.field(init=False, repr=False, eq=False)
    _digits: _Matcher = attrs.field(init=False, repr=False, eq=False)
    _characters_message: str = attrs.field(init=False, repr=False, eq=False)
    _messages: dict[str, str] = attrs.field(init=False, repr=False, eq=False)
    """The sentence of each requirement whose sentence does not depend on the password."""

    def __attrs_post_init__(self) -> None:
        if self.min_length < 1:
            msg = f"min_length must be at least 1, not {self.min_length}"
            raise ValidationError(msg, field="min_length")
        if self.max_length < self.min_length:
            msg = (
                f"max_length must be at least min_length ({self.min_length}), not {self.max_length}"
            )
            raise ValidationError(msg, field="max_length")
        allowed = "A-Za-z0-9" + re.escape(self.symbols)
        symbol = re.escape(self.symbols)
        letters, digits = "[^A-Za-z]*[A-Za-z]", "[^0-9]*[0-9]"
        checks = [  # a look-ahead per minimum count; a count of 0 needs none
            (self.min_letters, letters),
            (self.min_digits, digits),
            (self.min_digits_or_symbols, f"[^0-9{symbol}]*[0-9{symbol}]"),
        ]
        lookaheads = "".join(
            f"(?={step})" if n == 1 else f"(?=(?:{step}){{{n}}})" for n, step in checks if n
        )
        pattern = lookaheads + f"[{allowed}]{{{self.min_length},{self.max_length}}}"
        matchers = {
            "_valid": re.compile(pattern).fullmatch,
            "_characters": re.compile(f"[{allowed}]*").fullmatch,
            "_letters": re.compile(f"(?:{letters}){{{self.min_letters}}}").match,
            "_digits": re.compile(f"(?:{digits}){{{self.min_digits}}}").match,
        }
        for name, matcher in matchers.items():
            object.__setattr__(self, name, matcher)
        object.__setattr__(
            self,
            "_characters_message",
            "the password may contain only half-width letters, digits and the symbols "
            + " ".join(self.symbols),
        )
        constant = ("characters", "letters", "digits", "digits_or_symbols", "confirmation")
        messages = {requirement: self._message(requirement, "") for requirement in constant}
        object.__setattr__(self, "_messages", messages)

    def validate(
        self,
        new: str,
        *,
        confirmation: str,
        current: str | None = None,
        history: Sequence[str] = (),
        hasher: PasswordHasher | None = None,
    ) -> None:
        """Refuse ``new`` with a :class:`PasswordPolicyError` saying which requirement failed."""
        if (  # failed_requirement's common case, spelled out: nothing to compare against
            new.__class__ is str
            and history.__class__ is tuple
            and not history
            and current is None
            and hasher is None
            and confirmation == new
            and self._valid(new) is not None
        ):
            return
        requirement = self.failed_requirement(
            new, confirmation=confirmation, current=current, history=history, hasher=hasher
        )
        if requirement is not None:
            message = self._messages.get(requirement)
            raise PasswordPolicyError(
                self._message(requirement, new) if message is None else message,
                requirement=requirement,
                rule=self.rule,
            )

    def failed_requirement(  # noqa: PLR0911  # one return per requirement, inline: the hot path
        self,
        new: str,
        *,
        confirmation: str,
        current: str | None = None,
        history: Sequence[str] = (),
        hasher: PasswordHasher | None = None,
    ) -> str | None:
        """Return the first requirement ``new`` fails, or ``None``.

        It is :meth:`validate` without raising, for a form that shows feedback as the user
        types.

        The requirements are ``length``, ``characters``, ``letters``, ``digits``,
        ``digits_or_symbols``, ``confirmation``, ``reuse_current`` and ``reuse_history``.
        Arguments of the wrong type are the caller's error, not a user's typing, and are
        refused by both methods (SEC-2): a password or confirmation that is not text with a
        :class:`PasswordPolicyError` whose requirement is ``type``, a ``current`` or
        ``history`` that is not stored hashes, or a ``hasher`` that is not one, with a
        ``ValidationError`` naming the parameter.
        """
        if new.__class__ is not str or confirmation.__class__ is not str:  # fast path: str
            self._check_text(new, confirmation)
        kept: tuple[str, ...] = ()
        if history.__class__ is not tuple or history or current is not None or hasher is not None:
            kept = _given(current, history, hasher)
        if self._valid(new) is None:  # which rule fails, in the order the docs list them
            size = len(new)
            if size < self.min_length or size > self.max_length:
                return "length"
            if self._characters(new) is None:
                return "characters"
            if self._letters(new) is None:
                return "letters"
            if self._digits(new) is None:
                return "digits"
            return "digits_or_symbols"
        if confirmation != new:
            return "confirmation"
        if current is None and not kept:
            return None
        return self._reused(new, current, kept, hasher)

    def _reused(
        self, new: str, current: str | None, kept: tuple[str, ...], hasher: PasswordHasher | None
    ) -> str | None:
        """Return ``reuse_current`` or ``reuse_history`` if ``new`` is an earlier password."""
        if current is not None and self._same(new, current, hasher):
            return "reuse_current"
        if self.history_size and kept:
            recent = kept[-self.history_size :]
            if any(self._same(new, old, hasher) for old in recent):
                return "reuse_history"
        return None

    def _check_text(self, new: object, confirmation: object) -> None:
        """Refuse a new password or confirmation that is not text (SEC-2)."""
        for value, field, what in (
            (new, "new", "new password"),
            (confirmation, "confirmation", "confirmation"),
        ):
            if not isinstance(value, str):
                raise PasswordPolicyError(
                    f"the {what} must be text", requirement="type", rule=self.rule, field=field
                )

    @staticmethod
    def _same(new: str, kept: str, hasher: PasswordHasher | None) -> bool:
        return hasher.verify(new, kept) if hasher is not None else new == kept

    def _message(self, requirement: str, new: str) -> str:  # noqa: PLR0911  # one per requirement
        """Return the sentence for ``requirement``; it never includes the password."""
        if requirement == "length":
            size = len(new)
            return (
                f"the password must be {self.min_length} to {self.max_length} characters long, "
                f"not {size}"
            )
        if requirement == "characters":
            return self._characters_message
        if requirement == "letters":
            return f"the password needs at least {_count(self.min_letters, 'letter')}"
        if requirement == "digits":
            return f"the password needs at least {_count(self.min_digits, 'digit')}"
        if requirement == "digits_or_symbols":
            n = self.min_digits_or_symbols
            kind = "digit or symbol" if n == 1 else "digits or symbols"
            return f"the password needs at least {n} {kind}"
        if requirement == "confirmation":
            return "the confirmation does not match the new password"
        if requirement == "reuse_current":
            return "the new password must differ from the current one"
        return f"the new password must not be one of the last {self.history_size} passwords"


OCN_AUTH_PASSWORD: Final = PasswordPolicy(
    name="OCN authentication password",
    rule="ACC-1",
    min_length=6,
    max_length=8,
    symbols="!$%&'()*+,-./;<=>?[]^_{}`~",
    min_letters=2,
    min_digits_or_symbols=1,
    change_lock=timedelta(hours=1),
    effective_within=timedelta(minutes=5),
    single_account=True,
)
"""ACC-1: 6-8 characters, at least 2 letters and 1 digit or symbol; 1 h between changes.

It is the password of the OCN customer's single account (``single_account``, SEC-1).
"""

KDDI_PORTAL_PASSWORD: Final = PasswordPolicy(
    name="My KDDI Biz password",
    rule="ACC-2",
    min_length=8,
    max_length=100,
    symbols="_/.,][:;^-!\"#$%&'()=~|`{}*+<>?",
    min_letters=1,
    min_digits=1,
    history_size=3,
)
"""ACC-2: 8-100 half-width characters, a letter and a digit, not one of the last 3 (default)."""


@attrs.frozen(kw_only=True)
class PasswordChange:
    """What a password change gives back: when it works and when the next may come (ACC-1)."""

    effective_by: datetime = attrs.field(validator=_instant)
    next_change_from: datetime | None = attrs.field(validator=_instant_or_none)
