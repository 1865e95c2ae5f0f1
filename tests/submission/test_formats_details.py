"""SUB-14 field formats on what a customer fills in: every detail of every document kind.

A document takes the details ``DETAIL_NAMES`` lists for its kind (its required ones among
them); a name it does not take is refused naming ``details`` and the name (fail-closed),
and a value of the wrong format is refused naming the detail as ``field`` with SUB-14.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

import attrs
import pytest
from hypothesis import event as note_event
from hypothesis import given, settings
from hypothesis import strategies as st

from omakase_core.calendar import JST
from omakase_core.errors import ValidationError
from omakase_core.lifecycle import Actor
from omakase_core.submission import (
    ASP,
    Application,
    ChangeApplication,
    ChangeMenu,
    DocumentKind,
    Menu,
    NewInstallation,
)
from omakase_core.submission.model import DETAIL_NAMES, REQUIRED_DETAILS
from omakase_core.submission.rules import check_details, check_name_field
from tests.submission.conftest import CONTACT, CUSTOMER, OPERATOR, SITE, T0, Portal

K = DocumentKind
C = CUSTOMER
OP = OPERATOR
LATER = datetime(2025, 4, 3, 10, 0, tzinfo=JST)

COMPANY = {
    "company_type": "株式会社",
    "company_name": "エヌ・ティ・ティデータ",
    "company_name_kana": "エヌ・ティ・ティデータ",
    "corporate_number": "0000000000000",
}
"""The seed's 契約会社変更 (2-3), with a 13-digit 法人番号."""

VALID: dict[str, tuple[str, ...]] = {
    "arrival_date": ("2025-05-10",),
    "arrival_time_slot": ("AM", "PM"),
    "postal_code": ("1350061",),
    "prefecture": ("東京都", "北海道", "京都府"),
    "city": ("江東区豊洲", "Koto-ku"),
    "street": ("1-2-3", "12"),
    "building": ("豊洲ビル", "Toyosu Bldg."),
    "floor": ("10", "B1"),
    "recipient": ("豊洲太郎",),
    "room": ("サーバ室",),
    "phone": ("0312345678", "08012345678"),
    "rack_mount": ("要", "不要"),
    "lan_cable_main": ("5m (NTTデータにて手配)",),
    "lan_cable_backup": ("3m",),
    "lan_cable_between_routers": ("1m",),
    "ladder": ("脚立あり",),
    "company_type": ("株式会社",),
    "company_type_position": ("前", "後"),
    "company_name": ("株式会社豊洲", "NTTデータ", "A" * 48, "Ａ" * 24),
    "company_name_kana": ("エヌ・ティ・ティデータ", "ﾄﾖｽ"),
    "department": ("豊洲事業部",),
    "department_kana": ("トヨスジギョウブ",),
    "corporate_number": ("0000000000000",),
    "payment_method": ("自動口座振替", "銀行振込"),
    "bank_name": ("りそな",),
    "contact_name": ("豊洲太郎",),
    "email": ("billing@example.co.jp",),
    "company_abbrev": ("NTTD",),
    "location": ("品川",),
    "change_details": ("ZEDI の利用を終了",),
    "note": ("午前中に伺います",),
}
"""Values in the form each format stores them (so that stored means stored as given, trimmed)."""


def company_change(portal: Portal) -> None:
    portal.installed_site("site-1", name=SITE, menu=Menu.BASIC)
    portal.service.start_change(
        "chg-1",
        by=C,
        site_id="site-1",
        change_menu=ChangeMenu.COMPANY_CHANGE,
        contact_email="it@example.co.jp",
    )


def billing_change(portal: Portal) -> None:
    portal.installed_site("site-1", name=SITE, menu=Menu.BASIC)
    portal.service.start_change(
        "chg-1",
        by=C,
        site_id="site-1",
        change_menu=ChangeMenu.MONTHLY_BILLING_CHANGE,
        contact_email="it@example.co.jp",
    )


