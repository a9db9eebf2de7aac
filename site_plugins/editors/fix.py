"""`scripts/check --fix`: write the ids the build derives into the files that lack one.

A story or lecture without `id` is published under an id derived from its
path (`content/suggest.derived_id`), which changes if the file is renamed.
Writing it into the file makes it permanent. Only one line is added after the
opening `---`, in the file's own newline style; every other byte stays as it was.
"""

from __future__ import annotations

from pathlib import Path

from site_plugins.content.catalog import Catalog


def missing_ids(catalog: Catalog, only: set[str] | None = None) -> dict[str, str]:
    """Source -> derived id of every entry whose file has no `id` line."""
    return {e.source: e.id for e in [*catalog.stories, *catalog.lectures]
            if "id" not in e.lines and (only is None or e.source in only)}


def insert_id(raw: bytes, entry_id: str) -> bytes:
    """`raw` with `id: <entry_id>` as the first front-matter line; nothing else changed."""
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    end = raw.find(b"\n")
    if end < 0 or raw[len(bom):end].rstrip(b"\r").strip() != b"---":
        raise ValueError("no front matter")
    newline = b"\r\n" if raw[end - 1:end] == b"\r" else b"\n"
    return raw[: end + 1] + b"id: " + entry_id.encode("ascii") + newline + raw[end + 1 :]


def write_ids(content_dir: Path, ids: dict[str, str]) -> list[str]:
    """Write each id into its file; return the sources changed."""
    changed = []
    for source, entry_id in sorted(ids.items()):
        file = content_dir / source
        file.write_bytes(insert_id(file.read_bytes(), entry_id))
        changed.append(source)
    return changed
