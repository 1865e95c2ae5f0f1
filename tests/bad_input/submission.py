"""Valid calls of the submission domain's public callables: the baselines of SEC-2.

One :class:`~tests.bad_input.spec.Case` per public callable of ``omakase_core.submission``
(the enums' look-ups, the values, the events, the aggregates' constructors and commands,
the rules, the service's commands and look-ups) and of the in-memory application
repository. Service and aggregate cases build fresh in-memory ports and a fresh
application for every call (:class:`~tests.bad_input.spec.Lazy`, ``instance=``), so no bad
value leaks into the next one.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from typing import Any

import attrs

from omakase_core import Actor, Principal
from omakase_core.calendar import JST, BusinessCalendar
from omakase_core.submission import (
    ASP,
    Application,
    ApplicationEvent,
    ChangeApplication,
    ChangeMenu,
    ConstructionCompleted,
    ConstructionSchedule,
    Contact,
    DeadlineSet,
    Document,
    DocumentAdded,
    DocumentDetailsUpdated,
    DocumentKind,
    DocumentStatusChanged,
    FaultContacts,
    FileUploaded,
    Menu,
    NewInstallation,
    Preference,
    Progress,
    ScheduledFaultContacts,
    ScheduleError,
    ScheduleSet,
    ScheduleViolation,
    Site,
    SiteAspsChanged,
    SiteChangeStarted,
    SiteChart,
    SiteEvent,
    SiteFaultContactsChanged,
    SiteFaultContactsScheduled,
    SiteInstalled,
    SiteName,
    SiteRenameClosed,
    SiteRenamed,
    SiteStatus,
    SiteSweepReport,
    Slot,
    Step,
    SubmissionService,
    SubmissionStatus,
    UploadedFile,
    check_asp_selection,
    earliest_site_survey,
    entry_request_due,
    first_billing_month,
    monthly_asp_option_fee,
    parameter_sheet_filename,
    portal_account_expired,
    portal_account_expires_at,
    validate_company_name_full,
    validate_company_name_half,
    validate_contractor_name_full_kana,
    validate_contractor_name_half_kana,
    validate_department_full,
    validate_department_half,
    validate_floor,
    validate_phone,
    validate_postal_code,
    validate_site_name,
)
from omakase_core.submission.aggregate import Comment
from omakase_core.submission.machine import (
    ApplicationFormChart,
    BillingCorrectionChart,
    ChangeFormChart,
    FaultContactsChart,
    InstallationSuppliesChart,
    LanParametersChart,
    ReviewedChangeChart,
    ShippingAddressChart,
)
from omakase_core.submission.model import ApplicationClosed
from omakase_core.testing import (
    FixedClock,
    InMemoryApplicationRepository,
    InMemoryOutbox,
    InMemorySiteRepository,
)
from tests.bad_input import values as v
from tests.bad_input.spec import ID_TEXT, OTHER_TEXT, Case, Lazy, Param, may, refuse
from tests.bad_input.values import MAY, REFUSE, Bad, bad

K = DocumentKind
S = SubmissionStatus
T0 = datetime(2025, 4, 2, 10, 0, tzinfo=JST)
T1 = T0 + timedelta(hours=1)
TODAY = date(2025, 4, 2)
SITE = SiteName(company_abbrev="NTTデータ", location="豊洲")
EMAIL = "it@example.co.jp"
CONTACT = Contact(
    company="株式会社豊洲",
    department="豊洲事業部",
    name="豊洲太郎",
    phone="080-1234-5678",
    email="toyosu1@example.co.jp",
)
CONTACTS = FaultContacts(first=CONTACT)
CUSTOMER = Principal.customer("cust-1")
OPERATOR = Principal.operator("nttdata-1")
JAPAN = BusinessCalendar.japan()


def _daytime(*days: date) -> tuple[Preference, ...]:
    return tuple(Preference(day=d, slot=Slot.AM) for d in days)


SURVEY = _daytime(date(2025, 5, 12), date(2025, 5, 13), date(2025, 5, 14))
LINE_WORK = _daytime(date(2025, 6, 23), date(2025, 6, 24), date(2025, 6, 25))
CONVERTER = _daytime(date(2025, 6, 30), date(2025, 7, 1), date(2025, 7, 2))
ROUTER = _daytime(date(2025, 7, 7), date(2025, 7, 8), date(2025, 7, 9))
SCHEDULE_ARGS: dict[str, object] = {
    "weekday_daytime": True,
    "site_survey": SURVEY,
    "line_work": LINE_WORK,
    "converter": CONVERTER,
    "router": ROUTER,
    "calendar": JAPAN,
}
SCHEDULE = ConstructionSchedule(**SCHEDULE_ARGS)  # type: ignore[arg-type]  # the table above
NEW_ARGS: dict[str, object] = {
    "id": "app-1",
    "customer_id": "cust-1",
    "site": SITE,
    "menu": Menu.BASIC,
    "asps": [ASP.SDS, ASP.ZEDI],
    "bandwidth_mbps": 100,
    "weekday_daytime": True,
    "contact_email": EMAIL,
    "created_at": T0,
}
APPLICATION = NewInstallation.create(**NEW_ARGS).saved()  # type: ignore[arg-type]  # the table above
CHANGE_ARGS: dict[str, object] = {
    "id": "chg-1",
    "customer_id": "cust-1",
    "site": SITE,
    "menu": Menu.BASIC,
    "change_menu": ChangeMenu.CONFIGURATION_CHANGE,
    "contact_email": EMAIL,
    "created_at": T0,
    "asp_change": [ASP.SDS],
    "bandwidth_mbps": 10,
    "fault_contact_change": True,
    "one_time_fee_billing": True,
}
CHANGE = ChangeApplication.start(**CHANGE_ARGS).saved()  # type: ignore[arg-type]  # the table above
BASE_EVENT: dict[str, object] = {
    "aggregate_id": "app-1",
    "version": 1,
    "occurred_at": T0,
    "site": SITE,
    "contact_email": EMAIL,
}
SHINAGAWA = SiteName(company_abbrev="NTTデータ", location="品川")
COMPLETE = attrs.evolve(
    APPLICATION,
    documents=tuple(
        Document(kind=d.kind, status=S.ACCEPTED, accepted_at=T0) for d in APPLICATION.documents
    ),
    completed_on=date(2025, 4, 1),
)
"""``app-1`` with every document 承諾: the new installation that creates its site (SUB-5)."""
SITE_ARGS: dict[str, object] = {
    "id": "site-1",
    "customer_id": "cust-1",
    "name": SITE,
    "menu": Menu.BASIC,
    "bandwidth_mbps": 100,
    "asps": (ASP.SDS, ASP.ZEDI),
    "updated_at": T0,
}
INSTALLED = Site(**SITE_ARGS)  # type: ignore[arg-type]  # the table above
"""cust-1's installed site ``SITE`` at version 0, as a completed installation leaves it."""
RENAME = ChangeApplication.start(
    id="rename-1",
    customer_id="cust-1",
    site=SITE,
    menu=Menu.BASIC,
    change_menu=ChangeMenu.SITE_NAME_CHANGE,
    contact_email=EMAIL,
    created_at=T0,
).saved()
RENAMING = INSTALLED.start_change(RENAME, at=T0).saved()
"""The site locked by the open 拠点名変更 ``rename-1`` (SUB-5)."""
CONTACTS_ACCEPTED = attrs.evolve(
    CHANGE,
    documents=tuple(
        Document(
            kind=d.kind,
            status=S.ACCEPTED,
            contacts=CONTACTS,
            change_date=date(2025, 5, 1),
            accepted_at=T0,
        )
        if d.kind is K.FAULT_CONTACT_CHANGE
        else d
        for d in CHANGE.documents
    ),
)
"""``chg-1`` of site ``SITE``, its fault-contact change (i) 承諾, dated 2025-05-01 (SUB-3(i))."""
SCHEDULED = ScheduledFaultContacts(
    application_id="chg-1", contacts=CONTACTS, effective_on=date(2025, 5, 1)
)
SCHEDULING = attrs.evolve(INSTALLED, scheduled_contacts=(SCHEDULED,))
"""``INSTALLED`` with ``chg-1``'s contacts scheduled for 2025-05-01 (SUB-3(i))."""
SYSTEM = Principal.system()
SITE_EVENT: dict[str, object] = {
    "aggregate_id": "site-1",
    "version": 1,
    "occurred_at": T0,
    "application_id": "chg-1",
}
VIOLATION = ScheduleViolation(
    step=Step.SITE_SURVEY,
    preference=2,
    day=date(2025, 5, 9),
    earliest=date(2025, 5, 12),
    reason="is too early",
)


