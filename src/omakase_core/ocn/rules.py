"""OCN's pure rules: the fees, names, hosts, mail passwords, the phone (OCN-1, OCN-2, OCN-4).

Every function here takes plain data (numbers, strings, tuples of strings) and imports none
of the domain's other modules, so that the values of :mod:`omakase_core.ocn.model` can
validate themselves with it.

Decisions (the seed leaves them open):

- OCN-1: tax is 10% of the whole monthly amount, rounded down to the yen (切り捨て); every
  amount the seed gives (¥275, ¥385, ¥495, ¥220) comes out exact.
- OCN-2: an account is named by its local part only (before the @): 1 to 32 lower-case
  letters, digits, '.', '_' or '-', starting and ending with a letter or digit.
- OCN-2: the host the operator assigns (the part after the @, ``dune.ocn.ne.jp`` in the
  seed) is a DNS name of at least two labels, each 1 to 63 lower-case letters, digits or
  '-' (not first or last), at most 100 characters in all. Any such host is taken: the
  library does not insist on ``ocn.ne.jp``.
- OCN-2: the seed gives the mail password's characters only as a linked table; we take 6
  to 32 half-width characters, each a letter, a digit or a printable ASCII symbol (no
  space), and the confirmation must repeat it exactly. A password is never shown in an
  error, whatever is wrong with it.
- OCN-4: the seed gives the contact phone no format (its example is ``0120-123-456``); we
  accept 10 to 12 half-width digits, optionally grouped by single hyphens, as SUB-14 does
  for Connecure's forms. Full-width and other scripts' digits are refused. OCN keeps its own
  check so that it depends on no other domain.
"""

from __future__ import annotations

import re
from typing import Final

from omakase_core._validation import require
from omakase_core.calendar._jst import check_int
from omakase_core.errors import ValidationError, excerpt

__all__ = [
    "MAX_MAIL_ACCOUNTS",
    "check_host",
    "check_local_parts",
    "check_mail_change_fits",
    "check_mail_password",
    "check_phone",
    "mail_monthly_fee",
]

MAX_MAIL_ACCOUNTS: Final = 4
"""OCN-1: the basic account plus up to 3."""

_ACCOUNT_FEES: Final = {1: 0, 2: 250, 3: 350, 4: 450}
_VIRUS_CHECK_FEE: Final = 200
_TAX_PERCENT: Final = 10

_LOCAL_PART: Final = re.compile(r"[a-z0-9](?:[a-z0-9._-]{0,30}[a-z0-9])?")
_HOST: Final = re.compile(
    r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
)
_MAX_HOST: Final = 100
_PASSWORD: Final = re.compile(r"[\x21-\x7e]{6,32}")
_PASSWORD_LENGTH: Final = (6, 32)
_PHONE: Final = re.compile(r"[0-9]+(?:-[0-9]+)*")
_PHONE_DIGITS: Final = (10, 12)
_PHONE_MAX: Final = 20
"""The longest phone text looked at: 12 digits and a few hyphens."""


def mail_monthly_fee(*, accounts: int, virus_checks: int, tax_included: bool = False) -> int:
    """Return the monthly mail fee in yen (OCN-1).

    1 account is included; 2 → ¥250, 3 → ¥350, 4 → ¥450; each virus check ¥200; tax 10%
    rounded down when ``tax_included``.

    >>> mail_monthly_fee(accounts=3, virus_checks=1, tax_included=True)
    605
    """
    n = check_int(accounts, "accounts")
    checks = check_int(virus_checks, "virus_checks")
    require(tax_included, bool, field="tax_included", rule="OCN-1", what="a bool")
    if not 1 <= n <= MAX_MAIL_ACCOUNTS:
        msg = f"accounts must be from 1 to {MAX_MAIL_ACCOUNTS}, not {excerpt(n)}"
        raise ValidationError(msg, field="accounts", rule="OCN-1")
    if not 0 <= checks <= n:
        msg = f"virus_checks must be from 0 to the {n} accounts, not {excerpt(checks)}"
        raise ValidationError(msg, field="virus_checks", rule="OCN-1")
    total = _ACCOUNT_FEES[n] + _VIRUS_CHECK_FEE * checks
    return total * (100 + _TAX_PERCENT) // 100 if tax_included else total


def check_local_parts(value: object, *, field: str) -> tuple[str, ...]:
    """Return ``value``, a tuple of distinct mail account names (local parts, OCN-2).

    Only a tuple of strings is accepted, as the aggregate stores it (SEC-2): ``None``, a
    single string, a list (mutable, so no part of a frozen value) or anything else is a
    :class:`~omakase_core.errors.ValidationError` naming ``field``.

    >>> check_local_parts(("taro", "hanako"), field="accounts")
    ('taro', 'hanako')
    """
    if not isinstance(value, tuple):
        msg = f"{field} must be a tuple of mail account names, not {type(value).__name__}"
        raise ValidationError(msg, field=field, rule="OCN-2")
    items: tuple[object, ...] = value
    for item in items:
        if not isinstance(item, str) or _LOCAL_PART.fullmatch(item) is None:
            shown = repr(item[:20]) if isinstance(item, str) else type(item).__name__
            msg = (
                f"{field} holds {shown}: give only the part before the @, 1 to 32 lower-case "
                "letters, digits, '.', '_' or '-' (the host is assigned on registration)"
            )
            raise ValidationError(msg, field=field, rule="OCN-2")
    names: tuple[str, ...] = items  # type: ignore[assignment]  # every item was checked
    if len(set(names)) != len(names):
        raise ValidationError(f"{field} names an account twice", field=field, rule="OCN-2")
    return names


