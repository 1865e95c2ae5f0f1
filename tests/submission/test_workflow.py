"""The rest of the Connecure workflow: SUB-2, SUB-3(c), SUB-10, SUB-14 … SUB-17 (issue 12, part 2).

Each test is a finding of the issue: it failed on the main branch before the fix.
"""

from __future__ import annotations

import inspect
import json
import math
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import attrs
import pytest

from omakase_core import Actor, InvalidTransition, PermissionDenied, ValidationError, submission
from omakase_core.codec import decode, encode
from omakase_core.delivery import deliver_pending
from omakase_core.messages import NotificationSettings
from omakase_core.submission import (
    ASP,
    ChangeApplication,
    ChangeMenu,
    ConstructionSchedule,
    DocumentKind,
    FaultContacts,
    Menu,
    NewInstallation,
    Preference,
    ScheduleError,
    SiteName,
    Slot,
    SubmissionStatus,
    validate_floor,
)
from omakase_core.submission.model import ApplicationClosed
from omakase_core.submission.rules import check_details
from omakase_core.testing import RecordingNotifier
from tests.submission.conftest import CONTACT, SITE, T0, Portal
from tests.submission.conftest import CUSTOMER as C
from tests.submission.conftest import OPERATOR as OP

if TYPE_CHECKING:
    from collections.abc import Callable

    from omakase_core import Principal

K = DocumentKind
S = SubmissionStatus
BILLING = {
    "payment_method": "銀行振込",
    "company_name": "株式会社豊洲",
    "contact_name": "豊洲太郎",
    "email": "billing@example.co.jp",
}
"""The details a billing change needs (SUB-3(g)): how it is paid and where the bill goes."""


def schedule() -> ConstructionSchedule:
    """Return the earliest weekday-daytime schedule of an application made on 2025-04-02."""

    def prefs(*days: date) -> tuple[Preference, ...]:
        return tuple(Preference(day=d, slot=Slot.PM) for d in days)

    return ConstructionSchedule(
        weekday_daytime=True,
        site_survey=prefs(date(2025, 5, 12), date(2025, 5, 13), date(2025, 5, 14)),
        line_work=prefs(date(2025, 6, 23), date(2025, 6, 24), date(2025, 6, 25)),
        converter=prefs(date(2025, 6, 30), date(2025, 7, 1), date(2025, 7, 2)),
        router=prefs(date(2025, 7, 7), date(2025, 7, 8), date(2025, 7, 9)),
    )


# -- SUB-10: "today" is the command's JST date ----------------------------------------------------


def _parameters() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for name in submission.__all__:
        value: Any = getattr(submission, name)
        members = [value]
        if inspect.isclass(value):
            members += [m for n, m in vars(value).items() if not n.startswith("_")]
        for item in members:
            target = getattr(item, "__func__", item)
            if callable(target):
                try:
                    found[f"{name}.{getattr(target, '__name__', '')}"] = set(
                        inspect.signature(target).parameters
                    )
                except (TypeError, ValueError):  # a builtin without a signature
                    continue
    return found


def test_sub_10_no_public_callable_takes_a_caller_supplied_request_day() -> None:
    taking = sorted(
        name
        for name, parameters in _parameters().items()
        if parameters & {"requested_on", "today_override", "request_day"}
    )
    assert taking == []


def test_sub_10_the_survey_bound_counts_from_the_commands_jst_date(portal: Portal) -> None:
    portal.new_installation()
    # 16:00 UTC on 2 April is already 3 April in Tokyo: the earliest survey is 13 May.
    portal.clock.set(datetime(2025, 4, 2, 16, 0, tzinfo=UTC))
    before = portal.snapshot()
    with pytest.raises(ScheduleError) as raised:
        portal.service.set_schedule("app-1", schedule(), by=C)
    assert (raised.value.field, raised.value.rule) == ("site_survey", "SUB-10")
    (violation,) = raised.value.violations
    assert (violation.preference, violation.earliest) == (1, date(2025, 5, 13))
    assert portal.snapshot() == before


