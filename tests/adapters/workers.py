"""A sweep worker process for the PostgreSQL tests (PORT-5): module-level, so "spawn" finds it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from omakase_core.adapters.postgres import PostgresStore
from omakase_core.contract import ContractService
from omakase_core.principal import Principal
from omakase_core.testing import FixedClock

if TYPE_CHECKING:
    from datetime import datetime


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
