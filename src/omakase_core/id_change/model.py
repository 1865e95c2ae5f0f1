"""Values of ID-count change applications: services, policies, decisions, events (IDC-1 … IDC-10).

Each My KDDI Biz service's rules are one :class:`ServicePolicy` value (IDC-1);
:func:`~omakase_core.id_change.decide` reads them and nothing else, so a sixth service is a
sixth value, not a new branch. A :class:`Decision` says what was decided and which rule
decided it, and explains itself (IDC-10). The events are what an application records as it
moves through its lifecycle (IDC-2, IDC-8).

Every field of a policy, a decision, a month-view slot or day and an event is checked when
the value is built: an integer field takes a real ``int`` (not a ``bool``, a ``str`` or a
``float``) in its range, a flag a real ``bool``, an enum field a member of its enum, an
instant an aware ``datetime``, a text field short printable text (SEC-2); the error names
the field. The enums' look-ups by value (``Target("next_month")``) refuse anything else —
a label, a name, ``None``, an unhashable value — with a ``ValidationError`` naming
``value``. :func:`~omakase_core.id_change.decide` builds its decisions from values it has
checked already, without checking them again.

Decisions (the seed leaves them open):

- IDC-8 (amended): "processing normally completes the morning of the next business day" is
  exposed as 12:00 JST of the first business day after the day the change *actually*
  applies. A change with an exact instant knows it when decided; a change applied "within N
  business days" does not, so its decision promises no processing end
  (``processing_done_expected_at`` is ``None``) and the end is computed when the operator
  reports the change applied.
- IDC-8 (amended): the add-on block covers every application that changes add-ons: an M365
  add-on application always does; an M365 plan change or a Google Workspace change does when
  the caller says so (``changes_addons``: the tenant uses add-ons whose count changes with
  it). Services share one add-on family when their add-ons are the same contract (M365 plans
  and M365 add-ons); Google Workspace's add-on tools are a family of their own.
- IDC-9 (amended): :class:`PlanCounts` holds the current counts of a service counted per plan
  and per option (M365). An application changes one line (a plan or an option), as the
  seed's procedure for switching plans does (add the new plan, then reduce the old one in a
  second application). An option's count may go to 0 (the option is removed); a plan's too,
  while another plan keeps IDs.
- "Within N business days" windows give an exclusive end (``applies_by``); withdrawal,
  where allowed, is possible until that end — and only while the application is still
  処理待ち, which the lifecycle enforces.
- IDC-7 (EMM): 翌月 is the month after the submission's month, as for every service; a
  当月 application whose acceptance day falls in the following month (submitted on the
  month's last business day after 12:00, or on a later day off) counts as 翌月, like one
  whose acceptance day is in the month's last 11 business days.
- IDC-9: reductions of annual contracts are refused for every service, naming the channel
  (the contract renewal through the KDDI sales representative).
- IDC-1: a policy's "last N business days of the month" windows take N from 1 to 15 (every
  month of the national calendar, year-end closure included, has more business days), and
  its business-day counts from 1 to 60.
"""

from __future__ import annotations

import enum
import reprlib
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from types import MappingProxyType
from typing import Any, ClassVar, Final

import attrs

from omakase_core._validation import StrictEnumType, check_email, check_text, require
from omakase_core.calendar import format_date, format_deadline, format_instant, to_jst
from omakase_core.codec import stored
from omakase_core.errors import ValidationError
from omakase_core.events import Event
from omakase_core.lifecycle import Status

__all__ = [
    "POLICIES",
    "ApplicationRefused",
    "CurrentTiming",
    "DayWindows",
    "Decision",
    "IdChangeAccepted",
    "IdChangeApplied",
    "IdChangeCompleted",
    "IdChangeEvent",
    "IdChangeStatus",
    "IdChangeWithdrawn",
    "NextTiming",
    "PlanCounts",
    "Service",
    "ServicePolicy",
    "Target",
    "Term",
    "WindowSlot",
    "policies_markdown",
]

_NOON: Final = time(12, 0)
_MIDNIGHT: Final = time(0)
_LANGUAGES: Final = ("ja", "en")
_MAX_IN_LAST: Final = 15
_MAX_BUSINESS_DAYS: Final = 60
_MAX_TEXT: Final = 200

MAX_IDS: Final = 1_000_000
"""The most IDs an application may add, remove or count (a decision: no portal form takes more)."""

ACCEPTED_REASONS: Final = frozenset(
    {
        "at_acceptance",
        "noon_on_first",
        "within_business_days",
        "noon_next_month",
        "first_business_days",
        "rolled_over",
    }
)
"""The reasons of an accepted :class:`Decision` (IDC-10)."""

