"""The HTML report: `scan --format html` and `newsdedup report scan.json`.

Without a browser: the page is the same bytes from a scan and from its saved JSON, hostile
text cannot leave the data block, and `report` refuses what is not a scan it can read.
In a real browser (Debian's chromium, driven headless by Playwright; it never downloads
one): the samples' report is opened from a file:// URL, the Reuters story expanded, its tree
and 000's diff checked, a search run, and a screenshot taken
(`NEWSDEDUP_SCREENSHOT=1 pytest tests/test_html_report.py` refreshes docs/report-samples.png);
a planted `<script>` shows as text and runs nothing; the report of the 10,000-article
benchmark corpus (built from its saved scan, tests/data/bench-10k.scan.json.xz) opens and is
searched, its times printed. Without chromium the browser tests skip, saying why; with
CI=true they fail (.ci/run installs chromium).
"""

from __future__ import annotations

import copy
import json
import lzma
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import unavailable
from typer.testing import CliRunner

from benchmarks.bench_report import (
    CHROMIUM,
    CHROMIUM_ARGS,
    FIXTURE,
    FIXTURE_ARTICLES,
    FIXTURE_COMMAND,
    measure_page,
)
from newsdedup.cli import app
from newsdedup.report.html import page_data, read_scan, render
from newsdedup.report.json import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SCREENSHOT = ROOT / "docs" / "report-samples.png"
REUTERS_ROOT = "003_da4f39425a0307e6.txt#30"  # 003's Reuters section: the wire story itself
COPY_000 = "000_69d133982e7f016d.txt"
runner = CliRunner()


