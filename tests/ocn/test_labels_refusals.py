"""Issue 15 §3: an OCN refusal reads as Japanese (OCN-2, OCN-3, OCN-4, SEC-1).

Seen in a trial: 「OCNの廃止が「ACCEPTED」…操作「register_mail_change」」 and
「COMPLETED」/``complete_cancellation``. Each refusal below names the status and the action by
the portal's words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from omakase_core import InvalidTransition, OmakaseError
from omakase_core.ocn import AccountAction, MailChangePattern, MailChangeRequest
from omakase_core.ocn.model import CancellationStatus, MailChangeStatus
from tests.japanese import missing_words, raw_names_in, refusal_of
from tests.ocn.conftest import ADD_HANAKO, CANCELLATION, CUSTOMER, SEED, STAFF, Desk

if TYPE_CHECKING:
    from collections.abc import Callable

STATUS_NAMES = frozenset(
    status.name for statuses in (MailChangeStatus, CancellationStatus) for status in statuses
)
DELETE_K04 = MailChangeRequest(
    pattern=MailChangePattern.ACCOUNT_ONLY, action=AccountAction.DELETE, account="k04xm40u"
)
"""Delete the seed line's second account: a change without a desired name."""


def _nothing(desk: Desk) -> None:
    """Leave the desk as it was made: ocn-1 has no mail change and no cancellation."""


def _applied(desk: Desk) -> None:
    desk.apply("ocn-1", ADD_HANAKO)


def _cancelled(desk: Desk) -> None:
    desk.service.submit_cancellation("ocn-1", CANCELLATION, by=CUSTOMER)


def _applied_then_cancelled(desk: Desk) -> None:
    _applied(desk)
    _cancelled(desk)


def _registered(desk: Desk) -> None:
    _applied(desk)
    desk.service.register_mail_change("ocn-1", by=STAFF, host="arrow.ocn.ne.jp")


def _closed(desk: Desk) -> None:
    _cancelled(desk)
    desk.service.complete_cancellation("ocn-1", by=STAFF)


REFUSALS: dict[str, tuple[Callable[[Desk], object], Callable[[Desk], object], tuple[str, ...]]] = {
    "ocn_4_register_after_the_cancellation_was_accepted": (
        _applied_then_cancelled,
        lambda d: d.service.register_mail_change("ocn-1", by=STAFF, host="arrow.ocn.ne.jp"),
        ("OCNの廃止", "「廃止受付完了」", "「メール変更の登録」", "廃止を申し込んだ後は"),
    ),
    "ocn_4_apply_after_the_cancellation_was_accepted": (
        _cancelled,
        lambda d: d.apply("ocn-1", ADD_HANAKO),
        ("OCNの廃止", "「廃止受付完了」", "「メール変更の申込」"),
    ),
    "ocn_4_complete_twice": (
        _closed,
        lambda d: d.service.complete_cancellation("ocn-1", by=STAFF),
        ("OCNの廃止", "「廃止完了」", "「廃止の完了」", "廃止が完了した回線"),
    ),
    "ocn_4_cancel_a_mail_change_on_a_closed_line": (
        _closed,
        lambda d: d.service.cancel_mail_change("ocn-1", by=CUSTOMER),
        ("「廃止完了」", "「メール変更の取消」"),
    ),
    "ocn_4_complete_without_a_cancellation": (
        _nothing,
        lambda d: d.service.complete_cancellation("ocn-1", by=STAFF),
        ("OCNの廃止", "「未申込」", "「完了」"),
    ),
    "ocn_3_register_without_a_mail_change": (
        _nothing,
        lambda d: d.service.register_mail_change("ocn-1", by=STAFF, host="arrow.ocn.ne.jp"),
        ("OCNメールの変更", "「未申込」", "「登録」"),
    ),
    "ocn_3_cancel_a_registered_mail_change": (
        _registered,
        lambda d: d.service.cancel_mail_change("ocn-1", by=CUSTOMER),
        ("OCNメールの変更", "「登録完了」", "「取消」"),
    ),
    "ocn_2_report_unavailable_for_a_deletion": (
        lambda d: d.apply(SEED, DELETE_K04),
        lambda d: d.service.report_name_unavailable(SEED, by=STAFF),
        ("OCNメールの変更", "「申込中」", "「対応不可の報告」", "追加と変更の申込だけ"),
    ),
    "ocn_2_the_operator_may_not_apply": (
        _nothing,
        lambda d: d.apply("ocn-1", ADD_HANAKO, by=STAFF),
        ("オペレーター", "「メール変更の申込」"),
    ),
    "ocn_4_the_operator_may_not_submit_a_cancellation": (
        _nothing,
        lambda d: d.service.submit_cancellation("ocn-1", CANCELLATION, by=STAFF),
        ("オペレーター", "「廃止の申込」"),
    ),
    "sec_1_a_customer_may_not_register_a_customer": (
        _nothing,
        lambda d: d.service.create_customer("ocn-9", by=CUSTOMER, accounts=("nine",)),
        ("お客さま", "「お客さまの登録」"),
    ),
}


def _refusal(desk: Desk, name: str) -> OmakaseError:
    arrange, command, _ = REFUSALS[name]
    return refusal_of(desk, arrange, command)


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_issue_15_an_ocn_refusal_names_no_identifier_and_no_status_name(
    desk: Desk, name: str
) -> None:
    assert raw_names_in(_refusal(desk, name).explain("ja"), STATUS_NAMES) == []


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_issue_15_an_ocn_refusal_uses_the_portal_s_words(desk: Desk, name: str) -> None:
    assert missing_words(_refusal(desk, name).explain("ja"), REFUSALS[name][2]) == []


def test_ocn_4_registering_after_the_cancellation_names_its_status_label(desk: Desk) -> None:
    error = _refusal(desk, "ocn_4_register_after_the_cancellation_was_accepted")
    assert isinstance(error, InvalidTransition)
    assert (error.state, error.state_label) == ("ACCEPTED", "廃止受付完了")
