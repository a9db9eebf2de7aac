"""Reading time, character count, excerpts, slugs and dates for Chinese text."""

from __future__ import annotations

from datetime import datetime

import pytest

from site_plugins.content.dates import SHANGHAI, DateError, build_time, parse_when, zh_date, zh_datetime
from site_plugins.content.text import char_count, excerpt, is_slug, reading_minutes, slugify

pytestmark = pytest.mark.unit

HAN_3000 = "红十字志愿者在社区讲解急救知识。" * 200  # 15 Han characters + punctuation, x200


def test_3000_chinese_characters_take_seven_to_eight_minutes() -> None:
    assert char_count(HAN_3000) == 3000
    assert reading_minutes(HAN_3000) in (7, 8)


def test_english_is_counted_by_words() -> None:
    text = " ".join(["volunteer"] * 400)
    assert char_count(text) == 400
    assert reading_minutes(text) == 2


def test_mixed_text_and_images_add_up() -> None:
    mixed = "志愿者" * 400 + " AED training " * 100 + "\n\n![图](a.jpg)\n" * 6
    # 1200 Han / 400 = 3 min, 200 words / 200 = 1 min, 6 images x 10 s = 1 min
    assert reading_minutes(mixed) == 5
    assert char_count(mixed) == 1400


def test_markup_code_and_urls_are_not_read() -> None:
    text = "## 标题\n\n[链接文字](https://example.org/very/long/url)\n\n```\nprint('code')\n```\n"
    assert char_count(text) == 6


def test_short_text_is_at_least_one_minute() -> None:
    assert reading_minutes("短") == 1


def test_excerpt_skips_headings_and_trims_at_sentence_end() -> None:
    body = "## 小标题\n\n![图](x.jpg)\n\n" + "第一句话很长很长。" * 20 + "\n\n第二段。"
    result = excerpt(body, limit=50)
    assert result.endswith("。") and len(result) <= 50 and "小标题" not in result


def test_excerpt_adds_ellipsis_without_sentence_end() -> None:
    assert excerpt("字" * 200, limit=20) == "字" * 19 + "…"


@pytest.mark.parametrize(("text", "slug"), [
    ("志愿服务", "zhiyuan-fuwu"),
    ("AED 培训 2026", "aed-peixun-2026"),
    ("大同志愿者冬夜送温暖", "datong-zhiyuanzhe-dongye-song-wennuan"),  # a set phrase (送温暖) split once more
    ("重庆银行", "chongqing-yinhang"),  # polyphones read by pypinyin's phrase data
    ("长治养老音乐会", "changzhi-yanglao-yinyuehui"),  # a Shanxi city pypinyin alone reads as zhangzhi
    ("红十字会应急救护培训", "hongshizihui-yingji-jiuhu-peixun"),
    ("微信图片_20260105", "weixin-tupian-20260105"),
    ("IMG 0001", "img-0001"),
    ("！！！", "untitled"),
])
def test_slugify_gives_word_joined_pinyin(text: str, slug: str) -> None:
    assert slugify(text) == slug and is_slug(slug)


def test_slugify_cuts_only_between_words_at_about_60_characters() -> None:
    title = "红十字会法修订版宣讲会在太原市迎泽区红十字会培训教室举行参会人员共一百二十人"
    slug = slugify(title)
    assert len(slug) <= 60 and is_slug(slug)
    longer = slugify(title, limit=200)
    assert longer.startswith(slug + "-")  # the cut fell between two words of the full slug
    assert slugify("a" * 80) == "a" * 60  # one word longer than the limit: cut, never empty


@pytest.mark.parametrize("bad", ["志愿", "Upper", "a_b", "-a", "a--b", ""])
def test_is_slug_rejects(bad: str) -> None:
    assert not is_slug(bad)


def test_dates_parse_in_shanghai_and_print_in_chinese() -> None:
    when, has_time = parse_when("2026-03-05 14:30")
    assert has_time and when == datetime(2026, 3, 5, 14, 30, tzinfo=SHANGHAI)
    assert zh_date(when) == "2026年3月5日"
    assert zh_datetime(when) == "2026年3月5日（星期四）14:30"
    utc, _ = parse_when("2026-03-05T06:30:00Z")
    assert utc == when
    with pytest.raises(DateError):
        parse_when("2026-02-29")


def test_build_time_is_a_parameter() -> None:
    assert build_time({"SITE_BUILD_TIME": "2026-01-02 03:04"}) == datetime(2026, 1, 2, 3, 4, tzinfo=SHANGHAI)
    assert build_time({"SOURCE_DATE_EPOCH": "0"}).year == 1970
