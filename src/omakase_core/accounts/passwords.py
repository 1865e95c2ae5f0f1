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


_LETTERS: Final = re.compile("[A-Za-z]")
_DIGITS: Final = re.compile("[0-9]")


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
    _characters: re.Pattern[str] = attrs.field(init=False, repr=False, eq=False)
    _characters_message: str = attrs.field(init=False, repr=False, eq=False)

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
        object.__setattr__(self, "_characters", re.compile(f"[{allowed}]*"))
        object.__setattr__(
            self,
            "_characters_message",
            "the password may contain only half-width letters, digits and the symbols "
            + " ".join(self.symbols),
        )

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
        requirement = self.failed_requirement(
            new, confirmation=confirmation, current=current, history=history, hasher=hasher
        )
        if requirement is not None:
            raise PasswordPolicyError(
                self._message(requirement, new), requirement=requirement, rule=self.rule
            )

    def failed_requirement(
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

        The requirements are ``type``, ``length``, ``characters``, ``letters``, ``digits``,
        ``digits_or_symbols``, ``confirmation``, ``reuse_current`` and ``reuse_history``.
        """
        if not _both_text(new, confirmation):
            return "type"
        if self._pattern.fullmatch(new) is None:
            return self._structural(new)
        if confirmation != new:
            return "confirmation"
        if current is not None and self._same(new, current, hasher):
            return "reuse_current"
        if self.history_size and history:
            recent = list(history)[-self.history_size :]
            if any(self._same(new, old, hasher) for old in recent):
                return "reuse_history"
        return None

    @staticmethod
    def _same(new: str, kept: str, hasher: PasswordHasher | None) -> bool:
        return hasher.verify(new, kept) if hasher is not None else new == kept

    def _structural(self, new: str) -> str:
        if not self.min_length <= len(new) <= self.max_length:
            return "length"
        if self._characters.fullmatch(new) is None:
            return "characters"
        if len(_LETTERS.findall(new)) < self.min_letters:
            return "letters"
        if len(_DIGITS.findall(new)) < self.min_digits:
            return "digits"
        return "digits_or_symbols"

    def _message(self, requirement: str, new: object) -> str:  # noqa: PLR0911  # one per requirement
        """Return the sentence for ``requirement``; it never includes the password."""
        if requirement == "type":
            return "the password and its confirmation must be text"
        if requirement == "length":
            size = len(new) if isinstance(new, str) else 0
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
