"""Racing writers for the port contract suite (PORT-2, PORT-3, PORT-5).

``writers`` writers — threads, or processes started with "spawn" — load and save the same
aggregate in lock step: at each step they all wait at a barrier, all ``get`` it, wait
again, run one command on what they loaded and ``save`` it at the loaded version at once.
An adapter whose ``save`` is a compare-and-set lets exactly one of them win each step; one
that reads the version and writes later lets two win now and then, and
:func:`check_race` then names what broke: two winners of one version, a lost update, an
outbox record for a state that was not stored, an aggregate left stuck. An aggregate whose
life ends (a sample's ``lifetime``) is followed by a fresh one (:func:`racer_id`,
:func:`add_racers`), so every step is contested.

Each writer reports what it did as plain data (:class:`Attempt`), so a process hands it
back through a queue whatever the adapter's exceptions are. A writer stuck in the adapter
fails the race after :data:`STALL_TIMEOUT` seconds instead of hanging it.
"""

from __future__ import annotations

import multiprocessing
import pickle
import queue as queues
import sys
import threading
import time
import traceback
from typing import TYPE_CHECKING, Any, Final, TypeVar

import attrs

from omakase_core.errors import ConcurrencyConflict, NotFound, ValidationError
from omakase_core.events import Event
from omakase_core.submission.model import SiteName
from omakase_core.testing._samples import named_application, sample

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from datetime import datetime, timedelta

    from omakase_core.testing._store import Store

__all__ = [
    "Attempt",
    "add_racers",
    "check_adds",
    "check_names",
    "check_race",
    "check_race_with_application",
    "mark_threads",
    "race_adds",
    "race_name_processes",
    "race_names",
    "race_processes",
    "race_threads",
    "race_with_application",
    "racer_id",
    "site_race_application",
    "sweep_threads",
]

T = TypeVar("T")

BARRIER_TIMEOUT: Final = 60.0
"""Seconds a writer waits for the others at a step before the race is called off."""

STALL_TIMEOUT: Final = 120.0
"""Seconds a racing writer may run without any writer passing a barrier: then it is stuck in
a call that never returns, and the race fails instead of hanging (PORT-5)."""

MAX_SWEEPS: Final = 10
MAX_CLAIMS: Final = 1000
"""The most claims one racing delivery worker makes before it stops (PORT-6)."""
"""Passes a racing sweeper makes over ``due`` before it gives up on an adapter."""

SWITCH_INTERVAL: Final = 1e-6
"""The interpreter's thread switch interval while threads race: switches land everywhere."""


@attrs.frozen(kw_only=True)
class Attempt:
    """What one writer did at one step: the aggregate and version it loaded, whether it won.

    ``events`` and ``state`` are those of the aggregate it tried to save (``None`` when the
    aggregate allowed no further command); ``error`` describes anything but a won save or
    a ``ConcurrencyConflict`` (an adapter's crash, a wrong answer).
    """

    writer: int
    step: int
    aggregate_id: str
    loaded: int | None
    won: bool
    events: tuple[Event, ...] = ()
    state: Any = None
    error: str | None = None


