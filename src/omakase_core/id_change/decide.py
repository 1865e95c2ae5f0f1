"""Deciding an ID-count change from the policy and the calendar alone (IDC-2 … IDC-10).

:func:`decide` is pure: given a service (or any :class:`ServicePolicy`), a target month, the
submission instant and the delta, it says whether the application is accepted, which
rule decided, and when the change applies. Malformed input raises; a well-formed
application that a rule refuses returns ``accepted=False`` with the rule — it never raises.
:func:`month_windows` draws the same answers as a month view for a portal's screen.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import functools
from datetime import date, datetime, time, timedelta
from typing import Final

import attrs

from omakase_core._validation import require
from omakase_core.calendar import (
    JST,
    BusinessCalendar,
    format_date,
    format_deadline,
    format_instant,
    to_jst,
)
from omakase_core.calendar._jst import check_int, check_year
from omakase_core.errors import ValidationError
from omakase_core.id_change.policy import (
    POLICIES,
    CurrentTiming,
    NextTiming,
    Service,
    ServicePolicy,
    Target,
    Term,
)

__all__ = ["DayWindows", "Decision", "WindowSlot", "decide", "month_windows"]

_NOON: Final = time(12, 0)
_MIDNIGHT: Final = time(0)
_ONE_DAY: Final = timedelta(days=1)
_LANGUAGES: Final = ("ja", "en")


@functools.cache
def _national() -> BusinessCalendar:
    return BusinessCalendar.japan()


def _policy(service: object) -> ServicePolicy:
    if isinstance(service, ServicePolicy):
        return service
    policy = POLICIES.get(service) if isinstance(service, Service) else None
    if policy is None:
        msg = f"service must be a Service or a ServicePolicy, not {service!r}"
        raise ValidationError(msg, field="service", rule="IDC-1")
    return policy


def _end_of(day: date) -> datetime:
    """Return the exclusive end of ``day``: 00:00 JST of the next day."""
    return datetime.combine(day + _ONE_DAY, _MIDNIGHT, JST)


def _next_month(day: date) -> tuple[int, int]:
    return (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)


@attrs.frozen(kw_only=True)
class Decision:
    """What :func:`decide` concluded, and why (IDC-10).

    ``rule`` is the ID of the deciding rule. ``applies_at`` is the exact instant when the
    seed gives one; ``applies_by`` the exclusive end of a "within N business days" window.
    ``withdrawable_until`` is ``None`` when the application cannot be withdrawn.
    ``target`` is the month the change counts for (a 当月 application can be treated as 翌月).
    """

    accepted: bool
    rule: str
    reason: str
    service: str
    service_label: str
    requested_target: Target
    target: Target | None
    delta: int
    submitted_at: datetime
    applies_at: datetime | None = None
    applies_by: datetime | None = None
    withdrawable_until: datetime | None = None
    processing_done_expected_at: datetime | None = None
    window_days: int | None = None
    window_start: datetime | None = None
    window_end: datetime | None = None
    hours: tuple[time, time] | None = None

    @property
    def applying_instant(self) -> datetime | None:
        """Return when the change applies at the latest: ``applies_at`` or ``applies_by``."""
        return self.applies_at if self.applies_at is not None else self.applies_by

    def explain(self, lang: str = "ja") -> str:
        """Explain the decision in full sentences, in ``"ja"`` or ``"en"`` (IDC-10)."""
        if lang not in _LANGUAGES:
            msg = f"lang must be one of {', '.join(_LANGUAGES)}, not {lang!r}"
            raise ValidationError(msg, field="lang", rule="IDC-10")
        return _explain_ja(self) if lang == "ja" else _explain_en(self)


@attrs.frozen
class _Request:
    """One application being decided: the policy and the checked inputs."""

    policy: ServicePolicy
    target: Target
    delta: int
    at: datetime
    cal: BusinessCalendar

    def refuse(
        self, rule: str, reason: str, window: tuple[int, datetime, datetime] | None = None
    ) -> Decision:
        days, start, end = window if window is not None else (None, None, None)
        return Decision(
            accepted=False,
            rule=rule,
            reason=reason,
            service=self.policy.service,
            service_label=self.policy.label,
            requested_target=self.target,
            target=None,
            delta=self.delta,
            submitted_at=self.at,
            window_days=days,
            window_start=start,
            window_end=end,
            hours=self.policy.hours,
        )

    def window(self, day: date, n: int) -> tuple[int, datetime, datetime]:
        """Return the month's last-``n``-business-days window around ``day``."""
        start = self.cal.last_business_days(day.year, day.month, n)[0]
        last = date(day.year, day.month, _stdlib_calendar.monthrange(day.year, day.month)[1])
        return n, datetime.combine(start, _MIDNIGHT, JST), _end_of(last)


