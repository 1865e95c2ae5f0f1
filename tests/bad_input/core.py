"""Valid calls of the core's public callables: the baselines the bad values replace (SEC-2).

One :class:`~tests.bad_input.spec.Case` per callable (more where one baseline cannot reach
every refusal, e.g. ``from_data`` per kind of type). The probe chart, event and ports below
belong to this test, so the core's cases do not depend on any domain.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from typing import Any, ClassVar

import attrs
from statemachine import StateChart

from omakase_core import (
    LIFECYCLES,
    Actor,
    BusinessCalendar,
    CalendarRangeError,
    ConcurrencyConflict,
    Deadline,
    DeadlinePassed,
    DefinitionError,
    DeliveryReport,
    InvalidTransition,
    Lifecycle,
    Message,
    NaiveDatetimeError,
    NotFound,
    NotificationSettings,
    OmakaseError,
    PermissionDenied,
    Principal,
    Status,
    Transition,
    ValidationError,
    deliver_pending,
    explain_period_end,
    period_end,
    to_jst,
)
from omakase_core.calendar import JST, format_date, format_deadline, format_instant
from omakase_core.codec import (
    DecodeError,
    decode,
    encode,
    register_upcaster,
    stored,
    type_name,
)
from omakase_core.delivery import RetryPolicy
from omakase_core.errors import StoreUnavailable, http_status
from omakase_core.events import (
    Event,
    OutboxRecord,
    decode_event,
    encode_event,
    from_data,
    records_for_save,
    to_data,
)
from omakase_core.lifecycle import by, load_charts_with, register, status_state
from omakase_core.messages import register_renderer, render
from omakase_core.ports import Clock
from omakase_core.principal import (
    PrincipalKind,
    add_new,
    check_id,
    check_owner,
    check_principal,
    check_self,
    check_version,
    load_owned,
    sees,
)
from omakase_core.testing import FixedClock, event_sequences, steps
from tests.bad_input import values as v
from tests.bad_input.spec import ID_TEXT, OTHER_TEXT, Case, Lazy, Param, may, refuse
from tests.bad_input.values import MAY, REFUSE, Bad, bad

T0 = datetime(2026, 11, 1, 10, 0, tzinfo=JST)
DAY = date(2026, 11, 20)
JAPAN = BusinessCalendar.japan()


# -- probes: a chart, an event, ports -----------------------------------------------------------


class Probe(Status):
    """The statuses of the probe chart."""

    OPEN = "open", "受付"
    DONE = "done", "完了"


class ProbeChart(StateChart[Any]):
    """A two-status chart: the operator closes what is open."""

    opened = status_state(Probe.OPEN, initial=True)
    done = status_state(Probe.DONE, final=True)
    close = opened.to(done, cond=by(Actor.OPERATOR))


PROBE = Lifecycle.compile("bad_input.probe", ProbeChart, Probe)


class Elsewhere(Status):
    """The statuses of another lifecycle, with the same values and labels as the probe's."""

    OPEN = "open", "受付"


@stored("bad_input.ProbeHappened")
@attrs.frozen(kw_only=True)
class BadInputProbeHappened(Event):
    """The probe event: a note and a measurement."""

    aggregate_type: ClassVar[str] = "bad_input_probe"
    note: str
    amount: float = 0.0


@stored("bad_input.ProbeRecord")
@attrs.frozen(kw_only=True)
class ProbeRecord:
    """A stored value that is not an event (PORT-7)."""

    id: str


EVENT = BadInputProbeHappened(aggregate_id="p-1", version=1, occurred_at=T0, note="ok")
EVENT_DATA: dict[str, Any] = to_data(EVENT)  # type: ignore[assignment]  # an attrs value: an object
SETTINGS = NotificationSettings(
    contractor_login_url="https://portal.example.jp/contractor",
    first_login_url="https://portal.example.jp/first-login",
)


def _render_probe(event: BadInputProbeHappened, _: NotificationSettings) -> tuple[Message, ...]:
    return (
        Message(
            key=f"{event.idempotency_key}/probe",
            event_key=event.idempotency_key,
            to="probe@example.jp",
            subject="probe",
            body=event.note,
        ),
    )


register_renderer(BadInputProbeHappened, _render_probe)


