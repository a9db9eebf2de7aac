"""Each entry read again only where its file, or anything it may name, has changed: a process's memo.

The preview (`mkdocs serve`) checks the whole content at each edit, and reading and validating the
files is most of that at 3,000 stories. What one file gives (its parsed document, its entry and
its problems) depends on its bytes, on the vocabulary and authors, and on the files it names
(images, transcripts, recordings), all of them in content/. So each result is kept by the file's
size, time of change and inode (its bytes if it changed in the last 2 s: `file_version`) and one
stamp of every other file in content/ and of the folder itself: an edit to a story reads that
story again; a change to any other file reads them all again. Only the files of
the last check are kept. A process that checks once (scripts/check) gains nothing and loses
nothing: the same functions run on a miss. scripts/build keeps them on disk between its processes
(`persisted`): there each file's result is kept by the digest of its bytes and of every other
file's, under the key of the code, its versions and mkdocs.yml.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
import time
from collections.abc import Callable, Hashable, Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

from site_plugins.content import cachefile
from site_plugins.content.tree import listed_stat, listing

T = TypeVar("T")
R = TypeVar("R")
Version = tuple[int, int, int] | bytes
_KEPT: dict[tuple[str, str, Version, bytes], Any] = {}
RACY = 2_000_000_000  # ns: a file changed this recently may change again within the clock's step


_KEEPING = [False]
_DIGESTS: list[Mapping[str, str] | None] = [None]  # inside `persisted`: content path -> sha256 of its bytes
_DISK: dict[tuple[str, str, Any], Any] = {}  # inside `persisted`: `remembered` (and `valued`) values as the last build kept them
_DISK_USED: dict[tuple[str, str, Any], Any] = {}  # ... and those this check asked for
FORMAT = b"rc-check-memo 2\n"


def keep_between_builds(on: bool) -> None:
    """Whether this process keeps what a build made for the next one: the preview does (rc-meta, under
    `mkdocs serve`); a process that builds once would only hold a second copy of the site's text."""
    _KEEPING[0] = on
    if not on:
        _KEPT.clear()
        Derived.next_check()
        Derived.next_check()


def keeping() -> bool:
    return _KEEPING[0]


@contextlib.contextmanager
def persisted(path: Path, key: bytes, digests: Mapping[str, str]) -> Iterator[None]:
    """The memo of one check kept in `path` (scripts/build's), valid under `key`; `digests`: every file
    of content/ (relative path -> sha256 of its bytes, taken before the check read them). A missing,
    damaged or foreign file: every file is read (the memo is only not used)."""
    kept = cachefile.read(path, FORMAT)
    if isinstance(kept, tuple) and len(kept) == 3 and kept[0] == key and isinstance(kept[1], dict) \
            and isinstance(kept[2], dict):
        _KEPT.update(kept[1])
        _DISK.update(kept[2])
    _DIGESTS[0] = digests
    try:
        yield
        with contextlib.suppress(OSError):  # not kept: the next build reads every file, nothing worse
            cachefile.write(path, FORMAT, (key, dict(_KEPT), dict(_DISK_USED)))
    finally:
        _DIGESTS[0] = None
        _DISK.clear()
        _DISK_USED.clear()
        if not keeping():
            _KEPT.clear()


def remembered(kind: str, rel: str, file: Path, make: Callable[[], T]) -> T | None:
    """Inside `persisted`, what `make` gives of content file `rel` (at `file`) alone, kept on disk by the
    digest of its bytes; None outside it (the caller makes it as before)."""
    digests = _DIGESTS[0]
    if digests is None or rel not in digests:
        return None
    digest = bytes.fromhex(digests[rel])
    key = (kind, rel, digest)
    if key in _DISK:
        found: T = _DISK[key]
    else:
        found = make()
        if not _unchanged(file, digest):
            return found
    _DISK_USED[key] = found
    return found


def valued(kind: str, key: Hashable, make: Callable[[], T]) -> T:
    """What `make` gives, a function of the value `key` alone (and of the code): inside `persisted`, kept on
    disk by that value (equal keys, equal results); outside it, or for a key that cannot be hashed, made."""
    if _DIGESTS[0] is None:
        return make()
    try:
        found: T = _DISK[(kind, "", key)]
    except KeyError:
        found = make()
    except TypeError:  # a value holding a list
        return make()
    _DISK_USED[(kind, "", key)] = found
    return found


def value_digest(value: Any, prefix: bytes = b"") -> bytes:
    """sha256 of `prefix` and `value` pickled without its memo: equal values give equal bytes however their
    parts are shared (a card's strings read from the check's memo on disk are other objects than those of a
    file parsed again, and pickle's memo writes a second use of one object as a reference). A key for
    `valued` of a value that cannot be hashed (an entry holds a dict)."""
    stream = io.BytesIO()
    pickler = pickle.Pickler(stream, protocol=5)  # fixed: the digests kept by one build are compared by the next
    pickler.fast = True  # no memo (the values hold no cycles)
    pickler.dump(value)
    return hashlib.sha256(prefix + stream.getvalue()).digest()


