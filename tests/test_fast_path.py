"""The fast path against plain datasketch: the speed must not change what is found."""

from __future__ import annotations

import numpy as np
from datasketch import MinHash, MinHashLSH

from benchmarks.corpus import generate
from benchmarks.evaluate import documents
from newsdedup.cluster import cluster
from newsdedup.fingerprint import fingerprint
from newsdedup.index import match_segments, verify
from newsdedup.pipeline import ScanOptions
from newsdedup.segment import segment


def test_fast_candidates_give_the_stories_of_plain_datasketch() -> None:
    """numpy band keys, chained duplicates and bounded buckets versus one `MinHash` per segment
    and `MinHashLSH` insert/query: every fast match is a plain match, and the stories are equal."""
    options = ScanOptions()
    docs = sorted(documents(generate(120, seed=21)), key=lambda d: d.id)
    fp = fingerprint([s for d in docs for s in segment(d, options.segment)], options.fingerprint)
    fast = match_segments(fp, options.index)

    num_perm, seed = options.fingerprint.num_perm, options.fingerprint.seed
    lsh = MinHashLSH(threshold=options.index.threshold, num_perm=num_perm)
    sketches = {}
    for row in np.flatnonzero(fp.indexed & ~fp.chrome).tolist():
        sketch = MinHash(num_perm=num_perm, seed=seed, hashfunc=lambda v: v)
        sketch.update_batch([int(h) for h in fp.shingle_set(row)])
        sketches[row] = sketch
    with lsh.insertion_session() as session:
        for row, sketch in sketches.items():
            session.insert(row, sketch)
    pairs = sorted(
        {(min(r, q), max(r, q)) for r, s in sketches.items() for q in lsh.query(s) if q != r}
    )
    left, right = (np.array(side, dtype=np.int64) for side in zip(*pairs, strict=True))
    plain = verify(fp, left, right, options.index)

    plain_pairs = set(zip(plain.left.tolist(), plain.right.tolist(), strict=True))
    assert set(zip(fast.left.tolist(), fast.right.tolist(), strict=True)) <= plain_pairs
    sites = {d.id: d.site for d in docs}
    fast_stories = cluster(fp, fast, sites, options.cluster).stories
    plain_stories = cluster(fp, plain, sites, options.cluster).stories
    assert len(fast_stories) >= 10
    assert [s.versions for s in fast_stories] == [s.versions for s in plain_stories]
