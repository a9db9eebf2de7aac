"""MkDocs adapter for search (entry point `rc-search`): a Pagefind index in the same build.

The index is built beside the build, in the search worker's process (outputs/search/worker.py),
on the second core. `on_config` starts the worker; `on_pre_build` begins an index; `on_page_content`
(last of that event, so images are final) describes each indexed page (`pipeline.searching.page_source`)
as soon as its Markdown is rendered; `on_env` (every page has been read) tells the worker that the
last page is in, so Pagefind builds its files while MkDocs renders the templates; `finish` writes
what the worker returns. With `stream: false`, `finish` reads every page back from site_dir instead.

`mkdocs serve` indexes what its preview shows, drafts and scheduled stories included, so
an editor can check how a story will be found; a production build indexes only the edition.
"""

from __future__ import annotations

import atexit
from pathlib import Path

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from site_plugins.adapters.base import Adapter, prepared, settings_of
from site_plugins.outputs.search.bundle import PREVIEW_LEVEL
from site_plugins.outputs.search.records import PageSource, browser_config
from site_plugins.outputs.search.worker import INDEX_CONFIG, SearchError, SearchWorker
from site_plugins.pipeline.catchup import CatchUp
from site_plugins.pipeline.searching import describe
from site_plugins.settings import SearchOptions

# One worker per process: `mkdocs serve`'s rebuilds (and in-process test builds) reuse it.
WORKER = SearchWorker()
atexit.register(WORKER.close)


class SearchPlugin(Adapter):
    """Hands rendered pages to the search worker (`finish` writes its index)."""

    worker = WORKER

    def __init__(self) -> None:
        self.options = SearchOptions()  # rc-search's settings (site_plugins/settings.py)
        self.indexing = False  # between a build's begin and its last page
        self.catching_up: CatchUp | None = None  # the preview's: every page's description, the index made again
        self.store: tuple[str, bytes] | None = None  # scripts/build's shards on disk (outputs/search/store.py)
        self.described: dict[str, tuple[bytes, bytes]] = {}  # this build's pages: their descriptions' digests

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Kept across `mkdocs serve`'s rebuilds (it has `on_startup`): the preview's pages stay described.
        self.catching_up = CatchUp(WORKER) if command == "serve" else None

    @property
    def streamed(self) -> bool:
        return self.options.stream

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.options = settings_of(config, "rc-search").search
        if "rc-listings" not in config.plugins:
            raise PluginError("rc-search: list rc-meta and rc-listings before rc-search in mkdocs.yml plugins.")
        if "search" in config.plugins or "material/search" in config.plugins:
            raise PluginError("rc-search replaces Material's search plugin: remove `- search` from mkdocs.yml plugins.")
        WORKER.start()  # its imports overlap the content check
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if self.catching_up is not None:
            self.catching_up.pause()  # a full build has the worker, and empties site_dir, to itself
        preview = self.catching_up is not None
        WORKER.begin(INDEX_CONFIG, self.options.shard, keep=preview, level=PREVIEW_LEVEL if preview else 9,
                     store=self.store)
        self.described = {}
        self.indexing = True

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if not self.indexing:
            return files  # the preview's partial rebuild lists its files again (adapters/live.py)
        try:
            WORKER.ready(self.options.timeout)
        except SearchError as exc:
            raise PluginError(f"rc-search: {exc}") from exc
        return files

    @event_priority(-100)  # after every plugin that changes the page's HTML (rc-images' <picture>)
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        streaming = self.options.stream and self.indexing
        if streaming or self.catching_up is not None:  # the preview indexes from what it renders
            described = describe(prepared(config), page.file.src_uri, html)
            source = described.item if described is not None else None
            if isinstance(source, PageSource) and self.catching_up is not None:
                self.catching_up.described(page.file.src_uri, source)
            if described is not None and streaming:
                WORKER.add(described.item)
                self.described[page.file.src_uri] = (described.bare, described.whole)
        return html

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        env.globals["rc_search"] = browser_config()  # partials/search.html hands it to search.js
        if self.options.stream and self.indexing:
            WORKER.finish()  # every page has been read: Pagefind builds its files while MkDocs renders
        self.indexing = False
        return env

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.catching_up is not None:
            self.catching_up.resume()

    def catch_up(self, order: list[str], site_dir: Path) -> None:
        """The preview after a partial rebuild: the index made again beside it, of every page `order`
        lists (page sources, in the engine's order) as last described."""
        if self.catching_up is not None:
            self.catching_up.start(order, site_dir, self.options)

    def on_build_error(self, *, error: Exception) -> None:
        WORKER.abort()
        self.indexing = False
        if self.catching_up is not None:
            self.catching_up.resume()
