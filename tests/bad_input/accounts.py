"""Valid calls of accounts' public callables: the baselines the bad values replace (SEC-2).

One :class:`~tests.bad_input.spec.Case` per public callable of ``omakase_core.accounts``
(model, machine, rules, aggregate, service) and of the shipped
:class:`~omakase_core.testing.TestPasswordHasher`. Every service case builds its service
with fresh in-memory ports (``instance=`` is called for every call) and acts as a valid
principal of tenant ``t-1``.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

import attrs

from omakase_core import Actor, Principal
from omakase_core.accounts import (
    KDDI_PORTAL_PASSWORD,
    OCN_AUTH_PASSWORD,
    AccountChart,
    AccountEvent,
    Action,
    Credential,
    ImageKind,
    PasswordChange,
    PasswordChanged,
    PasswordPolicy,
    PasswordPolicyError,
    PasswordService,
    Role,
    Tenant,
    User,
    UserDirectoryService,
    UserStatus,
    can_log_in,
    can_reset_password,
    check_change_lock,
    check_current_password,
    check_permission,
    check_representative_change,
    check_setup_link,
    check_user_deletable,
    check_user_removable,
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
from omakase_core.calendar import JST
from omakase_core.testing import FixedClock, InMemoryOutbox, InMemoryRepository, TestPasswordHasher
from tests.bad_input import values as v
from tests.bad_input.spec import ID_TEXT, OTHER_TEXT, Case, Lazy, Param, may, refuse
from tests.bad_input.values import MAY, REFUSE, Bad, Verdict, bad

T0 = datetime(2026, 11, 1, 10, 0, tzinfo=JST)
T1 = T0 + timedelta(hours=2)
TENANT = "t-1"
ADMIN = "admin@example.co.jp"  # the representative admin
SECOND = "second@example.co.jp"  # another active admin
MEMBER = "user@example.co.jp"  # an active ユーザ
NEWBIE = "new@example.co.jp"  # a ユーザ whose setup is not done (link sent at T0)
ADDED = "added@example.co.jp"  # nobody yet

PASSWORD = "first1pass"  # noqa: S105  # MEMBER's current password, a test value
NEW_PASSWORD = "second2pass"  # noqa: S105  # a test value
HASHER = TestPasswordHasher()
STORED_HASH = HASHER.hash(PASSWORD)

ADMIN_BY = Principal.customer(TENANT, user_id=ADMIN, role=Role.ADMIN)
MEMBER_BY = Principal.customer(TENANT, user_id=MEMBER, role=Role.USER)
NEWBIE_BY = Principal.customer(TENANT, user_id=NEWBIE, role=Role.USER)
OPERATOR_BY = Principal.operator("staff-1")
SYSTEM_BY = Principal.system()


class Foreign(enum.Enum):
    """A role-like enum of another portal, with the same values as :class:`Role`."""

    ADMIN = "admin"
    USER = "user"


def _opened() -> Tenant:
    """Return t-1 with ADMIN (representative), SECOND (admin), MEMBER and NEWBIE; unsaved."""
    tenant = Tenant.open(
        id=TENANT, admin_id=ADMIN, family_name="山田", given_name="太郎", opened_at=T0
    )
    for user_id, role in ((SECOND, Role.ADMIN), (MEMBER, Role.USER), (NEWBIE, Role.USER)):
        tenant = tenant.add_user(
            user_id=user_id,
            role=role,
            family_name="佐藤",
            given_name="花子",
            actor=Actor.CUSTOMER,
            actor_role=Role.ADMIN,
            at=T0,
        )
    for user_id in (ADMIN, SECOND, MEMBER):  # ACC-4: the first administrator too
        tenant = tenant.complete_setup(
            user_id=user_id, actor=Actor.CUSTOMER, actor_id=user_id, at=T0
        )
    return tenant


OPENED = _opened()
"""The tenant with its seven events pending, as a repository first stores it."""
STORED = OPENED.saved()
"""The tenant as stored: version 7, no pending event."""
VERSION = STORED.version

CREDENTIAL = Credential.create(
    id=MEMBER, customer_id=TENANT, user_id=MEMBER, password_hash=STORED_HASH, at=T0
)
CHANGED = CREDENTIAL.change(
    password_hash=HASHER.hash(NEW_PASSWORD), policy=OCN_AUTH_PASSWORD, at=T0
)
"""A changed credential: it has a history, a change instant and an event."""


def _directory() -> UserDirectoryService:
    tenants: InMemoryRepository[Tenant] = InMemoryRepository(InMemoryOutbox())
    tenants.add(OPENED)
    return UserDirectoryService(tenants=tenants, clock=FixedClock(T1))


def _directory_with_passwords() -> UserDirectoryService:
    tenants: InMemoryRepository[Tenant] = InMemoryRepository(InMemoryOutbox())
    tenants.add(OPENED)
    return UserDirectoryService(tenants=tenants, clock=FixedClock(T1), passwords=_passwords())


def _passwords() -> PasswordService:
    credentials: InMemoryRepository[Credential] = InMemoryRepository(InMemoryOutbox())
    credentials.add(CREDENTIAL)
    return PasswordService(
        credentials=credentials,
        clock=FixedClock(T1),
        hasher=TestPasswordHasher(),
        policy=KDDI_PORTAL_PASSWORD,
    )


# -- families of this module's special parameters ---------------------------------------------

ID = refuse(*ID_TEXT)
"""An aggregate's or a user's id (SEC-1): printable, not blank, not huge."""

NAME = refuse(*ID_TEXT)
"""姓 or 名 (ACC-8): blank, control characters and more than 30 characters are refused."""

EMAIL = refuse(*OTHER_TEXT)
"""A user id or notification address (ACC-8): only an e-mail address of 5 to 127 characters."""

COMMAND_NAME = refuse(*OTHER_TEXT)
"""An event of the account chart that the command takes: only its own few names."""

ADMIN_EVENT = refuse(
    *OTHER_TEXT,
    extra=(
        bad("the user's own setup", "complete_setup", REFUSE),
        bad("the system's lock", "lock", REFUSE),
        bad("a padded event", "suspend ", REFUSE),
        bad("an Actor for an event", Actor.CUSTOMER, REFUSE),
    ),
)
"""What an administrator sends (ACC-4): suspend, resume or unlock — never a setup or a lock."""

REMOVAL = refuse(
    *OTHER_TEXT,
    extra=(bad("resume", "resume", REFUSE), bad("a padded event", "suspend ", REFUSE)),
)
"""A removal (ACC-4, ACC-5): ``suspend`` or ``delete_user`` only."""

LINK = may("huge", "2**63")
"""A setup link's number (ACC-11): a positive int; one that is not the current link is refused
as replaced (an ``InvalidTransition``), so a huge number is a number like any other."""

LOOK_UP = Param(
    extra=(
        bad("a padded value", "admin ", REFUSE),
        bad("a capitalised value", "Admin", REFUSE),
        bad("the value in full-width letters", "ａｄｍｉｎ", REFUSE),
    )
)
"""``Role(value)`` (SEC-2): the exact value only."""

ERROR_TEXT = Param(echo_ok=True)
"""An error's ``message`` is the message: it may show itself."""

