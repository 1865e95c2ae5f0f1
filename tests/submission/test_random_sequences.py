"""SUB-2/SUB-3 under random use: through the service, every step is the table's or changes nothing.

With every data guard satisfied up front (files uploaded, details and contacts given,
construction completed), a step must be accepted exactly when the document's lifecycle
table accepts it, and a refused step must leave the application and the outbox as they
were. (The engine itself is compared with python-statemachine in
``tests/lifecycle/test_differential.py`` for every registered lifecycle.)
"""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from omakase_core import Actor, OmakaseError
from omakase_core.submission import ASP, ChangeMenu, DocumentKind, Menu
from omakase_core.testing import UNKNOWN_EVENT
from tests.submission.conftest import CONTACTS, SITE, Portal

K = DocumentKind
C, OP = Actor.CUSTOMER, Actor.OPERATOR
EVENTS = sorted({row.event for kind in K for row in kind.lifecycle.transitions} | {UNKNOWN_EVENT})
SHIPPING = {
    "arrival_date": "2025-05-10 AM",
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


def prepared_new_installation(portal: Portal) -> None:
    portal.new_installation(menu=Menu.LITE_MINIMUM, asps=[ASP.SDS], billing_changed=True)
    service = portal.service
    service.upload("app-1", K.APPLICATION_FORM, "form.pdf", actor=C)
    service.send("app-1", K.LAN_PARAMETERS, "publish_sheet", actor=OP)
    service.upload("app-1", K.LAN_PARAMETERS, "sheet.xlsx", actor=C)
    service.fill_in("app-1", K.SHIPPING_ADDRESS, SHIPPING, actor=C)
    service.set_fault_contacts("app-1", K.FAULT_CONTACTS, CONTACTS, actor=C)
    service.record_construction_completed("app-1", date(2025, 4, 1), actor=OP)


def prepared_change(portal: Portal) -> None:
    portal.service.start_change(
        "app-1",
        customer_id="cust-1",
        site=SITE,
        menu=Menu.BASIC,
        change_menu=ChangeMenu.COMPANY_CHANGE,
        contact_email="it@example.co.jp",
        monthly_billing_change=True,
    )
    portal.service.fill_in("app-1", K.COMPANY_CHANGE, COMPANY, actor=C)
    portal.service.upload("app-1", K.COMPANY_CHANGE, "change-form.pdf", actor=C)


NEW_KINDS = [
    K.APPLICATION_FORM,
    K.SHIPPING_ADDRESS,
    K.LAN_PARAMETERS,
    K.INSTALLATION_SUPPLIES,
    K.FAULT_CONTACTS,
    K.BILLING_CORRECTION,
]
CHANGE_KINDS = [K.COMPANY_CHANGE, K.MONTHLY_BILLING_CHANGE]


def random_steps(
    held: list[DocumentKind],
) -> st.SearchStrategy[list[tuple[DocumentKind, str, Actor]]]:
    """Return steps mostly on the application's own documents, by its two actors."""
    kinds = st.one_of(st.sampled_from(held), st.sampled_from(list(K)))
    actors = st.one_of(st.sampled_from([C, OP]), st.just(Actor.SYSTEM))
    return st.lists(st.tuples(kinds, st.sampled_from(EVENTS), actors), max_size=60)


def run(portal: Portal, steps: list[tuple[DocumentKind, str, Actor]]) -> None:
    held = {d.kind for d in portal.service.get("app-1").documents}
    for kind, event, actor in steps:
        before = portal.snapshot()
        if kind in held:
            source = before[0].document(kind).status
            expected = kind.lifecycle.can_fire(source, event, actor=actor)
        else:
            expected = False
        comment = "内容をご確認ください" if event == "send_back" else None
        try:
            after = portal.service.send("app-1", kind, event, actor=actor, comment=comment)
        except OmakaseError:
            assert not expected, (kind, event, actor)
            assert portal.snapshot() == before
            continue
        assert expected, (kind, event, actor)
        assert after.document(kind).status is kind.lifecycle.fire(source, event, actor=actor)
        assert after.version == before[0].version + 1


@settings(max_examples=80)
@given(random_steps(NEW_KINDS))
def test_sub_3_random_steps_on_a_new_installation_follow_the_tables(
    steps: list[tuple[DocumentKind, str, Actor]],
) -> None:
    portal = Portal.fresh()
    prepared_new_installation(portal)
    run(portal, steps)


@settings(max_examples=80)
@given(random_steps(CHANGE_KINDS))
def test_sub_3_random_steps_on_a_change_application_follow_the_tables(
    steps: list[tuple[DocumentKind, str, Actor]],
) -> None:
    portal = Portal.fresh()
    prepared_change(portal)
    run(portal, steps)
