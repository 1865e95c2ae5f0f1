"""The lifecycle engine: python-statemachine charts compiled into fast, strict tables.

Each lifecycle is written once, as a python-statemachine :class:`~statemachine.StateChart`
subclass whose states carry status enum members as values and whose transitions each
declare exactly one :class:`Actor` with ``cond=by(Actor.X)``. That chart is the single
source of truth. :meth:`Lifecycle.compile` reads it into a frozen table, and
:meth:`Lifecycle.fire` answers "what happens when this actor sends this event in this
status" with two dictionary look-ups: no callbacks, no I/O, no chart instance.

Guards that need data (an uploaded file, a comment, a deadline) live in the domain's
service, never in the chart; the compiler refuses any other condition so that the table
and the chart cannot disagree.

The domains' charts subclass :class:`omakase_core._charts.CheckedChart`, parametrised by
their status enum, which checks python-statemachine's own entry (``Chart(model, …)``) and
keeps python-statemachine out of ``import omakase_core``.

SEC-2 (no fail-open values): ``fire``, ``can_fire``, ``events_from`` and ``is_final`` take
only what they declare. A plain string where an :class:`Actor` belongs (``"customer"``, which
a ``StrEnum`` would otherwise hash and compare equal to ``Actor.CUSTOMER``) is a
:class:`~omakase_core.errors.ValidationError` naming ``actor``, never a permission granted;
an event that is not text, an unhashable value or a status of another lifecycle is refused
too, never a raw ``TypeError``. The checks cost nothing on the path that succeeds: one
identity test of the actor's type, and a ``try`` around the table look-up.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Generic, Self, TypeVar

import attrs

from omakase_core._validation import StrictEnumType
from omakase_core.errors import (
    DefinitionError,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationError,
    excerpt,
)

if TYPE_CHECKING:
    from statemachine import State, StateChart  # noqa: TC004  # annotations only: the charts import it

__all__ = [
    "LIFECYCLES",
    "Actor",
    "Lifecycle",
    "Status",
    "Transition",
    "by",
    "load_charts_with",
    "register",
    "status_state",
]


class Actor(enum.StrEnum, metaclass=StrictEnumType):
    """Who sends an event: the portal's user side, the provider's staff, or time itself.

    ``Actor("customer")`` looks a member up by value; anything else is a ``ValidationError``
    (SEC-2). Where an actor is *expected*, only a member is taken, never its plain value.
    """

    CUSTOMER = "customer"
    """The portal's user side: お客様, 管理者, ユーザ."""
    OPERATOR = "operator"
    """The provider's back office (NTTデータ, KDDI staff, …)."""
    CONTRACTOR = "contractor"
    """The contract holder (契約者), through the contract-management login."""
    SYSTEM = "system"
    """Time: transitions that happen because a deadline passed."""


class Status(enum.Enum, metaclass=StrictEnumType):
    """Base of every status enum: a stable English value and the Japanese ``label``.

    Members are declared as ``NAME = "english_id", "日本語ラベル"``. ``Kind("english_id")``
    looks a member up by its value only (not its label, not its name); anything else is a
    ``ValidationError`` naming ``value`` (SEC-2).
    """

    label: str

    def __new__(cls, value: str, label: str = "") -> Self:
        """Create a member whose value is the English id and whose label is Japanese.

        (After the class is built, ``Status("active")`` looks a member up by value as any
        enum does; ``label`` has a default only so that type checkers accept that call.)
        """
        if not label:
            msg = f"status {value!r} of {cls.__name__} needs a Japanese label"
            raise DefinitionError(msg, chart=cls.__name__)
        member = object.__new__(cls)
        member._value_ = value
        member.label = label
        return member

    def __str__(self) -> str:
        return self.label

    # Members are singletons compared by identity, so identity hashing is exact; it is also
    # done in C, which matters because every ``fire`` hashes a status.
    __hash__ = object.__hash__


