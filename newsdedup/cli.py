"""Command line: parse arguments, call the library, write the chosen report. Nothing else."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, NoReturn, TextIO

import typer
from rich.console import Console

from . import __version__
from .check.command import check_command
from .cluster import ClusterOptions
from .containers.cli import COLUMNS_OPTION, read_columns
from .fingerprint import FingerprintOptions
from .index import IndexOptions
from .output import atomic_output, whole_writes
from .pipeline import (
    Limits,
    Progress,
    ScanOptions,
    ScanResult,
    TemporarySpaceError,
    UnknownReference,
    diff_references,
)
from .records import Failure
from .report import (
    SCHEMA_VERSION,
    Format,
    counted,
    diagnostics,
    format_for,
    make_reporter,
    progress_bar,
    summary,
    write_diff,
)
from .report.html import ScanFileError, newer_than_us, read_scan, render
from .report.shards import Destination, ShardOutputError, Written, write_result
from .store.command import index_app, run_indexed_scan

EXIT_OK, EXIT_STORIES, EXIT_INPUT, EXIT_INCOMPLETE = 0, 1, 2, 3
EXIT_UNRELATED = 1  # `diff`: the two texts share none (a finding, as `scan`'s 1 is)
EXIT_CRASH = 70  # EX_SOFTWARE (sysexits.h): an internal error
EXIT_INTERRUPTED, EXIT_PIPE = 130, 141  # 128 + SIGINT, 128 + SIGPIPE
_INDEX, _FINGERPRINT, _LIMITS = IndexOptions(), FingerprintOptions(), Limits()

app = typer.Typer(
    no_args_is_help=True,
    # plain help: option names, then their help in one wide column that reads at 80 columns,
    # where rich's boxed panels cut option names and defaults short ("--no-fail-on-s…")
    rich_markup_mode=None,
    help="Find republished copies of news stories, trace where they came from, show what changed.",
)


def _print_version(asked: bool) -> None:
    if asked:
        print(f"newsdedup {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """newsdedup: same story, many copies."""
    return_freed_arrays_to_the_system()


_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter


def return_freed_arrays_to_the_system() -> None:
    """Pin glibc's mmap threshold at 256 KB.

    glibc raises the threshold each time a large block is freed, so a scan's
    many per-batch arrays soon land on the heap, and freeing them leaves holes
    the process keeps: a quarter of peak RSS at 10,000 articles
    (docs/performance.md). Elsewhere (no glibc) there is nothing to do. Public so
    that a library caller or a benchmark can run a scan as the CLI does.
    """
    with contextlib.suppress(OSError, AttributeError, TypeError):
        ctypes.CDLL(None).mallopt(_M_MMAP_THRESHOLD, 256 * 1024)


@app.command("scan")
def scan_command(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files or directories (recursive); '-' reads stdin: JSON Lines records "
            '({"id", "text" or "html", ...}), or one HTML or text page.'
        ),
    ],
    fmt: Annotated[
        Format | None,
        typer.Option(
            "--format",
            "-f",
            help="Report format [default: from the extension of -o (.json, .jsonl, .html, "
            ".txt), else text].",
            show_default=False,
        ),
    ] = None,
    threshold: Annotated[
        float,
        typer.Option(min=0.05, max=1.0, help="LSH Jaccard threshold for candidate segment pairs."),
    ] = _INDEX.threshold,
    min_containment: Annotated[
        float,
        typer.Option(min=0.05, max=1.0, help="Exact containment that makes a candidate a match."),
    ] = _INDEX.min_containment,
    num_perm: Annotated[
        int, typer.Option(min=8, max=1024, help="MinHash permutations.")
    ] = _FINGERPRINT.num_perm,
    shingle_size: Annotated[
        int, typer.Option(min=1, max=12, help="Words per shingle.")
    ] = _FINGERPRINT.shingle_size,
    fail_on_stories: Annotated[
        bool, typer.Option("--fail-on-stories", help="Exit 1 when any story is found.")
    ] = False,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Exit 2 when any input was skipped; end at the first unexpected error (exit 70).",
        ),
    ] = False,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE|DIR/",
            help="Write the report to FILE (atomically) instead of stdout; its extension "
            "chooses the format when --format is not given. DIR/ (a trailing slash) or an "
            "fsspec URL (s3://bucket/prefix/): a new or empty directory of JSON Lines shards "
            "and a manifest, written by the dask workers with --engine dask.",
        ),
    ] = None,
    max_bytes: Annotated[
        int, typer.Option(min=1, help="Skip files larger than this many bytes.")
    ] = _LIMITS.max_bytes,
    max_segments: Annotated[
        int, typer.Option(min=1, help="Truncate a document after this many segments.")
    ] = _LIMITS.max_segments,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            show_default=False,
            help="Worker processes [default: all cores].",
        ),
    ] = os.cpu_count() or 1,
    details: Annotated[
        bool, typer.Option("--details", help="Terminal report: show each version's full diff.")
    ] = False,
    no_diffs: Annotated[
        bool, typer.Option("--no-diffs", help="Skip what-changed diffs (faster on big archives).")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar or summary on stderr.")
    ] = False,
    index: Annotated[
        str | None,
        typer.Option(
            "--index",
            metavar="INDEX",
            help="Match against an archive index (SQLite file or redis://HOST:PORT/DB): "
            "report the stories of these documents, naming archived ones.",
        ),
    ] = None,
    add: Annotated[
        bool, typer.Option("--add", help="With --index: store these documents after the scan.")
    ] = False,
    engine: Annotated[
        str,
        typer.Option(
            "--engine",
            metavar="local|dask",
            help="Where the scan runs: this machine, or a Dask cluster (same output; "
            "pip install 'newsdedup[dask]'). Dask also reads fsspec URLs (s3://, file://).",
        ),
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            metavar="tcp://HOST:8786",
            help="With --engine dask: the cluster's scheduler (default: a local cluster "
            "on this machine's cores).",
        ),
    ] = None,
    columns: Annotated[str | None, COLUMNS_OPTION] = None,
) -> None:
    """Group articles that tell the same story.

    Example: newsdedup scan samples/ --format json
    """
    err = diagnostics()
    options = ScanOptions(
        fingerprint=FingerprintOptions(
            num_perm=num_perm,
            shingle_size=shingle_size,
            min_words=max(_FINGERPRINT.min_words, shingle_size),
        ),
        index=IndexOptions(threshold=threshold, min_containment=min_containment),
        cluster=ClusterOptions(),
        limits=Limits(max_bytes=max_bytes, max_segments=max_segments),
        diffs=not no_diffs,
    )
    with _terminated_as_exception() as signals, _failures_end_in_one_line(err):
        with progress_bar(not quiet and sys.stderr.isatty()) as progress:
            progress = signals.checked(progress)
            if add and index is None:
                _fail(err, "--add needs --index INDEX", EXIT_INPUT)
            if index is not None and (engine != "local" or scheduler is not None):
                _fail(err, "--index runs on the local engine only", EXIT_INPUT)
            shards = _shard_directory(err, output, fmt)
            result = (
                _engine_scan(
                    err,
                    engine,
                    scheduler,
                    paths,
                    options,
                    jobs,
                    progress,
                    strict,
                    columns,
                    quiet,
                    shards,
                )
                if index is None
                else _written(
                    shards,
                    run_indexed_scan(
                        index,
                        add,
                        paths,
                        options,
                        stdin=sys.stdin,
                        jobs=jobs,
                        progress=progress,
                        fail_fast=strict,
                        columns=read_columns(columns),
                    ),
                )
            )
        signals.check()
        for skipped in result.skipped:
            err.print(f"newsdedup: skipped {skipped.path}: {skipped.reason}", markup=False)
        for failure in result.failures:
            err.print(f"newsdedup: failed {failure.where}: {failure.reason}", markup=False)
        for notice in result.notices:
            err.print(f"newsdedup: warning {notice.path}: {notice.message}", markup=False)
        if isinstance(result, ScanResult):  # else its shards and manifest are written
            report = result
            target = Path(output) if output is not None else None
            chosen = fmt or format_for(target)  # an explicit --format wins over -o's extension
            reporter = make_reporter(chosen, details)
            _write_report(lambda out: reporter.write(report, out), chosen, target, signals, err)
        signals.check()
    if not quiet:
        err.print(f"newsdedup: {summary_line(result)}", markup=False)
    raise typer.Exit(exit_code(result, fail_on_stories, strict))


def _engine_scan(
    err: Console,
    name: str,
    scheduler: str | None,
    paths: list[str],
    options: ScanOptions,
    jobs: int,
    progress: Progress,
    strict: bool,
    columns: str | None = None,
    quiet: bool = False,
    shards: Destination | None = None,
) -> ScanResult | Written:
    """The scan on the chosen engine, its report as shards into `shards` if given; an engine
    that cannot run (its extra missing, its scheduler unreachable or lost) is one line on
    stderr and exit 2."""
    from .engines import EngineUnavailable, make_engine

    def notify(message: str) -> None:
        if not quiet:
            err.print(f"newsdedup: {message}", markup=False)

    try:
        chosen = make_engine(
            name,
            jobs=jobs,
            stdin=sys.stdin,
            scheduler=scheduler,
            notify=notify,
            columns=read_columns(columns),
        )
        if shards is not None:
            return chosen.scan_to(paths, options, shards, progress=progress, fail_fast=strict)
        return chosen.scan(paths, options, progress=progress, fail_fast=strict)
    except EngineUnavailable as exc:
        _fail(err, str(exc), EXIT_INPUT)


def _written(shards: Destination | None, result: ScanResult) -> ScanResult | Written:
    """`result`, or its report written as shards into `shards` (by this process)."""
    return result if shards is None else write_result(result, shards)


def _shard_directory(err: Console, output: str | None, fmt: Format | None) -> Destination | None:
    """`-o DIR/` (a trailing slash) or `-o URL/` (fsspec): the directory of JSON Lines shards
    to write the report into, made (new or empty) and checked writable before the scan; None
    for a file or stdout. Any other format than JSON Lines there is a usage error."""
    if output is None or not (output.endswith(("/", os.sep)) or "://" in output):
        return None
    if not output.endswith("/"):
        _fail(
            err, f"--output {output}: a URL names a directory of shards, end it with /", EXIT_INPUT
        )
    if fmt not in (None, Format.jsonl):
        _fail(
            err,
            f"--output {output} is a directory of JSON Lines shards, not --format {fmt.value}",
            EXIT_INPUT,
        )
    shards = Destination.of(output)
    shards.prepare()
    return shards


def _counts(result: ScanResult | Written) -> dict[str, int]:
    return result.summary if isinstance(result, Written) else summary(result)


def summary_line(result: ScanResult | Written) -> str:
    """'5 documents, 2 stories, 0 skipped', then what else an input or story came to."""
    counts = _counts(result)
    line = (
        f"{counted(counts['documents'], 'document')}, "
        f"{counted(counts['stories'], 'story', 'stories')}, {counts['skipped']} skipped"
    )
    if counts["unsupported"]:
        line += f", {counts['unsupported']} of other types not read"
    if counts["failed"]:
        line += f", {counts['failed']} failed (incomplete: see above)"
    return line


@app.command("diff")
def diff_command(
    before: Annotated[str, typer.Argument(help="Parent: a file, or DOC#SEGMENT from a scan.")],
    after: Annotated[str, typer.Argument(help="Child: a file, or DOC#SEGMENT from a scan.")],
    root: Annotated[
        str | None, typer.Option("--in", help="Directory to scan for DOC#SEGMENT references.")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Report format.")] = Format.text,
) -> None:
    """Show what changed from one version to another.

    Exits 1, with one line on stderr and nothing on stdout, when the two share no
    text: neither derives from the other, and "+9 paragraphs" would say it did.

    Example: newsdedup diff samples/001_30272b82ea5a8e97.txt samples/000_69d133982e7f016d.txt
    """
    err = diagnostics()
    with _terminated_as_exception(), _failures_end_in_one_line(err):
        if fmt is Format.html:
            _fail(err, "diff writes text or JSON; an HTML page is `newsdedup report`'s", EXIT_INPUT)
        try:
            found, skipped = diff_references(before, after, ScanOptions(), root)
        except UnknownReference as exc:
            _fail(err, str(exc), EXIT_INPUT)
        for item in skipped:
            err.print(f"newsdedup: skipped {item.path}: {item.reason}", markup=False)
        if not found.aligned:
            message = f"{before} and {after} share no text: neither derives from the other"
            _fail(err, message, EXIT_UNRELATED)
        _write_stdout(lambda out: write_diff(found, before, after, fmt, out), fmt)


@app.command("report", short_help="A saved scan as one self-contained HTML page.")
def report_command(
    scan_file: Annotated[
        str, typer.Argument(help="A saved scan (scan --format json); '-' reads it from stdin.")
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the page to FILE (atomically), not stdout."),
    ] = None,
) -> None:
    """Turn a saved scan (scan -f json) into one self-contained HTML page: no network,
    open it by double-click. Same page as scan -f html, without scanning again.

    Example: newsdedup report scan.json -o report.html
    """
    err = diagnostics()
    with _terminated_as_exception() as signals, _failures_end_in_one_line(err):
        try:
            raw = sys.stdin.buffer.read() if scan_file == "-" else Path(scan_file).read_bytes()
            saved = read_scan(raw)
        except OSError as exc:
            _fail(err, f"cannot read {scan_file}: {_why(exc)}", EXIT_INPUT)
        except ScanFileError as exc:
            _fail(err, f"{scan_file}: {exc}", EXIT_INPUT)
        if newer_than_us(saved):
            err.print(
                f"newsdedup: warning {scan_file}: schema {saved['schema_version']} is newer than "
                f"this newsdedup's {SCHEMA_VERSION}: fields it added are not shown",
                markup=False,
            )
        page = render(saved)

        def write(out: TextIO) -> None:
            out.write(page)

        _write_report(write, Format.html, output, signals, err)


def _write_report(
    write: Callable[[TextIO], None],
    fmt: Format,
    output: Path | None,
    signals: _Signals,
    err: Console,
) -> None:
    """`write` the report to stdout, or atomically to `output` (`output.atomic_output`)."""
    if output is None:
        _write_stdout(write, fmt)
        return
    try:
        with atomic_output(output) as out:
            write(out)
            signals.check()  # before the report replaces the target
    except OSError as exc:
        _fail(err, f"cannot write {output}: {_why(exc)}", EXIT_INPUT)


# The command list gives each command one line: a short help long enough to be cut ("...")
# at 80 columns is given here in fewer words.
app.command("check", short_help="CI gate: fail on republished text not properly credited.")(
    check_command
)
app.add_typer(
    index_app, name="index", short_help="An archive index: store pages, scan new ones against it."
)


def _write_stdout(write: Callable[[TextIO], None], fmt: Format) -> None:
    """`write` the report to stdout, flushed before the exit code is decided: a full disk
    or a closed pipe is then an error reported, never a report cut short in silence.

    Machine formats are UTF-8 whatever the locale; the terminal report keeps the console's
    own encoding (`output.whole_writes`)."""
    try:
        out = whole_writes(sys.stdout, utf8=fmt is not Format.text)
        write(out)
        out.flush()
    except BrokenPipeError:
        _reader_gone()
    except OSError as exc:
        # what could not be written must not be retried by the interpreter's last flush
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        _fail(diagnostics(), f"cannot write standard output: {_why(exc)}", EXIT_INPUT)


def _reader_gone() -> NoReturn:
    """The reader of stdout stopped (`| head`): stop quietly, as a process killed by SIGPIPE
    does; stdout goes to /dev/null so the interpreter's last flush cannot fail again."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    raise typer.Exit(EXIT_PIPE)


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


