"""`fingerprint._sorted_distinct` (one argsort) gives what `np.unique` gives with its
inverse, on any keys: the token numbering of `_spelled_hashes` rests on it."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdedup import fingerprint

_KEYS = st.lists(
    st.one_of(st.integers(0, 5), st.integers(0, 2**64 - 1), st.sampled_from([2**63, 2**64 - 1])),
    min_size=1,
    max_size=300,
)


@settings(max_examples=60, deadline=None)
@given(_KEYS)
def test_sorted_distinct_is_unique_with_its_inverse(values: list[int]) -> None:
    keys = np.array(values, dtype=np.uint64)
    distinct, ids, first = fingerprint._sorted_distinct(keys)
    expected, inverse = np.unique(keys, return_inverse=True)
    assert distinct.dtype == keys.dtype
    assert distinct.tolist() == expected.tolist()
    assert ids.tolist() == inverse.tolist()
    assert keys[first].tolist() == expected.tolist()  # an index of each distinct key


def test_many_repeats_in_a_long_array() -> None:
    rng = np.random.default_rng(3)
    keys = rng.integers(0, 5000, size=200_000).astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    distinct, ids, first = fingerprint._sorted_distinct(keys)
    assert (distinct[ids] == keys).all()
    assert (np.diff(distinct.view(np.uint64)) > 0).all()
    assert (keys[first] == distinct).all()
