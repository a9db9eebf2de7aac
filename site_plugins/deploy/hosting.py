"""How the built site is served: content types, cache lifetimes, what is precompressed.

One table, read by the nginx configuration (`deploy/nginx.py`), by
`scripts/publish` (object metadata) and by the tests, so a web server and a
bucket send readers the same headers. Paths are site paths with a leading
slash (`/stories/x/index.html`); the patterns are written in the subset of
regular expressions that Python and nginx (PCRE) read alike.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from site_plugins import urls

# Content-hashed files never change under their name: cache them for a year.
IMMUTABLE = "public, max-age=31536000, immutable"
# Pages, feeds, the calendar and the search index: a new story reaches readers within 5 minutes.
BRIEF = "public, max-age=300"
# Everything else keeps its name when its content changes (site.css, social cards, logos).
ASSET = "public, max-age=86400"

# Suffix -> media type. The nginx configuration lists exactly these (its `types` block
# replaces the server's mime.types), so a file type missing here is served as DEFAULT_TYPE.
TYPES: dict[str, str] = {
    "html": "text/html", "htm": "text/html",
    "css": "text/css", "js": "text/javascript", "mjs": "text/javascript",
    "json": "application/json", "map": "application/json", "webmanifest": "application/manifest+json",
    "xml": "application/xml", "txt": "text/plain", "ics": "text/calendar",
    "opml": "text/x-opml", "vtt": "text/vtt",
    "svg": "image/svg+xml", "webp": "image/webp", "jpg": "image/jpeg", "jpeg": "image/jpeg",
    "png": "image/png", "gif": "image/gif", "avif": "image/avif", "ico": "image/vnd.microsoft.icon",
    "woff2": "font/woff2", "woff": "font/woff", "ttf": "font/ttf", "otf": "font/otf",
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "ogg": "audio/ogg", "oga": "audio/ogg", "opus": "audio/ogg", "mp3": "audio/mpeg", "m4a": "audio/mp4",
    "mp4": "video/mp4", "webm": "video/webm",
    "wasm": "application/wasm", "gz": "application/gzip",
}
DEFAULT_TYPE = "application/octet-stream"
# Types sent with `; charset=utf-8` (Chinese text must not be guessed at by the client).
CHARSET_TYPES = ("text/html", "text/css", "text/javascript", "text/plain", "text/calendar", "text/x-opml", "text/vtt",
                 "application/json", "application/xml", "application/manifest+json",
                 "application/rss+xml", "application/atom+xml", "application/feed+json")
# Text worth a precompressed `.gz` beside it (served by nginx's gzip_static, uploaded
# gzip-encoded by scripts/publish). Images, audio and Pagefind's files are compressed already.
COMPRESSIBLE = ("html", "htm", "css", "js", "mjs", "json", "map", "webmanifest", "xml", "txt", "ics", "svg",
                "opml", "vtt")


@dataclass(frozen=True)
class Rule:
    """Paths matching `pattern` get `cache`, and `content_type` if set (else by suffix)."""

    pattern: str
    cache: str
    content_type: str | None = None
    why: str = ""

    def matches(self, path: str) -> bool:
        return re.search(self.pattern, path) is not None


# First match wins, as among nginx's regex locations; no match: ASSET.
RULES: tuple[Rule, ...] = (
    Rule(rf"^/{re.escape(urls.MEDIA)}[0-9a-f]{{16}}/", IMMUTABLE, why="image variants, named by their content hash"),
    Rule(rf"^/{re.escape(urls.ASSETS)}.+\.[0-9a-f]{{8}}\.min\.(?:js|css)(?:\.map)?$", IMMUTABLE,
         why="Material's bundles carry a hash in their names"),
    Rule(rf"^/{re.escape(urls.PAGEFIND)}.+\.pf_[a-z]+$", IMMUTABLE, why="Pagefind's index chunks, named by hash"),
    Rule(f"(?:^|/){re.escape(urls.FEED_FILES['rss'])}$", BRIEF, "application/rss+xml", "RSS feeds"),
    Rule(f"(?:^|/){re.escape(urls.FEED_FILES['atom'])}$", BRIEF, "application/atom+xml", "Atom feeds"),
    Rule(f"(?:^|/){re.escape(urls.FEED_FILES['json'])}$", BRIEF, "application/feed+json", "JSON Feed"),
    Rule(f"^/{re.escape(urls.PAGEFIND)}", BRIEF, why="Pagefind's entry file and loader name the current chunks"),
    Rule(f"^/{re.escape(urls.POSTERS)}", BRIEF, why="a lecture's poster changes with its time, venue or speakers under the same name"),
    Rule(r"(?:/|\.html?|\.xml|\.json|\.ics|\.txt)$", BRIEF,
         why="pages, sitemap, calendar, search index"),
)


def _rule(path: str) -> Rule | None:
    return next((rule for rule in RULES if rule.matches(path)), None)


def media_type(path: str) -> str:
    """The media type of a site path, without parameters."""
    rule = _rule(path)
    if rule is not None and rule.content_type:
        return rule.content_type
    name = posixpath.basename(path)
    if not name:
        return TYPES["html"]  # a folder is served as its index.html
    suffix = name.rpartition(".")[2].lower() if "." in name else ""
    return TYPES.get(suffix, DEFAULT_TYPE)


def content_type(path: str) -> str:
    """The Content-Type header of a site path, e.g. `text/html; charset=utf-8`."""
    kind = media_type(path)
    return f"{kind}; charset=utf-8" if kind in CHARSET_TYPES else kind


def cache_control(path: str) -> str:
    """The Cache-Control header of a site path."""
    rule = _rule(path)
    return rule.cache if rule is not None else ASSET


def compressible(path: str) -> bool:
    """Whether a precompressed `.gz` is worth writing beside this file."""
    return path.rpartition(".")[2].lower() in COMPRESSIBLE and "." in posixpath.basename(path)


def hidden(path: str) -> bool:
    """Files the build keeps for the server, not for readers: any `/.name` segment but /.well-known/."""
    return any(part.startswith(".") and part != ".well-known" for part in path.split("/"))
