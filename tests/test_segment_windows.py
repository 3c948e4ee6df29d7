"""The segmenter's windows (issue 24: read in C-level matches and a list, not word by word and
a deque) against the plain rule written out word by word: the same segments on any text."""

from __future__ import annotations

import itertools
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdedup.records import Document
from newsdedup.segment import (
    _SHORT_SENTENCE_CHARS,
    SENTENCE_BREAK,
    SegmentOptions,
    _few_words,
    segment,
    segment_spans,
)

_WORD = re.compile(r"\S+")


def _plain_windows(text: str, start: int, end: int, opts: SegmentOptions) -> list[tuple[int, int]]:
    """The rule as the module documents it: the block if it has at most `max_words` words,
    else windows of whole sentences (a sentence over `window_words` cut into runs of that
    many words) up to `window_words` long, each next one starting at the first sentence
    that begins at or past the middle of the last (and at least one sentence on)."""
    if len(_WORD.findall(text, start, end)) <= opts.max_words:
        return [(start, end)]
    most = opts.window_words
    units: list[tuple[int, int, int]] = []
    ends = [m.end() for m in SENTENCE_BREAK.finditer(text, start, end)]
    for s, e in itertools.pairwise([start, *ends, end]):
        words = [m.span() for m in _WORD.finditer(text, s, e)]
        for k in range(0, len(words), most):
            run = words[k : k + most]
            units.append((run[0][0], run[-1][1], len(run)))
    windows = []
    first = 0
    while first < len(units):
        last, size = first, units[first][2]
        while last + 1 < len(units) and size + units[last + 1][2] <= most:
            last += 1
            size += units[last][2]
        windows.append((units[first][0], units[last][1]))
        if last + 1 == len(units):
            break
        nxt = first + 1
        while nxt <= last and sum(u[2] for u in units[first:nxt]) < size / 2:
            nxt += 1
        first += max(1, min(nxt, last) - first)
    return windows


def _plain_segments(text: str, opts: SegmentOptions) -> list[tuple[int, int, int]]:
    return [
        (s, e, block)
        for block, (bs, be) in enumerate(_plain_paragraphs(text))
        for s, e in _plain_windows(text, bs, be, opts)
    ]


def _spans(text: str, opts: SegmentOptions) -> list[tuple[int, int, int]]:
    return [(s.start, s.end, s.block) for s in segment(Document(id="d", text=text), opts)]


# Words, sentence ends that break and that do not (abbreviations, lower-case next words),
# every kind of whitespace `str.split` knows.
_PIECES = st.sampled_from(
    [
        *"aZ.!?…\"')]“(3é",
        " ",
        " ",
        " ",
        "\n",
        "\n\n",
        "\t",
        "\u00a0",
        "\u2028",
        "\x1c",
        "\u3000",
        "Mr.",
        "U.S.",
        "word",
        "Word.",
        "the end. Next",
        "lower. case",
    ]
)
_OPTIONS = st.builds(
    lambda window, extra: SegmentOptions(max_words=window + extra, window_words=window),
    st.integers(1, 12),
    st.integers(0, 12),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=400).map("".join), _OPTIONS)
def test_windows_are_the_plain_rule(text: str, opts: SegmentOptions) -> None:
    assert _spans(text, opts) == _plain_segments(text, opts)


def test_windows_of_the_generated_pages_and_long_sentences() -> None:
    """Default options; sentences of hundreds of words (word salad, flattened pages) and one
    past the length read by `str.split`, whose runs are counted without a copy."""
    words = [f"w{i % 97}" for i in range(3000)]
    salad = " ".join(words)  # one sentence, longer than _SHORT_SENTENCE_CHARS
    assert len(salad) > _SHORT_SENTENCE_CHARS
    prose = " ".join(
        f"Sentence {i} runs on" + " and on" * (i % 40) + ("." if i % 3 else ";") for i in range(90)
    )
    for text in (salad, prose, f"{prose}\n\n{salad}. {prose}", "x " * 5000):
        for opts in (SegmentOptions(), SegmentOptions(30, 10), SegmentOptions(7, 7)):
            assert _spans(text, opts) == _plain_segments(text, opts)