def _write(  # noqa: PLR0913  # one writer's step of the race
    store: Store,
    port: str,
    aggregate_id: str,
    *,
    writer: int,
    step: int,
    wait: Callable[[], object],
) -> Attempt:
    """Load, wait for the other writers, run the sample's command, save at the loaded version.

    Every writer waits exactly once whatever happens, so the barrier stays in step: after
    it all writers hold the same version. The commands take each writer a little more or
    less time, so the saves overlap at varying points — which is what exposes a version
    check and a write that are two steps (a second barrier right before the saves would
    line them up one after the other instead).
    """
    repository = getattr(store, port)
    attempt = Attempt(writer=writer, step=step, aggregate_id=aggregate_id, loaded=None, won=False)
    attempted: Any = None
    try:
        loaded = repository.get(aggregate_id)
        attempt = attrs.evolve(attempt, loaded=loaded.version)
    except Exception as error:  # reported; the race goes on in step
        attempt = attrs.evolve(attempt, error=f"get: {_describe(error)}")
    wait()  # every writer holds the same version now
    if attempt.error is None:
        try:
            attempted = sample(port).step(loaded, writer, step)
        except Exception as error:  # the stored state allowed no command
            attempt = attrs.evolve(attempt, error=f"command: {_describe(error)}")
    if attempted is None:
        return attempt
    attempt = attrs.evolve(attempt, events=tuple(attempted.pending_events))
    try:
        repository.save(attempted, expected_version=loaded.version)
    except ConcurrencyConflict:
        return attempt
    except Exception as error:  # a save must win or conflict, nothing else
        return attrs.evolve(attempt, error=f"save: {_describe(error)}")
    return attrs.evolve(attempt, won=True, state=attempted.saved())


def _describe(error: BaseException) -> str:
    last = traceback.extract_tb(error.__traceback__)[-1:]
    where = f" at {last[0].filename}:{last[0].lineno}" if last else ""
    return f"{type(error).__name__}: {str(error)[:200]}{where}"


def racer_id(port: str, base_id: str, step: int) -> str:
    """Return the id of the aggregate raced at ``step``: a fresh one each ``lifetime`` steps."""
    lifetime = sample(port).lifetime
    return base_id if lifetime is None else f"{base_id}-{step // lifetime}"


def add_racers(store: Store, port: str, base_id: str, *, steps: int) -> list[Any]:
    """Add the aggregates a race of ``steps`` steps takes; return them as added, in order."""
    found = sample(port)
    added = []
    for aggregate_id in dict.fromkeys(racer_id(port, base_id, step) for step in range(steps)):
        initial = found.new(aggregate_id, "customer-1", 0)
        getattr(store, port).add(initial)
        added.append(initial)
    return added


def _writer_loop(  # noqa: PLR0913  # one writer's whole race
    store: Store,
    port: str,
    base_id: str,
    *,
    writer: int,
    steps: int,
    barrier: Any,
) -> list[Attempt]:
    attempts = []
    for step in range(steps):
        barrier.wait()  # the previous step's saves are all done
        aggregate_id = racer_id(port, base_id, step)
        attempts.append(
            _write(store, port, aggregate_id, writer=writer, step=step, wait=barrier.wait)
        )
    return attempts


def _adder_loop(store: Store, port: str, *, writer: int, steps: int, barrier: Any) -> list[Attempt]:
    repository = getattr(store, port)
    attempts = []
    for step in range(steps):
        barrier.wait()  # built after the barrier: the adds overlap at varying points
        new = sample(port).new(f"{port}-add-{step}", "customer-1", writer)
        attempt = Attempt(writer=writer, step=step, aggregate_id=new.id, loaded=None, won=False)
        try:
            repository.add(new)
        except ConcurrencyConflict:
            attempts.append(attempt)
        except Exception as error:  # an add must win or conflict, nothing else
            attempts.append(attrs.evolve(attempt, error=_describe(error)))
        else:
            events = tuple(new.pending_events)
            attempts.append(attrs.evolve(attempt, won=True, events=events, state=new.saved()))
    return attempts


class _Pacer:
    """The writers' barrier, noting when a writer last got past it (to tell one stuck)."""

    def __init__(self, count: int) -> None:
        self._barrier = threading.Barrier(count, timeout=BARRIER_TIMEOUT)
        self.moved = time.monotonic()

    def wait(self) -> int:
        index = self._barrier.wait()
        self.moved = time.monotonic()
        return index

    def abort(self) -> None:
        self._barrier.abort()


