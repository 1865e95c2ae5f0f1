"""PORT-7: stored data outlives releases — the storage codec (``omakase_core.codec``).

Every event and aggregate of every domain, built through its service, round-trips; the
stored text names a declared type and a schema version, never a Python class name; a
caller's class never shadows the library's; older schemas are upcast; malformed stored
data is a DecodeError naming the type and the field, never a raw exception (SEC-2).
"""

from __future__ import annotations

import enum
import importlib
import json
import math
import subprocess
import sys
import threading
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, ClassVar, Literal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from omakase_core import (
    Actor,
    DecodeError,
    DefinitionError,
    OmakaseError,
    Principal,
    ValidationError,
)
from omakase_core._values import replace
from omakase_core.accounts import (
    KDDI_PORTAL_PASSWORD,
    PasswordService,
    Role,
    UserDirectoryService,
)
from omakase_core.calendar import JST
from omakase_core.codec import decode, encode, register_upcaster, stored, type_name
from omakase_core.contract import Contract, Contractor, ContractService, TerminationRequested
from omakase_core.events import Event
from omakase_core.id_change import IdChangeService, Service, Target
from omakase_core.inquiry import Attachment, InquiryService, attachment_purge_at
from omakase_core.ocn import (
    AccountAction,
    CancellationRequest,
    MailChangePattern,
    MailChangeRequest,
    OcnService,
    VirusCheck,
)
from omakase_core.submission import (
    ASP,
    Application,
    ChangeMenu,
    ConstructionSchedule,
    Contact,
    DocumentKind,
    FaultContacts,
    Menu,
    Preference,
    SiteName,
    Slot,
    SubmissionService,
)
from omakase_core.testing import (
    FixedClock,
    InMemoryAttachmentStore,
    InMemoryContractedServices,
    InMemoryStore,
    TestPasswordHasher,
)
from tests.bad_input.core import JSON_TEXT

T0 = datetime(2025, 4, 2, 10, 0, tzinfo=JST)
OWNER = Contractor(name="山田 太郎", email="taro@example.co.jp")
HEIR = Contractor(name="佐藤 花子", email="hanako@example.co.jp")
STAFF = Principal.operator("staff-1")
SYSTEM = Principal.system()


# -- every aggregate and event of every domain, built through its service ----------------------


def _contracts(store: InMemoryStore) -> None:
    clock = FixedClock(T0)
    service = ContractService(contracts=store.contracts, clock=clock, directory=store.directory)
    contractor = Principal.contractor("c-1")
    service.open_contract("c-1", contractor=OWNER, by=STAFF)
    service.request_termination("c-1", by=contractor)
    clock.advance(days=1)
    service.reinstate("c-1", by=contractor)
    service.request_contractor_change("c-1", by=contractor, name=HEIR.name, email=HEIR.email)
    service.cancel_contractor_change("c-1", by=contractor)
    service.request_contractor_change("c-1", by=contractor, name=HEIR.name, email=HEIR.email)
    clock.advance(days=1)
    service.record_first_login("c-1", by=contractor, login_email=HEIR.email)
    service.request_termination("c-1", by=contractor)
    service.apply_due(T0 + timedelta(days=90), by=SYSTEM)
    # a contract purged by 0.1, which kept the personal data: erased late (CON-10)
    purged = store.contracts.get("c-1")
    store.contracts.add(attrs.evolve(purged, id="c-legacy", contractor=OWNER))
    service.apply_due(T0 + timedelta(days=91), by=SYSTEM)


def _schedule() -> ConstructionSchedule:
    def prefs(*days: date) -> tuple[Preference, ...]:
        return tuple(Preference(day=d, slot=Slot.PM) for d in days)

    return ConstructionSchedule(
        weekday_daytime=True,
        site_survey=prefs(date(2025, 5, 12), date(2025, 5, 13), date(2025, 5, 14)),
        line_work=prefs(date(2025, 6, 23), date(2025, 6, 24), date(2025, 6, 25)),
        converter=prefs(date(2025, 6, 30), date(2025, 7, 1), date(2025, 7, 2)),
        router=prefs(date(2025, 7, 7), date(2025, 7, 8), date(2025, 7, 9)),
    )


