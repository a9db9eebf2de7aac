"""A content-addressed cache of gzip results, so an unchanged file is never compressed twice.

Compressing the site's text (pages, feeds, Material's and Decap's bundles) at
level 6 is the largest cost rc-hosting adds to a build; most of those bytes are
the same from one build to the next. An entry is named by a BLAKE2b digest of
the uncompressed bytes, the level and the zlib version, so the cached result is
exactly what compressing again would give (one commit: the same `.gz` bytes,
cache or not). An entry is used only if its own CRC-32 and the CRC-32 and
length in its gzip trailer match; a damaged one is compressed again.

The cache is one file, read in one go and rewritten (to a temporary name, then
renamed) only when the build used an entry it lacked or left one unused: it
holds exactly what the last build used. One file, not one per entry: on a disk
shared with other work, thousands of small reads cost more than compressing.
"""

from __future__ import annotations

import hashlib
import os
import struct
import tempfile
import threading
import zlib
from collections.abc import Callable
from pathlib import Path

PACK = "entries.bin"
MAGIC = b"rc-gzip-cache 1\n"
_KEY = 20
_HEADER = struct.Struct(f"<{_KEY}sII")  # key, length, CRC-32 of the gzip bytes


def trailer_of(data: bytes) -> bytes:
    """The gzip trailer of `data`: its CRC-32 and length, little-endian."""
    return zlib.crc32(data).to_bytes(4, "little") + (len(data) & 0xFFFFFFFF).to_bytes(4, "little")


class GzipCache:
    """`root`/entries.bin: (key, length, CRC-32, gzip bytes) records; thread-safe."""

    def __init__(self, root: Path, level: int) -> None:
        self.root = root
        self.salt = f"{level}/{zlib.ZLIB_RUNTIME_VERSION}".encode()[:16]
        self.hits = 0
        self._lock = threading.Lock()
        self._stored = _read(root / PACK)
        self._used: dict[bytes, bytes] = {}

    def _key(self, data: bytes) -> bytes:
        return hashlib.blake2b(data, digest_size=_KEY, salt=self.salt).digest()

    def gzip(self, data: bytes, compress: Callable[[bytes], bytes]) -> bytes:
        """`compress(data)`, from the cache when an intact entry holds it."""
        key = self._key(data)
        packed = self._stored.get(key, b"")
        if len(packed) > 18 and packed[-8:] == trailer_of(data):
            with self._lock:
                self.hits += 1
                self._used[key] = packed
            return packed
        packed = compress(data)
        with self._lock:
            self._used[key] = packed
        return packed

    def save(self, keep_unused: bool = False) -> int:
        """Keep what this build used, and only that; how many stored entries it did not use.
        `keep_unused`: keep those too (a build that took some `.gz` from the last site without
        looking them up here: pipeline/finish.py `Previous`); then none is counted unused."""
        with self._lock:
            new = any(self._stored.get(key) != packed for key, packed in self._used.items())
            if keep_unused:
                self._used = {**self._stored, **self._used}
            unused = sum(1 for key in self._stored if key not in self._used)
            if not unused and not new:
                return 0  # nothing new, nothing to drop: the file stays as it is
            self.root.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=".tmp-", dir=self.root)
            with os.fdopen(fd, "wb") as handle:
                handle.write(MAGIC)
                for key in sorted(self._used):
                    packed = self._used[key]
                    handle.write(_HEADER.pack(key, len(packed), zlib.crc32(packed)))
                    handle.write(packed)
            os.replace(temp, self.root / PACK)
            self._stored = dict(self._used)
            return unused


def _read(path: Path) -> dict[bytes, bytes]:
    """The entries of a cache file; nothing for a missing, foreign or cut-short one."""
    try:
        raw = path.read_bytes()
    except OSError:
        return {}
    if not raw.startswith(MAGIC):
        return {}
    out: dict[bytes, bytes] = {}
    view, at = memoryview(raw), len(MAGIC)
    while at + _HEADER.size <= len(raw):
        key, size, crc = _HEADER.unpack_from(view, at)
        at += _HEADER.size
        if at + size > len(raw):
            break  # a cut-short last entry: the ones before it are whole
        packed = bytes(view[at:at + size])
        if zlib.crc32(packed) == crc:
            out[key] = packed
        at += size
    return out
