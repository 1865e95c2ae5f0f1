"""Use cases of accounts over the ports: a tenant's users, and password changes.

:class:`UserDirectoryService` keeps a tenant's users (ACC-3 … ACC-8) and
:class:`PasswordService` changes passwords through a
:class:`~omakase_core.ports.PasswordHasher` only: it stores hashes, never a password, and
no error, event or ``repr`` carries one (ACC-1, ACC-2).

Every command and look-up takes ``by``, the :class:`~omakase_core.Principal` acting, and
runs in one order. First what needs no stored aggregate: the principal, its role
(``by.role``, a :class:`~omakase_core.accounts.Role` member, SEC-2) and the "own account"
check (SEC-1) — so a ユーザ or another user is refused with ``PermissionDenied`` before
anything is read, whatever version they name, and learns nothing of the aggregate. Then the
stored aggregate and its owner — another tenant's aggregate is the same ``NotFound`` as an
absent one (SEC-1). An administrator's command then checks the acting user *as stored*: a
user of the tenant, 有効, whose stored role may take the action — the principal's role is
only its session's word, and an administrator demoted, suspended, locked or deleted since
(or never set up, or never a user) is refused (ACC-3, ACC-4). Then the version the screen
showed (``expected_version``, SEC-3); only then the clock is read, so a command that loses
a race ends in a ``ConcurrencyConflict`` at save time, never in a time-order error.

Decisions (the seeds are silent):

- A tenant's principals are ``Principal.customer(tenant_id, user_id=..., role=Role.X)``:
  the tenant id is the customer scope. Operators and the system see every tenant, but the
  user-management commands are the tenant administrators' (ACC-3): an operator is refused
  them. Only the system locks an account; anyone else is refused before the look-up.
- Looking a tenant up (:meth:`UserDirectoryService.get`) shows every user, so a customer
  needs the administrator's ``manage_users`` permission for it. ``check_login`` and
  ``check_password_reset`` answer the back office (the login service acting as the system)
  or the user about their own account only; a role given must be a ``Role`` (SEC-2).
- "Own" actions — completing one's setup, setting and changing one's password — are the
  account holder's only (SEC-1): an administrator, an operator or another user is refused
  with ``PermissionDenied``. They need no role, but a role given must be a ``Role``.
- A tenant can be opened by the back office or by a customer principal of that very
  tenant; creating commands take no ``expected_version`` (there is no stored version). A
  taken id — the caller's own aggregate or anyone else's — is one ``ValidationError``
  naming ``tenant_id`` / ``credential_id`` (SEC-1), never a ``ConcurrencyConflict`` that
  would show the stored version (:func:`omakase_core.principal.add_new`).
- One credential per account (SEC-1, ACC-1, ACC-2). A credential's id is its account's
  login id, taken from the principal: the user id for a user of a multi-user tenant (My
  KDDI Biz; user ids are login e-mails, ACC-8, unique across the portal), the customer id
  for a customer's single account (OCN). ``set_initial`` refuses any other id, and a
  second ``set_initial`` finds the id taken, so the first password can be set once only and
  every later one goes through :meth:`PasswordService.change` (current password, ACC-1
  change lock, ACC-2 history).
- Whose credentials a :class:`PasswordService` keeps is said by its policy
  (``PasswordPolicy.single_account``). A single-account credential (``user_id=None``,
  :data:`~omakase_core.accounts.OCN_AUTH_PASSWORD`) is touched only by a principal of that
  customer with no user id — never by a user of a tenant; a per-user credential only by the
  principal naming that user id (a principal with none is refused, naming ``by``). A stored
  credential whose holder does not fit the policy (e.g. ``user_id=None`` in a per-user
  service) is refused to everyone.
- The services report an absent or foreign aggregate as ``NotFound`` of kind ``tenant`` or
  ``credential`` whatever kind the caller's repository names, so the two read the same.
- A service is built from ports: objects (not classes, not names) with the port's methods,
  and a :class:`~omakase_core.accounts.PasswordPolicy`; anything else is a
  ``ValidationError`` naming the field when the service is built, not an ``AttributeError``
  at its first command (SEC-2).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, TypeVar

import attrs

from omakase_core._validation import port_validator
from omakase_core._values import replace
from omakase_core.accounts.aggregate import Credential, Tenant
from omakase_core.accounts.model import (
    Action,
    PasswordChange,
    PasswordPolicy,
    Role,
    User,
    UserStatus,
)
from omakase_core.accounts.ports import CredentialRepository, TenantRepository  # attrs fields
from omakase_core.accounts.rules import (
    can_log_in,
    can_reset_password,
    check_change_lock,
    check_current_password,
    check_permission,
    require,
)
from omakase_core.calendar import to_jst
from omakase_core.errors import NotFound, PermissionDenied, ValidationError, excerpt
from omakase_core.ports import Clock, PasswordHasher  # attrs fields
from omakase_core.principal import (
    Principal,
    PrincipalKind,
    add_new,
    check_id,
    check_principal,
    check_self,
    check_version,
    load_owned,
)

if TYPE_CHECKING:
    from datetime import datetime

__all__ = ["PasswordService", "UserDirectoryService"]

A = TypeVar("A")


def _policy(_: object, attribute: attrs.Attribute[PasswordPolicy], value: object) -> None:
    if type(value) is not PasswordPolicy:
        msg = f"policy must be a PasswordPolicy, not {type(value).__name__}"
        raise ValidationError(msg, field=attribute.name, rule="SEC-2")


_CLOCK: Final = port_validator("a Clock", "now")


def _tenant_scope(tenant: Tenant) -> str:
    return tenant.id


def _credential_scope(credential: Credential) -> str:
    return credential.customer_id


def _acting_user(by: Principal) -> str:
    """Return the id of the user acting; an administrator's command needs it (ACC-4)."""
    if by.user_id is None:
        msg = "by.user_id is needed: an administrator's command must say which user acts"
        raise ValidationError(msg, field="by", rule="SEC-1")
    return by.user_id