def _applications(store: InMemoryStore) -> None:
    clock = FixedClock(T0)
    service = SubmissionService(applications=store.applications, clock=clock, sites=store.sites)
    customer = Principal.customer("cust-1")
    site = SiteName(company_abbrev="NTTデータ", location="豊洲")
    contacts = FaultContacts(
        first=Contact(
            company="株式会社豊洲",
            department="豊洲事業部",
            name="豊洲太郎",
            phone="080-1234-5678",
            email="toyosu1@example.co.jp",
        ),
        reporting_hours="24時間365日",
    )
    service.create_new_installation(
        "app-1",
        by=customer,
        site=site,
        menu=Menu.BASIC,
        asps=[ASP.SDS, ASP.ZEDI],
        bandwidth_mbps=100,
        weekday_daytime=True,
        contact_email="it@example.co.jp",
    )
    service.upload("app-1", DocumentKind.APPLICATION_FORM, "申込書.pdf", by=customer)
    service.send("app-1", DocumentKind.APPLICATION_FORM, "submit", by=customer)
    service.set_fault_contacts("app-1", DocumentKind.FAULT_CONTACTS, contacts, by=customer)
    service.set_deadline("app-1", DocumentKind.INSTALLATION_SUPPLIES, date(2025, 4, 15), by=STAFF)
    service.set_schedule("app-1", _schedule(), by=customer)
    service.request_billing_correction("app-1", by=customer)
    service.record_construction_completed("app-1", date(2025, 4, 2), by=STAFF)
    _complete(service, customer)  # its site is installed (SUB-5)
    service.create_new_installation(
        "app-2",
        by=customer,
        site=SiteName(company_abbrev="NTTデータ", location="三田"),
        menu=Menu.LITE_MINIMUM,
        asps=[ASP.SDS],
        bandwidth_mbps=10.5,
        weekday_daytime=False,
        contact_email="it@example.co.jp",
    )
    service.fill_in(
        "app-2",
        DocumentKind.SHIPPING_ADDRESS,
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
        by=customer,
    )
    service.start_change(
        "chg-1",
        by=customer,
        site_id="app-1",
        change_menu=ChangeMenu.COMPANY_CHANGE,
        contact_email="it@example.co.jp",
    )
    service.fill_in(
        "chg-1",
        DocumentKind.COMPANY_CHANGE,
        {
            "company_type": "株式会社",
            "company_name": "エヌ・ティ・ティデータ",
            "company_name_kana": "エヌ・ティ・ティデータ",
            "corporate_number": "0000000000000",
        },
        by=customer,
    )
    service.start_change(
        "chg-2",
        by=customer,
        site_id="app-1",
        change_menu=ChangeMenu.FAULT_CONTACT_CHANGE,
        contact_email="it@example.co.jp",
    )
    service.set_fault_contacts(
        "chg-2",
        DocumentKind.FAULT_CONTACT_CHANGE,
        contacts,
        by=customer,
        change_date=date(2025, 5, 1),
    )
    for event, by in (("submit", customer), ("start_review", STAFF), ("accept", STAFF)):
        service.send("chg-2", DocumentKind.FAULT_CONTACT_CHANGE, event, by=by)  # scheduled
    service.start_change(  # a rename: the site is locked, then renamed (SUB-5)
        "chg-3",
        by=customer,
        site_id="app-1",
        change_menu=ChangeMenu.SITE_NAME_CHANGE,
        contact_email="it@example.co.jp",
    )
    renamed = {"company_abbrev": "NTTデータ", "location": "品川"}
    service.fill_in("chg-3", DocumentKind.SITE_NAME_CHANGE, renamed, by=customer)
    for event, by in (("submit", customer), ("start_review", STAFF), ("accept", STAFF)):
        service.send("chg-3", DocumentKind.SITE_NAME_CHANGE, event, by=by)
    service.start_change(  # another rename, closed unaccepted: the lock goes (SUB-16)
        "chg-4",
        by=customer,
        site_id="app-1",
        change_menu=ChangeMenu.SITE_NAME_CHANGE,
        contact_email="it@example.co.jp",
    )
    service.close("chg-4", by=customer)
    _configuration_change(service, customer)
    service.apply_due(datetime(2025, 5, 1, tzinfo=JST), by=SYSTEM)  # chg-2's contacts (SUB-3(i))


def _configuration_change(service: SubmissionService, customer: Principal) -> None:
    """Take a 設定変更 with an ASP change to 承諾: the site takes its ASPs (SUB-5, SUB-17)."""
    kind = DocumentKind.CONFIGURATION_CHANGE
    service.start_change(
        "chg-5",
        by=customer,
        site_id="app-1",
        change_menu=ChangeMenu.CONFIGURATION_CHANGE,
        contact_email="it@example.co.jp",
        asp_change=[ASP.SDS],
    )
    service.fill_in("chg-5", kind, {"change_details": "ZEDI の利用を終了"}, by=customer)
    service.send("chg-5", kind, "complete_fields", by=customer)
    service.upload("chg-5", kind, "変更申込書.pdf", by=customer)
    for event, by in (("submit", customer), ("start_review", STAFF), ("receive", STAFF)):
        service.send("chg-5", kind, event, by=by)
    service.record_construction_completed("chg-5", date(2025, 4, 2), by=STAFF)
    service.send("chg-5", kind, "accept", by=STAFF)


def _complete(service: SubmissionService, customer: Principal) -> None:
    """Take the rest of app-1's documents to done: its site is installed."""
    kind = DocumentKind
    steps: list[tuple[DocumentKind, str, Principal]] = [
        (kind.APPLICATION_FORM, "start_review", STAFF),
        (kind.APPLICATION_FORM, "receive", STAFF),
        (kind.LAN_PARAMETERS, "publish_sheet", STAFF),
    ]
    for document, event, by in steps:
        service.send("app-1", document, event, by=by)
    service.upload("app-1", kind.LAN_PARAMETERS, "パラメータシート.xlsx", by=customer)
    steps = [
        (kind.LAN_PARAMETERS, "submit", customer),
        (kind.LAN_PARAMETERS, "start_review", STAFF),
        (kind.LAN_PARAMETERS, "accept", STAFF),
        (kind.INSTALLATION_SUPPLIES, "submit", customer),
        (kind.INSTALLATION_SUPPLIES, "accept", STAFF),
        (kind.FAULT_CONTACTS, "submit", customer),
        (kind.FAULT_CONTACTS, "start_review", STAFF),
        (kind.FAULT_CONTACTS, "accept", STAFF),
        (kind.BILLING_CORRECTION, "start_review", STAFF),
        (kind.BILLING_CORRECTION, "accept", STAFF),
        (kind.APPLICATION_FORM, "accept", STAFF),
    ]
    for document, event, by in steps:
        service.send("app-1", document, event, by=by)


def _id_changes(store: InMemoryStore) -> None:
    clock = FixedClock(datetime(2026, 5, 20, 10, 0, tzinfo=JST))
    service = IdChangeService(applications=store.id_changes, clock=clock)
    for application_id, customer_id in (("idc-1", "cust-1"), ("idc-2", "cust-2")):
        admin = Principal.customer(customer_id, user_id=f"{customer_id}-admin", role=Role.ADMIN)
        service.submit(
            application_id,
            by=admin,
            contact_email="admin@example.co.jp",
            service=Service.GOOGLE_WORKSPACE,
            target=Target.NEXT_MONTH,
            delta=2,
            current_count=10,
            consented=True,
        )
    service.withdraw("idc-2", by=admin)  # cust-2's administrator
    service.submit(  # an M365 add-on changes add-ons; reported applied (IDC-8)
        "idc-3",
        by=admin,
        contact_email="admin@example.co.jp",
        service=Service.M365_ADDONS,
        target=Target.CURRENT_MONTH,
        delta=1,
        current_count=10,
        consented=True,
    )
    service.apply_due(datetime(2026, 6, 1, 12, 0, tzinfo=JST), by=SYSTEM)  # 処理中 (IDC-3)
    clock.set(datetime(2026, 6, 2, 10, 0, tzinfo=JST))
    service.complete("idc-1", by=STAFF)
    service.report_applied("idc-3", by=STAFF)


