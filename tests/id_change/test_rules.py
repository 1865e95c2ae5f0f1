"""IDC-2 … IDC-7, IDC-9, IDC-10: the decision, from the policy and the calendar alone."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

import pytest

from omakase_core import NaiveDatetimeError, ValidationError
from omakase_core.calendar import JST, BusinessCalendar
from omakase_core.id_change import (
    POLICIES,
    CurrentTiming,
    NextTiming,
    Service,
    ServicePolicy,
    Target,
    Term,
    decide,
    month_windows,
    policies_markdown,
)

GW, M365, ADDONS, LW, EMM = (
    Service.GOOGLE_WORKSPACE,
    Service.M365_PLANS,
    Service.M365_ADDONS,
    Service.LINE_WORKS,
    Service.EMM,
)
CUR, NXT = Target.CURRENT_MONTH, Target.NEXT_MONTH


def jst(*args: int) -> datetime:
    return datetime(*args, tzinfo=JST)  # type: ignore[arg-type, misc]


def d(service: Service | ServicePolicy, target: Target, at: datetime, delta: int = 2, **kw: Any):  # type: ignore[no-untyped-def]
    kw.setdefault("consented", True)
    kw.setdefault("current_count", 10)
    return decide(service, target=target, submitted_at=at, delta=delta, **kw)


# -- IDC-3 Google Workspace: the seed's May 2026 example ---------------------------------------


def test_idc_3_current_month_applies_at_acceptance_and_cannot_be_withdrawn() -> None:
    decision = d(GW, CUR, jst(2026, 5, 20, 15, 0))
    assert (decision.accepted, decision.rule) == (True, "IDC-3")
    assert decision.applies_at == jst(2026, 5, 20, 15, 0)
    assert decision.withdrawable_until is None


def test_idc_3_from_the_4th_last_business_day_only_next_month() -> None:
    # May 2026: 5/26 (Tue) is the 4th-last business day; 5/31 (Sun) the last day.
    assert d(GW, CUR, jst(2026, 5, 25, 23, 59, 59)).accepted
    refused = d(GW, CUR, jst(2026, 5, 26, 0, 0))
    assert (refused.accepted, refused.rule, refused.reason) == (False, "IDC-3", "current_closed")
    assert refused.window_start == jst(2026, 5, 26)
    assert refused.window_end == jst(2026, 6, 1)
    assert not d(GW, CUR, jst(2026, 5, 31, 23, 59, 59)).accepted
    assert d(GW, CUR, jst(2026, 6, 1, 0, 0)).accepted
    assert d(GW, NXT, jst(2026, 5, 28, 10, 0)).accepted


def test_idc_3_next_month_applies_at_noon_on_the_1st_and_is_withdrawable_until_then() -> None:
    decision = d(GW, NXT, jst(2026, 5, 28, 10, 0))
    assert decision.applies_at == jst(2026, 6, 1, 12, 0)
    assert decision.withdrawable_until == jst(2026, 6, 1, 12, 0)


def test_idc_3_on_the_1st_before_noon_it_applies_at_noon() -> None:
    assert d(GW, CUR, jst(2026, 6, 1, 11, 59, 59)).applies_at == jst(2026, 6, 1, 12, 0)
    assert d(GW, CUR, jst(2026, 6, 1, 12, 0)).applies_at == jst(2026, 6, 1, 12, 0)
    assert d(GW, CUR, jst(2026, 6, 1, 12, 0, 1)).applies_at == jst(2026, 6, 1, 12, 0, 1)
    assert d(GW, CUR, jst(2026, 6, 1, 11, 59)).reason == "noon_on_first"


def test_idc_3_a_utc_instant_is_decided_in_jst() -> None:
    # 2026-05-25 15:00 UTC is 2026-05-26 00:00 JST: inside the closed window.
    assert not d(GW, CUR, datetime(2026, 5, 25, 15, 0, tzinfo=UTC)).accepted
    assert d(GW, CUR, datetime(2026, 5, 25, 14, 59, 59, tzinfo=UTC)).accepted


# -- IDC-4 Microsoft 365 plans and options -----------------------------------------------------


def test_idc_4_applications_are_accepted_09_00_to_23_29() -> None:
    assert not d(M365, CUR, jst(2026, 5, 20, 8, 59, 59)).accepted
    assert d(M365, CUR, jst(2026, 5, 20, 9, 0)).accepted
    assert d(M365, CUR, jst(2026, 5, 20, 23, 29, 59)).accepted
    refused = d(M365, CUR, jst(2026, 5, 20, 23, 30))
    assert (refused.accepted, refused.reason) == (False, "outside_hours")
    assert "9:00" in refused.explain("en") or "09:00" in refused.explain("en")


def test_idc_4_the_last_2_business_days_close_current_month_and_open_next_at_any_hour() -> None:
    # May 2026: 5/28 (Thu) is the 2nd-last business day.
    assert d(M365, CUR, jst(2026, 5, 27, 23, 0)).accepted
    assert not d(M365, CUR, jst(2026, 5, 28, 10, 0)).accepted
    assert not d(M365, NXT, jst(2026, 5, 27, 23, 45)).accepted
    assert d(M365, NXT, jst(2026, 5, 28, 3, 0)).accepted
    assert d(M365, NXT, jst(2026, 5, 31, 23, 59, 59)).accepted


def test_idc_4_on_the_1st_09_00_to_12_00_applies_at_noon() -> None:
    assert not d(M365, CUR, jst(2026, 6, 1, 8, 0)).accepted
    assert d(M365, CUR, jst(2026, 6, 1, 9, 0)).applies_at == jst(2026, 6, 1, 12, 0)


# -- IDC-5 Microsoft 365 add-ons ---------------------------------------------------------------


def test_idc_5_current_month_applies_within_5_business_days() -> None:
    decision = d(ADDONS, CUR, jst(2026, 5, 12, 10, 0))
    assert decision.applies_at is None
    assert decision.applies_by == jst(2026, 5, 20)  # 13, 14, 15, 18, 19 → end of 5/19
    assert decision.withdrawable_until == decision.applies_by


def test_idc_5_in_the_last_5_business_days_current_is_treated_as_next() -> None:
    # May 2026: the last 5 business days start on 5/25.
    assert d(ADDONS, CUR, jst(2026, 5, 22, 23, 59, 59)).target is CUR
    rolled = d(ADDONS, CUR, jst(2026, 5, 25, 0, 0))
    assert (rolled.accepted, rolled.target, rolled.reason) == (True, NXT, "rolled_over")
    assert rolled.applies_by == jst(2026, 6, 6)  # first 5 business days of June: 1 … 5


def test_idc_5_next_month_applies_within_the_first_5_business_days() -> None:
    assert d(ADDONS, NXT, jst(2026, 4, 20, 10, 0)).applies_by == jst(2026, 5, 13)  # 1,7,8,11,12


def test_idc_5_withdrawable_only_when_submitted_alone() -> None:
    assert d(ADDONS, CUR, jst(2026, 5, 12), submitted_alone=False).withdrawable_until is None


# -- IDC-6 LINE WORKS --------------------------------------------------------------------------


def test_idc_6_as_google_workspace_with_the_last_2_business_days() -> None:
    assert d(LW, CUR, jst(2026, 5, 27, 23, 59, 59)).accepted
    refused = d(LW, CUR, jst(2026, 5, 28, 0, 0))
    assert (refused.accepted, refused.rule) == (False, "IDC-6")


def test_idc_6_annual_contracts_accept_additions_only() -> None:
    refused = d(LW, NXT, jst(2026, 5, 12), delta=-1, term=Term.ANNUAL)
    assert (refused.accepted, refused.rule, refused.reason) == (False, "IDC-6", "annual_reduction")
    assert "renewal" in refused.explain("en")
    assert d(LW, NXT, jst(2026, 5, 12), delta=1, term=Term.ANNUAL).accepted


# -- IDC-7 EMM ---------------------------------------------------------------------------------


def test_idc_7_additions_only() -> None:
    refused = d(EMM, CUR, jst(2026, 5, 12), delta=-1)
    assert (refused.accepted, refused.rule, refused.reason) == (False, "IDC-7", "additions_only")


def test_idc_7_before_noon_on_a_business_day_is_accepted_that_day() -> None:
    morning = d(EMM, CUR, jst(2026, 4, 1, 11, 59, 59))
    afternoon = d(EMM, CUR, jst(2026, 4, 1, 12, 0))
    # 11 business days after 4/1 end on 4/16; after 4/2, on 4/17.
    assert morning.applies_by == jst(2026, 4, 17)
    assert afternoon.applies_by == jst(2026, 4, 18)


def test_idc_7_a_weekend_submission_is_accepted_the_next_business_day() -> None:
    assert (
        d(EMM, CUR, jst(2026, 4, 4, 9, 0)).applies_by == d(EMM, CUR, jst(2026, 4, 6, 9)).applies_by
    )


def test_idc_7_an_acceptance_day_in_the_last_11_business_days_is_treated_as_next() -> None:
    assert d(EMM, CUR, jst(2026, 5, 14, 11, 0)).target is CUR
    assert d(EMM, CUR, jst(2026, 5, 14, 13, 0)).target is NXT  # accepted on 5/15, the 11th-last


# -- IDC-9 -------------------------------------------------------------------------------------


def test_idc_9_the_resulting_count_is_never_below_one() -> None:
    refused = d(GW, CUR, jst(2026, 5, 12), delta=-5, current_count=5)
    assert (refused.accepted, refused.rule) == (False, "IDC-9")
    assert d(GW, CUR, jst(2026, 5, 12), delta=-4, current_count=5).accepted


def test_idc_9_annual_reductions_are_refused_for_every_service() -> None:
    for service in (GW, M365, ADDONS):
        refused = d(service, NXT, jst(2026, 5, 12, 10), delta=-1, term=Term.ANNUAL)
        assert (refused.accepted, refused.rule) == (False, "IDC-9")


# -- IDC-2: malformed input raises -------------------------------------------------------------


@pytest.mark.parametrize("delta", [0, 1.5, True, "2", None])
def test_idc_2_delta_must_be_a_non_zero_integer(delta: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        d(GW, CUR, jst(2026, 5, 12), delta=delta)
    assert raised.value.field == "delta"


def test_idc_2_a_naive_instant_and_an_unknown_service_raise() -> None:
    with pytest.raises(NaiveDatetimeError):
        d(GW, CUR, datetime(2026, 5, 12, 10, 0))  # noqa: DTZ001  # the point of the test
    with pytest.raises(ValidationError) as raised:
        d("google", CUR, jst(2026, 5, 12))  # type: ignore[arg-type]
    assert raised.value.field == "service"
    with pytest.raises(ValidationError):
        d(GW, "当月", jst(2026, 5, 12))  # type: ignore[arg-type]


# -- IDC-1: a sixth service is a value ---------------------------------------------------------


def test_idc_1_a_custom_policy_is_decided_without_new_code() -> None:
    kintone = ServicePolicy(
        service="kintone",
        label="kintone",
        rule="IDC-1",
        hours=(time(10, 0), time(18, 0)),
        current_closed_in_last=3,
        next_timing=NextTiming.FIRST_BUSINESS_DAYS,
        next_business_days=2,
        current_timing=CurrentTiming.WITHIN_BUSINESS_DAYS,
        current_business_days=1,
    )
    assert not d(kintone, CUR, jst(2026, 5, 20, 9, 59)).accepted
    assert d(kintone, CUR, jst(2026, 5, 20, 10, 0)).applies_by == jst(2026, 5, 22)
    assert not d(kintone, CUR, jst(2026, 5, 27, 10, 0)).accepted  # last 3 business days
    assert d(kintone, NXT, jst(2026, 5, 27, 10, 0)).applies_by == jst(2026, 6, 3)
    assert kintone not in POLICIES.values()


def test_idc_1_a_policy_with_inconsistent_timing_is_refused() -> None:
    with pytest.raises(ValidationError, match="current_business_days"):
        ServicePolicy(service="x", label="x", rule="IDC-1", current_business_days=3)


# -- across holidays and year end --------------------------------------------------------------


def test_idc_3_golden_week_and_year_end_windows_follow_the_calendar() -> None:
    # April 2026's last 4 business days: 4/24, 4/27, 4/28, 4/30 (4/29 is 昭和の日).
    assert d(GW, CUR, jst(2026, 4, 23, 23, 59, 59)).accepted
    assert not d(GW, CUR, jst(2026, 4, 24, 0, 0)).accepted
    closed = BusinessCalendar.japan(year_end_closure=True)
    # December 2026 with 年末年始: last 4 business days are 12/23, 24, 25, 28.
    assert not d(GW, CUR, jst(2026, 12, 23, 9, 0), calendar=closed).accepted
    assert d(GW, CUR, jst(2026, 12, 23, 9, 0)).accepted  # national calendar: 12/25 … 12/30


def test_idc_10_every_decision_explains_itself() -> None:
    refused = d(GW, CUR, jst(2026, 5, 26, 10, 0))
    ja = refused.explain("ja")
    assert ja.startswith("IDC-3（Google Workspace）")
    assert "当月最終4営業日（2026年5月26日(火) 0:00～2026年5月31日(日) 24:00）" in ja
    accepted = d(GW, NXT, jst(2026, 5, 26, 10, 0))
    assert "2026年6月1日(月) 12:00 に適用されます" in accepted.explain("ja")
    assert "It applies at Mon 1 Jun 2026 12:00 JST" in accepted.explain("en")
    with pytest.raises(ValidationError):
        accepted.explain("de")


def test_idc_7_a_current_month_application_accepted_next_month_counts_as_next() -> None:
    # Fri 5/29 is May's last business day; at 13:00 the acceptance day is Mon 6/1.
    decision = d(EMM, CUR, jst(2026, 5, 29, 13, 0))
    assert (decision.target, decision.reason) == (NXT, "rolled_over")
    assert decision.applies_by == d(EMM, NXT, jst(2026, 5, 29, 13, 0)).applies_by
    assert decision.applies_by == jst(2026, 6, 16)  # June's first 11 business days


# -- SEC-2: no fail-open values ----------------------------------------------------------------


@pytest.mark.parametrize(
    "service", ["google_workspace", "Google Workspace", None, Target.NEXT_MONTH, 3, ["emm"]]
)
def test_sec_2_decide_and_the_month_view_refuse_anything_but_a_service_or_a_policy(
    service: Any,
) -> None:
    with pytest.raises(ValidationError) as raised:
        d(service, NXT, jst(2026, 5, 12))
    assert (raised.value.field, raised.value.rule) == ("service", "SEC-2")
    with pytest.raises(ValidationError) as raised:
        month_windows(service, 2026, 5)
    assert raised.value.field == "service"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("target", "current_month"),
        ("target", "当月"),
        ("target", None),
        ("target", Term.MONTHLY),
        ("term", "annual"),
        ("term", None),
        ("term", Target.NEXT_MONTH),
        ("submitted_alone", "yes"),
        ("submitted_alone", None),
        ("calendar", "japan"),
    ],
)
def test_sec_2_decide_refuses_a_string_a_label_none_or_a_foreign_member(
    field: str, value: object
) -> None:
    arguments: dict[str, Any] = {"target": NXT, field: value}
    with pytest.raises(ValidationError) as raised:
        decide(GW, submitted_at=jst(2026, 5, 12), delta=1, **arguments)
    assert raised.value.field == field


@pytest.mark.parametrize("target", ["翌月", "next_month", None, Term.ANNUAL])
def test_sec_2_a_day_of_the_month_view_refuses_a_target_it_does_not_know(target: Any) -> None:
    day = month_windows(GW, 2026, 5)[0]
    with pytest.raises(ValidationError) as raised:
        day.open_for(target)
    assert raised.value.field == "target"


@pytest.mark.parametrize("lang", ["de", None, ["ja"], "x" * 1_000_000])
def test_sec_2_an_explanation_is_in_japanese_or_english_only(lang: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        d(GW, NXT, jst(2026, 5, 12)).explain(lang)
    assert raised.value.field == "lang"
    assert len(str(raised.value)) < 150


@pytest.mark.parametrize("calendar", ["japan", 1, object()])
def test_sec_2_the_month_view_refuses_what_is_not_a_calendar(calendar: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        month_windows(GW, 2026, 5, calendar=calendar)
    assert raised.value.field == "calendar"


@pytest.mark.parametrize(
    ("delta", "count"), [(10**30, None), (-(10**30), None), (1, 10**30), (1, -1)]
)
def test_idc_2_counts_beyond_any_portal_form_are_malformed(delta: int, count: int | None) -> None:
    with pytest.raises(ValidationError) as raised:
        d(GW, NXT, jst(2026, 5, 12), delta=delta, current_count=count)
    assert raised.value.field == ("delta" if count is None else "current_count")
    assert len(str(raised.value)) < 200


@pytest.mark.parametrize("policies", ["policies", 3, {Service.EMM: "emm"}])
def test_sec_2_the_policy_table_refuses_what_is_not_a_mapping_of_policies(policies: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        policies_markdown(policies)
    assert raised.value.field == "policies"


def test_idc_1_the_policy_table_of_no_policies_is_its_header() -> None:
    assert len(policies_markdown({}).splitlines()) == 2
