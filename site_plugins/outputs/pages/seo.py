"""Structured data and social meta for pages: JSON-LD, Open Graph, Twitter."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from site_plugins import urls
from site_plugins.content.schema import Entry, Lecture, Story
from site_plugins.content.vocabulary import Vocabulary


@dataclass(frozen=True)
class SiteInfo:
    """Who publishes the site; `url` ends with a slash."""

    name: str
    url: str
    description: str
    publisher: str
    publisher_url: str
    logo: str  # absolute URL

    def absolute(self, path: str) -> str:
        return self.url + path.lstrip("/")


def _iso(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds")


def organization(site: SiteInfo) -> dict:
    return {
        "@type": "NGO",
        "@id": site.publisher_url + "#org",
        "name": site.publisher,
        "url": site.publisher_url,
        "logo": {"@type": "ImageObject", "url": site.logo},
    }


def breadcrumbs(site: SiteInfo, trail: list[tuple[str, str]]) -> dict:
    """BreadcrumbList from (name, path) pairs, home first."""
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": site.absolute(path)}
            for i, (name, path) in enumerate(trail, start=1)
        ],
    }


def entry_jsonld(entry: Entry, site: SiteInfo, vocab: Vocabulary, image: str | None) -> dict:
    """NewsArticle for a story, Event for a lecture, with its breadcrumbs."""
    url = site.absolute(entry.url)
    org = organization(site)
    if isinstance(entry, Story):
        main: dict = {
            "@type": "NewsArticle",
            "headline": entry.title,
            "description": entry.summary,
            "datePublished": _iso(entry.date),
            "dateModified": _iso(entry.modified),
            "inLanguage": "zh-CN",
            "mainEntityOfPage": url,
            "url": url,
            "author": [{"@type": "Person", "name": a.name} for a in entry.authors] or [org],
            "publisher": org,
            "articleSection": [vocab[t].label for t in entry.tags],
            "wordCount": entry.char_count,
        }
        trail = [("首页", urls.HOME), ("故事", urls.STORIES), (entry.title, entry.url)]
    else:
        assert isinstance(entry, Lecture)
        main = {
            "@type": "Event",
            "name": entry.title,
            "description": entry.summary,
            "startDate": _iso(entry.date),
            "endDate": _iso(entry.end or entry.date),
            "eventStatus": "https://schema.org/EventCancelled" if entry.cancelled
            else "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "location": {
                "@type": "Place",
                "name": entry.venue,
                "address": {"@type": "PostalAddress", "addressLocality": entry.city, "addressCountry": "CN"},
            },
            "performer": [
                {"@type": "Person", "name": s.name, **({"jobTitle": s.affiliation} if s.affiliation else {})}
                for s in entry.speakers
            ],
            "organizer": org,
            "inLanguage": "zh-CN",
            "url": url,
            "isAccessibleForFree": True,
        }
        trail = [("首页", urls.HOME), ("大讲堂", urls.LECTURES), (entry.title, entry.url)]
    if image:
        main["image"] = [image]
    return {"@context": "https://schema.org", "@graph": [main, breadcrumbs(site, trail)]}


def site_jsonld(site: SiteInfo) -> dict:
    """The home page's description of the site and its publisher."""
    return {
        "@context": "https://schema.org",
        "@graph": [
            organization(site),
            {"@type": "WebSite", "name": site.name, "url": site.url, "inLanguage": "zh-CN",
             "publisher": {"@id": site.publisher_url + "#org"}},
        ],
    }


def social_meta(title: str, description: str, url: str, site: SiteInfo, image: str | None,
                kind: str = "website", published: datetime | None = None,
                image_alt: str = "") -> list[tuple[str, str, str]]:
    """(attribute, name, content) triples for Open Graph and Twitter <meta> tags."""
    tags = [
        ("property", "og:type", kind),
        ("property", "og:site_name", site.name),
        ("property", "og:locale", "zh_CN"),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:url", url),
        ("name", "twitter:card", "summary_large_image" if image else "summary"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
    ]
    if image:
        tags += [("property", "og:image", image), ("name", "twitter:image", image)]
        if image_alt:
            tags += [("property", "og:image:alt", image_alt), ("name", "twitter:image:alt", image_alt)]
    if published is not None:
        tags.append(("property", "article:published_time", _iso(published)))
    return tags


def share_meta(name: str, description: str, image: str | None) -> list[tuple[str, str, str]]:
    """`itemprop` meta (schema.org microdata) for link cards: QQ reads these, and WeChat may.

    They describe the item `microdata_scope` makes of the page's <html> element.
    """
    tags = [("itemprop", "name", name), ("itemprop", "description", description)]
    return tags + ([("itemprop", "image", image)] if image else [])


MICRODATA_SCOPE = ' itemscope itemtype="https://schema.org/WebPage"'


def microdata_scope(html: str) -> str:
    """The page with its <html> element made the item its `itemprop` meta belong to.

    An `itemprop` outside any item is invalid HTML; <html> is the one element that holds <head>.
    A page without such meta, or whose <html> has a scope already, is returned as it is.
    """
    before, tag, rest = html.partition("<html")
    if not tag or '<meta itemprop="' not in rest or "itemscope" in rest.split(">", 1)[0]:
        return html
    return before + tag + MICRODATA_SCOPE + rest


def dump(data: dict) -> str:
    """JSON for a <script> element: stable key order, no '</' that could close it."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
