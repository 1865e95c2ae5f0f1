"""ID-count change policies as data (IDC-1, IDC-3 … IDC-7).

Each My KDDI Biz service's rules are one :class:`ServicePolicy` value; :func:`decide`
reads them and nothing else, so a sixth service is a sixth value, not a new branch.

Decisions (the seed leaves them open):

- IDC-8: "processing normally completes the morning of the next business day" is exposed as
  12:00 JST of the first business day after the day the change applies.
- "Within N business days" windows give an exclusive end (``applies_by``); withdrawal,
  where allowed, is possible until that end — and only while the application is still
  処理待ち, which the lifecycle enforces.
- IDC-7 (EMM): 翌月 is the month after the submission's month, as for every service; a
  当月 application whose acceptance day falls in the following month (submitted on the
  month's last business day after 12:00, or on a later day off) counts as 翌月, like one
  whose acceptance day is in the month's last 11 business days.
- IDC-9: reductions of annual contracts are refused for every service, naming the channel
  (the contract renewal through the KDDI sales representative).
"""

from __future__ import annotations

import enum
from datetime import time
from typing import Final

import attrs

from omakase_core.errors import ValidationError

__all__ = [
    "POLICIES",
    "CurrentTiming",
    "NextTiming",
    "Service",
    "ServicePolicy",
    "Target",
    "Term",
    "policies_markdown",
]


class Service(enum.Enum):
    """The My KDDI Biz services whose ID count can be changed (IDC-1)."""

    GOOGLE_WORKSPACE = "google_workspace"
    M365_PLANS = "m365_plans"
    M365_ADDONS = "m365_addons"
    LINE_WORKS = "line_works"
    EMM = "emm"


class Target(enum.Enum):
    """When the change is meant to apply: this month (当月) or next month (翌月) (IDC-2)."""

    CURRENT_MONTH = "current_month"
    NEXT_MONTH = "next_month"

    @property
    def label(self) -> str:
        """Return the portal's word."""
        return "当月" if self is Target.CURRENT_MONTH else "翌月"


class Term(enum.Enum):
    """The contract term: monthly or annual (IDC-6, IDC-9)."""

    MONTHLY = "monthly"
    ANNUAL = "annual"


class CurrentTiming(enum.Enum):
    """How a 当月 change applies."""

    AT_ACCEPTANCE = "at_acceptance"
    """At the instant it is accepted (IDC-3, IDC-4, IDC-6)."""
    WITHIN_BUSINESS_DAYS = "within_business_days"
    """By the end of the N-th business day after the acceptance day (IDC-5, IDC-7, IDC-2b)."""


class NextTiming(enum.Enum):
    """How a 翌月 change applies."""

    NOON_ON_FIRST = "noon_on_first"
    """At 12:00 on the 1st of the next month (IDC-3, IDC-4, IDC-6)."""
    FIRST_BUSINESS_DAYS = "first_business_days"
    """By the end of the next month's N-th business day (IDC-5, IDC-7, IDC-2b)."""


def _check(_: object, attribute: attrs.Attribute[int | None], value: int | None) -> None:
    if value is not None and value < 1:
        msg = f"{attribute.name} must be at least 1 when given, not {value}"
        raise ValidationError(msg, field=attribute.name, rule="IDC-1")


@attrs.frozen(kw_only=True)
class ServicePolicy:
    """One service's ID-count change rules, as data (IDC-1).

    ``hours`` is the half-open daily acceptance window (IDC-2b), ``None`` for any hour.
    ``current_closed_in_last`` closes 当月 in the month's last N business days (翌月 only);
    ``current_rolls_over_in_last`` instead treats a 当月 application whose acceptance day
    falls in them as 翌月. ``next_any_hour_in_last`` opens 翌月 at every hour in the last N
    business days. ``noon_on_first`` moves a 当月 change accepted on the 1st before 12:00 to
    12:00. ``acceptance_cutoff`` makes the acceptance day the next business day for a
    submission at or after it, or on a day off (EMM's 12:00).
    """

    service: str
    label: str
    rule: str
    hours: tuple[time, time] | None = None
    current_timing: CurrentTiming = CurrentTiming.AT_ACCEPTANCE
    current_business_days: int | None = attrs.field(default=None, validator=_check)
    current_closed_in_last: int | None = attrs.field(default=None, validator=_check)
    current_rolls_over_in_last: int | None = attrs.field(default=None, validator=_check)
    noon_on_first: bool = False
    next_timing: NextTiming = NextTiming.NOON_ON_FIRST
    next_business_days: int | None = attrs.field(default=None, validator=_check)
    next_any_hour_in_last: int | None = attrs.field(default=None, validator=_check)
    current_withdrawable: bool = False
    next_withdrawable: bool = True
    withdrawable_only_when_alone: bool = False
    acceptance_cutoff: time | None = None
    additions_only: bool = False
    annual_rule: str = "IDC-9"
    reduction_needs_console_check: bool = False
    blocks_new_for_business_days: int | None = attrs.field(default=None, validator=_check)

    def __attrs_post_init__(self) -> None:
        if (self.current_timing is CurrentTiming.WITHIN_BUSINESS_DAYS) != (
            self.current_business_days is not None
        ):
            msg = "current_business_days goes with CurrentTiming.WITHIN_BUSINESS_DAYS, only"
            raise ValidationError(msg, field="current_business_days", rule="IDC-1")
        if (self.next_timing is NextTiming.FIRST_BUSINESS_DAYS) != (
            self.next_business_days is not None
        ):
            msg = "next_business_days goes with NextTiming.FIRST_BUSINESS_DAYS, only"
            raise ValidationError(msg, field="next_business_days", rule="IDC-1")


