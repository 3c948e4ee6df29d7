"""The local engine: the scan of one machine, as `newsdedup scan` has always run it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from ..pipeline import Progress, ScanOptions, ScanResult, scan, silent


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
