"""What `prepare` hands the engine and `finish`: one immutable description of a build."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

from site_plugins.check.checker import Report
from site_plugins.content.catalog import AUTHORS_FILE, VOCABULARY_FILE, Catalog, Edition
from site_plugins.content.problems import ContentError, Problem
from site_plugins.content.schema import RASTER_SUFFIXES, Lecture, Story
from site_plugins.media.audio import AUDIO_SUFFIXES
from site_plugins.outputs.feeds.subscribe import FeedSet
from site_plugins.outputs.pages.cards import Listing
from site_plugins.outputs.pages.listings import Listings
from site_plugins.outputs.pages.pageview import PageInfo
from site_plugins.outputs.pages.seo import SiteInfo
from site_plugins.outputs.published import Published
from site_plugins.settings import Settings


class PrepareError(Exception):
    """The build cannot go on: the content's problems (each at its file, line and field), or one message."""

    def __init__(self, problems: list[Problem] | None = None, message: str = "",
                 notices: list[Problem] | None = None) -> None:
        self.problems = sorted(problems or [])
        self.notices = sorted(notices or [])
        self.message = message
        super().__init__(message or self.shown())

    def shown(self, show: Callable[[str], str] | None = None) -> str:
        """In Chinese, paths shown by `show` (content/problems.from_cwd)."""
        return self.message or str(ContentError(self.problems, show))


def frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    """A read-only view of `mapping`."""
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Prepared:
    """A checked build, its media published and every page described, before the engine renders."""

    settings: Settings
    site: SiteInfo
    preview: bool
    report: Report  # the check's, with its notices
    catalog: Catalog
    edition: Edition
    published: Published
    listings: Listings
    listing_at: Mapping[str, Listing]  # generated listing page source -> the listing it shows
    feeds: tuple[FeedSet, ...]
    pages: Mapping[str, str]  # generated page source -> its Markdown
    infos: Mapping[str, PageInfo]  # every page source -> its address, title and description
    views: Mapping[str, Mapping[str, Any]]  # every page source (and views.NOT_FOUND) -> its `rc`
    withheld: frozenset[str]  # sources of entries this build leaves out
    notices: tuple[Problem, ...] = ()  # what the build said worth knowing (already said)
    entries: Mapping[str, Story | Lecture] = field(default_factory=dict)  # published entries by source
    newest: datetime | None = None  # the newest change of any published entry

    @property
    def now(self) -> datetime:
        return self.edition.now

    def lastmod(self, src: str) -> str:
        """A page's sitemap date: its entry's last change, or the newest of all for other pages,
        never later than the build's "now" (upcoming lectures), so one commit gives the same bytes."""
        entry = self.entries.get(src)
        when = entry.modified if entry is not None else self.newest or self.now
        return f"{min(when, self.now):%Y-%m-%d}"

    def withholds(self, src: str) -> bool:
        """Whether a file of content/ stays out of the site as it is: the vocabulary and authors, an entry
        this build leaves out, a page the core generates in its place, an original image or recording
        (published processed instead, at `published.served`)."""
        lower = src.lower()
        return (src in (VOCABULARY_FILE, AUTHORS_FILE) or src in self.withheld or src in self.pages
                or (self.has("rc-images") and lower.endswith(RASTER_SUFFIXES))
                or (self.has("rc-audio") and (lower.endswith(AUDIO_SUFFIXES) or src in self.published.served)))

    def has(self, plugin: str) -> bool:
        """Whether mkdocs.yml enables a part of the build (`rc-feeds`, `rc-search`, ...)."""
        return plugin in self.settings.plugins
