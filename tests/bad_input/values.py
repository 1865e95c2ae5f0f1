"""The families of bad values, chosen by a parameter's annotation (issue 9 §2, SEC-2).

Each bad value carries a label (how failures name it), a default :class:`Verdict` and, for
long values, an ``echo`` probe: a run of characters that an error message showing more than
about 80 characters of the value would contain.

- ``REFUSE``: the call must raise an ``OmakaseError``. Wrong types, ``None`` where ``None``
  is not declared, naive datetimes, dates where instants belong, NaN and infinity, ``bool``
  for ``int``, numbers as text, plain strings and labels for enums, unhashable values.
- ``MAY``: an ``OmakaseError`` or a normal return, never anything else. Values of the
  right type that only some parameters refuse: empty, blank, control-character, 1 MB and
  non-ASCII text, negative, zero and huge numbers, instants far outside 1955-2099.

A case overrides the verdicts of one parameter where its rule is stricter (an id refuses
blank text) or looser (a "field" parameter only names a field).
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import TYPE_CHECKING, Final

from omakase_core.calendar import JST

if TYPE_CHECKING:
    from collections.abc import Callable


class Verdict(enum.Enum):
    """What a bad value must do to a parameter."""

    REFUSE = "must be refused with an OmakaseError"
    MAY = "may be accepted, or refused with an OmakaseError"


REFUSE: Final = Verdict.REFUSE
MAY: Final = Verdict.MAY


@dataclass(frozen=True)
class Bad:
    """One bad value: ``make`` builds a fresh one (lists are mutable, generators one-shot)."""

    label: str
    make: Callable[[], object]
    verdict: Verdict
    echo: str | None = field(default=None, compare=False)
    """A substring of the value's text that no error message may contain (SEC-2)."""

    def but(self, verdict: Verdict) -> Bad:
        """Return the same value with another verdict."""
        return Bad(self.label, self.make, verdict, self.echo)


def bad(label: str, value: object, verdict: Verdict, echo: str | None = None) -> Bad:
    """Return a bad value that is the same (immutable) object at every use."""
    return Bad(label, lambda: value, verdict, echo)


MEGABYTE: Final = "x" * 1_000_000
X_ECHO: Final = "x" * 81
HUGE: Final = 10**5000  # more digits than Python converts to text: a careless f-string fails
HUGE_ECHO: Final = "0" * 81


def _deep_list(depth: int) -> list[object]:
    value: list[object] = []
    for _ in range(depth):
        value = [value]
    return value


def _cycle() -> list[object]:
    value: list[object] = []
    value.append(value)
    return value


class Other(enum.Enum):
    """A foreign enum: its member is never a valid value of another enum."""

    CUSTOMER = "customer"
    OPEN = "open"


# -- shared by every typed parameter ------------------------------------------------------------

NONE: Final = bad("None", None, REFUSE)
WRONG_OBJECT: Final = (
    bad("object()", object(), REFUSE),
    Bad("unhashable list", lambda: ["x"], REFUSE),
    Bad("unhashable dict", lambda: {"x": 1}, REFUSE),
    Bad("unhashable set", lambda: {"x"}, REFUSE),
)


def wrong_types(*, optional: bool) -> tuple[Bad, ...]:
    """Return the values no typed parameter takes: ``None`` (unless declared), objects."""
    return WRONG_OBJECT if optional else (NONE, *WRONG_OBJECT)


# -- the families -------------------------------------------------------------------------------

NAIVE: Final = datetime(2026, 11, 1, 10, 0)  # noqa: DTZ001  # the point: a naive datetime
AWARE: Final = datetime(2026, 11, 1, 10, 0, tzinfo=JST)

INSTANT: Final = (
    bad("naive datetime", NAIVE, REFUSE),
    bad("date for a datetime", date(2026, 11, 1), REFUSE),
    bad("time for a datetime", time(10, 0), REFUSE),
    bad("ISO text for a datetime", "2026-11-01T10:00:00+09:00", REFUSE),
    bad("int timestamp", 1_793_000_000, REFUSE),
    bad("float timestamp", 1.793e9, REFUSE),
    bad("NaN", math.nan, REFUSE),
    bad("datetime.max in UTC", datetime.max.replace(tzinfo=UTC), MAY),
    bad("datetime.min in UTC", datetime.min.replace(tzinfo=UTC), MAY),
    bad("datetime.max in JST", datetime.max.replace(tzinfo=JST), MAY),
    bad("datetime.min in JST", datetime.min.replace(tzinfo=JST), MAY),
    bad(
        "datetime.min at +23:59",
        datetime.min.replace(tzinfo=timezone(timedelta(hours=23, minutes=59))),
        MAY,
    ),
    bad("1900 aware", datetime(1900, 1, 1, tzinfo=JST), MAY),
    bad("2100 aware", datetime(2100, 1, 1, tzinfo=JST), MAY),
)

