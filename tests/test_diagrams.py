"""Every lifecycle diagram in docs/ is generated from the code: a page that differs fails."""

from __future__ import annotations

import pathlib
import re

import pytest

from omakase_core import LIFECYCLES

DOCS = pathlib.Path(__file__).parent.parent / "docs"
MARKED = re.compile(
    r"<!-- lifecycle: (?P<name>[\w.]+) -->\n```mermaid\n(?P<body>.*?)\n```", re.DOTALL
)


def diagrams() -> dict[str, str]:
    found: dict[str, str] = {}
    for page in sorted(DOCS.glob("*.md")):
        for match in MARKED.finditer(page.read_text(encoding="utf-8")):
            found[match["name"]] = match["body"]
    return found


@pytest.mark.parametrize("name", sorted(LIFECYCLES))
def test_the_page_diagram_is_the_lifecycles_own_mermaid(name: str) -> None:
    """CON-1 for the contract; every later domain page the same way."""
    pages = diagrams()
    assert name in pages, f"no docs page draws the {name} lifecycle"
    assert pages[name] == LIFECYCLES[name].mermaid()


def test_no_page_draws_a_lifecycle_that_does_not_exist() -> None:
    assert set(diagrams()) <= set(LIFECYCLES)


def test_idc_1_the_policy_table_of_the_docs_is_generated_from_the_values() -> None:
    from omakase_core.id_change import policies_markdown  # noqa: PLC0415

    page = (DOCS / "id_change.md").read_text(encoding="utf-8")
    table = page.split("<!-- policies -->\n", 1)[1].split("\n<!-- /policies -->", 1)[0]
    assert table == policies_markdown()


def test_acc_3_the_permission_matrix_of_the_docs_is_generated_from_the_data() -> None:
    from omakase_core.accounts import permission_matrix_markdown  # noqa: PLC0415

    page = (DOCS / "accounts.md").read_text(encoding="utf-8")
    table = page.split("<!-- permissions -->\n", 1)[1].split("\n<!-- /permissions -->", 1)[0]
    assert table == permission_matrix_markdown()
