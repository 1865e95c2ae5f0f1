"""Benchmark document steps through the submission service against ``Lifecycle.fire`` alone.

100,000 random documents (one new installation each, all data guards satisfied up front)
are driven through random valid event sequences, once through ``SubmissionService`` over
the in-memory adapters (principal, load, ownership and version checks (SEC-1, SEC-3),
guards, new aggregate, event, versioned save, outbox) and once as bare ``Lifecycle.fire``
calls on the same steps. Each step is sent by the application's customer or by an operator,
as its chart says. The ratio shows the service's
overhead (target: the service path within 20x of bare fire). Run with ``nox -s bench``.
"""

from __future__ import annotations

import argparse
import random
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


def main() -> None:
    parser = argparse.ArgumentParser(description="submission service vs Lifecycle.fire")
    parser.add_argument("--documents", type=int, default=100_000)
    args = parser.parse_args()
    service, steps = build(args.documents, seed=11)
    starts = {
        (app_id, kind): service.get(app_id, by=OPERATOR).document(kind).status
        for app_id, kind, _, _, _ in steps
    }

    start = time.perf_counter()
    status = dict(starts)
    for app_id, kind, event, actor, _ in steps:
        key = (app_id, kind)
        status[key] = kind.lifecycle.fire(status[key], event, actor=actor)
    bare = time.perf_counter() - start

    start = time.perf_counter()
    send = service.send
    for app_id, kind, event, _, by in steps:
        comment = "ご確認ください" if event == "send_back" else None
        send(app_id, kind, event, by=by, comment=comment)
    through_service = time.perf_counter() - start

    if any(service.get(a, by=OPERATOR).document(k).status is not s for (a, k), s in status.items()):
        raise SystemExit("the service and bare fire disagree: the figures would mean nothing")
    n = len(steps)
    print(f"{args.documents:,} documents, {n:,} random valid steps:")
    print(f"  Lifecycle.fire alone         {n / bare:>12,.0f} steps/s")
    print(
        f"  SubmissionService.send       {n / through_service:>12,.0f} steps/s   "
        f"= {through_service / bare:5.1f}x the time of bare fire (target <= 20x)"
    )


if __name__ == "__main__":
    main()
