"""The share card and 分享海报 in the built site: every story and lecture links a poster whose QR code
decodes (zxing-cpp, not our encoder) to its canonical address, and names a square share image;
every page carries `itemprop` meta inside a microdata item; a lecture's poster follows its venue."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import zxingcpp
from bs4 import BeautifulSoup
from PIL import Image

from site_plugins import urls

from .conftest import sample_content

pytestmark = pytest.mark.build

SITE_URL = "https://lecture.example.org/"


def soup_of(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def itemprops(soup: BeautifulSoup) -> dict[str, str]:
    return {m["itemprop"]: m["content"] for m in soup.head.find_all("meta", attrs={"itemprop": True})}


def site_file(site: Path, absolute: str) -> Path:
    assert absolute.startswith(SITE_URL), absolute
    return site / absolute.removeprefix(SITE_URL)


def linked_poster(site: Path, path: str, soup: BeautifulSoup) -> Path:
    """The poster the page links (the no-script link), checked against the dialog's <img>."""
    link = soup.select_one("a.rc-actions__poster")["href"]
    img = soup.select_one("dialog#rc-share img.rc-share__poster")
    assert img["src"] == link and (img["width"], img["height"]) == ("750", "1334")
    return (site / path / link).resolve()


def test_every_story_and_lecture_poster_decodes_to_its_canonical_url(sample_site: Path) -> None:
    _catalog, edition = sample_content()
    entries = [*edition.stories, *edition.lectures]
    assert len(entries) >= 20
    for entry in entries:
        soup = soup_of(sample_site, entry.url)
        canonical = soup.find("link", rel="canonical")["href"]
        assert canonical == SITE_URL + entry.url
        poster = linked_poster(sample_site, entry.url, soup)
        assert poster == (sample_site / urls.poster(entry.kind, entry.slug, "png")).resolve()
        assert poster.stat().st_size < 300_000
        with Image.open(poster) as image:
            assert image.size == (750, 1334) and image.format == "PNG"
            found = zxingcpp.read_barcodes(image)
        assert [code.text for code in found] == [canonical], entry.source
        assert found[0].format == zxingcpp.BarcodeFormat.QRCode and found[0].ec_level in ("M", "Q", "H")
        assert soup.select_one("[data-rc-share]")["data-rc-url"] == canonical  # what 复制链接 copies
    published = {p.relative_to(sample_site).as_posix() for p in (sample_site / "posters").rglob("*.*")}
    assert published == {urls.poster(e.kind, e.slug, "png") for e in entries}  # none missing, none extra


def test_every_entry_names_its_square_share_image(sample_site: Path) -> None:
    _catalog, edition = sample_content()
    for entry in [*edition.stories, *edition.lectures]:
        soup = soup_of(sample_site, entry.url)
        props = itemprops(soup)
        assert props["name"] == entry.title and props["description"] == entry.summary
        assert soup.find("meta", attrs={"name": "description"})["content"] == entry.summary
        assert soup.title.get_text().startswith(entry.title + " - ")  # WeChat's documented card title
        square = site_file(sample_site, props["image"])
        assert square.relative_to(sample_site).as_posix() == urls.share_image(entry.kind, entry.slug)
        with Image.open(square) as image:
            assert image.format == "JPEG" and image.width == image.height >= 300


@pytest.mark.parametrize("path", ["", "narratives/", "narratives/volunteer/", "stories/", "lectures/",
                                  "stories/archive/", "subscribe/", "about/"])
def test_pages_that_are_not_entries_share_the_site_square(sample_site: Path, path: str) -> None:
    soup = soup_of(sample_site, path)
    html = soup.find("html")
    assert html.has_attr("itemscope") and html["itemtype"] == "https://schema.org/WebPage"
    props = itemprops(soup)
    assert props["image"] == SITE_URL + urls.SITE_SHARE_IMAGE
    with Image.open(site_file(sample_site, props["image"])) as image:
        assert image.size == (600, 600)
    title = soup.title.get_text()
    assert title.startswith(props["name"]) and props["description"]
    assert soup.find("meta", attrs={"name": "description"})["content"] == props["description"]
    assert soup.select_one("[data-rc-share]") is None  # no 分享 button without a poster


