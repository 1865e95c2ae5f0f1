"""The rules of accounts as pure functions of data and time (ACC-1 … ACC-10, SEC-1, SEC-2).

- ACC-3: :data:`PERMISSIONS` (the seed's matrix, action × role), :func:`require` and
  :func:`check_permission` (the same for the role of a :class:`~omakase_core.Principal`).
- ACC-4, ACC-5: :func:`can_log_in`, :func:`can_reset_password`,
  :func:`check_representative_change`, :func:`check_user_deletable` and
  :func:`check_user_removable` (no administrator suspends or deletes themself, the
  representative admin or the last active administrator).
- ACC-6: :func:`setup_link_expires_at`, :func:`check_setup_link`. ACC-7: :func:`session_expired`.
- ACC-8 … ACC-10: the field, alias and image checks.
- ACC-1, ACC-2: :func:`check_current_password`, :func:`check_change_lock`.

SEC-2: every function that takes a role, an action, a status or an image kind refuses a
plain string, a label, ``None`` or a member of another enum with a
:class:`~omakase_core.errors.ValidationError` naming the parameter; no check answers
"allowed" for a value it does not know. ``None`` or a string where a collection of ids is
expected is refused the same way.

Decisions: a user whose status is アカウントロック may reset the password (that is how a lock
is lifted) but not log in; 一時停止 forbids both, and so does deletion (a deleted user is not
found). A tenant's administrator may not suspend or delete themself, the representative
admin, or the last 有効 administrator (ACC-4); the "last" counts administrators whose status
is 有効, so a tenant always keeps one who can log in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping
from datetime import datetime, timedelta
from pathlib import PurePosixPath
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

from omakase_core._validation import check_email, check_text
from omakase_core._validation import require as require_type
from omakase_core.accounts.model import (
    Action,
    ImageKind,
    PasswordPolicy,
    PasswordPolicyError,
    Role,
    UserStatus,
    check_hasher,
)
from omakase_core.calendar import format_deadline, format_instant, period_end, to_jst
from omakase_core.calendar._jst import check_int
from omakase_core.errors import (
    DeadlinePassed,
    InvalidTransition,
    PermissionDenied,
    ValidationError,
    excerpt,
)
from omakase_core.principal import PrincipalKind, check_principal

if TYPE_CHECKING:
    from omakase_core.ports import PasswordHasher
    from omakase_core.principal import Principal

__all__ = [
    "PERMISSIONS",
    "SESSION_IDLE_LIMIT",
    "can_log_in",
    "can_reset_password",
    "check_change_lock",
    "check_current_password",
    "check_permission",
    "check_representative_change",
    "check_setup_link",
    "check_user_deletable",
    "check_user_removable",
    "permission_matrix_markdown",
    "require",
    "session_expired",
    "setup_link_expires_at",
    "validate_image",
    "validate_kana_name",
    "validate_login_alias",
    "validate_notification_address",
    "validate_organisation",
    "validate_person_name",
    "validate_user_id",
    "validate_user_phone",
]


_MAX_USER_ID: Final = 254
"""The longest user id a rule compares (an e-mail address, ACC-8, is at most 127)."""


def _text_id(value: object, field: str, rule: str) -> str:
    """Return ``value`` if it can be a user id: non-blank printable text of at most 254."""
    if not isinstance(value, str):
        msg = f"{field} must be a user id (text), not {type(value).__name__}"
        raise ValidationError(msg, field=field, rule=rule)
    if not value.strip() or len(value) > _MAX_USER_ID or not value.isprintable():
        msg = f"{field} must be a non-blank printable user id of at most 254 characters"
        raise ValidationError(msg, field=field, rule=rule)
    return value


def _ids(value: object, field: str, rule: str) -> frozenset[str]:
    """Return a collection of user ids as a set; refuse ``None``, text, a mapping, bad ids."""
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Collection):
        msg = f"{field} must be a collection of user ids, not {type(value).__name__}"
        raise ValidationError(msg, field=field, rule=rule)
    for item in value:
        _text_id(item, field, rule)
    return frozenset(value)


# -- ACC-3: the permission matrix -------------------------------------------------------------

_ALL: Final = frozenset(Role)
_ADMIN: Final = frozenset({Role.ADMIN})

PERMISSIONS: Final = MappingProxyType(
    {
        Action.CHANGE_OWN_NOTIFICATION_ADDRESS: _ALL,
        Action.CHANGE_OWN_PASSWORD: _ALL,
        Action.ACCESS_CONTRACTED_SERVICES: _ADMIN,
        Action.ACCESS_BILLING_SITE: _ADMIN,
        Action.READ_MANUALS: _ALL,
        Action.READ_INFORMATION: _ALL,
        Action.MANAGE_USERS: _ADMIN,
        Action.RESET_PASSWORDS_AND_STATUS: _ADMIN,
        Action.SET_USER_MAIL_NOTIFICATIONS: _ADMIN,
        Action.BULK_IMPORT_USERS: _ADMIN,
        Action.SEND_SETUP_MAIL: _ADMIN,
        Action.APPLY_ID_COUNT_CHANGE: _ADMIN,
        Action.SET_MAIL_NOTIFICATION_SERVICE: _ADMIN,
        Action.SET_LOGIN_ALIAS: _ADMIN,
        Action.SET_LOGIN_LOGO: _ADMIN,
        Action.SET_SITE_LOGO: _ADMIN,
        Action.ADD_LINKS: _ADMIN,
        Action.FOLLOW_LINKS: _ALL,
        Action.DELETE_LINKS: _ADMIN,
        Action.READ_BULLETIN_BOARD: _ALL,
        Action.ADD_BULLETIN_CATEGORY: _ADMIN,
        Action.EDIT_BULLETIN_ARTICLES: _ADMIN,
        Action.VIEW_CONTRACT: _ADMIN,
        Action.CHANGE_REPRESENTATIVE_ADMIN: _ADMIN,
        Action.SEND_INQUIRY: _ALL,
    }
)
"""ACC-3's matrix: every action and the roles that may take it."""