DAY: Final = (
    bad("naive datetime", NAIVE, REFUSE),
    bad("ISO text for a date", "2026-11-20", REFUSE),
    bad("int for a date", 20261120, REFUSE),
    bad("time for a date", time(10, 0), REFUSE),
    bad("NaN", math.nan, REFUSE),
    bad("aware datetime for a date", AWARE, MAY),
    bad("date.max", date.max, MAY),
    bad("date.min", date.min, MAY),
    bad("1954-12-31", date(1954, 12, 31), MAY),
    bad("2100-01-01", date(2100, 1, 1), MAY),
    bad("datetime.max in UTC", datetime.max.replace(tzinfo=UTC), MAY),
)

INT: Final = (
    bad("str for int", "3", REFUSE),
    bad("full-width digits", "３", REFUSE),
    bad("Arabic-Indic digits", "٣", REFUSE),
    bad("float for int", 3.0, REFUSE),
    bad("fractional float", 2.5, REFUSE),
    bad("True for int", True, REFUSE),
    bad("False for int", False, REFUSE),
    bad("NaN", math.nan, REFUSE),
    bad("infinity", math.inf, REFUSE),
    bad("-infinity", -math.inf, REFUSE),
    bad("Decimal for int", Decimal(3), REFUSE),
    bad("negative", -1, MAY),
    bad("zero", 0, MAY),
    bad("2**63", 2**63, MAY),
    bad("huge", HUGE, MAY, HUGE_ECHO),
    bad("-huge", -HUGE, MAY, HUGE_ECHO),
)

FLOAT: Final = (
    bad("str for a number", "3", REFUSE),
    bad("full-width digits", "３", REFUSE),
    bad("True for a number", True, REFUSE),
    bad("NaN", math.nan, REFUSE),
    bad("infinity", math.inf, REFUSE),
    bad("-infinity", -math.inf, REFUSE),
    bad("negative", -1.5, MAY),
    bad("zero", 0.0, MAY),
    bad("1e308", 1e308, MAY),
    bad("huge int", HUGE, MAY, HUGE_ECHO),
)

BOOL: Final = (
    bad("1 for bool", 1, REFUSE),
    bad("0 for bool", 0, REFUSE),
    bad("'true' for bool", "true", REFUSE),
    bad("'False' for bool", "False", REFUSE),
    bad("empty text for bool", "", REFUSE),
    bad("NaN", math.nan, REFUSE),
)

TEXT: Final = (
    bad("int for text", 3, REFUSE),
    bad("float for text", 3.0, REFUSE),
    bad("True for text", True, REFUSE),
    bad("bytes for text", b"text", REFUSE),
    bad("empty", "", MAY),
    bad("blank", "   ", MAY),
    bad("ideographic space", "\u3000", MAY),
    bad("control characters", "a\x00b\x07\x1b[31m", MAY),
    bad("line break", "a\r\nb", MAY),
    bad("1 MB", MEGABYTE, MAY, X_ECHO),
    bad("full-width digits", "１２３", MAY),
    bad("Arabic-Indic digits", "١٢٣", MAY),
    bad("lone surrogate", "\ud800", MAY),
    bad("emoji", "😀", MAY),
    bad("unknown word", "nope", MAY),
)

TIMEDELTA: Final = (
    bad("int for a timedelta", 1, REFUSE),
    bad("text for a timedelta", "1 day", REFUSE),
    bad("True for a timedelta", True, REFUSE),
    bad("negative timedelta", timedelta(days=-1), MAY),
    bad("timedelta.max", timedelta.max, MAY),
)

CALLABLE: Final = (
    bad("text for a callable", "print", REFUSE),
    bad("int for a callable", 1, REFUSE),
)


def literal(choices: tuple[object, ...]) -> tuple[Bad, ...]:
    """Return the values a ``Literal[...]`` parameter refuses: near misses and strangers."""
    first = str(choices[0])
    return (
        bad("unknown choice", "fr", REFUSE),
        bad("upper-cased choice", first.upper(), REFUSE),
        bad("padded choice", f" {first} ", REFUSE),
        bad(
            "full-width choice", first.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)}), REFUSE
        ),
        bad("empty", "", REFUSE),
        bad("1 MB", MEGABYTE, REFUSE, X_ECHO),
        bad("int for a choice", 0, REFUSE),
        bad("bytes for a choice", first.encode(), REFUSE),
    )


