"""UserDirectoryService: ACC-3 … ACC-6 with principals (SEC-1 … SEC-3); refusals change nothing."""

from __future__ import annotations

import enum
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

import pytest

from omakase_core import (
    Actor,
    ConcurrencyConflict,
    DeadlinePassed,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    Principal,
    ValidationError,
)
from omakase_core.accounts import Role, Tenant, UserDirectoryService, UserStatus
from omakase_core.calendar import JST
from omakase_core.testing import FixedClock, InMemoryOutbox, InMemoryRepository

if TYPE_CHECKING:
    from collections.abc import Callable

T1, T2 = "t-1", "t-2"
ADMIN = "admin@example.co.jp"
SECOND = "second@example.co.jp"
USER = "user@example.co.jp"
OTHER = "other@example.co.jp"
BOSS = "boss@other.co.jp"
OPERATOR = Principal.operator("staff-1")
SYSTEM = Principal.system()


def jst(*args: int) -> datetime:
    return datetime(*args, tzinfo=JST)  # type: ignore[arg-type, misc]


def admin(user_id: str = ADMIN, tenant: str = T1) -> Principal:
    return Principal.customer(tenant, user_id=user_id, role=Role.ADMIN)


def member(user_id: str = USER, tenant: str = T1) -> Principal:
    return Principal.customer(tenant, user_id=user_id, role=Role.USER)


class Foreign(enum.Enum):
    ADMIN = "admin"


class Directory:
    """Two tenants: t-1 (山田, the representative) and t-2 (another customer's), set up."""

    def __init__(self, *, with_t2: bool = True) -> None:
        self.clock = FixedClock(jst(2026, 11, 1, 10, 0))
        self.outbox = InMemoryOutbox()
        self.repo: InMemoryRepository[Tenant] = InMemoryRepository(self.outbox)
        self.service = UserDirectoryService(tenants=self.repo, clock=self.clock)
        self.service.create_tenant(
            T1, by=OPERATOR, admin_id=ADMIN, family_name="山田", given_name="太郎"
        )
        self.service.complete_setup(T1, by=admin(), user_id=ADMIN)  # ACC-4: through the link
        if with_t2:
            self.service.create_tenant(
                T2, by=OPERATOR, admin_id=BOSS, family_name="鈴木", given_name="一郎"
            )
            self.service.complete_setup(T2, by=admin(BOSS, T2), user_id=BOSS)

    def snapshot(self) -> tuple[object, ...]:
        tenants = tuple(sorted(self.repo, key=lambda t: t.id))
        return tenants, tuple(self.outbox.records())

    def add(self, user_id: str = USER, role: Role = Role.USER) -> Tenant:
        return self.service.add_user(
            T1, by=admin(), user_id=user_id, role=role, family_name="佐藤", given_name="花子"
        )

    def add_active(self, user_id: str = USER, role: Role = Role.USER) -> Tenant:
        self.add(user_id, role)
        return self.service.complete_setup(T1, by=member(user_id), user_id=user_id)

    def refused(self, error: type[Exception], command: Callable[[], object]) -> Any:
        """Run ``command``, expect ``error``, and check that nothing changed."""
        before = self.snapshot()
        with pytest.raises(error) as raised:
            command()
        assert self.snapshot() == before
        return raised.value


# -- ACC-3: administrators manage users ------------------------------------------------------------


def test_acc_3_a_user_cannot_add_users_and_nothing_changes() -> None:
    d = Directory()
    d.add_active()
    d.refused(
        PermissionDenied,
        lambda: d.service.add_user(
            T1, by=member(), user_id=OTHER, role=Role.USER, family_name="佐藤", given_name="花子"
        ),
    )


def test_acc_3_an_administrator_adds_an_unconfigured_user_with_a_7_day_link() -> None:
    d = Directory()
    tenant = d.add()
    user = tenant.user(USER)
    assert (user.role, user.status, user.setup_sent_at) == (
        Role.USER,
        UserStatus.UNCONFIGURED,
        jst(2026, 11, 1, 10, 0),
    )
    assert [(e.what, e.user_id) for e in tenant.pending_events] == [("user_added", USER)]


