"""The project's verbs: ``nox -s tests``, ``lint``, ``typecheck``, ``demo``, ``bench``, ``docs``."""

from __future__ import annotations

import pathlib

import nox

nox.needs_version = ">=2024.4.15"
nox.options.sessions = ["tests", "lint", "typecheck"]
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True

ROOT = pathlib.Path(__file__).parent
PYPROJECT = nox.project.load_toml("pyproject.toml")
LINTED = ["src", "tests", "examples", "benchmarks", "noxfile.py", "docs/conf.py"]
TYPED = ["src", "tests", "examples"]


def install(session: nox.Session, *groups: str) -> None:
    """Install the project and the named dependency groups from pyproject.toml."""
    requirements = [
        requirement
        for group in groups
        for requirement in nox.project.dependency_groups(PYPROJECT, group)
    ]
    session.install("-e", ".", *requirements)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite, the doctests of README and docs/, and every example."""
    install(session, "test")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Check style and formatting with ruff, and the layers of the package with import-linter."""
    install(session, "lint")
    session.run("ruff", "check", *LINTED)
    session.run("ruff", "format", "--check", *LINTED)
    session.run("lint-imports")


@nox.session
def typecheck(session: nox.Session) -> None:
    """Type-check src, tests and examples with mypy --strict."""
    install(session, "typecheck")
    session.run("mypy", "--strict", *TYPED)


@nox.session
def demo(session: nox.Session) -> None:
    """Run every worked example in examples/ and show what it prints."""
    install(session, "demo")
    for script in sorted((ROOT / "examples").glob("*.py")):
        session.log(f"── {script.name} ──")
        session.run("python", str(script))


@nox.session
def bench(session: nox.Session) -> None:
    """Run every benchmark in benchmarks/ (figures are printed as ratios to baselines)."""
    install(session, "bench")
    for script in sorted((ROOT / "benchmarks").glob("bench_*.py")):
        session.log(f"── {script.name} ──")
        session.run("python", str(script), *session.posargs)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation with Sphinx, treating every warning as an error."""
    install(session, "docs")
    session.run("sphinx-build", "-W", "--keep-going", "-b", "html", "docs", "docs/_build/html")
