"""The feeds part of `finish`: every feed in its formats, the podcast, the OPML list, the calendars.

An entry's feed item carries its body as the site shows it, read back from the page the engine
wrote (outputs/pages/rendered.py), so the images are the published `<picture>`s. Logo, icon and
podcast artwork are named only if the built site has them as raster images (RSS and podcast apps
take no SVG). A lecture's episode is its published recording (`Published.audio`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from site_plugins.content.reuse import keeping
from site_plugins.content.schema import ARTWORK_SUFFIXES, FEED_IMAGE_SUFFIXES, Lecture, Story
from site_plugins.outputs.feeds import syndication as feeds
from site_plugins.outputs.feeds.calendar import calendars
from site_plugins.outputs.feeds.opml import opml
from site_plugins.outputs.feeds.podcast import Podcast, artwork_problem
from site_plugins.outputs.feeds.subscribe import CALENDAR_PATH, OPML_PATH, feed_sets
from site_plugins.outputs.pages.rendered import entry_body
from site_plugins.pipeline.result import Prepared

FEEDS = "订阅源（rc-feeds）"
OPML = "订阅源列表 OPML（rc-feeds）"
CALENDAR = "讲座日历（rc-feeds）"
Say = Callable[[str], None]
# The last build's feed items and feed files, by what they are made of: the preview's rebuild after
# an edit makes again only what the edit changed (a process that builds once gains nothing).
_ITEMS: dict[tuple[str, bool], tuple[tuple[Any, ...], feeds.Item]] = {}
_FEEDS: dict[tuple[Any, ...], bytes] = {}


def outputs(site_dir: Path, favicon: str, result: Prepared, say: Say, warn: Say) -> dict[str, tuple[bytes, str]]:
    """Site path -> (bytes, producer) of every feed file, the OPML list and the calendars."""
    settings = result.settings
    options, logo_path = settings.feeds, settings.meta.logo
    site, vocab, edition = result.site, result.catalog.vocabulary, result.edition
    logo = _published(site_dir, logo_path)
    icon = _published(site_dir, favicon)
    art = _published(site_dir, options.podcast_image or logo_path, ARTWORK_SUFFIXES)
    sets = feed_sets(site, vocab, logo=site.absolute(logo) if logo else None,
                     icon=site.absolute(icon) if icon else None, rights=settings.site.copyright)
    audio, image_url = result.published.audio, result.published.image_url
    items: dict[tuple[str, bool], tuple[tuple[Any, ...], feeds.Item]] = {}

    def item(entry: Story | Lecture, episode: bool) -> feeds.Item:
        key = (entry.source, episode)
        if key not in items:
            page = site_dir / entry.url / "index.html"
            text = page.read_text(encoding="utf-8") if page.is_file() else None
            # Everything feeds.item reads: an item the last build made of the same is taken as it is.
            inputs = (entry, text, audio.get(entry.source), image_url.get(entry.cover.src) if entry.cover else None,
                      site, vocab)
            hit = _ITEMS.get(key)
            items[key] = (inputs, hit[1] if hit is not None and hit[0] == inputs else feeds.item(
                entry, site, vocab, (entry_body(text) if text is not None else None) or "", audio.get(entry.source),
                lambda src: image_url.get(src, src), episode))
        return items[key][1]

    podcast = Podcast(options.podcast_category, site.absolute(art) if art else None,
                      options.podcast_email, options.podcast_owner, options.podcast_locked)
    if art and (problem := artwork_problem(site_dir / art)):
        warn(f"rc-feeds: {problem}")
    entries = [*edition.stories, *edition.lectures]
    out: dict[str, tuple[bytes, str]] = {}
    rendered: dict[tuple[Any, ...], bytes] = {}
    for feed in sets:
        episode = "podcast" in feed.formats
        held = [e for e in entries if feed.holds(e, audio)]
        chosen = [item(cast(Story | Lecture, e), episode) for e in feeds.select(held, edition.now, options.limit, episode)]
        for fmt in feed.formats:
            made = (fmt, feed.channel, tuple(chosen), podcast)  # a feed the last build wrote of the same items
            rendered[made] = _FEEDS[made] if made in _FEEDS else feeds.render(fmt, feed.channel, chosen, podcast)
            out[feed.file(fmt)] = (rendered[made], FEEDS)
    if keeping():
        _ITEMS.clear()
        _ITEMS.update(items)
        _FEEDS.clear()
        _FEEDS.update(rendered)
    for lecture in feeds.waiting(edition.lectures, edition.now):
        say(f"rc-feeds: 预告日期未到，暂不进入订阅源（{lecture.published:%Y-%m-%d} 起）: {lecture.source}")
    out[OPML_PATH] = (opml(site, sets), OPML)
    whole, own = calendars(edition.lectures, site, options.reminder)
    out[CALENDAR_PATH] = (whole, CALENDAR)
    out.update({path: (data, CALENDAR) for path, data in own.items()})
    say(f"rc-feeds: {len(sets)} feeds, the OPML list and the calendar ({len(edition.lectures)} lectures) written")
    return out


def _published(site_dir: Path, path: str, kinds: tuple[str, ...] = FEED_IMAGE_SUFFIXES) -> str | None:
    """`path` if the build published a raster image there."""
    path = path.lstrip("/")
    return path if path.lower().endswith(kinds) and (site_dir / path).is_file() else None