class ProbeOutbox:
    """An outbox holding the probe event's record, leasing it to a claim (PORT-6)."""

    def __init__(self) -> None:
        self.records = {EVENT.idempotency_key: OutboxRecord.pending(EVENT)}

    def pending(
        self, *, limit: int | None = None, now: datetime | None = None
    ) -> list[OutboxRecord]:
        """Return the records not yet delivered nor dead-lettered (due at ``now``)."""
        found = [
            r
            for r in self.records.values()
            if (r.is_due(now) if now is not None else not (r.is_delivered or r.is_dead_lettered))
        ]
        return found[:limit]

    def get(self, key: str) -> OutboxRecord:
        """Return a record."""
        return self.records[key]

    def claim(self, *, now: datetime, limit: int, lease: timedelta) -> list[OutboxRecord]:
        """Lease the due records to the caller."""
        claimed = [
            r.claimed(now=now, lease=lease, holder="probe-lease")
            for r in self.pending(limit=limit, now=now)
        ]
        self.records.update((r.key, r) for r in claimed)
        return claimed

    def mark_delivered(self, key: str, *, at: datetime) -> bool:
        """Mark a record delivered and end its lease."""
        self.records[key] = self.records[key].delivered(at=at)
        return True

    def record_failure(
        self,
        key: str,
        *,
        lease: str,
        at: datetime,
        error: str,
        attempts: int,
        retry_at: datetime | None,
    ) -> bool:
        """Record a failed attempt and end the lease."""
        self.records[key] = self.records[key].failed(
            at=at, error=error, attempts=attempts, retry_at=retry_at
        )
        return True

    def retry_dead_letter(self, key: str) -> bool:
        """Put a dead letter back."""
        record = self.records[key]
        if not record.is_dead_lettered:
            return False
        self.records[key] = record.put_back()
        return True

    def dead_letters(self, *, limit: int | None = None) -> list[OutboxRecord]:
        """Return the dead letters."""
        return [r for r in self.records.values() if r.is_dead_lettered][:limit]


class ProbeNotifier:
    """A notifier that keeps what it sends."""

    def __init__(self) -> None:
        self.sent: list[Message] = []

    def send(self, message: Message) -> None:
        """Keep ``message``."""
        self.sent.append(message)


@attrs.frozen
class Owned:
    """An aggregate of customer c-1, as ``load_owned`` loads it."""

    id: str
    version: int
    customer_id: str


class ProbeRepository:
    """A repository holding one owned aggregate."""

    def add(self, aggregate: Owned) -> None:
        """Refuse the taken id, store nothing else (the probe keeps nothing)."""
        if aggregate.id == "a-1":
            raise ConcurrencyConflict(aggregate_id="a-1", expected_version=None, actual_version=3)

    def get(self, aggregate_id: str) -> Owned:
        """Return the aggregate, or refuse an absent id."""
        if aggregate_id != "a-1":
            raise NotFound(kind="probe", id=aggregate_id)
        return Owned("a-1", 3, "c-1")


class NaiveClock:
    """A clock that answers a naive datetime."""

    def now(self) -> datetime:
        """Return a naive datetime."""
        return v.NAIVE


def _customer_of(aggregate: Owned) -> str:
    return aggregate.customer_id


def _load_charts_with(loader: Any) -> None:  # the loader under test
    """Look the registry up first, so the package's own loader has run before it is replaced."""
    len(LIFECYCLES)
    load_charts_with(loader)


def _registered() -> Lifecycle[Any]:
    return LIFECYCLES[next(iter(LIFECYCLES))]


# -- families of this module's special parameters ---------------------------------------------

ERROR_TEXT = Param(echo_ok=True)
"""An error's ``message`` is the message: it may show itself."""

URL = Param(
    family=(
        *v.TEXT,
        bad("ftp URL", "ftp://portal.example.jp", REFUSE),
        bad("scheme only", "https://", REFUSE),
        bad("URL with a space", "https://portal example.jp", REFUSE),
        bad("URL with a line break", "https://portal.example.jp/\r\nBcc: x", REFUSE),
        bad("2 KB URL", "https://example.jp/" + "x" * 2100, REFUSE, v.X_ECHO),
        v.NONE,
        *v.WRONG_OBJECT,
    ),
    refuse=OTHER_TEXT,
)

LINE = refuse("empty", "blank", "ideographic space", "control characters", "line break", "1 MB")
"""A one-line message header: a key, a recipient, a subject."""

