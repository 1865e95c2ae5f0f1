"""Worker processes of the adapter tests (PORT-5, PORT-6): module-level, so "spawn" finds them."""

from __future__ import annotations

import os
import signal
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Final

from omakase_core.adapters.postgres import PostgresStore
from omakase_core.adapters.sqlite import SqliteStore
from omakase_core.contract import ContractService
from omakase_core.delivery import RetryPolicy, deliver_pending
from omakase_core.messages import NotificationSettings
from omakase_core.principal import Principal
from omakase_core.testing import FixedClock

if TYPE_CHECKING:
    from datetime import datetime

    from omakase_core.adapters._sql import SqlStore
    from omakase_core.messages import Message

LEASE: Final = timedelta(minutes=5)
"""How long the delivery workers here hold what they claim."""
SETTINGS: Final = NotificationSettings(
    contractor_login_url="https://portal.example.jp/contractor/login",
    first_login_url="https://portal.example.jp/first-login",
)


def sweep(conninfo: str, now: datetime, limit: int, barrier: Any, results: Any) -> None:
    """Sweep the contracts due at ``now`` in claimed batches; put what changed on ``results``.

    This is the loop a portal's sweep worker runs: claim up to ``limit`` due contracts, run
    ``ContractService.apply_due`` over the claimed batch, commit, until a claim comes back
    short. ``barrier`` makes the workers start together.
    """
    changed: list[str] = []
    conflicts: list[str] = []
    try:
        with PostgresStore(conninfo) as store:
            barrier.wait()
            while True:
                with store.contracts.claim_due(now, limit=limit) as batch:
                    service = ContractService(
                        contracts=batch, clock=FixedClock(now), directory=store.directory
                    )
                    report = service.apply_due(now, by=Principal.system())
                changed += report.changed
                conflicts += report.conflicts
                if len(batch.claimed) < limit:
                    break
    except BaseException as error:  # reported to the test, which fails
        results.put(("error", f"{type(error).__name__}: {error}"))
        return
    results.put((changed, conflicts))


def open_store(kind: str, target: str) -> SqlStore:
    """Open the store of ``kind`` (``"sqlite"`` or ``"postgres"``) on ``target``."""
    if kind == "sqlite":
        return SqliteStore(target)
    return PostgresStore(target)


def claim_all(  # noqa: PLR0917  # a Process target: its args come in order
    kind: str, target: str, now: datetime, limit: int, barrier: Any, results: Any
) -> None:
    """Claim outbox records ``limit`` at a time until none is due; put the keys on ``results``.

    Each claimed record is marked delivered, so the worker's next claim goes on with the
    others. Several of these processes at once must never claim one record twice (PORT-6).
    """
    claimed: list[str] = []
    try:
        with open_store(kind, target) as store:  # type: ignore[attr-defined]  # both close
            barrier.wait()
            while records := store.outbox.claim(now=now, limit=limit, lease=LEASE):
                for record in records:
                    claimed.append(record.key)
                    store.outbox.mark_delivered(record.key, at=now)
    except BaseException as error:  # reported to the test, which fails
        results.put(("error", f"{type(error).__name__}: {error}"))
        return
    results.put(("claimed", claimed))


class _CrashingNotifier:
    """Write each message's key to ``log`` (one line, unbuffered); die at the ``sends``-th.

    The process kills itself with ``SIGKILL`` right after that message went out, before
    the worker could mark its record delivered: no ``finally``, no report to the outbox,
    the way a worker's machine dies.
    """

    def __init__(self, log: str, sends: int) -> None:
        self._log = log
        self._left = sends

    def send(self, message: Message) -> None:
        descriptor = os.open(self._log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        try:
            os.write(descriptor, f"{message.key}\n".encode())
        finally:
            os.close(descriptor)
        self._left -= 1
        if self._left == 0:
            os.kill(os.getpid(), signal.SIGKILL)


def deliver_then_crash(kind: str, target: str, now: datetime, log: str, sends: int) -> None:
    """Run ``deliver_pending`` at ``now`` with a notifier that kills the process mid-batch."""
    with open_store(kind, target) as store:  # type: ignore[attr-defined]  # both close
        deliver_pending(
            store.outbox,
            _CrashingNotifier(log, sends),
            clock=FixedClock(now),
            settings=SETTINGS,
            policy=RetryPolicy(lease=LEASE),
        )
