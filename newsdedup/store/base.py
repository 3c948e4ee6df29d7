"""What an archive index stores, and the interface every storage backend provides.

An index holds, per document: its metadata, its extracted text (compressed), its segments
with their offsets, the word 5-gram hashes (shingles) of each segment, as the scan hashes
them, the MinHash signatures of its matchable segments and, for lookup, two tables of keys:

* *passages*: the whole-signature key of each matchable segment (chrome and too-short
  segments never match, so they have none) and the documents that carry it; a paragraph
  copied verbatim by fifty sites is one passage with fifty holders;
* *bands*: the LSH band keys of each passage, stored once per passage (not per copy).

A query fingerprints the new pages, reads the buckets of their band keys (which passages
may match), then the holders of those passages (which documents): two indexed reads whose
cost follows the size of the buckets touched, never the size of the archive. Band keys are
`index.band_keys` of the signature, the same banding as `datasketch.MinHashLSH` for the
index's threshold and permutation count, so a stored index proposes the pairs a full scan
of the same documents would.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from ..fingerprint import NORMALISATION, SCHEME, FingerprintOptions
from ..index import IndexOptions, band_keys, distinct, lsh_bands
from ..records import Document
from ..segment import SegmentOptions

FORMAT = 2
"""Layout version of a stored index; an index of another layout is refused. Layout 2 added
each segment's shingles, so that a check confirms a near copy without reading its text."""

HASH = "xxh32"
"""Word hash under the shingle hash; part of what a signature means."""


class StoreError(Exception):
    """An index that cannot be used: missing, unreadable, corrupt, foreign, or busy. The
    message is one line and names the index."""


def layout_error(location: str, found: object) -> StoreError:
    """The one line for an index of another layout: which, and what to do about it."""
    hint = (
        "built by an older newsdedup: build it again with `newsdedup index add`"
        if isinstance(found, int) and found < FORMAT
        else "not a layout this newsdedup knows"
    )
    return StoreError(
        f"{location}: index layout {found}, this newsdedup reads layout {FORMAT} ({hint})"
    )


class ParameterMismatch(StoreError):
    """The index was built with other fingerprint or banding parameters than this run's."""


@dataclass(frozen=True, slots=True)
class IndexParameters:
    """Everything that decides what a stored signature or band key means. An index records
    these when it is created and refuses any run whose parameters differ."""

    num_perm: int
    shingle_size: int
    seed: int
    min_words: int
    threshold: float
    bands: int
    rows: int
    max_words: int
    window_words: int
    scheme: str = SCHEME
    hash: str = HASH
    normalisation: str = NORMALISATION

    @classmethod
    def of(
        cls, fingerprint: FingerprintOptions, index: IndexOptions, segment: SegmentOptions
    ) -> IndexParameters:
        bands, rows = _banding(index.threshold, fingerprint.num_perm)
        return cls(
            num_perm=fingerprint.num_perm,
            shingle_size=fingerprint.shingle_size,
            seed=fingerprint.seed,
            min_words=fingerprint.min_words,
            threshold=index.threshold,
            bands=bands,
            rows=rows,
            max_words=segment.max_words,
            window_words=segment.window_words,
        )

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> IndexParameters:
        names = {f.name for f in dataclasses.fields(cls)}
        if not names <= set(data):
            raise ValueError(f"parameters missing: {sorted(names - set(data))}")
        return cls(**{k: data[k] for k in names})

    def fingerprint_options(self) -> FingerprintOptions:
        return FingerprintOptions(
            num_perm=self.num_perm,
            shingle_size=self.shingle_size,
            seed=self.seed,
            min_words=self.min_words,
        )

    def index_options(self) -> IndexOptions:
        return IndexOptions(threshold=self.threshold)

    def segment_options(self) -> SegmentOptions:
        return SegmentOptions(max_words=self.max_words, window_words=self.window_words)

    def differences(self, other: IndexParameters) -> list[str]:
        """'name index-value, this run other-value' for every parameter that differs."""
        mine, theirs = self.as_dict(), other.as_dict()
        return [f"{k} {mine[k]} (this run: {theirs[k]})" for k in mine if mine[k] != theirs[k]]

    def describe(self) -> str:
        return (
            f"{self.num_perm} permutations ({self.scheme}, seed {self.seed}), "
            f"{self.bands} bands x {self.rows} rows (threshold {self.threshold}), "
            f"{self.shingle_size}-word shingles ({self.hash}), normalisation "
            f"{self.normalisation}, segments of up to {self.max_words} words "
            f"(windows of {self.window_words})"
        )


