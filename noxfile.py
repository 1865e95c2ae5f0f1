"""The project's verbs: ``nox -s tests``, ``lint``, ``typecheck``, ``demo``, ``bench``, ``docs``."""

from __future__ import annotations

import hashlib
import os
import pathlib
import re
import shutil
import subprocess
import zipfile

import nox

nox.needs_version = ">=2024.4.15"
nox.options.sessions = ["tests", "lint", "typecheck"]
nox.options.reuse_venv = "yes"
# A named Python missing from the machine is skipped with a warning (nox's default); under CI
# (the CI variable set) it is an error.

ROOT = pathlib.Path(__file__).parent
PYPROJECT = nox.project.load_toml("pyproject.toml")
# The versions `nox -s tests` runs on are the ones the classifiers name, and only those.
PYTHONS = [
    classifier.rpartition(" :: ")[2]
    for classifier in PYPROJECT["project"]["classifiers"]
    if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", classifier)
]
LINTED = ["src", "tests", "examples", "benchmarks", "noxfile.py", "docs/conf.py"]
TYPED = ["src", "tests", "examples"]


def select_pyenv_pythons(versions: list[str]) -> None:
    """Let nox find the named Pythons that pyenv has installed but not selected.

    pyenv's ``python3.12`` shim refuses to run unless 3.12 is a selected version, so nox
    would report it missing. Each named version that the selection lacks is added after the
    selected ones in ``PYENV_VERSION`` (its newest installed patch release), which leaves
    ``python`` itself as it was. Without pyenv this does nothing: nox then finds
    ``python3.X`` on the PATH as usual.
    """
    pyenv = shutil.which("pyenv")
    if pyenv is None:
        return
    try:
        # pyenv's shims export the selection they ran nox with; otherwise pyenv tells it.
        selected = os.environ.get("PYENV_VERSION") or _words([pyenv, "version-name"])[0]
        installed = _words([pyenv, "versions", "--bare", "--skip-aliases"])
    except (OSError, subprocess.SubprocessError, IndexError):
        return  # pyenv unusable: nox looks on the PATH as usual
    chosen = selected.split(":")
    for version in versions:
        if any(name.startswith(f"{version}.") for name in chosen):
            continue
        patches = [name for name in installed if re.fullmatch(rf"{re.escape(version)}\.\d+", name)]
        if patches:
            chosen.append(max(patches, key=lambda name: int(name.rpartition(".")[2])))
    os.environ["PYENV_VERSION"] = ":".join(chosen)


def _words(command: list[str]) -> list[str]:
    """Run a command (pyenv, found by path) and return the words it printed."""
    done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=30)  # noqa: S603
    return done.stdout.split()


select_pyenv_pythons(PYTHONS)


def install(session: nox.Session, *groups: str) -> None:
    """Install the project and the named dependency groups from pyproject.toml."""
    requirements = [
        requirement
        for group in groups
        for requirement in nox.project.dependency_groups(PYPROJECT, group)
    ]
    session.install("-e", ".", *requirements)


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """Run the test suite, the doctests of README and docs/, and every example, on each Python."""
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
