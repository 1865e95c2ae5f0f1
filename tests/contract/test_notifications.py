"""CON-6 and CON-7 notifications, and PORT-3's at-least-once delivery."""

from __future__ import annotations

from datetime import timedelta

import pytest

from omakase_core import NotFound
from omakase_core.contract import DirectoryRole
from omakase_core.contract.notices import (
    SUBJECT_ADMIN_ACCOUNT_ISSUED,
    SUBJECT_CONTRACTOR_CHANGE,
    SUBJECT_CONTRACTOR_CHANGE_COMPLETED,
    SUBJECT_REINSTATEMENT_ACCEPTED,
    SUBJECT_TERMINATION_ACCEPTED,
)
from omakase_core.delivery import RetryPolicy, deliver_pending
from omakase_core.events import Event
from omakase_core.messages import Message, render
from omakase_core.testing import NotifierError
from tests.contract.conftest import CONTRACTOR, HEIR, OWNER, SETTINGS, SYSTEM, T0, World


def deliver(world: World) -> list[Message]:
    deliver_pending(world.outbox, world.notifier, clock=world.clock, settings=SETTINGS)
    return world.notifier.messages


def test_con_6_termination_sends_the_acceptance_notice_with_the_last_reinstatement_day(
    world: World,
) -> None:
    world.service.request_termination("c-1", by=CONTRACTOR)
    (message,) = deliver(world)
    assert message.subject == "【おまかせログイン】サービス利用停止受理通知"
    assert message.subject == SUBJECT_TERMINATION_ACCEPTED
    assert message.to == OWNER.email
    assert "2026年11月15日(日) 24:00 まで" in message.body
    assert "2026年12月16日(水) 24:00 に登録情報を抹消" in message.body
    assert message.body.startswith("山田 太郎 様")
    assert message.key == "contract:c-1:1/contractor"
    assert message.event_key == "contract:c-1:1"


def test_con_6_reinstatement_sends_its_acceptance_notice(world: World) -> None:
    world.service.request_termination("c-1", by=CONTRACTOR)
    world.clock.advance(days=2)
    world.service.reinstate("c-1", by=CONTRACTOR)
    messages = deliver(world)
    assert [m.subject for m in messages] == [
        SUBJECT_TERMINATION_ACCEPTED,
        "【おまかせログイン】サービス利用再開受理通知",
    ]
    assert messages[1].subject == SUBJECT_REINSTATEMENT_ACCEPTED
    assert "2026年11月3日(火) 10:00" in messages[1].body


def test_con_1_the_termination_notice_calls_the_request_riyou_teishi_and_the_end_riyou_shuuryou(
    world: World,
) -> None:
    """CON-1 (amended), CON-6: the request keeps its mail's word, the state after it its own."""
    world.service.request_termination("c-1", by=CONTRACTOR)
    (message,) = deliver(world)
    assert "サービス利用停止のお申し込みを 2026年11月1日(日) 10:00 に受け付けました" in message.body
    assert "ご契約は契約終了となりました" in message.body
    assert "この期限を過ぎると利用終了となり" in message.body
    assert "利用終了のお申し込み" not in message.body


def test_con_1_the_reinstatement_notice_names_the_cancelled_riyou_shuuryou(world: World) -> None:
    """CON-1 (amended), CON-6: what a reinstatement cancels is the state 利用終了."""
    world.service.request_termination("c-1", by=CONTRACTOR)
    world.clock.advance(days=2)
    world.service.reinstate("c-1", by=CONTRACTOR)
    reinstated = deliver(world)[1]
    assert "予定されていた利用終了と登録情報の抹消は取り消されました" in reinstated.body
    assert "利用停止" not in reinstated.body


def test_con_5_the_sweep_sends_no_message(world: World) -> None:
    world.service.request_termination("c-1", by=CONTRACTOR)
    first = deliver_pending(world.outbox, world.notifier, clock=world.clock, settings=SETTINGS)
    world.service.apply_due(T0 + timedelta(days=60), by=SYSTEM)
    report = deliver_pending(world.outbox, world.notifier, clock=world.clock, settings=SETTINGS)
    assert len(first.delivered) + len(report.delivered) == 3
    assert report.messages_sent == 0
    assert [m.subject for m in world.notifier.messages] == [SUBJECT_TERMINATION_ACCEPTED]
    assert world.outbox.pending() == []


