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

Two corpora (`--corpora`): the project's own generator (`project`) and one the project did not
make (`perf`: `../shared/perf/gen.py N DIR`, word salad from a Markov chain, its files gathered
into the same JSON Lines form so that all three pipelines read the same records). A speed-up
that holds on one generator only is not one.

Figures: seconds (the median of `--repeat` rounds; rounds alternate the order of the pipelines,
since the machine's speed drifts), docs/s, MB/s of article text, peak RSS of the measured
process tree's largest process, the scaling exponent of time against size between consecutive
sizes, and per corpus and size each newsdedup variant's ratio to the naive pipeline (how many
times faster) and to the floor (how many times slower).
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


PERF_GEN = Path(__file__).resolve().parents[2] / "shared" / "perf" / "gen.py"


def write_project(articles: int, directory: Path) -> Path:
    """The project's generated corpus (seed 2026) as JSON Lines."""
    write_corpus(generate(articles, seed=2026), directory, "jsonl")
    return directory / "corpus.jsonl"


def write_perf(articles: int, directory: Path, gen: Path = PERF_GEN) -> Path:
    """The outside corpus (`gen.py N DIR`, its default seed) gathered into JSON Lines: one
    record per file, its path under DIR as id, in file order."""
    subprocess.run([sys.executable, str(gen), str(articles), str(directory)], check=True)
    path = directory / "corpus.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        for file in sorted(directory.glob("d*/a*.txt")):
            text = file.read_text(encoding="utf-8")
            record = {"id": file.relative_to(directory).as_posix(), "text": text}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def run_size(
    articles: int,
    jobs: list[int],
    workdir: Path,
    with_naive: bool,
    corpus_name: str = "project",
    repeat: int = 1,
) -> list[dict[str, Any]]:
    directory = workdir / f"{corpus_name}-{articles}"
    writer = write_project if corpus_name == "project" else write_perf
    path = writer(articles, directory)
    megabytes = sum(len(r["text"].encode()) for r in _records(path)) / 1e6
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
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in runs}
    for round_ in range(repeat):
        for name, command in runs if round_ % 2 == 0 else runs[::-1]:
            samples[name].append(_run_measured(command))
            seconds = round(samples[name][-1][0], 2)
            line = {"corpus": corpus_name, "articles": articles, "pipeline": name}
            print(json.dumps({**line, "seconds": seconds}), file=sys.stderr)
    rows = []
    for name, _ in runs:
        times = sorted(t for t, _ in samples[name])
        seconds = times[len(times) // 2]
        rows.append(
            {
                "corpus": corpus_name,
                "pipeline": name,
                "articles": articles,
                "megabytes": round(megabytes, 2),
                "seconds": round(seconds, 2),
                "samples": [round(t, 2) for t, _ in samples[name]],
                "docs_per_s": round(articles / seconds, 1),
                "mb_per_s": round(megabytes / seconds, 2),
                "peak_rss_mb": round(max(rss for _, rss in samples[name]), 1),
            }
        )
    return rows


def ratios(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per corpus and size, each newsdedup variant against the naive pipeline (times faster)
    and the floor (times slower), from the same run."""
    out = []
    for corpus, articles in sorted({(r["corpus"], r["articles"]) for r in rows}):
        same = {
            r["pipeline"]: r["seconds"]
            for r in rows
            if (r["corpus"], r["articles"]) == (corpus, articles)
        }
        for name, seconds in same.items():
            if name.startswith("newsdedup"):
                naive = same.get("naive datasketch")
                out.append(
                    {
                        "corpus": corpus,
                        "articles": articles,
                        "pipeline": name,
                        "vs_naive": round(naive / seconds, 2) if naive else None,
                        "vs_floor": round(seconds / same["floor"], 2),
                    }
                )
    return out


def scaling(rows: list[dict[str, Any]]) -> dict[str, float]:
    """Exponent k in time ~ size^k between the two largest sizes, per pipeline."""
    out = {}
    for corpus, name in sorted({(r.get("corpus", "project"), r["pipeline"]) for r in rows}):
        points = sorted(
            (r["articles"], r["seconds"])
            for r in rows
            if (r.get("corpus", "project"), r["pipeline"]) == (corpus, name)
        )
        if len(points) >= 2:
            (n1, t1), (n2, t2) = points[-2], points[-1]
            out[f"{corpus}: {name}"] = round(math.log(t2 / t1) / math.log(n2 / n1), 2)
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
    parser.add_argument(
        "--corpora", nargs="+", choices=["project", "perf"], default=["project", "perf"]
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="rounds per size, alternating the order; median"
    )
    parser.add_argument("--measure", choices=["floor", "naive"], help=argparse.SUPPRESS)
    parser.add_argument("corpus", nargs="?", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        result = (measure_floor if args.measure == "floor" else measure_naive)(args.corpus)
        print(json.dumps(result))
        return
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for corpus in args.corpora:
            if corpus == "perf" and not PERF_GEN.exists():
                print(f"no {PERF_GEN}: the outside corpus is skipped", file=sys.stderr)
                continue
            for size in args.sizes:
                rows += run_size(
                    size, args.jobs, Path(tmp), size <= args.naive_max, corpus, args.repeat
                )
    report = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "command": " ".join(["python -m benchmarks.run", *sys.argv[1:]]),
        "rows": rows,
        "scaling_exponent": scaling(rows),
        "ratios": ratios(rows),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
