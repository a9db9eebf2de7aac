"""ProperDocs builds the sample site as MkDocs does: only the generator meta may differ.

ProperDocs is the maintained fork of MkDocs 1.6 (docs/ENGINES.md). The MkDocs side is the
session's sample site (built strict, in this process); ProperDocs builds in a process of its
own through `scripts/engines`, which then compares every file.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from engine_compare import differences, generator, normalised

from .conftest import BUILD_TIME, REPO
from .inprocess import run_script

pytestmark = pytest.mark.build

PAGE = b'<!doctype html><html><head><meta name="generator" content="%s"></head><body>%s</body></html>\n'


def test_properdocs_builds_the_sample_as_mkdocs_does(sample_site: Path, tmp_path: Path) -> None:
    result = run_script(REPO / "scripts" / "engines", ["--mkdocs-site", str(sample_site), "--keep", str(tmp_path)],
                        REPO, {"SITE_BUILD_TIME": BUILD_TIME})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "same output" in result.stdout and "only the generator meta differs" in result.stdout
    built = tmp_path / "properdocs"
    # Really ProperDocs' build, with every plugin's output: pages, feeds, search, web editor, gzip copies.
    assert generator(built / "index.html").startswith("mkdocs-ProperDocs 1.6.7, mkdocs-material-9.")
    assert generator(sample_site / "index.html").startswith("mkdocs-1.6.")
    for output in ("feed.xml", "lectures/podcast.xml", "lectures/calendar.ics", "pagefind/pagefind.js",
                   "search/index.html", "admin/config.yml", "subscribe/feeds.opml", "index.html.gz"):
        assert (built / output).is_file(), output
    assert differences(sample_site, built) == []


def _site(root: Path, files: dict[str, bytes]) -> Path:
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return root


def test_only_the_generator_meta_may_differ(tmp_path: Path) -> None:
    one, two = PAGE % (b"mkdocs-1.6.1, mkdocs-material-9.8.2", b"x"), PAGE % (b"mkdocs-ProperDocs 1.6.7, m", b"x")
    a = _site(tmp_path / "a", {"index.html": one, "index.html.gz": gzip.compress(one, mtime=0), "feed.xml": b"<rss/>"})
    b = _site(tmp_path / "b", {"index.html": two, "index.html.gz": gzip.compress(two, mtime=0), "feed.xml": b"<rss/>"})
    assert differences(a, b) == []
    assert normalised(a / "index.html") == normalised(b / "index.html.gz")


def test_every_other_difference_is_reported(tmp_path: Path) -> None:
    page = PAGE % (b"mkdocs-1.6.1", b"<p>\xe6\x95\x91</p>")
    other = PAGE % (b"mkdocs-ProperDocs 1.6.7", b"<p>\xe6\x95\x91\xe6\x8f\xb4</p>")
    a = _site(tmp_path / "a", {"index.html": page, "index.html.gz": gzip.compress(page, mtime=0),
                               "about/index.html": page, "about/index.html.gz": gzip.compress(page, mtime=0),
                               "feed.xml": b"<rss>1</rss>", "only.txt": b"a", "logo.png": b"\x89PNG\x00\x01"})
    b = _site(tmp_path / "b", {"index.html": other, "index.html.gz": gzip.compress(other, mtime=0),
                               "about/index.html": page, "about/index.html.gz": gzip.compress(other, mtime=0),
                               "feed.xml": b"<rss>2</rss>", "logo.png": b"\x89PNG\x00\x02"})
    found = {d.path: d.what for d in differences(a, b)}
    assert set(found) == {"index.html", "index.html.gz", "about/index.html.gz", "feed.xml", "only.txt", "logo.png"}
    assert "救援" in found["index.html"] and "<p>救</p>" in found["index.html"]  # the lines that part
    assert found["about/index.html.gz"] == "not a gzip copy of its file in b"
    assert found["only.txt"] == "only in a"
    assert found["logo.png"].startswith("binary files differ from byte 5")
    assert "<rss>1</rss>" in found["feed.xml"] and "<rss>2</rss>" in found["feed.xml"]