def require(actor_role: Role, action: Action) -> None:
    """Refuse ``action`` unless ``actor_role`` may take it (ACC-3).

    A role or action that is not a member of :class:`Role` / :class:`Action` (a plain
    string, a label, ``None``) is a ``ValidationError`` (SEC-2), never "allowed".
    """
    require_type(actor_role, Role, field="actor_role", rule="SEC-2", what="a Role")
    require_type(action, Action, field="action", rule="SEC-2", what="an Action")
    if actor_role not in PERMISSIONS[action]:
        allowed = "、".join(role.label for role in Role if role in PERMISSIONS[action])
        raise PermissionDenied(
            f"{actor_role.label} may not {action.value.replace('_', ' ')} "
            f"({action.label}); only {allowed} may",
            actor=actor_role.value,
            event=action.value,
            rule="ACC-3",
            actor_label=actor_role.label,
            event_label=action.label,
        )


def check_permission(by: Principal, action: Action) -> Role:
    """Return the role of ``by`` if it may take ``action``; refuse otherwise (ACC-3, SEC-2).

    Only a customer-side principal (a user of the tenant) has a portal role; an operator, a
    contractor or the system is refused with ``PermissionDenied``. The role must be a
    :class:`Role` member: a missing role, a plain string or another enum's member is a
    ``ValidationError`` naming ``by`` — a role is never assumed.
    """
    principal = check_principal(by)
    require_type(action, Action, field="action", rule="SEC-2", what="an Action")
    if principal.kind is not PrincipalKind.CUSTOMER:
        msg = (
            f"{action.label} ({action.value}) is for the tenant's users; "
            f"a {principal.kind.value} principal has no portal role"
        )
        raise PermissionDenied(
            msg,
            actor=str(principal.actor),
            event=action.value,
            rule="ACC-3",
            event_label=action.label,
        )
    role = principal.role
    if type(role) is not Role:
        msg = f"by.role must be an accounts Role (Role.ADMIN or Role.USER), not {excerpt(role)}"
        raise ValidationError(msg, field="by", rule="SEC-2")
    require(role, action)
    return role


