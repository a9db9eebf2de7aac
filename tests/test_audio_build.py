"""Lecture recordings through a real build: published MP3s, the podcast, the page, bad input."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import mutagen
import podcastparser
import pytest
from bs4 import BeautifulSoup
from mutagen.mp3 import MP3

from .audio_helpers import cut, make_recording
from .conftest import SiteMaker, run_build
from .test_scripts import run

pytestmark = pytest.mark.build
SITE_URL = "https://lecture.example.org/"
# Enclosure types Apple Podcasts plays (audio): MP3 and M4A/AAC.
APPLE_AUDIO = {"audio/mpeg", "audio/mp4", "audio/x-m4a", "audio/aac"}
SOURCES = {"ogg-talk": ("ogg", 9.0), "wav-talk": ("wav", 7.0), "amr-talk": ("amr", 6.0)}


def _recorded_site(make_site: Callable[[], SiteMaker]) -> SiteMaker:
    s = make_site()
    for slug, (ext, seconds) in SOURCES.items():
        s.lecture(slug, title=f"{ext.upper()} 录音讲座", date="2026-03-10 14:30",
                  extra=f"recording:\n  file: recording.{ext}\n")
        make_recording(s.content / "lectures" / slug / f"recording.{ext}", seconds)
    s.lecture("soon", title="即将举行讲座", date="2026-12-10 09:00")
    return s


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[SiteMaker, subprocess.CompletedProcess[str]]:
    root = tmp_path_factory.mktemp("audio")
    s = _recorded_site(lambda: SiteMaker(root / "site-src"))
    return s, s.build()


def _published(site: Path) -> dict[str, Path]:
    return {p.stem: p for p in site.glob("media/*/*.mp3")}


def test_every_recording_is_published_as_mp3_and_no_original(built) -> None:  # type: ignore[no-untyped-def]
    s, result = built
    assert "rc-audio: 3 recordings (3 transcoded, 0 cached)" in result.stderr
    files = _published(s.site)
    assert set(files) == set(SOURCES)
    assert not [p for p in s.site.rglob("*") if p.suffix in (".ogg", ".wav", ".amr")]
    for slug, (ext, seconds) in SOURCES.items():
        audio = mutagen.File(files[slug])
        assert isinstance(audio, MP3) and audio.info.channels == 1
        assert abs(audio.info.length - seconds) < 1
        assert str(audio.tags["TIT2"]) == f"{ext.upper()} 录音讲座"
        assert str(audio.tags["TPE1"]) == "李红梅" and str(audio.tags["TALB"]) == "红十字大讲堂"
        assert str(audio.tags["TDRC"]) == "2026-03-10"
        assert audio.tags["APIC:"].mime == "image/png" and audio.tags["APIC:"].data[:4] == b"\x89PNG"  # the logo
        # the source in content/ is never changed
        assert (s.content / "lectures" / slug / f"recording.{ext}").stat().st_size > 0


def test_the_podcast_plays_everywhere(built) -> None:  # type: ignore[no-untyped-def]
    s, _ = built
    with open(s.site / "lectures" / "podcast.xml", "rb") as feed:
        podcast = podcastparser.parse(SITE_URL + "lectures/podcast.xml", feed)
    episodes = podcast["episodes"]
    assert sorted(e["title"] for e in episodes) == sorted(f"{x.upper()} 录音讲座" for x, _ in SOURCES.values())
    files = _published(s.site)
    for episode in episodes:
        assert episode["link"].startswith(SITE_URL + "lectures/") and episode["link"].endswith("-talk/")  # the page
        (enclosure,) = episode["enclosures"]
        assert enclosure["mime_type"] in APPLE_AUDIO
        local = s.site / enclosure["url"].removeprefix(SITE_URL)
        assert local in files.values() and enclosure["file_size"] == local.stat().st_size
        assert episode["total_time"] == round(MP3(local).info.length)
    assert "<itunes:duration>9</itunes:duration>" in (s.site / "lectures/podcast.xml").read_text(encoding="utf-8")


def test_the_lecture_page_plays_the_same_file(built) -> None:  # type: ignore[no-untyped-def]
    s, _ = built
    page = s.site / "lectures" / "ogg-talk" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    audio = soup.select_one(".rc-recording audio")
    assert audio is not None and audio["preload"] == "metadata"
    target = (page.parent / audio["src"]).resolve()
    assert target == _published(s.site)["ogg-talk"].resolve()
    text = soup.select_one(".rc-recording").get_text(" ", strip=True)
    size = target.stat().st_size / 1e6
    assert "时长 9秒" in text and f"MP3，{max(size, 0.1):.1f} MB" in text
    link = soup.select_one(".rc-recording a[download]")
    assert (page.parent / link["href"]).resolve() == target


def test_a_second_build_transcodes_nothing_and_gives_the_same_bytes(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    s, _ = built
    before = {p.name: p.read_bytes() for p in _published(s.site).values()}
    again = tmp_path / "again"
    result = run_build(s.config, again)  # the transcodes come from the disk cache, the only one there is
    assert "rc-audio: 3 recordings (0 transcoded, 3 cached)" in result.stderr
    assert {p.name: p.read_bytes() for p in _published(again).values()} == before


def _check(s: SiteMaker) -> subprocess.CompletedProcess[str]:
    return run("check", "--content", s.content, cwd=s.root)  # in this process (tests/inprocess.py)


BAD = {
    "empty": (lambda src, dest: dest.write_bytes(b""), "是空的"),
    "truncated": (lambda src, dest: cut(src, dest), "不完整"),
    "not-audio": (lambda src, dest: dest.write_text("会议记录", encoding="utf-8"), "不是 ffmpeg 能读的音频格式"),
    "outside": (lambda src, dest: dest.symlink_to(src), "content/ 之外"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_recording_fails_with_the_same_message_in_check_and_build(
        make_site: Callable[[], SiteMaker], tmp_path: Path, case: str) -> None:
    s = make_site()
    s.lecture("bad", title="坏录音讲座", extra="recording:\n  file: talk.wav\n")
    make_bad, words = BAD[case]
    good = make_recording(tmp_path / "good.wav", 5)
    make_bad(good, s.content / "lectures" / "bad" / "talk.wav")
    s.site.mkdir()
    (s.site / "last-good.html").write_text("上一次成功构建", encoding="utf-8")
    result = s.build(check=False)
    assert result.returncode != 0
    # A link out of content/ breaks the rule every file follows (content/paths.py), reported at `file:`.
    at = 13 if case == "outside" else 12
    expected = re.compile(rf"lectures/bad/index\.md:{at}: recording: 录音“content/lectures/bad/talk\.wav”")
    line = next(x for x in result.stderr.splitlines() if expected.search(x))
    assert words in line
    assert "Traceback" not in result.stderr + result.stdout
    assert (s.site / "last-good.html").exists() and len(list(s.site.iterdir())) == 1  # site/ untouched
    checked = _check(s)
    assert checked.returncode == 1
    message = line[line.index("recording: "):]
    assert any(x.endswith(message) and f"lectures/bad/index.md:{at}:" in x for x in checked.stdout.splitlines()), \
        checked.stdout


def test_stated_duration_far_from_the_file_is_an_error_naming_its_line(make_site: Callable[[], SiteMaker]) -> None:
    s = make_site()
    s.lecture("long-claim", extra='recording:\n  file: talk.ogg\n  duration: "00:00:30"\n')
    make_recording(s.content / "lectures" / "long-claim" / "talk.ogg", 6)
    result = s.build(check=False)
    assert result.returncode != 0
    assert re.search(r'lectures/long-claim/index\.md:14: recording: 写的时长 00:00:30 .*duration: "00:00:06"',
                     result.stderr), result.stderr
    assert "lectures/long-claim/index.md:14: recording: 写的时长 00:00:30" in _check(s).stdout


def test_stated_duration_a_little_off_is_a_notice(make_site: Callable[[], SiteMaker]) -> None:
    s = make_site()
    s.lecture("near", extra='recording:\n  file: talk.ogg\n  type: audio/ogg\n  duration: "00:00:08"\n')
    make_recording(s.content / "lectures" / "near" / "talk.ogg", 6)
    result = s.build()  # strict: a notice is not a warning
    assert "lectures/near/index.md:15: recording: 写的时长 00:00:08 与录音实际时长 00:00:06 略有出入" in result.stderr
    checked = _check(s)
    assert checked.returncode == 0 and "注意：" in checked.stdout
    # the feed carries the true duration, not the stated one
    assert "<itunes:duration>6</itunes:duration>" in (s.site / "lectures/podcast.xml").read_text(encoding="utf-8")


def test_the_sample_podcast_plays_everywhere(sample_site: Path) -> None:
    with open(sample_site / "lectures" / "podcast.xml", "rb") as feed:
        podcast = podcastparser.parse(SITE_URL + "lectures/podcast.xml", feed)
    assert len(podcast["episodes"]) == 4  # the four sample lectures with a recording
    for episode in podcast["episodes"]:
        assert episode["link"].startswith(SITE_URL + "lectures/") and episode["link"].endswith("/")
        (enclosure,) = episode["enclosures"]
        assert enclosure["mime_type"] == "audio/mpeg"
        local = sample_site / enclosure["url"].removeprefix(SITE_URL)
        assert enclosure["file_size"] == local.stat().st_size and local.suffix == ".mp3"
        assert isinstance(mutagen.File(local), MP3) and episode["total_time"] > 0
    assert not list(sample_site.rglob("*.ogg"))
