"""Entries -> feed items, and items -> RSS 2.0 / Atom 1.0 bytes (feedgen).

Pure functions of their inputs: the same entries give the same bytes. A feed's
own date is its newest item's `updated`, never the clock, and feedgen's
clock-based defaults (lastBuildDate, generator version) are overridden. No
item is dated in the future: an upcoming lecture is dated by its announcement
and waits until then (`select`). An item's id is `urn:uuid:<id>` from the
front matter, so it survives a new title, slug or file name. No feed names a
stylesheet: browsers are dropping XSLT, so a person is sent to /subscribe/ instead.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from dataclasses import fields, replace
from datetime import datetime
from typing import Any, TypeVar

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem
from lxml import etree

from site_plugins import urls
from site_plugins.content.dates import SHANGHAI
from site_plugins.content.invisible import INVISIBLE_RE
from site_plugins.content.schema import Audio, Entry, Lecture, Story, is_public
from site_plugins.content.vocabulary import Vocabulary
from site_plugins.outputs.feeds import jsonfeed, podcast
from site_plugins.outputs.feeds.entryhtml import absolutize, lecture_facts
from site_plugins.outputs.feeds.model import Channel, Item
from site_plugins.outputs.feeds.podcast import Episode, Podcast, enclosure
from site_plugins.outputs.pages.seo import SiteInfo

RSS_MIME = "application/rss+xml"
ATOM_MIME = "application/atom+xml"
JSON_MIME = "application/feed+json"
ICS_MIME = "text/calendar"
OPML_MIME = "text/x-opml"
# Format -> file name; "podcast" is RSS with the podcast tags, beside the plain lectures feed.
FILES = urls.FEED_FILES
MIMES = {"rss": RSS_MIME, "atom": ATOM_MIME, "json": JSON_MIME, "podcast": RSS_MIME}
GENERATOR = "rc-lecture-hall"
LANGUAGE = "zh-CN"
# A feed with no entries still needs a date that is not the clock.
EPOCH = datetime(2000, 1, 1, tzinfo=SHANGHAI)
MEDIA_NS = "http://search.yahoo.com/mrss/"


def entry_id(uuid: str) -> str:
    """The permanent feed id of an entry: a URN of the UUID in its front matter."""
    return f"urn:uuid:{uuid.lower()}"


def feed_date(entry: Entry, episode: bool = False) -> datetime:
    """An entry's date in a feed: `published` (a lecture's announcement); a podcast episode's is the
    lecture's own date, since its recording exists only once the lecture is held."""
    return entry.date if episode else entry.published


def item(entry: Story | Lecture, site: SiteInfo, vocab: Vocabulary, body_html: str, audio: Audio | None = None,
         image_url: Callable[[str], str] = lambda src: src, episode: bool = False) -> Item:
    """The feed entry of a story or lecture; `body_html` is its rendered page content, `audio` a
    lecture's published recording.

    `image_url` maps a content image path to the site path of the image to show
    (the image adapter may publish a resized variant); `episode`: dated as a podcast episode.
    """
    url = site.absolute(entry.url)
    image = site.absolute(image_url(entry.cover.src)) if entry.cover else None
    parts = []
    if image and entry.cover:
        parts.append(f'<figure><img src="{html.escape(image)}" alt="{html.escape(entry.cover.alt)}"></figure>')
    media, transcript = None, None
    if isinstance(entry, Lecture):
        media = enclosure(audio, site)
        parts.append(lecture_facts(entry, site, media))
        authors = tuple(s.name for s in entry.speakers)
        if entry.transcript is not None:
            transcript = (site.absolute(entry.transcript.file), entry.transcript.type)
    else:
        authors = tuple(a.name for a in entry.authors)
    parts.append(absolutize(body_html, url))
    return Item(
        id=entry_id(entry.id), title=entry.title, url=url,
        published=feed_date(entry, episode), updated=max(entry.revised, feed_date(entry, episode)), authors=authors,
        categories=tuple(vocab[t].label for t in entry.tags), summary=entry.summary,
        content="\n".join(parts), image=image, enclosure=media, transcript=transcript,
    )


def waiting(entries: Iterable[Entry], now: datetime) -> list[Entry]:
    """Published entries a feed does not carry yet: their feed date (a lecture's announcement) is ahead."""
    return [e for e in entries if is_public(e, now) and e.published > now]


def select(entries: Iterable[Entry], now: datetime, limit: int, episode: bool = False) -> list[Entry]:
    """What a feed holds: no drafts, nothing dated after `now`; newest first; at most `limit`."""
    kept = [e for e in entries if is_public(e, now) and feed_date(e, episode) <= now]
    return sorted(kept, key=lambda e: (feed_date(e, episode), e.id), reverse=True)[:limit]


def updated(items: Sequence[Item]) -> datetime:
    """The feed's own date: its newest entry's modification, never the clock."""
    return max((i.updated for i in items), default=EPOCH)


class _Media(BaseExtension):
    """Declares the Media RSS namespace (feedgen's own extension wraps a thumbnail in a
    media:group, which must hold several media:content: an error to the W3C validator)."""

    def extend_ns(self) -> dict[str, str]:
        return {"media": MEDIA_NS}


