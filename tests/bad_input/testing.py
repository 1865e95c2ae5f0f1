"""Valid calls of the generic in-memory adapters: the baselines the bad values replace (SEC-2).

The adapters of :mod:`omakase_core.testing` that serve every domain — the outbox, the
generic repository and the recording notifier (PORT-1 … PORT-3) — refuse what no real
adapter would take, as the library's own functions do. The probe aggregate below belongs
to this test, so the cases depend on no domain.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

import attrs

from omakase_core import Message
from omakase_core.calendar import JST
from omakase_core.events import Event
from omakase_core.submission import SiteName
from omakase_core.testing import (
    InMemoryApplicationRepository,
    InMemoryOutbox,
    InMemoryRepository,
    InMemorySiteRepository,
    InMemoryStore,
    RecordingNotifier,
)
from omakase_core.testing._samples import sample
from tests.bad_input.core import EVENT, ID, NOT_NEGATIVE, BadInputProbeHappened
from tests.bad_input.spec import OTHER_TEXT, Case, Lazy, Param, refuse
from tests.bad_input.values import (
    MAY,
    MEGABYTE,
    REFUSE,
    WRONG_OBJECT,
    X_ECHO,
    Bad,
    bad,
    wrong_types,
)

T0: Final = datetime(2026, 11, 1, 10, 0, tzinfo=JST)


@attrs.frozen(kw_only=True)
class Probed:
    """A probe aggregate: an id, a version and the events it recorded (PORT-2, PORT-3)."""

    id: str
    version: int
    pending_events: tuple[Event, ...] = ()

    def saved(self) -> Probed:
        """Return the aggregate as stored, without pending events."""
        return attrs.evolve(self, pending_events=())


def _happened(version: int) -> BadInputProbeHappened:
    return BadInputProbeHappened(aggregate_id="p-1", version=version, occurred_at=T0, note="ok")


NEW: Final = Probed(id="p-1", version=1, pending_events=(_happened(1),))
NEXT: Final = Probed(id="p-1", version=2, pending_events=(_happened(2),))
OTHER: Final = Probed(id="p-2", version=1, pending_events=())


def _outbox() -> InMemoryOutbox:
    """Return an outbox holding the probe event's record, pending."""
    repository: InMemoryRepository[Probed] = InMemoryRepository(InMemoryOutbox())
    repository.add(NEW)
    return repository.outbox


LEASE: Final = timedelta(minutes=5)
_LEASES: list[str] = []
"""The lease token of the last claim :func:`_claimed` made (the token is random)."""


def _claimed() -> InMemoryOutbox:
    """Return an outbox whose probe record is leased; remember the lease token (PORT-6)."""
    outbox = _outbox()
    (record,) = outbox.claim(now=T0, limit=1, lease=LEASE)
    assert record.lease is not None
    _LEASES.append(record.lease)
    return outbox


def _dead() -> InMemoryOutbox:
    """Return an outbox whose probe record is dead-lettered (PORT-6)."""
    outbox = _claimed()
    outbox.record_failure(
        EVENT.idempotency_key, lease=_LEASES[-1], at=T0, error="gone", attempts=8, retry_at=None
    )
    return outbox


def _redact_note(event: Event) -> Event:
    """Replace the probe event's note: the redaction a repository applies (CON-10)."""
    return (
        attrs.evolve(event, note="[redacted]")
        if isinstance(event, BadInputProbeHappened)
        else event
    )


def _repository(*stored: Probed) -> InMemoryRepository[Probed]:
    repository: InMemoryRepository[Probed] = InMemoryRepository(InMemoryOutbox())
    for aggregate in stored:
        repository.add(aggregate)
    return repository


_SITE_OUTBOX: Final = InMemoryOutbox()
_SITE_APPLICATIONS: Final = InMemoryApplicationRepository(_SITE_OUTBOX)
"""The outbox and applications a site repository is built on (never written to)."""
SITE: Final = sample("sites").step(sample("sites").new("site-1", "customer-1", 0), 0, 0)
"""A new installed site with one event: a started 拠点名変更 (SUB-5)."""
APPLICATION: Final = sample("applications").new("application-1", "customer-1", 0)
"""A new application of the same customer (SUB-5)."""


HELD: Final = SiteName(company_abbrev="ABC", location="保有")
"""A site name ``application-0`` holds in the register of ``_sites()`` (SUB-7)."""
FREE: Final = SiteName(company_abbrev="ABC", location="空き")