def test_con_10_a_notice_still_pending_at_the_purge_is_delivered_to_nobody(world: World) -> None:
    world.service.request_termination("c-1", by=CONTRACTOR)
    world.service.apply_due(T0 + timedelta(days=60), by=SYSTEM)
    report = deliver_pending(world.outbox, world.notifier, clock=world.clock, settings=SETTINGS)
    assert len(report.delivered) == 3
    assert report.messages_sent == 0
    assert world.notifier.messages == []
    assert world.outbox.pending() == []


def test_con_7_the_new_contractor_gets_the_change_notice_with_the_login_url(world: World) -> None:
    world.service.request_contractor_change("c-1", by=CONTRACTOR, name=HEIR.name, email=HEIR.email)
    (message,) = deliver(world)
    assert message.subject == "【おまかせログイン】契約者変更通知"
    assert message.subject == SUBJECT_CONTRACTOR_CHANGE
    assert message.to == HEIR.email
    assert SETTINGS.contractor_login_url in message.body


def test_con_7_completion_notifies_both_the_old_and_the_new_contractor(world: World) -> None:
    world.directory.add_account("c-1", HEIR.email, name=HEIR.name, role=DirectoryRole.USER)
    world.service.request_contractor_change("c-1", by=CONTRACTOR, name=HEIR.name, email=HEIR.email)
    world.service.record_first_login("c-1", by=CONTRACTOR, login_email=HEIR.email)
    completed = deliver(world)[1:]
    assert [(m.subject, m.to) for m in completed] == [
        ("【おまかせログイン】契約者変更完了通知", OWNER.email),
        (SUBJECT_CONTRACTOR_CHANGE_COMPLETED, HEIR.email),
    ]
    assert len({m.key for m in completed}) == 2
    assert {m.event_key for m in completed} == {"contract:c-1:2"}


def test_con_8_an_issued_administrator_account_gets_a_first_login_notice(world: World) -> None:
    world.service.request_contractor_change("c-1", by=CONTRACTOR, name=HEIR.name, email=HEIR.email)
    world.service.record_first_login("c-1", by=CONTRACTOR, login_email=HEIR.email)
    last = deliver(world)[-1]
    assert last.subject == SUBJECT_ADMIN_ACCOUNT_ISSUED
    assert last.to == HEIR.email
    assert SETTINGS.first_login_url in last.body


def test_port_3_a_failed_send_is_retried_and_a_deduplicating_receiver_sees_it_once(
    world: World,
) -> None:
    world.service.request_contractor_change("c-1", by=CONTRACTOR, name=HEIR.name, email=HEIR.email)
    world.service.record_first_login("c-1", by=CONTRACTOR, login_email=HEIR.email)
    world.notifier.fail_key("contract:c-1:2/new_contractor")
    first = deliver_pending(world.outbox, world.notifier, clock=world.clock, settings=SETTINGS)
    assert first.delivered == ("contract:c-1:1",)
    assert first.failed[0][0] == "contract:c-1:2"
    assert "NotifierError" in first.failed[0][1]
    world.notifier.heal()
    early = deliver_pending(world.outbox, world.notifier, clock=world.clock, settings=SETTINGS)
    assert early.delivered == ()  # PORT-6: it waits its backoff first
    world.clock.advance(RetryPolicy().base)
    second = deliver_pending(world.outbox, world.notifier, clock=world.clock, settings=SETTINGS)
    assert second.delivered == ("contract:c-1:2",)
    keys = world.notifier.keys()
    assert keys.count("contract:c-1:2/previous_contractor") == 2  # at least once
    assert set(keys) == {
        "contract:c-1:1/new_contractor",
        "contract:c-1:2/previous_contractor",
        "contract:c-1:2/new_contractor",
        "contract:c-1:2/admin_account",
    }
    assert world.outbox.pending() == []


def test_port_3_a_notifier_that_fails_everything_loses_nothing(world: World) -> None:
    world.service.request_termination("c-1", by=CONTRACTOR)
    world.notifier.fail_next(10)
    for _ in range(3):
        report = deliver_pending(world.outbox, world.notifier, clock=world.clock, settings=SETTINGS)
        assert report.delivered == ()
        world.clock.advance(hours=1)
    assert [r.key for r in world.outbox.pending()] == ["contract:c-1:1"]
    with pytest.raises(NotifierError):
        world.notifier.send(render(world.outbox.pending()[0].event, SETTINGS)[0])


def test_an_event_type_without_a_renderer_is_refused() -> None:
    class Unheard(Event):
        pass

    with pytest.raises(NotFound, match="Unheard"):
        render(Unheard(aggregate_id="x", version=1, occurred_at=T0), SETTINGS)
