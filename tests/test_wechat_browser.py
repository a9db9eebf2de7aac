"""The paste test: the 公众号 edition copied and pasted into a contenteditable in Chromium, read
back and compared with the source Markdown (text, headings, image order, the link list); and
the preview's 复制到公众号 button, which copies the same article."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import lxml.html
import pytest

from site_plugins.content.markdown import scan

from .conftest import BUILD_TIME, SiteMaker, serve
from .image_helpers import save_phone_photo
from .inprocess import build_in_process
from .test_scripts import run
from .test_wechat_script import BODY, SITE

pytestmark = pytest.mark.browser

EDITOR = '<!doctype html><meta charset="utf-8"><title>编辑器</title><div id="editor" contenteditable="true"></div>'
COVER_ALT = "第一张图：封面"
LINKED = {"https://www.example.org/": "https://www.example.org/", "other.md": SITE + "stories/other/"}


@pytest.fixture(scope="module")
def made(make_shared_site: Callable[[], SiteMaker]) -> Iterator[tuple[SiteMaker, str]]:
    """One site: scripts/wechat's folder, the same site built as the preview builds it, and an editor page."""
    site = make_shared_site()
    site.story("other", title="另一篇")
    site.story("gzh", title="公众号测试", body=BODY,
               extra=f"summary: 一句话摘要。\ncover: cover.jpg\ncover_alt: {COVER_ALT}\ncity: 太原\n")
    save_phone_photo(site.content / "stories" / "cover.jpg", 3000, 2000, orientation=6)
    save_phone_photo(site.content / "stories" / "peixun.jpg", 1600, 1200)
    save_phone_photo(site.content / "stories" / "hechang.png", 1400, 900, fmt="PNG", alpha=True)
    site.story("long", title="这是一个非常非常长的标题" * 3)
    result = run("wechat", "content/stories/gzh.md", "--out", "out", "-f", site.config, cwd=site.root)
    assert result.returncode == 0, result.stdout + result.stderr
    built = build_in_process(site.config, site.root / "preview", {"SITE_BUILD_TIME": BUILD_TIME}, command="serve")
    assert built.returncode == 0, built.stderr
    (site.root / "editor.html").write_text(EDITOR, encoding="utf-8")
    url, stop = serve(site.root)
    yield site, url
    stop()


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", permissions=["clipboard-read", "clipboard-write"])
    yield context
    context.close()


def paste(page: Any, url: str) -> dict[str, Any]:
    """Paste the clipboard into the editor page at `url`; what the editor then holds."""
    page.goto(url + "editor.html")
    page.click("#editor")
    page.keyboard.press("Control+V")
    page.wait_for_function("document.querySelector('#editor img') !== null")
    page.wait_for_function("[...document.querySelectorAll('#editor img')].every(i => i.complete)")
    return page.evaluate("""() => {
      const editor = document.querySelector('#editor');
      const refs = [...editor.querySelectorAll('p')];
      const start = refs.findIndex(p => p.textContent === '参考链接');
      return {
        text: editor.innerText,
        html: editor.innerHTML,
        headings: [...editor.querySelectorAll('h1, h2, h3, h4')].map(h => h.textContent),
        images: [...editor.querySelectorAll('img')].map(i => [i.getAttribute('src'), i.alt, i.naturalWidth]),
        captions: [...editor.querySelectorAll('figcaption')].map(c => c.textContent),
        links: start < 0 ? [] : refs.slice(start + 1).map(p => p.textContent),
        anchors: editor.querySelectorAll('a').length,
        h2color: getComputedStyle(editor.querySelector('h2') || editor).color,
        quoteBorder: getComputedStyle(editor.querySelector('blockquote')).borderLeftColor,
      };
    }""")


