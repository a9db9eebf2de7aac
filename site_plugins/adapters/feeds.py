"""MkDocs adapter for feeds and the lecture calendar (entry point `rc-feeds`).

`on_files` adds the generated /subscribe/ page; `on_page_context` names each
page's feeds for the <head> and keeps each entry's rendered HTML (after every
plugin's `on_page_content`, so image rewrites are included); `on_post_build`
writes the feed files and calendar.ics into site_dir.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from site_plugins.adapters.meta import MetaPlugin
from site_plugins.outputs import feeds
from site_plugins.outputs.calendar import calendar
from site_plugins.outputs.subscribe import CALENDAR_PATH, FeedSet, alternates, feed_sets, subscribe_markdown

log = logging.getLogger("mkdocs.plugins.rc-feeds")
SUBSCRIBE_PAGE = "subscribe.md"
RASTER = (".png", ".jpg", ".jpeg", ".gif")


class FeedsConfig(Config):
    limit = opt.Type(int, default=20)  # entries per feed
    podcast_category = opt.Type(str, default="Education")  # an Apple Podcasts category
    podcast_image = opt.Optional(opt.Type(str))  # site path of square PNG/JPEG art; default: the site logo


class FeedsPlugin(BasePlugin[FeedsConfig]):
    """Feeds of the whole site, each narrative and the lectures; the calendar; /subscribe/."""

    def __init__(self) -> None:
        self.html: dict[str, str] = {}  # entry source -> rendered body HTML of this build
        self.sets: list[FeedSet] = []

    def _meta(self, config: MkDocsConfig) -> MetaPlugin:
        return config.plugins["rc-meta"]  # type: ignore[return-value]

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if "rc-meta" not in config.plugins:
            raise PluginError("rc-feeds: list rc-meta before rc-feeds in mkdocs.yml plugins.")
        if self.config.limit < 1:
            raise PluginError(f"rc-feeds: limit must be at least 1 (is {self.config.limit}).")
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        meta = self._meta(config)
        assert meta.site is not None and meta.catalog is not None
        self.html = {}
        self.sets = feed_sets(meta.site, meta.catalog.vocabulary, rights=config.copyright or "")

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        meta = self._meta(config)
        assert meta.site is not None
        if files.get_file_from_path(SUBSCRIBE_PAGE) is not None:
            log.info("content/subscribe.md exists; it replaces the generated /subscribe/ page.")
            return files
        text = subscribe_markdown(meta.site, self.sets, self.config.limit)
        files.append(File.generated(config, SUBSCRIBE_PAGE, content=text))
        return files

    def on_page_context(self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
        meta = self._meta(config)
        assert meta.site is not None
        entry = meta.entries.get(page.file.src_uri)
        if entry is not None:
            self.html[entry.source] = page.content or ""
        context.setdefault("rc", {})["feeds"] = alternates(page.url, entry, self.sets, meta.site)
        return context

    def on_template_context(self, context: dict[str, Any], *, template_name: str,
                            config: MkDocsConfig) -> dict[str, Any]:
        # Static templates (404.html) get no page context; they still name the site feed.
        meta = self._meta(config)
        if meta.site is not None and template_name == "404.html":
            context.setdefault("rc", {}).setdefault("feeds", alternates("404.html", None, self.sets, meta.site))
        return context

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        meta = self._meta(config)
        assert meta.site is not None and meta.catalog is not None and meta.edition is not None
        site_dir = Path(config.site_dir)
        site, vocab, edition = meta.site, meta.catalog.vocabulary, meta.edition
        logo = _published(site_dir, meta.config.logo)
        icon = _published(site_dir, config.theme.get("favicon") or "")
        art = _published(site_dir, self.config.podcast_image or meta.config.logo, (".png", ".jpg"))
        sets = feed_sets(site, vocab, logo=site.absolute(logo) if logo else None,
                         icon=site.absolute(icon) if icon else None, rights=config.copyright or "")
        entries = [*edition.stories, *edition.lectures]
        items: dict[str, feeds.Item] = {}

        def item(entry: Any) -> feeds.Item:
            if entry.source not in items:
                items[entry.source] = feeds.item(entry, site, vocab, self.html.get(entry.source, ""),
                                                 lambda src: meta.image_url.get(src, src))
            return items[entry.source]

        podcast = feeds.Podcast(self.config.podcast_category, site.absolute(art) if art else None)
        for feed in sets:
            for fmt in feed.formats:
                as_podcast = feed.podcast and fmt == "rss"
                # A podcast episode without audio plays nowhere: the podcast holds recorded lectures only.
                held = [e for e in entries if feed.holds(e) and (not as_podcast or getattr(e, "audio", None))]
                chosen = [item(e) for e in feeds.select(held, edition.now, self.config.limit)]
                data = feeds.render(fmt, feed.channel, chosen, podcast if as_podcast else None)
                _write(site_dir / feed.file(fmt), data)
        _write(site_dir / CALENDAR_PATH, calendar(edition.lectures, site))
        log.info(f"rc-feeds: {len(sets)} feeds and the calendar ({len(edition.lectures)} lectures) written")


def _published(site_dir: Path, path: str, kinds: tuple[str, ...] = RASTER) -> str | None:
    """`path` if the build published a raster image there (RSS and podcast apps take no SVG)."""
    path = path.lstrip("/")
    return path if path.lower().endswith(kinds) and (site_dir / path).is_file() else None


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
