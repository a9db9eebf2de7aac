"""What a page refers to: paths relative to the page, the files they name, the page's images.

One owner for "where does `images/x.jpg` in `stories/a/index.md` point" and
for the image rules every page obeys (stories, lectures and plain pages such
as about.md alike): alt text, no raw `<img>`, inside content/, present, not a
symlink out of content/. Validation, `scripts/check`'s link check and
rc-images all call these.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

from site_plugins.content.looseimages import FULL_WIDTH, markdown_line
from site_plugins.content.markdown import Link, Scan
from site_plugins.content.problems import Problem
from site_plugins.content.schema import IMAGE_SUFFIXES, ImageRef
from site_plugins.content.suggest import missing_hint

_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def is_external(target: str) -> bool:
    """A URL with a scheme (https:, mailto:, data:) or a network path (//host)."""
    return bool(_SCHEME_RE.match(target)) or target.startswith("//")


def resolve(page: str, target: str) -> str:
    """`target` as a path inside content/; a leading "/" means from content/, as
    MkDocs' `absolute_links: relative_to_docs` reads it. May start with "../" (outside)."""
    base = "" if target.startswith("/") else posixpath.dirname(page)
    return posixpath.normpath(posixpath.join(base, target.lstrip("/")))


def is_outside(resolved: str) -> bool:
    return resolved == ".." or resolved.startswith("../")


def locate(content_dir: Path, page: str, target: str, suffixes: tuple[str, ...] = (),
           what: str = "文件") -> tuple[str, str]:
    """(content path, "") for a file `page` may use, or ("", the Chinese reason it may not).

    `what` names the file in messages: 文件, 图片, 录音.
    """
    raw = target.strip()
    if is_external(raw):
        return "", f"“{raw}”是外部网址。图片和文件请放进 content/ 中，写相对路径。"
    resolved = resolve(page, raw)
    if is_outside(resolved):
        return "", f"路径“{raw}”跑到了 content/ 之外。请把文件复制到本文件旁边或 content/images/ 中。"
    if suffixes and not resolved.lower().endswith(suffixes):
        return "", f"“{raw}”不是支持的格式（{'、'.join(suffixes)}）。"
    file = content_dir / resolved
    if not file.is_file():
        return "", missing_hint(content_dir, page, raw, resolved)
    if not file.resolve().is_relative_to(content_dir.resolve()):
        # A symlink would publish a file from outside content/ (and the build would follow it).
        return "", f"{what}“content/{resolved}”是指向 content/ 之外的链接。请把{what}文件本身复制到 content/ 中。"
    return resolved, ""


def page_images(content_dir: Path, page: str, found: Scan) -> tuple[list[ImageRef], list[Problem]]:
    """The Markdown images of a page's body, each checked; raw <img> refused."""
    refs: list[ImageRef] = []
    problems: list[Problem] = []
    for line in found.raw_images():
        # raw <img> bypasses the image pipeline (no resizing, no metadata stripping)
        problems.append(Problem(page, line, "image", "请不要用 HTML 的 <img> 插入图片，改用 Markdown 写法 ![图片说明](文件名.jpg)，"
                                "这样图片才会被缩小并去除位置信息。"))
    for image in found.unread_images():
        problems.append(Problem(page, image.line, "image", _unread(content_dir, page, image)))
    for image in found.images:
        if not image.alt.strip():
            problems.append(Problem(page, image.line, "image",
                                    f"图片“{image.target}”没有替代文本。请写成 {markdown_line('描述图片内容的一句话', image.target)}"))
        resolved, error = locate(content_dir, page, unquote(image.target), IMAGE_SUFFIXES, "图片")
        if error:
            problems.append(Problem(page, image.line, "image", _meant(content_dir, page, image) or error))
        else:
            refs.append(ImageRef(resolved, image.alt.strip(), image.line))
    return refs, problems


def _names(rest: str) -> list[str]:
    """Every start of `rest` that ends in an image suffix, longest first: the names it may hold."""
    rest = rest.strip().removeprefix("<")
    lower = rest.lower()
    ends = {at + len(suffix) for suffix in IMAGE_SUFFIXES for at in _find_all(lower, suffix)}
    return [rest[:end].strip() for end in sorted(ends, reverse=True)]


def _find_all(text: str, part: str) -> list[int]:
    found, at = [], text.find(part)
    while at >= 0:
        found.append(at)
        at = text.find(part, at + 1)
    return found


def _existing(content_dir: Path, page: str, name: str) -> bool:
    resolved = resolve(page, unquote(name))
    return not is_outside(resolved) and not is_external(name) and (content_dir / resolved).is_file()


def _meant(content_dir: Path, page: str, image: Link) -> str:
    """For a target that names no file: the line to write when the file is there, named another way."""
    for name in _names(image.rest):
        if name != image.target and len(name) > len(image.target) and _existing(content_dir, page, name):
            return (f"图片文件名“{name}”里的括号让 Markdown 只读到了“{image.target}”。"
                    f"请写成 {markdown_line(image.alt or '图片说明', name)}")
    if "%" in image.target and (content_dir / resolve(page, image.target)).is_file():
        escaped = image.target.replace("%", "%25")
        return (f"文件名“{image.target}”里的 % 会被读成网址编码（%20 是空格）。"
                f"请写成 {markdown_line(image.alt or '图片说明', escaped)}")
    return ""


def _unread(content_dir: Path, page: str, image: Link) -> str:
    """The message for what an editor meant as an image but the build would publish as text."""
    alt = image.alt or "图片说明"
    if image.unread == FULL_WIDTH:
        return (f"这里的图片写法用了中文标点（！【】（）），Markdown 读不出来，会把它当文字发布。"
                f"请全部改用英文标点：{markdown_line(alt, image.target)}")
    name = next((n for n in _names(image.rest) if _existing(content_dir, page, n)), "")
    if name:
        return (f"图片文件名“{name}”里的括号没有配对，Markdown 读不出这张图片，会把它当文字发布。"
                f"请写成 {markdown_line(alt, name)}")
    return ("这里的图片写法 Markdown 读不出来（括号没有配对），会把它当文字发布。"
            f"请写成 ![{alt}](文件名.jpg)；文件名里有括号或空格时，用尖括号把它括起来：![{alt}](<文件名 (2).jpg>)")
