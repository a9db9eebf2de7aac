"""content/tree.py (one listing of content/ per check) and content/reuse.Derived (kept by identity)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from site_plugins.content.reuse import Derived, file_version, keep_between_builds
from site_plugins.content.tree import hidden, listing, one_walk, walk

pytestmark = pytest.mark.unit


def _tree(root: Path) -> None:
    for rel in ("stories/a-b.md", "stories/a/b.md", "stories/.draft.md", ".git/HEAD", "images/x (1).jpg", "about.md"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(rel, encoding="utf-8")


def test_walk_lists_every_file_with_its_stat_in_the_order_paths_sort(tmp_path: Path) -> None:
    _tree(tmp_path)
    tree = walk(tmp_path)
    expected = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    assert list(tree.files) == [p.relative_to(tmp_path).as_posix() for p in expected]
    assert tree.files["about.md"].st_size == len("about.md")
    assert tree.visible == {"stories/a-b.md", "stories/a/b.md", "images/x (1).jpg", "about.md"}
    assert set(tree.folders) == {"stories", "stories/a", ".git", "images"}
    assert tree.under("stories", ".md") == ["stories/.draft.md", "stories/a/b.md", "stories/a-b.md"]
    assert hidden("stories/.draft.md") and hidden(".git/HEAD") and not hidden("stories/a.md")


def test_a_walk_without_hidden_folders_does_not_enter_them(tmp_path: Path) -> None:
    _tree(tmp_path)
    tree = walk(tmp_path, hidden_folders=False)
    assert ".git/HEAD" not in tree.files and "stories/.draft.md" in tree.files


def test_one_walk_lists_a_folder_once_and_outside_it_every_call_walks(tmp_path: Path) -> None:
    _tree(tmp_path)
    with one_walk():
        first = listing(tmp_path)
        (tmp_path / "new.md").write_text("x", encoding="utf-8")
        with one_walk():  # an inner scope shares the outer's listing
            assert listing(tmp_path) is first
        assert "new.md" not in listing(tmp_path).files
    assert "new.md" in listing(tmp_path).files
    assert listing(tmp_path) is not listing(tmp_path)


def test_derived_is_kept_by_the_object_and_its_arguments(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[tuple[str, int]] = []
    monkeypatch.setattr("site_plugins.content.reuse._KEEPING", [True])  # as the preview keeps (rc-meta under serve)

    @Derived
    def length(text: list[str], extra: int) -> int:
        made.append((text[0], extra))
        return len(text[0]) + extra

    one, two = ["abc"], ["abc"]
    assert length(one, 1) == 4 and length(one, 1) == 4
    assert made == [("abc", 1)]
    assert length(one, 2) == 5  # other arguments: made again
    assert length(two, 2) == 5  # an equal but other object (a file read again): made again
    assert made == [("abc", 1), ("abc", 2), ("abc", 2)]
    Derived.next_check()
    assert length(one, 2) == 5 and len(made) == 3  # kept from the check before
    Derived.next_check()
    Derived.next_check()
    assert length(two, 2) == 5 and len(made) == 4  # not asked for in two checks: dropped
    keep_between_builds(False)  # a process that builds once keeps nothing
    assert length(two, 2) == 5 and length(two, 2) == 5 and len(made) == 6


def test_within_one_walk_a_file_s_version_is_the_stat_its_listing_took(tmp_path: Path) -> None:
    _tree(tmp_path)
    page = tmp_path / "stories" / "a-b.md"
    old = time.time() - 3600  # not a file saved just now (those are told apart by their bytes)
    os.utime(page, (old, old))
    with one_walk():
        listing(tmp_path)
        page.write_text("a longer text, saved after the listing", encoding="utf-8")
        os.utime(page, (old, old))
        assert file_version(page)[0] == len("stories/a-b.md"), "one listing holds for the whole check"
    assert file_version(page)[0] == len("a longer text, saved after the listing")
