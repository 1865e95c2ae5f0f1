"""PasswordService: ACC-1, ACC-2 with principals (SEC-1 … SEC-3); passwords never show."""

from __future__ import annotations

import enum
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

import attrs
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

SID = "sato@example.co.jp"  # 佐藤's user id, which is her credential's id (SEC-1)
OCN = Principal.customer("ocn-1")
SATO = Principal.customer("t-1", user_id=SID, role=Role.USER)
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
    p.service.set_initial(SID, by=SATO, new="first1pass", confirmation="first1pass")
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
        p.service.change(SID, by=SATO, current=old, new=new, confirmation=new)
    stored = p.repo.get(SID)
    assert "third3pass" not in stored.password_hash
    assert all("pass" not in h.split("$")[1] for h in stored.history)
    error = p.refused(
        PasswordPolicyError,
        lambda: p.service.change(
            SID, by=SATO, current="third3pass", new="first1pass", confirmation="first1pass"
        ),
    )
    assert error.requirement == "reuse_history"
    assert "first1pass" not in str(error)


def test_acc_2_a_credential_belongs_to_the_principals_customer_and_user() -> None:
    p = kddi()
    stored = p.repo.get(SID)
    assert (stored.customer_id, stored.user_id, stored.version) == (
        "t-1",
        "sato@example.co.jp",
        0,
    )


# -- SEC-1 -----------------------------------------------------------------------------------------


def change_to(p: Passwords, by: Principal, credential_id: str = SID, **kw: Any) -> object:
    return p.service.change(
        credential_id, by=by, current="first1pass", new="x1yzabcd", confirmation="x1yzabcd", **kw
    )


def test_sec_1_another_customers_credential_is_not_found_exactly_like_an_absent_one() -> None:
    """A user of t-2 whose user id is 佐藤's: ownership, not the id, keeps them apart."""
    namesake = Principal.customer("t-2", user_id=SID, role=Role.USER)
    p, empty = kddi(), Passwords(KDDI_PORTAL_PASSWORD)
    foreign = p.refused(NotFound, lambda: change_to(p, namesake))
    absent = empty.refused(NotFound, lambda: change_to(empty, namesake))
    assert (str(foreign), foreign.kind, foreign.id) == (str(absent), absent.kind, absent.id)
    assert str(foreign) == str(NotFound(kind="credential", id=SID))


def test_sec_1_another_users_credential_id_is_refused_before_any_look_up() -> None:
    p, empty = kddi(), Passwords(KDDI_PORTAL_PASSWORD)
    existing = p.refused(PermissionDenied, lambda: change_to(p, STRANGER))
    absent = empty.refused(PermissionDenied, lambda: change_to(empty, STRANGER))
    assert str(existing) == str(absent)
    assert existing.rule == "SEC-1"


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
            SID, by=by, current="first1pass", new="x1yzabcd", confirmation="x1yzabcd"
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
        lambda: p.service.set_initial(SID, by=by, new="first1pass", confirmation="first1pass"),
    )


def test_sec_1_set_initial_opens_one_credential_per_user_and_cannot_bypass_change() -> None:
    """Issue 9: ``set_initial("sato-2", …)`` reused a password ``change()`` had refused."""
    p = kddi()
    p.clock.advance(minutes=1)
    p.service.change(
        SID, by=SATO, current="first1pass", new="second2pass", confirmation="second2pass"
    )
    reused = p.refused(
        PasswordPolicyError,
        lambda: p.service.change(
            SID, by=SATO, current="second2pass", new="first1pass", confirmation="first1pass"
        ),
    )
    assert reused.requirement == "reuse_history"
    other = p.refused(
        PermissionDenied,
        lambda: p.service.set_initial(
            "sato-2", by=SATO, new="first1pass", confirmation="first1pass"
        ),
    )
    assert other.rule == "SEC-1"
    again = p.refused(
        ValidationError,
        lambda: p.service.set_initial(SID, by=SATO, new="first1pass", confirmation="first1pass"),
    )
    assert (again.field, again.rule) == ("credential_id", "SEC-1")
    (stored,) = p.repo
    assert TestPasswordHasher().verify("second2pass", stored.password_hash)


def test_sec_1_a_taken_credential_id_is_one_error_whoever_holds_it() -> None:
    """Never a ConcurrencyConflict showing the stored version; the same for every holder."""
    p = kddi()
    p.clock.advance(minutes=1)
    p.service.change(  # version 1: a conflict would show it
        SID, by=SATO, current="first1pass", new="second2pass", confirmation="second2pass"
    )
    namesake = Principal.customer("t-2", user_id=SID, role=Role.USER)
    errors = [
        p.refused(
            ValidationError,
            partial(p.service.set_initial, SID, by=by, new="other9pass", confirmation="other9pass"),
        )
        for by in (SATO, namesake)
    ]
    own, foreign = errors
    assert (type(own), str(own), own.field, own.rule) == (
        type(foreign),
        str(foreign),
        foreign.field,
        foreign.rule,
    )
    assert (own.field, own.rule) == ("credential_id", "SEC-1")
    assert not isinstance(own, ConcurrencyConflict)
    assert str(own) == (
        f"SEC-1: credential_id {SID!r} cannot be used; choose another credential_id"
        " (generate one, e.g. with uuid4)"
    )


