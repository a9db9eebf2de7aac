#!/usr/bin/env python3
"""Benchmark scripts/check on a synthetic content folder (default 1,000 files).

Prints a table: wall time of the whole command (as the pre-commit hook runs
it: interpreter start, imports, checking) for all files and for one file,
and where the time goes in-process. Compare rows within one run: the machine
is shared and noisy.

    scripts/bench_check.py [--files 1000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

PARAGRAPH = ("腊月里的太原，早上七点多天还灰蒙蒙的。迎泽大街上的一个公交站台挤满了拎着行李、准备回老家过年的人。"
             "二十六岁的张晓宇穿着一件印有红十字的红马甲，站在站牌旁边给旅客指路。") * 3
TAGS = ["[志愿服务]", "[应急救护, 志愿服务]", "[捐赠]", "[救灾救助]", "[献血]"]


def story(i: int, files: int) -> str:
    other = (i * 7 + 3) % files
    body = "\n\n".join([
        PARAGRAPH, "## 一个突然倒下的人", PARAGRAPH,
        f"> 引用一句话。\n\n相关阅读：[另一篇故事](s{other:04d}.md)，[本文开头](#一个突然倒下的人)。",
        "## 课堂上的那个周末", PARAGRAPH, PARAGRAPH,
    ])
    return (f"---\nid: {uuid.UUID(int=i)}\ntitle: 第{i}篇故事\ndate: 2025-{1 + i % 12:02d}-{1 + i % 28:02d} 09:30\n"
            f"tags: {TAGS[i % len(TAGS)]}\nsummary: 一句话摘要。\nauthors: [wangli]\ncity: 太原\n---\n\n{body}\n")


def lecture(i: int) -> str:
    return (f"---\nid: {uuid.UUID(int=10**6 + i)}\ntitle: 第{i}场讲座\ndate: 2025-{1 + i % 12:02d}-{1 + i % 28:02d} 14:30\n"
            "duration: 90\ntags: [应急救护]\nspeakers:\n  - name: 李红梅\n    affiliation: 讲师\n"
            f"venue: 培训教室\ncity: 太原\n---\n\n{PARAGRAPH}\n\n## 讲座要点\n\n{PARAGRAPH}\n")


def make_content(root: Path, files: int) -> Path:
    """A content folder like the real one: 90% stories, 10% lecture bundles."""
    content = root / "content"
    (content / "stories").mkdir(parents=True)
    shutil.copy(REPO / "content" / "narratives.yml", content)
    (content / "authors.yml").write_text("wangli:\n  name: 王丽\n", encoding="utf-8")
    (content / "index.md").write_text("---\ntitle: 首页\n---\n\n# 首页\n", encoding="utf-8")
    lectures = files // 10
    for i in range(files - lectures):
        (content / "stories" / f"s{i:04d}.md").write_text(story(i, files - lectures), encoding="utf-8")
    for i in range(lectures):
        folder = content / "lectures" / f"l{i:04d}"
        folder.mkdir(parents=True)
        (folder / "index.md").write_text(lecture(i), encoding="utf-8")
    return content


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def command(content: Path, *paths: str) -> Callable[[], object]:
    def run() -> None:
        result = subprocess.run([sys.executable, str(REPO / "scripts" / "check"), "--content", str(content), *paths],
                                capture_output=True, text=True, env={"SITE_BUILD_TIME": "2026-11-29T12:00:00+08:00",
                                                                      "PATH": "/usr/bin:/bin"})
        if result.returncode != 0:
            raise SystemExit(f"check failed:\n{result.stdout}{result.stderr}")
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from site_plugins import settings as site_settings
    from site_plugins.check import checker
    from site_plugins.content.catalog import load_catalog
    from site_plugins.content.dates import build_time

    with tempfile.TemporaryDirectory() as tmp:
        content = make_content(Path(tmp), args.files)
        one = str(content / "stories" / "s0001.md")
        now = build_time({"SITE_BUILD_TIME": "2026-11-29T12:00:00+08:00"})
        settings = site_settings.beside(content)  # the temporary folder has no mkdocs.yml: the defaults
        rows = [
            ("scripts/check (all files)", timed(command(content), args.repeat)),
            ("scripts/check one file", timed(command(content, one), args.repeat)),
            ("python -c pass (startup)", timed(lambda: subprocess.run([sys.executable, "-c", "pass"]), args.repeat)),
            ("in-process: load_catalog", timed(lambda: load_catalog(content), args.repeat)),
            ("in-process: run() all", timed(lambda: checker.run(content, checker.Selection(), now, settings), args.repeat)),
        ]
    print(f"scripts/check on {args.files} synthetic files ({args.files - args.files // 10} stories, "
          f"{args.files // 10} lectures), {args.repeat} runs each")
    print(f"{'what':32} {'min s':>8} {'median s':>9} {'max s':>8}")
    for name, times in rows:
        print(f"{name:32} {min(times):8.3f} {statistics.median(times):9.3f} {max(times):8.3f}")


if __name__ == "__main__":
    main()
