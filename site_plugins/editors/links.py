"""Internal links in Markdown: find them, and report those the build would reject.

Mirrors how MkDocs 1.6 resolves a link (relative to the source file; a leading
`/` means relative to content/, as `absolute_links: relative_to_docs` says) so
that `scripts/check` finds, without building, the links `mkdocs build --strict`
would fail on: missing files, links to page addresses instead of files,
anchors no heading produces, and links to drafts or not-yet-published stories.
"""

from __future__ import annotations

import difflib
import posixpath
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from site_plugins.content.dates import zh_date
from site_plugins.content.frontmatter import decode
from site_plugins.content.problems import Problem

_FENCE_RE = re.compile(r"^\s{0,3}(```|~~~)")
_CODE_SPAN_RE = re.compile(r"(`+)(?:(?!\1).)+?\1")
# [text](target "title") and ![alt](target); text may hold one level of brackets.
_LINK_RE = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'(][^)]*)?\)")
_REF_DEF_RE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+[\"'(].*)?$")
_ATX_RE = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_SETEXT_RE = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_ATTR_ID_RE = re.compile(r"\{[^{}]*?#([^\s{}]+)[^{}]*\}")
_HTML_ID_RE = re.compile(r"<[a-zA-Z][^>]*?\s(?:id|name)\s*=\s*[\"']([^\"']+)[\"']")
_TAG_RE = re.compile(r"</?[^>]*>")
_NOT_SLUG_RE = re.compile(r"[^\w\- ]")
_INLINE_MARKUP_RE = re.compile(r"!\[[^\]]*\]\([^)]*\)|\[([^\]]*)\]\([^)]*\)|[*`]|~~")


@dataclass(frozen=True)
class Page:
    """A Markdown file of content/, split without parsing its YAML."""

    path: str  # inside content/, POSIX
    body: str
    body_line: int  # file line of the body's first line


@dataclass(frozen=True)
class Link:
    line: int
    target: str
    image: bool


@dataclass(frozen=True)
class Status:
    """Why an entry is not on the public site yet: a draft, or scheduled for `live`."""

    draft: bool
    live: datetime | None = None


@dataclass
class Site:
    """What links may point at: files of content/, generated pages, unpublished entries."""

    files: set[str]
    pages: dict[str, Page]
    generated: set[str] = field(default_factory=set)
    urls: dict[str, str] = field(default_factory=dict)  # published address "stories/x/" -> source
    unpublished: dict[str, Status] = field(default_factory=dict)
    _anchors: dict[str, set[str]] = field(default_factory=dict)

    def anchors(self, path: str) -> set[str]:
        if path not in self._anchors:
            page = self.pages.get(path)
            self._anchors[path] = anchors(page.body) if page else set()
        return self._anchors[path]


def read_page(file: Path, path: str) -> Page | None:
    """The body of a Markdown file and where it starts; None if it cannot be decoded."""
    text, problem = decode(file.read_bytes(), path)
    if problem is not None or text is None:
        return None
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if end is not None:
            return Page(path, "\n".join(lines[end + 1 :]), end + 2)
    return Page(path, text, 1)


def _prose_lines(body: str) -> Iterable[tuple[int, str, str]]:
    """(offset, line, line with inline code blanked out) of lines outside fenced code."""
    fence = ""
    for offset, line in enumerate(body.split("\n")):
        match = _FENCE_RE.match(line)
        if match and (not fence or match.group(1) == fence):
            fence = "" if fence else match.group(1)
            continue
        if not fence:
            yield offset, line, _CODE_SPAN_RE.sub(lambda m: " " * len(m.group(0)), line)


def find_links(page: Page) -> list[Link]:
    """Every inline link, image and reference definition of the body, with its file line."""
    found = []
    for offset, _raw, line in _prose_lines(page.body):
        number = page.body_line + offset
        for bang, _text, target in _LINK_RE.findall(line):
            found.append(Link(number, target, bool(bang)))
        ref = _REF_DEF_RE.match(line)
        if ref:
            found.append(Link(number, ref.group(1), False))
    return found


def heading_id(text: str) -> str:
    """The id Python-Markdown's toc gives a heading with pymdownx.slugs.slugify(case='lower')."""
    text = _INLINE_MARKUP_RE.sub(lambda m: m.group(1) or "", text)
    slug = _TAG_RE.sub("", unicodedata.normalize("NFC", text)).strip().lower()
    return _NOT_SLUG_RE.sub("", slug).replace(" ", "-")


def _unique(slug: str, seen: set[str]) -> str:
    # Same rule as markdown.extensions.toc.unique: repeated headings get _1, _2, ...
    while slug in seen or not slug:
        match = re.match(r"^(.*)_([0-9]+)$", slug)
        slug = f"{match.group(1)}_{int(match.group(2)) + 1}" if match else f"{slug}_1"
    seen.add(slug)
    return slug


def anchors(body: str) -> set[str]:
    """Anchor ids a page will have: its headings, `{#id}` attributes and HTML ids."""
    found: set[str] = set()
    previous = ""
    for _offset, line, prose in _prose_lines(body):
        found.update(_ATTR_ID_RE.findall(prose))
        found.update(_HTML_ID_RE.findall(prose))
        atx = _ATX_RE.match(line)
        setext = _SETEXT_RE.match(line) if previous.strip() and not _ATX_RE.match(previous) else None
        text = atx.group(2) if atx else previous if setext else None
        if text is not None:
            explicit = _ATTR_ID_RE.search(text)
            if not explicit:
                _unique(heading_id(re.sub(r"\s*\{[^{}]*\}\s*$", "", text)), found)
        previous = "" if setext else line
    return found


