"""INQ-2: the attachments' files are deleted at their purge instant by a sweep (SEC-1, PORT-7).

The sweep is :meth:`InquiryService.apply_due`: it deletes the files of every due inquiry
through the attachment store, then saves the inquiry with ``AttachmentsDeleted``. The
desk's inq-1 (tenant-1) has one attachment, ``att-log``; tests that need two files open
inq-3 with ``att-a`` and ``att-b``.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omakase_core import (
    NaiveDatetimeError,
    PermissionDenied,
    Principal,
    ValidationError,
)
from omakase_core.codec import decode, encode
from omakase_core.delivery import deliver_pending
from omakase_core.inquiry import (
    Attachment,
    AttachmentsDeleted,
    Inquiry,
    InquiryResolved,
    InquiryService,
    PurgeReport,
    attachment_purge_at,
)
from omakase_core.messages import NotificationSettings
from omakase_core.testing import (
    FixedClock,
    InMemoryAttachmentStore,
    InMemoryContractedServices,
    InMemoryInquiryRepository,
    InMemoryOutbox,
    InMemoryStore,
    RecordingNotifier,
)
from tests.inquiry.conftest import ADMIN, CONTRACTS, LOG, RIVAL, T0, USER, WAN, Desk, jst

if TYPE_CHECKING:
    from collections.abc import Callable

SYSTEM = Principal.system()
RESOLVED_AT = jst(2026, 11, 30, 15, 0)
PURGE_AT = jst(2027, 6, 1)  # day 1 is 12/1: six months end at the end of 5/31 (CAL-6)
TICK = timedelta(microseconds=1)
A = Attachment(attachment_id="att-a", filename="画面.png", size_bytes=2048)
B = Attachment(attachment_id="att-b", filename="log.csv", size_bytes=512)
SETTINGS = NotificationSettings(
    contractor_login_url="https://x.example.jp", first_login_url="https://y.example.jp"
)


def resolved(desk: Desk, *inquiry_ids: str) -> None:
    """Resolve ``inquiry_ids`` (inq-1 by default) at ``RESOLVED_AT``."""
    desk.clock.set(RESOLVED_AT)
    for inquiry_id in inquiry_ids or ("inq-1",):
        by = RIVAL if inquiry_id == "inq-2" else USER
        desk.service.resolve(inquiry_id, by=by)


def open_two_files(desk: Desk) -> None:
    """Open tenant-1's inq-3 with the files ``att-a`` and ``att-b``, both stored."""
    for attachment in (A, B):
        desk.files.store(attachment.attachment_id)
    desk.service.open(
        "inq-3",
        by=ADMIN,
        subject="プリンタ障害",
        body="印刷できません",
        contact_email="admin@example.co.jp",
        service=WAN,
        attachments=(A, B),
    )


def events_of(desk: Desk, kind: type[Any]) -> list[Any]:
    return [r.event for r in desk.outbox.records() if isinstance(r.event, kind)]


# -- the purge instant ----------------------------------------------------------------------


def test_inq_2_the_next_due_instant_is_the_purge_while_files_remain(desk: Desk) -> None:
    assert desk.inquiries.get("inq-1").next_due_at is None  # not resolved yet
    resolved(desk, "inq-1", "inq-2")
    assert desk.inquiries.get("inq-1").next_due_at == PURGE_AT == attachment_purge_at(RESOLVED_AT)
    assert desk.inquiries.get("inq-2").next_due_at is None  # nothing attached: nothing to purge
    desk.service.apply_due(PURGE_AT, by=SYSTEM)
    assert desk.inquiries.get("inq-1").next_due_at is None  # purged


