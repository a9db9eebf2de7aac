"""Paper (docs/CARE.md): Chromium's PDF of a story and a lecture, read back with pdftotext
(poppler-utils): no header, tabs, search, reading controls or footer, the text all there,
other sites' addresses after their links and the site's own not; and, in print media, black
text whatever the screen showed, images within the page, figures whole, headings kept with
what follows."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import serve
from .test_browser import DESKTOP, open_page
from .test_care import CARE_ON

pytestmark = pytest.mark.browser

# What only the screen shows: the header's search, 关怀版, the 字号/高对比 row, 朗读, the
# player's button, 加入日历, breadcrumbs, related stories, the tabs, the footer.
SCREEN_ONLY = ["搜索故事和讲座", "关怀版", "字号", "高对比", "朗读", "先听录音", "播放录音", "加入日历",
               "订阅全部讲座", "相关故事", "首页›", "首页故事大讲堂专题订阅关于", "MaterialforMkDocs", "CCBY4.0"]


def pdf_text(browser, url: str, out: Path, *scripts: str) -> str:  # type: ignore[no-untyped-def]
    """The page printed to PDF by Chromium, as text without white space (pdftotext breaks lines)."""
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: install Debian's poppler-utils (scripts/test does)")
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    for script in scripts:
        context.add_init_script(script)
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.pdf(path=str(out), format="A4")
    context.close()
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", "", text)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("kind", ["story", "lecture"])
def test_pdf_has_the_text_and_none_of_the_screens_controls(browser, site_url: str, sample_site: Path,
                                                           sample_pages: dict[str, str], tmp_path: Path,
                                                           kind: str) -> None:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((sample_site / sample_pages[kind] / "index.html").read_text(encoding="utf-8"), "html.parser")
    title = soup.select_one("article h1").get_text()  # type: ignore[union-attr]
    paragraphs = [p.get_text() for p in soup.select(".rc-body p")]
    # In 关怀版 and 高对比 too: the screen's choices do not reach the paper.
    for name, scripts in (("plain", ()), ("care", (CARE_ON,))):
        text = pdf_text(browser, site_url + sample_pages[kind], tmp_path / f"{kind}-{name}.pdf", *scripts)
        assert squeeze(title) in text and all(squeeze(p) in text for p in paragraphs), name
        shown = [s for s in SCREEN_ONLY if s in text]
        assert not shown, f"{kind} ({name}) prints screen-only text: {shown}"
    if kind == "lecture":
        assert "主讲人" in text and "地点" in text  # the facts are content


@pytest.fixture(scope="module")
def linked_site(make_shared_site) -> Iterator[str]:  # type: ignore[no-untyped-def]
    site = make_shared_site()
    site.story("links", title="链接的故事", body=(
        "红十字会总会的[网站](https://www.redcross.org.cn/)有更多介绍。\n\n"
        "本站的[讲座列表](https://lecture.example.org/lectures/)也可以看看。\n\n"
        "也可以[给我们写信](mailto:office@example.org)。"))
    site.build()
    url, stop = serve(site.site)
    yield url
    stop()


def test_other_sites_addresses_are_printed_after_their_links(browser, linked_site: str, tmp_path: Path) -> None:
    text = pdf_text(browser, linked_site + "stories/links/", tmp_path / "links.pdf")
    assert "网站(https://www.redcross.org.cn/)" in text
    assert "讲座列表也可以看看" in text and "(https://lecture.example.org/lectures/)" not in text
    assert "给我们写信。" in text


def test_print_media_is_black_on_white_with_images_in_the_page(browser, site_url: str, sample_site: Path) -> None:
    story = next(p for p in sorted(sample_site.glob("stories/*/index.html"))
                 if 'class="rc-cover"' in p.read_text(encoding="utf-8") and "<figure" in p.read_text(encoding="utf-8"))
    path = story.parent.relative_to(sample_site).as_posix() + "/"
    context, page = open_page(browser, site_url + path, DESKTOP, color_scheme="dark")
    page.evaluate(CARE_ON)
    page.reload(wait_until="load")
    page.locator("[data-rc-contrast]").click()  # 高对比 on a dark system: white on black on screen
    page.wait_for_function("document.body.dataset.mdColorScheme === 'rc-contrast'")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    page.emulate_media(media="print")
    styles = page.evaluate("""() => {
      const style = sel => { const el = document.querySelector(sel); return el && getComputedStyle(el); };
      const content = document.querySelector('.md-content').getBoundingClientRect();
      return {
        colors: ['article h1', '.rc-body p', '.rc-byline', '.rc-body a, .rc-tags a'].map(s => style(s).color),
        background: getComputedStyle(document.body).backgroundColor,
        size: parseFloat(style('.rc-body p').fontSize),
        images: [...document.querySelectorAll('.md-content img')].map(i => i.getBoundingClientRect())
          .filter(r => r.width).map(r => r.left >= content.left - 1 && r.right <= content.right + 1),
        figure: style('figure').breakInside, heading: style('.md-typeset h1').breakAfter,
        hidden: ['.md-header', '.rc-textsize', '.rc-readaloud', '.md-footer', '.rc-crumbs']
          .map(s => document.querySelector(s)).filter(el => el && el.checkVisibility()).map(el => el.className),
      }; }""")
    context.close()
    assert set(styles["colors"]) == {"rgb(0, 0, 0)"} and styles["background"] == "rgb(255, 255, 255)"
    assert styles["size"] == pytest.approx(20, abs=0.1)  # 15 pt: 关怀版 prints large
    assert styles["images"] and all(styles["images"])
    assert styles["figure"] == "avoid" and styles["heading"] == "avoid"
    assert styles["hidden"] == []
