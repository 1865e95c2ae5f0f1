"""Benchmark the business calendar; every figure is printed next to a baseline of the same run.

- ``add_business_days`` over 300,000 random (date, n) pairs, |n| <= 40, against a naive
  day-by-day loop over the same holiday set and against ``numpy.busday_offset`` vectorised
  over the same pairs (targets: >= 3x the loop, >= 0.2x numpy; stretch 4x and 0.3x).
- ``import omakase_core`` time next to the import time of its dependencies.
- the memory of one ``BusinessCalendar.japan()``.

Run with ``nox -s bench``; ``--pairs N`` changes the number of pairs.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np

from omakase_core.calendar import BusinessCalendar
from omakase_core.calendar._national import national_holidays

if TYPE_CHECKING:
    from collections.abc import Callable

REPEATS = 5


def best_of(repeats: int, run: Callable[[], object]) -> float:
    """Return the best wall time of ``repeats`` runs, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def make_pairs(count: int, seed: int) -> list[tuple[date, int]]:
    rng = random.Random(seed)
    first, last = date(1956, 1, 1).toordinal(), date(2098, 12, 31).toordinal()
    return [
        (date.fromordinal(rng.randrange(first, last)), rng.choice((-1, 1)) * rng.randint(1, 40))
        for _ in range(count)
    ]


def naive_add(day: date, n: int, holidays: frozenset[date]) -> date:
    """Walk day by day: the loop a portal would write by hand."""
    step = 1 if n > 0 else -1
    one = timedelta(days=step)
    while n:
        day += one
        if day.weekday() < 5 and day not in holidays:
            n -= step
    return day


def bench_add_business_days(count: int) -> None:
    cal = BusinessCalendar.japan()
    holidays = frozenset(national_holidays())
    pairs = make_pairs(count, seed=20261124)
    days = np.array([d for d, _ in pairs], dtype="datetime64[D]")
    steps = np.array([n for _, n in pairs], dtype=np.int64)
    busdaycal = np.busdaycalendar(holidays=np.array(sorted(holidays), dtype="datetime64[D]"))
    forward = steps > 0

    def ours() -> list[date]:
        add = cal.add_business_days
        return [add(d, n) for d, n in pairs]

    def loop() -> list[date]:
        return [naive_add(d, n, holidays) for d, n in pairs]

    def vectorised() -> np.ndarray:  # type: ignore[type-arg]
        # Strict counting as ours: from a day off, +n rolls back first and -n rolls forward.
        out = np.empty_like(days)
        out[forward] = np.busday_offset(
            days[forward], steps[forward], roll="backward", busdaycal=busdaycal
        )
        out[~forward] = np.busday_offset(
            days[~forward], steps[~forward], roll="forward", busdaycal=busdaycal
        )
        return out

    expected = ours()
    if expected != loop() or expected != vectorised().astype(object).tolist():
        sys.exit("add_business_days disagrees with a baseline: the figures would mean nothing")

    t_ours = best_of(REPEATS, ours)
    t_loop = best_of(max(1, REPEATS // 2), loop)
    t_numpy = best_of(REPEATS, vectorised)
    rate = count / t_ours
    print(f"add_business_days over {count:,} pairs (1 <= |n| <= 40), best of {REPEATS}:")
    print(f"  omakase_core          {rate:>14,.0f} /s")
    print(f"  naive day-by-day loop {count / t_loop:>14,.0f} /s   ours = {t_loop / t_ours:5.2f}x")
    print(f"  numpy.busday_offset   {count / t_numpy:>14,.0f} /s   ours = {t_numpy / t_ours:5.2f}x")
    print("  targets: >= 3x the loop (stretch 4x), >= 0.2x numpy (stretch 0.3x)")


def run_python(code: str) -> str:
    """Run ``code`` in a fresh interpreter and return what it printed."""
    command = [sys.executable, "-c", code]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603  # our own code


def import_time(module: str) -> float:
    """Return the median wall time of importing ``module`` in a fresh interpreter."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    return statistics.median(float(run_python(code)) for _ in range(REPEATS))


def bench_imports() -> None:
    ours = import_time("omakase_core")
    print(f"import time, median of {REPEATS} fresh interpreters:")
    print(f"  omakase_core          {ours * 1000:8.1f} ms")
    for module in ("attrs", "statemachine", "pendulum", "holidays"):
        theirs = import_time(module)
        print(f"  {module:<21} {theirs * 1000:8.1f} ms   omakase_core = {ours / theirs:5.2f}x")


def calendar_memory() -> None:
    code = """
import gc, tracemalloc
import holidays
from omakase_core.calendar import BusinessCalendar
from omakase_core.calendar._national import national_holidays
tracemalloc.start()
national_holidays()
gc.collect()
dependency = tracemalloc.get_traced_memory()[0]
BusinessCalendar.japan()
first = tracemalloc.get_traced_memory()[0] - dependency
BusinessCalendar.japan(year_end_closure=True)
further = tracemalloc.get_traced_memory()[0] - dependency - first
print(dependency, first, further)
"""
    dependency, first, further = (int(n) / 1024 for n in run_python(code).split())
    print("memory (tracemalloc):")
    print(f"  holidays' Japan data, 1955-2099 (the dependency)    {dependency:8.0f} KiB")
    print(f"  the first BusinessCalendar.japan() (shared tables)  {first:8.0f} KiB")
    print(f"  each further calendar configuration                 {further:8.0f} KiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pairs", type=int, default=300_000)
    args = parser.parse_args()
    bench_add_business_days(args.pairs)
    print()
    bench_imports()
    print()
    calendar_memory()


if __name__ == "__main__":
    main()
