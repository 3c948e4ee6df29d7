"""Accuracy on a generated syndicated corpus, against the generator's ground truth.

Floors at the issues' targets (pair precision >= 0.98, recall >= 0.95, origin
accuracy >= 0.95, added and removed passages >= 0.95, number changes >= 0.90)
on these corpora. Parent accuracy misses its 0.90 target: its test is a
regression floor just below the level reached. docs/accuracy.md has figures for
more corpora; seed 14 is the one where added passages were lowest.
"""

from __future__ import annotations

import pytest

from benchmarks.corpus import generate
from benchmarks.evaluate import DiffRecovery, Scores, diff_recovery, documents, score
from newsdedup.pipeline import ScanOptions, scan_documents


@pytest.fixture(scope="module", params=[11, 12, 14])
def measured(request: pytest.FixtureRequest) -> tuple[Scores, DiffRecovery]:
    corpus = generate(400, seed=request.param)
    result = scan_documents(documents(corpus), ScanOptions())
    return score(corpus, result), diff_recovery(corpus, result)


def test_pair_precision_and_recall(measured: tuple[Scores, DiffRecovery]) -> None:
    scores, _ = measured
    assert scores.pair_precision >= 0.98, scores
    assert scores.pair_recall >= 0.95, scores


def test_origin_accuracy(measured: tuple[Scores, DiffRecovery]) -> None:
    scores, _ = measured
    assert scores.origin_accuracy >= 0.95, scores


def test_parent_accuracy_does_not_regress(measured: tuple[Scores, DiffRecovery]) -> None:
    scores, _ = measured
    assert scores.parent_accuracy >= 0.825, scores
    # Text-identical parents counted right: what text evidence can reach (docs/accuracy.md).
    assert scores.parent_accuracy_by_text >= 0.90, scores
    # A confident call must be worth its confidence (docs/accuracy.md: 97% over eight corpora).
    assert scores.confident_parent_accuracy >= 0.95, scores


def test_diff_recovers_recorded_edits(measured: tuple[Scores, DiffRecovery]) -> None:
    _, recovery = measured
    assert recovery.versions >= 100, recovery
    assert recovery.numbers >= 0.90, recovery
    assert recovery.added >= 0.95 and recovery.removed >= 0.95, recovery