def _sites() -> InMemorySiteRepository:
    """Return the sites of a fresh store, holding another site and application (SUB-5).

    ``application-0`` holds the name ``HELD`` in the register (SUB-7).
    """
    store = InMemoryStore()
    store.sites.add(sample("sites").new("site-0", "customer-1", 0))
    store.sites.save_with_application(
        None,
        site_version=None,
        application=sample("applications").new("application-0", "customer-1", 0),
        application_version=None,
        names={"application-0": (HELD,)},
    )
    return store.sites


NAMES: Final = Param(
    family=(
        bad("None", None, MAY),  # no change to the register
        Bad("an empty mapping", dict, MAY),
        Bad("an empty list of names", lambda: {"application-1": []}, MAY),
        bad("int for a mapping", 3, REFUSE),
        bad("text for a mapping", "ABC(空き)", REFUSE),
        Bad("a list of pairs", lambda: [("application-1", [FREE])], REFUSE),
        Bad("an int holder", lambda: {1: [FREE]}, REFUSE),
        Bad("another aggregate's id", lambda: {"application-0": [FREE]}, REFUSE),
        Bad("a 1 MB holder id", lambda: {MEGABYTE: [FREE]}, REFUSE, X_ECHO),
        Bad("text for the names", lambda: {"application-1": "ABC(空き)"}, REFUSE),
        Bad("a list of text", lambda: {"application-1": ["ABC(空き)"]}, REFUSE),
        Bad("None in the list", lambda: {"application-1": [None]}, REFUSE),
        Bad("a set of names", lambda: {"application-1": {FREE}}, REFUSE),
        Bad("a thousand names", lambda: {"application-1": [FREE] * 1000}, REFUSE),
        Bad("a name another holder holds", lambda: {"application-1": [HELD]}, REFUSE),
        Bad(
            "one name for two holders", lambda: {"site-1": [FREE], "application-1": [FREE]}, REFUSE
        ),
        *WRONG_OBJECT,
    )
)
"""The names of a save (SUB-7): holder id (the save's site or application) → SiteName list."""


VERSION: Final = refuse("negative", "-huge", "huge", "2**63")
"""A version a save starts from, or ``None`` for a new aggregate (PORT-2)."""

MESSAGE: Final = Message(
    key=f"{EVENT.idempotency_key}/probe",
    event_key=EVENT.idempotency_key,
    to="probe@example.jp",
    subject="probe",
    body="ok",
)

MALFORMED: Final[dict[str, object]] = {
    "an aggregate with an int id": Probed(id=1, version=1),  # type: ignore[arg-type]  # the point
    "an aggregate with a text version": Probed(id="p-3", version="1"),  # type: ignore[arg-type]  # the point
    "an aggregate with a bool version": Probed(id="p-3", version=True),
    "an aggregate with a list of events": Probed(
        id="p-3",
        version=1,
        pending_events=[_happened(1)],  # type: ignore[arg-type]  # the point
    ),
}

AGGREGATE: Final = Param(
    extra=(
        bad("a stored aggregate's id as text", "p-1", REFUSE),
        *(bad(label, value, REFUSE) for label, value in MALFORMED.items()),
    )
)
"""An aggregate given to a repository (PORT-2): an id, an int version, its events, ``saved``."""

KEY: Final = refuse(*OTHER_TEXT)
"""An outbox key (PORT-3): only a stored record's key is found."""

