"""SUB-2, SUB-3 and SUB-8 … SUB-12 on the new-installation application."""

from __future__ import annotations

from datetime import date

import pytest

from omakase_core import Actor, InvalidTransition, PermissionDenied, ValidationError
from omakase_core.submission import (
    ASP,
    ConstructionSchedule,
    DocumentKind,
    DocumentStatusChanged,
    FaultContacts,
    Menu,
    NewInstallation,
    Preference,
    SiteName,
    Slot,
    SubmissionStatus,
)
from tests.submission.conftest import (
    CONTACT,
    CONTACTS,
    CUSTOMER,
    OPERATOR,
    OTHER_CUSTOMER,
    SITE,
    Portal,
)

K = DocumentKind
S = SubmissionStatus
C, OP = CUSTOMER, OPERATOR


def kinds(portal: Portal, application_id: str = "app-1") -> list[DocumentKind]:
    return [d.kind for d in portal.service.get(application_id, by=C).documents]


def status(portal: Portal, kind: DocumentKind) -> SubmissionStatus:
    return portal.service.get("app-1", by=C).document(kind).status


# -- SUB-8 -----------------------------------------------------------------------------------------


def test_sub_8_the_documents_follow_the_menu(portal: Portal) -> None:
    portal.new_installation("app-1", menu=Menu.BASIC)
    assert kinds(portal) == [
        K.APPLICATION_FORM,
        K.LAN_PARAMETERS,
        K.INSTALLATION_SUPPLIES,
        K.FAULT_CONTACTS,
    ]
    portal.new_installation(
        "app-2",
        menu=Menu.LITE_MOBILE,
        asps=[ASP.SDS],
        site=SiteName(company_abbrev="NTTデータ", location="三田"),
    )
    assert kinds(portal, "app-2") == [
        K.APPLICATION_FORM,
        K.SHIPPING_ADDRESS,
        K.LAN_PARAMETERS,
        K.INSTALLATION_SUPPLIES,
        K.FAULT_CONTACTS,
    ]
    portal.new_installation(
        "app-3", billing_changed=True, site=SiteName(company_abbrev="NTTデータ", location="品川")
    )
    assert kinds(portal, "app-3")[-1] is K.BILLING_CORRECTION


def test_sub_8_each_document_starts_in_its_lifecycles_initial_status(portal: Portal) -> None:
    application = portal.new_installation(
        menu=Menu.LITE_MINIMUM, asps=[ASP.SDS], billing_changed=True
    )
    assert {d.kind: d.status for d in application.documents} == {
        K.APPLICATION_FORM: S.SEALED_FORM_PENDING,
        K.SHIPPING_ADDRESS: S.NOT_SUBMITTED,
        K.LAN_PARAMETERS: S.SHEET_IN_PREPARATION,
        K.INSTALLATION_SUPPLIES: S.NOT_SUBMITTED,
        K.FAULT_CONTACTS: S.NOT_SUBMITTED,
        K.BILLING_CORRECTION: S.SUBMITTED,
    }


def test_sub_8_progress_says_who_each_document_waits_on(portal: Portal) -> None:
    portal.new_installation()
    progress = portal.service.get("app-1", by=C).progress()
    assert progress.done == ()
    assert progress.waiting_on_operator == (K.LAN_PARAMETERS,)
    assert progress.waiting_on_customer == (
        K.APPLICATION_FORM,
        K.INSTALLATION_SUPPLIES,
        K.FAULT_CONTACTS,
    )
    assert not progress.complete


def test_sub_8_an_application_without_a_kind_refuses_commands_on_it(portal: Portal) -> None:
    portal.new_installation()
    with pytest.raises(ValidationError, match="no shipping_address document"):
        portal.service.send("app-1", K.SHIPPING_ADDRESS, "submit", by=C)


# -- SUB-9 and SUB-7 at creation -------------------------------------------------------------------


def test_sub_9_the_asps_must_fit_the_menu(portal: Portal) -> None:
    with pytest.raises(ValidationError, match="1 to 2 ASPs"):
        portal.new_installation(menu=Menu.LITE, asps=[ASP.SDS, ASP.ZEDI, ASP.FRONTGATE])
    with pytest.raises(ValidationError, match="AnserDATAPORT"):
        portal.new_installation(asps=[ASP.ANSER_DATAPORT], bandwidth_mbps=10)
    assert len(portal.applications) == 0


