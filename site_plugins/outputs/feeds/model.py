"""A feed and its items, format-neutral: what RSS, Atom and JSON Feed are each rendered from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from site_plugins import urls
from site_plugins.outputs.feeds.podcast import Enclosure


@dataclass(frozen=True)
class Item:
    """One feed entry, format-neutral; every URL in it is absolute."""

    id: str
    title: str
    url: str
    published: datetime
    updated: datetime
    authors: tuple[str, ...]
    categories: tuple[str, ...]  # narrative labels
    summary: str
    content: str  # HTML
    image: str | None = None
    enclosure: Enclosure | None = None
    transcript: tuple[str, str] | None = None  # (absolute URL, MIME type)


@dataclass(frozen=True)
class Channel:
    """One feed: what it is called, where it lives, which page it describes."""

    title: str
    description: str
    home: str  # absolute URL of the HTML page the feed mirrors
    folder: str  # absolute URL of the folder holding feed.xml / atom.xml / feed.json
    publisher: str
    categories_url: str  # absolute URL naming the narrative scheme
    logo: str | None = None  # absolute URL of a PNG/JPEG logo, if there is one
    icon: str | None = None
    rights: str = ""

    def url(self, fmt: str) -> str:
        return self.folder + urls.FEED_FILES[fmt]
