"""Benchmark the recording pipeline: cold and warm seconds, output size and loudness.

Generates WAVs like the hall mixer's (48 kHz stereo 16-bit, a voice-like
tone-and-noise signal whose level rises and falls), then runs the same calls
the build makes (`cache.process_audio` over the process pool, then `tagged`)
into an empty cache (cold) and again with the cache filled (warm: hashing the
source only). With `--files 2` the cold run puts two recordings on the pool at
once (one ffmpeg per core). Prints a table, the bytes per minute and the
loudness ffmpeg's ebur128 measures on the published file; asserts nothing.

    python3 scripts/bench_audio.py [--minutes 60] [--files 1] [--keep DIR]
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from site_plugins import settings as site_settings  # noqa: E402
from site_plugins.media.audio import AudioSettings, ffmpeg_version  # noqa: E402
from site_plugins.media.cache import Cache, audio_key, process_audio, tagged  # noqa: E402
from site_plugins.media.pool import Runner  # noqa: E402
from site_plugins.media.transcode import Tags  # noqa: E402

SIGNAL = ("sine=f={f}:d={d}[a];anoisesrc=d={d}:a=0.3:seed={seed}:color=pink[b];"
          "[a][b]amix=inputs=2,volume='0.35+0.3*sin(2*PI*2.5*t)':eval=frame")


def make_wav(path: Path, minutes: float, seed: int) -> Path:
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-filter_complex",
                    SIGNAL.format(f=170 + 10 * seed, d=minutes * 60, seed=seed),
                    "-ac", "2", "-ar", "48000", "-c:a", "pcm_s16le", str(path)], check=True)
    return path


def ebur128(path: Path) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) of a file."""
    log = subprocess.run(["ffmpeg", "-nostdin", "-hide_banner", "-nostats", "-i", str(path), "-af",
                          "ebur128=peak=true:framelog=verbose", "-f", "null", "-"],
                         capture_output=True, text=True, check=True).stderr
    summary = log[log.rindex("Summary:"):]
    found = [re.search(pattern, summary) for pattern in (r"I:\s+(-?[\d.]+) LUFS", r"Peak:\s+(-?[\d.]+) dBFS")]
    return float(found[0].group(1)), float(found[1].group(1))  # type: ignore[union-attr]


def cpu() -> float:
    me, pool = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + pool.ru_utime + pool.ru_stime


def run(cache: Cache, sources: list[Path], settings: AudioSettings, encoder: str) -> tuple[float, float, list[Path]]:
    """One build's worth of work: (wall s, CPU s, published files)."""
    start, used = time.perf_counter(), cpu()
    keys = [audio_key(source, settings, encoder) for source in sources]
    with Runner(0) as runner:
        batch = process_audio(cache, [(k, s, s.name) for k, s in zip(keys, sources, strict=True)], settings, runner)
    if batch.errors:
        sys.exit(f"transcode failed: {[e.message for e in batch.errors.values()]}")
    published = []
    for i, key in enumerate(keys):
        tag_key, manifest = tagged(cache, key, Tags(f"讲座 {i + 1}", "李红梅", "红十字大讲堂", "2026-03-22"),
                                   f"lecture-{i + 1}.mp3")
        published.append(cache.path(tag_key, manifest["name"]))
    return time.perf_counter() - start, cpu() - used, published


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=60, help="length of each generated WAV")
    parser.add_argument("--files", type=int, default=1, help="recordings transcoded together (pool)")
    parser.add_argument("--keep", type=Path, help="work here and keep the files (default: a temp folder)")
    args = parser.parse_args()
    settings = site_settings.load(REPO / "mkdocs.yml").audio.render  # what the site's build uses
    with tempfile.TemporaryDirectory(prefix="rc-bench-audio-") as tmp:
        root = args.keep or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        sources = [make_wav(root / f"mixer-{i + 1}.wav", args.minutes, i + 1) for i in range(args.files)]
        cache = Cache(root / "cache")
        shutil.rmtree(cache.root, ignore_errors=True)
        encoder = ffmpeg_version(settings)
        cold_wall, cold_cpu, published = run(cache, sources, settings, encoder)
        warm_wall, warm_cpu, _ = run(cache, sources, settings, encoder)
        size = published[0].stat().st_size
        source_mb = sum(s.stat().st_size for s in sources) / 1e6
        integrated, peak = ebur128(published[0])
        print(f"{args.files} × {args.minutes:g}-minute WAV (48 kHz stereo, {source_mb / args.files:.0f} MB each) "
              f"→ MP3 mono {settings.bitrate_kbps} kbit/s; {encoder.split(' Copyright')[0]}")
        print()
        print("| run | wall s | CPU s | CPU / wall | output MB |")
        print("|---|---:|---:|---:|---:|")
        print(f"| cold (probe, 2 loudnorm passes, LAME, tags) | {cold_wall:.1f} | {cold_cpu:.1f} | "
              f"{cold_cpu / cold_wall:.2f} | {size / 1e6:.1f} |")
        print(f"| warm (cache hit: hashing the source) | {warm_wall:.2f} | {warm_cpu:.2f} | — | {size / 1e6:.1f} |")
        print()
        print(f"bytes per minute: {size / args.minutes:,.0f}; realtime factor (cold, per file): "
              f"{args.minutes * 60 * args.files / cold_wall:.0f}x; loudness (ebur128 on the output): "
              f"{integrated:.1f} LUFS integrated, true peak {peak:.1f} dBTP")


if __name__ == "__main__":
    main()