CASES: list[Case] = [
    # -- the outbox (PORT-3) ------------------------------------------------------------------
    Case(
        (InMemoryOutbox, "pending"),
        {"limit": 3, "now": T0},
        {"limit": NOT_NEGATIVE},
        instance=_outbox,
    ),
    Case((InMemoryOutbox, "get"), {"key": EVENT.idempotency_key}, {"key": KEY}, instance=_outbox),
    Case(
        (InMemoryOutbox, "mark_delivered"),
        {"key": EVENT.idempotency_key, "at": T0},
        {"key": KEY},
        instance=_outbox,
    ),
    # -- claims, leases and dead letters (PORT-6) ---------------------------------------------
    Case(
        (InMemoryOutbox, "claim"),
        {"now": T0, "limit": 1, "lease": LEASE},
        {
            "limit": NOT_NEGATIVE,
            "lease": refuse("negative timedelta", extra=(bad("zero", timedelta(0), REFUSE),)),
        },
        instance=_outbox,
    ),
    Case(
        (InMemoryOutbox, "record_failure"),
        {
            "key": EVENT.idempotency_key,
            "lease": Lazy(lambda: _LEASES[-1]),
            "at": T0,
            "error": "SMTP 451",
            "attempts": 1,
            "retry_at": T0 + LEASE,
        },
        {"key": KEY, "error": refuse("empty"), "attempts": NOT_NEGATIVE},
        instance=_claimed,
    ),
    Case(
        (InMemoryOutbox, "retry_dead_letter"),
        {"key": EVENT.idempotency_key},
        {"key": KEY},
        instance=_dead,
    ),
    Case((InMemoryOutbox, "dead_letters"), {"limit": 3}, {"limit": NOT_NEGATIVE}, instance=_dead),
    # -- the generic repository (PORT-2) ------------------------------------------------------
    Case(
        InMemoryRepository,
        {"outbox": InMemoryOutbox()},
        {"outbox": Param(extra=(bad("a repository for an outbox", _repository(), REFUSE),))},
    ),
    Case(
        (InMemoryRepository, "get"),
        {"aggregate_id": "p-1"},
        {"aggregate_id": Param(refuse=ID.refuse | OTHER_TEXT)},
        instance=lambda: _repository(NEW),
    ),
    Case(
        (InMemoryRepository, "add"),
        {"aggregate": OTHER},
        {"aggregate": Param(extra=(*AGGREGATE.extra, bad("a stored id", NEW, REFUSE)))},
        instance=lambda: _repository(NEW),
    ),
    Case(
        (InMemoryRepository, "save"),
        {"aggregate": NEXT, "expected_version": 1},
        {
            "aggregate": Param(extra=(*AGGREGATE.extra, bad("an absent aggregate", OTHER, REFUSE))),
            "expected_version": refuse("negative", "zero", "-huge", "huge", "2**63"),
        },
        instance=lambda: _repository(NEW),
    ),
    Case(
        (InMemoryRepository, "redact_events"),
        {"aggregate_id": "p-1", "using": _redact_note},
        {
            "using": Param(
                extra=(
                    bad("a function returning None", lambda event: None, REFUSE),
                    bad("a function returning text", lambda event: "redacted", REFUSE),
                    bad(
                        "a function changing the key",
                        lambda event: attrs.evolve(event, version=event.version + 1),
                        REFUSE,
                    ),
                )
            )
        },
        instance=lambda: _repository(NEW),
    ),
    # -- the sites, with save_with_application (SUB-5) ---------------------------------------
    Case(
        InMemorySiteRepository,
        {"outbox": Lazy(lambda: _SITE_OUTBOX), "applications": Lazy(lambda: _SITE_APPLICATIONS)},
    ),
    Case(
        (InMemorySiteRepository, "of_customer"),
        {"customer_id": "customer-1"},
        instance=_sites,
    ),
    Case(
        (InMemorySiteRepository, "held_names"),
        {"customer_id": "customer-1"},
        instance=_sites,
    ),
    Case(
        (InMemorySiteRepository, "due"), {"now": datetime(2026, 12, 1, tzinfo=JST)}, instance=_sites
    ),
    Case(
        (InMemorySiteRepository, "save_with_application"),
        {
            "site": SITE,
            "site_version": None,
            "application": APPLICATION,
            "application_version": None,
            "names": {"application-1": [FREE]},
        },
        {
            "site": Param(
                family=(
                    *wrong_types(optional=True),
                    bad("None", None, MAY),  # an application and its names alone
                    bad("an application", APPLICATION, REFUSE),
                    bad(
                        "a stored site's id", sample("sites").new("site-0", "customer-1", 1), REFUSE
                    ),
                )
            ),
            "application": Param(
                family=(
                    *wrong_types(optional=False),
                    bad("a site", SITE, REFUSE),
                    bad(
                        "a stored application's id",
                        sample("applications").new("application-0", "customer-1", 1),
                        REFUSE,
                    ),
                ),
                # SUB-7: the names name the application; another one's id is refused there
                fields=("names",),
            ),
            "site_version": VERSION,
            "application_version": VERSION,
            "names": NAMES,
        },
        instance=_sites,
    ),
    # -- the recording notifier (PORT-3) ------------------------------------------------------
    Case(
        (RecordingNotifier, "fail_next"),
        {"count": 2},
        {"count": NOT_NEGATIVE},
        instance=RecordingNotifier,
    ),
    Case(
        (RecordingNotifier, "fail_key"),
        {"key": MESSAGE.key},
        {"key": refuse("empty", "blank", "ideographic space", "control characters", "1 MB")},
        instance=RecordingNotifier,
    ),
    Case((RecordingNotifier, "send"), {"message": MESSAGE}, instance=RecordingNotifier),
]
"""Cases of the generic in-memory adapters."""
