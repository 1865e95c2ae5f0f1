"""IDC-2 consent and IDC-9 counts (issue 14): never a skipped guard, one count per M365 plan."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omakase_core.errors import ValidationError
from omakase_core.id_change import (
    ApplicationRefused,
    PlanCounts,
    Service,
    Target,
    decide,
)
from tests.id_change.conftest import ADMIN, Desk, jst

COUNT_VALUES = st.integers(min_value=0, max_value=10)
AT = jst(2026, 5, 12, 10, 0)  # a Tuesday morning: every service accepts both targets
M365 = Service.M365_PLANS


def _decide(**kw: Any) -> Any:
    values: dict[str, Any] = {
        "target": Target.NEXT_MONTH,
        "submitted_at": AT,
        "delta": 2,
        "current_count": 10,
        "consented": True,
    }
    values.update(kw)
    service = values.pop("service", Service.GOOGLE_WORKSPACE)
    return decide(service, **values)


def _bare_submit(desk: Desk, **kw: Any) -> Any:
    """Submit with only what the caller passes beyond the form's basics."""
    return desk.service.submit(
        "idc-1",
        by=ADMIN,
        contact_email="admin@example.co.jp",
        service=Service.GOOGLE_WORKSPACE,
        target=Target.NEXT_MONTH,
        delta=2,
        **kw,
    )


# -- IDC-2: consent to the terms ---------------------------------------------------------------


def test_idc_2_decide_refuses_an_application_without_consent_naming_idc_2() -> None:
    refused = _decide(consented=False)
    assert (refused.accepted, refused.rule, refused.reason) == (False, "IDC-2", "no_consent")
    assert "利用規約" in refused.explain("ja")
    assert "terms" in refused.explain("en")
    assert _decide(consented=True).accepted


def test_idc_2_decide_refuses_when_consent_is_omitted() -> None:
    values: dict[str, Any] = {"target": Target.NEXT_MONTH, "submitted_at": AT, "delta": 2}
    refused = decide(Service.GOOGLE_WORKSPACE, current_count=10, **values)
    assert (refused.accepted, refused.rule) == (False, "IDC-2")


@pytest.mark.parametrize("bad", ["yes", 1, None, 0.0])
def test_idc_2_consented_takes_a_bool_and_nothing_else(bad: object) -> None:
    with pytest.raises(ValidationError) as raised:
        _decide(consented=bad)
    assert raised.value.field == "consented"


def test_idc_2_the_service_refuses_without_consent_and_changes_nothing() -> None:
    desk = Desk(AT)
    before = desk.state()
    with pytest.raises(ApplicationRefused) as raised:
        _bare_submit(desk, current_count=10)
    assert (raised.value.rule, raised.value.field) == ("IDC-2", "consented")
    with pytest.raises(ApplicationRefused):
        _bare_submit(desk, current_count=10, consented=False)
    assert desk.state() == before
    assert _bare_submit(desk, current_count=10, consented=True).decision.accepted


# -- IDC-9: the current count is part of every application -------------------------------------


def test_idc_9_decide_refuses_when_the_current_count_is_omitted() -> None:
    values: dict[str, Any] = {"target": Target.NEXT_MONTH, "submitted_at": AT, "delta": -3}
    refused = decide(Service.GOOGLE_WORKSPACE, consented=True, **values)
    assert (refused.accepted, refused.rule, refused.reason) == (False, "IDC-9", "count_missing")


def test_idc_9_the_service_refuses_without_the_current_count_and_changes_nothing() -> None:
    desk = Desk(AT)
    before = desk.state()
    with pytest.raises(ApplicationRefused) as raised:
        _bare_submit(desk, consented=True)
    assert (raised.value.rule, raised.value.field) == ("IDC-9", "current_count")
    assert desk.state() == before


def test_idc_9_the_never_zero_guard_holds_for_a_single_count_service() -> None:
    refused = _decide(delta=-10, current_count=10)
    assert (refused.accepted, refused.rule, refused.reason) == (False, "IDC-9", "count_below_one")
    assert _decide(delta=-9, current_count=10).accepted


# -- IDC-9: Microsoft 365 counts per plan and per option ---------------------------------------

COUNTS = PlanCounts(
    plans={"E3": 5, "Business Basic": 3},
    options={"Teams Phone": ("E3", 4)},
)


def test_idc_9_a_reduction_may_bring_one_m365_plan_to_zero_while_another_remains() -> None:
    decision = _decide(
        service=M365, delta=-3, current_count=3, line="Business Basic", counts=COUNTS
    )
    assert (decision.accepted, decision.rule) == (True, "IDC-4")


def test_idc_9_not_every_m365_plan_may_go_to_zero() -> None:
    only = PlanCounts(plans={"E3": 5, "Business Basic": 0})
    refused = _decide(service=M365, delta=-5, current_count=5, line="E3", counts=only)
    assert (refused.accepted, refused.rule, refused.reason) == (False, "IDC-9", "all_plans_zero")
    assert "0" in refused.explain("ja")


def test_idc_9_a_plan_never_goes_below_zero() -> None:
    refused = _decide(service=M365, delta=-4, current_count=3, line="Business Basic", counts=COUNTS)
    assert (refused.accepted, refused.reason) == (False, "count_below_one")


