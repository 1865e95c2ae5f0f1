"""Sphinx configuration: Markdown pages through MyST, the furo theme, autodoc, local mermaid."""

from __future__ import annotations

import importlib.metadata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx

project = "omakase_core"
author = "omakase_core developers"
copyright = "2026, omakase_core developers"  # noqa: A001  # Sphinx's own setting name
release = importlib.metadata.version("omakase-core")
version = release

extensions = ["myst_parser", "sphinx.ext.autodoc", "sphinxcontrib.mermaid"]
source_suffix = {".md": "markdown"}
master_doc = "index"
exclude_patterns = ["_build"]
language = "en"

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
myst_fence_as_directive = ["mermaid"]

# The API reference (docs/api/) is generated from the docstrings, which are reStructuredText.
autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_format = "short"
# The PostgreSQL adapter's driver is an optional extra, not installed with the docs.
autodoc_mock_imports = ["psycopg", "psycopg_pool"]

# Diagrams render without the internet: mermaid's JavaScript is shipped with the built docs
# and nothing is loaded from a CDN. `nox -s docs` vendors it into _build/vendor/mermaid/ from
# a pinned PyPI wheel (see noxfile.py); tests/test_docs_build.py checks the built HTML.
html_static_path = ["_build/vendor"]
mermaid_use_local = "mermaid/mermaid.mjs"

html_theme = "furo"
html_title = "omakase_core"

# python-statemachine sets these data attributes on every chart class; their docstrings are
# the library's own and refer to labels of its documentation. A chart's states and transitions
# are its domain page's diagram (generated from the chart, tests/test_diagrams.py). Properties
# and methods of the same names (``Event.name``) are ours and stay.
STATECHART_INTERNALS = frozenset(
    {"final_states", "history_values", "id", "initial_state", "model", "name", "states"}
    | {"states_map"}
)


def skip_statechart_internals(  # noqa: PLR0913, PLR0917  # autodoc-skip-member's signature
    app: object,
    what: str,
    name: str,
    obj: object,
    skip: bool,  # noqa: FBT001  # positional in Sphinx's event
    options: object,
) -> bool | None:
    """Leave python-statemachine's generated chart attributes out of the API reference."""
    del app, skip, options
    ours = callable(obj) or isinstance(obj, property)
    return True if what == "class" and name in STATECHART_INTERNALS and not ours else None


def setup(app: Sphinx) -> None:
    """Connect the autodoc filter above."""
    app.connect("autodoc-skip-member", skip_statechart_internals)