def permission_matrix_markdown() -> str:
    """Return the matrix as a Markdown table (the docs page embeds it; a test compares)."""
    rows = ["| action | 管理者 | ユーザ |", "|---|---|---|"]
    for action, roles in PERMISSIONS.items():
        marks = " | ".join("○" if role in roles else "×" for role in Role)
        rows.append(f"| {action.label} (`{action.value}`) | {marks} |")
    return "\n".join(rows)


# -- ACC-4, ACC-5: status and administrators --------------------------------------------------

_NO_LOGIN: Final = frozenset({UserStatus.SUSPENDED, UserStatus.LOCKED, UserStatus.UNCONFIGURED})
_NO_RESET: Final = frozenset({UserStatus.SUSPENDED})


def can_log_in(status: UserStatus) -> bool:
    """Return whether a user of ``status`` may log in (ACC-4); a non-member is refused (SEC-2)."""
    require_type(status, UserStatus, field="status", rule="SEC-2", what="a UserStatus")
    return status not in _NO_LOGIN


def can_reset_password(status: UserStatus) -> bool:
    """Return whether a user of ``status`` may request a password reset (ACC-4, SEC-2)."""
    require_type(status, UserStatus, field="status", rule="SEC-2", what="a UserStatus")
    return status not in _NO_RESET


def check_representative_change(admins: Collection[str], *, current: str, new: str) -> None:
    """Refuse a change of representative admin that breaks ACC-5.

    ``admins`` are the ids of the users with the administrator role; the change needs at
    least two of them, and the new representative must be one and not the current one.
    """
    ids = _ids(admins, "admins", "ACC-5")
    current_id = _text_id(current, "current", "ACC-5")
    new_id = _text_id(new, "new", "ACC-5")
    if len(ids) < 2:  # ACC-5's "at least two admins"
        msg = "changing the representative admin needs at least two administrators"
        raise ValidationError(msg, field="admins", rule="ACC-5")
    if new_id not in ids:
        msg = f"the new representative admin {excerpt(new_id)} must have the administrator role"
        raise ValidationError(msg, field="new", rule="ACC-5")
    if new_id == current_id:
        msg = f"{excerpt(new_id)} already is the representative admin"
        raise ValidationError(msg, field="new", rule="ACC-5")


def check_user_deletable(user_id: str, *, logged_in_user_id: str, representative_id: str) -> None:
    """Refuse deleting the logged-in user or the representative admin (ACC-5)."""
    _check_not_self_nor_representative(
        _text_id(user_id, "user_id", "ACC-5"),
        event="delete_user",
        actor_id=_text_id(logged_in_user_id, "logged_in_user_id", "ACC-5"),
        representative_id=_text_id(representative_id, "representative_id", "ACC-5"),
    )


_REMOVALS: Final = {
    "suspend": "suspended",
    "delete_user": "deleted",
    "change_role": "given the ユーザ role",
}
_VERBS: Final = {
    "suspend": "suspend",
    "delete_user": "delete",
    "change_role": "take the administrator role from",
}


