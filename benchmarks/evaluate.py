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
from newsdedup.pipeline import ScanOptions, ScanResult, scan_documents
from newsdedup.records import Document


@dataclass(frozen=True)
class Scores:
    pair_precision: float
    pair_recall: float
    origin_accuracy: float
    parent_accuracy: float
    stories_found: int
    stories_true: int


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
    with a true parent) whose found parent is that document.
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
    copies = [d for d in corpus.documents if d.parent]
    parent_hits = sum(parents.get(d.id) == d.parent for d in copies)
    return Scores(
        pair_precision=shared / max(len(found_pairs), 1),
        pair_recall=shared / max(len(true_pairs), 1),
        origin_accuracy=origin_hits / max(len(origins), 1),
        parent_accuracy=parent_hits / max(len(copies), 1),
        stories_found=len(result.stories),
        stories_true=len(corpus.stories()),
    )


def evaluate(articles: int, seed: int, options: ScanOptions | None = None) -> Scores:
    corpus = generate(articles, seed=seed)
    return score(corpus, scan_documents(documents(corpus), options or ScanOptions()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(json.dumps(evaluate(args.articles, args.seed).__dict__, indent=2))


if __name__ == "__main__":
    main()
