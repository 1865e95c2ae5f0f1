"""PORT-5: what both shipped stores do beyond the port contract suite, each on a real database.

Every test runs on the SQLite store (a fresh file) and on the PostgreSQL store (a fresh
schema on the test server): every aggregate and event of every domain round-trips, the
sweeps run over claimed batches, a refused or failed write leaves nothing behind, stored
data that cannot be decoded is the library's ``DecodeError`` (PORT-7), and malformed
arguments are refused with a ``ValidationError`` naming the parameter (SEC-2).
"""

from __future__ import annotations

import collections
import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import attrs
import pytest

from omakase_core.adapters.postgres import PostgresStore
from omakase_core.adapters.sqlite import SqliteStore
from omakase_core.calendar import JST
from omakase_core.codec import decode, encode, type_name
from omakase_core.contract import Contract, Contractor, ContractService, ContractStatus
from omakase_core.errors import (
    ConcurrencyConflict,
    DecodeError,
    NotFound,
    OmakaseError,
    StoreUnavailable,
    ValidationError,
)
from omakase_core.id_change import IdChangeService, IdChangeStatus, Service, Target
from omakase_core.lifecycle import Actor
from omakase_core.principal import Principal
from omakase_core.submission import NewInstallation
from omakase_core.testing import FixedClock
from omakase_core.testing._samples import sample
from tests.test_codec import library_stored_names, stored_world

if TYPE_CHECKING:
    import pathlib
    from collections.abc import Callable, Iterator

    from omakase_core.adapters._sql import SqlStore
    from omakase_core.events import Event
    from tests.adapters.conftest import Databases

T0 = datetime(2026, 11, 2, 10, 0, tzinfo=JST)
LATER = T0 + timedelta(days=60)
"""When every contract terminated at T0 is past its service end and its purge (CON-3)."""
SYSTEM = Principal.system()
NAIVE = datetime(2026, 1, 1)  # noqa: DTZ001  # the point: an instant without its zone


def _open(kind: str, request: pytest.FixtureRequest, directory: pathlib.Path) -> SqlStore:
    if kind == "sqlite":
        return SqliteStore(directory / "omakase.db")
    databases: Databases = request.getfixturevalue("databases")
    return PostgresStore(databases.fresh())


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: pathlib.Path) -> Iterator[SqlStore]:
    """Return a fresh, empty store of each shipped adapter."""
    made = _open(request.param, request, tmp_path)
    yield made
    made.close()  # type: ignore[attr-defined]  # both shipped stores close


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def untouched(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SqlStore]:
    """Return one empty store per adapter for the module's refused calls (they write nothing)."""
    made = _open(request.param, request, tmp_path_factory.mktemp("untouched"))
    yield made
    made.close()  # type: ignore[attr-defined]  # both shipped stores close


def _execute(store: SqlStore, statement: str, *params: object) -> None:
    """Write to the store's database directly (``?`` placeholders), as a broken peer might."""
    backend: Any = store.outbox._backend
    with backend.writing() as session:
        session.change(backend.dialect.sql(statement), params)


def _terminated(number: int, *, at: datetime = T0) -> Contract:
    """Return contract ``number`` opened and terminated at ``at``, with its one event."""
    contract = Contract.open(
        id=f"contract-{number}",
        contractor=Contractor(name="山田 太郎", email=f"owner{number}@example.co.jp"),
        opened_at=at - timedelta(days=1),
    )
    return contract.request_termination(actor=Actor.CONTRACTOR, at=at)


def _site() -> Any:
    """Return a new installed site of ``customer-1`` (SUB-5), with a started 拠点名変更."""
    found = sample("sites")
    return found.step(found.new("site-1", "customer-1", 0), 0, 0)


def _application() -> Any:
    return sample("applications").new("application-1", "customer-1", 0)


def _snapshot(store: SqlStore) -> tuple[list[Contract], list[Any]]:
    contracts = [store.contracts.get(f"contract-{n}") for n in range(1, 6)]
    return contracts, store.outbox.records()