_banding = functools.cache(lsh_bands)  # datasketch integrates numerically: 60 ms a call


def check_parameters(location: str, stored: IndexParameters, wanted: IndexParameters) -> None:
    """Refuse, in one line, a run whose parameters differ from the index's."""
    if stored != wanted:
        raise ParameterMismatch(
            f"{location} was built with other parameters: {'; '.join(stored.differences(wanted))}"
            " (run with the index's parameters, or build a new index)"
        )


@dataclass(frozen=True, eq=False)
class Entry:
    """One document as an index stores it.

    `keys` holds, for each matchable segment (`matchable` rows, in order), its LSH keys as
    `index.band_keys` makes them: the whole-signature key first (the passage), then one key
    per band. `signatures` holds those segments' MinHash signatures.
    """

    doc: Document
    digest: str
    start: np.ndarray  # int64 per segment: character offsets into doc.text
    end: np.ndarray  # int64
    block: np.ndarray  # int32: paragraph number
    indexed: np.ndarray  # bool: long enough to fingerprint
    chrome: np.ndarray  # bool: reads as site chrome (never matched)
    signatures: np.ndarray  # uint32, (matchable segments, num_perm)
    keys: np.ndarray  # uint64, (bands + 1, matchable segments)
    shingles: np.ndarray  # uint32: every segment's shingles, segment after segment
    offsets: np.ndarray  # int64, segments + 1: segment k's are shingles[offsets[k]:offsets[k + 1]]

    @property
    def matchable(self) -> np.ndarray:
        found: np.ndarray = self.indexed & ~self.chrome
        return found

    def passages(self) -> np.ndarray:
        """The distinct whole-signature keys of the document (as int64, how SQL keeps them)."""
        distinct: np.ndarray = np.unique(self.keys[0].view(np.int64))
        return distinct


def _fields(doc: Document) -> dict[str, Any]:
    """The document's fields by name: what `dataclasses.asdict` gives for its flat fields
    (strings and None), without the deep copy of each value, which was most of the time
    `index add` spent hashing (twice a document: once to skip it, once to store it)."""
    return {f.name: getattr(doc, f.name) for f in dataclasses.fields(doc)}