def _run_threads(count: int, work: Callable[[int, Any], T]) -> list[T]:
    """Run ``work(writer, barrier)`` in ``count`` threads switching as often as possible.

    A writer still running :data:`STALL_TIMEOUT` seconds after any writer last passed the
    barrier is stuck in the adapter: the race fails, naming it, rather than hang (its
    thread is a daemon, so it does not keep the test process alive either).
    """
    pacer = _Pacer(count)
    results: dict[int, T] = {}
    failures: list[str] = []

    def run(writer: int) -> None:
        try:
            results[writer] = work(writer, pacer)
        except BaseException as error:  # reported below, failing the test
            pacer.abort()
            failures.append(f"writer {writer}: {_describe(error)}")

    threads = [
        threading.Thread(target=run, args=(writer,), name=f"racing writer {writer}", daemon=True)
        for writer in range(count)
    ]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL)
    try:
        for thread in threads:
            thread.start()
        stuck = _join(threads, pacer)
    finally:
        sys.setswitchinterval(interval)
    if stuck:
        pacer.abort()
    _expect(
        not stuck,
        f"racing writers {stuck} did not return within {STALL_TIMEOUT:g} s of the race's "
        "last step: a call into the adapter never returned (a lock or a transaction left "
        f"waiting?) (PORT-5); the others: {failures[:2]}",
    )
    _expect(
        not failures,
        "a racing writer raised instead of succeeding or raising ConcurrencyConflict "
        f"(PORT-2): {failures[:3]}",
    )
    return [results[writer] for writer in range(count)]


def _join(threads: Sequence[threading.Thread], pacer: _Pacer) -> list[int]:
    """Wait for ``threads``; return those still running once the race stalled."""
    while True:
        alive = [index for index, thread in enumerate(threads) if thread.is_alive()]
        if not alive:
            return []
        if time.monotonic() - pacer.moved > STALL_TIMEOUT:
            return alive
        threads[alive[0]].join(timeout=min(1.0, STALL_TIMEOUT))


def race_threads(stores: Sequence[Store], port: str, base_id: str, *, steps: int) -> list[Attempt]:
    """Race one thread per store (the same store any number of times) for ``steps`` steps.

    The aggregates raced are those :func:`add_racers` added for ``base_id``.
    """
    runs = _run_threads(
        len(stores),
        lambda writer, barrier: _writer_loop(
            stores[writer], port, base_id, writer=writer, steps=steps, barrier=barrier
        ),
    )
    return [attempt for attempts in runs for attempt in attempts]


def race_adds(stores: Sequence[Store], port: str, *, steps: int) -> list[Attempt]:
    """Race one thread per store adding, at each step, the same new id."""
    runs = _run_threads(
        len(stores),
        lambda writer, barrier: _adder_loop(
            stores[writer], port, writer=writer, steps=steps, barrier=barrier
        ),
    )
    return [attempt for attempts in runs for attempt in attempts]


def raced_name(step: int) -> SiteName:
    """Return the site name every writer of the names race takes at ``step`` (SUB-7)."""
    return SiteName(company_abbrev="ABC", location=f"競合{step}")


def _namer_loop(store: Store, *, writer: int, steps: int, barrier: Any) -> list[Attempt]:
    """At each step, create a new installation of its own that takes the step's name.

    Each writer's application has its own id; all of them give it the same name in the
    register (``save_with_application(None, …, names=…)``): exactly one may win (SUB-7).
    A refusal is a ``ValidationError`` of SUB-7 (or a ``ConcurrencyConflict``, a database's
    lost race); anything else is reported as an error.
    """
    attempts = []
    for step in range(steps):
        barrier.wait()  # built after the barrier: the saves overlap at varying points
        name = raced_name(step)
        application = named_application(f"names-s{step}w{writer}", name, customer_id="customer-1")
        attempt = Attempt(
            writer=writer, step=step, aggregate_id=application.id, loaded=None, won=False
        )
        try:
            store.sites.save_with_application(
                None,
                site_version=None,
                application=application,
                application_version=None,
                names={application.id: (name,)},
            )
        except ConcurrencyConflict:
            attempts.append(attempt)
        except ValidationError as error:
            refused = error.rule == "SUB-7" and error.field == "names"
            attempts.append(attempt if refused else attrs.evolve(attempt, error=_describe(error)))
        except Exception as error:  # a save must win or be refused, nothing else
            attempts.append(attrs.evolve(attempt, error=_describe(error)))
        else:
            attempts.append(attrs.evolve(attempt, won=True, state=application.saved()))
    return attempts


