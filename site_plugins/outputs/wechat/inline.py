"""Make article HTML what the 公众号 editor keeps: known tags only, every style inline, no class or id.

The editor strips `<style>`, classes, ids, scripts and SVG, so `sanitize` keeps an allow-list of
tags (others are unwrapped to their text, or dropped with their content when they would run or
draw), css-inline 0.23.1 writes article.css into each element's style attribute (CSS variables
resolved), and `finish` removes every attribute but style and the few that carry content (src,
alt, colspan, rowspan, start), and any declaration still naming a variable.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import css_inline
import lxml.html
from lxml.html import HtmlElement

# Tags the article keeps; the editor understands each. Every <a> is replaced by its text and a
# reference mark (transform.links), and an href never survives `finish`.
ALLOWED_TAGS = frozenset({
    "a", "section", "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "i", "u", "s", "del",
    "ins", "mark", "small", "sup", "sub", "code", "pre", "kbd", "blockquote", "ul", "ol", "li", "table",
    "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "figure", "figcaption", "img", "span",
})
# Tags dropped with everything inside them: they run, draw, embed or ask for input.
DROPPED_TAGS = frozenset({
    "script", "style", "svg", "math", "template", "iframe", "frame", "frameset", "object", "embed", "applet",
    "canvas", "audio", "video", "source", "track", "picture", "link", "meta", "base", "form", "input",
    "button", "select", "textarea", "noscript", "head", "title",
})
# Attributes that carry content, by tag; every other attribute (class, id, data-*, on*, width...) goes.
KEPT_ATTRIBUTES: dict[str, frozenset[str]] = {
    "img": frozenset({"src", "alt"}), "td": frozenset({"colspan", "rowspan"}),
    "th": frozenset({"colspan", "rowspan"}), "ol": frozenset({"start"}),
}
_VAR_RE = re.compile(r"var\(", re.I)


@cache
def stylesheet() -> str:
    """article.css, package data."""
    return resources.files(__package__).joinpath("article.css").read_text(encoding="utf-8")


@cache
def _inliner() -> css_inline.CSSInliner:
    # No remote or linked stylesheets, no <style> of the content: article.css is the only source.
    return css_inline.CSSInliner(inline_style_tags=False, keep_style_tags=False, keep_link_tags=False,
                                 load_remote_stylesheets=False, minify_css=True, resolve_css_variables=True)


def sanitize(root: HtmlElement) -> None:
    """Drop what would run or draw, unwrap tags the editor does not know (their text stays)."""
    for element in list(root.iter()):
        if element is root or not isinstance(element.tag, str):
            if not isinstance(element.tag, str):  # comments, processing instructions
                element.drop_tree()
            continue
        tag = element.tag  # lxml.html gives tag names in lower case
        if tag in DROPPED_TAGS:
            element.drop_tree()
        elif tag == "div":
            element.tag = "section"  # the editor's own block
        elif tag not in ALLOWED_TAGS:
            element.drop_tag()


def inline(fragment: str) -> str:
    """`fragment` (one root element) with article.css in every style attribute and nothing else left over."""
    styled = _inliner().inline_fragment(fragment, stylesheet())
    root = lxml.html.fragment_fromstring(styled)
    finish(root)
    return lxml.html.tostring(root, encoding="unicode")


def finish(root: HtmlElement) -> None:
    """Keep only style and content attributes; drop declarations that still name a CSS variable."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        attrib = element.attrib
        kept = KEPT_ATTRIBUTES.get(element.tag, ())
        for name in [n for n in attrib if n != "style" and n not in kept]:
            del attrib[name]
        style = attrib.get("style")
        if style is not None and _VAR_RE.search(style):  # only content's own styles can still have one
            style = ";".join(d for d in (d.strip() for d in style.split(";")) if d and not _VAR_RE.search(d))
            if style:
                attrib["style"] = style
            else:
                del attrib["style"]
