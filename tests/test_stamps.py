"""pipeline/changes.stamps and edited: what the preview takes for an edit (content/reuse's versions)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from site_plugins.content.reuse import RACY
from site_plugins.pipeline.changes import edited, stamps

pytestmark = pytest.mark.unit


def _age(path: Path) -> None:
    """The file's time of change well past the racy window (as if saved minutes ago)."""
    past = path.stat().st_mtime_ns - 10 * RACY
    os.utime(path, ns=(past, past))


def test_a_file_stamped_while_recent_is_not_an_edit_once_it_is_not(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: 测试\n", encoding="utf-8")
    story = tmp_path / "content" / "a.md"
    story.parent.mkdir()
    story.write_text("正文\n", encoding="utf-8")
    before = stamps([config, tmp_path / "content"])
    assert all(isinstance(v, bytes) for v in before.values()), "just saved: stamped by their bytes"
    _age(config)
    _age(story)
    after = stamps([config, tmp_path / "content"])
    assert all(isinstance(v, tuple) for v in after.values())
    assert edited(before, after) == set()
    story.write_text("改过的正文\n", encoding="utf-8")
    _age(story)
    assert edited(before, stamps([config, tmp_path / "content"])) == {str(story)}
    (tmp_path / "content" / "b.md").write_text("新的\n", encoding="utf-8")
    config.unlink()
    assert edited(after, stamps([config, tmp_path / "content"])) == {
        str(story), str(tmp_path / "content" / "b.md"), str(config)}
