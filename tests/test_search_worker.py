"""The search worker (site_plugins/outputs/search/worker.py): the process that builds the index
beside the build. What a built site's index holds is tested in test_search.py and test_browser.py."""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from site_plugins.outputs.search import bundle
from site_plugins.outputs.search import records as search
from site_plugins.outputs.search.indexer import UNUSED, cuts_after, warm_service
from site_plugins.outputs.search.pagefind import bundle_files
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


def varied_pages() -> list[search.PageSource]:
    """Pages that exercise every part of a merge: words in one page or many, meta fields some
    pages lack (city, image), filters, equal dates, Latin words with and without accents
    (Pagefind's variants), pinyin, a narrative and a plain page."""
    out = []
    cities = ("太原", "", "大同", "运城")
    texts = ("志愿者在社区教居民做心肺复苏", "献血车停在广场上 Café AED", "养老院的老人们 café cafe",
             "造血干细胞捐献者 2026 CPR", "救灾物资 résumé resume", "红十字志愿者上岗培训")
    for n in range(23):
        facts = search.Facts(kind="story" if n % 5 else "lecture", date=f"2026年3月{n % 4 + 1}日",
                             iso=f"2026-03-{n % 4 + 1:02d}", city=cities[n % 4],
                             narratives=(("volunteer", "志愿服务"),) if n % 2 else (("blood", "无偿献血"),),
                             image=f"/media/{n}.jpg" if n % 3 == 0 else "")
        text = texts[n % len(texts)]
        out.append(search.PageSource(f"/stories/s{n}/", f"{text[:6]}（第{n}篇）", f"<p>{text}。第{n}段。</p>" * (n % 3 + 1),
                                     facts, "导语：" + text[::-1], lead_unless_in_body=True, terms="专题：志愿服务（义工）",
                                     pinyin=True))
    out.append(search.PageSource("/narratives/volunteer/", "志愿服务", "", search.Facts(kind="narrative"), "志愿者的故事"))
    out.append(search.PageSource("/about/", "关于我们", "<p>电话 0351-1234567</p>", search.Facts(kind="page")))
    return out


def test_the_index_is_the_same_whatever_the_shard_size(worker: SearchWorker) -> None:
    """Pagefind gets the pages `shard` at a time; the merged files are the same bytes for any shard size."""
    results = []
    for shard in (1000, 4, 1):
        worker.begin(INDEX_CONFIG, shard)
        for source in varied_pages():
            worker.add(source)
        worker.finish()
        results.append(worker.result(TIMEOUT))
    # a shard ends after a page its address picks, or when it is full (indexer.cuts_after)
    expected = []
    for shard in (1000, 4, 1):
        count = shards = 0
        for source in varied_pages():
            count += 1
            if cuts_after(source.url, count, shard):
                shards, count = shards + 1, 0
        expected.append(shards + (count > 0))
    assert [r.shards for r in results] == expected and expected[1] >= 7 and expected[2] == 25
    assert [r.indexed for r in results] == expected  # a worker told not to keep its shards makes every one
    assert all(r.pages == 25 for r in results)
    assert results[1].files == results[0].files and results[2].files == results[0].files
    assert results[1].sorts == results[0].sorts == results[2].sorts
    assert len(results[0].sorts["date"]) == 23


def decoded(files: Bundle) -> dict[str, Any]:
    """What an index holds, by meaning: every word's pages in order, chunk bounds (a dominant word's
    chunk split, as ours are), filters, sort orders by page id, fragments, the files every index has."""
    entry = json.loads(files["pagefind-entry.json"])
    info = entry["languages"]["zh"]
    meta = bundle.decode(files[f"pagefind.{info['hash']}.pf_meta"], "meta")
    words, ends = [], []
    for _, _, chunk in meta[2]:
        chunk_words = bundle.decode(files[f"index/{chunk}.pf_index"], chunk)[0]
        for part in bundle.split_dominant([(word, bundle._units(word)) for word in chunk_words]):
            ends.append((part[0][0], part[-1][0]))
            words += part
    filters = {}
    for name, file in meta[3]:
        name_in_file, values = bundle.decode(files[f"filter/{file}.pf_filter"], file)
        filters[name] = (name_in_file, sorted(values))
    return {"version": meta[0], "pages": meta[1], "bounds": bundle.chunk_bounds(ends), "words": words,
            "filters": filters, "sorts": {key: [meta[1][i][0] for i in order] for key, order in meta[4]},
            "fields": meta[5], "page_count": info["page_count"],
            "fragments": {path: gzip.decompress(data) for path, data in files.items() if path.startswith("fragment/")},
            "common": {path: data for path, data in files.items() if path.endswith((".js", ".pagefind"))}}


def test_the_merged_index_holds_what_pagefind_writes_for_all_pages_at_once(worker: SearchWorker) -> None:
    """Decoded, the merged shards are Pagefind's own index of all the pages in one go: the same page
    numbers and fragments, words, positions and variants, filters and sort order."""

    async def at_once() -> Bundle:
        service = await warm_service()
        index = await service.create_index(INDEX_CONFIG)
        for source in varied_pages():
            made = search.record(source)
            await index.add_html_file(content=made.html, url=made.url)
        files = await bundle_files(index)
        await service.close()
        return {name: data for name, data in files.items() if name not in UNUSED}

    # A thread of its own: a browser test's Playwright may have left its event loop running on this one.
    with ThreadPoolExecutor(1) as pool:
        theirs = decoded(pool.submit(asyncio.run, at_once()).result())
    worker.begin(INDEX_CONFIG, 3)
    for source in varied_pages():
        worker.add(source)
    worker.finish()
    merged = worker.result(TIMEOUT)
    assert merged.shards >= 9  # at most 3 pages a shard
    ours = decoded(merged.files)
    assert ours.pop("sorts") == {} and merged.sorts == theirs.pop("sorts")  # ours are out of the metadata
    assert any(word[2] for word in ours["words"]), "accented words are Pagefind's variants"
    assert len(ours["fields"]) > 5 and ours == theirs
