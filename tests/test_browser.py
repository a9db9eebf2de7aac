"""The sample site in a real browser (Debian's Chromium via Playwright), served on 127.0.0.1.

Screenshots of the main page types at phone and desktop width are kept under
test-artifacts/screenshots/ for a human to look at (CI keeps the folder).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from .conftest import BUILD_TIME, REPO

SHOTS = REPO / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def open_page(browser, url: str, viewport: dict[str, int] = DESKTOP, **options):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=viewport, locale="zh-CN", **options)
    page = context.new_page()
    page.goto(url, wait_until="load")
    return context, page


def scroll_width(page) -> int:  # type: ignore[no-untyped-def]
    return page.evaluate("document.documentElement.scrollWidth")


def test_home_renders_without_console_errors(browser, site_url: str) -> None:
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(f"console.{msg.type}: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on("requestfailed", lambda req: errors.append(f"request failed: {req.url}"))
    page.goto(site_url, wait_until="networkidle")
    assert "红十字大讲堂" in page.title()
    assert page.locator("h1").first.inner_text().startswith("红十字大讲堂")
    assert page.locator(".rc-card").count() >= 3, "the home page should show story cards"
    context.close()
    assert errors == []


def published_titles(site: Path) -> dict[str, str]:
    """Title of every published story page, by site path."""
    titles = {}
    for html in sorted((site / "stories").glob("*/index.html")):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        h1 = soup.select_one("article.rc-article h1")
        if h1 is not None:
            titles[f"stories/{html.parent.name}/"] = h1.get_text(strip=True)
    return titles


def withheld_titles() -> set[str]:
    """Titles of the sample's drafts and scheduled stories: never published, never searchable."""
    from site_plugins.content.catalog import edition, load_catalog
    from site_plugins.content.dates import parse_when

    catalog, _ = load_catalog(REPO / "content")
    assert catalog is not None
    return {entry.title for entry, _ in edition(catalog, parse_when(BUILD_TIME)[0]).withheld}


def indexed_text(site: Path, href: str) -> str:
    """The text search indexes for a result link: the article of an entry, else the page content."""
    soup = BeautifulSoup((site / href / "index.html").read_text(encoding="utf-8"), "html.parser")
    main = soup.select_one("article.rc-article") or soup.select_one(".md-content__inner")
    assert main is not None
    return main.get_text()


@pytest.mark.parametrize("word", ["志愿者", "养老", "献血"])
def test_chinese_search_finds_the_stories(browser, site_url: str, sample_site: Path, word: str) -> None:
    context, page = open_page(browser, site_url)
    box = page.locator("input.md-search__input")  # in the header at desktop width
    box.click()
    box.fill(word)  # like an IME: inserts the text without key events ...
    box.press("End")  # ... Material searches on keyup
    # Material's search runs in a web worker that first loads search_index.json.
    items = page.locator(".md-search-result__item > a")
    items.first.wait_for(timeout=15_000)
    page.wait_for_timeout(300)  # let the worker deliver the whole first page of results
    pairs = items.evaluate_all(  # one link per page (its h1); section links (h2) are skipped
        "links => links.filter(a => a.querySelector('h1')).map(a => [a.getAttribute('href'), a.querySelector('h1').innerText])")
    found = {urlsplit(href).path[1:]: title.replace("\u200b", "").strip() for href, title in pairs}
    context.close()
    assert len(found) >= 3, f"search for {word} found too little: {found}"
    titles = set(found.values())
    for title in published_titles(sample_site).values():
        if word in title:
            assert title in titles, f"search for {word} misses the story {title}; got {titles}"
    # The best matches come first and contain the word (further down, Material's search also
    # lists pages matching a part of it, e.g. 捐献 for 献血).
    for href in list(found)[:3]:
        assert word in indexed_text(sample_site, href), f"{href} does not contain {word}"
    assert not titles & withheld_titles(), "drafts and scheduled stories must not be searchable"


