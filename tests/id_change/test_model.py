"""IDC-1, SEC-2: a service policy is data, and every field of it is checked when it is built."""

from __future__ import annotations

from datetime import UTC, time
from typing import Any

import pytest

from omakase_core.errors import ValidationError
from omakase_core.id_change import (
    POLICIES,
    CurrentTiming,
    NextTiming,
    Service,
    ServicePolicy,
    Target,
)

BASE: dict[str, Any] = {"service": "kintone", "label": "kintone", "rule": "IDC-1"}


def test_sec_2_a_number_of_business_days_given_as_text_names_its_field() -> None:
    """Issue 9's known case: ``current_closed_in_last="3"`` used to escape as a TypeError."""
    with pytest.raises(ValidationError) as raised:
        ServicePolicy(**BASE, current_closed_in_last="3")  # type: ignore[arg-type]
    assert raised.value.field == "current_closed_in_last"


@pytest.mark.parametrize(
    "field",
    [
        "current_closed_in_last",
        "current_rolls_over_in_last",
        "next_any_hour_in_last",
        "blocks_new_for_business_days",
    ],
)
@pytest.mark.parametrize("value", ["3", 3.0, True, 0, -1, 10**9, float("nan")])
def test_sec_2_every_count_of_a_policy_is_a_real_int_in_range(field: str, value: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        ServicePolicy(**BASE, **{field: value})
    assert raised.value.field == field


@pytest.mark.parametrize(
    ("field", "timing"),
    [
        ("current_business_days", {"current_timing": CurrentTiming.WITHIN_BUSINESS_DAYS}),
        ("next_business_days", {"next_timing": NextTiming.FIRST_BUSINESS_DAYS}),
    ],
)
@pytest.mark.parametrize("value", ["5", 5.0, False, 0, 61])
def test_sec_2_the_business_days_of_a_timing_are_a_real_int_in_range(
    field: str, timing: dict[str, Any], value: Any
) -> None:
    with pytest.raises(ValidationError) as raised:
        ServicePolicy(**BASE, **timing, **{field: value})
    assert raised.value.field == field


@pytest.mark.parametrize(
    "field",
    [
        "noon_on_first",
        "current_withdrawable",
        "next_withdrawable",
        "withdrawable_only_when_alone",
        "additions_only",
        "reduction_needs_console_check",
    ],
)
@pytest.mark.parametrize("value", [1, 0, "yes", None])
def test_sec_2_every_flag_of_a_policy_is_a_real_bool(field: str, value: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        ServicePolicy(**BASE, **{field: value})
    assert raised.value.field == field


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("current_timing", "at_acceptance"),
        ("current_timing", None),
        ("current_timing", NextTiming.NOON_ON_FIRST),
        ("next_timing", "noon_on_first"),
        ("next_timing", Target.NEXT_MONTH),
    ],
)
def test_sec_2_a_timing_is_a_member_of_its_enum(field: str, value: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        ServicePolicy(**BASE, **{field: value})
    assert raised.value.field == field


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("service", None),
        ("service", ""),
        ("label", 3),
        ("rule", "   "),
        ("annual_rule", None),
        ("label", "x" * 1_000_000),
    ],
)
def test_sec_2_the_names_of_a_policy_are_short_text(field: str, value: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        ServicePolicy(**{**BASE, field: value})
    assert raised.value.field == field
    assert len(str(raised.value)) < 200


@pytest.mark.parametrize(
    "hours",
    [
        "09:00-23:30",
        (time(9),),
        (time(9), time(23, 30), time(23, 45)),
        [time(9), time(23, 30)],
        (time(23, 30), time(9)),
        (time(9, tzinfo=UTC), time(23, 30)),
        ("09:00", "23:30"),
    ],
)
def test_sec_2_acceptance_hours_are_two_naive_times_in_order(hours: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        ServicePolicy(**BASE, hours=hours)
    assert raised.value.field == "hours"


@pytest.mark.parametrize("cutoff", ["12:00", 12, time(12, tzinfo=UTC)])
def test_sec_2_an_acceptance_cutoff_is_a_naive_time(cutoff: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        ServicePolicy(**BASE, acceptance_cutoff=cutoff)
    assert raised.value.field == "acceptance_cutoff"


def test_idc_1_the_five_services_each_have_a_policy() -> None:
    assert set(POLICIES) == set(Service)
    assert [policy.service for policy in POLICIES.values()] == [s.value for s in Service]
