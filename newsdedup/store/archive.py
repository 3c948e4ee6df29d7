"""Scan new documents against an archive index: add, remove, look up, and the archive's share
of a scan.

`scan --index` reads the archive's buckets for the new documents' band keys, loads the
archived documents those buckets name, and runs the ordinary pipeline over new and loaded
documents together, so the stories that involve a new document come out as a full scan of
archive and new documents would give them. Which archived documents that takes is found in
rounds (`related`):

1. every matchable segment of the new documents is looked up; a bucket or a passage held
   by many documents (a site's footer, a stock phrase) yields only its first `cap`
   holders: enough for the scan to see it recur and call it boilerplate, never the whole
   site;
2. the new and loaded documents are clustered (segments, matches, stories: no provenance
   yet); for every story with a new document, the segments of its versions are looked up
   again without the cap (every copy of the story), and the other non-boilerplate segments
   of its archived documents with it (their other stories, which make a page an
   aggregator and shape its diffs);
3. until a round loads nothing new (or `max_rounds`, or `max_documents` are reached).

The lookups read only the buckets of the keys asked for: their cost follows the stories
touched, not the size of the archive.
"""

from __future__ import annotations

import dataclasses
import itertools
import multiprocessing as mp
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import TextIO

import numpy as np

from ..cluster import cluster
from ..fingerprint import Fingerprints, concat, fingerprint
from ..index import band_keys, match_segments
from ..pipeline import Fingerprinted, ScanOptions, ScanResult, scan
from ..records import Document, Notice, Segment
from ..segment import SegmentTable, segment
from .base import (
    Entry,
    IndexParameters,
    Store,
    Stored,
    StoreError,
    Written,
    check_parameters,
    digest,
    keys_of,
)

CAP = 16
"""Documents read from a bucket or passage of a new document until a story asks for all."""
NEAR_CAP = 4
"""The same for the other segments of an archived document in a new document's story."""
STORY_LIMIT = 10_000
"""Documents read from a bucket or passage of a segment in a new document's story: every
copy of a story copied up to 64 times; beyond that, 64 spread over them (a passage that
recurs that often is a template more often than a story, and 64 pages spread over its
holders let the scan see it recur beside unrelated text, as a full scan does)."""
NEARBY_PAGES = 64
HARD_LIMIT = 100_000
"""Holders read from the index for one passage at most."""
MAX_ROUNDS = 8
MAX_DOCUMENTS = 20_000
"""Archived documents one scan loads at most; beyond it the scan says so in a warning."""
BATCH = 5000
"""Documents written per transaction: a run killed midway loses at most this much work; a
larger batch writes each page of the band table fewer times."""
_CHUNK = 250  # documents fingerprinted per task


REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
_SQLITE_HEADER = b"SQLite format 3\x00"


def is_index(location: str) -> bool:
    """Whether `location` names an index rather than articles: a Redis address, or a file
    that starts with SQLite's header (no article does). What `newsdedup check` asks of a
    reference path; a foreign SQLite file is then refused by `open_store`, naming it."""
    if location.startswith(REDIS_SCHEMES):
        return True
    try:
        with open(location, "rb") as handle:
            return handle.read(len(_SQLITE_HEADER)) == _SQLITE_HEADER
    except OSError:  # a directory, or nothing there: not an index
        return False


def open_store(location: str, create: bool = False) -> Store:
    """The index at `location`: `redis://HOST:PORT/DB` (a shared Redis database) or a path
    (an SQLite file, made on first `add` when `create`)."""
    if location.startswith(REDIS_SCHEMES):
        try:
            from .redis import RedisStore
        except ImportError as exc:
            raise StoreError(
                f"{location}: a Redis index needs the redis package "
                f"(pip install 'newsdedup[redis]'): {exc}"
            ) from None
        return RedisStore(location)
    from .sqlite import SqliteStore

    return SqliteStore(location, create=create)


def parameters_of(options: ScanOptions) -> IndexParameters:
    return IndexParameters.of(options.fingerprint, options.index, options.segment)


def ensure_parameters(store: Store, options: ScanOptions, create: bool) -> None:
    """Record this run's parameters in a new index; refuse a run that differs from an old one."""
    wanted = parameters_of(options)
    stored = store.parameters()
    if stored is None:
        if not create:
            raise StoreError(f"{store.location}: empty index (no document added yet)")
        store.create(wanted)
        stored = store.parameters()
        assert stored is not None
    check_parameters(store.location, stored, wanted)


