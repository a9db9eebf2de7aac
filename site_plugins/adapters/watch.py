"""The preview's watches: the kernel's file notifications, changes only (`mkdocs serve`, scripts/serve).

MkDocs polls every watched file every 0.5 s (3,600 files a poll at 3,000 stories); rc-meta's
`on_serve` moves its watches to inotify here, so an edit is seen at once.
"""

from __future__ import annotations

import logging
from typing import Any

import watchdog.events
import watchdog.observers

log = logging.getLogger("mkdocs.plugins.rc-meta")


# What is a change: MkDocs rebuilds on any event, and the kernel also reports a file opened or
# closed unwritten, which the rebuild's own reads of content/ do: without this, a rebuild loop.
CHANGES: list[type[watchdog.events.FileSystemEvent]] = [
    watchdog.events.FileCreatedEvent, watchdog.events.FileDeletedEvent, watchdog.events.FileModifiedEvent,
    watchdog.events.FileMovedEvent, watchdog.events.FileClosedEvent, watchdog.events.EventsLostEvent]


def inotify(server: Any) -> None:
    """Watch with the kernel's notifications instead of MkDocs' polling every 0.5 s (3,600 files a poll):
    an edit is seen at once. Where the watches cannot be moved, MkDocs' polling stays."""
    old = server.observer
    try:
        new = watchdog.observers.Observer()
        moved = {path: (watch, list(old._handlers[watch])) for path, watch in server._watch_refs.items()}
        for path, (watch, handlers) in moved.items():
            for handler in handlers:
                server._watch_refs[path] = new.schedule(handler, path, recursive=watch.is_recursive,
                                                        event_filter=CHANGES)
    except (AttributeError, KeyError, OSError):
        log.debug("预览：无法改用文件通知，仍按 MkDocs 的方式定时检查文件。", exc_info=True)
        return
    for watch, _ in moved.values():
        old.unschedule(watch)
    server.observer = new
