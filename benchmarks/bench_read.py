"""Reading containers: how fast a crawl archive is read, in how much memory, against the
other stages of a scan.

    python -m benchmarks.bench_read --megabytes 1000 --articles 2000 --jobs 1 2 \\
        --warc /tmp/crawl-1g.warc.gz --baseline /tmp/old-tree --rounds 2 --stages \\
        --out benchmarks/results/read-1g.json

1. Generated articles (benchmarks/corpus.py) are rendered as HTML pages and written as
   `response` records into a WARC.gz of `--megabytes` (compressed, on disk); the pages are
   cycled under new URLs until the file is that large. The archive is written record by
   record, never held in memory; `--warc PATH` keeps it there (and reuses it if it exists),
   otherwise it is written in a temporary directory and deleted afterwards.
2. Reading it as a scan reads it (`pipeline.read_documents`: warcio, decoding, HTML text and
   metadata, dates, language; with `--jobs` worker processes) runs in a child process per
   variant, nothing else: wall and CPU time, the peak RSS of the reading process and of its
   largest worker, and a digest of every item read (ids, texts, languages, order), so
   variants that read the same are seen to. `--baseline DIR` adds the code of another tree
   (e.g. `git archive HEAD` unpacked) with one job, the variants alternating in order from
   round to round.
3. `--stages`: the same pages, each once, in a small WARC.gz that `benchmarks.stages` scans
   with the largest `--jobs` (and the baseline's code), to tell whether reading is the slowest
   stage.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from benchmarks.corpus import generate, html_page

_ROOT = Path(__file__).resolve().parent.parent


def _pages(articles: int) -> list[bytes]:
    corpus = generate(articles, seed=2026)
    return [html_page(corpus, doc).encode("utf-8") for doc in corpus.documents]


def write_warc(path: Path, pages: list[bytes], megabytes: float | None) -> tuple[int, int]:
    """Pages as response records until the file holds `megabytes` (None: each page once),
    written one record at a time; (records, uncompressed page bytes)."""
    limit = None if megabytes is None else megabytes * 1e6
    records = payload = 0
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        while True:
            for page in pages:
                http = StatusAndHeaders(
                    "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
                )
                uri = f"https://bench.example/{records // len(pages)}/{records % len(pages)}"
                record = writer.create_warc_record(
                    uri, "response", payload=io.BytesIO(page), http_headers=http
                )
                writer.write_record(record)
                records += 1
                payload += len(page)
                if limit is not None and handle.tell() >= limit:
                    return records, payload
            if limit is None:
                return records, payload


def measure_reading(path: Path, jobs: int, source: str | None) -> dict[str, Any]:
    """Run in a child: read every item of `path` as a scan does, nothing else. `source`: the
    tree whose `newsdedup` reads (one without `read_documents` reads with one job)."""
    import resource

    if source:
        sys.path.insert(0, source)
    import newsdedup
    from newsdedup import pipeline
    from newsdedup.ingest import iter_documents
    from newsdedup.records import Document

    read = getattr(pipeline, "read_documents", None)
    if read is None and jobs != 1:
        raise SystemExit("this code reads in one process only")
    start, cpu = time.perf_counter(), time.process_time()
    items = read([str(path)], jobs=jobs) if read else iter_documents([str(path)])
    digest = hashlib.md5()
    documents = chars = other = 0
    languages: dict[str, int] = {}
    for item in items:
        digest.update(repr(item).encode("utf-8", "surrogatepass"))
        if isinstance(item, Document):
            documents += 1
            chars += len(item.text)
            languages[str(item.language)] = languages.get(str(item.language), 0) + 1
        else:
            other += 1
    seconds = time.perf_counter() - start
    own, workers = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return {
        "code": str(Path(newsdedup.__file__).parent.parent),
        "jobs": jobs,
        "seconds": seconds,
        "cpu_seconds": time.process_time() - cpu,
        "worker_cpu_seconds": workers.ru_utime + workers.ru_stime,
        "peak_rss_mib": own.ru_maxrss / 1024,
        "worker_peak_rss_mib": workers.ru_maxrss / 1024,
        "documents": documents,
        "text_chars": chars,
        "other_items": other,
        "languages": languages,
        "digest": digest.hexdigest(),
    }


def _run(command: list[str], env: dict[str, str] | None = None, cwd: Path = _ROOT) -> str:
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, env=env, cwd=cwd, check=True)
    return done.stdout


def _read_variant(path: Path, jobs: int, source: str | None) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.bench_read", "--measure", str(path)]
    command += ["--jobs", str(jobs)] + (["--source", source] if source else [])
    result: dict[str, Any] = json.loads(_run(command))
    return result


def _stages(path: Path, jobs: int, source: str | None) -> dict[str, Any]:
    """`benchmarks/stages.py` (this tree's) over `path`, scanned by the code of `source`
    (None: this tree)."""
    env = {**os.environ, "PYTHONPATH": source or str(_ROOT)}
    script = str(_ROOT / "benchmarks" / "stages.py")
    out = _run([sys.executable, script, str(path), "--jobs", str(jobs)], env, path.parent)
    rows = {
        name: {"wall_s": float(wall), "peak_mib": float(peak), "cpu_s": float(cpu)}
        for name, wall, peak, cpu in re.findall(
            r"^(\w+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)$", out, re.MULTILINE
        )
    }
    total = rows.pop("total")
    slowest = max(rows, key=lambda k: rows[k]["wall_s"])
    return {
        "code": source or str(_ROOT),
        "stages": {**rows, "total": total},
        "reading_share_wall": round(rows["reading"]["wall_s"] / total["wall_s"], 3),
        "reading_share_cpu": round(rows["reading"]["cpu_s"] / total["cpu_s"], 3),
        "slowest_wall": slowest,
    }


def _summary(read: dict[str, Any], size: int, payload: int) -> dict[str, Any]:
    seconds = float(read["seconds"])
    cpu = float(read["cpu_seconds"]) + float(read["worker_cpu_seconds"])
    return {
        **read,
        "seconds": round(seconds, 1),
        "cpu_seconds_total": round(cpu, 1),
        "mb_per_s_compressed": round(size / 1e6 / seconds, 2),
        "mb_per_s_html": round(payload / 1e6 / seconds, 2),
        "documents_per_s": round(int(read["documents"]) / seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--megabytes", type=float, default=1000, help="size of the big WARC.gz")
    parser.add_argument("--articles", type=int, default=2000, help="generated articles")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--warc", type=Path, help="keep the big archive here (reused if there)")
    parser.add_argument("--baseline", help="a tree of other code to read with, one job")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--stages", action="store_true", help="also the stages of a scan")
    parser.add_argument("--only-stages", action="store_true", help="the stages, no archive")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--source", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure_reading(args.measure, args.jobs[0], args.source)))
        return
    pages = _pages(args.articles)
    with tempfile.TemporaryDirectory(prefix="bench-read-") as tmp:
        big = args.warc or Path(tmp) / "crawl.warc.gz"
        began = time.perf_counter()
        if not big.exists() and not args.only_stages:
            write_warc(big, pages, args.megabytes)
        written = time.perf_counter() - began
        size = big.stat().st_size if big.exists() else 0
        variants: list[tuple[int, str | None]] = [(j, None) for j in sorted(args.jobs)[::-1]]
        if args.baseline:  # this code and the baseline's alternate
            variants.insert(1, (1, args.baseline))
        reads: list[dict[str, Any]] = []
        for round_ in range(0 if args.only_stages else args.rounds):
            for jobs, source in variants if round_ % 2 == 0 else variants[::-1]:
                reads.append({"round": round_, **_read_variant(big, jobs, source)})
                print(json.dumps(reads[-1]), file=sys.stderr, flush=True)
        stages: list[dict[str, Any]] = []
        if args.stages or args.only_stages:
            small = Path(tmp) / "pages.warc.gz"
            write_warc(small, pages, None)
            codes = [None, args.baseline] if args.baseline else [None]
            for round_ in range(args.rounds):
                for source in codes if round_ % 2 == 0 else codes[::-1]:
                    stages.append({"round": round_, **_stages(small, max(args.jobs), source)})
                    print(json.dumps(stages[-1]), file=sys.stderr, flush=True)
    records = int(reads[0]["documents"]) + int(reads[0]["other_items"]) if reads else 0
    report = {
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, "
        f"Python {platform.python_version()}",
        "load_average_at_end": os.getloadavg(),
        "warc_gz_mb": round(size / 1e6, 1),
        "html_mb": round(_html_bytes(pages, records) / 1e6, 1),
        "pages": records,
        "write_seconds": round(written, 1),
        "reading": [_summary(read, size, _html_bytes(pages, records)) for read in reads],
        "stages": stages,
    }
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


def _html_bytes(pages: list[bytes], records: int) -> int:
    """The HTML bytes of the first `records` records `write_warc` writes from `pages`."""
    whole, part = divmod(records, len(pages))
    return whole * sum(map(len, pages)) + sum(map(len, pages[:part]))


if __name__ == "__main__":
    main()
