"""The diff stage's CPU, two versions of the code side by side, on a real scan's diff tasks.

    python -m benchmarks.bench_diff_tasks capture CORPUS TASKS.pkl
    python -m benchmarks.bench_diff_tasks compare TASKS.pkl BEFORE_DIR AFTER_DIR [--rounds 3]

`capture` scans CORPUS as the CLI does (`--jobs 2`, diffs on) and pickles every diff task
(`pipeline._DiffStory`: a story's pages, rows and version pairs). `compare` copies the
`newsdedup` package of each directory under another name, imports both into this one process,
and runs every task under each in turn, the order alternating by task and round: on a machine
shared with other work, two runs minutes apart differ by more than a code change does, and
tasks interleaved a few milliseconds apart do not. It prints the CPU of each and whether every
`VersionDiff` came out the same (by repr).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import pickle
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def capture(corpus: str, out: str) -> None:
    from newsdedup import pipeline
    from newsdedup.cli import app

    tasks: list[Any] = []
    original = pipeline._map

    def spy(fn: Any, work: Any, *args: Any, **kwargs: Any) -> Any:
        if fn is pipeline._diff_story:
            work = list(work)
            tasks.extend(work)
        return original(fn, work, *args, **kwargs)

    pipeline._map = spy  # type: ignore[assignment]
    with contextlib.suppress(SystemExit):  # typer ends with the scan's exit code
        app(["scan", corpus, "--format", "json", "-o", os.devnull, "--quiet", "--jobs", "2"])
    with open(out, "wb") as handle:
        pickle.dump(tasks, handle, protocol=5)
    print(json.dumps({"tasks": len(tasks), "diffs": sum(len(t.pairs) for t in tasks)}))


def compare(tasks_path: str, before: str, after: str, rounds: int) -> None:
    packages = Path(tempfile.mkdtemp(prefix="bench-diff-"))
    codes = {"before": before, "after": after}
    for name, directory in codes.items():
        shutil.copytree(
            Path(directory) / "newsdedup",
            packages / f"nd_{name}",
            ignore=shutil.ignore_patterns("__pycache__"),
        )
    sys.path.insert(0, str(packages))
    stages = {name: importlib.import_module(f"nd_{name}.pipeline") for name in codes}
    # the tasks were pickled against `newsdedup`: load them as the first copy's records
    sys.modules["newsdedup"] = importlib.import_module("nd_before")
    for sub in ("records", "segment", "pipeline", "diff"):
        sys.modules[f"newsdedup.{sub}"] = importlib.import_module(f"nd_before.{sub}")
    with open(tasks_path, "rb") as handle:
        tasks = pickle.load(handle)
    cpu = dict.fromkeys(codes, 0.0)
    found: dict[str, list[list[str]]] = {name: [] for name in codes}
    for round_ in range(rounds):
        for n, task in enumerate(tasks):
            order = list(codes) if (n + round_) % 2 == 0 else list(codes)[::-1]
            for name in order:
                start = time.process_time()
                diffs, _ = stages[name]._diff_story(task)
                cpu[name] += time.process_time() - start
                if round_ == 0:
                    found[name].append([repr(d) for d in diffs])
    shutil.rmtree(packages)
    print(
        json.dumps(
            {
                "tasks": len(tasks),
                "diffs": sum(len(t.pairs) for t in tasks),
                "rounds": rounds,
                "before_cpu": round(cpu["before"], 2),
                "after_cpu": round(cpu["after"], 2),
                "change": round(cpu["after"] / cpu["before"] - 1, 3),
                "same_diffs": found["before"] == found["after"],
                "load": round(os.getloadavg()[0], 1),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    one = commands.add_parser("capture")
    one.add_argument("corpus")
    one.add_argument("out")
    two = commands.add_parser("compare")
    two.add_argument("tasks")
    two.add_argument("before")
    two.add_argument("after")
    two.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if args.command == "capture":
        capture(args.corpus, args.out)
    else:
        compare(args.tasks, args.before, args.after, args.rounds)


if __name__ == "__main__":
    main()
