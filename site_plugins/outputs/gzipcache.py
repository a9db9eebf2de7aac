"""A content-addressed cache of gzip results, so an unchanged file is never compressed twice.

Compressing the site's text (pages, feeds, Material's and Decap's bundles) at
level 6 is the largest cost rc-hosting adds to a build; most of those bytes are
the same from one build to the next. An entry is named by a BLAKE2b digest of
the uncompressed bytes, the level and the zlib version, so the cached result is
exactly what compressing again would give (one commit: the same `.gz` bytes,
cache or not). Each entry is checked against the CRC-32 and length in its gzip
trailer before it is used; a damaged one is compressed again. Entries no build
used are removed once they outnumber the ones in use.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
import zlib
from collections.abc import Callable
from pathlib import Path


def trailer_of(data: bytes) -> bytes:
    """The gzip trailer of `data`: its CRC-32 and length, little-endian."""
    return zlib.crc32(data).to_bytes(4, "little") + (len(data) & 0xFFFFFFFF).to_bytes(4, "little")


class GzipCache:
    """`root`/ab/abcdef….gz; thread-safe (entries are written by one rename)."""

    def __init__(self, root: Path, level: int) -> None:
        self.root = root
        self.salt = f"{level}/{zlib.ZLIB_RUNTIME_VERSION}".encode()
        self.used: set[str] = set()
        self.hits = 0
        self._lock = threading.Lock()

    def _key(self, data: bytes) -> str:
        return hashlib.blake2b(data, digest_size=20, salt=self.salt[:16].ljust(16, b"\0")).hexdigest()

    def gzip(self, data: bytes, compress: Callable[[bytes], bytes]) -> bytes:
        """`compress(data)`, from the cache when an intact entry holds it."""
        key = self._key(data)
        path = self.root / key[:2] / f"{key}.gz"
        with self._lock:
            self.used.add(key)
        try:
            packed = path.read_bytes()
        except OSError:
            packed = b""
        if len(packed) > 18 and packed[-8:] == trailer_of(data):
            with self._lock:
                self.hits += 1
            return packed
        packed = compress(data)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(packed)
        os.replace(temp, path)
        return packed

    def prune(self) -> int:
        """Remove the entries this build did not use, once they outnumber those it used; how many."""
        if not self.root.is_dir():
            return 0
        stale = [f for d in self.root.iterdir() if d.is_dir() for f in d.iterdir()
                 if f.name.removesuffix(".gz") not in self.used]
        if len(stale) <= len(self.used):
            return 0
        for file in stale:
            file.unlink(missing_ok=True)
        return len(stale)
