"""`scripts/bench --serve`: save → visible in our preview and in plain `mkdocs serve`, side by side.

Each server gets its own copy of the bench corpus (scripts/benchcorpus.py) and a free port
on 127.0.0.1: ours is `scripts/serve -f <corpus>/mkdocs.yml`, whatever it does inside; the
reference is plain Material's `mkdocs serve` of the plugin-free config, livereload on, as a
user gets it. "first preview" is process start → the home page answering 200. Then the
scripted edits (scripts/benchedits.py: bodies, titles, tags, new files, interleaved) go to
both copies, one server at a time, alternating which goes first: save, start the clock, poll
the pages where the edit must show over HTTP until every one shows it. Before each save the
bench makes sure the text is not already there, and after each it waits until the server's
processes are idle, so one server's leftover work never lands in the other's measurement.

Plain Material shows no tags: for its tag edits the clock stops at MkDocs' reload signal
(the `/livereload/` long poll a browser waits on answering with a newer build).
Peak memory is of all the server's processes over the whole run (scripts/proctree.py).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from benchcorpus import BUILD_TIME, write_corpus
from benchedits import KINDS, Check, Edit, sequence
from checkout_env import checkout_pythonpath
from proctree import Sampler, sampled

REPO = Path(__file__).resolve().parent.parent
NAMES = {"ours": "ours (scripts/serve)", "reference": "reference (plain mkdocs serve)"}
POLL = 0.02  # seconds between two looks at a page
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    port: int
    content: Path
    sampler: Sampler
    first: float | None = None  # seconds: start → the home page answers 200
    times: dict[str, list[float]] = field(default_factory=dict)  # per kind, save → visible
    failures: list[str] = field(default_factory=list)

    def get(self, path: str, timeout: float) -> tuple[int, str]:
        """(status, body) of a page; (0, "") when the server does not answer in time."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{path}", timeout=max(timeout, 0.1)) as r:
                return r.status, r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, ""
        except (OSError, TimeoutError):
            return 0, ""


# Each server's own port when free: the preview draws its posters' QR codes with its address, so a
# corpus kept with --keep finds them drawn at the next run (3,000 stories: 7,200 posters, minutes).
PORTS = {"ours": 8731, "reference": 8732}


