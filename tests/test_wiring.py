"""The HTTP status map of the errors, and the WSGI service of docs/wiring.md under wsgiref.

The page's definitions (its ``python`` blocks without ``>>>``) are run here into one
namespace and the application they define is driven with ``wsgiref``'s test utilities —
``setup_testing_defaults`` for the request, ``validator`` for the WSGI protocol — over
the shipped SQLite adapter, without a server.
"""

from __future__ import annotations

import importlib
import json
import logging
import pathlib
import pkgutil
import threading
from datetime import datetime
from typing import TYPE_CHECKING, Any
from wsgiref.util import setup_testing_defaults
from wsgiref.validate import validator

import pytest

import omakase_core
from omakase_core.accounts import PasswordPolicyError
from omakase_core.adapters.sqlite import SqliteStore
from omakase_core.calendar import JST
from omakase_core.contract import Contractor, ContractService
from omakase_core.errors import (
    HTTP_STATUS,
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
    http_status,
)
from omakase_core.principal import Principal
from omakase_core.submission import ScheduleError
from omakase_core.testing import FixedClock, RecordingNotifier
from tests.test_docs import python_blocks

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

PAGE = pathlib.Path(__file__).parent.parent / "docs" / "wiring.md"
START = datetime(2026, 11, 1, 10, 0, tzinfo=JST)


def package_error_classes() -> set[type[OmakaseError]]:
    """Return every subclass of OmakaseError defined anywhere in omakase_core (all imported)."""
    for info in pkgutil.walk_packages(omakase_core.__path__, prefix="omakase_core."):
        importlib.import_module(info.name)
    found: set[type[OmakaseError]] = set()
    pending = [OmakaseError]
    while pending:
        for sub in pending.pop().__subclasses__():
            if sub not in found:
                found.add(sub)
                pending.append(sub)
    return {cls for cls in found if cls.__module__.startswith("omakase_core.")}


def test_the_walk_finds_the_core_and_the_domain_error_classes() -> None:
    classes = package_error_classes()
    assert {PasswordPolicyError, ScheduleError, DeadlinePassed, DecodeError} <= classes


def test_every_error_class_of_the_package_resolves_to_an_http_status_by_its_mro() -> None:
    unmapped = [
        cls.__qualname__
        for cls in package_error_classes()
        if not any(base in HTTP_STATUS for base in cls.__mro__)
    ]
    assert unmapped == []


@pytest.mark.parametrize(
    ("cls", "status"),
    [
        (ValidationError, 422),
        (NaiveDatetimeError, 422),
        (CalendarRangeError, 422),
        (NotFound, 404),
        (PermissionDenied, 403),
        (ConcurrencyConflict, 409),
        (InvalidTransition, 409),
        (DeadlinePassed, 409),
        (DecodeError, 500),
        (DefinitionError, 500),
    ],
    ids=lambda value: getattr(value, "__name__", str(value)),
)
def test_each_core_error_class_has_its_http_status(cls: type[OmakaseError], status: int) -> None:
    assert status == HTTP_STATUS[cls]


def test_the_map_lists_exactly_the_core_leaves() -> None:
    core = {cls for cls in package_error_classes() if cls.__module__ == "omakase_core.errors"}
    assert core == set(HTTP_STATUS)


def test_the_http_status_map_is_read_only() -> None:
    with pytest.raises(TypeError):
        HTTP_STATUS[NotFound] = 410  # type: ignore[index]  # the point: it cannot be changed


def test_acc_1_a_password_policy_error_answers_as_a_validation_error() -> None:
    error = PasswordPolicyError("too short", requirement="length", rule="ACC-1")
    assert http_status(error) == 422


def test_sub_10_a_schedule_error_answers_as_a_validation_error() -> None:
    error = ScheduleError.__new__(ScheduleError)  # its constructor's fields do not matter here
    assert http_status(error) == 422


def test_con_4_a_passed_deadline_is_a_conflict() -> None:
    error = DeadlinePassed("too late", deadline=START, at=START, rule="CON-4")
    assert http_status(error) == 409


def test_a_bare_omakase_error_is_the_servers_fault() -> None:
    assert http_status(OmakaseError("unexpected")) == 500


def test_http_status_refuses_what_is_not_an_omakase_error() -> None:
    with pytest.raises(ValidationError) as caught:
        http_status(ValueError("no"))  # type: ignore[arg-type]  # the point: a wrong type
    assert caught.value.field == "error"


# -- the service of docs/wiring.md --------------------------------------------------------


def wiring_namespace() -> dict[str, Any]:
    """Run the page's definitions (its blocks without ``>>>``) and return their names."""
    namespace: dict[str, Any] = {"__name__": "docs.wiring"}
    for line, body in python_blocks(PAGE):
        if ">>>" not in body:
            exec(compile(body, f"wiring.md:{line}", "exec"), namespace)  # noqa: S102  # the docs' own code
    return namespace


