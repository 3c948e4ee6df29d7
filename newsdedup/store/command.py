"""`newsdedup index add|remove|stats|query`, and the archive half of `newsdedup scan --index`:
parse, call the library (`archive`), print, exit code. Nothing else.

Exit codes: 0 done; 2 an index that cannot be used (missing, corrupt, foreign, other
parameters, unreachable server: one line naming it), nothing readable to add, or an id to
remove that the index does not hold; 130 interrupted.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import traceback
from collections.abc import Iterator, Mapping, Sequence
from enum import Enum
from typing import Annotated, Any, NoReturn, TextIO

import typer

from ..containers.cli import COLUMNS_OPTION, read_columns
from ..fingerprint import FingerprintOptions
from ..index import IndexOptions
from ..ingest import iter_documents
from ..pipeline import Limits, Progress, ScanOptions, ScanResult
from ..records import Document, Notice, Skipped
from ..report import Format, counted, diagnostics, make_reporter, progress_bar
from .archive import BATCH, add, ensure_parameters, open_store, options_for, scan_indexed, scan_read
from .base import Store, StoreError

EXIT_OK, EXIT_INPUT, EXIT_INTERRUPTED, EXIT_BUG = 0, 2, 130, 70
_FINGERPRINT, _INDEX, _LIMITS = FingerprintOptions(), IndexOptions(), Limits()

index_app = typer.Typer(
    no_args_is_help=True,
    help="An archive index: store what was seen, scan new pages against it "
    "(an SQLite file, or a shared Redis database: redis://HOST:PORT/DB).",
)

IndexArg = Annotated[
    str,
    typer.Option(
        "--index",
        "-i",
        metavar="INDEX",
        help="The index: an SQLite file (made by the first add) or redis://HOST:PORT/DB.",
    ),
]


class StatsFormat(str, Enum):
    text = "text"
    json = "json"


def _fail(message: str, code: int = EXIT_INPUT) -> NoReturn:
    diagnostics().print(f"newsdedup: {message}", markup=False)
    raise typer.Exit(code)


@contextlib.contextmanager
def _opened(location: str, create: bool = False) -> Iterator[Store]:
    """The index, closed afterwards; its errors and Ctrl-C end the command in one line."""
    try:
        store = open_store(location, create=create)
        try:
            yield store
        finally:
            store.close()
    except StoreError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        _fail("interrupted", EXIT_INTERRUPTED)
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:  # a bug: its traceback for a report, then one line
        traceback.print_exc(file=sys.stderr)
        _fail(f"internal error (a bug, please report it): {type(exc).__name__}: {exc}", EXIT_BUG)


def run_indexed_scan(
    index: str,
    add_after: bool,
    paths: Sequence[str],
    options: ScanOptions,
    *,
    stdin: TextIO | None,
    jobs: int,
    progress: Progress,
    fail_fast: bool,
    columns: Mapping[str, str] | None = None,
) -> ScanResult:
    """`newsdedup scan PATH... --index INDEX [--add]` (called by `cli.scan_command`)."""
    with _opened(index, create=add_after) as store:
        return scan_indexed(
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
    raise AssertionError("unreachable")  # _opened exits on every error


@index_app.command("add", short_help="Store documents in the index (unchanged ones skipped).")
def add_command(
    paths: Annotated[list[str], typer.Argument(help="Files or directories (recursive).")],
    index: IndexArg,
    num_perm: Annotated[
        int | None,
        typer.Option(min=8, max=1024, help="MinHash permutations (a new index; default 128)."),
    ] = None,
    shingle_size: Annotated[
        int | None, typer.Option(min=1, max=12, help="Words per shingle (a new index; default 5).")
    ] = None,
    threshold: Annotated[
        float | None,
        typer.Option(min=0.05, max=1.0, help="LSH Jaccard threshold (a new index; default 0.2)."),
    ] = None,
    max_bytes: Annotated[
        int, typer.Option(min=1, help="Skip files larger than this many bytes.")
    ] = _LIMITS.max_bytes,
    max_segments: Annotated[
        int, typer.Option(min=1, help="Store at most this many segments of a document.")
    ] = _LIMITS.max_segments,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, help="Worker processes (default: all cores).")
    ] = os.cpu_count() or 1,
    batch: Annotated[
        int, typer.Option(min=1, hidden=True, help="Documents written per transaction.")
    ] = BATCH,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar or summary on stderr.")
    ] = False,
    columns: Annotated[str | None, COLUMNS_OPTION] = None,
) -> None:
    """Store documents in the index; an unchanged document is skipped, a changed one replaced.

    Example: newsdedup index add crawl/2026-01-10/ --index archive.db
    """
    err = diagnostics()
    limits = Limits(max_bytes=max_bytes, max_segments=max_segments)
    read = 0
    mapping = read_columns(columns)

    def documents() -> Iterator[Document]:
        nonlocal read
        for item in iter_documents(paths, max_bytes=max_bytes, columns=mapping):
            if isinstance(item, Document):
                read += 1
                yield item
            else:
                _print_item(item)

    with _opened(index, create=True) as store:
        options = options_for(store, ScanOptions(limits=limits))
        options = _explicit(options, num_perm, shingle_size, threshold)
        ensure_parameters(store, options, create=True)
        with progress_bar(not quiet and sys.stderr.isatty()) as progress:
            report = add(store, documents(), options, jobs=jobs, batch=batch, progress=progress)
        total = store.stats()["documents"]
    if not quiet:
        err.print(
            f"newsdedup: {index}: {len(report.added)} added, {len(report.replaced)} replaced, "
            f"{len(report.unchanged)} unchanged; {counted(total, 'document')} in the index",
            markup=False,
        )
    raise typer.Exit(EXIT_OK if read else EXIT_INPUT)


def _explicit(
    options: ScanOptions, num_perm: int | None, shingle_size: int | None, threshold: float | None
) -> ScanOptions:
    """`options` with the parameters given on the command line (checked against the index's)."""
    fp = options.fingerprint
    fingerprint = FingerprintOptions(
        num_perm=fp.num_perm if num_perm is None else num_perm,
        shingle_size=fp.shingle_size if shingle_size is None else shingle_size,
        seed=fp.seed,
        min_words=fp.min_words
        if shingle_size is None
        else max(_FINGERPRINT.min_words, shingle_size),
    )
    index = IndexOptions(threshold=options.index.threshold if threshold is None else threshold)
    return ScanOptions(
        segment=options.segment,
        fingerprint=fingerprint,
        index=index,
        cluster=options.cluster,
        limits=options.limits,
        diffs=options.diffs,
    )


def _print_item(item: object) -> None:
    """A skipped input, a warning or a confined failure, as `scan` prints them."""
    err = diagnostics()
    if isinstance(item, Skipped):
        err.print(f"newsdedup: skipped {item.path}: {item.reason}", markup=False)
    elif isinstance(item, Notice):
        err.print(f"newsdedup: warning {item.path}: {item.message}", markup=False)
    else:
        where, reason = getattr(item, "where", "?"), getattr(item, "reason", str(item))
        err.print(f"newsdedup: failed {where}: {reason}", markup=False)


@index_app.command("remove")
def remove_command(
    ids: Annotated[list[str], typer.Argument(help="Ids of stored documents (as `stats` lists).")],
    index: IndexArg,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary on stderr.")] = False,
) -> None:
    """Remove documents from the index by id.

    Example: newsdedup index remove 2026-01-10/reuters.html --index archive.db
    """
    err = diagnostics()
    with _opened(index) as store:
        if store.parameters() is None:
            _fail(f"{index}: empty index (no document added yet)")
        removed = set(store.remove(ids))
    missing = [i for i in dict.fromkeys(ids) if i not in removed]
    for doc_id in missing:
        err.print(f"newsdedup: not in the index: {doc_id}", markup=False)
    if not quiet:
        err.print(f"newsdedup: {index}: {len(removed)} removed", markup=False)
    raise typer.Exit(EXIT_INPUT if missing else EXIT_OK)


@index_app.command("stats", short_help="Documents, segments, size and parameters of the index.")
def stats_command(
    index: IndexArg,
    fmt: Annotated[
        StatsFormat, typer.Option("--format", "-f", help="Report format.")
    ] = StatsFormat.text,
) -> None:
    """Documents, segments, passages, bytes on disk and the parameters of an index.

    Example: newsdedup index stats --index archive.db
    """
    with _opened(index) as store:
        stats = store.stats()
    if fmt is StatsFormat.json:
        sys.stdout.write(json.dumps(stats, ensure_ascii=False, sort_keys=True) + "\n")
        return
    sys.stdout.write(_stats_text(stats))


def _stats_text(stats: dict[str, Any]) -> str:
    params = stats["parameters"]
    from .base import IndexParameters

    described = "none yet" if params is None else IndexParameters.from_dict(params).describe()
    where = " in memory" if stats["backend"] == "redis" else " on disk"
    lines = [
        ("index", f"{stats['location']} ({stats['backend']})"),
        ("documents", f"{stats['documents']:,}"),
        ("segments", f"{stats['segments']:,}"),
        ("passages", f"{stats['passages']:,} (matchable segments, each copy counted)"),
        ("band keys", f"{stats['band_keys']:,} (one per band of each distinct passage)"),
        ("text", f"{stats['text_chars']:,} characters, {_size(stats['text_bytes_stored'])} stored"),
        ("size", _size(stats["bytes_on_disk"]) + where),
        ("parameters", described),
    ]
    return "".join(f"{name:<11} {value}\n" for name, value in lines)


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1000  # type: ignore[assignment]
    raise AssertionError("unreachable")


@index_app.command("query", short_help="Which archived stories each page belongs to.")
def query_command(
    files: Annotated[list[str], typer.Argument(help="Pages to look up: files or directories.")],
    index: IndexArg,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Report format.")] = Format.text,
    diffs: Annotated[
        bool, typer.Option("--diffs", help="Also compute each version's diff (as scan does).")
    ] = False,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, help="Worker processes (default: all cores).")
    ] = os.cpu_count() or 1,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Which archived stories each page belongs to, with its origin and parent.

    Nothing is stored. JSON and JSON Lines are `scan`'s report, whose schema is in
    docs/output-schema.md.

    Example: newsdedup index query today/reuters-copy.html --index archive.db
    """
    with _opened(index) as store:
        if store.parameters() is None:
            _fail(f"{index}: empty index (no document added yet)")
        options = options_for(store, ScanOptions(diffs=diffs))
        with progress_bar(not quiet and sys.stderr.isatty()) as progress:
            result, pages = scan_read(store, files, options, jobs=jobs, progress=progress)
    for item in (*result.skipped, *result.notices):
        _print_item(item)
    if not pages:
        _fail("nothing readable to look up")
    if fmt is Format.text:
        sys.stdout.write(query_text(result, pages))
    else:
        make_reporter(fmt).write(result, sys.stdout)


def query_text(result: ScanResult, pages: Sequence[str]) -> str:
    """Each queried page, then each story it is in: its origin and the page's parent."""
    archived = result.archived or frozenset()
    lines: list[str] = []

    def mark(doc_id: str) -> str:
        return " (archived)" if doc_id in archived else ""

    for page in pages:
        found = [
            (story, report)
            for story in result.stories
            for report in story.versions
            if report.version.doc_id == page
        ]
        if not found:
            lines.append(f"{page}: in no archived story")
            continue
        for story, report in found:
            held = sum(r.version.doc_id in archived for r in story.versions)
            lines.append(
                f"{report.version.key}: {story.id} "
                f"({counted(len(story.versions), 'version')}, {held} archived)"
            )
            lines.append(f"  origin  {story.origin.key}{mark(story.origin.doc_id)}")
            if report.parent is None:
                lines.append("  parent  none: this page is the origin")
            else:
                lines.append(
                    f"  parent  {report.parent.key}{mark(report.parent.doc_id)}: "
                    f"{report.relation}, confidence {report.confidence:.2f}"
                )
    return "".join(line + "\n" for line in lines)
