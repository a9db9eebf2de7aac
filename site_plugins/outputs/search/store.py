"""The search index's shards kept on disk between builds (`Store`: scripts/build's `.cache/build/search/`).

The preview's worker keeps each shard's parts in memory by a digest of its pages' descriptions
(indexer.py `Kept`); a production build is a fresh process, so it keeps them here: one file a
shard, named by its key (the descriptions' digests, Pagefind's settings and the build's `salt`:
the build cache's key, which covers every installed version, Pagefind's included, the plugins'
code and mkdocs.yml), Pagefind's common files and the compressed files of the last merge
(merge.py `Packed`). Each file is a header, the digest of its payload and the pickled payload:
a damaged or foreign file is not used (the shard goes through Pagefind again), so the folder
may be deleted at any time. After a build it holds that build's shards only.
"""

from __future__ import annotations

import contextlib
import os
import zlib
from pathlib import Path
from typing import Any

from site_plugins.content import cachefile
from site_plugins.outputs.search.bundle import Bundle
from site_plugins.outputs.search.parts import Parts

FORMAT = b"rc-search-store 1\n"
SHARD = ".shard"
COMMON, PACKED = "common.pickle", "packed.pickle"


def _read(path: Path) -> Any:
    return cachefile.read(path, FORMAT)


def _write(path: Path, value: Any) -> None:
    cachefile.write(path, FORMAT, value)


class Store:
    """A folder of kept shards (created when first written)."""

    def __init__(self, folder: str, salt: bytes, level: int = 9) -> None:
        # The compressed bytes come from this process's zlib at `level`: another is another key.
        self.folder = Path(folder)
        self.salt = salt + f"\0zlib {zlib.ZLIB_RUNTIME_VERSION} level {level}".encode()
        self.on_disk: set[str] = set()

    def _path(self, key: bytes) -> Path:
        return self.folder / (key.hex() + SHARD)

    def shard(self, key: bytes) -> Parts | None:
        """The parts kept under `key` (a shard's key, the salt in it), or None."""
        parts = _read(self._path(key))
        if not isinstance(parts, Parts):
            return None
        try:
            parts.language(next(iter(parts.entry["languages"])))  # a file laid out otherwise: not used
        except (KeyError, ValueError, TypeError, StopIteration):
            return None
        self.on_disk.add(self._path(key).name)
        return parts

    def common(self) -> Bundle:
        kept = _read(self.folder / COMMON)
        return kept[1] if isinstance(kept, tuple) and kept[0] == self.salt else {}

    def packed(self) -> dict[bytes, bytes]:
        kept = _read(self.folder / PACKED)
        return kept[1] if isinstance(kept, tuple) and kept[0] == self.salt and isinstance(kept[1], dict) else {}

    def save(self, used: dict[bytes, Parts], common: Bundle, packed: dict[bytes, bytes], packed_changed: bool) -> None:
        """Keep this build's shards (those not on disk yet), its common and compressed files; drop the rest."""
        self.folder.mkdir(parents=True, exist_ok=True)
        names = {self._path(key).name: key for key in used}
        for name, key in names.items():
            if name not in self.on_disk:
                _write(self.folder / name, used[key])
        if not (self.folder / COMMON).is_file() or self.common() != common:
            _write(self.folder / COMMON, (self.salt, common))
        if packed_changed or not (self.folder / PACKED).is_file():
            _write(self.folder / PACKED, (self.salt, packed))
        for entry in os.scandir(self.folder):
            if entry.name.endswith(SHARD) and entry.name not in names:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
        self.on_disk = set(names)
