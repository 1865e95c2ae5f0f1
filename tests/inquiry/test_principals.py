"""SEC-1 … SEC-3 for fault inquiries: tenants, roles, stale screens, no fail-open values."""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from omakase_core import (
    Actor,
    ConcurrencyConflict,
    NaiveDatetimeError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from omakase_core.accounts import Role
from omakase_core.inquiry import (
    Attachment,
    Inquiry,
    InquiryAnswered,
    InquiryChart,
    InquiryResolved,
    InquiryService,
    InquiryStatus,
    attachment_purge_at,
)
from omakase_core.principal import Principal
from omakase_core.testing import (
    FixedClock,
    InMemoryAttachmentStore,
    InMemoryInquiryRepository,
    InMemoryOutbox,
    InMemoryRepository,
)
from tests.inquiry.conftest import ADMIN, RIVAL, STAFF, T0, USER, VPN, WAN, Desk

HOUR = timedelta(hours=1)
Command = Callable[[InquiryService, str, Principal], object]

COMMANDS: dict[str, Command] = {
    "get": lambda s, i, by: s.get(i, by=by),
    "answer": lambda s, i, by: s.answer(i, "回答", by=by),
    "add_message": lambda s, i, by: s.add_message(i, "追加", by=by),
    "resolve": lambda s, i, by: s.resolve(i, by=by),
}


class OtherRole(enum.Enum):
    """A role of some other portal: not an accounts.Role."""

    ADMIN = "admin"


def absent_error(name: str, inquiry_id: str, by: Principal) -> str:
    """Return the message the command gives for an id that does not exist at all."""
    empty = InquiryService(
        inquiries=InMemoryInquiryRepository(InMemoryOutbox()),
        clock=FixedClock(T0),
        attachments=InMemoryAttachmentStore(),
    )
    with pytest.raises(NotFound) as raised:
        COMMANDS[name](empty, inquiry_id, by)
    return str(raised.value)


@pytest.mark.parametrize("name", sorted(COMMANDS))
@pytest.mark.parametrize(
    "by",
    [RIVAL, Principal.customer("tenant-2", role=Role.USER), Principal.contractor("tenant-1")],
    ids=["another tenant's admin", "another tenant's user", "a contractor"],
)
def test_sec_1_anby_tenant_2s_inquiry_is_not_found_exactly_as_an_absent_one(
    desk: Desk, name: str, by: Principal
) -> None:
    desk.service.answer("inq-1", "回答します", by=STAFF)
    before = desk.snapshot()
    with pytest.raises(NotFound) as raised:
        COMMANDS[name](desk.service, "inq-1", by)
    assert str(raised.value) == absent_error(name, "inq-1", by)
    assert (raised.value.kind, raised.value.id) == ("inquiry", "inq-1")
    assert desk.snapshot() == before


def test_sec_1_every_user_of_the_tenant_and_every_operator_sees_the_inquiry(desk: Desk) -> None:
    stored = desk.inquiries.get("inq-1")
    assert desk.service.get("inq-1", by=USER) == stored
    assert desk.service.get("inq-1", by=ADMIN) == stored
    assert desk.service.get("inq-1", by=STAFF) == stored
    assert desk.service.get("inq-2", by=RIVAL).customer_id == "tenant-2"


def test_sec_1_an_inquiry_is_opened_for_the_senders_by_tenant_1(desk: Desk) -> None:
    """There is no customer id parameter: the tenant is the principal's."""
    opened = desk.service.open(
        "inq-3", by=RIVAL, subject="s", body="b", contact_email="x@example.jp", service=VPN
    )
    assert opened.customer_id == "tenant-2"
    with pytest.raises(NotFound):
        desk.service.get("inq-3", by=USER)


@pytest.mark.parametrize(
    "by",
    [STAFF, Principal.system(), Principal.contractor("tenant-1")],
    ids=["operator", "system", "contractor"],
)
def test_sec_1_only_a_customer_side_user_opens_an_inquiry(desk: Desk, by: Principal) -> None:
    before = (len(desk.inquiries), desk.outbox.records())
    with pytest.raises(PermissionDenied) as raised:
        desk.service.open(
            "inq-3", by=by, subject="s", body="b", contact_email="a@example.jp", service=WAN
        )
    assert raised.value.rule == "SEC-1"
    assert (len(desk.inquiries), desk.outbox.records()) == before


@pytest.mark.parametrize(
    ("name", "by"),
    [
        ("answer", USER),
        ("answer", ADMIN),
        ("answer", Principal.system()),
        ("add_message", STAFF),
        ("resolve", STAFF),
    ],
)
def test_sec_1_each_step_belongs_to_one_side_and_a_refusal_changes_nothing(
    desk: Desk, name: str, by: Principal
) -> None:
    """INQ-1: staff answer; the customer follows up and resolves."""
    if name == "add_message":
        desk.service.answer("inq-1", "回答します", by=STAFF)
    before = desk.snapshot()
    with pytest.raises(PermissionDenied):
        COMMANDS[name](desk.service, "inq-1", by)
    assert desk.snapshot() == before


@pytest.mark.parametrize(
    "by",
    [
        Principal.customer("tenant-1"),
        Principal.customer("tenant-1", user_id="sato@example.co.jp"),
        Principal.customer("tenant-1", role=OtherRole.ADMIN),
        Principal.customer("tenant-1", role=Actor.CUSTOMER),
    ],
    ids=["no role", "a user without a role", "another portal's role", "an actor as role"],
)
def test_sec_2_a_customer_side_user_needs_an_accounts_role(desk: Desk, by: Principal) -> None:
    """ACC-3: a missing or foreign role is refused, never assumed, and changes nothing."""
    desk.service.answer("inq-1", "回答します", by=STAFF)
    before = (desk.snapshot(), len(desk.inquiries))
    with pytest.raises(ValidationError) as opened:
        desk.service.open(
            "inq-3", by=by, subject="s", body="b", contact_email="a@example.jp", service=WAN
        )
    assert (opened.value.field, opened.value.rule) == ("by", "SEC-2")
    for name, command in COMMANDS.items():
        with pytest.raises(ValidationError) as raised:
            command(desk.service, "inq-1", by)
        assert (raised.value.field, raised.value.rule) == ("by", "SEC-2"), name
    assert (desk.snapshot(), len(desk.inquiries)) == before


@pytest.mark.parametrize("by", ["tenant-1", None, Role.ADMIN, Actor.CUSTOMER], ids=repr)
def test_sec_2_by_must_be_a_principal(desk: Desk, by: object) -> None:
    before = desk.snapshot()
    for name, command in COMMANDS.items():
        with pytest.raises(ValidationError) as raised:
            command(desk.service, "inq-1", by)  # type: ignore[arg-type]
        assert raised.value.field == "by", name
    with pytest.raises(ValidationError):
        desk.service.open(
            "inq-3",
            by=by,  # type: ignore[arg-type]
            subject="s",
            body="b",
            contact_email="a@example.jp",
            service=WAN,
        )
    assert desk.snapshot() == before


@pytest.mark.parametrize(
    "actor", ["customer", "operator", "お客様", None, Role.USER, InquiryStatus.RECEIVED], ids=repr
)
def test_sec_2_an_actor_that_is_not_an_actor_member_is_refused(desk: Desk, actor: Any) -> None:
    inquiry = desk.inquiries.get("inq-1")
    answered = inquiry.answer("回答", actor=Actor.OPERATOR, at=T0)
    commands: tuple[Callable[[], object], ...] = (
        lambda: inquiry.answer("回答", actor=actor, at=T0),
        lambda: answered.add_message("追加", actor=actor, at=T0),
        lambda: inquiry.resolve(actor=actor, at=T0),
    )
    for command in commands:
        with pytest.raises(ValidationError) as raised:
            command()
        assert (raised.value.field, raised.value.rule) == ("actor", "SEC-2")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"status": "received"}, "status"),
        ({"status": "受付"}, "status"),
        ({"status": Role.USER}, "status"),
        ({"customer_id": None}, "customer_id"),
        ({"attachments": None}, "attachments"),
        (
            {"attachments": [Attachment(attachment_id="a-1", filename="a.png", size_bytes=1)]},
            "attachments",
        ),
        ({"messages": None}, "messages"),
        ({"contact_email": "nobody"}, "contact_email"),
        ({"messages": (("staff", "x"),)}, "messages"),
        ({"messages": (("customer", ""),)}, "messages"),
        ({"messages": (("customer", "x" * 1_000_000),)}, "messages"),
    ],
)
def test_sec_2_an_inquiry_is_checked_on_construction(changes: dict[str, Any], field: str) -> None:
    fields: dict[str, Any] = {
        "id": "inq-9",
        "customer_id": "tenant-1",
        "subject": "s",
        "contact_email": "a@example.jp",
        "updated_at": T0,
    }
    with pytest.raises(ValidationError) as raised:
        Inquiry(**{**fields, **changes})
    assert raised.value.field == field


