#!/usr/bin/env python3
"""The preview's search catch-up after an edit (pipeline/catchup.py), this checkout against another.

    scripts/bench_catchup.py --stories 3000 [--edits 3] [--against CHECKOUT] [--sources FILE]

Describes every page of the benchmark corpus (scripts/benchcorpus.py) as `mkdocs serve` does (a
first preview build in this process: rc-search's page descriptions and the engine's page order),
or loads them from `--sources` (which a run without it writes, beside the corpus). Then, in a
process of its own per checkout (that checkout's plugins and search worker), one after the other:
an untimed first index of every page (what the preview's first build gives the worker), then
`--edits` edits of each kind (a story's body, its title, its tags, a new story), interleaved, each
followed by `CatchUp` with its own clock (every page to the worker, the files written where they
changed: the figure it logs). For this checkout, after the last edit of each kind the files written
must equal a fresh preview index of the same pages (a worker that keeps nothing) byte for byte; and the
worker's memory (RSS) is read after the edits and again once it has dropped what it kept.
`--against CHECKOUT`: the same edits with another checkout (a before/after table; `git worktree
add /tmp/main main`). Prints a Markdown table with the load average. It asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import pickle
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
KINDS = ("body", "title", "tag", "new")


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def describe(stories: int, root: Path) -> Path:
    """The corpus's pages as the preview describes them, pickled: (order, {src: PageSource})."""
    sys.path.insert(0, str(REPO / "scripts"))
    from benchcorpus import BUILD_TIME, write_corpus
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.structure.files import InclusionLevel

    os.environ["SITE_BUILD_TIME"] = BUILD_TIME
    config_file, _ = write_corpus(root, REPO, stories)
    config = load_config(str(config_file), site_dir=str(root / "site"))
    config.site_url = "http://127.0.0.1:8000/"
    config.plugins.on_startup(command="serve", dirty=False)
    build(config, serve_url=config.site_url)
    live = config.plugins["rc-meta"].live
    order = [f.src_uri for f in live.made.files.documentation_pages(inclusion=InclusionLevel.is_in_serve)]
    out = root / "sources.pickle"
    out.write_bytes(pickle.dumps((order, config.plugins["rc-search"].catching_up.sources)))
    config.plugins.on_shutdown()
    return out


def edited(order: list[str], sources: dict[str, Any], kind: str, n: int, rng: random.Random) -> None:
    """One edit of `kind` made to the descriptions (and the order: a new story), in place."""
    from site_plugins.outputs.search.records import PageSource

    stories = [src for src in order if src.startswith("stories/") and src in sources]
    src = rng.choice(stories)
    page: PageSource = sources[src]
    if kind == "body":
        sources[src] = replace(page, body_html=page.body_html + f"<p>新增的一段，第 {n} 次修改。</p>")
    elif kind == "title":
        sources[src] = replace(page, title=f"改过的标题 {n}")
    elif kind == "tag":
        other: PageSource = sources[rng.choice(stories)]
        sources[src] = replace(page, facts=replace(page.facts, narratives=other.facts.narratives), terms=other.terms)
    else:
        new = f"stories/bench-new-{n:04d}.md"
        sources[new] = replace(page, url=f"/stories/bench-new-{n:04d}/", title=f"新故事 {n}",
                               body_html=f"<p>新故事的正文 {n}。</p>" + page.body_html)
        order.append(new)
        order.sort()


def rss_mb(pid: int) -> float:
    """RSS of a process and its children (the worker and its Pagefind, warmed for the next catch-up)."""
    total = 0.0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            total += int(line.split()[1]) / 1024
    for task in Path(f"/proc/{pid}/task").iterdir():
        total += sum(rss_mb(int(child)) for child in (task / "children").read_text().split())
    return total


