"""Normalise segment text, shingle it, and compute MinHash signatures in numpy blocks.

Signatures are bit-identical to `datasketch.MinHash(num_perm, seed=seed,
hashfunc=<identity on our 32-bit shingle hashes>)` with datasketch 2.x's default
`affine32` scheme, so they can be stored as `LeanMinHash` and loaded into a
`MinHashLSH` by a persistent index; a test asserts the identity. Computing them
here in blocks avoids building one `MinHash` object (and its permutation
arrays) per segment, the dominant cost of the naive pipeline.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import xxhash
from datasketch import LeanMinHash, MinHash

from .chrome import reads_as_chrome
from .records import Segment
from .segment import SegmentTable

SCHEME = "affine32"
"""datasketch permutation scheme; a stored index must refuse any other."""


@dataclass(frozen=True, slots=True)
class FingerprintOptions:
    """Parameters that define a signature. Stored with any persisted index and compared."""

    num_perm: int = 128
    shingle_size: int = 5
    seed: int = 1
    min_words: int = 8

    def __post_init__(self) -> None:
        if self.num_perm < 8 or self.shingle_size < 1 or self.min_words < self.shingle_size:
            raise ValueError("need num_perm >= 8, shingle_size >= 1, min_words >= shingle_size")


@dataclass(frozen=True, eq=False)
class Fingerprints:
    """Shingle sets and signatures of many segments, as arrays.

    Row `i` describes row `i` of `table`. Shingle hashes of row `i` are the
    sorted, unique values `shingles[offsets[i]:offsets[i + 1]]`; a segment
    with fewer than `min_words` words has no shingles and an all-max
    signature, and is never indexed (`indexed[i]` is False). `signatures`
    may be empty (zero rows) once candidates are found: nothing later reads them.
    """

    table: SegmentTable
    shingles: np.ndarray  # uint32, concatenated per segment
    offsets: np.ndarray  # int64, len(table) + 1
    signatures: np.ndarray  # uint32, (len(table), num_perm), or (0, num_perm)
    indexed: np.ndarray = field(repr=False)  # bool, len(table)
    chrome: np.ndarray = field(repr=False)  # bool, len(table): reads as site chrome

    def __len__(self) -> int:
        return len(self.table)

    def without_signatures(self) -> Fingerprints:
        return replace(self, signatures=self.signatures[:0])

    def documents(self, doc_ids: Sequence[str]) -> Fingerprints:
        """Whole documents only, in the given order: what one story's provenance needs of
        the corpus. Signatures are left out: only candidate generation reads them."""
        table, rows = self.table.take_documents(doc_ids)
        starts, ends = self.offsets[rows], self.offsets[rows + 1]
        lengths = ends - starts
        offsets = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        take = np.repeat(starts - offsets[:-1], lengths) + np.arange(int(offsets[-1]))
        return Fingerprints(
            table=table,
            shingles=self.shingles[take],
            offsets=offsets,
            signatures=self.signatures[:0],
            indexed=self.indexed[rows],
            chrome=self.chrome[rows],
        )

    def shingle_set(self, row: int) -> np.ndarray:
        return self.shingles[self.offsets[row] : self.offsets[row + 1]]

    def lean_minhash(self, row: int, opts: FingerprintOptions) -> LeanMinHash:
        """The row's signature as a datasketch sketch, for a persistent `MinHashLSH`."""
        return LeanMinHash(seed=opts.seed, hashvalues=self.signatures[row], scheme=SCHEME)


# Acronyms lose their dots ("U.S." -> "US") and typographic variants collapse,
# so house style does not hide a copy.
_ACRONYM = re.compile(r"\b(?:[^\W\d_]\.){2,}")
_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u00a0": " ",
        "\u200b": "",
    }
)
_TOKEN = re.compile(r"[^\W_]+(?:['.,][^\W_]+)*")
_ASCII_TOKEN = re.compile(r"[a-z0-9]+(?:['.,][a-z0-9]+)*")  # the same tokens, on lower-case ASCII


