"""SEC-1 and SEC-3 on the submission service: who acts on which application, on which version.

Every command and look-up takes ``by``. A customer sees only its own customer's
applications — another's answers exactly as an absent one — and creates only for itself;
the charts decide which moves are the customer's and which the operator's (SUB-2); a stale
``expected_version`` is refused. Every refusal leaves the stored application and the outbox
as they were.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from omakase_core import (
    Actor,
    ConcurrencyConflict,
    NotFound,
    PermissionDenied,
    Principal,
    ValidationError,
)
from omakase_core.submission import (
    Application,
    ChangeMenu,
    ConstructionSchedule,
    DocumentKind,
    Preference,
    SiteName,
    Slot,
    SubmissionService,
)
from tests.submission.conftest import (
    CONTACTS,
    CUSTOMER,
    OPERATOR,
    OTHER_CUSTOMER,
    Portal,
)

K = DocumentKind
Command = Callable[[SubmissionService, Principal, int | None], Application]


def schedule() -> ConstructionSchedule:
    def prefs(*days: date) -> tuple[Preference, ...]:
        return tuple(Preference(day=d, slot=Slot.PM) for d in days)

    return ConstructionSchedule(
        weekday_daytime=True,
        site_survey=prefs(date(2025, 5, 12), date(2025, 5, 13), date(2025, 5, 14)),
        line_work=prefs(date(2025, 6, 23), date(2025, 6, 24), date(2025, 6, 25)),
        converter=prefs(date(2025, 6, 30), date(2025, 7, 1), date(2025, 7, 2)),
        router=prefs(date(2025, 7, 7), date(2025, 7, 8), date(2025, 7, 9)),
    )


# Every command of the service, with the principal whose move it is, each valid on a fresh
# ベーシック application that has one deadline set (version 1).
COMMANDS: dict[str, tuple[Principal, Command]] = {
    "send (customer)": (
        CUSTOMER,
        lambda s, by, v: s.send(
            "app-1", K.INSTALLATION_SUPPLIES, "submit", by=by, expected_version=v
        ),
    ),
    "send (operator)": (
        OPERATOR,
        lambda s, by, v: s.send(
            "app-1", K.LAN_PARAMETERS, "publish_sheet", by=by, expected_version=v
        ),
    ),
    "upload": (
        CUSTOMER,
        lambda s, by, v: s.upload(
            "app-1", K.APPLICATION_FORM, "利用申込書.pdf", by=by, expected_version=v
        ),
    ),
    "fill_in": (
        CUSTOMER,
        lambda s, by, v: s.fill_in(
            "app-1", K.INSTALLATION_SUPPLIES, {"ladder": "脚立2台"}, by=by, expected_version=v
        ),
    ),
    "set_fault_contacts": (
        CUSTOMER,
        lambda s, by, v: s.set_fault_contacts(
            "app-1", K.FAULT_CONTACTS, CONTACTS, by=by, expected_version=v
        ),
    ),
    "set_deadline": (
        OPERATOR,
        lambda s, by, v: s.set_deadline(
            "app-1", K.INSTALLATION_SUPPLIES, date(2025, 4, 30), by=by, expected_version=v
        ),
    ),
    "set_schedule": (
        CUSTOMER,
        lambda s, by, v: s.set_schedule("app-1", schedule(), by=by, expected_version=v),
    ),
    "request_billing_correction": (
        CUSTOMER,
        lambda s, by, v: s.request_billing_correction("app-1", by=by, expected_version=v),
    ),
    "record_construction_completed": (
        OPERATOR,
        lambda s, by, v: s.record_construction_completed(
            "app-1", date(2025, 4, 1), by=by, expected_version=v
        ),
    ),
}
NAMES = sorted(COMMANDS)


@pytest.fixture
def prepared(portal: Portal) -> Portal:
    """Return the portal with a ベーシック application of ``cust-1`` at version 1."""
    portal.new_installation()
    portal.service.set_deadline("app-1", K.LAN_PARAMETERS, date(2025, 4, 20), by=OPERATOR)
    return portal


def absent_error(call: Callable[[SubmissionService], object]) -> NotFound:
    """Return what ``call`` raises on a portal where ``app-1`` does not exist."""
    with pytest.raises(NotFound) as raised:
        call(Portal.fresh().service)
    return raised.value


def assert_same_not_found(actual: NotFound, absent: NotFound) -> None:
    assert type(actual) is type(absent)
    assert (actual.kind, actual.id, str(actual)) == (absent.kind, absent.id, str(absent))


# -- SEC-1: another customer's application does not exist for them ------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_sec_1_another_customers_application_is_not_found_exactly_as_an_absent_one(
    prepared: Portal, name: str
) -> None:
    _, command = COMMANDS[name]
    before = prepared.snapshot()
    with pytest.raises(NotFound) as raised:
        command(prepared.service, OTHER_CUSTOMER, None)
    assert_same_not_found(raised.value, absent_error(lambda s: command(s, OTHER_CUSTOMER, None)))
    assert prepared.snapshot() == before


@pytest.mark.parametrize("name", NAMES)
def test_sec_1_a_foreign_application_is_not_found_even_with_its_right_version(
    prepared: Portal, name: str
) -> None:
    _, command = COMMANDS[name]
    before = prepared.snapshot()
    with pytest.raises(NotFound):
        command(prepared.service, OTHER_CUSTOMER, 1)
    assert prepared.snapshot() == before


def test_sec_1_looking_up_another_customers_application_reveals_nothing(
    prepared: Portal,
) -> None:
    with pytest.raises(NotFound) as raised:
        prepared.service.get("app-1", by=OTHER_CUSTOMER)
    assert_same_not_found(raised.value, absent_error(lambda s: s.get("app-1", by=OTHER_CUSTOMER)))
    assert prepared.service.get("app-1", by=CUSTOMER).customer_id == "cust-1"
    assert prepared.service.get("app-1", by=OPERATOR).customer_id == "cust-1"


@pytest.mark.parametrize("by", [Principal.contractor("contract-1"), Principal.system()])
def test_sec_1_a_contractor_sees_no_application_and_the_system_moves_none(
    prepared: Portal, by: Principal
) -> None:
    before = prepared.snapshot()
    if by.contract_id is not None:
        with pytest.raises(NotFound):
            prepared.service.get("app-1", by=by)
    for name in NAMES:
        _, command = COMMANDS[name]
        with pytest.raises((NotFound, PermissionDenied)):
            command(prepared.service, by, None)
    assert prepared.snapshot() == before


# -- SUB-2 through the principal: the charts decide who moves -----------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_sub_2_each_command_is_refused_to_the_other_actor_and_changes_nothing(
    prepared: Portal, name: str
) -> None:
    owner, command = COMMANDS[name]
    other = OPERATOR if owner is CUSTOMER else CUSTOMER
    before = prepared.snapshot()
    with pytest.raises(PermissionDenied) as raised:
        command(prepared.service, other, None)
    assert raised.value.actor == str(other.actor)
    assert prepared.snapshot() == before
    command(prepared.service, owner, None)


# -- SEC-3: the version the screen showed -------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_sec_3_a_stale_expected_version_is_a_conflict_and_changes_nothing(
    prepared: Portal, name: str
) -> None:
    owner, command = COMMANDS[name]
    before = prepared.snapshot()
    for stale in (0, 2):
        with pytest.raises(ConcurrencyConflict) as raised:
            command(prepared.service, owner, stale)
        assert (raised.value.expected_version, raised.value.actual_version) == (stale, 1)
    assert prepared.snapshot() == before


@pytest.mark.parametrize("name", NAMES)
def test_sec_3_the_version_the_screen_showed_lets_the_command_through(
    prepared: Portal, name: str
) -> None:
    owner, command = COMMANDS[name]
    after = command(prepared.service, owner, 1)
    assert after.version == 2
    assert prepared.service.get("app-1", by=owner).version == 2
    assert len(prepared.outbox) == 2


@pytest.mark.parametrize("bad", ["1", 1.0, True, -1])
def test_sec_3_an_expected_version_must_be_a_non_negative_int(
    prepared: Portal, bad: object
) -> None:
    before = prepared.snapshot()
    with pytest.raises(ValidationError) as raised:
        prepared.service.send(
            "app-1",
            K.INSTALLATION_SUPPLIES,
            "submit",
            by=CUSTOMER,
            expected_version=bad,  # type: ignore[arg-type]
        )
    assert raised.value.field == "expected_version"
    assert prepared.snapshot() == before


def test_sec_3_a_lost_race_is_a_conflict_not_a_time_order_error(prepared: Portal) -> None:
    """The clock is read after the load, so the loser of a race hits the version check."""
    seen = prepared.service.get("app-1", by=CUSTOMER).version
    prepared.clock.advance(hours=1)
    prepared.service.send("app-1", K.INSTALLATION_SUPPLIES, "submit", by=CUSTOMER)
    before = prepared.snapshot()
    with pytest.raises(ConcurrencyConflict):
        prepared.service.send(
            "app-1", K.INSTALLATION_SUPPLIES, "unsubmit", by=CUSTOMER, expected_version=seen
        )
    assert prepared.snapshot() == before


# -- SEC-1 when creating ------------------------------------------------------------------------


def test_sec_1_a_customer_creates_for_itself_without_naming_itself(portal: Portal) -> None:
    application = portal.new_installation()
    assert application.customer_id == "cust-1"
    named = portal.new_installation(
        "app-2", customer_id="cust-1", site=SiteName(company_abbrev="NTTデータ", location="三田")
    )
    assert named.customer_id == "cust-1"


def start_fault_contact_change(portal: Portal, site_id: str, *, by: Principal) -> Application:
    return portal.service.start_change(
        "chg-1",
        by=by,
        site_id=site_id,
        change_menu=ChangeMenu.FAULT_CONTACT_CHANGE,
        contact_email="it@example.co.jp",
    )


def test_sec_1_a_customer_cannot_create_for_another_customer(portal: Portal) -> None:
    """A change names a stored site: another customer's answers as an absent one (SUB-5)."""
    with pytest.raises(PermissionDenied) as raised:
        portal.new_installation(customer_id="cust-2")
    assert raised.value.rule == "SEC-1"
    with pytest.raises(NotFound) as absent:
        start_fault_contact_change(portal, "site-2", by=CUSTOMER)
    portal.installed_site("site-2", customer_id="cust-2")
    before = [*portal.sites.of_customer("cust-2"), *portal.outbox.records()]
    with pytest.raises(NotFound) as foreign:
        start_fault_contact_change(portal, "site-2", by=CUSTOMER)
    assert str(foreign.value) == str(absent.value)
    with pytest.raises(NotFound) as look_up:
        portal.service.get_site("site-2", by=CUSTOMER)
    assert str(look_up.value) == str(absent.value)
    assert len(portal.applications) == 0
    assert [*portal.sites.of_customer("cust-2"), *portal.outbox.records()] == before


