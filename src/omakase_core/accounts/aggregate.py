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
- A tenant is opened with its first administrator as its representative, 未設定 with setup
  link 1 like every added user (ACC-4 amended); the opening records ``tenant_opened``, whose
  setup mail goes to the administrator's user id.
- A setup link is known by its number (``User.setup_link``): 1 for the first mail, one more
  for each resent one; only the latest works (ACC-11). The number is not a secret: the
  portal puts its own unguessable token in the URL, and the setup is anyway done by the
  logged-in principal of that very user (SEC-1).
- A temporary password lives in the user's :class:`Credential` (``must_change``), never in
  the tenant: the holder's own change clears it, and ``check_login`` reads it from there.
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
    setup_link_expires_at,
    validate_kana_name,
    validate_notification_address,
    validate_organisation,
    validate_person_name,
    validate_user_id,
    validate_user_phone,
)
from omakase_core.calendar import to_jst
from omakase_core.codec import stored
from omakase_core.errors import (
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationError,
    excerpt,
)
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


def _link(value: object) -> int | None:
    """Return a setup link's number: ``None`` or a positive int (ACC-11, SEC-2)."""
    if value is not None and (type(value) is not int or value < 1):
        msg = f"link must be the setup link's number (an int from 1), not {excerpt(value)}"
        raise ValidationError(msg, field="link", rule="ACC-11")
    return value


def _optional_fields(**fields: str | None) -> dict[str, str]:
    """Return the optional ACC-8 fields given (not ``None``), each checked (ACC-8)."""
    checks: dict[str, Callable[[str], str]] = {
        "family_name_kana": lambda v: validate_kana_name(v, field="family_name_kana"),
        "given_name_kana": lambda v: validate_kana_name(v, field="given_name_kana"),
        "organisation": validate_organisation,
        "phone": validate_user_phone,
    }
    return {name: checks[name](value) for name, value in fields.items() if value is not None}