@pytest.mark.parametrize("role", ["admin", "管理者", None, Foreign.ADMIN, UserStatus.ACTIVE])
def test_sec_2_add_user_refuses_a_role_that_is_not_a_role_member(role: object) -> None:
    d = Directory()
    error = d.refused(
        ValidationError,
        lambda: d.service.add_user(
            T1,
            by=admin(),
            user_id=USER,
            role=role,  # type: ignore[arg-type]
            family_name="佐藤",
            given_name="花子",
        ),
    )
    assert (error.field, error.rule) == ("role", "SEC-2")


@pytest.mark.parametrize(
    "by",
    [
        Principal.customer(T1, user_id=ADMIN),
        Principal.customer(T1, user_id=ADMIN, role=Foreign.ADMIN),
        Principal.customer(T1, user_id=ADMIN, role=UserStatus.ACTIVE),
    ],
)
def test_sec_2_a_missing_or_foreign_role_of_the_principal_is_refused_never_assumed(
    by: Principal,
) -> None:
    d = Directory()
    error = d.refused(
        ValidationError,
        lambda: d.service.add_user(
            T1, by=by, user_id=USER, role=Role.USER, family_name="佐藤", given_name="花子"
        ),
    )
    assert (error.field, error.rule) == ("by", "SEC-2")


@pytest.mark.parametrize("by", ["admin", None, Role.ADMIN, ADMIN])
def test_sec_2_by_must_be_a_principal(by: object) -> None:
    d = Directory()
    error = d.refused(
        ValidationError,
        lambda: d.service.change_status(
            T1,
            by=by,  # type: ignore[arg-type]
            user_id=USER,
            event="suspend",
        ),
    )
    assert error.field == "by"


@pytest.mark.parametrize("by", [OPERATOR, SYSTEM])
def test_acc_3_the_back_office_may_not_manage_a_tenants_users(by: Principal) -> None:
    d = Directory()
    d.add_active()
    d.refused(
        PermissionDenied,
        lambda: d.service.change_status(T1, by=by, user_id=USER, event="suspend"),
    )


def test_acc_3_only_an_administrator_or_the_back_office_looks_a_tenant_up() -> None:
    d = Directory()
    d.add_active()
    assert d.service.get(T1, by=admin()).user(USER).status is UserStatus.ACTIVE
    assert d.service.get(T1, by=OPERATOR).representative == ADMIN
    with pytest.raises(PermissionDenied):
        d.service.get(T1, by=member())


# -- ACC-4 amended, ACC-6: the setup is the user's own ------------------------------------------


def test_acc_4_a_new_user_is_unconfigured_until_they_complete_their_own_setup() -> None:
    d = Directory()
    d.add()
    with pytest.raises(PermissionDenied, match="未設定"):
        d.service.check_login(T1, by=SYSTEM, user_id=USER)
    tenant = d.service.complete_setup(T1, by=member(), user_id=USER)
    assert tenant.pending_events[-1].what == "setup_completed"
    assert d.service.check_login(T1, by=member(), user_id=USER).status is UserStatus.ACTIVE


def test_acc_6_setup_after_the_link_expired_is_refused() -> None:
    d = Directory()
    d.add()
    d.clock.set(jst(2026, 11, 8, 0, 0))
    error = d.refused(
        DeadlinePassed, lambda: d.service.complete_setup(T1, by=member(), user_id=USER)
    )
    assert error.deadline == jst(2026, 11, 8)


def test_acc_4_an_administrator_cannot_complete_a_users_setup_even_after_the_link_expired() -> None:
    """The bypass of issue 9: an admin "completing" an expired setup let the user log in."""
    d = Directory()
    d.add()
    d.clock.set(jst(2026, 11, 9, 9, 0))
    error = d.refused(
        PermissionDenied, lambda: d.service.complete_setup(T1, by=admin(), user_id=USER)
    )
    assert error.rule == "SEC-1"
    moved = d.refused(
        ValidationError,
        lambda: d.service.change_status(T1, by=admin(), user_id=USER, event="complete_setup"),
    )
    assert moved.field == "event"
    with pytest.raises(PermissionDenied, match="未設定"):
        d.service.check_login(T1, by=SYSTEM, user_id=USER)


