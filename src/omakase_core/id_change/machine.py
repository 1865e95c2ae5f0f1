"""The ID-count change application chart (IDC-2, IDC-8).

The chart holds the states and who may move between them; :class:`IdChangeStatus` (in
:mod:`omakase_core.id_change.model`) names the states. The service passes the acting
principal's actor (``by.actor``), so an operator command sent by a customer, or a customer
command sent by an operator, is refused here with a permission error (SEC-1).

SEC-2: ``IdChangeChart(model, …)``, python-statemachine's own entry (to draw the chart or
replay events), checks its arguments as every chart does (the core's
:class:`~omakase_core._charts.CheckedChart`): its start value is an :class:`IdChangeStatus`
member, never a plain value or label.
"""

from __future__ import annotations

from omakase_core._charts import CheckedChart
from omakase_core.id_change.model import IdChangeStatus
from omakase_core.lifecycle import Actor, Lifecycle, by, register, status_state

__all__ = ["ID_CHANGE_LIFECYCLE", "IdChangeChart"]


class IdChangeChart(CheckedChart[IdChangeStatus]):
    """処理待ち → 処理中 → 完了, and 処理待ち → 取下げ (IDC-2).

    A change with an exact instant applies by itself when that instant comes (the system);
    one applied "within N business days" is reported applied by the operator. The operator
    reports the end of processing (IDC-8). Only a pending application can be withdrawn, by
    the customer. A 当月 change that applies at acceptance is created 処理中 directly.
    """

    pending = status_state(IdChangeStatus.PENDING, initial=True)
    processing = status_state(IdChangeStatus.PROCESSING)
    done = status_state(IdChangeStatus.DONE, final=True)
    withdrawn = status_state(IdChangeStatus.WITHDRAWN, final=True)

    apply = pending.to(processing, cond=by(Actor.SYSTEM))
    report_applied = pending.to(processing, cond=by(Actor.OPERATOR))
    complete = processing.to(done, cond=by(Actor.OPERATOR))
    withdraw = pending.to(withdrawn, cond=by(Actor.CUSTOMER))


ID_CHANGE_LIFECYCLE: Lifecycle[IdChangeStatus] = register(
    Lifecycle.compile("id_change", IdChangeChart, IdChangeStatus, rule="IDC-2", actor_rule="IDC-2")
)
"""The compiled lifecycle, also ``LIFECYCLES["id_change"]``."""
