"""Fingerprinting's token path in numpy (`_token_hashes`, issue 24) against the plain one it
replaces: each text's tokens as strings, each hashed as `_word_hashes` hashes a word. The same
hashes in the same order and the same count a text, on random and hostile text."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdedup.fingerprint import _LOOSE, _MIX, _token_hashes, _word_hashes, tokens


def _plain(texts: Sequence[str]) -> tuple[np.ndarray, list[int]]:
    """What the fast path must give: the token stream fingerprinting read before it, one
    string a token: `tokens`, joined and loosened again (which splits a Unicode-path token
    at a ' . , beside a combining mark: "i̇'0" is two there, one for `tokens`), hashed."""
    found = [_LOOSE.sub(" ", " ".join(tokens(text))).split() for text in texts]
    return _word_hashes(word for words in found for word in words), [len(f) for f in found]


def _check(texts: Sequence[str]) -> None:
    hashes, counts = _token_hashes(texts)
    expected, expected_counts = _plain(texts)
    assert counts.dtype == np.int64 and counts.tolist() == expected_counts
    assert hashes.dtype == np.uint64 and hashes.tolist() == expected.tolist()


# Words of every length the fast path treats apart (one 8-byte chunk, two to four, longer),
# what joins or splits tokens (' . , between letters or not, acronyms, typographic stand-ins,
# the separator the batch is joined by), and text only the Unicode path reads.
_PIECES = st.one_of(
    st.text(alphabet="abcXYZ019", min_size=1, max_size=40),
    st.sampled_from(
        [
            *(" ", "\n", "\t", "\0", "'", ".", ",", "..", "',", "U.S.", "e.g.", "U．S．"),
            *("’", "“", "”", "—", "…", "ﬁ", "\u00a0", "\u200b", "€", "🔥", "1,000.50"),
            *("rock'n'roll", "organisation's", "colour", "Zürich", "naïve", "İ", "ß"),
            *("東京", "ニュース", "сказал", "सरकार", "e\u0301", "a\u0301.b", "İ'0", "\ud800"),
        ]
    ),
)
_TEXTS = st.lists(st.lists(_PIECES, max_size=30).map("".join), max_size=6)


@settings(max_examples=60, deadline=None)
@given(_TEXTS)
def test_token_hashes_equal_the_plain_tokens_hashed(texts: list[str]) -> None:
    _check(texts)


def test_token_hashes_of_hostile_batches() -> None:
    """Empty batches and texts, the joining separator inside a text, very long runs of one
    word or of punctuation, and tokens at each chunk boundary (8, 9, 16, 32, 33 bytes)."""
    for texts in (
        [],
        [""],
        ["", "", ""],
        ["\0"],
        ["a\0b", "c"],
        ["a" * 100_000, "." * 10_000, "a." * 5_000 + "a", "x'" * 3_000, "1," * 4_000],
        [" ".join("w" * n for n in (1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 1000))],
        ["東京 ニュース", "only ascii here", "", "сказал он, the end."],
    ):
        _check(texts)


def test_two_words_the_mix_confuses_are_told_apart() -> None:
    """Two 16-byte words whose chunks mix to the same integer (found by search): the
    numbering check sees it and numbers them by a dictionary, each hashed as itself."""
    one, two = b"nwhq2fooaappvtaa", b"collisioxb0589xi"

    def mixed(word: bytes) -> int:
        low, high = int.from_bytes(word[:8], "little"), int.from_bytes(word[8:], "little")
        return (low * int(_MIX)) % 2**64 ^ high

    assert mixed(one) == mixed(two)  # the premise: the fast numbering alone would merge them
    texts = [f"{one.decode()} and {two.decode()}", two.decode(), "short words only"]
    _check(texts)
    hashes, _ = _token_hashes(texts)
    assert hashes[0] != hashes[2]
