"""Peak memory of a build and every process it starts, sampled from /proc.

A build is several processes: MkDocs, rc-search's index worker, Pagefind (the worker's
child), the image and audio pools. `getrusage` gives the largest process's peak only,
and a sum of each process's own peak counts peaks that never met. `Sampler` walks the
build's process tree every `interval` seconds (50 ms), sums the resident memory (RSS)
of every process alive at that moment, and keeps the largest sum, what each kind of
process held at that moment, and each kind's own peak (its processes summed per sample).

RSS counts a page shared by two processes in both, so the sum is an upper bound, the
figure a machine must have free. A child forked but not yet exec'd (its command line is
still its parent's) is left out: its pages are its parent's. Linux only.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field

PAGE = os.sysconf("SC_PAGE_SIZE")
# What a process is, by its command line (first match wins); anything else goes by its name.
KINDS = (
    ("search worker", "site_plugins.outputs.search.worker"),
    ("Pagefind", "pagefind"),
    ("media pool", "multiprocessing"),
)


def _cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read()
    except OSError:
        return b""


def kind_of(cmdline: bytes) -> str:
    text = cmdline.replace(b"\0", b" ").decode("utf-8", "replace")
    for kind, needle in KINDS:
        if needle in text:
            return kind
    return os.path.basename(text.split(" ", 1)[0]) or "other"


def _stats() -> dict[int, tuple[int, int]]:
    """{pid: (parent pid, RSS bytes)} of every process on the machine."""
    out: dict[int, tuple[int, int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue  # it exited between the listing and the read
        fields = stat[stat.rindex(b")") + 2 :].split()
        out[int(entry)] = (int(fields[1]), int(fields[21]) * PAGE)  # ppid, rss (fields 4 and 24 of stat)
    return out


@dataclass
class Peaks:
    total: int = 0  # the largest sum over all processes of the tree, bytes
    at: float = 0.0  # seconds after the start when it was sampled
    composition: dict[str, int] = field(default_factory=dict)  # per kind, at that moment
    kinds: dict[str, int] = field(default_factory=dict)  # per kind, its own largest sum
    samples: int = 0
    timeline: list[tuple[float, dict[str, int]]] = field(default_factory=list)  # (seconds, per kind)


class Sampler(threading.Thread):
    """Samples the process tree under `root` until `stop()`; the result is `peaks`."""

    def __init__(self, root: int, interval: float = 0.05, keep_timeline: bool = False) -> None:
        super().__init__(name="proctree", daemon=True)
        self.root, self.interval, self.keep_timeline = root, interval, keep_timeline
        self.peaks = Peaks()
        self._done = threading.Event()
        self._start = time.perf_counter()

    def run(self) -> None:
        while not self._done.is_set():
            self.sample()
            self._done.wait(self.interval)

    def stop(self) -> Peaks:
        self._done.set()
        self.join()
        return self.peaks

    def sample(self) -> None:
        stats = _stats()
        children: dict[int, list[int]] = {}
        for pid, (ppid, _) in stats.items():
            children.setdefault(ppid, []).append(pid)
        tree, todo = [], [self.root]
        while todo:
            pid = todo.pop()
            if pid in stats:
                tree.append(pid)
                todo += children.get(pid, [])
        by_kind: dict[str, int] = {}
        cmdlines = {pid: _cmdline(pid) for pid in tree}
        for pid in tree:
            parent = stats[pid][0]
            if pid != self.root and cmdlines[pid] in (b"", cmdlines.get(parent)):
                continue  # exited (a zombie holds nothing), or forked and not yet exec'd: its pages are its parent's
            kind = "build" if pid == self.root else kind_of(cmdlines[pid])  # read each time: exec changes it
            by_kind[kind] = by_kind.get(kind, 0) + stats[pid][1]
        if not by_kind:
            return
        now = time.perf_counter() - self._start
        peaks = self.peaks
        peaks.samples += 1
        total = sum(by_kind.values())
        if total > peaks.total:
            peaks.total, peaks.at, peaks.composition = total, now, by_kind
        for kind, rss in by_kind.items():
            peaks.kinds[kind] = max(peaks.kinds.get(kind, 0), rss)
        if self.keep_timeline:
            peaks.timeline.append((now, by_kind))


def sampled(root: int, interval: float = 0.05, keep_timeline: bool = False) -> Sampler:
    """A started sampler of the tree under `root`."""
    sampler = Sampler(root, interval, keep_timeline)
    sampler.start()
    return sampler
