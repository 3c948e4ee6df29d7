"""Command line: parse arguments, call the library, write the chosen report. Nothing else."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console

from .cluster import ClusterOptions
from .fingerprint import FingerprintOptions
from .index import IndexOptions
from .pipeline import ScanOptions, ScanResult, scan
from .report import REPORTERS, Format, summary

EXIT_OK, EXIT_STORIES, EXIT_INPUT = 0, 1, 2
_INDEX, _FINGERPRINT = IndexOptions(), FingerprintOptions()

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Find republished copies of news stories, trace where they came from, show what changed.",
)


@app.callback()
def main() -> None:
    """newsdedup: same story, many copies."""


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
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary on stderr.")] = False,
) -> None:
    """Group articles that tell the same story.

    Example: newsdedup scan samples/ --format json
    """
    err = Console(stderr=True, highlight=False)
    options = ScanOptions(
        fingerprint=FingerprintOptions(
            num_perm=num_perm,
            shingle_size=shingle_size,
            min_words=max(_FINGERPRINT.min_words, shingle_size),
        ),
        index=IndexOptions(threshold=threshold, min_containment=min_containment),
        cluster=ClusterOptions(),
    )
    result = scan(paths, options, stdin=sys.stdin)
    for skipped in result.skipped:
        err.print(f"newsdedup: skipped {skipped.path}: {skipped.reason}", markup=False)
    REPORTERS[fmt]().write(result, sys.stdout)
    if not quiet:
        counts = summary(result)
        err.print(
            f"newsdedup: {counts['documents']} documents, {counts['stories']} stories, "
            f"{counts['skipped']} skipped",
            markup=False,
        )
    raise typer.Exit(exit_code(result, fail_on_stories))


def exit_code(result: ScanResult, fail_on_stories: bool) -> int:
    """0 the scan ran; 1 stories found and --fail-on-stories; 2 nothing could be read."""
    if not result.documents:
        return EXIT_INPUT
    if fail_on_stories and result.stories:
        return EXIT_STORIES
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    app()
