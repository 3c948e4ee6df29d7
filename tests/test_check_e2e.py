"""`newsdedup check` end to end: a newsroom site in a real git repository, the console script
run as CI runs it (`python -m newsdedup`, real `git`)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from check_articles import (
    AP_HARBOUR,
    CREDITED_HARBOUR,
    OWN_BUDGET,
    PYPROJECT,
    REUTERS_LITHIUM,
    UNCREDITED_FIRST_COPIED,
    UNCREDITED_LITHIUM,
    line_of,
    write,
)
from typer.testing import CliRunner

from newsdedup.cli import app

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git binary")

SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Desk", "-c", "user.email=desk@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def newsdedup(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    return subprocess.run(
        [sys.executable, "-m", "newsdedup", "check", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        check=False,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """main: the site's own article and the wire folder; branch `feature`: an uncredited
    near-copy of the Reuters story and a credited copy of the AP story, committed."""
    repo = tmp_path_factory.mktemp("newsroom")
    git(repo, "init", "-q", "-b", "main")
    write(
        repo,
        {
            "pyproject.toml": PYPROJECT,
            "README.md": "# Example newsroom site\n",
            "wire/reuters-lithium.txt": REUTERS_LITHIUM,
            "wire/ap-harbour.txt": AP_HARBOUR,
            "content/2026/02/council-budget.md": OWN_BUDGET,
        },
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "site and wire feed")
    git(repo, "checkout", "-q", "-b", "feature")
    write(
        repo,
        {
            "content/2026/03/lithium-slump.md": UNCREDITED_LITHIUM,
            "content/2026/03/halifax-strike.md": CREDITED_HARBOUR,
        },
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "two wire stories")
    return repo


def test_changed_since_fails_exactly_the_uncredited_copy_then_passes_after_baseline(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = newsdedup(site, "--changed-since", "main", "-f", "github", "--sarif", "out.sarif")
    assert run.returncode == 1, run.stderr
    line = line_of(UNCREDITED_LITHIUM, UNCREDITED_FIRST_COPIED)
    annotations = [a for a in run.stdout.splitlines() if a.startswith("::")]
    errors = [a for a in annotations if a.startswith("::error ")]
    assert errors, (run.stdout, run.stderr)
    assert all(
        a.startswith(f"::error file=content/2026/03/lithium-slump.md,line={line},col=1,")
        for a in errors
    ), errors
    titles = {a.split("title=", 1)[1].split("::", 1)[0] for a in errors}
    assert titles == {"newsdedup uncredited-copy", "newsdedup credit-removed"}
    assert "halifax-strike.md" not in run.stdout
    assert "council-budget.md" not in run.stdout  # not changed on the branch: not checked
    assert "2 checked files" in run.stderr

    log = json.loads((site / "out.sarif").read_text(encoding="utf-8"))
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(log)
    results = log["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == {"uncredited-copy", "credit-removed"}
    for result in results:
        assert result["level"] == "error"
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "content/2026/03/lithium-slump.md"
        assert location["region"] == {"startLine": line, "startColumn": 1}
        related = result["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert related == "wire/reuters-lithium.txt"

    # In process (the console script's start-up, imports, is most of a run's time, and the
    # run above has shown the console script's exit code and streams); the same command.
    monkeypatch.chdir(site)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)  # as the console script's runs
    written = CliRunner().invoke(app, ["check", "--changed-since", "main", "--write-baseline"])
    assert written.exit_code == 0, written.output
    baseline = json.loads((site / ".newsdedup-baseline.json").read_text(encoding="utf-8"))
    assert baseline["schema_version"] == "1"
    assert {e["rule"] for e in baseline["findings"]} == {"uncredited-copy", "credit-removed"}

    again = CliRunner().invoke(app, ["check", "--changed-since", "main", "-f", "github"])
    assert again.exit_code == 0, again.stdout + again.stderr
    assert "::error" not in again.stdout
    assert "2 baselined" in again.stderr


def test_an_edit_above_a_baselined_finding_does_not_bring_it_back(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(site)
    runner = CliRunner()
    path = site / "content/2026/03/lithium-slump.md"
    original = path.read_text(encoding="utf-8")
    try:
        first = runner.invoke(app, ["check", "content/2026/03", "-j", "1", "--write-baseline"])
        assert first.exit_code == 0, first.output
        edited = original.replace(
            "# Lithium slump deepens",
            "*Updated on March 5 with analysts' forecasts.*\n\n"
            "A short introduction the editor added.\n\n# Lithium slump deepens",
        )
        path.write_text(edited, encoding="utf-8")
        moved = runner.invoke(app, ["check", "content/2026/03", "-j", "1", "-f", "json"])
        assert moved.exit_code == 0, moved.output
        report = json.loads(moved.stdout)
        assert report["findings"] == []
        known = report["baselined"]
        assert {f["rule"] for f in known} == {"uncredited-copy", "credit-removed"}
        assert {f["line"] for f in known} == {line_of(edited, UNCREDITED_FIRST_COPIED)}
        fresh = runner.invoke(app, ["check", "content/2026/03", "-j", "1", "--no-baseline"])
        assert fresh.exit_code == 1
    finally:
        path.write_text(original, encoding="utf-8")
        (site / ".newsdedup-baseline.json").unlink(missing_ok=True)


def test_changed_since_outside_a_repository_is_one_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"content/a.md": UNCREDITED_LITHIUM})
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    result = CliRunner().invoke(app, ["check", "content", "--changed-since", "main"])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "--changed-since needs a git repository" in lines[0], lines


def test_changed_since_an_unknown_revision_is_one_clear_error(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(site)
    result = CliRunner().invoke(app, ["check", "--changed-since", "no-such-branch"])
    assert result.exit_code == 2
    assert "unknown git revision 'no-such-branch'" in result.output