@pytest.fixture(scope="module")
def scan_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "scan.json"
    result = runner.invoke(app, ["scan", str(SAMPLES), "-f", "json", "-q", "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def scan(scan_file: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(scan_file.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def report_file(scan_file: Path) -> Path:
    path = scan_file.with_name("report.html")
    result = runner.invoke(app, ["report", str(scan_file), "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


def reuters_story(scan: dict[str, Any]) -> dict[str, Any]:
    """The story whose origin is 003's Reuters section (checked: it is the 6-version one)."""
    (story,) = [s for s in scan["stories"] if _ref(s["origin"]) == REUTERS_ROOT]
    return story


def _ref(ref: dict[str, Any]) -> str:
    return f"{ref['document']}#{ref['segment']}"


# -- without a browser ------------------------------------------------------------------------


def test_scan_format_html_is_the_report_of_the_saved_json(
    report_file: Path, tmp_path: Path
) -> None:
    page = tmp_path / "scan.html"
    result = runner.invoke(app, ["scan", str(SAMPLES), "-f", "html", "-q", "-o", str(page)])
    assert result.exit_code == 0, result.output
    assert page.read_bytes() == report_file.read_bytes()


def test_page_is_self_contained(report_file: Path) -> None:
    page = report_file.read_text(encoding="utf-8")
    markup = page.split('<script type="application/json"', 1)[0] + page.rsplit("</script>", 2)[1]
    for fetch in ("src=", 'href="http', "<link", "@import", "url("):
        assert fetch not in markup
    assert page.count('<script type="application/json" id="scan-data">') == 1
    assert "default-src 'none'" in page  # the browser is told to fetch nothing


def test_headlines_and_credit_come_from_the_diffs(scan: dict[str, Any]) -> None:
    overview, details = page_data(scan)
    assert [s["id"] for s in overview["stories"]] == [s["id"] for s in details]
    story = details[0]  # largest first
    assert _ref(story["origin"]) == REUTERS_ROOT and len(story["versions"]) == 6
    heads = {_ref(v): v["headline"] for v in overview["stories"][0]["versions"]}
    assert heads[REUTERS_ROOT] == (
        "China is closing in on US technology lead despite constraints, AI researchers say"
    )
    assert heads[f"{COPY_000}#2"] == (
        "Chinese tech leaders say gap with America can be bridged despite constraints"
    )
    assert story["credit"] == overview["stories"][0]["credit"] == "Reuters"
    assert "segments" not in overview["documents"][0]  # the page carries what it shows
    assert "diff" not in overview["stories"][0]["versions"][1]  # read when the story opens


HOSTILE = '</script><script>window.pwned = 1</script><!-- <img src=x onerror="window.pwned=2">'


def hostile_scan(scan: dict[str, Any]) -> dict[str, Any]:
    """The samples' scan with markup planted in an added passage, a title and a headline."""
    planted = copy.deepcopy(scan)
    story = reuters_story(planted)
    copy_000 = next(v for v in story["versions"] if v["document"] == COPY_000)
    copy_000["diff"]["added"][0]["text"] = "Planted " + HOSTILE
    copy_000["diff"]["notes"].insert(0, {"kind": "headline-changed", "detail": "a → " + HOSTILE})
    copy_000["headline"] = HOSTILE
    planted["documents"][0]["title"] = HOSTILE
    return planted


def test_markup_in_the_data_cannot_leave_its_block(scan: dict[str, Any]) -> None:
    planted = hostile_scan(scan)
    page = render(planted)
    blocks = page.split('<script type="application/json" id="')[1:]
    assert len(blocks) == 1 + len(scan["stories"])  # the overview, then a block per story
    for block in blocks:
        data = block.split(">", 1)[1].split("</script>", 1)[0]
        assert "<" not in data and "&" not in data  # no markup, no entities
        json.loads(data)
    assert page.count("\\u003c/script\\u003e") >= 3
    overview = json.loads(blocks[0].split(">", 1)[1].split("</script>", 1)[0])
    assert overview["documents"][0]["title"] == HOSTILE  # the text itself survives whole
    assert page.count("<script") == render(scan).count("<script")  # no element added


def test_same_bytes_twice(scan: dict[str, Any]) -> None:
    assert render(copy.deepcopy(scan)) == render(scan)


def test_a_scan_without_stories_or_diffs_renders(scan: dict[str, Any]) -> None:
    empty = {**scan, "stories": [], "summary": {**scan["summary"], "stories": 0}}
    assert page_data(empty)[1] == [] and "newsdedup report: 0 stories" in render(empty)
    undiffed = copy.deepcopy(scan)
    for story in undiffed["stories"]:
        for version in story["versions"]:
            version["diff"] = None  # scan --no-diffs
    overview, _ = page_data(undiffed)
    heads = {v["headline"] for s in overview["stories"] for v in s["versions"]}
    # the scan names every version's headline (schema 1.8) with or without diffs
    assert heads == {v["headline"] for s in scan["stories"] for v in s["versions"]}
    assert None not in heads
    for story in undiffed["stories"]:
        for version in story["versions"]:
            del version["headline"]  # a scan of schema 1.7: no diff to guess from either
    overview, _ = page_data(undiffed)
    assert {v["headline"] for s in overview["stories"] for v in s["versions"]} == {None}


def test_report_refuses_what_is_not_a_scan(tmp_path: Path) -> None:
    cases = {
        "object.json": b'{"stories": []}',
        "list.json": b"[1, 2]",
        "page.html": b"<html><body>not JSON</body></html>",
        "binary.json": b"\xff\xfe\x00\x01",
    }
    for name, content in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        result = runner.invoke(app, ["report", str(path), "-o", str(tmp_path / "out.html")])
        assert result.exit_code == 2, name
        assert result.stdout == ""
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and "not a newsdedup scan" in lines[0], (name, lines)
        assert not (tmp_path / "out.html").exists()
    missing = runner.invoke(app, ["report", str(tmp_path / "nowhere.json")])
    assert missing.exit_code == 2 and "cannot read" in missing.stderr


def test_report_schema_versions(scan: dict[str, Any], tmp_path: Path) -> None:
    """Another major version is refused in one line; a newer minor one (fields added) is read,
    with a warning that what it added is not shown."""
    path = tmp_path / "scan.json"
    path.write_text(json.dumps({**scan, "schema_version": "2.0"}), encoding="utf-8")
    refused = runner.invoke(app, ["report", str(path)])
    assert refused.exit_code == 2 and refused.stdout == ""
    assert refused.stderr.count("\n") == 1 and "schema version 2.0" in refused.stderr
    path.write_text(json.dumps({**scan, "schema_version": "1.99", "new": 1}), encoding="utf-8")
    newer = runner.invoke(app, ["report", str(path)])
    assert newer.exit_code == 0 and newer.stdout.startswith("<!DOCTYPE html>")
    assert "warning" in newer.stderr and "1.99" in newer.stderr


def test_report_reads_stdin(scan_file: Path, report_file: Path) -> None:
    result = runner.invoke(app, ["report", "-"], input=scan_file.read_bytes())
    assert result.exit_code == 0
    assert result.stdout.encode() == report_file.read_bytes()


# -- in a real browser ------------------------------------------------------------------------


def _unavailable(reason: str) -> None:
    unavailable(reason + " (.ci/run installs chromium)")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        _unavailable(f"no chromium at {CHROMIUM} (apt-get install chromium): browser tests skipped")
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    opened = context.new_page()
    problems: list[str] = []
    opened.on("pageerror", lambda exc: problems.append(str(exc)))
    opened.on("request", lambda req: req.url.startswith("file:") or problems.append(req.url))
    yield opened
    context.close()
    assert problems == [], "script errors or network requests: " + "; ".join(problems)


def test_samples_report_in_a_browser(
    page: Any, scan: dict[str, Any], report_file: Path, tmp_path: Path
) -> None:
    page.goto(report_file.as_uri())
    story = reuters_story(scan)
    assert len(story["versions"]) == 6
    item = page.locator(f'li.story[data-story="{story["id"]}"]')
    head = item.locator(".story-head")
    head.focus()
    page.keyboard.press("Enter")  # expands by keyboard
    assert head.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")  # arrow keys move between stories
    assert page.evaluate("document.activeElement.closest('li.story').dataset.story") != story["id"]
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.closest('li.story').dataset.story") == story["id"]

    tree = item.locator(".story-body svg.tree")
    nodes = tree.locator("g.tree-node")
    assert nodes.count() == 6
    root = tree.locator("g.tree-node:has(circle.origin)")
    assert root.count() == 1 and root.get_attribute("data-version") == REUTERS_ROOT
    assert "confidence" in root.locator("title").text_content()
    edges = tree.locator("line.edge")
    assert edges.count() == 5
    dashes = {
        edges.nth(i).get_attribute("data-relation"): edges.nth(i).get_attribute("stroke-dasharray")
        for i in range(5)
    }
    assert len(set(dashes.values())) == len(dashes)  # each relation its own dash, not colour only
    first = item.locator("section.version").first
    assert first.get_attribute("data-document") + "#" + first.get_attribute("data-segment") == (
        REUTERS_ROOT
    )

    section = item.locator(f'section.version[data-document="{COPY_000}"]')
    section.locator(".diff-toggle").click()
    source = section.locator("table.diff tr.added", has_text="Source:")
    assert source.count() == 1 and source.is_visible()
    assert source.locator("td.mark").inner_text().startswith("+ added")
    assert "cryptopolitan.com" in source.locator("td.new ins").inner_text()

    page.fill("#search", "Bloomberg")  # in the data of one story only (a diff's removed line)
    page.press("#search", "Enter")
    [named] = [s["id"] for s in scan["stories"] if "Bloomberg" in json.dumps(s)]
    shown = page.locator("li.story")
    assert shown.count() == 1 and shown.get_attribute("data-story") == named
    assert page.locator("#count").inner_text() == "Showing 1 of 1 stories (of 2)"
    page.fill("#search", "relation")  # a key of every story's data, in no value
    page.press("#search", "Enter")
    assert page.locator("li.story").count() == 0
    assert page.locator("li.empty").inner_text() == "No story matches."
    page.fill("#search", "")
    page.press("#search", "Enter")
    assert page.locator("li.story").count() == 2

    shot = tmp_path / "report.png"
    page.locator(f'li.story[data-story="{story["id"]}"] .story-head').click()  # expanded again
    page.screenshot(path=str(shot))
    assert shot.read_bytes().startswith(b"\x89PNG")
    if os.environ.get("NEWSDEDUP_SCREENSHOT"):  # refresh the README's picture
        page.screenshot(path=str(SCREENSHOT))


def test_planted_markup_shows_as_text_and_runs_nothing(
    page: Any, scan: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "hostile.html"
    path.write_text(render(hostile_scan(scan)), encoding="utf-8")
    page.goto(path.as_uri())
    story = reuters_story(scan)
    item = page.locator(f'li.story[data-story="{story["id"]}"]')
    item.locator(".story-head").click()
    section = item.locator(f'section.version[data-document="{COPY_000}"]')
    assert HOSTILE in section.locator("h4").inner_text()  # the planted headline, as text
    section.locator(".diff-toggle").click()
    planted = section.locator("table.diff tr.added", has_text="Planted")
    assert planted.locator("td.new").inner_text() == "Planted " + HOSTILE
    assert page.evaluate("window.pwned") is None
    assert page.locator("li.story img, li.story script").count() == 0


# -- the 10,000-article benchmark corpus --------------------------------------------------------
# Its scan (benchmarks/corpus.py, seed 2026, as benchmarks/run.py and bench_report.py make it)
# takes minutes, so the suite reads it saved: FIXTURE, written by FIXTURE_COMMAND.

# A document id as benchmarks/corpus.py names it: site/date-slug-n, n its place in the corpus.
_CORPUS_ID = re.compile(r"[a-z0-9-]+/\d{4}-\d{2}-\d{2}-[a-z0-9-]+-(?P<n>\d+)")


@pytest.fixture(scope="module")
def bench_scan() -> dict[str, Any]:
    assert FIXTURE.exists(), f"{FIXTURE} is missing: write it with {FIXTURE_COMMAND}"
    return read_scan(lzma.decompress(FIXTURE.read_bytes()))  # as `newsdedup report` reads it


def test_the_saved_scan_is_the_benchmark_corpus_at_this_schema(bench_scan: dict[str, Any]) -> None:
    """The saved scan is of the corpus the benchmarks measure, in the JSON this newsdedup
    writes: a fixture left at an older schema is stale, and says how to write it again."""
    assert bench_scan["schema_version"] == SCHEMA_VERSION, (
        f"{FIXTURE.name} is a scan of schema {bench_scan['schema_version']}, newsdedup writes "
        f"{SCHEMA_VERSION}: write it again with {FIXTURE_COMMAND}"
    )
    summary = bench_scan["summary"]
    assert summary["documents"] == len(bench_scan["documents"]) == FIXTURE_ARTICLES
    assert summary["skipped"] == summary["failed"] == 0 and bench_scan["errors"] == []
    assert summary["stories"] == len(bench_scan["stories"]) > 1000
    ids = [_CORPUS_ID.fullmatch(d["id"]) for d in bench_scan["documents"]]
    assert all(ids), "not the ids benchmarks/corpus.py gives"
    assert sorted(int(m["n"]) for m in ids if m) == list(range(FIXTURE_ARTICLES))
    assert {d["source"].rsplit(":", 1)[0] for d in bench_scan["documents"]} == {
        "corpus/corpus.jsonl"  # scanned where no temporary directory shows in the bytes
    }


def test_the_benchmark_corpus_report_opens_and_searches(
    page: Any,
    bench_scan: dict[str, Any],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    record_property: Callable[[str, object], None],
) -> None:
    """The report of the 10,000 articles, made as `newsdedup report` makes it, opened in
    chromium: the list draws its first page, a search for a headline finds its one story
    (the largest story whose origin headline no other story holds), which expands to its
    whole tree; a site's name lists its stories, a page at a time. Times are printed and
    recorded (`record_property`), not asserted: the machine is shared."""
    started, cpu = time.perf_counter(), time.process_time()
    path = tmp_path / "bench-10k.html"
    path.write_text(render(bench_scan), encoding="utf-8")
    written = {"written_s": time.perf_counter() - started, "cpu_s": time.process_time() - cpu}
    stories = bench_scan["stories"]
    texts = {s["id"]: json.dumps(s, ensure_ascii=False).lower() for s in stories}

    def holding(query: str) -> list[str]:
        """The stories whose data holds `query` (any case): what the page's search lists."""
        return [story_id for story_id, text in texts.items() if query.lower() in text]

    by_size = sorted(stories, key=lambda s: (-len(s["versions"]), s["id"]))
    story, headline = next(
        (s, v["headline"])
        for s in by_size
        for v in s["versions"]
        if (v["document"], v["segment"]) == (s["origin"]["document"], s["origin"]["segment"])
        and v["headline"]
        and holding(v["headline"]) == [s["id"]]
    )
    assert len(story["versions"]) >= 6  # one of the large stories, not a pair

    times = measure_page(page, path, headline, story["id"])
    total = len(stories)
    assert page.locator("#count").inner_text() == f"Showing 1 of 1 stories (of {total})"
    assert page.locator("li.story .story-body g.tree-node").count() == len(story["versions"])
    assert (
        page.locator("#summary")
        .inner_text()
        .startswith(f"{total} stories in {FIXTURE_ARTICLES} documents")
    )

    site = "apnews"
    expected = len(holding(site))
    started = time.perf_counter()
    page.fill("#search", site)
    page.press("#search", "Enter")
    page.wait_for_function(
        "text => document.getElementById('count').textContent === text",
        arg=f"Showing 50 of {expected} stories (of {total})",
    )
    times["site_searched_s"] = round(time.perf_counter() - started, 2)
    assert 50 < expected < total
    page.fill("#search", "")
    page.press("#search", "Enter")
    assert page.locator("#count").inner_text() == f"Showing 50 of {total} stories"
    page.locator("#more").click()
    assert page.locator("li.story").count() == 100

    figures = {
        "stories": total,
        "mb": round(path.stat().st_size / 1e6, 1),
        **{k: round(v, 2) for k, v in written.items()},
        **times,
    }
    record_property("bench_10k_report", figures)
    with capsys.disabled():
        print(f"\n[html report] 10,000-article benchmark corpus: {figures}", file=sys.stderr)