def test_sub_9_the_option_fee_follows_the_asps(portal: Portal) -> None:
    application = portal.new_installation(asps=[ASP.SDS, ASP.ZEDI, ASP.FRONTGATE])
    assert isinstance(application, NewInstallation)
    assert application.monthly_asp_option_fee == 10_000


def test_sub_7_a_customer_cannot_use_a_site_name_twice(portal: Portal) -> None:
    portal.new_installation("app-1")
    with pytest.raises(ValidationError, match="already used") as raised:
        portal.new_installation("app-2")
    assert raised.value.rule == "SUB-7"
    portal.new_installation("app-3", by=OTHER_CUSTOMER)  # another customer may


# -- SUB-3(a) and SUB-2 ----------------------------------------------------------------------------


def test_sub_3a_submitting_needs_an_uploaded_sealed_form(portal: Portal) -> None:
    portal.new_installation()
    before = portal.snapshot()
    with pytest.raises(ValidationError, match="uploaded file") as raised:
        portal.service.send("app-1", K.APPLICATION_FORM, "submit", by=C)
    assert raised.value.field == "uploads"
    assert portal.snapshot() == before
    portal.service.upload("app-1", K.APPLICATION_FORM, "利用申込書.pdf", by=C)
    portal.service.send("app-1", K.APPLICATION_FORM, "submit", by=C)
    assert status(portal, K.APPLICATION_FORM) is S.SUBMITTED


def walk_to_under_review(portal: Portal) -> None:
    portal.new_installation()
    portal.service.upload("app-1", K.APPLICATION_FORM, "利用申込書.pdf", by=C)
    portal.service.send("app-1", K.APPLICATION_FORM, "submit", by=C)
    portal.service.send("app-1", K.APPLICATION_FORM, "start_review", by=OP)


def test_sub_2_the_customer_cannot_take_the_operators_steps(portal: Portal) -> None:
    walk_to_under_review(portal)
    before = portal.snapshot()
    with pytest.raises(PermissionDenied) as raised:
        portal.service.send("app-1", K.APPLICATION_FORM, "receive", by=C)
    assert (raised.value.actor, raised.value.event) == ("customer", "receive")
    with pytest.raises(PermissionDenied):
        portal.service.upload("app-1", K.APPLICATION_FORM, "x.pdf", by=OP)
    assert portal.snapshot() == before


def test_sub_3a_a_return_needs_a_comment_which_the_customer_sees(portal: Portal) -> None:
    walk_to_under_review(portal)
    before = portal.snapshot()
    for empty in (None, "  "):
        with pytest.raises(ValidationError) as raised:
            portal.service.send("app-1", K.APPLICATION_FORM, "send_back", by=OP, comment=empty)
        assert raised.value.field == "comment"
    assert portal.snapshot() == before
    portal.service.send("app-1", K.APPLICATION_FORM, "send_back", by=OP, comment="社印が不鮮明です")
    document = portal.service.get("app-1", by=C).document(K.APPLICATION_FORM)
    assert (document.status, document.comment) == (S.RETURNED, "社印が不鮮明です")
    portal.service.send("app-1", K.APPLICATION_FORM, "submit", by=C)
    assert status(portal, K.APPLICATION_FORM) is S.SUBMITTED


def test_sub_3a_acceptance_waits_for_construction_and_opens_the_letter(portal: Portal) -> None:
    walk_to_under_review(portal)
    portal.service.send("app-1", K.APPLICATION_FORM, "receive", by=OP)
    before = portal.snapshot()
    with pytest.raises(InvalidTransition, match="after construction is complete"):
        portal.service.send("app-1", K.APPLICATION_FORM, "accept", by=OP)
    assert portal.snapshot() == before
    portal.clock.advance(days=90)
    portal.service.record_construction_completed("app-1", date(2025, 6, 30), by=OP)
    portal.service.send("app-1", K.APPLICATION_FORM, "accept", by=OP)
    application = portal.service.get("app-1", by=C)
    assert isinstance(application, NewInstallation)
    document = application.document(K.APPLICATION_FORM)
    assert document.acceptance_letter_available
    assert application.first_billing_month == date(2025, 7, 1)
    assert K.APPLICATION_FORM in application.progress().done


