"""The printable lecture notice's layout (media/notice.py), without rendering: what goes where,
what is cut and reported, escaping, the organiser from `extra`, and the metrics it measures with."""

from __future__ import annotations

import dataclasses
import os
import random
import re
import tempfile
from datetime import datetime
from pathlib import Path

import pytest

from site_plugins.content.dates import SHANGHAI, zh_time_range
from site_plugins.content.schema import Lecture, Speaker
from site_plugins.media import metrics, qr
from site_plugins.media.linebreak import wrap
from site_plugins.media.notice import (
    BODY_BOTTOM,
    MARGIN,
    PAGE_H,
    PAGE_W,
    PANEL_TOP,
    QR_SIZE,
    Block,
    NoticeSpec,
    layout,
    notice_cuts,
    notice_html,
    spec_for,
)
from site_plugins.outputs.pages.footer import ORGANISER_MAX, footer_from_extra

pytestmark = pytest.mark.unit

URL = "https://lecture.example.org/lectures/xinfei-fusu-aed-rumen/"


def lecture(**fields: object) -> Lecture:
    base: dict[str, object] = dict(
        kind="lecture", source="lectures/x/index.md", id="x", title="心肺复苏与AED使用入门",
        date=datetime(2026, 12, 20, 14, 30, tzinfo=SHANGHAI), tags=("first-aid",), slug="x", body="",
        summary="一百五十位居民在两个小时里学会了判断、呼救、胸外按压和使用AED。", char_count=0, reading_minutes=1,
        city="太原", end=datetime(2026, 12, 20, 16, 0, tzinfo=SHANGHAI),
        speakers=(Speaker("李红梅", "省红十字会应急救护培训中心讲师"),), venue="迎泽区红十字会培训教室",
        lines={"title": 3, "date": 4, "speakers": 7, "venue": 10, "summary": 12})
    return Lecture(**{**base, **fields})  # type: ignore[arg-type]


EXTREME = lecture(
    title="关于在社区、学校、养老机构和公共场所普及心肺复苏与自动体外除颤器（AED）使用技能的" * 4,
    speakers=tuple(Speaker(f"主讲人{i}", "山西省红十字会应急救护培训中心高级讲师、主任医师、志愿服务队队长") for i in range(6)),
    venue="山西省太原市迎泽区迎泽大街某号某大厦附楼三层东侧第二会议室（请从北门进入，乘电梯至三楼后右转）" * 2,
    summary="心脏骤停发生后的四分钟是抢救的黄金时间。" * 60, cancelled=True)


def blocks_text(spec: NoticeSpec) -> str:
    return "".join("".join(b.lines) for b in layout(spec)[0])


def named(blocks: list[Block], name: str) -> Block:
    return next(b for b in blocks if b.name == name)


def test_an_ordinary_lecture_is_printed_whole() -> None:
    spec = spec_for(lecture(), URL, "红十字大讲堂", "山西省红十字会", "0351-1234567")
    blocks, cuts = layout(spec)
    assert cuts == []
    text = blocks_text(spec)
    for part in ("心肺复苏与AED使用入门", "李红梅（省红十字会应急救护培训中心讲师）", "2026年12月20日（星期日）14:30–16:00",
                 "太原 · 迎泽区红十字会培训教室", spec.summary, "主办单位：山西省红十字会", "咨询电话：0351-1234567", URL):
        assert part in text, part
    for block in blocks:
        assert block.left >= MARGIN and block.left + block.width <= PAGE_W - MARGIN + 0.01
        assert block.bottom <= PAGE_H


def test_the_city_is_not_written_twice() -> None:
    assert spec_for(lecture(venue="太原市小店区坞城街道社区服务中心")).venue == "太原市小店区坞城街道社区服务中心"


def test_absent_organiser_and_phone_leave_no_line() -> None:
    text = blocks_text(spec_for(lecture(), URL, "红十字大讲堂"))
    assert "主办单位" not in text and "咨询电话" not in text and URL in text


