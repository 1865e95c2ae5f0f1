"""Installed sites (SUB-5, SUB-7, SUB-16): made, locked, renamed and changed by applications.

A completed installation creates its site; a 拠点名変更 locks it and renames it on its 承諾;
an accepted 設定変更 gives it its ASPs.

Every change application starts from a stored site (``site_id``), not from what the caller
says the site is; the lock and the name are the stored site's.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import attrs
import pytest

from omakase_core import ConcurrencyConflict, NotFound, Principal, ValidationError
from omakase_core.calendar import JST
from omakase_core.submission import (
    ASP,
    ChangeApplication,
    ChangeMenu,
    Contact,
    DocumentKind,
    FaultContacts,
    Menu,
    Site,
    SiteName,
    SiteStatus,
)
from tests.submission.conftest import CONTACTS, CUSTOMER, OPERATOR, OTHER_CUSTOMER, SITE, Portal

K = DocumentKind
C, OP = CUSTOMER, OPERATOR
RENAMED = SiteName(company_abbrev="NTTデータ", location="品川")
NEW_CONTACTS = FaultContacts(
    first=Contact(
        company="株式会社豊洲",
        department="保守部",
        name="保守花子",
        phone="03-1234-5678",
        email="hoshu@example.co.jp",
    )
)

ADDRESS = {
    "arrival_date": "2025/05/10",
    "arrival_time_slot": "AM",
    "postal_code": "135-0061",
    "prefecture": "東京都",
    "city": "江東区豊洲",
    "street": "1-2-3",
    "floor": "10",
    "recipient": "豊洲太郎",
}


def complete_installation(
    portal: Portal, application_id: str = "app-1", *, menu: Menu = Menu.BASIC, site: SiteName = SITE
) -> Site:
    """Walk a new installation through every document to 承諾; return the site it made.

    A ライト menu's shipping address is taken to 承諾, not yet 発送済.
    """
    service = portal.service
    options: dict[str, Any] = {} if menu is Menu.BASIC else {"asps": [ASP.SDS]}
    portal.new_installation(application_id, menu=menu, site=site, **options)
    service.upload(application_id, K.APPLICATION_FORM, "利用申込書.pdf", by=C)
    for event, by in (("submit", C), ("start_review", OP), ("receive", OP)):
        service.send(application_id, K.APPLICATION_FORM, event, by=by)
    service.send(application_id, K.LAN_PARAMETERS, "publish_sheet", by=OP)
    service.upload(application_id, K.LAN_PARAMETERS, "パラメータシート.xlsx", by=C)
    for event, by in (("submit", C), ("start_review", OP), ("accept", OP)):
        service.send(application_id, K.LAN_PARAMETERS, event, by=by)
    for event, by in (("submit", C), ("accept", OP)):
        service.send(application_id, K.INSTALLATION_SUPPLIES, event, by=by)
    service.set_fault_contacts(application_id, K.FAULT_CONTACTS, CONTACTS, by=C)
    for event, by in (("submit", C), ("start_review", OP), ("accept", OP)):
        service.send(application_id, K.FAULT_CONTACTS, event, by=by)
    if menu.needs_shipping_address:
        service.fill_in(application_id, K.SHIPPING_ADDRESS, ADDRESS, by=C)
        for event, by in (("submit", C), ("start_review", OP), ("accept", OP)):
            service.send(application_id, K.SHIPPING_ADDRESS, event, by=by)
    portal.clock.advance(days=80)
    service.record_construction_completed(
        application_id, portal.clock.now().date() - timedelta(days=1), by=OP
    )
    service.send(application_id, K.APPLICATION_FORM, "accept", by=OP)
    return portal.sites.get(application_id)


def start(
    portal: Portal,
    application_id: str,
    change_menu: ChangeMenu,
    *,
    by: Principal = C,
    site_id: str = "app-1",
    **options: Any,
) -> ChangeApplication:
    """Start a change application for the site ``site_id`` (SUB-5)."""
    return portal.service.start_change(
        application_id,
        by=by,
        site_id=site_id,
        change_menu=change_menu,
        contact_email="it@example.co.jp",
        **options,
    )


def start_rename(portal: Portal, application_id: str = "rename-1") -> None:
    start(portal, application_id, ChangeMenu.SITE_NAME_CHANGE)


def test_sub_5_a_completed_new_installation_creates_its_site(portal: Portal) -> None:
    site = complete_installation(portal)
    assert (site.id, site.customer_id, site.name) == ("app-1", "cust-1", SITE)
    assert (site.asps, site.status, site.locked) == (
        (ASP.SDS, ASP.ZEDI),
        SiteStatus.IN_SERVICE,
        False,
    )
    assert [r.event.name for r in portal.outbox.records() if r.key.startswith("site:")] == [
        "SiteInstalled"
    ]


def test_sub_5_no_site_before_the_installation_is_complete(portal: Portal) -> None:
    portal.new_installation()
    with pytest.raises(NotFound):
        portal.service.get_site("app-1", by=C)


def test_sub_5_a_change_starts_from_the_stored_site_and_takes_its_menu(portal: Portal) -> None:
    site = complete_installation(portal)
    change = start(
        portal, "config-1", ChangeMenu.CONFIGURATION_CHANGE, site_id=site.id, asp_change=[ASP.SDS]
    )
    assert (change.site, change.menu, change.customer_id) == (site.name, site.menu, "cust-1")
    assert portal.sites.get(site.id).version == site.version + 1  # a compare-and-set


def test_sec_1_another_customers_site_does_not_exist_for_a_change(portal: Portal) -> None:
    complete_installation(portal)
    before = portal.outbox.records()
    with pytest.raises(NotFound) as foreign:
        start(portal, "x-1", ChangeMenu.SITE_NAME_CHANGE, by=OTHER_CUSTOMER)
    with pytest.raises(NotFound) as absent:
        start(portal, "x-1", ChangeMenu.SITE_NAME_CHANGE, by=OTHER_CUSTOMER, site_id="no-such-site")
    assert str(foreign.value).replace("app-1", "ID") == str(absent.value).replace(
        "no-such-site", "ID"
    )
    assert portal.outbox.records() == before


def test_sub_5_an_open_rename_locks_the_site_from_the_stored_state(portal: Portal) -> None:
    complete_installation(portal)
    start_rename(portal)
    site = portal.sites.get("app-1")
    assert (site.status, site.renaming_by) == (SiteStatus.RENAMING, "rename-1")
    before = portal.outbox.records()
    with pytest.raises(ValidationError) as refused:
        start(portal, "config-1", ChangeMenu.CONFIGURATION_CHANGE)
    assert refused.value.rule == "SUB-5"
    assert portal.outbox.records() == before
    with pytest.raises(NotFound):
        portal.applications.get("config-1")


def test_sub_5_the_rename_takes_the_new_name_on_acceptance_and_releases_the_lock(
    portal: Portal,
) -> None:
    complete_installation(portal)
    start_rename(portal)
    details = {"company_abbrev": RENAMED.company_abbrev, "location": RENAMED.location}
    portal.service.fill_in("rename-1", K.SITE_NAME_CHANGE, details, by=C)
    for event, by in (("submit", C), ("start_review", OP)):
        portal.service.send("rename-1", K.SITE_NAME_CHANGE, event, by=by)
    assert portal.sites.get("app-1").name == SITE
    portal.service.send("rename-1", K.SITE_NAME_CHANGE, "accept", by=OP)
    site = portal.sites.get("app-1")
    assert (site.name, site.locked) == (RENAMED, False)
    # the old name is free: a new installation may take it; the new one is taken
    portal.new_installation("app-2", site=SITE)
    with pytest.raises(ValidationError) as taken:
        portal.new_installation("app-3", site=RENAMED)
    assert taken.value.rule == "SUB-7"


def test_sub_7_a_rename_to_a_taken_name_is_refused_in_one_step_or_two(portal: Portal) -> None:
    complete_installation(portal)
    portal.new_installation("app-2", site=RENAMED)  # an open application reserves the name
    start_rename(portal)
    portal.service.fill_in("rename-1", K.SITE_NAME_CHANGE, {"company_abbrev": "NTTデータ"}, by=C)
    before = portal.snapshot("rename-1")
    with pytest.raises(ValidationError) as second_step:
        portal.service.fill_in("rename-1", K.SITE_NAME_CHANGE, {"location": "品川"}, by=C)
    assert second_step.value.rule == "SUB-7"
    assert portal.snapshot("rename-1") == before
    with pytest.raises(ValidationError):
        portal.service.fill_in(
            "rename-1",
            K.SITE_NAME_CHANGE,
            {"company_abbrev": "NTTデータ", "location": "品川"},
            by=C,
        )


def test_sub_5_a_configuration_change_leaves_the_sites_asps_until_its_acceptance(
    portal: Portal,
) -> None:
    complete_installation(portal)
    start(portal, "config-1", ChangeMenu.CONFIGURATION_CHANGE, asp_change=[ASP.SDS, ASP.FRONTGATE])
    application = portal.applications.get("config-1")
    assert application.asps_after_change == (ASP.SDS, ASP.FRONTGATE)  # type: ignore[attr-defined]
    assert portal.sites.get("app-1").asps == (ASP.SDS, ASP.ZEDI)


def test_sub_5_two_changes_started_at_once_for_one_site_are_a_compare_and_set(
    portal: Portal,
) -> None:
    site = complete_installation(portal)
    # a rival starts a rename from the same stored site version first
    start_rename(portal, "rename-1")
    stale = site  # the version this second command loaded
    change = ChangeApplication.start(
        id="config-1",
        customer_id=stale.customer_id,
        site=stale.name,
        menu=stale.menu,
        change_menu=ChangeMenu.CONFIGURATION_CHANGE,
        contact_email="it@example.co.jp",
        created_at=portal.clock.now(),
    )
    before = portal.outbox.records()
    with pytest.raises(ConcurrencyConflict):
        portal.sites.save_with_application(
            stale.start_change(change, at=portal.clock.now()),
            site_version=stale.version,
            application=change,
            application_version=None,
        )
    assert portal.outbox.records() == before
    with pytest.raises(NotFound):
        portal.applications.get("config-1")


def test_sub_5_a_site_refuses_a_change_of_another_site(portal: Portal) -> None:
    site = complete_installation(portal)
    elsewhere = ChangeApplication.start(
        id="config-9",
        customer_id=site.customer_id,
        site=RENAMED,
        menu=site.menu,
        change_menu=ChangeMenu.CONFIGURATION_CHANGE,
        contact_email="it@example.co.jp",
        created_at=portal.clock.now(),
    )
    with pytest.raises(ValidationError, match="not an application for the site"):
        site.start_change(elsewhere, at=portal.clock.now())


def test_sub_5_sub_16_sub_17_a_site_from_installation_to_rename_asp_change_and_a_closed_third(
    portal: Portal,
) -> None:
    """End to end: install, rename (lock held, then released), change ASPs, close a third.

    Then a fault-contact change dated a week ahead: the site keeps its old contacts until
    the sweep at that date (SUB-3(i)).
    """
    service = portal.service
    complete_installation(portal)
    # 1. the rename: the site is locked while it is open
    start_rename(portal)
    with pytest.raises(ValidationError):
        start(portal, "blocked-1", ChangeMenu.FAULT_CONTACT_CHANGE)
    details = {"company_abbrev": RENAMED.company_abbrev, "location": RENAMED.location}
    service.fill_in("rename-1", K.SITE_NAME_CHANGE, details, by=C)
    for event, by in (("submit", C), ("start_review", OP), ("accept", OP)):
        service.send("rename-1", K.SITE_NAME_CHANGE, event, by=by)
    site = portal.sites.get("app-1")
    assert (site.name, site.locked) == (RENAMED, False)
    # 2. a 設定変更 with an ASP change and its parameter sheet (SUB-17)
    start(portal, "config-1", ChangeMenu.CONFIGURATION_CHANGE, asp_change=[ASP.SDS, ASP.FRONTGATE])
    service.send("config-1", K.CHANGE_PARAMETER_SHEET, "publish_sheet", by=OP)
    service.upload("config-1", K.CHANGE_PARAMETER_SHEET, "sheet.xlsx", by=C)
    for event, by in (("submit", C), ("start_review", OP), ("accept", OP)):
        service.send("config-1", K.CHANGE_PARAMETER_SHEET, event, by=by)
    service.fill_in("config-1", K.CONFIGURATION_CHANGE, {"change_details": "ASP 追加"}, by=C)
    service.send("config-1", K.CONFIGURATION_CHANGE, "complete_fields", by=C)
    service.upload("config-1", K.CONFIGURATION_CHANGE, "変更申込書.pdf", by=C)
    for event, by in (("submit", C), ("start_review", OP), ("receive", OP)):
        service.send("config-1", K.CONFIGURATION_CHANGE, event, by=by)
    assert portal.sites.get("app-1").asps == (ASP.SDS, ASP.ZEDI)  # not before 承諾
    service.record_construction_completed("config-1", portal.clock.now().date(), by=OP)
    service.send("config-1", K.CONFIGURATION_CHANGE, "accept", by=OP)
    assert portal.sites.get("app-1").asps == (ASP.SDS, ASP.FRONTGATE)
    # 3. a third application, a rename closed unaccepted: the lock and the name are released
    start(portal, "rename-2", ChangeMenu.SITE_NAME_CHANGE)
    reserved = {"company_abbrev": "NTTデータ", "location": "田町"}
    service.fill_in("rename-2", K.SITE_NAME_CHANGE, reserved, by=C)
    with pytest.raises(ValidationError):  # the open rename reserves 田町 (SUB-7)
        portal.new_installation("app-9", site=SiteName(company_abbrev="NTTデータ", location="田町"))
    service.close("rename-2", by=C)
    site = portal.sites.get("app-1")
    assert (site.name, site.status, site.locked) == (RENAMED, SiteStatus.IN_SERVICE, False)
    portal.new_installation("app-9", site=SiteName(company_abbrev="NTTデータ", location="田町"))
    assert portal.sites.held_names("cust-1") == {  # the register agrees (SUB-7)
        RENAMED: "app-1",
        SiteName(company_abbrev="NTTデータ", location="田町"): "app-9",
    }
    # 4. a fault-contact change dated a week ahead (SUB-3(i)): the site keeps its contacts
    start(portal, "fault-1", ChangeMenu.FAULT_CONTACT_CHANGE)
    week = portal.clock.now().date() + timedelta(days=7)
    service.set_fault_contacts(
        "fault-1", K.FAULT_CONTACT_CHANGE, NEW_CONTACTS, by=C, change_date=week
    )
    for event, by in (("submit", C), ("start_review", OP), ("accept", OP)):
        service.send("fault-1", K.FAULT_CONTACT_CHANGE, event, by=by)
    assert portal.sites.get("app-1").fault_contacts == CONTACTS
    on_the_day = datetime(week.year, week.month, week.day, tzinfo=JST)
    system = Principal.system()
    assert service.apply_due(on_the_day - timedelta(seconds=1), by=system).changed == ()
    assert portal.sites.get("app-1").fault_contacts == CONTACTS  # until that date
    assert service.apply_due(on_the_day, by=system).changed == ("app-1",)
    assert portal.sites.get("app-1").fault_contacts == NEW_CONTACTS
    events = [r.event.name for r in portal.outbox.records() if r.key.startswith("site:")]
    assert events == [
        "SiteInstalled",
        "SiteChangeStarted",
        "SiteRenamed",
        "SiteChangeStarted",
        "SiteAspsChanged",
        "SiteChangeStarted",
        "SiteRenameClosed",
        "SiteChangeStarted",
        "SiteFaultContactsScheduled",
        "SiteFaultContactsChanged",
    ]


def test_sub_7_a_rename_is_checked_again_at_submission(portal: Portal) -> None:
    """A name taken after it was filled in is refused when the rename is submitted."""
    complete_installation(portal)
    start_rename(portal)
    details = {"company_abbrev": RENAMED.company_abbrev, "location": RENAMED.location}
    portal.service.fill_in("rename-1", K.SITE_NAME_CHANGE, details, by=C)
    rival = portal.sites.get("app-1")  # a racing writer stored a site of that name meanwhile
    portal.sites.add(
        attrs.evolve(
            rival.saved(),
            id="site-2",
            name=RENAMED,
            status=SiteStatus.IN_SERVICE,
            renaming_by=None,
            version=0,
        )
    )
    before = portal.snapshot("rename-1")
    with pytest.raises(ValidationError) as refused:
        portal.service.send("rename-1", K.SITE_NAME_CHANGE, "submit", by=C)
    assert refused.value.rule == "SUB-7"
    assert portal.snapshot("rename-1") == before


def test_sub_5_a_change_started_before_a_rename_still_finds_its_renamed_site(
    portal: Portal,
) -> None:
    """A 設定変更 started, then the site renamed: its 承諾 still gives *that* site its ASPs."""
    service = portal.service
    complete_installation(portal)
    start(portal, "config-1", ChangeMenu.CONFIGURATION_CHANGE, asp_change=[ASP.SDS])
    assert portal.applications.get("config-1").site_id == "app-1"  # type: ignore[attr-defined]
    start_rename(portal)
    details = {"company_abbrev": RENAMED.company_abbrev, "location": RENAMED.location}
    service.fill_in("rename-1", K.SITE_NAME_CHANGE, details, by=C)
    for event, by in (("submit", C), ("start_review", OP), ("accept", OP)):
        service.send("rename-1", K.SITE_NAME_CHANGE, event, by=by)
    service.fill_in("config-1", K.CONFIGURATION_CHANGE, {"change_details": "ZEDI 終了"}, by=C)
    service.send("config-1", K.CONFIGURATION_CHANGE, "complete_fields", by=C)
    service.upload("config-1", K.CONFIGURATION_CHANGE, "変更申込書.pdf", by=C)
    for event, by in (("submit", C), ("start_review", OP), ("receive", OP)):
        service.send("config-1", K.CONFIGURATION_CHANGE, event, by=by)
    service.record_construction_completed("config-1", portal.clock.now().date(), by=OP)
    service.send("config-1", K.CONFIGURATION_CHANGE, "accept", by=OP)
    site = portal.sites.get("app-1")
    assert (site.name, site.asps) == (RENAMED, (ASP.SDS,))


def test_sub_5_a_document_added_after_the_site_exists_does_not_install_it_twice(
    portal: Portal,
) -> None:
    """A ライト installation, all 承諾 but not yet 発送済, takes a billing correction later."""
    service = portal.service
    complete_installation(portal, menu=Menu.LITE_MINIMUM)
    assert portal.sites.get("app-1").version == 1  # installed; 発送済 still to come
    service.request_billing_correction("app-1", by=C)
    for event in ("start_review", "accept"):
        service.send("app-1", K.BILLING_CORRECTION, event, by=OP)
    assert portal.sites.get("app-1").version == 1  # not installed a second time
    assert portal.applications.get("app-1").document(K.BILLING_CORRECTION).done
