"""The diff's piece reader, fast paths against the plain definitions they replace: the
percent-sign pre-test, sentence bounds decided in the regex engine, both quotation readings in
one pass, a sentence read on its own as in place, and the word-key memo."""

from __future__ import annotations

import itertools
import re

from hypothesis import given
from hypothesis import strategies as st

from newsdedup.diff import (
    _PERCENT_SIGN,
    _bare,
    _chunks,
    _key,
    _mark_role,
    _Memo,
    _percent_sign,
    _quotations,
    _sentence_bounds,
    _Words,
)
from newsdedup.segment import ABBREVIATION, SENTENCE_END

# characters a case-blind pattern may match beside the literal (Kelvin sign, long s, dotted I)
_ODD = ["K", "ſ", "İ", "ı", "ß", "\u00a0", "\u2003"]
_PIECES = st.sampled_from(
    ["5", "3.5", "%", " ", "\n", "per", "PER", "Per", "cent", "CENT", "pct", "PCT", "p", "ct",
     "x", "The", ".", "?", "!", "…", "”", "“", '"', "'", ")", "(", "Mr.", "Dr", "U.S.", "a.",
     "Jan.", "Sept.", "Inc.", "A", "B", "9", "said", "--", "$", " Mr. Lin", " U.S. Army",
     " a. B", " Jan. 5", ". The", "?” He", "!) A", "… 9", *_ODD]
)  # fmt: skip
_TEXTS = st.lists(_PIECES, max_size=40).map("".join)


@given(_TEXTS)
def test_the_percent_pretest_is_the_pattern(text: str) -> None:
    assert _percent_sign(text) == (_PERCENT_SIGN.search(text) is not None)


def _bounds_by_definition(text: str) -> list[tuple[int, int]]:
    """Every SENTENCE_END that no ABBREVIATION ends, as the diff read them before."""
    cuts = [0]
    for m in SENTENCE_END.finditer(text):
        if not ABBREVIATION.search(text, max(0, m.start() - 12), m.end()):
            cuts.append(m.end())
    cuts.append(len(text))
    return [(a, b) for a, b in itertools.pairwise(cuts) if text[a:b].strip()]


@given(_TEXTS)
def test_sentence_bounds_are_the_plain_definitions(text: str) -> None:
    assert _sentence_bounds(text) == _bounds_by_definition(text)


def _quote_spans_by_definition(text: str, marks: bool) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    for m in re.finditer(r"[“”\"]", text):
        role = _mark_role(text, m.start())
        if role == "open" or (role == "either" and opened is None):
            opened = m.start() if marks else m.end()
        elif opened is not None:
            spans.append((opened, m.end() if marks else m.start()))
            opened = None
    if opened is not None:
        spans.append((opened, len(text)))
    return spans


@given(_TEXTS)
def test_both_quotation_readings_come_from_one_pass(text: str) -> None:
    assert _quotations(text) == (
        _quote_spans_by_definition(text, True),
        _quote_spans_by_definition(text, False),
    )


@given(_TEXTS, _TEXTS, _TEXTS)
def test_a_sentence_reads_the_same_on_its_own_as_in_place(
    before: str, sentence: str, after: str
) -> None:
    """`_bare` reads (and caches) a sentence cut out of its piece: the rows must be those the
    general reader gives in place, whatever stands before or after it."""
    if not sentence.strip():
        return
    text, a = before + sentence + after, len(before)
    b = a + len(sentence)
    in_place = tuple(
        (spans[0][0] - a, spans[-1][1] - a, _Words(keys, raws, (False,) * len(keys)))
        for spans, keys, raws in _chunks(text, a, b)
    )
    assert _bare(sentence) == in_place


def test_the_key_memo_gives_the_keys_and_stays_bounded() -> None:
    memo = _Memo(_key, kept=3)
    words = ["Organisation's", "5 per cent", "--", "U.S.", "September", "Organisation's"]
    assert list(map(memo.__getitem__, words)) == list(map(_key, words))
    assert len(memo) <= 3
