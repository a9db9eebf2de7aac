"""The sample site in a real browser (Debian's Chromium via Playwright), served on 127.0.0.1.

Screenshots of the main page types at phone and desktop width are kept under
test-artifacts/screenshots/ for a human to look at (CI keeps the folder).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from bs4 import BeautifulSoup

from site_plugins.content.vocabulary import load_vocabulary

from .conftest import REPO, sample_content

pytestmark = pytest.mark.browser

pytestmark = pytest.mark.browser

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
    """Title of every published story and lecture page, by site path."""
    titles = {}
    for html in sorted([*(site / "stories").glob("*/index.html"), *(site / "lectures").glob("*/index.html")]):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        h1 = soup.select_one("article.rc-article h1")
        if h1 is not None:
            titles[html.parent.relative_to(site).as_posix() + "/"] = h1.get_text(strip=True)
    return titles


def body_text(site: Path, path: str) -> str:
    """The title and Markdown body of an entry page: text its search record holds for sure."""
    soup = BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")
    parts = [soup.select_one("article.rc-article h1"), soup.select_one(".rc-body")]
    return " ".join(p.get_text() for p in parts if p is not None)


def withheld_entries() -> list:  # type: ignore[type-arg]
    """The sample's drafts and scheduled stories: never published, never searchable."""
    return [entry for entry, _ in sample_content()[1].withheld]


def results_page(browser, site_url: str, query: str, viewport: dict[str, int] = DESKTOP, **options):  # type: ignore[no-untyped-def]
    """Open /search/?q=… and wait for its results (every page of them)."""
    from urllib.parse import quote

    context, page = open_page(browser, f"{site_url}search/?q={quote(query)}", viewport, **options)
    count = page.locator("[data-rc-search-count]")
    page.wait_for_function("el => el.textContent && !el.textContent.startsWith('正在')", arg=count.element_handle(),
                           timeout=15_000)
    more = page.locator("[data-rc-search-more]")
    while more.is_visible():
        before = page.locator(".rc-search-result").count()
        more.click()
        page.wait_for_function(f"document.querySelectorAll('.rc-search-result').length > {before}")
    return context, page


def found_paths(page) -> list[str]:  # type: ignore[no-untyped-def]
    hrefs = page.locator(".rc-search-result__title a").evaluate_all("links => links.map(a => a.href)")
    return [urlsplit(h).path[1:] for h in hrefs]