def _close_file(target: str, files: set[str]) -> str | None:
    """The existing file a mistyped path most likely means: same folder first, then anywhere."""
    folder, suffix = posixpath.dirname(target), posixpath.splitext(target)[1]
    same = sorted(f for f in files if f.endswith(suffix))
    near = {posixpath.basename(f): f for f in same if posixpath.dirname(f) == folder}
    close = difflib.get_close_matches(posixpath.basename(target), list(near), n=1, cutoff=0.6)
    if close:
        return near[close[0]]
    close = difflib.get_close_matches(target, same, n=1, cutoff=0.8)
    return close[0] if close else None


def _relative(target: str, start: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(start) or ".")


class _LinkChecker:
    def __init__(self, page: Page, site: Site, status: Status | None) -> None:
        self.page, self.site, self.status = page, site, status
        self.problems: list[Problem] = []

    def report(self, line: int, image: bool, message: str) -> None:
        self.problems.append(Problem(self.page.path, line, "image" if image else "link", message))

    def has_anchor(self, path: str, anchor: str) -> bool:
        ids = self.site.anchors(path)
        return anchor in ids or unquote(anchor) in ids

    def check(self, link: Link, check_images: bool) -> None:
        url = link.target
        scheme, netloc, path, _query, anchor = urlsplit(url)
        if scheme or netloc or not url or (link.image and not check_images):
            return
        if not path:
            if anchor and not self.has_anchor(self.page.path, anchor):
                self.report(link.line, link.image,
                            f"链接“{url}”指向本页的锚点 #{anchor}，但本页没有这个小标题。{self.headings(self.page.path)}")
            return
        path = unquote(path)
        base = "" if path.startswith("/") else posixpath.dirname(self.page.path)
        target = posixpath.normpath(posixpath.join(base, path.lstrip("/")))
        if target.startswith("../") or target == "..":
            self.report(link.line, link.image, f"链接“{url}”跑到了 content/ 之外。请链接 content/ 中的文件。")
        elif target in self.site.files or target in self.site.generated:
            self.published(link, target)
            if anchor and target in self.site.pages and not self.has_anchor(target, anchor):
                self.report(link.line, link.image,
                            f"链接“{url}”中的锚点 #{anchor} 在 {target} 中找不到。{self.headings(target)}")
        elif not posixpath.splitext(path)[1]:
            self.report(link.line, link.image, f"链接“{url}”写的是网址，不是文件，网站构建会失败。{self.suggest_page(path, anchor)}")
        else:
            close = _close_file(target, self.site.files)
            hint = f"是不是 {_relative(close, self.page.path)}？" if close else "请检查文件名和大小写。"
            self.report(link.line, link.image, f"找不到链接的文件“{url}”（应在 content/{target}）。{hint}")

    def published(self, link: Link, target: str) -> None:
        """A link to an unpublished entry breaks the build unless this page goes live no earlier."""
        later = self.site.unpublished.get(target)
        mine = self.status
        if later is None or (mine is not None and mine.draft):
            return
        if later.draft:
            self.report(link.line, link.image, f"链接“{link.target}”指向草稿 {target}，正式网站上没有这一页，构建会失败。"
                        "请等它发布后再加链接，或先删去链接。")
        elif later.live is not None and (mine is None or (mine.live is not None and mine.live < later.live)):
            self.report(link.line, link.image, f"链接“{link.target}”指向 {zh_date(later.live)} 才发布的 {target}，"
                        "在那之前网站构建会失败。请等它发布后再加链接，或把本文的 date 改到它之后。")

    def suggest_page(self, path: str, anchor: str) -> str:
        """The .md file a page address most likely means, written relative to this page."""
        tail = f"#{anchor}" if anchor else ""
        bases = [self.page.path]
        entry_url = next((u for u, s in self.site.urls.items() if s == self.page.path), None)
        if entry_url:
            bases.append(entry_url + "index.md")  # relative to where the page is published
        for base in bases:
            where = "" if path.startswith("/") else posixpath.dirname(base)
            url = posixpath.normpath(posixpath.join(where, path.lstrip("/")))
            for candidate in (self.site.urls.get(url + "/"), url + "/index.md", url + ".md"):
                if candidate and (candidate in self.site.files or candidate in self.site.generated):
                    return f"请链接到文件，改为 {_relative(candidate, self.page.path)}{tail}"
        return "请链接到 .md 文件（相对于本文件的路径），例如 ../stories/another-story.md"

    def headings(self, path: str) -> str:
        ids = sorted(self.site.anchors(path))
        return f"可用的锚点：{'、'.join('#' + i for i in ids[:8])}" if ids else "该页没有小标题。"


def check_links(site: Site, paths: Iterable[str], entries: Iterable[str] = ()) -> list[Problem]:
    """Problems with the links of the given pages (content/ paths).

    Images are checked only on pages that are not entries (`entries`); entry
    images are checked with the front matter in validate.py.
    """
    entry_set = set(entries)
    problems: list[Problem] = []
    for path in paths:
        page = site.pages.get(path)
        if page is None:
            continue
        checker = _LinkChecker(page, site, site.unpublished.get(path))
        for link in find_links(page):
            checker.check(link, check_images=path not in entry_set)
        problems += checker.problems
    return problems
