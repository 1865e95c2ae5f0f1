"""Pure rules of Connecure applications: dates, fees, names, file names and field formats.

SUB-3(c) file names, SUB-7 site names, SUB-9 ASP selection and fee, SUB-10 construction
schedules, SUB-11 building entry, SUB-12 first billing month, SUB-13 portal accounts and
SUB-14 field formats. Every refusal is a :class:`~omakase_core.errors.ValidationError`
naming the rule and the public parameter; enum parameters refuse plain strings, labels,
``None`` and members of other enums (SEC-2); a date so late that the rule's arithmetic
would leave the calendar is refused the same way, never an ``OverflowError``.

Decisions (SUB-14): "half-width" means every character is narrow (Unicode East Asian
Width Na or H); "full-width" means every character is wide (F or W). Katakana fields also
accept the prolonged sound mark and the middle dot of their width. Phone numbers may be
written with hyphens, which are not counted as digits. Digits are the half-width ASCII
0-9 only and numbers are finite (SUB-14 amended): full-width or other scripts' digits,
NaN and infinity are refused, never accepted. The details of a document are
named by lower-case ASCII identifiers (``postal_code``), each value is text of at most
500 characters, and the known formats among them (postal code, floor, site-name parts)
are checked as they are filled in.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

import attrs

from omakase_core._validation import check_email, require
from omakase_core.calendar import BusinessCalendar, period_end, to_jst
from omakase_core.calendar._jst import as_day, check_int
from omakase_core.errors import ValidationError
from omakase_core.errors import excerpt as name_excerpt
from omakase_core.submission.model import (
    ASP,
    DETAIL_NAMES,
    DocumentKind,
    Menu,
    Preference,
    ScheduleError,
    ScheduleViolation,
    SiteName,
    Slot,
    Step,
    check_line,
    check_site_part,
    excerpt,
    member,
)

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "ASP_OPTION_FEE",
    "PREFERENCES_PER_STEP",
    "ConstructionSchedule",
    "check_asp_selection",
    "earliest_site_survey",
    "entry_request_due",
    "first_billing_month",
    "monthly_asp_option_fee",
    "parameter_sheet_filename",
    "portal_account_expired",
    "portal_account_expires_at",
    "validate_company_name_full",
    "validate_company_name_half",
    "validate_contractor_name_full_kana",
    "validate_contractor_name_half_kana",
    "validate_department_full",
    "validate_department_half",
    "validate_floor",
    "validate_phone",
    "validate_postal_code",
    "validate_site_name",
]


def _days_after(day: date, days: int, *, field: str, rule: str) -> date:
    """Return ``day`` + ``days``; a day so late that the sum leaves the calendar is refused."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        msg = f"{field} {day.isoformat()} is too late: {days} days after it is past year 9999"
        raise ValidationError(msg, field=field, rule=rule) from None


ASP_OPTION_FEE: Final = 5_000
"""SUB-9: yen per month for each ASP beyond the first (tax excluded)."""

PREFERENCES_PER_STEP: Final = 3
"""SUB-10: every step takes exactly three preferred dates."""

SURVEY_LEAD_DAYS: Final = 40
LINE_WORK_LEAD_DAYS: Final = 40
FOLLOW_UP_LEAD_DAYS: Final = 3
ENTRY_REQUEST_BUSINESS_DAYS: Final = 3
ANSER_DATAPORT_MAX_MBPS: Final = 1


def earliest_site_survey(today: date) -> date:
    """Return the earliest site-survey date for an application made ``today`` (SUB-10).

    >>> earliest_site_survey(date(2025, 4, 2))
    datetime.date(2025, 5, 12)
    """
    return _days_after(as_day(today, "today"), SURVEY_LEAD_DAYS, field="today", rule="SUB-10")


def entry_request_due(work_date: date, *, calendar: BusinessCalendar) -> date:
    """Return when building-entry information is due: 3 business days before (SUB-11).

    >>> entry_request_due(date(2026, 5, 7), calendar=BusinessCalendar.japan())
    datetime.date(2026, 4, 28)
    """
    day = as_day(work_date, "work_date")
    cal = require(
        calendar, BusinessCalendar, field="calendar", rule="SUB-11", what="a BusinessCalendar"
    )
    return cal.add_business_days(day, -ENTRY_REQUEST_BUSINESS_DAYS)


