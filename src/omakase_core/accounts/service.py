"""Use cases of accounts: users of a My KDDI Biz tenant, and password changes (ACC-1 … ACC-8).

:class:`UserDirectoryService` keeps a tenant's users — one aggregate per tenant, so that
the representative-admin rules (ACC-5) see every user at once — and checks the actor's role
for every command (ACC-3). :class:`PasswordService` changes passwords through a
:class:`~omakase_core.ports.PasswordHasher` only: it stores hashes, never a password, and
no error, event or ``repr`` carries one (ACC-1, ACC-2).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar

import attrs

from omakase_core._validation import check_text
from omakase_core._values import replace, with_event, without_events
from omakase_core.accounts.passwords import PasswordPolicy, PasswordPolicyError
from omakase_core.accounts.roles import Action, Role, require
from omakase_core.accounts.users import (
    ACCOUNT_LIFECYCLE,
    UserStatus,
    can_log_in,
    can_reset_password,
    check_representative_change,
    check_user_deletable,
    setup_link_expires_at,
    validate_notification_address,
    validate_person_name,
    validate_user_id,
)
from omakase_core.calendar import format_instant, to_jst
from omakase_core.errors import (
    DeadlinePassed,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from omakase_core.events import Event
from omakase_core.lifecycle import Actor
from omakase_core.ports import Clock, PasswordHasher, Repository  # attrs fields

__all__ = [
    "AccountEvent",
    "Credential",
    "PasswordChange",
    "PasswordChanged",
    "PasswordService",
    "Tenant",
    "User",
    "UserDirectoryService",
]


def _is_text(value: object) -> bool:
    return isinstance(value, str)


@attrs.frozen(kw_only=True)
class AccountEvent(Event):
    """An account event: ``what`` happened to ``user_id`` (never with a password)."""

    aggregate_type: ClassVar[str] = "tenant"

    what: str
    user_id: str


@attrs.frozen(kw_only=True)
class User:
    """One portal user of a tenant (ACC-3, ACC-4, ACC-8)."""

    user_id: str
    role: Role
    status: UserStatus
    family_name: str
    given_name: str
    notification_address: str
    setup_sent_at: datetime | None = None


@attrs.frozen(kw_only=True)
class Tenant:
    """A My KDDI Biz contract's users and its representative admin (代表管理者, ACC-5)."""

    id: str
    users: tuple[User, ...]
    representative: str
    version: int = 0
    updated_at: datetime
    pending_events: tuple[AccountEvent, ...] = ()

    def user(self, user_id: str) -> User:
        """Return the user; a deleted or unknown one is not found (ACC-4)."""
        for user in self.users:
            if user.user_id == user_id:
                return user
        raise NotFound(kind="user", id=user_id)

    def saved(self) -> Tenant:
        """Return the tenant as stored, without pending events."""
        return without_events(self)

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


