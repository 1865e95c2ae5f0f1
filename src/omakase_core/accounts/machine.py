"""The account chart (ACC-4): the single source of the user-status lifecycle table.

The chart says which *kind* of principal moves a user's status: the customer side (a user
of the tenant) completes the setup and suspends, resumes and unlocks; the system locks an
account after failed logins. Which customer-side user may send which event is not the
chart's to say — both are ``Actor.CUSTOMER`` — so the tenant aggregate adds it (ACC-3,
ACC-4 amended, SEC-1): only the user themself completes their own setup, through a link
that has not expired; only an administrator suspends, resumes and unlocks, and never
themself, the representative admin or the last active administrator.

SEC-2: ``AccountChart(start_value=UserStatus.ACTIVE)``, python-statemachine's own entry (to
try or draw the chart), checks its arguments as every chart does (the core's
:class:`~omakase_core._charts.CheckedChart`).
"""

from __future__ import annotations

from omakase_core._charts import CheckedChart
from omakase_core.accounts.model import UserStatus
from omakase_core.lifecycle import Actor, Lifecycle, by, register, status_state

__all__ = ["ACCOUNT_LIFECYCLE", "AccountChart"]


class AccountChart(CheckedChart[UserStatus]):
    """未設定 → 有効 ⇄ 一時停止, 有効 → アカウントロック → 有効 (ACC-4).

    The user finishes the initial setup; an administrator (a customer-side user) suspends,
    resumes and unlocks; the system locks an account after failed logins.
    """

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


ACCOUNT_LIFECYCLE: Lifecycle[UserStatus] = register(
    Lifecycle.compile("account", AccountChart, UserStatus, rule="ACC-4", actor_rule="ACC-4")
)
"""The compiled user-status lifecycle, also ``LIFECYCLES["account"]``."""