def race_names(stores: Sequence[Store], *, steps: int) -> list[Attempt]:
    """Race one thread per store taking, at each step, one site name for its own application.

    SUB-7, PORT-5: :func:`check_names` then asserts that one writer holds each name.
    """
    runs = _run_threads(
        len(stores),
        lambda writer, barrier: _namer_loop(
            stores[writer], writer=writer, steps=steps, barrier=barrier
        ),
    )
    return [attempt for attempts in runs for attempt in attempts]


def check_names(store: Store, attempts: Sequence[Attempt]) -> None:
    """Assert what :func:`race_names` must leave: one holder of each name, the winner (SUB-7).

    At each step exactly one writer stored its application and holds the step's name in
    the register; every loser's application is absent (its save wrote nothing).
    """
    port = "site names"
    _no_errors(port, attempts)
    held = store.sites.held_names("customer-1")
    for step in sorted({attempt.step for attempt in attempts}):
        at_step = [attempt for attempt in attempts if attempt.step == step]
        won = [attempt for attempt in at_step if attempt.won]
        _expect(
            len(won) == 1,
            f"{port}: {len(won)} of {len(at_step)} writers took the name of step {step}; the "
            "register must refuse every writer but one (SUB-7)",
        )
        _expect(
            held.get(raced_name(step)) == won[0].aggregate_id,
            f"{port}: the register does not give the name of step {step} to the writer whose "
            "application was stored (SUB-7)",
        )
        for attempt in at_step:
            stored = _stored_or_none(store.applications, attempt.aggregate_id)
            _expect(
                stored == (attempt.state if attempt.won else None),
                f"{port}: step {step}, writer {attempt.writer}: "
                f"{'the winner was not stored' if attempt.won else 'a refused save was stored'}"
                " (SUB-7, PORT-2)",
            )


def site_race_application(site_id: str, step: int, writer: int) -> Any:
    """Return the new application ``writer`` stores with the site at ``step`` of its race."""
    return sample("applications").new(f"{site_id}-app-s{step}w{writer}", "customer-1", writer)


def _write_with_application(
    store: Store, site_id: str, *, writer: int, step: int, wait: Callable[[], object]
) -> Attempt:
    """Load the site, wait, then store its next state with a new application (SUB-5).

    ``events`` are the site's and the application's; ``state`` the site as stored.
    """
    sites = store.sites
    attempt = Attempt(writer=writer, step=step, aggregate_id=site_id, loaded=None, won=False)
    try:
        loaded = sites.get(site_id)
        attempt = attrs.evolve(attempt, loaded=loaded.version)
    except Exception as error:  # reported; the race goes on in step
        attempt = attrs.evolve(attempt, error=f"get: {_describe(error)}")
    wait()  # every writer holds the same version of the site now
    if attempt.error is not None:
        return attempt
    try:
        site = sample("sites").step(loaded, writer, step)
        application = site_race_application(site_id, step, writer)
    except Exception as error:  # the stored state allowed no command
        return attrs.evolve(attempt, error=f"command: {_describe(error)}")
    events = (*site.pending_events, *application.pending_events)
    attempt = attrs.evolve(attempt, events=events)
    try:
        sites.save_with_application(
            site, site_version=loaded.version, application=application, application_version=None
        )
    except ConcurrencyConflict:
        return attempt
    except Exception as error:  # a save must win or conflict, nothing else
        return attrs.evolve(attempt, error=f"save_with_application: {_describe(error)}")
    return attrs.evolve(attempt, won=True, state=site.saved())