def _new_installation() -> NewInstallation:
    return APPLICATION  # immutable: every command returns a new value


def _ports(*, with_application: bool = True) -> SubmissionService:
    """Return a service over fresh in-memory ports, holding ``app-1`` of ``cust-1``."""
    applications = InMemoryApplicationRepository(InMemoryOutbox())
    if with_application:
        applications.add(NewInstallation.create(**NEW_ARGS))  # type: ignore[arg-type]  # the table above
    sites = InMemorySiteRepository(applications.outbox, applications=applications)
    return SubmissionService(applications=applications, clock=FixedClock(T1), sites=sites)


def _empty_ports() -> SubmissionService:
    return _ports(with_application=False)


def _site_ports() -> SubmissionService:
    """Return the service holding ``app-1`` and cust-1's installed site ``site-1`` (SUB-5)."""
    service = _ports()
    service.sites.add(INSTALLED)
    return service


def _published() -> SubmissionService:
    """Return the service holding ``app-1`` whose parameter sheet the operator published."""
    service = _ports()
    service.send("app-1", K.LAN_PARAMETERS, "publish_sheet", by=OPERATOR)
    return service


def _repository() -> InMemoryApplicationRepository:
    applications = InMemoryApplicationRepository(InMemoryOutbox())
    applications.add(NewInstallation.create(**NEW_ARGS))  # type: ignore[arg-type]  # the table above
    return applications


def _sites() -> InMemorySiteRepository:
    applications = _repository()
    return InMemorySiteRepository(applications.outbox, applications=applications)


# -- families of this module's special parameters ---------------------------------------------

ID = refuse(*ID_TEXT)
"""An aggregate's or a customer's id (SEC-1): printable, not blank, at most 200 characters."""

EVENT_NAME = refuse(*OTHER_TEXT)
"""A chart's event name: only the chart's own buttons move a document, nothing else."""

LABEL = Param(label=True)
"""A name the library only uses to label its own error (``field=``)."""

NOT_BLANK = refuse(*ID_TEXT)
"""A required line of text: a name, a file name, an address."""

SUB_14_DIGITS = refuse(*OTHER_TEXT)
"""SUB-14 (amended): digits are the half-width ASCII 0-9 only; words and blanks are no digits."""

DETAIL_NAMES = ("note", "postal_code", "floor", "company_abbrev", "location", "x")

