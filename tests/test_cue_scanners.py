"""The fast paths of provenance's cue patterns and shingle matrices equal the plain ones.

`cues.wire_credits` and `cues.attributions_in` try WIRE_CREDIT and ATTRIBUTION only where a
match can start; `source_matches` checks only the lines an ATTRIBUTION match can start on
for a cue; `after_dateline` returns early without a "(" near the start; `matrices._common`
trims its last block and `matrices._numbered` numbers values with one sort. Each is checked
here against the plain code it replaces, on random text built from the pieces the patterns
read (and the characters that case-blind matching treats apart), at random offsets.
"""

from __future__ import annotations

import re
import sys
from unittest import mock

import numpy as np
from helpers import set_ones
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdedup.provenance import cues, matrices
from newsdedup.provenance.cues import (
    ATTRIBUTION,
    ATTRIBUTION_CUES,
    DATELINE_GROUPS,
    DATELINE_PREFIX,
    WIRE_CREDIT,
    after_dateline,
    attribution_matches,
    attributions_in,
    credit_agency,
    credit_matches,
    lines_with,
    source_matches,
    wire_credits,
)

# Pieces of credits, datelines, sign-offs and source lines, their near misses, and
# characters that stress case folding, word boundaries and line ends.
_PIECES = [
    *("(Reuters)", "(AP)", "(AFP)", "(dpa/lnw)", "(EFE)", "(Xinhua)", "(Bloomberg)", "(PA)"),
    *("Reuters", "AP", "Associated Press", "PA Media", "Press Association", "Agencia EFE"),
    *(" - ", " -- ", "—", "–", "-", ".-", " ", "  ", "\n", "\n\n", "\t", "(", ")", ".", ",", ";"),
    *("Reporting by Jane Doe", "(Reporting by A; Editing by B)", "--With assistance from "),
    *("By Jane Doe, PA", "By John Smith Jones, Press Association", "By ", "新华社北京1月10日电"),
    *("LONDON, March 3 ", "BEIJING, Jan 10 ", "MADRID, 10 ene ", "Berlin "),
    *("Source: ", "Source : ", "Via: ", "Credit: ", "Originally published on ", "Originally "),
    *("first appeared on ", "FIRST PUBLISHED BY ", "firſt appeared on ", "Fİrst published in "),
    *("read the full story at ", "See the original article on ", "continue reading the "),
    *("read more of the whole report at ", "rest of the story on ", "full report at "),
    *("according to ", "According To a report by ", "as per ", "citing ", "cited by "),
    *("as reported by ", "selon l'AFP", "d’après l’agence ", "laut der ", "según la agencia "),
    *("Citıng ", "ſee the full story at ", "AccordİNG to ", "laut dpa", "dpa", "the "),
    *("example.com", "Global Newsdesk", "Market Pulse 24", "Reuters reported", "resources"),
    *("via", "Via", "VIA ", "originally", "credited", "sources say", "İ", "ı", "ſ", "K", "ß"),
    *("word", "Word", "a", "x1", "é", "É", "news", "story", "article"),
]
_texts = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


def _same(found: object, expected: object) -> None:
    """Two runs of matches are the same: spans, every group's span and value."""
    seen = [(m.span(), m.regs, m.groupdict()) for m in found]  # type: ignore[attr-defined]
    want = [(m.span(), m.regs, m.groupdict()) for m in expected]  # type: ignore[attr-defined]
    assert seen == want


@st.composite
def _spans(draw: st.DrawFn) -> tuple[str, int, int]:
    text = draw(_texts)
    pos = draw(st.integers(0, len(text)))
    return text, pos, draw(st.integers(pos, len(text)))


@settings(max_examples=120)
@given(_spans())
def test_wire_credits_are_the_patterns_matches(case: tuple[str, int, int]) -> None:
    text, pos, end = case
    _same(wire_credits(text, pos, end), WIRE_CREDIT.finditer(text, pos, end))
    _same(wire_credits(text), WIRE_CREDIT.finditer(text))


@settings(max_examples=120)
@given(_spans())
def test_attributions_in_are_the_patterns_matches(case: tuple[str, int, int]) -> None:
    text, pos, end = case
    _same(attributions_in(text, pos, end), ATTRIBUTION.finditer(text, pos, end))
    _same(attributions_in(text), ATTRIBUTION.finditer(text))


def _plain_source_matches(text: str) -> list[tuple[str, str]]:
    return [
        (key, value)
        for start, end in lines_with(text, ATTRIBUTION_CUES)
        for m in ATTRIBUTION.finditer(text, start, end)
        for key, value in m.groupdict().items()
        if value
    ]


def _plain_after_dateline(paragraph: str) -> str:
    for m in WIRE_CREDIT.finditer(paragraph[: DATELINE_PREFIX + 40]):
        group = next(g for g, v in m.groupdict().items() if v)
        if group in DATELINE_GROUPS and m.start() <= DATELINE_PREFIX:
            return paragraph[m.end() :].lstrip("-\u2013\u2014 ")
        break
    return paragraph


