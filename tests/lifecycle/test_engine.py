"""The lifecycle engine: charts compiled into strict, pure tables (SEC-2 for its inputs)."""

from __future__ import annotations

from typing import Any

import pytest
from statemachine import StateChart

from omakase_core import (
    LIFECYCLES,
    Actor,
    DefinitionError,
    InvalidTransition,
    Lifecycle,
    NotFound,
    PermissionDenied,
    Status,
    Transition,
    ValidationError,
)
from omakase_core.contract import ContractStatus
from omakase_core.lifecycle import by, register, status_state


class Light(Status):
    RED = "red", "赤"
    GREEN = "green", "青"
    YELLOW = "yellow", "黄"


class LightChart(StateChart[Any]):
    red = status_state(Light.RED, initial=True)
    green = status_state(Light.GREEN)
    yellow = status_state(Light.YELLOW, final=True)

    go = red.to(green, cond=by(Actor.OPERATOR))
    slow = green.to(yellow, cond=by(Actor.SYSTEM))
    stop = green.to(red, cond=by(Actor.CUSTOMER)) | green.to(yellow, cond=by(Actor.OPERATOR))


LIGHT = Lifecycle.compile("light", LightChart, Light)


def test_a_status_has_a_stable_english_value_and_a_japanese_label() -> None:
    assert ContractStatus.ACTIVE.value == "active"
    assert ContractStatus.ACTIVE.label == "契約中"
    assert str(ContractStatus.PURGED) == "登録抹消"
    assert ContractStatus("terminated") is ContractStatus.TERMINATED


def test_actors_are_the_four_of_the_rulebook() -> None:
    assert [a.value for a in Actor] == ["customer", "operator", "contractor", "system"]
    assert Actor("contractor") is Actor.CONTRACTOR


def test_a_compiled_lifecycle_holds_the_charts_table() -> None:
    assert LIGHT.initial is Light.RED
    assert LIGHT.statuses == (Light.RED, Light.GREEN, Light.YELLOW)
    assert LIGHT.final == frozenset({Light.YELLOW})
    assert LIGHT.transitions == frozenset(
        {
            Transition(source=Light.RED, target=Light.GREEN, event="go", actor=Actor.OPERATOR),
            Transition(source=Light.GREEN, target=Light.YELLOW, event="slow", actor=Actor.SYSTEM),
            Transition(source=Light.GREEN, target=Light.RED, event="stop", actor=Actor.CUSTOMER),
            Transition(source=Light.GREEN, target=Light.YELLOW, event="stop", actor=Actor.OPERATOR),
        }
    )


def test_fire_returns_the_target_for_the_right_actor() -> None:
    assert LIGHT.fire(Light.RED, "go", actor=Actor.OPERATOR) is Light.GREEN
    assert LIGHT.fire(Light.GREEN, "stop", actor=Actor.CUSTOMER) is Light.RED
    assert LIGHT.fire(Light.GREEN, "stop", actor=Actor.OPERATOR) is Light.YELLOW
    assert LIGHT.can_fire(Light.RED, "go", actor=Actor.OPERATOR)
    assert not LIGHT.can_fire(Light.RED, "go", actor=Actor.CUSTOMER)


def test_fire_refuses_an_event_the_status_does_not_have() -> None:
    with pytest.raises(InvalidTransition) as raised:
        LIGHT.fire(Light.RED, "slow", actor=Actor.SYSTEM)
    assert (raised.value.state, raised.value.event, raised.value.lifecycle) == (
        "RED",
        "slow",
        "light",
    )
    assert "'slow' cannot happen in RED (赤)" in str(raised.value)
    assert isinstance(raised.value, ValueError)


def test_fire_refuses_an_unknown_event_and_says_so() -> None:
    with pytest.raises(InvalidTransition, match="no such event"):
        LIGHT.fire(Light.RED, "fly", actor=Actor.OPERATOR)


def test_fire_refuses_the_right_event_from_the_wrong_actor() -> None:
    with pytest.raises(PermissionDenied) as raised:
        LIGHT.fire(Light.RED, "go", actor=Actor.CUSTOMER)
    assert (raised.value.actor, raised.value.event, raised.value.state) == ("customer", "go", "RED")
    assert "only operator may" in str(raised.value)
    assert isinstance(raised.value, PermissionError)


def test_sec_2_fire_refuses_a_status_of_another_lifecycle_naming_source() -> None:
    with pytest.raises(ValidationError, match="must be a status of the light lifecycle") as raised:
        LIGHT.fire(ContractStatus.ACTIVE, "go", actor=Actor.OPERATOR)  # type: ignore[arg-type]
    assert (raised.value.field, raised.value.rule) == ("source", "SEC-2")
    assert not isinstance(raised.value, InvalidTransition)  # not a state the chart refuses


def test_events_from_lists_what_may_happen_next() -> None:
    assert LIGHT.events_from(Light.GREEN) == {"slow", "stop"}
    assert LIGHT.events_from(Light.GREEN, actor=Actor.CUSTOMER) == {"stop"}
    assert LIGHT.events_from(Light.YELLOW) == frozenset()
    with pytest.raises(ValidationError):
        LIGHT.events_from(ContractStatus.ACTIVE)  # type: ignore[arg-type]


