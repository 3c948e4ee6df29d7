"""Reading's patterns rewritten for speed (issue 24) against the plain forms they replace: the
same matches on any text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdedup.dates import _YEAR
from newsdedup.language import _ENOUGH_LETTERS, _MIN_LETTERS

_PLAIN_YEAR = re.compile(r"(?<!\d)(?:19[9]\d|20\d\d)(?!\d)")  # a lookbehind first: slow
_LETTER = re.compile(r"[^\W\d_]")

# Digits of two scripts (`\d` is any decimal digit), the years' digits often.
_YEAR_TEXT = st.lists(
    st.sampled_from([*"0123456789", "19", "199", "20", "202", "٣", "x", " ", "-", "é"]),
    max_size=60,
).map("".join)


@settings(max_examples=500)
@given(_YEAR_TEXT)
def test_a_year_is_found_where_the_plain_pattern_finds_it(text: str) -> None:
    assert [m.span() for m in _YEAR.finditer(text)] == [
        m.span() for m in _PLAIN_YEAR.finditer(text)
    ]
    for start in range(len(text)):  # `search(part)` runs on slices: any start
        found, plain = _YEAR.search(text, start), _PLAIN_YEAR.search(text, start)
        assert (found and found.span()) == (plain and plain.span())


_LETTERS_TEXT = st.lists(
    st.sampled_from(["a", "é", "ж", "中", "1", "_", " ", "٣", "\u0301", ".", "ab c"]),
    max_size=2 * _MIN_LETTERS + 10,
).map("".join)


@settings(max_examples=500)
@given(_LETTERS_TEXT)
def test_enough_letters_counts_as_listing_them_does(text: str) -> None:
    enough = len(_LETTER.findall(text)) >= _MIN_LETTERS
    assert (_ENOUGH_LETTERS.match(text) is not None) == enough
