"""PORT-7 for OCN: lines stored by release 0.1 (schema 1) still decode under OCN-2 and OCN-4."""

from __future__ import annotations

import json
from typing import Any

import pytest

from omakase_core.codec import DecodeError, decode, encode
from omakase_core.ocn import (
    AccountAction,
    CancellationStatus,
    MailChangePattern,
    MailChangeStatus,
    OcnCustomer,
    VirusCheck,
)
from tests.ocn.conftest import ADD_HANAKO, CANCELLATION, RENAME, SEED, SEED_CUSTOMER, STAFF, Desk

CANCELLATION_0_1: dict[str, Any] = {
    "desired_date": "2026-12-31",
    "reason": "移行",
    "reason_detail": "他社",
    "migration_reason": "コスト",
    "contact_name": "山田太郎",
    "phone": "0312345678",
    "email": "taro@example.co.jp",
    "email_confirmation": "taro@example.co.jp",
}


def stored_0_1(**data: Any) -> str:
    """Return an OCN line as release 0.1 wrote it (schema 1), with ``data`` changed."""
    fields: dict[str, Any] = {
        "id": "ocn-1",
        "accounts": ["taro"],
        "virus_checks": ["taro"],
        "mail_change": None,
        "mail_change_status": None,
        "cancellation": None,
        "cancellation_status": None,
        "version": 2,
        "updated_at": "2026-11-02T10:00:00+09:00",
    }
    return json.dumps({"type": "ocn.OcnCustomer", "schema": 1, "data": {**fields, **data}})


def test_port_7_a_line_of_0_1_decodes_without_hosts_and_with_its_cancellation_accepted() -> None:
    """OCN-4 amended: 0.1's 申込済 and 受付済 are both 廃止受付完了 now."""
    for status in ("submitted", "accepted"):
        line = decode(
            stored_0_1(cancellation=CANCELLATION_0_1, cancellation_status=status),
            expected=OcnCustomer,
        )
        assert line.cancellation_status is CancellationStatus.ACCEPTED
        assert (line.hosts, line.virus_checks, line.mail_password_hash) == (
            (None,),
            ("taro",),
            None,
        )
        assert line.cancellation is not None
        assert line.cancellation.notes is None


Expected = tuple[MailChangePattern, AccountAction | None, str | None, str | None, VirusCheck | None]
"""The pattern, action, new name, account and virus check a 0.1 change becomes."""


@pytest.mark.parametrize(
    ("old", "expected"),
    [
        (
            {"pattern": "account_only", "new_accounts": ["hanako"], "virus_checks": []},
            (MailChangePattern.ACCOUNT_ONLY, AccountAction.ADD, "hanako", None, None),
        ),
        (
            {
                "pattern": "account_and_virus_check",
                "new_accounts": ["hanako"],
                "virus_checks": ["hanako"],
            },
            (
                MailChangePattern.ACCOUNT_AND_VIRUS_CHECK,
                AccountAction.ADD,
                "hanako",
                None,
                VirusCheck.USE,
            ),
        ),
        (
            {"pattern": "virus_check_only", "new_accounts": [], "virus_checks": ["jiro"]},
            (MailChangePattern.VIRUS_CHECK_ONLY, None, None, "jiro", VirusCheck.USE),
        ),
    ],
)
def test_port_7_a_pending_0_1_change_of_one_account_becomes_the_same_change(
    old: dict[str, Any], expected: Expected
) -> None:
    text = stored_0_1(accounts=["taro", "jiro"], mail_change=old, mail_change_status="requested")
    line = decode(text, expected=OcnCustomer)
    request = line.mail_change
    assert request is not None
    found = (
        request.pattern,
        request.action,
        request.new_name,
        request.account,
        request.virus_check,
    )
    assert found == expected
    assert request.virus_check_consent is (request.virus_check is VirusCheck.USE)
    assert line.mail_change_status is MailChangeStatus.REQUESTED
    assert decode(encode(line), expected=OcnCustomer) == line


def test_port_7_a_processed_0_1_change_of_several_accounts_is_history_the_line_already_shows() -> (
    None
):
    old = {"pattern": "account_only", "new_accounts": ["hanako", "jiro"], "virus_checks": []}
    text = stored_0_1(
        accounts=["taro", "hanako", "jiro"], mail_change=old, mail_change_status="registered"
    )
    line = decode(text, expected=OcnCustomer)
    assert (line.mail_change, line.mail_change_status) == (None, None)
    assert line.accounts == ("taro", "hanako", "jiro")


def test_port_7_a_pending_0_1_change_of_several_accounts_is_a_decode_error_naming_it() -> None:
    """No single change of the amended OCN-2 says it: 0.1 must process it before the upgrade."""
    old = {"pattern": "account_only", "new_accounts": ["hanako", "jiro"], "virus_checks": []}
    text = stored_0_1(mail_change=old, mail_change_status="requested")
    with pytest.raises(DecodeError) as raised:
        decode(text, expected=OcnCustomer)
    assert raised.value.type_name == "ocn.OcnCustomer"
    assert "mail_change" in str(raised.value)


def test_port_7_the_line_is_stored_at_schema_2_and_round_trips(desk: Desk) -> None:
    desk.apply(SEED, RENAME)
    desk.service.register_mail_change(SEED, by=STAFF, host="dune.ocn.ne.jp")
    desk.apply(SEED, ADD_HANAKO)
    desk.service.submit_cancellation(SEED, CANCELLATION, by=SEED_CUSTOMER)
    line = desk.customers.get(SEED)
    assert json.loads(encode(line))["schema"] == 2
    assert decode(encode(line), expected=OcnCustomer) == line
    for record in desk.outbox.records():
        assert decode(encode(record.event)) == record.event
