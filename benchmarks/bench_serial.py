"""How busy each core is in each stage of a scan: the main process against its workers.

    python -m benchmarks.bench_serial corpus.jsonl --jobs 2 [--no-diffs]

At `--jobs 2` a stage's wall time follows whichever side works alone: the main process in a
serial stretch (one core idle), the workers where they wait for it. This runs the library
scan the CLI runs, learns each stage's window from the progress callback (a stage runs from
its first call to the next stage's; the last, `report`, writes the JSON report) and reads,
every `--interval` seconds, each thread's scheduler counters (`/proc/PID/task/TID/schedstat`:
time run and time waited for a core) and state, for this process (the sampling thread left
out) and its worker processes. Per stage it prints the wall time; the CPU run and the time
waited by the main process and by the workers; how many of their threads were runnable on
average; the share of samples with fewer than two runnable (`<2R%`); and the idle share of
two cores (`idle%`: two minus the runnable threads, averaged). On a machine shared with other
work the wall times and waits grow with the load, while the runnable counts still tell which
side held each stage up. Linux only (/proc).
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from pathlib import Path

from newsdedup.cli import return_freed_arrays_to_the_system
from newsdedup.pipeline import ScanOptions, scan
from newsdedup.report import JsonReporter

_FIELDS = ("wall", "main_cpu", "main_wait", "workers_cpu", "workers_wait")


class _Sampler:
    """Scheduler counters of a process tree, added to the current stage at each tick."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.skip = -1  # the sampling thread
        self.stage = "reading"  # a scan starts by reading
        self.order: list[str] = []
        self.totals: dict[str, dict[str, float]] = {}
        self.seen: dict[int, tuple[float, float]] = {}  # thread id -> (run, wait) read last
        self.last = time.perf_counter()
        self.lock = threading.Lock()

    def _threads(self, pid: int, counted: bool) -> tuple[float, float, int]:
        """(run, wait) seconds since the last tick and runnable threads of `pid`."""
        run = wait = 0.0
        runnable = 0
        try:
            tasks = list(Path(f"/proc/{pid}/task").iterdir())
        except OSError:
            return run, wait, runnable
        for task in tasks:
            tid = int(task.name)
            if tid == self.skip:
                continue
            try:
                ran, waited, _ = (int(x) / 1e9 for x in (task / "schedstat").read_text().split())
                stat = (task / "stat").read_text()
            except (OSError, ValueError):
                continue
            before = self.seen.get(tid, (0.0, 0.0))
            self.seen[tid] = (ran, waited)
            if counted:
                run, wait = run + ran - before[0], wait + waited - before[1]
            runnable += stat[stat.rindex(")") + 2] == "R"
        return run, wait, runnable

    def _children(self) -> list[int]:
        found: list[int] = []
        for task in Path(f"/proc/{self.pid}/task").iterdir():
            try:
                found += [int(x) for x in (task / "children").read_text().split()]
            except OSError:
                continue
        return found

    def tick(self, counted: bool = True) -> None:
        with self.lock:
            now = time.perf_counter()
            main_run, main_wait, main_runnable = self._threads(self.pid, counted)
            kids = [self._threads(child, counted) for child in self._children()]
            if not counted:
                self.last = now
                return
            if self.stage not in self.totals:
                self.order.append(self.stage)
                self.totals[self.stage] = dict.fromkeys(
                    (*_FIELDS, "samples", "main_r", "workers_r", "under_two", "idle"), 0.0
                )
            x = self.totals[self.stage]
            workers_runnable = sum(k[2] for k in kids)
            runnable = main_runnable + workers_runnable
            x["wall"] += now - self.last
            x["main_cpu"] += main_run
            x["main_wait"] += main_wait
            x["workers_cpu"] += sum(k[0] for k in kids)
            x["workers_wait"] += sum(k[1] for k in kids)
            x["samples"] += 1
            x["main_r"] += main_runnable
            x["workers_r"] += workers_runnable
            x["under_two"] += runnable < 2
            x["idle"] += max(0, 2 - runnable)
            self.last = now

    def enter(self, stage: str, done: int = 0, total: int = 0) -> None:
        """The progress callback: a stage's first call ends the one before."""
        if stage != self.stage:
            self.tick()
            self.stage = stage


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-diffs", action="store_true")
    parser.add_argument("--interval", type=float, default=0.05)
    args = parser.parse_args()
    return_freed_arrays_to_the_system()
    sampler = _Sampler()
    done = threading.Event()

    def sample() -> None:
        sampler.skip = threading.get_native_id()
        while not done.wait(args.interval):
            sampler.tick()

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    sampler.tick(counted=False)
    load = os.getloadavg()[0]
    result = scan(
        [args.path], ScanOptions(diffs=not args.no_diffs), jobs=args.jobs, progress=sampler.enter
    )
    sampler.enter("report")
    with open(os.devnull, "w", encoding="utf-8") as sink:
        JsonReporter().write(result, sink)
    sampler.tick()
    done.set()
    thread.join()
    print(f"load average {load:.2f} at the start, {os.getloadavg()[0]:.2f} at the end")
    print(
        f"{'stage':<15}{'wall s':>7}{'main CPU':>9}{'wait':>6}{'workers CPU':>12}{'wait':>6}"
        f"{'main R':>7}{'wrk R':>6}{'<2R%':>6}{'idle%':>6}"
    )
    every = {f: sum(sampler.totals[s][f] for s in sampler.order) for f in sampler.totals["reading"]}
    for name, x in [*((s, sampler.totals[s]) for s in sampler.order), ("total", every)]:
        n = max(x["samples"], 1)
        print(
            f"{name:<15}{x['wall']:>7.1f}{x['main_cpu']:>9.1f}{x['main_wait']:>6.1f}"
            f"{x['workers_cpu']:>12.1f}{x['workers_wait']:>6.1f}{x['main_r'] / n:>7.2f}"
            f"{x['workers_r'] / n:>6.2f}{100 * x['under_two'] / n:>6.0f}"
            f"{100 * x['idle'] / (2 * n):>6.0f}"
        )


if __name__ == "__main__":
    main()
