"""The library API: documents in, stories out. The CLI only calls this.

Stages, in order (each a pure function in its own module):
ingest -> extract -> segment -> fingerprint -> index -> cluster -> provenance -> report.
`scan_documents` is the pure part; `scan` adds ingest, the only I/O.
"""

from __future__ import annotations

import bisect
import contextlib
import ctypes
import functools
import gc
import itertools
import os
import re
import signal
import tempfile
import threading
import time
import weakref
from collections import Counter, deque
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from typing import TextIO, TypeVar, overload

import numpy as np

from . import dates
from .chrome import reads_as_chrome
from .cluster import CLOSE_BLOCKS, Clustering, ClusterOptions, Story, Version, cluster
from .diff import VersionDiff, diff_versions, printed_with_story
from .fingerprint import FingerprintOptions, Fingerprints, concat, fingerprint_texts
from .index import IndexOptions, Matches, band_keys, match_segments
from .ingest import Pending, iter_documents, made
from .provenance import StoryReport, VersionReport, trace
from .records import Document, Failure, Notice, Segment, Skipped
from .relations import settle
from .segment import SHORT_PARAGRAPH_WORDS, SegmentOptions, SegmentTable, segment, segment_spans

_T = TypeVar("_T")
_R = TypeVar("_R")


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds that keep one pathological input from exhausting memory on an unattended run."""

    max_bytes: int = 50_000_000
    max_segments: int = 20_000

    def __post_init__(self) -> None:
        if self.max_bytes < 1 or self.max_segments < 1:
            raise ValueError("limits must be positive")


@dataclass(frozen=True, slots=True)
class ScanOptions:
    """Every parameter that shapes a result; reported in the output so runs can be compared."""

    segment: SegmentOptions = field(default_factory=SegmentOptions)
    fingerprint: FingerprintOptions = field(default_factory=FingerprintOptions)
    index: IndexOptions = field(default_factory=IndexOptions)
    cluster: ClusterOptions = field(default_factory=ClusterOptions)
    limits: Limits = field(default_factory=Limits)
    diffs: bool = True


@dataclass(frozen=True, slots=True)
class _Packed:
    """A document with its text as UTF-8 bytes: how a page travels to a worker."""

    doc: Document  # with empty text
    text: bytes

    @classmethod
    def of(cls, doc: Document) -> _Packed:
        """`doc` packed; JSON can carry lone surrogates, so they are encoded as they are."""
        return cls(replace(doc, text=""), doc.text.encode("utf-8", "surrogatepass"))

    def unpack(self) -> Document:
        return replace(self.doc, text=self.text.decode("utf-8", "surrogatepass"))


class _TextStore:
    """Document texts in an unnamed temporary file while a scan runs, read back by offset.

    A scan needs every document from ingest to report, but reads a text only
    a few times (fingerprinting, then the pages of stories for provenance and
    diffs); kept in memory, the texts were the largest thing there (0.6 GB of
    a 100k scan's 3.7 GB peak). On disk, the page cache holds what is hot and
    the scan's memory grows with its segments, not its text. The file lives
    in TMPDIR and disappears when the store is closed.
    """

    def __init__(self) -> None:
        try:
            self._file = tempfile.TemporaryFile(prefix="newsdedup-")  # noqa: SIM115 (closed by __exit__)
        except OSError as exc:
            raise TemporarySpaceError(exc) from exc
        self._size = 0
        self._where: dict[str, tuple[Document, int, int]] = {}
        self.lengths: dict[str, int] = {}  # each text's length in characters
        self._lock = threading.Lock()  # a seek and its read, whichever thread reads a result
        # closed with the store, or once nothing holds it (a result's `StoredDocuments`)
        self.close = weakref.finalize(self, self._file.close)

    def __enter__(self) -> _TextStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def put(self, doc: Document) -> Document:
        """Store `doc`'s text; returns the document without it."""
        packed = _Packed.of(doc)
        data = packed.text
        try:
            self._file.seek(self._size)  # after any read back
            self._file.write(data)
        except OSError as exc:  # TMPDIR full
            raise TemporarySpaceError(exc) from exc
        self._where[doc.id] = packed.doc, self._size, len(data)
        self.lengths[doc.id] = len(doc.text)
        self._size += len(data)
        return packed.doc

    def pack(self, doc_id: str) -> _Packed:
        """The document with its text read back, as bytes: ready to ship to a worker."""
        bare, offset, size = self._where[doc_id]
        try:
            with self._lock:
                self._file.seek(offset)  # a buffered file flushes pending writes before it seeks
                data = self._file.read(size)
        except OSError as exc:  # the flush of pending writes found TMPDIR full
            raise TemporarySpaceError(exc) from exc
        if len(data) != size:
            raise TemporarySpaceError(OSError(f"short read of {doc_id}"))
        return _Packed(bare, data)


class TemporarySpaceError(OSError):
    """The scan's temporary file (document texts, in TMPDIR) could not be written or read
    back: a full or missing temporary directory, not a problem of the input or output."""

    def __init__(self, cause: OSError) -> None:
        directory = tempfile.gettempdir()
        super().__init__(cause.errno, f"temporary file in {directory}: {cause.strerror or cause}")


class StoredDocuments(Sequence[Document]):
    """A scan's documents, sorted by id, each read back from the scan's text store with its
    text when asked for, and not kept: a report reads a document's text as it writes that
    document, so the texts of a large scan (1.1 GB of a 100k scan's peak when they were read
    all at once for the report) never sit in memory together. Holding this sequence keeps
    the store's temporary file open; the file goes once nothing holds either."""

    def __init__(self, bare: tuple[Document, ...], store: _TextStore) -> None:
        self._bare = bare  # sorted by id, texts empty
        self._ids = [d.id for d in bare]
        self._store = store

    def __len__(self) -> int:
        return len(self._bare)

    @overload
    def __getitem__(self, k: int) -> Document: ...

    @overload
    def __getitem__(self, k: slice) -> tuple[Document, ...]: ...

    def __getitem__(self, k: int | slice) -> Document | tuple[Document, ...]:
        if isinstance(k, slice):
            return tuple(self._read(d) for d in self._bare[k])
        return self._read(self._bare[k])

    def __iter__(self) -> Iterator[Document]:
        return map(self._read, self._bare)

    def find(self, doc_id: str, *, text: bool = True) -> Document | None:
        """The document of that id, its text read (left out, empty, if not `text`); None if
        the scan has none."""
        k = bisect.bisect_left(self._ids, doc_id)
        if k == len(self._ids) or self._ids[k] != doc_id:
            return None
        return self._read(self._bare[k]) if text else self._bare[k]

    def _read(self, bare: Document) -> Document:
        return self._store.pack(bare.id).unpack()

    @property
    def described(self) -> tuple[Document, ...]:
        """The documents with their texts left out (empty), none read back: for a report's
        list of documents, which gives each text's length, not the text."""
        return self._bare

    def length(self, doc_id: str) -> int:
        """The length of the document's text in characters, without reading it."""
        return self._store.lengths[doc_id]


@dataclass(frozen=True, eq=False)
class ScanResult:
    documents: Sequence[Document]
    """Sorted by id; a scan's own are `StoredDocuments` (each text read when asked for)."""
    table: SegmentTable
    """Every segment of every document, as columns (`segments_of` gives records)."""
    indexed: np.ndarray  # bool per table row: long enough to fingerprint
    boilerplate: np.ndarray  # bool per table row: site chrome or a template passage
    stories: tuple[StoryReport, ...]
    skipped: tuple[Skipped, ...]
    notices: tuple[Notice, ...]
    options: ScanOptions
    diffs: dict[tuple[str, str], VersionDiff] = field(default_factory=dict)
    """(story id, version key) -> what changed against the version's parent."""
    failures: tuple[Failure, ...] = ()
    """Unexpected errors each confined to one file, record, document or story; a story named
    here is reported with its versions, but its tree or some diffs are missing."""
    archived: frozenset[str] | None = None
    """Scanned against an archive index (`scan --index`): the documents the archive holds;
    None for a scan without one."""

    def document(self, doc_id: str) -> Document | None:
        """The scanned document of that id (the documents are sorted by id)."""
        if isinstance(self.documents, StoredDocuments):
            return self.documents.find(doc_id)  # without reading the texts it passes over
        k = bisect.bisect_left(self.documents, doc_id, key=lambda d: d.id)
        found = k < len(self.documents) and self.documents[k].id == doc_id
        return self.documents[k] if found else None

    def described(self) -> Sequence[Document]:
        """The documents sorted by id, for what needs all of them but not their texts (a
        scan's own come without them: texts are read back only one at a time, `read`)."""
        if isinstance(self.documents, StoredDocuments):
            return self.documents.described
        return self.documents

    def description(self, doc_id: str) -> Document:
        """The document of that id, its text left out where the scan keeps texts apart (see
        `described`); KeyError if the scan has none."""
        if isinstance(self.documents, StoredDocuments):
            found = self.documents.find(doc_id, text=False)
            if found is None:
                raise KeyError(doc_id)
            return found
        return self.read(doc_id)

    def length(self, doc_id: str) -> int:
        """The length in characters of that document's text; KeyError if the scan has none."""
        if isinstance(self.documents, StoredDocuments):
            return self.documents.length(doc_id)
        return len(self.read(doc_id).text)

    def read(self, doc_id: str) -> Document:
        """The scanned document of that id, for a report that writes it now (a scan's texts
        are read back one at a time); KeyError if the scan has none."""
        doc = self.document(doc_id)
        if doc is None:
            raise KeyError(doc_id)
        return doc

    def segments_of(self, doc_id: str) -> tuple[Segment, ...]:
        """The document's segments as records, text included."""
        doc = self.document(doc_id)
        return self.table.segments(doc) if doc is not None else ()


Progress = Callable[[str, int, int], None]
"""progress(stage, done, total): called as work advances; total 0 means not known yet."""


def silent(stage: str, done: int, total: int) -> None:
    """The default progress callback: the library prints nothing."""


def scan(
    paths: Sequence[str],
    options: ScanOptions,
    stdin: TextIO | None = None,
    jobs: int = 1,
    progress: Progress = silent,
    fail_fast: bool = False,
    archive: Callable[[list[Document]], Iterable[Document]] | None = None,
    columns: Mapping[str, str] | None = None,
) -> ScanResult:
    """Read `paths` (files, directories, or "-" for JSON Lines on stdin) and find stories;
    `columns` maps record fields to the columns of CSV and TSV tables.

    Documents stream into the scan, which compresses each one's text as it
    arrives, made from what is read in the `jobs` processes (`read_documents`);
    `skipped` is complete by the time the scan reads it (at the end).
    An unexpected error in one file, record, document or story is confined to it
    and reported in `failures`; with `fail_fast` it ends the scan instead.
    """
    skipped: list[Skipped] = []
    notices: list[Notice] = []
    failures: list[Failure] = []

    reading = read_documents(
        paths,
        stdin=stdin,
        max_bytes=options.limits.max_bytes,
        fail_fast=fail_fast,
        columns=columns,
        jobs=jobs,
    )

    def documents() -> Iterator[Document]:
        for read, item in enumerate(reading, 1):
            if (doc := sort_item(item, skipped, notices, failures)) is not None:
                yield doc
            progress("reading", read, 0)

    with contextlib.closing(reading):  # on an error, the reading processes end with it
        found: Iterable[Document] = documents()
        if archive is not None:  # scan --index: with the archived documents these ones need
            new = list(found)
            found = [*new, *archive(new)]
        return scan_documents(
            found,
            options,
            skipped,
            jobs=jobs,
            progress=progress,
            notices=notices,
            failures=failures,
            fail_fast=fail_fast,
        )


_Item = Document | Skipped | Notice | Failure
_READ_BATCH = 64  # records a reading task makes (about 0.1 s of work for HTML pages) ...
_READ_BATCH_BYTES = 4 << 20  # ... or fewer, when they carry this much
_READ_PARALLEL = 16  # an input of fewer batches (1,024 records) is made in the main process


def read_documents(
    paths: Sequence[str],
    *,
    stdin: TextIO | None = None,
    max_bytes: int = 50_000_000,
    fail_fast: bool = False,
    columns: Mapping[str, str] | None = None,
    jobs: int = 1,
    batch: int = _READ_BATCH,
    parallel_from: int = _READ_PARALLEL,
) -> Generator[_Item, None, None]:
    """`ingest.iter_documents` with its records made in `jobs` processes: the same items in
    the same order, for any `jobs`.

    The main process walks the inputs and streams each container (warcio's records,
    JSON Lines' lines, a table's rows), which is cheap; decoding, HTML extraction, dates
    and the language of each record, most of reading's time, are made by the workers, in
    batches of `batch` records, at most two batches per process in flight, so memory is
    bounded whatever the size of an archive. An input of fewer than `parallel_from`
    batches is made in the main process: there starting processes (each loads the
    language model) costs more than it saves."""
    jobs = max(1, min(jobs, os.cpu_count() or 1))
    make = None
    if jobs > 1:
        make = functools.partial(_made_in_pool, jobs=jobs, batch=batch, parallel_from=parallel_from)
    return iter_documents(
        paths, stdin=stdin, max_bytes=max_bytes, fail_fast=fail_fast, columns=columns, make=make
    )


def _made_in_pool(
    items: Iterable[_Item | Pending], jobs: int, batch: int, parallel_from: int
) -> Iterator[_Item]:
    """`ingest.made` in `jobs` processes: the pending records of each batch made by a
    worker, each then finished here in input order, between the items read as they are.
    The first batch is made here: so the language model and the date parsers' data are
    loaded once, before the workers are forked, and shared with them."""
    batches = _record_batches(items, batch)
    ahead = list(itertools.islice(batches, parallel_from))
    if len(ahead) < parallel_from:
        for part in ahead:
            yield from made(part)
        return
    yield from made(ahead[0])  # loads what making needs (the language model) before the fork
    drawn: deque[list[_Item | Pending]] = deque()

    def tasks() -> Iterator[list[tuple[Callable[..., object], tuple[object, ...]]]]:
        for part in itertools.chain(ahead[1:], batches):
            drawn.append(part)
            yield [(p.make, p.args) for p in part if isinstance(p, Pending)]

    with contextlib.closing(_imap(_make_records, tasks(), jobs, 1)) as results:
        for [outputs] in results:
            made_here = iter(outputs)
            for item in drawn.popleft():
                if isinstance(item, Pending):
                    yield from item.finish(next(made_here))
                else:
                    yield item


def _record_batches(
    items: Iterable[_Item | Pending], records: int
) -> Iterator[list[_Item | Pending]]:
    """`items` in runs of at most `records` pending records (or `_READ_BATCH_BYTES` of them)."""
    part: list[_Item | Pending] = []
    count = held = 0
    for item in items:
        part.append(item)
        if isinstance(item, Pending):
            count += 1
            held += item.size
        if count >= records or held >= _READ_BATCH_BYTES or len(part) >= 4 * records:
            yield part
            part, count, held = [], 0, 0
    if part:
        yield part


def _make_records(
    records: list[tuple[Callable[..., object], tuple[object, ...]]],
) -> list[object]:
    """A worker's part of reading: what each pending record's `make` gives."""
    return [make(*args) for make, args in records]


def sort_item(
    item: Document | Skipped | Notice | Failure,
    skipped: list[Skipped],
    notices: list[Notice],
    failures: list[Failure],
) -> Document | None:
    """What reading yielded: a document, returned; anything else put in its list."""
    if isinstance(item, Document):
        return item
    if isinstance(item, Skipped):
        skipped.append(item)
    elif isinstance(item, Notice):
        notices.append(item)
    else:
        failures.append(item)
    return None


def scan_documents(
    documents: Iterable[Document],
    options: ScanOptions,
    skipped: Iterable[Skipped] = (),
    jobs: int = 1,
    batch_docs: int = 256,
    progress: Progress = silent,
    notices: Iterable[Notice] = (),
    failures: Iterable[Failure] = (),
    fail_fast: bool = False,
    traced: Callable[[Story], bool] | None = None,
    fingerprinted: Fingerprinted | None = None,
) -> ScanResult:
    """Stories among `documents`; the result depends neither on their order nor on `jobs`.

    Segmenting and fingerprinting, the per-document Python work, run in
    `jobs` processes over batches of documents; the batches are put back in
    document order, so every later stage sees the same arrays as with one job.
    `jobs` is capped at the machine's cores (and each stage's tasks). `skipped`,
    `notices` and `failures` (what reading found) are read once the documents are.
    `traced` picks the stories whose provenance is traced (default: all); the others
    come back as `_untraced` gives them (no parents), for a caller that reads the trees
    of a few stories only (`check`). `fingerprinted` gives the segments and fingerprints
    of some of the documents, made before (an archive index stores them): those are not
    segmented or fingerprinted again.
    """
    jobs = max(1, min(jobs, os.cpu_count() or 1))
    store = _TextStore()  # closed here on error, else once the result's documents go
    try:
        docs = tuple(sorted((store.put(d) for d in documents), key=lambda d: d.id))
        run = _Run(jobs, progress, fail_fast, list(failures), traced, fingerprinted)
        return _scan_stored(docs, store, options, skipped, notices, batch_docs, run)
    except BaseException:
        store.close()
        raise


@dataclass(slots=True)
class _Run:
    """How a scan runs (processes, progress, what an unexpected error does), and the
    failures found so far."""

    jobs: int
    progress: Progress
    fail_fast: bool
    failures: list[Failure]
    traced: Callable[[Story], bool] | None = None  # the stories to trace; None: all
    fingerprinted: Fingerprinted | None = None  # documents prepared before the scan


def _scan_stored(
    docs: tuple[Document, ...],
    store: _TextStore,
    options: ScanOptions,
    skipped: Iterable[Skipped],
    notices: Iterable[Notice],
    batch_docs: int,
    run: _Run,
) -> ScanResult:
    """`scan_documents` over `docs` (without their texts, which `store` holds), sorted by id."""
    jobs, progress, ready = run.jobs, run.progress, run.fingerprinted
    fresh = docs if ready is None else tuple(d for d in docs if d.id not in ready.doc_ids)
    batches = [fresh[i : i + batch_docs] for i in range(0, len(fresh), batch_docs)]
    work = ((tuple(store.pack(d.id) for d in batch), options, run.fail_fast) for batch in batches)
    parts = _map(_prepare, work, jobs, "fingerprinting", progress, [len(b) for b in batches], 2)
    parts = parts or [_prepare(((), options, run.fail_fast))]
    if ready is not None:
        parts = _in_order([*parts, _Prepared(ready.fingerprints, ready.keys, [], [])], docs)
    fp = concat([part.fingerprints for part in parts])
    key_parts = [part.keys for part in parts]
    truncated = [n for part in parts for n in part.notices]
    run.failures.extend(f for part in parts for f in part.failures)
    del parts  # the batches' arrays now live in `fp`
    progress("matching", 0, 1)
    matches = match_segments(fp, options.index, key_parts, jobs)
    del key_parts
    progress("matching", 1, 1)
    progress("clustering", 0, 1)
    clustering = cluster_documents(fp, matches, docs, options, jobs)
    progress("clustering", 1, 1)
    stories = _trace_all(clustering.stories, store, fp, run)
    diffs = _diffs(stories, store, fp.table, clustering.boilerplate, run) if options.diffs else {}
    found = Found(fp, clustering.boilerplate, stories, diffs)
    documents = StoredDocuments(docs, store)  # texts read as the report writes each one
    return assemble(documents, found, options, skipped, [*notices, *truncated], run.failures)


def cluster_documents(
    fp: Fingerprints, matches: Matches, docs: Iterable[Document], options: ScanOptions, jobs: int
) -> Clustering:
    """`cluster` with what it needs to know of the documents (site, language): one call for
    every engine."""
    docs = tuple(docs)
    sites, languages = {d.id: d.site for d in docs}, {d.id: d.language for d in docs}
    return cluster(fp, matches, sites, options.cluster, jobs, languages)


@dataclass(frozen=True, eq=False)
class Found:
    """What the stages after reading found, whichever engine ran them."""

    fingerprints: Fingerprints
    boilerplate: np.ndarray
    stories: tuple[StoryReport, ...]
    diffs: dict[tuple[str, str], VersionDiff]


def assemble(
    documents: Sequence[Document],
    found: Found,
    options: ScanOptions,
    skipped: Iterable[Skipped],
    notices: Iterable[Notice],
    failures: Iterable[Failure],
) -> ScanResult:
    """The result of a scan, its lists in their documented order (paths in natural order):
    one place, so every engine's output has the same bytes."""
    skipped, notices, failures = in_order(skipped, notices, failures)
    return ScanResult(
        documents=documents,
        table=found.fingerprints.table,
        indexed=found.fingerprints.indexed,
        boilerplate=found.boilerplate,
        stories=settle(found.stories, found.diffs),  # `verbatim` checked against its diff
        skipped=skipped,
        notices=notices,
        options=options,
        diffs=found.diffs,
        failures=failures,
    )


def in_order(
    skipped: Iterable[Skipped], notices: Iterable[Notice], failures: Iterable[Failure]
) -> tuple[tuple[Skipped, ...], tuple[Notice, ...], tuple[Failure, ...]]:
    """What reading skipped, noticed and failed on, in the order of the report (paths in
    natural order), for a `ScanResult` and for a shard manifest alike."""
    return (
        tuple(sorted(skipped, key=lambda s: (_natural(s.path), s.reason))),
        tuple(sorted(notices, key=lambda n: (_natural(n.path), n.message))),
        tuple(sorted(failures, key=lambda f: (_natural(f.where), f.stage, f.error))),
    )


def _natural(text: str) -> list[str | int]:
    """Sort key reading digit runs as numbers: line 9 of a file before line 10."""
    return [int(part) if n % 2 else part for n, part in enumerate(re.split(r"(\d+)", text))]


def _diffs(
    stories: tuple[StoryReport, ...],
    store: _TextStore,
    table: SegmentTable,
    boilerplate: np.ndarray,
    run: _Run,
) -> dict[tuple[str, str], VersionDiff]:
    """Diff every version against its parent, a story per task, in `jobs` processes.

    A task carries its story's pages as packed text and segment rows, not as
    segment records: the main process only slices arrays while the workers
    diff, and the diffs of one story share their sides in one worker. A diff
    that fails is left out (null) and the failure reported against its story.
    """
    work, on_page = diff_work(stories)
    tasks = (
        diff_task(story, pairs, on_page, table, boilerplate, run.fail_fast, store.pack)
        for story, pairs in work
    )
    weights = [len(pairs) for _, pairs in work]
    found = _map(_diff_story, tasks, run.jobs, "diffing", run.progress, weights, _PARALLEL_TASKS, 4)
    return collect_diffs(work, found, run.failures)


_DiffWork = list[tuple[StoryReport, list[tuple[Version, Version]]]]


def diff_work(
    stories: Iterable[StoryReport],
) -> tuple[_DiffWork, dict[str, list[tuple[Version, str]]]]:
    """The stories with something to diff, each with its (version, parent) pairs in report
    order; and every version on each page, with its story (an aggregator's other sections)."""
    stories = tuple(stories)
    on_page = versions_on_pages((s.id, [r.version for r in s.versions]) for s in stories)
    work = [
        (story, pairs)
        for story in stories
        if (pairs := [(r.version, r.parent) for r in story.versions if r.parent is not None])
    ]
    return work, on_page


def versions_on_pages(
    stories: Iterable[tuple[str, Iterable[Version]]],
) -> dict[str, list[tuple[Version, str]]]:
    """Every version on each page, with its story's id, from (story id, versions): the
    stories as clustered or as traced (the same versions)."""
    on_page: dict[str, list[tuple[Version, str]]] = {}
    for story_id, versions in stories:
        for version in versions:
            on_page.setdefault(version.doc_id, []).append((version, story_id))
    return on_page


def diff_task(
    story: StoryReport,
    pairs: list[tuple[Version, Version]],
    on_page: dict[str, list[tuple[Version, str]]],
    table: SegmentTable,
    boilerplate: np.ndarray,
    fail_fast: bool,
    pack: Callable[[str], _Packed] | None,
) -> _DiffStory:
    """The task of diffing one story: its pages' rows, and their texts from `pack` (None:
    without texts, for an engine that adds them where the texts are)."""
    page_ids = sorted({r.version.doc_id for r in story.versions})
    rows_table, rows = table.take_documents(page_ids)
    return _DiffStory(
        story.id,
        tuple(pack(d) for d in page_ids) if pack is not None else (),
        rows_table,
        boilerplate[rows],
        {d: on_page[d] for d in page_ids},
        pairs,
        fail_fast,
    )


def collect_diffs(
    work: _DiffWork,
    found: Iterable[tuple[list[VersionDiff | None], list[Failure]]],
    failures: list[Failure],
) -> dict[tuple[str, str], VersionDiff]:
    """(story id, version key) -> diff, from the results of the `work`'s tasks in order; the
    tasks' failures are added to `failures`."""
    diffs: dict[tuple[str, str], VersionDiff] = {}
    for (story, pairs), (story_diffs, story_failures) in zip(work, found, strict=True):
        failures.extend(story_failures)
        for (child, _), diff in zip(pairs, story_diffs, strict=True):
            if diff is not None:
                diffs[story.id, child.key] = diff
    return diffs


@dataclass(frozen=True, slots=True)
class _DiffStory:
    """What diffing one story needs of the corpus."""

    story: str  # its id
    pages: tuple[_Packed, ...]
    table: SegmentTable  # the pages' segment rows
    boilerplate: np.ndarray  # bool per row of `table`
    on_page: dict[str, list[tuple[Version, str]]]  # page -> every version on it, with its story
    pairs: list[tuple[Version, Version]]  # (version, parent), in report order
    fail_fast: bool = False


def _diff_story(task: _DiffStory) -> tuple[list[VersionDiff | None], list[Failure]]:
    """The diffs of one story's versions against their parents, in `task.pairs` order
    (None where an unexpected error cut one short, with the failure, unless `fail_fast`).

    Each side is its page minus the segments of the page's other versions that
    lie outside its own paragraphs (an aggregator's other sections). So the site junk
    a child wrapped the copy in shows as added, and a credit line just outside
    the parent's matched text still counts as removed when the child drops
    it; the parent side also drops chrome, which is no part of what was copied.
    A side whose page carries, outside its paragraphs, an article of a story
    the other side's page lacks is an aggregator's section: only its own
    paragraphs count (`_diff_side`). A lone matched line (a related link, a
    sentence shared with some other page) is no article and changes nothing.
    """
    try:
        pages: dict[str, _Page] = {}
        for packed in task.pages:
            rows = task.table.rows(packed.doc.id)
            chrome = frozenset(np.flatnonzero(task.boilerplate[rows.start : rows.stop]).tolist())
            pages[packed.doc.id] = task.table.segments(packed.unpack()), chrome
        versions_on = {d: [v for v, _ in found] for d, found in task.on_page.items()}
        story_of = {v: story for found in task.on_page.values() for v, story in found}
    except Exception as exc:
        if task.fail_fast:
            raise
        return [None] * len(task.pairs), [Failure.of(task.story, "diffing", exc)]

    def section(version: Version, other_page: str) -> _Blocks | None:
        """The blocks of `version`'s section if its page is an aggregator to `other_page`."""
        segments = pages[version.doc_id][0]
        lo, hi = _main_run(segments, version)
        shared = {story_of[v] for v in versions_on[other_page]}
        articles = (
            _main_run(segments, v)
            for v in versions_on[version.doc_id]
            if story_of[v] not in shared and len(v.segments) >= _ARTICLE_SEGMENTS
        )
        if not any(last < lo or first > hi for first, last in articles):
            return None
        return _short_block(segments, lo - 1, lo), _short_block(segments, hi + 1, hi)

    diffs: list[VersionDiff | None] = []
    failures: list[Failure] = []
    for version, source in task.pairs:
        try:
            child = _diff_side(version, pages, versions_on, True, section(version, source.doc_id))
            parent = _diff_side(source, pages, versions_on, False, section(source, version.doc_id))
            chrome = frozenset(s.index for s in child if s.index in pages[s.doc_id][1])
            printed = frozenset(s.index for s in parent if s.index in pages[s.doc_id][1])
            diffs.append(
                diff_versions(child, parent, boilerplate=chrome, parent_boilerplate=printed)
            )
        except Exception as exc:
            if task.fail_fast:
                raise
            diffs.append(None)
            failures.append(Failure.of(task.story, f"diffing {version.key}", exc))
    return diffs, failures


_Page = tuple[tuple[Segment, ...], frozenset[int]]
"""A page's segments and the indexes of its boilerplate segments."""


def _map(
    fn: Callable[[_T], _R],
    tasks: Iterable[_T],
    jobs: int,
    stage: str,
    progress: Progress,
    units: Sequence[int] | int,
    min_parallel: int,
    chunksize: int = 1,
) -> list[_R]:
    """`fn` over `tasks`, results in task order, in `jobs` processes when there are at least
    `min_parallel` tasks (below that, starting processes costs more than it saves).

    Tasks are drawn lazily and at most a few chunks per process are in flight,
    so a large corpus never has all its tasks (pickled pages) in memory at
    once. `units` is the task count, or the progress weight of each task (the
    documents of a batch). No more processes start than there are chunks of
    tasks or cores, and none outlives the scan: an error or a signal here ends
    them, and each ends itself when the scan's process dies (`_die_with_parent`).

    Either way the results come to life in this process (made here, or unpickled by the
    pool's manager thread), a few hundred small objects a task that outlive the stage:
    with `_fewer_collections`, not a collection every 700 of them walking the young ones
    again and again (unpickling the 10k project corpus's diffs: 1.35-1.43 -> 0.60-0.63 s CPU).
    """
    weights = [1] * units if isinstance(units, int) else list(units)
    total, done = sum(weights), 0
    results: list[_R] = []
    workers = min(jobs, os.cpu_count() or 1, -(-len(weights) // chunksize))
    with _fewer_collections():
        if workers <= 1 or len(weights) < min_parallel:
            for result, weight in zip(map(fn, tasks), weights, strict=True):
                results.append(result)
                done += weight
                progress(stage, done, total)
            return results
        with contextlib.closing(_imap(fn, tasks, workers, chunksize)) as chunks:
            for chunk_results in chunks:
                for result in chunk_results:
                    results.append(result)
                    done += weights[len(results) - 1]
                    progress(stage, done, total)
    return results


def _imap(
    fn: Callable[[_T], _R], tasks: Iterable[_T], workers: int, chunksize: int
) -> Generator[list[_R], None, None]:
    """`fn` over `tasks` in `workers` processes, the results a chunk at a time, in task order.

    Tasks are drawn lazily, at most two chunks per process in flight. Closing the
    iterator early (its reader failed, Ctrl-C) ends the processes at once (`_stop`)."""
    chunks = _chunks(iter(tasks), chunksize)
    dates.warm()  # dateparser's first use paid here once, not again in every worker
    pool = ProcessPoolExecutor(
        max_workers=workers, initializer=_die_with_parent, initargs=(os.getpid(),)
    )
    try:
        pending: deque[Future[list[_R]]] = deque()
        for chunk in itertools.islice(chunks, 2 * workers):
            with _signals_held():  # a submit may fork the workers
                pending.append(pool.submit(_run_chunk, fn, chunk))
        while pending:
            chunk_results = pending.popleft().result()
            for chunk in itertools.islice(chunks, 1):
                with _signals_held():
                    pending.append(pool.submit(_run_chunk, fn, chunk))
            yield chunk_results
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown()


def _stop(pool: ProcessPoolExecutor) -> None:
    """End a pool now: queued tasks cancelled, running workers killed (a worker deep in a
    story would otherwise hold up the exit, or outlive it).

    Then the pool's manager thread is let finish: it closes its wake-up pipe on seeing its
    workers gone, and if the interpreter's exit hook (`concurrent.futures.process.
    _python_exit`) wrote to that pipe at the same moment, the write failed on a closed
    descriptor and printed a traceback after "terminated (SIGTERM)" (1 run in 7 or so)."""
    workers = list(getattr(pool, "_processes", None) or {})  # pids: no public accessor
    manager = getattr(pool, "_executor_manager_thread", None)  # no public accessor either
    pool.shutdown(wait=False, cancel_futures=True)
    for pid in workers:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    if manager is not None and manager is not threading.current_thread():
        manager.join(timeout=_MANAGER_WAIT)


_MANAGER_WAIT = 10.0  # seconds; the manager ends as soon as it sees its workers killed


_HELD = frozenset(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C, SIGTERM and SIGHUP held back while worker processes may be forked, and let
    through right after. A handler that raises (Ctrl-C's, or the CLI's for SIGTERM) would
    otherwise run inside Python's after-fork hooks, which print its exception and go on."""
    main = threading.current_thread() is threading.main_thread()
    if not main or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with_parent(parent: int) -> None:
    """A worker's first act: end when the scan's process ends, however it ends.

    A scan killed by SIGKILL (the OOM killer) or SIGTERM (`docker stop`) runs
    no clean-up, and its workers would wait for tasks forever, holding their
    memory. On Linux the kernel kills them (PR_SET_PDEATHSIG); elsewhere a
    thread checks once a second that the parent is still there. Signals meant
    for the scan (Ctrl-C reaches the whole process group) are the parent's to
    handle: it stops the workers itself.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):  # forked with them held (`_signals_held`)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)
    with contextlib.suppress(OSError, AttributeError, TypeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    gc.set_threshold(_YOUNG_COLLECTION, *gc.get_threshold()[1:])  # `_fewer_collections`


# Allocations between two collections of the youngest generation (Python's default: 700).
# The stages build and drop many small containers, almost none in reference cycles, so the
# collector mostly walks live objects: at 50,000 the diff stage took 7-13% less CPU
# (captured tasks of 2k articles, both corpora, alternated), for at most that many objects
# left to the next collection. Results do not depend on when a collection runs.
_YOUNG_COLLECTION = 50_000


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """The stages' work in this process with `_YOUNG_COLLECTION`, the caller's setting back
    after (a library does not change its host's collector for good; workers keep it)."""
    before = gc.get_threshold()
    gc.set_threshold(_YOUNG_COLLECTION, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def _chunks(items: Iterator[_T], size: int) -> Iterator[list[_T]]:
    while chunk := list(itertools.islice(items, size)):
        yield chunk


def _run_chunk(fn: Callable[[_T], _R], chunk: list[_T]) -> list[_R]:
    return [fn(task) for task in chunk]


def _trace_all(
    found: tuple[Story, ...], store: _TextStore, fp: Fingerprints, run: _Run
) -> tuple[StoryReport, ...]:
    """Provenance of every story, in `jobs` processes.

    Each task carries only its story's pages (documents and fingerprint rows),
    so the work ships to a worker without the whole corpus. A story whose
    tracing fails is reported untraced (`_untraced`), with the failure; so is, without
    one, a story `run.traced` leaves out.
    """
    aggregators = aggregator_pages(found)  # of every story, traced or not
    chosen = [s for s in found if run.traced is None or run.traced(s)]
    tasks = (trace_task(story, store.pack, fp, aggregators, run.fail_fast) for story in chosen)
    traced = _map(
        _trace_task, tasks, run.jobs, "tracing", run.progress, len(chosen), _PARALLEL_TASKS, 8
    )
    run.failures.extend(failure for _, failure in traced if failure is not None)
    reports = {story.id: report for story, (report, _) in zip(chosen, traced, strict=True)}
    return tuple(reports.get(story.id) or _untraced(story) for story in found)


def aggregator_pages(found: Iterable[Story]) -> frozenset[str]:
    """Pages that hold versions of two or more stories."""
    holders = Counter(d for story in found for d in {v.doc_id for v in story.versions})
    return frozenset(d for d, n in holders.items() if n >= 2)


_TraceTask = tuple[Story, tuple[_Packed, ...], Fingerprints, frozenset[str], bool]


def trace_task(
    story: Story,
    pack: Callable[[str], _Packed],
    fp: Fingerprints,
    aggregators: frozenset[str],
    fail_fast: bool,
) -> _TraceTask:
    """The task of tracing one story: its pages (texts from `pack`, rows of `fp`), which of
    them are aggregators."""
    pages = sorted({v.doc_id for v in story.versions})
    page_docs = tuple(pack(d) for d in pages)
    return story, page_docs, fp.documents(pages), aggregators & set(pages), fail_fast


def _trace_task(task: _TraceTask) -> tuple[StoryReport, Failure | None]:
    story, pages, fp, aggregators, fail_fast = task
    try:
        report = trace(story, {p.doc.id: p.unpack() for p in pages}, fp, aggregators)
        check_tree(report)
    except Exception as exc:
        if fail_fast:
            raise
        return _untraced(story), Failure.of(story.id, "tracing", exc)
    return report, None


def check_tree(story: StoryReport) -> None:
    """Raise ValueError unless `story`'s versions form one tree rooted at its origin: each
    version once, the origin alone without a parent, every parent a version of the story,
    and no version its own ancestor. Walked without recursion."""
    keys = [r.version.key for r in story.versions]
    if len(set(keys)) != len(keys):
        raise ValueError(f"{story.id}: two versions share a reference")
    parent = {r.version.key: r.parent.key if r.parent else None for r in story.versions}
    roots = [k for k, p in parent.items() if p is None]
    if roots != [story.origin.key]:
        raise ValueError(f"{story.id}: the versions without a parent are {roots}")
    for key in keys:
        seen = {key}
        node = parent[key]
        while node is not None:
            if node not in parent:
                raise ValueError(f"{story.id}: {key} descends from {node}, no version of it")
            if node in seen:
                raise ValueError(f"{story.id}: {key} is its own ancestor")
            seen.add(node)
            node = parent[node]


def _untraced(story: Story) -> StoryReport:
    """A story whose tracing failed: its versions (the first by document and segment stands
    as its origin), none with a parent, relation "unknown"."""
    versions = sorted(story.versions, key=lambda v: (v.doc_id, v.segments))
    return StoryReport(
        story.id,
        versions[0],
        tuple(VersionReport(v, None, UNTRACED, 0.0, 0.0, 0.0, ()) for v in versions),
    )


UNTRACED = "unknown"  # the relation of every version of a story whose tracing failed


_PARALLEL_TASKS = 64  # below this, starting processes costs more than it saves


def _diff_side(
    version: Version,
    pages: dict[str, _Page],
    versions_on: dict[str, list[Version]],
    keep_chrome: bool,
    section: _Blocks | None,
) -> list[Segment]:
    """The segments of `version`'s page that are its text.

    A `section` (first and last block) means the page holds other articles (an
    aggregator): only the paragraphs of the version's main run and a short one
    on each side (its headline, a sign-off) count, not the page's other
    sections, even where a paraphrased fragment of the story recurs in them.
    """
    segments, chrome = pages[version.doc_id]
    lo, hi = section or (0, segments[-1].block)
    others = {
        i for v in versions_on[version.doc_id] if _apart(v, version, segments) for i in v.segments
    }
    own = set(version.segments)
    return [
        s
        for s in segments
        if (s.index in own or s.index not in others)
        and (keep_chrome or s.index not in chrome or printed_with_story(s.text))
        and lo <= s.block <= hi
    ]


def _apart(other: Version, version: Version, segments: Sequence[Segment]) -> bool:
    """Another version is another article only if it lies outside this one's paragraphs
    (an aggregator's next section); pieces of one story that interleave with it
    (quotes matched on their own) are part of its text."""
    lo, hi = segments[version.segments[0]].block, segments[version.segments[-1]].block
    return other != version and (
        segments[other.segments[-1]].block < lo or segments[other.segments[0]].block > hi
    )


_Blocks = tuple[int, int]
_ARTICLE_SEGMENTS = 3  # a version of at least this many segments is an article of its own


def _main_run(segments: Sequence[Segment], version: Version) -> tuple[int, int]:
    """First and last block of the run of `version`'s blocks (at most `CLOSE_BLOCKS` apart)
    that holds most of its segments; the earliest such run on a tie. A paraphrase
    version can reach into a page's other sections by a fragment or two."""
    blocks = [segments[i].block for i in version.segments]
    runs: list[list[int]] = [[blocks[0]]]
    for block in blocks[1:]:
        if block - runs[-1][-1] <= CLOSE_BLOCKS:
            runs[-1].append(block)
        else:
            runs.append([block])
    main = max(runs, key=len)
    return main[0], main[-1]


def _short_block(segments: Sequence[Segment], block: int, otherwise: int) -> int:
    """`block` if it is a short paragraph of the page (a headline, a sign-off), else `otherwise`.

    A lone token ("[3]", "Share") is a section marker or a button, not the article's.
    """
    words = [len(s.text.split()) for s in segments if s.block == block]
    return block if 2 <= sum(words) <= SHORT_PARAGRAPH_WORDS else otherwise


@dataclass(frozen=True, eq=False)
class _Prepared:
    """What a batch of documents gives the rest of the scan."""

    fingerprints: Fingerprints  # without signatures
    keys: np.ndarray  # the LSH band keys
    notices: list[Notice]
    failures: list[Failure]


@dataclass(frozen=True, eq=False)
class Fingerprinted:
    """Segments, shingles and LSH keys of some documents, made before a scan (an archive
    index stores them: `store.archive.fingerprinted`), which the scan takes as they are."""

    doc_ids: frozenset[str]
    fingerprints: Fingerprints  # without signatures; its documents in any order
    keys: np.ndarray  # band keys (bands + 1, rows); rows that cannot match are never read


def _in_order(parts: Sequence[_Prepared], docs: Sequence[Document]) -> list[_Prepared]:
    """`parts` as one, its documents' rows in the order of `docs` (by id), as a scan that
    prepared every document itself has them: the later stages see the same arrays."""
    fp = concat([p.fingerprints for p in parts])
    keys = np.concatenate([p.keys for p in parts], axis=1)
    held = set(fp.table.doc_ids)
    table, rows = fp.table.take_documents([d.id for d in docs if d.id in held])
    notices = [n for p in parts for n in p.notices]
    failures = [f for p in parts for f in p.failures]
    return [_Prepared(fp.take_rows(rows, table), keys[:, rows], notices, failures)]


def _prepare(work: tuple[tuple[_Packed, ...], ScanOptions, bool]) -> _Prepared:
    """Segments, fingerprints and LSH keys of one batch; a document over `max_segments` is
    truncated, and cut no further than that. The signatures stay here: only their band
    keys are needed downstream. A document whose segmenting or fingerprinting fails
    unexpectedly keeps no segments (the failure says so) unless `fail_fast`."""
    packed, options, fail_fast = work
    limit = options.limits.max_segments
    per_doc: list[tuple[str, str, list[tuple[int, int, int]]]] = []  # (id, text, spans)
    notices: list[Notice] = []
    failures: list[Failure] = []
    for d in (p.unpack() for p in packed):
        try:
            spans = segment_spans(d, options.segment, limit + 1)
        except Exception as exc:
            if fail_fast:
                raise
            failures.append(Failure.of(d.id, "segmenting", exc))
            continue
        if len(spans) > limit:
            notices.append(
                Notice(d.source or d.id, f"truncated to its first {limit} segments (not read past)")
            )
            del spans[limit:]
        per_doc.append((d.id, d.text, spans))
    try:
        fp = _fingerprinted(per_doc, options.fingerprint)
    except Exception:
        if fail_fast:
            raise
        kept = []
        for one in per_doc:  # find the document at fault: the others are kept
            try:
                _fingerprinted([one], options.fingerprint)
            except Exception as exc:
                failures.append(Failure.of(one[0], "fingerprinting", exc))
            else:
                kept.append(one)
        fp = _fingerprinted(kept, options.fingerprint)
    return _Prepared(
        fp.without_signatures(), band_keys(fp.signatures, options.index), notices, failures
    )


def _fingerprinted(
    docs: Sequence[tuple[str, str, list[tuple[int, int, int]]]], opts: FingerprintOptions
) -> Fingerprints:
    """`fingerprint` of documents given as (id, text, segment spans): the segments' rows and
    texts taken from the spans, with no record per segment."""
    texts = [text[s:e] for _, text, spans in docs for s, e, _ in spans]
    table = SegmentTable.of_spans([(doc_id, spans) for doc_id, _, spans in docs])
    return fingerprint_texts(texts, table, opts)


class UnknownReference(ValueError):
    """A `diff` argument that names no readable document or version."""


def diff_references(
    before: str, after: str, options: ScanOptions, root: str | None = None
) -> tuple[VersionDiff, tuple[Skipped, ...]]:
    """What changed from `before` to `after`: files, or `DOC#SEGMENT` versions of a scan of `root`.

    A plain path diffs the whole extracted text of each file. A reference with
    `#SEGMENT` names a version as scan output keys it (`003.txt#30`), found by
    scanning `root` (default: the current directory), so a diff can follow a
    lineage printed by `scan` exactly.
    """
    if "#" in before or "#" in after:
        result = scan([root or "."], replace(options, diffs=False))
        versions = {v.version.key: v.version for s in result.stories for v in s.versions}
        sides = [_resolve(ref, versions, result) for ref in (before, after)]
        return diff_versions(sides[1], sides[0]), result.skipped
    docs: list[Document] = []
    for path in (before, after):
        found = [item for item in iter_documents([path], max_bytes=options.limits.max_bytes)]
        doc = next((d for d in found if isinstance(d, Document)), None)
        if doc is None:
            reason = next((s.reason for s in found if isinstance(s, Skipped)), "no document")
            raise UnknownReference(f"{path}: {reason}")
        docs.append(doc)
    parent, child = (segment(d, options.segment) for d in docs)
    # Without a corpus there is no frequency evidence; cue phrases still mark chrome.
    chrome = frozenset(s.index for s in child if reads_as_chrome(s.text))
    return diff_versions(child, parent, boilerplate=chrome), ()


def _resolve(ref: str, versions: dict[str, Version], result: ScanResult) -> list[Segment]:
    """The segments `ref` names: a version as the scan keys it, a whole document, or one
    segment of a document (`DOC#SEGMENT`). A document id may hold "#" itself (a JSON Lines
    record without an id is `feed.jsonl#3`), so the segment is what follows the last one."""
    if ref in versions:
        version = versions[ref]
        segments = result.segments_of(version.doc_id)
        return [segments[i] for i in version.segments if i < len(segments)]
    if whole := result.segments_of(ref):
        return list(whole)
    doc_id, _, index = ref.rpartition("#")
    segments = result.segments_of(doc_id)
    if index.isdigit() and int(index) < len(segments):
        return [segments[int(index)]]
    raise UnknownReference(f"{ref}: no such document or version in the scanned directory")
