"""Archive index benchmark: add throughput, query latency, size on disk, peak memory.

For each size N, a corpus of N + Q generated articles is written as JSON Lines; Q of them
(a random sample) are held out as "today's pages" and the other N are added to an index with
`newsdedup index add` (a subprocess: its wall time and peak RSS are its own). The same N
articles are scanned with `newsdedup scan` for comparison (`--compare-scan`). Then each held
out article is queried alone, in process, three ways:

* `lookup`: fingerprint the article and read the buckets and passages of its segments (what
  the index itself costs, the part that must not grow with the archive);
* `reach`: every round of `store.archive.Reach` (the archived documents its stories need);
* `query`: `reach` plus the pipeline over the article and those documents, without diffs:
  what `newsdedup index query` computes (without the interpreter's start-up).

    python -m benchmarks.bench_index --sizes 10000 100000 --jobs 2 \
        --redis redis://127.0.0.1:6379/0 --redis-sizes 10000 --out benchmarks/results/index.json

With `--keep DIR`, the SQLite indexes stay in DIR (`index-N.db`) with the held-out articles
as the files a newsroom would have (`today-N/`, mixed HTML pages and text captures, as
`benchmarks/corpus.write_corpus` writes them): `benchmarks.bench_check --index` checks those
against that index, so the 100k index is built once for both benchmarks. `--build-only`
stops after the add (no query, no re-add): the kept index is then timed with `--latency-of`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.corpus import file_name, generate, html_page, text_capture
from newsdedup.ingest import iter_documents
from newsdedup.pipeline import ScanOptions, scan_documents
from newsdedup.records import Document
from newsdedup.store.archive import Reach, open_store, restrict


def _write_jsonl(docs: list[Any], path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for d in docs:
            record = {
                "id": d.id,
                "text": d.text,
                "url": d.url,
                "title": d.title,
                "published": d.published,
                "site": d.site,
            }
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


_MEASURED = """
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
elapsed = time.perf_counter() - start
used = resource.getrusage(resource.RUSAGE_CHILDREN)
print(elapsed, used.ru_maxrss, used.ru_utime + used.ru_stime)
"""


def _run(cmd: list[str]) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (KiB, of the command's largest process: a fresh parent per
    command, so `RUSAGE_CHILDREN` is the command's own) and CPU seconds (its processes'
    together: on a shared machine, the work done, which wall time is not) of a command."""
    found = subprocess.run(
        [sys.executable, "-c", _MEASURED, *cmd], check=True, capture_output=True, text=True
    )
    elapsed, peak, cpu = found.stdout.split()
    return float(elapsed), int(peak), float(cpu)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _ms(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(1000 * statistics.median(values), 2),
        "p99_ms": round(1000 * _percentile(values, 0.99), 2),
        "max_ms": round(1000 * max(values), 2),
    }


def _latencies(index: str, queries: list[Document], lookup_only: bool = False) -> dict[str, Any]:
    """Each query's wall time, and the lookup's CPU time (this process's: what the machine's
    other work does not inflate)."""
    store = open_store(index)
    options = ScanOptions(diffs=False)
    lookup, lookup_cpu, reach_times, query, loaded = [], [], [], [], []
    for doc in queries:
        start, cpu = time.perf_counter(), time.process_time()
        first = Reach(store, options, max_rounds=0)
        first.related([doc])
        lookup.append(time.perf_counter() - start)
        lookup_cpu.append(time.process_time() - cpu)
        if lookup_only:
            continue
        start = time.perf_counter()
        reach = Reach(store, options)
        related = reach.related([doc])
        reach_times.append(time.perf_counter() - start)
        result = scan_documents([doc, *related], options)
        restrict(result, {doc.id}, {d.id for d in related})
        query.append(time.perf_counter() - start)
        loaded.append(len(related))
        if len(query) % 20 == 0:
            print(f"  {len(query)} queries, last {query[-1]:.2f} s", file=sys.stderr, flush=True)
    store.close()
    found: dict[str, Any] = {"queries": len(queries), "lookup": _ms(lookup)}
    found["lookup_cpu"] = _ms(lookup_cpu)
    if lookup_only:
        return found

    return {
        **found,
        "reach": _ms(reach_times),
        "query": _ms(query),
        "archived_loaded": {
            "median": statistics.median(loaded),
            "p99": _percentile([float(n) for n in loaded], 0.99),
        },
    }


