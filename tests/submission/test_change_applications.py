"""SUB-3 (g) … (i), SUB-4, SUB-5 and SUB-6: change applications after installation."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from omakase_core import InvalidTransition, ValidationError
from omakase_core.submission import (
    ASP,
    ChangeApplication,
    ChangeMenu,
    DocumentKind,
    Menu,
    SiteName,
    SubmissionStatus,
)
from tests.submission.conftest import CONTACTS, CUSTOMER, OPERATOR, SITE, Portal

K = DocumentKind
S = SubmissionStatus
C, OP = CUSTOMER, OPERATOR
BILLING = {
    "payment_method": "銀行振込",
    "company_name": "株式会社豊洲",
    "contact_name": "豊洲太郎",
    "email": "billing@example.co.jp",
}
"""What a billing change must carry before it is submitted (SUB-3(g))."""


@pytest.fixture(autouse=True)
def installed(portal: Portal) -> None:
    """Every change here is for ``site-1``: cust-1's installed ベーシック site ``SITE`` (SUB-5)."""
    portal.installed_site("site-1", name=SITE, menu=Menu.BASIC)


def start(
    portal: Portal, application_id: str, change: ChangeMenu, **options: Any
) -> ChangeApplication:
    return portal.service.start_change(
        application_id,
        by=options.pop("by", C),
        site_id=options.pop("site_id", "site-1"),
        change_menu=change,
        contact_email="it@example.co.jp",
        **options,
    )


@pytest.mark.parametrize(
    ("change", "kinds"),
    [
        (ChangeMenu.SITE_NAME_CHANGE, [K.SITE_NAME_CHANGE]),
        (ChangeMenu.COMPANY_CHANGE, [K.COMPANY_CHANGE]),
        (ChangeMenu.MONTHLY_BILLING_CHANGE, [K.MONTHLY_BILLING_CHANGE]),
        # 設定変更 carries its parameter sheet, like (c) (SUB-17)
        (ChangeMenu.CONFIGURATION_CHANGE, [K.CONFIGURATION_CHANGE, K.CHANGE_PARAMETER_SHEET]),
        (ChangeMenu.FAULT_CONTACT_CHANGE, [K.FAULT_CONTACT_CHANGE]),
    ],
)
def test_sub_4_the_five_portal_menus_start_with_their_document(
    portal: Portal, change: ChangeMenu, kinds: list[DocumentKind]
) -> None:
    application = start(portal, "chg-1", change)
    assert [d.kind for d in application.documents] == kinds
    assert change.accepted_through_portal


@pytest.mark.parametrize(
    "change", [ChangeMenu.MENU_CHANGE, ChangeMenu.LOCATION_CHANGE, ChangeMenu.CANCELLATION]
)
def test_sub_4_the_other_three_menus_go_through_sales(portal: Portal, change: ChangeMenu) -> None:
    with pytest.raises(ValidationError, match="Connecure営業窓口") as raised:
        start(portal, "chg-1", change)
    assert raised.value.rule == "SUB-4"
    assert change.label in str(raised.value)
    assert len(portal.applications) == 0


def test_sub_5_a_pending_site_name_change_locks_the_site(portal: Portal) -> None:
    start(portal, "chg-1", ChangeMenu.SITE_NAME_CHANGE)
    with pytest.raises(ValidationError, match="拠点名変更") as raised:
        start(portal, "chg-2", ChangeMenu.FAULT_CONTACT_CHANGE)
    assert raised.value.rule == "SUB-5"
    portal.installed_site("site-2", name=SiteName(company_abbrev="NTTデータ", location="三田"))
    start(portal, "chg-3", ChangeMenu.FAULT_CONTACT_CHANGE, site_id="site-2")  # another is free


def test_sub_5_the_lock_ends_with_acceptance(portal: Portal) -> None:
    start(portal, "chg-1", ChangeMenu.SITE_NAME_CHANGE)
    portal.service.fill_in(
        "chg-1", K.SITE_NAME_CHANGE, {"company_abbrev": "NTTD", "location": "豊洲"}, by=C
    )
    for event, actor in (("submit", C), ("start_review", OP), ("accept", OP)):
        portal.service.send("chg-1", K.SITE_NAME_CHANGE, event, by=actor)
    start(portal, "chg-2", ChangeMenu.FAULT_CONTACT_CHANGE)


