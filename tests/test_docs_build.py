"""The docs: an API reference for every public module, and HTML that loads nothing from afar.

Issue 15 §2. The API reference (docs/api/) is generated from the docstrings by Sphinx autodoc;
every public module has its page and every domain page links to its own. The built HTML must
render its diagrams on an offline intranet: mermaid's JavaScript ships with the docs (vendored
by ``nox -s docs`` from a pinned wheel) and no page loads a script, a stylesheet or a module
from another host. Sphinx is in the docs group only, so ``nox -s docs`` builds the HTML and
then runs this file as a script on it (``python tests/test_docs_build.py docs/_build/html``);
the tests session checks the checker itself, the configuration and the pages.
"""

from __future__ import annotations

import html.parser
import pathlib
import re
import runpy
import sys
import urllib.parse

ROOT = pathlib.Path(__file__).parent.parent
DOCS = ROOT / "docs"

API_MODULES = (
    "omakase_core",
    "omakase_core.calendar",
    "omakase_core.lifecycle",
    "omakase_core.principal",
    "omakase_core.errors",
    "omakase_core.events",
    "omakase_core.messages",
    "omakase_core.delivery",
    "omakase_core.codec",
    "omakase_core.ports",
    "omakase_core.clock",
    "omakase_core.testing",
    "omakase_core.adapters.sqlite",
    "omakase_core.adapters.postgres",
    "omakase_core.adapters.smtp",
    "omakase_core.contract",
    "omakase_core.submission",
    "omakase_core.id_change",
    "omakase_core.accounts",
    "omakase_core.ocn",
    "omakase_core.inquiry",
)
# Each domain page and the module its "API reference" section links to.
DOMAIN_PAGES = {
    "calendar": "omakase_core.calendar",
    "lifecycles": "omakase_core.lifecycle",
    "contract": "omakase_core.contract",
    "submission": "omakase_core.submission",
    "id_change": "omakase_core.id_change",
    "accounts": "omakase_core.accounts",
    "ocn": "omakase_core.ocn",
    "inquiry": "omakase_core.inquiry",
}

# Attributes through which a page makes the browser fetch something (a link <a> is not a load).
LOADING_ATTRIBUTES = {
    "script": "src",
    "link": "href",
    "img": "src",
    "iframe": "src",
    "source": "src",
    "audio": "src",
    "video": "src",
    "embed": "src",
    "object": "data",
}
# Module specifiers (``from "…"``, ``import "…"``, ``import("…")``) in inline scripts, and
# ``url(…)`` and ``@import "…"`` in inline styles.
INLINE_URL = re.compile(
    r"""(?:\b(?:from|import)\s*\(?\s*|@import\s+)(?P<q>["'])(?P<url>[^"']+)(?P=q)"""
    r"""|url\(\s*["']?(?P<css>[^"')\s]+)"""
)


