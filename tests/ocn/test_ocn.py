"""OCN-1 … OCN-4: mail fees, mail changes and cancellation."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omakase_core import LIFECYCLES, Actor, InvalidTransition, PermissionDenied, ValidationError
from omakase_core.calendar import JST
from omakase_core.ocn import (
    CancellationRequest,
    CancellationStatus,
    MailChangePattern,
    MailChangeRequest,
    MailChangeStatus,
    OcnCustomer,
    OcnService,
    mail_monthly_fee,
)
from omakase_core.testing import FixedClock, InMemoryOutbox, InMemoryRepository

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


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"pattern": P.ACCOUNT_ONLY}, "new_accounts"),
        (
            {"pattern": P.ACCOUNT_ONLY, "new_accounts": ("taro",), "virus_checks": ("taro",)},
            "virus_checks",
        ),
        (
            {"pattern": P.VIRUS_CHECK_ONLY, "new_accounts": ("taro",), "virus_checks": ("x",)},
            "new_accounts",
        ),
        ({"pattern": P.ACCOUNT_AND_VIRUS_CHECK, "new_accounts": ("taro",)}, "virus_checks"),
        ({"pattern": P.ACCOUNT_ONLY, "new_accounts": ("taro@ocn.ne.jp",)}, "new_accounts"),
    ],
)
def test_ocn_2_exactly_one_pattern_with_only_its_fields(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        MailChangeRequest(**kwargs)
    assert raised.value.field == field
    assert raised.value.rule == "OCN-2"


def jst(*args: int) -> datetime:
    return datetime(*args, tzinfo=JST)  # type: ignore[arg-type, misc]


def desk() -> tuple[OcnService, InMemoryRepository]:  # type: ignore[type-arg]
    repo: InMemoryRepository = InMemoryRepository(InMemoryOutbox())  # type: ignore[type-arg]
    repo.add(OcnCustomer(id="ocn-1", accounts=("taro",), updated_at=jst(2026, 11, 1)))
    return OcnService(customers=repo, clock=FixedClock(jst(2026, 11, 2, 10, 0))), repo


CANCELLATION = CancellationRequest(
    desired_date=date(2026, 12, 31),
    reason="移行",
    reason_detail="他社サービスへ移行するため",
    migration_reason="コスト",
    contact_name="山田太郎",
    phone="0312345678",
    email="taro@example.co.jp",
    email_confirmation="taro@example.co.jp",
)


def test_ocn_2_a_registered_change_adds_the_accounts() -> None:
    service, repo = desk()
    request = MailChangeRequest(
        pattern=P.ACCOUNT_AND_VIRUS_CHECK, new_accounts=("hanako",), virus_checks=("taro",)
    )
    assert (
        service.apply_mail_change("ocn-1", request).mail_change_status is MailChangeStatus.REQUESTED
    )
    customer = service.register_mail_change("ocn-1", actor=Actor.OPERATOR)
    assert customer.accounts == ("taro", "hanako")
    assert customer.virus_checks == ("taro",)
    assert customer.monthly_fee == 450
    assert repo.get("ocn-1").mail_change_status is MailChangeStatus.REGISTERED


def test_ocn_2_a_desired_name_may_turn_out_unavailable() -> None:
    service, _ = desk()
    service.apply_mail_change(
        "ocn-1", MailChangeRequest(pattern=P.ACCOUNT_ONLY, new_accounts=("info",))
    )
    customer = service.report_name_unavailable("ocn-1", actor=Actor.OPERATOR)
    assert customer.mail_change_status is MailChangeStatus.NAME_UNAVAILABLE
    assert customer.accounts == ("taro",)


def test_ocn_1_at_most_four_accounts() -> None:
    service, repo = desk()
    before = repo.get("ocn-1")
    with pytest.raises(ValidationError, match="at most 4"):
        service.apply_mail_change(
            "ocn-1", MailChangeRequest(pattern=P.ACCOUNT_ONLY, new_accounts=("a", "b", "c", "d"))
        )
    assert repo.get("ocn-1") == before


def test_ocn_3_the_customer_may_cancel_until_processed() -> None:
    """OCN-3: cancellation by the customer while not processed; not afterwards."""
    service, _ = desk()
    service.apply_mail_change(
        "ocn-1", MailChangeRequest(pattern=P.VIRUS_CHECK_ONLY, virus_checks=("taro",))
    )
    with pytest.raises(PermissionDenied):
        service.cancel_mail_change("ocn-1", actor=Actor.OPERATOR)
    assert (
        service.cancel_mail_change("ocn-1", actor=Actor.CUSTOMER).mail_change_status
        is MailChangeStatus.CANCELLED
    )
    with pytest.raises(InvalidTransition):
        service.register_mail_change("ocn-1", actor=Actor.OPERATOR)
    assert LIFECYCLES["ocn.mail_change"].initial is MailChangeStatus.REQUESTED


def test_ocn_4_all_fields_required_and_the_email_confirmed() -> None:
    import attrs  # noqa: PLC0415

    with pytest.raises(ValidationError) as raised:
        attrs.evolve(CANCELLATION, email_confirmation="other@example.co.jp")
    assert raised.value.field == "email_confirmation"
    with pytest.raises(ValidationError) as blank:
        attrs.evolve(CANCELLATION, reason_detail=" ")
    assert blank.value.field == "reason_detail"


def test_ocn_4_cancellation_is_final_blocks_changes_then_login() -> None:
    service, repo = desk()
    service.submit_cancellation("ocn-1", CANCELLATION)
    with pytest.raises(ValidationError, match="already submitted"):
        service.submit_cancellation("ocn-1", CANCELLATION)
    assert (
        LIFECYCLES["ocn.cancellation"].events_from(
            CancellationStatus.SUBMITTED, actor=Actor.CUSTOMER
        )
        == frozenset()
    )
    service.accept_cancellation("ocn-1", actor=Actor.OPERATOR)
    before = repo.get("ocn-1")
    with pytest.raises(InvalidTransition, match="no change application"):
        service.apply_mail_change(
            "ocn-1", MailChangeRequest(pattern=P.ACCOUNT_ONLY, new_accounts=("x",))
        )
    assert repo.get("ocn-1") == before
    assert service.complete_cancellation("ocn-1", actor=Actor.OPERATOR).can_log_in is False
