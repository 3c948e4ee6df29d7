"""The lookup's counting done in numpy and its early stops (issue 19's latency work) give what
the plain Python rules give: `near_buckets` is `near_members` of every segment, `_in_turns`
is a bucket's documents taken in turns, first `limit` of them."""

from __future__ import annotations

import itertools
import random

import numpy as np
from helpers import near_members

from newsdedup.store.archive import _in_turns
from newsdedup.store.base import near_buckets


def _buckets(rng: random.Random) -> tuple[np.ndarray, dict[int, list[int]]]:
    """Band keys of a few segments (some keys shared between segments or repeated within
    one, some with no bucket) and the buckets the index holds: small and large, with
    passages that recur across a segment's buckets as near copies do."""
    segments, bands = rng.randint(0, 6), rng.randint(1, 5)
    pool = list(range(-40, 40))  # passages (negative: int64 views of large uint64 keys)
    held = {k: sorted(rng.sample(pool, rng.choice([1, 2, 5, 12, 30]))) for k in range(30)}
    keys = np.array(
        [[rng.choice([*held, 100, 101]) for _ in range(segments)] for _ in range(bands)],
        dtype=np.int64,
    ).reshape(bands, segments)
    return keys, held


def test_near_buckets_equals_near_members_of_each_segment() -> None:
    rng = random.Random(19)
    for _ in range(300):
        keys, held = _buckets(rng)
        rows = [(k, p) for k, members in held.items() for p in members]
        rng.shuffle(rows)  # a backend's rows come in any order
        table = np.array(rows, dtype=np.int64).reshape(-1, 2)
        for cap in (0, 1, 4, 16):
            expected = [near_members([held[k] for k in row if k in held], cap) for row in keys.T]
            assert near_buckets(keys, table[:, 0], table[:, 1], cap) == expected


def test_near_buckets_of_nothing_found() -> None:
    keys = np.array([[1, 2], [3, 4]], dtype=np.int64)
    empty = np.zeros(0, dtype=np.int64)
    assert near_buckets(keys, empty, empty, 16) == [[], []]


def test_a_bucket_s_documents_in_turns_stop_at_the_limit() -> None:
    rng = random.Random(20)
    for _ in range(300):
        lists = [
            [f"d{rng.randint(0, 12)}" for _ in range(rng.randint(0, 5))]
            for _ in range(rng.randint(0, 6))
        ]
        for limit in (0, 1, 3, 16):
            turns = itertools.zip_longest(*lists)
            mixed = dict.fromkeys(i for turn in turns for i in turn if i is not None)
            assert _in_turns(lists, limit) == list(itertools.islice(mixed, limit))
