"""Benchmark password-policy validation against one compiled regular expression.

1,000,000 generated candidates (about half valid) are checked with
``KDDI_PORTAL_PASSWORD.validate`` (which raises for the invalid ones), with its non-raising
``failed_requirement``, and with a single compiled pattern that encodes only the character
rules, in the same run (target: the policy, ``failed_requirement``, within 5x of the
pattern; ``validate`` adds the cost of raising, measured alone as a third figure). Run with
``nox -s bench``; ``--candidates N`` changes the count.
"""

from __future__ import annotations

import argparse
import random
import re
import string
import time

from omakase_core.accounts import KDDI_PORTAL_PASSWORD, PasswordPolicyError

ALPHABET = string.ascii_letters + string.digits + KDDI_PORTAL_PASSWORD.symbols + " あ"
PATTERN = re.compile(
    r"(?=[^A-Za-z]*[A-Za-z])(?=[^0-9]*[0-9])[A-Za-z0-9"
    + re.escape(KDDI_PORTAL_PASSWORD.symbols)
    + r"]{8,100}"
)


def candidates(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        length = rng.randint(5, 20)
        if rng.random() < 0.5:
            text = rng.choices(string.ascii_letters + string.digits, k=length)
        else:
            text = rng.choices(ALPHABET, k=length)
        out.append("".join(text))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="password policy vs one regular expression")
    parser.add_argument("--candidates", type=int, default=1_000_000)
    args = parser.parse_args()
    words = candidates(args.candidates, seed=5)
    validate = KDDI_PORTAL_PASSWORD.validate

    start = time.perf_counter()
    accepted_policy = 0
    for word in words:
        try:
            validate(word, confirmation=word)
        except PasswordPolicyError:
            continue
        accepted_policy += 1
    policy_time = time.perf_counter() - start

    start = time.perf_counter()
    check = KDDI_PORTAL_PASSWORD.failed_requirement
    accepted_check = sum(1 for word in words if check(word, confirmation=word) is None)
    check_time = time.perf_counter() - start

    start = time.perf_counter()
    match = PATTERN.fullmatch
    accepted_regex = sum(1 for word in words if match(word) is not None)
    regex_time = time.perf_counter() - start

    if not accepted_policy == accepted_check == accepted_regex:
        raise SystemExit("the policy and the pattern disagree: the figures would mean nothing")
    n = len(words)
    refused = n - accepted_policy
    raise_time = raising(refused)
    ratio = check_time / regex_time
    verdict = "met" if ratio <= 5 else "NOT met"  # the target
    print(f"{n:,} candidates, {accepted_policy:,} valid:")
    print(f"  failed_requirement (the policy)  {n / check_time:>12,.0f} /s")
    print(f"  one compiled regex               {n / regex_time:>12,.0f} /s")
    print(f"  the policy = {ratio:4.1f}x the regex's time (target <= 5x: {verdict})")
    print(f"  KDDI_PORTAL_PASSWORD.validate    {n / policy_time:>12,.0f} /s")
    print(
        f"  validate = {policy_time / regex_time:4.1f}x the regex's time: it also builds and "
        f"raises a PasswordPolicyError for each of the {refused:,} refused (a bare raise and "
        f"catch of as many: {raise_time / regex_time:4.1f}x)"
    )


def raising(count: int) -> float:
    """Return the seconds raising and catching ``count`` PasswordPolicyErrors take."""
    start = time.perf_counter()
    for _ in range(count):
        try:
            raise PasswordPolicyError(  # the cost of the raise is measured
                "ACC-2: the password is too short", requirement="length", rule="ACC-2"
            )
        except PasswordPolicyError:
            pass
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
