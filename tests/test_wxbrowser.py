"""WeChat's browser and /subscribe/ without XSLT, in the core: the text to copy and the page's Markdown."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import markdown
import pytest
from bs4 import BeautifulSoup

from site_plugins import urls
from site_plugins.content.dates import SHANGHAI
from site_plugins.content.schema import Lecture
from site_plugins.content.vocabulary import parse_vocabulary
from site_plugins.outputs.feeds.subscribe import feed_sets
from site_plugins.outputs.pages.seo import SiteInfo
from site_plugins.outputs.pages.subscribepage import subscribe_markdown
from site_plugins.outputs.pages.wxbrowser import (
    HIDE,
    ONLY,
    calendar_copy,
    copyable,
    lecture_place,
    lecture_time,
)

from .conftest import REPO

pytestmark = pytest.mark.unit

SITE_URL = "https://lecture.example.org/"
SITE = SiteInfo("红十字大讲堂", SITE_URL, "描述", "山西省红十字会", SITE_URL, SITE_URL + "logo.png")
START = datetime(2026, 12, 10, 9, 0, tzinfo=SHANGHAI)
# What WeChat's browser cannot open, and what a browser without XSLT shows as bare XML.
BLOCKED = re.compile(r"^webcal:|\.(ics|xml|json|opml)(?:[?#]|$)")


def lecture(end: datetime | None = START + timedelta(minutes=90), venue: str = "培训教室",
            city: str = "太原") -> Lecture:
    return Lecture(kind="lecture", source="lectures/x/index.md", id="1", title="冬季急救", date=START,
                   tags=("first-aid",), slug="x", body="", summary="", char_count=1, reading_minutes=1,
                   city=city, end=end, venue=venue)


def test_the_time_to_copy_has_the_date_weekday_and_range() -> None:
    assert lecture_time(lecture()) == "2026年12月10日（星期四）09:00–10:30"
    assert lecture_time(lecture(end=None)) == "2026年12月10日（星期四）09:00"
    overnight = lecture(end=START + timedelta(days=1, hours=8))
    assert lecture_time(overnight) == "2026年12月10日（星期四）09:00–2026年12月11日 17:00"
    # an end written in another zone is shown in Beijing time, like the start
    utc = lecture(end=datetime(2026, 12, 10, 2, 30, tzinfo=UTC))
    assert lecture_time(utc).endswith("–10:30")


def test_the_place_names_the_city_once() -> None:
    assert lecture_place(lecture()) == "培训教室，太原"
    assert lecture_place(lecture(venue="太原市红十字会培训中心")) == "太原市红十字会培训中心"
    assert lecture_place(lecture(city="")) == "培训教室"
    copy = calendar_copy(lecture(), SITE)
    assert copy["calendar"] == SITE_URL + urls.CALENDAR and "在浏览器打开" in copy["open"]


def test_copyable_text_is_escaped_in_the_text_and_in_the_attribute() -> None:
    hostile = 'https://x.example/"><script>alert(1)</script>&a=1'
    soup = BeautifulSoup(copyable(hostile, "全站 <RSS>"), "html.parser")
    assert soup.find("script") is None
    assert soup.select_one("code.rc-copy__text").get_text() == hostile
    button = soup.select_one("button.rc-copy")
    assert button["data-rc-copy"] == hostile and button["type"] == "button"
    # the accessible name starts with what the button shows (axe label-content-name-mismatch)
    assert button.get_text() == "复制网址：全站 <RSS>"


def test_urls_of_the_subscribe_sections() -> None:
    assert urls.subscribe_section("narrative:first-aid") == "subscribe/#narrative-first-aid"
    assert urls.subscribe_section("calendar") == "subscribe/#calendar"
    assert urls.relative(urls.subscribe_section("lectures"), "lectures/") == "../subscribe/#lectures"


def page(vocab_yaml: str | None = None) -> BeautifulSoup:
    text = (REPO / "content" / "narratives.yml").read_text(encoding="utf-8") if vocab_yaml is None else vocab_yaml
    vocab, problems = parse_vocabulary(text, "narratives.yml")
    assert problems == []
    source = subscribe_markdown(SITE, feed_sets(SITE, vocab), 20, "1 天")
    body = source.split("---\n", 2)[2]  # the front matter, as MkDocs strips it
    html = markdown.markdown(body, extensions=["toc", "attr_list", "md_in_html"])
    return BeautifulSoup(html, "html.parser")


def test_the_page_offers_every_address_to_copy_and_links_no_feed() -> None:
    soup = page()
    sets = feed_sets(SITE, parse_vocabulary((REPO / "content" / "narratives.yml").read_text("utf-8"), "n")[0])
    feeds = {s.channel.url(fmt) for s in sets for fmt in s.formats}
    copied = [b["data-rc-copy"] for b in soup.select("button.rc-copy")]
    assert sorted(copied) == sorted([*feeds, SITE_URL + urls.CALENDAR, SITE_URL + urls.OPML, SITE_URL])
    for li in soup.select("ul.rc-addresses > li"):
        assert li.select_one("code").get_text() == li.select_one("button")["data-rc-copy"]
    for link in soup.find_all("a", href=True):  # only what WeChat hides may be a file or webcal:
        if BLOCKED.search(link["href"]):
            assert link.find_parent(class_=HIDE) is not None, link
    assert not [a for a in soup.find_all("a", href=True) if a["href"] in feeds]
    note = soup.select_one(f".{ONLY}")
    assert "复制网址" in note.get_text() and "在浏览器打开" in note.get_text()
    ids = {h["id"] for h in soup.find_all(["h2", "h3"])}
    for s in sets:
        assert urls.subscribe_section(s.key).split("#")[1] in ids, s.key
    assert {"calendar", "opml"} <= ids


def test_narrative_text_stays_text_on_the_page() -> None:
    soup = page('- key: bad\n  label: "<b>粗</b>"\n  description: "<img src=x onerror=alert(1)> & 说明"\n')
    assert soup.find("img") is None and soup.find("b") is None
    assert soup.find("h3", id="narrative-bad").get_text() == "<b>粗</b>"
    assert "<img src=x onerror=alert(1)> & 说明" in soup.get_text()
