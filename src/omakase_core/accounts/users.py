"""User accounts of My KDDI Biz: status lifecycle and account rules (ACC-4 … ACC-10).

Decisions: a user whose status is アカウントロック may reset the password (that is how a
lock is lifted) but not log in; 一時停止 forbids both, and so does deletion (a deleted user
is not found). Only an administrator changes another user's status (ACC-3).
"""

from __future__ import annotations

import enum
import re
import unicodedata
from datetime import datetime, timedelta
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, Final

from statemachine import StateChart

from omakase_core._validation import check_email, check_text, require
from omakase_core.calendar import period_end, to_jst
from omakase_core.calendar._jst import check_int
from omakase_core.errors import InvalidTransition, ValidationError
from omakase_core.lifecycle import Actor, Lifecycle, Status, by, register, status_state

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "ACCOUNT_LIFECYCLE",
    "SESSION_IDLE_LIMIT",
    "AccountChart",
    "ImageKind",
    "UserStatus",
    "can_log_in",
    "can_reset_password",
    "check_representative_change",
    "check_user_deletable",
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


class UserStatus(Status):
    """A My KDDI Biz user's status (ACC-4)."""

    ACTIVE = "active", "有効"
    UNCONFIGURED = "unconfigured", "未設定"
    SUSPENDED = "suspended", "一時停止"
    LOCKED = "locked", "アカウントロック"


class AccountChart(StateChart[Any]):
    """未設定 → 有効 ⇄ 一時停止, 有効 → アカウントロック → 有効 (ACC-4).

    The user finishes the initial setup; an administrator (a customer-side user) suspends,
    resumes and unlocks; the system locks an account after failed logins.
    """

    allow_event_without_transition = False
    catch_errors_as_events = False

    unconfigured = status_state(UserStatus.UNCONFIGURED, initial=True)
    active = status_state(UserStatus.ACTIVE)
    suspended = status_state(UserStatus.SUSPENDED)
    locked = status_state(UserStatus.LOCKED)

    complete_setup = unconfigured.to(active, cond=by(Actor.CUSTOMER))
    suspend = active.to(suspended, cond=by(Actor.CUSTOMER)) | locked.to(
        suspended, cond=by(Actor.CUSTOMER)
    )
    resume = suspended.to(active, cond=by(Actor.CUSTOMER))
    lock = active.to(locked, cond=by(Actor.SYSTEM))
    unlock = locked.to(active, cond=by(Actor.CUSTOMER))


ACCOUNT_LIFECYCLE: Lifecycle[UserStatus] = register(
    Lifecycle.compile("account", AccountChart, UserStatus)
)
"""The compiled user-status lifecycle, also ``LIFECYCLES["account"]``."""

_NO_LOGIN: Final = frozenset({UserStatus.SUSPENDED, UserStatus.LOCKED, UserStatus.UNCONFIGURED})
_NO_RESET: Final = frozenset({UserStatus.SUSPENDED})


def can_log_in(status: UserStatus) -> bool:
    """Return whether a user of ``status`` may log in (ACC-4)."""
    return status not in _NO_LOGIN


def can_reset_password(status: UserStatus) -> bool:
    """Return whether a user of ``status`` may request a password reset (ACC-4)."""
    return status not in _NO_RESET


def check_representative_change(admins: Iterable[str], *, current: str, new: str) -> None:
    """Refuse a change of representative admin that breaks ACC-5.

    ``admins`` are the ids of the users with the administrator role; the change needs at
    least two of them, and the new representative must be one and not the current one.
    """
    ids = set(admins)
    if len(ids) < 2:  # ACC-5's "at least two admins"
        msg = "changing the representative admin needs at least two administrators"
        raise ValidationError(msg, field="admins", rule="ACC-5")
    if new not in ids:
        msg = f"the new representative admin {new!r} must have the administrator role"
        raise ValidationError(msg, field="new", rule="ACC-5")
    if new == current:
        msg = f"{new!r} already is the representative admin"
        raise ValidationError(msg, field="new", rule="ACC-5")


def check_user_deletable(user_id: str, *, logged_in_user_id: str, representative_id: str) -> None:
    """Refuse deleting the logged-in user or the representative admin (ACC-5)."""
    if user_id == logged_in_user_id:
        raise InvalidTransition(
            "a user cannot delete themselves while logged in",
            state="logged_in",
            event="delete_user",
            lifecycle="account",
            rule="ACC-5",
        )
    if user_id == representative_id:
        raise InvalidTransition(
            "the representative admin cannot be deleted; change the representative first",
            state="representative",
            event="delete_user",
            lifecycle="account",
            rule="ACC-5",
        )


