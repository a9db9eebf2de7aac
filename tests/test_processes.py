"""Every tool the build runs has a time limit, and its failure says why in Chinese: ffprobe and ffmpeg
(media/audio.py, media/transcode.py) and npm ci (cms/npm.py). The search worker's waits for
Pagefind are tested in test_search_worker.py. Hung tools are tiny scripts on PATH that sleep."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from site_plugins.cms import npm
from site_plugins.media.audio import AudioError, AudioSettings, inspect, tool_summary
from site_plugins.media.transcode import measure

pytestmark = pytest.mark.unit


def fake_tool(folder: Path, name: str, script: str) -> Path:
    """An executable `name` in `folder` running the shell `script`."""
    folder.mkdir(parents=True, exist_ok=True)
    tool = folder / name
    tool.write_text("#!/bin/sh\n" + script + "\n", encoding="utf-8")
    tool.chmod(0o755)
    return tool


@pytest.fixture
def recording(tmp_path: Path) -> Path:
    source = tmp_path / "content" / "talk.wav"
    source.parent.mkdir()
    source.write_bytes(b"RIFF" + bytes(400))  # never decoded: the tools here are fakes
    return source


@pytest.mark.parametrize("tool", ["ffprobe", "ffmpeg"])
def test_a_hung_tool_is_stopped_and_named_with_the_file_and_the_limit(
        tool: str, recording: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_tool(tmp_path / "bin", tool, "exec sleep 60")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    settings = AudioSettings(timeout=1)
    started = time.monotonic()
    with pytest.raises(AudioError) as caught:
        if tool == "ffprobe":
            inspect(recording, "content/lectures/x/talk.wav", settings)
        else:
            measure(recording, "content/lectures/x/talk.wav", settings)
    assert time.monotonic() - started < 20  # stopped at its limit, not after its minute
    error = caught.value
    assert error.kind == "timeout"
    assert f"{tool} " in error.message and "content/lectures/x/talk.wav" in error.message
    assert "1 秒的时限" in error.message and "timeout" in error.message


@pytest.mark.parametrize(("said", "meaning", "kind"), [
    ("[mov,mp4,m4a @ 0x55d0c0a3b2c0] moov atom not found\n{path}: Invalid data found when processing input\n",
     "缺少 M4A/MP4 的索引（moov）", "corrupt"),
    ("[aist#0:0/pcm_s16le @ 0x5612] Error while decoding stream\nav_interleaved_write_frame(): No space left on device\n"
     "Conversion failed!\n", "这台电脑的磁盘空间不足", "tool"),
    ("[libmp3lame @ 0x5] lame: output buffer too small\nConversion failed!\n",
     "ffmpeg 的原话是“lame: output buffer too small”", "corrupt"),
])
def test_ffmpeg_failures_say_what_ffmpeg_said(said: str, meaning: str, kind: str, recording: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "log.txt"
    log.write_text(said.format(path=recording), encoding="utf-8")
    fake_tool(tmp_path / "bin", "ffmpeg", f"cat '{log}' >&2\nexit 1")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    with pytest.raises(AudioError) as caught:
        measure(recording, "content/talk.wav", AudioSettings())
    assert caught.value.kind == kind
    message = caught.value.message
    assert message.startswith("ffmpeg 无法转换录音“content/talk.wav”：") and meaning in message
    assert "可能已损坏" not in message and str(recording) not in message  # the editor's path, not the machine's


def test_the_real_ffmpeg_on_a_file_that_is_no_audio(tmp_path: Path) -> None:
    notes = tmp_path / "notes.wav"
    notes.write_text("这不是录音，是一份会议记录。", encoding="utf-8")
    with pytest.raises(AudioError) as caught:
        measure(notes, "content/notes.wav", AudioSettings())
    assert "content/notes.wav" in caught.value.message and "无法解码的数据" in caught.value.message


def test_the_summary_keeps_the_last_meaningful_lines() -> None:
    log = ("Input #0, wav, from '/srv/x/talk.wav':\n[mp3 @ 0x55d0c0a3b2c0] Header missing\n\n"
           "[in#0/wav @ 0x1] Error during demuxing: I/O error\nsize=       0kB time=00:00:00.00\nConversion failed!\n")
    assert tool_summary(log, Path("/srv/x/talk.wav"), "content/talk.wav") == "Header missing；Error during demuxing: I/O error"
    assert tool_summary("Conversion failed!\n\n") == ""


def test_npm_ci_that_hangs_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "package-lock.json").write_text("{}", encoding="utf-8")
    fake_tool(tmp_path / "bin", "npm", "exec sleep 60")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    started = time.monotonic()
    message = npm.ensure_installed(repo, quiet=True, timeout=1)
    assert time.monotonic() - started < 20
    assert message is not None and "npm ci 在 1 秒内没有装完" in message and str(repo / "node_modules") in message