def test_sec_2_a_message_text_error_names_the_text_parameter(desk: Desk) -> None:
    before = desk.snapshot()
    with pytest.raises(ValidationError) as raised:
        desk.service.answer("inq-1", None, by=STAFF)  # type: ignore[arg-type]
    assert raised.value.field == "text"
    assert desk.snapshot() == before


@pytest.mark.parametrize("name", sorted(set(COMMANDS) - {"get"}))
def test_sec_3_a_stale_expected_version_is_a_conflict_and_changes_nothing(
    desk: Desk, name: str
) -> None:
    desk.service.answer("inq-1", "回答します", by=STAFF)  # version 2 now
    before = desk.snapshot()
    by = STAFF if name == "answer" else USER
    command: Any = getattr(desk.service, name)
    args = () if name == "resolve" else ("文",)
    with pytest.raises(ConcurrencyConflict):
        command("inq-1", *args, by=by, expected_version=1)
    assert desk.snapshot() == before


def test_sec_3_the_version_the_screen_showed_lets_the_command_through(desk: Desk) -> None:
    shown = desk.service.get("inq-1", by=USER).version
    answered = desk.service.answer("inq-1", "回答", by=STAFF, expected_version=shown)
    followed = desk.service.add_message("inq-1", "追加", by=USER, expected_version=answered.version)
    resolved = desk.service.resolve("inq-1", by=ADMIN, expected_version=followed.version)
    assert (resolved.status, resolved.version) == (InquiryStatus.RESOLVED, 4)