def test_narrative_story_related_and_back(browser, site_url: str) -> None:
    context, page = open_page(browser, site_url + "narratives/volunteer/")
    index_url = page.url
    assert page.locator("h1").first.inner_text().startswith("志愿服务")
    page.locator(".rc-card__title a").first.click()
    page.wait_for_load_state("load")
    story_url = page.url
    assert "/stories/" in story_url
    story_title = page.locator("article.rc-article h1").inner_text()
    related = page.locator(".rc-related .rc-card__title a")
    assert related.count() >= 3, "a story should link 3-5 related stories"
    related.first.click()
    page.wait_for_load_state("load")
    assert "/stories/" in page.url and page.url != story_url
    assert page.locator("article.rc-article h1").inner_text() != story_title
    page.go_back()
    assert page.url == story_url
    assert page.locator("article.rc-article h1").inner_text() == story_title
    page.go_back()
    assert page.url == index_url
    context.close()


@pytest.mark.parametrize("kind", ["home", "narrative", "story", "lecture"])
def test_phone_width_has_no_horizontal_scroll_and_screenshots(browser, site_url: str, sample_pages: dict[str, str],
                                                              kind: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        context, page = open_page(browser, site_url + sample_pages[kind], viewport)
        # A full-page screenshot does not scroll, so lazy images below the fold would stay blank.
        page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager' })")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(SHOTS / f"{kind}-{viewport['width']}.png"), full_page=True)
        width = scroll_width(page)
        context.close()
        assert width <= viewport["width"], f"{kind} at {name} width scrolls sideways ({width} px)"
    assert (SHOTS / f"{kind}-390.png").stat().st_size > 10_000


def test_article_text_is_at_least_18px_and_text_size_control_persists(browser, site_url: str,
                                                                      sample_pages: dict[str, str]) -> None:
    context, page = open_page(browser, site_url + sample_pages["story"], PHONE)
    paragraph = page.locator(".rc-body p").first

    def size() -> float:
        return float(paragraph.evaluate("p => parseFloat(getComputedStyle(p).fontSize)"))

    assert size() >= 18
    control = page.locator("[data-rc-textsize]")
    assert control.is_visible()
    assert page.locator("[data-rc-step='-1']").is_disabled(), "18 px is the smallest size"
    page.get_by_role("button", name="放大字号").click()
    page.get_by_role("button", name="放大字号").click()
    bigger = size()
    assert bigger >= 18 * 1.3 - 0.5
    assert control.locator("output").inner_text() == "130%"
    page.reload(wait_until="load")
    assert size() == pytest.approx(bigger), "the chosen size should survive a reload"
    # ... and carry over to other pages of the site
    page.goto(site_url + sample_pages["lecture"], wait_until="load")
    assert page.locator("[data-rc-textsize] output").inner_text() == "130%"
    page.go_back(wait_until="load")
    page.get_by_role("button", name="默认字号").click()
    assert size() == pytest.approx(18, abs=0.5)
    page.reload(wait_until="load")
    assert size() == pytest.approx(18, abs=0.5)
    context.close()


def test_usable_at_200_percent_zoom(browser, site_url: str, sample_pages: dict[str, str]) -> None:
    # A 1280 px window at 200% zoom lays out 640 CSS px at two device pixels each.
    context, page = open_page(browser, site_url + sample_pages["story"], {"width": 640, "height": 450},
                              device_scale_factor=2)
    assert scroll_width(page) <= 640
    assert page.locator("[data-rc-textsize]").is_visible()
    page.screenshot(path=str(SHOTS / "story-zoom200.png"), full_page=False)
    context.close()
    # The largest text size on a phone must reflow, not overflow.
    context, page = open_page(browser, site_url + sample_pages["story"], PHONE)
    for _ in range(6):
        page.get_by_role("button", name="放大字号").click(force=True)
    assert page.locator("[data-rc-textsize] output").inner_text() == "200%"
    width = scroll_width(page)
    page.screenshot(path=str(SHOTS / "story-390-text200.png"), full_page=False)
    context.close()
    assert width <= PHONE["width"]
