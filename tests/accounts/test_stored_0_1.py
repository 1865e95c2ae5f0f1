"""PORT-7: tenants, credentials and account events stored by 0.1 still decode (ACC-4, ACC-11)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from omakase_core.accounts import AccountEvent, Credential, Role, Tenant, User, UserStatus
from omakase_core.calendar import JST
from omakase_core.codec import decode, encode

T0 = datetime(2026, 11, 1, 10, 0, tzinfo=JST)
ADMIN = "admin@example.co.jp"
HASH = "salt$digest"  # a stored hash, a test value
NEW_USER_FIELDS = (
    "setup_link",
    "family_name_kana",
    "given_name_kana",
    "organisation",
    "phone",
    "must_change_password",
)


def as_schema_1(text: str, drop: tuple[str, ...], *, users: bool = False) -> str:
    """Return ``text`` as 0.1 wrote it: schema 1, without the fields 0.1 did not have."""
    stored: dict[str, Any] = json.loads(text)
    stored["schema"] = 1
    for name in drop:
        stored["data"].pop(name)
    if users:
        for user in stored["data"]["users"]:
            for name in NEW_USER_FIELDS:
                user.pop(name)
    return json.dumps(stored)


def test_port_7_acc_4_a_tenant_of_0_1_decodes_with_its_active_first_admin() -> None:
    admin = User(
        user_id=ADMIN,
        role=Role.ADMIN,
        status=UserStatus.ACTIVE,  # 0.1 opened tenants with the administrator 有効
        family_name="山田",
        given_name="太郎",
        notification_address=ADMIN,
    )
    tenant = Tenant(id="t-1", users=(admin,), representative=ADMIN, version=3, updated_at=T0)
    old = as_schema_1(encode(tenant), (), users=True)
    assert decode(old) == tenant
    assert tenant.user(ADMIN).setup_link == 0


def test_port_7_acc_11_a_credential_of_0_1_is_no_temporary_password() -> None:
    credential = Credential.create(
        id=ADMIN, customer_id="t-1", user_id=ADMIN, password_hash=HASH, at=T0
    )
    decoded = decode(as_schema_1(encode(credential), ("must_change",)))
    assert decoded == credential
    assert isinstance(decoded, Credential)
    assert decoded.must_change is False


def test_port_7_acc_11_an_account_event_of_0_1_carries_no_setup_mail() -> None:
    event = AccountEvent(aggregate_id="t-1", version=2, occurred_at=T0, what="lock", user_id=ADMIN)
    decoded = decode(as_schema_1(encode(event), ("to", "setup_link", "expires_at")))
    assert decoded == event


def test_port_7_acc_11_a_user_added_event_of_0_1_decodes_and_sends_no_mail() -> None:
    from omakase_core.messages import NotificationSettings, render  # noqa: PLC0415

    event = AccountEvent(
        aggregate_id="t-1", version=2, occurred_at=T0, what="user_added", user_id=ADMIN
    )
    decoded = decode(as_schema_1(encode(event), ("to", "setup_link", "expires_at")))
    assert decoded == event
    settings = NotificationSettings(
        contractor_login_url="https://portal.example.jp/contractor",
        first_login_url="https://portal.example.jp/setup",
    )
    assert render(event, settings) == ()
