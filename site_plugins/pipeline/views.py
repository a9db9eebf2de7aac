"""Each page's view: everything the templates show of a page beyond its rendered Markdown (`rc`).

`page_views` makes the view of every page of a build at once, from what `prepare` knows: the
entry's facts, structured data and share tags (outputs/pages/pageview.py), its cover as `<picture>`,
its feeds and calendar links, the listing, related stories or home page it shows, its printable
notice, the footer. Content text in it is escaped once, here (`template_view`). An engine hands
the view to the templates as the page's `rc` (MkDocs: `page.meta["rc"]`).
scripts/build makes each view only when its page renders (`OnDemand`) and keeps a digest of each
view's inputs for the next build to compare (`OnDemand.digests`).

Two parts need the page's rendered HTML and are made per page by the engine's adapter:
`pictures` (each `<img>` of ours made a `<picture>`) and, in the preview, `wechat` (复制到公众号).
"""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from markupsafe import Markup

from site_plugins import urls
from site_plugins.content.reuse import keeping
from site_plugins.content.reuse import value_digest as digest
from site_plugins.content.schema import Lecture, Story, withheld_reason
from site_plugins.content.vocabulary import Vocabulary
from site_plugins.media.images import Rendition
from site_plugins.media.picture import picture, rewrite
from site_plugins.outputs.feeds.calendar import reminder_text
from site_plugins.outputs.feeds.subscribe import CALENDAR_PATH, FeedSet, alternates, webcal
from site_plugins.outputs.pages.cards import Listing
from site_plugins.outputs.pages.escaping import template_view
from site_plugins.outputs.pages.listings import Listings
from site_plugins.outputs.pages.pageview import PageInfo, page_view
from site_plugins.outputs.pages.seo import SiteInfo
from site_plugins.outputs.pages.wxbrowser import calendar_copy
from site_plugins.outputs.published import Published
from site_plugins.outputs.wechat import edition as wechat_edition
from site_plugins.outputs.wechat import images as wechat_images
from site_plugins.outputs.wechat import links as wechat_links
from site_plugins.settings import Settings

NOT_FOUND = "404.html"  # the engine's page for a missing address: a template, no Markdown source
View = Mapping[str, Any]


class OnDemand(Mapping[str, View]):
    """`page_views` made a page at a time, when a page's view is first asked for (scripts/build: an
    incremental build renders a few pages, and the others' views are never made).

    `digests` stands for every view without making it: the digest of everything `view_of` reads for the
    page (`_inputs` and what all pages share), so two builds' views are equal where their digests are.
    """

    def __init__(self, infos: Mapping[str, PageInfo], entries: Mapping[str, Story | Lecture], settings: Settings,
                 site: SiteInfo, parts: ViewParts) -> None:
        self._infos, self._entries, self._settings, self._site, self._parts = infos, entries, settings, site, parts
        media = [getattr(parts.published, f.name) for f in fields(parts.published)]
        self._maps = tuple(value for value in media if isinstance(value, Mapping))
        self._shared = (settings, site, parts.feeds, parts.vocabulary, parts.search_page,
                        tuple(value for value in media if not isinstance(value, Mapping)))
        self._made: dict[str, View] = {}
        self._digests: dict[str, bytes] | None = None

    def __getitem__(self, src: str) -> View:
        view = self._made.get(src)
        if view is None:
            if src == NOT_FOUND:
                view = _not_found(self._settings, self._site, self._parts)
            else:
                info, entry = self._infos[src], self._entries.get(src)
                view = template_view(view_of(src, info, entry, self._settings, self._site, self._parts))
            self._made[src] = view
        return view

    def __iter__(self) -> Iterator[str]:
        return iter([*self._infos, NOT_FOUND])

    def __len__(self) -> int:
        return len(self._infos) + 1

    def __contains__(self, src: object) -> bool:
        return src == NOT_FOUND or src in self._infos

    def digests(self) -> dict[str, bytes]:
        """Page source (and NOT_FOUND) -> the digest of its view's inputs (the 404 page's: of its view).
        Equal values of these plain types give the same bytes in any process (reuse.value_digest; tests/test_view_digests.py);
        were they not, a page would only render again."""
        if self._digests is not None:
            return dict(self._digests)
        shared = digest(self._shared)
        found = {src: digest(_inputs(src, info, self._entries.get(src), self._parts, self._maps), shared)
                 for src, info in self._infos.items()}
        found[NOT_FOUND] = digest(self[NOT_FOUND])
        self._digests = found
        return dict(found)


