"""OCN-1, OCN-2: the line (OcnCustomer) is one aggregate, checked whole on construction."""

from __future__ import annotations

from typing import Any

import pytest

from omakase_core import ValidationError
from omakase_core.ocn import (
    AccountAction,
    MailChangePattern,
    MailChangeRequest,
    MailChangeStatus,
    OcnCustomer,
)
from tests.ocn.conftest import HASH, SEED, STAFF, T0, Desk

LINE: dict[str, Any] = {
    "id": "ocn-9",
    "accounts": ("abcdefg", "k04xm40u"),
    "hosts": ("arrow.ocn.ne.jp", "dune.ocn.ne.jp"),
    "updated_at": T0,
}


def test_ocn_1_the_basic_account_is_the_first_and_every_account_has_its_address() -> None:
    line = OcnCustomer(**LINE)
    assert line.basic_account == "abcdefg"
    assert line.addresses == ("abcdefg@arrow.ocn.ne.jp", "k04xm40u@dune.ocn.ne.jp")


def test_ocn_2_a_host_not_recorded_yet_leaves_the_address_unknown() -> None:
    """Lines stored before hosts were recorded (release 0.1) know only the local parts."""
    line = OcnCustomer(id="ocn-9", accounts=("taro", "hanako"), updated_at=T0)
    assert line.hosts == (None, None)
    assert line.addresses == (None, None)


PENDING_RENAME = MailChangeRequest(
    pattern=MailChangePattern.ACCOUNT_ONLY,
    action=AccountAction.RENAME,
    account="k04xm40u",
    new_name="opqrstu",
)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"accounts": ()}, "accounts"),
        ({"accounts": ("a", "b", "c", "d", "e"), "hosts": ()}, "accounts"),
        ({"hosts": ("arrow.ocn.ne.jp",)}, "hosts"),
        ({"hosts": ("arrow.ocn.ne.jp", "Dune.OCN.ne.jp")}, "hosts"),
        ({"hosts": ("arrow.ocn.ne.jp", "dune")}, "hosts"),
        ({"hosts": ("arrow.ocn.ne.jp", "x" * 300 + ".jp")}, "hosts"),
        ({"hosts": ["arrow.ocn.ne.jp", "dune.ocn.ne.jp"]}, "hosts"),
        ({"virus_checks": ("opqrstu",)}, "virus_checks"),
        ({"virus_checks": ("abcdefg", "abcdefg")}, "virus_checks"),
        ({"mail_password_hash": "hashed-1"}, "mail_password_hash"),
        (
            {
                "mail_change": MailChangeRequest(
                    pattern=MailChangePattern.ACCOUNT_ONLY,
                    action=AccountAction.DELETE,
                    account="abcdefg",
                ),
                "mail_change_status": MailChangeStatus.REQUESTED,
            },
            "mail_change",
        ),
        (
            {
                "accounts": ("abcdefg", "k04xm40u", "c", "d"),
                "hosts": (None,) * 4,
                "mail_change": MailChangeRequest(
                    pattern=MailChangePattern.ACCOUNT_ONLY, action=AccountAction.ADD, new_name="e"
                ),
                "mail_change_status": MailChangeStatus.REQUESTED,
            },
            "mail_change",
        ),
        (
            {
                "mail_change": PENDING_RENAME,
                "mail_change_status": MailChangeStatus.REQUESTED,
                "mail_password_hash": "",
            },
            "mail_password_hash",
        ),
    ],
)
def test_ocn_1_a_line_is_refused_whole_on_construction(changes: dict[str, Any], field: str) -> None:
    """1 to 4 accounts, a host (or none) each, checks on its accounts, a change it takes."""
    with pytest.raises(ValidationError) as raised:
        OcnCustomer(**{**LINE, **changes})
    assert raised.value.field == field


def test_ocn_1_a_pending_rename_keeps_its_password_hash_out_of_the_repr() -> None:
    line = OcnCustomer(
        **LINE,
        mail_change=PENDING_RENAME,
        mail_change_status=MailChangeStatus.REQUESTED,
        mail_password_hash=HASH,
    )
    assert HASH not in repr(line)


def test_ocn_1_the_operator_registers_the_line_and_the_repository_stores_it(desk: Desk) -> None:
    created = desk.service.create_customer(
        "ocn-9", by=STAFF, accounts=("abcdefg", "k04xm40u"), hosts=LINE["hosts"]
    )
    assert desk.customers.get("ocn-9") == created
    assert created.addresses == ("abcdefg@arrow.ocn.ne.jp", "k04xm40u@dune.ocn.ne.jp")
    assert desk.service.get(SEED, by=STAFF).monthly_fee == 250


@pytest.mark.parametrize(
    ("hosts", "field"),
    [(("arrow.ocn.ne.jp",), "hosts"), (("arrow.ocn.ne.jp", None), "hosts"), ("dune", "hosts")],
)
def test_ocn_1_registering_a_line_takes_no_host_or_one_per_account(
    desk: Desk, hosts: object, field: str
) -> None:
    before = list(desk.customers)
    with pytest.raises(ValidationError) as raised:
        desk.service.create_customer(
            "ocn-9",
            by=STAFF,
            accounts=("abcdefg", "k04xm40u"),
            hosts=hosts,  # type: ignore[arg-type]
        )
    assert raised.value.field == field
    assert list(desk.customers) == before
