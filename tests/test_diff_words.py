"""The diff's word reader, fast paths against the plain definitions they replace."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from newsdedup.diff import _joined, _units, _within

_RUN = re.compile(r"\S+")
_FIGURE_RUN = re.compile(r"\d[\d.,]*")
_PERCENT_AFTER = re.compile(r"\s?(?:%|per ?cent\b|pct\b)", re.IGNORECASE)


def _units_by_definition(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """A word per whitespace run, searched again from where the last word ended; a word runs
    on to the percent sign after its first figure that has one."""
    units, pos = [], a
    while run := _RUN.search(text, pos, b):
        start, end = run.span()
        for figure in _FIGURE_RUN.finditer(text, start, end):
            if percent := _PERCENT_AFTER.match(text, figure.end(), b):
                end = percent.end()
                break
        units.append((start, end))
        pos = end
    return units


_PIECES = st.sampled_from(
    ["5", "12", "3.5", "1,000", ".", ",", "%", " ", "  ", "\n", "per", "cent", "percent",
     " per cent", "pct", "PCT", "x", "ab", "-", "“", "$"]
)  # fmt: skip


@given(st.lists(_PIECES, max_size=30).map("".join), st.integers(0, 5), st.integers(0, 5))
def test_words_are_read_as_the_plain_definition_reads_them(text: str, cut: int, tail: int) -> None:
    a, b = min(cut, len(text)), max(min(cut, len(text)), len(text) - tail)
    assert _units(text, a, b) == _units_by_definition(text, a, b)


def test_a_percent_sign_ends_a_word_and_the_rest_of_its_run_is_the_next() -> None:
    text = "up 5.1%. And 3 per cent, or 4 %-owned"
    words = [text[u:v] for u, v in _units(text, 0, len(text))]
    assert words == ["up", "5.1%", ".", "And", "3 per cent", ",", "or", "4 %", "-owned"]


def test_keyless_marks_join_the_word_before_them_or_the_first_word() -> None:
    spans = [(0, 1), (2, 5), (6, 7), (8, 11)]
    assert _joined(spans, ["", "ab", "", "cd"]) == ([(0, 7), (8, 11)], ["ab", "cd"])
    assert _joined([(0, 1), (2, 3)], ["", ""]) == ([(0, 3)], [""])


def test_spans_outside_a_sentence_are_left_out() -> None:
    assert _within([(0, 5), (5, 9), (12, 20), (30, 40)], 5, 12) == [(5, 9)]
    assert _within([], 0, 9) == []