def _inquiries(store: InMemoryStore) -> None:
    files = InMemoryAttachmentStore()
    service = InquiryService(
        inquiries=store.inquiries,
        clock=FixedClock(T0),
        attachments=files,
        services=InMemoryContractedServices({"tenant-1": ("KDDI IP-VPN",)}),
    )
    user = Principal.customer("tenant-1", user_id="sato@example.co.jp", role=Role.USER)
    service.open(
        "inq-1",
        by=user,
        subject="VPN につながらない",
        body="朝から接続できません",
        contact_email="sato@example.co.jp",
        attachments=(Attachment(attachment_id="att-1", filename="log.txt", size_bytes=10),),
        service="KDDI IP-VPN",
    )
    service.add_message(  # a follow-up in 受付 with its own file (INQ-1, INQ-2)
        "inq-1",
        "拠点Bでも同じです",
        by=user,
        attachments=(Attachment(attachment_id="att-2", filename="画面.png", size_bytes=20),),
    )
    service.answer("inq-1", "再起動をお試しください", by=STAFF)
    service.add_message("inq-1", "直りました", by=user)
    service.resolve("inq-1", by=user)
    service.apply_due(attachment_purge_at(T0), by=SYSTEM)  # the files go (INQ-2)


def _ocn(store: InMemoryStore) -> None:
    """Run the seed's line through every OCN step (OCN-2 … OCN-5).

    A rename with its virus check (1.2.4), a switch-off, a name found taken, a cancelled
    deletion, a change the 廃止 withdraws, and the cancellation from 受付完了 to 廃止完了.
    """
    service = OcnService(
        customers=store.ocn_customers, clock=FixedClock(T0), hasher=TestPasswordHasher()
    )
    customer = Principal.customer("ocn-1")
    service.create_customer(
        "ocn-1",
        by=STAFF,
        accounts=("abcdefg", "k04xm40u"),
        hosts=("arrow.ocn.ne.jp", "dune.ocn.ne.jp"),
    )
    rename = MailChangeRequest(
        pattern=MailChangePattern.ACCOUNT_AND_VIRUS_CHECK,
        action=AccountAction.RENAME,
        account="k04xm40u",
        new_name="opqrstu",
        virus_check=VirusCheck.USE,
        virus_check_consent=True,
        notify=("abcdefg", "k04xm40u"),
    )
    password = "Kq7-mail!"  # noqa: S105  # a test value
    service.apply_mail_change(
        "ocn-1", rename, by=customer, password=password, password_confirmation=password
    )
    service.register_mail_change("ocn-1", by=STAFF, host="dune.ocn.ne.jp")
    off = MailChangeRequest(
        pattern=MailChangePattern.VIRUS_CHECK_ONLY,
        account="opqrstu",
        virus_check=VirusCheck.NOT_USE,
    )
    service.apply_mail_change("ocn-1", off, by=customer)
    service.register_mail_change("ocn-1", by=STAFF)
    add = MailChangeRequest(
        pattern=MailChangePattern.ACCOUNT_ONLY, action=AccountAction.ADD, new_name="info"
    )
    service.apply_mail_change(
        "ocn-1", add, by=customer, password=password, password_confirmation=password
    )
    service.report_name_unavailable("ocn-1", by=STAFF)
    delete = MailChangeRequest(
        pattern=MailChangePattern.ACCOUNT_ONLY, action=AccountAction.DELETE, account="opqrstu"
    )
    service.apply_mail_change("ocn-1", delete, by=customer)
    service.cancel_mail_change("ocn-1", by=customer)
    service.apply_mail_change(
        "ocn-1", add, by=customer, password=password, password_confirmation=password
    )  # withdrawn by the 廃止
    cancellation = CancellationRequest(
        desired_date=date(2026, 12, 31),
        reason="移行",
        reason_detail="他社サービスへ移行するため",
        migration_reason="コスト",
        contact_name="山田太郎",
        phone="0312345678",
        email="taro@example.co.jp",
        email_confirmation="taro@example.co.jp",
        notes="平日午前に連絡希望",
        contact_fax="03-1234-5679",
    )
    service.submit_cancellation("ocn-1", cancellation, by=customer)
    service.complete_cancellation("ocn-1", by=STAFF)
    service.create_customer("ocn-2", by=STAFF, accounts=("jiro",))  # no host recorded


def _accounts(store: InMemoryStore) -> None:
    clock = FixedClock(T0)
    passwords = PasswordService(
        credentials=store.credentials,
        clock=clock,
        hasher=TestPasswordHasher(),
        policy=KDDI_PORTAL_PASSWORD,
    )
    directory = UserDirectoryService(tenants=store.tenants, clock=clock, passwords=passwords)
    directory.create_tenant(
        "t-1", by=STAFF, admin_id="admin@example.co.jp", family_name="山田", given_name="太郎"
    )
    admin = Principal.customer("t-1", user_id="admin@example.co.jp", role=Role.ADMIN)
    directory.complete_setup("t-1", by=admin, user_id="admin@example.co.jp", link=1)
    user_id = "sato@example.co.jp"
    directory.add_user(
        "t-1",
        by=admin,
        user_id=user_id,
        role=Role.USER,
        family_name="佐藤",
        given_name="花子",
        notification_address="hanako@example.jp",
        organisation="営業部",
    )
    directory.resend_setup_mail("t-1", by=admin, user_id=user_id)  # ACC-11: link 2
    sato = Principal.customer("t-1", user_id=user_id, role=Role.USER)
    directory.complete_setup("t-1", by=sato, user_id=user_id, link=2)
    directory.edit_user(
        "t-1", by=admin, user_id=user_id, family_name_kana="サトウ", phone="0312345678"
    )
    directory.change_role("t-1", by=admin, user_id=user_id, role=Role.ADMIN)
    passwords.set_initial(user_id, by=sato, new="first1pass", confirmation="first1pass")
    clock.advance(days=2)
    passwords.change(
        user_id, by=sato, current="first1pass", new="second2pass", confirmation="second2pass"
    )
    directory.set_temporary_password(  # ACC-11: the credential must be changed
        "t-1", by=admin, user_id=user_id, new="temp3pass", confirmation="temp3pass"
    )