def race_with_application(stores: Sequence[Store], site_id: str, *, steps: int) -> list[Attempt]:
    """Race one thread per store storing the site ``site_id`` with its own new application.

    At each step every writer loads the same version of the site and calls
    ``sites.save_with_application`` with the site's next state and an application of its
    own (:func:`site_race_application`): exactly one may win (SUB-5, PORT-2, PORT-5).
    """

    def work(writer: int, barrier: Any) -> list[Attempt]:
        attempts = []
        for step in range(steps):
            barrier.wait()  # the previous step's saves are all done
            attempts.append(
                _write_with_application(
                    stores[writer], site_id, writer=writer, step=step, wait=barrier.wait
                )
            )
        return attempts

    return [attempt for run in _run_threads(len(stores), work) for attempt in run]


def check_race_with_application(store: Store, initial: Any, attempts: Sequence[Attempt]) -> None:
    """Assert what :func:`race_with_application` must leave: each step's winner only.

    Exactly one writer stored the site's next version at each step, together with its
    application; every loser's application is absent and no outbox record holds a
    loser's event, of the site or of its application (SUB-5, PORT-2, PORT-3).
    """
    port = "sites with applications"
    _no_errors(port, attempts)
    version = initial.version
    winners: list[Attempt] = []
    for step in sorted({attempt.step for attempt in attempts}):
        at_step = [attempt for attempt in attempts if attempt.step == step]
        loaded = sorted({-1 if a.loaded is None else a.loaded for a in at_step})
        _expect(
            loaded == [version],
            f"{port}: at step {step} the writers loaded versions {loaded}, not the {version} "
            "the last winner stored: an update was lost (PORT-2)",
        )
        won = [attempt for attempt in at_step if attempt.won]
        _expect(
            len(won) == 1,
            f"{port}: {len(won)} of {len(at_step)} writers saved over version {version} at "
            f"step {step}; save_with_application must be a compare-and-set, exactly one "
            "wins (SUB-5, PORT-2)",
        )
        winners.append(won[0])
        version += sum(1 for e in won[0].events if e.aggregate_id == initial.id)
        for attempt in at_step:
            application = site_race_application(initial.id, step, attempt.writer)
            stored = _stored_or_none(store.applications, application.id)
            wanted = application.saved() if attempt.won else None
            _expect(
                stored == wanted,
                f"{port}: step {step}, writer {attempt.writer}: the application stored is "
                f"{'not the one saved' if attempt.won else 'that of a losing writer'} "
                "(SUB-5, PORT-2)",
            )
    stored_site = store.sites.get(initial.id)
    _expect(
        stored_site == winners[-1].state and stored_site.version == version,
        f"{port}: the stored site is not the last winner's (PORT-2)",
    )
    expected = [*initial.pending_events, *(e for w in winners for e in w.events)]
    raced = {initial.id} | {e.aggregate_id for a in attempts for e in a.events}
    records = [r.event for r in store.outbox.pending() if r.event.aggregate_id in raced]
    _expect(
        sorted(e.idempotency_key for e in records) == sorted(e.idempotency_key for e in expected),
        f"{port}: the outbox holds events of a save_with_application that was not stored, or "
        "lacks a winner's (PORT-3)",
    )
    by_key = {e.idempotency_key: e for e in expected}
    _expect(
        all(by_key[e.idempotency_key] == e for e in records),
        f"{port}: an outbox record holds the event of a losing writer (PORT-3)",
    )


def _stored_or_none(repository: Any, aggregate_id: str) -> Any:
    try:
        return repository.get(aggregate_id)
    except NotFound:
        return None


