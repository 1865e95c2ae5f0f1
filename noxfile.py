"""The project's verbs: ``nox -s tests``, ``lint``, ``typecheck``, ``demo``, ``bench``, ``docs``."""

from __future__ import annotations

import hashlib
import pathlib
import shutil
import zipfile

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


# Mermaid's JavaScript, shipped with the built docs so that diagrams render offline: the ES
# module bundle of mermaid 11.16.1 that NiceGUI (MIT) vendors in its wheel, pinned by hash.
MERMAID_WHEEL = "nicegui==3.18.0"
MERMAID_WHEEL_SHA256 = "a2bd51642312d98aab6d8b641245d796ff1b89da5829777170bcc488140c3dcd"
MERMAID_DIST = "nicegui/elements/mermaid/dist/"
MERMAID_VENDOR = ROOT / "docs" / "_build" / "vendor" / "mermaid"


def vendor_mermaid(session: nox.Session) -> None:
    """Unpack mermaid's bundle into docs/_build/vendor/mermaid/ (docs/conf.py serves it)."""
    stamp = MERMAID_VENDOR / "SOURCE"
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == MERMAID_WHEEL_SHA256:
        return
    shutil.rmtree(MERMAID_VENDOR, ignore_errors=True)
    wheels = pathlib.Path(session.create_tmp()) / "mermaid-wheel"
    session.run(
        "python", "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
        "--dest", str(wheels), MERMAID_WHEEL,
    )  # fmt: skip
    (wheel,) = wheels.glob("nicegui-*.whl")
    if hashlib.sha256(wheel.read_bytes()).hexdigest() != MERMAID_WHEEL_SHA256:
        session.error(f"{wheel.name} does not have the pinned sha256 {MERMAID_WHEEL_SHA256}")
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            if name.startswith(MERMAID_DIST) and name.endswith(".js"):
                target = MERMAID_VENDOR / "dist" / name.removeprefix(MERMAID_DIST)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(name))
    # sphinxcontrib-mermaid imports the default export; the bundle exports `mermaid`.
    (MERMAID_VENDOR / "mermaid.mjs").write_text(
        'export { mermaid as default } from "./dist/index.js";\n', encoding="utf-8"
    )
    stamp.write_text(MERMAID_WHEEL_SHA256, encoding="utf-8")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation with Sphinx (every warning an error), then check it is offline."""
    install(session, "docs")
    vendor_mermaid(session)
    session.run("sphinx-build", "-W", "--keep-going", "-b", "html", "docs", "docs/_build/html")
    session.run("python", "tests/test_docs_build.py", "docs/_build/html")
