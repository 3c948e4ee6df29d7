"""Report what the publisher of a version did to the text it copied from its parent.

Copies are edited below the paragraph: aggregators run paragraphs together on
one line (which `segment` cuts into overlapping windows), editors split, merge,
reorder, trim and restyle. So segments are not compared directly. Each side's
segments are first rebuilt into non-overlapping pieces of document text (the
windows of one line collapse into that line), the pieces are cut into
sentences that keep document offsets, and sentences are aligned:

1. sentences equal after normalisation pair first, by hash: the bulk of a copy;
2. the rest pair greedily by `difflib.SequenceMatcher` ratio (at least
   `MIN_RATIO`) over normalised word lists; on long texts only the parent
   sentences sharing the most rare words are tried, which keeps the cost linear,
   and a pair whose longest common subsequence (rapidfuzz, in C, on the word
   keys' hashes) cannot reach the ratio never costs a SequenceMatcher;
3. a leftover sentence joins a neighbouring pair when it supplies words that
   pair is missing: a sentence split in two, or two merged into one;
4. pairs off the longest run in the parent's order are *moved*, and a moved
   pair must keep most of the words of both sides: in place, the order vouches
   for a heavy rewrite; out of place only the words can, and a new sentence
   that shares just a frame with one elsewhere ("fell 3.5%, leaving a trade
   surplus of ...") is added text, its lookalike removed.

`SequenceMatcher` is cydifflib's: difflib's algorithm compiled, with difflib's matching
blocks, opcodes and ratios (which the diffs were defined by, and which rapidfuzz's minimal
edit scripts are not), at a fraction of the CPU.

Words are compared under `fingerprint.tokens` plus house-style folding
(British/American spelling, "per cent"/"%", month abbreviations, digit
grouping), so an edit that vanishes under folding is reported as style and
never as a substantive change.
"""

from __future__ import annotations

import bisect
import functools
import heapq
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, TypeVar

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import LCSseq

from .dates import page_date
from .fingerprint import fold_spelling, tokens
from .provenance.cues import (
    DATELINE_GROUPS,
    DATELINE_PREFIX,
    attribution_matches,
    credit_matches,
)
from .records import Segment

# The segmenter's own sentence rule, so sentence edges here agree with its window edges.
from .segment import SENTENCE_END, break_ends

if TYPE_CHECKING:  # cydifflib ships no types: its SequenceMatcher is difflib's, as difflib types it
    from difflib import SequenceMatcher
else:
    from cydifflib import SequenceMatcher  # difflib's, compiled (module docstring)

__all__ = ["MIN_RATIO", "NOTE_KINDS", "Change", "Note", "Passage", "VersionDiff", "diff_versions"]

MIN_RATIO = 0.5
"""Least SequenceMatcher ratio for two sentences to count as one sentence edited."""

NOTE_KINDS = (
    "quote-changed",
    "number-changed",
    "credit-removed",
    "dateline-removed",
    "attribution-added",
    "headline-changed",
    "paragraphs-added",
    "paragraphs-removed",
    "boilerplate-added",
    "style-only",
)
"""Note kinds, most important to an editor first; `VersionDiff.notes` is in this order."""


@dataclass(frozen=True, slots=True)
class Passage:
    """A span of one side's document text; `segment` is the first segment that holds it."""

    segment: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Change:
    """Aligned text that differs in substance; `edits` are word runs, "" for none."""

    before: Passage
    after: Passage
    edits: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Note:
    """One finding an editor cares about; `kind` is one of `NOTE_KINDS`."""

    kind: str
    detail: str


_SUMMARY = (
    ("paragraphs-added", "+{} paragraph", "+{} paragraphs"),
    ("paragraphs-removed", "-{} paragraph", "-{} paragraphs"),
    ("boilerplate-added", "+{} boilerplate", "+{} boilerplate"),
    ("credit-removed", "-{} credit line", "-{} credit lines"),
    ("dateline-removed", "-{} dateline", "-{} datelines"),
    ("attribution-added", "+{} attribution", "+{} attributions"),
    ("headline-changed", "headline changed", "headline changed"),
    ("number-changed", "{} number changed", "{} numbers changed"),
    ("quote-changed", "{} quote changed", "{} quotes changed"),
)


@dataclass(frozen=True, slots=True)
class VersionDiff:
    """What changed from the parent (before) to the child (after).

    `added` and `moved` are passages of the child, `removed` of the parent.
    Style-only edits are only in `notes`: they are not substantive changes.
    """

    added: tuple[Passage, ...]
    removed: tuple[Passage, ...]
    changed: tuple[Change, ...]
    moved: tuple[Passage, ...]
    notes: tuple[Note, ...]
    aligned: int = 0
    """Sentences of the child aligned with the parent's (kept, edited or moved); 0 when the
    two share no text, and neither derives from the other (`newsdedup diff` says so)."""

    def summary(self) -> str:
        """One line for a report, e.g. "+3 paragraphs, -1 credit line, 2 numbers changed"."""
        count = Counter(n.kind for n in self.notes)
        parts = [
            (one if count[kind] == 1 else many).format(count[kind])
            for kind, one, many in _SUMMARY
            if count[kind]
        ]
        if self.changed:
            n = len(self.changed)
            parts.append(f"{n} sentence{'s' * (n != 1)} edited")
        if self.moved:
            n = len(self.moved)
            parts.append(f"{n} passage{'s' * (n != 1)} moved")
        if count["style-only"]:
            n = count["style-only"]
            parts.append(f"{n} style-only edit{'s' * (n != 1)}")
        return ", ".join(parts) or "no changes"


# -- words --------------------------------------------------------------------

# A word is a whitespace run, except that a figure with its percent sign keeps
# it ("5 per cent" is one word), so "5%" and "5 per cent" fold to one key. As one
# pattern, r"\S*?\d[\d.,]*\s?(?:%|per ?cent\b|pct\b)|\S+", a word is read the same,
# but in time quadratic in the length of a digit run without a percent sign (each of
# its digits starts the same failing run again): `_units` reads it in linear time.
_RUN = re.compile(r"\S+")
_FIGURE_RUN = re.compile(r"\d[\d.,]*")
_PERCENT_AFTER = re.compile(r"\s?(?:%|per ?cent\b|pct\b)", re.IGNORECASE)
_PERCENT = re.compile(r"(?:%|per ?cent|pct)$", re.IGNORECASE)
_PERCENT_SIGN = re.compile(r"%|per ?cent\b|pct\b", re.IGNORECASE)  # where _PERCENT_AFTER can end


def _percent_sign(text: str) -> bool:
    """Whether `_PERCENT_SIGN` finds a sign in `text`. The pattern, case-blind and with no
    literal to skip ahead to, tries every position; most sentences hold none of its literals
    in any case (`_no_sign`), which three substring tests tell in a tenth of the time."""
    return not _no_sign(text) and _PERCENT_SIGN.search(text) is not None


def _no_sign(text: str) -> bool:
    """Whether `text` holds none of the literals a percent sign begins with ("%", "per",
    "pct", in any case: every character `_PERCENT_SIGN` matches lowers to the literal's),
    and so no sign."""
    low = text.lower()
    return "%" not in low and "per" not in low and "pct" not in low