def test_sub_7_a_new_site_name_must_be_valid_and_unique(portal: Portal) -> None:
    portal.new_installation("app-2", site=SiteName(company_abbrev="NTTデータ", location="三田"))
    start(portal, "chg-1", ChangeMenu.SITE_NAME_CHANGE)
    with pytest.raises(ValidationError, match="already used"):
        portal.service.fill_in(
            "chg-1",
            K.SITE_NAME_CHANGE,
            {"company_abbrev": "NTTデータ", "location": "三田"},
            by=C,
        )
    with pytest.raises(ValidationError, match="half-width"):
        portal.service.fill_in(
            "chg-1", K.SITE_NAME_CHANGE, {"company_abbrev": "ＮＴＴ", "location": "豊洲"}, by=C
        )


def test_sub_3g_a_site_name_change_needs_the_new_name_before_submitting(portal: Portal) -> None:
    start(portal, "chg-1", ChangeMenu.SITE_NAME_CHANGE)
    with pytest.raises(ValidationError, match="company_abbrev, location"):
        portal.service.send("chg-1", K.SITE_NAME_CHANGE, "submit", by=C)


def test_sub_3g_monthly_billing_change_can_be_withdrawn_and_returned(portal: Portal) -> None:
    start(portal, "chg-1", ChangeMenu.MONTHLY_BILLING_CHANGE)
    portal.service.fill_in("chg-1", K.MONTHLY_BILLING_CHANGE, BILLING, by=C)  # not empty
    for event, actor in (("submit", C), ("withdraw", C), ("submit", C), ("start_review", OP)):
        portal.service.send("chg-1", K.MONTHLY_BILLING_CHANGE, event, by=actor)
    portal.service.send(
        "chg-1",
        K.MONTHLY_BILLING_CHANGE,
        "send_back",
        by=OP,
        comment="口座名義を確認してください",
    )
    assert portal.service.get("chg-1", by=C).document(K.MONTHLY_BILLING_CHANGE).status is S.RETURNED


def test_sub_3h_company_change_needs_details_then_a_sealed_change_form(portal: Portal) -> None:
    start(portal, "chg-1", ChangeMenu.COMPANY_CHANGE)
    with pytest.raises(ValidationError, match="needs these details"):
        portal.service.send("chg-1", K.COMPANY_CHANGE, "complete_fields", by=C)
    portal.service.fill_in(
        "chg-1",
        K.COMPANY_CHANGE,
        {
            "company_type": "株式会社",
            "company_name": "エヌ・ティ・ティデータ",
            "company_name_kana": "エヌ・ティ・ティデータ",
            "corporate_number": "0000000000000",
        },
        by=C,
    )
    portal.service.send("chg-1", K.COMPANY_CHANGE, "complete_fields", by=C)
    assert (
        portal.service.get("chg-1", by=C).document(K.COMPANY_CHANGE).status
        is S.SEALED_CHANGE_FORM_PENDING
    )
    with pytest.raises(ValidationError, match="uploaded file"):
        portal.service.send("chg-1", K.COMPANY_CHANGE, "submit", by=C)
    portal.service.upload("chg-1", K.COMPANY_CHANGE, "変更申込書.pdf", by=C)
    for event, actor in (("submit", C), ("start_review", OP), ("receive", OP), ("accept", OP)):
        portal.service.send("chg-1", K.COMPANY_CHANGE, event, by=actor)
    document = portal.service.get("chg-1", by=C).document(K.COMPANY_CHANGE)
    assert document.acceptance_letter_available


