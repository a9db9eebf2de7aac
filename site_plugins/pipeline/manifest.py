"""The one writer of the build's outputs: every file with its site path, its bytes and its producer.

What the core makes after the engine has rendered (feeds, the calendar, the OPML list, the search
index, /admin/, redirects, `.gz` copies) is added to a `Manifest`; what the engine wrote itself
(pages, theme assets, the media it copied) is claimed in it. `add` and `claim` refuse a second
producer for a path and name both, so no output silently replaces another. `write` puts each file
in place atomically: its bytes go to a temporary file in the same folder, which `os.replace` then
renames over the target, so neither a reader nor a failed build ever sees half a file.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import shutil
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ENGINE = "网站生成器（页面、主题文件、媒体）"  # the producer of what the engine wrote itself


@dataclass(frozen=True)
class Output:
    """One file of the site: `data`, or a copy of `source`; neither: the engine wrote it."""

    path: str  # site path, POSIX, no leading slash (urls.py)
    producer: str
    data: bytes | None = None
    source: Path | None = None
    linked: bool = False  # `source` is the last build's file of this path (scripts/build): a hard link to it

    @property
    def written_by_engine(self) -> bool:
        return self.data is None and self.source is None

    def read(self) -> bytes:
        """The file's bytes (a claimed file has none here: read it from the site folder)."""
        if self.data is not None:
            return self.data
        if self.source is None:
            raise ValueError(f"{self.path} is written by the site engine; read it from the site folder")
        return self.source.read_bytes()


class DuplicateOutput(Exception):
    """Two producers want the same file of the site."""

    def __init__(self, path: str, first: str, second: str) -> None:
        self.path, self.first, self.second = path, first, second
        super().__init__(f"两项输出要写同一个文件 /{path}：{first}，以及{second}。为避免一个悄悄覆盖另一个，构建已停止。"
                         "如果其中一项来自内容（例如文件名、slug 或 aliases），请改名后重新构建。")


def site_path(path: str) -> str:
    """`path` as a site path; ValueError if it leaves the site or is empty."""
    clean = posixpath.normpath(path.replace("\\", "/").lstrip("/"))
    if clean in ("", ".") or clean.startswith("../") or clean == ".." or path.endswith("/"):
        raise ValueError(f"not a file path inside the site: {path!r}")
    return clean


class Manifest:
    """Every output of one build, by site path."""

    def __init__(self) -> None:
        self._outputs: dict[str, Output] = {}
        self._written: set[str] = set()
        self._lock = threading.Lock()  # `write` may run on a thread while outputs are still added

    def add(self, path: str, producer: str, data: bytes | None = None, *, source: Path | None = None,
            linked: bool = False) -> None:
        """Register a file to write: its bytes, or a file to copy (`linked`: to hard-link). DuplicateOutput
        if the path is taken."""
        if (data is None) == (source is None):
            raise ValueError("an output has either bytes or a source file")
        self._put(Output(site_path(path), producer, data, source, linked))

    def put(self, site_dir: Path, path: str, producer: str, data: bytes) -> None:
        """`add`, then write the file at once, on the caller's thread (a page's `.gz` as the page renders)."""
        output = Output(site_path(path), producer, data)
        self._put(output)
        with self._lock:
            self._written.add(output.path)
        target = site_dir / output.path
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, output)

    def redo(self, path: str, producer: str, data: bytes) -> None:
        """Make an output of `producer` again (a page's `.gz` after the page changed): the next `write`
        writes it. DuplicateOutput if another producer has the path."""
        output = Output(site_path(path), producer, data)
        with self._lock:
            taken = self._outputs.get(output.path)
            if taken is not None and taken.producer != producer:
                raise DuplicateOutput(output.path, taken.producer, producer)
            self._outputs[output.path] = output
            self._written.discard(output.path)

    def relink(self, path: str, source: Path) -> None:
        """An output not written yet becomes a hard link to `source`, a file with its very bytes (the last
        build's: scripts/build's incremental build)."""
        with self._lock:
            output = self._outputs[path]
            if path not in self._written:
                self._outputs[path] = Output(path, output.producer, None, source, True)

    def withdraw(self, site_dir: Path, path: str, producer: str) -> None:
        """Take back an output of `producer`, and its file if it was written (a `.gz` whose page never was)."""
        path = site_path(path)
        with self._lock:
            taken = self._outputs.get(path)
            if taken is None or taken.producer != producer:
                return
            del self._outputs[path]
            written = path in self._written
            self._written.discard(path)
        if written:
            with contextlib.suppress(FileNotFoundError):
                (site_dir / path).unlink()

    def keep(self, output: Output) -> None:
        """Register an output as another manifest has it (the preview's `finish.refresh`)."""
        self._put(output)

    def claim(self, path: str, producer: str = ENGINE) -> None:
        """Register a file the engine wrote (or writes) itself. DuplicateOutput if the path is taken."""
        self._put(Output(site_path(path), producer))

    def _put(self, output: Output) -> None:
        with self._lock:
            taken = self._outputs.get(output.path)
            if taken is not None:
                raise DuplicateOutput(output.path, taken.producer, output.producer)
            self._outputs[output.path] = output

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and path in self._outputs

    def __iter__(self) -> Iterator[Output]:
        with self._lock:
            outputs = list(self._outputs.values())
        return iter(sorted(outputs, key=lambda o: o.path))

    def __len__(self) -> int:
        return len(self._outputs)

    def get(self, path: str) -> Output | None:
        return self._outputs.get(path)

    def by(self, producer: str) -> list[str]:
        """The paths `producer` added or claimed, sorted."""
        return sorted(p for p, o in self._outputs.items() if o.producer == producer)

    def producers(self) -> dict[str, str]:
        """Site path -> its producer."""
        return {p: o.producer for p, o in sorted(self._outputs.items())}

    def write(self, site_dir: Path, threads: int = 4) -> int:
        """Write every output added since the last `write` (none the engine wrote), each atomically;
        the number written. A build may write what it has while it makes the rest.

        On a few threads: each file is a handful of system calls that wait on the disk (which the
        build shares with the engine's last writes), and the files are independent of each other.
        """
        with self._lock:
            todo = sorted((o for p, o in self._outputs.items() if not o.written_by_engine and p not in self._written),
                          key=lambda o: o.path)
            self._written.update(o.path for o in todo)
        for folder in sorted({(site_dir / o.path).parent for o in todo}):
            folder.mkdir(parents=True, exist_ok=True)
        with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="rc-write") as pool:
            for _ in pool.map(lambda o: write_atomically(site_dir / o.path, o), todo):
                pass
        return len(todo)


def write_atomically(target: Path, output: Output) -> None:
    """`output` at `target`, by a temporary file beside it renamed over it: all of it, or nothing.

    The file gets the mode a plain write gives it (0666 less the umask).
    """
    if output.source is not None and output.linked:
        with contextlib.suppress(FileExistsError):  # a new name is whole at once: no temporary one
            os.link(output.source, target)  # never written: the staging folder's files are new names only
            return
    temporary = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        if output.source is not None and output.linked:
            os.link(output.source, temporary)
        elif output.source is not None:
            shutil.copyfile(output.source, temporary)  # large bundles: copied by the kernel
        else:
            with open(temporary, "wb") as stream:
                stream.write(output.read())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def rewrite(site_dir: Path, output: Output) -> bool:
    """`output` written (atomically) unless its file already holds its bytes: whether it was.
    The preview's partial rebuilds rewrite only what changed (pipeline/finish.refresh, pipeline/catchup.py)."""
    target = site_dir / output.path
    data = output.read()
    if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, Output(output.path, output.producer, data))
    return True