def test_an_extreme_lecture_still_fits_one_page_and_says_what_was_cut() -> None:
    spec = spec_for(EXTREME, URL, "红十字大讲堂", "山西省红十字会", "0351-1234567")
    blocks, cuts = layout(spec)
    assert {c.field for c in cuts} == {"title", "speakers", "venue", "summary"}
    body = [b for b in blocks if 36 < b.top < PANEL_TOP]
    assert max(b.bottom for b in body) <= BODY_BOTTOM  # the lecture's text never reaches the QR panel
    summary = named(blocks, "summary")
    assert summary is max(body, key=lambda b: b.top)
    assert len(summary.lines) >= 1 and summary.lines[-1].endswith("…")
    title = named(blocks, "title")
    assert title.size == 18 and title.lines[-1].endswith("…")
    assert "本场讲座已取消" in blocks_text(spec)
    notices = notice_cuts(EXTREME, cuts)
    assert all(n.notice and n.path == "lectures/x/index.md" for n in notices)
    by_field = {n.field: n for n in notices}
    assert by_field["summary"].line == 12 and by_field["venue"].line == 10
    kept = summary.lines[-1]
    assert f"只印到“{kept}”" in by_field["summary"].message
    printed = int(re.search(r"缩短到 (\d+) 字", by_field["summary"].message).group(1))  # type: ignore[union-attr]
    assert printed == sum(len(line) for line in summary.lines) - 1


def test_check_reports_what_the_build_cuts() -> None:
    """scripts/check lays out the lecture alone; the site's lines have places of their own."""
    full = layout(spec_for(EXTREME, URL + "x" * 200, "一个名字很长的网站" * 3, "某" * ORGANISER_MAX, "0351-1234567"))[1]
    assert notice_cuts(EXTREME) == notice_cuts(EXTREME, full)


def test_a_long_title_shrinks_before_it_is_cut() -> None:
    spec = spec_for(lecture(title="家门口的急救课：心肺复苏、气道异物梗阻、创伤止血包扎与骨折固定搬运，面向社区居民和养老机构护理员的公益培训（第三期）"))
    blocks, cuts = layout(spec)
    title = named(blocks, "title")
    assert cuts == [] and title.size < 32 and "".join(title.lines) == spec.title


def test_a_summary_taken_from_the_body_says_so() -> None:
    long = lecture(summary="讲座内容。" * 200, lines={"title": 3})
    [notice] = notice_cuts(long)
    assert notice.field == "summary" and notice.line == 3 and "正文第一段" in notice.message


def test_characters_the_fonts_lack_are_left_out_and_reported() -> None:
    spec = spec_for(lecture(title="冬日送温暖😀👍🏽讲座", venue="培训教室✓"))
    html, cuts = notice_html(spec)
    body = html.split("</head>")[1]  # the PDF's Title metadata keeps them: it needs no glyph
    assert "😀" not in body and "🏽" not in body and "冬日送温暖讲座" in body
    assert {(c.field, c.lost) for c in cuts} == {("title", "😀👍"), ("venue", "✓")}
    assert "没有“😀👍”" in notice_cuts(lecture(title="冬日送温暖😀👍🏽讲座"))[0].message


def test_content_text_is_escaped_in_the_html() -> None:
    spec = spec_for(lecture(title='<b>"急救" & 自救</b>', speakers=(Speaker("</div><script>x()</script>", "a&b"),),
                            venue="<img src=x onerror=alert(1)>"), URL, "站<名>", "主办&<i>")
    html, _cuts = notice_html(spec)
    assert "&lt;b&gt;\"急救\" &amp; 自救&lt;/b&gt;" in html
    assert "<script" not in html and "<img" not in html and "<b>" not in html and "<i>" not in html
    assert "<title>讲座通知：&lt;b&gt;&quot;急救&quot; &amp; 自救&lt;/b&gt;</title>" in html
    assert 'content="主办&amp;&lt;i&gt;"' in html


def test_the_qr_code_is_at_least_four_centimetres_wide() -> None:
    svg = qr.svg(URL, QR_SIZE)
    assert svg.startswith(f'<svg width="{QR_SIZE:g}mm" height="{QR_SIZE:g}mm" viewBox="0 0 ')
    for url in ("https://a.cn/l/x/", URL, URL + "x" * 300):
        modules = qr.modules(url)
        assert QR_SIZE * modules / (modules + 2 * qr.QUIET_ZONE) >= 40, url
    assert QR_SIZE * 21 / 29 >= 40  # even version 1, the smallest QR code