def first_billing_month(completed_on: date) -> date:
    """Return the first day of the first billed month: the month after completion (SUB-12).

    The month in which router installation completes is not charged, not even pro rata.

    >>> first_billing_month(date(2026, 12, 1))
    datetime.date(2027, 1, 1)
    """
    day = as_day(completed_on, "completed_on")
    if day.month < 12:  # December rolls over into the next year
        return date(day.year, day.month + 1, 1)
    if day.year == date.max.year:
        msg = f"completed_on {day.isoformat()} is too late: its following month is past year 9999"
        raise ValidationError(msg, field="completed_on", rule="SUB-12")
    return date(day.year + 1, 1, 1)


def monthly_asp_option_fee(asp_count: int) -> int:
    """Return the monthly ASP option fee in yen: ¥5,000 per ASP beyond the first (SUB-9).

    >>> monthly_asp_option_fee(3)
    10000
    """
    count = check_int(asp_count, "asp_count")
    if count < 1:
        msg = (
            f"asp_count must be at least 1: every application connects an ASP, not {excerpt(count)}"
        )
        raise ValidationError(msg, field="asp_count", rule="SUB-9")
    return ASP_OPTION_FEE * (count - 1)


def check_asp_selection(
    menu: Menu, asps: Iterable[ASP], *, bandwidth_mbps: float, field: str = "asps"
) -> tuple[ASP, ...]:
    """Return the selected ASPs in catalogue order if the menu allows them (SUB-9).

    At least one, at most the menu's limit, no repeats; AnserDATAPORT only with a
    bandwidth plan of at most 1M. ``asps`` is a collection of :class:`ASP` members: a
    name, a label or ``None`` is refused (SEC-2); ``field`` names it in errors.
    """
    menu = member(Menu, "menu", "SUB-9")(menu)
    given: object = asps  # callers are not always type-checked
    if isinstance(given, str | bytes) or not isinstance(given, Iterable):
        msg = f"{field} must be a collection of ASP catalogue entries, not {excerpt(given)}"
        raise ValidationError(msg, field=field, rule="SUB-9")
    chosen: list[object] = list(given)
    for asp in chosen:
        if type(asp) is not ASP:
            msg = f"{field} must hold ASP catalogue entries (ASP.SDS, …), not {excerpt(asp)}"
            raise ValidationError(msg, field=field, rule="SUB-9")
    if len(set(chosen)) != len(chosen):
        raise ValidationError(f"{field} names an ASP twice", field=field, rule="SUB-9")
    if not 1 <= len(chosen) <= menu.asp_limit:
        msg = f"{menu.label} connects 1 to {menu.asp_limit} ASPs, and {len(chosen)} were selected"
        raise ValidationError(msg, field=field, rule="SUB-9")
    bandwidth = check_bandwidth(bandwidth_mbps)
    if ASP.ANSER_DATAPORT in chosen and bandwidth > ANSER_DATAPORT_MAX_MBPS:
        msg = (
            f"AnserDATAPORT cannot be used with a {bandwidth:g}M plan; "
            f"it allows at most {ANSER_DATAPORT_MAX_MBPS}M"
        )
        raise ValidationError(msg, field="bandwidth_mbps", rule="SUB-9")
    return tuple(asp for asp in ASP if asp in chosen)


def check_bandwidth(bandwidth_mbps: object) -> float:
    """Return a bandwidth plan in Mbps as a float; refuse anything but a positive number."""
    bandwidth = _number(bandwidth_mbps, "bandwidth_mbps", "SUB-9")
    if bandwidth <= 0:
        msg = f"bandwidth_mbps must be positive, not {bandwidth:g}"
        raise ValidationError(msg, field="bandwidth_mbps", rule="SUB-9")
    return bandwidth


