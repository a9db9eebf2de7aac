"""Every page of a build, before it is rendered: the pages the core generates, and what each page is.

Generated pages (listings, /subscribe/, /search/) are Markdown sources the engine renders like any
other. For every page the core knows its address, title and description as the engine will show
them (`PageInfo`), by the rules MkDocs (and engines that read mkdocs.yml alike) use for a title: the
page's `nav:` title, else its front matter `title`, else a first heading that opens the page, else
its file name ("Home" for the home page).
"""

from __future__ import annotations

import functools
import json
import posixpath
from collections.abc import Iterable, Mapping

import yaml

from site_plugins import urls
from site_plugins.content.catalog import AUTHORS_FILE, VOCABULARY_FILE, Catalog, Edition
from site_plugins.content.frontmatter import split
from site_plugins.content.markdown import scan
from site_plugins.content.pages import PageHead, page_head, starts_with_h1
from site_plugins.outputs.pages.cards import Listing
from site_plugins.outputs.pages.pageview import PageInfo

HOME_SOURCES = ("index.md", "README.md")


def listing_markdown(listing: Listing) -> str:
    """A generated listing page's source: only front matter; the template draws the listing."""
    title = json.dumps(listing.title, ensure_ascii=False)  # a JSON string is a YAML string, whatever it holds
    return f'---\ntitle: {title}\ntemplate: listing.html\nsearch:\n  exclude: true\n---\n'


def generated_pages(tree: set[str], listings: Iterable[Listing], subscribe: str | None, search: str | None
                    ) -> dict[str, str]:
    """Source -> Markdown of every page the core generates. A listing or the results page replaces a
    stray hand-made file at its source; a hand-made content/subscribe.md replaces the generated one."""
    pages: dict[str, str] = {}  # in the order the engine is to render them
    if subscribe is not None and urls.SUBSCRIBE_SOURCE not in tree:
        pages[urls.SUBSCRIBE_SOURCE] = subscribe
    pages.update((listing.src_uri, listing_markdown(listing)) for listing in listings)
    if search is not None:
        pages[urls.SEARCH_SOURCE] = search
    return pages


def published_sources(tree: set[str], withheld: set[str]) -> list[str]:
    """The Markdown sources of content/ the engine renders (withheld entries left out), in order."""
    return sorted(p for p in tree if p.endswith(".md") and p not in withheld
                  and p not in (VOCABULARY_FILE, AUTHORS_FILE))


def page_infos(catalog: Catalog, edition: Edition, sources: Iterable[str], generated: Mapping[str, str],
               nav: Mapping[str, str]) -> dict[str, PageInfo]:
    """Source -> what the engine shows of the page: its address, title and description."""
    entries = {e.source: e for e in [*edition.stories, *edition.lectures]}
    listing_urls = {src: src.removesuffix("index.md") for src in generated}
    infos: dict[str, PageInfo] = {}
    for src in [*sources, *generated]:
        if src in infos:
            continue
        entry = entries.get(src)
        if entry is not None:  # an entry is titled by its own field, published at its slug
            infos[src] = PageInfo(entry.url, nav.get(src, entry.title), entry.summary)
            continue
        head = _generated_head(generated[src]) if src in generated else catalog.heads.get(src, PageHead())
        url = listing_urls[src] if src in generated and src not in urls.GENERATED_SOURCES else urls.markdown_page(src)
        home = src in HOME_SOURCES
        infos[src] = PageInfo(url, title_of(src, head, nav.get(src), home), head.description, home)
    return infos


def title_of(src: str, head: PageHead, nav_title: str | None, is_homepage: bool) -> str:
    """The page's title as the engine shows it (its nav entry, <title>'s fallback, og:title)."""
    for title in (nav_title, head.title, head.heading):
        if title is not None:
            return title
    if is_homepage:
        return "Home"
    stem = posixpath.splitext(posixpath.basename(src))[0]
    name = ("index" if stem == "README" else stem).replace("-", " ").replace("_", " ")
    return name.capitalize() if name.lower() == name else name


@functools.lru_cache(maxsize=8192)  # the preview's rebuilds: 763 listing pages' front matter at 3,000 stories
def _generated_head(text: str) -> PageHead:
    parts = split(text)
    meta = yaml.safe_load(parts[0]) if parts is not None else {}
    body = parts[1] if parts is not None else text
    return page_head(meta if isinstance(meta, dict) else {}, scan(body), starts_with_h1(body))