def stored_world() -> tuple[list[object], list[Event]]:
    """Return every stored aggregate and every recorded event of a busy day in every domain."""
    store = InMemoryStore()
    for build in (_contracts, _applications, _id_changes, _inquiries, _ocn, _accounts):
        build(store)
    repositories: list[Any] = [
        store.contracts,
        store.applications,
        store.sites,
        store.id_changes,
        store.inquiries,
        store.ocn_customers,
        store.tenants,
        store.credentials,
    ]
    aggregates = [aggregate for repository in repositories for aggregate in repository]
    return aggregates, [record.event for record in store.outbox.records()]


def test_port_7_every_aggregate_and_event_of_every_domain_round_trips() -> None:
    aggregates, events = stored_world()
    for value in [*aggregates, *events]:
        text = encode(value)
        assert decode(text, expected=type(value)) == value
        assert encode(decode(text)) == text  # stable: the same value writes the same text
    assert {type_name(value) for value in [*aggregates, *events]} == library_stored_names()


def library_stored_names() -> set[str]:
    """Return the stored type name of every class the domains declare (PORT-7)."""
    names = set()
    for domain in ("accounts", "contract", "id_change", "inquiry", "ocn", "submission"):
        for layer in ("model", "aggregate"):
            module = importlib.import_module(f"omakase_core.{domain}.{layer}")
            for value in vars(module).values():
                if isinstance(value, type) and value.__module__ == module.__name__:
                    try:
                        names.add(type_name(value))
                    except ValidationError:  # a value type, not stored on its own
                        continue
    assert len(names) >= 33
    return names


def test_port_7_an_application_keeps_its_document_details_contacts_and_schedule() -> None:
    aggregates, _ = stored_world()
    by_id = {a.id: a for a in aggregates if isinstance(a, Application)}  # a site shares an id
    for application_id in ("app-1", "app-2", "chg-1", "chg-2"):
        application: Any = by_id[application_id]
        again: Any = decode(encode(application), expected=type(application))
        assert again.documents == application.documents
    assert any(document.details for document in by_id["app-2"].documents)
    assert by_id["app-1"].schedule is not None  # type: ignore[attr-defined]


# -- the envelope: a declared name, a schema, the data --------------------------------------------


def test_port_7_the_stored_text_names_the_declared_type_and_schema_never_the_class_name() -> None:
    contract = Contract.open(id="c-1", contractor=OWNER, opened_at=T0)
    envelope = json.loads(encode(contract))
    assert (envelope["type"], envelope["schema"]) == ("contract.Contract", 1)
    assert type_name(Contract) == type_name(contract) == "contract.Contract"
    assert type_name(TerminationRequested) == "contract.TerminationRequested"


def test_port_7_an_aggregate_is_stored_without_its_pending_events() -> None:
    contract = Contract.open(id="c-1", contractor=OWNER, opened_at=T0)
    contract = contract.request_termination(actor=Actor.CONTRACTOR, at=T0)
    assert contract.pending_events
    text = encode(contract)
    assert "pending_events" not in json.loads(text)["data"]
    assert decode(text, expected=Contract) == contract.saved()
    data = json.loads(text)
    data["data"]["pending_events"] = []
    with pytest.raises(DecodeError) as raised:
        decode(json.dumps(data))
    assert (raised.value.type_name, raised.value.field) == ("contract.Contract", "pending_events")


class Colour(enum.Enum):
    """An enum stored by value."""

    RED = "red"
    BLUE = "blue"


class Size(enum.IntEnum):
    """An int enum stored by value."""

    S = 1
    L = 3


@stored("portal.Everything")
@attrs.frozen(kw_only=True)
class Everything:
    """A value using every kind of field the converter supports (PORT-7)."""

    _secret: str
    derived: int = attrs.field(init=False)
    at: datetime
    on: date
    opens: time
    colour: Colour
    size: Size
    tags: frozenset[str]
    limits: Mapping[str, int]
    pair: tuple[int, str]
    code: int | str
    maybe: date | None = None
    ratio: float = 0.5
    flag: bool = False

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "derived", len(self._secret))


def everything(cls: type[Everything] = Everything, **changes: Any) -> Everything:
    values: dict[str, Any] = {
        "secret": "abc",
        "at": datetime(2026, 1, 1, 1, 0, tzinfo=UTC),
        "on": date(2026, 1, 2),
        "opens": time(9, 30),
        "colour": Colour.BLUE,
        "size": Size.L,
        "tags": frozenset({"b", "a", "c"}),
        "limits": {"x": 1, "y": 2},
        "pair": (1, "one"),
        "code": "7",
    }
    return cls(**{**values, **changes})


def test_port_7_the_converter_stores_every_supported_kind_of_field() -> None:
    value = everything()
    text = encode(value)
    data = json.loads(text)["data"]
    assert data == {
        "_secret": "abc",
        "at": "2026-01-01T01:00:00+00:00",
        "on": "2026-01-02",
        "opens": "09:30:00",
        "colour": "blue",
        "size": 3,
        "tags": ["a", "b", "c"],
        "limits": {"x": 1, "y": 2},
        "pair": [1, "one"],
        "code": "7",
        "maybe": None,
        "ratio": 0.5,
        "flag": False,
    }
    again = decode(text, expected=Everything)
    assert again == value
    assert again.derived == 3  # init=False: derived again, not stored
    assert again.at.utcoffset() == timedelta(hours=9)  # read back in JST (CAL-1)
    assert type(again.code) is str
    assert decode(encode(everything(code=7)), expected=Everything).code == 7


