"""What the generated bad-input test must cover, and what it covers (issue 9 §2, SEC-2).

The walk starts at ``omakase_core`` and visits every public module under it (a module or
package whose name does not start with ``_``). Every name in a module's ``__all__`` that can
take input needs at least one :class:`~tests.bad_input.spec.Case`:

- a function;
- a class: its constructor (an enum's: its look-up by value) and every public method,
  class method and ``__getitem__``/``__contains__``/``__call__`` defined by the library
  (inherited builtins such as ``str.upper`` are Python's, not ours);
- an object of a library class (``LIFECYCLES``): its methods, as for a class.

Callables without parameters take no input and need no case. ``typing.Protocol`` classes
(the ports) have no behaviour to feed. Everything else is either covered by a case in one
of :data:`REGISTRIES` or listed in :data:`EXEMPT` with its reason.

**Adding a domain**: write ``tests/bad_input/<domain>.py`` with a ``CASES`` list (see
:mod:`tests.bad_input.core` for the pattern) and add that module to :data:`REGISTRIES`.
The completeness test names every public callable of the library that has no case.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import types
from typing import TYPE_CHECKING, Final

import omakase_core
from tests.bad_input import (
    accounts,
    adapters,
    contract,
    core,
    id_change,
    inquiry,
    ocn,
    submission,
    testing,
)
from tests.bad_input.spec import DUNDERS, Case, fed_parameters, is_enum_class, target_key

if TYPE_CHECKING:
    from collections.abc import Iterator

REGISTRIES: Final[tuple[types.ModuleType, ...]] = (
    core,
    id_change,
    accounts,
    submission,
    contract,
    ocn,
    inquiry,
    testing,
    adapters,
)
"""The modules whose ``CASES`` the test runs: one per package of the library."""

EXEMPT: Final[dict[str, str]] = {
    "omakase_core.testing.ContractPortsContract": "a pytest suite: its methods are tests",
    "omakase_core.testing.ContractRepositoryContract": "a pytest suite: its methods are tests",
    "omakase_core.testing.OutboxContract": "a pytest suite: its methods are tests",
    "omakase_core.testing.StorageContract.stored_bytes": (
        "a hook of the pytest suite that the suite's own tests call with the store of "
        "make_store(); a suite for another adapter overrides it (CON-10)"
    ),
    "omakase_core.testing.ProcessRaceContract.racing_ports": (
        "a hook of the pytest suite that its racing tests call with a count of writers; a "
        "suite for another adapter overrides it (PORT-5)"
    ),
    "omakase_core.testing.NotifierError": (
        "the failure RecordingNotifier simulates: a plain RuntimeError by design, so that "
        "delivery is seen to survive a notifier's own errors"
    ),
}
"""Public names that take input but are not fed bad values, each with its reason."""


def cases() -> list[Case]:
    """Return every case of every registry, in registry order."""
    return [case for registry in REGISTRIES for case in registry.CASES]


def _exempt(name: str) -> bool:
    return any(name == entry or name.startswith((f"{entry}.", f"{entry}()")) for entry in EXEMPT)


def public_modules() -> list[types.ModuleType]:
    """Return ``omakase_core`` and every public module under it."""
    found = [omakase_core]
    queue = [omakase_core]
    while queue:
        package = queue.pop()
        for info in pkgutil.iter_modules(package.__path__, f"{package.__name__}."):
            short = info.name.rpartition(".")[2]
            if short.startswith("_"):
                continue
            module = importlib.import_module(info.name)
            found.append(module)
            if info.ispkg:
                queue.append(module)
    return sorted(found, key=lambda module: module.__name__)


def _takes_input(function: object, *, drop_first: bool) -> bool:
    try:
        signature = inspect.signature(function)  # type: ignore[arg-type]  # a callable
    except (TypeError, ValueError):
        return True  # a callable whose signature Python cannot tell: feed it to be sure
    return len(fed_parameters(signature)) > (1 if drop_first else 0)


def _members(holder: object, public: str) -> Iterator[tuple[str, str]]:
    """Yield (key, public name) of the input-taking members a library class defines."""
    cls = holder if isinstance(holder, type) else type(holder)
    for klass in cls.__mro__:
        if not klass.__module__.startswith("omakase_core"):
            continue  # inherited from Python (str.upper, Mapping.get): not the library's
        for name, attribute in vars(klass).items():
            if name.startswith("_") and name not in DUNDERS:
                continue
            if isinstance(attribute, classmethod | staticmethod):
                first = isinstance(attribute, classmethod)
                takes = _takes_input(attribute.__func__, drop_first=first)
            elif isinstance(attribute, types.FunctionType):
                takes = _takes_input(attribute, drop_first=True)
            else:
                continue
            if takes:
                yield target_key((cls, name)), f"{public}.{name}"


def _walk() -> dict[str, list[str]]:
    """Return every input-taking public callable: key -> every public name it has."""
    names: dict[str, list[str]] = {}
    for module in public_modules():
        for name in getattr(module, "__all__", ()):
            public = f"{module.__name__}.{name}"
            obj = getattr(module, name)
            if isinstance(obj, types.ModuleType):
                continue  # walked as a module
            found: list[tuple[str, str]] = []
            if isinstance(obj, type):
                if getattr(obj, "_is_protocol", False):
                    continue  # a port: a Protocol has no behaviour to feed
                if is_enum_class(obj) or _takes_input(obj, drop_first=False):
                    found.append((target_key(obj), f"{public}()"))
                found += _members(obj, public)
            elif callable(obj):
                if _takes_input(obj, drop_first=False):
                    found.append((target_key(obj), public))
            elif type(obj).__module__.startswith("omakase_core"):
                found += _members(obj, public)  # an object of a library class (LIFECYCLES)
            for key, public_name in found:
                names.setdefault(key, []).append(public_name)
    return names


def required() -> dict[str, str]:
    """Return the public callables that need a case: key -> their first public name.

    A callable reachable under several names (``omakase_core.BusinessCalendar`` and
    ``omakase_core.calendar.BusinessCalendar``) is one key; it is exempt when any of its
    names is.
    """
    needed = {}
    for key, names in _walk().items():
        if any(_exempt(name) for name in names):
            continue
        needed[key] = names[0]
    return needed


def modules_without_all() -> list[str]:
    """Return the public modules that do not declare ``__all__`` (their surface is unknown)."""
    return [m.__name__ for m in public_modules() if not hasattr(m, "__all__")]


def stale_exempt() -> list[str]:
    """Return exempt names that name nothing any more (delete them from :data:`EXEMPT`)."""
    stale = []
    for entry in EXEMPT:
        name = entry.removesuffix("()")
        try:
            importlib.import_module(name)
            continue
        except ImportError:
            pass
        parts = name.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            try:
                obj: object = importlib.import_module(".".join(parts[:cut]))
            except ImportError:
                continue
            for attribute in parts[cut:]:
                obj = getattr(obj, attribute, _MISSING)
            if obj is _MISSING:
                stale.append(entry)
            break
        else:
            stale.append(entry)
    return stale


_MISSING: Final = object()
