"""A tour of the business calendar for a portal developer (CAL-1 … CAL-9).

Four questions a portal asks every day, answered for fixed instants so the output never
changes: when is this month's ID-change window, until when can a terminated contract be
reinstated, when does an unused account expire, and what changes when the provider also
closes over the New Year.
"""

from __future__ import annotations

from datetime import UTC, datetime

from omakase_core.calendar import (
    JST,
    BusinessCalendar,
    explain_period_end,
    format_date,
    format_deadline,
)


def id_change_window(cal: BusinessCalendar) -> None:
    """Show the last 4 business days of May 2026 and where three requests fall (CAL-3)."""
    days = cal.last_business_days(2026, 5, 4)
    print("May 2026, the last 4 business days:", ", ".join(format_date(d) for d in days))
    for instant in (
        datetime(2026, 5, 25, 18, 0, tzinfo=JST),
        datetime(2026, 5, 30, 11, 0, tzinfo=JST),
        datetime(2026, 5, 25, 15, 30, tzinfo=UTC),  # 2026-05-26 00:30 JST
    ):
        inside = cal.in_last_business_days(instant, 4)
        verdict = "inside the window" if inside else "before the window"
        print(f"  a request at {instant.isoformat()} is {verdict}")


def reinstatement_period() -> None:
    """Show the 14-day reinstatement period of a termination at 11-01 10:00 (CAL-4, CAL-9)."""
    deadline = explain_period_end(datetime(2026, 11, 1, 10, 0, tzinfo=JST), days=14)
    print("Reinstatement possible until:", format_deadline(deadline.at))
    print("  ja:", deadline.explain("ja"))
    print("  en:", deadline.explain("en"))


def account_expiry() -> None:
    """Show the expiry of an account unused for a month after a 01-30 login (CAL-6)."""
    deadline = explain_period_end(datetime(2026, 1, 30, 10, 0, tzinfo=JST), months=1)
    print("Account valid until:", format_deadline(deadline.at))
    print("  en:", deadline.explain("en"))


def year_end_closure() -> None:
    """Ask the same questions of a calendar that also closes 12/29-1/3 (CAL-2, CAL-7)."""
    national = BusinessCalendar.japan()
    closed = BusinessCalendar.japan(year_end_closure=True)
    friday = datetime(2026, 12, 25, 10, 0, tzinfo=JST)
    for name, cal in (("national calendar", national), ("with 年末年始", closed)):
        after_two = cal.add_business_days(friday, 2)
        last = cal.last_business_days(2026, 12, 1)[0]
        deadline = explain_period_end(friday, days=4, extend_to_business_day=cal)
        print(f"{name}:")
        print(f"  2 business days after Fri 12/25: {format_date(after_two)}")
        print(f"  last business day of December:    {format_date(last)}")
        print(f"  4 days from 12/25, extended to a business day: {format_deadline(deadline.at)}")
        print(f"  ja: {deadline.explain('ja')}")


def main() -> None:
    """Run the tour."""
    cal = BusinessCalendar.japan()
    id_change_window(cal)
    print()
    reinstatement_period()
    print()
    account_expiry()
    print()
    year_end_closure()


if __name__ == "__main__":
    main()
