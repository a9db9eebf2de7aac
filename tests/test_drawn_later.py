"""A preview's pictures and notices made after the reload (media/later.py, adapters/live.py).

Inside `drawn_later` a missing card, square, poster or lecture notice is planned from its spec and
made only by `Later.run`; what the pages read of it (file name, width, height; a notice's cuts)
must be what the drawing makes.
The preview's side (pages first, the pictures held by the gate until drawn): tests/test_live.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from site_plugins.content.catalog import Edition
from site_plugins.media.cache import Cache, process_drawings, process_notices, process_social_images
from site_plugins.media.later import drawn_later
from site_plugins.media.notice import spec_for as notice_spec
from site_plugins.media.pdf import renderer_id
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
    notice = notice_spec(entries[1], SITE + entries[1].url, "红十字大讲堂")
    notices = [(notice.key(renderer_id()), notice)]
    cache, runner = Cache(tmp_path / "cache"), Runner(1)
    with drawn_later() as later:
        shared = process_drawings(cache, drawings, FONTS, runner)
        carded = process_social_images(cache, cards, FONTS, runner)
        noticed = process_notices(cache, notices, runner)
    assert _files(tmp_path) == [], "nothing is drawn before the reload"
    planned = {**shared.results, **carded.results, **noticed.results}
    assert len(planned) == len(drawings) + len(cards) + 1 and shared.encoded == carded.encoded == noticed.encoded == 0
    assert later.files == {str(cache.path(key, made["name"])) for key, made in planned.items()}
    later.run()
    for key, made in planned.items():
        stored = cache.load(key)
        assert stored is not None and made.items() <= stored.items(), "the pages read what was made"
        if made["name"].endswith(".pdf"):
            assert cache.path(key, made["name"]).read_bytes().startswith(b"%PDF")
            continue
        with Image.open(cache.path(key, made["name"])) as image:
            assert image.size == (made["width"], made["height"])
    # Outside it (scripts/build, a full preview build): drawn at once, to the same bytes.
    again = Cache(tmp_path / "again")
    assert process_drawings(again, drawings, FONTS, runner).encoded == len(drawings)
    assert process_social_images(again, cards, FONTS, runner).encoded == len(cards)
    assert process_notices(again, notices, runner).encoded == 1
    for key, made in planned.items():
        assert again.path(key, made["name"]).read_bytes() == cache.path(key, made["name"]).read_bytes()
