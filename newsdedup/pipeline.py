"""The library API: documents in, stories out. The CLI only calls this.

Stages, in order (each a pure function in its own module):
ingest -> extract -> segment -> fingerprint -> index -> cluster -> provenance -> report.
`scan_documents` is the pure part; `scan` adds ingest, the only I/O.
"""

from __future__ import annotations

import bisect
import itertools
import re
import tempfile
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from typing import TextIO, TypeVar

import numpy as np

from .chrome import reads_as_chrome
from .cluster import CLOSE_BLOCKS, ClusterOptions, Story, Version, cluster
from .diff import VersionDiff, diff_versions
from .fingerprint import FingerprintOptions, Fingerprints, concat, fingerprint
from .index import IndexOptions, band_keys, match_segments
from .ingest import iter_documents
from .provenance import StoryReport, trace
from .records import Document, Notice, Segment, Skipped
from .segment import SHORT_PARAGRAPH_WORDS, SegmentOptions, SegmentTable, segment

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
        self._file = tempfile.TemporaryFile(prefix="newsdedup-")  # noqa: SIM115 (closed by __exit__)
        self._size = 0
        self._where: dict[str, tuple[Document, int, int]] = {}

    def __enter__(self) -> _TextStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self._file.close()

    def put(self, doc: Document) -> Document:
        """Store `doc`'s text; returns the document without it."""
        data = doc.text.encode("utf-8", "surrogatepass")  # JSON can carry lone surrogates
        self._file.seek(self._size)  # after any read back
        self._file.write(data)
        bare = replace(doc, text="")
        self._where[doc.id] = bare, self._size, len(data)
        self._size += len(data)
        return bare

    def pack(self, doc_id: str) -> _Packed:
        """The document with its text read back, as bytes: ready to ship to a worker."""
        bare, offset, size = self._where[doc_id]
        self._file.seek(offset)  # a buffered file flushes pending writes before it seeks
        data = self._file.read(size)
        if len(data) != size:
            raise OSError(f"temporary text store: short read of {doc_id}")
        return _Packed(bare, data)


@dataclass(frozen=True, eq=False)
class ScanResult:
    documents: tuple[Document, ...]
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

    def segments_of(self, doc_id: str) -> tuple[Segment, ...]:
        """The document's segments as records, text included."""
        k = bisect.bisect_left(self.documents, doc_id, key=lambda d: d.id)
        found = k < len(self.documents) and self.documents[k].id == doc_id
        return self.table.segments(self.documents[k]) if found else ()


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
) -> ScanResult:
    """Read `paths` (files, directories, or "-" for JSON Lines on stdin) and find stories.

    Documents stream into the scan, which compresses each one's text as it
    arrives; `skipped` is complete by the time the scan reads it (at the end).
    """
    skipped: list[Skipped] = []

    def documents() -> Iterator[Document]:
        for read, item in enumerate(
            iter_documents(paths, stdin=stdin, max_bytes=options.limits.max_bytes), 1
        ):
            if isinstance(item, Skipped):
                skipped.append(item)
            else:
                yield item
            progress("reading", read, 0)

    return scan_documents(documents(), options, skipped, jobs=jobs, progress=progress)


def scan_documents(
    documents: Iterable[Document],
    options: ScanOptions,
    skipped: Iterable[Skipped] = (),
    jobs: int = 1,
    batch_docs: int = 256,
    progress: Progress = silent,
) -> ScanResult:
    """Stories among `documents`; the result depends neither on their order nor on `jobs`.

    Segmenting and fingerprinting, the per-document Python work, run in
    `jobs` processes over batches of documents; the batches are put back in
    document order, so every later stage sees the same arrays as with one job.
    """
    with _TextStore() as store:
        docs = tuple(sorted((store.put(d) for d in documents), key=lambda d: d.id))
        return _scan_stored(docs, store, options, skipped, jobs, batch_docs, progress)


