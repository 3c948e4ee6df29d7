"""The synthetic corpus must be reproducible and its ground truth must match its text,
otherwise benchmark scores measure the generator instead of the deduplicator."""

from __future__ import annotations

import collections
import json
import re
import statistics
from datetime import datetime
from itertools import combinations
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from benchmarks.corpus import KINDS, Corpus, CorpusConfig, generate, main, write_corpus
from newsdedup.ingest import iter_documents
from newsdedup.records import Document

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
    first = generate(150, seed=3).documents  # made once for both comparisons
    assert first == generate(150, seed=3).documents
    assert first != generate(150, seed=4).documents


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


@pytest.mark.parametrize("fmt", ["jsonl", "txt", "mixed"])
def test_write_corpus(tmp_path: Path, fmt: str) -> None:
    small = generate(40, seed=1)
    ids = write_corpus(small, tmp_path, fmt)
    truth = json.loads((tmp_path / "truth.json").read_text(encoding="utf-8"))
    assert [t["id"] for t in truth["documents"]] == [d.id for d in small.documents]
    assert all("text" not in t for t in truth["documents"])
    assert [t["acceptable_parents"] for t in truth["documents"]] == [
        list(small.acceptable_parents(d.id)) for d in small.documents
    ]
    assert sorted(ids.values()) == sorted(d.id for d in small.documents)
    if fmt == "jsonl":
        lines = (tmp_path / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
        recs = [json.loads(line) for line in lines]
        assert [r["text"] for r in recs] == [d.text for d in small.documents]
        assert set(recs[0]) == {"id", "text", "url", "title", "published", "site"}
    elif fmt == "txt":
        for d in small.documents:
            assert (tmp_path / f"{d.id}.txt").read_text(encoding="utf-8") == d.text
    else:  # the scanner's ids are the files truth.json names
        assert {t["file"]: t["id"] for t in truth["documents"]} == ids
        read = list(iter_documents([str(tmp_path / "corpus")]))
        assert all(isinstance(doc, Document) for doc in read)
        assert sorted(doc.id for doc in read) == sorted(ids)
        assert all(re.fullmatch(r"[0-9a-f]{16}\.(html|txt)", name) for name in ids)  # no hints


def test_mixed_format_is_reproducible(tmp_path: Path) -> None:
    for name in ("a", "b"):
        write_corpus(generate(60, seed=5), tmp_path / name)
    files = sorted(p.name for p in (tmp_path / "a" / "corpus").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "b" / "corpus").iterdir())
    for name in files:
        assert (tmp_path / "a" / "corpus" / name).read_bytes() == (
            tmp_path / "b" / "corpus" / name
        ).read_bytes()


