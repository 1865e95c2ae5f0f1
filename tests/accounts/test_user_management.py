"""ACC-11 user management and ACC-4's first administrator; refusals change nothing (SEC-1)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import pytest

from omakase_core import (
    DeadlinePassed,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    Principal,
    ValidationError,
)
from omakase_core.accounts import (
    KDDI_PORTAL_PASSWORD,
    PasswordPolicyError,
    PasswordService,
    Role,
    Tenant,
    UserDirectoryService,
    UserStatus,
)
from omakase_core.accounts.notices import SUBJECT_SETUP
from omakase_core.calendar import JST
from omakase_core.messages import NotificationSettings, render
from omakase_core.testing import (
    FixedClock,
    InMemoryOutbox,
    InMemoryRepository,
    TestPasswordHasher,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from omakase_core.accounts import Credential

T1, T2 = "t-1", "t-2"
ADMIN = "admin@example.co.jp"
SECOND = "second@example.co.jp"
USER = "user@example.co.jp"
BOSS = "boss@other.co.jp"
OPERATOR = Principal.operator("staff-1")
SETTINGS = NotificationSettings(
    contractor_login_url="https://portal.example.jp/contractor",
    first_login_url="https://portal.example.jp/setup",
)


def jst(*args: int) -> datetime:
    return datetime(*args, tzinfo=JST)  # type: ignore[arg-type, misc]


def admin(user_id: str = ADMIN, tenant: str = T1) -> Principal:
    return Principal.customer(tenant, user_id=user_id, role=Role.ADMIN)


def member(user_id: str = USER, tenant: str = T1) -> Principal:
    return Principal.customer(tenant, user_id=user_id, role=Role.USER)


class Portal:
    """t-1 (山田 the representative, set up) and t-2 (another customer's), with passwords."""

    def __init__(self) -> None:
        self.clock = FixedClock(jst(2026, 11, 1, 10, 0))
        self.outbox = InMemoryOutbox()
        self.repo: InMemoryRepository[Tenant] = InMemoryRepository(self.outbox)
        self.credentials: InMemoryRepository[Credential] = InMemoryRepository(self.outbox)
        self.hasher = TestPasswordHasher()
        self.passwords = PasswordService(
            credentials=self.credentials,
            clock=self.clock,
            hasher=self.hasher,
            policy=KDDI_PORTAL_PASSWORD,
        )
        self.service = UserDirectoryService(
            tenants=self.repo, clock=self.clock, passwords=self.passwords
        )
        for tenant, boss in ((T1, ADMIN), (T2, BOSS)):
            self.service.create_tenant(
                tenant, by=OPERATOR, admin_id=boss, family_name="山田", given_name="太郎"
            )
            self.service.complete_setup(tenant, by=admin(boss, tenant), user_id=boss)

    def snapshot(self) -> tuple[object, ...]:
        return (
            tuple(sorted(self.repo, key=lambda t: t.id)),
            tuple(sorted(self.credentials, key=lambda c: c.id)),
            tuple(self.outbox.records()),
        )

    def add(self, user_id: str = USER, role: Role = Role.USER) -> Tenant:
        return self.service.add_user(
            T1, by=admin(), user_id=user_id, role=role, family_name="佐藤", given_name="花子"
        )

    def add_active(self, user_id: str = USER, role: Role = Role.USER) -> Tenant:
        self.add(user_id, role)
        by = Principal.customer(T1, user_id=user_id, role=role)
        self.service.complete_setup(T1, by=by, user_id=user_id)
        self.passwords.set_initial(user_id, by=by, new="first1pass", confirmation="first1pass")
        return self.repo.get(T1)

    def refused(self, error: type[Exception], command: Callable[[], object]) -> Any:
        """Run ``command``, expect ``error``, and check that nothing changed."""
        before = self.snapshot()
        with pytest.raises(error) as raised:
            command()
        assert self.snapshot() == before
        return raised.value

    def messages(self) -> list[tuple[str, str, str]]:
        return [
            (m.to, m.subject, m.body)
            for record in self.outbox.records()
            for m in render(record.event, SETTINGS)
        ]


# -- ACC-4: the tenant's first administrator -----------------------------------------------------


def test_acc_4_the_first_administrator_is_unconfigured_and_gets_a_setup_mail() -> None:
    p = Portal()
    p.service.create_tenant(
        "t-3", by=OPERATOR, admin_id="first@example.co.jp", family_name="山田", given_name="太郎"
    )
    user = p.repo.get("t-3").user("first@example.co.jp")
    assert (user.status, user.setup_sent_at, user.setup_link) == (
        UserStatus.UNCONFIGURED,
        jst(2026, 11, 1, 10, 0),
        1,
    )
    (mail,) = [m for m in p.messages() if m[0] == "first@example.co.jp"]
    assert mail[1] == SUBJECT_SETUP
    assert SETTINGS.first_login_url in mail[2]
    assert "2026年11月7日(土) 24:00" in mail[2]  # 7 days including the day it was sent (ACC-6)


def test_acc_4_the_first_administrator_cannot_log_in_before_the_setup() -> None:
    p = Portal()
    p.service.create_tenant(
        "t-3", by=OPERATOR, admin_id="first@example.co.jp", family_name="山田", given_name="太郎"
    )
    with pytest.raises(PermissionDenied):
        p.service.check_login("t-3", by=OPERATOR, user_id="first@example.co.jp")
    by = admin("first@example.co.jp", "t-3")
    p.service.complete_setup("t-3", by=by, user_id="first@example.co.jp", link=1)
    assert p.service.check_login("t-3", by=OPERATOR, user_id="first@example.co.jp").status is (
        UserStatus.ACTIVE
    )


# -- ACC-11: resend the setup mail ---------------------------------------------------------------


def test_acc_11_resend_setup_mail_sends_a_new_7_day_link_to_the_notification_address() -> None:
    p = Portal()
    p.add()
    p.clock.advance(days=9)  # the first link expired
    tenant = p.service.resend_setup_mail(T1, by=admin(), user_id=USER)
    user = tenant.user(USER)
    assert (user.setup_link, user.setup_sent_at) == (2, jst(2026, 11, 10, 10, 0))
    assert tenant.pending_events[-1].what == "setup_mail_resent"
    mails = [m for m in p.messages() if m[0] == USER]
    assert len(mails) == 2  # the one of add_user and the new one
    assert "2026年11月16日(月) 24:00" in mails[-1][2]
    p.service.complete_setup(T1, by=member(), user_id=USER, link=2)
    assert p.repo.get(T1).user(USER).status is UserStatus.ACTIVE


def test_acc_11_after_a_resend_the_old_setup_link_stops_working() -> None:
    p = Portal()
    p.add()
    p.clock.advance(hours=1)
    p.service.resend_setup_mail(T1, by=admin(), user_id=USER)
    error = p.refused(
        InvalidTransition,
        lambda: p.service.complete_setup(T1, by=member(), user_id=USER, link=1),
    )
    assert error.rule == "ACC-11"


def test_acc_11_an_expired_link_is_refused_until_a_new_one_is_sent() -> None:
    p = Portal()
    p.add()
    p.clock.advance(days=8)
    p.refused(
        DeadlinePassed, lambda: p.service.complete_setup(T1, by=member(), user_id=USER, link=1)
    )


@pytest.mark.parametrize("link", [0, -1, "1", 1.0, True])
def test_acc_11_a_link_is_a_positive_int(link: object) -> None:
    p = Portal()
    p.add()
    error = p.refused(
        ValidationError,
        lambda: p.service.complete_setup(T1, by=member(), user_id=USER, link=link),  # type: ignore[arg-type]
    )
    assert error.field == "link"


def test_acc_11_resend_is_refused_once_the_user_is_set_up() -> None:
    p = Portal()
    p.add_active()
    p.refused(InvalidTransition, lambda: p.service.resend_setup_mail(T1, by=admin(), user_id=USER))


# -- ACC-11: temporary password ------------------------------------------------------------------


def test_acc_11_a_temporary_password_must_be_changed_at_the_next_login() -> None:
    p = Portal()
    p.add_active()
    assert p.service.check_login(T1, by=member(), user_id=USER).must_change_password is False
    outbox_before = len(p.outbox.records())
    p.clock.advance(hours=1)
    p.service.set_temporary_password(
        T1, by=admin(), user_id=USER, new="temp1pass", confirmation="temp1pass"
    )
    stored = p.credentials.get(USER)
    assert stored.must_change
    assert p.hasher.verify("temp1pass", stored.password_hash)
    assert p.service.check_login(T1, by=member(), user_id=USER).must_change_password is True
    assert p.messages()[outbox_before:] == []  # the seed sends no mail for it
    p.clock.advance(minutes=5)
    p.passwords.change(
        USER, by=member(), current="temp1pass", new="mine2pass", confirmation="mine2pass"
    )
    assert p.service.check_login(T1, by=member(), user_id=USER).must_change_password is False


def test_acc_11_a_temporary_password_follows_acc_2() -> None:
    p = Portal()
    p.add_active()
    error = p.refused(
        PasswordPolicyError,
        lambda: p.service.set_temporary_password(
            T1, by=admin(), user_id=USER, new="short1", confirmation="short1"
        ),
    )
    assert (error.requirement, error.rule) == ("length", "ACC-2")
    p.refused(
        PasswordPolicyError,
        lambda: p.service.set_temporary_password(
            T1, by=admin(), user_id=USER, new="first1pass", confirmation="first1pass"
        ),
    )


def test_acc_11_an_unconfigured_user_gets_a_new_setup_mail_not_a_temporary_password() -> None:
    p = Portal()
    p.add()
    error = p.refused(
        InvalidTransition,
        lambda: p.service.set_temporary_password(
            T1, by=admin(), user_id=USER, new="temp1pass", confirmation="temp1pass"
        ),
    )
    assert error.rule == "ACC-4"


def test_acc_11_set_temporary_password_needs_a_password_service() -> None:
    p = Portal()
    p.add_active()
    bare = UserDirectoryService(tenants=p.repo, clock=p.clock)
    error = p.refused(
        ValidationError,
        lambda: bare.set_temporary_password(
            T1, by=admin(), user_id=USER, new="temp1pass", confirmation="temp1pass"
        ),
    )
    assert error.field == "passwords"


# -- ACC-11: role change and user fields ---------------------------------------------------------


def test_acc_11_change_role_makes_a_user_an_administrator_and_back() -> None:
    p = Portal()
    p.add_active()
    tenant = p.service.change_role(T1, by=admin(), user_id=USER, role=Role.ADMIN)
    assert tenant.user(USER).role is Role.ADMIN
    assert USER in tenant.active_admins
    assert tenant.pending_events[-1].what == "role_changed"
    tenant = p.service.change_role(T1, by=admin(), user_id=USER, role=Role.USER)
    assert tenant.user(USER).role is Role.USER


def test_acc_11_the_representative_admin_and_oneself_keep_the_administrator_role() -> None:
    p = Portal()
    p.add_active(SECOND, Role.ADMIN)
    error = p.refused(
        InvalidTransition,
        lambda: p.service.change_role(T1, by=admin(SECOND), user_id=ADMIN, role=Role.USER),
    )
    assert error.rule == "ACC-5"
    p.refused(
        InvalidTransition,
        lambda: p.service.change_role(T1, by=admin(SECOND), user_id=SECOND, role=Role.USER),
    )


@pytest.mark.parametrize("role", ["admin", None, UserStatus.ACTIVE])
def test_acc_11_change_role_takes_a_role_member_only(role: object) -> None:
    p = Portal()
    p.add_active()
    error = p.refused(
        ValidationError,
        lambda: p.service.change_role(T1, by=admin(), user_id=USER, role=role),  # type: ignore[arg-type]
    )
    assert (error.field, error.rule) == ("role", "SEC-2")


def test_acc_11_change_role_to_the_same_role_is_refused() -> None:
    p = Portal()
    p.add_active()
    p.refused(
        ValidationError,
        lambda: p.service.change_role(T1, by=admin(), user_id=USER, role=Role.USER),
    )


def test_acc_11_edit_user_changes_the_acc_8_fields_given() -> None:
    p = Portal()
    p.add_active()
    tenant = p.service.edit_user(
        T1,
        by=admin(),
        user_id=USER,
        given_name="桜",
        family_name_kana="サトウ",
        given_name_kana="サクラ",
        organisation="営業部",
        phone="0312345678",
        notification_address="sakura@example.jp",
    )
    user = tenant.user(USER)
    assert (
        user.family_name,
        user.given_name,
        user.family_name_kana,
        user.given_name_kana,
        user.organisation,
        user.phone,
        user.notification_address,
    ) == ("佐藤", "桜", "サトウ", "サクラ", "営業部", "0312345678", "sakura@example.jp")
    assert tenant.pending_events[-1].what == "user_edited"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("family_name", "Satoう"),
        ("given_name", "あいうえおかきくけこさ"),
        ("family_name_kana", "さとう"),
        ("given_name_kana", "ア" * 21),
        ("organisation", "x" * 51),
        ("phone", "03-1234"),
        ("notification_address", "not-an-address"),
    ],
)
def test_acc_11_edit_user_refuses_a_field_acc_8_forbids(field: str, value: str) -> None:
    p = Portal()
    p.add_active()
    given: dict[str, Any] = {field: value}
    error = p.refused(
        ValidationError,
        lambda: p.service.edit_user(T1, by=admin(), user_id=USER, **given),
    )
    assert (error.field, error.rule) == (field, "ACC-8")


