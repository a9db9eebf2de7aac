"""Files under content/ that would be dropped, published unchecked or copied raw: each reported.

MkDocs publishes every Markdown file (`.md`, `.MD`, `.markdown`, …) as a page
and copies every other file into site/ as it is; our catalog reads only
`stories/**.md` and `lectures/**.md`. What falls between the two is named here,
once, for the build and `scripts/check` alike (docs/ISSUE notes list the audit).
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from site_plugins.content.problems import Problem
from site_plugins.content.reuse import Derived
from site_plugins.content.schema import KIND_FOLDERS, RASTER_SUFFIXES, ImageRef, Lecture, Story
from site_plugins.content.tree import hidden, listing

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")  # what MkDocs renders, in any case
_LINK_RE = re.compile(r"\]\(\s*<([^>]+)>|\]\(\s*([^)\s]+)|\b(?:href|src)=[\"']([^\"']+)")


def _meant_folder(folder: str) -> str:
    """The kind folder a misspelt top folder (story/, Stories/, lecture/) was meant to be, or ""."""
    if not folder or folder in KIND_FOLDERS:
        return ""
    spellings = {name: name for name in KIND_FOLDERS} | {"story": "stories", "lecture": "lectures"}
    name = folder.casefold()
    close = [c for c in difflib.get_close_matches(name, spellings, n=2, cutoff=0.8) if c[0] == name[0]]
    return spellings[close[0]] if close else ""


def _files(content_dir: Path) -> Iterable[tuple[str, bool]]:
    """(path inside content/, hidden) of every file."""
    return ((path, hidden(path)) for path in listing(content_dir).files)


def referenced(entries: Iterable[Story | Lecture]) -> set[str]:
    """Content paths the stories and lectures use: cover, images, slides, recording, linked files."""
    used: set[str] = set()
    for entry in entries:
        used.update(_used_by(entry))
    return used


@Derived
def _used_by(entry: Story | Lecture) -> frozenset[str]:
    used = {image.src for image in ([entry.cover] if entry.cover else []) + list(entry.images)}
    if isinstance(entry, Lecture):
        used.update(p for p in (entry.slides, entry.recording.file if entry.recording else "",
                                entry.transcript.file if entry.transcript else "") if p)
    base = posixpath.dirname(entry.source)
    for match in _LINK_RE.finditer(entry.body):
        target = next(g for g in match.groups() if g).split("#", 1)[0].split("?", 1)[0]
        if target and "://" not in target and not target.startswith(("mailto:", "#")):
            joined = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
            used.add(posixpath.normpath(joined))
    return frozenset(used)


def audit(content_dir: Path, entries: Iterable[Story | Lecture], failed: Iterable[str] = (),
          pages: Mapping[str, Iterable[ImageRef]] | None = None) -> list[Problem]:
    """Problems (and notices) for files that would otherwise be lost or published unchecked.

    `failed`: pages that did not validate; files beside them are not judged (their use is unknown).
    `pages`: the images of plain pages, which use photos too.
    """
    unknown = {posixpath.dirname(p) for p in failed}
    used = referenced(entries) | {image.src for images in (pages or {}).values() for image in images}
    out: list[Problem] = []
    for path, is_hidden in sorted(_files(content_dir)):
        name = posixpath.basename(path)
        suffix = posixpath.splitext(name)[1]
        folder = path.split("/")[0] if "/" in path else ""
        markdown = suffix.lower() in MARKDOWN_SUFFIXES
        if is_hidden:
            if markdown:
                out.append(Problem(path, 1, "file", "文件名或文件夹名以 . 开头，网站不会发布这个文件。"
                                   "要发布的话请去掉开头的点。", notice=True))
            continue
        if markdown and suffix != ".md":
            out.append(Problem(path, 1, "file", f"扩展名“{suffix}”会让这个文件不经检查就发布。"
                               f"请把文件改名为 {posixpath.splitext(name)[0]}.md"))
        elif markdown and (meant := _meant_folder(folder)):
            out.append(Problem(path, 1, "file", f"文件夹“{folder}/”不是 {meant}/，这里的文件会被当作普通页面发布，"
                               f"不按故事或讲座检查，也不进列表和订阅。请把文件移到 content/{meant}/"))
        elif markdown or path in used or posixpath.dirname(path) in unknown:
            continue
        elif suffix.lower() in RASTER_SUFFIXES:  # anywhere: originals are never published (rc-images)
            out.append(Problem(path, 1, "file", "这张图片没有被任何文章使用，不会发布（原图从不直接发布）。"
                               "要用它，请在文章里写 ![说明](文件名)。", notice=True))
        elif folder in KIND_FOLDERS:  # elsewhere (content/files/…) a file is the site's own, on purpose
            out.append(Problem(path, 1, "file", "这个文件没有被任何文章引用，却会原样复制到网站上，谁都能下载。"
                               "要发布请在文章里链接它（或写进 slides、recording、transcript）；"
                               "是资料或草稿的话，请移出 content/。"))
    return out
