"""The aggregates of accounts: a tenant's users, and one stored password (ACC-1 … ACC-8).

:class:`Tenant` holds every user of one My KDDI Biz tenant, so that the rules about
administrators (ACC-4, ACC-5) see all of them at once. :class:`Credential` holds one
password as hashes only (ACC-1, ACC-2). Both are immutable values: a command checks
everything first and returns the next value with its event recorded in
``pending_events``; a refused command raises and, the value being immutable, changes
nothing. Neither calls a port.

Commands take the lifecycle ``actor`` and, for a tenant's users, the acting user's role and
id: ACC-3 (only administrators manage users), ACC-4 amended (only the user themself
completes their setup, through an unexpired link; an administrator suspends, resumes and
unlocks, never completes a setup, and never suspends or deletes themself, the
representative admin or the last active administrator) and SEC-1 are checked here too, so
no caller can skip them.

Decisions (the seeds are silent):

- Commands come in time order: an ``at`` before the aggregate's last change is refused,
  so a clock set back cannot revive an expired setup link or end a password change lock
  early.
- The new representative admin must be an administrator whose status is 有効 (ACC-5).
- A tenant is opened with its first administrator already 有効 and its representative; it
  records no event (the rulebook starts there).
- A credential belongs to one customer (a tenant, an OCN customer) and, where the portal
  has several users, to one user; ``user_id`` ``None`` is the customer's single account.
- A tenant or credential built directly (a storage adapter rebuilding it) has every field
  checked (SEC-2): ids, tuples of the right values, non-negative versions, aware instants,
  non-empty hashes; a tenant's user ids are unique and its representative is one of its
  administrators. The commands build their next value from checked values without
  re-running these checks.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import attrs

from omakase_core._validation import require as require_type
from omakase_core._values import command_instant, replace, with_event, without_events
from omakase_core.accounts.machine import ACCOUNT_LIFECYCLE
from omakase_core.accounts.model import (
    AccountEvent,
    Action,
    PasswordChanged,
    PasswordPolicy,
    Role,
    User,
    UserStatus,
)
from omakase_core.accounts.rules import (
    check_change_lock,
    check_representative_change,
    check_setup_link,
    check_user_removable,
    checked_user_id,
    require,
    validate_notification_address,
    validate_person_name,
    validate_user_id,
)
from omakase_core.calendar import to_jst
from omakase_core.codec import stored
from omakase_core.errors import NotFound, PermissionDenied, ValidationError
from omakase_core.lifecycle import Actor
from omakase_core.principal import check_id

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["Credential", "Tenant"]

_ADMIN_EVENTS = ("suspend", "resume", "unlock")


# -- field checks of a value built directly (a storage adapter rebuilding it), SEC-2 -------------
# The commands build their next value with ``replace`` from values they checked, so these run
# only when an aggregate is built from outside, never on the hot path.


def _id(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_id(value, field=attribute.name)


def _id_or_none(_: object, attribute: attrs.Attribute[str | None], value: object) -> None:
    if value is not None:
        check_id(value, field=attribute.name)


def _version(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    if type(value) is not int or value < 0:
        msg = f"{attribute.name} must be a non-negative int, not {type(value).__name__}"
        raise ValidationError(msg, field=attribute.name, rule="PORT-2")


def _instant(_: object, attribute: attrs.Attribute[datetime], value: object) -> None:
    to_jst(value, field=attribute.name)  # type: ignore[arg-type]  # to_jst checks the type


def _instant_or_none(_: object, attribute: attrs.Attribute[datetime | None], value: object) -> None:
    if value is not None:
        to_jst(value, field=attribute.name)  # type: ignore[arg-type]  # to_jst checks the type


def _tuple_of(kind: type, what: str) -> Callable[[object, attrs.Attribute[Any], object], None]:
    """Return a validator of a tuple holding only ``kind`` values (``what`` says them)."""

    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, tuple) or not all(type(item) is kind for item in value):
            msg = f"{attribute.name} must be a tuple of {what}, not {type(value).__name__}"
            raise ValidationError(msg, field=attribute.name, rule="SEC-2")

    return check


def _hashes(_: object, attribute: attrs.Attribute[tuple[str, ...]], value: object) -> None:
    if not isinstance(value, tuple):
        msg = f"history must be a tuple of stored hashes, not {type(value).__name__}"
        raise ValidationError(msg, field=attribute.name, rule="SEC-2")
    for item in value:
        _hash(item, "SEC-2", field=attribute.name)


def _actor(actor: object, *, customer: bool, event: str) -> Actor:
    """Return ``actor`` if it is an :class:`Actor`; a tenant user's command needs the customer."""
    checked = require_type(actor, Actor, field="actor", rule="SEC-2", what="an Actor")
    if customer and checked is not Actor.CUSTOMER:
        msg = f"{event} is done by the tenant's administrators, not by the {checked.value}"
        raise PermissionDenied(msg, actor=str(checked), event=event, rule="ACC-3")
    return checked


