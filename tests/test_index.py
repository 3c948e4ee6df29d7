from __future__ import annotations

import numpy as np
import pytest

from newsdedup import index
from newsdedup.fingerprint import FingerprintOptions, fingerprint
from newsdedup.index import (
    IndexOptions,
    _pair_bound,
    _slice_counts,
    band_keys,
    candidates,
    intersections,
    lsh_bands,
    match_segments,
    runs,
    stable_order,
    verify,
)
from newsdedup.records import Segment

BASE = (
    "The central bank raised its benchmark interest rate by a quarter of a percentage point on "
    "Tuesday, its third increase this year, saying inflation in services remained stubbornly high "
    "while the labour market stayed tight and wage growth showed few signs of slowing down."
)
OTHER = (
    "Heavy rain flooded several districts of the coastal city overnight, forcing hundreds of "
    "families from their homes as emergency crews used boats to reach stranded residents and "
    "officials warned that more storms were expected before the weekend."
)


def _fp(*texts: str):  # type: ignore[no-untyped-def]
    segs = [Segment(f"d{i}", 0, 0, len(t), t) for i, t in enumerate(texts)]
    return fingerprint(segs, FingerprintOptions())


def _candidates(fp, opts: IndexOptions):  # type: ignore[no-untyped-def]
    return candidates([band_keys(fp.signatures, opts)], fp.indexed & ~fp.chrome, opts)


def test_bands_match_datasketch_choice() -> None:
    bands, rows = lsh_bands(0.5, 128)
    assert bands * rows <= 128 and (bands, rows) != (0, 0)


def test_copy_and_excerpt_match_unrelated_does_not() -> None:
    excerpt = BASE.split(", saying")[0] + "."
    fp = _fp(BASE, BASE.replace("Tuesday", "Wednesday"), excerpt, OTHER)
    m = match_segments(fp, IndexOptions())
    pairs = {(int(a), int(b)) for a, b in zip(m.left, m.right, strict=True)}
    assert (0, 1) in pairs  # light edit
    assert (0, 2) in pairs  # excerpt: low Jaccard, full containment
    assert not any(3 in p for p in pairs)
    excerpt_row = list(pairs).index((0, 2))
    assert m.containment[excerpt_row] == 1.0 and m.jaccard[excerpt_row] < 0.5


def test_exact_intersections_match_python_sets() -> None:
    fp = _fp(BASE, BASE[40:], OTHER, BASE + " " + OTHER)
    left, right = np.array([0, 0, 1, 2]), np.array([1, 2, 3, 3])
    got = intersections(fp, left, right)
    want = [
        len(set(fp.shingle_set(a).tolist()) & set(fp.shingle_set(b).tolist()))
        for a, b in zip(left, right, strict=True)
    ]
    assert got.tolist() == want
    # chunk by chunk in two threads: the same counts, in pair order
    assert intersections(fp, left, right, jobs=2, chunk=1).tolist() == want


def test_verification_rejects_lsh_false_positives() -> None:
    # A permissive LSH threshold proposes more pairs; exact verification must still drop them.
    fp = _fp(BASE, OTHER, OTHER.replace("city", "town"))
    loose = IndexOptions(threshold=0.05)
    left, _right = _candidates(fp, loose)
    m = match_segments(fp, loose)
    assert set(zip(m.left.tolist(), m.right.tolist(), strict=True)) == {(1, 2)}
    assert len(left) >= len(m)


def test_huge_buckets_stay_linear() -> None:
    fp = _fp(*([BASE] * 200))
    left, _ = _candidates(fp, IndexOptions(max_bucket_span=4))
    assert len(left) <= 200 * 4


def test_runs_of_an_empty_array_are_empty() -> None:
    starts, lengths = runs(np.array([], dtype=np.int64))
    assert len(starts) == 0 and len(lengths) == 0
    starts, lengths = runs(np.array([3, 3, 5]))
    assert starts.tolist() == [0, 2] and lengths.tolist() == [2, 1]


def test_stable_order_equals_a_stable_argsort() -> None:
    rng = np.random.default_rng(7)
    for size, distinct_keys in ((0, 1), (1, 1), (1000, 2**63), (1000, 30), (5000, 3)):
        keys = rng.integers(0, distinct_keys, size=size, dtype=np.uint64)
        assert stable_order(keys).tolist() == np.argsort(keys, kind="stable").tolist()


def test_shared_bound_is_never_below_the_exact_count() -> None:
    words = (BASE + " " + OTHER).split()
    long_text = " ".join(words * 12)  # over 255 shingles: saturated slice counts
    fp = _fp(BASE, BASE[40:], OTHER, BASE + " " + OTHER, long_text, long_text[300:])
    left, right = np.triu_indices(len(fp), 1)
    bound = _pair_bound(fp, left, right, 1, *_slice_counts(fp, left, right))
    assert (bound >= intersections(fp, left, right)).all()
    unrelated = bound[(left == 0) & (right == 2)][0]
    assert unrelated < 0.6 * len(fp.shingle_set(2))  # rejected before the exact count


def test_pairs_verified_a_few_at_a_time_are_those_verified_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Verification goes in chunks of pairs (bounded memory): the matches, their order and
    figures are the same whatever the chunk."""
    words = (BASE + " " + OTHER).split()
    fp = _fp(BASE, BASE[40:], OTHER, BASE + " " + OTHER, " ".join(words * 12), BASE[:150])
    left, right = np.triu_indices(len(fp), 1)
    whole = verify(fp, left, right, IndexOptions())
    assert len(whole) >= 3
    for chunk in (1, 2, 7):
        monkeypatch.setattr(index, "_VERIFY_PAIRS", chunk)
        part = verify(fp, left, right, IndexOptions(), jobs=2)
        for name in ("left", "right", "shared", "jaccard", "containment"):
            assert getattr(part, name).tolist() == getattr(whole, name).tolist()
    empty = np.empty(0, dtype=np.int64)
    assert len(verify(fp, empty, empty, IndexOptions())) == 0
