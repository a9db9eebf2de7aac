"""`scripts/check`: notice an address that changed since the last commit, and offer the alias.

Entries are matched by their permanent `id`, so a changed `slug:`, a renamed
file and a file moved into a bundle are all recognised. Git is read with two
commands (`ls-tree`, then one `cat-file --batch` for every file); without git,
outside a repository or before the first commit there is nothing to compare
and nothing is said.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from site_plugins import urls
from site_plugins.content.aliases import FIELD, KIND_FOLDER
from site_plugins.content.frontmatter import decode, parse_text
from site_plugins.content.problems import Problem
from site_plugins.content.schema import KIND_FOLDERS, Entry
from site_plugins.content.text import is_slug, source_stem


@dataclass(frozen=True)
class Committed:
    """What the last commit said about an entry."""

    source: str  # path inside content/
    url: str  # stories/<slug>/
    slug: str
    draft: bool


def _git(top: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    try:
        done = subprocess.run(["git", "-C", str(top), *args], input=stdin, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):  # no git on this machine
        return None
    return done.stdout if done.returncode == 0 else None


def _blobs(top: Path, names: list[str]) -> list[bytes]:
    """The committed bytes of each file, read by one `git cat-file --batch`."""
    out = _git(top, "cat-file", "--batch", stdin="".join(f"HEAD:{n}\n" for n in names).encode())
    blobs: list[bytes] = []
    position = 0
    while out is not None and position < len(out) and len(blobs) < len(names):
        header_end = out.index(b"\n", position)
        header = out[position:header_end].split()
        if len(header) < 3 or header[1] != b"blob":
            blobs.append(b"")
            position = header_end + 1
            continue
        size = int(header[2])
        blobs.append(out[header_end + 1 : header_end + 1 + size])
        position = header_end + 1 + size + 1
    return blobs


def committed(content_dir: Path) -> dict[str, Committed]:
    """id -> the entry as the last commit had it; {} when git cannot tell."""
    root = content_dir.resolve()
    top_out = _git(root, "rev-parse", "--show-toplevel")
    if top_out is None or _git(root, "rev-parse", "--verify", "-q", "HEAD") is None:
        return {}
    top = Path(top_out.decode().strip())
    prefix = root.relative_to(top.resolve()).as_posix() if root != top.resolve() else ""
    lead = prefix + "/" if prefix else ""
    listing = _git(top, "ls-tree", "-r", "-z", "--name-only", "HEAD", "--",
                   *(lead + folder for folder in KIND_FOLDERS))
    names = [n for n in (listing or b"").decode("utf-8", "replace").split("\0") if n.endswith(".md")]
    found: dict[str, Committed] = {}
    for name, raw in zip(names, _blobs(top, names), strict=False):
        source = name[len(lead):]
        text, problem = decode(raw, source)
        if problem is not None or text is None:
            continue
        meta = parse_text(text, source).meta
        entry_id, slug = str(meta.get("id") or "").lower(), meta.get("slug")
        slug = slug if isinstance(slug, str) and is_slug(slug) else source_stem(source)
        if entry_id:
            folder = source.split("/")[0]
            found[entry_id] = Committed(source, urls.entry(KIND_FOLDERS[folder], slug), slug, meta.get("draft") is True)
    return found


def slug_changes(content_dir: Path, entries: Iterable[Entry], only: set[str] | None = None) -> list[Problem]:
    """A warning for each published entry whose address moved since the last commit without an alias."""
    before = committed(content_dir)
    warnings = []
    for entry in entries:
        old = before.get(entry.id.lower())
        if old is None or old.draft or entry.draft or old.url == entry.url or old.url in entry.aliases:
            continue
        if only is not None and entry.source not in only:
            continue
        same_folder = old.url.split("/")[0] == KIND_FOLDER[entry.kind]
        wanted = [*(f"/{a}" for a in entry.aliases), old.slug if same_folder else "/" + old.url]
        warnings.append(Problem(
            entry.source, entry.lines.get("slug", entry.lines.get(FIELD, 1)), "slug",
            f"网址从 /{old.url} 改成了 /{entry.url}（与上次提交相比）。已经分享出去的旧链接会打不开；"
            f"请在 front matter 中加上（或改成）这一行，旧网址就会跳转到新网址：aliases: [{', '.join(wanted)}]"))
    return warnings
