"""IDC-8 (amended, issue 14): truthful processing times, what blocks a new application."""

from __future__ import annotations

import json

import pytest

from omakase_core.codec import decode, encode
from omakase_core.delivery import deliver_pending
from omakase_core.errors import ValidationError
from omakase_core.id_change import (
    ApplicationRefused,
    IdChangeApplication,
    IdChangeApplied,
    IdChangeStatus,
    Service,
    ServicePolicy,
    Target,
)
from omakase_core.id_change.notices import SUBJECT_APPLIED
from omakase_core.messages import NotificationSettings
from omakase_core.testing import RecordingNotifier
from tests.id_change.conftest import OPERATOR, SYSTEM, Desk, jst

S = IdChangeStatus
SETTINGS = NotificationSettings(
    contractor_login_url="https://x.example.jp", first_login_url="https://y.example.jp"
)
ADDONS, PLANS, GW, EMM = (
    Service.M365_ADDONS,
    Service.M365_PLANS,
    Service.GOOGLE_WORKSPACE,
    Service.EMM,
)


def _applied(application: IdChangeApplication) -> IdChangeApplied:
    (event,) = [e for e in application.pending_events if isinstance(e, IdChangeApplied)]
    return event


# -- the expected end is recomputed from the real apply time -----------------------------------


def test_idc_8_the_seeds_example_an_add_on_applied_5_21_10_00_is_done_5_22_12_00() -> None:
    desk = Desk(jst(2026, 5, 20, 10, 0))
    desk.submit(service=ADDONS, target=Target.CURRENT_MONTH)
    desk.clock.set(jst(2026, 5, 21, 10, 0))
    applied = desk.service.report_applied("idc-1", by=OPERATOR)
    assert applied.status is S.PROCESSING
    assert applied.applied_at == jst(2026, 5, 21, 10, 0)
    assert _applied(applied).processing_done_expected_at == jst(2026, 5, 22, 12, 0)
    notifier = RecordingNotifier()
    deliver_pending(desk.outbox, notifier, clock=desk.clock, settings=SETTINGS)
    (done,) = [m for m in notifier.messages if m.subject == SUBJECT_APPLIED]
    assert "2026年5月21日(木) 10:00 に適用しました" in done.body
    assert "2026年5月22日(金) 12:00 頃" in done.body
    assert "5月28日" not in done.body


def test_idc_8_an_add_on_applied_on_a_friday_is_expected_done_monday_noon() -> None:
    desk = Desk(jst(2026, 5, 20, 10, 0))
    desk.submit(service=ADDONS, target=Target.CURRENT_MONTH)
    desk.clock.set(jst(2026, 5, 22, 18, 0))  # Friday evening
    applied = desk.service.report_applied("idc-1", by=OPERATOR)
    assert _applied(applied).processing_done_expected_at == jst(2026, 5, 25, 12, 0)


def test_idc_8_a_windowed_decision_promises_no_fixed_processing_end() -> None:
    desk = Desk(jst(2026, 5, 20, 10, 0))
    application = desk.submit(service=ADDONS, target=Target.CURRENT_MONTH)
    assert application.decision.processing_done_expected_at is None
    assert "翌営業日" in application.decision.explain("ja")


def test_idc_8_the_refusal_while_processing_names_the_recomputed_end() -> None:
    desk = Desk(jst(2026, 5, 20, 10, 0))
    desk.submit("idc-1", service=EMM, target=Target.CURRENT_MONTH)
    desk.clock.set(jst(2026, 5, 21, 10, 0))
    desk.service.report_applied("idc-1", by=OPERATOR)
    before = desk.state()
    with pytest.raises(ApplicationRefused, match="22 May 2026 12:00") as raised:
        desk.submit("idc-2", service=EMM, target=Target.NEXT_MONTH)
    assert (raised.value.rule, raised.value.field) == ("IDC-8", "service")
    assert desk.state() == before


# -- only 処理中 blocks (EMM: 処理待ち too) ------------------------------------------------------


def test_idc_8_a_next_month_reservation_does_not_block_a_new_application() -> None:
    desk = Desk(jst(2026, 5, 20, 10, 0))
    assert desk.submit("idc-1", target=Target.NEXT_MONTH).status is S.PENDING
    desk.clock.set(jst(2026, 5, 21, 10, 0))
    assert desk.submit("idc-2", target=Target.CURRENT_MONTH).status is S.PROCESSING
    with pytest.raises(ApplicationRefused, match="処理中"):
        desk.submit("idc-3", target=Target.NEXT_MONTH)


def test_idc_8_an_emm_application_blocks_while_pending_until_it_applies() -> None:
    desk = Desk(jst(2026, 5, 20, 10, 0))
    desk.submit("idc-1", service=EMM, target=Target.CURRENT_MONTH)
    desk.clock.set(jst(2026, 5, 21, 10, 0))
    before = desk.state()
    with pytest.raises(ApplicationRefused, match="処理待ち") as raised:
        desk.submit("idc-2", service=EMM, target=Target.NEXT_MONTH)
    assert raised.value.rule == "IDC-8"
    assert desk.state() == before
    desk.service.report_applied("idc-1", by=OPERATOR)
    desk.service.complete("idc-1", by=OPERATOR)
    desk.submit("idc-2", service=EMM, target=Target.NEXT_MONTH)


