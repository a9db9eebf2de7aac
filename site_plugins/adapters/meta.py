"""MkDocs adapter for the content model: validate, publish or withhold, enrich pages.

Everything is decided in `on_pre_build`, before MkDocs empties site_dir, so a
build with bad content fails while the last good site is still in place.
`on_config` loads the settings every adapter reads (site_plugins/settings.py), once a build;
under scripts/build, the check it has just run is taken instead of running it again.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from site_plugins import settings, urls
from site_plugins.adapters.base import Adapter
from site_plugins.adapters.templates import use_template_cache
from site_plugins.check.checker import Selection, run
from site_plugins.content.catalog import (
    AUTHORS_FILE,
    VOCABULARY_FILE,
    Catalog,
    Edition,
    edition,
)
from site_plugins.content.dates import build_time, zh_date
from site_plugins.content.problems import ContentError, from_cwd
from site_plugins.content.schema import Lecture, Story
from site_plugins.deploy.stage import Checked, handed_over
from site_plugins.media.audio import SourceInfo
from site_plugins.outputs.pages.cards import Thumb
from site_plugins.outputs.pages.escaping import html_text, template_view
from site_plugins.outputs.pages.pageview import PageInfo, Published, page_view
from site_plugins.outputs.pages.printing import external_link_rules
from site_plugins.outputs.pages.seo import SiteInfo, microdata_scope

log = logging.getLogger("mkdocs.plugins.rc-meta")
# Front-matter keys Material prints into <head>, the header, nav and search as HTML.
HTML_META = ("title", "description", "author")


class MetaPlugin(Adapter):
    """Owns the settings and the catalog of the build; the other adapters read `settings`, `catalog`, `edition`.

    MkDocs keeps this instance across `mkdocs serve`'s rebuilds (it has `on_startup`), so every
    map of a build is made anew in `on_config` or `on_pre_build`, never added to.
    """

    def __init__(self) -> None:
        self.preview = False
        self.docs_dir = "."  # content/, set each build: messages show paths relative to the current folder
        self.settings: settings.Settings | None = None
        self.checked: Checked | None = None  # the check scripts/build ran before this build, if it did
        self.catalog: Catalog | None = None
        self.edition: Edition | None = None
        self.site: SiteInfo | None = None
        self.entries: dict[str, Story | Lecture] = {}
        self.recordings: dict[str, SourceInfo] = {}  # what the check's ffprobe found, by content path
        self.last_modified = ""  # newest content date of the build: lastmod of pages that are not entries
        # Filled by the image adapter (rc-images) in its on_pre_build, which runs after ours:
        self.published = Published()
        self.placeholders: dict[str, Thumb] = {}  # narrative key -> its placeholder for cards without a cover

    @property
    def image_url(self) -> dict[str, str]:
        """Content image path -> site path of its main variant."""
        return self.published.image_url

    @property
    def og_images(self) -> dict[str, str]:
        """Entry source -> site path of its 1200x630 social image."""
        return self.published.social_images

    @property
    def thumbnails(self) -> dict[str, Thumb]:
        """Content image path -> its listing-card thumbnail."""
        return self.published.thumbnails

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.preview = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not config.config_file_path:
            raise PluginError("rc-meta：网站的设置从 mkdocs.yml 读取，请用 -f 指明这个文件。")
        self.checked = handed_over(config.config_file_path)
        try:
            self.settings = self.checked.settings if self.checked else settings.load(Path(config.config_file_path))
        except settings.SettingsError as exc:
            raise PluginError(exc.shown()) from None
        if not config.site_url:
            raise PluginError("rc-meta：mkdocs.yml 要写 site_url（网站的正式网址，规范网址、订阅源和结构化数据都要用）。")
        self.site = self.settings.site_info(config.site_url)  # `mkdocs serve` sets its own address
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        assert self.settings is not None
        self.docs_dir = config.docs_dir
        self.published, self.placeholders = Published(), {}  # this build's media only
        checked = self.checked
        if checked is not None and not self.preview and checked.content_dir.resolve() == Path(config.docs_dir).resolve():
            report, now = checked.report, checked.now  # scripts/build checked this content a moment ago
        else:
            now = build_time()
            # The very check scripts/check runs, so both give the same verdict in the same words.
            report = run(Path(config.docs_dir), Selection(), now, self.settings, preview=self.preview, building=True)
        if report.problems:
            for notice in report.notices:  # what scripts/check prints beside the errors
                log.info("注意：" + notice.shown(from_cwd(config.docs_dir)))
            raise PluginError(str(ContentError(report.problems, from_cwd(config.docs_dir))))
        assert report.catalog is not None
        catalog = self.catalog = report.catalog
        self.recordings = report.recordings
        for notice in catalog.notices:  # info, not warning: a fixed value never fails a strict build
            log.info("注意：" + notice.shown(from_cwd(config.docs_dir)))
        self.edition = edition(catalog, now, preview=self.preview)
        for entry, reason in self.edition.withheld:
            log.info(f"未发布（{reason}）: {entry.source}  {zh_date(entry.date)}")
        published: list[Story | Lecture] = [*self.edition.stories, *self.edition.lectures]
        self.entries = {e.source: e for e in published}
        # MkDocs stamps every page (sitemap <lastmod>, the gzip header of sitemap.xml.gz) with
        # the wall-clock date; use content dates instead, never later than the build's "now"
        # (upcoming lectures), so one commit and one build time give the same bytes.
        newest = max((e.modified for e in self.entries.values()), default=self.edition.now)
        self.last_modified = self.lastmod(newest)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.edition is not None
        withheld = {entry.source for entry, _ in self.edition.withheld}
        for file in list(files):
            if file.src_uri in (VOCABULARY_FILE, AUTHORS_FILE) or file.src_uri in withheld:
                files.remove(file)
            elif file.src_uri in self.entries:
                _move(file, self.entries[file.src_uri].url + "index.html")
        return files

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        """The normalised text (invisible characters removed, YAML slips fixed) where it differs."""
        return self.catalog.texts.get(page.file.src_uri) if self.catalog is not None else None

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        env.globals["urls"] = urls.for_templates()  # every address a template links to (site_plugins/urls.py)
        env.globals["rc_print_links"] = external_link_rules(config.site_url or "")  # main.html, print only
        use_template_cache(env)  # a rebuild in this process (mkdocs serve) does not compile them again
        return env

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        entry = self.entries.get(page.file.src_uri)
        page.update_date = self.lastmod(entry.modified) if entry is not None else self.last_modified
        if entry is not None:
            page.meta["title"] = entry.title
            page.meta["description"] = entry.summary
        # Where front-matter text enters Material's templates (<title>, header, nav, search,
        # meta description): they print it as HTML, so it is escaped once, here.
        for key in HTML_META:
            if isinstance(page.meta.get(key), str):
                page.meta[key] = html_text(page.meta[key])
        return markdown

    def _on_page_context_view(self, context: dict[str, Any], *, page: Page, config: MkDocsConfig,
                              nav: Any) -> dict[str, Any]:
        context["rc"] = self.page_view(page)
        return context

    @event_priority(-100)  # after every other adapter has added its part of `rc`
    def _on_page_context_escape(self, context: dict[str, Any], *, page: Page, config: MkDocsConfig,
                                nav: Any) -> dict[str, Any]:
        """Where content text enters our templates: the whole `rc` view, escaped once."""
        context["rc"] = template_view(context.get("rc") or {})
        return context

    on_page_context = CombinedEvent(_on_page_context_view, _on_page_context_escape)

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """<html> made the microdata item of the page's `itemprop` meta (Material's base.html has no block there)."""
        return microdata_scope(output)

    def page_view(self, page: Page) -> dict[str, Any]:
        """What the templates show for a page (outputs/pages/pageview.py)."""
        assert self.site is not None and self.catalog is not None and self.edition is not None
        info = PageInfo(page.url, page.title or "", str(page.meta.get("description") or ""), page.is_homepage)
        return page_view(info, self.entries.get(page.file.src_uri), self.site, self.catalog.vocabulary,
                         self.edition.now, self.published)

    def lastmod(self, when: datetime) -> str:
        """A page's sitemap date: `when`, or the build's "now" if later."""
        assert self.edition is not None
        return f"{min(when, self.edition.now):%Y-%m-%d}"


def _move(file: File, dest_uri: str) -> None:
    """Publish a page at another address (its slug) instead of its source path."""
    file.dest_uri = dest_uri
    file.url = dest_uri[: -len("index.html")]
    file.abs_dest_path = str(Path(file.dest_dir) / dest_uri)