VERSION_GIVEN = refuse("negative", "-huge")
"""``expected_version`` (SEC-3): a negative version is refused; any other is compared."""


def _by(*extra: Bad, elsewhere: Verdict = REFUSE) -> Param:
    """Return the family of ``by``: wrong types, a foreign role, another tenant's user.

    ``elsewhere`` is what another tenant's administrator gets: refused wherever a tenant is
    looked up (``NotFound``, SEC-1); a rule that sees no tenant cannot tell.
    """
    return Param(
        extra=(
            bad(
                "a principal whose role is another enum's member",
                Principal.customer(TENANT, user_id=ADMIN, role=Foreign.ADMIN),
                REFUSE,
            ),
            bad(
                "a principal whose role is an Actor",
                Principal.customer(TENANT, user_id=ADMIN, role=Actor.CUSTOMER),
                REFUSE,
            ),
            bad(
                "another tenant's administrator",
                Principal.customer("t-2", user_id="boss@other.co.jp", role=Role.ADMIN),
                elsewhere,
            ),
            *extra,
        )
    )


NO_ROLE = bad("a principal without a role", Principal.customer(TENANT, user_id=ADMIN), REFUSE)
"""Where a role is needed it is never assumed (SEC-2)."""

ADMIN_BY_ANY = _by(
    NO_ROLE, bad("a ユーザ", MEMBER_BY, REFUSE), bad("an operator", OPERATOR_BY, REFUSE)
)
"""An administrator's command: a ユーザ, an operator or a missing role is refused (ACC-3)."""


