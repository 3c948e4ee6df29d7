"""`diff._read`'s rows of a piece with no quotation and no credit (most pieces) read in one
comprehension: the same reading as the loop over every sentence, which decides for each
whether it is quoted and whether a credit overlaps it, on pieces with and without both."""

from __future__ import annotations

from hypothesis import assume, example, given
from hypothesis import strategies as st

from newsdedup.diff import (
    _bare,
    _quotations,
    _read,
    _Reading,
    _sentence_bounds,
    _Words,
)

_SENTENCES = st.sampled_from(
    [
        "Prices rose 5% in May.", "The bank said so.", "Shares fell.",
        '"We are done," he said.', "“Quoted words here.”", "(Editing by X)",
        "Exports rose 5 per cent.", "-- ", "A line with no stop", "Mr. Smith left.",
        "According to Reuters, it held.", "Source: AP", "| menu | items |", "x " * 120,
    ]
)  # fmt: skip


def _read_each(text: str) -> _Reading:
    """`_read` as it was, for a piece without credits: every sentence asked whether it is
    quoted (and whether a credit overlaps it: none does)."""
    found = _read.__wrapped__(text)  # attributions and quotations as read
    spans, _ = _quotations(text)
    sentences: list[tuple[int, int, bool, _Words]] = []
    for a, b in _sentence_bounds(text):
        quoted = bool(spans) and any(q < b and r > a for q, r in spans)
        for start, end, words in _bare(text[a:b]):
            sentences.append((a + start, a + end, quoted, words))
    return _Reading(tuple(sentences), (), found.attributions, found.quotes)


@given(st.lists(_SENTENCES, min_size=1, max_size=6).map(" ".join))
@example("Prices rose 5% in May. The bank said so.")
@example("  Leading space. Trailing space.  ")
def test_a_piece_without_quotations_or_credits_reads_as_sentence_by_sentence(text: str) -> None:
    assume(not _read.__wrapped__(text).credits)  # credited pieces take the loop as before
    assert _read.__wrapped__(text) == _read_each(text)