def test_acc_4_the_aggregate_itself_refuses_a_setup_completed_by_someone_else() -> None:
    d = Directory()
    tenant = d.add()
    with pytest.raises(PermissionDenied) as raised:
        tenant.complete_setup(
            user_id=USER, actor=admin().actor, actor_id=ADMIN, at=jst(2026, 11, 2, 9, 0)
        )
    assert raised.value.rule == "ACC-4"


@pytest.mark.parametrize("by", [member(OTHER), OPERATOR, SYSTEM])
def test_sec_1_a_user_cannot_complete_another_users_setup_and_nothing_changes(
    by: Principal,
) -> None:
    d = Directory()
    d.add()
    d.add(OTHER)
    d.refused(PermissionDenied, lambda: d.service.complete_setup(T1, by=by, user_id=USER))


def test_sec_2_a_foreign_role_is_refused_even_for_the_users_own_setup() -> None:
    d = Directory()
    d.add()
    by = Principal.customer(T1, user_id=USER, role=Foreign.ADMIN)
    error = d.refused(ValidationError, lambda: d.service.complete_setup(T1, by=by, user_id=USER))
    assert (error.field, error.rule) == ("by", "SEC-2")
    tenant = d.service.complete_setup(T1, by=Principal.customer(T1, user_id=USER), user_id=USER)
    assert tenant.user(USER).status is UserStatus.ACTIVE


def test_issue_9_3_a_clock_set_back_does_not_revive_an_expired_setup_link() -> None:
    d = Directory()
    d.add()
    d.clock.set(jst(2026, 11, 8, 0, 0))
    d.add(OTHER)  # the tenant changed at the expiry instant
    d.clock.set(jst(2026, 11, 7, 23, 0))  # before the expiry, but before that change too
    error = d.refused(
        ValidationError, lambda: d.service.complete_setup(T1, by=member(), user_id=USER)
    )
    assert error.field == "at"


def test_issue_9_3_the_tenant_aggregate_refuses_commands_out_of_time_order() -> None:
    d = Directory()
    tenant = d.add()
    with pytest.raises(ValidationError) as raised:
        tenant.complete_setup(
            user_id=USER, actor=member().actor, actor_id=USER, at=jst(2026, 11, 1, 9, 59)
        )
    assert raised.value.field == "at"


# -- ACC-4: status, login and reset ----------------------------------------------------------------


def test_acc_4_suspended_users_neither_log_in_nor_reset_and_deleted_ones_are_gone() -> None:
    d = Directory()
    d.add_active()
    d.service.change_status(T1, by=admin(), user_id=USER, event="suspend")
    with pytest.raises(PermissionDenied):
        d.service.check_login(T1, by=member(), user_id=USER)
    with pytest.raises(PermissionDenied):
        d.service.check_password_reset(T1, by=SYSTEM, user_id=USER)
    d.service.change_status(T1, by=admin(), user_id=USER, event="resume")
    d.service.check_login(T1, by=member(), user_id=USER)
    d.service.delete_user(T1, by=admin(), user_id=USER)
    with pytest.raises(NotFound):
        d.service.check_login(T1, by=SYSTEM, user_id=USER)


def test_acc_4_a_locked_user_may_reset_but_not_log_in_until_an_admin_unlocks() -> None:
    d = Directory()
    d.add_active()
    d.service.lock(T1, by=SYSTEM, user_id=USER)
    d.service.check_password_reset(T1, by=member(), user_id=USER)
    with pytest.raises(PermissionDenied, match="アカウントロック"):
        d.service.check_login(T1, by=member(), user_id=USER)
    d.service.change_status(T1, by=admin(), user_id=USER, event="unlock")
    d.service.check_login(T1, by=member(), user_id=USER)


@pytest.mark.parametrize("by", [admin(), member(), OPERATOR])
def test_acc_4_only_the_system_locks_an_account(by: Principal) -> None:
    d = Directory()
    d.add_active()
    d.refused(PermissionDenied, lambda: d.service.lock(T1, by=by, user_id=USER))