def options_for(store: Store, options: ScanOptions) -> ScanOptions:
    """`options` with the index's fingerprint, banding and segment parameters (what `index add`
    and `index query` use when none are given)."""
    stored = store.parameters()
    if stored is None:
        return options
    return dataclasses.replace(
        options,
        fingerprint=stored.fingerprint_options(),
        index=dataclasses.replace(options.index, threshold=stored.threshold),
        segment=stored.segment_options(),
    )


# -- entries ----------------------------------------------------------------------------------


def entries(documents: Sequence[Document], options: ScanOptions) -> list[Entry]:
    """What the index stores of each document: segments, signatures, band keys."""
    limit = options.limits.max_segments
    cut = {d.id: segment(d, options.segment, limit + 1)[:limit] for d in documents}
    fp = fingerprint([s for d in documents for s in cut[d.id]], options.fingerprint)
    keys = band_keys(fp.signatures, options.index)
    matchable = fp.indexed & ~fp.chrome
    found = []
    for d in documents:
        rows = fp.table.rows(d.id)
        own = slice(rows.start, rows.stop)
        mine = matchable[own]
        offsets = fp.offsets[rows.start : rows.stop + 1]
        found.append(
            Entry(
                doc=d,
                digest=digest(d),
                start=fp.table.start[own].copy(),
                end=fp.table.end[own].copy(),
                block=fp.table.block[own].copy(),
                indexed=fp.indexed[own].copy(),
                chrome=fp.chrome[own].copy(),
                signatures=fp.signatures[own][mine],
                keys=keys[:, own][:, mine],
                shingles=fp.shingles[offsets[0] : offsets[-1]].copy(),
                offsets=offsets - offsets[0],
            )
        )
    return found


def _entries_task(task: tuple[tuple[Document, ...], ScanOptions]) -> list[Entry]:
    docs, options = task
    return entries(docs, options)


