"""Issue 15 §3: a Connecure refusal reads as Japanese (SUB-2, SUB-3, SUB-15, SUB-16, SEC-1).

A portal shows ``explain("ja")`` to its user. Each refusal below was seen, or is of the same
pattern as one seen, with a raw lifecycle (``submission.application_form``), a raw status
(``RECEIVED``, ``complete``) or a raw action id (``upload_files``) in the sentence; each now
names them by the portal's words.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import pytest

from omakase_core import InvalidTransition, OmakaseError, Principal
from omakase_core.submission import (
    ASP,
    ChangeMenu,
    DocumentKind,
    FaultContacts,
    Menu,
    SubmissionStatus,
)
from omakase_core.submission.model import SiteStatus
from tests.japanese import missing_words, raw_names_in, refusal_of
from tests.submission.conftest import CONTACT, Portal
from tests.submission.conftest import CUSTOMER as C
from tests.submission.conftest import OPERATOR as OP
from tests.submission.test_workflow import schedule

if TYPE_CHECKING:
    from collections.abc import Callable

K = DocumentKind
STATUS_NAMES = frozenset(
    status.name for statuses in (SubmissionStatus, SiteStatus) for status in statuses
)


def _received(portal: Portal) -> None:
    """Bring the sealed form (a) of app-1 to 受領, construction not yet recorded."""
    portal.new_installation()
    portal.service.set_schedule("app-1", schedule(), by=C)
    portal.service.upload("app-1", K.APPLICATION_FORM, "申込書.pdf", by=C)
    for event, by in (("submit", C), ("start_review", OP), ("receive", OP)):
        portal.service.send("app-1", K.APPLICATION_FORM, event, by=by)


def _form_accepted(portal: Portal) -> None:
    _received(portal)
    portal.clock.set(datetime(2025, 7, 10, 10, 0, tzinfo=UTC))
    portal.service.record_construction_completed("app-1", date(2025, 7, 9), by=OP)
    portal.service.send("app-1", K.APPLICATION_FORM, "accept", by=OP)


def _sheet_accepted(portal: Portal) -> None:
    _form_accepted(portal)
    portal.service.send("app-1", K.LAN_PARAMETERS, "publish_sheet", by=OP)
    portal.service.upload("app-1", K.LAN_PARAMETERS, "sheet.xlsx", by=C)
    for event, by in (("submit", C), ("start_review", OP), ("accept", OP)):
        portal.service.send("app-1", K.LAN_PARAMETERS, event, by=by)


def _complete(portal: Portal) -> None:
    _sheet_accepted(portal)
    for event, by in (("submit", C), ("accept", OP)):
        portal.service.send("app-1", K.INSTALLATION_SUPPLIES, event, by=by)
    portal.service.set_fault_contacts("app-1", K.FAULT_CONTACTS, FaultContacts(first=CONTACT), by=C)
    for event, by in (("submit", C), ("start_review", OP), ("accept", OP)):
        portal.service.send("app-1", K.FAULT_CONTACTS, event, by=by)


def _configuration_change_received(portal: Portal) -> None:
    portal.installed_site()
    portal.service.start_change(
        "chg-1",
        site_id="site-1",
        change_menu=ChangeMenu.CONFIGURATION_CHANGE,
        contact_email="it@example.co.jp",
        by=C,
    )
    portal.service.fill_in("chg-1", K.CONFIGURATION_CHANGE, {"change_details": "DNS変更"}, by=C)
    portal.service.send("chg-1", K.CONFIGURATION_CHANGE, "complete_fields", by=C)
    portal.service.upload("chg-1", K.CONFIGURATION_CHANGE, "変更申込書.pdf", by=C)
    for event, by in (("submit", C), ("start_review", OP), ("receive", OP)):
        portal.service.send("chg-1", K.CONFIGURATION_CHANGE, event, by=by)


Refusal = tuple[
    "Callable[[Portal], object]",  # bring the application to where the refusal happens
    "Callable[[Portal], object]",  # the refused command
    tuple[str, ...],  # words the Japanese sentence holds
]

REFUSALS: dict[str, Refusal] = {
    "sub_3_accept_before_construction": (
        _received,
        lambda p: p.service.send("app-1", K.APPLICATION_FORM, "accept", by=OP),
        ("申込情報（押印済み利用申込書）", "「受領」", "「承諾」", "工事の完了を記録してから"),
    ),
    "sub_17_accept_before_construction": (
        _configuration_change_received,
        lambda p: p.service.send("chg-1", K.CONFIGURATION_CHANGE, "accept", by=OP),
        ("設定変更の申込情報", "「受領」", "「承諾」", "工事の完了を記録してから"),
    ),
    "sub_3_c_upload_after_acceptance": (
        _sheet_accepted,
        lambda p: p.service.upload("app-1", K.LAN_PARAMETERS, "new.xlsx", by=C),
        ("お客様LAN側のパラメータ情報", "「承諾」", "Connecure営業窓口"),
    ),
    "sub_3_c_submit_after_acceptance": (
        _sheet_accepted,
        lambda p: p.service.send("app-1", K.LAN_PARAMETERS, "submit", by=C),
        ("お客様LAN側のパラメータ情報", "「承諾」", "「提出」", "Connecure営業窓口"),
    ),
    "sub_3_not_editable_while_submitted": (
        _received,
        lambda p: p.service.upload("app-1", K.APPLICATION_FORM, "again.pdf", by=C),
        ("申込情報（押印済み利用申込書）", "「受領」", "アップロード"),
    ),
    "sub_3_an_event_the_status_does_not_allow": (
        lambda p: p.new_installation(),
        lambda p: p.service.send("app-1", K.APPLICATION_FORM, "accept", by=OP),
        ("申込情報（押印済み利用申込書）", "「押印済み利用申込書未提出」", "「承諾」"),
    ),
    "sub_2_the_operator_may_not_submit": (
        lambda p: p.new_installation(),
        lambda p: p.service.send("app-1", K.APPLICATION_FORM, "submit", by=OP),
        ("オペレーター", "「押印済み利用申込書未提出」", "「提出」"),
    ),
    "sub_2_the_operator_may_not_upload": (
        lambda p: p.new_installation(),
        lambda p: p.service.upload("app-1", K.APPLICATION_FORM, "x.pdf", by=OP),
        ("「押印済み利用申込書未提出」", "「ファイルのアップロード」"),
    ),
    "sub_2_the_operator_may_not_fill_in": (
        lambda p: p.new_installation(menu=Menu.LITE_MINIMUM),
        lambda p: p.service.fill_in("app-1", K.SHIPPING_ADDRESS, {"city": "江東区"}, by=OP),
        ("「未提出」", "「項目の入力」"),
    ),
    "sub_2_the_operator_may_not_give_fault_contacts": (
        lambda p: p.new_installation(),
        lambda p: p.service.set_fault_contacts(
            "app-1", K.FAULT_CONTACTS, FaultContacts(first=CONTACT), by=OP
        ),
        ("「未提出」", "「故障連絡先の入力」"),
    ),
    "sub_2_the_operator_may_not_give_construction_dates": (
        lambda p: p.new_installation(),
        lambda p: p.service.set_schedule("app-1", schedule(), by=OP),
        ("「工事希望日の入力」",),
    ),
    "sub_2_the_operator_may_not_ask_for_a_billing_correction": (
        lambda p: p.new_installation(),
        lambda p: p.service.request_billing_correction("app-1", by=OP),
        ("「請求情報の修正」",),
    ),
    "sub_2_the_customer_may_not_set_a_deadline": (
        lambda p: p.new_installation(),
        lambda p: p.service.set_deadline("app-1", K.FAULT_CONTACTS, date(2025, 5, 1), by=C),
        ("お客さま", "「未提出」", "「期限の設定」"),
    ),
    "sub_2_the_customer_may_not_record_construction": (
        lambda p: p.new_installation(),
        lambda p: p.service.record_construction_completed("app-1", date(2025, 4, 1), by=C),
        ("「工事完了の記録」",),
    ),
    "sub_15_construction_dates_after_acceptance": (
        _form_accepted,
        lambda p: p.service.set_schedule("app-1", schedule(), by=C),
        ("申込情報（押印済み利用申込書）", "「承諾」", "「工事希望日の入力」", "工事日程"),
    ),
    "sub_15_a_complete_application": (
        _complete,
        lambda p: p.service.set_deadline("app-1", K.FAULT_CONTACTS, date(2025, 8, 1), by=OP),
        ("申込", "「完了」", "手続きが完了した申込"),
    ),
    "sub_16_the_customer_may_not_close_under_review": (
        _received,
        lambda p: p.service.close("app-1", by=C),
        ("申込情報（押印済み利用申込書）", "「受領」", "「申込の終了」", "NTTデータに依頼"),
    ),
    "sub_16_a_closed_application": (
        lambda p: (p.new_installation(), p.service.close("app-1", by=C)),
        lambda p: p.service.upload("app-1", K.APPLICATION_FORM, "x.pdf", by=C),
        ("申込", "「取消済み」", "取り消した申込"),
    ),
    "sec_1_a_customer_creates_for_another_customer": (
        lambda p: None,
        lambda p: p.service.create_new_installation(
            "app-9",
            by=C,
            customer_id="cust-2",
            site=p.installed_site().name,
            menu=Menu.BASIC,
            asps=[ASP.SDS],
            bandwidth_mbps=100,
            weekday_daytime=True,
            contact_email="it@example.co.jp",
        ),
        ("「新設の申込」",),
    ),
    "sec_1_a_contractor_starts_a_change": (
        lambda p: p.installed_site(),
        lambda p: p.service.start_change(
            "chg-1",
            site_id="site-1",
            change_menu=ChangeMenu.SITE_NAME_CHANGE,
            contact_email="it@example.co.jp",
            by=Principal.contractor("cust-1"),
        ),
        ("契約者", "「変更の開始」"),
    ),
    "sec_1_a_customer_sweeps": (
        lambda p: None,
        lambda p: p.service.apply_due(datetime(2025, 5, 1, tzinfo=UTC), by=C),
        ("お客さま", "「期日の処理」"),
    ),
}


def _refusal(portal: Portal, name: str) -> OmakaseError:
    arrange, command, _ = REFUSALS[name]
    return refusal_of(portal, arrange, command)


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_issue_15_a_connecure_refusal_names_no_identifier_and_no_status_name(
    portal: Portal, name: str
) -> None:
    assert raw_names_in(_refusal(portal, name).explain("ja"), STATUS_NAMES) == []


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_issue_15_a_connecure_refusal_uses_the_portal_s_words(portal: Portal, name: str) -> None:
    assert missing_words(_refusal(portal, name).explain("ja"), REFUSALS[name][2]) == []


def test_sub_3_accepting_before_construction_is_refused_with_the_form_s_status_label(
    portal: Portal,
) -> None:
    error = _refusal(portal, "sub_3_accept_before_construction")
    assert isinstance(error, InvalidTransition)
    assert (error.state, error.state_label) == ("RECEIVED", "受領")
    assert error.explain("ja") == (
        "SUB-3（申込の流れ）: 申込情報（押印済み利用申込書）が「受領」の状態では、"
        "操作「承諾」はできません。承諾は工事の完了が記録された後にできます。"
        "工事の完了を記録してから承諾してください。"
    )


GUARDS = [
    "sub_3_accept_before_construction",
    "sub_17_accept_before_construction",
    "sub_3_c_upload_after_acceptance",
    "sub_3_c_submit_after_acceptance",
    "sub_15_construction_dates_after_acceptance",
    "sub_15_a_complete_application",
    "sub_16_the_customer_may_not_close_under_review",
    "sub_16_a_closed_application",
]
"""Refusals by a guard with a reason of its own, not by a status that has moved on."""


@pytest.mark.parametrize("name", GUARDS)
def test_issue_15_a_guard_s_refusal_says_why_instead_of_asking_to_reload(
    portal: Portal, name: str
) -> None:
    error = _refusal(portal, name)
    assert isinstance(error, InvalidTransition)
    assert error.reason is not None
    assert "再読み込み" not in error.explain("ja")


def test_issue_15_a_status_that_does_not_allow_the_event_still_asks_to_reload(
    portal: Portal,
) -> None:
    error = _refusal(portal, "sub_3_an_event_the_status_does_not_allow")
    assert "画面を再読み込みして" in error.explain("ja")
