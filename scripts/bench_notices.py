#!/usr/bin/env python3
"""Benchmark the printable lecture notices: layout, cold render (pool and one process), warm.

Makes N distinct synthetic lectures (default 60), lays each notice out (what every build
and `scripts/check` pay), renders them into an empty cache over the process pool the
build uses (cold), finds them all in the cache (warm), and renders a sample in this
process. Prints a table and the cold cost extrapolated to 600 lectures; it asserts
nothing about time (the machine is shared and noisy: read the ratios within one run).

Usage::

    python scripts/bench_notices.py [--count 60] [--serial 6] [--workers 0]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from site_plugins.content.dates import SHANGHAI  # noqa: E402
from site_plugins.content.schema import Lecture, Speaker  # noqa: E402
from site_plugins.media.cache import Cache, process_notices  # noqa: E402
from site_plugins.media.notice import NoticeSpec, layout, notice_cuts, spec_for  # noqa: E402
from site_plugins.media.pdf import render, renderer_id  # noqa: E402
from site_plugins.media.pool import Runner  # noqa: E402

SUMMARY = "心脏骤停发生后的四分钟是抢救的黄金时间。本次讲座讲解识别心脏骤停、胸外按压和人工呼吸的要领，并现场演示 AED 的使用。"


def lectures(count: int) -> list[Lecture]:
    start = datetime(2026, 3, 1, 14, 30, tzinfo=SHANGHAI)
    return [Lecture(kind="lecture", source=f"lectures/b{i}/index.md", id=str(i), title=f"第{i}期 家门口的急救课：心肺复苏与AED",
                    date=start + timedelta(days=i), tags=("first-aid",), slug=f"bench-lecture-{i:05d}", body="",
                    summary=SUMMARY * (1 + i % 3), char_count=0, reading_minutes=1, city="太原",
                    end=start + timedelta(days=i, minutes=90), venue=f"迎泽区第{i}社区服务中心三楼多功能厅",
                    speakers=(Speaker("李红梅", "省红十字会应急救护培训中心讲师"),) * (1 + i % 2))
            for i in range(count)]


def specs(items: list[Lecture]) -> list[NoticeSpec]:
    return [spec_for(lec, f"https://lecture.example.org/lectures/{lec.slug}/", "红十字大讲堂", "山西省红十字会",
                     "0351-1234567") for lec in items]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--serial", type=int, default=6)
    parser.add_argument("--workers", type=int, default=0, help="pool size (0: all cores, as the build)")
    args = parser.parse_args(argv)
    items = lectures(args.count)
    all_specs = specs(items)
    rows: list[tuple[str, int, float]] = []

    began = time.perf_counter()
    for lec in items:
        notice_cuts(lec)  # scripts/check's share: the lecture laid out alone
    rows.append(("check: lay out, report cuts", len(items), time.perf_counter() - began))

    renderer = renderer_id()
    with tempfile.TemporaryDirectory(prefix="rc-bench-notices-") as tmp:
        cache = Cache(Path(tmp))
        jobs = [(spec.key(renderer), spec) for spec in all_specs]
        with Runner(args.workers) as runner:
            began = time.perf_counter()
            batch = process_notices(cache, jobs, runner)
            rows.append((f"cold: pool of {runner.workers} (incl. worker start)", batch.encoded, time.perf_counter() - began))
            began = time.perf_counter()
            warm = process_notices(cache, jobs, runner)
            rows.append(("warm: all cached", warm.cached, time.perf_counter() - began))
        sizes = [cache.path(key, "notice.pdf").stat().st_size for key, _spec in jobs]
    sample = all_specs[: args.serial]
    from site_plugins.media.notice import notice_html

    render(notice_html(sample[0])[0])  # WeasyPrint imported and the fonts loaded, as in a warm worker
    began = time.perf_counter()
    for spec in sample:
        layout(spec)
        render(notice_html(spec)[0])
    rows.append(("one process, warm (lay out + render)", len(sample), time.perf_counter() - began))

    print(f"{'step':44} {'notices':>8} {'seconds':>9} {'s/notice':>9}")
    for name, count, seconds in rows:
        print(f"{name:44} {count:8d} {seconds:9.2f} {seconds / max(count, 1):9.3f}")
    cold = rows[1][2] / max(rows[1][1], 1)
    print(f"\nPDF size: {min(sizes) / 1e3:.0f}-{max(sizes) / 1e3:.0f} KB; cold at 600 lectures ≈ {600 * cold:.0f} s "
          f"(pool), warm ≈ {600 * rows[2][2] / max(rows[2][1], 1):.2f} s; load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
