"""The chart of a fault inquiry (INQ-1): the single source of ``LIFECYCLES["inquiry"]``.

SEC-2: an instance of the chart (python-statemachine's ``InquiryChart(model, …)``, e.g. to
draw it or to replay events) refuses arguments it cannot run on — a model it cannot keep its
state on, a state field that is not an attribute name, a start value that is not an
:class:`InquiryStatus` member (never its plain value or label), listeners that are not a
list — with a ``ValidationError`` naming the parameter, not a raw error of python-statemachine.
"""

from __future__ import annotations

import keyword
from typing import Any, Final

from statemachine import StateChart

from omakase_core.errors import ValidationError, excerpt
from omakase_core.inquiry.model import InquiryStatus
from omakase_core.lifecycle import Actor, Lifecycle, Status, by, register, status_state

__all__ = ["INQUIRY_LIFECYCLE", "InquiryChart"]


_MAX_FIELD: Final = 100
_NOT_LISTENERS: Final = (str, bytes, int, float, complex)
"""Values that cannot be listeners: a listener is an object whose methods are callbacks."""


def _check_chart_arguments(
    status_type: type[Status],
    model: object,
    state_field: object,
    start_value: object,
    listeners: object,
) -> None:
    """Refuse what python-statemachine would fail on later, or take silently (SEC-2)."""
    if (
        type(state_field) is not str
        or not 0 < len(state_field) <= _MAX_FIELD
        or not state_field.isidentifier()
        or keyword.iskeyword(state_field)
    ):
        msg = f"state_field must be the name of the model's attribute, not {excerpt(state_field)}"
        raise ValidationError(msg, field="state_field", rule="SEC-2")
    if start_value is not None and type(start_value) is not status_type:
        msg = (
            f"start_value must be a {status_type.__name__} member or None, "
            f"not {type(start_value).__name__}"
        )
        raise ValidationError(msg, field="start_value", rule="SEC-2")
    if listeners is not None and (
        not isinstance(listeners, list | tuple)
        or any(item is None or isinstance(item, _NOT_LISTENERS) for item in listeners)
    ):
        msg = f"listeners must be a list of listener objects or None, not {excerpt(listeners)}"
        raise ValidationError(msg, field="listeners", rule="SEC-2")
    if model is not None:
        try:  # the model holds the state in this attribute: it must be able to
            setattr(model, state_field, getattr(model, state_field, None))
        except (AttributeError, TypeError):
            msg = f"model must be an object that can hold {state_field}, not {type(model).__name__}"
            raise ValidationError(msg, field="model", rule="SEC-2") from None


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

    def __init__(
        self,
        model: Any = None,  # python-statemachine's domain model: any object holding the state
        state_field: str = "state",
        start_value: InquiryStatus | None = None,
        listeners: list[object] | None = None,
        **kwargs: Any,  # python-statemachine's callback arguments
    ) -> None:
        """Run the chart on ``model`` (python-statemachine's API), its arguments checked (SEC-2)."""
        _check_chart_arguments(InquiryStatus, model, state_field, start_value, listeners)
        super().__init__(
            model,
            state_field=state_field,
            start_value=start_value,
            listeners=None if listeners is None else list(listeners),
            **kwargs,
        )


INQUIRY_LIFECYCLE: Lifecycle[InquiryStatus] = register(
    Lifecycle.compile("inquiry", InquiryChart, InquiryStatus)
)
"""The compiled lifecycle, also ``LIFECYCLES["inquiry"]``."""