@given(
    secret=st.text(max_size=20),
    tags=st.frozensets(st.text(max_size=5), max_size=5),
    limits=st.dictionaries(st.text(max_size=5), st.integers(-(2**63) + 1, 2**63 - 1)),
    ratio=st.floats(allow_nan=False, allow_infinity=False),
    at=st.datetimes(
        min_value=datetime(1955, 1, 2),  # noqa: DTZ001  # hypothesis's bounds are naive
        max_value=datetime(2099, 12, 30),  # noqa: DTZ001
        timezones=st.just(JST),
    ),
)
def test_port_7_values_round_trip(
    secret: str, tags: frozenset[str], limits: dict[str, int], ratio: float, at: datetime
) -> None:
    try:
        value = everything(secret=secret, tags=tags, limits=limits, ratio=ratio, at=at)
        text = encode(value)
    except ValidationError:  # text that is not valid Unicode: refused when written
        assert any(not s.isascii() for s in (secret, *tags, *limits))
        return
    assert decode(text, expected=Everything) == value


def test_port_7_a_frozenset_is_written_in_a_stable_order() -> None:
    orders = {encode(everything(tags=frozenset(tags))) for tags in (["a", "b"], ["b", "a"])}
    assert len(orders) == 1


# -- unions and literals: read back as the arm they were written as -----------------------------


class Paint(enum.StrEnum):
    """A text enum: its members are also ``str``."""

    RED = "red"
    GREEN = "green"


class Light(enum.StrEnum):
    """Another text enum sharing the value ``"red"`` with :class:`Paint`."""

    RED = "red"
    AMBER = "amber"


class Switch(enum.Enum):
    """A plain enum, stored by value."""

    ON = "on"


@stored("portal.Unions")
@attrs.frozen(kw_only=True)
class Unions:
    """Unions whose arms overlap as Python types, and literals of enum members (PORT-7)."""

    named: str | Paint = "plain"
    number: float | int = 0
    exact: Literal[Paint.RED] = Paint.RED
    switch: Literal[Switch.ON] | None = None
    shade: str | Paint | Light = "plain"
    count: int | bool = 0
    day: str | date = "plain"
    moment: date | datetime | None = None


def _unions(field: str, value: object) -> Unions:
    changes: dict[str, Any] = {field: value}
    return Unions(**changes)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("named", Paint.RED),
        ("named", "blue"),
        ("number", 1),
        ("number", 1.0),
        ("number", 2.5),
        ("number", 2**63 - 1),
        ("number", 1e300),
        ("exact", Paint.RED),
        ("switch", Switch.ON),
        ("shade", Paint.RED),
        ("shade", Light.AMBER),
        ("shade", "blue"),
        ("count", True),
        ("count", 1),
        ("day", date(2026, 1, 2)),
        ("day", "tomorrow"),
        ("moment", date(2026, 1, 2)),
        ("moment", datetime(2026, 1, 2, 3, 4, tzinfo=JST)),
    ],
)
def test_port_7_a_union_or_literal_reads_back_as_exactly_what_was_written(
    field: str, value: object
) -> None:
    """Never a silently wrong value: ``Paint.RED`` stays a Paint, ``1`` stays an int."""
    written = _unions(field, value)
    again = getattr(decode(encode(written), expected=Unions), field)
    assert again == value
    assert type(again) is type(value)


@pytest.mark.parametrize(
    ("field", "value", "read_as"),
    [
        ("named", "red", "Paint"),
        ("shade", "red", "Paint"),
        ("shade", "amber", "Light"),
        ("shade", Light.RED, "Paint"),
        ("day", "2026-01-02", "date"),
        ("number", 1e16, "int"),
        ("number", -1.5e18, "int"),
    ],
)
def test_port_7_a_union_value_whose_json_another_arm_reads_is_refused_when_written(
    field: str, value: object, read_as: str
) -> None:
    """Arms stored alike are told apart when writing, never by a wrong value on reading.

    ``"red"`` in ``str | Paint`` would read back as ``Paint.RED``; ``Light.RED`` where
    ``Paint`` comes first as ``Paint.RED``; a float of 1e16 or more in ``float | int`` is
    written by PostgreSQL jsonb as an integer, which would read back as an int.
    """
    with pytest.raises(ValidationError, match=f"would read back as .*{read_as}") as raised:
        encode(_unions(field, value))
    assert (raised.value.field, raised.value.rule) == ("value", "PORT-7")


def test_port_7_a_float_beyond_64_bits_in_float_or_int_is_stored_as_a_float() -> None:
    """No int arm reads 1e19 (beyond 64 bits), so it stays a float even through jsonb."""
    text = encode(Unions(number=1e19))
    jsonb = text.replace('"number": 1e+19', '"number": 10000000000000000000')
    for stored_text in (text, jsonb):
        number = decode(stored_text, expected=Unions).number
        assert (type(number), number) == (float, 1e19)


def test_port_7_a_literal_of_enum_members_is_stored_by_value() -> None:
    data = json.loads(encode(Unions(switch=Switch.ON)))["data"]
    assert (data["exact"], data["switch"]) == ("red", "on")
    with pytest.raises(DecodeError) as raised:
        decode(encode(Unions()).replace('"exact": "red"', '"exact": "green"'))
    assert raised.value.field == "exact"


# -- floats through a JSON store that rewrites them (PostgreSQL jsonb) -------------------------


@pytest.mark.parametrize(
    ("ratio", "jsonb"),
    [
        (1e25, "10000000000000000000000000"),
        (-1e25, "-10000000000000000000000000"),
        (1e20, "100000000000000000000"),
        (1e16, "10000000000000000"),
        (1.5e16, "15000000000000000"),
        (1e25, str(int(1e25))),  # the float's exact value, written out in full
        (1.7976931348623157e308, "17976931348623157" + "0" * 292),
    ],
)
def test_port_7_a_float_field_reads_the_integer_literal_jsonb_writes_for_it(
    ratio: float, jsonb: str
) -> None:
    """PostgreSQL jsonb stores ``1e25`` as ``10000000000000000000000000``: it reads back."""
    text = encode(everything(ratio=ratio))
    written = json.dumps(ratio)
    assert f'"ratio": {written}' in text
    again = decode(text.replace(f'"ratio": {written}', f'"ratio": {jsonb}'), expected=Everything)
    assert (type(again.ratio), again.ratio) == (float, ratio)


