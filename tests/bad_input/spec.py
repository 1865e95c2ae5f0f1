"""The harness of the generated bad-input test: cases, parameter families, one run (SEC-2).

A :class:`Case` is a VALID call of one public callable (its baseline). The harness replaces
one parameter at a time by every bad value of the parameter's family (chosen from its
annotation, see :mod:`tests.bad_input.values`) and reports each breach of SEC-2:

- anything but an ``OmakaseError`` escaping (a raw ``TypeError``, ``KeyError``,
  ``AttributeError``, ``OverflowError``, ``RecursionError``, ``JSONDecodeError``, …);
- a value that must be refused returning normally ("silently accepted");
- an error message holding more than about 80 characters of the value;
- an error whose ``field`` is not the parameter's public name.
"""

from __future__ import annotations

import collections.abc
import datetime as _datetime
import enum
import functools
import inspect
import operator
import sys
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from omakase_core import OmakaseError
from omakase_core.errors import excerpt
from tests.bad_input import values as v
from tests.bad_input.values import MAY, REFUSE, Bad, Verdict

Target = Callable[..., object] | type | tuple[object, str]
"""A function, a class (its constructor) or ``(class or instance, member name)``."""

DUNDERS: Final = frozenset({"__getitem__", "__contains__", "__call__"})
"""Operators that take input, walked like public methods."""


@dataclass(frozen=True)
class Lazy:
    """A baseline argument built at call time (a fresh instance, a registered value)."""

    make: Callable[[], object]


@dataclass(frozen=True)
class Param:
    """How one parameter of a case departs from what its annotation says.

    ``family`` replaces the derived bad values, ``extra`` adds some; ``refuse`` and ``may``
    change the verdict of values by label; ``fields`` are other names an error may give
    (when the public name really is another one); ``echo_ok`` says the parameter *is* the
    message text (an error's ``message``), so the message may show it; ``label`` says the
    parameter only names something in an error the library builds (``field=``, ``kind=``):
    any value may be accepted there, and only the message is held to SEC-2.
    """

    family: tuple[Bad, ...] | None = None
    extra: tuple[Bad, ...] = ()
    refuse: frozenset[str] = frozenset()
    may: frozenset[str] = frozenset()
    fields: tuple[str, ...] = ()
    echo_ok: bool = False
    label: bool = False


def refuse(*labels: str, **rest: Any) -> Param:  # Param's other fields
    """Return a :class:`Param` in which the values labelled ``labels`` must be refused."""
    return Param(refuse=frozenset(labels), **rest)


def may(*labels: str, **rest: Any) -> Param:  # Param's other fields
    """Return a :class:`Param` in which the values labelled ``labels`` may be accepted."""
    return Param(may=frozenset(labels), **rest)


ID_TEXT: Final = frozenset(
    {"empty", "blank", "ideographic space", "control characters", "line break", "1 MB"}
)
"""What an id refuses beyond wrong types: nothing blank, nothing unprintable, nothing huge."""

OTHER_TEXT: Final = ID_TEXT | {
    "unknown word",
    "full-width digits",
    "Arabic-Indic digits",
    "emoji",
    "lone surrogate",
}
"""Every text of the family: refused where only known texts are valid (an event, a key)."""


@dataclass(frozen=True)
class Case:
    """A valid call of ``target``: the baseline whose parameters the bad values replace.

    ``args`` holds the arguments by name (a :class:`Lazy` is built per call); parameters
    left out take their defaults and are fed bad values all the same. ``instance`` builds
    the object whose method ``target`` names; ``call`` is the callable actually called when
    it differs from ``target`` (a subclass for an abstract base). ``lenient`` makes every
    bad value ``MAY`` (an error class carries what it is given; only its message is held to
    SEC-2). ``name`` tells several cases of one target apart.
    """

    target: Target
    args: Mapping[str, object] = field(default_factory=dict)
    params: Mapping[str, Param] = field(default_factory=dict)
    instance: Callable[[], object] | None = None
    call: Callable[..., object] | None = None
    lenient: bool = False
    name: str = ""

    @property
    def key(self) -> str:
        """The target's stable key, as the completeness walk computes it."""
        return target_key(self.target)

    @property
    def id(self) -> str:
        """A short readable id for test reports."""
        label = display(self.target)
        return f"{label}[{self.name}]" if self.name else label


