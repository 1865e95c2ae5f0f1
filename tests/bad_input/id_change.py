"""Valid calls of ``omakase_core.id_change``: the baselines the bad values replace (SEC-2).

One :class:`~tests.bad_input.spec.Case` per public callable of the domain (IDC-1 … IDC-10):
the enums' look-ups, the policy, the decision and its month view, the events, the aggregate
and its commands, the service's commands and look-ups (each on fresh in-memory ports, with
a valid principal: SEC-1) and the in-memory repository the domain's tests use.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time

import attrs

from omakase_core import Actor, Principal
from omakase_core.accounts import Role
from omakase_core.calendar import JST, BusinessCalendar
from omakase_core.id_change import (
    ApplicationRefused,
    CurrentTiming,
    DayWindows,
    Decision,
    IdChangeAccepted,
    IdChangeApplication,
    IdChangeApplied,
    IdChangeChart,
    IdChangeCompleted,
    IdChangeEvent,
    IdChangeService,
    IdChangeStatus,
    IdChangeWithdrawn,
    NextTiming,
    PlanCounts,
    Service,
    ServicePolicy,
    Target,
    Term,
    WindowSlot,
    decide,
    month_windows,
    policies_markdown,
)
from omakase_core.id_change.rules import (
    addon_block_end,
    calendar_or_national,
    policy_of,
    processing_done_expected,
)
from omakase_core.testing import FixedClock, InMemoryIdChangeRepository, InMemoryOutbox
from tests.bad_input import values as v
from tests.bad_input.spec import ID_TEXT, OTHER_TEXT, Case, Lazy, Param, may, refuse
from tests.bad_input.values import MAY, REFUSE, Bad, bad

T0 = datetime(2026, 11, 2, 10, 0, tzinfo=JST)
"""A Monday morning: every service accepts both targets (not in any month-end window)."""
LATER = datetime(2026, 11, 2, 11, 0, tzinfo=JST)
JAPAN = BusinessCalendar.japan()
ADMIN = Principal.customer("cust-1", user_id="cust-1-admin", role=Role.ADMIN)
OPERATOR = Principal.operator("kddi-staff-1")
SYSTEM = Principal.system()
EMAIL = "admin@example.co.jp"

NEXT = decide(
    Service.GOOGLE_WORKSPACE,
    target=Target.NEXT_MONTH,
    submitted_at=T0,
    delta=2,
    current_count=10,
    consented=True,
)
"""Accepted, pending until 12:00 on 1 December, withdrawable until then (IDC-3)."""
NOW = decide(
    Service.GOOGLE_WORKSPACE,
    target=Target.CURRENT_MONTH,
    submitted_at=T0,
    delta=2,
    current_count=10,
    consented=True,
)
"""Accepted, applied at acceptance: processing at once (IDC-3)."""
WITHIN = decide(
    Service.M365_ADDONS,
    target=Target.CURRENT_MONTH,
    submitted_at=T0,
    delta=2,
    current_count=10,
    consented=True,
)
"""Accepted, applied "within 5 business days": the operator reports it applied (IDC-5)."""
REFUSED = decide(
    Service.EMM,
    target=Target.CURRENT_MONTH,
    submitted_at=T0,
    delta=-1,
    current_count=10,
    consented=True,
)
"""Refused: EMM takes additions only (IDC-7)."""
EMM = policy_of(Service.EMM)
POLICY = ServicePolicy(service="kintone", label="kintone", rule="IDC-1")
SLOT = WindowSlot(
    target=Target.NEXT_MONTH, start=time(0), end=time(12), counts_as=Target.NEXT_MONTH
)

COUNTS = PlanCounts(plans={"E3": 5, "Basic": 3}, options={"Teams Phone": ("E3", 4)})
"""Two M365 plans and an option of the first (IDC-9)."""

DAY_WINDOWS = month_windows(Service.GOOGLE_WORKSPACE, 2026, 11)[1]


def _application(decision: Decision = NEXT) -> IdChangeApplication:
    return IdChangeApplication.accept(
        id="idc-1", customer_id="cust-1", contact_email=EMAIL, decision=decision
    ).saved()


def _desk(*decisions: tuple[Service, Target]) -> IdChangeService:
    """Return a service over fresh ports, holding ``idc-1`` (and more) submitted at ``T0``."""
    clock = FixedClock(T0)
    service = IdChangeService(
        applications=InMemoryIdChangeRepository(InMemoryOutbox()), clock=clock
    )
    for number, (kind, target) in enumerate(decisions, start=1):
        service.submit(
            f"idc-{number}",
            by=ADMIN,
            contact_email=EMAIL,
            service=kind,
            target=target,
            delta=2,
            current_count=10,
            consented=True,
        )
    clock.set(LATER)
    return service


def _repository() -> InMemoryIdChangeRepository:
    repository = InMemoryIdChangeRepository(InMemoryOutbox())
    repository.add(
        IdChangeApplication.accept(
            id="idc-1", customer_id="cust-1", contact_email=EMAIL, decision=NEXT
        )
    )
    return repository


# -- families of this module's special parameters ---------------------------------------------

ID = refuse(*ID_TEXT)
"""An application's or a customer's id (SEC-1): printable, not blank, at most 200 characters."""

TEXT_FIELD = refuse(*ID_TEXT)
"""A one-line text of a value (a label, a rule id): never blank, unprintable or huge."""

EMAIL_FIELD = refuse(*OTHER_TEXT)
"""An e-mail address: none of the family's texts is one."""

