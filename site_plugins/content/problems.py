"""The one shape every content error takes: path, line, field, message."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """A problem in a content file, printed as `path:line: field: message`."""

    path: str
    line: int
    field: str
    message: str
    notice: bool = False  # a value fixed or derived: reported, never a failure

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


class ContentError(Exception):
    """Raised with every problem of a build at once."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(p for p in problems if not p.notice)
        count = len(self.problems)
        lines = "\n".join(str(p) for p in self.problems)
        super().__init__(f"内容检查发现 {count} 个问题，本次构建已停止，网站保持上一版：\n{lines}")