def sweep_threads(stores: Sequence[Store], now: datetime) -> list[str]:
    """Sweep the contracts due at ``now`` from every store at once; return the swept ids."""

    def sweep(writer: int, barrier: Any) -> list[str]:
        contracts = stores[writer].contracts
        swept: list[str] = []
        barrier.wait()
        for _ in range(MAX_SWEEPS):
            due = list(contracts.due(now))
            if not due:
                break
            for contract in due:
                moved = contract.apply_due(now)
                if moved.version == contract.version:
                    continue
                try:
                    contracts.save(moved, expected_version=contract.version)
                except ConcurrencyConflict:  # another sweeper got there first
                    continue
                swept.append(contract.id)
        return swept

    return [swept for run in _run_threads(len(stores), sweep) for swept in run]


def claim_threads(
    stores: Sequence[Store], *, now: datetime, lease: timedelta, limit: int
) -> list[list[str]]:
    """Claim from every store at once until none is left; return each worker's keys (PORT-6)."""

    def claim(writer: int, barrier: Any) -> list[str]:
        outbox = stores[writer].outbox
        taken: list[str] = []
        barrier.wait()
        for _ in range(MAX_CLAIMS):
            batch = outbox.claim(now=now, limit=limit, lease=lease)
            if not batch:
                break
            taken += [record.key for record in batch]
        return taken

    return _run_threads(len(stores), claim)


def mark_threads(stores: Sequence[Store], key: str, *, at: datetime) -> list[bool]:
    """Mark the outbox record ``key`` delivered from every store at once; return the answers."""

    def mark(writer: int, barrier: Any) -> bool:
        barrier.wait()
        return stores[writer].outbox.mark_delivered(key, at=at)

    return _run_threads(len(stores), mark)


def _in_process(
    factory: Callable[[], Store],
    race: Callable[[Store], dict[str, Any]],
    *,
    writer: int,
    barrier: Any,
    queue: Any,
) -> None:
    """Open a store with ``factory``, run ``race`` on it; put its results (or the failure)."""
    try:
        store = factory()
        try:
            results = race(store)
        finally:
            close = getattr(store, "close", None)
            if callable(close):
                close()
        queue.put((writer, results, None))
    except BaseException as error:  # handed to the parent, which fails the test
        barrier.abort()
        queue.put((writer, {}, f"writer {writer}: {_describe(error)}"))


def _process_writer(  # noqa: PLR0913  # what a spawned process needs, passed by pickle
    factory: Callable[[], Store],
    *,
    targets: Sequence[tuple[str, str]],
    writer: int,
    steps: int,
    barrier: Any,
    queue: Any,
) -> None:
    """Open a store with ``factory`` and race; put the attempts (or the failure) on ``queue``."""

    def race(store: Store) -> dict[str, Any]:
        return {
            port: _writer_loop(store, port, base_id, writer=writer, steps=steps, barrier=barrier)
            for port, base_id in targets
        }

    _in_process(factory, race, writer=writer, barrier=barrier, queue=queue)


def _process_namer(
    factory: Callable[[], Store], *, writer: int, steps: int, barrier: Any, queue: Any
) -> None:
    """Open a store with ``factory`` and race for names; report as :func:`_process_writer`."""

    def race(store: Store) -> dict[str, Any]:
        return {"names": _namer_loop(store, writer=writer, steps=steps, barrier=barrier)}

    _in_process(factory, race, writer=writer, barrier=barrier, queue=queue)


def race_name_processes(factory: Callable[[], Store], *, writers: int, steps: int) -> list[Attempt]:
    """Race ``writers`` processes ("spawn") for site names, as :func:`race_names` does threads.

    SUB-7, PORT-5: each process opens its own ``factory()`` store.
    """
    reports = _spawn(factory, _process_namer, {"steps": steps}, writers=writers)
    return [attempt for _, results, _ in reports for attempt in results["names"]]


