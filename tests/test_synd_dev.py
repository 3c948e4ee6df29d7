"""Accuracy on a corpus the project did not make: `../shared/eval/synd-dev` (real BBC articles
syndicated by an outside generator), scanned exactly as a user scans it and scored by its own
scorer. The floors are the figures this code reaches, rounded down (docs/accuracy.md), and
at the issue's targets (F1 0.99, no must-not pair, origin 0.95, parent 0.90, diff recall
given the parent) or above them where the code is (origin 0.98): a regression here is a loss
on data the project did not generate.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdedup.cli import app

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
FLOORS = {
    "pair_f1": 0.99,
    "origin_accuracy": 0.98,
    "parent_accuracy": 0.90,  # measured 0.904 (312 of 345), fourteenth session
    "added_recall_given_parent": 0.95,
    "removed_recall_given_parent": 0.98,
    "credit_drop_recall_given_parent": 0.95,
    "number_change_recall_given_parent": 0.90,
    "quote_change_recall_given_parent": 0.90,
}
MUST_NOT_MAX = 0


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, float]:
    if not (EVAL / "synd-dev" / "corpus").is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{EVAL} is missing: CI must have ../shared beside the checkout")
        pytest.skip(f"{EVAL} not found (the shared corpus lies beside the checkout)")
    out = tmp_path_factory.mktemp("synd") / "dev.json"
    # The user's command, run in this process: a process of its own would add only the
    # start-up (imports, dateparser's language data) that the tests of the CLI process cover.
    scan = ["scan", str(EVAL / "synd-dev" / "corpus"), "--format", "json", "--quiet"]
    scanned = CliRunner().invoke(app, [*scan, "-o", str(out)])
    assert scanned.exit_code == 0, (scanned.output, scanned.exception)
    scored = subprocess.run(
        [
            sys.executable,
            str(EVAL / "score.py"),
            "--truth",
            str(EVAL / "synd-dev" / "truth.json"),
            "--output",
            str(out),
            "--edits",
            str(EVAL / "synd-dev" / "edits.json"),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(scored.stdout)
    return result


@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_synd_dev_holds_its_floor(scores: dict[str, float], metric: str) -> None:
    assert scores[metric] >= FLOORS[metric], {k: scores[k] for k in FLOORS}


def test_synd_dev_joins_no_must_not_pair(scores: dict[str, float]) -> None:
    assert scores["must_not_violations"] <= MUST_NOT_MAX, scores["must_not_violations"]
