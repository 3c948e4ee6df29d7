"""The local engine: the scan of one machine, as `newsdedup scan` has always run it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from ..pipeline import Progress, ScanOptions, ScanResult, scan, silent
from ..report.shards import Destination, Written, write_result


@dataclass(frozen=True)
class LocalEngine:
    """`pipeline.scan` in `jobs` processes; reads "-" from `stdin`."""

    jobs: int = 1
    stdin: TextIO | None = None
    columns: Mapping[str, str] = field(default_factory=dict)  # CSV/TSV columns (`--columns`)

    def scan(
        self,
        paths: Sequence[str],
        options: ScanOptions,
        progress: Progress = silent,
        fail_fast: bool = False,
    ) -> ScanResult:
        return scan(
            paths,
            options,
            stdin=self.stdin,
            jobs=self.jobs,
            progress=progress,
            fail_fast=fail_fast,
            columns=self.columns,
        )

    def scan_to(
        self,
        paths: Sequence[str],
        options: ScanOptions,
        destination: Destination,
        progress: Progress = silent,
        fail_fast: bool = False,
    ) -> Written:
        """The scan, then its result as shards written by this process."""
        return write_result(self.scan(paths, options, progress, fail_fast), destination)
