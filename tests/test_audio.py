"""The recording core: what a source must be (media/audio.py) and what the transcode makes (transcode.py)."""

from __future__ import annotations

import re
from pathlib import Path

import mutagen
import pytest
from mutagen.mp3 import MP3

from site_plugins.media.audio import (
    AudioError,
    AudioSettings,
    clock,
    duration_verdict,
    inspect,
    megabytes,
    ogg_complete,
    zh_duration,
)
from site_plugins.media.cache import Cache, audio_key, process_audio, tagged
from site_plugins.media.pool import Runner
from site_plugins.media.transcode import Tags, tag, transcode

from .audio_helpers import cut, loudness, make_recording, stream_info

pytestmark = pytest.mark.unit
SETTINGS = AudioSettings()
LATIN = re.compile(r"[A-Za-z]{4,}")  # an English word: parser text that must not reach an editor


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("sources")
    return {ext: make_recording(folder / f"talk.{ext}", 8) for ext in ("wav", "ogg", "amr", "flac", "mp3", "m4a", "opus")}


@pytest.mark.parametrize("ext", ["wav", "ogg", "amr", "flac", "mp3", "m4a", "opus"])
def test_every_format_editors_have_is_accepted(sources: dict[str, Path], ext: str) -> None:
    info = inspect(sources[ext], f"content/talk.{ext}", SETTINGS)
    assert abs(info.seconds - 8) < 0.1
    assert info.channels == (1 if ext == "amr" else 2)


def _refused(path: Path, kind: str) -> str:
    with pytest.raises(AudioError) as caught:
        inspect(path, "content/lectures/x/recording.bin", SETTINGS)
    assert caught.value.kind == kind, caught.value.message
    message = caught.value.message
    assert "content/lectures/x/recording.bin" in message
    assert not LATIN.findall(message.replace("content/lectures/x/recording.bin", "")
                             .replace("ffmpeg", "").replace("MP3", "").replace("WAV", "").replace("FLAC", "")
                             .replace("Ogg", "").replace("AMR", "").replace("M4A", "")), message
    return message


def test_empty_file_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.mp3"
    empty.write_bytes(b"")
    assert "空的" in _refused(empty, "empty")


def test_not_audio_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "notes.wav"
    junk.write_text("这不是录音，是一份会议记录。", encoding="utf-8")
    assert "不是 ffmpeg 能读的音频格式" in _refused(junk, "unreadable")
    noise = tmp_path / "noise.mp3"
    noise.write_bytes(bytes(range(256)) * 40)
    _refused(noise, "unreadable")


@pytest.mark.parametrize("ext", ["wav", "ogg", "mp3", "m4a", "opus"])
def test_truncated_file_is_refused(sources: dict[str, Path], tmp_path: Path, ext: str) -> None:
    half = cut(sources[ext], tmp_path / f"half.{ext}")
    assert "不完整" in _refused(half, "truncated")


def test_truncated_flac_is_refused(sources: dict[str, Path], tmp_path: Path) -> None:
    half = cut(sources["flac"], tmp_path / "half.flac")
    with pytest.raises(AudioError) as caught:
        inspect(half, "half.flac", SETTINGS)
    assert caught.value.kind in ("truncated", "corrupt") and "不完整" in caught.value.message


def test_damage_inside_a_file_is_refused(sources: dict[str, Path], tmp_path: Path) -> None:
    data = bytearray(sources["ogg"].read_bytes())
    middle = len(data) // 2
    data[middle:middle + 4000] = bytes((i * 97) % 256 for i in range(4000))
    damaged = tmp_path / "damaged.ogg"
    damaged.write_bytes(bytes(data))
    with pytest.raises(AudioError) as caught:
        inspect(damaged, "damaged.ogg", SETTINGS)
    assert caught.value.kind == "corrupt" and "无法解码" in caught.value.message


def test_longer_than_six_hours_is_refused(tmp_path: Path) -> None:
    import subprocess

    # 6 h 1 min of silence at 1,000 samples a second: small as FLAC, quick to write and to decode
    long = tmp_path / "all-day.flac"
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "anullsrc=r=1000:cl=mono",
                    "-t", "21660", "-c:a", "flac", "-frame_size", "32768", str(long)], check=True)
    message = _refused(long, "too-long")
    assert "06:01:00" in message and "6 小时" in message


def test_ogg_end_of_stream(sources: dict[str, Path], tmp_path: Path) -> None:
    assert ogg_complete(sources["ogg"])
    assert not ogg_complete(cut(sources["ogg"], tmp_path / "cut.ogg", 0.9))


def test_duration_rule() -> None:
    assert duration_verdict("", 100.4) is None  # not stated: taken from the file
    assert duration_verdict("00:01:40", 100.4) is None  # whole seconds: rounding is no difference
    level, message = duration_verdict("00:01:43", 100.4)  # type: ignore[misc]
    assert level == "notice" and "00:01:40" in message
    level, message = duration_verdict("00:01:50", 100.4)  # type: ignore[misc]
    assert level == "error" and 'duration: "00:01:40"' in message


