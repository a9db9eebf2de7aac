"""`scripts/bench --serve` and `--incremental` measure what they say: every scripted edit
shows where it must, both servers and every kind get their rows, and the output compare
finds a wrong file. Small corpora; no timing is asserted."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

# scripts/ is on sys.path: tests/conftest.py puts it there
import bench_incremental
import bench_serve
import pytest
from benchcorpus import write_corpus
from benchedits import KINDS, sequence, vocabulary

from .conftest import REPO


@pytest.mark.unit
def test_differing_names_every_file_that_is_missing_extra_or_changed(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for root in (a, b):
        (root / "stories" / "x").mkdir(parents=True)
        (root / "index.html").write_bytes(b"<p>home</p>")
        (root / "stories" / "x" / "index.html").write_bytes(b"<p>x</p>")
    assert bench_incremental.differing(a, b) == []
    (b / "stories" / "x" / "index.html").write_bytes(b"<p>y</p>")  # same size, other bytes
    (b / "extra.xml").write_bytes(b"")
    (a / "index.html").unlink()
    assert bench_incremental.differing(a, b) == ["extra.xml", "index.html", "stories/x/index.html"]


@pytest.mark.unit
def test_percentile_interpolates_between_ranks() -> None:
    assert bench_serve.percentile([3.0], 0.95) == 3.0
    assert bench_serve.percentile([4.0, 1.0, 2.0, 3.0], 0.5) == 2.5
    assert bench_serve.percentile([1.0, 2.0, 3.0], 1.0) == 3.0


@pytest.mark.build
def test_edit_sequence_is_the_same_for_both_copies_and_changes_one_thing(tmp_path: Path) -> None:
    write_corpus(tmp_path / "a", REPO, 30)
    write_corpus(tmp_path / "b", REPO, 30)
    ours = sequence(tmp_path / "a" / "content", (*KINDS, "delete"), 3)
    theirs = sequence(tmp_path / "b" / "content", (*KINDS, "delete"), 3, reference=True)
    assert [(e.kind, e.path, e.text) for e in ours] == [(e.kind, e.path, e.text) for e in theirs]
    assert [e.kind for e in ours[:5]] == [*KINDS, "delete"]
    labels = vocabulary(tmp_path / "a" / "content")
    for edit in ours:
        if edit.kind == "tag":
            before = (tmp_path / "a" / "content" / edit.path).read_text(encoding="utf-8")
            old = set(re.findall(r"^tags: \[(.*)\]$", before, re.M)[0].split(", "))
            new = set(re.findall(r"^tags: \[(.*)\]$", edit.text or "", re.M)[0].split(", "))
            assert len(new - old) == 1 and new <= set(labels)
            assert [c.url for c in edit.checks] == [f"stories/{Path(edit.path).stem}/",
                                                    f"narratives/{labels[(new - old).pop()]}/"]
        edit.apply(tmp_path / "a" / "content")
    assert not list((tmp_path / "a" / "content" / "stories").glob(".*")), "no temporary file left behind"
    assert len(list((tmp_path / "a" / "content" / "stories").glob("*.md"))) == 30 + 3 - 3


@pytest.mark.build
def test_serve_bench_sees_every_edit_on_both_servers(tmp_path: Path) -> None:
    edits = 2
    servers = bench_serve.run(tmp_path, stories=20, edits=edits, timeout=300)
    for name, server in servers.items():
        assert server.failures == [], name
        assert server.first is not None and server.first > 0
        assert {kind: len(times) for kind, times in server.times.items()} == dict.fromkeys(KINDS, edits)
        assert server.sampler.peaks.total > 50 << 20, "the server's processes were sampled"
        assert server.process.poll() is not None, "stopped at the end"
    report = bench_serve.table(servers, edits)
    for name in servers:
        for kind in (*KINDS, "overall"):
            wanted = edits * (len(KINDS) if kind == "overall" else 1)
            assert re.search(rf"^\| {re.escape(bench_serve.NAMES[name])} \| {kind} \| {wanted}/{wanted} \|", report,
                             re.M), (name, kind)
    assert re.search(r"^serve overhead: \d+\.\d\d$", report, re.M)
    assert "failed" not in report


@pytest.mark.build
def test_incremental_bench_compares_with_a_clean_build(tmp_path: Path) -> None:
    results, cleans, reference = bench_incremental.run(tmp_path, stories=20, per_kind=1)
    assert set(results) == set(bench_incremental.EDIT_KINDS)
    assert all(len(runs) == 1 for runs in results.values()) and len(cleans) == 5
    assert reference.wall > 0 and reference.peak > 0
    report = bench_incremental.table(results, cleans, reference)
    for kind in bench_incremental.EDIT_KINDS:
        assert re.search(rf"^\| incremental \(warm \.cache/\) \| {kind} \| 1 \|", report, re.M), kind
    assert "differing files in all: 0" in report, report
    # The warm cache is put back after every clean build.
    assert (tmp_path / ".cache").is_dir() and not (tmp_path / ".cache-warm").exists()
    # The compare catches one wrong file in a real site.
    tampered = tmp_path / "tampered"
    shutil.copytree(tmp_path / "site-clean", tampered)
    page = next(iter(sorted(tampered.glob("stories/*/index.html"))))
    page.write_text(page.read_text(encoding="utf-8").replace("</h1>", "!</h1>", 1), encoding="utf-8")
    assert bench_incremental.differing(tmp_path / "site", tampered) == [page.relative_to(tampered).as_posix()]
