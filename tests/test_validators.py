"""Quality gates on the built sample site: the Nu Html Checker, axe-core and a link checker.

vnu.jar and axe-core come from the npm packages pinned in package.json
(`vnu-jar`, `axe-core`; `npm ci` installs them): vnu.jar runs once for every
page kind (one JVM), axe.min.js is injected into Debian's Chromium through
`axe-playwright-python`.
"""

from __future__ import annotations

import json
import posixpath
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from .conftest import REPO

pytestmark = pytest.mark.browser

AXE_BLOCKING = {"serious", "critical"}
# Every rule set axe-core has: WCAG 2.0/2.1/2.2 A and AA, and its best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
SHOTS = REPO / "test-artifacts" / "screenshots"
NODE_MODULES = REPO / "node_modules"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def node_tool(path: str) -> Path:
    """A file of an npm package pinned in package.json (installed by `npm ci`, see scripts/test)."""
    tool = NODE_MODULES / path
    if not tool.is_file():
        pytest.fail(f"{tool} is missing: run `npm ci` at the repository root (scripts/test does)")
    return tool


def every_page_kind(site: Path, sample_pages: dict[str, str]) -> dict[str, str]:
    """One page of each kind the site has, by name -> site path."""
    paginated = sorted(p.parent.relative_to(site).as_posix() + "/" for p in site.glob("**/page/2/index.html"))
    years = sorted(p.parent.relative_to(site).as_posix() + "/" for p in site.glob("stories/archive/*/index.html"))
    assert paginated and years, "the sample site should have a second listing page and a year archive"
    pages = {**sample_pages, "lectures": "lectures/", "stories": "stories/", "narratives": "narratives/",
             "paginated": paginated[0], "archive": "stories/archive/", "archive-year": years[0],
             "subscribe": "subscribe/", "about": "about/"}
    if (site / "search" / "index.html").is_file():  # the /search/ page, once the site has one
        pages["search"] = "search/"
    for name, path in pages.items():
        assert (site / path / "index.html").is_file(), f"{name}: {path} was not built"
    return pages


