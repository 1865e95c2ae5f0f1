"""The account chart (ACC-4): the single source of the user-status lifecycle table.

The chart says which *kind* of principal moves a user's status: the customer side (a user
of the tenant) completes the setup and suspends, resumes and unlocks; the system locks an
account after failed logins. Which customer-side user may send which event is not the
chart's to say — both are ``Actor.CUSTOMER`` — so the tenant aggregate adds it (ACC-3,
ACC-4 amended, SEC-1): only the user themself completes their own setup, through a link
that has not expired; only an administrator suspends, resumes and unlocks, and never
themself, the representative admin or the last active administrator.

Built directly (``AccountChart(start_value=UserStatus.ACTIVE)``, to try or draw the chart),
its arguments are checked before python-statemachine sees them (SEC-2).
"""

from __future__ import annotations

from typing import Any

from statemachine import StateChart

from omakase_core._validation import require
from omakase_core.accounts.model import UserStatus
from omakase_core.errors import ValidationError, excerpt
from omakase_core.lifecycle import Actor, Lifecycle, by, register, status_state

__all__ = ["ACCOUNT_LIFECYCLE", "AccountChart"]


class AccountChart(StateChart[Any]):
    """未設定 → 有効 ⇄ 一時停止, 有効 → アカウントロック → 有効 (ACC-4).

    The user finishes the initial setup; an administrator (a customer-side user) suspends,
    resumes and unlocks; the system locks an account after failed logins.
    """

    allow_event_without_transition = False
    catch_errors_as_events = False

    unconfigured = status_state(UserStatus.UNCONFIGURED, initial=True)
    active = status_state(UserStatus.ACTIVE)
    suspended = status_state(UserStatus.SUSPENDED)
    locked = status_state(UserStatus.LOCKED)

    complete_setup = unconfigured.to(active, cond=by(Actor.CUSTOMER))
    suspend = active.to(suspended, cond=by(Actor.CUSTOMER)) | locked.to(
        suspended, cond=by(Actor.CUSTOMER)
    )
    resume = suspended.to(active, cond=by(Actor.CUSTOMER))
    lock = active.to(locked, cond=by(Actor.SYSTEM))
    unlock = locked.to(active, cond=by(Actor.CUSTOMER))

    def __init__(
        self,
        model: object | None = None,
        state_field: str = "state",
        start_value: UserStatus | None = None,
        listeners: list[object] | None = None,
        **kwargs: Any,  # python-statemachine's own options and callback arguments, passed on
    ) -> None:
        """Start the chart at ``start_value`` (default 未設定), to try or draw it (SEC-2).

        python-statemachine's own constructor, with its arguments checked first so that a
        wrong one is a ``ValidationError`` naming it: ``model`` an object that takes
        attributes, ``state_field`` an identifier, ``start_value`` a :class:`UserStatus`
        member (never its value or label), ``listeners`` a list of objects.
        """
        _check_start(model, state_field, start_value, listeners)
        super().__init__(model, state_field, start_value, listeners, **kwargs)


def _check_start(
    model: object, state_field: object, start_value: object, listeners: object
) -> None:
    if model is not None and not hasattr(model, "__dict__"):
        msg = f"model must be None or an object that takes attributes, not {type(model).__name__}"
        raise ValidationError(msg, field="model", rule="SEC-2")
    if not isinstance(state_field, str) or len(state_field) > 100 or not state_field.isidentifier():
        msg = f"state_field must be an attribute name, not {excerpt(state_field, 40)}"
        raise ValidationError(msg, field="state_field", rule="SEC-2")
    if start_value is not None:
        require(start_value, UserStatus, field="start_value", rule="SEC-2", what="a UserStatus")
    if listeners is not None and (
        not isinstance(listeners, list) or any(item is None for item in listeners)
    ):
        msg = f"listeners must be None or a list of objects, not {type(listeners).__name__}"
        raise ValidationError(msg, field="listeners", rule="SEC-2")


ACCOUNT_LIFECYCLE: Lifecycle[UserStatus] = register(
    Lifecycle.compile("account", AccountChart, UserStatus)
)
"""The compiled user-status lifecycle, also ``LIFECYCLES["account"]``."""
