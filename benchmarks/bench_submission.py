"""Benchmark document steps through the submission service against ``Lifecycle.fire`` alone.

100,000 random documents (one new installation each, all data guards satisfied up front)
are driven through random valid event sequences, once through ``SubmissionService`` over
the in-memory adapters (principal, load, ownership and version checks (SEC-1, SEC-3),
guards, new aggregate, event, versioned save, outbox) and once as bare ``Lifecycle.fire``
calls on the same steps. Each step is sent by the application's customer or by an operator,
as its chart says. The ratio shows the service's
overhead (target: the service path within 20x of bare fire). Run with ``nox -s bench``.

Both timed loops run with the garbage collector paused, as :mod:`timeit` times by default:
the cost of a full collection is the whole process's heap, not the step's, and here the
heap is the benchmark's own world — the in-memory outbox keeps every one of the run's
events, so each full collection scans all of them again (a SQL outbox keeps them out of the
heap). The same steps are then run once more on a fresh copy with the collector running,
and that figure is printed beneath, for comparison.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time
from datetime import date, datetime

from omakase_core.calendar import JST
from omakase_core.lifecycle import Actor
from omakase_core.principal import Principal
from omakase_core.submission import (
    ASP,
    Contact,
    DocumentKind,
    FaultContacts,
    Menu,
    SiteName,
    SubmissionService,
    SubmissionStatus,
)
from omakase_core.testing import FixedClock, InMemoryStore

KINDS = (
    DocumentKind.APPLICATION_FORM,
    DocumentKind.LAN_PARAMETERS,
    DocumentKind.INSTALLATION_SUPPLIES,
    DocumentKind.FAULT_CONTACTS,
)
CONTACTS = FaultContacts(
    first=Contact(
        company="株式会社豊洲",
        department="情報部",
        name="豊洲太郎",
        phone="08012345678",
        email="a@example.co.jp",
    )
)


def random_walk(
    kind: DocumentKind, status: SubmissionStatus, rng: random.Random, length: int
) -> list[tuple[str, Actor]]:
    """Return up to ``length`` valid (event, actor) steps through ``kind``'s lifecycle."""
    lifecycle = kind.lifecycle
    steps: list[tuple[str, Actor]] = []
    for _ in range(length):
        rows = sorted(
            (row for row in lifecycle.transitions if row.source is status),
            key=lambda row: (row.event, row.actor.value),
        )
        if not rows:
            break
        row = rng.choice(rows)
        steps.append((row.event, row.actor))
        status = row.target
    return steps


OPERATOR = Principal.operator("nttdata-1")

Step = tuple[str, DocumentKind, str, Actor, Principal]
"""An application, a document, an event, the chart's actor and the principal who sends it."""


def build(count: int, seed: int) -> tuple[SubmissionService, list[Step]]:
    """Create ``count`` prepared applications; return the service and the steps to take."""
    rng = random.Random(seed)
    clock = FixedClock(datetime(2025, 4, 2, 10, 0, tzinfo=JST))
    store = InMemoryStore()
    service = SubmissionService(applications=store.applications, clock=clock, sites=store.sites)
    steps: list[Step] = []
    for number in range(count):
        app_id = f"app-{number:06d}"
        customer = Principal.customer(f"cust-{number:06d}")
        who = {Actor.CUSTOMER: customer, Actor.OPERATOR: OPERATOR}
        service.create_new_installation(
            app_id,
            by=customer,
            site=SiteName(company_abbrev="ACME", location=f"S{number % 1000}"),
            menu=Menu.BASIC,
            asps=[ASP.SDS],
            bandwidth_mbps=100,
            weekday_daytime=True,
            contact_email="it@example.co.jp",
        )
        kind = KINDS[number % len(KINDS)]
        if kind is DocumentKind.APPLICATION_FORM:
            service.upload(app_id, kind, "form.pdf", by=customer)
            service.record_construction_completed(app_id, date(2025, 4, 1), by=OPERATOR)
        elif kind is DocumentKind.LAN_PARAMETERS:
            service.send(app_id, kind, "publish_sheet", by=OPERATOR)
            service.upload(app_id, kind, "sheet.xlsx", by=customer)
        elif kind is DocumentKind.FAULT_CONTACTS:
            service.set_fault_contacts(app_id, kind, CONTACTS, by=customer)
        start = service.get(app_id, by=customer).document(kind).status
        lifecycle = kind.lifecycle
        walk = random_walk(kind, start, rng, 8)
        status: SubmissionStatus = start
        for event, actor in walk:
            status = lifecycle.fire(status, event, actor=actor)
            steps.append((app_id, kind, event, actor, who[actor]))
    return service, steps


