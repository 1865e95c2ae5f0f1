"""SUB-14: field formats of the Connecure forms; each error names its field."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omakase_core import ValidationError
from omakase_core.submission import (
    validate_company_name_full,
    validate_company_name_half,
    validate_contractor_name_full_kana,
    validate_contractor_name_half_kana,
    validate_department_full,
    validate_department_half,
    validate_floor,
    validate_phone,
    validate_postal_code,
)

Validator = Callable[[str], str]


@pytest.mark.parametrize(
    ("validate", "good", "bad", "field"),
    [
        (validate_company_name_half, "NTT DATA Corp.", "NTTデータ", "company_name_half"),
        (validate_company_name_half, "A" * 48, "A" * 49, "company_name_half"),
        (
            validate_company_name_full,
            "株式会社エヌ・ティ・ティ・データ",
            "NTT Data",
            "company_name_full",
        ),
        (validate_company_name_full, "あ" * 24, "あ" * 25, "company_name_full"),
        (validate_department_half, "Sales Dept.", "営業部", "department_half"),
        (validate_department_full, "豊洲事業部", "Toyosu", "department_full"),
        (
            validate_contractor_name_half_kana,
            "ﾄﾖｽ ﾀﾛｳ",
            "トヨス タロウ",
            "contractor_name_half_kana",
        ),
        (validate_contractor_name_half_kana, "ｱ" * 48, "ｱ" * 49, "contractor_name_half_kana"),
        (
            validate_contractor_name_full_kana,
            "トヨス　タロウ",
            "豊洲太郎",
            "contractor_name_full_kana",
        ),
        (validate_contractor_name_full_kana, "ア" * 24, "ア" * 25, "contractor_name_full_kana"),
        (validate_phone, "08012345678", "080123456", "phone"),
        (validate_phone, "0312345678", "0801234567890", "phone"),
        (validate_phone, "080-1234-5678", "080 1234 5678", "phone"),
        (validate_postal_code, "1350061", "135006", "postal_code"),
        (validate_postal_code, "135-0061", "13-50061", "postal_code"),
        (validate_floor, "10", "100", "floor"),
        (validate_floor, "B1", "1F", "floor"),
    ],
)
def test_sub_14_each_field_accepts_its_format_and_names_itself_when_refusing(
    validate: Validator, good: str, bad: str, field: str
) -> None:
    validate(good)
    with pytest.raises(ValidationError) as raised:
        validate(bad)
    assert raised.value.field == field
    assert raised.value.rule == "SUB-14"
    assert field in str(raised.value)


@pytest.mark.parametrize(
    "validate",
    [
        validate_company_name_half,
        validate_company_name_full,
        validate_department_half,
        validate_department_full,
        validate_contractor_name_half_kana,
        validate_contractor_name_full_kana,
        validate_phone,
        validate_postal_code,
        validate_floor,
    ],
)
def test_sub_14_every_field_is_required(validate: Validator) -> None:
    for empty in ("", "   "):
        with pytest.raises(ValidationError, match="required"):
            validate(empty)
    with pytest.raises(ValidationError):
        validate(None)  # type: ignore[arg-type]


def test_sub_14_values_come_back_normalised() -> None:
    assert validate_phone("080-1234-5678") == "08012345678"
    assert validate_postal_code("135-0061") == "1350061"


@given(st.text(alphabet="0123456789", min_size=10, max_size=12))
def test_sub_14_any_10_to_12_digits_are_a_phone_number(digits: str) -> None:
    assert validate_phone(digits) == digits


@given(
    st.text(alphabet="0123456789", min_size=1, max_size=20).filter(lambda s: not 10 <= len(s) <= 12)
)
def test_sub_14_other_digit_counts_are_refused(digits: str) -> None:
    with pytest.raises(ValidationError):
        validate_phone(digits)


@given(st.text(alphabet="0123456789B", min_size=1, max_size=2))
def test_sub_14_floors_are_a_floor_number_or_b_and_a_basement_number(floor: str) -> None:
    valid = (floor[0] in "123456789" and "B" not in floor) or (
        len(floor) == 2 and floor[0] == "B" and floor[1] in "123456789"
    )
    if valid:
        assert validate_floor(floor) == floor
    else:
        with pytest.raises(ValidationError) as raised:
            validate_floor(floor)
        assert raised.value.field == "floor"


@given(
    st.text(
        alphabet=st.characters(min_codepoint=0x30A1, max_codepoint=0x30FA), min_size=1, max_size=24
    )
)
def test_sub_14_full_width_katakana_names_up_to_24_are_accepted(name: str) -> None:
    assert validate_contractor_name_full_kana(name) == name


@pytest.mark.parametrize(
    ("validate", "bad", "field"),
    [
        (validate_phone, "０８０-１２３４-５６７８", "phone"),  # full-width digits
        (validate_phone, "٠٨٠١٢٣٤٥٦٧٨", "phone"),  # Arabic-Indic digits
        (validate_postal_code, "１３５-００６１", "postal_code"),
        (validate_postal_code, "१३५००६१", "postal_code"),  # Devanagari digits
        (validate_floor, "１０", "floor"),
        (validate_floor, "Ｂ１", "floor"),
    ],
)
def test_sub_14_digits_are_half_width_ascii_only(validate: Validator, bad: str, field: str) -> None:
    """SUB-14 (amended): full-width and other scripts' digits are refused, never accepted."""
    with pytest.raises(ValidationError) as raised:
        validate(bad)
    assert (raised.value.field, raised.value.rule) == (field, "SUB-14")
