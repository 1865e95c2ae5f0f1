"""Menus, ASPs, site names, uploaded files and construction schedules (SUB-7, SUB-9, SUB-10).

Decisions (the seed leaves them open):

- SUB-9: the seed gives ベーシック "2–4" and ライト "1–2" connectable ASPs. We read the upper
  figure as the menu's limit (4 and 2) and "at least one ASP" as the lower bound for every
  menu. ライトミニマム and ライトモバイル are variants of ライト and share its limits.
- SUB-10: the seed says the optical access converter step is needed "depending on the
  menu" without naming the menus. We require it for ベーシック and ライト (fibre access) and
  not for ライトミニマム and ライトモバイル; it is one field of the menu table.
- SUB-10: "遅延日" is the latest (最遅) of a step's three preferences; bounds are calendar
  days; with 平日日中帯工事可 each preference is a business day with an AM or PM slot,
  without it each preference has a start time and the step is after-hours (extra fee).
"""

from __future__ import annotations

import enum
import unicodedata
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Final

import attrs

from omakase_core.errors import ValidationError

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "ASP",
    "Menu",
    "Preference",
    "ScheduleError",
    "ScheduleViolation",
    "SiteName",
    "Slot",
    "Step",
    "UploadedFile",
]


class Menu(enum.Enum):
    """The Connecure menus and what each implies (SUB-3(b), (e), SUB-9, SUB-10)."""

    BASIC = "basic"
    LITE = "lite"
    LITE_MINIMUM = "lite_minimum"
    LITE_MOBILE = "lite_mobile"

    @property
    def label(self) -> str:
        """Return the portal's name of the menu."""
        return _MENU_TABLE[self][0]

    @property
    def asp_limit(self) -> int:
        """Return how many ASPs the menu may connect at most (SUB-9)."""
        return _MENU_TABLE[self][1]

    @property
    def needs_shipping_address(self) -> bool:
        """Return whether the menu ships equipment and so has document (b) (SUB-3(b))."""
        return _MENU_TABLE[self][2]

    @property
    def needs_converter(self) -> bool:
        """Return whether the menu has the optical access converter step (SUB-10)."""
        return _MENU_TABLE[self][3]

    @property
    def reports_faults_around_the_clock(self) -> bool:
        """Return whether the reporting-hours field (故障申告時間帯) applies (SUB-3(e))."""
        return self is Menu.BASIC


# label, ASP limit, shipping address, converter step
_MENU_TABLE: Final[dict[Menu, tuple[str, int, bool, bool]]] = {
    Menu.BASIC: ("ベーシック", 4, False, True),
    Menu.LITE: ("ライト", 2, False, True),
    Menu.LITE_MINIMUM: ("ライトミニマム", 2, True, False),
    Menu.LITE_MOBILE: ("ライトモバイル", 2, True, False),
}


class ASP(enum.Enum):
    """The ASP services Connecure connects to (SUB-9's catalogue)."""

    ANSER_DATAPORT = "AnserDATAPORT"
    ANSER_DATAPORT_C = "AnserDATAPORT+C"
    SDS = "SDS"
    FRONTGATE = "フロントゲート"
    ZEDI = "ZEDI"
    OPENCANVAS_BUSINESS = "OpenCanvas業務"
    OPENCANVAS_MAINTENANCE_MITA = "OpenCanvas維持(三田)"
    OPENCANVAS_MAINTENANCE_DOJIMA = "OpenCanvas維持(堂島)"
    OPENCANVAS_TYPE_S_DOJIMA = "OpenCanvas Type-S(堂島)"

    @property
    def label(self) -> str:
        """Return the catalogue name."""
        return str(self.value)


_MAX_SITE_PART: Final = 12


def _half_width_ascii_only(value: str) -> bool:
    """Return whether no letter, digit or symbol is written full-width (ＡＢＣ１２３！)."""
    for ch in value:
        if ch.isascii():
            continue
        folded = unicodedata.normalize("NFKC", ch)
        if folded.isascii() and folded.strip():
            return False
    return True


def _site_part(value: object, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        msg = f"{field} is required"
        raise ValidationError(msg, field=field, rule="SUB-7")
    if value != value.strip():
        msg = f"{field} must not start or end with spaces"
        raise ValidationError(msg, field=field, rule="SUB-7")
    if len(value) > _MAX_SITE_PART:
        msg = f"{field} must be at most {_MAX_SITE_PART} characters, not {len(value)}"
        raise ValidationError(msg, field=field, rule="SUB-7")
    if not _half_width_ascii_only(value):
        msg = f"{field} {value!r} writes letters, digits or symbols full-width; use half-width"
        raise ValidationError(msg, field=field, rule="SUB-7")
    return value


def site_name_part(field: str) -> Callable[[str], str]:
    """Return the SUB-7 check of one part of a site name, for a form field."""

    def check(value: str) -> str:
        return _site_part(value, field)

    return check


def _abbrev(value: object) -> str:
    return _site_part(value, "company_abbrev")


def _location(value: object) -> str:
    return _site_part(value, "location")


@attrs.frozen(kw_only=True)
class SiteName:
    """A site's name (拠点名, SUB-7): company abbreviation and location, shown as 略称(場所)."""

    company_abbrev: str = attrs.field(converter=_abbrev)
    location: str = attrs.field(converter=_location)

    def __str__(self) -> str:
        return f"{self.company_abbrev}({self.location})"


@attrs.frozen(kw_only=True)
class UploadedFile:
    """A file the customer uploaded to a document; ``name`` is the name stored."""

    name: str
    uploaded_at: datetime


class Step(enum.Enum):
    """The construction steps of a new installation, in order (SUB-10)."""

    SITE_SURVEY = "site_survey"
    LINE_WORK = "line_work"
    CONVERTER = "converter"
    ROUTER = "router"

    @property
    def label(self) -> str:
        """Return the portal's name of the step."""
        return _STEP_LABELS[self]


_STEP_LABELS: Final = {
    Step.SITE_SURVEY: "現地調査",
    Step.LINE_WORK: "回線工事",
    Step.CONVERTER: "光アクセスコンバータ設置",
    Step.ROUTER: "ルーター工事",
}


class Slot(enum.Enum):
    """A weekday-daytime slot (平日日中帯, 8:00-18:00): morning or afternoon (SUB-10)."""

    AM = "AM"
    PM = "PM"


@attrs.frozen(kw_only=True)
class Preference:
    """One preferred date of a step: an AM/PM ``slot`` or, after hours, a ``starts_at``."""

    day: date
    slot: Slot | None = None
    starts_at: time | None = None


@attrs.frozen(kw_only=True)
class ScheduleViolation:
    """One preferred date that breaks SUB-10: which step, which preference (1-3), why."""

    step: Step
    preference: int
    day: date
    earliest: date
    reason: str

    def __str__(self) -> str:
        return (
            f"{self.step.label} preference {self.preference} ({self.day.isoformat()}) "
            f"{self.reason}; the earliest allowed date is {self.earliest.isoformat()}"
        )


class ScheduleError(ValidationError):
    """A construction schedule breaks SUB-10; ``violations`` lists every broken preference."""

    violations: tuple[ScheduleViolation, ...]

    def __init__(self, violations: tuple[ScheduleViolation, ...]) -> None:
        self.violations = violations
        first = violations[0]
        more = f" (and {len(violations) - 1} more)" if len(violations) > 1 else ""
        super().__init__(f"{first}{more}", field=first.step.value, rule="SUB-10")
