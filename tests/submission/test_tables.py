"""SUB-1 … SUB-3: every registered submission table equals the rulebook, written out as data."""

from __future__ import annotations

import pytest

from omakase_core import LIFECYCLES, Actor, Transition
from omakase_core.submission import SITE_LIFECYCLE, SiteStatus, SubmissionStatus

S = SubmissionStatus
C, OP, SYS = Actor.CUSTOMER, Actor.OPERATOR, Actor.SYSTEM

# (source, event, actor, target) — SUB-3's paragraphs, one by one.
A = {  # (a) sealed application form
    (S.SEALED_FORM_PENDING, "submit", C, S.SUBMITTED),
    (S.SUBMITTED, "start_review", OP, S.UNDER_REVIEW),
    (S.UNDER_REVIEW, "send_back", OP, S.RETURNED),
    (S.UNDER_REVIEW, "receive", OP, S.RECEIVED),
    (S.RECEIVED, "accept", OP, S.ACCEPTED),
    (S.SUBMITTED, "withdraw", C, S.WITHDRAWN),
    (S.UNDER_REVIEW, "withdraw", C, S.WITHDRAWN),
    (S.WITHDRAWN, "submit", C, S.SUBMITTED),
    (S.RETURNED, "submit", C, S.SUBMITTED),
}
E = {  # (e) fault contacts: (b) without 発送済
    (S.NOT_SUBMITTED, "submit", C, S.SUBMITTED),
    (S.SUBMITTED, "unsubmit", C, S.NOT_SUBMITTED),
    (S.SUBMITTED, "start_review", OP, S.UNDER_REVIEW),
    (S.UNDER_REVIEW, "request_withdrawal", C, S.WITHDRAWAL_REQUESTED),
    (S.WITHDRAWAL_REQUESTED, "confirm_withdrawal", OP, S.NOT_SUBMITTED),
    (S.UNDER_REVIEW, "send_back", OP, S.RETURNED),
    (S.UNDER_REVIEW, "accept", OP, S.ACCEPTED),
    (S.RETURNED, "submit", C, S.SUBMITTED),
}
B = E | {(S.ACCEPTED, "ship", OP, S.SHIPPED)}  # (b) shipping address
CC = E | {(S.SHEET_IN_PREPARATION, "publish_sheet", OP, S.NOT_SUBMITTED)}  # (c) LAN parameters
D = {  # (d) installation supplies
    (S.NOT_SUBMITTED, "submit", C, S.SUBMITTED),
    (S.SUBMITTED, "unsubmit", C, S.NOT_SUBMITTED),
    (S.SUBMITTED, "accept", OP, S.ACCEPTED),
}
F = {  # (f) billing correction
    (S.SUBMITTED, "start_review", OP, S.UNDER_REVIEW),
    (S.UNDER_REVIEW, "accept", OP, S.ACCEPTED),
    (S.SUBMITTED, "withdraw", C, S.WITHDRAWN),
    (S.UNDER_REVIEW, "withdraw", C, S.WITHDRAWN),
    (S.WITHDRAWN, "submit", C, S.SUBMITTED),
}
G = {  # (g) site name change, monthly billing change
    (S.NOT_SUBMITTED, "submit", C, S.SUBMITTED),
    (S.SUBMITTED, "start_review", OP, S.UNDER_REVIEW),
    (S.UNDER_REVIEW, "send_back", OP, S.RETURNED),
    (S.UNDER_REVIEW, "accept", OP, S.ACCEPTED),
    (S.SUBMITTED, "withdraw", C, S.WITHDRAWN),
    (S.UNDER_REVIEW, "withdraw", C, S.WITHDRAWN),
    (S.WITHDRAWN, "submit", C, S.SUBMITTED),
    (S.RETURNED, "submit", C, S.SUBMITTED),
}
H = {  # (h) company change, configuration change: then as (a)
    (S.NOT_SUBMITTED, "complete_fields", C, S.SEALED_CHANGE_FORM_PENDING),
    (S.SEALED_CHANGE_FORM_PENDING, "submit", C, S.SUBMITTED),
    *(row for row in A if row[0] is not S.SEALED_FORM_PENDING),
}

