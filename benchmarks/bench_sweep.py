"""Benchmark ``ContractService.apply_due`` over 1,000,000 contracts in the in-memory adapter.

A fifth of the contracts were terminated at random instants over the 60 days before the
sweep, so the sweep ends the service of most of those and purges some. The sweep's time
is printed next to a plain loop doing the same status updates over plain tuples in the
same run (target: the sweep <= 3 s on this 2-core machine). Memory per contract is
measured with tracemalloc on a sample built the same way (target <= 1 KiB).

Run with ``nox -s bench``; ``--contracts N`` changes the size.
"""

from __future__ import annotations

import argparse
import gc
import random
import time
import tracemalloc
from datetime import datetime, timedelta

from omakase_core.calendar import JST
from omakase_core.contract import (
    Contract,
    Contractor,
    ContractService,
    ContractStatus,
    termination_timeline,
)
from omakase_core.lifecycle import Actor
from omakase_core.principal import Principal
from omakase_core.testing import (
    FixedClock,
    InMemoryContractRepository,
    InMemoryOutbox,
    InMemoryUserDirectory,
)

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=JST)
OPENED = NOW - timedelta(days=400)
TERMINATED_SHARE = 0.2
NAMES = ("山田 太郎", "佐藤 花子", "鈴木 一郎", "高橋 美咲", "田中 健")


def build(count: int, seed: int) -> tuple[InMemoryContractRepository, list[datetime | None]]:
    """Return a repository of ``count`` contracts and each one's termination instant."""
    rng = random.Random(seed)
    repo = InMemoryContractRepository(InMemoryOutbox())
    requested_at: list[datetime | None] = []
    for number in range(count):
        contract = Contract.open(
            id=f"contract-{number:07d}",
            contractor=Contractor(name=NAMES[number % 5], email=f"owner{number}@example.co.jp"),
            opened_at=OPENED,
        )
        at = None
        if rng.random() < TERMINATED_SHARE:
            at = NOW - timedelta(minutes=rng.randrange(60 * 24 * 60))
            contract = contract.request_termination(actor=Actor.CONTRACTOR, at=at)
        repo.add(contract)
        requested_at.append(at)
    return repo, requested_at


def plain_loop(requested_at: list[datetime | None]) -> tuple[int, int]:
    """Sweep plain (status, service end, purge) tuples: the baseline without the library."""
    timelines = [None if at is None else termination_timeline(at) for at in requested_at]
    rows = [
        ("active", None, None) if t is None else ("terminated", t.service_ends_at, t.purge_at)
        for t in timelines
    ]
    start = time.perf_counter()
    changed = events = 0
    out = []
    for status, ends, purge in rows:
        new_status = status
        if status == "terminated" and ends is not None and purge is not None and ends <= NOW:
            new_status = "purged" if purge <= NOW else "service_ended"
            changed += 1
            events += 2 if new_status == "purged" else 1
        out.append(new_status)
    elapsed = time.perf_counter() - start
    return changed, int(elapsed * 1e6)


def memory_per_contract(count: int) -> float:
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    repo, _ = build(count, seed=7)
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del repo
    return (after - before) / count


def main() -> None:
    parser = argparse.ArgumentParser(description="apply_due over many contracts")
    parser.add_argument("--contracts", type=int, default=1_000_000)
    parser.add_argument("--memory-sample", type=int, default=100_000)
    args = parser.parse_args()

    started = time.perf_counter()
    repo, requested_at = build(args.contracts, seed=1)
    print(f"built {args.contracts:,} contracts in {time.perf_counter() - started:.1f} s")
    service = ContractService(
        contracts=repo, clock=FixedClock(NOW), directory=InMemoryUserDirectory()
    )
    gc.collect()
    start = time.perf_counter()
    report = service.apply_due(NOW, by=Principal.system())
    sweep = time.perf_counter() - start
    again_start = time.perf_counter()
    again = service.apply_due(NOW, by=Principal.system())
    second = time.perf_counter() - again_start
    changed, baseline_us = plain_loop(requested_at)
    if changed != len(report.changed) or again.changed:
        raise SystemExit("the sweep and the baseline disagree: the figures would mean nothing")
    baseline = baseline_us / 1e6
    statuses = dict.fromkeys(ContractStatus, 0)
    for contract in repo:
        statuses[contract.status] += 1
    print(f"sweep of {args.contracts:,} contracts at {NOW.isoformat()}:")
    print(f"  changed {len(report.changed):,} contracts, recorded {report.events:,} events")
    print("  statuses after: " + ", ".join(f"{s.label} {n:,}" for s, n in statuses.items()))
    print(f"  apply_due                    {sweep:7.2f} s   (target <= 3 s)")
    print(
        f"  plain loop over all tuples   {baseline:7.2f} s   "
        f"apply_due = {sweep / baseline:5.1f}x the plain loop"
    )
    print(f"  second sweep (nothing due)   {second:7.2f} s")
    per_contract = memory_per_contract(args.memory_sample)
    print(
        f"memory per contract (tracemalloc, {args.memory_sample:,} built the same way, "
        f"outbox included): {per_contract:,.0f} bytes (target <= 1024)"
    )


if __name__ == "__main__":
    main()