def _fail(err: Console, message: str, code: int) -> NoReturn:
    err.print(f"newsdedup: {message}", markup=False)
    raise typer.Exit(code)


class _Terminated(BaseException):
    """SIGTERM or SIGHUP, raised where the scan is, so that every `with` block and `finally`
    cleans up as for Ctrl-C: the `-o` temporary file is removed, workers are stopped."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class _Signals:
    """SIGTERM (`kill`, `docker stop`, a CI timeout) and SIGHUP (the terminal closed), while a
    command runs: raised as `_Terminated` where the command is, so that it ends as Ctrl-C
    ends it. A signal can land where Python ignores exceptions (a fork's after-fork hooks,
    a finaliser): it is also kept, and raised again at the next `check` (the scan's
    progress calls it as every task completes)."""

    def __init__(self) -> None:
        self.pending: int | None = None

    def handler(self, signum: int, _frame: object) -> None:
        self.pending = signum
        raise _Terminated(signum)

    def check(self) -> None:
        if self.pending is not None:
            raise _Terminated(self.pending)

    def checked(self, progress: Progress) -> Progress:
        def report(stage: str, done: int, total: int) -> None:
            self.check()
            progress(stage, done, total)

        return report


@contextlib.contextmanager
def _terminated_as_exception() -> Iterator[_Signals]:
    """While a command runs, SIGTERM and SIGHUP end it as Ctrl-C does (see `_Signals`), with
    128 + the signal's number."""
    signals = _Signals()
    names = [n for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n)]
    if threading.current_thread() is not threading.main_thread():
        yield signals  # a command run in a thread (a test runner) keeps the handlers it has
        return
    previous = {n: signal.signal(getattr(signal, n), signals.handler) for n in names}
    try:
        yield signals
    finally:
        for name, before in previous.items():
            signal.signal(getattr(signal, name), before)


