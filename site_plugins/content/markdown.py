"""The one Markdown scanner: fences, images, links, headings and raw HTML of a page, with their lines.

Validation, the text measures, `scripts/check`'s link check and rc-images all
read a page through `scan`, so they cannot disagree about what is an image or
where a fence ends. It uses markdown-it-py (a CommonMark parser that reports
each block's lines) instead of regexes: CommonMark's rules for nested brackets
(`![老人[右]和志愿者](b.jpg)`), code spans, escapes, titles and reference links
are the ones Python-Markdown follows for these constructs, and three hand-made
regexes for them had already drifted apart.

Heading ids come from `heading_slug`, which mkdocs.yml names as the toc
extension's slugify, and `markdown.extensions.toc.unique`, so `scripts/check`
knows every anchor the build will make.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from markdown.extensions.toc import unique
from markdown_it import MarkdownIt
from markdown_it.token import Token
from pymdownx.slugs import slugify

from site_plugins.content import looseimages

# The slugify mkdocs.yml gives the toc extension: keeps Han characters, lower-cases Latin.
heading_slug = slugify(case="lower")

_ATTR_RE = re.compile(r"\s*\{[:#.][^{}]*\}")
_ATTR_ID_RE = re.compile(r"\{[^{}]*?#([^\s{}]+)[^{}]*\}")
_HTML_ID_RE = re.compile(r"<[a-zA-Z][^>]*?\s(?:id|name)\s*=\s*[\"']([^\"']+)[\"']")
_RAW_IMG_RE = re.compile(r"<img\b", re.I)
_INDENTED_RE = re.compile(r"^(?: {4}|\t)", re.M)


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable("table")
    # Keep targets exactly as written: the callers resolve, unquote and judge them.
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


_MD = _parser()


@dataclass(frozen=True)
class Link:
    """A link or image target with its file line."""

    line: int
    target: str
    image: bool
    alt: str = ""  # an image's alt text
    rest: str = ""  # an image's source from the target to the end of the line (where a cut-off name goes on)
    unread: str = ""  # meant as an image but published as text, and why (content/looseimages.py)


@dataclass(frozen=True)
class Heading:
    line: int
    level: int
    text: str  # plain text, attribute list removed
    explicit_id: str = ""


@dataclass(frozen=True)
class Block:
    """A paragraph, heading or table cell as a reader reads it."""

    kind: str  # "paragraph", "heading", "other"
    top: bool  # a paragraph directly in the page (not in a list, quote or table)
    source: str  # its Markdown
    text: str  # plain text: no markup, images, URLs or HTML


@dataclass(frozen=True)
class Scan:
    """Everything the core needs to know about one Markdown body."""

    links: tuple[Link, ...] = ()  # inline links and images, in order
    html: tuple[tuple[int, str], ...] = ()  # (line, raw HTML)
    headings: tuple[Heading, ...] = ()
    blocks: tuple[Block, ...] = ()
    code: tuple[tuple[int, int], ...] = ()  # (first, last) line of each fenced or indented code block
    ids: frozenset[str] = field(default_factory=frozenset)  # {#id} attributes and HTML ids
    html_blocks: tuple[tuple[int, int], ...] = ()  # (first, last) line of each HTML block
    inline_runs: tuple[tuple[int, int], ...] = ()  # (first, last) line of each paragraph, heading or cell

    @property
    def images(self) -> list[Link]:
        """The images the build renders."""
        return [link for link in self.links if link.image and not link.unread]

    def unread_images(self) -> list[Link]:
        """What an editor meant as an image but the build would publish as text."""
        return [link for link in self.links if link.image and link.unread]

    def raw_images(self) -> list[int]:
        """Lines of raw <img> tags (they bypass the image pipeline)."""
        return [line for line, html in self.html if has_raw_image(html)]

    def anchors(self) -> set[str]:
        """Every anchor id the page will have, as Python-Markdown's toc assigns them."""
        found = set(self.ids)
        for heading in self.headings:
            if not heading.explicit_id:
                unique(heading_slug(heading.text, "-"), found)
        return found

    def plain_text(self) -> str:
        return "\n\n".join(block.text for block in self.blocks)


def scan(body: str, first_line: int = 1) -> Scan:
    """Scan a Markdown body whose first line is line `first_line` of its file."""
    found = _scan(body)
    shift = first_line - 1
    if not shift:
        return found
    return replace(
        found,
        links=tuple(replace(link, line=link.line + shift) for link in found.links),
        html=tuple((line + shift, html) for line, html in found.html),
        headings=tuple(replace(h, line=h.line + shift) for h in found.headings),
        code=tuple((a + shift, b + shift) for a, b in found.code),
        html_blocks=tuple((a + shift, b + shift) for a, b in found.html_blocks),
        inline_runs=tuple((a + shift, b + shift) for a, b in found.inline_runs),
    )


def has_raw_image(html: str) -> bool:
    """An `<img>` tag in raw HTML: it bypasses the image pipeline (content/paths.py refuses it)."""
    return bool(_RAW_IMG_RE.search(html))