_STORED = encode(EVENT)
JSON_TEXT = Param(
    family=(
        bad("empty", "", REFUSE),
        bad("blank", "   ", REFUSE),
        bad("not JSON", "not json", REFUSE),
        bad("a JSON array", "[]", REFUSE),
        bad("a JSON null", "null", REFUSE),
        bad("an empty object", "{}", REFUSE),
        bad("a type that is not text", '{"type": 1, "schema": 1, "data": {}}', REFUSE),
        bad("an unknown type", '{"type": "bad_input.Vanished", "schema": 1, "data": {}}', REFUSE),
        bad(
            "an unknown 1 MB type",
            '{"type": "' + v.MEGABYTE + '", "schema": 1, "data": {}}',
            REFUSE,
            v.X_ECHO,
        ),
        bad("the Python class name", '{"type": "Event", "schema": 1, "data": {}}', REFUSE),
        bad(
            "a bare class name", _STORED.replace("bad_input.ProbeHappened", "ProbeHappened"), REFUSE
        ),
        bad("a stored value that is not an event", encode(ProbeRecord(id="r-1")), MAY),
        bad("no schema", _STORED.replace('"schema": 1, ', ""), REFUSE),
        bad("schema 0", _STORED.replace('"schema": 1', '"schema": 0'), REFUSE),
        bad("schema as text", _STORED.replace('"schema": 1', '"schema": "1"'), REFUSE),
        bad("schema true", _STORED.replace('"schema": 1', '"schema": true'), REFUSE),
        bad("a newer schema", _STORED.replace('"schema": 1', '"schema": 2'), REFUSE),
        bad("no data", '{"type": "bad_input.ProbeHappened", "schema": 1}', REFUSE),
        bad(
            "data not an object",
            '{"type": "bad_input.ProbeHappened", "schema": 1, "data": []}',
            REFUSE,
        ),
        bad(
            "missing fields", '{"type": "bad_input.ProbeHappened", "schema": 1, "data": {}}', REFUSE
        ),
        bad("an unknown field", _STORED.replace('"note"', '"nope": 1, "note"'), REFUSE),
        bad("a wrong type", _STORED.replace('"version": 1', '"version": "1"'), REFUSE),
        bad("a bool version", _STORED.replace('"version": 1', '"version": true'), REFUSE),
        bad("a version of 0", _STORED.replace('"version": 1', '"version": 0'), REFUSE),
        bad("a huge version", _STORED.replace('"version": 1', '"version": ' + "9" * 5000), REFUSE),
        bad("a 2**64 version", _STORED.replace('"version": 1', f'"version": {2**64}'), REFUSE),
        bad("NaN amount", _STORED.replace('"amount": 0.0', '"amount": NaN'), REFUSE),
        bad("text amount", _STORED.replace('"amount": 0.0', '"amount": "0"'), REFUSE),
        bad(
            "an amount no float holds exactly",
            _STORED.replace('"amount": 0.0', '"amount": 10000000000000000000000001'),
            REFUSE,
        ),
        bad("a naive instant", _STORED.replace("+09:00", ""), REFUSE),
        bad("a bad instant", _STORED.replace("2026-11-01", "2026-13-45"), REFUSE),
        bad("nesting 100000 deep", "[" * 100_000 + "]" * 100_000, REFUSE),
        bad(
            "data nested 100000 deep",
            _STORED.replace('"ok"', "[" * 100_000 + "]" * 100_000),
            REFUSE,
        ),
        bad("1 MB", v.MEGABYTE, REFUSE, v.X_ECHO),
        bad("bytes for text", _STORED.encode(), REFUSE),
        v.NONE,
        bad("int for text", 3, REFUSE),
        *v.WRONG_OBJECT,
    ),
    fields=(
        "type",
        "schema",
        "data",
        "aggregate_id",
        "version",
        "occurred_at",
        "note",
        "amount",
        "nope",
    ),
)
"""Stored text (PORT-7): every malformed one is a DecodeError naming the type and the field."""

EVENT_TEXT = Param(
    family=tuple(
        b.but(REFUSE) if b.label == "a stored value that is not an event" else b
        for b in JSON_TEXT.family or ()
    ),
    fields=JSON_TEXT.fields,
)
"""Stored text of an event: a stored value of another kind is refused too."""

STORED_VALUE = Param(
    family=(
        *v.OBJECT_GRAPH[:-3],
        bad(
            "an event of an undeclared class",
            Event(aggregate_id="p-1", version=1, occurred_at=T0),
            REFUSE,
        ),
        bad("a declared class", BadInputProbeHappened, REFUSE),
        bad(
            "an event holding NaN",
            BadInputProbeHappened(
                aggregate_id="p-1", version=1, occurred_at=T0, note="x", amount=math.nan
            ),
            REFUSE,
        ),
        bad(
            "an event holding a lone surrogate",
            BadInputProbeHappened(aggregate_id="p-1", version=1, occurred_at=T0, note="\ud800"),
            REFUSE,
        ),
        bad("None", None, REFUSE),
        Bad("empty list", list, REFUSE),
        bad("aware datetime", v.AWARE, REFUSE),
    )
)
"""What :func:`encode` refuses: anything but a value of a class declared with stored()."""

_UPCAST_PROBES = iter(range(1_000_000))


def _fresh_stored_name() -> str:
    """Declare a new probe class at schema 2 and return its name: it has no upcaster yet."""
    name = f"bad_input.Upcast{next(_UPCAST_PROBES)}"
    probe = attrs.make_class(name.rpartition(".")[2], {"note": attrs.field(default="")})
    stored(name, version=2)(probe)
    return name


def _add_note(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "note": "upcast"}


LIFECYCLE_EVENT = Param(
    extra=(bad("an event of no lifecycle", "fly", REFUSE),),
    refuse=OTHER_TEXT,
)
"""An event id: only the chart's own event names fire; everything else is refused."""

STATUS = Param(
    family=(
        *v.enum_member(Probe),
        bad("a status of another lifecycle", Elsewhere.OPEN, REFUSE),
        bad("an Actor for a status", Actor.OPERATOR, REFUSE),
        v.NONE,
        *v.WRONG_OBJECT,
    )
)