@settings(max_examples=120)
@given(_texts, st.integers(0, 100))
def test_the_readers_read_as_the_plain_patterns(text: str, pad: int) -> None:
    """`source_matches`, `after_dateline`, `credit_matches`, `attribution_matches` and
    `credit_agency` as written before their fast paths (a pad moves the dateline past and
    around `DATELINE_PREFIX`)."""
    assert source_matches(text) == _plain_source_matches(text)
    padded = "x" * pad + text
    assert after_dateline(padded) == _plain_after_dateline(padded)
    assert after_dateline(text) == _plain_after_dateline(text)
    words = re.search(cues._CREDIT_WORDS, text)
    _same(credit_matches(text), WIRE_CREDIT.finditer(text) if words else ())
    low = text.lower()
    cued = any(c in low for c in ATTRIBUTION_CUES)
    _same(attribution_matches(text), ATTRIBUTION.finditer(text) if cued else ())
    first = next((m for m in WIRE_CREDIT.finditer(text) if words), None)
    if first is None or "\n" in text:  # credit_agency reads lines around the credit words
        return
    group = next(g for g, v in first.groupdict().items() if v)
    assert credit_agency(text) == cues.GROUP_AGENCY[group]


def test_every_character_case_blind_matching_takes_for_an_openers_letter_folds_to_it() -> None:
    """`_folded` finds an opener wherever ATTRIBUTION's case-blind words can stand: every
    code point that IGNORECASE takes for one of the openers' letters lower-cases to that
    letter once `_FOLDS` is applied (ſ, ı and İ are the ones that do not by themselves)."""
    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    letters = sorted({c for opener in cues._ATTRIBUTION_OPENERS for c in opener if c.isalpha()})
    taken = set(re.findall(f"(?i)[{''.join(letters)}]", everything))  # one pass, then each
    for letter in letters:
        for c in taken:
            if re.fullmatch(f"(?i){letter}", c):
                assert c.translate(cues._FOLDS).lower() == letter, (letter, c)
    assert {"ſ", "ı", "İ"} <= taken  # the odd ones are among those checked
    assert cues._folded("İstanbul, FIRST") == "istanbul, first"


def test_openers_and_line_words_are_where_the_pattern_starts() -> None:
    """Each form of the patterns opens as the fast paths assume: hand-picked matches."""
    text = "LONDON, Jan 3 (Reuters) - Text.\nSource: Example News\n(Reporting by Jane Doe)"
    assert [m.group() for m in wire_credits(text)] == [
        m.group() for m in WIRE_CREDIT.finditer(text)
    ]
    assert len(list(wire_credits(text))) == 2
    assert source_matches(text) == [("line", "Example News")]
    spaced = "\n  \nSource:\n\nExample\nfirst appeared on Global Newsdesk"
    _same(attributions_in(spaced), ATTRIBUTION.finditer(spaced))
    assert source_matches(spaced) == _plain_source_matches(spaced)
    # openers too many to try one by one: the pattern's own scan
    dense = "LONDON (Reuters) - " + "(a)-" * 500 + "\n-- Reuters\n" + "read " * 500 + "citing AP"
    assert cues._offsets(dense, cues._CREDIT_OPENERS, 0, len(dense), cues._most(0, 99)) is None
    _same(wire_credits(dense), WIRE_CREDIT.finditer(dense))
    _same(attributions_in(dense), ATTRIBUTION.finditer(dense))
    assert len(list(wire_credits(dense))) == 2
    for pad in range(DATELINE_PREFIX - 2, DATELINE_PREFIX + 3):  # the credit at the limit
        paragraph = "x" * pad + "(Reuters) - Text"
        assert after_dateline(paragraph) == _plain_after_dateline(paragraph)
    assert after_dateline("x" * DATELINE_PREFIX + "(AP) - Text") == "Text"


@settings(max_examples=50)
@given(st.data(), st.integers(0, 30), st.integers(1, 9), st.booleans(), st.booleans())
def test_common_counts_the_shared_columns_in_any_blocks(
    data: st.DataObject, width: int, block: int, blas: bool, itself: bool
) -> None:
    """Block widths that divide the columns or leave a short last block, the integer and
    the BLAS products, a family with itself: the counts of the set arithmetic."""
    a = data.draw(set_ones(width, 6, 40))
    b = a if itself else data.draw(set_ones(width, 6, 40))
    sets_a = [set(a.column[a.row == i].tolist()) for i in range(a.n)]
    sets_b = [set(b.column[b.row == j].tolist()) for j in range(b.n)]
    want = np.array([[len(x & y) for y in sets_b] for x in sets_a], dtype=np.int32)
    small = -1 if blas else matrices._SMALL_PRODUCT
    with (
        mock.patch.object(matrices, "_OVERLAP_BLOCK", block),
        mock.patch.object(matrices, "_SMALL_PRODUCT", small),
    ):
        found = matrices._common(a, b, width)
    assert found.dtype == np.int32
    assert np.array_equal(found, want.reshape(a.n, b.n))


@given(st.lists(st.integers(0, 2**32 - 1) | st.integers(0, 5), max_size=60))
def test_numbered_is_the_inverse_of_unique(values: list[int]) -> None:
    array = np.array(values, dtype=np.uint32)
    distinct, inverse = np.unique(array.astype(np.int64), return_inverse=True)
    number, width = matrices._numbered(array)
    assert width == len(distinct)
    assert np.array_equal(number, inverse.reshape(-1))
