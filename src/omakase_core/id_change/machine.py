"""The ID-count change application chart (IDC-2, IDC-8).

The chart holds the states and who may move between them; :class:`IdChangeStatus` (in
:mod:`omakase_core.id_change.model`) names the states. The service passes the acting
principal's actor (``by.actor``), so an operator command sent by a customer, or a customer
command sent by an operator, is refused here with a permission error (SEC-1).

SEC-2: an instance of the chart (python-statemachine's ``IdChangeChart(model, …)``, to draw
it or replay events) refuses arguments it cannot run on — a model that cannot hold the
state, a state field that is not an attribute name, a start value that is not an
:class:`IdChangeStatus` member (never its plain value or label), listeners that are not a
list of objects — with a ``ValidationError`` naming the parameter.
"""

from __future__ import annotations

import keyword
from typing import Any, Final

from statemachine import StateChart

from omakase_core.errors import ValidationError
from omakase_core.id_change.model import IdChangeStatus, shown
from omakase_core.lifecycle import Actor, Lifecycle, by, register, status_state

__all__ = ["ID_CHANGE_LIFECYCLE", "IdChangeChart"]

_MAX_FIELD: Final = 100
_NOT_LISTENERS: Final = (str, bytes, int, float, complex)


def _check_chart_arguments(
    model: object, state_field: object, start_value: object, listeners: object
) -> None:
    """Refuse what python-statemachine would fail on later, or take silently (SEC-2)."""
    if (
        type(state_field) is not str
        or not 0 < len(state_field) <= _MAX_FIELD
        or not state_field.isidentifier()
        or keyword.iskeyword(state_field)
    ):
        msg = f"state_field must be the name of the model's attribute, not {shown(state_field)}"
        raise ValidationError(msg, field="state_field", rule="SEC-2")
    if start_value is not None and type(start_value) is not IdChangeStatus:
        msg = f"start_value must be an IdChangeStatus or None, not {shown(start_value)}"
        raise ValidationError(msg, field="start_value", rule="SEC-2")
    if listeners is not None and (
        not isinstance(listeners, list | tuple)
        or any(item is None or isinstance(item, _NOT_LISTENERS) for item in listeners)
    ):
        msg = f"listeners must be a list of listener objects or None, not {shown(listeners)}"
        raise ValidationError(msg, field="listeners", rule="SEC-2")
    if model is not None:
        try:  # the model holds the state in this attribute: it must be able to
            setattr(model, state_field, getattr(model, state_field, None))
        except (AttributeError, TypeError):
            msg = f"model must be an object that can hold {state_field}, not {shown(model)}"
            raise ValidationError(msg, field="model", rule="SEC-2") from None


class IdChangeChart(StateChart[Any]):
    """処理待ち → 処理中 → 完了, and 処理待ち → 取下げ (IDC-2).

    A change with an exact instant applies by itself when that instant comes (the system);
    one applied "within N business days" is reported applied by the operator. The operator
    reports the end of processing (IDC-8). Only a pending application can be withdrawn, by
    the customer. A 当月 change that applies at acceptance is created 処理中 directly.
    """

    allow_event_without_transition = False
    catch_errors_as_events = False

    pending = status_state(IdChangeStatus.PENDING, initial=True)
    processing = status_state(IdChangeStatus.PROCESSING)
    done = status_state(IdChangeStatus.DONE, final=True)
    withdrawn = status_state(IdChangeStatus.WITHDRAWN, final=True)

    apply = pending.to(processing, cond=by(Actor.SYSTEM))
    report_applied = pending.to(processing, cond=by(Actor.OPERATOR))
    complete = processing.to(done, cond=by(Actor.OPERATOR))
    withdraw = pending.to(withdrawn, cond=by(Actor.CUSTOMER))

    def __init__(
        self,
        model: Any = None,  # python-statemachine's domain model: any object holding the state
        state_field: str = "state",
        start_value: IdChangeStatus | None = None,
        listeners: list[object] | None = None,
        **kwargs: Any,  # python-statemachine's callback arguments
    ) -> None:
        """Build a running chart for python-statemachine's tooling (diagrams, examples).

        The arguments are python-statemachine's, checked first (SEC-2): ``state_field`` is
        an attribute name, ``start_value`` an :class:`IdChangeStatus`, ``listeners`` a list
        of objects and ``model`` an object that can hold the state.
        """
        _check_chart_arguments(model, state_field, start_value, listeners)
        super().__init__(model, state_field, start_value, list(listeners or ()), **kwargs)


ID_CHANGE_LIFECYCLE: Lifecycle[IdChangeStatus] = register(
    Lifecycle.compile("id_change", IdChangeChart, IdChangeStatus)
)
"""The compiled lifecycle, also ``LIFECYCLES["id_change"]``."""