DETAILS = Param(
    family=(
        v.NONE,
        bad("int for a mapping", 3, REFUSE),
        bad("text for a mapping", "postal_code=135-0061", REFUSE),
        Bad("a list of pairs", lambda: [("note", "x")], REFUSE),
        Bad("an empty mapping", dict, REFUSE),
        Bad("an int name", lambda: {1: "x"}, REFUSE),
        Bad("an upper-case name", lambda: {"Note": "x"}, REFUSE),
        Bad("a 1 MB name", lambda: {v.MEGABYTE: "x"}, REFUSE, v.X_ECHO),
        Bad("a None value", lambda: {"note": None}, REFUSE),
        Bad("an int value", lambda: {"note": 3}, REFUSE),
        Bad("a NaN value", lambda: {"note": math.nan}, REFUSE),
        Bad("a blank value", lambda: {"note": "   "}, REFUSE),
        Bad("a control-character value", lambda: {"note": "a\x00b"}, REFUSE),
        Bad("a 1 MB value", lambda: {"note": v.MEGABYTE}, REFUSE, v.X_ECHO),
        Bad("a full-width postal code", lambda: {"postal_code": "１３５-００６１"}, REFUSE),
        Bad("an Arabic-Indic postal code", lambda: {"postal_code": "١٣٥٠٠٦١"}, REFUSE),
        Bad("a full-width floor", lambda: {"floor": "１０"}, REFUSE),
        Bad("a full-width site part", lambda: {"company_abbrev": "ＮＴＴ"}, REFUSE),
        *v.WRONG_OBJECT,
    ),
    # SUB-14: "errors name the field": a bad detail is named by the detail (the form's
    # field, e.g. ``floor``), the mapping's shape by ``details``.
    fields=DETAIL_NAMES,
)

EXISTING = Param(
    family=(
        v.NONE,
        bad("int for a collection", 42, REFUSE),
        bad("text for a collection", "NTTデータ(豊洲)", REFUSE),
        Bad("a list holding None", lambda: [None], REFUSE),
        Bad("a list holding text", lambda: ["NTTデータ"], REFUSE),
        Bad("a list holding a triple", lambda: [("a", "b", "c")], REFUSE),
        Bad("a list holding a pair of ints", lambda: [(1, 2)], REFUSE),
        Bad("a list holding an object()", lambda: [object()], REFUSE),
        Bad("a list holding the same name", lambda: [SITE], REFUSE),
        Bad("empty list", list, MAY),
        Bad("empty generator", lambda: iter(()), MAY),
        bad("object()", object(), REFUSE),
        Bad("unhashable dict", lambda: {"x": 1}, REFUSE),
    ),
    fields=("site_name",),  # SUB-7: a name taken by another site names the whole site name
)

TIME_OF_DAY = Param(
    family=(
        bad("text for a time", "19:00", REFUSE),
        bad("int for a time", 19, REFUSE),
        bad("float for a time", 19.5, REFUSE),
        bad("a datetime for a time", T0, REFUSE),
        bad("NaN", math.nan, REFUSE),
        bad("an aware time", time(19, 0, tzinfo=JST), MAY),
        *v.WRONG_OBJECT,
    )
)

CHART_MODEL = Param(
    family=(
        bad("text for a model", "model", REFUSE),
        bad("int for a model", 1, REFUSE),
        bad("a tuple for a model", ("x",), REFUSE),
        Bad("unhashable list", lambda: ["x"], REFUSE),
        bad("object()", object(), REFUSE),
    )
)
"""A chart's model: ``None`` or an object that can hold the state (python-statemachine)."""

PORT = Param(
    family=(
        *v.port("port"),
        v.NONE,
        *v.WRONG_OBJECT,
        bad("a repository without of_customer", object.__new__(type("Bare", (), {})), REFUSE),
    )
)

# Every text field of a document's contents: blank is no answer (SUB-3).
CONTACT_TEXT = refuse(*ID_TEXT)


def _text_validator(function: Any) -> Case:  # one of the SUB-14 validate_* functions
    return Case(function, {"value": _VALID_TEXT[function]}, {"value": _form_field(function)})


def _form_field(function: Any, *extra: Bad, refused: frozenset[str] = ID_TEXT) -> Param:
    """Return the ``value`` of a SUB-14 validator: blank is no answer.

    SUB-14 "errors name the field": ``validate_phone(value)`` checks the form's ``phone``
    field and its error names ``phone`` (the validator's name says which field it is).
    """
    field = function.__name__.removeprefix("validate_")
    return Param(extra=extra, refuse=refused, fields=(field,))


_VALID_TEXT: dict[Any, str] = {
    validate_company_name_half: "NTT DATA Corporation",
    validate_company_name_full: "株式会社エヌ・ティ・ティ・データ",
    validate_department_half: "IT Dept.",
    validate_department_full: "情報システム部",
    validate_contractor_name_half_kana: "ﾄﾖｽ ﾀﾛｳ",
    validate_contractor_name_full_kana: "トヨス　タロウ",
}


