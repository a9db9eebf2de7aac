"""Editors' real input, built: image names as phones and the web editor write them, invisible characters
pasted with WeChat text, dates typed the Chinese way, HTML pasted from Word and WeChat. Each publishes
(with a notice where something was read as meant) or fails at its line, and scripts/check says the same."""

from __future__ import annotations

import re
import uuid

import pytest
from bs4 import BeautifulSoup

from .conftest import SiteMaker
from .image_helpers import save_phone_photo
from .test_editor_input import check, reported

pytestmark = pytest.mark.build

NAMES = ["微信图片 20260105 (2).jpg", "IMG_0001 (1).JPG", "【活动】合影（第2张）.jpg", "照片(3.jpg", "a%20b.jpg"]


def _story(site: SiteMaker, slug: str, body: str, front: str = "", date: str = "2026-03-05") -> None:
    site.write(f"stories/{slug}/index.md", f"---\nid: {uuid.uuid5(uuid.NAMESPACE_URL, slug)}\ntitle: 测试\n"
               f"date: {date}\ntags: [志愿服务]\n{front}---\n\n{body}\n")


def test_image_names_as_phones_write_them_publish_as_pictures(make_site) -> None:  # type: ignore[no-untyped-def]
    site: SiteMaker = make_site()
    for index, name in enumerate(NAMES):
        save_phone_photo(site.content / "stories" / "names" / name, 320 + 16 * index, 240)
    _story(site, "names", "\n\n".join([
        "![空格和括号](微信图片 20260105 (2).jpg)",
        "![尖括号](<IMG_0001 (1).JPG>)",
        "![百分号编码](%E5%BE%AE%E4%BF%A1%E5%9B%BE%E7%89%87%2020260105%20(2).jpg)",
        "![全角括号](【活动】合影（第2张）.jpg)",
        "![不配对的括号](<照片(3.jpg>)",
        "![文件名里的百分号](a%2520b.jpg)",
    ]))
    result = site.build()
    page = BeautifulSoup((site.site / "stories" / "names" / "index.html").read_text(encoding="utf-8"), "html.parser")
    article = page.select_one("article")
    assert article is not None
    pictures = article.select("picture")
    assert [p.img["alt"] for p in pictures] == ["空格和括号", "尖括号", "百分号编码", "全角括号", "不配对的括号", "文件名里的百分号"]
    for picture in pictures:
        src = str(picture.img["src"])
        assert src.isascii() and " " not in src and (site.site / "stories" / "names" / src).resolve().is_file(), src
    assert "![" not in article.get_text()  # nothing published as text
    listed = check(site)
    assert listed.returncode == 0, listed.stdout
    assert reported(listed.stdout) == reported(result.stderr)


def test_image_names_markdown_cannot_hold_get_the_line_to_write(make_site) -> None:  # type: ignore[no-untyped-def]
    site: SiteMaker = make_site()
    for name in ("照片(3.jpg", "合影2).jpg", "ok.jpg"):
        save_phone_photo(site.content / "stories" / "cut" / name, 64, 48)
    _story(site, "cut", "![括号](照片(3.jpg)\n\n![右括号](合影2).jpg)\n\n！【中文标点】（ok.jpg）")
    build = site.build(check=False)
    listed = check(site)
    assert build.returncode != 0 and listed.returncode == 1
    lines = reported(listed.stdout)
    assert lines == reported(build.stderr)
    by_line = {int(line.split(":")[1]): line for line in lines}
    assert by_line[8].endswith("请写成 ![括号](<照片(3.jpg>)")
    assert by_line[10].endswith("请写成 ![右括号](<合影2).jpg>)")
    assert by_line[12].endswith("请全部改用英文标点：![中文标点](ok.jpg)")
    assert not any("不是支持的格式" in line for line in lines)


def test_invisible_characters_never_reach_tags_slugs_titles_feeds_or_search(make_site) -> None:  # type: ignore[no-untyped-def]
    site: SiteMaker = make_site()
    site.write("stories/zwsp.md", "---\nid: 6f1c8a46-0d40-4b2e-9a8e-5d1b7f3c2a11\ntitle: 冬夜\u200b送温暖\u2060\n"
               "date: 2026-03-05\ntags: [志愿\u200b服务]\nslug: dong\u200cye\n---\n\n"
               "志愿者\u200b冬夜送温暖\u202e。`保留\u200b`\n\n👨\u200d👩\u200d👧 一家人\n")
    result = site.build()
    assert "stories/zwsp.md:3: text: 删除了 2 个看不见的字符：U+200B（零宽空格）、U+2060（词连接符）" in result.stderr
    assert "stories/zwsp.md:9: text:" in result.stderr and "U+202E（双向文字控制符）" in result.stderr
    page = (site.site / "stories" / "dongye" / "index.html").read_text(encoding="utf-8")
    assert "志愿者冬夜送温暖。" in page and "<code>保留\u200b</code>" in page and "👨\u200d👩\u200d👧" in page
    assert "narratives/volunteer/" in page
    for name in ("feed.xml", "atom.xml", "feed.json", "narratives/volunteer/index.html", "sitemap.xml"):
        text = (site.site / name).read_text(encoding="utf-8").replace("保留\u200b", "")  # code keeps its own
        assert not re.search("[\u200b\u200c\u2060\u202e]", text), name
        assert "冬夜送温暖" in text or name == "sitemap.xml"
    listed = check(site)
    assert listed.returncode == 0 and reported(listed.stdout) == reported(result.stderr)


