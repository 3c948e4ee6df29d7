"""A story's versions and pages as sets over one numbering of their shingles (`Columns`), and
the shingles every pair shares as matrix products (`Overlap`: version with version;
`PageHeld`: version with page): what the scores, the candidate parents and the relation
read instead of set intersections.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..cluster import Version
from ..fingerprint import Fingerprints
from ..index import firsts


@dataclass(frozen=True, slots=True)
class Overlap:
    """The shingles each pair of a story's versions shares, as a matrix in the story's order:
    every pair is compared, so a story of a thousand copies takes a matrix product, not half
    a million set intersections."""

    at: dict[Version, int]
    shared: np.ndarray  # int32 (n, n): 4 bytes a pair, 400 MB for a story of 10,000 copies
    sizes: np.ndarray  # int64 (n,): each version's shingles, at least 1

    @classmethod
    def of(cls, columns: Columns) -> Overlap:
        shared = _common(
            columns.versions, columns.versions, columns.width, columns.bits, columns.bits
        )
        sizes = np.maximum(np.diagonal(shared), 1).astype(np.int64)
        return cls(columns.at, shared, sizes)

    def count(self, a: Version, b: Version) -> int:
        return int(self.shared[self.at[a], self.at[b]])

    def size(self, a: Version) -> int:
        return int(self.shared[self.at[a], self.at[a]])

    def jaccard(self, a: Version, b: Version) -> float:
        i, j = self.at[a], self.at[b]
        n = int(self.shared[i, j])
        return n / max(int(self.shared[i, i]) + int(self.shared[j, j]) - n, 1)


@dataclass(frozen=True, slots=True)
class Columns:
    """A story's versions and pages as sets over one numbering of the shingles on its pages."""

    at: dict[Version, int]  # each version's number, in the story's order
    versions: _Ones  # version k holds column c (a column may repeat: windows overlap), by k
    pages: _Ones  # page k (in id order) holds column c
    page_of: np.ndarray  # the page of each version
    width: int
    # `versions` as rows of bits (`_Ones.bits`) where `_common` compares them so with each
    # other: made once for `Overlap` and `PageHeld`, which compare the same sets
    bits: np.ndarray | None = None

    @classmethod
    def of(cls, versions: Sequence[Version], fp: Fingerprints) -> Columns:
        pages = sorted({v.doc_id for v in versions})
        spans = [fp.table.rows(d) for d in pages]
        page_sets = [fp.shingles[fp.offsets[r.start] : fp.offsets[r.stop]] for r in spans]
        page_column, width = _numbered(np.concatenate(page_sets))
        page_row = np.repeat(np.arange(len(pages)), [len(p) for p in page_sets])
        number = {d: k for k, d in enumerate(pages)}
        page_of = np.array([number[v.doc_id] for v in versions], dtype=np.intp)
        # A version's shingles are its segments' part of its page's: gathered from the page's
        # columns by where each segment's shingles sit among the pages' shingles.
        first = np.cumsum([0, *(len(p) for p in page_sets)])[page_of]
        start = np.array([fp.offsets[r.start] for r in spans], dtype=np.int64)[page_of]
        rows = np.concatenate(
            [
                spans[k].start + np.asarray(v.segments)
                for k, v in zip(page_of, versions, strict=True)
            ]
        )
        owner = np.repeat(np.arange(len(versions)), [len(v.segments) for v in versions])
        offset = first[owner] + fp.offsets[rows] - start[owner]
        sizes = fp.offsets[rows + 1] - fp.offsets[rows]
        position = np.repeat(offset - np.cumsum(sizes) + sizes, sizes) + np.arange(int(sizes.sum()))
        held = _Ones(np.repeat(owner, sizes), page_column[position], len(versions))
        return cls(
            {v: k for k, v in enumerate(versions)},
            held,
            _Ones(page_row, page_column, len(pages)),
            page_of,
            width,
            held.bits(width) if held.n * held.n <= _SMALL_PRODUCT else None,
        )

    def share_in_either(self, child: Version, a: Version, b: Version) -> float:
        """Share of the child's shingles that version `a` or version `b` holds: the distinct
        columns as marks over the story's columns, counted (no sort)."""
        held = np.zeros(self.width, dtype=bool)
        held[self._columns_of(child)] = True
        either = np.zeros(self.width, dtype=bool)
        either[self._columns_of(a)] = True
        either[self._columns_of(b)] = True
        return int(np.count_nonzero(held & either)) / max(int(np.count_nonzero(held)), 1)

    def _columns_of(self, version: Version) -> np.ndarray:
        """The columns `version` holds: a slice, as `of` lays the versions' ones out in the
        story's order (`versions.row` ascending), not a comparison over all of them."""
        k = self.at[version]
        lo, hi = np.searchsorted(self.versions.row, [k, k + 1])
        column: np.ndarray = self.versions.column[lo:hi]
        return column


