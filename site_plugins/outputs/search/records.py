"""The search index's content: which pages are indexed, the record of each (with its title's
pinyin), and the Traditional -> Simplified table the browser applies to a query.

Pure data and HTML text. The MkDocs adapter (`adapters/search.py`) describes each page
as a `PageSource`; the search worker (`outputs/search/worker.py`) turns it into a
`Record` (`record`) and streams it into Pagefind. Pagefind segments Chinese itself (its
extended build) when it indexes, and again in the browser when a reader types.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html import escape, unescape
from importlib import resources
from typing import Any

from site_plugins import urls
from site_plugins.content.schema import Entry, Lecture
from site_plugins.content.vocabulary import Vocabulary

SEARCH_PAGE = urls.SEARCH_SOURCE  # the generated results page, at /search/
# Traditional -> Simplified, in shards by code point (urls.t2s_shard: search/t2s/NN.json, NN = code
# point % 128): a query fetches only the shards of its own characters, about 0.2 KB each.
T2S_SHARDS = 128
T2S_FIRST = 0x3400  # no Traditional character (OpenCC's table) lies below CJK Extension A
KIND_LABELS = {"story": "故事", "lecture": "讲座", "narrative": "专题", "page": "页面"}
# Syllables of one pinyin token: Pagefind matches query words as prefixes, so a token per
# title character, holding the pinyin of the characters that follow it, finds any run of them.
PINYIN_SPAN = 6
PINYIN_META = "pinyin"  # the meta field holding them (Pagefind 1.5 indexes meta words)
# Pages Pagefind holds at once by default (rc-search: shard; outputs/search/indexer.py): about
# 0.4 MB each while it writes their index, on top of its own 56 MB (the Chinese segmenter), so
# its peak is about 125 MB at any size of site (1.2 GB for 3,600 pages at once).
SHARD = 150


HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RUN = re.compile(f"[{HAN}]{{2,}}")
_TAG = re.compile(r"(<[^>]*>)")
ZWSP = "\u200b"


def split_han(html: str) -> str:
    """Put a zero-width space between neighbouring Han characters in the text of `html`.

    Pagefind cuts Chinese into words with one segmenter when it indexes and with the
    browser's Intl.Segmenter when a reader types; where the two disagree (Pagefind #1237)
    a page containing the query is not found (十字 in 红十字, 细胞 in 造血干细胞). Indexed
    character by character, and queried as an exact phrase of characters (search.js),
    the two cannot disagree: a query finds every page that contains it. Pagefind
    splits on the zero-width space and joins excerpts without spaces.
    """
    return "".join(part if part.startswith("<") else _HAN_RUN.sub(_spaced, part) for part in _TAG.split(html))


def _spaced(match: re.Match[str]) -> str:
    return ZWSP.join(match.group())


@dataclass(frozen=True)
class Record:
    """One page of the index: its address, the HTML Pagefind reads, and the facts results show."""

    url: str  # site-root-relative, e.g. /stories/slug/
    html: str


@dataclass(frozen=True)
class Facts:
    """What a result shows beside its title and excerpt, and what it is filtered by."""

    kind: str  # story | lecture | narrative | page
    date: str = ""  # Chinese display date
    iso: str = ""  # YYYY-MM-DD, the newest-first sort key
    city: str = ""
    narratives: tuple[tuple[str, str], ...] = ()  # (key, label)
    image: str = ""  # site-root-relative thumbnail
    image_alt: str = ""

    def meta(self) -> dict[str, str]:
        meta = {"kind": KIND_LABELS[self.kind]}
        optional = {"date": self.date, "city": self.city, "image": self.image, "image_alt": self.image_alt,
                    "narratives": "|".join(f"{k}:{label}" for k, label in self.narratives)}
        meta.update({k: v for k, v in optional.items() if v})
        return meta

    def filters(self) -> dict[str, list[str]]:
        filters = {"kind": [KIND_LABELS[self.kind]]}
        if self.narratives:
            filters["narrative"] = [label for _, label in self.narratives]
        if self.city:
            filters["city"] = [self.city]
        if self.iso:
            filters["year"] = [self.iso[:4]]
        return filters

    def sort(self) -> dict[str, str]:
        return {"date": self.iso} if self.iso else {}


def indexed_kind(src_uri: str, *, is_entry: bool, listing_narrative: str | None, listing_number: int,
                 is_listing: bool, is_homepage: bool) -> str | None:
    """Whether a page is indexed, and as what: entries, a narrative's first index page and plain
    pages; never the home page, other listings (paginated, archives), or the results page."""
    if is_entry:
        return "entry"
    if is_listing:
        return "narrative" if listing_narrative and listing_number == 1 else None
    if is_homepage or src_uri == SEARCH_PAGE:
        return None
    return "page"


def entry_facts(entry: Entry, vocab: Vocabulary, date: str, thumb: str = "") -> Facts:
    return Facts(
        kind=entry.kind, date=date, iso=f"{entry.date:%Y-%m-%d}", city=entry.city,
        narratives=tuple((key, vocab[key].label) for key in entry.tags),
        image=thumb, image_alt=entry.cover.alt if thumb and entry.cover else "",
    )


def _attrs(name: str, values: dict[str, str] | dict[str, list[str]]) -> str:
    """Empty elements carrying Pagefind metadata (`data-pagefind-meta="key:value"`)."""
    out = []
    for key, value in values.items():
        for one in value if isinstance(value, list) else [value]:
            out.append(f'<span data-pagefind-{name}="{escape(key)}:{escape(one)}"></span>')
    return "".join(out)


def narrative_terms(entry: Entry, vocab: Vocabulary) -> str:
    """An entry's narratives with their aliases, indexed with it: the aliases act as synonyms
    (义工 finds the 志愿服务 stories) without a second query in the browser.

    A name inside another one is left out (志愿 and 志愿者 inside 志愿服务, 红十字志愿者): the
    browser asks for Chinese as an exact phrase of characters, which finds it there too, and
    each repeat would add its characters' positions to the index chunks a query fetches.
    """
    parts = []
    for key in entry.tags:
        narrative = vocab[key]
        names = list(dict.fromkeys((narrative.label, *narrative.aliases)))
        kept = [n for n in names if not any(n != other and n in other for other in names)]
        parts.append(kept[0] + (f"（{'、'.join(kept[1:])}）" if len(kept) > 1 else ""))
    return "专题：" + "；".join(parts) if parts else ""


_SPACE = re.compile(r"\s+")


def lead_unless_in_body(lead: str, body_html: str) -> str:
    """The lead to index, or "" when the body already says it (a summary taken from the first
    paragraph): indexed twice, its characters' positions would be in the index chunks twice."""
    stem = _SPACE.sub("", lead).rstrip("…")
    if not stem:
        return ""
    text = _SPACE.sub("", unescape("".join(p for p in _TAG.split(body_html) if not p.startswith("<"))))
    return "" if stem in text else lead


