"""Password policies as values (ACC-1, ACC-2): what a new password must be.

A policy checks a new password against its rules, its confirmation, the current password
and the history. The current and earlier passwords are given the way the caller keeps
them: as hashes, checked with a :class:`~omakase_core.ports.PasswordHasher`, or — only
without a hasher — as given. No message, attribute or ``repr`` ever holds a password.

Decision: ``history`` is oldest first; "the last N passwords" are its last N entries.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING, Final

import attrs

from omakase_core.errors import ValidationError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from omakase_core.ports import PasswordHasher

__all__ = [
    "KDDI_PORTAL_PASSWORD",
    "OCN_AUTH_PASSWORD",
    "PasswordPolicy",
    "PasswordPolicyError",
]


class PasswordPolicyError(ValidationError):
    """A new password breaks a requirement; ``requirement`` names which (never the password)."""

    requirement: str

    def __init__(self, message: str, *, requirement: str, rule: str) -> None:
        self.requirement = requirement
        super().__init__(message, field="password", rule=rule)


def _both_text(new: object, confirmation: object) -> bool:
    return isinstance(new, str) and isinstance(confirmation, str)


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


def _letter(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


@attrs.frozen(kw_only=True)
class PasswordPolicy:
    """The rules of one kind of password (ACC-1, ACC-2).

    ``symbols`` are the allowed symbols besides ASCII letters and digits. A password needs
    ``min_letters`` letters, ``min_digits`` digits and ``min_digits_or_symbols`` characters
    that are digits or symbols. ``history_size`` earlier passwords may not be reused
    (configurable with ``attrs.evolve``). ``change_lock`` is how long after a change another
    change is refused; ``effective_within`` how long a new password may take to work.
    """

    name: str
    rule: str
    min_length: int
    max_length: int
    symbols: str
    min_letters: int = 0
    min_digits: int = 0
    min_digits_or_symbols: int = 0
    history_size: int = 0
    change_lock: timedelta | None = None
    effective_within: timedelta | None = None
    _pattern: re.Pattern[str] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        allowed = "A-Za-z0-9" + re.escape(self.symbols)
        symbol = re.escape(self.symbols)
        checks = [
            f"(?=(?:[^A-Za-z]*[A-Za-z]){{{self.min_letters}}})",
            f"(?=(?:[^0-9]*[0-9]){{{self.min_digits}}})",
            f"(?=(?:[^0-9{symbol}]*[0-9{symbol}]){{{self.min_digits_or_symbols}}})",
        ]
        pattern = "".join(checks) + f"[{allowed}]{{{self.min_length},{self.max_length}}}"
        object.__setattr__(self, "_pattern", re.compile(pattern))

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
        if not _both_text(new, confirmation):
            self._fail("the password and its confirmation must be text", "type")
        if self._pattern.fullmatch(new) is None:
            self._diagnose(new)
        if confirmation != new:
            self._fail("the confirmation does not match the new password", "confirmation")
        if current is not None and self._same(new, current, hasher):
            self._fail("the new password must differ from the current one", "reuse_current")
        recent = list(history)[-self.history_size :] if self.history_size else []
        if any(self._same(new, old, hasher) for old in recent):
            self._fail(
                f"the new password must not be one of the last {self.history_size} passwords",
                "reuse_history",
            )

    @staticmethod
    def _same(new: str, kept: str, hasher: PasswordHasher | None) -> bool:
        return hasher.verify(new, kept) if hasher is not None else new == kept

    def _diagnose(self, new: str) -> None:
        if not self.min_length <= len(new) <= self.max_length:
            self._fail(
                f"the password must be {self.min_length} to {self.max_length} characters long, "
                f"not {len(new)}",
                "length",
            )
        allowed = set(self.symbols)
        if any(not (ch.isascii() and (ch.isalnum() or ch in allowed)) for ch in new):
            self._fail(
                "the password may contain only half-width letters, digits and the symbols "
                f"{' '.join(self.symbols)}",
                "characters",
            )
        if sum(_letter(ch) for ch in new) < self.min_letters:
            self._fail(
                f"the password needs at least {_count(self.min_letters, 'letter')}", "letters"
            )
        if sum(ch.isdigit() for ch in new) < self.min_digits:
            self._fail(f"the password needs at least {_count(self.min_digits, 'digit')}", "digits")
        self._fail(
            f"the password needs at least {self.min_digits_or_symbols} digit or symbol"
            if self.min_digits_or_symbols == 1
            else f"the password needs at least {self.min_digits_or_symbols} digits or symbols",
            "digits_or_symbols",
        )

    def _fail(self, message: str, requirement: str) -> None:
        raise PasswordPolicyError(message, requirement=requirement, rule=self.rule)


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
)
"""ACC-1: 6-8 characters, at least 2 letters and 1 digit or symbol; 1 h between changes."""

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