def test_is_final_says_which_statuses_are_terminal() -> None:
    assert LIGHT.is_final(Light.YELLOW)
    assert not LIGHT.is_final(Light.RED)


def test_mermaid_draws_labels_and_actors() -> None:
    assert LIGHT.mermaid() == "\n".join(
        [
            "stateDiagram-v2",
            '    state "赤" as RED',
            '    state "青" as GREEN',
            '    state "黄" as YELLOW',
            "    [*] --> RED",
            "    RED --> GREEN : go (operator)",
            "    GREEN --> YELLOW : slow (system)",
            "    GREEN --> RED : stop (customer)",
            "    GREEN --> YELLOW : stop (operator)",
            "    YELLOW --> [*]",
        ]
    )


def test_the_chart_stays_instantiable_for_python_statemachine() -> None:
    machine = LIGHT.chart()
    machine.send("go", actor=Actor.OPERATOR)
    assert machine.current_state_value is Light.GREEN


def test_a_transition_without_an_actor_is_refused_at_compile_time() -> None:
    class NoActor(StateChart[Any]):
        red = status_state(Light.RED, initial=True)
        green = status_state(Light.GREEN, final=True)
        go = red.to(green)

    with pytest.raises(DefinitionError, match="exactly one actor") as raised:
        Lifecycle.compile("bad", NoActor, Light)
    assert raised.value.chart == "NoActor"


def test_a_transition_with_a_data_guard_is_refused_at_compile_time() -> None:
    def has_file() -> bool:
        return True

    class DataGuard(StateChart[Any]):
        red = status_state(Light.RED, initial=True)
        green = status_state(Light.GREEN, final=True)
        go = red.to(green, cond=[by(Actor.OPERATOR), has_file])

    with pytest.raises(DefinitionError, match="no other condition"):
        Lifecycle.compile("bad", DataGuard, Light)


def test_a_state_whose_value_is_not_a_status_is_refused() -> None:
    from statemachine import State  # noqa: PLC0415

    class Plain(StateChart[Any]):
        red = State("赤", initial=True, value="red")
        green = status_state(Light.GREEN, final=True)
        go = red.to(green, cond=by(Actor.OPERATOR))

    with pytest.raises(DefinitionError, match="not a member of Light"):
        Lifecycle.compile("bad", Plain, Light)


def test_two_transitions_for_the_same_event_and_actor_are_refused() -> None:
    class Twice(StateChart[Any]):
        red = status_state(Light.RED, initial=True)
        green = status_state(Light.GREEN, final=True)
        yellow = status_state(Light.YELLOW, final=True)
        go = red.to(green, cond=by(Actor.OPERATOR)) | red.to(yellow, cond=by(Actor.OPERATOR))

    with pytest.raises(DefinitionError, match="two transitions"):
        Lifecycle.compile("bad", Twice, Light)


def test_lifecycles_is_a_read_only_mapping_holding_the_contract() -> None:
    assert "contract" in LIFECYCLES
    assert LIFECYCLES["contract"].status_type is ContractStatus
    with pytest.raises(TypeError):
        LIFECYCLES["light"] = LIGHT  # type: ignore[index]
    assert "light" not in LIFECYCLES


def test_registering_another_lifecycle_under_a_taken_name_is_refused() -> None:
    imposter = Lifecycle.compile("contract", LightChart, Light)
    with pytest.raises(DefinitionError, match="already registered"):
        register(imposter)
    assert LIFECYCLES["contract"].status_type is ContractStatus


# -- SEC-2: no fail-open values --------------------------------------------------------------


def test_sec_2_fire_refuses_the_plain_string_of_the_right_actor() -> None:
    """A StrEnum member hashes like its value: the table must not answer "operator"."""
    with pytest.raises(ValidationError) as raised:
        LIGHT.fire(Light.RED, "go", actor="operator")  # type: ignore[arg-type]  # the point
    assert (raised.value.field, raised.value.rule) == ("actor", "SEC-2")
    with pytest.raises(ValidationError):
        LIGHT.can_fire(Light.RED, "go", actor="operator")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        LIGHT.events_from(Light.GREEN, actor="customer")  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [["go"], {"go": 1}, {"go"}, None, 1])
