"""Social cards: Chinese glyphs (not boxes), line breaking, margins, reproducible bytes."""

from __future__ import annotations

import contextlib
import io
import random
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw

from site_plugins.media.linebreak import NO_END, NO_START, units, wrap
from site_plugins.media.sharetext import card_notices
from site_plugins.media.social import (
    DEFAULT_FONT,
    SIZE,
    TITLE_BOTTOM,
    TITLE_TOP,
    SocialImageSpec,
    Typeface,
    draw_social_image,
    drawable,
    encode_social_image,
    fit_title,
    font_chain,
    missing_glyphs,
    social_image_format,
    text_box,
)

from .image_helpers import metadata_blocks, save_phone_photo

pytestmark = pytest.mark.unit

SHIPPED = (str(DEFAULT_FONT),)
FONTS = font_chain()
LONG_TITLE = ("“救”在身边：一位刚拿到救护员证书的公交站志愿者，用四分钟的胸外按压等来了救护车，"
              "也让站台上候车的旅客明白了急救知识的分量（2026年春运特别报道）！")


def glyph(char: str, fonts: tuple[str, ...] = SHIPPED, size: int = 48) -> bytes:
    image = Image.new("L", (size * 2, size * 2), 0)
    Typeface(fonts, size).draw(ImageDraw.Draw(image), (size // 2, size * 3 // 2), char, (255,))
    return image.tobytes()


def test_shipped_font_is_licensed_and_covers_every_han_block_noto_draws() -> None:
    size = DEFAULT_FONT.stat().st_size
    assert size < 12_000_000  # 11.6 MB: Unified + Extension A + compatibility + Noto's 2,108 of Extension B
    licence = (DEFAULT_FONT.parent / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE" in licence and "Adobe" in licence
    gb2312 = set()
    for row in range(0xB0, 0xF8):  # the 6,763 hanzi of GB 2312
        for cell in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                gb2312.add(bytes((row, cell)).decode("gb2312"))
    assert len(gb2312) == 6763
    assert missing_glyphs("".join(gb2312) + "，。、；：？！「」『』（）《》“”…—·ABCabc0123", SHIPPED) == set()
    unified = "".join(map(chr, range(0x4E00, 0xA000)))
    ext_a = "".join(map(chr, range(0x3400, 0x4DC0)))
    # Noto Sans CJK lacks only the ideographs encoded after it was made (Unicode 13/14).
    assert {ord(c) for c in missing_glyphs(unified, SHIPPED)} <= set(range(0x9FF0, 0xA000))
    assert {ord(c) for c in missing_glyphs(ext_a, SHIPPED)} <= set(range(0x4DB6, 0x4DC0))
    assert missing_glyphs("堃喆玥珺䶮𠀾", SHIPPED) == set()  # given names outside GB 2312, Ext A, Ext B
    # The shortcut for titles of common characters holds for the shipped font, character by character.
    from site_plugins.media.social import _SURELY_SHIPPED, _face

    cmap = _face(str(DEFAULT_FONT))[1]
    surely = [c for c in map(chr, range(0x20, 0x10000)) if _SURELY_SHIPPED.fullmatch(c)]
    assert len(surely) > 27000 and all(ord(c) in cmap for c in surely)


def test_cards_never_look_up_system_fonts() -> None:
    assert font_chain() == SHIPPED  # nothing from the machine joins the chain
    with pytest.raises(FileNotFoundError):
        font_chain(DEFAULT_FONT, ["/nowhere/NotoSansCJK-Bold.ttc"])  # a configured font must exist


def test_cards_are_the_same_bytes_with_font_lookup_pointed_at_an_empty_folder(tmp_path: Path) -> None:
    import subprocess
    import sys

    spec = SocialImageSpec(title="张堃、李喆和王玥珺的冬夜😀", kind="故事", labels=(("志愿服务", "#c62828"),),
                    date="2026年1月5日", site_name="红十字大讲堂")
    here = encode_social_image(draw_social_image(spec, font_chain()), "png")
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    script = ("import sys; from site_plugins.media.social import *; "
              "spec = SocialImageSpec(title=sys.argv[1], kind='故事', labels=(('志愿服务', '#c62828'),), "
              "date='2026年1月5日', site_name='红十字大讲堂'); "
              "sys.stdout.buffer.write(encode_social_image(draw_social_image(spec, font_chain()), 'png'))")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(empty), "XDG_DATA_DIRS": str(empty), "XDG_DATA_HOME": str(empty),
           "FONTCONFIG_PATH": str(empty), "FONTCONFIG_FILE": str(empty / "fonts.conf"), "WINDIR": str(empty),
           "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    there = subprocess.run([sys.executable, "-c", script, spec.title], env=env, capture_output=True, check=True).stdout
    assert there == here


def test_an_emoji_is_left_out_of_the_card_with_a_notice() -> None:
    assert drawable("冬夜😀送温暖👍🏽 ❤️", SHIPPED) == ("冬夜送温暖", "😀👍❤")
    with_emoji = draw_social_image(SocialImageSpec(title="冬夜送温暖😀", kind="故事", labels=(), date="2026年1月5日",
                                    site_name="红十字大讲堂"), SHIPPED)
    without = draw_social_image(SocialImageSpec(title="冬夜送温暖", kind="故事", labels=(), date="2026年1月5日",
                                 site_name="红十字大讲堂"), SHIPPED)
    assert ImageChops.difference(with_emoji, without).getbbox() is None  # no box where the emoji was
    notices = card_notices([("stories/x.md", 3, "title", "冬夜送温暖😀"), ("stories/y.md", 3, "title", "张堃")], SHIPPED)
    assert notices == [("stories/x.md", 3, "title", notices[0][3])] and "😀" in notices[0][3]
    assert "网页" in notices[0][3]  # the page keeps it


def test_units_keep_latin_words_numbers_dashes_and_ellipses_whole() -> None:
    assert units("学会AED和CPR，5+N培训——2026年……好") == [
        "学", "会", "AED", "和", "CPR", "，", "5+N", "培", "训", "——", "2026", "年", "……", "好"]


def check_lines(text: str, lines: list[str], measure, width: float) -> None:  # type: ignore[no-untyped-def]
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # nothing lost or added
    for number, line in enumerate(lines):
        assert measure(line) <= width, line
        if number:
            assert line[0] not in NO_START, lines
        if number < len(lines) - 1:
            assert line[-1] not in NO_END, lines


@pytest.mark.parametrize("width", [200, 333, 480, 632, 1072])
def test_wrap_never_starts_a_line_with_closing_punctuation(width: int) -> None:
    face = Typeface(SHIPPED, 52)
    check_lines(LONG_TITLE, wrap(LONG_TITLE, face.width, width), face.width, width)


def test_wrap_rules_hold_for_many_random_titles() -> None:
    rng = random.Random(5)
    hanzi = "红十字会志愿者服务捐献养老救护培训老人社区站台"
    marks = "，。、；：？！）》」』】“‘（《「『【"
    face = Typeface(SHIPPED, 40)
    for _ in range(300):
        text = "".join(rng.choice(marks) if rng.random() < 0.2 and i else rng.choice(hanzi)
                       for i in range(rng.randint(5, 60)))
        text = "".join(c for i, c in enumerate(text) if not (c in marks and i and text[i - 1] in marks))
        width = rng.choice([170, 250, 400, 632])
        check_lines(text, wrap(text, face.width, width), face.width, width)


def test_punctuation_goes_down_with_the_character_before_it() -> None:
    face = Typeface(SHIPPED, 40)
    # Exactly five characters fit; the sixth is "，", which may not start the next line.
    lines = wrap("一二三四五，六七八", face.width, face.width("一二三四五"))
    assert lines == ["一二三四", "五，六七八"]
    lines = wrap("一二三四《五六》", face.width, face.width("一二三四《"))
    assert lines == ["一二三四", "《五六》"]


def test_long_title_is_fitted_inside_the_box_and_cut_with_an_ellipsis() -> None:
    size, lines = fit_title(LONG_TITLE * 3, FONTS, 632, TITLE_BOTTOM - TITLE_TOP)
    face = Typeface(FONTS, size)
    assert lines[-1].endswith("…") and len(lines) * size * 1.3 <= TITLE_BOTTOM - TITLE_TOP
    assert all(face.width(line) <= 632 for line in lines)
    short_size, short = fit_title("太原公交站旁的四分钟", FONTS, 632, TITLE_BOTTOM - TITLE_TOP)
    assert short_size == 64 and short == ["太原公交站", "旁的四分钟"]  # balanced, no orphan


def dark_pixels(image: Image.Image, box: tuple[int, int, int, int]) -> int:
    region = image.crop(box).convert("L")
    return sum(1 for value in region.tobytes() if value < 110)


@pytest.mark.parametrize("with_cover", [False, True])
def test_card_keeps_the_title_inside_its_margins(tmp_path: Path, with_cover: bool) -> None:
    cover = str(save_phone_photo(tmp_path / "cover.jpg", 800, 600)) if with_cover else ""
    spec = SocialImageSpec(LONG_TITLE, "故事", (("志愿服务", "#c62828"), ("应急救护", "#00695c")), "2026年3月5日",
                    "红十字大讲堂", cover=cover, cover_id="x" if cover else "")
    image = draw_social_image(spec, FONTS)
    assert image.size == SIZE
    left, right = text_box(spec)
    text_right = SIZE[0] - 456 if with_cover else SIZE[0]
    assert dark_pixels(image, (left, TITLE_TOP - 10, right, TITLE_BOTTOM)) > 2000  # the title is there
    assert dark_pixels(image, (right + 1, TITLE_TOP - 10, text_right, TITLE_BOTTOM + 10)) == 0  # right margin
    assert dark_pixels(image, (16, TITLE_TOP - 10, left, TITLE_BOTTOM + 10)) == 0  # left margin
    assert dark_pixels(image, (left, TITLE_BOTTOM + 12, right, 548)) == 0  # nothing runs into the date
    if with_cover:  # the photo fills the right-hand panel
        assert image.getpixel((SIZE[0] - 456 + 2, 2)) != (255, 255, 255)


def test_card_bytes_are_reproducible_and_carry_no_metadata(tmp_path: Path) -> None:
    cover = str(save_phone_photo(tmp_path / "cover.jpg", 900, 600))
    for spec in (SocialImageSpec("心肺复苏与AED入门", "讲座", (("应急救护", "#00695c"),), "2026年3月5日", "红十字大讲堂"),
                 SocialImageSpec("社区里的养老服务", "故事", (("养老服务", "#6a1b9a"),), "2026年3月5日", "红十字大讲堂",
                          cover=cover, cover_id="k")):
        ext = social_image_format(spec)
        first, second = (encode_social_image(draw_social_image(spec, FONTS), ext) for _ in range(2))
        assert first == second and metadata_blocks(first) == []
        with Image.open(io.BytesIO(first)) as image:
            assert image.size == SIZE and image.format == ("JPEG" if spec.cover else "PNG")


def test_card_fingerprint_follows_what_the_card_shows() -> None:
    base = SocialImageSpec("标题", "故事", (("捐赠", "#ad1457"),), "2026年3月5日", "红十字大讲堂")
    moved = SocialImageSpec("标题", "故事", (("捐赠", "#ad1457"),), "2026年3月5日", "红十字大讲堂")
    assert base.fingerprint(FONTS) == moved.fingerprint(FONTS)
    renamed = SocialImageSpec("新标题", "故事", (("捐赠", "#ad1457"),), "2026年3月5日", "红十字大讲堂")
    assert renamed.fingerprint(FONTS) != base.fingerprint(FONTS)
    # The cover's cache key counts, not where the cache lives.
    a = SocialImageSpec("标题", "故事", (), "2026年3月5日", "站", cover="/a/x.jpg", cover_id="k1")
    b = SocialImageSpec("标题", "故事", (), "2026年3月5日", "站", cover="/b/x.jpg", cover_id="k1")
    assert a.fingerprint(FONTS) == b.fingerprint(FONTS)


def test_cards_differ_by_title() -> None:
    one = draw_social_image(SocialImageSpec("红十字", "故事", (), "2026年3月5日", "站"), FONTS)
    two = draw_social_image(SocialImageSpec("志愿者", "故事", (), "2026年3月5日", "站"), FONTS)
    assert ImageChops.difference(one, two).getbbox() is not None
