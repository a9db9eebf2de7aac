#!/usr/bin/env python3
"""Peak memory of a whole build, every process together: ours against plain Material.

    scripts/bench_memory.py --stories 3000 [--runs 1] [--keep DIR] [--skip rc-images] [--timeline FILE]
                            [--against CHECKOUT]

Writes the benchmark corpus (scripts/benchcorpus.py), builds it with our plugins and as
the reference (plain Material, as scripts/bench), one warm-up build each, then `--runs`
builds each, alternating. During every build the memory (RSS) of the build's process
and of every process it starts (rc-search's worker, Pagefind, media pools) is sampled
every 50 ms (scripts/proctree.py). Prints, per build, the largest sum at one moment,
when it came, and what each kind of process held then and at its own peak; the load
average before and after (`/proc/loadavg`: the machine is shared). `--timeline FILE`
writes every sample of the last run of each build as CSV (seconds, kind, MB).
`--against CHECKOUT` adds a third build, the same corpus with another checkout's
mkdocs.yml and plugins (a before/after table: `git worktree add /tmp/main main`), alternated
with the other two. A benchmark prints; it asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

from benchbuild import build_once, memory_table  # noqa: E402
from benchcorpus import drop_plugins, site_config, write_corpus  # noqa: E402


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=3000, help="number of stories (lectures: a fifth)")
    parser.add_argument("--runs", type=int, default=1, help="measured builds of each configuration")
    parser.add_argument("--keep", type=Path, help="write the corpus here and keep it (default: a temp folder)")
    parser.add_argument("--skip", action="append", default=[], metavar="PLUGIN",
                        help="leave one of our plugins out of our build (e.g. rc-images: cold cards take long)")
    parser.add_argument("--only", choices=("with", "without"), help="build one configuration only")
    parser.add_argument("--against", type=Path, metavar="CHECKOUT",
                        help="also build the corpus with this checkout's mkdocs.yml and plugins (e.g. main's)")
    parser.add_argument("--timeline", type=Path, help="write the last run's samples here (CSV)")
    args = parser.parse_args()

    before = load()
    with tempfile.TemporaryDirectory(prefix="rc-bench-memory-") as tmp:
        root = args.keep or Path(tmp)
        configs = dict(zip(("with", "without"), write_corpus(root, REPO, args.stories), strict=True))
        repos = dict.fromkeys(configs, REPO)
        if args.against:
            configs["against"], repos["against"] = root / "mkdocs-against.yml", args.against.resolve()
            configs["against"].write_text(site_config(repos["against"]), encoding="utf-8")
        for name in ("with", "against"):
            if args.skip and name in configs:
                text = configs[name].read_text(encoding="utf-8")
                configs[name].write_text(drop_plugins(text, tuple(args.skip)), encoding="utf-8")
        if args.only:
            configs = {args.only: configs[args.only]}
        sites = {name: root / f"site-{name}" for name in configs}
        runs: dict[str, list[dict]] = {name: [] for name in configs}
        for name in configs:  # warm-up: caches, the OS's file cache
            build_once(configs[name], sites[name], repo=repos[name])
        for _ in range(args.runs):
            for name in configs:
                runs[name].append(build_once(configs[name], sites[name], timeline=args.timeline is not None,
                                             repo=repos[name]))
    after = load()

    skipped = f" (without {', '.join(args.skip)})" if args.skip else ""
    labels = {"with": "with our plugins" + skipped, "without": "reference (plain Material)",
              "against": f"with the plugins of {args.against}" + skipped}
    print(f"corpus: {args.stories} stories, {max(args.stories // 5, 1)} lectures; {args.runs} measured run(s) each "
          f"after a warm-up; load average {before} before, {after} after")
    print()
    print("| build | median wall s | CPU s | peak MB (all processes), median | min–max |")
    print("|---|---:|---:|---:|---:|")
    for name, reports in runs.items():
        peaks = [r["peak_all"] / 2**20 for r in reports]
        print(f"| {labels[name]} | {statistics.median(r['wall'] for r in reports):.2f} | "
              f"{statistics.median(r['cpu'] for r in reports):.2f} | {statistics.median(peaks):.0f} | "
              f"{min(peaks):.0f}–{max(peaks):.0f} |")
    for name, reports in runs.items():
        for line in reports[-1]["log"]:
            print(f"{labels[name]}: {line}")
    print()
    print(memory_table({labels[name]: max(reports, key=lambda r: r["peak_all"])["peaks"]
                        for name, reports in runs.items()}))
    if "without" in runs:
        print()
        for name in ("with", "against"):
            if name in runs:
                ratio = max(r["peak_all"] for r in runs[name]) / max(r["peak_all"] for r in runs["without"])
                print(f"memory, {labels[name]}: {ratio:.2f} × the reference (highest peaks)")
    if args.timeline:
        with args.timeline.open("w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(["build", "seconds", "kind", "MB"])
            for name, reports in runs.items():
                for seconds, kinds in reports[-1]["peaks"].timeline:
                    for kind, rss in sorted(kinds.items()):
                        out.writerow([name, f"{seconds:.2f}", kind, f"{rss / 2**20:.1f}"])


if __name__ == "__main__":
    main()
