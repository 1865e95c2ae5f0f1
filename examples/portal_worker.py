"""A portal's background worker: sweep the contracts, drain the outbox over SMTP (PORT-6, CON-10).

One pass of :func:`worker_pass` is what a scheduler (cron, a systemd timer, a Celery beat)
runs every minute or so, against the shipped SQLite adapter here (PostgreSQL the same way):

1. the sweep claims the contracts that fell due and runs ``ContractService.apply_due`` over
   the claimed batch (CON-5; at 登録抹消 it erases the personal data, CON-10);
2. the delivery worker claims the due outbox records and sends their messages with the
   :class:`~omakase_core.adapters.smtp.SmtpNotifier`, retrying failures with backoff and
   dead-lettering what keeps failing (PORT-6).

In production the clock is :class:`omakase_core.SystemClock`; this demo moves a
:class:`~omakase_core.testing.FixedClock` by hand so the days pass in a second. It starts
a local SMTP server (``aiosmtpd``) on 127.0.0.1, first down (the records wait and are
retried), then up.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import pathlib
import socket
import tempfile
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from aiosmtpd.controller import Controller

from omakase_core import SystemClock
from omakase_core.adapters.smtp import SmtpNotifier, SmtpSecurity
from omakase_core.adapters.sqlite import SqliteStore
from omakase_core.calendar import JST
from omakase_core.contract import Contractor, ContractService
from omakase_core.delivery import DeliveryReport, RetryPolicy, deliver_pending
from omakase_core.messages import NotificationSettings
from omakase_core.principal import Principal
from omakase_core.testing import FixedClock

if TYPE_CHECKING:
    from collections.abc import Iterator

    from omakase_core.ports import Clock, Notifier

SETTINGS = NotificationSettings(
    contractor_login_url="https://portal.example.jp/contractor/login",
    first_login_url="https://portal.example.jp/first-login",
)
POLICY = RetryPolicy(max_attempts=5, base=timedelta(minutes=1), cap=timedelta(minutes=30))
BATCH = 100


def worker_pass(store: SqliteStore, notifier: Notifier, *, clock: Clock) -> DeliveryReport:
    """Sweep every due contract, then deliver what is due in the outbox; return the delivery."""
    now = clock.now()
    while True:
        with store.contracts.claim_due(now, limit=BATCH) as batch:
            sweeper = ContractService(contracts=batch, clock=clock, directory=store.directory)
            sweeper.apply_due(now, by=Principal.system())
        if len(batch.claimed) < BATCH:
            break
    return deliver_pending(store.outbox, notifier, clock=clock, settings=SETTINGS, policy=POLICY)


class Inbox:
    """The local SMTP server's handler: it keeps every mail it receives."""

    def __init__(self) -> None:
        self.mails: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802  # aiosmtpd's hook name
        """Keep the received mail, parsed; accept it."""
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.mails.append(parsed)
        return "250 OK"


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 nobody listens on (yet)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def smtp_server(port: int, inbox: Inbox) -> Iterator[None]:
    """Run a local SMTP server on ``port`` while the block runs."""
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield
    finally:
        controller.stop()


def main() -> None:
    """Two contracts, a mail server that is down for a while, a purge 46 days later."""
    port, inbox = free_port(), Inbox()
    notifier = SmtpNotifier(
        host="127.0.0.1",
        port=port,
        security=SmtpSecurity.PLAIN,  # a local relay; use STARTTLS or SSL across a network
        sender="noreply@portal.example.jp",
        sender_name="おまかせログイン事務局",
        timeout=5,
    )
    with (
        tempfile.TemporaryDirectory() as folder,
        SqliteStore(pathlib.Path(folder) / "p.db") as store,
    ):
        clock = FixedClock(datetime(2026, 11, 1, 10, 0, tzinfo=JST))
        service = ContractService(contracts=store.contracts, clock=clock, directory=store.directory)
        staff = Principal.operator("staff-1")
        for number, name in ((1, "山田 太郎"), (2, "佐藤 花子")):
            owner = Contractor(name=name, email=f"owner{number}@example.co.jp")
            service.open_contract(f"c-{number}", contractor=owner, by=staff)
            store.directory.issue_administrator(f"c-{number}", owner)
            service.request_termination(f"c-{number}", by=Principal.contractor(f"c-{number}"))

        report = worker_pass(store, notifier, clock=clock)  # the mail server is down
        record = store.outbox.get("contract:c-1:1")
        print(
            f"server down: {len(report.failed)} failed, next attempt of c-1's notice at "
            f"{record.next_attempt_at:%H:%M} (attempt {record.attempts} of {POLICY.max_attempts})"
        )

        with smtp_server(port, inbox):
            clock.advance(POLICY.base)
            report = worker_pass(store, notifier, clock=clock)
            print(f"server up: {len(report.delivered)} delivered, {report.messages_sent} mails")
            for mail in inbox.mails:
                print(f"  to {mail['To']}: {mail['Subject']}  {mail['Message-ID']}")

            clock.advance(days=46)
            report = worker_pass(store, notifier, clock=clock)
            purged = store.contracts.get("c-1")
            print(
                f"day 46: c-1 is {purged.status.label}, contractor {purged.contractor.email}, "
                f"accounts left {len(store.directory.accounts('c-1'))}"
            )

        idle = worker_pass(store, notifier, clock=SystemClock())
        print(f"a pass on the system clock finds nothing to do: {idle.delivered == ()}")


if __name__ == "__main__":
    main()
