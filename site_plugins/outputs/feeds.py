"""Entries -> RSS 2.0, Atom 1.0, JSON Feed 1.1 and podcast bytes (feedgen).

Pure functions of their inputs: the same entries give the same bytes. A feed's
own date is its newest entry's `modified`, never the clock, and feedgen's
clock-based defaults (lastBuildDate, generator version) are overridden.
An entry's id is `urn:uuid:<id>` from the front matter, so it survives a new
title, slug or file name.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime
from html.parser import HTMLParser
from typing import Any, TypeVar
from urllib.parse import urljoin

from feedgen.ext.base import BaseEntryExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from site_plugins.content.dates import SHANGHAI, zh_datetime
from site_plugins.content.invisible import INVISIBLE_RE
from site_plugins.content.schema import Entry, Lecture, Story
from site_plugins.content.vocabulary import Vocabulary
from site_plugins.media.audio import clock
from site_plugins.outputs.seo import SiteInfo

RSS_MIME = "application/rss+xml"
ATOM_MIME = "application/atom+xml"
JSON_MIME = "application/feed+json"
ICS_MIME = "text/calendar"
FILES = {"rss": "feed.xml", "atom": "atom.xml", "json": "feed.json"}
MIMES = {"rss": RSS_MIME, "atom": ATOM_MIME, "json": JSON_MIME}
GENERATOR = "rc-lecture-hall"
LANGUAGE = "zh-CN"
# A feed with no entries still needs a date that is not the clock.
EPOCH = datetime(2000, 1, 1, tzinfo=SHANGHAI)
URL_ATTRS = frozenset({"href", "src", "poster", "srcset", "data-src"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
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
        return self.folder + FILES[fmt]


def entry_id(uuid: str) -> str:
    """The permanent feed id of an entry: a URN of the UUID in its front matter."""
    return f"urn:uuid:{uuid.lower()}"


class _Absolutizer(HTMLParser):
    """Re-emit HTML unchanged except URL attributes (made absolute) and heading permalinks (dropped)."""

    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=False)
        self.base = base
        self.out: list[str] = []
        self.skip = 0  # open elements inside an <a class="headerlink">, whose "#" means nothing in a reader

    def _absolute(self, name: str, value: str) -> str:
        if name == "srcset":
            candidates = (c.strip().split(None, 1) for c in value.split(",") if c.strip())
            return ", ".join(" ".join([urljoin(self.base, c[0]), *c[1:]]) for c in candidates)
        return urljoin(self.base, value.strip())

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], close: str) -> None:
        raw = self.get_starttag_text() or ""
        if self.skip or (tag == "a" and "headerlink" in (dict(attrs).get("class") or "").split()):
            if close == ">" and tag not in VOID:
                self.skip += 1
            return
        if not any(name in URL_ATTRS and value for name, value in attrs):
            self.out.append(raw)
            return
        parts = [tag]
        for name, value in attrs:
            if value is None:
                parts.append(name)
                continue
            if name in URL_ATTRS:
                value = self._absolute(name, value)
            parts.append(f'{name}="{html.escape(value, quote=True)}"')
        self.out.append("<" + " ".join(parts) + close)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, ">")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, " />")

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            self.skip -= 1
            return
        self.out.append(f"</{tag}>")

    def _raw(self, text: str) -> None:
        if not self.skip:
            self.out.append(text)

    def handle_data(self, data: str) -> None:
        self._raw(data)

    def handle_entityref(self, name: str) -> None:
        self._raw(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._raw(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        pass  # comments are for editors, not for readers

    def handle_decl(self, decl: str) -> None:
        self._raw(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self._raw(f"<?{data}>")


def absolutize(fragment: str, base: str) -> str:
    """The HTML fragment with every href/src/srcset/poster resolved against `base`."""
    parser = _Absolutizer(base)
    parser.feed(fragment)
    parser.close()
    return "".join(parser.out).strip()


def _lecture_facts(lecture: Lecture, site: SiteInfo) -> str:
    """What the lecture page shows above its body (time, place, speakers, files), for readers of the feed."""
    until = f"–{lecture.end:%H:%M}" if lecture.end else ""
    place = "，".join(p for p in (lecture.venue, lecture.city) if p)
    speakers = "、".join(f"{s.name}（{s.affiliation}）" if s.affiliation else s.name for s in lecture.speakers)
    lines = [f"时间：{zh_datetime(lecture.date)}{until}", f"地点：{place}"]
    if speakers:
        lines.append(f"主讲：{speakers}")
    facts = "<br>".join(html.escape(line) for line in lines)
    files = []
    if lecture.audio is not None:
        href = lecture.audio.url if lecture.audio.url.startswith("https://") else site.absolute(lecture.audio.url)
        files.append(f'<a href="{html.escape(href)}">录音（{clock(lecture.audio.seconds)}）</a>')
    if lecture.slides:
        files.append(f'<a href="{html.escape(site.absolute(lecture.slides))}">讲义（PDF）</a>')
    if files:
        facts += "<br>" + " · ".join(files)
    cancelled = "<p><strong>本场讲座已取消。</strong></p>" if lecture.cancelled else ""
    return f"{cancelled}<p>{facts}</p>"


def item(entry: Story | Lecture, site: SiteInfo, vocab: Vocabulary, body_html: str,
         image_url: Callable[[str], str] = lambda src: src) -> Item:
    """The feed entry of a story or lecture; `body_html` is its rendered page content.

    `image_url` maps a content image path to the site path of the image to show
    (the image adapter may publish a resized variant).
    """
    url = site.absolute(entry.url)
    image = site.absolute(image_url(entry.cover.src)) if entry.cover else None
    parts = []
    if image and entry.cover:
        parts.append(f'<figure><img src="{html.escape(image)}" alt="{html.escape(entry.cover.alt)}"></figure>')
    enclosure = None
    if isinstance(entry, Lecture):
        parts.append(_lecture_facts(entry, site))
        authors = tuple(s.name for s in entry.speakers)
        audio = entry.audio  # the published file: its true type, length and duration
        if audio is not None:
            href = audio.url if audio.url.startswith("https://") else site.absolute(audio.url)
            enclosure = Enclosure(href, audio.bytes, audio.mime, clock(audio.seconds))
    else:
        authors = tuple(a.name for a in entry.authors)
    parts.append(absolutize(body_html, url))
    return Item(
        id=entry_id(entry.id), title=entry.title, url=url,
        published=entry.date, updated=entry.modified, authors=authors,
        categories=tuple(vocab[t].label for t in entry.tags), summary=entry.summary,
        content="\n".join(parts), image=image, enclosure=enclosure,
    )


def select(entries: Iterable[Entry], now: datetime, limit: int) -> list[Entry]:
    """What a feed holds: no drafts, no future stories; newest first; at most `limit`."""
    kept = [e for e in entries if not e.draft and not (e.kind == "story" and e.date > now)]
    return sorted(kept, key=lambda e: (e.date, e.id), reverse=True)[:limit]


def updated(items: Sequence[Item]) -> datetime:
    """The feed's own date: its newest entry's modification, never the clock."""
    return max((i.updated for i in items), default=EPOCH)


class _AtomLinks(BaseEntryExtension):
    """Entry <link>s for Atom. feedgen 1.0 drops rel, type and length from entry links (it reads
    them back from the new element), which would turn a recording into the entry's alternate link."""

    def __init__(self) -> None:
        self.links: list[dict[str, str]] = []

    def extend_atom(self, entry: Any) -> Any:
        for attrs in self.links:
            xml_elem("link", entry, **attrs)
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
    fg.load_extension("media", atom=True, rss=True)  # media:thumbnail: the card image readers show
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
            fe.register_extension("rclinks", _AtomLinks, atom=True, rss=False)
            fe.rclinks.links = _links(it)
        else:
            fe.link(_links(it))  # RSS: <link> from rel=alternate, <enclosure> from rel=enclosure
        fe.published(it.published)
        fe.updated(it.updated)
        for name in it.authors:
            fe.author({"name": name})
            fe.dc.dc_creator(name)
        for label in it.categories:
            fe.category(term=label, label=label, scheme=channel.categories_url)
        fe.content(it.content, type="html")
        fe.summary(it.summary)
        if it.image:
            fe.media.thumbnail({"url": it.image})
    return fg


