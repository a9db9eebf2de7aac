"""The built sample site: no page links a feed; what WeChat's browser blocks is marked, and replaced there."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from site_plugins.content.catalog import Edition
from site_plugins.outputs.pages.seo import SiteInfo
from site_plugins.outputs.pages.wxbrowser import HIDE, ONLY, calendar_copy

pytestmark = pytest.mark.build

SITE_URL = "https://lecture.example.org/"
SITE = SiteInfo("红十字大讲堂", SITE_URL, "", "", SITE_URL, "")
FEED = re.compile(r"(?:^|/)(?:feed\.xml|atom\.xml|feed\.json|podcast\.xml)(?:[?#]|$)")
BLOCKED = re.compile(r"^webcal:|\.(ics|xml|json|opml)(?:[?#]|$)")


def pages(site: Path) -> list[Path]:
    """Every page of the site; /admin/ is the staff's editor app (no page of the site)."""
    found = [p for p in site.rglob("*.html") if not p.relative_to(site).as_posix().startswith("admin/")]
    assert len(found) > 30 and site / "404.html" in found
    return found


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_no_page_links_a_feed_file(sample_site: Path) -> None:
    """A person who clicks a feed link lands on /subscribe/ (feeds are for readers: <link rel=alternate>)."""
    for path in pages(sample_site):
        doc = soup(path)
        assert [a["href"] for a in doc.find_all("a", href=FEED)] == [], path
        assert doc.find("link", rel="alternate", href=FEED) is not None, path  # still found by readers


def test_what_wechat_blocks_is_marked_for_it_to_hide(sample_site: Path) -> None:
    marked = 0
    for path in pages(sample_site):
        for link in soup(path).find_all("a", href=BLOCKED):
            assert link.find_parent(class_=HIDE) is not None or HIDE in link.get("class", []), (path, link)
            marked += 1
    assert marked > 20  # every lecture's 加入日历, /lectures/, /subscribe/


def test_feed_links_lead_to_sections_of_subscribe(sample_site: Path) -> None:
    ids = {tag["id"] for tag in soup(sample_site / "subscribe" / "index.html").select("article [id]")}
    targets = {
        "narratives/volunteer/index.html": ["narrative-volunteer"],
        "lectures/index.html": ["calendar", "lectures"],
    }
    for page, sections in targets.items():
        links = soup(sample_site / page).select(".rc-feedlinks a[href]")
        to_subscribe = [urlsplit(urljoin(SITE_URL + page, a["href"])) for a in links]
        found = [u.fragment for u in to_subscribe if u.path == "/subscribe/"]
        assert found == sections and set(found) <= ids, page
    wechat = soup(sample_site / "lectures/index.html").select_one(f".rc-feedlinks a.{ONLY}")
    assert wechat["href"] == "../subscribe/#calendar"


def test_each_lecture_page_carries_its_facts_to_copy_in_wechat(sample_site: Path, sample_edition: Edition) -> None:
    assert sample_edition.lectures
    for lecture in sample_edition.lectures:
        box = soup(sample_site / lecture.url / "index.html").select_one(f".rc-addcal.{ONLY}")
        copied = [b["data-rc-copy"] for b in box.select("button.rc-copy")]
        for button in box.select("button.rc-copy"):  # the text beside each button is what it copies
            assert button.find_previous_sibling(class_="rc-copy__text").get_text() == button["data-rc-copy"]
        expected = calendar_copy(lecture, SITE)
        if lecture.cancelled:
            assert copied == [expected["calendar"]] and "已取消" in box.get_text()
        else:
            assert copied == [expected["time"], expected["place"], expected["calendar"]]
            assert "在浏览器打开" in box.get_text()
        assert box.find("a", href=BLOCKED) is None


def test_every_page_detects_wechat_before_first_paint_and_loads_the_copy_script(sample_site: Path) -> None:
    for path in pages(sample_site):
        doc = soup(path)
        if doc.find("meta", attrs={"http-equiv": "refresh"}):
            continue  # an old address (alias): it only redirects
        inline = [s.get_text() for s in doc.head.find_all("script", src=False)]  # in <head>: run before the body paints
        assert any("MicroMessenger" in text and "rc-wechat" in text for text in inline), path
        assert doc.find("script", src=re.compile(r"assets/javascripts/wechat\.js$")), path
