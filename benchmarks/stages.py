"""Where a scan's time and memory go: wall time and peak RSS of each stage, in one run.

    python -m benchmarks.stages corpus.jsonl --jobs 2 [--diffs]

Runs the library scan the CLI runs (with the CLI's glibc setting), learns each stage's start
from the progress callback and samples the process's resident set every 50 ms, then writes the
JSON report to /dev/null as the report stage. Figures are for the main process: forked workers
count the parent's pages in their own RSS, so theirs would say little. Used for the stage table
of docs/performance.md.
"""

from __future__ import annotations

import argparse
import threading
import time
from pathlib import Path

from newsdedup.cli import return_freed_arrays_to_the_system
from newsdedup.pipeline import ScanOptions, scan
from newsdedup.report import JsonReporter


def _resident_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--diffs", action="store_true", help="also compute diffs")
    args = parser.parse_args()
    return_freed_arrays_to_the_system()
    starts: dict[str, float] = {}
    peaks: dict[str, float] = {}
    stage = ["start"]
    began = time.perf_counter()

    def sample() -> None:
        while True:
            peaks[stage[0]] = max(peaks.get(stage[0], 0.0), _resident_mib())
            time.sleep(0.05)

    def progress(name: str, done: int, total: int) -> None:
        if name not in starts:
            starts[name] = time.perf_counter() - began
            stage[0] = name

    threading.Thread(target=sample, daemon=True).start()
    result = scan([args.path], ScanOptions(diffs=args.diffs), jobs=args.jobs, progress=progress)
    starts["report"] = time.perf_counter() - began
    stage[0] = "report"
    with open("/dev/null", "w", encoding="utf-8") as sink:
        JsonReporter().write(result, sink)
    end = time.perf_counter() - began
    time.sleep(0.1)  # one more sample of the report stage
    names = list(starts)
    print(f"{'stage':<16}{'wall s':>9}{'peak MiB':>10}")
    for name, later in zip(names, [*names[1:], None], strict=True):
        wall = (starts[later] if later else end) - starts[name]
        print(f"{name:<16}{wall:>9.1f}{peaks.get(name, 0.0):>10.0f}")
    print(f"{'total':<16}{end:>9.1f}{max(peaks.values()):>10.0f}")


if __name__ == "__main__":
    main()