def _ids(*extra: Bad) -> Param:
    """Return the family of a collection of user ids (``Collection[str]`` derives none)."""
    return Param(
        family=(
            v.NONE,
            bad("int for a collection", 42, REFUSE),
            bad("text for a collection", ADMIN, REFUSE),
            bad("bytes for a collection", b"x", REFUSE),
            bad("a mapping of ids", {ADMIN: 1}, REFUSE),
            bad("object()", object(), REFUSE),
            Bad("a list holding None", lambda: [None], REFUSE),
            Bad("a list holding an int", lambda: [3], REFUSE),
            Bad("a list holding a blank id", lambda: ["   "], REFUSE),
            Bad("a list holding 1 MB", lambda: [v.MEGABYTE], REFUSE, v.X_ECHO),
            Bad("a generator", lambda: iter([ADMIN]), REFUSE),
            # a list, a set or a tuple of ids is what the parameter takes, whatever the ids:
            Bad("empty list", list, MAY),
            Bad("a list of an unknown id", lambda: ["x"], MAY),
            Bad("a set of an unknown id", lambda: {"x"}, MAY),
            *extra,
        )
    )


POLICY = Param(extra=(bad("a policy's name", KDDI_PORTAL_PASSWORD.name, REFUSE),))

HISTORY = may("unhashable list")
"""``["x"]`` is a list of one stored hash: what ``history`` takes (a hash is any text)."""

HASHER_PORT = Param(
    extra=(
        bad("the hasher class", TestPasswordHasher, REFUSE),
        bad("a hasher without verify", object(), REFUSE),
    )
)

CLOCK = Param(extra=(bad("the clock class", FixedClock, REFUSE),))
REPOSITORY = Param(
    extra=(
        bad("the repository class", InMemoryRepository, REFUSE),
        bad("an outbox", InMemoryOutbox(), REFUSE),
    )
)

EVENT_VERSION = refuse("negative", "zero", "-huge")
STORED_VERSION = refuse("negative", "-huge")

USERS = Param(extra=(bad("a tuple of user ids", (ADMIN,), REFUSE),))


# -- model (ACC-1 … ACC-4, ACC-10, PORT-3) ------------------------------------------------------

MODEL_CASES: list[Case] = [
    Case(Role, {"value": "admin"}, {"value": LOOK_UP}),
    Case(Action, {"value": "manage_users"}),
    Case(ImageKind, {"value": "site_logo"}),
    Case(UserStatus, {"value": "active"}),
    Case(
        User,
        attrs.asdict(STORED.user(NEWBIE), recurse=False),
        {
            "user_id": EMAIL,
            "family_name": NAME,
            "given_name": NAME,
            "notification_address": EMAIL,
        },
    ),
    Case(
        AccountEvent,
        {
            "aggregate_id": TENANT,
            "version": 1,
            "occurred_at": T0,
            "what": "user_added",
            "user_id": MEMBER,
            "to": MEMBER,
            "setup_link": 1,
            "expires_at": T1,
        },
        {
            "aggregate_id": ID,
            "version": EVENT_VERSION,
            "what": COMMAND_NAME,
            "user_id": ID,
            "to": EMAIL,
            "setup_link": LINK,
        },
    ),
    Case(
        PasswordChanged,
        {"aggregate_id": MEMBER, "version": 1, "occurred_at": T0, "effective_by": T1},
        {"aggregate_id": ID, "version": EVENT_VERSION},
    ),
    Case(PasswordChange, {"effective_by": T0, "next_change_from": T1}),
    Case(
        PasswordPolicy,
        {
            name: value
            for name, value in attrs.asdict(OCN_AUTH_PASSWORD, recurse=False).items()
            if not name.startswith("_")
        },
        {
            "name": refuse(*ID_TEXT),
            "rule": refuse(*ID_TEXT),
            "min_length": refuse("negative", "zero", "-huge", "huge", "2**63"),
            "max_length": refuse("negative", "zero", "-huge", "huge", "2**63"),
            "min_letters": refuse("negative", "-huge", "huge", "2**63"),
            "min_digits": refuse("negative", "-huge", "huge", "2**63"),
            "min_digits_or_symbols": refuse("negative", "-huge", "huge", "2**63"),
            "history_size": refuse("negative", "-huge", "huge", "2**63"),
            "symbols": refuse("blank", "1 MB", "control characters", "emoji", "unknown word"),
            "change_lock": refuse("negative timedelta", "timedelta.max"),
            "effective_within": refuse("negative timedelta", "timedelta.max"),
        },
    ),
    Case(
        (PasswordPolicy, "validate"),
        {
            "new": NEW_PASSWORD,
            "confirmation": NEW_PASSWORD,
            "current": STORED_HASH,
            "history": (HASHER.hash("old0pass"),),
            "hasher": HASHER,
        },
        {"hasher": HASHER_PORT, "history": HISTORY},
        instance=lambda: KDDI_PORTAL_PASSWORD,
    ),
    Case(
        (PasswordPolicy, "failed_requirement"),
        {
            "new": NEW_PASSWORD,
            "confirmation": NEW_PASSWORD,
            "current": PASSWORD,
            "history": ["old0pass"],
        },
        {"hasher": HASHER_PORT, "history": HISTORY},
        instance=lambda: KDDI_PORTAL_PASSWORD,
    ),
    Case(
        PasswordPolicyError,
        {"message": "the password needs a digit", "requirement": "digits", "rule": "ACC-2"},
        {"message": ERROR_TEXT},
        lenient=True,
    ),
]


