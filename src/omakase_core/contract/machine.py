"""The contract chart (CON-1, CON-2): the single source of the contract lifecycle table."""

from __future__ import annotations

from typing import Any

from statemachine import StateChart

from omakase_core.contract.model import ContractStatus
from omakase_core.lifecycle import Actor, Lifecycle, by, register, status_state

__all__ = ["CONTRACT_LIFECYCLE", "ContractChart"]


class ContractChart(StateChart[Any]):
    """契約中 → 契約終了 → 利用停止 → 登録抹消, and 契約終了 → 契約中 on reinstatement.

    CON-1: the four statuses and five arrows. CON-2: the contractor requests termination and
    reinstatement; the system (time passing, CON-5) ends the service and purges the data.
    """

    allow_event_without_transition = False
    catch_errors_as_events = False

    active = status_state(ContractStatus.ACTIVE, initial=True)
    terminated = status_state(ContractStatus.TERMINATED)
    service_ended = status_state(ContractStatus.SERVICE_ENDED)
    purged = status_state(ContractStatus.PURGED, final=True)

    request_termination = active.to(terminated, cond=by(Actor.CONTRACTOR))
    reinstate = terminated.to(active, cond=by(Actor.CONTRACTOR))
    end_service = terminated.to(service_ended, cond=by(Actor.SYSTEM))
    purge = service_ended.to(purged, cond=by(Actor.SYSTEM))


CONTRACT_LIFECYCLE: Lifecycle[ContractStatus] = register(
    Lifecycle.compile("contract", ContractChart, ContractStatus)
)
"""The compiled contract lifecycle, also ``LIFECYCLES["contract"]``."""