def check_user_removable(
    user_id: str,
    *,
    event: str,
    actor_id: str,
    representative_id: str,
    active_admins: Collection[str],
) -> None:
    """Refuse an administrator's suspending, deleting or demoting a user ACC-4, ACC-5 protect.

    ``event`` is ``"suspend"``, ``"delete_user"`` or ``"change_role"`` (to ユーザ, ACC-11);
    ``actor_id`` is the administrator acting, ``active_admins`` the ids of the tenant's
    administrators whose status is 有効. No administrator may suspend, delete or demote
    themself, the representative admin, or the last active administrator of the tenant.
    """
    given: object = event  # callers are not always type-checked
    if not isinstance(given, str) or given not in _REMOVALS:
        msg = "event must be 'suspend', 'delete_user' or 'change_role'"
        raise ValidationError(msg, field="event", rule="ACC-4")
    target = _text_id(user_id, "user_id", "ACC-4")
    admins = _ids(active_admins, "active_admins", "ACC-4")
    _check_not_self_nor_representative(
        target,
        event=event,
        actor_id=_text_id(actor_id, "actor_id", "ACC-4"),
        representative_id=_text_id(representative_id, "representative_id", "ACC-4"),
    )
    if target in admins and len(admins) == 1:
        raise InvalidTransition(
            f"{excerpt(target)} is the tenant's last active administrator and cannot be "
            f"{_REMOVALS[event]}",
            state="last_active_admin",
            event=event,
            lifecycle="account",
            rule="ACC-4",
        )


def _check_not_self_nor_representative(
    user_id: str, *, event: str, actor_id: str, representative_id: str
) -> None:
    rule = "ACC-4" if event == "suspend" else "ACC-5"
    if user_id == actor_id:
        raise InvalidTransition(
            f"an administrator cannot {_VERBS[event]} themselves while logged in",
            state="logged_in",
            event=event,
            lifecycle="account",
            rule=rule,
        )
    if user_id == representative_id:
        raise InvalidTransition(
            f"the representative admin cannot be {_REMOVALS[event]}; change the representative "
            "first",
            state="representative",
            event=event,
            lifecycle="account",
            rule=rule,
        )


# -- ACC-6, ACC-7: setup link and session -----------------------------------------------------


def setup_link_expires_at(sent_at: datetime) -> datetime:
    """Return when an initial-setup link expires: 7 days including the sending day (ACC-6).

    >>> from omakase_core.calendar import JST
    >>> setup_link_expires_at(datetime(2026, 11, 1, 18, 0, tzinfo=JST)).isoformat()
    '2026-11-08T00:00:00+09:00'
    """
    return period_end(to_jst(sent_at, field="sent_at"), days=7, count_first_day=True)


def check_setup_link(sent_at: datetime | None, *, at: datetime) -> None:
    """Refuse completing a setup at ``at`` without a link, or after it expired (ACC-6)."""
    instant = to_jst(at, field="at")
    if sent_at is None:
        raise InvalidTransition(
            "no setup link was sent to this user; an administrator sends one",
            state="no_setup_link",
            event="complete_setup",
            lifecycle="account",
            rule="ACC-6",
        )
    expires = setup_link_expires_at(sent_at)
    if instant >= expires:
        raise DeadlinePassed(
            f"the setup link was valid until {format_deadline(expires)} (7 days including "
            "the day it was sent); ask an administrator to send a new one",
            deadline=expires,
            at=instant,
            rule="ACC-6",
        )


SESSION_IDLE_LIMIT: Final = timedelta(minutes=60)
"""ACC-7: a session idle this long is expired at the next action."""


def session_expired(last_activity: datetime, now: datetime) -> bool:
    """Return whether a session idle since ``last_activity`` has expired at ``now`` (ACC-7)."""
    last = to_jst(last_activity, field="last_activity")
    current = to_jst(now, field="now")
    if current < last:
        msg = "now is before the last activity"
        raise ValidationError(msg, field="now", rule="ACC-7")
    return current - last >= SESSION_IDLE_LIMIT


# -- ACC-1, ACC-2: password changes -----------------------------------------------------------


def _policy(value: object) -> PasswordPolicy:
    return require_type(
        value, PasswordPolicy, field="policy", rule="SEC-2", what="a PasswordPolicy"
    )