def test_sec_1_an_operator_creates_for_the_customer_it_names(portal: Portal) -> None:
    application = portal.new_installation(by=OPERATOR, customer_id="cust-2")
    assert application.customer_id == "cust-2"
    assert portal.service.get("app-1", by=OTHER_CUSTOMER) == application.saved()
    with pytest.raises(NotFound):
        portal.service.get("app-1", by=CUSTOMER)
    with pytest.raises(ValidationError) as raised:
        portal.new_installation("app-2", by=OPERATOR)
    assert raised.value.field == "customer_id"
    assert len(portal.applications) == 1


def test_sec_1_an_operator_starts_a_change_for_the_sites_customer(portal: Portal) -> None:
    """No customer_id to name: the stored site says whose the change is (SUB-5)."""
    portal.installed_site("site-2", customer_id="cust-2")
    change = start_fault_contact_change(portal, "site-2", by=OPERATOR)
    assert change.customer_id == "cust-2"
    assert portal.service.get("chg-1", by=OTHER_CUSTOMER) == change.saved()
    assert portal.service.get_site("site-2", by=OPERATOR).customer_id == "cust-2"
    with pytest.raises(NotFound):
        portal.service.get("chg-1", by=CUSTOMER)


@pytest.mark.parametrize("by", [Principal.system(), Principal.contractor("contract-1")])
def test_sec_1_the_system_and_contractors_create_no_application(
    portal: Portal, by: Principal
) -> None:
    with pytest.raises(PermissionDenied) as raised:
        portal.new_installation(by=by, customer_id="cust-1")
    assert raised.value.rule == "SEC-1"
    portal.installed_site()
    with pytest.raises(PermissionDenied) as change:
        start_fault_contact_change(portal, "site-1", by=by)
    assert change.value.rule == "SEC-1"
    assert len(portal.applications) == 0
    assert portal.outbox.records() == []