# -- machine (ACC-4) ------------------------------------------------------------------------------

MACHINE_CASES: list[Case] = [
    Case(
        AccountChart,
        {"start_value": UserStatus.ACTIVE},
        {
            "model": Param(family=(bad("int for a model", 1, REFUSE), bad("text", "x", REFUSE))),
            # any identifier names the model's attribute; anything else is refused
            "state_field": refuse(*OTHER_TEXT - {"unknown word"}),
            "start_value": Param(
                family=(
                    *v.enum_member(UserStatus),
                    bad("an Actor for a status", Actor.CUSTOMER, REFUSE),
                    *v.WRONG_OBJECT,
                )
            ),
            # python-statemachine takes any object as a listener (it looks callbacks up by
            # name): a list of objects is what the parameter takes
            "listeners": may("a list holding an object()", "unhashable list"),
        },
    ),
]


# -- rules (ACC-3 … ACC-10) -----------------------------------------------------------------------

RULE_CASES: list[Case] = [
    Case(require, {"actor_role": Role.ADMIN, "action": Action.MANAGE_USERS}),
    Case(
        check_permission,
        {"by": ADMIN_BY, "action": Action.MANAGE_USERS},
        {"by": _by(NO_ROLE, bad("an operator", OPERATOR_BY, REFUSE), elsewhere=MAY)},
    ),
    Case(can_log_in, {"status": UserStatus.ACTIVE}),
    Case(can_reset_password, {"status": UserStatus.LOCKED}),
    Case(
        check_representative_change,
        {"admins": (ADMIN, SECOND), "current": ADMIN, "new": SECOND},
        {"admins": _ids(), "current": ID, "new": ID},
    ),
    Case(
        check_user_deletable,
        {"user_id": MEMBER, "logged_in_user_id": ADMIN, "representative_id": ADMIN},
        {"user_id": ID, "logged_in_user_id": ID, "representative_id": ID},
    ),
    Case(
        check_user_removable,
        {
            "user_id": MEMBER,
            "event": "suspend",
            "actor_id": ADMIN,
            "representative_id": ADMIN,
            "active_admins": frozenset({ADMIN, SECOND}),
        },
        {
            "user_id": ID,
            "event": REMOVAL,
            "actor_id": ID,
            "representative_id": ID,
            "active_admins": _ids(),
        },
    ),
    Case(setup_link_expires_at, {"sent_at": T0}),
    Case(check_setup_link, {"sent_at": T0, "at": T1}),
    Case(
        session_expired,
        {"last_activity": T0, "now": T1},
        # a last activity after ``now`` is the pair out of order; the error names ``now``
        {"last_activity": Param(fields=("now",))},
    ),
    Case(
        check_current_password,
        {
            "current": PASSWORD,
            "stored_hash": STORED_HASH,
            "hasher": HASHER,
            "policy": KDDI_PORTAL_PASSWORD,
        },
        {
            "hasher": HASHER_PORT,
            "policy": POLICY,
            # any non-empty text may be a hash of the caller's hasher: one that the current
            # password does not verify against is the refusal of ``current`` (ACC-1, ACC-2)
            "stored_hash": Param(fields=("current",)),
        },
    ),
    Case(
        check_change_lock,
        {"policy": OCN_AUTH_PASSWORD, "changed_at": T0, "at": T1},
        {"policy": POLICY},
    ),
    Case(
        validate_person_name,
        {"value": "山田", "field": "given_name"},
        # the error names the form field the caller says the value is (ACC-8)
        {"value": refuse(*ID_TEXT, fields=("given_name",)), "field": COMMAND_NAME},
    ),
    Case(
        validate_kana_name,
        {"value": "ヤマダ", "field": "given_name_kana"},
        # the error names the form field the caller says the value is (ACC-8)
        {"value": refuse(*OTHER_TEXT, fields=("given_name_kana",)), "field": COMMAND_NAME},
    ),
    # the single-field checks name the form field they check (ACC-8), not "value":
    Case(
        validate_organisation,
        {"value": "営業部"},
        {"value": refuse(*ID_TEXT, fields=("organisation",))},
    ),
    Case(
        validate_user_phone,
        {"value": "0312345678"},
        {"value": refuse(*OTHER_TEXT, fields=("phone",))},
    ),
    Case(
        validate_user_id,
        {"value": MEMBER},
        {"value": refuse(*OTHER_TEXT, fields=("user_id",))},
    ),
    Case(
        validate_notification_address,
        {"value": MEMBER},
        {"value": refuse(*OTHER_TEXT, fields=("notification_address",))},
    ),
    Case(validate_login_alias, {"alias": "acme-corp.jp"}, {"alias": refuse(*OTHER_TEXT)}),
    Case(
        validate_image,
        {
            "kind": ImageKind.SITE_LOGO,
            "filename": "logo.png",
            "size_bytes": 1000,
            "width": 600,
            "height": 100,
        },
        {
            "filename": refuse(*OTHER_TEXT),
            "size_bytes": refuse("negative", "zero", "-huge", "huge", "2**63"),
            "width": refuse("negative", "zero", "-huge", "huge", "2**63"),
            "height": refuse("negative", "zero", "-huge", "huge", "2**63"),
        },
    ),
]


