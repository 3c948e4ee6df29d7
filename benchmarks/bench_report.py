"""HTML report benchmark: how long a large report takes to write, and to open and search in a
real browser (Debian's chromium, headless, driven by Playwright; it never downloads one).

    python -m benchmarks.bench_report --articles 10000 --stories 5000 \\
        --out benchmarks/results/report.json

Two reports are measured:

* the generated corpus (benchmarks/corpus.py, seed 2026 as in benchmarks/run.py), scanned by
  `newsdedup scan --format json` (not timed here: benchmarks/run.py does), then `newsdedup
  report scan.json -o report.html` (timed, in its own process);
* `--stories` stories made of the samples' two over and over (`many_stories`), the size the
  issue names (5,000 stories open in under 3 s), written by `report.html.render`.

For each: the file's size; in chromium, the time from navigation to the first page of the
list drawn (`opened`) and to the whole file read (`loaded`: the stories' blocks, which
opening a story and a search wait for), from typing a document id in the search box to that
story alone listed (`searched`), and from a click on it to its tree and versions drawn
(`expanded`). The machine is shared: run it twice and read the spread.

    python -m benchmarks.bench_report --write-fixture --jobs 1

writes, instead, the scan of the 10,000-article corpus as `tests/data/bench-10k.scan.json.xz`
(the same scan, xz-compressed: 75 MB of JSON in 5 MB), which the browser test
(tests/test_html_report.py) turns into a report and opens: scanning the corpus takes minutes,
too long for the suite. Rerun it when the scan's schema version changes (the test says so).
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import hashlib
import json
import lzma
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks.corpus import generate, write_corpus

ROOT = Path(__file__).resolve().parent.parent
SEED = 2026  # the corpus of benchmarks/run.py
# The scan of the 10,000-article corpus the browser test opens (`write_fixture`).
FIXTURE = ROOT / "tests" / "data" / "bench-10k.scan.json.xz"
FIXTURE_ARTICLES = 10000
FIXTURE_COMMAND = "python -m benchmarks.bench_report --write-fixture --jobs 1"
NEWSDEDUP = [sys.executable, "-m", "newsdedup"]
CHROMIUM = "/usr/bin/chromium"
# Headless, nothing fetched or updated behind the measurement's back.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """Debian's chromium under Playwright (`executable_path`: Playwright's own browsers are
    never downloaded)."""
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def many_stories(scan: dict[str, Any], count: int) -> dict[str, Any]:
    """`count` stories: the scan's stories over and over under new story and document ids,
    each passage cut to 400 characters. The samples' junk-laden pages would otherwise make
    stories of 50 KB; cut, theirs are 26 KB, near the generated corpus's 36 KB."""
    scan = copy.deepcopy(scan)
    for story in scan["stories"]:
        for version in story["versions"]:
            diff = version["diff"] or {"added": [], "removed": [], "moved": [], "changed": []}
            sides = [side for c in diff["changed"] for side in (c["before"], c["after"])]
            for passage in [*diff["added"], *diff["removed"], *diff["moved"], *sides]:
                passage["text"] = passage["text"][:400]
    big = copy.deepcopy(scan)
    big["stories"], big["documents"] = [], []
    stories = json.dumps(scan["stories"])
    for n in range(count // max(1, len(scan["stories"]))):
        rename = {d["id"]: f"s{n:05d}-{d['id']}" for d in scan["documents"]}
        big["documents"] += [{**d, "id": rename[d["id"]]} for d in scan["documents"]]
        text = stories
        for old, new in rename.items():
            text = text.replace(json.dumps(old), json.dumps(new))
        big["stories"] += [{**s, "id": f"{s['id']}-{n:05d}"} for s in json.loads(text)]
    big["summary"] = {**scan["summary"], "stories": len(big["stories"])}
    return big


def measure_page(page: Any, path: Path, query: str, story_id: str) -> dict[str, float]:
    """Seconds to open `path`, to search `query` down to `story_id` alone, and to expand it."""
    started = time.perf_counter()
    page.goto(path.as_uri(), wait_until="commit")  # not its load event: the list comes first
    page.wait_for_selector("li.story")
    opened = time.perf_counter() - started
    page.wait_for_function("() => document.readyState !== 'loading'")
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    page.fill("#search", query)
    page.press("#search", "Enter")
    page.wait_for_function(
        "id => { const s = document.querySelectorAll('li.story');"
        " return s.length === 1 && s[0].dataset.story === id; }",
        arg=story_id,
    )
    searched = time.perf_counter() - started
    started = time.perf_counter()
    page.locator("li.story .story-head").click()
    page.wait_for_selector("li.story .story-body section.version")
    expanded = time.perf_counter() - started
    times = {"opened": opened, "loaded": loaded, "searched": searched, "expanded": expanded}
    return {f"{k}_s": round(v, 2) for k, v in times.items()}


def _one_document_story(scan: dict[str, Any]) -> tuple[str, str]:
    """A story and a query naming it alone: a document of one story, no other id's part."""
    owners: dict[str, int] = {}
    for story in scan["stories"]:
        for doc in {v["document"] for v in story["versions"]}:
            owners[doc] = owners.get(doc, 0) + 1
    every_id = "\n".join(owners)
    for story in reversed(scan["stories"]):
        for version in story["versions"]:
            doc = version["document"]
            if owners[doc] == 1 and every_id.count(doc) == 1:
                return story["id"], doc
    raise SystemExit("no document in exactly one story")


def measure(browser: Any, label: str, page_file: Path, scan: dict[str, Any]) -> dict[str, Any]:
    story_id, query = _one_document_story(scan)
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        timings = measure_page(context.new_page(), page_file, query, story_id)
    finally:
        context.close()
    row = {
        "report": label,
        "stories": len(scan["stories"]),
        "mb": round(page_file.stat().st_size / 1e6, 1),
        **timings,
    }
    print(json.dumps(row), file=sys.stderr)
    return row


def scan_corpus(articles: int, work: Path, jobs: int | None = None) -> Path:
    """`newsdedup scan --format json` of the generated corpus of `articles` (seed `SEED`, as
    JSON Lines), run in `work` on the relative path `corpus/corpus.jsonl`, so that the
    documents' `source` names no temporary directory: the same bytes from any machine."""
    write_corpus(generate(articles, seed=SEED), work / "corpus", "jsonl")
    scan = [*NEWSDEDUP, "scan", "corpus/corpus.jsonl", "-f", "json", "-q", "-o", "scan.json"]
    subprocess.run(scan + (["--jobs", str(jobs)] if jobs else []), check=True, cwd=work)
    return work / "scan.json"


def write_fixture(path: Path, jobs: int | None) -> None:
    """The scan of the `FIXTURE_ARTICLES`-article corpus, xz-compressed (preset 9e: 5 MB,
    where gzip -9 leaves 10 MB; a minute of CPU, paid here and not by the tests, which
    decompress it in half a second), written atomically to `path`."""
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        raw = scan_corpus(FIXTURE_ARTICLES, Path(tmp), jobs).read_bytes()
    packed = lzma.compress(raw, format=lzma.FORMAT_XZ, preset=9 | lzma.PRESET_EXTREME)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(packed)
    partial.replace(path)
    summary = json.loads(raw)["summary"]
    print(
        f"{path}: {len(packed):,} bytes ({len(raw):,} of JSON, sha256 "
        f"{hashlib.sha256(raw).hexdigest()}), {summary['documents']:,} documents, "
        f"{summary['stories']:,} stories",
        file=sys.stderr,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--stories", type=int, default=5000)
    parser.add_argument("--jobs", type=int, help="the scan's --jobs (default: all cores)")
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--write-fixture",
        nargs="?",
        const=FIXTURE,
        type=Path,
        metavar="PATH",
        help=f"write the browser test's scan of the {FIXTURE_ARTICLES:,}-article corpus "
        f"(default {FIXTURE.relative_to(ROOT)}) and measure nothing",
    )
    args = parser.parse_args()
    if args.write_fixture:
        write_fixture(args.write_fixture, args.jobs)
        return
    from newsdedup.report.html import render

    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp, chromium() as browser:
        work = Path(tmp)
        scan_file, page_file = scan_corpus(args.articles, work, args.jobs), work / "report.html"
        started = time.perf_counter()
        subprocess.run([*NEWSDEDUP, "report", str(scan_file), "-o", str(page_file)], check=True)
        written = round(time.perf_counter() - started, 2)
        scan = json.loads(scan_file.read_text(encoding="utf-8"))
        rows.append(
            {**measure(browser, f"corpus {args.articles}", page_file, scan), "written_s": written}
        )

        samples = work / "samples.json"
        subprocess.run(
            [*NEWSDEDUP, "scan", str(ROOT / "samples"), "-f", "json", "-q", "-o", str(samples)],
            check=True,
        )
        big = many_stories(json.loads(samples.read_text(encoding="utf-8")), args.stories)
        started = time.perf_counter()
        page_file.write_text(render(big), encoding="utf-8")
        written = round(time.perf_counter() - started, 2)
        rows.append(
            {
                **measure(browser, f"samples x{args.stories // 2}", page_file, big),
                "written_s": written,
            }
        )
    result = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load": os.getloadavg(),
        },
        "rows": rows,
    }
    text = json.dumps(result, indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
