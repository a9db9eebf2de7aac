"""One commit and one build time give the same bytes in every file of site/.

The second build differs in what must not matter: the output folder, the hash
seed (set iteration order), the process time zone and a later build time that
publishes the same entries. Dates in the output come from content, never from
the wall clock. This is the one reproducibility test of the suite.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import struct
from datetime import UTC, datetime
from pathlib import Path

import pytest

from site_plugins.content.catalog import Edition

from .conftest import REPO, run_build

pytestmark = pytest.mark.build


def digests(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(sample_site: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere" / "site"
    # Later the same day: nothing in the sample is scheduled or starts in between, and the
    # sitemap's dates (content dates, capped at the build's day) stay the same.
    later = {"SITE_BUILD_TIME": "2026-11-29T23:59:00+08:00"}
    run_build(REPO / "mkdocs.yml", other, {"PYTHONHASHSEED": "4242", "TZ": "America/New_York", **later})
    first, second = digests(sample_site), digests(other)
    assert set(first) == set(second), f"files differ: {sorted(set(first) ^ set(second))}"
    differing = sorted(name for name in first if first[name] != second[name])
    assert not differing, f"{len(differing)} files differ between two builds of one commit: {differing}"
    # Everything a reader or crawler downloads is covered, not only the HTML.
    kinds = {Path(name).suffix for name in first}
    assert {".html", ".xml", ".gz", ".json", ".jpg", ".ics", ".mp3"} <= kinds
    # The precompressed copies and the redirect lists are part of the output too.
    assert {"index.html.gz", "feed.xml.gz", ".hosting/nginx-redirects.conf", ".hosting/redirects.json"} <= set(first)
    # ... the search index too: Pagefind's chunks, fragments, filters, metadata and wasm
    search = {Path(name).suffix for name in first if name.startswith("pagefind/")}
    assert {".pf_index", ".pf_fragment", ".pf_filter", ".pf_meta", ".pagefind"} <= search
    assert "search/t2s/00.json" in first  # the Traditional -> Simplified shards


def test_sitemap_dates_come_from_content_not_the_clock(sample_site: Path, sample_edition: Edition) -> None:
    now, published = sample_edition.now, sample_edition
    sitemap = (sample_site / "sitemap.xml").read_text(encoding="utf-8")
    lastmod = dict(re.findall(r"<loc>[^<]*?/((?:stories|lectures)/[^<]+/)</loc>\s*<lastmod>([^<]+)</lastmod>", sitemap))
    entries = [*published.stories, *published.lectures]
    assert entries and len(lastmod) >= len(entries)
    for entry in entries:
        assert lastmod[entry.url] == f"{min(entry.modified, now):%Y-%m-%d}", entry.source
    # sitemap.xml.gz: the gzip header's mtime is the newest lastmod (MkDocs takes it from the pages).
    raw = (sample_site / "sitemap.xml.gz").read_bytes()
    mtime = struct.unpack("<I", raw[4:8])[0]
    newest = max(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap))
    assert datetime.fromtimestamp(mtime, UTC).strftime("%Y-%m-%d") == newest
    assert gzip.decompress(raw).decode("utf-8") == sitemap
