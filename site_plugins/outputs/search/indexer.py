"""One build's search index, made in the search worker: pages into Pagefind a shard at a time,
then the shards merged into one reproducible bundle.

Pagefind holds every page it has been given until it writes, and about four times as much
while it writes (0.3 MB a page: 1.2 GB at 3,000 stories). So `Build` hands Pagefind at most
`shard` pages (`rc-search: shard`) in one of its indexes, takes that index's files, deletes
it, and starts the next; Pagefind's memory stays that of one shard. Pages wait in the
worker, as the build described them, while Pagefind writes a shard, and at most `WINDOW`
of them are in Pagefind's input at once. When the last page is in, Pagefind exits (what
it held goes with it) and `merge.merge` joins the shards: the files are those Pagefind
would write for all the pages at once, whatever the shard size.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import time
from dataclasses import dataclass, field
from typing import Any

from pagefind.index import IndexConfig

from site_plugins.outputs.search import merge
from site_plugins.outputs.search import records as search
from site_plugins.outputs.search.bundle import Bundle
from site_plugins.outputs.search.later import Later, key_of, source_of
from site_plugins.outputs.search.pagefind import Service, bundle_files, start_service
from site_plugins.outputs.search.store import Store

# One index, in Chinese; Pagefind's own page (playground) is never written.
INDEX_CONFIG: IndexConfig = {"force_language": "zh", "write_playground": False}
# Pagefind writes several UI bundles; the site uses only the search API (pagefind.js, its worker
# and wasm), so the others are left out of the output.
UNUSED = frozenset({"pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js"})
WINDOW = 32  # pages sent to Pagefind ahead of its answers


class SearchError(Exception):
    """The index could not be built; the message says why, in the words of the failing step."""


@dataclass
class Result:
    files: Bundle  # the canonical bundle, by path inside its folder
    sorts: dict[str, list[str]]  # page ids per sort key (merge.merge)
    pages: int
    took: dict[str, float] = field(default_factory=dict)  # seconds per step after the last page
    shards: int = 0  # Pagefind indexes merged
    indexed: int = 0  # of them, made by Pagefind (the others were kept from the last index)


async def warm_service() -> Service:
    """Pagefind, with its Chinese segmenter and pypinyin's dictionaries loaded (about 0.5 s each),
    while the build still checks its content. Raises OSError or RuntimeError if it cannot start."""
    service = await start_service()
    index = await service.create_index(INDEX_CONFIG)
    warm = search.record(search.PageSource("/", "红十字", "<p>红十字志愿者</p>", search.Facts(kind="page"), pinyin=True))
    await index.add_html_file(content=warm.html, url=warm.url)
    await index.delete_index()
    return service


@dataclass
class Kept:
    """What a worker keeps of its last index for the next one (the preview's catch-up): each shard's
    parts by its pages, Pagefind's common files, the compressed files."""

    shards: dict[bytes, merge.Parts] = field(default_factory=dict)
    common: Bundle = field(default_factory=dict)  # pagefind.js, its worker and wasm
    packed: merge.Packed = field(default_factory=merge.Packed)


def cuts_after(url: str, count: int, shard: int) -> bool:
    """Whether a shard ends after this page (its `count`th): one page in `shard` by its address, or
    a full shard. Cut by address, a page added or deleted changes only the shard it falls in, where
    cuts by position would move every later shard's pages."""
    return count >= shard or int.from_bytes(hashlib.blake2b(url.encode("utf-8"), digest_size=4).digest()) % shard == 0


class Build:
    """One index: pages into Pagefind (`service`, which this build owns and closes) a shard at a
    time, as they come; `finish` merges the shards. A shard whose pages `kept` holds (the same
    descriptions, in the same order), or else `store` (on disk, scripts/build's), is taken from
    there instead of Pagefind; a page may come as a `Later` (its file read only for Pagefind)."""

    def __init__(self, serial: int, service: Service, config: IndexConfig, shard: int = search.SHARD,
                 kept: Kept | None = None, store: Store | None = None) -> None:
        self.serial, self.service, self.config, self.shard = serial, service, config, max(1, shard)
        self.kept = kept or Kept()
        self.store = store
        if store is not None and not self.kept.common:
            self.kept.common = store.common()
        if store is not None and not self.kept.packed.kept:
            self.kept.packed.kept = store.packed()
        self.packed_before = set(self.kept.packed.kept)
        self.used: dict[bytes, merge.Parts] = {}  # this build's shards by their pages
        self.queue: asyncio.Queue[search.PageSource | Later | None] = asyncio.Queue()
        self.sort_values: dict[str, dict[str, str]] = {}  # by URL, for merging the sort orders
        self.pages = 0
        self.made = 0  # shards Pagefind indexed (the others were kept)
        self.marks: dict[str, float] = {}  # perf_counter when the last page was in, when its files were
        self.indexing = asyncio.ensure_future(self._index())

    def add(self, source: search.PageSource | Later) -> None:
        self.queue.put_nowait(source)

    async def _index(self) -> list[merge.Parts]:
        """Every shard's parts, in the order of its pages."""
        shards: list[merge.Parts] = []
        batch: list[search.PageSource | Later] = []
        key = self._key()
        while True:
            item = await self.queue.get()
            if item is None:
                self.marks["last pages"] = time.perf_counter()
            else:
                source = item.source if isinstance(item, Later) else item  # its url and facts are whole
                batch.append(item)
                self.sort_values[source.url] = source.facts.sort()
                key.update(key_of(item))
                self.pages += 1
            if item is None or cuts_after(source.url, len(batch), self.shard):
                if batch or not shards:  # no page at all: Pagefind's files still give pagefind.js
                    digest = key.digest()
                    parts = (self.kept.shards.get(digest) or (self.store and self.store.shard(digest))
                             or await self._shard(batch))
                    self.used[digest] = parts
                    shards.append(parts)
                batch, key = [], self._key()
            if item is None:
                break
        self.marks["Pagefind's files"] = time.perf_counter()
        return shards

    def _key(self) -> Any:
        """A shard's key, its pages' descriptions added as they come: Pagefind's settings first."""
        salt = self.store.salt if self.store is not None else b""
        return hashlib.blake2b(json.dumps(self.config, sort_keys=True).encode("utf-8") + salt)

    async def _shard(self, items: list[search.PageSource | Later]) -> merge.Parts:
        """One shard's files from Pagefind: its pages in a new index, at most WINDOW in its input at once."""
        index = await self.service.create_index(self.config)
        pending: set[asyncio.Future[Any]] = set()
        for item in items:
            record = search.record(source_of(item))  # made now, not while it waits: a record is twice the size
            pending.add(asyncio.ensure_future(index.add_html_file(content=record.html, url=record.url)))
            if len(pending) >= WINDOW:
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                for future in done:
                    future.result()
        await asyncio.gather(*pending)
        files = await bundle_files(index)
        await index.delete_index()
        self.made += 1
        if not self.kept.common:  # pagefind.js, its worker and wasm: the same in every shard
            self.kept.common = {name: data for name, data in files.items()
                                if name not in UNUSED and not merge.INDEX_FILE.match(name) and name != merge.ENTRY}
        return merge.Parts({name: data for name, data in files.items()
                            if merge.INDEX_FILE.match(name) or name == merge.ENTRY})

    async def finish(self, start: float) -> Result:
        """The last page is in (`start`: when the build said so): the canonical bundle. `kept` holds
        this build's shards and files afterwards, none older."""
        self.queue.put_nowait(None)
        try:
            shards = await self.indexing
            await self.service.close()  # Pagefind exits: its memory is free while the shards merge
        except (OSError, RuntimeError) as exc:
            raise SearchError(f"Pagefind 建立索引失败（{exc}）。") from exc
        took = {"last pages": max(0.0, self.marks["last pages"] - start),
                "Pagefind's files": self.marks["Pagefind's files"] - max(start, self.marks["last pages"])}
        merging = time.perf_counter()
        try:
            files, sorts = merge.merge(shards, self.kept.common, self.sort_values, self.kept.packed)
        except (ValueError, KeyError, IndexError, TypeError) as exc:  # a Pagefind whose files are laid out otherwise
            raise SearchError(f"Pagefind 索引的格式与预期不同（{exc!r}）。"
                              "请用 scripts/install 安装 pyproject.toml 中固定的 pagefind 版本。") from exc
        took["canonical order"] = time.perf_counter() - merging
        self.kept.shards = self.used
        self.kept.packed.turn()
        if self.store is not None:
            with contextlib.suppress(OSError):  # a store that cannot be written only costs the next build time
                self.store.save(self.used, self.kept.common, self.kept.packed.kept,
                                set(self.kept.packed.kept) != self.packed_before)
        return Result(files, sorts, self.pages, took, len(shards), self.made)

    async def close(self) -> None:
        """Stop indexing (an aborted or finished build) and let Pagefind exit."""
        self.indexing.cancel()
        with contextlib.suppress(asyncio.CancelledError, OSError, RuntimeError, AssertionError):
            await self.indexing
        with contextlib.suppress(OSError, RuntimeError, AssertionError, ProcessLookupError):
            await self.service.close()
