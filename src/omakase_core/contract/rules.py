"""Pure rules of the contract: the termination timeline and what time has made due.

CON-3: a termination requested at instant t ends the service at the end of the 14-day
period from t and purges the registration at the end of the 45-day period from t, both
counted under CAL-4 (初日不算入) and returned as exclusive JST instants.

CON-5: 利用停止 and 登録抹消 happen because time passed. :func:`due_transitions` tells, for a
given "now", which of them are due; applying them is the aggregate's job.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Final

import attrs

from omakase_core.calendar import period_end, to_jst
from omakase_core.contract.machine import CONTRACT_LIFECYCLE
from omakase_core.contract.model import ContractStatus, TerminationTimeline
from omakase_core.lifecycle import Actor, Transition

if TYPE_CHECKING:
    from omakase_core.contract.aggregate import Contract

__all__ = [
    "PURGE_DAYS",
    "REINSTATEMENT_DAYS",
    "DueTransition",
    "due_transitions",
    "termination_timeline",
]

REINSTATEMENT_DAYS: Final = 14
"""CON-3/CON-4: days after the request during which reinstatement is possible."""

PURGE_DAYS: Final = 45
"""CON-3: days after the request after which the registration data is purged."""


def termination_timeline(requested_at: datetime) -> TerminationTimeline:
    """Return the instants of a termination requested at ``requested_at`` (CON-3).

    >>> from omakase_core.calendar import JST
    >>> timeline = termination_timeline(datetime(2026, 11, 1, 10, 0, tzinfo=JST))
    >>> timeline.reinstatable_until.isoformat(), timeline.purge_at.isoformat()
    ('2026-11-16T00:00:00+09:00', '2026-12-17T00:00:00+09:00')
    """
    at = to_jst(requested_at, field="requested_at")
    service_ends_at = period_end(at, days=REINSTATEMENT_DAYS)
    return TerminationTimeline(
        requested_at=at,
        reinstatable_until=service_ends_at,
        service_ends_at=service_ends_at,
        purge_at=period_end(at, days=PURGE_DAYS),
    )


@attrs.frozen(kw_only=True)
class DueTransition:
    """A time-driven transition (CON-5) and the instant it became due."""

    transition: Transition[ContractStatus]
    due_at: datetime


def _transition(source: ContractStatus, event: str) -> Transition[ContractStatus]:
    target = CONTRACT_LIFECYCLE.fire(source, event, actor=Actor.SYSTEM)
    return Transition(source=source, target=target, event=event, actor=Actor.SYSTEM)


_END_SERVICE: Final = _transition(ContractStatus.TERMINATED, "end_service")
_PURGE: Final = _transition(ContractStatus.SERVICE_ENDED, "purge")


def due_transitions(contract: Contract, now: datetime) -> tuple[DueTransition, ...]:
    """Return the time-driven transitions due for ``contract`` at ``now``, in order (CON-5).

    A contract terminated long ago and never swept gets both: 利用停止 then 登録抹消.
    A contract with nothing due gets an empty tuple, so applying twice does nothing.
    """
    instant = to_jst(now, field="now")
    timeline = contract.termination
    if timeline is None:
        return ()
    due: list[DueTransition] = []
    status = contract.status
    if status is ContractStatus.TERMINATED and instant >= timeline.service_ends_at:
        due.append(DueTransition(transition=_END_SERVICE, due_at=timeline.service_ends_at))
        status = ContractStatus.SERVICE_ENDED
    if status is ContractStatus.SERVICE_ENDED and instant >= timeline.purge_at:
        due.append(DueTransition(transition=_PURGE, due_at=timeline.purge_at))
    return tuple(due)
