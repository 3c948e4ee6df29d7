"""The stages run with fewer collections of the youngest generation (`pipeline._YOUNG_COLLECTION`):
in the scan's workers for good, in the caller's process only while a stage runs there."""

from __future__ import annotations

import gc
from pathlib import Path

from newsdedup import pipeline

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _threshold(_: int) -> tuple[int, ...]:
    return gc.get_threshold()


def test_a_stage_in_this_process_collects_less_and_gives_the_setting_back() -> None:
    before = gc.get_threshold()
    inside = pipeline._map(_threshold, [1, 2, 3], 1, "test", pipeline.silent, 3, 8, 1)
    assert {t[0] for t in inside} == {pipeline._YOUNG_COLLECTION}
    assert gc.get_threshold() == before


def test_the_workers_collect_less() -> None:
    before = gc.get_threshold()
    seen = pipeline._map(_threshold, list(range(8)), 2, "test", pipeline.silent, 8, 2, 1)
    assert {t[0] for t in seen} == {pipeline._YOUNG_COLLECTION}
    assert gc.get_threshold() == before


def test_the_results_of_a_pool_arrive_while_this_process_collects_less() -> None:
    """The workers' results (traces, diffs) are unpickled in this process while `_map`
    hands them on: the progress callback sees the setting they arrive under."""
    seen: dict[str, tuple[int, ...]] = {}

    def progress(stage: str, done: int, total: int) -> None:
        seen[stage] = gc.get_threshold()

    before = gc.get_threshold()
    for stage in ("tracing", "diffing"):
        found = pipeline._map(_threshold, list(range(8)), 2, stage, progress, 8, 2, 1)
        assert len(found) == 8  # made by the pool (below `min_parallel` it runs here)
    assert seen["tracing"][0] == seen["diffing"][0] == pipeline._YOUNG_COLLECTION
    assert gc.get_threshold() == before
