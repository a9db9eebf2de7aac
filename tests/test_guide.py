"""The editors' guide lists every field, and its table says what validation does."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from site_plugins.content.frontmatter import parse_text
from site_plugins.content.schema import SCHEMA, Kind
from site_plugins.content.validate import Context, build_entry
from site_plugins.content.vocabulary import load_vocabulary
from site_plugins.editors import guide

from .conftest import REPO

pytestmark = pytest.mark.unit

GUIDE = REPO / guide.GUIDE_FILE


def test_guide_table_is_in_sync_with_the_schema() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    assert guide.render(text) == text, "run scripts/check --guide and commit docs/EDITORS_GUIDE.zh.md"


@pytest.mark.parametrize("kind", ["story", "lecture"])
def test_guide_lists_every_field(kind: Kind) -> None:
    text = GUIDE.read_text(encoding="utf-8")
    table = text.split(f"### {guide.KIND_NAMES[kind]}的字段")[1].split("###")[0]
    listed = re.findall(r"^\| `([a-z_]+)` \|", table, flags=re.M)
    assert listed and sorted(listed) == sorted(s.name for s in SCHEMA if kind in s.kinds)


def test_update_rewrites_a_stale_table(tmp_path: Path) -> None:
    file = tmp_path / "guide.md"
    shutil.copy(GUIDE, file)
    stale = re.sub(r"\| `venue` \| \*\*必填\*\* \|[^\n]*\n", "", file.read_text(encoding="utf-8"))
    assert stale.count("`venue`") == GUIDE.read_text(encoding="utf-8").count("`venue`") - 1
    file.write_text(stale, encoding="utf-8")
    assert guide.update(file) is True
    assert file.read_text(encoding="utf-8") == GUIDE.read_text(encoding="utf-8")
    assert guide.update(file) is False


def test_render_needs_the_markers() -> None:
    with pytest.raises(ValueError, match="markers"):
        guide.render("# 没有字段表\n")


@pytest.mark.parametrize("kind", ["story", "lecture"])
def test_required_column_is_what_validation_requires(kind: Kind, tmp_path: Path) -> None:
    """A file of exactly the fields marked 必填 (with their examples) is valid; dropping any one is not."""
    vocabulary, problems = load_vocabulary(REPO / "content" / "narratives.yml", "narratives.yml")
    assert vocabulary is not None, problems
    ctx = Context(vocabulary, {}, tmp_path)
    required = [s for s in SCHEMA if kind in s.kinds and s.required]
    folder = "stories" if kind == "story" else "lectures"

    def check(specs: list) -> list[str]:  # type: ignore[type-arg]
        text = "---\n" + "".join(f"{s.name}: {s.example}\n" for s in specs) + "---\n\n正文。\n"
        _entry, found = build_entry(parse_text(text, f"{folder}/x.md"), kind, ctx)
        return [p.field for p in found]

    assert check(required) == []
    for spec in required:
        assert spec.name in check([s for s in required if s is not spec]), spec.name