@stored("accounts.Tenant", version=2)
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
        """Return a new tenant whose first administrator is its representative admin (ACC-4).

        The administrator starts 未設定 like every other user: the opening sends a setup
        mail with link 1, valid 7 days (ACC-6), to the administrator's user id, and only the
        administrator completes the setup through it (``tenant_opened``, version 1).
        """
        tenant_id = check_id(id, field="id")
        user_id = checked_user_id(admin_id, field="admin_id")
        instant = to_jst(opened_at, field="opened_at")
        admin = User(
            user_id=user_id,
            role=Role.ADMIN,
            status=ACCOUNT_LIFECYCLE.initial,
            family_name=validate_person_name(family_name, field="family_name"),
            given_name=validate_person_name(given_name, field="given_name"),
            notification_address=user_id,
            setup_sent_at=instant,
            setup_link=1,
        )
        tenant = cls(id=tenant_id, users=(admin,), representative=user_id, updated_at=instant)
        return tenant._with(instant, "tenant_opened", user_id, mail_to=admin)

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
        family_name_kana: str | None = None,
        given_name_kana: str | None = None,
        organisation: str | None = None,
        phone: str | None = None,
        actor: Actor,
        actor_role: Role,
        at: datetime,
    ) -> Tenant:
        """Add a user (未設定) with a setup link sent ``at``, valid 7 days (ACC-3, ACC-6, ACC-8).

        ``role`` must be a :class:`Role` member: ``"admin"`` or a label is refused (SEC-2).
        The setup mail goes to the notification address (ACC-11).
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
            setup_link=1,
        )
        optional = _optional_fields(
            family_name_kana=family_name_kana,
            given_name_kana=given_name_kana,
            organisation=organisation,
            phone=phone,
        )
        if optional:
            user = replace(user, **optional)
        if any(u.user_id == uid for u in self.users):
            raise ValidationError(f"user {uid} already exists", field="user_id", rule="ACC-8")
        return self._with(instant, "user_added", uid, mail_to=user, users=(*self.users, user))

    def resend_setup_mail(
        self, *, user_id: str, actor: Actor, actor_role: Role, at: datetime
    ) -> Tenant:
        """Send a 未設定 user a new setup link, valid 7 days; the old one stops working (ACC-11).

        An administrator's (初期設定依頼メール送信, ACC-3); a user who finished the setup
        needs none and is refused (``InvalidTransition``).
        """
        instant = command_instant(at, self.updated_at, what="tenant")
        _actor(actor, customer=True, event="resend_setup_mail")
        require(actor_role, Action.SEND_SETUP_MAIL)
        user = self.user(user_id)
        if user.status is not UserStatus.UNCONFIGURED:
            raise InvalidTransition(
                f"{excerpt(user.user_id)} is {user.status.label}: the setup is done, so no "
                "setup mail is sent",
                state=user.status.name,
                event="resend_setup_mail",
                lifecycle="account",
                rule="ACC-11",
            )
        changed = replace(user, setup_sent_at=instant, setup_link=user.setup_link + 1)
        users = self._replace_user(changed)
        return self._with(instant, "setup_mail_resent", user.user_id, mail_to=changed, users=users)

    def check_temporary_password(
        self, *, user_id: str, actor: Actor, actor_role: Role, actor_id: str
    ) -> User:
        """Return the user an administrator may give a temporary password (ACC-11).

        Not a 未設定 user — they complete the setup through a setup link (ACC-4) — and not
        the administrator acting, who changes their own password themself.
        """
        _actor(actor, customer=True, event="set_temporary_password")
        require(actor_role, Action.RESET_PASSWORDS_AND_STATUS)
        acting = check_id(actor_id, field="actor_id")
        user = self.user(user_id)
        if user.status is UserStatus.UNCONFIGURED:
            raise InvalidTransition(
                f"{excerpt(user.user_id)} has not completed the setup; send a new setup mail",
                state=user.status.name,
                event="set_temporary_password",
                lifecycle="account",
                rule="ACC-4",
            )
        if user.user_id == acting:
            raise InvalidTransition(
                "an administrator changes their own password, not a temporary one",
                state="logged_in",
                event="set_temporary_password",
                lifecycle="account",
                rule="ACC-11",
            )
        return user

    def change_role(  # noqa: PLR0913  # the target, the new role and who sends it
        self,
        *,
        user_id: str,
        role: Role,
        actor: Actor,
        actor_role: Role,
        actor_id: str,
        at: datetime,
    ) -> Tenant:
        """Give a user the other role (ACC-3, ACC-11).

        ``role`` must be a :class:`Role` member (SEC-2) other than the user's. The
        representative admin stays an administrator (ACC-5), and no administrator takes the
        role from themself or from the tenant's last active administrator (ACC-4).
        """
        instant = command_instant(at, self.updated_at, what="tenant")
        _actor(actor, customer=True, event="change_role")
        require(actor_role, Action.MANAGE_USERS)
        new_role = require_type(role, Role, field="role", rule="SEC-2", what="a Role")
        acting = check_id(actor_id, field="actor_id")
        user = self.user(user_id)
        if user.role is new_role:
            msg = f"{excerpt(user.user_id)} already has the role {new_role.label}"
            raise ValidationError(msg, field="role", rule="ACC-11")
        if new_role is Role.USER:
            check_user_removable(
                user.user_id,
                event="change_role",
                actor_id=acting,
                representative_id=self.representative,
                active_admins=self.active_admins,
            )
        changed = replace(user, role=new_role)
        return self._with(instant, "role_changed", user.user_id, users=self._replace_user(changed))

    def edit_user(  # noqa: PLR0913  # the user form's fields and who sends it
        self,
        *,
        user_id: str,
        family_name: str | None = None,
        given_name: str | None = None,
        family_name_kana: str | None = None,
        given_name_kana: str | None = None,
        organisation: str | None = None,
        phone: str | None = None,
        notification_address: str | None = None,
        actor: Actor,
        actor_role: Role,
        at: datetime,
    ) -> Tenant:
        """Change the ACC-8 fields given of a user; ``None`` keeps a field (ACC-8, ACC-11).

        The user id (the login e-mail) is the user's identity and is not edited.
        """
        instant = command_instant(at, self.updated_at, what="tenant")
        _actor(actor, customer=True, event="edit_user")
        require(actor_role, Action.MANAGE_USERS)
        user = self.user(user_id)
        changes = _optional_fields(
            family_name_kana=family_name_kana,
            given_name_kana=given_name_kana,
            organisation=organisation,
            phone=phone,
        )
        if family_name is not None:
            changes["family_name"] = validate_person_name(family_name, field="family_name")
        if given_name is not None:
            changes["given_name"] = validate_person_name(given_name, field="given_name")
        if notification_address is not None:
            changes["notification_address"] = validate_notification_address(notification_address)
        changed = replace(user, **changes)
        return self._with(instant, "user_edited", user.user_id, users=self._replace_user(changed))

    def complete_setup(  # the user, the link and who sends it
        self,
        *,
        user_id: str,
        actor: Actor,
        actor_id: str,
        at: datetime,
        link: int | None = None,
    ) -> Tenant:
        """Finish the initial setup of ``user_id``, done by that user only (ACC-4, ACC-6, SEC-1).

        ``actor_id`` is the user acting; anyone else — an administrator included — is refused
        with ``PermissionDenied``, and so is a link that expired (``DeadlinePassed``).
        ``link`` is the number of the setup link followed; a link replaced by a resent mail
        no longer works (``InvalidTransition``, ACC-11). ``None`` (the 0.1 call) is the
        current link.
        """
        instant = command_instant(at, self.updated_at, what="tenant")
        checked = _actor(actor, customer=False, event="complete_setup")
        link_number = _link(link)
        uid = check_id(user_id, field="user_id")
        if checked is not Actor.CUSTOMER or check_id(actor_id, field="actor_id") != uid:
            msg = (
                "only the user themself completes their setup, through their own setup link; "
                "an administrator may send a new link but not complete the setup"
            )
            raise PermissionDenied(msg, actor=str(checked), event="complete_setup", rule="ACC-4")
        user = self.user(uid)
        target = ACCOUNT_LIFECYCLE.fire(user.status, "complete_setup", actor=checked)
        if link_number is not None and link_number != user.setup_link:
            raise InvalidTransition(
                f"setup link {excerpt(link_number, 20)} was replaced by a newer setup mail; "
                "follow the link of the latest mail",
                state="link_replaced",
                event="complete_setup",
                lifecycle="account",
                rule="ACC-11",
            )
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

    def _with(
        self, at: datetime, what: str, user_id: str, mail_to: User | None = None, **changes: object
    ) -> Tenant:
        if mail_to is None:
            event = AccountEvent(
                aggregate_id=self.id,
                version=self.version + 1,
                occurred_at=at,
                what=what,
                user_id=user_id,
            )
        else:  # a setup mail with the user's current link (ACC-4, ACC-6, ACC-11)
            sent_at = mail_to.setup_sent_at or at
            event = AccountEvent(
                aggregate_id=self.id,
                version=self.version + 1,
                occurred_at=at,
                what=what,
                user_id=user_id,
                to=mail_to.notification_address,
                setup_link=mail_to.setup_link,
                expires_at=setup_link_expires_at(sent_at),
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


def _flag(_: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if type(value) is not bool:
        msg = f"{attribute.name} must be True or False, not {type(value).__name__}"
        raise ValidationError(msg, field=attribute.name, rule="SEC-2")


@stored("accounts.Credential", version=2)
@attrs.frozen(kw_only=True)
class Credential:
    """A stored password: only its hash and the hashes of earlier ones (ACC-1, ACC-2).

    ``customer_id`` is the customer (tenant, OCN customer) it belongs to and ``user_id``
    the account holder (``None``: the customer's single account); only that holder changes
    it (SEC-1). ``must_change`` says the password is a temporary one an administrator set:
    the holder must change it at the next login (ACC-11); the holder's own change clears
    it (schema 2; schema 1 had no temporary passwords).
    """

    id: str = attrs.field(validator=_id)
    customer_id: str = attrs.field(validator=_id)
    user_id: str | None = attrs.field(default=None, validator=_id_or_none)
    password_hash: str = attrs.field(repr=False, validator=_password_hash)
    history: tuple[str, ...] = attrs.field(default=(), repr=False, validator=_hashes)
    changed_at: datetime | None = attrs.field(default=None, validator=_instant_or_none)
    must_change: bool = attrs.field(default=False, validator=_flag)
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
        return self._replaced(password_hash, policy, at, temporary=False)

    def set_temporary(
        self, *, password_hash: str, policy: PasswordPolicy, at: datetime
    ) -> Credential:
        """Replace the password by an administrator's temporary one (ACC-11, ACC-2).

        The holder must change it at the next login (``must_change``). The caller checked
        the password against ``policy``; the current hash joins the history, and the
        holder's change lock (ACC-1) does not apply to an administrator.
        """
        return self._replaced(password_hash, policy, at, temporary=True)

    def _replaced(
        self, password_hash: str, policy: PasswordPolicy, at: datetime, *, temporary: bool
    ) -> Credential:
        """Return the credential with ``password_hash`` in force, the old one in the history.

        The holder's own change (``temporary`` false) is subject to the change lock (ACC-1)
        and restarts it; an administrator's temporary password (ACC-11) is not and does
        not, and must be changed at the next login.
        """
        instant = command_instant(at, self.updated_at, what="credential")
        require_type(policy, PasswordPolicy, field="policy", rule=None, what="a PasswordPolicy")
        new_hash = _hash(password_hash, policy.rule)
        if not temporary:
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
            changed_at=self.changed_at if temporary else instant,
            must_change=temporary,
        )
