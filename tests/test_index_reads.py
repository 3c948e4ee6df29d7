"""What a query reads from the archive index (issues 19 and 20): the documents and bucket
members its own passages lead to, never the archive behind a common template passage.

A small SQLite index holds 120 unrelated pages that all end with the same footer (template
text: one passage with 120 holders) and two pages of one story. A page of today that copies
the story and carries the footer must reach the story's pages and a few of the footer's
holders: if a lookup followed every holder of a passage, or every member of a large bucket,
the counts below would be the archive's.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from helpers import near_members

from newsdedup.check.references import COMMON, MIN_SHARED, WITNESSES
from newsdedup.pipeline import ScanOptions
from newsdedup.records import Document
from newsdedup.store.archive import CAP, Reach, add, open_store
from newsdedup.store.base import band_keys_of

PAGES = 120


def _words(rng: random.Random, n: int) -> str:
    """Text no other page shares: words made of random letters."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return " ".join(
        "".join(rng.choice(letters) for _ in range(rng.randint(3, 9))) for _ in range(n)
    )


def _members(rows: list[list[list[int]]]) -> int:
    return sum(len(members) for row in rows for members in row)


def _paragraphs(rng: random.Random, count: int) -> list[str]:
    return [_words(rng, 45).capitalize() + "." for _ in range(count)]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[str], Document]:
    rng = random.Random(19)
    story = _paragraphs(rng, 4)
    (footer,) = _paragraphs(rng, 1)  # a template paragraph: no chrome cue, so it is matched
    docs = [
        Document(id=f"page-{k:03d}", text="\n\n".join([*_paragraphs(rng, 3), footer]))
        for k in range(PAGES)
    ]
    docs += [
        Document(id=f"story-{k}", text="\n\n".join([*story, *_paragraphs(rng, 2)]))
        for k in range(2)
    ]
    # pages sharing a third of the footer's words: members of some of its buckets, most
    # sharing two or more bands with it, some only one (what a large bucket is made of)
    half = footer.split()[:15]
    docs += [
        Document(id=f"part-{k:02d}", text=" ".join([*half, *_words(rng, 30).split()]) + ".")
        for k in range(40)
    ]
    location = str(tmp_path_factory.mktemp("reads") / "archive.db")
    store = open_store(location, create=True)
    add(store, docs, ScanOptions())
    store.close()
    today = Document(id="today", text="\n\n".join([*_paragraphs(rng, 2), *story[:3], footer]))
    return location, [d.id for d in docs], today


def test_a_check_reads_the_story_and_a_few_witnesses_of_the_template(
    archive: tuple[str, list[str], Document],
) -> None:
    location, _, today = archive
    store = open_store(location)
    found = [
        d.id for d in Reach(store, ScanOptions()).copies([today], COMMON, WITNESSES, MIN_SHARED)
    ]
    store.close()
    # both copies of the story; of the footer's 120 holders, only the first few
    assert [i for i in found if i.startswith("story")] == ["story-0", "story-1"]
    assert [i for i in found if i.startswith("page")] == [f"page-{k:03d}" for k in range(WITNESSES)]


def test_a_scan_against_the_index_loads_a_bounded_share_of_a_template_s_holders(
    archive: tuple[str, list[str], Document],
) -> None:
    location, ids, today = archive
    store = open_store(location)
    reach = Reach(store, ScanOptions())
    found = {d.id for d in reach.related([today])}
    store.close()
    assert {"story-0", "story-1"} <= found
    # the footer's first CAP holders let the scan see it recur (and call it boilerplate);
    # the other pages of the archive are never read
    assert len({i for i in found if i.startswith("page")}) <= CAP < PAGES
    assert len(found) < len(ids) / 4


def test_buckets_hand_back_a_large_bucket_s_near_copies_only(
    archive: tuple[str, list[str], Document],
) -> None:
    """`Store.buckets` with a cap equals `near_members` of the raw buckets: every member of a
    bucket of at most `cap` passages, and of a larger one only the passages the segment
    meets in two or more of its buckets."""
    location, _, today = archive
    store = open_store(location)
    reach = Reach(store, ScanOptions())
    reach._fingerprint([today])
    prints = reach._prints[today.id]
    bands = prints.bands[prints.matchable]
    params = store.parameters()
    assert params is not None
    keys = band_keys_of(bands, params).view(np.int64)
    con = store._con  # type: ignore[attr-defined]
    raw = [
        [
            members
            for key in row
            if (
                members := [
                    p
                    for (p,) in con.execute(
                        "SELECT passage FROM bands WHERE key = ? ORDER BY passage", (key,)
                    )
                ]
            )
        ]
        for row in keys.T.tolist()
    ]
    for cap in (0, 1, CAP):
        kept = store.buckets(bands, cap)
        assert kept == [near_members(row, cap) for row in raw]
        if cap < CAP:  # members were left out
            assert _members(kept) < _members(raw)
    store.close()
    assert near_members([[1, 2, 3], [3, 4], [5]], 1) == [[3], [3], [5]]
    assert near_members([[1, 2, 3], [3, 4], [5]], 2) == [[3], [3, 4], [5]]
    assert near_members([[1, 2, 3], [3, 4], [5]], 0) == [[3], [3]]


def test_holders_are_each_passage_s_first_holders_in_one_read(
    archive: tuple[str, list[str], Document],
) -> None:
    """`SqliteStore.holders` reads every passage in one statement, each passage's range of
    holders cut at its `limit`-th: the same holders, in the same order, as one query per
    passage, and never more than `limit` of the footer's 120."""
    location, _, _ = archive
    store = open_store(location)
    con = store._con  # type: ignore[attr-defined]
    passages = [p for (p,) in con.execute("SELECT DISTINCT passage FROM passages")]
    names = dict(con.execute("SELECT num, id FROM documents").fetchall())
    for limit in (1, 5, CAP, PAGES + 10):
        expected = {}
        for p in passages:
            docs = con.execute(
                "SELECT doc FROM passages WHERE passage = ? ORDER BY doc LIMIT ?", (p, limit)
            ).fetchall()
            expected[p] = [(n, names[n]) for (n,) in docs]
        found = store.holders([*passages, 12345], limit)
        assert found == expected
        assert max(len(docs) for docs in found.values()) == min(limit, PAGES)
    assert store.holders(passages, 0) == {}
    store.close()