def check_host(value: object, *, field: str = "host") -> str:
    """Return ``value``, the host part the operator assigned to an account (OCN-2).

    A DNS name of lower-case labels, at least two, at most 100 characters; anything else is
    a :class:`~omakase_core.errors.ValidationError` naming ``field``.

    >>> check_host("dune.ocn.ne.jp")
    'dune.ocn.ne.jp'
    """
    if (
        not isinstance(value, str)
        or len(value) > _MAX_HOST
        or _HOST.fullmatch(value) is None
        or not value.isascii()
    ):
        msg = (
            f"{field} must be the host after the @ (lower-case labels joined by dots, such as "
            f"'dune.ocn.ne.jp', at most {_MAX_HOST} characters), not {excerpt(value)}"
        )
        raise ValidationError(msg, field=field, rule="OCN-2")
    return value


def check_mail_password(password: object, confirmation: object) -> str:
    """Return the mail ``password`` of a new or renamed account if it may be used (OCN-2).

    6 to 32 half-width letters, digits or symbols, repeated exactly by ``confirmation``.
    Neither is ever shown in the error, a :class:`~omakase_core.errors.ValidationError`
    naming ``password`` or ``password_confirmation``; the caller hands the password to the
    :class:`~omakase_core.ports.PasswordHasher` and keeps only the hash.

    >>> check_mail_password("Kq7-mail!", "Kq7-mail!")
    'Kq7-mail!'
    """
    low, high = _PASSWORD_LENGTH
    if not isinstance(password, str):
        shown = type(password).__name__
        msg = f"password is required for a new or renamed account: text, not {shown}"
        raise ValidationError(msg, field="password", rule="OCN-2")
    if _PASSWORD.fullmatch(password) is None:
        msg = (
            f"password must be {low} to {high} half-width letters, digits or symbols "
            "without spaces (it is not shown here)"
        )
        raise ValidationError(msg, field="password", rule="OCN-2")
    if not isinstance(confirmation, str) or confirmation != password:
        msg = "password_confirmation must repeat the password exactly (neither is shown here)"
        raise ValidationError(msg, field="password_confirmation", rule="OCN-2")
    return password


def check_mail_change_fits(
    *, accounts: tuple[str, ...], new_accounts: tuple[str, ...], virus_checks: tuple[str, ...]
) -> None:
    """Refuse additions that do not fit the customer's ``accounts`` (OCN-1, OCN-2).

    Each argument is a tuple of local parts (:func:`check_local_parts`, SEC-2). New accounts
    must not exist yet, the result holds at most 4 accounts, and every virus check names an
    existing or a new account. A back-office check of several additions at once; an
    application is one change of one account, which the line checks itself
    (:meth:`~omakase_core.ocn.OcnCustomer.apply_mail_change`).
    """
    accounts = check_local_parts(accounts, field="accounts")
    new_accounts = check_local_parts(new_accounts, field="new_accounts")
    virus_checks = check_local_parts(virus_checks, field="virus_checks")
    taken = sorted(set(accounts) & set(new_accounts))
    if taken:
        msg = f"new_accounts {excerpt(taken)} already exist"
        raise ValidationError(msg, field="new_accounts", rule="OCN-2")
    total = len(accounts) + len(new_accounts)
    if total > MAX_MAIL_ACCOUNTS:
        msg = f"at most {MAX_MAIL_ACCOUNTS} mail accounts, and this would make {total}"
        raise ValidationError(msg, field="new_accounts", rule="OCN-1")
    unknown = sorted(set(virus_checks) - set(accounts) - set(new_accounts))
    if unknown:
        msg = f"virus_checks names accounts that do not exist: {excerpt(unknown)}"
        raise ValidationError(msg, field="virus_checks", rule="OCN-2")


def check_phone(value: object, *, field: str = "phone") -> str:
    """Return the contact phone's digits: 10 to 12 half-width digits, hyphens dropped (OCN-4).

    >>> check_phone("0120-123-456")
    '0120123456'
    """
    if not isinstance(value, str):
        msg = f"{field} must be text, not {type(value).__name__}"
        raise ValidationError(msg, field=field, rule="OCN-4")
    text = value.strip()
    if len(text) > _PHONE_MAX or _PHONE.fullmatch(text) is None or not text.isascii():
        msg = f"{field} must be half-width digits 0-9, optionally separated by single hyphens"
        raise ValidationError(msg, field=field, rule="OCN-4")
    digits = text.replace("-", "")
    low, high = _PHONE_DIGITS
    if not low <= len(digits) <= high:
        msg = f"{field} must have {low} to {high} digits, not {len(digits)}"
        raise ValidationError(msg, field=field, rule="OCN-4")
    return digits
