"""Lecture transcripts: the WebVTT / plain-text reader, its errors, and what the build makes of them."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from site_plugins.content.schema import Lecture
from site_plugins.content.transcripts import cues_beyond, read_transcript

from .audio_helpers import make_recording
from .conftest import SiteMaker
from .test_scripts import run

pytestmark = pytest.mark.unit

VTT = """WEBVTT - 讲座文字稿

NOTE 这一段是注释，不会显示

1
00:00:00.500 --> 00:00:04.000
<v 李红梅>大家好，今天讲心肺复苏。

00:04.500 --> 00:09.000 align:start
<v.loud 张晓东>先确认周围环境安全，
再拍打双肩、大声呼唤。

STYLE
::cue { color: yellow }

00:00:09.500 --> 00:00:12.000
按压深度&nbsp;5–6 厘米 &amp; 每分钟 100–120 次。
"""


def transcript(tmp_path: Path, text: str, name: str = "t.vtt"):  # type: ignore[no-untyped-def]
    (tmp_path / name).write_text(text, encoding="utf-8")
    return read_transcript(name, tmp_path)


def test_webvtt_cues_with_speakers_times_and_text(tmp_path: Path) -> None:
    result, problems = transcript(tmp_path, VTT)
    assert problems == [] and result is not None
    assert result.type == "text/vtt" and result.file == "t.vtt"
    assert [(c.start, c.end, c.line) for c in result.cues] == [(0.5, 4.0, 6), (4.5, 9.0, 9), (9.5, 12.0, 16)]
    assert [c.text for c in result.cues] == ["李红梅：大家好，今天讲心肺复苏。", "张晓东：先确认周围环境安全，再拍打双肩、大声呼唤。",
                                             "按压深度\xa05–6 厘米 & 每分钟 100–120 次。"]
    assert [c.label for c in result.cues] == ["0:00", "0:04", "0:09"]


def test_hours_and_a_bom_and_windows_newlines(tmp_path: Path) -> None:
    (tmp_path / "t.vtt").write_bytes("\ufeffWEBVTT\r\n\r\n01:02:03.000 --> 01:02:05.000\r\n晚上好\r\n".encode())
    result, problems = read_transcript("t.vtt", tmp_path)
    assert problems == [] and result is not None
    assert result.cues[0].start == 3723 and result.cues[0].label == "1:02:03"


def test_plain_text_is_paragraphs(tmp_path: Path) -> None:
    result, problems = transcript(tmp_path, "第一段第一行\n第一段第二行\n\nSecond paragraph\nwraps here.\n", "t.txt")
    assert problems == [] and result is not None and result.type == "text/plain"
    assert [(c.text, c.line, c.start) for c in result.cues] == [
        ("第一段第一行第一段第二行", 1, None), ("Second paragraph wraps here.", 4, None)]


@pytest.mark.parametrize(("text", "line", "words"), [
    ("1\n00:00:01.000 --> 00:00:02.000\n你好\n", 1, "第一行必须是 WEBVTT"),
    ("WEBVTT\n\n00:00:01.000 -> 00:00:02.000\n你好\n", 3, "没有时间行"),
    ("WEBVTT\n\n00:00:01,000 --> 00:00:02,000\n你好\n", 3, "格式不对"),
    ("WEBVTT\n\n0:1.5 --> 0:2.5\n你好\n", 3, "格式不对"),
    ("WEBVTT\n\n00:00:05.000 --> 00:00:02.000\n你好\n", 3, "结束时间不晚于开始时间"),
    ("WEBVTT\n\nNOTE 只有注释\n", 1, "没有任何字幕段"),
])
def test_bad_webvtt_names_the_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    result, problems = transcript(tmp_path, text)
    assert result is None and len(problems) == 1
    problem = problems[0]
    assert (problem.path, problem.line, problem.field) == ("t.vtt", line, "transcript")
    assert words in problem.message
    assert re.search(r"[\u4e00-\u9fff]", problem.message)


def test_cues_beyond_the_recording_with_a_second_of_slack(tmp_path: Path) -> None:
    text = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n好\n\n00:00:10.000 --> 00:00:20.900\n长\n"
    parsed, _ = transcript(tmp_path, text)
    talk = Lecture(kind="lecture", source="lectures/x/index.md", id="1", title="t", date=datetime(2026, 3, 1),
                   tags=(), slug="x", body="", summary="", char_count=0, reading_minutes=0, transcript=parsed)
    assert cues_beyond(talk, 20) == [] and cues_beyond(talk, 0) == []  # 0: length unknown
    [problem] = cues_beyond(talk, 19.5)
    assert (problem.path, problem.line, problem.field) == ("t.vtt", 6, "transcript")
    assert "00:00:20 超出了录音长度 00:00:20" not in problem.message and "超出了录音长度" in problem.message


def test_not_utf8_and_empty_text(tmp_path: Path) -> None:
    (tmp_path / "t.txt").write_bytes("讲座".encode("gbk"))
    assert read_transcript("t.txt", tmp_path)[1][0].field == "encoding"
    assert "文字稿是空的" in transcript(tmp_path, "\n\n", "t.txt")[1][0].message


# --- in the content model, the build and scripts/check -----------------------------------------------

LINE_RE = re.compile(r"^(?P<path>[^:\s]+):(?P<line>\d+): (?P<field>[\w ]+): (?P<message>.+)$", re.M)
RECORDING = 'recording: {file: recording.ogg, type: audio/ogg, duration: "00:00:20"}\n'


def lecture(s: SiteMaker, transcript_field: str, files: dict[str, str]) -> None:
    s.lecture("talk", title="有文字稿的讲座", date="2026-03-10 14:30", extra=RECORDING + transcript_field)
    make_recording(s.content / "lectures" / "talk" / "recording.ogg", 20)
    for name, text in files.items():
        (s.content / "lectures" / "talk" / name).write_text(text, encoding="utf-8")


def check(s: SiteMaker) -> list[tuple[str, int, str, str]]:
    result = run("check", "--content", s.content, "content/lectures/talk/index.md", cwd=s.root)  # in this process
    return [(m["path"], int(m["line"]), m["field"], m["message"]) for m in LINE_RE.finditer(result.stdout)]


@pytest.mark.build
@pytest.mark.parametrize(("field", "files", "where", "words"), [
    ("transcript: missing.vtt\n", {}, ("lectures/talk/index.md", 13), "找不到文件“missing.vtt”"),
    ("transcript: notes.docx\n", {"notes.docx": "x"}, ("lectures/talk/index.md", 13), "不是支持的格式"),
    ("transcript: t.vtt\n", {"t.vtt": "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n好\n\n00:01.000 -> 00:02.000\n坏\n"},
     ("lectures/talk/t.vtt", 6), "没有时间行"),
    ("transcript: t.vtt\n", {"t.vtt": "WEBVTT\n\n00:00:01.000 --> 00:00:45.000\n太长\n"},
     ("lectures/talk/t.vtt", 3), "超出了录音长度 00:00:20"),
])
def test_bad_transcripts_fail_check_and_build_alike(make_site, field: str, files: dict[str, str],  # type: ignore[no-untyped-def]
                                                   where: tuple[str, int], words: str) -> None:
    s = make_site()
    lecture(s, field, files)
    found = check(s)
    assert len(found) == 1, found
    path, line, name, message = found[0]
    assert path.endswith(where[0]) and line == where[1] and name == "transcript" and words in message
    result = s.build(check=False)
    assert result.returncode != 0
    assert f"{where[0]}:{where[1]}: transcript: {message}" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.build
def test_lecture_page_shows_the_transcript_under_the_player(make_site) -> None:  # type: ignore[no-untyped-def]
    s = make_site()
    lecture(s, "transcript: transcript.vtt\n", {"transcript.vtt": VTT.replace("今天讲", "今天讲<b>&lt;script&gt;</b>")})
    s.build()
    page = BeautifulSoup((s.site / "lectures" / "talk" / "index.html").read_text("utf-8"), "html.parser")
    details = page.select_one(".rc-facts dd:has(> audio) + dd.rc-facts__wide > details.rc-transcript")
    assert details is not None and details.get("open") is None  # collapsed until the reader opens it
    buttons = details.select("button.rc-transcript__time")
    assert [(b["data-start"], b.get_text()) for b in buttons] == [("0.5", "0:00"), ("4.5", "0:04"), ("9.5", "0:09")]
    assert "<script>" in details.get_text() and page.select(".rc-transcript script") == []  # text stays text
    assert details.select_one("a[href='transcript.vtt']") and (s.site / "lectures/talk/transcript.vtt").is_file()
    podcast = (s.site / "lectures" / "podcast.xml").read_text("utf-8")
    assert 'url="https://lecture.example.org/lectures/talk/transcript.vtt" type="text/vtt" language="zh"' in podcast


@pytest.mark.build
def test_plain_text_transcript_without_times(make_site) -> None:  # type: ignore[no-untyped-def]
    s = make_site()
    lecture(s, "transcript: transcript.txt\n", {"transcript.txt": "第一段。\n\n第二段。\n"})
    s.build()
    page = BeautifulSoup((s.site / "lectures" / "talk" / "index.html").read_text("utf-8"), "html.parser")
    details = page.select_one("details.rc-transcript")
    assert [p.get_text() for p in details.find_all("p")][:2] == ["第一段。", "第二段。"]
    assert details.select("button") == []
    assert 'type="text/plain" language="zh"' in (s.site / "lectures" / "podcast.xml").read_text("utf-8")


@pytest.mark.build
def test_announced_after_the_start_is_an_error(make_site) -> None:  # type: ignore[no-untyped-def]
    s = make_site()
    s.lecture("talk", date="2026-03-10 14:30", extra="announced: 2026-04-01\n")
    found = check(s)
    assert [(line, field) for _, line, field, _ in found] == [(12, "announced")]
    assert "晚于讲座开始时间" in found[0][3]
