"""Precompressed `.gz` copies of the site's text files, byte for byte reproducible.

nginx's `gzip_static` serves them to every client that accepts gzip, and
`scripts/publish` uploads them gzip-encoded, so no server compresses on the
fly. The gzip header carries no file name and mtime 0, so one commit always
gives the same bytes.

`Precompressor` lets the build hand over each page as it is rendered: zlib
releases the GIL, so pages are compressed on the second core while the engine
renders the next ones, and only the files made after the last page (feeds,
sitemap, search data, assets) are left for the end. It returns the `.gz`
files' bytes; the build's writer (pipeline/manifest.py) writes them. With a
`GzipCache` (deploy/gzipcache.py), a file compressed by an earlier build is
not compressed again.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor

from site_plugins.deploy.gzipcache import GzipCache, trailer_of
from site_plugins.deploy.hosting import compressible, hidden

LEVEL = 6
Reader = Callable[[], bytes]  # a file's bytes, read when needed


def gzip_bytes(data: bytes) -> bytes:
    """gzip with an empty name and mtime 0 (deterministic).

    Level 6: on the 1,000-story bench site half the CPU time of level 9 for
    files 0.8 % larger (63 MB of text: 0.85 s against 1.80 s).
    """
    return zlib.compress(data, level=LEVEL, wbits=31)  # what gzip.compress(mtime=0) does, minus a copy


def candidates(files: Mapping[str, object]) -> list[str]:
    """Site paths of the text files that have no `.gz` among `files` (MkDocs' sitemap.xml.gz), sorted."""
    return sorted(p for p in files if p + ".gz" not in files and compressible(p) and not hidden("/" + p))


class Precompressor:
    """Compresses pages on a thread pool as the build renders them, then the rest of the site.

    `deliver(path, data)`, if given, takes each page's `.gz` on the pool's thread as soon as it is
    made (the build's writer writes it then); without it, `pages` and `finish` hand back the bytes.
    """

    def __init__(self, workers: int = 0, cache: GzipCache | None = None,
                 deliver: Callable[[str, bytes], None] | None = None) -> None:
        self.cache = cache
        self.deliver = deliver
        self.pool = ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1, thread_name_prefix="rc-gzip")
        self.pending: dict[str, Future[bytes]] = {}

    def __enter__(self) -> Precompressor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, path: str, data: bytes) -> None:
        """Compress `data`, the bytes the build is about to write at site path `path` (a page), in the background."""
        self.pending[path] = self.pool.submit(self._pack_page, path, data)

    def _pack_page(self, path: str, data: bytes) -> bytes:
        packed = self._pack(data)
        if packed and self.deliver is not None:
            self.deliver(path + ".gz", packed)
        return packed

    def pages(self, files: Mapping[str, Reader]) -> tuple[dict[str, bytes], list[str]]:
        """What the pages handed over need once the engine has written them (`files`, path -> reader):
        (site path of each `.gz` -> its bytes, to write or write again; delivered `.gz` to take back).

        A page changed after it was handed over (its CRC-32 and length no longer match) is packed
        again from its final bytes; a delivered `.gz` whose page was never written is taken back.
        """
        packed = {path: future.result() for path, future in self.pending.items()}  # a delivery's error surfaces here
        self.pending = {}
        delivered = self.deliver is not None
        out: dict[str, bytes] = {}
        gone: list[str] = []
        for path, done in sorted(packed.items()):
            if path not in files or hidden("/" + path):
                gone += [path + ".gz"] if done and delivered else []
            elif done and trailer_of(final := files[path]()) != done[-8:]:
                again = self._pack(final)
                if again:
                    out[path + ".gz"] = again
                elif delivered:
                    gone.append(path + ".gz")
            elif done and not delivered:
                out[path + ".gz"] = done
        return out, gone

    def finish(self, files: Mapping[str, Reader]) -> tuple[dict[str, bytes], int]:
        """(site path of each `.gz` -> its bytes, files looked at) for the site's `files` (path -> reader),
        the pages' (`pages`) included unless taken before; a `.gz` only where it is smaller."""
        out, _ = self.pages(files)
        rest = [path for path in candidates(files) if path + ".gz" not in out]
        for path, made in zip(rest, self.pool.map(lambda p: self._pack(files[p]()), rest), strict=True):
            if made:
                out[path + ".gz"] = made
        return out, len(rest) + sum(1 for path in out if path[:-3] not in rest)

    def _pack(self, data: bytes) -> bytes:
        """The `.gz` of `data`, or b"" when it is not smaller (tiny files: the plain file is the smaller answer)."""
        packed = self.cache.gzip(data, gzip_bytes) if self.cache is not None else gzip_bytes(data)
        return packed if len(packed) < len(data) else b""

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
