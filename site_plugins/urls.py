"""Every URL the site has, in one place: site paths relative to the site root, no leading "/".

The core builds its addresses here (entries, narratives, listings, feeds, the
calendar, media, social images, subscribe, search) and templates get theirs
from `for_templates()` as the template global `urls`, so no address is written twice and none
is hard-coded in a template. A change of URL scheme is a change to this file.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Mapping

HOME = ""
STORIES = "stories/"
LECTURES = "lectures/"
NARRATIVES = "narratives/"
ARCHIVE = "stories/archive/"
SUBSCRIBE = "subscribe/"
SEARCH = "search/"
SUBSCRIBE_SOURCE = "subscribe.md"  # the generated /subscribe/ page's Markdown source
SEARCH_SOURCE = "search.md"  # the generated /search/ results page's
CALENDAR = "lectures/calendar.ics"
OPML = "subscribe/feeds.opml"  # every feed, for a reader to import at once
FEED_FILES = {"rss": "feed.xml", "atom": "atom.xml", "json": "feed.json", "podcast": "podcast.xml"}
FOLDERS = {"story": "stories", "lecture": "lectures"}
# Addresses the generated listings use inside /stories/ and /lectures/: no entry may take them.
RESERVED_SLUGS = frozenset({"archive", "page", "index"})
MEDIA = "media/"  # processed images and recordings, each under its content hash
POSTERS = "posters/"
PLACEHOLDERS = f"{MEDIA}placeholders"  # each narrative's picture for listing cards without a cover
SITE_SHARE_IMAGE = "cards/site-square.jpg"  # the square share image of pages that are not entries
# The search index: Pagefind's bundle (its loader, pagefind.js), and beside /search/ the
# Traditional -> Simplified shards and the sort orders taken out of Pagefind's metadata.
PAGEFIND = "pagefind/"
PAGEFIND_JS = PAGEFIND + "pagefind.js"
SEARCH_T2S = f"{SEARCH}t2s/"
ADMIN = "admin/"  # the web editor (Decap CMS)
# `scripts/serve`'s preview (and `scripts/edit`'s): where an editor sees a new or edited page.
LOOPBACK = "127.0.0.1"  # a preview listens on this machine only
PREVIEW_PORT = 8000
PREVIEW_HOST = f"{LOOPBACK}:{PREVIEW_PORT}"
PREVIEW = f"http://{PREVIEW_HOST}/"


def entry(kind: str, slug: str) -> str:
    """A story or lecture: stories/<slug>/, lectures/<slug>/."""
    return f"{FOLDERS[kind]}/{slug}/"


def narrative(key: str) -> str:
    return f"{NARRATIVES}{key}/"


def archive_year(year: int) -> str:
    return f"{ARCHIVE}{year}/"


def page(first: str, number: int) -> str:
    """Page `number` of a paginated listing whose first page is `first`."""
    return first if number <= 1 else f"{first}{_PAGE}{number}/"


_PAGE = "page/"
_NARRATIVE_LISTING = re.compile(rf"^{re.escape(NARRATIVES)}([a-z0-9-]+)/(?:{_PAGE}\d+/)?$")


def listing_narrative(url: str) -> str:
    """The narrative whose listing (any of its pages) is at `url`, else ""."""
    match = _NARRATIVE_LISTING.match(url)
    return match[1] if match else ""


def page_count(items: int, size: int) -> int:
    """How many pages a listing of `items` has at `size` a page: an empty listing still has one."""
    if size < 1:
        raise ValueError("page size must be at least 1")
    return max(1, -(-items // size))


def listing_pages(narratives: Mapping[str, int], stories: int, years: Iterable[int], held_lectures: int,
                  size: int) -> set[str]:
    """Every generated listing page's address, from how many entries each listing holds: the
    narrative index and each narrative, the stories, the archive and its years, the lectures."""
    out = {NARRATIVES, ARCHIVE, *(archive_year(y) for y in years)}
    lists = [(narrative(k), n) for k, n in narratives.items()] + [(STORIES, stories), (LECTURES, held_lectures)]
    for first, count in lists:
        out |= {page(first, number) for number in range(1, page_count(count, size) + 1)}
    return out


def lecture_event(slug: str) -> str:
    """A lecture's own .ics file (its 加入日历 link), beside its page."""
    return f"{entry('lecture', slug)}{slug}.ics"


