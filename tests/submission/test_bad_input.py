"""SEC-2 in the submission domain: no fail-open values, and no raw exceptions for bad input.

Where a menu, an ASP, a change menu, a document kind, a status, a step, a slot or an actor
is expected, a plain string (its name or its value), its Japanese label, ``None`` or a
member of another enum is refused with a ``ValidationError`` naming the parameter. ``None``
where a collection is expected is refused the same way, never an ``AttributeError`` or a
``TypeError``; dates so late that a rule's arithmetic would leave the calendar are refused
too, never an ``OverflowError``. Every refusal changes nothing and its message shows at
most a short excerpt of the input.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import pytest

from omakase_core import Actor, OmakaseError, ValidationError
from omakase_core.calendar import JST, BusinessCalendar
from omakase_core.submission import (
    ASP,
    ChangeApplication,
    ChangeMenu,
    ConstructionSchedule,
    Document,
    DocumentKind,
    DocumentStatusChanged,
    Menu,
    Preference,
    Progress,
    ScheduleViolation,
    Slot,
    Step,
    SubmissionStatus,
    check_asp_selection,
    earliest_site_survey,
    entry_request_due,
    first_billing_month,
    portal_account_expired,
    portal_account_expires_at,
    validate_site_name,
)
from omakase_core.submission.machine import ApplicationFormChart, ShippingAddressChart
from tests.submission.conftest import CUSTOMER, SITE, Portal

if TYPE_CHECKING:
    from collections.abc import Callable

K = DocumentKind
S = SubmissionStatus
LATER = datetime(2025, 5, 1, 10, 0, tzinfo=JST)
HUGE = "x" * 1_000_000


def assert_refused(error: pytest.ExceptionInfo[ValidationError], field: str) -> None:
    assert error.value.field == field
    # a short excerpt of the input at most; an enum's refusal lists its values besides
    assert len(str(error.value)) < 400


# -- enums: document kind, menu, change menu, ASP -----------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        "installation_supplies",
        "INSTALLATION_SUPPLIES",
        K.INSTALLATION_SUPPLIES.label,
        None,
        ChangeMenu.COMPANY_CHANGE,
        Menu.BASIC,
        HUGE,
        ["installation_supplies"],
    ],
)
def test_sec_2_a_document_kind_must_be_a_member(portal: Portal, bad: Any) -> None:
    portal.new_installation()
    before = portal.snapshot()
    with pytest.raises(ValidationError) as raised:
        portal.service.send("app-1", bad, "submit", by=CUSTOMER)
    assert_refused(raised, "kind")
    with pytest.raises(ValidationError) as upload:
        portal.service.upload("app-1", bad, "x.pdf", by=CUSTOMER)
    assert_refused(upload, "kind")
    with pytest.raises(ValidationError) as details:
        portal.service.fill_in("app-1", bad, {"note": "x"}, by=CUSTOMER)
    assert_refused(details, "kind")
    assert portal.snapshot() == before


@pytest.mark.parametrize("bad", ["basic", "BASIC", "ベーシック", None, ChangeMenu.COMPANY_CHANGE])
def test_sec_2_a_menu_must_be_a_member(portal: Portal, bad: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        portal.new_installation(menu=bad)
    assert_refused(raised, "menu")
    with pytest.raises(ValidationError) as site:  # a change takes its menu from the site (SUB-5)
        portal.installed_site(menu=bad)
    assert_refused(site, "menu")
    with pytest.raises(ValidationError) as change:
        ChangeApplication.start(
            id="chg-1",
            customer_id="cust-1",
            site=SITE,
            menu=bad,
            change_menu=ChangeMenu.FAULT_CONTACT_CHANGE,
            contact_email="it@example.co.jp",
            created_at=LATER,
        )
    assert_refused(change, "menu")
    with pytest.raises(ValidationError) as rule:
        check_asp_selection(bad, [ASP.SDS], bandwidth_mbps=10)
    assert_refused(rule, "menu")
    assert len(portal.applications) == 0


@pytest.mark.parametrize(
    "bad", ["fault_contact_change", "故障連絡先変更", None, K.FAULT_CONTACT_CHANGE, Menu.BASIC]
)
def test_sec_2_a_change_menu_must_be_a_member(portal: Portal, bad: Any) -> None:
    portal.installed_site()
    before = portal.site_snapshot()
    with pytest.raises(ValidationError) as raised:
        portal.service.start_change(
            "chg-1",
            by=CUSTOMER,
            site_id="site-1",
            change_menu=bad,
            contact_email="it@example.co.jp",
        )
    assert_refused(raised, "change_menu")
    assert len(portal.applications) == 0
    assert portal.site_snapshot() == before


@pytest.mark.parametrize("bad", ["SDS", "フロントゲート", None, Menu.BASIC, HUGE, 1])
def test_sec_2_each_asp_must_be_a_catalogue_member(portal: Portal, bad: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        portal.new_installation(asps=[ASP.ZEDI, bad])
    assert_refused(raised, "asps")
    with pytest.raises(ValidationError) as site:
        portal.installed_site(asps=[ASP.ZEDI, bad])
    assert_refused(site, "asps")
    portal.installed_site()
    before = portal.site_snapshot()
    with pytest.raises(ValidationError) as change:
        portal.service.start_change(
            "chg-1",
            by=CUSTOMER,
            site_id="site-1",
            change_menu=ChangeMenu.CONFIGURATION_CHANGE,
            contact_email="it@example.co.jp",
            asp_change=[bad],
        )
    assert_refused(change, "asp_change")
    assert len(portal.applications) == 0
    assert portal.site_snapshot() == before


# -- enums in values: status, step, slot, and the events -----------------------------------------


@pytest.mark.parametrize("bad", ["submitted", "SUBMITTED", "提出済み", None, Actor.CUSTOMER, HUGE])
def test_sec_2_a_document_status_must_be_a_member(bad: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        Document(kind=K.APPLICATION_FORM, status=bad)
    assert_refused(raised, "status")


def test_sec_2_a_document_status_must_belong_to_its_kinds_lifecycle() -> None:
    assert Document(kind=K.SHIPPING_ADDRESS, status=S.SHIPPED).status is S.SHIPPED
    with pytest.raises(ValidationError) as raised:
        Document(kind=K.APPLICATION_FORM, status=S.SHIPPED)
    assert raised.value.field == "status"


@pytest.mark.parametrize("bad", ["application_form", None, ChangeMenu.COMPANY_CHANGE])
def test_sec_2_a_new_document_needs_a_kind(bad: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        Document.new(bad)
    assert_refused(raised, "kind")


@pytest.mark.parametrize("bad", ["site_survey", "現地調査", None, Slot.AM])
def test_sec_2_a_step_must_be_a_member(bad: Any) -> None:
    pm = Slot.PM

    def prefs(*days: date) -> tuple[Preference, ...]:
        return tuple(Preference(day=d, slot=pm) for d in days)

    schedule = ConstructionSchedule(
        weekday_daytime=True,
        site_survey=prefs(date(2025, 5, 12), date(2025, 5, 13), date(2025, 5, 14)),
        line_work=prefs(date(2025, 6, 23), date(2025, 6, 24), date(2025, 6, 25)),
        router=prefs(date(2025, 6, 30), date(2025, 7, 1), date(2025, 7, 2)),
    )
    for query in (schedule.earliest, schedule.latest, schedule.preferences):
        with pytest.raises(ValidationError) as raised:
            query(bad)
        assert_refused(raised, "step")
    with pytest.raises(ValidationError) as violation:
        ScheduleViolation(
            step=bad, preference=1, day=date(2025, 5, 1), earliest=date(2025, 5, 12), reason="x"
        )
    assert_refused(violation, "step")


@pytest.mark.parametrize("bad", ["AM", "am", Step.ROUTER, 1])
def test_sec_2_a_slot_must_be_a_member_or_none(bad: Any) -> None:
    assert Preference(day=date(2025, 5, 12)).slot is None
    with pytest.raises(ValidationError) as raised:
        Preference(day=date(2025, 5, 12), slot=bad)
    assert_refused(raised, "slot")


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("kind", "application_form"),
        ("source", "submitted"),
        ("target", None),
        ("actor", "customer"),
        ("actor", HUGE),
    ],
)
def test_sec_2_an_event_carries_members_only(field: str, bad: Any) -> None:
    values: dict[str, Any] = {
        "aggregate_id": "app-1",
        "version": 1,
        "occurred_at": LATER,
        "site": SITE,
        "contact_email": "it@example.co.jp",
        "kind": K.APPLICATION_FORM,
        "event": "submit",
        "source": S.SEALED_FORM_PENDING,
        "target": S.SUBMITTED,
        "actor": Actor.CUSTOMER,
    }
    DocumentStatusChanged(**values)
    with pytest.raises(ValidationError) as raised:
        DocumentStatusChanged(**{**values, field: bad})
    assert_refused(raised, field)


def test_sec_2_progress_lists_kinds_only() -> None:
    with pytest.raises(ValidationError) as raised:
        Progress(
            done=("application_form",),  # type: ignore[arg-type]  # the point: text, not a kind
            waiting_on_customer=(),
            waiting_on_operator=(),
        )
    assert_refused(raised, "done")


# -- actors on the aggregate: "customer" is not Actor.CUSTOMER ----------------------------------


@pytest.mark.parametrize("bad", ["customer", "operator", "お客様", None, HUGE])
def test_sec_2_an_aggregate_command_refuses_an_actor_that_is_not_a_member(
    portal: Portal, bad: Any
) -> None:
    """A plain "customer" used to pass as the customer (a StrEnum compares equal to it)."""
    application = portal.new_installation()
    commands: list[Callable[[], object]] = [
        lambda: application.send(K.INSTALLATION_SUPPLIES, "submit", actor=bad, at=LATER),
        lambda: application.upload(K.APPLICATION_FORM, "form.pdf", actor=bad, at=LATER),
        lambda: application.fill_in(K.INSTALLATION_SUPPLIES, {"a": "b"}, actor=bad, at=LATER),
        lambda: application.set_deadline(
            K.INSTALLATION_SUPPLIES, date(2025, 5, 9), actor=bad, at=LATER
        ),
    ]
    for command in commands:
        with pytest.raises(ValidationError) as raised:
            command()
        assert_refused(raised, "actor")


@pytest.mark.parametrize("bad", [None, 1, ("submit",), HUGE])
def test_sec_2_an_event_name_is_a_short_string(portal: Portal, bad: Any) -> None:
    portal.new_installation()
    before = portal.snapshot()
    with pytest.raises(ValidationError) as raised:
        portal.service.send("app-1", K.INSTALLATION_SUPPLIES, bad, by=CUSTOMER)
    assert_refused(raised, "event")
    assert portal.snapshot() == before


# -- None where a collection is expected --------------------------------------------------------


def test_sec_2_no_asps_is_refused_naming_asps(portal: Portal) -> None:
    for bad in (None, 5, "SDS"):
        with pytest.raises(ValidationError) as raised:
            portal.new_installation(asps=bad)
        assert_refused(raised, "asps")
        with pytest.raises(ValidationError) as rule:
            check_asp_selection(Menu.BASIC, bad, bandwidth_mbps=10)  # type: ignore[arg-type]
        assert_refused(rule, "asps")
    assert len(portal.applications) == 0


@pytest.mark.parametrize("bad", [None, 3, "", HUGE, ["site-1"]])
def test_sec_2_no_site_is_refused_naming_site(portal: Portal, bad: Any) -> None:
    """A new installation names its site; a change names a stored one (``site_id``, SUB-5)."""
    with pytest.raises(ValidationError) as raised:
        portal.new_installation(site=bad)
    assert_refused(raised, "site")
    with pytest.raises(ValidationError) as stored:
        portal.installed_site(name=bad)
    assert_refused(stored, "name")
    with pytest.raises(ValidationError) as change:
        portal.service.start_change(
            "chg-1",
            by=CUSTOMER,
            site_id=bad,
            change_menu=ChangeMenu.FAULT_CONTACT_CHANGE,
            contact_email="it@example.co.jp",
        )
    assert_refused(change, "site_id")
    with pytest.raises(ValidationError) as look_up:
        portal.service.get_site(bad, by=CUSTOMER)
    assert_refused(look_up, "site_id")
    assert len(portal.applications) == 0
    assert portal.site_snapshot() == []


@pytest.mark.parametrize(
    "bad", [None, [("company_abbrev", "X")], "company_abbrev", {}, {1: "x"}, {HUGE: "x"}]
)
def test_sec_2_details_must_be_a_mapping_of_names_to_text(portal: Portal, bad: Any) -> None:
    portal.installed_site()
    portal.service.start_change(
        "app-1",
        by=CUSTOMER,
        site_id="site-1",
        change_menu=ChangeMenu.SITE_NAME_CHANGE,
        contact_email="it@example.co.jp",
    )
    before = portal.snapshot()
    with pytest.raises(ValidationError) as raised:
        portal.service.fill_in("app-1", K.SITE_NAME_CHANGE, bad, by=CUSTOMER)
    assert_refused(raised, "details")
    assert portal.snapshot() == before


@pytest.mark.parametrize("bad", [None, 3, [3], [("NTT",)], [None]])
def test_sec_2_existing_site_names_must_be_a_collection_of_names(bad: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        validate_site_name("NTT", "豊洲", bad)
    assert_refused(raised, "existing")


# -- dates and numbers at the edge of the calendar -----------------------------------------------


def test_sec_2_the_earliest_site_survey_of_the_last_day_is_a_clear_error() -> None:
    """SUB-10's +40 days from date.max used to raise a raw OverflowError."""
    with pytest.raises(ValidationError) as raised:
        earliest_site_survey(date.max)
    assert isinstance(raised.value, OmakaseError)
    assert (raised.value.field, raised.value.rule) == ("today", "SUB-10")
    assert earliest_site_survey(date(9999, 11, 21)) == date(9999, 12, 31)