# A figure with a percent sign after it that does not end the figure's whitespace run: `\d`
# starts a search only at digits. The sign is the one `_PERCENT_AFTER.match` takes after the
# figure's run of digits, points and commas (no shorter figure can take one: a sign never
# opens with a digit, point or comma): after whitespace, it takes whitespace in ("5 %");
# otherwise "per cent" holds a space, and "%", "percent" and "pct" must end the run ("5%.",
# "5%-owned"). So it finds one exactly when some figure's sign does not end its run (tested).
_SIGN_IN_RUN = re.compile(
    r"\d[\d.,]*(?:\s(?:%|per ?cent\b|pct\b)|per cent\b|(?:%|percent\b|pct\b)(?=\S))",
    re.IGNORECASE,
)


_DIGITS = re.compile(r"\d(?:[\d.,]*\d)?")
_GROUPING = re.compile(r"(?<=\d),(?=\d)")
_CURRENCY_SIGN = re.compile("[$€£¥]")  # a word's key keeps its currency signs, in order
_MONTHS = {
    "january": "jan",
    "february": "feb",
    "march": "mar",
    "april": "apr",
    "june": "jun",
    "july": "jul",
    "august": "aug",
    "september": "sep",
    "sept": "sep",
    "october": "oct",
    "november": "nov",
    "december": "dec",
}
# Months that count as date parts; "mar" and "may" are also words ("march", "may not").
_MONTH_KEYS = frozenset(_MONTHS.values()) - {"mar"}


def _fold(token: str) -> str:
    # a letter is never a digit (str.isalpha and str.isdigit take disjoint categories, L* and
    # N*): a token of letters alone (most) skips the scan for one
    if not token.isalpha() and any(ch.isdigit() for ch in token):
        return _GROUPING.sub("", token)
    if token in _MONTHS:
        return _MONTHS[token]
    return fold_spelling(token)


def _key(raw: str) -> str:
    """A word's comparison key: equal keys mean the words differ in style at most. Read
    through `_KEYS`, which keeps them."""
    if _PERCENT.search(raw) and (m := _DIGITS.search(raw)):
        return _GROUPING.sub("", m.group()) + "%"
    folded = [_fold(t) for t in tokens(raw)]
    if not folded:
        return ""
    return "".join(_CURRENCY_SIGN.findall(raw)) + " ".join(folded)


class _Memo(dict[str, str]):
    """A word's reading, filled on demand and read as `map(memo.__getitem__, words)`: a hit
    costs a dict lookup in C (half an `lru_cache` hit), and a corpus repeats most of its
    words. Emptied when full, so a long scan's workers do not grow."""

    def __init__(self, read: Callable[[str], str], kept: int = 1 << 16) -> None:
        super().__init__()
        self.read, self.kept = read, kept

    def __missing__(self, word: str) -> str:
        if len(self) >= self.kept:
            self.clear()
        value = self[word] = self.read(word)
        return value


_KEYS = _Memo(_key)
"""Raw word -> `_key`."""


# A figure, not a code: "5%", "$4.35", "2030", "10th", "1990s", "3bn"; never "0700.hk" or "g7".
_FIGURE = re.compile(r"[$€£¥]*\d[\d.,]*(?:%|st|nd|rd|th|s|bn|mn|m|k|tn)?")
# Edge punctuation and case: a sentence split turns "said" into "said." and "the" into "The".
_EDGE = ",.;:!?()[]"


@lru_cache(maxsize=1 << 16)
def _numeric(key: str) -> bool:
    """Whether a word key is a figure, a date part or a month."""
    return any(part in _MONTH_KEYS or _FIGURE.fullmatch(part) for part in key.split())


_CURLY = "“”„‘’‚"
_STRAIGHTEN = str.maketrans(_CURLY, "\"\"\"'''")


def _style_label(before: str, after: str) -> tuple[str, str]:
    """A style edit as reported: quote-mark swaps pool into one entry, others stay as they are."""
    if before.translate(_STRAIGHTEN) == after.translate(_STRAIGHTEN):
        curly = sum(ch in _CURLY for ch in after) > sum(ch in _CURLY for ch in before)
        return ("straight quotes", "curly quotes") if curly else ("curly quotes", "straight quotes")
    return before, after


def _restyled(before: str, after: str) -> bool:
    """Whether two words of equal key differ in more than edge punctuation and case."""
    return before.strip(_EDGE).casefold() != after.strip(_EDGE).casefold()


# -- each side rebuilt as pieces and sentences ---------------------------------

_MAX_SENTENCE_WORDS = 100  # longer runs without a full stop are cut, to bound SequenceMatcher
# A sentence's credit flags when no credit overlaps it (most): one tuple per length, shared
_UNCREDITED = tuple((False,) * n for n in range(_MAX_SENTENCE_WORDS + 1))
_HEADLINE_WORDS = 20
_LINE_ATTRIBUTION = ("line", "first")  # "Source: ...", "first appeared on ..."
_CREDIT_LINE_WORDS = 40


@dataclass(slots=True)
class _Piece:
    block: int
    start: int
    end: int
    text: str
    segments: list[Segment]


@dataclass(frozen=True, slots=True)
class _Words:
    """One sentence's words, wherever it stands (where it stands is its `_Sentence`'s): the
    words of a sentence that no credit overlaps are one object, read once (`_bare`) and
    shared by every piece and side that holds the sentence."""

    keys: tuple[str, ...]
    raws: tuple[str, ...]
    credit: tuple[bool, ...]  # per word: inside a wire credit or dateline


@dataclass(slots=True)
class _Sentence:
    piece: int
    start: int  # document offsets
    end: int
    segment: int
    block: int
    boiler: bool
    words: _Words
    quoted: bool = False  # some of it stands inside a quotation: `_quote_notes` looks only there


@dataclass(frozen=True, slots=True)
class _Mark:
    """A wire credit or an attribution found in a side's text."""

    kind: str  # dateline, a WIRE_CREDIT group name, or an ATTRIBUTION group name
    value: str
    block: int
    boiler: bool


@dataclass(slots=True)
class _Side:
    pieces: list[_Piece]
    sentences: list[_Sentence]
    credits: list[_Mark] = field(default_factory=list)
    attributions: list[_Mark] = field(default_factory=list)
    quotes: list[tuple[int, int, str]] = field(default_factory=list)  # document offsets, words
    headlines: list[tuple[int, int, tuple[str, ...], str]] = field(default_factory=list)


def _pieces(segments: Sequence[Segment]) -> list[_Piece]:
    """Windows of one block merged back into one span of text, in document order.

    Windows of a block overlap, or abut across the one space between two
    sentences (a window of a single long sentence); that space is restored.
    """
    pieces: list[_Piece] = []
    for seg in sorted(segments, key=lambda s: (s.block, s.start, s.index)):
        end = seg.start + len(seg.text)
        last = pieces[-1] if pieces else None
        if last is not None and last.block == seg.block and seg.start <= last.end + 1:
            if end > last.end:
                gap = " " * (seg.start - last.end)
                last.text += gap + seg.text[max(0, last.end - seg.start) :]
                last.end = end
            last.segments.append(seg)
        else:
            pieces.append(_Piece(seg.block, seg.start, end, seg.text, [seg]))
    pieces.sort(key=lambda p: p.start)
    return pieces


def _sentence_bounds(text: str) -> list[tuple[int, int]]:
    """The sentences of `text` that hold a word, cut where the segmenter cuts them: at each
    `SENTENCE_END` that is no `ABBREVIATION`'s, which `SENTENCE_BREAK` decides in the
    regex engine (`break_ends`: its matches, found a stop character at a time)."""
    cuts = [0, *break_ends(text), len(text)]
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a and not text[a:b].isspace()]