def _not_an_actor(actor: object) -> ValidationError:
    return ValidationError(
        "actor must be an Actor member (Actor.CUSTOMER, …), not "
        f"{type(actor).__name__} {excerpt(actor)}",
        field="actor",
        rule="SEC-2",
    )


StatusT = TypeVar("StatusT", bound=Status)

_GUARDS: dict[Actor, Callable[..., bool]] = {}
_GUARD_ACTORS: dict[Callable[..., bool], Actor] = {}


def by(actor: Actor) -> Callable[..., bool]:
    """Return the guard that declares a chart transition as ``actor``'s to take.

    python-statemachine evaluates it against the ``actor=`` keyword given to ``send``; the
    compiler reads it back to fill :attr:`Transition.actor`. ``actor`` must be an
    :class:`Actor` member; its plain string value is refused (SEC-2).
    """
    given: object = actor  # callers are not always type-checked
    if type(given) is not Actor:
        raise _not_an_actor(given)
    if actor not in _GUARDS:

        def guard(actor: object = None, **_: object) -> bool:
            return actor == expected

        expected = Actor(actor)
        # python-statemachine caches signatures by qualified name: give each guard its own.
        guard.__name__ = guard.__qualname__ = f"by_{expected.value}"
        _GUARDS[expected] = guard
        _GUARD_ACTORS[guard] = expected
    return _GUARDS[actor]


def status_state(status: Status, *, initial: bool = False, final: bool = False) -> State:
    """Return a chart state for ``status``: its Japanese label as name, the member as value."""
    given: object = status  # callers are not always type-checked
    if not isinstance(given, Status):
        msg = f"status must be a Status member, not {type(given).__name__} {excerpt(given)}"
        raise ValidationError(msg, field="status", rule="SEC-2")
    _check_flag(initial, "initial")
    _check_flag(final, "final")
    from statemachine import State  # noqa: PLC0415  # charts load it; the package import does not

    return State(status.label, value=status, initial=initial, final=final)


def _check_flag(value: object, field: str) -> None:
    if not isinstance(value, bool):
        msg = f"{field} must be True or False, not {excerpt(value)}"
        raise ValidationError(msg, field=field)


def _check_event_id(value: object, field: str) -> None:
    if not isinstance(value, str) or len(value) > 100 or not value.isidentifier():
        msg = f"{field} must be an event id (a short identifier), not {excerpt(value)}"
        raise ValidationError(msg, field=field)


def _status(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Status):
        msg = f"{attribute.name} must be a Status member, not {type(value).__name__}"
        raise ValidationError(msg, field=attribute.name, rule="SEC-2")