def decide(  # noqa: PLR0913  # the application's own fields
    service: Service | ServicePolicy,
    *,
    target: Target,
    submitted_at: datetime,
    delta: int,
    current_count: int | None = None,
    term: Term = Term.MONTHLY,
    calendar: BusinessCalendar | None = None,
    submitted_alone: bool = True,
) -> Decision:
    """Decide an ID-count change application from the policy and the calendar (IDC-2 … IDC-9).

    ``submitted_alone`` matters for M365 add-ons, which are withdrawable only when applied
    for on their own (IDC-5).

    >>> from omakase_core.calendar import JST
    >>> d = decide(Service.GOOGLE_WORKSPACE, target=Target.CURRENT_MONTH,
    ...            submitted_at=datetime(2026, 5, 26, 10, 0, tzinfo=JST), delta=3)
    >>> d.accepted, d.rule
    (False, 'IDC-3')
    """
    policy = _policy(service)
    at = to_jst(submitted_at, field="submitted_at")
    check_year(at.year, f"submitted_at ({at:%Y-%m-%d} JST)")
    n = check_int(delta, "delta")
    if n == 0:
        msg = "delta must not be 0: give the number of IDs to add (or, negative, to remove)"
        raise ValidationError(msg, field="delta", rule="IDC-2")
    require(target, Target, field="target", rule="IDC-2", what="a Target")
    require(term, Term, field="term", rule="IDC-6", what="a Term")
    require(submitted_alone, bool, field="submitted_alone", rule="IDC-5", what="a bool")
    count = None if current_count is None else check_int(current_count, "current_count")
    cal = (
        _national()
        if calendar is None
        else require(calendar, BusinessCalendar, field="calendar", rule="IDC-2", what="a calendar")
    )
    request = _Request(policy, target, n, at, cal)
    return (
        _quantity_refusal(request, term, count)
        or _window_refusal(request)
        or _accept(request, alone=submitted_alone)
    )


def _quantity_refusal(request: _Request, term: Term, count: int | None) -> Decision | None:
    """Refuse what no month allows: reductions where forbidden, a count below 1 (IDC-9)."""
    policy, n = request.policy, request.delta
    if policy.additions_only and n < 0:
        return request.refuse(policy.rule, "additions_only")
    if term is Term.ANNUAL and n < 0:
        return request.refuse(policy.annual_rule, "annual_reduction")
    if count is not None and count + n < 1:
        return request.refuse("IDC-9", "count_below_one")
    return None


def _window_refusal(request: _Request) -> Decision | None:
    """Refuse outside acceptance hours and in a closed 当月 window (IDC-3, IDC-4, IDC-6)."""
    policy, at, cal = request.policy, request.at, request.cal
    in_hours = policy.hours is None or policy.hours[0] <= at.time() < policy.hours[1]
    if request.target is Target.CURRENT_MONTH:
        if not in_hours:
            return request.refuse(policy.rule, "outside_hours")
        closed = policy.current_closed_in_last
        if closed is not None and cal.in_last_business_days(at, closed):
            return request.refuse(policy.rule, "current_closed", request.window(at.date(), closed))
    elif not in_hours:
        any_hour = policy.next_any_hour_in_last
        if any_hour is None or not cal.in_last_business_days(at, any_hour):
            return request.refuse(policy.rule, "outside_hours")
    return None