SUB_3 = {
    "submission.application_form": (S.SEALED_FORM_PENDING, A, {S.ACCEPTED}),
    "submission.shipping_address": (S.NOT_SUBMITTED, B, {S.SHIPPED}),
    "submission.lan_parameters": (S.SHEET_IN_PREPARATION, CC, {S.ACCEPTED}),
    "submission.installation_supplies": (S.NOT_SUBMITTED, D, {S.ACCEPTED}),
    "submission.fault_contacts": (S.NOT_SUBMITTED, E, {S.ACCEPTED}),
    "submission.billing_correction": (S.SUBMITTED, F, {S.ACCEPTED}),
    "submission.site_name_change": (S.NOT_SUBMITTED, G, {S.ACCEPTED}),
    "submission.monthly_billing_change": (S.NOT_SUBMITTED, G, {S.ACCEPTED}),
    "submission.company_change": (S.NOT_SUBMITTED, H, {S.ACCEPTED}),
    "submission.configuration_change": (S.NOT_SUBMITTED, H, {S.ACCEPTED}),
    "submission.fault_contact_change": (S.NOT_SUBMITTED, E, {S.ACCEPTED}),
}


def test_sub_1_twelve_statuses_with_the_portals_labels() -> None:
    assert {s.name: s.label for s in S} == {
        "NOT_SUBMITTED": "未提出",
        "SEALED_FORM_PENDING": "押印済み利用申込書未提出",
        "SEALED_CHANGE_FORM_PENDING": "押印済変更申込書未提出",
        "SHEET_IN_PREPARATION": "NTTデータにてパラメータシート準備中",
        "SUBMITTED": "提出済み",
        "UNDER_REVIEW": "NTTデータにて申込内容確認中",
        "WITHDRAWN": "取下げ",
        "WITHDRAWAL_REQUESTED": "取下げ依頼中",
        "RETURNED": "差戻",
        "RECEIVED": "受領",
        "ACCEPTED": "承諾",
        "SHIPPED": "発送済",
    }
    assert S.UNDER_REVIEW.label == "NTTデータにて申込内容確認中"


SITE = {  # SUB-5: the installed site, locked while a 拠点名変更 is open; the library's moves
    (SiteStatus.IN_SERVICE, "start_rename", SYS, SiteStatus.RENAMING),
    (SiteStatus.RENAMING, "rename", SYS, SiteStatus.IN_SERVICE),
    (SiteStatus.RENAMING, "close_rename", SYS, SiteStatus.IN_SERVICE),
}


def test_sub_3_exactly_the_eleven_submission_lifecycles_are_registered() -> None:
    """The eleven document charts of SUB-3, and the installed site's chart of SUB-5."""
    registered = {name for name in LIFECYCLES if name.startswith("submission.")}
    assert registered == {*SUB_3, "submission.site"}


def test_sub_5_the_site_chart_is_the_systems_alone() -> None:
    lifecycle = LIFECYCLES["submission.site"]
    assert lifecycle is SITE_LIFECYCLE
    assert lifecycle.initial is SiteStatus.IN_SERVICE
    assert lifecycle.transitions == {
        Transition(source=source, target=target, event=event, actor=actor)
        for source, event, actor, target in SITE
    }
    assert {s.name: s.label for s in SiteStatus} == {
        "IN_SERVICE": "利用中",
        "RENAMING": "拠点名変更中",
    }


@pytest.mark.parametrize("name", sorted(SUB_3))
def test_sub_3_each_table_equals_its_paragraph(name: str) -> None:
    initial, rows, final = SUB_3[name]
    lifecycle = LIFECYCLES[name]
    assert lifecycle.initial is initial
    assert lifecycle.final == final
    assert lifecycle.transitions == {
        Transition(source=source, target=target, event=event, actor=actor)
        for source, event, actor, target in rows
    }


@pytest.mark.parametrize("name", sorted(SUB_3))
def test_sub_2_every_transition_is_the_customers_or_the_operators(name: str) -> None:
    assert {row.actor for row in LIFECYCLES[name].transitions} <= {C, OP}
