"""What `scripts/build` keeps in `.cache/build/` so that the next build renders only what changed.

One file, `state.pickle`: a header (format, the digest of the payload) and the pickled `State` of
the last successful build. The state is valid only under the same `key`: a digest of mkdocs.yml,
every file of the theme folders outside installed packages, the `hooks:` files, every file of this package (code,
templates, fonts) and the name and version of every installed distribution (Python, MkDocs,
Material, Pagefind, ...). A different key, a missing, truncated or altered file, or a site folder
that is not the one the last build left: the state is not used and the build is a clean one. So
the folder may be deleted at any time. The state is read only from this project's own `.cache/`
(a pickle runs code when it is read: never point it at someone else's file).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import os
import pickle
import sys
import tempfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from site_plugins.content.tree import hidden, walk
from site_plugins.pipeline.changes import Snapshot
from site_plugins.pipeline.manifest import ENGINE

FORMAT = b"rc-build-cache 2\n"  # 2: views kept as their digests (views.OnDemand)
STATE = "state.pickle"
SEARCH = "search"  # the search index's shards (outputs/search/store.py)
PACKAGE = Path(__file__).resolve().parent.parent  # site_plugins/
Stamp = tuple[int, int, int]  # size, time of change (ns), inode: a file of site/ as the last build left it


@dataclass(frozen=True)
class PageRecord:
    """A rendered page as the engine left it: where, the anchors it has, the anchors it links to."""

    dest: str
    anchors: frozenset[str] = frozenset()
    links: Mapping[str, frozenset[str]] = field(default_factory=dict)  # page source -> anchors linked there
    search: tuple[bytes, bytes] | None = None  # its search description's digests (pipeline/searching.py), if indexed


@dataclass(frozen=True)
class State:
    """The last successful build, as the next one compares itself with it."""

    key: str
    snapshot: Snapshot  # what `changes.plan` compares (pipeline/changes.py)
    sources: Mapping[str, str]  # every file of content/ (relative) -> digest of its bytes
    pages: Mapping[str, PageRecord]  # page source -> its record
    statics: Mapping[str, str]  # every other file the engine copied (site path) -> what it was copied from
    producers: Mapping[str, str]  # every file of the site -> its producer (pipeline/manifest.py)
    site: Mapping[str, Stamp] = field(default_factory=dict)  # site/ after the swap


def _digest_files(digest: hashlib._Hash, root: Path) -> None:
    for rel in walk(root, hidden_folders=False).files:
        if "__pycache__" in rel.split("/"):
            continue
        digest.update(rel.encode() + b"\0")
        with open(os.path.join(root, rel), "rb") as stream:
            digest.update(hashlib.sha256(stream.read()).digest())


@functools.cache
def environment() -> bytes:
    """The digest of what every build of this process shares: Python and zlib, every installed
    distribution and every file of this package (computed once a process)."""
    digest = hashlib.sha256(FORMAT)
    # zlib's own version: the `.gz` an incremental build keeps are its bytes (pipeline/finish.py `Previous`).
    digest.update(sys.version.encode() + b"\0" + zlib.ZLIB_RUNTIME_VERSION.encode() + b"\0")
    installed = sorted({f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions()})
    digest.update("\n".join(installed).encode())
    digest.update(b"\0dir\0" + os.fsencode(os.path.realpath(PACKAGE)))
    _digest_files(digest, PACKAGE)
    return digest.digest()


def key(config_file: Path, theme_dirs: Iterable[Path], hooks: Iterable[Path] = ()) -> str:
    """The digest every input of a build other than content/ goes into (see the module's docstring);
    `hooks`: the Python files mkdocs.yml's `hooks:` names."""
    digest = hashlib.sha256(environment())
    digest.update(config_file.read_bytes())
    for hook in hooks:
        digest.update(b"\0hook\0" + os.fsencode(hook) + b"\0" + hook.read_bytes())
    prefixes = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix)}
    for folder in theme_dirs:
        real = os.path.realpath(folder)
        if any(real.startswith(p + os.sep) for p in prefixes):
            continue  # an installed theme (Material): its version is among the distributions
        digest.update(b"\0dir\0" + os.fsencode(real))
        if os.path.isdir(real):
            _digest_files(digest, Path(real))
    return digest.hexdigest()


