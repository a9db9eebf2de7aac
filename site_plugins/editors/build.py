"""`scripts/build`: build into a staging folder, then swap it in for site/ at once.

A reader (or a web server) sees either the old site or the new one, never a
half-written or empty folder; a failed build never touches site/. Before the
swap every folder is made 0755 and every file 0644: the staging folder is
created 0700 and the build inherits the caller's umask, but the web server
(nginx as www-data) and `rsync -a` need a folder anyone may read.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml

_RENAME_EXCHANGE = 2  # linux/fs.h
DIR_MODE = 0o755
FILE_MODE = 0o644
_AT_FDCWD = -100


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml's plain settings; `!!python/...` and `!ENV` values become None."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def read_config(config_file: Path) -> dict[str, Any]:
    """The plain settings of an mkdocs.yml, without MkDocs."""
    data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader)
    return data if isinstance(data, dict) else {}


def site_dirs(config_file: Path) -> tuple[Path, Path]:
    """(docs_dir, site_dir) of an mkdocs.yml, as absolute paths (MkDocs' defaults: docs, site)."""
    data = read_config(config_file)
    root = config_file.resolve().parent
    return root / str(data.get("docs_dir") or "docs"), root / str(data.get("site_dir") or "site")


def staging_dir(site: Path) -> Path:
    """A fresh empty folder next to `site` (same file system, so the final rename is atomic)."""
    site.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{site.name}.new-", dir=site.parent))


def publishable_modes(folder: Path) -> int:
    """Set folders to 0755 and files to 0644 throughout `folder` (itself included); count changes.

    Symbolic links are left alone (the build writes none; following one could
    change a file outside the site).
    """
    changed = 0
    for path in [folder, *folder.rglob("*")]:
        if path.is_symlink():
            continue
        mode = DIR_MODE if path.is_dir() else FILE_MODE
        if path.stat().st_mode & 0o7777 != mode:
            path.chmod(mode)
            changed += 1
    return changed


def leftovers(site: Path) -> list[Path]:
    """Staging or retired folders an interrupted build left next to `site`."""
    return sorted(p for pattern in (f".{site.name}.new-*", f".{site.name}.old-*") for p in site.parent.glob(pattern))


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one system call (Linux renameat2); False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    try:
        renameat2 = ctypes.CDLL(libc_name, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def swap_in(new: Path, site: Path) -> None:
    """Make `new` the site: exchange atomically if the system can, else two quick renames."""
    if not site.exists():
        new.rename(site)
        return
    if _exchange(new, site):
        shutil.rmtree(new, ignore_errors=True)  # `new` now holds the previous site
        return
    old = Path(tempfile.mkdtemp(prefix=f".{site.name}.old-", dir=site.parent))
    old.rmdir()
    site.rename(old)
    new.rename(site)
    shutil.rmtree(old, ignore_errors=True)
