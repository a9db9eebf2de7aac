"""Invisible characters pasted from Word or WeChat: removed from what is published, reported.

C0 and C1 control characters (tab and newline excepted), a byte order mark
inside the text, lone surrogates (a YAML escape such as "\\ud800") and the
non-characters U+FFFE/U+FFFF cannot be written to XML (feeds) and mean
nothing on a page. They are taken out wherever content text enters: the
file's text before YAML reads it, and each value after.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

INVISIBLE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\ufffe\uffff\ud800-\udfff]")


def describe(chars: str) -> str:
    """U+000B（垂直制表符） style names of the characters removed, each once, in order."""
    names = {"\x0b": "垂直制表符，Word 的手动换行", "\x0c": "换页符", "\ufeff": "BOM 零宽字符", "\x00": "空字符"}
    seen = dict.fromkeys(chars)
    parts = []
    for char in seen:
        name = names.get(char) or ("代理码位" if 0xD800 <= ord(char) <= 0xDFFF else unicodedata.name(char, "控制字符"))
        parts.append(f"U+{ord(char):04X}（{name}）")
    return "、".join(parts)


def strip_text(text: str) -> tuple[str, list[tuple[int, str]]]:
    """`text` without invisible characters, and (line, characters removed) for each line that had some."""
    if not INVISIBLE_RE.search(text):
        return text, []
    found: list[tuple[int, str]] = []
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        removed = "".join(INVISIBLE_RE.findall(line))
        if removed:
            found.append((number, removed))
            lines[number - 1] = INVISIBLE_RE.sub("", line)
    return "\n".join(lines), found


def strip_value(value: Any, report: Callable[[str], None]) -> Any:
    """A parsed YAML value with invisible characters removed from every string in it."""
    if isinstance(value, str):
        cleaned = INVISIBLE_RE.sub("", value)
        if cleaned != value:
            report("".join(INVISIBLE_RE.findall(value)))
        return cleaned
    if isinstance(value, list):
        return [strip_value(v, report) for v in value]
    if isinstance(value, dict):
        return {strip_value(k, report): strip_value(v, report) for k, v in value.items()}
    return value


def message(chars: str) -> str:
    """The notice for characters removed from one line."""
    return (f"删除了 {len(chars)} 个看不见的字符：{describe(chars)}。常见于从 Word 或微信复制的文字；"
            "网站上不会出现，文件里也可以删掉。")