def check_current_password(
    current: str, *, stored_hash: str, hasher: PasswordHasher, policy: PasswordPolicy
) -> None:
    """Refuse a change whose ``current`` password does not verify (ACC-1, ACC-2).

    The message never holds a password; ``requirement`` is ``"current"``. A ``policy``,
    ``hasher`` or ``stored_hash`` of the wrong kind is a ``ValidationError`` naming it
    (SEC-2), checked before anything reaches the hasher.
    """
    _policy(policy)
    check_hasher(hasher)
    kept: object = stored_hash
    if not isinstance(kept, str) or not kept:
        raise ValidationError("stored_hash must be the stored hash (text)", field="stored_hash")
    given: object = current  # callers are not always type-checked
    if not isinstance(given, str) or not hasher.verify(given, stored_hash):
        raise PasswordPolicyError(
            "the current password is not correct", requirement="current", rule=policy.rule
        )


def check_change_lock(policy: PasswordPolicy, *, changed_at: datetime | None, at: datetime) -> None:
    """Refuse a change before the policy's lock after the last one ended (ACC-1: 1 hour).

    Both instants must be aware (CAL-1); a ``changed_at`` so late that the lock would end
    past the last representable instant is refused (SEC-2).
    """
    lock = _policy(policy).change_lock
    instant = to_jst(at, field="at")
    if changed_at is None:
        return
    last = to_jst(changed_at, field="changed_at")
    if lock is None:
        return
    try:
        free = last + lock
    except OverflowError:
        msg = "changed_at is too far in the future for a change lock to end"
        raise ValidationError(msg, field="changed_at", rule=policy.rule) from None
    if instant < free:
        raise DeadlinePassed(
            f"the password was changed at {format_instant(last)}; "
            f"another change is possible from {format_instant(free)}",
            deadline=free,
            at=instant,
            rule=policy.rule,
        )


# -- ACC-8: user fields -------------------------------------------------------------------------


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("F", "W")


def _field_name(field: object, allowed: tuple[str, str]) -> str:
    if not isinstance(field, str) or field not in allowed:
        msg = f"field must be {allowed[0]!r} or {allowed[1]!r}"
        raise ValidationError(msg, field="field", rule="ACC-8")
    return field


_PERSON_FIELDS: Final = ("family_name", "given_name")
_KANA_FIELDS: Final = ("family_name_kana", "given_name_kana")


def validate_person_name(value: str, *, field: str = "family_name") -> str:
    """姓 or 名: full-width up to 10, or half-width letters up to 30, not mixed (ACC-8)."""
    name = _field_name(field, _PERSON_FIELDS)
    text = check_text(value, field=name, rule="ACC-8", max_length=30)
    if all(_wide(ch) for ch in text):
        if len(text) > 10:  # ACC-8's limit
            msg = f"{name} in full-width characters must be at most 10, not {len(text)}"
            raise ValidationError(msg, field=name, rule="ACC-8", problem="person_name")
        return text
    if all(ch.isascii() and ch.isalpha() for ch in text):
        return text
    msg = f"{name} must be all full-width (≤ 10) or all half-width letters (≤ 30)"
    raise ValidationError(msg, field=name, rule="ACC-8", problem="person_name")


_KANA: Final = re.compile(r"[\u30a1-\u30fa\u30fc]{1,20}")


def validate_kana_name(value: str, *, field: str = "family_name_kana") -> str:
    """カナ: full-width katakana, 1 to 20 characters (ACC-8)."""
    name = _field_name(field, _KANA_FIELDS)
    text = check_text(value, field=name, rule="ACC-8", max_length=20)
    if _KANA.fullmatch(text) is None:
        msg = f"{name} must be 1 to 20 full-width katakana"
        raise ValidationError(msg, field=name, rule="ACC-8", problem="katakana", limit=20)
    return text


def validate_organisation(value: str) -> str:
    """所属: 1 to 50 characters (ACC-8)."""
    return check_text(value, field="organisation", rule="ACC-8", max_length=50)


def validate_user_phone(value: str) -> str:
    """Phone: 1 to 15 digits (ACC-8)."""
    text = check_text(value, field="phone", rule="ACC-8", max_length=15)
    if not (text.isascii() and text.isdigit()):
        msg = "phone must be 1 to 15 digits"
        raise ValidationError(msg, field="phone", rule="ACC-8", problem="digits", limit=15)
    return text


