"""Every OmakaseError pickles and unpickles to an equal error (issue 11, PORT-6).

The error classes are discovered, not listed: every module of the library is imported and
every subclass of :class:`OmakaseError` defined in it, however deep, is tested, so a new
error class cannot be forgotten — it fails here until :data:`EXAMPLES` holds an instance of
it, with every field set to something other than its default.
"""

from __future__ import annotations

import copy
import importlib
import multiprocessing
import pickle
import pkgutil
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime
from typing import TYPE_CHECKING

import pytest

import omakase_core
from omakase_core import (
    JST,
    LIFECYCLES,
    CalendarRangeError,
    ConcurrencyConflict,
    DeadlinePassed,
    DecodeError,
    DefinitionError,
    InvalidTransition,
    NaiveDatetimeError,
    NotFound,
    OmakaseError,
    PermissionDenied,
    ValidationError,
)
from omakase_core.accounts import PasswordPolicyError
from omakase_core.errors import StoreUnavailable
from omakase_core.id_change import ApplicationRefused, Service, Target, decide
from omakase_core.submission import ScheduleError, ScheduleViolation, Step

if TYPE_CHECKING:
    from collections.abc import Callable


def _every_module() -> None:
    """Import every module of the library, private ones included (they may define errors)."""
    for info in pkgutil.walk_packages(omakase_core.__path__, "omakase_core."):
        importlib.import_module(info.name)


def _subclasses(cls: type[OmakaseError]) -> list[type[OmakaseError]]:
    found = [cls]
    for sub in cls.__subclasses__():
        found += [klass for klass in _subclasses(sub) if klass not in found]
    return found


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


_every_module()
ERROR_CLASSES = sorted(
    (cls for cls in _subclasses(OmakaseError) if cls.__module__.startswith("omakase_core")),
    key=_name,
)


T0 = datetime(2026, 11, 2, 10, 0, tzinfo=JST)


def _unknown_lifecycle() -> OmakaseError:
    try:
        LIFECYCLES["no such lifecycle"]
    except OmakaseError as error:
        return error
    raise AssertionError("an unknown lifecycle was found")  # pragma: no cover


def _violation(preference: int) -> ScheduleViolation:
    return ScheduleViolation(
        step=Step.SITE_SURVEY,
        preference=preference,
        day=date(2025, 5, 9),
        earliest=date(2025, 5, 12),
        reason="is too early",
    )


EXAMPLES: dict[str, Callable[[], OmakaseError]] = {
    "omakase_core.errors.OmakaseError": lambda: OmakaseError("refused", rule="CAL-8"),
    "omakase_core.errors.ValidationError": lambda: ValidationError(
        "start must be aware", field="start", rule="CAL-1"
    ),
    "omakase_core.errors.NaiveDatetimeError": lambda: NaiveDatetimeError(field="at"),
    "omakase_core.errors.CalendarRangeError": lambda: CalendarRangeError(
        year=2100, first_year=1955, last_year=2099, what="the deadline"
    ),
    "omakase_core.errors.InvalidTransition": lambda: InvalidTransition(
        "cannot close", state="OPEN", event="close", lifecycle="contract", rule="CON-2"
    ),
    "omakase_core.errors.PermissionDenied": lambda: PermissionDenied(
        "not yours", actor="customer", event="close", state="OPEN", rule="SEC-1"
    ),
    "omakase_core.errors.DeadlinePassed": lambda: DeadlinePassed(
        "too late", deadline=T0, at=T0.replace(hour=11), rule="CON-4"
    ),
    "omakase_core.errors.ConcurrencyConflict": lambda: ConcurrencyConflict(
        aggregate_id="c-1", expected_version=2, actual_version=3
    ),
    "omakase_core.errors.NotFound": lambda: NotFound(kind="contract", id="c-1"),
    "omakase_core.errors.DefinitionError": lambda: DefinitionError(
        "no initial status", chart="ContractChart"
    ),
    "omakase_core.errors.DecodeError": lambda: DecodeError(
        "not an e-mail address", type_name="contract.Contract", field="contractor.email"
    ),
    "omakase_core.errors.StoreUnavailable": lambda: StoreUnavailable(
        store="PostgresStore", reason="its connection to the database server failed or was lost"
    ),
    "omakase_core.lifecycle._UnknownLifecycle": _unknown_lifecycle,
    "omakase_core.id_change.model.ApplicationRefused": lambda: ApplicationRefused(
        "EMM takes additions only",
        rule="IDC-7",
        field="delta",
        decision=decide(Service.EMM, target=Target.CURRENT_MONTH, submitted_at=T0, delta=-1),
    ),
    "omakase_core.accounts.model.PasswordPolicyError": lambda: PasswordPolicyError(
        "the password needs a digit", requirement="digits", rule="ACC-2"
    ),
    "omakase_core.submission.model.ScheduleError": lambda: ScheduleError(
        (_violation(2), _violation(3))
    ),
}
"""One instance of every error class, by its qualified name."""