def code_ranges(body: str) -> list[tuple[int, int]]:
    """(start, end) offsets in `body` of its code: fenced and indented blocks, and inline code spans.

    Spans follow CommonMark: a run of N backticks opens one, the next run of exactly N closes it,
    within one paragraph (no blank line between); a backslash-escaped backtick opens nothing.
    """
    if "`" not in body and "~~~" not in body and not _INDENTED_RE.search(body):
        return []  # no fence, no span, no indented line: no code (and no Markdown parse needed)
    lines = body.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    ranges = [(starts[first - 1], starts[last] - 1) for first, last in _scan(body).code]
    in_block = {n - 1 for first, last in _scan(body).code for n in range(first, last + 1)}
    run: int | None = None  # first line of the current paragraph-like run
    for index in range(len(lines) + 1):
        if index < len(lines) and index not in in_block and lines[index].strip():
            run = index if run is None else run
            continue
        if run is not None:
            start = starts[run]
            ranges += [(start + a, start + b) for a, b in _code_spans(body[start:starts[index] - 1])]
            run = None
    return sorted(ranges)


def _code_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    index = 0
    while (tick := text.find("`", index)) >= 0:
        if _escaped(text, tick):
            index = tick + 1
            continue
        end = tick
        while end < len(text) and text[end] == "`":
            end += 1
        width, search = end - tick, end
        while (other := text.find("`", search)) >= 0:
            close = other
            while close < len(text) and text[close] == "`":
                close += 1
            if close - other == width:
                spans.append((tick, close))
                break
            search = close
        index = spans[-1][1] if spans and spans[-1][0] == tick else end
    return spans


def _escaped(text: str, at: int) -> bool:
    """An odd number of backslashes right before `at`."""
    count = 0
    while at - count > 0 and text[at - count - 1] == "\\":
        count += 1
    return count % 2 == 1


@lru_cache(maxsize=4096)  # validation, text measures and the link check read the same body
def _scan(body: str) -> Scan:
    tokens = _MD.parse(body)
    links: list[Link] = []
    html: list[tuple[int, str]] = []
    headings: list[Heading] = []
    blocks: list[Block] = []
    code: list[tuple[int, int]] = []
    html_blocks: list[tuple[int, int]] = []
    runs: list[tuple[int, int]] = []
    ids: set[str] = set()
    containers = 0  # open lists, quotes and tables around the current token
    for index, token in enumerate(tokens):
        first = token.map[0] + 1 if token.map else 0
        if token.type in ("bullet_list_open", "ordered_list_open", "blockquote_open", "table_open"):
            containers += 1
        elif token.type in ("bullet_list_close", "ordered_list_close", "blockquote_close", "table_close"):
            containers -= 1
        elif token.type in ("fence", "code_block") and token.map:
            code.append((first, token.map[1]))
        elif token.type == "html_block":
            html.append((first, token.content))
            html_blocks.append((first, token.map[1] if token.map else first))
            ids.update(_HTML_ID_RE.findall(token.content))
        elif token.type == "inline":
            parent = tokens[index - 1].type if index else ""
            text = _inline(token, first, links, html, ids)
            runs.append((first, token.map[1] if token.map else first))
            if parent == "heading_open":
                explicit = _ATTR_ID_RE.search(token.content)
                headings.append(Heading(first, int(tokens[index - 1].tag[1]), _ATTR_RE.sub("", text).strip(),
                                        explicit.group(1) if explicit else ""))
            kind = {"paragraph_open": "paragraph", "heading_open": "heading"}.get(parent, "other")
            blocks.append(Block(kind, kind == "paragraph" and containers == 0, token.content, _ATTR_RE.sub(" ", text)))
    return Scan(tuple(links), tuple(html), tuple(headings), tuple(blocks), tuple(code), frozenset(ids),
                tuple(html_blocks), tuple(runs))


def _inline(token: Token, line: int, links: list[Link], html: list[tuple[int, str]], ids: set[str]) -> str:
    """Collect the links, images and HTML of one inline run; return its plain text."""
    text: list[str] = []
    ids.update(_ATTR_ID_RE.findall(token.content))
    children = token.children or []
    for index, child in enumerate(children):
        if child.type in ("softbreak", "hardbreak"):
            line += 1
            text.append("\n")
        elif child.type == "text":
            text.append(child.content)
            if "[" in child.content or "【" in child.content:  # what CommonMark left as text, as the build reads it
                links += [Link(line, image.target, True, image.alt, image.rest, image.unread)
                          for image in looseimages.read(child.content)]
        elif child.type == "code_inline":
            text.append(child.content)
        elif child.type == "image":
            src = str(child.attrs.get("src", ""))
            after = children[index + 1].content if index + 1 < len(children) and children[index + 1].type == "text" else ""
            links.append(Link(line, src, True, child.content, f"{src}){after}"))
        elif child.type == "link_open":
            links.append(Link(line, str(child.attrs.get("href", "")), False))
        elif child.type == "html_inline":
            html.append((line, child.content))
            ids.update(_HTML_ID_RE.findall(child.content))
    return "".join(text)
