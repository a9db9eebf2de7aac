"""Every message about editors' real input (invisible characters, typed dates, image names, pasted HTML,
animations) is in the editors' guide: each message is produced by the code, and its fixed words must be
in docs/EDITORS_GUIDE.zh.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_plugins.content import invisible, pastedhtml
from site_plugins.content.dates import DateError, read_when
from site_plugins.content.fields import DATE_REWRITTEN
from site_plugins.content.markdown import scan
from site_plugins.content.paths import page_images
from site_plugins.editors import guide
from site_plugins.media.images import ImageSettings, probe, still_covers

from .conftest import REPO

pytestmark = pytest.mark.unit

GUIDE = (REPO / guide.GUIDE_FILE).read_text(encoding="utf-8")


def date_message(typed: str) -> str:
    with pytest.raises(DateError) as raised:
        read_when(typed)
    return str(raised.value)


@pytest.mark.parametrize(("typed", "words"), [
    ("1/2/2026", "有两种读法"), ("13/2/2026", "年月日顺序不明确，按日期只能是"), ("三月五日", "不是日期。"),
    ("20260305", "不是日期写法。如果是"), ("2026年2月30日", "这一天不存在"), ("2026-13-05", "月和日是不是写反了？那样应写"),
    ("2026年3月5日 14:75", "中的时间不存在"), ("2026年3月5日 24:00", "中的 24 点请写成第二天的 00:00："),
    ("2026年3月5日 傍晚", "看不懂"), ("2026年3月5日 上午12点", "可以读成 00:00 或 12:00"),
    ("2026年3月5日 上午14点", "对不上"), ("2026年3月5日（星期五）", "是星期四，不是星期五"),
])
def test_date_messages_are_in_the_guide(typed: str, words: str) -> None:
    message = date_message(typed)
    assert words in message, message
    in_guide = words.replace("四，不是星期五", "三，不是星期四")  # the guide's example is another day
    assert in_guide in GUIDE, in_guide


def test_the_date_notice_and_the_fix_lines_are_in_the_guide() -> None:
    assert DATE_REWRITTEN.split("“")[0] in GUIDE and "已按" in GUIDE and "scripts/check --fix 会替你改写" in GUIDE
    assert "已改写日期：" in GUIDE and "没能自动改写：" in GUIDE


def test_invisible_character_names_are_in_the_guide() -> None:
    message = invisible.message("\u200b\u200d\u2060\ufeff\u202e\u00ad")
    for name in ("U+200B（零宽空格）", "U+200D（零宽连字）", "U+2060（词连接符）", "U+202E（双向文字控制符）", "U+00AD（软连字符）"):
        assert name in message and name in GUIDE, name


def test_image_name_messages_are_in_the_guide(tmp_path: Path) -> None:
    (tmp_path / "stories").mkdir()
    for name in ("照片(3.jpg", "合影2).jpg", "a%20b.jpg"):
        (tmp_path / "stories" / name).write_bytes(b"x")
    body = "![a](照片(3.jpg)\n\n![b](合影2).jpg)\n\n！【c】（d.jpg）\n\n![e](a%20b.jpg)\n\n![f](x(.jpg)\n"
    _refs, problems = page_images(tmp_path, "stories/a.md", scan(body))
    fixed = ["里的括号没有配对，Markdown 读不出这张图片，会把它当文字发布", "里的括号让 Markdown 只读到了",
             "这里的图片写法用了中文标点（！【】（）），Markdown 读不出来，会把它当文字发布", "里的 % 会被读成网址编码（%20 是空格）",
             "这里的图片写法 Markdown 读不出来（括号没有配对）"]
    messages = [p.message for p in problems]
    for words in fixed:
        assert any(words in m for m in messages), (words, messages)
        assert words in GUIDE, words


def test_animation_messages_are_in_the_guide(tmp_path: Path) -> None:
    from .test_animated_images import animated_gif

    error, _frames = probe(animated_gif(tmp_path / "a.gif", (400, 300), count=4), ImageSettings(max_animation_pixels=10))
    assert error is not None and "太大：4 帧，每帧 400×300 像素，合计约" in error.message
    assert "太大：N 帧，每帧 W×H 像素，合计约" in GUIDE

    class Use:
        page, line, field = "stories/a.md", 6, "cover"

    notice = still_covers({"stories/a.gif": [Use()]}, {"stories/a.gif": 4})[0].message
    words = "是动图。文章里它照常播放，但列表卡片、分享卡片、订阅源和录音封面只用它的第一帧。"
    assert words in notice and words in GUIDE


def test_pasted_html_messages_are_in_the_guide() -> None:
    _body, notices = pastedhtml.clean_body("stories/a.md", "<p class=MsoNormal>字<o:p></o:p></p>\n", 1)
    refused = pastedhtml.problems("stories/a.md", scan('<section data-id="1"><video src="v.mp4"></video></section>\n'))
    for message, words in ((notices[0].message, "已清理为普通 HTML 再发布"), (refused[0].message, "清理会把它们丢掉，原样又不能发布")):
        assert words in message and words in GUIDE, words
    assert "没能自动清理，原样不能发布" in GUIDE
