"""Candidate segment pairs from LSH band keys, then exact verification.

`scan` sees the whole corpus at once, so instead of one `MinHashLSH.insert` and
`query` per segment (about 125 µs each in datasketch 2.x) the band keys of all
signatures are computed and sorted in numpy; segments that share a key in any
band are candidates. The banding (b bands of r rows) is the one
`datasketch.MinHashLSH` picks for the same threshold and permutation count, so
a persistent `MinHashLSH` index returns the same candidates.

Candidates are then verified on the exact shingle sets: LSH only proposes, and
no pair reaches the output on an estimate.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import pairwise
from typing import TypeVar

import numpy as np
from datasketch.lsh import _optimal_param

from .fingerprint import Fingerprints

_R = TypeVar("_R")


@dataclass(frozen=True, slots=True)
class IndexOptions:
    """LSH threshold (Jaccard on estimated signatures) and the exact acceptance rule."""

    threshold: float = 0.2
    min_jaccard: float = 0.5
    min_containment: float = 0.6
    min_shared: int = 6
    max_bucket_span: int = 32

    def __post_init__(self) -> None:
        for name in ("threshold", "min_jaccard", "min_containment"):
            if not 0.0 < getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be in (0, 1]")


@dataclass(frozen=True, eq=False)
class Matches:
    """Verified segment pairs (row numbers into `Fingerprints`), left < right."""

    left: np.ndarray
    right: np.ndarray
    shared: np.ndarray
    jaccard: np.ndarray
    containment: np.ndarray

    def __len__(self) -> int:
        return len(self.left)


def lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) as `datasketch.MinHashLSH(threshold, num_perm)` would choose them."""
    bands, rows = _optimal_param(threshold, num_perm, 0.5, 0.5)
    return int(bands), int(rows)


def band_keys(signatures: np.ndarray, opts: IndexOptions) -> np.ndarray:
    """LSH keys of every row: (bands + 1, rows) uint64, the whole signature's key first.

    A key is a random linear combination of a band's values, so equal bands
    give equal keys. Computed where the signatures are made (in the
    fingerprinting workers), the 512-byte signatures never travel between
    processes nor pile up for the whole corpus: keys cost 8 bytes a band.
    Rows go in blocks, so the uint64 copy of a 128-wide signature matrix never
    exists whole; integer matrix products wrap, as the combination should.
    """
    num_perm = signatures.shape[1]
    bands, width = _banding(opts.threshold, num_perm)
    rng = np.random.default_rng(0x5EED)
    whole = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) | np.uint64(1)
    mixers = rng.integers(1, 2**63, size=width, dtype=np.uint64) | np.uint64(1)
    keys = np.empty((bands + 1, len(signatures)), dtype=np.uint64)
    for lo in range(0, len(signatures), _KEY_BLOCK):
        block = signatures[lo : lo + _KEY_BLOCK].astype(np.uint64)
        keys[0, lo : lo + _KEY_BLOCK] = block @ whole
        banded = block[:, : bands * width].reshape(len(block), bands, width)
        keys[1:, lo : lo + _KEY_BLOCK] = (banded @ mixers).T
    keys[1:] ^= np.arange(bands, dtype=np.uint64)[:, None]
    return keys


# datasketch finds the banding by numerical integration: about 60 ms a call.
_banding = functools.cache(lsh_bands)