def test_sec_2_the_month_after_the_last_month_is_a_clear_error() -> None:
    with pytest.raises(ValidationError) as raised:
        first_billing_month(date(9999, 12, 1))
    assert (raised.value.field, raised.value.rule) == ("completed_on", "SUB-12")
    assert first_billing_month(date(9999, 11, 30)) == date(9999, 12, 1)


def test_sec_2_a_schedule_near_the_end_of_the_calendar_is_a_clear_error() -> None:
    late = tuple(Preference(day=date(9999, 12, 30), slot=Slot.AM) for _ in "123")
    with pytest.raises(ValidationError) as raised:
        ConstructionSchedule(
            weekday_daytime=False,
            site_survey=late,
            line_work=late,
            router=late,
        )
    # 40 days after the latest survey preference is past year 9999: named by that step
    assert (raised.value.field, raised.value.rule) == ("site_survey", "SUB-10")


def test_sec_2_a_bandwidth_too_large_for_a_float_is_refused(portal: Portal) -> None:
    with pytest.raises(ValidationError) as raised:
        portal.new_installation(bandwidth_mbps=10**400)
    assert_refused(raised, "bandwidth_mbps")


@pytest.mark.parametrize("bad", ["100", [], 0, -1, True])
def test_sec_2_a_bandwidth_given_without_an_asp_change_is_still_checked(
    portal: Portal, bad: Any
) -> None:
    """The service takes the site's bandwidth plan (SUB-5); the aggregate and the site check it."""
    with pytest.raises(ValidationError) as raised:
        ChangeApplication.start(
            id="chg-1",
            customer_id="cust-1",
            site=SITE,
            menu=Menu.BASIC,
            change_menu=ChangeMenu.FAULT_CONTACT_CHANGE,
            contact_email="it@example.co.jp",
            created_at=LATER,
            bandwidth_mbps=bad,
        )
    assert_refused(raised, "bandwidth_mbps")
    with pytest.raises(ValidationError) as site:
        portal.installed_site(bandwidth_mbps=bad)
    assert_refused(site, "bandwidth_mbps")
    assert portal.site_snapshot() == []


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_sec_2_a_bandwidth_must_be_a_finite_number(portal: Portal, bad: float) -> None:
    """SUB-14 (amended): numbers are finite; NaN used to pass every comparison."""
    with pytest.raises(ValidationError) as raised:
        portal.new_installation(asps=[ASP.ANSER_DATAPORT], bandwidth_mbps=bad)
    assert_refused(raised, "bandwidth_mbps")
    with pytest.raises(ValidationError) as rule:
        check_asp_selection(Menu.BASIC, [ASP.ANSER_DATAPORT, ASP.SDS], bandwidth_mbps=bad)
    assert_refused(rule, "bandwidth_mbps")
    assert len(portal.applications) == 0