def _scan_stored(
    docs: tuple[Document, ...],
    store: _TextStore,
    options: ScanOptions,
    skipped: Iterable[Skipped],
    jobs: int,
    batch_docs: int,
    progress: Progress,
) -> ScanResult:
    """`scan_documents` over `docs` (without their texts, which `store` holds), sorted by id."""
    batches = [docs[i : i + batch_docs] for i in range(0, len(docs), batch_docs)]
    work = ((tuple(store.pack(d.id) for d in batch), options) for batch in batches)
    parts = _map(_prepare, work, jobs, "fingerprinting", progress, [len(b) for b in batches], 2)
    parts = parts or [_prepare(((), options))]
    fp = concat([part for part, _, _ in parts])
    key_parts = [keys for _, keys, _ in parts]
    notices = tuple(n for _, _, found in parts for n in found)
    del parts  # the batches' arrays now live in `fp`
    progress("matching", 0, 1)
    matches = match_segments(fp, options.index, key_parts, jobs)
    del key_parts
    progress("matching", 1, 1)
    progress("clustering", 0, 1)
    clustering = cluster(fp, matches, {d.id: d.site for d in docs}, options.cluster, jobs)
    progress("clustering", 1, 1)
    stories = _trace_all(clustering.stories, store, fp, jobs, progress)
    diffs = (
        _diffs(stories, store, fp.table, clustering.boilerplate, jobs, progress)
        if options.diffs
        else {}
    )
    return ScanResult(
        documents=tuple(store.pack(d.id).unpack() for d in docs),
        table=fp.table,
        indexed=fp.indexed,
        boilerplate=clustering.boilerplate,
        stories=stories,
        skipped=tuple(sorted(skipped, key=lambda s: (_natural(s.path), s.reason))),
        notices=notices,
        options=options,
        diffs=diffs,
    )


def _natural(text: str) -> list[str | int]:
    """Sort key reading digit runs as numbers: line 9 of a file before line 10."""
    return [int(part) if n % 2 else part for n, part in enumerate(re.split(r"(\d+)", text))]


def _diffs(
    stories: tuple[StoryReport, ...],
    store: _TextStore,
    table: SegmentTable,
    boilerplate: np.ndarray,
    jobs: int,
    progress: Progress,
) -> dict[tuple[str, str], VersionDiff]:
    """Diff every version against its parent, a story per task, in `jobs` processes.

    A task carries its story's pages as packed text and segment rows, not as
    segment records: the main process only slices arrays while the workers
    diff, and the diffs of one story share their sides in one worker.
    """
    on_page: dict[str, list[tuple[Version, str]]] = {}
    for story in stories:
        for report in story.versions:
            on_page.setdefault(report.version.doc_id, []).append((report.version, story.id))
    work = [
        (story, pairs)
        for story in stories
        if (pairs := [(r.version, r.parent) for r in story.versions if r.parent is not None])
    ]

    def tasks() -> Iterator[_DiffStory]:
        for story, pairs in work:
            page_ids = sorted({r.version.doc_id for r in story.versions})
            rows_table, rows = table.take_documents(page_ids)
            yield _DiffStory(
                tuple(store.pack(d) for d in page_ids),
                rows_table,
                boilerplate[rows],
                {d: on_page[d] for d in page_ids},
                pairs,
            )

    weights = [len(pairs) for _, pairs in work]
    found = _map(_diff_story, tasks(), jobs, "diffing", progress, weights, _PARALLEL_TASKS, 4)
    return {
        (story.id, child.key): diff
        for (story, pairs), diffs in zip(work, found, strict=True)
        for (child, _), diff in zip(pairs, diffs, strict=True)
    }


@dataclass(frozen=True, slots=True)
class _DiffStory:
    """What diffing one story needs of the corpus."""

    pages: tuple[_Packed, ...]
    table: SegmentTable  # the pages' segment rows
    boilerplate: np.ndarray  # bool per row of `table`
    on_page: dict[str, list[tuple[Version, str]]]  # page -> every version on it, with its story
    pairs: list[tuple[Version, Version]]  # (version, parent), in report order


