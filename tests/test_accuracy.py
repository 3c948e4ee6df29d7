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
    assert scores.parent_accuracy >= 0.87, scores  # target 0.90; measured 0.89-0.97
    assert scores.parent_accuracy_strict >= 0.66, scores  # measured 0.68-0.82
    # A confident call must be worth its confidence: measured 0.91-0.95.
    assert scores.confident_parent_accuracy >= 0.88, scores


def test_diff_recovers_recorded_edits(measured: tuple[Scores, DiffRecovery]) -> None:
    _, recovery = measured
    assert recovery.versions >= 100, recovery
    assert recovery.numbers >= 0.90, recovery  # the target; measured 0.98-1.0
    # Targets 0.95; measured added 0.94-0.97, removed 0.97-1.0 (seeds 11, 12, 14).
    assert recovery.added >= 0.92 and recovery.removed >= 0.94, recovery