@pytest.mark.parametrize("bad", [{"postal_code": "１３５-００６１"}, {"floor": "١"}])
def test_sec_2_details_with_foreign_digits_are_refused_and_change_nothing(
    portal: Portal, bad: dict[str, str]
) -> None:
    """SUB-14 (amended): a detail of a known format takes half-width ASCII digits only."""
    portal.new_installation()
    before = portal.snapshot()
    with pytest.raises(ValidationError) as raised:
        portal.service.fill_in("app-1", K.INSTALLATION_SUPPLIES, bad, by=CUSTOMER)
    assert_refused(raised, next(iter(bad)))  # SUB-14: the error names the detail
    assert portal.snapshot() == before


@pytest.mark.parametrize(
    ("enum_type", "bad"),
    [
        (Menu, "ベーシック"),
        (Menu, "BASIC"),
        (ASP, "ANSER_DATAPORT"),
        (Step, "現地調査"),
        (Slot, None),
        (DocumentKind, ["fault_contacts"]),
        (ChangeMenu, HUGE),
    ],
)
def test_sec_2_looking_an_enum_up_by_value_refuses_cleanly(enum_type: Any, bad: Any) -> None:
    """A label, a name, None, an unhashable or a 1 MB value is a ValidationError (SEC-2)."""
    with pytest.raises(ValidationError) as raised:
        enum_type(bad)
    assert_refused(raised, "value")
    assert Menu("basic") is Menu.BASIC
    assert ASP("SDS") is ASP.SDS


