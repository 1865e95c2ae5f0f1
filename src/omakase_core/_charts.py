"""The base of every domain chart: python-statemachine's own entry, its arguments checked.

A domain's ``machine.py`` declares its states and transitions on a subclass of
:class:`CheckedChart` parametrised by its status enum (``CheckedChart[ContractStatus]``);
:meth:`~omakase_core.lifecycle.Lifecycle.compile` reads that chart into the table the
library runs. The library never runs a chart itself; a caller that does (to draw it, to
replay events, to try it) goes through :meth:`CheckedChart.__init__`, which refuses what
python-statemachine would crash on later or take silently, with a
:class:`~omakase_core.errors.ValidationError` naming the parameter (SEC-2):

- ``model``: ``None`` or an object that can hold the state in ``state_field`` (not text, a
  number, a frozen value or a bare ``object()``);
- ``state_field``: the name of that attribute (a Python identifier, not a keyword);
- ``start_value``: ``None`` (the initial state) or one of *this chart's* statuses — never
  its plain value or label, nor a member of another enum or of another chart;
- ``listeners``: ``None`` or a list of listener objects (not text, numbers or ``None``).

This module needs python-statemachine at import time, so only the domains' ``machine.py``
import it: ``import omakase_core`` stays quick.
"""

from __future__ import annotations

import keyword
from typing import Any, Final, Generic

from statemachine import StateChart

from omakase_core.errors import ValidationError, excerpt
from omakase_core.lifecycle import StatusT

__all__ = ["CheckedChart"]

_MAX_FIELD: Final = 100
_NOT_LISTENERS: Final = (str, bytes, int, float, complex)
"""Values that cannot be listeners: a listener is an object whose methods are callbacks."""


class CheckedChart(StateChart[Any], Generic[StatusT]):
    """A python-statemachine chart over one status enum, whose entry checks its arguments.

    Events without a transition raise, and errors are raised rather than turned into
    events: a chart says exactly what its table says.
    """

    allow_event_without_transition = False
    catch_errors_as_events = False

    def __init__(
        self,
        model: object | None = None,
        state_field: str = "state",
        start_value: StatusT | None = None,
        listeners: list[object] | None = None,
        **kwargs: Any,  # python-statemachine's own options and callback arguments, passed on
    ) -> None:
        """Run the chart on ``model`` (python-statemachine's API), its arguments checked (SEC-2).

        ``start_value`` defaults to the chart's initial status.
        """
        _check_state_field(state_field)
        self._check_start_value(start_value)
        observers = _check_listeners(listeners)
        _check_model(model, state_field)
        super().__init__(
            model,
            state_field=state_field,
            start_value=start_value,
            listeners=observers,
            **kwargs,
        )

    @classmethod
    def _check_start_value(cls, start_value: object) -> None:
        if start_value is None or any(state.value is start_value for state in cls.states):
            return
        kind = type(cls.states[0].value).__name__ if cls.states else "status"
        msg = (
            f"start_value must be None or one of {cls.__name__}'s statuses (a {kind} member), "
            f"not {type(start_value).__name__} {excerpt(start_value)}"
        )
        raise ValidationError(msg, field="start_value", rule="SEC-2")


def _check_state_field(state_field: object) -> None:
    if (
        not isinstance(state_field, str)
        or not 0 < len(state_field) <= _MAX_FIELD
        or not state_field.isidentifier()
        or keyword.iskeyword(state_field)
    ):
        msg = (
            f"state_field must be the name of the model's attribute (an identifier of at most "
            f"{_MAX_FIELD} characters), not {excerpt(state_field)}"
        )
        raise ValidationError(msg, field="state_field", rule="SEC-2")


def _check_listeners(listeners: object) -> list[object] | None:
    if listeners is None:
        return None
    if not isinstance(listeners, list | tuple) or any(
        item is None or isinstance(item, _NOT_LISTENERS) for item in listeners
    ):
        msg = f"listeners must be a list of listener objects or None, not {excerpt(listeners)}"
        raise ValidationError(msg, field="listeners", rule="SEC-2")
    return list(listeners)


def _check_model(model: object, state_field: str) -> None:
    if model is None:
        return
    try:  # the model holds the state in this attribute: it must be able to
        setattr(model, state_field, getattr(model, state_field, None))
    except (AttributeError, TypeError):
        msg = f"model must be an object that can hold {state_field}, not {type(model).__name__}"
        raise ValidationError(msg, field="model", rule="SEC-2") from None
