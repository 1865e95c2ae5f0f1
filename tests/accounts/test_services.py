"""ACC-1 … ACC-6 through the services: refusals change nothing, passwords never show."""

from __future__ import annotations

from datetime import datetime

import pytest

from omakase_core import DeadlinePassed, NotFound, PermissionDenied, ValidationError
from omakase_core.accounts import (
    KDDI_PORTAL_PASSWORD,
    OCN_AUTH_PASSWORD,
    PasswordPolicy,
    PasswordPolicyError,
    PasswordService,
    Role,
    UserDirectoryService,
    UserStatus,
)
from omakase_core.calendar import JST
from omakase_core.testing import (
    FixedClock,
    InMemoryOutbox,
    InMemoryRepository,
    TestPasswordHasher,
)

ADMIN = "admin@example.co.jp"


def jst(*args: int) -> datetime:
    return datetime(*args, tzinfo=JST)  # type: ignore[arg-type, misc]


class Directory:
    def __init__(self) -> None:
        self.clock = FixedClock(jst(2026, 11, 1, 10, 0))
        self.outbox = InMemoryOutbox()
        self.repo: InMemoryRepository = InMemoryRepository(self.outbox)  # type: ignore[type-arg]
        self.service = UserDirectoryService(tenants=self.repo, clock=self.clock)
        self.service.create_tenant("t-1", admin_id=ADMIN, family_name="山田", given_name="太郎")

    def snapshot(self) -> tuple[object, list[object]]:
        return self.repo.get("t-1"), list(self.outbox.records())

    def add(self, user_id: str = "user@example.co.jp", role: Role = Role.USER) -> None:
        self.service.add_user(
            "t-1",
            actor_role=Role.ADMIN,
            user_id=user_id,
            role=role,
            family_name="佐藤",
            given_name="花子",
        )


def test_acc_3_a_user_cannot_add_users_and_nothing_changes() -> None:
    d = Directory()
    before = d.snapshot()
    with pytest.raises(PermissionDenied):
        d.service.add_user(
            "t-1",
            actor_role=Role.USER,
            user_id="x@example.co.jp",
            role=Role.USER,
            family_name="佐藤",
            given_name="花子",
        )
    assert d.snapshot() == before


def test_acc_4_a_new_user_is_unconfigured_until_setup_and_cannot_log_in() -> None:
    d = Directory()
    d.add()
    with pytest.raises(PermissionDenied, match="未設定"):
        d.service.check_login("t-1", user_id="user@example.co.jp")
    d.service.complete_setup("t-1", user_id="user@example.co.jp")
    assert d.service.check_login("t-1", user_id="user@example.co.jp").status is UserStatus.ACTIVE


def test_acc_6_setup_after_the_link_expired_is_refused() -> None:
    d = Directory()
    d.add()
    d.clock.set(jst(2026, 11, 8, 0, 0))
    before = d.snapshot()
    with pytest.raises(DeadlinePassed) as raised:
        d.service.complete_setup("t-1", user_id="user@example.co.jp")
    assert raised.value.deadline == jst(2026, 11, 8)
    assert d.snapshot() == before


def test_acc_4_suspended_users_neither_log_in_nor_reset_and_deleted_ones_are_gone() -> None:
    d = Directory()
    d.add()
    d.service.complete_setup("t-1", user_id="user@example.co.jp")
    d.service.change_status(
        "t-1", actor_role=Role.ADMIN, user_id="user@example.co.jp", event="suspend"
    )
    with pytest.raises(PermissionDenied):
        d.service.check_login("t-1", user_id="user@example.co.jp")
    with pytest.raises(PermissionDenied):
        d.service.check_password_reset("t-1", user_id="user@example.co.jp")
    d.service.delete_user(
        "t-1", actor_role=Role.ADMIN, actor_id=ADMIN, user_id="user@example.co.jp"
    )
    with pytest.raises(NotFound):
        d.service.check_login("t-1", user_id="user@example.co.jp")


def test_acc_4_a_locked_user_may_reset_but_not_log_in() -> None:
    d = Directory()
    d.add()
    d.service.complete_setup("t-1", user_id="user@example.co.jp")
    d.service.lock("t-1", user_id="user@example.co.jp")
    d.service.check_password_reset("t-1", user_id="user@example.co.jp")
    with pytest.raises(PermissionDenied, match="アカウントロック"):
        d.service.check_login("t-1", user_id="user@example.co.jp")
    d.service.change_status(
        "t-1", actor_role=Role.ADMIN, user_id="user@example.co.jp", event="unlock"
    )
    d.service.check_login("t-1", user_id="user@example.co.jp")


