"""INQ-1 (amended), INQ-2: follow-ups while 受付, attachments on every message, the service.

The inquiry names one of the tenant's contracted services, which the portal tells the
service through its :class:`~omakase_core.inquiry.ContractedServices` port.
"""

from __future__ import annotations

from typing import Any

import pytest

from omakase_core import InvalidTransition, PermissionDenied, ValidationError
from omakase_core.codec import decode, encode
from omakase_core.inquiry import (
    Attachment,
    ContractedServices,
    Inquiry,
    InquiryMessageAdded,
    InquiryService,
    InquiryStatus,
)
from omakase_core.testing import (
    FixedClock,
    InMemoryAttachmentStore,
    InMemoryContractedServices,
    InMemoryInquiryRepository,
    InMemoryOutbox,
)
from tests.inquiry.conftest import CONTRACTS, LOG, RIVAL, STAFF, T0, USER, WAN, Desk

S = InquiryStatus
SHOT = Attachment(attachment_id="att-shot", filename="画面.PNG", size_bytes=2048)
CSV = Attachment(attachment_id="att-csv", filename="ping.csv", size_bytes=300)


def contracted_service(
    table: ContractedServices | None = None,
) -> tuple[InquiryService, InMemoryInquiryRepository, InMemoryContractedServices]:
    """Return a service that knows the tenants' contracted services, over empty ports.

    ``table`` replaces the shipped in-memory port (a misbehaving one); the third value is
    the in-memory port all the same, to see whom it was asked about.
    """
    contracts = InMemoryContractedServices(CONTRACTS)
    repository = InMemoryInquiryRepository(InMemoryOutbox())
    service = InquiryService(
        inquiries=repository,
        clock=FixedClock(T0),
        attachments=InMemoryAttachmentStore(),
        services=contracts if table is None else table,
    )
    return service, repository, contracts


def open_about(desk: InquiryService, /, **changes: Any) -> Inquiry:
    fields: dict[str, Any] = {
        "by": USER,
        "subject": "拠点間がつながらない",
        "body": "大阪拠点から東京拠点に届きません",
        "contact_email": "sato@example.co.jp",
        "service": WAN,
        **changes,
    }
    return desk.open("inq-9", **fields)


# -- a message while 受付 (INQ-1) -----------------------------------------------------------------


def test_inq_1_a_customer_message_in_received_is_accepted_and_keeps_received(desk: Desk) -> None:
    followed = desk.service.add_message("inq-1", "拠点Bでも同じ症状です", by=USER)
    assert followed.status is S.RECEIVED
    assert followed.version == 2
    assert followed.messages[-1] == ("customer", "拠点Bでも同じ症状です")
    assert desk.inquiries.get("inq-1") == followed.saved()
    event = desk.outbox.records()[-1].event
    assert isinstance(event, InquiryMessageAdded)
    assert event.aggregate_id == "inq-1"


def test_inq_1_the_chart_keeps_received_on_a_customer_message() -> None:
    from omakase_core import LIFECYCLES, Actor  # noqa: PLC0415

    lifecycle = LIFECYCLES["inquiry"]
    assert lifecycle.fire(S.RECEIVED, "add_message", actor=Actor.CUSTOMER) is S.RECEIVED
    assert lifecycle.fire(S.ANSWERED, "add_message", actor=Actor.CUSTOMER) is S.RECEIVED
    assert not lifecycle.can_fire(S.RECEIVED, "add_message", actor=Actor.OPERATOR)


def test_inq_1_staff_do_not_add_customer_messages_while_received(desk: Desk) -> None:
    before = desk.snapshot()
    with pytest.raises(PermissionDenied):
        desk.service.add_message("inq-1", "スタッフです", by=STAFF)
    assert desk.snapshot() == before


def test_inq_1_a_resolved_inquiry_takes_no_follow_up_with_or_without_files(desk: Desk) -> None:
    desk.service.resolve("inq-1", by=USER)
    before = desk.snapshot()
    with pytest.raises(InvalidTransition):
        desk.service.add_message("inq-1", "追加です", by=USER, attachments=(SHOT,))
    assert desk.snapshot() == before


# -- attachments on follow-ups (INQ-1, INQ-2) ---------------------------------------------------


