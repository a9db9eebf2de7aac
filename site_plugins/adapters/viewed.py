"""The preview's pages being viewed, and a gate that never serves a page the last edit has not reached yet.

After an edit the preview renders first the pages an editor is looking at (the edited file's
page, and every page a browser asked for lately, as Hugo's server does) and tells the browsers
to reload; the other pages the edit changes, the sitemap, feeds and calendars follow at once in
the background (adapters/live.py). Until they are written, a request for any of them waits for
them here, so whatever the server answers already shows the edit: those pages, and every file
that is neither a page nor an asset (feeds, calendars, the sitemap), and the cards, squares,
posters and notices the edit makes again (made in the background too). Pages the edit does not change, other
pictures, styles and scripts are never held; the search index catches up on its own (rc-search).
"""

from __future__ import annotations

import posixpath
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
from typing import Any

from site_plugins.content.schema import IMAGE_SUFFIXES

# Files the background never writes: what a request for them gets is already the edit's.
ASSETS = (*IMAGE_SUFFIXES, ".css", ".js", ".mjs", ".map", ".svg", ".ico", ".woff", ".woff2", ".ttf", ".mp3",
          ".m4a", ".ogg", ".wav", ".pdf", ".pf_fragment", ".pf_index", ".pf_meta", ".pagefind", ".wasm")
RECENT = 600.0  # s: a page asked for (or polling for a reload) within this long counts as viewed
KEPT = 64  # pages remembered: the most recent


class Viewed:
    """Which pages browsers asked for lately, and which pages may be served while the rest is rendered."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.seen: dict[str, float] = {}  # site path of a page (…/index.html) -> when last asked for
        self.pending: frozenset[str] = frozenset()  # the pages the background is writing (site paths)
        self.done = threading.Event()
        self.done.set()
        self.lock = threading.Lock()

    def saw(self, path: str, mount: str = "/") -> str:
        """A request for URL path `path` (unquoted): its site path, remembered if it is a page."""
        rel = site_path(path, mount)
        if rel is not None and rel.endswith(".html"):
            with self.lock:
                self.seen.pop(rel, None)
                self.seen[rel] = self.clock()
                while len(self.seen) > KEPT:
                    del self.seen[next(iter(self.seen))]
        return rel or ""

    def pages(self) -> set[str]:
        """The site paths of the pages viewed lately."""
        now = self.clock()
        with self.lock:
            return {rel for rel, when in self.seen.items() if now - when <= RECENT}

    def hold(self, pending: Iterable[str]) -> None:
        """The background starts writing the pages `pending` (site paths) and the outputs that are
        not pages: until `release`, a request for one of them waits."""
        self.pending = frozenset(pending)
        self.done.clear()

    def release(self) -> None:
        self.done.set()

    def held(self, rel: str) -> bool:
        if self.done.is_set():
            return False
        lowered = rel.lower()
        return rel in self.pending or not (lowered.endswith(".html") or lowered.endswith(ASSETS))

    def gate(self, server: Any) -> None:
        """Put this in front of MkDocs' live-reload server's requests (it records and holds them)."""
        app, mount = server.get_app(), getattr(server, "mount_path", "/")

        def serve(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
            path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "ignore")  # as MkDocs reads it
            if path.startswith("/livereload/"):  # a page waiting for a reload: open in a browser
                self.saw(urllib.parse.unquote(urllib.parse.urlsplit(environ.get("HTTP_REFERER") or "").path), mount)
            elif self.held(self.saw(path, mount)):
                self.done.wait(60)
            return app(environ, start_response)

        server.set_app(serve)


def site_path(path: str, mount: str = "/") -> str | None:
    """URL path -> the file of the site it serves (`a/b/` -> `a/b/index.html`), None outside the site."""
    if not (path + "/").startswith(mount):
        return None
    rel = posixpath.normpath("/" + path[len(mount):]).lstrip("/")
    return posixpath.join(rel, "index.html") if path.endswith("/") or not rel else rel