def race_processes(
    factory: Callable[[], Store],
    targets: Sequence[tuple[str, str]],
    *,
    writers: int,
    steps: int,
) -> dict[str, list[Attempt]]:
    """Race ``writers`` processes ("spawn"), each on its own ``factory()`` store.

    ``targets`` are the (port, base id) pairs raced one after the other, on the aggregates
    :func:`add_racers` added; the answer holds every writer's attempts by port. A process
    that does not report within twice :data:`STALL_TIMEOUT` fails the race (PORT-5).
    """
    reports = _spawn(
        factory, _process_writer, {"targets": tuple(targets), "steps": steps}, writers=writers
    )
    return {
        port: [attempt for _, results, _ in reports for attempt in results[port]]
        for port, _ in targets
    }


def _spawn(
    factory: Callable[[], Store],
    target: Callable[..., None],
    kwargs: dict[str, Any],
    *,
    writers: int,
) -> list[tuple[int, dict[str, list[Attempt]], str | None]]:
    """Run ``target(factory, writer=…, barrier=…, queue=…, **kwargs)`` in ``writers`` processes.

    Return each process's report; fail when one does not report within twice
    :data:`STALL_TIMEOUT`, or reports a failure (PORT-5).
    """
    try:
        pickle.dumps(factory)
    except Exception as error:
        msg = f"store_factory() must return a picklable factory (a module-level callable): {error}"
        raise AssertionError(msg) from None
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(writers, timeout=BARRIER_TIMEOUT)
    queue = context.Queue()
    processes = [
        context.Process(
            target=target,
            args=(factory,),
            kwargs={**kwargs, "writer": writer, "barrier": barrier, "queue": queue},
            daemon=True,
        )
        for writer in range(writers)
    ]
    for process in processes:
        process.start()
    reports = []
    try:
        for _ in processes:
            try:
                reports.append(queue.get(timeout=STALL_TIMEOUT * 2))
            except queues.Empty:
                done = sorted(writer for writer, _, _ in reports)
                msg = (
                    f"racing processes other than {done} did not report within "
                    f"{STALL_TIMEOUT * 2:g} s: a call into the adapter never returned, or the "
                    "process died (PORT-5)"
                )
                raise AssertionError(msg) from None
    finally:
        for process in processes:
            process.join(timeout=BARRIER_TIMEOUT)
            if process.is_alive():
                process.terminate()
    failures = [failure for _, _, failure in reports if failure is not None]
    _expect(
        not failures,
        "a racing process raised instead of succeeding or raising ConcurrencyConflict "
        f"(PORT-2): {failures[:3]}",
    )
    return reports


def _expect(condition: object, message: str) -> None:
    """Fail the suite's test with ``message`` unless ``condition`` (also under ``python -O``)."""
    if not condition:
        raise AssertionError(message)


def _no_errors(port: str, attempts: Sequence[Attempt]) -> None:
    errors = [f"step {a.step}, writer {a.writer}: {a.error}" for a in attempts if a.error]
    _expect(
        not errors,
        f"{port}: a racing writer's call neither succeeded nor raised ConcurrencyConflict "
        f"(PORT-2): {errors[:3]}",
    )


def check_adds(store: Store, port: str, attempts: Sequence[Attempt]) -> None:
    """Assert that each raced id was added once, with only the winner's events (PORT-2, PORT-3)."""
    _no_errors(port, attempts)
    repository = getattr(store, port)
    records = list(store.outbox.pending())
    for step in sorted({attempt.step for attempt in attempts}):
        won = [a for a in attempts if a.step == step and a.won]
        _expect(
            len(won) == 1,
            f"{port}: {len(won)} writers added the id of step {step}; an add must be a "
            "compare-and-set, exactly one wins (PORT-2)",
        )
        aggregate_id = f"{port}-add-{step}"
        _expect(
            repository.get(aggregate_id) == won[0].state,
            f"{port}: the stored {aggregate_id} is not the winner's: an add was lost (PORT-2)",
        )
        events = [r.event for r in records if r.event.aggregate_id == aggregate_id]
        _expect(
            events == list(won[0].events),
            f"{port}: the outbox holds events of an add that was not stored (PORT-3)",
        )


