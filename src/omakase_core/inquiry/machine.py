"""The chart of a fault inquiry (INQ-1): the single source of ``LIFECYCLES["inquiry"]``."""

from __future__ import annotations

from typing import Any

from statemachine import StateChart

from omakase_core.inquiry.model import InquiryStatus
from omakase_core.lifecycle import Actor, Lifecycle, by, register, status_state

__all__ = ["INQUIRY_LIFECYCLE", "InquiryChart"]


class InquiryChart(StateChart[Any]):
    """受付 ⇄ 回答済 → 解決済 (INQ-1)."""

    allow_event_without_transition = False
    catch_errors_as_events = False

    received = status_state(InquiryStatus.RECEIVED, initial=True)
    answered = status_state(InquiryStatus.ANSWERED)
    resolved = status_state(InquiryStatus.RESOLVED, final=True)

    answer = received.to(answered, cond=by(Actor.OPERATOR))
    add_message = answered.to(received, cond=by(Actor.CUSTOMER))
    resolve = received.to(resolved, cond=by(Actor.CUSTOMER)) | answered.to(
        resolved, cond=by(Actor.CUSTOMER)
    )


INQUIRY_LIFECYCLE: Lifecycle[InquiryStatus] = register(
    Lifecycle.compile("inquiry", InquiryChart, InquiryStatus)
)
"""The compiled lifecycle, also ``LIFECYCLES["inquiry"]``."""
