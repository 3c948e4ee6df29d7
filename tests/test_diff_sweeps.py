"""The diff's sweeps against the scans they replace: sentences placed on the windows of a long
line, quotations found per aligned group, and the subsequence bound over word keys (rapidfuzz
reading them as hashes) on words longer than a letter, on both of `_within_reach`'s paths."""

from __future__ import annotations

import random
from difflib import SequenceMatcher

from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz.distance import LCSseq

from newsdedup.diff import (
    MIN_RATIO,
    _build,
    _candidates,
    _placed,
    _placed_each,
    _Sentence,
    _Side,
    _toucher,
    _touching,
    _within_reach,
    _Words,
)
from newsdedup.records import Segment

_SPANS = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 30)), min_size=1, max_size=8)


def _segments(spans: list[tuple[int, int]]) -> list[Segment]:
    """Windows in start order, as `_pieces` keeps a piece's segments; indexes in any order."""
    ordered = sorted(spans)
    return [
        Segment("d", (n * 7) % len(ordered), a, a + w, "x" * w, 0)
        for n, (a, w) in enumerate(ordered)
    ]


@given(_SPANS, st.lists(st.integers(0, 12), max_size=12), st.sets(st.integers(0, 8)))
def test_sentences_are_placed_on_windows_as_a_scan_of_every_window_places_them(
    spans: list[tuple[int, int]], steps: list[int], boilerplate: set[int]
) -> None:
    segments = _segments(spans)
    rows, at = [], 0
    for step in steps:  # ascending sentences, some empty, some touching no window
        rows.append((at, at + step))
        at += step + step % 3
    chrome = frozenset(boilerplate)
    expected = [_placed_each(segments, a, b, chrome) for a, b in rows]
    assert _placed(segments, rows, chrome) == expected
    # rows that do not ascend are placed one by one, as before
    assert _placed(segments, rows[::-1], chrome) == expected[::-1]


@given(
    st.lists(st.tuples(st.integers(0, 40), st.integers(1, 12)), max_size=6),
    st.lists(st.tuples(st.integers(0, 90), st.integers(0, 15)), min_size=1, max_size=8),
    st.data(),
)
def test_the_quotations_a_group_touches_are_found_as_a_scan_finds_them(
    quotes: list[tuple[int, int]], sentences: list[tuple[int, int]], data: st.DataObject
) -> None:
    spans, at = [], 0
    for gap, width in quotes:  # a side's quotations: in order, none overlapping
        spans.append((at + gap, at + gap + width, "q"))
        at += gap + width
    words = _Words(("w",), ("w",), (False,))
    side = _Side([], [_Sentence(0, a, a + n, 0, 0, False, words) for a, n in sentences], [])
    ids = data.draw(st.lists(st.integers(0, len(sentences) - 1), min_size=1, max_size=4))
    for quoted in (spans, spans[::-1]):  # out of order: scanned as before
        side.quotes = quoted
        assert _toucher(side)(ids) == _touching(side, ids)


_KEYS = st.sampled_from(["a", "bb", "the", "said", "5%", "rose", "x", "market", "3.5"])


def _sentences(word_lists: list[list[str]]) -> list[_Sentence]:
    return [_Sentence(0, 0, 0, 0, 0, False, _Words(tuple(w), (), ())) for w in word_lists]


@given(
    st.lists(st.lists(_KEYS, min_size=1, max_size=10), max_size=8),
    st.lists(st.lists(_KEYS, min_size=1, max_size=10), max_size=8),
)
def test_every_pair_difflib_accepts_is_within_reach_on_words_of_any_length(
    child_words: list[list[str]], parent_words: list[list[str]]
) -> None:
    child, parent = _sentences(child_words), _sentences(parent_words)
    rel = {i: 0.0 for i in range(8)}
    reach = _within_reach(
        child, parent, list(range(len(child))), list(range(len(parent))), rel, rel
    )
    passed = {(i, j) for j, cis in reach.items() for i in cis}
    for i, a in enumerate(child_words):
        for j, b in enumerate(parent_words):
            if SequenceMatcher(None, a, b, autojunk=False).ratio() >= MIN_RATIO:
                assert (i, j) in passed


def test_past_all_pairs_the_candidates_are_bounded_as_all_pairs_are() -> None:
    """Past `_ALL_PAIRS` pairs, the candidates' pairs are bounded one by one: every candidate
    pair difflib accepts passes, and only those whose subsequence bound reaches the ratio."""
    rng = random.Random(7)
    vocabulary = [f"w{n}" for n in range(40)] + ["the", "a", "said"]
    base = [[rng.choice(vocabulary) for _ in range(rng.randint(3, 12))] for _ in range(70)]
    edited = [[*s[:-2], "rose", "sharply"] if n % 3 else s for n, s in enumerate(base)]
    child, parent = _sentences(edited), _sentences(base)
    cu, pu = list(range(len(child))), list(range(len(parent)))
    rel = {i: i / len(cu) for i in cu}
    reach = _within_reach(child, parent, cu, pu, rel, rel)
    passed = {(i, j) for j, cis in reach.items() for i in cis}
    tried = {(i, j) for j, cis in _candidates(child, parent, cu, pu, rel, rel).items() for i in cis}
    assert passed <= tried and passed
    for i, j in tried:
        a, b = edited[i], base[j]
        bound = 2 * LCSseq.similarity(tuple(a), tuple(b)) / (len(a) + len(b))
        assert ((i, j) in passed) == (bound >= MIN_RATIO)
        if SequenceMatcher(None, a, b, autojunk=False).ratio() >= MIN_RATIO:
            assert (i, j) in passed


@given(
    st.lists(st.tuples(st.integers(0, 3), st.integers(1, 4)), min_size=1, max_size=6),
    st.sets(st.integers(0, 6)),
)
def test_a_side_places_each_sentence_as_a_scan_of_its_pieces_windows_does(
    layout: list[tuple[int, int]], boilerplate: set[int]
) -> None:
    """Every sentence of a built side (one-window pieces, chrome or not, and the overlapping
    windows of one line) carries the segment and chrome flag the plain scan gives it."""
    sentences = [f"Word{n} and more words here." for n in range(12)]
    segments, index = [], 0
    for block, (first, count) in enumerate(layout):
        line = " ".join(sentences)  # one line per block, cut into overlapping windows
        starts = [0, *(line.find(s) for s in sentences[1:])]
        offset = block * 1000
        for k in range(first, min(first + count, len(sentences))):
            a = starts[k]
            b = starts[min(k + 2, len(sentences) - 1)] - 1 if k + 2 < len(sentences) else len(line)
            segments.append(Segment("d", index, offset + a, offset + b, line[a:b], block))
            index += 1
    chrome = frozenset(boilerplate)
    side = _build(tuple(segments), chrome)
    for s in side.sentences:
        piece = side.pieces[s.piece]
        assert (s.segment, s.boiler) == _placed_each(piece.segments, s.start, s.end, chrome)
