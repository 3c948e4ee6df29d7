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

import bisect
import functools
import heapq
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

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
_STOPS, _CLOSING = ".!?…", r"[\"'”’)\]]*"
_STOP = f"[{_STOPS}]"
_NEXT_SENTENCE = r"\s+(?=[\"“‘(\[]?[A-Z0-9À-Þ])"
SENTENCE_END = re.compile(_STOP + _CLOSING + _NEXT_SENTENCE)
_TITLES = (
    *("Mr", "Mrs", "Ms", "Dr", "Prof", "Sr", "Jr", "St", "Mt", "Gen", "Gov", "Sen", "Rep", "Lt"),
    *("Col", "Capt", "Inc", "Ltd", "Co", "Corp", "No", "vs", "etc", "Jan", "Feb", "Mar", "Apr"),
    *("Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"),
)
ABBREVIATION = re.compile(rf"(?:\b[A-Za-z]\.|\b(?:{'|'.join(_TITLES)})\.){_CLOSING}\s+$")
# SENTENCE_END without the ends ABBREVIATION finds: its full stop must end the
# abbreviation, so fixed-width lookbehinds (one per title length) decide it in
# the regex engine, with no Python call per sentence end.
_NOT_ABBREVIATED = r"(?<!\b[A-Za-z]\.)" + "".join(
    rf"(?<!\b(?:{'|'.join(t for t in _TITLES if len(t) == n)})\.)"
    for n in sorted({len(t) for t in _TITLES})
)
SENTENCE_BREAK = re.compile(_STOP + _NOT_ABBREVIATED + _CLOSING + _NEXT_SENTENCE)
# SENTENCE_BREAK's matches, one pattern per stop character, each led by that literal: the
# regex engine looks for a pattern's first literal at C speed, where it tries a character
# class at every position (twice as slow over a whole text). A match holds its stop, then
# only closing characters and white space: no other stop, so matches never overlap and
# those of the four patterns, merged in order, are SENTENCE_BREAK's.
_BREAKS_AFTER = tuple(
    (stop, re.compile(re.escape(stop) + _NOT_ABBREVIATED + _CLOSING + _NEXT_SENTENCE))
    for stop in _STOPS
)
_WRAPPED_MIN, _WRAPPED_MAX = 30, 100
_SHORT_SENTENCE_CHARS = 4096
# A paragraph this short beside a matched text is its headline, dateline or sign-off.
SHORT_PARAGRAPH_WORDS = 30


def segment(
    doc: Document, opts: SegmentOptions = SegmentOptions(), limit: int | None = None
) -> tuple[Segment, ...]:
    """Cut `doc.text` into segments; `doc.text[s.start:s.end] == s.text` always holds.

    With a `limit`, cutting stops after that many segments: the blocks, sentences and
    windows are found as they are needed, so a document's segments cost memory up to the
    limit, however long its text (a 500 MB line holds three million windows).
    """
    text, doc_id = doc.text, doc.id
    return tuple(
        Segment(doc_id, i, s, e, text[s:e], block)
        for i, (s, e, block) in enumerate(segment_spans(doc, opts, limit))
    )


def segment_spans(
    doc: Document, opts: SegmentOptions = SegmentOptions(), limit: int | None = None
) -> list[tuple[int, int, int]]:
    """(start, end, block) of each segment `segment` cuts, in order, without the records:
    what a scan keeps of them (`SegmentTable` columns, the texts to fingerprint), with no
    object and no copy of its text per segment."""
    text = doc.text
    most = opts.max_words
    spans: list[tuple[int, int, int]] = []
    if limit is not None and limit <= 0:
        return spans
    for block, (start, end) in enumerate(_blocks(text)):
        short = (end - start + 1) // 2 <= most  # most blocks: no copy, no windows to cut
        spaced = None if short else _singly_spaced(text, start, end)
        if short or _few_words(text, start, end, most, spaced):
            spans.append((start, end, block))
        elif spaced is not None:  # most long blocks: all windows at once, in a list
            found = _spaced_windows(text, start, end, opts.window_words)
            if limit is not None:
                del found[limit - len(spans) :]
            spans += [(s, e, block) for s, e in found]
        else:
            windows = _sentence_windows(text, start, end, opts)
            if limit is not None:
                windows = itertools.islice(windows, limit - len(spans))
            spans += ((s, e, block) for s, e in windows)
        if limit is not None and len(spans) >= limit:
            break  # nothing further is read
    return spans


