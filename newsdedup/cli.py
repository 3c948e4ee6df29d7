"""Command line: parse arguments, call the library, write the chosen report. Nothing else."""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
from pathlib import Path
from typing import Annotated, NoReturn, TextIO

import typer

from .cluster import ClusterOptions
from .fingerprint import FingerprintOptions
from .index import IndexOptions
from .output import atomic_output, utf8_stdout
from .pipeline import Limits, ScanOptions, ScanResult, UnknownReference, diff_references, scan
from .report import (
    Format,
    counted,
    diagnostics,
    make_reporter,
    progress_bar,
    summary,
    write_diff,
)

EXIT_OK, EXIT_STORIES, EXIT_INPUT, EXIT_INTERRUPTED, EXIT_PIPE = 0, 1, 2, 130, 141
_INDEX, _FINGERPRINT, _LIMITS = IndexOptions(), FingerprintOptions(), Limits()

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Find republished copies of news stories, trace where they came from, show what changed.",
)


@app.callback()
def main() -> None:
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
        typer.Argument(help="Files or directories (recursive); '-' reads JSON Lines from stdin."),
    ],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Report format.")] = Format.text,
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
    fail_on_stories: Annotated[bool, typer.Option(help="Exit 1 when any story is found.")] = False,
    strict: Annotated[bool, typer.Option(help="Exit 2 when any input was skipped.")] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write the report to FILE (atomically) instead of stdout."
        ),
    ] = None,
    max_bytes: Annotated[
        int, typer.Option(min=1, help="Skip files larger than this many bytes.")
    ] = _LIMITS.max_bytes,
    max_segments: Annotated[
        int, typer.Option(min=1, help="Truncate a document after this many segments.")
    ] = _LIMITS.max_segments,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, help="Worker processes (default: all cores).")
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
    try:
        with progress_bar(not quiet and sys.stderr.isatty()) as progress:
            result = scan(paths, options, stdin=sys.stdin, jobs=jobs, progress=progress)
        for skipped in result.skipped:
            err.print(f"newsdedup: skipped {skipped.path}: {skipped.reason}", markup=False)
        for notice in result.notices:
            err.print(f"newsdedup: warning {notice.path}: {notice.message}", markup=False)
        reporter = make_reporter(fmt, details)
        if output is None:
            reporter.write(result, _stdout_for(fmt))
        else:
            with atomic_output(output) as out:
                reporter.write(result, out)
    except KeyboardInterrupt:
        err.print("newsdedup: interrupted", markup=False)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except BrokenPipeError:
        _reader_gone()
    except OSError as exc:
        err.print(f"newsdedup: cannot write {output}: {exc.strerror or exc}", markup=False)
        raise typer.Exit(EXIT_INPUT) from None
    if not quiet:
        counts = summary(result)
        err.print(
            f"newsdedup: {counted(counts['documents'], 'document')}, "
            f"{counted(counts['stories'], 'story', 'stories')}, {counts['skipped']} skipped",
            markup=False,
        )
    raise typer.Exit(exit_code(result, fail_on_stories, strict))


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

    Example: newsdedup diff samples/001_30272b82ea5a8e97.txt samples/000_69d133982e7f016d.txt
    """
    err = diagnostics()
    try:
        found, skipped = diff_references(before, after, ScanOptions(), root)
    except UnknownReference as exc:
        err.print(f"newsdedup: {exc}", markup=False)
        raise typer.Exit(EXIT_INPUT) from None
    except KeyboardInterrupt:
        err.print("newsdedup: interrupted", markup=False)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    for item in skipped:
        err.print(f"newsdedup: skipped {item.path}: {item.reason}", markup=False)
    try:
        write_diff(found, before, after, fmt, _stdout_for(fmt))
    except BrokenPipeError:
        _reader_gone()


def _stdout_for(fmt: Format) -> TextIO:
    """stdout, as UTF-8 for the machine formats whatever the locale; the terminal report
    keeps the console's own encoding."""
    if fmt is not Format.text:
        utf8_stdout(sys.stdout)
    return sys.stdout


def _reader_gone() -> NoReturn:
    """The reader of stdout stopped (`| head`): stop quietly, as a process killed by SIGPIPE
    does; stdout goes to /dev/null so the interpreter's last flush cannot fail again."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    raise typer.Exit(EXIT_PIPE)


def exit_code(result: ScanResult, fail_on_stories: bool, strict: bool = False) -> int:
    """0 ran; 1 stories found with --fail-on-stories; 2 nothing readable, or skips with --strict."""
    if not result.documents or (strict and result.skipped):
        return EXIT_INPUT
    if fail_on_stories and result.stories:
        return EXIT_STORIES
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    app()