def test_sub_10_a_schedule_set_on_the_request_day_at_its_bound_is_accepted(
    portal: Portal,
) -> None:
    portal.new_installation()
    application: Any = portal.service.set_schedule("app-1", schedule(), by=C)
    assert application.schedule == schedule()


def test_sub_10_an_application_stored_with_a_request_day_still_decodes(portal: Portal) -> None:
    portal.new_installation()
    application = portal.service.set_schedule("app-1", schedule(), by=C).saved()
    stored = json.loads(encode(application))
    # what release 0.x wrote: schema 1, the schedule with its caller-supplied request day
    stored["schema"] = 1
    stored["data"]["schedule"]["requested_on"] = "2025-04-02"
    assert decode(json.dumps(stored), expected=NewInstallation) == application


# -- SUB-14: control and formatting characters, in every text field ------------------------------

INVISIBLE = {
    "line separator": "\u2028",
    "right-to-left override": "\u202e",
    "zero-width space": "\u200b",
    "byte-order mark": "\ufeff",
    "bell": "\x07",
}


def _sheet_published(portal: Portal) -> None:
    portal.new_installation()
    portal.service.send("app-1", K.LAN_PARAMETERS, "publish_sheet", by=OP)


TEXT_COMMANDS: dict[str, tuple[str, Callable[[Portal, str], object]]] = {
    "file name": (
        "file_name",
        lambda p, x: p.service.upload("app-1", K.LAN_PARAMETERS, f"sheet{x}xlsx.exe", by=C),
    ),
    "detail": (
        "note",
        lambda p, x: p.service.fill_in("app-1", K.INSTALLATION_SUPPLIES, {"note": f"a{x}b"}, by=C),
    ),
    "contact": (
        "company",
        lambda p, x: p.service.set_fault_contacts(
            "app-1",
            K.FAULT_CONTACTS,
            FaultContacts(first=attrs.evolve(CONTACT, company=f"a{x}b")),
            by=C,
        ),
    ),
    "reporting hours": (
        "reporting_hours",
        lambda p, x: p.service.set_fault_contacts(
            "app-1", K.FAULT_CONTACTS, FaultContacts(first=CONTACT, reporting_hours=f"24{x}h"), by=C
        ),
    ),
}


@pytest.mark.parametrize("character", INVISIBLE.values(), ids=INVISIBLE.keys())
@pytest.mark.parametrize("command", TEXT_COMMANDS, ids=TEXT_COMMANDS.keys())
def test_sub_14_control_and_formatting_characters_are_refused_in_every_text_field(
    portal: Portal, command: str, character: str
) -> None:
    _sheet_published(portal)
    field, run = TEXT_COMMANDS[command]
    before = portal.snapshot()
    with pytest.raises(ValidationError) as raised:
        run(portal, character)
    assert raised.value.field == field
    assert character not in str(raised.value)
    assert portal.snapshot() == before