ACTOR = Param(family=(*v.enum_member(Actor), v.NONE, *v.WRONG_OBJECT))

NOT_NEGATIVE = refuse("negative", "-huge")
MONTH = refuse("negative", "zero", "-huge", "huge", "2**63")
YEAR = refuse("negative", "zero", "-huge", "huge", "2**63")

ID = refuse(*ID_TEXT)
"""A principal's or an aggregate's id (SEC-1): printable, not blank, at most 200 characters."""

VALUE_ANY = Param(
    family=(
        v.NONE,
        bad("int for an id", 3, REFUSE),
        bad("empty", "", REFUSE),
        bad("blank", "   ", REFUSE),
        bad("control characters", "a\x00b", REFUSE),
        bad("1 MB", v.MEGABYTE, REFUSE, v.X_ECHO),
        *v.WRONG_OBJECT,
    )
)

BY_ANY = Param(
    family=(
        *v.instance_of(Principal),
        v.NONE,
        *v.WRONG_OBJECT,
        bad("the contractor's id", "c-1", REFUSE),
    )
)

LABEL = Param(label=True)
"""A name the library passes to label its own error (``field=``, ``kind=``): not input."""

PAIRS = Param(
    family=(
        v.NONE,
        bad("a tuple of text", ("k",), REFUSE),
        bad("a bad pair", (("k",),), REFUSE),
        *v.WRONG_OBJECT,
    )
)
"""A delivery report's (key, reason) pairs."""

ATTEMPTS = refuse("negative", "zero", "2**63", "huge", "-huge")
"""A count of delivery attempts (PORT-6): from 1 to the policy's bound."""

DURATION = refuse(
    "negative timedelta",
    "timedelta.max",
    extra=(
        bad("zero timedelta", timedelta(0), REFUSE),
        bad("31 days", timedelta(days=31), REFUSE),
    ),
)
"""A backoff, a cap or a lease (PORT-6): above zero, at most 30 days."""


class OldOutbox:
    """An outbox of the port before PORT-6: pending and marks, no claims."""

    def pending(self, *, limit: int | None = None) -> list[OutboxRecord]:
        """Return nothing."""
        return []

    def mark_delivered(self, key: str, *, at: datetime) -> bool:
        """Mark nothing."""
        return False


