"""scripts/wechat on a synthetic site: the folder it writes, what it prints, and what it refuses."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import lxml.html
import pytest
from PIL import Image

from .conftest import SiteMaker
from .image_helpers import save_phone_photo
from .test_scripts import problems, run

pytestmark = pytest.mark.build

SITE = "https://lecture.example.org/"
BODY = """第一段，见[红十字会官网](https://www.example.org/)和[另一篇](other.md)。

## 培训现场

![第二张图：培训现场](peixun.jpg)

> “学了就要用得上。”

- 第一步
    - 细节
- 第二步

### 合唱

| 时间 | 地点 |
|---|---|
| 周五 | 活动室 |

![第三张图：合唱](hechang.png)

再看一次[红十字会官网](https://www.example.org/)。
"""


@pytest.fixture
def site(make_site: Callable[[], SiteMaker]) -> SiteMaker:
    made = make_site()
    made.story("other", title="另一篇")
    made.story("gzh", title="公众号测试", body=BODY,
               extra="summary: 一句话摘要。\ncover: cover.jpg\ncover_alt: 第一张图：封面\ncity: 太原\n")
    save_phone_photo(made.content / "stories" / "cover.jpg", 3000, 2000, orientation=6)
    save_phone_photo(made.content / "stories" / "peixun.jpg", 1600, 1200)
    save_phone_photo(made.content / "stories" / "hechang.png", 1400, 900, fmt="PNG", alpha=True)
    made.lecture("jiangzuo", title="讲座测试", date="2026-12-05 14:30")
    return made


def wechat(site: SiteMaker, *args: str | Path) -> tuple[int, str]:
    result = run("wechat", *args, "-f", site.config, cwd=site.root)
    return result.returncode, result.stdout + result.stderr


def test_writes_the_article_and_its_images_in_order(site: SiteMaker) -> None:
    code, out = wechat(site, "content/stories/gzh.md", "content/lectures/jiangzuo", "--out", "公众号")
    assert code == 0, out
    folder = site.root / "公众号" / "gzh"
    assert sorted(p.name for p in folder.iterdir()) == ["01.jpg", "02.jpg", "03.png", "article.html"]
    page = lxml.html.document_fromstring((folder / "article.html").read_text(encoding="utf-8"))
    assert [(img.get("src"), img.get("alt")) for img in page.iter("img")] == [
        ("01.jpg", "第一张图：封面"), ("02.jpg", "第二张图：培训现场"), ("03.png", "第三张图：合唱")]
    for name in ("01.jpg", "02.jpg", "03.png"):
        assert (folder / name).stat().st_size < 1_000_000
        with Image.open(folder / name) as image:
            assert image.width <= 1080
    with Image.open(folder / "01.jpg") as cover:
        assert cover.size == (1080, 1620)  # turned upright from its EXIF orientation
    refs = [p.text_content() for p in page.xpath("//section/section[last()]/p")]
    assert refs == ["参考链接", "[1] 红十字会官网：https://www.example.org/", f"[2] 另一篇：{SITE}stories/other/"]
    assert page.findtext(".//title") == "公众号测试"
    assert f"阅读原文：{SITE}stories/gzh/" in out and "标题：公众号测试" in out and "摘要：一句话摘要。" in out
    assert "公众号/gzh/article.html（图片 3 张）" in out
    lecture = (site.root / "公众号" / "jiangzuo" / "article.html").read_text(encoding="utf-8")
    assert "2026年12月5日（星期六）14:30–16:00" in lecture and "李红梅（讲师）" in lecture
    assert "已生成 2 篇" in out


def test_same_files_with_and_without_the_image_cache(site: SiteMaker) -> None:
    assert wechat(site, "content/stories/gzh.md", "--out", "a")[0] == 0
    cached = {p.name: p.read_bytes() for p in (site.root / "a" / "gzh").iterdir()}
    assert list((site.root / ".cache" / "wechat").rglob("image.*"))
    for entry in (site.root / ".cache" / "wechat").iterdir():
        entry.rename(site.root / f"old-{entry.name}")
    assert wechat(site, "content/stories/gzh.md", "--out", "b")[0] == 0
    assert {p.name: p.read_bytes() for p in (site.root / "b" / "gzh").iterdir()} == cached


def test_a_file_the_check_refuses_is_refused_in_the_same_words(site: SiteMaker) -> None:
    site.story("typo", tags="[志愿服物]", body="正文。\n\n![没有的图](nope.jpg)\n")
    checked = run("check", "--content", site.content, "content/stories/typo.md", cwd=site.root)
    code, out = wechat(site, "content/stories/typo.md", "--out", "out")
    assert code == 1 and checked.returncode == 1
    assert problems(out) == problems(checked.stdout) and len(problems(out)) == 2
    assert not (site.root / "out" / "typo").exists()
    assert "1 个文件有问题，没有生成" in out


def test_a_title_over_32_characters_is_refused_with_its_count(site: SiteMaker) -> None:
    site.story("long", title="这是一个非常非常长的标题" * 3)  # 36 characters
    code, out = wechat(site, "content/stories/long.md", "content/stories/other.md", "--out", "out")
    assert code == 1
    assert problems(out) == [("content/stories/long.md", 3, "title",
                              "标题有 36 个字，公众号标题最多 32 个字。请把 title 改短至少 4 个字后再运行 scripts/wechat。")]
    assert not (site.root / "out" / "long").exists() and (site.root / "out" / "other" / "article.html").is_file()


def test_a_long_summary_is_cut_for_the_digest_with_a_notice(site: SiteMaker) -> None:
    site.story("summary", extra="summary: " + "这句话有十个字。" * 17 + "\n")
    code, out = wechat(site, "content/stories/summary.md", "--out", "out")
    assert code == 0, out
    notice = next(line for line in out.splitlines() if line.startswith("注意："))
    assert re.match(r"注意：content/stories/summary\.md:6: summary: 摘要有 136 个字，公众号摘要最多 128 个字，已截为前 \d+ 个字", notice)
    digest = next(line for line in out.splitlines() if line.startswith("  摘要："))
    assert len(digest.removeprefix("  摘要：")) <= 128


def test_refuses_other_pages_an_output_inside_content_and_says_when_a_draft_goes_live(site: SiteMaker) -> None:
    code, out = wechat(site, "content/about.md", "--out", "out")
    assert code == 1 and "content/about.md:1: file: 这不是故事或讲座" in out
    code, out = wechat(site, "content/stories/other.md", "--out", "content/wx")
    assert code == 1 and "在 content/ 中" in out and not (site.content / "wx").exists()
    site.story("draft", extra="draft: true\n")
    code, out = wechat(site, "content/stories/draft.md", "--out", "out")
    assert code == 0 and "注意：content/stories/draft.md:6: url: 本文是草稿" in out


def test_the_public_site_has_no_copy_button_article_or_script(sample_site: Path) -> None:
    """复制到公众号 is the preview's (scripts/serve): a production build has none of it."""
    from .conftest import sample_content

    _catalog, published = sample_content()
    pages = [sample_site / e.url / "index.html" for e in [*published.stories, *published.lectures]]
    assert pages and all(page.is_file() for page in pages)
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "data-rc-wechat" not in text and "<template" not in text and "复制到公众号" not in text, page
    assert not list(sample_site.rglob("wechat-copy.js*"))


def test_an_image_that_cannot_be_decoded_is_reported_at_its_line(site: SiteMaker) -> None:
    """A cut-short photo passes the header check and fails on decoding: reported as the build reports it."""
    data = (site.content / "stories" / "peixun.jpg").read_bytes()
    (site.content / "stories" / "peixun.jpg").write_bytes(data[: len(data) // 2])
    code, out = wechat(site, "content/stories/gzh.md", "--out", "out")
    assert code == 1
    [(path, line, field, message)] = problems(out)
    assert (path, line, field) == ("content/stories/gzh.md", 16, "image") and "不完整" in message
    assert not (site.root / "out" / "gzh").exists()
