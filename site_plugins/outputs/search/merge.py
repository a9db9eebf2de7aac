"""One Pagefind index from several, each of some of the build's pages: what Pagefind would
have written for all of them at once, made reproducible.

Pagefind 1.5 keeps every page it has read until it writes, and while it writes holds each
page twice more (a copy per language, a word map per page): 1.2 GB at 3,000 stories. So
the search worker gives it the pages a shard at a time (`rc-search: shard`), takes each
shard's files, and `merge` joins them here, with the rules of pagefind/src/index/mod.rs:

- pages are numbered in the order they were added, so shard k's pages follow shard k-1's;
  a page's fragment keeps its bytes, and its name is given again as Pagefind gives it
  (a short hash of its data, made one character longer on a collision, in page order);
- each word's pages are the shards' lists one after the other (page numbers are stored
  as deltas: only the first of each shard's changes), cut into chunks as Pagefind cuts
  them (`bundle.chunk_words`), a dominant word in a chunk of its own (`bundle.split_dominant`);
  meta positions carry field numbers, renumbered to the union of the shards' fields;
- filters join their page lists; sort orders are computed from the pages' sort values
  the way Pagefind orders them, checked against each shard's own order.

And what makes it reproducible (Pagefind writes filters in hash-map order): filter values
sorted, every file named by its content. The sort orders leave the metadata, which every
search loads, for lists of page ids the results page fetches when the reader sorts by
date (`merge` returns them).
"""

from __future__ import annotations

import gc
import hashlib
import heapq
import json
import os
import re
import struct
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import repeat
from typing import Any

import cbor2

from site_plugins.outputs.search.bundle import (
    SIGNATURE,
    Bundle,
    chunk_bounds,
    chunk_words,
    gzip9,
    name,
    split_dominant,
)
from site_plugins.outputs.search.parts import ENTRY, Language, Parts, Piece, WordParts, full_hash, head

__all__ = ["ENTRY", "INDEX_FILE", "Packed", "Parts", "fragment_name", "full_hash", "merge"]

INDEX_FILE = re.compile(r"(fragment|index|filter)/|pagefind\.[^/]+\.pf_meta$")


class Packed:
    """gzip (level 9, or `level`) of each file's data, kept by the data's digest from one merge to the
    next: the preview's catch-up compresses again only the files whose content changed."""

    def __init__(self, level: int = 9) -> None:
        self.level = level
        self.kept: dict[bytes, bytes] = {}
        self.now: dict[bytes, bytes] = {}

    def many(self, raws: list[bytes]) -> list[bytes]:
        """Each raw file compressed; the new ones on threads (zlib releases the GIL)."""
        keys = [hashlib.blake2b(raw, digest_size=20).digest() for raw in raws]
        todo = {key: raw for key, raw in zip(keys, raws, strict=True) if key not in self.kept and key not in self.now}
        if todo:
            with ThreadPoolExecutor(min(4, os.cpu_count() or 1)) as pool:
                self.now.update(zip(todo, pool.map(gzip9, todo.values(), repeat(self.level)), strict=True))
        for key in keys:
            if key not in self.now:
                self.now[key] = self.kept[key]
        return [self.now[key] for key in keys]

    def one(self, raw: bytes) -> bytes:
        return self.many([raw])[0]

    def turn(self) -> None:
        """A merge has ended: keep what it wrote, nothing older."""
        self.kept, self.now = self.now, {}


def merge(shards: list[Parts], common: Bundle, sort_values: dict[str, dict[str, str]],
          packed: Packed | None = None) -> tuple[Bundle, dict[str, list[str]]]:
    """One bundle from `shards` (in the order their pages were added), and each sort's page ids.

    `common`: Pagefind's files that are not the index (pagefind.js, its worker and wasm).
    `sort_values`: each page's sort keys and values by URL, as its record declares them. `packed`:
    compressed files a previous merge made. Raises ValueError if a shard is not laid out as expected.
    """
    # Decoding the index makes millions of small lists and ints, none of them in a cycle. With
    # the collector on, each batch of them set off a pass over the whole heap.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _merge(shards, common, sort_values, packed or Packed())
    finally:
        if collecting:
            gc.enable()


