"""What an editor most likely meant by a path that names no file, and derived permanent ids.

A photo saved as `x.jpg` but written `x.JPG` or `x.jpeg`, a path written
from the repository root (`content/images/x.jpg`) or from content/
(`images/x.jpg` in `stories/a.md`): each gets the path to write instead,
relative to the page, so no Unix-only tool is ever needed.
"""

from __future__ import annotations

import posixpath
import uuid
from pathlib import Path

from site_plugins import urls
from site_plugins.content.problems import ref

# Spellings of one file type (an editor, a camera and a phone disagree on these).
_SAME_TYPE = ({".jpg", ".jpeg", ".jpe"}, {".tif", ".tiff"}, {".htm", ".html"}, {".mp3", ".mpeg"})


def derived_id(path: str) -> str:
    """The permanent id of a file that has none: a UUID from its path inside content/.

    It holds while the file keeps its name; `scripts/check --fix` writes it into the file.
    """
    return str(uuid.uuid5(uuid.NAMESPACE_URL, path))


def _same_type(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    return a == b or any(a in group and b in group for group in _SAME_TYPE)


def near_miss(content_dir: Path, resolved: str) -> str | None:
    """A file in the same folder that differs from `resolved` only in case or extension spelling."""
    folder = content_dir / posixpath.dirname(resolved)
    stem, suffix = posixpath.splitext(posixpath.basename(resolved))
    if not folder.is_dir():
        return None
    for candidate in sorted(folder.iterdir()):
        other_stem, other_suffix = posixpath.splitext(candidate.name)
        if candidate.is_file() and other_stem.lower() == stem.lower() and _same_type(other_suffix, suffix):
            return posixpath.join(posixpath.dirname(resolved), candidate.name)
    return None


def missing_hint(content_dir: Path, page: str, raw: str, resolved: str) -> str:
    """The message for a path that names no file: what was looked for, and what to write instead."""
    found = near_miss(content_dir, resolved)
    if found is not None:
        return (f"找不到文件“{raw}”，但同一文件夹里有“{posixpath.basename(found)}”"
                f"（只差大小写或扩展名的写法）。请写成 {urls.relative(found, page)}")
    for prefix in ("content/", "./content/"):
        if raw.startswith(prefix):
            inside = posixpath.normpath(raw[len(prefix):])
            if (content_dir / inside).is_file():
                return (f"“{raw}”是从仓库根目录写起的路径；这里的路径要相对于本文件所在的文件夹。"
                        f"请写成 {urls.relative(inside, page)}")
    if not raw.startswith(("/", "../")) and posixpath.dirname(page):
        inside = posixpath.normpath(raw)
        if (content_dir / inside).is_file():
            return (f"“{raw}”是从 content/ 写起的路径；这里的路径要相对于本文件所在的文件夹。"
                    f"请写成 {urls.relative(inside, page)}（或写 /{inside}）")
    return f"找不到文件“{raw}”（应在 {ref(resolved)}）。请检查文件名，以及文件是否已放进这个文件夹。"