def test_sub_14_every_kind_declares_its_details_and_every_detail_has_a_format() -> None:
    assert set(DETAIL_NAMES) == set(DocumentKind)
    for kind, required in REQUIRED_DETAILS.items():
        assert set(required) <= DETAIL_NAMES[kind]
    assert set().union(*DETAIL_NAMES.values()) == set(VALID)


@pytest.mark.parametrize(
    ("detail", "value"),
    [
        ("company_name", "Ａ" * 200),
        ("company_name", "Ａ" * 25),
        ("company_name", "A" * 49),
        ("company_name_kana", "abc"),
        ("company_name_kana", "ア" * 25),
        ("company_name_kana", "ｱ" * 49),
        ("department", "部" * 25),
        ("corporate_number", "１２３４５６７８９０１２３"),
        ("company_type_position", "中"),
    ],
)
def test_sub_14_a_company_change_refuses_a_malformed_detail_naming_it(
    portal: Portal, detail: str, value: str
) -> None:
    company_change(portal)
    before = portal.snapshot("chg-1")
    with pytest.raises(ValidationError) as raised:
        portal.service.fill_in("chg-1", K.COMPANY_CHANGE, {**COMPANY, detail: value}, by=C)
    assert (raised.value.field, raised.value.rule) == (detail, "SUB-14")
    assert portal.snapshot("chg-1") == before


def test_sub_14_the_trial_s_company_change_never_reaches_acceptance(portal: Portal) -> None:
    company_change(portal)
    trial = {**COMPANY, "company_name": "Ａ" * 200, "company_name_kana": "abc"}
    with pytest.raises(ValidationError) as raised:
        portal.service.fill_in("chg-1", K.COMPANY_CHANGE, trial, by=C)
    assert raised.value.problem == "too_long"
    assert raised.value.limit == 24  # 会社名(全角、24文字以内)
    with pytest.raises(ValidationError):  # nothing was filled in: the details are missing
        portal.service.send("chg-1", K.COMPANY_CHANGE, "complete_fields", by=C)
    assert portal.applications.get("chg-1").document(K.COMPANY_CHANGE).details == {}


def test_sub_14_a_well_formed_company_change_goes_through_to_acceptance(portal: Portal) -> None:
    company_change(portal)
    service = portal.service
    service.fill_in("chg-1", K.COMPANY_CHANGE, COMPANY, by=C)
    service.send("chg-1", K.COMPANY_CHANGE, "complete_fields", by=C)
    service.upload("chg-1", K.COMPANY_CHANGE, "変更申込書.pdf", by=C)
    for event, by in (("submit", C), ("start_review", OP), ("receive", OP), ("accept", OP)):
        service.send("chg-1", K.COMPANY_CHANGE, event, by=by)
    document = portal.applications.get("chg-1").document(K.COMPANY_CHANGE)
    assert document.status.label == "承諾"
    assert document.details == COMPANY


@pytest.mark.parametrize(
    ("detail", "value", "problem"),
    [
        ("company_name", "Ａ" * 100, "too_long"),
        ("contact_name", "名" * 25, "too_long"),
        ("email", "billing@", "email"),
        ("payment_method", "現金", "choice"),
    ],
)
def test_sub_14_a_monthly_billing_change_refuses_a_malformed_detail(
    portal: Portal, detail: str, value: str, problem: str | None
) -> None:
    billing_change(portal)
    before = portal.snapshot("chg-1")
    with pytest.raises(ValidationError) as raised:
        portal.service.fill_in("chg-1", K.MONTHLY_BILLING_CHANGE, {detail: value}, by=C)
    assert (raised.value.field, raised.value.rule, raised.value.problem) == (
        detail,
        "SUB-14",
        problem,
    )
    assert portal.snapshot("chg-1") == before


