"""Accuracy of newsdedup against a generated corpus's ground truth, read as a user's scan reads it.

The corpus (`benchmarks/corpus.py`) is written as files, HTML pages and text captures that carry
their dates, sites and addresses only where a reader would see them, and scanned with
`newsdedup.pipeline.scan` as `newsdedup scan DIR` does; the scanner's ids (file names) are then
mapped back to the generator's. Nothing of the ground truth reaches the scan.

Used by tests/test_accuracy.py (asserted floors) and by hand:
    python -m benchmarks.evaluate --articles 2000 --seed 3 [--synd-dev DIR]

With the shared outside corpus (`--synd-dev`, default ../shared/eval beside the repository when
it exists), that corpus is scanned by the `newsdedup` command and scored by its own `score.py`,
and both corpora's figures are printed side by side: {"project": ..., "synd_dev": ...}.
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from benchmarks.corpus import Corpus, generate, write_corpus
from newsdedup.fingerprint import tokens
from newsdedup.ingest import iter_documents
from newsdedup.pipeline import ScanOptions, ScanResult, scan
from newsdedup.records import Document

REPO = Path(__file__).resolve().parent.parent
SYND_DEV = REPO.parent / "shared" / "eval"


@dataclass(frozen=True)
class Scores:
    pair_precision: float
    pair_recall: float
    origin_accuracy: float
    parent_accuracy: float
    parent_accuracy_strict: float
    confident_parent_accuracy: float
    stories_found: int
    stories_true: int


CONFIDENT = 0.9


@dataclass(frozen=True)
class Scanned:
    """A scan of a written corpus and the generator id of each scanned document."""

    result: ScanResult
    ids: Mapping[str, str]
    """Scanner id (file name) -> generator id."""

    def doc(self, scan_id: str) -> str:
        return self.ids[scan_id]


def scan_corpus(
    corpus: Corpus, directory: Path, options: ScanOptions | None = None, jobs: int = 1
) -> Scanned:
    """Write `corpus` as files into `directory` ("mixed" format) and scan them as a user would."""
    ids = write_corpus(corpus, directory, "mixed")
    result = scan([str(Path(directory) / "corpus")], options or ScanOptions(), jobs=jobs)
    if result.skipped or len(result.documents) != len(ids):
        unread = ", ".join(f"{s.path}: {s.reason}" for s in result.skipped[:5])
        raise RuntimeError(f"read {len(result.documents)} of {len(ids)} files; skipped {unread}")
    return Scanned(result, ids)


def documents(corpus: Corpus) -> list[Document]:
    """The corpus as the scanner reads it from its files (ids are file names): text and what
    the pages show, never the ground truth. For tests that feed the pipeline's stages."""
    with tempfile.TemporaryDirectory(prefix="newsdedup-eval-") as tmp:
        write_corpus(corpus, Path(tmp), "mixed")
        return [d for d in iter_documents([str(Path(tmp) / "corpus")]) if isinstance(d, Document)]


