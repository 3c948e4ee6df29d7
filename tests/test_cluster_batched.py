"""Clustering's helpers that read many rows in one numpy pass give what the plain loop, a row
or a result at a time, gave: same values, same types (the scan's bytes depend on them)."""

from __future__ import annotations

from collections import defaultdict
from types import SimpleNamespace
from typing import cast

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdedup.cluster import Version, _block_spans, _Carriers, _shared_blocks
from newsdedup.fingerprint import Fingerprints
from newsdedup.index import runs
from newsdedup.segment import SegmentTable


@st.composite
def tables(draw: st.DrawFn) -> SegmentTable:
    """A few documents (some without segments), each with blocks that repeat and skip."""
    documents = [("d0", [(0, 1, 0)])]  # never empty
    for k in range(1, draw(st.integers(1, 5))):
        blocks = sorted(draw(st.lists(st.integers(0, 5), max_size=8)))
        documents.append((f"d{k}", [(i, i + 1, b) for i, b in enumerate(blocks)]))
    return SegmentTable.of_spans(documents)


def _fp(table: SegmentTable) -> Fingerprints:
    return cast(Fingerprints, SimpleNamespace(table=table))


@st.composite
def stories_over(draw: st.DrawFn, table: SegmentTable) -> list[tuple[Version, ...]]:
    """Stories of versions on the table's pages; a page may hold versions of several."""
    stories = []
    for _ in range(draw(st.integers(0, 4))):
        versions = []
        for doc_id in draw(st.lists(st.sampled_from(table.doc_ids), max_size=4)):
            size = len(table.rows(doc_id))
            held = draw(st.sets(st.integers(0, size - 1), min_size=1))
            versions.append(Version(doc_id, tuple(sorted(held)), "copy"))
        stories.append(tuple(versions))
    return stories


def _plain_shared_blocks(
    fp: Fingerprints, stories: list[tuple[Version, ...]]
) -> set[tuple[str, int]]:
    holders: dict[tuple[str, int], set[int]] = defaultdict(set)
    for k, versions in enumerate(stories):
        for v in versions:
            start = fp.table.rows(v.doc_id).start
            for i in v.segments:
                holders[v.doc_id, int(fp.table.block[start + i])].add(k)
    return {key for key, held in holders.items() if len(held) > 1}


@settings(max_examples=20, deadline=None)
@given(st.data())
def test_shared_blocks_in_one_sort_are_the_blocks_the_plain_loop_finds(data: st.DataObject) -> None:
    table = data.draw(tables())
    stories = data.draw(stories_over(table))
    assert _shared_blocks(_fp(table), stories) == _plain_shared_blocks(_fp(table), stories)


def _plain_spans(
    rows: list[int], doc_of_row: np.ndarray, block_of_row: np.ndarray
) -> dict[int, tuple[int, int]]:
    at = np.array(rows, dtype=np.int64)
    order = np.argsort(doc_of_row[at], kind="stable")
    docs, blocks = doc_of_row[at][order], block_of_row[at][order]
    starts, _ = runs(docs)
    lows = np.minimum.reduceat(blocks, starts).tolist()
    highs = np.maximum.reduceat(blocks, starts).tolist()
    return dict(zip(docs[starts].tolist(), zip(lows, highs, strict=True), strict=True))


@settings(max_examples=20, deadline=None)
@given(st.data())
def test_block_spans_of_many_results_at_once_are_each_results_own(data: st.DataObject) -> None:
    table = data.draw(tables())
    n = len(table.block)
    rows_of = data.draw(st.lists(st.lists(st.integers(0, n - 1), min_size=1), max_size=6))
    doc_of_row = table.doc_numbers()
    found = _block_spans(rows_of, doc_of_row, table.block)
    assert found == [_plain_spans(rows, doc_of_row, table.block) for rows in rows_of]
    assert all(type(x) is int for spans in found for d, lh in spans.items() for x in (d, *lh))
    assert _block_spans([], doc_of_row, table.block) == []


@settings(max_examples=20, deadline=None)
@given(st.data())
def test_rows_located_at_once_are_located_one_by_one(data: st.DataObject) -> None:
    table = data.draw(tables())
    rows = data.draw(st.lists(st.integers(0, len(table.block) - 1)))
    assert table.located(rows) == [table.locate(r) for r in rows]


def test_documents_of_many_groups_at_once_are_each_groups_own() -> None:
    groups = np.array([0, 0, 2, 3, 3, 3, 6])
    carried = _Carriers.of(groups, np.array([0, 1, 2, 1, 2, 0, 4]))
    every = list(range(len(carried.group)))
    assert carried.docs_of(every) == [carried.docs(k) for k in every] == [[0, 1], [0, 1, 2]]
    assert carried.docs_of([1, 1, 0]) == [[0, 1, 2], [0, 1, 2], [0, 1]]