@pytest.mark.parametrize("name", ["bogus", "phone", "company_name_kana", "floor"])
def test_sub_14_a_detail_the_document_does_not_take_is_refused_naming_it(
    portal: Portal, name: str
) -> None:
    billing_change(portal)
    before = portal.snapshot("chg-1")
    value = VALID.get(name, ("x",))[0]
    with pytest.raises(ValidationError) as raised:
        portal.service.fill_in("chg-1", K.MONTHLY_BILLING_CHANGE, {name: value}, by=C)
    assert (raised.value.field, raised.value.rule) == ("details", "SUB-14")
    assert repr(name) in str(raised.value)
    assert portal.snapshot("chg-1") == before


def test_sub_14_an_unknown_detail_name_is_shown_as_a_short_excerpt(portal: Portal) -> None:
    billing_change(portal)
    name = "x" * 50  # the longest name a detail may have
    with pytest.raises(ValidationError) as raised:
        portal.service.fill_in("chg-1", K.MONTHLY_BILLING_CHANGE, {name: "1"}, by=C)
    assert name not in str(raised.value)
    assert raised.value.field == "details"


@pytest.mark.parametrize(
    ("detail", "value", "problem", "limit"),
    [
        ("phone", "０３１２３４５６７８", "digits", 12),
        ("phone", "03-1234", "digits", 12),
        ("postal_code", "1350", "digits", 7),
        ("street", "１-２-３", "format", None),
        ("prefecture", "東京", "choice", None),
        ("rack_mount", "たぶん", "choice", None),
    ],
)
def test_sub_14_installation_details_are_checked_by_their_format(
    portal: Portal, detail: str, value: str, problem: str | None, limit: int | None
) -> None:
    portal.new_installation()
    before = portal.snapshot()
    with pytest.raises(ValidationError) as raised:
        portal.service.fill_in("app-1", K.INSTALLATION_SUPPLIES, {detail: value}, by=C)
    error = raised.value
    assert (error.field, error.rule, error.problem, error.limit) == (
        detail,
        "SUB-14",
        problem,
        limit,
    )
    assert portal.snapshot() == before


def test_sub_14_a_phone_detail_is_stored_as_its_digits(portal: Portal) -> None:
    portal.new_installation()
    portal.service.fill_in("app-1", K.INSTALLATION_SUPPLIES, {"phone": "03-1234-5678"}, by=C)
    details = portal.applications.get("app-1").document(K.INSTALLATION_SUPPLIES).details
    assert details == {"phone": "0312345678"}


def test_sub_14_details_stored_before_each_kind_had_its_own_still_load() -> None:
    """PORT-7: a document loaded from storage is checked as 0.1 stored it."""
    assert check_details({"bogus": "x", "company_name": "Ａ" * 30}) == {
        "bogus": "x",
        "company_name": "Ａ" * 30,
    }


def test_sub_14_check_details_refuses_a_kind_that_is_no_member() -> None:
    with pytest.raises(ValidationError) as raised:
        check_details({"note": "x"}, "company_change")  # type: ignore[arg-type]
    assert raised.value.field == "kind"


_NOISE: Final = ("bogus", "phone_number", "x1")
"""Names no document takes (``phone_number``, ``x1``) besides the ones some other kind takes."""


@st.composite
def _filled_in(draw: st.DrawFn) -> tuple[DocumentKind, dict[str, str]]:
    """Return a kind and details for it: mostly its own names, well-formed or random text."""
    kind = draw(st.sampled_from(EDITABLE))
    names = st.one_of(
        st.sampled_from(sorted(DETAIL_NAMES[kind])),
        st.sampled_from([*sorted(VALID), *_NOISE]),
    )
    chosen = draw(st.lists(names, min_size=1, max_size=4, unique=True))
    return kind, {
        name: draw(st.one_of(st.sampled_from(VALID.get(name, ("x",))), st.text(max_size=30)))
        for name in chosen
    }


