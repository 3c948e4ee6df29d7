"""Reading containers: how fast a crawl archive is read, in how much memory, against the
other stages of a scan.

    python -m benchmarks.bench_read --megabytes 1000 --articles 2000 --jobs 2

1. Generated articles (benchmarks/corpus.py) are rendered as HTML pages and written as
   `response` records into a WARC.gz of `--megabytes` (compressed, on disk); the pages are
   cycled under new URLs until the file is that large. Reading it (ingest and extraction:
   warcio, decoding, HTML text and metadata, dates, language) runs in a child process, so
   its peak RSS is the reader's alone: a streamed reader's memory does not grow with the file.
2. The same pages, each once, go into a small WARC.gz that `benchmarks.stages` scans: wall
   time and peak RSS of each stage (reading, fingerprinting, matching, clustering, tracing,
   report), to tell whether reading is the slowest stage.

Everything is written in a temporary directory and deleted afterwards.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from benchmarks.corpus import generate, html_page


def _pages(articles: int) -> list[bytes]:
    corpus = generate(articles, seed=2026)
    return [html_page(corpus, doc).encode("utf-8") for doc in corpus.documents]


def write_warc(path: Path, pages: list[bytes], megabytes: float | None) -> tuple[int, int]:
    """Pages as response records until the file holds `megabytes` (None: each page once);
    (records, uncompressed page bytes)."""
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


def measure_reading(path: Path) -> dict[str, float]:
    """Run in a child: read every document of `path` as a scan does, nothing else."""
    from newsdedup.ingest import iter_documents
    from newsdedup.records import Document

    start, cpu = time.perf_counter(), time.process_time()
    documents = chars = other = 0
    for item in iter_documents([str(path)]):
        if isinstance(item, Document):
            documents += 1
            chars += len(item.text)
        else:
            other += 1
    return {
        "seconds": time.perf_counter() - start,
        "cpu_seconds": time.process_time() - cpu,
        "documents": documents,
        "text_chars": chars,
        "other_items": other,
    }


def _child(command: list[str]) -> tuple[str, float]:
    """Run `command`; its stdout and its peak RSS in MiB."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    out = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{command} failed with status {status}")
    return out, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--megabytes", type=float, default=1000, help="size of the big WARC.gz")
    parser.add_argument("--articles", type=int, default=2000, help="generated articles")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure_reading(args.measure)))
        return
    pages = _pages(args.articles)
    with tempfile.TemporaryDirectory(prefix="bench-read-") as tmp:
        small = Path(tmp) / "pages.warc.gz"
        write_warc(small, pages, None)
        began = time.perf_counter()
        big = Path(tmp) / "crawl.warc.gz"
        records, payload = write_warc(big, pages, args.megabytes)
        written = time.perf_counter() - began
        size = big.stat().st_size
        out, rss = _child([sys.executable, "-m", "benchmarks.bench_read", "--measure", str(big)])
        read = json.loads(out)
        stages, _ = _child(
            [sys.executable, "-m", "benchmarks.stages", str(small), "--jobs", str(args.jobs)]
        )
    report = {
        "warc_gz_mb": round(size / 1e6, 1),
        "records": records,
        "html_mb": round(payload / 1e6, 1),
        "write_seconds": round(written, 1),
        "read_seconds": round(read["seconds"], 1),
        "read_cpu_seconds": round(read["cpu_seconds"], 1),
        "read_mb_per_s_compressed": round(size / 1e6 / read["seconds"], 2),
        "read_mb_per_s_html": round(payload / 1e6 / read["seconds"], 2),
        "documents_per_s": round(read["documents"] / read["seconds"], 1),
        "documents": read["documents"],
        "other_items": read["other_items"],
        "peak_rss_mib": round(rss, 1),
    }
    print(json.dumps(report, indent=2))
    print(f"\nstages of a scan of the {len(pages)} pages, each once (benchmarks.stages):")
    print(stages)


if __name__ == "__main__":
    main()