MITA = SiteName(company_abbrev="NTTデータ", location="三田")
SHINAGAWA = SiteName(company_abbrev="NTTデータ", location="品川")
CREATIONS: dict[str, Callable[[Portal, Principal], object]] = {
    "create_new_installation": lambda p, by: p.new_installation(by=by, site=MITA),
    "start_change": lambda p, by: p.service.start_change(
        "app-1",
        by=by,
        site_id=f"site-of-{by.customer_id}",  # each customer's own installed site
        change_menu=ChangeMenu.FAULT_CONTACT_CHANGE,
        contact_email="it@example.co.jp",
    ),
}


def stored(portal: Portal) -> tuple[list[Application], list[object]]:
    """Every stored application and every outbox record: what a refused creation keeps."""
    return list(portal.applications), list(portal.outbox.records())


@pytest.mark.parametrize("creation", sorted(CREATIONS))
def test_sec_1_an_id_already_taken_is_refused_alike_whoever_holds_it(
    prepared: Portal, creation: str
) -> None:
    """app-1 is cust-1's, at version 1: cust-1 and cust-2 get the same answer, no version."""
    for customer in ("cust-1", "cust-2"):
        prepared.installed_site(f"site-of-{customer}", customer_id=customer, name=SHINAGAWA)
    before = stored(prepared)
    errors = []
    for by in (CUSTOMER, OTHER_CUSTOMER):
        with pytest.raises(ValidationError) as raised:
            CREATIONS[creation](prepared, by)
        errors.append((str(raised.value), raised.value.field, raised.value.rule))
        assert not isinstance(raised.value, ConcurrencyConflict)
    assert (
        errors[0]
        == errors[1]
        == (
            (
                "SEC-1: application_id 'app-1' cannot be used; choose another application_id"
                " (generate one, e.g. with uuid4)"
            ),
            "application_id",
            "SEC-1",
        )
    )
    assert stored(prepared) == before


