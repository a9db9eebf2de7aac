"""The check's per-file results kept on disk between scripts/build's processes (content/reuse.py
`persisted`): a file is read again only when its bytes, or any other file's, changed; the report is
the one a check without the memo gives; a damaged, missing or foreign memo only means every file is read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from site_plugins import settings as site_settings
from site_plugins.check import checker, links
from site_plugins.check.checker import Report
from site_plugins.content import catalog, reuse
from site_plugins.content.dates import build_time
from site_plugins.pipeline import buildcache

from .conftest import SiteMaker
from .image_helpers import save_phone_photo

pytestmark = pytest.mark.unit
KEY = b"code, versions and mkdocs.yml"


def summary(report: Report) -> tuple[Any, ...]:
    assert report.catalog is not None
    return report.problems, report.notices, report.catalog.stories, report.catalog.lectures


def test_a_file_is_read_again_only_when_its_bytes_or_another_files_changed(
        make_site: Callable[[], SiteMaker], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site()
    site.story("alpha", title="第一篇", body="正文。")
    site.story("beta", title="第二篇", body="见[第一篇](alpha.md)。")
    site.lecture("talk")
    settings = site_settings.load(site.config)
    read: list[str] = []
    parse, scan = catalog.parse_file, links.scan
    monkeypatch.setattr(catalog, "parse_file", lambda file, rel: (read.append(rel), parse(file, rel))[1])
    scans: list[int] = []  # per check
    scanned: list[int] = []  # the links' scan of a page (check/links.py), kept on disk alike
    monkeypatch.setattr(links, "scan", lambda body, line: (scanned.append(line), scan(body, line))[1])
    memo = tmp_path / "check.pickle"

    def check(key: bytes = KEY) -> list[str]:
        """The files the check read; its report is the one a check without the memo gives."""
        read.clear()
        scanned.clear()
        with reuse.persisted(memo, key, buildcache.sources(site.content)):
            report = checker.run(site.content, checker.Selection(), build_time(), settings)
        assert not reuse._KEPT  # a process that builds once holds nothing after the check
        got = sorted(read)
        scans.append(len(scanned))
        assert summary(report) == summary(checker.run(site.content, checker.Selection(), build_time(), settings))
        return got

    assert len(check()) == 3 and memo.is_file() and scans[-1] >= 3
    assert check() == [] and scans[-1] == 0
    site.story("beta", title="第二篇（改）", body="见[第一篇](alpha.md)。")
    assert check() == ["stories/beta.md"] and scans[-1] == 1
    site.story("gamma", title="第三篇", body="新的一篇。")  # an entry names no other entry
    assert check() == ["stories/gamma.md"]
    save_phone_photo(site.content / "stories" / "photo.jpg", 64, 48)  # any other file: an entry may name it
    assert len(check()) == 4 and scans[-1] == 0  # a page's links depend on its own bytes only
    assert len(check(b"another key")) == 4 and scans[-1] > 0
    data = memo.read_bytes()
    memo.write_bytes(data[:100] + b"x" + data[101:])
    assert len(check(b"another key")) == 4
    memo.write_bytes(b"not a memo")
    assert len(check(b"another key")) == 4
    assert check(b"another key") == []


def test_a_notice_is_laid_out_again_only_when_what_it_prints_changed(
        make_site: Callable[[], SiteMaker], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from site_plugins.media import notice

    site = make_site()
    site.lecture("talk", extra="summary: " + "讲座简介很长。" * 120 + "\n")  # cut on the printed page: a notice
    site.lecture("other", title="另一场讲座")
    settings = site_settings.load(site.config)
    laid: list[str] = []
    original = notice._layout
    monkeypatch.setattr(notice, "_layout", lambda spec: (laid.append(spec.title), original(spec))[1])
    memo = tmp_path / "check.pickle"

    def check(key: bytes = KEY) -> list[str]:
        """The notices laid out (as in a fresh process: only the memo on disk); the check's notices are
        those of a check without the memo."""
        laid.clear()
        notice._LAYOUTS.clear()
        with reuse.persisted(memo, key, buildcache.sources(site.content)):
            report = checker.run(site.content, checker.Selection(), build_time(), settings)
        got = sorted(laid)
        notice._LAYOUTS.clear()
        plain = checker.run(site.content, checker.Selection(), build_time(), settings)
        assert report.notices == plain.notices
        assert any("简介太长" in n.message for n in report.notices)
        return got

    assert check() == ["另一场讲座", "测试讲座"]
    assert check() == []
    site.lecture("other", title="另一场讲座（改期）")
    assert check() == ["另一场讲座（改期）"]
    site.lecture("other", title="另一场讲座（改期）", body="没写 summary：简介取正文第一段，通知也变了。")
    assert check() == ["另一场讲座（改期）"]
    site.lecture("talk", extra="summary: " + "讲座简介很长。" * 120 + "\n", body="正文改了，通知上印的没变。")
    assert check() == []
    assert len(check(b"another key")) == 2
    memo.write_bytes(b"not a memo")
    assert len(check(b"another key")) == 2


def test_a_drawings_fingerprint_is_kept_on_disk_by_its_spec_and_font_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from site_plugins.media import social

    font = tmp_path / "font.ttf"
    font.write_bytes(b"a font")
    memo = tmp_path / "media.pickle"
    made: list[str] = []

    def fingerprint(spec: tuple[str, ...], key: bytes = KEY) -> str:
        """As a fresh process finds it (only the memo on disk)."""
        monkeypatch.setattr(social, "_FINGERPRINTS", {})
        monkeypatch.setattr(social, "_SEEN", {})
        with reuse.persisted(memo, key, {}):
            return social.kept_fingerprint(spec, (str(font),), lambda: (made.append(spec[0]), "-".join(spec))[1])

    assert fingerprint(("海报", "标题")) == "海报-标题" and made == ["海报"]
    assert fingerprint(("海报", "标题")) == "海报-标题" and made == ["海报"]
    assert fingerprint(("方图", "标题")) == "方图-标题" and made == ["海报", "方图"]
    font.write_bytes(b"another font")  # the same spec drawn with other font files: another fingerprint
    assert fingerprint(("海报", "标题")) == "海报-标题" and made == ["海报", "方图", "海报"]
    assert fingerprint(("海报", "标题"), b"another key") and made[-1] == "海报"
    memo.write_bytes(b"not a memo")
    made.clear()
    assert fingerprint(("海报", "标题")) == "海报-标题" and made == ["海报"]
    assert social.kept_fingerprint(("外面",), (), lambda: "made") == "made"  # outside `persisted`: made


def test_a_lectures_calendar_event_is_kept_on_disk_by_the_lecture_and_the_site(
        make_site: Callable[[], SiteMaker], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from site_plugins.outputs.feeds import calendar

    site = make_site()
    site.lecture("talk")
    site.lecture("other", title="另一场讲座")
    settings = site_settings.load(site.config)
    info = settings.site_info("")
    made: list[str] = []
    original = calendar._event
    monkeypatch.setattr(calendar, "_event", lambda lec, *rest: (made.append(lec.title), original(lec, *rest))[1])
    memo = tmp_path / "media.pickle"

    def files(reminder: int = 1440) -> tuple[bytes, dict[str, bytes]]:
        """calendars() as a fresh process makes them (only the memo on disk): the same bytes as without it."""
        made.clear()
        report = checker.run(site.content, checker.Selection(), build_time(), settings)
        assert report.catalog is not None
        lectures = report.catalog.lectures
        monkeypatch.setattr(calendar, "_EVENTS", {})
        with reuse.persisted(memo, KEY, buildcache.sources(site.content)):
            found = calendar.calendars(lectures, info, reminder)
        inside = list(made)
        monkeypatch.setattr(calendar, "_EVENTS", {})
        assert found == calendar.calendars(lectures, info, reminder)
        made[:] = inside
        return found

    files()
    assert sorted(made) == ["另一场讲座", "测试讲座"]
    files()
    assert made == []
    site.lecture("other", title="另一场讲座（改期）")
    files()
    assert made == ["另一场讲座（改期）"]
    files(reminder=60)  # another input of the event: made again
    assert len(made) == 2
    memo.write_bytes(b"not a memo")
    files()
    assert len(made) == 2
