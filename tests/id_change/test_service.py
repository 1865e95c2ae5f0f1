"""IDC-2, IDC-8, IDC-9: the application through its lifecycle, over in-memory ports."""

from __future__ import annotations

import pytest

from omakase_core import (
    Actor,
    DeadlinePassed,
    InvalidTransition,
    PermissionDenied,
    Transition,
)
from omakase_core.delivery import deliver_pending
from omakase_core.errors import ValidationError
from omakase_core.id_change import (
    ID_CHANGE_LIFECYCLE,
    ApplicationRefused,
    IdChangeAccepted,
    IdChangeApplied,
    IdChangeStatus,
    Service,
    Target,
    Term,
)
from omakase_core.id_change.notices import SUBJECT_ACCEPTED, SUBJECT_APPLIED
from omakase_core.messages import NotificationSettings
from omakase_core.testing import RecordingNotifier
from tests.id_change.conftest import ADMIN, OPERATOR, SYSTEM, USER, Desk, admin, jst

S = IdChangeStatus
C, OP, SYS = Actor.CUSTOMER, Actor.OPERATOR, Actor.SYSTEM
SETTINGS = NotificationSettings(
    contractor_login_url="https://x.example.jp", first_login_url="https://y.example.jp"
)


def test_idc_2_the_lifecycle_table() -> None:
    """The chart registered as ``LIFECYCLES["id_change"]``."""
    assert ID_CHANGE_LIFECYCLE.name == "id_change"
    assert ID_CHANGE_LIFECYCLE.initial is S.PENDING
    assert ID_CHANGE_LIFECYCLE.transitions == {
        Transition(source=S.PENDING, target=S.PROCESSING, event="apply", actor=SYS),
        Transition(source=S.PENDING, target=S.PROCESSING, event="report_applied", actor=OP),
        Transition(source=S.PROCESSING, target=S.DONE, event="complete", actor=OP),
        Transition(source=S.PENDING, target=S.WITHDRAWN, event="withdraw", actor=C),
    }
    assert [s.label for s in S] == ["処理待ち", "処理中", "完了", "取下げ"]


def test_idc_2_a_next_month_change_is_pending_then_applies_at_noon_on_the_1st() -> None:
    desk = Desk(jst(2026, 5, 20, 10, 0))
    application = desk.submit()
    assert application.status is S.PENDING
    assert application.customer_id == "cust-1"
    assert desk.service.apply_due(jst(2026, 6, 1, 11, 59), by=SYSTEM) == ()
    assert desk.service.apply_due(jst(2026, 6, 1, 12, 0), by=SYSTEM) == ("idc-1",)
    applied = desk.service.get("idc-1", by=ADMIN)
    assert (applied.status, applied.applied_at) == (S.PROCESSING, jst(2026, 6, 1, 12, 0))
    assert desk.service.apply_due(jst(2026, 6, 2), by=SYSTEM) == ()  # idempotent


def test_idc_2_a_current_month_change_at_acceptance_starts_processing() -> None:
    desk = Desk(jst(2026, 5, 20, 10, 0))
    application = desk.submit(target=Target.CURRENT_MONTH)
    assert application.status is S.PROCESSING
    assert [type(e) for e in application.pending_events] == [IdChangeAccepted, IdChangeApplied]


def test_idc_2_a_refusal_names_the_rule_and_leaves_nothing_behind() -> None:
    desk = Desk(jst(2026, 5, 26, 10, 0))
    with pytest.raises(ApplicationRefused) as raised:
        desk.submit(target=Target.CURRENT_MONTH)
    assert raised.value.rule == "IDC-3"
    assert raised.value.decision is not None
    assert "only next-month applications are accepted" in str(raised.value)
    assert desk.snapshot() == (0, [])


