"""Errors raised by omakase_core.

Every refused command raises a subclass of :class:`OmakaseError`. Each leaf also
subclasses a builtin (``ValueError``, ``PermissionError``, ``LookupError`` …) so that a
caller can catch either. An error carries its data as attributes (the rule ID, the
offending field, the year, …) and its message says in one sentence what was refused
and why. A refused command changes nothing.

A message never carries more than a short excerpt of any input (SEC-2): an error built
from a caller's value (an id, a year, a description) shows it through :func:`excerpt`, so
a megabyte of text or a number of thousands of digits cannot flood a log or a screen.

Every error pickles and unpickles to an equal error — same type, message (``args``) and
fields — so it crosses process boundaries intact (``concurrent.futures`` process pools,
Celery, RQ), although the constructors take keyword-only arguments (issue 11, PORT-6: a
delivery worker in another process reports its failures as they were raised). Two errors
are equal when their types, ``args`` and attributes are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

__all__ = [
    "CalendarRangeError",
    "ConcurrencyConflict",
    "DeadlinePassed",
    "DecodeError",
    "DefinitionError",
    "InvalidTransition",
    "NaiveDatetimeError",
    "NotFound",
    "OmakaseError",
    "PermissionDenied",
    "ValidationError",
]

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

EXCERPT_LENGTH: Final = 40
"""The most characters of an input a message shows (SEC-2; the rule says "about 80")."""


def excerpt(value: object, limit: int = EXCERPT_LENGTH) -> str:
    """Return how a message may show ``value``: its ``repr``, cut to about ``limit`` characters.

    Safe for any value: text is cut before it is quoted, and a value whose ``repr`` fails
    (an ``int`` of more digits than Python converts, a broken ``__repr__``) is shown by its
    type. Not part of the public API (not in ``__all__``); the library's modules use it.
    """
    if isinstance(value, str):
        text = repr(value[:limit])
        return f"{text}…" if len(value) > limit else text
    try:
        text = repr(value)
    except Exception:  # any failing repr: show the type instead
        return f"<{type(value).__name__}>"
    return f"{text[:limit]}…" if len(text) > limit else text


def _name(value: object, limit: int = EXCERPT_LENGTH) -> str:
    """Return a library-given name (a field, a rule, a description) as is when short text."""
    if isinstance(value, str) and len(value) <= limit:
        return value
    return excerpt(value, limit)


def error_text(message: str, rule: str | None) -> str:
    """Return an error's text: ``message``, after the ``rule`` that refused when there is one.

    :class:`OmakaseError` builds its ``args`` with it; not part of the public API (not in
    ``__all__``).
    """
    return f"{_name(rule)}: {message}" if rule else message


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
        super().__init__(error_text(message, rule))

    def __reduce__(self) -> tuple[Callable[..., OmakaseError], tuple[Any, ...], dict[str, Any]]:
        """Pickle as the class, ``args`` and attributes: no constructor runs on unpickling.

        ``BaseException`` would call ``cls(*args)``, which fails for keyword-only
        constructors; the attributes (``rule``, ``field``, …, ``__notes__``) come back as
        they were, whatever a subclass's constructor computes from its arguments.
        """
        return _rebuild, (type(self), self.args), dict(vars(self))

    def __eq__(self, other: object) -> bool:
        """Equal when of the same type with equal ``args`` and equal attributes."""
        if not isinstance(other, OmakaseError):
            return NotImplemented
        return type(self) is type(other) and self.args == other.args and vars(self) == vars(other)

    def __hash__(self) -> int:
        """Hash the type and ``args`` (equal errors have both equal)."""
        return hash((type(self), self.args))


def _rebuild(cls: type[OmakaseError], args: tuple[Any, ...]) -> OmakaseError:
    """Return an error of ``cls`` holding ``args``; unpickling then restores its attributes."""
    error = cls.__new__(cls, *args)
    error.args = args
    return error


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
            f"{_name(field)} is a naive datetime; give an aware datetime "
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
            f"{_name(what, 2 * EXCERPT_LENGTH)} falls in {excerpt(year)}, "
            f"outside the supported years {excerpt(first_year)}-{excerpt(last_year)} "
            "for which Japanese holidays are known",
            rule="CAL-8",
        )


class InvalidTransition(OmakaseError, ValueError):
    """An event was sent in a status where it cannot happen.

    ``state`` is the status (English name), ``event`` the event id and ``lifecycle`` the
    lifecycle's name.
    """

    state: str
    event: str | None
    lifecycle: str

    def __init__(
        self,
        message: str,
        *,
        state: str,
        event: str | None,
        lifecycle: str,
        rule: str | None = None,
    ) -> None:
        self.state = state
        self.event = event
        self.lifecycle = lifecycle
        super().__init__(message, rule=rule)


class PermissionDenied(OmakaseError, PermissionError):
    """The actor may not do what it asked for; ``actor``, ``event`` and ``state`` say what."""

    actor: str
    event: str
    state: str | None

    def __init__(
        self,
        message: str,
        *,
        actor: str,
        event: str,
        state: str | None = None,
        rule: str | None = None,
    ) -> None:
        self.actor = actor
        self.event = event
        self.state = state
        super().__init__(message, rule=rule)


class DeadlinePassed(OmakaseError, ValueError):
    """A command came at or after the deadline that allowed it; ``deadline`` is that instant."""

    deadline: datetime
    at: datetime

    def __init__(self, message: str, *, deadline: datetime, at: datetime, rule: str) -> None:
        self.deadline = deadline
        self.at = at
        super().__init__(message, rule=rule)


class ConcurrencyConflict(OmakaseError, RuntimeError):
    """A save was based on a stale version (PORT-2); nothing was written.

    ``aggregate_id`` names the aggregate, ``expected_version`` the version the caller
    loaded (``None`` for an add, which expects nothing stored) and ``actual_version`` the
    one stored (``None`` when nothing is).
    """

    aggregate_id: str
    expected_version: int | None
    actual_version: int | None

    def __init__(
        self, *, aggregate_id: str, expected_version: int | None, actual_version: int | None
    ) -> None:
        self.aggregate_id = aggregate_id
        self.expected_version = expected_version
        self.actual_version = actual_version
        name = _name(aggregate_id)
        if expected_version is None:
            message = (
                f"{name} already exists at version {excerpt(actual_version)}; "
                "it cannot be added again"
            )
        else:
            stored = (
                "does not exist"
                if actual_version is None
                else f"is at version {excerpt(actual_version)}"
            )
            message = (
                f"{name} was loaded at version {excerpt(expected_version)} but {stored}; "
                "reload it and try again"
            )
        super().__init__(message, rule="PORT-2")


class NotFound(OmakaseError, LookupError):
    """No aggregate (or record) with that id exists; ``kind`` and ``id`` say which."""

    kind: str
    id: str

    def __init__(self, *, kind: str, id: str) -> None:  # noqa: A002  # the error's own field
        self.kind = kind
        self.id = id
        super().__init__(f"no {_name(kind)} with id {excerpt(id)} exists")


class DefinitionError(OmakaseError, TypeError):
    """A lifecycle chart cannot be compiled into a table; ``chart`` names it."""

    chart: str

    def __init__(self, message: str, *, chart: str) -> None:
        self.chart = chart
        super().__init__(message)


class DecodeError(OmakaseError, ValueError):
    """Stored data cannot be decoded (PORT-7); nothing was guessed and nothing was returned.

    ``type_name`` is the stored type name the data declared (``"contract.Contract"``, at most
    a short excerpt of an unknown one), or ``None`` when the text names no type.
    ``field`` says where the data is malformed: a path inside the type's data
    (``"contractor.email"``, ``"documents[0].details"``), an envelope key (``"type"``,
    ``"schema"``, ``"data"``) when the envelope itself is, or ``None`` when the text is not a
    stored envelope at all.
    """

    type_name: str | None
    field: str | None

    def __init__(
        self, message: str, *, type_name: str | None = None, field: str | None = None
    ) -> None:
        self.type_name = type_name
        self.field = field
        super().__init__(message, rule="PORT-7")