# -- targets ------------------------------------------------------------------------------------


def owner_of(holder: object, name: str) -> type:
    """Return the class in ``holder``'s MRO that defines ``name``."""
    cls = holder if isinstance(holder, type) else type(holder)
    for klass in cls.__mro__:
        if name in vars(klass):
            return klass
    msg = f"{cls.__qualname__} has no member {name!r}"
    raise LookupError(msg)


def target_key(target: Target) -> str:
    """Return where ``target`` is defined: ``module.Qualname`` (``.member`` for members)."""
    if isinstance(target, tuple):
        holder, name = target
        owner = owner_of(holder, name)
        return f"{owner.__module__}.{owner.__qualname__}.{name}"
    return f"{target.__module__}.{target.__qualname__}"


def display(target: Target) -> str:
    """Return a short name for reports: ``Class.member`` or ``function``."""
    if isinstance(target, tuple):
        holder, name = target
        cls = holder if isinstance(holder, type) else type(holder)
        return f"{cls.__qualname__}.{name}"
    return target.__qualname__


def is_enum_class(target: object) -> bool:
    """Return whether ``target`` is an enum class (whose constructor looks a value up)."""
    return isinstance(target, type) and issubclass(target, enum.Enum)


def resolve(case: Case) -> tuple[Callable[..., object], inspect.Signature]:
    """Return the callable a case calls (its instance built) and the signature to feed."""
    target = case.target
    if isinstance(target, tuple):
        holder, name = target
        owner_of(holder, name)  # the member exists, or the case is stale
        built = case.instance() if case.instance is not None else holder
        function = getattr(built, name)
        signature = inspect.signature(function)
    else:
        function = target
        if is_enum_class(target):
            parameter = inspect.Parameter("value", inspect.Parameter.POSITIONAL_ONLY)
            signature = inspect.Signature([parameter])
        else:
            signature = inspect.signature(target)
    if case.call is not None:
        function = case.call
    return function, signature


def fed_parameters(signature: inspect.Signature) -> list[inspect.Parameter]:
    """Return the parameters that take one value each (``*args``/``**kwargs`` are not fed)."""
    variadic = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    return [p for p in signature.parameters.values() if p.kind not in variadic]


def invoke(case: Case, arguments: Mapping[str, object]) -> object:
    """Call the case's callable with ``arguments`` (positional-only ones by position)."""
    function, signature = resolve(case)
    positional: list[object] = []
    keywords: dict[str, object] = {}
    for parameter in fed_parameters(signature):
        if parameter.name not in arguments:
            continue
        value = arguments[parameter.name]
        value = value.make() if isinstance(value, Lazy) else value
        if parameter.kind is inspect.Parameter.POSITIONAL_ONLY:
            positional.append(value)
        else:
            keywords[parameter.name] = value
    return function(*positional, **keywords)


# -- annotations --------------------------------------------------------------------------------


def _namespace(module: types.ModuleType) -> dict[str, Any]:
    """Return the names an annotation of ``module`` may use, TYPE_CHECKING imports included."""
    import omakase_core  # noqa: PLC0415
    from omakase_core import events, lifecycle, messages, ports  # noqa: PLC0415

    names: dict[str, Any] = {}
    names.update(vars(typing))
    names.update(vars(collections.abc))
    names.update(vars(_datetime))
    for source in (omakase_core, events, lifecycle, messages, ports):
        names.update({name: getattr(source, name) for name in getattr(source, "__all__", ())})
    try:
        from statemachine import State, StateChart  # noqa: PLC0415

        names.update(State=State, StateChart=StateChart)
    except ImportError:  # pragma: no cover - statemachine is a dependency
        pass
    names.update(vars(module))
    return names