SERVICE = Param(
    family=(
        *v.enum_member(Service),
        *v.instance_of(ServicePolicy),
        bad("a Target for a service", Target.NEXT_MONTH, REFUSE),
        v.NONE,
        *v.WRONG_OBJECT,
    )
)
"""A :class:`Service` member or a :class:`ServicePolicy`: nothing else (SEC-2)."""

OPTIONAL_CALENDAR = Param(
    family=(*v.instance_of(BusinessCalendar), *v.WRONG_OBJECT),
)
"""A :class:`BusinessCalendar`, or ``None`` for the national one."""

DELTA = refuse("zero", "huge", "-huge", "2**63")
"""A non-zero number of IDs of at most 1,000,000 either way (IDC-2)."""

COUNT = refuse("negative", "huge", "-huge", "2**63")
"""A number of IDs from 0 (IDC-9)."""

DAYS = refuse("negative", "zero", "huge", "-huge", "2**63")
"""A policy's number of business days: 1 to 60 (IDC-1)."""

IN_LAST = refuse("negative", "zero", "huge", "-huge", "2**63")
"""A "last N business days" window: 1 to 15 (IDC-1)."""

EXPECTED_VERSION = refuse("negative", "-huge")
"""The version the user's screen showed (SEC-3)."""

VERSION = refuse("negative", "zero", "-huge")
"""An event's version: from 1 (PORT-3)."""

REASON = refuse(*OTHER_TEXT)
"""A decision's reason: one of the reasons ``decide`` gives, nothing else (IDC-10)."""

YEAR = refuse("negative", "zero", "-huge", "huge", "2**63")
MONTH = refuse("negative", "zero", "-huge", "huge", "2**63")

TABLE = Param(
    family=(
        bad("text for a mapping", "google_workspace", REFUSE),
        bad("int for a mapping", 1, REFUSE),
        Bad("a list of policies", lambda: [POLICY], REFUSE),
        Bad("a mapping holding None", lambda: {Service.EMM: None}, REFUSE),
        Bad("a mapping holding text", lambda: {Service.EMM: "emm"}, REFUSE),
        Bad("a mapping holding an object()", lambda: {Service.EMM: object()}, REFUSE),
        Bad("an empty mapping", dict, MAY),
        bad("object()", object(), REFUSE),
        Bad("unhashable list", lambda: ["x"], REFUSE),
        Bad("unhashable set", lambda: {"x"}, REFUSE),
    )
)
"""The policies to draw as a table: a mapping of :class:`ServicePolicy` values, or ``None``."""

CHART_MODEL = Param(
    family=(
        bad("text for a model", "model", REFUSE),
        bad("int for a model", 1, REFUSE),
        bad("a tuple for a model", ("x",), REFUSE),
        Bad("unhashable list", lambda: ["x"], REFUSE),
    )
)
"""A chart's model: ``None`` or an object that can hold the state (python-statemachine)."""

CHART_START = Param(
    family=(
        *v.enum_member(IdChangeStatus),
        bad("a status of another lifecycle", Actor.OPERATOR, REFUSE),
        *v.WRONG_OBJECT,
    )
)
"""Where a chart starts: ``None`` (処理待ち) or an :class:`IdChangeStatus` member."""

