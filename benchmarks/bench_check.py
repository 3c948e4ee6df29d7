"""Time `newsdedup check`: changed articles against a large reference folder.

    python -m benchmarks.bench_check --articles 20000 --checked 500 --dir /tmp/bench-check

A generated corpus (`benchmarks/corpus.py`, mixed HTML pages and text captures) of
`--articles + --checked` documents is written once into DIR (reused by later runs with
the same sizes and seed); `--checked` of its documents, drawn at random (seeded), are
moved to DIR/site as the pull request's changed articles, and the rest, in DIR/corpus,
are the reference folder. The check runs as the CLI runs it (`make_plan` aside: the plan
names the files), `--repeat` times; the figures are the wall and CPU time of each run and
of its parts (reading the checked articles, the reference prefilter counted from the start
so that reading included, reading the candidates it passed, the scan, the rules; CPU of this
process and of its reaped workers), the load average at the end,
the number of reference articles the prefilter passed to the scan, and the findings by
rule. Interpreter start-up is not included (about 3 s
for `newsdedup` on this machine, mostly importing scipy and datasketch).

    python -m benchmarks.bench_check --index DIR/index-100000.db --site DIR/today-100000

checks instead the articles of `--site` against an archive index: the ones
`benchmarks.bench_index --keep DIR` leaves (its held-out articles as files, and the index of
the others), so the 100,000-article index is built once for both benchmarks. The
"prefilter" is then the index lookup (`store.archive.Reach`, which reads the candidates
too, so "read candidates" is about nothing).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import time
from collections import Counter
from dataclasses import asdict
from pathlib import Path

from benchmarks.corpus import generate, write_corpus
from newsdedup.check.config import ReferenceSpec
from newsdedup.check.engine import CheckPlan, run_check
from newsdedup.check.rules import RULES
from newsdedup.cli import return_freed_arrays_to_the_system
from newsdedup.store.archive import open_store


def prepare(directory: Path, articles: int, checked: int, seed: int) -> tuple[list[str], str]:
    """(checked files, reference folder) under `directory`, generated unless already there."""
    marker = directory / "bench.json"
    wanted = {"articles": articles, "checked": checked, "seed": seed}
    if not (marker.exists() and json.loads(marker.read_text()) == wanted):
        shutil.rmtree(directory, ignore_errors=True)
        began = time.perf_counter()
        corpus = generate(articles + checked, seed=seed)
        write_corpus(corpus, directory)
        site = directory / "site"
        site.mkdir()
        names = sorted(os.listdir(directory / "corpus"))
        for name in random.Random(seed).sample(names, checked):
            (directory / "corpus" / name).rename(site / name)
        marker.write_text(json.dumps(wanted))
        print(f"wrote the corpus in {time.perf_counter() - began:.0f} s")
    site_files = sorted(str(p) for p in (directory / "site").iterdir())
    return site_files, str(directory / "corpus")


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the scan's workers): on a
    shared machine, the work done, which the wall time is not."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _own_cpu() -> float:
    """CPU seconds of this process alone (its threads included)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def measure(
    checked: list[str], reference: str, jobs: int, dump: Path | None = None
) -> dict[str, object]:
    stamps: dict[str, float] = {}
    cpus: dict[str, float] = {}  # the same stamps in CPU seconds
    began, cpu, own = time.perf_counter(), _cpu(), _own_cpu()

    def progress(stage: str, done: int, total: int) -> None:
        stamps.setdefault(f"{stage}_start", time.perf_counter() - began)
        stamps[stage] = time.perf_counter() - began
        cpus.setdefault(f"{stage}_start", _cpu() - cpu)
        cpus[stage] = _cpu() - cpu

    plan = CheckPlan(
        checked=tuple(checked),
        sources=(ReferenceSpec(reference),),
        severities={r.id: r.severity for r in RULES},
    )
    outcome = run_check(plan, jobs=jobs, progress=progress)
    total, total_cpu = time.perf_counter() - began, _cpu() - cpu
    own_cpu = _own_cpu() - own
    if dump is not None:  # to compare two versions' findings one by one
        rows = (asdict(f) | {"severity": f.severity.value} for f in outcome.findings)
        dump.write_text("".join(json.dumps(r, sort_keys=True) + "\n" for r in rows))
    prefilter, prefilter_cpu = stamps.get("references", 0.0), cpus.get("references", 0.0)
    # the prefilter's (or lookup's) own part: after the checked articles are read
    read, read_cpu = stamps.get("references_start", 0.0), cpus.get("references_start", 0.0)
    scan = stamps.get("fingerprinting_start", prefilter)
    scan_cpu = cpus.get("fingerprinting_start", prefilter_cpu)
    rules, rules_cpu = stamps.get("rules_start", total), cpus.get("rules_start", total_cpu)
    return {
        "seconds": round(total, 2),
        "cpu_seconds": round(total_cpu, 2),
        # what the run would take with its cores to itself: this process's CPU, and its
        # workers' shared among `jobs` cores (threads of this process count whole: an
        # upper bound); the wall time of a shared machine says how loaded it was instead
        "own_cpu": round(own_cpu, 2),
        "idle_estimate_seconds": round(own_cpu + (total_cpu - own_cpu) / jobs, 2),
        "read_checked_seconds": round(read, 2),
        "prefilter_seconds": round(prefilter, 2),
        "read_candidates_seconds": round(scan - prefilter, 2),
        "scan_seconds": round(rules - scan, 2),
        "rules_seconds": round(total - rules, 2),
        # CPU of this process and of its reaped children (each stage's pool ends with it)
        "read_checked_cpu": round(read_cpu, 2),
        "prefilter_cpu": round(prefilter_cpu, 2),
        "read_candidates_cpu": round(scan_cpu - prefilter_cpu, 2),
        "scan_cpu": round(rules_cpu - scan_cpu, 2),
        "rules_cpu": round(total_cpu - rules_cpu, 2),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "checked": len(outcome.checked),
        "references_scanned": outcome.references,
        "findings": dict(sorted(Counter(f.rule for f in outcome.findings).items())),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=20_000, help="reference articles")
    parser.add_argument("--checked", type=int, default=500, help="changed articles checked")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/newsdedup-bench-check"))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--index", help="an archive index to check against (no folder)")
    parser.add_argument("--site", type=Path, help="with --index: the checked articles' folder")
    parser.add_argument("--dump", type=Path, help="write the last run's findings (JSON Lines)")
    args = parser.parse_args()
    return_freed_arrays_to_the_system()
    if args.index:
        if args.site is None:
            parser.error("--index needs --site")
        checked = sorted(str(p) for p in args.site.iterdir())
        reference = args.index
        store = open_store(reference)
        size = {"reference_documents": store.stats()["documents"]}
        store.close()
    else:
        checked, reference = prepare(args.dir, args.articles, args.checked, args.seed)
        size = {"reference_files": sum(1 for _ in os.scandir(reference))}
    for run in range(args.repeat):
        figures = measure(checked, reference, args.jobs, args.dump)
        print(json.dumps({"run": run + 1, **size, "jobs": args.jobs, **figures}))


if __name__ == "__main__":
    main()
