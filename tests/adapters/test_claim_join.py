"""PORT-5, CON-10: a claim's own thread joins its transaction; a claimed purge purges.

While a thread holds a claim (``claim_due``), what that thread does through the same store
— the user directory, the outbox, a redaction, a read — runs in the claim's transaction:
on SQLite a second connection would wait for the claim's own write lock (here 0.5 s
instead of 30 s, so a missing join fails fast), and on both databases the joined writes
commit or roll back with the claim. Other threads are not joined. The contract sweep's
CON-10 erasure runs exactly so (the batch redacts, the store's directory removes), and
afterwards no stored byte holds a name or an e-mail. SQLite and PostgreSQL, never skipped.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import attrs
import pytest

from omakase_core.accounts import Role
from omakase_core.adapters import sqlite
from omakase_core.contract import (
    Contractor,
    ContractService,
    ContractStatus,
    DirectoryRole,
    erase_personal_data,
)
from omakase_core.errors import ValidationError
from omakase_core.inquiry import Attachment, InquiryService, attachment_purge_at
from omakase_core.principal import Principal
from omakase_core.testing import (
    FixedClock,
    InMemoryAttachmentStore,
    InMemoryContractedServices,
)
from tests.adapters import workers
from tests.adapters.conftest import stored_bytes
from tests.adapters.test_adapters import LATER, T0, _execute, _terminated

if TYPE_CHECKING:
    import pathlib
    from collections.abc import Iterator

    from omakase_core.adapters._sql import SqlStore
    from omakase_core.events import Event
    from tests.adapters.conftest import Databases

SYSTEM = Principal.system()
NEWCOMER = Contractor(name="新規 花子", email="hanako@example.co.jp")


@pytest.fixture(params=["sqlite", "postgres"])
def target(
    request: pytest.FixtureRequest, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[str, str]:
    """Return a fresh database of each adapter; SQLite's writers wait 0.5 s, not 30 s."""
    monkeypatch.setattr(sqlite, "BUSY_TIMEOUT", 0.5)
    if request.param == "sqlite":
        return "sqlite", str(tmp_path / "join.db")
    databases: Databases = request.getfixturevalue("databases")
    return "postgres", databases.fresh()


@pytest.fixture
def store(target: tuple[str, str]) -> Iterator[SqlStore]:
    opened = workers.open_store(*target)
    for number in (1, 2):
        opened.contracts.add(_terminated(number))
        opened.directory.issue_administrator(f"contract-{number}", _terminated(number).contractor)
    yield opened
    opened.close()  # type: ignore[attr-defined]  # both shipped stores close


# -- PORT-5: the claim's thread joins it ----------------------------------------------------------


def test_port_5_the_claiming_threads_directory_and_outbox_calls_join_the_claim(
    store: SqlStore,
) -> None:
    seen_by_another: list[object] = []
    with store.contracts.claim_due(LATER, limit=1) as batch:
        assert batch.claimed == ("contract-1",)
        store.directory.issue_administrator("contract-9", NEWCOMER)  # would wait 0.5 s, fail
        assert store.directory.remove_accounts("contract-2") == 1
        assert store.outbox.mark_delivered("contract:contract-2:1", at=LATER)
        assert store.directory.role_of("contract-9", NEWCOMER.email) is DirectoryRole.ADMINISTRATOR
        assert store.contracts.get("contract-2").version == 1  # a read joins too
        reader = threading.Thread(
            target=lambda: seen_by_another.append(store.directory.accounts("contract-9"))
        )
        reader.start()
        reader.join(timeout=30)  # another thread reads what is committed, without waiting
    assert seen_by_another == [{}]
    assert store.directory.role_of("contract-9", NEWCOMER.email) is DirectoryRole.ADMINISTRATOR
    assert store.directory.accounts("contract-2") == {}
    assert store.outbox.get("contract:contract-2:1").is_delivered


def test_port_5_what_joined_a_claim_rolls_back_with_it(store: SqlStore) -> None:
    def crash() -> None:
        with store.contracts.claim_due(LATER, limit=1):
            assert store.directory.remove_accounts("contract-2") == 1
            assert store.outbox.mark_delivered("contract:contract-2:1", at=LATER)
            claimed = store.outbox.claim(now=LATER, limit=5, lease=workers.LEASE)
            assert [record.key for record in claimed] == ["contract:contract-1:1"]
            raise RuntimeError("the worker died")  # the point

    with pytest.raises(RuntimeError, match="the worker died"):
        crash()
    assert list(store.directory.accounts("contract-2")) == ["owner2@example.co.jp"]
    assert [(r.key, r.lease) for r in store.outbox.pending()] == [
        ("contract:contract-1:1", None),
        ("contract:contract-2:1", None),
    ]