@stored("accounts.Tenant")
@attrs.frozen(kw_only=True)
class Tenant:
    """A My KDDI Biz tenant's users and its representative admin (代表管理者, ACC-3 … ACC-8).

    ``id`` is also the customer scope of the tenant's principals
    (``Principal.customer(tenant.id, ...)``, SEC-1).
    """

    id: str = attrs.field(validator=_id)
    users: tuple[User, ...] = attrs.field(validator=_tuple_of(User, "User values"))
    representative: str = attrs.field(validator=_id)
    version: int = attrs.field(default=0, validator=_version)
    updated_at: datetime = attrs.field(validator=_instant)
    pending_events: tuple[AccountEvent, ...] = attrs.field(
        default=(), validator=_tuple_of(AccountEvent, "AccountEvent values")
    )

    def __attrs_post_init__(self) -> None:
        """Refuse a tenant whose users repeat an id or whose representative is no admin."""
        ids = [user.user_id for user in self.users]
        if len(set(ids)) != len(ids):
            msg = "users must not hold the same user id twice"
            raise ValidationError(msg, field="users", rule="ACC-8")
        if self.representative not in self.admins:
            msg = "representative must be the user id of one of the tenant's administrators"
            raise ValidationError(msg, field="representative", rule="ACC-5")

    @classmethod
    def open(
        cls,
        *,
        id: str,  # noqa: A002  # the aggregate's id
        admin_id: str,
        family_name: str,
        given_name: str,
        opened_at: datetime,
    ) -> Tenant:
        """Return a new tenant whose first administrator (有効) is its representative admin."""
        tenant_id = check_id(id, field="id")
        user_id = checked_user_id(admin_id, field="admin_id")
        admin = User(
            user_id=user_id,
            role=Role.ADMIN,
            status=UserStatus.ACTIVE,
            family_name=validate_person_name(family_name, field="family_name"),
            given_name=validate_person_name(given_name, field="given_name"),
            notification_address=user_id,
        )
        return cls(
            id=tenant_id,
            users=(admin,),
            representative=user_id,
            updated_at=to_jst(opened_at, field="opened_at"),
        )

    # -- derived ------------------------------------------------------------------------------

    def user(self, user_id: str) -> User:
        """Return the user; a deleted or unknown one is not found (ACC-4)."""
        wanted = check_id(user_id, field="user_id")
        for user in self.users:
            if user.user_id == wanted:
                return user
        raise NotFound(kind="user", id=wanted)

    @property
    def admins(self) -> frozenset[str]:
        """The ids of the users with the administrator role (ACC-5)."""
        return frozenset(u.user_id for u in self.users if u.role is Role.ADMIN)

    @property
    def active_admins(self) -> frozenset[str]:
        """The ids of the administrators whose status is 有効 (ACC-4)."""
        return frozenset(
            u.user_id for u in self.users if u.role is Role.ADMIN and u.status is UserStatus.ACTIVE
        )

    def saved(self) -> Tenant:
        """Return the tenant as stored, without pending events."""
        return without_events(self)

    # -- commands -----------------------------------------------------------------------------

    def add_user(  # noqa: PLR0913  # the user form's fields and who sends it
        self,
        *,
        user_id: str,
        role: Role,
        family_name: str,
        given_name: str,
        notification_address: str | None = None,
        actor: Actor,
        actor_role: Role,
        at: datetime,
    ) -> Tenant:
        """Add a user (未設定) with a setup link sent ``at``, valid 7 days (ACC-3, ACC-6, ACC-8).

        ``role`` must be a :class:`Role` member: ``"admin"`` or a label is refused (SEC-2).
        """
        instant = command_instant(at, self.updated_at, what="tenant")
        _actor(actor, customer=True, event="add_user")
        require(actor_role, Action.MANAGE_USERS)
        new_role = require_type(role, Role, field="role", rule="SEC-2", what="a Role")
        uid = validate_user_id(user_id)
        user = User(
            user_id=uid,
            role=new_role,
            status=ACCOUNT_LIFECYCLE.initial,
            family_name=validate_person_name(family_name, field="family_name"),
            given_name=validate_person_name(given_name, field="given_name"),
            notification_address=validate_notification_address(
                uid if notification_address is None else notification_address
            ),
            setup_sent_at=instant,
        )
        if any(u.user_id == uid for u in self.users):
            raise ValidationError(f"user {uid} already exists", field="user_id", rule="ACC-8")
        return self._with(instant, "user_added", uid, users=(*self.users, user))

    def complete_setup(self, *, user_id: str, actor: Actor, actor_id: str, at: datetime) -> Tenant:
        """Finish the initial setup of ``user_id``, done by that user only (ACC-4, ACC-6, SEC-1).

        ``actor_id`` is the user acting; anyone else — an administrator included — is refused
        with ``PermissionDenied``, and so is a link that expired (``DeadlinePassed``).
        """
        instant = command_instant(at, self.updated_at, what="tenant")
        checked = _actor(actor, customer=False, event="complete_setup")
        uid = check_id(user_id, field="user_id")
        if checked is not Actor.CUSTOMER or check_id(actor_id, field="actor_id") != uid:
            msg = (
                "only the user themself completes their setup, through their own setup link; "
                "an administrator may send a new link but not complete the setup"
            )
            raise PermissionDenied(msg, actor=str(checked), event="complete_setup", rule="ACC-4")
        user = self.user(uid)
        target = ACCOUNT_LIFECYCLE.fire(user.status, "complete_setup", actor=checked)
        check_setup_link(user.setup_sent_at, at=instant)
        changed = replace(user, status=target)
        return self._with(instant, "setup_completed", uid, users=self._replace_user(changed))

    def change_status(  # noqa: PLR0913  # the target, the event and who sends it
        self,
        *,
        user_id: str,
        event: str,
        actor: Actor,
        actor_role: Role,
        actor_id: str,
        at: datetime,
    ) -> Tenant:
        """Suspend, resume or unlock a user: an administrator's (ACC-3, ACC-4).

        ``event`` is ``"suspend"``, ``"resume"`` or ``"unlock"``; anything else (the setup,
        a lock) is refused. No administrator suspends themself, the representative admin or
        the last active administrator.
        """
        instant = command_instant(at, self.updated_at, what="tenant")
        given: object = event  # callers are not always type-checked
        if not isinstance(given, str) or given not in _ADMIN_EVENTS:
            msg = (
                "event must be 'suspend', 'resume' or 'unlock': an administrator never "
                "completes a setup, and only the system locks an account"
            )
            raise ValidationError(msg, field="event", rule="ACC-4")
        checked = _actor(actor, customer=True, event=event)
        require(actor_role, Action.RESET_PASSWORDS_AND_STATUS)
        acting = check_id(actor_id, field="actor_id")
        user = self.user(user_id)
        target = ACCOUNT_LIFECYCLE.fire(user.status, event, actor=checked)
        if event == "suspend":
            check_user_removable(
                user.user_id,
                event=event,
                actor_id=acting,
                representative_id=self.representative,
                active_admins=self.active_admins,
            )
        changed = replace(user, status=target)
        return self._with(instant, event, user.user_id, users=self._replace_user(changed))

    def lock(self, *, user_id: str, actor: Actor, at: datetime) -> Tenant:
        """Lock a user after failed logins: the system's (ACC-4)."""
        instant = command_instant(at, self.updated_at, what="tenant")
        checked = _actor(actor, customer=False, event="lock")
        user = self.user(user_id)
        target = ACCOUNT_LIFECYCLE.fire(user.status, "lock", actor=checked)
        changed = replace(user, status=target)
        return self._with(instant, "lock", user.user_id, users=self._replace_user(changed))

    def delete_user(
        self, *, user_id: str, actor: Actor, actor_role: Role, actor_id: str, at: datetime
    ) -> Tenant:
        """Delete a user; never oneself, the representative or the last active admin (ACC-4, 5)."""
        instant = command_instant(at, self.updated_at, what="tenant")
        _actor(actor, customer=True, event="delete_user")
        require(actor_role, Action.MANAGE_USERS)
        acting = check_id(actor_id, field="actor_id")
        user = self.user(user_id)
        check_user_removable(
            user.user_id,
            event="delete_user",
            actor_id=acting,
            representative_id=self.representative,
            active_admins=self.active_admins,
        )
        users = tuple(u for u in self.users if u.user_id != user.user_id)
        return self._with(instant, "user_deleted", user.user_id, users=users)

    def change_representative(
        self, *, new: str, actor: Actor, actor_role: Role, at: datetime
    ) -> Tenant:
        """Make another 有効 administrator the representative admin (ACC-3, ACC-5)."""
        instant = command_instant(at, self.updated_at, what="tenant")
        _actor(actor, customer=True, event="change_representative")
        require(actor_role, Action.CHANGE_REPRESENTATIVE_ADMIN)
        check_representative_change(self.admins, current=self.representative, new=new)
        if self.user(new).status is not UserStatus.ACTIVE:
            msg = "the new representative admin must be an administrator whose status is 有効"
            raise ValidationError(msg, field="new", rule="ACC-5")
        return self._with(instant, "representative_changed", new, representative=new)

    # -- helpers ------------------------------------------------------------------------------

    def _with(self, at: datetime, what: str, user_id: str, **changes: object) -> Tenant:
        event = AccountEvent(
            aggregate_id=self.id,
            version=self.version + 1,
            occurred_at=at,
            what=what,
            user_id=user_id,
        )
        return with_event(self, event, **changes)

    def _replace_user(self, user: User) -> tuple[User, ...]:
        return tuple(user if u.user_id == user.user_id else u for u in self.users)


