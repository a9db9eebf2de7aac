"""The preview's catch-up reuses the last index's shards (outputs/search/indexer.py `Kept`, parts.py,
merge.py `Packed`): after an edit, only the shards whose pages changed go through Pagefind, and the
files are byte for byte those a fresh index of the same pages gives."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from site_plugins.outputs.search import records as search
from site_plugins.outputs.search.bundle import PREVIEW_LEVEL
from site_plugins.outputs.search.indexer import cuts_after
from site_plugins.outputs.search.later import BODY, Later, digest
from site_plugins.outputs.search.worker import INDEX_CONFIG, Result, SearchWorker

pytestmark = pytest.mark.build
TIMEOUT = 120
SHARD = 6  # pages a shard at most: 40 pages make about ten


def pages() -> list[search.PageSource]:
    """Pages whose meta fields differ from shard to shard (a city, an image on a few only), so shards
    are merged with their fields renumbered."""
    out = []
    texts = ("志愿者在社区教居民做心肺复苏", "献血车停在广场上 Café AED", "养老院的老人们 café", "救灾物资 résumé")
    for n in range(40):
        facts = search.Facts(kind="story", date=f"2026年3月{n % 9 + 1}日", iso=f"2026-03-{n % 9 + 1:02d}",
                             city="太原" if n % 7 == 0 else "", image=f"/media/{n}.jpg" if n % 13 == 0 else "",
                             narratives=(("volunteer", "志愿服务"),) if n % 2 else ())
        text = texts[n % len(texts)]
        out.append(search.PageSource(f"/stories/s{n:02d}/", f"{text[:5]}（第{n}篇）", f"<p>{text}。第{n}段。</p>",
                                     facts, pinyin=True))
    return out


@pytest.fixture(scope="module")
def workers() -> Iterator[tuple[SearchWorker, SearchWorker]]:
    """A worker that keeps its shards (the preview's) and one that never does (a fresh build's)."""
    kept, fresh = SearchWorker(), SearchWorker()
    yield kept, fresh
    kept.close()
    fresh.close()


def index(worker: SearchWorker, sources: list[search.PageSource] | list[search.PageSource | Later], keep: bool,
          store: tuple[str, bytes] | None = None, level: int = 9) -> Result:
    worker.begin(INDEX_CONFIG, SHARD, keep=keep, store=store, level=level)
    for source in sources:
        worker.add(source)
    worker.finish()
    return worker.result(TIMEOUT)


def edited(sources: list[search.PageSource]) -> Iterator[tuple[str, list[search.PageSource], int]]:
    """The edits an editor makes, one after the other, each on the pages the last one left, and how many
    shards each may send to Pagefind again: the shard of the edited page; a new or deleted page that
    cuts a shard, or ends a full one, two or three."""
    now = list(sources)
    now[17] = replace(now[17], body_html=now[17].body_html + "<p>新增的一段：造血干细胞。</p>")
    yield "body", list(now), 1
    now[5] = replace(now[5], title="改过的标题", facts=replace(now[5].facts, city="大同"))  # a field the shard lacked
    yield "title and city", list(now), 1
    new = search.PageSource("/stories/s20a/", "新故事", "<p>新故事的正文 résumé。</p>",
                            search.Facts(kind="story", date="2026年3月2日", iso="2026-03-02", image="/media/new.jpg"))
    now.insert(21, new)
    yield "new page", list(now), 3
    del now[30]
    yield "deleted page", list(now), 3
    with_image = [n for n, source in enumerate(now) if source.facts.image]
    for n in with_image:  # the field leaves the index: every kept shard's fields are renumbered
        now[n] = replace(now[n], facts=replace(now[n].facts, image=""))
    yield "every image removed", list(now), len(with_image)


@pytest.mark.parametrize("level", [9, PREVIEW_LEVEL])  # a build's, the preview's
def test_each_edit_reindexes_few_shards_and_gives_a_fresh_index_byte_for_byte(
        workers: tuple[SearchWorker, SearchWorker], level: int) -> None:
    kept, fresh = workers
    first = index(kept, pages(), keep=True, level=level)
    assert first.indexed == first.shards >= 40 // SHARD
    for edit, sources, most in edited(pages()):
        again = index(kept, sources, keep=True, level=level)
        full = index(fresh, sources, keep=False, level=level)
        assert again.files == full.files, edit
        assert again.sorts == full.sorts and again.pages == full.pages == len(sources), edit
        assert full.indexed == full.shards, edit
        assert 1 <= again.indexed <= most < again.shards, edit


def test_an_index_unchanged_is_made_without_pagefind(workers: tuple[SearchWorker, SearchWorker]) -> None:
    kept, _ = workers
    first = index(kept, pages(), keep=True)
    again = index(kept, pages(), keep=True)
    assert again.indexed == 0 and again.files == first.files


def test_shards_cut_by_address_move_only_where_a_page_is_added() -> None:
    """Cut by address, the shards before and after an added page keep their pages."""
    def shards(urls: list[str]) -> list[tuple[str, ...]]:
        out: list[tuple[str, ...]] = []
        batch: list[str] = []
        for url in urls:
            batch.append(url)
            if cuts_after(url, len(batch), 50):
                out.append(tuple(batch))
                batch = []
        return [*out, tuple(batch)] if batch else out

    urls = [f"/stories/s{n:04d}/" for n in range(1000)]
    before = shards(urls)
    after = shards([*urls[:500], "/stories/new/", *urls[500:]])
    assert len(set(after) - set(before)) <= 3 and len(before) > 1000 // 50


def by_reference(sources: list[search.PageSource], folder: Path) -> list[search.PageSource | Later]:
    """Each page as an incremental build hands over a page it did not render: its file, its description
    without the body, the digest of the whole."""
    out: list[search.PageSource | Later] = []
    for n, source in enumerate(sources):
        file = folder / f"{n}.html"
        file.write_text(f'<html><div class="rc-body">{source.body_html}</div></html>', "utf-8")
        out.append(Later(replace(source, body_html=BODY), str(file), True, digest(source)))
    return out


def test_shards_kept_on_disk_serve_a_fresh_worker(workers: tuple[SearchWorker, SearchWorker], tmp_path: Path) -> None:
    """scripts/build's store (outputs/search/store.py): a new worker process reuses the shards an earlier
    one kept, pages given by reference or whole; a damaged file or another salt means Pagefind again; the
    files are always a fresh index's, and the folder holds the last index's shards only."""
    _, fresh = workers
    folder = tmp_path / "store"
    store = (str(folder), b"build key")
    first = index(fresh, pages(), keep=False, store=store)
    assert first.indexed == first.shards and len(list(folder.glob("*.shard"))) == first.shards
    fresh.close()  # the next index in a new process: nothing kept in memory
    again = index(fresh, by_reference(pages(), tmp_path), keep=False, store=store)
    assert again.indexed == 0 and again.files == first.files and again.sorts == first.sorts
    alone_worker = SearchWorker()
    for edit, sources, most in edited(pages()):
        fresh.close()
        got = index(fresh, sources, keep=False, store=store)
        alone = index(alone_worker, sources, keep=False)
        assert got.files == alone.files and got.sorts == alone.sorts, edit
        assert 1 <= got.indexed <= most < got.shards, edit
        assert len(list(folder.glob("*.shard"))) == got.shards, edit
    final = edited(pages())
    *_, (_, sources, _) = final
    shard = sorted(folder.glob("*.shard"))[0]
    shard.write_bytes(shard.read_bytes()[:-5] + b"xxxxx")
    (folder / "packed.pickle").write_bytes(b"garbage")
    fresh.close()
    alone_worker.close()
    damaged = index(fresh, by_reference(sources, tmp_path), keep=False, store=store)
    assert damaged.indexed == 1 and damaged.files == alone.files
    other = index(fresh, sources, keep=False, store=(str(folder), b"another build key"))
    assert other.indexed == other.shards and other.files == alone.files
