"""`scripts/check --fix`: write what the build derives or reads as meant into the files themselves.

- A story or lecture without `id` is published under an id derived from its
  path (`content/suggest.derived_id`), which changes if the file is renamed.
  Writing it into the file makes it permanent: one line after the opening
  `---`, in the file's own newline style.
- A date typed the Chinese way (2025年1月1日 14:30, 2025/1/1, full-width
  digits) is read as meant; its value on its line is replaced by the ISO form.

Every other byte stays as it was. A file is written whole through a temporary
file and a rename, so an editor or a crash never sees half of it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from site_plugins.content.catalog import Catalog
from site_plugins.content.frontmatter import Rewrite, decode, split


def missing_ids(catalog: Catalog, only: set[str] | None = None) -> dict[str, str]:
    """Source -> derived id of every entry whose file has no `id` line."""
    return {e.source: e.id for e in [*catalog.stories, *catalog.lectures]
            if "id" not in e.lines and (only is None or e.source in only)}


def insert_id(raw: bytes, entry_id: str) -> bytes:
    """`raw` with `id: <entry_id>` as the first front-matter line; nothing else changed.

    Whether the file opens with front matter is the parser's call (content/frontmatter.split)."""
    text, _problem = decode(raw, "")
    if text is None or split(text) is None:
        raise ValueError("no front matter")
    end = min((at for at in (raw.find(b"\n"), raw.find(b"\r")) if at >= 0), default=-1)
    if end < 0:
        raise ValueError("no front matter")
    newline = b"\r\n" if raw[end:end + 2] == b"\r\n" else raw[end:end + 1]
    return raw[: end + len(newline)] + b"id: " + entry_id.encode("ascii") + newline + raw[end + len(newline):]


def rewrite_values(raw: bytes, rewrites: list[Rewrite]) -> tuple[bytes, list[Rewrite]]:
    """`raw` with each typed value replaced on its line (after the key), and the rewrites it could not place."""
    lines = raw.split(b"\n")
    missed: list[Rewrite] = []
    for rewrite in rewrites:
        index = rewrite.line - 1
        line = lines[index] if 0 <= index < len(lines) else b""
        key = rewrite.field.encode("utf-8")
        typed = rewrite.typed.encode("utf-8")
        start = line.find(typed, line.find(key) + len(key)) if line.lstrip().startswith(key) else -1
        if start < 0:
            missed.append(rewrite)
            continue
        lines[index] = line[:start] + rewrite.value.encode("ascii") + line[start + len(typed):]
    return b"\n".join(lines), missed


def write_ids(content_dir: Path, ids: dict[str, str]) -> list[str]:
    """Write each id into its file; return the sources changed."""
    changed = []
    for source, entry_id in sorted(ids.items()):
        file = content_dir / source
        replace_bytes(file, insert_id(file.read_bytes(), entry_id))
        changed.append(source)
    return changed


def write_dates(content_dir: Path, catalog: Catalog, only: set[str] | None = None
                ) -> tuple[list[tuple[str, Rewrite]], list[tuple[str, Rewrite]]]:
    """Write the ISO form of every date read as meant; (written, not placed) as (source, rewrite)."""
    written: list[tuple[str, Rewrite]] = []
    missed: list[tuple[str, Rewrite]] = []
    for source, rewrites in sorted(catalog.rewrites.items()):
        if only is not None and source not in only:
            continue
        file = content_dir / source
        raw = file.read_bytes()
        new, left = rewrite_values(raw, rewrites)
        if new != raw:
            replace_bytes(file, new)
        written += [(source, r) for r in rewrites if r not in left]
        missed += [(source, r) for r in left]
    return written, missed


def replace_bytes(file: Path, data: bytes) -> None:
    """Write `data` as `file` through a temporary file beside it and one rename; the mode is kept."""
    handle, temp = tempfile.mkstemp(prefix=f".{file.name}.", dir=file.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temp, file.stat().st_mode & 0o7777)
        os.replace(temp, file)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
