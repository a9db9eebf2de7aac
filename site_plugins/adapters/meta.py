"""MkDocs adapter of the build's two passes (entry point `rc-meta`, listed first): prepare, then finish.

`on_config` loads the settings every adapter reads (site_plugins/settings.py), once a build.
`on_pre_build` runs `pipeline.prepare` (the check, the edition, the media, the generated pages and
every page's view) before MkDocs empties site_dir, so a build with bad content fails while the last
good site is still in place; under scripts/build, the check it has just run is taken instead of
running it again. The other hooks translate the result for MkDocs: the files (withheld, at their
slug, generated, media), each page's title and date, its view as `page.meta["rc"]` (the one seam
the templates read), and `on_post_build`, last of all, runs `pipeline.finish` over site_dir.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from site_plugins import settings, urls
from site_plugins.adapters import mediafiles
from site_plugins.adapters.base import Adapter
from site_plugins.adapters.live import Live
from site_plugins.adapters.templates import use_template_cache
from site_plugins.adapters.watch import inotify
from site_plugins.content.dates import build_time
from site_plugins.content.problems import from_cwd
from site_plugins.content.reuse import keep_between_builds
from site_plugins.deploy.stage import Checked, handed_over
from site_plugins.outputs.pages.escaping import html_text
from site_plugins.outputs.pages.printing import external_link_rules
from site_plugins.outputs.pages.seo import microdata_scope
from site_plugins.pipeline.finish import Built, FinishError, finish, refresh
from site_plugins.pipeline.manifest import DuplicateOutput, Manifest
from site_plugins.pipeline.prepare import prepare
from site_plugins.pipeline.previous import Previous
from site_plugins.pipeline.result import Prepared, PrepareError
from site_plugins.pipeline.views import NOT_FOUND, wechat

log = logging.getLogger("mkdocs.plugins.rc-meta")
# Front-matter keys Material prints into <head>, the header, nav and search as HTML.
HTML_META = ("title", "description", "author")


class MetaPlugin(Adapter):
    """Owns the settings and the build's `result` (pipeline/result.Prepared); the other adapters read them.

    MkDocs keeps this instance across `mkdocs serve`'s rebuilds (it has `on_startup`), so every
    build's result replaces the last one's, never adds to it.
    """

    def __init__(self) -> None:
        self.preview = False
        self.settings: settings.Settings | None = None
        self.checked: Checked | None = None  # the check scripts/build ran before this build, if it did
        self.result: Prepared | None = None
        self.ready: Prepared | None = None  # a `prepare` scripts/build has just run for this build (adapters/rebuild.py)
        self.previous: Previous | None = None  # the site scripts/build's incremental build started from
        self.manifest: Manifest | None = None  # every file of the last build, by producer
        self.bodies: dict[str, str] = {}  # the preview's entry bodies, for 复制到公众号
        self.live: Live | None = None  # the preview's partial rebuilds
        self._files: Files | None = None
        self._nav: Navigation | None = None
        self._env: Environment | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.preview = command == "serve"
        keep_between_builds(self.preview)
        self.live = Live(self._prepare, lambda: self.result, self._use, self._refresh) if self.preview else None

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Callable[..., None]) -> Any:
        """An edit renders only the pages it changes (adapters/live.py); MkDocs' builder does the rest."""
        if self.live is not None:
            self.live.full = builder
            self.live.serve(server)
            inotify(server)
        return server

    def on_shutdown(self) -> None:
        if self.live is not None:
            self.live.close()
            keep_between_builds(False)

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
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if self.live is not None:
            self.live.stamp(config)
        self.result, self.manifest, self.bodies = None, None, {}
        ready, self.ready = self.ready, None
        self.result = ready if ready is not None else self._prepare(config, say=True)

    def _prepare(self, config: MkDocsConfig, say: bool = False) -> Prepared:
        """`pipeline.prepare` of the content as this build sees it; PluginError with its problems."""
        assert self.settings is not None
        docs = Path(config.docs_dir)
        checked = self.checked
        handed = checked is not None and not self.preview and checked.content_dir.resolve() == docs.resolve()
        now = checked.now if handed and checked is not None else build_time()
        try:
            return prepare(docs, self.settings, now, preview=self.preview, site_url=config.site_url or "",
                           theme_dirs=[Path(d) for d in config.theme.dirs],
                           checked=checked.report if handed and checked is not None else None,
                           say=log.info if say else lambda line: None)
        except PrepareError as exc:
            if not say:
                raise
            for notice in exc.notices:  # what scripts/check prints beside the errors
                log.info("注意：" + notice.shown(from_cwd(docs)))
            raise PluginError(exc.shown(from_cwd(docs))) from None

    def _use(self, result: Prepared) -> None:
        self.result, self.bodies = result, {}

    def _refresh(self, config: MkDocsConfig, result: Prepared) -> None:
        """After a partial render: `finish`'s outputs an edit can change; the search index catches up."""
        assert self.manifest is not None
        self.manifest = refresh(self._built(config), result, self.manifest, say=log.debug, warn=log.warning)
        search = config.plugins.get("rc-search")
        if search is not None and self.live is not None and self.live.made is not None:
            order = [f.src_uri for f in self.live.made.files.documentation_pages(inclusion=InclusionLevel.is_in_serve)]
            search.catch_up(order, Path(config.site_dir))

    @event_priority(-100)  # after every other plugin has added its files (the theme's, rc-wechat's)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        result = self.result
        assert result is not None
        docs = os.path.normpath(config.docs_dir)
        for file in list(files):
            if file.generated_by is None and file.src_dir is not None and os.path.normpath(file.src_dir) == docs:
                if result.withholds(file.src_uri):
                    files.remove(file)
                elif file.src_uri in result.entries:
                    mediafiles.publish_at(file, result.entries[file.src_uri].url + "index.html")
        for src, text in result.pages.items():
            files.append(File.generated(config, src, content=text))
        mediafiles.add(config, files, result.published)
        return files

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        """The normalised text (invisible characters removed, YAML slips fixed) where it differs."""
        return self.result.catalog.texts.get(page.file.src_uri) if self.result is not None else None

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self._nav = nav
        return nav

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        self._files, self._env = files, env
        env.globals["urls"] = urls.for_templates()  # every address a template links to (site_plugins/urls.py)
        env.globals["rc_print_links"] = external_link_rules(config.site_url or "")  # main.html, print only
        use_template_cache(env)  # a rebuild in this process (mkdocs serve) does not compile them again
        return env

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.result is not None
        entry = self.result.entries.get(page.file.src_uri)
        page.update_date = self.result.lastmod(page.file.src_uri)
        if entry is not None:
            page.meta["title"] = entry.title
            page.meta["description"] = entry.summary
        # Where front-matter text enters Material's templates (<title>, header, nav, search,
        # meta description): they print it as HTML, so it is escaped once, here.
        for key in HTML_META:
            if isinstance(page.meta.get(key), str):
                page.meta[key] = html_text(page.meta[key])
        return markdown

    @event_priority(50)  # before rc-images: the body's <img> still plain, as the 公众号 edition takes it
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.preview and self.result is not None and self.result.has("rc-wechat"):
            self.bodies[page.file.src_uri] = html
        return html

    def on_page_context(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        """The page's view where the templates read it: `page.meta["rc"]` (main.html)."""
        result = self.result
        assert result is not None
        view = result.views.get(page.file.src_uri)
        entry = result.entries.get(page.file.src_uri)
        if view is not None and entry is not None and page.file.src_uri in self.bodies:
            view = {**view, "wechat": wechat(entry, self.bodies.pop(page.file.src_uri), page.url, result.site,
                                             result.now, result.published)}
        if view is not None:
            page.meta["rc"] = view
        return context

    def on_template_context(self, context: Any, *, template_name: str, config: MkDocsConfig) -> Any:
        # A template that is no page (404.html) has no meta: the engine hands it its view as `rc`.
        if self.result is not None and template_name == NOT_FOUND:
            context["rc"] = self.result.views[NOT_FOUND]
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """<html> made the microdata item of the page's `itemprop` meta (Material's base.html has no block there)."""
        return microdata_scope(output)

    @event_priority(-100)  # last: every file MkDocs and the other plugins write is in site_dir
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        assert self.result is not None
        plugins = config.plugins
        hosting = plugins.get("rc-hosting")
        built = self._built(config)
        try:
            self.manifest = finish(built, self.result, say=log.info, warn=log.warning)
        except (FinishError, DuplicateOutput) as exc:
            raise PluginError(str(exc)) from None
        finally:
            if hosting is not None:
                hosting.compressor, hosting.manifest = None, None  # finish closed the one, took the other
        if self.live is not None and self._files is not None and self._nav is not None \
                and self._env is not None:
            self.live.built(config, self._files, self._nav, self._env)

    def _built(self, config: MkDocsConfig) -> Built:
        plugins = config.plugins
        search, hosting = plugins.get("rc-search"), plugins.get("rc-hosting")
        return Built(Path(config.site_dir), favicon=str(config.theme.get("favicon") or ""),
                     stylesheets=tuple(str(css) for css in config.extra_css),
                     admin_bundle=getattr(plugins.get("rc-admin"), "bundle", None),
                     search=getattr(search, "worker", None), streamed=getattr(search, "streamed", False),
                     compressor=getattr(hosting, "compressor", None), manifest=getattr(hosting, "manifest", None),
                     previous=self.previous)