def search_api(page, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Paths the site's query path (search.js over Pagefind, in this browser) finds for a query."""
    urls = page.evaluate("""async q => { const o = await window.rcSearch(q);
        const d = await Promise.all(o.res.results.map(x => x.data())); return d.map(x => x.url); }""", query)
    return sorted({u.split("#")[0].lstrip("/") for u in urls})


def page_text(site: Path, path: str) -> str:
    soup = BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")
    main = soup.select_one("article.rc-article") or soup.select_one(".md-content__inner")
    assert main is not None
    return main.get_text()


@pytest.mark.parametrize("word", ["志愿者", "养老", "献血"])
def test_chinese_search_finds_the_pages(browser, site_url: str, sample_site: Path, word: str) -> None:
    context, page = results_page(browser, site_url, word)
    found = found_paths(page)
    context.close()
    assert len(found) == len(set(found)), f"a page is listed twice: {found}"
    titles = published_titles(sample_site)
    containing = {path for path in titles if word in body_text(sample_site, path)}
    assert len(containing) >= 2
    missing = containing - set(found)
    assert not missing, f"search for {word} misses pages that contain it: {sorted(missing)}"
    # The best hits say the word themselves (not only through a narrative alias).
    for path in found[:3]:
        assert word in page_text(sample_site, path), f"{path} does not contain {word}"
    withheld = {e.url for e in withheld_entries()}
    assert not set(found) & withheld


def test_index_and_browser_segmentation_agree_on_the_sample(browser, site_url: str, sample_site: Path) -> None:
    """Pagefind segments Chinese with one segmenter when it indexes and with the browser's
    Intl.Segmenter when a reader types (Pagefind #1237: where they disagree, pages that
    contain a word are not found). Every title word and some single characters of the
    sample must find every page whose title or body contains them."""
    titles = published_titles(sample_site)
    context, page = open_page(browser, site_url + "search/")
    words = page.evaluate("""titles => { const seg = new Intl.Segmenter('zh', {granularity: 'word'});
        const out = new Set(); for (const t of titles) for (const s of seg.segment(t))
            if (s.isWordLike && /^[\u4e00-\u9fff]{2,}$/.test(s.segment)) out.add(s.segment);
        return [...out].sort(); }""", list(titles.values()))
    words += ["血", "老", "救", "水", "灾", "十字", "细胞", "志愿服务", "造血干细胞", "心肺复苏"]
    texts = {path: body_text(sample_site, path) for path in titles}
    misses = {}
    for word in words:
        containing = {path for path, text in texts.items() if word in text}
        got = set(search_api(page, word))
        if containing - got:
            misses[word] = sorted(containing - got)
    context.close()
    assert len(words) > 40
    assert not misses, f"{len(misses)} of {len(words)} words miss pages that contain them: {misses}"


@pytest.mark.parametrize(("query", "expect"), [
    ("志願者", "志愿者"),  # Traditional characters find Simplified text
    ("義工", "义工"),
    ("献血", "献血"),
])
def test_traditional_query_finds_what_simplified_finds(browser, site_url: str, query: str, expect: str) -> None:
    context, page = results_page(browser, site_url, query)
    traditional = found_paths(page)
    context.close()
    context, page = results_page(browser, site_url, expect)
    simplified = found_paths(page)
    context.close()
    assert simplified and traditional == simplified


def test_alias_finds_the_narratives_stories(browser, site_url: str, sample_site: Path) -> None:
    """义工 is an alias of 志愿服务: it finds the volunteer stories, even those never saying 义工."""
    from site_plugins.content.vocabulary import load_vocabulary

    vocab, _ = load_vocabulary(REPO / "content" / "narratives.yml", "narratives.yml")
    assert vocab is not None and vocab.resolve("义工") == "volunteer"
    context, page = results_page(browser, site_url, "义工")
    found = set(found_paths(page))
    context.close()
    volunteer = {p for p in published_titles(sample_site)
                 if "narratives/volunteer/" in (sample_site / p / "index.html").read_text(encoding="utf-8")}
    never_say_it = {p for p in volunteer if "义工" not in body_text(sample_site, p)}
    assert never_say_it, "the sample should have volunteer stories that never say 义工"
    assert volunteer <= found, f"missing: {sorted(volunteer - found)}"


@pytest.mark.parametrize("query", ["zhiyuanzhe", "zyz", "yanglao", "jijiu"])
def test_pinyin_and_initials_find_titles(browser, site_url: str, sample_site: Path, query: str) -> None:
    from pypinyin import Style, lazy_pinyin

    titles = published_titles(sample_site)

    def matches(title: str) -> bool:
        full = "".join(lazy_pinyin(title, errors="ignore"))
        initials = "".join(s[0] for s in lazy_pinyin(title, style=Style.FIRST_LETTER, errors="ignore") if s)
        return query in full or query in initials

    expected = {p for p, t in titles.items() if matches(t)}
    assert expected, f"no sample title reads {query}"
    context, page = results_page(browser, site_url, query)
    found = found_paths(page)
    shown = page.locator(".rc-search-result__title").all_inner_texts()
    context.close()
    assert expected <= set(found), f"{query}: expected {sorted(expected)}, got {found}"
    assert all(t in shown for p, t in titles.items() if p in expected)


def test_filter_narrows_results_and_shows_counts(browser, site_url: str) -> None:
    context, page = results_page(browser, site_url, "志愿者")
    before = page.locator(".rc-search-result").count()
    groups = page.locator(".rc-search-filters__group legend").all_inner_texts()
    assert {"专题", "类型", "城市", "年份"} <= set(groups)
    lecture = page.locator(".rc-search-filters__group", has_text="类型").locator("label", has_text="讲座")
    count = int(lecture.locator(".rc-search-filters__count").inner_text().strip("()"))
    assert 0 < count < before
    lecture.click()  # the label toggles its checkbox, as a reader's click or tap does
    page.wait_for_function(f"document.querySelectorAll('.rc-search-result').length === {count}")
    kinds = set(page.locator(".rc-search-result__kind").all_inner_texts())
    assert kinds == {"讲座"}
    assert page.locator("#" + lecture.get_attribute("for")).is_checked()  # type: ignore[operator]
    # newest first
    page.select_option("[data-rc-search-sort]", "date:desc")
    page.wait_for_timeout(500)
    dates = page.locator(".rc-search-result__meta span:nth-child(2)").all_inner_texts()
    context.close()
    keys = [tuple(int(x) for x in d.replace("年", "-").replace("月", "-").rstrip("日").split("-")) for d in dates]
    assert len(keys) == count and keys == sorted(keys, reverse=True)


def test_result_shows_kind_date_city_chips_excerpt_and_thumbnail(browser, site_url: str) -> None:
    context, page = results_page(browser, site_url, "献血")
    first = page.locator(".rc-search-result").first
    assert first.locator(".rc-search-result__title mark").count() + first.locator(".rc-search-result__excerpt mark").count() > 0
    assert first.locator(".rc-search-result__kind").inner_text() in {"故事", "讲座"}
    assert "年" in first.locator(".rc-search-result__meta").inner_text()
    assert page.locator(".rc-search-result__chips a").count() > 0
    assert page.locator(".rc-search-result img.rc-search-result__img").count() > 0
    images = page.locator("img.rc-search-result__img").evaluate_all("imgs => imgs.map(i => new URL(i.src).host)")
    chips = page.locator(".rc-search-result__chips a").evaluate_all("links => links.map(a => a.href)")
    context.close()
    assert set(images) == {urlsplit(site_url).netloc}, "thumbnails come from the site itself"
    narratives = {site_url + n.url for n in load_vocabulary(REPO / "content" / "narratives.yml", "narratives.yml")[0].narratives}
    assert set(chips) <= narratives, "a chip links its narrative's page (urls.narrative, through data-rc-search)"


def test_word_only_in_a_draft_finds_nothing(browser, site_url: str, sample_site: Path) -> None:
    drafts = withheld_entries()
    assert drafts
    words = ["五花八门", "离不开了", "二百八十二"]
    draft_text = " ".join(e.body for e in drafts)
    published = " ".join((p / "index.html").read_text(encoding="utf-8") for p in sample_site.rglob("*") if (p / "index.html").is_file())
    for word in words:
        assert word in draft_text and word not in published, word
        context, page = results_page(browser, site_url, word)
        found = found_paths(page)
        status = page.locator("[data-rc-search-count]").inner_text()
        browse = page.locator("[data-rc-search-browse]").is_visible()
        context.close()
        assert found == [] and "没有找到" in status and browse, (word, found)
    context, page = results_page(browser, site_url, drafts[0].title)
    found = found_paths(page)
    context.close()
    assert not {e.url for e in drafts} & set(found)


def test_header_box_searches_as_you_type_and_enter_opens_results(browser, site_url: str) -> None:
    context, page = open_page(browser, site_url)
    box = page.locator("input.md-search__input")  # in the header at desktop width
    box.click()
    box.fill("养老")
    items = page.locator("[data-rc-search-list] .md-search-result__item")
    items.first.wait_for(timeout=15_000)
    assert "养老" in items.first.inner_text() or items.count() > 1
    every = page.locator(".rc-search-all a").get_attribute("href")
    assert every == site_url + "search/?q=" + quote("养老")  # the results page, from the form's own address
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    page.locator(".rc-search-result").first.wait_for(timeout=15_000)
    assert page.locator("#rc-search-q").input_value() == "养老"
    context.close()


def test_home_page_fetches_nothing_of_the_index_until_search_opens(browser, site_url: str) -> None:
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda req: requests.append(urlsplit(req.url).path))
    page.goto(site_url, wait_until="networkidle")
    index = [r for r in requests if r.startswith("/pagefind/") or r.startswith("/search/")]
    assert requests and index == [], index
    page.locator("label.md-header__button[for=__search]").click()  # the magnifier on a phone
    page.locator("input.md-search__input").fill("献血")
    page.locator("[data-rc-search-list] .md-search-result__item").first.wait_for(timeout=15_000)
    context.close()
    assert "/pagefind/pagefind.js" in requests