# -- aggregates (ACC-1 … ACC-8, SEC-2) ------------------------------------------------------------

AGGREGATE_CASES: list[Case] = [
    Case(
        Tenant,
        attrs.asdict(OPENED, recurse=False),
        {
            "id": ID,
            "users": USERS,
            "representative": refuse(*OTHER_TEXT),
            "version": STORED_VERSION,
            "pending_events": Param(
                extra=(
                    bad(
                        "a password event",
                        (
                            PasswordChanged(
                                aggregate_id=TENANT, version=1, occurred_at=T0, effective_by=T0
                            ),
                        ),
                        REFUSE,
                    ),
                )
            ),
        },
    ),
    Case(
        (Tenant, "open"),
        {
            "id": TENANT,
            "admin_id": ADMIN,
            "family_name": "山田",
            "given_name": "太郎",
            "opened_at": T0,
        },
        {"id": ID, "admin_id": EMAIL, "family_name": NAME, "given_name": NAME},
    ),
    Case((Tenant, "user"), {"user_id": MEMBER}, {"user_id": ID}, instance=lambda: STORED),
    Case(
        (Tenant, "add_user"),
        {
            "user_id": ADDED,
            "role": Role.USER,
            "family_name": "佐藤",
            "given_name": "次郎",
            "notification_address": "jiro@example.co.jp",
            "actor": Actor.CUSTOMER,
            "actor_role": Role.ADMIN,
            "at": T1,
        },
        {
            "user_id": EMAIL,
            "family_name": NAME,
            "given_name": NAME,
            "notification_address": EMAIL,
        },
        instance=lambda: STORED,
    ),
    Case(
        (Tenant, "complete_setup"),
        {"user_id": NEWBIE, "actor": Actor.CUSTOMER, "actor_id": NEWBIE, "at": T1, "link": 1},
        {"user_id": ID, "actor_id": ID, "link": LINK},
        instance=lambda: STORED,
    ),
    Case(
        (Tenant, "resend_setup_mail"),
        {"user_id": NEWBIE, "actor": Actor.CUSTOMER, "actor_role": Role.ADMIN, "at": T1},
        {"user_id": ID},
        instance=lambda: STORED,
    ),
    Case(
        (Tenant, "check_temporary_password"),
        {
            "user_id": MEMBER,
            "actor": Actor.CUSTOMER,
            "actor_role": Role.ADMIN,
            "actor_id": ADMIN,
        },
        {"user_id": ID, "actor_id": ID},
        instance=lambda: STORED,
    ),
    Case(
        (Tenant, "change_role"),
        {
            "user_id": MEMBER,
            "role": Role.ADMIN,
            "actor": Actor.CUSTOMER,
            "actor_role": Role.ADMIN,
            "actor_id": ADMIN,
            "at": T1,
        },
        {"user_id": ID, "actor_id": ID},
        instance=lambda: STORED,
    ),
    Case(
        (Tenant, "edit_user"),
        {
            "user_id": MEMBER,
            "family_name": "鈴木",
            "given_name": "次郎",
            "family_name_kana": "スズキ",
            "given_name_kana": "ジロウ",
            "organisation": "営業部",
            "phone": "0312345678",
            "notification_address": "jiro@example.co.jp",
            "actor": Actor.CUSTOMER,
            "actor_role": Role.ADMIN,
            "at": T1,
        },
        {
            "user_id": ID,
            "family_name": NAME,
            "given_name": NAME,
            "family_name_kana": refuse(*OTHER_TEXT),
            "given_name_kana": refuse(*OTHER_TEXT),
            "organisation": refuse(*ID_TEXT),
            "phone": refuse(*OTHER_TEXT),
            "notification_address": EMAIL,
        },
        instance=lambda: STORED,
    ),
    Case(
        (Tenant, "change_status"),
        {
            "user_id": MEMBER,
            "event": "suspend",
            "actor": Actor.CUSTOMER,
            "actor_role": Role.ADMIN,
            "actor_id": ADMIN,
            "at": T1,
        },
        {"user_id": ID, "event": ADMIN_EVENT, "actor_id": ID},
        instance=lambda: STORED,
    ),
    Case(
        (Tenant, "lock"),
        {"user_id": MEMBER, "actor": Actor.SYSTEM, "at": T1},
        {"user_id": ID},
        instance=lambda: STORED,
    ),
    Case(
        (Tenant, "delete_user"),
        {
            "user_id": MEMBER,
            "actor": Actor.CUSTOMER,
            "actor_role": Role.ADMIN,
            "actor_id": ADMIN,
            "at": T1,
        },
        {"user_id": ID, "actor_id": ID},
        instance=lambda: STORED,
    ),
    Case(
        (Tenant, "change_representative"),
        {"new": SECOND, "actor": Actor.CUSTOMER, "actor_role": Role.ADMIN, "at": T1},
        {"new": refuse(*OTHER_TEXT)},
        instance=lambda: STORED,
    ),
    Case(
        Credential,
        attrs.asdict(CHANGED, recurse=False),
        {
            "id": ID,
            "customer_id": ID,
            "user_id": ID,
            "password_hash": refuse("empty"),
            "version": STORED_VERSION,
            "history": Param(extra=(Bad("a list holding an empty hash", lambda: [""], REFUSE),)),
            "pending_events": Param(
                extra=(
                    bad(
                        "a tenant event",
                        (
                            AccountEvent(
                                aggregate_id=MEMBER,
                                version=1,
                                occurred_at=T0,
                                what="lock",
                                user_id=MEMBER,
                            ),
                        ),
                        REFUSE,
                    ),
                )
            ),
        },
    ),
    Case(
        (Credential, "create"),
        {
            "id": MEMBER,
            "customer_id": TENANT,
            "user_id": MEMBER,
            "password_hash": STORED_HASH,
            "at": T0,
        },
        {"id": ID, "customer_id": ID, "user_id": ID, "password_hash": refuse("empty")},
    ),
    Case(
        (Credential, "change"),
        {"password_hash": HASHER.hash(NEW_PASSWORD), "policy": KDDI_PORTAL_PASSWORD, "at": T1},
        {"password_hash": refuse("empty"), "policy": POLICY},
        instance=lambda: CREDENTIAL,
    ),
    Case(
        (Credential, "set_temporary"),
        {"password_hash": HASHER.hash(NEW_PASSWORD), "policy": KDDI_PORTAL_PASSWORD, "at": T1},
        {"password_hash": refuse("empty"), "policy": POLICY},
        instance=lambda: CREDENTIAL,
    ),
]


