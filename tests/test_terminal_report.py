"""The terminal report and the command line as a new user meets them: headlines rather than
ids, the biggest stories first, each added paragraph once, relations a journalist can take
at their word, `-o`'s extension, `--version`, completion, help at 80 columns, and `diff` of
two unrelated texts."""

from __future__ import annotations

import json
import random
import re
import shutil
from dataclasses import replace
from pathlib import Path, PurePath

import pytest
import typer
from conftest import SAMPLES
from helpers import run
from typer.testing import CliRunner

from newsdedup import __version__
from newsdedup.cli import app
from newsdedup.pipeline import ScanOptions, ScanResult, scan
from newsdedup.records import Document
from newsdedup.relations import settled
from newsdedup.report import Format, format_for
from newsdedup.report.labels import headline, story_order, without_trail
from newsdedup.report.text import edit_markup

runner = CliRunner()


@pytest.fixture(scope="module")
def samples() -> ScanResult:
    return scan([str(SAMPLES)], ScanOptions(), jobs=1)


@pytest.fixture(scope="module")
def tree() -> str:
    """The samples' terminal report, with every diff (`--details`), 100 columns wide."""
    result = runner.invoke(app, ["scan", str(SAMPLES), "--details", "-q"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _lines_after(text: str, first: str) -> list[str]:
    lines = text.splitlines()
    at = next(n for n, line in enumerate(lines) if first in line)
    return lines[at : at + 6]


def test_a_version_is_shown_by_its_headline_and_date_with_its_id_second(tree: str) -> None:
    # 003 is an aggregator page: each of its sections is headed by its own line, not the page's
    assert "Story 1 · 6 versions in 4 documents" in tree
    reuters = _lines_after(tree, "China is closing in on US technology lead despite constraints")
    assert "origin (origin confidence 0.99)" in reuters[1]
    assert reuters[2].lstrip(" │").startswith("003_da4f39425a0307e6.txt#30 · BEIJING")
    # a text capture's date line is its date; the headline comes before the id
    lines = tree.splitlines()
    (cryptopolitan,) = [n for n, line in enumerate(lines) if "001_30272b82ea5a8e97.txt#2" in line]
    heading = next(
        line for line in reversed(lines[:cryptopolitan]) if "Chinese tech leaders say" in line
    )
    assert heading.rstrip().endswith("constraints · 2026-01-10")
    bloomberg = _lines_after(tree, "Chinese AI Executives Warn Technology Gap")
    assert any("004_47a8d13c308ab820.txt#3" in line for line in bloomberg)


def test_an_html_page_shows_its_site_and_day(tmp_path: Path) -> None:
    text = next(SAMPLES.glob("001_*")).read_text(encoding="utf-8")
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n")[2:] if p.strip())
    (tmp_path / "copy.html").write_text(
        "<html><head><title>Gap can be bridged, say China's tech leaders</title>"
        "<meta property='og:site_name' content='Example Wire'>"
        "<meta property='article:published_time' content='2026-01-11T08:00:00Z'></head>"
        f"<body><article>{paragraphs}</article></body></html>",
        encoding="utf-8",
    )
    shutil.copy(next(SAMPLES.glob("001_*")), tmp_path)
    result = runner.invoke(app, ["scan", str(tmp_path), "-q"], env={"COLUMNS": "120"})
    # no heading line above the copied text: the page's title heads it
    assert (
        "Gap can be bridged, say China's tech leaders · Example Wire · 2026-01-11" in result.stdout
    )


def _article(seed: int) -> str:
    """Four paragraphs of words no other article uses: a story of its own wherever it is copied."""
    pick = random.Random(seed)
    words = [f"w{seed}x{pick.randrange(400)}" for _ in range(160)]
    return "\n\n".join(" ".join(words[i : i + 40]) + "." for i in range(0, 160, 40))


def test_stories_come_biggest_first_then_most_recent_and_json_keeps_its_order(
    tmp_path: Path,
) -> None:
    records = []
    for seed, copies, day in [
        (1, 2, "2026-01-01"),
        (2, 3, None),
        (3, 2, "2026-02-01"),
        (4, 2, None),
    ]:
        for n in range(copies):
            record = {"id": f"s{seed}-{n}", "text": _article(seed)}
            records.append(record | ({"published": f"{day}T0{n}:00:00Z"} if day else {}))
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = scan([str(feed)], ScanOptions(diffs=False), jobs=1)
    shown = [sorted({r.version.doc_id[:2] for r in s.versions}) for s in story_order(result)]
    assert shown == [["s2"], ["s3"], ["s1"], ["s4"]]  # 3 versions; then 2 by day, undated last
    data = json.loads(runner.invoke(app, ["scan", str(feed), "-f", "json", "-q"]).stdout)
    ids = [s["id"] for s in data["stories"]]
    assert ids == sorted(ids)  # the JSON contract: stories by id


def test_details_show_each_added_paragraph_once(tree: str, samples: ScanResult) -> None:
    story = next(
        s for s in samples.stories if any(r.version.doc_id[:3] == "004" for r in s.versions)
    )
    (found,) = [d for (sid, _), d in samples.diffs.items() if sid == story.id]
    assert len(found.added) > 10
    shown = [line.split("── ", 1)[1].rstrip() for line in tree.splitlines() if "── " in line]
    for passage in found.added:
        text = " ".join(passage.text.split())
        # a long passage is clipped and wrapped: its first words then stand for it
        whole = len(text) <= 40
        lines = [
            s for s in shown if (s == f"+ {text}" if whole else s.startswith(f"+ {text[:40]}"))
        ]
        assert len(lines) == 1, text
    assert "paragraphs-added:" not in tree and "boilerplate-added:" not in tree
    # a line the page repeats (000's three "Share" buttons) is one line, counted
    assert "+ Share (×3)" in tree and "+ Share\n" not in tree
    # `newsdedup diff` too: an added paragraph is a row of its table, not also a note above it
    pair = [str(next(SAMPLES.glob(f"{prefix}_*"))) for prefix in ("001", "000")]
    table = runner.invoke(app, ["diff", *pair], env={"COLUMNS": "100"}).stdout
    assert table.count("Market Opportunity") == 1 and "attribution-added:" in table


def test_a_word_inserted_or_deleted_is_not_shown_as_an_empty_edit(tree: str) -> None:
    assert edit_markup("", "a") == "[green]+ a[/]"
    assert edit_markup("opens new tab", "") == "[red]- opens new tab[/]"
    assert "→" in edit_markup("put at", "estimated there is")
    flat = re.sub(r"[\s│├└─]+", " ", tree)  # wrapped lines joined, the tree's lines gone
    assert "~ " in flat and not re.search(r"(~|;) →|→ (;|~|$)", flat)
    assert "put at → estimated there is; + a;" in flat  # Bloomberg: ";  → a;" before


def test_verbatim_means_no_edited_sentence_and_no_dropped_credit(samples: ScanResult) -> None:
    for story in samples.stories:
        for report in story.versions:
            found = samples.diffs.get((story.id, report.version.key))
            if report.relation == "verbatim":
                assert found is not None and not found.changed
                assert not {"credit-removed", "dateline-removed"} & {n.kind for n in found.notes}
    reports = {r.version.key: (s.id, r) for s in samples.stories for r in s.versions}
    assert reports["000_69d133982e7f016d.txt#2"][1].relation == "verbatim"  # only chrome added
    # the Economic Times copy: the Reuters dateline dropped, two edits; named verbatim, the
    # diff settles it as a light edit
    story_id, economic_times = reports["003_da4f39425a0307e6.txt#72"]
    assert economic_times.relation == "light-edit"
    found = samples.diffs[story_id, economic_times.version.key]
    as_named = replace(economic_times, relation="verbatim")
    assert settled(as_named, found).relation == "light-edit"
    assert settled(as_named, None).relation == "verbatim"  # --no-diffs: nothing to check
    untouched = replace(found, changed=(), notes=())
    assert settled(as_named, untouched).relation == "verbatim"


def test_confidence_is_labelled_as_confidence_in_the_parent(tree: str) -> None:
    (line,) = [line for line in tree.splitlines() if "paraphrase (" in line]
    assert "parent confidence 0.98" in line
    assert not re.search(r"(?<!parent )(?<!origin )confidence \d", tree)


def test_the_output_extension_chooses_the_format_unless_format_is_given(tmp_path: Path) -> None:
    assert format_for(None) is Format.text
    chosen = {ext: format_for(PurePath(f"report{ext}")) for ext in (".json", ".JSONL", ".txt")}
    assert chosen == {".json": Format.json, ".JSONL": Format.jsonl, ".txt": Format.text}
    assert format_for(PurePath("report.out")) is Format.text  # unknown: the default, no error
    assert format_for(PurePath("report.html")) is getattr(Format, "html", Format.text)
    for prefix in ("000", "001"):
        shutil.copy(next(SAMPLES.glob(f"{prefix}_*.txt")), tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    as_json = runner.invoke(app, ["scan", str(tmp_path / "000_69d133982e7f016d.txt"),
                                  str(tmp_path / "001_30272b82ea5a8e97.txt"),
                                  "-o", str(out / "report.json"), "-q"])  # fmt: skip
    assert as_json.exit_code == 0, as_json.stderr
    assert json.loads((out / "report.json").read_text())["summary"]["stories"] == 1
    explicit = runner.invoke(
        app, ["scan", str(tmp_path), "-o", str(out / "report.json"), "-f", "text", "-q"]
    )
    assert explicit.exit_code == 0
    assert (out / "report.json").read_text().startswith("1 story in 2 documents")


def test_version_prints_the_name_and_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout == f"newsdedup {__version__}\n"


def _command_paths(command: object, path: list[str]) -> list[list[str]]:
    found = [path]
    for name, sub in getattr(command, "commands", {}).items():
        found += _command_paths(sub, [*path, name])
    return found


def test_help_of_every_command_reads_at_80_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _command_paths(typer.main.get_command(app), [])
    assert ["index", "query"] in paths and ["scan"] in paths
    for path in paths:
        result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "80"})
        assert result.exit_code == 0, path
        for line in result.stdout.splitlines():
            assert len(line) <= 80, (path, line)
            # nothing cut short: no option name, default or help ending in an ellipsis
            cut = line.rstrip().endswith(("…", "...")) and not line.startswith("Usage:")
            assert not cut, (path, line)
            assert "no-\n" not in line and not re.search(r"\[default: [\w-]*-$", line), line
    root = runner.invoke(app, ["--help"], env={"COLUMNS": "80"}).stdout
    assert "--install-completion" in root and "--show-completion" in root  # shell completion
    # `--show-completion` is a flag: typer takes the shell from this process's ancestors
    # (shellingham, ten levels up), so the test once failed when run under `sh` (a shell
    # typer has no script for) or deep in a process tree, and passed from bash. Typer's own
    # switch for tests makes it take the shell named, whatever runs the suite.
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    shown = runner.invoke(app, ["--show-completion", "bash"], prog_name="newsdedup")
    assert shown.exit_code == 0 and "_newsdedup_completion" in shown.stdout
    assert "COMPREPLY" in shown.stdout  # bash's script, the shell named
    assert "--version" in root


def test_scan_help_says_what_stdin_accepts() -> None:
    result = runner.invoke(app, ["scan", "--help"], env={"COLUMNS": "80"})
    said = " ".join(result.stdout.split())
    assert "'-' reads stdin: JSON Lines records" in said and "one HTML or text page" in said


def test_diff_of_two_texts_that_share_nothing_says_so_and_exits_1(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(_article(7), encoding="utf-8")
    b.write_text(_article(8), encoding="utf-8")
    for fmt in ("text", "json"):
        result = runner.invoke(app, ["diff", str(a), str(b), "-f", fmt])
        assert result.exit_code == 1 and result.stdout == ""
        assert f"{a} and {b} share no text: neither derives from the other" in result.stderr
    related = runner.invoke(app, ["diff", str(a), str(a)])
    assert related.exit_code == 0 and "no changes" in related.stdout


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ("Home » Markets » Margin debt rises after payout", "Margin debt rises after payout"),
        ("News › World › Rates rise again", "Rates rise again"),
        ("Stocks beat forecasts > 5% gain", "Stocks beat forecasts > 5% gain"),
        ("Home » Markets »", "Home » Markets »"),
        ("Margin debt rises after payout", "Margin debt rises after payout"),
    ],
)
def test_a_breadcrumb_trail_is_not_part_of_the_headline(line: str, shown: str) -> None:
    assert without_trail(line) == shown


def test_a_page_heading_under_its_breadcrumb_shows_the_headline_alone() -> None:
    lead = (
        "Margin debt rose sharply in the quarter after Adrienne Investments upgraded its "
        "quarterly payout, brokers said on Tuesday, citing figures from the exchange."
    )
    page = "\n\n".join(
        [
            "Home » Markets » Margin debt rises after payout upgrade",
            lead,
            lead.replace("rose", "climbed"),
        ]
    )
    result = run(Document(id="a", text=page), Document(id="b", text=page))
    (story,) = result.stories
    version = story.versions[0].version
    docs = {d.id: d for d in result.documents}
    assert (
        headline(result, version, docs[version.doc_id]) == "Margin debt rises after payout upgrade"
    )
