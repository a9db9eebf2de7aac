"""Invisible format characters pasted with WeChat or Word text: removed outside code, kept in emoji."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_plugins.content import invisible
from site_plugins.content.frontmatter import parse_text
from site_plugins.content.markdown import code_ranges
from site_plugins.content.validate import Context, build_entry
from site_plugins.content.vocabulary import load_vocabulary

from .conftest import REPO

pytestmark = pytest.mark.unit

# One of each class the issue names, plus the soft hyphen and the separators.
FORMAT = ["\u200b", "\u200c", "\u200d", "\u2060", "\u2062", "\u200e", "\u202e", "\u2067", "\u00ad", "\u180e",
          "\u2028", "\ufeff"]


@pytest.mark.parametrize("char", FORMAT)
def test_each_format_character_is_removed_and_named(char: str) -> None:
    text, found = invisible.strip_text(f"志愿{char}服务")
    assert text == "志愿服务"
    assert found == [(1, char)]
    assert f"U+{ord(char):04X}（" in invisible.message(char)


def test_emoji_sequences_keep_their_joiners() -> None:
    family = "👨\u200d👩\u200d👧"
    rainbow = "🏳\ufe0f\u200d🌈"
    scotland = "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
    text, found = invisible.strip_text(f"{family} {rainbow} {scotland} 志\u200d愿 👍\u200d好 \U000e0067")
    assert text == f"{family} {rainbow} {scotland} 志愿 👍好 "
    assert found == [(1, "\u200d\u200d\U000e0067")]


def test_code_keeps_format_characters_but_not_control_characters() -> None:
    body = "正文\u200b一\n\n`代码\u200b` 和 ``a`\u200bb``\n\n```\n围栏\u200b\x0b\n```\n\n    缩进\u200b\n\n\\`不是\u200b代码`"
    ranges = code_ranges(body)
    text, found = invisible.strip_text(body, ranges)
    assert text == ("正文一\n\n`代码\u200b` 和 ``a`\u200bb``\n\n```\n围栏\u200b\n```\n\n    缩进\u200b\n\n\\`不是代码`")
    assert [line for line, _ in found] == [1, 6, 11]


def test_front_matter_and_body_are_cleaned_with_a_notice_per_line() -> None:
    doc = parse_text("---\u200b\ntitle: 冬夜\u200b送温暖\ntags: [\"志愿\\u200b服务\"]\n---\n\n正文\u2060。`保留\u200b`\n",
                     "stories/a.md")
    assert not doc.problems
    assert doc.meta["title"] == "冬夜送温暖" and doc.meta["tags"] == ["志愿服务"]
    assert doc.body == "\n正文。`保留\u200b`\n"
    assert "\u200b" not in doc.text.split("`")[0] and doc.text.endswith("`保留\u200b`\n")
    where = sorted((p.line, p.field) for p in doc.notices)
    assert where == [(1, "text"), (2, "text"), (3, "tags"), (6, "text")]
    assert all(p.notice and "U+" in p.message for p in doc.notices)


def test_a_tag_with_a_zero_width_space_is_the_tag(tmp_path: Path) -> None:
    """The issue's case: 未知专题“志愿​服务” for two strings the editor sees as one."""
    vocabulary, _ = load_vocabulary(REPO / "content" / "narratives.yml", "narratives.yml")
    assert vocabulary is not None
    text = ("---\nid: 6f1c8a46-0d40-4b2e-9a8e-5d1b7f3c2a10\ntitle: 标\u200b题\ndate: 2026-03-05\n"
            "tags: [志愿\u200b服务, 救灾\u2060救助]\nslug: dong\u200bye\n---\n\n正文。\n")
    entry, problems = build_entry(parse_text(text, "stories/a.md"), "story", Context(vocabulary, {}, tmp_path))
    assert problems == [] and entry is not None
    assert entry.tags == ("volunteer", "relief") and entry.title == "标题" and entry.slug == "dongye"