@pytest.mark.parametrize(
    ("field", "bad"),
    [("event", None), ("event", 3), ("comment", 3), ("contact_email", None)],
)
def test_sec_2_an_event_holds_text_where_text_belongs(field: str, bad: Any) -> None:
    values: dict[str, Any] = {
        "aggregate_id": "app-1",
        "version": 1,
        "occurred_at": datetime(2025, 4, 2, 10, 0, tzinfo=JST),
        "site": SITE,
        "contact_email": "it@example.co.jp",
        "kind": K.INSTALLATION_SUPPLIES,
        "event": "submit",
        "source": S.NOT_SUBMITTED,
        "target": S.SUBMITTED,
        "actor": Actor.CUSTOMER,
    }
    with pytest.raises(ValidationError) as raised:
        DocumentStatusChanged(**{**values, field: bad})
    assert_refused(raised, field)


@pytest.mark.parametrize(
    ("start_value", "field"),
    [
        ("submitted", "start_value"),  # a plain string is not a status (SEC-2)
        (S.SHIPPED, "start_value"),  # a status of another chart
        (Actor.CUSTOMER, "start_value"),
    ],
)
def test_sec_2_a_chart_starts_only_at_one_of_its_statuses(start_value: Any, field: str) -> None:
    assert ApplicationFormChart(start_value=S.SUBMITTED).current_state_value is S.SUBMITTED
    assert ShippingAddressChart(start_value=S.SHIPPED).current_state_value is S.SHIPPED
    with pytest.raises(ValidationError) as raised:
        ApplicationFormChart(start_value=start_value)
    assert_refused(raised, field)


