"""The home page for a phone reader, card pictures, the footer's registration numbers, and what
every built page may load: the core, then the built sample site."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from site_plugins.content.catalog import Edition
from site_plugins.content.dates import parse_when
from site_plugins.content.schema import ImageRef, Lecture, Story
from site_plugins.content.vocabulary import parse_vocabulary
from site_plugins.media.placeholder import draw_placeholder, placeholders
from site_plugins.outputs.pages.cards import Thumb
from site_plugins.outputs.pages.footer import footer_from_extra, strip_checkbox_autocomplete
from site_plugins.outputs.pages.home import featured_story
from site_plugins.outputs.pages.listings import build_listings

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parent.parent
VOCAB, _ = parse_vocabulary((REPO / "content" / "narratives.yml").read_text(encoding="utf-8"), "n")
NOW = parse_when("2026-11-29 12:00")[0]


def story(i: int, tags: tuple[str, ...] = ("volunteer",), cover: bool = False, featured: bool = False) -> Story:
    return Story(kind="story", source=f"stories/s{i}.md", id=str(i), title=f"故事{i}", date=NOW - timedelta(days=i),
                 tags=tags, slug=f"s{i}", body="", summary="", char_count=1, reading_minutes=1,
                 cover=ImageRef(f"stories/s{i}.jpg", f"图{i}", 5, True) if cover else None, featured=featured)


def lecture(i: int, days: int, cancelled: bool = False) -> Lecture:
    return Lecture(kind="lecture", source=f"lectures/l{i}/index.md", id=f"l{i}", title=f"讲座{i}",
                   date=NOW + timedelta(days=days), tags=("first-aid",), slug=f"l{i}", body="", summary="",
                   char_count=1, reading_minutes=1, city="太原", cancelled=cancelled)


def test_featured_is_the_editors_pick_else_the_newest_with_a_cover() -> None:
    plain, covered, older_pick = story(1), story(2, cover=True), story(3, featured=True)
    assert featured_story([plain, covered, older_pick]) is older_pick
    assert featured_story([plain, covered, story(4, cover=True)]) is covered
    assert featured_story([plain, story(5)]) is plain
    assert featured_story([]) is None


def test_home_blocks_in_order_for_a_phone() -> None:
    stories = [story(1, ("volunteer", "donor")), story(2, ("donor",), cover=True), story(3, ("eldercare",)),
               story(4, ("volunteer",)), story(5, ("volunteer",))]
    lectures = (lecture(1, 30), lecture(2, 3), lecture(3, 10, cancelled=True), lecture(4, -20))
    edition = Edition(tuple(stories), lectures, (), NOW)
    thumbs = {"stories/s2.jpg": Thumb("media/k/s2-thumb.webp", 480, 320, "media/k/s2-thumb@2x.webp")}
    marks = {n.key: Thumb(f"media/placeholders/{n.key}.webp", 480, 320, f"media/placeholders/{n.key}@2x.webp")
             for n in VOCAB.narratives}
    home = build_listings(edition, VOCAB, thumbs, home_count=2, placeholders=marks).home
    assert home is not None and home.featured is not None
    assert home.featured.url == "stories/s2/" and home.featured.thumb == thumbs["stories/s2.jpg"]
    sections = {s.narrative.key: [c.url for c in s.cards] for s in home.sections}
    # newest first, at most two, the featured story not repeated, empty narratives left out
    assert sections == {"volunteer": ["stories/s1/", "stories/s4/"], "donor": ["stories/s1/"],
                        "eldercare": ["stories/s3/"]}
    # upcoming only, soonest first; the cancelled and the held one are not on the home page
    assert [c.url for c in home.upcoming] == ["lectures/l2/", "lectures/l1/"]
    assert [link.label for link in home.narratives] == [n.label for n in VOCAB.narratives]
    # every card has a picture: its cover's thumbnail, else its first narrative's placeholder
    s1 = next(c for s in home.sections for c in s.cards if c.url == "stories/s1/")
    assert s1.thumb == marks["volunteer"] and s1.placeholder == "volunteer" and s1.thumb_alt == ""


def test_lecture_list_keeps_cancelled_apart_from_upcoming() -> None:
    edition = Edition((), (lecture(1, 30), lecture(2, 3), lecture(3, 10, cancelled=True), lecture(4, -20)), (), NOW)
    first = next(p for p in build_listings(edition, VOCAB, {}).pages if p.url == "lectures/")
    groups = {g.heading: [c.url for c in g.cards] for g in first.groups}
    assert groups["即将举行"] == ["lectures/l2/", "lectures/l1/"]
    assert groups["已取消"] == ["lectures/l3/"]
    assert any(h.endswith("已举办") for h in groups)


def test_placeholders_are_drawn_the_same_every_time_and_differ_by_narrative() -> None:
    narratives = tuple((n.key, n.label, n.color) for n in VOCAB.narratives)
    first = placeholders(narratives, (480, 320))
    placeholders.cache_clear()
    again = placeholders(narratives, (480, 320))
    assert first == again
    assert len({one for one, _ in first.values()}) == len(narratives)
    one, two = first["volunteer"]
    with Image.open(io.BytesIO(one)) as a, Image.open(io.BytesIO(two)) as b:
        assert (a.format, a.size, b.format, b.size) == ("WEBP", (480, 320), "WEBP", (960, 640))


def test_a_label_the_bundled_font_lacks_is_left_off_not_drawn_from_a_machine_font() -> None:
    plain = draw_placeholder("", "#c62828", (480, 320))
    assert draw_placeholder("\ue000", "#c62828", (480, 320)).tobytes() == plain.tobytes()
    assert draw_placeholder("志愿服务", "#c62828", (480, 320)).tobytes() != plain.tobytes()


CONFIG = """site_name: x
extra:
  beian:
    icp: 晋ICP备2026000001号-1
    police: 晋公网安备14010502000001号
  contact:
    address: 太原市某路 1 号
    phone: 0351-1234567
  donate: https://example.org/give/