def test_nu_html_checker_finds_no_errors(sample_site: Path, sample_pages: dict[str, str]) -> None:
    pages = every_page_kind(sample_site, sample_pages)
    files = [str(sample_site / page / "index.html") for page in dict.fromkeys(pages.values())]
    files.append(str(sample_site / "404.html"))
    jar = node_tool("vnu-jar/build/dist/vnu.jar")
    result = subprocess.run(["java", "-jar", str(jar), "--format", "json", "--errors-only", *files],
                            capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    # No allowlist: what Material's templates emit that the checker rejects is fixed in our overrides.
    errors = [f"{Path(m.get('url', '')).parent.name}/:{m.get('lastLine')}: {m['message']}  «{m.get('extract', '').strip()}»"
              for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]
    assert not errors, f"Nu Html Checker: {len(errors)} errors in {len(files)} pages:\n" + "\n".join(errors)
    assert result.returncode == 0


def axe_violations(page, blocking: set[str] = AXE_BLOCKING, tags: list[str] = AXE_TAGS) -> list[str]:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe.from_file(node_tool("axe-core/axe.min.js"))
    options = {"runOnly": {"type": "tag", "values": tags}, "resultTypes": ["violations"]}
    response = axe.run(page, options=options).response
    return [f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(str(n["target"][0]) for n in v["nodes"][:5])
            for v in response["violations"] if v["impact"] in blocking]


def test_axe_core_is_the_pinned_one() -> None:
    version = json.loads((NODE_MODULES / "axe-core" / "package.json").read_text(encoding="utf-8"))["version"]
    pinned = json.loads((REPO / "package.json").read_text(encoding="utf-8"))["devDependencies"]["axe-core"]
    assert version == pinned


@pytest.mark.parametrize("width", ["phone", "desktop"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violations(browser, site_url: str, sample_site: Path, sample_pages: dict[str, str],
                                         scheme: str, width: str) -> None:
    # Material picks its palette from prefers-color-scheme until the reader toggles it.
    context = browser.new_context(viewport=VIEWPORTS[width], locale="zh-CN", color_scheme=scheme)
    page = context.new_page()
    found = {}
    for kind, path in every_page_kind(sample_site, sample_pages).items():
        page.goto(site_url + path, wait_until="load")
        shown = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        assert shown == ("slate" if scheme == "dark" else "default")
        found[kind] = axe_violations(page)
        if scheme == "dark" and kind in sample_pages:  # a human look at the dark palette, beside the browser shots
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"{kind}-{VIEWPORTS[width]['width']}-dark.png"))
    context.close()
    assert len(found) >= 12
    assert not any(found.values()), "\n".join(f"{kind}: {v}" for kind, vs in found.items() for v in vs)


def test_axe_run_reports_what_it_should(browser) -> None:  # type: ignore[no-untyped-def]
    """The harness itself: the old text-size buttons (aria-label hiding the visible text) and a
    skipped heading level are found with these rule tags."""
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_content('<!doctype html><html lang="zh-CN"><head><title>t</title></head><body><main><h1>标题</h1>'
                     '<h3>跳级</h3><button aria-label="放大字号">A+</button></main></body></html>')
    ids = {v.split(" ")[0] for v in axe_violations(page, {"minor", "moderate", "serious", "critical"})}
    context.close()
    assert {"label-content-name-mismatch", "heading-order"} <= ids


class _Refs(HTMLParser):
    """Every id of a page and every internal reference (tag, attribute, value) it makes."""

    ATTRS = frozenset({"href", "src", "srcset", "poster", "content"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if values.get(name):
                self.ids.add(values[name] or "")
        for name, value in attrs:
            if name not in self.ATTRS or value is None:
                continue
            if name == "content" and not (tag == "meta" and value.startswith(("http://", "https://"))):
                continue  # only URLs in meta tags (og:image, og:url ...)
            if name == "srcset":
                for candidate in value.split(","):
                    if candidate.strip():
                        self.refs.append((tag, name, candidate.split()[0]))
            else:
                self.refs.append((tag, name, value))


def parse(html: Path) -> _Refs:
    refs = _Refs()
    refs.feed(html.read_text(encoding="utf-8"))
    return refs


def broken_links(site: Path, site_url: str) -> list[str]:
    """Every internal href/src/srcset (and own-site absolute URL) that does not resolve, and every missing #anchor."""
    pages = {p.relative_to(site).as_posix(): parse(p) for p in sorted(site.rglob("*.html"))}
    problems = []
    for rel, refs in pages.items():
        for tag, attr, value in refs.refs:
            if value.startswith(site_url):
                value = "/" + value[len(site_url):]
            elif urlsplit(value).scheme or value.startswith("//"):
                continue  # another site: not ours to check offline
            parts = urlsplit(value)
            if parts.path.startswith("/"):
                target = parts.path.lstrip("/")
            else:
                target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), parts.path)) if parts.path else rel
            target = unquote(target)
            if target in (".", ""):
                target = "index.html"
            elif parts.path.endswith("/") or (site / target).is_dir():
                target = target.rstrip("/") + "/index.html"
            if not (site / target).is_file():
                problems.append(f"{rel}: <{tag} {attr}={value!r}> → {target} does not exist")
            elif parts.fragment and target in pages and unquote(parts.fragment) not in pages[target].ids:
                problems.append(f"{rel}: <{tag} {attr}={value!r}> → no id {unquote(parts.fragment)!r} on {target}")
    return problems


def test_every_internal_link_image_and_anchor_resolves(sample_site: Path) -> None:
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    site_url = re.search(r"^site_url:\s*(\S+)", config, re.M).group(1)  # type: ignore[union-attr]
    assert len(list(sample_site.rglob("*.html"))) > 20
    problems = broken_links(sample_site, site_url)
    assert not problems, f"{len(problems)} broken references:\n" + "\n".join(problems[:50])
    # and the sitemap lists only pages that exist
    sitemap = (sample_site / "sitemap.xml").read_text(encoding="utf-8")
    for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap):
        assert loc.startswith(site_url)
        assert (sample_site / loc[len(site_url):] / "index.html").is_file(), loc


def test_link_checker_catches_broken_links(make_site) -> None:  # type: ignore[no-untyped-def]
    """The checker itself: a missing page, image and anchor are all reported."""
    site = make_site().site
    site.mkdir(parents=True)
    (site / "index.html").write_text(
        '<a href="a/">ok</a><a href="a/#here">ok</a><a href="missing/">x</a><img src="gone.png" alt="">'
        '<a href="a/#nowhere">x</a><a href="https://other.example/">external</a>'
        '<img srcset="a/pic.png 1x, b.png 2x" alt=""><a href="#top" id="top">top</a>', encoding="utf-8")
    (site / "a").mkdir()
    (site / "a" / "index.html").write_text('<h2 id="here">h</h2>', encoding="utf-8")
    (site / "a" / "pic.png").write_bytes(b"")
    problems = broken_links(site, "https://lecture.example.org/")
    assert len(problems) == 4, problems
    assert any("missing/index.html" in p for p in problems)
    assert any("gone.png" in p for p in problems)
    assert any("'nowhere'" in p for p in problems)
    assert any("b.png" in p for p in problems)