def quote_spans(text: str, *, marks: bool = True) -> list[tuple[int, int]]:
    """Direct quotations (curly or straight double quotes); an unclosed one runs to the end.
    `marks`: whether a span includes its quotation marks or only the words between them.

    A straight mark opens or closes by where it stands, as a reader tells: after a space and
    before a word it opens, after a word and before a space or punctuation it closes; only
    a mark that says neither toggles. Counting marks alone would turn every quotation after
    one cut short ("...traditional..." in an excerpt, a roundup's clipped item) inside out."""
    return _quotations(text)[0 if marks else 1]


def _quotations(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """`quote_spans(text)` and `quote_spans(text, marks=False)`, found in one pass; a text
    without a double quotation mark (most pieces) in three substring tests."""
    if '"' not in text and "“" not in text and "”" not in text:
        return [], []
    spans: list[tuple[int, int]] = []
    inside: list[tuple[int, int]] = []
    opened: tuple[int, int] | None = None
    for m in _QUOTE_MARK.finditer(text):
        role = _mark_role(text, m.start())
        if role == "open" or (role == "either" and opened is None):
            opened = m.span()
        elif opened is not None:
            spans.append((opened[0], m.end()))
            inside.append((opened[1], m.start()))
            opened = None
    if opened is not None:
        spans.append((opened[0], len(text)))
        inside.append((opened[1], len(text)))
    return spans, inside


_QUOTE_MARK = re.compile(r"[“”\"]")


_OPENS_AFTER = "([{—–-/"  # a quotation may open right after these, as after a space
_CLOSES_BEFORE = ",.;:!?)]}…—–-"


def _mark_role(text: str, at: int) -> str:
    """ "open", "close" or "either" for the quotation mark at text[at]."""
    mark = text[at]
    if mark != '"':
        return "open" if mark == "“" else "close"
    before = text[at - 1] if at else " "
    after = text[at + 1] if at + 1 < len(text) else " "
    if (before.isspace() or before in _OPENS_AFTER) and not after.isspace():
        return "open"
    if not before.isspace() and (after.isspace() or after in _CLOSES_BEFORE):
        return "close"
    return "either"


@functools.lru_cache(maxsize=64)
def _build(segments: tuple[Segment, ...], boilerplate: frozenset[int]) -> _Side:
    """One side of a diff, read-only once built. Cached: the tasks of a story arrive together,
    and every child of a version diffs against the same parent side."""
    side = _Side(_pieces(segments), [])
    for seg in segments:
        last = seg.text.rstrip()[-1:]  # most segments end a sentence: no split for them
        if not last or last in ".,;:" or seg.index in boilerplate:
            continue
        keys = _headline_keys(seg.text)
        if keys is not None:
            side.headlines.append((seg.start, seg.start + len(seg.text), keys, seg.text))
    side.headlines.sort()
    sentences = side.sentences
    for p, piece in enumerate(side.pieces):
        reading = _read(piece.text)
        segments_of, block, base = piece.segments, piece.block, piece.start
        if reading.credits or reading.attributions:  # most pieces hold neither
            boiler_piece = all(s.index in boilerplate for s in segments_of)
            side.credits += (_Mark(k, v, block, boiler_piece) for k, v in reading.credits)
            side.attributions += (_Mark(k, v, block, boiler_piece) for k, v in reading.attributions)
        if reading.quotes:
            side.quotes += ((base + a, base + b, piece.text[a:b]) for a, b in reading.quotes)
        if len(segments_of) > 1:  # the windows of one long line
            rows = [(base + start, base + end) for start, end, _, _ in reading.sentences]
            places = _placed(segments_of, rows, boilerplate)
            sentences += (
                _Sentence(p, start, end, segment, block, boiler, words, quoted)
                for (start, end), (segment, boiler), (_, _, quoted, words) in zip(
                    rows, places, reading.sentences, strict=True
                )
            )
            continue
        only = segments_of[0]  # most pieces: one segment
        segment = only.index
        if segment not in boilerplate:
            sentences += (
                _Sentence(p, base + start, base + end, segment, block, False, words, quoted)
                for start, end, quoted, words in reading.sentences
            )
            continue
        for start, end, quoted, words in reading.sentences:
            start, end = base + start, base + end
            boiler = only.start < end and only.end > start
            sentences.append(_Sentence(p, start, end, segment, block, boiler, words, quoted))
    return side


def _placed(
    segments: list[Segment], rows: list[tuple[int, int]], boilerplate: frozenset[int]
) -> list[tuple[int, bool]]:
    """For each sentence (start, end) of a piece cut from several segments (the windows of
    one long line), the segment that holds it and whether it is chrome: of the segments it
    overlaps, the first of those that start at or before it (else of all), and chrome when
    every one is. `_placed_each` says the same of one sentence by scanning every segment,
    which on a long line of many windows is quadratic: here the segments (in start order,
    as `_pieces` keeps them) enter once a sentence ends past their start and leave once a
    sentence starts at or past their end, which holds for every later sentence of the piece
    (starts and ends ascend); a piece where they do not ascend is placed sentence by
    sentence."""
    if any(a > b for a, b in itertools.pairwise(g.start for g in segments)) or any(
        x[0] > y[0] or x[1] > y[1] for x, y in itertools.pairwise(rows)
    ):
        return [_placed_each(segments, start, end, boilerplate) for start, end in rows]
    out: list[tuple[int, bool]] = []
    active: list[Segment] = []  # segments that start before the sentence ends, in order
    k, count, first = 0, len(segments), segments[0].index
    chrome = any(g.index in boilerplate for g in segments)  # else no sentence is chrome
    for start, end in rows:
        while k < count and segments[k].start < end:
            active.append(segments[k])
            k += 1
        active = [g for g in active if g.end > start]  # the sentence's covering segments
        holder = [g.index for g in active if g.start <= start] or [g.index for g in active]
        boiler = chrome and bool(active) and all(g.index in boilerplate for g in active)
        out.append((min(holder) if holder else first, boiler))
    return out


def _placed_each(
    segments: Sequence[Segment], start: int, end: int, boilerplate: frozenset[int]
) -> tuple[int, bool]:
    """`_placed` for one sentence, every segment scanned: the definition."""
    covering = [g for g in segments if g.start < end and g.end > start]
    holder = [g.index for g in covering if g.start <= start] or [g.index for g in covering]
    segment = min(holder) if holder else segments[0].index
    return segment, bool(covering) and all(g.index in boilerplate for g in covering)


@lru_cache(maxsize=1 << 12)
def _headline_keys(line: str) -> tuple[str, ...] | None:
    """The word keys of a line short enough to be a headline, with no full stop in it, None
    for any other. Cached by the text: every version of a story offers its headline again.
    Whether it is furniture instead (`_furniture`, which reads dates) is asked later, and
    only of the lines that decide `_above_body`."""
    words = line.split()
    if len(words) > _HEADLINE_WORDS or SENTENCE_END.search(line):
        return None
    return tuple(k for w in words if (k := _KEYS[w]))


@dataclass(frozen=True, slots=True)
class _Reading:
    """What a piece of text says, wherever it stands: `_build` places it on its side."""

    sentences: tuple[tuple[int, int, bool, _Words], ...]  # start, end (the piece's), quoted
    credits: tuple[tuple[str, str], ...]  # (kind, value)
    attributions: tuple[tuple[str, str], ...]
    quotes: tuple[tuple[int, int], ...]  # the words between each quotation's marks


@functools.lru_cache(maxsize=4096)
def _read(text: str) -> _Reading:
    """The sentences, credits and attributions of a piece of text. Cached by the text: a copy
    repeats most of its parent's paragraphs, so the sides of one story share most pieces."""
    bounds = _sentence_bounds(text)
    starts = [a for a, _ in bounds]
    credit_spans: list[tuple[int, int]] = []
    credits: list[tuple[str, str]] = []
    for m in credit_matches(text):
        group = next(g for g, v in m.groupdict().items() if v)
        first = bounds[max(0, bisect.bisect_right(starts, m.start()) - 1)][0] if bounds else 0
        if group in DATELINE_GROUPS and m.start() - first <= DATELINE_PREFIX:
            span, kind = (first, m.end()), "dateline"
        else:
            span, kind = m.span(), group
        credit_spans.append(span)
        credits.append((kind, " ".join(text[span[0] : span[1]].split())))
    attributions: list[tuple[str, str]] = []
    for m in attribution_matches(text):
        group, value = next((g, v) for g, v in m.groupdict().items() if v)
        attributions.append((group, value.strip().rstrip(".").lower()))
    quotes, inside = _quotations(text)
    if not quotes and not credit_spans:  # most pieces: no sentence quoted, none credited
        rows = [(a + s, a + e, False, w) for a, b in bounds for s, e, w in _bare(text[a:b])]
        return _Reading(tuple(rows), tuple(credits), tuple(attributions), ())
    sentences: list[tuple[int, int, bool, _Words]] = []
    for a, b in bounds:
        quoted = bool(quotes) and any(q < b and r > a for q, r in quotes)
        if credit_spans and (credited := _within(credit_spans, a, b)):
            sentences += _credited(text, a, b, quoted, credited)
            continue
        for start, end, words in _bare(text[a:b]):
            sentences.append((a + start, a + end, quoted, words))
    return _Reading(tuple(sentences), tuple(credits), tuple(attributions), tuple(inside))


@lru_cache(maxsize=1 << 14)
def _bare(sentence: str) -> tuple[tuple[int, int, _Words], ...]:
    """The words of a sentence that no credit overlaps, a row per chunk of at most
    `_MAX_SENTENCE_WORDS` words, offsets the sentence's. Cached by the text: such a sentence
    reads the same wherever it stands (no pattern of the reader looks behind the sentence's
    start or past its end), and an edited paragraph keeps most of its sentences.

    Most sentences hold at most `_MAX_SENTENCE_WORDS` words, and no percent sign or only
    signs that end a figure's whitespace run ("5%", not "5 %", "5%.", "5 per cent"): their
    words are the whitespace runs (`_units`), so `str.split`'s (it and `\\S+` agree on every
    character), read with no offsets per word; keyless marks ("--", "|", an emoji) join a
    neighbour as `_chunks` joins them (`_joined`, over word numbers: a run of words joined
    is their text with its whitespace runs as single spaces, `_spaced`). Any other
    sentence goes through `_chunks`."""
    if _signs_end_runs(sentence):
        raws = sentence.split()
        keys = tuple(map(_KEYS.__getitem__, raws))
        if keys and len(keys) <= _MAX_SENTENCE_WORDS:
            if not all(keys):
                runs, joined = _joined([(n, n + 1) for n in range(len(raws))], list(keys))
                # only a sentence of nothing but keyless marks keeps one: no words, as a bare mark
                keys = tuple(joined) if all(joined) else ()
                raws = [" ".join(raws[u:v]) for u, v in runs] if keys else []
            lead = len(sentence) - len(sentence.lstrip())
            end = len(sentence.rstrip())
            return ((lead, end, _Words(keys, tuple(raws), _UNCREDITED[len(keys)])),)
    return tuple(
        (spans[0][0], spans[-1][1], _Words(keys, raws, _UNCREDITED[len(keys)]))
        for spans, keys, raws in _chunks(sentence, 0, len(sentence))
    )


def _signs_end_runs(sentence: str) -> bool:
    """Whether every figure with a percent sign in `sentence` ends its whitespace run with
    the sign ("5%", not "5 %", "5 per cent", "5%." or "5%-owned"): then every word `_units`
    reads is a whitespace run, none spanning two or cut out of one. Asked in one search
    (`_SIGN_IN_RUN`) after the substring test, not figure by figure (tests/test_diff_sign_gate.py
    holds that definition and compares the two)."""
    return _no_sign(sentence) or not _SIGN_IN_RUN.search(sentence)


def _credited(
    text: str, a: int, b: int, quoted: bool, credits: list[tuple[int, int]]
) -> Iterable[tuple[int, int, bool, _Words]]:
    """The sentence text[a:b], which some of `credits` overlap, as `_Reading` rows."""
    for spans, keys, raws in _chunks(text, a, b):
        starts = [u for u, _ in spans] if keys else []
        yield spans[0][0], spans[-1][1], quoted, _Words(keys, raws, _flags(starts, credits))


def _chunks(
    text: str, a: int, b: int
) -> list[tuple[list[tuple[int, int]], tuple[str, ...], tuple[str, ...]]]:
    """The sentence text[a:b] as (word spans, keys, raw words), cut every
    `_MAX_SENTENCE_WORDS` words if it runs on without a full stop. Keyless marks join a
    neighbour; only a chunk of nothing but one keyless mark keeps it, with no keys or words."""
    spans = _units(text, a, b)
    raws = [text[u:v] for u, v in spans]
    keys = list(map(_KEYS.__getitem__, raws))
    if not all(keys):  # keyless marks ("--", a lone quotation mark) join a neighbour
        spans, keys = _joined(spans, keys)
        raws = [_spaced(text[u:v]) for u, v in spans]
    elif _WHITESPACE.search("".join(raws)):  # a word may span whitespace: "5 per cent"
        raws = list(map(_spaced, raws))
    out = []
    for k in range(0, len(spans), _MAX_SENTENCE_WORDS):
        chunk = spans[k : k + _MAX_SENTENCE_WORDS]
        ck, cr = keys[k : k + _MAX_SENTENCE_WORDS], raws[k : k + _MAX_SENTENCE_WORDS]
        if all(ck):
            out.append((chunk, tuple(ck), tuple(cr)))
        else:  # only a sentence of one keyless mark keeps it, as a bare mark
            out.append((chunk, (), ()))
    return out


def _joined(
    spans: list[tuple[int, int]], keys: list[str]
) -> tuple[list[tuple[int, int]], list[str]]:
    """Keyless units merged into the word before them (the first into the word after it):
    only a sentence of nothing but marks keeps a keyless unit, its first."""
    units: list[tuple[int, int, str]] = []
    for (start, end), key in zip(spans, keys, strict=True):
        if key or not units:
            units.append((start, end, key))
        else:
            units[-1] = (units[-1][0], end, units[-1][2])
    if units and not units[0][2] and len(units) > 1:
        units[1] = (units[0][0], units[1][1], units[1][2])
        del units[0]
    return [(u, v) for u, v, _ in units], [key for _, _, key in units]


def _within(spans: list[tuple[int, int]], a: int, b: int) -> list[tuple[int, int]]:
    """The spans that overlap text[a:b]: the only ones that can hold a word of it."""
    return [s for s in spans if s[0] < b and s[1] > a] if spans else spans


def _units(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """(start, end) of each word of text[a:b]: a whitespace run, or from a run's start to the
    percent sign after its first figure that has one (the figure's own run of digits,
    points and commas ends right before the sign, or one space before it).

    Without a percent sign in the sentence, the words are its whitespace runs. Otherwise
    the figures with a percent sign after them are found in one pass (a figure never spans
    whitespace, nor the end of a percent sign, and whether a sign follows it does not depend
    on the words before), and a run that holds none of them and that no sign reached into
    is a word as it stands."""
    runs = [m.span() for m in _RUN.finditer(text, a, b)]
    if not _percent_sign(text[a:b]):  # then no word runs on: most sentences
        return runs
    figures = _percent_figures(text, a, b)
    if not figures:
        return runs
    units: list[tuple[int, int]] = []
    pos, f, last = a, 0, len(figures)
    for start, stop in runs:
        if start >= pos and (f == last or figures[f][0] >= stop):
            units.append((start, stop))  # no figure with a sign in it: most runs
            continue
        start = max(start, pos)  # a run a percent sign reached into: "5 %-owned"
        while start < stop:  # the rest of a run after its percent sign is a word: "5%-owned"
            while f < last and figures[f][0] < start:
                f += 1
            end = figures[f][1] if f < last and figures[f][0] < stop else stop
            units.append((start, end))
            start = pos = end
    return units


def _percent_figures(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """(start, end) of each figure in text[a:b] with a percent sign after it, the sign in."""
    return [
        (m.start(), percent.end())
        for m in _FIGURE_RUN.finditer(text, a, b)
        if (percent := _PERCENT_AFTER.match(text, m.end(), b))
    ]


def _spaced(raw: str) -> str:
    """`raw` with each run of whitespace as one space; most words have none to fold."""
    return " ".join(raw.split()) if _WHITESPACE.search(raw) else raw


_WHITESPACE = re.compile(r"\s")


def _flags(starts: list[int], spans: list[tuple[int, int]]) -> tuple[bool, ...]:
    """For each of the ascending `starts`, whether it lies in one of `spans` (credit spans
    may overlap and come out of order: a start is inside when it precedes the furthest end
    of the spans that open at or before it)."""
    if not spans:
        return (False,) * len(starts)
    spans = sorted(spans)
    reach, k, found = -1, 0, []
    for u in starts:
        while k < len(spans) and spans[k][0] <= u:
            reach = max(reach, spans[k][1])
            k += 1
        found.append(u < reach)
    return tuple(found)


# -- alignment ----------------------------------------------------------------

_ALL_PAIRS = 4096  # below this many (child, parent) pairs, try them all
_TOP_CANDIDATES = 10
_NEARBY = 4


@dataclass(slots=True)
class _Group:
    """Aligned sentences: contiguous runs of one piece on each side."""

    cs: list[int]
    ps: list[int]
    matched: int  # words SequenceMatcher pairs between the two runs
    moved: bool = False  # off the longest run in the parent's order


def _opcodes(a: Sequence[str], b: Sequence[str]) -> Sequence[tuple[str, int, int, int, int]]:
    """SequenceMatcher's opcodes from `a` to `b`; equal lists (a style-only edit) are one
    equal run, as SequenceMatcher finds them, without indexing either."""
    if a == b:
        return [("equal", 0, len(a), 0, len(b))] if a else []
    return SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


def _matched(a: Sequence[str], b: Sequence[str]) -> int:
    return sum(m.size for m in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())


def _align(child: list[_Sentence], parent: list[_Sentence]) -> list[_Group]:
    c_ids = [i for i, s in enumerate(child) if s.words.keys and not s.boiler]
    p_ids = [j for j, s in enumerate(parent) if s.words.keys and not s.boiler]
    c_rel = {i: n / max(len(c_ids), 1) for n, i in enumerate(c_ids)}
    p_rel = {j: n / max(len(p_ids), 1) for n, j in enumerate(p_ids)}
    groups: list[_Group] = []
    of_c: dict[int, _Group] = {}
    of_p: dict[int, _Group] = {}

    def pair(i: int, j: int, matched: int) -> None:
        g = _Group([i], [j], matched)
        groups.append(g)
        of_c[i] = of_p[j] = g

    # 1. identical sentences; repeats pair in order, or by nearest relative position
    by_key: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for j in p_ids:
        by_key[parent[j].words.keys].append(j)
    kids: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i in c_ids:
        kids[child[i].words.keys].append(i)
    for key, cis in kids.items():
        pjs = by_key.get(key, [])
        if len(cis) == len(pjs) or len(cis) * len(pjs) > _ALL_PAIRS:
            for i, j in zip(cis, pjs, strict=False):  # extra repeats stay unpaired
                pair(i, j, len(key))
            continue
        for _, i, j in sorted((abs(c_rel[i] - p_rel[j]), i, j) for i in cis for j in pjs):
            if i not in of_c and j not in of_p:
                pair(i, j, len(key))

    # 1b. chrome on either side pairs only with a sentence equal to it, in order
    _pair_chrome(child, parent, of_c, of_p, pair)

    # 2. similar sentences, greedily by ratio
    cu = [i for i in c_ids if i not in of_c]
    pu = [j for j in p_ids if j not in of_p]
    edges: list[tuple[float, float, int, int]] = []
    reach = _within_reach(child, parent, cu, pu, c_rel, p_rel)
    for j, cis in reach.items():
        sm = SequenceMatcher(None, autojunk=False)
        sm.set_seq2(parent[j].words.keys)
        for i in cis:
            sm.set_seq1(child[i].words.keys)
            ratio = sm.ratio()
            if ratio >= MIN_RATIO:
                edges.append((-ratio, abs(c_rel[i] - p_rel[j]), i, j))
    for neg_ratio, _, i, j in sorted(edges):
        if i not in of_c and j not in of_p:
            size = len(child[i].words.keys) + len(parent[j].words.keys)
            pair(i, j, round(-neg_ratio * size / 2))

    # 3. split and merged sentences: a leftover joins a neighbouring pair it completes
    def absorb(
        ids: list[int], mine: list[_Sentence], taken: dict[int, _Group], child_side: bool
    ) -> bool:
        grew = False
        for x in ids:
            if x in taken:
                continue
            for nb in (x - 1, x + 1):
                g = taken.get(nb)
                if g is None or mine[nb].piece != mine[x].piece:
                    continue
                run = sorted([*(g.cs if child_side else g.ps), x])
                cs, ps = (run, g.ps) if child_side else (g.cs, run)
                gain = max(1.0, 0.5 * len(mine[x].words.keys))
                # difflib matches a common subsequence: at most the longest, counted in C
                before, after = _concat(parent, ps), _concat(child, cs)
                if LCSseq.similarity(before, after) - g.matched < gain:
                    continue
                matched = _matched(before, after)
                if matched - g.matched >= gain:
                    g.cs, g.ps, g.matched = cs, ps, matched
                    taken[x] = g
                    grew = True
                    break
        return grew

    while absorb(c_ids, child, of_c, True) | absorb(p_ids, parent, of_p, False):
        pass

    # 4. out of order, the words alone must show an edit: a moved group keeps most of both sides
    groups.sort(key=lambda g: g.cs[0])
    text = [g for g in groups if not (child[g.cs[0]].boiler or parent[g.ps[0]].boiler)]
    for n in _moved(text):
        text[n].moved = True
    return [
        g
        for g in groups
        if not g.moved or 2 * g.matched > max(_size(child, g.cs), _size(parent, g.ps))
    ]


def _pair_chrome(
    child: list[_Sentence],
    parent: list[_Sentence],
    of_c: dict[int, _Group],
    of_p: dict[int, _Group],
    pair: Callable[[int, int, int], None],
) -> None:
    """Pair each chrome sentence left on one side with the next equal sentence left on the
    other, in document order (kept furniture is kept in place)."""
    if not any(s.boiler for s in child) and not any(s.boiler for s in parent):
        return  # only chrome pairs here: most sides have none
    left_p: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for j, s in enumerate(parent):
        if s.words.keys and j not in of_p:
            left_p[s.words.keys].append(j)
    for i, s in enumerate(child):
        if not s.words.keys or i in of_c:
            continue
        for n, j in enumerate(left_p.get(s.words.keys, ())):
            if s.boiler or parent[j].boiler:
                pair(i, j, len(s.words.keys))
                del left_p[s.words.keys][n]
                break


def printed_with_story(text: str) -> bool:
    """A chrome line a site prints around a story as prose (a newsletter plug, a disclaimer,
    "The post ... appeared first on ...", a related headline): a copy that drops it removed
    text its source carried. Menus (links between bars), copyright lines and short labels
    are the page, not the story's surroundings: no copy is expected to keep those."""
    line = text.strip()
    return (
        len(line.split()) >= _PROSE_WORDS
        and "|" not in line
        and not line.lower().startswith(("©", "(c)", "copyright"))
    )


_PROSE_WORDS = 5


def _within_reach(
    child: list[_Sentence],
    parent: list[_Sentence],
    cu: list[int],
    pu: list[int],
    c_rel: dict[int, float],
    p_rel: dict[int, float],
) -> dict[int, list[int]]:
    """The `_candidates` pairs that can reach `MIN_RATIO`, parent -> child sentences.

    SequenceMatcher's ratio is 2M/T, M the words of its matching blocks: a common
    subsequence, so at most the longest one. That length is computed by rapidfuzz in C
    over the sentences' word keys as they stand (a matrix of all pairs at once when all
    pairs are tried): rapidfuzz reads a sequence of strings as their hashes (a one-letter
    key as its code point), each converted once per sentence in the matrix, so equal keys
    read equal and two keys that happen to read alike can only lengthen the subsequence.
    The bound is never below what SequenceMatcher matches, and a pair whose bound falls
    short of `MIN_RATIO` never costs a SequenceMatcher; it passes fewer pairs than difflib's
    `quick_ratio` (a multiset count), and the pairs difflib accepts are the same. Which
    pairs it passes may depend on the hash seed; what is accepted never does."""
    out: dict[int, list[int]] = {}
    if not cu or not pu:
        return out
    if len(cu) * len(pu) <= _ALL_PAIRS:
        common = process.cdist(
            [child[i].words.keys for i in cu],
            [parent[j].words.keys for j in pu],
            scorer=LCSseq.similarity,
            dtype=np.int32,
            workers=1,
        )
        c_lens = np.array([len(child[i].words.keys) for i in cu])
        p_lens = np.array([len(parent[j].words.keys) for j in pu])
        reach = 2 * common >= MIN_RATIO * (c_lens[:, None] + p_lens[None, :])
        for n, m in zip(*np.nonzero(reach.T), strict=True):
            out.setdefault(pu[n], []).append(cu[m])
        return out
    for j, cis in _candidates(child, parent, cu, pu, c_rel, p_rel).items():
        p_len = len(parent[j].words.keys)
        for i in cis:
            c_len = len(child[i].words.keys)
            total = MIN_RATIO * (c_len + p_len)
            # words in common are at most the shorter side's: a bound with no call at all
            if (
                2 * min(c_len, p_len) >= total
                and 2 * LCSseq.similarity(child[i].words.keys, parent[j].words.keys) >= total
            ):
                out.setdefault(j, []).append(i)
    return out


def _candidates(
    child: list[_Sentence],
    parent: list[_Sentence],
    cu: list[int],
    pu: list[int],
    c_rel: dict[int, float],
    p_rel: dict[int, float],
) -> dict[int, list[int]]:
    """parent -> child sentences worth a SequenceMatcher, when there are too many pairs to
    try them all: the parent sentences sharing the most rare words, plus the few nearest in
    relative position, so a sentence of common words edited in place is still tried.
    """
    out: dict[int, list[int]] = defaultdict(list)
    rel = [p_rel[j] for j in pu]
    index: dict[str, list[int]] = defaultdict(list)
    for j in pu:
        for k in dict.fromkeys(parent[j].words.keys):  # each distinct key once
            index[k].append(j)
    common = max(8, len(pu) // 10)  # words in more sentences than this say nothing
    for i in cu:
        shared: Counter[int] = Counter()
        for k in dict.fromkeys(child[i].words.keys):
            hits = index.get(k)
            if hits and len(hits) <= common:
                shared.update(hits)
        at = bisect.bisect_left(rel, c_rel[i])
        nearby = pu[max(0, at - _NEARBY // 2) : at + _NEARBY // 2]
        # ties go to the earlier sentence: `most_common` would order them by first count, which
        # follows the iteration of a set of strings, and so the process's hash seed
        top = heapq.nsmallest(_TOP_CANDIDATES, shared.items(), key=lambda hit: (-hit[1], hit[0]))
        for j in dict.fromkeys([*(j for j, _ in top), *nearby]):
            out[j].append(i)
    return out


def _concat(side: list[_Sentence], ids: Iterable[int]) -> list[str]:
    return [k for i in ids for k in side[i].words.keys]


def _size(side: list[_Sentence], ids: Iterable[int]) -> int:
    return sum(len(side[i].words.keys) for i in ids)


def _moved(groups: list[_Group]) -> set[int]:
    """Groups (by position) off a longest increasing run of parent positions."""
    seq = [g.ps[0] for g in groups]
    tails: list[int] = []  # tails[k]: position in seq ending the best run of length k+1
    tail_values: list[int] = []
    prev = [-1] * len(seq)
    for n, v in enumerate(seq):
        k = bisect.bisect_left(tail_values, v)
        prev[n] = tails[k - 1] if k else -1
        if k == len(tails):
            tails.append(n)
            tail_values.append(v)
        else:
            tails[k], tail_values[k] = n, v
    keep: set[int] = set()
    n = tails[-1] if tails else -1
    while n >= 0:
        keep.add(n)
        n = prev[n]
    return set(range(len(seq))) - keep


# -- the diff -------------------------------------------------------------------


def diff_versions(
    child: Sequence[Segment],
    parent: Sequence[Segment],
    *,
    boilerplate: frozenset[int] = frozenset(),
    parent_boilerplate: frozenset[int] = frozenset(),
) -> VersionDiff:
    """What the publisher of `child` did to the text of `parent`.

    Both are one document's segments (`text == doc[start:end]`); windows of one
    block may overlap. `boilerplate` holds child segment indexes known to be site
    chrome, `parent_boilerplate` the parent's chrome lines printed with its story
    (`printed_with_story`): chrome pairs only with a sentence equal to it (a copy that
    kept its source's "The post ... appeared first on" line kept it), never by
    resemblance (two sites' newsletter plugs are not one edited); unpaired, the child's
    is added and the parent's removed.
    """
    c, p = _build(tuple(child), boilerplate), _build(tuple(parent), parent_boilerplate)
    groups = _align(c.sentences, p.sentences)
    notes: list[Note] = []
    changed: list[Change] = []
    style: Counter[tuple[str, str]] = Counter()
    for g in groups:
        if len(g.cs) == len(g.ps) == 1 and (
            c.sentences[g.cs[0]].words.raws == p.sentences[g.ps[0]].words.raws
        ):
            continue  # most groups: one sentence kept word for word
        change = _compare(g, c, p, notes, style)
        if change is not None:
            changed.append(change)
    notes += _quote_notes(groups, c, p)
    aligned_c = {i for g in groups for i in g.cs}
    aligned_p = {j for g in groups for j in g.ps}
    added = _runs(c, [s.words.keys != () and i not in aligned_c for i, s in enumerate(c.sentences)])
    removed = _runs(
        p, [s.words.keys != () and j not in aligned_p for j, s in enumerate(p.sentences)]
    )
    moved_c = {i for g in groups if g.moved for i in g.cs}
    moved = _runs(c, [i in moved_c for i in range(len(c.sentences))]) if moved_c else []

    blocks = [c.sentences[i].block for i in aligned_c]
    near = range(min(blocks) - _NEAR_BLOCKS, max(blocks) + _NEAR_BLOCKS + 1) if blocks else None
    notes += _credit_notes(c, p, near)
    notes += _attribution_notes(c, p, near)
    headline = _headline(c, p, groups)
    if headline:
        notes.append(Note("headline-changed", f"{_short(headline[0])} → {_short(headline[1])}"))
    for passage, boiler in added:
        if boiler:
            notes.append(Note("boilerplate-added", _short(passage.text)))
        elif not _is_attribution_line(passage.text) and passage.text not in headline:
            notes.append(Note("paragraphs-added", _short(passage.text)))
    for passage, boiler in removed:
        if not boiler and not _is_credit_line(passage.text) and passage.text not in headline:
            notes.append(Note("paragraphs-removed", _short(passage.text)))
    for (before, after), n in style.items():
        notes.append(Note("style-only", f"{before} → {after}" + (f" (×{n})" if n > 1 else "")))
    rank = {kind: n for n, kind in enumerate(NOTE_KINDS)}
    notes.sort(key=lambda note: rank[note.kind])
    return VersionDiff(
        added=tuple(a for a, _ in added),
        removed=tuple(r for r, _ in removed),
        changed=tuple(changed),
        moved=tuple(m for m, _ in moved),
        notes=tuple(notes),
        aligned=len(aligned_c),
    )


_NEAR_BLOCKS = 3  # child credits and attributions count within this many paragraphs of the copy


def _compare(
    g: _Group, c: _Side, p: _Side, notes: list[Note], style: Counter[tuple[str, str]]
) -> Change | None:
    """Word edits of one aligned group; number, quote and style findings go to notes/style.

    A side of one sentence (most groups) reads its words as the tuples they are, not copied
    into lists; a side of several joins its sentences' words into one tuple. Both sides are
    tuples, so every comparison, slice and concatenation below reads as it read the lists
    (`tests/test_diff_compare.py` holds that definition)."""
    bw, aw = [p.sentences[j].words for j in g.ps], [c.sentences[i].words for i in g.cs]
    braw, araw = _chained([w.raws for w in bw]), _chained([w.raws for w in aw])
    if braw == araw:
        return None
    bk, ak = _chained([w.keys for w in bw]), _chained([w.keys for w in aw])
    bc, ac = _chained([w.credit for w in bw]), _chained([w.credit for w in aw])
    edits: list[tuple[str, str]] = []
    numbers: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in _opcodes(bk, ak):
        if tag == "equal":
            was, now = braw[i1:i2], araw[j1:j2]
            if was != now:  # a run kept word for word (most) holds no restyled word
                pairs = zip(was, now, strict=True)  # and an unchanged word is never restyled
                style.update(_style_label(x, y) for x, y in pairs if x != y and _restyled(x, y))
            continue
        if all(bc[i1:i2]) and all(ac[j1:j2]):
            continue  # a credit or dateline edit: reported by the credit notes
        edit = (" ".join(braw[i1:i2]), " ".join(araw[j1:j2]))
        edits.append(edit)
        if any(_numeric(k) for k in bk[i1:i2] + ak[j1:j2]):
            numbers.append(edit)
    if numbers:  # the figures of both sides are read only when an edit touches one
        b_numbers = [k for k, x in zip(bk, bc, strict=True) if not x and _numeric(k)]
        a_numbers = [k for k, x in zip(ak, ac, strict=True) if not x and _numeric(k)]
        if b_numbers != a_numbers:
            notes.extend(Note("number-changed", _edit(e)) for e in numbers)
    if not edits:
        return None
    return Change(_passage(p, g.ps), _passage(c, g.cs), tuple(edits))


_T = TypeVar("_T")


def _chained(rows: list[tuple[_T, ...]]) -> tuple[_T, ...]:
    """The rows (one field of a group's sentences' words) joined into one tuple; a single
    row, as most groups hold, is returned as it is, not copied."""
    return rows[0] if len(rows) == 1 else tuple(x for row in rows for x in row)


def _quote_notes(groups: list[_Group], c: _Side, p: _Side) -> list[Note]:
    """Quotations compared whole, not sentence by sentence: a quotation often runs over
    several sentences, and an editor checking it against the source needs all of it, as it
    was and as it is, including the sentences the copy cut from it.

    The quotations of both sides are joined through the aligned groups that touch them (a
    quotation split, merged or cut is one unit with its counterparts); a unit whose words
    differ (house style folded, as everywhere in the diff) is one `quote-changed` note. A
    quotation whose sentences were all dropped is left to `paragraphs-removed`.
    """
    notes = []
    for nodes in _quote_units(groups, c, p):
        was = [p.quotes[q][2] for side, q in nodes if side == 0]
        now = [c.quotes[q][2] for side, q in nodes if side == 1]
        if was == now:
            continue  # the same words: most quotations
        bw, aw = _quoted_words(was), _quoted_words(now)
        bk, ak = [k for _, k in bw], [k for _, k in aw]
        if bk == ak:
            continue
        edits = [
            (" ".join(w for w, _ in bw[i1:i2]), " ".join(w for w, _ in aw[j1:j2]))
            for tag, i1, i2, j1, j2 in SequenceMatcher(None, bk, ak, autojunk=False).get_opcodes()
            if tag != "equal"
        ]
        quoted = [" … ".join(" ".join(t.split()) for t in texts) for texts in (was, now)]
        shown = " → ".join(f"“{q}”" if q else "∅" for q in quoted)
        if all(quoted):  # the words that changed first, then both quotations whole
            shown = f"{'; '.join(map(_edit, edits))}: {shown}"
        notes.append(Note("quote-changed", shown))
    return notes


def _quote_units(groups: list[_Group], c: _Side, p: _Side) -> list[list[tuple[int, int]]]:
    """The quotations of both sides, (0, q) the parent's q-th and (1, q) the child's, joined
    into units through the aligned groups that touch them; each unit in order, units in the
    order of their least node.

    Only groups holding a quoted sentence are followed: each side's quoted sentences are a
    set, asked of a group at once (most groups hold none), and two sides without quotations
    (many) have none to join."""
    if not p.quotes and not c.quotes:
        return []
    parent: dict[tuple[int, int], tuple[int, int]] = {}
    p_touching, c_touching = _toucher(p), _toucher(c)
    p_quoted = {j for j, s in enumerate(p.sentences) if s.quoted}
    c_quoted = {i for i, s in enumerate(c.sentences) if s.quoted}

    def root(node: tuple[int, int]) -> tuple[int, int]:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for g in groups:
        if p_quoted.isdisjoint(g.ps) and c_quoted.isdisjoint(g.cs):
            continue
        nodes = [(0, q) for q in p_touching(g.ps)] + [(1, q) for q in c_touching(g.cs)]
        for node in nodes:
            parent[root(node)] = root(nodes[0])
    units: defaultdict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for node in sorted(parent):
        units[root(node)].append(node)
    return list(units.values())


def _touching(side: _Side, ids: Sequence[int]) -> list[int]:
    """Indexes of the side's quotations that overlap any of the sentences `ids`."""
    return [
        q
        for q, (a, b, _) in enumerate(side.quotes)
        if any(a < side.sentences[i].end and b > side.sentences[i].start for i in ids)
    ]


def _toucher(side: _Side) -> Callable[[Sequence[int]], list[int]]:
    """`_touching` for one side, read by bisection: a side's quotations stand in document
    order and never overlap (one pass over each piece finds them, pieces in order), so the
    quotations a sentence overlaps are one run, those ending past its start up to the first
    starting at or past its end; a side where their starts or ends do not ascend is scanned
    as `_touching` scans it."""
    starts = [a for a, _, _ in side.quotes]
    ends = [b for _, b, _ in side.quotes]
    if any(x > y for x, y in itertools.pairwise(starts)) or any(
        x > y for x, y in itertools.pairwise(ends)
    ):
        return functools.partial(_touching, side)

    def touching(ids: Sequence[int]) -> list[int]:
        found: set[int] = set()
        for i in ids:
            s = side.sentences[i]
            found.update(
                range(bisect.bisect_right(ends, s.start), bisect.bisect_left(starts, s.end))
            )
        return sorted(found)

    return touching


def _quoted_words(texts: list[str]) -> list[tuple[str, str]]:
    """(raw, key) of each keyed word of the quotations, in order."""
    words = []
    for text in texts:
        for a, b in _units(text, 0, len(text)):
            if key := _KEYS[text[a:b]]:
                words.append((text[a:b], key))
    return words


def _edit(edit: tuple[str, str]) -> str:
    return f"{_short(edit[0], 60) or '∅'} → {_short(edit[1], 60) or '∅'}"


def _passage(side: _Side, ids: Sequence[int]) -> Passage:
    first, last = side.sentences[ids[0]], side.sentences[ids[-1]]
    piece = side.pieces[first.piece]
    text = piece.text[first.start - piece.start : last.end - piece.start]
    return Passage(first.segment, first.start, last.end, text)


def _runs(side: _Side, flags: list[bool]) -> list[tuple[Passage, bool]]:
    """Flagged sentences merged into one passage per paragraph run; bool: boilerplate run.

    A run closes at a keyed sentence that is not flagged or that stands in another piece or
    on the other side of chrome than the run's first; a side with no flag (most sides have
    no moved sentence, many none added or removed) has no run. Only a run open is closed:
    the unflagged sentences between runs (most) cost a test each, not a call."""
    out: list[tuple[Passage, bool]] = []
    if not any(flags):
        return out
    run: list[int] = []
    where: tuple[int, bool] = (-1, False)  # the run's first sentence's piece and chrome

    def close() -> None:
        out.append((_passage(side, run), where[1]))
        run.clear()

    for n, (s, flag) in enumerate(zip(side.sentences, flags, strict=True)):
        if not s.words.keys:
            continue  # a bare mark neither joins nor breaks a run
        if not flag:
            if run:
                close()
            continue
        if run and where != (s.piece, s.boiler):
            close()
        if not run:
            where = (s.piece, s.boiler)
        run.append(n)
    if run:
        close()
    return out


def _credit_notes(c: _Side, p: _Side, near: range | None) -> list[Note]:
    """Datelines and credit lines of the parent that the child no longer carries anywhere near."""
    kept = {m.kind for m in c.credits if near is None or m.block in near}
    notes = []
    for m in p.credits:
        if m.kind not in kept and not m.boiler:
            kind = "dateline-removed" if m.kind == "dateline" else "credit-removed"
            notes.append(Note(kind, _short(m.value)))
            kept.add(m.kind)  # one note per kind of credit
    return notes


def _attribution_notes(c: _Side, p: _Side, near: range | None) -> list[Note]:
    """Sources the child names that the parent did not (near the copy, outside site chrome)."""
    known = {m.value for m in p.attributions if not m.boiler}
    notes = []
    for m in c.attributions:
        if m.value not in known and not m.boiler and (near is None or m.block in near):
            notes.append(Note("attribution-added", _short(m.value)))
            known.add(m.value)
    return notes


def _headline(c: _Side, p: _Side, groups: list[_Group]) -> tuple[str, str] | tuple[()]:
    """Short lines just above each side's aligned body, compared; junk above them is skipped.

    Site chrome often sits above the headline, so each side offers up to three
    short lines above the first aligned sentence of its body; the headline
    changed when no line of one side equals a line of the other, and the closest two share
    a word (lines with nothing in common are a masthead and a headline, not a retitling;
    menus and date lines are never candidates, `_furniture`).
    """
    before = _above_body(p, [j for g in groups for j in g.ps])
    after = _above_body(c, [i for g in groups for i in g.cs])
    if not before or not after or {k for k, _ in before} & {k for k, _ in after}:
        return ()
    pairs = [(b, a) for b in reversed(before) for a in reversed(after)]  # nearest the body first
    (bk, old), (ak, new) = max(pairs, key=lambda pair: _ratio(pair[0][0], pair[1][0]))
    if not (set(bk) - _FUNCTION_WORDS) & set(ak):
        return ()  # no word in common but "the": two lines (two mastheads), not one retitled
    return old, new


# Words every headline language leans on (English here): sharing one is not being one line.
_FUNCTION_WORDS = frozenset(
    ("a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "by", "with", "and", "or")
)


def _above_body(side: _Side, aligned: list[int]) -> list[tuple[tuple[str, ...], str]]:
    """Up to three headlines above the first aligned sentence that no headline holds (the
    first headline when every one is held). `side.headlines` holds the candidates; a
    candidate that is `_furniture` is no headline, which is asked only of the candidates
    that hold one of the lowest aligned sentences (up to the first that none holds) and of
    those read upwards from the body: dates are costly to read, and most candidates (short
    lines of a wrapped text) lie below."""
    heads = side.headlines
    if not heads:
        return []  # no candidate: nothing above the body to offer
    # sorted: a sentence starts in one when one that starts at or before it reaches past it
    starts = [a for a, _, _, _ in heads]
    reach = list(itertools.accumulate((b for _, b, _, _ in heads), max))

    def held(x: int) -> bool:
        k = bisect.bisect_right(starts, x)
        if not k or reach[k - 1] <= x:
            return False  # no candidate holds it: most sentences
        return any(heads[n][1] > x and not _furniture(heads[n][3]) for n in range(k))

    # the body's first sentence: the lowest start no candidate holds, found upwards from the
    # lowest start (most are held by none: one `held` call, where a scan of all was one each)
    body = next((x for x in sorted(side.sentences[i].start for i in aligned) if not held(x)), None)
    above = heads if body is None else heads[: bisect.bisect_left(starts, body)]
    found = (h for h in (heads if body is None else reversed(above)) if not _furniture(h[3]))
    chosen = [(k, t) for _, _, k, t in itertools.islice(found, 1 if body is None else 3)]
    return chosen if body is None else chosen[::-1]


@lru_cache(maxsize=1 << 12)
def _furniture(line: str) -> bool:
    """A short line above an article that is no headline: a menu ("Home | News | Business |
    Sport") or the date line ("Sept 23, 2005 02:01 GMT"). Taken for headlines, a copy that
    kept the headline inside its chrome was reported as retitling its date line to a menu."""
    return line.count("|") >= _MENU_BARS or page_date(line) is not None


_MENU_BARS = 2


def _ratio(a: Sequence[str], b: Sequence[str]) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _is_credit_line(text: str) -> bool:
    return len(text.split()) <= _CREDIT_LINE_WORDS and any(credit_matches(text))


def _is_attribution_line(text: str) -> bool:
    if len(text.split()) > _CREDIT_LINE_WORDS:
        return False
    return any(m.group(g) for m in attribution_matches(text) for g in _LINE_ATTRIBUTION)


def _short(text: str, width: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
