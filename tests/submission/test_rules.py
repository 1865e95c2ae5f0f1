"""SUB-3(c), SUB-7, SUB-9, SUB-11 … SUB-13: the pure rules of Connecure applications."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omakase_core import ValidationError
from omakase_core.calendar import JST, BusinessCalendar
from omakase_core.submission import (
    ASP,
    Menu,
    SiteName,
    check_asp_selection,
    earliest_site_survey,
    entry_request_due,
    first_billing_month,
    monthly_asp_option_fee,
    parameter_sheet_filename,
    portal_account_expired,
    portal_account_expires_at,
    validate_site_name,
)
from tests.strategies import INNER_DAYS

JAPAN = BusinessCalendar.japan()


# -- SUB-3(c): file names ------------------------------------------------------------------


def test_sub_3c_the_sheet_name_gets_the_date_and_site_prefix() -> None:
    name = parameter_sheet_filename(
        "パラメータシート.xlsx",
        uploaded_at=datetime(2026, 11, 22, 9, 0, tzinfo=JST),
        company_abbrev="NTTデータ",
        location="豊洲",
    )
    assert name == "20261122_NTTデータ(豊洲)パラメータシート.xlsx"


def test_sub_3c_the_date_is_the_jst_upload_date() -> None:
    late_utc = datetime(2026, 11, 21, 16, 0, tzinfo=UTC)  # 11-22 01:00 JST
    name = parameter_sheet_filename(
        "sheet.xlsx", uploaded_at=late_utc, company_abbrev="ACME", location="Tokyo"
    )
    assert name.startswith("20261122_ACME(Tokyo)")


@pytest.mark.parametrize("original", ["", " sheet.xlsx", "dir/sheet.xlsx", "a\\b.xlsx"])
def test_sub_3c_the_original_must_be_a_bare_file_name(original: str) -> None:
    with pytest.raises(ValidationError) as raised:
        parameter_sheet_filename(
            original,
            uploaded_at=datetime(2026, 11, 22, tzinfo=JST),
            company_abbrev="A",
            location="B",
        )
    assert raised.value.field == "original"


# -- SUB-7: site names ------------------------------------------------------------------------


def test_sub_7_a_japanese_site_name_is_accepted() -> None:
    validate_site_name("NTTデータ", "豊洲")
    assert str(SiteName(company_abbrev="NTTデータ", location="豊洲")) == "NTTデータ(豊洲)"


@pytest.mark.parametrize(
    ("abbrev", "location", "field"),
    [
        ("ＮＴＴデータ", "豊洲", "company_abbrev"),  # full-width letters
        ("NTTデータ", "豊洲１", "location"),  # full-width digit
        ("NTTデータ！", "豊洲", "company_abbrev"),  # full-width symbol
        ("A" * 13, "豊洲", "company_abbrev"),
        ("NTT", "あ" * 13, "location"),
        ("", "豊洲", "company_abbrev"),
        ("NTT", " ", "location"),
    ],
)
def test_sub_7_each_part_is_short_and_half_width(abbrev: str, location: str, field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        validate_site_name(abbrev, location)
    assert raised.value.field == field
    assert raised.value.rule == "SUB-7"


def test_sub_7_the_pair_is_unique_among_the_customers_sites() -> None:
    existing: list[SiteName | tuple[str, str]] = [
        SiteName(company_abbrev="NTTデータ", location="豊洲"),
        ("NTTデータ", "品川"),
    ]
    validate_site_name("NTTデータ", "三田", existing)
    with pytest.raises(ValidationError, match="already used"):
        validate_site_name("NTTデータ", "品川", existing)
    with pytest.raises(ValidationError, match="already used"):
        validate_site_name("NTTデータ", "豊洲", existing)


ASCII_PART = st.text(
    alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=12
)
JAPANESE_PART = st.text(
    alphabet=st.characters(min_codepoint=0x3041, max_codepoint=0x30FF), min_size=1, max_size=12
)


@given(st.one_of(ASCII_PART, JAPANESE_PART), st.one_of(ASCII_PART, JAPANESE_PART))
def test_sub_7_any_short_half_width_or_japanese_name_is_accepted(
    abbrev: str, location: str
) -> None:
    validate_site_name(abbrev, location)
    with pytest.raises(ValidationError):
        validate_site_name(abbrev, location, existing=[(abbrev, location)])


@given(ASCII_PART.filter(lambda s: any(c.isalnum() for c in s)))
def test_sub_7_writing_the_same_name_full_width_is_refused(name: str) -> None:
    wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in name)
    with pytest.raises(ValidationError, match="half-width"):
        validate_site_name(wide, "Tokyo")


@given(st.text(min_size=13, max_size=20).filter(lambda s: s.strip() == s))
def test_sub_7_a_part_longer_than_12_is_refused(part: str) -> None:
    with pytest.raises(ValidationError):
        validate_site_name(part, "Tokyo")


# -- SUB-9: ASPs and fees ---------------------------------------------------------------------


def test_sub_9_the_option_fee_is_5000_yen_per_asp_beyond_the_first() -> None:
    assert [monthly_asp_option_fee(n) for n in (1, 2, 3, 4)] == [0, 5000, 10000, 15000]


@pytest.mark.parametrize("count", [0, -1, True, 1.0])
def test_sub_9_the_fee_needs_at_least_one_asp(count: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        monthly_asp_option_fee(count)
    assert raised.value.field == "asp_count"


@given(st.integers(min_value=1, max_value=1000))
def test_sub_9_the_fee_grows_by_5000_per_asp(count: int) -> None:
    assert monthly_asp_option_fee(count + 1) - monthly_asp_option_fee(count) == 5000


def test_sub_9_menu_limits() -> None:
    assert [(m.label, m.asp_limit) for m in Menu] == [
        ("ベーシック", 4),
        ("ライト", 2),
        ("ライトミニマム", 2),
        ("ライトモバイル", 2),
    ]
    four = [ASP.SDS, ASP.ZEDI, ASP.FRONTGATE, ASP.OPENCANVAS_BUSINESS]
    assert len(check_asp_selection(Menu.BASIC, four, bandwidth_mbps=100)) == 4
    with pytest.raises(ValidationError, match="1 to 2 ASPs"):
        check_asp_selection(Menu.LITE, four[:3], bandwidth_mbps=100)
    with pytest.raises(ValidationError, match="1 to 4 ASPs"):
        check_asp_selection(Menu.BASIC, [], bandwidth_mbps=100)
    with pytest.raises(ValidationError, match="twice"):
        check_asp_selection(Menu.BASIC, [ASP.SDS, ASP.SDS], bandwidth_mbps=100)


def test_sub_9_the_selection_comes_back_in_catalogue_order() -> None:
    assert check_asp_selection(Menu.BASIC, [ASP.ZEDI, ASP.SDS], bandwidth_mbps=10) == (
        ASP.SDS,
        ASP.ZEDI,
    )


def test_sub_9_anserdataport_allows_at_most_1m() -> None:
    assert check_asp_selection(Menu.LITE, [ASP.ANSER_DATAPORT], bandwidth_mbps=1)
    with pytest.raises(ValidationError, match="at most 1M") as raised:
        check_asp_selection(Menu.LITE, [ASP.ANSER_DATAPORT], bandwidth_mbps=10)
    assert raised.value.field == "bandwidth_mbps"
    assert check_asp_selection(Menu.LITE, [ASP.ANSER_DATAPORT_C], bandwidth_mbps=100)


def test_sub_9_the_catalogue_has_nine_asps() -> None:
    assert [a.label for a in ASP] == [
        "AnserDATAPORT",
        "AnserDATAPORT+C",
        "SDS",
        "フロントゲート",
        "ZEDI",
        "OpenCanvas業務",
        "OpenCanvas維持(三田)",
        "OpenCanvas維持(堂島)",
        "OpenCanvas Type-S(堂島)",
    ]


# -- SUB-10 (the first bound), SUB-11, SUB-12, SUB-13 --------------------------------------------


def test_sub_10_the_seed_example_of_the_earliest_site_survey() -> None:
    assert earliest_site_survey(date(2025, 4, 2)) == date(2025, 5, 12)


def test_sub_11_entry_is_requested_three_business_days_before() -> None:
    assert entry_request_due(date(2026, 11, 26), calendar=JAPAN) == date(2026, 11, 20)
    assert entry_request_due(date(2026, 5, 7), calendar=JAPAN) == date(2026, 4, 28)


@given(INNER_DAYS)
def test_sub_11_there_are_exactly_three_business_days_between(work: date) -> None:
    due = entry_request_due(work, calendar=JAPAN)
    assert JAPAN.is_business_day(due)
    assert JAPAN.business_days_between(due, work) == 3


def test_sub_11_needs_a_calendar() -> None:
    with pytest.raises(ValidationError) as raised:
        entry_request_due(date(2026, 11, 26), calendar="JP")  # type: ignore[arg-type]
    assert raised.value.field == "calendar"


@pytest.mark.parametrize(
    ("completed", "first"),
    [
        (date(2026, 4, 1), date(2026, 5, 1)),
        (date(2026, 4, 30), date(2026, 5, 1)),
        (date(2026, 12, 15), date(2027, 1, 1)),
    ],
)
def test_sub_12_billing_starts_the_month_after_completion(completed: date, first: date) -> None:
    assert first_billing_month(completed) == first


@given(INNER_DAYS)
def test_sub_12_the_completion_month_is_never_billed(completed: date) -> None:
    first = first_billing_month(completed)
    assert first.day == 1
    assert first > completed
    assert (first - timedelta(days=1)).month == completed.month


def test_sub_13_an_account_expires_a_month_after_the_last_login() -> None:
    last = datetime(2026, 1, 15, 10, 0, tzinfo=JST)
    assert portal_account_expires_at(last) == datetime(2026, 2, 16, tzinfo=JST)
    assert not portal_account_expired(
        last_login=last, now=datetime(2026, 2, 15, 23, 59, tzinfo=JST)
    )
    assert portal_account_expired(last_login=last, now=datetime(2026, 2, 16, tzinfo=JST))


def test_sub_13_an_account_expires_when_its_application_is_accepted() -> None:
    last = datetime(2026, 1, 15, 10, 0, tzinfo=JST)
    assert portal_account_expired(last_login=last, now=last, application_accepted=True)
    with pytest.raises(ValidationError):
        portal_account_expired(last_login=last, now=last, application_accepted="yes")  # type: ignore[arg-type]
