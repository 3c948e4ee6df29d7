"""A check against an archive index makes nothing twice (issue 20): the candidates' segments
and fingerprints come from the index, the checked articles' from the lookup, and the rules
read the scan's shingles; only the checked articles are segmented, once.

Counted, not mocked: the real segmenter and fingerprinter run, wrapped to note what they
were given."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

import newsdedup.check.rules
import newsdedup.pipeline
import newsdedup.store.archive
from newsdedup.check.config import ReferenceSpec
from newsdedup.check.engine import CheckPlan, run_check
from newsdedup.check.rules import RULES
from newsdedup.pipeline import ScanOptions
from newsdedup.records import Document, Segment
from newsdedup.segment import SegmentTable
from newsdedup.store.archive import add, open_store


def _paragraph(rng: random.Random, n: int = 45) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = ["".join(rng.choice(letters) for _ in range(rng.randint(3, 9))) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def _counted(fn: Callable[..., Any], seen: Counter[str]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        first = args[0]
        if isinstance(first, Document):  # segment(doc, ...), segment_spans(doc, ...)
            seen[first.id] += 1
        elif len(args) > 1 and isinstance(args[1], SegmentTable):  # fingerprint_texts(texts, table)
            seen.update(args[1].doc_ids)
        else:  # fingerprint(segments, ...)
            segments: Sequence[Segment] = first
            seen.update({s.doc_id for s in segments})
        return fn(*args, **kwargs)

    return wrapper


def test_a_check_against_an_index_segments_only_the_checked_articles_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(21)
    story = [_paragraph(rng) for _ in range(5)]
    wire = Document(id="wire/story.txt", text="\n\n".join(["LONDON (Reuters) - Talks", *story]))
    others = [
        Document(id=f"wire/other-{k}.txt", text="\n\n".join(_paragraph(rng) for _ in range(4)))
        for k in range(6)
    ]
    location = str(tmp_path / "wire.db")
    store = open_store(location, create=True)
    add(store, [wire, *others], ScanOptions())
    store.close()
    site = tmp_path / "site"
    site.mkdir()
    (site / "copy.md").write_text("# Talks\n\n" + "\n\n".join(story[:4]) + "\n", encoding="utf-8")
    (site / "own.md").write_text(f"# Own\n\n{_paragraph(rng)}\n", encoding="utf-8")

    segmented: Counter[str] = Counter()
    fingerprinted: Counter[str] = Counter()
    pipeline, archive = newsdedup.pipeline, newsdedup.store.archive
    monkeypatch.setattr(pipeline, "segment_spans", _counted(pipeline.segment_spans, segmented))
    counted = _counted(pipeline.fingerprint_texts, fingerprinted)
    monkeypatch.setattr(pipeline, "fingerprint_texts", counted)
    monkeypatch.setattr(archive, "segment", _counted(archive.segment, segmented))
    monkeypatch.setattr(archive, "fingerprint", _counted(archive.fingerprint, fingerprinted))
    rules = newsdedup.check.rules
    monkeypatch.setattr(rules, "fingerprint", _counted(rules.fingerprint, fingerprinted))
    plan = CheckPlan(
        checked=(str(site / "copy.md"), str(site / "own.md")),
        sources=(ReferenceSpec(location),),
        severities={r.id: r.severity for r in RULES},
    )
    outcome = run_check(plan, jobs=1)

    assert outcome.references == 1  # the wire story, scanned
    assert sorted((f.rule, f.reference) for f in outcome.findings) == [
        ("credit-removed", "wire/story.txt"),
        ("uncredited-copy", "wire/story.txt"),
    ]
    checked = set(plan.checked)
    assert segmented == dict.fromkeys(checked, 1)  # the lookup's, taken by the scan
    assert fingerprinted == dict.fromkeys(checked, 1)  # never the candidate, never the rules'


def test_the_lookup_in_two_processes_picks_what_one_picks(tmp_path: Path) -> None:
    """`Reach.copies` with jobs looks the checked articles up in shares, a process each: a
    document's picks follow from its own segments, so the picks, and what fingerprinting
    the articles made (which the scan then takes), are the one process's."""
    from benchmarks.corpus import generate
    from newsdedup.check.references import COMMON, MIN_SHARED, WITNESSES
    from newsdedup.store.archive import _PARALLEL_LOOKUP, Reach

    docs = [
        Document(id=d.id, text=d.text, title=d.title, url=d.url, site=d.site)
        for d in generate(200, 3).documents
    ]
    new, archived = docs[: _PARALLEL_LOOKUP + 6], docs[_PARALLEL_LOOKUP + 6 :]
    location = str(tmp_path / "archive.db")
    store = open_store(location, create=True)
    add(store, archived, ScanOptions())
    found = {}
    made = {}
    try:
        for jobs in (1, 2):
            reach = Reach(store, ScanOptions())
            found[jobs] = [
                d.id for d in reach.copies(new, COMMON, WITNESSES, MIN_SHARED, jobs=jobs)
            ]
            assert reach.made is not None
            made[jobs] = reach.made
    finally:
        store.close()
    assert len(found[1]) > 20 and found[2] == found[1]
    assert made[2].doc_ids == made[1].doc_ids == {d.id for d in new}
    order = sorted(made[1].fingerprints.table.doc_ids)
    one, two = (made[j].fingerprints.documents(order) for j in (1, 2))
    assert one.table.doc_ids == two.table.doc_ids
    assert (one.shingles == two.shingles).all() and (one.offsets == two.offsets).all()
