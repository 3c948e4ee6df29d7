"""Reference articles for `newsdedup check`: directories of articles, or an archive index.

Checking a handful of changed articles must not cost a scan of every
reference: a wire folder or a site's archive holds tens of thousands. A
reference set is therefore asked only for its *candidates*: the articles that
share enough word 5-grams with the checked ones to be worth scanning. The scan
then decides, on those candidates and the checked articles, what is a copy.

`FileReferences` (a directory or a list of files) finds candidates with a
prefilter: every file is read as bytes and, without extracting its article
text, cut into lower-case words (markup, entities and typographic punctuation
become spaces), hashed into 5-grams, and looked up in the `Probe` (the
checked articles' 5-grams, hashed alike). A file is a candidate when it shares
at least `MIN_SHARED` 5-grams with one checked article (the fewest any link of
the scan needs: a passage of 15 shingles, or 15 rare shared fragments), not
counting a 5-gram that more than `COMMON` reference files carry (a site's
footer or template text); stock phrases shared with many different checked
articles add up to nothing, since the count is per checked article. The first
`WITNESSES` carriers of each such common 5-gram that stands in a run of at least
`TEMPLATE_RUN` of them in a checked article (a passage of template text, not a
stock phrase; those carrying the most first) are scanned as well, so that
the scan sees it on enough unrelated pages to call it boilerplate, as a scan
of the whole archive would. (A story copied by more than `COMMON` reference
files is therefore compared with those witnesses only.) JSON and JSON Lines
files are read record by record instead (a record has no markup to skip).

`IndexReferences` (an archive index made by `newsdedup index add`: an SQLite
file or a Redis address) answers the same question from stored fingerprints,
without reading the archive (`store.archive.Reach.copies`): its candidates are
the archived documents holding near copies of a checked article's segments
(the same passage, or one in two or more of a segment's LSH buckets when the
document's stored shingles hold at least 6 of the segment's) that cover at
least `MIN_SHARED` shingles of it, the index's word for "a passage in
common"; a segment whose near copies more than `COMMON` documents hold is
template text, of which the first `WITNESSES` holders are scanned. No story
rounds as `scan --index` makes (a check scans what its articles share, as with
a folder): its cost follows the passages the checked articles share, not the
size of the archive.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Protocol

import numpy as np

from ..extract import decode_bytes
from ..pipeline import Fingerprinted, Progress, ScanOptions, silent
from ..records import Document, Skipped
from ..store.archive import REDIS_SCHEMES, Reach, ensure_parameters, is_index, open_store
from ..store.base import Store, Stored, StoreError
from .inputs import (
    MARKUP_SUFFIXES,
    REFERENCE_SUFFIXES,
    InputError,
    display,
    read_documents,
    walk,
)

SHINGLE_WORDS = 5
COMMON = 64  # a 5-gram carried by more reference files than this is a site's template text
MIN_SHARED = 15  # 5-grams shared with one checked article (common ones aside) for a candidate
WITNESSES = 5  # files scanned for each common 5-gram: enough for the scan's boilerplate rule
TEMPLATE_RUN = 15  # common 5-grams in a row that make template text (a passage's least size)
_CHUNK = 128  # files per task of the prefilter's processes
_RECORDS = frozenset({".json", ".jsonl", ".ndjson"})


# -- the prefilter's words and 5-grams ----------------------------------------------

_MARKUP = re.compile(
    rb"<(script|style)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>|&#?\w{1,10};", re.DOTALL | re.IGNORECASE
)
# Letters and digits (and every byte of a multi-byte UTF-8 character) are kept, ASCII capitals
# lower-cased; everything else separates words.
_WORD_BYTES = bytes(
    c + 32 if 65 <= c <= 90 else c if (48 <= c <= 57 or 97 <= c <= 122 or c >= 128) else 32
    for c in range(256)
)
# Quotes, dashes, ellipsis and no-break space in UTF-8: punctuation, not word characters.
_PUNCTUATION = tuple(ch.encode() for ch in "‘’‚‛“”„–—…\u00a0«»")
_MASK32 = np.uint64(0xFFFFFFFF)
_BUCKET_BITS = 8  # `Probe.present`: 16M buckets of 256 hashes, 16 MB


def probe_text(data: bytes, markup: bool = False) -> bytes:
    """The words the prefilter compares, as lower-case bytes separated by spaces: of a file's
    bytes (`markup`: an HTML page) or of a document's text encoded as UTF-8. Both sides are
    cut alike, so what differs is only what extraction would have removed (markup) or
    decoded (entities)."""
    if markup:
        data = _MARKUP.sub(b" ", data)
    for mark in _PUNCTUATION:
        if mark in data:
            data = data.replace(mark, b" ")
    return data.translate(_WORD_BYTES)


_MAX_WORD = 64  # bytes of a word that weigh apart in its hash; the rest share the last weight
_POWERS = np.array([pow(0x100000001B3, k, 1 << 64) for k in range(_MAX_WORD)], dtype=np.uint64)


def shingles(texts: Sequence[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """(hash, owner) of every word 5-gram of each `probe_text` (uint32, int64), unsorted.

    All in numpy over the texts joined: a word's hash is a polynomial of its bytes
    (mixed down to 32 bits), a 5-gram's a polynomial of its words' hashes; no Python
    work per word, which is what the prefilter spends its time on over a large folder.
    """
    joined = np.frombuffer(b" ".join(texts) + b" ", dtype=np.uint8)
    word = joined != 32
    start = word.copy()
    start[1:] &= ~word[:-1]
    inside = np.flatnonzero(word)
    first = np.flatnonzero(start)  # each word's first byte
    number = np.cumsum(start[inside]) - 1  # the word of each of its bytes
    weight = _POWERS[np.minimum(inside - first[number], _MAX_WORD - 1)]
    if not len(first):
        return np.empty(0, np.uint32), np.empty(0, np.int64)
    values = joined[inside].astype(np.uint64) * weight
    mixed = np.add.reduceat(values, np.flatnonzero(start[inside]))
    mixed ^= mixed >> np.uint64(29)
    mixed *= np.uint64(0xBF58476D1CE4E5B9)
    mixed ^= mixed >> np.uint64(32)
    words = mixed & _MASK32
    ends = np.cumsum(np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts)))
    lengths = np.bincount(np.searchsorted(ends, first, side="right"), minlength=len(texts))
    n = len(words) - SHINGLE_WORDS + 1
    if n <= 0:
        return np.empty(0, np.uint32), np.empty(0, np.int64)
    acc = np.zeros(n, dtype=np.uint64)
    for k in range(SHINGLE_WORDS):
        acc = (acc * np.uint64(0x01000193) + words[k : k + n]) & _MASK32
    owner = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)[:n]
    valid = np.arange(n) + SHINGLE_WORDS <= np.cumsum(lengths)[owner]
    return acc[valid].astype(np.uint32), owner[valid]


@dataclass(frozen=True, slots=True)
class Probe:
    """The checked articles' 5-grams, as the prefilter hashes them: `hashes` sorted and
    distinct, and the checked articles holding each (`owners[starts[k]:starts[k + 1]]`
    hold `hashes[k]`, numbered in the order the texts were given)."""

    hashes: np.ndarray  # uint32
    starts: np.ndarray  # int64, len(hashes) + 1
    owners: np.ndarray  # int64
    sequence: np.ndarray = field(repr=False)  # int64: each article's 5-grams in text order,
    sequence_owner: np.ndarray = field(repr=False)  # as positions in `hashes`, and whose
    present: np.ndarray = field(repr=False)  # bool per hash >> _BUCKET_BITS: a cheap first look

    @classmethod
    def of(cls, texts: Iterable[str]) -> Probe:
        found, owner = shingles([probe_text(t.encode("utf-8", "surrogatepass")) for t in texts])
        keyed = np.unique((found.astype(np.uint64) << np.uint64(32)) | owner.astype(np.uint64))
        hashes = (keyed >> np.uint64(32)).astype(np.uint32)
        distinct, first = np.unique(hashes, return_index=True)
        starts = np.append(first, len(hashes)).astype(np.int64)
        present = np.zeros(1 << (32 - _BUCKET_BITS), dtype=bool)
        present[distinct >> np.uint32(_BUCKET_BITS)] = True
        owners = (keyed & _MASK32).astype(np.int64)
        sequence = np.searchsorted(distinct, found).astype(np.int64)
        return cls(distinct, starts, owners, sequence, owner, present)

    def template(self, common: np.ndarray) -> np.ndarray:
        """Which of the common 5-grams (bool per hash) stand in a run of at least
        `TEMPLATE_RUN` common 5-grams in a checked article: template text long enough for
        the scan to make a passage of (a footer), not a stock phrase."""
        hot = common[self.sequence]
        cut = np.ones(len(hot), dtype=bool)
        cut[1:] = (self.sequence_owner[1:] != self.sequence_owner[:-1]) | ~hot[:-1]
        run = np.cumsum(cut)
        length = np.bincount(run, weights=hot)
        found = np.zeros(len(self.hashes), dtype=bool)
        found[self.sequence[hot & (length[run] >= TEMPLATE_RUN)]] = True
        return found

    def matched(self, texts: Sequence[bytes]) -> list[np.ndarray]:
        """For each `probe_text`, the positions in `hashes` of the 5-grams it shares (int32)."""
        found, owner = shingles(texts)
        maybe = self.present[found >> np.uint32(_BUCKET_BITS)]
        found, owner = found[maybe], owner[maybe]
        at = np.searchsorted(self.hashes, found)
        inside = at < len(self.hashes)
        hit = np.zeros(len(found), dtype=bool)
        hit[inside] = self.hashes[at[inside]] == found[inside]
        keyed = np.unique((owner[hit] << np.int64(32)) | at[hit].astype(np.int64))
        owners = keyed >> np.int64(32)
        cuts = np.searchsorted(owners, np.arange(len(texts) + 1))
        positions = (keyed & np.int64(0xFFFFFFFF)).astype(np.int32)
        return [positions[a:b] for a, b in itertools.pairwise(cuts.tolist())]

    def most_shared(self, positions: Sequence[np.ndarray]) -> np.ndarray:
        """For each array of matched positions, the most of them one checked article holds."""
        sizes = np.fromiter(map(len, positions), dtype=np.int64, count=len(positions))
        flat = np.concatenate([*positions, np.empty(0, np.int32)]).astype(np.int64)
        ref = np.repeat(np.arange(len(positions), dtype=np.int64), sizes)
        counts = self.starts[flat + 1] - self.starts[flat]
        first = np.repeat(self.starts[flat], counts)
        step = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        pairs = (np.repeat(ref, counts) << np.int64(32)) | self.owners[first + step]
        keys, times = np.unique(pairs, return_counts=True)
        best = np.zeros(len(positions), dtype=np.int64)
        np.maximum.at(best, keys >> np.int64(32), times)
        return best


# -- reference sets ------------------------------------------------------------------


class ReferenceSet(Protocol):
    """Where reference articles come from: `candidates` yields the ones worth scanning with
    the `checked` articles (and any input it could not read, as `Skipped`; an index, what
    it stores of each candidate's segments and fingerprints, as `Stored`, and those it made
    of the checked articles, as `Fingerprinted`, so that the scan need not make them
    again); `probe` holds the checked articles' 5-grams, `options` the scan's."""

    @property
    def label(self) -> str: ...

    @property
    def names(self) -> tuple[str, ...]:
        """Configured names of the publisher, if any."""
        ...

    def candidates(
        self,
        checked: Sequence[Document],
        probe: Probe,
        options: ScanOptions,
        jobs: int,
        progress: Progress = silent,
    ) -> Iterator[Document | Skipped | Stored | Fingerprinted]: ...


def open_references(
    path: str, names: tuple[str, ...] = (), skip: frozenset[str] = frozenset()
) -> ReferenceSet:
    """The reference set at `path`: an archive index (`store.archive.is_index`), else the
    articles of a directory (or one file). Files whose real path is in `skip` (the checked
    articles) are left out. A missing path, or an index that cannot be opened, is an
    `InputError`."""
    if is_index(path):
        label = path if path.startswith(REDIS_SCHEMES) else display(path)
        try:
            return IndexReferences(label, open_store(path), names)
        except StoreError as exc:
            raise InputError(str(exc)) from None
    if not os.path.exists(path):
        raise InputError(f"{path}: no such reference directory, file or index")
    files = [f for f in walk(path, REFERENCE_SUFFIXES) if os.path.realpath(f) not in skip]
    return FileReferences(display(path), tuple(files), names)


@dataclass(frozen=True, slots=True)
class FileReferences:
    """Reference articles in files (a directory's, or a list), prefiltered as the module says."""

    label: str
    files: tuple[str, ...]
    names: tuple[str, ...] = ()

    def candidates(
        self,
        checked: Sequence[Document],
        probe: Probe,
        options: ScanOptions,
        jobs: int,
        progress: Progress = silent,
    ) -> Iterator[Document | Skipped]:
        max_bytes = options.limits.max_bytes
        pages = [f for f in self.files if os.path.splitext(f)[1].lower() not in _RECORDS]
        records = [f for f in self.files if os.path.splitext(f)[1].lower() in _RECORDS]
        shared: list[np.ndarray | str] = _probe_files(pages, probe, jobs, max_bytes, progress)
        record_docs: list[tuple[int, Document]] = []
        for file_no, path in enumerate(records):
            for item in read_documents([path], max_bytes):
                if isinstance(item, Skipped):
                    yield item
                    continue
                record_docs.append((file_no, item))
        if record_docs:
            texts = [probe_text(d.text.encode("utf-8", "surrogatepass")) for _, d in record_docs]
            shared.extend(probe.matched(texts))
        picked = _pick(shared, probe)
        for k, path in enumerate(pages):
            found = shared[k]
            if isinstance(found, str):
                yield Skipped(path, found)
            elif k in picked:
                yield from read_documents([path], max_bytes)
        for k, (file_no, doc) in enumerate(record_docs, len(pages)):
            if k in picked:  # a record's own id is unique in its file only
                path = records[file_no]
                yield doc if doc.id.startswith(f"{path}#") else replace(doc, id=f"{path}#{doc.id}")


@dataclass(frozen=True, slots=True)
class IndexReferences:
    """Reference articles in an archive index, found as the module says. The index must have
    been made with the scan's parameters (else one `InputError` line naming them)."""

    label: str
    store: Store
    names: tuple[str, ...] = ()

    def candidates(
        self,
        checked: Sequence[Document],
        probe: Probe,
        options: ScanOptions,
        jobs: int,
        progress: Progress = silent,
    ) -> Iterator[Document | Skipped | Stored | Fingerprinted]:
        progress("references", 0, len(checked))
        try:
            ensure_parameters(self.store, options, create=False)
            reach = Reach(self.store, options)
            found = reach.copies(checked, COMMON, WITNESSES, MIN_SHARED, jobs=jobs)
            stored = self.store.stored([d.id for d in found])
        except StoreError as exc:
            raise InputError(str(exc)) from None
        finally:
            self.store.close()
        progress("references", len(checked), len(checked))
        for notice in reach.notices:  # more archived documents reached than one scan takes
            yield Skipped(notice.path, notice.message)
        if reach.made is not None:
            yield reach.made
        for doc in found:
            yield doc
            if doc.id in stored:
                yield stored[doc.id]


def _pick(shared: Sequence[np.ndarray | str], probe: Probe) -> set[int]:
    """Which references to scan: those sharing at least `MIN_SHARED` 5-grams that at most
    `COMMON` files carry with one checked article, plus the first `WITNESSES` carriers of
    every common 5-gram of template text (`Probe.template`)."""
    size = len(probe.hashes)
    arrays = [s if not isinstance(s, str) else np.empty(0, np.int32) for s in shared]
    carriers = np.zeros(size, dtype=np.int64)
    for found in arrays:
        carriers[found] += 1
    common = carriers > COMMON
    best = probe.most_shared([found[~common[found]] for found in arrays])
    picked = set(np.flatnonzero(best >= MIN_SHARED).tolist())
    template = probe.template(common)
    if template.any():
        # Witnesses: files carrying the most template 5-grams first, so that a template's
        # first few carriers cover all of it (ties in path order).
        hot = [found[template[found]] for found in arrays]
        seen = np.zeros(size, dtype=np.int64)
        for k in sorted(range(len(hot)), key=lambda k: -len(hot[k])):
            if len(hot[k]) and (seen[hot[k]] < WITNESSES).any():
                picked.add(k)
                seen[hot[k]] += 1
    return picked


# -- the prefilter over files, in processes ------------------------------------------

_probe: Probe | None = None


def _set_probe(probe: Probe) -> None:
    global _probe
    _probe = probe


def _probe_files(
    files: Sequence[str], probe: Probe, jobs: int, max_bytes: int, progress: Progress
) -> list[np.ndarray | str]:
    """For each file, the probe positions of its shared 5-grams, or why it cannot be read."""
    chunks = [list(files[i : i + _CHUNK]) for i in range(0, len(files), _CHUNK)]
    found: list[np.ndarray | str] = []
    progress("references", 0, len(files))
    if jobs <= 1 or len(chunks) < 2:
        for chunk in chunks:
            found += _probe_chunk(chunk, max_bytes, probe)
            progress("references", len(found), len(files))
        return found
    with ProcessPoolExecutor(jobs, initializer=_set_probe, initargs=(probe,)) as pool:
        for part in pool.map(_probe_chunk, chunks, itertools.repeat(max_bytes)):
            found += part
            progress("references", len(found), len(files))
    return found


def _probe_chunk(
    files: list[str], max_bytes: int, probe: Probe | None = None
) -> list[np.ndarray | str]:
    probe = probe or _probe
    assert probe is not None, "the worker's probe is set by its initializer"
    texts: list[bytes] = []
    problems: dict[int, str] = {}
    for k, path in enumerate(files):
        read = _read(path, max_bytes)
        if isinstance(read, str):
            problems[k] = read
            texts.append(b"")
        else:
            texts.append(probe_text(read, os.path.splitext(path)[1].lower() in MARKUP_SUFFIXES))
    matched = probe.matched(texts)
    return [problems.get(k, found) for k, found in enumerate(matched)]


def _read(path: str, max_bytes: int) -> bytes | str:
    """A file's bytes as UTF-8, or why it cannot be read (ingest gives the same reasons)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        return (exc.strerror or str(exc)).lower()
    if len(data) > max_bytes:
        return f"larger than {max_bytes} bytes"
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.isascii():
        return data
    try:
        data.decode("utf-8")
        if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data
    except UnicodeDecodeError:
        pass
    try:
        text, _ = decode_bytes(data)
    except ValueError as exc:
        return str(exc)
    return text.encode("utf-8", "surrogatepass")
