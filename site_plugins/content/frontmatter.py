"""Split a Markdown file into YAML front matter and body, keeping line numbers.

Editors' files arrive with BOMs, Windows line endings, characters pasted from
Word or in the wrong encoding, and with full-width punctuation in the YAML;
each of those is either normalised here (with a notice) or turned into a clear
`Problem`. `Document.text` is the normalised file, what MkDocs is given too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from site_plugins.content import invisible, pastedhtml
from site_plugins.content.markdown import code_ranges
from site_plugins.content.problems import Problem
from site_plugins.content.yamlload import load

FENCE = "---"  # the line that opens front matter (and closes it)
CLOSERS = (FENCE, "...")  # YAML's document end closes it too


class Rewrite(NamedTuple):
    """A value read as meant but written another way: `scripts/check --fix` writes `value` for `typed`."""

    line: int
    field: str
    typed: str
    value: str


@dataclass
class Document:
    """A parsed content file: its metadata, where each key sits, and its body."""

    path: str
    meta: dict[str, Any]
    lines: dict[str, int]
    body: str
    body_line: int
    problems: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)  # fixed or derived values, never a failure
    rewrites: list[Rewrite] = field(default_factory=list)  # values to write the site's way (dates)
    text: str = ""  # the whole file, normalised: what is published

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
    return newlines(text), None


def newlines(text: str) -> str:
    """Windows (CRLF) and old Mac (CR) line ends as LF: every reader of a file counts the same lines."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def clean(text: str, path: str) -> tuple[str, list[Problem]]:
    """Decoded YAML (a data file) without invisible characters, and a notice for each line that had some."""
    text, found = invisible.strip_text(text)
    return text, [Problem(path, line, "text", invisible.message(chars), notice=True) for line, chars in found]


def clean_page(text: str, path: str) -> tuple[str, list[Problem]]:
    """Decoded Markdown without invisible characters, and a notice for each line that had some.

    Format characters (zero-width space...) stay inside the body's code blocks and code spans.
    """
    keep: list[tuple[int, int]] = []
    if invisible.FORMAT_RE.search(text):
        parts = split(invisible.strip_text(text)[0])  # the same lines: a `---` with a ZWSP still ends it
        body_line = 1 if parts is None else parts[2]
        if body_line:
            offset = sum(len(line) + 1 for line in text.split("\n")[: body_line - 1])
            keep = [(offset + start, offset + end) for start, end in code_ranges(text[offset:])]
    text, found = invisible.strip_text(text, keep)
    return text, [Problem(path, line, "text", invisible.message(chars), notice=True) for line, chars in found]


def split(text: str) -> tuple[str, str, int] | None:
    """(YAML text, body, file line of the body) of decoded text; None without a leading `---`.

    An unclosed front matter gives body line 0. The one place that knows where
    front matter ends: validation, the link check and page scans all use it.
    """
    lines = text.split("\n")
    if lines[0].strip() != FENCE:
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in CLOSERS), None)
    if end is None:
        return "\n".join(lines[1:]), "", 0
    return "\n".join(lines[1:end]), "\n".join(lines[end + 1 :]), end + 2


def split_rule() -> dict[str, Any]:
    """`split`'s rule as data, for the web editor's copy of it (cms/static/rc-content.js, which
    cannot import this): the fence, the lines that close it, and every character `str.strip()`
    takes off a line's ends (White_Space lies in the BMP; JavaScript's trim() differs)."""
    return {"open": FENCE, "close": list(CLOSERS),
            "space": "".join(c for c in map(chr, range(0x10000)) if c.isspace())}


def page_body(text: str) -> tuple[str, int]:
    """(body, its first file line) of a page whose front matter is optional (about.md, index.md)."""
    parts = split(text)
    return (parts[1], parts[2]) if parts is not None and parts[2] else (text, 1)


def parse_text(text: str, path: str) -> Document:
    """Parse front matter from already decoded text."""
    text, notices = clean_page(text, path)
    doc = Document(path, {}, {}, text, 1, notices=notices, text=text)
    if not text.strip():
        doc.problems.append(Problem(path, 1, "file", "文件是空的。请用 scripts/new 生成模板，或删除此文件。"))
        return doc
    parts = split(text)
    if parts is None:
        doc.problems.append(Problem(
            path, 1, "front matter",
            "缺少开头的 front matter。文件第一行应为 ---，随后是 title、date 等字段，再以 --- 结束。",
        ))
        _clean_body(doc, "")  # a plain page may do without front matter: its body is all of it
        return doc
    yaml_text, body, body_line = parts
    if not body_line:
        doc.problems.append(Problem(path, 1, "front matter", "front matter 没有结束的 --- 行。请在字段之后加一行 ---。"))
        return doc
    loaded = load(yaml_text, path, "front matter", offset=2)
    doc.notices += loaded.notices
    doc.body, doc.body_line = body, body_line
    if loaded.problems:
        doc.problems += loaded.problems
        return doc
    node, data = loaded.node, loaded.data
    if data is None:
        data, node = {}, None
    if not isinstance(data, dict) or (node is not None and not isinstance(node, yaml.MappingNode)):
        doc.problems.append(Problem(path, 2, "front matter", "front matter 应为“字段: 值”的列表。"))
        return doc
    for key_node, value_node in node.value if node is not None else []:
        doc.lines[str(key_node.value)] = key_node.start_mark.line + 2
        if isinstance(value_node, yaml.MappingNode):  # recording.duration: errors can name the inner line
            for inner, _ in value_node.value:
                doc.lines[f"{key_node.value}.{inner.value}"] = inner.start_mark.line + 2

    def report(key: str) -> Any:
        line = doc.lines.get(key, 1)
        return lambda chars: doc.notices.append(
            Problem(path, line, key, invisible.message(chars), notice=True))

    doc.meta = {key: invisible.strip_value(value, report(str(key))) for key, value in data.items()}
    lines = text.split("\n")
    # Publish what was read: the front matter with its slips fixed, the body with pasted HTML cleaned.
    _clean_body(doc, "\n".join([lines[0], loaded.text, lines[body_line - 2], ""]) if loaded.notices else
                "\n".join([*lines[: body_line - 1], ""]))
    return doc


def _clean_body(doc: Document, head: str) -> None:
    """The body with Word's and WeChat's markup cleaned (content/pastedhtml.py); `head` is what precedes it."""
    body, notices = pastedhtml.clean_body(doc.path, doc.body, doc.body_line)
    doc.notices += notices
    if body != doc.body or head != doc.text[: len(head)]:
        doc.body = body
        doc.text = head + body


def parse_file(file: Path, path: str) -> Document:
    """Read and parse one content file; `path` is how errors name it."""
    text, problem = decode(file.read_bytes(), path)
    if problem is not None:
        return Document(path, {}, {}, "", 1, [problem])
    assert text is not None
    return parse_text(text, path)
