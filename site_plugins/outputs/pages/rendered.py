"""The regions of a rendered page that outputs read back: an entry's body, a page's own content.

Feeds carry each entry's body as the site shows it (its images as `<picture>`), and a search index
built after rendering reads every page's content: both from the HTML the engine wrote. An entry's
body is the `<div class="rc-body">` of partials/rc-entry.html; any other page's content is what
Material's `<article class="md-content__inner md-typeset">` holds, less the title Material adds
when the content has no `<h1>` of its own and the edit buttons it may add. A scan for the matching
end tag (nesting of that element counted, comments skipped), not a full parse: a thousand pages
read in a fraction of a second.
"""

from __future__ import annotations

import re

ENTRY_BODY = '<div class="rc-body">'
PAGE_CONTENT = '<article class="md-content__inner md-typeset">'
_TAGS = {name: re.compile(rf"<!--.*?-->|<(/?){name}\b[^>]*>", re.S | re.I) for name in ("div", "article")}
_ADDED_TITLE = re.compile(r"<h1>.*?</h1>", re.S)  # Material's: a content heading always has an id (toc)
_BUTTON = re.compile(r'<a\b[^>]*\bclass="md-content__button[^"]*"[^>]*>.*?</a>', re.S)


def inner(html: str, start_tag: str) -> str | None:
    """What the first element opened by exactly `start_tag` holds, or None if there is none (or no end)."""
    at = html.find(start_tag)
    if at < 0:
        return None
    begin = at + len(start_tag)
    pattern = _TAGS[start_tag[1:].split()[0].rstrip(">").lower()]
    depth = 1
    for match in pattern.finditer(html, begin):
        if match.group(0).startswith("<!--"):
            continue
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return html[begin:match.start()]
    return None


def entry_body(html: str) -> str | None:
    """A story's or lecture's rendered body, from its page; None if the page has none."""
    region = inner(html, ENTRY_BODY)
    return None if region is None else region.strip()


def page_content(html: str) -> str | None:
    """A page's own rendered Markdown, from the page Material laid out; None if it has no article."""
    region = inner(html, PAGE_CONTENT)
    if region is None:
        return None
    region = region.strip()
    while (button := _BUTTON.match(region)) is not None:
        region = region[button.end():].lstrip()
    added = _ADDED_TITLE.match(region)
    return (region[added.end():] if added else region).strip()
