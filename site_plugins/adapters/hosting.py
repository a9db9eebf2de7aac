"""MkDocs adapter for serving the built site (entry point `rc-hosting`).

`on_post_page`, after every other plugin has changed the page: the page's `.gz`
is made on a worker thread while MkDocs renders the next page.
`on_post_build`, after every other plugin has written its files: the redirect
pages and redirect lists of `aliases:` (deploy/redirects.py), then the
precompressed `.gz` copies of the rest (deploy/precompress.py), so `mkdocs build`,
`scripts/build` and `mkdocs gh-deploy` all publish the same files.
`mkdocs serve` writes the redirects but skips compression.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

from site_plugins.adapters.base import Adapter, settings_of
from site_plugins.adapters.feeds import FeedsPlugin
from site_plugins.adapters.meta import MetaPlugin
from site_plugins.deploy import redirects
from site_plugins.deploy.gzipcache import GzipCache
from site_plugins.deploy.precompress import LEVEL, Precompressor
from site_plugins.outputs.feeds.subscribe import alternates
from site_plugins.settings import Settings

log = logging.getLogger("mkdocs.plugins.rc-hosting")


class HostingPlugin(Adapter):
    """Redirects for old addresses and precompressed files, written last."""

    def __init__(self) -> None:
        self.serving = False
        self.compressor: Precompressor | None = None
        self.settings = Settings()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.settings = settings_of(config, "rc-hosting")  # again each build: `serve` keeps this instance
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self._close()
        options = self.settings.hosting
        if options.precompress and not self.serving:
            cache = GzipCache(self.settings.path(options.cache_dir), LEVEL) if options.cache_dir else None
            self.compressor = Precompressor(Path(config.site_dir), cache=cache)

    @event_priority(-100)  # after every plugin that changes the page's HTML
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self.compressor is not None and output.strip():  # MkDocs writes no file for an empty page
            # the very bytes MkDocs writes next (mkdocs.commands.build._build_page)
            data = output.encode("utf-8", errors="xmlcharrefreplace")
            self.compressor.add(Path(page.file.abs_dest_path), data)
        return output

    @event_priority(-100)  # after every plugin that writes files (feeds, search index, images)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        meta: MetaPlugin = config.plugins["rc-meta"]  # type: ignore[assignment]
        assert meta.edition is not None and meta.site is not None
        site_dir = Path(config.site_dir)
        items = redirects.redirects([*meta.edition.stories, *meta.edition.lectures])
        feeds = config.plugins.get("rc-feeds")  # redirect pages name the site feed, as every page does
        links = alternates("", None, feeds.sets, meta.site) if isinstance(feeds, FeedsPlugin) else []
        clashes = redirects.write(site_dir, items, meta.site.url, meta.site.name, links)
        if clashes:
            raise PluginError("旧网址（aliases）与网站生成的页面重名，未写入跳转页：" + "、".join("/" + c for c in clashes)
                              + "。请在对应文章的 aliases 中删去这些地址。")
        if items:
            log.info(f"rc-hosting: {len(items)} old addresses (aliases) redirect to their pages")
        if self.compressor is not None:
            written, seen = self.compressor.finish()
            cache = self.compressor.cache
            self._close()
            reused = f", {cache.hits} from the cache, {cache.save()} unused entries dropped" if cache else ""
            log.info(f"rc-hosting: {written} gzip files written ({seen} text files{reused})")

    def on_build_error(self, *, error: Exception) -> None:
        self._close()

    def _close(self) -> None:
        if self.compressor is not None:
            self.compressor.close()
            self.compressor = None