def test_inq_2_attachments_are_deleted_at_exactly_their_purge_instant_not_before(
    desk: Desk,
) -> None:
    resolved(desk)
    before = desk.snapshot()
    early = desk.service.apply_due(PURGE_AT - TICK, by=SYSTEM)
    assert early == PurgeReport(purged=(), files=0)
    assert "att-log" in desk.files
    assert desk.files.deletions == []
    assert desk.snapshot() == before

    report = desk.service.apply_due(PURGE_AT, by=SYSTEM)
    assert report == PurgeReport(purged=("inq-1",), files=1)
    assert "att-log" not in desk.files
    inquiry = desk.inquiries.get("inq-1")
    assert inquiry.attachments_deleted_at == PURGE_AT
    assert inquiry.version == before[0].version + 1
    (deleted,) = events_of(desk, AttachmentsDeleted)
    assert (deleted.aggregate_id, deleted.attachment_ids) == ("inq-1", ("att-log",))
    assert deleted.occurred_at == PURGE_AT


def test_inq_2_the_repository_finds_only_the_inquiries_due(desk: Desk) -> None:
    open_two_files(desk)
    resolved(desk, "inq-1", "inq-2")
    assert desk.inquiries.due(PURGE_AT - TICK) == []
    assert [i.id for i in desk.inquiries.due(PURGE_AT)] == ["inq-1"]  # inq-3 is not resolved
    assert InMemoryStore().inquiries.due(PURGE_AT) == []


def test_inq_2_a_late_sweep_records_when_the_files_went(desk: Desk) -> None:
    """The instant recorded is the sweep's ``now``: when the files were really deleted."""
    resolved(desk)
    late = PURGE_AT + timedelta(days=3, hours=2)
    desk.service.apply_due(late, by=Principal.operator("kddi-ops"))
    inquiry = desk.inquiries.get("inq-1")
    assert inquiry.attachments_deleted_at == late
    assert inquiry.updated_at == late


def test_inq_2_the_inquiry_keeps_its_attachments_as_history(desk: Desk) -> None:
    resolved(desk)
    desk.service.apply_due(PURGE_AT, by=SYSTEM)
    inquiry = desk.service.get("inq-1", by=USER)
    assert inquiry.attachments == (LOG,)
    assert inquiry.attachments_deleted_at is not None
    assert inquiry.messages == (("customer", "朝から接続できません"),)


def test_inq_2_every_file_of_the_inquiry_is_deleted(desk: Desk) -> None:
    open_two_files(desk)
    desk.clock.set(RESOLVED_AT)
    desk.service.resolve("inq-3", by=USER)
    report = desk.service.apply_due(PURGE_AT, by=SYSTEM)
    assert report == PurgeReport(purged=("inq-3",), files=2)
    assert desk.files.ids() == ["att-log"]  # inq-1 is not resolved: its file stays
    (deleted,) = events_of(desk, AttachmentsDeleted)
    assert deleted.attachment_ids == ("att-a", "att-b")


# -- idempotent, and a half-done purge is finished --------------------------------------------


def test_inq_2_a_second_sweep_finds_nothing_and_records_nothing(desk: Desk) -> None:
    resolved(desk)
    desk.service.apply_due(PURGE_AT, by=SYSTEM)
    after_first = desk.snapshot()
    again = desk.service.apply_due(PURGE_AT + timedelta(days=1), by=SYSTEM)
    assert again == PurgeReport(purged=(), files=0)
    assert desk.snapshot() == after_first
    assert desk.files.deletions == ["att-log"]


def test_inq_2_a_sweep_stopped_by_a_failing_store_is_finished_by_the_next(desk: Desk) -> None:
    open_two_files(desk)
    desk.clock.set(RESOLVED_AT)
    desk.service.resolve("inq-3", by=USER)
    resolved(desk)
    desk.files.fail_on("att-b")  # att-a goes, att-b fails: the sweep stops halfway for inq-3

    first = desk.service.apply_due(PURGE_AT, by=SYSTEM)
    assert first.purged == ("inq-1",)  # the failure of inq-3 does not stop inq-1
    ((failed_id, reason),) = first.failed
    assert failed_id == "inq-3"
    assert reason.startswith("ConnectionError: simulated failure deleting att-b")
    assert "att-a" not in desk.files
    assert "att-b" in desk.files
    half_done = desk.inquiries.get("inq-3")
    assert half_done.attachments_deleted_at is None  # not recorded: it stays due
    assert half_done.next_due_at == PURGE_AT

    desk.files.heal()
    second = desk.service.apply_due(PURGE_AT + timedelta(hours=1), by=SYSTEM)
    assert second == PurgeReport(purged=("inq-3",), files=2)
    assert desk.files.ids() == []
    assert desk.files.deletions.count("att-a") == 2  # deleted again, harmlessly
    assert [e.aggregate_id for e in events_of(desk, AttachmentsDeleted)] == ["inq-1", "inq-3"]


