"""ACC-1 and ACC-2: password policies; no message or repr ever holds a password."""

from __future__ import annotations

import string

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from omakase_core.accounts import (
    KDDI_PORTAL_PASSWORD,
    OCN_AUTH_PASSWORD,
    PasswordPolicy,
    PasswordPolicyError,
)
from omakase_core.testing import TestPasswordHasher

OCN_SYMBOLS = OCN_AUTH_PASSWORD.symbols
KDDI_SYMBOLS = KDDI_PORTAL_PASSWORD.symbols
LETTERS = string.ascii_letters
DIGITS = string.digits


_ROTATE = str.maketrans(
    LETTERS + DIGITS, LETTERS[1:26] + "a" + LETTERS[27:] + "A" + DIGITS[1:] + "0"
)


def rotated(text: str) -> str:
    """Return ``text`` with every letter and digit replaced by the next one (same shape)."""
    return text.translate(_ROTATE)


def refused(policy: PasswordPolicy, password: str, **kw: object) -> PasswordPolicyError:
    kw.setdefault("confirmation", password)
    with pytest.raises(PasswordPolicyError) as raised:
        policy.validate(password, **kw)  # type: ignore[arg-type]
    error = raised.value
    shown = str(error).removeprefix(f"{policy.rule}: ")  # the rule id is not the password
    if password in shown and len(password) >= 3:  # e.g. "pas" in "the password must be …"
        # then the message is fixed text: another password of the same shape reads the same
        confirmation = kw["confirmation"]
        other = {
            **kw,
            "confirmation": rotated(confirmation)
            if isinstance(confirmation, str)
            else confirmation,
        }
        with pytest.raises(PasswordPolicyError) as again:
            policy.validate(rotated(password), **other)  # type: ignore[arg-type]
        assert str(again.value) == str(error)
    assert str(error.args) == str((str(error),))
    return error


# -- ACC-1 ------------------------------------------------------------------------------------


@st.composite
def ocn_passwords(draw: st.DrawFn) -> str:
    length = draw(st.integers(min_value=6, max_value=8))
    letters = draw(st.text(alphabet=LETTERS, min_size=2, max_size=2))
    other = draw(st.text(alphabet=DIGITS + OCN_SYMBOLS, min_size=1, max_size=1))
    rest = draw(
        st.text(alphabet=LETTERS + DIGITS + OCN_SYMBOLS, min_size=length - 3, max_size=length - 3)
    )
    chars = list(letters + other + rest)
    return "".join(draw(st.permutations(chars)))


@given(ocn_passwords())
def test_acc_1_a_password_that_meets_the_rules_is_accepted(password: str) -> None:
    OCN_AUTH_PASSWORD.validate(password, confirmation=password)


@given(ocn_passwords())
def test_acc_1_each_single_violation_is_refused_with_its_reason(password: str) -> None:
    assert refused(OCN_AUTH_PASSWORD, password + "xyz").requirement == "length"
    assert refused(OCN_AUTH_PASSWORD, password[:5] if len(password) > 5 else "a").requirement in {
        "length"
    }
    assert refused(OCN_AUTH_PASSWORD, password[:-1] + " ").requirement == "characters"
    assert refused(OCN_AUTH_PASSWORD, password, confirmation=password + "!").requirement == (
        "confirmation"
    )
    assert refused(OCN_AUTH_PASSWORD, password, current=password).requirement == "reuse_current"


def test_acc_1_letters_and_digits_or_symbols_are_counted() -> None:
    assert refused(OCN_AUTH_PASSWORD, "a12345").requirement == "letters"
    assert refused(OCN_AUTH_PASSWORD, "abcdef").requirement == "digits_or_symbols"
    OCN_AUTH_PASSWORD.validate("abcde!", confirmation="abcde!")
    assert refused(OCN_AUTH_PASSWORD, "abcde@").requirement == "characters"  # @ is not allowed
    assert refused(OCN_AUTH_PASSWORD, "ａｂ1cde").requirement == "characters"


def test_acc_1_the_change_lock_and_the_effective_delay_are_exposed() -> None:
    assert OCN_AUTH_PASSWORD.change_lock is not None
    assert OCN_AUTH_PASSWORD.change_lock.total_seconds() == 3600
    assert OCN_AUTH_PASSWORD.effective_within is not None
    assert OCN_AUTH_PASSWORD.effective_within.total_seconds() == 300


# -- ACC-2 ------------------------------------------------------------------------------------


@st.composite
def kddi_passwords(draw: st.DrawFn) -> str:
    letter = draw(st.sampled_from(LETTERS))
    digit = draw(st.sampled_from(DIGITS))
    rest = draw(st.text(alphabet=LETTERS + DIGITS + KDDI_SYMBOLS, min_size=6, max_size=98))
    return "".join(draw(st.permutations([letter, digit, *rest])))


@given(kddi_passwords())
def test_acc_2_a_password_that_meets_the_rules_is_accepted(password: str) -> None:
    KDDI_PORTAL_PASSWORD.validate(password, confirmation=password)


@given(kddi_passwords())
def test_acc_2_each_single_violation_is_refused_with_its_reason(password: str) -> None:
    assert refused(KDDI_PORTAL_PASSWORD, password + "x" * 101).requirement == "length"
    assert refused(KDDI_PORTAL_PASSWORD, password + "あ").requirement == "characters"
    letters_only = "".join(c for c in password if c.isalpha()) + "abcdefgh"
    assert refused(KDDI_PORTAL_PASSWORD, letters_only).requirement == "digits"
    digits_only = "".join(c for c in password if c.isdigit()) + "12345678"
    assert refused(KDDI_PORTAL_PASSWORD, digits_only).requirement == "letters"


def test_acc_2_the_last_n_passwords_cannot_be_reused_through_the_hasher() -> None:
    hasher = TestPasswordHasher()
    history = [hasher.hash(p) for p in ("first1pass", "second2pass", "third3pass", "fourth4pass")]
    assert (
        refused(KDDI_PORTAL_PASSWORD, "second2pass", history=history, hasher=hasher).requirement
        == "reuse_history"
    )
    KDDI_PORTAL_PASSWORD.validate(
        "first1pass", confirmation="first1pass", history=history, hasher=hasher
    )  # only the last 3 count
    import attrs  # noqa: PLC0415

    five = attrs.evolve(KDDI_PORTAL_PASSWORD, history_size=5)
    assert refused(five, "first1pass", history=history, hasher=hasher).requirement == (
        "reuse_history"
    )


def test_acc_2_the_current_password_is_compared_as_a_hash() -> None:
    hasher = TestPasswordHasher()
    current = hasher.hash("current1pass")
    assert "current1pass" not in current
    assert (
        refused(KDDI_PORTAL_PASSWORD, "current1pass", current=current, hasher=hasher).requirement
        == "reuse_current"
    )


@given(st.text(alphabet=LETTERS + DIGITS + KDDI_SYMBOLS + " あ", max_size=12), st.booleans())
@example("ACC", False)  # a word that is also the start of the rule id in the message
@example("pas", False)  # a word that is also part of the message ("password")
def test_acc_2_failed_requirement_is_validate_without_raising(word: str, same: bool) -> None:
    confirmation = word if same else word + "x"
    requirement = KDDI_PORTAL_PASSWORD.failed_requirement(word, confirmation=confirmation)
    if requirement is None:
        KDDI_PORTAL_PASSWORD.validate(word, confirmation=confirmation)
    else:
        assert refused(KDDI_PORTAL_PASSWORD, word, confirmation=confirmation).requirement == (
            requirement
        )