@pytest.mark.parametrize("event", ["lock", "complete_setup", "SUSPEND", "一時停止", None, ["x"]])
def test_acc_4_an_administrator_sends_only_suspend_resume_or_unlock(event: object) -> None:
    d = Directory()
    d.add_active()
    error = d.refused(
        ValidationError,
        lambda: d.service.change_status(
            T1,
            by=admin(),
            user_id=USER,
            event=event,  # type: ignore[arg-type]
        ),
    )
    assert error.field == "event"


def test_sec_1_login_checks_answer_the_back_office_or_the_user_themself() -> None:
    d = Directory()
    d.add_active()
    d.add_active(OTHER)
    for check in (d.service.check_login, d.service.check_password_reset):
        assert check(T1, by=OPERATOR, user_id=USER).user_id == USER
        assert check(T1, by=member(), user_id=USER).user_id == USER
        with pytest.raises(PermissionDenied) as raised:
            check(T1, by=member(OTHER), user_id=USER)
        assert raised.value.rule == "SEC-1"


@pytest.mark.parametrize("role", [Foreign.ADMIN, UserStatus.ACTIVE])
def test_sec_2_login_checks_refuse_a_role_that_is_not_a_role_member(role: enum.Enum) -> None:
    d = Directory()
    d.add_active()
    by = Principal.customer(T1, user_id=USER, role=role)
    for check in (d.service.check_login, d.service.check_password_reset):
        error = d.refused(ValidationError, partial(check, T1, by=by, user_id=USER))
        assert (error.field, error.rule) == ("by", "SEC-2")


def test_acc_4_no_administrator_suspends_or_deletes_themself() -> None:
    d = Directory()
    d.add_active(SECOND, Role.ADMIN)
    me = admin(SECOND)
    d.refused(
        InvalidTransition,
        lambda: d.service.change_status(T1, by=me, user_id=SECOND, event="suspend"),
    )
    d.refused(InvalidTransition, lambda: d.service.delete_user(T1, by=me, user_id=SECOND))


def test_acc_4_no_administrator_suspends_or_deletes_the_representative_admin() -> None:
    d = Directory()
    d.add_active(SECOND, Role.ADMIN)
    suspended = d.refused(
        InvalidTransition,
        lambda: d.service.change_status(T1, by=admin(SECOND), user_id=ADMIN, event="suspend"),
    )
    assert (suspended.state, suspended.rule) == ("representative", "ACC-4")
    deleted = d.refused(
        InvalidTransition, lambda: d.service.delete_user(T1, by=admin(SECOND), user_id=ADMIN)
    )
    assert (deleted.state, deleted.rule) == ("representative", "ACC-5")


def test_acc_4_no_administrator_suspends_or_deletes_the_last_active_administrator() -> None:
    """The tenant refuses it; the service never gets that far, as the actor is not active."""
    d = Directory()
    d.add_active(SECOND, Role.ADMIN)
    d.service.lock(T1, by=SYSTEM, user_id=ADMIN)  # the representative is locked out
    tenant = d.repo.get(T1)
    at = jst(2026, 11, 1, 11, 0)
    for command in (
        lambda: tenant.change_status(
            user_id=SECOND,
            event="suspend",
            actor=Actor.CUSTOMER,
            actor_role=Role.ADMIN,
            actor_id=ADMIN,
            at=at,
        ),
        lambda: tenant.delete_user(
            user_id=SECOND, actor=Actor.CUSTOMER, actor_role=Role.ADMIN, actor_id=ADMIN, at=at
        ),
    ):
        error = d.refused(InvalidTransition, command)
        assert (error.state, error.rule) == ("last_active_admin", "ACC-4")
    for command in (  # through the service, the locked administrator cannot act at all
        lambda: d.service.change_status(T1, by=admin(), user_id=SECOND, event="suspend"),
        lambda: d.service.delete_user(T1, by=admin(), user_id=SECOND),
    ):
        refused = d.refused(PermissionDenied, command)
        assert (refused.rule, refused.state) == ("ACC-4", "LOCKED")


# -- ACC-3, ACC-4: the acting administrator as the stored tenant has them -----------------------


