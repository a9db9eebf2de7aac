#!/usr/bin/env python3
"""Benchmark: how feed and calendar writing grows with the number of entries.

Prints a table; compare the ratios within one run (the machine is noisy).
Usage: python scripts/bench_feeds.py [N ...]   (default 100 1000 5000)
"""

from __future__ import annotations

import sys
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from site_plugins.content.dates import SHANGHAI
from site_plugins.content.schema import Audio, Lecture, Speaker, Story
from site_plugins.content.vocabulary import parse_vocabulary
from site_plugins.outputs.feeds import syndication as feeds
from site_plugins.outputs.feeds.calendar import calendars
from site_plugins.outputs.feeds.podcast import Podcast
from site_plugins.outputs.feeds.subscribe import feed_sets
from site_plugins.outputs.pages.seo import SiteInfo

ROOT = Path(__file__).resolve().parent.parent
SITE = SiteInfo("红十字大讲堂", "https://lecture.example.org/", "描述", "山西省红十字会",
                "https://lecture.example.org/", "https://lecture.example.org/logo.png")
START = datetime(2020, 1, 1, 9, 0, tzinfo=SHANGHAI)
BODY = ("<h2 id=\"一\">小标题<a class=\"headerlink\" href=\"#一\">#</a></h2>"
        + "<p>正文段落，讲述志愿者的故事。<a href=\"../other/\">相关</a></p>" * 20
        + "<picture><source srcset=\"a-480.webp 480w, a-960.webp 960w\"><img src=\"a.jpg\" alt=\"图\"></picture>")


def entries(n: int) -> tuple[list[Story], list[Lecture]]:
    keys = ["volunteer", "donor", "eldercare", "first-aid", "relief"]
    stories = [Story(kind="story", source=f"stories/s{i}.md", id=str(uuid.UUID(int=i)), title=f"故事{i}",
                     date=START + timedelta(hours=7 * i), tags=(keys[i % 5], keys[(i + 2) % 5]), slug=f"s{i}",
                     body="", summary="摘要", char_count=1000, reading_minutes=3) for i in range(n)]
    lectures = [Lecture(kind="lecture", source=f"lectures/l{i}/index.md", id=str(uuid.UUID(int=10**9 + i)),
                        title=f"讲座{i}", date=START + timedelta(days=3 * i), tags=("first-aid",), slug=f"l{i}",
                        body="", summary="摘要", char_count=500, reading_minutes=2, city="太原",
                        end=START + timedelta(days=3 * i, hours=2), speakers=(Speaker("李红梅", "讲师"),),
                        venue="培训教室")
                for i in range(n // 10)]
    return stories, lectures


def recordings(lectures: list[Lecture]) -> dict[str, Audio]:
    """Every other lecture has a published recording, so the podcast has episodes."""
    return {lec.source: Audio(f"media/{i:016x}/l{i}.mp3", "audio/mpeg", 28_800_000, 3600.0)
            for i, lec in enumerate(lectures) if i % 2}


def run(n: int) -> tuple[float, float, int]:
    vocab, _ = parse_vocabulary((ROOT / "content" / "narratives.yml").read_text(encoding="utf-8"), "narratives.yml")
    assert vocab is not None
    stories, lectures = entries(n)
    everything = [*stories, *lectures]
    audio = recordings(lectures)
    now = START + timedelta(days=10**4)
    t0 = time.perf_counter()
    size = 0
    cache: dict[tuple[str, bool], feeds.Item] = {}
    for feed in feed_sets(SITE, vocab):
        episode = "podcast" in feed.formats
        chosen = feeds.select((e for e in everything if feed.holds(e, audio)), now, 20, episode)
        items = [cache.setdefault((e.source, episode), feeds.item(e, SITE, vocab, BODY, audio.get(e.source),  # type: ignore[arg-type]
                                                                  episode=episode))
                 for e in chosen]
        for fmt in feed.formats:
            size += len(feeds.render(fmt, feed.channel, items, Podcast(email="podcast@example.org")))
    t1 = time.perf_counter()
    whole, own = calendars(lectures, SITE)  # calendar.ics and one file per lecture
    size += len(whole) + sum(len(data) for data in own.values())
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, size


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [100, 1000, 5000]
    print(f"{'stories':>8} {'lectures':>8} {'feeds ms':>9} {'ics ms':>8} {'bytes':>10} {'feeds ×':>8}")
    base = None
    for n in sizes:
        feeds_s, ics_s, size = run(n)
        base = base or feeds_s
        print(f"{n:>8} {n // 10:>8} {feeds_s * 1000:>9.1f} {ics_s * 1000:>8.1f} {size:>10} {feeds_s / base:>8.2f}")


if __name__ == "__main__":
    main()