REFUSED_REASONS: Final = frozenset(
    {
        "additions_only",
        "annual_reduction",
        "count_missing",
        "count_below_one",
        "all_plans_zero",
        "option_exceeds_plan",
        "outside_hours",
        "current_closed",
        "no_consent",
    }
)
"""The reasons of a refused :class:`Decision` (IDC-10)."""

_Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]

_SHORT: Final = reprlib.Repr()
_SHORT.maxstring = 40
_SHORT.maxother = 40


def shown(value: object) -> str:
    """Return a short description of ``value`` for an error message (at most ~90 characters)."""
    try:
        text = _SHORT.repr(value)
    except Exception:  # a value whose repr fails is still described by its type
        text = "(unprintable)"
    return f"{type(value).__name__[:40]} {text}"


# -- services, targets, terms ------------------------------------------------------------------


class Service(enum.Enum, metaclass=StrictEnumType):
    """The My KDDI Biz services whose ID count can be changed (IDC-1)."""

    GOOGLE_WORKSPACE = "google_workspace"
    M365_PLANS = "m365_plans"
    M365_ADDONS = "m365_addons"
    LINE_WORKS = "line_works"
    EMM = "emm"


class Target(enum.Enum, metaclass=StrictEnumType):
    """When the change is meant to apply: this month (当月) or next month (翌月) (IDC-2)."""

    CURRENT_MONTH = "current_month"
    NEXT_MONTH = "next_month"

    @property
    def label(self) -> str:
        """Return the portal's word."""
        return "当月" if self is Target.CURRENT_MONTH else "翌月"


class Term(enum.Enum, metaclass=StrictEnumType):
    """The contract term: monthly or annual (IDC-6, IDC-9)."""

    MONTHLY = "monthly"
    ANNUAL = "annual"


class CurrentTiming(enum.Enum, metaclass=StrictEnumType):
    """How a 当月 change applies."""

    AT_ACCEPTANCE = "at_acceptance"
    """At the instant it is accepted (IDC-3, IDC-4, IDC-6)."""
    WITHIN_BUSINESS_DAYS = "within_business_days"
    """By the end of the N-th business day after the acceptance day (IDC-5, IDC-7, IDC-2b)."""


class NextTiming(enum.Enum, metaclass=StrictEnumType):
    """How a 翌月 change applies."""

    NOON_ON_FIRST = "noon_on_first"
    """At 12:00 on the 1st of the next month (IDC-3, IDC-4, IDC-6)."""
    FIRST_BUSINESS_DAYS = "first_business_days"
    """By the end of the next month's N-th business day (IDC-5, IDC-7, IDC-2b)."""


class IdChangeStatus(Status):
    """The status of an ID-count change application (IDC-2)."""

    PENDING = "pending", "処理待ち"
    PROCESSING = "processing", "処理中"
    DONE = "done", "完了"
    WITHDRAWN = "withdrawn", "取下げ"


# -- the policy --------------------------------------------------------------------------------


