"""Accounts, roles and passwords of My KDDI Biz and OCN (ACC-1 … ACC-11, SEC-1 … SEC-3).

Read top-down: :mod:`~omakase_core.accounts.model` (roles, actions, user status, users,
events, password policies), :mod:`~omakase_core.accounts.machine` (the account chart,
``LIFECYCLES["account"]``), :mod:`~omakase_core.accounts.rules` (the permission matrix and
the pure account rules), :mod:`~omakase_core.accounts.aggregate` (:class:`Tenant`,
:class:`Credential`), :mod:`~omakase_core.accounts.service` (the use cases, each taking
``by: Principal``), :mod:`~omakase_core.accounts.ports` (the repositories) and
:mod:`~omakase_core.accounts.notices`.
"""

from omakase_core.accounts.aggregate import Credential, Tenant
from omakase_core.accounts.machine import ACCOUNT_LIFECYCLE, AccountChart
from omakase_core.accounts.model import (
    KDDI_PORTAL_PASSWORD,
    OCN_AUTH_PASSWORD,
    AccountEvent,
    Action,
    ImageKind,
    PasswordChange,
    PasswordChanged,
    PasswordPolicy,
    PasswordPolicyError,
    Role,
    User,
    UserStatus,
)
from omakase_core.accounts.ports import CredentialRepository, TenantRepository
from omakase_core.accounts.rules import (
    PERMISSIONS,
    SESSION_IDLE_LIMIT,
    can_log_in,
    can_reset_password,
    check_change_lock,
    check_current_password,
    check_permission,
    check_representative_change,
    check_setup_link,
    check_user_deletable,
    check_user_removable,
    permission_matrix_markdown,
    require,
    session_expired,
    setup_link_expires_at,
    validate_image,
    validate_kana_name,
    validate_login_alias,
    validate_notification_address,
    validate_organisation,
    validate_person_name,
    validate_user_id,
    validate_user_phone,
)
from omakase_core.accounts.service import PasswordService, UserDirectoryService

__all__ = [
    "ACCOUNT_LIFECYCLE",
    "KDDI_PORTAL_PASSWORD",
    "OCN_AUTH_PASSWORD",
    "PERMISSIONS",
    "SESSION_IDLE_LIMIT",
    "AccountChart",
    "AccountEvent",
    "Action",
    "Credential",
    "CredentialRepository",
    "ImageKind",
    "PasswordChange",
    "PasswordChanged",
    "PasswordPolicy",
    "PasswordPolicyError",
    "PasswordService",
    "Role",
    "Tenant",
    "TenantRepository",
    "User",
    "UserDirectoryService",
    "UserStatus",
    "can_log_in",
    "can_reset_password",
    "check_change_lock",
    "check_current_password",
    "check_permission",
    "check_representative_change",
    "check_setup_link",
    "check_user_deletable",
    "check_user_removable",
    "notices",
    "permission_matrix_markdown",
    "require",
    "session_expired",
    "setup_link_expires_at",
    "validate_image",
    "validate_kana_name",
    "validate_login_alias",
    "validate_notification_address",
    "validate_organisation",
    "validate_person_name",
    "validate_user_id",
    "validate_user_phone",
]

from omakase_core.accounts import notices  # importing it registers how the events read as messages