# -- SEC-2: who acts is a Principal, nothing else -----------------------------------------------


@pytest.mark.parametrize("bad", ["cust-1", "customer", Actor.CUSTOMER, None, ("cust-1",)])
def test_sec_2_by_must_be_a_principal(prepared: Portal, bad: object) -> None:
    before = prepared.snapshot()
    with pytest.raises(ValidationError) as raised:
        prepared.service.send(
            "app-1",
            K.INSTALLATION_SUPPLIES,
            "submit",
            by=bad,  # type: ignore[arg-type]
        )
    assert raised.value.field == "by"
    with pytest.raises(ValidationError):
        prepared.service.get("app-1", by=bad)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        prepared.new_installation("app-2", by=bad)  # type: ignore[arg-type]
    assert prepared.snapshot() == before
    assert len(prepared.applications) == 1


@pytest.mark.parametrize("bad", [None, ["app-1"], {"id": "app-1"}, "", "x" * 1_000_000])
def test_sec_2_an_application_id_must_be_a_short_string(prepared: Portal, bad: object) -> None:
    before = prepared.snapshot()
    with pytest.raises(ValidationError) as raised:
        prepared.service.send(
            bad,  # type: ignore[arg-type]
            K.INSTALLATION_SUPPLIES,
            "submit",
            by=CUSTOMER,
        )
    assert raised.value.field == "application_id"
    assert len(str(raised.value)) < 200
    assert prepared.snapshot() == before