@pytest.mark.parametrize("character", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_sub_14_control_and_formatting_characters_are_refused_in_site_names_and_comments(
    portal: Portal, character: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        SiteName(company_abbrev=f"NTT{character}データ", location="豊洲")
    assert raised.value.field == "company_abbrev"
    _sheet_published(portal)
    portal.service.upload("app-1", K.LAN_PARAMETERS, "sheet.xlsx", by=C)
    portal.service.send("app-1", K.LAN_PARAMETERS, "submit", by=C)
    portal.service.send("app-1", K.LAN_PARAMETERS, "start_review", by=OP)
    before = portal.snapshot()
    with pytest.raises(ValidationError) as raised:
        portal.service.send(
            "app-1", K.LAN_PARAMETERS, "send_back", by=OP, comment=f"見直し{character}てください"
        )
    assert raised.value.field == "comment"
    assert portal.snapshot() == before


@pytest.mark.parametrize(
    ("details", "field"),
    [
        ({"postal_code": "１３５-００６１"}, "postal_code"),
        ({"postal_code": "١٣٥٠٠٦١"}, "postal_code"),
        ({"floor": "١"}, "floor"),
        ({"floor": "１０"}, "floor"),
    ],
)
def test_sub_14_only_half_width_ascii_digits_are_digits(
    portal: Portal, details: dict[str, str], field: str
) -> None:
    portal.new_installation()
    with pytest.raises(ValidationError) as raised:
        portal.service.fill_in("app-1", K.INSTALLATION_SUPPLIES, details, by=C)
    assert (raised.value.field, raised.value.rule) == (field, "SUB-14")


@pytest.mark.parametrize("bandwidth", [math.nan, math.inf, -math.inf])
def test_sub_14_and_sub_9_a_bandwidth_must_be_a_finite_number(
    portal: Portal, bandwidth: float
) -> None:
    with pytest.raises(ValidationError) as raised:
        portal.new_installation(bandwidth_mbps=bandwidth)
    assert raised.value.field == "bandwidth_mbps"
    assert portal.applications.of_customer("cust-1") == []


# -- SUB-3(c): a sheet named as the seed instructs is not prefixed twice --------------------------


@pytest.mark.parametrize(
    "name",
    [
        "20250402_NTTデータ(豊洲)パラメータシート.xlsx",  # renamed on the upload day
        "20250401_NTTデータ(豊洲)パラメータシート.xlsx",  # renamed the day before (更新日)
    ],
)
def test_sub_3c_a_sheet_already_named_with_the_prefix_is_not_prefixed_again(
    portal: Portal, name: str
) -> None:
    _sheet_published(portal)
    application = portal.service.upload("app-1", K.LAN_PARAMETERS, name, by=C)
    current = application.document(K.LAN_PARAMETERS).current_file
    assert current is not None
    assert current.name == name


@pytest.mark.parametrize(
    "name",
    [
        "20250402_NTTデータ(品川)パラメータシート.xlsx",  # another site's prefix
        "20251340_NTTデータ(豊洲)パラメータシート.xlsx",  # no date: month 13
        "2025040_NTTデータ(豊洲)パラメータシート.xlsx",  # seven digits
        "２０２５０４０２_NTTデータ(豊洲)シート.xlsx",  # full-width digits are no date (SUB-14)
    ],
)
def test_sub_3c_a_name_that_only_looks_prefixed_gets_the_prefix(portal: Portal, name: str) -> None:
    _sheet_published(portal)
    application = portal.service.upload("app-1", K.LAN_PARAMETERS, name, by=C)
    current = application.document(K.LAN_PARAMETERS).current_file
    assert current is not None
    assert current.name == f"20250402_NTTデータ(豊洲){name}"


# -- SUB-2: the operator comments on any of its moves, kept in order ------------------------------


def _under_review(portal: Portal) -> None:
    portal.new_installation()
    portal.service.upload("app-1", K.APPLICATION_FORM, "申込書.pdf", by=C)
    portal.service.send("app-1", K.APPLICATION_FORM, "submit", by=C)


def test_sub_2_the_operator_may_comment_on_any_move_and_comments_are_kept_in_order(
    portal: Portal,
) -> None:
    _under_review(portal)
    portal.service.send("app-1", K.APPLICATION_FORM, "start_review", by=OP, comment="確認します")
    portal.clock.advance(hours=1)
    portal.service.send("app-1", K.APPLICATION_FORM, "send_back", by=OP, comment="社印が必要です")
    portal.service.send("app-1", K.APPLICATION_FORM, "submit", by=C)
    portal.clock.advance(hours=1)
    portal.service.send("app-1", K.APPLICATION_FORM, "start_review", by=OP)  # no comment
    portal.service.send("app-1", K.APPLICATION_FORM, "receive", by=OP, comment="受領しました")
    document = portal.service.get("app-1", by=C).document(K.APPLICATION_FORM)
    assert [(c.text, c.author, c.event) for c in document.comments] == [
        ("確認します", Actor.OPERATOR, "start_review"),
        ("社印が必要です", Actor.OPERATOR, "send_back"),
        ("受領しました", Actor.OPERATOR, "receive"),
    ]
    hour = timedelta(hours=1)
    assert [c.at for c in document.comments] == [T0, T0 + hour, T0 + 2 * hour]
    assert document.comment == "受領しました"  # the latest


def test_sub_2_comments_survive_storage(portal: Portal) -> None:
    _under_review(portal)
    application = portal.service.send(
        "app-1", K.APPLICATION_FORM, "start_review", by=OP, comment="確認します"
    ).saved()
    assert decode(encode(application), expected=NewInstallation) == application


def test_sub_2_the_customer_does_not_comment_on_its_moves(portal: Portal) -> None:
    portal.new_installation()
    portal.service.upload("app-1", K.APPLICATION_FORM, "申込書.pdf", by=C)
    before = portal.snapshot()
    with pytest.raises(ValidationError) as raised:
        portal.service.send("app-1", K.APPLICATION_FORM, "submit", by=C, comment="よろしく")
    assert (raised.value.field, raised.value.rule) == ("comment", "SUB-2")
    assert portal.snapshot() == before


# -- SUB-15: completion is final ------------------------------------------------------------------


def _accept_application_form(portal: Portal) -> None:
    portal.new_installation()
    portal.service.set_schedule("app-1", schedule(), by=C)
    portal.service.upload("app-1", K.APPLICATION_FORM, "申込書.pdf", by=C)
    for event, by in (("submit", C), ("start_review", OP), ("receive", OP)):
        portal.service.send("app-1", K.APPLICATION_FORM, event, by=by)
    portal.clock.set(datetime(2025, 7, 10, 10, 0, tzinfo=UTC))
    portal.service.record_construction_completed("app-1", date(2025, 7, 9), by=OP)
    portal.service.send("app-1", K.APPLICATION_FORM, "accept", by=OP)


def _complete(portal: Portal) -> None:
    _accept_application_form(portal)
    portal.service.send("app-1", K.LAN_PARAMETERS, "publish_sheet", by=OP)
    portal.service.upload("app-1", K.LAN_PARAMETERS, "sheet.xlsx", by=C)
    for event, by in (("submit", C), ("start_review", OP), ("accept", OP)):
        portal.service.send("app-1", K.LAN_PARAMETERS, event, by=by)
    for event, by in (("submit", C), ("accept", OP)):
        portal.service.send("app-1", K.INSTALLATION_SUPPLIES, event, by=by)
    portal.service.set_fault_contacts("app-1", K.FAULT_CONTACTS, FaultContacts(first=CONTACT), by=C)
    for event, by in (("submit", C), ("start_review", OP), ("accept", OP)):
        portal.service.send("app-1", K.FAULT_CONTACTS, event, by=by)


def test_sub_15_after_the_form_is_accepted_the_schedule_and_construction_are_frozen(
    portal: Portal,
) -> None:
    _accept_application_form(portal)
    before = portal.snapshot()
    with pytest.raises(InvalidTransition) as raised:
        portal.service.set_schedule("app-1", schedule(), by=C)
    assert raised.value.rule == "SUB-15"
    with pytest.raises(InvalidTransition) as raised:
        portal.service.record_construction_completed("app-1", date(2025, 7, 10), by=OP)
    assert raised.value.rule == "SUB-15"
    assert portal.snapshot() == before
    # the other documents go on, and the acceptance letter is there
    portal.service.send("app-1", K.INSTALLATION_SUPPLIES, "submit", by=C)
    letter = portal.service.get("app-1", by=C).document(K.APPLICATION_FORM)
    assert letter.acceptance_letter_available


COMMANDS_ON_A_COMPLETE_APPLICATION: dict[str, Callable[[Portal], object]] = {
    "send": lambda p: p.service.send("app-1", K.FAULT_CONTACTS, "submit", by=C),
    "send (operator)": lambda p: p.service.send(
        "app-1", K.APPLICATION_FORM, "accept", by=OP, comment="x"
    ),
    "upload": lambda p: p.service.upload("app-1", K.APPLICATION_FORM, "x.pdf", by=C),
    "fill_in": lambda p: p.service.fill_in("app-1", K.INSTALLATION_SUPPLIES, {"note": "x"}, by=C),
    "set_fault_contacts": lambda p: p.service.set_fault_contacts(
        "app-1", K.FAULT_CONTACTS, FaultContacts(first=CONTACT), by=C
    ),
    "set_deadline": lambda p: p.service.set_deadline(
        "app-1", K.FAULT_CONTACTS, date(2025, 8, 1), by=OP
    ),
    "set_schedule": lambda p: p.service.set_schedule("app-1", schedule(), by=C),
    "request_billing_correction": lambda p: p.service.request_billing_correction("app-1", by=C),
    "record_construction_completed": lambda p: p.service.record_construction_completed(
        "app-1", date(2025, 7, 9), by=OP
    ),
}


@pytest.mark.parametrize("command", COMMANDS_ON_A_COMPLETE_APPLICATION)
def test_sub_15_a_complete_application_refuses_every_command(portal: Portal, command: str) -> None:
    _complete(portal)
    application = portal.service.get("app-1", by=C)
    assert application.complete
    before = portal.snapshot()
    with pytest.raises((InvalidTransition, ValidationError)) as raised:
        COMMANDS_ON_A_COMPLETE_APPLICATION[command](portal)
    assert getattr(raised.value, "rule", None) == "SUB-15"
    assert "SUB-15" in str(raised.value)
    assert portal.snapshot() == before
    assert application.document(K.APPLICATION_FORM).acceptance_letter_available


# -- SUB-16: closing (取消) ----------------------------------------------------------------------


def test_sub_16_the_customer_closes_an_application_and_every_later_command_is_refused(
    portal: Portal,
) -> None:
    portal.new_installation()
    portal.service.send("app-1", K.INSTALLATION_SUPPLIES, "submit", by=C)
    closed = portal.service.close("app-1", by=C, expected_version=1)
    assert closed.closed_at == T0
    (event,) = closed.pending_events
    assert isinstance(event, ApplicationClosed)
    assert event.actor is Actor.CUSTOMER
    assert isinstance(portal.outbox.records()[-1].event, ApplicationClosed)
    before = portal.snapshot()
    commands: tuple[Callable[[], object], ...] = (
        lambda: portal.service.send("app-1", K.INSTALLATION_SUPPLIES, "unsubmit", by=C),
        lambda: portal.service.fill_in("app-1", K.INSTALLATION_SUPPLIES, {"note": "x"}, by=C),
        lambda: portal.service.set_schedule("app-1", schedule(), by=C),
        lambda: portal.service.close("app-1", by=OP),
    )
    for command in commands:
        with pytest.raises(InvalidTransition) as raised:
            command()
        assert (raised.value.rule, raised.value.state) == ("SUB-16", "closed")
    assert portal.snapshot() == before


OPERATOR_MOVES: dict[str, tuple[tuple[DocumentKind, str, Principal], ...]] = {
    "確認中": ((K.APPLICATION_FORM, "start_review", OP),),
    "受領": ((K.APPLICATION_FORM, "start_review", OP), (K.APPLICATION_FORM, "receive", OP)),
    "承諾": ((K.INSTALLATION_SUPPLIES, "submit", C), (K.INSTALLATION_SUPPLIES, "accept", OP)),
}


@pytest.mark.parametrize("reached", OPERATOR_MOVES)
def test_sub_16_the_customer_cannot_close_once_a_document_is_with_the_operator_or_done(
    portal: Portal, reached: str
) -> None:
    _under_review(portal)
    for kind, event, by in OPERATOR_MOVES[reached]:
        portal.service.send("app-1", kind, event, by=by)
    before = portal.snapshot()
    with pytest.raises(InvalidTransition) as raised:
        portal.service.close("app-1", by=C)
    assert raised.value.rule == "SUB-16"
    assert portal.snapshot() == before
    # the operator may close any application that is not complete
    assert portal.service.close("app-1", by=OP).closed_at is not None


def test_sub_16_no_one_closes_a_complete_application(portal: Portal) -> None:
    _complete(portal)
    before = portal.snapshot()
    with pytest.raises(InvalidTransition) as raised:
        portal.service.close("app-1", by=OP)
    assert raised.value.rule == "SUB-15"
    assert portal.snapshot() == before


def test_sub_16_only_the_customer_or_the_operator_closes(portal: Portal) -> None:
    application = portal.new_installation()
    with pytest.raises(PermissionDenied) as raised:
        application.close(actor=Actor.SYSTEM, at=T0)
    assert raised.value.rule == "SUB-16"
    with pytest.raises(ValidationError) as invalid:
        application.close(actor="customer", at=T0)  # type: ignore[arg-type]
    assert invalid.value.field == "actor"


def test_sub_16_a_closed_site_name_change_no_longer_locks_its_site() -> None:
    change = ChangeApplication.start(
        id="chg-1",
        customer_id="cust-1",
        site=SITE,
        menu=Menu.BASIC,
        change_menu=ChangeMenu.SITE_NAME_CHANGE,
        contact_email="it@example.co.jp",
        created_at=T0,
    )
    assert change.locks_site
    closed = change.close(actor=Actor.CUSTOMER, at=T0)
    assert not closed.locks_site
    assert closed.closed_at == T0


def test_sub_16_a_closed_application_survives_storage(portal: Portal) -> None:
    portal.new_installation()
    closed = portal.service.close("app-1", by=OP).saved()
    assert decode(encode(closed), expected=NewInstallation) == closed
    assert portal.service.get("app-1", by=C) == closed


def test_sub_16_the_customer_hears_when_the_operator_closes(portal: Portal) -> None:
    portal.new_installation()
    portal.service.close("app-1", by=OP, expected_version=0)
    notifier = RecordingNotifier()
    settings = NotificationSettings(
        contractor_login_url="https://x.example.jp", first_login_url="https://y.example.jp"
    )
    deliver_pending(portal.outbox, notifier, clock=portal.clock, settings=settings)
    (message,) = notifier.messages
    assert (message.to, message.subject) == (
        "it@example.co.jp",
        "【Connecure】お申込み取消のお知らせ",
    )
    assert str(SITE) in message.body


# -- SUB-17: a 設定変更 carries its parameter sheet and is 承諾 after its construction -------------


def _configuration_change(portal: Portal, **options: Any) -> ChangeApplication:
    change = ChangeApplication.start(
        id="chg-1",
        customer_id="cust-1",
        site=SITE,
        menu=Menu.BASIC,
        change_menu=ChangeMenu.CONFIGURATION_CHANGE,
        contact_email="it@example.co.jp",
        created_at=T0,
        **options,
    )
    portal.applications.add(change)
    return change


def test_sub_17_a_configuration_change_carries_a_parameter_sheet_like_c(portal: Portal) -> None:
    change = _configuration_change(portal)
    sheet = change.document(K.CHANGE_PARAMETER_SHEET)
    assert sheet.kind.label == "変更するパラメータシート"
    assert sheet.status is S.SHEET_IN_PREPARATION
    assert sheet.kind.lifecycle is K.LAN_PARAMETERS.lifecycle
    portal.service.send("chg-1", K.CHANGE_PARAMETER_SHEET, "publish_sheet", by=OP)
    with pytest.raises(ValidationError) as raised:
        portal.service.send("chg-1", K.CHANGE_PARAMETER_SHEET, "submit", by=C)
    assert raised.value.field == "uploads"
    updated = portal.service.upload("chg-1", K.CHANGE_PARAMETER_SHEET, "sheet.xlsx", by=C)
    current = updated.document(K.CHANGE_PARAMETER_SHEET).current_file
    assert current is not None
    assert current.name == "20250402_NTTデータ(豊洲)sheet.xlsx"
    portal.service.send("chg-1", K.CHANGE_PARAMETER_SHEET, "submit", by=C)


def _change_form_received(portal: Portal) -> None:
    _configuration_change(portal)
    portal.service.fill_in("chg-1", K.CONFIGURATION_CHANGE, {"change_details": "VLAN"}, by=C)
    portal.service.send("chg-1", K.CONFIGURATION_CHANGE, "complete_fields", by=C)
    portal.service.upload("chg-1", K.CONFIGURATION_CHANGE, "変更申込書.pdf", by=C)
    for event, by in (("submit", C), ("start_review", OP), ("receive", OP)):
        portal.service.send("chg-1", K.CONFIGURATION_CHANGE, event, by=by)


def test_sub_17_the_change_form_is_accepted_only_after_the_construction(portal: Portal) -> None:
    _change_form_received(portal)
    before = portal.snapshot("chg-1")
    with pytest.raises(InvalidTransition) as raised:
        portal.service.send("chg-1", K.CONFIGURATION_CHANGE, "accept", by=OP)
    assert raised.value.rule == "SUB-17"
    assert portal.snapshot("chg-1") == before
    portal.clock.advance(days=30)
    recorded = portal.service.record_construction_completed("chg-1", date(2025, 5, 1), by=OP)
    assert isinstance(recorded, ChangeApplication)
    assert recorded.completed_on == date(2025, 5, 1)
    accepted = portal.service.send("chg-1", K.CONFIGURATION_CHANGE, "accept", by=OP)
    assert accepted.document(K.CONFIGURATION_CHANGE).acceptance_letter_available


def test_sub_17_only_a_configuration_change_has_construction(portal: Portal) -> None:
    portal.applications.add(
        ChangeApplication.start(
            id="chg-2",
            customer_id="cust-1",
            site=SITE,
            menu=Menu.BASIC,
            change_menu=ChangeMenu.COMPANY_CHANGE,
            contact_email="it@example.co.jp",
            created_at=T0,
        )
    )
    before = portal.snapshot("chg-2")
    with pytest.raises(ValidationError) as raised:
        portal.service.record_construction_completed("chg-2", date(2025, 4, 1), by=OP)
    assert (raised.value.field, raised.value.rule) == ("application_id", "SUB-17")
    assert portal.snapshot("chg-2") == before


# -- required fields the seed's screens show -------------------------------------------------------

ADDRESS = {
    "arrival_date": "2025/05/10",
    "arrival_time_slot": "AM",
    "postal_code": "135-0061",
    "prefecture": "東京都",
    "city": "江東区豊洲",
    "street": "1-2-3",
    "floor": "10",
    "recipient": "豊洲太郎",
}


def _shipping(portal: Portal) -> None:
    portal.new_installation(menu=Menu.LITE_MINIMUM, asps=[ASP.SDS])


def test_sub_3b_the_arrival_time_slot_is_required_on_the_shipping_form(portal: Portal) -> None:
    _shipping(portal)
    without_slot = {k: v for k, v in ADDRESS.items() if k != "arrival_time_slot"}
    portal.service.fill_in("app-1", K.SHIPPING_ADDRESS, without_slot, by=C)
    before = portal.snapshot()
    with pytest.raises(ValidationError, match="arrival_time_slot") as raised:
        portal.service.send("app-1", K.SHIPPING_ADDRESS, "submit", by=C)
    assert raised.value.field == "details"
    assert portal.snapshot() == before
    portal.service.fill_in("app-1", K.SHIPPING_ADDRESS, {"arrival_time_slot": "PM"}, by=C)
    submitted = portal.service.send("app-1", K.SHIPPING_ADDRESS, "submit", by=C)
    details = submitted.document(K.SHIPPING_ADDRESS).details
    assert (details["arrival_date"], details["arrival_time_slot"]) == ("2025-05-10", "PM")


@pytest.mark.parametrize(
    ("detail", "value"),
    [
        ("arrival_date", "2025-03-10 AM"),
        ("arrival_date", "2025/02/30"),
        ("arrival_date", "来週"),
        ("arrival_date", "２０２５/０５/１０"),
        ("arrival_time_slot", "午前"),
        ("arrival_time_slot", "ＡＭ"),
    ],
)
def test_sub_3b_the_arrival_date_is_a_date_and_the_slot_am_or_pm(
    portal: Portal, detail: str, value: str
) -> None:
    _shipping(portal)
    before = portal.snapshot()
    with pytest.raises(ValidationError) as raised:
        portal.service.fill_in("app-1", K.SHIPPING_ADDRESS, {detail: value}, by=C)
    assert raised.value.field == detail
    assert portal.snapshot() == before


@pytest.mark.parametrize("floor", ["BB", "1B", "0", "B", "B0", "00", "01", "B10", "10F"])
def test_sub_14_a_floor_is_a_floor_number_or_b_and_a_basement_number(floor: str) -> None:
    with pytest.raises(ValidationError) as raised:
        validate_floor(floor)
    assert (raised.value.field, raised.value.rule) == ("floor", "SUB-14")


@pytest.mark.parametrize("floor", ["1", "9", "10", "99", "B1", "B9"])
def test_sub_14_floors_the_seed_shows_are_accepted(floor: str) -> None:
    assert validate_floor(floor) == floor


def test_sub_3e_fault_contacts_without_a_first_contact_never_reach_submitted(
    portal: Portal,
) -> None:
    portal.new_installation()
    contacts = FaultContacts(first=CONTACT)
    object.__setattr__(contacts, "first", None)  # a value tampered with after it was checked
    before = portal.snapshot()
    with pytest.raises(ValidationError) as raised:
        portal.service.set_fault_contacts("app-1", K.FAULT_CONTACTS, contacts, by=C)
    assert raised.value.field == "first"
    with pytest.raises(ValidationError):
        portal.service.send("app-1", K.FAULT_CONTACTS, "submit", by=C)
    assert portal.snapshot() == before


def test_sub_3g_a_monthly_billing_change_cannot_be_submitted_empty(portal: Portal) -> None:
    portal.applications.add(
        ChangeApplication.start(
            id="chg-1",
            customer_id="cust-1",
            site=SITE,
            menu=Menu.BASIC,
            change_menu=ChangeMenu.MONTHLY_BILLING_CHANGE,
            contact_email="it@example.co.jp",
            created_at=T0,
        )
    )
    before = portal.snapshot("chg-1")
    with pytest.raises(ValidationError, match="needs these details") as raised:
        portal.service.send("chg-1", K.MONTHLY_BILLING_CHANGE, "submit", by=C)
    assert raised.value.field == "details"
    assert portal.snapshot("chg-1") == before
    portal.service.fill_in("chg-1", K.MONTHLY_BILLING_CHANGE, BILLING, by=C)
    portal.service.send("chg-1", K.MONTHLY_BILLING_CHANGE, "submit", by=C)


@pytest.mark.parametrize(
    "number", ["１２３４５６７８９０１２３", "١٢٣٤٥٦٧٨٩٠١٢٣", "123456789012", "12345678901234"]
)
def test_sub_14_a_corporate_number_is_13_half_width_digits(number: str) -> None:
    with pytest.raises(ValidationError) as raised:
        check_details({"corporate_number": number})
    assert (raised.value.field, raised.value.rule) == ("corporate_number", "SUB-14")
    assert check_details({"corporate_number": "1234567890123"}) == {
        "corporate_number": "1234567890123"
    }
