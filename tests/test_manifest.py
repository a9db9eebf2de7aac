"""The build's one writer: a path has one producer, and each file is written whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from site_plugins.pipeline import manifest as writer
from site_plugins.pipeline.manifest import ENGINE, DuplicateOutput, Manifest

pytestmark = pytest.mark.unit


def test_a_second_producer_for_a_path_is_refused_naming_both() -> None:
    manifest = Manifest()
    manifest.claim("stories/old/index.html")
    manifest.add("feed.xml", "订阅源", b"<rss/>")
    with pytest.raises(DuplicateOutput) as refused:
        manifest.add("stories/old/index.html", "旧网址的跳转页", b"<p>moved</p>")
    message = str(refused.value)
    assert "/stories/old/index.html" in message and ENGINE in message and "旧网址的跳转页" in message
    with pytest.raises(DuplicateOutput, match="订阅源"):
        manifest.add("./feed.xml", "讲座日历", b"x")  # the same file, however it is spelled
    with pytest.raises(DuplicateOutput):
        manifest.claim("feed.xml")
    assert manifest.producers() == {"feed.xml": "订阅源", "stories/old/index.html": ENGINE}
    assert manifest.by("订阅源") == ["feed.xml"]


def test_only_its_producer_makes_an_output_again_or_takes_it_back(tmp_path: Path) -> None:
    manifest = Manifest()
    manifest.put(tmp_path, "a/index.html.gz", "压缩副本", b"old")
    assert (tmp_path / "a" / "index.html.gz").read_bytes() == b"old"
    with pytest.raises(DuplicateOutput):
        manifest.redo("a/index.html.gz", "订阅源", b"x")
    manifest.withdraw(tmp_path, "a/index.html.gz", "订阅源")  # not its output: nothing happens
    manifest.redo("a/index.html.gz", "压缩副本", b"new")
    assert manifest.write(tmp_path) == 1 and (tmp_path / "a" / "index.html.gz").read_bytes() == b"new"
    manifest.withdraw(tmp_path, "a/index.html.gz", "压缩副本")
    assert "a/index.html.gz" not in manifest and not (tmp_path / "a" / "index.html.gz").exists()


@pytest.mark.parametrize("path", ["", "/", "../outside.txt", "a/../../b", "folder/"])
def test_an_output_stays_inside_the_site(path: str) -> None:
    with pytest.raises(ValueError):
        Manifest().add(path, "x", b"")


def test_write_puts_bytes_and_copies_in_place_and_skips_what_the_engine_wrote(tmp_path: Path) -> None:
    source = tmp_path / "bundle.js"
    source.write_bytes(b"console.log(1)")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("the engine's", encoding="utf-8")
    manifest = Manifest()
    manifest.claim("index.html")
    manifest.add("a/b/feed.xml", "订阅源", b"<rss/>")
    manifest.add("admin/bundle.js", "网页编辑器", source=source)
    assert manifest.write(site) == 2
    assert (site / "a" / "b" / "feed.xml").read_bytes() == b"<rss/>"
    assert (site / "admin" / "bundle.js").read_bytes() == b"console.log(1)"
    assert (site / "index.html").read_text(encoding="utf-8") == "the engine's"
    mask = os.umask(0)
    os.umask(mask)
    assert (site / "a" / "b" / "feed.xml").stat().st_mode & 0o777 == 0o666 & ~mask  # as a plain write
    assert sorted(p.name for p in site.rglob("*.part")) == []


def test_a_failed_write_leaves_the_old_file_and_no_part_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "feed.xml").write_bytes(b"<rss>yesterday</rss>")

    class Interrupted(Exception):
        pass

    def copy_half(source: Path, target: Path) -> None:  # a full disk, a killed copy: half a file, then a failure
        Path(target).write_bytes(source.read_bytes()[:5])
        raise Interrupted

    monkeypatch.setattr(writer.shutil, "copyfile", copy_half)
    source = tmp_path / "feed-today.xml"
    source.write_bytes(b"<rss>today</rss>")
    manifest = Manifest()
    manifest.add("feed.xml", "订阅源", source=source)
    with pytest.raises(Interrupted):
        manifest.write(site)
    assert (site / "feed.xml").read_bytes() == b"<rss>yesterday</rss>"
    assert [p.name for p in site.iterdir()] == ["feed.xml"]

    def no_rename(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(writer.os, "replace", no_rename)
    again = Manifest()
    again.add("feed.xml", "订阅源", b"<rss>today</rss>")
    with pytest.raises(OSError, match="disk full"):
        again.write(site)
    assert (site / "feed.xml").read_bytes() == b"<rss>yesterday</rss>"
    assert [p.name for p in site.iterdir()] == ["feed.xml"]