def atom(channel: Channel, items: Sequence[Item]) -> bytes:
    """Atom 1.0 (RFC 4287) bytes."""
    fg = _generator(channel, items, atom=True)
    fg.link(href=channel.url("atom"), rel="self", type=ATOM_MIME)
    fg.link(href=channel.home, rel="alternate", type="text/html")
    return fg.atom_str(pretty=True)


@dataclass(frozen=True)
class Podcast:
    """Channel-level iTunes tags of the lectures feed."""

    category: str = "Education"
    image: str | None = None  # absolute URL of a square PNG/JPEG


def rss(channel: Channel, items: Sequence[Item], podcast: Podcast | None = None) -> bytes:
    """RSS 2.0 bytes; with `podcast`, also the iTunes tags podcast apps read."""
    fg = _generator(channel, items)
    # RSS takes its <link> from the last alternate link and the atom:link self from rel=self.
    fg.link(href=channel.url("rss"), rel="self", type=RSS_MIME)
    fg.link(href=channel.home, rel="alternate", type="text/html")
    # RSS readers take <description> as HTML (Atom says so with type="text"): escaped once more.
    fg.description(html.escape(channel.description, quote=False))
    for fe, it in zip(fg.entry(), items, strict=True):
        fe.description(html.escape(it.summary, quote=False))
    if channel.logo:
        fg.image(url=channel.logo, title=channel.title, link=channel.home)
    if podcast is not None:
        fg.load_extension("podcast")
        fg.podcast.itunes_author(channel.publisher)
        fg.podcast.itunes_summary(channel.description)
        fg.podcast.itunes_category(podcast.category)
        fg.podcast.itunes_explicit("no")
        fg.podcast.itunes_type("episodic")
        if podcast.image:
            fg.podcast.itunes_image(podcast.image)
        for fe, it in zip(fg.entry(), items, strict=True):
            fe.podcast.itunes_summary(it.summary)
            if it.authors:
                fe.podcast.itunes_author("、".join(it.authors))
            if it.enclosure is not None:
                fe.podcast.itunes_duration(it.enclosure.seconds)  # seconds: what Apple recommends
            if it.image and it.image.endswith((".jpg", ".png")):
                fe.podcast.itunes_image(it.image)
    return fg.rss_str(pretty=True)


