"""The build's two passes without an engine: `prepare` on the sample content and `finish` on pages a
test writes, in a process where MkDocs (and Material) cannot be imported (the same passes in a
MkDocs build: tests/test_pipeline_build.py)."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import BUILD_TIME, REPO

pytestmark = pytest.mark.unit

# Runs in a process of its own: an engine imported anywhere below fails it (a None module cannot be imported).
DRIVER = r"""
import dataclasses, html, json, sys
from pathlib import Path
for engine in ("mkdocs", "material", "properdocs"):
    sys.modules[engine] = None
from site_plugins import settings as site_settings
from site_plugins.content.dates import parse_when
from site_plugins.pipeline.finish import Built, finish
from site_plugins.pipeline.prepare import prepare
from site_plugins.pipeline.views import NOT_FOUND

repo, site_dir = Path(sys.argv[1]), Path(sys.argv[2])
loaded = site_settings.load(repo / "mkdocs.yml")
# The stages that draw and transcode media keep their own (build) tests: these passes use none.
settings = dataclasses.replace(loaded, plugins=("rc-meta", "rc-feeds", "rc-listings", "rc-search", "rc-hosting"))
said = []
result = prepare(repo / "content", settings, parse_when(sys.argv[3])[0], say=said.append)
for src, info in result.infos.items():  # what an engine would write: each page at its address
    page = site_dir / info.url / "index.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    if src in result.entries:
        body = f'<p>写出的正文：{html.escape(result.entries[src].title)}</p><p><img src="photo.webp" alt="图"></p>'
        page.write_text(f'<html><body><div class="rc-body">\n    {body}\n  </div></body></html>', encoding="utf-8")
    else:
        page.write_text('<html><body><article class="md-content__inner md-typeset"><h1>' + html.escape(info.title)
                        + '</h1><p>页面正文。</p></article></body></html>', encoding="utf-8")
manifest = finish(Built(site_dir), result, say=said.append)
try:
    result.views[NOT_FOUND] = {}
    frozen = False
except TypeError:
    frozen = True
print(json.dumps({
    "entries": {src: e.title for src, e in result.entries.items()},
    "withheld": sorted(result.withheld), "views": {src: sorted(v) for src, v in result.views.items()},
    "home": result.views["index.md"]["home"] is not None, "frozen": frozen,
    "producers": manifest.producers(), "said": said, "engines": [m for m in ("mkdocs", "material") if sys.modules[m]],
}, ensure_ascii=False))
"""


@pytest.fixture(scope="module")
def passes(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    site = tmp_path_factory.mktemp("passes") / "site"
    site.mkdir()
    run = subprocess.run([sys.executable, "-c", DRIVER, str(REPO), str(site), BUILD_TIME], capture_output=True,
                         text=True, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout), site


def test_prepare_describes_every_published_page_without_an_engine(passes: tuple[dict, Path]) -> None:
    found, _ = passes
    assert found["engines"] == []
    assert len(found["entries"]) == 28 and found["withheld"] == [
        "stories/mingnian-chunyun-jiu-zai-shenbian.md", "stories/zhiyuanzhe-yinian-zouguo-de-lu.md"]
    views = found["views"]
    assert set(found["entries"]) < set(views) and not set(found["withheld"]) & set(views)
    assert {"index.md", "about.md", "subscribe.md", "search.md", "stories/index.md", "404.html"} <= set(views)
    story = next(src for src in found["entries"] if src.startswith("stories/"))
    assert {"entry", "meta", "jsonld", "feeds", "footer", "related"} <= set(views[story])
    assert "listing" in views["narratives/index.md"] and found["home"] and found["frozen"]


def test_finish_reads_the_written_pages_and_writes_through_the_manifest(passes: tuple[dict, Path]) -> None:
    found, site = passes
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    newest = [title for title in found["entries"].values() if f"写出的正文：{title}" in feed]
    assert len(newest) == 20  # the feed's limit, each item with the body read back from its page
    items = json.loads((site / "feed.json").read_text(encoding="utf-8"))["items"]
    assert all(f'<img src="{item["url"]}photo.webp"' in item["content_html"] for item in items)  # made absolute
    assert "BEGIN:VEVENT" in (site / "lectures" / "calendar.ics").read_text(encoding="utf-8")
    assert (site / "subscribe" / "feeds.opml").is_file() and (site / "pagefind" / "pagefind-entry.json").is_file()
    redirects = json.loads((site / ".hosting" / "redirects.json").read_text(encoding="utf-8"))
    assert len(redirects) == 2 and all((site / old).is_file() for old in redirects)
    assert gzip.decompress((site / "feed.xml.gz").read_bytes()) == feed.encode("utf-8")
    producers = found["producers"]
    assert producers["feed.xml"].startswith("订阅源") and producers["lectures/calendar.ics"].startswith("讲座日历")
    assert producers["pagefind/pagefind-entry.json"].startswith("搜索索引")
    assert all(producers[old].startswith("旧网址") for old in redirects)
    assert producers["index.html"].startswith("网站生成器") and producers["feed.xml.gz"].startswith("压缩副本")
    assert any("pages indexed (after rendering," in line for line in found["said"])
