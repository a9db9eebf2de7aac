"""Front-matter validation: every message names file, line, field and a way out."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from site_plugins.content.catalog import edition, load_catalog
from site_plugins.content.dates import parse_when
from site_plugins.content.problems import Problem
from site_plugins.content.schema import SCHEMA, fields_for
from site_plugins.content.suggest import derived_id
from site_plugins.content.vocabulary import parse_vocabulary

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parent.parent
GOOD = """---
id: 0b6f0a4e-5c1e-4f1a-9d0e-2c7d7f0e8a11
title: 测试故事
date: 2026-03-05
tags: [志愿服务]
---

正文第一段。
"""


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    (root / "stories").mkdir(parents=True)
    shutil.copy(REPO / "content" / "narratives.yml", root / "narratives.yml")
    (root / "authors.yml").write_text("wangli:\n  name: 王丽\n", encoding="utf-8")
    return root


def problems_for(content: Path, text: str, name: str = "stories/test.md") -> list[Problem]:
    file = content / name
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text, encoding="utf-8")
    _, problems = load_catalog(content)
    return problems


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, problems
    return problems[0]


def test_good_story_passes(content: Path) -> None:
    assert problems_for(content, GOOD) == []
    catalog, _ = load_catalog(content)
    assert catalog is not None
    story = catalog.stories[0]
    assert story.slug == "test" and story.tags == ("volunteer",) and story.summary == "正文第一段。"
    assert story.url == "stories/test/"


def test_missing_field_names_line_and_example(content: Path) -> None:
    p = only(problems_for(content, GOOD.replace("title: 测试故事\n", "")))
    assert (p.path, p.field) == ("stories/test.md", "title")
    assert "缺少必填字段 title" in p.message and "title:" in p.message


def test_mistyped_field_suggests_the_right_name(content: Path) -> None:
    p = only(problems_for(content, GOOD.replace("title: 测试故事", "title: 测试故事\ntitel: 多余")))
    assert p.field == "titel" and p.line == 4 and "title" in p.message


def test_wrong_type_is_reported(content: Path) -> None:
    p = only(problems_for(content, GOOD.replace("title: 测试故事", "title: [一, 二]")))
    assert p.field == "title" and p.line == 3


def test_unknown_narrative_suggests_closest(content: Path) -> None:
    p = only(problems_for(content, GOOD.replace("[志愿服务]", "[志愿服物]")))
    assert p.field == "tags" and p.line == 5
    assert "志愿服物" in p.message and "志愿服务" in p.message


@pytest.mark.parametrize(("bad", "write"), [("2026-13-45", "2026-03-05"), ("2026-02-30", "2026-02-28"),
                                            ("2026-3-5x", "2026-03-05"), ("2026-13-05", "2026-05-13")])
def test_impossible_date(content: Path, bad: str, write: str) -> None:
    """Refused with the value typed and a date to write: the one that follows from it where there is one."""
    p = only(problems_for(content, GOOD.replace("date: 2026-03-05", f"date: {bad}")))
    assert p.field == "date" and p.line == 4 and bad in p.message and write in p.message


def test_cover_without_alt_and_missing_cover_file(content: Path) -> None:
    (content / "stories" / "cover.jpg").write_bytes(b"x")
    p = only(problems_for(content, GOOD.replace("tags:", "cover: cover.jpg\ntags:")))
    assert p.field == "cover_alt" and p.line == 5
    found = problems_for(content, GOOD.replace("tags:", "cover: nope.jpg\ncover_alt: 说明\ntags:"))
    p = only(found)
    assert p.field == "cover" and "nope.jpg" in p.message and "content/stories/nope.jpg" in p.text(lambda path: "content/" + path)


def test_duplicate_slugs_are_both_reported(content: Path) -> None:
    (content / "stories" / "a.md").write_text(GOOD.replace("title:", "slug: same\ntitle:"), encoding="utf-8")
    other = GOOD.replace("0b6f0a4e-5c1e-4f1a-9d0e-2c7d7f0e8a11", "1b6f0a4e-5c1e-4f1a-9d0e-2c7d7f0e8a11")
    found = problems_for(content, other, "stories/same.md")
    assert sorted(p.path for p in found if p.field == "slug") == ["stories/a.md", "stories/same.md"]
    assert all("slug:" in p.message for p in found)


def test_duplicate_ids_are_reported(content: Path) -> None:
    (content / "stories" / "a.md").write_text(GOOD, encoding="utf-8")
    found = problems_for(content, GOOD, "stories/b.md")
    assert sorted(p.path for p in found if p.field == "id") == ["stories/a.md", "stories/b.md"]


def test_non_ascii_file_name_suggests_pinyin(content: Path) -> None:
    found = problems_for(content, GOOD, "stories/志愿者故事.md")
    names = [p for p in found if p.field in ("file name", "slug")]
    assert names and all("zhiyuanzhe-gushi" in p.message for p in names)


def test_non_ascii_slug_is_refused(content: Path) -> None:
    p = only(problems_for(content, GOOD.replace("title:", "slug: 志愿者\ntitle:")))
    assert p.field == "slug" and "slug: zhiyuanzhe" in p.message


def test_reserved_slug_is_refused(content: Path) -> None:
    p = only(problems_for(content, GOOD, "stories/archive.md"))
    assert p.field == "slug" and "保留" in p.message


def test_all_errors_reported_together(content: Path) -> None:
    (content / "stories" / "one.md").write_text(GOOD.replace("date: 2026-03-05", "date: 2026-02-30"), encoding="utf-8")
    other = GOOD.replace("0b6f0a4e", "2b6f0a4e").replace("[志愿服务]", "[不存在]")
    found = problems_for(content, other, "stories/two.md")
    assert {(p.path, p.field) for p in found} == {("stories/one.md", "date"), ("stories/two.md", "tags")}


def test_missing_id_is_derived_from_the_path_with_a_notice(content: Path) -> None:
    assert problems_for(content, GOOD.replace("id: 0b6f0a4e-5c1e-4f1a-9d0e-2c7d7f0e8a11\n", "")) == []
    first, _ = load_catalog(content)
    second, _ = load_catalog(content)
    assert first is not None and second is not None
    assert first.stories[0].id == second.stories[0].id == derived_id("stories/test.md")  # stable
    notice = only([n for n in first.notices if n.field == "id"])
    assert notice.notice and derived_id("stories/test.md") in notice.message


def test_lecture_requires_time_speakers_venue(content: Path) -> None:
    text = """---
