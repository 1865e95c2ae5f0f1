"""OCN-1 … OCN-4: the fee table, one application at a time, the cancellation form."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from omakase_core import LIFECYCLES, Actor, InvalidTransition, PermissionDenied, ValidationError
from omakase_core.ocn import (
    CancellationStatus,
    MailChangePattern,
    MailChangeRequest,
    MailChangeStatus,
    VirusCheck,
    mail_monthly_fee,
)
from omakase_core.ocn.rules import check_phone
from tests.ocn.conftest import ADD_HANAKO, CANCELLATION, CUSTOMER, STAFF, Desk

P = MailChangePattern


def test_ocn_1_the_fee_table() -> None:
    assert [mail_monthly_fee(accounts=n, virus_checks=0) for n in (1, 2, 3, 4)] == [
        0,
        250,
        350,
        450,
    ]
    assert [mail_monthly_fee(accounts=n, virus_checks=0, tax_included=True) for n in (2, 3, 4)] == [
        275,
        385,
        495,
    ]
    assert mail_monthly_fee(accounts=1, virus_checks=1) == 200
    assert mail_monthly_fee(accounts=1, virus_checks=1, tax_included=True) == 220


@pytest.mark.parametrize(
    ("accounts", "checks", "field"),
    [(0, 0, "accounts"), (5, 0, "accounts"), (2, 3, "virus_checks"), (2, -1, "virus_checks")],
)
def test_ocn_1_limits(accounts: int, checks: int, field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        mail_monthly_fee(accounts=accounts, virus_checks=checks)
    assert raised.value.field == field


@given(st.integers(min_value=1, max_value=3), st.integers(min_value=0, max_value=3), st.booleans())
def test_ocn_1_the_fee_grows_with_accounts_and_checks(
    accounts: int, checks: int, tax: bool
) -> None:
    checks = min(checks, accounts)
    fee = mail_monthly_fee(accounts=accounts, virus_checks=checks, tax_included=tax)
    assert mail_monthly_fee(accounts=accounts + 1, virus_checks=checks, tax_included=tax) > fee
    if checks < accounts:
        assert mail_monthly_fee(accounts=accounts, virus_checks=checks + 1, tax_included=tax) > fee
    assert mail_monthly_fee(accounts=accounts, virus_checks=checks, tax_included=True) >= (
        mail_monthly_fee(accounts=accounts, virus_checks=checks)
    )


def test_ocn_3_the_customer_may_cancel_until_processed(desk: Desk) -> None:
    """OCN-3: cancellation by the customer while not processed; not afterwards."""
    service = desk.service
    request = MailChangeRequest(
        pattern=P.VIRUS_CHECK_ONLY,
        account="taro",
        virus_check=VirusCheck.USE,
        virus_check_consent=True,
    )
    desk.apply("ocn-1", request)
    with pytest.raises(PermissionDenied):
        service.cancel_mail_change("ocn-1", by=STAFF)
    cancelled = service.cancel_mail_change("ocn-1", by=CUSTOMER)
    assert cancelled.mail_change_status is MailChangeStatus.CANCELLED
    assert cancelled.virus_checks == ()
    with pytest.raises(InvalidTransition):
        service.register_mail_change("ocn-1", by=STAFF)
    assert LIFECYCLES["ocn.mail_change"].initial is MailChangeStatus.REQUESTED


def test_ocn_3_one_application_at_a_time(desk: Desk) -> None:
    desk.apply("ocn-1", ADD_HANAKO)
    before = desk.snapshot()
    with pytest.raises(ValidationError) as raised:
        desk.apply("ocn-1", ADD_HANAKO)
    assert raised.value.rule == "OCN-3"
    assert desk.snapshot() == before


def test_ocn_4_all_fields_required_and_the_email_confirmed() -> None:
    with pytest.raises(ValidationError) as raised:
        attrs.evolve(CANCELLATION, email_confirmation="other@example.co.jp")
    assert raised.value.field == "email_confirmation"
    with pytest.raises(ValidationError) as blank:
        attrs.evolve(CANCELLATION, reason_detail=" ")
    assert blank.value.field == "reason_detail"


@pytest.mark.parametrize("phone", ["0312345678", "0120-123-456", "090-1234-5678", "050123456789"])
def test_ocn_4_the_contact_phone_is_10_to_12_half_width_digits(phone: str) -> None:
    assert attrs.evolve(CANCELLATION, phone=phone).phone == phone
    assert check_phone(phone) == phone.replace("-", "")


@pytest.mark.parametrize(
    "phone",
    [
        "０３１２３４５６７８",  # full-width digits
        "٠٣١٢٣٤٥٦٧٨",  # Arabic-Indic digits
        "031234567",  # 9 digits
        "0312345678901",  # 13 digits
        "03--12345678",
        "-0312345678",
        "03 1234 5678",
        "",
        "0" * 100_000,
    ],
)
def test_ocn_4_other_phones_are_refused_without_echoing_them(phone: str) -> None:
    """OCN-4, by OCN's own check (OCN depends on no other domain: not SUB-14's)."""
    with pytest.raises(ValidationError) as raised:
        attrs.evolve(CANCELLATION, phone=phone)
    assert (raised.value.field, raised.value.rule) == ("phone", "OCN-4")
    assert len(str(raised.value)) < 120


def test_ocn_4_cancellation_is_final_blocks_changes_then_login(desk: Desk) -> None:
    service = desk.service
    service.submit_cancellation("ocn-1", CANCELLATION, by=CUSTOMER)
    with pytest.raises(ValidationError, match="already submitted"):
        service.submit_cancellation("ocn-1", CANCELLATION, by=CUSTOMER)
    assert (
        LIFECYCLES["ocn.cancellation"].events_from(
            CancellationStatus.ACCEPTED, actor=Actor.CUSTOMER
        )
        == frozenset()
    )
    before = desk.snapshot()
    with pytest.raises(InvalidTransition, match="no mail change is accepted"):
        desk.apply("ocn-1", ADD_HANAKO)
    assert desk.snapshot() == before
    assert service.complete_cancellation("ocn-1", by=STAFF).can_log_in is False
