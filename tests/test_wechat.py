"""The 公众号 edition's core against the draft API's documented limits and the editor's rules:
no <style>, <script>, <svg>, class, id or CSS variable; links as numbered references; one level
of lists; escaped text; images at most 1080 px wide and under 1 MB."""

from __future__ import annotations

import random
import re
from datetime import datetime
from pathlib import Path

import lxml.html
import pytest
from PIL import Image

from site_plugins.content.dates import SHANGHAI
from site_plugins.content.frontmatter import parse_text
from site_plugins.content.schema import Lecture, Story
from site_plugins.content.validate import Context, build_entry
from site_plugins.content.vocabulary import load_vocabulary
from site_plugins.editors import wechat
from site_plugins.media.images import Rendition, Variant
from site_plugins.outputs.wechat import edition, images, inline, limits, links

from .conftest import REPO
from .image_helpers import JPEG_ALLOWED, metadata_blocks, save_phone_photo

pytestmark = pytest.mark.unit

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=SHANGHAI)
SITE = "https://lecture.example.org/"
CONFIG = wechat.read_config(REPO / "mkdocs.yml")
RENDER = edition.MarkdownRenderer(CONFIG.extensions, CONFIG.extension_configs)


def entry(front: str, body: str = "正文。", path: str = "stories/x.md", kind: str = "story",
          content: Path = REPO / "content") -> Story | Lecture:
    vocabulary, problems = load_vocabulary(REPO / "content" / "narratives.yml", "narratives.yml")
    assert vocabulary is not None, problems
    made, found = build_entry(parse_text(f"---\n{front}\n---\n\n{body}\n", path), kind,  # type: ignore[arg-type]
                              Context(vocabulary, {}, content))
    assert made is not None, found
    return made


def story(title: str = "测试故事", body: str = "正文。", extra: str = "") -> Story | Lecture:
    return entry(f"title: '{title}'\ndate: 2026-03-05\ntags: [志愿服务]\n{extra}", body)


def make(item: Story | Lecture, body: str | None = None, pages: dict[str, str] | None = None,
         bounds: limits.Limits = limits.LIMITS) -> edition.Article:
    names = iter(range(1, 100))
    return edition.article(item, RENDER.html(item.body if body is None else body), url=SITE + item.url, now=NOW,
                           link=links.content_links(item.source, pages or {}, SITE),
                           image=lambda src: f"{next(names):02d}.jpg", bounds=bounds)


