"""The 分享 button in Debian's Chromium: the poster full-screen in a modal dialog (keyboard, focus,
axe), 复制链接 through the Clipboard API and through its fallback, and the link to the poster
that stands in for both without scripts. Nothing is fetched from another host."""

from __future__ import annotations

import pytest

from .conftest import REPO
from .test_browser import DESKTOP, PHONE, open_page

pytestmark = pytest.mark.browser

SHOTS = REPO / "test-artifacts" / "screenshots"
CANONICAL = "https://lecture.example.org/"


@pytest.mark.parametrize(("kind", "viewport"), [("story", PHONE), ("lecture", DESKTOP)])
def test_share_shows_the_poster_full_screen_and_esc_returns_focus(browser, site_url: str, sample_pages: dict[str, str],
                                                                  kind: str, viewport: dict[str, int]) -> None:
    from .test_validators import axe_violations

    path = sample_pages[kind]
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(site_url + path, wait_until="load")
    dialog = page.locator("dialog#rc-share")
    assert not dialog.is_visible()
    assert not page.locator("a.rc-actions__poster").is_visible()  # scripts run: the button stands in for it
    opener = page.get_by_role("button", name="分享", exact=True)
    opener.focus()
    page.keyboard.press("Enter")
    dialog.wait_for(state="visible")
    assert page.evaluate("document.getElementById('rc-share').open")
    assert page.evaluate("document.activeElement.closest('dialog') !== null")  # focus moved into the dialog
    poster = dialog.locator("img.rc-share__poster")
    page.wait_for_function("() => { const i = document.querySelector('img.rc-share__poster'); "
                           "return i.complete && i.naturalWidth > 0 }")
    assert poster.evaluate("i => [i.naturalWidth, i.naturalHeight]") == [750, 1334]
    box, shown = dialog.bounding_box(), poster.bounding_box()
    assert box is not None and shown is not None
    assert (box["width"], box["height"]) == (viewport["width"], viewport["height"])  # the whole screen
    assert shown["height"] >= viewport["height"] * 0.6 and shown["width"] <= viewport["width"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"share-{kind}-{viewport['width']}.png"))
    assert axe_violations(page) == []
    reached = set()
    for _ in range(5):  # Tab goes round the dialog's controls (and the browser's own), never to the page behind
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement === document.body ? 'body' : "
                                  "document.activeElement.closest('dialog') ? document.activeElement.textContent : 'page'"))
    assert reached == {"复制链接", "下载海报", "关闭", "body"}
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.hasAttribute('data-rc-share-open')")  # back where the reader was
    context.close()
    assert requests and all(url.startswith(site_url) for url in requests), [u for u in requests if not u.startswith(site_url)]


def test_copy_link_puts_the_canonical_address_on_the_clipboard(browser, site_url: str, sample_pages: dict[str, str]) -> None:
    context, page = open_page(browser, site_url + sample_pages["lecture"], PHONE)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page.locator(".rc-actions").get_by_role("button", name="复制链接").click()
    status = page.locator(".rc-actions [data-rc-share-status]")
    status.filter(has_text="链接已复制").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == CANONICAL + sample_pages["lecture"]
    # ... and from inside the dialog, where its own status says so
    page.get_by_role("button", name="分享", exact=True).click()
    page.evaluate("navigator.clipboard.writeText('')")
    page.locator("dialog").get_by_role("button", name="复制链接").click()
    page.locator("dialog [data-rc-share-status]").filter(has_text="链接已复制").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == CANONICAL + sample_pages["lecture"]
    context.close()


# Chromium without the Clipboard API (as WeChat's older browsers): execCommand("copy") on a selected
# text area. The stub records what was selected and answers as told.
NO_CLIPBOARD = """
Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => undefined});
window.rcSelected = [];
document.execCommand = (command) => {
  const a = document.activeElement;
  window.rcSelected.push([command, a.value.substring(a.selectionStart, a.selectionEnd)]);
  return %s;
};
"""


@pytest.mark.parametrize("works", [True, False])
def test_copy_link_falls_back_to_a_selection_then_to_showing_the_address(browser, site_url: str,
                                                                        sample_pages: dict[str, str], works: bool) -> None:
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    context.add_init_script(NO_CLIPBOARD % ("true" if works else "false"))
    page = context.new_page()
    page.goto(site_url + sample_pages["story"], wait_until="load")
    assert page.evaluate("navigator.clipboard") is None
    page.locator(".rc-actions").get_by_role("button", name="复制链接").click()
    url = CANONICAL + sample_pages["story"]
    status = page.locator(".rc-actions [data-rc-share-status]")
    status.filter(has_text="链接已复制" if works else "请手动复制").wait_for()
    assert page.evaluate("window.rcSelected") == [["copy", url]]
    if not works:
        assert url in status.inner_text()  # the address itself, to copy by hand
    assert page.locator("textarea").count() == 0  # the helper text area is gone again
    context.close()


def test_without_scripts_the_page_links_its_poster(browser, site_url: str, sample_pages: dict[str, str]) -> None:
    context, page = open_page(browser, site_url + sample_pages["story"], PHONE, java_script_enabled=False)
    link = page.locator("a.rc-actions__poster")
    assert link.is_visible() and link.inner_text().startswith("分享海报")
    assert not page.locator(".rc-actions button").first.is_visible()  # buttons that need scripts are hidden
    with page.expect_response(lambda r: r.url.endswith(".png")) as answer:
        link.click()
    response = answer.value
    assert response.ok and response.headers["content-type"] == "image/png"
    assert page.url.startswith(site_url + "posters/stories/")
    context.close()


def test_a_tap_beside_the_poster_closes_it(browser, site_url: str, sample_pages: dict[str, str]) -> None:
    context, page = open_page(browser, site_url + sample_pages["story"], PHONE)
    page.get_by_role("button", name="分享", exact=True).click()
    dialog = page.locator("dialog#rc-share")
    dialog.wait_for(state="visible")
    page.locator("dialog img").click()  # a tap on the poster itself (long-press territory) keeps it open
    assert dialog.is_visible()
    page.mouse.click(4, PHONE["height"] // 2)  # the dark margin beside it
    dialog.wait_for(state="hidden")
    context.close()


def test_without_dialog_support_the_poster_is_an_overlay_closed_by_esc(browser, site_url: str,
                                                                       sample_pages: dict[str, str]) -> None:
    """Browsers without HTMLDialogElement.showModal (older WeChat on iOS): the same overlay, opened by hand."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    context.add_init_script("delete HTMLDialogElement.prototype.showModal; delete HTMLDialogElement.prototype.close;")
    page = context.new_page()
    page.goto(site_url + sample_pages["lecture"], wait_until="load")
    opener = page.get_by_role("button", name="分享", exact=True)
    opener.click()
    dialog = page.locator("dialog#rc-share")
    dialog.wait_for(state="visible")
    box = dialog.bounding_box()
    assert box is not None and (box["width"], box["height"]) == (PHONE["width"], PHONE["height"])
    assert page.evaluate("document.activeElement.hasAttribute('data-rc-share-close')")
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.hasAttribute('data-rc-share-open')")
    opener.click()
    dialog.wait_for(state="visible")
    dialog.get_by_role("button", name="关闭").click()
    dialog.wait_for(state="hidden")
    context.close()
