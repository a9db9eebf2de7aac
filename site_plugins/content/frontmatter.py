"""Split a Markdown file into YAML front matter and body, keeping line numbers.

Editors' files arrive with BOMs, Windows line endings or in the wrong encoding;
each of those is either normalised here or turned into a clear `Problem`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from site_plugins.content.problems import Problem

# libyaml's parser when available: `scripts/check` parses every file on each commit.
_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """SafeLoader that leaves dates as text, so 2026-13-45 is reported, not raised."""


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return str(loader.construct_scalar(node))  # type: ignore[arg-type]


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


@dataclass
class Document:
    """A parsed content file: its metadata, where each key sits, and its body."""

    path: str
    meta: dict[str, Any]
    lines: dict[str, int]
    body: str
    body_line: int
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, key: str) -> int:
        """Line of `key` in the file, else the line of the opening `---`."""
        return self.lines.get(key, 1)


def decode(raw: bytes, path: str) -> tuple[str | None, Problem | None]:
    """Decode file bytes as UTF-8 (BOM tolerated) with normalised newlines."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, Problem(
            path, line, "encoding",
            "文件不是 UTF-8 编码。请在编辑器中选择“另存为 UTF-8”后再提交。",
        )
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def _load(yaml_text: str) -> tuple[yaml.Node | None, Any]:
    """Parse once: the node tree gives each key's line, the same tree gives the data."""
    loader = _Loader(yaml_text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else {})
    finally:
        loader.dispose()


def parse_text(text: str, path: str) -> Document:
    """Parse front matter from already decoded text."""
    doc = Document(path, {}, {}, text, 1)
    if not text.strip():
        doc.problems.append(Problem(path, 1, "file", "文件是空的。请用 scripts/new 生成模板，或删除此文件。"))
        return doc
    lines = text.split("\n")
    if lines[0].strip() != "---":
        doc.problems.append(Problem(
            path, 1, "front matter",
            "缺少开头的 front matter。文件第一行应为 ---，随后是 title、date 等字段，再以 --- 结束。",
        ))
        return doc
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        doc.problems.append(Problem(path, 1, "front matter", "front matter 没有结束的 --- 行。请在字段之后加一行 ---。"))
        return doc
    yaml_text = "\n".join(lines[1:end])
    doc.body = "\n".join(lines[end + 1 :])
    doc.body_line = end + 2
    try:
        node, data = _load(yaml_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        doc.problems.append(Problem(
            path, line, "front matter",
            f"YAML 格式错误（{getattr(exc, 'problem', exc)}）。检查冒号后的空格、缩进和引号；"
            "标题中含有冒号时请用引号括起来。",
        ))
        return doc
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        doc.problems.append(Problem(path, 2, "front matter", "front matter 应为“字段: 值”的列表。"))
        return doc
    doc.meta = data
    for key_node, value_node in node.value:
        doc.lines[str(key_node.value)] = key_node.start_mark.line + 2
        if isinstance(value_node, yaml.MappingNode):  # recording.duration: errors can name the inner line
            for inner, _ in value_node.value:
                doc.lines[f"{key_node.value}.{inner.value}"] = inner.start_mark.line + 2
    return doc


def parse_file(file: Path, path: str) -> Document:
    """Read and parse one content file; `path` is how errors name it."""
    text, problem = decode(file.read_bytes(), path)
    if problem is not None:
        return Document(path, {}, {}, "", 1, [problem])
    assert text is not None
    return parse_text(text, path)
