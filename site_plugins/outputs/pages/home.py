"""The home page, laid out for a reader on a phone.

First screen: one featured story with its picture. Then the newest stories of
each narrative, then the lectures still to come (soonest first; cancelled and
held ones live on /lectures/), then the narratives and the subscribe links,
each in a block of its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from site_plugins.content.catalog import Edition
from site_plugins.content.schema import Story
from site_plugins.content.vocabulary import Narrative, Vocabulary
from site_plugins.outputs.pages.cards import Link, ListingCard, ListingCardMaker


@dataclass(frozen=True)
class Section:
    narrative: Narrative
    cards: tuple[ListingCard, ...]


@dataclass(frozen=True)
class Home:
    featured: ListingCard | None
    sections: tuple[Section, ...]
    upcoming: tuple[ListingCard, ...]
    narratives: tuple[Link, ...]
    sizes: str  # the featured picture's `sizes`: the column every page's pictures fill (rc-images' option)


def featured_story(stories: Sequence[Story]) -> Story | None:
    """The editor's pick (the newest with `featured: true`), else the newest story with a cover,
    else the newest story. `stories` are newest first."""
    return (next((s for s in stories if s.featured), None)
            or next((s for s in stories if s.cover is not None), None)
            or next(iter(stories), None))


def home_page(edition: Edition, vocab: Vocabulary, index: Mapping[str, Sequence[Story]],
              card: ListingCardMaker, count: int, sizes: str) -> Home:
    """The home page's blocks; `index` holds each narrative's stories, newest first."""
    top = featured_story(edition.stories)
    sections = []
    for narrative in vocab.narratives:
        # The featured story is already on screen: the section shows the next ones.
        stories = [s for s in index.get(narrative.key, ()) if s is not top][:count]
        if stories:
            sections.append(Section(narrative, tuple(card(s) for s in stories)))
    upcoming = tuple(card(lec) for lec in edition.upcoming() if not lec.cancelled)[:count]
    links = tuple(Link(n.label, n.url, len(index.get(n.key, ())), n.description) for n in vocab.narratives)
    return Home(card(top) if top else None, tuple(sections), upcoming, links, sizes)