def tokens(text: str) -> list[str]:
    """Normalised words: NFKC, case-folded, quotes/dashes unified, acronym dots removed."""
    ascii_only = text.isascii()  # most text: NFKC and the typographic table cannot change it
    if ascii_only:
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE).casefold()
    if "." in text:
        text = _ACRONYM.sub(lambda m: m.group().replace(".", ""), text)
    return (_ASCII_TOKEN if ascii_only else _TOKEN).findall(text)


# British -> American spellings. Rules fold both sides alike, so a rule that also
# bends an unrelated word ("praise" -> "praize") is harmless; the prefix lengths
# keep short words ("four", "rise", "called") out of them.
_SPELLING = (
    (
        re.compile(r"(?<=[a-z]{3})our(?=(?:s|ed|ing|ite|ites|able|ably|er|ers|ful|less|ist)?$)"),
        "or",
    ),
    (re.compile(r"(?<=[a-z]{3})is(?=(?:e|es|ed|ing|er|ers|ation|ations|ational)$)"), "iz"),
    (re.compile(r"(?<=[a-z]{3})ys(?=(?:e|es|ed|ing)$)"), "yz"),
    (re.compile(r"(?<=[a-z]{2}[tb])re(?=s?$)"), "er"),
    (re.compile(r"(?<=[a-z]{2}[aeiou])ll(?=(?:ed|ing|er|ers)$)"), "l"),
    (re.compile(r"(?<=fen|cen|ten)ce(?=s?$)"), "se"),
    (re.compile(r"(?<=[a-z]{3})ogue(?=s?$)"), "og"),
    (re.compile(r"^programme(?=s?$)"), "program"),
)


def fold_spelling(token: str) -> str:
    """British spelling folded to American ("organisation's" -> "organization's")."""
    stem, apostrophe, tail = token.partition("'")
    for pattern, repl in _SPELLING:
        stem = pattern.sub(repl, stem)
    return stem + apostrophe + tail


_MASK32 = np.uint64(0xFFFFFFFF)


def shingle_sets(word_lists: Sequence[Sequence[str]], size: int) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique 32-bit hashes of the word `size`-grams of each word list, as CSR arrays.

    Each distinct word is spelling-folded and hashed once (xxh32); a shingle's
    hash is a polynomial over its word hashes, computed for the whole batch in
    a few numpy passes, so the per-shingle cost is arithmetic, not string
    joins or per-segment numpy calls. House spelling (-ise/-ize, -our/-or)
    never hides a copy, nor counts as a copier's own reading. Stable across
    processes, unlike `hash()`. Returns (hashes, offsets): list i owns
    hashes[offsets[i]:offsets[i + 1]].
    """
    memo: dict[str, int] = {}
    flat = [w for words in word_lists for w in words]
    word_hashes = np.fromiter(
        (
            memo[w]
            if w in memo
            else memo.setdefault(w, xxhash.xxh32_intdigest(fold_spelling(w).encode()))
            for w in flat
        ),
        dtype=np.uint64,
        count=len(flat),
    )
    lengths = np.fromiter(
        (len(words) for words in word_lists), dtype=np.int64, count=len(word_lists)
    )
    ends = np.cumsum(lengths)
    owner = np.repeat(np.arange(len(word_lists), dtype=np.uint64), lengths)
    n = len(flat) - size + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint32), np.zeros(len(word_lists) + 1, dtype=np.int64)
    acc = np.zeros(n, dtype=np.uint64)
    for k in range(size):
        acc = (acc * np.uint64(0x01000193) + word_hashes[k : k + n]) & _MASK32
    # A shingle is valid when all its words belong to the list it starts in.
    valid = np.arange(n) + size <= ends[owner[:n].astype(np.int64)]
    keyed = np.unique((owner[:n][valid] << np.uint64(32)) | acc[valid])
    counts = np.bincount((keyed >> np.uint64(32)).astype(np.int64), minlength=len(word_lists))
    offsets = np.zeros(len(word_lists) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    return (keyed & _MASK32).astype(np.uint32), offsets


def shingle_hashes(words: Sequence[str], size: int) -> np.ndarray:
    """Sorted unique 32-bit hashes of one word list's `size`-grams."""
    hashes, _ = shingle_sets([words], size)
    return hashes


