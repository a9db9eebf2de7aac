"""scripts/build with a warm .cache/build/ (adapters/rebuild.py, pipeline/buildcache.py): after each
kind of edit, the site it makes equals, byte for byte, a clean build of the same content in another
folder; the old site's files are never written in place; a deleted or corrupted cache only makes
a clean build. Each scripts/build runs in a fresh process, as an editor runs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import BUILD_TIME, REPO, SiteMaker, checkout_pythonpath, run_build
from .image_helpers import save_phone_photo

pytestmark = pytest.mark.build
INCREMENTAL = "增量构建"
FULL = "完整构建"


def scripts_build(site: SiteMaker) -> str:
    env = {**os.environ, "SITE_BUILD_TIME": BUILD_TIME, "NO_MKDOCS_2_WARNING": "1",
           "PYTHONPATH": checkout_pythonpath(REPO)}
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "build"), "-f", str(site.config)],
                          cwd=site.root, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def differing(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(p for p in a.keys() | b.keys() if a.get(p) != b.get(p))


def clean_copy(site: SiteMaker, under: Path) -> dict[str, bytes]:
    """The same content and config built clean (no state, empty output folder) in a new folder under
    `under` (never one deleted since: the search worker of this process may have started there)."""
    folder = under / f"clean-{len(list(under.glob('clean-*')))}"
    shutil.copytree(site.content, folder / "content")
    shutil.copy(site.config, folder / "mkdocs.yml")
    run_build(folder / "mkdocs.yml", folder / "site")
    return files(folder / "site")


def witness(site: Path, folder: Path) -> dict[str, bytes]:
    """Hard links to every file of `site` in `folder`, and their bytes: a build that writes one of
    them in place (instead of a new file) shows up in the links."""
    if folder.exists():
        shutil.rmtree(folder)
    kept = files(site)
    for path in kept:
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        os.link(site / path, folder / path)
    return kept


@pytest.fixture
def site(make_site: Callable[[], SiteMaker]) -> SiteMaker:
    site = make_site()
    site.story("alpha", title="第一篇", body="正文。\n\n## 小标题 {#part}\n\n第二段。")
    site.story("beta", title="第二篇", body="见[第一篇的小标题](alpha.md#part)。", extra="aliases: [old-beta]\n")
    site.story("gamma", title="第三篇", date="2026-02-01", tags="[应急救护]")
    site.lecture("talk")
    return site


def test_every_kind_of_edit_builds_the_bytes_of_a_clean_build(site: SiteMaker, tmp_path: Path) -> None:
    out = scripts_build(site)
    assert FULL in out and "没有上次构建的缓存" in out
    stories = site.content / "stories"
    edits: list[tuple[str, Callable[[], None], str]] = [
        ("nothing", lambda: None, INCREMENTAL),
        ("body", lambda: site.story("gamma", title="第三篇", date="2026-02-01", tags="[应急救护]", body="新的正文。"),
         INCREMENTAL),
        ("title", lambda: site.story("alpha", title="第一篇（改）", body="正文。\n\n## 小标题 {#part}\n\n第二段。"),
         INCREMENTAL),
        ("tag", lambda: site.story("gamma", title="第三篇", date="2026-02-01", tags="[志愿服务]", body="新的正文。"),
         INCREMENTAL),
        ("date", lambda: site.story("gamma", title="第三篇", date="2026-03-09", tags="[志愿服务]", body="新的正文。"),
         INCREMENTAL),
        ("slug", lambda: site.story("gamma", title="第三篇", date="2026-03-09", tags="[志愿服务]", body="新的正文。",
                                    extra="slug: gamma-moved\n"), INCREMENTAL),
        ("new file", lambda: site.story("delta", title="第四篇", body="[回到第二篇](beta.md)"), INCREMENTAL),
        ("linked page", lambda: site.story("alpha", title="第一篇（改）", body="正文。\n\n## 小标题 {#part}\n\n改了。"),
         INCREMENTAL),
        ("deleted file", lambda: (stories / "delta.md").unlink(), INCREMENTAL),
        ("image added", lambda: save_phone_photo(stories / "photo.jpg", 64, 48), FULL),
        ("image shown", lambda: site.story("beta", title="第二篇", body="![照片](photo.jpg)\n\n见[第一篇](alpha.md#part)。",
                                           extra="aliases: [old-beta]\n"), INCREMENTAL),
        ("mkdocs.yml", lambda: site.config.write_text(
            site.config.read_text(encoding="utf-8").replace("page_size: 12", "page_size: 2"), encoding="utf-8"), FULL),
    ]
    for name, edit, expected in edits:
        edit()
        kept = witness(site.site, tmp_path / "witness")
        gz = {p: p.stat().st_ino for p in site.site.rglob("*.gz")}
        out = scripts_build(site)
        assert expected in out and (expected == FULL or FULL not in out), f"{name}: {out[-2000:]}"
        if expected == INCREMENTAL:  # the `.gz` of files not made again, or made the same, are the last build's
            assert sum(1 for p, inode in gz.items() if p.exists() and p.stat().st_ino == inode) > len(gz) * 0.9, name
        print(name, [line for line in out.splitlines() if INCREMENTAL in line or FULL in line])
        assert files(tmp_path / "witness") == kept, f"{name}: the last site's files were written in place"
        assert differing(files(site.site), clean_copy(site, tmp_path)) == [], name


def test_a_deleted_or_corrupted_cache_makes_a_clean_build(site: SiteMaker, tmp_path: Path) -> None:
    scripts_build(site)
    state = site.root / ".cache" / "build" / "state.pickle"
    assert state.is_file()
    data = state.read_bytes()
    state.write_bytes(data[: len(data) // 2] + b"x" + data[len(data) // 2 + 1:])
    site.story("alpha", title="第一篇", body="改过的正文。\n\n## 小标题 {#part}\n")
    out = scripts_build(site)
    assert FULL in out and "已损坏" in out
    assert differing(files(site.site), clean_copy(site, tmp_path)) == []
    shutil.rmtree(site.root / ".cache" / "build")
    site.story("beta", title="第二篇", body="又改了。")
    out = scripts_build(site)
    assert FULL in out and "没有上次构建的缓存" in out
    assert differing(files(site.site), clean_copy(site, tmp_path)) == []
    state.write_bytes(b"not a cache at all")
    site.story("gamma", title="第三篇", body="再改。")
    out = scripts_build(site)
    assert FULL in out
    assert differing(files(site.site), clean_copy(site, tmp_path)) == []
    # The search index's shards kept on disk (outputs/search/store.py): damaged ones go through Pagefind again.
    store = site.root / ".cache" / "build" / "search"
    shards = sorted(store.glob("*.shard"))
    assert shards and (store / "packed.pickle").is_file() and (store / "common.pickle").is_file()
    check = site.root / ".cache" / "build" / "check.pickle"  # the check's per-file results (content/reuse.py)
    assert check.is_file()
    for kept in [*shards, store / "packed.pickle", store / "common.pickle", check]:
        kept.write_bytes(kept.read_bytes()[:-3] + b"xyz")
    site.story("gamma", title="第三篇", body="再改一次。")
    out = scripts_build(site)
    assert INCREMENTAL in out
    assert differing(files(site.site), clean_copy(site, tmp_path)) == []
    # A site/ changed by hand since the last build is not trusted either.
    (site.site / "index.html").write_text("changed", encoding="utf-8")
    out = scripts_build(site)
    assert FULL in out and "不一致" in out
    assert differing(files(site.site), clean_copy(site, tmp_path)) == []
