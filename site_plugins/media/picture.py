"""Responsive image markup: `<picture>` with WebP sources and a JPEG/PNG fallback.

Pure string functions: they take a `Rendition` and a function that turns a
variant's file name into a URL, so they know nothing of where the site lives.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable
from urllib.parse import unquote

from site_plugins.media.images import Rendition

IMG_TAG = re.compile(r"<img\b[^>]*>", re.I)
_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
# Attributes the picture sets itself; any other (title, class, id from attr_list) is kept.
_OWN = frozenset({"src", "srcset", "sizes", "width", "height", "alt", "loading", "decoding", "fetchpriority"})


def parse_attrs(tag: str) -> dict[str, str]:
    """Attributes of one HTML start tag, unescaped, in source order."""
    inner = re.sub(r"^<\w+|/?>$", "", tag.strip())
    return {m.group(1).lower(): html.unescape(next((g for g in m.groups()[1:] if g is not None), ""))
            for m in _ATTR.finditer(inner)}


def _attrs(values: dict[str, str | None]) -> str:
    return "".join(f' {k}="{html.escape(v, quote=True)}"' if v != "" else f" {k}"
                   for k, v in values.items() if v is not None)


def picture(rendition: Rendition, url: Callable[[str], str], alt: str, sizes: str, *,
            eager: bool = False, priority: bool = False, extra: dict[str, str] | None = None) -> str:
    """`<picture>` for a rendition: WebP srcset, fallback `<img>` with srcset, size and alt (an animation's
    WebP and GIF animate; its still first frame is offered to readers who prefer reduced motion).

    Lazy by default; `eager` (the cover, the first image of a page) loads at once,
    as it is likely in the first screen; `priority` (the cover) loads it first.
    """
    def srcset(role: str) -> str:
        return ", ".join(f"{url(v.name)} {v.width}w" for v in rendition.role(role))

    main = rendition.main
    img = {
        **(extra or {}),
        "src": url(main.name),
        "srcset": srcset("fallback"),
        "sizes": sizes,
        "width": str(main.width),
        "height": str(main.height),
        "alt": alt,
        "loading": None if eager else "lazy",
        "decoding": None if eager else "async",
        "fetchpriority": "high" if priority else None,
    }
    source = {"type": "image/webp", "srcset": srcset("webp"), "sizes": sizes}
    # An animation: a reader who asked the system for less motion sees its first frame (WCAG 2.3.3).
    still = (f'<source media="(prefers-reduced-motion: reduce)" srcset="{html.escape(url(rendition.still.name))}">'
             if rendition.frames > 1 else "")
    return f"<picture>{still}<source{_attrs(source)}><img{_attrs(img)}></picture>"  # type: ignore[arg-type]


def resolve(src: str, page_url: str) -> str:
    """Site path an `<img src>` relative to the page at `page_url` points to."""
    src = unquote(src.split("#")[0].split("?")[0])
    if src.startswith("/"):
        return posixpath.normpath(src.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(page_url), src))


def rewrite(page_html: str, page_url: str, lookup: Callable[[str], tuple[Rendition, Callable[[str], str]] | None],
            sizes: str) -> str:
    """Replace every `<img>` of a processed image with its `<picture>`; the first loads at once.

    `lookup` maps a site path to (rendition, variant name -> URL relative to the
    page), or None for images that are not ours (left as they are).
    """
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        attrs = parse_attrs(match.group(0))
        found = lookup(resolve(attrs.get("src", ""), page_url)) if "src" in attrs else None
        if found is None:
            return match.group(0)
        rendition, url = found
        extra = {k: v for k, v in attrs.items() if k not in _OWN}
        count += 1
        return picture(rendition, url, attrs.get("alt", ""), sizes, eager=count == 1, extra=extra)

    return IMG_TAG.sub(replace, page_html)