def _not_found(settings: Settings, site: SiteInfo, parts: ViewParts) -> View:
    return template_view({"feeds": alternates(NOT_FOUND, None, parts.feeds, site), "footer": settings.footer})


def page_views(infos: Mapping[str, PageInfo], entries: Mapping[str, Story | Lecture], settings: Settings,
               site: SiteInfo, parts: ViewParts) -> dict[str, View]:
    """Page source -> its view, escaped for the templates; and the 404 page's, under NOT_FOUND.

    A view is kept for the process with everything it is made of (`_inputs`), so the preview's
    rebuild after an edit makes again only the views whose inputs changed (3,600 views took most
    of `prepare` at 3,000 stories); a build that makes them once gains nothing and loses nothing.
    """
    media = [getattr(parts.published, f.name) for f in fields(parts.published)]
    maps = tuple(value for value in media if isinstance(value, Mapping))
    shared = (settings, site, parts.feeds, parts.vocabulary, parts.search_page,
              tuple(value for value in media if not isinstance(value, Mapping)))
    kept = _VIEWS if _VIEWS.get(_SHARED) == shared else {}
    made: dict[str, Any] = {_SHARED: shared}
    views: dict[str, View] = {}
    for src, info in infos.items():
        entry = entries.get(src)
        inputs = _inputs(src, info, entry, parts, maps)
        hit = kept.get(src)
        view = hit[1] if hit is not None and hit[0] == inputs else \
            template_view(view_of(src, info, entry, settings, site, parts))
        views[src] = view
        made[src] = (inputs, view)
    _VIEWS.clear()
    if keeping():
        _VIEWS.update(made)
    views[NOT_FOUND] = _not_found(settings, site, parts)
    return views


_SHARED = "\0shared"  # the key of what every view is made of (settings, site, feeds, vocabulary)
_VIEWS: dict[str, Any] = {}  # page source -> (its view's inputs, its view); _SHARED -> those shared


def _inputs(src: str, info: PageInfo, entry: Story | Lecture | None, parts: ViewParts,
            maps: tuple[Mapping[Any, Any], ...]) -> tuple[Any, ...]:
    """Everything one page's view is made of besides what all pages share: `view_of` reads no more.

    The build's "now" enters as what it decides for the entry (withheld or not, a lecture upcoming
    or held); every map of `Published` (`maps`) as its value for the entry and its cover (the other
    fields of `Published` are shared by all pages).
    """
    cover = entry.cover.src if entry is not None and entry.cover else None
    media = (*[value.get(src) for value in maps], *([value.get(cover) for value in maps] if cover else ()))
    timely = None if entry is None else (withheld_reason(entry, parts.now),
                                         isinstance(entry, Lecture) and entry.is_upcoming(parts.now))
    listings = parts.listings
    return (info, entry, timely, media, parts.listing_at.get(src), listings.related.get(src),
            listings.home if info.is_homepage else None)


@dataclass(frozen=True)
class ViewParts:
    """What the views of one build are made of besides the pages themselves."""

    published: Published
    listings: Listings
    listing_at: Mapping[str, Listing]  # listing page source -> its listing
    feeds: tuple[FeedSet, ...]
    now: datetime
    vocabulary: Vocabulary
    search_page: bool  # the results page lists the narratives (rc-search)


