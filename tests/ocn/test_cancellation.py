"""OCN-4: the cancellation (廃止) is accepted when submitted and closes the line when completed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import attrs
import pytest

from omakase_core import LIFECYCLES, Actor, InvalidTransition, OmakaseError, ValidationError
from omakase_core.ocn import (
    AccountAction,
    CancellationRequest,
    CancellationStatus,
    MailChangePattern,
    MailChangeRequest,
    MailChangeStatus,
    OcnCustomer,
    OcnService,
)
from omakase_core.principal import Principal
from tests.ocn.conftest import (
    ADD_HANAKO,
    CANCELLATION,
    PASSWORD,
    RENAME,
    SEED,
    SEED_CUSTOMER,
    STAFF,
    T0,
    Desk,
)


def test_ocn_4_the_submission_is_the_acceptance(  # 廃止受付完了
    desk: Desk,
) -> None:
    line = desk.service.submit_cancellation(SEED, CANCELLATION, by=SEED_CUSTOMER)
    assert line.cancellation_status is CancellationStatus.ACCEPTED
    assert line.cancellation_status.label == "廃止受付完了"
    lifecycle = LIFECYCLES["ocn.cancellation"]
    assert lifecycle.initial is CancellationStatus.ACCEPTED
    assert [s.label for s in CancellationStatus] == ["廃止受付完了", "廃止完了"]
    assert lifecycle.events_from(CancellationStatus.ACCEPTED, actor=Actor.CUSTOMER) == frozenset()
    assert not hasattr(OcnService, "accept_cancellation")


def test_ocn_4_no_change_application_is_accepted_from_the_submission_on(desk: Desk) -> None:
    desk.service.submit_cancellation(SEED, CANCELLATION, by=SEED_CUSTOMER)
    before = desk.snapshot(SEED)
    with pytest.raises(InvalidTransition) as raised:
        desk.apply(SEED, RENAME)
    assert raised.value.rule == "OCN-4"
    assert desk.hasher.handed == []
    assert desk.snapshot(SEED) == before


def test_ocn_4_the_submission_withdraws_a_pending_change_which_can_no_longer_be_registered(
    desk: Desk,
) -> None:
    """Decision: a pending change can never be registered now, so the submission ends it (取消)."""
    desk.apply(SEED, RENAME)
    line = desk.service.submit_cancellation(SEED, CANCELLATION, by=SEED_CUSTOMER)
    assert line.mail_change_status is MailChangeStatus.CANCELLED
    assert (line.accounts, line.mail_password_hash) == (("abcdefg", "k04xm40u"), None)
    before = desk.snapshot(SEED)
    commands: tuple[Callable[[], object], ...] = (
        lambda: desk.service.register_mail_change(SEED, by=STAFF, host="dune.ocn.ne.jp"),
        lambda: desk.service.report_name_unavailable(SEED, by=STAFF),
    )
    for command in commands:
        with pytest.raises(InvalidTransition) as raised:
            command()
        assert raised.value.rule == "OCN-4"
    assert desk.snapshot(SEED) == before


def test_ocn_4_a_pending_change_of_an_accepted_line_may_be_cancelled_but_not_registered() -> None:
    """Lines stored by 0.1 may hold one: 取消 changes no account, so the customer may still."""
    line = OcnCustomer(
        id="ocn-9",
        accounts=("abcdefg", "k04xm40u"),
        mail_change=RENAME,
        mail_change_status=MailChangeStatus.REQUESTED,
        cancellation=CANCELLATION,
        cancellation_status=CancellationStatus.ACCEPTED,
        updated_at=T0,
    )
    with pytest.raises(InvalidTransition) as raised:
        line.register_mail_change(actor=Actor.OPERATOR, at=T0, host="dune.ocn.ne.jp")
    assert raised.value.rule == "OCN-4"
    cancelled = line.cancel_mail_change(actor=Actor.CUSTOMER, at=T0)
    assert cancelled.mail_change_status is MailChangeStatus.CANCELLED
    assert cancelled.accounts == line.accounts


Command = Callable[[Desk], object]

AFTER_COMPLETION: dict[str, Command] = {
    "apply_mail_change": lambda d: d.apply(SEED, ADD_HANAKO),
    "cancel_mail_change": lambda d: d.service.cancel_mail_change(SEED, by=SEED_CUSTOMER),
    "register_mail_change": lambda d: d.service.register_mail_change(
        SEED, by=STAFF, host="dune.ocn.ne.jp"
    ),
    "report_name_unavailable": lambda d: d.service.report_name_unavailable(SEED, by=STAFF),
    "submit_cancellation": lambda d: d.service.submit_cancellation(
        SEED, CANCELLATION, by=SEED_CUSTOMER
    ),
    "complete_cancellation": lambda d: d.service.complete_cancellation(SEED, by=STAFF),
}


@pytest.mark.parametrize("name", sorted(AFTER_COMPLETION))
def test_ocn_4_after_completion_no_command_of_customer_or_operator_changes_the_line(
    desk: Desk, name: str
) -> None:
    desk.apply(SEED, RENAME)
    desk.service.submit_cancellation(SEED, CANCELLATION, by=SEED_CUSTOMER)
    desk.service.complete_cancellation(SEED, by=STAFF)
    before = desk.snapshot(SEED)
    with pytest.raises(OmakaseError) as raised:
        AFTER_COMPLETION[name](desk)
    assert raised.value.rule == "OCN-4"
    assert desk.snapshot(SEED) == before


def test_ocn_4_a_closed_line_refuses_login_and_costs_nothing(desk: Desk) -> None:
    desk.apply(SEED, ADD_HANAKO)
    desk.service.register_mail_change(SEED, by=STAFF, host="red.ocn.ne.jp")
    accepted = desk.service.submit_cancellation(SEED, CANCELLATION, by=SEED_CUSTOMER)
    assert (accepted.can_log_in, accepted.monthly_fee) == (True, 550)
    closed = desk.service.complete_cancellation(SEED, by=STAFF)
    assert closed.cancellation_status is CancellationStatus.COMPLETED
    assert (closed.can_log_in, closed.monthly_fee, closed.monthly_fee_tax_included) == (False, 0, 0)


# -- the form (OCN-4) ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "desired", "accepted"),
    [
        (datetime(2026, 11, 2, 10, 0, tzinfo=UTC), date(2026, 11, 2), True),
        (datetime(2026, 11, 2, 10, 0, tzinfo=UTC), date(2026, 11, 1), False),
        (datetime(2026, 11, 2, 15, 30, tzinfo=UTC), date(2026, 11, 2), False),  # 11-03 00:30 JST
        (datetime(2026, 11, 2, 15, 30, tzinfo=UTC), date(2026, 11, 3), True),
    ],
)
def test_ocn_4_the_desired_date_is_not_before_the_submission_day_in_jst(
    desk: Desk, at: datetime, desired: date, accepted: bool
) -> None:
    desk.clock.set(at)
    request = attrs.evolve(CANCELLATION, desired_date=desired)
    before = desk.snapshot(SEED)
    if accepted:
        line = desk.service.submit_cancellation(SEED, request, by=SEED_CUSTOMER)
        assert line.cancellation is not None
        assert line.cancellation.desired_date == desired
        return
    with pytest.raises(ValidationError) as raised:
        desk.service.submit_cancellation(SEED, request, by=SEED_CUSTOMER)
    assert (raised.value.field, raised.value.rule) == ("desired_date", "OCN-4")
    assert desk.snapshot(SEED) == before


def test_ocn_4_the_optional_fields_exist_and_default_to_empty() -> None:
    assert (
        CANCELLATION.other_detail,
        CANCELLATION.notes,
        CANCELLATION.contact_department,
        CANCELLATION.contact_fax,
    ) == (None, None, None, None)
    full = attrs.evolve(
        CANCELLATION,
        other_detail=" インターネット接続のみ ",
        notes="平日午前に連絡希望",
        contact_department="PS本部 C&N部",
        contact_fax="03-1234-5679",
    )
    assert (full.other_detail, full.contact_fax) == ("インターネット接続のみ", "03-1234-5679")
    blank = attrs.evolve(CANCELLATION, notes=" ", contact_fax="\u3000")
    assert (blank.notes, blank.contact_fax) == (None, None)  # a field the form left empty


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("notes", "a\x00b"),
        ("contact_department", "x" * 1001),
        ("contact_fax", "fax"),
        ("contact_fax", "０３１２３４５６７８"),
    ],
)
def test_ocn_4_an_optional_field_is_empty_or_valid(field: str, value: str) -> None:
    changes: dict[str, Any] = {field: value}
    with pytest.raises(ValidationError) as raised:
        attrs.evolve(CANCELLATION, **changes)
    assert (raised.value.field, raised.value.rule) == (field, "OCN-4")


def test_ocn_4_the_email_confirmation_is_compared_after_the_same_trimming() -> None:
    form = attrs.evolve(
        CANCELLATION, email=" taro@example.co.jp ", email_confirmation="taro@example.co.jp\t"
    )
    assert (form.email, form.email_confirmation) == ("taro@example.co.jp",) * 2
    with pytest.raises(ValidationError) as raised:
        attrs.evolve(CANCELLATION, email_confirmation=" hanako@example.co.jp ")
    assert raised.value.field == "email_confirmation"


def test_ocn_4_the_seeds_form_is_accepted() -> None:
    """The seed's confirmation screen: コム太郎, 0120-123-456, dummy@ntt.com, 2024/01/11."""
    fields: dict[str, Any] = {
        "desired_date": date(2024, 1, 11),
        "reason": "他社へ移行（NTTグループその他）",
        "reason_detail": "インターネット接続（ベストエフォート型サービス）",
        "migration_reason": "価格",
        "contact_name": "コム太郎",
        "phone": "0120-123-456",
        "email": "dummy@ntt.com",
        "email_confirmation": "dummy@ntt.com",
    }
    assert CancellationRequest(**fields).contact_name == "コム太郎"


def test_ocn_4_a_change_applied_before_the_cancellation_still_needs_its_own_password(
    desk: Desk,
) -> None:
    """The withdrawn change's password never reached storage: only its hash, and that is dropped."""
    desk.service.apply_mail_change(
        SEED,
        MailChangeRequest(
            pattern=MailChangePattern.ACCOUNT_ONLY, action=AccountAction.ADD, new_name="x"
        ),
        by=Principal.customer(SEED),
        password=PASSWORD,
        password_confirmation=PASSWORD,
    )
    line = desk.service.submit_cancellation(SEED, CANCELLATION, by=SEED_CUSTOMER)
    assert line.mail_password_hash is None
