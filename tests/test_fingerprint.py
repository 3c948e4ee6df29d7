from __future__ import annotations

import numpy as np
from datasketch import MinHash
from hypothesis import given
from hypothesis import strategies as st

from newsdedup.fingerprint import FingerprintOptions, fingerprint, shingle_hashes, tokens
from newsdedup.records import Segment


def _seg(i: int, text: str) -> Segment:
    return Segment(doc_id="d", index=i, start=0, end=len(text), text=text)


def test_normalisation_removes_house_style_differences() -> None:
    a = tokens("The U.S. economy “grew” 2.5% — analysts’ view")
    b = tokens('The US economy "grew" 2.5% - analysts\' view')
    assert a == b == ["the", "us", "economy", "grew", "2.5", "analysts", "view"]


def test_shingles_are_stable_and_order_sensitive() -> None:
    words = ["one", "two", "three", "four", "five", "six"]
    first = shingle_hashes(words, 5)
    assert len(first) == 2 and first.dtype == np.uint32
    assert np.array_equal(first, shingle_hashes(list(words), 5))
    assert not np.array_equal(first, shingle_hashes(words[::-1], 5))
    assert len(shingle_hashes(words[:4], 5)) == 0


def test_signatures_are_bit_identical_to_datasketch() -> None:
    texts = [" ".join(f"word{(i * 7 + j) % 97}" for j in range(20 + i * 13)) for i in range(40)] + [
        "too short"
    ]
    opts = FingerprintOptions()
    fp = fingerprint([_seg(i, t) for i, t in enumerate(texts)], opts)
    assert not fp.indexed[-1]
    for row in range(len(texts) - 1):
        reference = MinHash(num_perm=opts.num_perm, seed=opts.seed, hashfunc=lambda v: v)
        reference.update_batch([int(h) for h in fp.shingle_set(row)])
        assert np.array_equal(reference.hashvalues, fp.signatures[row])
        lean = fp.lean_minhash(row, opts)
        assert lean.jaccard(lean) == 1.0


@given(st.lists(st.text(min_size=1, max_size=40), min_size=8, max_size=60))
def test_a_segment_always_matches_itself(words: list[str]) -> None:
    text = " ".join(words)
    fp = fingerprint([_seg(0, text), _seg(1, text)], FingerprintOptions())
    assert np.array_equal(fp.signatures[0], fp.signatures[1])
    assert np.array_equal(fp.shingle_set(0), fp.shingle_set(1))
