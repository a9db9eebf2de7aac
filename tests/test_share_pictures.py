"""Share pictures: the 分享海报 (its QR code read back by an independent decoder, its size and bytes,
what it shows) and the square share image; the page meta that names them."""

from __future__ import annotations

import dataclasses
import io
import subprocess
import sys
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from site_plugins import urls
from site_plugins.content.catalog import Edition
from site_plugins.content.schema import Lecture, Speaker, Story
from site_plugins.media import poster as poster_module
from site_plugins.media.poster import PosterSpec, draw_poster, encode_poster, on_colour, paragraph
from site_plugins.media.share import lecture_facts, poster_spec, share_drawings, square_spec
from site_plugins.media.sharetext import card_notices, card_texts
from site_plugins.media.social import DEFAULT_FONT, INK, Typeface, font_chain
from site_plugins.media.square import SquareSpec, draw_square, encode_square
from site_plugins.outputs.pages.seo import microdata_scope, share_meta

from .conftest import REPO, sample_content
from .image_helpers import metadata_blocks

pytestmark = pytest.mark.unit

FONTS = font_chain()
LOGO = str(REPO / "assets" / "overrides" / "assets" / "images" / "logo.png")
SITE = "https://lecture.example.org/"
LONG_TITLE = ("“救”在身边：一位刚拿到救护员证书的公交站志愿者，用四分钟的胸外按压等来了救护车，"
              "也让站台上候车的旅客明白了急救知识的分量（2026年春运特别报道）！")


def decode(data: bytes) -> list[zxingcpp.Barcode]:
    with Image.open(io.BytesIO(data)) as image:
        return list(zxingcpp.read_barcodes(image))


def lecture(edition: Edition) -> Lecture:
    return next(e for e in edition.lectures if e.end is not None and len(e.speakers) >= 2)


def story(edition: Edition) -> Story:
    return next(e for e in edition.stories if e.city)


def test_poster_has_a_standard_qr_code_of_its_canonical_url(sample_edition: Edition) -> None:
    """(Every poster of the built sample site: tests/test_share_build.py.)"""
    vocab = sample_content()[0].vocabulary
    for entry in (story(sample_edition), lecture(sample_edition)):
        spec = poster_spec(entry, vocab, "红十字大讲堂", SITE + entry.url, LOGO)
        data = encode_poster(draw_poster(spec, FONTS))
        found = decode(data)
        assert [b.text for b in found] == [SITE + entry.url], entry.source
        code = found[0]
        assert code.format == zxingcpp.BarcodeFormat.QRCode  # a standard QR code, not Micro QR
        assert code.ec_level in ("M", "Q", "H")
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == "PNG" and image.size == (750, 1334)
        assert len(data) < 300_000


def test_a_long_address_still_decodes_and_keeps_its_quiet_zone() -> None:
    url = SITE + "stories/" + "zhiyuanzhe-yinian-zouguo-de-lu-" * 4 + "/"
    spec = PosterSpec(title="长网址", kind="故事", labels=("志愿服务",), color="#c62828", site_name="红十字大讲堂", url=url)
    image = draw_poster(spec, FONTS)
    assert [b.text for b in zxingcpp.read_barcodes(image)] == [url]
    # The code sits on white: four modules of quiet zone inside the box the poster gives it.
    from site_plugins.media import qr

    scale = qr.fit_scale(url, poster_module.QR_BOX)
    code = qr.image(url, scale)
    assert scale >= 3 and code.width <= poster_module.QR_BOX
    left = poster_module.MARGIN + (poster_module.QR_BOX - code.width) // 2
    top = poster_module.PANEL_TOP + 24 + (poster_module.QR_BOX - code.height) // 2
    quiet = image.crop((left, top, left + code.width, top + 4 * scale))
    assert quiet.getcolors() == [(quiet.width * quiet.height, (255, 255, 255))]


def test_lecture_poster_shows_day_with_weekday_time_range_venue_and_speakers(sample_edition: Edition) -> None:
    lec = lecture(sample_edition)
    facts = dict(lecture_facts(lec))
    assert lec.end is not None
    assert facts["时间"][0].endswith("）") and "（星期" in facts["时间"][0]
    assert facts["时间"][1] == f"{lec.date:%H:%M}–{lec.end:%H:%M}"
    assert lec.venue in facts["地点"][0]
    assert [s.split("（")[0] for s in facts["主讲"]] == [s.name for s in lec.speakers]
    over_night = dataclasses.replace(lec, end=lec.date.replace(day=lec.date.day + 1))
    assert "至" in dict(lecture_facts(over_night))["时间"][0]


