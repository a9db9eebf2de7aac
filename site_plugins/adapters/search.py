"""MkDocs adapter for search (entry point `rc-search`): a Pagefind index in the same build.

The index is built beside the build, in the search worker's process (outputs/search/worker.py),
on the second core. `on_config` starts the worker; `on_pre_build` begins an index;
`on_page_content` (last of that event, so images are final) describes each indexed page as soon
as its Markdown is rendered; `on_env` (every page has been read) tells the worker that the last
page is in, so Pagefind builds its files while MkDocs renders the templates; `on_post_build`
writes what the worker returns to site_dir/pagefind/, with the Traditional -> Simplified shards
search/t2s/ and the date order search/sort-date.json. `on_files` adds the results page /search/.

`mkdocs serve` indexes what its preview shows, drafts and scheduled stories included, so
an editor can check how a story will be found; a production build indexes only the edition.
"""

from __future__ import annotations

import atexit
import logging
import shutil
import time
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from site_plugins import urls
from site_plugins.adapters.base import Adapter, settings_of
from site_plugins.adapters.meta import MetaPlugin
from site_plugins.content.dates import zh_date
from site_plugins.content.schema import Lecture
from site_plugins.outputs.search import records as search
from site_plugins.outputs.search.worker import INDEX_CONFIG, SearchError, SearchWorker
from site_plugins.settings import SearchOptions

log = logging.getLogger("mkdocs.plugins.rc-search")

# One worker per process: `mkdocs serve`'s rebuilds (and in-process test builds) reuse it.
WORKER = SearchWorker()
atexit.register(WORKER.close)


class SearchPlugin(Adapter):
    """Hands rendered pages to the search worker; writes its index; adds /search/."""

    def __init__(self) -> None:
        self.batch: list[search.PageSource] = []
        self.options = SearchOptions()  # rc-search's settings (site_plugins/settings.py)

    def _meta(self, config: MkDocsConfig) -> MetaPlugin:
        return config.plugins["rc-meta"]  # type: ignore[return-value]

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.options = settings_of(config, "rc-search").search
        if "rc-listings" not in config.plugins:
            raise PluginError("rc-search: list rc-meta and rc-listings before rc-search in mkdocs.yml plugins.")
        if "search" in config.plugins or "material/search" in config.plugins:
            raise PluginError("rc-search replaces Material's search plugin: remove `- search` from mkdocs.yml plugins.")
        WORKER.start()  # its imports overlap the content check
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self.batch = []
        WORKER.begin(INDEX_CONFIG, self.options.shard)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        try:
            WORKER.ready(self.options.timeout)
        except SearchError as exc:
            raise PluginError(f"rc-search: {exc}") from exc
        existing = files.get_file_from_path(search.SEARCH_PAGE)
        if existing is not None:
            files.remove(existing)  # the generated results page wins over a stray hand-made one
        files.append(File.generated(config, search.SEARCH_PAGE, content=search.results_page_markdown()))
        return files

    @event_priority(-100)  # after every plugin that changes the page's HTML (rc-images' <picture>)
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        source = self.source(page, config, html)
        if source is not None:
            if self.options.stream:
                WORKER.add(source)
            else:
                self.batch.append(source)
        return html

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        env.globals["rc_search"] = search.browser_config()  # partials/search.html hands it to search.js
        if self.options.stream:
            WORKER.finish()  # every page has been read: Pagefind builds its files while MkDocs renders
        return env

    def on_page_context(self, context: TemplateContext, *, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> TemplateContext:
        if page.file.src_uri == search.SEARCH_PAGE:
            meta = self._meta(config)
            assert meta.catalog is not None
            rc: dict[str, Any] = dict(context.get("rc") or {})  # type: ignore[call-overload]
            rc["search"] = {"narratives": meta.catalog.vocabulary.narratives}
            context["rc"] = rc  # type: ignore[typeddict-unknown-key]
        return context

    def source(self, page: Page, config: MkDocsConfig, html: str) -> search.PageSource | None:
        """What the index needs of `page` (its rendered Markdown `html`), or None if it is not indexed."""
        meta = self._meta(config)
        assert meta.catalog is not None
        vocab = meta.catalog.vocabulary
        listing = getattr(config.plugins["rc-listings"], "by_src", {}).get(page.file.src_uri)
        entry = meta.entries.get(page.file.src_uri)
        excluded = isinstance(page.meta.get("search"), dict) and page.meta["search"].get("exclude")
        kind = search.indexed_kind(page.file.src_uri, is_entry=entry is not None,
                                   listing_narrative=listing.narrative if listing else None,
                                   listing_number=listing.number if listing else 0,
                                   is_listing=listing is not None, is_homepage=page.is_homepage)
        if kind is None or (excluded and kind == "page"):
            return None
        url = "/" + page.url
        if entry is not None:
            thumb = meta.thumbnails.get(entry.cover.src) if entry.cover else None
            facts = search.entry_facts(entry, vocab, zh_date(entry.date), "/" + thumb.src if thumb else "")
            story = not isinstance(entry, Lecture)
            lead = search.lecture_lead(entry) if isinstance(entry, Lecture) else entry.summary
            return search.PageSource(url, entry.title, html, facts, lead, lead_unless_in_body=story,
                                     terms=search.narrative_terms(entry, vocab), pinyin=self.options.pinyin)
        if kind == "narrative" and listing is not None:
            narrative = vocab[listing.narrative]
            return search.PageSource(url, narrative.label, "", search.Facts(kind="narrative"), narrative.description)
        return search.PageSource(url, page.title or "", html, search.Facts(kind="page"))

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        waiting = time.perf_counter()
        if not self.options.stream:
            for source in self.batch:
                WORKER.add(source)
            WORKER.finish()
        try:
            result = WORKER.result(self.options.timeout)
        except SearchError as exc:
            raise PluginError(f"rc-search: {exc}") from exc
        waited = time.perf_counter() - waiting
        out = Path(config.site_dir) / urls.PAGEFIND
        if out.exists():
            shutil.rmtree(out)
        for name, data in result.files.items():
            target = out / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        for name, data in {**search.t2s_shards(), **search.sort_files(result.sorts)}.items():
            target = Path(config.site_dir) / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        steps = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in result.took.items())
        log.info(f"rc-search: {result.pages} pages indexed ({'streamed' if self.options.stream else 'after rendering'}, "
                 f"{result.shards} shard{'s' if result.shards != 1 else ''} of at most {self.options.shard}); "
                 f"waited {waited:.2f} s at the end of the build (the worker, after the last page: {steps})")

    def on_build_error(self, *, error: Exception) -> None:
        WORKER.abort()