def _singly_spaced(text: str, start: int, end: int) -> str | None:
    """text[start:end] (stripped, as a block is) if its only white space is single spaces
    (most prose), else None: then its words are its spaces + 1, each sentence ends one
    character before the next begins, and both are counted in C (`str.count`) with no
    string per word. A block over `_SPACED_CHARS` is not copied to be checked.

    `str.isprintable` is False for every white space character but " " (a test checks it
    over all of Unicode), and also for a few that are not white space (a soft hyphen,
    a zero-width space): a block holding one is read the general way, as is any other."""
    if end - start > _SPACED_CHARS:
        return None
    block = text[start:end]
    return block if spaced_words(block) else None


def spaced_words(text: str) -> bool:
    """Whether `text` is its words joined by single spaces (`" ".join(text.split())`), told
    without splitting it: no double space, no space at either end, and no other white space,
    which `str.isprintable` rules out (see `_singly_spaced`)."""
    return "  " not in text and text[:1] != " " and text[-1:] != " " and text.isprintable()


_SPACED_CHARS = 1 << 16


def _blocks(text: str) -> Iterator[tuple[int, int]]:
    """Paragraph spans: blank-line blocks, split into lines unless the lines are hard-wrapped."""
    pos = 0
    for match in itertools.chain(_BLANK_LINE.finditer(text), [None]):
        end = match.start() if match else len(text)
        if text.find("\n", pos, end) < 0:  # one line (most blocks): itself, unless blank
            line = _STRIPPED_LINE.search(text, pos, end)
            if line is not None:
                yield line.span()
        else:
            yield from _block_lines(text, pos, end)
        pos = match.end() if match else len(text)


