"""Internal links in Markdown: find them, and report those the build would reject.

Mirrors how MkDocs 1.6 resolves a link (relative to the source file; a leading
`/` means relative to content/, as `absolute_links: relative_to_docs` says) so
that `scripts/check` finds, without building, the links `mkdocs build --strict`
would fail on: missing files, links to page addresses instead of files,
anchors no heading produces, and links to drafts or not-yet-published stories.
"""

from __future__ import annotations

import difflib
import os
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from urllib.parse import unquote, urlsplit

from site_plugins import urls
from site_plugins.content.dates import zh_date
from site_plugins.content.frontmatter import clean_page, decode, page_body
from site_plugins.content.markdown import Link, scan
from site_plugins.content.paths import is_outside, resolve
from site_plugins.content.problems import Problem
from site_plugins.content.reuse import Version, file_version, keeping, remembered
from site_plugins.content.schema import Entry, withheld_reason

__all__ = ["Link", "Page", "Site", "Status", "anchors", "check_links", "find_links", "read_page", "status"]


@dataclass(frozen=True)
class Page:
    """A Markdown file of content/, split without parsing its YAML."""

    path: str  # inside content/, POSIX
    body: str
    body_line: int  # file line of the body's first line

    @cached_property
    def scanned(self) -> tuple[tuple[Link, ...], frozenset[str]]:
        """(links, anchor ids) of the body, scanned once: a page kept by `read_page` is not scanned
        again at the next check (only these are kept: the whole scan holds the text again)."""
        found = scan(self.body, self.body_line)
        return found.links, frozenset(found.anchors())


@dataclass(frozen=True)
class Status:
    """Why an entry is not on the public site yet: a draft, or scheduled for `live`."""

    draft: bool
    live: datetime | None = None


def status(entry: Entry, now: datetime) -> Status | None:
    """The entry's `Status` at `now` by the one publication rule; None if it is public."""
    reason = withheld_reason(entry, now)
    if not reason:
        return None
    return Status(draft=True) if entry.draft else Status(draft=False, live=entry.date)


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
            self._anchors[path] = set(page.scanned[1]) if page else set()
        return self._anchors[path]


_PAGES: dict[tuple[str, str], tuple[Version, Page | None]] = {}


def read_page(file: Path, path: str) -> Page | None:
    """The body of a Markdown file and where it starts; None if it cannot be decoded. Read again only
    when the file changed (`content.reuse.file_version`; the preview checks every page's links at each edit)."""
    on_disk = remembered("links", path, file, lambda: _scanned(_read_page(file, path)))  # scripts/build's
    if on_disk is not None:
        return on_disk[0]
    try:
        stamp = file_version(file)
    except OSError:
        return _read_page(file, path)
    key = (os.fspath(file), path)
    kept = _PAGES.get(key)
    if kept is None or kept[0] != stamp:
        kept = (stamp, _read_page(file, path))
        if keeping():
            _PAGES[key] = kept
    return kept[1]


def _scanned(page: Page | None) -> tuple[Page | None]:
    """A page with its scan made (kept with it on disk)."""
    if page is not None:
        page.scanned  # noqa: B018 (a cached property: made now, so that it is kept)
    return (page,)


def _read_page(file: Path, path: str) -> Page | None:
    text, problem = decode(file.read_bytes(), path)
    if problem is not None or text is None:
        return None
    return Page(path, *page_body(clean_page(text, path)[0]))  # as the build reads it: invisible characters out


def find_links(page: Page) -> list[Link]:
    """Every link and image of the body, with its file line (code and fences skipped)."""
    return list(page.scanned[0])


def anchors(body: str) -> set[str]:
    """Anchor ids a page will have: its headings, `{#id}` attributes and HTML ids."""
    return scan(body).anchors()


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


class _LinkChecker:
    def __init__(self, page: Page, site: Site, status: Status | None) -> None:
        self.page, self.site, self.status = page, site, status
        self.problems: list[Problem] = []

    def report(self, line: int, image: bool, message: str) -> None:
        self.problems.append(Problem(self.page.path, line, "image" if image else "link", message))

    def has_anchor(self, path: str, anchor: str) -> bool:
        ids = self.site.anchors(path)
        return anchor in ids or unquote(anchor) in ids

    def check(self, link: Link) -> None:
        url = link.target
        scheme, netloc, path, _query, anchor = urlsplit(url)
        if scheme or netloc or not url or link.image:
            return  # images are checked, on every page, by content/paths.py
        if not path:
            if anchor and not self.has_anchor(self.page.path, anchor):
                self.report(link.line, link.image,
                            f"链接“{url}”指向本页的锚点 #{anchor}，但本页没有这个小标题。{self.headings(self.page.path)}")
            return
        path = unquote(path)
        target = resolve(self.page.path, path)
        if is_outside(target):
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
            hint = f"是不是 {urls.relative(close, self.page.path)}？" if close else "请检查文件名和大小写。"
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
            url = resolve(base, path)
            for candidate in (self.site.urls.get(url + "/"), url + "/index.md", url + ".md"):
                if candidate and (candidate in self.site.files or candidate in self.site.generated):
                    return f"请链接到文件，改为 {urls.relative(candidate, self.page.path)}{tail}"
        return "请链接到 .md 文件（相对于本文件的路径），例如 ../stories/another-story.md"

    def headings(self, path: str) -> str:
        ids = sorted(self.site.anchors(path))
        return f"可用的锚点：{'、'.join('#' + i for i in ids[:8])}" if ids else "该页没有小标题。"


def check_links(site: Site, paths: Iterable[str]) -> list[Problem]:
    """Problems with the links of the given pages (content/ paths)."""
    problems: list[Problem] = []
    for path in paths:
        page = site.pages.get(path)
        if page is None:
            continue
        checker = _LinkChecker(page, site, site.unpublished.get(path))
        for link in find_links(page):
            checker.check(link)
        problems += checker.problems
    return problems
