"""MkDocs adapter for the printable lecture notices (打印讲座通知): one A4 PDF per lecture.

`on_config` takes its options and the organiser and phone (`extra`) from the settings
(settings.load checked them, with the mkdocs.yml line). `on_pre_build` (after rc-meta's) lays out and renders
every lecture's notice into the cache (media/notice.py, media/pdf.py), or finds it
there, and reports what a notice had to cut, as `scripts/check` does. `on_files`
publishes the PDFs at `urls.lecture_notice`; `on_page_context` gives the lecture page
the link (`rc.notice`).
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.templates import TemplateContext

from site_plugins import urls
from site_plugins.adapters.base import Adapter, settings_of
from site_plugins.adapters.context import rc
from site_plugins.adapters.meta import MetaPlugin
from site_plugins.content.problems import from_cwd
from site_plugins.content.schema import Lecture
from site_plugins.media.cache import Cache, Runner, process_notices
from site_plugins.media.notice import Cut, NoticeSpec, notice_cuts, spec_for
from site_plugins.media.pdf import renderer_id
from site_plugins.outputs.pages.footer import Footer
from site_plugins.settings import NoticeOptions

log = logging.getLogger("mkdocs.plugins.rc-notice")


class NoticePlugin(Adapter):
    """A one-page A4 notice with a QR code for every lecture the build publishes."""

    def __init__(self) -> None:
        self.cache: Cache | None = None
        self.options = NoticeOptions()
        self.contact = Footer()
        self.notices: dict[str, Path] = {}  # site path -> the PDF in the cache
        self.links: dict[str, str] = {}  # lecture source -> its notice's site path
        self.rendered = 0  # notices the last build rendered (0 on a warm build)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        settings = settings_of(config, "rc-notice")
        self.options, self.contact = settings.notice, settings.footer
        self.cache = Cache(settings.path(self.options.cache_dir))
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        meta: MetaPlugin = config.plugins["rc-meta"]  # type: ignore[assignment]
        assert self.cache is not None and meta.site is not None
        lectures = sorted((e for e in meta.entries.values() if isinstance(e, Lecture)), key=lambda e: e.source)
        renderer = renderer_id()
        jobs: dict[str, tuple[str, NoticeSpec]] = {}
        for lecture in lectures:
            spec = spec_for(lecture, meta.site.absolute(lecture.url), meta.site.name,
                            self.contact.organiser, self.contact.phone)
            jobs[lecture.source] = (spec.key(renderer), spec)
        with Runner(self.options.workers) as runner:
            batch = process_notices(self.cache, jobs.values(), runner)
        self.rendered = batch.encoded
        self.notices, self.links = {}, {}
        for lecture in lectures:
            key = jobs[lecture.source][0]
            manifest = batch.results[key]
            for notice in notice_cuts(lecture, [Cut(**cut) for cut in manifest["cuts"]]):
                log.info("注意：" + notice.shown(from_cwd(meta.docs_dir)))  # info: never fails a strict build
            site_path = urls.lecture_notice(lecture.slug)
            self.notices[site_path] = self.cache.path(key, manifest["name"])
            self.links[lecture.source] = site_path
        log.info(f"rc-notice: {len(lectures)} lecture notices ({batch.encoded} rendered, {batch.cached} cached)")

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        for site_path, cached in sorted(self.notices.items()):
            files.append(File.generated(config, site_path, abs_src_path=str(cached)))
        return files

    def on_page_context(self, context: TemplateContext, *, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> TemplateContext:
        site_path = self.links.get(page.file.src_uri)
        if site_path is not None:
            rc(context)["notice"] = get_relative_url(site_path, page.url)
        return context
