"""The package's public surface: version, exports, typing marker."""

from __future__ import annotations

import importlib.metadata
import pathlib
import subprocess
import sys

import omakase_core
import omakase_core.calendar
import omakase_core.errors


def test_the_version_comes_from_the_package_metadata() -> None:
    assert omakase_core.__version__ == importlib.metadata.version("omakase-core")


def isort_style(name: str) -> tuple[int, str]:
    """Ruff's RUF022 order: CONSTANTS, then Classes, then functions and the rest."""
    kind = 0 if name.isupper() else 1 if name[0].isupper() else 2
    return kind, name


def test_every_public_name_is_exported_in_sorted_order() -> None:
    for module in (omakase_core, omakase_core.calendar, omakase_core.errors):
        assert list(module.__all__) == sorted(module.__all__, key=isort_style)
        assert all(hasattr(module, name) for name in module.__all__)


def test_the_package_is_marked_as_typed() -> None:
    assert (pathlib.Path(omakase_core.__file__).parent / "py.typed").exists()


def test_importing_the_package_loads_neither_holidays_nor_pendulum() -> None:
    """The holiday table and the formatter are built on first use, not at import time."""
    code = "import sys, omakase_core; print(sorted({'holidays', 'pendulum'} & set(sys.modules)))"
    result = subprocess.run(  # noqa: S603  # our own interpreter, fixed arguments
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_importing_the_package_compiles_no_chart_until_lifecycles_is_read() -> None:
    """PORT-1's library stays quick to import; LIFECYCLES is complete on first look-up."""
    code = (
        "import sys, omakase_core; before = 'statemachine' in sys.modules; "
        "n = len(omakase_core.LIFECYCLES); print(before, n)"
    )
    result = subprocess.run(  # noqa: S603  # our own interpreter, fixed arguments
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "18"]  # the installed site joined (SUB-5)


def test_the_domain_packages_are_attributes_of_the_package() -> None:
    assert omakase_core.contract.CONTRACT_LIFECYCLE.name == "contract"
    assert "submission" in omakase_core.__all__
