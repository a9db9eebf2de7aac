"""The search index, built in a process of its own while the site renders.

MkDocs renders on one core. Everything the index costs runs beside it, on the second
one: the worker turns each page (`search.PageSource`) into its record (Han characters
split, the title's pinyin), streams it into Pagefind (a third process) a shard of pages
at a time, and when the last page is in, merges the shards' files into one reproducible
bundle (`indexer.Build`). The build's own thread only describes pages and, at the end,
writes the files it gets back.

`SearchWorker` is the build's side: `begin`, `add` (never blocks: a feeder thread
writes to the pipe), `finish` (does not wait), `ready` and `result` (wait, at most the
given seconds: a hung Pagefind stops the worker and Pagefind, and the build fails with
a Chinese message instead of hanging). One worker process serves every build of its
parent (`mkdocs serve`'s rebuilds, in-process test builds; pypinyin's dictionaries are
loaded once); each build has a Pagefind of its own, started and warmed when the build
begins and gone once its last page is in. Replies carry the build's number, so a reply
to an aborted build is never taken for the next one. The worker
exits when its input closes, so it never outlives its parent. Messages are pickles on
the worker's stdin and stdout; a reader thread takes the replies off the pipe.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import pickle
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any

from pagefind.index import IndexConfig

import site_plugins
from site_plugins import urls
from site_plugins.content.dates import zh_limit
from site_plugins.outputs.search import merge
from site_plugins.outputs.search import records as search
from site_plugins.outputs.search.bundle import Bundle
from site_plugins.outputs.search.indexer import INDEX_CONFIG, Build, Kept, Result, SearchError, warm_service
from site_plugins.outputs.search.later import Later
from site_plugins.outputs.search.pagefind import Service, running
from site_plugins.outputs.search.store import Store

__all__ = ["INDEX_CONFIG", "Bundle", "Result", "SearchError", "SearchWorker", "serve"]


class SearchWorker:
    """The build's handle on the worker process (started on first use, kept for the process)."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._outbox: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._inbox: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._serial = 0

    def start(self) -> None:
        """Start the worker now, if it is not running, so its imports overlap the caller's work."""
        self._start()

    def _start(self) -> subprocess.Popen[bytes]:
        if self._process is not None and self._process.poll() is None:
            return self._process
        # This very package, whatever another checkout installed (in-process test builds).
        root = str(Path(site_plugins.__file__).resolve().parent.parent)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (root, os.environ.get("PYTHONPATH"))))}
        # A session of its own: on a timeout, the worker and its Pagefind are stopped together.
        process = subprocess.Popen(
            [sys.executable, "-c", "from site_plugins.outputs.search.worker import serve; serve()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, start_new_session=True,
        )
        self._process, self._outbox, self._inbox = process, queue.SimpleQueue(), queue.SimpleQueue()
        threading.Thread(target=_feed, args=(self._outbox, process.stdin), name="rc-search", daemon=True).start()
        threading.Thread(target=_read, args=(self._inbox, process.stdout), name="rc-search-replies", daemon=True).start()
        return process

    def begin(self, config: IndexConfig, shard: int = search.SHARD, keep: bool = False, level: int = 9,
              store: tuple[str, bytes] | None = None) -> None:
        """A new index, `shard` pages at a time in Pagefind; a build still open in the worker is dropped.
        `keep`: the worker keeps the index's shards for the next index, and reuses those the last
        one kept (the preview's builds and catch-ups); without it, it forgets them. `level`: the
        gzip level of the files the merge writes (bundle.PREVIEW_LEVEL for the preview). `store`: a
        folder and a salt (store.py): shards are also reused from there, and this index's kept there."""
        self._start()
        self._serial += 1
        self._outbox.put(("begin", self._serial, config, shard, keep, level, store))

    def add(self, source: search.PageSource | Later) -> None:
        self._outbox.put(("page", self._serial, source))

    def add_all(self, sources: list[search.PageSource]) -> None:
        """Many pages in one message (the preview's catch-up: one each took 0.3 ms in the worker)."""
        self._outbox.put(("pages", self._serial, sources))

    def finish(self) -> None:
        """Every page is in: the worker builds the files now, while the caller goes on."""
        self._outbox.put(("finish", self._serial))

    def abort(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._outbox.put(("abort", self._serial))

    def ready(self, timeout: float) -> None:
        """Wait until Pagefind has started for this build, at most `timeout` seconds (else SearchError)."""
        self._reply("ready", timeout, "启动")

    def result(self, timeout: float) -> Result:
        """Wait for the files of this build's index, at most `timeout` seconds (else SearchError)."""
        result: Result = self._reply("done", timeout, "建好索引")[2]
        return result

    def _reply(self, kind: str, timeout: float, waiting_for: str) -> tuple[Any, ...]:
        process = self._process
        assert process is not None
        deadline = time.monotonic() + timeout
        while True:
            try:
                reply = self._inbox.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                self.stop()
                raise SearchError(f"Pagefind 在 {zh_limit(timeout)}内没有{waiting_for}（mkdocs.yml 中 rc-search 的 timeout），"
                                  f"搜索索引 {urls.PAGEFIND} 没有写成，已停止 Pagefind。请重新构建；"
                                  "网站很大或电脑很忙时，请调大 timeout。") from None
            if reply is None:
                self._outbox.put(None)  # its feeder thread ends too
                process.wait()
                self._process = None
                raise SearchError(f"搜索索引进程意外退出（退出码 {process.returncode}）")
            if reply[1] != self._serial:
                continue  # a reply to an earlier build that was aborted
            if reply[0] == "error":
                raise SearchError(reply[2])
            if reply[0] == kind:
                return tuple(reply)

    def stop(self) -> None:
        """Kill the worker and its Pagefind at once (its session); the next build starts another."""
        process, self._process = self._process, None
        if process is not None:
            self._outbox.put(None)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def close(self) -> None:
        """Stop the worker (its input closes; it exits by itself, else it is killed)."""
        process = self._process
        if process is not None:
            self._outbox.put(None)
            try:
                process.wait(timeout=30)
                self._process = None
            except subprocess.TimeoutExpired:
                self.stop()


def _read(inbox: queue.SimpleQueue[Any], pipe: IO[bytes] | None) -> None:
    """Put each reply of the worker on `inbox`; None once its output ends (it exited or was stopped)."""
    assert pipe is not None
    try:
        while True:
            inbox.put(pickle.load(pipe))
    except (EOFError, OSError, ValueError, pickle.UnpicklingError):
        inbox.put(None)


def _feed(outbox: queue.SimpleQueue[Any], pipe: IO[bytes] | None) -> None:
    """Write the outbox to the worker's stdin; None closes it."""
    assert pipe is not None
    try:
        while (message := outbox.get()) is not None:
            pickle.dump(message, pipe, protocol=pickle.HIGHEST_PROTOCOL)
            if outbox.empty():
                pipe.flush()
    except (BrokenPipeError, OSError):
        pass  # the worker has gone: the next reply the build waits for says so
    finally:
        with contextlib.suppress(OSError):
            pipe.close()


# --- the worker process ---


def serve() -> None:
    """The worker's main: answer builds until stdin closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the parent; stdin then closes
    # The index has slack, the build's thread has none: when the cores are short (Pagefind's
    # runtime alone starts a thread per core), the build's thread goes first. Pagefind inherits it.
    os.nice(10)
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a stray print must not corrupt the replies
    asyncio.run(_serve(sys.stdin.buffer, replies))


async def _serve(requests: IO[bytes], replies: IO[bytes]) -> None:
    worker = _Worker(replies, await _warm())
    loop = asyncio.get_running_loop()
    while True:
        try:
            message = await loop.run_in_executor(None, pickle.load, requests)
        except EOFError:
            break
        await worker.handle(message)
    await worker.exit()


async def _warm() -> Service | None:
    try:
        return await warm_service()
    except (OSError, RuntimeError):
        return None  # the build starts it again, and reports why it cannot


class _Worker:
    """The worker's state: a Pagefind service ready for the next build, the build it is indexing
    (which owns its own Pagefind, and lets it exit when its last page is in)."""

    def __init__(self, replies: IO[bytes], service: Service | None) -> None:
        self.replies, self.service = replies, service
        self.build: Build | None = None
        self.kept: Kept | None = None  # the last index's shards, for the next (`begin(keep=True)`)

    def reply(self, *message: Any) -> None:
        pickle.dump(message, self.replies, protocol=pickle.HIGHEST_PROTOCOL)
        self.replies.flush()

    async def handle(self, message: tuple[Any, ...]) -> None:
        kind, serial = message[0], message[1]
        if kind == "begin":
            await self.drop()
            await self.begin(serial, message[2], message[3], message[4], message[5], message[6])
        elif self.build is None or self.build.serial != serial:
            pass  # pages of a build that failed to start or was aborted
        elif kind == "page":
            self.build.add(message[2])
        elif kind == "pages":
            for source in message[2]:
                self.build.add(source)
        elif kind == "finish":
            await self.finish(self.build)
        elif kind == "abort":
            await self.drop()

    async def begin(self, serial: int, config: IndexConfig, shard: int, keep: bool, level: int,
                    store: tuple[str, bytes] | None) -> None:
        if self.kept is not None and self.kept.packed.level != level:
            self.kept = None  # compressed otherwise: nothing of it is the same bytes
        self.kept = (self.kept or Kept(packed=merge.Packed(level))) if keep else None
        try:
            service, self.service = self.service, None
            if service is None or not running(service):
                service = await warm_service()
            self.build = Build(serial, service, config, shard, self.kept or Kept(packed=merge.Packed(level)),
                               Store(*store, level=level) if store else None)
        except (OSError, RuntimeError) as exc:
            self.reply("error", serial, f"无法启动 Pagefind（{exc}）。请运行 python3 -m pip install 'pagefind[extended]'。")
        else:
            self.reply("ready", serial)

    async def finish(self, build: Build) -> None:
        try:
            self.reply("done", build.serial, await build.finish(time.perf_counter()))
        except SearchError as exc:
            self.reply("error", build.serial, str(exc))
        except Exception as exc:  # reported to the build, which fails with it in Chinese
            self.reply("error", build.serial, f"Pagefind 建立索引失败（{exc!r}）。")
        finally:
            await self.drop()
            _release()
        if self.kept is not None and self.service is None:
            # The preview's next catch-up is near: its Pagefind is started and warmed now, not after the edit.
            self.service = await _warm()

    async def drop(self) -> None:
        build, self.build = self.build, None
        if build is not None:
            await build.close()

    async def exit(self) -> None:
        """Input closed: the parent is done (or gone). Pagefind exits when its own input closes; the
        worker skips the interpreter's teardown (freeing pypinyin's dictionaries alone took 0.2 s,
        and a caller that reads the build's stderr waits for every process holding it)."""
        # Pagefind is reaped, so its CPU time counts as ours (scripts/bench).
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.drop(), timeout=5)
        if self.service is not None and running(self.service):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.service.close(), timeout=5)
        self.replies.flush()
        os._exit(0)


def _release() -> None:
    """Give the memory the build's index used back to the system: the worker idles until the next
    build (or its parent's end) while the build writes its files, its own peak."""
    # glibc: free pages inside the heap, not only at its top; with another C library, what Python
    # freed stays with the process until it is reused.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)
