"""Search records (site_plugins/outputs/search/records.py) and the Pagefind index the sample build writes.

What a reader finds in a real browser is tested in test_browser.py; here: which
pages are indexed, how records are made and escaped, pinyin tokens, query data.
"""

from __future__ import annotations

import gzip
import json
from datetime import datetime
from itertools import pairwise
from pathlib import Path

import pytest

from site_plugins import urls
from site_plugins.content.catalog import edition, load_catalog
from site_plugins.content.dates import parse_when
from site_plugins.content.vocabulary import load_vocabulary
from site_plugins.outputs.search import records as search

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
    assert "data-pagefind-meta=\"pinyin:" not in record.html  # no pinyin asked for, none written


def test_pinyin_goes_into_the_pages_own_record_as_meta_not_text() -> None:
    pinyin = search.pinyin_meta("志愿者培训")
    assert pinyin.split()[0] == "zhiyuanzhepeixun" and "zyzpx" in pinyin.split()
    record = search.page_record("/stories/x/", "志愿者培训", "<p>正文</p>", search.Facts(kind="story"), pinyin=pinyin)
    assert f'data-pagefind-meta="pinyin:{pinyin}"' in record.html
    text = record.html.split("<main data-pagefind-body>")[1].split("<span")[0]
    assert "zhiyuanzhe" not in text  # in no excerpt: meta only


def test_narrative_terms_leave_out_names_inside_other_names() -> None:
    from types import SimpleNamespace

    vocab, _ = load_vocabulary(REPO / "content" / "narratives.yml", "narratives.yml")
    assert vocab is not None
    assert {"志愿者", "志愿", "义工", "红十字志愿者"} <= set(vocab["volunteer"].aliases)
    terms = search.narrative_terms(SimpleNamespace(tags=("volunteer",)), vocab)  # type: ignore[arg-type]
    # 志愿 and 志愿者 are found inside 志愿服务 and 红十字志愿者 (queries are exact phrases of characters)
    assert terms.startswith("专题：志愿服务（") and "义工" in terms and "红十字志愿者" in terms
    assert "、志愿、" not in terms and "（志愿者" not in terms and "、志愿者" not in terms
    for name in ("志愿服务", *vocab["volunteer"].aliases):
        assert name in terms


def test_lead_is_indexed_only_when_the_body_does_not_say_it() -> None:
    body = "<h2>开头</h2><p>二十名志愿者在太原火车站\n教旅客心肺复苏。后来的事&amp;更多。</p>"
    assert search.lead_unless_in_body("二十名志愿者在太原火车站教旅客心肺复苏。", body) == ""
    assert search.lead_unless_in_body("二十名志愿者在太原火车站教旅客…", body) == ""  # cut summary
    assert search.lead_unless_in_body("后来的事&更多。", body) == ""
    assert search.lead_unless_in_body("一句另写的摘要。", body) == "一句另写的摘要。"
    assert search.lead_unless_in_body("", body) == ""


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


def test_t2s_shards_map_traditional_characters_by_code_point() -> None:
    shards = search.t2s_shards()
    assert len(shards) == search.T2S_SHARDS and all(n.startswith(urls.SEARCH_T2S) for n in shards)
    pairs: dict[str, str] = {}
    for name, data in shards.items():
        chars = list(json.loads(data))
        for trad, simp in zip(chars[::2], chars[1::2], strict=True):
            assert urls.t2s_shard(ord(trad) % search.T2S_SHARDS) == name
            assert ord(trad) >= search.T2S_FIRST
            pairs[trad] = simp
    assert pairs["願"] == "愿" and pairs["誌"] == "志" and pairs["獻"] == "献"
    assert len(pairs) > 2500
    assert "志" not in pairs and "愿" not in pairs  # Simplified characters map to nothing
    assert max(len(d) for d in shards.values()) < 1024  # a query's shards stay small
    assert search.t2s_shards() == shards


def fragments(site: Path) -> list[dict]:
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
    indexed = [r["url"] for r in records]
    assert len(indexed) == len(set(indexed)), "one record per page"
    pages = set(indexed)
    assert entries | narratives <= pages
    assert pages - entries - narratives == {"/about/", "/subscribe/"}
    assert not {"/" + e.url for e, _ in published.withheld} & pages, "drafts and scheduled stories are never indexed"
    # Material's search is gone; Pagefind's API bundle is served, its UI bundles are not.
    assert not (sample_site / "search" / "search_index.json").exists()
    assert (sample_site / "pagefind" / "pagefind.js").is_file()
    assert not (sample_site / "pagefind" / "pagefind-ui.js").exists()
    assert (sample_site / "search" / "index.html").is_file()
    assert sorted(p.name for p in (sample_site / urls.SEARCH_T2S).glob("*.json")) == [f"{n:02x}.json" for n in range(128)]
    # every record knows its kind; entries their date, narratives and filters
    story = next(r for r in records if r["url"] == "/" + published.stories[0].url)
    assert story["meta"]["kind"] == "故事" and story["meta"]["date"].endswith("日")
    assert set(story["filters"]) == {"kind", "narrative", "city", "year"} - ({"city"} if not published.stories[0].city else set())
    # each entry's title pinyin is in its own record, as meta, never in the text an excerpt shows
    for record in records:
        if record["url"] in entries:
            assert record["meta"][search.PINYIN_META].split()
            assert record["meta"][search.PINYIN_META].split()[0] not in record["content"]
        else:
            assert search.PINYIN_META not in record["meta"]


