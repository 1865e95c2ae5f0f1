"""Deciding an ID-count change from the policy and the calendar alone (IDC-2 … IDC-10).

:func:`decide` is pure: given a service (or any :class:`ServicePolicy`), a target month, the
submission instant and the delta, it says whether the application is accepted, which
rule decided, and when the change applies. Malformed input raises; a well-formed
application that a rule refuses returns ``accepted=False`` with the rule — it never raises.
:func:`month_windows` draws the same answers as a month view for a portal's screen.

Every enum parameter (``service``, ``target``, ``term``) takes a member of its enum and
nothing else: a plain string, a label (``"当月"``), ``None`` or a member of another enum is a
:class:`~omakase_core.errors.ValidationError` naming the parameter (SEC-2).
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import functools
from datetime import date, datetime, time, timedelta
from typing import Final

import attrs

from omakase_core._validation import check_text, require
from omakase_core.calendar import JST, BusinessCalendar, to_jst
from omakase_core.calendar._jst import check_int, check_year
from omakase_core.errors import CalendarRangeError, ValidationError
from omakase_core.id_change.model import (
    MAX_IDS,
    POLICIES,
    CurrentTiming,
    DayWindows,
    Decision,
    NextTiming,
    PlanCounts,
    Service,
    ServicePolicy,
    Target,
    Term,
    WindowSlot,
    check_delta,
    shown,
)

__all__ = [
    "addon_block_end",
    "calendar_or_national",
    "decide",
    "month_windows",
    "policy_of",
    "processing_done_expected",
]

_NOON: Final = time(12, 0)
_MIDNIGHT: Final = time(0)
_ONE_DAY: Final = timedelta(days=1)
_MAX_BUSINESS_DAYS: Final = 60
_MAX_TEXT: Final = 200

_new: Final = object.__new__
_set: Final = object.__setattr__


def _decision(  # noqa: PLR0913  # every field of a decision
    *,
    accepted: bool,
    rule: str,
    reason: str,
    service: str,
    service_label: str,
    requested_target: Target,
    target: Target | None,
    delta: int,
    submitted_at: datetime,
    applies_at: datetime | None = None,
    applies_by: datetime | None = None,
    withdrawable_until: datetime | None = None,
    processing_done_expected_at: datetime | None = None,
    window_days: int | None = None,
    window_start: datetime | None = None,
    window_end: datetime | None = None,
    hours: tuple[time, time] | None = None,
) -> Decision:
    """Return a :class:`Decision` of values :func:`decide` has checked, without re-checking.

    ``Decision(...)`` checks every field (SEC-2); ``decide`` builds hundreds of thousands
    a second from the checked request and policy, so it sets the fields directly (the
    benchmark's budget: within 10x of one ``in_last_business_days`` call).
    """
    decision: Decision = _new(Decision)
    _set(decision, "accepted", accepted)
    _set(decision, "rule", rule)
    _set(decision, "reason", reason)
    _set(decision, "service", service)
    _set(decision, "service_label", service_label)
    _set(decision, "requested_target", requested_target)
    _set(decision, "target", target)
    _set(decision, "delta", delta)
    _set(decision, "submitted_at", submitted_at)
    _set(decision, "applies_at", applies_at)
    _set(decision, "applies_by", applies_by)
    _set(decision, "withdrawable_until", withdrawable_until)
    _set(decision, "processing_done_expected_at", processing_done_expected_at)
    _set(decision, "window_days", window_days)
    _set(decision, "window_start", window_start)
    _set(decision, "window_end", window_end)
    _set(decision, "hours", hours)
    return decision


@functools.cache
def _national() -> BusinessCalendar:
    return BusinessCalendar.japan()


def calendar_or_national(calendar: object, *, field: str = "calendar") -> BusinessCalendar:
    """Return ``calendar``, or the national calendar for ``None``; refuse anything else."""
    if calendar is None:
        return _national()
    return require(calendar, BusinessCalendar, field=field, rule="IDC-2", what="a calendar")


def policy_of(service: object) -> ServicePolicy:
    """Return the policy of a :class:`Service`, or ``service`` itself if it is a policy (IDC-1).

    A plain string (``"google_workspace"``), ``None`` or any other value is refused (SEC-2).
    """
    if isinstance(service, ServicePolicy):
        return service
    policy = POLICIES.get(service) if type(service) is Service else None
    if policy is None:
        msg = f"service must be a Service or a ServicePolicy, not {shown(service)}"
        raise ValidationError(msg, field="service", rule="SEC-2")
    return policy


def addon_block_end(submitted_at: datetime, days: int, calendar: BusinessCalendar) -> datetime:
    """Return when IDC-8's add-on block after a submission ends (exclusive).

    Decision: the block lasts to the end of the ``days``-th business day after the
    submission day (IDC-2b counting: the submission day itself is not counted). ``days``
    is a policy's count, from 1 to 60 (IDC-1); ``calendar`` a :class:`BusinessCalendar`.
    """
    submitted = to_jst(submitted_at, field="submitted_at").date()
    if type(days) is not int or not 1 <= days <= _MAX_BUSINESS_DAYS:
        msg = f"days must be an int from 1 to {_MAX_BUSINESS_DAYS}, not {shown(days)}"
        raise ValidationError(msg, field="days", rule="IDC-8")
    cal = require(calendar, BusinessCalendar, field="calendar", rule="IDC-8", what="a calendar")
    return _end_of(cal.add_business_days(submitted, days))


def processing_done_expected(applied_at: datetime, calendar: BusinessCalendar) -> datetime:
    """Return when KDDI's processing after a change applied at ``applied_at`` should end (IDC-8).

    12:00 JST of the first business day after the day the change actually applied (a
    change applied on a Friday or before a holiday is expected done on the next business
    day's morning).

    >>> from omakase_core.calendar import BusinessCalendar
    >>> applied = datetime(2026, 5, 21, 10, 0, tzinfo=JST)  # the seed's example
    >>> processing_done_expected(applied, BusinessCalendar.japan()).isoformat()
    '2026-05-22T12:00:00+09:00'
    """
    applied = to_jst(applied_at, field="applied_at").date()
    cal = require(calendar, BusinessCalendar, field="calendar", rule="IDC-8", what="a calendar")
    return datetime.combine(cal.next_business_day(applied), _NOON, JST)


def _end_of(day: date) -> datetime:
    """Return the exclusive end of ``day``: 00:00 JST of the next day."""
    return datetime.combine(day + _ONE_DAY, _MIDNIGHT, JST)


def _next_month(day: date) -> tuple[int, int]:
    return (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)


@attrs.frozen
class _Request:
    """One application being decided: the policy and the checked inputs."""

    policy: ServicePolicy
    target: Target
    delta: int
    at: datetime
    cal: BusinessCalendar
    consented: bool = True

    def refuse(
        self, rule: str, reason: str, window: tuple[int, datetime, datetime] | None = None
    ) -> Decision:
        days, start, end = window if window is not None else (None, None, None)
        return _decision(
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
    consented: bool = False,
    line: str | None = None,
    counts: PlanCounts | None = None,
) -> Decision:
    """Decide an ID-count change application from the policy and the calendar (IDC-2 … IDC-9).

    IDC-2 (amended): an application without ``consented=True`` (consent to the terms) is
    refused naming IDC-2. IDC-9 (amended): ``current_count`` is part of every application;
    without it the application is refused naming IDC-9 (reason ``count_missing``), so the
    "never 0" guard is never skipped. Both keep their defaults only so that a call of the
    old shape is refused by the rule instead of breaking; pass them always.

    IDC-9: a service that counts per plan (M365 plans and options) may take ``counts``, the
    current :class:`PlanCounts`, and ``line``, the plan or option this application changes;
    ``current_count`` is then that line's count. A plan may go to 0 while another keeps IDs;
    an option never exceeds its plan. Without ``counts`` the service is one count.

    ``submitted_alone`` matters for M365 add-ons, which are withdrawable only when applied
    for on their own (IDC-5). ``service``, ``target`` and ``term`` must be members of their
    enums (SEC-2).

    >>> from omakase_core.calendar import JST
    >>> d = decide(Service.GOOGLE_WORKSPACE, target=Target.CURRENT_MONTH,
    ...            submitted_at=datetime(2026, 5, 26, 10, 0, tzinfo=JST), delta=3,
    ...            current_count=10, consented=True)
    >>> d.accepted, d.rule
    (False, 'IDC-3')
    """
    policy = policy_of(service)
    at = to_jst(submitted_at, field="submitted_at")
    check_year(at.year, f"submitted_at ({at:%Y-%m-%d} JST)")
    n = check_delta(check_int(delta, "delta"))
    require(target, Target, field="target", rule="IDC-2", what="a Target")
    require(term, Term, field="term", rule="IDC-6", what="a Term")
    require(submitted_alone, bool, field="submitted_alone", rule="IDC-5", what="a bool")
    require(consented, bool, field="consented", rule="IDC-2", what="a bool (consent to the terms)")
    count = None if current_count is None else _count(current_count)
    plan_line = None if counts is None and line is None else _plan_line(policy, line, counts)
    if plan_line is not None and count is not None and count != plan_line[1].count_of(plan_line[0]):
        msg = f"current_count must be the count of {plan_line[0][:40]} in counts, not {count}"
        raise ValidationError(msg, field="current_count", rule="IDC-9")
    cal = calendar_or_national(calendar)
    request = _Request(policy, target, n, at, cal, consented)
    return (
        _quantity_refusal(request, term, count, plan_line)
        or _window_refusal(request)
        or (None if consented else request.refuse("IDC-2", "no_consent"))
        or _accept(request, alone=submitted_alone)
    )


def _plan_line(policy: ServicePolicy, line: object, counts: object) -> tuple[str, PlanCounts]:
    """Return the checked ``line`` and ``counts`` of a service counted per plan (IDC-9)."""
    if counts is None:
        msg = "line names a plan or option of counts, and goes with counts"
        raise ValidationError(msg, field="line", rule="IDC-9")
    plans = require(counts, PlanCounts, field="counts", rule="IDC-9", what="a PlanCounts")
    if not policy.counts_per_plan:
        msg = f"counts go with a service counted per plan, not {policy.label[:60]}"
        raise ValidationError(msg, field="counts", rule="IDC-9")
    if line is None:
        msg = "line must name the plan or option the application changes when counts are given"
        raise ValidationError(msg, field="line", rule="IDC-9")
    name = check_text(line, field="line", rule="IDC-9", max_length=_MAX_TEXT)
    return name, plans


def _count(value: object) -> int:
    count = check_int(value, "current_count")
    if not 0 <= count <= MAX_IDS:
        msg = f"current_count must be from 0 to {MAX_IDS:,}, not {shown(count)}"
        raise ValidationError(msg, field="current_count", rule="IDC-9")
    return count


def _quantity_refusal(
    request: _Request, term: Term, count: int | None, plan_line: tuple[str, PlanCounts] | None
) -> Decision | None:
    """Refuse what no month allows: reductions where forbidden, counts IDC-9 refuses."""
    policy, n = request.policy, request.delta
    if policy.additions_only and n < 0:
        return request.refuse(policy.rule, "additions_only")
    if term is Term.ANNUAL and n < 0:
        return request.refuse(policy.annual_rule, "annual_reduction")
    if count is None:
        return request.refuse("IDC-9", "count_missing")
    if plan_line is not None:
        reason = plan_line[1].refusal(plan_line[0], n)
        return None if reason is None else request.refuse("IDC-9", reason)
    if count + n < 1:
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


def _acceptance_day(request: _Request) -> date | None:
    """Return the acceptance day: the next business day after a cutoff or a day off (IDC-7).

    ``None`` when that day lies in a later month than the submission (no business day is
    left in the submission's month): that is all IDC-7's roll-over needs to know, and it is
    known even in December 2099, whose next business day is beyond the calendar (CAL-8).
    """
    policy, at, cal = request.policy, request.at, request.cal
    cutoff = policy.acceptance_cutoff
    day = at.date()
    if cutoff is None or (at.time() < cutoff and cal.is_business_day(day)):
        return day
    year, month = _next_month(day)
    if cal.business_days_between(day + _ONE_DAY, date(year, month, 1)) == 0:
        return None
    return cal.next_business_day(day)


def _current_month(
    request: _Request, acceptance: date | None
) -> tuple[datetime | None, datetime | None, str]:
    """Return ``applies_at``, ``applies_by`` and the reason of a 当月 change."""
    policy, at, cal = request.policy, request.at, request.cal
    if policy.current_timing is CurrentTiming.WITHIN_BUSINESS_DAYS:
        days = policy.current_business_days or 0
        day = cal.next_business_day(at.date()) if acceptance is None else acceptance
        return None, _end_of(cal.add_business_days(day, days)), "within_business_days"
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


def _counts_as(
    request: _Request,
) -> tuple[Target, date | None, tuple[int, datetime, datetime] | None]:
    """Return the month an accepted application counts for, its acceptance day and window.

    A 当月 application whose acceptance day falls in the month's last N business days, or
    in a later month, is treated as 翌月 (IDC-5, IDC-7); the window is then those N days.
    Nothing here looks past the submission's month, so :func:`month_windows` answers for
    every month of the calendar, December 2099 included (CAL-8).
    """
    policy, at, cal = request.policy, request.at, request.cal
    acceptance = _acceptance_day(request)
    rolls = policy.current_rolls_over_in_last
    if (
        request.target is Target.CURRENT_MONTH
        and rolls is not None
        and (
            acceptance is None
            or cal.in_last_business_days(datetime.combine(acceptance, _MIDNIGHT, JST), rolls)
        )
    ):
        return Target.NEXT_MONTH, acceptance, request.window(at.date(), rolls)
    return request.target, acceptance, None


def _accept(request: _Request, *, alone: bool) -> Decision:
    """Work out when an accepted application applies and until when it can be withdrawn.

    When that answer lies after 2099 (a 翌月 change submitted in December 2099 applies in
    January 2100), the :class:`~omakase_core.errors.CalendarRangeError` names
    ``submitted_at`` and says why (CAL-8), rather than an internal date.
    """
    effective, acceptance, window = _counts_as(request)
    try:
        return _timed(request, effective, acceptance, window, alone=alone)
    except CalendarRangeError as error:
        day = f"submitted_at {request.at:%Y-%m-%d} JST"
        what = (
            f"{day}: a 翌月 (next-month) change applies in a month that"
            if effective is Target.NEXT_MONTH
            else f"{day}: a 当月 change applies or is processed on a day that"
        )
        raise CalendarRangeError(
            year=error.year, first_year=error.first_year, last_year=error.last_year, what=what
        ) from None


def _timed(
    request: _Request,
    effective: Target,
    acceptance: date | None,
    window: tuple[int, datetime, datetime] | None,
    *,
    alone: bool,
) -> Decision:
    """Return the accepted decision of ``request``, counted for ``effective`` (IDC-3 … IDC-8)."""
    policy, at, cal = request.policy, request.at, request.cal
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
    applying = applies_at if applies_at is not None else applies_by or at
    expected = (
        None
        if applies_at is None
        else datetime.combine(cal.next_business_day(applies_at.date()), _NOON, JST)
    )
    return _decision(
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
        processing_done_expected_at=expected,
        window_days=window[0] if window else None,
        window_start=window[1] if window else None,
        window_end=window[2] if window else None,
        hours=policy.hours,
    )


# -- the month view ----------------------------------------------------------------------------


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

    Each slot says from when to when a target is accepted and which month the change then
    counts for (``counts_as``). The view runs :func:`decide`'s own acceptance rules (its
    hour and month-end refusals, then its 当月 → 翌月 roll-over) at every instant where a
    policy value can change the answer (midnight, the acceptance hours, 12:00), so the two
    never disagree. It does not work out when each change applies, which the view does not
    show: every month from January 1955 to December 2099 has its full view, although a 翌月
    change submitted in December 2099 applies in 2100, beyond the calendar, and ``decide``
    refuses to time it (:class:`~omakase_core.errors.CalendarRangeError`, CAL-8).
    """
    policy = policy_of(service)
    y = check_int(year, "year")
    m = check_int(month, "month")
    if not 1 <= m <= 12:
        raise ValidationError(f"month must be from 1 to 12, not {shown(m)}", field="month")
    check_year(y, "year")
    cal = calendar_or_national(calendar)
    points = _breakpoints(policy)
    days = []
    for number in range(1, _stdlib_calendar.monthrange(y, m)[1] + 1):
        day = date(y, m, number)
        slots: list[WindowSlot] = []
        for target in Target:
            for index, start in enumerate(points):
                end = points[index + 1] if index + 1 < len(points) else None
                request = _Request(policy, target, 1, datetime.combine(day, start, JST), cal)
                if _window_refusal(request) is not None:
                    continue
                counts_as = _counts_as(request)[0]
                last = slots[-1] if slots else None
                if (
                    last is not None
                    and last.target is target
                    and last.end == start
                    and last.counts_as is counts_as
                ):
                    slots[-1] = attrs.evolve(last, end=end)
                else:
                    slots.append(
                        WindowSlot(target=target, start=start, end=end, counts_as=counts_as)
                    )
        days.append(DayWindows(day=day, slots=tuple(slots)))
    return tuple(days)