@attrs.frozen(kw_only=True)
class UserDirectoryService:
    """A tenant's users: add, set up, suspend, lock, delete, representative (ACC-3 … ACC-8)."""

    tenants: Repository[Tenant]
    clock: Clock

    def create_tenant(
        self, tenant_id: str, *, admin_id: str, family_name: str, given_name: str
    ) -> Tenant:
        """Create a tenant whose first administrator is its representative admin."""
        now = self._now()
        user_id = validate_user_id(admin_id)
        admin = User(
            user_id=user_id,
            role=Role.ADMIN,
            status=UserStatus.ACTIVE,
            family_name=validate_person_name(family_name, field="family_name"),
            given_name=validate_person_name(given_name, field="given_name"),
            notification_address=validate_notification_address(user_id),
        )
        tenant = Tenant(
            id=check_text(tenant_id, field="tenant_id", rule=None, max_length=200),
            users=(admin,),
            representative=user_id,
            updated_at=now,
        )
        self.tenants.add(tenant)
        return tenant

    def add_user(  # noqa: PLR0913  # the user form's fields
        self,
        tenant_id: str,
        *,
        actor_role: Role,
        user_id: str,
        role: Role,
        family_name: str,
        given_name: str,
        notification_address: str | None = None,
    ) -> Tenant:
        """Add a user (未設定) and send the setup link, valid 7 days (ACC-3, ACC-6, ACC-8)."""
        require(actor_role, Action.MANAGE_USERS)
        tenant = self.tenants.get(tenant_id)
        uid = validate_user_id(user_id)
        if any(u.user_id == uid for u in tenant.users):
            raise ValidationError(f"user {uid} already exists", field="user_id", rule="ACC-8")
        now = self._now()
        user = User(
            user_id=uid,
            role=role,
            status=ACCOUNT_LIFECYCLE.initial,
            family_name=validate_person_name(family_name, field="family_name"),
            given_name=validate_person_name(given_name, field="given_name"),
            notification_address=validate_notification_address(notification_address or uid),
            setup_sent_at=now,
        )
        updated = tenant._with(now, "user_added", uid, users=(*tenant.users, user))
        return self._save(tenant, updated)

    def complete_setup(self, tenant_id: str, *, user_id: str) -> Tenant:
        """Finish a user's initial setup, within 7 days of the link (ACC-4, ACC-6)."""
        tenant = self.tenants.get(tenant_id)
        user = tenant.user(user_id)
        now = self._now()
        target = ACCOUNT_LIFECYCLE.fire(user.status, "complete_setup", actor=Actor.CUSTOMER)
        if user.setup_sent_at is not None:
            expires = setup_link_expires_at(user.setup_sent_at)
            if now >= expires:
                raise DeadlinePassed(
                    f"the setup link was valid until {format_instant(expires)} (7 days including "
                    "the day it was sent); ask an administrator to send a new one",
                    deadline=expires,
                    at=now,
                    rule="ACC-6",
                )
        changed = replace(user, status=target)
        return self._save(
            tenant,
            tenant._with(now, "setup_completed", user_id, users=tenant._replace_user(changed)),
        )

    def change_status(
        self, tenant_id: str, *, actor_role: Role, user_id: str, event: str
    ) -> Tenant:
        """Suspend, resume or unlock a user: the administrator's (ACC-3, ACC-4)."""
        require(actor_role, Action.RESET_PASSWORDS_AND_STATUS)
        return self._status(tenant_id, user_id, event, Actor.CUSTOMER)

    def lock(self, tenant_id: str, *, user_id: str) -> Tenant:
        """Lock a user after failed logins: the system's (ACC-4)."""
        return self._status(tenant_id, user_id, "lock", Actor.SYSTEM)

    def check_login(self, tenant_id: str, *, user_id: str) -> User:
        """Return the user if they may log in; refuse 一時停止, ロック, 未設定, deleted (ACC-4)."""
        user = self.tenants.get(tenant_id).user(user_id)
        if not can_log_in(user.status):
            raise PermissionDenied(
                f"{user_id} cannot log in while {user.status.label}",
                actor=user_id,
                event="log_in",
                state=user.status.name,
                rule="ACC-4",
            )
        return user

    def check_password_reset(self, tenant_id: str, *, user_id: str) -> User:
        """Return the user if they may ask for a password reset; refuse 一時停止 (ACC-4)."""
        user = self.tenants.get(tenant_id).user(user_id)
        if not can_reset_password(user.status):
            raise PermissionDenied(
                f"{user_id} cannot reset the password while {user.status.label}",
                actor=user_id,
                event="request_password_reset",
                state=user.status.name,
                rule="ACC-4",
            )
        return user

    def delete_user(
        self, tenant_id: str, *, actor_role: Role, actor_id: str, user_id: str
    ) -> Tenant:
        """Delete a user; never the one logged in, nor the representative (ACC-3, ACC-5)."""
        require(actor_role, Action.MANAGE_USERS)
        tenant = self.tenants.get(tenant_id)
        tenant.user(user_id)
        check_user_deletable(
            user_id, logged_in_user_id=actor_id, representative_id=tenant.representative
        )
        users = tuple(u for u in tenant.users if u.user_id != user_id)
        return self._save(tenant, tenant._with(self._now(), "user_deleted", user_id, users=users))

    def change_representative(self, tenant_id: str, *, actor_role: Role, new: str) -> Tenant:
        """Make another administrator the representative admin (ACC-3, ACC-5)."""
        require(actor_role, Action.CHANGE_REPRESENTATIVE_ADMIN)
        tenant = self.tenants.get(tenant_id)
        admins = [u.user_id for u in tenant.users if u.role is Role.ADMIN]
        check_representative_change(admins, current=tenant.representative, new=new)
        updated = tenant._with(self._now(), "representative_changed", new, representative=new)
        return self._save(tenant, updated)

    def _status(self, tenant_id: str, user_id: str, event: str, actor: Actor) -> Tenant:
        tenant = self.tenants.get(tenant_id)
        user = tenant.user(user_id)
        target = ACCOUNT_LIFECYCLE.fire(user.status, event, actor=actor)
        changed = replace(user, status=target)
        updated = tenant._with(self._now(), event, user_id, users=tenant._replace_user(changed))
        return self._save(tenant, updated)

    def _now(self) -> datetime:
        return to_jst(self.clock.now(), field="now")

    def _save(self, loaded: Tenant, updated: Tenant) -> Tenant:
        self.tenants.save(updated, expected_version=loaded.version)
        return updated


