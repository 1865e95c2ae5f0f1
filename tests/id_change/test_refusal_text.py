"""IDC-10: a refused application names its rule once, in English as in Japanese.

A new-user trial found ``str(e)`` and ``e.explain("en")`` of an ``ApplicationRefused`` read
"IDC-3: IDC-3 (Google Workspace): …": the error put its rule before a decision's
explanation, which already starts with it.
"""

from __future__ import annotations

from typing import Any

import pytest

from omakase_core.id_change import ApplicationRefused, PlanCounts, Service, Target, Term
from omakase_core.id_change.model import REFUSED_REASONS
from tests.id_change.conftest import Desk, jst

NOON_20_MAY = jst(2026, 5, 20, 12, 0)
COUNTS = PlanCounts(plans={"E3": 5, "Business Basic": 0}, options={"Teams Phone": ("E3", 4)})
# Every reason decide refuses for: when, and the application that it refuses.
REFUSALS: dict[str, tuple[Any, dict[str, Any]]] = {
    "additions_only": (NOON_20_MAY, {"service": Service.EMM, "delta": -1}),
    "annual_reduction": (
        NOON_20_MAY,
        {"service": Service.LINE_WORKS, "delta": -1, "term": Term.ANNUAL},
    ),
    "count_missing": (NOON_20_MAY, {"current_count": None}),
    "count_below_one": (NOON_20_MAY, {"delta": -10, "current_count": 10}),
    "all_plans_zero": (
        NOON_20_MAY,
        {"service": Service.M365_PLANS, "delta": -5, "current_count": 5, "line": "E3"},
    ),
    "option_exceeds_plan": (
        NOON_20_MAY,
        {"service": Service.M365_PLANS, "delta": 2, "current_count": 4, "line": "Teams Phone"},
    ),
    "outside_hours": (
        jst(2026, 5, 20, 8, 0),
        {"service": Service.M365_PLANS, "target": Target.CURRENT_MONTH},
    ),
    "current_closed": (jst(2026, 5, 26, 9, 0), {"target": Target.CURRENT_MONTH}),
    "no_consent": (NOON_20_MAY, {"consented": False}),
}


def refused(at: Any, **kw: Any) -> ApplicationRefused:
    desk = Desk(at)
    if kw.get("service") is Service.M365_PLANS and "line" in kw:
        kw["counts"] = COUNTS
    with pytest.raises(ApplicationRefused) as raised:
        desk.submit(**kw)
    assert desk.snapshot() == (0, [])
    return raised.value


def test_idc_10_the_refusal_cases_cover_every_reason_decide_gives() -> None:
    assert set(REFUSALS) == REFUSED_REASONS


@pytest.mark.parametrize("reason", sorted(REFUSALS))
def test_idc_10_a_refused_application_names_its_rule_once(reason: str) -> None:
    at, kw = REFUSALS[reason]
    error = refused(at, **kw)
    decision = error.decision
    assert decision is not None
    assert decision.reason == reason
    assert str(error) == error.explain("en") == decision.explain("en")
    assert str(error).startswith(f"{error.rule} ({decision.service_label}): the ")
    assert str(error).count(f"{error.rule}") == 1
    assert error.explain("ja") == decision.explain("ja")
    assert error.explain("ja").count(f"{error.rule}") == 1


def test_idc_10_the_trials_case_reads_the_rule_once() -> None:
    """Google Workspace, 当月, 2026-05-26 09:00 JST: the 4th-last business day, 翌月 only."""
    error = refused(jst(2026, 5, 26, 9, 0), target=Target.CURRENT_MONTH)
    assert str(error) == (
        "IDC-3 (Google Workspace): the current-month application for +2 IDs submitted at "
        "Tue 26 May 2026 09:00 JST is refused: in the month's last 4 business days (from Tue "
        "26 May 2026 00:00 to Sun 31 May 2026 24:00 JST) only next-month applications are "
        "accepted."
    )


def test_idc_10_a_refusal_of_the_service_is_said_after_its_rule_once() -> None:
    """IDC-8 and IDC-9 refusals of the service itself are sentences the rule goes before."""
    desk = Desk(jst(2026, 5, 20, 10, 0))
    desk.submit("idc-1", target=Target.CURRENT_MONTH)
    desk.submit("idc-2", service=Service.M365_ADDONS)
    with pytest.raises(ApplicationRefused) as busy:
        desk.submit("idc-3")
    with pytest.raises(ApplicationRefused) as addons:
        desk.submit("idc-4", service=Service.M365_ADDONS)
    with pytest.raises(ApplicationRefused) as console:
        Desk(jst(2026, 5, 20, 10, 0)).submit("idc-5", delta=-1)
    errors = [busy.value, addons.value, console.value]
    assert [(e.rule, e.field) for e in errors] == [
        ("IDC-8", "service"),
        ("IDC-8", "service"),
        ("IDC-9", "console_count_confirmed"),
    ]
    for error in errors:
        assert str(error) == error.explain("en") == f"{error.rule}: {error.message}"
        assert str(error).count(str(error.rule)) == 1