def _own_role(by: Principal, action: Action | None) -> None:
    """Check the role of an "own" action: none is needed, but one given must be a Role (SEC-2)."""
    role = by.role
    if role is not None:
        if type(role) is not Role:
            msg = f"by.role must be an accounts Role (Role.ADMIN or Role.USER), not {excerpt(role)}"
            raise ValidationError(msg, field="by", rule="SEC-2")
        if action is not None:
            require(role, action)


def _check_system(by: Principal, event: str) -> None:
    """Refuse a command that is the system's only (ACC-4: locking after failed logins)."""
    if by.kind is not PrincipalKind.SYSTEM:
        msg = f"{event} is the system's, after failed logins; a {by.kind.value} may not do it"
        raise PermissionDenied(msg, actor=str(by.actor), event=event, rule="ACC-4")


def _stored_admin_role(tenant: Tenant, by: Principal, actor_id: str, action: Action) -> Role:
    """Return the acting user's stored role if they, as stored, may take ``action`` (ACC-3, 4)."""
    user = next((u for u in tenant.users if u.user_id == actor_id), None)
    if user is None or user.status is not UserStatus.ACTIVE:
        state = "not a user of this tenant" if user is None else user.status.label
        raise PermissionDenied(
            f"{action.label} ({action.value}) needs an active administrator of the tenant; "
            f"the acting user is {state}",
            actor=str(by.actor),
            event=action.value,
            rule="ACC-4",
            state=None if user is None else user.status.name,
            state_label=None if user is None else user.status.label,
            actor_label=Role.ADMIN.label,  # who the session says acts: an administrator
            event_label=action.label,
        )
    require(user.role, action)  # a role changed since the session began: ACC-3
    return user.role


def _passwords(
    _: object, attribute: attrs.Attribute[PasswordService | None], value: object
) -> None:
    if value is None:
        return
    if type(value) is not PasswordService or value.policy.single_account:
        msg = (
            "passwords must be None or a PasswordService of a per-user policy "
            f"(KDDI_PORTAL_PASSWORD), not {type(value).__name__}"
        )
        raise ValidationError(msg, field=attribute.name, rule="SEC-2")