class _EntryExtras(BaseEntryExtension):
    """media:thumbnail for RSS and Atom, and Atom's entry <link>s. feedgen 1.0 drops rel, type and
    length from Atom entry links, which would turn a recording into the entry's alternate link."""

    def __init__(self) -> None:
        self.links: list[dict[str, str]] = []
        self.thumbnail: str | None = None

    def _thumbnail(self, element: Any) -> None:
        if self.thumbnail:
            xml_elem(f"{{{MEDIA_NS}}}thumbnail", element, url=self.thumbnail)

    def extend_rss(self, entry: Any) -> Any:
        self._thumbnail(entry)
        return entry

    def extend_atom(self, entry: Any) -> Any:
        for attrs in self.links:
            xml_elem("link", entry, **attrs)
        self._thumbnail(entry)
        return entry


def _links(it: Item) -> list[dict[str, str]]:
    links = [{"href": it.url, "rel": "alternate", "type": "text/html"}]
    if it.enclosure is not None:
        enc = it.enclosure
        links.append({"href": enc.url, "rel": "enclosure", "type": enc.type, "length": str(enc.length)})
    return links


def _generator(channel: Channel, items: Sequence[Item], atom: bool = False) -> FeedGenerator:
    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=True)  # dc:creator: RSS <author> demands an e-mail address
    fg.register_extension("rcmedia", _Media, _EntryExtras, atom=True, rss=True)
    fg.id(channel.home)
    fg.title(channel.title)
    fg.subtitle(channel.description)
    fg.author({"name": channel.publisher})
    fg.language(LANGUAGE)
    fg.generator(GENERATOR)  # no version, no URL: bytes must not change with the library
    fg.updated(updated(items))  # also lastBuildDate, which feedgen would otherwise take from the clock
    if channel.rights:
        fg.rights(channel.rights)
    if channel.logo:
        fg.logo(channel.logo)
    if channel.icon:
        fg.icon(channel.icon)
    # feedgen keeps entries in reverse order of adding unless told to append.
    for it in items:
        fe = fg.add_entry(order="append")
        fe.id(it.id)  # also the RSS guid, isPermaLink="false"
        fe.title(it.title)
        if atom:
            fe.rcmedia.links = _links(it)
        else:
            fe.link(_links(it))  # RSS: <link> from rel=alternate, <enclosure> from rel=enclosure
        fe.rcmedia.thumbnail = it.image
        fe.published(it.published)
        fe.updated(it.updated)
        for name in it.authors:
            fe.author({"name": name})
            fe.dc.dc_creator(name)
        for label in it.categories:
            fe.category(term=label, label=label, scheme=channel.categories_url)
        fe.content(it.content, type="html")
        fe.summary(it.summary)
    return fg


def _bytes(doc: Any) -> bytes:
    """Serialise: the XML declaration, then the root element (no processing instruction)."""
    return etree.tostring(doc, pretty_print=True, encoding="UTF-8", xml_declaration=True)


def atom(channel: Channel, items: Sequence[Item]) -> bytes:
    """Atom 1.0 (RFC 4287) bytes."""
    fg = _generator(channel, items, atom=True)
    fg.link(href=channel.url("atom"), rel="self", type=ATOM_MIME)
    fg.link(href=channel.home, rel="alternate", type="text/html")
    _, doc = fg._create_atom()
    return _bytes(doc)


def rss(channel: Channel, items: Sequence[Item], settings: Podcast | None = None) -> bytes:
    """RSS 2.0 bytes; with `settings`, the podcast feed (iTunes and Podcasting 2.0 tags)."""
    fg = _generator(channel, items)
    # RSS takes its <link> from the last alternate link and the atom:link self from rel=self.
    fg.link(href=channel.url("podcast" if settings else "rss"), rel="self", type=RSS_MIME)
    fg.link(href=channel.home, rel="alternate", type="text/html")
    # RSS readers take <description> as HTML (Atom says so with type="text"): escaped once more.
    fg.description(html.escape(channel.description, quote=False))
    for fe, it in zip(fg.entry(), items, strict=True):
        fe.description(html.escape(it.summary, quote=False))
    if channel.logo:
        fg.image(url=channel.logo, title=channel.title, link=channel.home)
    if settings is not None:
        episodes = [Episode(it.summary, it.authors, it.image, it.enclosure, it.transcript) for it in items]
        podcast.register(fg, fg.entry(), episodes, settings, channel.publisher, channel.url("podcast"),
                         channel.description)
    _, doc = fg._create_rss()
    return _bytes(doc)


_R = TypeVar("_R", "Channel", "Item")


def _xml_safe(record: _R) -> _R:
    """`record` with characters XML cannot hold removed from its text fields."""
    changes: dict[str, Any] = {}
    for f in fields(record):
        value = getattr(record, f.name)
        if isinstance(value, str) and INVISIBLE_RE.search(value):
            changes[f.name] = INVISIBLE_RE.sub("", value)
        elif isinstance(value, tuple) and value and isinstance(value[0], str):
            changes[f.name] = tuple(INVISIBLE_RE.sub("", v) for v in value)
    return replace(record, **changes) if changes else record


def render(fmt: str, channel: Channel, items: Sequence[Item], settings: Podcast | None = None) -> bytes:
    """The bytes of one feed file: `fmt` is a key of FILES."""
    # Content is cleaned where it is read; this is the last guard for text from anywhere else
    # (site name, a template), since lxml refuses characters XML cannot hold.
    channel, items = _xml_safe(channel), [_xml_safe(it) for it in items]
    if fmt == "rss":
        return rss(channel, items)
    if fmt == "podcast":
        return rss(channel, items, settings or Podcast())
    if fmt == "atom":
        return atom(channel, items)
    if fmt == "json":
        return jsonfeed.json_feed(channel, items, LANGUAGE)
    raise ValueError(f"unknown feed format {fmt!r}")
