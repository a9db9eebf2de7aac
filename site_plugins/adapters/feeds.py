"""MkDocs adapter for feeds and the lecture calendar (entry point `rc-feeds`).

`on_files` adds the generated /subscribe/ page; `on_page_context` names each
page's feeds for the <head>, gives lecture pages their 加入日历 links (and what
replaces them in WeChat's browser) and keeps
each entry's rendered HTML (after every plugin's `on_page_content`, so image
rewrites are included); `on_post_build` writes the feeds, the podcast, the
OPML list, calendar.ics and each lecture's own .ics.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.templates import TemplateContext

from site_plugins import urls
from site_plugins.adapters.base import Adapter, settings_of
from site_plugins.adapters.context import rc
from site_plugins.adapters.meta import MetaPlugin
from site_plugins.content.problems import ContentError
from site_plugins.content.schema import ARTWORK_SUFFIXES, FEED_IMAGE_SUFFIXES, Lecture
from site_plugins.content.transcripts import cues_beyond
from site_plugins.outputs.feeds import syndication as feeds
from site_plugins.outputs.feeds.calendar import calendars, reminder_text
from site_plugins.outputs.feeds.opml import opml
from site_plugins.outputs.feeds.podcast import Podcast, artwork_problem
from site_plugins.outputs.feeds.subscribe import (
    CALENDAR_PATH,
    OPML_PATH,
    FeedSet,
    alternates,
    feed_sets,
    webcal,
)
from site_plugins.outputs.pages.subscribepage import subscribe_markdown
from site_plugins.outputs.pages.wxbrowser import calendar_copy
from site_plugins.settings import Settings

log = logging.getLogger("mkdocs.plugins.rc-feeds")


class FeedsPlugin(Adapter):
    """Feeds of the whole site, each narrative and the lectures; the calendar; /subscribe/."""

    def __init__(self) -> None:
        self.html: dict[str, str] = {}  # entry source -> rendered body HTML of this build
        self.sets: list[FeedSet] = []
        self.settings = Settings()
        self.options = self.settings.feeds  # rc-feeds' settings (site_plugins/settings.py)

    def _meta(self, config: MkDocsConfig) -> MetaPlugin:
        return config.plugins["rc-meta"]  # type: ignore[return-value]

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.settings = settings_of(config, "rc-feeds")
        self.options = self.settings.feeds
        if not self.options.podcast_email:
            log.warning("rc-feeds: podcast_email is not set; Apple Podcasts needs an itunes:owner e-mail.")
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        meta = self._meta(config)
        assert meta.site is not None and meta.catalog is not None
        # rc-audio (listed before us) has published the recordings: a transcript may not run past one.
        problems = [p for lec in meta.entries.values() if isinstance(lec, Lecture) and lec.audio is not None
                    for p in cues_beyond(lec, lec.audio.seconds)]
        if problems:
            for problem in sorted(problems):
                log.error(str(problem))
            raise PluginError(str(ContentError(problems)))
        self.html = {}
        self.sets = feed_sets(meta.site, meta.catalog.vocabulary, rights=config.copyright or "")

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        meta = self._meta(config)
        assert meta.site is not None
        if files.get_file_from_path(urls.SUBSCRIBE_SOURCE) is not None:
            log.info("content/subscribe.md exists; it replaces the generated /subscribe/ page.")
            return files
        text = subscribe_markdown(meta.site, self.sets, self.options.limit, reminder_text(self.options.reminder))
        files.append(File.generated(config, urls.SUBSCRIBE_SOURCE, content=text))
        return files

    def on_page_context(self, context: TemplateContext, *, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> TemplateContext:
        meta = self._meta(config)
        assert meta.site is not None
        entry = meta.entries.get(page.file.src_uri)
        if entry is not None:
            self.html[entry.source] = page.content or ""
        data = rc(context)
        data["feeds"] = alternates(page.url, entry, self.sets, meta.site)
        if isinstance(entry, Lecture):
            calendar_url = meta.site.absolute(CALENDAR_PATH)
            data["calendar"] = {"event": get_relative_url(urls.lecture_event(entry.slug), page.url),
                              "all": get_relative_url(CALENDAR_PATH, page.url), "webcal": webcal(calendar_url),
                              "reminder": reminder_text(self.options.reminder),
                              "wechat": calendar_copy(entry, meta.site)}
            if entry.transcript is not None:
                data["transcript_url"] = get_relative_url(entry.transcript.file, page.url)
        return context

    def on_template_context(self, context: TemplateContext, *, template_name: str,
                            config: MkDocsConfig) -> TemplateContext:
        # Static templates (404.html) get no page context; they still name the site feed.
        meta = self._meta(config)
        if meta.site is not None and template_name == "404.html":
            rc(context).setdefault("feeds", alternates("404.html", None, self.sets, meta.site))
        return context

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        meta = self._meta(config)
        assert meta.site is not None and meta.catalog is not None and meta.edition is not None
        site_dir = Path(config.site_dir)
        site, vocab, edition = meta.site, meta.catalog.vocabulary, meta.edition
        options, logo_path = self.options, self.settings.meta.logo
        logo = _published(site_dir, logo_path)
        icon = _published(site_dir, config.theme.get("favicon") or "")
        art = _published(site_dir, options.podcast_image or logo_path, ARTWORK_SUFFIXES)
        sets = feed_sets(site, vocab, logo=site.absolute(logo) if logo else None,
                         icon=site.absolute(icon) if icon else None, rights=config.copyright or "")
        entries = [*edition.stories, *edition.lectures]
        items: dict[tuple[str, bool], feeds.Item] = {}

        def item(entry: Any, episode: bool) -> feeds.Item:
            if (entry.source, episode) not in items:
                items[entry.source, episode] = feeds.item(entry, site, vocab, self.html.get(entry.source, ""),
                                                          lambda src: meta.image_url.get(src, src), episode)
            return items[entry.source, episode]

        settings = Podcast(options.podcast_category, site.absolute(art) if art else None,
                           options.podcast_email, options.podcast_owner, options.podcast_locked)
        if art and (problem := artwork_problem(site_dir / art)):
            log.warning(f"rc-feeds: {problem}")
        for feed in sets:
            episode = "podcast" in feed.formats
            held = [e for e in entries if feed.holds(e)]
            chosen = [item(e, episode) for e in feeds.select(held, edition.now, options.limit, episode)]
            for fmt in feed.formats:
                _write(site_dir / feed.file(fmt), feeds.render(fmt, feed.channel, chosen, settings))
        for lecture in feeds.waiting(edition.lectures, edition.now):
            log.info(f"rc-feeds: 预告日期未到，暂不进入订阅源（{lecture.published:%Y-%m-%d} 起）: {lecture.source}")
        _write(site_dir / OPML_PATH, opml(site, sets))
        whole, own = calendars(edition.lectures, site, options.reminder)
        _write(site_dir / CALENDAR_PATH, whole)
        for path, data in own.items():
            _write(site_dir / path, data)
        log.info(f"rc-feeds: {len(sets)} feeds, the OPML list and the calendar ({len(edition.lectures)} lectures) written")


def _published(site_dir: Path, path: str, kinds: tuple[str, ...] = FEED_IMAGE_SUFFIXES) -> str | None:
    """`path` if the build published a raster image there (RSS and podcast apps take no SVG)."""
    path = path.lstrip("/")
    return path if path.lower().endswith(kinds) and (site_dir / path).is_file() else None


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
