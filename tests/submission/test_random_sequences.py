"""SUB-2/SUB-3 under random use: through the service, every step is the table's or changes nothing.

With every data guard satisfied up front (files uploaded, details and contacts given,
construction completed), a step by a random principal — the owning customer, another
customer, an operator, the system — on a random version — the one shown, none, a stale
one — must be accepted exactly when the principal may see the application (SEC-1), the
version is not stale (SEC-3) and the document's lifecycle table accepts the step for the
principal's actor (SUB-2); a refused step must leave the application and the outbox as
they were. (The engine itself is compared with python-statemachine in
``tests/lifecycle/test_differential.py`` for every registered lifecycle.)
"""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from omakase_core import OmakaseError, Principal
from omakase_core.submission import ASP, ChangeMenu, DocumentKind, Menu
from omakase_core.testing import UNKNOWN_EVENT
from tests.submission.conftest import CONTACTS, CUSTOMER, OPERATOR, OTHER_CUSTOMER, SITE, Portal

K = DocumentKind
C, OP = CUSTOMER, OPERATOR
EVENTS = sorted({row.event for kind in K for row in kind.lifecycle.transitions} | {UNKNOWN_EVENT})
SHIPPING = {
    "arrival_date": "2025-05-10",
    "arrival_time_slot": "AM",
    "postal_code": "1350061",
    "prefecture": "東京都",
    "city": "江東区",
    "street": "1-2-3",
    "floor": "10",
    "recipient": "豊洲太郎",
}
COMPANY = {
    "company_type": "株式会社",
    "company_name": "テスト",
    "company_name_kana": "テスト",
    "corporate_number": "0000000000000",
}

BILLING = {
    "payment_method": "銀行振込",
    "company_name": "株式会社豊洲",
    "contact_name": "豊洲太郎",
    "email": "billing@example.co.jp",
}


def prepared_new_installation(portal: Portal) -> None:
    portal.new_installation(menu=Menu.LITE_MINIMUM, asps=[ASP.SDS], billing_changed=True)
    service = portal.service
    service.upload("app-1", K.APPLICATION_FORM, "form.pdf", by=C)
    service.send("app-1", K.LAN_PARAMETERS, "publish_sheet", by=OP)
    service.upload("app-1", K.LAN_PARAMETERS, "sheet.xlsx", by=C)
    service.fill_in("app-1", K.SHIPPING_ADDRESS, SHIPPING, by=C)
    service.set_fault_contacts("app-1", K.FAULT_CONTACTS, CONTACTS, by=C)
    service.record_construction_completed("app-1", date(2025, 4, 1), by=OP)


def prepared_change(portal: Portal) -> None:
    portal.installed_site("site-1", name=SITE, menu=Menu.BASIC)
    portal.service.start_change(
        "app-1",
        by=C,
        site_id="site-1",
        change_menu=ChangeMenu.COMPANY_CHANGE,
        contact_email="it@example.co.jp",
        monthly_billing_change=True,
    )
    portal.service.fill_in("app-1", K.COMPANY_CHANGE, COMPANY, by=C)
    portal.service.fill_in("app-1", K.MONTHLY_BILLING_CHANGE, BILLING, by=C)
    portal.service.upload("app-1", K.COMPANY_CHANGE, "change-form.pdf", by=C)


NEW_KINDS = [
    K.APPLICATION_FORM,
    K.SHIPPING_ADDRESS,
    K.LAN_PARAMETERS,
    K.INSTALLATION_SUPPLIES,
    K.FAULT_CONTACTS,
    K.BILLING_CORRECTION,
]
CHANGE_KINDS = [K.COMPANY_CHANGE, K.MONTHLY_BILLING_CHANGE]


Step = tuple[DocumentKind, str, Principal, str]
"""A document, an event, who sends it, and which version the screen shows (SEC-3).

The version is ``"seen"`` (the stored one), ``"none"`` (not given) or ``"stale"`` (one behind).
"""


def random_steps(held: list[DocumentKind]) -> st.SearchStrategy[list[Step]]:
    """Return steps mostly on the application's own documents, by its owner and the operator."""
    kinds = st.one_of(st.sampled_from(held), st.sampled_from(list(K)))
    principals = st.one_of(
        st.sampled_from([C, OP]), st.sampled_from([OTHER_CUSTOMER, Principal.system()])
    )
    versions = st.sampled_from(["seen", "seen", "none", "stale"])
    return st.lists(st.tuples(kinds, st.sampled_from(EVENTS), principals, versions), max_size=60)


def run(portal: Portal, steps: list[Step]) -> None:
    held = {d.kind for d in portal.service.get("app-1", by=C).documents}
    for kind, event, by, shown in steps:
        before = portal.snapshot()
        version = before[0].version
        if kind in held and by != OTHER_CUSTOMER and shown != "stale":
            source = before[0].document(kind).status
            expected = kind.lifecycle.can_fire(source, event, actor=by.actor)
        else:
            expected = False
        comment = "内容をご確認ください" if event == "send_back" else None
        try:
            after = portal.service.send(
                "app-1",
                kind,
                event,
                by=by,
                comment=comment,
                expected_version={"seen": version, "none": None, "stale": version - 1}[shown],
            )
        except OmakaseError:
            assert not expected, (kind, event, by, shown)
            assert portal.snapshot() == before
            continue
        assert expected, (kind, event, by, shown)
        assert after.document(kind).status is kind.lifecycle.fire(source, event, actor=by.actor)
        assert after.version == version + 1


@settings(max_examples=80)
@given(random_steps(NEW_KINDS))
def test_sub_3_random_steps_on_a_new_installation_follow_the_tables(
    steps: list[Step],
) -> None:
    portal = Portal.fresh()
    prepared_new_installation(portal)
    run(portal, steps)


@settings(max_examples=80)
@given(random_steps(CHANGE_KINDS))
def test_sub_3_random_steps_on_a_change_application_follow_the_tables(
    steps: list[Step],
) -> None:
    portal = Portal.fresh()
    prepared_change(portal)
    run(portal, steps)