# -- PORT-5/PORT-7: every aggregate and event of every domain ----------------------------------


def test_port_5_every_aggregate_and_event_of_every_domain_round_trips(store: SqlStore) -> None:
    """A busy day of every domain (tests/test_codec.py) is stored and read back unchanged.

    Each aggregate is added at its version together with every event it recorded, in one
    transaction; the store then returns each aggregate and each outbox record unchanged.
    """
    aggregates, events = stored_world()
    by_aggregate: dict[tuple[str, str], list[Event]] = collections.defaultdict(list)
    for event in events:
        by_aggregate[event.aggregate_type, event.aggregate_id].append(event)
    repositories: list[tuple[str, Any]] = [
        ("contract", store.contracts),
        ("application", store.applications),
        ("site", store.sites),
        ("id_change", store.id_changes),
        ("inquiry", store.inquiries),
        ("ocn", store.ocn_customers),
        ("tenant", store.tenants),
        ("credential", store.credentials),
    ]
    for aggregate in aggregates:
        assert attrs.has(type(aggregate))
        stored_aggregate: Any = aggregate
        kind, repository = next(
            (kind, r) for kind, r in repositories if isinstance(aggregate, r._table.aggregate)
        )
        own = tuple(by_aggregate[kind, stored_aggregate.id])
        repository.add(attrs.evolve(stored_aggregate, pending_events=own))
        assert repository.get(stored_aggregate.id) == aggregate
    stored = [record.event for record in store.outbox.records()]
    assert sorted(stored, key=_order) == sorted(events, key=_order)
    for event in stored:
        assert store.outbox.get(event.idempotency_key).event == event
    names = {type_name(value) for value in [*aggregates, *stored]}
    assert names == library_stored_names()


@pytest.mark.parametrize("bandwidth", [1e25, 1e16, 123456789012345680.0, 5e-324, 100.0])
def test_port_7_a_float_is_stored_exactly_as_the_codec_wrote_it(
    store: SqlStore, bandwidth: float
) -> None:
    """A bandwidth of 1e25 Mbps (allowed: a positive number) reads back as that float.

    PostgreSQL's ``jsonb`` would rewrite ``1e+25`` as ``10000000000000000000000000`` (and
    reorder the keys): the store keeps exactly the text the codec wrote (PORT-7).
    """
    aggregates, _ = stored_world()
    application = next(a for a in aggregates if isinstance(a, NewInstallation))
    huge = attrs.evolve(application, bandwidth_mbps=bandwidth)
    store.applications.add(huge)
    stored = store.applications.get(huge.id)
    assert isinstance(stored, NewInstallation)
    assert stored == huge
    assert repr(stored.bandwidth_mbps) == repr(bandwidth)
    backend: Any = store.outbox._backend
    body = backend.dialect.json_text.format("body")
    query = backend.dialect.sql(f"SELECT {body} FROM omakase_applications WHERE id = ?")  # noqa: S608  # the test's own columns
    with backend.reading() as session:
        assert session.one(query, (huge.id,)) == (encode(huge.saved()),)  # the codec's text


def _order(event: Event) -> tuple[str, int]:
    return event.idempotency_key, event.version


def test_port_7_an_aggregate_is_stored_as_the_codecs_json_beside_its_query_columns(
    store: SqlStore,
) -> None:
    contract = _terminated(1)
    store.contracts.add(contract)
    backend: Any = store.outbox._backend
    columns = f"{backend.dialect.json_text.format('body')}, status, due_at, version"
    query = backend.dialect.sql(f"SELECT {columns} FROM omakase_contracts WHERE id = ?")  # noqa: S608  # the test's own columns
    with backend.reading() as session:
        row = session.one(query, ("contract-1",))
    assert row is not None
    body, status, due_at, version = row
    assert decode(body, expected=Contract) == contract.saved()
    assert '"type": "contract.Contract"' in body or '"type":"contract.Contract"' in body
    assert (status, version) == ("terminated", 1)
    assert backend.dialect.instant_out(due_at) == contract.next_due_at