# -- services (SEC-1 … SEC-3) --------------------------------------------------------------------

SERVICE_CASES: list[Case] = [
    Case(
        UserDirectoryService,
        {"tenants": Lazy(lambda: InMemoryRepository(InMemoryOutbox())), "clock": FixedClock(T1)},
        {
            "tenants": REPOSITORY,
            "clock": CLOCK,
            "passwords": Param(
                extra=(
                    bad("the PasswordService class", PasswordService, REFUSE),
                    bad("a password policy", KDDI_PORTAL_PASSWORD, REFUSE),
                )
            ),
        },
    ),
    Case(
        (UserDirectoryService, "create_tenant"),
        {
            "tenant_id": "t-9",
            "by": OPERATOR_BY,
            "admin_id": ADDED,
            "family_name": "佐藤",
            "given_name": "次郎",
        },
        {
            "tenant_id": ID,
            "by": _by(bad("a user of another tenant", MEMBER_BY, REFUSE)),
            "admin_id": EMAIL,
            "family_name": NAME,
            "given_name": NAME,
        },
        instance=_directory,
    ),
    Case(
        (UserDirectoryService, "get"),
        {"tenant_id": TENANT, "by": ADMIN_BY},
        # the back office looks any tenant up; a customer needs the admin's manage_users
        {"tenant_id": ID, "by": _by(NO_ROLE, bad("a ユーザ", MEMBER_BY, REFUSE))},
        instance=_directory,
    ),
    Case(
        (UserDirectoryService, "add_user"),
        {
            "tenant_id": TENANT,
            "by": ADMIN_BY,
            "user_id": ADDED,
            "role": Role.USER,
            "family_name": "佐藤",
            "given_name": "次郎",
            "notification_address": "jiro@example.co.jp",
            "expected_version": VERSION,
        },
        {
            "tenant_id": ID,
            "by": ADMIN_BY_ANY,
            "user_id": EMAIL,
            "family_name": NAME,
            "given_name": NAME,
            "notification_address": EMAIL,
            "expected_version": VERSION_GIVEN,
        },
        instance=_directory,
    ),
    Case(
        (UserDirectoryService, "complete_setup"),
        {
            "tenant_id": TENANT,
            "by": NEWBIE_BY,
            "user_id": NEWBIE,
            "expected_version": VERSION,
            "link": 1,
        },
        {
            "tenant_id": ID,
            "by": _by(bad("an administrator", ADMIN_BY, REFUSE)),
            "user_id": ID,
            "expected_version": VERSION_GIVEN,
            "link": LINK,
        },
        instance=_directory,
    ),
    Case(
        (UserDirectoryService, "resend_setup_mail"),
        {"tenant_id": TENANT, "by": ADMIN_BY, "user_id": NEWBIE, "expected_version": VERSION},
        {
            "tenant_id": ID,
            "by": ADMIN_BY_ANY,
            "user_id": ID,
            "expected_version": VERSION_GIVEN,
        },
        instance=_directory,
    ),
    Case(
        (UserDirectoryService, "set_temporary_password"),
        {
            "tenant_id": TENANT,
            "by": ADMIN_BY,
            "user_id": MEMBER,
            "new": NEW_PASSWORD,
            "confirmation": NEW_PASSWORD,
            "expected_version": VERSION,
        },
        {
            "tenant_id": ID,
            "by": ADMIN_BY_ANY,
            "user_id": ID,
            "expected_version": VERSION_GIVEN,
        },
        instance=_directory_with_passwords,
    ),
    Case(
        (UserDirectoryService, "change_role"),
        {
            "tenant_id": TENANT,
            "by": ADMIN_BY,
            "user_id": MEMBER,
            "role": Role.ADMIN,
            "expected_version": VERSION,
        },
        {
            "tenant_id": ID,
            "by": ADMIN_BY_ANY,
            "user_id": ID,
            "expected_version": VERSION_GIVEN,
        },
        instance=_directory,
    ),
    Case(
        (UserDirectoryService, "edit_user"),
        {
            "tenant_id": TENANT,
            "by": ADMIN_BY,
            "user_id": MEMBER,
            "family_name": "鈴木",
            "given_name": "次郎",
            "family_name_kana": "スズキ",
            "given_name_kana": "ジロウ",
            "organisation": "営業部",
            "phone": "0312345678",
            "notification_address": "jiro@example.co.jp",
            "expected_version": VERSION,
        },
        {
            "tenant_id": ID,
            "by": ADMIN_BY_ANY,
            "user_id": ID,
            "family_name": NAME,
            "given_name": NAME,
            "family_name_kana": refuse(*OTHER_TEXT),
            "given_name_kana": refuse(*OTHER_TEXT),
            "organisation": refuse(*ID_TEXT),
            "phone": refuse(*OTHER_TEXT),
            "notification_address": EMAIL,
            "expected_version": VERSION_GIVEN,
        },
        instance=_directory,
    ),
    Case(
        (UserDirectoryService, "change_status"),
        {
            "tenant_id": TENANT,
            "by": ADMIN_BY,
            "user_id": MEMBER,
            "event": "suspend",
            "expected_version": VERSION,
        },
        {
            "tenant_id": ID,
            "by": ADMIN_BY_ANY,
            "user_id": ID,
            "event": ADMIN_EVENT,
            "expected_version": VERSION_GIVEN,
        },
        instance=_directory,
    ),
    Case(
        (UserDirectoryService, "lock"),
        {"tenant_id": TENANT, "by": SYSTEM_BY, "user_id": MEMBER, "expected_version": VERSION},
        {
            "tenant_id": ID,
            "by": _by(bad("an administrator", ADMIN_BY, REFUSE)),
            "user_id": ID,
            "expected_version": VERSION_GIVEN,
        },
        instance=_directory,
    ),
    Case(
        (UserDirectoryService, "check_login"),
        {"tenant_id": TENANT, "by": MEMBER_BY, "user_id": MEMBER},
        {"tenant_id": ID, "by": _by(bad("another user", NEWBIE_BY, REFUSE)), "user_id": ID},
        instance=_directory,
    ),
    Case(
        (UserDirectoryService, "principal_for"),
        {"tenant_id": TENANT, "by": MEMBER_BY, "user_id": MEMBER},
        {"tenant_id": ID, "by": _by(bad("another user", NEWBIE_BY, REFUSE)), "user_id": ID},
        instance=_directory,
    ),
    Case(
        (UserDirectoryService, "check_password_reset"),
        {"tenant_id": TENANT, "by": MEMBER_BY, "user_id": MEMBER},
        {"tenant_id": ID, "by": _by(bad("another user", NEWBIE_BY, REFUSE)), "user_id": ID},
        instance=_directory,
    ),
    Case(
        (UserDirectoryService, "delete_user"),
        {"tenant_id": TENANT, "by": ADMIN_BY, "user_id": MEMBER, "expected_version": VERSION},
        {
            "tenant_id": ID,
            "by": ADMIN_BY_ANY,
            "user_id": ID,
            "expected_version": VERSION_GIVEN,
        },
        instance=_directory,
    ),
    Case(
        (UserDirectoryService, "change_representative"),
        {"tenant_id": TENANT, "by": ADMIN_BY, "new": SECOND, "expected_version": VERSION},
        {
            "tenant_id": ID,
            "by": ADMIN_BY_ANY,
            "new": refuse(*OTHER_TEXT),
            "expected_version": VERSION_GIVEN,
        },
        instance=_directory,
    ),
    Case(
        PasswordService,
        {
            "credentials": Lazy(lambda: InMemoryRepository(InMemoryOutbox())),
            "clock": FixedClock(T1),
            "hasher": HASHER,
            "policy": KDDI_PORTAL_PASSWORD,
        },
        {"credentials": REPOSITORY, "clock": CLOCK, "hasher": HASHER_PORT, "policy": POLICY},
    ),
    Case(
        (PasswordService, "set_initial"),
        {
            "credential_id": NEWBIE,
            "by": NEWBIE_BY,
            "new": PASSWORD,
            "confirmation": PASSWORD,
        },
        {"credential_id": ID, "by": _by(bad("another user", MEMBER_BY, REFUSE))},
        instance=_passwords,
    ),
    Case(
        (PasswordService, "change"),
        {
            "credential_id": MEMBER,
            "by": MEMBER_BY,
            "current": PASSWORD,
            "new": NEW_PASSWORD,
            "confirmation": NEW_PASSWORD,
            "expected_version": 0,
        },
        {
            "credential_id": ID,
            "by": _by(bad("another user", NEWBIE_BY, REFUSE)),
            "current": refuse(*OTHER_TEXT),
            "expected_version": VERSION_GIVEN,
        },
        instance=_passwords,
    ),
    Case(
        (PasswordService, "must_change"),
        {"credential_id": MEMBER},
        {"credential_id": ID},
        instance=_passwords,
    ),
]


# -- the shipped test hasher (PORT-4) -----------------------------------------------------------

HASHER_CASES: list[Case] = [
    Case((TestPasswordHasher, "hash"), {"password": PASSWORD}, instance=TestPasswordHasher),
    Case(
        (TestPasswordHasher, "verify"),
        {"password": PASSWORD, "hashed": STORED_HASH},
        instance=TestPasswordHasher,
    ),
]


CASES: list[Case] = [
    *MODEL_CASES,
    *MACHINE_CASES,
    *RULE_CASES,
    *AGGREGATE_CASES,
    *SERVICE_CASES,
    *HASHER_CASES,
]