def test_sub_3a_the_customer_may_withdraw_and_resubmit(portal: Portal) -> None:
    walk_to_under_review(portal)
    portal.service.send("app-1", K.APPLICATION_FORM, "withdraw", by=C)
    assert status(portal, K.APPLICATION_FORM) is S.WITHDRAWN
    portal.service.upload("app-1", K.APPLICATION_FORM, "利用申込書_修正.pdf", by=C)
    portal.service.send("app-1", K.APPLICATION_FORM, "submit", by=C)
    document = portal.service.get("app-1", by=C).document(K.APPLICATION_FORM)
    assert document.status is S.SUBMITTED
    assert document.current_file is not None
    assert document.current_file.name == "利用申込書_修正.pdf"


def test_sub_12_completion_is_the_operators_and_not_in_the_future(portal: Portal) -> None:
    portal.new_installation()
    with pytest.raises(PermissionDenied):
        portal.service.record_construction_completed("app-1", date(2025, 4, 1), by=C)
    with pytest.raises(ValidationError, match="in the future"):
        portal.service.record_construction_completed("app-1", date(2025, 5, 1), by=OP)


# -- SUB-3(c) --------------------------------------------------------------------------------------


def test_sub_3c_the_sheet_is_renamed_and_the_latest_is_in_force(portal: Portal) -> None:
    portal.new_installation()
    portal.service.send("app-1", K.LAN_PARAMETERS, "publish_sheet", by=OP)
    with pytest.raises(ValidationError, match="uploaded file"):
        portal.service.send("app-1", K.LAN_PARAMETERS, "submit", by=C)
    portal.service.upload("app-1", K.LAN_PARAMETERS, "パラメータシート.xlsx", by=C)
    portal.clock.advance(days=1)
    portal.service.upload("app-1", K.LAN_PARAMETERS, "パラメータシート_v2.xlsx", by=C)
    document = portal.service.get("app-1", by=C).document(K.LAN_PARAMETERS)
    assert [u.name for u in document.uploads] == [
        "20250402_NTTデータ(豊洲)パラメータシート.xlsx",
        "20250403_NTTデータ(豊洲)パラメータシート_v2.xlsx",
    ]
    assert document.current_file == document.uploads[-1]


def test_sub_3c_after_acceptance_changes_go_through_sales(portal: Portal) -> None:
    portal.new_installation()
    portal.service.send("app-1", K.LAN_PARAMETERS, "publish_sheet", by=OP)
    portal.service.upload("app-1", K.LAN_PARAMETERS, "sheet.xlsx", by=C)
    for event, actor in (("submit", C), ("start_review", OP), ("accept", OP)):
        portal.service.send("app-1", K.LAN_PARAMETERS, event, by=actor)
    before = portal.snapshot()
    with pytest.raises(InvalidTransition, match="sales desk") as raised:
        portal.service.upload("app-1", K.LAN_PARAMETERS, "sheet2.xlsx", by=C)
    assert raised.value.rule == "SUB-3"
    with pytest.raises(InvalidTransition, match="sales desk"):
        portal.service.send("app-1", K.LAN_PARAMETERS, "unsubmit", by=C)
    assert portal.snapshot() == before


def test_sub_3c_a_withdrawal_request_returns_to_not_submitted(portal: Portal) -> None:
    portal.new_installation()
    portal.service.send("app-1", K.LAN_PARAMETERS, "publish_sheet", by=OP)
    portal.service.upload("app-1", K.LAN_PARAMETERS, "sheet.xlsx", by=C)
    portal.service.send("app-1", K.LAN_PARAMETERS, "submit", by=C)
    portal.service.send("app-1", K.LAN_PARAMETERS, "start_review", by=OP)
    with pytest.raises(InvalidTransition):
        portal.service.upload("app-1", K.LAN_PARAMETERS, "sheet2.xlsx", by=C)
    portal.service.send("app-1", K.LAN_PARAMETERS, "request_withdrawal", by=C)
    assert status(portal, K.LAN_PARAMETERS) is S.WITHDRAWAL_REQUESTED
    portal.service.send("app-1", K.LAN_PARAMETERS, "confirm_withdrawal", by=OP)
    assert status(portal, K.LAN_PARAMETERS) is S.NOT_SUBMITTED


