"""高对比 in Debian's Chromium (docs/CARE.md): the switch and what it remembers, every text at
7:1 computed from the styles in the light and dark variants, links underlined, focus a thick
ring; and axe-core with no violation of any impact in 关怀版 and in 高对比 on every page kind."""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_browser import DESKTOP, PHONE, SHOTS
from .test_care import CARE_ON
from .test_reading_chrome import CONTRAST_JS
from .test_validators import AXE_TAGS, axe_violations, every_page_kind

pytestmark = pytest.mark.browser

ANY_IMPACT = {"minor", "moderate", "serious", "critical"}
# Every visible element that holds text of its own, with its contrast over what is behind it.
TEXT_CONTRAST_JS = """() => { const contrast = CONTRAST_JS;
  return [...document.querySelectorAll('body *')].filter(el =>
      [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())
      && el.checkVisibility({opacityProperty: true, visibilityProperty: true})
      && (r => r.width > 1 && r.height > 1)(el.getBoundingClientRect()))
    .map(el => [el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : '')
                + ' «' + el.textContent.trim().slice(0, 12) + '»', contrast(el)]); }""".replace("CONTRAST_JS", CONTRAST_JS)


def contrast_page(browser, url: str, viewport: dict[str, int], scheme: str, care: bool = False):  # type: ignore[no-untyped-def]
    """A page in 高对比, switched on with its button as a reader does."""
    context = browser.new_context(viewport=viewport, locale="zh-CN", color_scheme=scheme)
    if care:
        context.add_init_script(CARE_ON)
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.locator("[data-rc-contrast]").click()
    page.wait_for_function("document.body.dataset.mdColorScheme === 'rc-contrast'")
    return context, page


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_switch_turns_it_on_remembers_it_and_returns_to_the_systems_scheme(browser, site_url: str,
                                                                          sample_pages: dict[str, str],
                                                                          scheme: str) -> None:
    context, page = contrast_page(browser, site_url + sample_pages["story"], PHONE, scheme)
    button = page.locator("[data-rc-contrast]")
    assert button.get_attribute("aria-pressed") == "true"
    background = "getComputedStyle(document.body).backgroundColor"
    assert page.evaluate(background) == ("rgb(255, 255, 255)" if scheme == "light" else "rgb(0, 0, 0)")
    page.goto(site_url + sample_pages["lecture"], wait_until="load")  # Material keeps the palette
    assert page.evaluate("document.body.dataset.mdColorScheme") == "rc-contrast"
    assert page.locator("[data-rc-contrast]").get_attribute("aria-pressed") == "true"
    page.locator("[data-rc-contrast]").click()
    expected = "default" if scheme == "light" else "slate"
    page.wait_for_function(f"document.body.dataset.mdColorScheme === '{expected}'")
    assert page.locator("[data-rc-contrast]").get_attribute("aria-pressed") == "false"
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_text_reaches_7_to_1(browser, site_url: str, sample_pages: dict[str, str], scheme: str) -> None:
    context, page = contrast_page(browser, site_url, DESKTOP, scheme)
    measured: dict[str, float] = {}
    for kind in ("home", "story", "lecture", "narrative"):
        for care in (False, True):
            page.evaluate(f"localStorage.{'setItem' if care else 'removeItem'}('rc-care', '1')")
            page.goto(site_url + sample_pages[kind], wait_until="load")
            for name, ratio in page.evaluate(TEXT_CONTRAST_JS):
                measured[f"{kind}{' 关怀版' if care else ''}: {name}"] = ratio
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{kind}-1280-contrast-{scheme}-care.png"))
    context.close()
    assert len(measured) > 200
    low = {k: round(v, 2) for k, v in measured.items() if v < 7}
    assert not low, f"{len(low)} texts under 7:1 ({scheme}): {dict(list(low.items())[:20])}"


def test_links_are_underlined_and_focus_is_a_thick_ring(browser, site_url: str, sample_pages: dict[str, str]) -> None:
    context, page = contrast_page(browser, site_url + sample_pages["lecture"], DESKTOP, "light")
    plain = page.locator(".md-content a").evaluate_all(
        "links => links.filter(a => a.checkVisibility() && !getComputedStyle(a).textDecorationLine.includes('underline'))"
        ".map(a => a.textContent.trim())")
    assert plain == []
    rings = []
    for _ in range(12):
        page.keyboard.press("Tab")
        rings.append(page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
            return [document.activeElement.textContent.trim().slice(0, 8), parseFloat(s.outlineWidth), s.outlineStyle, s.boxShadow]; }"""))
    context.close()
    thin = [r for r in rings if r[1] < 4 or r[2] == "none" or r[3] == "none"]
    assert not thin, thin


# 关怀版 in light and dark, 高对比 alone (1280) and with 关怀版 (390) in both variants.
MODES = [("care", "light", PHONE), ("care", "light", DESKTOP), ("care", "dark", PHONE), ("care", "dark", DESKTOP),
         ("contrast", "light", DESKTOP), ("contrast+care", "light", PHONE),
         ("contrast", "dark", DESKTOP), ("contrast+care", "dark", PHONE)]


@pytest.mark.parametrize(("mode", "scheme", "viewport"), MODES,
                         ids=[f"{m}-{s}-{v['width']}" for m, s, v in MODES])
def test_axe_finds_nothing_in_care_and_contrast(browser, site_url: str, sample_site: Path,
                                               sample_pages: dict[str, str], mode: str, scheme: str,
                                               viewport: dict[str, int]) -> None:
    care = "care" in mode
    if "contrast" in mode:
        context, page = contrast_page(browser, site_url, viewport, scheme, care)
    else:
        context = browser.new_context(viewport=viewport, locale="zh-CN", color_scheme=scheme)
        context.add_init_script(CARE_ON)
        page = context.new_page()
    # 高对比 promises 7:1 (WCAG AAA): axe's color-contrast-enhanced rule checks every text for it.
    tags = AXE_TAGS + (["wcag2aaa"] if "contrast" in mode else [])
    found = {}
    for kind, path in every_page_kind(sample_site, sample_pages).items():
        page.goto(site_url + path, wait_until="load")
        assert page.evaluate("document.documentElement.classList.contains('rc-care')") == care
        if "contrast" in mode:
            assert page.evaluate("document.body.dataset.mdColorScheme") == "rc-contrast"
        found[kind] = axe_violations(page, ANY_IMPACT, tags)
    context.close()
    assert len(found) >= 12
    assert not any(found.values()), "\n".join(f"{kind}: {v}" for kind, vs in found.items() for v in vs)