def _commands(d: Directory, by: Principal) -> dict[str, Callable[[], object]]:
    """Every administrator's command of the directory, by ``by`` on t-1's 佐藤 (USER)."""
    return {
        "get": lambda: d.service.get(T1, by=by),
        "add_user": lambda: d.service.add_user(
            T1, by=by, user_id=OTHER, role=Role.ADMIN, family_name="佐藤", given_name="次郎"
        ),
        "resend_setup_mail": lambda: d.service.resend_setup_mail(T1, by=by, user_id=OTHER),
        "change_role": lambda: d.service.change_role(T1, by=by, user_id=USER, role=Role.ADMIN),
        "edit_user": lambda: d.service.edit_user(T1, by=by, user_id=USER, given_name="花"),
        "change_status": lambda: d.service.change_status(T1, by=by, user_id=USER, event="suspend"),
        "delete_user": lambda: d.service.delete_user(T1, by=by, user_id=USER),
        "change_representative": lambda: d.service.change_representative(T1, by=by, new=SECOND),
    }


def _stale_admin(d: Directory, how: str) -> Principal:
    """Return an administrator's principal (its session's word) that the tenant no longer backs."""
    if how == "never existed":
        return admin("ghost@example.co.jp")
    if how == "not set up":
        d.add(OTHER, Role.ADMIN)
        return admin(OTHER)
    d.add_active(OTHER, Role.ADMIN)
    if how == "demoted":
        d.service.change_role(T1, by=admin(), user_id=OTHER, role=Role.USER)
    elif how == "suspended":
        d.service.change_status(T1, by=admin(), user_id=OTHER, event="suspend")
    elif how == "locked":
        d.service.lock(T1, by=SYSTEM, user_id=OTHER)
    else:
        d.service.delete_user(T1, by=admin(), user_id=OTHER)
    return admin(OTHER)


@pytest.mark.parametrize(
    "how", ["never existed", "not set up", "demoted", "suspended", "locked", "deleted"]
)
def test_acc_4_an_administrator_the_tenant_no_longer_backs_is_refused_everything(
    how: str,
) -> None:
    d = Directory()
    d.add_active()
    d.add_active(SECOND, Role.ADMIN)
    by = _stale_admin(d, how)
    for name, command in _commands(d, by).items():
        refused = d.refused(PermissionDenied, command)
        assert refused.rule == ("ACC-3" if how == "demoted" else "ACC-4"), name
    stale = d.refused(  # a stale version named changes nothing: the refusal comes first
        PermissionDenied,
        lambda: d.service.edit_user(T1, by=by, user_id=USER, given_name="花", expected_version=0),
    )
    assert stale.rule == ("ACC-3" if how == "demoted" else "ACC-4")


def test_acc_3_an_active_administrator_as_stored_may_do_all_of_it() -> None:
    d = Directory()
    d.add_active()
    d.add_active(SECOND, Role.ADMIN)
    for name, command in _commands(d, admin()).items():
        assert command() is not None, name


def test_acc_4_an_administrator_suspends_and_deletes_an_ordinary_user() -> None:
    d = Directory()
    d.add_active()
    tenant = d.service.change_status(T1, by=admin(), user_id=USER, event="suspend")
    assert tenant.user(USER).status is UserStatus.SUSPENDED
    tenant = d.service.delete_user(T1, by=admin(), user_id=USER)
    assert [u.user_id for u in tenant.users] == [ADMIN]


def test_acc_4_an_administrator_command_needs_the_acting_user_id() -> None:
    d = Directory()
    d.add_active()
    error = d.refused(
        ValidationError,
        lambda: d.service.delete_user(T1, by=Principal.customer(T1, role=Role.ADMIN), user_id=USER),
    )
    assert error.field == "by"


# -- ACC-5: the representative admin ---------------------------------------------------------------


def test_acc_5_representative_rules_through_the_service() -> None:
    d = Directory()
    d.refused(ValidationError, lambda: d.service.change_representative(T1, by=admin(), new=ADMIN))
    d.add(SECOND, role=Role.ADMIN)
    unconfigured = d.refused(
        ValidationError, lambda: d.service.change_representative(T1, by=admin(), new=SECOND)
    )
    assert (unconfigured.field, unconfigured.rule) == ("new", "ACC-5")
    d.service.complete_setup(T1, by=member(SECOND), user_id=SECOND)
    d.refused(
        PermissionDenied, lambda: d.service.change_representative(T1, by=member(), new=SECOND)
    )
    tenant = d.service.change_representative(T1, by=admin(), new=SECOND)
    assert tenant.representative == SECOND


