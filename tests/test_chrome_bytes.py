"""`chrome_flags` searches the texts' UTF-8 bytes lowered as bytes: the same flags as each
text lowered as text and searched alone (`reads_as_chrome`), whatever the text holds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdedup.chrome import _ASCII_FROM_LOWER, _CHROME_PHRASES, chrome_flags, reads_as_chrome

# Phrases in any case, pieces of them, and what the byte path must not misread: the two
# characters `str.lower` makes ASCII (alone and inside phrases), the degree sign and other
# characters sharing their bytes, multi-byte and astral characters, a lone surrogate, NUL.
_PIECES = st.sampled_from(
    [
        *_CHROME_PHRASES,
        *("COOKIE", "Read More", "the post", "THE POST", "appeared on", "Appeared On"),
        *("coo\u212aie", "s\u0130gn up for", "\u0130", "\u212a", "\u00b0", "\u00aa", "\u0100"),
        *("\u2019", "“", "é", "\U0001f600", "\ud800", "\0", " ", "\n", "x", "cook", "ie"),
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_PIECES, max_size=12).map("".join), max_size=10))
def test_chrome_flags_by_bytes_are_each_text_searched_as_text(texts: list[str]) -> None:
    assert chrome_flags(texts).tolist() == [reads_as_chrome(t) for t in texts]


def test_only_these_characters_lower_to_ascii() -> None:
    """What lowering as bytes relies on, over all of Unicode: lowered, the non-ASCII
    characters give two ASCII ones, the "i" of İ and the "k" of the Kelvin sign (all
    lowered as one string: much faster than one by one, and lowering is per character
    but for the final sigma, which stays non-ASCII)."""
    every = "".join(map(chr, range(0x80, 0x110000)))
    assert [c for c in every.lower() if c.isascii()] == ["i", "k"]
    assert [c.encode() for c in ("\u0130", "\u212a")] == list(_ASCII_FROM_LOWER)
    assert all(any(x.isascii() for x in c.lower()) for c in ("\u0130", "\u212a"))


def test_a_character_lowered_to_ascii_counts_where_it_stands() -> None:
    texts = ["x", "coo\u212aie policy", "\u00b0 \u00aa read", "s\u0130gn up for", "READ MORE"]
    assert chrome_flags(texts).tolist() == [False, True, False, False, True]


def test_a_phrase_is_flagged_in_its_own_text_after_many() -> None:
    """Rows are found by byte offsets: after many texts, a hit belongs to the text it is in."""
    texts = ["a", "", "\u2019"] * 10 + ["Privacy Policy", "b", "", "cookie"]
    assert chrome_flags(texts).tolist() == [False] * 30 + [True, False, False, True]


def test_phrases_that_overlap_are_each_found() -> None:
    """One pass finds every phrase: "appeared on" (which asks for "the post" before it) must
    not hide a phrase that shares its last letter."""
    texts = ["appeared onewsletter", "the post x appeared on", "appeared on", "cookiecookie"]
    assert chrome_flags(texts).tolist() == [True, True, False, True]


def test_every_phrase_alone_in_any_case_flags_its_text() -> None:
    texts = [f"x {case(p)} y" for p in _CHROME_PHRASES for case in (str.lower, str.upper)]
    assert chrome_flags(texts).all()
    assert not chrome_flags([p[:-1] + "\0" + p[-1:] for p in _CHROME_PHRASES]).any()
