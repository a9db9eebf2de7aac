"""The two passes in a MkDocs build: every output of ours goes through the one manifest, what `finish`
reads back from the written pages is what was rendered, and a page's view is titled as MkDocs titles it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from .conftest import SiteMaker

pytestmark = pytest.mark.build


def test_a_build_writes_every_output_of_ours_through_the_manifest(make_site: Callable[[], SiteMaker]) -> None:
    from mkdocs.config import load_config

    site = make_site()
    site.story("new-name", extra="aliases: [old-name]\n")
    site.lecture("talk")
    site.build()
    meta = load_config(config_file=str(site.config)).plugins["rc-meta"]  # the instance the build used
    producers = meta.manifest.producers()  # type: ignore[attr-defined]
    on_disk = {p.relative_to(site.site).as_posix() for p in site.site.rglob("*") if p.is_file()}
    assert set(producers) == on_disk  # nothing written beside it
    ours = {path: who for path, who in producers.items() if not who.startswith("网站生成器")}
    for path in ("feed.xml", "lectures/podcast.xml", "lectures/calendar.ics", "lectures/talk/talk.ics",
                 "subscribe/feeds.opml", "pagefind/pagefind-entry.json", "search/sort-date.json",
                 "stories/old-name/index.html", ".hosting/redirects.json", "admin/index.html", "admin/config.yml",
                 "feed.xml.gz", "stories/new-name/index.html.gz"):
        assert path in ours, path
    assert {who.split("（")[0].split(" ")[0] for who in ours.values()} == {
        "订阅源", "订阅源列表", "讲座日历", "搜索索引", "旧网址的跳转页", "网页编辑器", "压缩副本"}


def test_pages_read_back_from_the_site_are_what_was_rendered(make_site: Callable[[], SiteMaker],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """What `finish` reads from the written pages (feeds' bodies; the index with `stream: false`) is what
    the search worker was handed as each page rendered: the rendered Markdown, images as <picture>."""
    from mkdocs.config import load_config

    from site_plugins.adapters import search
    from site_plugins.outputs.search.records import PageSource
    from site_plugins.pipeline.searching import from_site

    from .image_helpers import save_phone_photo

    site = make_site()
    save_phone_photo(site.content / "stories" / "photo.jpg", 64, 48)
    site.story("pictured", body="第一段。\n\n![照片](photo.jpg)\n\n## 小标题\n\n<div markdown>\n嵌套的 *段落*。\n</div>\n\n最后一段。")
    site.lecture("talk", body="讲座的**内容**。")
    site.write("guide.md", "# 指南\n\n没有 front matter 的页面。\n")
    streamed: list[PageSource] = []
    hand_over = search.WORKER.add

    def add(source: PageSource) -> None:
        streamed.append(source)
        hand_over(source)

    monkeypatch.setattr(search.WORKER, "add", add)
    site.build()
    result = load_config(config_file=str(site.config)).plugins["rc-meta"].result  # type: ignore[attr-defined]
    read_back = list(from_site(result, site.site))
    assert sorted(read_back, key=lambda s: s.url) == sorted(streamed, key=lambda s: s.url)
    assert {s.url for s in streamed} >= {"/stories/pictured/", "/lectures/talk/", "/guide/", "/about/"}
    assert "<picture>" in next(s.body_html for s in streamed if s.url == "/stories/pictured/")


def test_a_page_is_titled_as_the_engine_titles_it(make_site: Callable[[], SiteMaker]) -> None:
    """The view's og:title of a page without a front matter title: its opening heading, else its file name."""
    import re

    site = make_site()
    site.write("guide.md", "# 使用指南 {#top}\n\n正文。\n")
    site.write("notes/quick-notes.md", "正文在前。\n\n# 不是标题\n")
    site.write("help/index.md", "没有标题。\n")
    site.build()
    for page, expected in (("guide/index.html", "使用指南"), ("notes/quick-notes/index.html", "Quick notes"),
                           ("help/index.html", "Index"), ("about/index.html", "关于")):
        html = (site.site / page).read_text(encoding="utf-8")
        og = re.search(r'property="og:title" content="([^"]*)"', html)
        assert og is not None and og.group(1) == expected, page
        if page != "about/index.html":  # Material's <title> is MkDocs' page title where no front matter sets one
            assert re.search(r"<title>([^<]*)</title>", html).group(1).startswith(f"{expected} - "), page  # type: ignore[union-attr]
