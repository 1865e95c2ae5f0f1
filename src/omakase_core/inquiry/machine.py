"""The chart of a fault inquiry (INQ-1): the single source of ``LIFECYCLES["inquiry"]``.

SEC-2: ``InquiryChart(model, …)``, python-statemachine's own entry (to draw the chart or
replay events), checks its arguments as every chart does (the core's
:class:`~omakase_core._charts.CheckedChart`): its start value is an :class:`InquiryStatus`
member, never a plain value or label.
"""

from __future__ import annotations

from omakase_core._charts import CheckedChart
from omakase_core.inquiry.model import InquiryStatus
from omakase_core.lifecycle import Actor, Lifecycle, by, register, status_state

__all__ = ["INQUIRY_LIFECYCLE", "InquiryChart"]


class InquiryChart(CheckedChart[InquiryStatus]):
    """受付 ⇄ 回答済 → 解決済 (INQ-1).

    INQ-1 (amended): a customer's message in 受付 keeps it 受付 (a self-transition), as one
    in 回答済 brings it back to 受付.
    """

    received = status_state(InquiryStatus.RECEIVED, initial=True)
    answered = status_state(InquiryStatus.ANSWERED)
    resolved = status_state(InquiryStatus.RESOLVED, final=True)

    answer = received.to(answered, cond=by(Actor.OPERATOR))
    add_message = answered.to(received, cond=by(Actor.CUSTOMER)) | received.to(
        received, cond=by(Actor.CUSTOMER)
    )
    resolve = received.to(resolved, cond=by(Actor.CUSTOMER)) | answered.to(
        resolved, cond=by(Actor.CUSTOMER)
    )


INQUIRY_LIFECYCLE: Lifecycle[InquiryStatus] = register(
    Lifecycle.compile("inquiry", InquiryChart, InquiryStatus, rule="INQ-1", actor_rule="INQ-1")
)
"""The compiled lifecycle, also ``LIFECYCLES["inquiry"]``."""