@contextlib.contextmanager
def _failures_end_in_one_line(err: Console) -> Iterator[None]:
    """Whatever ends a command early ends it with one line on stderr and its own exit code:
    130 Ctrl-C, 128 + N a signal, 2 the temporary directory unusable, 70 an internal error
    (a bug: with its traceback, for a report). `typer.Exit` passes through."""
    try:
        yield
    except KeyboardInterrupt:
        _fail(err, "interrupted", EXIT_INTERRUPTED)
    except _Terminated as exc:
        name = signal.Signals(exc.signum).name
        _fail(err, f"terminated ({name})", 128 + exc.signum)
    except BrokenPipeError:
        _reader_gone()
    except TemporarySpaceError as exc:
        _fail(err, f"cannot write the {exc.strerror}", EXIT_INPUT)
    except ShardOutputError as exc:  # `-o DIR/`: the directory, by the client or a worker
        _fail(err, str(exc), EXIT_INPUT)
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:
        traceback.print_exc(file=sys.stderr)
        failure = Failure.of("", "", exc)
        _fail(err, f"internal error (a bug, please report it): {failure.error}", EXIT_CRASH)


def exit_code(result: ScanResult | Written, fail_on_stories: bool, strict: bool = False) -> int:
    """0 ran; 1 stories found with --fail-on-stories; 2 nothing readable, or skips with
    --strict; 3 incomplete: an unexpected error was confined to a file, record, document or
    story (it outranks 1: a script must not take a partial result for a whole one)."""
    counts = _counts(result)
    if not counts["documents"] or (strict and result.skipped):
        return EXIT_INPUT
    if result.failures:
        return EXIT_INCOMPLETE
    if fail_on_stories and counts["stories"]:
        return EXIT_STORIES
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    app()
