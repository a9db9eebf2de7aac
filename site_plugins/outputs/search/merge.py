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
import gzip
import hashlib
import heapq
import json
import os
import re
import struct
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from operator import itemgetter
from typing import Any

import cbor2

from site_plugins.outputs.search.bundle import (
    SIGNATURE,
    Bundle,
    Word,
    _units,
    chunk_bounds,
    chunk_words,
    decode,
    encode,
    gzip9,
    name,
    split_dominant,
)

ENTRY = "pagefind-entry.json"
INDEX_FILE = re.compile(r"(fragment|index|filter)/|pagefind\.[^/]+\.pf_meta$")
Shard = Bundle  # one Pagefind index's files (GetFiles), the UI bundles left out


def merge(shards: list[Shard], sort_values: dict[str, dict[str, str]]) -> tuple[Bundle, dict[str, list[str]]]:
    """One bundle from `shards` (in the order their pages were added), and each sort's page ids.

    `sort_values`: each page's sort keys and values by URL, as its record declares them. The
    shards are emptied as they are read. Raises ValueError if a shard is not laid out as expected.
    """
    # Decoding the index makes millions of small lists and ints, none of them in a cycle. With
    # the collector on, each batch of them set off a pass over the whole heap.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _merge(shards, sort_values)
    finally:
        if collecting:
            gc.enable()


def _merge(shards: list[Shard], sort_values: dict[str, dict[str, str]]) -> tuple[Bundle, dict[str, list[str]]]:
    if not shards:
        raise ValueError("no Pagefind files")
    out: Bundle = {path: data for path, data in shards[0].items() if not INDEX_FILE.match(path) and path != ENTRY}
    entries = [json.loads(shard.pop(ENTRY).decode("utf-8")) for shard in shards]
    entry = dict(entries[0])
    entry["languages"] = {}
    sorts: dict[str, list[str]] = {}
    for language in sorted({lang for e in entries for lang in e["languages"]}):
        parts = [(shard, e["languages"][language]) for shard, e in zip(shards, entries, strict=True)
                 if language in e["languages"]]
        metas = [decode(shard.pop(f"pagefind.{info['hash']}.pf_meta"), "pf_meta") for shard, info in parts]
        meta_hash, page_count = _language(out, sorts, language, [shard for shard, _ in parts], metas, sort_values)
        entry["languages"][language] = {**parts[0][1], "hash": meta_hash, "page_count": page_count}
    out[ENTRY] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return out, sorts


def _language(out: Bundle, sorts: dict[str, list[str]], language: str, shards: list[Shard], metas: list[Any],
              sort_values: dict[str, dict[str, str]]) -> tuple[str, int]:
    """Merge one language's indexes into `out` (and its sort orders into `sorts`): its metadata's name
    and page count."""
    offsets: list[int] = []  # each shard's first page number
    urls: list[str] = []
    pages: list[list[Any]] = []  # [fragment name, word count], in page order
    taken: dict[str, str] = {}  # fragment name -> full hash
    for shard, meta in zip(shards, metas, strict=True):
        offsets.append(len(pages))
        for page_hash, word_count in meta[1]:
            data = shard.pop(f"fragment/{page_hash}.pf_fragment")
            raw = gzip.decompress(data)[len(SIGNATURE):]
            short = fragment_name(f"{language}_{full_hash(raw)}", language, taken)
            out[f"fragment/{short}.pf_fragment"] = data
            urls.append(json.loads(raw)["url"])
            pages.append([short, word_count])
    fields = sorted({f for meta in metas for f in meta[5]})
    chunks = _words(out, language, shards, metas, offsets, fields)
    filters = _filters(out, language, shards, metas, offsets)
    for key, order in _sorts(metas, offsets, urls, sort_values):
        sorts.setdefault(key, []).extend(pages[i][0] for i in order)
    meta = [metas[0][0], pages, chunks, filters, [], fields]
    data = encode(meta)
    meta_hash = name(language, data, 10)
    out[f"pagefind.{meta_hash}.pf_meta"] = data
    return meta_hash, len(pages)


def full_hash(data: bytes) -> str:
    """Pagefind's full_hash: SHA-1 in hex, each byte without its leading zero (`{:x?}`)."""
    return "".join(f"{b:x}" for b in hashlib.sha1(data).digest())


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