@dataclass(frozen=True, slots=True)
class PageHeld:
    """How much of each version of a story each version's page holds: of all its text, and of
    its own readings (what the origin's page lacks). A copier takes from a page, not only
    from the segments that matched, so a candidate is scored on its whole page. Two more
    (n, n) int32 matrices: with `Overlap`'s, 1.2 GB for a story of 10,000 copies."""

    at: dict[Version, int]
    all: np.ndarray  # int32 (n, n): shingles of version i found on version j's page
    own: np.ndarray  # int32 (n, n): the same, of version i's shingles the origin's page lacks

    @classmethod
    def of(cls, origin: Version, columns: Columns) -> PageHeld:
        held, pages, page_of = columns.versions, columns.pages, columns.page_of
        on_origin_page = np.zeros(columns.width, dtype=bool)
        on_origin_page[pages.column[pages.row == page_of[columns.at[origin]]]] = True
        own = ~on_origin_page[held.column]
        width = columns.width
        page_bits = pages.bits(width) if held.n * pages.n <= _SMALL_PRODUCT else None  # twice
        return cls(
            columns.at,
            _common(held, pages, width, columns.bits, page_bits)[:, page_of],
            _common(_Ones(held.row[own], held.column[own], held.n), pages, width, None, page_bits)[
                :, page_of
            ],
        )

    def size(self, version: Version) -> int:
        """The version's shingles (all of them lie on its own page)."""
        return int(self.all[self.at[version], self.at[version]])

    def explains(self, child: Version, candidate: Version) -> float:
        """Share of the child's shingles found on the candidate's page."""
        i, j = self.at[child], self.at[candidate]
        return int(self.all[i, j]) / max(int(self.all[i, i]), 1)  # all of it is on its page

    def variants(self, child: Version, candidate: Version) -> float:
        """How much of the child's own readings the candidate's page holds, above chance.

        Independent copies converge a little (the same house style, the same
        obvious synonym); a copy of a copy inherits nearly all of its parent's
        readings. Shares up to `_VARIANT_FLOOR` count for nothing.
        """
        i, j = self.at[child], self.at[candidate]
        size = int(self.own[i, i])  # a version's own readings all lie on its page
        if size < 5:
            return 0.0
        share = int(self.own[i, j]) / size
        return max(0.0, (share - _VARIANT_FLOOR) / (1.0 - _VARIANT_FLOOR))


@dataclass(frozen=True, slots=True)
class _Ones:
    """Sets as a 0/1 matrix given by its ones: set `row[k]` holds column `column[k]`."""

    row: np.ndarray
    column: np.ndarray
    n: int

    def bits(self, width: int) -> np.ndarray:
        """The sets as rows of bits, 64 columns a word (uint64 (n, ceil(width / 64)))."""
        dense = np.zeros((self.n, -(-width // 64) * 64), dtype=bool)
        dense[self.row, self.column] = True
        words: np.ndarray = np.packbits(dense, axis=1).view(np.uint64)
        return words

    def block(self, lo: int, width: int) -> np.ndarray:
        """Columns lo to lo + `_OVERLAP_BLOCK` of `width` as a dense 0/1 matrix (float32)."""
        hi = min(lo + _OVERLAP_BLOCK, width)
        dense = np.zeros((self.n, hi - lo), dtype=np.float32)
        if lo == 0 and hi == width:  # the one block of a story of few shingles
            dense[self.row, self.column] = 1
        else:
            inside = (self.column >= lo) & (self.column < hi)
            dense[self.row[inside], self.column[inside] - lo] = 1
        return dense


def _common(
    a: _Ones,
    b: _Ones,
    width: int,
    left: np.ndarray | None = None,
    right: np.ndarray | None = None,
) -> np.ndarray:
    """How many of `width` columns each set of `a` shares with each set of `b` (int32);
    `left`, `right`: `a.bits(width)` and `b.bits(width)` where the caller has them.

    Most stories have a handful of versions: their sets are compared as rows of bits,
    each pair by the bits its two rows share (`np.bitwise_count`), exact and without
    BLAS, whose threads cost more to wake than such a product does (docs/performance.md:
    numpy's own integer product took 27% less CPU than BLAS on the stories of 5,000
    articles of ../shared/perf, the bits 57% less again on the project's 10,000). Large
    stories take one matrix product in float32 (BLAS) per block of columns, whose sums of
    ones are exact below 2**24. A block is no wider than the columns left.
    """
    if a.n * b.n <= _SMALL_PRODUCT:
        left = a.bits(width) if left is None else left
        if right is None:
            right = left if b is a else b.bits(width)
        counts = np.zeros((a.n, b.n), dtype=np.int32)
        step = max(_PAIR_WORDS // max(a.n * b.n, 1), 1)  # words of every pair at once, at most
        for lo in range(0, left.shape[1], step):
            both = left[:, None, lo : lo + step] & right[None, :, lo : lo + step]
            counts += np.bitwise_count(both).sum(axis=2, dtype=np.int32)
        return counts
    found = np.zeros((a.n, b.n), dtype=np.float32)
    for lo in range(0, width, _OVERLAP_BLOCK):
        left = a.block(lo, width)
        right = left if b is a else b.block(lo, width)
        found += left @ right.T
    return np.rint(found).astype(np.int32)


def _numbered(values: np.ndarray) -> tuple[np.ndarray, int]:
    """Each of `values` numbered by its rank among their distinct values, and how many
    distinct values there are (`np.unique(values, return_inverse=True)`, with less around
    the one sort)."""
    if not len(values):
        return np.zeros(0, dtype=np.intp), 0
    order = np.argsort(values)
    number = np.empty(len(values), dtype=np.intp)
    number[order] = np.cumsum(firsts(values[order])) - 1
    return number, int(number[order[-1]]) + 1


_SMALL_PRODUCT = 4096  # pairs of sets (64 versions by 64) compared as bits, without BLAS
_PAIR_WORDS = 1 << 18  # words of bits (8 bytes each) ANDed at once, over all pairs: 2 MB
_OVERLAP_BLOCK = 4096


_VARIANT_FLOOR = 0.3
