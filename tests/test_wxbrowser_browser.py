"""The sample site in Debian's Chromium under WeChat's Android and iOS user agents, and under a normal one.

WeChat's browser opens no webcal: link, downloads no .ics and has no feed
reader: under its user agents no visible link may offer one, and what replaces
each (text with 复制 buttons, /subscribe/) must work. Under a normal user agent
the pages are exactly as built.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from site_plugins.content.catalog import Edition
from site_plugins.outputs.pages.seo import SiteInfo
from site_plugins.outputs.pages.wxbrowser import calendar_copy

from .conftest import REPO
from .test_validators import axe_violations, every_page_kind

pytestmark = pytest.mark.browser

SITE_URL = "https://lecture.example.org/"
SITE = SiteInfo("红十字大讲堂", SITE_URL, "", "", SITE_URL, "")
SHOTS = REPO / "test-artifacts" / "screenshots"
WECHAT = {
    "android": "Mozilla/5.0 (Linux; Android 14; 23127PN0CC Build/UKQ1.230804.001; wv) AppleWebKit/537.36 "
               "(KHTML, like Gecko) Version/4.0 Chrome/126.0.6478.188 Mobile Safari/537.36 XWEB/1260117 "
               "MMWEBSDK/20240501 MMWEBID/6533 MicroMessenger/8.0.50.2701(0x28003237) WeChat/arm64 Weixin "
               "NetType/WIFI Language/zh_CN ABI/arm64",
    "ios": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
           "Mobile/15E148 MicroMessenger/8.0.50(0x1800323c) NetType/WIFI Language/zh_CN",
}
PHONE = {"width": 390, "height": 844}
UPCOMING = "lectures/chunyun-lushang-yingji-jiuhu/"
CANCELLED = "lectures/wuchang-xianxue-zhiduoshao/"
RECORDED = "lectures/xinfei-fusu-aed-rumen/"  # a recording with a transcript
BLOCKED = re.compile(r"^webcal:|\.(ics|xml|json|opml)(?:[?#]|$)", re.IGNORECASE)
FEED = re.compile(r"\.(xml|json|opml)(?:[?#]|$)", re.IGNORECASE)
# Every link the reader can see or reach by keyboard, with its resolved address.
VISIBLE_LINKS = """() => [...document.querySelectorAll('a[href], area[href]')]
    .filter(a => a.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}))
    .map(a => a.getAttribute('href'))"""


def kinds(site: Path, sample_pages: dict[str, str]) -> dict[str, str]:
    """Every page kind, the 404 page and each state of a lecture."""
    return {**every_page_kind(site, sample_pages), "404": "404.html", "upcoming": UPCOMING,
            "cancelled": CANCELLED, "recorded": RECORDED}


def context(browser, ua: str | None, **options):  # type: ignore[no-untyped-def]
    extra = {"user_agent": ua} if ua else {}
    return browser.new_context(viewport=PHONE, locale="zh-CN", **extra, **options)


def clipboard_context(browser, site_url: str, ua: str | None):  # type: ignore[no-untyped-def]
    ctx = context(browser, ua)
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    return ctx


def copied_by(page, button) -> str:  # type: ignore[no-untyped-def]
    """Click a 复制 button; what the clipboard then holds (it is emptied first)."""
    page.evaluate("navigator.clipboard.writeText('')")
    button.click()
    page.wait_for_function("navigator.clipboard.readText().then(t => t !== '')", polling=100, timeout=5000)
    status = button.locator("xpath=following-sibling::*[@role='status'][1]")
    assert status.inner_text() == "已复制"
    return str(page.evaluate("navigator.clipboard.readText()"))


@pytest.mark.parametrize("phone", sorted(WECHAT))
def test_in_wechat_no_page_offers_what_wechat_blocks(browser, site_url: str, sample_site: Path,  # type: ignore[no-untyped-def]
                                                     sample_pages: dict[str, str], phone: str) -> None:
    ctx = context(browser, WECHAT[phone])
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    offered = {}
    for kind, path in kinds(sample_site, sample_pages).items():
        page.goto(site_url + path, wait_until="load")
        assert page.evaluate("document.documentElement.classList.contains('rc-wechat')"), kind
        links = page.evaluate(VISIBLE_LINKS)
        assert links, kind
        offered[kind] = [href for href in links if BLOCKED.search(href)]
    assert offered == {kind: [] for kind in offered}
    assert errors == []
    # What replaces them is there to see.
    page.goto(site_url + "subscribe/")
    assert page.locator(".rc-wxnote").is_visible() and "微信" in page.locator(".rc-wxnote").inner_text()
    page.goto(site_url + "lectures/")
    page.get_by_role("link", name="讲座日历（复制网址，导入手机日历）").click()
    assert page.url == site_url + "subscribe/#calendar"
    page.goto(site_url + UPCOMING)
    box = page.locator(".rc-addcal--wechat")
    assert box.is_visible() and "右上角 ··· → 在浏览器打开" in box.inner_text()
    assert page.get_by_role("link", name="加入日历").count() == 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"wechat-{phone}-lecture.png"), full_page=True)
    ctx.close()


@pytest.mark.parametrize("phone", sorted(WECHAT))
def test_in_wechat_the_copy_buttons_copy_the_lectures_facts(browser, site_url: str, sample_edition: Edition,  # type: ignore[no-untyped-def]
                                                            phone: str) -> None:
    lecture = next(lec for lec in sample_edition.lectures if lec.url == UPCOMING)
    facts = calendar_copy(lecture, SITE)
    ctx = clipboard_context(browser, site_url, WECHAT[phone])
    page = ctx.new_page()
    page.goto(site_url + UPCOMING)
    box = page.locator(".rc-addcal--wechat")
    # Chromium names a button by its text and its screen-reader-only words, a space between them
    for name, expected in (("复制 时间", facts["time"]), ("复制 地点", facts["place"]),
                           ("复制 日历网址", facts["calendar"])):
        assert copied_by(page, box.get_by_role("button", name=name, exact=True)) == expected, name
    assert facts["time"].startswith("2026年12月12日（星期六）")
    assert facts["calendar"] == SITE_URL + "lectures/calendar.ics"
    # /subscribe/ in WeChat: 复制网址 for each feed instead of a link
    page.goto(site_url + "subscribe/#podcast")
    assert copied_by(page, page.get_by_role("button", name=re.compile(r"^复制网址 ?：讲座录音 播客 RSS$"))) == \
        SITE_URL + "lectures/podcast.xml"
    ctx.close()


def test_in_wechat_recordings_play_inline(browser, site_url: str) -> None:  # type: ignore[no-untyped-def]
    ctx = context(browser, WECHAT["ios"])
    page = ctx.new_page()
    page.goto(site_url + RECORDED)
    audio = page.locator(".rc-facts audio")
    assert audio.get_attribute("playsinline") == "" and audio.get_attribute("webkit-playsinline") == ""
    assert page.evaluate("""() => { const a = document.querySelector('.rc-facts audio'); a.muted = true;
        return a.play().then(() => !a.paused && document.fullscreenElement === null); }""")
    ctx.close()


def test_in_wechat_a_feed_link_an_editor_wrote_leads_to_subscribe(browser, site_url: str) -> None:  # type: ignore[no-untyped-def]
    """wechat.js sends links the templates do not know of (a story's, a page's) to /subscribe/."""
    ctx = context(browser, WECHAT["android"])
    page = ctx.new_page()
    written = ['<a id="t1" href="../feed.xml">订阅</a>', '<a id="t2" href="webcal://lecture.example.org/lectures/calendar.ics">日历</a>',
               '<a id="t3" href="../lectures/calendar.ics" download>下载</a>', '<a id="t4" href="../stories/">故事</a>']

    def with_links(route) -> None:  # type: ignore[no-untyped-def]
        body = route.fetch().text().replace("</article>", "<p>" + " ".join(written) + "</p></article>")
        route.fulfill(body=body, headers={"content-type": "text/html; charset=utf-8"})

    page.route(site_url + "about/", with_links)
    page.goto(site_url + "about/")
    hrefs = {i: page.locator(f"#t{i}").get_attribute("href") for i in range(1, 5)}
    assert hrefs == {1: "../subscribe/", 2: "../subscribe/", 3: "../subscribe/", 4: "../stories/"}
    assert page.locator("#t3").get_attribute("download") is None
    page.locator("#t1").click()
    assert page.url == site_url + "subscribe/"
    ctx.close()


def test_a_normal_browser_gets_the_page_as_built(browser, site_url: str, sample_site: Path,  # type: ignore[no-untyped-def]
                                                sample_pages: dict[str, str]) -> None:
    ctx = context(browser, None)
    page = ctx.new_page()
    for kind, path in kinds(sample_site, sample_pages).items():
        page.goto(site_url + path, wait_until="load")
        assert not page.evaluate("document.documentElement.classList.contains('rc-wechat')"), kind
        built = BeautifulSoup((sample_site / path / ("" if path.endswith(".html") else "index.html")).read_text("utf-8"),
                              "html.parser")
        # the same links, in the same order, as the built page (no script rewrote one)
        assert page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))") == \
            [a["href"] for a in built.find_all("a", href=True)], kind
        visible = page.evaluate(VISIBLE_LINKS)
        assert page.locator(".rc-wx-only").evaluate_all("els => els.filter(e => e.checkVisibility()).length") == 0, kind
        assert page.locator(".rc-wx-hide").evaluate_all("els => els.every(e => e.checkVisibility())"), kind
        # feeds are never a click target, only the OPML file on /subscribe/ (a download)
        assert [h for h in visible if FEED.search(h) and not h.endswith("feeds.opml")] == [], kind
        assert page.locator("audio[playsinline]").count() == 0
    page.goto(site_url + UPCOMING)
    assert page.get_by_role("link", name="加入日历").get_attribute("href") == "chunyun-lushang-yingji-jiuhu.ics"
    ctx.close()


def test_without_scripts_every_address_is_selectable_text(browser, site_url: str) -> None:  # type: ignore[no-untyped-def]
    ctx = context(browser, None, java_script_enabled=False)
    page = ctx.new_page()
    page.goto(site_url + "subscribe/")
    assert page.locator("button.rc-copy").evaluate_all("els => els.filter(e => e.checkVisibility()).length") == 0
    texts = page.locator("ul.rc-addresses code.rc-copy__text")
    assert texts.count() > 20 and texts.first.is_visible()
    assert SITE_URL + "feed.xml" in texts.all_inner_texts()
    ctx.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_is_clean_in_wechat(browser, site_url: str, sample_site: Path, sample_pages: dict[str, str],  # type: ignore[no-untyped-def]
                                scheme: str) -> None:
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN", user_agent=WECHAT["android"], color_scheme=scheme)
    page = ctx.new_page()
    found = {}
    for kind, path in kinds(sample_site, sample_pages).items():
        if kind in ("home", "narrative", "subscribe", "lectures", "upcoming", "cancelled", "recorded", "404"):
            page.goto(site_url + path, wait_until="load")
            found[kind] = axe_violations(page)
    assert found == {kind: [] for kind in found}
    ctx.close()