def _permutations(opts: FingerprintOptions) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's own affine32 parameters, taken from a MinHash so they cannot drift."""
    a, b = MinHash(num_perm=opts.num_perm, seed=opts.seed, scheme=SCHEME).permutations
    return a.astype(np.uint32)[:, None], b.astype(np.uint32)[:, None]


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3 finaliser, as datasketch applies it before the affine permutations."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    mixed: np.ndarray = h ^ (h >> np.uint32(16))
    return mixed


def signatures(shingles: np.ndarray, offsets: np.ndarray, opts: FingerprintOptions) -> np.ndarray:
    """MinHash signatures of many shingle sets, in blocks of (num_perm x shingles)."""
    a, b = _permutations(opts)
    rows = len(offsets) - 1
    out = np.full((rows, opts.num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    mixed = _fmix32(shingles)
    block = 4096  # shingles per numpy call: large enough to amortise, small enough for cache
    row = 0
    while row < rows:
        stop = row
        while stop < rows and offsets[stop + 1] - offsets[row] <= block:
            stop += 1
        stop = max(stop, row + 1)
        lo, hi = int(offsets[row]), int(offsets[stop])
        if hi > lo:
            with np.errstate(over="ignore"):
                permuted = a * mixed[lo:hi][None, :] + b
            starts = offsets[row:stop] - lo
            nonempty = offsets[row + 1 : stop + 1] > offsets[row:stop]
            mins = np.minimum.reduceat(permuted, starts[nonempty].astype(np.intp), axis=1)
            out[row:stop][nonempty] = mins.T
        row = stop
    return out


def fingerprint(segments: Sequence[Segment], opts: FingerprintOptions) -> Fingerprints:
    """Shingle sets and signatures for `segments`; short segments get none."""
    word_lists = [tokens(seg.text) for seg in segments]
    indexed = np.fromiter(
        (len(words) >= opts.min_words for words in word_lists), dtype=bool, count=len(word_lists)
    )
    shingles, offsets = shingle_sets(
        [words if ok else () for words, ok in zip(word_lists, indexed, strict=True)],
        opts.shingle_size,
    )
    return Fingerprints(
        table=SegmentTable.of(segments),
        shingles=shingles,
        offsets=offsets,
        signatures=signatures(shingles, offsets, opts),
        indexed=indexed,
        chrome=np.fromiter(
            (reads_as_chrome(seg.text) for seg in segments), dtype=bool, count=len(segments)
        ),
    )


def concat(parts: Sequence[Fingerprints]) -> Fingerprints:
    """One Fingerprints from several computed separately (e.g. in worker processes), in order."""
    if len(parts) == 1:
        return parts[0]
    sizes = [len(p.shingles) for p in parts]
    starts = np.cumsum([0, *sizes[:-1]])
    offsets = np.concatenate(
        [np.zeros(1, dtype=np.int64)]
        + [p.offsets[1:] + base for p, base in zip(parts, starts, strict=True)]
    )
    num_perm = parts[0].signatures.shape[1] if parts else 0
    return Fingerprints(
        table=SegmentTable.concat([p.table for p in parts]),
        shingles=np.concatenate([p.shingles for p in parts]) if parts else np.empty(0, np.uint32),
        offsets=offsets,
        signatures=np.concatenate([p.signatures for p in parts])
        if parts
        else np.empty((0, num_perm), np.uint32),
        indexed=np.concatenate([p.indexed for p in parts]) if parts else np.empty(0, bool),
        chrome=np.concatenate([p.chrome for p in parts]) if parts else np.empty(0, bool),
    )
