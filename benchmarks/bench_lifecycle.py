"""Benchmark ``Lifecycle.fire`` against python-statemachine's ``send`` and a plain dict.

All three walk the same contract chart through the same valid cycle (terminate,
reinstate, …) in one run; the figures are printed as ratios (target: fire >= 20x faster
than send, stretch 100x). Run with ``nox -s bench``.
"""

from __future__ import annotations

import argparse
import time
from typing import TYPE_CHECKING

from omakase_core import LIFECYCLES, Actor

if TYPE_CHECKING:
    from collections.abc import Callable

    from omakase_core.contract import ContractStatus

REPEATS = 5
CYCLE = (("request_termination", Actor.CONTRACTOR), ("reinstate", Actor.CONTRACTOR))


def best_rate(steps: int, run: Callable[[int], object]) -> float:
    """Return the best steps-per-second of ``REPEATS`` runs."""
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        run(steps)
        best = min(best, time.perf_counter() - start)
    return steps / best


def main() -> None:
    parser = argparse.ArgumentParser(description="Lifecycle.fire vs python-statemachine")
    parser.add_argument("--steps", type=int, default=200_000)
    args = parser.parse_args()
    lifecycle = LIFECYCLES["contract"]
    events = [CYCLE[i % 2] for i in range(args.steps)]
    table = {(row.source, row.event, row.actor): row.target for row in lifecycle.transitions}

    def fire(steps: int) -> ContractStatus:
        status, run = lifecycle.initial, lifecycle.fire
        for event, actor in events[:steps]:
            status = run(status, event, actor=actor)
        return status

    def plain_dict(steps: int) -> ContractStatus:
        status = lifecycle.initial
        for event, actor in events[:steps]:
            status = table[(status, event, actor)]
        return status

    def send(steps: int) -> object:
        machine = lifecycle.chart()
        for event, actor in events[:steps]:
            machine.send(event, actor=actor)
        return machine.current_state_value

    if fire(1000) is not send(1000) or fire(1000) is not plain_dict(1000):
        raise SystemExit("the three engines disagree: the figures would mean nothing")
    rate_fire = best_rate(args.steps, fire)
    rate_dict = best_rate(args.steps, plain_dict)
    rate_send = best_rate(max(1, args.steps // 20), send)
    print(f"contract chart, the terminate/reinstate cycle, best of {REPEATS}:")
    print(f"  Lifecycle.fire             {rate_fire:>14,.0f} steps/s")
    print(
        f"  python-statemachine send   {rate_send:>14,.0f} steps/s   "
        f"fire = {rate_fire / rate_send:7.1f}x faster (target 20x, stretch 100x)"
    )
    print(
        f"  plain dict lookup          {rate_dict:>14,.0f} steps/s   "
        f"fire = {rate_fire / rate_dict:7.2f}x the bare lookup"
    )


if __name__ == "__main__":
    main()