def setup_link_expires_at(sent_at: datetime) -> datetime:
    """Return when an initial-setup link expires: 7 days including the sending day (ACC-6).

    >>> from omakase_core.calendar import JST
    >>> setup_link_expires_at(datetime(2026, 11, 1, 18, 0, tzinfo=JST)).isoformat()
    '2026-11-08T00:00:00+09:00'
    """
    return period_end(sent_at, days=7, count_first_day=True)


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


# -- ACC-8: user fields ----------------------------------------------------------------------


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("F", "W")


def validate_person_name(value: str, *, field: str = "family_name") -> str:
    """姓 or 名: full-width up to 10, or half-width letters up to 30, not mixed (ACC-8)."""
    text = check_text(value, field=field, rule="ACC-8", max_length=30)
    if all(_wide(ch) for ch in text):
        if len(text) > 10:  # ACC-8's limit
            msg = f"{field} in full-width characters must be at most 10, not {len(text)}"
            raise ValidationError(msg, field=field, rule="ACC-8")
        return text
    if all(ch.isascii() and ch.isalpha() for ch in text):
        return text
    msg = f"{field} must be all full-width (≤ 10) or all half-width letters (≤ 30)"
    raise ValidationError(msg, field=field, rule="ACC-8")


_KANA: Final = re.compile(r"[\u30a1-\u30fa\u30fc]{1,20}")


def validate_kana_name(value: str, *, field: str = "family_name_kana") -> str:
    """カナ: full-width katakana, 1 to 20 characters (ACC-8)."""
    text = check_text(value, field=field, rule="ACC-8", max_length=20)
    if _KANA.fullmatch(text) is None:
        msg = f"{field} must be 1 to 20 full-width katakana"
        raise ValidationError(msg, field=field, rule="ACC-8")
    return text


def validate_organisation(value: str) -> str:
    """所属: 1 to 50 characters (ACC-8)."""
    return check_text(value, field="organisation", rule="ACC-8", max_length=50)


def validate_user_phone(value: str) -> str:
    """Phone: 1 to 15 digits (ACC-8)."""
    text = check_text(value, field="phone", rule="ACC-8", max_length=15)
    if not (text.isascii() and text.isdigit()):
        raise ValidationError("phone must be 1 to 15 digits", field="phone", rule="ACC-8")
    return text


def validate_user_id(value: str) -> str:
    """User ID: an e-mail address of 5 to 127 characters (ACC-8)."""
    text = check_email(value, field="user_id", rule="ACC-8")
    if not 5 <= len(text) <= 127:  # ACC-8's limits
        msg = f"user_id must be 5 to 127 characters, not {len(text)}"
        raise ValidationError(msg, field="user_id", rule="ACC-8")
    return text


def validate_notification_address(value: str) -> str:
    """Notification address: 5 to 127 characters (ACC-8), a valid e-mail address."""
    text = check_email(value, field="notification_address", rule="ACC-8")
    if not 5 <= len(text) <= 127:  # ACC-8's limits
        msg = f"notification_address must be 5 to 127 characters, not {len(text)}"
        raise ValidationError(msg, field="notification_address", rule="ACC-8")
    return text


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


# -- ACC-10: images ---------------------------------------------------------------------------


class ImageKind(enum.Enum):
    """The images a portal administrator can upload (ACC-10)."""

    SITE_LOGO = "site_logo"
    LOGIN_LOGO = "login_logo"
    LINK_ICON = "link_icon"


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
    require(kind, ImageKind, field="kind", rule="ACC-10", what="an ImageKind")
    name = check_text(filename, field="filename", rule="ACC-10", max_length=255)
    if PurePosixPath(name).suffix.lower() not in _IMAGE_TYPES:
        msg = f"filename {name!r} must be a jpg, gif or png image"
        raise ValidationError(msg, field="filename", rule="ACC-10")
    size = check_int(size_bytes, "size_bytes")
    limit = _IMAGE_LIMITS[kind]
    if not 0 < size <= limit:
        msg = f"a {kind.value} must be at most {limit // 1024} KB, not {size} bytes"
        raise ValidationError(msg, field="size_bytes", rule="ACC-10")
    w, h = check_int(width, "width"), check_int(height, "height")
    if w < 1 or h < 1:
        raise ValidationError("width and height must be positive", field="width", rule="ACC-10")
    if kind is ImageKind.SITE_LOGO and max(w, h) > _MAX_ASPECT * min(w, h):
        msg = f"the site logo's aspect ratio must be within 1:6, not {w}x{h}"
        raise ValidationError(msg, field="width", rule="ACC-10")