# -- SEC-1: another tenant is not found, exactly like an absent one ------------------------------

COMMANDS: dict[str, Callable[[UserDirectoryService, str], object]] = {
    "get": lambda s, t: s.get(t, by=admin()),
    "add_user": lambda s, t: s.add_user(
        t, by=admin(), user_id=USER, role=Role.USER, family_name="佐藤", given_name="花子"
    ),
    "complete_setup": lambda s, t: s.complete_setup(t, by=member(BOSS), user_id=BOSS),
    "change_status": lambda s, t: s.change_status(t, by=admin(), user_id=BOSS, event="suspend"),
    "lock": lambda s, t: s.lock(t, by=admin(), user_id=BOSS),
    "check_login": lambda s, t: s.check_login(t, by=member(BOSS), user_id=BOSS),
    "check_password_reset": lambda s, t: s.check_password_reset(t, by=member(BOSS), user_id=BOSS),
    "delete_user": lambda s, t: s.delete_user(t, by=admin(), user_id=BOSS),
    "change_representative": lambda s, t: s.change_representative(t, by=admin(), new=BOSS),
}
REFUSED_BEFORE_LOOK_UP = {"lock"}
"""Only the system locks, and it sees every tenant: anyone else is refused before the look-up."""


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_sec_1_another_tenant_answers_exactly_like_an_absent_one(name: str) -> None:
    command = COMMANDS[name]
    error = PermissionDenied if name in REFUSED_BEFORE_LOOK_UP else NotFound
    with_t2, without_t2 = Directory(), Directory(with_t2=False)
    foreign = with_t2.refused(error, lambda: command(with_t2.service, T2))
    absent = without_t2.refused(error, lambda: command(without_t2.service, T2))
    assert (type(foreign), str(foreign), foreign.args) == (type(absent), str(absent), absent.args)
    if error is NotFound:
        assert (foreign.kind, foreign.id) == (absent.kind, absent.id)
        assert str(foreign) == "no tenant with id 't-2' exists"


def test_sec_1_the_system_locking_in_an_absent_tenant_is_not_found() -> None:
    d = Directory(with_t2=False)
    error = d.refused(NotFound, lambda: d.service.lock(T2, by=SYSTEM, user_id=BOSS))
    assert str(error) == "no tenant with id 't-2' exists"


def test_sec_1_a_customer_opens_only_its_own_tenant() -> None:
    d = Directory(with_t2=False)
    d.refused(
        PermissionDenied,
        lambda: d.service.create_tenant(
            T1, by=admin(tenant=T2), admin_id=BOSS, family_name="鈴木", given_name="一郎"
        ),
    )
    tenant = d.service.create_tenant(
        T2, by=admin(BOSS, tenant=T2), admin_id=BOSS, family_name="鈴木", given_name="一郎"
    )
    assert (tenant.representative, tenant.version) == (BOSS, 1)


def test_sec_1_a_taken_tenant_id_is_one_error_whoever_holds_it() -> None:
    """Never a ConcurrencyConflict showing the stored version; the same for every caller."""
    d = Directory()
    d.add()  # t-1 moves to version 1: a conflict would show it
    errors = [
        d.refused(
            ValidationError,
            partial(
                d.service.create_tenant,
                tenant,
                by=by,
                admin_id=BOSS,
                family_name="鈴木",
                given_name="一郎",
            ),
        )
        for by, tenant in ((admin(tenant=T1), T1), (OPERATOR, T1), (OPERATOR, T2))
    ]
    own, back_office, other = errors
    assert (str(own), own.field, own.rule) == (str(back_office), "tenant_id", "SEC-1")
    assert str(own) == (
        "SEC-1: tenant_id 't-1' cannot be used; choose another tenant_id"
        " (generate one, e.g. with uuid4)"
    )
    assert str(other) == str(own).replace(T1, T2)
    elsewhere = [
        d.refused(
            PermissionDenied,
            partial(
                d.service.create_tenant,
                tenant,
                by=admin(tenant="t-9"),
                admin_id=BOSS,
                family_name="鈴木",
                given_name="一郎",
            ),
        )
        for tenant in (T2, "t-3")  # another customer's existing tenant, and an absent one
    ]
    assert str(elsewhere[0]) == str(elsewhere[1])