def _shard_words(k: int, shard: Shard, meta: Any) -> Iterator[tuple[str, int, Word]]:
    """Shard k's words in order, as (word, k, word's entry), one chunk decoded at a time."""
    for _, _, chunk in meta[2]:
        path = f"index/{chunk}.pf_index"
        for word in decode(shard.pop(path), path)[0]:
            yield word[0], k, word


def _words(out: Bundle, language: str, shards: list[Shard], metas: list[Any], offsets: list[int],
           fields: list[str]) -> list[list[str]]:
    """Every shard's words in one sorted list, cut into Pagefind's chunks, written to `out`; the
    metadata's chunk list ([from, to, name] each)."""
    remaps = [None if meta[5] == fields else [fields.index(f) for f in meta[5]] for meta in metas]
    streams = [_shard_words(k, shard, meta) for k, (shard, meta) in enumerate(zip(shards, metas, strict=True))]

    def merged() -> Iterator[tuple[Word, int]]:
        """Each word with all its pages, and its units (bundle._units, summed over the shards)."""
        word: Word | None = None
        units = 0
        last: dict[str, int] = {}  # the last page number so far, of the word ("") and of each variant
        for text, k, entry in heapq.merge(*streams):
            if word is None or word[0] != text:
                if word is not None:
                    yield word, units
                word, units, last = [text, [], []], 0, {}
            units += _units(entry)
            word[1] += _shift(entry[1], offsets[k], last, "", remaps[k])
            for form, variant_pages in entry[2]:
                variants = [v for v in word[2] if v[0] == form]
                if not variants:
                    variants = [[form, []]]
                    word[2].append(variants[0])
                variants[0][1] += _shift(variant_pages, offsets[k], last, form, remaps[k])
        if word is not None:
            yield word, units

    # Compressing the chunks at level 9 is most of this step: zlib releases the GIL, so threads
    # compress while the next words are merged (the same bytes in any order).
    threads = min(4, os.cpu_count() or 1)
    ends: list[tuple[str, str]] = []
    datas: list[Future[bytes] | bytes] = []
    with ThreadPoolExecutor(threads) as pool:
        for chunk in chunk_words(merged()):
            for part in split_dominant(chunk):
                ends.append((part[0][0], part[-1][0]))
                datas.append(pool.submit(gzip9, SIGNATURE + cbor2.dumps([part])))
                if len(datas) > 2 * threads:  # a few chunks waiting to be compressed, not the whole index
                    waiting = datas[-2 * threads - 1]
                    datas[-2 * threads - 1] = waiting.result() if isinstance(waiting, Future) else waiting
    chunks = []
    for (first, last), data in zip(chunk_bounds(ends), datas, strict=True):
        data = data.result() if isinstance(data, Future) else data
        chunk_name = name(language, data, 7)
        out[f"index/{chunk_name}.pf_index"] = data
        chunks.append([first, last, chunk_name])
    return chunks


_DELTA = itemgetter(0)


def _shift(pages: list[Any], offset: int, last: dict[str, int], key: str, remap: list[int] | None) -> list[Any]:
    """One shard's pages of a word (or of one variant), renumbered to follow what came before."""
    if not pages:
        return pages
    local = sum(map(_DELTA, pages))  # the shard's last page number
    pages[0][0] = offset + pages[0][0] - last.get(key, 0)
    last[key] = offset + local
    if remap is not None:
        for page in pages:
            page[2] = [-(remap[-x - 1] + 1) if x < 0 else x for x in page[2]]
    return pages


def _filters(out: Bundle, language: str, shards: list[Shard], metas: list[Any], offsets: list[int]) -> list[list[str]]:
    """Every shard's filters joined, values sorted, written to `out`: the metadata's filter list."""
    joined: dict[str, tuple[str, dict[str, list[int]]]] = {}
    for shard, meta, offset in zip(shards, metas, offsets, strict=True):
        for filter_name, filter_hash in meta[3]:
            path = f"filter/{filter_hash}.pf_filter"
            name_in_file, values = decode(shard.pop(path), path)
            pages = joined.setdefault(filter_name, (name_in_file, {}))[1]
            for value, value_pages in values:
                pages.setdefault(value, []).extend(offset + p for p in value_pages)
    filters = []
    for filter_name, (name_in_file, pages) in sorted(joined.items()):
        data = encode([name_in_file, sorted([value, value_pages] for value, value_pages in pages.items())])
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