# -- PORT-5: sweeps over claimed batches -------------------------------------------------------


def test_port_5_apply_due_over_a_claimed_batch_sweeps_only_the_claimed_contracts(
    store: SqlStore,
) -> None:
    for number in range(1, 6):
        store.contracts.add(_terminated(number, at=T0 + timedelta(hours=number)))
    clock = FixedClock(LATER)
    with store.contracts.claim_due(LATER, limit=3) as batch:
        assert batch.claimed == ("contract-1", "contract-2", "contract-3")  # earliest due first
        service = ContractService(contracts=batch, clock=clock, directory=store.directory)
        report = service.apply_due(LATER, by=SYSTEM)
    assert report.changed == ("contract-1", "contract-2", "contract-3")
    assert report.conflicts == ()
    assert [c.id for c in store.contracts.due(LATER)] == ["contract-4", "contract-5"]
    with store.contracts.claim_due(LATER, limit=3) as rest:
        service = ContractService(contracts=rest, clock=clock, directory=store.directory)
        assert service.apply_due(LATER, by=SYSTEM).changed == ("contract-4", "contract-5")
    assert rest.claimed == ("contract-4", "contract-5")  # fewer than the limit: the sweep is done
    contracts, records = _snapshot(store)
    assert all(c.status is ContractStatus.PURGED for c in contracts)
    keys = [record.key for record in records]
    assert len(keys) == len(set(keys)) == sum(c.version for c in contracts)


def test_port_5_a_claim_whose_block_raises_writes_nothing(store: SqlStore) -> None:
    for number in range(1, 6):
        store.contracts.add(_terminated(number))
    before = _snapshot(store)

    def crash() -> None:
        with store.contracts.claim_due(LATER, limit=5) as batch:
            sweeper = ContractService(
                contracts=batch, clock=FixedClock(LATER), directory=store.directory
            )
            assert len(sweeper.apply_due(LATER, by=SYSTEM).changed) == 5
            raise RuntimeError("the worker died")  # the point

    with pytest.raises(RuntimeError, match="the worker died"):
        crash()
    assert _snapshot(store) == before
    assert len(store.contracts.due(LATER)) == 5  # the next sweep takes them all


def test_port_5_a_refused_save_inside_a_claim_leaves_no_trace_and_the_rest_commits(
    store: SqlStore,
) -> None:
    store.contracts.add(_terminated(1))
    store.contracts.add(_terminated(2))
    _execute(
        store,
        "INSERT INTO omakase_outbox (key, event) VALUES (?, {json})",
        "contract:contract-2:2",
        encode(_terminated(2).saved().apply_due(LATER).pending_events[0]),  # an orphan
    )
    with store.contracts.claim_due(LATER, limit=5) as batch:
        for contract in batch.due(LATER):
            swept = contract.apply_due(LATER)
            if contract.id == "contract-2":
                with pytest.raises(ValidationError) as raised:
                    batch.save(swept, expected_version=contract.version)
                assert raised.value.field == "aggregate"
            else:
                batch.save(swept, expected_version=contract.version)
        assert [c.id for c in batch.due(LATER)] == ["contract-2"]
    assert store.contracts.get("contract-1").status is ContractStatus.PURGED
    assert store.contracts.get("contract-2") == _terminated(2).saved()
    keys = {record.key for record in store.outbox.records()}
    assert "contract:contract-2:3" not in keys  # written with :2 refused, then deleted again
    assert {"contract:contract-1:2", "contract:contract-1:3", "contract:contract-2:2"} <= keys