def _acceptance_day(request: _Request) -> date:
    """Return the acceptance day: the next business day after a cutoff or a day off (IDC-7)."""
    policy, at, cal = request.policy, request.at, request.cal
    cutoff = policy.acceptance_cutoff
    if cutoff is not None and (at.time() >= cutoff or not cal.is_business_day(at.date())):
        return cal.next_business_day(at.date())
    return at.date()


def _current_month(
    request: _Request, acceptance: date
) -> tuple[datetime | None, datetime | None, str]:
    """Return ``applies_at``, ``applies_by`` and the reason of a 当月 change."""
    policy, at, cal = request.policy, request.at, request.cal
    if policy.current_timing is CurrentTiming.WITHIN_BUSINESS_DAYS:
        days = policy.current_business_days or 0
        return None, _end_of(cal.add_business_days(acceptance, days)), "within_business_days"
    if policy.noon_on_first and at.day == 1 and at.time() < _NOON:
        return datetime.combine(at.date(), _NOON, JST), None, "noon_on_first"
    return at, None, "at_acceptance"


def _next_month_timing(request: _Request) -> tuple[datetime | None, datetime | None, str]:
    """Return ``applies_at``, ``applies_by`` and the reason of a 翌月 change."""
    policy, cal = request.policy, request.cal
    year, month = _next_month(request.at.date())
    if policy.next_timing is NextTiming.NOON_ON_FIRST:
        return datetime.combine(date(year, month, 1), _NOON, JST), None, "noon_next_month"
    first = cal.first_business_day(year, month)
    days = (policy.next_business_days or 1) - 1
    return None, _end_of(cal.add_business_days(first, days)), "first_business_days"


def _accept(request: _Request, *, alone: bool) -> Decision:
    """Work out when an accepted application applies and until when it can be withdrawn."""
    policy, at, cal = request.policy, request.at, request.cal
    acceptance = _acceptance_day(request)
    effective, window = request.target, None
    rolls = policy.current_rolls_over_in_last
    if (
        effective is Target.CURRENT_MONTH
        and rolls is not None
        and (
            (acceptance.year, acceptance.month) != (at.year, at.month)
            or cal.in_last_business_days(datetime.combine(acceptance, _MIDNIGHT, JST), rolls)
        )
    ):
        effective, window = Target.NEXT_MONTH, request.window(at.date(), rolls)
    if effective is Target.CURRENT_MONTH:
        applies_at, applies_by, reason = _current_month(request, acceptance)
        allowed = policy.current_withdrawable
    else:
        applies_at, applies_by, reason = _next_month_timing(request)
        allowed = policy.next_withdrawable
    if window is not None:
        reason = "rolled_over"
    if policy.withdrawable_only_when_alone and not alone:
        allowed = False
    if applies_at is not None:
        applying, applying_day = applies_at, applies_at.date()
    else:
        applying = applies_by or at
        applying_day = (applying - _ONE_DAY).date()
    return Decision(
        accepted=True,
        rule=policy.rule,
        reason=reason,
        service=policy.service,
        service_label=policy.label,
        requested_target=request.target,
        target=effective,
        delta=request.delta,
        submitted_at=at,
        applies_at=applies_at,
        applies_by=applies_by,
        withdrawable_until=applying if allowed else None,
        processing_done_expected_at=datetime.combine(
            cal.next_business_day(applying_day), _NOON, JST
        ),
        window_days=window[0] if window else None,
        window_start=window[1] if window else None,
        window_end=window[2] if window else None,
        hours=policy.hours,
    )