def child(sources_file: Path, edits: int, verify: bool) -> None:
    """The timed catch-ups with the plugins on sys.path; prints one JSON line."""
    import inspect

    from site_plugins.outputs.search.worker import INDEX_CONFIG, SearchWorker
    from site_plugins.pipeline.catchup import CatchUp
    from site_plugins.pipeline.searching import index_files
    from site_plugins.settings import SearchOptions

    messages: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: messages.append(record.getMessage())  # type: ignore[method-assign]
    logging.getLogger("mkdocs.plugins.rc-search").addHandler(handler)
    logging.getLogger("mkdocs.plugins.rc-search").setLevel(logging.INFO)
    order, sources = pickle.loads(sources_file.read_bytes())
    options = SearchOptions()
    parameters = inspect.signature(SearchWorker.begin).parameters
    keeps = "keep" in parameters
    # As the preview indexes (its first build, each catch-up and a fresh preview build alike): at
    # its gzip level, where the checkout has one.
    level: dict[str, int] = {}
    if "level" in parameters:
        from site_plugins.outputs.search.bundle import PREVIEW_LEVEL
        level = {"level": PREVIEW_LEVEL}
    worker = SearchWorker()

    def index(one: SearchWorker, keep: bool) -> dict[str, bytes]:
        one.begin(INDEX_CONFIG, options.shard, **({"keep": keep} if keeps else {}), **level)
        for src in order:
            if src in sources:
                one.add(sources[src])
        one.finish()
        return index_files(one.result(options.timeout))

    index(worker, True)  # the preview's first build
    catching_up = CatchUp(worker)
    catching_up.sources = sources
    rng = random.Random(27)
    times: dict[str, list[float]] = {kind: [] for kind in KINDS}
    written: dict[str, list[int]] = {kind: [] for kind in KINDS}
    mismatches: list[str] = []
    with tempfile.TemporaryDirectory() as site:
        for n in range(edits):
            for kind in KINDS:
                edited(order, sources, kind, n, rng)
                catching_up.start(order, Path(site), options)
                if not catching_up.wait(600):
                    raise SystemExit("the catch-up did not end within 600 s")
                times[kind].append(catching_up.last)
                written[kind].append(int(messages[-1].split("，")[1].split(" ")[0]))
                if verify and n == edits - 1:
                    fresh = SearchWorker()
                    files = index(fresh, False)
                    fresh.close()
                    on_disk = {p.relative_to(site).as_posix(): p.read_bytes()
                               for p in Path(site).rglob("*") if p.is_file()}
                    if files != on_disk:
                        mismatches.append(kind)
        assert worker._process is not None
        time.sleep(5)  # the next catch-up's Pagefind warmed
        kept_mb = rss_mb(worker._process.pid)
        index(worker, False)  # drops what it kept
        time.sleep(5)
        dropped_mb = rss_mb(worker._process.pid)
    worker.close()
    print(json.dumps({"times": times, "written": written, "mismatches": mismatches,
                      "worker_mb": [kept_mb, dropped_mb], "pages": len([s for s in order if s in sources])}))


def run(checkout: Path, sources: Path, edits: int, verify: bool) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(checkout), os.environ.get("PYTHONPATH"))))}
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", str(sources), "--edits", str(edits),
                          *(["--verify"] if verify else [])], env=env, check=True, stdout=subprocess.PIPE, text=True,
                         cwd=checkout)  # the worker's `python -c` puts the working folder first on its path
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=3000)
    parser.add_argument("--edits", type=int, default=3, help="edits of each kind")
    parser.add_argument("--against", type=Path, help="another checkout, measured the same way (before/after)")
    parser.add_argument("--sources", type=Path, help="page descriptions a previous run wrote (skips the build)")
    parser.add_argument("--keep", type=Path, help="write the corpus here (default: a temporary folder)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--verify", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.edits, args.verify)
        return
    sources = args.sources or describe(args.stories, args.keep or Path(tempfile.mkdtemp(prefix="bench-catchup-")))
    before = load()
    runs = [("this checkout", run(REPO, sources, args.edits, True))]
    if args.against:
        runs.append((f"against ({args.against})", run(args.against, sources, args.edits, False)))
    print(f"pages indexed: {runs[0][1]['pages']}; {args.edits} edits of each kind; "
          f"{os.cpu_count()} CPUs, load average {before} → {load()}\n")
    print("| checkout | edit | catch-up p50 s | max s | files rewritten (p50) |")
    print("|---|---|---:|---:|---:|")
    for label, result in runs:
        for kind in KINDS:
            times = result["times"][kind]
            print(f"| {label} | {kind} | {statistics.median(times):.2f} | {max(times):.2f} | "
                  f"{statistics.median(result['written'][kind]):.0f} |")
    print()
    for label, result in runs:
        print(f"{label}: the worker's and its Pagefind's RSS after the catch-ups "
              f"{result['worker_mb'][0]:.0f} MB, after an index it keeps nothing of {result['worker_mb'][1]:.0f} MB")
    mismatches = runs[0][1]["mismatches"]
    print("catch-up files equal a fresh index: " + ("yes" if not mismatches else f"NO ({', '.join(mismatches)})"))


if __name__ == "__main__":
    main()