CHART_FIELD = refuse(*(OTHER_TEXT - {"unknown word"}))
"""The model's attribute that holds the state: a Python identifier ("nope" is one)."""

CHART_LISTENERS = Param(
    family=(
        bad("text for listeners", "listener", REFUSE),
        bad("int for listeners", 1, REFUSE),
        Bad("a list holding None", lambda: [None], REFUSE),
        Bad("a list holding text", lambda: ["x"], REFUSE),
        Bad("empty list", list, MAY),
        bad("object()", object(), REFUSE),
        Bad("unhashable dict", lambda: {"x": 1}, REFUSE),
    )
)
"""Objects observing a chart: ``None`` or a list of them."""

CLOCK_TIMES: tuple[Bad, ...] = (
    bad("a datetime for a time", datetime(2026, 11, 2, 12, 0), REFUSE),  # noqa: DTZ001  # the point
    bad("an aware time", time(12, 0, tzinfo=JST), REFUSE),
    bad("text for a time", "12:00", REFUSE),
    bad("int for a time", 12, REFUSE),
    bad("float for a time", 12.0, REFUSE),
    bad("NaN", math.nan, REFUSE),
    bad("time.max", time.max, MAY),
    bad("midnight", time(0), MAY),
    *v.WRONG_OBJECT,
)
CLOCK_TIME = Param(family=CLOCK_TIMES)
"""A JST wall-clock time (IDC-2b): a naive ``datetime.time``; ``None`` where optional."""

TIME = Param(family=(*CLOCK_TIMES, v.NONE))
"""A wall-clock time that is required."""

HOURS = Param(
    family=(
        bad("one time", time(9), REFUSE),
        bad("text for hours", "09:00-23:30", REFUSE),
        bad("three times", (time(9), time(12), time(23)), REFUSE),
        bad("a pair holding None", (time(9), None), REFUSE),
        bad("a pair of text", ("09:00", "23:30"), REFUSE),
        bad("a pair of aware times", (time(9, tzinfo=JST), time(23, tzinfo=JST)), REFUSE),
        bad("an empty span", (time(9), time(9)), REFUSE),
        bad("a reversed span", (time(23), time(9)), REFUSE),
        Bad("a list of two times", lambda: [time(9), time(23)], MAY),
        *v.WRONG_OBJECT,
    )
)
"""Acceptance hours (IDC-2b): ``None`` or a ``(start, end)`` pair of wall-clock times."""

ERROR_TEXT = Param(echo_ok=True)
"""An error's ``message`` is the message: it may show itself."""

LABEL = Param(label=True)
"""A name the library passes to label its own error (``field=``): not input."""

PLANS = Param(
    family=(
        bad("text for a mapping", "E3", REFUSE),
        bad("int for a mapping", 1, REFUSE),
        Bad("an empty mapping", dict, REFUSE),
        Bad("a negative count", lambda: {"E3": -1}, REFUSE),
        Bad("a count as text", lambda: {"E3": "5"}, REFUSE),
        Bad("a bool count", lambda: {"E3": True}, REFUSE),
        Bad("a huge count", lambda: {"E3": 10**30}, REFUSE),
        Bad("a blank plan name", lambda: {" ": 5}, REFUSE),
        Bad("a plan name of 1 MB", lambda: {"x" * 1_000_000: 5}, REFUSE),
        Bad("a None plan name", lambda: {None: 5}, REFUSE),
        v.NONE,
        bad("object()", object(), REFUSE),
    ),
    fields=("options",),  # the baseline's option then belongs to no plan
)
"""Plan names to counts from 0 (IDC-9)."""

OPTIONS = Param(
    family=(
        bad("text for a mapping", "Teams Phone", REFUSE),
        Bad("a count for a pair", lambda: {"Teams Phone": 4}, REFUSE),
        Bad("a list for a pair", lambda: {"Teams Phone": ["E3", 4]}, REFUSE),
        Bad("an unknown plan", lambda: {"Teams Phone": ("E5", 1)}, REFUSE),
        Bad("more than the plan", lambda: {"Teams Phone": ("E3", 6)}, REFUSE),
        Bad("a plan's name", lambda: {"E3": ("E3", 1)}, REFUSE),
        Bad("a negative count", lambda: {"Teams Phone": ("E3", -1)}, REFUSE),
        Bad("a blank option name", lambda: {" ": ("E3", 1)}, REFUSE),
        Bad("no options", dict, MAY),
        v.NONE,
        bad("object()", object(), REFUSE),
    ),
)
"""Option names to (plan, count), within the plan's count (IDC-9)."""

