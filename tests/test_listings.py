"""Narrative indexes, pagination and related stories, in the core and in a built site."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from site_plugins import urls
from site_plugins.content.catalog import Edition
from site_plugins.content.dates import parse_when
from site_plugins.content.schema import Story
from site_plugins.content.vocabulary import parse_vocabulary
from site_plugins.outputs.pages.cards import paginate
from site_plugins.outputs.pages.listings import RelatedIndex, build_listings

pytestmark = pytest.mark.build

REPO = Path(__file__).resolve().parent.parent
VOCAB, _ = parse_vocabulary((REPO / "content" / "narratives.yml").read_text(encoding="utf-8"), "n")
NOW = parse_when("2026-11-29 12:00")[0]


def story(i: int, tags: tuple[str, ...], days: int = 0) -> Story:
    return Story(kind="story", source=f"stories/s{i}.md", id=str(i), title=f"故事{i}",
                 date=NOW - timedelta(days=days or i), tags=tags, slug=f"s{i}", body="", summary="",
                 char_count=1, reading_minutes=1)


def edition_of(stories: list[Story]) -> Edition:
    ordered = tuple(sorted(stories, key=lambda s: (s.date, s.slug), reverse=True))
    return Edition(ordered, (), (), NOW)


@pytest.mark.parametrize(("count", "pages"), [(0, 1), (1, 1), (12, 1), (13, 2), (25, 3)])
def test_pagination_edges(count: int, pages: int) -> None:
    stories = [story(i, ("volunteer",)) for i in range(1, count + 1)]
    listings = build_listings(edition_of(stories), VOCAB, {}, page_size=12)
    mine = [p for p in listings.pages if p.narrative == "volunteer"]
    assert len(mine) == pages
    listed = [c.url for p in mine for g in p.groups for c in g.cards]
    assert listed == [s.url for s in edition_of(stories).stories]  # all, once, newest first
    assert mine[0].url == "narratives/volunteer/" and mine[0].previous == ""
    assert mine[-1].next == ""
    if pages > 1:
        assert mine[1].url == "narratives/volunteer/page/2/" and mine[1].previous == "narratives/volunteer/"
        assert mine[0].next == "narratives/volunteer/page/2/"


def test_paginate_rejects_zero() -> None:
    with pytest.raises(ValueError):
        paginate([], 0)


def test_the_check_knows_every_listing_page_the_build_makes() -> None:
    """urls.listing_pages (what the check takes as existing) names exactly the pages build_listings makes."""
    stories = [story(i, (("volunteer",), ("donor", "volunteer"), ("eldercare",))[i % 3], days=i * 40)
               for i in range(1, 40)]
    listings = build_listings(edition_of(stories), VOCAB, {}, page_size=5)
    counts = {n.key: sum(1 for s in stories if n.key in s.tags) for n in VOCAB.narratives}
    expected = urls.listing_pages(counts, len(stories), {s.date.year for s in stories}, 0, 5)
    assert {p.url for p in listings.pages} == expected
    assert "narratives/volunteer/page/6/" in expected and "narratives/volunteer/page/7/" not in expected


def test_each_narrative_lists_exactly_its_stories() -> None:
    stories = [story(i, (("volunteer",), ("donor", "volunteer"), ("eldercare",))[i % 3]) for i in range(1, 40)]
    listings = build_listings(edition_of(stories), VOCAB, {}, page_size=5)
    for key in ("volunteer", "donor", "eldercare", "relief"):
        listed = {c.url for p in listings.pages if p.narrative == key for g in p.groups for c in g.cards}
        assert listed == {s.url for s in stories if key in s.tags}
    counts = {link.url: link.count for link in listings.pages[0].links}
    assert counts["narratives/volunteer/"] == 26 and counts["narratives/relief/"] == 0


def test_related_prefers_shared_narratives_then_nearest_in_time() -> None:
    me = story(1, ("donor", "volunteer"), days=100)
    both_far = story(2, ("donor", "volunteer"), days=400)
    one_near = story(3, ("volunteer",), days=101)
    one_nearer = story(4, ("donor",), days=100)
    unrelated = story(5, ("eldercare",), days=100)
    related = RelatedIndex([me, both_far, one_near, one_nearer, unrelated]).related(me, 3)
    assert related == [both_far, one_nearer, one_near]


def test_related_never_includes_itself_or_unpublished() -> None:
    stories = [story(i, ("volunteer",), days=i) for i in range(1, 30)]
    published = edition_of(stories[:20])
    listings = build_listings(published, VOCAB, {})
    for source, cards in listings.related.items():
        urls = [c.url for c in cards]
        assert 1 <= len(urls) <= 4
        assert f"stories/{Path(source).stem}/" not in urls
        assert all(u in {s.url for s in stories[:20]} for u in urls)


def test_related_is_exact_against_brute_force() -> None:
    combos = [("volunteer",), ("donor",), ("eldercare",), ("donor", "volunteer"), ("eldercare", "volunteer")]
    stories = [story(i, combos[(i * 7) % 5], days=(i * 37) % 500 + 1) for i in range(1, 300)]
    index = RelatedIndex(stories)
    for me in stories[::17]:
        brute = sorted((s for s in stories if s is not me and set(s.tags) & set(me.tags)),
                       key=lambda s: (-len(set(s.tags) & set(me.tags)), abs((s.date - me.date).total_seconds()),
                                      s.source))[:4]
        assert index.related(me, 4) == brute


def test_built_site_indexes(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site()
    tags = ["[志愿者]", "[捐赠, 义工]", "[养老]"]
    for i in range(30):
        site.story(f"s-{i}", title=f"故事{i}", date=f"2026-{1 + i % 10:02d}-{1 + i:02d}", tags=tags[i % 3])
    site.story("secret", extra="draft: true\n")
    site.build()
    out = site.site

    def links(page: Path) -> list[str]:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        return [a["href"] for a in soup.select(".rc-card__title a")]

    volunteer = [out / "narratives/volunteer/index.html", out / "narratives/volunteer/page/2/index.html"]
    listed = [h for page in volunteer for h in links(page)]
    assert len(listed) == 20 and len(set(listed)) == 20
    assert not (out / "narratives/volunteer/page/3").exists()
    assert len(links(out / "narratives/eldercare/index.html")) == 10
    assert "secret" not in "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
    home = (out / "index.html").read_text(encoding="utf-8")
    for key in ("volunteer", "donor", "eldercare"):
        assert f'href="narratives/{key}/"' in home
    assert 'href="subscribe/"' in home
    page = (out / "stories/s-1/index.html").read_text(encoding="utf-8")
    assert 'href="../../narratives/donor/"' in page and 'href="../../narratives/volunteer/"' in page
    related = re.findall(r'<aside class="rc-related".*?</aside>', page, re.S)[0]
    assert 3 <= related.count('class="rc-card"') <= 5 and "s-1/" not in related
    active = BeautifulSoup(page, "html.parser").select_one(".md-tabs__item--active a")
    assert active is not None and active.get_text(strip=True) == "故事"
    archive = (out / "stories/archive/2026/index.html").read_text(encoding="utf-8")
    assert archive.count('class="rc-card"') == 30