def test_inq_2_a_crash_between_the_deletes_and_the_save_is_finished(desk: Desk) -> None:
    """The files of a crashed sweep are gone but the inquiry was never saved: still due."""
    resolved(desk)
    desk.files.delete("att-log")  # the crashed sweep's delete
    assert desk.inquiries.get("inq-1").next_due_at == PURGE_AT
    report = desk.service.apply_due(PURGE_AT, by=SYSTEM)
    assert report == PurgeReport(purged=("inq-1",), files=1)
    assert desk.inquiries.get("inq-1").attachments_deleted_at == PURGE_AT


class RivalSweep(InMemoryAttachmentStore):
    """A store during whose first delete of ``att-log`` another sweep saves inq-1 first."""

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.desk = desk
        self.raced = False

    def delete(self, attachment_id: str) -> None:
        super().delete(attachment_id)
        if attachment_id == "att-log" and not self.raced:
            self.raced = True
            stored = self.desk.inquiries.get("inq-1")
            self.desk.inquiries.save(stored.apply_due(PURGE_AT), expected_version=stored.version)


def test_inq_2_a_lost_race_of_one_inquiry_does_not_stop_the_others(desk: Desk) -> None:
    open_two_files(desk)
    desk.clock.set(RESOLVED_AT)
    desk.service.resolve("inq-3", by=USER)
    resolved(desk)
    rival = RivalSweep(desk)
    sweep = InquiryService(inquiries=desk.inquiries, clock=desk.clock, attachments=rival)
    report = sweep.apply_due(PURGE_AT, by=SYSTEM)
    assert report == PurgeReport(purged=("inq-3",), files=2, conflicts=("inq-1",))
    deleted = sorted(e.aggregate_id for e in events_of(desk, AttachmentsDeleted))
    assert deleted == ["inq-1", "inq-3"]  # inq-1 once: the rival's
    assert desk.inquiries.due(PURGE_AT) == []


def test_inq_2_the_aggregate_records_the_purge_once() -> None:
    inquiry = (
        Inquiry.open(
            id="inq-9",
            customer_id="tenant-1",
            subject="件名",
            body="本文",
            contact_email="a@example.jp",
            attachments=(A,),
            at=T0,
        )
        .resolve(actor=USER.actor, at=RESOLVED_AT)
        .saved()
    )
    assert inquiry.apply_due(PURGE_AT - TICK) is inquiry
    purged = inquiry.apply_due(PURGE_AT)
    assert [type(e) for e in purged.pending_events] == [AttachmentsDeleted]
    assert purged.saved().apply_due(PURGE_AT + timedelta(days=400)) == purged.saved()


# -- who sweeps (SEC-1), and bad input (SEC-2) ------------------------------------------------


@pytest.mark.parametrize(
    "by", [USER, ADMIN, RIVAL, Principal.contractor("c-1")], ids=["user", "admin", "rival", "ctr"]
)
def test_sec_1_only_the_system_or_an_operator_sweeps_inquiries(desk: Desk, by: Principal) -> None:
    resolved(desk)
    before = desk.snapshot()
    with pytest.raises(PermissionDenied) as raised:
        desk.service.apply_due(PURGE_AT, by=by)
    assert (raised.value.rule, raised.value.event) == ("SEC-1", "apply_due")
    assert desk.snapshot() == before
    assert "att-log" in desk.files
    assert desk.files.deletions == []