@pytest.mark.parametrize("change", ["venue", "time", "speakers", "end"])
def test_a_lecture_poster_changes_when_its_time_venue_or_speakers_change(sample_edition: Edition, change: str) -> None:
    vocab = sample_content()[0].vocabulary
    lec = lecture(sample_edition)
    assert lec.end is not None
    changed = {
        "venue": dataclasses.replace(lec, venue=lec.venue + "二楼"),
        "time": dataclasses.replace(lec, date=lec.date.replace(hour=(lec.date.hour + 1) % 24)),
        "speakers": dataclasses.replace(lec, speakers=(*lec.speakers[:-1], Speaker("王丽", "宣传联络部"))),
        "end": dataclasses.replace(lec, end=lec.end.replace(minute=(lec.end.minute + 15) % 60)),
    }[change]
    before = poster_spec(lec, vocab, "红十字大讲堂", SITE + lec.url)
    after = poster_spec(changed, vocab, "红十字大讲堂", SITE + lec.url)
    assert before.fingerprint(FONTS) != after.fingerprint(FONTS)  # a new cache key ...
    assert encode_poster(draw_poster(before, FONTS)) != encode_poster(draw_poster(after, FONTS))  # ... and picture
    same = poster_spec(dataclasses.replace(lec, body=lec.body + "\n\n多一段。"), vocab, "红十字大讲堂", SITE + lec.url)
    assert same.fingerprint(FONTS) == before.fingerprint(FONTS)  # what the poster does not show changes nothing


def test_story_poster_shows_date_city_and_summary(sample_edition: Edition) -> None:
    entry = story(sample_edition)
    spec = poster_spec(entry, sample_content()[0].vocabulary, "红十字大讲堂", SITE + entry.url)
    assert spec.kind == "故事" and spec.summary == entry.summary and entry.city in spec.date and not spec.facts
    assert spec.labels and spec.color.startswith("#")


def test_the_longest_texts_are_cut_with_an_ellipsis_and_stay_under_300_kb() -> None:
    speakers = tuple(f"讲师{i}（山西省红十字会应急救护培训中心 高级讲师、红十字救护员）" for i in range(8))
    spec = PosterSpec(title=LONG_TITLE * 2, kind="讲座", labels=("应急救护", "志愿服务", "养老服务"), color="#00695c",
                      site_name="红十字大讲堂", url=SITE + "lectures/x/", status="本场讲座已取消",
                      facts=(("时间", ("2026年3月5日（星期四）", "14:30–16:00")), ("地点", ("太原市" * 30,)), ("主讲", speakers)))
    data = encode_poster(draw_poster(spec, FONTS))
    assert len(data) < 300_000 and [b.text for b in decode(data)] == [SITE + "lectures/x/"]
    face = Typeface(FONTS, 32)
    lines = paragraph("红十字志愿者" * 60, face, 600, 4)
    assert len(lines) == 4 and lines[-1].endswith("…") and all(face.width(line) <= 600 for line in lines)
    assert paragraph("短句。", face, 600, 4) == ["短句。"]


def test_poster_and_square_are_the_same_bytes_with_font_lookup_pointed_at_an_empty_folder(tmp_path: Path) -> None:
    poster = PosterSpec(title="张堃、李喆和王玥珺的冬夜😀", kind="故事", labels=("志愿服务",), color="#c62828",
                        site_name="红十字大讲堂", url=SITE + "stories/x/", date="2026年1月5日", summary="冬夜送温暖。",
                        emblem=LOGO)
    square = SquareSpec(site_name="红十字大讲堂", title=poster.title, label="志愿服务", color="#c62828", emblem=LOGO)
    here = encode_poster(draw_poster(poster, FONTS)) + encode_square(draw_square(square, FONTS))
    assert here == encode_poster(draw_poster(poster, FONTS)) + encode_square(draw_square(square, FONTS))
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    script = ("import sys; from site_plugins.media.poster import *; from site_plugins.media.square import *; "
              "from site_plugins.media.social import font_chain; f = font_chain(); t = sys.argv[1]; "
              "p = PosterSpec(title=t, kind='故事', labels=('志愿服务',), color='#c62828', site_name='红十字大讲堂', "
              "url=sys.argv[2], date='2026年1月5日', summary='冬夜送温暖。', emblem=sys.argv[3]); "
              "s = SquareSpec(site_name='红十字大讲堂', title=t, label='志愿服务', color='#c62828', emblem=sys.argv[3]); "
              "sys.stdout.buffer.write(encode_poster(draw_poster(p, f)) + encode_square(draw_square(s, f)))")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(empty), "XDG_DATA_DIRS": str(empty), "XDG_DATA_HOME": str(empty),
           "FONTCONFIG_PATH": str(empty), "FONTCONFIG_FILE": str(empty / "fonts.conf"),
           "PYTHONPATH": str(REPO)}
    there = subprocess.run([sys.executable, "-c", script, poster.title, poster.url, LOGO], env=env,
                           capture_output=True, check=True).stdout
    assert there == here


