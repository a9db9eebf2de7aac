"""Reshape rendered Markdown into what the 公众号 editor shows well.

Each function edits an lxml tree in place: links become numbered references (the editor
allows links only to the account's own articles), images become figures with their alt
text as a caption, lists nested deeper than one level become indented lines (the editor
breaks nested lists), tables get a scrolling wrapper, collapsible blocks and notes become
boxes. Classes set here are for article.css only; `inline.finish` removes them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from lxml.etree import SubElement
from lxml.html import HtmlElement

LIST_TAGS = ("ul", "ol")
SUB_MARKERS = ("◦", "▪")  # the marks of a flattened level, by depth
INLINE_TAGS = frozenset({"strong", "b", "em", "i", "span", "sup", "sub", "u", "s", "del", "ins", "mark", "small"})
BLOCKS_OF_TEXT = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6"})


@dataclass
class References:
    """The numbered 参考链接: one number per address, in order of first use."""

    numbers: dict[str, int] = field(default_factory=dict)
    items: list[tuple[int, str, str]] = field(default_factory=list)  # (number, text, url)

    def number(self, url: str, text: str) -> int:
        if url not in self.numbers:
            self.numbers[url] = len(self.numbers) + 1
            self.items.append((self.numbers[url], text, url))
        return self.numbers[url]


def _unwrap(element: HtmlElement, after: HtmlElement | None = None) -> None:
    """Remove `element`, keeping its text and children where it was (and `after` behind them)."""
    if after is not None:
        after.tail = element.tail
        element.tail = None
        element.append(after)
    element.drop_tag()


def boxes(root: HtmlElement) -> None:
    """Admonitions and <details> (pymdownx.details) as open boxes with a bold title."""
    for details in root.iter("details"):
        details.tag = "section"
        details.set("class", "rc-wx-box")
        for summary in details.findall("summary"):
            summary.tag = "p"
            summary.set("class", "rc-wx-box-title")
    for element in root.iter():
        if isinstance(element.tag, str) and "admonition" in (element.get("class") or "").split():
            element.set("class", "rc-wx-box")
            for title in element.findall("p"):
                if "admonition-title" in (title.get("class") or "").split():
                    title.set("class", "rc-wx-box-title")


def links(root: HtmlElement, resolve: Callable[[str], str | None], refs: References) -> None:
    """Each link -> its text and a [n] mark; the address goes to `refs`. Heading permalinks go."""
    for anchor in list(root.iter("a")):
        if "headerlink" in (anchor.get("class") or "").split():
            anchor.drop_tree()
            continue
        url = resolve(anchor.get("href") or "")
        if url is None:  # a jump within this article: nothing to list
            _unwrap(anchor)
            continue
        text = " ".join(anchor.text_content().split())
        shown = url.removeprefix("mailto:")
        mark = anchor.makeelement("sup", {"class": "rc-wx-ref"})
        mark.text = f"[{refs.number(url, text if text not in (url, shown) else '')}]"
        _unwrap(anchor, mark)


def figure(maker: HtmlElement, src: str, alt: str) -> HtmlElement:
    """<figure><img><figcaption>alt</figcaption></figure> of `maker`'s document, not yet placed."""
    fig = maker.makeelement("figure", {})
    SubElement(fig, "img", {"src": src, "alt": alt})
    if alt:
        SubElement(fig, "figcaption").text = alt
    return fig


def figures(root: HtmlElement, source: Callable[[str], str]) -> None:
    """Each <img> -> a figure captioned with its alt text, in document order.

    A paragraph that holds only images gives way to their figures; a paragraph with words
    keeps them and gets its figures after it; elsewhere (a list item, a cell) the figure
    takes the image's place.
    """
    placed: dict[HtmlElement, HtmlElement] = {}  # paragraph -> the last figure put after it
    for img in list(root.iter("img")):
        made = figure(img, source(img.get("src") or ""), " ".join((img.get("alt") or "").split()))
        holder = img.getparent()
        while holder is not None and holder.tag in INLINE_TAGS:
            holder = holder.getparent()
        if holder is None or holder.tag not in BLOCKS_OF_TEXT:
            made.tail = img.tail
            img.getparent().replace(img, made)
            continue
        if _only_images(holder):
            holder.addprevious(made)
        else:
            placed.get(holder, holder).addnext(made)
            placed[holder] = made
        _remove_keeping_tail(img)
        if not len(holder) and not holder.text_content().strip():
            _remove_keeping_tail(holder)


def _only_images(paragraph: HtmlElement) -> bool:
    return (not (paragraph.text or "").strip() and all(child.tag in ("img", "br") for child in paragraph)
            and not any((child.tail or "").strip() for child in paragraph))


def _remove_keeping_tail(element: HtmlElement) -> None:
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def flatten_lists(root: HtmlElement) -> None:
    """Lists inside list items -> indented lines with a mark (◦, ▪ or the item's number)."""
    for lst in [e for e in root.iter(*LIST_TAGS) if not any(a.tag == "li" for a in e.iterancestors())]:
        for item in lst.findall("li"):
            for nested in [c for c in item if c.tag in LIST_TAGS]:
                lines = _lines(nested, 1)
                for line in reversed(lines):
                    nested.addnext(line)
                lines[-1].tail = nested.tail
                nested.getparent().remove(nested)


def _lines(lst: HtmlElement, depth: int) -> list[HtmlElement]:
    """The items of a nested list (and of the lists inside them) as <section> lines."""
    out: list[HtmlElement] = []
    number = int(lst.get("start") or 1)
    for item in lst.findall("li"):
        mark = f"{number}." if lst.tag == "ol" else SUB_MARKERS[min(depth, len(SUB_MARKERS)) - 1]
        number += 1
        line = item.makeelement("section", {"style": f"margin:4px 0 4px {16 * depth}px"})
        line.text = f"{mark} {(item.text or '').lstrip()}"
        deeper: list[HtmlElement] = []
        for child in list(item):
            if child.tag in LIST_TAGS:
                deeper += _lines(child, depth + 1)
                child.tail = None
            elif child.tag == "p":  # a loose list's paragraph: its words join the line
                if len(line) or (line.text or "").strip(" " + mark):
                    SubElement(line, "br")
                _move_content(child, line)
            else:
                line.append(child)
        out.append(line)
        out += deeper
    return out


def _move_content(source: HtmlElement, target: HtmlElement) -> None:
    """Append `source`'s text and children to `target`."""
    if source.text:
        if len(target):
            target[-1].tail = (target[-1].tail or "") + source.text
        else:
            target.text = (target.text or "") + source.text
    for child in list(source):
        target.append(child)


def tables(root: HtmlElement) -> None:
    """Each table in a wrapper that scrolls sideways on a phone instead of squeezing the columns."""
    for table in list(root.iter("table")):
        wrapper = table.makeelement("section", {"class": "rc-wx-table"})
        table.addprevious(wrapper)
        wrapper.tail = table.tail
        table.tail = None
        wrapper.append(table)


def drop_empty(root: HtmlElement) -> None:
    """Paragraphs and blocks left with nothing to show (their content was dropped)."""
    for element in list(root.iter("p", "section")):
        if element is not root and not len(element) and not (element.text or "").strip():
            _remove_keeping_tail(element)
