"""The dask engine on one machine: a LocalCluster of 1 and 2 workers against the local engine.

    python -m benchmarks.bench_dask --articles 100000 --workers 1 2 --out results/dask.json

The project's generated corpus (seed 2026) is written as `--shards` JSON Lines shards. Each
round runs, in alternating order (the machine's speed drifts), the local engine (`newsdedup
scan DIR -f json -o FILE --jobs W`, its own process) and the dask engine on a fresh
`LocalCluster` of W single-thread worker processes (a child process of this script, so the
client's peak RSS is its own). Reported: wall seconds (cluster start-up included, and
separately), the peak RSS of each worker process and of the client, the ratio of the dask
engine's time to the local engine's, and whether the two JSON reports are the same bytes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.corpus import generate, write_corpus
from benchmarks.run import _run_measured


def write_shards(articles: int, shards: int, directory: Path) -> Path:
    """The corpus as `shards` JSON Lines files under DIR/shards (records dealt in turn)."""
    write_corpus(generate(articles, seed=2026), directory, "jsonl")
    lines = (directory / "corpus.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    root = directory / "shards"
    root.mkdir(exist_ok=True)
    for k in range(shards):
        (root / f"shard-{k:03d}.jsonl").write_text("".join(lines[k::shards]), encoding="utf-8")
    (directory / "corpus.jsonl").unlink()
    return root


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(corpus: str, out: str, workers: int, partition_docs: int) -> None:
    """One dask run (in its own process): the scan on a fresh LocalCluster; figures as JSON
    on stdout."""
    import logging

    from distributed import Client, LocalCluster

    from newsdedup.cli import return_freed_arrays_to_the_system
    from newsdedup.engines.dask import DaskEngine
    from newsdedup.pipeline import ScanOptions
    from newsdedup.report.json import JsonReporter

    return_freed_arrays_to_the_system()
    started = time.perf_counter()
    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
            memory_limit=0,  # measured, not managed: no spilling or pausing
        ) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call]
    ):
        client.wait_for_workers(workers)
        up = time.perf_counter() - started
        engine = DaskEngine(scheduler=cluster.scheduler_address, partition_docs=partition_docs)
        stages: dict[str, list[float]] = {}

        def progress(stage: str, done: int, total: int) -> None:
            now = time.perf_counter()
            stages.setdefault(stage, [now, now])[1] = now

        scan_start = time.perf_counter()
        result = engine.scan([corpus], ScanOptions(), progress=progress)
        with open(out, "w", encoding="utf-8") as handle:
            JsonReporter().write(result, handle)
        scan_seconds = time.perf_counter() - scan_start
        peaks = sorted(client.run(_peak_rss_mib).values())
    print(
        json.dumps(
            {
                "seconds": round(time.perf_counter() - started, 2),
                "cluster_start_seconds": round(up, 2),
                "scan_seconds": round(scan_seconds, 2),
                "worker_peak_rss_mib": [round(p, 1) for p in peaks],
                "client_peak_rss_mib": round(_peak_rss_mib(), 1),
                "stage_seconds": {k: round(b - a, 2) for k, (a, b) in stages.items()},
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--shards", type=int, default=16)
    parser.add_argument("--partition-docs", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--child", nargs=4, metavar=("CORPUS", "OUT", "WORKERS", "DOCS"))
    args = parser.parse_args()
    if args.child:
        corpus, out, workers, docs = args.child
        child(corpus, out, int(workers), int(docs))
        return
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-dask-") as tmp:
        work = Path(tmp)
        corpus = write_shards(args.articles, args.shards, work)
        for round_ in range(args.repeat):
            for workers in args.workers:
                local_out, dask_out = work / "local.json", work / "dask.json"
                runs: dict[str, Any] = {}
                order = ["local", "dask"] if (round_ + workers) % 2 else ["dask", "local"]
                for engine in order:
                    if engine == "local":
                        command = [sys.executable, "-m", "newsdedup", "scan", str(corpus)]
                        command += ["-f", "json", "-q", "-o", str(local_out), "-j", str(workers)]
                        seconds, rss = _run_measured(command)
                        runs["local"] = {
                            "seconds": round(seconds, 2),
                            "peak_rss_mib": round(rss, 1),
                        }
                    else:
                        command = [sys.executable, "-m", "benchmarks.bench_dask", "--child"]
                        command += [str(corpus), str(dask_out), str(workers)]
                        command += [str(args.partition_docs)]
                        found = subprocess.run(command, check=True, capture_output=True, text=True)
                        runs["dask"] = json.loads(found.stdout.strip().splitlines()[-1])
                same = local_out.read_bytes() == dask_out.read_bytes()
                row = {
                    "articles": args.articles,
                    "workers": workers,
                    "round": round_,
                    "order": order,
                    **runs,
                    "ratio_dask_to_local": round(
                        runs["dask"]["seconds"] / runs["local"]["seconds"], 2
                    ),
                    "same_bytes": same,
                }
                rows.append(row)
                print(json.dumps(row), flush=True)
    report = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "load_average_at_end": os.getloadavg(),
        "rows": rows,
    }
    if args.out:
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
