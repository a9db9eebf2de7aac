"""CJK-aware text measures: reading time, character count, excerpts, slugs."""

from __future__ import annotations

import math
import re

HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
WORD_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-.]*")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Runs of Han, not single characters: five times faster on Chinese prose (scripts/check reads every file).
_HAN_RUN_RE = re.compile(HAN_RE.pattern + "+")

HAN_PER_MINUTE = 400  # typical silent reading speed for Chinese prose
WORDS_PER_MINUTE = 200  # Latin words read by a Chinese reader
SECONDS_PER_IMAGE = 10

_FENCE_RE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
_IMAGE_RE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_HTML_RE = re.compile(r"<[^>]+>")
_ATTR_RE = re.compile(r"\{[:#.][^}]*\}")
_MARKUP_RE = re.compile(r"[*_`#>|~]+")


def plain_text(markdown: str) -> str:
    """Markdown reduced to the words a reader reads (no code, markup, URLs or images)."""
    text = _FENCE_RE.sub(" ", markdown)
    text = _IMAGE_RE.sub(" ", text)
    text = _LINK_RE.sub(r"\1", text)
    text = _HTML_RE.sub(" ", text)
    text = _ATTR_RE.sub(" ", text)
    return _MARKUP_RE.sub(" ", text)


def count_images(markdown: str) -> int:
    return len(_IMAGE_RE.findall(_FENCE_RE.sub(" ", markdown)))


def _han_and_words(text: str) -> tuple[int, int]:
    """(Han characters, Latin words) in plain text."""
    han = sum(map(len, _HAN_RUN_RE.findall(text)))
    return han, len(WORD_RE.findall(_HAN_RUN_RE.sub(" ", text)))


def char_count(markdown: str) -> int:
    """字数 as Chinese editors count it: each Han character, plus each Latin word."""
    han, words = _han_and_words(plain_text(markdown))
    return han + words


def reading_minutes(markdown: str) -> int:
    """Whole minutes to read: Han characters one by one, Latin by words, plus images."""
    han, words = _han_and_words(plain_text(markdown))
    seconds = han * 60 / HAN_PER_MINUTE + words * 60 / WORDS_PER_MINUTE
    seconds += count_images(markdown) * SECONDS_PER_IMAGE
    return max(1, math.ceil(seconds / 60))


_SENTENCE_END = "。！？!?；;"


def excerpt(markdown: str, limit: int = 120) -> str:
    """The first prose paragraph as plain text, cut at a sentence end within `limit`."""
    for block in re.split(r"\n\s*\n", _FENCE_RE.sub("", markdown)):
        stripped = block.strip()
        if not stripped or stripped[0] in "#>|-*+!<[" or re.match(r"^\d+\.", stripped):
            continue
        text = re.sub(r"\s+", " ", plain_text(stripped)).strip()
        text = re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef]) (?=[\u3000-\u9fff\uff00-\uffef])", "", text)
        if not text:
            continue
        return trim(text, limit)
    return ""


def trim(text: str, limit: int) -> str:
    """Shorten `text` to at most `limit` characters, preferring a sentence end."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    ends = [cut.rfind(ch) for ch in _SENTENCE_END]
    best = max(ends)
    if best >= limit // 2:
        return cut[: best + 1]
    return cut[: limit - 1].rstrip("，、：,:; ") + "…"


def source_stem(path: str) -> str:
    """The default slug of a content file: its name, or its folder's for a bundle's index.md."""
    stem = path.rsplit("/", 1)[-1].removesuffix(".md")
    return path.rsplit("/", 2)[-2] if stem == "index" and path.count("/") >= 1 else stem


def is_slug(value: str) -> bool:
    return bool(SLUG_RE.match(value))


def slugify(text: str, max_words: int = 8) -> str:
    """An ASCII pinyin slug for Chinese (or mixed) text, e.g. 志愿服务 -> zhi-yuan-fu-wu."""
    from pypinyin import Style, lazy_pinyin  # imported late: loading its dictionary is slow

    words: list[str] = []
    for part in lazy_pinyin(text, style=Style.NORMAL, errors="default"):
        words.extend(re.findall(r"[a-z0-9]+", part.lower()))
    return "-".join(words[:max_words]) or "untitled"