def tree(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(html)


# --- the documented limits ---

def test_limits_are_the_documented_ones() -> None:
    bounds = limits.LIMITS
    documented = (bounds.title, bounds.digest, bounds.content_chars, bounds.content_bytes, bounds.image_width,
                  bounds.image_bytes)
    assert documented == (32, 128, 20_000, 1_000_000, 1080, 1_000_000)


def test_title_of_32_characters_passes_and_33_is_refused_with_the_count() -> None:
    assert make(story("题" * 32)).problems == []
    [problem] = make(story("题" * 33)).problems
    assert (problem.path, problem.line, problem.field) == ("stories/x.md", 2, "title")
    assert "33 个字" in problem.message and "最多 32 个字" in problem.message and "至少 1 个字" in problem.message


def test_digest_of_128_is_kept_and_a_longer_summary_is_cut_with_a_notice() -> None:
    kept = make(story(extra="summary: " + "好" * 128))
    assert kept.digest == "好" * 128 and kept.notices == []
    long = "第一句话说完了。" * 20  # 160 characters
    cut = make(story(extra=f"summary: {long}"))
    assert len(cut.digest) <= 128 and cut.digest.endswith("。") and long.startswith(cut.digest)
    [notice] = cut.notices
    assert notice.notice and notice.field == "summary" and "160 个字" in notice.message and "最多 128 个字" in notice.message


@pytest.mark.parametrize(("chars", "refused"), [(19_999, False), (20_000, True)])
def test_content_must_be_under_20000_characters(chars: int, refused: bool) -> None:
    problems = limits.check(story(), "字" * chars)
    assert bool(problems) is refused
    if refused:
        assert problems[0].field == "正文" and "20000 个字符" in problems[0].message and "少于 20000" in problems[0].message
        assert "请删减约 1 个字符" in problems[0].message


def test_content_must_be_under_one_megabyte() -> None:
    bounds = limits.Limits(content_chars=10**9, content_bytes=300)
    assert limits.check(story(), "字" * 99, bounds) == []  # 297 bytes
    [problem] = limits.check(story(), "字" * 100, bounds)
    assert "小于 1 MB" in problem.message


def test_a_long_body_is_refused_by_the_article_itself() -> None:
    body = "\n\n".join("这是一段很长的正文，用来超过公众号的字数上限。" * 4 for _ in range(300))
    found = make(story(body=body))
    assert len(found.html) >= 20_000 and [p.field for p in found.problems] == ["正文"]


# --- what the editor strips ---

HOSTILE = """<p class="lead" id="first" style="color: var(--rc-red); margin: 0">甲<script>alert(1)</script></p>
<style>p { color: red }</style><svg><text>画</text></svg><div class="admonition note" id="n"><p class="admonition-title">提示</p>
<p onclick="x()">乙</p></div><details class="tip"><summary>更多</summary><p>丙</p></details>
<iframe src="https://video.example/"></iframe><p>丁<!-- 注释 --></p>"""


def test_nothing_the_editor_strips_is_left_and_every_block_is_styled() -> None:
    found = edition.article(story(), HOSTILE, url=SITE, now=NOW, link=lambda href: href, image=lambda src: src)
    root = tree(found.html)
    tags = {e.tag for e in root.iter() if isinstance(e.tag, str)}
    assert not tags & {"style", "script", "svg", "iframe", "div", "details", "summary", "text"}
    assert not [e for e in root.iter() if isinstance(e.tag, str) and set(e.attrib) - {"style", "src", "alt"}]
    assert "var(" not in found.html and "<!--" not in found.html and "alert" not in found.html
    assert all(e.get("style") for e in root.iter("section", "p", "blockquote")), found.html
    assert root.text_content().replace("\n", "") == "2026年3月5日甲提示乙更多丙丁"
    box = root.xpath("//p[.='提示']")[0]
    assert "#b71c1c" in box.get("style")  # the site's red, resolved from article.css


def test_article_styles_headings_quotes_tables_and_figures_like_the_site() -> None:
    body = "## 小标题\n\n### 三级\n\n> 引用\n\n| 甲 | 乙 |\n|---|:-:|\n| 1 | 2 |\n\n![图说](a.jpg)\n"
    root = tree(make(story(), body).html)
    assert "border-bottom:2px solid #b71c1c" in root.find(".//h2").get("style")
    assert "border-left:4px solid #b71c1c" in root.find(".//h3").get("style")
    assert "border-left:4px solid #b71c1c" in root.find(".//blockquote").get("style")
    table = root.find(".//table")
    assert "overflow-x:auto" in table.getparent().get("style") and "border-collapse:collapse" in table.get("style")
    assert "text-align:center" in table.findall(".//th")[1].get("style")  # the column's own alignment wins
    assert "max-width:100%" in root.find(".//img").get("style")


def test_article_css_red_is_the_sites_red() -> None:
    site = (REPO / "assets" / "overrides" / "assets" / "stylesheets" / "site.css").read_text(encoding="utf-8")
    ours = inline.stylesheet()
    pattern = r"--rc-red:\s*(#[0-9a-f]{6})"
    assert re.search(pattern, ours)[1] == re.search(pattern, site)[1] == "#b71c1c"  # type: ignore[index]


# --- links, lists, images, escaping ---

def test_links_become_numbered_references_in_order_one_number_per_address() -> None:
    body = ("见[红十字会](https://www.example.org/a)和[另一篇](other.md#做法)，再看[红十字会](https://www.example.org/a)、"
            "[关于](../about.md)、[本页](#小标题)、<https://auto.example/> 和 <office@example.org>。\n\n## 小标题\n")
    found = make(story(body=body), pages={"stories/other.md": "stories/another-slug/"})
    assert found.references == (
        (1, "红十字会", "https://www.example.org/a"),
        (2, "另一篇", SITE + "stories/another-slug/#做法"),
        (3, "关于", SITE + "about/"),
        (4, "", "https://auto.example/"),
        (5, "", "mailto:office@example.org"),
    )
    root = tree(found.html)
    assert root.find(".//a") is None
    assert [s.text for s in root.iter("sup")] == ["[1]", "[2]", "[1]", "[3]", "[4]", "[5]"]
    assert "本页、" in root.text_content()  # an in-page jump keeps its words, no number
    refs = [p.text_content() for p in root[-1].iter("p")]
    assert refs == ["参考链接", "[1] 红十字会：https://www.example.org/a", f"[2] 另一篇：{SITE}stories/another-slug/#做法",
                    f"[3] 关于：{SITE}about/", "[4] https://auto.example/", "[5] office@example.org"]
    assert root.find(".//h2").text_content() == "小标题"  # no permalink "#" left behind


def test_lists_nested_deeper_than_one_level_are_flattened() -> None:
    body = "- 甲\n    - 甲一\n        - 甲一a\n    - 甲二\n- 乙\n\n然后：\n\n1. 第一步\n    1. 细节一\n    2. 细节二\n2. 第二步\n"
    root = tree(make(story(body=body)).html)
    assert not root.xpath("//li//ul | //li//ol")
    lists = root.findall(".//ul") + root.findall(".//ol")
    assert len(lists) == 2
    items = [[(li.text or "").strip(), *[line.text_content().strip() for line in li.iter("section")]]
             for li in root.iter("li")]
    assert items == [["甲", "◦ 甲一", "▪ 甲一a", "◦ 甲二"], ["乙"], ["第一步", "1. 细节一", "2. 细节二"], ["第二步"]]
    lines = root.findall(".//li/section")
    assert [line.get("style").split("margin:")[1] for line in lines][:3] == [
        "4px 0 4px 16px", "4px 0 4px 32px", "4px 0 4px 16px"]


def test_images_are_figures_in_order_with_their_alt_text_as_caption() -> None:
    body = "开头。\n\n![第一张](a.jpg)\n\n一段话 ![第二张](b.png) 接着说。\n\n- 项目 ![第三张](c.jpg)\n"
    root = tree(make(story(), body).html)
    figures = list(root.iter("figure"))
    assert [(f.find("img").get("src"), f.find("img").get("alt"), f.find("figcaption").text) for f in figures] == [
        ("01.jpg", "第一张", "第一张"), ("02.jpg", "第二张", "第二张"), ("03.jpg", "第三张", "第三张")]
    assert not root.xpath("//p//img | //p//figure")
    assert "一段话 接着说。" in " ".join(root.text_content().split())


def test_title_and_fields_with_markup_quotes_and_ampersands_stay_text() -> None:
    title = "<b>粗</b> \"引号\" & '单引号'"
    item = entry("title: '<b>粗</b> \"引号\" & ''单引号'''\ndate: 2026-03-05\ntags: [志愿服务]\ncity: <i>太原</i> & 晋中\n"
                 "summary: 摘要 <script>x</script> & \"引\"")
    assert item.title == title
    found = make(item, "![图 <b>说</b> & \"明\"](a.jpg)")
    page = wechat.document(found)
    doc = lxml.html.document_fromstring(page)
    assert doc.findtext(".//title") == title
    assert "<b>" not in page and "<i>" not in page and "<script>" not in page
    assert "<title>&lt;b&gt;粗&lt;/b&gt; &quot;引号&quot; &amp; &#x27;单引号&#x27;</title>" in page
    assert doc.find(".//figcaption").text == "图 <b>说</b> & \"明\""
    assert "<i>太原</i> & 晋中" in doc.find(".//body/section/p").text_content()
    assert found.digest == "摘要 <script>x</script> & \"引\""  # plain text, for the digest field


def test_a_lecture_starts_with_its_facts_time_with_weekday_and_speakers() -> None:
    lecture = entry("title: 讲座\ndate: 2026-12-05 14:30\nduration: 90\ntags: [应急救护]\n"
                    "speakers:\n  - name: 李红梅\n    affiliation: 讲师\n  - name: 张晓东\n"
                    "venue: 培训教室\ncity: 太原\naudience: 80", path="lectures/x/index.md", kind="lecture")
    facts = tree(make(lecture).html)[0]
    text = [" ".join(p.text_content().split()) for p in facts.iter("p")]
    assert text == ["即将举行，欢迎参加。", "主讲人：李红梅（讲师）张晓东", "时间：2026年12月5日（星期六）14:30–16:00",
                    "地点：培训教室", "城市：太原", "现场听众：80 人"]
    assert facts.find("p[2]/br") is not None  # one speaker a line
    assert "border:2px solid #e0e0e0" in facts.get("style")


def test_images_are_at_most_1080_wide_under_a_megabyte_upright_and_without_metadata(tmp_path: Path) -> None:
    portrait = save_phone_photo(tmp_path / "p.jpg", 3000, 2000, orientation=6)  # stored sideways
    made = images.encode(portrait)
    assert (made.suffix, made.width, made.height) == ("jpg", 1080, 1620)
    assert len(made.data) < 1_000_000 and set(metadata_blocks(made.data)) <= JPEG_ALLOWED
    small = images.encode(save_phone_photo(tmp_path / "s.jpg", 600, 400))
    assert (small.width, small.height) == (600, 400)


def test_images_step_down_until_they_fit(tmp_path: Path) -> None:
    rng = random.Random(7)
    noise = Image.frombytes("RGB", (2400, 1600), rng.randbytes(2400 * 1600 * 3))
    noise.save(tmp_path / "noise.jpg", quality=95)
    tight = limits.Limits(image_bytes=120_000)
    made = images.encode(tmp_path / "noise.jpg", tight)
    assert made.suffix == "jpg" and len(made.data) < 120_000 and made.width < 1080  # quality alone was not enough
    noise.save(tmp_path / "noise.png")  # a PNG photo too large as PNG: a JPEG
    assert images.encode(tmp_path / "noise.png", tight).suffix == "jpg"
    seethrough = noise.convert("RGBA")
    seethrough.putalpha(Image.frombytes("L", noise.size, rng.randbytes(2400 * 1600)))
    seethrough.save(tmp_path / "alpha.png")
    made = images.encode(tmp_path / "alpha.png")
    assert made.suffix == "png" and made.width == 1080 and len(made.data) < 1_000_000
    assert Image.open(tmp_path / "alpha.png").mode == "RGBA"
    assert images.encode(tmp_path / "alpha.png").data == made.data  # same input, same bytes


def test_preview_picks_the_widest_variant_within_1080() -> None:
    variants = tuple(Variant(f"x-{w}.jpg", w, w // 2, "fallback") for w in (480, 960, 1600))
    assert images.preview_variant(Rendition(3000, 1500, variants)).name == "x-960.jpg"


def test_script_renders_with_the_extensions_mkdocs_uses() -> None:
    from mkdocs.config import load_config

    config = load_config(str(REPO / "mkdocs.yml"))
    assert list(CONFIG.extensions) == list(config.markdown_extensions)
    assert CONFIG.extension_configs["toc"]["slugify"] is config.mdx_configs["toc"]["slugify"]
    assert CONFIG.url == config.site_url
