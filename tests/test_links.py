"""The internal-link check agrees with what `mkdocs build --strict` accepts and rejects."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup

from site_plugins.check.links import Page, anchors, find_links

from .conftest import SiteMaker
from .test_scripts import problems, run

pytestmark = pytest.mark.build

HEADINGS = """\
# 页面标题

## 课堂上的那个周末

## AED 在哪里？

## Hello World: CPR & AED

## 重复的小标题

## 重复的小标题

## 自定义 {#custom-id}

## **加粗** 和 `代码`

Setext 小标题
-------------

<div id="html-anchor">HTML</div>

```
## 代码里的不是小标题
```
"""


def test_heading_ids_match_the_built_page(make_site: Callable[[], SiteMaker]) -> None:
    site = make_site()
    site.story("headings", body=HEADINGS)
    site.build()
    html = (site.site / "stories" / "headings" / "index.html").read_text(encoding="utf-8")
    built = {tag["id"] for tag in BeautifulSoup(html, "html.parser").find_all(id=True)}
    mine = anchors(HEADINGS)
    assert {"课堂上的那个周末", "aed-在哪里", "hello-world-cpr--aed", "重复的小标题", "重复的小标题_1",
            "custom-id", "加粗-和-代码", "setext-小标题", "html-anchor"} <= mine
    assert "代码里的不是小标题" not in mine
    assert mine <= built, mine - built


def test_find_links_skips_code_and_keeps_lines() -> None:
    # A reference definition is checked where it is used, as the built <a> is; an unused one makes no link.
    page = Page("stories/a.md", "[a](x.md)\n`[b](y.md)`\n```\n[c](z.md)\n```\n![图](p.jpg) [d](<w.md> \"t\")\n"
                "[用][ref] ![老人[右]和志愿者](b.jpg)\n\n[ref]: r.md\n[unused]: u.md", 8)
    assert [(link.line, link.target, link.image) for link in find_links(page)] == [
        (8, "x.md", False), (13, "p.jpg", True), (13, "w.md", False), (14, "r.md", False), (14, "b.jpg", True)]


def test_heading_id() -> None:
    assert anchors("## AED 在哪里？\n\n## [链接](x.md) 标题") == {"aed-在哪里", "链接-标题"}


def test_check_and_strict_build_agree_on_links(make_site: Callable[[], SiteMaker]) -> None:
    """Every link check accepts builds; every link it rejects fails the strict build too."""
    site = make_site()
    site.story("target", body="第一段。\n\n## 课堂上的那个周末\n\n正文。")
    site.story("hidden", extra="draft: true\n")
    site.story("soon", date="2027-01-15")
    site.write("lectures/talk/slides.pdf", "%PDF-1.4\n")
    site.lecture("talk")
    good = "\n\n".join([
        "[故事](target.md) [锚点](target.md#课堂上的那个周末) [本页](#本页小标题)",
        "[讲座](../lectures/talk/index.md) [讲义](../lectures/talk/slides.pdf) [绝对](/stories/target.md)",
        "[首页](../index.md) [专题](../narratives/volunteer/index.md) [故事列表](index.md) [订阅](../subscribe.md)",
        "[外部](https://www.redcross.org.cn/) [邮件](mailto:info@example.org)",
        "## 本页小标题",
    ])
    site.story("good", body=good)
    assert run("check", "--content", site.content, cwd=site.root).returncode == 0
    site.build()  # strict: raises if MkDocs warned about any link

    bad = {
        "targte.md": "[丢失](targte.md)",
        "../target/": "[网址](../target/)",
        "target.md#没有这节": "[坏锚点](target.md#没有这节)",
        "hidden.md": "[草稿](hidden.md)",
        "soon.md": "[定时](soon.md)",
        "#没有": "[本页坏锚点](#没有)",
    }
    site.story("bad", body="\n\n".join(bad.values()))
    result = run("check", "--content", site.content, cwd=site.root)
    reported = [m for path, _, _, m in problems(result.stdout) if path == "content/stories/bad.md"]
    assert len(reported) == len(bad)
    for url, message in zip(bad, reported, strict=True):
        assert f"“{url}”" in message
    build = site.build(check=False)
    assert build.returncode != 0
    log = build.stdout + build.stderr
    # The build runs the same link check before MkDocs' own: the same lines, in Chinese.
    for path, line, field, message in problems(result.stdout):
        if path == "content/stories/bad.md":
            assert f"stories/bad.md:{line}: {field}: {message}" in log


def test_links_between_unpublished_entries(make_site: Callable[[], SiteMaker]) -> None:
    """A scheduled story may link to one going live no later; a draft may link to anything."""
    from site_plugins import settings
    from site_plugins.check import checker
    from site_plugins.content.dates import parse_when

    site = make_site()
    site.story("early", date="2027-01-10")
    site.story("late", date="2027-02-01")
    site.story("notes", extra="draft: true\n")
    site.story("a", date="2027-01-20", body="[早](early.md)")  # goes live after its target: fine
    site.story("b", date="2027-01-20", body="[晚](late.md)")  # would break the build from 1-20 to 2-1
    site.story("c", extra="draft: true\n", body="[晚](late.md) [草稿](notes.md)")  # drafts are never built
    site.story("d", date="2027-03-01", body="[草稿](notes.md)")  # a draft is never there
    report = checker.run(site.content, checker.Selection(), parse_when("2026-11-29 12:00")[0],
                         settings.beside(site.content))
    assert [(p.path, p.field) for p in report.problems] == [("stories/b.md", "link"), ("stories/d.md", "link")]
    assert "2027年2月1日" in report.problems[0].message and "草稿" in report.problems[1].message