def instance_of(cls: type[OmakaseError]) -> OmakaseError:
    """Return the example error of exactly ``cls``, with a note (notes travel too)."""
    assert _name(cls) in EXAMPLES, f"add an instance of {_name(cls)} to EXAMPLES"
    error = EXAMPLES[_name(cls)]()
    assert type(error) is cls
    error.add_note("raised while sweeping contracts")
    return error


@pytest.mark.parametrize("cls", ERROR_CLASSES, ids=_name)
def test_port_6_every_error_pickles_to_an_equal_error(cls: type[OmakaseError]) -> None:
    error = instance_of(cls)
    restored = pickle.loads(pickle.dumps(error))  # noqa: S301  # the bytes just written
    assert type(restored) is cls
    assert restored == error
    assert restored.args == error.args
    assert str(restored) == str(error)
    assert vars(restored) == vars(error)
    assert hash(restored) == hash(error)


@pytest.mark.parametrize("cls", ERROR_CLASSES, ids=_name)
def test_port_6_every_error_copies_to_an_equal_error(cls: type[OmakaseError]) -> None:
    error = instance_of(cls)
    assert copy.copy(error) == error
    assert copy.deepcopy(error) == error


def test_port_6_the_discovery_sees_the_library_s_errors_at_every_depth() -> None:
    names = {_name(cls) for cls in ERROR_CLASSES}
    assert {
        "omakase_core.errors.OmakaseError",
        "omakase_core.errors.ValidationError",
        "omakase_core.lifecycle._UnknownLifecycle",  # NotFound's subclass, private
        "omakase_core.submission.model.ScheduleError",  # ValidationError's, in a domain
    } <= names


def test_port_6_every_example_is_an_error_class_of_the_library() -> None:
    assert sorted(EXAMPLES) == sorted(_name(cls) for cls in ERROR_CLASSES)


def test_port_6_errors_differing_in_a_field_or_the_type_are_not_equal() -> None:
    error = ValidationError("m", field="start", rule="CAL-1")
    assert error == ValidationError("m", field="start", rule="CAL-1")
    assert error != ValidationError("m", field="end", rule="CAL-1")
    assert error != ValidationError("m", field="start", rule="CAL-2")
    assert error != OmakaseError("m", rule="CAL-1")
    assert OmakaseError("CAL-1: m") != OmakaseError("m", rule="CAL-1")  # same args, not fields
    assert error != "CAL-1: m"


def test_port_6_an_unpickled_error_keeps_its_fields_not_recomputed_ones() -> None:
    error = ConcurrencyConflict(aggregate_id="c-1", expected_version=2, actual_version=3)
    restored = pickle.loads(pickle.dumps(error))  # noqa: S301  # the bytes just written
    assert (restored.aggregate_id, restored.expected_version, restored.actual_version) == (
        "c-1",
        2,
        3,
    )
    assert restored.rule == "PORT-2"


# -- across processes: module-level, so that a "spawn" child finds them ---------------------------


def raise_error(error: OmakaseError) -> None:
    """Raise ``error`` (it came pickled from the parent and goes back pickled)."""
    raise error


def raise_not_found(kind: str, id: str) -> None:  # noqa: A002  # the error's field
    """Raise an error built in the child process."""
    raise NotFound(kind=kind, id=id)


def test_port_6_errors_cross_a_process_pool_intact() -> None:
    errors = [instance_of(cls) for cls in ERROR_CLASSES]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        returned = [pool.submit(raise_error, error).exception(timeout=120) for error in errors]
        built = pool.submit(raise_not_found, "contract", "c-1").exception(timeout=120)
    assert returned == errors
    assert [type(error) for error in returned] == ERROR_CLASSES
    assert built == NotFound(kind="contract", id="c-1")
    assert isinstance(built, LookupError)