def candidates(
    key_parts: Sequence[np.ndarray], selectable: np.ndarray, opts: IndexOptions, jobs: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """Unique row pairs (left < right) of `selectable` rows that share an LSH band key.

    `key_parts` are `band_keys` of consecutive row ranges (one per worker
    batch); a band's column is joined only while that band is bucketed.
    Segments with identical signatures (verbatim copies, repeated chrome) are
    chained to each other and only one of them goes through the bands, so a
    paragraph copied fifty times costs fifty pairs, not fifty squared per band.
    A bucket of k segments yields pairs only between members at most
    `max_bucket_span` apart in sorted order: huge buckets (boilerplate that
    recurs in thousands of pages) stay connected without k² pairs. Bands are
    bucketed in `jobs` threads.
    """
    selected = np.flatnonzero(selectable)
    n = len(selectable)
    empty = np.empty(0, dtype=np.int64)
    if len(selected) < 2:
        return empty, empty

    def column(k: int) -> np.ndarray:
        joined: np.ndarray = np.concatenate([part[k] for part in key_parts])[selected]
        return joined

    chained, representative = identical_chains(column(0), selected, n)
    rows = selected[representative]
    cuts = _partition_cuts(n, _PAIR_PARTS)

    def bucket(band: int) -> list[np.ndarray]:
        pairs = bucket_pairs(column(band)[representative], rows, n, opts.max_bucket_span)
        return dealt_pairs(np.concatenate(pairs) if pairs else empty, cuts)

    dealt = [dealt_pairs(chained, cuts), *threaded(bucket, range(1, len(key_parts[0])), jobs)]
    del chained
    return distinct_pairs(dealt, n)


_PAIR_PARTS = 32
_NO_PAIRS = np.empty(0, dtype=np.int64)


def _partition_cuts(n: int, parts: int) -> np.ndarray:
    """The pair keys at which each of `parts` ranges of left rows starts (after the first)."""
    return np.arange(1, parts, dtype=np.int64) * n // parts * n


def dealt_pairs(keys: np.ndarray, cuts: np.ndarray) -> list[np.ndarray]:
    """`keys` sorted and cut at `cuts` into copies, one per range of pair keys: a band's
    pairs leave its working arrays as soon as it is bucketed."""
    ordered = np.sort(keys)
    bounds = [0, *np.searchsorted(ordered, cuts).tolist(), len(ordered)]
    return [ordered[lo:hi].copy() for lo, hi in pairwise(bounds)]


def distinct_pairs(dealt: list[list[np.ndarray]], n: int) -> tuple[np.ndarray, np.ndarray]:
    """(left, right) rows of the distinct pair keys in `dealt` (`dealt_pairs` of each band,
    cut at the same keys), ascending by key: what `distinct` of all the keys gives.

    One range of keys at a time is joined, sorted and made unique, its parts emptied in
    `dealt` as it goes, and each range's unique keys are dropped once split into rows: the
    candidates exist about once at any time plus one range's working copies. Joining and
    sorting all of them at once held three copies of every band's pairs and made the peak
    of a 100k scan (docs/performance.md)."""
    ranges = []
    for k in range(len(dealt[0]) if dealt else 0):
        keys = np.concatenate([parts[k] for parts in dealt])
        for parts in dealt:
            parts[k] = _NO_PAIRS
        keys.sort()
        ranges.append(keys[firsts(keys)])
        del keys
    total = sum(len(keys) for keys in ranges)
    left, right = np.empty(total, dtype=np.int64), np.empty(total, dtype=np.int64)
    at = 0
    for k, keys in enumerate(ranges):
        np.floor_divide(keys, n, out=left[at : at + len(keys)])
        np.remainder(keys, n, out=right[at : at + len(keys)])
        at += len(keys)
        ranges[k] = _NO_PAIRS
    return left, right


def identical_chains(whole: np.ndarray, rows: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Pair keys chaining `rows` (ascending) of equal whole-signature keys, each to the next
    in row order, and the positions in `rows` of one representative per key (its first).

    Only representatives go through the bands. A distributed scan calls this per hash
    partition of the whole keys: the chains and representatives of a key depend only on
    its own rows, so the union over partitions is what one call over all rows gives."""
    order = stable_order(whole)
    same = whole[order][1:] == whole[order][:-1]
    chained = _pair_keys(rows[order[:-1][same]], rows[order[1:][same]], n)
    representative: np.ndarray = np.sort(order[np.r_[True, ~same]])
    return chained, representative


def bucket_pairs(keys: np.ndarray, rows: np.ndarray, n: int, max_span: int) -> list[np.ndarray]:
    """Pair keys of `rows` (ascending) sharing a band key, each at most `max_span` apart in
    row order within its bucket. A bucket's pairs depend only on its members, so a
    distributed scan calls this per hash partition of a band's keys."""
    order = stable_order(keys)
    sorted_keys = keys[order]
    pairs = []
    for span in range(1, max_span + 1):
        hit = sorted_keys[:-span] == sorted_keys[span:]
        if not hit.any():
            break
        pairs.append(_pair_keys(rows[order[:-span][hit]], rows[order[span:][hit]], n))
    return pairs


_KEY_BLOCK = 16384
_LOW32 = np.uint64(0xFFFFFFFF)


def stable_order(keys: np.ndarray) -> np.ndarray:
    """`np.argsort(keys, kind="stable")`, four times faster on 64-bit keys, which numpy sorts
    stably only by merging: an unstable sort, then equal keys ordered by position (the order
    decides which members of a huge bucket are paired, so it must not vary)."""
    order = np.argsort(keys)
    tied = keys[order][1:] == keys[order][:-1]
    if not tied.any():
        return order
    run = np.cumsum(np.r_[True, ~tied])  # number of each run of equal keys
    in_tie = np.flatnonzero(np.r_[tied, False] | np.r_[False, tied])
    ranked = run[in_tie] * len(keys) + order[in_tie]  # runs in order, positions within
    ranked.sort()
    order[in_tie] = ranked % len(keys)
    return order


def distinct(values: np.ndarray) -> np.ndarray:
    """Sorted unique values; numpy 2's `np.unique` hashes integers first, which is slower
    than a sort for the million-element arrays of a scan."""
    ordered = np.sort(values)
    kept: np.ndarray = ordered[firsts(ordered)]
    return kept


def firsts(sorted_values: np.ndarray) -> np.ndarray:
    """Mask of the first of each run of equal values in a sorted array: one byte a value,
    where `runs` makes starts and lengths of eight bytes each."""
    first = np.ones(len(sorted_values), dtype=bool)
    np.not_equal(sorted_values[1:], sorted_values[:-1], out=first[1:])
    return first


def runs(sorted_values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(start, length) of each run of equal values in a sorted array."""
    if len(sorted_values) == 0:
        return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
    starts = np.flatnonzero(firsts(sorted_values))
    return starts, np.diff(np.r_[starts, len(sorted_values)])


def _pair_keys(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    keys: np.ndarray = np.minimum(a, b) * n + np.maximum(a, b)
    return keys


def intersections(
    fp: Fingerprints, left: np.ndarray, right: np.ndarray, jobs: int = 1, chunk: int = 100_000
) -> np.ndarray:
    """Exact |A ∩ B| of shingle sets for many pairs at once, chunks in `jobs` threads.

    Both sets of each pair are gathered, tagged with the pair number and
    sorted; a value present in both appears twice in a row. One vectorised
    pass per chunk instead of one `intersect1d` call per pair.
    """

    def count(lo: int) -> np.ndarray:
        a, b = left[lo : lo + chunk], right[lo : lo + chunk]
        pair_ids = np.arange(len(a), dtype=np.uint64)
        tagged = np.concatenate([_gather(fp, a, pair_ids), _gather(fp, b, pair_ids)])
        tagged.sort()
        dup = tagged[1:] == tagged[:-1]
        return np.bincount((tagged[1:][dup] >> np.uint64(32)).astype(np.int64), minlength=len(a))

    counts = threaded(count, range(0, len(left), chunk), jobs)
    return np.concatenate(counts) if counts else np.zeros(0, dtype=np.int64)


def threaded(fn: Callable[[int], _R], items: Iterable[int], jobs: int) -> list[_R]:
    """`fn` over `items` in `jobs` threads (at most `_MAX_THREADS`), results in order: for
    numpy work on large arrays (sorts, gathers, arithmetic), which runs without the
    interpreter lock, so threads share it out without copying the corpus's arrays to
    processes. Each thread holds one item's working arrays: the cap bounds that memory on a
    machine of many cores, where memory bandwidth, not cores, limits such work anyway."""
    if jobs <= 1:
        return [fn(item) for item in items]
    with ThreadPoolExecutor(max_workers=min(jobs, _MAX_THREADS)) as pool:
        return list(pool.map(fn, items))


_MAX_THREADS = 4


def _gather(fp: Fingerprints, rows: np.ndarray, pair_ids: np.ndarray) -> np.ndarray:
    """Shingles of `rows`, each as (pair id << 32 | shingle) in one uint64 array."""
    starts = fp.offsets[rows]
    lengths = fp.offsets[rows + 1] - starts
    # position of each gathered shingle in `fp.shingles`: two repeats, updated in place
    take = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    take += np.arange(len(take))
    tagged: np.ndarray = np.repeat(pair_ids << np.uint64(32), lengths)
    tagged |= fp.shingles[take]
    return tagged


def set_sizes(fp: Fingerprints, rows: np.ndarray) -> np.ndarray:
    sizes: np.ndarray = fp.offsets[rows + 1] - fp.offsets[rows]
    return sizes


def verify(
    fp: Fingerprints, left: np.ndarray, right: np.ndarray, opts: IndexOptions, jobs: int = 1
) -> Matches:
    """Keep pairs whose exact Jaccard or containment (of the smaller set) passes.

    Most candidates fail, so the rule is first applied to an upper bound of
    their shared shingles (`_pair_bound`): the rule only gets easier to pass
    as the shared count grows (in floating point too), so a pair failing at
    its bound fails at its exact count, and only the rest are counted exactly.
    Pairs go `_VERIFY_PAIRS` at a time: a corpus of word salad yields tens of
    millions of candidates, whose per-pair figures (sizes, bound, Jaccard,
    containment: eight bytes each) made the peak of a 100k scan; the rows' slice
    counts are made once for all of them.
    """
    counts, position = _slice_counts(fp, left, right, jobs)
    found = [
        _verify_chunk(
            fp,
            left[lo : lo + _VERIFY_PAIRS],
            right[lo : lo + _VERIFY_PAIRS],
            opts,
            jobs,
            counts,
            position,
        )
        for lo in range(0, len(left), _VERIFY_PAIRS)
    ] or [_verify_chunk(fp, left, right, opts, jobs, counts, position)]
    return Matches(*(np.concatenate([getattr(m, f) for m in found]) for f in _MATCH_FIELDS))


_VERIFY_PAIRS = 4_000_000
_MATCH_FIELDS = ("left", "right", "shared", "jaccard", "containment")


def _verify_chunk(
    fp: Fingerprints,
    left: np.ndarray,
    right: np.ndarray,
    opts: IndexOptions,
    jobs: int,
    counts: np.ndarray,
    position: np.ndarray,
) -> Matches:
    size_l, size_r = set_sizes(fp, left), set_sizes(fp, right)
    bound = _pair_bound(fp, left, right, jobs, counts, position)
    possible = _accepted(bound, size_l, size_r, opts)[0]
    del bound
    left, right, size_l, size_r = (
        left[possible],
        right[possible],
        size_l[possible],
        size_r[possible],
    )
    shared = intersections(fp, left, right, jobs)
    keep, jaccard, containment = _accepted(shared, size_l, size_r, opts)
    return Matches(left[keep], right[keep], shared[keep], jaccard[keep], containment[keep])


def _accepted(
    shared: np.ndarray, size_l: np.ndarray, size_r: np.ndarray, opts: IndexOptions
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(passes, Jaccard, containment of the smaller set) of pairs sharing `shared` shingles."""
    jaccard = shared / np.maximum(size_l + size_r - shared, 1)
    containment = shared / np.maximum(np.minimum(size_l, size_r), 1)
    passes = (shared >= opts.min_shared) & (
        (jaccard >= opts.min_jaccard) | (containment >= opts.min_containment)
    )
    return passes, jaccard, containment


def _slice_counts(
    fp: Fingerprints, left: np.ndarray, right: np.ndarray, jobs: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """(counts, position): each row used by a pair, its shingles counted per slice of the hash
    range (`counts[position[row]]`). A count is kept in a byte, saturating at 255: the bound
    stays exact while the smaller set has at most 255 shingles; above that the bound is the
    smaller size. Blocks of rows go in `jobs` threads, each filling its own part."""
    used = np.zeros(len(fp.offsets) - 1, dtype=bool)
    used[left] = used[right] = True
    rows = np.flatnonzero(used)
    position = np.cumsum(used, dtype=np.int32) - 1  # a used row's place in `rows`
    del used
    buckets = 1 << _BOUND_BITS
    counts = np.empty((len(rows), buckets), dtype=np.uint8)

    def count(lo: int) -> None:
        chunk = rows[lo : lo + _BOUND_ROWS]
        tagged = _gather(fp, chunk, np.arange(len(chunk), dtype=np.uint64))
        # (position in chunk << 32 | shingle) >> (32 - bits): position, then the shingle's slice
        slot = tagged.view(np.int64) >> (32 - _BOUND_BITS)
        found = np.bincount(slot, minlength=len(chunk) * buckets).reshape(len(chunk), buckets)
        counts[lo : lo + len(chunk)] = np.minimum(found, 255)

    threaded(count, range(0, len(rows), _BOUND_ROWS), jobs)
    return counts, position


def _pair_bound(
    fp: Fingerprints,
    left: np.ndarray,
    right: np.ndarray,
    jobs: int,
    counts: np.ndarray,
    position: np.ndarray,
) -> np.ndarray:
    """An upper bound of |A ∩ B| for each pair: over 2**`_BOUND_BITS` slices of the hash
    range, the sum of the smaller of the two sets' counts in each slice (`_slice_counts`,
    counted once per row), compared per pair in 64 bytes, where the exact count gathers and
    sorts every shingle of both sets. Blocks of pairs go in `jobs` threads, each filling its
    own part."""
    bound = np.empty(len(left), dtype=np.int64)

    def compare(lo: int) -> None:
        pair = slice(lo, lo + _BOUND_ROWS)
        a, b = position[left[pair]], position[right[pair]]
        bound[pair] = np.minimum(counts[a], counts[b]).sum(axis=1, dtype=np.uint16)

    threaded(compare, range(0, len(left), _BOUND_ROWS), jobs)
    smaller = np.minimum(set_sizes(fp, left), set_sizes(fp, right))
    found_bound: np.ndarray = np.where(smaller <= 255, bound, smaller)
    return found_bound


_BOUND_BITS = 6
_BOUND_ROWS = 50_000


def match_segments(
    fp: Fingerprints,
    opts: IndexOptions,
    key_parts: list[np.ndarray] | None = None,
    jobs: int = 1,
) -> Matches:
    """Verified pairs among `fp`'s rows; `key_parts` defaults to the keys of `fp.signatures`.

    Chrome (cue-phrase) segments never join a passage group, so they need no
    candidates; they are also the largest buckets. `jobs` threads share the work.
    `key_parts` is emptied once the candidates are found: the keys (8 bytes a band a
    row, 0.4 GB for 100k articles) are not held through verification.
    """
    keys = [band_keys(fp.signatures, opts)] if key_parts is None else key_parts
    left, right = candidates(keys, fp.indexed & ~fp.chrome, opts, jobs)
    keys.clear()
    return verify(fp, left, right, opts, jobs)


@dataclass(frozen=True, eq=False)
class FragmentLinks:
    """Row pairs that share scattered rare shingles: the trace a paraphrase leaves."""

    left: np.ndarray
    right: np.ndarray
    shared: np.ndarray


_SLICE_SHINGLES = 6_000_000  # shingles a slice of the hash range holds, about, or fewer
_MIN_SLICE_BITS, _MAX_SLICE_BITS = 3, 8
_ROW_CHUNK = 50_000


def _slice_bits(shingles: int) -> int:
    """Bits of the hash range that name a slice: at least 8 slices (threads share them out),
    more as the corpus grows, so that one slice's working arrays stay bounded."""
    wanted = max(1, -(-shingles // _SLICE_SHINGLES))  # ceiling division
    return min(max((wanted - 1).bit_length(), _MIN_SLICE_BITS), _MAX_SLICE_BITS)


def slice_sizes(fp: Fingerprints, rows: np.ndarray, bits: int, jobs: int = 1) -> np.ndarray:
    """How many shingles each of `rows` has in each of the 2**`bits` slices of the hash range
    (by their top bits): (len(rows), 2**bits). A row's shingles are sorted, so those of a
    slice lie together and these counts locate them (`slice_keys`). Two bytes a count where
    no row can overflow them; rows go in blocks, in `jobs` threads."""
    parts = 1 << bits
    sizes = fp.offsets[rows + 1] - fp.offsets[rows]
    wide = len(sizes) > 0 and int(sizes.max()) > np.iinfo(np.uint16).max
    counts = np.empty((len(rows), parts), dtype=np.uint32 if wide else np.uint16)

    def count(lo: int) -> None:
        chunk = rows[lo : lo + _ROW_CHUNK]
        tagged = _gather(fp, chunk, np.arange(len(chunk), dtype=np.uint64))
        # (position in chunk << 32 | shingle) >> (32 - bits): position, then the slice
        slot = tagged.view(np.int64) >> (32 - bits)
        del tagged
        found = np.bincount(slot, minlength=len(chunk) * parts)
        counts[lo : lo + len(chunk)] = found.reshape(len(chunk), parts)

    threaded(count, range(0, len(rows), _ROW_CHUNK), jobs)
    return counts


def slice_keys(fp: Fingerprints, rows: np.ndarray, counts: np.ndarray, k: int) -> np.ndarray:
    """Every shingle of `rows` in slice `k` of the hash range, as (shingle << 32 | row),
    unsorted; `counts` is `slice_sizes` of the rows. Gathered straight from `fp`: no slice
    is made before it is needed, so the corpus's shingles never exist twice (eight bytes
    each, tagged with their row) for the whole channel."""
    taken = counts[:, k].astype(np.int64)
    begin = fp.offsets[rows] + counts[:, :k].sum(axis=1, dtype=np.int64)
    # position of each shingle taken in `fp.shingles`: a repeat updated in place
    take = np.repeat(begin - np.cumsum(taken) + taken, taken)
    del begin
    take += np.arange(len(take))
    keyed: np.ndarray = fp.shingles[take].astype(np.uint64)
    del take
    keyed <<= np.uint64(32)
    keyed |= np.repeat(rows.astype(np.uint64), taken)
    return keyed


def fragment_links(
    fp: Fingerprints,
    doc_of_row: np.ndarray,
    owner_of_row: np.ndarray,
    usable: np.ndarray,
    max_rows: int,
    max_owners: int,
    jobs: int = 1,
    min_shared: int = 1,
) -> FragmentLinks:
    """Count shingles shared by `usable` rows of different owners and documents; keep the
    row pairs sharing at least `min_shared`.

    A paraphrase keeps names, numbers and quoted fragments but few whole
    sentences, so its segments never verify as copies; what it keeps is a trail
    of rare 5-word sequences. An owner is a story, or a document for its rows
    outside any story: rows of one owner are already explained, so they are
    never paired. A shingle carried by more than `max_owners` owners is a
    stock phrase ("declined to comment on the"), not a trail; more than
    `max_rows` rows bounds the pair count. The slices of the hash range are
    gathered and paired in `jobs` threads: the work is numpy sorts and gathers,
    which run without the interpreter lock. Each slice's pairs are cut into
    ranges of pair keys as it finishes, and the slices' counts are summed one range
    at a time: the pairs of the whole corpus are never sorted at once, and most
    (sharing one or two shingles) are dropped range by range.
    """
    rows = np.flatnonzero(usable)
    bits = _slice_bits(int(fp.offsets[rows + 1].sum() - fp.offsets[rows].sum()))
    located = [slice_sizes(fp, rows, bits, jobs)]  # emptied once every slice is paired
    cuts = _partition_cuts(len(fp), _PAIR_PARTS)

    def pair(k: int) -> list[tuple[np.ndarray, np.ndarray]]:
        keyed = slice_keys(fp, rows, located[0], k)
        keyed.sort()
        _, sizes = runs(keyed >> np.uint64(32))
        keyed = keyed[np.repeat((sizes >= 2) & (sizes <= max_rows), sizes)]
        del sizes
        values, row_of = (
            (keyed >> np.uint64(32)).astype(np.uint32),
            (keyed & _LOW32).astype(np.int64),
        )
        del keyed
        found = _cross_owner_pairs(values, row_of, doc_of_row, owner_of_row, max_owners)
        del values, row_of
        ordered = np.concatenate(found) if found else _NO_PAIRS
        del found
        ordered.sort()
        return _counted_ranges(ordered, cuts)

    found = threaded(pair, range(1 << bits), jobs)
    located.clear()
    return _summed_links(found, len(fp), min_shared)


def _counted_ranges(ordered: np.ndarray, cuts: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Distinct keys of `ordered` (sorted) with how often each occurs, cut at `cuts` into
    one (keys, counts) per range of keys."""
    starts, lengths = runs(ordered)
    keys, count = ordered[starts], lengths.astype(np.uint32)
    del starts, lengths
    bounds = [0, *np.searchsorted(keys, cuts).tolist(), len(keys)]
    return [(keys[lo:hi].copy(), count[lo:hi].copy()) for lo, hi in pairwise(bounds)]


def _summed_links(
    found: list[list[tuple[np.ndarray, np.ndarray]]], n: int, min_shared: int
) -> FragmentLinks:
    """The links of `found` (`_counted_ranges` of each slice, cut at the same keys), each
    key's counts summed over the slices, those under `min_shared` dropped: one range of
    keys at a time, each slice's part of it emptied as it is read. Ascending by key."""
    kept_keys, kept_shared = [], []
    for r in range(len(found[0]) if found else 0):
        keys = np.concatenate([parts[r][0] for parts in found])
        shared = np.concatenate([parts[r][1] for parts in found])
        for parts in found:
            parts[r] = (_NO_PAIRS, _NO_PAIRS)
        order = np.argsort(keys)  # a key occurs once per slice: ties are summed, any order
        keys, shared = keys[order], shared[order]
        del order
        starts = np.flatnonzero(firsts(keys))
        total = np.add.reduceat(shared, starts) if len(keys) else shared
        keep = total >= min_shared
        kept_keys.append(keys[starts[keep]])
        kept_shared.append(total[keep].astype(np.int64))
        del keys, shared, starts, total, keep
    every = np.concatenate(kept_keys) if kept_keys else _NO_PAIRS
    if len(every) == 0:
        return FragmentLinks(every, every, every)
    return FragmentLinks(every // n, every % n, np.concatenate(kept_shared))


def _cross_owner_pairs(
    values: np.ndarray,
    row_of: np.ndarray,
    doc_of_row: np.ndarray,
    owner_of_row: np.ndarray,
    max_owners: int,
) -> list[np.ndarray]:
    """Pair keys of rows of different owners and documents sharing a shingle that at most
    `max_owners` owners carry; one key per pair and shared shingle."""
    if len(values) == 0:
        return []
    owners = owner_of_row[row_of]
    owners -= owners.min()
    span = int(owners.max()) + 1
    starts, sizes = runs(values)
    # (shingle, owner) as one number: a plain sort, several times faster than a lexsort
    owned = distinct(np.repeat(np.arange(len(starts)), sizes) * span + owners)
    carriers = np.bincount(owned // span, minlength=len(starts))
    keep = (carriers >= 2) & (carriers <= max_owners)
    found: list[np.ndarray] = []
    for size in np.unique(sizes[keep]).tolist():
        left, right = np.triu_indices(size, 1)
        all_heads = starts[keep & (sizes == size)]
        step = max(1, _PAIRS_PER_STEP // len(left))  # a row of pairs per shingle, bounded
        for lo in range(0, len(all_heads), step):
            heads = all_heads[lo : lo + step]
            members = row_of[heads[:, None] + np.arange(size)]  # one line per shingle
            a, b = members[:, left].ravel(), members[:, right].ravel()
            ok = (owner_of_row[a] != owner_of_row[b]) & (doc_of_row[a] != doc_of_row[b])
            found.append(_pair_keys(a[ok], b[ok], len(doc_of_row)))
    return found


_PAIRS_PER_STEP = 2_000_000