def compare_with_source(pasted: dict[str, Any]) -> None:
    """What the source Markdown says is in the pasted article, in order."""
    found = scan(BODY)
    words = " ".join(pasted["text"].split())
    unmarked = re.sub(r"\[\d+\]", "", words)
    for block in found.blocks:  # every paragraph, heading, item and cell, in order
        text = " ".join(block.text.split())
        assert text in unmarked, text
        unmarked = unmarked[unmarked.index(text) + len(text):]
    assert "第一段，见红十字会官网[1]和另一篇[2]。" in words
    assert "◦ 细节" in words  # the nested item, flattened
    assert pasted["headings"] == [h.text for h in found.headings]
    assert [alt for _src, alt, _w in pasted["images"]] == [COVER_ALT, *[i.alt for i in found.images]]
    assert pasted["captions"] == [COVER_ALT, *[i.alt for i in found.images]]
    assert all(width > 0 for _src, _alt, width in pasted["images"]), pasted["images"]  # each image loaded
    targets = list(dict.fromkeys(LINKED[link.target] for link in found.links if not link.image))
    assert [re.sub(r"^\[(\d+)\] .*?：", r"\1 ", line) for line in pasted["links"]] == [
        f"{n} {url}" for n, url in enumerate(targets, 1)]
    assert pasted["anchors"] == 0
    assert pasted["h2color"] == pasted["quoteBorder"] == "rgb(183, 28, 28)"  # the site's red, inline
    assert not re.search(r"<(script|style|svg)\b|\sclass=|\sid=|var\(", pasted["html"])


def test_the_written_article_copied_from_a_browser_pastes_whole(browser: Any, context: Any,
                                                                made: tuple[SiteMaker, str]) -> None:
    """The guide's steps: open article.html, select all, copy, paste into the editor."""
    _site, url = made
    page = context.new_page()
    page.goto(url + "out/gzh/article.html")
    page.keyboard.press("Control+A")
    page.keyboard.press("Control+C")
    pasted = paste(page, url)
    compare_with_source(pasted)
    assert [src.rsplit("/", 1)[1] for src, _alt, _w in pasted["images"]] == ["01.jpg", "02.jpg", "03.png"]


def test_the_preview_button_copies_the_same_article(browser: Any, context: Any, made: tuple[SiteMaker, str]) -> None:
    site, url = made
    page = context.new_page()
    page.goto(url + "preview/stories/gzh/")
    assert page.locator("[data-rc-wechat] dd").all_inner_texts() == ["公众号测试", "一句话摘要。", SITE + "stories/gzh/"]
    page.click("text=复制到公众号")
    page.wait_for_function("document.querySelector('[data-rc-wechat] [role=status]').textContent !== ''")
    assert page.inner_text("[data-rc-wechat] [role=status]").startswith("已复制")
    copied = page.evaluate("""async () => {
      const [item] = await navigator.clipboard.read();
      return await (await item.getType('text/html')).text();
    }""")
    written = (site.root / "out" / "gzh" / "article.html").read_text(encoding="utf-8")
    fragment = lxml.html.tostring(lxml.html.document_fromstring(written).find(".//body/section"), encoding="unicode")
    sources = re.findall(r'<img src="([^"]+)"', copied)
    assert [s.rsplit("/", 1)[1] for s in sources] == ["cover-960.jpg", "peixun-960.jpg", "hechang-960.png"]
    assert all(s.startswith(url + "preview/media/") for s in sources)  # absolute: the editor can fetch them
    same = re.sub(r'<img src="[^"]+"', '<img src=""', copied.split("-->")[-1].strip())
    assert same == re.sub(r'<img src="[^"]+"', '<img src=""', fragment.strip())
    compare_with_source(paste(page, url))


def test_the_preview_button_falls_back_to_a_selection_copy(browser: Any, made: tuple[SiteMaker, str]) -> None:
    """Without the asynchronous clipboard API (an older browser), the button still copies."""
    _site, url = made
    context = browser.new_context(locale="zh-CN", permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        page.add_init_script("delete window.ClipboardItem")
        page.goto(url + "preview/stories/gzh/")
        assert page.evaluate("typeof window.ClipboardItem") == "undefined"
        page.click("text=复制到公众号")
        assert page.inner_text("[data-rc-wechat] [role=status]").startswith("已复制")
        compare_with_source(paste(page, url))
    finally:
        context.close()


def test_the_preview_says_what_the_gongzhonghao_would_refuse(made: tuple[SiteMaker, str]) -> None:
    site, _url = made
    box = lxml.html.document_fromstring((site.root / "preview" / "stories" / "long" / "index.html")
                                        .read_text(encoding="utf-8")).find(".//section[@data-rc-wechat]")
    [problem] = box.find_class("rc-gzh__problem")
    assert problem.text_content() == ("公众号不接受：标题有 36 个字，公众号标题最多 32 个字。"
                                      "请把 title 改短至少 4 个字后再运行 scripts/wechat。")