def page_record(url: str, title: str, body_html: str, facts: Facts, lead: str = "", terms: str = "",
                pinyin: str = "") -> Record:
    """The HTML Pagefind indexes for one page: its title, a lead paragraph and its rendered body.

    Only this is indexed, not the page's header, nav or footer, so every page does not match
    the site name and the tab labels. `body_html` is the page's own rendered HTML (already
    escaped by Markdown); every other text comes from content and is escaped here.
    `pinyin` (pinyin_meta) goes into a meta field: Pagefind finds a page by its meta words,
    but never shows them in an excerpt, and the page stays one record (one entry in
    Pagefind's metadata, one count per filter value).
    """
    fields = {"title": title, **facts.meta(), **({PINYIN_META: pinyin} if pinyin else {})}
    meta = _attrs("meta", fields) + _attrs("filter", facts.filters()) + _attrs("sort", facts.sort())
    text = (
        f"<h1>{escape(title)}</h1>"
        + (f"<p>{escape(lead)}</p>" if lead else "")
        + body_html
        # Weighted low: a page that says 义工 ranks above one only tagged with its narrative.
        + (f'<p data-pagefind-weight="0.5">{escape(terms)}</p>' if terms else "")
    )
    html = (
        '<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head><body><main data-pagefind-body>"
        + split_han(text) + meta + "</main></body></html>"
    )
    return Record(url, html)


@dataclass(frozen=True)
class PageSource:
    """What the index needs of one page; `record` makes its Record (in the search worker)."""

    url: str
    title: str
    body_html: str  # the page's own rendered Markdown
    facts: Facts
    lead: str = ""
    lead_unless_in_body: bool = False  # a summary: left out when the body already says it
    terms: str = ""  # narrative_terms
    pinyin: bool = False  # the title's pinyin tokens in the record (pinyin_meta)


def record(source: PageSource) -> Record:
    lead = lead_unless_in_body(source.lead, source.body_html) if source.lead_unless_in_body else source.lead
    return page_record(source.url, source.title, source.body_html, source.facts, lead, source.terms,
                       pinyin_meta(source.title) if source.pinyin else "")


