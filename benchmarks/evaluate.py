"""Accuracy of newsdedup against a generated corpus's ground truth.

Used by tests/test_accuracy.py (asserted floors) and by hand:
    python -m benchmarks.evaluate --articles 2000 --seed 3
"""

from __future__ import annotations

import argparse
import itertools
import json
from dataclasses import dataclass

from benchmarks.corpus import Corpus, generate
from newsdedup.fingerprint import tokens
from newsdedup.pipeline import ScanOptions, ScanResult, scan_documents
from newsdedup.records import Document


@dataclass(frozen=True)
class Scores:
    pair_precision: float
    pair_recall: float
    origin_accuracy: float
    parent_accuracy: float
    parent_accuracy_by_text: float
    confident_parent_accuracy: float
    stories_found: int
    stories_true: int


CONFIDENT = 0.9


def documents(corpus: Corpus) -> list[Document]:
    """The corpus as the scanner sees it: text and metadata, never the ground truth."""
    return [
        Document(id=d.id, text=d.text, title=d.title, url=d.url, site=d.site, published=d.published)
        for d in corpus.documents
    ]


def score(corpus: Corpus, result: ScanResult) -> Scores:
    """Pair precision/recall over documents sharing a story; origin and parent accuracy.

    Origin accuracy: share of true stories whose origin document is named origin
    of a found story containing it. Parent accuracy: share of copies (documents
    with a true parent) whose found parent is that document. Parent accuracy by
    text also counts a found parent whose article text is the true parent's
    (a verbatim copy and its own source): no evidence in the text can tell
    those two apart, so this is the figure text evidence can reach. Confident
    parent accuracy: share of parents called at confidence `CONFIDENT` or more
    that are right, which is what the confidence promises a reader.
    """
    truth = {d.id: d for d in corpus.documents}
    found_pairs: set[frozenset[str]] = set()
    stories_of: dict[str, list[str]] = {}
    for story in result.stories:
        ids = sorted({v.version.doc_id for v in story.versions})
        found_pairs |= {frozenset(p) for p in itertools.combinations(ids, 2)}
        for doc_id in ids:
            stories_of.setdefault(doc_id, []).append(story.origin.doc_id)
    true_pairs = corpus.true_pairs()
    shared = len(found_pairs & true_pairs)
    origins = [
        next(i for i in ids if truth[i].kind == "origin")
        for ids in corpus.stories().values()
        if any(truth[i].kind == "origin" for i in ids)
    ]
    origin_hits = sum(o in stories_of.get(o, []) for o in origins)
    parents = {
        v.version.doc_id: (v.parent.doc_id if v.parent else None)
        for s in result.stories
        for v in s.versions
        if truth[v.version.doc_id].parent
    }
    confident = [
        v.parent.doc_id == truth[v.version.doc_id].parent
        for s in result.stories
        for v in s.versions
        if v.parent and truth[v.version.doc_id].parent and v.confidence >= CONFIDENT
    ]
    copies = [d for d in corpus.documents if d.parent]
    parent_hits = sum(parents.get(d.id) == d.parent for d in copies)
    text_hits = sum(
        (found := parents.get(d.id)) is not None and corpus.body(found) == corpus.body(d.parent)
        for d in copies
        if d.parent
    )
    return Scores(
        pair_precision=shared / max(len(found_pairs), 1),
        pair_recall=shared / max(len(true_pairs), 1),
        origin_accuracy=origin_hits / max(len(origins), 1),
        parent_accuracy=parent_hits / max(len(copies), 1),
        parent_accuracy_by_text=text_hits / max(len(copies), 1),
        confident_parent_accuracy=sum(confident) / max(len(confident), 1),
        stories_found=len(result.stories),
        stories_true=len(corpus.stories()),
    )


@dataclass(frozen=True)
class DiffRecovery:
    added: float
    removed: float
    numbers: float
    versions: int


def _words(text: str) -> set[str]:
    return set(tokens(text))


def _covered(text: str, passages: list[str]) -> bool:
    """Most of the edit's words fall inside one reported passage."""
    want = _words(text)
    return bool(want) and any(len(want & _words(p)) >= 0.6 * len(want) for p in passages)


def diff_recovery(corpus: Corpus, result: ScanResult) -> DiffRecovery:
    """Share of the generator's recorded edits that the diff reports.

    Scored on copies whose found parent is their true parent (otherwise the
    diff answers a different question): each "added" edit must lie in an
    added passage, each "removed" edit in a removed passage, each number
    change in a `number-changed` note naming the new figure.
    """
    truth = {d.id: d for d in corpus.documents}
    hits: dict[str, list[bool]] = {"added": [], "removed": [], "number": []}
    versions = 0
    for story in result.stories:
        for report in story.versions:
            doc = truth[report.version.doc_id]
            found = result.diffs.get((story.id, report.version.key))
            if found is None or report.parent is None or report.parent.doc_id != doc.parent:
                continue
            versions += 1
            added = [p.text for p in found.added]
            removed = [p.text for p in found.removed]
            numbers = " ".join(n.detail for n in found.notes if n.kind == "number-changed")
            for edit in doc.edits:
                if edit["kind"] == "added":
                    hits["added"].append(_covered(edit["after"], added))
                elif edit["kind"] == "removed":
                    hits["removed"].append(_covered(edit["before"], removed))
                elif edit["kind"] == "number":
                    hits["number"].append(edit["after"] in numbers)
    rate = {k: sum(v) / max(len(v), 1) for k, v in hits.items()}
    return DiffRecovery(rate["added"], rate["removed"], rate["number"], versions)


def evaluate(articles: int, seed: int, options: ScanOptions | None = None) -> Scores:
    corpus = generate(articles, seed=seed)
    return score(corpus, scan_documents(documents(corpus), options or ScanOptions()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    corpus = generate(args.articles, seed=args.seed)
    result = scan_documents(documents(corpus), ScanOptions())
    report = {**score(corpus, result).__dict__, "diff": diff_recovery(corpus, result).__dict__}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