PER_PLAN_LINE = refuse(*ID_TEXT, fields=("current_count",))
"""A plan or option name; a valid other name is a plan not yet contracted, whose count 0 is
not the baseline's ``current_count``, which the error then names (IDC-9)."""

DECISION = Param(extra=(bad("a refused decision", REFUSED, REFUSE),))
"""An application exists only for an accepted decision (IDC-2)."""

EVENT_BASE = {"aggregate_id": "idc-1", "version": 1, "occurred_at": T0}
EVENT_FIELDS = {
    "aggregate_id": ID,
    "version": VERSION,
    "service_label": TEXT_FIELD,
    "contact_email": EMAIL_FIELD,
}


def _event_args(**more: object) -> dict[str, object]:
    return {**EVENT_BASE, "service_label": "Google Workspace", "contact_email": EMAIL, **more}


CASES: list[Case] = [
    # -- enums: a look-up by value refuses cleanly (SEC-2) -----------------------------------
    Case(Service, {"value": "emm"}),
    Case(Target, {"value": "next_month"}),
    Case(Term, {"value": "annual"}),
    Case(CurrentTiming, {"value": "at_acceptance"}),
    Case(NextTiming, {"value": "noon_on_first"}),
    Case(IdChangeStatus, {"value": "pending"}),
    # -- the policy and its table (IDC-1) ------------------------------------------------------
    Case(
        ServicePolicy,
        attrs.asdict(EMM, recurse=False),
        {
            "service": TEXT_FIELD,
            "label": TEXT_FIELD,
            "rule": TEXT_FIELD,
            "annual_rule": TEXT_FIELD,
            "hours": HOURS,
            "acceptance_cutoff": CLOCK_TIME,
            "current_business_days": DAYS,
            "current_closed_in_last": IN_LAST,
            "current_rolls_over_in_last": IN_LAST,
            "next_business_days": DAYS,
            "next_any_hour_in_last": IN_LAST,
            "blocks_new_for_business_days": DAYS,
        },
    ),
    Case(policies_markdown, {"policies": {Service.EMM: EMM}}, {"policies": TABLE}),
    Case(policy_of, {"service": Service.EMM}, {"service": SERVICE}),
    Case(
        calendar_or_national,
        {"calendar": JAPAN, "field": "calendar"},
        {"calendar": OPTIONAL_CALENDAR, "field": LABEL},
    ),
    Case(
        addon_block_end,
        {"submitted_at": T0, "days": 5, "calendar": JAPAN},
        {"days": DAYS},
    ),
    # -- the decision and its month view (IDC-2 … IDC-10) ------------------------------------
    Case(
        decide,
        {
            "service": Service.GOOGLE_WORKSPACE,
            "target": Target.NEXT_MONTH,
            "submitted_at": T0,
            "delta": 2,
            "current_count": 10,
            "term": Term.MONTHLY,
            "calendar": JAPAN,
            "submitted_alone": True,
            "consented": True,
        },
        {
            "service": SERVICE,
            "delta": DELTA,
            "current_count": COUNT,
            "calendar": OPTIONAL_CALENDAR,
            "line": TEXT_FIELD,
        },
    ),
    Case(
        decide,
        {
            "service": Service.M365_PLANS,
            "target": Target.NEXT_MONTH,
            "submitted_at": T0,
            "delta": -1,
            "current_count": 5,
            "consented": True,
            "line": "E3",
            "counts": COUNTS,
        },
        # a valid other delta or count departs from the line's count: current_count names it
        {
            "service": SERVICE,
            "delta": DELTA,
            "current_count": COUNT,
            "line": PER_PLAN_LINE,
        },
        name="per plan",
    ),
    Case(
        PlanCounts,
        {"plans": {"E3": 5, "Basic": 3}, "options": {"Teams Phone": ("E3", 4)}},
        {"plans": PLANS, "options": OPTIONS},
    ),
    Case((PlanCounts, "count_of"), {"line": "E3"}, {"line": TEXT_FIELD}, instance=lambda: COUNTS),
    Case(
        (PlanCounts, "refusal"),
        {"line": "E3", "delta": -1},
        {"line": TEXT_FIELD, "delta": DELTA},
        instance=lambda: COUNTS,
    ),
    Case(
        processing_done_expected,
        {"applied_at": T0, "calendar": JAPAN},
    ),
    Case(
        month_windows,
        {"service": Service.M365_PLANS, "year": 2026, "month": 5, "calendar": JAPAN},
        {"service": SERVICE, "year": YEAR, "month": MONTH, "calendar": OPTIONAL_CALENDAR},
    ),
    Case(
        Decision,
        attrs.asdict(WITHIN, recurse=False),
        {
            "rule": TEXT_FIELD,
            "reason": REASON,
            "service": TEXT_FIELD,
            "service_label": TEXT_FIELD,
            "delta": DELTA,
            "window_days": IN_LAST,
            "hours": HOURS,
        },
        name="accepted",
    ),
    Case(
        Decision,
        attrs.asdict(
            decide(
                Service.GOOGLE_WORKSPACE,
                target=Target.CURRENT_MONTH,
                submitted_at=datetime(2026, 11, 26, 10, 0, tzinfo=JST),
                delta=2,
                current_count=10,
                consented=True,
            ),
            recurse=False,
        ),
        {
            "rule": TEXT_FIELD,
            "reason": REASON,
            "service": TEXT_FIELD,
            "service_label": TEXT_FIELD,
            "delta": DELTA,
            "window_days": IN_LAST,
            "hours": HOURS,
        },
        name="refused in the month-end window",
    ),
    Case(
        (Decision, "explain"), {"lang": "en"}, {"lang": refuse(*OTHER_TEXT)}, instance=lambda: NOW
    ),
    Case(
        WindowSlot,
        attrs.asdict(SLOT, recurse=False),
        # a start at or after the end (time.max) is refused as the span's end, "end"
        {"start": Param(family=TIME.family, fields=("end",)), "end": CLOCK_TIME},
    ),
    Case(DayWindows, {"day": date(2026, 11, 2), "slots": (SLOT,)}),
    Case((DayWindows, "open_for"), {"target": Target.NEXT_MONTH}, instance=lambda: DAY_WINDOWS),
    Case(
        ApplicationRefused,
        {"message": "m", "rule": "IDC-7", "field": "application", "decision": REFUSED},
        {"message": ERROR_TEXT},
        lenient=True,
    ),
    # -- the chart (IDC-2): python-statemachine's own entry, checked (SEC-2) ------------------
    Case(
        IdChangeChart,
        {"model": None, "state_field": "state", "start_value": IdChangeStatus.PENDING},
        {
            "model": CHART_MODEL,
            "state_field": CHART_FIELD,
            "start_value": CHART_START,
            "listeners": CHART_LISTENERS,
        },
    ),
    # -- events (IDC-2, IDC-8; PORT-3) ---------------------------------------------------------
    Case(IdChangeEvent, _event_args(), EVENT_FIELDS),
    Case(IdChangeAccepted, _event_args(decision=NEXT), {**EVENT_FIELDS, "decision": DECISION}),
    Case(
        IdChangeApplied,
        _event_args(delta=2, processing_done_expected_at=NOW.processing_done_expected_at),
        {**EVENT_FIELDS, "delta": DELTA},
    ),
    Case(IdChangeWithdrawn, _event_args(), EVENT_FIELDS),
    Case(IdChangeCompleted, _event_args(), EVENT_FIELDS),
    # -- the aggregate (IDC-2, IDC-8) ----------------------------------------------------------
    Case(
        IdChangeApplication,
        {
            "id": "idc-1",
            "customer_id": "cust-1",
            "contact_email": EMAIL,
            "decision": NEXT,
            "status": IdChangeStatus.PENDING,
            "version": 1,
            "updated_at": T0,
            "applied_at": None,
            "pending_events": (),
        },
        {
            "id": ID,
            "customer_id": ID,
            "contact_email": EMAIL_FIELD,
            "decision": DECISION,
            "version": refuse("negative", "-huge"),
        },
    ),
    Case(
        (IdChangeApplication, "accept"),
        {
            "id": "idc-1",
            "customer_id": "cust-1",
            "contact_email": EMAIL,
            "decision": NEXT,
            "changes_addons": False,
        },
        {"id": ID, "customer_id": ID, "contact_email": EMAIL_FIELD, "decision": DECISION},
    ),
    Case(
        (IdChangeApplication, "withdraw"),
        {"actor": Actor.CUSTOMER, "at": LATER},
        instance=_application,
    ),
    Case((IdChangeApplication, "apply_due"), {"now": LATER}, instance=_application),
    Case(
        (IdChangeApplication, "report_applied"),
        {"actor": Actor.OPERATOR, "at": LATER, "calendar": JAPAN},
        {"calendar": OPTIONAL_CALENDAR},
        instance=lambda: _application(WITHIN),
    ),
    Case(
        (IdChangeApplication, "complete"),
        {"actor": Actor.OPERATOR, "at": LATER},
        instance=lambda: _application(NOW),
    ),
    # -- the service: fresh ports per call, a valid principal (SEC-1 … SEC-3) -------------------
    Case(
        IdChangeService,
        {
            "applications": Lazy(lambda: InMemoryIdChangeRepository(InMemoryOutbox())),
            "clock": Lazy(lambda: FixedClock(T0)),
            "calendar": JAPAN,
        },
        {"calendar": OPTIONAL_CALENDAR},
    ),
    Case(
        (IdChangeService, "get"),
        {"application_id": "idc-1", "by": ADMIN},
        {"application_id": ID},
        instance=lambda: _desk((Service.GOOGLE_WORKSPACE, Target.NEXT_MONTH)),
    ),
    Case(
        (IdChangeService, "submit"),
        {
            "application_id": "idc-9",
            "by": ADMIN,
            "contact_email": EMAIL,
            "service": Service.GOOGLE_WORKSPACE,
            "target": Target.NEXT_MONTH,
            "delta": -2,
            "current_count": 10,
            "term": Term.MONTHLY,
            "submitted_alone": True,
            "console_count_confirmed": True,
            "consented": True,
            "changes_addons": True,
        },
        {
            "application_id": ID,
            "contact_email": EMAIL_FIELD,
            "service": SERVICE,
            "delta": DELTA,
            "current_count": COUNT,
            "line": TEXT_FIELD,
        },
        instance=_desk,
    ),
    Case(
        (IdChangeService, "submit"),
        {
            "application_id": "idc-9",
            "by": ADMIN,
            "contact_email": EMAIL,
            "service": Service.M365_PLANS,
            "target": Target.NEXT_MONTH,
            "delta": -1,
            "current_count": 5,
            "consented": True,
            "line": "E3",
            "counts": COUNTS,
            "changes_addons": True,
        },
        {
            "application_id": ID,
            "contact_email": EMAIL_FIELD,
            "service": SERVICE,
            "delta": DELTA,
            "current_count": COUNT,
            "line": PER_PLAN_LINE,
        },
        instance=_desk,
        name="per plan",
    ),
    Case(
        (IdChangeService, "withdraw"),
        {"application_id": "idc-1", "by": ADMIN, "expected_version": 1},
        {"application_id": ID, "expected_version": EXPECTED_VERSION},
        instance=lambda: _desk((Service.GOOGLE_WORKSPACE, Target.NEXT_MONTH)),
    ),
    Case(
        (IdChangeService, "report_applied"),
        {"application_id": "idc-1", "by": OPERATOR, "expected_version": 1},
        {"application_id": ID, "expected_version": EXPECTED_VERSION},
        instance=lambda: _desk((Service.M365_ADDONS, Target.CURRENT_MONTH)),
    ),
    Case(
        (IdChangeService, "complete"),
        {"application_id": "idc-1", "by": OPERATOR, "expected_version": 2},
        {"application_id": ID, "expected_version": EXPECTED_VERSION},
        instance=lambda: _desk((Service.GOOGLE_WORKSPACE, Target.CURRENT_MONTH)),
    ),
    Case(
        (IdChangeService, "apply_due"),
        {"now": datetime(2026, 12, 1, 12, 0, tzinfo=JST), "by": SYSTEM},
        instance=lambda: _desk((Service.GOOGLE_WORKSPACE, Target.NEXT_MONTH)),
    ),
    # -- the in-memory repository of the domain's tests (PORT-1) ---------------------------------
    Case(InMemoryIdChangeRepository, {"outbox": Lazy(InMemoryOutbox)}),
    Case(
        (InMemoryIdChangeRepository, "of_customer"),
        {"customer_id": "cust-1"},
        {"customer_id": may(*OTHER_TEXT)},
        instance=_repository,
    ),
    Case(
        (InMemoryIdChangeRepository, "due"),
        {"now": datetime(2026, 12, 1, 12, 0, tzinfo=JST)},
        instance=_repository,
    ),
]