def test_idc_8_a_pending_plan_change_is_applied_by_the_sweep_and_then_blocks() -> None:
    desk = Desk(jst(2026, 5, 20, 10, 0))
    desk.submit("idc-1", service=PLANS, target=Target.NEXT_MONTH)
    desk.service.apply_due(jst(2026, 6, 1, 12, 0), by=SYSTEM)
    desk.clock.set(jst(2026, 6, 1, 13, 0))
    with pytest.raises(ApplicationRefused, match="2 Jun 2026 12:00"):
        desk.submit("idc-2", service=PLANS, target=Target.NEXT_MONTH)


# -- the add-on block covers every application that changes add-ons ---------------------------


def test_idc_8_an_m365_plan_change_that_changes_add_ons_is_blocked_after_an_add_on() -> None:
    desk = Desk(jst(2026, 5, 12, 10, 0))
    desk.submit("idc-1", service=ADDONS, target=Target.NEXT_MONTH)
    desk.clock.set(jst(2026, 5, 14, 10, 0))
    before = desk.state()
    with pytest.raises(ApplicationRefused, match="5 business days") as raised:
        desk.submit("idc-2", service=PLANS, changes_addons=True)
    assert (raised.value.rule, raised.value.field) == ("IDC-8", "changes_addons")
    assert desk.state() == before
    desk.submit("idc-2", service=PLANS)  # a plan change that leaves the add-ons alone
    desk.clock.set(jst(2026, 5, 20, 0, 0))
    desk.submit("idc-3", service=Service.LINE_WORKS)
    assert desk.submit("idc-4", service=ADDONS, target=Target.NEXT_MONTH).changes_addons


def test_idc_8_an_add_on_is_blocked_after_an_m365_plan_change_that_changed_add_ons() -> None:
    desk = Desk(jst(2026, 5, 12, 10, 0))
    desk.submit("idc-1", service=PLANS, target=Target.NEXT_MONTH, changes_addons=True)
    desk.clock.set(jst(2026, 5, 13, 10, 0))
    with pytest.raises(ApplicationRefused, match="5 business days"):
        desk.submit("idc-2", service=ADDONS, target=Target.NEXT_MONTH)


def test_idc_8_google_add_on_tools_are_blocked_five_business_days() -> None:
    desk = Desk(jst(2026, 5, 12, 10, 0))
    desk.submit("idc-1", service=GW, target=Target.NEXT_MONTH, changes_addons=True)
    desk.clock.set(jst(2026, 5, 19, 23, 59))
    with pytest.raises(ApplicationRefused, match="5 business days"):
        desk.submit("idc-2", service=GW, target=Target.NEXT_MONTH, changes_addons=True)
    desk.submit("idc-2", service=GW, target=Target.NEXT_MONTH)  # no add-on tools involved
    desk.clock.set(jst(2026, 5, 20, 0, 0))
    desk.submit("idc-3", service=GW, target=Target.NEXT_MONTH, changes_addons=True)


def test_idc_8_a_service_without_add_ons_refuses_changes_addons() -> None:
    desk = Desk(jst(2026, 5, 12, 10, 0))
    with pytest.raises(ValidationError) as raised:
        desk.submit(service=Service.LINE_WORKS, changes_addons=True)
    assert raised.value.field == "changes_addons"
    with pytest.raises(ValidationError) as raised:
        desk.submit(changes_addons="yes")
    assert raised.value.field == "changes_addons"
    assert desk.state() == ([], [])


def test_port_7_an_add_on_application_stored_by_0_1_decodes_as_changing_add_ons() -> None:
    desk = Desk(jst(2026, 5, 12, 10, 0))
    for number, service in enumerate((ADDONS, GW), start=1):
        application = desk.submit(f"idc-{number}", service=service).saved()
        stored = json.loads(encode(application))
        assert stored["schema"] == 2
        del stored["data"]["changes_addons"]
        stored["schema"] = 1
        decoded = decode(json.dumps(stored), expected=IdChangeApplication)
        assert decoded.changes_addons is (service is ADDONS)


def test_idc_8_an_add_on_family_goes_with_a_block_length() -> None:
    with pytest.raises(ValidationError) as raised:
        ServicePolicy(service="kintone", label="kintone", rule="IDC-1", addon_family="kintone")
    assert raised.value.field == "addon_family"
    with pytest.raises(ValidationError):
        ServicePolicy(service="kintone", label="kintone", rule="IDC-1", always_changes_addons=True)


def test_idc_8_a_made_up_service_with_add_ons_is_its_own_family() -> None:
    policy = ServicePolicy(
        service="kintone", label="kintone", rule="IDC-1", blocks_new_for_business_days=2
    )
    desk = Desk(jst(2026, 5, 12, 10, 0))
    desk.submit("idc-1", service=policy, target=Target.NEXT_MONTH, changes_addons=True)
    desk.submit("idc-2", service=GW, target=Target.NEXT_MONTH, changes_addons=True)
    desk.clock.set(jst(2026, 5, 14, 23, 59))
    with pytest.raises(ApplicationRefused, match="2 business days"):
        desk.submit("idc-3", service=policy, target=Target.NEXT_MONTH, changes_addons=True)
    desk.clock.set(jst(2026, 5, 15, 0, 0))
    desk.submit("idc-3", service=policy, target=Target.NEXT_MONTH, changes_addons=True)
