"""Issue 15 §3: every refusal explains itself in Japanese (SEC-2: no password, short echoes)."""

from __future__ import annotations

import importlib
import pathlib
import pkgutil
import re
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import pytest

import omakase_core
from omakase_core import lifecycle as lifecycle_module
from omakase_core._explain import EVENT_LABELS, RULE_NAMES, format_deadline_ja
from omakase_core.accounts import model as accounts_model
from omakase_core.calendar import JST, format_deadline
from omakase_core.errors import (
    CalendarRangeError,
    ConcurrencyConflict,
    DeadlinePassed,
    DecodeError,
    DefinitionError,
    InvalidTransition,
    NaiveDatetimeError,
    NotFound,
    OmakaseError,
    PermissionDenied,
    StoreUnavailable,
    ValidationError,
)
from omakase_core.id_change.model import ApplicationRefused
from omakase_core.lifecycle import LIFECYCLES
from omakase_core.submission.model import ScheduleError, ScheduleViolation, Step
from tests.contract.conftest import CONTRACTOR, PORTAL_USER, make_world

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

T0 = datetime(2026, 11, 1, 10, 0, tzinfo=JST)
LONG = "q" * 500
"""A long input: a sentence may echo at most about 80 characters of it (SEC-2)."""
PASSWORD = "Hunter2-secret!"  # noqa: S105  # a password the sentences must never show
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _all_error_classes() -> list[type[OmakaseError]]:
    """Import every module of the library, then walk OmakaseError's subclasses."""
    for module in pkgutil.walk_packages(omakase_core.__path__, "omakase_core."):
        importlib.import_module(module.name)
    found: list[type[OmakaseError]] = []

    def walk(cls: type[OmakaseError]) -> Iterator[type[OmakaseError]]:
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    found = [OmakaseError, *walk(OmakaseError)]
    return sorted(set(found), key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def _password_error() -> accounts_model.PasswordPolicyError:
    with pytest.raises(accounts_model.PasswordPolicyError) as raised:
        accounts_model.OCN_AUTH_PASSWORD.validate(PASSWORD, confirmation=PASSWORD + "x")
    return raised.value


EXAMPLES: dict[type[OmakaseError], Callable[[], OmakaseError]] = {
    OmakaseError: lambda: OmakaseError(PASSWORD, rule="SEC-2"),
    ValidationError: lambda: ValidationError(PASSWORD + LONG, field=LONG, rule="SUB-14"),
    NaiveDatetimeError: lambda: NaiveDatetimeError(field=LONG),
    CalendarRangeError: lambda: CalendarRangeError(
        year=10**400, first_year=1955, last_year=2099, what=LONG
    ),
    InvalidTransition: lambda: InvalidTransition(
        PASSWORD, state="ACTIVE", event=LONG, lifecycle="contract", rule="CON-1"
    ),
    PermissionDenied: lambda: PermissionDenied(
        PASSWORD, actor="customer", event=LONG, state="ACTIVE", rule="CON-2"
    ),
    DeadlinePassed: lambda: DeadlinePassed(
        PASSWORD, deadline=datetime(2026, 11, 16, tzinfo=JST), at=T0, rule="CON-4"
    ),
    ConcurrencyConflict: lambda: ConcurrencyConflict(
        aggregate_id=LONG, expected_version=1, actual_version=2
    ),
    NotFound: lambda: NotFound(kind=LONG, id=LONG),
    DefinitionError: lambda: DefinitionError(PASSWORD, chart=LONG),
    DecodeError: lambda: DecodeError(PASSWORD, type_name=LONG, field=LONG),
    StoreUnavailable: lambda: StoreUnavailable(store=LONG, reason=PASSWORD + LONG),
    lifecycle_module._UnknownLifecycle: lambda: lifecycle_module._UnknownLifecycle(
        kind="lifecycle", id=LONG
    ),
    accounts_model.PasswordPolicyError: _password_error,
    ApplicationRefused: lambda: ApplicationRefused(PASSWORD, rule="IDC-9", field=LONG),
    ScheduleError: lambda: ScheduleError(
        (
            ScheduleViolation(
                step=Step.LINE_WORK,
                preference=1,
                day=date(2026, 11, 2),
                earliest=date(2026, 11, 10),
                reason="is too early",
            ),
        )
    ),
}
"""A representative instance of every error class, fed long inputs and a password."""


def test_issue_15_every_error_class_has_a_representative_example() -> None:
    assert sorted(EXAMPLES, key=str) == sorted(_all_error_classes(), key=str)


@pytest.fixture(params=list(EXAMPLES.values()), ids=[cls.__name__ for cls in EXAMPLES])
def error(request: pytest.FixtureRequest) -> OmakaseError:
    make: Callable[[], OmakaseError] = request.param
    return make()


def test_issue_15_explain_ja_is_japanese_and_names_the_rule(error: OmakaseError) -> None:
    text = error.explain("ja")
    assert JAPANESE.search(text) is not None
    if error.rule is not None:
        assert error.rule in text
        assert RULE_NAMES[error.rule] in text


def test_sec_2_explain_ja_shows_no_password_and_at_most_80_characters_of_input(
    error: OmakaseError,
) -> None:
    text = error.explain()
    assert PASSWORD not in text
    assert "q" * 81 not in text


def test_issue_15_explain_en_is_the_english_text(error: OmakaseError) -> None:
    assert error.explain("en") == str(error)


@pytest.mark.parametrize("lang", ["fr", "JA", "", None, b"ja", LONG])
def test_sec_2_explain_refuses_another_language_naming_lang(lang: object) -> None:
    with pytest.raises(ValidationError) as raised:
        NotFound(kind="contract", id="c-1").explain(lang)  # type: ignore[arg-type]  # the point
    assert raised.value.field == "lang"
    assert "q" * 81 not in str(raised.value)


def test_issue_15_every_rule_the_library_raises_with_has_a_japanese_name() -> None:
    source = pathlib.Path(omakase_core.__file__).parent
    raised = {
        match.group(1)
        for path in source.rglob("*.py")
        for match in re.finditer(r'rule="([A-Z]+-[0-9]+[a-z]?)"', path.read_text("utf-8"))
    }
    assert raised
    assert sorted(raised - set(RULE_NAMES)) == []


@pytest.mark.parametrize(
    "at",
    [
        datetime(2026, 11, 16, tzinfo=JST),
        datetime(2026, 11, 1, 10, 0, tzinfo=JST),
        datetime(2026, 12, 31, 23, 59, 59, tzinfo=JST),
        datetime(2027, 1, 1, 15, 0, tzinfo=UTC),
        datetime(2027, 1, 1, 15, 0, 0, 500, tzinfo=UTC),
    ],
)
def test_issue_15_the_deadline_reads_as_the_calendar_formats_it(at: datetime) -> None:
    assert format_deadline_ja(at) == format_deadline(at)


# -- real refusals from the services ----------------------------------------------------------


def test_con_4_a_late_reinstatement_explains_the_deadline_in_japanese() -> None:
    world = make_world()
    world.service.request_termination("c-1", by=CONTRACTOR)
    world.clock.set(datetime(2026, 11, 16, 0, 0, tzinfo=JST))
    with pytest.raises(DeadlinePassed) as raised:
        world.service.reinstate("c-1", by=CONTRACTOR)
    assert raised.value.explain("ja").startswith(
        "CON-4: 利用再開の期限（2026年11月15日(日) 24:00）を過ぎています。"
    )


def test_con_2_a_portal_user_s_termination_is_refused_naming_con_2() -> None:
    world = make_world()
    with pytest.raises(PermissionDenied) as raised:
        world.service.request_termination("c-1", by=PORTAL_USER)
    assert raised.value.rule == "CON-2"
    assert raised.value.explain("ja").startswith(
        "CON-2（契約の操作ができる人）: お客さまには、「契約中」の状態で操作「利用終了の申請」を"
    )


def test_con_1_a_second_termination_is_refused_naming_the_status_in_japanese() -> None:
    world = make_world()
    world.service.request_termination("c-1", by=CONTRACTOR)
    with pytest.raises(InvalidTransition) as raised:
        world.service.request_termination("c-1", by=CONTRACTOR)
    text = raised.value.explain("ja")
    assert raised.value.rule is not None
    assert raised.value.rule in text
    assert "契約" in text


def test_port_2_a_stale_save_asks_to_reload_the_screen() -> None:
    error = ConcurrencyConflict(aggregate_id="c-1", expected_version=1, actual_version=2)
    assert "画面を再読み込みして" in error.explain("ja")


def test_acc_1_a_refused_password_names_the_requirement_never_the_password() -> None:
    error = _password_error()
    text = error.explain("ja")
    assert accounts_model._REQUIREMENTS_JA[error.requirement] in text
    assert PASSWORD not in text


def test_issue_15_every_event_of_every_lifecycle_has_a_japanese_name() -> None:
    events = {row.event for lifecycle in LIFECYCLES.values() for row in lifecycle.order}
    assert sorted(events - set(EVENT_LABELS)) == []


def test_issue_15_every_domain_lifecycle_names_the_rules_its_refusals_carry() -> None:
    unnamed = [
        name
        for name, lifecycle in LIFECYCLES.items()
        if lifecycle.rule not in RULE_NAMES or lifecycle.actor_rule not in RULE_NAMES
    ]
    assert unnamed == []
