"""PORT-3: events have uniform fields and stable keys, and round-trip through JSON."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omakase_core import Actor, NaiveDatetimeError, NotFound, Principal, ValidationError
from omakase_core.calendar import JST
from omakase_core.contract import (
    AdminAccount,
    Contract,
    Contractor,
    ContractStatus,
    TerminationRequested,
)
from omakase_core.events import (
    OutboxRecord,
    decode_event,
    encode_event,
    from_data,
    records_for_save,
    to_data,
)
from omakase_core.messages import NotificationSettings

T0 = datetime(2026, 11, 1, 10, 0, tzinfo=JST)
OWNER = Contractor(name="山田 太郎", email="taro@example.co.jp")
HEIR = Contractor(name="佐藤 花子", email="hanako@example.co.jp")


def every_event_of_a_long_life() -> list[TerminationRequested]:
    contract = Contract.open(id="c-1", contractor=OWNER, opened_at=T0)
    contract = contract.request_termination(actor=Actor.CONTRACTOR, at=T0)
    contract = contract.reinstate(actor=Actor.CONTRACTOR, at=T0 + timedelta(days=1))
    contract = contract.request_contractor_change(
        actor=Actor.CONTRACTOR, new=HEIR, at=T0 + timedelta(days=2)
    )
    contract = contract.cancel_contractor_change(actor=Actor.CONTRACTOR, at=T0 + timedelta(days=2))
    contract = contract.request_contractor_change(
        actor=Actor.CONTRACTOR, new=HEIR, at=T0 + timedelta(days=3)
    )
    contract = contract.complete_contractor_change(
        actor=Actor.CONTRACTOR,
        login_email=HEIR.email,
        at=T0 + timedelta(days=4),
        admin_account=AdminAccount.ISSUED,
    )
    contract = contract.request_termination(actor=Actor.CONTRACTOR, at=T0 + timedelta(days=5))
    contract = contract.apply_due(T0 + timedelta(days=90))
    return list(contract.pending_events)  # type: ignore[arg-type]


def test_port_3_events_carry_uniform_fields_and_consecutive_versions() -> None:
    events = every_event_of_a_long_life()
    assert [e.version for e in events] == list(range(1, 10))
    assert {e.aggregate_id for e in events} == {"c-1"}
    assert all(e.occurred_at.tzinfo is not None for e in events)
    assert [e.name for e in events] == [
        "TerminationRequested",
        "ContractReinstated",
        "ContractorChangeRequested",
        "ContractorChangeCancelled",
        "ContractorChangeRequested",
        "ContractorChangeCompleted",
        "TerminationRequested",
        "ServiceEnded",
        "RegistrationPurged",
    ]


def test_port_3_the_idempotency_key_is_stable_and_unique() -> None:
    events = every_event_of_a_long_life()
    keys = [e.idempotency_key for e in events]
    assert keys[0] == "contract:c-1:1"
    assert len(set(keys)) == len(keys)
    assert keys == [e.idempotency_key for e in every_event_of_a_long_life()]


def test_port_3_every_event_round_trips_through_json() -> None:
    for event in every_event_of_a_long_life():
        text = encode_event(event)
        assert decode_event(text) == event
        assert event.contractor.name in text  # Japanese stays readable in the stored JSON


def test_a_stored_contract_round_trips_through_data() -> None:
    contract = Contract.open(id="c-1", contractor=OWNER, opened_at=T0)
    contract = contract.request_termination(actor=Actor.CONTRACTOR, at=T0).saved()
    assert from_data(Contract, to_data(contract)) == contract
    assert to_data(contract)["status"] == "terminated"  # type: ignore[index, call-overload]


@given(st.dates(min_value=date(1955, 1, 1), max_value=date(2099, 12, 31)), st.text(max_size=5))
def test_dates_and_text_round_trip(day: date, text: str) -> None:
    assert from_data(date, to_data(day)) == day
    assert from_data(str | None, to_data(text)) == text
    assert from_data(tuple[ContractStatus, ...], to_data((ContractStatus.ACTIVE,))) == (
        ContractStatus.ACTIVE,
    )


def test_an_unknown_event_type_is_not_found() -> None:
    with pytest.raises(NotFound, match="Vanished"):
        decode_event('{"type": "Vanished", "data": {}}')


def test_something_that_is_not_data_is_refused() -> None:
    with pytest.raises(ValidationError):
        to_data(object())


def test_an_event_needs_an_aware_instant() -> None:
    naive = datetime(2026, 11, 1)  # noqa: DTZ001  # the point of the test
    with pytest.raises(NaiveDatetimeError) as raised:
        TerminationRequested(
            aggregate_id="c-1",
            version=1,
            occurred_at=naive,
            contractor=OWNER,
            timeline=every_event_of_a_long_life()[0].timeline,
        )
    assert raised.value.field == "occurred_at"
    with pytest.raises(NaiveDatetimeError):
        Contract.open(id="c-1", contractor=OWNER, opened_at=naive)


def test_port_3_a_save_must_carry_exactly_its_events() -> None:
    events = tuple(every_event_of_a_long_life()[:2])
    assert records_for_save("c-1", events, expected_version=0, version=2) == tuple(
        OutboxRecord.pending(e) for e in events
    )
    with pytest.raises(ValidationError, match=r"must carry its events 1\.\.3"):
        records_for_save("c-1", events, expected_version=0, version=3)
    with pytest.raises(ValidationError):
        records_for_save("c-2", events, expected_version=0, version=2)


def test_notification_settings_need_http_urls() -> None:
    with pytest.raises(ValidationError) as raised:
        NotificationSettings(contractor_login_url="ftp://x", first_login_url="https://x.jp")
    assert raised.value.field == "contractor_login_url"


def test_port_3_every_domains_events_round_trip_through_json() -> None:
    """PORT-3: a SQL adapter can store every event the library records, of every domain."""
    from datetime import date  # noqa: PLC0415

    from omakase_core.accounts import Role  # noqa: PLC0415
    from omakase_core.id_change import IdChangeService, Service, Target  # noqa: PLC0415
    from omakase_core.inquiry import InquiryService  # noqa: PLC0415
    from omakase_core.ocn import MailChangePattern, MailChangeRequest, OcnCustomer, OcnService  # noqa: PLC0415
    from omakase_core.submission import ASP, DocumentKind, Menu, SiteName, SubmissionService  # noqa: PLC0415
    from omakase_core.testing import (  # noqa: PLC0415
        FixedClock,
        InMemoryApplicationRepository,
        InMemoryIdChangeRepository,
        InMemoryOutbox,
        InMemoryRepository,
    )

    outbox = InMemoryOutbox()
    clock = FixedClock(datetime(2026, 5, 20, 10, 0, tzinfo=JST))
    submissions = SubmissionService(applications=InMemoryApplicationRepository(outbox), clock=clock)
    customer = Principal.customer("c", role=Role.ADMIN)
    operator = Principal.operator("staff-1")
    submissions.create_new_installation(
        "app-1",
        by=customer,
        site=SiteName(company_abbrev="A", location="B"),
        menu=Menu.BASIC,
        asps=[ASP.SDS],
        bandwidth_mbps=10,
        weekday_daytime=True,
        contact_email="a@example.co.jp",
    )
    submissions.upload("app-1", DocumentKind.APPLICATION_FORM, "form.pdf", by=customer)
    submissions.send("app-1", DocumentKind.APPLICATION_FORM, "submit", by=customer)
    submissions.record_construction_completed("app-1", date(2026, 5, 1), by=operator)
    id_changes = IdChangeService(applications=InMemoryIdChangeRepository(outbox), clock=clock)
    id_changes.submit(
        "idc-1",
        by=customer,
        contact_email="a@example.co.jp",
        service=Service.M365_PLANS,
        target=Target.CURRENT_MONTH,
        delta=2,
    )
    inquiries = InquiryService(inquiries=InMemoryRepository(outbox), clock=clock)
    inquiries.open("inq-1", by=customer, subject="s", body="b", contact_email="a@example.co.jp")
    inquiries.answer("inq-1", "a", by=operator)
    customers: InMemoryRepository[OcnCustomer] = InMemoryRepository(outbox)
    customers.add(OcnCustomer(id="ocn-1", accounts=("taro",), updated_at=clock.now()))
    OcnService(customers=customers, clock=clock).apply_mail_change(
        "ocn-1",
        MailChangeRequest(pattern=MailChangePattern.ACCOUNT_ONLY, new_accounts=("hana",)),
        by=Principal.customer("ocn-1"),
    )
    events = [record.event for record in outbox.records()]
    assert len({type(e) for e in events}) >= 8
    for event in events:
        assert decode_event(encode_event(event)) == event