def _holding(kind: DocumentKind) -> Application:
    """Return a fresh application that holds ``kind``'s document (SUB-4, SUB-6, SUB-8)."""
    installation = NewInstallation.create(
        id="app-1",
        customer_id="cust-1",
        site=SITE,
        menu=Menu.LITE_MINIMUM,
        asps=[ASP.SDS],
        bandwidth_mbps=1,
        weekday_daytime=True,
        contact_email="it@example.co.jp",
        created_at=T0,
        billing_changed=True,
    )
    changes = [
        ChangeApplication.start(
            id="chg-1",
            customer_id="cust-1",
            site=SITE,
            menu=Menu.LITE_MINIMUM,
            change_menu=menu,
            contact_email="it@example.co.jp",
            created_at=T0,
            one_time_fee_billing=menu is ChangeMenu.CONFIGURATION_CHANGE,
        )
        for menu in (
            ChangeMenu.SITE_NAME_CHANGE,
            ChangeMenu.COMPANY_CHANGE,
            ChangeMenu.MONTHLY_BILLING_CHANGE,
            ChangeMenu.CONFIGURATION_CHANGE,
            ChangeMenu.FAULT_CONTACT_CHANGE,
        )
    ]
    applications: list[Application] = [installation, *changes]
    return next(a for a in applications if kind in {d.kind for d in a.documents})


EDITABLE = [k for k in DocumentKind if _holding(k).document(k).waiting_on is Actor.CUSTOMER]
"""The kinds a customer may fill in as soon as their application starts."""


def test_sub_14_the_property_covers_the_kinds_that_take_details() -> None:
    assert {K.SHIPPING_ADDRESS, K.COMPANY_CHANGE, K.MONTHLY_BILLING_CHANGE} <= set(EDITABLE)


@settings(max_examples=300, deadline=None)
@given(filled_in=_filled_in())
def test_sub_14_random_details_are_refused_naming_a_key_or_stored_exactly(
    filled_in: tuple[DocumentKind, dict[str, str]],
) -> None:
    kind, details = filled_in
    application = _holding(kind)
    error: ValidationError | None = None
    try:
        filled = application.fill_in(kind, details, actor=Actor.CUSTOMER, at=LATER)
    except ValidationError as refused:
        error = refused
    note_event("refused" if error is not None else "stored")
    if error is not None and error.field == "details":  # a name the document does not take
        assert any(repr(name) in str(error) for name in details)
        return
    if error is not None:  # a malformed value, named as the field
        assert error.field in details
        assert error.rule in {"SUB-14", "SUB-7"}  # SUB-7: a part of a site name
        return
    assert set(details) <= DETAIL_NAMES[kind]
    assert filled.document(kind).details == {name: text.strip() for name, text in details.items()}


@pytest.mark.parametrize("value", ["A" * 49, "Ａ" * 25, "株" * 24 + "A"])
def test_sub_14_a_contact_s_company_is_at_most_48_half_or_24_full_width(value: str) -> None:
    with pytest.raises(ValidationError) as raised:
        check_name_field(value, "company")
    error = raised.value
    assert (error.field, error.rule, error.problem, error.limit) == (
        "company",
        "SUB-14",
        "too_long",
        24,
    )


@pytest.mark.parametrize("value", ["A" * 48, "Ａ" * 24, "株式会社豊洲", "NTTデータ"])
def test_sub_14_a_name_within_the_limit_is_accepted_as_given(value: str) -> None:
    assert check_name_field(value, "company") == value


@pytest.mark.parametrize(
    ("field", "value"),
    [("company", "A" * 49), ("department", "部" * 25), ("name", "名" * 25)],
)
def test_sub_14_a_fault_contact_s_names_are_at_most_48_half_or_24_full_width(
    field: str, value: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        attrs.evolve(CONTACT, **{field: value})
    error = raised.value
    assert (error.field, error.rule, error.problem, error.limit) == (
        field,
        "SUB-14",
        "too_long",
        24,
    )
    assert attrs.evolve(CONTACT, **{field: value[:-1]}).company  # one less fits