def test_inq_2_a_follow_up_carries_attachments_listed_with_its_message(desk: Desk) -> None:
    desk.service.answer("inq-1", "ログをお送りください", by=STAFF)
    followed = desk.service.add_message("inq-1", "ログと画面です", by=USER, attachments=(SHOT, CSV))
    assert followed.status is S.RECEIVED
    assert followed.attachments == (LOG, SHOT, CSV)
    assert followed.attachments_of(0) == (LOG,)
    assert followed.attachments_of(1) == ()  # the staff's answer
    assert followed.attachments_of(2) == (SHOT, CSV)
    assert followed.attachment_messages == (0, 2, 2)


def test_inq_2_a_follow_up_in_received_carries_attachments_too(desk: Desk) -> None:
    followed = desk.service.add_message(
        "inq-1",
        "画面です",
        by=USER,
        attachments=[SHOT],  # type: ignore[arg-type]  # a caller's list is accepted too
    )
    assert (followed.status, followed.attachments_of(1)) == (S.RECEIVED, (SHOT,))


@pytest.mark.parametrize(
    ("attachments", "field"),
    [
        (None, "attachments"),
        (("shot.png",), "attachments"),
        ((LOG,), "attachments"),  # the first message's file again: one id, two files
        ((SHOT, SHOT), "attachments"),
    ],
)
def test_inq_2_a_follow_up_with_bad_attachments_is_refused_and_changes_nothing(
    desk: Desk, attachments: object, field: str
) -> None:
    before = desk.snapshot()
    with pytest.raises(ValidationError) as raised:
        desk.service.add_message(
            "inq-1",
            "画面です",
            by=USER,
            attachments=attachments,  # type: ignore[arg-type]
        )
    assert (raised.value.field, raised.value.rule) == (field, "INQ-2")
    assert desk.snapshot() == before


def test_inq_2_follow_up_files_are_deleted_with_the_first_ones_six_months_on(desk: Desk) -> None:
    desk.files.store(SHOT.attachment_id)
    desk.service.add_message("inq-1", "画面です", by=USER, attachments=(SHOT,))
    resolved = desk.service.resolve("inq-1", by=USER)
    assert resolved.purge_at is not None
    report = desk.service.apply_due(resolved.purge_at, by=STAFF)
    assert (report.purged, report.files) == (("inq-1",), 2)
    assert LOG.attachment_id not in desk.files
    assert SHOT.attachment_id not in desk.files


def test_inq_2_an_inquiry_whose_attachments_name_no_customer_message_cannot_exist(
    desk: Desk,
) -> None:
    answered = desk.service.answer("inq-1", "回答", by=STAFF)
    for messages in ((5,), (1,), (-1,), (True,), "0"):
        with pytest.raises(ValidationError) as raised:
            Inquiry(**{**_fields(answered), "attachment_messages": messages})
        assert raised.value.field == "attachment_messages"


def _fields(inquiry: Inquiry) -> dict[str, Any]:
    import attrs  # noqa: PLC0415

    return attrs.asdict(inquiry, recurse=False)


# -- the contracted service (INQ-1) ---------------------------------------------------------------


def test_inq_1_the_inquiry_names_one_of_the_tenants_contracted_services() -> None:
    service, repository, table = contracted_service()
    opened = open_about(service, attachments=(SHOT,))
    assert opened.service == WAN
    assert repository.get("inq-9").service == WAN
    assert table.asked == ["tenant-1"]


@pytest.mark.parametrize(
    "named",
    ["KDDI IP-VPN", "au 回線", CONTRACTS["tenant-1"][0].lower()],
    ids=["another tenant's service", "no tenant's service", "another spelling"],
)
def test_inq_1_a_service_the_tenant_has_not_contracted_is_refused_naming_service(
    named: str,
) -> None:
    service, repository, _ = contracted_service()
    with pytest.raises(ValidationError) as raised:
        open_about(service, service=named)
    assert (raised.value.field, raised.value.rule) == ("service", "INQ-1")
    assert len(repository) == 0
    assert repository.outbox.records() == []


def test_inq_1_with_the_contracted_services_known_an_inquiry_must_name_one() -> None:
    service, repository, _ = contracted_service()
    with pytest.raises(ValidationError) as raised:
        open_about(service, service=None)
    assert (raised.value.field, raised.value.rule) == ("service", "INQ-1")
    assert len(repository) == 0


