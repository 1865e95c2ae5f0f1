"""PasswordService: ACC-1, ACC-2 with principals (SEC-1 … SEC-3); passwords never show."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pytest

from omakase_core import (
    ConcurrencyConflict,
    DeadlinePassed,
    NotFound,
    PermissionDenied,
    Principal,
    ValidationError,
)
from omakase_core.accounts import (
    KDDI_PORTAL_PASSWORD,
    OCN_AUTH_PASSWORD,
    Credential,
    PasswordPolicy,
    PasswordPolicyError,
    PasswordService,
    Role,
    UserStatus,
)
from omakase_core.calendar import JST
from omakase_core.testing import (
    FixedClock,
    InMemoryOutbox,
    InMemoryRepository,
    TestPasswordHasher,
)

if TYPE_CHECKING:
    from collections.abc import Callable

OCN = Principal.customer("ocn-1")
SATO = Principal.customer("t-1", user_id="sato@example.co.jp", role=Role.USER)
ADMIN = Principal.customer("t-1", user_id="admin@example.co.jp", role=Role.ADMIN)
STRANGER = Principal.customer("t-2", user_id="boss@other.co.jp", role=Role.ADMIN)


def jst(*args: int) -> datetime:
    return datetime(*args, tzinfo=JST)  # type: ignore[arg-type, misc]


class Foreign(enum.Enum):
    USER = "user"


class Passwords:
    def __init__(self, policy: PasswordPolicy) -> None:
        self.clock = FixedClock(jst(2026, 11, 1, 10, 0))
        self.outbox = InMemoryOutbox()
        self.repo: InMemoryRepository[Credential] = InMemoryRepository(self.outbox)
        self.service = PasswordService(
            credentials=self.repo, clock=self.clock, hasher=TestPasswordHasher(), policy=policy
        )

    def snapshot(self) -> tuple[object, ...]:
        return tuple(sorted(self.repo, key=lambda c: c.id)), tuple(self.outbox.records())

    def refused(self, error: type[Exception], command: Callable[[], object]) -> Any:
        before = self.snapshot()
        with pytest.raises(error) as raised:
            command()
        assert self.snapshot() == before
        return raised.value


def kddi() -> Passwords:
    p = Passwords(KDDI_PORTAL_PASSWORD)
    p.service.set_initial("sato", by=SATO, new="first1pass", confirmation="first1pass")
    return p


# -- ACC-1, ACC-2 ------------------------------------------------------------------------------


def test_acc_1_a_change_takes_up_to_5_minutes_and_locks_changes_for_an_hour() -> None:
    p = Passwords(OCN_AUTH_PASSWORD)
    p.service.set_initial("ocn-1", by=OCN, new="ab1cde", confirmation="ab1cde")
    change = p.service.change(
        "ocn-1", by=OCN, current="ab1cde", new="xy2zzz", confirmation="xy2zzz"
    )
    assert change.effective_by == jst(2026, 11, 1, 10, 5)
    assert change.next_change_from == jst(2026, 11, 1, 11, 0)
    p.clock.set(jst(2026, 11, 1, 10, 59, 59))
    error = p.refused(
        DeadlinePassed,
        lambda: p.service.change(
            "ocn-1", by=OCN, current="xy2zzz", new="pq3rst", confirmation="pq3rst"
        ),
    )
    assert error.rule == "ACC-1"
    p.clock.set(jst(2026, 11, 1, 11, 0))
    p.service.change("ocn-1", by=OCN, current="xy2zzz", new="pq3rst", confirmation="pq3rst")


def test_acc_1_a_wrong_current_password_is_refused_without_showing_any() -> None:
    p = Passwords(OCN_AUTH_PASSWORD)
    p.service.set_initial("ocn-1", by=OCN, new="ab1cde", confirmation="ab1cde")
    error = p.refused(
        PasswordPolicyError,
        lambda: p.service.change(
            "ocn-1", by=OCN, current="wrong1", new="xy2zzz", confirmation="xy2zzz"
        ),
    )
    assert error.requirement == "current"
    for secret in ("ab1cde", "wrong1", "xy2zzz"):
        assert secret not in str(error)
        assert secret not in repr(p.repo.get("ocn-1"))


def test_acc_2_the_service_stores_hashes_and_refuses_recent_passwords() -> None:
    p = kddi()
    for old, new in (("first1pass", "second2pass"), ("second2pass", "third3pass")):
        p.clock.advance(minutes=1)
        p.service.change("sato", by=SATO, current=old, new=new, confirmation=new)
    stored = p.repo.get("sato")
    assert "third3pass" not in stored.password_hash
    assert all("pass" not in h.split("$")[1] for h in stored.history)
    error = p.refused(
        PasswordPolicyError,
        lambda: p.service.change(
            "sato", by=SATO, current="third3pass", new="first1pass", confirmation="first1pass"
        ),
    )
    assert error.requirement == "reuse_history"
    assert "first1pass" not in str(error)


def test_acc_2_a_credential_belongs_to_the_principals_customer_and_user() -> None:
    p = kddi()
    stored = p.repo.get("sato")
    assert (stored.customer_id, stored.user_id, stored.version) == (
        "t-1",
        "sato@example.co.jp",
        0,
    )


# -- SEC-1 -----------------------------------------------------------------------------------------


def test_sec_1_another_customers_credential_is_not_found_exactly_like_an_absent_one() -> None:
    p = kddi()
    foreign = p.refused(
        NotFound,
        lambda: p.service.change(
            "sato", by=STRANGER, current="first1pass", new="x1yzabcd", confirmation="x1yzabcd"
        ),
    )
    absent = p.refused(
        NotFound,
        lambda: p.service.change(
            "nobody", by=STRANGER, current="first1pass", new="x1yzabcd", confirmation="x1yzabcd"
        ),
    )
    assert str(foreign) == str(NotFound(kind="credential", id="sato"))
    assert str(absent) == str(NotFound(kind="credential", id="nobody"))
    assert (foreign.kind, absent.kind) == ("credential", "credential")


@pytest.mark.parametrize(
    "by",
    [
        ADMIN,
        Principal.customer("t-1", user_id="other@example.co.jp", role=Role.USER),
        Principal.operator("staff-1"),
        Principal.system(),
    ],
)
def test_sec_1_a_user_cannot_change_another_users_password_and_nothing_changes(
    by: Principal,
) -> None:
    p = kddi()
    error = p.refused(
        PermissionDenied,
        lambda: p.service.change(
            "sato", by=by, current="first1pass", new="x1yzabcd", confirmation="x1yzabcd"
        ),
    )
    assert error.rule == "SEC-1"


@pytest.mark.parametrize(
    "by", [Principal.operator("staff-1"), Principal.system(), Principal.contractor("c-1")]
)
def test_sec_1_only_a_customer_side_user_sets_their_own_first_password(by: Principal) -> None:
    p = Passwords(KDDI_PORTAL_PASSWORD)
    p.refused(
        PermissionDenied,
        lambda: p.service.set_initial("sato", by=by, new="first1pass", confirmation="first1pass"),
    )


# -- SEC-2 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Foreign.USER, UserStatus.ACTIVE])
def test_sec_2_a_role_that_is_not_a_role_member_is_refused(role: enum.Enum) -> None:
    p = kddi()
    by = Principal.customer("t-1", user_id="sato@example.co.jp", role=role)
    error = p.refused(
        ValidationError,
        lambda: p.service.change(
            "sato", by=by, current="first1pass", new="x1yzabcd", confirmation="x1yzabcd"
        ),
    )
    assert (error.field, error.rule) == ("by", "SEC-2")


@pytest.mark.parametrize("by", ["sato@example.co.jp", None, Role.USER])
def test_sec_2_by_must_be_a_principal(by: object) -> None:
    p = kddi()
    error = p.refused(
        ValidationError,
        lambda: p.service.change(
            "sato",
            by=by,  # type: ignore[arg-type]
            current="first1pass",
            new="x1yzabcd",
            confirmation="x1yzabcd",
        ),
    )
    assert error.field == "by"


# -- SEC-3 and time order --------------------------------------------------------------------------


def test_sec_3_a_stale_expected_version_is_a_conflict_and_the_right_one_works() -> None:
    p = kddi()
    p.clock.advance(minutes=1)
    p.service.change(
        "sato",
        by=SATO,
        current="first1pass",
        new="second2pass",
        confirmation="second2pass",
        expected_version=0,
    )
    p.clock.advance(minutes=1)
    error = p.refused(
        ConcurrencyConflict,
        lambda: p.service.change(
            "sato",
            by=SATO,
            current="second2pass",
            new="third3pass",
            confirmation="third3pass",
            expected_version=0,
        ),
    )
    assert (error.expected_version, error.actual_version) == (0, 1)


def test_issue_9_3_a_credential_refuses_a_change_out_of_time_order() -> None:
    p = kddi()
    p.clock.set(jst(2026, 11, 1, 12, 0))
    p.service.change(
        "sato", by=SATO, current="first1pass", new="second2pass", confirmation="second2pass"
    )
    p.clock.set(jst(2026, 11, 1, 11, 0))
    error = p.refused(
        ValidationError,
        lambda: p.service.change(
            "sato", by=SATO, current="second2pass", new="third3pass", confirmation="third3pass"
        ),
    )
    assert error.field == "at"


def test_acc_1_a_clock_set_back_cannot_end_the_change_lock_early() -> None:
    p = Passwords(OCN_AUTH_PASSWORD)
    p.service.set_initial("ocn-1", by=OCN, new="ab1cde", confirmation="ab1cde")
    p.clock.set(jst(2026, 11, 1, 12, 0))
    p.service.change("ocn-1", by=OCN, current="ab1cde", new="xy2zzz", confirmation="xy2zzz")
    p.clock.set(jst(2026, 11, 1, 9, 0))
    p.refused(
        DeadlinePassed,
        lambda: p.service.change(
            "ocn-1", by=OCN, current="xy2zzz", new="pq3rst", confirmation="pq3rst"
        ),
    )


def test_port_3_a_password_change_event_round_trips_and_holds_no_password() -> None:
    from omakase_core.events import decode_event, encode_event  # noqa: PLC0415

    p = kddi()
    p.service.change(
        "sato", by=SATO, current="first1pass", new="second2pass", confirmation="second2pass"
    )
    (record,) = p.outbox.records()
    text = encode_event(record.event)
    assert decode_event(text) == record.event
    assert "pass" not in text.replace("PasswordChanged", "")
