"""What a check against an archive index scans, and what of a source page it judges
(issue 20): the index's near copies are confirmed by its stored shingles, and an aggregator page is
cut down to the shared story from the page itself, whatever else was scanned.

Both go together: confirming near copies drops the chance members of a paragraph's
buckets, among them, in a large archive, the other stories of an aggregator page; the
rules must not need those to tell which of the page's credits belong to the copied story.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from newsdedup.check.config import ReferenceSpec
from newsdedup.check.engine import CheckPlan, run_check
from newsdedup.check.references import COMMON, MIN_SHARED, WITNESSES
from newsdedup.check.rules import RULES
from newsdedup.pipeline import ScanOptions
from newsdedup.records import Document
from newsdedup.store.archive import Reach, add, open_store, shared_shingles


def _words(rng: random.Random, n: int) -> list[str]:
    """Words no other text shares: random letters."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(3, 9))) for _ in range(n)]


def _paragraph(rng: random.Random, n: int = 45) -> str:
    return " ".join(_words(rng, n)).capitalize() + "."


def test_shared_shingles_counts_a_piece_s_shingles_held_by_each_document() -> None:
    def held(*values: int) -> np.ndarray:
        return np.array(sorted(values), dtype=np.uint32)

    pieces = [held(1, 5, 9, 2**32 - 1), held(7), held()]
    docs = [held(1, 2, 9, 2**32 - 1), held(7, 8), held()]
    pairs = np.array([[0, 0], [0, 1], [1, 1], [1, 0], [2, 0], [0, 2]], dtype=np.int64)
    assert shared_shingles(pieces, docs, pairs).tolist() == [3, 0, 1, 0, 0, 0]
    assert shared_shingles(pieces, docs, np.zeros((0, 2), dtype=np.int64)).tolist() == []


def test_a_near_copy_counts_only_when_its_text_holds_the_passage(tmp_path: Path) -> None:
    rng = random.Random(20)
    story = [_paragraph(rng) for _ in range(4)]
    edited = []
    for paragraph in story:  # one word changed a paragraph: another passage, same buckets
        words = paragraph.split()
        words[20] = "changed"
        edited.append(" ".join(words))
    docs = [
        Document(id="same", text="\n\n".join([*story, _paragraph(rng)])),
        Document(id="edited", text="\n\n".join([*edited, _paragraph(rng)])),
        *(Document(id=f"other-{k}", text=_paragraph(rng)) for k in range(5)),
    ]
    location = str(tmp_path / "archive.db")
    store = open_store(location, create=True)
    add(store, docs, ScanOptions())
    today = Document(id="today", text="\n\n".join([_paragraph(rng), *story]))

    def found(shared: object) -> list[str]:
        reach = Reach(store, ScanOptions())
        return [d.id for d in reach.copies([today], COMMON, WITNESSES, MIN_SHARED, shared)]  # type: ignore[arg-type]

    def nothing_shared(pieces: object, texts: object, pairs: np.ndarray) -> np.ndarray:
        return np.zeros(len(pairs), dtype=np.int64)

    try:
        assert found(None) == ["edited", "same"]  # buckets alone
        # the edited document's stored shingles hold the passages
        assert found(shared_shingles) == ["edited", "same"]
        # a tie by buckets only, its shingles not holding the passage, is no copy;
        # the holders of the passage itself need no look
        assert found(nothing_shared) == ["same"]
    finally:
        store.close()


def test_an_aggregator_page_is_judged_on_the_copied_story_alone(tmp_path: Path) -> None:
    """The copy takes the second story of an aggregator page and drops its dateline; the
    page's first story is in no other reference, so the scan never sees it as a story:
    the credit the copy dropped is the second story's, never the first's."""
    rng = random.Random(7)
    first = "LONDON (Reuters) - " + " ".join(_paragraph(rng, 40) for _ in range(9))
    second = "PARIS (AFP) - " + " ".join(_paragraph(rng, 40) for _ in range(9))
    refs, site = tmp_path / "refs", tmp_path / "site"
    refs.mkdir()
    site.mkdir()
    (refs / "digest.txt").write_text(
        "Top stories\n\n[1]\n\nMarkets steady\n\n"
        f"{first}\n\n[2]\n\nTalks resume\n\n{second}\n\nShare\n",
        encoding="utf-8",
    )
    copied = second.removeprefix("PARIS (AFP) - ")
    (site / "copy.md").write_text(f"# Talks resume\n\n{copied}\n", encoding="utf-8")
    plan = CheckPlan(
        checked=(str(site / "copy.md"),),
        sources=(ReferenceSpec(str(refs)),),
        severities={r.id: r.severity for r in RULES},
    )
    outcome = run_check(plan, jobs=1)
    removed = [f.message for f in outcome.findings if f.rule == "credit-removed"]
    assert len(removed) == 1
    assert "PARIS (AFP) -" in removed[0]
    assert "LONDON" not in removed[0]