def lecture_lead(lecture: Lecture) -> str:
    """Speakers, venue and city of a lecture: found by search, though not in its Markdown body."""
    speakers = "、".join(s.name + (f"（{s.affiliation}）" if s.affiliation else "") for s in lecture.speakers)
    return "　".join(x for x in (speakers, lecture.venue, lecture.city) if x)


def _blanks(chunk: str) -> Any:
    """One "" per character pypinyin cannot read (its stub types `errors` as returning str,
    but a list, one item per character, is what keeps syllables aligned with the title)."""
    return [""] * len(chunk)


def pinyin_tokens(title: str) -> list[str]:
    """Full-pinyin and initials tokens of a title's Han characters: for every character, the
    pinyin of it and up to PINYIN_SPAN - 1 following ones (zhiyuanzhe, zyz -> 志愿者)."""
    from pypinyin import lazy_pinyin  # imported late: only the search worker reads pinyin

    # One pypinyin call per title (its phrase data reads polyphones); anything it cannot
    # read, Latin and punctuation included, becomes "" and ends a run.
    syllables = lazy_pinyin(title, errors=_blanks)
    if len(syllables) != len(title):
        syllables = [(lazy_pinyin(c, errors=_blanks) or [""])[0] for c in title]
    tokens: list[str] = []
    for run in _runs(syllables):
        initials = [s[0] for s in run]
        for i in range(len(run)):
            tokens.append("".join(run[i : i + PINYIN_SPAN]))
            tokens.append("".join(initials[i : i + 2 * PINYIN_SPAN]))
    return list(dict.fromkeys(tokens))


def _runs(syllables: list[str]) -> list[list[str]]:
    runs: list[list[str]] = [[]]
    for syllable in syllables:
        if syllable.isascii() and syllable.isalpha():
            runs[-1].append(syllable)
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if run]


def pinyin_meta(title: str) -> str:
    """A title's pinyin tokens, space-separated: Pagefind indexes each word of a meta field."""
    return " ".join(pinyin_tokens(title))


def traditional_to_simplified() -> dict[str, str]:
    """OpenCC's character table (opencc-python-reimplemented ships OpenCC's TSCharacters.txt)."""
    text = resources.files("opencc").joinpath("dictionary/TSCharacters.txt").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        trad, _, simp = line.partition("\t")
        simp = simp.split(" ")[0]
        if len(trad) == 1 and len(simp) == 1 and trad != simp:
            table[trad] = simp
    return table


def t2s_shards() -> dict[str, bytes]:
    """search/t2s/NN.json: OpenCC's Traditional -> Simplified pairs, NN = code point % T2S_SHARDS.

    Each shard is one JSON string, two characters a pair (smaller than an object), sorted:
    the same bytes every build. Every shard is written, so the browser can ask for the
    shard of any character without a 404.
    """
    shards: list[list[str]] = [[] for _ in range(T2S_SHARDS)]
    for trad, simp in sorted(traditional_to_simplified().items()):
        shards[ord(trad) % T2S_SHARDS].append(trad + simp)
    return {urls.t2s_shard(n): json.dumps("".join(pairs), ensure_ascii=False).encode("utf-8")
            for n, pairs in enumerate(shards)}


def sort_files(sorts: dict[str, list[str]]) -> dict[str, bytes]:
    """search/sort-KEY.json: Pagefind's page ids in the order of a sort key, oldest first.

    Taken out of Pagefind's metadata (outputs/search/merge.py), which every query loads: only the
    results page fetches it, when the reader sorts by date.
    """
    return {urls.search_sort(key): json.dumps(ids, separators=(",", ":")).encode("utf-8")
            for key, ids in sorted(sorts.items())}


def browser_config() -> dict[str, str | int]:
    """What search.js must know of the build, from each rule's owner (urls.py, this module): the
    template writes it into every page's search box (partials/search.html, `data-rc-search`), so
    the script holds no copy. Bytes in the page, nothing fetched before the reader searches."""
    return {"search": urls.SEARCH, "pagefind": urls.PAGEFIND_JS, "t2s": urls.SEARCH_T2S, "shards": T2S_SHARDS,
            "first": T2S_FIRST, "sort": urls.search_sort("{}"), "narrative": urls.narrative("{}"),
            "pinyin": PINYIN_META}


def results_page_markdown() -> str:
    """The generated /search/ page: front matter only; the template draws the form and results."""
    return "---\ntitle: 搜索\ntemplate: rc-search.html\n---\n"