# -- the month view ----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class WindowSlot:
    """From ``start`` to ``end`` (exclusive; ``None`` = 24:00) ``target`` is accepted.

    ``counts_as`` is the month the change then counts for (a 当月 application can be
    treated as 翌月).
    """

    target: Target
    start: time
    end: time | None
    counts_as: Target


@attrs.frozen(kw_only=True)
class DayWindows:
    """One day of :func:`month_windows`: the slots in which each target is accepted."""

    day: date
    slots: tuple[WindowSlot, ...]

    def open_for(self, target: Target) -> tuple[WindowSlot, ...]:
        """Return the slots of ``target``."""
        return tuple(slot for slot in self.slots if slot.target is target)


def _breakpoints(policy: ServicePolicy) -> list[time]:
    points = {_MIDNIGHT}
    if policy.hours is not None:
        points.update(policy.hours)
    if policy.noon_on_first or policy.acceptance_cutoff is not None:
        points.add(policy.acceptance_cutoff or _NOON)
    return sorted(points)


def month_windows(
    service: Service | ServicePolicy,
    year: int,
    month: int,
    *,
    calendar: BusinessCalendar | None = None,
) -> tuple[DayWindows, ...]:
    """Return, for each day of the month, when each target is accepted (IDC-3 … IDC-7).

    The view is computed with :func:`decide` itself at every instant where a policy value
    can change the answer (midnight, the acceptance hours, 12:00), so the two never
    disagree.
    """
    policy = _policy(service)
    y = check_int(year, "year")
    m = check_int(month, "month")
    if not 1 <= m <= 12:
        raise ValidationError(f"month must be from 1 to 12, not {m}", field="month")
    check_year(y, f"year {y}")
    cal = _national() if calendar is None else calendar
    points = _breakpoints(policy)
    days = []
    for number in range(1, _stdlib_calendar.monthrange(y, m)[1] + 1):
        day = date(y, m, number)
        slots: list[WindowSlot] = []
        for target in Target:
            for index, start in enumerate(points):
                end = points[index + 1] if index + 1 < len(points) else None
                decision = decide(
                    policy,
                    target=target,
                    submitted_at=datetime.combine(day, start, JST),
                    delta=1,
                    calendar=cal,
                )
                if not decision.accepted or decision.target is None:
                    continue
                last = slots[-1] if slots else None
                if (
                    last is not None
                    and last.target is target
                    and last.end == start
                    and last.counts_as is decision.target
                ):
                    slots[-1] = attrs.evolve(last, end=end)
                else:
                    slots.append(
                        WindowSlot(target=target, start=start, end=end, counts_as=decision.target)
                    )
        days.append(DayWindows(day=day, slots=tuple(slots)))
    return tuple(days)


# -- explanations (IDC-10) -----------------------------------------------------------------------


def _hours_text(policy_hours: tuple[time, time] | None) -> str:
    if policy_hours is None:
        return ""
    start, end = policy_hours
    last = (datetime.combine(date(2000, 1, 1), end) - timedelta(minutes=1)).time()
    return f"{start:%H:%M}～{last:%H:%M}"