def test_square_share_image_is_a_600_jpeg_without_metadata(sample_edition: Edition) -> None:
    vocab = sample_content()[0].vocabulary
    entry = story(sample_edition)
    cover = REPO / "content" / "lectures" / "xinfei-fusu-aed-rumen" / "cover.jpg"
    for spec in (square_spec(entry, vocab, "红十字大讲堂", str(cover), "k"), square_spec(entry, vocab, "红十字大讲堂"),
                 SquareSpec(site_name="红十字大讲堂", emblem=LOGO)):
        name, data, size = spec.render(FONTS)
        assert name == "square.jpg" and size == (600, 600)
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == "JPEG" and image.size == (600, 600) and image.mode == "RGB"
        assert metadata_blocks(data) == []
    with_cover = square_spec(entry, vocab, "红十字大讲堂", str(cover), "key-a")
    assert with_cover.fingerprint(FONTS) != dataclasses.replace(with_cover, cover_id="key-b").fingerprint(FONTS)
    # The cover's file path is not part of the key (another checkout, the same bytes).
    assert with_cover.fingerprint(FONTS) == dataclasses.replace(with_cover, cover="/elsewhere/c.jpg").fingerprint(FONTS)


def test_share_drawings_name_every_entry_square_and_poster_and_the_site_square(sample_edition: Edition) -> None:
    entries = [*sample_edition.stories, *sample_edition.lectures]
    drawings = share_drawings(entries, sample_content()[0].vocabulary, "红十字大讲堂", SITE, {}, FONTS, LOGO)
    assert len(drawings) == 2 * len(entries) + 1 and urls.SITE_SHARE_IMAGE in drawings
    for entry in entries:
        assert isinstance(drawings[urls.share_image(entry.kind, entry.slug)][1], SquareSpec)
        poster = drawings[urls.poster(entry.kind, entry.slug, "png")][1]
        assert isinstance(poster, PosterSpec) and poster.url == SITE + entry.url
    assert len({key for key, _ in drawings.values()}) == len(drawings)


def test_text_on_a_light_narrative_colour_is_ink_not_white() -> None:
    assert on_colour((198, 40, 40)) == (255, 255, 255)
    assert on_colour((255, 235, 59)) == INK  # a yellow an editor might choose


def test_glyph_notices_cover_what_the_posters_show(sample_edition: Edition) -> None:
    vocab = sample_content()[0].vocabulary
    lec = dataclasses.replace(lecture(sample_edition), venue="社区活动室🏠", speakers=(Speaker("李红梅", "讲师👩‍⚕️"),),
                              lines={"venue": 12, "speakers": 9, "title": 2})
    entry = dataclasses.replace(story(sample_edition), summary="冬夜送温暖😀", lines={"title": 2})
    notices = card_notices(card_texts([lec, entry], vocab), (str(DEFAULT_FONT),))
    where = {(path, line, field) for path, line, field, _ in notices}
    assert where == {(lec.source, 12, "venue"), (lec.source, 9, "speakers"), (entry.source, 2, "summary")}
    assert all("海报" in message for *_, message in notices)


def test_itemprop_meta_and_the_microdata_scope_they_need() -> None:
    meta = share_meta("标题", "摘要", "https://lecture.example.org/cards/site-square.jpg")
    assert meta == [("itemprop", "name", "标题"), ("itemprop", "description", "摘要"),
                    ("itemprop", "image", "https://lecture.example.org/cards/site-square.jpg")]
    assert share_meta("标题", "摘要", None)[-1] == ("itemprop", "description", "摘要")
    page = '<!doctype html>\n<html lang="zh" class="no-js">\n<head><meta itemprop="name" content="x"></head></html>'
    scoped = microdata_scope(page)
    assert scoped.startswith('<!doctype html>\n<html itemscope itemtype="https://schema.org/WebPage" lang="zh"')
    assert microdata_scope(scoped) == scoped  # once
    plain = '<!doctype html><html lang="zh"><head><title>t</title></head></html>'
    assert microdata_scope(plain) == plain  # no itemprop, no item


def test_posters_are_cached_briefly_like_pages() -> None:
    """A changed venue reaches readers with the page, not a day later: posters keep their address."""
    from site_plugins.deploy.hosting import ASSET, BRIEF, cache_control, content_type

    assert cache_control("/" + urls.poster("lecture", "talk", "png")) == BRIEF
    assert content_type("/" + urls.poster("lecture", "talk", "png")) == "image/png"
    assert cache_control("/" + urls.share_image("lecture", "talk")) == ASSET  # as the social cards
