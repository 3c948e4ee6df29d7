"""Where a scan's time and memory go: wall time and peak RSS of each stage, in one run.

    python -m benchmarks.stages corpus.jsonl --jobs 2 [--diffs]

Runs the library scan the CLI runs (with the CLI's glibc setting), learns each stage's start
from the progress callback and samples the process's resident set every 50 ms, then writes the
JSON report to /dev/null as the report stage. Peak RSS is the main process's: forked workers
count the parent's pages in their own RSS, so theirs would say little. CPU is the main
process's and its workers', which on a machine shared with other work tells more than wall
time (Linux shares a busy machine's cores between sessions, not processes). Used for the
stage table of docs/performance.md.
"""

from __future__ import annotations

import argparse
import resource
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
    began = time.perf_counter()
    starts: dict[str, float] = {"reading": 0.0}  # a scan starts by reading
    cpu: dict[str, float] = {"reading": _cpu_seconds()}
    peaks: dict[str, float] = {}
    stage = ["reading"]

    def sample() -> None:
        while True:
            peaks[stage[0]] = max(peaks.get(stage[0], 0.0), _resident_mib())
            time.sleep(0.05)

    def progress(name: str, done: int, total: int) -> None:
        if name not in starts:
            starts[name] = time.perf_counter() - began
            cpu[name] = _cpu_seconds()
            stage[0] = name

    threading.Thread(target=sample, daemon=True).start()
    result = scan([args.path], ScanOptions(diffs=args.diffs), jobs=args.jobs, progress=progress)
    starts["report"] = time.perf_counter() - began
    cpu["report"] = _cpu_seconds()
    stage[0] = "report"
    with open("/dev/null", "w", encoding="utf-8") as sink:
        JsonReporter().write(result, sink)
    end = time.perf_counter() - began
    cpu_end = _cpu_seconds()
    time.sleep(0.1)  # one more sample of the report stage
    names = list(starts)
    print(f"{'stage':<16}{'wall s':>9}{'peak MiB':>10}{'CPU s':>9}")
    for name, later in zip(names, [*names[1:], None], strict=True):
        wall = (starts[later] if later else end) - starts[name]
        used = (cpu[later] if later else cpu_end) - cpu[name]
        print(f"{name:<16}{wall:>9.1f}{peaks.get(name, 0.0):>10.0f}{used:>9.1f}")
    print(f"{'total':<16}{end:>9.1f}{max(peaks.values()):>10.0f}{cpu_end - cpu['reading']:>9.1f}")


def _cpu_seconds() -> float:
    """CPU time of this process and of the workers it has reaped (a stage's pool is shut down
    when the stage ends, so its workers' time counts in that stage)."""
    own, workers = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


if __name__ == "__main__":
    main()
