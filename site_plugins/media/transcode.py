"""One source recording -> a published MP3: two-pass loudnorm, mono, CBR, tags by mutagen.

Same source, same settings, same ffmpeg: same bytes. ffmpeg runs with
`-fflags +bitexact -flags:a +bitexact` (no version strings), `-map_metadata -1`
(nothing of the source's tags, dates or encoder names survives) and writes no
ID3 tag of its own; the tags are then written by `tag` from the lecture's
record only, so nothing depends on the clock or the machine.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from mutagen.id3 import APIC, ID3, TALB, TDRC, TIT2, TLAN, TPE1
from mutagen.mp3 import MP3

from site_plugins.media.audio import (
    PUBLISHED_MIME,
    AudioError,
    AudioSettings,
    SourceInfo,
    explain,
    run_tool,
    tool_failure,
)

_JSON_RE = re.compile(r"\{[^{}]*\"input_i\"[^{}]*\}", re.S)
# Downmix first, in both passes: the loudness measured is the loudness published.
MONO = "aformat=channel_layouts=mono"


@dataclass(frozen=True)
class Tags:
    """What the published file says about itself."""

    title: str
    artist: str  # the speakers
    album: str
    date: str  # YYYY-MM-DD
    cover: bytes = b""  # JPEG or PNG
    cover_mime: str = "image/jpeg"

    def fingerprint(self) -> str:
        text = json.dumps([self.title, self.artist, self.album, self.date, self.cover_mime], ensure_ascii=False)
        return hashlib.sha256(text.encode() + hashlib.sha256(self.cover).digest()).hexdigest()


def _run(command: list[str], source: Path, name: str, doing: str, settings: AudioSettings) -> str:
    """Run ffmpeg on `source` within the time limit; its stderr (the log) on success, else an
    AudioError for editors that says in Chinese what ffmpeg's own last words mean and quotes them."""
    result = run_tool(command, name, doing, settings)
    if result.returncode != 0:
        raise tool_failure("ffmpeg", name, result.stderr, result.returncode, source)
    return result.stderr


def _target(settings: AudioSettings) -> str:
    ceiling = settings.true_peak - settings.limiter_headroom
    return f"I={settings.loudness}:TP={ceiling}:LRA={settings.loudness_range}"


def measure(source: Path, name: str, settings: AudioSettings) -> dict[str, float]:
    """Pass 1: loudnorm's measurement of the mono signal (input_i, input_tp, input_lra, input_thresh)."""
    target = _target(settings)
    log = _run(["ffmpeg", "-nostdin", "-hide_banner", "-nostats", "-i", str(source), "-map", "0:a:0",
                "-af", f"{MONO},loudnorm={target}:print_format=json", "-f", "null", "-"], source, name, "测量响度：", settings)
    found = _JSON_RE.findall(log)
    if not found:
        why = explain("ffmpeg", log, source, name)
        raise AudioError("corrupt", f"无法测量录音“{name}”的响度（ffmpeg 没有给出测量结果{'：' + why if why else ''}）。"
                         "请重新导出后重试。")
    values = json.loads(found[-1])
    try:
        measured = {key: float(values[key]) for key in ("input_i", "input_tp", "input_lra", "input_thresh",
                                                        "target_offset")}
    except (KeyError, ValueError):
        measured = {}
    if not measured or not all(math.isfinite(v) for v in measured.values()):  # -inf: digital silence
        raise AudioError("silent", f"录音“{name}”听不到声音（全是静音），无法调整响度。请检查导出的文件。")
    return measured


def suitable(info: SourceInfo, measured: dict[str, float], settings: AudioSettings) -> bool:
    """Already a mono MP3 at a speech bitrate and at podcast loudness: copy the audio, do not re-encode."""
    return (info.codec == "mp3" and info.channels == 1 and 0 < info.bitrate <= settings.bitrate_kbps * 1500
            and abs(measured["input_i"] - settings.loudness) <= 1.0 and measured["input_tp"] <= settings.true_peak)


def encode(source: Path, out: Path, name: str, info: SourceInfo, measured: dict[str, float],
           settings: AudioSettings) -> bool:
    """Pass 2: write the published audio (no tags) to `out`; True if the audio was copied, not encoded."""
    copy = suitable(info, measured, settings)
    head = ["ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-fflags", "+bitexact", "-i", str(source),
            "-map", "0:a:0", "-map_metadata", "-1", "-map_chapters", "-1"]
    if copy:
        codec = ["-c:a", "copy"]
    else:
        m = measured
        norm = (f"loudnorm={_target(settings)}:measured_I={m['input_i']}:measured_TP={m['input_tp']}:measured_LRA={m['input_lra']}:"
                f"measured_thresh={m['input_thresh']}:offset={m['target_offset']}:linear=true:print_format=none")
        codec = ["-af", f"{MONO},{norm},aresample={settings.sample_rate}", "-ac", "1",
                 "-ar", str(settings.sample_rate), "-c:a", "libmp3lame", "-b:a", f"{settings.bitrate_kbps}k"]
    tail = ["-flags:a", "+bitexact", "-id3v2_version", "0", "-write_xing", "1", "-f", "mp3", "-y", str(out)]
    _run([*head, *codec, *tail], source, name, "转换", settings)
    return copy


def tag(audio: Path, out: Path, tags: Tags) -> None:
    """Copy `audio` to `out` and write its ID3v2.3 tag (iTunes and Windows read 2.3; no ID3v1)."""
    shutil.copyfile(audio, out)
    id3 = ID3()
    id3.add(TIT2(encoding=3, text=[tags.title]))
    if tags.artist:
        id3.add(TPE1(encoding=3, text=[tags.artist]))
    id3.add(TALB(encoding=3, text=[tags.album]))
    id3.add(TDRC(encoding=3, text=[tags.date]))
    id3.add(TLAN(encoding=3, text=["chi"]))
    if tags.cover:
        id3.add(APIC(encoding=3, mime=tags.cover_mime, type=3, desc="", data=tags.cover))
    id3.save(out, v1=0, v2_version=3, padding=lambda info: 0)


def read_back(path: Path) -> tuple[float, int]:
    """(seconds, bytes) of a published file, as a podcast app reads them."""
    info = MP3(path).info
    return (info.length if info is not None else 0.0), path.stat().st_size


def transcode(source: Path, name: str, info: SourceInfo, settings: AudioSettings) -> tuple[bytes, dict]:
    """Both passes: the untagged published audio and what happened (measurement, copied or encoded)."""
    measured = measure(source, name, settings)
    with tempfile.TemporaryDirectory(prefix="rc-audio-") as tmp:
        out = Path(tmp) / "audio.mp3"
        copied = encode(source, out, name, info, measured, settings)
        seconds, size = read_back(out)
        data = out.read_bytes()
    return data, {"measured": measured, "copied": copied, "seconds": seconds, "bytes": size,
                  "mime": PUBLISHED_MIME, "source_seconds": info.seconds}
