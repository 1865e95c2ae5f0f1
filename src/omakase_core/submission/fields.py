"""Field formats of the Connecure forms (SUB-14); every error names its field.

Each validator returns the value as it should be stored (phone and postal code without
their separators) or raises :class:`~omakase_core.errors.ValidationError`.

Decisions: "half-width" means every character is narrow (Unicode East Asian Width Na or H);
"full-width" means every character is wide (F or W). Katakana fields also accept the
prolonged sound mark and the middle dot of their width. Phone numbers may be written with
hyphens, which are not counted as digits.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from omakase_core.errors import ValidationError

__all__ = [
    "validate_company_name_full",
    "validate_company_name_half",
    "validate_contractor_name_full_kana",
    "validate_contractor_name_half_kana",
    "validate_department_full",
    "validate_department_half",
    "validate_floor",
    "validate_phone",
    "validate_postal_code",
]

_HALF_MAX: Final = 48
_FULL_MAX: Final = 24
_PHONE: Final = re.compile(r"\d(?:-?\d)*")
_POSTAL: Final = re.compile(r"(\d{3})-?(\d{4})")
_FLOOR: Final = re.compile(r"[0-9B]{1,2}")
_HALF_KANA: Final = re.compile(r"[\uff65-\uff9f ]+")  # ｦ…ﾟ, ･ and ｰ, and the space
_FULL_KANA: Final = re.compile(r"[\u30a0-\u30ff\u3000]+")  # ァ…ヿ, ・ and ー, and


def _text(value: object, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        msg = f"{field} is required"
        raise ValidationError(msg, field=field, rule="SUB-14")
    return value


def _fits(value: object, field: str, *, wide: bool, limit: int) -> str:
    text = _text(value, field)
    widths = {"F", "W"} if wide else {"Na", "H"}
    if not all(unicodedata.east_asian_width(ch) in widths for ch in text):
        kind = "full-width" if wide else "half-width"
        msg = f"{field} must be written in {kind} characters only"
        raise ValidationError(msg, field=field, rule="SUB-14")
    if len(text) > limit:
        msg = f"{field} must be at most {limit} characters, not {len(text)}"
        raise ValidationError(msg, field=field, rule="SUB-14")
    return text


def validate_company_name_half(value: str) -> str:
    """Company name in half-width characters, at most 48 (会社名(半角、48文字以内))."""
    return _fits(value, "company_name_half", wide=False, limit=_HALF_MAX)


def validate_company_name_full(value: str) -> str:
    """Company name in full-width characters, at most 24 (会社名(全角、24文字以内))."""
    return _fits(value, "company_name_full", wide=True, limit=_FULL_MAX)


def validate_department_half(value: str) -> str:
    """Department in half-width characters, at most 48 (部署名(半角))."""
    return _fits(value, "department_half", wide=False, limit=_HALF_MAX)


def validate_department_full(value: str) -> str:
    """Department in full-width characters, at most 24 (部署名(全角))."""
    return _fits(value, "department_full", wide=True, limit=_FULL_MAX)


def _kana(value: object, field: str, pattern: re.Pattern[str], limit: int, kind: str) -> str:
    text = _text(value, field)
    if pattern.fullmatch(text) is None:
        msg = f"{field} must be written in {kind} katakana only"
        raise ValidationError(msg, field=field, rule="SUB-14")
    if len(text) > limit:
        msg = f"{field} must be at most {limit} characters, not {len(text)}"
        raise ValidationError(msg, field=field, rule="SUB-14")
    return text


def validate_contractor_name_half_kana(value: str) -> str:
    """Contractor name in half-width katakana, at most 48 (契約者名(半角カタカナ))."""
    return _kana(value, "contractor_name_half_kana", _HALF_KANA, _HALF_MAX, "half-width")


def validate_contractor_name_full_kana(value: str) -> str:
    """Contractor name in full-width katakana, at most 24 (契約者名(全角カタカナ))."""
    return _kana(value, "contractor_name_full_kana", _FULL_KANA, _FULL_MAX, "full-width")


def validate_phone(value: str) -> str:
    """Return a phone number of 10 to 12 half-width digits, hyphens dropped.

    >>> validate_phone("080-1234-5678")
    '08012345678'
    """
    text = _text(value, "phone").strip()
    if _PHONE.fullmatch(text) is None:
        msg = "phone must be half-width digits, optionally separated by hyphens"
        raise ValidationError(msg, field="phone", rule="SUB-14")
    digits = text.replace("-", "")
    if not 10 <= len(digits) <= 12:
        msg = f"phone must have 10 to 12 digits, not {len(digits)}"
        raise ValidationError(msg, field="phone", rule="SUB-14")
    return digits


def validate_postal_code(value: str) -> str:
    """Return a postal code of 7 digits; NNN-NNNN is accepted too.

    >>> validate_postal_code("135-0061")
    '1350061'
    """
    match = _POSTAL.fullmatch(_text(value, "postal_code").strip())
    if match is None:
        msg = "postal_code must be 7 half-width digits (NNNNNNN or NNN-NNNN)"
        raise ValidationError(msg, field="postal_code", rule="SUB-14")
    return match[1] + match[2]


def validate_floor(value: str) -> str:
    """Return a floor of at most 2 characters, digits and "B" (basement): 10, B1.

    >>> validate_floor("B2")
    'B2'
    """
    text = _text(value, "floor").strip()
    if _FLOOR.fullmatch(text) is None:
        msg = f"floor must be 1 or 2 characters of half-width digits and B, not {text!r}"
        raise ValidationError(msg, field="floor", rule="SUB-14")
    return text
