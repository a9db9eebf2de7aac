"""MkDocs adapter for search (entry point `rc-search`): a Pagefind index in the same build.

`on_pre_build` starts Pagefind (its own process, so it indexes on the second core while
MkDocs renders); `on_post_page` hands it each indexed page as soon as it is rendered;
`on_post_build` waits for the last page and writes the bundle to site_dir/pagefind/ with
the Traditional -> Simplified shards search/t2s/ and the date order search/sort-date.json.
`on_files` adds the results page /search/.

`mkdocs serve` indexes what its preview shows, drafts and scheduled stories included, so
an editor can check how a story will be found; a production build indexes only the edition.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext
from pagefind.index import IndexConfig, PagefindIndex
from pagefind.service import PagefindService

from site_plugins.adapters.meta import MetaPlugin
from site_plugins.content.dates import zh_date
from site_plugins.content.schema import Lecture
from site_plugins.outputs import search, search_bundle

log = logging.getLogger("mkdocs.plugins.rc-search")
# Pagefind writes several UI bundles; the site uses only the search API (pagefind.js, its worker
# and wasm), so the others are removed from the output.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


class SearchConfig(Config):
    stream = opt.Type(bool, default=True)  # index while rendering; false: all pages after the build
    pinyin = opt.Type(bool, default=True)  # titles' pinyin and initials, in each page's record


# The largest reply is GetFiles: every index file, base64 (about 18 MB at 3,000 stories).
REPLY_LIMIT = 1 << 30


class _Service(PagefindService):
    """Pagefind's service with a reader that does not wait.

    pagefind 1.5.2's `_wait_for_responses` sleeps 100 ms before reading each response, which
    caps the Python API at ten pages a second; this one reads them as they come.
    """

    async def launch(self) -> PagefindService:
        """The stock launch with a reader limit that holds the whole index in one reply (GetFiles)."""
        self._backend = await asyncio.create_subprocess_exec(
            self._bin, "--service", cwd=os.getcwd(), stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, limit=REPLY_LIMIT,
        )
        self._poll_task = self._loop.create_task(self._wait_for_responses())
        return self

    async def _wait_for_responses(self) -> None:
        assert self._backend.stdout is not None
        while True:
            try:
                output = await self._backend.stdout.readuntil(b",")
            except asyncio.IncompleteReadError:
                for future in self._responses.values():
                    if not future.done():
                        future.set_exception(RuntimeError("Pagefind stopped unexpectedly"))
                return
            resp = json.loads(base64.b64decode(output[:-1]))
            if resp is None:
                continue
            message_id = resp.get("message_id")
            payload = resp["payload"]
            if message_id is None and payload.get("original_message"):
                message_id = json.loads(payload["original_message"]).get("message_id")
            waiting = self._responses.get(message_id) if message_id is not None else None
            if waiting is None or waiting.done():
                continue
            if payload["type"] == "Error":
                waiting.set_exception(RuntimeError(payload["message"]))
            else:
                waiting.set_result(payload)


    async def close(self) -> None:
        """Let Pagefind finish and exit by itself: it answers WriteFiles before its files are
        flushed, and the stock close() terminates it at once, which can cut the last file short."""
        assert self._backend.stdin is not None
        self._backend.stdin.close()
        try:
            await asyncio.wait_for(self._backend.wait(), timeout=120)
        except TimeoutError:
            self._backend.terminate()
            await self._backend.wait()
        self._poll_task.cancel()


class _Indexer:
    """A Pagefind index fed from MkDocs' thread through an event loop of its own."""

    def __init__(self, config: IndexConfig) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="rc-search", daemon=True)
        self.thread.start()
        self.pending: list[concurrent.futures.Future[Any]] = []
        self.index: PagefindIndex = self._wait(self._open(config))

    def _wait(self, coro: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result()

    async def _open(self, config: IndexConfig) -> PagefindIndex:
        service = await _Service().launch()
        return await service.create_index(config)

    def add(self, record: search.Record) -> None:
        coro = self.index.add_html_file(content=record.html, url=record.url)
        self.pending.append(asyncio.run_coroutine_threadsafe(coro, self.loop))

    def finish(self, output: Path) -> dict[str, float]:
        """Wait for the last page, write the index files under `output`; seconds spent in each step."""
        took: dict[str, float] = {}
        start = time.perf_counter()
        try:
            for future in self.pending:
                future.result()
            took["last pages"] = time.perf_counter() - start
            # Pagefind's WriteFiles answers before tokio has flushed the files, and the service exits
            # at once when its input closes, so under load a file was left empty (pagefind-entry.json,
            # the wasm). GetFiles hands every file over in the reply; we write them ourselves.
            files = self._wait(self.index.get_files())
            entry = next(Path(f["path"]) for f in files if Path(f["path"]).name == "pagefind-entry.json")
            took["Pagefind's files"] = time.perf_counter() - start - took["last pages"]
            for file in files:
                target = output / Path(file["path"]).relative_to(entry.parent)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(file["content"])
        finally:
            self.close()
        return took

    def close(self) -> None:
        service = self.index._service
        if service is not None:
            self._wait(service.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()


class SearchPlugin(BasePlugin[SearchConfig]):
    """Streams rendered pages into Pagefind; adds /search/."""

    def __init__(self) -> None:
        self.indexer: _Indexer | None = None
        self.batch: list[search.Record] = []
        self.pages = 0
        self.started = 0.0

    def _meta(self, config: MkDocsConfig) -> MetaPlugin:
        return config.plugins["rc-meta"]  # type: ignore[return-value]

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if "rc-meta" not in config.plugins or "rc-listings" not in config.plugins:
            raise PluginError("rc-search: list rc-meta and rc-listings before rc-search in mkdocs.yml plugins.")
        if "search" in config.plugins or "material/search" in config.plugins:
            raise PluginError("rc-search replaces Material's search plugin: remove `- search` from mkdocs.yml plugins.")
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self._close()
        self.pages, self.batch, self.started = 0, [], time.perf_counter()
        # Pagefind's own page (playground) is never written; one index, in Chinese.
        index_config: IndexConfig = {"force_language": "zh", "write_playground": False}
        try:
            self.indexer = _Indexer(index_config)
        except (OSError, RuntimeError) as exc:
            raise PluginError(f"rc-search: 无法启动 Pagefind（{exc}）。请运行 python3 -m pip install 'pagefind[extended]'。") from exc

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        existing = files.get_file_from_path(search.SEARCH_PAGE)
        if existing is not None:
            files.remove(existing)  # the generated results page wins over a stray hand-made one
        files.append(File.generated(config, search.SEARCH_PAGE, content=search.results_page_markdown()))
        return files

    def on_page_context(self, context: TemplateContext, *, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> TemplateContext:
        if page.file.src_uri == search.SEARCH_PAGE:
            meta = self._meta(config)
            assert meta.catalog is not None
            rc: dict[str, Any] = dict(context.get("rc") or {})  # type: ignore[call-overload]
            rc["search"] = {"narratives": meta.catalog.vocabulary.narratives}
            context["rc"] = rc  # type: ignore[typeddict-unknown-key]
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        for record in self.records(page, config):
            if self.config.stream and self.indexer is not None:
                self.indexer.add(record)
            else:
                self.batch.append(record)
        return output

    def records(self, page: Page, config: MkDocsConfig) -> list[search.Record]:
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
            return []
        url = "/" + page.url
        self.pages += 1
        if entry is not None:
            thumb = meta.thumbnails.get(entry.cover.src) if entry.cover else None
            facts = search.entry_facts(entry, vocab, zh_date(entry.date), "/" + thumb.src if thumb else "")
            body = page.content or ""
            lead = (search.lecture_lead(entry) if isinstance(entry, Lecture)
                    else search.lead_unless_in_body(entry.summary, body))
            pinyin = search.pinyin_meta(entry.title) if self.config.pinyin else ""
            return [search.page_record(url, entry.title, body, facts, lead, search.narrative_terms(entry, vocab),
                                       pinyin)]
        if kind == "narrative" and listing is not None:
            narrative = vocab[listing.narrative]
            facts = search.Facts(kind="narrative")
            return [search.page_record(url, narrative.label, "", facts, narrative.description)]
        return [search.page_record(url, page.title or "", page.content or "", search.Facts(kind="page"))]

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        assert self.indexer is not None
        rendered = time.perf_counter()
        for record in self.batch:
            self.indexer.add(record)
        out = Path(config.site_dir) / search.OUTPUT_DIR
        if out.exists():
            shutil.rmtree(out)
        indexer, self.indexer = self.indexer, None
        try:
            took = indexer.finish(out)
        except Exception as exc:
            raise PluginError(f"rc-search: Pagefind 建立索引失败（{exc}）。") from exc
        for name in UNUSED:
            (out / name).unlink(missing_ok=True)
        canonical = time.perf_counter()
        try:
            sorts = search_bundle.canonicalize(out)
        except (ValueError, OSError, KeyError, IndexError) as exc:  # a Pagefind whose files are laid out otherwise
            raise PluginError(f"rc-search: Pagefind 索引的格式与预期不同（{exc!r}）。"
                              "请用 scripts/install 安装 pyproject.toml 中固定的 pagefind 版本。") from exc
        shards = Path(config.site_dir) / search.T2S_DIR
        shards.mkdir(parents=True, exist_ok=True)
        for name, data in {**search.t2s_shards(), **search.sort_files(sorts)}.items():
            (Path(config.site_dir) / name).write_bytes(data)
        done = time.perf_counter()
        took["canonical order"] = done - canonical
        steps = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in took.items())
        log.info(f"rc-search: {self.pages} pages indexed ({'streamed' if self.config.stream else 'after rendering'}); "
                 f"{done - rendered:.2f} s after the last page ({steps})")

    def on_build_error(self, *, error: Exception) -> None:
        self._close()

    def on_shutdown(self) -> None:
        self._close()

    def _close(self) -> None:
        indexer, self.indexer = self.indexer, None
        if indexer is not None:
            indexer.close()