def test_port_5_a_claimed_batch_refuses_to_write_an_aggregate_it_did_not_claim(
    store: SqlStore,
) -> None:
    """A batch writes only the rows its claim locked: never another worker's (PORT-5)."""
    for number in range(1, 4):
        store.contracts.add(_terminated(number, at=T0 + timedelta(hours=number)))
    before = _snapshot_of(store, 3)
    with store.contracts.claim_due(LATER, limit=1) as batch:
        assert batch.claimed == ("contract-1",)
        other = store.contracts.get("contract-3")
        with pytest.raises(ValidationError) as saved:
            batch.save(other.apply_due(LATER), expected_version=other.version)
        with pytest.raises(ValidationError) as added:
            batch.add(_terminated(9))
    for raised in (saved, added):
        assert (raised.value.field, raised.value.rule) == ("aggregate", "PORT-5")
    assert _snapshot_of(store, 3) == before
    with pytest.raises(NotFound):
        store.contracts.get("contract-9")


def test_port_2_a_stale_save_inside_a_claim_is_a_conflict_and_leaves_no_trace(
    store: SqlStore,
) -> None:
    """The claim checks the version it holds before it writes anything (no savepoint)."""
    store.contracts.add(_terminated(1))
    with store.contracts.claim_due(LATER, limit=5) as batch:
        (contract,) = batch.due(LATER)
        swept = contract.apply_due(LATER)
        batch.save(swept, expected_version=contract.version)
        with pytest.raises(ConcurrencyConflict) as raised:
            batch.save(swept, expected_version=contract.version)  # again: now stale
        assert (raised.value.expected_version, raised.value.actual_version) == (1, 3)
        assert batch.get("contract-1") == swept.saved()
    assert store.contracts.get("contract-1") == swept.saved()
    keys = [record.key for record in store.outbox.records()]
    assert keys == [f"contract:contract-1:{version}" for version in (1, 2, 3)]


def _snapshot_of(store: SqlStore, count: int) -> tuple[list[Contract], list[Any]]:
    contracts = [store.contracts.get(f"contract-{n}") for n in range(1, count + 1)]
    return contracts, store.outbox.records()


def test_port_5_a_claimed_batch_cannot_be_used_after_its_block(store: SqlStore) -> None:
    store.contracts.add(_terminated(1))
    with store.contracts.claim_due(LATER) as batch:
        (contract,) = batch.due(LATER)
    with pytest.raises(ValidationError) as raised:
        batch.save(contract.apply_due(LATER), expected_version=contract.version)
    assert raised.value.field == "batch"
    with pytest.raises(ValidationError):
        batch.get("contract-1")
    assert store.contracts.get("contract-1") == contract


def test_port_5_any_write_through_an_ended_batch_is_refused_as_ended_first(
    store: SqlStore,
) -> None:
    """The batch says it has ended before it looks at versions or events (PORT-5)."""
    store.contracts.add(_terminated(1))
    with store.contracts.claim_due(LATER) as batch:
        (contract,) = batch.due(LATER)
        swept = contract.apply_due(LATER)
        batch.save(swept, expected_version=contract.version)
    stored = store.contracts.get("contract-1")
    writes: list[Callable[[], object]] = [
        lambda: batch.save(swept, expected_version=contract.version),  # stale
        lambda: batch.save(swept, expected_version=swept.version),  # events that do not fit
        lambda: batch.save(stored, expected_version=stored.version - 1),  # no events at all
        lambda: batch.add(_terminated(2)),
    ]
    for write in writes:
        with pytest.raises(ValidationError) as raised:
            write()
        assert (raised.value.field, raised.value.rule) == ("batch", "PORT-5")
        assert "this claimed batch has ended" in str(raised.value)
    assert store.contracts.get("contract-1") == stored
    with pytest.raises(NotFound):
        store.contracts.get("contract-2")