def _partial(result: dict[str, Any]) -> None:
    """The figures so far, on stderr: a long run interrupted keeps what it measured."""
    print(json.dumps(result), file=sys.stderr, flush=True)


def _size(index: str) -> int:
    if index.startswith("redis://"):
        return int(open_store(index).stats()["bytes_on_disk"])
    return sum(os.path.getsize(p) for p in (index, index + "-wal") if os.path.exists(p))


def bench(
    size: int,
    index: str,
    jobs: int,
    queries: int,
    seed: int,
    work: Path,
    compare: bool,
    timed: int | None = None,
    scan_today: bool = True,
    build_only: bool = False,
) -> dict[str, Any]:
    started = time.perf_counter()
    corpus = generate(size + queries, seed)
    generated = time.perf_counter() - started
    rng = random.Random(seed)
    held = set(rng.sample(range(len(corpus.documents)), queries))
    archive = [d for i, d in enumerate(corpus.documents) if i not in held]
    today = [d for i, d in enumerate(corpus.documents) if i in held]
    path = work / f"archive-{size}.jsonl"
    _write_jsonl(archive, path)
    pages = work / f"today-{size}"
    pages.mkdir(exist_ok=True)
    for d in today:  # the held-out articles as files, for `bench_check --index`
        page = html_page(corpus, d) if d.fmt == "html" else text_capture(d)
        (pages / file_name(d)).write_text(page, encoding="utf-8")
    text_mb = sum(len(d.text.encode()) for d in archive) / 1e6
    del corpus
    cli = [sys.executable, "-m", "newsdedup"]
    print(f"{index}: {size} articles generated in {generated:.0f} s", file=sys.stderr, flush=True)
    add_s, add_rss, add_cpu = _run(
        [*cli, "index", "add", str(path), "--index", index, "-j", str(jobs), "-q"]
    )
    result: dict[str, Any] = {
        "articles": size,
        "text_mb": round(text_mb, 1),
        "generate_s": round(generated, 1),
        "index": "redis" if index.startswith("redis://") else "sqlite",
        "add_s": round(add_s, 1),
        "add_cpu_s": round(add_cpu, 1),
        "add_articles_per_s": round(size / add_s, 1),
        "add_peak_rss_mib": round(add_rss / 1024, 1),
        "index_bytes": _size(index),
        "stats": {k: v for k, v in open_store(index).stats().items() if k != "parameters"},
    }
    if build_only:  # the index and today's pages for `--latency-of` and `bench_check --index`
        path.unlink()
        return result
    readd_s, _, readd_cpu = _run(
        [*cli, "index", "add", str(path), "--index", index, "-j", str(jobs), "-q"]
    )
    result["readd_unchanged_s"] = round(readd_s, 1)
    result["readd_unchanged_cpu_s"] = round(readd_cpu, 1)
    _partial(result)
    docs = [
        Document(id=d.id, text=d.text, title=d.title, url=d.url, site=d.site, published=d.published)
        for d in today
    ]
    result["latency"] = _latencies(index, docs[:timed])
    _partial(result)
    if compare:
        out = work / "scan.json"
        scan_s, scan_rss, scan_cpu = _run(
            [*cli, "scan", str(path), "-f", "json", "-q", "-o", str(out), "-j", str(jobs)]
        )
        result["scan_s"] = round(scan_s, 1)
        result["scan_cpu_s"] = round(scan_cpu, 1)
        result["scan_articles_per_s"] = round(size / scan_s, 1)
        result["scan_peak_rss_mib"] = round(scan_rss / 1024, 1)
        out.unlink(missing_ok=True)
        _partial(result)
    if not scan_today:
        path.unlink()
        return result
    # today's pages in one run against the archive, as a newsroom scans them (with diffs)
    new = work / f"today-{size}.jsonl"
    _write_jsonl(today, new)
    out = work / "today.json"
    today_s, today_rss, today_cpu = _run(
        [
            *cli,
            "scan",
            str(new),
            "--index",
            index,
            "-f",
            "json",
            "-q",
            "-o",
            str(out),
            "-j",
            str(jobs),
        ]
    )
    reported = json.loads(out.read_text(encoding="utf-8"))
    result["scan_today"] = {
        "articles": len(today),
        "seconds": round(today_s, 1),
        "cpu_seconds": round(today_cpu, 1),
        "peak_rss_mib": round(today_rss / 1024, 1),
        "stories": len(reported["stories"]),
        "archived_documents_reported": sum(d.get("archived", False) for d in reported["documents"]),
    }
    out.unlink()
    path.unlink()
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.bench_index", description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    ap.add_argument("--redis", help="redis://HOST:PORT/DB for the Redis runs")
    ap.add_argument("--redis-sizes", type=int, nargs="*", default=[10_000])
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--timed", type=int, help="held-out articles queried one by one (all)")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--compare-scan", action="store_true", help="also time `newsdedup scan`")
    ap.add_argument("--out", type=Path)
    ap.add_argument(
        "--no-today", action="store_true", help="skip the scan of today's pages (see bench_check)"
    )
    ap.add_argument("--keep", type=Path, help="keep the SQLite indexes and today's pages here")
    ap.add_argument("--latency-of", metavar="INDEX", help="only time queries of --pages")
    ap.add_argument("--pages", type=Path, help="with --latency-of: the queried articles")
    ap.add_argument("--lookup-only", action="store_true", help="time the lookup only")
    ap.add_argument(
        "--build-only", action="store_true", help="only add (with --keep: time queries later)"
    )
    args = ap.parse_args(argv)
    if args.latency_of:  # an index built before (--keep): its pages queried, nothing built
        docs = [d for d in iter_documents([str(args.pages)]) if isinstance(d, Document)]
        stats = open_store(args.latency_of).stats()
        found = {
            "index": args.latency_of,
            "stats": {k: v for k, v in stats.items() if k != "parameters"},
        }
        found["latency"] = _latencies(args.latency_of, docs[: args.timed], args.lookup_only)
        print(json.dumps(found), flush=True)
        if args.out:
            args.out.write_text(json.dumps(found, indent=2) + "\n", encoding="utf-8")
        return 0
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-index-"))
    work.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        runs = [(n, str(work / f"index-{n}.db")) for n in args.sizes]
        for _, index in runs:  # a kept index of an earlier run would make `add` a no-op
            for old in (index, index + "-wal", index + "-shm"):
                Path(old).unlink(missing_ok=True)
        if args.redis:
            sep = "&" if "?" in args.redis else "?"
            runs += [(n, f"{args.redis}{sep}name=bench-{n}") for n in args.redis_sizes]
        for size, index in runs:
            found = bench(
                size,
                index,
                args.jobs,
                args.queries,
                args.seed,
                work,
                args.compare_scan,
                args.timed,
                not args.no_today,
                args.build_only,
            )
            results.append(found)
            print(json.dumps(found), flush=True)
            if index.startswith("redis://"):
                _clear_redis(index)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if args.out:
        args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


def _clear_redis(index: str) -> None:
    import redis

    base, _, name = index.partition("?name=")
    client = redis.Redis.from_url(base)
    for key in client.scan_iter(match=f"{name}:*", count=10_000):
        client.delete(key)


if __name__ == "__main__":
    raise SystemExit(main())
