"""Pagefind's index files: their encoding, and how Pagefind cuts its word index into chunks.

Pagefind 1.5's data files are gzip of `pagefind_dcd` + CBOR (pagefind/src/index/*.rs).
An index chunk is `[[word, pages, variants], ...]`, a page `[page number delta, locs,
meta locs]`; the metadata is `[version, pages, chunks, filters, sorts, meta fields]`.
`outputs/search/merge.py` builds one index from several of Pagefind's with the rules
here, which are Pagefind's own (`chunk_words`, `chunk_bounds`: pagefind/src/index/mod.rs,
chunk_index and chunk_meta), and one of ours: a very common word (志: 50,000 positions at
3,000 stories) shares its chunk with the words sorted before it, which every query for it
fetches too, so a word holding at least half of its chunk's positions gets a chunk of its
own (`split_dominant`).

Everything written here is named by a hash of its bytes and encoded the same way every
time (CBOR, gzip level 9 without a clock), so the same pages give the same files.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterable, Iterator
from itertools import pairwise
from operator import itemgetter
from pathlib import Path
from typing import Any, TypeVar

import cbor2

SIGNATURE = b"pagefind_dcd"  # what Pagefind's files start with once decompressed
CHUNK_UNITS = 20_000  # Pagefind's index_chunk_size (its default; PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE unset)
SOLO = 0.5  # a word with at least this share of its chunk's positions gets a chunk of its own

Bundle = dict[str, bytes]  # Pagefind's files by their path inside its folder ("index/zh_1a2b3c4.pf_index")
Word = list[Any]  # [word, [[page delta, locs, meta locs], ...], [[form, pages], ...]]
W = TypeVar("W")  # a word, decoded or (merge.py) encoded


def decode(data: bytes, name: str) -> Any:
    raw = gzip.decompress(data)
    if not raw.startswith(SIGNATURE):
        raise ValueError(f"{name}: not a Pagefind data file")
    return cbor2.loads(raw[len(SIGNATURE):])


def read(path: Path) -> Any:
    """A Pagefind data file on disk, decoded."""
    return decode(path.read_bytes(), path.name)


def gzip9(data: bytes, level: int = 9) -> bytes:
    # level 9, as Pagefind writes its own files (the preview's: PREVIEW_LEVEL); mtime 0: the gzip
    # header carries no clock
    return gzip.compress(data, compresslevel=level, mtime=0)


# The preview's index: level 1 compresses Pagefind's words 8.5 times faster than 9 for 11 % more
# bytes (3,000 stories: 6.8 s against 0.8 s); nobody downloads them but the editor, from this machine.
PREVIEW_LEVEL = 1


def encode(value: Any) -> bytes:
    return gzip9(SIGNATURE + cbor2.dumps(value))


def name(language: str, data: bytes, digits: int) -> str:
    return f"{language}_{hashlib.sha256(data).hexdigest()[:digits]}"


def _units(word: Word) -> int:
    """Pagefind's measure of a word's size (chunk_index): its pages' positions, plus one a page."""
    pages = word[1]
    return len(pages) + sum(map(len, map(_LOCS, pages))) + sum(map(len, map(_META_LOCS, pages)))


_LOCS, _META_LOCS = itemgetter(1), itemgetter(2)


def chunk_words(words: Iterable[tuple[W, int]], size: int = CHUNK_UNITS) -> Iterator[list[tuple[W, int]]]:
    """Pagefind's chunks of a sorted list of (word, its units): a chunk closes after the word that
    brings it to `size`."""
    chunk: list[tuple[W, int]] = []
    total = 0
    for word, units in words:
        total += units
        chunk.append((word, units))
        if total >= size:
            yield chunk
            chunk, total = [], 0
    if chunk:
        yield chunk


def split_dominant(chunk: list[tuple[W, int]]) -> list[list[W]]:
    """The chunk's words, or their parts before, at and after a word holding at least SOLO of the
    chunk's units."""
    words = [word for word, _ in chunk]
    big = max(range(len(chunk)), key=lambda i: chunk[i][1])
    if len(chunk) == 1 or chunk[big][1] < SOLO * sum(units for _, units in chunk):
        return [words]
    return [p for p in (words[:big], words[big : big + 1], words[big + 1 :]) if p]


def _bounds(a: str, b: str) -> tuple[str, str]:
    """Pagefind's get_prefixes: the shortest prefixes of two neighbouring words that differ."""
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return a[: common + 1], b[: common + 1]


def chunk_bounds(ends: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Pagefind's chunk_meta: each chunk's (from, to) given its (first word, last word), cut to the
    shortest prefixes that still tell neighbours apart; a `to` below its own `from` is not cut."""
    bounds = [list(pair) for pair in ends]
    for left, right in pairwise(bounds):
        end, start = _bounds(left[1], right[0])
        if end >= left[0]:
            left[1] = end
        right[0] = start
    return [(first, last) for first, last in bounds]