def test_sec_1_a_tenants_password_belongs_to_one_user_never_to_the_tenant_as_a_whole() -> None:
    """Issue 9: a credential set without a user id could be changed by any user of t-1."""
    p = Passwords(KDDI_PORTAL_PASSWORD)
    tenant = Principal.customer("t-1")
    error = p.refused(
        ValidationError,
        lambda: p.service.set_initial(
            "t-1", by=tenant, new="first1pass", confirmation="first1pass"
        ),
    )
    assert (error.field, error.rule) == ("by", "SEC-1")
    assert len(p.repo) == 0


@pytest.mark.parametrize("holder", [SID, "t-1"])
def test_sec_1_a_stored_credential_without_a_user_is_refused_to_every_user_of_the_tenant(
    holder: str,
) -> None:
    p = Passwords(KDDI_PORTAL_PASSWORD)
    legacy = Credential.create(
        id=holder,
        customer_id="t-1",
        user_id=None,
        password_hash=TestPasswordHasher().hash("first1pass"),
        at=jst(2026, 10, 1, 9, 0),
    )
    p.repo.add(legacy)
    for by in (SATO, ADMIN, Principal.customer("t-1", user_id="t-1", role=Role.USER)):
        error = p.refused(PermissionDenied, partial(change_to, p, by, holder))
        assert error.rule == "SEC-1"
    p.refused(ValidationError, lambda: change_to(p, Principal.customer("t-1"), holder))


def test_sec_1_the_ocn_single_account_is_never_touched_by_a_user_of_a_tenant() -> None:
    p = Passwords(OCN_AUTH_PASSWORD)
    user = Principal.customer("ocn-1", user_id="someone@example.co.jp")
    first = p.refused(
        PermissionDenied,
        lambda: p.service.set_initial("ocn-1", by=user, new="ab1cde", confirmation="ab1cde"),
    )
    assert first.rule == "SEC-1"
    p.service.set_initial("ocn-1", by=OCN, new="ab1cde", confirmation="ab1cde")
    assert p.repo.get("ocn-1").user_id is None
    for by in (user, Principal.customer("ocn-1", user_id="ocn-1")):
        changed = p.refused(
            PermissionDenied,
            partial(
                p.service.change,
                "ocn-1",
                by=by,
                current="ab1cde",
                new="xy2zzz",
                confirmation="xy2zzz",
            ),
        )
        assert changed.rule == "SEC-1"
    p.service.change("ocn-1", by=OCN, current="ab1cde", new="xy2zzz", confirmation="xy2zzz")


@pytest.mark.parametrize("value", [1, "yes", None])
def test_sec_2_a_policy_says_with_a_bool_whether_it_is_a_single_account(value: object) -> None:
    with pytest.raises(ValidationError) as raised:
        attrs.evolve(KDDI_PORTAL_PASSWORD, single_account=value)  # type: ignore[arg-type]
    assert raised.value.field == "single_account"
    assert OCN_AUTH_PASSWORD.single_account is True
    assert KDDI_PORTAL_PASSWORD.single_account is False


# -- SEC-2 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Foreign.USER, UserStatus.ACTIVE])
def test_sec_2_a_role_that_is_not_a_role_member_is_refused(role: enum.Enum) -> None:
    p = kddi()
    by = Principal.customer("t-1", user_id="sato@example.co.jp", role=role)
    error = p.refused(
        ValidationError,
        lambda: p.service.change(
            SID, by=by, current="first1pass", new="x1yzabcd", confirmation="x1yzabcd"
        ),
    )
    assert (error.field, error.rule) == ("by", "SEC-2")


@pytest.mark.parametrize("by", ["sato@example.co.jp", None, Role.USER])
def test_sec_2_by_must_be_a_principal(by: object) -> None:
    p = kddi()
    error = p.refused(
        ValidationError,
        lambda: p.service.change(
            SID,
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
        SID,
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
            SID,
            by=SATO,
            current="second2pass",
            new="third3pass",
            confirmation="third3pass",
            expected_version=0,
        ),
    )
    assert (error.expected_version, error.actual_version) == (0, 1)


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        (ADMIN, PermissionDenied),
        (
            Principal.customer("t-1", user_id="other@example.co.jp", role=Role.USER),
            PermissionDenied,
        ),
        (Principal.customer("t-2", user_id=SID, role=Role.USER), NotFound),
    ],
)
def test_sec_3_who_may_not_change_the_password_is_refused_as_such_whatever_version_they_name(
    by: Principal, expected: type[Exception]
) -> None:
    """The "own account" and owner checks come first: no conflict shows the stored version."""
    p = kddi()
    p.clock.advance(minutes=1)
    change_to(p, SATO)  # version 1
    p.clock.advance(hours=1)
    p.refused(expected, lambda: change_to(p, by, expected_version=0))


def test_issue_9_3_a_credential_refuses_a_change_out_of_time_order() -> None:
    p = kddi()
    p.clock.set(jst(2026, 11, 1, 12, 0))
    p.service.change(
        SID, by=SATO, current="first1pass", new="second2pass", confirmation="second2pass"
    )
    p.clock.set(jst(2026, 11, 1, 11, 0))
    error = p.refused(
        ValidationError,
        lambda: p.service.change(
            SID, by=SATO, current="second2pass", new="third3pass", confirmation="third3pass"
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
        SID, by=SATO, current="first1pass", new="second2pass", confirmation="second2pass"
    )
    (record,) = p.outbox.records()
    text = encode_event(record.event)
    assert decode_event(text) == record.event
    assert "pass" not in text.replace("PasswordChanged", "")
