"""Dates as editors type them: read as meant with the ISO form to write, or refused with the readings."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from site_plugins.check.fix import rewrite_values, write_dates
from site_plugins.content.catalog import load_catalog
from site_plugins.content.dates import SHANGHAI, DateError, read_when
from site_plugins.content.frontmatter import Rewrite

from .conftest import REPO

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("typed", "iso"), [
    ("2025年1月1日", "2025-01-01"),
    ("2025年01月01日", "2025-01-01"),
    ("2025 年 1 月 1 日", "2025-01-01"),
    ("2025年1月1日（星期三）", "2025-01-01"),
    ("2025年1月1日 14:30", "2025-01-01 14:30"),
    ("2025年1月1日14时30分", "2025-01-01 14:30"),
    ("2025年1月1日 14点", "2025-01-01 14:00"),
    ("2025年1月1日 下午2:30", "2025-01-01 14:30"),
    ("2025年1月1日 下午2点半", "2025-01-01 14:30"),
    ("2025年1月1日 上午9点", "2025-01-01 09:00"),
    ("2025年1月1日 晚上7点30分", "2025-01-01 19:30"),
    ("2025.1.1", "2025-01-01"),
    ("2025/1/1", "2025-01-01"),
    ("2025/1/1 9:05", "2025-01-01 09:05"),
    ("２０２５－０１－０１", "2025-01-01"),
    ("２０２５年１月１日　１４：３０", "2025-01-01 14:30"),
    ("2025-01-01 14：30", "2025-01-01 14:30"),
])
def test_unambiguous_forms_are_read_with_the_iso_form_to_write(typed: str, iso: str) -> None:
    when, has_time, written = read_when(typed)
    assert written == iso
    assert has_time == (" " in iso)
    assert when == datetime.fromisoformat(iso).replace(tzinfo=SHANGHAI)


@pytest.mark.parametrize("typed", ["2025-01-01", "2025-1-1", "2025-01-01 14:30", "2025-01-01T14:30:00+08:00"])
def test_the_sites_own_forms_need_no_rewrite(typed: str) -> None:
    assert read_when(typed)[2] == ""


@pytest.mark.parametrize(("typed", "words"), [
    ("1/2/2025", ["两种读法", "2025-01-02", "2025-02-01"]),
    ("25.1.2", ["两种读法", "2025-01-02", "2002-01-25"]),
    ("13/2/2025", ["只能是 2025-02-13", "请写成 2025-02-13"]),
    ("2025年1月1日 上午12点", ["00:00 或 12:00"]),
    ("2025年1月1日（星期四）", ["是星期三", "2025-01-01"]),
])
def test_ambiguous_forms_are_refused_with_every_reading(typed: str, words: list[str]) -> None:
    with pytest.raises(DateError) as raised:
        read_when(typed)
    assert all(word in str(raised.value) for word in words), raised.value


@pytest.mark.parametrize(("typed", "words"), [
    ("2026-02-30", ["2026-02-30", "只有 28 天", "2026-02-28"]),
    ("2025年2月29日", ["只有 28 天", "2025-02-28"]),
    ("2025-13-01", ["写反了", "2025-01-13"]),
    ("2025年1月1日 24:00", ["2025-01-02 00:00"]),
    ("2025-01-01 24:00", ["2025-01-02 00:00"]),
    ("2025年1月1日 14:75", ["时间不存在"]),
    ("20250101", ["2025-01-01"]),
])
def test_impossible_dates_give_the_value_to_write_where_one_follows(typed: str, words: list[str]) -> None:
    with pytest.raises(DateError) as raised:
        read_when(typed)
    assert all(word in str(raised.value) for word in words), raised.value


def test_rewrite_keeps_every_other_byte() -> None:
    raw = "\ufeff---\r\ntitle: 2025年1月1日的故事\r\ndate: \"2025年1月1日 下午2:30\"  # 开始\r\n---\r\n\r\n2025年1月1日\r\n".encode()
    new, missed = rewrite_values(raw, [Rewrite(3, "date", "2025年1月1日 下午2:30", "2025-01-01 14:30"),
                                       Rewrite(2, "updated", "2025/1/2", "2025-01-02")])
    assert new == raw.replace("\"2025年1月1日 下午2:30\"".encode(), b"\"2025-01-01 14:30\"")
    assert missed == [Rewrite(2, "updated", "2025/1/2", "2025-01-02")]


def test_check_fix_writes_the_iso_form(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "stories").mkdir(parents=True)
    for name in ("narratives.yml", "authors.yml"):
        (content / name).write_bytes((REPO / "content" / name).read_bytes())
    file = content / "stories" / "a.md"
    file.write_text("---\nid: 6f1c8a46-0d40-4b2e-9a8e-5d1b7f3c2a10\ntitle: 冬夜\ndate: ２０２６年３月５日\n"
                    "updated: 2026.3.20\ntags: [志愿服务]\n---\n\n正文写于 2026年3月5日。\n", encoding="utf-8")
    catalog, problems = load_catalog(content)
    assert catalog is not None and problems == []
    assert sorted((n.line, n.field) for n in catalog.notices if "已按" in n.message) == [(4, "date"), (5, "updated")]
    written, missed = write_dates(content, catalog)
    assert len(written) == 2 and missed == []
    assert file.read_text(encoding="utf-8") == ("---\nid: 6f1c8a46-0d40-4b2e-9a8e-5d1b7f3c2a10\ntitle: 冬夜\n"
                                                "date: 2026-03-05\nupdated: 2026-03-20\ntags: [志愿服务]\n---\n\n"
                                                "正文写于 2026年3月5日。\n")
    again, _ = load_catalog(content)
    assert again is not None and again.rewrites == {} and not [n for n in again.notices if "已按" in n.message]