Lists = tuple[
    list[str], list[DocumentKind], list[str], list[Actor], list[Principal], list[str | None]
]
"""The steps as flat lists: application ids, kinds, events, actors, principals, comments."""


def flat(steps: list[Step]) -> Lists:
    """Return ``steps`` as flat lists, so the harness's own objects stay few."""
    events = [step[2] for step in steps]
    return (
        [step[0] for step in steps],
        [step[1] for step in steps],
        events,
        [step[3] for step in steps],
        [step[4] for step in steps],
        ["ご確認ください" if event == "send_back" else None for event in events],
    )


def through_service(service: SubmissionService, lists: Lists, *, collector: bool) -> float:
    """Return the seconds ``service.send`` takes over every step, the collector on or paused."""
    app_ids, kinds, events, _, principals, comments = lists
    gc.collect()
    if not collector:
        gc.disable()
    try:
        start = time.perf_counter()
        send = service.send
        for app_id, kind, event, by, comment in zip(
            app_ids, kinds, events, principals, comments, strict=True
        ):
            send(app_id, kind, event, by=by, comment=comment)
        return time.perf_counter() - start
    finally:
        gc.enable()


def bare_fire(starts: dict[tuple[str, DocumentKind], SubmissionStatus], lists: Lists) -> float:
    """Return the seconds bare ``Lifecycle.fire`` takes over the same steps (collector paused)."""
    app_ids, kinds, events, actors, _, _ = lists
    status = dict(starts)
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        for app_id, kind, event, actor in zip(app_ids, kinds, events, actors, strict=True):
            key = (app_id, kind)
            status[key] = kind.lifecycle.fire(status[key], event, actor=actor)
        return time.perf_counter() - start
    finally:
        gc.enable()


def main() -> None:
    parser = argparse.ArgumentParser(description="submission service vs Lifecycle.fire")
    parser.add_argument("--documents", type=int, default=100_000)
    args = parser.parse_args()
    service, steps = build(args.documents, seed=11)
    starts = {
        (app_id, kind): service.get(app_id, by=OPERATOR).document(kind).status
        for app_id, kind, _, _, _ in steps
    }
    lists = flat(steps)
    del steps
    bare = statistics.median(bare_fire(starts, lists) for _ in range(5))  # cheap: five runs
    paused = through_service(service, lists, collector=False)
    expected = dict(starts)
    for app_id, kind, event, actor in zip(*lists[:4], strict=True):
        expected[app_id, kind] = kind.lifecycle.fire(expected[app_id, kind], event, actor=actor)
    if any(
        service.get(a, by=OPERATOR).document(k).status is not s for (a, k), s in expected.items()
    ):
        raise SystemExit("the service and bare fire disagree: the figures would mean nothing")
    del service
    again, _ = build(args.documents, seed=11)  # the same documents, fresh, for the second run
    collected = through_service(again, lists, collector=True)

    n = len(lists[0])
    print(f"{args.documents:,} documents, {n:,} random valid steps:")
    print(f"  Lifecycle.fire alone         {n / bare:>12,.0f} steps/s")
    print(
        f"  SubmissionService.send       {n / paused:>12,.0f} steps/s   "
        f"= {paused / bare:5.1f}x the time of bare fire (target <= 20x)"
    )
    print(
        f"    with the collector running {n / collected:>12,.0f} steps/s   "
        f"= {collected / bare:5.1f}x (the in-memory outbox keeps every event in the heap)"
    )


if __name__ == "__main__":
    main()