def _merge(shards: list[Parts], common: Bundle, sort_values: dict[str, dict[str, str]],
           packed: Packed) -> tuple[Bundle, dict[str, list[str]]]:
    if not shards:
        raise ValueError("no Pagefind files")
    out: Bundle = {path: data for path, data in common.items() if not INDEX_FILE.match(path) and path != ENTRY}
    entry = dict(shards[0].entry)
    entry["languages"] = {}
    sorts: dict[str, list[str]] = {}
    for language in sorted({lang for shard in shards for lang in shard.entry["languages"]}):
        parts = [shard for shard in shards if language in shard.entry["languages"]]
        meta_hash, page_count = _language(out, sorts, language, parts, sort_values, packed)
        entry["languages"][language] = {**parts[0].entry["languages"][language], "hash": meta_hash,
                                        "page_count": page_count}
    out[ENTRY] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return out, sorts


def _language(out: Bundle, sorts: dict[str, list[str]], language: str, shards: list[Parts],
              sort_values: dict[str, dict[str, str]], packed: Packed) -> tuple[str, int]:
    """Merge one language's indexes into `out` (and its sort orders into `sorts`): its metadata's name
    and page count."""
    languages = [shard.language(language) for shard in shards]
    metas = [lang.meta for lang in languages]
    offsets: list[int] = []  # each shard's first page number
    urls: list[str] = []
    pages: list[list[Any]] = []  # [fragment name, word count], in page order
    taken: dict[str, str] = {}  # fragment name -> full hash
    for lang in languages:
        offsets.append(len(pages))
        for data, full, url, word_count in lang.fragments:
            short = fragment_name(f"{language}_{full}", language, taken)
            out[f"fragment/{short}.pf_fragment"] = data
            urls.append(url)
            pages.append([short, word_count])
    fields = sorted({f for meta in metas for f in meta[5]})
    remaps = [None if meta[5] == fields else tuple(fields.index(f) for f in meta[5]) for meta in metas]
    words = [shard.words(language, remap) for shard, remap in zip(shards, remaps, strict=True)]
    chunks = _words(out, language, words, offsets, packed)
    filters = _filters(out, language, languages, offsets, packed)
    for key, order in _sorts(metas, offsets, urls, sort_values):
        sorts.setdefault(key, []).extend(pages[i][0] for i in order)
    meta = [metas[0][0], pages, chunks, filters, [], fields]
    data = packed.one(SIGNATURE + cbor2.dumps(meta))
    meta_hash = name(language, data, 10)
    out[f"pagefind.{meta_hash}.pf_meta"] = data
    return meta_hash, len(pages)


def fragment_name(full: str, language: str, taken: dict[str, str]) -> str:
    """Pagefind's name for the next page's fragment, its full hash `full` ("zh_" + full_hash):
    seven digits, one more while the name is taken by an earlier page (`taken`: name -> full hash,
    updated). Two pages with the same data are refused (Pagefind would never stop looking)."""
    short = full[: len(language) + 8]
    while short in taken:
        if taken[short] == full:
            raise ValueError(f"two pages with the same data ({short})")
        short = full[: len(short) + 1]
    taken[short] = full
    return short


def _words(out: Bundle, language: str, shards: list[list[WordParts]], offsets: list[int],
           packed: Packed) -> list[list[str]]:
    """Every shard's words in one sorted list, cut into Pagefind's chunks, written to `out`; the
    metadata's chunk list ([from, to, name] each)."""

    def merged() -> Iterator[tuple[tuple[str, bytes], int]]:
        """Each word (with its bytes: all its pages, renumbered) and its units, summed over the shards."""
        group: list[tuple[WordParts, int]] = []
        streams = [zip(words, repeat(offset)) for words, offset in zip(shards, offsets, strict=True)]
        for item in heapq.merge(*streams, key=_text):
            if group and group[0][0][0] != item[0][0]:
                yield _word(group)
                group = []
            group.append(item)
        if group:
            yield _word(group)

    ends: list[tuple[str, str]] = []
    raws: list[bytes] = []
    for chunk in chunk_words(merged()):
        for part in split_dominant(chunk):
            ends.append((part[0][0], part[-1][0]))
            raws.append(b"".join([SIGNATURE, b"\x81", head(4, len(part)), *(data for _, data in part)]))
    chunks = []
    for (first, last), data in zip(chunk_bounds(ends), packed.many(raws), strict=True):
        chunk_name = name(language, data, 7)
        out[f"index/{chunk_name}.pf_index"] = data
        chunks.append([first, last, chunk_name])
    return chunks


def _text(item: tuple[WordParts, int]) -> str:
    return item[0][0]



