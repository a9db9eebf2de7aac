"""The one shape every content error takes: path, line, field, message."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# A content/ path inside a message, shown relative to the folder the command runs in.
_REF_RE = re.compile(r"\{content:([^{}]*)\}")


def ref(path: str) -> str:
    """Mark `path` (inside content/) in a message, so it is shown as the editor's shell sees it."""
    return "{content:" + path + "}"


def from_cwd(content_dir: str | Path, cwd: str | Path | None = None) -> Callable[[str], str]:
    """Show a content/ path relative to `cwd` (default: the current folder), e.g. content/stories/x.md."""
    base = os.path.abspath(content_dir)
    here = os.path.abspath(cwd or os.getcwd())
    return lambda path: Path(os.path.relpath(os.path.join(base, path), here)).as_posix()


@dataclass(frozen=True, order=True)
class Problem:
    """A problem in a content file, printed as `path:line: field: message`."""

    path: str
    line: int
    field: str
    message: str
    notice: bool = False  # a value fixed or derived: reported, never a failure

    def __str__(self) -> str:
        return self.shown(lambda path: path)

    def text(self, show: Callable[[str], str]) -> str:
        """The message with every marked path shown by `show`."""
        return _REF_RE.sub(lambda m: show(m.group(1)), self.message)

    def shown(self, show: Callable[[str], str]) -> str:
        """`path:line: field: message` with paths shown by `show` (see `from_cwd`)."""
        return f"{show(self.path)}:{self.line}: {self.field}: {self.text(show)}"


class ContentError(Exception):
    """Raised with every problem of a build at once."""

    def __init__(self, problems: list[Problem], show: Callable[[str], str] | None = None) -> None:
        self.problems = sorted(p for p in problems if not p.notice)
        count = len(self.problems)
        lines = "\n".join(p.shown(show or (lambda path: path)) for p in self.problems)
        super().__init__(f"内容检查发现 {count} 个问题，本次构建已停止，网站保持上一版：\n{lines}")