# -- SUB-3(b), (d), (e), (f) -----------------------------------------------------------------------


def test_sub_3b_the_shipping_address_needs_its_details_and_ends_shipped(portal: Portal) -> None:
    portal.new_installation(menu=Menu.LITE_MINIMUM, asps=[ASP.SDS])
    with pytest.raises(ValidationError, match="needs these details") as raised:
        portal.service.send("app-1", K.SHIPPING_ADDRESS, "submit", by=C)
    assert raised.value.field == "details"
    with pytest.raises(ValidationError) as bad_floor:
        portal.service.fill_in("app-1", K.SHIPPING_ADDRESS, {"floor": "10F"}, by=C)
    assert bad_floor.value.field == "floor"
    portal.service.fill_in(
        "app-1",
        K.SHIPPING_ADDRESS,
        {
            "arrival_date": "2025/03/10",
            "arrival_time_slot": "AM",
            "postal_code": "135-0061",
            "prefecture": "東京都",
            "city": "江東区豊洲",
            "street": "1-2-3",
            "floor": "10",
            "recipient": "豊洲太郎",
        },
        by=C,
    )
    assert (
        portal.service.get("app-1", by=C).document(K.SHIPPING_ADDRESS).details["postal_code"]
        == "1350061"
    )
    portal.service.set_deadline("app-1", K.SHIPPING_ADDRESS, date(2025, 4, 15), by=OP)
    for event, actor in (("submit", C), ("start_review", OP), ("accept", OP), ("ship", OP)):
        portal.service.send("app-1", K.SHIPPING_ADDRESS, event, by=actor)
    document = portal.service.get("app-1", by=C).document(K.SHIPPING_ADDRESS)
    assert (document.status, document.deadline) == (S.SHIPPED, date(2025, 4, 15))


def test_sub_3d_supplies_are_accepted_straight_from_submitted(portal: Portal) -> None:
    portal.new_installation()
    portal.service.send("app-1", K.INSTALLATION_SUPPLIES, "submit", by=C)
    portal.service.send("app-1", K.INSTALLATION_SUPPLIES, "unsubmit", by=C)
    portal.service.send("app-1", K.INSTALLATION_SUPPLIES, "submit", by=C)
    portal.service.send("app-1", K.INSTALLATION_SUPPLIES, "accept", by=OP)
    assert status(portal, K.INSTALLATION_SUPPLIES) is S.ACCEPTED


def test_sub_3e_fault_contacts_need_the_first_contact(portal: Portal) -> None:
    portal.new_installation()
    with pytest.raises(ValidationError, match="first fault contact"):
        portal.service.send("app-1", K.FAULT_CONTACTS, "submit", by=C)
    portal.service.set_fault_contacts(
        "app-1",
        K.FAULT_CONTACTS,
        FaultContacts(first=CONTACT, reporting_hours="24時間365日"),
        by=C,
    )
    portal.service.send("app-1", K.FAULT_CONTACTS, "submit", by=C)
    assert status(portal, K.FAULT_CONTACTS) is S.SUBMITTED


def test_sub_3e_reporting_hours_are_refused_for_lite_menus(portal: Portal) -> None:
    portal.new_installation(menu=Menu.LITE, asps=[ASP.SDS])
    before = portal.snapshot()
    with pytest.raises(ValidationError, match="only for ベーシック") as raised:
        portal.service.set_fault_contacts(
            "app-1",
            K.FAULT_CONTACTS,
            FaultContacts(first=CONTACT, reporting_hours="24時間365日"),
            by=C,
        )
    assert raised.value.field == "reporting_hours"
    assert portal.snapshot() == before
    portal.service.set_fault_contacts("app-1", K.FAULT_CONTACTS, CONTACTS, by=C)


