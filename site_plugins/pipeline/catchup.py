"""The preview's search index, made again beside it after an edit (`CatchUp`).

A partial rebuild of the preview (adapters/live.py) renders only the pages an edit changed, so
the search index cannot be streamed as in a full build. The engine hands every page's description
to `described` as the page renders (the full build's and each partial rebuild's); after an edit,
`start` has a thread of its own give the worker every page described, in the engine's order (so
the index is the one a full build makes), and write the files where their bytes changed, stale
ones removed. The worker keeps the last index's shards (`begin(keep=True)`, here and in the
preview's full builds): only the shards whose pages changed go through Pagefind again, and the
merge compresses only the files whose content changed (outputs/search/indexer.py `Kept`). The reload never waits for it; an edit that comes while it runs makes it run again
with the newest pages. A full build `pause`s it first: it needs the worker and empties site_dir.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from site_plugins import urls
from site_plugins.outputs.search.bundle import PREVIEW_LEVEL
from site_plugins.outputs.search.records import PageSource
from site_plugins.outputs.search.worker import INDEX_CONFIG, SearchError, SearchWorker
from site_plugins.pipeline.manifest import Output, rewrite
from site_plugins.pipeline.searching import index_files
from site_plugins.settings import SearchOptions

log = logging.getLogger("mkdocs.plugins.rc-search")


class CatchUp:
    """Every page's description of the preview, and the thread that indexes them after an edit."""

    def __init__(self, worker: SearchWorker) -> None:
        self.worker = worker
        self.sources: dict[str, PageSource] = {}  # page source -> its description, as last rendered
        self.last = 0.0  # seconds the last catch-up took (logged)
        self._busy = threading.Lock()  # held while the worker indexes or the files are written
        self._wake = threading.Condition()
        self._wanted: tuple[Sequence[str], Path, SearchOptions] | None = None
        self._paused = False
        self._thread: threading.Thread | None = None

    def described(self, src: str, source: PageSource) -> None:
        self.sources[src] = source

    def start(self, order: Sequence[str], site_dir: Path, options: SearchOptions) -> None:
        """Index the pages `order` lists (page sources, in the engine's order) into `site_dir`, soon."""
        with self._wake:
            self._wanted = (tuple(order), site_dir, options)
            self._wake.notify()
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="rc-search-catch-up", daemon=True)
            self._thread.start()

    def pause(self) -> None:
        """Drop what is asked and wait for a run under way: a full build takes over."""
        with self._wake:
            self._paused, self._wanted = True, None
        with self._busy:
            pass

    def resume(self) -> None:
        with self._wake:
            self._paused = False

    def wait(self, timeout: float) -> bool:
        """Whether every catch-up asked for has ended within `timeout` seconds (tests, the bench)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._wake:
                idle = self._wanted is None
            if idle and self._busy.acquire(timeout=max(0.0, deadline - time.monotonic())):
                self._busy.release()
                with self._wake:
                    if self._wanted is None:
                        return True
            time.sleep(0.01)
        return False

    def _run(self) -> None:
        while True:
            with self._wake:
                self._wake.wait_for(lambda: self._wanted is not None and not self._paused)
                wanted, self._wanted = self._wanted, None
            assert wanted is not None
            with self._busy:
                with self._wake:
                    if self._paused:
                        continue
                try:
                    self._index(*wanted)
                except SearchError as exc:
                    log.warning(f"预览的搜索索引没有更新：{exc}")

    def _index(self, order: Sequence[str], site_dir: Path, options: SearchOptions) -> None:
        started = time.perf_counter()
        self.worker.begin(INDEX_CONFIG, options.shard, keep=True, level=PREVIEW_LEVEL)
        self.worker.add_all([source for src in order if (source := self.sources.get(src)) is not None])
        self.worker.finish()
        files = index_files(self.worker.result(options.timeout))
        with self._wake:
            if self._wanted is not None or self._paused:
                return  # a newer edit or a full build: these files are stale already
        written = write_changed(site_dir, files, urls.PAGEFIND)
        self.last = time.perf_counter() - started
        log.info(f"预览的搜索索引已更新（{len(order)} 个页面，{written} 个文件改写，{self.last:.1f} 秒）")


def write_changed(site_dir: Path, files: dict[str, bytes], owned: str) -> int:
    """`files` (site path -> bytes) written where their bytes differ; files under the folder `owned`
    that are not among them removed. The number written."""
    written = sum(rewrite(site_dir, Output(path, "rc-search", data)) for path, data in sorted(files.items()))
    folder = site_dir / owned
    if folder.is_dir():
        for old in folder.rglob("*"):
            if old.is_file() and old.relative_to(site_dir).as_posix() not in files:
                old.unlink()
    return written