def free_port(preferred: int = 0) -> int:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", preferred))
        except OSError:
            s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(name: str, root: Path, config: Path, timeout: float) -> Server:
    """Start one server on its own corpus copy and wait for its home page."""
    port = free_port(PORTS.get(name, 0))
    if name == "ours":
        argv = [sys.executable, str(REPO / "scripts" / "serve"), "-f", str(config), "-a", f"127.0.0.1:{port}"]
    else:
        argv = [sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"127.0.0.1:{port}"]
    env = {**os.environ, "SITE_BUILD_TIME": BUILD_TIME, "NO_MKDOCS_2_WARNING": "1",
           "PYTHONPATH": checkout_pythonpath(REPO)}
    log = (root / "server.log").open("w", encoding="utf-8")  # a pipe nobody reads would fill and stall it
    began = time.perf_counter()
    process = subprocess.Popen(argv, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    server = Server(name, process, port, root / "content", sampled(process.pid))
    while time.perf_counter() - began < timeout and process.poll() is None:
        if server.get("", 5)[0] == 200:
            server.first = time.perf_counter() - began
            break
        time.sleep(0.1)
    if server.first is None:
        stop(server)
        raise RuntimeError(f"{NAMES[name]} did not serve its home page in {timeout:.0f} s; "
                           f"its log: {root / 'server.log'}\n" + (root / "server.log").read_text()[-3000:])
    return server


def stop(server: Server) -> None:
    """SIGTERM (scripts/serve and MkDocs shut down as on Ctrl-C), then SIGKILL its group if it hangs."""
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait()
    server.sampler.stop()


def tree_cpu(root: int) -> float:
    """CPU seconds used so far by the live processes of the tree under `root`."""
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_bytes()
            except OSError:
                continue
            fields = stat[stat.rindex(b")") + 2:].split()
            parents[int(entry)] = int(fields[1])
            cpu[int(entry)] = (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime
    tree, todo = set(), [root]
    while todo:
        pid = todo.pop()
        tree.add(pid)
        todo += [p for p, parent in parents.items() if parent == pid and p not in tree]
    return sum(cpu.get(pid, 0.0) for pid in tree)


def wait_idle(server: Server, limit: float = 60.0) -> None:
    """Until the server's processes use under 5% of a core for half a second (at most `limit` s)."""
    deadline = time.perf_counter() + limit
    before = tree_cpu(server.process.pid)
    while time.perf_counter() < deadline:
        time.sleep(0.5)
        now = tree_cpu(server.process.pid)
        if now - before < 0.025:
            return
        before = now


def reload_epoch(server: Server, after: int, timeout: float) -> int:
    """MkDocs' livereload: the newest fully built epoch, waiting up to `timeout` for one after `after`."""
    status, body = server.get(f"livereload/{after}/1", timeout)
    return int(body) if status == 200 and body.strip().isdigit() else after


def measure(server: Server, edit: Edit, timeout: float) -> None:
    """Save `edit` into the server's corpus and time it until every check shows; a timeout is a failure."""
    label = f"{edit.kind} #{edit.number} ({edit.path})"
    for check in edit.checks:
        if not check.reload and check.seen(server.get(check.url, timeout)[1]):
            server.failures.append(f"{label}: already on /{check.url} before the save")
            return
    epoch = reload_epoch(server, 0, 5) if any(c.reload for c in edit.checks) else 0
    edit.apply(server.content)
    began = time.perf_counter()
    waiting: list[Check] = list(edit.checks)
    while waiting:
        left = timeout - (time.perf_counter() - began)
        if left <= 0:
            server.failures.append(f"{label}: not on /{waiting[0].url} after {timeout:.0f} s")
            return
        check = waiting[0]
        if check.reload:
            if reload_epoch(server, epoch, min(left, 10)) > epoch:
                waiting.pop(0)
            continue
        status, html = server.get(check.url, left)
        if status == 200 and check.seen(html):
            waiting.pop(0)
        else:
            time.sleep(POLL)
    server.times.setdefault(edit.kind, []).append(time.perf_counter() - began)


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) with linear interpolation between the closest ranks."""
    ordered = sorted(values)
    at = (len(ordered) - 1) * q
    low = int(at)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (at - low)


def run(root: Path, stories: int, edits: int, timeout: float = 120.0) -> dict[str, Server]:
    """Both servers on their corpus copies through the whole edit sequence; stopped at the end."""
    ours_root, ref_root = root / "ours", root / "reference"
    ours_config, _ = write_corpus(ours_root, REPO, stories)
    _, ref_config = write_corpus(ref_root, REPO, stories)
    plans = {"ours": sequence(ours_root / "content", KINDS, edits),
             "reference": sequence(ref_root / "content", KINDS, edits, reference=True)}
    servers: dict[str, Server] = {}
    try:
        for name, where, config in (("ours", ours_root, ours_config), ("reference", ref_root, ref_config)):
            servers[name] = start(name, where, config, timeout=max(timeout, 3600))  # cold caches: drawing
            wait_idle(servers[name])
        for i in range(len(plans["ours"])):
            for name in ("ours", "reference") if i % 2 == 0 else ("reference", "ours"):
                measure(servers[name], plans[name][i], timeout)
                wait_idle(servers[name])
    finally:
        for server in servers.values():
            stop(server)
    return servers


def table(servers: dict[str, Server], edits: int) -> str:
    """The Markdown tables and `serve overhead: R` (our median save → visible / the reference's)."""
    lines = ["| server | edit | visible | p50 s | p95 s | max s |", "|---|---|---:|---:|---:|---:|"]
    overall: dict[str, list[float]] = {}
    for name, server in servers.items():
        for kind in (*KINDS, "overall"):
            times = server.times.get(kind, []) if kind != "overall" else [t for k in KINDS for t in server.times.get(k, [])]
            wanted = edits * (len(KINDS) if kind == "overall" else 1)
            cells = [f"{percentile(times, q):.2f}" for q in (0.5, 0.95, 1.0)] if times else ["–"] * 3
            lines.append(f"| {NAMES[name]} | {kind} | {len(times)}/{wanted} | " + " | ".join(cells) + " |")
        overall[name] = [t for k in KINDS for t in server.times.get(k, [])]
    lines += ["", "| server | first preview served s | peak MB (all processes) |", "|---|---:|---:|"]
    for name, server in servers.items():
        first = f"{server.first:.2f}" if server.first is not None else "–"
        lines.append(f"| {NAMES[name]} | {first} | {server.sampler.peaks.total / 2**20:.0f} |")
    for name, server in servers.items():
        lines += [f"failed ({NAMES[name]}): {failure}" for failure in server.failures]
    lines.append("reference tag edits: plain Material shows no tags; timed to its reload signal")
    if overall["ours"] and overall["reference"]:
        ratio = percentile(overall["ours"], 0.5) / percentile(overall["reference"], 0.5)
        lines.append(f"serve overhead: {ratio:.2f}")
    return "\n".join(lines)


def main(stories: int, edits: int, keep: Path | None, timeout: float) -> str:
    """Run the serve bench (in `keep`, else a temporary folder) and return its printed report."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="rc-bench-serve-") as tmp:
        root = keep or Path(tmp)
        servers = run(root, stories, edits, timeout)
        header = (f"corpus: {stories} stories, {max(stories // 5, 1)} lectures; {edits} edits of each kind "
                  f"({', '.join(KINDS)}) per server, alternating; {os.cpu_count()} CPUs, "
                  f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        return header + "\n\n" + table(servers, edits)


if __name__ == "__main__":
    raise SystemExit("run it as: scripts/bench --serve [--stories N] [--edits K]")
