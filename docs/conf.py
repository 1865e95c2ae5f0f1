"""Sphinx configuration: Markdown pages through MyST, the furo theme."""

from __future__ import annotations

import importlib.metadata

project = "omakase_core"
author = "omakase_core developers"
copyright = "2026, omakase_core developers"  # noqa: A001  # Sphinx's own setting name
release = importlib.metadata.version("omakase-core")
version = release

extensions = ["myst_parser", "sphinxcontrib.mermaid"]
source_suffix = {".md": "markdown"}
master_doc = "index"
exclude_patterns = ["_build"]
language = "en"

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
myst_fence_as_directive = ["mermaid"]

html_theme = "furo"
html_title = "omakase_core"
