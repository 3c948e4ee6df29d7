"""`newsdedup check` traces provenance only where its rules read it.

The rules read a derivation tree only to tell which of two checked versions of one story came
first (`rules._precedes`); tracing every story (each candidate's parent among the references,
with its evidence) was the larger part of a check's scan. These tests hold the scan's
`traced` selection to its contract and the check to tracing no more than it needs.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SAMPLES

from newsdedup.check.config import ReferenceSpec
from newsdedup.check.engine import CheckPlan, run_check
from newsdedup.check.rules import RULES
from newsdedup.ingest import iter_documents
from newsdedup.pipeline import UNTRACED, ScanOptions, scan_documents
from newsdedup.records import Document

ALL_ON = {r.id: r.severity for r in RULES}


def _samples() -> list[Document]:
    paths = sorted(str(p) for p in SAMPLES.glob("*.txt"))
    return [d for d in iter_documents(paths) if isinstance(d, Document)]


def test_scan_traces_only_the_stories_it_is_asked_to_and_leaves_the_rest_untraced() -> None:
    docs = _samples()
    options = ScanOptions(diffs=False)
    full = scan_documents(docs, options)
    assert len(full.stories) >= 2, "the samples hold several stories"
    chosen = full.stories[0].id
    others = [v for s in full.stories if s.id != chosen for v in s.versions]
    assert any(v.parent is not None for v in others), "a tree to leave out"
    part = scan_documents(docs, options, traced=lambda story: story.id == chosen)
    assert [s.id for s in part.stories] == [s.id for s in full.stories]
    assert not part.failures  # left out by choice: no failure reported
    for whole, some in zip(full.stories, part.stories, strict=True):
        if whole.id == chosen:
            assert some == whole  # traced as a full scan traces it
            continue
        # the same versions, none with a parent, relation unknown
        assert {v.version for v in some.versions} == {v.version for v in whole.versions}
        assert all(v.parent is None and v.relation == UNTRACED for v in some.versions)


def _tracing(checked: list[str], sources: list[str]) -> int:
    """How many stories a check traced (the scan's "tracing" progress total)."""
    totals = [0]

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "tracing":
            totals.append(total)

    plan = CheckPlan(
        checked=tuple(checked),
        sources=tuple(ReferenceSpec(s) for s in sources),
        severities=ALL_ON,
    )
    run_check(plan, jobs=1, progress=progress)
    return max(totals)


def test_check_traces_a_story_only_where_two_checked_articles_meet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for target, number in {
        "site/000.txt": "000",
        "site/001.txt": "001",
        "wire/003.txt": "003",
    }.items():
        (tmp_path / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(next(SAMPLES.glob(f"{number}_*.txt")), tmp_path / target)
    monkeypatch.chdir(tmp_path)
    # 001 alone against the wire: its story holds one checked article, nothing to trace
    assert _tracing(["site/001.txt"], ["wire"]) == 0
    # 000 and 001 are versions of one story: which came first needs its tree
    assert _tracing(["site/000.txt", "site/001.txt"], ["wire"]) >= 1
