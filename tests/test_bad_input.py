"""SEC-2: the generated bad-input test over the whole public API (issue 9 §2).

Every public callable of the library (every name in ``omakase_core.__all__`` and in each
public module's ``__all__``: functions, constructors, class methods and public methods) has
a VALID example call in :mod:`tests.bad_input`. Each parameter in turn is replaced by every
value of its annotation's family of bad values (naive and far-out-of-range instants, dates
where instants belong, ``None``, wrong types, ``bool`` for ``int``, numbers as text, NaN
and infinity, negative, zero and huge numbers, full-width and non-ASCII digits, empty,
blank, control-character and 1 MB text, plain strings and labels for enums, unhashable
values). SEC-2 holds when:

- only ``OmakaseError`` subclasses escape — never a raw ``TypeError``, ``KeyError``,
  ``AttributeError``, ``OverflowError``, ``RecursionError`` or ``JSONDecodeError``;
- nothing that must be refused is silently accepted;
- no error message shows more than about 80 characters of the input;
- an error's ``field`` names the public parameter.

The completeness test fails when a public callable has no case, so nothing is skipped
silently; what takes input but is not fed bad values is listed, each with its reason, in
``tests.bad_input.registry.EXEMPT``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from omakase_core import (
    Actor,
    CalendarRangeError,
    InvalidTransition,
    Lifecycle,
    OmakaseError,
    ValidationError,
)
from omakase_core.testing import FixedClock, event_sequences
from tests.bad_input import registry
from tests.bad_input.core import PROBE, T0, Probe
from tests.bad_input.spec import Case, Feeding, check, feedings, invoke, may, refuse, target_key
from tests.bad_input.values import INT, MEGABYTE, TEXT

CASES = registry.cases()
FEEDINGS = [feeding for case in CASES for feeding in feedings(case)]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_sec_2_every_baseline_is_a_valid_call(case: Case) -> None:
    """A baseline that fails would make every refusal of its bad values meaningless."""
    invoke(case, case.args)


@pytest.mark.parametrize("feeding", FEEDINGS, ids=[feeding.id for feeding in FEEDINGS])
def test_sec_2_bad_input_is_refused_cleanly(feeding: Feeding) -> None:
    problems = check(feeding)
    assert problems == [], f"{feeding.id}:\n  " + "\n  ".join(problems)


def test_sec_2_every_public_callable_has_a_valid_call_in_the_table() -> None:
    covered = {case.key for case in CASES}
    missing = sorted(name for key, name in registry.required().items() if key not in covered)
    assert missing == [], (
        "public callables without a case in tests/bad_input (add one, see registry.py): "
        + ", ".join(missing)
    )


def test_sec_2_every_case_names_a_public_callable() -> None:
    everything = registry.required()
    unknown = sorted(case.id for case in CASES if case.key not in everything)
    assert unknown == [], f"cases of no public callable: {unknown}"


def test_sec_2_every_exempt_name_still_exists_and_every_module_declares_its_surface() -> None:
    assert registry.stale_exempt() == []
    assert registry.modules_without_all() == []


# -- the harness catches what it is meant to catch (a test that cannot fail proves nothing) --


def _planted(n: int) -> int:
    return {1: 2}[n]


def _lenient(n: int) -> int:
    return n * 0


def _echoing(text: str) -> str:
    if text != "ok":
        msg = f"text {text!r} is not ok"
        raise ValidationError(msg, field="text")
    return text


def _misnamed(text: str) -> str:
    if text != "ok":
        raise ValidationError("refused", field="start")
    return text


def _problems(case: Case) -> list[str]:
    return [problem for feeding in feedings(case) for problem in check(feeding)]


def test_the_harness_reports_a_raw_error_escaping() -> None:
    problems = _problems(Case(_planted, {"n": 1}, {"n": may(*(b.label for b in INT))}))
    assert any("raw KeyError escaped" in problem for problem in problems)
    assert any("raw TypeError escaped" in problem for problem in problems)  # unhashable


def test_the_harness_reports_a_bad_value_silently_accepted() -> None:
    problems = _problems(Case(_lenient, {"n": 1}))
    assert "True for int: silently accepted (0)" in problems
    assert "str for int: silently accepted ('')" in problems
    assert any(problem.startswith("None: raw TypeError escaped") for problem in problems)


def test_the_harness_reports_an_echo_of_the_input() -> None:
    problems = _problems(Case(_echoing, {"text": "ok"}, {"text": refuse("1 MB")}))
    assert "1 MB: the message echoes more than 80 characters of the input" in problems
    assert _echoing("ok") == "ok"
    assert len(MEGABYTE) == 1_000_000


def test_the_harness_reports_a_field_that_is_not_the_parameter() -> None:
    labels = [b.label for b in TEXT]
    problems = _problems(Case(_misnamed, {"text": "ok"}, {"text": refuse(*labels)}))
    assert any("names field 'start', not the parameter 'text'" in problem for problem in problems)


def test_the_harness_passes_a_function_that_refuses_cleanly() -> None:
    def strict(n: int) -> int:
        if type(n) is not int or n < 0:
            raise ValidationError(
                f"n must be a non-negative int, not {type(n).__name__}", field="n"
            )
        return n

    assert _problems(Case(strict, {"n": 1})) == []


def test_the_completeness_walk_sees_a_public_callable_without_a_case(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from omakase_core import events  # noqa: PLC0415

    def uncovered(value: Any) -> None:  # a new public function nobody wrote a case for
        raise OmakaseError(str(value))

    uncovered.__module__ = events.__name__
    monkeypatch.setattr(events, "uncovered", uncovered, raising=False)
    monkeypatch.setattr(events, "__all__", [*events.__all__, "uncovered"])
    assert target_key(uncovered) in registry.required()


def test_the_harness_catches_the_strenum_fail_open_of_the_old_fire() -> None:
    """SEC-2: before issue 9, ``fire`` looked ``"operator"`` up as if it were the member."""

    def old_fire(source: Any, event: Any, *, actor: Any) -> Any:
        by_actor = PROBE._table.get((source, event))
        if by_actor is not None and actor in by_actor:
            return by_actor[actor]
        raise InvalidTransition("refused", state="s", event="e", lifecycle="probe")

    case = Case(
        (Lifecycle, "fire"),
        {"source": Probe.OPEN, "event": "close", "actor": Actor.OPERATOR},
        instance=lambda: PROBE,
        call=old_fire,
    )
    actor_problems = check(next(f for f in feedings(case) if f.parameter == "actor"))
    assert any(
        problem.startswith("the baseline member's plain value: silently accepted")
        for problem in actor_problems
    )
    assert any("raw TypeError escaped" in problem for problem in actor_problems)  # unhashable


# -- the shipped test helpers refuse bad input too (SEC-2) ------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"days": -1}, "days"),
        ({"hours": float("nan")}, "hours"),
        ({"minutes": "5"}, "minutes"),
        ({"seconds": True}, "seconds"),
        ({"delta": 60}, "delta"),
    ],
)
def test_sec_2_a_fixed_clock_moves_forward_by_finite_numbers_only(
    kwargs: dict[str, Any], field: str
) -> None:
    clock = FixedClock(T0)
    with pytest.raises(ValidationError) as raised:
        clock.advance(**kwargs)
    assert raised.value.field == field
    assert clock.now() == T0  # a refused step moves nothing


def test_sec_2_a_fixed_clock_refuses_a_step_past_the_last_instant() -> None:
    clock = FixedClock(T0)
    with pytest.raises(ValidationError):
        clock.advance(days=10**5000)  # no float holds it
    with pytest.raises(CalendarRangeError):
        clock.advance(days=1e300)
    with pytest.raises(CalendarRangeError):
        clock.advance(timedelta.max)
    assert clock.now() == T0


def test_sec_2_the_lifecycle_strategies_refuse_what_is_not_a_lifecycle() -> None:
    with pytest.raises(ValidationError) as raised:
        event_sequences("contract")  # type: ignore[arg-type]  # the point
    assert raised.value.field == "lifecycle"
    with pytest.raises(ValidationError) as size:
        event_sequences(PROBE, max_size=-1)
    assert size.value.field == "max_size"
