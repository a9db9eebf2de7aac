"""YAML as editors type it on a Chinese keyboard: read what is unambiguous, explain the rest in Chinese.

Front matter, `narratives.yml` and `authors.yml` all go through `load`:

- a full-width colon or a missing space after a key at the start of a line
  (`city：大同`, `city:大同`) and full-width spaces around it or in the
  indentation are read as the editor meant, with a notice;
- every YAML error is translated, points at the line (and character) where
  the mistake is, and names the full-width character when one caused it;
- a key written twice is an error (YAML would silently keep the last value).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from site_plugins.content.problems import Problem

# libyaml's parser when available: `scripts/check` parses every file on each commit.
_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Loader(_Base):
    """SafeLoader that leaves dates as text, so 2026-13-45 is reported, not raised."""


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return str(loader.construct_scalar(node))  # type: ignore[arg-type]


Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)

FULL_WIDTH = {"：": "英文冒号 :", "，": "英文逗号 ,", "、": "英文逗号 ,", "［": "英文方括号 [", "］": "英文方括号 ]",
              "【": "英文方括号 [", "】": "英文方括号 ]", "｛": "英文花括号 {", "｝": "英文花括号 }",
              "“": "英文引号 \"", "”": "英文引号 \"", "‘": "英文引号 '", "’": "英文引号 '", "\u3000": "普通空格"}
# A key at the start of a line (maybe a list item), then a full-width colon, or a colon with no space.
_KEY_RE = re.compile(r"^(?P<indent>[ \u3000]*)(?P<dash>-[ \u3000]+)?(?P<key>[A-Za-z_][A-Za-z0-9_-]*)"
                     r"[ \u3000]*(?P<colon>：|:(?=\u3000)|:(?=[^\s/:]))[ \u3000]*")
_BLOCK_START_RE = re.compile(r":\s*[|>][+-]?\d*\s*$")


@dataclass
class Loaded:
    """The parsed value, its node tree (for line numbers), problems and notices."""

    data: Any = None
    node: yaml.Node | None = None
    problems: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)
    text: str = ""  # the YAML as read, keyboard slips fixed


_FIX_MESSAGES = {
    "colon": "{key} 后面是中文冒号“：”，已按英文冒号读取。请改成 {key}: 值（英文冒号加一个空格）。",
    "space": "{key} 的冒号后面缺少空格，已按“{key}: 值”读取。请在冒号后加一个空格。",
    "ideographic": "{key} 的冒号前后有全角空格，已按普通空格读取。请改成 {key}: 值（英文冒号加一个普通空格）。",
    "indent": "行首有全角空格，已按普通空格读取。请把它删去或换成普通空格。",
}


def _indent(raw: str) -> str:
    """Indentation typed with full-width spaces: alone it is a slip (dropped), among spaces one space each."""
    return raw.replace("\u3000", " ") if " " in raw else ""


def fix_lines(lines: list[str]) -> tuple[list[str], list[tuple[int, str, str]]]:
    """Lines with unambiguous keyboard slips fixed; (index, key, kind of slip) of each fix."""
    fixed: list[str] = []
    fixes: list[tuple[int, str, str]] = []
    block_indent: int | None = None  # inside a `key: |` block every line is text
    for index, line in enumerate(lines):
        indent = len(line) - len(line.lstrip(" \u3000"))
        if block_indent is not None and (not line.strip() or indent > block_indent):
            fixed.append(line)
            continue
        block_indent = None
        match = _KEY_RE.match(line)
        if match and match["colon"] == ":" and "\u3000" not in match[0] and (match["indent"] or match["dash"]):
            match = None  # `key:value` is read as a key only at the top level, where nothing else is meant
        if match:
            head = match[0][len(match["indent"]):]
            kind = "colon" if match["colon"] == "：" else "ideographic" if "\u3000" in head else "space"
            if kind == "space" and "\u3000" in match["indent"]:
                kind = "indent"
            dash = "- " if match["dash"] else ""
            line = f"{_indent(match['indent'])}{dash}{match['key']}: {line[match.end():]}"
            fixes.append((index, match["key"], kind))
        elif "\u3000" in line[:indent]:
            line = _indent(line[:indent]) + line[indent:]
            fixes.append((index, "", "indent"))
        if _BLOCK_START_RE.search(line):
            block_indent = len(line) - len(line.lstrip(" "))
        fixed.append(line)
    return fixed, fixes


def _duplicates(node: yaml.Node, offset: int, path: str, field_name: str) -> list[Problem]:
    """Keys written twice in any mapping of the tree (YAML would keep the last silently)."""
    problems: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            name, line = str(key.value), key.start_mark.line + offset
            if name in seen:
                problems.append(Problem(path, line, name if field_name == "front matter" else field_name,
                                        f"{name} 写了两次（第 {seen[name]} 行和第 {line} 行），只会用到后一个。"
                                        "请删去其中一行，或把两处内容合并。"))
            else:
                seen[name] = line
            problems += _duplicates(value, offset, path, field_name)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            problems += _duplicates(item, offset, path, field_name)
    return problems


def _hint(line_text: str) -> str:
    """Name the first full-width punctuation of a line and what to type instead."""
    for column, char in enumerate(line_text, 1):
        if char in FULL_WIDTH:
            shown = "全角空格" if char == "\u3000" else f"“{char}”"
            return f"第 {column} 个字符{shown}是中文标点，请改成{FULL_WIDTH[char]}。"
    return ""


def translate(exc: yaml.YAMLError, lines: list[str], offset: int) -> tuple[int, str]:
    """(file line, Chinese message) for a YAML error; `offset` is the file line of YAML line 0."""
    problem = str(getattr(exc, "problem", "") or "")
    context = str(getattr(exc, "context", "") or "")
    mark = getattr(exc, "problem_mark", None)
    start = getattr(exc, "context_mark", None)
    index = mark.line if mark is not None else 0
    column = mark.column + 1 if mark is not None else 0
    if "could not find expected ':'" in problem and start is not None:
        index, column = start.line, 0
        text = "这一行不是“字段: 值”的写法：字段名后面要有英文冒号和一个空格。"
    elif "mapping values are not allowed" in problem:
        text = ("值里有英文冒号“: ”，YAML 把它当成了新的字段。请把整个值用英文引号括起来，"
                "例如 title: \"太原: 救在身边\"；或改用中文冒号“：”。")
    elif "tab character" in problem or ("cannot start any token" in problem and "\t" in _at(lines, index)):
        text = "这一行用了制表符（Tab）。front matter 里请用空格缩进和分隔。"
    elif "end of stream" in problem and "quoted" in context and start is not None:
        index, column = start.line, start.column + 1
        text = "这里开始的引号没有配对：以 \" 或 ' 开头的值，要在同一个值的末尾用同样的引号结束。"
    elif "expected ',' or ']'" in problem and start is not None:
        index, column = start.line, start.column + 1
        text = "方括号 [ 没有用英文方括号 ] 结束；列表各项之间用英文逗号分隔，例如 tags: [志愿服务, 救灾救助]。"
    elif "expected ',' or '}'" in problem and start is not None:
        index, column = start.line, start.column + 1
        text = "花括号 { 没有用英文花括号 } 结束；各项之间用英文逗号分隔，例如 {name: 李红梅, affiliation: 讲师}。"
    elif "did not find expected key" in problem or "block sequence entries are not allowed" in problem:
        text = ("这一行的缩进或写法不对：字段要从行首写起，写成“字段: 值”；"
                "以 - 开头的列表项要写在字段的下一行，并比字段多缩进两个空格。")
    elif "undefined alias" in problem or "anchor" in context or "alias" in context:
        text = "以 * 或 & 开头的值有特殊含义。请把整个值用英文引号括起来。"
    elif "escape code" in problem or "Unicode character" in problem:
        text = "双引号里的 \\u 转义写出了无效的字符。请删去这个转义，直接写文字。"
    elif "escape character" in problem:
        text = "双引号里的反斜杠 \\ 有特殊含义。请写成 \\\\，或改用单引号括起来。"
    elif "cannot start any token" in problem:
        text = "这一行以 YAML 的特殊字符（如 @ ` % ）开头。请把整个值用英文引号括起来。"
    else:
        text = "这里的写法 YAML 读不懂。请对照编辑指南检查冒号后的空格、缩进和引号。"
    where = f"第 {column} 个字符处：" if column > 1 else ""
    hint = _hint(_at(lines, index)) or (_hint(_at(lines, index - 1)) if index else "")
    return index + offset, f"YAML 格式错误，{where}{text}{hint}"


def _at(lines: list[str], index: int) -> str:
    return lines[index] if 0 <= index < len(lines) else ""


def load(text: str, path: str, field_name: str, offset: int = 1) -> Loaded:
    """Parse YAML `text` whose first line is line `offset` of the file named `path`."""
    lines, fixes = fix_lines(text.split("\n"))
    result = Loaded(text="\n".join(lines))
    for index, key, kind in fixes:
        result.notices.append(Problem(path, index + offset, key or field_name,
                                      _FIX_MESSAGES[kind].format(key=key), notice=True))
    loader = Loader(result.text)
    try:
        node = loader.get_single_node()
        result.node = node
        result.data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        line, message = translate(exc, lines, offset)
        result.problems.append(Problem(path, line, field_name, message))
        return result
    finally:
        loader.dispose()
    if node is not None:
        result.problems += _duplicates(node, offset, path, field_name)
    return result
