"""Make Pagefind's written bundle reproducible: same pages in, same bytes out.

Pagefind 1.5 writes its filter index in hash-map order (a Rust `HashMap`, seeded
per process), so two builds of one commit give filter files with the same data
in another order, other names, and so another metadata file naming them
(Pagefind #638: "filter/metadata indexes will still change"). Here each filter
file's values and the metadata's filter list are sorted, the files re-encoded
(CBOR, as Pagefind reads them) and renamed by a hash of their content, and
pagefind-entry.json pointed at the new metadata file. Everything else Pagefind
writes (index chunks, fragments, wasm) is already stable.

Two changes make a first query fetch less:
- Pagefind closes an index chunk after the word that fills it (20,000 positions),
  so a very common word (志: 50,000 positions at 3,000 stories) shares its chunk
  with the words sorted before it, which every query for it fetches too. A word
  holding at least half of its chunk's positions is moved into a chunk of its own,
  with the chunk bounds Pagefind itself would give (`_bounds`).
- The sort orders (newest first) are taken out of the metadata, which every
  search loads, into a list of page ids the results page fetches only when the
  reader sorts by date (`canonicalize` returns them).
"""

from __future__ import annotations

import gc
import gzip
import hashlib
import json
import os
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import cbor2

SIGNATURE = b"pagefind_dcd"  # what Pagefind's files start with once decompressed


Bundle = dict[str, bytes]  # Pagefind's files by their path inside its folder ("index/zh_1a2b3c4.pf_index")


def decode(data: bytes, name: str) -> Any:
    raw = gzip.decompress(data)
    if not raw.startswith(SIGNATURE):
        raise ValueError(f"{name}: not a Pagefind data file")
    return cbor2.loads(raw[len(SIGNATURE):])


def read(path: Path) -> Any:
    """A Pagefind data file on disk, decoded."""
    return decode(path.read_bytes(), path.name)


def _gzip(data: bytes) -> bytes:
    # level 9, as Pagefind writes its own files; mtime 0: the gzip header carries no clock
    return gzip.compress(data, compresslevel=9, mtime=0)


def encode(value: Any) -> bytes:
    return _gzip(SIGNATURE + cbor2.dumps(value))


def _name(language: str, data: bytes, digits: int) -> str:
    return f"{language}_{hashlib.sha256(data).hexdigest()[:digits]}"


SOLO = 0.5  # a word with at least this share of its chunk's positions gets a chunk of its own


def _units(word: list[Any]) -> int:
    """Pagefind's measure of a word's size (pagefind/src/index/mod.rs, chunk_index)."""
    return sum(len(page[1]) + len(page[2]) + 1 for page in word[1])


def _bounds(a: str, b: str) -> tuple[str, str]:
    """Pagefind's get_prefixes: the shortest prefixes of two neighbouring words that differ."""
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return a[: common + 1], b[: common + 1]


def _split_chunks(bundle: Bundle, language: str, chunks: list[list[str]]) -> list[list[str]]:
    """meta[2] ([from, to, file hash] per chunk) with each dominant word in a chunk of its own."""
    # Compressing the new chunks at level 9 is most of this step: zlib releases the GIL, so
    # threads compress while the next chunks are decoded (the same bytes in any order).
    with ThreadPoolExecutor(min(4, os.cpu_count() or 1)) as pool:
        planned: list[tuple[str, str, str | Future[bytes]]] = []  # (from, to, kept hash | new data)
        for first, last, old in chunks:
            old_file = f"index/{old}.pf_index"
            words = decode(bundle[old_file], old_file)[0]
            units = [_units(w) for w in words]
            big = max(range(len(words)), key=units.__getitem__)
            if len(words) == 1 or units[big] < SOLO * sum(units):
                planned.append((first, last, old))
                continue
            parts = [p for p in (words[:big], words[big : big + 1], words[big + 1 :]) if p]
            del bundle[old_file]
            start = first
            for i, part in enumerate(parts):
                end, after = _bounds(part[-1][0], parts[i + 1][0][0]) if i + 1 < len(parts) else (last, "")
                if end < start:  # as Pagefind: a prefix below the chunk's start is not used
                    end = part[-1][0]
                planned.append((start, end, pool.submit(_gzip, SIGNATURE + cbor2.dumps([part]))))
                start = after
        out: list[list[str]] = []
        for first, last, kept in planned:
            if isinstance(kept, str):
                out.append([first, last, kept])
                continue
            data = kept.result()
            name = _name(language, data, 7)
            bundle[f"index/{name}.pf_index"] = data
            out.append([first, last, name])
    return out


def canonicalize(files: Bundle) -> tuple[Bundle, dict[str, list[str]]]:
    """Pagefind's files (`files`, as GetFiles hands them over) in a deterministic order.

    Returns the rewritten files and each sort's page ids (fragment hashes), in Pagefind's
    order (ascending).
    """
    # Decoding the index makes millions of small lists and ints, none of them in a cycle. With
    # the collector on, each batch of them set off a pass over the whole heap (in a build
    # process: MkDocs' pages and files), 12.8 s instead of 4 s at 3,000 stories.
    collecting = gc.isenabled()
    gc.disable()
    try:
        bundle = dict(files)
        return bundle, _canonicalize(bundle)
    finally:
        if collecting:
            gc.enable()


def _canonicalize(bundle: Bundle) -> dict[str, list[str]]:
    entry = json.loads(bundle["pagefind-entry.json"].decode("utf-8"))
    sorts: dict[str, list[str]] = {}
    for language, info in entry["languages"].items():
        meta_file = f"pagefind.{info['hash']}.pf_meta"
        meta = decode(bundle.pop(meta_file), meta_file)
        filters = []  # meta[3]: [filter name, file hash] per filter
        for name, old in sorted(meta[3]):
            old_file = f"filter/{old}.pf_filter"
            name_in_file, values = decode(bundle.pop(old_file), old_file)
            data = encode([name_in_file, sorted(values, key=lambda pair: pair[0])])
            new = _name(language, data, 7)
            bundle[f"filter/{new}.pf_filter"] = data
            filters.append([name, new])
        meta[3] = filters
        meta[2] = _split_chunks(bundle, language, meta[2])
        for name, order in meta[4]:  # meta[1]: [page hash, word count] per page
            sorts.setdefault(name, []).extend(meta[1][i][0] for i in order)
        meta[4] = []
        data = encode(meta)
        info["hash"] = _name(language, data, 10)
        bundle[f"pagefind.{info['hash']}.pf_meta"] = data
    bundle["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return sorts
