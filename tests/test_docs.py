"""Every code block in README.md and docs/*.md runs, and so does every docstring example."""

from __future__ import annotations

import doctest
import importlib
import pathlib
import pkgutil
import re

import pytest

import omakase_core

ROOT = pathlib.Path(__file__).parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^```\s*$", re.MULTILINE | re.DOTALL)
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def python_blocks(page: pathlib.Path) -> list[tuple[int, str]]:
    """Return the page's ```python blocks with the line each starts on."""
    text = page.read_text(encoding="utf-8")
    return [
        (text.count("\n", 0, match.start()) + 2, match["body"])
        for match in FENCE.finditer(text)
        if match["lang"] in {"python", "pycon", "py"}
    ]


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_python_block_of_the_page_runs(page: pathlib.Path) -> None:
    """Blocks with ``>>>`` are doctests; other blocks must run; all share one namespace."""
    namespace: dict[str, object] = {"__name__": f"docs.{page.stem}"}
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    parser = doctest.DocTestParser()
    for line, body in python_blocks(page):
        if ">>>" in body:
            test = parser.get_doctest(body, namespace, f"{page.name}:{line}", str(page), line)
            runner.run(test, clear_globs=False)
            namespace.update(test.globs)  # DocTest runs in a copy; carry its names on
        else:
            exec(compile(body, f"{page.name}:{line}", "exec"), namespace)  # noqa: S102  # the docs' own code
    assert runner.summarize(verbose=False).failed == 0


def test_the_pages_do_have_doctested_blocks() -> None:
    assert all(python_blocks(page) for page in (ROOT / "README.md", ROOT / "docs" / "calendar.md"))


MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(omakase_core.__path__, prefix="omakase_core.")
    if not info.name.endswith("__main__")
)


@pytest.mark.parametrize("name", MODULES)
def test_the_docstring_examples_of_the_module_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=FLAGS, report=True)
    assert result.failed == 0


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_code_fence_of_the_page_is_closed_before_the_next_opens(page: pathlib.Path) -> None:
    """An opening fence inside a block would swallow the rest of the page into code."""
    inside: int | None = None
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.startswith("```"):
            continue
        if inside is None:
            inside = number
        elif line.strip() == "```":
            inside = None
        else:
            pytest.fail(f"{page.name}:{number} opens a block inside the one of line {inside}")
    assert inside is None, f"{page.name}: the block of line {inside} is never closed"