# -- SEC-3: stale screens, and races ---------------------------------------------------------------


NEW = "new@example.co.jp"

VERSIONED: dict[str, Callable[[UserDirectoryService, int], Tenant]] = {
    "add_user": lambda s, v: s.add_user(
        T1,
        by=admin(),
        user_id=NEW,
        role=Role.USER,
        family_name="佐藤",
        given_name="花子",
        expected_version=v,
    ),
    "complete_setup": lambda s, v: s.complete_setup(
        T1, by=member(OTHER), user_id=OTHER, expected_version=v
    ),
    "change_status": lambda s, v: s.change_status(
        T1, by=admin(), user_id=USER, event="suspend", expected_version=v
    ),
    "lock": lambda s, v: s.lock(T1, by=SYSTEM, user_id=USER, expected_version=v),
    "delete_user": lambda s, v: s.delete_user(T1, by=admin(), user_id=USER, expected_version=v),
    "change_representative": lambda s, v: s.change_representative(
        T1, by=admin(), new=SECOND, expected_version=v
    ),
}


def versioned_directory() -> Directory:
    """t-1 at version 7: an active second admin, an active user, an unconfigured one."""
    d = Directory()
    d.add_active(SECOND, Role.ADMIN)
    d.add_active()
    d.add(OTHER)
    assert d.repo.get(T1).version == 7  # opened, set up, then 5 changes
    return d


@pytest.mark.parametrize("name", sorted(VERSIONED))
def test_sec_3_a_stale_expected_version_is_a_conflict_and_changes_nothing(name: str) -> None:
    d = versioned_directory()
    command = VERSIONED[name]
    error = d.refused(ConcurrencyConflict, lambda: command(d.service, 6))
    assert (error.expected_version, error.actual_version) == (6, 7)
    assert command(d.service, 7).version == 8