def test_acc_5_representative_rules_through_the_service() -> None:
    d = Directory()
    with pytest.raises(ValidationError, match="at least two"):
        d.service.change_representative("t-1", actor_role=Role.ADMIN, new=ADMIN)
    d.add("second@example.co.jp", role=Role.ADMIN)
    before = d.snapshot()
    with pytest.raises(PermissionDenied):
        d.service.change_representative("t-1", actor_role=Role.USER, new="second@example.co.jp")
    with pytest.raises(Exception, match="representative admin cannot be deleted"):
        d.service.delete_user(
            "t-1", actor_role=Role.ADMIN, actor_id="second@example.co.jp", user_id=ADMIN
        )
    assert d.snapshot() == before
    tenant = d.service.change_representative(
        "t-1", actor_role=Role.ADMIN, new="second@example.co.jp"
    )
    assert tenant.representative == "second@example.co.jp"


# -- passwords -----------------------------------------------------------------------------------


def passwords(policy: PasswordPolicy) -> tuple[PasswordService, FixedClock, InMemoryRepository]:  # type: ignore[type-arg]
    clock = FixedClock(jst(2026, 11, 1, 10, 0))
    repo: InMemoryRepository = InMemoryRepository(InMemoryOutbox())  # type: ignore[type-arg]
    service = PasswordService(
        credentials=repo, clock=clock, hasher=TestPasswordHasher(), policy=policy
    )
    return service, clock, repo


def test_acc_1_a_change_takes_up_to_5_minutes_and_locks_changes_for_an_hour() -> None:
    service, clock, repo = passwords(OCN_AUTH_PASSWORD)
    service.set_initial("ocn-1", new="ab1cde", confirmation="ab1cde")
    change = service.change("ocn-1", current="ab1cde", new="xy2zzz", confirmation="xy2zzz")
    assert change.effective_by == jst(2026, 11, 1, 10, 5)
    assert change.next_change_from == jst(2026, 11, 1, 11, 0)
    clock.set(jst(2026, 11, 1, 10, 59, 59))
    before = repo.get("ocn-1")
    with pytest.raises(DeadlinePassed) as raised:
        service.change("ocn-1", current="xy2zzz", new="pq3rst", confirmation="pq3rst")
    assert raised.value.rule == "ACC-1"
    assert repo.get("ocn-1") == before
    clock.set(jst(2026, 11, 1, 11, 0))
    service.change("ocn-1", current="xy2zzz", new="pq3rst", confirmation="pq3rst")


def test_acc_1_a_wrong_current_password_is_refused_without_showing_any() -> None:
    service, _, repo = passwords(OCN_AUTH_PASSWORD)
    service.set_initial("ocn-1", new="ab1cde", confirmation="ab1cde")
    before = repo.get("ocn-1")
    with pytest.raises(PasswordPolicyError) as raised:
        service.change("ocn-1", current="wrong1", new="xy2zzz", confirmation="xy2zzz")
    assert raised.value.requirement == "current"
    assert repo.get("ocn-1") == before
    for secret in ("ab1cde", "wrong1", "xy2zzz"):
        assert secret not in str(raised.value)
        assert secret not in repr(repo.get("ocn-1"))


def test_acc_2_the_service_stores_hashes_and_refuses_recent_passwords() -> None:
    service, clock, repo = passwords(KDDI_PORTAL_PASSWORD)
    service.set_initial("kddi-1", new="first1pass", confirmation="first1pass")
    for old, new in (("first1pass", "second2pass"), ("second2pass", "third3pass")):
        clock.advance(minutes=1)
        service.change("kddi-1", current=old, new=new, confirmation=new, actor_role=Role.USER)
    stored = repo.get("kddi-1")
    assert "third3pass" not in stored.password_hash
    assert all("pass" not in h.split("$")[1] for h in stored.history)
    with pytest.raises(PasswordPolicyError) as raised:
        service.change("kddi-1", current="third3pass", new="first1pass", confirmation="first1pass")
    assert raised.value.requirement == "reuse_history"
    assert "first1pass" not in str(raised.value)
