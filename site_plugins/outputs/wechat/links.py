"""Where a link of the article leads, as an absolute address for its 参考链接 list.

The 公众号 allows links only to the account's own articles, so every link is listed at the end:
external addresses as written, links to our own pages as their canonical URL. `scripts/wechat`
reads hrefs as the editor wrote them (content paths, `../x.md`); the preview reads the page MkDocs
rendered, whose hrefs are already site-relative URLs. A link within the article itself (`#x`)
has nothing to list: None.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from urllib.parse import unquote, urljoin, urlsplit

from site_plugins import urls
from site_plugins.content.paths import is_outside, resolve


def content_links(source: str, pages: Mapping[str, str], site_url: str) -> Callable[[str], str | None]:
    """Resolve hrefs written in `source` (a content path); `pages`: entry source -> its site path."""

    def link(href: str) -> str | None:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            return href
        if not parts.path:
            return None
        target = resolve(source, unquote(parts.path))
        if is_outside(target):  # scripts/check refuses it; keep the words, list nothing
            return None
        if target in pages:
            path = pages[target]
        elif target.endswith(".md"):
            path = urls.markdown_page(target)
        else:
            path = target  # a file published as it is (slides.pdf)
        return site_url + path + (f"#{parts.fragment}" if parts.fragment else "")

    return link


def site_links(page_url: str, site_url: str) -> Callable[[str], str | None]:
    """Resolve hrefs of a page MkDocs rendered at `page_url` (site-relative URLs)."""
    base = site_url + page_url

    def link(href: str) -> str | None:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            return href
        if not parts.path:
            return None
        return urljoin(base, href)

    return link