@attrs.frozen(kw_only=True)
class UserDirectoryService:
    """A tenant's users: add, set up, suspend, lock, delete, representative (ACC-3 … ACC-8).

    And ACC-11's user management: resend the setup mail, set a temporary password (through
    ``passwords``, the tenant users' :class:`PasswordService`; without it that command is
    refused), change a role, edit a user's fields, delete a user.
    """

    tenants: TenantRepository = attrs.field(
        validator=port_validator("a TenantRepository", "get", "add", "save")
    )
    clock: Clock = attrs.field(validator=_CLOCK)
    passwords: PasswordService | None = attrs.field(default=None, validator=_passwords)

    def create_tenant(
        self, tenant_id: str, *, by: Principal, admin_id: str, family_name: str, given_name: str
    ) -> Tenant:
        """Open a tenant whose first administrator is its representative admin (SEC-1).

        The back office opens any tenant; a customer principal only its own tenant id. A
        taken id is a ``ValidationError`` naming ``tenant_id``, alike whoever holds it. The
        administrator starts 未設定 and gets a setup mail with link 1 (ACC-4, ACC-6).
        """
        principal = check_principal(by)
        tid = check_id(tenant_id, field="tenant_id")
        if not principal.is_back_office and principal.customer_id != tid:
            msg = "a tenant is opened by the back office or by a user of that tenant"
            raise PermissionDenied(
                msg, actor=str(principal.actor), event="create_tenant", rule="SEC-1"
            )
        tenant = Tenant.open(
            id=tid,
            admin_id=admin_id,
            family_name=family_name,
            given_name=given_name,
            opened_at=self._now(),
        )
        add_new(self.tenants, tenant, id=tid, field="tenant_id")
        return tenant

    def get(self, tenant_id: str, *, by: Principal) -> Tenant:
        """Return the stored tenant with its users: the back office's, or an admin's (ACC-3)."""
        principal = check_principal(by)
        if principal.is_back_office:
            return self._load(tenant_id, principal, None)
        return self._as_admin(tenant_id, principal, Action.MANAGE_USERS, None)[0]

    def add_user(  # noqa: PLR0913  # the user form's fields
        self,
        tenant_id: str,
        *,
        by: Principal,
        user_id: str,
        role: Role,
        family_name: str,
        given_name: str,
        notification_address: str | None = None,
        expected_version: int | None = None,
        family_name_kana: str | None = None,
        given_name_kana: str | None = None,
        organisation: str | None = None,
        phone: str | None = None,
    ) -> Tenant:
        """Add a user (未設定) and send the setup link, valid 7 days (ACC-3, ACC-6, ACC-8).

        ``role`` must be a :class:`Role` member; ``"admin"`` is refused (SEC-2). The setup
        mail (link 1) goes to the notification address (ACC-11).
        """
        principal = check_principal(by)
        tenant, actor_role, _ = self._as_admin(
            tenant_id, principal, Action.MANAGE_USERS, expected_version
        )
        updated = tenant.add_user(
            user_id=user_id,
            role=role,
            family_name=family_name,
            given_name=given_name,
            notification_address=notification_address,
            family_name_kana=family_name_kana,
            given_name_kana=given_name_kana,
            organisation=organisation,
            phone=phone,
            actor=principal.actor,
            actor_role=actor_role,
            at=self._now(),
        )
        return self._save(tenant, updated)

    def complete_setup(
        self,
        tenant_id: str,
        *,
        by: Principal,
        user_id: str,
        expected_version: int | None = None,
        link: int | None = None,
    ) -> Tenant:
        """Finish ``user_id``'s own initial setup within 7 days of the link (ACC-4, ACC-6).

        Only that user does it (SEC-1): an administrator completing another user's setup is
        refused with ``PermissionDenied``, and nothing changes. ``link`` is the number of the
        setup link followed (the mail's ``setup_link``); one replaced by a resent mail is
        refused (ACC-11). ``None`` takes the current link (the 0.1 call).
        """
        principal = check_principal(by)
        uid = check_id(user_id, field="user_id")
        check_self(principal, user_id=uid, event="complete_setup")
        _own_role(principal, None)
        actor_id = _acting_user(principal)
        tenant = self._load(tenant_id, principal, expected_version)
        updated = tenant.complete_setup(
            user_id=uid, actor=principal.actor, actor_id=actor_id, at=self._now(), link=link
        )
        return self._save(tenant, updated)

    def resend_setup_mail(
        self,
        tenant_id: str,
        *,
        by: Principal,
        user_id: str,
        expected_version: int | None = None,
    ) -> Tenant:
        """Send a 未設定 user a new setup link, valid 7 days; the old stops working (ACC-11).

        An administrator's (初期設定依頼メール送信, ACC-3); a user of another tenant is not
        found (SEC-1); a user already set up is refused (``InvalidTransition``).
        """
        principal = check_principal(by)
        tenant, actor_role, _ = self._as_admin(
            tenant_id, principal, Action.SEND_SETUP_MAIL, expected_version
        )
        updated = tenant.resend_setup_mail(
            user_id=user_id, actor=principal.actor, actor_role=actor_role, at=self._now()
        )
        return self._save(tenant, updated)

    def set_temporary_password(  # noqa: PLR0913  # the form's passwords, who and which version
        self,
        tenant_id: str,
        *,
        by: Principal,
        user_id: str,
        new: str,
        confirmation: str,
        expected_version: int | None = None,
    ) -> Credential:
        """Set a temporary password the user must change at the next login (ACC-11, ACC-2).

        An administrator's (ACC-3), for a user of the same tenant (SEC-1) who finished the
        setup: a 未設定 user gets a new setup mail instead (ACC-4), and an administrator
        changes their own password themself. The password follows the policy of
        ``passwords`` (ACC-2) and reaches only its hasher; the seed sends no mail for it.
        ``expected_version`` is the tenant's (SEC-3). :meth:`check_login` then answers
        ``must_change_password``; the user's own :meth:`PasswordService.change` clears it.
        """
        principal = check_principal(by)
        passwords = self.passwords
        if passwords is None:
            msg = "passwords (the users' PasswordService) is needed to set a temporary password"
            raise ValidationError(msg, field="passwords", rule="ACC-11")
        tenant, actor_role, actor_id = self._as_admin(
            tenant_id, principal, Action.RESET_PASSWORDS_AND_STATUS, expected_version
        )
        user = tenant.check_temporary_password(
            user_id=user_id, actor=principal.actor, actor_role=actor_role, actor_id=actor_id
        )
        return passwords._set_temporary(  # the directory checked the administrator
            user.user_id,
            by=principal,
            customer_id=tenant.id,
            new=new,
            confirmation=confirmation,
            at=self._now(),
        )

    def change_role(
        self,
        tenant_id: str,
        *,
        by: Principal,
        user_id: str,
        role: Role,
        expected_version: int | None = None,
    ) -> Tenant:
        """Give a user the other role: an administrator's (ACC-3, ACC-5, ACC-11).

        The representative admin, the administrator acting and the last active
        administrator keep the administrator role; ``role`` must be a :class:`Role` (SEC-2).
        """
        principal = check_principal(by)
        tenant, actor_role, actor_id = self._as_admin(
            tenant_id, principal, Action.MANAGE_USERS, expected_version
        )
        updated = tenant.change_role(
            user_id=user_id,
            role=role,
            actor=principal.actor,
            actor_role=actor_role,
            actor_id=actor_id,
            at=self._now(),
        )
        return self._save(tenant, updated)

    def edit_user(  # noqa: PLR0913  # the user form's fields
        self,
        tenant_id: str,
        *,
        by: Principal,
        user_id: str,
        family_name: str | None = None,
        given_name: str | None = None,
        family_name_kana: str | None = None,
        given_name_kana: str | None = None,
        organisation: str | None = None,
        phone: str | None = None,
        notification_address: str | None = None,
        expected_version: int | None = None,
    ) -> Tenant:
        """Change the ACC-8 fields given of a user; ``None`` keeps one (ACC-3, ACC-8, ACC-11)."""
        principal = check_principal(by)
        tenant, actor_role, _ = self._as_admin(
            tenant_id, principal, Action.MANAGE_USERS, expected_version
        )
        updated = tenant.edit_user(
            user_id=user_id,
            family_name=family_name,
            given_name=given_name,
            family_name_kana=family_name_kana,
            given_name_kana=given_name_kana,
            organisation=organisation,
            phone=phone,
            notification_address=notification_address,
            actor=principal.actor,
            actor_role=actor_role,
            at=self._now(),
        )
        return self._save(tenant, updated)

    def change_status(
        self,
        tenant_id: str,
        *,
        by: Principal,
        user_id: str,
        event: str,
        expected_version: int | None = None,
    ) -> Tenant:
        """Suspend, resume or unlock a user: an administrator's (ACC-3, ACC-4).

        ``event`` is ``"suspend"``, ``"resume"`` or ``"unlock"``; no administrator suspends
        themself, the representative admin or the last active administrator.
        """
        principal = check_principal(by)
        tenant, actor_role, actor_id = self._as_admin(
            tenant_id, principal, Action.RESET_PASSWORDS_AND_STATUS, expected_version
        )
        updated = tenant.change_status(
            user_id=user_id,
            event=event,
            actor=principal.actor,
            actor_role=actor_role,
            actor_id=actor_id,
            at=self._now(),
        )
        return self._save(tenant, updated)

    def lock(
        self,
        tenant_id: str,
        *,
        by: Principal,
        user_id: str,
        expected_version: int | None = None,
    ) -> Tenant:
        """Lock a user after failed logins: the system's only (ACC-4)."""
        principal = check_principal(by)
        _check_system(principal, "lock")
        tenant = self._load(tenant_id, principal, expected_version)
        updated = tenant.lock(user_id=user_id, actor=principal.actor, at=self._now())
        return self._save(tenant, updated)

    def check_login(self, tenant_id: str, *, by: Principal, user_id: str) -> User:
        """Return the user if they may log in; refuse 一時停止, ロック, 未設定, deleted (ACC-4).

        The back office asks for anyone; a customer principal only for its own account, and
        a role it gives must be a :class:`Role` (SEC-2). With ``passwords``, the user's
        ``must_change_password`` says whether they log in with a temporary password and must
        change it now (ACC-11).
        """
        user = self._own_user(tenant_id, by, user_id, "log_in")
        if not can_log_in(user.status):
            raise PermissionDenied(
                f"the user cannot log in while {user.status.label}",
                actor=str(by.actor),
                event="log_in",
                state=user.status.name,
                rule="ACC-4",
            )
        if self.passwords is not None and self.passwords.must_change(user.user_id):
            return replace(user, must_change_password=True)
        return user

    def principal_for(self, tenant_id: str, *, by: Principal, user_id: str) -> Principal:
        """Return the principal of a user who may log in, with their stored role (ACC-3, ACC-4).

        A portal builds each request's principal with this rather than from what its session
        remembers, so a role changed, or a user suspended, locked or deleted since the login,
        takes effect on the next request in every service — the services other than this
        directory hold no users and take the principal's role as given. Who may ask is as for
        :meth:`check_login` (the back office, or the user about themself); a user who may not
        log in is refused as there (``PermissionDenied``, ACC-4). A user on a temporary
        password gets their principal too — they need it to change the password — so a
        portal asks :meth:`check_login` for ``must_change_password`` and shows nothing but
        the password change until it is done (ACC-11).
        """
        user = self.check_login(tenant_id, by=by, user_id=user_id)
        return Principal.customer(tenant_id, user_id=user.user_id, role=user.role)

    def check_password_reset(self, tenant_id: str, *, by: Principal, user_id: str) -> User:
        """Return the user if they may ask for a password reset; refuse 一時停止 (ACC-4).

        Who may ask is as for :meth:`check_login` (SEC-1, SEC-2).
        """
        user = self._own_user(tenant_id, by, user_id, "request_password_reset")
        if not can_reset_password(user.status):
            raise PermissionDenied(
                f"the user cannot reset the password while {user.status.label}",
                actor=str(by.actor),
                event="request_password_reset",
                state=user.status.name,
                rule="ACC-4",
            )
        return user

    def delete_user(
        self,
        tenant_id: str,
        *,
        by: Principal,
        user_id: str,
        expected_version: int | None = None,
    ) -> Tenant:
        """Delete a user; never oneself, the representative or the last active admin (ACC-4, 5).

        An administrator's (ACC-3, ACC-11); a user of another tenant is not found (SEC-1).
        """
        principal = check_principal(by)
        tenant, actor_role, actor_id = self._as_admin(
            tenant_id, principal, Action.MANAGE_USERS, expected_version
        )
        updated = tenant.delete_user(
            user_id=user_id,
            actor=principal.actor,
            actor_role=actor_role,
            actor_id=actor_id,
            at=self._now(),
        )
        return self._save(tenant, updated)

    def change_representative(
        self,
        tenant_id: str,
        *,
        by: Principal,
        new: str,
        expected_version: int | None = None,
    ) -> Tenant:
        """Make another 有効 administrator the representative admin (ACC-3, ACC-5)."""
        principal = check_principal(by)
        tenant, actor_role, _ = self._as_admin(
            tenant_id, principal, Action.CHANGE_REPRESENTATIVE_ADMIN, expected_version
        )
        updated = tenant.change_representative(
            new=new, actor=principal.actor, actor_role=actor_role, at=self._now()
        )
        return self._save(tenant, updated)

    def _as_admin(
        self, tenant_id: str, principal: Principal, action: Action, expected_version: int | None
    ) -> tuple[Tenant, Role, str]:
        """Load the tenant for an administrator's ``action``; return it, the role and the user.

        The role the principal carries (its session's) is checked first, before anything is
        read (ACC-3); then the tenant and its owner (SEC-1). Then the acting user must be a
        user *of the stored tenant*, 有効, whose stored role may take ``action``: an
        administrator demoted, suspended, locked or deleted since the session began — or one
        that never existed — is refused with ``PermissionDenied`` (ACC-3, ACC-4), never
        trusted on the session's word. The version (SEC-3) comes last, so a refused actor
        learns nothing of the stored version.
        """
        check_permission(principal, action)
        actor_id = _acting_user(principal)
        tenant = self._load(tenant_id, principal, None)
        role = _stored_admin_role(tenant, principal, actor_id, action)
        if expected_version is not None:
            check_version(expected_version, actual=tenant.version, aggregate_id=tenant.id)
        return tenant, role, actor_id

    def _own_user(self, tenant_id: str, by: Principal, user_id: str, event: str) -> User:
        principal = check_principal(by)
        uid = check_id(user_id, field="user_id")
        if not principal.is_back_office:
            check_self(principal, user_id=uid, event=event)
            _own_role(principal, None)
        return self._load(tenant_id, principal, None).user(uid)

    def _load(self, tenant_id: object, by: Principal, expected_version: int | None) -> Tenant:
        return load_owned(
            self.tenants,
            tenant_id,
            by=by,
            kind="tenant",
            expected_version=expected_version,
            customer_of=_tenant_scope,
            field="tenant_id",
        )

    def _now(self) -> datetime:
        return to_jst(self.clock.now(), field="now")

    def _save(self, loaded: Tenant, updated: Tenant) -> Tenant:
        self.tenants.save(updated, expected_version=loaded.version)
        return updated


