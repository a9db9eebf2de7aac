"""Make Pagefind's written bundle reproducible: same pages in, same bytes out.

Pagefind 1.5 writes its filter index in hash-map order (a Rust `HashMap`, seeded
per process), so two builds of one commit give filter files with the same data
in another order, other names, and so another metadata file naming them
(Pagefind #638: "filter/metadata indexes will still change"). Here each filter
file's values and the metadata's filter list are sorted, the files re-encoded
(CBOR, as Pagefind reads them) and renamed by a hash of their content, and
pagefind-entry.json pointed at the new metadata file. Everything else Pagefind
writes (index chunks, fragments, wasm) is already stable.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import cbor2

SIGNATURE = b"pagefind_dcd"  # what Pagefind's files start with once decompressed


def read(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path.name}: not a Pagefind data file")
    return cbor2.loads(data[len(SIGNATURE):])


def encode(value: Any) -> bytes:
    # mtime 0: the gzip header carries no clock
    return gzip.compress(SIGNATURE + cbor2.dumps(value), compresslevel=9, mtime=0)


def _name(language: str, data: bytes, digits: int) -> str:
    return f"{language}_{hashlib.sha256(data).hexdigest()[:digits]}"


def canonicalize(bundle: Path) -> None:
    """Rewrite bundle/ (Pagefind's output folder) in a deterministic order, in place."""
    entry_file = bundle / "pagefind-entry.json"
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    for language, info in entry["languages"].items():
        meta_file = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = read(meta_file)
        filters = []  # meta[3]: [filter name, file hash] per filter
        for name, old in sorted(meta[3]):
            old_file = bundle / "filter" / f"{old}.pf_filter"
            name_in_file, values = read(old_file)
            data = encode([name_in_file, sorted(values, key=lambda pair: pair[0])])
            new = _name(language, data, 7)
            old_file.unlink()
            (bundle / "filter" / f"{new}.pf_filter").write_bytes(data)
            filters.append([name, new])
        meta[3] = filters
        data = encode(meta)
        info["hash"] = _name(language, data, 10)
        meta_file.unlink()
        (bundle / f"pagefind.{info['hash']}.pf_meta").write_bytes(data)
    entry_file.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
