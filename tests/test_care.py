"""关怀版 in Debian's Chromium (docs/CARE.md): text sizes, every primary control measured at
60 x 60 px and 8 px apart, lines of at most 40 characters, one column, no motion, the large
pointer, the choice kept across pages and visits with no flash; and search on a phone."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest

from .test_browser import DESKTOP, PHONE, SHOTS, open_page, results_page

pytestmark = pytest.mark.browser

CARE_ON = "try { localStorage.setItem('rc-care', '1') } catch (e) {}"
# A speech engine with a Chinese voice, so that the 朗读 buttons are shown and measured too.
ZH_VOICE = """Object.defineProperty(window, 'speechSynthesis', {configurable: true, value: {
  getVoices: () => [{name: 'zh', lang: 'zh-CN'}], speak() {}, cancel() {}, pause() {}, resume() {},
  addEventListener() {}}});"""
# The controls issue 28 names (navigation, search, 字号, 分享, play, 加入日历, pagination) and
# the other buttons and button-like links of our pages.
PRIMARY = ", ".join([
    ".md-header__button", ".rc-care-toggle", ".md-search__form", ".md-tabs__link",
    ".rc-textsize button", ".rc-readaloud button", ".rc-actions :is(a, button)", ".rc-play",
    ".rc-addcal .rc-button", ".rc-pager a", "a.rc-tag", ".rc-crumbs a", ".rc-transcript summary",
    ".rc-search-page__row :is(input, button)", ".rc-search-page__tools :is(select, button)",
    ".rc-search-more",
])
BOXES_JS = """sel => [...document.querySelectorAll(sel)].filter(e => e.checkVisibility({visibilityProperty: true}))
  .map(e => { const r = e.getBoundingClientRect();
    return {name: (e.getAttribute('aria-label') || e.textContent || e.className).trim().slice(0, 16),
            x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height}; })
  .filter(b => b.w > 0 && b.h > 0)"""


def care_page(browser, url: str, viewport: dict[str, int], *scripts: str, **options):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=viewport, locale="zh-CN", **options)
    for script in (CARE_ON, *scripts):
        context.add_init_script(script)
    page = context.new_page()
    page.goto(url, wait_until="load")
    assert page.evaluate("document.documentElement.classList.contains('rc-care')")
    return context, page


def gap(a: dict[str, float], b: dict[str, float]) -> float:
    """The space between two boxes (0 when they touch or overlap)."""
    dx = max(b["x"] - (a["x"] + a["w"]), a["x"] - (b["x"] + b["w"]), 0)
    dy = max(b["y"] - (a["y"] + a["h"]), a["y"] - (b["y"] + b["h"]), 0)
    return max(dx, dy)


def too_small_or_close(boxes: list[dict[str, float]]) -> list[str]:
    small = [f"{b['name']!r} {b['w']:.0f}x{b['h']:.0f}" for b in boxes if b["w"] < 59.5 or b["h"] < 59.5]
    close = [f"{a['name']!r}/{b['name']!r} {gap(a, b):.1f} px" for a, b in combinations(boxes, 2) if gap(a, b) < 7.5]
    return small + close


@pytest.fixture(scope="module")
def care_pages(sample_site: Path, sample_pages: dict[str, str]) -> dict[str, str]:
    lecture = next(p for p in sorted(sample_site.glob("lectures/*/index.html"))
                   if "<audio" in p.read_text(encoding="utf-8") and "rc-addcal" in p.read_text(encoding="utf-8"))
    paginated = sorted(p.parent.relative_to(sample_site).as_posix() + "/" for p in sample_site.glob("**/page/2/index.html"))
    return {"home": "", "story": sample_pages["story"], "paginated": paginated[0],
            "lecture": lecture.parent.relative_to(sample_site).as_posix() + "/"}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_every_primary_control_is_60px_and_8px_apart(browser, site_url: str, care_pages: dict[str, str],
                                                     viewport: dict[str, int]) -> None:
    context, page = care_page(browser, site_url, viewport, ZH_VOICE)
    problems, seen = {}, set()
    for kind, path in care_pages.items():
        page.goto(site_url + path, wait_until="load")
        boxes = page.evaluate(BOXES_JS, PRIMARY)
        seen |= {b["name"] for b in boxes}
        problems[kind] = too_small_or_close(boxes)
        if kind == "lecture":
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"lecture-{viewport['width']}-care.png"))
    context.close()
    named = ("朗读", "先听录音", "播放录音", "加入日历", "A+", "高对比", "关怀版", "上一页", "文字稿", "首页")
    assert not [name for name in named if not any(name in n for n in seen)], seen
    assert not any(problems.values()), problems


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_search_and_navigation_controls_are_60px(browser, site_url: str, viewport: dict[str, int]) -> None:
    context, page = results_page(browser, site_url, "志愿者", viewport)
    page.evaluate("localStorage.setItem('rc-care', '1')")
    page.reload(wait_until="load")
    page.locator(".rc-search-result").first.wait_for(timeout=15_000)
    page.locator("[data-rc-search-filter-toggle]").click()
    boxes = page.evaluate(BOXES_JS, PRIMARY + ", .rc-search-filters__option label")
    assert not too_small_or_close(boxes), too_small_or_close(boxes)
    assert any(b["name"].startswith("筛选") for b in boxes) and any(b["name"] == "搜索" for b in boxes)
    if viewport is PHONE:  # the drawer's links
        page.locator("label.md-header__button[for=__drawer]").click()
        links = page.evaluate(BOXES_JS, ".md-nav--primary > .md-nav__list > .md-nav__item > .md-nav__link")
        assert len(links) >= 5 and not too_small_or_close(links), too_small_or_close(links)
    else:
        assert len([b for b in boxes if b["name"] in {"首页", "故事", "大讲堂"}]) == 3  # the tabs were measured
    context.close()


def test_text_is_22px_and_30px_with_the_text_size_control_which_grows_too(browser, site_url: str,
                                                                         care_pages: dict[str, str]) -> None:
    context, page = care_page(browser, site_url + care_pages["story"], PHONE)
    size = "el => parseFloat(getComputedStyle(el).fontSize)"
    paragraph, plus = page.locator(".rc-body p").first, page.get_by_role("button", name="放大字号")
    assert paragraph.evaluate(size) >= 22
    before = (plus.evaluate(size), plus.bounding_box()["height"])
    for _ in range(3):
        plus.click()
    assert page.locator("[data-rc-textsize] output").inner_text() == "150%"
    assert paragraph.evaluate(size) >= 30
    after = (plus.evaluate(size), plus.bounding_box()["height"])
    assert after[0] >= before[0] * 1.45 and after[1] > before[1], (before, after)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()


@pytest.mark.parametrize("scale", ["1", "1.3"])
def test_lines_hold_at_most_40_characters_on_a_desktop(browser, site_url: str, care_pages: dict[str, str],
                                                      scale: str) -> None:
    context, page = care_page(browser, site_url + care_pages["lecture"], DESKTOP,
                              f"localStorage.setItem('rc-text-scale', '{scale}')")
    measures = page.locator(".rc-body p").evaluate_all(
        "ps => ps.map(p => p.getBoundingClientRect().width / parseFloat(getComputedStyle(p).fontSize))")
    context.close()
    assert measures and max(measures) <= 40.05, max(measures)
    assert max(measures) >= 30, "the column should still use the room it has"


@pytest.mark.parametrize("care", [False, True], ids=["normal", "care"])
def test_paragraph_spacing_is_at_least_1_3_line_spacings(browser, site_url: str, care_pages: dict[str, str],
                                                         care: bool) -> None:
    """MIIT 适老化: line spacing at least 1.3, paragraph spacing at least 1.3 times the line spacing
    (from a paragraph's last line to the next one's first)."""
    scripts = (CARE_ON,) if care else ()
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    for script in scripts:
        context.add_init_script(script)
    page = context.new_page()
    page.goto(site_url + care_pages["lecture"], wait_until="load")
    found = page.evaluate("""() => [...document.querySelectorAll('.rc-body p + p')].map(p => {
        const before = p.previousElementSibling.getBoundingClientRect(), style = getComputedStyle(p);
        const line = parseFloat(style.lineHeight);
        return [line / parseFloat(style.fontSize), (p.getBoundingClientRect().top - before.bottom + line) / line]; })""")
    context.close()
    assert len(found) >= 3
    assert min(line for line, _ in found) >= 1.3 and min(spacing for _, spacing in found) >= 1.3, found


def test_one_column_without_secondary_chrome_or_motion(browser, site_url: str, care_pages: dict[str, str]) -> None:
    durations = """() => [...document.querySelectorAll('.md-header__button, .md-tabs__link, .md-search__form')]
        .map(e => getComputedStyle(e).transitionDuration.split(',').map(parseFloat)).flat()"""
    plain, page = open_page(browser, site_url + care_pages["lecture"], DESKTOP)
    assert page.locator(".md-sidebar--secondary .md-nav__link").first.is_visible()  # the page has a toc
    assert max(page.evaluate(durations)) > 0  # Material animates them
    plain.close()
    context, page = care_page(browser, site_url + care_pages["lecture"], DESKTOP)
    assert not page.locator(".md-sidebar--secondary").is_visible()
    assert not page.locator(".md-footer__inner").is_visible()
    assert max(page.evaluate(durations)) == 0
    page.goto(site_url, wait_until="load")
    image, title = page.locator(".rc-featured__img").bounding_box(), page.locator(".rc-featured__title").bounding_box()
    assert title["y"] >= image["y"] + image["height"], "the featured story's text should sit under its picture"
    context.close()


def test_choice_is_kept_across_pages_and_visits_without_a_flash(browser, site_url: str,
                                                               care_pages: dict[str, str]) -> None:
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    # Whether 关怀版 is on when the parser reaches <body>, before anything is painted.
    context.add_init_script("""new MutationObserver((_, observer) => { if (document.body) {
        window.rcCareAtBody = document.documentElement.classList.contains('rc-care'); observer.disconnect(); } })
        .observe(document, {childList: true, subtree: true});""")
    page = context.new_page()
    page.goto(site_url + care_pages["story"], wait_until="load")
    switch = page.locator(".md-header [data-rc-care]")
    assert switch.is_visible() and switch.inner_text().strip() == "关怀版"
    assert switch.get_attribute("aria-pressed") == "false" and page.evaluate("rcCareAtBody") is False
    switch.click()
    assert switch.get_attribute("aria-pressed") == "true"
    for path in (care_pages["lecture"], care_pages["home"]):
        page.goto(site_url + path, wait_until="load")
        assert page.evaluate("rcCareAtBody") is True, path
        assert page.locator(".md-header [data-rc-care]").get_attribute("aria-pressed") == "true"
    page.close()
    page = context.new_page()  # a later visit
    page.goto(site_url + care_pages["paginated"], wait_until="load")
    assert page.evaluate("rcCareAtBody") is True
    page.locator(".md-header [data-rc-care]").click()
    page.reload(wait_until="load")
    assert page.evaluate("rcCareAtBody") is False
    context.close()


def test_large_pointer_on_a_desktop_only(browser, site_url: str, sample_site: Path,
                                         care_pages: dict[str, str]) -> None:
    cursors = """() => Object.fromEntries([['body', 'body'], ['link', '.rc-body a, .rc-crumbs a'],
        ['button', '.rc-textsize button:not(:disabled)'], ['input', 'input.md-search__input']]
        .map(([k, s]) => [k, getComputedStyle(document.querySelector(s)).cursor]))"""
    context, page = care_page(browser, site_url + care_pages["story"], DESKTOP)
    shown = page.evaluate(cursors)
    context.close()
    assert "rc-cursor-arrow.svg" in shown["body"] and shown["body"].endswith("auto")
    assert "rc-cursor-hand.svg" in shown["link"] and "rc-cursor-hand.svg" in shown["button"]
    assert "rc-cursor-text.svg" in shown["input"]
    for name in ("arrow", "hand", "text"):
        svg = (sample_site / "assets" / "images" / f"rc-cursor-{name}.svg").read_text(encoding="utf-8")
        assert 'width="64" height="64"' in svg and "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    # A phone (touch: no pointer to enlarge), and a desktop without 关怀版, keep the system's.
    context, page = care_page(browser, site_url + care_pages["story"], PHONE, has_touch=True, is_mobile=True)
    assert "url(" not in page.evaluate(cursors)["body"]
    context.close()
    context, page = open_page(browser, site_url + care_pages["story"], DESKTOP)
    assert "url(" not in page.evaluate(cursors)["body"]
    context.close()


def test_phone_results_come_first_and_the_filters_fold_behind_a_button(browser, site_url: str) -> None:
    context, page = results_page(browser, site_url, "志愿者", PHONE)
    first = page.locator(".rc-search-result__title").first.bounding_box()
    assert first["y"] + first["height"] <= PHONE["height"], f"first result at {first['y']:.0f} px"
    toggle, filters = page.locator("[data-rc-search-filter-toggle]"), page.locator("[data-rc-search-filters]")
    assert toggle.is_visible() and not filters.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    page.screenshot(path=str(SHOTS / "search-390-first-screen.png"))
    toggle.click()
    assert filters.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    before = page.locator(".rc-search-result").count()
    filters.locator(".rc-search-filters__group", has_text="类型").locator("label", has_text="讲座").click()
    page.wait_for_function(f"document.querySelectorAll('.rc-search-result').length < {before}")
    toggle.click()
    assert not filters.is_visible() and "已选 1 项" in toggle.inner_text()
    context.close()
    context, page = results_page(browser, site_url, "志愿者", DESKTOP)  # room for both: no fold
    assert page.locator("[data-rc-search-filters]").is_visible()
    assert not page.locator("[data-rc-search-filter-toggle]").is_visible()
    context.close()
