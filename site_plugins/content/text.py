"""CJK-aware text measures: reading time, character count, excerpts, slugs."""

from __future__ import annotations

import functools
import logging
import math
import re
import unicodedata
from typing import Any

from site_plugins.content.markdown import scan

HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
WORD_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-.]*")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Runs of Han, not single characters: five times faster on Chinese prose (scripts/check reads every file).
_HAN_RUN_RE = re.compile(HAN_RE.pattern + "+")

HAN_PER_MINUTE = 400  # typical silent reading speed for Chinese prose
WORDS_PER_MINUTE = 200  # Latin words read by a Chinese reader
SECONDS_PER_IMAGE = 10

_MARKUP_RE = re.compile(r"[*_`#>|~]+")


def plain_text(markdown: str) -> str:
    """Markdown reduced to the words a reader reads (no code, markup, URLs or images)."""
    return _MARKUP_RE.sub(" ", scan(markdown).plain_text())


def count_images(markdown: str) -> int:
    return len(scan(markdown).images)


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
    for block in scan(markdown).blocks:
        # A paragraph that opens with an image, a link or HTML is a caption or a button, not prose.
        if not block.top or block.source.lstrip().startswith(("!", "[", "<")):
            continue
        text = re.sub(r"\s+", " ", _MARKUP_RE.sub(" ", block.text)).strip()
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


SLUG_MAX = 60  # characters; a slug is cut only between words
# A dictionary word far rarer than both halves it splits into is a set phrase (送温暖 = 送 + 温暖),
# and a slug reads better word by word: song-wennuan, while 志愿者 or 红十字会 stay whole.
_PHRASE_RATIO = 100
_ASCII_RUN_RE = re.compile(r"[a-z0-9]+")


@functools.cache
def _tokenizer() -> Any:
    """Our own jieba tokenizer, so a custom dictionary of the search plugin never changes slugs."""
    import jieba  # imported late: building its prefix dictionary takes a second

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def words(text: str) -> list[str]:
    """Chinese text split into words (jieba), set phrases split once more (送温暖 -> 送 温暖)."""
    tokenizer = _tokenizer()
    out: list[str] = []
    for word in tokenizer.lcut(text):
        if len(word) < 3 or not HAN_RE.match(word):
            out.append(word)
            continue
        freq = tokenizer.FREQ.get(word)
        if not freq:  # a word jieba guessed (not in its dictionary): its dictionary words, unless all single
            parts = tokenizer.lcut(word, HMM=False)
            out += parts if any(len(p) > 1 for p in parts) else [word]
            continue
        best = max(((word[:i], word[i:]) for i in range(1, len(word))),
                   key=lambda pair: min(tokenizer.FREQ.get(pair[0], 0), tokenizer.FREQ.get(pair[1], 0)))
        common = min(tokenizer.FREQ.get(best[0], 0), tokenizer.FREQ.get(best[1], 0))
        out += list(best) if common > freq * _PHRASE_RATIO else [word]
    return out


# Place names of the province that pypinyin's phrase data reads wrongly (长 as zhang).
_PLACE_PINYIN = {"长治": [["cháng"], ["zhì"]], "长子": [["zhǎng"], ["zǐ"]]}


@functools.cache
def _pinyin() -> tuple[Any, Any]:
    from pypinyin import Style, lazy_pinyin, load_phrases_dict  # imported late: its dictionary is slow

    load_phrases_dict(_PLACE_PINYIN)
    return lazy_pinyin, Style.NORMAL


def slugify(text: str, limit: int = SLUG_MAX) -> str:
    """An ASCII slug of word-joined pinyin: 大同志愿者冬夜送温暖 -> datong-zhiyuanzhe-dongye-song-wennuan.

    The one function behind scripts/new and every slug a message suggests.
    Polyphones are read by pypinyin's phrase data (重庆 chongqing, 银行 yinhang);
    the slug is cut between words, at most `limit` characters.
    """
    lazy_pinyin, style = _pinyin()
    parts: list[str] = []
    for word in words(unicodedata.normalize("NFKC", text)):
        if HAN_RE.search(word):
            syllables = lazy_pinyin(word, style=style, errors="ignore")
            parts += ["".join(_ASCII_RUN_RE.findall("".join(syllables).lower()))]
        else:
            parts += _ASCII_RUN_RE.findall(word.lower())
    slug = ""
    for part in filter(None, parts):
        joined = f"{slug}-{part}" if slug else part
        if len(joined) > limit:
            slug = slug or part[:limit]
            break
        slug = joined
    return slug or "untitled"
