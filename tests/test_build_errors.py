"""A build with bad content fails, names every problem, and keeps the last good site."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.build


def test_bad_files_fail_the_build_and_keep_the_last_site(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site()
    site.story("good", title="好故事")
    site.build()
    page = site.site / "stories" / "good" / "index.html"
    before = page.read_bytes()

    site.story("typo", tags="[志愿服物]")
    site.story("baddate", date="2026-02-30")
    site.story("nocover", extra="cover: missing.jpg\ncover_alt: 图\n")
    site.write("stories/中文名.md", "---\ntitle: x\n---\n")
    result = site.build(check=False)

    assert result.returncode != 0
    log = result.stdout + result.stderr
    assert "stories/typo.md:5: tags:" in log and "志愿服务" in log
    assert "stories/baddate.md:4: date:" in log
    assert "stories/nocover.md:6: cover:" in log
    assert "stories/中文名.md:1: file name:" in log
    assert "内容检查发现" in log
    assert page.read_bytes() == before  # the previous site was not cleaned


def test_same_slug_never_overwrites(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site()
    site.story("one", extra="slug: shared\n")
    site.story("two", extra="slug: shared\n")
    result = site.build(check=False)
    assert result.returncode != 0
    log = result.stdout + result.stderr
    assert "stories/one.md" in log and "stories/two.md" in log and "slug" in log


def test_slug_sets_the_address(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site()
    site.write("stories/2026/nested-file.md", "---\nid: 9b6f0a4e-5c1e-4f1a-9d0e-2c7d7f0e8a11\n"
               "title: 嵌套\ndate: 2026-01-02\ntags: [捐赠]\nslug: custom-address\n---\n\n正文。\n")
    site.build()
    assert (site.site / "stories" / "custom-address" / "index.html").is_file()
    assert not (site.site / "stories" / "2026").exists()


def test_preview_shows_drafts_with_a_banner(make_site) -> None:  # type: ignore[no-untyped-def]
    from mkdocs.config import load_config
    from mkdocs.structure.files import File

    from site_plugins.outputs.pages.pageview import banner

    site = make_site()
    site.story("secret", title="草稿故事", extra="draft: true\n")
    config = load_config(str(site.config))
    meta = config.plugins["rc-meta"]
    meta.on_startup(command="serve", dirty=False)
    config = config.plugins.on_config(config)
    meta.on_pre_build(config=config)
    assert [s.slug for s in meta.result.edition.stories] == ["secret"]
    assert banner(meta.result.edition.stories[0], meta.result.now).startswith("草稿")
    file = File("stories/secret.md", str(site.content), str(site.site), True)
    assert file.src_uri in meta.result.entries
    assert meta.result.views[file.src_uri]["banner"].startswith("草稿")
