"""Pagefind's rules the merge of shards repeats (site_plugins/outputs/search/merge.py, bundle.py), on
made-up data. That the merged index equals Pagefind's own is tested in test_search_worker.py."""

from __future__ import annotations

import gzip
import hashlib

import pytest

from site_plugins.outputs.search import bundle, merge

pytestmark = pytest.mark.unit


def test_full_hash_writes_each_byte_without_its_leading_zero_as_pagefind_does() -> None:
    assert hashlib.sha1(b"0").hexdigest() == "b6589fc6ab0dc82cf12099d1c2d40ab994e8410c"
    assert merge.full_hash(b"0") == "b6589fc6abdc82cf12099d1c2d4ab994e841c"  # 0d -> d, 0a -> a, 0c -> c


def test_fragment_names_grow_a_digit_on_a_collision_in_page_order() -> None:
    taken: dict[str, str] = {}
    assert merge.fragment_name("zh_abcdef1234", "zh", taken) == "zh_abcdef1"
    assert merge.fragment_name("zh_abcdef1999", "zh", taken) == "zh_abcdef19"
    assert merge.fragment_name("zh_abcdef1988", "zh", taken) == "zh_abcdef198"
    assert merge.fragment_name("zh_1234567", "zh", taken) == "zh_1234567"
    with pytest.raises(ValueError, match="same data"):
        merge.fragment_name("zh_abcdef1234", "zh", taken)


def test_sort_orders_are_pagefinds_numbers_or_strings_equal_values_in_page_order() -> None:
    assert merge._order([("10", 0), ("9", 1), ("-1.5", 2), ("9", 3)]) == [2, 1, 3, 0]  # all numbers
    assert merge._order([("10", 0), ("9", 1), ("b", 2)]) == [0, 1, 2]  # one is not: strings
    assert merge._order([("2026-03-05", 4), ("2025-12-31", 7), ("2026-03-05", 1)]) == [7, 1, 4]


def test_chunks_close_after_the_word_that_fills_them_as_pagefinds_do() -> None:
    def word(text: str, positions: int) -> list[object]:
        return [text, [[0, list(range(positions)), []]], []]

    words = [word("apple", 5), word("apricot", 2), word("banana", 9), word("peach", 1)]
    chunks = list(bundle.chunk_words([(w, bundle._units(w)) for w in words], size=8))
    assert [[w[0] for w, _ in c] for c in chunks] == [["apple", "apricot"], ["banana"], ["peach"]]
    # Pagefind's own example (pagefind/src/index/mod.rs, build_chunk_meta)
    assert bundle.chunk_bounds([("apple", "apple"), ("apricot", "banana"), ("peach", "peach")]) == [
        ("apple", "apple"), ("apr", "b"), ("p", "peach")]


def test_a_dominant_word_gets_a_chunk_of_its_own() -> None:
    chunk: list[tuple[list[object], int]] = [(["a"], 2), (["b"], 10), (["c"], 3)]
    assert bundle.split_dominant(chunk) == [[["a"]], [["b"]], [["c"]]]
    assert bundle.split_dominant([(["a"], 3), (["b"], 4), (["c"], 3)]) == [[["a"], ["b"], ["c"]]]
    assert bundle.split_dominant([(["a"], 5), (["b"], 5)]) == [[["a"]], [["b"]]]  # half is enough


def test_array_heads_are_the_bytes_cbor2_writes() -> None:
    import cbor2

    from site_plugins.outputs.search import parts

    for length in (0, 1, 23, 24, 255, 256, 65535, 65536):
        items = [0] * length
        assert parts.head(4, length) + cbor2.dumps(0) * length == cbor2.dumps(items)


def test_packed_compresses_only_data_it_has_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    compressed: list[bytes] = []

    def counting(data: bytes, level: int = 9) -> bytes:
        compressed.append(data)
        return bundle.gzip9(data, level)

    monkeypatch.setattr(merge, "gzip9", counting)
    packed = merge.Packed()
    first = packed.many([b"a", b"b"])
    packed.turn()
    assert packed.many([b"b", b"c"]) == [first[1], bundle.gzip9(b"c")] and compressed == [b"a", b"b", b"c"]
    packed.turn()  # only what the last merge wrote is kept
    packed.many([b"a"])
    assert compressed[-1] == b"a" and len(compressed) == 4


def test_the_preview_compresses_its_index_faster_into_the_same_data() -> None:
    data = ("红十字志愿者 应急救护 " * 2000).encode("utf-8") + bytes(range(256)) * 40
    production, preview = merge.Packed().one(data), merge.Packed(bundle.PREVIEW_LEVEL).one(data)
    assert production == bundle.gzip9(data) and preview != production
    assert gzip.decompress(preview) == gzip.decompress(production) == data
    assert preview[4:8] == production[4:8] == bytes(4), "no clock in either header"