def validate_user_id(value: str) -> str:
    """User ID: an e-mail address of 5 to 127 characters (ACC-8)."""
    return checked_user_id(value, field="user_id")


def checked_user_id(value: object, *, field: str) -> str:
    """Return ``value`` if it is a user id (ACC-8), naming ``field`` when refusing it."""
    text = check_email(value, field=field, rule="ACC-8")
    if not 5 <= len(text) <= 127:  # ACC-8's limits
        msg = f"{field} must be 5 to 127 characters, not {len(text)}"
        raise ValidationError(msg, field=field, rule="ACC-8")
    return text


def validate_notification_address(value: str) -> str:
    """Notification address: 5 to 127 characters (ACC-8), a valid e-mail address."""
    text = check_email(value, field="notification_address", rule="ACC-8")
    if not 5 <= len(text) <= 127:  # ACC-8's limits
        msg = f"notification_address must be 5 to 127 characters, not {len(text)}"
        raise ValidationError(msg, field="notification_address", rule="ACC-8")
    return text


# -- ACC-9: login alias -------------------------------------------------------------------------

_ALIAS: Final = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]{3,30})[A-Za-z0-9]")


def validate_login_alias(alias: str) -> str:
    """Return a valid dedicated login URL alias: 5-32 letters, digits, inner '.' '-' (ACC-9).

    >>> validate_login_alias("acme-corp.jp")
    'acme-corp.jp'
    """
    text = check_text(alias, field="alias", rule="ACC-9", max_length=32)
    if text != alias or _ALIAS.fullmatch(text) is None:
        msg = (
            "alias must be 5 to 32 half-width letters and digits; '.' and '-' are allowed "
            "except as the first or last character"
        )
        raise ValidationError(msg, field="alias", rule="ACC-9")
    return text


# -- ACC-10: images -----------------------------------------------------------------------------

_IMAGE_TYPES: Final = frozenset({".jpg", ".jpeg", ".gif", ".png"})
_MB: Final = 1024 * 1024
_IMAGE_LIMITS: Final = {
    ImageKind.SITE_LOGO: _MB,
    ImageKind.LOGIN_LOGO: 80 * 1024,
    ImageKind.LINK_ICON: _MB,
}
_MAX_ASPECT: Final = 6


def validate_image(
    kind: ImageKind, filename: str, size_bytes: int, width: int, height: int
) -> None:
    """Refuse an image that breaks ACC-10: type jpg/gif/png, size, and the site logo's ratio.

    Site logo ≤ 1 MB with an aspect ratio within 1:6; login logo ≤ 80 KB; link icons ≤ 1 MB.
    """
    require_type(kind, ImageKind, field="kind", rule="SEC-2", what="an ImageKind")
    name = check_text(filename, field="filename", rule="ACC-10", max_length=255)
    if PurePosixPath(name).suffix.lower() not in _IMAGE_TYPES:
        msg = f"filename {excerpt(name)} must be a jpg, gif or png image"
        raise ValidationError(msg, field="filename", rule="ACC-10")
    size = check_int(size_bytes, "size_bytes")
    limit = _IMAGE_LIMITS[kind]
    if not 0 < size <= limit:
        msg = f"a {kind.value} must be 1 byte to {limit // 1024} KB"
        raise ValidationError(msg, field="size_bytes", rule="ACC-10")
    w, h = check_int(width, "width"), check_int(height, "height")
    for side, name in ((w, "width"), (h, "height")):
        if side < 1:
            raise ValidationError(f"{name} must be positive", field=name, rule="ACC-10")
    if kind is ImageKind.SITE_LOGO and max(w, h) > _MAX_ASPECT * min(w, h):
        msg = "the site logo's aspect ratio must be within 1:6 (no side over 6 times the other)"
        longer = "width" if w > h else "height"  # the side that is too long names the error
        raise ValidationError(msg, field=longer, rule="ACC-10")
