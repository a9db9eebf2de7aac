"""朗读 and the recording's play button in Debian's Chromium (docs/CARE.md). The speech engine
is a stub put in before the page's scripts run (add_init_script): it records what it is asked to
say and finishes an utterance when the test says so, with or without a Chinese voice."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .test_browser import PHONE, open_page

pytestmark = pytest.mark.browser

STUB = """(() => {
  const voices = %s; let ready = %s; const listeners = [];
  const tts = window.rcTts = {spoken: [], langs: [], calls: [], queue: [], current: null};
  tts.next = () => { tts.current = tts.queue.shift() || null; };
  tts.finish = () => { const done = tts.current; tts.next(); if (done && done.onend) done.onend({}); };
  tts.loadVoices = () => { ready = true; listeners.forEach(f => f()); };
  Object.defineProperty(window, 'speechSynthesis', {configurable: true, value: {
    getVoices: () => ready ? voices : [],
    speak(u) { tts.spoken.push(u.text); tts.langs.push(u.lang); tts.queue.push(u); if (!tts.current) tts.next(); },
    cancel() { tts.calls.push('cancel'); const c = tts.current; tts.queue = []; tts.current = null;
               if (c && c.onerror) c.onerror({error: 'interrupted'}); },
    pause() { tts.calls.push('pause'); }, resume() { tts.calls.push('resume'); },
    addEventListener(type, f) { if (type === 'voiceschanged') listeners.push(f); },
  }});
  window.SpeechSynthesisUtterance = function (text) { this.text = text; this.lang = ''; this.voice = null; };
})();"""
NO_ENGINE = """Object.defineProperty(window, 'speechSynthesis', {configurable: true, value: undefined});
delete window.SpeechSynthesisUtterance;"""
ZH = [{"name": "Ting-Ting", "lang": "zh-CN"}, {"name": "Samantha", "lang": "en-US"}]


def stub(voices: list[dict[str, str]], ready: bool = True) -> str:
    return STUB % (json.dumps(voices), json.dumps(ready))


def read_page(browser, url: str, script: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    context.add_init_script(script)
    page = context.new_page()
    page.goto(url, wait_until="load")
    return context, page


@pytest.fixture(scope="module")
def recorded_lecture(sample_site: Path) -> str:
    html = next(p for p in sorted(sample_site.glob("lectures/*/index.html")) if "<audio" in p.read_text(encoding="utf-8"))
    return html.parent.relative_to(sample_site).as_posix() + "/"


def test_reads_paragraph_by_paragraph_highlighting_each_with_pause_and_stop(browser, site_url: str,
                                                                           sample_pages: dict[str, str]) -> None:
    context, page = read_page(browser, site_url + sample_pages["story"], stub(ZH))
    read, stop = page.locator("[data-rc-read]"), page.locator("[data-rc-read-stop]")
    assert read.is_visible() and read.inner_text() == "朗读" and not stop.is_visible()
    title = page.locator("article h1").inner_text()
    paragraphs = page.locator(".rc-body p").all_inner_texts()
    body = page.locator(".rc-body").evaluate("b => b.textContent")
    read.click()
    assert page.evaluate("rcTts.spoken") == [title] and page.evaluate("rcTts.langs") == ["zh-CN"]
    assert page.locator(".rc-reading").evaluate("el => el.tagName") == "H1"
    page.evaluate("rcTts.finish()")
    current = page.locator(".rc-reading")
    assert current.inner_text() == paragraphs[0]
    assert paragraphs[0].startswith(page.evaluate("rcTts.spoken[1]"))
    # the paragraph being read is on the screen
    box = current.bounding_box()
    assert 0 <= box["y"] < PHONE["height"]
    assert read.inner_text() == "暂停" and stop.is_visible()
    read.click()
    assert page.evaluate("rcTts.calls").count("pause") == 1 and read.inner_text() == "继续"
    read.click()
    assert page.evaluate("rcTts.calls").count("resume") == 1 and read.inner_text() == "暂停"
    stop.click()
    assert page.locator(".rc-reading").count() == 0 and read.inner_text() == "朗读" and not stop.is_visible()
    assert "cancel" in page.evaluate("rcTts.calls")
    # From the start again, to the end: every block once (paragraphs, list items...), in order,
    # in short utterances.
    read.click()
    for _ in range(500):
        if read.inner_text() == "朗读":
            break
        page.evaluate("rcTts.finish()")
    spoken = page.evaluate("rcTts.spoken")
    context.close()
    again = spoken[spoken.index(title, 1):]
    assert re.sub(r"\s+", "", "".join(again)) == re.sub(r"\s+", "", title + body)
    assert max(len(s) for s in again) <= 120


def test_voices_that_arrive_late_reveal_the_button(browser, site_url: str, sample_pages: dict[str, str]) -> None:
    context, page = read_page(browser, site_url + sample_pages["story"], stub(ZH, ready=False))
    assert not page.locator("[data-rc-readaloud]").is_visible()
    page.evaluate("rcTts.loadVoices()")
    assert page.locator("[data-rc-read]").is_visible()
    context.close()


@pytest.mark.parametrize("engine", ["english-only", "none"])
def test_no_button_where_the_browser_cannot_speak_chinese(browser, site_url: str, sample_pages: dict[str, str],
                                                          recorded_lecture: str, engine: str) -> None:
    script = stub([{"name": "Samantha", "lang": "en-US"}]) if engine == "english-only" else NO_ENGINE
    context, page = read_page(browser, site_url + sample_pages["story"], script)
    page.wait_for_timeout(200)
    assert not page.locator("[data-rc-readaloud]").is_visible()
    assert page.locator("[data-rc-read]").is_hidden()
    # A lecture with a recording still offers the recording, and nothing else.
    page.goto(site_url + recorded_lecture, wait_until="load")
    buttons = page.locator("[data-rc-readaloud] button").evaluate_all(
        "bs => bs.filter(b => b.checkVisibility()).map(b => b.textContent)")
    context.close()
    assert buttons == ["先听录音"]


def test_a_recorded_lecture_offers_its_recording_first(browser, site_url: str, recorded_lecture: str) -> None:
    context, page = read_page(browser, site_url + recorded_lecture, stub(ZH))
    buttons = page.locator("[data-rc-readaloud] button").evaluate_all(
        "bs => bs.filter(b => b.checkVisibility()).map(b => b.textContent)")
    assert buttons == ["先听录音", "朗读"]
    # Reading a lecture gives its facts after the title: who speaks, when and where.
    page.locator("[data-rc-read]").click()
    page.evaluate("rcTts.finish()")
    assert page.evaluate("rcTts.spoken[1]").startswith("主讲人：")
    page.locator("[data-rc-listen]").click()  # stops reading, plays the recording
    audio = page.locator(".rc-recording audio")
    page.wait_for_function("!document.querySelector('.rc-recording audio').paused", timeout=10_000)
    assert page.locator(".rc-reading").count() == 0
    play = page.locator("[data-rc-play]")
    assert play.evaluate("b => b === document.activeElement") and "暂停录音" in play.inner_text()
    play.click()
    assert audio.evaluate("a => a.paused") and "播放录音" in play.inner_text()
    context.close()


def test_the_play_button_appears_only_with_scripts(browser, site_url: str, recorded_lecture: str) -> None:
    context, page = open_page(browser, site_url + recorded_lecture, PHONE, java_script_enabled=False)
    assert page.locator("[data-rc-play]").is_hidden() and page.locator(".rc-recording audio").is_visible()
    assert page.locator("[data-rc-readaloud]").is_hidden()
    context.close()