def test_sub_3e_a_change_date_belongs_to_a_fault_contact_change_only(portal: Portal) -> None:
    portal.new_installation()
    with pytest.raises(ValidationError, match="change date"):
        portal.service.set_fault_contacts(
            "app-1", K.FAULT_CONTACTS, CONTACTS, by=C, change_date=date(2025, 5, 1)
        )


def test_sub_3f_a_billing_correction_can_be_added_once(portal: Portal) -> None:
    portal.new_installation()
    portal.service.request_billing_correction("app-1", by=C)
    assert status(portal, K.BILLING_CORRECTION) is S.SUBMITTED
    with pytest.raises(ValidationError, match="already has a billing correction"):
        portal.service.request_billing_correction("app-1", by=C)
    portal.service.send("app-1", K.BILLING_CORRECTION, "withdraw", by=C)
    portal.service.send("app-1", K.BILLING_CORRECTION, "submit", by=C)
    portal.service.send("app-1", K.BILLING_CORRECTION, "start_review", by=OP)
    portal.service.send("app-1", K.BILLING_CORRECTION, "accept", by=OP)
    assert status(portal, K.BILLING_CORRECTION) is S.ACCEPTED


# -- SUB-10 in the application ---------------------------------------------------------------------


def schedule(*, converter: bool) -> ConstructionSchedule:
    def prefs(*days: date) -> tuple[Preference, ...]:
        return tuple(Preference(day=d, slot=Slot.PM) for d in days)

    return ConstructionSchedule(
        weekday_daytime=True,
        site_survey=prefs(date(2025, 5, 12), date(2025, 5, 13), date(2025, 5, 14)),
        line_work=prefs(date(2025, 6, 23), date(2025, 6, 24), date(2025, 6, 25)),
        converter=prefs(date(2025, 6, 30), date(2025, 7, 1), date(2025, 7, 2))
        if converter
        else None,
        router=prefs(date(2025, 7, 7), date(2025, 7, 8), date(2025, 7, 9)),
    )


def test_sub_10_the_schedule_must_match_the_menus_converter_step(portal: Portal) -> None:
    portal.new_installation()
    with pytest.raises(ValidationError, match="needs an optical access converter") as raised:
        portal.service.set_schedule("app-1", schedule(converter=False), by=C)
    assert raised.value.field == "converter"
    application = portal.service.set_schedule("app-1", schedule(converter=True), by=C)
    assert application.schedule is not None


def test_sub_10_an_after_hours_schedule_needs_an_after_hours_application(portal: Portal) -> None:
    portal.new_installation(weekday_daytime=False)
    with pytest.raises(ValidationError, match="weekday-daytime flag"):
        portal.service.set_schedule("app-1", schedule(converter=True), by=C)


# -- notifications ---------------------------------------------------------------------------------


def test_sub_3_the_customer_hears_of_every_operator_step(portal: Portal) -> None:
    from omakase_core.delivery import deliver_pending  # noqa: PLC0415
    from omakase_core.messages import NotificationSettings  # noqa: PLC0415
    from omakase_core.testing import RecordingNotifier  # noqa: PLC0415

    walk_to_under_review(portal)
    portal.service.send("app-1", K.APPLICATION_FORM, "send_back", by=OP, comment="社印が必要です")
    notifier = RecordingNotifier()
    settings = NotificationSettings(
        contractor_login_url="https://x.example.jp", first_login_url="https://y.example.jp"
    )
    deliver_pending(portal.outbox, notifier, clock=portal.clock, settings=settings)
    assert [m.subject for m in notifier.messages] == [
        "【Connecure】提出情報のステータス変更のお知らせ"
    ] * 2
    last = notifier.messages[-1]
    assert last.to == "it@example.co.jp"
    assert "「NTTデータにて申込内容確認中」から「差戻」" in last.body
    assert "社印が必要です" in last.body
    assert str(SITE) in last.body
    events = [
        r.event for r in portal.outbox.records() if isinstance(r.event, DocumentStatusChanged)
    ]
    assert [e.actor for e in events] == [Actor.CUSTOMER, Actor.OPERATOR, Actor.OPERATOR]