@pytest.mark.parametrize(
    ("now", "by", "field"),
    [
        (PURGE_AT.replace(tzinfo=None), SYSTEM, "now"),
        ("2027-06-01", SYSTEM, "now"),
        (PURGE_AT, "system", "by"),
        (PURGE_AT, None, "by"),
    ],
    ids=["naive", "text", "by text", "by None"],
)
def test_sec_2_a_sweep_with_bad_arguments_is_refused_and_deletes_nothing(
    desk: Desk, now: Any, by: Any, field: str
) -> None:
    resolved(desk)
    before = desk.snapshot()
    with pytest.raises((ValidationError, NaiveDatetimeError)) as raised:
        desk.service.apply_due(now, by=by)
    assert getattr(raised.value, "field", None) == field
    assert desk.snapshot() == before
    assert desk.files.deletions == []


def test_inq_2_attachment_ids_are_printable_ids_unique_within_an_inquiry(desk: Desk) -> None:
    with pytest.raises(ValidationError) as blank:
        Attachment(attachment_id=" ", filename="a.png", size_bytes=1)
    assert blank.value.field == "attachment_id"
    twin = Attachment(attachment_id=A.attachment_id, filename="other.pdf", size_bytes=9)
    before = desk.snapshot()
    with pytest.raises(ValidationError) as repeated:
        desk.service.open(
            "inq-3",
            by=USER,
            subject="s",
            body="b",
            contact_email="a@example.jp",
            service=WAN,
            attachments=(A, twin),
        )
    assert (repeated.value.field, repeated.value.rule) == ("attachments", "INQ-2")
    assert desk.snapshot() == before


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"attachments_deleted_at": PURGE_AT - TICK}, "before the purge instant"),
        ({"attachments_deleted_at": PURGE_AT, "resolved_at": None}, "not resolved"),
        ({"attachments_deleted_at": PURGE_AT, "attachments": ()}, "nothing attached"),
        ({"attachments_deleted_at": "2027-06-01"}, "text"),
    ],
)
def test_inq_2_no_inquiry_records_a_deletion_the_purge_could_not_have_made(
    changes: dict[str, Any], why: str
) -> None:
    fields: dict[str, Any] = {
        "id": "inq-9",
        "customer_id": "tenant-1",
        "subject": "s",
        "contact_email": "a@example.jp",
        "attachments": (A,),
        "resolved_at": RESOLVED_AT,
        "updated_at": RESOLVED_AT,
    }
    Inquiry(**fields, attachments_deleted_at=PURGE_AT)  # the baseline is valid
    with pytest.raises(ValidationError) as raised:
        Inquiry(**{**fields, **changes})
    assert raised.value.field == "attachments_deleted_at", why