CASES: list[Case] = [
    # -- model: the enums' look-ups by value (SEC-2) ------------------------------------------
    Case(SubmissionStatus, {"value": "submitted"}),
    Case(Menu, {"value": "basic"}),
    # The catalogue's label *is* the value (ASP.SDS.label == "SDS"): looking it up is right.
    Case(ASP, {"value": "SDS"}, {"value": may("the member's label")}),
    # Slot.AM's name *is* its value ("AM"): looking it up is right.
    Case(Slot, {"value": "AM"}, {"value": may("the member's name")}),
    Case(Step, {"value": "site_survey"}),
    Case(DocumentKind, {"value": "fault_contacts"}),
    Case(ChangeMenu, {"value": "site_name_change"}),
    Case(SiteStatus, {"value": "renaming"}),
    # -- model: values (SUB-7, SUB-10, SUB-3) -------------------------------------------------
    Case(
        SiteName,
        {"company_abbrev": "NTTデータ", "location": "豊洲"},
        {"company_abbrev": NOT_BLANK, "location": NOT_BLANK},
    ),
    Case(UploadedFile, {"name": "申込書.pdf", "uploaded_at": T0}, {"name": NOT_BLANK}),
    Case(Preference, {"day": date(2025, 5, 12), "slot": Slot.AM}, {"starts_at": TIME_OF_DAY}),
    Case(
        Preference,
        {"day": date(2025, 5, 12), "starts_at": time(19, 0)},
        {"starts_at": TIME_OF_DAY},
        name="after hours",
    ),
    Case(
        ScheduleViolation,
        {
            "step": Step.SITE_SURVEY,
            "preference": 2,
            "day": date(2025, 5, 9),
            "earliest": date(2025, 5, 12),
            "reason": "is too early",
        },
        {
            "preference": refuse("negative", "zero", "2**63", "huge", "-huge"),
            "reason": NOT_BLANK,
        },
    ),
    Case(ScheduleError, {"violations": (VIOLATION,)}, {"violations": refuse("empty list")}),
    # -- model: events (PORT-3); enum fields refuse plain strings (SEC-2) ----------------------
    Case(ScheduleSet, BASE_EVENT, {"aggregate_id": ID}),
    Case(ApplicationEvent, BASE_EVENT, {"aggregate_id": ID}),
    Case(
        DocumentStatusChanged,
        {
            **BASE_EVENT,
            "kind": K.INSTALLATION_SUPPLIES,
            "event": "submit",
            "source": S.NOT_SUBMITTED,
            "target": S.SUBMITTED,
            "actor": Actor.CUSTOMER,
            "comment": "ok",
        },
        {"aggregate_id": ID},
    ),
    Case(
        FileUploaded,
        {**BASE_EVENT, "kind": K.APPLICATION_FORM, "file_name": "申込書.pdf"},
        {"aggregate_id": ID},
    ),
    Case(DocumentDetailsUpdated, {**BASE_EVENT, "kind": K.FAULT_CONTACTS}, {"aggregate_id": ID}),
    Case(DocumentAdded, {**BASE_EVENT, "kind": K.BILLING_CORRECTION}, {"aggregate_id": ID}),
    Case(ApplicationClosed, {**BASE_EVENT, "actor": Actor.OPERATOR}, {"aggregate_id": ID}),
    # the installed site's events (SUB-5): each names the application that caused it
    Case(SiteEvent, SITE_EVENT, {"aggregate_id": ID, "application_id": ID}),
    Case(
        SiteInstalled, {**SITE_EVENT, "site_name": SITE}, {"aggregate_id": ID, "application_id": ID}
    ),
    Case(
        SiteChangeStarted,
        {**SITE_EVENT, "change_menu": ChangeMenu.SITE_NAME_CHANGE},
        {"aggregate_id": ID, "application_id": ID},
    ),
    Case(
        SiteRenamed,
        {**SITE_EVENT, "previous": SITE, "new_name": SHINAGAWA},
        {"aggregate_id": ID, "application_id": ID},
    ),
    Case(SiteRenameClosed, SITE_EVENT, {"aggregate_id": ID, "application_id": ID}),
    *(
        Case(
            event_type,
            {**SITE_EVENT, "effective_on": date(2025, 5, 1)},
            {"aggregate_id": ID, "application_id": ID},
        )
        for event_type in (SiteFaultContactsScheduled, SiteFaultContactsChanged)
    ),
    Case(
        SiteAspsChanged,
        {**SITE_EVENT, "asps": (ASP.SDS,)},
        {"aggregate_id": ID, "application_id": ID},
    ),
    Case(
        DeadlineSet,
        {**BASE_EVENT, "kind": K.APPLICATION_FORM, "deadline": date(2025, 5, 1)},
        {"aggregate_id": ID},
    ),
    Case(
        ConstructionCompleted,
        {**BASE_EVENT, "completed_on": date(2025, 4, 1), "first_billing_month": date(2025, 5, 1)},
        {"aggregate_id": ID},
    ),
    # -- aggregate: contents of documents (SUB-3) ----------------------------------------------
    Case(
        Contact,
        {
            "company": CONTACT.company,
            "department": CONTACT.department,
            "name": CONTACT.name,
            "phone": CONTACT.phone,
            "email": CONTACT.email,
        },
        {
            "company": CONTACT_TEXT,
            "department": CONTACT_TEXT,
            "name": CONTACT_TEXT,
            "phone": SUB_14_DIGITS,
            "email": refuse(*OTHER_TEXT),
        },
    ),
    Case(
        FaultContacts,
        {"first": CONTACT, "second": CONTACT, "reporting_hours": "24時間"},
        {"reporting_hours": refuse(*ID_TEXT)},
    ),
    Case(
        Document,
        {
            "kind": K.FAULT_CONTACT_CHANGE,
            "status": S.NOT_SUBMITTED,
            "uploads": (UploadedFile(name="x.pdf", uploaded_at=T0),),
            "details": {"note": "x"},
            "contacts": CONTACTS,
            "change_date": date(2025, 5, 1),
            "comment": "ok",
            "deadline": date(2025, 5, 1),
            "accepted_at": T0,
            "comments": (Comment(author=Actor.OPERATOR, event="send_back", text="ok", at=T0),),
        },
        {
            # An empty mapping is a document with nothing filled in yet.
            "details": Param(
                family=DETAILS.family, may=frozenset({"an empty mapping"}), fields=DETAIL_NAMES
            ),
            "comment": refuse(*ID_TEXT),
        },
    ),
    Case((Document, "new"), {"kind": K.APPLICATION_FORM}),
    Case(
        Comment,
        {"author": Actor.OPERATOR, "event": "send_back", "text": "社印が必要です", "at": T0},
        {"event": NOT_BLANK, "text": NOT_BLANK},
    ),
    Case(
        Progress,
        {
            "done": (K.APPLICATION_FORM,),
            "waiting_on_customer": (K.FAULT_CONTACTS,),
            "waiting_on_operator": (),
        },
    ),
    # -- aggregate: the applications (SUB-4 ... SUB-9) -------------------------------------------
    Case(
        Application,
        {
            "id": "app-1",
            "customer_id": "cust-1",
            "site": SITE,
            "menu": Menu.BASIC,
            "contact_email": EMAIL,
            "documents": APPLICATION.documents,
            "version": 1,
            "updated_at": T0,
            "pending_events": (),
        },
        {
            "id": ID,
            "customer_id": ID,
            "contact_email": refuse(*OTHER_TEXT),
            "version": refuse("negative", "-huge"),
        },
    ),
    Case(
        NewInstallation,
        {
            "id": "app-1",
            "customer_id": "cust-1",
            "site": SITE,
            "menu": Menu.BASIC,
            "contact_email": EMAIL,
            "documents": APPLICATION.documents,
            "version": 1,
            "updated_at": T0,
            "asps": (ASP.SDS, ASP.ZEDI),
            "bandwidth_mbps": 100.0,
            "weekday_daytime": True,
            "schedule": SCHEDULE,
            "completed_on": date(2025, 4, 1),
        },
        {
            "id": ID,
            "customer_id": ID,
            "contact_email": refuse(*OTHER_TEXT),
            "version": refuse("negative", "-huge"),
            "bandwidth_mbps": refuse("negative", "zero", "huge int"),
        },
    ),
    Case(
        ChangeApplication,
        {
            "id": "chg-1",
            "customer_id": "cust-1",
            "site": SITE,
            "menu": Menu.BASIC,
            "contact_email": EMAIL,
            "documents": CHANGE.documents,
            "version": 1,
            "updated_at": T0,
            "change_menu": ChangeMenu.CONFIGURATION_CHANGE,
            "asps_after_change": (ASP.SDS,),
        },
        {
            "id": ID,
            "customer_id": ID,
            "contact_email": refuse(*OTHER_TEXT),
            "version": refuse("negative", "-huge"),
        },
    ),
    Case(
        (NewInstallation, "create"),
        {**NEW_ARGS, "billing_changed": True},
        {
            "id": ID,
            "customer_id": ID,
            "contact_email": refuse(*OTHER_TEXT),
            "bandwidth_mbps": refuse("negative", "zero", "huge int"),
            "asps": refuse("empty list", "empty generator"),
        },
    ),
    Case(
        (ChangeApplication, "start"),
        CHANGE_ARGS,
        {
            "id": ID,
            "customer_id": ID,
            "contact_email": refuse(*OTHER_TEXT),
            "bandwidth_mbps": refuse("negative", "zero", "huge int"),
            "asp_change": refuse("empty list", "empty generator"),
        },
    ),
    Case((Application, "document"), {"kind": K.FAULT_CONTACTS}, instance=_new_installation),
    Case(
        (Application, "send"),
        {"kind": K.INSTALLATION_SUPPLIES, "event": "submit", "actor": Actor.CUSTOMER, "at": T1},
        {"event": EVENT_NAME},
        instance=_new_installation,
    ),
    Case(
        (Application, "send"),
        {
            "kind": K.LAN_PARAMETERS,
            "event": "send_back",
            "actor": Actor.OPERATOR,
            "at": T1,
            "comment": "パラメータを見直してください",
        },
        {"event": EVENT_NAME, "comment": refuse(*ID_TEXT)},
        instance=lambda: (
            _new_installation()
            .send(K.LAN_PARAMETERS, "publish_sheet", actor=Actor.OPERATOR, at=T0)
            .upload(K.LAN_PARAMETERS, "sheet.xlsx", actor=Actor.CUSTOMER, at=T0)
            .send(K.LAN_PARAMETERS, "submit", actor=Actor.CUSTOMER, at=T0)
            .send(K.LAN_PARAMETERS, "start_review", actor=Actor.OPERATOR, at=T0)
        ),
        name="send_back",
    ),
    Case(
        (Application, "upload"),
        {"kind": K.APPLICATION_FORM, "file_name": "申込書.pdf", "actor": Actor.CUSTOMER, "at": T1},
        {"file_name": NOT_BLANK},
        instance=_new_installation,
    ),
    Case(
        (Application, "fill_in"),
        {
            "kind": K.INSTALLATION_SUPPLIES,
            "details": {"note": "脚立あり", "floor": "B1"},
            "actor": Actor.CUSTOMER,
            "at": T1,
        },
        {"details": DETAILS},
        instance=_new_installation,
    ),
    Case(
        (Application, "set_fault_contacts"),
        {"kind": K.FAULT_CONTACTS, "contacts": CONTACTS, "actor": Actor.CUSTOMER, "at": T1},
        instance=_new_installation,
    ),
    Case(
        (Application, "set_fault_contacts"),
        {
            "kind": K.FAULT_CONTACT_CHANGE,
            "contacts": CONTACTS,
            "actor": Actor.CUSTOMER,
            "at": T1,
            "change_date": date(2025, 5, 1),
        },
        # The change date is judged against the command's instant: a far later ``at`` puts
        # it in the past, and the error names the date that is now wrong (SUB-3(i)).
        {"at": Param(fields=("change_date",))},
        instance=lambda: CHANGE,
        name="change date",
    ),
    Case(
        (Application, "set_deadline"),
        {
            "kind": K.APPLICATION_FORM,
            "deadline": date(2025, 5, 1),
            "actor": Actor.OPERATOR,
            "at": T1,
        },
        # The deadline is judged against the command's instant: a far later ``at`` puts it
        # in the past, and the error names the deadline that is now wrong (SUB-3(b)).
        {"at": Param(fields=("deadline",))},
        instance=_new_installation,
    ),
    Case((Application, "close"), {"actor": Actor.CUSTOMER, "at": T1}, instance=_new_installation),
    Case(
        (NewInstallation, "set_schedule"),
        {"schedule": SCHEDULE, "actor": Actor.CUSTOMER, "at": T1},
        # The schedule is judged from the command's JST date (SUB-10): a far later ``at``
        # makes the survey preferences too early, and the error names that step.
        {"at": Param(fields=("site_survey",))},
        instance=_new_installation,
    ),
    Case(
        (NewInstallation, "request_billing_correction"),
        {"actor": Actor.CUSTOMER, "at": T1},
        instance=_new_installation,
    ),
    Case(
        (NewInstallation, "record_construction_completed"),
        {"completed_on": date(2025, 4, 1), "actor": Actor.OPERATOR, "at": T1},
        instance=_new_installation,
    ),
    Case(
        (ChangeApplication, "record_construction_completed"),
        {"completed_on": date(2025, 4, 1), "actor": Actor.OPERATOR, "at": T1},
        instance=lambda: CHANGE,  # a 設定変更 (SUB-17)
    ),
    # -- aggregate: the installed site (SUB-5) ---------------------------------------------------
    Case(
        Site,
        {
            **SITE_ARGS,
            "status": SiteStatus.IN_SERVICE,
            "renaming_by": None,
            "fault_contacts": CONTACTS,
            "scheduled_contacts": (SCHEDULED,),
            "version": 0,
            "pending_events": (),
        },
        {
            "id": ID,
            "customer_id": ID,
            "bandwidth_mbps": refuse("negative", "zero", "huge int"),
            "asps": refuse("empty list", "empty generator"),
            "version": refuse("negative", "-huge"),
        },
    ),
    Case(
        Site,
        {**SITE_ARGS, "status": SiteStatus.RENAMING, "renaming_by": "rename-1", "version": 1},
        {
            "id": ID,
            "customer_id": ID,
            "renaming_by": ID,
            "bandwidth_mbps": refuse("negative", "zero", "huge int"),
            "asps": refuse("empty list", "empty generator"),
            "version": refuse("negative", "-huge"),
        },
        name="renaming",
    ),
    Case((Site, "install"), {"application": COMPLETE, "at": T1}),
    Case(
        (Site, "start_change"),
        {"application": CHANGE, "at": T1},
        instance=lambda: INSTALLED,
    ),
    Case(
        (Site, "rename"),
        {"application": RENAME, "new_name": SHINAGAWA, "at": T1},
        instance=lambda: RENAMING,
    ),
    Case((Site, "close_rename"), {"application": RENAME, "at": T1}, instance=lambda: RENAMING),
    Case((Site, "change_asps"), {"application": CHANGE, "at": T1}, instance=lambda: INSTALLED),
    Case(
        (Site, "change_fault_contacts"),
        {"application": CONTACTS_ACCEPTED, "at": T1},
        instance=lambda: INSTALLED,
    ),
    Case((Site, "apply_due"), {"now": T1 + timedelta(days=40)}, instance=lambda: SCHEDULING),
    Case(
        ScheduledFaultContacts,
        {"application_id": "chg-1", "contacts": CONTACTS, "effective_on": date(2025, 5, 1)},
        {"application_id": ID},
    ),
    # -- rules (SUB-3, SUB-7, SUB-9 ... SUB-14) ----------------------------------------------------
    Case(
        ConstructionSchedule,
        SCHEDULE_ARGS,
        {
            **{
                name: refuse("empty list", "empty generator")
                for name in ("site_survey", "line_work", "converter", "router")
            },
        },
    ),
    Case(
        (ConstructionSchedule, "preferences"), {"step": Step.LINE_WORK}, instance=lambda: SCHEDULE
    ),
    Case((ConstructionSchedule, "latest"), {"step": Step.CONVERTER}, instance=lambda: SCHEDULE),
    Case((ConstructionSchedule, "earliest"), {"step": Step.ROUTER}, instance=lambda: SCHEDULE),
    Case(
        check_asp_selection,
        {"menu": Menu.BASIC, "asps": [ASP.SDS], "bandwidth_mbps": 10, "field": "asps"},
        {
            "asps": refuse("empty list", "empty generator"),
            "bandwidth_mbps": refuse("negative", "zero", "huge int"),
            "field": LABEL,
        },
    ),
    Case(earliest_site_survey, {"today": TODAY}),
    Case(entry_request_due, {"work_date": date(2026, 5, 7), "calendar": JAPAN}),
    Case(first_billing_month, {"completed_on": date(2026, 12, 1)}),
    Case(
        monthly_asp_option_fee,
        {"asp_count": 3},
        {"asp_count": refuse("negative", "zero", "-huge")},
    ),
    Case(
        parameter_sheet_filename,
        {
            "original": "パラメータシート.xlsx",
            "uploaded_at": T0,
            "company_abbrev": "NTTデータ",
            "location": "豊洲",
        },
        {"original": NOT_BLANK, "company_abbrev": NOT_BLANK, "location": NOT_BLANK},
    ),
    Case(portal_account_expires_at, {"last_login": T0}),
    Case(portal_account_expired, {"last_login": T0, "now": T1, "application_accepted": False}),
    Case(
        portal_account_expired,
        {"last_login": T0, "now": T1, "application_accepted": True},
        name="accepted",
    ),
    Case(
        validate_site_name,
        {"company_abbrev": "NTTデータ", "location": "豊洲", "existing": [("NTTデータ", "品川")]},
        {"company_abbrev": NOT_BLANK, "location": NOT_BLANK, "existing": EXISTING},
    ),
    *(_text_validator(function) for function in _VALID_TEXT),
    # SUB-14 (amended): digits are the half-width ASCII 0-9 only.
    Case(
        validate_phone,
        {"value": "080-1234-5678"},
        {
            "value": _form_field(
                validate_phone,
                bad("full-width phone", "０８０-１２３４-５６７８", REFUSE),
                bad("Arabic-Indic phone", "٠٨٠١٢٣٤٥٦٧٨", REFUSE),
                refused=OTHER_TEXT,
            )
        },
    ),
    Case(
        validate_postal_code,
        {"value": "135-0061"},
        {
            "value": _form_field(
                validate_postal_code,
                bad("full-width postal code", "１３５００６１", REFUSE),
                bad("Devanagari postal code", "१३५००६१", REFUSE),
                refused=OTHER_TEXT,
            )
        },
    ),
    Case(
        validate_floor,
        {"value": "B1"},
        {
            "value": _form_field(
                validate_floor,
                bad("full-width floor", "１０", REFUSE),
                bad("Arabic-Indic floor", "١", REFUSE),
                refused=OTHER_TEXT,
            )
        },
    ),
    # -- service: every command and look-up is made by a principal (SEC-1 ... SEC-3) -------------
    Case(
        SubmissionService,
        {
            "applications": Lazy(_repository),
            "clock": Lazy(lambda: FixedClock(T1)),
            "sites": Lazy(_sites),
        },
        {"applications": PORT, "clock": PORT, "sites": PORT},
    ),
    Case(
        (SubmissionService, "get"),
        {"application_id": "app-1", "by": CUSTOMER},
        {"application_id": ID},
        instance=_ports,
    ),
    Case(
        (SubmissionService, "create_new_installation"),
        {
            "application_id": "app-2",
            "by": OPERATOR,
            "site": SiteName(company_abbrev="NTTデータ", location="品川"),
            "menu": Menu.BASIC,
            "asps": [ASP.SDS, ASP.ZEDI],
            "bandwidth_mbps": 100,
            "weekday_daytime": True,
            "contact_email": EMAIL,
            "customer_id": "cust-1",
            "billing_changed": True,
        },
        {
            "application_id": ID,
            "customer_id": ID,
            "contact_email": refuse(*OTHER_TEXT),
            "bandwidth_mbps": refuse("negative", "zero", "huge int"),
            "asps": refuse("empty list", "empty generator"),
        },
        instance=_ports,
    ),
    Case(
        (SubmissionService, "create_new_installation"),
        {
            "application_id": "app-2",
            "by": CUSTOMER,
            "site": SiteName(company_abbrev="NTTデータ", location="品川"),
            "menu": Menu.LITE_MOBILE,
            "asps": [ASP.ANSER_DATAPORT],
            "bandwidth_mbps": 0.5,
            "weekday_daytime": False,
            "contact_email": EMAIL,
        },
        {
            "application_id": ID,
            "customer_id": ID,
            "contact_email": refuse(*OTHER_TEXT),
            "bandwidth_mbps": refuse("negative", "zero", "huge int", "1e308"),
            "asps": refuse("empty list", "empty generator"),
        },
        instance=_ports,
        name="customer",
    ),
    Case(
        (SubmissionService, "start_change"),
        {
            "application_id": "chg-1",
            "by": CUSTOMER,
            "site_id": "site-1",
            "change_menu": ChangeMenu.CONFIGURATION_CHANGE,
            "contact_email": EMAIL,
            "asp_change": [ASP.SDS],
            "fault_contact_change": True,
            "one_time_fee_billing": True,
        },
        {
            "application_id": ID,
            "site_id": ID,
            "contact_email": refuse(*OTHER_TEXT),
            "asp_change": refuse("empty list", "empty generator"),
        },
        instance=_site_ports,
    ),
    Case(
        (SubmissionService, "start_change"),
        {
            "application_id": "chg-1",
            "by": OPERATOR,
            "site_id": "site-1",
            "change_menu": ChangeMenu.COMPANY_CHANGE,
            "contact_email": EMAIL,
            "monthly_billing_change": True,
        },
        {"application_id": ID, "site_id": ID, "contact_email": refuse(*OTHER_TEXT)},
        instance=_site_ports,
        name="company change",
    ),
    Case(
        (SubmissionService, "get_site"),
        {"site_id": "site-1", "by": CUSTOMER},
        {"site_id": ID},
        instance=_site_ports,
    ),
    Case(
        (SubmissionService, "send"),
        {
            "application_id": "app-1",
            "kind": K.INSTALLATION_SUPPLIES,
            "event": "submit",
            "by": CUSTOMER,
            "expected_version": 0,
        },
        {
            "application_id": ID,
            "event": EVENT_NAME,
            "expected_version": refuse("negative", "-huge"),
        },
        instance=_ports,
    ),
    Case(
        (SubmissionService, "upload"),
        {
            "application_id": "app-1",
            "kind": K.LAN_PARAMETERS,
            "file_name": "sheet.xlsx",
            "by": CUSTOMER,
            "expected_version": 1,
        },
        {
            "application_id": ID,
            "file_name": NOT_BLANK,
            "expected_version": refuse("negative", "-huge"),
        },
        instance=_published,
    ),
    Case(
        (SubmissionService, "fill_in"),
        {
            "application_id": "app-1",
            "kind": K.INSTALLATION_SUPPLIES,
            "details": {"note": "脚立あり", "floor": "B1"},
            "by": CUSTOMER,
            "expected_version": 0,
        },
        {
            "application_id": ID,
            "details": DETAILS,
            "expected_version": refuse("negative", "-huge"),
        },
        instance=_ports,
    ),
    Case(
        (SubmissionService, "set_fault_contacts"),
        {
            "application_id": "app-1",
            "kind": K.FAULT_CONTACTS,
            "contacts": CONTACTS,
            "by": CUSTOMER,
            "expected_version": 0,
        },
        {"application_id": ID, "expected_version": refuse("negative", "-huge")},
        instance=_ports,
    ),
    Case(
        (SubmissionService, "set_deadline"),
        {
            "application_id": "app-1",
            "kind": K.APPLICATION_FORM,
            "deadline": date(2025, 5, 1),
            "by": OPERATOR,
            "expected_version": 0,
        },
        {"application_id": ID, "expected_version": refuse("negative", "-huge")},
        instance=_ports,
    ),
    Case(
        (SubmissionService, "set_schedule"),
        {"application_id": "app-1", "schedule": SCHEDULE, "by": CUSTOMER, "expected_version": 0},
        {"application_id": ID, "expected_version": refuse("negative", "-huge")},
        instance=_ports,
    ),
    Case(
        (SubmissionService, "close"),
        {"application_id": "app-1", "by": OPERATOR, "expected_version": 0},
        {"application_id": ID, "expected_version": refuse("negative", "-huge")},
        instance=_ports,
    ),
    Case(
        (SubmissionService, "apply_due"),
        {"now": T1 + timedelta(days=40), "by": SYSTEM},
        instance=_site_ports,
    ),
    Case(SiteSweepReport, {"changed": ("site-1",), "events": 1, "conflicts": ("site-2",)}),
    Case(
        (SubmissionService, "request_billing_correction"),
        {"application_id": "app-1", "by": CUSTOMER, "expected_version": 0},
        {"application_id": ID, "expected_version": refuse("negative", "-huge")},
        instance=_ports,
    ),
    Case(
        (SubmissionService, "record_construction_completed"),
        {
            "application_id": "app-1",
            "completed_on": date(2025, 4, 1),
            "by": OPERATOR,
            "expected_version": 0,
        },
        {"application_id": ID, "expected_version": refuse("negative", "-huge")},
        instance=_ports,
    ),
    # -- the charts (SUB-3): python-statemachine's own entry, checked (SEC-2) ------------------
    *(
        Case(
            chart,
            {"model": None, "state_field": "state", "start_value": start, "listeners": []},
            {
                "model": CHART_MODEL,
                # Any short identifier ("nope") can hold the state: only that is valid.
                "state_field": refuse(*(OTHER_TEXT - {"unknown word"})),
                "start_value": Param(
                    extra=(bad("a status of another chart", S.SHIPPED, REFUSE),)
                    if chart is not ShippingAddressChart
                    else (bad("a status of another chart", S.SHEET_IN_PREPARATION, REFUSE),)
                ),
                # A listener is any object whose methods become callbacks: a bare object() is
                # a valid listener with none, so a list holding one may be accepted.
                "listeners": Param(may=frozenset({"a list holding an object()"})),
            },
        )
        for chart, start in (
            (ApplicationFormChart, S.SUBMITTED),
            (ShippingAddressChart, S.ACCEPTED),
            (LanParametersChart, S.NOT_SUBMITTED),
            (InstallationSuppliesChart, S.SUBMITTED),
            (FaultContactsChart, S.RETURNED),
            (BillingCorrectionChart, S.WITHDRAWN),
            (ReviewedChangeChart, S.UNDER_REVIEW),
            (ChangeFormChart, S.SEALED_CHANGE_FORM_PENDING),
        )
    ),
    Case(
        SiteChart,
        {
            "model": None,
            "state_field": "state",
            "start_value": SiteStatus.RENAMING,
            "listeners": [],
        },
        {
            "model": CHART_MODEL,
            "state_field": refuse(*(OTHER_TEXT - {"unknown word"})),
            "start_value": Param(extra=(bad("a document's status", S.ACCEPTED, REFUSE),)),
            "listeners": Param(may=frozenset({"a list holding an object()"})),
        },
    ),
    # -- the in-memory application repository (PORT-1) -------------------------------------------
    Case(InMemoryApplicationRepository, {"outbox": Lazy(InMemoryOutbox)}),
    Case(
        (InMemoryApplicationRepository, "of_customer"),
        {"customer_id": "cust-1"},
        instance=_repository,
    ),
]
