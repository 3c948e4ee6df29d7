"""Accuracy on a generated syndicated corpus, against the generator's ground truth.

The corpus is written as files (HTML pages and text captures showing their dates and sites
only where a reader sees them) and scanned as `newsdedup scan DIR` scans, so dates and sites
are read from the pages, not handed over from the truth (benchmarks/evaluate.py).

Pair precision and recall are floored at the issues' targets (>= 0.98, >= 0.95). The others
are regression floors, about 0.02 under the lowest of these three corpora as measured when the
evaluation moved to files, and below their targets (origin accuracy >= 0.95, parent accuracy
>= 0.90, added and removed passages >= 0.95, number changes >= 0.90): raise them as accuracy
improves. Parent accuracy counts any acceptable parent (`Corpus.acceptable_parents`: the true
parent or an earlier member holding every paragraph the copy kept); the strict figure counts
the true parent only. docs/accuracy.md has figures for more corpora.
"""

from __future__ import annotations

import pytest

from benchmarks.corpus import generate
from benchmarks.evaluate import DiffRecovery, Scores, diff_recovery, scan_corpus, score


@pytest.fixture(scope="module", params=[11, 12, 14])
def measured(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Scores, DiffRecovery]:
    corpus = generate(400, seed=request.param)
    scanned = scan_corpus(corpus, tmp_path_factory.mktemp(f"corpus-{request.param}"))
    return score(corpus, scanned), diff_recovery(corpus, scanned)


def test_pair_precision_and_recall(measured: tuple[Scores, DiffRecovery]) -> None:
    scores, _ = measured
    assert scores.pair_precision >= 0.98, scores
    assert scores.pair_recall >= 0.95, scores


def test_origin_accuracy_does_not_regress(measured: tuple[Scores, DiffRecovery]) -> None:
    scores, _ = measured
    # The target; measured 0.98-1.00 (0.78-0.88 before `republished`, twelfth session).
    assert scores.origin_accuracy >= 0.95, scores


def test_parent_accuracy_does_not_regress(measured: tuple[Scores, DiffRecovery]) -> None:
    scores, _ = measured
    # The target; measured 0.903-0.974 (sixteenth session; seed 14 was 0.893 before a page
    # without a date stood at its story's median date in ties).
    assert scores.parent_accuracy >= 0.90, scores
    assert scores.parent_accuracy_strict >= 0.78, scores  # measured 0.81-0.86
    # A confident call must be worth its confidence: measured 0.97-0.99.
    assert scores.confident_parent_accuracy >= 0.95, scores


def test_diff_recovers_recorded_edits(measured: tuple[Scores, DiffRecovery]) -> None:
    _, recovery = measured
    assert recovery.versions >= 100, recovery
    assert recovery.numbers >= 0.90, recovery  # the target; measured 0.98-1.0
    # The targets (0.95); measured added 0.950-0.977, removed 0.977-0.998 (seeds 11, 12, 14).
    assert recovery.added >= 0.95 and recovery.removed >= 0.95, recovery
    assert recovery.credits >= 0.95, recovery  # the target; measured 1.0 (dropped credit lines)
