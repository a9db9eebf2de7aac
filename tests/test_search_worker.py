"""The search worker (site_plugins/outputs/search/worker.py): the process that builds the index
beside the build. What a built site's index holds is tested in test_search.py and test_browser.py."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_plugins.outputs.search import records as search
from site_plugins.outputs.search.worker import INDEX_CONFIG, Bundle, SearchError, SearchWorker

from .conftest import REPO

pytestmark = pytest.mark.build
TIMEOUT = 120  # seconds: far more than an index of a few pages takes


def page(slug: str, text: str, day: int = 5) -> search.PageSource:
    facts = search.Facts(kind="story", date=f"2026年3月{day}日", iso=f"2026-03-{day:02d}")
    return search.PageSource(f"/stories/{slug}/", f"{text}的故事", f"<p>{text}。</p>", facts, pinyin=True)


def urls(files: Bundle) -> set[str]:
    out = set()
    for name, data in files.items():
        if name.startswith("fragment/"):
            raw = gzip.decompress(data)
            out.add(json.loads(raw[raw.index(b"{"):])["url"])
    return out


@pytest.fixture(scope="module")
def worker() -> Iterator[SearchWorker]:
    """One worker for the module's builds, as a build process keeps one for all of its builds."""
    one = SearchWorker()
    yield one
    one.close()


def test_the_worker_indexes_the_pages_it_is_given(worker: SearchWorker) -> None:
    worker.begin(INDEX_CONFIG)
    worker.ready(TIMEOUT)
    for n, text in enumerate(("志愿者", "献血", "养老")):
        worker.add(page(f"s{n}", text, day=n + 1))
    worker.finish()
    result = worker.result(TIMEOUT)
    assert result.pages == 3
    assert urls(result.files) == {"/stories/s0/", "/stories/s1/", "/stories/s2/"}
    assert "pagefind-entry.json" in result.files and "pagefind.js" in result.files
    assert not set(result.files) & {"pagefind-ui.js", "pagefind-highlight.js"}  # UI bundles are left out
    assert len(result.sorts["date"]) == 3
    assert set(result.took) == {"last pages", "Pagefind's files", "canonical order"}


def test_an_aborted_build_never_answers_for_the_next_one(worker: SearchWorker) -> None:
    worker.begin(INDEX_CONFIG)
    worker.add(page("old", "旧的"))
    worker.abort()  # a build that failed after some pages were handed over
    worker.begin(INDEX_CONFIG)
    worker.add(page("new", "新的"))
    worker.finish()
    result = worker.result(TIMEOUT)
    assert urls(result.files) == {"/stories/new/"} and result.pages == 1


def test_a_worker_that_died_is_reported_in_chinese_and_the_next_build_starts_another(worker: SearchWorker) -> None:
    worker.begin(INDEX_CONFIG)
    worker.ready(TIMEOUT)
    assert worker._process is not None
    worker._process.kill()
    worker.add(page("a", "志愿者"))
    worker.finish()
    with pytest.raises(SearchError, match="搜索索引进程意外退出"):
        worker.result(TIMEOUT)
    worker.begin(INDEX_CONFIG)
    worker.add(page("b", "志愿者"))
    worker.finish()
    assert urls(worker.result(TIMEOUT).files) == {"/stories/b/"}


PARENT = """
import sys, time
from site_plugins.outputs.search.worker import SearchWorker
worker = SearchWorker()
worker.begin({"force_language": "zh", "write_playground": False})
worker.ready(120)
print(worker._process.pid, flush=True)
time.sleep(600)
"""


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1][0] != "Z"  # a zombie has exited
    except FileNotFoundError:
        return False


def children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().split(") ")[1].split()[1]) == pid:
                        out.append(int(entry))
            except (FileNotFoundError, ProcessLookupError):
                pass
    return out


def test_the_worker_and_pagefind_never_outlive_a_killed_parent() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True, env=env)
    assert parent.stdout is not None
    worker = int(parent.stdout.readline())
    pagefind = children(worker)
    assert pagefind and all(alive(pid) for pid in [worker, *pagefind])
    parent.send_signal(signal.SIGKILL)  # no atexit, no close(): only the pipe closing tells the worker
    parent.wait()
    deadline = time.monotonic() + 30
    while any(alive(pid) for pid in [worker, *pagefind]):
        assert time.monotonic() < deadline, "the worker or Pagefind outlived its parent"
        time.sleep(0.05)


def test_a_hung_pagefind_is_stopped_with_its_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind that never answers: the build's wait ends at its limit, in Chinese, and no process is left."""
    hung = tmp_path / "pagefind"
    hung.write_text("#!/bin/sh\nexec sleep 600\n", encoding="utf-8")
    hung.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(hung))  # pagefind's own switch for its binary
    one = SearchWorker()
    try:
        one.begin(INDEX_CONFIG)
        assert one._process is not None
        worker = one._process.pid
        deadline = time.monotonic() + 30
        while not children(worker):  # the worker has started the fake Pagefind
            assert time.monotonic() < deadline
            time.sleep(0.05)
        pagefind = children(worker)
        started = time.monotonic()
        with pytest.raises(SearchError, match=r"Pagefind 在 2 秒内没有启动.*rc-search 的 timeout"):
            one.ready(2)
        assert time.monotonic() - started < 15
        deadline = time.monotonic() + 10  # SIGKILL is delivered at once, but the orphaned Pagefind dies a moment later
        while any(alive(pid) for pid in [worker, *pagefind]):
            assert time.monotonic() < deadline, "the hung Pagefind or its worker is still running"
            time.sleep(0.05)
    finally:
        one.close()