def test_header_box_fetches_no_filter_file_and_only_its_queries_t2s_shards(browser, site_url: str) -> None:
    """The header box searches without filters (their files are for the results page's counts),
    and fetches the Traditional -> Simplified table only for the characters typed."""
    from site_plugins import urls
    from site_plugins.outputs.search import records as search

    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda req: requests.append(urlsplit(req.url).path))
    page.goto(site_url, wait_until="networkidle")
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("志願者")
    page.locator("[data-rc-search-list] .md-search-result__item").first.wait_for(timeout=15_000)
    page.wait_for_load_state("networkidle")
    shown = page.locator("[data-rc-search-list]").inner_text()
    context.close()
    assert "志愿者" in shown or "志愿" in shown, shown  # the Traditional query found Simplified text
    assert "/pagefind/pagefind.js" in requests
    assert not [r for r in requests if "/pagefind/filter/" in r], "the header box loaded filter files"
    shards = sorted(r for r in requests if r.startswith("/" + urls.SEARCH_T2S))
    assert shards == sorted({"/" + urls.t2s_shard(ord(c) % search.T2S_SHARDS) for c in "志願者"})
    # the results page does load them: its filters show counts
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    requests.clear()
    page.on("request", lambda req: requests.append(urlsplit(req.url).path))
    page.goto(site_url + "search/?q=志愿者", wait_until="networkidle")
    page.locator(".rc-search-filters__count").first.wait_for(timeout=15_000)
    context.close()
    assert [r for r in requests if "/pagefind/filter/" in r]