def test_display_helpers() -> None:
    assert clock(3725.4) == "01:02:05"
    assert zh_duration(17.2) == "17秒" and zh_duration(2710) == "45分10秒" and zh_duration(3725) == "1小时02分05秒"
    assert megabytes(28_812_345) == "28.8 MB" and megabytes(20_000) == "0.1 MB"


@pytest.fixture(scope="module")
def transcoded(sources: dict[str, Path]) -> dict[str, tuple[bytes, dict]]:
    """Each source transcoded once, for the tests that read the result (a transcode is two ffmpeg runs)."""
    return {ext: transcode(sources[ext], ext, inspect(sources[ext], ext, SETTINGS), SETTINGS)
            for ext in ("ogg", "wav", "amr")}


@pytest.mark.parametrize("ext", ["ogg", "wav", "amr"])
def test_transcode_is_podcast_mp3_at_podcast_loudness(transcoded: dict[str, tuple[bytes, dict]], tmp_path: Path,
                                                      ext: str) -> None:
    data, manifest = transcoded[ext]
    out = tmp_path / "out.mp3"
    out.write_bytes(data)
    stream = stream_info(out)
    assert (stream["codec_name"], stream["channels"], stream["sample_rate"], stream["bit_rate"]) == \
        ("mp3", 1, "44100", "64000")
    integrated, peak = loudness(out)
    assert abs(integrated - SETTINGS.loudness) <= 1.0 and peak <= SETTINGS.true_peak
    assert abs(MP3(out).info.length - 8) < 1 and not manifest["copied"]
    assert out.read_bytes()[:3] != b"ID3"  # ffmpeg writes no tag of its own: only ours, later


def test_same_source_gives_the_same_bytes(sources: dict[str, Path], transcoded: dict[str, tuple[bytes, dict]]) -> None:
    info = inspect(sources["ogg"], "ogg", SETTINGS)
    assert transcode(sources["ogg"], "ogg", info, SETTINGS)[0] == transcoded["ogg"][0]  # another run, the same bytes


def test_a_suitable_mp3_is_copied_not_re_encoded(transcoded: dict[str, tuple[bytes, dict]], tmp_path: Path) -> None:
    first = tmp_path / "first.mp3"
    first.write_bytes(transcoded["wav"][0])
    again_info = inspect(first, "first.mp3", SETTINGS)
    data, manifest = transcode(first, "first.mp3", again_info, SETTINGS)
    assert manifest["copied"] and abs(len(data) - first.stat().st_size) < 1000


def test_tags_are_ours_only(transcoded: dict[str, tuple[bytes, dict]], tmp_path: Path) -> None:
    plain = tmp_path / "plain.mp3"
    plain.write_bytes(transcoded["ogg"][0])
    cover = (Path(__file__).parent.parent / "assets/overrides/assets/images/logo.png").read_bytes()
    out = tmp_path / "tagged.mp3"
    tag(plain, out, Tags("心肺复苏与AED使用入门", "李红梅、张晓东", "红十字大讲堂", "2025-03-22", cover, "image/png"))
    tags = mutagen.File(out).tags
    assert tags.version[:2] == (2, 3)
    assert str(tags["TIT2"]) == "心肺复苏与AED使用入门" and str(tags["TPE1"]) == "李红梅、张晓东"
    assert str(tags["TALB"]) == "红十字大讲堂" and str(tags["TDRC"]) == "2025-03-22"
    assert tags["APIC:"].data == cover and tags["APIC:"].mime == "image/png"
    assert not [k for k in tags if k.startswith(("TSSE", "TENC", "TXXX", "COMM"))]  # no encoder or source tags


def test_cache_fills_once_in_parallel(sources: dict[str, Path], tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    items = [(audio_key(sources[e], SETTINGS, "ffmpeg test"), sources[e], e) for e in ("ogg", "wav")]
    with Runner(2) as runner:
        cold = process_audio(cache, items, SETTINGS, runner)
        warm = process_audio(cache, items, SETTINGS, runner)
    assert (cold.encoded, cold.cached) == (2, 0) and (warm.encoded, warm.cached) == (0, 2)
    key = items[0][0]
    first = tagged(cache, key, Tags("题目", "讲者", "红十字大讲堂", "2026-01-01"), "talk.mp3")
    assert tagged(cache, key, Tags("题目", "讲者", "红十字大讲堂", "2026-01-01"), "talk.mp3") == first
    other = tagged(cache, key, Tags("新题目", "讲者", "红十字大讲堂", "2026-01-01"), "talk.mp3")
    assert other[0] != first[0] and abs(other[1]["seconds"] - first[1]["seconds"]) < 0.01  # re-tagged, same audio
    assert not list(cache.root.glob("*/.*"))  # no temporary folder left behind


def test_a_bad_source_comes_back_as_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"RIFF" + bytes(100))
    cache = Cache(tmp_path / "cache")
    batch = process_audio(cache, [("k" * 64, bad, "content/bad.wav")], SETTINGS, Runner(1))
    assert "k" * 64 in batch.errors and "content/bad.wav" in batch.errors["k" * 64].message
    assert cache.load("k" * 64) is None
