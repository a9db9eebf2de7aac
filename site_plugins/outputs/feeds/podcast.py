"""The podcast side of the lectures: episode media files and the iTunes / Podcasting 2.0 tags.

Apple's required channel tags (itunes:image, itunes:category, itunes:explicit
as true/false, language) and recommended ones (itunes:author, itunes:owner
with an e-mail), plus Podcasting 2.0's podcast:guid, podcast:locked,
podcast:transcript and podcast:person. Written as feedgen extensions of our
own: feedgen's podcast extension writes itunes:explicit as yes/no, which
Apple and the W3C validator reject, and knows no podcast: namespace.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import lxml.etree  # noqa: F401  (feedgen.util uses lxml.etree without importing it)
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.util import xml_elem
from PIL import Image

from site_plugins.content.schema import Audio, artwork_type
from site_plugins.media.audio import clock
from site_plugins.outputs.pages.seo import SiteInfo

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST_NS = "https://podcastindex.org/namespace/1.0"
# The namespace of podcast:guid, fixed by the Podcasting 2.0 spec (docs/tags/guid.md).
GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
TRANSCRIPT_LANGUAGE = "zh"
_DURATION_RE = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})$")


@dataclass(frozen=True)
class Enclosure:
    """A lecture recording as a podcast episode's media file."""

    url: str  # absolute
    length: int  # bytes
    type: str  # MIME type
    duration: str  # HH:MM:SS

    @property
    def seconds(self) -> int:
        match = _DURATION_RE.match(self.duration)
        if not match:
            return 0
        hours, minutes, seconds = (int(g or 0) for g in match.groups())
        return hours * 3600 + minutes * 60 + seconds


def enclosure(audio: Audio | None, site: SiteInfo) -> Enclosure | None:
    """The published media file of a lecture's recording (`Published.audio`: its true type, length
    and duration); the one place feeds read it."""
    if audio is None:
        return None
    url = audio.url if audio.url.startswith("https://") else site.absolute(audio.url)
    return Enclosure(url, audio.bytes, audio.mime, clock(audio.seconds))


def podcast_guid(feed_url: str) -> str:
    """podcast:guid: UUIDv5 of the feed URL without its scheme and trailing slashes."""
    parts = urlsplit(feed_url)
    bare = re.sub(r"/+$", "", parts.netloc + parts.path + (f"?{parts.query}" if parts.query else ""))
    return str(uuid.uuid5(GUID_NAMESPACE, bare))


@dataclass(frozen=True)
class Podcast:
    """Channel-level settings of the podcast feed."""

    category: str = "Education"  # an Apple Podcasts category
    image: str | None = None  # absolute URL of square PNG/JPEG art, 1400-3000 px
    email: str = ""  # itunes:owner e-mail: Apple writes there to confirm ownership
    owner: str = ""  # itunes:owner name; default: the channel's publisher
    locked: bool = True  # podcast:locked: no other host may import the feed as its own
    explicit: bool = False


@dataclass(frozen=True)
class Episode:
    """What the podcast tags of one item need besides the plain RSS item."""

    summary: str
    people: tuple[str, ...] = ()
    image: str | None = None
    enclosure: Enclosure | None = None
    transcript: tuple[str, str] | None = None  # (absolute URL, MIME type)


def _text(parent: Any, tag: str, text: str, **attrs: str) -> Any:
    element = xml_elem(tag, parent, **attrs)
    element.text = text
    return element


class PodcastChannel(BaseExtension):
    """Channel tags; `settings`, `publisher`, `feed_url` and `description` are set before rendering."""

    def __init__(self) -> None:
        self.settings = Podcast()
        self.publisher = ""
        self.feed_url = ""
        self.description = ""

    def extend_ns(self) -> dict[str, str]:
        return {"itunes": ITUNES_NS, "podcast": PODCAST_NS}

    def extend_rss(self, feed: Any) -> Any:
        channel = feed[0]
        it, pc = f"{{{ITUNES_NS}}}", f"{{{PODCAST_NS}}}"
        s = self.settings
        _text(channel, it + "author", self.publisher)
        owner = xml_elem(it + "owner", channel)
        _text(owner, it + "name", s.owner or self.publisher)
        if s.email:
            _text(owner, it + "email", s.email)
        xml_elem(it + "category", channel, text=s.category)
        if s.image:
            xml_elem(it + "image", channel, href=s.image)
        _text(channel, it + "explicit", "true" if s.explicit else "false")
        _text(channel, it + "summary", self.description)
        _text(channel, it + "type", "episodic")
        _text(channel, pc + "guid", podcast_guid(self.feed_url))
        if s.email:
            _text(channel, pc + "locked", "yes" if s.locked else "no", owner=s.email)
        else:
            _text(channel, pc + "locked", "yes" if s.locked else "no")
        return feed


class PodcastItem(BaseEntryExtension):
    """Item tags from `episode`, set before rendering."""

    def __init__(self) -> None:
        self.episode = Episode("")

    def extend_rss(self, item: Any) -> Any:
        it, pc = f"{{{ITUNES_NS}}}", f"{{{PODCAST_NS}}}"
        ep = self.episode
        if ep.people:
            _text(item, it + "author", "、".join(ep.people))
        if ep.enclosure is not None:
            _text(item, it + "duration", str(ep.enclosure.seconds))
        if ep.image and artwork_type(ep.image):
            xml_elem(it + "image", item, href=ep.image)
        _text(item, it + "summary", ep.summary)
        _text(item, it + "episodeType", "full")
        if ep.transcript is not None:
            url, mime = ep.transcript
            attrs = {"url": url, "type": mime, "language": TRANSCRIPT_LANGUAGE}
            if mime == "text/vtt":
                attrs["rel"] = "captions"  # timed: apps may show it in step with the audio
            xml_elem(pc + "transcript", item, **attrs)
        for name in ep.people:
            _text(item, pc + "person", name, role="host")
        return item


def register(fg: Any, entries: list[Any], episodes: list[Episode], settings: Podcast,
             publisher: str, feed_url: str, description: str) -> None:
    """Load both extensions into a FeedGenerator and hand them their data."""
    fg.register_extension("rcpodcast", PodcastChannel, PodcastItem, atom=False, rss=True)
    ext = fg.rcpodcast
    ext.settings, ext.publisher, ext.feed_url, ext.description = settings, publisher, feed_url, description
    for fe, episode in zip(entries, episodes, strict=True):
        fe.rcpodcast.episode = episode



ART_SIZES = (1400, 3000)  # Apple: square, 1400 to 3000 px a side


def artwork_problem(path: Path) -> str:
    """Why the podcast art at `path` would be refused by Apple (square, 1400-3000 px), or ""."""
    try:
        with Image.open(path) as image:
            width, height = image.size
    except (OSError, ValueError) as exc:
        return f"播客封面 {path.name} 无法读取（{exc.__class__.__name__}）。"
    low, high = ART_SIZES
    if width != height or not low <= width <= high:
        return (f"播客封面 {path.name} 是 {width}×{height} 像素；Apple 播客要求正方形、边长 {low}–{high} 像素。"
                "请换一张图（rc-feeds 的 podcast_image）。")
    return ""
