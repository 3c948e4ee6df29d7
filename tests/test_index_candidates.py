"""Candidate pairs gathered one range of pair keys at a time (bounded memory) are exactly the
pairs of gathering every band's pairs and making them unique at once."""

from __future__ import annotations

import numpy as np
import pytest

from newsdedup import index
from newsdedup.index import (
    IndexOptions,
    bucket_pairs,
    candidates,
    dealt_pairs,
    distinct,
    distinct_pairs,
    identical_chains,
)


def _plain(
    key_parts: list[np.ndarray], selectable: np.ndarray, opts: IndexOptions
) -> tuple[np.ndarray, np.ndarray]:
    """Every band's pairs joined, then one sort: what `candidates` did before it gathered
    the pairs a range of keys at a time."""
    keys = np.concatenate(key_parts, axis=1)
    selected = np.flatnonzero(selectable)
    n = len(selectable)
    chained, representative = identical_chains(keys[0][selected], selected, n)
    rows = selected[representative]
    found = [chained]
    for band in range(1, len(keys)):
        found += bucket_pairs(keys[band][selected][representative], rows, n, opts.max_bucket_span)
    unique = distinct(np.concatenate(found))
    left: np.ndarray = unique // n
    return left, unique % n


def _random_bands(rng: np.random.Generator, n: int, bands: int) -> list[np.ndarray]:
    """Band keys of `n` rows from a few values per band (buckets of every size, many
    pairs found in several bands) and some rows copied whole (identical signatures),
    cut into parts of random sizes as worker batches deliver them."""
    keys = rng.integers(0, rng.integers(2, 40), size=(bands + 1, n), dtype=np.uint64)
    copies = rng.choice(n, size=n // 4)
    keys[:, copies] = keys[:, rng.choice(n, size=len(copies))]
    cuts = np.sort(rng.choice(np.arange(1, n), size=min(n - 1, 3), replace=False))
    return np.split(keys, cuts, axis=1)


@pytest.mark.parametrize("parts", [1, 3, 32])
def test_candidates_by_key_ranges_are_the_plain_pairs(
    monkeypatch: pytest.MonkeyPatch, parts: int
) -> None:
    monkeypatch.setattr(index, "_PAIR_PARTS", parts)
    rng = np.random.default_rng(parts)
    for trial in range(25):
        n = int(rng.integers(2, 300))
        key_parts = _random_bands(rng, n, bands=int(rng.integers(1, 6)))
        selectable = rng.random(n) < 0.8
        opts = IndexOptions(max_bucket_span=int(rng.integers(1, 5)))
        expected = _plain(key_parts, selectable, opts)
        for jobs in (1, 2):
            left, right = candidates(key_parts, selectable, opts, jobs)
            assert left.dtype == right.dtype == np.int64
            assert left.tolist() == expected[0].tolist(), (trial, jobs)
            assert right.tolist() == expected[1].tolist(), (trial, jobs)
    assert len(expected[0]) > 0  # the trials found pairs


def test_distinct_pairs_of_dealt_keys_are_the_unique_keys() -> None:
    rng = np.random.default_rng(5)
    n = 1000
    cuts = index._partition_cuts(n, 7)
    bands = [rng.integers(0, n * n, size=int(rng.integers(0, 3000))) for _ in range(6)]
    bands.append(bands[0][:500].copy())  # keys found again in another band
    dealt = [dealt_pairs(keys, cuts) for keys in bands]
    left, right = distinct_pairs(dealt, n)
    unique = np.unique(np.concatenate(bands))
    assert left.tolist() == (unique // n).tolist()
    assert right.tolist() == (unique % n).tolist()
    assert all(len(part) == 0 for parts in dealt for part in parts)  # emptied on the way
    assert [len(a) for a in distinct_pairs([], n)] == [0, 0]


def test_distinct_is_numpy_unique() -> None:
    rng = np.random.default_rng(9)
    for size in (0, 1, 2, 50, 5000):
        values = rng.integers(0, max(1, size // 3), size=size)
        assert distinct(values).tolist() == np.unique(values).tolist()
