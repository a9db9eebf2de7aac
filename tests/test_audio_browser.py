"""The lecture page's player in Chromium: it knows the recording's length before anyone presses play."""

from __future__ import annotations

from pathlib import Path

import pytest
from mutagen.mp3 import MP3

pytestmark = pytest.mark.browser


def test_player_shows_the_duration_before_playing(browser, site_url: str, sample_site: Path) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_context().new_page()
    page.goto(site_url + "lectures/xinfei-fusu-aed-rumen/", wait_until="load")
    player = page.locator(".rc-recording audio")
    page.wait_for_function("document.querySelector('.rc-recording audio').readyState >= 1", timeout=15000)
    duration = player.evaluate("audio => audio.duration")
    assert player.evaluate("audio => audio.paused") and player.evaluate("audio => audio.currentTime") == 0
    src = player.evaluate("audio => new URL(audio.src).pathname")
    published = sample_site / src.lstrip("/")
    assert published.suffix == ".mp3" and abs(duration - MP3(published).info.length) < 0.5
    page.context.close()
