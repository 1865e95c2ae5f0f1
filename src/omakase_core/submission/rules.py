"""Pure rules of Connecure applications: dates, fees, names and file names.

SUB-3(c) file names, SUB-7 site names, SUB-9 ASP selection and fee, SUB-10 construction
schedules, SUB-11 building entry, SUB-12 first billing month, SUB-13 portal accounts.
Every refusal is a :class:`~omakase_core.errors.ValidationError` naming the rule.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Final

import attrs

from omakase_core._validation import check_text, require
from omakase_core.calendar import BusinessCalendar, period_end, to_jst
from omakase_core.calendar._jst import as_day, check_int
from omakase_core.errors import ValidationError
from omakase_core.submission.model import (
    ASP,
    Menu,
    Preference,
    ScheduleError,
    ScheduleViolation,
    SiteName,
    Slot,
    Step,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

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
    "validate_site_name",
]

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
    return as_day(today, "today") + timedelta(days=SURVEY_LEAD_DAYS)


def entry_request_due(work_date: date, *, calendar: BusinessCalendar) -> date:
    """Return when building-entry information is due: 3 business days before (SUB-11).

    >>> entry_request_due(date(2026, 5, 7), calendar=BusinessCalendar.japan())
    datetime.date(2026, 4, 28)
    """
    cal = require(
        calendar, BusinessCalendar, field="calendar", rule="SUB-11", what="a BusinessCalendar"
    )
    return cal.add_business_days(work_date, -ENTRY_REQUEST_BUSINESS_DAYS)


def first_billing_month(completed_on: date) -> date:
    """Return the first day of the first billed month: the month after completion (SUB-12).

    The month in which router installation completes is not charged, not even pro rata.

    >>> first_billing_month(date(2026, 12, 1))
    datetime.date(2027, 1, 1)
    """
    day = as_day(completed_on, "completed_on")
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)


def monthly_asp_option_fee(asp_count: int) -> int:
    """Return the monthly ASP option fee in yen: ¥5,000 per ASP beyond the first (SUB-9).

    >>> monthly_asp_option_fee(3)
    10000
    """
    count = check_int(asp_count, "asp_count")
    if count < 1:
        msg = f"asp_count must be at least 1: every application connects an ASP, not {count}"
        raise ValidationError(msg, field="asp_count", rule="SUB-9")
    return ASP_OPTION_FEE * (count - 1)


def check_asp_selection(
    menu: Menu, asps: Iterable[ASP], *, bandwidth_mbps: float
) -> tuple[ASP, ...]:
    """Return the selected ASPs in catalogue order if the menu allows them (SUB-9).

    At least one, at most the menu's limit, no repeats; AnserDATAPORT only with a
    bandwidth plan of at most 1M.
    """
    menu = require(menu, Menu, field="menu", rule="SUB-9", what="a Menu")
    chosen = list(asps)
    if any(not isinstance(asp, ASP) for asp in chosen):
        msg = f"asps must be ASP catalogue entries, not {chosen!r}"
        raise ValidationError(msg, field="asps", rule="SUB-9")
    if len(set(chosen)) != len(chosen):
        raise ValidationError("asps names an ASP twice", field="asps", rule="SUB-9")
    if not 1 <= len(chosen) <= menu.asp_limit:
        msg = f"{menu.label} connects 1 to {menu.asp_limit} ASPs, and {len(chosen)} were selected"
        raise ValidationError(msg, field="asps", rule="SUB-9")
    bandwidth = _number(bandwidth_mbps, "bandwidth_mbps", "SUB-9")
    if bandwidth <= 0:
        msg = f"bandwidth_mbps must be positive, not {bandwidth_mbps}"
        raise ValidationError(msg, field="bandwidth_mbps", rule="SUB-9")
    if ASP.ANSER_DATAPORT in chosen and bandwidth > ANSER_DATAPORT_MAX_MBPS:
        msg = (
            f"AnserDATAPORT cannot be used with a {bandwidth:g}M plan; "
            f"it allows at most {ANSER_DATAPORT_MAX_MBPS}M"
        )
        raise ValidationError(msg, field="bandwidth_mbps", rule="SUB-9")
    return tuple(asp for asp in ASP if asp in chosen)


def _number(value: object, field: str, rule: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        msg = f"{field} must be a number, not {value!r}"
        raise ValidationError(msg, field=field, rule=rule)
    return float(value)


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
    for other in existing:
        pair = (
            (other.company_abbrev, other.location) if isinstance(other, SiteName) else tuple(other)
        )
        if pair == (name.company_abbrev, name.location):
            msg = f"the site name {name} is already used by another of the customer's sites"
            raise ValidationError(msg, field="site_name", rule="SUB-7")


def parameter_sheet_filename(
    original: str, *, uploaded_at: datetime, company_abbrev: str, location: str
) -> str:
    """Return the stored name of an uploaded parameter sheet (SUB-3(c)).

    ``YYYYMMDD_<略称>(<ロケーション名>)`` goes directly before the original name; the date is
    the upload's JST date.

    >>> from omakase_core.calendar import JST
    >>> parameter_sheet_filename(
    ...     "パラメータシート.xlsx",
    ...     uploaded_at=datetime(2026, 11, 22, 9, 30, tzinfo=JST),
    ...     company_abbrev="NTTデータ",
    ...     location="豊洲",
    ... )
    '20261122_NTTデータ(豊洲)パラメータシート.xlsx'
    """
    name = check_text(original, field="original", rule="SUB-3", max_length=200)
    if name != original or any(ch in name for ch in "/\\"):
        msg = f"original {original!r} must be a bare file name, without spaces around or folders"
        raise ValidationError(msg, field="original", rule="SUB-3")
    site = SiteName(company_abbrev=company_abbrev, location=location)
    day = to_jst(uploaded_at, field="uploaded_at")
    return f"{day:%Y%m%d}_{site}{name}"


def portal_account_expires_at(last_login: datetime) -> datetime:
    """Return when a portal account expires after one month without login (SUB-13, CAL-6).

    The instant is exclusive, like every period end.

    >>> from omakase_core.calendar import JST
    >>> portal_account_expires_at(datetime(2026, 1, 30, 10, 0, tzinfo=JST)).isoformat()
    '2026-03-01T00:00:00+09:00'
    """
    return period_end(last_login, months=1)


def portal_account_expired(
    *, last_login: datetime, now: datetime, application_accepted: bool = False
) -> bool:
    """Return whether a portal account has expired and must be re-issued (SUB-13).

    It expires when its application is 承諾, or one month after the last login.
    """
    accepted = require(
        application_accepted, bool, field="application_accepted", rule="SUB-13", what="a bool"
    )
    return accepted or to_jst(now, field="now") >= portal_account_expires_at(last_login)


def _preferences(value: object, step: Step) -> tuple[Preference, ...]:
    items: tuple[object, ...] = tuple(value) if isinstance(value, tuple | list) else ()
    if len(items) != PREFERENCES_PER_STEP or not all(isinstance(p, Preference) for p in items):
        msg = f"{step.label} needs exactly {PREFERENCES_PER_STEP} preferred dates"
        raise ValidationError(msg, field=step.value, rule="SUB-10")
    return items  # type: ignore[return-value]  # every item was checked above


@attrs.frozen(kw_only=True)
class ConstructionSchedule:
    """Three preferred dates for each construction step, checked against SUB-10.

    - 現地調査 no earlier than ``requested_on`` + 40 days;
    - 回線工事 no earlier than the latest survey preference + 40 days;
    - 光アクセスコンバータ設置 (when the menu has it) no earlier than the latest line-work
      preference + 3 days;
    - ルーター工事 no earlier than the latest converter preference (or line-work preference,
      without a converter step) + 3 days.

    With ``weekday_daytime`` (平日日中帯工事可) every date must be a business day of
    ``calendar`` with an AM or PM slot; without it every date needs a start time and every
    step is after-hours (:attr:`after_hours_steps`). Building the value checks it: an
    invalid schedule raises :class:`ScheduleError` listing every broken preference.
    """

    requested_on: date
    weekday_daytime: bool
    site_survey: tuple[Preference, ...]
    line_work: tuple[Preference, ...]
    router: tuple[Preference, ...]
    converter: tuple[Preference, ...] | None = None
    calendar: BusinessCalendar = attrs.field(factory=BusinessCalendar.japan, repr=False)

    def __attrs_post_init__(self) -> None:
        as_day(self.requested_on, "requested_on")
        require(self.weekday_daytime, bool, field="weekday_daytime", rule="SUB-10", what="a bool")
        require(self.calendar, BusinessCalendar, field="calendar", rule="SUB-10", what="a calendar")
        violations = [v for step in self.steps for v in self._check(step)]
        if violations:
            raise ScheduleError(tuple(violations))

    @property
    def steps(self) -> tuple[Step, ...]:
        """Return the steps of this schedule, in order."""
        return tuple(
            step for step in Step if step is not Step.CONVERTER or self.converter is not None
        )

    def preferences(self, step: Step) -> tuple[Preference, ...]:
        """Return the three preferences of ``step``."""
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
        """Return the earliest date SUB-10 allows for ``step``."""
        if step is Step.SITE_SURVEY:
            return earliest_site_survey(self.requested_on)
        if step is Step.LINE_WORK:
            return self.latest(Step.SITE_SURVEY) + timedelta(days=LINE_WORK_LEAD_DAYS)
        if step is Step.CONVERTER:
            return self.latest(Step.LINE_WORK) + timedelta(days=FOLLOW_UP_LEAD_DAYS)
        base = Step.CONVERTER if self.converter is not None else Step.LINE_WORK
        return self.latest(base) + timedelta(days=FOLLOW_UP_LEAD_DAYS)

    @property
    def after_hours_steps(self) -> tuple[Step, ...]:
        """Return the steps done outside weekday daytime (they carry an extra fee)."""
        return () if self.weekday_daytime else self.steps

    def _check(self, step: Step) -> list[ScheduleViolation]:
        earliest = self.earliest(step)
        found: list[ScheduleViolation] = []
        for number, preference in enumerate(self.preferences(step), start=1):
            day = as_day(preference.day, f"{step.value}[{number}].day")
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
