"""The diff's sequence matcher (cydifflib's, compiled) against the standard library's difflib,
whose matches the diffs were defined by: the same opcodes, matching blocks and ratios on
word lists, whatever the repeats and ties, so every diff is the same, byte for byte."""

from __future__ import annotations

import difflib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdedup import diff

# Few distinct words: many repeats, so many ties between equally long matching blocks,
# where a port that broke ties otherwise would show it.
_WORDS = st.lists(st.sampled_from(["a", "b", "c", "d", "é", "5%"]), max_size=40)


@given(_WORDS, _WORDS, st.booleans())
def test_the_diffs_matcher_matches_as_difflib_does(
    a: list[str], b: list[str], tuples: bool
) -> None:
    """One matcher per pair, as `_opcodes`, `_matched`, `_ratio` and `_quote_notes` use it."""
    x, y = (tuple(a), tuple(b)) if tuples else (a, b)
    ours = diff.SequenceMatcher(None, x, y, autojunk=False)
    theirs = difflib.SequenceMatcher(None, x, y, autojunk=False)
    assert ours.get_opcodes() == theirs.get_opcodes()
    assert list(map(tuple, ours.get_matching_blocks())) == list(
        map(tuple, theirs.get_matching_blocks())
    )
    assert ours.ratio() == theirs.ratio()
    assert diff._opcodes(a, b) == theirs.get_opcodes()
    assert diff._matched(a, b) == sum(m.size for m in theirs.get_matching_blocks())


@given(_WORDS, st.lists(_WORDS, max_size=4))
def test_a_matcher_reused_for_one_parent_sentence_rates_as_difflib_does(
    parent: list[str], children: list[list[str]]
) -> None:
    """`_align` indexes a parent sentence once (`set_seq2`) and rates each child sentence
    against it (`set_seq1`): the ratios must not depend on what the matcher saw before."""
    ours = diff.SequenceMatcher(None, autojunk=False)
    ours.set_seq2(tuple(parent))
    for child in children:
        ours.set_seq1(tuple(child))
        theirs = difflib.SequenceMatcher(None, tuple(child), tuple(parent), autojunk=False)
        assert ours.ratio() == theirs.ratio()


def test_long_sentences_with_popular_words_match_as_difflib_does() -> None:
    """Past 200 words difflib's `autojunk` would drop popular words: off in the diff, and a
    port must keep them too (a sentence chunk is at most `_MAX_SENTENCE_WORDS`, a quotation
    unit or a merged group longer)."""
    a = ("the", "rate", "the", "5%", "rose") * 45
    b = ("the", "rate", "fell", "the", "5%") * 42
    ours = diff.SequenceMatcher(None, a, b, autojunk=False)
    theirs = difflib.SequenceMatcher(None, a, b, autojunk=False)
    assert ours.get_opcodes() == theirs.get_opcodes()
    assert ours.ratio() == theirs.ratio()


# -- a sentence with keyless marks, read by `str.split` -----------------------------------

_TOKENS = st.sampled_from(
    ["word", "The", "5%", "3.5", "--", "-", "|", "🔥", "“", "”", '"', "•", "U.S.", "é"]
)
_FEW_MARKS = st.sampled_from(["word", "The", "5%", "3.5", "U.S.", "é", "said", "a"] * 2 + ["--"])
_SPACES = st.sampled_from([" ", "  ", "\n", "\u00a0", "\u2003 "])


@given(st.lists(st.tuples(_SPACES, _TOKENS), min_size=1, max_size=12), _SPACES)
def test_a_sentence_with_keyless_marks_is_read_as_the_general_reader_reads_it(
    words: list[tuple[str, str]], tail: str
) -> None:
    """`_bare` joins keyless marks ("--", "|", an emoji, a lone quotation mark) to a
    neighbour over `str.split`'s words: the same words, keys and bounds as `_chunks` (over
    `_units` spans, the marks joined in document offsets), a sentence of nothing but marks
    included."""
    _assert_read_as_chunks("".join(space + token for space, token in words) + tail)


# Long inputs by design: few examples, and no health check on their (wall-clock) draw time.
@settings(max_examples=10, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_SPACES, _FEW_MARKS), min_size=90, max_size=125))
def test_a_long_sentence_with_keyless_marks_is_cut_as_the_general_reader_cuts_it(
    words: list[tuple[str, str]],
) -> None:
    """About `_MAX_SENTENCE_WORDS` words (100), marks joined or not: the same chunks."""
    _assert_read_as_chunks("".join(space + token for space, token in words))


def _assert_read_as_chunks(sentence: str) -> None:
    expected = tuple(
        (spans[0][0], spans[-1][1], diff._Words(keys, raws, (False,) * len(keys)))
        for spans, keys, raws in diff._chunks(sentence, 0, len(sentence))
    )
    assert diff._bare.__wrapped__(sentence) == expected