"""


def test_footer_details_from_extra() -> None:
    extra = {"beian": {"icp": "晋ICP备2026000001号-1", "police": "晋公网安备14010502000001号"},
             "contact": {"address": "太原市某路 1 号", "phone": "0351-1234567", "email": "a@example.org"},
             "donate": "about/#donate"}
    footer, problems = footer_from_extra(extra, CONFIG)
    assert problems == []
    assert footer.police_url.endswith("code=14010502000001")
    assert footer.phone_uri == "tel:03511234567" and footer.donate == "about/#donate"
    assert footer_from_extra({})[0].empty


@pytest.mark.parametrize(("extra", "field", "line"), [
    ({"beian": {"icp": "ICP 12345"}}, "extra.beian.icp", 4),
    ({"beian": {"police": "公安备案"}}, "extra.beian.police", 5),
    ({"contact": {"phone": "打电话给我们"}}, "extra.contact.phone", 8),
    ({"donate": "http://example.org/give/"}, "extra.donate", 9),
    ({"donate": "//cdn.example.org/"}, "extra.donate", 9),
    ({"beian": "晋ICP备2026000001号"}, "extra.beian", 3),
])
def test_footer_mistakes_name_the_line_in_chinese(extra: dict, field: str, line: int) -> None:
    _footer, problems = footer_from_extra(extra, CONFIG)
    assert [(p.path, p.line, p.field) for p in problems] == [("mkdocs.yml", line, field)]
    assert re.search(r"[\u4e00-\u9fff]", problems[0].message)


def test_checkbox_autocomplete_is_dropped_and_nothing_else() -> None:
    html = ('<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">'
            '<input type="text" name="query" autocomplete="off">')
    assert strip_checkbox_autocomplete(html) == (
        '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer">'
        '<input type="text" name="query" autocomplete="off">')


# --- the built sample site ---------------------------------------------------------------------


def soup_of(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


@pytest.mark.build
def test_sample_home_page_layout(sample_site: Path) -> None:
    main = soup_of(sample_site, "").select_one(".md-content__inner")
    assert main is not None
    h1 = main.find_all("h1")
    assert len(h1) == 1 and "rc-sr-only" in h1[0]["class"]  # the header shows the name; no visible repeat
    blocks = [el for el in main.find_all(["section", "nav"], recursive=False)]
    classes = [" ".join(el.get("class", [])) for el in blocks]
    assert classes[0] == "rc-featured" and blocks[0].find("img", fetchpriority="high") is not None
    lectures = next(el for el in blocks if el.find("h2", id="rc-next"))
    assert lectures.h2.get_text(strip=True) == "即将举行的讲座"
    statuses = [s.get_text() for s in lectures.select(".rc-card__meta strong")]
    assert statuses and set(statuses) == {"即将举行"}
    dates = [t["datetime"] for t in lectures.select(".rc-card time")]
    assert dates == sorted(dates)
    chips = next(el for el in blocks if el.name == "nav")
    assert chips.select("a.rc-tag") and not chips.select('a[href*="subscribe"]')
    assert next(el for el in blocks if el.find("h2", id="rc-sub")).select_one('a[href="subscribe/"]')
    assert classes.index(" ".join(chips["class"])) > blocks.index(lectures)


@pytest.mark.build
def test_every_listing_card_has_a_webp_picture_with_2x(sample_site: Path) -> None:
    pages = [p for p in sample_site.rglob("index.html") if 'class="rc-card"' in p.read_text(encoding="utf-8")]
    assert len(pages) > 10
    placeholders_seen = set()
    for page in pages:
        for card in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("li.rc-card"):
            img = card.find("img")
            assert img is not None, f"{page}: a card without a picture"
            assert img["src"].endswith(".webp") and "2x" in img["srcset"], img
            for candidate in img["srcset"].split(", "):
                assert (page.parent / candidate.split()[0]).resolve().is_file()
            if card.get("data-placeholder"):
                placeholders_seen.add(card["data-placeholder"])
                assert img["alt"] == "" and f"placeholders/{card['data-placeholder']}.webp" in img["src"]
    assert len(placeholders_seen) >= 2  # several narratives' own placeholders are in use
    # the first screen's pictures load at once, the rest lazily
    first = soup_of(sample_site, "narratives/volunteer/").select("li.rc-card img")
    assert [img.get("loading") for img in first[:3]] == [None, None, "lazy"]


NUMBER_AND_UNIT = re.compile(r"\d+ (?:字|分钟|篇|人|KB|页)")


@pytest.mark.build
def test_numbers_and_units_never_wrap_apart(sample_site: Path) -> None:
    broken = []
    for page in sorted(sample_site.rglob("*.html")):
        text = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text()
        broken += [f"{page.relative_to(sample_site)}: {m}" for m in NUMBER_AND_UNIT.findall(text)]
    assert not broken, broken[:10]


@pytest.mark.build
def test_no_heading_skips_a_level(sample_site: Path) -> None:
    skips = []
    for page in sorted(sample_site.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        main = soup.select_one(".md-content") or soup
        last = 0
        for h in main.find_all(re.compile(r"^h[1-6]$")):
            level = int(h.name[1])
            if level > last + 1:
                skips.append(f"{page.relative_to(sample_site)}: h{last} → h{level} «{h.get_text(strip=True)}»")
            last = level
    assert not skips, skips[:10]


class _Loads(HTMLParser):
    """Every URL a page makes the browser fetch: scripts, styles, icons, preloads, images, media, frames."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        rel = set(a.get("rel", "").lower().split())
        if tag == "link" and rel & {"stylesheet", "icon", "apple-touch-icon", "preload", "modulepreload",
                                    "prefetch", "preconnect", "dns-prefetch", "manifest"}:
            self.urls.append(a.get("href", ""))
        if tag in ("script", "img", "iframe", "audio", "video", "source", "track", "embed", "input"):
            self.urls.append(a.get("src", ""))
        if tag in ("img", "source"):
            self.urls += [c.split()[0] for c in a.get("srcset", "").split(",") if c.strip()]
        if tag == "video":
            self.urls.append(a.get("poster", ""))
        if tag == "object":
            self.urls.append(a.get("data", ""))
        self.urls += css_urls(a.get("style", ""))

    def handle_data(self, data: str) -> None:  # <style> blocks
        self.urls += css_urls(data)


CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)|@import\s+['\"]([^'\"]+)")


def css_urls(text: str) -> list[str]:
    """Every url(...) and @import of a style sheet."""
    return [u for pair in CSS_URL.findall(text) for u in pair if u]


def foreign(url: str) -> bool:
    parts = urlsplit(url.strip())
    return bool(parts.netloc) or parts.scheme not in ("", "data")


@pytest.mark.build
def test_no_page_loads_anything_from_another_host(sample_site: Path) -> None:
    pages = sorted(sample_site.rglob("*.html"))
    assert len(pages) > 20
    found = []
    for page in pages:
        loads = _Loads()
        loads.feed(page.read_text(encoding="utf-8"))
        found += [f"{page.relative_to(sample_site)}: {u}" for u in loads.urls if u and foreign(u)]
    for sheet in sorted(sample_site.rglob("*.css")):
        urls = css_urls(sheet.read_text(encoding="utf-8"))
        found += [f"{sheet.relative_to(sample_site)}: {u}" for u in urls if foreign(u)]
    assert not found, "\n".join(found[:20])


def test_the_resource_check_catches_foreign_loads() -> None:
    loads = _Loads()
    loads.feed('<link rel="stylesheet" href="https://fonts.example.com/a.css"><script src="//cdn.example.com/x.js">'
               '</script><img src="a.png" srcset="a.png 1x, https://img.example.com/b.png 2x" alt="">'
               '<style>@import "https://x.example/y.css"; body{background:url(data:image/png;base64,AA)}</style>'
               '<a href="https://beian.miit.gov.cn/">a link is not a load</a>')
    assert [u for u in loads.urls if foreign(u)] == [
        "https://fonts.example.com/a.css", "//cdn.example.com/x.js", "https://img.example.com/b.png",
        "https://x.example/y.css"]