def test_port_5_the_id_change_sweep_runs_over_a_claimed_batch(store: SqlStore) -> None:
    clock = FixedClock(datetime(2026, 5, 20, 10, 0, tzinfo=JST))
    service = IdChangeService(applications=store.id_changes, clock=clock)
    for customer in ("cust-1", "cust-2"):
        admin = Principal.customer(customer, user_id=f"{customer}-admin", role=_admin_role())
        service.submit(
            f"idc-{customer}",
            by=admin,
            contact_email="admin@example.co.jp",
            service=Service.GOOGLE_WORKSPACE,
            target=Target.NEXT_MONTH,
            delta=2,
            current_count=10,
            consented=True,
        )
    applies_at = datetime(2026, 6, 1, 12, 0, tzinfo=JST)
    assert store.id_changes.due(applies_at - timedelta(microseconds=1)) == []
    with store.id_changes.claim_due(applies_at, limit=10) as batch:
        swept = IdChangeService(applications=batch, clock=clock).apply_due(applies_at, by=SYSTEM)
    assert sorted(swept) == ["idc-cust-1", "idc-cust-2"]
    assert store.id_changes.due(applies_at) == []
    assert {a.status for a in store.id_changes.of_customer("cust-1")} == {IdChangeStatus.PROCESSING}


def _admin_role() -> Any:
    from omakase_core.accounts import Role  # noqa: PLC0415  # the tenant roles (ACC-3)

    return Role.ADMIN


# -- PORT-2, PORT-3: what a failed write leaves behind -----------------------------------------


def test_port_3_a_save_whose_event_key_is_taken_is_refused_and_writes_nothing(
    store: SqlStore,
) -> None:
    contract = Contract.open(
        id="contract-1",
        contractor=Contractor(name="山田 太郎", email="owner1@example.co.jp"),
        opened_at=T0,
    )
    store.contracts.add(contract)
    terminated = contract.request_termination(actor=Actor.CONTRACTOR, at=T0)
    _execute(
        store,
        "INSERT INTO omakase_outbox (key, event) VALUES (?, {json})",
        "contract:contract-1:1",
        encode(terminated.pending_events[0]),
    )
    before = store.outbox.records()
    with pytest.raises(ValidationError) as raised:
        store.contracts.save(terminated, expected_version=0)
    assert raised.value.rule == "PORT-3"
    assert store.contracts.get("contract-1") == contract
    assert store.outbox.records() == before


def test_port_2_a_repository_refuses_another_kind_of_aggregate(store: SqlStore) -> None:
    contract = _terminated(1)
    with pytest.raises(ValidationError) as raised:
        store.applications.add(contract)  # type: ignore[arg-type]  # the point
    assert raised.value.field == "aggregate"
    with pytest.raises(NotFound):
        store.contracts.get(contract.id)
    assert store.outbox.records() == []


def test_port_2_a_conflict_names_the_stored_version(store: SqlStore) -> None:
    contract = _terminated(1)
    store.contracts.add(contract)
    with pytest.raises(ConcurrencyConflict) as taken:
        store.contracts.add(contract)
    assert (taken.value.expected_version, taken.value.actual_version) == (None, 1)
    with pytest.raises(ConcurrencyConflict) as stale:
        store.contracts.save(contract, expected_version=0)  # stale: version 1 is stored
    assert (stale.value.expected_version, stale.value.actual_version) == (0, 1)


# -- PORT-7: stored data that cannot be decoded ------------------------------------------------


def test_port_7_a_corrupt_stored_aggregate_is_a_decode_error(store: SqlStore) -> None:
    store.contracts.add(_terminated(1))
    _corrupt(store, "contract-1")
    with pytest.raises(DecodeError) as raised:
        store.contracts.get("contract-1")
    assert raised.value.type_name == "contract.Contract"


def _corrupt(store: SqlStore, contract_id: str) -> None:
    """Overwrite the stored body of a contract with JSON the codec refuses (PORT-7)."""
    _execute(
        store,
        "UPDATE omakase_contracts SET body = {json} WHERE id = ?",
        '{"type": "contract.Contract", "schema": 1, "data": {"id": 3}}',
        contract_id,
    )


def test_port_7_a_corrupt_due_row_is_skipped_and_logged_and_the_others_are_due(
    store: SqlStore, caplog: pytest.LogCaptureFixture
) -> None:
    """One row that does not decode never stops a sweep: it is reported, the rest is due."""
    for number in range(1, 4):
        store.contracts.add(_terminated(number, at=T0 + timedelta(hours=number)))
    _corrupt(store, "contract-1")  # due first, every time
    with caplog.at_level(logging.WARNING, logger="omakase_core.adapters"):
        due = store.contracts.due(LATER)
    assert [c.id for c in due] == ["contract-2", "contract-3"]
    assert "contract-1" in caplog.text
    assert "contract.Contract" in caplog.text


