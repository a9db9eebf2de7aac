"""What a preview's rebuild makes after the reload (adapters/live.py): pictures and notices planned.

Inside `drawn_later`, media/cache.py gives a missing card, square, poster or lecture notice its
planned manifest instead of making it, and queues the task here; `Later.run` makes them all, in
the background, while the rest of the edit renders. The preview's gate (adapters/viewed.py) holds
a request for one of their files until it is written.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

from site_plugins.media.pool import Runner


class Later:
    """The tasks queued, and the cache files they write. A card's, a square's or a poster's file name
    and size follow from its spec, a notice's name and cuts from its layout: all that pages read."""

    def __init__(self) -> None:
        self.calls: dict[tuple[Callable[..., Any], int], dict[str, tuple[Any, ...]]] = {}
        self.files: set[str] = set()  # the cache files they write

    def add(self, task: Callable[..., Any], workers: int, key: str, call: tuple[Any, ...], file: str) -> None:
        self.calls.setdefault((task, workers), {})[key] = call
        self.files.add(file)

    def run(self) -> None:
        """Make them into the cache, over the process pool (its start, once, is in the background too)."""
        calls, self.calls = self.calls, {}
        for (task, workers), todo in calls.items():
            Runner(workers).map(task, list(todo.values()), 2)


_LOCAL = threading.local()


@contextlib.contextmanager
def drawn_later() -> Iterator[Later]:
    """Within (this thread): a missing card, square, poster or notice is planned; `Later.run` makes them."""
    later = _LOCAL.later = Later()
    try:
        yield later
    finally:
        _LOCAL.later = None


def current() -> Later | None:
    """The `Later` of this thread's `drawn_later`, if inside one."""
    found: Later | None = getattr(_LOCAL, "later", None)
    return found