def test_the_spec_key_follows_everything_printed() -> None:
    spec = spec_for(lecture(), URL, "红十字大讲堂", "山西省红十字会", "0351-1234567")
    keys = {spec.key("r1"), spec.key("r2"), dataclasses.replace(spec, phone="").key("r1"),
            dataclasses.replace(spec, url=URL + "a/").key("r1"), dataclasses.replace(spec, summary="别的").key("r1")}
    assert len(keys) == 5 and spec.key("r1") == spec_for(lecture(), URL, "红十字大讲堂", "山西省红十字会", "0351-1234567").key("r1")


def test_time_range_in_chinese() -> None:
    start = datetime(2026, 12, 20, 14, 30, tzinfo=SHANGHAI)
    assert zh_time_range(start, None) == "2026年12月20日（星期日）14:30"
    assert zh_time_range(start, start.replace(hour=16, minute=0)) == "2026年12月20日（星期日）14:30–16:00"
    assert zh_time_range(start, start.replace(day=21, hour=9, minute=0)) == "2026年12月20日（星期日）14:30–2026年12月21日（星期一）09:00"


def test_organiser_is_read_from_extra_and_checked() -> None:
    footer, problems = footer_from_extra({"organiser": " 山西省 红十字会 ", "contact": {"phone": "0351-1234567"}})
    assert problems == [] and footer.organiser == "山西省 红十字会" and footer.phone == "0351-1234567"
    config = "site_name: x\nextra:\n  organiser: 太长\n"
    _footer, problems = footer_from_extra({"organiser": "某" * (ORGANISER_MAX + 1)}, config)
    assert [(p.path, p.line, p.field) for p in problems] == [("mkdocs.yml", 3, "extra.organiser")]
    assert "40 个字以内" in problems[0].message


def test_the_longest_organiser_fits_its_two_lines() -> None:
    wide = "魑" * ORGANISER_MAX  # a full-width character: as wide as any the fonts have
    text = blocks_text(spec_for(lecture(), URL, "红十字大讲堂", wide, "+86 (0351) 1234-5678"))
    assert "主办单位：" + wide in text and "咨询电话：+86 (0351) 1234-5678" in text


def test_the_metrics_sidecar_is_made_from_the_shipped_fonts() -> None:
    """scripts/make_font_subset.py writes it with the fonts; a font changed without it fails here."""
    assert metrics.sidecar() == metrics.SIDECAR.read_text(encoding="utf-8")


def test_widths_are_the_fonts_advances() -> None:
    regular, bold = metrics.load()["regular"], metrics.load()["bold"]
    assert regular.width("中文", 10) == 20 and regular.covers("堃") and not regular.covers("😀")
    assert 0 < regular.width("AED 2026", 10) < bold.width("AED 2026", 10) < 80


def test_additive_wrapping_breaks_where_measuring_each_line_does() -> None:
    measure = metrics.load()["regular"].width
    rng = random.Random(7)
    alphabet = "红十字会救护培训，。、（）“”AED 2026 CPR-first-aid…—" + "心肺复苏" * 3
    for _ in range(200):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 90)))
        width = rng.uniform(20, 120)
        def size(s: str) -> float:
            return measure(s, 3.5)
        assert wrap(text, size, width, additive=True) == wrap(text, size, width), (text, width)


def test_font_copies_of_ended_processes_are_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint copies the fonts (23 MB) for each process; a pool worker ended by os._exit leaves them."""
    from site_plugins.media import pdf

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    ended = tmp_path / "rc-notice-fonts-999999999"  # no such process
    alive = tmp_path / f"rc-notice-fonts-{os.getppid()}"
    other = tmp_path / "weasyprint-abc"
    for folder in (ended, alive, other):
        folder.mkdir()
    mine = pdf._font_folder()
    assert mine == tmp_path / f"rc-notice-fonts-{os.getpid()}" and mine.is_dir()
    assert not ended.exists() and alive.is_dir() and other.is_dir()
