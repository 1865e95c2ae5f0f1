"""ACC-3 … ACC-10: permissions as data, user status, and the account rules."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omakase_core import LIFECYCLES, Actor, InvalidTransition, PermissionDenied, ValidationError
from omakase_core.accounts import (
    PERMISSIONS,
    Action,
    ImageKind,
    Role,
    UserStatus,
    can_log_in,
    can_reset_password,
    check_representative_change,
    check_user_deletable,
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


# -- ACC-5 ------------------------------------------------------------------------------------


def test_acc_5_the_representative_change_needs_two_admins_and_an_admin() -> None:
    check_representative_change(["a@x.jp", "b@x.jp"], current="a@x.jp", new="b@x.jp")
    with pytest.raises(ValidationError, match="at least two") as raised:
        check_representative_change(["a@x.jp"], current="a@x.jp", new="a@x.jp")
    assert raised.value.rule == "ACC-5"
    with pytest.raises(ValidationError, match="administrator role"):
        check_representative_change(["a@x.jp", "b@x.jp"], current="a@x.jp", new="c@x.jp")


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