def _number(value: object, field: str, rule: str) -> float:
    """Return ``value`` as a finite float; NaN and infinity are no numbers (SUB-14 amended)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        msg = f"{field} must be a number, not {excerpt(value)}"
        raise ValidationError(msg, field=field, rule=rule)
    try:
        number = float(value)
    except OverflowError:
        msg = f"{field} must be a number of a plausible size, not one beyond a float's range"
        raise ValidationError(msg, field=field, rule=rule) from None
    if not math.isfinite(number):
        msg = f"{field} must be a finite number, not {number}"
        raise ValidationError(msg, field=field, rule=rule)
    return number


def validate_site_name(
    company_abbrev: str, location: str, existing: Iterable[SiteName | tuple[str, str]] = ()
) -> None:
    """Refuse a site name that breaks SUB-7 or repeats one of the customer's sites.

    Each part is at most 12 characters; letters, digits and symbols must be half-width
    (Japanese text is fine); the pair must be unique among ``existing``, even at the same
    address.

    >>> validate_site_name("NTTデータ", "豊洲")
    >>> validate_site_name("NTTデータ", "豊洲", existing=[("NTTデータ", "豊洲")])
    Traceback (most recent call last):
    ...
    omakase_core.errors.ValidationError: SUB-7: the site name NTTデータ(豊洲) is already used ...
    """
    name = SiteName(company_abbrev=company_abbrev, location=location)
    given: object = existing  # callers are not always type-checked
    if isinstance(given, str | bytes) or not isinstance(given, Iterable):
        msg = f"existing must be a collection of site names, not {excerpt(given)}"
        raise ValidationError(msg, field="existing", rule="SUB-7")
    for other in given:
        pair = _pair(other)
        if pair == (name.company_abbrev, name.location):
            msg = f"the site name {name} is already used by another of the customer's sites"
            raise ValidationError(msg, field="site_name", rule="SUB-7")


def _pair(other: object) -> tuple[str, str]:
    if isinstance(other, SiteName):
        return (other.company_abbrev, other.location)
    if (
        isinstance(other, tuple | list)
        and len(other) == 2  # (略称, ロケーション名)
        and all(isinstance(part, str) for part in other)
    ):
        return (other[0], other[1])
    msg = f"existing must hold SiteName values or (略称, 場所) pairs, not {excerpt(other)}"
    raise ValidationError(msg, field="existing", rule="SUB-7")


def bare_file_name(value: object, field: str) -> str:
    """Return ``value`` if it is a bare file name (SUB-3(c)); ``field`` names it in errors."""
    name = check_line(value, field=field, rule="SUB-3", max_length=200)
    if name != value or any(ch in name for ch in "/\\"):
        msg = f"{field} {excerpt(name)} must be a bare file name, without spaces around or folders"
        raise ValidationError(msg, field=field, rule="SUB-3")
    return name


def parameter_sheet_filename(
    original: str, *, uploaded_at: datetime, company_abbrev: str, location: str
) -> str:
    """Return the stored name of an uploaded parameter sheet (SUB-3(c)).

    ``YYYYMMDD_<略称>(<ロケーション名>)`` goes directly before the original name; the date is
    the upload's JST date. A name that already starts with this site's prefix (any real
    day, as the seed tells the customer to rename the sheet) is kept as it is.

    >>> from omakase_core.calendar import JST
    >>> parameter_sheet_filename(
    ...     "パラメータシート.xlsx",
    ...     uploaded_at=datetime(2026, 11, 22, 9, 30, tzinfo=JST),
    ...     company_abbrev="NTTデータ",
    ...     location="豊洲",
    ... )
    '20261122_NTTデータ(豊洲)パラメータシート.xlsx'
    >>> parameter_sheet_filename(
    ...     "20261120_NTTデータ(豊洲)パラメータシート.xlsx",
    ...     uploaded_at=datetime(2026, 11, 22, 9, 30, tzinfo=JST),
    ...     company_abbrev="NTTデータ",
    ...     location="豊洲",
    ... )
    '20261120_NTTデータ(豊洲)パラメータシート.xlsx'
    """
    name = bare_file_name(original, "original")
    site = SiteName(company_abbrev=company_abbrev, location=location)
    day = to_jst(uploaded_at, field="uploaded_at")
    if _prefixed(name, site):
        return name
    return f"{day:%Y%m%d}_{site}{name}"


_PREFIX_DAY: Final = re.compile(r"([0-9]{8})_")


def _prefixed(name: str, site: SiteName) -> bool:
    """Return whether ``name`` already starts with ``YYYYMMDD_<略称>(<場所>)`` (SUB-3(c)).

    The customer renames the sheet as the seed instructs, with the day they updated it
    (更新日), which may be before the upload: any real calendar day in half-width digits
    counts, and the name is kept as it is. Another site's prefix does not count.
    """
    match = _PREFIX_DAY.match(name)
    if match is None or not name.startswith(str(site), match.end()):
        return False
    try:
        datetime.strptime(match[1], "%Y%m%d")  # noqa: DTZ007  # a calendar day, no instant
    except ValueError:
        return False
    return True


def portal_account_expires_at(last_login: datetime) -> datetime:
    """Return when a portal account expires after one month without login (SUB-13, CAL-6).

    The instant is exclusive, like every period end.

    >>> from omakase_core.calendar import JST
    >>> portal_account_expires_at(datetime(2026, 1, 30, 10, 0, tzinfo=JST)).isoformat()
    '2026-03-01T00:00:00+09:00'
    """
    return period_end(to_jst(last_login, field="last_login"), months=1)


def portal_account_expired(
    *, last_login: datetime, now: datetime, application_accepted: bool = False
) -> bool:
    """Return whether a portal account has expired and must be re-issued (SUB-13).

    It expires when its application is 承諾, or one month after the last login.
    """
    accepted = require(
        application_accepted, bool, field="application_accepted", rule="SUB-13", what="a bool"
    )
    expires_at = portal_account_expires_at(last_login)  # checked even when accepted (SEC-2)
    return to_jst(now, field="now") >= expires_at or accepted


_STEP: Final = member(Step, "step", "SUB-10")


def _preferences(value: object, step: Step) -> tuple[Preference, ...]:
    items: tuple[object, ...] = tuple(value) if isinstance(value, tuple | list) else ()
    if len(items) != PREFERENCES_PER_STEP or not all(isinstance(p, Preference) for p in items):
        msg = f"{step.label} needs exactly {PREFERENCES_PER_STEP} preferred dates"
        raise ValidationError(msg, field=step.value, rule="SUB-10")
    return items  # type: ignore[return-value]  # every item was checked above


@attrs.frozen(kw_only=True)
class ConstructionSchedule:
    """Three preferred dates for each construction step, checked against SUB-10.

    - 現地調査 no earlier than today + 40 days, where today is the JST date of the command
      that sets the schedule (SUB-10 amended: never a day the caller supplies), so this
      bound is checked by :meth:`NewInstallation.set_schedule
      <omakase_core.submission.NewInstallation.set_schedule>`, not here;
    - 回線工事 no earlier than the latest survey preference + 40 days;
    - 光アクセスコンバータ設置 (when the menu has it) no earlier than the latest line-work
      preference + 3 days;
    - ルーター工事 no earlier than the latest converter preference (or line-work preference,
      without a converter step) + 3 days.

    With ``weekday_daytime`` (平日日中帯工事可) every date must be a business day of
    ``calendar`` with an AM or PM slot; without it every date needs a start time and every
    step is after-hours (:attr:`after_hours_steps`). Building the value checks every rule
    but the survey's bound: an invalid schedule raises :class:`ScheduleError` listing every
    broken preference.
    """

    weekday_daytime: bool
    site_survey: tuple[Preference, ...]
    line_work: tuple[Preference, ...]
    router: tuple[Preference, ...]
    converter: tuple[Preference, ...] | None = None
    calendar: BusinessCalendar = attrs.field(factory=BusinessCalendar.japan, repr=False)

    def __attrs_post_init__(self) -> None:
        require(self.weekday_daytime, bool, field="weekday_daytime", rule="SUB-10", what="a bool")
        require(self.calendar, BusinessCalendar, field="calendar", rule="SUB-10", what="a calendar")
        violations = [v for step in self.steps[1:] for v in self._check(step)]
        violations[:0] = self._check(Step.SITE_SURVEY, earliest=date.min)
        if violations:
            raise ScheduleError(tuple(violations))

    @property
    def steps(self) -> tuple[Step, ...]:
        """Return the steps of this schedule, in order."""
        return tuple(
            step for step in Step if step is not Step.CONVERTER or self.converter is not None
        )

    def preferences(self, step: Step) -> tuple[Preference, ...]:
        """Return the three preferences of ``step`` (a :class:`Step` member, SEC-2)."""
        step = _STEP(step)
        value = {
            Step.SITE_SURVEY: self.site_survey,
            Step.LINE_WORK: self.line_work,
            Step.CONVERTER: self.converter,
            Step.ROUTER: self.router,
        }[step]
        return _preferences(value, step)

    def latest(self, step: Step) -> date:
        """Return the latest (最遅) of the step's preferences — the base of the next bound."""
        return max(p.day for p in self.preferences(step))

    def earliest(self, step: Step) -> date:
        """Return the earliest date SUB-10 allows for ``step`` (a :class:`Step` member).

        The site survey's bound counts from the JST date of the command that sets the
        schedule, which a schedule does not know (:func:`earliest_site_survey` of that
        day): asking for it here is refused naming ``step``.
        """
        step = _STEP(step)
        if step is Step.SITE_SURVEY:
            msg = (
                "the earliest site survey counts from the day the schedule is set (the "
                "command's JST date): see earliest_site_survey()"
            )
            raise ValidationError(msg, field="step", rule="SUB-10")
        if step is Step.LINE_WORK:
            base, lead = Step.SITE_SURVEY, LINE_WORK_LEAD_DAYS
        elif step is Step.CONVERTER:
            base, lead = Step.LINE_WORK, FOLLOW_UP_LEAD_DAYS
        else:
            base = Step.CONVERTER if self.converter is not None else Step.LINE_WORK
            lead = FOLLOW_UP_LEAD_DAYS
        return _days_after(self.latest(base), lead, field=base.value, rule="SUB-10")

    @property
    def after_hours_steps(self) -> tuple[Step, ...]:
        """Return the steps done outside weekday daytime (they carry an extra fee)."""
        return () if self.weekday_daytime else self.steps

    def _check(self, step: Step, *, earliest: date | None = None) -> list[ScheduleViolation]:
        if earliest is None:
            earliest = self.earliest(step)
        found: list[ScheduleViolation] = []
        for number, preference in enumerate(self.preferences(step), start=1):
            day = preference.day
            if day < earliest:
                found.append(
                    ScheduleViolation(
                        step=step,
                        preference=number,
                        day=day,
                        earliest=earliest,
                        reason="is too early",
                    )
                )
            elif self.weekday_daytime and not self.calendar.is_business_day(day):
                found.append(
                    ScheduleViolation(
                        step=step,
                        preference=number,
                        day=day,
                        earliest=self.calendar.on_or_after(day),
                        reason="is not a business day, which weekday-daytime work needs",
                    )
                )
            found.extend(self._slot_violation(step, number, preference, earliest))
        return found

    def _slot_violation(
        self, step: Step, number: int, preference: Preference, earliest: date
    ) -> list[ScheduleViolation]:
        if self.weekday_daytime and (
            not isinstance(preference.slot, Slot) or preference.starts_at is not None
        ):
            reason = "needs an AM or PM slot (and no start time) for weekday-daytime work"
        elif not self.weekday_daytime and (
            preference.starts_at is None or preference.slot is not None
        ):
            reason = "needs a start time (and no AM/PM slot) for after-hours work"
        else:
            return []
        return [
            ScheduleViolation(
                step=step,
                preference=number,
                day=preference.day,
                earliest=max(earliest, preference.day),
                reason=reason,
            )
        ]


