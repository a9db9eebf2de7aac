"""The benchmark's synthetic corpus (scripts/benchcorpus.py) stays valid and deterministic,
and the site still builds without our plugins, as `scripts/bench` needs."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import pytest

from site_plugins.content.catalog import load_catalog

from .conftest import BUILD_TIME, REPO
from .inprocess import cli_in_process

sys.path.insert(0, str(REPO / "scripts"))
from benchcorpus import plugin_free_config, search_after_rendering, without_gzip_cache, write_corpus

pytestmark = pytest.mark.build


def tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def test_corpus_is_valid_and_deterministic(tmp_path: Path) -> None:
    write_corpus(tmp_path / "a", REPO, stories=25, images=2)
    write_corpus(tmp_path / "b", REPO, stories=25, images=2)
    assert tree_digest(tmp_path / "a" / "content") == tree_digest(tmp_path / "b" / "content")
    catalog, problems = load_catalog(tmp_path / "a" / "content")
    assert problems == []
    assert catalog is not None
    assert len(catalog.stories) == 25 and len(catalog.lectures) == 5
    assert {t for s in catalog.stories for t in s.tags} == {n.key for n in catalog.vocabulary.narratives}
    assert sum(1 for s in catalog.stories if s.cover) == 25
    assert any(s.images for s in catalog.stories)


def test_reference_config_is_plain_material_with_its_zh_search() -> None:
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    stripped = plugin_free_config(config)
    assert not [line for line in stripped.splitlines() if line.startswith("  - rc-")]
    assert "\n  - search:\n      lang: zh\n" in stripped and "separator:" in stripped
    assert "rc-search" in config and "  - search:" not in config  # ours replaces Material's
    assert stripped.count("\n") < config.count("\n")
    assert stripped.split("nav:")[1] == config.split("nav:")[1]
    assert stripped.split("palette:")[1].split("\n\n")[0] == config.split("palette:")[1].split("\n\n")[0]


def test_search_after_rendering_turns_streaming_off_and_keeps_the_rest() -> None:
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    off = search_after_rendering(config)
    assert "\n  - rc-search:\n      stream: false\n" in off
    assert off.replace("  - rc-search:\n      stream: false\n", "  - rc-search\n") == config
    assert search_after_rendering(off) == off  # its own option is replaced, not repeated
    with pytest.raises(ValueError):
        search_after_rendering(plugin_free_config(config))


def test_reference_site_builds_with_materials_search(tmp_path: Path) -> None:
    """The benchmark's reference: templates must not crash without `rc` in the context, and
    Material's own search (with our partials/search.html's Material branch) is built."""
    _, without = write_corpus(tmp_path, REPO, stories=10)
    # `mkdocs build` (the bench's corpus is not strict: the reference lacks our generated pages), in this process
    result = cli_in_process(["build", "-f", str(without), "-d", str(tmp_path / "site")], tmp_path,
                            {"SITE_BUILD_TIME": BUILD_TIME, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "site" / "stories" / "bench-story-00000" / "index.html").is_file()
    assert "红十字大讲堂" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    index = (tmp_path / "site" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "\u200b" in index or "\\u200b" in index, "Material's zh search segments with jieba"
    assert not (tmp_path / "site" / "pagefind").exists()
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert 'data-md-component="search-query"' in page, "Material's search box, wired to its worker"


def test_without_gzip_cache_turns_only_the_cache_off() -> None:
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    cold = without_gzip_cache(config)
    assert "\n  - rc-hosting:\n      cache_dir: ''\n" in cold
    assert cold.replace("  - rc-hosting:\n      cache_dir: ''\n", "  - rc-hosting\n") == config
    with pytest.raises(ValueError):
        without_gzip_cache(plugin_free_config(config))


def test_memory_sampler_sums_the_whole_process_tree_at_one_moment() -> None:
    """scripts/proctree.py: a child and its grandchild holding memory at the same time are summed."""
    import subprocess
    import time

    from proctree import sampled

    # Each process holds 60 MB until its stdin closes, and says so once it holds it: no timing guesses,
    # so a loaded machine that starts the grandchild late cannot make the two miss each other.
    hold = ("import sys; x = bytearray(60 << 20); x[::4096] = b'1' * len(x[::4096]); "
            "print('held', flush=True); sys.stdin.read()")
    both = ("import subprocess, sys; x = bytearray(60 << 20); x[::4096] = b'1' * len(x[::4096]); "
            f"child = subprocess.Popen([sys.executable, '-c', {hold!r}], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True); "
            "child.stdout.readline(); print('held', flush=True); sys.stdin.read(); child.stdin.close(); child.wait()")
    parent = subprocess.Popen([sys.executable, "-c", both], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    sampler = sampled(parent.pid)
    assert parent.stdout is not None and parent.stdin is not None
    assert parent.stdout.readline() == "held\n"  # both hold their 60 MB now
    grandchild = os.path.basename(sys.executable)  # its kind is its program's name: python or python3
    deadline = time.monotonic() + 30  # a loaded machine may starve the sampler: wait until it sees both
    while time.monotonic() < deadline and not {"build", grandchild} <= set(sampler.peaks.composition):
        time.sleep(0.05)
    time.sleep(0.2)
    parent.stdin.close()
    parent.wait(timeout=60)
    peaks = sampler.stop()
    assert peaks.samples > 5
    assert peaks.composition["build"] > 60 << 20 and peaks.composition[grandchild] > 60 << 20  # root and grandchild
    assert peaks.total == sum(peaks.composition.values()) > 120 << 20
