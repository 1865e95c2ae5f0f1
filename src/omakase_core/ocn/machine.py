"""OCN's charts: the mail-change application (OCN-3) and the cancellation (OCN-4).

Each chart is the single source of its lifecycle table (``LIFECYCLES["ocn.mail_change"]``,
``LIFECYCLES["ocn.cancellation"]``); every transition names the one actor that may take it.

SEC-2: ``MailChangeChart(model, …)`` and ``CancellationChart(model, …)``,
python-statemachine's own entry (to draw a chart or replay events), check their arguments
as every chart does (the core's :class:`~omakase_core._charts.CheckedChart`): a start value
is one of that chart's statuses, never a plain value, a label or the other chart's status.
"""

from __future__ import annotations

from omakase_core._charts import CheckedChart
from omakase_core.lifecycle import Actor, Lifecycle, by, register, status_state
from omakase_core.ocn.model import CancellationStatus, MailChangeStatus

__all__ = [
    "CANCELLATION_LIFECYCLE",
    "MAIL_CHANGE_LIFECYCLE",
    "CancellationChart",
    "MailChangeChart",
]


class MailChangeChart(CheckedChart[MailChangeStatus]):
    """申込中 → 登録完了 / 登録不可 by the operator, or → 取消 by the customer (OCN-3)."""

    requested = status_state(MailChangeStatus.REQUESTED, initial=True)
    cancelled = status_state(MailChangeStatus.CANCELLED, final=True)
    registered = status_state(MailChangeStatus.REGISTERED, final=True)
    name_unavailable = status_state(MailChangeStatus.NAME_UNAVAILABLE, final=True)

    cancel = requested.to(cancelled, cond=by(Actor.CUSTOMER))
    register = requested.to(registered, cond=by(Actor.OPERATOR))
    report_unavailable = requested.to(name_unavailable, cond=by(Actor.OPERATOR))


class CancellationChart(CheckedChart[CancellationStatus]):
    """廃止受付完了 → 廃止完了, the operator's step; no withdrawal (OCN-4).

    The customer's submission is the acceptance (「廃止受付完了」), so the chart starts
    there: there is no acceptance step of the operator's.
    """

    accepted = status_state(CancellationStatus.ACCEPTED, initial=True)
    completed = status_state(CancellationStatus.COMPLETED, final=True)

    complete = accepted.to(completed, cond=by(Actor.OPERATOR))


MAIL_CHANGE_LIFECYCLE: Lifecycle[MailChangeStatus] = register(
    Lifecycle.compile(
        "ocn.mail_change", MailChangeChart, MailChangeStatus, rule="OCN-3", actor_rule="OCN-3"
    )
)
"""The compiled mail-change lifecycle, also ``LIFECYCLES["ocn.mail_change"]``."""

CANCELLATION_LIFECYCLE: Lifecycle[CancellationStatus] = register(
    Lifecycle.compile(
        "ocn.cancellation",
        CancellationChart,
        CancellationStatus,
        rule="OCN-4",
        actor_rule="OCN-4",
    )
)
"""The compiled cancellation lifecycle, also ``LIFECYCLES["ocn.cancellation"]``."""
