"""One shard's Pagefind files taken apart for the merge (merge.py), in a form a later merge reuses.

A shard's pages are numbered from 0 in its own index; in the merged index they follow the
shards before them. Page numbers are stored as deltas, so of each word's pages in a shard only
the first page's number changes when the shards are joined: a `Piece` holds that page's number
and the rest of the shard's pages of the word already encoded (CBOR: an array is its header and
its items' bytes one after the other), so a merge joins bytes instead of encoding every page
again, and the preview's catch-up (pipeline/catchup.py) keeps a shard's `Parts` for as long as
its pages are the same. Kept as bytes, every shard's parts and files take 53 MB at 3,600 pages;
decoded, the index took 350 MB.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import cbor2

from site_plugins.outputs.search.bundle import SIGNATURE, Bundle, _units, decode

ENTRY = "pagefind-entry.json"
_DELTA = itemgetter(0)


@dataclass(frozen=True)
class Piece:
    """One shard's pages of a word (or of one of its variants)."""

    count: int
    first: int  # the first page's number in the shard
    tail: bytes  # the first page's positions and meta positions, encoded
    end: int  # the last page's number in the shard (the sum of the deltas)
    rest: bytes  # the other pages, encoded one after the other


EMPTY = Piece(0, 0, b"", 0, b"")
WordParts = tuple[str, int, Piece, tuple[tuple[str, Piece], ...]]  # word, its units, pages, variants' pages


def head(major: int, length: int) -> bytes:
    """A CBOR head (major type 4: an array of `length` items), in its shortest form, as cbor2 writes it."""
    if length < 24:
        return bytes([major << 5 | length])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if length < 1 << (8 * size):
            return bytes([major << 5 | extra]) + length.to_bytes(size, "big")
    raise ValueError(f"a CBOR length too large: {length}")


def full_hash(data: bytes) -> str:
    """Pagefind's full_hash: SHA-1 in hex, each byte without its leading zero (`{:x?}`)."""
    return "".join(f"{b:x}" for b in hashlib.sha1(data).digest())


@dataclass
class Language:
    """A shard's index in one language: its metadata, pages, filters (words: `Parts.words`)."""

    meta: Any  # pf_meta decoded: [version, pages, chunks, filters, sorts, meta fields]
    fragments: list[tuple[bytes, str, str, int]]  # each page's (fragment file, full hash, URL, word count)
    filters: list[tuple[str, str, list[tuple[str, list[int]]]]]  # (name, name in its file, [(value, pages)])


class Parts:
    """A shard's Pagefind files (index, filter, fragment and metadata files, pagefind-entry.json),
    taken apart on first use."""

    def __init__(self, files: Bundle) -> None:
        self.files = files
        self.entry: dict[str, Any] = json.loads(files[ENTRY].decode("utf-8"))
        self._languages: dict[str, Language] = {}
        self._words: dict[str, tuple[tuple[int, ...] | None, list[WordParts]]] = {}

    def language(self, language: str) -> Language:
        if language not in self._languages:
            info = self.entry["languages"][language]
            meta = decode(self.files[f"pagefind.{info['hash']}.pf_meta"], "pf_meta")
            fragments = []
            for page_hash, word_count in meta[1]:
                data = self.files[f"fragment/{page_hash}.pf_fragment"]
                raw = gzip.decompress(data)[len(SIGNATURE):]
                fragments.append((data, full_hash(raw), json.loads(raw)["url"], word_count))
            filters = []
            for filter_name, filter_hash in meta[3]:
                path = f"filter/{filter_hash}.pf_filter"
                name_in_file, values = decode(self.files[path], path)
                filters.append((filter_name, name_in_file, values))
            self._languages[language] = Language(meta, fragments, filters)
        return self._languages[language]

    def words(self, language: str, remap: tuple[int, ...] | None) -> list[WordParts]:
        """The shard's words in order, their meta field numbers mapped by `remap` (the shard's field
        k is field remap[k] of the merged index; None: the same fields). The last mapping is kept."""
        kept = self._words.get(language)
        if kept is None or kept[0] != remap:
            out = []
            for _, _, chunk in self.language(language).meta[2]:
                path = f"index/{chunk}.pf_index"
                for word in decode(self.files[path], path)[0]:
                    if len(word) != 3:
                        raise ValueError(f"{path}: a word of {len(word)} fields")
                    variants = tuple((form, _piece(pages, remap)) for form, pages in word[2])
                    out.append((word[0], _units(word), _piece(word[1], remap), variants))
            kept = self._words[language] = (remap, out)
        return kept[1]


def _piece(pages: list[Any], remap: tuple[int, ...] | None) -> Piece:
    if not pages:
        return EMPTY
    if remap is not None:
        for page in pages:
            page[2] = [-(remap[-x - 1] + 1) if x < 0 else x for x in page[2]]
    first = pages[0]
    if len(first) != 3:
        raise ValueError(f"a page of {len(first)} fields")
    rest = cbor2.dumps(pages[1:])[len(head(4, len(pages) - 1)):]
    return Piece(len(pages), first[0], cbor2.dumps(first[1]) + cbor2.dumps(first[2]), sum(map(_DELTA, pages)), rest)