def _iso(dt: datetime) -> str:
    return dt.astimezone(SHANGHAI).isoformat(timespec="seconds")


def json_feed(channel: Channel, items: Sequence[Item]) -> bytes:
    """JSON Feed 1.1 bytes (https://jsonfeed.org/version/1.1)."""
    feed: dict = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": channel.title,
        "home_page_url": channel.home,
        "feed_url": channel.url("json"),
        "description": channel.description,
        "language": LANGUAGE,
        "authors": [{"name": channel.publisher}],
    }
    if channel.logo:
        feed["icon"] = channel.logo
    if channel.icon:
        feed["favicon"] = channel.icon
    feed["items"] = []
    for it in items:
        entry: dict = {
            "id": it.id, "url": it.url, "title": it.title,
            "content_html": it.content, "summary": it.summary,
            "date_published": _iso(it.published), "date_modified": _iso(it.updated),
            "tags": list(it.categories), "language": LANGUAGE,
        }
        if it.authors:
            entry["authors"] = [{"name": name} for name in it.authors]
        if it.image:
            entry["image"] = it.image
        if it.enclosure is not None:
            entry["attachments"] = [{
                "url": it.enclosure.url, "mime_type": it.enclosure.type,
                "size_in_bytes": it.enclosure.length, "duration_in_seconds": it.enclosure.seconds,
            }]
        feed["items"].append(entry)
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


_R = TypeVar("_R", "Channel", "Item")


def _xml_safe(record: _R) -> _R:
    """`record` with characters XML cannot hold removed from its text fields."""
    changes = {f.name: INVISIBLE_RE.sub("", value) for f in fields(record)  # type: ignore[arg-type]
               if isinstance(value := getattr(record, f.name), str) and INVISIBLE_RE.search(value)}
    changes.update({f.name: tuple(INVISIBLE_RE.sub("", v) for v in value) for f in fields(record)  # type: ignore[arg-type]
                    if isinstance(value := getattr(record, f.name), tuple) and value and isinstance(value[0], str)})
    return replace(record, **changes) if changes else record  # type: ignore[type-var]


def render(fmt: str, channel: Channel, items: Sequence[Item], podcast: Podcast | None = None) -> bytes:
    """The bytes of one feed file: `fmt` is rss, atom or json (a key of FILES)."""
    # Content is cleaned where it is read; this is the last guard for text from anywhere else
    # (site name, a template), since lxml refuses characters XML cannot hold.
    channel, items = _xml_safe(channel), [_xml_safe(it) for it in items]
    if fmt == "rss":
        return rss(channel, items, podcast)
    if fmt == "atom":
        return atom(channel, items)
    if fmt == "json":
        return json_feed(channel, items)
    raise ValueError(f"unknown feed format {fmt!r}")
