"""The diff stage's CPU, two versions of the code side by side, on a real scan's diff tasks.

    python -m benchmarks.bench_diff_tasks capture CORPUS TASKS.pkl
    python -m benchmarks.bench_diff_tasks compare TASKS.pkl BEFORE_DIR AFTER_DIR [--rounds 3]

`capture` scans CORPUS as the CLI does (`--jobs 2`, diffs on) and pickles every diff task
(`pipeline._DiffStory`: a story's pages, rows and version pairs). `compare` copies the
`newsdedup` package of each directory under another name, imports both into this one process,
and runs every task under each in turn, the order alternating by task and round: on a machine
shared with other work, two runs minutes apart differ by more than a code change does, and
tasks interleaved a few milliseconds apart do not. Each round starts with the diff module's
caches empty, as a scan reads each text once. It prints the CPU of each and whether every
`VersionDiff` came out the same (by repr).

Before the rounds each copy runs the first `--warm` tasks (all by default) untimed: the
copies share the libraries they import, and dateparser builds its locale tables on the first
line that needs them (about 0.6 s on the outside corpus), which the copy named first paid
(a bias of up to a tenth either way, the fifteenth session found). The rounds run with the
collector setting of the pool's workers (`pipeline._fewer_collections`).
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


def compare(tasks_path: str, before: str, after: str, rounds: int, warm: int | None) -> None:
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
    # the tasks were pickled against `newsdedup`: each copy runs them as its own records
    # (run as another copy's, the second copy came out 5-7% slower, whichever it was)
    tasks = {name: _load(tasks_path, f"nd_{name}") for name in codes}
    for name in codes:  # the libraries' first-use costs, paid before the clock starts
        for task in tasks[name][:warm]:
            stages[name]._diff_story(task)
    cpu = dict.fromkeys(codes, 0.0)
    found: dict[str, list[list[str]]] = {name: [] for name in codes}
    with stages["before"]._fewer_collections():  # as in the pool's workers
        for round_ in range(rounds):
            for name in codes:  # each round reads every text afresh, as a scan does once
                _clear_caches(importlib.import_module(f"nd_{name}.diff"))
            for n in range(len(tasks["before"])):
                order = list(codes) if (n + round_) % 2 == 0 else list(codes)[::-1]
                for name in order:
                    start = time.process_time()
                    diffs, _ = stages[name]._diff_story(tasks[name][n])
                    cpu[name] += time.process_time() - start
                    if round_ == 0:
                        found[name].append([repr(d) for d in diffs])
    shutil.rmtree(packages)
    print(
        json.dumps(
            {
                "tasks": len(tasks["before"]),
                "diffs": sum(len(t.pairs) for t in tasks["before"]),
                "rounds": rounds,
                "before_cpu": round(cpu["before"], 2),
                "after_cpu": round(cpu["after"], 2),
                "change": round(cpu["after"] / cpu["before"] - 1, 3),
                "same_diffs": found["before"] == found["after"],
                "load": round(os.getloadavg()[0], 1),
            }
        )
    )


def _load(path: str, package: str) -> list[Any]:
    """The pickled tasks, their records made by `package` (a copy of `newsdedup`)."""
    sys.modules["newsdedup"] = importlib.import_module(package)
    for sub in ("records", "segment", "pipeline", "diff"):
        sys.modules[f"newsdedup.{sub}"] = importlib.import_module(f"{package}.{sub}")
    with open(path, "rb") as handle:
        tasks: list[Any] = pickle.load(handle)
    return tasks


def _clear_caches(module: Any) -> None:
    """Empty the module's caches (`lru_cache`d functions and the word memos): left full, a
    second round would find every text read and time only the rest."""
    for value in vars(module).values():
        if callable(getattr(value, "cache_clear", None)):
            value.cache_clear()
        elif isinstance(value, dict) and isinstance(value, getattr(module, "_Memo", ())):
            value.clear()


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
    two.add_argument("--warm", type=int, default=None, help="tasks run untimed first (all)")
    args = parser.parse_args()
    if args.command == "capture":
        capture(args.corpus, args.out)
    else:
        compare(args.tasks, args.before, args.after, args.rounds, args.warm)


if __name__ == "__main__":
    main()
