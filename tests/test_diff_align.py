"""The diff's fast paths against what they stand for: the rapidfuzz bound against difflib,
the cached plain-sentence reader against the general one, the headline lookup against its
definition."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz.distance import LCSseq

from newsdedup.diff import (
    MIN_RATIO,
    _above_body,
    _bare,
    _chunks,
    _furniture,
    _opcodes,
    _Sentence,
    _Side,
    _signs_end_runs,
    _units,
    _within_reach,
    _Words,
)

_WORDS = st.lists(st.sampled_from(["a", "b", "c", "d", "e", "f"]), max_size=12)


@given(_WORDS, _WORDS)
def test_the_subsequence_bound_is_never_below_what_difflib_matches(
    a: list[str], b: list[str]
) -> None:
    """SequenceMatcher's matching blocks are a common subsequence, so their words never
    exceed the longest common subsequence that rapidfuzz counts over the keys' hashes."""
    matched = sum(m.size for m in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
    assert matched <= LCSseq.similarity(tuple(a), tuple(b))


def _sentences(word_lists: list[list[str]]) -> list[_Sentence]:
    return [_Sentence(0, 0, 0, 0, 0, False, _Words(tuple(w), (), ())) for w in word_lists]


@given(st.lists(_WORDS.filter(bool), max_size=8), st.lists(_WORDS.filter(bool), max_size=8))
def test_the_pairs_within_reach_are_every_pair_difflib_accepts(
    child_words: list[list[str]], parent_words: list[list[str]]
) -> None:
    """All pairs are tried below `_ALL_PAIRS`: the bound drops none that reaches `MIN_RATIO`
    (and passes only pairs whose subsequence bound reaches it)."""
    child, parent = _sentences(child_words), _sentences(parent_words)
    cu, pu = list(range(len(child))), list(range(len(parent)))
    rel = {i: 0.0 for i in range(8)}
    reach = _within_reach(child, parent, cu, pu, rel, rel)
    passed = {(i, j) for j, cis in reach.items() for i in cis}
    for i, a in enumerate(child_words):
        for j, b in enumerate(parent_words):
            if SequenceMatcher(None, a, b, autojunk=False).ratio() >= MIN_RATIO:
                assert (i, j) in passed
            bound = 2 * LCSseq.similarity(tuple(a), tuple(b)) / (len(a) + len(b))
            assert ((i, j) in passed) == (bound >= MIN_RATIO)


@given(_WORDS, _WORDS)
def test_opcodes_are_difflibs(a: list[str], b: list[str]) -> None:
    assert list(_opcodes(a, b)) == SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    assert list(_opcodes(a, list(a))) == SequenceMatcher(None, a, a, autojunk=False).get_opcodes()


_PIECES = st.sampled_from(
    ["5", "3.5", "%", " ", "  ", "\n", "\u00a0", "\u2003", "per cent", "pct", "x", "ab", "The",
     "-", "--", "“", "”", '"', "$", "U.S.", "é", "5%", "5%-", "5%.", "percent", "PER CENT",
     "Pct", "10,5", ".", ","]
)  # fmt: skip


@given(st.lists(_PIECES, max_size=30).map("".join))
def test_a_plain_sentence_is_read_as_the_general_reader_reads_it(sentence: str) -> None:
    """`_bare` (str.split for a plain sentence, cached by text) gives the words, keys, bounds
    and flags that the general reader (`_chunks` over `_units` spans) gives."""
    if not sentence.strip():
        return
    expected = tuple(
        (spans[0][0], spans[-1][1], _Words(keys, raws, (False,) * len(keys)))
        for spans, keys, raws in _chunks(sentence, 0, len(sentence))
    )
    assert _bare(sentence) == expected
    spans = _units(sentence, 0, len(sentence))
    if len(expected) == 1 and expected[0][2].keys:
        assert expected[0][:2] == (spans[0][0], spans[-1][1])


@given(st.lists(_PIECES, max_size=30).map("".join))
def test_a_sentence_whose_signs_end_their_runs_has_the_runs_for_words(sentence: str) -> None:
    """`_signs_end_runs` sends a sentence with percent signs down the `str.split` path: only
    when each word `_units` reads is a whitespace run ("5%-owned", "5 %", "5%." are not)."""
    if _signs_end_runs(sentence):
        runs = [m.span() for m in re.finditer(r"\S+", sentence)]
        assert _units(sentence, 0, len(sentence)) == runs
        assert [sentence[a:b] for a, b in runs] == sentence.split()


def test_the_percent_sentences_most_copies_hold_take_the_split_path() -> None:
    assert _signs_end_runs("Exports rose 5.2% in May and 3% in June")
    assert _signs_end_runs("no figure has a sign: 5 percentage points")
    for sentence in ("rose 5%.", "rose 5 %", "a 5%-owned unit", "rose 5 per cent", "5%,"):
        assert not _signs_end_runs(sentence)


@given(
    st.lists(st.tuples(st.integers(0, 60), st.integers(1, 20)), max_size=5),
    st.lists(st.integers(0, 80), min_size=1, max_size=10),
)
def test_the_body_starts_below_every_headline_span(
    heads: list[tuple[int, int]], starts: list[int]
) -> None:
    """The first aligned sentence that no headline holds, found by bisection over the sorted
    headlines and their furthest reach, is the one the plain definition finds."""
    headlines = sorted((a, a + n, (f"h{a}",), f"line {a}") for a, n in heads)
    words = _Words(("w",), ("w",), (False,))
    sentences = [_Sentence(0, s, s + 1, 0, 0, False, words) for s in starts]
    side = _Side([], sentences, headlines=headlines)
    assert _above_body(side, list(range(len(sentences)))) == _plain_above_body(headlines, starts)


def _plain_above_body(
    headlines: list[tuple[int, int, tuple[str, ...], str]], starts: list[int]
) -> list[tuple[tuple[str, ...], str]]:
    """The definition: up to three headlines above the first sentence no headline holds."""
    body = [s for s in starts if not any(a <= s < b for a, b, _, _ in headlines)]
    if not body:
        return [(k, t) for _, _, k, t in headlines[:1]]
    return [(k, t) for a, _, k, t in headlines if a < min(body)][-3:]


_LINES = st.sampled_from(
    ["Markets rally", "Home | News | Sport", "Sept 23, 2005 02:01 GMT", "Rates fall again",
     "World | Business | Tech", "Jan 5, 2024", "Shares slide"]
)  # fmt: skip


@given(
    st.lists(st.tuples(st.integers(0, 60), st.integers(1, 20), _LINES), max_size=6),
    st.lists(st.integers(0, 80), min_size=1, max_size=10),
)
def test_furniture_is_read_only_where_it_decides_but_decides_as_before(
    heads: list[tuple[int, int, str]], starts: list[int]
) -> None:
    """Candidates that are furniture (menus, date lines) are no headlines: `_above_body`,
    which asks only of the candidates it needs, gives what the definition gives over the
    headlines left once every candidate is asked."""
    candidates = sorted((a, a + n, (f"h{a}",), line) for a, n, line in heads)
    words = _Words(("w",), ("w",), (False,))
    sentences = [_Sentence(0, s, s + 1, 0, 0, False, words) for s in starts]
    side = _Side([], sentences, headlines=candidates)
    headlines = [h for h in candidates if not _furniture(h[3])]
    assert _above_body(side, list(range(len(sentences)))) == _plain_above_body(headlines, starts)