@pytest.mark.parametrize(
    ("stored_field", "field"),
    [
        ('"ratio": 10000000000000000000000001', "ratio"),  # rounds to 1e25: not what was written
        ('"ratio": 9007199254740993', "ratio"),  # 2**53 + 1: no float holds it
        ('"ratio": 1' + "0" * 309, "ratio"),  # 1e309: beyond any float
        ('"limits": {"x": 10000000000000000000000000}', "limits['x']"),  # an int: 64 bits
    ],
)
def test_port_7_an_integer_literal_no_field_holds_exactly_is_a_decode_error(
    stored_field: str, field: str
) -> None:
    """A float field never rounds an integer it reads; an int field still holds 64 bits."""
    data = json.loads(encode(everything()))
    data["data"].update(json.loads("{" + stored_field + "}"))
    with pytest.raises(DecodeError) as raised:
        decode(json.dumps(data))
    assert (raised.value.type_name, raised.value.field) == ("portal.Everything", field)


# -- names: declared, unique, never shadowing the library's -----------------------------------


@stored("portal.TerminationRequested")
@attrs.frozen(kw_only=True)
class CallersTerminationRequested(Event):
    """A caller's event whose Python name is the library's."""

    aggregate_type: ClassVar[str] = "portal"
    note: str = ""


def test_port_7_a_callers_class_can_never_shadow_the_librarys() -> None:
    library_event = TerminationRequested(
        aggregate_id="c-1",
        version=1,
        occurred_at=T0,
        contractor=OWNER,
        timeline=Contract.open(id="c-1", contractor=OWNER, opened_at=T0)
        .request_termination(actor=Actor.CONTRACTOR, at=T0)
        .history[0]
        .timeline,
    )
    mine = CallersTerminationRequested(aggregate_id="p-1", version=1, occurred_at=T0)
    assert type(decode(encode(library_event))) is TerminationRequested
    assert type(decode(encode(mine))) is CallersTerminationRequested

    class TerminationRequestedToo(Event):
        pass

    for name in ("contract.TerminationRequested", "contract.Mine", "submission.X", "codec.X"):
        with pytest.raises(DefinitionError, match="belongs to omakase_core"):
            stored(name)(attrs.frozen(TerminationRequestedToo))
    assert type(decode(encode(library_event))) is TerminationRequested


def test_port_7_two_classes_under_one_name_is_a_definition_error() -> None:
    @stored("portal.Once")
    @attrs.frozen
    class First:
        x: int

    class Second:
        x: int

    with pytest.raises(DefinitionError, match="already names"):
        stored("portal.Once")(attrs.frozen(Second))
    with pytest.raises(DefinitionError, match="already stored as"):
        stored("portal.Twice")(First)
    assert type_name(First) == "portal.Once"
    assert stored("portal.Once")(First) is First  # declaring the same class again is harmless