def check_race(
    store: Store, port: str, initials: Sequence[Any], attempts: Sequence[Attempt]
) -> None:
    """Assert what racing writers must leave behind (PORT-2, PORT-3, PORT-5).

    Exactly one winner per version, no lost update, no outbox record for a state that was
    not stored, no stuck aggregate. ``initials`` are the aggregates :func:`add_racers`
    added before the race, with their pending events.
    """
    _no_errors(port, attempts)
    raced = {attempt.aggregate_id for attempt in attempts}
    _expect(
        raced <= {initial.id for initial in initials},
        f"{port}: the writers raced {sorted(raced)[:3]}, not the aggregates added for the race",
    )
    for initial in initials:
        _check_one(store, port, initial, [a for a in attempts if a.aggregate_id == initial.id])


def _check_one(store: Store, port: str, initial: Any, attempts: Sequence[Attempt]) -> None:
    """Check one raced aggregate: ``attempts`` are the writers' attempts on it."""
    aggregate_id = initial.id
    version = initial.version
    winners: list[Attempt] = []
    for step in sorted({attempt.step for attempt in attempts}):
        at_step = [attempt for attempt in attempts if attempt.step == step]
        loaded = sorted({-1 if a.loaded is None else a.loaded for a in at_step})
        _expect(
            loaded == [version],
            f"{port}: at step {step} the writers loaded versions {loaded}, not the {version} "
            "the last winner stored: an update was lost (PORT-2)",
        )
        won = [attempt for attempt in at_step if attempt.won]
        tried = [attempt for attempt in at_step if attempt.events]
        _expect(
            len(won) == (1 if tried else 0),
            f"{port}: {len(won)} of {len(tried)} writers saved over version {version} at step "
            f"{step}; a save must be a compare-and-set, exactly one wins (PORT-2)",
        )
        for winner in won:
            winners.append(winner)
            version += len(winner.events)
    repository = getattr(store, port)
    stored = repository.get(aggregate_id)
    last = winners[-1].state if winners else initial.saved()
    _expect(stored == last, f"{port}: the stored aggregate is not the last winner's (PORT-2)")
    _expect(
        stored.version == version,
        f"{port}: stored version {stored.version}, but the winners made {version} (PORT-2)",
    )
    expected = [*initial.pending_events, *(e for w in winners for e in w.events)]
    records = [r for r in store.outbox.pending() if r.event.aggregate_id == aggregate_id]
    _expect(
        [r.key for r in records] == [e.idempotency_key for e in expected],
        f"{port}: the outbox holds {[r.key for r in records][-3:]}…, but the stored states "
        f"recorded {[e.idempotency_key for e in expected][-3:]}… (PORT-3)",
    )
    _expect(
        [r.event for r in records] == expected,
        f"{port}: an outbox record holds the event of a state that was not stored (PORT-3)",
    )
    _check_not_stuck(store, port, aggregate_id, stored)


def _check_not_stuck(store: Store, port: str, aggregate_id: str, stored: Any) -> None:
    """Check that the raced aggregate takes one more command and the queries agree with it."""
    repository = getattr(store, port)
    found = sample(port)
    following = found.step(stored, 0, 10_000)
    if following is not None:
        repository.save(following, expected_version=stored.version)
        stored = repository.get(aggregate_id)
        _expect(
            stored == following.saved(), f"{port}: the aggregate is stuck after the race (PORT-2)"
        )
    if found.customer is not None:
        listed = [a for a in repository.of_customer(found.customer(stored)) if a.id == stored.id]
        _expect(listed == [stored], f"{port}: of_customer disagrees with get after the race")
    due_at = getattr(stored, "next_due_at", None) or getattr(stored, "due_at", None)
    if due_at is not None:
        _expect(
            [a.id for a in repository.due(due_at)].count(aggregate_id) == 1,
            f"{port}: due() does not list the aggregate due at {due_at} once after the race",
        )
