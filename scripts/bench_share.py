"""Benchmark the share pictures: time per poster and square image, cold and warm, bytes.

Makes N story and lecture specs (varied titles, summaries, speakers; a real
cover for every other square), then draws them with the pipeline the build
uses (`share_drawings` + `process_drawings`) into an empty cache: serially on a
sample (wall and CPU ms per picture), over a process pool of all cores (cold, the whole
batch), and again with the cache filled (warm: keys and manifests only). A
social card is drawn beside them for comparison. Prints a table; it asserts
nothing about time (the machine is shared and noisy: read ratios within a run).

Usage::

    python scripts/bench_share.py [--entries 300] [--serial 20]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from site_plugins.content.catalog import load_catalog  # noqa: E402
from site_plugins.content.schema import Entry, Lecture, Speaker  # noqa: E402
from site_plugins.content.vocabulary import Vocabulary  # noqa: E402
from site_plugins.media.cache import Cache, process_drawings  # noqa: E402
from site_plugins.media.pool import Runner  # noqa: E402
from site_plugins.media.share import share_drawings  # noqa: E402
from site_plugins.media.social import draw_social_image, encode_social_image, font_chain, spec_for  # noqa: E402

LOGO = REPO / "assets" / "overrides" / "assets" / "images" / "logo.png"
SITE = "https://lecture.example.org/"


def entries(count: int) -> tuple[list[Entry], Vocabulary]:
    """`count` entries made from the sample's, each with its own slug, title and summary."""
    catalog, problems = load_catalog(REPO / "content")
    assert catalog is not None, problems
    base = [*catalog.stories, *catalog.lectures]
    out: list[Entry] = []
    for i in range(count):
        entry = base[i % len(base)]
        extra = {"slug": f"{entry.slug}-{i}", "source": f"bench/{i}/{entry.source}", "id": str(uuid.uuid5(uuid.NAMESPACE_URL, str(i))),
                 "title": f"{entry.title}（第{i}期）", "summary": entry.summary + f"第{i}篇。",
                 "date": entry.date + timedelta(days=i)}
        if isinstance(entry, Lecture):
            extra["speakers"] = (*entry.speakers, Speaker(f"讲师{i}", "红十字救护培训志愿者"))
        out.append(dataclasses.replace(entry, **extra))
    return out, catalog.vocabulary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=300)
    parser.add_argument("--serial", type=int, default=20, help="pictures of each kind drawn in this process")
    args = parser.parse_args()
    fonts = font_chain()
    items, vocab = entries(args.entries)
    cover = str(REPO / "content" / "lectures" / "xinfei-fusu-aed-rumen" / "cover.jpg")
    covers = {e.source: (cover, "bench-cover") for i, e in enumerate(items) if i % 2}
    drawings = share_drawings(items, vocab, "红十字大讲堂", SITE, covers, fonts, str(LOGO))
    posters = [spec for path, (_key, spec) in drawings.items() if path.startswith("posters/")]
    squares = [spec for path, (_key, spec) in drawings.items() if path.endswith("-square.jpg")]
    rows = []
    for name, specs in (("poster (750x1334 PNG)", posters), ("square with cover", [s for s in squares if s.cover]),
                        ("square, placeholder", [s for s in squares if not s.cover])):
        times, cpu, sizes = [], [], []
        for spec in specs[:args.serial]:
            start, start_cpu = time.perf_counter(), time.process_time()
            _name, data, _size = spec.render(fonts)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            sizes.append(len(data))
        rows.append((name, statistics.median(times) * 1000, statistics.median(cpu) * 1000,
                     statistics.median(sizes) / 1024, max(sizes) / 1024))
    social = [spec_for(e, vocab, "红十字大讲堂") for e in items[:args.serial]]
    times, cpu, sizes = [], [], []
    for spec in social:
        start, start_cpu = time.perf_counter(), time.process_time()
        data = encode_social_image(draw_social_image(spec, fonts), "png")
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        sizes.append(len(data))
    rows.append(("social card (for comparison)", statistics.median(times) * 1000, statistics.median(cpu) * 1000,
                 statistics.median(sizes) / 1024, max(sizes) / 1024))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; serial, {args.serial} of each")
    print(f"{'picture':<30} {'wall ms':>8} {'CPU ms':>7} {'median KB':>10} {'max KB':>7}")
    for name, median, cpu_ms, kb, max_kb in rows:
        print(f"{name:<30} {median:>8.0f} {cpu_ms:>7.0f} {kb:>10.0f} {max_kb:>7.0f}")
    with tempfile.TemporaryDirectory(prefix="rc-bench-share-") as tmp:
        cache = Cache(Path(tmp))
        runner = Runner()
        start = time.perf_counter()
        cold = process_drawings(cache, drawings.values(), fonts, runner)
        cold_s = time.perf_counter() - start
        start = time.perf_counter()
        again = share_drawings(items, vocab, "红十字大讲堂", SITE, covers, fonts, str(LOGO))
        warm = process_drawings(cache, again.values(), fonts, runner)
        warm_s = time.perf_counter() - start
    assert cold.encoded == len(drawings) and warm.encoded == 0
    print(f"\n{len(items)} entries, {len(drawings)} pictures, {os.cpu_count()} cores:")
    print(f"  cold, process pool: {cold_s:.1f} s ({cold_s / len(drawings) * 1000:.0f} ms a picture)")
    print(f"  warm (specs, keys, manifests): {warm_s:.2f} s ({warm_s / len(items) * 1000:.2f} ms an entry)")


if __name__ == "__main__":
    main()