@attrs.frozen(kw_only=True)
class PasswordService:
    """Password changes under one policy, through the hasher port only (ACC-1, ACC-2).

    The policy also says whose credentials these are (``PasswordPolicy.single_account``):
    a customer's single account, or each user of a multi-user tenant (SEC-1).
    """

    credentials: CredentialRepository = attrs.field(
        validator=port_validator("a CredentialRepository", "get", "add", "save")
    )
    clock: Clock = attrs.field(validator=_CLOCK)
    hasher: PasswordHasher = attrs.field(
        validator=port_validator("a PasswordHasher", "hash", "verify")
    )
    policy: PasswordPolicy = attrs.field(validator=_policy)

    def set_initial(
        self, credential_id: str, *, by: Principal, new: str, confirmation: str
    ) -> Credential:
        """Store the first password of ``by``'s own account, once (the initial setup, SEC-1).

        ``credential_id`` is the account's login id: ``by.user_id`` for a user of a tenant,
        ``by.customer_id`` for a single-account customer; any other id is refused. The
        credential remembers its customer and user; a second call finds the id taken (a
        ``ValidationError`` naming ``credential_id``): later passwords go through
        :meth:`change`.
        """
        principal = check_principal(by)
        cid = check_id(credential_id, field="credential_id")
        user_id = self._holder(principal, cid, "set_initial_password")
        _own_role(principal, Action.CHANGE_OWN_PASSWORD)
        self.policy.validate(new, confirmation=confirmation)
        credential = Credential.create(
            id=cid,
            customer_id=self._customer(principal),
            user_id=user_id,
            password_hash=self.hasher.hash(new),
            at=self._now(),
        )
        add_new(self.credentials, credential, id=cid, field="credential_id")
        return credential

    def change(  # noqa: PLR0913  # the form's three passwords, who and which version
        self,
        credential_id: str,
        *,
        by: Principal,
        current: str,
        new: str,
        confirmation: str,
        expected_version: int | None = None,
    ) -> PasswordChange:
        """Change ``by``'s own password (ACC-1, ACC-2, ACC-3, SEC-1).

        The current password must verify; a change within the policy's lock after the last
        one is refused (ACC-1: 1 hour); the new one must satisfy the policy, differ from the
        current one and from the last N (ACC-2). Another user's credential is refused before
        it is read, whatever ``expected_version`` says.
        """
        principal = check_principal(by)
        cid = check_id(credential_id, field="credential_id")
        user_id = self._holder(principal, cid, "change_password")
        _own_role(principal, Action.CHANGE_OWN_PASSWORD)
        credential = load_owned(
            self.credentials,
            cid,
            by=principal,
            kind="credential",
            expected_version=expected_version,
            customer_of=_credential_scope,
            field="credential_id",
        )
        if credential.user_id != user_id:  # stored for another holder than the policy's
            msg = f"credential {cid[:40]!r} is not the account of {principal!r}"
            raise PermissionDenied(
                msg, actor=str(principal.actor), event="change_password", rule="SEC-1"
            )
        now = self._now()
        policy = self.policy
        check_current_password(
            current, stored_hash=credential.password_hash, hasher=self.hasher, policy=policy
        )
        check_change_lock(policy, changed_at=credential.changed_at, at=now)
        policy.validate(
            new,
            confirmation=confirmation,
            current=credential.password_hash,
            history=credential.history,
            hasher=self.hasher,
        )
        updated = credential.change(password_hash=self.hasher.hash(new), policy=policy, at=now)
        self.credentials.save(updated, expected_version=credential.version)
        (event,) = updated.pending_events
        lock = policy.change_lock
        return PasswordChange(
            effective_by=event.effective_by,
            next_change_from=None if lock is None else event.occurred_at + lock,
        )

    def _set_temporary(  # noqa: PLR0913  # who, whose, the two passwords and when
        self,
        credential_id: str,
        *,
        by: Principal,
        customer_id: str,
        new: str,
        confirmation: str,
        at: datetime,
    ) -> Credential:
        """Store an administrator's temporary password for a tenant's user (ACC-11, ACC-2).

        Private: only :meth:`UserDirectoryService.set_temporary_password` calls this, after
        checking the acting administrator and the user against the stored tenant (this
        service holds no tenant, so it could only take ``by``'s role on its word). ``by`` is
        checked again all the same: an administrator (ACC-3) of ``customer_id`` (SEC-1), not
        the holder. The password reaches only the hasher. A
        credential the user has is replaced (its hash joins the history); a user without
        one gets one.
        """
        principal = check_principal(by)
        check_permission(principal, Action.RESET_PASSWORDS_AND_STATUS)
        cid = check_id(credential_id, field="credential_id")
        tenant_id = check_id(customer_id, field="customer_id")
        if principal.customer_id != tenant_id or principal.user_id == cid:
            msg = "a temporary password is set by another administrator of the user's tenant"
            raise PermissionDenied(
                msg, actor=str(principal.actor), event="set_temporary", rule="SEC-1"
            )
        existing = self._stored(cid)
        if existing is not None and existing.customer_id != tenant_id:
            msg = f"credential {cid[:40]!r} is not an account of this tenant"
            raise PermissionDenied(msg, actor="customer", event="set_temporary", rule="SEC-1")
        self.policy.validate(
            new,
            confirmation=confirmation,
            current=None if existing is None else existing.password_hash,
            history=() if existing is None else existing.history,
            hasher=self.hasher,
        )
        password_hash = self.hasher.hash(new)
        if existing is None:
            created = Credential.create(
                id=cid, customer_id=tenant_id, user_id=cid, password_hash=password_hash, at=at
            )
            credential = replace(created, must_change=True)
            add_new(self.credentials, credential, id=cid, field="credential_id")
            return credential
        updated = existing.set_temporary(password_hash=password_hash, policy=self.policy, at=at)
        self.credentials.save(updated, expected_version=existing.version)
        return updated

    def must_change(self, credential_id: str) -> bool:
        """Return whether the account's password is a temporary one to change (ACC-11)."""
        credential = self._stored(check_id(credential_id, field="credential_id"))
        return credential is not None and credential.must_change

    def _stored(self, credential_id: str) -> Credential | None:
        try:
            return self.credentials.get(credential_id)
        except NotFound:
            return None

    def _holder(self, by: Principal, credential_id: str, event: str) -> str | None:
        """Return the user id the credential ``credential_id`` of ``by`` holds (SEC-1).

        Refuse a principal that is not the holder: not customer-side, a user of a tenant
        for a single-account policy, no user id for a per-user policy, or an id that is not
        its own account's.
        """
        single = self.policy.single_account
        if by.kind is not PrincipalKind.CUSTOMER:
            msg = f"{event} is the account holder's own action; a {by.kind.value} may not do it"
            raise PermissionDenied(msg, actor=str(by.actor), event=event, rule="SEC-1")
        if single and by.user_id is not None:
            msg = (
                f"the {self.policy.name} is the customer's single account; "
                "a user of a tenant may not touch it"
            )
            raise PermissionDenied(msg, actor=str(by.actor), event=event, rule="SEC-1")
        if not single and by.user_id is None:
            msg = f"by.user_id is needed: a {self.policy.name} belongs to one user of the tenant"
            raise ValidationError(msg, field="by", rule="SEC-1")
        account = by.customer_id if single else by.user_id
        if credential_id != account:
            msg = f"{event} is the account holder's own action; {by!r} may not do it for "
            raise PermissionDenied(
                msg + repr(credential_id[:40]), actor=str(by.actor), event=event, rule="SEC-1"
            )
        return by.user_id

    @staticmethod
    def _customer(by: Principal) -> str:
        customer_id = by.customer_id
        if customer_id is None:  # _holder let only a customer-side principal through
            msg = "a password is set by the holder of a customer-side account"
            raise PermissionDenied(
                msg, actor=str(by.actor), event="set_initial_password", rule="SEC-1"
            )
        return customer_id

    def _now(self) -> datetime:
        return to_jst(self.clock.now(), field="now")
