"""The command line through typer's CliRunner: exit codes, stdout contracts, stderr diagnostics."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import SAMPLES
from typer.testing import CliRunner

from newsdedup.cli import app
from newsdedup.report import SCHEMA_VERSION

runner = CliRunner()


def _sample(tmp_path: Path, prefix: str) -> Path:
    source = next(SAMPLES.glob(f"{prefix}_*.txt"))
    return Path(shutil.copy(source, tmp_path))


def test_json_output_is_one_document_on_stdout_with_summary_on_stderr() -> None:
    result = runner.invoke(app, ["scan", str(SAMPLES), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["summary"]["stories"] == len(data["stories"]) == 2
    assert "2 stories" in result.stderr


def test_jsonl_has_one_self_contained_story_per_line() -> None:
    result = runner.invoke(app, ["scan", str(SAMPLES), "--format", "jsonl", "--quiet"])
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 2
    for line in lines:
        assert line["type"] == "story" and line["schema_version"] == SCHEMA_VERSION
        ids = {d["id"] for d in line["documents"]}
        assert {v["document"] for v in line["versions"]} == ids
    assert result.stderr == ""


def test_json_is_utf8_on_a_stdout_that_is_not() -> None:
    # a pipe on Windows defaults to cp1252, which cannot encode the samples' "→" notes
    result = CliRunner(charset="cp1252").invoke(app, ["scan", str(SAMPLES), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout_bytes.decode("utf-8"))["summary"]["stories"] == 2


def test_a_file_name_that_is_not_utf8_round_trips_through_the_json(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.txt")  # Latin-1 on disk: a lone surrogate in Python
    shutil.copy(next(SAMPLES.glob("001_*.txt")), tmp_path / name)
    shutil.copy(next(SAMPLES.glob("000_*.txt")), tmp_path)
    out = tmp_path / "report.json"
    to_stdout = runner.invoke(app, ["scan", str(tmp_path), "-f", "json"])
    to_file = runner.invoke(app, ["scan", str(tmp_path), "-f", "json", "-o", str(out)])
    assert to_stdout.exit_code == to_file.exit_code == 0
    assert to_stdout.stdout_bytes == out.read_bytes()
    ids = [d["id"] for d in json.loads(out.read_bytes().decode("utf-8"))["documents"]]
    assert name in ids and (tmp_path / ids[ids.index(name)]).exists()


def test_summary_says_one_story_not_one_stories(tmp_path: Path) -> None:
    _sample(tmp_path, "000")
    _sample(tmp_path, "001")
    result = runner.invoke(app, ["scan", str(tmp_path)])
    assert result.stdout.startswith("1 story in 2 documents (")
    assert "newsdedup: 2 documents, 1 story, 0 skipped" in result.stderr


def test_skipped_lines_are_named_plainly_and_in_line_order(tmp_path: Path) -> None:
    records = tmp_path / "feed.jsonl"
    records.write_text('{"id": "a", "text": "kept"}\n' + "not json\n" * 120)
    result = runner.invoke(app, ["scan", str(records), "-f", "json", "--quiet"])
    skipped = [line for line in result.stderr.splitlines() if "skipped" in line]
    assert "feed.jsonl:100: invalid JSON" in skipped[98]  # not rich's emoji for ":100:"
    assert [line.split(":")[2] for line in skipped[:3]] == ["2", "3", "4"]
    errors = [Path(e["path"]).name for e in json.loads(result.stdout)["errors"]]
    assert errors[:2] == ["feed.jsonl:2", "feed.jsonl:3"] and errors[-1] == "feed.jsonl:121"


def test_text_report_shows_each_story_tree() -> None:
    result = runner.invoke(app, ["scan", str(SAMPLES)])
    assert result.exit_code == 0
    assert "2 stories in 5 documents" in result.stdout
    assert "origin" in result.stdout and "004_47a8d13c308ab820.txt" in result.stdout


def test_text_report_cuts_each_excerpt_to_one_line_of_the_terminal() -> None:
    result = runner.invoke(app, ["scan", str(SAMPLES)], env={"COLUMNS": "100"})
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 100
    # the Reuters lead, three levels deep, ends in an ellipsis on its own line
    (deep,) = [line for line in lines if "China can narrow" in line and "US driven" in line]
    assert deep.endswith("…") and deep.index("China") >= 12


def test_fail_on_stories_exits_1_only_when_a_story_is_found(tmp_path: Path) -> None:
    assert runner.invoke(app, ["scan", str(SAMPLES), "--fail-on-stories"]).exit_code == 1
    lonely = tmp_path / "lonely"
    lonely.mkdir()
    _sample(lonely, "004")
    assert runner.invoke(app, ["scan", str(lonely), "--fail-on-stories"]).exit_code == 0


def test_bad_file_is_reported_and_the_run_continues(tmp_path: Path) -> None:
    (tmp_path / "bad.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    _sample(tmp_path, "000")
    _sample(tmp_path, "001")
    result = runner.invoke(app, ["scan", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0
    assert "newsdedup: skipped bad.html:" in result.stderr
    data = json.loads(result.stdout)
    assert [e["path"] for e in data["errors"]] == ["bad.html"]
    assert data["summary"]["skipped"] == 1 and len(data["stories"]) == 1


def test_nothing_readable_is_an_input_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["scan", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert "missing" in result.stderr


def test_stdin_json_lines_feed_a_pipeline() -> None:
    records = [
        {"id": p.name, "text": p.read_text(encoding="utf-8")} for p in sorted(SAMPLES.glob("*.txt"))
    ]
    stdin = "".join(json.dumps(r) + "\n" for r in records)
    result = runner.invoke(app, ["scan", "-", "--format", "json"], input=stdin)
    assert result.exit_code == 0
    from_files = json.loads(runner.invoke(app, ["scan", str(SAMPLES), "--format", "json"]).stdout)
    assert json.loads(result.stdout)["stories"] == from_files["stories"]


def test_parameters_are_validated_and_echoed() -> None:
    assert runner.invoke(app, ["scan", str(SAMPLES), "--threshold", "1.5"]).exit_code == 2
    result = runner.invoke(
        app, ["scan", str(SAMPLES), "-f", "json", "--num-perm", "64", "--shingle-size", "4"]
    )
    params = json.loads(result.stdout)["parameters"]
    assert params["fingerprint"]["num_perm"] == 64 and params["fingerprint"]["shingle_size"] == 4


def test_same_input_gives_same_bytes() -> None:
    first = runner.invoke(app, ["scan", str(SAMPLES), "-f", "json"]).stdout
    assert first == runner.invoke(app, ["scan", str(SAMPLES), "-f", "json"]).stdout


def test_diff_two_files_as_json() -> None:
    before = str(next(SAMPLES.glob("001_*")))
    after = str(next(SAMPLES.glob("000_*")))
    result = runner.invoke(app, ["diff", before, after, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema_version"] == SCHEMA_VERSION and data["before"] == before
    assert any(n["kind"] == "attribution-added" for n in data["notes"])
    assert any("cryptopolitan.com" in p["text"] for p in data["added"])


def test_diff_versions_by_reference_shows_side_by_side() -> None:
    result = runner.invoke(
        app,
        [
            "diff",
            "003_da4f39425a0307e6.txt#88",
            "003_da4f39425a0307e6.txt#72",
            "--in",
            str(SAMPLES),
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert "credit-removed" in result.stdout and "dateline-removed" in result.stdout
    assert "U.S. → US" in result.stdout


def test_diff_unknown_reference_is_an_input_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["diff", "nope.txt#3", "other.txt#1", "--in", str(SAMPLES)])
    assert result.exit_code == 2 and "nope.txt#3" in result.stderr
    missing = runner.invoke(app, ["diff", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")])
    assert missing.exit_code == 2 and "a.txt" in missing.stderr


def test_progress_reports_every_stage_to_its_total() -> None:
    from newsdedup.pipeline import ScanOptions, scan

    seen: dict[str, tuple[int, int]] = {}
    scan(
        [str(SAMPLES)],
        ScanOptions(),
        progress=lambda stage, done, total: seen.update({stage: (done, total)}),
    )
    assert list(seen) == [
        "reading",
        "fingerprinting",
        "matching",
        "clustering",
        "tracing",
        "diffing",
    ]
    assert seen["fingerprinting"] == (5, 5) and seen["reading"] == (5, 0)
    assert all(done == total for stage, (done, total) in seen.items() if stage != "reading")


def test_no_progress_bar_when_stderr_is_not_a_terminal() -> None:
    result = runner.invoke(app, ["scan", str(SAMPLES), "-f", "json"])
    assert "━" not in result.stderr and "━" not in result.stdout


def test_html_copy_joins_the_story_with_its_metadata(tmp_path: Path) -> None:
    text = next(SAMPLES.glob("001_*")).read_text(encoding="utf-8")
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n") if p.strip())
    html = (
        "<html><head><title>Copy</title><meta property='og:site_name' content='Example Wire'>"
        "<meta property='article:published_time' content='2026-01-11T08:00:00Z'>"
        "<link rel='canonical' href='https://www.cryptopolitan.com/chinese-tech-leaders'></head>"
        f"<body><nav>Home | World | Tech</nav><article>{paragraphs}</article>"
        "<footer>© 2026 Example Wire. All rights reserved.</footer></body></html>"
    )
    for sample in SAMPLES.glob("*.txt"):
        shutil.copy(sample, tmp_path)
    (tmp_path / "copy.html").write_text(html, encoding="utf-8")
    data = json.loads(runner.invoke(app, ["scan", str(tmp_path), "-f", "json"]).stdout)
    page = next(d for d in data["documents"] if d["id"] == "copy.html")
    assert page["site"] == "Example Wire" and page["published"] == "2026-01-11T08:00:00+00:00"
    reuters = next(s for s in data["stories"] if "001_30272b82ea5a8e97.txt" in s["documents"])
    assert "copy.html" in reuters["documents"]
    assert not any(
        {"copy.html", "004_47a8d13c308ab820.txt"} <= set(s["documents"]) for s in data["stories"]
    )


def test_a_reader_that_stops_early_ends_the_scan_quietly() -> None:
    """`newsdedup scan dir/ | head`: the pipe closes mid-report (the samples' report is
    larger than a pipe's buffer). No traceback, no message, and status 141 as for a
    process ended by SIGPIPE, never 1, which means "stories found"."""
    command = [sys.executable, "-m", "newsdedup.cli", "scan", SAMPLES, "--format", "json", "-q"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.read(100).startswith(b'{"schema_version"')
        proc.stdout.close()
        assert proc.wait(timeout=60) == 141
        assert proc.stderr.read() == b""


def test_python_dash_m_runs_the_command_line() -> None:
    command = [sys.executable, "-m", "newsdedup", "scan", SAMPLES, "-f", "json", "-q"]
    done = subprocess.run(command, capture_output=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["summary"]["stories"] == 2