def _word(group: list[tuple[WordParts, int]]) -> tuple[tuple[str, bytes], int]:
    """One word's entry [word, pages, variants] encoded, its pages those of every shard in `group`
    ((its parts, the shard's first page number) each), and its units."""
    text = group[0][0][0]
    forms: dict[str, list[tuple[Piece, int]]] = {}  # in the order each variant first comes
    for (_, _, _, variants), offset in group:
        for form, piece in variants:
            forms.setdefault(form, []).append((piece, offset))
    data = [b"\x83", cbor2.dumps(text), _pages([(parts[2], offset) for parts, offset in group]), head(4, len(forms))]
    for form, pieces in forms.items():
        data += [b"\x82", cbor2.dumps(form), _pages(pieces)]
    return (text, b"".join(data)), sum(parts[1] for parts, _ in group)


_INTS = [cbor2.dumps(n) for n in range(4096)]  # page deltas, encoded once


def _pages(pieces: list[tuple[Piece, int]]) -> bytes:
    """The shards' pages of a word one after the other, each shard's first page number made a delta
    from the last page before it."""
    out = [head(4, sum(piece.count for piece, _ in pieces))]
    last = 0
    for piece, offset in pieces:
        if piece.count:
            delta = offset + piece.first - last
            out += [b"\x83", _INTS[delta] if delta < len(_INTS) else cbor2.dumps(delta), piece.tail, piece.rest]
            last = offset + piece.end
    return b"".join(out)


def _filters(out: Bundle, language: str, shards: list[Language], offsets: list[int],
             packed: Packed) -> list[list[str]]:
    """Every shard's filters joined, values sorted, written to `out`: the metadata's filter list."""
    joined: dict[str, tuple[str, dict[str, list[int]]]] = {}
    for shard, offset in zip(shards, offsets, strict=True):
        for filter_name, name_in_file, values in shard.filters:
            pages = joined.setdefault(filter_name, (name_in_file, {}))[1]
            for value, value_pages in values:
                pages.setdefault(value, []).extend(offset + p for p in value_pages)
    filters = []
    for filter_name, (name_in_file, pages) in sorted(joined.items()):
        rows: list[list[Any]] = sorted([value, value_pages] for value, value_pages in pages.items())
        data = packed.one(SIGNATURE + cbor2.dumps([name_in_file, rows]))
        filter_file = name(language, data, 7)
        out[f"filter/{filter_file}.pf_filter"] = data
        filters.append([filter_name, filter_file])
    return filters


_INT = re.compile(r"[+-]?[0-9]+")
_FLOAT = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")


def _number(value: str) -> int | None:
    """The value as Pagefind sorts a number (an i32 or f32, compared as f32 by total_cmp), as an int
    in the same order; None if it is not a number."""
    is_int = _INT.fullmatch(value) is not None and -(2**31) <= int(value) < 2**31
    if not (is_int or _FLOAT.fullmatch(value)):
        return None
    bits: int = struct.unpack("<i", struct.pack("<f", float(value)))[0]
    return bits ^ ((bits >> 31) & 0x7FFFFFFF)  # Rust's f32::total_cmp, as an integer key


def _order(values: list[tuple[str, int]]) -> list[int]:
    """Pagefind's order of (value, page) pairs: as numbers if every value is one, else as strings;
    equal values in page order (a stable sort of pages in page order)."""
    numbers = [_number(v) for v, _ in values]
    keys: list[Any] = numbers if all(n is not None for n in numbers) else [v for v, _ in values]
    return [page for _, page in sorted(zip(keys, (p for _, p in values), strict=True))]


def _sorts(metas: list[Any], offsets: list[int], urls: list[str],
           sort_values: dict[str, dict[str, str]]) -> list[tuple[str, list[int]]]:
    """Each sort key's page numbers in order, checked against every shard's own order."""
    keys = sorted({key for meta in metas for key, _ in meta[4]})
    out = []
    for key in keys:
        pairs = [(sort_values.get(url, {})[key], page) for page, url in enumerate(urls)
                 if key in sort_values.get(url, {})]
        for meta, start, end in zip(metas, offsets, [*offsets[1:], len(urls)], strict=True):
            own: list[int] = next((order for k, order in meta[4] if k == key), [])
            if [start + p for p in own] != _order([(v, p) for v, p in pairs if start <= p < end]):
                raise ValueError(f"the sort order {key} differs from the pages' values")
        out.append((key, _order(pairs)))
    return out
