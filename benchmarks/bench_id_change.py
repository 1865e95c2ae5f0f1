"""Benchmark ``decide`` over every minute of a month for the five services.

Prints decisions per second next to one ``BusinessCalendar.in_last_business_days`` call
measured in the same run (target: ``decide`` within 10x of it). Run with ``nox -s bench``.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from omakase_core.calendar import JST, BusinessCalendar
from omakase_core.id_change import Service, Target, decide

REPEATS = 3


def main() -> None:
    start = datetime(2026, 5, 1, tzinfo=JST)
    minutes = [start + timedelta(minutes=m) for m in range(31 * 24 * 60)]
    cal = BusinessCalendar.japan()
    calls = [(service, target, at) for service in Service for target in Target for at in minutes]

    def run_decide() -> int:
        accepted = 0
        for service, target, at in calls:
            accepted += decide(
                service,
                target=target,
                submitted_at=at,
                delta=1,
                current_count=10,
                consented=True,
                calendar=cal,
            ).accepted
        return accepted

    def run_window() -> int:
        inside = 0
        for _, _, at in calls:
            inside += cal.in_last_business_days(at, 4)
        return inside

    best_decide = best_window = float("inf")
    accepted = 0
    for _ in range(REPEATS):
        t = time.perf_counter()
        accepted = run_decide()
        best_decide = min(best_decide, time.perf_counter() - t)
        t = time.perf_counter()
        run_window()
        best_window = min(best_window, time.perf_counter() - t)
    n = len(calls)
    print(f"decide over every minute of May 2026, 5 services x 2 targets = {n:,} decisions:")
    print(f"  accepted {accepted:,} of them")
    print(f"  decide                          {n / best_decide:>12,.0f} /s")
    print(
        f"  in_last_business_days (1 call)  {n / best_window:>12,.0f} /s   "
        f"decide = {best_decide / best_window:4.1f}x its time (target <= 10x)"
    )


if __name__ == "__main__":
    main()