_NOON: Final = time(12, 0)

POLICIES: Final[dict[Service, ServicePolicy]] = {
    Service.GOOGLE_WORKSPACE: ServicePolicy(
        service="google_workspace",
        label="Google Workspace",
        rule="IDC-3",
        current_closed_in_last=4,
        noon_on_first=True,
        reduction_needs_console_check=True,
    ),
    Service.M365_PLANS: ServicePolicy(
        service="m365_plans",
        label="Microsoft 365 with KDDI（CSP版）プラン・オプション",
        rule="IDC-4",
        hours=(time(9, 0), time(23, 30)),
        current_closed_in_last=2,
        noon_on_first=True,
        next_any_hour_in_last=2,
    ),
    Service.M365_ADDONS: ServicePolicy(
        service="m365_addons",
        label="Microsoft 365 with KDDI（CSP版）アドオン",
        rule="IDC-5",
        current_timing=CurrentTiming.WITHIN_BUSINESS_DAYS,
        current_business_days=5,
        current_rolls_over_in_last=5,
        next_timing=NextTiming.FIRST_BUSINESS_DAYS,
        next_business_days=5,
        current_withdrawable=True,
        next_withdrawable=True,
        withdrawable_only_when_alone=True,
        blocks_new_for_business_days=5,
    ),
    Service.LINE_WORKS: ServicePolicy(
        service="line_works",
        label="LINE WORKS with KDDI",
        rule="IDC-6",
        current_closed_in_last=2,
        noon_on_first=True,
        annual_rule="IDC-6",
    ),
    Service.EMM: ServicePolicy(
        service="emm",
        label="KDDI EMM powered by Omnissa Workspace ONE",
        rule="IDC-7",
        current_timing=CurrentTiming.WITHIN_BUSINESS_DAYS,
        current_business_days=11,
        current_rolls_over_in_last=11,
        next_timing=NextTiming.FIRST_BUSINESS_DAYS,
        next_business_days=11,
        current_withdrawable=True,
        next_withdrawable=True,
        acceptance_cutoff=_NOON,
        additions_only=True,
    ),
}
"""The five services' policies (IDC-3 … IDC-7)."""


def _days(value: int | None) -> str:
    return "-" if value is None else str(value)


def policies_markdown(policies: dict[Service, ServicePolicy] | None = None) -> str:
    """Return the policies as a Markdown table (the docs page embeds it; a test compares)."""
    rows = [
        (
            "| service | rule | hours | 当月 closed in last | 当月 as 翌月 in last | 当月 applies "
            "| 翌月 applies | 翌月 any hour in last | withdrawable (当月 / 翌月) | additions only |"
        ),
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for policy in (policies or POLICIES).values():
        hours = (
            "any"
            if policy.hours is None
            else f"{policy.hours[0]:%H:%M}–{policy.hours[1]:%H:%M} (half-open)"
        )
        current = (
            "at acceptance"
            + (" (12:00 if on the 1st before 12:00)" if policy.noon_on_first else "")
            if policy.current_timing is CurrentTiming.AT_ACCEPTANCE
            else f"within {policy.current_business_days} business days"
        )
        following = (
            "12:00 on the 1st"
            if policy.next_timing is NextTiming.NOON_ON_FIRST
            else f"within the first {policy.next_business_days} business days"
        )
        alone = " (alone only)" if policy.withdrawable_only_when_alone else ""
        withdraw = (
            f"{'yes' if policy.current_withdrawable else 'no'} / "
            f"{'yes' if policy.next_withdrawable else 'no'}{alone}"
        )
        cutoff = (
            f"; accepted the next business day from {policy.acceptance_cutoff:%H:%M}"
            if policy.acceptance_cutoff
            else ""
        )
        rows.append(
            f"| {policy.label} | {policy.rule} | {hours}{cutoff} "
            f"| {_days(policy.current_closed_in_last)} "
            f"| {_days(policy.current_rolls_over_in_last)} | {current} | {following} "
            f"| {_days(policy.next_any_hour_in_last)} | {withdraw} "
            f"| {'yes' if policy.additions_only else 'no'} |"
        )
    return "\n".join(rows)