def stored(desk: Desk) -> tuple[list[Inquiry], list[object]]:
    """Every stored inquiry and every outbox record: what a refused creation must not change."""
    return list(desk.inquiries), list(desk.outbox.records())


def open_taken(desk: Desk, inquiry_id: str, by: Principal) -> ValidationError:
    """Open ``inquiry_id`` for ``by``'s tenant and return the refusal."""
    service = VPN if by.customer_id == "tenant-2" else WAN  # one the tenant has contracted
    with pytest.raises(ValidationError) as raised:
        desk.service.open(
            inquiry_id, by=by, subject="s", body="b", contact_email="a@example.jp", service=service
        )
    return raised.value


@pytest.mark.parametrize("inquiry_id", ["inq-1", "inq-2"])
def test_sec_1_opening_a_taken_id_is_refused_alike_whoever_holds_it(
    desk: Desk, inquiry_id: str
) -> None:
    """The same taken id, opened by the tenant holding it and by the other one: one answer."""
    desk.service.answer("inq-1", "回答します", by=STAFF)  # inq-1 at version 2, inq-2 at 1
    before = stored(desk)
    by_tenant_1, by_tenant_2 = (
        open_taken(desk, inquiry_id, USER),
        open_taken(desk, inquiry_id, RIVAL),
    )
    assert (str(by_tenant_1), by_tenant_1.field, by_tenant_1.rule) == (
        str(by_tenant_2),
        by_tenant_2.field,
        by_tenant_2.rule,
    )
    assert (
        str(by_tenant_1)
        == f"SEC-1: inquiry_id {inquiry_id!r} cannot be used; choose another inquiry_id"
        " (generate one, e.g. with uuid4)"
    )
    assert (by_tenant_1.field, by_tenant_1.rule) == ("inquiry_id", "SEC-1")
    assert "version" not in str(by_tenant_1)
    assert stored(desk) == before


