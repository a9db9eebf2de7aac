"""Benchmark the image pipeline: cold and warm time for phone-sized photos, bytes saved.

Makes N synthetic phone photos (default 200 JPEGs of 4000x3000 at quality 92,
with EXIF and GPS, a quarter of them flagged orientation 6), then runs the
pipeline (`imagecache.process_images`, the same call the build makes) into an
empty cache with a process pool over all cores (cold), again with the cache
filled (warm), and cold in one process on a sample for comparison. Prints a
table; it asserts nothing about time (the machine is shared and noisy: read
the ratios within one run).

Usage::

    python scripts/bench_images.py [--count 200] [--size 4000x3000] [--serial 20] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from site_plugins import settings as site_settings  # noqa: E402
from site_plugins.media.cache import Cache, image_key, process_images  # noqa: E402
from site_plugins.media.images import ImageSettings, Rendition  # noqa: E402
from site_plugins.media.pool import Runner  # noqa: E402


def _texture(size: tuple[int, int], seed: int) -> Image.Image:
    """A photo-like RGB picture (about 3 MB as a 12 MP JPEG at q92, like a phone's).

    Gradients and shapes give the large forms, noise at two scales the detail
    and sensor grain that make real photos expensive to encode.
    """
    rng = random.Random(seed)
    width, height = size
    small = (width // 8, height // 8)
    base = Image.new("RGB", small)
    draw = ImageDraw.Draw(base)
    for y in range(small[1]):
        draw.line([(0, y), (small[0], y)], fill=(100 + y // 10, 150, 200 - y // 10))
    for _ in range(300):
        x, y, r = rng.randrange(small[0]), rng.randrange(small[1]), rng.randint(2, 40)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    image = base.filter(ImageFilter.GaussianBlur(1.5)).resize(size, Image.Resampling.BICUBIC)
    detail = Image.effect_noise((width // 4, height // 4), 60).resize(size, Image.Resampling.BICUBIC).convert("RGB")
    grain = Image.effect_noise(size, 25).convert("RGB")
    return Image.blend(Image.blend(image, detail, 0.25), grain, 0.1)


def make_corpus(folder: Path, count: int, size: tuple[int, int]) -> list[Path]:
    """`count` distinct phone-like JPEGs with EXIF, GPS and some orientation flags."""
    folder.mkdir(parents=True, exist_ok=True)
    bases = [_texture(size, seed) for seed in range(4)]
    paths = []
    for i in range(count):
        path = folder / f"photo-{i:03d}.jpg"
        paths.append(path)
        if path.is_file():
            continue
        image = bases[i % len(bases)].copy()
        ImageDraw.Draw(image).rectangle((40 + i * 7, 40, 240 + i * 7, 240), fill=(i % 256, 40, 200))  # distinct bytes
        exif = Image.Exif()
        exif[0x010F] = "BenchPhone"
        exif[0x0112] = 6 if i % 4 == 0 else 1
        exif.get_ifd(0x8825).update({1: "N", 2: (37.0, 52.0, float(i)), 3: "E", 4: (112.0, 33.0, 1.0)})
        image.save(path, "JPEG", quality=92, exif=exif)
    return paths


def _cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def run(paths: list[Path], cache_root: Path, settings: ImageSettings,
        workers: int) -> tuple[float, float, int, dict]:
    """(wall seconds, CPU seconds, images encoded, results) of one pipeline pass, hashing included.

    CPU time counts the pool's workers (reaped when the pool shuts down), so
    CPU / wall is the parallelism the run actually got on this machine.
    """
    start, cpu = time.perf_counter(), _cpu()
    with Runner(workers) as runner:
        batch = process_images(Cache(cache_root), [(image_key(p, settings), p) for p in paths], settings, runner)
    assert not batch.errors, batch.errors
    return time.perf_counter() - start, _cpu() - cpu, batch.encoded, batch.results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--size", default="4000x3000")
    parser.add_argument("--serial", type=int, default=20, help="photos for the one-process cold run (0: skip)")
    parser.add_argument("--corpus", type=Path, default=REPO / ".cache" / "bench-photos",
                        help="where the generated photos are kept between runs")
    args = parser.parse_args(argv)
    size = tuple(int(v) for v in args.size.split("x"))
    settings = site_settings.load(REPO / "mkdocs.yml").images.render  # what the site's build uses
    cores = os.cpu_count() or 1

    t0 = time.perf_counter()
    paths = make_corpus(args.corpus / args.size, args.count, size)  # type: ignore[arg-type]
    print(f"corpus: {len(paths)} photos {args.size} in {args.corpus / args.size} ({time.perf_counter() - t0:.1f} s)")

    work = Path(tempfile.mkdtemp(prefix="bench-images-"))
    load = os.getloadavg()
    try:
        cold, cold_cpu, encoded, results = run(paths, work / "pool", settings, cores)
        warm, warm_cpu, warm_encoded, _ = run(paths, work / "pool", settings, cores)
        rows = [(f"cold, pool of {cores}", len(paths), cold, cold_cpu, encoded),
                ("warm (cache hit)", len(paths), warm, warm_cpu, warm_encoded)]
        if args.serial:
            sample = paths[: args.serial]
            serial, serial_cpu, serial_encoded, _ = run(sample, work / "serial", settings, 1)
            rows.append(("cold, 1 process", len(sample), serial, serial_cpu, serial_encoded))
        print(f"\nload average before: {load[0]:.1f}, after: {os.getloadavg()[0]:.1f} on {cores} cores\n")
        print("| run | photos | encoded | wall s | wall s / photo | CPU s / photo | CPU / wall |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for name, count, seconds, cpu, made in rows:
            print(f"| {name} | {count} | {made} | {seconds:.1f} | {seconds / count:.3f} | {cpu / count:.3f} | "
                  f"{cpu / seconds:.2f} |")
        print(f"\nwarm / cold wall time: {warm / cold:.4f}")

        source = sum(p.stat().st_size for p in paths)
        by_kind: dict[str, int] = {}
        cache = Cache(work / "pool")
        for key, manifest in results.items():
            rendition = Rendition.from_json(manifest)
            for v in rendition.variants:
                label = "thumbnail 480x320" if v.role == "thumb" else f"{v.role} {v.width} w"
                by_kind[label] = by_kind.get(label, 0) + cache.path(key, v.name).stat().st_size
        print("\n| file set | total MB | KB / photo | vs. original |")
        print("|---|---:|---:|---:|")
        print(f"| originals (JPEG q92, EXIF+GPS) | {source / 1e6:.1f} | {source / len(paths) / 1e3:.0f} | 100 % |")
        for label in sorted(by_kind, key=lambda k: (k.split()[0], -by_kind[k])):
            total = by_kind[label]
            print(f"| {label} | {total / 1e6:.1f} | {total / len(paths) / 1e3:.0f} | {100 * total / source:.1f} % |")
        everything = sum(by_kind.values())
        print(f"| all variants | {everything / 1e6:.1f} | {everything / len(paths) / 1e3:.0f} | "
              f"{100 * everything / source:.1f} % |")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