def test_idc_2_withdrawal_until_the_deadline_then_deadline_passed() -> None:
    desk = Desk(jst(2026, 5, 20, 10, 0))
    desk.submit("idc-1")
    desk.submit("idc-2", by=admin("cust-2"))
    desk.clock.set(jst(2026, 6, 1, 11, 59, 59))
    assert desk.service.withdraw("idc-1", by=ADMIN).status is S.WITHDRAWN
    desk.clock.set(jst(2026, 6, 1, 12, 0))
    before = desk.state()
    with pytest.raises(DeadlinePassed) as raised:
        desk.service.withdraw("idc-2", by=admin("cust-2"))
    assert raised.value.deadline == jst(2026, 6, 1, 12, 0)
    assert desk.state() == before


def test_idc_2_a_current_month_change_cannot_be_withdrawn_nor_by_the_operator() -> None:
    desk = Desk(jst(2026, 5, 20, 10, 0))
    desk.submit("idc-1", target=Target.CURRENT_MONTH)
    with pytest.raises(InvalidTransition):
        desk.service.withdraw("idc-1", by=ADMIN)
    desk.submit("idc-2", by=admin("cust-2"))
    before = desk.state()
    with pytest.raises(PermissionDenied):
        desk.service.withdraw("idc-2", by=OPERATOR)
    with pytest.raises(PermissionDenied):
        desk.service.withdraw("idc-2", by=SYSTEM)
    assert desk.state() == before


def test_idc_5_a_windowed_change_is_reported_applied_by_the_operator() -> None:
    desk = Desk(jst(2026, 5, 12, 10, 0))
    desk.submit(service=Service.M365_ADDONS, target=Target.CURRENT_MONTH)
    assert desk.service.apply_due(jst(2026, 6, 30), by=SYSTEM) == ()
    before = desk.state()
    with pytest.raises(PermissionDenied):
        desk.service.report_applied("idc-1", by=ADMIN)
    assert desk.state() == before
    desk.clock.advance(days=2)
    assert desk.service.report_applied("idc-1", by=OPERATOR).status is S.PROCESSING
    assert desk.service.complete("idc-1", by=OPERATOR).status is S.DONE


def test_idc_8_the_customer_cannot_report_processing_complete() -> None:
    desk = Desk(jst(2026, 5, 20, 10, 0))
    desk.submit(target=Target.CURRENT_MONTH)
    before = desk.state()
    with pytest.raises(PermissionDenied):
        desk.service.complete("idc-1", by=ADMIN)
    assert desk.state() == before


def test_idc_2_an_exact_instant_change_is_not_reported_by_hand() -> None:
    desk = Desk(jst(2026, 5, 20, 10, 0))
    desk.submit()
    with pytest.raises(InvalidTransition, match="applies by itself"):
        desk.service.report_applied("idc-1", by=OPERATOR)


def test_idc_8_one_application_at_a_time_per_service() -> None:
    desk = Desk(jst(2026, 5, 20, 10, 0))
    desk.submit("idc-1", target=Target.CURRENT_MONTH)
    before = desk.snapshot()
    with pytest.raises(ApplicationRefused, match="still 処理中") as raised:
        desk.submit("idc-2", target=Target.NEXT_MONTH)
    assert raised.value.rule == "IDC-8"
    assert desk.snapshot() == before
    desk.submit("idc-3", service=Service.LINE_WORKS)  # another service is free
    desk.submit("idc-5", by=admin("cust-2"))  # another customer is free
    desk.service.complete("idc-1", by=OPERATOR)
    desk.submit("idc-4", target=Target.NEXT_MONTH)


def test_idc_8_add_ons_wait_five_business_days_after_the_submission() -> None:
    desk = Desk(jst(2026, 5, 12, 10, 0))
    desk.submit("idc-1", service=Service.M365_ADDONS)
    desk.service.withdraw("idc-1", by=ADMIN)  # a withdrawn one does not block
    desk.submit("idc-2", service=Service.M365_ADDONS, target=Target.CURRENT_MONTH)
    desk.service.report_applied("idc-2", by=OPERATOR)
    desk.service.complete("idc-2", by=OPERATOR)
    desk.clock.set(jst(2026, 5, 19, 23, 59))  # 5 business days after 5/12 end on 5/19
    with pytest.raises(ApplicationRefused, match="5 business days") as raised:
        desk.submit("idc-3", service=Service.M365_ADDONS)
    assert raised.value.rule == "IDC-8"
    desk.clock.set(jst(2026, 5, 20, 0, 0))
    desk.submit("idc-3", service=Service.M365_ADDONS)


