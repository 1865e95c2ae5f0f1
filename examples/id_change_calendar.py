"""The ID-count change calendar of May 2026 for every My KDDI Biz service (IDC-1 … IDC-10).

For each service, a small text calendar shows on which days 当月 (C) and 翌月 (N) are
accepted — all day, or only in some hours — then a handful of applications is decided and
explained in Japanese, the way a portal would show them. Last, one application goes through
:class:`IdChangeService` as a tenant's 管理者 would file it, and another tenant's 管理者 who
knows its id finds nothing to withdraw (SEC-1). Then the seed's processing example: an M365
add-on submitted on 5/20 and reported applied on 5/21 10:00, whose 完了 notice states the
real times (IDC-8), and a reduction of one M365 plan to 0 while another keeps IDs (IDC-9).
Every application carries consent to the terms and the current ID count (IDC-2, IDC-9).
"""

from __future__ import annotations

import calendar
from datetime import datetime

from omakase_core import NotFound, Principal
from omakase_core.accounts import Role
from omakase_core.calendar import JST
from omakase_core.delivery import deliver_pending
from omakase_core.id_change import (
    POLICIES,
    DayWindows,
    IdChangeService,
    PlanCounts,
    Service,
    Target,
    Term,
    decide,
    month_windows,
)
from omakase_core.messages import NotificationSettings
from omakase_core.testing import (
    FixedClock,
    InMemoryIdChangeRepository,
    InMemoryOutbox,
    RecordingNotifier,
)

YEAR, MONTH = 2026, 5