def test_idc_9_an_option_never_exceeds_its_plan() -> None:
    refused = _decide(service=M365, delta=2, current_count=4, line="Teams Phone", counts=COUNTS)
    assert (refused.accepted, refused.rule, refused.reason) == (
        False,
        "IDC-9",
        "option_exceeds_plan",
    )
    assert _decide(
        service=M365, delta=1, current_count=4, line="Teams Phone", counts=COUNTS
    ).accepted


def test_idc_9_a_plan_reduction_below_its_options_is_refused() -> None:
    refused = _decide(service=M365, delta=-2, current_count=5, line="E3", counts=COUNTS)
    assert (refused.accepted, refused.reason) == (False, "option_exceeds_plan")
    assert _decide(service=M365, delta=-1, current_count=5, line="E3", counts=COUNTS).accepted


def test_idc_9_an_option_may_be_reduced_to_zero() -> None:
    decision = _decide(service=M365, delta=-4, current_count=4, line="Teams Phone", counts=COUNTS)
    assert decision.accepted


def test_idc_9_a_plan_not_yet_contracted_is_added_from_zero() -> None:
    decision = _decide(service=M365, delta=2, current_count=0, line="E5", counts=COUNTS)
    assert decision.accepted


def test_idc_9_the_current_count_is_the_lines_count_in_the_counts() -> None:
    with pytest.raises(ValidationError) as raised:
        _decide(service=M365, delta=-1, current_count=9, line="E3", counts=COUNTS)
    assert raised.value.field == "current_count"


def test_idc_9_counts_per_plan_go_with_a_line_and_a_service_that_holds_them() -> None:
    with pytest.raises(ValidationError) as raised:
        _decide(service=M365, delta=-1, current_count=5, counts=COUNTS)
    assert raised.value.field == "line"
    with pytest.raises(ValidationError) as raised:
        _decide(delta=-1, current_count=5, line="E3", counts=COUNTS)
    assert raised.value.field == "counts"


@pytest.mark.parametrize(
    ("plans", "options"),
    [
        ({}, {}),
        ({"E3": -1}, {}),
        ({"E3": "5"}, {}),
        ({"E3": 5}, {"Teams Phone": ("E5", 1)}),
        ({"E3": 5}, {"Teams Phone": ("E3", 6)}),
        ({"E3": 5}, {"E3": ("E3", 1)}),
        ("E3", {}),
    ],
)
def test_idc_9_plan_counts_refuse_what_no_contract_holds(plans: Any, options: Any) -> None:
    with pytest.raises(ValidationError):
        PlanCounts(plans=plans, options=options)


def test_idc_9_the_service_takes_the_line_and_counts_per_plan() -> None:
    desk = Desk(AT)
    before = desk.state()
    only = PlanCounts(plans={"E3": 5})
    with pytest.raises(ApplicationRefused) as raised:
        desk.submit(service=M365, delta=-5, current_count=5, line="E3", counts=only, consented=True)
    assert (raised.value.rule, raised.value.field) == ("IDC-9", "delta")
    assert desk.state() == before
    desk.submit(service=M365, delta=-3, current_count=3, line="Business Basic", counts=COUNTS)


# -- IDC-9 over random contracts (Hypothesis) --------------------------------------------------


@st.composite
def contracts(draw: st.DrawFn) -> PlanCounts:
    plans = draw(st.dictionaries(st.sampled_from(["E3", "E5", "Basic"]), COUNT_VALUES, min_size=1))
    options = {
        name: (plan, draw(st.integers(min_value=0, max_value=plans[plan])))
        for name, plan in draw(
            st.dictionaries(st.sampled_from(["Phone", "Copilot"]), st.sampled_from(sorted(plans)))
        ).items()
    }
    return PlanCounts(plans=plans, options=options)


@given(
    counts=contracts(),
    line=st.sampled_from(["E3", "E5", "Basic", "Phone", "Copilot", "F1"]),
    delta=st.integers(min_value=-12, max_value=12).filter(bool),
)
def test_idc_9_a_change_is_accepted_exactly_when_the_counts_it_leaves_are_valid(
    counts: PlanCounts, line: str, delta: int
) -> None:
    """An independent model: no line below 0, some plan above 0, options within plans."""
    if line not in counts.plans and line not in counts.options and line in {"Phone", "Copilot"}:
        return  # an option not yet contracted names no plan: not an application the form makes
    plans = dict(counts.plans)
    options = dict(counts.options)
    if line in options:
        plan, count = options[line]
        options[line] = (plan, count + delta)
    else:
        plans[line] = plans.get(line, 0) + delta
    valid = (
        all(count >= 0 for count in plans.values())
        and all(count >= 0 for _, count in options.values())
        and any(count > 0 for count in plans.values())
        and all(count <= plans[plan] for plan, count in options.values())
    )
    decision = _decide(
        service=M365, delta=delta, current_count=counts.count_of(line), line=line, counts=counts
    )
    assert decision.accepted == valid
    assert decision.accepted or decision.rule == "IDC-9"