def _diff_story(task: _DiffStory) -> list[VersionDiff]:
    """The diffs of one story's versions against their parents, in `task.pairs` order.

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
    pages: dict[str, _Page] = {}
    for packed in task.pages:
        rows = task.table.rows(packed.doc.id)
        chrome = frozenset(np.flatnonzero(task.boilerplate[rows.start : rows.stop]).tolist())
        pages[packed.doc.id] = task.table.segments(packed.unpack()), chrome
    versions_on = {d: [v for v, _ in found] for d, found in task.on_page.items()}
    story_of = {v: story for found in task.on_page.values() for v, story in found}

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

    diffs = []
    for version, source in task.pairs:
        child = _diff_side(version, pages, versions_on, True, section(version, source.doc_id))
        parent = _diff_side(source, pages, versions_on, False, section(source, version.doc_id))
        chrome = frozenset(s.index for s in child if s.index in pages[s.doc_id][1])
        diffs.append(diff_versions(child, parent, boilerplate=chrome))
    return diffs


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
    documents of a batch).
    """
    weights = [1] * units if isinstance(units, int) else list(units)
    total, done = sum(weights), 0
    results: list[_R] = []
    if jobs <= 1 or len(weights) < min_parallel:
        for result, weight in zip(map(fn, tasks), weights, strict=True):
            results.append(result)
            done += weight
            progress(stage, done, total)
        return results
    chunks = _chunks(iter(tasks), chunksize)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending: deque[Future[list[_R]]] = deque()
        for chunk in itertools.islice(chunks, 2 * jobs):
            pending.append(pool.submit(_run_chunk, fn, chunk))
        while pending:
            chunk_results = pending.popleft().result()
            for chunk in itertools.islice(chunks, 1):
                pending.append(pool.submit(_run_chunk, fn, chunk))
            for result in chunk_results:
                results.append(result)
                done += weights[len(results) - 1]
                progress(stage, done, total)
    return results


def _chunks(items: Iterator[_T], size: int) -> Iterator[list[_T]]:
    while chunk := list(itertools.islice(items, size)):
        yield chunk


def _run_chunk(fn: Callable[[_T], _R], chunk: list[_T]) -> list[_R]:
    return [fn(task) for task in chunk]


def _trace_all(
    found: tuple[Story, ...],
    store: _TextStore,
    fp: Fingerprints,
    jobs: int,
    progress: Progress,
) -> tuple[StoryReport, ...]:
    """Provenance of every story, in `jobs` processes.

    Each task carries only its story's pages (documents and fingerprint rows),
    so the work ships to a worker without the whole corpus.
    """
    holders = Counter(d for story in found for d in {v.doc_id for v in story.versions})
    aggregators = frozenset(d for d, n in holders.items() if n >= 2)

    def tasks() -> Iterator[_TraceTask]:
        for story in found:
            pages = sorted({v.doc_id for v in story.versions})
            page_docs = tuple(store.pack(d) for d in pages)
            yield story, page_docs, fp.documents(pages), aggregators & set(pages)

    return tuple(
        _map(_trace_task, tasks(), jobs, "tracing", progress, len(found), _PARALLEL_TASKS, 8)
    )


_TraceTask = tuple[Story, tuple[_Packed, ...], Fingerprints, frozenset[str]]


def _trace_task(task: _TraceTask) -> StoryReport:
    story, pages, fp, aggregators = task
    return trace(story, {p.doc.id: p.unpack() for p in pages}, fp, aggregators)


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
        and (keep_chrome or s.index not in chrome)
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


def _prepare(
    work: tuple[tuple[_Packed, ...], ScanOptions],
) -> tuple[Fingerprints, np.ndarray, list[Notice]]:
    """Segments, fingerprints and LSH keys of one batch; a document over `max_segments` is
    truncated. The signatures stay here: only their band keys are needed downstream."""
    packed, options = work
    limit = options.limits.max_segments
    flat: list[Segment] = []
    notices: list[Notice] = []
    for d in (p.unpack() for p in packed):
        segs = segment(d, options.segment)
        if len(segs) > limit:
            notices.append(
                Notice(d.source or d.id, f"truncated to its first {limit} of {len(segs)} segments")
            )
            segs = segs[:limit]
        flat.extend(segs)
    fp = fingerprint(flat, options.fingerprint)
    return fp.without_signatures(), band_keys(fp.signatures, options.index), notices


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
    doc_id, _, index = ref.partition("#")
    segments = result.segments_of(doc_id)
    if ref in versions:
        return [segments[i] for i in versions[ref].segments]
    if segments and not index:
        return list(segments)
    if index.isdigit() and int(index) < len(segments):
        return [segments[int(index)]]
    raise UnknownReference(f"{ref}: no such document or version in the scanned directory")