def annotation_of(case: Case, parameter: inspect.Parameter) -> object:
    """Return the parameter's annotation as a type, or ``None`` when it cannot be resolved.

    A string annotation is read in the module that wrote it: a member's class, or for a
    constructor the class whose ``__init__`` it is (a chart's comes from the core's base).
    A type variable of a generic base stands for what the class binds it to
    (``ContractChart(CheckedChart[ContractStatus])``: ``StatusT`` is ``ContractStatus``).
    """
    annotation = parameter.annotation
    if annotation is inspect.Parameter.empty:
        return None
    target = case.target
    if isinstance(annotation, str):
        holder: object = target
        if isinstance(target, tuple):
            holder = owner_of(target[0], target[1])
        elif isinstance(target, type) and not is_enum_class(target):
            holder = _init_owner(target)
        module = sys.modules[getattr(holder, "__module__", "builtins")]
        try:
            annotation = eval(annotation, _namespace(module))  # noqa: S307  # the library's own annotations
        except Exception:  # an annotation the namespace cannot resolve
            return None
    if isinstance(target, type):
        annotation = _bound(annotation, _type_arguments(target))
    return annotation


def _init_owner(cls: type) -> type:
    """Return the library class that defines ``cls``'s ``__init__`` (``cls`` if none does)."""
    for klass in cls.__mro__:
        if "__init__" in vars(klass):
            return klass if klass.__module__.startswith("omakase_core") else cls
    return cls


def _type_arguments(cls: type) -> dict[object, object]:
    """Return what each type variable of ``cls``'s generic bases is bound to in ``cls``."""
    bound: dict[object, object] = {}
    for klass in cls.__mro__:
        for base in getattr(klass, "__orig_bases__", ()):
            parameters = getattr(typing.get_origin(base), "__parameters__", ())
            for variable, argument in zip(parameters, typing.get_args(base), strict=False):
                bound.setdefault(variable, argument)
    return bound


def _bound(annotation: object, arguments: Mapping[object, object]) -> object:
    """Return ``annotation`` with its type variables (alone or in a union) bound."""
    if isinstance(annotation, typing.TypeVar):
        return arguments.get(annotation, annotation)
    if typing.get_origin(annotation) in (types.UnionType, typing.Union):
        arms = [_bound(arm, arguments) for arm in typing.get_args(annotation)]
        return functools.reduce(operator.or_, arms)
    return annotation


def _is_protocol(kind: object) -> bool:
    return isinstance(kind, type) and bool(getattr(kind, "_is_protocol", False))


def family(annotation: object) -> tuple[tuple[Bad, ...], bool] | None:  # noqa: PLR0911, PLR0912  # one branch per kind of annotation
    """Return the bad values of ``annotation`` and whether ``None`` is allowed, if known."""
    if isinstance(annotation, typing.TypeVar):
        bound = annotation.__bound__
        return None if bound is None else family(bound)
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (types.UnionType, typing.Union):
        arms = [arm for arm in args if arm is not type(None)]
        optional = len(arms) < len(args)
        if len(arms) != 1:
            return None
        inner = family(arms[0])
        if inner is None:
            return None
        return inner[0], optional or inner[1]
    if origin is typing.Literal:
        return v.literal(args), False
    if origin is type:
        (kind,) = args
        kind = typing.get_origin(kind) or kind
        if isinstance(kind, typing.TypeVar):
            kind = kind.__bound__
        return (v.class_of(kind) if isinstance(kind, type) else v.class_of(object)), False
    if origin in (collections.abc.Iterable, collections.abc.Sequence, tuple, frozenset, list):
        item = family(args[0]) if args else None
        return v.collection_of(item[0] if item else ()), False
    if origin in (collections.abc.Callable,):
        return v.CALLABLE, False
    if origin is not None:
        return family(origin)
    if annotation is _datetime.datetime:
        return v.INSTANT, False
    if annotation is _datetime.date:
        return v.DAY, False
    if annotation is _datetime.timedelta:
        return v.TIMEDELTA, False
    if annotation is bool:
        return v.BOOL, False
    if annotation is int:
        return v.INT, False
    if annotation is float:
        return v.FLOAT, False
    if annotation is str:
        return v.TEXT, False
    if annotation is type(None) or annotation is None:
        return None
    if _is_protocol(annotation):
        return v.port(getattr(annotation, "__name__", "port")), False
    if is_enum_class(annotation):
        return v.enum_member(annotation), False  # type: ignore[arg-type]  # an enum class
    if isinstance(annotation, type) and annotation.__module__.startswith("omakase_core"):
        return v.instance_of(annotation), False
    return None