REFUSED: dict[str, Callable[[UserDirectoryService, int], object]] = {
    "get": lambda s, _: s.get(T1, by=member()),
    "add_user": lambda s, v: s.add_user(
        T1,
        by=member(),
        user_id=NEW,
        role=Role.USER,
        family_name="佐藤",
        given_name="花子",
        expected_version=v,
    ),
    "complete_setup": lambda s, v: s.complete_setup(
        T1, by=admin(), user_id=OTHER, expected_version=v
    ),
    "change_status": lambda s, v: s.change_status(
        T1, by=member(), user_id=OTHER, event="suspend", expected_version=v
    ),
    "lock": lambda s, v: s.lock(T1, by=admin(), user_id=USER, expected_version=v),
    "check_login": lambda s, _: s.check_login(T1, by=member(), user_id=OTHER),
    "delete_user": lambda s, v: s.delete_user(T1, by=member(), user_id=OTHER, expected_version=v),
    "change_representative": lambda s, v: s.change_representative(
        T1, by=member(), new=SECOND, expected_version=v
    ),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_sec_3_a_refused_principal_is_told_so_whatever_version_it_names(name: str) -> None:
    """Role and "own account" checks come before the look-up: no conflict shows a version."""
    d = versioned_directory()
    d.refused(PermissionDenied, lambda: REFUSED[name](d.service, 0))


@pytest.mark.parametrize("version", [-1, "2", 2.0, True])
def test_sec_3_expected_version_must_be_a_version_number(version: object) -> None:
    d = Directory()
    error = d.refused(
        ValidationError,
        lambda: d.service.add_user(
            T1,
            by=admin(),
            user_id=USER,
            role=Role.USER,
            family_name="佐藤",
            given_name="花子",
            expected_version=version,  # type: ignore[arg-type]
        ),
    )
    assert error.field == "expected_version"


class TickingClock:
    """A clock that moves one minute on every reading."""

    def __init__(self, start: datetime) -> None:
        self.at = start

    def now(self) -> datetime:
        from datetime import timedelta  # noqa: PLC0415

        self.at += timedelta(minutes=1)
        return self.at


class RacingRepository(InMemoryRepository[Tenant]):
    """Runs ``before_get`` (another writer) once, just before the next load."""

    before_get: Callable[[], object] | None = None

    def get(self, aggregate_id: str) -> Tenant:
        hook, self.before_get = self.before_get, None
        if hook is not None:
            hook()
        return super().get(aggregate_id)


def test_sec_3_a_command_reads_the_clock_after_loading_so_a_race_is_no_time_order_error() -> None:
    clock = TickingClock(jst(2026, 11, 1, 10, 0))
    repo = RacingRepository(InMemoryOutbox())
    service = UserDirectoryService(tenants=repo, clock=clock)
    service.create_tenant(T1, by=OPERATOR, admin_id=ADMIN, family_name="山田", given_name="太郎")
    service.complete_setup(T1, by=admin(), user_id=ADMIN)  # ACC-4: an administrator set up
    service.add_user(
        T1, by=admin(), user_id=USER, role=Role.USER, family_name="佐藤", given_name="花子"
    )
    repo.before_get = lambda: service.add_user(
        T1, by=admin(), user_id=OTHER, role=Role.USER, family_name="佐藤", given_name="次郎"
    )
    tenant = service.complete_setup(T1, by=member(), user_id=USER)
    assert tenant.user(USER).status is UserStatus.ACTIVE


def test_sec_3_a_command_that_loses_a_race_is_a_concurrency_conflict() -> None:
    d = Directory()
    d.add_active()

    class RacingClock:
        def __init__(self) -> None:
            self.raced = False

        def now(self) -> datetime:
            if not self.raced:
                self.raced = True
                d.service.change_status(T1, by=admin(), user_id=USER, event="suspend")
            return jst(2026, 11, 1, 11, 0)

    racing = UserDirectoryService(tenants=d.repo, clock=RacingClock())
    with pytest.raises(ConcurrencyConflict):
        racing.delete_user(T1, by=admin(), user_id=USER)
    assert d.repo.get(T1).user(USER).status is UserStatus.SUSPENDED
    assert [r.event.what for r in d.outbox.records()][-1] == "suspend"  # type: ignore[attr-defined]


def test_port_3_the_account_events_round_trip_through_json() -> None:
    from omakase_core.events import decode_event, encode_event  # noqa: PLC0415

    d = Directory()
    d.add_active()
    events = [record.event for record in d.outbox.records()]
    assert [getattr(e, "what", None) for e in events] == [
        "tenant_opened",
        "setup_completed",
        "tenant_opened",
        "setup_completed",
        "user_added",
        "setup_completed",
    ]
    assert [decode_event(encode_event(e)) for e in events] == events


# -- ACC-3, ACC-4: the principal of each request, from the stored user ----------------------------


def test_acc_3_principal_for_carries_the_stored_role_and_follows_a_change() -> None:
    d = Directory()
    d.add_active(SECOND, Role.ADMIN)
    assert d.service.principal_for(T1, by=SYSTEM, user_id=SECOND) == admin(SECOND)
    d.service.change_role(T1, by=admin(), user_id=SECOND, role=Role.USER)
    assert d.service.principal_for(T1, by=SYSTEM, user_id=SECOND) == member(SECOND)


@pytest.mark.parametrize("event", ["suspend", "lock"])
def test_acc_4_principal_for_refuses_a_user_who_may_not_log_in(event: str) -> None:
    d = Directory()
    d.add_active(SECOND, Role.ADMIN)
    if event == "lock":
        d.service.lock(T1, by=SYSTEM, user_id=SECOND)
    else:
        d.service.change_status(T1, by=admin(), user_id=SECOND, event=event)
    refused = d.refused(
        PermissionDenied, lambda: d.service.principal_for(T1, by=SYSTEM, user_id=SECOND)
    )
    assert refused.rule == "ACC-4"


def test_sec_1_principal_for_answers_a_user_only_about_themself() -> None:
    d = Directory()
    d.add_active(SECOND, Role.ADMIN)
    d.refused(PermissionDenied, lambda: d.service.principal_for(T1, by=admin(), user_id=SECOND))
    d.refused(NotFound, lambda: d.service.principal_for(T2, by=admin(SECOND), user_id=SECOND))