@pytest.mark.parametrize(
    ("name", "version", "field"),
    [
        ("Contract", 1, "name"),
        ("portal.", 1, "name"),
        ("Portal.X", 1, "name"),
        ("portal.x y", 1, "name"),
        ("portal." + "X" * 100, 1, "name"),
        ("portal.X", 0, "version"),
        ("portal.X", True, "version"),
        ("portal.X", "2", "version"),
    ],
)
def test_port_7_a_name_is_namespace_dot_name_and_a_version_a_positive_int(
    name: str, version: int, field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        stored(name, version=version)
    assert raised.value.field == field


def test_port_7_only_attrs_classes_are_stored() -> None:
    class Plain:
        pass

    with pytest.raises(ValidationError, match=r"above @attrs\.frozen") as raised:
        stored("portal.Plain")(Plain)
    assert raised.value.field == "cls"


# -- schema versions and upcasters -------------------------------------------------------------


@stored("portal.InvoiceSent", version=3)
@attrs.frozen(kw_only=True)
class InvoiceSent(Event):
    """Schema 1 had ``amount`` (yen, tax included); schema 2 split it; schema 3 added a memo."""

    aggregate_type: ClassVar[str] = "invoice"
    amount_yen: int
    tax_included: bool
    memo: str = ""


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Turn schema 1 into 2: ``amount`` becomes ``amount_yen``; v1 amounts included tax."""
    upcast = {key: value for key, value in data.items() if key != "amount"}
    return {**upcast, "amount_yen": data["amount"], "tax_included": True}


register_upcaster("portal.InvoiceSent", 1, _v1_to_v2)
# Schema 2 → 3 only added ``memo`` with a default: no upcaster, older data decodes as is.

V1 = {
    "type": "portal.InvoiceSent",
    "schema": 1,
    "data": {
        "aggregate_id": "inv-1",
        "version": 1,
        "occurred_at": "2026-01-01T10:00:00+09:00",
        "amount": 1100,
    },
}


def test_port_7_an_upcaster_brings_schema_1_data_to_the_current_schema() -> None:
    event = decode(json.dumps(V1), expected=InvoiceSent)
    assert (event.amount_yen, event.tax_included, event.memo) == (1100, True, "")
    assert json.loads(encode(event))["schema"] == 3


def test_port_7_a_field_added_with_a_default_decodes_from_older_data() -> None:
    v2 = json.loads(encode(InvoiceSent(**_invoice(), amount_yen=5, tax_included=False)))
    del v2["data"]["memo"]
    v2["schema"] = 2
    assert decode(json.dumps(v2), expected=InvoiceSent).memo == ""


def _invoice() -> dict[str, Any]:
    return {"aggregate_id": "inv-1", "version": 1, "occurred_at": T0}


def test_port_7_data_of_a_newer_schema_is_refused() -> None:
    v4 = json.loads(encode(InvoiceSent(**_invoice(), amount_yen=5, tax_included=False)))
    v4["schema"] = 4
    with pytest.raises(DecodeError, match="newer release") as raised:
        decode(json.dumps(v4))
    assert (raised.value.type_name, raised.value.field) == ("portal.InvoiceSent", "schema")


def test_port_7_upcasters_are_unique_lead_from_older_schemas_and_only_for_declared_types() -> None:
    with pytest.raises(DefinitionError, match="already has an upcaster"):
        register_upcaster("portal.InvoiceSent", 1, _v1_to_v2)
    with pytest.raises(DefinitionError, match="older schema"):
        register_upcaster("portal.InvoiceSent", 3, _v1_to_v2)
    with pytest.raises(DefinitionError, match="not a stored type"):
        register_upcaster("portal.Unknown", 1, _v1_to_v2)
    with pytest.raises(DefinitionError, match="only the library"):
        register_upcaster("contract.Contract", 1, _v1_to_v2)
    with pytest.raises(ValidationError) as not_callable:
        register_upcaster("portal.InvoiceSent", 2, "upcast")  # type: ignore[arg-type]
    assert not_callable.value.field == "upcast"


@stored("portal.Fragile", version=2)
@attrs.frozen(kw_only=True)
class Fragile:
    """A type whose upcaster fails on some old data."""

    n: int


def _fragile(data: dict[str, Any]) -> dict[str, Any]:
    return {"n": 100 // data["n"]}


register_upcaster("portal.Fragile", 1, _fragile)


def test_port_7_a_failing_upcaster_is_a_decode_error() -> None:
    text = '{"type": "portal.Fragile", "schema": 1, "data": {"n": 0}}'
    with pytest.raises(DecodeError, match="upcaster from schema 1 failed") as raised:
        decode(text)
    assert raised.value.type_name == "portal.Fragile"
    assert decode(text.replace('"n": 0', '"n": 4'), expected=Fragile).n == 25


# -- malformed stored data: a DecodeError naming the type and the field, nothing else -------------

GOOD = encode(everything())


def _with(**data: object) -> str:
    envelope = json.loads(GOOD)
    envelope["data"].update(data)
    return json.dumps(envelope)


@pytest.mark.parametrize(
    ("text", "type_name_", "field"),
    [
        ("", None, None),
        ("{", None, None),
        ("not json", None, None),
        ("[1]", None, None),
        ("null", None, None),
        ('{"type": "portal.Everything", "data": {}}', None, None),
        ('{"type": "portal.Everything", "schema": 1, "data": {}, "more": 1}', None, None),
        ('{"type": ["x"], "schema": 1, "data": {}}', None, "type"),
        ('{"type": "portal.Nothing", "schema": 1, "data": {}}', "portal.Nothing", "type"),
        ('{"type": "Everything", "schema": 1, "data": {}}', "Everything", "type"),
        (GOOD.replace('"schema": 1', '"schema": 0'), "portal.Everything", "schema"),
        (GOOD.replace('"schema": 1', '"schema": -1'), "portal.Everything", "schema"),
        (GOOD.replace('"schema": 1', '"schema": "1"'), "portal.Everything", "schema"),
        (GOOD.replace('"schema": 1', '"schema": 1.0'), "portal.Everything", "schema"),
        (GOOD.replace('"schema": 1', '"schema": true'), "portal.Everything", "schema"),
        (GOOD.replace('"schema": 1', '"schema": null'), "portal.Everything", "schema"),
        (GOOD.replace('"schema": 1', '"schema": ' + "9" * 30), "portal.Everything", "schema"),
        (GOOD.replace('"schema": 1', '"schema": ' + "9" * 5000), None, None),
        ('{"type": "portal.Everything", "schema": 1, "data": "x"}', "portal.Everything", "data"),
        ('{"type": "portal.Everything", "schema": 1, "data": {}}', "portal.Everything", "_secret"),
        (_with(_secret=3), "portal.Everything", "_secret"),
        (_with(nope=3), "portal.Everything", "nope"),
        (_with(derived=3), "portal.Everything", "derived"),
        (_with(at="2026-01-01T01:00:00"), "portal.Everything", "at"),
        (_with(at="yesterday"), "portal.Everything", "at"),
        (_with(at=1_767_225_600), "portal.Everything", "at"),
        (_with(on="2026-02-30"), "portal.Everything", "on"),
        (_with(opens="25:00"), "portal.Everything", "opens"),
        (_with(colour="BLUE"), "portal.Everything", "colour"),
        (_with(colour=["blue"]), "portal.Everything", "colour"),
        (_with(size="3"), "portal.Everything", "size"),
        (_with(size=True), "portal.Everything", "size"),
        (_with(tags="ab"), "portal.Everything", "tags"),
        (_with(tags={"a": 1}), "portal.Everything", "tags"),
        (_with(tags=["a", 1]), "portal.Everything", "tags[1]"),
        (_with(limits=[["x", 1]]), "portal.Everything", "limits"),
        (_with(limits={"x": "1"}), "portal.Everything", "limits['x']"),
        (_with(limits={"x": 2**63}), "portal.Everything", "limits['x']"),
        (_with(pair=[1]), "portal.Everything", "pair"),
        (_with(pair=[1, "one", 2]), "portal.Everything", "pair"),
        (_with(pair=["1", "one"]), "portal.Everything", "pair[0]"),
        (_with(code=1.5), "portal.Everything", "code"),
        (_with(code=None), "portal.Everything", "code"),
        (_with(maybe="soon"), "portal.Everything", "maybe"),
        (_with(ratio="0.5"), "portal.Everything", "ratio"),
        (_with(flag=0), "portal.Everything", "flag"),
        (GOOD.replace('"ratio": 0.5', '"ratio": NaN'), None, None),
        (GOOD.replace('"ratio": 0.5', '"ratio": Infinity'), None, None),
        (_with(limits={"x": [[[[[[[[[[1]]]]]]]]]]}), "portal.Everything", "limits['x']"),
        (GOOD.replace('"abc"', "[" * 100_000 + "]" * 100_000), None, None),
        (GOOD.replace('"abc"', "[" * 500 + "]" * 500), "portal.Everything", "_secret"),
    ],
)
def test_port_7_malformed_stored_data_is_a_decode_error_naming_the_type_and_field(
    text: str, type_name_: str | None, field: str | None
) -> None:
    with pytest.raises(DecodeError) as raised:
        decode(text)
    assert (raised.value.type_name, raised.value.field) == (type_name_, field)
    assert raised.value.rule == "PORT-7"
    assert len(str(raised.value)) < 300
    if field is not None and field not in {"type", "schema", "data"}:
        assert field in str(raised.value)


@pytest.mark.parametrize(
    "bad", [b for b in JSON_TEXT.family or () if b.label != "a stored value that is not an event"]
)
def test_port_7_every_bad_stored_text_of_the_bad_input_table_is_a_decode_error(bad: Any) -> None:
    """SEC-2: the codec's refusals of stored text are DecodeErrors, never a raw exception."""
    with pytest.raises(DecodeError):
        decode(bad.make())


def test_port_7_a_value_its_own_class_refuses_is_a_decode_error_naming_the_field() -> None:
    contract = Contract.open(id="c-1", contractor=OWNER, opened_at=T0)
    text = encode(contract).replace("taro@example.co.jp", "taro")
    with pytest.raises(DecodeError, match="e-mail") as raised:
        decode(text)
    assert (raised.value.type_name, raised.value.field) == ("contract.Contract", "contractor.email")
    with pytest.raises(DecodeError) as status:
        decode(encode(contract).replace('"active"', '"稼働中"'))
    assert status.value.field == "status"


def test_port_7_decode_can_insist_on_the_expected_class() -> None:
    contract = Contract.open(id="c-1", contractor=OWNER, opened_at=T0)
    with pytest.raises(DecodeError, match="not a Everything") as raised:
        decode(encode(contract), expected=Everything)
    assert (raised.value.type_name, raised.value.field) == ("contract.Contract", "type")
    with pytest.raises(ValidationError) as not_a_class:
        decode(encode(contract), expected="Contract")  # type: ignore[call-overload]
    assert not_a_class.value.field == "expected"


def test_port_7_the_librarys_packages_load_on_their_first_decode() -> None:
    """A fresh process decodes an inquiry without importing omakase_core.inquiry first."""
    aggregates, _ = stored_world()
    inquiry = next(value for value in aggregates if type_name(value) == "inquiry.Inquiry")
    script = (
        "import sys; from omakase_core.codec import decode; "
        "assert 'omakase_core.inquiry' not in sys.modules; "
        "print(type(decode(sys.stdin.read())).__name__)"
    )
    done = subprocess.run(  # noqa: S603  # this interpreter, a fixed script
        [sys.executable, "-c", script],
        input=encode(inquiry),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert done.stdout.strip() == "Inquiry"


# -- encoding writes only what decoding reads back ----------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        None,
        "text",
        {"type": "contract.Contract"},
        Contract,
        Event(aggregate_id="e-1", version=1, occurred_at=T0),
        everything(ratio=math.nan),
        everything(ratio=math.inf),
        everything(secret="\ud800"),  # noqa: S106  # not a password: a lone surrogate
        everything(limits={"x": 2**63}),
        everything(at=datetime(2026, 1, 1)),  # noqa: DTZ001  # the point: a naive instant
        everything(on=datetime(2026, 1, 1, tzinfo=JST)),
        everything(code=1.5),
    ],
    ids=[
        "None",
        "text",
        "a dict",
        "a class",
        "an undeclared class",
        "NaN",
        "infinity",
        "lone surrogate",
        "int beyond 64 bits",
        "naive instant",
        "a datetime for a date",
        "a float where int | str is declared",
    ],
)
def test_port_7_encode_refuses_what_decode_could_not_read_back(value: object) -> None:
    with pytest.raises(ValidationError) as raised:
        encode(value)
    assert raised.value.field == "value"
    assert raised.value.rule == "PORT-7"


