"""Benchmark the cold start: a fresh process's first deadline, next to its baselines.

Each figure is the median wall time of ``--runs`` fresh interpreters (default 9, at least
5), started one after another in the same run:

- ``python -c pass``: the interpreter alone;
- ``import omakase_core`` alone;
- the cold start (target <= 100 ms): ``import omakase_core``, then the first
  ``explain_period_end`` (extended to a business day, CAL-7) and ``add_business_days``;
- ``import holidays`` and ``jpholiday``'s first look-up, what a process pays to ask either
  package once (each skipped, and said so, when the package is not installed; the bench
  group installs both).

Run with ``nox -s bench``; other benchmarks' options (``--pairs``) are ignored here.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import time

TARGET_MS = 100.0
MIN_RUNS = 5

COLD_START = """\
from datetime import datetime
import omakase_core
from omakase_core.calendar import JST, BusinessCalendar, explain_period_end
cal = BusinessCalendar.japan()
deadline = explain_period_end(
    datetime(2026, 11, 1, 10, 0, tzinfo=JST), days=14, extend_to_business_day=cal
)
assert cal.add_business_days(deadline.last_day, 5) == datetime(2026, 11, 24).date()
"""

CASES: dict[str, str] = {
    "python -c pass": "pass",
    "import omakase_core": "import omakase_core",
    "omakase_core first deadline": COLD_START,
}

BASELINES: dict[str, tuple[str, str]] = {
    "import holidays": ("holidays", "import holidays"),
    "jpholiday first look-up": (
        "jpholiday",
        "import datetime, jpholiday; jpholiday.is_holiday(datetime.date(2026, 5, 6))",
    ),
}


def median_ms(code: str, runs: int) -> float:
    """Return the median wall time of ``runs`` fresh interpreters running ``code``, in ms."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)  # noqa: S603  # our own code
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="fresh interpreters per figure")
    args, _ = parser.parse_known_args()
    runs = max(args.runs, MIN_RUNS)
    cases = dict(CASES)
    for name, (package, code) in BASELINES.items():
        if importlib.util.find_spec(package) is None:
            print(f"  {name}: skipped, {package} is not installed here")
        else:
            cases[name] = code
    for code in cases.values():  # warm the file cache and the .pyc files once
        subprocess.run([sys.executable, "-c", code], check=True)  # noqa: S603  # our own code
    figures = {name: median_ms(code, runs) for name, code in cases.items()}
    bare = figures["python -c pass"]
    print(f"cold start, median of {runs} fresh interpreters each:")
    for name, ms in figures.items():
        print(f"  {name:<30} {ms:7.1f} ms  ({ms - bare:+6.1f} ms over python -c pass)")
    cold = figures["omakase_core first deadline"]
    verdict = "within" if cold <= TARGET_MS else "OVER"
    print(f"  first deadline: {cold:.1f} ms, {verdict} the {TARGET_MS:.0f} ms target")


if __name__ == "__main__":
    main()
