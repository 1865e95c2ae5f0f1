"""SUB-7 under races: the register of site names makes the uniqueness check part of the write.

The service checks a name by reading the customer's sites and applications (a clear SUB-7
error in the common case); two commands that both read before either writes would both
pass that check. The name register the site repository keeps closes the gap: a creation,
a 拠点名変更's new name and a rename's 承諾 write their names in the same unit of work as
the application, and a name another holder holds refuses the whole write (SUB-7).

The races here are made deterministic by a repository wrapper whose ``of_customer`` lets
every racer read before any of them writes.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import pytest

from omakase_core import NotFound, ValidationError
from omakase_core.submission import (
    ASP,
    ChangeMenu,
    DocumentKind,
    Menu,
    SiteName,
    SubmissionService,
)
from tests.submission.conftest import CUSTOMER, OPERATOR, SITE, Portal
from tests.submission.test_sites import RENAMED, complete_installation, start_rename

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from omakase_core.events import OutboxRecord
    from omakase_core.submission import Application

K = DocumentKind
C, OP = CUSTOMER, OPERATOR
TAMACHI = SiteName(company_abbrev="NTTデータ", location="田町")


class ReadTogether:
    """An application repository whose ``of_customer`` waits until every racer has read.

    Each of ``parties`` threads reads the customer's applications, then waits at a barrier:
    no racer writes before all of them have checked the names (the race window, SUB-7).
    """

    def __init__(self, inner: Any, parties: int) -> None:
        self._inner = inner
        self._barrier = threading.Barrier(parties, timeout=10)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def of_customer(self, customer_id: str) -> Sequence[Application]:
        found: Sequence[Application] = self._inner.of_customer(customer_id)
        self._barrier.wait()
        return found


def race(portal: Portal, *commands: Callable[[SubmissionService], object]) -> list[object]:
    """Run each command on its own thread, every one reading before any writes.

    Return what each returned or raised, in the order given.
    """
    racing = SubmissionService(
        applications=ReadTogether(portal.applications, len(commands)),
        clock=portal.clock,
        sites=portal.sites,
    )
    results: list[object] = [None] * len(commands)

    def run(index: int) -> None:
        try:
            results[index] = commands[index](racing)
        except Exception as error:  # reported to the test
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(commands))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def create(application_id: str, name: SiteName = SITE) -> Callable[[SubmissionService], object]:
    def command(service: SubmissionService) -> object:
        return service.create_new_installation(
            application_id,
            by=C,
            site=name,
            menu=Menu.BASIC,
            asps=[ASP.SDS, ASP.ZEDI],
            bandwidth_mbps=100,
            weekday_daytime=True,
            contact_email="it@example.co.jp",
        )

    return command


def refused_for_sub_7(results: Sequence[object]) -> list[ValidationError]:
    return [r for r in results if isinstance(r, ValidationError) and r.rule == "SUB-7"]


def stored_ids(portal: Portal, *ids: str) -> list[str]:
    found = []
    for application_id in ids:
        try:
            portal.applications.get(application_id)
        except NotFound:
            continue
        found.append(application_id)
    return found


def keys_of(records: Sequence[OutboxRecord], aggregate_id: str) -> list[str]:
    return [r.key for r in records if r.event.aggregate_id == aggregate_id]


def test_sub_7_two_creations_of_one_name_at_once_store_exactly_one(portal: Portal) -> None:
    results = race(portal, create("app-1"), create("app-2"))
    assert len(refused_for_sub_7(results)) == 1, results
    winners = stored_ids(portal, "app-1", "app-2")
    assert len(winners) == 1
    loser = ({"app-1", "app-2"} - set(winners)).pop()
    assert keys_of(portal.outbox.records(), loser) == []  # nothing of the loser was written
    assert portal.sites.held_names("cust-1") == {SITE: winners[0]}


def test_sub_7_the_refusal_of_a_lost_race_reads_as_the_common_case(portal: Portal) -> None:
    """The register's refusal names the site name, as the service's own check does."""
    portal.new_installation("app-1")
    with pytest.raises(ValidationError) as common:
        portal.new_installation("app-9")
    results = race(portal, create("app-2", TAMACHI), create("app-3", TAMACHI))
    (raced,) = refused_for_sub_7(results)
    assert (
        (raced.field, raced.rule)
        == (common.value.field, common.value.rule)
        == (
            "site_name",
            "SUB-7",
        )
    )


def test_sub_7_a_creation_and_a_renames_fill_in_of_one_name_at_once_store_one(
    portal: Portal,
) -> None:
    complete_installation(portal)
    start_rename(portal)
    details = {"company_abbrev": RENAMED.company_abbrev, "location": RENAMED.location}
    before = portal.snapshot("rename-1")
    results = race(
        portal,
        create("app-2", RENAMED),
        lambda service: service.fill_in("rename-1", K.SITE_NAME_CHANGE, details, by=C),
    )
    assert len(refused_for_sub_7(results)) == 1, results
    if stored_ids(portal, "app-2") == ["app-2"]:  # the creation won: the fill_in wrote nothing
        assert portal.snapshot("rename-1")[0] == before[0]
        assert keys_of(portal.outbox.records(), "rename-1") == keys_of(before[1], "rename-1")
        holder = "app-2"
    else:  # the fill_in won: nothing of the creation was written
        assert keys_of(portal.outbox.records(), "app-2") == []
        holder = "rename-1"
    assert portal.sites.held_names("cust-1")[RENAMED] == holder


def test_sub_7_the_register_holds_a_creations_name_until_it_is_closed(portal: Portal) -> None:
    portal.new_installation("app-1")
    assert portal.sites.held_names("cust-1") == {SITE: "app-1"}
    portal.service.close("app-1", by=C)
    assert portal.sites.held_names("cust-1") == {}
    portal.new_installation("app-2")  # the name is free again
    assert portal.sites.held_names("cust-1") == {SITE: "app-2"}


def test_sub_7_the_installed_site_keeps_its_installations_name_in_the_register(
    portal: Portal,
) -> None:
    """The site has the installation's id: completing the installation moves nothing."""
    complete_installation(portal)
    assert portal.sites.held_names("cust-1") == {SITE: "app-1"}


