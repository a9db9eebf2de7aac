"""What a phone or desktop reader sees, measured in Debian's Chromium: the home page's first
screen, chrome at 16 px or more that the 字号 control scales, no empty column or dead gap,
secondary text at 4.5:1 in both schemes, and a recording's duration before it plays."""

from __future__ import annotations

import pytest

from .test_browser import DESKTOP, PHONE, SHOTS, open_page

pytestmark = pytest.mark.browser

# WCAG relative luminance and contrast of an element's text over what is behind it (alpha blended).
CONTRAST_JS = """el => {
  const rgba = s => { const m = s.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const over = (top, bottom) => top.slice(0, 3).map((c, i) => c * top[3] + bottom[i] * (1 - top[3]));
  let bg = [255, 255, 255], layers = [];
  for (let n = el; n; n = n.parentElement) {
    const c = rgba(getComputedStyle(n).backgroundColor);
    if (c[3] > 0) layers.push(c);
    if (c[3] === 1) break;
  }
  for (const layer of layers.reverse()) bg = over(layer, bg);
  const fg = over(rgba(getComputedStyle(el).color), bg);
  const lum = c => { const v = c.map(x => { x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
                     return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""
SECONDARY = [".rc-card__meta", ".rc-desc", ".rc-count", ".rc-byline", ".rc-intro", ".md-copyright",
             ".md-footer__direction", ".rc-textsize output"]


def test_phone_home_first_screen_has_the_featured_story_and_the_name_once(browser, site_url: str) -> None:
    context, page = open_page(browser, site_url, PHONE)
    image = page.locator(".rc-featured__img")
    title = page.locator(".rc-featured__title")
    assert image.is_visible() and title.is_visible()
    assert image.evaluate("i => i.complete && i.naturalWidth > 0")
    assert title.bounding_box()["y"] + title.bounding_box()["height"] <= PHONE["height"], "featured title below the fold"
    visible_names = page.evaluate("""() => [...document.querySelectorAll('body *')].filter(e =>
        [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim() === document.querySelector('meta[property="og:site_name"]')?.content)
        && e.checkVisibility({opacityProperty: true, visibilityProperty: true})
        && (r => r.width > 1 && r.top < innerHeight && r.right > 0 && r.left < innerWidth)(e.getBoundingClientRect())
        ).length""")
    assert visible_names == 1, f"the site name is shown {visible_names} times on the first screen"
    page.screenshot(path=str(SHOTS / "home-390-first-screen.png"))
    context.close()


@pytest.mark.parametrize("kind", ["story", "narrative", "home"])
def test_desktop_has_no_empty_column_and_no_dead_gap(browser, site_url: str, sample_pages: dict[str, str],
                                                     kind: str) -> None:
    context, page = open_page(browser, site_url + sample_pages[kind], DESKTOP)
    assert not page.locator(".md-sidebar--primary").is_visible()
    toc = page.locator(".md-sidebar--secondary")
    if toc.count() and toc.is_visible():  # only where there are headings to list
        assert page.locator(".md-sidebar--secondary .md-nav__link").count() > 0
    header = page.locator(".md-header").bounding_box()["height"] + page.locator(".md-tabs").bounding_box()["height"]
    first = page.evaluate("""() => { const c = document.querySelector('.md-content__inner');
        const el = [...c.children].find(e => e.getBoundingClientRect().height > 0);
        return el.getBoundingClientRect().top }""")
    control = page.locator("[data-rc-textsize]").bounding_box()
    gap = first - (control["y"] + control["height"])
    assert control["y"] - header < 20 and gap < 24, f"{gap:.0f} px of blank space under the 字号 row"
    context.close()


def chrome_sizes(page) -> dict[str, float]:  # type: ignore[no-untyped-def]
    return page.evaluate("""() => {
      const out = {};
      for (const sel of ['.md-tabs__link', '.md-nav--secondary .md-nav__link', '.rc-crumbs', '.md-copyright',
                         '.md-footer__direction', '.md-footer__title .md-ellipsis']) {
        const el = document.querySelector(sel);
        if (el) out[sel] = parseFloat(getComputedStyle(el).fontSize);
      }
      return out }""")


def test_desktop_chrome_is_16px_or_more_and_follows_the_text_size(browser, site_url: str,
                                                                  sample_pages: dict[str, str]) -> None:
    context, page = open_page(browser, site_url + sample_pages["story"], DESKTOP)
    sizes = chrome_sizes(page)
    assert {".md-tabs__link", ".rc-crumbs", ".md-copyright", ".md-nav--secondary .md-nav__link"} <= set(sizes)
    small = {k: v for k, v in sizes.items() if v < 16}
    assert not small, f"under 16 px: {small}"
    for _ in range(2):
        page.get_by_role("button", name="放大字号").click()
    bigger = chrome_sizes(page)
    for sel, size in sizes.items():
        assert bigger[sel] == pytest.approx(size * 1.3, abs=0.6), sel
    page.screenshot(path=str(SHOTS / "story-1280-text130.png"))
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_secondary_text_has_at_least_4_5_to_1(browser, site_url: str, sample_pages: dict[str, str],
                                              scheme: str) -> None:
    context, page = open_page(browser, site_url, DESKTOP, color_scheme=scheme)
    measured = {}
    for path in (sample_pages["home"], sample_pages["story"], "narratives/"):
        page.goto(site_url + path, wait_until="load")
        for sel in SECONDARY:
            el = page.locator(sel).first
            if el.count():
                measured[f"{path or '/'} {sel}"] = el.evaluate(CONTRAST_JS)
    context.close()
    assert len(measured) >= 6
    low = {k: round(v, 2) for k, v in measured.items() if v < 4.5}
    assert not low, f"{scheme}: under 4.5:1: {low}"


def test_recording_duration_is_shown_before_playing(browser, site_url: str, sample_site) -> None:  # type: ignore[no-untyped-def]
    lecture = next(p for p in sorted(sample_site.glob("lectures/*/index.html")) if "<audio" in p.read_text(encoding="utf-8"))
    context, page = open_page(browser, site_url + lecture.parent.relative_to(sample_site).as_posix() + "/", PHONE)
    length = page.locator(".rc-recording time")
    assert length.is_visible() and length.inner_text() and "时长" in page.locator(".rc-recording").inner_text()
    assert page.locator("audio").evaluate("a => a.paused && a.preload") == "metadata"
    context.close()
