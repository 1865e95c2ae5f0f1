"""OCN's charts: the mail-change application (OCN-3) and the cancellation (OCN-4).

Each chart is the single source of its lifecycle table (``LIFECYCLES["ocn.mail_change"]``,
``LIFECYCLES["ocn.cancellation"]``); every transition names the one actor that may take it.

SEC-2: an instance of a chart (python-statemachine's ``Chart(model, …)``, e.g. to draw it or
to replay events) refuses arguments it cannot run on — a model it cannot keep its state on,
a state field that is not an attribute name, a start value that is not a member of the
chart's status enum (never its plain value or label), listeners that are not a list — with
a ``ValidationError`` naming the parameter, not a raw error of python-statemachine.
"""

from __future__ import annotations

import keyword
from typing import Any, Final

from statemachine import StateChart

from omakase_core.errors import ValidationError, excerpt
from omakase_core.lifecycle import Actor, Lifecycle, Status, by, register, status_state
from omakase_core.ocn.model import CancellationStatus, MailChangeStatus

__all__ = [
    "CANCELLATION_LIFECYCLE",
    "MAIL_CHANGE_LIFECYCLE",
    "CancellationChart",
    "MailChangeChart",
]


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


class MailChangeChart(StateChart[Any]):
    """申込中 → 登録完了 / 登録不可 by the operator, or → 取消 by the customer (OCN-3)."""

    allow_event_without_transition = False
    catch_errors_as_events = False

    requested = status_state(MailChangeStatus.REQUESTED, initial=True)
    cancelled = status_state(MailChangeStatus.CANCELLED, final=True)
    registered = status_state(MailChangeStatus.REGISTERED, final=True)
    name_unavailable = status_state(MailChangeStatus.NAME_UNAVAILABLE, final=True)

    cancel = requested.to(cancelled, cond=by(Actor.CUSTOMER))
    register = requested.to(registered, cond=by(Actor.OPERATOR))
    report_unavailable = requested.to(name_unavailable, cond=by(Actor.OPERATOR))

    def __init__(
        self,
        model: Any = None,  # python-statemachine's domain model: any object holding the state
        state_field: str = "state",
        start_value: MailChangeStatus | None = None,
        listeners: list[object] | None = None,
        **kwargs: Any,  # python-statemachine's callback arguments
    ) -> None:
        """Run the chart on ``model`` (python-statemachine's API), its arguments checked (SEC-2)."""
        _check_chart_arguments(MailChangeStatus, model, state_field, start_value, listeners)
        super().__init__(
            model,
            state_field=state_field,
            start_value=start_value,
            listeners=None if listeners is None else list(listeners),
            **kwargs,
        )


class CancellationChart(StateChart[Any]):
    """申込済 → 受付済 → 廃止完了, the operator's steps; no withdrawal (OCN-4)."""

    allow_event_without_transition = False
    catch_errors_as_events = False

    submitted = status_state(CancellationStatus.SUBMITTED, initial=True)
    accepted = status_state(CancellationStatus.ACCEPTED)
    completed = status_state(CancellationStatus.COMPLETED, final=True)

    accept = submitted.to(accepted, cond=by(Actor.OPERATOR))
    complete = accepted.to(completed, cond=by(Actor.OPERATOR))

    def __init__(
        self,
        model: Any = None,  # python-statemachine's domain model: any object holding the state
        state_field: str = "state",
        start_value: CancellationStatus | None = None,
        listeners: list[object] | None = None,
        **kwargs: Any,  # python-statemachine's callback arguments
    ) -> None:
        """Run the chart on ``model`` (python-statemachine's API), its arguments checked (SEC-2)."""
        _check_chart_arguments(CancellationStatus, model, state_field, start_value, listeners)
        super().__init__(
            model,
            state_field=state_field,
            start_value=start_value,
            listeners=None if listeners is None else list(listeners),
            **kwargs,
        )


MAIL_CHANGE_LIFECYCLE: Lifecycle[MailChangeStatus] = register(
    Lifecycle.compile("ocn.mail_change", MailChangeChart, MailChangeStatus)
)
"""The compiled mail-change lifecycle, also ``LIFECYCLES["ocn.mail_change"]``."""

CANCELLATION_LIFECYCLE: Lifecycle[CancellationStatus] = register(
    Lifecycle.compile("ocn.cancellation", CancellationChart, CancellationStatus)
)
"""The compiled cancellation lifecycle, also ``LIFECYCLES["ocn.cancellation"]``."""