def test_sub_7_a_renames_reservation_moves_to_the_site_on_its_acceptance(portal: Portal) -> None:
    service = portal.service
    complete_installation(portal)
    start_rename(portal)
    service.fill_in("rename-1", K.SITE_NAME_CHANGE, {"company_abbrev": "NTTデータ"}, by=C)
    assert portal.sites.held_names("cust-1") == {SITE: "app-1"}  # one part is no name yet
    service.fill_in("rename-1", K.SITE_NAME_CHANGE, {"location": "品川"}, by=C)
    assert portal.sites.held_names("cust-1") == {SITE: "app-1", RENAMED: "rename-1"}
    service.fill_in("rename-1", K.SITE_NAME_CHANGE, {"location": "田町"}, by=C)
    assert portal.sites.held_names("cust-1") == {SITE: "app-1", TAMACHI: "rename-1"}
    for event, by in (("submit", C), ("start_review", OP), ("accept", OP)):
        service.send("rename-1", K.SITE_NAME_CHANGE, event, by=by)
    assert portal.sites.held_names("cust-1") == {TAMACHI: "app-1"}  # the old name is free
    portal.new_installation("app-2", site=SITE)


def test_sub_7_sub_16_closing_a_rename_releases_its_reservation(portal: Portal) -> None:
    complete_installation(portal)
    start_rename(portal)
    details = {"company_abbrev": TAMACHI.company_abbrev, "location": TAMACHI.location}
    portal.service.fill_in("rename-1", K.SITE_NAME_CHANGE, details, by=C)
    portal.service.close("rename-1", by=C)
    assert portal.sites.held_names("cust-1") == {SITE: "app-1"}


def test_sub_7_a_rename_filled_in_before_the_register_is_still_checked_and_renames(
    portal: Portal,
) -> None:
    """Data stored before the register (no backfill): the read-check sees it (SUB-7).

    A creation of its name is refused by the read, and its 承諾 gives the site the name in
    the register.
    """
    service = portal.service
    complete_installation(portal)
    start_rename(portal)
    loaded = portal.applications.get("rename-1")
    details = {"company_abbrev": TAMACHI.company_abbrev, "location": TAMACHI.location}
    filled = loaded.fill_in(K.SITE_NAME_CHANGE, details, actor=C.actor, at=portal.clock.now())
    portal.applications.save(filled, expected_version=loaded.version)  # as stored before
    assert portal.sites.held_names("cust-1") == {SITE: "app-1"}
    with pytest.raises(ValidationError) as taken:
        portal.new_installation("app-2", site=TAMACHI)
    assert (taken.value.field, taken.value.rule) == ("site_name", "SUB-7")
    for event, by in (("submit", C), ("start_review", OP), ("accept", OP)):
        service.send("rename-1", K.SITE_NAME_CHANGE, event, by=by)
    assert portal.sites.held_names("cust-1") == {TAMACHI: "app-1"}


def test_sub_7_the_register_is_per_customer(portal: Portal) -> None:
    portal.new_installation("app-1")
    portal.new_installation("app-2", by=OPERATOR, customer_id="cust-2")
    assert portal.sites.held_names("cust-1") == {SITE: "app-1"}
    assert portal.sites.held_names("cust-2") == {SITE: "app-2"}


def test_sub_7_start_change_does_not_touch_the_register(portal: Portal) -> None:
    complete_installation(portal)
    before = portal.sites.held_names("cust-1")
    portal.service.start_change(
        "chg-1",
        by=C,
        site_id="app-1",
        change_menu=ChangeMenu.COMPANY_CHANGE,
        contact_email="it@example.co.jp",
    )
    assert portal.sites.held_names("cust-1") == before


def test_sub_7_sub_16_closing_an_installation_whose_site_exists_keeps_the_sites_name(
    portal: Portal,
) -> None:
    """A ライト installation, installed but not yet 発送済, closed: the site keeps its name."""
    complete_installation(portal, menu=Menu.LITE_MINIMUM)
    portal.service.close("app-1", by=OP)
    assert portal.sites.held_names("cust-1") == {SITE: "app-1"}
    with pytest.raises(ValidationError) as taken:
        portal.new_installation("app-2")
    assert taken.value.rule == "SUB-7"