TRICKY = '<b>粗体</b> "引号" & \'单引号\''


@pytest.fixture(scope="module")
def lecture_site(make_shared_site):  # type: ignore[no-untyped-def]
    import json

    s = make_shared_site()
    s.story("tricky", title=json.dumps(TRICKY, ensure_ascii=False))
    s.lecture("talk", date="2026-12-12 09:30", extra="summary: 讲座简介。\n")
    s.build()
    return s


def test_markup_in_a_title_is_text_in_the_share_meta_and_the_dialog(lecture_site) -> None:  # type: ignore[no-untyped-def]
    soup = soup_of(lecture_site.site, "stories/tricky/")
    assert itemprops(soup)["name"] == TRICKY
    assert soup.select_one("dialog img")["alt"] == "分享海报：" + TRICKY
    assert soup.head.find("b") is None and soup.select_one(".rc-actions b, dialog b") is None
    raw = (lecture_site.site / "stories/tricky/index.html").read_text(encoding="utf-8")
    assert '<meta itemprop="name" content="&lt;b&gt;粗体&lt;/b&gt; &#34;引号&#34; &amp; &#39;单引号&#39;">' in raw
    poster = linked_poster(lecture_site.site, "stories/tricky/", soup)
    with Image.open(poster) as image:
        assert [c.text for c in zxingcpp.read_barcodes(image)] == [SITE_URL + "stories/tricky/"]


def test_a_lecture_poster_changes_with_its_venue_and_nothing_else_is_drawn(lecture_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    poster = lecture_site.site / urls.poster("lecture", "talk", "png")
    story_poster = lecture_site.site / urls.poster("story", "tricky", "png")
    before, story_before = poster.read_bytes(), story_poster.read_bytes()
    moved = lecture_site.copy(tmp_path / "moved")
    page = moved.content / "lectures" / "talk" / "index.md"
    page.write_text(page.read_text(encoding="utf-8").replace("venue: 培训教室", "venue: 社区服务中心三楼会议室"),
                    encoding="utf-8")
    result = moved.build()
    assert re.search(r"squares and posters \(1 drawn\)", result.stderr), result.stderr  # only the poster
    after = (moved.site / urls.poster("lecture", "talk", "png")).read_bytes()
    assert after != before
    assert (moved.site / urls.poster("story", "tricky", "png")).read_bytes() == story_before
    with Image.open(moved.site / urls.poster("lecture", "talk", "png")) as image:
        assert [c.text for c in zxingcpp.read_barcodes(image)] == [SITE_URL + "lectures/talk/"]


def test_check_and_build_give_the_same_notice_for_what_a_poster_leaves_out(make_site) -> None:  # type: ignore[no-untyped-def]
    from .test_scripts import run

    s = make_site()
    s.story("emoji", extra="summary: 冬夜送温暖😀\n")
    s.write("lectures/talk/index.md", "---\nid: 1b4e28ba-2fa1-11d2-883f-0016d3cca427\ntitle: 讲座\n"
            "date: 2026-03-05 14:30\nduration: 90\ntags: [应急救护]\nspeakers:\n  - name: 李红梅\n"
            "    affiliation: 讲师👩‍⚕️\nvenue: 活动室🏠\ncity: 太原\n---\n\n讲座内容。\n")
    check = run("check", "--content", s.content, cwd=s.root)
    build = s.build()
    assert check.returncode == 0, check.stdout + check.stderr
    said = [line.split("注意：", 1)[1] for line in (check.stdout + check.stderr).splitlines() if "海报" in line]
    logged = [line.split("注意：", 1)[1] for line in build.stderr.splitlines() if "海报" in line]
    assert sorted(":".join(line.removeprefix("content/").split(":")[:3]) for line in said) == [
        "lectures/talk/index.md:10: venue", "lectures/talk/index.md:7: speakers", "stories/emoji.md:6: summary"]
    assert sorted(said) == sorted(logged)