@pytest.fixture(scope="module")
def pages(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Doc id -> its file's content in the "mixed" format."""
    root = tmp_path_factory.mktemp("mixed")
    ids = write_corpus(corpus, root)
    return {ids[p.name]: p.read_text(encoding="utf-8") for p in (root / "corpus").iterdir()}


def test_html_pages_carry_their_metadata_and_article(corpus: Corpus, pages: dict[str, str]) -> None:
    html_docs = [d for d in corpus.documents if d.fmt == "html"]
    assert 0.3 < len(html_docs) / len(corpus.documents) < 0.7
    for d in html_docs:
        tree = LexborHTMLParser(pages[d.id])
        meta = {
            node.attributes.get("property"): node.attributes.get("content")
            for node in tree.css("meta[property]")
        }
        assert meta["og:title"] == d.title
        assert meta["og:url"] == d.url
        assert meta["og:site_name"] and meta["og:site_name"] != d.site  # a name, not the key
        canonical = tree.css_first('link[rel="canonical"]')
        assert canonical is not None and canonical.attributes.get("href") == d.url
        assert meta.get("article:published_time") == d.published
        assert tree.css_first("nav") is not None and tree.css_first("footer") is not None
        heading = tree.css_first("article h1")
        assert heading is not None and heading.text() == d.title
        shown = [p.text() for p in tree.css("article p")]
        body = corpus.body(d.id)
        if d.kind == "aggregate":  # items: number, headline (<h2>), text
            body = tuple(line.split("\n", 2)[2] for line in body)
            shown = [t for t in shown if not re.fullmatch(r"\[\d+\]", t)]
        at = shown.index(body[0])
        assert shown[at : at + len(body)] == list(body)


_DAY_FORMS = ("%Y-%m-%d", "%B %-d, %Y", "%-d %B %Y", "%B %d, %Y", "%Y/%m/%d", "%Y%m%d")


def test_text_captures_show_the_shown_date_under_the_headline(
    corpus: Corpus, pages: dict[str, str]
) -> None:
    shapes = set()
    for d in corpus.documents:
        if d.fmt != "txt":
            continue
        blocks = pages[d.id].split("\n\n")
        assert blocks[0] == d.title
        assert blocks[-1] == d.text.split("\n\n")[-1]
        page = d.text.split("\n\n")[1 if d.kind == "origin" else 0]
        if d.published is None:  # no date line: the page's text follows the headline
            assert blocks[1] == page
            continue
        assert blocks[2] == page
        when = datetime.fromisoformat(d.published)
        line = blocks[1]
        assert str(when.year) in line and str(when.day) in line, line
        assert (
            when.strftime("%B") in line
            or when.strftime("%b") in line
            or (f"{when:%Y-%m-%d}" in line)
        ), line
        shape = re.sub(r"\d+", "0", re.sub(r"^By [A-Z]\w+ [A-Z]\w+", "By X", line))
        shapes.add(re.sub(r"[A-Z][a-z]+day|[A-Z][a-z]+", "W", shape))
    assert len(shapes) >= 6, shapes


def test_pages_never_show_the_true_date_instead_of_the_shown_one(
    corpus: Corpus, pages: dict[str, str]
) -> None:
    hidden = 0
    for d in corpus.documents:
        true = datetime.fromisoformat(d.time)
        shown = datetime.fromisoformat(d.published) if d.published else None
        assert shown is None or shown <= true  # wrong dates are earlier than the truth
        if shown is not None and shown.date() == true.date():
            continue
        hidden += 1
        for form in _DAY_FORMS:
            assert true.strftime(form) not in pages[d.id], (d.id, form)
    assert hidden > 50


def test_agency_origins_are_a_mix_of_captures(corpus: Corpus) -> None:
    origins = collections.Counter(
        (d.fmt, d.published is not None) for d in corpus.documents if d.kind == "origin"
    )
    assert origins[("html", True)] > origins[("txt", False)] > 0
    assert origins[("txt", True)] > origins[("txt", False)]
    assert not origins[("html", False)]


def test_acceptable_parents(corpus: Corpus) -> None:
    by_id = {d.id: d for d in corpus.documents}
    assert all(corpus.acceptable_parents(d.id) == () for d in corpus.documents if not d.parent)
    more = 0
    for d in corpus.documents:
        if d.parent is None:
            continue
        accepted = corpus.acceptable_parents(d.id)
        assert accepted[0] == d.parent and len(set(accepted)) == len(accepted)
        assert by_id[d.parent].time < d.time
        # every paragraph the copy took over unchanged is held by each acceptable parent
        same = set(corpus.body(d.id)) & set(corpus.body(d.parent))
        for other in accepted[1:]:
            m = by_id[other]
            assert m.stories == d.stories and m.time < d.time and other != d.id
            assert same <= set(corpus.body(other)), (d.id, other)
        # an earlier member with the parent's very text is as good a parent
        twins = [
            m.id
            for m in corpus.documents
            if m.stories == d.stories
            and m.id not in (d.id, d.parent)
            and m.time < d.time
            and corpus.body(m.id) == corpus.body(d.parent)
        ]
        if d.kind in ("verbatim", "excerpt", "reorder"):
            assert set(twins) <= set(accepted), (d.id, twins, accepted)
        more += len(accepted) > 1
    assert more > 50


def test_cli_writes_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--articles", "25", "--seed", "2", "--out", str(tmp_path)]) == 0
    assert len((tmp_path / "corpus.jsonl").read_text(encoding="utf-8").splitlines()) == 25
    assert "docs/s" in capsys.readouterr().err