def test_sec_3_opening_takes_no_expected_version(desk: Desk) -> None:
    """Creation has no version: ``open`` has no ``expected_version`` parameter."""
    before = stored(desk)
    with pytest.raises(TypeError, match="expected_version"):
        desk.service.open(  # type: ignore[call-arg]
            "inq-3",
            by=USER,
            subject="s",
            body="b",
            contact_email="a@example.jp",
            service=WAN,
            expected_version=0,
        )
    assert stored(desk) == before
    opened = desk.service.open(
        "inq-3", by=USER, subject="s", body="b", contact_email="a@example.jp", service=WAN
    )
    assert opened.version == 1


class RacingClock:
    """A clock whose first reading lets staff answer inq-1 an hour later (SEC-3)."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.raced = False

    def now(self) -> datetime:
        if not self.raced:
            self.raced = True
            other = self.desk.inquiries.get("inq-1")
            later = other.answer("回答", actor=Actor.OPERATOR, at=T0 + HOUR * 2)
            self.desk.inquiries.save(later, expected_version=other.version)
        return T0 + HOUR


def test_sec_3_a_command_that_loses_a_race_is_a_conflict_not_a_time_order_error(
    desk: Desk,
) -> None:
    """The clock is read after the load, so the other writer's later change fails the save."""
    racing = InquiryService(
        inquiries=desk.inquiries, clock=RacingClock(desk), attachments=desk.files
    )
    with pytest.raises(ConcurrencyConflict):
        racing.resolve("inq-1", by=USER)
    assert desk.inquiries.get("inq-1").status is InquiryStatus.ANSWERED


EVENT_FIELDS: dict[str, Any] = {
    "aggregate_id": "inq-1",
    "version": 2,
    "occurred_at": T0,
    "subject": "件名",
    "contact_email": "user@example.co.jp",
}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"subject": None}, "subject"),
        ({"subject": " "}, "subject"),
        ({"contact_email": "nobody"}, "contact_email"),
        ({"answer": 3}, "answer"),
        ({"answer": "x" * 1_000_000}, "answer"),
    ],
)
def test_sec_2_an_answered_event_is_checked_on_construction(
    changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        InquiryAnswered(**{**EVENT_FIELDS, "answer": "回答", **changes})
    assert raised.value.field == field
    assert len(str(raised.value)) < 200


def test_sec_2_a_resolved_event_purges_at_an_aware_instant() -> None:
    with pytest.raises(ValidationError) as raised:
        InquiryResolved(**EVENT_FIELDS, purge_at="2027-05-02")  # type: ignore[arg-type]  # the point
    assert raised.value.field == "purge_at"


@pytest.mark.parametrize("resolved_at", [None, "2026-11-02", T0.replace(tzinfo=None)], ids=repr)
def test_sec_2_the_purge_instant_needs_an_aware_resolution_instant(resolved_at: Any) -> None:
    with pytest.raises((ValidationError, NaiveDatetimeError)) as raised:
        attachment_purge_at(resolved_at)
    assert getattr(raised.value, "field", None) == "resolved_at"


@pytest.mark.parametrize(
    ("ports", "field"),
    [
        ({"inquiries": None}, "inquiries"),
        ({"inquiries": InMemoryRepository(InMemoryOutbox())}, "inquiries"),  # no due()
        ({"clock": "clock"}, "clock"),
        ({"attachments": None}, "attachments"),
        ({"attachments": InMemoryOutbox()}, "attachments"),
    ],
)
def test_sec_2_the_service_refuses_ports_without_their_methods(
    ports: dict[str, Any], field: str
) -> None:
    given: dict[str, Any] = {
        "inquiries": InMemoryInquiryRepository(InMemoryOutbox()),
        "clock": FixedClock(T0),
        "attachments": InMemoryAttachmentStore(),
    }
    with pytest.raises(ValidationError) as raised:
        InquiryService(**{**given, **ports})
    assert raised.value.field == field


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"start_value": "received"}, "start_value"),
        ({"start_value": "受付"}, "start_value"),
        ({"state_field": "1st"}, "state_field"),
        ({"model": 1}, "model"),
        ({"listeners": [None]}, "listeners"),
    ],
)
def test_sec_2_the_chart_refuses_arguments_it_cannot_run_on(
    arguments: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        InquiryChart(**arguments)
    assert raised.value.field == field
    assert set(InquiryChart(start_value=InquiryStatus.ANSWERED).configuration_values) == {
        InquiryStatus.ANSWERED
    }