def test_chunk_bounds_are_pagefinds_shortest_differing_prefixes() -> None:
    from site_plugins.outputs.search.bundle import _bounds

    assert _bounds("心肺复苏", "志") == ("心", "志")
    assert _bounds("apple", "apply") == ("apple", "apply")
    assert _bounds("志", "志愿服务") == ("志", "志愿")


@pytest.mark.build
def test_sample_index_has_dominant_words_alone_and_the_date_order_outside_the_metadata(sample_site: Path) -> None:
    from site_plugins.outputs.search import bundle as search_bundle

    bundle = sample_site / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta = search_bundle.read(bundle / f"pagefind.{entry['languages']['zh']['hash']}.pf_meta")
    assert meta[4] == [], "no sort order in the metadata every query loads"
    chunks = meta[2]
    assert sorted(p.stem for p in (bundle / "index").glob("*.pf_index")) == sorted(c[2] for c in chunks)
    for (_, end, _), (start, _, _) in pairwise(chunks):
        assert end < start, "chunks are ordered and disjoint"
    for first, last, name in chunks:
        words = search_bundle.read(bundle / "index" / f"{name}.pf_index")[0]
        assert first <= words[0][0] and words[-1][0][: len(last)] <= last
        units = [search_bundle._units(w) for w in words]
        assert len(words) == 1 or max(units) < search_bundle.SOLO * sum(units)
    # the date order: every dated page (entries), oldest first
    ids = json.loads((sample_site / urls.search_sort("date")).read_text(encoding="utf-8"))
    pages = {p.stem: p for p in (bundle / "fragment").glob("*.pf_fragment")}
    assert set(ids) <= set(pages) and len(ids) == len(set(ids))
    dates = []
    for page_id in ids:
        raw = gzip.decompress(pages[page_id].read_bytes())
        shown = json.loads(raw[raw.index(b"{"):])["meta"]["date"]  # e.g. 2026年3月5日
        dates.append(tuple(int(x) for x in shown.replace("年", "-").replace("月", "-").rstrip("日").split("-")))
    assert dates == sorted(dates) and len(ids) > 10


SEARCH_JS = REPO / "assets" / "overrides" / "assets" / "javascripts" / "search.js"


def test_search_js_takes_every_address_and_shard_rule_from_the_build() -> None:
    """search.js reads them from `data-rc-search` (records.browser_config); a copy of its own would drift."""
    code = "\n".join(line for line in SEARCH_JS.read_text(encoding="utf-8").splitlines()
                     if not line.lstrip().startswith(("/*", "*", "//")))
    for copy in ("pagefind/", "pagefind.js", "search/", "t2s/", "sort-", "narratives/", "0x3400", "13312", "128",
                 '"pinyin"'):
        assert copy not in code, f"search.js holds {copy!r}: take it from the config"
    for key in search.browser_config():
        assert f"config.{key}" in code, f"search.js no longer reads config.{key}: drop it from browser_config"


def test_browser_config_names_what_the_build_writes() -> None:
    config = search.browser_config()
    assert config["search"] == urls.SEARCH and config["pagefind"] == urls.PAGEFIND_JS
    # search.js names a shard config.t2s + two hex digits + ".json" (test_browser.py watches its requests)
    assert all(urls.t2s_shard(n) == f"{config['t2s']}{n:02x}.json" for n in range(search.T2S_SHARDS))
    assert set(search.t2s_shards()) == {urls.t2s_shard(n) for n in range(int(config["shards"]))}
    assert (config["shards"], config["first"]) == (search.T2S_SHARDS, search.T2S_FIRST)
    assert str(config["sort"]).replace("{}", "date") == urls.search_sort("date") == "search/sort-date.json"
    assert str(config["narrative"]).replace("{}", "volunteer") == urls.narrative("volunteer")
    assert config["pinyin"] == search.PINYIN_META


@pytest.mark.build
def test_every_page_hands_search_js_the_builds_config(sample_site: Path) -> None:
    from bs4 import BeautifulSoup

    for page in ("index.html", "search/index.html", "404.html", "about/index.html"):
        soup = BeautifulSoup((sample_site / page).read_text(encoding="utf-8"), "html.parser")
        box = soup.find(attrs={"data-rc-search": True})
        assert json.loads(box["data-rc-search"]) == search.browser_config(), page