def test_idc_9_a_google_workspace_reduction_needs_the_console_check() -> None:
    desk = Desk(jst(2026, 5, 20, 10, 0))
    with pytest.raises(ApplicationRefused) as raised:
        desk.submit(delta=-1, current_count=10)
    assert (raised.value.rule, raised.value.field) == ("IDC-9", "console_count_confirmed")
    assert desk.snapshot() == (0, [])
    desk.submit(delta=-1, current_count=10, console_count_confirmed=True)


def test_idc_9_annual_reductions_name_the_channel() -> None:
    desk = Desk(jst(2026, 5, 20, 10, 0))
    with pytest.raises(ApplicationRefused, match="sales representative"):
        desk.submit(service=Service.LINE_WORKS, delta=-1, term=Term.ANNUAL)


def test_idc_2_the_notices_carry_the_exact_subjects() -> None:
    desk = Desk(jst(2026, 5, 20, 10, 0))
    desk.submit()
    desk.service.apply_due(jst(2026, 6, 1, 12, 0), by=SYSTEM)
    desk.clock.set(jst(2026, 6, 1, 12, 5))
    notifier = RecordingNotifier()
    deliver_pending(desk.outbox, notifier, clock=desk.clock, settings=SETTINGS)
    assert [m.subject for m in notifier.messages] == [
        "【My KDDI Biz 総合】サービス情報変更受付のお知らせ",
        "【My KDDI Biz 総合】サービス情報変更完了のお知らせ",
    ]
    assert [m.subject for m in notifier.messages] == [SUBJECT_ACCEPTED, SUBJECT_APPLIED]
    assert "2026年6月1日(月) 12:00 に適用されます" in notifier.messages[0].body
    assert "2026年6月2日(火) 12:00 頃" in notifier.messages[1].body
    assert {m.to for m in notifier.messages} == {"admin@example.co.jp"}


def test_idc_2_commands_in_the_past_are_refused() -> None:
    desk = Desk(jst(2026, 5, 20, 10, 0))
    desk.submit()
    desk.clock.set(jst(2026, 5, 20, 9, 0))
    before = desk.state()
    with pytest.raises(ValidationError, match="time order"):
        desk.service.withdraw("idc-1", by=ADMIN)
    assert desk.state() == before


def test_acc_3_only_an_administrator_applies_for_an_id_count_change() -> None:
    desk = Desk(jst(2026, 5, 20, 10, 0))
    with pytest.raises(PermissionDenied) as raised:
        desk.submit(by=USER)
    assert raised.value.rule == "ACC-3"
    assert desk.snapshot() == (0, [])


def test_acc_3_a_user_may_neither_withdraw_nor_look_up_an_application() -> None:
    desk = Desk(jst(2026, 5, 20, 10, 0))
    desk.submit()
    before = desk.state()
    with pytest.raises(PermissionDenied) as raised:
        desk.service.withdraw("idc-1", by=USER)
    assert raised.value.rule == "ACC-3"
    with pytest.raises(PermissionDenied):
        desk.service.get("idc-1", by=USER)
    assert desk.state() == before


def test_idc_2_the_operator_and_the_system_see_every_customers_application() -> None:
    desk = Desk(jst(2026, 5, 20, 10, 0))
    desk.submit()
    assert desk.service.get("idc-1", by=OPERATOR).customer_id == "cust-1"
    assert desk.service.get("idc-1", by=SYSTEM).customer_id == "cust-1"