@pytest.mark.parametrize("ids", [(), ["att-a"], ("att a\n",), (None,)], ids=repr)
def test_inq_2_a_deletion_event_names_the_deleted_files(ids: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        AttachmentsDeleted(
            aggregate_id="inq-1",
            version=3,
            occurred_at=PURGE_AT,
            subject="s",
            contact_email="a@example.jp",
            attachment_ids=ids,
        )
    assert raised.value.field == "attachment_ids"


def test_inq_2_the_attachment_store_refuses_ids_it_cannot_hold() -> None:
    files = InMemoryAttachmentStore()
    calls: list[Callable[[str], object]] = [
        files.store,
        files.delete,
        files.fail_on,
        files.__contains__,
    ]
    for call in calls:
        with pytest.raises(ValidationError) as raised:
            call(None)  # type: ignore[arg-type]  # the point
        assert raised.value.field == "attachment_id"
    assert len(files) == 0
    files.delete("never-stored")  # idempotent: an absent file is not an error
    assert files.deletions == ["never-stored"]


# -- no notice; stored data (PORT-3, PORT-7) --------------------------------------------------


def test_inq_2_the_purge_sends_no_notice(desk: Desk) -> None:
    resolved(desk)
    desk.service.apply_due(PURGE_AT, by=SYSTEM)
    notifier = RecordingNotifier()
    report = deliver_pending(desk.outbox, notifier, clock=FixedClock(PURGE_AT), settings=SETTINGS)
    assert notifier.messages == []
    assert len(report.delivered) == len(desk.outbox.records())  # every record settled


def test_port_7_a_purged_inquiry_and_its_event_round_trip(desk: Desk) -> None:
    resolved(desk)
    desk.service.apply_due(PURGE_AT, by=SYSTEM)
    inquiry = desk.inquiries.get("inq-1")
    assert decode(encode(inquiry), expected=Inquiry) == inquiry
    (event,) = events_of(desk, AttachmentsDeleted)
    assert decode(encode(event)) == event
    assert json.loads(encode(inquiry))["schema"] == 3


def test_port_7_a_schema_1_inquiry_is_upcast_with_an_id_for_each_attachment() -> None:
    inquiry = Inquiry.open(
        id="inq-9",
        customer_id="tenant-1",
        subject="件名",
        body="本文",
        contact_email="a@example.jp",
        attachments=(A, B),
        at=T0,
    ).saved()
    stored = json.loads(encode(inquiry))
    del stored["data"]["attachments_deleted_at"]
    for attachment in stored["data"]["attachments"]:
        del attachment["attachment_id"]  # what release 1 wrote
    stored["schema"] = 1
    old = decode(json.dumps(stored), expected=Inquiry)
    assert [a.attachment_id for a in old.attachments] == ["inq-9/1", "inq-9/2"]
    assert [a.filename for a in old.attachments] == ["画面.png", "log.csv"]
    assert old.attachments_deleted_at is None


def test_port_7_a_schema_1_inquiry_of_a_very_long_id_still_decodes() -> None:
    """An id of 200 characters leaves no room for ``/<n>``: its SHA-256 stands in for it."""
    long_id = "i" * 200
    inquiry = Inquiry.open(
        id=long_id,
        customer_id="tenant-1",
        subject="件名",
        body="本文",
        contact_email="a@example.jp",
        attachments=(A,),
        at=T0,
    ).saved()
    stored = json.loads(encode(inquiry))
    del stored["data"]["attachments"][0]["attachment_id"]
    stored["schema"] = 1
    old = decode(json.dumps(stored), expected=Inquiry)
    digest = hashlib.sha256(long_id.encode()).hexdigest()
    assert [a.attachment_id for a in old.attachments] == [f"{digest}/1"]


# -- a property over resolution and sweep instants (INQ-2) ----------------------------------

INSTANTS = st.integers(min_value=0, max_value=5 * 366 * 86_400 * 10**6).map(
    lambda us: jst(2026, 1, 1) + timedelta(microseconds=us)
)
"""Aware JST instants from 2026 to 2030, to the microsecond."""


@settings(max_examples=200, deadline=None)
@given(
    resolved_at=INSTANTS,
    waits=st.lists(
        st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400)), max_size=5
    ),
)
def test_inq_2_files_go_at_the_first_sweep_at_or_after_the_purge_and_only_once(
    resolved_at: datetime, waits: list[timedelta]
) -> None:
    outbox = InMemoryOutbox()
    inquiries = InMemoryInquiryRepository(outbox)
    files = InMemoryAttachmentStore()
    files.store("att-a")
    clock = FixedClock(resolved_at)
    service = InquiryService(
        inquiries=inquiries,
        clock=clock,
        attachments=files,
        services=InMemoryContractedServices(CONTRACTS),
    )
    service.open(
        "inq-1",
        by=USER,
        subject="s",
        body="b",
        contact_email="a@example.jp",
        service=WAN,
        attachments=(A,),
    )
    service.resolve("inq-1", by=USER)
    purge_at = attachment_purge_at(resolved_at)
    now = resolved_at
    first_purge = None
    for wait in waits:
        now += wait
        report = service.apply_due(now, by=SYSTEM)
        if now >= purge_at and first_purge is None:
            first_purge = now
            assert report.purged == ("inq-1",)
        else:
            assert report.purged == ()
        assert ("att-a" in files) is (first_purge is None)
    deleted = [r.event for r in outbox.records() if isinstance(r.event, AttachmentsDeleted)]
    assert [e.occurred_at for e in deleted] == ([] if first_purge is None else [first_purge])
    assert inquiries.get("inq-1").attachments_deleted_at == first_purge
    (resolution,) = [r.event for r in outbox.records() if isinstance(r.event, InquiryResolved)]
    assert resolution.purge_at == purge_at