@dataclass(slots=True)
class AddReport:
    """What an `index add` did."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def record(self, written: Written) -> None:
        self.added.extend(written.added)
        self.replaced.extend(written.replaced)
        self.unchanged.extend(written.unchanged)


Progress = Callable[[str, int, int], None]


def _silent(stage: str, done: int, total: int) -> None:
    """No progress shown."""


def add(
    store: Store,
    documents: Iterable[Document],
    options: ScanOptions,
    jobs: int = 1,
    batch: int = BATCH,
    progress: Progress = _silent,
) -> AddReport:
    """Store `documents` in batches of `batch`, each batch in one transaction.

    A document the index holds unchanged (same id, same content digest) costs a digest and
    a lookup; only new and changed ones are fingerprinted, in `jobs` processes and chunks
    of `_CHUNK` documents, while the main process writes the batches before them in order.
    """
    ensure_parameters(store, options, create=True)
    report = AddReport()
    done = 0

    def work() -> Iterator[tuple[tuple[Document, ...], ScanOptions]]:
        nonlocal done
        for chunk in _batches(documents, min(_CHUNK, batch)):
            held = store.digests([d.id for d in chunk])
            same = {d.id for d in chunk if held.get(d.id) == digest(d)}
            changed = tuple(d for d in chunk if d.id not in same)
            report.unchanged.extend(d.id for d in chunk if d.id in same)
            done += len(same)
            if changed:
                yield changed, options

    pending: list[Entry] = []

    def flush(least: int) -> None:
        nonlocal done
        while len(pending) >= least and pending:
            written = pending[:batch]
            report.record(store.write(written))
            done += len(written)
            del pending[:batch]
            progress("indexing", done, 0)

    ahead = max(2 * jobs, batch // _CHUNK + jobs)  # workers keep busy while a batch is written
    for found in _ordered(_entries_task, work(), jobs, ahead):
        pending.extend(found)
        flush(batch)
    flush(1)
    return report


def _batches(items: Iterable[Document], size: int) -> Iterator[list[Document]]:
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _ordered(
    fn: Callable[[tuple[tuple[Document, ...], ScanOptions]], list[Entry]],
    tasks: Iterator[tuple[tuple[Document, ...], ScanOptions]],
    jobs: int,
    ahead: int,
) -> Iterator[list[Entry]]:
    """`fn` over `tasks` in `jobs` processes, results in task order, `ahead` tasks ahead."""
    if jobs <= 1:
        yield from map(fn, tasks)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending: deque[Future[list[Entry]]] = deque()
        for task in itertools.islice(tasks, ahead):
            pending.append(pool.submit(fn, task))
        while pending:
            result = pending.popleft().result()
            for task in itertools.islice(tasks, 1):
                pending.append(pool.submit(fn, task))
            yield result


def fingerprinted(stored: Sequence[Stored], parameters: IndexParameters) -> Fingerprinted:
    """What a scan would make of the archived documents' texts (segments, shingles, band
    keys), from what the index stores of them: `check` scans its candidates with it
    (`pipeline.scan_documents`), and segmenting and fingerprinting them was most of that
    scan. Rows that cannot match (too short, chrome) get zero keys: nothing reads them."""
    kept = [s for s in stored if s.segments.shape[1]]
    counts = [s.segments.shape[1] for s in kept]
    bounds = np.zeros(len(kept) + 1, dtype=np.int64)
    np.cumsum(counts, out=bounds[1:])
    columns = (
        np.concatenate([s.segments for s in kept], axis=1)
        if kept
        else np.zeros((4, 0), dtype=np.int64)
    )
    table = SegmentTable(
        doc_ids=tuple(s.doc_id for s in kept),
        bounds=bounds,
        start=columns[0].copy(),
        end=columns[1].copy(),
        block=columns[2].astype(np.int32),
    )
    sizes = np.concatenate([np.diff(s.offsets) for s in kept] or [np.empty(0, np.int64)])
    offsets = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    indexed, chrome = (columns[3] & 1) != 0, (columns[3] & 2) != 0
    num_perm = parameters.num_perm
    signatures = np.concatenate([s.signatures for s in kept] or [np.empty((0, num_perm))])
    keys = np.zeros((parameters.bands + 1, len(sizes)), dtype=np.uint64)
    keys[:, indexed & ~chrome] = keys_of(signatures.astype(np.uint32), parameters)
    fp = Fingerprints(
        table=table,
        shingles=np.concatenate([s.shingles for s in kept] or [np.empty(0, np.uint32)]),
        offsets=offsets,
        signatures=np.empty((0, num_perm), dtype=np.uint32),
        indexed=indexed,
        chrome=chrome,
    )
    return Fingerprinted(frozenset(s.doc_id for s in stored), fp, keys)


def joined(parts: Sequence[Fingerprinted]) -> Fingerprinted:
    """Fingerprints of different documents as one."""
    return Fingerprinted(
        frozenset().union(*(p.doc_ids for p in parts)),
        concat([p.fingerprints for p in parts]),
        np.concatenate([p.keys for p in parts], axis=1),
    )


# -- lookup -----------------------------------------------------------------------------------


SharedShingles = Callable[[Sequence[np.ndarray], Sequence[np.ndarray], np.ndarray], np.ndarray]
"""(segments' shingles, documents' shingles, (segment, document) pairs) -> how many of the
segment's shingles each pair's document holds (`shared_shingles`)."""


def shared_shingles(
    pieces: Sequence[np.ndarray], held: Sequence[np.ndarray], pairs: np.ndarray
) -> np.ndarray:
    """For each row (piece, document) of `pairs` (int64, two columns of positions in
    `pieces` and `held`), how many of the piece's shingles the document holds; each array
    distinct and sorted. In numpy, one search for all pairs: a large pull request ties
    thousands of segments to archived documents."""
    counts = np.zeros(len(pairs), dtype=np.int64)
    if not len(pairs):
        return counts
    sizes = np.fromiter(map(len, held), dtype=np.int64, count=len(held))
    owner = np.repeat(np.arange(len(held), dtype=np.uint64), sizes)
    stored = np.concatenate([*held, np.empty(0, np.uint32)]).astype(np.uint64)
    keyed = (owner << np.uint64(32)) | stored  # sorted: documents in turn, each sorted
    lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
    starts = np.concatenate([[0], np.cumsum(lengths)])
    flat = np.concatenate([*pieces, np.empty(0, np.uint32)]).astype(np.uint64)
    size = lengths[pairs[:, 0]]
    row = np.repeat(np.arange(len(pairs)), size)
    at = np.arange(int(size.sum())) - np.repeat(np.cumsum(size) - size, size)
    wanted = (pairs[row, 1].astype(np.uint64) << np.uint64(32)) | flat[
        np.repeat(starts[pairs[:, 0]], size) + at
    ]
    found = np.searchsorted(keyed, wanted)
    hit = keyed[np.minimum(found, len(keyed) - 1)] == wanted if len(keyed) else found < 0
    counts[:] = np.bincount(row, weights=hit, minlength=len(pairs)).astype(np.int64)
    return counts


@dataclass(frozen=True, eq=False)
class _Prints:
    """One document's segments as a lookup needs them: whole-signature key (the passage),
    banded signature values (`Store.buckets`), whether each can match at all, and its
    number of shingles."""

    passages: np.ndarray  # uint64 per segment
    bands: np.ndarray  # uint32, (segments, bands * rows)
    matchable: np.ndarray  # bool per segment
    shingles: np.ndarray  # int64 per segment
    pieces: tuple[np.ndarray, ...] = ()  # with `keep`: each matchable segment's shingles


@dataclass
class Reach:
    """The archived documents a set of new documents needs, found in rounds (module doc)."""

    store: Store
    options: ScanOptions
    cap: int = CAP
    near_cap: int = NEAR_CAP
    max_rounds: int = MAX_ROUNDS
    max_documents: int = MAX_DOCUMENTS
    notices: list[Notice] = field(default_factory=list)
    rounds: int = 0

    def __post_init__(self) -> None:
        bands, rows = parameters_of(self.options).bands, parameters_of(self.options).rows
        self._width = bands * rows
        self._prints: dict[str, _Prints] = {}
        self._parts: list[tuple[Fingerprints, np.ndarray]] = []
        self._asked: dict[tuple[str, int], int] = {}  # (document, segment) -> widest limit
        self._loaded: dict[str, Document] = {}
        self.made: Fingerprinted | None = None
        """After `copies`: the new documents' segments, shingles and band keys, as a scan
        makes them (it need not make them again)."""
        self._sites: dict[str, str | None] = {}

    def related(self, new: Sequence[Document]) -> list[Document]:
        """The archived documents to scan with `new` (never one with a new document's id)."""
        new_ids = {d.id for d in new}
        self._fingerprint(new)
        first = [(d.id, range(len(self._prints[d.id].matchable))) for d in new]
        found = self._lookup(first, self.cap, new_ids)
        nearby = False
        for _ in range(self.max_rounds):
            if not found or not self._load(found):
                if nearby:
                    break
                # the stories are whole: once, their archived pages' other stories
                nearby = True
                found = self._next(new_ids, nearby=True)
                continue
            self.rounds += 1
            found = self._next(new_ids, nearby=False)
        return sorted(self._loaded.values(), key=lambda d: d.id)

    def _fingerprint(self, docs: Sequence[Document], keep: bool = False) -> None:
        """Fingerprint `docs` for lookups (with `keep`, keep their matchable segments'
        shingles too)."""
        limit = self.options.limits.max_segments
        segs: list[Segment] = []
        for d in docs:
            segs.extend(segment(d, self.options.segment, limit + 1)[:limit])
            self._sites[d.id] = d.site
        fp = fingerprint(segs, self.options.fingerprint)
        keys = band_keys(fp.signatures, self.options.index)
        matchable = fp.indexed & ~fp.chrome
        banded = fp.signatures[:, : self._width]
        sizes = np.diff(fp.offsets)
        for d in docs:
            rows = slice(fp.table.rows(d.id).start, fp.table.rows(d.id).stop)
            mine = range(rows.start, rows.stop)
            pieces = tuple(np.unique(fp.shingle_set(r)) for r in mine if matchable[r] and keep)
            self._prints[d.id] = _Prints(
                keys[0, rows], banded[rows].copy(), matchable[rows], sizes[rows], pieces
            )
        self._parts.append((fp.without_signatures(), keys))

    def _lookup(
        self, asked: Iterable[tuple[str, Iterable[int]]], limit: int, exclude: set[str]
    ) -> set[str]:
        """Archived documents sharing a bucket or a passage with the given segments: the first
        `limit` documents of each bucket and passage."""
        whole: list[np.ndarray] = []
        banded: list[np.ndarray] = []
        for doc_id, rows in asked:
            prints = self._prints[doc_id]
            fresh = [
                r for r in rows if prints.matchable[r] and self._asked.get((doc_id, r), 0) < limit
            ]
            self._asked.update(((doc_id, r), limit) for r in fresh)
            if fresh:
                whole.append(prints.passages[fresh])
                banded.append(prints.bands[fresh])
        if not whole:
            return set()
        own = set(np.concatenate(whole).view(np.int64).tolist())
        # a near copy is in most of a segment's buckets: each distinct member list once
        buckets = {
            tuple(members[:limit])
            for row in self.store.buckets(np.concatenate(banded), self.cap)
            for members in row
        }
        found = self.store.holders(sorted(own.union(*buckets)), limit)
        holders = {p: [i for _, i in docs] for p, docs in found.items()}
        reached = {i for p in own for i in holders.get(p, [])}
        for members in buckets:
            reached.update(_in_turns([holders.get(p, []) for p in members], limit))
        return reached - exclude

    def copies(
        self,
        new: Sequence[Document],
        common: int,
        witnesses: int,
        min_shared: int,
        shared: SharedShingles | None = shared_shingles,
        jobs: int = 1,
    ) -> list[Document]:
        """The archived documents that share a passage with one of `new`: what `newsdedup
        check` scans, picked as its folder prefilter picks files (`check.references`), not
        the whole stories `related` completes for a scan.

        An archived document holds a near copy of a segment when it holds the segment's
        passage or one in two or more of the segment's buckets. It is picked when its near
        copies cover at least `min_shared` shingles of one new document (a passage, not a
        headline in a related-stories box). A segment whose near copies more than `common`
        documents hold is template text (a footer, a newsletter box): its first `witnesses`
        holders are picked instead, enough for the scan to see it recur and call it
        boilerplate. One lookup, one read of the holders, no story rounds: a large pull
        request reads what its articles share, never the archive.

        With `shared` (a count of the shingles a segment and a document share,
        `shared_shingles`; None: no confirmation), a near copy found only through buckets
        counts when the archived document holds at least `IndexOptions.min_shared` of the
        segment's shingles, the fewest a verified match of the scan shares: a bucket key is
        two signature values, so a paragraph on the same topic sharing 3 of 39 5-grams
        lands in two of a segment's buckets by chance, and grows with the archive
        (docs/performance.md). The document's shingles are the index's (`Store.shingles`,
        hashed as the scan hashes them), so no text is read or hashed for the look; holders
        of the segment's own passage need none.

        A document's picks follow from its own segments only, so with `jobs` (where
        processes can be forked) the new documents are looked up in shares, one process
        each, on connections of their own: the lookup is the one part of a check that
        grows with the archive and ran on one core.
        """
        ids = frozenset(d.id for d in new)
        if jobs > 1 and len(new) >= _PARALLEL_LOOKUP and "fork" in mp.get_all_start_methods():
            where, options = self.store.location, self.options
            tasks = [
                (where, options, new[k::jobs], ids, common, witnesses, min_shared, shared)
                for k in range(jobs)
            ]
            with ProcessPoolExecutor(jobs, mp_context=mp.get_context("fork")) as pool:
                parts = list(pool.map(_picks_task, tasks))
            picked = [i for found, _ in parts for i in found]
            self.made = joined([made for _, made in parts if made is not None])
        else:
            picked = self.picks(new, common, witnesses, min_shared, shared, ids)
        self._load(set(picked), fingerprint=False)
        return sorted(self._loaded.values(), key=lambda d: d.id)

    def picks(
        self,
        new: Sequence[Document],
        common: int,
        witnesses: int,
        min_shared: int,
        shared: SharedShingles | None,
        exclude: frozenset[str],
    ) -> list[str]:
        """`copies`'s picks for `new` (never one of `exclude`: every new document), not
        read; `made` is left holding what fingerprinting `new` made."""
        new_ids = exclude
        self._fingerprint(new, keep=True)
        self.made = Fingerprinted(frozenset(d.id for d in new), *self._parts[-1])
        prints = [self._prints[d.id] for d in new]
        own = np.concatenate([p.passages[p.matchable] for p in prints]).view(np.int64)
        if not len(own):
            return []
        rows = self.store.buckets(np.concatenate([p.bands[p.matchable] for p in prints]), 0)
        near = [
            [passage, *sorted({p for members in row for p in members} - {passage})]
            for passage, row in zip(own.tolist(), rows, strict=True)
        ]
        found = self.store.holders(sorted({p for passages in near for p in passages}), common + 1)
        owner = np.repeat(np.arange(len(new)), [int(p.matchable.sum()) for p in prints])
        size = np.concatenate([p.shingles[p.matchable] for p in prints]).tolist()
        picked: dict[str, None] = {}
        covered: Counter[tuple[int, str]] = Counter()  # (new document, archived) -> shingles
        unsure: list[tuple[int, str]] = []  # (segment, archived) tied by buckets only
        for k, passages in enumerate(near):
            docs = dict.fromkeys(
                i for p in passages for _, i in found.get(p, ()) if i not in new_ids
            )
            if len(docs) > common:
                picked.update((i, None) for i in itertools.islice(docs, witnesses))
                continue
            same = {i for _, i in found.get(passages[0], ())}
            covered.update({(int(owner[k]), i): size[k] for i in docs if i in same or not shared})
            unsure.extend((k, i) for i in docs if i not in same and shared)
        # only ties that could make a pick are worth reading the text of
        could = covered.copy()
        for k, i in unsure:
            could[(int(owner[k]), i)] += size[k]
        unsure = [(k, i) for k, i in unsure if could[(int(owner[k]), i)] >= min_shared]
        read = self._confirm(new, unsure, shared) if shared and unsure else {}
        for k, i in unsure:
            if i in read.get(k, ()):
                covered[(int(owner[k]), i)] += size[k]
        picked.update((i, None) for (_, i), n in covered.items() if n >= min_shared)
        return list(picked)

    def _confirm(
        self, new: Sequence[Document], unsure: list[tuple[int, str]], shared: SharedShingles
    ) -> dict[int, set[str]]:
        """Of the (matchable segment of `new`, in order; archived document) pairs, which
        archived documents hold at least `min_shared` of the segment's shingles: segment ->
        those documents."""
        pieces = [p for d in new for p in self._prints[d.id].pieces]
        stored = self.store.shingles(sorted({i for _, i in unsure}))
        ids = sorted(stored)
        where = {i: n for n, i in enumerate(ids)}
        kept = [(k, i) for k, i in unsure if i in where]
        pairs = np.array([(k, where[i]) for k, i in kept], dtype=np.int64).reshape(-1, 2)
        counts = shared(pieces, [stored[i] for i in ids], pairs)
        held: dict[int, set[str]] = {}
        for (k, i), n in zip(kept, counts.tolist(), strict=True):
            if n >= self.options.index.min_shared:
                held.setdefault(k, set()).add(i)
        return held

    def _load(self, ids: set[str], fingerprint: bool = True) -> bool:
        """Load the documents not loaded yet (and, with `fingerprint`, fingerprint them for
        the next round); False when there is none or no room."""
        fresh = sorted(ids - set(self._loaded))
        room = self.max_documents - len(self._loaded)
        if len(fresh) > room:
            self.notices.append(
                Notice(
                    self.store.location,
                    f"the new documents reach more than {self.max_documents} archived "
                    f"documents; {len(fresh) - room} of them were left out of this scan",
                )
            )
            fresh = fresh[:room]
        docs = self.store.documents(fresh)
        if not docs:
            return False
        self._loaded.update((d.id, d) for d in docs)
        if fingerprint:
            self._fingerprint(docs)
        return True

    def _next(self, new_ids: set[str], nearby: bool) -> set[str]:
        """Cluster what is loaded; look up the stories that hold a new document (with
        `nearby`, also the other segments of their archived pages)."""
        fp = concat([fp for fp, _ in self._parts])
        key_parts = [keys for _, keys in self._parts]
        matches = match_segments(fp, self.options.index, key_parts)
        clustered = cluster(fp, matches, self._sites, self.options.cluster)
        whole: list[tuple[str, Iterable[int]]] = []
        others: list[tuple[str, Iterable[int]]] = []
        for story in clustered.stories:
            pages = {v.doc_id for v in story.versions}
            if pages.isdisjoint(new_ids):
                continue
            whole.extend((v.doc_id, v.segments) for v in story.versions)
            # a story on more pages than that is a template's more often than a story's:
            # the other stories of all its pages are not worth loading
            for page in sorted(pages - new_ids) if nearby and len(pages) <= NEARBY_PAGES else ():
                rows = fp.table.rows(page)
                kept = np.flatnonzero(~clustered.boilerplate[rows.start : rows.stop]).tolist()
                others.append((page, kept))
        exclude = new_ids | set(self._loaded)
        every = self._lookup(whole, STORY_LIMIT, exclude)
        return every | self._lookup(others, self.near_cap, exclude)


_PARALLEL_LOOKUP = 64  # new documents below which a second process costs more than it saves


def _picks_task(
    task: tuple[
        str,
        ScanOptions,
        Sequence[Document],
        frozenset[str],
        int,
        int,
        int,
        SharedShingles | None,
    ],
) -> tuple[list[str], Fingerprinted | None]:
    """`Reach.picks` of a share of the new documents, in a process of its own."""
    location, options, new, exclude, common, witnesses, min_shared, shared = task
    store = open_store(location)
    try:
        reach = Reach(store, options)
        return reach.picks(new, common, witnesses, min_shared, shared, exclude), reach.made
    finally:
        store.close()


def _in_turns(lists: Sequence[Sequence[str]], limit: int) -> list[str]:
    """The first `limit` distinct documents of a bucket, taken in turns over its passages'
    holders (first holder of each passage, then second...): a bucket of many passages is
    spread over them, and reading stops as soon as `limit` are found."""
    if limit <= 0:
        return []
    taken: dict[str, None] = {}
    for turn in itertools.zip_longest(*lists):
        for i in turn:
            if i is not None and i not in taken:
                taken[i] = None
                if len(taken) >= limit:
                    return list(taken)
    return list(taken)


# -- a scan's result, restricted to the new documents' stories -----------------------------


def restrict(result: ScanResult, new_ids: set[str], archived: set[str]) -> ScanResult:
    """The stories of `result` that hold a new document, with the documents they name (new
    documents always); `archived` names the documents the archive holds."""
    stories = tuple(
        s for s in result.stories if any(v.version.doc_id in new_ids for v in s.versions)
    )
    named = new_ids | {v.version.doc_id for s in stories for v in s.versions}
    documents = tuple(d for d in result.documents if d.id in named)
    table, rows = result.table.take_documents([d.id for d in documents])
    kept = {s.id for s in stories}
    gone = [d for d in result.described() if d.id not in named]
    dropped = {d.source or d.id for d in gone} | {d.id for d in gone}
    return dataclasses.replace(
        result,
        documents=documents,
        table=table,
        indexed=result.indexed[rows],
        boilerplate=result.boilerplate[rows],
        stories=stories,
        diffs={k: v for k, v in result.diffs.items() if k[0] in kept},
        notices=tuple(n for n in result.notices if n.path not in dropped),
        archived=frozenset(archived & named),
    )


def scan_indexed(
    store: Store,
    paths: Sequence[str],
    options: ScanOptions,
    *,
    stdin: TextIO | None = None,
    jobs: int = 1,
    progress: Progress = _silent,
    fail_fast: bool = False,
    add_after: bool = False,
    columns: Mapping[str, str] | None = None,
) -> ScanResult:
    """`pipeline.scan` of `paths` against the archive in `store`: the stories that hold a
    new document, with the archived documents they hold (`ScanResult.archived`). With
    `add_after`, the new documents are stored once the scan is done."""
    result, _ = scan_read(
        store,
        paths,
        options,
        stdin=stdin,
        jobs=jobs,
        progress=progress,
        fail_fast=fail_fast,
        add_after=add_after,
        columns=columns,
    )
    return result


def scan_read(
    store: Store,
    paths: Sequence[str],
    options: ScanOptions,
    *,
    stdin: TextIO | None = None,
    jobs: int = 1,
    progress: Progress = _silent,
    fail_fast: bool = False,
    add_after: bool = False,
    columns: Mapping[str, str] | None = None,
) -> tuple[ScanResult, list[str]]:
    """`scan_indexed`, and the ids of the documents read from `paths`, in order."""
    ensure_parameters(store, options, create=add_after)
    reach = Reach(store, options)
    read: list[Document] = []

    def archived_for(new: list[Document]) -> list[Document]:
        read.extend(new)
        return reach.related(new)

    result = scan(
        paths,
        options,
        stdin=stdin,
        jobs=jobs,
        progress=progress,
        fail_fast=fail_fast,
        archive=archived_for,
        columns=columns,
    )
    new_ids = {d.id for d in read}
    held = store.digests(sorted(new_ids))
    archived = {d.id for d in result.described() if d.id not in new_ids}
    archived |= {d.id for d in read if held.get(d.id) == digest(d)}
    result = restrict(result, new_ids, archived)
    if reach.notices:
        result = dataclasses.replace(result, notices=(*result.notices, *reach.notices))
    if add_after and read:
        add(store, read, options, jobs=jobs, progress=progress)
    return result, [d.id for d in read]