def _block_lines(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The paragraphs of the blank-line block text[start:end]: the block as one when its
    lines look hard-wrapped (`_wrapped`), else each line. Read as they are needed: a block
    of a million lines is never held as a list."""
    lines = _line_spans(text, start, end)
    first = previous = next(lines, None)
    count = int(first is not None)
    for line in lines:
        assert previous is not None
        if not _wrapped(text, previous):  # a line before the last that ends a paragraph
            yield from _line_spans(text, start, end)
            return
        previous = line
        count += 1
    if first is not None and previous is not None:
        yield from [(first[0], previous[1])] if count >= 2 else [first]


def _line_spans(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Non-blank lines of text[start:end], stripped of surrounding whitespace: one C-level
    match a line, where a loop stepped over each line's edges character by character."""
    return map(_SPAN, _STRIPPED_LINE.finditer(text, start, end))


# A line between two "\n", from its first non-space character to its last (`\s` is
# `str.isspace`, by which lines were stripped before: the same on every code point).
_STRIPPED_LINE = re.compile(r"\S(?:[^\n]*\S)?")
_SPAN = re.Match.span


def _wrapped(text: str, line: tuple[int, int]) -> bool:
    """A line of a hard-wrapped paragraph: of mid length, not ending a sentence."""
    s, e = line
    return _WRAPPED_MIN <= e - s <= _WRAPPED_MAX and text[e - 1] not in '.!?:"”'


def _few_words(text: str, start: int, end: int, most: int, spaced: str | None = None) -> bool:
    """Whether text[start:end] holds at most `most` words, read no further than word `most + 1`
    (`spaced`: the block if `_singly_spaced`)."""
    # A word takes at least two characters with its separator.
    if (end - start + 1) // 2 <= most:
        return True
    if spaced is not None:  # its words are its spaces + 1
        return spaced.count(" ") < most
    if end - start <= _SHORT_SENTENCE_CHARS:  # the common case: `str.split` is quickest
        return len(text[start:end].split()) <= most
    return _words_pattern(most + 1, exact=True).match(text, start, end) is None


@functools.cache
def _words_pattern(words: int, *, exact: bool = False) -> re.Pattern[str]:
    """`words` whitespace-separated words from a word's start (up to that many unless
    `exact`; exactly: those words' first character): one C-level match where a Python loop
    over `_WORD` matches stepped word by word. Backtracking stays linear: a shorter `\\S+`
    or `\\s+` fails at the next character."""
    if exact:
        return re.compile(rf"(?:\S+\s+){{{words - 1}}}\S")
    return re.compile(rf"(?:\S+\s+){{0,{words - 1}}}\S+")


def _sentence_windows(
    text: str, start: int, end: int, opts: SegmentOptions
) -> Iterator[tuple[int, int]]:
    """Overlapping windows of whole sentences of a block over `max_words` words.

    Sentences are read a few windows' worth at a time into lists, and those behind the
    current window dropped as the next are read, so a block's windows cost memory of a
    few windows, not of the block (a window holds at most `window_words` sentences). A
    block `_singly_spaced` has its windows found at once instead (`_spaced_windows`)."""
    most = opts.window_words
    batches = _unit_batches(_sentence_units(text, start, end, most), 2 * most + 2)
    starts: list[int] = []  # of the sentences read and not yet dropped
    ends: list[int] = []
    before = [0]  # before[i]: words of the sentences read ahead of sentence i
    first: int | None = 0  # the current window's first sentence in `starts`
    while first is not None:
        read = next(batches, None)
        if read is not None:
            del starts[:first], ends[:first], before[:first]
            first = 0
            starts += read[0]
            ends += read[1]
            before += itertools.accumulate(read[2], initial=before.pop())
        found, first = _walk_windows(starts, ends, before, first, most, read is None)
        yield from found


def _spaced_windows(text: str, start: int, end: int, most: int) -> list[tuple[int, int]]:
    """`_sentence_windows` of a `_singly_spaced` block (at most `_SPACED_CHARS` long), its
    sentences read at once and its windows found at once: no generator to resume a window."""
    starts, ends, words = _spaced_units(text, start, end, most)
    before = list(itertools.accumulate(words, initial=0))
    return _walk_windows(starts, ends, before, 0, most, True)[0]


def _walk_windows(
    starts: list[int], ends: list[int], before: list[int], first: int, most: int, whole: bool
) -> tuple[list[tuple[int, int]], int | None]:
    """The windows of sentences `starts`/`ends` (`before[i]`: their words ahead of sentence
    i) from sentence `first` on, and the sentence the next window starts at, or None when
    there is none. Unless the sentences are the block's `whole` rest, it stops while fewer
    than a whole window and the sentence after it are left (more must be read first). A
    window is found by binary search over the running word count, not sentence by sentence."""
    found: list[tuple[int, int]] = []
    count = len(starts)
    while whole or count - first >= most + 2:
        if first >= count:
            return found, None
        words = before[first]
        # the last sentence that fits: at least the first (no sentence is over `most` words)
        last = bisect.bisect_right(before, words + most, first + 1) - 2
        found.append((starts[first], ends[last]))
        if last + 1 >= count:
            return found, None
        # Next window starts near the middle of this one, so any passage of up to half a
        # window lies wholly inside some window: at the first sentence from first + 1 on
        # with at least half the window's words before it (but no further than `last`).
        size = before[last + 1] - words
        middle = bisect.bisect_left(before, words + (size + 1) // 2, first + 1, last + 1)
        first = max(first + 1, min(middle, last))
    return found, first


_Units = tuple[list[int], list[int], list[int]]  # starts, ends and word counts of sentences


def _unit_batches(units: Iterator[tuple[int, int, int]], size: int) -> Iterator[_Units]:
    """`units` read `size` at a time, as columns."""
    while read := list(itertools.islice(units, size)):
        starts, ends, words = map(list, zip(*read, strict=True))
        yield starts, ends, words


def _spaced_units(text: str, start: int, end: int, limit: int) -> _Units:
    """`_sentence_units` of a `_singly_spaced` block, as columns, read at once: the white
    space before a sentence is one space, so the one before ends one character before it,
    and a sentence's words are its spaces + 1."""
    starts = [start, *break_ends(text, start, end)]
    ends = [s - 1 for s in itertools.islice(starts, 1, None)]
    ends.append(end)
    words = [text.count(" ", s, e) + 1 for s, e in zip(starts, ends, strict=True)]
    if max(words) <= limit:
        return starts, ends, words
    units = [
        unit
        for s, e, n in zip(starts, ends, words, strict=True)
        for unit in ([(s, e, n)] if n <= limit else _runs(text, s, e, limit, n))
    ]
    starts, ends, words = map(list, zip(*units, strict=True))
    return starts, ends, words


def break_ends(text: str, start: int = 0, end: int | None = None) -> Iterator[int]:
    """Where SENTENCE_BREAK's matches in text[start:end] end, in order: the matches of
    `_BREAKS_AFTER`'s patterns (one a stop character the text holds) merged."""
    end = len(text) if end is None else end
    found = [
        map(_END, pattern.finditer(text, start, end))
        for stop, pattern in _BREAKS_AFTER
        if text.find(stop, start, end) >= 0
    ]
    return found[0] if len(found) == 1 else heapq.merge(*found)


_END = re.Match.end


def _sentence_units(text: str, start: int, end: int, limit: int) -> Iterator[tuple[int, int, int]]:
    """Sentences as (start, end, word count); a sentence longer than `limit` words is cut
    into runs of `limit` words (the last one shorter).

    Sentence bounds follow whitespace, so a sentence's words are its own split.
    """
    bounds = itertools.chain([start], break_ends(text, start, end), [end])
    for s, e in itertools.pairwise(bounds):
        count = None  # words of a sentence too long to copy are not counted ahead
        if e - s <= _SHORT_SENTENCE_CHARS:  # the common case, read by `str.split`
            sentence = text[s:e]
            count = len(sentence.split())
            if not count:
                continue
            if count <= limit:
                first = s + len(sentence) - len(sentence.lstrip())
                yield first, s + len(sentence.rstrip()), count
                continue
        yield from _runs(text, s, e, limit, count)


def _runs(
    text: str, start: int, end: int, limit: int, count: int | None
) -> Iterator[tuple[int, int, int]]:
    """A sentence over `limit` words (`count`, if counted) as runs of `limit` words, each
    one match (all but the last exactly `limit` long): no copy of a sentence that may be a
    whole 500 MB line."""
    runs = _words_pattern(limit).finditer(text, start, end)
    run = next(runs, None)
    for after in runs:
        assert run is not None
        yield run.start(), run.end(), limit
        run = after
    if run is not None:
        a, b = run.span()
        if count is None:
            count = sum(1 for _ in _WORD.finditer(text, a, b))
        yield a, b, count % limit or limit


@dataclass(frozen=True, eq=False)
class SegmentTable:
    """The segments of many documents as columns, without their text.

    A `Segment` object with its own copy of the text costs about 400 bytes; a
    row here costs 20, and a stage that needs the words slices them from the
    document. Rows of one document are contiguous and in segment order, so a
    segment's index is its row minus its document's first row.
    """

    doc_ids: tuple[str, ...]
    bounds: np.ndarray  # int64, len(doc_ids) + 1: doc_ids[k] owns rows bounds[k]:bounds[k + 1]
    start: np.ndarray  # int64 character offsets into the document text
    end: np.ndarray  # int64
    block: np.ndarray  # int32
    _position: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_position", {d: k for k, d in enumerate(self.doc_ids)})

    @classmethod
    def of(cls, segments: Sequence[Segment]) -> SegmentTable:
        """Table of `segments`, which arrive document by document, each in index order."""
        return cls.of_spans(
            [
                (doc_id, [(s.start, s.end, s.block) for s in group])
                for doc_id, group in itertools.groupby(segments, key=lambda s: s.doc_id)
            ]
        )

    @classmethod
    def of_spans(
        cls, documents: Sequence[tuple[str, Sequence[tuple[int, int, int]]]]
    ) -> SegmentTable:
        """Table of documents given as (id, their segments' (start, end, block) in index
        order); a document without segments has no row and is not named."""
        kept = [(doc_id, spans) for doc_id, spans in documents if spans]
        bounds = np.zeros(len(kept) + 1, dtype=np.int64)
        np.cumsum([len(spans) for _, spans in kept], out=bounds[1:])
        n = int(bounds[-1])
        flat = itertools.chain.from_iterable(itertools.chain.from_iterable(s for _, s in kept))
        columns = np.fromiter(flat, dtype=np.int64, count=3 * n).reshape(n, 3).T
        return cls(
            doc_ids=tuple(doc_id for doc_id, _ in kept),
            bounds=bounds,
            start=columns[0].copy(),
            end=columns[1].copy(),
            block=columns[2].astype(np.int32),
        )

    @classmethod
    def concat(cls, tables: Sequence[SegmentTable]) -> SegmentTable:
        """One table from tables of disjoint documents, in order."""
        sizes = np.cumsum([0, *(len(t) for t in tables)])
        return cls(
            doc_ids=tuple(d for t in tables for d in t.doc_ids),
            bounds=np.concatenate(
                [np.zeros(1, dtype=np.int64)]
                + [t.bounds[1:] + base for t, base in zip(tables, sizes.tolist(), strict=False)]
            ),
            start=np.concatenate([t.start for t in tables] or [np.empty(0, np.int64)]),
            end=np.concatenate([t.end for t in tables] or [np.empty(0, np.int64)]),
            block=np.concatenate([t.block for t in tables] or [np.empty(0, np.int32)]),
        )

    def __len__(self) -> int:
        return len(self.start)

    def rows(self, doc_id: str) -> range:
        """The document's rows; empty for a document without segments."""
        k = self._position.get(doc_id)
        return range(0) if k is None else range(int(self.bounds[k]), int(self.bounds[k + 1]))

    def doc_numbers(self) -> np.ndarray:
        """Position in `doc_ids` of each row's document."""
        numbers: np.ndarray = np.repeat(
            np.arange(len(self.doc_ids), dtype=np.int64), np.diff(self.bounds)
        )
        return numbers

    def locate(self, row: int) -> tuple[str, int]:
        """(document id, segment index) of a row."""
        k = int(np.searchsorted(self.bounds, row, side="right")) - 1
        return self.doc_ids[k], row - int(self.bounds[k])

    def located(self, rows: Sequence[int]) -> list[tuple[str, int]]:
        """`locate` of each of `rows`, in one search (a row at a time, the numpy calls cost
        more than the search)."""
        at = np.asarray(rows, dtype=np.int64)
        k = np.searchsorted(self.bounds, at, side="right") - 1
        found = zip(k.tolist(), (at - self.bounds[k]).tolist(), strict=True)
        return [(self.doc_ids[doc], index) for doc, index in found]

    def segments(self, doc: Document) -> tuple[Segment, ...]:
        """All segments of `doc`, as `segment(doc)` cut them (up to any truncation)."""
        rows = self.rows(doc.id)
        return tuple(
            Segment(doc.id, i, s, e, doc.text[s:e], b)
            for i, (s, e, b) in enumerate(
                zip(
                    self.start[rows.start : rows.stop].tolist(),
                    self.end[rows.start : rows.stop].tolist(),
                    self.block[rows.start : rows.stop].tolist(),
                    strict=True,
                )
            )
        )

    def take_documents(self, doc_ids: Sequence[str]) -> tuple[SegmentTable, np.ndarray]:
        """The rows of whole documents, in the given order, and their row numbers here."""
        ranges = [self.rows(d) for d in doc_ids]
        rows = np.concatenate(
            [np.arange(r.start, r.stop, dtype=np.int64) for r in ranges] or [np.empty(0, np.int64)]
        )
        kept = [(d, len(r)) for d, r in zip(doc_ids, ranges, strict=True) if len(r)]
        bounds = np.zeros(len(kept) + 1, dtype=np.int64)
        np.cumsum([n for _, n in kept], out=bounds[1:])
        table = SegmentTable(
            doc_ids=tuple(d for d, _ in kept),
            bounds=bounds,
            start=self.start[rows],
            end=self.end[rows],
            block=self.block[rows],
        )
        return table, rows
