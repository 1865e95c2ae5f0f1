"""SEC-2: every public value of the domain checks what it is built from, naming the field.

The decision, the month view's slots and days, the events, the aggregate, the chart and the
enums' look-ups refuse wrong types, naive instants, unknown reasons and parts that disagree
with a ``ValidationError`` naming the public parameter, never a raw error later.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import attrs
import pytest

from omakase_core.calendar import JST, BusinessCalendar
from omakase_core.errors import NaiveDatetimeError, ValidationError
from omakase_core.id_change import (
    CurrentTiming,
    DayWindows,
    IdChangeAccepted,
    IdChangeApplication,
    IdChangeApplied,
    IdChangeChart,
    IdChangeStatus,
    NextTiming,
    Service,
    Target,
    Term,
    WindowSlot,
    decide,
)
from omakase_core.id_change.rules import addon_block_end
from omakase_core.testing import InMemoryIdChangeRepository, InMemoryOutbox
from tests.id_change.conftest import Desk, jst

T0 = jst(2026, 11, 2, 10, 0)
NEXT = decide(
    Service.GOOGLE_WORKSPACE,
    target=Target.NEXT_MONTH,
    submitted_at=T0,
    delta=2,
    current_count=10,
    consented=True,
)
REFUSED = decide(
    Service.EMM,
    target=Target.CURRENT_MONTH,
    submitted_at=T0,
    delta=-1,
    current_count=10,
    consented=True,
)
SLOT = WindowSlot(
    target=Target.NEXT_MONTH, start=time(9), end=time(12), counts_as=Target.NEXT_MONTH
)
EVENT: dict[str, Any] = {
    "aggregate_id": "idc-1",
    "version": 1,
    "occurred_at": T0,
    "service_label": "Google Workspace",
    "contact_email": "admin@example.co.jp",
}
REFUSAL = (ValidationError, NaiveDatetimeError)
"""What a bad field raises: a naive instant has its own error, which names the field too."""
APPLICATION: dict[str, Any] = {
    "id": "idc-1",
    "customer_id": "cust-1",
    "contact_email": "admin@example.co.jp",
    "decision": NEXT,
    "status": IdChangeStatus.PENDING,
    "version": 1,
    "updated_at": T0,
}


@pytest.mark.parametrize("kind", [Service, Target, Term, CurrentTiming, NextTiming])
@pytest.mark.parametrize(
    "value",
    ["nope", "x" * 1_000_000, None, ["x"], 10**5000],
    ids=["unknown", "1 MB", "None", "unhashable", "huge int"],
)
def test_sec_2_an_enum_looks_up_its_values_only(kind: Any, value: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        kind(value)
    assert raised.value.field == "value"
    assert "x" * 81 not in str(raised.value)


def test_sec_2_a_target_is_not_looked_up_by_its_label() -> None:
    assert Target("next_month") is Target.NEXT_MONTH
    with pytest.raises(ValidationError):
        Target("翌月")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("accepted", 1),
        ("rule", ""),
        ("reason", "because"),
        ("service", None),
        ("requested_target", "next_month"),
        ("target", "翌月"),
        ("delta", 0),
        ("delta", "2"),
        ("delta", 10**7),
        ("submitted_at", datetime(2026, 11, 2, 10, 0)),  # noqa: DTZ001  # the point
        ("submitted_at", date(2026, 11, 2)),
        ("applies_at", "2026-12-01T12:00:00+09:00"),
        ("window_days", 0),
        ("hours", (time(12), time(9))),
    ],
)
def test_sec_2_a_decision_checks_every_field(field: str, value: Any) -> None:
    with pytest.raises(REFUSAL) as raised:
        attrs.evolve(NEXT, **{field: value})
    assert getattr(raised.value, "field", None) == field


def test_sec_2_a_decision_whose_parts_disagree_is_refused() -> None:
    with pytest.raises(ValidationError) as no_target:
        attrs.evolve(NEXT, target=None)
    assert no_target.value.field == "target"
    with pytest.raises(ValidationError) as refused_reason:
        attrs.evolve(NEXT, reason="additions_only")
    assert refused_reason.value.field == "reason"
    with pytest.raises(ValidationError) as accepted_reason:
        attrs.evolve(REFUSED, reason="at_acceptance")
    assert accepted_reason.value.field == "reason"


def test_sec_2_a_window_slot_is_a_half_open_span_of_wall_clock_times() -> None:
    with pytest.raises(ValidationError) as reversed_span:
        attrs.evolve(SLOT, start=time(12), end=time(9))
    assert reversed_span.value.field == "end"
    with pytest.raises(ValidationError) as aware:
        attrs.evolve(SLOT, start=time(9, tzinfo=JST))
    assert aware.value.field == "start"
    with pytest.raises(ValidationError) as counts_as:
        attrs.evolve(SLOT, counts_as="next_month")  # type: ignore[arg-type]  # the point
    assert counts_as.value.field == "counts_as"
    assert attrs.evolve(SLOT, end=None).end is None  # None is 24:00


def test_sec_2_a_day_of_the_month_view_is_a_date_with_a_tuple_of_slots() -> None:
    with pytest.raises(ValidationError) as instant:
        DayWindows(day=T0, slots=(SLOT,))
    assert instant.value.field == "day"
    with pytest.raises(ValidationError) as listed:
        DayWindows(day=date(2026, 11, 2), slots=[SLOT])  # type: ignore[arg-type]  # the point
    assert listed.value.field == "slots"
    with pytest.raises(ValidationError) as open_for:
        DayWindows(day=date(2026, 11, 2), slots=(SLOT,)).open_for("翌月")  # type: ignore[arg-type]
    assert open_for.value.field == "target"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("service_label", "   "),
        ("service_label", "x" * 201),
        ("contact_email", "not an address"),
        ("contact_email", None),
    ],
)
def test_sec_2_an_event_checks_its_label_and_address(field: str, value: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        IdChangeAccepted(**{**EVENT, "decision": NEXT, field: value})
    assert raised.value.field == field


def test_sec_2_an_acceptance_event_carries_an_accepted_decision_and_an_applied_one_a_delta() -> (
    None
):
    with pytest.raises(ValidationError) as refused:
        IdChangeAccepted(**EVENT, decision=REFUSED)
    assert refused.value.field == "decision"
    with pytest.raises(ValidationError) as zero:
        IdChangeApplied(**EVENT, delta=0, processing_done_expected_at=None)
    assert zero.value.field == "delta"
    with pytest.raises(NaiveDatetimeError) as naive:
        IdChangeApplied(
            **EVENT,
            delta=2,
            processing_done_expected_at=datetime(2026, 11, 3, 12, 0),  # noqa: DTZ001  # the point
        )
    assert naive.value.field == "processing_done_expected_at"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", ""),
        ("customer_id", "a\x00b"),
        ("contact_email", "admin"),
        ("decision", REFUSED),
        ("decision", None),
        ("status", "pending"),
        ("status", "処理待ち"),
        ("version", -1),
        ("version", True),
        ("updated_at", datetime(2026, 11, 2, 10, 0)),  # noqa: DTZ001  # the point
        ("applied_at", "2026-11-02"),
        ("pending_events", None),
        ("pending_events", ["event"]),
    ],
)
def test_sec_2_an_application_checks_every_field(field: str, value: Any) -> None:
    with pytest.raises(REFUSAL) as raised:
        IdChangeApplication(**{**APPLICATION, field: value})
    assert getattr(raised.value, "field", None) == field


@pytest.mark.parametrize("decision", [REFUSED, None, "accepted"])
def test_sec_2_only_an_accepted_decision_makes_an_application(decision: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        IdChangeApplication.accept(
            id="idc-1", customer_id="cust-1", contact_email="a@example.jp", decision=decision
        )
    assert raised.value.field == "decision"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("start_value", "pending"),
        ("start_value", IdChangeStatus.PENDING.label),
        ("state_field", 3),
        ("state_field", "x" * 1_000_000),
        ("model", "model"),
        ("listeners", "listener"),
        ("listeners", [None]),
    ],
)
def test_sec_2_the_chart_checks_python_statemachine_arguments(field: str, value: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        IdChangeChart(**{field: value})
    assert raised.value.field == field
    assert "x" * 81 not in str(raised.value)


def test_the_chart_still_runs_for_python_statemachine_tooling() -> None:
    class Model:
        state: object = None

    model = Model()
    chart = IdChangeChart(model, start_value=IdChangeStatus.PROCESSING)
    assert chart.current_state_value is IdChangeStatus.PROCESSING
    assert model.state is IdChangeStatus.PROCESSING
    assert IdChangeChart().current_state_value is IdChangeStatus.PENDING


@pytest.mark.parametrize(
    ("field", "value"),
    [("days", 0), ("days", "5"), ("days", 61), ("calendar", None), ("calendar", "japan")],
)
def test_sec_2_the_add_on_block_takes_a_policy_count_and_a_calendar(field: str, value: Any) -> None:
    arguments: dict[str, Any] = {
        "submitted_at": T0,
        "days": 5,
        "calendar": BusinessCalendar.japan(),
        field: value,
    }
    with pytest.raises(ValidationError) as raised:
        addon_block_end(**arguments)
    assert raised.value.field == field


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"service": Service.EMM, "target": Target.CURRENT_MONTH, "delta": -1}, "delta"),
        ({"term": Term.ANNUAL, "delta": -1, "current_count": 5}, "delta"),
        ({"delta": -2, "current_count": 2, "console_count_confirmed": True}, "current_count"),
    ],
)
def test_sec_2_a_rule_refusing_an_application_names_the_parameter_it_refuses(
    form: dict[str, Any], field: str
) -> None:
    desk = Desk(T0)
    with pytest.raises(ValidationError) as raised:
        desk.submit(**form)
    assert raised.value.field == field
    assert desk.state() == ([], [])


def test_sec_2_a_closed_month_end_window_names_the_target() -> None:
    desk = Desk(jst(2026, 11, 26, 10, 0))  # the 4th-last business day of November (IDC-3)
    with pytest.raises(ValidationError) as raised:
        desk.submit(target=Target.CURRENT_MONTH)
    assert raised.value.field == "target"
    assert desk.state() == ([], [])


def test_sec_2_the_in_memory_repository_refuses_what_is_not_an_outbox_or_an_id() -> None:
    with pytest.raises(ValidationError) as outbox:
        InMemoryIdChangeRepository("outbox")  # type: ignore[arg-type]  # the point
    assert outbox.value.field == "outbox"
    repository = InMemoryIdChangeRepository(InMemoryOutbox())
    with pytest.raises(ValidationError) as customer:
        repository.of_customer(["cust-1"])  # type: ignore[arg-type]  # the point
    assert customer.value.field == "customer_id"
    assert repository.of_customer("cust-1") == []
