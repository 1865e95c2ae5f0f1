"""The contract chart (CON-1, CON-2): the single source of the contract lifecycle table.

SEC-2: ``ContractChart(model, …)``, python-statemachine's own entry (to draw the chart or
replay events), checks its arguments as every chart does (the core's
:class:`~omakase_core._charts.CheckedChart`): its start value is a :class:`ContractStatus`
member of the chart, never a plain value or label.
"""

from __future__ import annotations

from omakase_core._charts import CheckedChart
from omakase_core.contract.model import ContractStatus
from omakase_core.lifecycle import Actor, Lifecycle, by, register, status_state

__all__ = ["CONTRACT_LIFECYCLE", "ContractChart"]


class ContractChart(CheckedChart[ContractStatus]):
    """契約中 → 契約終了 → 利用終了 → 登録抹消, and 契約終了 → 契約中 on reinstatement.

    CON-1: the four statuses and five arrows. CON-2: the contractor requests termination and
    reinstatement; the system (time passing, CON-5) ends the service and purges the data.
    """

    active = status_state(ContractStatus.ACTIVE, initial=True)
    terminated = status_state(ContractStatus.TERMINATED)
    service_ended = status_state(ContractStatus.SERVICE_ENDED)
    purged = status_state(ContractStatus.PURGED, final=True)

    request_termination = active.to(terminated, cond=by(Actor.CONTRACTOR))
    reinstate = terminated.to(active, cond=by(Actor.CONTRACTOR))
    end_service = terminated.to(service_ended, cond=by(Actor.SYSTEM))
    purge = service_ended.to(purged, cond=by(Actor.SYSTEM))


CONTRACT_LIFECYCLE: Lifecycle[ContractStatus] = register(
    Lifecycle.compile("contract", ContractChart, ContractStatus, rule="CON-1", actor_rule="CON-2")
)
"""The compiled contract lifecycle, also ``LIFECYCLES["contract"]``."""
