from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdedup.records import Document
from newsdedup.segment import SegmentOptions, segment


def _doc(text: str) -> Document:
    return Document(id="d", text=text)


def test_blank_lines_and_single_lines_both_split_paragraphs() -> None:
    text = "Headline here\n\nFirst paragraph.\nSecond paragraph on its own line.\n\n  Third.  "
    segs = segment(_doc(text))
    assert [s.text for s in segs] == [
        "Headline here",
        "First paragraph.",
        "Second paragraph on its own line.",
        "Third.",
    ]


def test_hard_wrapped_lines_are_joined_into_one_paragraph() -> None:
    lines = [
        "The central bank raised its benchmark rate by a quarter point on",
        "Tuesday, the third increase this year, citing stubborn inflation in",
        "services and a tight labour market that has kept wages rising fast.",
    ]
    segs = segment(_doc("\n".join(lines)))
    assert len(segs) == 1 and segs[0].text == "\n".join(lines)


def test_long_block_becomes_overlapping_sentence_windows() -> None:
    sentences = [
        f"Sentence number {i} says something about the U.S. economy today." for i in range(60)
    ]
    text = " ".join(sentences)
    opts = SegmentOptions(max_words=120, window_words=60)
    segs = segment(_doc(text), opts)
    assert len(segs) > 6
    for s in segs:
        assert len(s.text.split()) <= 60
        assert s.text.startswith("Sentence number") and s.text.endswith("today.")
    # consecutive windows overlap, so a passage cut by one boundary lies inside the next window
    assert all(b.start < a.end for a, b in itertools.pairwise(segs))
    assert segs[0].start == 0 and segs[-1].end == len(text)


def test_abbreviations_do_not_end_sentences() -> None:
    text = " ".join(["Mr. Lin met U.S. officials in Washington on Jan. 10 to discuss trade."] * 30)
    segs = segment(_doc(text), SegmentOptions(max_words=40, window_words=20))
    assert all(s.text.startswith("Mr. Lin") for s in segs)


def test_options_are_validated() -> None:
    with pytest.raises(ValueError):
        SegmentOptions(max_words=10, window_words=20)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=3000))
def test_offsets_always_slice_back_to_the_segment_text(text: str) -> None:
    """And a segment never cuts a word (nor a number: provenance reads a page's numbers once
    and gives each version those inside its segments)."""
    segs = segment(_doc(text), SegmentOptions(max_words=30, window_words=10))
    for i, s in enumerate(segs):
        assert s.index == i
        assert text[s.start : s.end] == s.text
        assert s.text.strip() == s.text and s.text
        assert s.start == 0 or text[s.start - 1].isspace()
        assert s.end == len(text) or text[s.end].isspace()


_SENTENCE_PIECES = st.sampled_from(
    [*"aZ. !?…\"')]“‘(\n\t", " ", " ", "Mr", "Sept", "U.S", "xA", "_Mr", "é", "No", "e.g", "3"]
)


@given(st.lists(_SENTENCE_PIECES, max_size=80).map("".join))
def test_sentence_breaks_are_sentence_ends_not_after_an_abbreviation(text: str) -> None:
    """The lookbehind form of the abbreviation guard decides as ABBREVIATION does."""
    from newsdedup.segment import ABBREVIATION, SENTENCE_BREAK, SENTENCE_END

    expected = [
        m.span()
        for m in SENTENCE_END.finditer(text)
        if not ABBREVIATION.search(text, max(0, m.start() - 12), m.end())
    ]
    assert [m.span() for m in SENTENCE_BREAK.finditer(text)] == expected
