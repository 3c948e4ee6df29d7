"""Reading's and fingerprinting's faster paths (issue 24, fifteenth session) against the plain
rules they replace, on random and hostile text: blocks read as lines, singly spaced blocks
counted by their spaces, sentence breaks found one stop character at a time, chrome phrases by
substring search, words hashed once per process, signatures in any group size."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdedup import fingerprint
from newsdedup.chrome import _APPEARED_ON, _CHROME_PHRASES, _THE_POST, chrome_flags
from newsdedup.fingerprint import _LOOSE, FingerprintOptions, signatures, tokens
from newsdedup.segment import SENTENCE_BREAK, _singly_spaced, break_ends


def test_isprintable_is_false_for_every_white_space_but_the_space() -> None:
    """What `_singly_spaced` relies on, over all of Unicode."""
    every = map(chr, range(0x110000))
    assert [c for c in every if c.isspace() and c.isprintable()] == [" "]


# Singly spaced words and all that is not: two spaces, other white space, a soft hyphen (not
# printable, not white space), stops, closing marks, one-letter abbreviations.
_TEXT = st.lists(
    st.sampled_from([*"Wa.!?…”)'\"(3", " ", " ", "  ", "\n", "\t", "\u00a0", "\u2028", "\u00ad"]),
    max_size=200,
).map("".join)


@settings(max_examples=30, deadline=None)
@given(_TEXT, st.data())
def test_singly_spaced_blocks_hold_only_single_spaces(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    block = text[start:end]
    spaced = _singly_spaced(text, start, end)
    if spaced is not None:
        assert spaced == block
        assert all(run == " " for run in re.findall(r"\s+", block))


@given(_TEXT, st.data())
def test_sentence_breaks_by_stop_character_are_sentence_break(
    text: str, data: st.DataObject
) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    merged = list(break_ends(text, start, end))
    assert merged == [m.end() for m in SENTENCE_BREAK.finditer(text, start, end)]
    if start == 0 and end == len(text):
        assert list(break_ends(text)) == merged  # the diff's call: the whole text


def _plain_chrome(text: str) -> bool:
    low = text.lower()
    return any(re.search(re.escape(p), low) for p in _CHROME_PHRASES) or (
        _APPEARED_ON in low and _THE_POST.search(low) is not None
    )


_CHROME_PIECES = st.sampled_from(
    [
        *_CHROME_PHRASES,
        *("Cookie", "READ MORE", "Privacy Policy", "the post", "The Post", "appeared on", "İ"),
        *("cook", "ie", "read ", "more", "\0", " ", "\n", "x", "é", "\u212a"),
    ]
)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(_CHROME_PIECES, max_size=12).map("".join), max_size=10))
def test_chrome_flags_are_the_phrases_searched_text_by_text(texts: list[str]) -> None:
    assert chrome_flags(texts).tolist() == [_plain_chrome(t) for t in texts]


_WORDS = st.lists(
    st.sampled_from(["colour", "organisation's", "a", "Zürich", "U.S.", "12345678", "wire"]),
    max_size=40,
).map(" ".join)


@settings(max_examples=20, deadline=None)
@given(st.lists(_WORDS, max_size=5), st.lists(_WORDS, max_size=5))
def test_words_hashed_once_a_process_hash_as_they_did(first: list[str], second: list[str]) -> None:
    """Batch after batch, with the memo full after three words (so it starts again within a
    batch): the hashes of each batch are its words hashed one by one."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fingerprint, "_KNOWN_WORDS", 3)
        for texts in (first, second, first):
            hashes, _ = fingerprint._token_hashes(texts)
            words = [w for t in texts for w in _LOOSE.sub(" ", " ".join(tokens(t))).split()]
            assert hashes.tolist() == fingerprint._word_hashes(words).tolist()


def test_signatures_do_not_depend_on_the_group_size() -> None:
    rng = np.random.default_rng(5)
    sizes = rng.integers(0, 300, size=400)
    sizes[::37] = 9000  # rows longer than a group
    shingles = rng.integers(0, 2**32, size=int(sizes.sum()), dtype=np.uint64).astype(np.uint32)
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    opts = FingerprintOptions()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fingerprint, "_BLOCK", 1 << 20)
        whole = signatures(shingles, offsets, opts)
        patch.setattr(fingerprint, "_BLOCK", 5)
        assert np.array_equal(signatures(shingles, offsets, opts), whole)