def jst(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    """Return the JST instant."""
    return datetime(year, month, day, hour, minute, tzinfo=JST)


def cell(day: DayWindows) -> str:
    """Return a 6-character cell: the day and which targets are open (lower case: some hours)."""
    marks = ""
    for target, letter in ((Target.CURRENT_MONTH, "C"), (Target.NEXT_MONTH, "N")):
        slots = day.open_for(target)
        if not slots:
            marks += "."
        elif all(s.counts_as is not target for s in slots):
            marks += ">"  # accepted, but counts as 翌月
        elif len(slots) == 1 and slots[0].start.hour == 0 and slots[0].end is None:
            marks += letter
        else:
            marks += letter.lower()
    return f"{day.day.day:>2} {marks} "


def print_month(service: Service) -> None:
    """Print the month view of ``service`` as a Monday-first calendar."""
    days = month_windows(service, YEAR, MONTH)
    print(f"{POLICIES[service].label} ({POLICIES[service].rule}) — {YEAR}-{MONTH:02d}")
    print(" Mon   Tue   Wed   Thu   Fri   Sat   Sun")
    offset = calendar.monthrange(YEAR, MONTH)[0]
    line = "      " * offset
    for day in days:
        line += cell(day)
        if day.day.weekday() == 6:
            print(line.rstrip())
            line = ""
    if line:
        print(line.rstrip())
    print("  C/N: 当月/翌月 accepted all day · c/n: some hours only · >: counts as 翌月 · .: no")
    print()


def file_one_application() -> None:
    """Submit as tenant A's 管理者; tenant B's 管理者 cannot withdraw it (SEC-1)."""
    clock = FixedClock(jst(2026, 5, 20, 10, 0))
    desk = IdChangeService(applications=InMemoryIdChangeRepository(InMemoryOutbox()), clock=clock)
    tenant_a = Principal.customer("tenant-a", user_id="hanako", role=Role.ADMIN)
    tenant_b = Principal.customer("tenant-b", user_id="jiro", role=Role.ADMIN)
    application = desk.submit(
        "idc-1",
        by=tenant_a,
        contact_email="hanako@example.co.jp",
        service=Service.GOOGLE_WORKSPACE,
        target=Target.NEXT_MONTH,
        delta=3,
        current_count=10,
        consented=True,
    )
    print(f"[申込] {application.id} ({application.customer_id}): {application.status.label}")
    try:
        desk.withdraw("idc-1", by=tenant_b)
    except NotFound as refused:
        print(f"[他テナント] {refused}")
    withdrawn = desk.withdraw("idc-1", by=tenant_a, expected_version=application.version)
    print(f"[取下げ] {withdrawn.id} ({withdrawn.customer_id}): {withdrawn.status.label}")


def report_an_add_on_applied() -> None:
    """Show the seed's example: applied 5/21 10:00, processing done 5/22 12:00 (IDC-8)."""
    outbox = InMemoryOutbox()
    clock = FixedClock(jst(2026, 5, 20, 10, 0))
    desk = IdChangeService(applications=InMemoryIdChangeRepository(outbox), clock=clock)
    admin = Principal.customer("tenant-a", user_id="hanako", role=Role.ADMIN)
    desk.submit(
        "idc-2",
        by=admin,
        contact_email="hanako@example.co.jp",
        service=Service.M365_ADDONS,
        target=Target.CURRENT_MONTH,
        delta=1,
        current_count=10,
        consented=True,
    )
    clock.set(jst(2026, 5, 21, 10, 0))
    desk.report_applied("idc-2", by=Principal.operator("kddi-staff-1"))
    notifier = RecordingNotifier()
    settings = NotificationSettings(
        contractor_login_url="https://login.example.jp", first_login_url="https://setup.example.jp"
    )
    deliver_pending(outbox, notifier, clock=clock, settings=settings)
    done = notifier.messages[-1]
    print(f"✉ {done.subject}")
    for line in done.body.splitlines()[:2]:
        print(f"  {line}")


def reduce_one_plan_to_zero() -> None:
    """M365 counts per plan: one plan may go to 0 while another keeps IDs (IDC-9)."""
    counts = PlanCounts(plans={"E3": 5, "Business Basic": 3}, options={"Teams Phone": ("E3", 4)})
    at = jst(2026, 5, 12, 10, 0)
    for line, delta, current in (("Business Basic", -3, 3), ("E3", -2, 5)):
        decision = decide(
            Service.M365_PLANS,
            target=Target.NEXT_MONTH,
            submitted_at=at,
            delta=delta,
            current_count=current,
            consented=True,
            line=line,
            counts=counts,
        )
        verdict = "受付" if decision.accepted else "不可"
        print(f"[{verdict}] {line} {delta:+d}: {decision.explain('ja')}")


def main() -> None:
    """Print every service's month, then decide some applications."""
    for service in Service:
        print_month(service)
    cases = [
        (
            Service.GOOGLE_WORKSPACE,
            Target.CURRENT_MONTH,
            jst(2026, 5, 25, 18, 0),
            5,
            Term.MONTHLY,
        ),
        (
            Service.GOOGLE_WORKSPACE,
            Target.CURRENT_MONTH,
            jst(2026, 5, 26, 9, 0),
            5,
            Term.MONTHLY,
        ),
        (Service.GOOGLE_WORKSPACE, Target.NEXT_MONTH, jst(2026, 5, 26, 9, 0), 5, Term.MONTHLY),
        (Service.M365_PLANS, Target.CURRENT_MONTH, jst(2026, 6, 1, 9, 30), 2, Term.MONTHLY),
        (Service.M365_PLANS, Target.NEXT_MONTH, jst(2026, 5, 28, 23, 45), 2, Term.MONTHLY),
        (Service.M365_ADDONS, Target.CURRENT_MONTH, jst(2026, 5, 26, 10, 0), 1, Term.MONTHLY),
        (Service.LINE_WORKS, Target.NEXT_MONTH, jst(2026, 5, 20, 10, 0), -3, Term.ANNUAL),
        (Service.EMM, Target.CURRENT_MONTH, jst(2026, 5, 14, 13, 0), 10, Term.MONTHLY),
    ]
    for service, target, at, delta, term in cases:
        decision = decide(
            service,
            target=target,
            submitted_at=at,
            delta=delta,
            term=term,
            current_count=10,
            consented=True,
        )
        verdict = "受付" if decision.accepted else "不可"
        print(f"[{verdict}] {decision.explain('ja')}")
    print()
    file_one_application()
    print()
    report_an_add_on_applied()
    print()
    reduce_one_plan_to_zero()


if __name__ == "__main__":
    main()