# -- ACC-11: deletion under ACC-5's limits -------------------------------------------------------


def test_acc_11_delete_user_removes_the_user_but_never_oneself_or_the_representative() -> None:
    p = Portal()
    p.add_active(SECOND, Role.ADMIN)
    p.add_active()
    p.refused(InvalidTransition, lambda: p.service.delete_user(T1, by=admin(), user_id=ADMIN))
    p.refused(InvalidTransition, lambda: p.service.delete_user(T1, by=admin(SECOND), user_id=ADMIN))
    tenant = p.service.delete_user(T1, by=admin(), user_id=USER)
    with pytest.raises(NotFound):
        tenant.user(USER)


# -- ACC-11: every command is refused for a ユーザ and across tenants (ACC-3, SEC-1) -------------

COMMANDS: dict[str, Callable[[UserDirectoryService, Principal, str], object]] = {
    "resend_setup_mail": lambda s, by, t: s.resend_setup_mail(t, by=by, user_id=USER),
    "set_temporary_password": lambda s, by, t: s.set_temporary_password(
        t, by=by, user_id=USER, new="temp1pass", confirmation="temp1pass"
    ),
    "change_role": lambda s, by, t: s.change_role(t, by=by, user_id=USER, role=Role.ADMIN),
    "edit_user": lambda s, by, t: s.edit_user(t, by=by, user_id=USER, organisation="営業部"),
    "delete_user": lambda s, by, t: s.delete_user(t, by=by, user_id=USER),
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_acc_11_every_user_management_command_is_refused_for_a_user_role(name: str) -> None:
    p = Portal()
    p.add_active(SECOND)
    p.add()  # USER unconfigured: resend would otherwise be allowed
    error = p.refused(PermissionDenied, lambda: COMMANDS[name](p.service, member(SECOND), T1))
    assert error.rule == "ACC-3"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_acc_11_every_user_management_command_is_refused_across_tenants(name: str) -> None:
    p = Portal()
    p.add()
    p.refused(NotFound, lambda: COMMANDS[name](p.service, admin(BOSS, T2), T1))


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_acc_11_every_user_management_command_is_refused_to_an_operator(name: str) -> None:
    p = Portal()
    p.add()
    p.refused(PermissionDenied, lambda: COMMANDS[name](p.service, OPERATOR, T1))


@pytest.mark.parametrize(
    "by",
    [member(), admin(BOSS, T2), admin(USER), OPERATOR],
    ids=["a user", "another tenant's admin", "the holder as admin", "an operator"],
)
def test_acc_11_the_password_service_checks_who_sets_a_temporary_password(by: Principal) -> None:
    p = Portal()
    p.add_active()
    p.refused(
        PermissionDenied,
        lambda: p.passwords._set_temporary(  # the directory's private helper, checked too
            USER,
            by=by,
            customer_id=T1,
            new="temp1pass",
            confirmation="temp1pass",
            at=jst(2026, 11, 1, 12, 0),
        ),
    )
