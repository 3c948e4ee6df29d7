"""Split an article into comparable segments with exact character offsets.

Paragraphs are the natural unit of syndication: copies cut, reorder and wrap
them, but rarely rewrite inside one. Real captures break that assumption in
two ways, both handled here:

* aggregator pages and flattened HTML put a whole article on one line, so a
  block longer than `max_words` is cut into overlapping windows of whole
  sentences (`window_words` long, starting every half window), which keeps
  every segment comparable in size to an ordinary paragraph;
* hard-wrapped text (wire feeds, e-mail) spreads one paragraph over many short
  lines, so lines inside a blank-line-separated block are joined when they
  look wrapped, and treated as separate paragraphs otherwise.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from .records import Document, Segment


@dataclass(frozen=True, slots=True)
class SegmentOptions:
    """How long a block may grow before it is windowed, and how long a window is."""

    max_words: int = 60
    window_words: int = 50

    def __post_init__(self) -> None:
        if self.window_words < 1 or self.max_words < self.window_words:
            raise ValueError("need 1 <= window_words <= max_words")


_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_WORD = re.compile(r"\S+")
# A sentence ends at . ! ? or … (optionally followed by closing quotes or
# brackets) before whitespace and an opening capital, digit or quote. The
# abbreviation guard keeps "U.S. officials" and "Mr. Lin" in one sentence.
SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9À-Þ])")
ABBREVIATION = re.compile(
    r"(?:\b[A-Za-z]\.|\b(?:Mr|Mrs|Ms|Dr|Prof|Sr|Jr|St|Mt|Gen|Gov|Sen|Rep|Lt|Col|Capt|Inc|Ltd|"
    r"Co|Corp|No|vs|etc|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.)[\"'”’)\]]*\s+$"
)
_WRAPPED_MIN, _WRAPPED_MAX = 30, 100


def segment(doc: Document, opts: SegmentOptions = SegmentOptions()) -> tuple[Segment, ...]:
    """Cut `doc.text` into segments; `doc.text[s.start:s.end] == s.text` always holds."""
    spans: list[tuple[int, int, int]] = []
    for block, (block_start, block_end) in enumerate(_blocks(doc.text)):
        spans.extend((s, e, block) for s, e in _windows(doc.text, block_start, block_end, opts))
    return tuple(
        Segment(doc_id=doc.id, index=i, start=s, end=e, text=doc.text[s:e], block=b)
        for i, (s, e, b) in enumerate(spans)
    )


def _blocks(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: blank-line blocks, split into lines unless the lines are hard-wrapped."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for match in [*_BLANK_LINE.finditer(text), None]:
        end = match.start() if match else len(text)
        lines = _line_spans(text, pos, end)
        if lines:
            if _looks_wrapped(text, lines):
                spans.append((lines[0][0], lines[-1][1]))
            else:
                spans.extend(lines)
        pos = match.end() if match else len(text)
    return spans


def _line_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Non-blank lines of text[start:end], stripped of surrounding whitespace."""
    spans = []
    for line in re.finditer(r"[^\n]+", text[start:end]):
        left = len(line.group()) - len(line.group().lstrip())
        right = len(line.group().rstrip())
        if right > left:
            spans.append((start + line.start() + left, start + line.start() + right))
    return spans


def _looks_wrapped(text: str, lines: list[tuple[int, int]]) -> bool:
    """Hard-wrapped lines are all of similar mid length and do not end sentences."""
    if len(lines) < 2:
        return False
    for s, e in lines[:-1]:
        if not _WRAPPED_MIN <= e - s <= _WRAPPED_MAX or text[e - 1] in '.!?:"”':
            return False
    return True


def _windows(text: str, start: int, end: int, opts: SegmentOptions) -> list[tuple[int, int]]:
    """The block itself if short enough, else overlapping windows of whole sentences."""
    words = [m.span() for m in _WORD.finditer(text, start, end)]
    if len(words) <= opts.max_words:
        return [(start, end)]
    units = _sentence_units(text, start, end, words, opts.window_words)
    windows: list[tuple[int, int]] = []
    first = 0
    while first < len(units):
        last, size = first, units[first][2]
        while last + 1 < len(units) and size + units[last + 1][2] <= opts.window_words:
            last += 1
            size += units[last][2]
        windows.append((units[first][0], units[last][1]))
        if last == len(units) - 1:
            break
        # Next window starts near the middle of this one, so any passage of up
        # to half a window lies wholly inside some window.
        half, nxt = size / 2, first + 1
        while nxt <= last and sum(u[2] for u in units[first:nxt]) < half:
            nxt += 1
        first = max(first + 1, min(nxt, last))
    return windows


def _sentence_units(
    text: str, start: int, end: int, words: list[tuple[int, int]], limit: int
) -> list[tuple[int, int, int]]:
    """Sentences as (start, end, word count); a sentence longer than `limit` words is cut."""
    bounds = [start]
    for m in SENTENCE_END.finditer(text, start, end):
        if not ABBREVIATION.search(text, max(start, m.start() - 12), m.end()):
            bounds.append(m.end())
    bounds.append(end)
    units: list[tuple[int, int, int]] = []
    w = 0
    for s, e in itertools.pairwise(bounds):
        inside = []
        while w < len(words) and words[w][0] < e:
            if words[w][0] >= s:
                inside.append(words[w])
            w += 1
        for k in range(0, len(inside), limit):
            chunk = inside[k : k + limit]
            units.append((chunk[0][0], chunk[-1][1], len(chunk)))
    return units