def test_port_7_a_claim_reports_the_rows_it_cannot_decode_and_still_fills_its_batch(
    store: SqlStore, caplog: pytest.LogCaptureFixture
) -> None:
    """The claim hands out ``limit`` decodable rows; the others are in ``undecodable``."""
    for number in range(1, 6):  # each due a month after the one before
        store.contracts.add(_terminated(number, at=T0 - timedelta(days=31 * (5 - number))))
    _corrupt(store, "contract-1")
    _corrupt(store, "contract-3")
    clock = FixedClock(LATER)
    with caplog.at_level(logging.WARNING, logger="omakase_core.adapters"):
        with store.contracts.claim_due(LATER, limit=2) as batch:
            assert batch.claimed == ("contract-2", "contract-4")
            assert batch.undecodable == ("contract-1", "contract-3")
            service = ContractService(contracts=batch, clock=clock, directory=store.directory)
            assert service.apply_due(LATER, by=SYSTEM).changed == ("contract-2", "contract-4")
        with store.contracts.claim_due(LATER, limit=2) as rest:
            service = ContractService(contracts=rest, clock=clock, directory=store.directory)
            assert service.apply_due(LATER, by=SYSTEM).changed == ("contract-5",)
    assert rest.claimed == ("contract-5",)  # fewer than the limit: the sweep is done
    assert rest.undecodable == ("contract-1", "contract-3")  # reported by every claim
    assert "contract-3" in caplog.text
    assert [c.id for c in store.contracts.due(LATER)] == []  # the corrupt ones stay stored
    for contract_id in ("contract-1", "contract-3"):
        with pytest.raises(DecodeError):
            store.contracts.get(contract_id)
    assert store.contracts.claimed == store.contracts.undecodable == ()


def test_port_7_a_stored_directory_role_that_is_no_role_is_a_decode_error(
    store: SqlStore,
) -> None:
    _execute(
        store,
        "INSERT INTO omakase_directory (contract_id, email, name, role) VALUES (?, ?, ?, ?)",
        "contract-1",
        "owner@example.co.jp",
        "山田 太郎",
        "superuser",
    )
    with pytest.raises(DecodeError) as raised:
        store.directory.role_of("contract-1", "owner@example.co.jp")
    assert raised.value.field == "role"


# -- SEC-2: malformed arguments -----------------------------------------------------------------

