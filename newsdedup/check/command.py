"""`newsdedup check`: parse, call the library, write the report, exit code. Nothing else.

Exit codes: 0 no new finding at or above `--fail-on`, 1 some, 2 a usage,
configuration or input error (one line on stderr naming it), 130 interrupted.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, TextIO

import typer

from ..output import atomic_output, utf8_stdout
from ..report import diagnostics, progress_bar
from .baseline import EMPTY, load_baseline, write_baseline
from .config import ConfigError, load_config
from .engine import make_plan, run_check
from .formats import WRITERS, CheckFormat, CheckReport, summary_line, write_sarif, write_text
from .inputs import InputError

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    note = "note"
    never = "never"


def check_command(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="Articles to check: files or directories (default: the configuration's "
            "`paths`, else the current directory)."
        ),
    ] = None,
    against: Annotated[
        list[str] | None,
        typer.Option(
            "--against",
            "-a",
            metavar="REF",
            help="Reference articles others published (a wire feed, a partner's archive): a "
            "directory, or an archive index (an SQLite file or redis://HOST:PORT/DB made by "
            "`newsdedup index add`). Repeatable; replaces the configuration's `against`.",
        ),
    ] = None,
    archive: Annotated[
        list[str] | None,
        typer.Option(
            "--archive",
            metavar="DIR",
            help="The site's own earlier articles outside the repository, for "
            "duplicate-article: a directory or an archive index. Repeatable; replaces the "
            "configuration's `archive`.",
        ),
    ] = None,
    changed_since: Annotated[
        str | None,
        typer.Option(
            "--changed-since",
            metavar="GIT_REF",
            help="Check only the articles changed since the branch left GIT_REF "
            "(e.g. origin/main), uncommitted and untracked ones included.",
        ),
    ] = None,
    fmt: Annotated[
        CheckFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="Report format (default: github in GitHub Actions, else text).",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the report to FILE (atomically)."),
    ] = None,
    sarif: Annotated[
        Path | None,
        typer.Option("--sarif", metavar="FILE", help="Also write a SARIF 2.1.0 log to FILE."),
    ] = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(help="Exit 1 on a new finding of this severity or above (default: error)."),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(help="Baseline [default: .newsdedup-baseline.json]."),
    ] = None,
    no_baseline: Annotated[
        bool, typer.Option("--no-baseline", help="Report every finding, known or not.")
    ] = False,
    write_baseline_: Annotated[
        bool,
        typer.Option(
            "--write-baseline", help="Record today's findings in the baseline file and exit 0."
        ),
    ] = False,
    config: Annotated[
        Path | None,
        typer.Option(
            help="Configuration file (default: .newsdedup.toml, else pyproject.toml's "
            "[tool.newsdedup])."
        ),
    ] = None,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, help="Worker processes (default: all cores).")
    ] = os.cpu_count() or 1,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar or summary on stderr.")
    ] = False,
) -> None:
    """Check articles for republished text that is not properly credited (a CI gate).

    Example: newsdedup check --changed-since origin/main --against wire/ -f github
    """
    err = diagnostics()
    try:
        settings = load_config(config)
        plan = make_plan(settings, paths, against, archive, changed_since)
        baseline_path = baseline or settings.root / settings.baseline
        known = load_baseline(baseline_path)
        with progress_bar(not quiet and sys.stderr.isatty()) as progress:
            outcome = run_check(plan, jobs=jobs, progress=progress)
    except (ConfigError, InputError) as exc:
        err.print(f"newsdedup: {exc}", markup=False)
        raise typer.Exit(EXIT_INPUT) from None
    except KeyboardInterrupt:
        err.print("newsdedup: interrupted", markup=False)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    for skipped in outcome.skipped:
        err.print(f"newsdedup: skipped {skipped.path}: {skipped.reason}", markup=False)
    if write_baseline_:
        try:
            n = write_baseline(baseline_path, outcome.findings, known, outcome.checked)
        except OSError as exc:
            reason = exc.strerror or exc
            err.print(f"newsdedup: cannot write {baseline_path}: {reason}", markup=False)
            raise typer.Exit(EXIT_INPUT) from None
        if not quiet:
            err.print(
                f"newsdedup: wrote {n} finding{'s' * (n != 1)} to {baseline_path}", markup=False
            )
        raise typer.Exit(EXIT_OK)
    new, old = (EMPTY if no_baseline else known).split(outcome.findings)
    report = CheckReport(
        outcome, tuple(new), tuple(old), (fail_on.value if fail_on else settings.fail_on)
    )
    chosen = fmt or _default_format()
    try:
        if output is None:
            _write(report, chosen, sys.stdout, sys.stdout.isatty())
        else:
            with atomic_output(output) as out:
                _write(report, chosen, out, False)
        if sarif is not None:
            with atomic_output(sarif) as out:
                write_sarif(report, out)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(EXIT_FINDINGS if report.failing else EXIT_OK) from None
    except OSError as exc:
        err.print(f"newsdedup: cannot write {exc.filename}: {exc.strerror or exc}", markup=False)
        raise typer.Exit(EXIT_INPUT) from None
    if not quiet and (chosen is not CheckFormat.text or output is not None):
        err.print(summary_line(report), markup=False)
    raise typer.Exit(EXIT_FINDINGS if report.failing else EXIT_OK)


def _default_format() -> CheckFormat:
    """GitHub Actions shows workflow commands as annotations; anywhere else, people read."""
    return CheckFormat.github if os.environ.get("GITHUB_ACTIONS") == "true" else CheckFormat.text


def _write(report: CheckReport, fmt: CheckFormat, out: TextIO, terminal: bool) -> None:
    if fmt is CheckFormat.text:
        write_text(report, out, color=terminal)
        return
    if out is sys.stdout:
        utf8_stdout(out)
    WRITERS[fmt](report, out)