def check_key(config_file: Path) -> bytes:
    """What the check's per-file results kept on disk are valid under (content/reuse.py `persisted`):
    the code and its versions, and mkdocs.yml."""
    return hashlib.sha256(environment() + b"\0check\0" + config_file.read_bytes()).digest()


def sources(content: Path) -> dict[str, str]:
    """Every file under `content` the engine sees (hidden ones left out) -> the digest of its bytes."""
    found: dict[str, str] = {}
    top = os.fspath(content)
    for folder, dirs, names in os.walk(top):
        dirs[:] = [d for d in dirs if not hidden(d)]
        for name in names:
            if hidden(name):
                continue
            path = os.path.join(folder, name)
            with contextlib.suppress(OSError), open(path, "rb") as stream:
                found[os.path.relpath(path, top).replace(os.sep, "/")] = hashlib.sha256(stream.read()).hexdigest()
    return found


def changed(before: Mapping[str, str], after: Mapping[str, str]) -> set[str]:
    """Content paths added, removed or changed."""
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


def stamp(info: os.stat_result) -> Stamp:
    return info.st_size, info.st_mtime_ns, info.st_ino


def site_stamps(site: Path) -> dict[str, Stamp]:
    """Every file of a built site (hidden ones too) -> its stamp."""
    found: dict[str, Stamp] = {}
    top = os.fspath(site)
    for folder, _, names in os.walk(top):
        rel = os.path.relpath(folder, top).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"  # once a folder: a relpath a file took 1.9 s of 25,900
        for name in names:
            found[prefix + name] = stamp(os.lstat(os.path.join(folder, name)))
    return found


def start_from(site: Path, staging: Path, producers: Mapping[str, str]) -> None:
    """`staging` holding the engine's files of `site` (hard links: whatever writes one of them must
    `unlink` it first, so site/ is never written), without what `finish` made (`producers`)."""
    ours = {path for path, producer in producers.items() if producer != ENGINE}
    top, out = os.fspath(site), os.fspath(staging)
    for folder, _, names in os.walk(top):  # strings, not Paths: 26,000 files
        rel = os.path.relpath(folder, top)
        target = out if rel == "." else os.path.join(out, rel)
        with contextlib.suppress(FileExistsError):
            os.mkdir(target)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        for name in names:
            if prefix + name not in ours:
                os.link(os.path.join(folder, name), os.path.join(target, name))
    for folder, dirs, _ in os.walk(staging, topdown=False):
        for name in dirs:
            with contextlib.suppress(OSError):
                os.rmdir(os.path.join(folder, name))  # folders only `finish` filled: a clean build has none


def unlink(path: Path) -> None:
    """A file the engine writes next goes first: it may be a hard link to site/'s."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def remove(path: Path, top: Path) -> None:
    """`path` deleted, and the folders it leaves empty (a fresh build has none)."""
    unlink(path)
    folder = path.parent
    while folder != top and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def load(folder: Path, wanted: str) -> tuple[State | None, str]:
    """The state kept in `folder` if it is whole and its key is `wanted`; else None and why (Chinese)."""
    path = folder / STATE
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, "没有上次构建的缓存"
    except OSError as exc:
        return None, f"构建缓存无法读取（{exc.strerror}）"
    head, _, rest = data.partition(b"\n")
    digest, _, payload = rest.partition(b"\n")
    if head + b"\n" != FORMAT or digest != hashlib.sha256(payload).hexdigest().encode():
        return None, f"构建缓存 {path.name} 已损坏或来自别的版本，已忽略"
    try:
        state = pickle.loads(payload)
    except Exception:  # a class renamed since: any failure to read means no state
        return None, f"构建缓存 {path.name} 无法读取，已忽略"
    if not isinstance(state, State):
        return None, f"构建缓存 {path.name} 无法读取，已忽略"
    if state.key != wanted:
        return None, "mkdocs.yml、模板、插件代码或软件版本有变化"
    return state, ""


def save(folder: Path, state: State) -> None:
    """Keep `state` in `folder`, written through a temporary file: the old state or the new, never half."""
    payload = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".state-", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(FORMAT + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
        os.replace(temporary, folder / STATE)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def forget(folder: Path) -> None:
    """Drop the state (a build that fails, or one made without it, must not be taken for the last one)."""
    with contextlib.suppress(FileNotFoundError):
        (folder / STATE).unlink()