def test_sec_2_the_rules_name_their_own_parameters() -> None:
    """Errors name the public parameter, not a helper's (``last_login``, not ``start``)."""
    naive = datetime(2025, 4, 2, 10, 0)  # noqa: DTZ001  # the point: a naive datetime
    with pytest.raises(OmakaseError) as expires:  # a NaiveDatetimeError (CAL-1)
        portal_account_expires_at(naive)
    assert getattr(expires.value, "field", None) == "last_login"
    with pytest.raises(ValidationError) as due:
        entry_request_due("2026-05-07", calendar=BusinessCalendar.japan())  # type: ignore[arg-type]
    assert due.value.field == "work_date"


def test_sec_2_an_accepted_application_still_checks_the_instants() -> None:
    """SUB-13: 承諾 expires the account, but a naive ``now`` is refused all the same (SEC-2)."""
    last_login = datetime(2025, 4, 2, 10, 0, tzinfo=JST)
    assert portal_account_expired(last_login=last_login, now=last_login, application_accepted=True)
    with pytest.raises(OmakaseError) as raised:  # a NaiveDatetimeError (CAL-1)
        portal_account_expired(
            last_login=last_login,
            now=datetime(2025, 4, 2, 10, 0),  # noqa: DTZ001  # the point: a naive datetime
            application_accepted=True,
        )
    assert getattr(raised.value, "field", None) == "now"


def test_sec_2_a_service_needs_real_ports(portal: Portal) -> None:
    from omakase_core.submission import SubmissionService  # noqa: PLC0415

    with pytest.raises(ValidationError) as repository:
        SubmissionService(applications=None, clock=portal.clock, sites=portal.sites)  # type: ignore[arg-type]
    assert repository.value.field == "applications"
    with pytest.raises(ValidationError) as clock:
        SubmissionService(applications=portal.applications, clock="now", sites=portal.sites)  # type: ignore[arg-type]
    assert clock.value.field == "clock"