def _event_id(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    _check_event_id(value, attribute.name)


def _actor(_: object, attribute: attrs.Attribute[Actor], value: object) -> None:
    if type(value) is not Actor:
        raise _not_an_actor(value)


@attrs.frozen(kw_only=True)
class Transition(Generic[StatusT]):
    """One row of a lifecycle table: ``actor`` sends ``event`` to go ``source`` → ``target``."""

    source: StatusT = attrs.field(validator=_status)
    target: StatusT = attrs.field(validator=_status)
    event: str = attrs.field(validator=_event_id)
    actor: Actor = attrs.field(validator=_actor)

    def __attrs_post_init__(self) -> None:
        """Refuse a row between statuses of two different charts."""
        if type(self.target) is not type(self.source):
            msg = (
                f"target must be a {type(self.source).__name__} as source is, "
                f"not a {type(self.target).__name__}"
            )
            raise ValidationError(msg, field="target")


def _check_name(name: object) -> None:
    if (
        not isinstance(name, str)
        or not name
        or len(name) > 100
        or not name.isprintable()
        or any(ch.isspace() for ch in name)
    ):
        msg = f"name must be a short printable name without spaces, not {excerpt(name)}"
        raise ValidationError(msg, field="name")


def _check_chart(chart: object) -> None:
    from statemachine import StateChart  # noqa: PLC0415  # charts load it; the package does not

    if not isinstance(chart, type) or not issubclass(chart, StateChart):
        msg = f"chart must be a StateChart subclass, not {excerpt(chart)}"
        raise ValidationError(msg, field="chart")


def _check_status_type(status_type: object) -> None:
    if not isinstance(status_type, type) or not issubclass(status_type, Status):
        msg = f"status_type must be a Status subclass, not {excerpt(status_type)}"
        raise ValidationError(msg, field="status_type")


_RULE_ID: Final = re.compile(r"[A-Z]{2,5}-[0-9]{1,3}[a-z]?")


def _check_rule(attribute: attrs.Attribute[str | None], value: object) -> None:
    """Refuse a rule that is neither ``None`` nor a rule ID such as ``"CON-2"`` (SEC-2)."""
    if value is not None and (type(value) is not str or _RULE_ID.fullmatch(value) is None):
        msg = f"{attribute.name} must be None or a rule ID such as 'CON-2', not {excerpt(value)}"
        raise ValidationError(msg, field=attribute.name, rule="SEC-2")


def _check_parts(lifecycle: Lifecycle[Any]) -> None:
    """Refuse the parts of a hand-built :class:`Lifecycle` that do not make one table."""
    _check_name(lifecycle.name)
    _check_chart(lifecycle.chart)
    _check_status_type(lifecycle.status_type)
    kind = lifecycle.status_type
    statuses: object = lifecycle.statuses
    if (
        not isinstance(statuses, tuple)
        or not statuses
        or not all(isinstance(s, kind) for s in statuses)
    ):
        _bad_part("statuses", f"a non-empty tuple of {kind.__name__} members")
    if not any(lifecycle.initial is s for s in lifecycle.statuses):
        _bad_part("initial", "one of the statuses")
    final: object = lifecycle.final
    if not isinstance(final, frozenset) or not final <= frozenset(lifecycle.statuses):
        _bad_part("final", "a frozenset of the statuses")
    rows: object = lifecycle.transitions
    if not isinstance(rows, frozenset) or not all(
        isinstance(row, Transition)
        and row.source in lifecycle.statuses
        and row.target in lifecycle.statuses
        for row in rows
    ):
        _bad_part("transitions", "a frozenset of Transition rows between the statuses")
    order: object = lifecycle.order
    if not isinstance(order, tuple) or len(order) != len(lifecycle.transitions):
        _bad_part("order", "the transitions as a tuple, each once")
    if frozenset(lifecycle.order) != rows:
        _bad_part("order", "the transitions as a tuple, each once")
    table: dict[tuple[Any, str], dict[Actor, Any]] = {}
    for row in lifecycle.order:
        table.setdefault((row.source, row.event), {})[row.actor] = row.target
    given: object = lifecycle._table  # the lifecycle's own part
    if (
        not isinstance(given, Mapping)
        or {
            key: dict(value) if isinstance(value, Mapping) else value
            for key, value in given.items()
        }
        != table
    ):
        _bad_part("table", "the look-up table of the transitions")
    if lifecycle._events != frozenset(row.event for row in lifecycle.order):
        _bad_part("events", "the frozenset of the transitions' events")


def _bad_part(field: str, what: str) -> None:
    msg = f"{field} must be {what}; build a Lifecycle with Lifecycle.compile"
    raise ValidationError(msg, field=field)


def _state_status(state: State, status_type: type[StatusT], chart: type[Any]) -> StatusT:
    value: object = state.value
    if not isinstance(value, status_type):
        msg = (
            f"state {state.id!r} of {chart.__name__} has value {value!r}, "
            f"not a member of {status_type.__name__}"
        )
        raise DefinitionError(msg, chart=chart.__name__)
    return value


def _compile_transitions(
    chart: type[StateChart[Any]], status_type: type[StatusT]
) -> list[Transition[StatusT]]:
    rows: list[Transition[StatusT]] = []
    for state in chart.states:
        source = _state_status(state, status_type, chart)
        for transition in state.transitions:
            events = [str(event) for event in transition.events]
            if len(events) != 1 or transition.target is None:
                msg = f"every transition of {chart.__name__} needs exactly one event and one target"
                raise DefinitionError(msg, chart=chart.__name__)
            conds = [spec.func for spec in transition.cond]
            actors = [_GUARD_ACTORS[c] for c in conds if c in _GUARD_ACTORS]
            if len(actors) != 1 or len(conds) != 1:
                msg = (
                    f"transition {events[0]!r} from {state.id!r} of {chart.__name__} must declare "
                    "exactly one actor with cond=by(Actor.X) and no other condition"
                )
                raise DefinitionError(msg, chart=chart.__name__)
            target = _state_status(transition.target, status_type, chart)
            rows.append(Transition(source=source, target=target, event=events[0], actor=actors[0]))
    return rows


@attrs.frozen(kw_only=True)
class Lifecycle(Generic[StatusT]):
    """A compiled chart: its statuses, its transitions and a pure, table-driven ``fire``.

    Build one with :meth:`Lifecycle.compile`. ``chart`` stays available, and instantiable
    with no arguments, for python-statemachine's own tooling.
    """

    name: str
    chart: type[StateChart[Any]]
    status_type: type[StatusT]
    initial: StatusT
    transitions: frozenset[Transition[StatusT]]
    statuses: tuple[StatusT, ...]
    """The chart's statuses in declaration order."""
    final: frozenset[StatusT]
    """Statuses the chart marks final (terminal)."""
    order: tuple[Transition[StatusT], ...] = attrs.field(repr=False)
    """The transitions in declaration order (for diagrams and documentation)."""
    _table: Mapping[tuple[StatusT, str], Mapping[str, StatusT]] = attrs.field(repr=False, eq=False)
    _events: frozenset[str] = attrs.field(repr=False, eq=False)
    rule: str | None = attrs.field(default=None, validator=lambda _, a, v: _check_rule(a, v))
    """The rule the chart's transitions implement (``"CON-1"``); ``InvalidTransition`` names it."""
    actor_rule: str | None = attrs.field(default=None, validator=lambda _, a, v: _check_rule(a, v))
    """The rule that says who sends each event (``"CON-2"``); a ``PermissionDenied`` names it."""

    def __attrs_post_init__(self) -> None:
        """Refuse parts that do not make one consistent table (built by hand, not compiled)."""
        _check_parts(self)

    @classmethod
    def compile(
        cls,
        name: str,
        chart: type[StateChart[Any]],
        status_type: type[StatusT],
        *,
        rule: str | None = None,
        actor_rule: str | None = None,
    ) -> Lifecycle[StatusT]:
        """Compile ``chart`` into a lifecycle, refusing charts the table cannot represent.

        ``rule`` and ``actor_rule`` name the rules of the rulebook the chart implements:
        its refusals carry them, so an error says which rule decided (issue 15).
        """
        _check_name(name)
        _check_chart(chart)
        _check_status_type(status_type)
        rows = _compile_transitions(chart, status_type)
        table: dict[tuple[StatusT, str], dict[str, StatusT]] = {}
        for row in rows:
            by_actor = table.setdefault((row.source, row.event), {})
            if row.actor in by_actor:
                msg = (
                    f"{chart.__name__} has two transitions for {row.event!r} from "
                    f"{row.source.name} by {row.actor.value}"
                )
                raise DefinitionError(msg, chart=chart.__name__)
            by_actor[row.actor] = row.target
        initial = chart.initial_state
        if initial is None:
            msg = f"{chart.__name__} has no initial state"
            raise DefinitionError(msg, chart=chart.__name__)
        statuses = tuple(_state_status(s, status_type, chart) for s in chart.states)
        return cls(
            name=name,
            chart=chart,
            status_type=status_type,
            initial=_state_status(initial, status_type, chart),
            transitions=frozenset(rows),
            statuses=statuses,
            final=frozenset(_state_status(s, status_type, chart) for s in chart.states if s.final),
            order=tuple(rows),
            table=MappingProxyType({key: MappingProxyType(value) for key, value in table.items()}),
            events=frozenset(row.event for row in rows),
            rule=rule,
            actor_rule=actor_rule,
        )

    def fire(self, source: StatusT, event: str, *, actor: Actor) -> StatusT:
        """Return the status ``actor`` reaches by sending ``event`` in ``source``.

        An event with no transition from ``source`` raises
        :class:`~omakase_core.errors.InvalidTransition`; the right event sent by another
        actor raises :class:`~omakase_core.errors.PermissionDenied`. Nothing else happens.
        A ``source`` that is not a status of this lifecycle, an ``event`` that is not
        text, or an ``actor`` that is not an :class:`Actor` member (its plain string value
        included), is a ``ValidationError`` naming it (SEC-2).
        """
        try:
            by_actor = self._table.get((source, event))
        except TypeError:  # an unhashable source or event: refused by _refusal
            by_actor = None
        if by_actor is not None and type(actor) is Actor:  # SEC-2: no str for an Actor
            target = by_actor.get(actor)
            if target is not None:
                return target
        raise self._refusal(source, event, actor)

    def can_fire(self, source: StatusT, event: str, *, actor: Actor) -> bool:
        """Return whether :meth:`fire` would accept the step.

        A step that is well formed but not allowed answers ``False``; a malformed one (a
        status of another lifecycle, an event that is not text, an actor that is not an
        :class:`Actor` member) is refused as :meth:`fire` refuses it (SEC-2), never
        answered ``True`` for a value the table does not know.
        """
        if type(actor) is Actor:
            try:
                by_actor = self._table.get((source, event))
            except TypeError:
                by_actor = None
            if by_actor is not None:
                return actor in by_actor
        self._check_step(source, event, actor)
        return False

    def events_from(self, source: StatusT, *, actor: Actor | None = None) -> frozenset[str]:
        """Return the events that may be sent in ``source`` (by ``actor``, if given).

        A portal shows exactly these as buttons. ``actor`` is an :class:`Actor` member or
        ``None``; a plain string is refused (SEC-2).
        """
        self._check_status(source, "source")
        if actor is not None and type(actor) is not Actor:
            raise _not_an_actor(actor)
        return frozenset(
            row.event
            for row in self.order
            if row.source == source and (actor is None or row.actor == actor)
        )

    def is_final(self, status: StatusT) -> bool:
        """Return whether ``status`` is terminal in this lifecycle."""
        self._check_status(status)
        return status in self.final

    def mermaid(self) -> str:
        """Return the lifecycle as a Mermaid ``stateDiagram-v2`` with labels and actors."""
        lines = ["stateDiagram-v2"]
        lines.extend(f'    state "{s.label}" as {s.name}' for s in self.statuses)
        lines.append(f"    [*] --> {self.initial.name}")
        lines.extend(
            f"    {row.source.name} --> {row.target.name} : {row.event} ({row.actor.value})"
            for row in self.order
        )
        lines.extend(f"    {s.name} --> [*]" for s in self.statuses if s in self.final)
        return "\n".join(lines)

    def _check_status(self, status: object, field: str = "status") -> None:
        """Refuse a value that is not one of this lifecycle's statuses (SEC-2).

        ``None``, a plain string or another lifecycle's status is a malformed argument,
        not a status the chart has no transition from: a ``ValidationError`` naming
        the parameter (``field``), never an ``InvalidTransition`` that would describe it as
        a state.
        """
        if not any(status is member for member in self.statuses):
            msg = f"{field} must be a status of the {self.name} lifecycle, not {excerpt(status)}"
            raise ValidationError(msg, field=field, rule="SEC-2")

    def _check_step(self, source: object, event: object, actor: object) -> None:
        """Refuse a malformed step: a foreign status, an event that is not text, a non-Actor."""
        if not isinstance(event, str):
            msg = f"event must be an event id (text), not {type(event).__name__} {excerpt(event)}"
            raise ValidationError(msg, field="event")
        self._check_status(source, "source")
        if type(actor) is not Actor:
            raise _not_an_actor(actor)

    def _refusal(
        self, source: object, event: object, actor: object
    ) -> InvalidTransition | PermissionDenied:
        self._check_step(source, event, actor)
        status: StatusT = source  # type: ignore[assignment]  # _check_step made sure
        shown = excerpt(event)
        by_actor = self._table.get((status, str(event)))
        if by_actor is None:
            known = "" if event in self._events else " (no such event in this lifecycle)"
            return InvalidTransition(
                f"{shown} cannot happen in {status.name} ({status.label}) "
                f"of the {self.name} lifecycle{known}",
                state=status.name,
                event=str(event),
                lifecycle=self.name,
                rule=self.rule,
                state_label=status.label,
            )
        allowed = sorted(by_actor)
        return PermissionDenied(
            f"{actor!s} may not send {shown} in {status.name} ({status.label}) of the "
            f"{self.name} lifecycle; only {', '.join(allowed)} may",
            actor=str(actor),
            event=str(event),
            state=status.name,
            rule=self.actor_rule,
            state_label=status.label,
        )


class _UnknownLifecycle(NotFound, KeyError):
    """No lifecycle has that name: a ``NotFound``, and a ``KeyError`` as a mapping's miss is."""

    __str__ = BaseException.__str__  # KeyError's own would quote the message


class _Registry(Mapping[str, Lifecycle[Any]]):
    """The read-only mapping of every registered lifecycle, by name.

    The domains' charts are compiled when a domain is first imported, not when
    ``omakase_core`` is: the first look into the registry imports every domain, so it is
    always complete.
    """

    def __init__(self) -> None:
        self._items: dict[str, Lifecycle[Any]] = {}
        self._loader: Callable[[], object] | None = None

    def _load(self) -> dict[str, Lifecycle[Any]]:
        loader, self._loader = self._loader, None
        if loader is not None:
            loader()
        return self._items

    def __getitem__(self, name: str) -> Lifecycle[Any]:
        items = self._load()
        if isinstance(name, str):
            found = items.get(name)
            if found is not None:
                return found
        given: object = name  # look-ups are not always type-checked
        shown = given if isinstance(given, str) else excerpt(given)
        raise _UnknownLifecycle(kind="lifecycle", id=shown)

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())

    def __repr__(self) -> str:
        return f"LIFECYCLES({sorted(self._load())})"

    def _add(self, lifecycle: Lifecycle[Any]) -> None:
        if lifecycle.name in self._items and self._items[lifecycle.name] != lifecycle:
            msg = f"another lifecycle is already registered as {lifecycle.name!r}"
            raise DefinitionError(msg, chart=lifecycle.chart.__name__)
        self._items[lifecycle.name] = lifecycle