def t2s_shard(number: int) -> str:
    """One shard of the search's Traditional -> Simplified table: two hex digits (search/t2s/0a.json)."""
    return f"{SEARCH_T2S}{number:02x}.json"


def search_sort(key: str) -> str:
    """The search's page ids in the order of a sort key (search/sort-date.json)."""
    return f"{SEARCH}sort-{key}.json"


def feed(folder: str, fmt: str) -> str:
    """A feed file of a folder: "" (the site), narratives/<key>/ or lectures/."""
    return folder + FEED_FILES[fmt]


def subscribe_section(key: str) -> str:
    """A section of /subscribe/ where a person copies an address: a feed set's key ("site",
    "narrative:<key>", "lectures", "podcast"), "calendar" or "opml". Feed files are for readers;
    every feed link a person can click leads here (browsers no longer show a feed as a page)."""
    return f"{SUBSCRIBE}#{key.replace(':', '-')}"


def media(key: str, name: str) -> str:
    """A processed file (image variant, recording) under its content hash."""
    return f"{MEDIA}{key[:16]}/{name}"


def social_image(kind: str, slug: str, suffix: str) -> str:
    """An entry's 1200x630 share image (og:image)."""
    return f"cards/{FOLDERS[kind]}/{slug}.{suffix}"


def share_image(kind: str, slug: str) -> str:
    """An entry's square share image (itemprop image: WeChat, QQ, Weibo)."""
    return f"cards/{FOLDERS[kind]}/{slug}-square.jpg"


def poster(kind: str, slug: str, suffix: str) -> str:
    """An entry's tall 分享海报 with a QR code of its address."""
    return f"{POSTERS}{FOLDERS[kind]}/{slug}.{suffix}"


def lecture_notice(slug: str) -> str:
    """A lecture's one-page A4 notice (打印讲座通知), a PDF."""
    return f"notices/{slug}.pdf"


# The print style sheet (linked with media="print", so it never delays a screen's first paint),
# and 朗读's script, loaded by story and lecture pages only.
ASSETS = "assets/"  # the theme's files: Material's bundles and ours
PRINT_CSS = f"{ASSETS}stylesheets/print.css"
READALOUD_JS = f"{ASSETS}javascripts/readaloud.js"


# Generated pages besides the listings, by source: the link check accepts links to them.
GENERATED_SOURCES = frozenset({SUBSCRIBE_SOURCE, SEARCH_SOURCE})
# The first segment of every site area the build generates (no content file owns one): an old
# address (`aliases:`) there would hide what the build writes.
GENERATED_TOP = frozenset({
    *(path.split("/")[0] for path in (PRINT_CSS, PLACEHOLDERS, SITE_SHARE_IMAGE, poster("story", "x", "png"),
                                      lecture_notice("x"), NARRATIVES, SUBSCRIBE, SEARCH, PAGEFIND, ADMIN)),
    "404.html", "index.html", "sitemap.xml", *(feed(HOME, fmt) for fmt in FEED_FILES)})


def source(url: str) -> str:
    """The Markdown source MkDocs gives a generated page published at `url`."""
    return f"{url}index.md"


def markdown_page(src: str) -> str:
    """A plain Markdown page of content/ (about.md, a/index.md) at its directory URL, as MkDocs publishes it."""
    folder, name = posixpath.split(src)
    stem = posixpath.splitext(name)[0]
    path = folder if stem.lower() in ("index", "readme") else posixpath.join(folder, stem)
    return f"{path}/" if path else HOME


# The preview's 复制到公众号 button (served by `scripts/serve` only, never published).
WECHAT_COPY_SCRIPT = "assets/javascripts/wechat-copy.js"


def relative(target: str, page_url: str) -> str:
    """`target` relative to the page published at `page_url` (as MkDocs' get_relative_url)."""
    if page_url != ".":
        folder, name = posixpath.split(page_url)
        page_url = folder if "." in name else page_url
    rel = posixpath.relpath(target or ".", page_url or ".")
    return rel + "/" if target.endswith("/") else rel


def for_templates() -> dict[str, str | Callable[..., str]]:
    """The addresses templates link to, the template global `urls` (pass them through `| url`)."""
    return {
        "home": HOME, "stories": STORIES, "lectures": LECTURES, "narratives": NARRATIVES,
        "archive": ARCHIVE, "subscribe": SUBSCRIBE, "search": SEARCH, "calendar": CALENDAR,
        "subscribe_section": subscribe_section,
        "print_css": PRINT_CSS, "readaloud_js": READALOUD_JS,
    }