def _text(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_text(value, field=attribute.name, rule="IDC-1", max_length=_MAX_TEXT)


def _optional_text(_: object, attribute: attrs.Attribute[str | None], value: object) -> None:
    if value is not None:
        check_text(value, field=attribute.name, rule="IDC-1", max_length=_MAX_TEXT)


def _flag(_: object, attribute: attrs.Attribute[bool], value: object) -> None:
    require(value, bool, field=attribute.name, rule="SEC-2", what="a bool")


def _member(kind: type[enum.Enum]) -> _Validator:
    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        require(value, kind, field=attribute.name, rule="SEC-2", what=f"a {kind.__name__}")

    return check


def _count(highest: int) -> _Validator:
    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None:
            return
        if type(value) is not int or not 1 <= value <= highest:
            msg = f"{attribute.name} must be an int from 1 to {highest} or None, not {shown(value)}"
            raise ValidationError(msg, field=attribute.name, rule="IDC-1")

    return check


def _clock_time(value: object, *, field: str) -> time:
    if type(value) is not time or value.tzinfo is not None:
        msg = f"{field} must be a naive datetime.time (JST wall clock), not {shown(value)}"
        raise ValidationError(msg, field=field, rule="IDC-2b")
    return value


def _hours(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if type(value) is not tuple or len(value) != 2:
        msg = f"hours must be a (start, end) tuple of two times or None, not {shown(value)}"
        raise ValidationError(msg, field=attribute.name, rule="IDC-2b")
    start, end = (_clock_time(part, field=attribute.name) for part in value)
    if not start < end:
        msg = f"hours must start before they end, not {start:%H:%M}–{end:%H:%M}"
        raise ValidationError(msg, field=attribute.name, rule="IDC-2b")


def _cutoff(_: object, attribute: attrs.Attribute[time | None], value: object) -> None:
    if value is not None:
        _clock_time(value, field=attribute.name)


def _start(_: object, attribute: attrs.Attribute[time], value: object) -> None:
    _clock_time(value, field=attribute.name)


def _optional_member(kind: type[enum.Enum]) -> _Validator:
    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None:
            what = f"a {kind.__name__} or None"
            require(value, kind, field=attribute.name, rule="SEC-2", what=what)

    return check


def _instant(_: object, attribute: attrs.Attribute[datetime], value: object) -> None:
    to_jst(value, field=attribute.name)  # type: ignore[arg-type]  # to_jst checks the type


def _optional_instant(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        to_jst(value, field=attribute.name)  # type: ignore[arg-type]  # to_jst checks the type


def check_delta(value: object, *, field: str = "delta") -> int:
    """Return ``value`` if it is a non-zero ``int`` of at most :data:`MAX_IDS` either way."""
    if type(value) is not int or value == 0 or abs(value) > MAX_IDS:
        msg = (
            f"{field} must be a non-zero number of IDs to add (or, negative, to remove) of at "
            f"most {MAX_IDS:,}, not {shown(value)}"
        )
        raise ValidationError(msg, field=field, rule="IDC-2")
    return value


def _delta(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    check_delta(value, field=attribute.name)


def _email(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_email(value, field=attribute.name, rule="IDC-2")


def _reason(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    if type(value) is not str or value not in ACCEPTED_REASONS | REFUSED_REASONS:
        msg = f"reason must be one of the reasons decide gives, not {shown(value)}"
        raise ValidationError(msg, field=attribute.name, rule="IDC-10")


_IN_LAST: Final = _count(_MAX_IN_LAST)
_DAYS: Final = _count(_MAX_BUSINESS_DAYS)


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

    IDC-8: ``pending_blocks_new`` makes a 処理待ち application block a new one until it
    applies (EMM); otherwise only 処理中 blocks. A service has add-ons when
    ``blocks_new_for_business_days`` is set: an application that changes add-ons blocks the
    next one of the same ``addon_family`` (the service itself when ``None``) that changes
    add-ons until the end of that many business days after its submission;
    ``always_changes_addons`` says every application of the service does (M365 add-ons).
    IDC-9: ``counts_per_plan`` says the service counts IDs per plan and per option
    (:class:`PlanCounts`).

    Every field is checked (SEC-2): ``ServicePolicy(..., current_closed_in_last="3")`` is a
    :class:`~omakase_core.errors.ValidationError` naming ``current_closed_in_last``.
    """

    service: str = attrs.field(validator=_text)
    label: str = attrs.field(validator=_text)
    rule: str = attrs.field(validator=_text)
    hours: tuple[time, time] | None = attrs.field(default=None, validator=_hours)
    current_timing: CurrentTiming = attrs.field(
        default=CurrentTiming.AT_ACCEPTANCE, validator=_member(CurrentTiming)
    )
    current_business_days: int | None = attrs.field(default=None, validator=_DAYS)
    current_closed_in_last: int | None = attrs.field(default=None, validator=_IN_LAST)
    current_rolls_over_in_last: int | None = attrs.field(default=None, validator=_IN_LAST)
    noon_on_first: bool = attrs.field(default=False, validator=_flag)
    next_timing: NextTiming = attrs.field(
        default=NextTiming.NOON_ON_FIRST, validator=_member(NextTiming)
    )
    next_business_days: int | None = attrs.field(default=None, validator=_DAYS)
    next_any_hour_in_last: int | None = attrs.field(default=None, validator=_IN_LAST)
    current_withdrawable: bool = attrs.field(default=False, validator=_flag)
    next_withdrawable: bool = attrs.field(default=True, validator=_flag)
    withdrawable_only_when_alone: bool = attrs.field(default=False, validator=_flag)
    acceptance_cutoff: time | None = attrs.field(default=None, validator=_cutoff)
    additions_only: bool = attrs.field(default=False, validator=_flag)
    annual_rule: str = attrs.field(default="IDC-9", validator=_text)
    reduction_needs_console_check: bool = attrs.field(default=False, validator=_flag)
    blocks_new_for_business_days: int | None = attrs.field(default=None, validator=_DAYS)
    addon_family: str | None = attrs.field(default=None, validator=_optional_text)
    always_changes_addons: bool = attrs.field(default=False, validator=_flag)
    pending_blocks_new: bool = attrs.field(default=False, validator=_flag)
    counts_per_plan: bool = attrs.field(default=False, validator=_flag)

    def __attrs_post_init__(self) -> None:
        if (self.always_changes_addons or self.addon_family is not None) and (
            self.blocks_new_for_business_days is None
        ):
            msg = "addon_family and always_changes_addons go with blocks_new_for_business_days"
            raise ValidationError(msg, field="addon_family", rule="IDC-8")
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


POLICIES: Final[dict[Service, ServicePolicy]] = {
    Service.GOOGLE_WORKSPACE: ServicePolicy(
        service="google_workspace",
        label="Google Workspace",
        rule="IDC-3",
        current_closed_in_last=4,
        noon_on_first=True,
        reduction_needs_console_check=True,
        blocks_new_for_business_days=5,
        addon_family="google_workspace",
    ),
    Service.M365_PLANS: ServicePolicy(
        service="m365_plans",
        label="Microsoft 365 with KDDI（CSP版）プラン・オプション",
        rule="IDC-4",
        hours=(time(9, 0), time(23, 30)),
        current_closed_in_last=2,
        noon_on_first=True,
        next_any_hour_in_last=2,
        blocks_new_for_business_days=5,
        addon_family="m365",
        counts_per_plan=True,
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
        addon_family="m365",
        always_changes_addons=True,
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
        pending_blocks_new=True,
    ),
}
"""The five services' policies (IDC-3 … IDC-7)."""


def _days(value: int | None) -> str:
    return "-" if value is None else str(value)


def _policy_row(policy: ServicePolicy) -> str:
    hours = (
        "any"
        if policy.hours is None
        else f"{policy.hours[0]:%H:%M}–{policy.hours[1]:%H:%M} (half-open)"
    )
    current = (
        "at acceptance" + (" (12:00 if on the 1st before 12:00)" if policy.noon_on_first else "")
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
    block = policy.blocks_new_for_business_days
    addons = (
        "-"
        if block is None
        else f"{block} business days ({policy.addon_family or policy.service}"
        + (", always)" if policy.always_changes_addons else ")")
    )
    return (
        f"| {policy.label} | {policy.rule} | {hours}{cutoff} "
        f"| {_days(policy.current_closed_in_last)} "
        f"| {_days(policy.current_rolls_over_in_last)} | {current} | {following} "
        f"| {_days(policy.next_any_hour_in_last)} | {withdraw} "
        f"| {'yes' if policy.additions_only else 'no'} "
        f"| {'処理待ち, 処理中' if policy.pending_blocks_new else '処理中'} | {addons} "
        f"| {'yes' if policy.counts_per_plan else 'no'} |"
    )


def policies_markdown(policies: Mapping[Service, ServicePolicy] | None = None) -> str:
    """Return the policies as a Markdown table (the docs page embeds it; a test compares).

    ``policies`` defaults to :data:`POLICIES`; anything but a mapping of policies is refused.
    """
    chosen: object = POLICIES if policies is None else policies
    if not isinstance(chosen, Mapping):
        msg = f"policies must be a mapping of ServicePolicy values or None, not {shown(chosen)}"
        raise ValidationError(msg, field="policies", rule="IDC-1")
    rows = [
        (
            "| service | rule | hours | 当月 closed in last | 当月 as 翌月 in last | 当月 applies "
            "| 翌月 applies | 翌月 any hour in last | withdrawable (当月 / 翌月) | additions only "
            "| blocks a new one | add-on block (family) | counts per plan |"
        ),
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for policy in chosen.values():
        require(policy, ServicePolicy, field="policies", rule="IDC-1", what="a ServicePolicy")
        rows.append(_policy_row(policy))
    return "\n".join(rows)


# -- counts per plan (IDC-9) -------------------------------------------------------------------


def _line_name(value: object, field: str) -> str:
    return check_text(value, field=field, rule="IDC-9", max_length=_MAX_TEXT)


def _line_count(value: object, field: str, *, lowest: int = 0) -> int:
    if type(value) is not int or not lowest <= value <= MAX_IDS:
        msg = f"{field} must hold ID counts from {lowest} to {MAX_IDS:,}, not {shown(value)}"
        raise ValidationError(msg, field=field, rule="IDC-9")
    return value


def _plans(value: object) -> Mapping[str, int]:
    if not isinstance(value, Mapping) or not value:
        msg = f"plans must be a non-empty mapping of plan names to ID counts, not {shown(value)}"
        raise ValidationError(msg, field="plans", rule="IDC-9")
    return MappingProxyType(
        {_line_name(name, "plans"): _line_count(count, "plans") for name, count in value.items()}
    )


def _options(value: object) -> Mapping[str, tuple[str, int]]:
    if not isinstance(value, Mapping):
        msg = f"options must be a mapping of option names to (plan, count), not {shown(value)}"
        raise ValidationError(msg, field="options", rule="IDC-9")
    options: dict[str, tuple[str, int]] = {}
    for name, pair in value.items():
        if type(pair) is not tuple or len(pair) != 2:  # (plan, count)
            msg = f"options must map each option to a (plan, count) pair, not {shown(pair)}"
            raise ValidationError(msg, field="options", rule="IDC-9")
        options[_line_name(name, "options")] = (
            _line_name(pair[0], "options"),
            _line_count(pair[1], "options"),
        )
    return MappingProxyType(options)


@attrs.frozen(kw_only=True)
class PlanCounts:
    """The current ID counts of a service counted per plan and per option (IDC-9: M365).

    ``plans`` maps each contracted plan to its count (0 allowed while another plan keeps
    IDs); ``options`` maps each option to the plan it belongs to and its count, which never
    exceeds the plan's. Anything else is a ``ValidationError`` naming ``plans`` or
    ``options`` (SEC-2).

    >>> counts = PlanCounts(plans={"E3": 5, "Basic": 3}, options={"Teams Phone": ("E3", 4)})
    >>> counts.refusal("Basic", -3), counts.refusal("E3", -2), counts.refusal("Basic", -4)
    (None, 'option_exceeds_plan', 'count_below_one')
    """

    plans: Mapping[str, int] = attrs.field(converter=_plans)
    options: Mapping[str, tuple[str, int]] = attrs.field(factory=dict, converter=_options)

    def __attrs_post_init__(self) -> None:
        """Refuse an option of an unknown plan, above its plan, or named like a plan (IDC-9)."""
        for name, (plan, count) in self.options.items():
            if name in self.plans or plan not in self.plans or count > self.plans[plan]:
                msg = (
                    f"option {name[:40]} must belong to one of the plans, be named apart from "
                    "them and count at most its plan's IDs"
                )
                raise ValidationError(msg, field="options", rule="IDC-9")

    def count_of(self, line: str) -> int:
        """Return the current count of a plan or an option; 0 for a plan not yet contracted."""
        line = _line_name(line, "line")
        if line in self.options:
            return self.options[line][1]
        return self.plans.get(line, 0)

    def refusal(self, line: str, delta: int) -> str | None:
        """Return why changing ``line`` by ``delta`` is refused (a decision reason), or None.

        A line below 0 is ``count_below_one``; every plan at 0 ``all_plans_zero``; an option
        above its plan ``option_exceeds_plan`` (IDC-9).
        """
        line = _line_name(line, "line")
        after = self.count_of(line) + check_delta(delta)
        if after < 0:
            return "count_below_one"
        if line in self.options:
            return "option_exceeds_plan" if after > self.plans[self.options[line][0]] else None
        if after == 0 and all(count == 0 for name, count in self.plans.items() if name != line):
            return "all_plans_zero"
        if any(plan == line and count > after for plan, count in self.options.values()):
            return "option_exceeds_plan"
        return None


# -- the decision (IDC-10) ---------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Decision:
    """What :func:`~omakase_core.id_change.decide` concluded, and why (IDC-10).

    ``rule`` is the ID of the deciding rule. ``applies_at`` is the exact instant when the
    seed gives one; ``applies_by`` the exclusive end of a "within N business days" window.
    ``withdrawable_until`` is ``None`` when the application cannot be withdrawn.
    ``target`` is the month the change counts for (a 当月 application can be treated as 翌月).
    ``processing_done_expected_at`` is 12:00 of the business day after ``applies_at``, and
    ``None`` for a "within N business days" change, whose end is known only when the
    operator reports it applied (IDC-8, amended).
    """

    accepted: bool = attrs.field(validator=_flag)
    rule: str = attrs.field(validator=_text)
    reason: str = attrs.field(validator=_reason)
    service: str = attrs.field(validator=_text)
    service_label: str = attrs.field(validator=_text)
    requested_target: Target = attrs.field(validator=_member(Target))
    target: Target | None = attrs.field(validator=_optional_member(Target))
    delta: int = attrs.field(validator=_delta)
    submitted_at: datetime = attrs.field(validator=_instant)
    applies_at: datetime | None = attrs.field(default=None, validator=_optional_instant)
    applies_by: datetime | None = attrs.field(default=None, validator=_optional_instant)
    withdrawable_until: datetime | None = attrs.field(default=None, validator=_optional_instant)
    processing_done_expected_at: datetime | None = attrs.field(
        default=None, validator=_optional_instant
    )
    window_days: int | None = attrs.field(default=None, validator=_IN_LAST)
    window_start: datetime | None = attrs.field(default=None, validator=_optional_instant)
    window_end: datetime | None = attrs.field(default=None, validator=_optional_instant)
    hours: tuple[time, time] | None = attrs.field(default=None, validator=_hours)

    def __attrs_post_init__(self) -> None:
        """Refuse a decision whose parts disagree (SEC-2): :func:`decide` never builds one."""
        if self.accepted != (self.target is not None):
            msg = "target is the month an accepted decision counts for, and None when refused"
            raise ValidationError(msg, field="target", rule="IDC-10")
        reasons = ACCEPTED_REASONS if self.accepted else REFUSED_REASONS
        if self.reason not in reasons:
            kind = "an accepted" if self.accepted else "a refused"
            msg = f"reason {self.reason} is not the reason of {kind} decision"
            raise ValidationError(msg, field="reason", rule="IDC-10")

    @property
    def applying_instant(self) -> datetime | None:
        """Return when the change applies at the latest: ``applies_at`` or ``applies_by``."""
        return self.applies_at if self.applies_at is not None else self.applies_by

    def explain(self, lang: str = "ja") -> str:
        """Explain the decision in full sentences, in ``"ja"`` or ``"en"`` (IDC-10)."""
        if type(lang) is not str or lang not in _LANGUAGES:
            msg = f"lang must be one of {', '.join(_LANGUAGES)}, not {shown(lang)}"
            raise ValidationError(msg, field="lang", rule="IDC-10")
        return _explain_ja(self) if lang == "ja" else _explain_en(self)


class ApplicationRefused(ValidationError):
    """A well-formed application that a rule refuses; ``decision`` says which and why.

    The text names the rule once (IDC-10): a ``message`` that already starts with it, as a
    decision's own explanation does (``"IDC-3 (Google Workspace): …"``), is the text as it
    is; any other message is said after the rule (``"IDC-8: …"``), as every error's is.
    """

    decision: Decision | None

    def __init__(
        self, message: str, *, rule: str, field: str, decision: Decision | None = None
    ) -> None:
        self.decision = decision
        super().__init__(message, field=field, rule=rule)
        if _names_rule_first(message, rule):
            self.args = (message,)

    def _explain_ja(self) -> str:
        """Say the decision's own Japanese explanation when there is one (IDC-10)."""
        if self.decision is None:
            return super()._explain_ja()
        text = self.decision.explain("ja")
        return text if self.rule is None or self.rule in text else f"{self.rule}: {text}"


def _names_rule_first(message: object, rule: object) -> bool:
    """Return whether ``message`` starts with ``rule`` as a decision's explanation does."""
    return (
        isinstance(message, str)
        and isinstance(rule, str)
        and bool(rule)
        and message.startswith((f"{rule} ", f"{rule}:"))
    )


# -- the month view ----------------------------------------------------------------------------


def _day(_: object, attribute: attrs.Attribute[date], value: object) -> None:
    if type(value) is not date:
        msg = f"day must be a datetime.date (not a datetime), not {shown(value)}"
        raise ValidationError(msg, field=attribute.name, rule="SEC-2")


def _slots(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if type(value) is not tuple or not all(type(slot) is WindowSlot for slot in value):
        msg = f"slots must be a tuple of WindowSlot values, not {shown(value)}"
        raise ValidationError(msg, field=attribute.name, rule="SEC-2")


@attrs.frozen(kw_only=True)
class WindowSlot:
    """From ``start`` to ``end`` (exclusive; ``None`` = 24:00) ``target`` is accepted.

    ``counts_as`` is the month the change then counts for (a 当月 application can be
    treated as 翌月).
    """

    target: Target = attrs.field(validator=_member(Target))
    start: time = attrs.field(validator=_start)
    end: time | None = attrs.field(validator=_cutoff)
    counts_as: Target = attrs.field(validator=_member(Target))

    def __attrs_post_init__(self) -> None:
        """Refuse a slot that ends before it starts (IDC-2b: windows are half-open)."""
        if self.end is not None and not self.start < self.end:
            msg = f"end must be after start or None (24:00), not {self.end:%H:%M}"
            raise ValidationError(msg, field="end", rule="IDC-2b")


@attrs.frozen(kw_only=True)
class DayWindows:
    """One day of :func:`~omakase_core.id_change.month_windows`: when each target is accepted."""

    day: date = attrs.field(validator=_day)
    slots: tuple[WindowSlot, ...] = attrs.field(validator=_slots)

    def open_for(self, target: Target) -> tuple[WindowSlot, ...]:
        """Return the slots of ``target`` (a :class:`Target`, nothing else: SEC-2)."""
        require(target, Target, field="target", rule="SEC-2", what="a Target")
        return tuple(slot for slot in self.slots if slot.target is target)


# -- events ------------------------------------------------------------------------------------


def check_accepted(value: object, *, field: str = "decision") -> Decision:
    """Return ``value`` if it is an accepted :class:`Decision`: only those make applications."""
    decision = require(value, Decision, field=field, rule="IDC-2", what="a Decision")
    if not decision.accepted:
        msg = f"{field} must be an accepted Decision, not one refused by {decision.rule}"
        raise ValidationError(msg, field=field, rule="IDC-2")
    return decision


def _accepted_decision(_: object, attribute: attrs.Attribute[Decision], value: object) -> None:
    check_accepted(value, field=attribute.name)


@attrs.frozen(kw_only=True)
class IdChangeEvent(Event):
    """Base of the ID-count change events; ``contact_email`` is the applicant's address."""

    aggregate_type: ClassVar[str] = "id_change"

    service_label: str = attrs.field(validator=_text)
    contact_email: str = attrs.field(validator=_email)


@stored("id_change.IdChangeAccepted")
@attrs.frozen(kw_only=True)
class IdChangeAccepted(IdChangeEvent):
    """The application was accepted; ``decision`` says when it applies (IDC-2)."""

    decision: Decision = attrs.field(validator=_accepted_decision)


@stored("id_change.IdChangeApplied")
@attrs.frozen(kw_only=True)
class IdChangeApplied(IdChangeEvent):
    """The new ID count applies from ``occurred_at``; KDDI's processing runs (IDC-8)."""

    delta: int = attrs.field(validator=_delta)
    processing_done_expected_at: datetime | None = attrs.field(validator=_optional_instant)


@stored("id_change.IdChangeWithdrawn")
@attrs.frozen(kw_only=True)
class IdChangeWithdrawn(IdChangeEvent):
    """The customer withdrew the application before it applied."""


@stored("id_change.IdChangeCompleted")
@attrs.frozen(kw_only=True)
class IdChangeCompleted(IdChangeEvent):
    """KDDI reported its processing complete: a new application is possible (IDC-8)."""


# -- explanations (IDC-10) -----------------------------------------------------------------------


def _hours_text(policy_hours: tuple[time, time] | None) -> str:
    if policy_hours is None:
        return ""
    start, end = policy_hours
    last = (datetime.combine(date(2000, 1, 1), end) - timedelta(minutes=1)).time()
    return f"{start:%H:%M}～{last:%H:%M}"


_REFUSED_JA: Final = {
    "count_missing": "受け付けられません。現在の ID 数が指定されていません。",
    "count_below_one": "受け付けられません。変更後の ID 数が 0 以下になるためです。",
    "all_plans_zero": "受け付けられません。すべてのプランの ID 数を 0 にする変更はできません。",
    "option_exceeds_plan": (
        "受け付けられません。オプションの契約数はプランの契約数以内でお申し込みください。"
    ),
    "no_consent": "受け付けられません。利用規約への同意が必要です。",
}
_REFUSED_EN: Final = {
    "count_missing": " is refused: the current ID count was not given.",
    "count_below_one": " is refused: the resulting ID count would be 0 or less.",
    "all_plans_zero": " is refused: the IDs of every plan cannot all go to 0.",
    "option_exceeds_plan": " is refused: an option may count at most its plan's IDs.",
    "no_consent": " is refused: consent to the terms of use is required.",
}


def _explain_ja(d: Decision) -> str:  # one sentence per reason
    head = (
        f"{d.rule}（{d.service_label}）: {format_instant(d.submitted_at)} の"
        f"{d.requested_target.label}指定、{d.delta:+d} ID のお申込みは"
    )
    if not d.accepted:
        if d.reason == "additions_only":
            return head + "受け付けられません。このサービスは ID 数の追加のみお申込みいただけます。"
        if d.reason == "annual_reduction":
            return head + (
                "受け付けられません。年契約の ID 数の削減はポータルでは承っておらず、"
                "契約更新時に KDDI 法人営業担当者へお申し付けください。"
            )
        if d.reason in _REFUSED_JA:
            return head + _REFUSED_JA[d.reason]
        if d.reason == "outside_hours":
            hours = _hours_text(d.hours)
            return head + f"受付時間（{hours}）外のため受け付けられません。"
        window = f"{d.window_days}営業日"
        span = _span_ja(d)
        return head + (
            f"受け付けられません。当月最終{window}（{span}）は翌月指定のみ受け付けます。"
        )
    parts = [head + "受け付けます。"]
    if d.reason == "rolled_over":
        parts.append(
            f"当月最終{d.window_days}営業日（{_span_ja(d)}）の受付のため、翌月指定として扱います。"
        )
    if d.applies_at is not None:
        note = "毎月1日12時前の受付のため、" if d.reason == "noon_on_first" else ""
        parts.append(f"{note}{format_instant(d.applies_at)} に適用されます。")
    elif d.applies_by is not None:
        parts.append(f"{format_deadline(d.applies_by)} までに適用されます。")
    if d.withdrawable_until is None:
        parts.append("取下げはできません。")
    else:
        parts.append(f"{_until_ja(d.withdrawable_until)} まで取下げできます。")
    if d.processing_done_expected_at is not None:
        done = format_instant(d.processing_done_expected_at)
        parts.append(f"KDDI 内部処理の完了見込みは {done} 頃で、それまで次のお申込みはできません。")
    else:
        parts.append(
            "KDDI 内部処理は適用の翌営業日 12:00 頃に完了する見込みで、"
            "それまで次のお申込みはできません。"
        )
    return "".join(parts)


def _explain_en(d: Decision) -> str:  # one sentence per reason
    target = "current-month" if d.requested_target is Target.CURRENT_MONTH else "next-month"
    head = (
        f"{d.rule} ({d.service_label}): the {target} application for {d.delta:+d} IDs "
        f"submitted at {format_instant(d.submitted_at, 'en')}"
    )
    if not d.accepted:
        if d.reason == "additions_only":
            return head + " is refused: this service accepts additions only."
        if d.reason == "annual_reduction":
            return head + (
                " is refused: reductions of an annual contract are not accepted through the "
                "portal; ask the KDDI sales representative at renewal."
            )
        if d.reason in _REFUSED_EN:
            return head + _REFUSED_EN[d.reason]
        if d.reason == "outside_hours":
            hours = _hours_text(d.hours)
            return head + f" is refused: applications are accepted {hours} only."
        return head + (
            f" is refused: in the month's last {d.window_days} business days "
            f"({_span_en(d)}) only next-month applications are accepted."
        )
    parts = [head + " is accepted."]
    if d.reason == "rolled_over":
        parts.append(
            f"It falls in the month's last {d.window_days} business days ({_span_en(d)}), "
            "so it is treated as a next-month application."
        )
    if d.applies_at is not None:
        note = " (accepted on the 1st before 12:00)" if d.reason == "noon_on_first" else ""
        parts.append(f"It applies at {format_instant(d.applies_at, 'en')}{note}.")
    elif d.applies_by is not None:
        parts.append(f"It applies by {format_deadline(d.applies_by, 'en')}.")
    if d.withdrawable_until is None:
        parts.append("It cannot be withdrawn.")
    else:
        parts.append(f"It can be withdrawn until {_until_en(d.withdrawable_until)}.")
    if d.processing_done_expected_at is not None:
        done = format_instant(d.processing_done_expected_at, "en")
        parts.append(
            f"KDDI's processing is expected to finish around {done}; "
            "no new application is possible before."
        )
    else:
        parts.append(
            "KDDI's processing is expected to finish around 12:00 on the business day after "
            "the change applies; no new application is possible before."
        )
    return " ".join(parts)


def _until_ja(instant: datetime) -> str:
    return format_deadline(instant) if instant.time() == _MIDNIGHT else format_instant(instant)


def _until_en(instant: datetime) -> str:
    if instant.time() == _MIDNIGHT:
        return format_deadline(instant, "en")
    return format_instant(instant, "en")


def _span_ja(d: Decision) -> str:
    if d.window_start is None or d.window_end is None:
        return ""
    return f"{format_date(d.window_start.date())} 0:00～{format_deadline(d.window_end)}"


def _span_en(d: Decision) -> str:
    if d.window_start is None or d.window_end is None:
        return ""
    start = format_date(d.window_start.date(), "en")
    return f"from {start} 00:00 to {format_deadline(d.window_end, 'en')}"