class _Loads(html.parser.HTMLParser):
    """Collect every URL a page loads: tag attributes and inline script or style bodies."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._inline: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = LOADING_ATTRIBUTES.get(tag)
        self.urls.extend(value for name, value in attrs if name == wanted and value)
        self._inline = tag if tag in {"script", "style"} else None

    def handle_endtag(self, tag: str) -> None:
        self._inline = None

    def handle_data(self, data: str) -> None:
        if self._inline is not None:
            self.urls.extend(match["url"] or match["css"] for match in INLINE_URL.finditer(data))


def loaded_urls(page: str) -> list[str]:
    """Return the URLs the HTML ``page`` makes a browser fetch, in order."""
    parser = _Loads()
    parser.feed(page)
    parser.close()
    return parser.urls


def is_external(url: str) -> bool:
    """Return whether ``url`` names another host (``https://…``, ``//…``); ``data:`` does not."""
    parts = urllib.parse.urlsplit(url)
    return bool(parts.netloc) or parts.scheme in {"http", "https", "ftp"}


def problems(built: pathlib.Path) -> list[str]:
    """Return what is wrong with the HTML build in ``built``: external loads, missing files."""
    pages = sorted(built.rglob("*.html"))
    if not pages:
        return [f"{built}: no HTML pages"]
    found: list[str] = []
    diagrams = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        diagrams += 'class="mermaid"' in text
        for url in loaded_urls(text):
            name = page.relative_to(built)
            if is_external(url):
                found.append(f"{name}: loads {url} from another host")
            elif not url.startswith(("data:", "#")):
                path = urllib.parse.urlsplit(url).path
                if path and not (page.parent / path).resolve().is_file():
                    found.append(f"{name}: loads {url}, which is not in the build")
    if not diagrams:
        found.append(f"{built}: no page has a mermaid diagram (is the build complete?)")
    return found


def main(argv: list[str]) -> int:
    """Check the HTML build named on the command line; print each problem, exit 1 if any."""
    (built,) = argv
    found = problems(pathlib.Path(built))
    for problem in found:
        print(problem)  # noqa: T201  # the script's report
    return 1 if found else 0


def test_a_script_from_a_cdn_is_an_external_load() -> None:
    page = '<script src="https://cdn.jsdelivr.net/npm/mermaid/dist/mermaid.min.js"></script>'
    assert [is_external(url) for url in loaded_urls(page)] == [True]


def test_an_inline_module_importing_mermaid_from_a_cdn_is_an_external_load() -> None:
    # What sphinxcontrib-mermaid writes when mermaid_use_local is not set.
    page = (
        '<script type="module">import mermaid from '
        '"https://cdn.jsdelivr.net/npm/mermaid@11.12.1/dist/mermaid.esm.min.mjs";\n'
        "mermaid.initialize({startOnLoad: false});</script>"
    )
    assert loaded_urls(page) == [
        "https://cdn.jsdelivr.net/npm/mermaid@11.12.1/dist/mermaid.esm.min.mjs"
    ]


def test_a_protocol_relative_stylesheet_and_a_css_import_are_external_loads() -> None:
    page = (
        '<link rel="stylesheet" href="//fonts.example.com/a.css">'
        "<style>@import 'https://fonts.example.com/b.css';</style>"
    )
    assert [is_external(url) for url in loaded_urls(page)] == [True, True]


def test_a_link_to_another_site_is_not_a_load() -> None:
    page = '<a href="https://www.sphinx-doc.org/">Sphinx</a><p>import x from "y"</p>'
    assert loaded_urls(page) == []


def test_local_scripts_modules_and_data_urls_are_not_external() -> None:
    page = (
        '<script src="_static/doctools.js?v=1"></script>'
        '<script type="module">import mermaid from "./_static/mermaid/mermaid.mjs";</script>'
        '<img src="data:image/png;base64,AAAA">'
    )
    urls = loaded_urls(page)
    assert urls == ["_static/doctools.js?v=1", "./_static/mermaid/mermaid.mjs", urls[2]]
    assert not any(is_external(url) for url in urls)


def write(path: pathlib.Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


DIAGRAM_PAGE = (
    '<script type="module">import mermaid from "../_static/mermaid/mermaid.mjs";</script>'
    '<pre class="mermaid">stateDiagram-v2</pre>'
)


def test_a_build_that_ships_its_mermaid_passes(tmp_path: pathlib.Path) -> None:
    write(tmp_path / "api" / "page.html", DIAGRAM_PAGE)
    write(tmp_path / "_static" / "mermaid" / "mermaid.mjs", "export default 1;\n")
    assert problems(tmp_path) == []
    assert main([str(tmp_path)]) == 0


def test_a_build_whose_mermaid_module_is_missing_fails(tmp_path: pathlib.Path) -> None:
    write(tmp_path / "api" / "page.html", DIAGRAM_PAGE)
    assert problems(tmp_path) == [
        "api/page.html: loads ../_static/mermaid/mermaid.mjs, which is not in the build"
    ]
    assert main([str(tmp_path)]) == 1


def test_a_build_loading_mermaid_from_a_cdn_fails(tmp_path: pathlib.Path) -> None:
    write(tmp_path / "index.html", DIAGRAM_PAGE.replace("../_static", "https://cdn.example"))
    assert problems(tmp_path) == [
        "index.html: loads https://cdn.example/mermaid/mermaid.mjs from another host"
    ]


def test_an_empty_build_fails(tmp_path: pathlib.Path) -> None:
    assert problems(tmp_path) == [f"{tmp_path}: no HTML pages"]


def test_the_docs_configuration_serves_mermaid_from_the_docs_themselves() -> None:
    conf = runpy.run_path(str(DOCS / "conf.py"))
    assert "sphinxcontrib.mermaid" in conf["extensions"]
    assert "sphinx.ext.autodoc" in conf["extensions"]
    assert not is_external(conf["mermaid_use_local"])
    assert conf["mermaid_use_local"] == "mermaid/mermaid.mjs"
    assert conf["html_static_path"] == ["_build/vendor"]


def test_every_public_module_has_its_api_page() -> None:
    index = (DOCS / "api" / "index.md").read_text(encoding="utf-8")
    for name in API_MODULES:
        page = (DOCS / "api" / f"{name}.md").read_text(encoding="utf-8")
        assert f".. automodule:: {name}\n" in page
        assert f"\n{name}\n" in index
    assert "\napi/index\n" in (DOCS / "index.md").read_text(encoding="utf-8")


def test_every_domain_page_ends_with_a_link_to_its_api_page() -> None:
    for page, name in DOMAIN_PAGES.items():
        text = (DOCS / f"{page}.md").read_text(encoding="utf-8")
        _, _, last_section = text.rpartition("\n## ")
        assert last_section.startswith("API reference\n"), page
        assert f"(api/{name}.md)" in last_section, page


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
