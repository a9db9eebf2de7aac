#!/usr/bin/env python3
"""What search costs a reader: bytes fetched on page load and by a first query, as served.

    scripts/bench_search.py SITE_DIR [--query 志愿者]

Serves SITE_DIR on 127.0.0.1 with gzip for text (as nginx's `gzip_static` /
`gzip on` would; Pagefind's index files are compressed already and are sent as
they are), opens the home page in Debian's Chromium, then types the query into
the header's search box and waits for the results. Counts the bytes on the wire
(`Request.sizes()`: encoded body sizes) of every request but images, before and
after the reader opens search. Works for our site (Pagefind) and for the plain
Material reference build (search_index.json, fetched by its worker on page load).
`scripts/bench` calls `measure`; a benchmark prints, it asserts nothing.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import threading
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TEXT = (".html", ".js", ".css", ".json", ".svg", ".xml", ".txt")
IMAGES = (".jpg", ".jpeg", ".png", ".webp", ".svg", ".gif")


class _Gzip(http.server.SimpleHTTPRequestHandler):
    """Static files, text gzip-encoded when the client accepts it (deterministic: mtime 0)."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not (path.is_file() and path.suffix in TEXT and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def _wire_bytes(requests: list) -> int:  # type: ignore[type-arg]
    total = 0
    for request in requests:
        if urlsplit(request.url).path.lower().endswith(IMAGES):
            continue
        try:
            total += request.sizes()["responseBodySize"]
        except Exception:  # a request that never finished carries no size
            continue
    return total


def measure(site: Path, query: str = "志愿者") -> dict[str, int]:
    """{'load': bytes of search data fetched with the home page, 'query': bytes the first query fetched}."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Gzip, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            seen: list = []  # type: ignore[type-arg]
            # on the context: it also sees what web workers fetch (Material's search, Pagefind's)
            context.on("requestfinished", lambda request: seen.append(request))
            page = context.new_page()
            page.goto(base, wait_until="networkidle")
            search = [r for r in seen if "/pagefind/" in r.url or "/search/" in r.url]
            load = _wire_bytes(search)
            before = len(seen)
            box = page.locator("input.md-search__input")
            box.click()
            box.fill(query)
            box.press("End")  # Material's search runs on keyup; ours on input
            page.locator(".md-search-result__item").first.wait_for(timeout=60_000)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(500)
            first = _wire_bytes(seen[before:])
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return {"load": load, "query": first}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--query", default="志愿者")
    args = parser.parse_args()
    got = measure(args.site, args.query)
    print(f"on page load: {got['load'] / 1024:.1f} KB; first query ({args.query}): {got['query'] / 1024:.1f} KB")


if __name__ == "__main__":
    main()