# -- one parameter ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Feeding:
    """The bad values one parameter of one case receives, each with its verdict."""

    case: Case
    parameter: str
    values: tuple[Bad, ...]
    override: Param

    @property
    def id(self) -> str:
        """A readable test id: ``Class.member-parameter``."""
        return f"{self.case.id}-{self.parameter}"


def feedings(case: Case) -> list[Feeding]:
    """Return one :class:`Feeding` per parameter of ``case``; unknown families are errors."""
    _, signature = resolve(case)
    result = []
    for parameter in fed_parameters(signature):
        override = case.params.get(parameter.name, Param())
        if override.family is not None:
            values: tuple[Bad, ...] = override.family
        elif is_enum_class(case.target) and parameter.name == "value":
            values = v.enum_value(case.target)  # type: ignore[arg-type]  # an enum class
        else:
            derived = family(annotation_of(case, parameter))
            if derived is None:
                msg = (
                    f"{case.id}: no family of bad values for parameter {parameter.name!r} "
                    f"({parameter.annotation}); give it Param(family=...) in the case"
                )
                raise LookupError(msg)
            found, optional = derived
            optional = optional or parameter.default is None
            values = (*found, *v.wrong_types(optional=optional))
        values = (*values, *_near_misses(case.args.get(parameter.name)), *override.extra)
        adjusted = []
        for value in values:
            verdict = value.verdict
            if case.lenient or override.label or value.label in override.may:
                verdict = MAY
            if value.label in override.refuse:
                verdict = REFUSE
            adjusted.append(value.but(verdict))
        result.append(Feeding(case, parameter.name, tuple(adjusted), override))
    return result


def _near_misses(baseline: object) -> tuple[Bad, ...]:
    """Return the baseline member's own value, name and label as text: each must be refused.

    A ``StrEnum`` member hashes and compares equal to its plain value, so a table keyed by
    members answers ``"operator"`` as it answers ``Actor.OPERATOR``: SEC-2's fail-open.
    """
    if not isinstance(baseline, enum.Enum):
        return ()
    misses = [
        v.bad("the baseline member's plain value", baseline.value, REFUSE),
        v.bad("the baseline member's name", baseline.name, REFUSE),
    ]
    label = getattr(baseline, "label", None)
    if isinstance(label, str):
        misses.append(v.bad("the baseline member's label", label, REFUSE))
    return tuple(misses)


def check(feeding: Feeding) -> list[str]:
    """Feed every bad value to the parameter; return the breaches of SEC-2 found."""
    problems: list[str] = []
    case, name = feeding.case, feeding.parameter
    for value in feeding.values:
        arguments = dict(case.args)
        arguments[name] = value.make()
        try:
            result = invoke(case, arguments)
        except OmakaseError as error:
            problems += _error_problems(error, value, feeding)
        except Exception as error:  # exactly what the test looks for
            shown = excerpt(_safe_str(error), 60)
            problems.append(f"{value.label}: raw {type(error).__name__} escaped: {shown}")
        else:
            if value.verdict is Verdict.REFUSE:
                problems.append(f"{value.label}: silently accepted ({excerpt(result, 50)})")
            elif isinstance(result, OmakaseError) and not feeding.override.echo_ok:
                problems += _echo_problems(str(result), value)
    return problems


def _error_problems(error: OmakaseError, value: Bad, feeding: Feeding) -> list[str]:
    problems = [] if feeding.override.echo_ok else _echo_problems(str(error), value)
    field_name = getattr(error, "field", None)
    allowed = (feeding.parameter, *feeding.override.fields)
    if field_name is not None and field_name not in allowed:
        problems.append(
            f"{value.label}: {type(error).__name__} names field {excerpt(field_name)}, "
            f"not the parameter {feeding.parameter!r}"
        )
    return problems


def _echo_problems(message: str, value: Bad) -> list[str]:
    if value.echo is not None and value.echo in message:
        return [f"{value.label}: the message echoes more than 80 characters of the input"]
    return []


def _safe_str(error: BaseException) -> str:
    try:
        return str(error)
    except Exception:  # a KeyError of a 5000-digit int cannot say itself
        return f"<{type(error).__name__} whose text cannot be shown>"