CASES: list[Case] = [
    # -- calendar (CAL-1 … CAL-9) ------------------------------------------------------------
    Case(to_jst, {"instant": T0}, {"field": LABEL}),
    Case(
        BusinessCalendar,
        {"year_end_closure": True, "extra_closures": [DAY]},
        {"extra_closures": may("empty list", "empty generator")},
    ),
    Case((BusinessCalendar, "japan"), {"year_end_closure": False, "extra_closures": (DAY,)}),
    Case((BusinessCalendar, "is_business_day"), {"d": DAY}, instance=lambda: JAPAN),
    Case((BusinessCalendar, "holiday_name"), {"d": DAY}, instance=lambda: JAPAN),
    Case((BusinessCalendar, "is_closure"), {"d": DAY}, instance=lambda: JAPAN),
    Case((BusinessCalendar, "add_business_days"), {"d": DAY, "n": 3}, instance=lambda: JAPAN),
    Case((BusinessCalendar, "next_business_day"), {"d": DAY}, instance=lambda: JAPAN),
    Case((BusinessCalendar, "previous_business_day"), {"d": DAY}, instance=lambda: JAPAN),
    Case((BusinessCalendar, "on_or_after"), {"d": DAY}, instance=lambda: JAPAN),
    Case((BusinessCalendar, "on_or_before"), {"d": DAY}, instance=lambda: JAPAN),
    Case(
        (BusinessCalendar, "business_days_between"),
        {"start": DAY, "end": date(2026, 12, 20)},
        instance=lambda: JAPAN,
    ),
    Case(
        (BusinessCalendar, "first_business_day"),
        {"year": 2026, "month": 11},
        {"year": YEAR, "month": MONTH},
        instance=lambda: JAPAN,
    ),
    Case(
        (BusinessCalendar, "last_business_days"),
        {"year": 2026, "month": 11, "n": 3},
        {"year": YEAR, "month": MONTH, "n": MONTH},
        instance=lambda: JAPAN,
    ),
    Case(
        (BusinessCalendar, "in_last_business_days"),
        {"instant": T0, "n": 4},
        {"n": MONTH},
        instance=lambda: JAPAN,
    ),
    Case(
        Deadline,
        attrs.asdict(explain_period_end(T0, days=14), recurse=False),
        {"days": NOT_NEGATIVE, "months": NOT_NEGATIVE},
    ),
    Case((Deadline, "explain"), {"lang": "en"}, instance=lambda: explain_period_end(T0, days=14)),
    Case(
        explain_period_end,
        {"start": T0, "days": 14, "extend_to_business_day": JAPAN},
        {"days": refuse("negative", "zero", "-huge"), "months": NOT_NEGATIVE},
    ),
    Case(
        period_end,
        {"start": T0, "months": 1, "count_first_day": True},
        {"months": refuse("negative", "zero", "-huge", fields=("days",)), "days": NOT_NEGATIVE},
    ),
    Case(format_date, {"d": DAY, "lang": "en"}),
    Case(format_instant, {"instant": T0, "lang": "ja"}),
    Case(format_deadline, {"at": datetime(2026, 11, 16, tzinfo=JST), "lang": "en"}),
    # -- lifecycle (SEC-2: no str for an Actor, no foreign status) ---------------------------
    Case(Actor, {"value": "customer"}),
    Case(Status, {"value": "open"}, call=Probe),
    Case(
        Transition,
        {"source": Probe.OPEN, "target": Probe.DONE, "event": "close", "actor": Actor.OPERATOR},
        {
            "event": Param(
                refuse=ID_TEXT
                | {"full-width digits", "Arabic-Indic digits", "emoji", "lone surrogate"}
            ),
            "source": Param(family=STATUS.family, fields=("target",)),
            "target": STATUS,
        },
    ),
    Case(
        Lifecycle,
        {
            "name": PROBE.name,
            "chart": PROBE.chart,
            "status_type": PROBE.status_type,
            "initial": PROBE.initial,
            "transitions": PROBE.transitions,
            "statuses": PROBE.statuses,
            "final": PROBE.final,
            "order": PROBE.order,
            "table": PROBE._table,  # the constructor's own part
            "events": PROBE._events,
        },
        {
            "name": refuse(*ID_TEXT),
            "initial": STATUS,
            "table": Param(family=(v.NONE, bad("an empty table", {}, REFUSE), *v.WRONG_OBJECT)),
        },
    ),
    Case(
        (Lifecycle, "compile"),
        {"name": "probe", "chart": ProbeChart, "status_type": Probe},
        {"name": refuse(*ID_TEXT)},
    ),
    Case(
        (Lifecycle, "fire"),
        {"source": Probe.OPEN, "event": "close", "actor": Actor.OPERATOR},
        {"source": STATUS, "event": LIFECYCLE_EVENT, "actor": ACTOR},
        instance=lambda: PROBE,
    ),
    Case(
        (Lifecycle, "can_fire"),
        {"source": Probe.OPEN, "event": "close", "actor": Actor.OPERATOR},
        {
            "source": STATUS,
            "event": may(*OTHER_TEXT),
            "actor": ACTOR,
        },
        instance=lambda: PROBE,
    ),
    Case(
        (Lifecycle, "events_from"),
        {"source": Probe.OPEN, "actor": Actor.OPERATOR},
        {"source": STATUS, "actor": Param(family=v.enum_member(Actor))},
        instance=lambda: PROBE,
    ),
    Case(
        (Lifecycle, "is_final"), {"status": Probe.DONE}, {"status": STATUS}, instance=lambda: PROBE
    ),
    Case(by, {"actor": Actor.SYSTEM}, {"actor": ACTOR}),
    Case(status_state, {"status": Probe.OPEN, "initial": True}),
    Case(load_charts_with, {"loader": lambda: None}, call=_load_charts_with),
    Case(register, {"lifecycle": Lazy(_registered)}),
    Case(
        (LIFECYCLES, "__getitem__"),
        {"name": Lazy(lambda: next(iter(LIFECYCLES)))},
        {"name": refuse(*OTHER_TEXT)},
        instance=lambda: LIFECYCLES,
    ),
    # -- events and the codec (PORT-3) ---------------------------------------------------------
    Case(
        Event,
        {"aggregate_id": "a-1", "version": 1, "occurred_at": T0},
        {"aggregate_id": ID, "version": refuse("negative", "zero", "-huge")},
    ),
    Case(
        OutboxRecord,
        {"key": EVENT.idempotency_key, "event": EVENT, "delivered_at": T0},
        # an expiry without its lease: the pair is refused naming ``lease`` (PORT-6)
        {"key": refuse(*OTHER_TEXT), "leased_until": Param(fields=("lease",))},
    ),
    Case(
        OutboxRecord,
        {
            "key": EVENT.idempotency_key,
            "event": EVENT,
            "attempts": 2,
            "last_error": "SMTP 451",
            "next_attempt_at": T0,
            "dead_lettered_at": T0,
            "lease": "worker-1",
            "leased_until": T0,
        },
        {
            "key": refuse(*OTHER_TEXT),
            "attempts": NOT_NEGATIVE,
            "last_error": refuse("empty"),
            "lease": refuse("empty"),
            "leased_until": Param(fields=("lease",)),  # None: a lease without its expiry
        },
        name="delivery state",
    ),
    Case((OutboxRecord, "pending"), {"event": EVENT}),
    Case((OutboxRecord, "is_due"), {"now": T0}, instance=lambda: OutboxRecord.pending(EVENT)),
    Case(
        (OutboxRecord, "claimed"),
        {"now": T0, "lease": timedelta(minutes=5), "holder": "worker-1"},
        {"holder": refuse("empty")},
        instance=lambda: OutboxRecord.pending(EVENT),
    ),
    Case(
        (OutboxRecord, "failed"),
        {"at": T0, "error": "SMTP 451", "attempts": 1, "retry_at": T0},
        {"error": refuse("empty"), "attempts": NOT_NEGATIVE},
        instance=lambda: OutboxRecord.pending(EVENT),
    ),
    Case((OutboxRecord, "delivered"), {"at": T0}, instance=lambda: OutboxRecord.pending(EVENT)),
    Case(
        records_for_save,
        {"aggregate_id": "p-1", "events": (EVENT,), "expected_version": 0, "version": 1},
        {
            "aggregate_id": refuse(*OTHER_TEXT, fields=("events",)),
            "events": refuse("empty list", "empty generator"),
            "expected_version": refuse("negative", "-huge", "huge", "2**63", fields=("events",)),
            "version": refuse("negative", "zero", "-huge", "huge", "2**63", fields=("events",)),
        },
    ),
    Case(to_data, {"value": EVENT}, {"value": Param(family=v.OBJECT_GRAPH)}),
    Case(
        from_data,
        {"tp": date, "data": "2026-11-20"},
        {
            "tp": Param(
                fields=("data",),
                family=(
                    v.NONE,
                    bad("the type's name", "date", REFUSE),
                    bad("int for a type", 1, REFUSE),
                    bad("typing.Any", Any, REFUSE),
                    bad("object", object, REFUSE),
                    bad("list[int]", list[int], REFUSE),
                    bad("a Protocol", Clock, REFUSE),
                    bad("int", int, REFUSE),
                    *v.WRONG_OBJECT,
                ),
            ),
            "data": Param(
                family=(
                    v.NONE,
                    bad("int", 20261120, REFUSE),
                    bad("empty", "", REFUSE),
                    bad("not a date", "2026-13-45", REFUSE),
                    bad("1 MB", v.MEGABYTE, REFUSE, v.X_ECHO),
                    bad("a list", [2026, 11, 20], REFUSE),
                    bad("an object", {"year": 2026}, REFUSE),
                    bad("NaN", math.nan, REFUSE),
                )
            ),
        },
        name="date",
    ),
    Case(
        from_data,
        {"tp": datetime, "data": T0.isoformat()},
        {
            "tp": Param(
                fields=("data",), family=(bad("int", int, REFUSE), bad("bool", bool, REFUSE))
            ),
            "data": Param(
                family=(
                    v.NONE,
                    bad("naive", "2026-11-01T10:00:00", REFUSE),
                    bad("a date", 3, REFUSE),
                    bad("1 MB", v.MEGABYTE, REFUSE, v.X_ECHO),
                )
            ),
        },
        name="datetime",
    ),
    Case(
        from_data,
        {"tp": tuple[int, ...], "data": [1, 2]},
        {
            "tp": Param(
                fields=("data",),
                family=(
                    bad("tuple[str, ...]", tuple[str, ...], REFUSE),
                    bad("frozenset[bool]", frozenset[bool], REFUSE),
                    bad("int | str", int | str, REFUSE),
                ),
            ),
            "data": Param(
                family=(
                    v.NONE,
                    bad("bools", [True], REFUSE),
                    bad("text", "12", REFUSE),
                    bad("floats", [1.0], REFUSE),
                    bad("a huge int", [v.HUGE], REFUSE, v.HUGE_ECHO),
                    bad("an object", {"0": 1}, REFUSE),
                    bad("nesting 100 deep", [[[[[]]]]], REFUSE),
                )
            ),
        },
        name="tuple",
    ),
    Case(
        from_data,
        {"tp": BadInputProbeHappened, "data": to_data(EVENT)},
        {
            "tp": Param(
                fields=("data",),
                family=(bad("another event", Event, REFUSE), bad("Principal", Principal, REFUSE)),
            ),
            "data": Param(
                family=(
                    v.NONE,
                    bad("an empty object", {}, REFUSE),
                    bad("a list", [], REFUSE),
                    bad("text", "x", REFUSE),
                    bad("an unknown field", {**EVENT_DATA, "nope": 1}, REFUSE),
                    bad("a wrong type", {**EVENT_DATA, "version": "1"}, REFUSE),
                    bad("a bad id", {**EVENT_DATA, "aggregate_id": ""}, REFUSE),
                    bad("NaN", {**EVENT_DATA, "amount": math.nan}, REFUSE),
                )
            ),
        },
        name="attrs",
    ),
    Case(
        encode_event,
        {"event": EVENT},
        {
            "event": Param(
                extra=(
                    bad(
                        "an event holding NaN",
                        BadInputProbeHappened(
                            aggregate_id="p-1", version=1, occurred_at=T0, note="x", amount=math.nan
                        ),
                        REFUSE,
                    ),
                    bad(
                        "an event holding a lone surrogate",
                        BadInputProbeHappened(
                            aggregate_id="p-1", version=1, occurred_at=T0, note="\ud800"
                        ),
                        REFUSE,
                    ),
                )
            )
        },
    ),
    Case(decode_event, {"text": encode_event(EVENT)}, {"text": EVENT_TEXT}),
    # -- the storage codec (PORT-7) -------------------------------------------------------------
    Case(
        stored,
        {"name": "bad_input.Declared", "version": 2},
        {
            "name": refuse(*OTHER_TEXT),
            "version": refuse("negative", "zero", "2**63", "huge", "-huge"),
        },
    ),
    Case(encode, {"value": EVENT}, {"value": STORED_VALUE}),
    Case(
        decode,
        {"text": _STORED, "expected": BadInputProbeHappened},
        {
            "text": JSON_TEXT,
            "expected": Param(
                extra=(bad("another stored class", ProbeRecord, REFUSE),), fields=("type",)
            ),
        },
    ),
    Case(
        register_upcaster,
        {"name": Lazy(_fresh_stored_name), "from_version": 1, "upcast": _add_note},
        {
            "name": refuse(*OTHER_TEXT),
            "from_version": refuse("negative", "zero", "2**63", "huge", "-huge"),
        },
    ),
    Case(
        type_name,
        {"cls_or_value": EVENT},
        {
            "cls_or_value": Param(
                family=(
                    v.NONE,
                    *v.WRONG_OBJECT,
                    bad("the stored name as text", "bad_input.ProbeHappened", REFUSE),
                    bad("the Event base", Event, REFUSE),
                    bad("int", 1, REFUSE),
                )
            )
        },
    ),
    # -- messages and delivery (PORT-3) --------------------------------------------------------
    Case(
        Message,
        {"key": "k", "event_key": "e", "to": "a@example.jp", "subject": "s", "body": "b"},
        {
            "key": LINE,
            "event_key": LINE,
            "to": LINE,
            "subject": LINE,
            "body": refuse("control characters"),
        },
    ),
    Case(
        NotificationSettings,
        {
            "contractor_login_url": SETTINGS.contractor_login_url,
            "first_login_url": SETTINGS.first_login_url,
        },
        {"contractor_login_url": URL, "first_login_url": URL},
    ),
    Case(
        register_renderer,
        {"event_type": BadInputProbeHappened, "renderer": _render_probe},
        {"event_type": Param(extra=(bad("the Event base", Event, REFUSE),))},
    ),
    Case(render, {"event": EVENT, "settings": SETTINGS}),
    Case(
        DeliveryReport,
        {
            "delivered": ("k",),
            "failed": (("k2", "why"),),
            "messages_sent": 1,
            "dead_lettered": (("k3", "render error"),),
        },
        {
            "messages_sent": refuse("negative", "-huge"),
            "failed": PAIRS,
            "dead_lettered": PAIRS,
        },
    ),
    Case(
        deliver_pending,
        {
            "outbox": Lazy(ProbeOutbox),
            "notifier": Lazy(ProbeNotifier),
            "clock": Lazy(lambda: FixedClock(T0)),
            "settings": SETTINGS,
            "limit": 3,
            "policy": RetryPolicy(max_attempts=3),
        },
        {
            "outbox": Param(
                extra=(bad("an outbox without claims (the old port)", OldOutbox(), REFUSE),)
            ),
            "limit": refuse("negative", "-huge"),
            "clock": Param(extra=(bad("a naive clock", NaiveClock(), REFUSE),)),
        },
    ),
    # -- retries and dead letters (PORT-6) -------------------------------------------------
    Case(
        RetryPolicy,
        {
            "max_attempts": 5,
            "base": timedelta(seconds=10),
            "cap": timedelta(minutes=10),
            "lease": timedelta(minutes=2),
            "jitter": 0.5,
        },
        {
            "max_attempts": ATTEMPTS,
            "base": DURATION,
            "cap": Param(
                refuse=DURATION.refuse,
                extra=(bad("a cap below the base", timedelta(seconds=1), REFUSE),),
            ),
            "lease": DURATION,
            "jitter": refuse("negative", "1e308", "huge int"),
        },
    ),
    Case(
        (RetryPolicy, "delay"),
        {"key": EVENT.idempotency_key, "attempts": 2},
        {"attempts": ATTEMPTS},
        instance=RetryPolicy,
    ),
    # -- who acts (SEC-1) ---------------------------------------------------------------------
    Case(
        Principal,
        {"kind": PrincipalKind.CUSTOMER, "scope": "c-1"},
        {"scope": ID, "user_id": ID, "role": may("a foreign enum's member")},
    ),
    Case(
        (Principal, "customer"),
        {"customer_id": "c-1", "user_id": "u-1", "role": PrincipalKind.OPERATOR},
        {"customer_id": ID, "user_id": ID, "role": may("a foreign enum's member")},
    ),
    Case((Principal, "contractor"), {"contract_id": "c-1"}, {"contract_id": ID}),
    Case((Principal, "operator"), {"staff_id": "s-1"}, {"staff_id": ID}),
    Case(
        check_id,
        {"value": "a-1", "field": "id"},
        {"value": Param(family=VALUE_ANY.family, fields=("id",)), "field": LABEL},
    ),
    Case(check_principal, {"by": Principal.system()}, {"by": BY_ANY}),
    Case(
        check_version,
        {"expected_version": 3, "actual": 3, "aggregate_id": "a-1"},
        {"expected_version": refuse("negative", "-huge"), "actual": LABEL, "aggregate_id": LABEL},
    ),
    # -- the shipped test helpers (PORT-4) -----------------------------------------------------
    Case(FixedClock, {"now": T0}),
    Case((FixedClock, "set"), {"now": T0}, instance=lambda: FixedClock(T0)),
    Case(
        (FixedClock, "advance"),
        {"delta": timedelta(hours=1), "days": 1, "hours": 0.5},
        {
            "delta": refuse("negative timedelta"),
            "days": refuse("negative"),
            "hours": refuse("negative"),
            "minutes": refuse("negative"),
            "seconds": refuse("negative"),
        },
        instance=lambda: FixedClock(T0),
    ),
    Case(steps, {"lifecycle": PROBE}),
    Case(
        event_sequences,
        {"lifecycle": PROBE, "max_size": 5},
        {"max_size": refuse("negative", "huge", "2**63", "-huge")},
    ),
    # -- errors: each carries what it is given; its message shows only excerpts (SEC-2) ----------
    Case(OmakaseError, {"message": "m", "rule": "CAL-1"}, {"message": ERROR_TEXT}, lenient=True),
    Case(ValidationError, {"message": "m", "field": "f"}, {"message": ERROR_TEXT}, lenient=True),
    Case(NaiveDatetimeError, {"field": "at"}, lenient=True),
    Case(
        CalendarRangeError,
        {"year": 2100, "first_year": 1955, "last_year": 2099, "what": "x"},
        lenient=True,
    ),
    Case(
        InvalidTransition,
        {"message": "m", "state": "S", "event": "e", "lifecycle": "l"},
        {"message": ERROR_TEXT},
        lenient=True,
    ),
    Case(
        PermissionDenied,
        {"message": "m", "actor": "a", "event": "e"},
        {"message": ERROR_TEXT},
        lenient=True,
    ),
    Case(
        DeadlinePassed,
        {"message": "m", "deadline": T0, "at": T0, "rule": "X-1"},
        {"message": ERROR_TEXT},
        lenient=True,
    ),
    Case(
        ConcurrencyConflict,
        {"aggregate_id": "a-1", "expected_version": 1, "actual_version": 2},
        lenient=True,
    ),
    Case(NotFound, {"kind": "probe", "id": "a-1"}, lenient=True),
    Case(
        (OmakaseError, "explain"),
        {"lang": "ja"},
        instance=lambda: NotFound(kind="probe", id="a-1"),
    ),
    Case(DefinitionError, {"message": "m", "chart": "C"}, {"message": ERROR_TEXT}, lenient=True),
    Case(
        DecodeError,
        {"message": "m", "type_name": "bad_input.ProbeHappened", "field": "note"},
        {"message": ERROR_TEXT},
        lenient=True,
    ),
    Case(StoreUnavailable, {"store": "SqliteStore", "reason": "the store is closed"}, lenient=True),
    Case(http_status, {"error": NotFound(kind="probe", id="a-1")}),
]