def test_sub_3i_a_fault_contact_change_may_take_effect_on_a_date(portal: Portal) -> None:
    start(portal, "chg-1", ChangeMenu.FAULT_CONTACT_CHANGE)
    with pytest.raises(ValidationError, match="in the past"):
        portal.service.set_fault_contacts(
            "chg-1", K.FAULT_CONTACT_CHANGE, CONTACTS, by=C, change_date=date(2025, 4, 1)
        )
    portal.service.set_fault_contacts(
        "chg-1", K.FAULT_CONTACT_CHANGE, CONTACTS, by=C, change_date=date(2025, 5, 1)
    )
    document = portal.service.get("chg-1", by=C).document(K.FAULT_CONTACT_CHANGE)
    assert document.change_date == date(2025, 5, 1)
    portal.service.send("chg-1", K.FAULT_CONTACT_CHANGE, "submit", by=C)
    portal.service.send("chg-1", K.FAULT_CONTACT_CHANGE, "start_review", by=OP)
    with pytest.raises(InvalidTransition, match="cannot be edited"):
        portal.service.set_fault_contacts("chg-1", K.FAULT_CONTACT_CHANGE, CONTACTS, by=C)


def test_sub_6_configuration_change_options_add_their_documents(portal: Portal) -> None:
    application = start(
        portal,
        "chg-1",
        ChangeMenu.CONFIGURATION_CHANGE,
        asp_change=[ASP.OPENCANVAS_BUSINESS, ASP.SDS],
        fault_contact_change=True,
        one_time_fee_billing=True,
    )
    assert [d.kind for d in application.documents] == [
        K.CONFIGURATION_CHANGE,
        K.CHANGE_PARAMETER_SHEET,
        K.FAULT_CONTACT_CHANGE,
        K.ONE_TIME_FEE_BILLING,
    ]
    assert application.asps_after_change == (ASP.SDS, ASP.OPENCANVAS_BUSINESS)


def test_sub_6_the_asp_change_lists_every_asp_within_the_menus_limit(portal: Portal) -> None:
    """The limit is the stored site's menu's, the bandwidth its plan (SUB-5, SUB-9)."""
    lite = SiteName(company_abbrev="NTTデータ", location="三田")
    portal.installed_site("site-lite", name=lite, menu=Menu.LITE, asps=[ASP.SDS], bandwidth_mbps=10)
    with pytest.raises(ValidationError, match="1 to 2 ASPs"):
        start(
            portal,
            "chg-1",
            ChangeMenu.CONFIGURATION_CHANGE,
            site_id="site-lite",
            asp_change=[ASP.SDS, ASP.ZEDI, ASP.FRONTGATE],
        )
    with pytest.raises(ValidationError, match="AnserDATAPORT") as raised:  # site-1: 100M
        start(portal, "chg-1", ChangeMenu.CONFIGURATION_CHANGE, asp_change=[ASP.ANSER_DATAPORT])
    assert raised.value.field == "bandwidth_mbps"
    assert len(portal.applications) == 0


def test_sub_6_the_asp_choice_is_fixed_once_created(portal: Portal) -> None:
    application = start(portal, "chg-1", ChangeMenu.CONFIGURATION_CHANGE, asp_change=[ASP.SDS])
    with pytest.raises(AttributeError):
        application.asps_after_change = None  # type: ignore[misc]
    assert portal.service.get("chg-1", by=C).asps_after_change == (ASP.SDS,)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("change", "option"),
    [
        (ChangeMenu.SITE_NAME_CHANGE, {"fault_contact_change": True}),
        (ChangeMenu.FAULT_CONTACT_CHANGE, {"one_time_fee_billing": True}),
        (ChangeMenu.CONFIGURATION_CHANGE, {"monthly_billing_change": True}),
    ],
)
def test_sub_6_options_belong_to_their_menu(
    portal: Portal, change: ChangeMenu, option: dict[str, bool]
) -> None:
    with pytest.raises(ValidationError, match="is not an option") as raised:
        start(portal, "chg-1", change, **option)
    assert raised.value.rule == "SUB-6"


def test_sub_4_company_change_may_carry_a_monthly_billing_change(portal: Portal) -> None:
    application = start(portal, "chg-1", ChangeMenu.COMPANY_CHANGE, monthly_billing_change=True)
    assert [d.kind for d in application.documents] == [K.COMPANY_CHANGE, K.MONTHLY_BILLING_CHANGE]


def test_sub_8_a_change_application_is_not_a_new_installation(portal: Portal) -> None:
    start(portal, "chg-1", ChangeMenu.FAULT_CONTACT_CHANGE)
    with pytest.raises(ValidationError, match="not a new installation"):
        portal.service.request_billing_correction("chg-1", by=C)