def enum_member(kind: type[enum.Enum]) -> tuple[Bad, ...]:
    """Return what a parameter taking a member of ``kind`` refuses (SEC-2).

    Its plain value, its name, its label, another enum's member, unknown text: never a
    member, even for a ``StrEnum`` whose members compare equal to their values.
    """
    member = next(iter(kind), None)
    values: list[Bad] = [
        bad("unknown text", "nope", REFUSE),
        bad("empty", "", REFUSE),
        bad("1 MB", MEGABYTE, REFUSE, X_ECHO),
        bad("int for an enum", 0, REFUSE),
        bad("True for an enum", True, REFUSE),
        bad("a foreign enum's member", Other.CUSTOMER, REFUSE),
    ]
    if member is not None:
        values += [
            bad("the member's plain value", member.value, REFUSE),
            bad("the member's name", member.name, REFUSE),
            bad("the member's lower-cased name", member.name.lower(), REFUSE),
        ]
        label = getattr(member, "label", None)
        if isinstance(label, str):
            values.append(bad("the member's label", label, REFUSE))
    return tuple(values)


def enum_value(kind: type[enum.Enum]) -> tuple[Bad, ...]:
    """Return what an enum's own look-up by value (``Kind(value)``) refuses."""
    member = next(iter(kind), None)
    values: list[Bad] = [
        bad("unknown text", "nope", REFUSE),
        bad("empty", "", REFUSE),
        bad("1 MB", MEGABYTE, REFUSE, X_ECHO),
        bad("huge int", HUGE, REFUSE, HUGE_ECHO),
        bad("a foreign enum's member", Other.OPEN, REFUSE),
        NONE,
        *WRONG_OBJECT,
    ]
    if member is not None:
        values.append(bad("the member's name", member.name, REFUSE))
        label = getattr(member, "label", None)
        if isinstance(label, str):
            values.append(bad("the member's label", label, REFUSE))
    return tuple(values)


def instance_of(kind: type) -> tuple[Bad, ...]:
    """Return what a parameter taking an instance of ``kind`` refuses."""
    return (
        bad("the class's name as text", kind.__name__, REFUSE),
        bad("int for an object", 1, REFUSE),
        bad("the class instead of an instance", kind, REFUSE),
    )


def class_of(kind: type) -> tuple[Bad, ...]:
    """Return what a parameter taking a subclass of ``kind`` refuses."""
    return (
        bad("the class's name as text", kind.__name__, REFUSE),
        bad("another class", int, REFUSE),
        bad("int for a class", 1, REFUSE),
    )


def collection_of(item: tuple[Bad, ...]) -> tuple[Bad, ...]:
    """Return what a parameter taking a collection refuses: scalars, text, bad items."""
    refused_items = [b for b in item if b.verdict is REFUSE][:3]
    return (
        bad("int for a collection", 42, REFUSE),
        bad("text for a collection", "2026-11-20", REFUSE),
        Bad("a list holding None", lambda: [None], REFUSE),
        Bad("a list holding an object()", lambda: [object()], REFUSE),
        *(
            Bad(f"a list holding {b.label}", lambda b=b: [b.make()], REFUSE)  # type: ignore[misc]
            for b in refused_items
        ),
        Bad("empty list", list, MAY),
        Bad("empty generator", lambda: iter(()), MAY),
    )


def port(name: str) -> tuple[Bad, ...]:
    """Return what a parameter taking an implementation of the port ``name`` refuses."""
    return (
        bad("text for a port", name, REFUSE),
        bad("int for a port", 1, REFUSE),
    )


OBJECT_GRAPH: Final = (
    bad("NaN", math.nan, REFUSE),
    bad("infinity", math.inf, REFUSE),
    bad("huge int", HUGE, REFUSE, HUGE_ECHO),
    bad("naive datetime", NAIVE, REFUSE),
    bad("lone surrogate", "\ud800", REFUSE),
    Bad("a cycle", _cycle, REFUSE),
    Bad("nesting 100 deep", lambda: _deep_list(100), REFUSE),
    Bad("nesting 100000 deep", lambda: _deep_list(100_000), REFUSE),
    Bad("a mapping with int keys", lambda: {1: 2}, REFUSE),
    bad("object()", object(), REFUSE),
    bad("bytes", b"x", REFUSE),
    bad("a function", print, REFUSE),
    bad("1 MB", MEGABYTE, MAY, X_ECHO),
    NONE.but(MAY),
    Bad("empty list", list, MAY),
    bad("aware datetime", AWARE, MAY),
)
"""Values for a parameter that takes any data (``to_data``)."""
