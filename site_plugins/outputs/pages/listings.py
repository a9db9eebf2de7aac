"""Listing pages built from the edition: narrative indexes, story and lecture lists,
archives, related stories and the home page's sections.

Every function here is linear (or N log N) in the number of entries, so 5,000
stories cost about ten times 500; pages are described as data (`Listing`),
and the templates only draw them.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from site_plugins import urls
from site_plugins.content.catalog import Edition
from site_plugins.content.reuse import keeping
from site_plugins.content.schema import Story
from site_plugins.content.vocabulary import Vocabulary
from site_plugins.outputs.pages.cards import (
    Group,
    Link,
    Listing,
    ListingCard,
    ListingCardMaker,
    Thumb,
    by_narrative,
    lecture_status,
    paged,
    paginate,
)
from site_plugins.outputs.pages.home import Home, home_page
from site_plugins.settings import ImagesOptions


@dataclass
class Listings:
    """Every generated page of one build, plus the per-story and home-page extras."""

    pages: list[Listing] = field(default_factory=list)
    related: dict[str, tuple[ListingCard, ...]] = field(default_factory=dict)
    home: Home | None = None


def build_listings(edition: Edition, vocab: Vocabulary, thumbs: dict[str, Thumb],
                   page_size: int = 12, related_count: int = 4, home_count: int = 3,
                   placeholders: dict[str, Thumb] | None = None,
                   picture_sizes: str = ImagesOptions.sizes) -> Listings:
    """All listing pages of the site for this edition; `picture_sizes` is rc-images' `sizes`."""
    card = ListingCardMaker(lecture_status(edition), thumbs, placeholders)
    stories = edition.stories
    index = by_narrative(stories)
    result = Listings()
    pages = result.pages

    pages.append(Listing(
        url=urls.NARRATIVES, title="专题", section="narratives",
        description="按专题浏览红十字大讲堂的故事。",
        links=tuple(Link(n.label, n.url, len(index.get(n.key, ())), n.description) for n in vocab.narratives),
    ))
    for narrative in vocab.narratives:
        pages += paged(narrative.url, narrative.label, [card(s) for s in index.get(narrative.key, ())],
                       page_size, description=narrative.description, narrative=narrative.key,
                       section="narratives")

    pages += paged(urls.STORIES, "故事", [card(s) for s in stories], page_size,
                   description="全部故事，最新的在前。", section="stories")
    years = [(year, list(group)) for year, group in groupby(stories, key=lambda s: s.date.year)]
    pages.append(Listing(
        url=urls.ARCHIVE, title="故事归档", section="stories",
        description="按年份浏览全部故事。",
        links=tuple(Link(f"{year}年", urls.archive_year(year), len(group)) for year, group in years),
    ))
    for year, group in years:
        pages.append(Listing(url=urls.archive_year(year), title=f"{year}年的故事", section="stories",
                             groups=(Group("", tuple(card(s) for s in group)),)))

    pages += lecture_pages(edition, card, page_size)
    by_source = {s.source: s for s in stories}
    result.related = {src: tuple(card(by_source[r]) for r in related)
                      for src, related in related_sources(stories, related_count).items()}
    result.home = home_page(edition, vocab, index, card, home_count, picture_sizes)
    return result


def lecture_pages(edition: Edition, card: ListingCardMaker, page_size: int) -> list[Listing]:
    """/lectures/: upcoming (soonest first) and cancelled ones on the first page, then held ones
    by year, paginated."""
    upcoming = [lec for lec in edition.upcoming() if not lec.cancelled]
    cancelled = [lec for lec in edition.upcoming() if lec.cancelled]
    held = [lec for lec in edition.lectures if not lec.is_upcoming(edition.now)]
    chunks = paginate([card(lec) for lec in held], page_size)
    year_of = {card(lec).url: lec.date.year for lec in held}
    out = []
    for number, chunk in enumerate(chunks, start=1):
        groups = []
        if number == 1:
            groups.append(Group("即将举行", tuple(card(lec) for lec in upcoming)))
            if cancelled:
                groups.append(Group("已取消", tuple(card(lec) for lec in cancelled)))
        for year, cards in groupby(chunk, key=lambda c: year_of[c.url]):
            groups.append(Group(f"{year}年 · 已举办", tuple(cards)))
        out.append(Listing(
            url=urls.page(urls.LECTURES, number),
            title="大讲堂" if number == 1 else f"大讲堂 · 第\u00a0{number}\u00a0页",
            description="红十字大讲堂的讲座预告与记录。" if number == 1 else "",
            groups=tuple(groups), number=number, pages=len(chunks), section="lectures",
            previous=urls.page(urls.LECTURES, number - 1) if number > 1 else "",
            next=urls.page(urls.LECTURES, number + 1) if number < len(chunks) else "",
        ))
    return out


_RELATED: list[Any] = [None, {}]  # the last build's (what the choice reads, the choice)


def related_sources(stories: Sequence[Story], count: int) -> dict[str, tuple[str, ...]]:
    """Each story's related stories (their sources). The choice reads only narratives, dates and
    files: the preview's rebuild after an edit that changes none of them takes the last build's."""
    reads = (count, tuple((s.source, s.date, s.tags) for s in stories))
    if _RELATED[0] == reads:
        return dict(_RELATED[1])
    index = RelatedIndex(stories)
    chosen = {s.source: tuple(r.source for r in index.related(s, count)) for s in stories}
    _RELATED[:] = [reads if keeping() else None, chosen if keeping() else {}]
    return dict(chosen)


class RelatedIndex:
    """Finds, for any story, the stories sharing the most narratives, then nearest in time.

    Stories are grouped by their exact set of narratives (a handful of groups);
    within a group the nearest in time are found by bisection, so a lookup costs
    groups x log N instead of N, and all lookups together stay N log N.
    """

    def __init__(self, stories: Sequence[Story]) -> None:
        groups: dict[frozenset[str], list[Story]] = defaultdict(list)
        for s in sorted(stories, key=lambda s: (s.date, s.source)):  # oldest first
            groups[frozenset(s.tags)].append(s)
        self._groups = [(tags, members, [m.date.timestamp() for m in members])
                        for tags, members in groups.items()]

    def related(self, story: Story, count: int = 4) -> list[Story]:
        mine = set(story.tags)
        when = story.date.timestamp()
        candidates: list[tuple[int, float, str, Story]] = []
        for tags, members, times in self._groups:
            shared = len(mine & tags)
            if not shared:
                continue
            # the best of a group are the `count` nearest on either side (one may be the story itself)
            pos = bisect.bisect_left(times, when)
            for i in range(max(0, pos - count - 1), min(len(members), pos + count + 1)):
                other = members[i]
                if other.source != story.source:
                    candidates.append((-shared, abs(times[i] - when), other.source, other))
        candidates.sort(key=lambda c: c[:3])
        return [c[3] for c in candidates[:count]]