def test_dates_typed_the_chinese_way_publish_and_fix_writes_iso(make_site) -> None:  # type: ignore[no-untyped-def]
    site: SiteMaker = make_site()
    _story(site, "typed", "正文。", date="2026年3月5日")
    site.lecture("talk", date="２０２６／３／７　下午２：３０")
    result = site.build()
    assert "stories/typed/index.md:4: date: 日期“2026年3月5日”已按 2026-03-05 读取" in result.stderr
    assert "lectures/talk/index.md:4: date: 日期“２０２６／３／７　下午２：３０”已按 2026-03-07 14:30 读取" in result.stderr
    feed = (site.site / "lectures" / "calendar.ics").read_text(encoding="utf-8")
    assert "DTSTART;TZID=Asia/Shanghai:20260307T143000" in feed
    listed = check(site)
    assert listed.returncode == 0 and reported(listed.stdout) == reported(result.stderr)
    fixed = check(site, "--fix")
    assert "已改写日期：content/stories/typed/index.md:4: date: 2026年3月5日 → 2026-03-05" in fixed.stdout
    assert "date: 2026-03-07 14:30\n" in (site.content / "lectures" / "talk" / "index.md").read_text(encoding="utf-8")
    assert "已按" not in fixed.stdout.split("已改写日期")[-1]


def test_html_pasted_from_word_and_wechat_is_published_clean(make_site) -> None:  # type: ignore[no-untyped-def]
    from .test_pastedhtml import WECHAT, WORD

    site: SiteMaker = make_site()
    _story(site, "pasted", f"{WORD}\n\n{WECHAT}\n\n第三段<span style=\"color:#333\">正文</span>。")
    result = site.build()
    for line in (8, 15, 17):
        assert f"stories/pasted/index.md:{line}: body: 这段 HTML 是从 Word 或微信粘贴来的" in result.stderr
    html = (site.site / "stories" / "pasted" / "index.html").read_text(encoding="utf-8")
    article = str(BeautifulSoup(html, "html.parser").select_one("article"))
    for pasted in ("Mso", "mso-", "o:p", "data-tools", "<section", "<span style", "display:none", "宋体", "rgb("):
        assert pasted not in article, pasted
    for kept in ("志愿者在车站", "<td colspan=\"2\">120 人</td>", "<strong>冬夜送温暖</strong>", "第三段正文。"):
        assert kept in article, kept
    assert "公众号</a>" in article
    feed = (site.site / "feed.xml").read_text(encoding="utf-8")
    assert "MsoNormal" not in feed and "志愿者在车站" in feed
    listed = check(site)
    assert listed.returncode == 0 and reported(listed.stdout) == reported(result.stderr)


def test_an_animated_gif_stays_animated_on_the_page(make_site) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    from .test_animated_images import animated_gif

    site: SiteMaker = make_site()
    (site.content / "stories" / "gif").mkdir(parents=True)
    animated_gif(site.content / "stories" / "gif" / "微信动图.gif", (400, 300))
    animated_gif(site.content / "stories" / "gif" / "cover.gif", (500, 300), count=4)
    _story(site, "gif", "![志愿者挥手](微信动图.gif)", front="cover: cover.gif\ncover_alt: 志愿者在活动室\n")
    result = site.build()
    notice = "stories/gif/index.md:6: cover: 封面“cover.gif”是动图。"
    assert notice in result.stderr
    page = BeautifulSoup((site.site / "stories" / "gif" / "index.html").read_text(encoding="utf-8"), "html.parser")
    folder = site.site / "stories" / "gif"
    body = page.select("article picture")[-1]
    gif = Image.open(folder / str(body.img["src"]))
    assert gif.format == "GIF" and gif.n_frames == 3  # type: ignore[attr-defined]
    webp = Image.open(folder / str(body.select_one('source[type="image/webp"]')["srcset"]).split(" ")[0])  # type: ignore[index]
    assert webp.format == "WEBP" and webp.n_frames == 3  # type: ignore[attr-defined]
    still = body.select_one('source[media="(prefers-reduced-motion: reduce)"]')
    assert still is not None and getattr(Image.open(folder / str(still["srcset"])), "n_frames", 1) == 1
    card = page.select_one('meta[property="og:image"]')
    assert card is not None  # the social card is drawn from the cover's first frame
    listed = check(site)
    assert listed.returncode == 0 and f"注意：content/{notice}" in listed.stdout
    assert reported(listed.stdout) == reported(result.stderr)
