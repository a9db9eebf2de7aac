"""Invisible characters pasted from Word or WeChat: removed from what is published, reported.

Two classes, both removed wherever content text enters (the file's text before
YAML reads it, and each value after), each with a `注意：` notice naming the
line and the code points:

- control characters: C0 and C1 controls (tab and newline excepted), a byte
  order mark inside the text, lone surrogates (a YAML escape such as
  "\\ud800") and the non-characters U+FFFE/U+FFFF. They cannot be written to
  XML (feeds), so they go everywhere, code included;
- format characters that mean nothing in Chinese text: zero-width space and
  (non-)joiners, the word joiner and invisible operators, bidi marks,
  embeddings and isolates, the soft hyphen, the Mongolian vowel separator,
  line and paragraph separators, Hangul fillers, tag characters. Two strings
  an editor sees as the same (志愿​服务 and 志愿服务) must be the same
  string for tags, slugs, ids, titles, feeds and search. In the body they
  are kept inside code (a code sample may show them on purpose; the caller
  passes those ranges) and where they are part of an emoji: a zero-width
  joiner between two emoji (👨‍👩‍👧, 🏳️‍🌈) and the tag characters of a
  subdivision flag (🏴 + tags) draw one picture, so they stay.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

INVISIBLE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\ufffe\uffff\ud800-\udfff]")
FORMAT_RE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\u3164\uffa0\ufff9-\ufffb\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f]"
)
_ANY_RE = re.compile(f"{INVISIBLE_RE.pattern}|{FORMAT_RE.pattern}")
_ZWJ = "\u200d"
_BLACK_FLAG = "\U0001f3f4"  # 🏴: with tag characters, a subdivision flag (England, Scotland, Wales)
_TAGS = ("\U000e0020", "\U000e007f")
_VARIATION = ("\ufe0e", "\ufe0f")
# Code points that draw as emoji (Unicode's Extended_Pictographic, in blocks): what a ZWJ may join.
_EMOJI_RANGES = ((0x00A9, 0x00A9), (0x00AE, 0x00AE), (0x203C, 0x203C), (0x2049, 0x2049), (0x2122, 0x2122),
                 (0x2139, 0x2139), (0x2194, 0x21AA), (0x2300, 0x23FF), (0x24C2, 0x24C2), (0x25A0, 0x27BF),
                 (0x2934, 0x2935), (0x2B00, 0x2BFF), (0x3030, 0x3030), (0x303D, 0x303D), (0x3297, 0x3299),
                 (0x1F000, 0x1FAFF))
_NAMES = {
    "\x0b": "垂直制表符，Word 的手动换行", "\x0c": "换页符", "\ufeff": "BOM 零宽字符", "\x00": "空字符",
    "\u00ad": "软连字符", "\u180e": "蒙古文元音分隔符", "\u200b": "零宽空格", "\u200c": "零宽不连字",
    "\u200d": "零宽连字", "\u200e": "从左到右标记", "\u200f": "从右到左标记", "\u2028": "行分隔符",
    "\u2029": "段分隔符", "\u2060": "词连接符", "\u3164": "韩文填充符",
}


def _name(char: str) -> str:
    code = ord(char)
    if char in _NAMES:
        return _NAMES[char]
    if 0xD800 <= code <= 0xDFFF:
        return "代理码位"
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        return "双向文字控制符"
    if 0x2061 <= code <= 0x2064:
        return "不可见运算符"
    if 0xE0000 <= code <= 0xE007F:
        return "标签字符"
    return unicodedata.name(char, "控制字符" if INVISIBLE_RE.match(char) else "格式字符")


def describe(chars: str) -> str:
    """U+200B（零宽空格） style names of the characters removed, each once, in order."""
    return "、".join(f"U+{ord(char):04X}（{_name(char)}）" for char in dict.fromkeys(chars))


def _is_emoji(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _EMOJI_RANGES)


def _base_before(text: str, index: int) -> str:
    """The character an emoji modifier at `index` attaches to (variation selectors and tags skipped)."""
    while index > 0:
        index -= 1
        char = text[index]
        if char not in _VARIATION and not _TAGS[0] <= char <= _TAGS[1]:
            return char
    return ""


def _part_of_emoji(text: str, index: int) -> bool:
    char = text[index]
    if char == _ZWJ:
        return index + 1 < len(text) and _is_emoji(text[index + 1]) and _is_emoji(_base_before(text, index))
    return _TAGS[0] <= char <= _TAGS[1] and _base_before(text, index) == _BLACK_FLAG


def strip_text(text: str, keep: Sequence[tuple[int, int]] = ()) -> tuple[str, list[tuple[int, str]]]:
    """`text` without invisible characters, and (line, characters removed) for each line that had some.

    Format characters inside a `keep` range (start, end offsets: code) stay; control characters never do.
    """
    if not _ANY_RE.search(text):
        return text, []
    found: dict[int, str] = {}
    out: list[str] = []
    last = counted = 0
    line = 1
    for match in _ANY_RE.finditer(text):
        at = match.start()
        char = match.group()
        if not INVISIBLE_RE.match(char) and (_part_of_emoji(text, at) or _inside(keep, at)):
            continue
        line += text.count("\n", counted, at)
        counted = at
        found[line] = found.get(line, "") + char
        out.append(text[last:at])
        last = at + 1
    out.append(text[last:])
    return "".join(out), sorted(found.items())


def _inside(spans: Sequence[tuple[int, int]], at: int) -> bool:
    return any(start <= at < end for start, end in spans)


def strip_value(value: Any, report: Callable[[str], None]) -> Any:
    """A parsed YAML value with invisible characters removed from every string in it."""
    if isinstance(value, str):
        cleaned, found = strip_text(value)
        if found:
            report("".join(chars for _line, chars in found))
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