def _explain_ja(d: Decision) -> str:  # one sentence per reason
    head = (
        f"{d.rule}（{d.service_label}）: {format_instant(d.submitted_at)} の"
        f"{d.requested_target.label}指定、{d.delta:+d} ID のお申込みは"
    )
    if not d.accepted:
        if d.reason == "additions_only":
            return head + "受け付けられません。このサービスは ID 数の追加のみお申込みいただけます。"
        if d.reason == "annual_reduction":
            return head + (
                "受け付けられません。年契約の ID 数の削減はポータルでは承っておらず、"
                "契約更新時に KDDI 法人営業担当者へお申し付けください。"
            )
        if d.reason == "count_below_one":
            return head + "受け付けられません。変更後の ID 数が 0 以下になるためです。"
        if d.reason == "outside_hours":
            hours = _hours_text(d.hours)
            return head + f"受付時間（{hours}）外のため受け付けられません。"
        window = f"{d.window_days}営業日"
        span = _span_ja(d)
        return head + (
            f"受け付けられません。当月最終{window}（{span}）は翌月指定のみ受け付けます。"
        )
    parts = [head + "受け付けます。"]
    if d.reason == "rolled_over":
        parts.append(
            f"当月最終{d.window_days}営業日（{_span_ja(d)}）の受付のため、翌月指定として扱います。"
        )
    if d.applies_at is not None:
        note = "毎月1日12時前の受付のため、" if d.reason == "noon_on_first" else ""
        parts.append(f"{note}{format_instant(d.applies_at)} に適用されます。")
    elif d.applies_by is not None:
        parts.append(f"{format_deadline(d.applies_by)} までに適用されます。")
    if d.withdrawable_until is None:
        parts.append("取下げはできません。")
    else:
        parts.append(f"{_until_ja(d.withdrawable_until)} まで取下げできます。")
    if d.processing_done_expected_at is not None:
        done = format_instant(d.processing_done_expected_at)
        parts.append(f"KDDI 内部処理の完了見込みは {done} 頃で、それまで次のお申込みはできません。")
    return "".join(parts)


def _explain_en(d: Decision) -> str:  # one sentence per reason
    target = "current-month" if d.requested_target is Target.CURRENT_MONTH else "next-month"
    head = (
        f"{d.rule} ({d.service_label}): the {target} application for {d.delta:+d} IDs "
        f"submitted at {format_instant(d.submitted_at, 'en')}"
    )
    if not d.accepted:
        if d.reason == "additions_only":
            return head + " is refused: this service accepts additions only."
        if d.reason == "annual_reduction":
            return head + (
                " is refused: reductions of an annual contract are not accepted through the "
                "portal; ask the KDDI sales representative at renewal."
            )
        if d.reason == "count_below_one":
            return head + " is refused: the resulting ID count would be 0 or less."
        if d.reason == "outside_hours":
            hours = _hours_text(d.hours)
            return head + f" is refused: applications are accepted {hours} only."
        return head + (
            f" is refused: in the month's last {d.window_days} business days "
            f"({_span_en(d)}) only next-month applications are accepted."
        )
    parts = [head + " is accepted."]
    if d.reason == "rolled_over":
        parts.append(
            f"It falls in the month's last {d.window_days} business days ({_span_en(d)}), "
            "so it is treated as a next-month application."
        )
    if d.applies_at is not None:
        note = " (accepted on the 1st before 12:00)" if d.reason == "noon_on_first" else ""
        parts.append(f"It applies at {format_instant(d.applies_at, 'en')}{note}.")
    elif d.applies_by is not None:
        parts.append(f"It applies by {format_deadline(d.applies_by, 'en')}.")
    if d.withdrawable_until is None:
        parts.append("It cannot be withdrawn.")
    else:
        parts.append(f"It can be withdrawn until {_until_en(d.withdrawable_until)}.")
    if d.processing_done_expected_at is not None:
        done = format_instant(d.processing_done_expected_at, "en")
        parts.append(
            f"KDDI's processing is expected to finish around {done}; "
            "no new application is possible before."
        )
    return " ".join(parts)


def _until_ja(instant: datetime) -> str:
    return format_deadline(instant) if instant.time() == _MIDNIGHT else format_instant(instant)


def _until_en(instant: datetime) -> str:
    if instant.time() == _MIDNIGHT:
        return format_deadline(instant, "en")
    return format_instant(instant, "en")


def _span_ja(d: Decision) -> str:
    if d.window_start is None or d.window_end is None:
        return ""
    return f"{format_date(d.window_start.date())} 0:00～{format_deadline(d.window_end)}"


def _span_en(d: Decision) -> str:
    if d.window_start is None or d.window_end is None:
        return ""
    start = format_date(d.window_start.date(), "en")
    return f"from {start} 00:00 to {format_deadline(d.window_end, 'en')}"