def test_inq_1_the_tenant_is_the_senders_so_another_tenants_service_is_never_asked() -> None:
    service, _, table = contracted_service()
    opened = service.open(
        "inq-8",
        by=RIVAL,
        subject="VPN",
        body="つながりません",
        contact_email="x@example.jp",
        service="KDDI IP-VPN",
    )
    assert (opened.customer_id, opened.service, table.asked) == (
        "tenant-2",
        "KDDI IP-VPN",
        ["tenant-2"],
    )


def test_inq_1_open_without_the_services_port_is_refused_and_stores_nothing(
    desk: Desk,
) -> None:
    """Fail-closed: without the port nothing can check the name, so no inquiry is opened."""
    portless = InquiryService(inquiries=desk.inquiries, clock=desk.clock, attachments=desk.files)
    before = desk.snapshot(), desk.snapshot("inq-2")
    with pytest.raises(ValidationError) as raised:
        open_about(portless)
    assert (raised.value.field, raised.value.rule) == ("services", "INQ-1")
    assert "ContractedServices" in str(raised.value)
    assert (desk.snapshot(), desk.snapshot("inq-2")) == before
    assert len(desk.inquiries) == 2


def test_inq_1_without_the_services_port_an_inquiry_naming_no_service_is_refused_too(
    desk: Desk,
) -> None:
    portless = InquiryService(inquiries=desk.inquiries, clock=desk.clock, attachments=desk.files)
    with pytest.raises(ValidationError) as raised:
        open_about(portless, service=None)
    assert (raised.value.field, raised.value.rule) == ("services", "INQ-1")
    assert len(desk.inquiries) == 2
    assert len(desk.outbox.records()) == 2


def test_inq_1_a_service_without_the_port_still_answers_and_reads(desk: Desk) -> None:
    """The port is optional only for the steps that never ask it (see the decisions)."""
    portless = InquiryService(inquiries=desk.inquiries, clock=desk.clock, attachments=desk.files)
    answered = portless.answer("inq-1", "再起動してください", by=STAFF)
    assert answered.status is S.ANSWERED
    assert portless.get("inq-1", by=USER) == answered.saved()


def test_inq_1_the_service_port_must_answer_services_of() -> None:
    with pytest.raises(ValidationError) as raised:
        InquiryService(
            inquiries=InMemoryInquiryRepository(InMemoryOutbox()),
            clock=FixedClock(T0),
            attachments=InMemoryAttachmentStore(),
            services=CONTRACTS,  # type: ignore[arg-type]  # a dict has no services_of
        )
    assert raised.value.field == "services"


class _OneString:
    """A misbehaving port: it answers one string, not a collection of names."""

    def services_of(self, customer_id: str) -> str:
        del customer_id
        return WAN


def test_inq_1_the_port_answering_something_else_is_refused_not_fail_open() -> None:
    service, repository, _ = contracted_service(_OneString())  # a str is a Collection[str]
    with pytest.raises(ValidationError) as raised:
        open_about(service, service="K")  # "K" is in the string WAN
    assert raised.value.field == "services"
    assert len(repository) == 0


# -- stored data (PORT-7) -----------------------------------------------------------------------


def test_port_7_an_inquiry_stored_at_schema_2_reads_back_with_its_files_on_the_first_message(
    desk: Desk,
) -> None:
    import json  # noqa: PLC0415

    stored = json.loads(encode(desk.inquiries.get("inq-1")))
    assert stored["schema"] == 3
    del stored["data"]["service"]
    del stored["data"]["attachment_messages"]
    stored["schema"] = 2
    inquiry = decode(json.dumps(stored))
    assert isinstance(inquiry, Inquiry)
    assert (inquiry.service, inquiry.attachment_messages) == (None, (0,))
    assert inquiry.attachments_of(0) == (LOG,)


def test_port_7_an_inquiry_with_a_service_and_follow_up_files_round_trips(desk: Desk) -> None:
    service, repository, _ = contracted_service()
    open_about(service, attachments=(LOG,))
    followed = service.add_message("inq-9", "画面です", by=USER, attachments=(SHOT,))
    assert decode(encode(followed.saved())) == repository.get("inq-9")
