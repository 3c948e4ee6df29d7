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


def test_the_results_of_tracing_and_diffing_arrive_while_this_process_collects_less(
    monkeypatch,
) -> None:
    """The pool's results are unpickled in this process during `_map` (`_trace_all`)."""
    seen: dict[str, tuple[int, ...]] = {}
    plain = pipeline._map

    def recorded(fn, tasks, jobs, stage, *rest):  # type: ignore[no-untyped-def]
        seen[stage] = gc.get_threshold()
        return plain(fn, tasks, jobs, stage, *rest)

    monkeypatch.setattr(pipeline, "_map", recorded)
    before = gc.get_threshold()
    result = pipeline.scan([str(SAMPLES)], pipeline.ScanOptions())
    assert result.stories and result.diffs  # both stages ran
    assert seen["tracing"][0] == seen["diffing"][0] == pipeline._YOUNG_COLLECTION
    assert gc.get_threshold() == before
