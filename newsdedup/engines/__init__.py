"""Engines: where a scan runs, never what it finds.

An engine takes the inputs and the options and returns the same `ScanResult` as any other
engine: the stages are the pure functions of `newsdedup.pipeline`, `index`, `cluster` and
`provenance`, and an engine only decides which machine runs each of them. `local` is the
scan of one machine (processes over batches, `pipeline.scan`); `dask` runs the stages on a
Dask cluster (`pip install 'newsdedup[dask]'`), a `LocalCluster` or a real scheduler.
Either can also write the report as JSON Lines shards (`scan_to`, `scan -o DIR/`): the
local engine from its result, the dask engine on its workers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol, TextIO

from ..pipeline import Progress, ScanOptions, ScanResult, silent
from ..report.shards import Destination, Written

ENGINES = ("local", "dask")


class Engine(Protocol):
    """A way to run a scan: same inputs and options, same result."""

    def scan(
        self,
        paths: Sequence[str],
        options: ScanOptions,
        progress: Progress = silent,
        fail_fast: bool = False,
    ) -> ScanResult: ...

    def scan_to(
        self,
        paths: Sequence[str],
        options: ScanOptions,
        destination: Destination,
        progress: Progress = silent,
        fail_fast: bool = False,
    ) -> Written:
        """The same scan, its report written as shards into `destination` (prepared: new or
        empty), the manifest last (`report.shards`); what the manifest says is returned."""
        ...


class EngineUnavailable(RuntimeError):
    """The engine cannot run the scan: its extra is not installed, its scheduler cannot be
    reached or was lost, or it cannot read an input the way it was named (stdin). The CLI
    prints the message as one line and exits 2: the run's setting, not the input, is wrong."""


def make_engine(
    name: str,
    *,
    jobs: int = 1,
    stdin: TextIO | None = None,
    scheduler: str | None = None,
    notify: Callable[[str], None] | None = None,
    columns: Mapping[str, str] | None = None,
) -> Engine:
    """The engine called `name`; `notify` receives one-line messages for stderr (the
    cluster's dashboard address). A scheduler address only means something to `dask`."""
    if name == "local":
        if scheduler is not None:
            raise EngineUnavailable("--scheduler needs --engine dask")
        from .local import LocalEngine

        return LocalEngine(jobs=jobs, stdin=stdin, columns=columns or {})
    if name == "dask":
        if columns:
            raise EngineUnavailable("--columns is read by the local engine only")
        try:
            from .dask import DaskEngine
        except ImportError as exc:
            raise EngineUnavailable(
                f"--engine dask needs the dask extra: pip install 'newsdedup[dask]' ({exc})"
            ) from exc
        return DaskEngine(scheduler=scheduler, notify=notify or _quiet)
    raise EngineUnavailable(f"unknown engine {name!r} (choose from {', '.join(ENGINES)})")


def _quiet(message: str) -> None:
    """The default `notify`: the library prints nothing."""