def test_sec_2_fire_refuses_an_event_that_is_not_text_without_a_type_error(value: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        LIGHT.fire(Light.RED, value, actor=Actor.OPERATOR)
    assert raised.value.field == "event"
    with pytest.raises(ValidationError):
        LIGHT.can_fire(Light.RED, value, actor=Actor.OPERATOR)


@pytest.mark.parametrize("value", [[Light.RED], {"red": 1}, "red", "赤", None, Actor.OPERATOR])
def test_sec_2_fire_refuses_a_source_that_is_not_a_status_of_the_lifecycle(value: Any) -> None:
    for field, call in (
        ("source", lambda: LIGHT.fire(value, "go", actor=Actor.OPERATOR)),
        ("source", lambda: LIGHT.can_fire(value, "go", actor=Actor.OPERATOR)),
        ("source", lambda: LIGHT.events_from(value)),
        ("status", lambda: LIGHT.is_final(value)),
    ):
        with pytest.raises(
            ValidationError, match="must be a status of the light lifecycle"
        ) as raised:
            call()
        assert (raised.value.field, raised.value.rule) == (field, "SEC-2")
        assert "の状態では" not in raised.value.explain("ja")  # not described as a state


@pytest.mark.parametrize("actor", [["operator"], {"operator": 1}, None, Light.RED, "OPERATOR"])
def test_sec_2_fire_refuses_an_actor_that_is_not_an_actor_member(actor: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        LIGHT.fire(Light.RED, "go", actor=actor)
    assert raised.value.field == "actor"


def test_sec_2_can_fire_still_answers_false_for_a_well_formed_step_that_is_not_allowed() -> None:
    assert not LIGHT.can_fire(Light.RED, "go", actor=Actor.CUSTOMER)
    assert not LIGHT.can_fire(Light.RED, "fly", actor=Actor.OPERATOR)


def test_sec_2_a_megabyte_event_is_refused_with_a_short_message() -> None:
    with pytest.raises(InvalidTransition) as raised:
        LIGHT.fire(Light.RED, "x" * 1_000_000, actor=Actor.OPERATOR)
    assert len(str(raised.value)) < 200


@pytest.mark.parametrize(
    "value",
    ["nope", "CUSTOMER", "", None, ["customer"], 10**5000],
    ids=["unknown", "name", "empty", "None", "list", "huge int"],
)
def test_sec_2_looking_an_actor_up_by_value_refuses_anything_but_a_value(value: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        Actor(value)
    assert (raised.value.field, raised.value.rule) == ("value", "SEC-2")
    assert isinstance(raised.value, ValueError)  # what enum look-ups raised before
    assert len(str(raised.value)) < 200


def test_sec_2_a_status_is_looked_up_by_its_value_only_not_its_label_or_name() -> None:
    assert Light("red") is Light.RED
    assert Light(Light.RED) is Light.RED  # type: ignore[arg-type]  # a member is its own value
    for value in ("赤", "RED", "blue"):
        with pytest.raises(ValidationError):
            Light(value)


def test_sec_2_chart_helpers_refuse_plain_strings() -> None:
    with pytest.raises(ValidationError) as raised:
        by("operator")  # type: ignore[arg-type]  # the point
    assert raised.value.field == "actor"
    with pytest.raises(ValidationError) as state:
        status_state("red")  # type: ignore[arg-type]
    assert state.value.field == "status"
    with pytest.raises(ValidationError):
        Transition(source=Light.RED, target=Light.GREEN, event="go", actor="operator")  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as target:
        Transition(source=Light.RED, target=ContractStatus.ACTIVE, event="go", actor=Actor.SYSTEM)
    assert target.value.field == "target"


def test_sec_2_compile_and_register_refuse_what_is_not_a_chart_or_a_lifecycle() -> None:
    with pytest.raises(ValidationError) as chart:
        Lifecycle.compile("light", "LightChart", Light)  # type: ignore[arg-type]
    assert chart.value.field == "chart"
    with pytest.raises(ValidationError) as status_type:
        Lifecycle.compile("light", LightChart, Actor)  # type: ignore[type-var]
    assert status_type.value.field == "status_type"
    with pytest.raises(ValidationError) as name:
        Lifecycle.compile("  ", LightChart, Light)
    assert name.value.field == "name"
    with pytest.raises(ValidationError):
        register("contract")  # type: ignore[arg-type]


def test_sec_2_a_lifecycle_built_by_hand_must_be_one_consistent_table() -> None:
    parts: dict[str, Any] = {
        "name": "light",
        "chart": LightChart,
        "status_type": Light,
        "initial": Light.RED,
        "transitions": LIGHT.transitions,
        "statuses": LIGHT.statuses,
        "final": LIGHT.final,
        "order": LIGHT.order,
        "table": LIGHT._table,
        "events": LIGHT._events,
    }
    assert Lifecycle(**parts) == LIGHT
    for field, value in [
        ("initial", ContractStatus.ACTIVE),
        ("final", frozenset({ContractStatus.PURGED})),
        ("order", LIGHT.order[:1]),
        ("table", {}),
        ("events", frozenset({"go"})),
    ]:
        with pytest.raises(ValidationError) as raised:
            Lifecycle(**{**parts, field: value})
        assert raised.value.field == field


@pytest.mark.parametrize(
    "name",
    ["no_such", "", ["contract"], None, "x" * 1_000_000],
    ids=["unknown", "empty", "list", "None", "1 MB"],
)
def test_sec_2_an_unknown_lifecycle_is_not_found_and_a_missing_key(name: Any) -> None:
    with pytest.raises(NotFound) as raised:
        LIFECYCLES[name]
    assert isinstance(raised.value, KeyError)
    assert str(raised.value).startswith("no lifecycle with id")
    assert len(str(raised.value)) < 200
    assert LIFECYCLES.get(name) is None
    assert name not in LIFECYCLES
