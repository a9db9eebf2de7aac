"""`scripts/bench --incremental`: `scripts/build` after one change, with a warm `.cache/`.

On the bench corpus (scripts/benchcorpus.py): one untimed `scripts/build -f <corpus>/mkdocs.yml
-d <corpus>/site` fills `.cache/`; then each scripted edit (scripts/benchedits.py: a story's
body, title or tag, a new story, a deleted one) is saved and `scripts/build` timed into the
same output folder, whatever it does inside. After each, the same content is built clean
(`.cache/` moved aside, so the cache is empty, into another, empty folder) and the two
outputs compared file for file: the list of files and every byte. A correct incremental
build differs in 0 files. Last, plain Material's `mkdocs build` of the final content
(the plugin-free config, as `scripts/bench`'s reference). Every build runs in a fresh
process; memory is the peak of all its processes (scripts/proctree.py).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from benchbuild import build_once
from benchcorpus import BUILD_TIME, write_corpus
from benchedits import KINDS, sequence
from checkout_env import checkout_pythonpath
from proctree import sampled

REPO = Path(__file__).resolve().parent.parent
EDIT_KINDS = (*KINDS, "delete")


@dataclass(frozen=True)
class Build:
    wall: float  # seconds, process start to exit
    peak: int  # bytes, all its processes together


def scripts_build(config: Path, site: Path) -> Build:
    """`scripts/build -f config -d site` in a fresh process; exits the bench if it fails."""
    env = {**os.environ, "SITE_BUILD_TIME": BUILD_TIME, "NO_MKDOCS_2_WARNING": "1",
           "PYTHONPATH": checkout_pythonpath(REPO)}
    began = time.perf_counter()
    process = subprocess.Popen([sys.executable, str(REPO / "scripts" / "build"), "-f", str(config), "-d", str(site)],
                               cwd=config.parent, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sampler = sampled(process.pid)
    output, _ = process.communicate()
    wall = time.perf_counter() - began
    peaks = sampler.stop()
    if process.returncode != 0:
        sys.exit(f"scripts/build failed ({config}):\n{output[-3000:]}")
    return Build(wall, peaks.total)


def differing(a: Path, b: Path) -> list[str]:
    """Relative paths of the files that differ between two folders: in one only, or other bytes."""
    def files(root: Path) -> dict[str, Path]:
        return {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}

    left, right = files(a), files(b)
    out = sorted(set(left) ^ set(right))
    for name in sorted(set(left) & set(right)):
        x, y = left[name], right[name]
        if x.stat().st_size != y.stat().st_size or x.read_bytes() != y.read_bytes():
            out.append(name)
    return sorted(out)


def clean_build(config: Path, site: Path) -> Build:
    """The same content built with an empty cache into an empty folder; the warm cache is put back."""
    cache, aside = config.parent / ".cache", config.parent / ".cache-warm"
    if site.exists():
        shutil.rmtree(site)
    if cache.exists():
        cache.rename(aside)
    try:
        return scripts_build(config, site)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        if aside.exists():
            aside.rename(cache)


def run(root: Path, stories: int, per_kind: int) -> tuple[dict[str, list[tuple[Build, list[str]]]], list[Build], Build]:
    """Per kind, each incremental build and the files it got wrong; the clean builds; the reference."""
    ours, without = write_corpus(root, REPO, stories)
    site, clean = root / "site", root / "site-clean"
    scripts_build(ours, site)  # untimed: fills .cache/
    edits = sequence(root / "content", EDIT_KINDS, per_kind)
    results: dict[str, list[tuple[Build, list[str]]]] = {kind: [] for kind in EDIT_KINDS}
    cleans: list[Build] = []
    for edit in edits:
        edit.apply(root / "content")
        build = scripts_build(ours, site)
        cleans.append(clean_build(ours, clean))
        results[edit.kind].append((build, differing(site, clean)))
    report = build_once(without, root / "site-reference")
    return results, cleans, Build(report["wall"], report["peak_all"])


def table(results: dict[str, list[tuple[Build, list[str]]]], cleans: list[Build], reference: Build) -> str:
    mb = 2**20
    lines = ["| build | change | builds | median wall s | max wall s | peak MB (all processes) | differing files |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for kind, runs in results.items():
        walls = [b.wall for b, _ in runs]
        wrong = max(len(d) for _, d in runs)
        lines.append(f"| incremental (warm .cache/) | {kind} | {len(runs)} | {statistics.median(walls):.2f} | "
                     f"{max(walls):.2f} | {max(b.peak for b, _ in runs) / mb:.0f} | {wrong} |")
    walls = [b.wall for b in cleans]
    lines.append(f"| clean (empty cache, empty folder) | same content | {len(cleans)} | {statistics.median(walls):.2f} | "
                 f"{max(walls):.2f} | {max(b.peak for b in cleans) / mb:.0f} | – |")
    lines.append(f"| reference (plain Material, mkdocs build) | final content | 1 | {reference.wall:.2f} | "
                 f"{reference.wall:.2f} | {reference.peak / mb:.0f} | – |")
    lines.append("")
    for kind, runs in results.items():
        for i, (_, names) in enumerate(runs, 1):
            if names:
                shown = ", ".join(names[:8]) + (f", … ({len(names)} in all)" if len(names) > 8 else "")
                lines.append(f"differs ({kind} #{i}): {shown}")
    every = [b.wall for runs in results.values() for b, _ in runs]
    lines.append(f"incremental / clean: {statistics.median(every) / statistics.median(walls):.2f}")
    lines.append(f"differing files in all: {sum(len(d) for runs in results.values() for _, d in runs)}")
    return "\n".join(lines)


def main(stories: int, per_kind: int, keep: Path | None) -> str:
    """Run the incremental bench (in `keep`, else a temporary folder) and return its printed report."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="rc-bench-incremental-") as tmp:
        root = keep or Path(tmp)
        results, cleans, reference = run(root, stories, per_kind)
        header = (f"corpus: {stories} stories, {max(stories // 5, 1)} lectures; {per_kind} edits of each kind, "
                  f"each built incrementally then clean; {os.cpu_count()} CPUs, "
                  f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        return header + "\n\n" + table(results, cleans, reference)


if __name__ == "__main__":
    raise SystemExit("run it as: scripts/bench --incremental [--stories N] [--edits K]")
