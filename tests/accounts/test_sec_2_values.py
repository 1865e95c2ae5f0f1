"""SEC-2 in accounts: look-ups, values built directly, ports and passwords refuse bad input.

The generated bad-input test (``tests/test_bad_input.py``) feeds every public callable; these
tests pin the behaviour that run found and fixed, with the error each refusal gives.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import attrs
import pytest

from omakase_core import Actor, NaiveDatetimeError, ValidationError
from omakase_core.accounts import (
    KDDI_PORTAL_PASSWORD,
    OCN_AUTH_PASSWORD,
    AccountChart,
    AccountEvent,
    Action,
    Credential,
    ImageKind,
    PasswordChange,
    PasswordPolicyError,
    PasswordService,
    Role,
    Tenant,
    UserDirectoryService,
    UserStatus,
    check_change_lock,
    check_current_password,
    validate_image,
)
from omakase_core.calendar import JST
from omakase_core.errors import excerpt
from omakase_core.testing import (
    FixedClock,
    InMemoryOutbox,
    InMemoryRepository,
    TestPasswordHasher,
)

if TYPE_CHECKING:
    from collections.abc import Callable

T0 = datetime(2026, 11, 1, 10, 0, tzinfo=JST)
ADMIN = "admin@example.co.jp"
HASHER = TestPasswordHasher()


def tenant() -> Tenant:
    return Tenant.open(
        id="t-1", admin_id=ADMIN, family_name="山田", given_name="太郎", opened_at=T0
    )


def credential() -> Credential:
    return Credential.create(
        id=ADMIN, customer_id="t-1", user_id=ADMIN, password_hash=HASHER.hash("first1pass"), at=T0
    )


# -- look-ups by value ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (Role, "admin "),
        (Role, "ADMIN"),
        (Role, "Admin"),
        (Role, "管理者"),
        (Role, None),
        (Role, ["admin"]),
        (Role, 10**5000),
        (Role, Actor.CUSTOMER),
        (Action, "manage users"),
        (Action, "ユーザの追加・閲覧・変更"),
        (ImageKind, "SITE_LOGO"),
        (ImageKind, "x" * 1_000_000),
    ],
    ids=lambda value: excerpt(value, 20),
)
def test_sec_2_a_role_action_or_image_kind_is_looked_up_by_its_exact_value_only(
    kind: Any, value: object
) -> None:
    with pytest.raises(ValidationError) as raised:
        kind(value)
    assert raised.value.field == "value"
    assert "x" * 81 not in str(raised.value)  # a short excerpt, never the whole input


def test_sec_2_the_exact_value_still_finds_the_member() -> None:
    assert Role("admin") is Role.ADMIN
    assert Role(Role.USER) is Role.USER
    assert Action("manage_users") is Action.MANAGE_USERS
    assert ImageKind("login_logo") is ImageKind.LOGIN_LOGO


# -- values built directly (a storage adapter rebuilding them) -------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"role": "admin"}, "role"),
        ({"status": "active"}, "status"),
        ({"status": Role.ADMIN}, "status"),
        ({"user_id": " user@example.co.jp"}, "user_id"),
        ({"user_id": "nobody"}, "user_id"),
        ({"family_name": ""}, "family_name"),
        ({"notification_address": None}, "notification_address"),
        ({"setup_sent_at": datetime(2026, 11, 1)}, "setup_sent_at"),  # noqa: DTZ001  # the point
    ],
)
def test_sec_2_a_user_built_directly_refuses_a_bad_field(
    changes: dict[str, Any], field: str
) -> None:
    (admin,) = tenant().users
    with pytest.raises((ValidationError, NaiveDatetimeError)) as raised:
        attrs.evolve(admin, **changes)
    assert getattr(raised.value, "field", None) == field


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"id": ""}, "id"),
        ({"users": []}, "users"),
        ({"users": (ADMIN,)}, "users"),
        ({"representative": "someone@example.co.jp"}, "representative"),
        ({"version": -1}, "version"),
        ({"version": True}, "version"),
        ({"updated_at": datetime(2026, 11, 1)}, "updated_at"),  # noqa: DTZ001  # the point
        ({"pending_events": None}, "pending_events"),
    ],
)
def test_sec_2_a_tenant_built_directly_refuses_a_bad_field(
    changes: dict[str, Any], field: str
) -> None:
    with pytest.raises((ValidationError, NaiveDatetimeError)) as raised:
        attrs.evolve(tenant(), **changes)
    assert getattr(raised.value, "field", None) == field


def test_sec_2_a_tenant_never_holds_one_user_id_twice() -> None:
    opened = tenant()
    with pytest.raises(ValidationError) as raised:
        attrs.evolve(opened, users=opened.users * 2)
    assert raised.value.field == "users"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"customer_id": None}, "customer_id"),
        ({"user_id": 3}, "user_id"),
        ({"password_hash": ""}, "password_hash"),
        ({"history": ["h"]}, "history"),
        ({"history": ("",)}, "history"),
        ({"changed_at": "2026-11-01T10:00:00+09:00"}, "changed_at"),
        ({"pending_events": [object()]}, "pending_events"),
    ],
)
def test_sec_2_a_credential_built_directly_refuses_a_bad_field(
    changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        attrs.evolve(credential(), **changes)
    assert getattr(raised.value, "field", None) == field
    assert "first1pass" not in str(raised.value)


def test_sec_2_the_creating_commands_name_their_own_parameters() -> None:
    with pytest.raises(ValidationError) as tenant_id:
        Tenant.open(id=" ", admin_id=ADMIN, family_name="山田", given_name="太郎", opened_at=T0)
    with pytest.raises(ValidationError) as admin_id:
        Tenant.open(
            id="t-1", admin_id="nobody", family_name="山田", given_name="太郎", opened_at=T0
        )
    with pytest.raises(ValidationError) as credential_id:
        Credential.create(id="", customer_id="t-1", user_id=None, password_hash="h", at=T0)  # noqa: S106  # a test hash
    assert (tenant_id.value.field, admin_id.value.field, credential_id.value.field) == (
        "id",
        "admin_id",
        "id",
    )


@pytest.mark.parametrize("what", ["nope", "", "complete_setup", None, 3])
def test_port_3_an_account_event_says_only_a_change_of_the_directory(what: object) -> None:
    with pytest.raises(ValidationError) as raised:
        AccountEvent(aggregate_id="t-1", version=1, occurred_at=T0, what=what, user_id=ADMIN)  # type: ignore[arg-type]  # the point
    assert raised.value.field == "what"


def test_sec_2_a_password_change_holds_aware_instants_only() -> None:
    with pytest.raises(NaiveDatetimeError) as raised:
        PasswordChange(effective_by=T0, next_change_from=datetime(2026, 11, 1))  # noqa: DTZ001  # the point
    assert raised.value.field == "next_change_from"


# -- ports ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: UserDirectoryService(tenants="tenants", clock=FixedClock(T0)), "tenants"),  # type: ignore[arg-type]
        (
            lambda: UserDirectoryService(tenants=InMemoryRepository, clock=FixedClock(T0)),  # type: ignore[arg-type]
            "tenants",
        ),
        (
            lambda: UserDirectoryService(
                tenants=InMemoryRepository(InMemoryOutbox()),
                clock=None,  # type: ignore[arg-type]
            ),
            "clock",
        ),
        (
            lambda: PasswordService(
                credentials=InMemoryRepository(InMemoryOutbox()),
                clock=FixedClock(T0),
                hasher=object(),  # type: ignore[arg-type]
                policy=KDDI_PORTAL_PASSWORD,
            ),
            "hasher",
        ),
        (
            lambda: PasswordService(
                credentials=InMemoryRepository(InMemoryOutbox()),
                clock=FixedClock(T0),
                hasher=HASHER,
                policy="My KDDI Biz password",  # type: ignore[arg-type]
            ),
            "policy",
        ),
    ],
)
def test_sec_2_a_service_is_built_from_ports_only(build: Any, field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        build()
    assert getattr(raised.value, "field", None) == field


# -- passwords (ACC-1, ACC-2) ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("new", "confirmation", "field"),
    [
        (None, "good1pass", "new"),
        (12345678, "12345678", "new"),
        ("good1pass", b"x", "confirmation"),
    ],
)
def test_sec_2_failed_requirement_refuses_what_is_not_text_as_validate_does(
    new: object, confirmation: object, field: str
) -> None:
    for check in (KDDI_PORTAL_PASSWORD.validate, KDDI_PORTAL_PASSWORD.failed_requirement):
        with pytest.raises(PasswordPolicyError) as raised:
            check(new, confirmation=confirmation)  # type: ignore[arg-type]  # the point
        assert (raised.value.requirement, raised.value.field) == ("type", field)


def test_sec_2_a_history_is_checked_whole_even_beyond_the_last_n() -> None:
    history = [None, "h1", "h2", "h3"]
    with pytest.raises(ValidationError) as raised:
        KDDI_PORTAL_PASSWORD.failed_requirement(
            "good1pass",
            confirmation="good1pass",
            history=history,  # type: ignore[arg-type]  # the point
        )
    assert raised.value.field == "history"


@pytest.mark.parametrize(
    ("new", "confirmation", "requirement", "field"),
    [
        ("short1", "short1", "length", "new"),
        ("good1pass", "good1pas", "confirmation", "confirmation"),
    ],
)
def test_sec_2_a_policy_error_names_the_parameter_it_is_about(
    new: str, confirmation: str, requirement: str, field: str
) -> None:
    with pytest.raises(PasswordPolicyError) as raised:
        KDDI_PORTAL_PASSWORD.validate(new, confirmation=confirmation)
    assert (raised.value.requirement, raised.value.field) == (requirement, field)


def test_sec_2_a_wrong_current_password_names_current_and_bad_arguments_name_themselves() -> None:
    stored = HASHER.hash("first1pass")
    with pytest.raises(PasswordPolicyError) as wrong:
        check_current_password(
            "other1pass", stored_hash=stored, hasher=HASHER, policy=KDDI_PORTAL_PASSWORD
        )
    assert (wrong.value.requirement, wrong.value.field) == ("current", "current")
    bad: list[tuple[dict[str, Any], str]] = [
        ({"stored_hash": None}, "stored_hash"),
        ({"hasher": TestPasswordHasher}, "hasher"),
        ({"policy": "ACC-2"}, "policy"),
    ]
    for kwargs, field in bad:
        arguments: dict[str, Any] = {
            "stored_hash": stored,
            "hasher": HASHER,
            "policy": KDDI_PORTAL_PASSWORD,
            **kwargs,
        }
        with pytest.raises(ValidationError) as raised:
            check_current_password("first1pass", **arguments)
        assert getattr(raised.value, "field", None) == field


@pytest.mark.parametrize(
    ("changed_at", "at", "field"),
    [
        (datetime(2026, 11, 1, 10, 0), T0, "changed_at"),  # noqa: DTZ001  # the point
        (T0, datetime(2026, 11, 1, 12, 0), "at"),  # noqa: DTZ001  # the point
        (T0, "2026-11-01T12:00:00+09:00", "at"),
        (datetime.max.replace(tzinfo=JST), T0, "changed_at"),
    ],
)
def test_sec_2_the_change_lock_takes_aware_instants_and_ends_within_the_calendar(
    changed_at: object, at: object, field: str
) -> None:
    with pytest.raises((ValidationError, NaiveDatetimeError)) as raised:
        check_change_lock(OCN_AUTH_PASSWORD, changed_at=changed_at, at=at)  # type: ignore[arg-type]
    assert getattr(raised.value, "field", None) == field


def test_the_test_hasher_refuses_what_is_not_text_and_hashes_any_text() -> None:
    calls: list[tuple[Callable[[], object], str]] = [
        (lambda: HASHER.hash(None), "password"),  # type: ignore[arg-type]
        (lambda: HASHER.verify(3, "s$d"), "password"),  # type: ignore[arg-type]
        (lambda: HASHER.verify("pw", None), "hashed"),  # type: ignore[arg-type]
    ]
    for call, field in calls:
        with pytest.raises(ValidationError) as raised:
            call()
        assert getattr(raised.value, "field", None) == field
    odd = "\ud800 😀"
    assert HASHER.verify(odd, HASHER.hash(odd))
    assert not HASHER.verify("pw", "salt$😀")  # a malformed hash verifies nothing


# -- images and the chart --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("width", "height", "field"),
    [(0, 100, "width"), (600, 0, "height"), (100, 700, "height"), (700, 100, "width")],
)
def test_acc_10_an_image_error_names_the_side_that_is_wrong(
    width: int, height: int, field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        validate_image(ImageKind.SITE_LOGO, "logo.png", 1000, width, height)
    assert getattr(raised.value, "field", None) == field


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"start_value": "active"}, "start_value"),
        ({"start_value": "有効"}, "start_value"),
        ({"start_value": Actor.CUSTOMER}, "start_value"),
        ({"state_field": "a b"}, "state_field"),
        ({"state_field": 3}, "state_field"),
        ({"model": 1}, "model"),
        ({"listeners": "x"}, "listeners"),
        ({"listeners": [None]}, "listeners"),
    ],
)
def test_sec_2_the_account_chart_checks_its_arguments(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        AccountChart(**kwargs)
    assert getattr(raised.value, "field", None) == field


def test_the_account_chart_still_runs_from_a_status() -> None:
    chart = AccountChart(start_value=UserStatus.ACTIVE)
    assert chart.current_state_value is UserStatus.ACTIVE
