"""PORT-3: events have uniform fields and stable keys, and round-trip through JSON.

PORT-7: ``encode_event``/``decode_event`` are the event side of the storage codec: the
stored text names the event's declared type and schema, and malformed stored text is a
DecodeError naming the type and the field (the codec itself: tests/test_codec.py).

SEC-2: the codec, the outbox record, messages and delivery refuse bad input with an
OmakaseError naming the parameter (or, for stored text, the field), never a raw error,
never silently.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from omakase_core import (
    Actor,
    DecodeError,
    NaiveDatetimeError,
    NotFound,
    Principal,
    ValidationError,
)
from omakase_core.calendar import JST
from omakase_core.codec import encode
from omakase_core.contract import (
    AdminAccount,
    Contract,
    Contractor,
    ContractStatus,
    TerminationRequested,
)
from omakase_core.delivery import RetryPolicy, deliver_pending
from omakase_core.events import (
    OutboxRecord,
    decode_event,
    encode_event,
    from_data,
    records_for_save,
    to_data,
)
from omakase_core.messages import Message, NotificationSettings, register_renderer
from omakase_core.testing import FixedClock

if TYPE_CHECKING:
    from collections.abc import Callable

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
    timeline = contract.termination
    assert timeline is not None
    # Sweeps on time: 利用終了 first; at 登録抹消 the events stored before are redacted by the
    # repository (CON-10), so the ones recorded here keep the personal data they carry.
    ended = contract.apply_due(timeline.service_ends_at)
    purged = ended.saved().apply_due(T0 + timedelta(days=90))
    return [*ended.pending_events, *purged.pending_events]  # type: ignore[list-item]


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


def test_port_7_the_stored_event_names_its_declared_type_and_schema() -> None:
    text = encode_event(every_event_of_a_long_life()[0])
    assert text.startswith('{"type": "contract.TerminationRequested", "schema": 1, "data": {')


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


def test_port_7_an_unknown_event_type_is_a_decode_error_naming_it() -> None:
    with pytest.raises(DecodeError, match="Vanished") as raised:
        decode_event('{"type": "contract.Vanished", "schema": 1, "data": {}}')
    assert (raised.value.type_name, raised.value.field) == ("contract.Vanished", "type")


def test_port_7_the_python_class_name_is_not_a_stored_type() -> None:
    text = encode_event(every_event_of_a_long_life()[0])
    with pytest.raises(DecodeError) as raised:
        decode_event(text.replace("contract.TerminationRequested", "TerminationRequested"))
    assert raised.value.field == "type"


def test_port_7_a_stored_value_that_is_not_an_event_is_refused() -> None:
    contract = Contract.open(id="c-1", contractor=OWNER, opened_at=T0)
    with pytest.raises(DecodeError, match="not a Event") as raised:
        decode_event(encode(contract))
    assert raised.value.type_name == "contract.Contract"


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
    from omakase_core.ocn import (  # noqa: PLC0415
        AccountAction,
        MailChangePattern,
        MailChangeRequest,
        OcnCustomer,
        OcnService,
    )
    from omakase_core.submission import ASP, DocumentKind, Menu, SiteName, SubmissionService  # noqa: PLC0415
    from omakase_core.testing import (  # noqa: PLC0415
        FixedClock,
        InMemoryAttachmentStore,
        InMemoryContractedServices,
        InMemoryStore,
        TestPasswordHasher,
    )

    store = InMemoryStore()
    clock = FixedClock(datetime(2026, 5, 20, 10, 0, tzinfo=JST))
    submissions = SubmissionService(applications=store.applications, clock=clock, sites=store.sites)
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
    id_changes = IdChangeService(applications=store.id_changes, clock=clock)
    id_changes.submit(
        "idc-1",
        by=customer,
        contact_email="a@example.co.jp",
        service=Service.M365_PLANS,
        target=Target.CURRENT_MONTH,
        delta=2,
        current_count=10,
        consented=True,
    )
    inquiries = InquiryService(
        inquiries=store.inquiries,
        clock=clock,
        attachments=InMemoryAttachmentStore(),
        services=InMemoryContractedServices({"c": ("KDDI IP-VPN",)}),
    )
    inquiries.open(
        "inq-1",
        by=customer,
        subject="s",
        body="b",
        contact_email="a@example.co.jp",
        service="KDDI IP-VPN",
    )
    inquiries.answer("inq-1", "a", by=operator)
    store.ocn_customers.add(OcnCustomer(id="ocn-1", accounts=("taro",), updated_at=clock.now()))
    OcnService(
        customers=store.ocn_customers, clock=clock, hasher=TestPasswordHasher()
    ).apply_mail_change(
        "ocn-1",
        MailChangeRequest(
            pattern=MailChangePattern.ACCOUNT_ONLY, action=AccountAction.ADD, new_name="hana"
        ),
        by=Principal.customer("ocn-1"),
        password="Kq7-mail!",  # noqa: S106  # a test value
        password_confirmation="Kq7-mail!",  # noqa: S106  # a test value
    )
    events = [record.event for record in store.outbox.records()]
    assert len({type(e) for e in events}) >= 8
    for event in events:
        assert decode_event(encode_event(event)) == event


# -- SEC-2: the codec, the outbox record, messages and delivery refuse bad input cleanly ----


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("", None),
        ("not json", None),
        ("[]", None),
        ('{"type": "contract.TerminationRequested", "schema": 1}', None),
        ('{"type": "contract.TerminationRequested", "schema": 1, "data": {}}', "aggregate_id"),
        ('{"type": 1, "schema": 1, "data": {}}', "type"),
        ('{"type": "contract.TerminationRequested", "schema": 0, "data": {}}', "schema"),
        ('{"type": "contract.TerminationRequested", "schema": 1, "data": []}', "data"),
        ("[" * 100_000 + "]" * 100_000, None),
    ],
    ids=[
        "empty",
        "not JSON",
        "array",
        "no data",
        "missing fields",
        "type not text",
        "schema 0",
        "data not an object",
        "deep",
    ],
)
def test_port_7_decode_event_refuses_malformed_text_naming_the_field(
    text: str, field: str | None
) -> None:
    with pytest.raises(DecodeError) as raised:
        decode_event(text)
    assert raised.value.field == field
    assert raised.value.rule == "PORT-7"
    assert len(str(raised.value)) < 300


def test_port_7_decode_event_refuses_a_field_of_the_wrong_type_and_says_where() -> None:
    text = encode_event(every_event_of_a_long_life()[0])
    with pytest.raises(DecodeError, match=r"TerminationRequested\.version") as raised:
        decode_event(text.replace('"version": 1', '"version": "1"'))
    assert (raised.value.type_name, raised.value.field) == (
        "contract.TerminationRequested",
        "version",
    )
    with pytest.raises(DecodeError, match="naive") as naive:
        decode_event(text.replace("+09:00", ""))
    assert naive.value.field == "occurred_at"
    with pytest.raises(DecodeError, match="not a field") as extra:
        decode_event(text.replace('"version": 1', '"version": 1, "extra": 2'))
    assert extra.value.field == "extra"
    with pytest.raises(DecodeError) as nested:
        decode_event(text.replace('"email": "taro@example.co.jp"', '"email": 3'))
    assert nested.value.field == "contractor.email"
    with pytest.raises(DecodeError):
        decode_event(None)  # type: ignore[arg-type]  # the point


def test_sec_2_an_unknown_event_type_of_a_megabyte_is_refused_with_a_short_message() -> None:
    with pytest.raises(DecodeError) as raised:
        decode_event('{"type": "' + "x" * 1_000_000 + '", "schema": 1, "data": {}}')
    assert len(str(raised.value)) < 200
    assert len(raised.value.type_name or "") <= 100


@pytest.mark.parametrize(
    "value",
    [float("nan"), float("inf"), 10**5000, "\ud800", datetime(2026, 11, 1), {1: 2}],  # noqa: DTZ001  # a naive one
    ids=["NaN", "infinity", "huge int", "lone surrogate", "naive", "int keys"],
)
def test_sec_2_to_data_refuses_what_it_could_not_decode_again(value: object) -> None:
    with pytest.raises(ValidationError) as raised:
        to_data(value)
    assert raised.value.field == "value"


def test_sec_2_to_data_refuses_a_cycle_and_absurd_nesting_without_a_recursion_error() -> None:
    cycle: list[object] = []
    cycle.append(cycle)
    deep: list[object] = []
    for _ in range(100_000):
        deep = [deep]
    for value in (cycle, deep):
        with pytest.raises(ValidationError, match="nested deeper"):
            to_data(value)


def test_sec_2_encode_event_refuses_what_is_not_an_event() -> None:
    with pytest.raises(ValidationError) as raised:
        encode_event({"type": "TerminationRequested"})  # type: ignore[arg-type]  # the point
    assert raised.value.field == "event"


@pytest.mark.parametrize(
    ("tp", "data", "field"),
    [
        (date, "2026-13-45", "data"),
        (datetime, "2026-11-01T10:00:00", "data"),
        (int, True, "data"),
        (int, "3", "data"),
        (str, 3, "data"),
        (tuple[int, int], [1], "data"),
        (ContractStatus, "契約中", "data"),
        (Contractor, {"name": "x"}, "data"),
        (list[int], [1], "tp"),
        ("date", "2026-11-20", "tp"),
        ([], "2026-11-20", "tp"),
    ],
)
def test_sec_2_from_data_decodes_only_what_matches_the_type(
    tp: object, data: object, field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        from_data(tp, data)  # type: ignore[arg-type]  # the point
    assert raised.value.field == field


def test_port_3_a_union_decodes_into_the_first_arm_that_fits() -> None:
    assert from_data(int | str, "3") == "3"
    assert from_data(int | str, 3) == 3
    assert from_data(frozenset[date], ["2026-11-20"]) == frozenset({date(2026, 11, 20)})


def test_sec_2_an_event_needs_a_printable_id_and_a_version_from_1() -> None:
    event = every_event_of_a_long_life()[0]
    parts = attrs.asdict(event, recurse=False)
    for field, value in [
        ("aggregate_id", ""),
        ("aggregate_id", 3),
        ("version", 0),
        ("version", True),
    ]:
        with pytest.raises(ValidationError) as raised:
            type(event)(**{**parts, field: value})
        assert raised.value.field == field


def test_sec_2_an_outbox_record_key_is_its_events_idempotency_key() -> None:
    event = every_event_of_a_long_life()[0]
    assert OutboxRecord(key=event.idempotency_key, event=event).key == "contract:c-1:1"
    with pytest.raises(ValidationError) as key:
        OutboxRecord(key="contract:c-1:2", event=event)
    assert key.value.field == "key"
    with pytest.raises(ValidationError) as not_an_event:
        OutboxRecord.pending({"key": "k"})  # type: ignore[arg-type]  # the point
    assert not_an_event.value.field == "event"


TICK = timedelta(microseconds=1)


def _record(**delivery: Any) -> OutboxRecord:
    event = every_event_of_a_long_life()[0]
    return OutboxRecord(key=event.idempotency_key, event=event, **delivery)


def test_port_6_a_new_record_has_no_attempt_no_error_no_lease_and_is_due_at_once() -> None:
    record = OutboxRecord.pending(every_event_of_a_long_life()[0])
    assert (record.attempts, record.last_error, record.next_attempt_at) == (0, None, None)
    assert (record.dead_lettered_at, record.lease, record.leased_until) == (None, None, None)
    assert not record.is_delivered
    assert not record.is_dead_lettered
    assert record.is_due(T0)


@pytest.mark.parametrize(
    "delivery",
    [{"lease": "worker-1"}, {"leased_until": T0}],
    ids=["lease without expiry", "expiry without lease"],
)
def test_port_6_a_lease_and_its_expiry_are_given_together_or_not_at_all(
    delivery: dict[str, Any],
) -> None:
    with pytest.raises(ValidationError, match="give both, or neither") as raised:
        _record(**delivery)
    assert raised.value.field == next(iter(delivery))  # the one given names the refusal
    assert raised.value.rule == "PORT-6"
    leased = _record(lease="worker-1", leased_until=T0)
    assert (leased.lease, leased.leased_until) == ("worker-1", T0)


@pytest.mark.parametrize(
    "attempts",
    [-1, True, 1.0, "1", None, -(10**5000)],
    ids=["negative", "bool", "float", "text", "None", "-huge"],
)
def test_port_6_attempts_are_a_non_negative_int(attempts: object) -> None:
    with pytest.raises(ValidationError) as raised:
        _record(attempts=attempts)
    assert raised.value.field == "attempts"
    assert len(str(raised.value)) < 300
    assert _record(attempts=0).attempts == 0
    assert _record(attempts=8).attempts == 8


@pytest.mark.parametrize("field", ["last_error", "lease"])
@pytest.mark.parametrize("value", ["", 3, b"error"], ids=["empty", "int", "bytes"])
def test_port_6_an_error_and_a_lease_token_are_non_empty_text(field: str, value: object) -> None:
    delivery: dict[str, object] = {field: value}
    if field == "lease":
        delivery["leased_until"] = T0
    with pytest.raises(ValidationError) as raised:
        _record(**delivery)
    assert raised.value.field == field
    assert raised.value.rule == "PORT-6"


@pytest.mark.parametrize("field", ["next_attempt_at", "dead_lettered_at", "leased_until"])
def test_port_6_the_delivery_instants_are_aware(field: str) -> None:
    delivery: dict[str, object] = {field: datetime(2026, 11, 1, 10, 0)}  # noqa: DTZ001  # the point
    if field == "leased_until":
        delivery["lease"] = "worker-1"
    with pytest.raises(NaiveDatetimeError) as raised:
        _record(**delivery)
    assert raised.value.field == field
    with pytest.raises(ValidationError) as not_an_instant:
        _record(**{**delivery, field: "2026-11-01T10:00:00+09:00"})
    assert not_an_instant.value.field == field


def test_port_6_a_waiting_record_is_due_from_its_next_attempt_on() -> None:
    waiting = _record(attempts=1, last_error="SMTP 451", next_attempt_at=T0)
    assert not waiting.is_due(T0 - TICK)
    assert waiting.is_due(T0)
    assert waiting.is_due(T0 + timedelta(days=1))


def test_port_6_a_leased_record_is_due_again_once_the_lease_expired() -> None:
    leased = _record(lease="worker-1", leased_until=T0)
    assert not leased.is_due(T0 - TICK)
    assert leased.is_due(T0)


def test_port_6_a_delivered_or_dead_lettered_record_is_never_due() -> None:
    later = T0 + timedelta(days=365)
    delivered = _record(delivered_at=T0)
    dead = _record(attempts=8, last_error="gone", dead_lettered_at=T0)
    assert delivered.is_delivered
    assert not delivered.is_due(later)
    assert dead.is_dead_lettered
    assert not dead.is_delivered
    assert not dead.is_due(later)
    delivered_late = _record(dead_lettered_at=T0, delivered_at=T0 + TICK)
    assert not delivered_late.is_dead_lettered, "a late worker's delivery ends the dead letter"


def test_port_6_is_due_needs_an_aware_instant() -> None:
    record = _record()
    with pytest.raises(NaiveDatetimeError) as naive:
        record.is_due(datetime(2026, 11, 1, 10, 0))  # noqa: DTZ001  # the point
    assert naive.value.field == "now"
    with pytest.raises(ValidationError) as text:
        record.is_due("2026-11-01T10:00:00+09:00")  # type: ignore[arg-type]  # the point
    assert text.value.field == "now"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"events": None}, "events"),
        ({"events": ["e"]}, "events"),
        ({"expected_version": "0"}, "expected_version"),
        ({"expected_version": -1}, "expected_version"),
        ({"version": True}, "version"),
        ({"aggregate_id": None}, "aggregate_id"),
    ],
)
def test_sec_2_records_for_save_names_the_parameter_that_does_not_fit(
    kwargs: dict[str, object], field: str
) -> None:
    events = tuple(every_event_of_a_long_life()[:1])
    arguments: dict[str, Any] = {
        "aggregate_id": "c-1",
        "events": events,
        "expected_version": 0,
        "version": 1,
    }
    with pytest.raises(ValidationError) as raised:
        records_for_save(**{**arguments, **kwargs})
    assert raised.value.field == field


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("to", ""),
        ("to", "a@example.jp\r\nBcc: b@example.jp"),
        ("subject", "x" * 1000),
        ("key", None),
        ("body", "text\x00"),
    ],
)
def test_sec_2_a_message_holds_one_line_headers_and_a_clean_body(field: str, value: object) -> None:
    parts: dict[str, Any] = {
        "key": "k",
        "event_key": "e",
        "to": "a@example.jp",
        "subject": "件名",
        "body": "本文\n",
    }
    assert Message(**parts).body == "本文\n"
    assert Message(**{**parts, "subject": "【おまかせログイン】　受付"}).subject.endswith("受付")
    with pytest.raises(ValidationError) as raised:
        Message(**{**parts, field: value})
    assert raised.value.field == field


@pytest.mark.parametrize("url", ["https://", "https://a b.jp", "https://x.jp/\r\n", 3, "x" * 3000])
def test_sec_2_notification_settings_need_clean_http_urls(url: object) -> None:
    with pytest.raises(ValidationError) as raised:
        NotificationSettings(contractor_login_url=url, first_login_url="https://x.jp")  # type: ignore[arg-type]
    assert raised.value.field == "contractor_login_url"
    assert len(str(raised.value)) < 200


def test_sec_2_renderers_are_registered_only_for_event_classes() -> None:
    with pytest.raises(ValidationError) as event_type:
        register_renderer("TerminationRequested", lambda event, settings: ())  # type: ignore[arg-type]
    assert event_type.value.field == "event_type"
    with pytest.raises(ValidationError) as renderer:
        register_renderer(TerminationRequested, None)  # type: ignore[arg-type]
    assert renderer.value.field == "renderer"


class _Outbox:
    """An empty outbox that counts what delivery asked of it (PORT-6's claims)."""

    def __init__(self) -> None:
        self.asked = 0

    def pending(
        self, *, limit: int | None = None, now: datetime | None = None
    ) -> list[OutboxRecord]:
        self.asked += 1
        return []

    def get(self, key: str) -> OutboxRecord:
        raise NotFound(kind="outbox record", id=key)

    def claim(self, *, now: datetime, limit: int, lease: timedelta) -> list[OutboxRecord]:
        self.asked += 1
        return []

    def mark_delivered(self, key: str, *, at: datetime) -> bool:
        self.asked += 1
        return True

    def record_failure(
        self,
        key: str,
        *,
        lease: str,
        at: datetime,
        error: str,
        attempts: int,
        retry_at: datetime | None,
    ) -> bool:
        self.asked += 1
        return True

    def retry_dead_letter(self, key: str) -> bool:
        self.asked += 1
        return False

    def dead_letters(self, *, limit: int | None = None) -> list[OutboxRecord]:
        self.asked += 1
        return []


class _Notifier:
    def send(self, message: Message) -> None:
        """Send nothing."""


SETTINGS = NotificationSettings(
    contractor_login_url="https://x.jp/c", first_login_url="https://x.jp/f"
)


@pytest.mark.parametrize(
    "limit", ["3", 3.0, True, -1, -(10**5000)], ids=["text", "float", "bool", "negative", "-huge"]
)
def test_sec_2_deliver_pending_refuses_a_limit_that_is_not_a_count(limit: object) -> None:
    outbox = _Outbox()
    with pytest.raises(ValidationError) as raised:
        deliver_pending(outbox, _Notifier(), clock=FixedClock(T0), settings=SETTINGS, limit=limit)  # type: ignore[arg-type]
    assert raised.value.field == "limit"
    assert outbox.asked == 0  # refused before anything was read or sent


def test_sec_2_deliver_pending_names_each_argument_that_is_not_its_port() -> None:
    good: dict[str, Any] = {"clock": FixedClock(T0), "settings": SETTINGS}
    wrong: Any = "smtp"
    outbox = _Outbox()
    calls: list[tuple[str, Callable[[], object]]] = [
        ("outbox", lambda: deliver_pending(wrong, _Notifier(), **good)),
        ("notifier", lambda: deliver_pending(outbox, wrong, **good)),
        ("clock", lambda: deliver_pending(outbox, _Notifier(), clock=wrong, settings=SETTINGS)),
        (
            "settings",
            lambda: deliver_pending(outbox, _Notifier(), clock=good["clock"], settings=wrong),
        ),
        ("policy", lambda: deliver_pending(outbox, _Notifier(), **good, policy=wrong)),
    ]
    for field, call in calls:
        with pytest.raises(ValidationError) as raised:
            call()
        assert raised.value.field == field
    assert outbox.asked == 0  # refused before anything was claimed


def test_sec_2_an_outbox_without_the_claims_of_port_6_is_refused_before_delivery() -> None:
    """An outbox of the old port (pending and mark_delivered only) is named, not half used."""

    class OldOutbox:
        def pending(self, *, limit: int | None = None) -> list[OutboxRecord]:
            return []

        def mark_delivered(self, key: str, *, at: datetime) -> bool:
            return True

    with pytest.raises(ValidationError, match=r"claim\(\).*record_failure\(\)") as raised:
        deliver_pending(OldOutbox(), _Notifier(), clock=FixedClock(T0), settings=SETTINGS)  # type: ignore[arg-type]  # the point
    assert raised.value.field == "outbox"


@pytest.mark.parametrize(
    "policy",
    [None, RetryPolicy, {"max_attempts": 3}, "RetryPolicy()"],
    ids=["None", "the class", "a dict", "text"],
)
def test_sec_2_port_6_deliver_pending_refuses_a_policy_that_is_not_a_retry_policy(
    policy: object,
) -> None:
    outbox = _Outbox()
    with pytest.raises(ValidationError) as raised:
        deliver_pending(outbox, _Notifier(), clock=FixedClock(T0), settings=SETTINGS, policy=policy)  # type: ignore[arg-type]  # the point
    assert raised.value.field == "policy"
    assert raised.value.rule == "PORT-6"
    assert outbox.asked == 0


def test_sec_2_a_clock_giving_a_naive_instant_is_refused_naming_the_clock() -> None:
    class NaiveClock:
        def now(self) -> datetime:
            return datetime(2026, 11, 1, 10, 0)  # noqa: DTZ001  # the point

    with pytest.raises(NaiveDatetimeError) as raised:
        deliver_pending(_Outbox(), _Notifier(), clock=NaiveClock(), settings=SETTINGS)
    assert raised.value.field == "clock"


LEASE = timedelta(minutes=5)


def test_port_6_a_claim_leases_the_record_and_counts_a_lease_that_expired_unreported() -> None:
    first = _record().claimed(now=T0, lease=LEASE, holder="w-1")
    assert (first.lease, first.leased_until, first.attempts) == ("w-1", T0 + LEASE, 0)
    with pytest.raises(ValidationError) as raised:
        first.claimed(now=T0 + LEASE - timedelta(microseconds=1), lease=LEASE, holder="w-2")
    assert raised.value.field == "now"  # still leased to w-1
    second = first.claimed(now=T0 + LEASE, lease=LEASE, holder="w-2")
    assert (second.lease, second.attempts) == ("w-2", 1)
    assert second.last_error is not None
    assert "lease expired" in second.last_error


def test_port_6_a_failure_waits_or_dead_letters_and_ends_the_lease() -> None:
    leased = _record().claimed(now=T0, lease=LEASE, holder="w-1")
    waiting = leased.failed(at=T0, error="451", attempts=1, retry_at=T0 + LEASE)
    assert (waiting.lease, waiting.next_attempt_at, waiting.is_dead_lettered) == (
        None,
        T0 + LEASE,
        False,
    )
    dead = leased.failed(at=T0, error="451", attempts=8, retry_at=None)
    assert (dead.dead_lettered_at, dead.attempts, dead.is_due(T0 + LEASE)) == (T0, 8, False)
    back = dead.put_back()
    assert (back.attempts, back.dead_lettered_at, back.last_error) == (0, None, "451")
    assert back.is_due(T0)
    delivered = dead.delivered(at=T0)
    assert (delivered.is_delivered, delivered.is_dead_lettered, delivered.lease) == (
        True,
        False,
        None,
    )
