"""The dask engine: the same scan, its stages on a Dask cluster.

The work is split the way the data is (docs/scaling.md):

1. reading: each task reads a group of input files (or one JSON Lines shard, through
   fsspec: local paths, `file://` globs, `s3://`...) on a worker; only the documents'
   metadata (no text) comes to the client, which drops repeated ids in input order
   (`ingest.unique_ids`), as a local scan does;
2. fingerprinting: documents are dealt, worker to worker, into batches by id (the order
   of a local scan), and each batch is segmented, fingerprinted and given its LSH band
   keys (`pipeline._prepare`) where it lands; texts stay in the workers' memory, and a
   worker lost takes them with it only until dask reads them again from the inputs;
3. candidates: the whole-signature keys, then the band keys of one segment per identical
   signature, are shuffled by hash of the key into partitions, so every bucket is formed
   and paired on one worker (`index.identical_chains`, `index.bucket_pairs`);
4. verification: candidate pairs are dealt to the batch of their left row, which fetches
   the shingles of their right rows from the batches holding them and keeps the pairs
   that pass (`index.verify`);
5. clustering runs on the client over the verified pairs and the batches' fingerprints
   without texts or signatures (its paraphrase channel pairs rare shingles across the
   whole corpus, so it needs them in one place: the bound of this engine);
6. provenance and diffs run on workers, a chunk of stories per task, each with its pages'
   texts and rows picked from the batches that hold them; a chunk's diffs are found where
   its traced stories are;
7. the report: gathered on the client into a `ScanResult` (`scan`), or written as JSON
   Lines shards by the workers (`scan_to`, `scan -o DIR/`): a shard per chunk of stories
   and per batch of documents, so no story, diff or text passes through the client, which
   writes the manifest last (`report.shards`).

Every stage calls the functions the local engine calls, in an order that gives the same
arrays, so the result, and the report's bytes, are those of the local engine.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import importlib.util
import logging
import os
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from distributed import Client, Future, LocalCluster, as_completed

from ..cluster import Clustering, Story, Version
from ..diff import VersionDiff
from ..fingerprint import Fingerprints, concat
from ..index import IndexOptions, Matches, bucket_pairs, distinct, identical_chains, verify
from ..ingest import Entry, entries, read_entry, unique_ids, url_entries
from ..pipeline import (
    Found,
    Progress,
    ScanOptions,
    ScanResult,
    _diff_story,
    _Packed,
    _prepare,
    _Prepared,
    _trace_task,
    aggregator_pages,
    assemble,
    cluster_documents,
    collect_diffs,
    diff_task,
    diff_work,
    in_order,
    scan_documents,
    silent,
    sort_item,
    trace_task,
    versions_on_pages,
)
from ..provenance import StoryReport
from ..records import Document, Failure, Notice, Skipped
from ..report.json import counts
from ..report.shards import (
    DOCUMENTS_PER_SHARD,
    STORIES_PER_SHARD,
    Destination,
    Shard,
    Written,
    document_shard,
    finish,
    story_shard,
    write_result,
)
from . import EngineUnavailable, _quiet

_Item = Document | Skipped | Notice | Failure
_T = TypeVar("_T")

PARTITION_DOCS = DOCUMENTS_PER_SHARD
"""Documents per batch: big enough that a task's overhead (about a millisecond on the
scheduler) is small beside its work, small enough that a batch's texts and arrays fit a
worker many times over (docs/scaling.md)."""
FILES_PER_READ = 256  # files read by one task; a JSON Lines shard is a task of its own
STORIES_PER_TASK = STORIES_PER_SHARD  # stories traced, diffed (and written) by one task
CONNECT_SECONDS = 10.0


@dataclass(frozen=True)
class DaskEngine:
    """A scan on the Dask cluster at `scheduler` (tcp://HOST:8786), or on a `LocalCluster` of
    `workers` processes (default: this machine's cores) when there is none. `notify` gets
    one-line messages for stderr (the dashboard's address)."""

    scheduler: str | None = None
    workers: int | None = None
    partition_docs: int = PARTITION_DOCS
    shuffle_partitions: int | None = None  # default: twice the workers, at most the batches
    stories_per_task: int = STORIES_PER_TASK
    notify: Callable[[str], None] = _quiet

    def scan(
        self,
        paths: Sequence[str],
        options: ScanOptions,
        progress: Progress = silent,
        fail_fast: bool = False,
    ) -> ScanResult:
        return self._run(paths, lambda scan, inputs: scan.run(inputs), options, progress, fail_fast)

    def scan_to(
        self,
        paths: Sequence[str],
        options: ScanOptions,
        destination: Destination,
        progress: Progress = silent,
        fail_fast: bool = False,
    ) -> Written:
        """The scan, its shards written by the workers (`_Scan.run_to`)."""
        return self._run(
            paths,
            lambda scan, inputs: scan.run_to(inputs, destination),
            options,
            progress,
            fail_fast,
        )

    def _run(
        self,
        paths: Sequence[str],
        how: Callable[[_Scan, list[Entry]], _T],
        options: ScanOptions,
        progress: Progress,
        fail_fast: bool,
    ) -> _T:
        """`how` the scan runs, on a client of the cluster; a scheduler lost meanwhile is an
        `EngineUnavailable`."""
        inputs = list_inputs(paths)
        with _quiet_logs(), self.client() as client:
            self.notify(_dashboard(client))
            _same_code(client, self.address())
            try:
                return how(_Scan(client, self, options, progress, fail_fast), inputs)
            except (Exception, asyncio.CancelledError) as exc:
                if client.status != "running" or not _reachable(client):
                    raise EngineUnavailable(
                        f"lost the dask scheduler at {self.address()} in the middle of the scan"
                    ) from exc
                raise

    def address(self) -> str:
        return self.scheduler or "a local cluster"

    @contextlib.contextmanager
    def client(self) -> Iterator[Client]:
        """A client of the scheduler, or of a `LocalCluster` started here and stopped at the
        end; a scheduler that cannot be reached is an `EngineUnavailable`."""
        if self.scheduler is None:
            workers = self.workers or os.cpu_count() or 1
            with (
                LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=":0" if _has_dashboard() else None,
                    silence_logs=logging.ERROR,
                ) as local,
                Client(local) as client,
            ):
                yield client
            return
        try:
            client = Client(self.scheduler, timeout=CONNECT_SECONDS, direct_to_workers=True)
        except (OSError, ValueError, asyncio.TimeoutError) as exc:
            raise EngineUnavailable(
                f"cannot reach the dask scheduler at {self.scheduler}: {_why(exc)}"
            ) from exc
        try:
            yield client
        finally:
            with contextlib.suppress(Exception):
                client.close(timeout=2)


@contextlib.contextmanager
def _quiet_logs() -> Iterator[None]:
    """distributed's own log lines (a reconnection that failed, with its traceback) kept off
    stderr while a scan runs: what went wrong is reported once, as `EngineUnavailable`."""
    logger = logging.getLogger("distributed")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        logger.setLevel(level)


def list_inputs(paths: Sequence[str]) -> list[Entry]:
    """The input files, in the order a local scan reads them: local paths as `ingest` lists
    them (ids relative to what was named, as there), URLs (anything with "://") through
    fsspec. A local path must be one every worker sees (a shared file system)."""
    found: list[Entry] = []
    for path in paths:
        if path == "-":
            raise EngineUnavailable("--engine dask reads files and URLs, not standard input")
        if "://" in path:
            found += url_entries(path)
        else:  # a worker runs in a directory of its own: it is given where the file is
            found += [replace(e, full=os.path.abspath(e.full)) for e in entries(path)]
    return found


def _source_digest() -> str:
    """A digest of newsdedup's source files as this process first read them: two processes
    with the same digest run the same stages."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


_SOURCE = _source_digest()  # at import: a worker imports this module with its first task


def _loaded_source() -> str:
    return _SOURCE


def _same_code(client: Client, address: str) -> None:
    """Refuse workers that run another newsdedup than the client (installed at another
    version, or started before the code changed): their stages would give other bytes."""
    try:
        same = all(digest == _SOURCE for digest in client.run(_loaded_source).values())
    except Exception:  # a worker whose newsdedup has no `_loaded_source`: older still
        same = False
    if not same:
        raise EngineUnavailable(
            f"the dask workers at {address} run another version of newsdedup than this "
            "one: restart them from this installation"
        )


def _has_dashboard() -> bool:
    return importlib.util.find_spec("bokeh") is not None


def _dashboard(client: Client) -> str:
    """Where the cluster's dashboard is, or that it has none: the scheduler's web server
    serves the dashboard's pages only with bokeh installed where the scheduler runs."""
    try:
        has_pages = bool(client.run_on_scheduler(_has_dashboard))
    except Exception:  # a scheduler that cannot import newsdedup cannot tell
        has_pages = False
    if has_pages and "dashboard" in client.scheduler_info().get("services", {}):
        return f"dask dashboard: {client.dashboard_link}"
    return "dask: no dashboard (bokeh is not installed where the scheduler runs)"


def _reachable(client: Client) -> bool:
    try:
        client.scheduler_info()
        client.run_on_scheduler(os.getpid)
    except Exception:
        return False
    return True


def _why(exc: BaseException) -> str:
    message = " ".join(str(exc).split())
    return message or type(exc).__name__


# -- the scan, as the client drives it ------------------------------------------------------


class _Scan:
    """One scan's futures and what the client keeps of them."""

    def __init__(
        self,
        client: Client,
        engine: DaskEngine,
        options: ScanOptions,
        progress: Progress,
        fail_fast: bool,
    ) -> None:
        self.client = client
        self.engine = engine
        self.options = options
        self.progress = progress
        self.fail_fast = fail_fast
        self.run_id = uuid.uuid4().hex[:12]
        self.tasks = 0

    def submit(self, stage: str, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        """`fn(*args)` on a worker, named for the dashboard; futures in `args` are resolved
        there, their data sent worker to worker."""
        self.tasks += 1
        key = f"newsdedup-{stage}-{self.run_id}-{self.tasks}"
        return self.client.submit(fn, *args, key=key, pure=False)

    def follow(
        self, stage: str, futures: Sequence[Future[Any]], weights: Sequence[int] = ()
    ) -> None:
        """Report `stage`'s progress as its futures finish on the cluster."""
        units = list(weights) or [1] * len(futures)
        weight = {f.key: w for f, w in zip(futures, units, strict=True)}
        total, done = sum(units), 0
        self.progress(stage, 0, total)
        for future in as_completed(futures):
            done += weight[future.key]
            self.progress(stage, done, total)

    def run(self, inputs: list[Entry]) -> ScanResult:
        """The scan, its result gathered on the client (for `--format json` and the others)."""
        found = self.cluster(inputs)
        if isinstance(found, ScanResult):
            return found
        chunks = self.trace(found)
        traced = self.client.gather([c.traced for c in chunks])
        diffed = self.client.gather([c.diffed for c in chunks if c.diffed is not None])
        reports = [report for chunk in traced for report, _ in chunk]
        failures = found.failures + [f for chunk in traced for _, f in chunk if f is not None]
        diffs: dict[tuple[str, str], VersionDiff] = {}
        for chunk_diffs, chunk_failures in diffed:
            diffs.update(chunk_diffs)
            failures += chunk_failures
        del chunks
        documents = tuple(p.unpack() for part in self.client.gather(found.texts) for p in part)
        result = Found(found.fp, found.clustering.boilerplate, tuple(reports), diffs)
        return assemble(documents, result, self.options, found.skipped, found.notices, failures)

    def run_to(self, inputs: list[Entry], destination: Destination) -> Written:
        """The scan, its report written as shards by the workers: a shard of stories by the
        task that traced and diffed them, a shard of documents by the worker holding the
        batch; the client gathers only the shards' names, line counts and failures, then
        writes the manifest."""
        found = self.cluster(inputs)
        if isinstance(found, ScanResult):
            return write_result(found, destination)
        options, boilerplate, bounds = self.options, found.clustering.boilerplate, found.bounds
        stories = [
            self.submit(
                "write-stories",
                _write_stories,
                destination,
                k,
                options,
                chunk.traced,
                chunk.diffed,
                chunk.boilerplate,
                *chunk.pages,
            )
            for k, chunk in enumerate(self.trace(found))
        ]
        documents = [
            self.submit(
                "write-documents",
                _write_documents,
                destination,
                b,
                options,
                texts,
                found.fingerprints[b],
                boilerplate[int(bounds[b]) : int(bounds[b + 1])],
            )
            for b, texts in enumerate(found.texts)
        ]
        self.follow("writing", stories + documents)
        failures = list(found.failures)
        story_shards = []
        for shard, chunk_failures in self.client.gather(stories):
            story_shards.append(shard)
            failures += chunk_failures
        skipped, notices, failures_in_order = in_order(found.skipped, found.notices, failures)
        written = Written(
            options,
            counts(
                len(found.kept),
                len(found.fp),
                len(found.clustering.stories),
                skipped,
                failures_in_order,
            ),
            skipped,
            notices,
            failures_in_order,
            tuple(self.client.gather(documents)),
            tuple(story_shards),
        )
        return finish(destination, written)

    def cluster(self, inputs: list[Entry]) -> _Clustered | ScanResult:
        """Reading, fingerprinting, matching on the workers, clustering on the client: the
        stories, and where each document's text and rows are; a scan that kept no document
        is its (empty) result already."""
        options = self.options
        reads = [
            self.submit("read", _read, part, options.limits.max_bytes, self.fail_fast)
            for part in _read_parts(inputs)
        ]
        self.follow("reading", reads)
        listings = self.client.gather([self.submit("list", _listing, r) for r in reads])
        kept, skipped, notices, failures = _kept(listings)
        if not kept:
            return scan_documents(
                [], options, skipped, notices=notices, failures=failures, fail_fast=self.fail_fast
            )
        batches = _batches(kept, self.engine.partition_docs)
        texts = [
            self.submit(
                "batch",
                _merge,
                *[
                    self.submit("pick", _pick, reads[part], positions)
                    for part, positions in _by_part(batch)
                ],
            )
            for batch in batches
        ]
        del reads  # the batches hold the texts now; dask reads again what a lost worker held
        prepared = [
            self.submit("fingerprint", _prepare_batch, t, options, self.fail_fast) for t in texts
        ]
        self.follow("fingerprinting", prepared, [len(b) for b in batches])
        facts = self.client.gather([self.submit("facts", _facts, p) for p in prepared])
        fp = concat([f[0] for f in facts])
        notices += [n for f in facts for n in f[1]]
        failures += [x for f in facts for x in f[2]]
        bounds = np.zeros(len(facts) + 1, dtype=np.int64)
        np.cumsum([len(f[0]) for f in facts], out=bounds[1:])
        del facts
        matches = self.match(prepared, bounds)
        fingerprints = [self.submit("rows", _fingerprints, p) for p in prepared]
        del prepared
        self.progress("clustering", 0, 1)
        docs = (d for _, d in kept)  # their sites and languages (no story across languages)
        clustering = cluster_documents(fp, matches, docs, options, os.cpu_count() or 1)
        self.progress("clustering", 1, 1)
        return _Clustered(
            kept, skipped, notices, failures, texts, fingerprints, fp, bounds, clustering
        )

    def match(self, prepared: list[Future[Any]], bounds: np.ndarray) -> Matches:
        """Verified pairs, as `index.match_segments` finds them, by two shuffles of keys."""
        opts = self.options.index
        n, batches = int(bounds[-1]), len(prepared)
        workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        parts = self.engine.shuffle_partitions or max(1, min(batches, 2 * workers))
        whole = [
            self.submit("split-whole", _split_whole, p, int(bounds[b]), parts)
            for b, p in enumerate(prepared)
        ]
        chains = [
            self.submit(
                "chains", _chains, n, bounds, *[self.submit("take", _nth, w, k) for w in whole]
            )
            for k in range(parts)
        ]
        bands = [
            self.submit(
                "split-bands",
                _split_bands,
                p,
                int(bounds[b]),
                parts,
                *[self.submit("take", _representatives, c, b) for c in chains],
            )
            for b, p in enumerate(prepared)
        ]
        buckets = [
            self.submit(
                "buckets",
                _buckets,
                n,
                bounds,
                opts.max_bucket_span,
                chains[k],
                *[self.submit("take", _nth, s, k) for s in bands],
            )
            for k in range(parts)
        ]
        self.follow("matching", buckets)
        pairs = [
            self.submit("pairs", _pairs, *[self.submit("take", _nth, k, b) for k in buckets])
            for b in range(batches)
        ]
        needed = self.client.gather(
            [self.submit("needed", _batches_needed, p, n, bounds) for p in pairs]
        )
        verified = [
            self.submit(
                "verify",
                _verify,
                opts,
                n,
                pairs[b],
                *[
                    self.submit("shingles", _pair_rows, prepared[j], int(bounds[j]), pairs[b], n)
                    for j in needed[b]
                ],
            )
            for b in range(batches)
        ]
        self.follow("verifying", verified)
        found = self.client.gather(verified)
        return Matches(*(np.concatenate([getattr(m, f) for m in found]) for f in _MATCH_FIELDS))

    def trace(self, found: _Clustered) -> list[_Chunk]:
        """Provenance, then diffs, of every story on the workers, `STORIES_PER_TASK` stories
        a task, each chunk with its pages' texts and rows picked from the batches; the
        results stay on the workers (as futures) until the caller gathers or writes them."""
        stories = found.clustering.stories
        aggregators = aggregator_pages(stories)
        on_page = versions_on_pages((s.id, s.versions) for s in stories)
        batch_of = _batch_of(found.kept, self.engine.partition_docs)
        chunks: list[_Chunk] = []
        size = self.engine.stories_per_task
        for lo in range(0, len(stories), size):
            chunk = stories[lo : lo + size]
            pages = sorted({v.doc_id for story in chunk for v in story.versions})
            by_batch: dict[int, list[str]] = defaultdict(list)
            for page in pages:  # batches in id order: the picks' rows are the pages' in order
                by_batch[batch_of[page]].append(page)
            picks = [
                self.submit("pages", _pages, found.texts[b], found.fingerprints[b], ids)
                for b, ids in sorted(by_batch.items())
            ]
            held = aggregators & set(pages)
            traced = self.submit("trace", _trace_chunk, chunk, held, self.fail_fast, *picks)
            boilerplate = found.clustering.boilerplate[found.fp.table.take_documents(pages)[1]]
            diffed = None
            if self.options.diffs:
                near = {page: on_page[page] for page in pages}
                diffed = self.submit(
                    "diff", _diff_chunk, traced, near, boilerplate, self.fail_fast, *picks
                )
            chunks.append(_Chunk(len(chunk), picks, boilerplate, traced, diffed))
        weights = [c.stories for c in chunks]
        self.follow("tracing", [c.traced for c in chunks], weights)
        if self.options.diffs:
            self.follow("diffing", [c.diffed for c in chunks if c.diffed is not None], weights)
        return chunks


@dataclass(frozen=True, eq=False)
class _Clustered:
    """What the client holds once the stories are known: the documents' metadata (each with
    where its text is), what reading skipped, noticed and failed on, the batches (futures:
    texts, rows), the fingerprints without signatures, and the clustering."""

    kept: list[tuple[tuple[int, int], Document]]
    skipped: list[Skipped]
    notices: list[Notice]
    failures: list[Failure]
    texts: list[Future[Any]]
    fingerprints: list[Future[Any]]
    fp: Fingerprints
    bounds: np.ndarray
    clustering: Clustering


@dataclass(frozen=True, eq=False)
class _Chunk:
    """A chunk of stories on the workers: its pages (futures of texts and rows, batch by
    batch), the boilerplate of their rows, its traced reports and its diffs (futures)."""

    stories: int
    pages: list[Future[Any]]
    boilerplate: np.ndarray
    traced: Future[Any]
    diffed: Future[Any] | None


_MATCH_FIELDS = ("left", "right", "shared", "jaccard", "containment")


def _read_parts(inputs: list[Entry]) -> list[list[Entry]]:
    """Input files grouped into read tasks, in order: a JSON Lines shard alone (it may hold
    millions of records), other files `FILES_PER_READ` at a time."""
    parts: list[list[Entry]] = []
    group: list[Entry] = []
    for entry in inputs:
        if entry.fmt == "jsonl":
            if group:
                parts.append(group)
                group = []
            parts.append([entry])
        else:
            group.append(entry)
            if len(group) == FILES_PER_READ:
                parts.append(group)
                group = []
    if group:
        parts.append(group)
    return parts


def _kept(
    listings: list[list[_Item]],
) -> tuple[list[tuple[tuple[int, int], Document]], list[Skipped], list[Notice], list[Failure]]:
    """The documents a local scan keeps (each with where its text is: read task, position),
    sorted by id; and what reading skipped, noticed and failed on."""
    where: dict[int, tuple[int, int]] = {}
    stream: list[_Item] = []
    for part, listing in enumerate(listings):
        for position, item in enumerate(listing):
            if isinstance(item, Document):
                where[id(item)] = part, position
            stream.append(item)
    kept: list[tuple[tuple[int, int], Document]] = []
    skipped: list[Skipped] = []
    notices: list[Notice] = []
    failures: list[Failure] = []
    for item in unique_ids(stream):
        if (doc := sort_item(item, skipped, notices, failures)) is not None:
            kept.append((where[id(doc)], doc))
    kept.sort(key=lambda found: found[1].id)
    return kept, skipped, notices, failures


def _batches(
    kept: list[tuple[tuple[int, int], Document]], size: int
) -> list[list[tuple[tuple[int, int], Document]]]:
    return [kept[lo : lo + size] for lo in range(0, len(kept), size)]


def _batch_of(kept: list[tuple[tuple[int, int], Document]], size: int) -> dict[str, int]:
    return {doc.id: k // size for k, (_, doc) in enumerate(kept)}


def _by_part(batch: list[tuple[tuple[int, int], Document]]) -> list[tuple[int, list[int]]]:
    positions: dict[int, list[int]] = defaultdict(list)
    for (part, position), _ in batch:
        positions[part].append(position)
    return sorted(positions.items())


# -- what the workers run -------------------------------------------------------------------


def _read(part: list[Entry], max_bytes: int, fail_fast: bool) -> list[_Item]:
    return [item for entry in part for item in read_entry(entry, max_bytes, fail_fast)]


def _listing(items: list[_Item]) -> list[_Item]:
    """The items without the documents' texts: what the client needs to know of them."""
    return [replace(item, text="") if isinstance(item, Document) else item for item in items]


def _pick(items: list[_Item], positions: list[int]) -> list[_Packed]:
    picked = []
    for position in positions:
        doc = items[position]
        assert isinstance(doc, Document)
        picked.append(_Packed.of(doc))
    return picked


def _merge(*picked: list[_Packed]) -> tuple[_Packed, ...]:
    return tuple(sorted((p for part in picked for p in part), key=lambda p: p.doc.id))


def _prepare_batch(packed: tuple[_Packed, ...], options: ScanOptions, fail_fast: bool) -> _Prepared:
    return _prepare((packed, options, fail_fast))


def _facts(prepared: _Prepared) -> tuple[Fingerprints, list[Notice], list[Failure]]:
    return prepared.fingerprints, prepared.notices, prepared.failures


def _fingerprints(prepared: _Prepared) -> Fingerprints:
    return prepared.fingerprints


def _nth(parts: Sequence[Any], k: int) -> Any:
    return parts[k]


def _split_whole(prepared: _Prepared, base: int, parts: int) -> list[np.ndarray]:
    """(whole-signature key, row) of the batch's candidate rows, dealt by key into `parts`."""
    fp = prepared.fingerprints
    rows = np.flatnonzero(fp.indexed & ~fp.chrome)
    keys = prepared.keys[0][rows]
    return _deal(keys, [keys, (rows + base).astype(np.uint64)], parts)


def _deal(keys: np.ndarray, columns: list[np.ndarray], parts: int) -> list[np.ndarray]:
    """`columns` stacked, their entries dealt into `parts` by key, each part in order."""
    stacked = np.stack(columns) if columns[0].size else np.empty((len(columns), 0), np.uint64)
    dest = keys % np.uint64(parts)
    return [stacked[:, dest == k] for k in range(parts)]


def _chains(n: int, bounds: np.ndarray, *slices: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """One partition of whole keys: its chain pairs, and its representatives by batch."""
    joined = np.concatenate(slices, axis=1) if slices else np.empty((2, 0), np.uint64)
    rows = joined[1].astype(np.int64)  # batches in order, rows ascending in each
    if len(rows) == 0:
        return np.empty(0, np.int64), [rows[:0]] * (len(bounds) - 1)
    pairs, representative = identical_chains(joined[0], rows, n)
    kept = rows[representative]
    cuts = np.searchsorted(kept, bounds)
    return pairs, [kept[cuts[b] : cuts[b + 1]] for b in range(len(bounds) - 1)]


def _representatives(chains: tuple[np.ndarray, list[np.ndarray]], batch: int) -> np.ndarray:
    return chains[1][batch]


def _split_bands(
    prepared: _Prepared, base: int, parts: int, *found: np.ndarray
) -> list[np.ndarray]:
    """(band, key, row) of the batch's representatives, each band's keys dealt into `parts`."""
    rows = np.sort(np.concatenate(found)) if found else np.empty(0, np.int64)
    keys = prepared.keys[1:, rows - base]  # (bands, rows)
    bands = np.repeat(np.arange(len(keys), dtype=np.uint64), len(rows))
    flat = keys.ravel()
    return _deal(flat, [bands, flat, np.tile(rows.astype(np.uint64), len(keys))], parts)


def _buckets(
    n: int,
    bounds: np.ndarray,
    max_span: int,
    chains: tuple[np.ndarray, list[np.ndarray]],
    *slices: np.ndarray,
) -> list[np.ndarray]:
    """One partition of band keys: every bucket's pairs (`index.bucket_pairs`), with the
    partition's chain pairs, distinct, dealt to the batches of their left rows."""
    joined = np.concatenate(slices, axis=1) if slices else np.empty((3, 0), np.uint64)
    found = [chains[0]]
    for band in np.unique(joined[0]).tolist():
        mine = joined[:, joined[0] == band]  # batches in order, rows ascending in each
        found += bucket_pairs(mine[1], mine[2].astype(np.int64), n, max_span)
    pairs = distinct(np.concatenate(found))
    cuts = np.searchsorted(pairs // n, bounds)
    return [pairs[cuts[b] : cuts[b + 1]] for b in range(len(bounds) - 1)]


def _pairs(*found: np.ndarray) -> np.ndarray:
    return distinct(np.concatenate(found)) if found else np.empty(0, np.int64)


def _batches_needed(pairs: np.ndarray, n: int, bounds: np.ndarray) -> list[int]:
    """The batches holding a row of `pairs`."""
    rows = np.concatenate([pairs // n, pairs % n])
    return np.unique(np.searchsorted(bounds, rows, side="right") - 1).tolist()  # type: ignore[no-any-return]


def _pair_rows(
    prepared: _Prepared, base: int, pairs: np.ndarray, n: int
) -> tuple[np.ndarray, Fingerprints]:
    """The rows of `pairs` this batch holds (global numbers, ascending) and their shingles."""
    fp = prepared.fingerprints
    rows = distinct(np.concatenate([pairs // n, pairs % n]))
    rows = rows[(rows >= base) & (rows < base + len(fp))]
    return rows, fp.take_rows(rows - base)


def _verify(
    opts: IndexOptions, n: int, pairs: np.ndarray, *held: tuple[np.ndarray, Fingerprints]
) -> Matches:
    """`index.verify` of `pairs` (sorted keys) over the rows `held` (batches in order)."""
    if len(pairs) == 0:
        empty = np.empty(0, np.int64)
        return Matches(empty, empty, empty, np.empty(0), np.empty(0))
    rows = np.concatenate([r for r, _ in held])
    fp = concat([f for _, f in held])
    left, right = np.searchsorted(rows, pairs // n), np.searchsorted(rows, pairs % n)
    found = verify(fp, left, right, opts)
    return replace(found, left=rows[found.left], right=rows[found.right])


def _pages(
    texts: tuple[_Packed, ...], fingerprints: Fingerprints, ids: list[str]
) -> tuple[list[_Packed], Fingerprints]:
    """Pages of a batch a chunk of stories needs: texts and rows."""
    wanted = set(ids)
    return [p for p in texts if p.doc.id in wanted], fingerprints.documents(ids)


def _held(
    picks: Sequence[tuple[list[_Packed], Fingerprints]],
) -> tuple[dict[str, _Packed], Fingerprints]:
    return {p.doc.id: p for texts, _ in picks for p in texts}, concat([f for _, f in picks])


def _trace_chunk(
    stories: Sequence[Story],
    aggregators: frozenset[str],
    fail_fast: bool,
    *picks: tuple[list[_Packed], Fingerprints],
) -> list[tuple[StoryReport, Failure | None]]:
    packed, fp = _held(picks)
    return [
        _trace_task(trace_task(story, packed.__getitem__, fp, aggregators, fail_fast))
        for story in stories
    ]


def _diff_chunk(
    traced: list[tuple[StoryReport, Failure | None]],
    on_page: dict[str, list[tuple[Version, str]]],
    boilerplate: np.ndarray,
    fail_fast: bool,
    *picks: tuple[list[_Packed], Fingerprints],
) -> tuple[dict[tuple[str, str], VersionDiff], list[Failure]]:
    """Every version of the traced chunk diffed against its parent (`pipeline._diffs`, where
    the pages are); `boilerplate` is per row of the picks, in order."""
    packed, fp = _held(picks)
    work, _ = diff_work(report for report, _ in traced)
    found = (
        _diff_story(
            diff_task(story, pairs, on_page, fp.table, boilerplate, fail_fast, packed.__getitem__)
        )
        for story, pairs in work
    )
    failures: list[Failure] = []
    return collect_diffs(work, found, failures), failures


def _write_stories(
    destination: Destination,
    number: int,
    options: ScanOptions,
    traced: list[tuple[StoryReport, Failure | None]],
    diffed: tuple[dict[tuple[str, str], VersionDiff], list[Failure]] | None,
    boilerplate: np.ndarray,
    *picks: tuple[list[_Packed], Fingerprints],
) -> tuple[Shard, list[Failure]]:
    """The chunk's STORY objects as shard `number`, built from a result of the chunk alone
    (its stories, pages, rows, diffs and failures: all a story's object reads); with the
    chunk's failures, for the manifest."""
    packed, fp = _held(picks)
    diffs, failures = diffed if diffed is not None else ({}, [])
    failures = [f for _, f in traced if f is not None] + failures
    documents = tuple(packed[d].unpack() for d in sorted(packed))
    reports = tuple(report for report, _ in traced)
    result = assemble(documents, Found(fp, boilerplate, reports, diffs), options, (), (), failures)
    return story_shard(destination, number, result, result.stories), failures


def _write_documents(
    destination: Destination,
    number: int,
    options: ScanOptions,
    texts: tuple[_Packed, ...],
    fingerprints: Fingerprints,
    boilerplate: np.ndarray,
) -> Shard:
    """The batch's DOCUMENT objects as shard `number`, where the batch is."""
    documents = tuple(p.unpack() for p in texts)
    result = assemble(documents, Found(fingerprints, boilerplate, (), {}), options, (), (), ())
    return document_shard(destination, number, result, documents)