# -- SUB-14: field formats ----------------------------------------------------------------------

_HALF_MAX: Final = 48
_FULL_MAX: Final = 24
# SUB-14 (amended): digits are the half-width ASCII 0-9 only — never ``\d``, which also
# matches full-width (０-９) and other scripts' digits.
_PHONE: Final = re.compile(r"[0-9](?:-?[0-9])*")
_POSTAL: Final = re.compile(r"([0-9]{3})-?([0-9]{4})")
_FLOOR: Final = re.compile(r"[1-9][0-9]?|B[1-9]")
_ARRIVAL_DATE: Final = re.compile(r"([0-9]{4})[-/]([0-9]{2})[-/]([0-9]{2})")
_ARRIVAL_SLOTS: Final = ("AM", "PM")
_CORPORATE_NUMBER: Final = re.compile(r"[0-9]{13}")
_HALF_KANA: Final = re.compile(r"[\uff65-\uff9f ]+")  # ｦ…ﾟ, ･ and ｰ, and the space
_FULL_KANA: Final = re.compile(r"[\u30a0-\u30ff\u3000]+")  # ァ…ヿ, ・ and ー, and


def _text(value: object, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        msg = f"{field} is required"
        raise ValidationError(msg, field=field, rule="SUB-14", problem="required")
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
        raise ValidationError(msg, field=field, rule="SUB-14", problem="too_long", limit=limit)
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
    # The portal's sentence names full-width katakana and its limit; a half-width field's
    # refusal names no problem rather than a wrong limit.
    problem, shown = ("katakana", limit) if pattern is _FULL_KANA else (None, None)
    if pattern.fullmatch(text) is None or len(text) > limit:
        msg = f"{field} must be written in {kind} katakana only, at most {limit} characters"
        raise ValidationError(msg, field=field, rule="SUB-14", problem=problem, limit=shown)
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
        raise ValidationError(msg, field="phone", rule="SUB-14", problem="digits", limit=12)
    digits = text.replace("-", "")
    if not 10 <= len(digits) <= 12:
        msg = f"phone must have 10 to 12 digits, not {len(digits)}"
        raise ValidationError(msg, field="phone", rule="SUB-14", problem="digits", limit=12)
    return digits


def validate_postal_code(value: str) -> str:
    """Return a postal code of 7 digits; NNN-NNNN is accepted too.

    >>> validate_postal_code("135-0061")
    '1350061'
    """
    match = _POSTAL.fullmatch(_text(value, "postal_code").strip())
    if match is None:
        msg = "postal_code must be 7 half-width digits (NNNNNNN or NNN-NNNN)"
        raise ValidationError(msg, field="postal_code", rule="SUB-14", problem="digits", limit=7)
    return match[1] + match[2]


def validate_floor(value: str) -> str:
    """Return a floor of at most 2 characters, half-width digits and "B" (basement).

    A floor number from 1 to 99 without a leading zero (the seed's ``10``), or ``B`` and a
    basement number from 1 to 9 (``B1``); "BB", "1B", "B", "0" and "01" are no floors.

    >>> validate_floor("B2")
    'B2'
    """
    text = _text(value, "floor").strip()
    if _FLOOR.fullmatch(text) is None:
        msg = (
            "floor must be a floor number (1-99) or B and a basement number (B1-B9), in "
            f"half-width characters, not {excerpt(text)}"
        )
        raise ValidationError(msg, field="floor", rule="SUB-14", problem="format")
    return text


def _arrival_date(value: str) -> str:
    """Return the arrival date (到着希望日) as ISO text; YYYY/MM/DD as the seed shows it."""
    match = _ARRIVAL_DATE.fullmatch(value)
    day = None
    if match is not None:
        try:
            day = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            day = None
    if day is None:
        msg = (
            f"arrival_date must be a calendar day (YYYY/MM/DD or YYYY-MM-DD), not {excerpt(value)}"
        )
        raise ValidationError(msg, field="arrival_date", rule="SUB-14", problem="format")
    return day.isoformat()


def _arrival_time_slot(value: str) -> str:
    """Return the arrival time slot (到着希望時間帯): AM or PM, half-width."""
    if value not in _ARRIVAL_SLOTS:
        msg = f"arrival_time_slot must be AM or PM, not {excerpt(value)}"
        raise ValidationError(msg, field="arrival_time_slot", rule="SUB-14", problem="choice")
    return value


def _corporate_number(value: str) -> str:
    """Return a corporate number (法人番号): 13 half-width ASCII digits (SUB-14)."""
    if _CORPORATE_NUMBER.fullmatch(value) is None:
        msg = f"corporate_number must be 13 half-width digits, not {excerpt(value)}"
        raise ValidationError(
            msg, field="corporate_number", rule="SUB-14", problem="digits", limit=13
        )
    return value


def _email_detail(value: str) -> str:
    return check_email(value, field="email", rule="SUB-14")


# -- SUB-3, SUB-14: the details of a document ---------------------------------------------------

_DETAIL_NAME: Final = re.compile(r"[a-z][a-z0-9_]{0,49}")
_MAX_DETAIL: Final = 500
_NAME_MAX: Final = 24
"""The portal's limit of a name field in full-width characters (会社名(全角、24文字以内))."""
_ADDRESS_MAX: Final = 40
"""Decision: the seed gives no limit for 市区町村 and 建物名; 40 full-width characters."""
_STREET: Final = re.compile(r"[0-9]+(?:-[0-9]+)*")
_MAX_STREET: Final = 20
_PREFECTURES: Final = frozenset(
    {
        "北海道",
        "青森県",
        "岩手県",
        "宮城県",
        "秋田県",
        "山形県",
        "福島県",
        "茨城県",
        "栃木県",
        "群馬県",
        "埼玉県",
        "千葉県",
        "東京都",
        "神奈川県",
        "新潟県",
        "富山県",
        "石川県",
        "福井県",
        "山梨県",
        "長野県",
        "岐阜県",
        "静岡県",
        "愛知県",
        "三重県",
        "滋賀県",
        "京都府",
        "大阪府",
        "兵庫県",
        "奈良県",
        "和歌山県",
        "鳥取県",
        "島根県",
        "岡山県",
        "広島県",
        "山口県",
        "徳島県",
        "香川県",
        "愛媛県",
        "高知県",
        "福岡県",
        "佐賀県",
        "長崎県",
        "熊本県",
        "大分県",
        "宮崎県",
        "鹿児島県",
        "沖縄県",
    }
)


def _width(text: str) -> int:
    """Return how many half-width places ``text`` takes: a wide character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "FW" else 1 for ch in text)


def _name_field(field: str, limit: int = _NAME_MAX) -> Callable[[str], str]:
    """Return the check of a name field: ``limit`` full-width or twice as many half-width.

    SUB-14: a company name or department is half-width ≤ 48 or full-width ≤ 24 characters;
    a name mixing both (``NTTデータ``, as the seed writes it) counts each wide character
    as two half-width ones.
    """

    def check(text: str) -> str:
        if _width(text) > 2 * limit:
            msg = (
                f"{field} must be at most {limit} full-width or {2 * limit} half-width "
                f"characters, not {len(text)} characters"
            )
            raise ValidationError(msg, field=field, rule="SUB-14", problem="too_long", limit=limit)
        return text

    return check


def check_name_field(value: object, field: str) -> str:
    """Return ``value`` stripped if it is a name of at most 24 full-width characters (SUB-14).

    Or 48 half-width ones, a wide character counting as two: the limit of a company name, a
    department and a person's name on the portal's forms (会社名(全角、24文字以内)). A fault
    contact's company, department and name are checked with it; ``field`` names the value.
    """
    text = check_line(value, field=field, rule="SUB-14", max_length=_MAX_DETAIL)
    return _name_field(field)(text)


def _katakana_field(field: str) -> Callable[[str], str]:
    """Return the check of a kana field: full-width katakana ≤ 24 or half-width ≤ 48 (SUB-14)."""

    def check(text: str) -> str:
        if _FULL_KANA.fullmatch(text) is not None and len(text) <= _FULL_MAX:
            return text
        if _HALF_KANA.fullmatch(text) is not None and len(text) <= _HALF_MAX:
            return text
        msg = (
            f"{field} must be katakana: full-width at most {_FULL_MAX} or half-width at most "
            f"{_HALF_MAX} characters"
        )
        raise ValidationError(msg, field=field, rule="SUB-14", problem="katakana", limit=_FULL_MAX)

    return check


def _choice(field: str, *choices: str) -> Callable[[str], str]:
    """Return the check of a field the portal fills from a list: one of ``choices``."""

    def check(text: str) -> str:
        if text not in choices:
            msg = f"{field} must be one of {', '.join(choices)}, not {excerpt(text)}"
            raise ValidationError(msg, field=field, rule="SUB-14", problem="choice")
        return text

    return check


def _prefecture(text: str) -> str:
    """Return a prefecture (都道府県) written as the portal lists it (東京都, 北海道)."""
    if text not in _PREFECTURES:
        msg = f"prefecture must be one of the 47 prefectures (東京都, …), not {excerpt(text)}"
        raise ValidationError(msg, field="prefecture", rule="SUB-14", problem="choice")
    return text


def _street(text: str) -> str:
    """Return a street number (番地): half-width digits joined by hyphens (1-2-3), as the seed."""
    if _STREET.fullmatch(text) is None or len(text) > _MAX_STREET:
        msg = f"street must be half-width digits joined by hyphens (1-2-3), not {excerpt(text)}"
        raise ValidationError(msg, field="street", rule="SUB-14", problem="format")
    return text


def _line(field: str, limit: int) -> Callable[[str], str]:
    """Return the check of a free line of text of at most ``limit`` characters."""

    def check(text: str) -> str:
        if len(text) > limit:
            msg = f"{field} must be at most {limit} characters, not {len(text)}"
            raise ValidationError(msg, field=field, rule="SUB-14", problem="too_long", limit=limit)
        return text

    return check


_DETAIL_FORMATS: Final[Mapping[str, Callable[[str], str]]] = MappingProxyType(
    {
        # (b) 機器及び備品の送付先情報
        "arrival_date": _arrival_date,
        "arrival_time_slot": _arrival_time_slot,
        "postal_code": validate_postal_code,
        "prefecture": _prefecture,
        "city": _name_field("city", _ADDRESS_MAX),
        "street": _street,
        "building": _name_field("building", _ADDRESS_MAX),
        "floor": validate_floor,
        "recipient": _name_field("recipient"),
        # (d) 機器設置時の備品情報, with the place of the equipment (機器設置場所)
        "room": _name_field("room", _ADDRESS_MAX),
        "phone": validate_phone,
        "rack_mount": _choice("rack_mount", "要", "不要"),
        "lan_cable_main": _line("lan_cable_main", 50),
        "lan_cable_backup": _line("lan_cable_backup", 50),
        "lan_cable_between_routers": _line("lan_cable_between_routers", 50),
        "ladder": _line("ladder", 100),
        # 契約者情報 (契約会社変更, 設定変更)
        "company_type": _name_field("company_type", 12),
        "company_type_position": _choice("company_type_position", "前", "後"),
        "company_name": _name_field("company_name"),
        "company_name_kana": _katakana_field("company_name_kana"),
        "department": _name_field("department"),
        "department_kana": _katakana_field("department_kana"),
        "corporate_number": _corporate_number,
        # 請求情報 (請求情報, 月額費用・一時費用の請求情報)
        "payment_method": _choice("payment_method", "自動口座振替", "銀行振込"),
        "bank_name": _name_field("bank_name"),
        "contact_name": _name_field("contact_name"),
        "email": _email_detail,
        # 拠点名変更
        "company_abbrev": lambda value: check_site_part(value, "company_abbrev"),
        "location": lambda value: check_site_part(value, "location"),
        # 設定変更, and a remark (備考) on any document
        "change_details": _line("change_details", _MAX_DETAIL),
        "note": _line("note", _MAX_DETAIL),
    }
)
"""The format of every detail a document can take (SUB-3, SUB-14), by its name."""

_STORED_FORMATS: Final = frozenset(
    {
        "postal_code",
        "floor",
        "arrival_date",
        "arrival_time_slot",
        "corporate_number",
        "email",
        "company_abbrev",
        "location",
    }
)
"""The formats checked when details were stored before each kind had its own (0.1)."""


def check_details(details: object, kind: DocumentKind | None = None) -> dict[str, str]:
    """Return ``details`` as trimmed text, each checked by its format (SUB-3, SUB-14).

    ``details`` is a non-empty mapping from detail names (lower-case ASCII identifiers) to
    text; anything else, ``None`` included, is refused naming ``details`` (SEC-2). With
    ``kind`` (what a customer fills in), every name must be one the kind takes
    (:data:`~omakase_core.submission.model.DETAIL_NAMES`), refused naming ``details`` and
    the name, and every value is checked by its format, refused naming the detail as
    ``field`` with SUB-14. Without ``kind`` (a document loaded from storage) the formats
    checked before 0.2 are checked, so that what was stored still loads (PORT-7).
    """
    takes = None if kind is None else DETAIL_NAMES[member(DocumentKind, "kind")(kind)]
    if not isinstance(details, Mapping) or not details:
        msg = f"details must be a non-empty mapping of detail names to text, not {excerpt(details)}"
        raise ValidationError(msg, field="details", rule="SUB-3")
    checked: dict[str, str] = {}
    for name, value in details.items():
        if not isinstance(name, str) or _DETAIL_NAME.fullmatch(name) is None:
            msg = f"details names a detail {excerpt(name)}; names are lower-case identifiers"
            raise ValidationError(msg, field="details", rule="SUB-3")
        known = _DETAIL_FORMATS.get(name)
        if takes is not None and known is None:
            _refuse_detail(name, takes)
        rule = "SUB-3" if takes is None else "SUB-14"
        text = check_line(value, field=name, rule=rule, max_length=_MAX_DETAIL)
        if known is not None and (takes is not None or name in _STORED_FORMATS):
            text = known(text)  # a malformed value is named first, whichever kind takes it
        if takes is not None and name not in takes:
            _refuse_detail(name, takes)
        checked[name] = text
    return checked


def _refuse_detail(name: str, takes: frozenset[str]) -> None:
    """Refuse a detail the document does not take, naming it and what it takes (SUB-14)."""
    taken = ", ".join(sorted(takes))
    msg = f"details names {name_excerpt(name)}, which this document does not take ({taken})"
    raise ValidationError(msg, field="details", rule="SUB-14", problem="unknown_item")
