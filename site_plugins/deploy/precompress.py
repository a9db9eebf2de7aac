"""Precompressed `.gz` copies of the site's text files, byte for byte reproducible.

nginx's `gzip_static` serves them to every client that accepts gzip, and
`scripts/publish` uploads them gzip-encoded, so no server compresses on the
fly. The gzip header carries no file name and mtime 0, so one commit always
gives the same bytes.

`Precompressor` lets the build hand over each page as it is rendered: zlib
releases the GIL, so pages are compressed on the second core while MkDocs
renders the next ones, and only the files written after the last page
(feeds, sitemap, search data, assets) are left for the end. With a
`GzipCache` (deploy/gzipcache.py), a file compressed by an earlier build is
not compressed again.
"""

from __future__ import annotations

import os
import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from site_plugins.deploy.gzipcache import GzipCache, trailer_of
from site_plugins.deploy.hosting import compressible, hidden

LEVEL = 6


def gzip_bytes(data: bytes) -> bytes:
    """gzip with an empty name and mtime 0 (deterministic).

    Level 6: on the 1,000-story bench site half the CPU time of level 9 for
    files 0.8 % larger (63 MB of text: 0.85 s against 1.80 s).
    """
    return zlib.compress(data, level=LEVEL, wbits=31)  # what gzip.compress(mtime=0) does, minus a copy


def candidates(site_dir: Path) -> list[Path]:
    """Text files of the site that have no `.gz` beside them yet, in a stable order."""
    out = []
    top = os.fspath(site_dir)
    for folder, dirs, names in os.walk(top):
        dirs.sort()
        present = set(names)
        rel_folder = os.path.relpath(folder, top).replace(os.sep, "/")
        prefix = "/" if rel_folder == "." else f"/{rel_folder}/"
        for name in sorted(names):  # string tests first: most of the site is images and index chunks
            if name + ".gz" not in present and compressible(name) and not hidden(prefix + name):
                out.append(Path(folder, name))
    return out


def precompress(site_dir: Path, workers: int = 0, cache: GzipCache | None = None) -> tuple[int, int]:
    """Write `<file>.gz` beside each text file where it is smaller; (written, looked at).

    An existing `.gz` (MkDocs' sitemap.xml.gz) is left as it is. zlib releases
    the GIL, so threads compress on every core.
    """
    with Precompressor(site_dir, workers, cache) as pool:
        return pool.finish()


class Precompressor:
    """Compresses pages on a thread pool as the build renders them, then the rest of the site."""

    def __init__(self, site_dir: Path, workers: int = 0, cache: GzipCache | None = None) -> None:
        self.site_dir = site_dir
        self.cache = cache
        self.pool = ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1, thread_name_prefix="rc-gzip")
        self.pending: dict[Path, Future[bytes]] = {}

    def __enter__(self) -> Precompressor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, file: Path, data: bytes) -> None:
        """Compress `data`, the bytes the build is about to write to `file` (a page), in the background."""
        self.pending[file] = self.pool.submit(self._pack, file, data)

    def finish(self) -> tuple[int, int]:
        """Wait for the pages, compress every other text file; (written, looked at).

        A page changed after it was handed over (its CRC-32 and length no longer match
        the `.gz`) is compressed again from what is on disk, so a `.gz` never goes stale.
        """
        packed = {file: future.result() for file, future in self.pending.items()}
        self.pending = {}
        done = {file: trailer for file, trailer in packed.items() if trailer}  # tiny pages go with the rest
        stale = [f for f, trailer in done.items() if not f.is_file() or trailer_of(f.read_bytes()) != trailer]
        for file in stale:
            file.with_name(file.name + ".gz").unlink()
            del done[file]
        rest = candidates(self.site_dir)
        return len(done) + sum(1 for t in self.pool.map(self._pack_file, rest) if t), len(done) + len(rest)

    def _pack(self, file: Path, data: bytes) -> bytes:
        """Write `file.gz` when it is smaller than `data`; the trailer of what was packed (b"" if none)."""
        packed = self.cache.gzip(data, gzip_bytes) if self.cache is not None else gzip_bytes(data)
        if len(packed) >= len(data):  # tiny files: the plain file is the smaller answer
            return b""
        file.parent.mkdir(parents=True, exist_ok=True)  # a page's folder may not be written yet
        file.with_name(file.name + ".gz").write_bytes(packed)
        return packed[-8:]

    def _pack_file(self, file: Path) -> bytes:
        return self._pack(file, file.read_bytes())

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
