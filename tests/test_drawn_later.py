"""A preview's pictures drawn after the reload (media/cache.py `drawn_later`, adapters/live.py).

Inside `drawn_later` a missing card, square or poster is planned from its spec and drawn only by
`Later.run`; what the pages read of it (file name, width, height) must be what the drawing makes.
The preview's side (pages first, the pictures held by the gate until drawn): tests/test_live.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from site_plugins.content.catalog import Edition
from site_plugins.media.cache import Cache, drawn_later, process_drawings, process_social_images
from site_plugins.media.pool import Runner
from site_plugins.media.share import share_drawings
from site_plugins.media.social import font_chain, spec_for

from .conftest import REPO, sample_content

pytestmark = pytest.mark.unit

FONTS = font_chain()
LOGO = str(REPO / "assets" / "overrides" / "assets" / "images" / "logo.png")
SITE = "https://lecture.example.org/"


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_pictures_inside_drawn_later_are_planned_then_drawn_as_planned(sample_edition: Edition, tmp_path: Path) -> None:
    vocab = sample_content()[0].vocabulary
    entries = [sample_edition.stories[0], sample_edition.lectures[0]]
    drawings = list(share_drawings(entries, vocab, "红十字大讲堂", SITE, {}, FONTS, LOGO).values())
    cards = [(spec.fingerprint(FONTS), spec) for spec in (spec_for(e, vocab, "红十字大讲堂") for e in entries)]
    cache, runner = Cache(tmp_path / "cache"), Runner(1)
    with drawn_later() as later:
        shared = process_drawings(cache, drawings, FONTS, runner)
        carded = process_social_images(cache, cards, FONTS, runner)
    assert _files(tmp_path) == [], "nothing is drawn before the reload"
    planned = {**shared.results, **carded.results}
    assert len(planned) == len(drawings) + len(cards) and shared.encoded == carded.encoded == 0
    assert later.files == {str(cache.path(key, made["name"])) for key, made in planned.items()}
    later.run()
    for key, made in planned.items():
        stored = cache.load(key)
        assert stored is not None and made.items() <= stored.items(), "the pages read what was drawn"
        with Image.open(cache.path(key, made["name"])) as image:
            assert image.size == (made["width"], made["height"])
    # Outside it (scripts/build, a full preview build): drawn at once, to the same bytes.
    again = Cache(tmp_path / "again")
    assert process_drawings(again, drawings, FONTS, runner).encoded == len(drawings)
    assert process_social_images(again, cards, FONTS, runner).encoded == len(cards)
    for key, made in planned.items():
        assert again.path(key, made["name"]).read_bytes() == cache.path(key, made["name"]).read_bytes()