BAD_CALLS: list[tuple[str, Callable[[Any], object], str]] = [
    ("get: an int id", lambda s: s.contracts.get(1), "aggregate_id"),
    ("get: None", lambda s: s.tenants.get(None), "aggregate_id"),
    ("add: a dict", lambda s: s.contracts.add({"id": "x"}), "aggregate"),
    ("add: a class", lambda s: s.inquiries.add(Contract), "aggregate"),
    (
        "save: a text version",
        lambda s: s.contracts.save(_terminated(1), expected_version="0"),
        "expected_version",
    ),
    (
        "save: a negative version",
        lambda s: s.contracts.save(_terminated(1), expected_version=-1),
        "expected_version",
    ),
    (
        "save: True for a version",
        lambda s: s.contracts.save(_terminated(1), expected_version=True),
        "expected_version",
    ),
    (
        "save: a version past 64 bits",
        lambda s: s.contracts.save(_terminated(1), expected_version=2**63),
        "expected_version",
    ),
    ("due: a naive instant", lambda s: s.contracts.due(NAIVE), "now"),
    ("due: text", lambda s: s.id_changes.due("2026-01-01"), "now"),
    (
        "claim_due: a zero limit",
        lambda s: s.contracts.claim_due(LATER, limit=0).__enter__(),
        "limit",
    ),
    (
        "claim_due: a huge limit",
        lambda s: s.id_changes.claim_due(LATER, limit=10**9).__enter__(),
        "limit",
    ),
    ("of_customer: an int", lambda s: s.applications.of_customer(7), "customer_id"),
    ("sites of_customer: an int", lambda s: s.sites.of_customer(7), "customer_id"),
    (
        "save_with_application: a contract as the site",
        lambda s: s.sites.save_with_application(
            _terminated(1), site_version=None, application=_application(), application_version=None
        ),
        "site",
    ),
    (
        "save_with_application: a site as the application",
        lambda s: s.sites.save_with_application(
            _site(), site_version=None, application=_site(), application_version=None
        ),
        "application",
    ),
    (
        "save_with_application: a negative site version",
        lambda s: s.sites.save_with_application(
            _site(), site_version=-1, application=_application(), application_version=None
        ),
        "site_version",
    ),
    (
        "save_with_application: a bool application version",
        lambda s: s.sites.save_with_application(
            _site(), site_version=None, application=_application(), application_version=True
        ),
        "application_version",
    ),
    ("pending: a negative limit", lambda s: s.outbox.pending(limit=-1), "limit"),
    ("pending: a float limit", lambda s: s.outbox.pending(limit=2.0), "limit"),
    ("outbox get: bytes", lambda s: s.outbox.get(b"contract:contract-1:1"), "key"),
    (
        "mark_delivered: a naive instant",
        lambda s: s.outbox.mark_delivered("contract:contract-1:1", at=NAIVE),
        "at",
    ),
    ("role_of: a bad e-mail", lambda s: s.directory.role_of("contract-1", "nobody"), "email"),
    (
        "role_of: a blank contract id",
        lambda s: s.directory.role_of(" ", "a@example.jp"),
        "contract_id",
    ),
    (
        "add_account: a role as text",
        lambda s: s.directory.add_account(
            "contract-1", "a@example.jp", name="山田", role="administrator"
        ),
        "role",
    ),
    (
        "issue_administrator: a dict",
        lambda s: s.directory.issue_administrator("contract-1", {"name": "x"}),
        "contractor",
    ),
]


@pytest.mark.parametrize(
    ("call", "field"), [(c, f) for _, c, f in BAD_CALLS], ids=[label for label, _, _ in BAD_CALLS]
)
def test_sec_2_a_malformed_argument_is_refused_naming_it_and_writes_nothing(
    untouched: SqlStore, call: Callable[[Any], object], field: str
) -> None:
    with pytest.raises(OmakaseError) as raised:  # a ValidationError, a NaiveDatetimeError
        call(untouched)
    assert getattr(raised.value, "field", None) == field
    assert untouched.outbox.records() == []
    assert untouched.directory.accounts("contract-1") == {}
    assert untouched.contracts.due(LATER) == []
    assert untouched.sites.of_customer("customer-1") == []
    assert untouched.applications.of_customer("customer-1") == []


@pytest.mark.parametrize("text", ["a\x00b", "\ud800", "", "x" * 5000])
def test_sec_2_an_id_no_stored_aggregate_can_have_is_simply_not_found(
    untouched: SqlStore, text: str
) -> None:
    """A NUL or a lone surrogate never reaches the database, which would choke on it."""
    with pytest.raises(NotFound):
        untouched.credentials.get(text)
    with pytest.raises(NotFound):
        untouched.outbox.get(text)
    with pytest.raises(NotFound):
        untouched.outbox.mark_delivered(text, at=T0)
    assert untouched.applications.of_customer(text) == []


def test_port_5_a_closed_store_refuses_to_be_used_as_unavailable(store: SqlStore) -> None:
    """Using a closed store is the server's fault, not the caller's input: 503, not 422."""
    store.close()  # type: ignore[attr-defined]  # both shipped stores close
    with pytest.raises(StoreUnavailable) as raised:
        store.contracts.get("contract-1")
    assert raised.value.store == type(store).__name__
    assert "is closed" in str(raised.value)