def _hash(value: object, rule: str, *, field: str = "password_hash") -> str:
    """Return the hasher's output; refuse anything but non-empty text (never echoed)."""
    if not isinstance(value, str) or not value:
        msg = f"{field} must hold the hasher's non-empty text"
        raise ValidationError(msg, field=field, rule=rule)
    return value


def _password_hash(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    _hash(value, "SEC-2", field=attribute.name)


@stored("accounts.Credential")
@attrs.frozen(kw_only=True)
class Credential:
    """A stored password: only its hash and the hashes of earlier ones (ACC-1, ACC-2).

    ``customer_id`` is the customer (tenant, OCN customer) it belongs to and ``user_id``
    the account holder (``None``: the customer's single account); only that holder changes
    it (SEC-1).
    """

    id: str = attrs.field(validator=_id)
    customer_id: str = attrs.field(validator=_id)
    user_id: str | None = attrs.field(default=None, validator=_id_or_none)
    password_hash: str = attrs.field(repr=False, validator=_password_hash)
    history: tuple[str, ...] = attrs.field(default=(), repr=False, validator=_hashes)
    changed_at: datetime | None = attrs.field(default=None, validator=_instant_or_none)
    version: int = attrs.field(default=0, validator=_version)
    updated_at: datetime = attrs.field(validator=_instant)
    pending_events: tuple[PasswordChanged, ...] = attrs.field(
        default=(), validator=_tuple_of(PasswordChanged, "PasswordChanged values")
    )

    @classmethod
    def create(
        cls,
        *,
        id: str,  # noqa: A002  # the aggregate's id
        customer_id: str,
        user_id: str | None,
        password_hash: str,
        at: datetime,
    ) -> Credential:
        """Return a new credential at version 0 holding ``password_hash`` (no event)."""
        return cls(
            id=check_id(id, field="id"),
            customer_id=check_id(customer_id, field="customer_id"),
            user_id=None if user_id is None else check_id(user_id, field="user_id"),
            password_hash=_hash(password_hash, "ACC-2"),
            updated_at=to_jst(at, field="at"),
        )

    def saved(self) -> Credential:
        """Return the credential as stored, without pending events."""
        return without_events(self)

    def change(self, *, password_hash: str, policy: PasswordPolicy, at: datetime) -> Credential:
        """Replace the password by ``password_hash`` at ``at`` (ACC-1, ACC-2).

        The new password was checked against ``policy`` by the caller (it never reaches the
        aggregate); here the change lock (ACC-1) and the time order are checked, and the
        current hash joins the history.
        """
        instant = command_instant(at, self.updated_at, what="credential")
        require_type(policy, PasswordPolicy, field="policy", rule=None, what="a PasswordPolicy")
        new_hash = _hash(password_hash, policy.rule)
        check_change_lock(policy, changed_at=self.changed_at, at=instant)
        keep = max(policy.history_size, 1)
        event = PasswordChanged(
            aggregate_id=self.id,
            version=self.version + 1,
            occurred_at=instant,
            effective_by=instant + (policy.effective_within or timedelta()),
        )
        return with_event(
            self,
            event,
            password_hash=new_hash,
            history=(*self.history, self.password_hash)[-keep:],
            changed_at=instant,
        )
