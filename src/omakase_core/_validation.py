"""Field checks shared by the domains; each error names the field and the rule.

Messages show at most a short :func:`excerpt` of the value they refuse (SEC-2).
"""

from __future__ import annotations

import enum
import re
import unicodedata
from typing import TYPE_CHECKING, Any, Final, TypeVar

from omakase_core.errors import ValidationError, excerpt

if TYPE_CHECKING:
    from collections.abc import Callable

    import attrs

__all__ = [
    "StrictEnumType",
    "check_email",
    "check_port",
    "check_text",
    "count_validator",
    "excerpt",
    "ids_validator",
    "port_validator",
    "require",
]

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
        raise ValidationError(msg, field=field, rule=rule, problem="type")
    text = value.strip()
    if not text:
        msg = f"{field} is required and must not be blank"
        raise ValidationError(msg, field=field, rule=rule, problem="required")
    if len(text) > max_length:
        msg = f"{field} must be at most {max_length} characters, not {len(text)}"
        raise ValidationError(msg, field=field, rule=rule, problem="too_long", limit=max_length)
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        msg = f"{field} must not contain control characters"
        raise ValidationError(msg, field=field, rule=rule, problem="control_characters")
    return text


def check_email(value: object, *, field: str, rule: str | None) -> str:
    """Return ``value`` stripped if it is a plausible address (local@domain.tld), else refuse.

    The check is the practical subset portals accept: ASCII dot-atoms on both sides, a
    domain with at least one dot and a letter TLD, at most 254 characters and a local part
    of at most 64.
    """
    text = check_text(value, field=field, rule=rule, max_length=_MAX_EMAIL)
    if _EMAIL.fullmatch(text) is None or len(text.partition("@")[0]) > _MAX_LOCAL:
        msg = f"{field} {excerpt(text)} is not a valid e-mail address"
        raise ValidationError(msg, field=field, rule=rule, problem="email")
    return text


INVISIBLE: Final = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
"""Unicode categories never in a line of visible text: controls, formatting characters
(bidi controls, zero-width ones, the byte-order mark), line and paragraph separators and
lone surrogates (SUB-14, INQ-1)."""


def refuse_invisible(text: str, *, field: str, rule: str | None) -> str:
    """Return ``text`` if it holds no :data:`INVISIBLE` character; never echo the one it has."""
    if not text.isprintable() and any(unicodedata.category(ch) in INVISIBLE for ch in text):
        msg = (
            f"{field} must not contain control or formatting characters "
            "(line breaks, bidi marks, zero-width characters)"
        )
        raise ValidationError(msg, field=field, rule=rule, problem="control_characters")
    return text


def is_bare_file_name(name: str) -> bool:
    r"""Return whether ``name`` names a file only (SUB-3, INQ-2).

    No folder (``/``, ``\``), drive or NTFS stream (``:``), and not ``.`` or ``..``.
    """
    return name not in {".", ".."} and not any(ch in name for ch in "/\\:")


def require(value: object, expected: type[T], *, field: str, rule: str | None, what: str) -> T:
    """Return ``value`` if it is an ``expected``; else refuse it, saying it must be ``what``.

    Public functions check their arguments at run time too: callers are not always
    type-checked, and a wrong type must be a clear ``ValidationError``, not a crash later.
    """
    if isinstance(value, bool) and expected is not bool:
        msg = f"{field} must be {what}, not {value!r}"
        raise ValidationError(msg, field=field, rule=rule, problem="type")
    if not isinstance(value, expected):
        msg = f"{field} must be {what}, not {type(value).__name__} {excerpt(value)}"
        raise ValidationError(msg, field=field, rule=rule, problem="type")
    return value


def check_port(value: object, *, field: str, port: str, methods: tuple[str, ...]) -> None:
    """Refuse ``value`` unless it implements ``port``: an object with callable ``methods``.

    A wrong object is refused where it is given (a service built, a function called), with a
    ``ValidationError`` naming ``field`` (PORT-1, SEC-2), never an ``AttributeError`` in the
    middle of a command. A class is refused too: its methods are not bound to an adapter.
    """
    if isinstance(value, type) or not all(callable(getattr(value, m, None)) for m in methods):
        needs = ", ".join(f"{method}()" for method in methods)
        shown = f"the class {value.__name__}" if isinstance(value, type) else type(value).__name__
        msg = f"{field} must be {port} (with {needs}), not {shown}"
        raise ValidationError(msg, field=field, rule="PORT-1")


def port_validator(
    port: str, *methods: str
) -> Callable[[object, attrs.Attribute[Any], object], None]:
    """Return the attrs validator of a field holding ``port`` (:func:`check_port`)."""

    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        check_port(value, field=attribute.name, port=port, methods=methods)

    return check


def count_validator(rule: str) -> Callable[[object, attrs.Attribute[int], object], None]:
    """Return the attrs validator of a report's count: a non-negative ``int``, not a bool."""

    def check(_: object, attribute: attrs.Attribute[int], value: object) -> None:
        if type(value) is not int or value < 0:
            msg = f"{attribute.name} must be a non-negative int, not {excerpt(value)}"
            raise ValidationError(msg, field=attribute.name, rule=rule)

    return check


def ids_validator(
    what: str, rule: str
) -> Callable[[object, attrs.Attribute[tuple[str, ...]], object], None]:
    """Return the attrs validator of a report's ids: a tuple of ``str`` (``what`` names them)."""

    def check(_: object, attribute: attrs.Attribute[tuple[str, ...]], value: object) -> None:
        if type(value) is not tuple or not all(type(item) is str for item in value):
            msg = f"{attribute.name} must be a tuple of {what}, not {excerpt(value)}"
            raise ValidationError(msg, field=attribute.name, rule=rule)

    return check


class StrictEnumType(enum.EnumType):
    """The metaclass of the library's enums: a look-up by value refuses cleanly (SEC-2).

    ``Kind(value)`` returns the member whose value is ``value`` (or ``value`` itself when it
    is a member). Anything else — unknown text, a member's name or label, another enum's
    member, ``None``, an unhashable value, an ``int`` of thousands of digits — is a
    :class:`~omakase_core.errors.ValidationError` naming ``value`` that shows at most a
    short excerpt of it, where Python's own ``ValueError`` would quote all of it (and fail
    on the huge ``int``). The functional API (``Kind("Name", "A B")``) is Python's.
    """

    def __call__(cls, value: object, *args: Any, **kwargs: Any) -> Any:  # the look-up of an enum
        if args or kwargs:
            return super().__call__(value, *args, **kwargs)
        kind: type[enum.Enum] = cls  # type: ignore[assignment]  # the enum class being called
        if isinstance(value, kind):
            return value
        try:
            return cls._value2member_map_[value]
        except (KeyError, TypeError):  # not a value, or not even hashable
            pass
        members: dict[str, enum.Enum] = dict(cls.__members__)
        values = ", ".join(str(member.value) for member in members.values())
        msg = f"{excerpt(value)} is not a {cls.__name__} value (one of: {values or 'none'})"
        raise ValidationError(msg, field="value", rule="SEC-2")
