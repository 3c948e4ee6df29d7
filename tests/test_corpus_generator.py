"""The synthetic corpus must be reproducible and its ground truth must match its text,
otherwise benchmark scores measure the generator instead of the deduplicator."""

from __future__ import annotations

import json
import re
import statistics
from itertools import combinations
from pathlib import Path

import pytest

from benchmarks.corpus import KINDS, Corpus, CorpusConfig, generate, main, write_corpus

EDIT_KINDS = {
    "added",
    "removed",
    "number",
    "credit_removed",
    "dateline_removed",
    "substitution",
    "reorder",
}
PROPER = re.compile(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b")


def shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return generate(700, seed=7)


def body_text(corpus: Corpus, doc_id: str) -> str:
    return "\n".join(corpus.body(doc_id))


def test_same_seed_gives_identical_documents() -> None:
    assert generate(150, seed=3).documents == generate(150, seed=3).documents
    assert generate(150, seed=3).documents != generate(150, seed=4).documents


def test_exact_size_unique_ids_and_known_kinds(corpus: Corpus) -> None:
    docs = corpus.documents
    assert len(docs) == 700
    assert len({d.id for d in docs}) == 700
    assert {d.kind for d in docs} == set(KINDS)
    assert all(d.id.startswith(d.site + "/") for d in docs)
    for d in docs:
        assert all(e["kind"] in EDIT_KINDS and "before" in e and "after" in e for e in d.edits)


def test_unrelated_fraction_and_singleton_stories(corpus: Corpus) -> None:
    unrelated = [d for d in corpus.documents if d.kind == "unrelated"]
    assert len(unrelated) == round(700 * CorpusConfig().unrelated_fraction)
    owners: dict[str, int] = {}
    for d in corpus.documents:
        for sid in d.stories:
            owners[sid] = owners.get(sid, 0) + 1
    assert all(len(d.stories) == 1 and owners[d.stories[0]] == 1 for d in unrelated)
    assert all(d.parent is None and not d.edits for d in unrelated)


def test_verbatim_copy_contains_every_parent_paragraph(corpus: Corpus) -> None:
    verbatim = [d for d in corpus.documents if d.kind == "verbatim"]
    assert verbatim
    for d in verbatim:
        assert d.parent is not None
        for para in corpus.body(d.parent):
            assert para in d.text


def test_copies_point_to_a_parent_in_the_same_story(corpus: Corpus) -> None:
    by_id = {d.id: d for d in corpus.documents}
    copies = [d for d in corpus.documents if d.kind not in ("origin", "unrelated", "aggregate")]
    depths = []
    for d in copies:
        assert d.parent in by_id and by_id[d.parent].stories == d.stories
        depth, cur = 0, d
        while cur.parent is not None:
            depth, cur = depth + 1, by_id[cur.parent]
        assert cur.kind == "origin" and cur.agency is not None
        depths.append(depth)
    assert max(depths) <= 3 and 2 in depths
    light = [d for d in copies if d.kind == "light-edit"]
    assert all(any(e["kind"] == "number" for e in d.edits) for d in light)


def test_most_copies_are_dated_after_their_parent(corpus: Corpus) -> None:
    by_id = {d.id: d for d in corpus.documents}
    later = earlier = 0
    for d in corpus.documents:
        shown = by_id[d.parent].published if d.parent else None
        if d.published and shown:  # ISO strings in one time zone sort chronologically
            later, earlier = later + (d.published >= shown), earlier + (d.published < shown)
    assert 0.75 < later / (later + earlier) < 1.0  # some copies carry a wrong, earlier date
    assert any(d.published is None for d in corpus.documents if d.kind != "origin")


def test_hard_negatives_share_names_but_not_text(corpus: Corpus) -> None:
    stories = corpus.stories()
    checked, worst = 0, []
    for doc_id, sid in corpus.hard_negatives.items():
        if sid not in stories:
            continue
        mine = body_text(corpus, doc_id)
        theirs = "\n".join(body_text(corpus, o) for o in stories[sid])
        assert len(set(PROPER.findall(mine)) & set(PROPER.findall(theirs))) >= 3
        grams = shingles(mine)
        worst.append(
            max(len(grams & shingles(body_text(corpus, o))) / len(grams) for o in stories[sid])
        )
        checked += 1
    assert checked >= 30
    # Measured (seeds 0, 1, 7): mean 1.3-1.5%, 95th percentile 2.4-3.3%, worst 3.5% here and
    # 4.3% in 432 at seed 0 -- shared stock phrases ("said in a note") and organisation
    # names in fixed frames ("talks with X over the"), as real same-topic articles have.
    assert statistics.mean(worst) < 0.02
    assert max(worst) < 0.05


def test_rewrites_keep_quotes_but_few_shingles(corpus: Corpus) -> None:
    rewrites = [d for d in corpus.documents if d.kind == "rewrite"]
    assert rewrites
    overlaps = []
    for d in rewrites:
        assert d.parent is not None
        parent, child = shingles(body_text(corpus, d.parent)), shingles(body_text(corpus, d.id))
        overlaps.append(len(parent & child) / len(parent | child))
        quotes = re.findall(r"“[^”]+”", body_text(corpus, d.parent))
        assert all(q in d.text for q in quotes)
    assert 0.05 < statistics.mean(overlaps) < 0.3


def test_aggregates_embed_several_stories_on_long_lines(corpus: Corpus) -> None:
    by_id = {d.id: d for d in corpus.documents}
    aggregates = [d for d in corpus.documents if d.kind == "aggregate"]
    assert aggregates
    for d in aggregates:
        assert 2 <= len(d.stories) <= 4 and len(set(d.stories)) == len(d.stories)
        assert d.parent is None
        assert "[1]" in d.text and "[2]" in d.text
        assert max(len(line) for line in d.text.splitlines()) > 1000
        for sid in d.stories:  # each embedded story is one of its real docs, title and all
            members = [by_id[i] for i in corpus.stories()[sid] if by_id[i].kind != "aggregate"]
            assert any(m.title in d.text and corpus.body(m.id)[-1] in d.text for m in members)


def test_true_pairs_agree_with_stories(corpus: Corpus) -> None:
    stories = corpus.stories()
    assert all(len(ids) >= 2 for ids in stories.values())
    expected = {frozenset(p) for ids in stories.values() for p in combinations(ids, 2)}
    assert corpus.true_pairs() == expected
    story_sets = {d.id: set(d.stories) for d in corpus.documents}
    assert all(story_sets[a] & story_sets[b] for a, b in corpus.true_pairs())


def test_boilerplate_recurs_across_sites(corpus: Corpus) -> None:
    copies = [d for d in corpus.documents if d.kind not in ("origin", "aggregate")]
    assert all("© 2026 " in d.text and "All rights reserved." in d.text for d in copies)
    assert sum("appeared on" in d.text for d in copies) > len(copies) / 5
    assert len({d.site for d in corpus.documents}) >= 30


@pytest.mark.parametrize("fmt", ["jsonl", "txt"])
def test_write_corpus(tmp_path: Path, fmt: str) -> None:
    small = generate(40, seed=1)
    write_corpus(small, tmp_path, fmt)
    truth = json.loads((tmp_path / "truth.json").read_text(encoding="utf-8"))
    assert [t["id"] for t in truth["documents"]] == [d.id for d in small.documents]
    assert all("text" not in t for t in truth["documents"])
    if fmt == "jsonl":
        lines = (tmp_path / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
        recs = [json.loads(line) for line in lines]
        assert [r["text"] for r in recs] == [d.text for d in small.documents]
        assert set(recs[0]) == {"id", "text", "url", "title", "published", "site"}
    else:
        for d in small.documents:
            assert (tmp_path / f"{d.id}.txt").read_text(encoding="utf-8") == d.text


def test_cli_writes_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--articles", "25", "--seed", "2", "--out", str(tmp_path)]) == 0
    assert len((tmp_path / "corpus.jsonl").read_text(encoding="utf-8").splitlines()) == 25
    assert "docs/s" in capsys.readouterr().err
