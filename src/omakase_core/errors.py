"""Errors raised by omakase_core.

Every refused command raises a subclass of :class:`OmakaseError`. Each leaf also
subclasses a builtin (``ValueError``, ``PermissionError``, ``LookupError`` …) so that a
caller can catch either. An error carries its data as attributes (the rule ID, the
offending field, the year, …) and its message says in one sentence what was refused
and why. A refused command changes nothing.
"""

from __future__ import annotations

__all__ = [
    "CalendarRangeError",
    "NaiveDatetimeError",
    "OmakaseError",
    "ValidationError",
]


class OmakaseError(Exception):
    """Root of every error omakase_core raises.

    ``rule`` is the ID of the rule in the rulebook that refused the input (``"CAL-8"``),
    or ``None`` when the refusal is about the shape of an argument rather than a rule.
    """

    rule: str | None
    message: str

    def __init__(self, message: str, *, rule: str | None = None) -> None:
        self.rule = rule
        self.message = message
        super().__init__(f"{rule}: {message}" if rule else message)


class ValidationError(OmakaseError, ValueError):
    """An argument has the wrong type or an impossible value; ``field`` names it."""

    field: str

    def __init__(self, message: str, *, field: str, rule: str | None = None) -> None:
        self.field = field
        super().__init__(message, rule=rule)


class NaiveDatetimeError(OmakaseError, ValueError):
    """A datetime without a time zone was given where an instant is required (CAL-1).

    ``field`` names the argument that was naive.
    """

    field: str

    def __init__(self, *, field: str) -> None:
        self.field = field
        super().__init__(
            f"{field} is a naive datetime; give an aware datetime "
            "(for example with tzinfo=omakase_core.calendar.JST) so its instant is unambiguous",
            rule="CAL-1",
        )


class CalendarRangeError(OmakaseError, ValueError):
    """A date falls outside the years the holiday calendar is known for (CAL-8).

    ``year`` is the offending year and ``first_year``/``last_year`` the supported range.
    """

    year: int
    first_year: int
    last_year: int

    def __init__(self, *, year: int, first_year: int, last_year: int, what: str) -> None:
        self.year = year
        self.first_year = first_year
        self.last_year = last_year
        super().__init__(
            f"{what} falls in {year}, outside the supported years "
            f"{first_year}-{last_year} for which Japanese holidays are known",
            rule="CAL-8",
        )
