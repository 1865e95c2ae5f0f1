"""A site's fault contacts follow its accepted fault-contact changes on their date (SUB-3(i)).

The installation gives the site its contacts (SUB-3(e), SUB-5). A 故障連絡先変更 document
that becomes 承諾 changes them at once when it has no change date or the date has come
(JST), else the site keeps a scheduled change that the sweep
(:meth:`SubmissionService.apply_due`, the system's or an operator's) applies on that date.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import attrs
import pytest

from omakase_core import (
    ConcurrencyConflict,
    NaiveDatetimeError,
    PermissionDenied,
    Principal,
    ValidationError,
)
from omakase_core.calendar import JST
from omakase_core.codec import decode, encode
from omakase_core.submission import (
    ChangeMenu,
    DocumentKind,
    FaultContacts,
    ScheduledFaultContacts,
    Site,
    SiteName,
    SiteSweepReport,
    SubmissionService,
)
from tests.submission.conftest import CONTACTS, CUSTOMER, OPERATOR, Portal
from tests.submission.test_sites import NEW_CONTACTS, complete_installation, start

if TYPE_CHECKING:
    from collections.abc import Sequence

K = DocumentKind
C, OP = CUSTOMER, OPERATOR
SYSTEM = Principal.system()
OTHER_CONTACTS = attrs.evolve(NEW_CONTACTS, first=attrs.evolve(NEW_CONTACTS.first, name="保守次郎"))


def change_contacts(
    portal: Portal,
    application_id: str,
    contacts: FaultContacts,
    *,
    change_date: date | None = None,
    accept: bool = True,
) -> None:
    """Start a 故障連絡先変更 for the site ``app-1`` and take it to 承諾 (SUB-3(i))."""
    service = portal.service
    start(portal, application_id, ChangeMenu.FAULT_CONTACT_CHANGE)
    service.set_fault_contacts(
        application_id, K.FAULT_CONTACT_CHANGE, contacts, by=C, change_date=change_date
    )
    steps = (("submit", C), ("start_review", OP), ("accept", OP))
    for event, by in steps if accept else steps[:2]:
        service.send(application_id, K.FAULT_CONTACT_CHANGE, event, by=by)


def midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=JST)


def site_events(portal: Portal) -> list[str]:
    return [r.event.name for r in portal.outbox.records() if r.key.startswith("site:")]


def test_sub_5_sub_3_e_a_site_takes_the_fault_contacts_of_its_installation(
    portal: Portal,
) -> None:
    site = complete_installation(portal)
    assert (site.fault_contacts, site.scheduled_contacts, site.next_due_at) == (
        CONTACTS,
        (),
        None,
    )


def test_sub_3_i_an_accepted_change_without_a_date_changes_the_site_on_acceptance(
    portal: Portal,
) -> None:
    complete_installation(portal)
    change_contacts(portal, "fault-1", NEW_CONTACTS, accept=False)
    assert portal.sites.get("app-1").fault_contacts == CONTACTS  # not before 承諾
    portal.service.send("fault-1", K.FAULT_CONTACT_CHANGE, "accept", by=OP)
    site = portal.sites.get("app-1")
    assert (site.fault_contacts, site.scheduled_contacts) == (NEW_CONTACTS, ())
    (record,) = [r for r in portal.outbox.records() if r.event.name == "SiteFaultContactsChanged"]
    assert (record.event.application_id, record.event.effective_on) == (  # type: ignore[attr-defined]
        "fault-1",
        portal.clock.now().date(),
    )


def test_sub_3_i_a_change_whose_date_came_before_acceptance_applies_on_acceptance(
    portal: Portal,
) -> None:
    """A date already past at 承諾 never waits: the site takes the contacts at once."""
    complete_installation(portal)
    today = portal.clock.now().date()
    change_contacts(portal, "fault-1", NEW_CONTACTS, change_date=today, accept=False)
    portal.clock.advance(days=3)
    portal.service.send("fault-1", K.FAULT_CONTACT_CHANGE, "accept", by=OP)
    site = portal.sites.get("app-1")
    assert (site.fault_contacts, site.next_due_at) == (NEW_CONTACTS, None)


def test_sub_3_i_a_change_with_a_later_date_leaves_the_site_as_it_is_until_then(
    portal: Portal,
) -> None:
    complete_installation(portal)
    day = portal.clock.now().date() + timedelta(days=10)
    change_contacts(portal, "fault-1", NEW_CONTACTS, change_date=day)
    site = portal.sites.get("app-1")
    assert site.fault_contacts == CONTACTS
    assert site.scheduled_contacts == (
        ScheduledFaultContacts(application_id="fault-1", contacts=NEW_CONTACTS, effective_on=day),
    )
    assert site.next_due_at == midnight(day)
    assert site_events(portal)[-1] == "SiteFaultContactsScheduled"


def test_sub_3_i_the_sweep_applies_a_scheduled_change_on_its_date_jst(portal: Portal) -> None:
    complete_installation(portal)
    day = portal.clock.now().date() + timedelta(days=10)
    change_contacts(portal, "fault-1", NEW_CONTACTS, change_date=day)
    before = (portal.site_snapshot(), portal.applications.get("fault-1"))
    eve = midnight(day) - timedelta(microseconds=1)
    assert portal.service.apply_due(eve, by=SYSTEM) == SiteSweepReport(changed=(), events=0)
    assert (portal.site_snapshot(), portal.applications.get("fault-1")) == before
    report = portal.service.apply_due(midnight(day), by=SYSTEM)
    assert report == SiteSweepReport(changed=("app-1",), events=1)
    site = portal.sites.get("app-1")
    assert (site.fault_contacts, site.scheduled_contacts, site.next_due_at) == (
        NEW_CONTACTS,
        (),
        None,
    )
    assert site_events(portal)[-1] == "SiteFaultContactsChanged"


def test_sub_3_i_the_sweep_is_idempotent(portal: Portal) -> None:
    complete_installation(portal)
    day = portal.clock.now().date() + timedelta(days=10)
    change_contacts(portal, "fault-1", NEW_CONTACTS, change_date=day)
    portal.service.apply_due(midnight(day), by=SYSTEM)
    before = portal.site_snapshot()
    again = portal.service.apply_due(midnight(day) + timedelta(days=1), by=SYSTEM)
    assert again == SiteSweepReport(changed=(), events=0)
    assert portal.site_snapshot() == before


def test_sub_3_i_changes_take_effect_in_the_order_of_their_dates(portal: Portal) -> None:
    """The later-dated change accepted first still wins once its own date comes."""
    complete_installation(portal)
    today = portal.clock.now().date()
    change_contacts(portal, "fault-1", NEW_CONTACTS, change_date=today + timedelta(days=20))
    change_contacts(portal, "fault-2", OTHER_CONTACTS, change_date=today + timedelta(days=10))
    scheduled = portal.sites.get("app-1").scheduled_contacts
    assert [entry.application_id for entry in scheduled] == ["fault-2", "fault-1"]
    portal.service.apply_due(midnight(today + timedelta(days=10)), by=SYSTEM)
    assert portal.sites.get("app-1").fault_contacts == OTHER_CONTACTS
    portal.service.apply_due(midnight(today + timedelta(days=20)), by=SYSTEM)
    assert portal.sites.get("app-1").fault_contacts == NEW_CONTACTS


def test_sub_3_i_a_late_sweep_applies_every_due_change_in_date_order(portal: Portal) -> None:
    complete_installation(portal)
    today = portal.clock.now().date()
    change_contacts(portal, "fault-1", NEW_CONTACTS, change_date=today + timedelta(days=20))
    change_contacts(portal, "fault-2", OTHER_CONTACTS, change_date=today + timedelta(days=10))
    report = portal.service.apply_due(midnight(today + timedelta(days=30)), by=SYSTEM)
    assert report == SiteSweepReport(changed=("app-1",), events=2)
    assert portal.sites.get("app-1").fault_contacts == NEW_CONTACTS  # the later date's


def test_sub_3_i_a_change_applied_on_acceptance_first_applies_the_due_scheduled_ones(
    portal: Portal,
) -> None:
    """No sweep ran yet: the older scheduled change cannot come over the newer one later."""
    complete_installation(portal)
    today = portal.clock.now().date()
    change_contacts(portal, "fault-1", NEW_CONTACTS, change_date=today + timedelta(days=5))
    change_contacts(portal, "fault-2", OTHER_CONTACTS, accept=False)
    portal.clock.advance(days=6)  # fault-1 is due, but no sweep has run
    portal.service.send("fault-2", K.FAULT_CONTACT_CHANGE, "accept", by=OP)
    site = portal.sites.get("app-1")
    assert (site.fault_contacts, site.scheduled_contacts) == (OTHER_CONTACTS, ())
    assert site_events(portal)[-2:] == ["SiteFaultContactsChanged", "SiteFaultContactsChanged"]
    assert portal.service.apply_due(portal.clock.now(), by=SYSTEM).changed == ()


def test_sub_3_i_sub_6_a_configuration_changes_fault_contact_change_updates_the_site(
    portal: Portal,
) -> None:
    service = portal.service
    complete_installation(portal)
    start(portal, "config-1", ChangeMenu.CONFIGURATION_CHANGE, fault_contact_change=True)
    service.set_fault_contacts("config-1", K.FAULT_CONTACT_CHANGE, NEW_CONTACTS, by=C)
    for event, by in (("submit", C), ("start_review", OP), ("accept", OP)):
        service.send("config-1", K.FAULT_CONTACT_CHANGE, event, by=by)
    assert portal.sites.get("app-1").fault_contacts == NEW_CONTACTS


def test_sub_3_i_sub_16_closing_the_application_after_acceptance_keeps_the_change(
    portal: Portal,
) -> None:
    service = portal.service
    complete_installation(portal)
    day = portal.clock.now().date() + timedelta(days=10)
    start(portal, "config-1", ChangeMenu.CONFIGURATION_CHANGE, fault_contact_change=True)
    service.set_fault_contacts(
        "config-1", K.FAULT_CONTACT_CHANGE, NEW_CONTACTS, by=C, change_date=day
    )
    for event, by in (("submit", C), ("start_review", OP), ("accept", OP)):
        service.send("config-1", K.FAULT_CONTACT_CHANGE, event, by=by)
    service.close("config-1", by=OP)
    assert portal.sites.get("app-1").next_due_at == midnight(day)
    service.apply_due(midnight(day), by=SYSTEM)
    assert portal.sites.get("app-1").fault_contacts == NEW_CONTACTS


@pytest.mark.parametrize(
    "by", [CUSTOMER, Principal.customer("cust-2"), Principal.contractor("k-1")], ids=str
)
def test_sec_1_only_the_system_or_an_operator_sweeps_the_sites(
    portal: Portal, by: Principal
) -> None:
    complete_installation(portal)
    day = portal.clock.now().date() + timedelta(days=10)
    change_contacts(portal, "fault-1", NEW_CONTACTS, change_date=day)
    before = portal.site_snapshot()
    with pytest.raises(PermissionDenied) as refused:
        portal.service.apply_due(midnight(day), by=by)
    assert refused.value.rule == "SEC-1"
    assert portal.site_snapshot() == before
    assert portal.service.apply_due(midnight(day), by=OPERATOR).changed == ("app-1",)


@pytest.mark.parametrize("now", [datetime(2025, 6, 1), date(2025, 6, 1), "2025-06-01"], ids=str)  # noqa: DTZ001  # the naive instant is the point
def test_sec_2_the_sweep_refuses_a_now_that_is_no_aware_instant(portal: Portal, now: Any) -> None:
    with pytest.raises((ValidationError, NaiveDatetimeError)) as refused:
        portal.service.apply_due(now, by=SYSTEM)
    assert getattr(refused.value, "field", None) == "now"


class StopAfter:
    """A site repository whose ``save`` fails after ``saves`` saves: a sweep that stopped."""

    def __init__(self, inner: Any, saves: int) -> None:
        self._inner = inner
        self._left = saves

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def save(self, aggregate: Site, *, expected_version: int) -> None:
        if self._left == 0:
            msg = "the sweep stops here"
            raise RuntimeError(msg)
        self._left -= 1
        self._inner.save(aggregate, expected_version=expected_version)


def _two_sites_with_due_changes(portal: Portal) -> date:
    complete_installation(portal)
    complete_installation(
        portal, "app-2", site=SiteName(company_abbrev="NTTデータ", location="三田")
    )
    day = portal.clock.now().date() + timedelta(days=10)
    change_contacts(portal, "fault-1", NEW_CONTACTS, change_date=day)
    start(portal, "fault-2", ChangeMenu.FAULT_CONTACT_CHANGE, site_id="app-2")
    portal.service.set_fault_contacts(
        "fault-2", K.FAULT_CONTACT_CHANGE, OTHER_CONTACTS, by=C, change_date=day
    )
    for event, by in (("submit", C), ("start_review", OP), ("accept", OP)):
        portal.service.send("fault-2", K.FAULT_CONTACT_CHANGE, event, by=by)
    return day


def test_sub_3_i_a_stopped_sweep_leaves_the_rest_due_for_the_next(portal: Portal) -> None:
    day = _two_sites_with_due_changes(portal)
    stopping = SubmissionService(
        applications=portal.applications,
        clock=portal.clock,
        sites=StopAfter(portal.sites, 1),
    )
    with pytest.raises(RuntimeError, match="stops here"):
        stopping.apply_due(midnight(day), by=SYSTEM)
    assert len(portal.sites.due(midnight(day))) == 1  # one applied, one still due
    report = portal.service.apply_due(midnight(day), by=SYSTEM)
    assert len(report.changed) == 1
    assert portal.sites.get("app-1").fault_contacts == NEW_CONTACTS
    assert portal.sites.get("app-2").fault_contacts == OTHER_CONTACTS
    assert list(portal.sites.due(midnight(day))) == []


class StaleDue:
    """A site repository whose ``due`` answers what it held before a rival saved the site."""

    def __init__(self, inner: Any, stale: Sequence[Site]) -> None:
        self._inner = inner
        self._stale = list(stale)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def due(self, now: datetime) -> list[Site]:
        del now
        return self._stale


def test_sub_3_i_a_site_changed_meanwhile_is_reported_and_stays_due(portal: Portal) -> None:
    complete_installation(portal)
    day = portal.clock.now().date() + timedelta(days=10)
    change_contacts(portal, "fault-1", NEW_CONTACTS, change_date=day)
    stale = portal.sites.due(midnight(day))
    start(portal, "config-1", ChangeMenu.CONFIGURATION_CHANGE)  # a rival moves the site on
    racing = SubmissionService(
        applications=portal.applications, clock=portal.clock, sites=StaleDue(portal.sites, stale)
    )
    before = portal.site_snapshot()
    report = racing.apply_due(midnight(day), by=SYSTEM)
    assert report == SiteSweepReport(changed=(), events=0, conflicts=("app-1",))
    assert portal.site_snapshot() == before
    assert portal.service.apply_due(midnight(day), by=SYSTEM).changed == ("app-1",)


def test_sub_3_i_a_site_refuses_a_change_it_cannot_apply(portal: Portal) -> None:
    site = complete_installation(portal)
    change_contacts(portal, "fault-1", NEW_CONTACTS, accept=False)
    pending = portal.applications.get("fault-1")
    with pytest.raises(ValidationError) as unaccepted:
        site.change_fault_contacts(pending, at=portal.clock.now())  # type: ignore[arg-type]
    assert (unaccepted.value.field, unaccepted.value.rule) == ("application", "SUB-3")
    company = start(portal, "company-1", ChangeMenu.COMPANY_CHANGE)
    with pytest.raises(ValidationError) as no_such_document:
        site.change_fault_contacts(company, at=portal.clock.now())
    assert no_such_document.value.field == "application"
    other = attrs.evolve(site, id="site-9")
    with pytest.raises(ValidationError) as elsewhere:
        other.change_fault_contacts(company, at=portal.clock.now())
    assert (elsewhere.value.field, elsewhere.value.rule) == ("application", "SUB-5")


def test_sub_3_i_a_scheduled_change_is_applied_once_by_the_site(portal: Portal) -> None:
    complete_installation(portal)
    day = portal.clock.now().date() + timedelta(days=10)
    change_contacts(portal, "fault-1", NEW_CONTACTS, change_date=day)
    site = portal.sites.get("app-1")
    assert site.apply_due(midnight(day) - timedelta(seconds=1)) is site  # nothing due
    applied = site.apply_due(midnight(day))
    assert [e.name for e in applied.pending_events] == ["SiteFaultContactsChanged"]
    assert applied.saved().apply_due(midnight(day) + timedelta(days=1)) == applied.saved()
    accepted = portal.applications.get("fault-1")
    with pytest.raises(ValidationError, match="already scheduled"):
        site.change_fault_contacts(accepted, at=portal.clock.now())  # type: ignore[arg-type]


def test_port_7_a_site_stored_before_it_held_fault_contacts_decodes_without_them(
    portal: Portal,
) -> None:
    site = complete_installation(portal)
    stored = json.loads(encode(site))
    assert stored["schema"] == 2
    del stored["data"]["fault_contacts"], stored["data"]["scheduled_contacts"]
    stored["schema"] = 1
    old = decode(json.dumps(stored), expected=Site)
    assert old == attrs.evolve(site, fault_contacts=None)
    assert (old.fault_contacts, old.scheduled_contacts, old.next_due_at) == (None, (), None)


def test_sub_3_i_a_site_built_with_an_unordered_schedule_is_refused(portal: Portal) -> None:
    site = complete_installation(portal)
    today = portal.clock.now().date()
    entries = tuple(
        ScheduledFaultContacts(
            application_id=f"fault-{n}", contacts=NEW_CONTACTS, effective_on=today + timedelta(n)
        )
        for n in (2, 1)
    )
    with pytest.raises(ValidationError) as refused:
        attrs.evolve(site, scheduled_contacts=entries)
    assert refused.value.field == "scheduled_contacts"


def test_sub_3_i_the_sweep_loses_no_race_with_an_acceptance(portal: Portal) -> None:
    """A site saved by the sweep and by a change's 承諾 from one version: one wins (PORT-2)."""
    complete_installation(portal)
    day = portal.clock.now().date() + timedelta(days=10)
    change_contacts(portal, "fault-1", NEW_CONTACTS, change_date=day)
    site = portal.sites.get("app-1")
    portal.sites.save(site.apply_due(midnight(day)), expected_version=site.version)
    with pytest.raises(ConcurrencyConflict):
        portal.sites.save(site.apply_due(midnight(day)), expected_version=site.version)