def test_results_page_without_javascript_links_narratives_and_archive(browser, site_url: str) -> None:
    context, page = open_page(browser, site_url + "search/?q=志愿者", java_script_enabled=False)
    links = page.locator("[data-rc-search-browse] a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert page.locator("[data-rc-search-browse]").is_visible()
    context.close()
    assert any("narratives/volunteer/" in h for h in links) and any("stories/archive/" in h for h in links)


@pytest.mark.parametrize(("name", "viewport", "scale"), [("390", PHONE, 1), ("zoom200", {"width": 640, "height": 450}, 2)])
def test_results_page_reflows_on_phones_and_at_200_percent_zoom(browser, site_url: str, name: str,
                                                                 viewport: dict[str, int], scale: int) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    context, page = results_page(browser, site_url, "志愿者", viewport, device_scale_factor=scale)
    assert page.locator(".rc-search-result").count() > 3
    assert scroll_width(page) <= viewport["width"]
    for _ in range(6):  # and with the largest text size
        page.get_by_role("button", name="放大字号").click(force=True)
    size = page.locator(".rc-search-result__excerpt").first.evaluate("p => parseFloat(getComputedStyle(p).fontSize)")
    page.screenshot(path=str(SHOTS / f"search-{name}.png"), full_page=False)
    width = scroll_width(page)
    context.close()
    assert size >= 18 * 1.9, "the text-size control applies to the results"
    assert width <= viewport["width"]


def test_results_page_keyboard_and_axe(browser, site_url: str) -> None:
    from .test_validators import axe_violations

    context, page = results_page(browser, site_url, "养老")
    assert not axe_violations(page)
    page.locator("#rc-search-q").focus()
    seen = []
    for _ in range(40):  # Tab reaches the filters and the results
        page.keyboard.press("Tab")
        seen.append(page.evaluate("document.activeElement.className + '|' + document.activeElement.type"))
    assert any("checkbox" in s for s in seen)
    page.locator(".rc-search-filters input[type=checkbox]").first.focus()
    page.keyboard.press("Space")
    page.wait_for_timeout(400)
    assert page.locator(".rc-search-filters input[type=checkbox]").first.is_checked()
    assert page.locator("[data-rc-search-count]").get_attribute("role") == "status"
    # the header dialog has a name, and axe finds nothing serious with it open
    page.locator("input.md-search__input").fill("献血")
    page.locator("[data-rc-search-list] .md-search-result__item").first.wait_for(timeout=15_000)
    violations = axe_violations(page)
    context.close()
    assert not violations, violations


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
