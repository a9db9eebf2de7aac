"""What a subscriber sees in Debian's Chromium: a feed link that leads to 复制网址, a transcript that seeks the audio, 加入日历."""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
import pytest
import vobject
from icalendar import Calendar

from .conftest import REPO
from .test_wxbrowser_browser import SITE_URL, clipboard_context, copied_by

pytestmark = pytest.mark.browser

SHOTS = REPO / "test-artifacts" / "screenshots"
LECTURE = "lectures/xinfei-fusu-aed-rumen/"  # a sample lecture with a recording and a WebVTT transcript


def test_a_feed_link_leads_to_subscribe_where_its_address_is_copied(browser, site_url: str,  # type: ignore[no-untyped-def]
                                                                   sample_site: Path) -> None:
    """Item 5 in a normal browser: 订阅本专题 → /subscribe/#narrative-…, whose 复制网址 copies that narrative's feed."""
    ctx = clipboard_context(browser, site_url, None)
    page = ctx.new_page()
    page.goto(site_url + "narratives/volunteer/")
    page.get_by_role("link", name="订阅本专题").click()
    assert page.url == site_url + "subscribe/#narrative-volunteer"
    address = copied_by(page, page.get_by_role("button", name=re.compile(r"^复制网址 ?：志愿服务 RSS$")))
    assert address == SITE_URL + "narratives/volunteer/feed.xml"
    feed = feedparser.parse((sample_site / address.removeprefix(SITE_URL)).read_bytes())
    assert feed.feed.title.endswith("志愿服务") and feed.entries
    ctx.close()


def test_transcript_times_seek_the_recording(browser, site_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    page.goto(site_url + LECTURE)
    details = page.locator("details.rc-transcript")
    assert details.get_attribute("open") is None
    details.locator("summary").click()
    buttons = details.locator("button.rc-transcript__time")
    assert buttons.count() == 5 and buttons.nth(0).is_visible()
    target = buttons.nth(3)
    start = float(target.get_attribute("data-start") or "0")
    assert start > 20
    target.click()
    page.wait_for_function(f"Math.abs(document.querySelector('.rc-facts audio').currentTime - {start}) < 1")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "lecture-transcript-390.png"), full_page=True)
    context.close()


def test_add_to_calendar_gives_a_file_both_calendar_libraries_read(browser, site_url: str,  # type: ignore[no-untyped-def]
                                                                   sample_site: Path, tmp_path: Path) -> None:
    context = browser.new_context(locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.goto(site_url + "lectures/")
    upcoming = page.locator(".rc-card__title a").first.get_attribute("href")
    page.goto(site_url + "lectures/" + (upcoming or ""))
    button = page.get_by_role("link", name="加入日历")
    with page.expect_download() as info:
        button.click()
    saved = tmp_path / "event.ics"
    info.value.save_as(saved)
    raw = saved.read_bytes()
    [event] = Calendar.from_ical(raw).walk("VEVENT")
    parsed = vobject.readOne(raw.decode("utf-8"))
    assert parsed.vevent.uid.value == str(event["uid"])
    whole = {str(e["uid"]) for e in Calendar.from_ical((sample_site / "lectures/calendar.ics").read_bytes()).walk("VEVENT")}
    assert str(event["uid"]) in whole
    assert page.get_by_role("link", name="订阅全部讲座").get_attribute("href") == \
        "webcal://lecture.example.org/lectures/calendar.ics"
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_transcript_and_calendar_boxes_pass_axe(browser, site_url: str, scheme: str) -> None:  # type: ignore[no-untyped-def]
    from .test_validators import axe_violations

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", color_scheme=scheme)
    page = context.new_page()
    found = {}
    # a held lecture with a transcript (opened), an upcoming one, and the cancelled one
    for path in (LECTURE, "lectures/chunyun-lushang-yingji-jiuhu/", "lectures/wuchang-xianxue-zhiduoshao/"):
        page.goto(site_url + path)
        if page.locator("details.rc-transcript").count():
            page.locator("details.rc-transcript summary").click()
        found[path] = axe_violations(page)
    assert not any(found.values()), found
    context.close()