def digest(doc: Document) -> str:
    """Content hash of a document: its text and every metadata field. Re-adding a document
    with the same digest is a no-op; another digest under the same id replaces it."""
    fields = _fields(doc)
    body = json.dumps(fields, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()


def pack_text(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 6)


def unpack_text(data: bytes) -> str:
    return zlib.decompress(data).decode("utf-8", "surrogatepass")


def pack_meta(doc: Document) -> str:
    """Every field of the document but its id and text, as JSON."""
    fields = _fields(doc)
    del fields["id"], fields["text"]
    return json.dumps(fields, sort_keys=True, ensure_ascii=False)


def unpack_document(doc_id: str, meta: str, text: bytes) -> Document:
    """The stored document; fields a newer or older layout added or dropped are ignored."""
    known = {f.name for f in dataclasses.fields(Document)}
    fields = {k: v for k, v in json.loads(meta).items() if k in known}
    return Document(id=doc_id, text=unpack_text(text), **fields)


def pack_segments(entry: Entry) -> bytes:
    """Segment offsets, paragraph numbers and flags as one compressed little-endian block."""
    flags = entry.indexed.astype(np.int64) | (entry.chrome.astype(np.int64) << 1)
    table = np.stack([entry.start, entry.end, entry.block.astype(np.int64), flags])
    return zlib.compress(table.astype("<i8").tobytes(), 1)


def unpack_segments(data: bytes) -> np.ndarray:
    """(4, segments) int64: start, end, block, flags (1 indexed, 2 chrome)."""
    flat = np.frombuffer(zlib.decompress(data), dtype="<i8")
    return flat.reshape(4, -1).astype(np.int64)


def pack_shingles(entry: Entry) -> bytes:
    """Each segment's shingle count, then the shingles, as little-endian uint32: hashes do
    not compress, and a reader wanting one document's takes one blob."""
    counts = np.diff(entry.offsets).astype("<u4")
    head = np.array([len(counts)], dtype="<u4")
    return b"".join(a.tobytes() for a in (head, counts, entry.shingles.astype("<u4")))


def unpack_shingles(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(shingles uint32, offsets int64 per segment + 1) of `pack_shingles`'s blob."""
    flat = np.frombuffer(data, dtype="<u4")
    n = int(flat[0]) if len(flat) else 0
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(flat[1 : n + 1], out=offsets[1:])
    return flat[n + 1 :].astype(np.uint32), offsets


def distinct_shingles(data: bytes) -> np.ndarray:
    """A document's distinct shingles, sorted, from `pack_shingles`'s blob: what a check
    looks a near copy up in (`store.archive.Reach.copies`)."""
    shingles, _ = unpack_shingles(data)
    return distinct(shingles)


def pack_signatures(signatures: np.ndarray) -> bytes:
    return np.ascontiguousarray(signatures, dtype="<u4").tobytes()


def unpack_signatures(data: bytes, num_perm: int) -> np.ndarray:
    return np.frombuffer(data, dtype="<u4").reshape(-1, num_perm).astype(np.uint32)


@dataclass(frozen=True, eq=False)
class Stored:
    """A document's segments and fingerprints as the index holds them (`Store.stored`):
    what a scan would compute of its text, read instead (`store.archive.prepared`)."""

    doc_id: str
    segments: np.ndarray  # (4, segments) int64: `unpack_segments`
    shingles: np.ndarray  # uint32, every segment's in turn
    offsets: np.ndarray  # int64, segments + 1
    signatures: np.ndarray  # uint32, (matchable segments, num_perm)


@dataclass(frozen=True, slots=True)
class Written:
    """What writing a batch did: ids added (new), replaced (new content), kept (unchanged)."""

    added: tuple[str, ...] = ()
    replaced: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()


class Store(Protocol):
    """A backend: the SQLite file (`sqlite.SqliteStore`) or a Redis database
    (`redis.RedisStore`). Every method either completes or leaves the index as it was."""

    location: str

    def parameters(self) -> IndexParameters | None:
        """The index's parameters; None for an index not yet created (no document ever added)."""
        ...

    def create(self, parameters: IndexParameters) -> None:
        """Record the parameters of a new index (idempotent for the same parameters)."""
        ...

    def digests(self, ids: Sequence[str]) -> dict[str, str]:
        """Stored content digest of each of `ids` the index holds."""
        ...

    def write(self, entries: Sequence[Entry]) -> Written:
        """Store a batch of documents atomically: all of them or none. A document whose id
        the index holds with the same digest is left as it is; with another, replaced."""
        ...

    def remove(self, ids: Sequence[str]) -> list[str]:
        """Remove documents (atomically); returns the ids that were there."""
        ...

    def buckets(self, bands: np.ndarray, cap: int) -> list[list[list[int]]]:
        """The LSH buckets of segments given by their banded signature values (uint32, one
        row per segment, `bands * rows` columns): for each segment, for each of its bands
        whose bucket holds anything, that bucket's passages (whole-signature keys as int64),
        ascending, as `near_buckets` keeps them for `cap`: a bucket of more than `cap`
        passages gives only its near copies of the segment, so that what grows with the
        archive (chance members of common buckets) is never handed back."""
        ...

    def holders(self, passages: Sequence[int], limit: int) -> dict[int, list[tuple[int, str]]]:
        """Passage -> its first `limit` holders as (document number, id), in the order the
        documents were added."""
        ...

    def documents(self, ids: Sequence[str]) -> list[Document]:
        """The stored documents (text included) of those of `ids` the index holds."""
        ...

    def shingles(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Each of `ids` the index holds -> its distinct shingles (every segment's, sorted
        uint32), without reading its text."""
        ...

    def stored(self, ids: Sequence[str]) -> dict[str, Stored]:
        """Each of `ids` the index holds -> its segments, shingles and signatures."""
        ...

    def stats(self) -> dict[str, Any]:
        """Counts and sizes: documents, segments, passages, band_keys, text_bytes,
        bytes_on_disk (or memory), and the parameters."""
        ...

    def close(self) -> None: ...


def near_buckets(
    keys: np.ndarray, bucket_key: np.ndarray, bucket_passage: np.ndarray, cap: int
) -> list[list[list[int]]]:
    """Each segment's buckets as a lookup follows them, from the bucket rows a backend read:
    `keys` (bands, segments) the segments' band keys, `bucket_key`/`bucket_passage` one row
    per (key, passage) read (int64). For each segment, its non-empty buckets in band order,
    each's passages ascending: a bucket of at most `cap` passages whole; a larger one only
    its passages that are in another of the segment's buckets too. A passage in two or more
    of a segment's buckets is a near copy of it; one in a single bucket is followed only
    from a small bucket: a band is two values, and a common 5-gram gives thousands of
    passages one band in common by chance. A bucket left with nothing is left out.

    Counted in numpy, for every backend: a large page's lookup reads thousands of bucket
    rows, and one Python object per row (and per count) was most of its time and of the
    garbage the collector then walked."""
    order = np.lexsort((bucket_passage, bucket_key))
    bucket_key, bucket_passage = bucket_key[order], bucket_passage[order]
    asked = np.ascontiguousarray(keys.T).ravel()  # segment by segment, bands in order
    start = np.searchsorted(bucket_key, asked, "left")
    size = np.searchsorted(bucket_key, asked, "right") - start
    pair = np.flatnonzero(size)  # (segment, band) pairs whose bucket holds anything
    counts = size[pair]
    owner = np.repeat(pair, counts)  # one element per (pair, member)
    first = np.cumsum(counts) - counts
    member = np.repeat(start[pair] - first, counts) + np.arange(len(owner))
    passage = bucket_passage[member]
    segment = owner // keys.shape[0]
    # how many of its segment's buckets each member is in
    by = np.lexsort((passage, segment))
    fresh = np.ones(len(by), dtype=bool)
    fresh[1:] = (segment[by][1:] != segment[by][:-1]) | (passage[by][1:] != passage[by][:-1])
    run = np.cumsum(fresh) - 1
    seen = np.empty(len(by), dtype=np.int64)
    seen[by] = np.bincount(run)[run]
    kept = (np.repeat(counts, counts) <= cap) | (seen >= 2)
    owner, passage = owner[kept], passage[kept].tolist()
    found: list[list[list[int]]] = [[] for _ in range(keys.shape[1])]
    if not len(owner):
        return found
    cuts = np.flatnonzero(np.diff(owner)) + 1
    bounds = np.concatenate([[0], cuts, [len(owner)]]).tolist()
    heads = (owner[bounds[:-1]] // keys.shape[0]).tolist()
    for seg, lo, hi in zip(heads, bounds[:-1], bounds[1:], strict=True):
        found[seg].append(passage[lo:hi])
    return found


def keys_of(signatures: np.ndarray, parameters: IndexParameters) -> np.ndarray:
    """LSH keys of stored signatures, as `index.band_keys` makes them for a scan."""
    keys: np.ndarray = band_keys(signatures, parameters.index_options())
    return keys


def band_keys_of(bands: np.ndarray, parameters: IndexParameters) -> np.ndarray:
    """The band keys (bands, segments) of banded signature values (`Store.buckets`): the
    values past the bands never enter a band key, so zeros stand in for them."""
    full = np.zeros((len(bands), parameters.num_perm), dtype=np.uint32)
    full[:, : bands.shape[1]] = bands
    return keys_of(full, parameters)[1:]
