"""The media process pool: kept for the process, its workers ending with it.

Images, recordings, notices and drawn pictures are made over it (media/cache.py). Each worker is
a new interpreter (spawned: MkDocs' live-reload server runs threads), importing Pillow and
fontTools once.
"""

from __future__ import annotations

import atexit
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

_POOLS: dict[int, Executor] = {}


def _worker_start() -> None:
    """A pool worker ends with the process that started it, however that one ends.

    Ctrl-C reaches the whole terminal group: the worker ignores it rather than print a traceback.
    A worker only waits for tasks, and the pool's queues do not close when their owner is
    killed or exits without shutting the pool down, so a thread ends the worker once the
    parent's sentinel says it is gone.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:
        sentinel = parent.sentinel

        def watch() -> None:
            multiprocessing.connection.wait([sentinel])
            os._exit(0)

        threading.Thread(target=watch, name="rc-parent-watch", daemon=True).start()


def _close_pools() -> None:
    """Stop the pools' workers. Registered with atexit after multiprocessing's own exit hook, so
    it runs first: that hook joins every child, and a pool worker only leaves once told to, which
    otherwise happens in threading's shutdown, before atexit, but not when a program (such as
    scripts/bench's timed build) runs the exit handlers itself."""
    while _POOLS:
        _POOLS.popitem()[1].shutdown(wait=True, cancel_futures=True)


def _pool(workers: int) -> Executor:
    if workers not in _POOLS:
        if not _POOLS:
            atexit.register(_close_pools)
        # spawn, not fork: MkDocs' live-reload server runs threads, and forking them is unsafe.
        _POOLS[workers] = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                              initializer=_worker_start)
    return _POOLS[workers]


class Runner:
    """Runs tasks inline, or over a process pool kept for the process.

    The pool starts on first need and outlives the build: each worker is a new interpreter
    importing Pillow and fontTools (about a second of CPU), which a build that draws two
    social images paid again every time; `mkdocs serve`'s rebuilds now reuse it.
    """

    def __init__(self, workers: int = 0) -> None:
        self.workers = workers or os.cpu_count() or 1

    def map(self, task: Callable[..., Any], calls: list[tuple[Any, ...]], pool_from: int = 2) -> list[Any]:
        """`task` over `calls`, on the pool if it runs already or if there are `pool_from` calls at
        least (below that, starting the pool's interpreters costs more than it saves)."""
        started = self.workers in _POOLS
        if len(calls) < 2 or self.workers < 2 or (len(calls) < pool_from and not started):
            return [task(*args) for args in calls]
        try:
            return list(_pool(self.workers).map(task, *zip(*calls, strict=True)))
        except BrokenProcessPool:
            _POOLS.pop(self.workers, None)  # a worker died (killed, out of memory): the next map starts anew
            raise

    def close(self) -> None:
        """Nothing to stop: the pool is kept for the next build (it stops when the process exits)."""

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