LIFECYCLES: Final[Mapping[str, Lifecycle[Any]]] = _Registry()
"""Every lifecycle of the library, by name (``"contract"``, …). Read-only."""


def load_charts_with(loader: Callable[[], object]) -> None:
    """Have :data:`LIFECYCLES` call ``loader`` on its first look-up, to import every chart.

    The core imports no domain: ``omakase_core/__init__.py``, which knows the domains, hands
    the registry a loader that imports them. ``loader`` must be callable.
    """
    given: object = loader  # callers are not always type-checked
    if not callable(given):
        msg = f"loader must be a callable, not {type(given).__name__}"
        raise ValidationError(msg, field="loader")
    LIFECYCLES._loader = loader  # type: ignore[attr-defined]  # the registry's own hook


def register(lifecycle: Lifecycle[StatusT]) -> Lifecycle[StatusT]:
    """Add ``lifecycle`` to :data:`LIFECYCLES` under its name and return it."""
    given: object = lifecycle  # callers are not always type-checked
    if not isinstance(given, Lifecycle):
        msg = f"lifecycle must be a Lifecycle, not {type(given).__name__}"
        raise ValidationError(msg, field="lifecycle")
    LIFECYCLES._add(lifecycle)  # type: ignore[attr-defined]  # the registry's own hook
    return lifecycle
