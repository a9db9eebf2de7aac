"""Search records (site_plugins/outputs/search.py) and the Pagefind index the sample build writes.

What a reader finds in a real browser is tested in test_browser.py; here: which
pages are indexed, how records are made and escaped, pinyin tokens, query data.
"""

from __future__ import annotations

import gzip
import json
from datetime import datetime
from pathlib import Path

import pytest

from site_plugins.content.catalog import edition, load_catalog
from site_plugins.content.dates import parse_when
from site_plugins.content.vocabulary import load_vocabulary
from site_plugins.outputs import search

from .conftest import BUILD_TIME, REPO

pytestmark = pytest.mark.unit


def test_pinyin_tokens_find_any_run_of_title_characters_by_prefix() -> None:
    tokens = search.pinyin_tokens("养老服务志愿者上岗培训（第1期）")
    assert any(t.startswith("zhiyuanzhe") for t in tokens)
    assert any(t.startswith("zyz") for t in tokens)
    assert any(t.startswith("yanglao") for t in tokens)
    assert all(t.isascii() and t.isalpha() and t.islower() for t in tokens)
    assert max(len(t) for t in tokens) <= 6 * 6 + 1  # PINYIN_SPAN syllables at most
    assert search.pinyin_tokens("AED 2026") == []


def test_split_han_separates_characters_in_text_only() -> None:
    html = '<p class="志愿">志愿者 AED 培训<a href="/志愿/">红十字</a></p>'
    out = search.split_han(html)
    z = search.ZWSP
    assert out == f'<p class="志愿">志{z}愿{z}者 AED 培{z}训<a href="/志愿/">红{z}十{z}字</a></p>'


def test_page_record_escapes_content_and_carries_meta_filters_sort() -> None:
    facts = search.Facts(kind="story", date="2026年3月5日", iso="2026-03-05", city='太原"<',
                         narratives=(("volunteer", "志愿服务"),), image="/media/x.jpg", image_alt="a&b")
    record = search.page_record("/stories/x/", "<script>alert(1)</script>标题", "<p>正文</p>", facts, "导语")
    assert "<script>" not in record.html and "&lt;script&gt;" in record.html
    assert 'data-pagefind-meta="city:太原&quot;&lt;"' in record.html
    assert 'data-pagefind-filter="narrative:志愿服务"' in record.html
    assert 'data-pagefind-filter="year:2026"' in record.html
    assert 'data-pagefind-sort="date:2026-03-05"' in record.html
    assert 'data-pagefind-meta="kind:故事"' in record.html
    assert 'data-pagefind-meta="image_alt:a&amp;b"' in record.html
    assert "data-pagefind-body" in record.html and 'lang="zh"' in record.html


def test_only_entries_narrative_indexes_and_plain_pages_are_indexed() -> None:
    def kind(src: str, **kw: object) -> str | None:
        args = {"is_entry": False, "listing_narrative": None, "listing_number": 0, "is_listing": False,
                "is_homepage": False, **kw}
        return search.indexed_kind(src, **args)  # type: ignore[arg-type]

    assert kind("stories/a.md", is_entry=True) == "entry"
    assert kind("narratives/volunteer/index.md", is_listing=True, listing_narrative="volunteer", listing_number=1) == "narrative"
    assert kind("narratives/volunteer/page/2/index.md", is_listing=True, listing_narrative="volunteer", listing_number=2) is None
    assert kind("stories/archive/2026/index.md", is_listing=True) is None
    assert kind("index.md", is_homepage=True) is None
    assert kind(search.SEARCH_PAGE) is None
    assert kind("about.md") == "page"


def test_query_data_maps_traditional_characters_and_aliases() -> None:
    vocab, _ = load_vocabulary(REPO / "content" / "narratives.yml", "narratives.yml")
    assert vocab is not None
    data = json.loads(search.query_data(vocab))
    chars = list(data["t2s"])
    pairs = dict(zip(chars[::2], chars[1::2], strict=True))
    assert pairs["願"] == "愿" and pairs["誌"] == "志" and pairs["獻"] == "献"
    assert len(pairs) > 2500
    assert data["aliases"]["义工"] == "志愿服务"
    assert search.query_data(vocab) == search.query_data(vocab)


def fragments(site: Path) -> list[dict]:  # type: ignore[type-arg]
    out = []
    for file in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(file.read_bytes())
        out.append(json.loads(raw[raw.index(b"{"):]))
    return out


@pytest.mark.build
def test_sample_index_holds_exactly_the_published_pages(sample_site: Path) -> None:
    catalog, _ = load_catalog(REPO / "content")
    assert catalog is not None
    now: datetime = parse_when(BUILD_TIME)[0]
    published = edition(catalog, now)
    entries = {"/" + e.url for e in [*published.stories, *published.lectures]}
    narratives = {"/" + n.url for n in catalog.vocabulary.narratives}
    records = fragments(sample_site)
    urls = {r["url"] for r in records}
    pages = {u for u in urls if not u.endswith(search.PINYIN_FRAGMENT)}
    assert entries | narratives <= pages
    assert pages - entries - narratives == {"/about/", "/subscribe/"}
    assert {u.removesuffix(search.PINYIN_FRAGMENT) for u in urls - pages} == entries
    assert not {"/" + e.url for e, _ in published.withheld} & urls, "drafts and scheduled stories are never indexed"
    # Material's search is gone; Pagefind's API bundle is served, its UI bundles are not.
    assert not (sample_site / "search" / "search_index.json").exists()
    assert (sample_site / "pagefind" / "pagefind.js").is_file()
    assert not (sample_site / "pagefind" / "pagefind-ui.js").exists()
    assert (sample_site / "search" / "index.html").is_file() and (sample_site / "search" / "query.json").is_file()
    # every record knows its kind; entries their date, narratives and filters
    story = next(r for r in records if r["url"] == "/" + published.stories[0].url)
    assert story["meta"]["kind"] == "故事" and story["meta"]["date"].endswith("日")
    assert set(story["filters"]) == {"kind", "narrative", "city", "year"} - ({"city"} if not published.stories[0].city else set())