@pytest.mark.build
def test_footer_shows_registration_numbers_when_set(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site()
    config = site.config.read_text(encoding="utf-8").replace("extra:\n", "extra:\n" + CONFIG.split("extra:\n")[1])
    site.config.write_text(config, encoding="utf-8")
    site.story("one")
    site.build()
    footer = BeautifulSoup((site.site / "index.html").read_text(encoding="utf-8"), "html.parser").select_one(".md-copyright")
    icp = footer.find("a", string="晋ICP备2026000001号-1")
    assert icp is not None and icp["href"] == "https://beian.miit.gov.cn/"
    assert footer.find("a", string="晋公网安备14010502000001号")["href"].endswith("code=14010502000001")
    assert footer.find("a", href="tel:03511234567") is not None and "太原市某路 1 号" in footer.get_text()
    assert footer.find("a", href="https://example.org/give/").get_text() == "我要捐赠"
    # a mistake fails the build with the line of mkdocs.yml, and the sample without these shows none
    site.config.write_text(config.replace("晋ICP备2026000001号-1", "ICP 123"), encoding="utf-8")
    result = site.build(check=False)
    assert result.returncode != 0 and re.search(r"\smkdocs\.yml:\d+: extra\.beian\.icp: ICP 备案号", result.stderr)


@pytest.mark.build
def test_sample_footer_has_no_registration_line_when_unset(sample_site: Path) -> None:
    footer = soup_of(sample_site, "").select_one(".md-copyright")
    assert footer is not None and not footer.select(".rc-beian") and "beian" not in str(footer)


@pytest.mark.build
def test_editors_pick_leads_the_home_page(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site()
    site.story("new", title="最新的故事", date="2026-05-01")
    site.story("pick", title="编辑推荐", date="2026-01-01", extra="featured: true\n")
    # the featured picture fills the column every page's pictures fill: rc-images' `sizes`, not a copy
    sizes = "(min-width: 60em) 900px, 100vw"
    config = site.config.read_text(encoding="utf-8")
    site.config.write_text(config.replace("  - rc-images:\n", f"  - rc-images:\n      sizes: '{sizes}'\n", 1),
                           encoding="utf-8")
    site.build()
    featured = soup_of(site.site, "").select_one(".rc-featured")
    assert featured.h2.get_text(strip=True) == "编辑推荐"
    assert "placeholders/volunteer" in featured.img["src"]  # no cover: its narrative's picture
    assert featured.img["sizes"] == sizes
    site.story("pick", title="编辑推荐", date="2026-01-01", extra="featured: 是\n")
    result = site.build(check=False)
    assert result.returncode != 0 and "stories/pick.md:6: featured: featured 只能写 true 或 false" in result.stderr
