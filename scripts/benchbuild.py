"""One timed build of a benchmark corpus in a fresh process, and what it made.

`build_once` runs `mkdocs build` in a child Python process (with a timer around every
plugin event handler), samples the memory of that process and of every process it starts
(scripts/proctree.py: rc-search's worker, Pagefind, the media pools) and returns wall
time, CPU time (the build's and its children's), each plugin's time and the peaks.
`site_stats` measures the site it wrote. Used by `scripts/bench` and `scripts/bench_memory.py`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchcorpus import BUILD_TIME
from checkout_env import checkout_pythonpath
from proctree import Peaks, sampled

REPO = Path(__file__).resolve().parent.parent

# Runs inside the child process: `mkdocs build` plus a timer around every plugin event handler.
DRIVER = r"""
import json, logging, resource, sys, time
from collections import defaultdict
from mkdocs.commands.build import build
from mkdocs.config import load_config

search_log = logging.getLogger("mkdocs.plugins.rc-search")  # its line of step times, on stderr
search_log.setLevel(logging.INFO)
search_log.addHandler(logging.StreamHandler())

config = load_config(config_file=sys.argv[1], site_dir=sys.argv[2])
spent = defaultdict(float)
plugins = config.plugins
for event, methods in plugins.events.items():
    for i, method in enumerate(methods):
        origin = plugins._event_origins.get(method, "<unknown>")
        def timed(*args, _method=method, _origin=origin, **kwargs):
            start = time.perf_counter()
            try:
                return _method(*args, **kwargs)
            finally:
                spent[_origin] += time.perf_counter() - start
        methods[i] = timed
        plugins._event_origins[timed] = origin
start = time.perf_counter()
plugins.on_startup(command="build", dirty=False)
try:
    build(config)
finally:
    plugins.on_shutdown()
# Exit handlers stop worker processes (rc-search's index worker, which reaps Pagefind), so
# their CPU time is in RUSAGE_CHILDREN below.
import atexit
atexit._run_exitfuncs()
me, pool = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print("BENCH " + json.dumps({"build": time.perf_counter() - start, "plugins": spent,
                             "cpu": me.ru_utime + me.ru_stime + pool.ru_utime + pool.ru_stime}))
"""


def build_once(config: Path, site: Path, timeline: bool = False, repo: Path = REPO) -> dict:
    """One build in a fresh process: wall time (process start to exit) and what the driver reports.

    The build writes into an empty folder, as CI does: deleting the previous site is
    left out of the timing (on this VM's ext4 with `discard`, unlinking a freshly
    written site costs several ms a file and swamped everything else). `peak_all` is
    the peak of all its processes together, `peaks` the sampler's detail (with a
    timeline of every sample if `timeline`). `repo`: the checkout whose plugins build it.
    """
    if site.exists():
        shutil.rmtree(site)
    # PYTHONPATH: measure this checkout's plugins and entry points, whatever `pip install -e` last saw.
    path = checkout_pythonpath(repo)
    env = {**os.environ, "SITE_BUILD_TIME": BUILD_TIME, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": path}
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", DRIVER, str(config), str(site)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env, cwd=config.parent)
    sampler = sampled(process.pid, keep_timeline=timeline)
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - start
    peaks = sampler.stop()
    line = next((x for x in stdout.splitlines() if x.startswith("BENCH ")), None)
    if process.returncode != 0 or line is None:
        sys.exit(f"build failed ({config.name}):\n{stdout[-3000:]}\n{stderr[-3000:]}")
    report = json.loads(line[len("BENCH "):])
    report["wall"] = wall
    report["peak_all"] = peaks.total  # bytes: the largest sum over the build's processes (proctree)
    report["peaks"] = peaks
    report["log"] = [x.strip() for x in stderr.splitlines() if "rc-search:" in x]  # its steps' times
    return report


def site_stats(site: Path, story: str) -> dict:
    files = [p for p in site.rglob("*") if p.is_file()]
    page = site / story / "index.html"
    # The search index: Pagefind's bundle and our query data, or Material's search_index.json.
    index = [p for p in files if (p.relative_to(site).parts[0] == "pagefind" and p.suffix != ".gz")
             or p.relative_to(site).as_posix() in ("search/query.json", "search/search_index.json")]
    return {"pages": sum(1 for p in files if p.suffix == ".html"),
            "bytes": sum(p.stat().st_size for p in files),
            "story_bytes": page.stat().st_size if page.is_file() else 0,
            "index_bytes": sum(p.stat().st_size for p in index)}


def memory_table(builds: dict[str, Peaks]) -> str:
    """A Markdown table: per build, the peak of all its processes together, when it came (seconds
    after the start) and what each kind of process held at that moment; in parentheses, that
    kind's own peak in the same build (which may have come at another moment)."""
    mb = 2**20
    kinds = sorted({k for peaks in builds.values() for k in peaks.kinds}, key=lambda k: (k != "build", k))
    lines = ["Peak memory of all processes together, MB (sampled every 50 ms; per kind: at that moment (own peak)):",
             "", "| build | all processes | at s | " + " | ".join(kinds) + " |",
             "|---|---:|---:|" + "---:|" * len(kinds)]
    for name, peaks in builds.items():
        cells = [f"{peaks.composition.get(k, 0) / mb:.0f} ({peaks.kinds[k] / mb:.0f})" if k in peaks.kinds else "–"
                 for k in kinds]
        lines.append(f"| {name} | {peaks.total / mb:.0f} | {peaks.at:.1f} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