@given(st.lists(_PIECES, max_size=300).map("".join), st.integers(1, 40))
def test_few_words_counts_as_split_does(text: str, most: int) -> None:
    """Both of its readings: `str.split` for a short block, one match for a long one."""
    long = text * (_SHORT_SENTENCE_CHARS // max(1, len(text)) + 1)
    for sample in (text, long):
        stripped = sample.strip()
        start = sample.find(stripped[:1]) if stripped else 0
        end = start + len(stripped)
        assert _few_words(sample, start, end, most) == (len(sample[start:end].split()) <= most)


# Issue 24, fifteenth session: blocks read as lines, singly spaced blocks read by their spaces.


def _plain_paragraphs(text: str) -> list[tuple[int, int]]:
    """The paragraph rule written out line by line: blocks between blank lines (a line of
    spaces, tabs, returns and form feeds at most, between two "\\n"); a block whose lines all
    but the last are hard-wrapped (30 to 100 characters, not ending a sentence) is one
    paragraph, else each non-blank line is one; every span stripped of white space."""
    cuts = [0]
    for m in re.finditer(r"\n[ \t\r\f\v]*\n", text):
        cuts += [m.start(), m.end()]
    cuts.append(len(text))
    paragraphs = []
    for start, end in zip(cuts[::2], cuts[1::2], strict=True):
        lines = []
        pos = start
        for part in text[start:end].split("\n"):
            left = len(part) - len(part.lstrip())
            stripped = part.strip()
            if stripped:
                lines.append((pos + left, pos + left + len(stripped)))
            pos += len(part) + 1
        wrapped = all(30 <= e - s <= 100 and text[e - 1] not in '.!?:"”' for s, e in lines[:-1])
        if len(lines) >= 2 and wrapped:
            paragraphs.append((lines[0][0], lines[-1][1]))
        else:
            paragraphs += lines
    return paragraphs


# Singly spaced prose (the fast path) beside all that turns it off: two spaces, every kind of
# white space, a soft hyphen and a zero-width space (not printable, not white space), each
# stop character and closing mark, abbreviations, long and short lines, blank lines.
_PROSE = st.sampled_from(
    [
        *("Word", "word", "lower", "Next", "3", "é", "Mr.", "U.S.", "No.", "e.g.", "x"),
        *("end.", "end!", "end?", "end…", "end.”", "end.)", "end.'", "“Quote.”", "(Aside.)"),
        *(" ", " ", " ", " ", " ", "  ", "\n", "\n\n", "\n \n", "\t", "\r", "\x0b"),
        *("\u00a0", "\u2028", "\u3000", "\x1c", "\x85", "\u00ad", "\u200b", "\U0001f525"),
        "the wire copy ran on for a while and then some more",
    ]
)


@settings(max_examples=100, deadline=None)
@given(st.lists(_PROSE, max_size=300).map("".join), _OPTIONS, st.integers(0, 30))
def test_segment_spans_are_the_plain_rule(text: str, opts: SegmentOptions, limit: int) -> None:
    doc = Document(id="d", text=text)
    expected = _plain_segments(text, opts)
    assert segment_spans(doc, opts) == expected
    assert segment_spans(doc, opts, limit) == expected[:limit]


def test_segment_spans_of_long_spaced_prose_are_the_plain_rule() -> None:
    """Default options: prose singly spaced (read by its spaces), the same with two spaces or
    a line break inside (read the general way), a sentence of 400 words (cut into runs), and
    a block past the length copied to be checked."""
    prose = " ".join(
        f"Sentence {i} runs on" + " and on" * (i % 40) + (".", "!", "?", "…", ".”")[i % 5]
        for i in range(60)
    )
    salad = " ".join(f"w{i % 97}" for i in range(400))
    huge = " ".join(["A short sentence of eight words in all."] * 9000)  # over 64K characters
    for text in (prose, prose.replace(" on.", "  on."), f"{prose}\n{salad}. {prose}", huge):
        doc = Document(id="d", text=text)
        assert segment_spans(doc, SegmentOptions()) == _plain_segments(text, SegmentOptions())


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 9), min_size=1, max_size=40), _OPTIONS, st.booleans())
def test_windows_of_sentences_of_any_lengths_are_the_plain_rule(
    lengths: list[int], opts: SegmentOptions, wrapped: bool
) -> None:
    """The window walk on sentences of chosen word counts, singly spaced or not (a line
    break between two sentences), the text starting with a line break or not."""
    text = " ".join("Wa" + " wo" * (n - 1) + "." for n in lengths)
    if wrapped:
        text = "\n" + text.replace(". Wa", ".\nWa", 1)
    doc = Document(id="d", text=text)
    assert segment_spans(doc, opts) == _plain_segments(text, opts)