def test_port_5_a_thread_holding_a_claim_cannot_claim_again(store: SqlStore) -> None:
    with store.contracts.claim_due(LATER, limit=1) as batch:
        for claim in (store.contracts.claim_due, store.id_changes.claim_due):
            with pytest.raises(ValidationError) as raised, claim(LATER):
                pass
            assert raised.value.field == "batch"
        service = ContractService(
            contracts=batch, clock=FixedClock(LATER), directory=store.directory
        )
        assert service.apply_due(LATER, by=SYSTEM).changed == ("contract-1",)  # still usable
    assert store.contracts.get("contract-1").status is ContractStatus.PURGED


def test_port_5_a_thread_holding_a_claim_cannot_add_or_save_through_the_store(
    store: SqlStore,
) -> None:
    """The batch writes what it claimed; the store's repositories wait for the block (PORT-5)."""
    second = store.contracts.get("contract-2")
    with store.contracts.claim_due(LATER, limit=1):
        with pytest.raises(ValidationError) as added:
            store.contracts.add(_terminated(3))
        with pytest.raises(ValidationError) as saved:
            store.contracts.save(second.apply_due(LATER), expected_version=second.version)
    assert (added.value.field, saved.value.field) == ("aggregate", "aggregate")
    assert store.contracts.get("contract-2") == second
    assert [c.id for c in store.contracts.due(LATER)] == ["contract-1", "contract-2"]
    store.contracts.add(_terminated(3))  # after the block, as usual


# -- CON-10: the purge of a claimed sweep ---------------------------------------------------------


def _sweep(store: SqlStore) -> tuple[str, ...]:
    """Run the sweep a portal's worker runs: claim, apply_due over the batch, commit."""
    with store.contracts.claim_due(LATER, limit=10) as batch:
        service = ContractService(
            contracts=batch, clock=FixedClock(LATER), directory=store.directory
        )
        return service.apply_due(LATER, by=SYSTEM).changed


def test_con_10_a_claimed_sweeps_purge_leaves_no_stored_byte_of_a_name_or_an_e_mail(
    target: tuple[str, str], store: SqlStore
) -> None:
    secrets = [b"owner1@example.co.jp", b"owner2@example.co.jp", "山田 太郎".encode()]
    assert all(secret in stored_bytes(*target) for secret in secrets)
    assert _sweep(store) == ("contract-1", "contract-2")
    for number in (1, 2):
        purged = store.contracts.get(f"contract-{number}")
        assert purged.status is ContractStatus.PURGED
        assert purged.contractor.is_erased
        assert store.directory.accounts(purged.id) == {}
    raw = stored_bytes(*target)
    assert [secret for secret in secrets if secret in raw] == []
    assert b"contract:contract-1:1" in raw  # the records stay, their keys and instants too


def test_con_10_a_claimed_purge_that_fails_erases_nothing(
    target: tuple[str, str], store: SqlStore
) -> None:
    before = (store.outbox.records(), store.directory.accounts("contract-1"))

    def crash() -> None:
        with store.contracts.claim_due(LATER, limit=10) as batch:
            service = ContractService(
                contracts=batch, clock=FixedClock(LATER), directory=store.directory
            )
            assert len(service.apply_due(LATER, by=SYSTEM).changed) == 2
            raise RuntimeError("the worker died")  # the point

    with pytest.raises(RuntimeError, match="the worker died"):
        crash()
    assert (store.outbox.records(), store.directory.accounts("contract-1")) == before
    assert b"owner1@example.co.jp" in stored_bytes(*target)
    assert _sweep(store) == ("contract-1", "contract-2")  # the next sweep does it all


# -- CON-10: redact_events -------------------------------------------------------------------------


def test_con_10_a_claimed_batch_redacts_only_what_it_claimed(store: SqlStore) -> None:
    with store.contracts.claim_due(LATER, limit=1) as batch:
        with pytest.raises(ValidationError) as raised:
            batch.redact_events("contract-2", using=erase_personal_data)
        assert raised.value.field == "aggregate_id"
        assert batch.redact_events("contract-1", using=erase_personal_data) == 1
    assert store.outbox.get("contract:contract-2:1").event == _terminated(2).pending_events[0]
    assert store.contracts.redact_events("contract-1", using=erase_personal_data) == 0