def view_of(src: str, info: PageInfo, entry: Story | Lecture | None, settings: Settings, site: SiteInfo,
            parts: ViewParts) -> dict[str, Any]:
    """The view of one page, before escaping."""
    published = parts.published
    view = page_view(info, entry, site, parts.vocabulary, parts.now, published)
    view["footer"] = settings.footer
    if "rc-feeds" in settings.plugins:
        view["feeds"] = alternates(info.url, entry, parts.feeds, site)
    listing = parts.listing_at.get(src)
    if listing is not None:
        view["listing"] = listing
    elif info.is_homepage and parts.listings.home is not None:
        view["home"] = parts.listings.home
    elif parts.listings.related.get(src):
        view["related"] = parts.listings.related[src]
    if src == urls.SEARCH_SOURCE and parts.search_page:
        view["search"] = {"narratives": parts.vocabulary.narratives}
    if entry is None:
        return view
    image = published.images.get(entry.cover.src) if entry.cover else None
    if image is not None and entry.cover is not None:
        view["cover"] = Markup(picture(image.rendition, lambda name: urls.relative(image.site_path(name), info.url),
                                       entry.cover.alt, settings.images.sizes, eager=True, priority=True))
    if entry.source in published.social_sizes:
        width, height = published.social_sizes[entry.source]
        view["meta"] += [("property", "og:image:width", str(width)), ("property", "og:image:height", str(height))]
    if isinstance(entry, Lecture):
        if "rc-feeds" in settings.plugins:
            view["calendar"] = {"event": urls.relative(urls.lecture_event(entry.slug), info.url),
                                "all": urls.relative(CALENDAR_PATH, info.url),
                                "webcal": webcal(site.absolute(CALENDAR_PATH)),
                                "reminder": reminder_text(settings.feeds.reminder),
                                "wechat": calendar_copy(entry, site)}
            if entry.transcript is not None:
                view["transcript_url"] = urls.relative(entry.transcript.file, info.url)
        if entry.source in published.notices:
            view["notice"] = urls.relative(published.notices[entry.source], info.url)
    return view


def pictures(published: Published, html: str, page_url: str, sizes: str) -> str:
    """A page's rendered Markdown with each `<img>` of a published image made its `<picture>`."""

    def lookup(site_path: str) -> tuple[Rendition, Callable[[str], str]] | None:
        image = published.image_at(site_path)
        if image is None:
            return None
        return image.rendition, lambda name: urls.relative(image.site_path(name), page_url)

    return rewrite(html, page_url, lookup, sizes)


_ARTICLES: dict[str, dict[str, Any]] = {}  # inputs' digest -> wechat view, for the preview's rebuilds
_KEPT = 10_000  # a bound well above any site's entries


def wechat(entry: Story | Lecture, body: str, page_url: str, site: SiteInfo, now: datetime,
           published: Published) -> dict[str, Any]:
    """The preview's 复制到公众号 part of an entry's view, from its rendered body (before `pictures`).

    Images point to the preview's own copies, the widest of the site's variants within the 公众号's
    1080 px. Kept for the process by their inputs, so a rebuild makes only the changed ones.
    """

    def image_src(value: str) -> str:
        image = published.image_at(posixpath.normpath(posixpath.join(page_url, value)))
        return value if image is None else urls.relative(image.site_path(wechat_images.preview_variant(image.rendition).name),
                                                         page_url)

    cover = image_src(urls.relative(published.image_url[entry.cover.src], page_url)) \
        if entry.cover and entry.cover.src in published.image_url else None
    key = hashlib.sha256(repr((body, repr(entry), entry.kind == "lecture" and entry.date > now,
                               page_url, site.url, cover)).encode()).hexdigest()
    if key not in _ARTICLES:
        found = wechat_edition.article(entry, body, url=site.absolute(entry.url), now=now,
                                       link=wechat_links.site_links(page_url, site.url), image=image_src, cover_src=cover)
        if len(_ARTICLES) >= _KEPT:
            _ARTICLES.clear()
        _ARTICLES[key] = template_view({
            "html": Markup(found.html),  # built from escaped text by lxml (edition.py)
            "title": found.title, "digest": found.digest, "url": found.url,
            "problems": [p.message for p in found.problems], "notices": [p.message for p in found.notices],
            "script": urls.relative(urls.WECHAT_COPY_SCRIPT, page_url),
        })
    return _ARTICLES[key]
