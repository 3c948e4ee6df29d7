"""The console the reports and diagnostics print to, and the progress bar (stderr only)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn, TimeRemainingColumn
from rich.progress import Progress as RichProgress

from ..pipeline import Progress, silent


class _Console(Console):
    """A console that prints names as they are and whose reader may leave (`| head`).

    No emoji codes or highlighting: "<stdin>:100:" is a line number, not 💯. A
    reader that left is the caller's to handle, where rich's own console would
    exit with status 1, the status of "stories found".
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(emoji=False, highlight=False, **kwargs)

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError


def diagnostics() -> Console:
    """Where skipped files, warnings and the summary go: stderr, a message a line, never
    wrapped, so `2>&1 | grep` finds a file name whole."""
    return _Console(stderr=True, soft_wrap=True)


def counted(n: int, noun: str, nouns: str = "") -> str:
    """'1 story', '2 stories': a count with its noun in the right number."""
    return f"{n} {noun if n == 1 else nouns or noun + 's'}"


@contextlib.contextmanager
def progress_bar(enabled: bool) -> Iterator[Progress]:
    """A rich progress bar on stderr (stages, counts, ETA), shown only once a run has taken a
    second, so quick scans and pipelines stay quiet; never on stdout."""
    if not enabled:
        yield silent
        return
    bar = RichProgress(
        TextColumn("{task.description:>14}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=diagnostics(),
        transient=True,
    )
    started = time.monotonic()
    tasks: dict[str, TaskID] = {}

    def update(stage: str, done: int, total: int) -> None:
        if not tasks and time.monotonic() - started < 1.0:
            return
        if not tasks:
            bar.start()
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage, total=total or None)
        bar.update(tasks[stage], completed=done, total=total or None)

    try:
        yield update
    finally:
        if tasks:
            bar.stop()