def _unchanged(file: Path, digest: bytes) -> bool:
    """Whether `file` still has the bytes of `digest` (a file saved while it was read does not)."""
    try:
        with open(file, "rb") as stream:
            return hashlib.sha256(stream.read()).digest() == digest
    except OSError:
        return False


class Memo:
    """One check's lookups: `get` computes a miss; `close` keeps only what this check used."""

    def __init__(self, content_dir: Path, entries: set[str]) -> None:
        self.digests = _DIGESTS[0]
        self.stamp = _others(content_dir, entries) if self.digests is None else _others_by(content_dir, entries,
                                                                                           self.digests)
        self.used: dict[tuple[str, str, Version, bytes], Any] = {}

    def get(self, rel: str, kind: str, file: Path, make: Callable[[], T]) -> T:  # kept values are `make`'s
        if self.digests is not None and rel in self.digests:
            return self._by_digest(rel, kind, file, make, bytes.fromhex(self.digests[rel]))
        try:
            version = file_version(file)
        except OSError:
            return make()  # unreadable: its problem is made (and said) every time
        key = (rel, kind, version, self.stamp)
        found = _KEPT[key] if key in _KEPT else make()
        if keeping():
            self.used[key] = found
        return found

    def _by_digest(self, rel: str, kind: str, file: Path, make: Callable[[], T], digest: bytes) -> T:
        key = (rel, kind, digest, self.stamp)
        if key in _KEPT:
            found: T = _KEPT[key]
        else:
            found = make()
            if not _unchanged(file, digest):  # saved while it was read: what was read is not what `digest` names
                return found
        self.used[key] = found
        return found

    def close(self) -> None:
        _KEPT.clear()
        _KEPT.update(self.used)
        Derived.next_check()


class Derived(Generic[R]):
    """`make(obj, *args)` kept by the identity of `obj` (and the value of `args`): an entry or page the
    memos hand out again unchanged is the same object at the next check, so what is derived from it
    is derived once. Kept: the objects asked about in this check and in the one before (`next_check`,
    at a `Memo`'s close)."""

    _all: ClassVar[list[Derived[Any]]] = []

    def __init__(self, make: Callable[..., R]) -> None:
        self.make = make
        self.now: dict[int, tuple[object, tuple[Any, ...], R]] = {}
        self.before: dict[int, tuple[object, tuple[Any, ...], R]] = {}
        Derived._all.append(self)

    def __call__(self, obj: object, *args: Any) -> R:
        if not keeping():
            return self.make(obj, *args)
        key = id(obj)
        hit = self.now.get(key) or self.before.pop(key, None)
        if hit is None or hit[0] is not obj or hit[1] != args:  # an id is reused only once its object is gone
            hit = (obj, args, self.make(obj, *args))
        self.now[key] = hit
        return hit[2]

    @classmethod
    def next_check(cls) -> None:
        for derived in cls._all:
            derived.before, derived.now = derived.now, {}


def file_version(file: Path) -> Version:
    """What tells one state of a file from another: its size, time of change and inode; or, for a file
    changed in the last 2 s, its bytes' digest (two saves within one tick of the file system's clock
    can leave the same time and size: git calls such a file "racily clean"). Within `tree.one_walk`,
    the stat its listing took."""
    path = os.fspath(file)
    stat = listed_stat(path)
    return version(path, stat if stat is not None else os.stat(path))


def version(file: str | os.PathLike[str], stat: os.stat_result) -> Version:
    """`file_version` of a file whose stat is at hand."""
    if time.time_ns() - stat.st_mtime_ns < RACY:
        return digest(file)
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def digest(file: str | os.PathLike[str]) -> bytes:
    """The bytes' digest `file_version` gives a recent file."""
    with open(file, "rb") as stream:
        return hashlib.blake2b(stream.read(), digest_size=20).digest()


def same(before: Version | None, file: str | os.PathLike[str], now: Version | None) -> bool:
    """Whether two versions of `file` are the same state: a version taken while the file was recent
    (its digest) is compared with the bytes once it is not (then its version is its stat)."""
    if before == now:
        return True
    if isinstance(before, bytes) and isinstance(now, tuple):
        try:
            return digest(file) == before
        except OSError:
            return False
    return False


def _others_by(content_dir: Path, entries: set[str], digests: Mapping[str, str]) -> bytes:
    """One digest of the bytes of every file in content/ but the entries themselves."""
    hashed = hashlib.blake2b(os.fspath(content_dir.resolve()).encode(), digest_size=20)
    for path in sorted(digests.keys() - entries):
        hashed.update(f"{path}\0{digests[path]}\n".encode())
    return hashed.digest()


def _others(content_dir: Path, entries: set[str]) -> bytes:
    """One digest of every file in content/ but the entries themselves."""
    digest = hashlib.blake2b(os.fspath(content_dir.resolve()).encode(), digest_size=20)  # the folder too: a copy is another
    for path, stat in listing(content_dir).files.items():
        if path not in entries:
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.digest()
