"""Throughput benchmark: the floor, the naive datasketch pipeline and newsdedup, in one run.

    python -m benchmarks.run --sizes 1000 10000 --jobs 1 2 --out benchmarks/results/latest.json

For each size a corpus is generated (benchmarks/corpus.py, fixed seed) and written as JSON Lines;
each measurement then runs in its own process, so peak RSS is that pipeline's alone:

* floor: read, lowercase, split, word 5-shingles, xxh3 of every shingle, pure Python, nothing else;
* naive: what a competent user writes with datasketch in an afternoon: paragraphs split on blank
  lines, one `MinHash` per paragraph (`update_batch`, sha1), `MinHashLSH` insert and query per
  paragraph, exact Jaccard verification of candidates, documents joined by union-find;
* newsdedup: the real command, `newsdedup scan corpus.jsonl --format json`, stdout discarded,
  with and without diffs, at each `--jobs`.

Figures: seconds, docs/s, MB/s of article text, peak RSS of the measured process tree's largest
process, and the scaling exponent of time against size between consecutive sizes.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.corpus import generate, write_corpus

SHINGLE = 5
NUM_PERM = 128


def _records(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _shingles(words: list[str]) -> set[str]:
    return {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def measure_floor(path: Path) -> dict[str, Any]:
    import xxhash

    total = 0
    for record in _records(path):
        words = record["text"].lower().split()
        for i in range(len(words) - SHINGLE + 1):
            total ^= xxhash.xxh3_64_intdigest(" ".join(words[i : i + SHINGLE]).encode())
    return {"checksum": total}


def measure_naive(path: Path) -> dict[str, Any]:
    from datasketch import MinHash, MinHashLSH

    paragraphs: list[tuple[int, set[str]]] = []
    records = _records(path)
    for doc, record in enumerate(records):
        for block in record["text"].split("\n\n"):
            shingles = _shingles(block.lower().split())
            if shingles:
                paragraphs.append((doc, shingles))
    lsh = MinHashLSH(threshold=0.5, num_perm=NUM_PERM)
    sketches = []
    for key, (_, shingles) in enumerate(paragraphs):
        sketch = MinHash(num_perm=NUM_PERM)
        sketch.update_batch([s.encode() for s in shingles])
        sketches.append(sketch)
        lsh.insert(key, sketch)
    parent = list(range(len(records)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    verified = 0
    for key, sketch in enumerate(sketches):
        for other in lsh.query(sketch):
            if other <= key:
                continue
            a, b = paragraphs[key][1], paragraphs[other][1]
            if len(a & b) / len(a | b) >= 0.5:
                verified += 1
                parent[find(paragraphs[key][0])] = find(paragraphs[other][0])
    return {"verified_pairs": verified, "paragraphs": len(paragraphs)}


def _run_measured(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process tree."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise RuntimeError(f"{command} failed with status {status}")
    return seconds, usage.ru_maxrss / 1024


def run_size(
    articles: int, jobs: list[int], workdir: Path, with_naive: bool
) -> list[dict[str, Any]]:
    corpus = generate(articles, seed=2026)
    directory = workdir / f"corpus-{articles}"
    write_corpus(corpus, directory, "jsonl")
    path = directory / "corpus.jsonl"
    megabytes = sum(len(d.text.encode()) for d in corpus.documents) / 1e6
    runs: list[tuple[str, list[str]]] = [
        ("floor", [sys.executable, "-m", "benchmarks.run", "--measure", "floor", str(path)])
    ]
    if with_naive:
        runs.append(
            (
                "naive datasketch",
                [sys.executable, "-m", "benchmarks.run", "--measure", "naive", str(path)],
            )
        )
    scan = [sys.executable, "-m", "newsdedup.cli", "scan", str(path), "--format", "json", "--quiet"]
    for j in jobs:
        runs.append((f"newsdedup --jobs {j} --no-diffs", [*scan, "--jobs", str(j), "--no-diffs"]))
        runs.append((f"newsdedup --jobs {j}", [*scan, "--jobs", str(j)]))
    rows = []
    for name, command in runs:
        seconds, rss = _run_measured(command)
        rows.append(
            {
                "pipeline": name,
                "articles": articles,
                "megabytes": round(megabytes, 2),
                "seconds": round(seconds, 2),
                "docs_per_s": round(articles / seconds, 1),
                "mb_per_s": round(megabytes / seconds, 2),
                "peak_rss_mb": round(rss, 1),
            }
        )
        print(json.dumps(rows[-1]), file=sys.stderr)
    return rows


def scaling(rows: list[dict[str, Any]]) -> dict[str, float]:
    """Exponent k in time ~ size^k between the two largest sizes, per pipeline."""
    out = {}
    for name in sorted({r["pipeline"] for r in rows}):
        points = sorted((r["articles"], r["seconds"]) for r in rows if r["pipeline"] == name)
        if len(points) >= 2:
            (n1, t1), (n2, t2) = points[-2], points[-1]
            out[name] = round(math.log(t2 / t1) / math.log(n2 / n1), 2)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--naive-max", type=int, default=100000, help="skip the naive pipeline above this size"
    )
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/latest.json"))
    parser.add_argument("--measure", choices=["floor", "naive"], help=argparse.SUPPRESS)
    parser.add_argument("corpus", nargs="?", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        result = (measure_floor if args.measure == "floor" else measure_naive)(args.corpus)
        print(json.dumps(result))
        return
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            rows += run_size(size, args.jobs, Path(tmp), size <= args.naive_max)
    report = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "command": " ".join(["python -m benchmarks.run", *sys.argv[1:]]),
        "rows": rows,
        "scaling_exponent": scaling(rows),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
