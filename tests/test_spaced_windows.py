"""Issue 24, seventeenth session: a singly spaced block's windows found at once, in a list
(`_spaced_windows`), against the general path that reads sentences in batches and yields
windows (`_sentence_windows`); and the stand-ins made text by text, only in texts that are
not ASCII, against the tokens of each text read alone (`_ascii_word_bytes`)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdedup.fingerprint import _ascii_word_bytes, _joined_words
from newsdedup.records import Document
from newsdedup.segment import (
    SegmentOptions,
    _sentence_windows,
    _singly_spaced,
    _spaced_windows,
    segment_spans,
)

# Sentences of chosen word counts, ending in each stop character, some after abbreviations
# (no break there) or with a lower-case word next (no break either).
_SENTENCES = st.lists(
    st.tuples(st.integers(1, 14), st.sampled_from([".", "!", "?", "…", ".”", ". Mr.", ". lower"])),
    min_size=1,
    max_size=60,
)


def _prose(sentences: list[tuple[int, str]]) -> str:
    return " ".join("Wa" + " wo" * (n - 1) + stop for n, stop in sentences)


@settings(max_examples=150, deadline=None)
@given(_SENTENCES, st.integers(1, 12), st.integers(0, 3))
def test_spaced_windows_are_the_batched_walks(
    sentences: list[tuple[int, str]], window: int, lead: int
) -> None:
    """The same windows, whether the block's sentences are read at once or in batches of
    `2 * window + 2` (with a window of 1 to 12 words, many batches: the walk goes on from
    one batch to the next), the block anywhere in its text."""
    text = "\n" * lead + _prose(sentences)
    start, end = lead, len(text)
    assert _singly_spaced(text, start, end) is not None
    opts = SegmentOptions(max_words=window, window_words=window)
    assert _spaced_windows(text, start, end, window) == list(
        _sentence_windows(text, start, end, opts)
    )


@settings(max_examples=60, deadline=None)
@given(_SENTENCES, st.integers(1, 40))
def test_spaced_windows_stop_at_the_limit(sentences: list[tuple[int, str]], limit: int) -> None:
    """A document's segments cut short by `limit` are the first of those cut without it,
    through spaced blocks (a list cut) and the others (a generator cut)."""
    block = _prose(sentences)
    text = f"{block}\n\n{block.replace(' ', '  ', 1)}\n\n{block}"
    doc, opts = Document(id="d", text=text), SegmentOptions(max_words=6, window_words=4)
    assert segment_spans(doc, opts, limit) == segment_spans(doc, opts)[:limit]


_PIECES = st.sampled_from(
    [
        *("word", "Word", "U.S.", "e.g.", " ", ".", ",", "'", "\0", "1,000.50"),
        *("’", "“", "”", "—", "…", "ﬁ", "\u00a0", "\u200b", "€", "🔥", "İ", "ß", "Zürich"),
        *("東京", "сказал", "e\u0301", "\ud800"),
    ]
)


def _one_by_one(texts: list[str]) -> tuple[bytes, list[int], list[bool]]:
    """`_joined_words` text by text, as its fallback reads them: each text's word bytes, or
    None where the Unicode path reads it."""
    words = [_ascii_word_bytes(text) for text in texts]
    plain = [w for w in words if w is not None]
    starts = np.cumsum([0, *(len(w) + 1 for w in plain)]).tolist()
    return b" ".join(plain), starts, [w is not None for w in words]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(_PIECES, max_size=12).map("".join), max_size=8))
def test_stand_ins_text_by_text_are_each_texts_words(texts: list[str]) -> None:
    """The same word bytes, cuts and plain texts as each text read alone, for batches of
    ASCII texts, texts made ASCII by stand-ins, texts left to the Unicode path, and texts
    holding the separator (NUL) of either kind (every byte not of a word is a space in
    both, the separator too)."""
    data, bounds, is_plain = _joined_words(texts)
    assert (data, bounds.tolist(), is_plain.tolist()) == _one_by_one(texts)


def test_a_separator_in_a_text_made_ascii_is_read_one_by_one() -> None:
    """A NUL in a text that is ASCII only once its stand-ins are made, and in one never
    ASCII (left out of the joined bytes: no fallback needed)."""
    for texts in (["a’b\0c", "dé"], ["東京\0", "plain words"], ["x", "“\0”", "東"]):
        data, bounds, is_plain = _joined_words(texts)
        assert (data, bounds.tolist(), is_plain.tolist()) == _one_by_one(texts)
