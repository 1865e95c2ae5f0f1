"""The contract chart (CON-1, CON-2): the single source of the contract lifecycle table.

SEC-2: an instance of the chart (python-statemachine's ``ContractChart(model, …)``, e.g. to
draw it or to replay events) refuses arguments it cannot run on — a model it cannot keep
its state on, a state field that is not an attribute name, a start value that is not a
:class:`ContractStatus` member (never its plain value or label), listeners that are not a
list — with a ``ValidationError`` naming the parameter, not a raw error of the library.
"""

from __future__ import annotations

from typing import Any, Final

from statemachine import StateChart

from omakase_core.contract.model import ContractStatus
from omakase_core.errors import ValidationError
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

    def __init__(
        self,
        model: object | None = None,
        state_field: str = "state",
        start_value: ContractStatus | None = None,
        listeners: list[object] | None = None,
        **kwargs: Any,  # python-statemachine's own options, passed on
    ) -> None:
        """Run the chart on ``model`` (python-statemachine's API), its arguments checked (SEC-2)."""
        field = _check_state_field(state_field)
        if start_value is not None and type(start_value) is not ContractStatus:
            shown = type(start_value).__name__
            msg = f"start_value must be a ContractStatus member or None, not {shown}"
            raise ValidationError(msg, field="start_value", rule="SEC-2")
        if model is not None and not (hasattr(model, "__dict__") or hasattr(type(model), field)):
            shown = type(model).__name__
            msg = f"model must be an object that can hold the {field!r} attribute, not {shown}"
            raise ValidationError(msg, field="model", rule="SEC-2")
        super().__init__(
            model,
            state_field=field,
            start_value=start_value,
            listeners=_check_listeners(listeners),
            **kwargs,
        )


_MAX_FIELD: Final = 100
_NOT_LISTENERS: Final = (str, bytes, int, float)
"""Values that cannot be listeners: a listener is an object whose methods are callbacks."""


def _check_state_field(state_field: object) -> str:
    if (
        not isinstance(state_field, str)
        or not state_field.isidentifier()
        or len(state_field) > _MAX_FIELD
    ):
        shown = type(state_field).__name__ if not isinstance(state_field, str) else "this text"
        msg = (
            f"state_field must be an attribute name of at most {_MAX_FIELD} characters, not {shown}"
        )
        raise ValidationError(msg, field="state_field", rule="SEC-2")
    return state_field


def _check_listeners(listeners: object) -> list[object] | None:
    if listeners is None:
        return None
    if not isinstance(listeners, list | tuple) or any(
        isinstance(item, _NOT_LISTENERS) or item is None for item in listeners
    ):
        msg = (
            f"listeners must be a list of listener objects or None, not {type(listeners).__name__}"
        )
        raise ValidationError(msg, field="listeners", rule="SEC-2")
    return list(listeners)


CONTRACT_LIFECYCLE: Lifecycle[ContractStatus] = register(
    Lifecycle.compile("contract", ContractChart, ContractStatus)
)
"""The compiled contract lifecycle, also ``LIFECYCLES["contract"]``."""
