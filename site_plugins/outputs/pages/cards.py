"""A listing's parts: an entry's card, a page of cards, pagination, links and the narrative index.

Listings and the home page are both drawn from these.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from site_plugins import urls
from site_plugins.content.catalog import Edition
from site_plugins.content.dates import zh_date
from site_plugins.content.schema import Entry, Lecture, Story


@dataclass(frozen=True)
class Thumb:
    """A listing card's picture: WebP at 1x, and at 2x when the source is large enough."""

    src: str  # site path
    width: int
    height: int
    src2x: str = ""


@dataclass(frozen=True)
class ListingCard:
    """What a listing shows of one entry."""

    url: str
    title: str
    date: str
    iso: str
    summary: str
    city: str = ""
    minutes: int = 0
    status: str = ""
    thumb: Thumb | None = None
    thumb_alt: str = ""  # empty for a narrative's placeholder (decorative: the title says it all)
    placeholder: str = ""  # narrative key, when `thumb` is that narrative's placeholder


@dataclass(frozen=True)
class Group:
    heading: str
    cards: tuple[ListingCard, ...]


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    count: int = 0
    description: str = ""


@dataclass(frozen=True)
class Listing:
    """One generated page: its address, title and what it lists."""

    url: str  # e.g. narratives/volunteer/page/2/
    title: str
    description: str = ""
    groups: tuple[Group, ...] = ()
    links: tuple[Link, ...] = ()
    number: int = 1
    pages: int = 1
    previous: str = ""
    next: str = ""
    narrative: str = ""  # key, on a narrative's pages
    section: str = ""  # stories | lectures | narratives

    @property
    def src_uri(self) -> str:
        return urls.source(self.url)



def paginate(items: Sequence[ListingCard], size: int) -> list[tuple[ListingCard, ...]]:
    """Split into pages of `size`; an empty list still has one (empty) page."""
    return [tuple(items[i * size : (i + 1) * size]) for i in range(urls.page_count(len(items), size))]


def paged(base: str, title: str, cards: Sequence[ListingCard], size: int, **extra: Any) -> list[Listing]:
    """A paginated listing: one Listing per page, linked previous/next."""
    chunks = paginate(cards, size)
    total = len(chunks)
    out = []
    for number, chunk in enumerate(chunks, start=1):
        out.append(Listing(
            url=urls.page(base, number),
            title=title if number == 1 else f"{title} · 第\u00a0{number}\u00a0页",
            groups=(Group("", chunk),),
            number=number, pages=total,
            previous=urls.page(base, number - 1) if number > 1 else "",
            next=urls.page(base, number + 1) if number < total else "",
            **extra,
        ))
    return out


class ListingCardMaker:
    """Makes each entry's card once; listings share them."""

    def __init__(self, now_iso: Callable[[Lecture], str], thumbs: dict[str, Thumb],
                 placeholders: dict[str, Thumb] | None = None) -> None:
        self._status = now_iso
        self._thumbs = thumbs
        self._placeholders = placeholders or {}
        self._cards: dict[str, ListingCard] = {}

    def __call__(self, entry: Entry) -> ListingCard:
        card = self._cards.get(entry.source)
        if card is None:
            thumb = self._thumbs.get(entry.cover.src) if entry.cover else None
            placeholder = ""
            if thumb is None:  # every card gets a picture: its first narrative's placeholder
                placeholder = next((t for t in entry.tags if t in self._placeholders), "")
                thumb = self._placeholders.get(placeholder)
            card = ListingCard(
                url=entry.url, title=entry.title, date=zh_date(entry.date),
                iso=entry.date.isoformat(), summary=entry.summary, city=entry.city,
                minutes=entry.reading_minutes if isinstance(entry, Story) else 0,
                status=self._status(entry) if isinstance(entry, Lecture) else "",
                thumb=thumb, thumb_alt=entry.cover.alt if entry.cover and not placeholder else "",
                placeholder=placeholder,
            )
            self._cards[entry.source] = card
        return card


def lecture_status(edition: Edition) -> Callable[[Lecture], str]:
    def status(lecture: Lecture) -> str:
        if lecture.cancelled:
            return "已取消"
        return "即将举行" if lecture.is_upcoming(edition.now) else "已举办"

    return status


def by_narrative(stories: Sequence[Story]) -> dict[str, list[Story]]:
    """Stories of each narrative key, in the given (newest-first) order."""
    index: dict[str, list[Story]] = defaultdict(list)
    for story in stories:
        for key in story.tags:
            index[key].append(story)
    return index