class Portal:
    """The page's application over a SQLite store with contract c-1, and a way to call it."""

    def __init__(self, folder: pathlib.Path) -> None:
        self.page = wiring_namespace()
        self.store = SqliteStore(folder / "portal.db")
        self.clock = FixedClock(START)
        self.service = ContractService(
            contracts=self.store.contracts, clock=self.clock, directory=self.store.directory
        )
        owner = Contractor(name="山田 太郎", email="owner@example.co.jp")
        self.service.open_contract("c-1", contractor=owner, by=Principal.operator("staff-1"))
        self.store.directory.issue_administrator("c-1", owner)
        sessions = {
            "s-yamada": Principal.contractor("c-1"),
            "s-sato": Principal.contractor("c-2"),
            "s-staff": Principal.operator("staff-1"),
        }
        self.app = validator(self.page["make_app"](self.service, sessions))

    def call(
        self, method: str, path: str, session: str | None = None, if_match: str | None = None
    ) -> tuple[str, dict[str, str], Any]:
        """Make one request; return the status line, the headers and the decoded JSON."""
        environ: dict[str, Any] = {"REQUEST_METHOD": method, "SCRIPT_NAME": "", "PATH_INFO": path}
        environ["QUERY_STRING"] = ""
        if session is not None:
            environ["HTTP_X_SESSION"] = session
        if if_match is not None:
            environ["HTTP_IF_MATCH"] = if_match
        setup_testing_defaults(environ)
        answered: list[tuple[str, list[tuple[str, str]]]] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: object = None
        ) -> Callable[[bytes], object]:
            answered.append((status, headers))
            return lambda _: None

        result = self.app(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            result.close()  # type: ignore[attr-defined]  # validator's iterator must be closed
        status, headers = answered[0]
        assert dict(headers)["Content-Length"] == str(len(body))
        return status, dict(headers), json.loads(body)


@pytest.fixture
def portal(tmp_path: pathlib.Path) -> Iterator[Portal]:
    portal = Portal(tmp_path)
    yield portal
    portal.store.close()


def test_the_contractor_sees_their_contract_as_json(portal: Portal) -> None:
    status, headers, body = portal.call("GET", "/contracts/c-1", "s-yamada")
    assert (status, headers["Content-Type"]) == ("200 OK", "application/json; charset=utf-8")
    assert body == {"id": "c-1", "status": "ACTIVE", "label": "契約中", "version": 0}


def test_sec_1_a_request_without_a_session_is_unauthorized(portal: Portal) -> None:
    status, _, body = portal.call("GET", "/contracts/c-1")
    assert (status, body["rule"]) == ("401 Unauthorized", "SEC-1")


def test_sec_1_another_contractors_contract_is_not_found(portal: Portal) -> None:
    status, _, body = portal.call("GET", "/contracts/c-1", "s-sato")
    assert status == "404 Not Found"
    assert {"rule", "field", "message"} == set(body)


def test_an_unknown_path_and_a_get_of_a_command_are_refused(portal: Portal) -> None:
    assert portal.call("GET", "/accounts/a-1", "s-yamada")[0] == "404 Not Found"
    assert (
        portal.call("GET", "/contracts/c-1/termination", "s-yamada")[0] == "405 Method Not Allowed"
    )


def test_an_operator_may_not_request_termination_forbidden(portal: Portal) -> None:
    status, _, body = portal.call("POST", "/contracts/c-1/termination", "s-staff")
    assert status == "403 Forbidden"
    assert body["message"]
    assert portal.service.get("c-1", by=Principal.operator("staff-1")).status.name == "ACTIVE"


def test_port_2_a_stale_version_from_the_screen_is_a_conflict(portal: Portal) -> None:
    status, _, body = portal.call("POST", "/contracts/c-1/termination", "s-yamada", if_match="3")
    assert (status, body["rule"]) == ("409 Conflict", "PORT-2")


def test_sec_3_a_malformed_if_match_names_expected_version(portal: Portal) -> None:
    status, _, body = portal.call("POST", "/contracts/c-1/termination", "s-yamada", if_match="x")
    assert (
        status,
        body["rule"],
        body["field"],
    ) == ("422 Unprocessable Entity", "SEC-3", "expected_version")


@pytest.mark.parametrize("if_match", ["²", "٣", "0x1", 'W/"0"', "*", '"0", "1"', "9" * 19])
def test_sec_3_an_if_match_that_is_not_our_tag_is_refused_never_a_server_error(
    portal: Portal, if_match: str
) -> None:
    """Only ASCII digits, bare or quoted, name a version; the rest the service refuses."""
    status, _, body = portal.call("POST", "/contracts/c-1/termination", "s-yamada", if_match)
    assert (status, body["rule"], body["field"]) == (
        "422 Unprocessable Entity",
        "SEC-3",
        "expected_version",
    )
    assert portal.service.get("c-1", by=Principal.contractor("c-1")).version == 0


def test_port_2_the_answer_s_entity_tag_is_what_the_next_command_sends(portal: Portal) -> None:
    _, headers, _ = portal.call("GET", "/contracts/c-1", "s-yamada")
    assert headers["ETag"] == '"0"'
    status, headers, body = portal.call(
        "POST", "/contracts/c-1/termination", "s-yamada", if_match=headers["ETag"]
    )
    assert (status, body["version"], headers["ETag"]) == ("200 OK", 1, '"1"')


def test_con_1_termination_then_a_second_termination_is_a_conflict(portal: Portal) -> None:
    status, _, body = portal.call("POST", "/contracts/c-1/termination", "s-yamada", if_match="0")
    assert (status, body["status"], body["version"]) == ("200 OK", "TERMINATED", 1)
    assert portal.call("POST", "/contracts/c-1/termination", "s-yamada")[0] == "409 Conflict"


def test_con_4_reinstatement_within_the_window_succeeds(portal: Portal) -> None:
    portal.call("POST", "/contracts/c-1/termination", "s-yamada")
    portal.clock.advance(days=14)
    status, _, body = portal.call("POST", "/contracts/c-1/reinstatement", "s-yamada")
    assert (status, body["status"]) == ("200 OK", "ACTIVE")


def test_con_4_reinstatement_after_the_window_names_the_rule_and_deadline(portal: Portal) -> None:
    portal.call("POST", "/contracts/c-1/termination", "s-yamada")
    portal.clock.advance(days=15)
    status, _, body = portal.call("POST", "/contracts/c-1/reinstatement", "s-yamada")
    assert (status, body["rule"], body["field"]) == ("409 Conflict", "CON-4", None)
    assert "2026年11月15日(日) 24:00" in body["message"]


@pytest.mark.parametrize(
    "error",
    [
        ValidationError("bad", field="contract_id", rule="SEC-2"),
        NaiveDatetimeError(field="at"),
        CalendarRangeError(year=2200, first_year=1955, last_year=2099, what="the day"),
        NotFound(kind="contract", id="c-9"),
        PermissionDenied("no", actor="operator", event="reinstate", rule="SEC-1"),
        ConcurrencyConflict(aggregate_id="c-1", expected_version=1, actual_version=2),
        InvalidTransition("no", state="ACTIVE", event="reinstate", lifecycle="contract"),
        DeadlinePassed("too late", deadline=START, at=START, rule="CON-4"),
        DecodeError("broken", type_name="contract.Contract", field="data"),
        DefinitionError("broken", chart="contract"),
        PasswordPolicyError("too short", requirement="length", rule="ACC-1"),
    ],
    ids=lambda error: type(error).__name__,
)
def test_the_refusal_body_of_each_error_carries_rule_field_and_a_message(
    error: OmakaseError,
) -> None:
    status, body = wiring_namespace()["refusal"](error)
    assert (http_status(error), error.rule, getattr(error, "field", None)) == (
        status,
        body["rule"],
        body["field"],
    )
    assert error.explain("ja") == body["message"]
    assert status in wiring_namespace()["REASONS"]


def test_con_5_the_tick_sweeps_the_due_contract_and_drains_the_outbox(portal: Portal) -> None:
    portal.call("POST", "/contracts/c-1/termination", "s-yamada")
    portal.clock.advance(days=15)
    notifier = RecordingNotifier()
    report = portal.page["tick"](portal.store, notifier, clock=portal.clock)
    assert report.delivered == ("contract:c-1:1", "contract:c-1:2")
    assert portal.service.get("c-1", by=Principal.system()).status.label == "利用終了"
    assert report.messages_sent == len(notifier.messages) > 0


def test_run_every_calls_the_job_from_its_timer_until_stopped() -> None:
    calls: list[int] = []
    stop = threading.Event()

    def job() -> None:
        calls.append(1)
        if len(calls) == 2:
            stop.set()

    thread = wiring_namespace()["run_every"](0.001, job, stop)
    thread.join(timeout=5)
    assert (thread.is_alive(), len(calls)) == (False, 2)


def test_port_6_a_failing_tick_is_logged_and_the_worker_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A worker that stopped at its first exception would sweep and deliver nothing more."""
    calls: list[int] = []
    stop = threading.Event()

    def job() -> None:
        calls.append(1)
        if len(calls) == 1:
            raise StoreUnavailable(store="SqliteStore", reason="the database is locked")
        stop.set()

    with caplog.at_level(logging.ERROR, logger="portal.worker"):
        thread = wiring_namespace()["run_every"](0.001, job, stop)
        thread.join(timeout=5)
    assert (thread.is_alive(), len(calls)) == (False, 2)
    assert [record.getMessage() for record in caplog.records] == ["the worker's tick failed"]
    assert caplog.records[0].exc_info is not None
