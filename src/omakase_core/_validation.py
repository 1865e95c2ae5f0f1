"""Field checks shared by the domains; each error names the field and the rule."""

from __future__ import annotations

import re
import unicodedata
from typing import Final, TypeVar

from omakase_core.errors import ValidationError

__all__ = ["check_email", "check_text", "require"]

T = TypeVar("T")

_LOCAL: Final = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_DOMAIN: Final = r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
_EMAIL: Final = re.compile(rf"{_LOCAL}@{_DOMAIN}")
_MAX_EMAIL: Final = 254
_MAX_LOCAL: Final = 64


def check_text(value: object, *, field: str, rule: str | None, max_length: int) -> str:
    """Return ``value`` stripped; refuse a non-string, an empty one, a too long one, controls."""
    if not isinstance(value, str):
        msg = f"{field} must be text, not {type(value).__name__}"
        raise ValidationError(msg, field=field, rule=rule)
    text = value.strip()
    if not text:
        raise ValidationError(f"{field} is required and must not be blank", field=field, rule=rule)
    if len(text) > max_length:
        msg = f"{field} must be at most {max_length} characters, not {len(text)}"
        raise ValidationError(msg, field=field, rule=rule)
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        msg = f"{field} must not contain control characters"
        raise ValidationError(msg, field=field, rule=rule)
    return text


def check_email(value: object, *, field: str, rule: str | None) -> str:
    """Return ``value`` stripped if it is a plausible address (local@domain.tld), else refuse.

    The check is the practical subset portals accept: ASCII dot-atoms on both sides, a
    domain with at least one dot and a letter TLD, at most 254 characters and a local part
    of at most 64.
    """
    text = check_text(value, field=field, rule=rule, max_length=_MAX_EMAIL)
    if _EMAIL.fullmatch(text) is None or len(text.partition("@")[0]) > _MAX_LOCAL:
        msg = f"{field} {text!r} is not a valid e-mail address"
        raise ValidationError(msg, field=field, rule=rule)
    return text


def require(value: object, expected: type[T], *, field: str, rule: str | None, what: str) -> T:
    """Return ``value`` if it is an ``expected``; else refuse it, saying it must be ``what``.

    Public functions check their arguments at run time too: callers are not always
    type-checked, and a wrong type must be a clear ``ValidationError``, not a crash later.
    """
    if isinstance(value, bool) and expected is not bool:
        msg = f"{field} must be {what}, not {value!r}"
        raise ValidationError(msg, field=field, rule=rule)
    if not isinstance(value, expected):
        msg = f"{field} must be {what}, not {type(value).__name__} {value!r}"
        raise ValidationError(msg, field=field, rule=rule)
    return value
