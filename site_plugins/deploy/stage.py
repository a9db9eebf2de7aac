"""`scripts/build`: check once, build into a staging folder, then swap it in for site/ at once.

A reader (or a web server) sees either the old site or the new one, never a
half-written or empty folder; a failed build never touches site/. Before the
swap every folder is made 0755 and every file 0644: the staging folder is
created 0700 and the build inherits the caller's umask, but the web server
(nginx as www-data) and `rsync -a` need a folder anyone may read.

The check scripts/build runs first is handed to the build it then runs in the same
process (`handing_over`): rc-meta takes that report, its settings and its build time
instead of checking everything (and probing every recording) a second time.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from site_plugins.check.checker import Report
from site_plugins.settings import Settings

_RENAME_EXCHANGE = 2  # linux/fs.h
DIR_MODE = 0o755
FILE_MODE = 0o644
_AT_FDCWD = -100


@dataclass(frozen=True)
class Checked:
    """A whole check of `content_dir`, passed, at `now`, under the settings of `config_file`."""

    config_file: Path
    settings: Settings
    content_dir: Path
    now: datetime
    report: Report


_HANDED: list[Checked] = []  # only inside `handing_over`: never more than the build running


@contextlib.contextmanager
def handing_over(checked: Checked) -> Iterator[None]:
    """Within this block, a build of `checked.config_file` in this process uses `checked`."""
    _HANDED.append(checked)
    try:
        yield
    finally:
        _HANDED.remove(checked)


def handed_over(config_file: str | Path | None) -> Checked | None:
    """The check handed to a build of `config_file`, if scripts/build is running that build."""
    if config_file is None:
        return None
    path = Path(config_file).resolve()
    return next((c for c in reversed(_HANDED) if c.config_file.resolve() == path), None)


def staging_dir(site: Path) -> Path:
    """A fresh empty folder next to `site` (same file system, so the final rename is atomic)."""
    site.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{site.name}.new-", dir=site.parent))


def publishable_modes(folder: Path, seen: Callable[[str, os.stat_result], None] | None = None) -> int:
    """Set folders to 0755 and files to 0644 throughout `folder` (itself included); count changes.
    `seen(path, stat)`: told of every file (its path relative to `folder`, POSIX), in the same walk.

    Symbolic links are left alone (the build writes none; following one could
    change a file outside the site).
    """
    changed = 0
    if not folder.is_symlink() and folder.stat().st_mode & 0o7777 != DIR_MODE:
        folder.chmod(DIR_MODE)
        changed += 1
    stack = [(os.fspath(folder), "")]
    while stack:
        top, rel = stack.pop()
        with os.scandir(top) as entries:
            for entry in entries:
                if entry.is_symlink():
                    continue
                info = entry.stat(follow_symlinks=False)  # one lstat (25,900 files: three calls each took 2 s)
                is_dir = entry.is_dir(follow_symlinks=False)
                mode = DIR_MODE if is_dir else FILE_MODE
                if info.st_mode & 0o7777 != mode:
                    os.chmod(entry.path, mode, follow_symlinks=False)
                    changed += 1
                path = f"{rel}{entry.name}"
                if is_dir:
                    stack.append((entry.path, path + "/"))
                elif seen is not None:
                    seen(path, info)
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


def swap_in(new: Path, site: Path, retire: Callable[[Path], None] | None = None) -> None:
    """Make `new` the site: exchange atomically if the system can, else two quick renames. The
    previous site is deleted, or handed to `retire` (`discard_later`)."""
    drop = retire or (lambda folder: shutil.rmtree(folder, ignore_errors=True))
    if not site.exists():
        new.rename(site)
        return
    if _exchange(new, site):
        drop(new)  # `new` now holds the previous site
        return
    old = Path(tempfile.mkdtemp(prefix=f".{site.name}.old-", dir=site.parent))
    old.rmdir()
    site.rename(old)
    new.rename(site)
    drop(old)


def discard_later(trash: Path) -> Callable[[Path], None]:
    """A `retire` for `swap_in` that does not wait for the deletion (25,000 files of a large site take
    seconds): the folder is moved into `trash` (on the same file system) and removed there by a
    process of its own, whatever is left in `trash` with it; where it cannot be moved, now."""
    def retire(folder: Path) -> None:
        try:
            trash.mkdir(parents=True, exist_ok=True)
            folder.rename(Path(tempfile.mkdtemp(prefix="site-", dir=trash)) / "old")
        except OSError:
            shutil.rmtree(folder, ignore_errors=True)
            return
        subprocess.Popen([sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)",
                          str(trash)], start_new_session=True, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return retire
