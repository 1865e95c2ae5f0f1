"""ACC-3 … ACC-10: permissions as data, user status, and the account rules."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omakase_core import (
    LIFECYCLES,
    Actor,
    DeadlinePassed,
    InvalidTransition,
    NaiveDatetimeError,
    PermissionDenied,
    Principal,
    ValidationError,
)
from omakase_core.accounts import (
    KDDI_PORTAL_PASSWORD,
    PERMISSIONS,
    Action,
    ImageKind,
    PasswordPolicy,
    Role,
    UserStatus,
    can_log_in,
    can_reset_password,
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


def jst(*args: int) -> datetime:
    return datetime(*args, tzinfo=JST)  # type: ignore[arg-type, misc]


class Foreign(enum.Enum):
    ADMIN = "admin"
    ACTIVE = "active"


NOT_MEMBERS = ["admin", "active", "管理者", "有効", None, Foreign.ADMIN, Foreign.ACTIVE, ["x"], 1]


# -- ACC-3 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "action",
    [
        Action.MANAGE_USERS,
        Action.RESET_PASSWORDS_AND_STATUS,
        Action.APPLY_ID_COUNT_CHANGE,
        Action.VIEW_CONTRACT,
        Action.CHANGE_REPRESENTATIVE_ADMIN,
    ],
)
def test_acc_3_only_admins_take_admin_actions(action: Action) -> None:
    require(Role.ADMIN, action)
    with pytest.raises(PermissionDenied) as raised:
        require(Role.USER, action)
    assert (raised.value.actor, raised.value.event, raised.value.rule) == (
        "user",
        action.value,
        "ACC-3",
    )


@pytest.mark.parametrize(
    "action",
    [Action.CHANGE_OWN_PASSWORD, Action.CHANGE_OWN_NOTIFICATION_ADDRESS, Action.SEND_INQUIRY],
)
def test_acc_3_both_roles_change_their_own_settings_and_send_inquiries(action: Action) -> None:
    for role in Role:
        require(role, action)


def test_acc_3_the_matrix_is_data_covering_every_action() -> None:
    assert set(PERMISSIONS) == set(Action)
    assert all(Role.ADMIN in roles for roles in PERMISSIONS.values())
    assert [a for a, r in PERMISSIONS.items() if Role.USER in r] == [
        Action.CHANGE_OWN_NOTIFICATION_ADDRESS,
        Action.CHANGE_OWN_PASSWORD,
        Action.READ_MANUALS,
        Action.READ_INFORMATION,
        Action.FOLLOW_LINKS,
        Action.READ_BULLETIN_BOARD,
        Action.SEND_INQUIRY,
    ]
    with pytest.raises(ValidationError):
        require("admin", Action.MANAGE_USERS)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", NOT_MEMBERS)
def test_sec_2_require_refuses_anything_but_role_and_action_members(value: object) -> None:
    with pytest.raises(ValidationError) as role:
        require(value, Action.SEND_INQUIRY)  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as action:
        require(Role.ADMIN, value)  # type: ignore[arg-type]
    assert (role.value.field, action.value.field) == ("actor_role", "action")


def test_acc_3_check_permission_takes_the_role_of_a_tenant_user() -> None:
    admin = Principal.customer("t-1", user_id="a@x.jp", role=Role.ADMIN)
    user = Principal.customer("t-1", user_id="u@x.jp", role=Role.USER)
    assert check_permission(admin, Action.MANAGE_USERS) is Role.ADMIN
    assert check_permission(user, Action.SEND_INQUIRY) is Role.USER
    with pytest.raises(PermissionDenied) as denied:
        check_permission(user, Action.MANAGE_USERS)
    assert denied.value.rule == "ACC-3"
    with pytest.raises(PermissionDenied):
        check_permission(Principal.operator("s-1"), Action.SEND_INQUIRY)


@pytest.mark.parametrize(
    "by",
    [
        Principal.customer("t-1", user_id="a@x.jp"),
        Principal.customer("t-1", user_id="a@x.jp", role=Foreign.ADMIN),
        Principal.customer("t-1", user_id="a@x.jp", role=UserStatus.ACTIVE),
        "admin",
        None,
    ],
)
def test_sec_2_check_permission_never_assumes_a_role(by: object) -> None:
    with pytest.raises(ValidationError) as raised:
        check_permission(by, Action.SEND_INQUIRY)  # type: ignore[arg-type]
    assert raised.value.field == "by"


# -- ACC-4 ------------------------------------------------------------------------------------


def test_acc_4_the_status_lifecycle() -> None:
    lifecycle = LIFECYCLES["account"]
    assert lifecycle.initial is UserStatus.UNCONFIGURED
    assert [s.label for s in UserStatus] == ["有効", "未設定", "一時停止", "アカウントロック"]
    assert lifecycle.fire(UserStatus.UNCONFIGURED, "complete_setup", actor=Actor.CUSTOMER) is (
        UserStatus.ACTIVE
    )
    assert lifecycle.fire(UserStatus.ACTIVE, "lock", actor=Actor.SYSTEM) is UserStatus.LOCKED
    with pytest.raises(InvalidTransition):
        lifecycle.fire(UserStatus.SUSPENDED, "lock", actor=Actor.SYSTEM)


def test_acc_4_what_each_status_forbids() -> None:
    assert [can_log_in(s) for s in UserStatus] == [True, False, False, False]
    assert [can_reset_password(s) for s in UserStatus] == [True, True, False, True]


@pytest.mark.parametrize("status", ["suspended", "一時停止", "active", *NOT_MEMBERS, Role.ADMIN])
def test_sec_2_a_status_that_is_not_a_member_is_refused_never_allowed(status: object) -> None:
    """Issue 9: ``can_log_in("suspended")`` answered True."""
    for check in (can_log_in, can_reset_password):
        with pytest.raises(ValidationError) as raised:
            check(status)  # type: ignore[arg-type]
        assert (raised.value.field, raised.value.rule) == ("status", "SEC-2")


# -- ACC-5 ------------------------------------------------------------------------------------


def test_acc_5_the_representative_change_needs_two_admins_and_an_admin() -> None:
    check_representative_change(["a@x.jp", "b@x.jp"], current="a@x.jp", new="b@x.jp")
    with pytest.raises(ValidationError, match="at least two") as raised:
        check_representative_change(["a@x.jp"], current="a@x.jp", new="a@x.jp")
    assert raised.value.rule == "ACC-5"
    with pytest.raises(ValidationError, match="administrator role"):
        check_representative_change(["a@x.jp", "b@x.jp"], current="a@x.jp", new="c@x.jp")


@pytest.mark.parametrize("admins", [None, "a@x.jp", 3, ["a@x.jp", 3], {"a@x.jp": None, 1: 2}])
def test_sec_2_the_admins_must_be_a_collection_of_ids(admins: object) -> None:
    with pytest.raises(ValidationError) as raised:
        check_representative_change(admins, current="a@x.jp", new="b@x.jp")  # type: ignore[arg-type]
    assert raised.value.field == "admins"


@pytest.mark.parametrize("bad", [None, 3, ["b@x.jp"]])
def test_sec_2_current_and_new_must_be_ids(bad: object) -> None:
    for kw in ({"current": bad, "new": "b@x.jp"}, {"current": "a@x.jp", "new": bad}):
        with pytest.raises(ValidationError):
            check_representative_change(["a@x.jp", "b@x.jp"], **kw)  # type: ignore[arg-type]


def test_acc_4_who_an_administrator_may_suspend_or_delete() -> None:
    admins = {"rep@x.jp", "a@x.jp"}
    for event in ("suspend", "delete_user"):
        check_user_removable(
            "u@x.jp",
            event=event,
            actor_id="a@x.jp",
            representative_id="rep@x.jp",
            active_admins=admins,
        )
        for target, actor, active, state in (
            ("a@x.jp", "a@x.jp", admins, "logged_in"),
            ("rep@x.jp", "a@x.jp", admins, "representative"),
            ("b@x.jp", "a@x.jp", {"b@x.jp"}, "last_active_admin"),
        ):
            with pytest.raises(InvalidTransition) as raised:
                check_user_removable(
                    target,
                    event=event,
                    actor_id=actor,
                    representative_id="rep@x.jp",
                    active_admins=active,
                )
            assert (raised.value.state, raised.value.event) == (state, event)


@pytest.mark.parametrize("event", ["resume", "complete_setup", None, ["suspend"]])
def test_acc_4_removal_is_only_suspend_or_delete(event: object) -> None:
    with pytest.raises(ValidationError) as raised:
        check_user_removable(
            "u@x.jp",
            event=event,  # type: ignore[arg-type]
            actor_id="a@x.jp",
            representative_id="rep@x.jp",
            active_admins=(),
        )
    assert raised.value.field == "event"


def test_sec_2_active_admins_none_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        check_user_removable(
            "u@x.jp",
            event="suspend",
            actor_id="a@x.jp",
            representative_id="rep@x.jp",
            active_admins=None,  # type: ignore[arg-type]
        )
    assert raised.value.field == "active_admins"


def test_acc_5_the_logged_in_user_and_the_representative_are_not_deleted() -> None:
    check_user_deletable("c@x.jp", logged_in_user_id="a@x.jp", representative_id="b@x.jp")
    with pytest.raises(InvalidTransition, match="themselves"):
        check_user_deletable("a@x.jp", logged_in_user_id="a@x.jp", representative_id="b@x.jp")
    with pytest.raises(InvalidTransition, match="representative"):
        check_user_deletable("b@x.jp", logged_in_user_id="a@x.jp", representative_id="b@x.jp")


# -- ACC-6, ACC-7 -------------------------------------------------------------------------------


def test_acc_6_a_setup_link_lasts_7_days_including_the_sending_day() -> None:
    assert setup_link_expires_at(jst(2026, 11, 1, 18, 0)) == jst(2026, 11, 8)
    assert setup_link_expires_at(jst(2026, 11, 1, 0, 0)) == jst(2026, 11, 8)


@pytest.mark.parametrize("sent_at", [datetime(2026, 11, 1), None, "2026-11-01"])  # noqa: DTZ001
def test_acc_6_a_bad_sending_instant_is_refused_naming_sent_at(sent_at: object) -> None:
    with pytest.raises((ValidationError, NaiveDatetimeError)) as raised:
        setup_link_expires_at(sent_at)  # type: ignore[arg-type]
    assert getattr(raised.value, "field", None) == "sent_at"


def test_acc_6_check_setup_link_refuses_an_expired_or_missing_link() -> None:
    check_setup_link(jst(2026, 11, 1, 18, 0), at=jst(2026, 11, 7, 23, 59))
    with pytest.raises(DeadlinePassed):
        check_setup_link(jst(2026, 11, 1, 18, 0), at=jst(2026, 11, 8))
    with pytest.raises(InvalidTransition):
        check_setup_link(None, at=jst(2026, 11, 2))


@given(st.integers(min_value=0, max_value=7200))
def test_acc_7_a_session_expires_after_60_idle_minutes(seconds: int) -> None:
    last = jst(2026, 11, 1, 9, 0)
    assert session_expired(last, last + timedelta(seconds=seconds)) == (seconds >= 3600)


def test_acc_7_now_cannot_be_before_the_last_activity() -> None:
    with pytest.raises(ValidationError):
        session_expired(jst(2026, 11, 1, 9, 0), jst(2026, 11, 1, 8, 0))


# -- ACC-8 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("validate", "good", "bad", "field"),
    [
        (validate_person_name, "山田", "山田Taro", "family_name"),
        (validate_person_name, "Yamada", "山" * 11, "family_name"),
        (validate_kana_name, "ヤマダ", "やまだ", "family_name_kana"),
        (validate_kana_name, "ア" * 20, "ア" * 21, "family_name_kana"),
        (validate_organisation, "情報システム部", "x" * 51, "organisation"),
        (validate_user_phone, "0312345678", "03-1234-5678", "phone"),
        (validate_user_id, "taro@example.co.jp", "taro", "user_id"),
        (validate_notification_address, "t@ex.jp", "t@e", "notification_address"),
    ],
)
def test_acc_8_each_user_field_names_itself_when_refusing(
    validate: object, good: str, bad: str, field: str
) -> None:
    assert validate(good) == good  # type: ignore[operator]
    with pytest.raises(ValidationError) as raised:
        validate(bad)  # type: ignore[operator]
    assert raised.value.field == field


def test_acc_8_a_name_check_names_only_a_name_field() -> None:
    assert validate_person_name("花子", field="given_name") == "花子"
    assert validate_kana_name("ハナコ", field="given_name_kana") == "ハナコ"
    for bad in ("x" * 1000, None, "phone"):
        with pytest.raises(ValidationError) as raised:
            validate_person_name("花子", field=bad)  # type: ignore[arg-type]
        assert raised.value.field == "field"
        assert len(str(raised.value)) < 120


@given(
    st.text(
        alphabet=st.characters(min_codepoint=0x30A1, max_codepoint=0x30FA), min_size=1, max_size=20
    )
)
def test_acc_8_katakana_up_to_20_is_accepted(kana: str) -> None:
    assert validate_kana_name(kana) == kana


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzABC", min_size=1, max_size=30))
def test_acc_8_half_width_names_up_to_30_are_accepted(name: str) -> None:
    assert validate_person_name(name) == name


# -- ACC-9 ------------------------------------------------------------------------------------

ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@given(
    st.sampled_from(ALNUM),
    st.text(alphabet=ALNUM + ".-", min_size=3, max_size=30),
    st.sampled_from(ALNUM),
)
def test_acc_9_aliases_of_5_to_32_with_inner_dots_and_hyphens(
    first: str, middle: str, last: str
) -> None:
    alias = first + middle + last
    assert validate_login_alias(alias) == alias


@pytest.mark.parametrize(
    "alias", ["abcd", "a" * 33, "-abcde", "abcde.", "ab_cde", "ab cde", "ａｂｃｄｅ"]
)
def test_acc_9_other_aliases_are_refused(alias: str) -> None:
    with pytest.raises(ValidationError) as raised:
        validate_login_alias(alias)
    assert raised.value.field == "alias"


# -- ACC-10 -----------------------------------------------------------------------------------


def test_acc_10_images() -> None:
    validate_image(ImageKind.SITE_LOGO, "logo.PNG", 1024 * 1024, 600, 100)
    with pytest.raises(ValidationError, match="1:6"):
        validate_image(ImageKind.SITE_LOGO, "logo.png", 1000, 700, 100)
    validate_image(ImageKind.LOGIN_LOGO, "login.gif", 80 * 1024, 10, 500)
    with pytest.raises(ValidationError) as raised:
        validate_image(ImageKind.LOGIN_LOGO, "login.gif", 80 * 1024 + 1, 10, 10)
    assert raised.value.field == "size_bytes"
    with pytest.raises(ValidationError) as bad_type:
        validate_image(ImageKind.LINK_ICON, "icon.svg", 10, 10, 10)
    assert bad_type.value.field == "filename"


# -- ACC-1, ACC-2: policies are checked values --------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"min_length": "8"}, "min_length"),
        ({"min_length": 0}, "min_length"),
        ({"min_length": 20, "max_length": 10}, "max_length"),
        ({"max_length": 10**9}, "max_length"),
        ({"history_size": -1}, "history_size"),
        ({"history_size": True}, "history_size"),
        ({"symbols": "ab"}, "symbols"),
        ({"symbols": None}, "symbols"),
        ({"change_lock": 3600}, "change_lock"),
        ({"name": ""}, "name"),
    ],
)
def test_acc_2_a_policy_refuses_impossible_settings(changes: dict[str, Any], field: str) -> None:
    import attrs  # noqa: PLC0415

    with pytest.raises(ValidationError) as raised:
        attrs.evolve(KDDI_PORTAL_PASSWORD, **changes)
    assert raised.value.field == field


@pytest.mark.parametrize("history", [None, "first1pass", 3])
def test_sec_2_a_history_that_is_not_a_list_of_hashes_is_refused(history: object) -> None:
    policy: PasswordPolicy = KDDI_PORTAL_PASSWORD
    with pytest.raises(ValidationError) as raised:
        policy.validate("good1pass", confirmation="good1pass", history=history)  # type: ignore[arg-type]
    assert raised.value.field == "history"
