"""Accounts, roles and passwords of My KDDI Biz and OCN (ACC-1 … ACC-10).

Password policies and the permission matrix are values; the user status is a lifecycle
(``LIFECYCLES["account"]``); the field, alias, image, setup-link and session rules are
pure functions.
"""

from omakase_core.accounts.passwords import (
    KDDI_PORTAL_PASSWORD,
    OCN_AUTH_PASSWORD,
    PasswordPolicy,
    PasswordPolicyError,
)
from omakase_core.accounts.roles import (
    PERMISSIONS,
    Action,
    Role,
    permission_matrix_markdown,
    require,
)
from omakase_core.accounts.service import (
    AccountEvent,
    Credential,
    PasswordChange,
    PasswordChanged,
    PasswordService,
    Tenant,
    User,
    UserDirectoryService,
)
from omakase_core.accounts.users import (
    ACCOUNT_LIFECYCLE,
    SESSION_IDLE_LIMIT,
    AccountChart,
    ImageKind,
    UserStatus,
    can_log_in,
    can_reset_password,
    check_representative_change,
    check_user_deletable,
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
    "ImageKind",
    "PasswordChange",
    "PasswordChanged",
    "PasswordPolicy",
    "PasswordPolicyError",
    "PasswordService",
    "Role",
    "Tenant",
    "User",
    "UserDirectoryService",
    "UserStatus",
    "can_log_in",
    "can_reset_password",
    "check_representative_change",
    "check_user_deletable",
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