id: 3b6f0a4e-5c1e-4f1a-9d0e-2c7d7f0e8a11
title: 讲座
date: 2026-03-05
tags: [应急救护]
city: 太原
---
"""
    found = problems_for(content, text, "lectures/talk/index.md")
    assert {p.field for p in found} == {"date", "speakers", "venue"}


def test_bad_files_and_encodings(content: Path) -> None:
    assert only(problems_for(content, "")).field == "file"
    assert only(problems_for(content, "只有正文")).field == "front matter"
    assert only(problems_for(content, "---\ntitle: [unclosed\n---\n")).field == "front matter"
    (content / "stories" / "test.md").write_bytes("---\ntitle: 标题\n---\n".encode("gbk"))
    _, found = load_catalog(content)
    assert only(found).field == "encoding"
    windows = "\ufeff" + GOOD.replace("\n", "\r\n")
    assert problems_for(content, windows) == []


def test_vocabulary_errors() -> None:
    dup = "- key: a\n  label: 甲\n- key: a\n  label: 乙\n"
    assert "重复" in parse_vocabulary(dup, "n.yml")[1][0].message
    twice = "- key: a\n  label: 甲\n  aliases: [同]\n- key: b\n  label: 乙\n  aliases: [同]\n"
    assert "同时属于" in parse_vocabulary(twice, "n.yml")[1][0].message
    nolabel = "- key: a\n  description: x\n"
    problem = parse_vocabulary(nolabel, "n.yml")[1][0]
    assert problem.field == "label" and problem.line == 1


def test_aliases_resolve_to_keys() -> None:
    vocab, _ = parse_vocabulary((REPO / "content" / "narratives.yml").read_text(encoding="utf-8"), "n")
    assert vocab is not None
    assert [vocab.resolve(n) for n in ("志愿者", "义工", "volunteer", "志愿服务", "Volunteer")] == ["volunteer"] * 5
    assert vocab.resolve("养老") == "eldercare" and vocab.resolve("xyz") is None


def test_drafts_and_future_stories_are_withheld(content: Path) -> None:
    (content / "stories" / "draft.md").write_text(GOOD.replace("title:", "draft: true\ntitle:"), encoding="utf-8")
    future = GOOD.replace("0b6f0a4e", "4b6f0a4e").replace("2026-03-05", "2026-12-01 08:00")
    (content / "stories" / "future.md").write_text(future, encoding="utf-8")
    catalog, problems = load_catalog(content)
    assert problems == [] and catalog is not None
    before = edition(catalog, parse_when("2026-11-30 23:59")[0])
    assert [s.slug for s in before.stories] == [] and len(before.withheld) == 2
    on_the_day = edition(catalog, parse_when("2026-12-01 08:00")[0])
    assert [s.slug for s in on_the_day.stories] == ["future"]
    preview = edition(catalog, parse_when("2026-11-30")[0], preview=True)
    assert {s.slug for s in preview.stories} == {"draft", "future"}


def test_schema_has_the_design_fields() -> None:
    assert {"title", "date", "tags", "summary", "authors", "cover", "cover_alt", "city", "slug",
            "updated", "draft"} <= set(fields_for("story"))
    assert {"speakers", "venue", "city", "audience", "recording", "slides", "duration", "end"} <= set(fields_for("lecture"))
    assert all(spec.doc_zh and spec.example for spec in SCHEMA)


def test_raw_html_images_are_refused(content: Path) -> None:
    p = only(problems_for(content, GOOD + '\n<img src="x.jpg" alt="图">\n'))
    assert p.field == "image" and p.line == 10 and "![" in p.message


def test_authors_file_problems_name_their_line(content: Path) -> None:
    (content / "authors.yml").write_text("wangli:\n  name: 王丽\nzhao:\n  role: 通讯员\n", encoding="utf-8")
    p = only(problems_for(content, GOOD))
    assert (p.path, p.line, p.field) == ("authors.yml", 3, "authors") and "name" in p.message
