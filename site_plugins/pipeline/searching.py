"""What the search index holds of a build: which pages, described how, and the files it adds.

`page_source` describes one rendered page for the index (outputs/search/records.py makes its
record in the search worker): entries with their facts, a narrative's first index page, plain
pages; never the home page, other listings or the results page. An engine that renders page by
page hands each page to the worker as it is rendered (MkDocs: adapters/search.py), so Pagefind
indexes beside the rendering; otherwise `finish` reads every page back from the built site
(`from_site`). `index_files` are the files the worker's result becomes. `describe` gives a description with
its digests, which scripts/build keeps for the next build; `feed` (an incremental build) describes
a page it did not render from them, by reference (outputs/search/later.py), without reading it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from site_plugins import urls
from site_plugins.content.dates import zh_date
from site_plugins.content.pages import PageHead
from site_plugins.content.schema import Lecture
from site_plugins.outputs.pages.rendered import entry_body, page_content
from site_plugins.outputs.search import records as search
from site_plugins.outputs.search.later import BODY, Later, digest
from site_plugins.outputs.search.worker import Result
from site_plugins.pipeline.result import Prepared


def page_source(result: Prepared, src: str, html: str) -> search.PageSource | None:
    """What the index needs of page `src` (its rendered Markdown `html`), or None if it is not indexed."""
    info = result.infos.get(src)
    if info is None:
        return None
    vocab = result.catalog.vocabulary
    listing = result.listing_at.get(src)
    entry = result.entries.get(src)
    head = result.catalog.heads.get(src, PageHead())
    kind = search.indexed_kind(src, is_entry=entry is not None,
                               listing_narrative=listing.narrative if listing else None,
                               listing_number=listing.number if listing else 0,
                               is_listing=listing is not None, is_homepage=info.is_homepage)
    if kind is None or (head.unsearched and kind == "page"):
        return None
    url = "/" + info.url
    pinyin = result.settings.search.pinyin
    if entry is not None:
        thumb = result.published.thumbnails.get(entry.cover.src) if entry.cover else None
        facts = search.entry_facts(entry, vocab, zh_date(entry.date), "/" + thumb.src if thumb else "")
        lead = search.lecture_lead(entry) if isinstance(entry, Lecture) else entry.summary
        return search.PageSource(url, entry.title, html, facts, lead, lead_unless_in_body=not isinstance(entry, Lecture),
                                 terms=search.narrative_terms(entry, vocab), pinyin=pinyin)
    if kind == "narrative" and listing is not None:
        narrative = vocab[listing.narrative]
        return search.PageSource(url, narrative.label, "", search.Facts(kind="narrative"), narrative.description)
    return search.PageSource(url, info.title, html, search.Facts(kind="page"))


@dataclass(frozen=True)
class Described:
    """A page's description for the worker, and what the next build compares it by."""

    item: search.PageSource | Later
    bare: bytes  # the digest of the description made with BODY for the page's body
    whole: bytes  # the digest of the whole description


def describe(result: Prepared, src: str, html: str) -> Described | None:
    """`page_source` with its digests; None if the page is not indexed."""
    bare = page_source(result, src, BODY)
    if bare is None:
        return None
    source = replace(bare, body_html=html) if bare.body_html == BODY else bare
    return Described(source, digest(bare), digest(source))


def feed(result: Prepared, site_dir: Path, order: Iterable[str], rendered: set[str],
         last: Mapping[str, tuple[bytes, bytes]]) -> Iterator[tuple[str, Described]]:
    """Every indexed page of `order` (page sources, the engine's order), described from `site_dir`:
    a page in `rendered` read back; any other by reference (`Later`) where its description without
    the body is the one the last build made (`last`: page source -> its `bare` and `whole` digests),
    since its file is the one that build described; else read back."""
    for src in order:
        info = result.infos.get(src)
        if info is None:
            continue
        file = site_dir / info.url / "index.html"
        kept = last.get(src)
        if src not in rendered and kept is not None:
            bare = page_source(result, src, BODY)
            if bare is None:
                continue
            if bare.body_html != BODY:  # no body in it (a narrative's first page): whole already
                yield src, Described(bare, digest(bare), digest(bare))
                continue
            if digest(bare) == kept[0] and file.is_file():
                yield src, Described(Later(bare, os.path.abspath(file), src in result.entries, kept[1]), *kept)
                continue
        body = _body(result, src, file)
        described = describe(result, src, body) if body is not None else None
        if described is not None:
            yield src, described


def from_site(result: Prepared, site_dir: Path, order: Iterable[str] | None = None) -> Iterator[search.PageSource]:
    """Every indexed page, described from the HTML the engine wrote into `site_dir`; in the order of
    `order` (page sources: the engine's, as a full build streams them) if given."""
    for src in result.infos if order is None else order:
        info = result.infos.get(src)
        if info is None:
            continue
        body = _body(result, src, site_dir / info.url / "index.html")
        source = page_source(result, src, body) if body is not None else None
        if source is not None:
            yield source


def _body(result: Prepared, src: str, file: Path) -> str | None:
    """What the index takes of page `src`'s HTML in `file` (an entry's article, another page's
    content); None if the engine wrote no such file."""
    if not file.is_file():
        return None
    html = file.read_text(encoding="utf-8")
    return (entry_body(html) if src in result.entries else page_content(html)) or ""


def index_files(found: Result) -> dict[str, bytes]:
    """Site path -> bytes of the index: Pagefind's bundle, the Traditional -> Simplified shards, the sort orders."""
    files = {urls.PAGEFIND + name: data for name, data in found.files.items()}
    return {**files, **search.t2s_shards(), **search.sort_files(found.sorts)}