PRINCIPAL_CASES: list[Case] = [
    Case(PrincipalKind, {"value": "customer"}),
    Case(
        sees,
        {"by": Principal.customer("c-1"), "customer_id": "c-1"},
        {"customer_id": LABEL, "contract_id": LABEL},
    ),
    Case(
        add_new,
        {"repository": Lazy(ProbeRepository), "aggregate": Owned("a-2", 0, "c-1"), "id": "a-2"},
        {"aggregate": Param(family=(v.NONE,)), "id": LABEL, "field": LABEL},
    ),
    Case(
        check_owner,
        {"by": Principal.customer("c-1"), "kind": "probe", "id": "a-1", "customer_id": "c-1"},
        {"kind": LABEL, "id": LABEL, "contract_id": LABEL},
    ),
    Case(
        check_self,
        {
            "by": Principal.customer("c-1", user_id="u-1"),
            "user_id": "u-1",
            "event": "change_password",
        },
        {"event": LABEL},
    ),
    Case(
        load_owned,
        {
            "repository": ProbeRepository(),
            "aggregate_id": "a-1",
            "by": Principal.customer("c-1"),
            "kind": "probe",
            "expected_version": 3,
            "customer_of": _customer_of,
        },
        {
            "aggregate_id": Param(family=VALUE_ANY.family, fields=("id",)),
            "by": BY_ANY,
            "expected_version": refuse("negative", "-huge"),
            "kind": LABEL,
            "field": LABEL,
        },
    ),
]
"""Cases of principal.py's helpers (SEC-1, SEC-3)."""

CASES.extend(PRINCIPAL_CASES)