# -- passwords --------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class PasswordChanged(Event):
    """A password changed; ``effective_by`` is when it surely works (ACC-1). No password."""

    aggregate_type: ClassVar[str] = "credential"

    effective_by: datetime


@attrs.frozen(kw_only=True)
class Credential:
    """A stored password: only its hash and the hashes of earlier ones (ACC-1, ACC-2)."""

    id: str
    password_hash: str = attrs.field(repr=False)
    history: tuple[str, ...] = attrs.field(default=(), repr=False)
    changed_at: datetime | None = None
    version: int = 0
    updated_at: datetime
    pending_events: tuple[PasswordChanged, ...] = ()

    def saved(self) -> Credential:
        """Return the credential as stored, without pending events."""
        return without_events(self)


@attrs.frozen(kw_only=True)
class PasswordChange:
    """What a password change gives back: when it works and when the next may come (ACC-1)."""

    effective_by: datetime
    next_change_from: datetime | None


@attrs.frozen(kw_only=True)
class PasswordService:
    """Password changes under one policy, through the hasher port only (ACC-1, ACC-2)."""

    credentials: Repository[Credential]
    clock: Clock
    hasher: PasswordHasher
    policy: PasswordPolicy

    def set_initial(self, credential_id: str, *, new: str, confirmation: str) -> Credential:
        """Store the first password of a credential (the initial setup)."""
        self.policy.validate(new, confirmation=confirmation)
        credential = Credential(
            id=check_text(credential_id, field="credential_id", rule=None, max_length=200),
            password_hash=self.hasher.hash(new),
            updated_at=to_jst(self.clock.now(), field="now"),
        )
        self.credentials.add(credential)
        return credential

    def change(
        self,
        credential_id: str,
        *,
        current: str,
        new: str,
        confirmation: str,
        actor_role: Role | None = None,
    ) -> PasswordChange:
        """Change a password; give ``actor_role`` when a KDDI portal user acts (ACC-3).

        The current password must verify; a change within the policy's lock after the last
        one is refused (ACC-1: 1 hour); the new one must satisfy the policy, differ from the
        current one and from the last N (ACC-2).
        """
        if actor_role is not None:
            require(actor_role, Action.CHANGE_OWN_PASSWORD)
        now = to_jst(self.clock.now(), field="now")
        credential = self.credentials.get(credential_id)
        if not _is_text(current) or not self.hasher.verify(current, credential.password_hash):
            raise PasswordPolicyError(
                "the current password is not correct", requirement="current", rule=self.policy.rule
            )
        lock = self.policy.change_lock
        if lock is not None and credential.changed_at is not None:
            free = credential.changed_at + lock
            if now < free:
                raise DeadlinePassed(
                    f"the password was changed at {format_instant(credential.changed_at)}; "
                    f"another change is possible from {format_instant(free)}",
                    deadline=free,
                    at=now,
                    rule=self.policy.rule,
                )
        self.policy.validate(
            new,
            confirmation=confirmation,
            current=credential.password_hash,
            history=credential.history,
            hasher=self.hasher,
        )
        effective = now + (self.policy.effective_within or timedelta())
        keep = max(self.policy.history_size, 1)
        event = PasswordChanged(
            aggregate_id=credential.id,
            version=credential.version + 1,
            occurred_at=now,
            effective_by=effective,
        )
        updated = replace(
            credential,
            password_hash=self.hasher.hash(new),
            history=(*credential.history, credential.password_hash)[-keep:],
            changed_at=now,
            version=event.version,
            updated_at=now,
            pending_events=(event,),
        )
        self.credentials.save(updated, expected_version=credential.version)
        return PasswordChange(
            effective_by=effective, next_change_from=now + lock if lock is not None else None
        )