def score(corpus: Corpus, scanned: Scanned) -> Scores:
    """Pair precision/recall over documents sharing a story; origin and parent accuracy.

    Origin accuracy: share of true stories whose origin document is named origin
    of a found story containing it. Parent accuracy: share of copies (documents
    with a true parent) whose found parent is one of its acceptable parents
    (`Corpus.acceptable_parents`: the true parent, or an earlier member holding
    every paragraph the copy kept, which no text evidence can tell from it);
    strict parent accuracy: found parent is the true parent. Confident parent
    accuracy: share of parents called at confidence `CONFIDENT` or more that are
    acceptable, which is what the confidence promises a reader.
    """
    result, gen = scanned.result, scanned.doc
    truth = {d.id: d for d in corpus.documents}
    found_pairs: set[frozenset[str]] = set()
    stories_of: dict[str, list[str]] = {}
    for story in result.stories:
        ids = sorted({gen(v.version.doc_id) for v in story.versions})
        found_pairs |= {frozenset(p) for p in itertools.combinations(ids, 2)}
        for doc_id in ids:
            stories_of.setdefault(doc_id, []).append(gen(story.origin.doc_id))
    true_pairs = corpus.true_pairs()
    shared = len(found_pairs & true_pairs)
    origins = [
        next(i for i in ids if truth[i].kind == "origin")
        for ids in corpus.stories().values()
        if any(truth[i].kind == "origin" for i in ids)
    ]
    origin_hits = sum(o in stories_of.get(o, []) for o in origins)
    parents: dict[str, str | None] = {}
    confident: list[bool] = []
    for s in result.stories:
        for v in s.versions:
            doc_id = gen(v.version.doc_id)
            if not truth[doc_id].parent:
                continue
            parent = gen(v.parent.doc_id) if v.parent else None
            parents[doc_id] = parent
            if parent is not None and v.confidence >= CONFIDENT:
                confident.append(parent in corpus.acceptable_parents(doc_id))
    copies = [d for d in corpus.documents if d.parent]
    hits = sum(parents.get(d.id) in corpus.acceptable_parents(d.id) for d in copies)
    strict = sum(parents.get(d.id) == d.parent for d in copies)
    return Scores(
        pair_precision=shared / max(len(found_pairs), 1),
        pair_recall=shared / max(len(true_pairs), 1),
        origin_accuracy=origin_hits / max(len(origins), 1),
        parent_accuracy=hits / max(len(copies), 1),
        parent_accuracy_strict=strict / max(len(copies), 1),
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
    credits: float


def _words(text: str) -> set[str]:
    return set(tokens(text))


def _covered(text: str, passages: list[str]) -> bool:
    """Most of the edit's words fall inside one reported passage."""
    want = _words(text)
    return bool(want) and any(len(want & _words(p)) >= 0.6 * len(want) for p in passages)


def diff_recovery(corpus: Corpus, scanned: Scanned) -> DiffRecovery:
    """Share of the generator's recorded edits that the diff reports.

    Scored on copies whose found parent is their true parent (edits are recorded
    against it; a diff against any other parent answers a different question):
    each "added" edit must lie in an added passage, each "removed" edit in a
    removed passage, each number change in a `number-changed` note naming the
    new figure, each dropped credit (a byline, a sign-off, an agency's name in
    a dateline) in a `credit-removed` or `dateline-removed` note quoting it or in
    a removed passage.
    """
    result, gen = scanned.result, scanned.doc
    truth = {d.id: d for d in corpus.documents}
    hits: dict[str, list[bool]] = {"added": [], "removed": [], "number": [], "credit": []}
    versions = 0
    for story in result.stories:
        for report in story.versions:
            doc = truth[gen(report.version.doc_id)]
            found = result.diffs.get((story.id, report.version.key))
            if found is None or report.parent is None or gen(report.parent.doc_id) != doc.parent:
                continue
            versions += 1
            added = [p.text for p in found.added]
            removed = [p.text for p in found.removed]
            numbers = " ".join(n.detail for n in found.notes if n.kind == "number-changed")
            credits = [n.detail for n in found.notes if n.kind in _CREDIT_NOTES and n.detail]
            for edit in doc.edits:
                if edit["kind"] == "added":
                    hits["added"].append(_covered(edit["after"], added))
                elif edit["kind"] == "removed":
                    hits["removed"].append(_covered(edit["before"], removed))
                elif edit["kind"] == "number":
                    hits["number"].append(edit["after"] in numbers)
                elif edit["kind"] == "credit_removed":
                    dropped = edit["before"]
                    hits["credit"].append(
                        any(c in dropped for c in credits) or _covered(dropped, removed)
                    )
    rate = {k: sum(v) / max(len(v), 1) for k, v in hits.items()}
    return DiffRecovery(
        rate["added"], rate["removed"], rate["number"], versions, credits=rate["credit"]
    )


_CREDIT_NOTES = ("credit-removed", "dateline-removed")


def evaluate(articles: int, seed: int, options: ScanOptions | None = None) -> Scores:
    corpus = generate(articles, seed=seed)
    with tempfile.TemporaryDirectory(prefix="newsdedup-eval-") as tmp:
        return score(corpus, scan_corpus(corpus, Path(tmp), options))


def project_report(articles: int, seed: int, jobs: int = 1) -> dict[str, Any]:
    """The generated corpus's figures: `Scores`, and the diff's recovery as "diff"."""
    corpus = generate(articles, seed=seed)
    with tempfile.TemporaryDirectory(prefix="newsdedup-eval-") as tmp:
        scanned = scan_corpus(corpus, Path(tmp), ScanOptions(), jobs=jobs)
    return {
        "articles": articles,
        "seed": seed,
        **asdict(score(corpus, scanned)),
        "diff": asdict(diff_recovery(corpus, scanned)),
    }


def synd_dev_report(root: Path, jobs: int | None = None) -> dict[str, Any]:
    """The shared corpus `root/synd-dev` scanned by the `newsdedup` command (JSON report, as a
    user writes it) and scored by `root/score.py`: that scorer's JSON object."""
    dev = root / "synd-dev"
    with tempfile.TemporaryDirectory(prefix="newsdedup-synd-dev-") as tmp:
        out = Path(tmp) / "report.json"
        command = [sys.executable, "-m", "newsdedup", "scan", str(dev / "corpus")]
        command += ["--format", "json", "--quiet", "-o", str(out)]
        if jobs is not None:
            command += ["--jobs", str(jobs)]
        subprocess.run(command, check=True)
        scored = subprocess.run(
            [
                sys.executable,
                str(root / "score.py"),
                "--truth",
                str(dev / "truth.json"),
                "--output",
                str(out),
                "--edits",
                str(dev / "edits.json"),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
    report: dict[str, Any] = json.loads(scored.stdout.splitlines()[0])
    return report


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=1, help="scan worker processes")
    parser.add_argument(
        "--synd-dev",
        type=Path,
        default=SYND_DEV if (SYND_DEV / "score.py").is_file() else None,
        metavar="DIR",
        help="also scan and score DIR/synd-dev with DIR/score.py (default: ../shared/eval "
        "beside the repository, when it exists)",
    )
    parser.add_argument("--no-synd-dev", action="store_true", help="score the project's only")
    args = parser.parse_args()
    if args.no_synd_dev:
        args.synd_dev = None
    elif args.synd_dev and not (args.synd_dev / "score.py").is_file():
        parser.error(f"--synd-dev {args.synd_dev}: no score.py there")
    report = {
        "project": project_report(args.articles, args.seed, args.jobs),
        "synd_dev": synd_dev_report(args.synd_dev, args.jobs) if args.synd_dev else None,
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