@stored("portal.Holder")
@attrs.frozen(kw_only=True)
class Holder:
    """Holds an event where the base class is declared."""

    colour: Colour
    inner: Everything | None = None


@attrs.frozen(kw_only=True)
class MoreThanEverything(Everything):
    """A subclass: its extra field would be lost where Everything is declared."""

    extra: int = 0


def test_port_7_a_subclass_where_its_base_is_declared_is_refused_not_cut_down() -> None:
    holder = Holder(colour=Colour.RED, inner=everything())
    assert decode(encode(holder), expected=Holder) == holder
    sub = everything(MoreThanEverything, extra=1)
    with pytest.raises(ValidationError, match="declared"):
        encode(Holder(colour=Colour.RED, inner=sub))


def test_port_7_decoding_from_many_threads_gives_the_same_values() -> None:
    aggregates, events = stored_world()
    texts = [encode(value) for value in [*aggregates, *events]]
    failures: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(20):
                for text in texts:
                    assert encode(decode(text)) == text
        except BaseException as error:  # reported below
            failures.append(error)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


def test_port_7_decode_error_is_an_omakase_error_and_a_value_error() -> None:
    with pytest.raises(DecodeError) as raised:
        decode("")
    assert isinstance(raised.value, OmakaseError)
    assert isinstance(raised.value, ValueError)


def test_port_7_an_instant_the_calendar_cannot_hold_is_refused_when_written_not_when_read() -> None:
    """CAL-8: what is written must read back, so an instant outside 1955-2099 is not written."""
    contract = Contract.open(
        id="c-1",
        contractor=Contractor(name="山田 太郎", email="taro@example.co.jp"),
        opened_at=datetime(2026, 11, 1, 10, 0, tzinfo=JST),
    )
    far = replace(contract, updated_at=datetime(1, 1, 1, tzinfo=JST))  # past the validators
    with pytest.raises(ValidationError, match="no UTC instant"):
        encode(far)