def test_con_10_a_replacement_with_another_key_is_refused_and_nothing_is_redacted(
    store: SqlStore,
) -> None:
    store.contracts.save(
        store.contracts.get("contract-1").apply_due(T0 + timedelta(days=20)), expected_version=1
    )
    before = store.outbox.records()

    def shifted(event: Event) -> Event:
        erased = erase_personal_data(event)
        return erased if event.version == 1 else attrs.evolve(erased, version=99)

    with pytest.raises(ValidationError) as raised:
        store.contracts.redact_events("contract-1", using=shifted)
    assert raised.value.field == "using"
    assert store.outbox.records() == before  # not even the first record


def test_con_10_redact_events_reads_only_its_own_kinds_events(store: SqlStore) -> None:
    """An id change application may have the id of a contract: its events are not touched."""
    seen: list[str] = []

    def spy(event: Event) -> Event:
        seen.append(event.idempotency_key)
        return event

    _execute(
        store,
        "UPDATE omakase_outbox SET aggregate_type = ? WHERE key = ?",
        "id_change",
        "contract:contract-2:1",
    )
    assert store.contracts.redact_events("contract-2", using=spy) == 0
    assert store.contracts.redact_events("contract-1", using=spy) == 0
    assert seen == ["contract:contract-1:1"]


def test_con_10_an_undecodable_event_is_reported_and_the_others_are_redacted(
    store: SqlStore, caplog: pytest.LogCaptureFixture
) -> None:
    store.contracts.save(
        store.contracts.get("contract-1").apply_due(T0 + timedelta(days=20)), expected_version=1
    )
    broken = '{"type": "contract.NoSuchEvent", "schema": 1, "data": {"email": "x"}}'
    _execute(
        store,
        "UPDATE omakase_outbox SET event = {json} WHERE key = ?",
        broken,
        "contract:contract-1:2",
    )
    with caplog.at_level(logging.ERROR, logger="omakase_core.adapters"):
        assert store.contracts.redact_events("contract-1", using=erase_personal_data) == 1
    assert "contract:contract-1:2" in caplog.text
    assert "not redacted" in caplog.text
    record: Any = store.outbox.get("contract:contract-1:1")
    assert record.event.contractor.is_erased


# -- INQ-2: the attachments' sweep over a claimed batch -------------------------------------------


def _resolved_with_files(store: SqlStore, files: InMemoryAttachmentStore) -> None:
    """Store two inquiries resolved at T0 and T0 + 1 h, each with one attached file."""
    user = Principal.customer("tenant-1", user_id="sato@example.co.jp", role=Role.USER)
    for number in (1, 2):
        clock = FixedClock(T0 + timedelta(hours=number - 1))
        service = InquiryService(
            inquiries=store.inquiries,
            clock=clock,
            attachments=files,
            services=InMemoryContractedServices({"tenant-1": ("KDDI IP-VPN",)}),
        )
        files.store(f"att-{number}")
        service.open(
            f"inq-{number}",
            by=user,
            subject="VPN につながらない",
            body="朝から接続できません",
            contact_email="sato@example.co.jp",
            service="KDDI IP-VPN",
            attachments=(
                Attachment(attachment_id=f"att-{number}", filename="log.txt", size_bytes=9),
            ),
        )
        service.resolve(f"inq-{number}", by=user)


def test_inq_2_the_attachment_sweep_runs_over_a_claimed_batch_at_the_purge_instant(
    store: SqlStore,
) -> None:
    files = InMemoryAttachmentStore()
    _resolved_with_files(store, files)
    first = attachment_purge_at(T0)
    assert store.inquiries.due(first - timedelta(microseconds=1)) == []
    with store.inquiries.claim_due(first + timedelta(hours=1), limit=1) as batch:
        assert batch.claimed == ("inq-1",)  # the earliest purge first
        sweeper = InquiryService(inquiries=batch, clock=FixedClock(first), attachments=files)
        assert sweeper.apply_due(first, by=SYSTEM).purged == ("inq-1",)
    assert "att-1" not in files
    assert "att-2" in files
    assert [i.id for i in store.inquiries.due(first + timedelta(hours=1))] == ["inq-2"]
    assert store.inquiries.get("inq-1").next_due_at is None
