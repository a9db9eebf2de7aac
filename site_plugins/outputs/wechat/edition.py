"""A story or lecture as a 公众号 article: the HTML to paste, the title, digest and 阅读原文 address.

`MarkdownRenderer` renders a body as the build does (Python-Markdown with mkdocs.yml's
extensions; `scripts/wechat`); the preview hands `article` the HTML MkDocs rendered instead.
`article` is the one function both call: it puts the lecture's facts (or the story's byline)
and the cover on top, reshapes the body (transform.py), lists the links at the end, inlines
the styles (inline.py) and checks the result against the documented limits (limits.py).
Text from content enters the tree as text, so lxml escapes it wherever it lands.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import lxml.html
import markdown
from lxml.etree import SubElement
from lxml.html import HtmlElement

from site_plugins.content.dates import zh_date, zh_datetime
from site_plugins.content.problems import Problem
from site_plugins.content.schema import Lecture, Story
from site_plugins.outputs.wechat import inline, limits, transform

# Extensions MkDocs always adds before mkdocs.yml's `markdown_extensions` (mkdocs/config/defaults.py).
MKDOCS_BUILTINS = ("toc", "tables", "fenced_code")


def extensions(configured: Iterable[str | Mapping[str, Any]]) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """(names, configs) of mkdocs.yml's `markdown_extensions`, the way MkDocs reads the list."""
    names = list(MKDOCS_BUILTINS)
    configs: dict[str, dict[str, Any]] = {}
    for item in configured:
        if isinstance(item, str):
            name, options = item, None
        else:
            (name, options), = item.items()
        if name not in names:
            names.append(name)
        if options:
            configs[name] = dict(options)
    return names, configs


class MarkdownRenderer:
    """One Python-Markdown instance with the build's extensions, reset for each body."""

    def __init__(self, names: Sequence[str], configs: Mapping[str, Mapping[str, Any]]) -> None:
        self._md = markdown.Markdown(extensions=list(names), extension_configs={k: dict(v) for k, v in configs.items()})

    def html(self, body: str) -> str:
        self._md.reset()
        return self._md.convert(body)


@dataclass(frozen=True)
class Article:
    """What an editor pastes into the 公众号: `html` into the body, the rest into their fields."""

    title: str
    digest: str
    url: str  # canonical address: the 阅读原文 field
    html: str  # one <section>, every style inline
    references: tuple[tuple[int, str, str], ...]  # (number, link text, address)
    problems: list[Problem] = field(default_factory=list)  # over a limit: not to be pasted as it is
    notices: list[Problem] = field(default_factory=list)  # derived values (a digest cut short)


def article(entry: Story | Lecture, body_html: str, *, url: str, now: datetime,
            link: Callable[[str], str | None], image: Callable[[str], str], cover_src: str | None = None,
            bounds: limits.Limits = limits.LIMITS) -> Article:
    """The 公众号 edition of `entry` from its rendered body.

    `link` gives a link's absolute address (None: a jump inside the article), `image` the src an
    <img> gets (a file beside article.html, or the preview's image), called in document order
    after the cover, whose src the caller gives as `cover_src`.
    """
    root = lxml.html.fragment_fromstring(body_html or "<p></p>", create_parent="section")
    transform.boxes(root)
    inline.sanitize(root)
    refs = transform.References()
    transform.links(root, link, refs)
    transform.figures(root, image)
    transform.flatten_lists(root)
    transform.tables(root)
    transform.drop_empty(root)
    head = _lecture_facts(root, entry, now) if isinstance(entry, Lecture) else _byline(root, entry)
    top = [head] if head is not None else []
    if entry.cover is not None and cover_src is not None:
        top.append(transform.figure(root, cover_src, entry.cover.alt))
    for element in reversed(top):
        element.tail = "\n"
        root.insert(0, element)
    if refs.items:
        root.append(_references(root, refs))
    root.set("class", "rc-wx")
    html = inline.inline(lxml.html.tostring(root, encoding="unicode"))
    digest, notices = limits.digest(entry, bounds)
    return Article(entry.title, digest, url, html, tuple(refs.items), limits.check(entry, html, bounds), notices)


def _byline(root: HtmlElement, story: Story) -> HtmlElement | None:
    parts = [zh_date(story.date), story.city]
    if story.authors:
        parts.append("作者：" + "、".join(a.name + (f"（{a.role}）" if a.role else "") for a in story.authors))
    line = root.makeelement("p", {"class": "rc-wx-byline"})
    line.text = " · ".join(p for p in parts if p)
    return line


def _fact(box: HtmlElement, label: str, lines: Sequence[str]) -> None:
    row = SubElement(box, "p")
    SubElement(row, "span", {"class": "rc-wx-fact"}).text = label
    row[-1].tail = "："
    for n, text in enumerate(lines):
        if n:
            SubElement(row, "br").tail = text
        else:
            row[-1].tail += text


def when(lecture: Lecture) -> str:
    """2026年3月5日（星期四）14:30–16:00, as the lecture page says it."""
    return zh_datetime(lecture.date) + (f"–{lecture.end:%H:%M}" if lecture.end else "")


def _lecture_facts(root: HtmlElement, lecture: Lecture, now: datetime) -> HtmlElement:
    """The lecture page's fact box: status, speakers, time with weekday, venue, city, audience."""
    box = root.makeelement("section", {"class": "rc-wx-facts"})
    if lecture.cancelled:
        status, kind = "本场讲座已取消。", "rc-wx-cancelled"
    elif lecture.is_upcoming(now):
        status, kind = "即将举行，欢迎参加。", "rc-wx-upcoming"
    else:
        status, kind = "已举办", "rc-wx-held"
    SubElement(SubElement(box, "p"), "span", {"class": f"rc-wx-status {kind}"}).text = status
    _fact(box, "主讲人", [s.name + (f"（{s.affiliation}）" if s.affiliation else "") for s in lecture.speakers])
    _fact(box, "时间", [when(lecture)])
    _fact(box, "地点", [lecture.venue])
    _fact(box, "城市", [lecture.city])
    if lecture.audience is not None:
        _fact(box, "现场听众", [f"{lecture.audience} 人"])
    extras = [name for name, present in (("录音", lecture.recording), ("文字稿", lecture.transcript),
                                         ("讲义", lecture.slides)) if present]
    if extras:
        _fact(box, "、".join(extras), ["在网站本页，点文末“阅读原文”打开"])
    return box


def _references(root: HtmlElement, refs: transform.References) -> HtmlElement:
    """参考链接: [n] text：address, one line each."""
    box = root.makeelement("section", {"class": "rc-wx-refs"})
    SubElement(box, "p", {"class": "rc-wx-refs-title"}).text = "参考链接"
    for number, text, url in refs.items:
        shown = url.removeprefix("mailto:")
        SubElement(box, "p").text = f"[{number}] {text}：{shown}" if text else f"[{number}] {shown}"
    return box
