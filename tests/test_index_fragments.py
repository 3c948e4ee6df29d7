"""The paraphrase channel's fragment links, gathered one slice of the hash range and one
range of pair keys at a time (bounded memory), are exactly the links of counting every
shared shingle of every row pair at once."""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import numpy as np
import pytest

from newsdedup import index
from newsdedup.fingerprint import Fingerprints
from newsdedup.index import fragment_links, slice_keys, slice_sizes
from newsdedup.segment import SegmentTable


def _fingerprints(rng: np.random.Generator, n: int, alphabet: int, longest: int) -> Fingerprints:
    """`n` rows of sorted unique shingles drawn from `alphabet` values spread over the whole
    hash range, so that rows share shingles in every slice."""
    values = rng.integers(0, 2**32, size=alphabet, dtype=np.uint64).astype(np.uint32)
    rows = [np.unique(rng.choice(values, size=rng.integers(0, longest + 1))) for _ in range(n)]
    offsets = np.concatenate([[0], np.cumsum([len(r) for r in rows])]).astype(np.int64)
    zeros = np.zeros(n, dtype=np.int64)
    return Fingerprints(
        table=SegmentTable((), np.zeros(1, dtype=np.int64), zeros, zeros, zeros),
        shingles=np.concatenate(rows).astype(np.uint32) if n else np.empty(0, np.uint32),
        offsets=offsets,
        signatures=np.empty((0, 128), dtype=np.uint32),
        indexed=np.ones(n, dtype=bool),
        chrome=np.zeros(n, dtype=bool),
    )


def _plain_links(
    fp: Fingerprints,
    doc_of_row: np.ndarray,
    owner_of_row: np.ndarray,
    usable: np.ndarray,
    max_rows: int,
    max_owners: int,
    min_shared: int,
) -> list[tuple[int, int, int]]:
    """(left, right, shared shingles) by the rule's words, one shingle at a time: a shingle
    of 2 to `max_rows` usable rows and 2 to `max_owners` owners links each pair of its rows
    of different owners and documents."""
    carriers: dict[int, list[int]] = {}
    for row in np.flatnonzero(usable).tolist():
        for value in fp.shingles[fp.offsets[row] : fp.offsets[row + 1]].tolist():
            carriers.setdefault(value, []).append(row)
    shared: Counter[tuple[int, int]] = Counter()
    for rows in carriers.values():
        owners = {int(owner_of_row[r]) for r in rows}
        if not (2 <= len(rows) <= max_rows and 2 <= len(owners) <= max_owners):
            continue
        for a, b in combinations(sorted(rows), 2):
            if owner_of_row[a] != owner_of_row[b] and doc_of_row[a] != doc_of_row[b]:
                shared[a, b] += 1
    return sorted((a, b, k) for (a, b), k in shared.items() if k >= min_shared)


@pytest.mark.parametrize(("per_slice", "parts"), [(10**9, 1), (40, 3), (12, 32)])
def test_fragment_links_by_slices_and_ranges_are_the_plain_links(
    monkeypatch: pytest.MonkeyPatch, per_slice: int, parts: int
) -> None:
    monkeypatch.setattr(index, "_SLICE_SHINGLES", per_slice)  # 8 to 64 slices
    monkeypatch.setattr(index, "_PAIR_PARTS", parts)
    monkeypatch.setattr(index, "_ROW_CHUNK", 7)  # rows counted in several blocks
    rng = np.random.default_rng(parts)
    found = 0
    for trial in range(6):
        n = int(rng.integers(0, 120))
        fp = _fingerprints(rng, n, alphabet=int(rng.integers(5, 200)), longest=12)
        doc_of_row = np.sort(rng.integers(0, max(1, n // 3), size=n))
        story = rng.integers(-1, 4, size=n)  # -1: outside any story, owned by its document
        owner_of_row = np.where(story >= 0, story, -1 - doc_of_row)
        usable = rng.random(n) < 0.9
        max_rows, max_owners = int(rng.integers(2, 12)), int(rng.integers(2, 5))
        for min_shared in (1, 2):
            expected = _plain_links(
                fp, doc_of_row, owner_of_row, usable, max_rows, max_owners, min_shared
            )
            found += len(expected)
            for jobs in (1, 2):
                links = fragment_links(
                    fp, doc_of_row, owner_of_row, usable, max_rows, max_owners, jobs, min_shared
                )
                assert links.left.dtype == links.right.dtype == links.shared.dtype == np.int64
                got = list(
                    zip(*(x.tolist() for x in (links.left, links.right, links.shared)), strict=True)
                )
                assert got == expected, (trial, min_shared, jobs)
    assert found > 0  # the trials found links


@pytest.mark.parametrize("longest", [30, 140_000])  # two-byte counts, and four past 65,535
def test_slice_keys_are_each_rows_shingles_in_the_slice(
    monkeypatch: pytest.MonkeyPatch, longest: int
) -> None:
    monkeypatch.setattr(index, "_ROW_CHUNK", 5)
    rng = np.random.default_rng(longest)
    n = 12 if longest < 2**16 else 3
    fp = _fingerprints(rng, n, alphabet=2**22, longest=longest)
    rows = np.flatnonzero(rng.random(n) < 0.7) if longest < 2**16 else np.arange(n)
    sizes = fp.offsets[rows + 1] - fp.offsets[rows]
    keys = np.concatenate(
        [
            (fp.shingles[fp.offsets[r] : fp.offsets[r + 1]].astype(np.uint64) << np.uint64(32))
            | np.uint64(r)
            for r in rows
        ]
    )
    for bits in (3, 5):
        counts = slice_sizes(fp, rows, bits, jobs=2)
        assert counts.dtype == (np.uint16 if sizes.max() < 2**16 else np.uint32)
        top = keys >> np.uint64(64 - bits)
        for k in range(1 << bits):
            got = np.sort(slice_keys(fp, rows, counts, k))
            assert np.array_equal(got, np.sort(keys[top == k])), (bits, k)
    assert (sizes.max() >= 2**16) == (longest > 2**16)
