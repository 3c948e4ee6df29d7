"""Each version's evidence (`Features`), read before any version is compared with another:
its wire credit, the sources it names, a trustworthy date, the names its page goes by,
its quotes, its figures, its paragraphs as they read and the order of its passages.

The parts that are the same for every version on a page (the page's readings, its
numbers) are read once per page.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..cluster import Version
from ..fingerprint import Fingerprints
from ..index import distinct, runs
from ..records import Document
from ..segment import SHORT_PARAGRAPH_WORDS, spaced_words
from .cues import (
    ATTRIBUTION_CUES,
    after_dateline,
    attribution_matches,
    credit_agency,
    lines_with,
    reported_by,
    source_matches,
)
from .sites import site_hints, url_host
from .when import instants, self_contradicted

# A direct quote within one segment: the segments are searched at once, joined by NUL.
_QUOTE = re.compile(r"[\"“]([^\"“”\0]{20,400})[\"”]")


@dataclass(frozen=True, slots=True)
class Features:
    credit: str | None
    date: str | None
    date_source: str | None
    when: tuple[float, float] | None  # the date as POSIX seconds (earliest, latest)
    attributions: tuple[str, ...]
    hints: frozenset[str]
    quoted_words: int
    aggregator: bool
    figures: frozenset[str]
    page_figures: frozenset[str]
    passages: tuple[int, ...]  # the version's story passages (`story_passages`), in its order
    junctions: frozenset[tuple[int, int]]  # the pairs of passages it has in a row
    pointers: frozenset[str]  # what its "read the full story at X" lines name (`_pointers`)
    readings: frozenset[str]  # its paragraphs as they read (`_reading`)
    wordings: frozenset[tuple[int, str]]  # (passage, how it reads) of its paragraphs (`_wordings`)
    page_readings: frozenset[str]  # every paragraph of its page as it reads
    mentions: frozenset[str] = frozenset()  # other pages' site names its furniture names


def features(
    version: Version,
    doc: Document,
    page: Page,
    aggregator: bool,
    passage: dict[int, int],
    row_readings: tuple[str, ...],
    page_readings: frozenset[str],
    low: str | None = None,
) -> Features:
    """`page`: the rows of its page (`Page.of`); `passage`: the story passage of each row of
    its pages (`story_passages`); `row_readings`: each row of its page as it reads
    (`paragraph_readings`), and `page_readings` the set of them: each read once for all the
    versions on the page; `low`: `sites.lowered(doc)`, the page lower-cased where its
    slices are its slices' lower case (None: each text is lower-cased on its own)."""
    rows = [page.first + i for i in version.segments]
    spans = [(page.start[i], page.end[i]) for i in version.segments]  # `page.span`, inline
    texts = [doc.text[a:b] for a, b in spans]
    sequence = [k for k, _ in itertools.groupby(passage[r] for r in rows if r in passage)]
    edge = _edges(version, doc, page)
    around = "\n".join(texts + [doc.text[a:b] for a, b in edge])  # with dateline, sign-off
    credit = credit_agency(around)
    # `_folded(around)`, sliced from the page's: "\n" is lower-cased alone, like any character
    folded = None if low is None else "\n".join([low[a:b] for a, b in spans + edge])
    named = source_matches(around, folded)
    # Attribution is read around the version, not over the whole page: an
    # aggregator credits each of its sources next to the text it took.
    date, source = doc.published, (doc.date_source or "metadata") if doc.published else None
    when = instants(date)
    if when and self_contradicted(when, doc, around):
        date, source, when = None, None, None
    return Features(
        credit=credit,
        date=date,
        date_source=source,
        when=when,
        attributions=_attributions(around, doc, credit, named),
        pointers=_pointers(around, named),
        hints=site_hints(doc),
        quoted_words=sum(len(q.split()) for q in _QUOTE.findall("\0".join(texts))),
        aggregator=aggregator,
        figures=_figures(doc, spans),
        page_figures=_figures(doc, [(0, len(doc.text))]),
        passages=tuple(sequence),
        junctions=frozenset(itertools.pairwise(sequence)),
        readings=frozenset(row_readings[i] for i in version.segments),
        wordings=_wordings(version, page, passage, row_readings),
        page_readings=page_readings,
    )


def _wordings(
    version: Version, page: Page, passage: dict[int, int], row_readings: tuple[str, ...]
) -> frozenset[tuple[int, str]]:
    """Each paragraph of the version as (its passage, how it reads): its rows joined, so a
    paragraph reads the same on every page that has it word for word, however its rows were
    cut. A paragraph whose rows fall in two passages (two paragraphs run together) says
    nothing of either, and is left out."""
    paragraphs: dict[int, list[int]] = {}
    for i in version.segments:  # in page order
        paragraphs.setdefault(page.block[i], []).append(i)
    found = set()
    for rows in paragraphs.values():
        passages = {passage.get(page.first + i, -1) for i in rows}
        if len(passages) == 1 and -1 not in passages:
            found.add((passages.pop(), " ".join(row_readings[i] for i in rows)))
    return frozenset(found)


def named_sites(
    version: Version, doc: Document, page: Page, names: set[str], low: str | None = None
) -> frozenset[str]:
    """Which of `names` (other pages' site names) the page names outside the version's text
    and outside attribution lines: "... the position of Market Pulse 24", "The post appeared
    first on Global Newsdesk" on another site's page. A copy carries its source page's
    furniture along with the text; a site does not print another's name as its own. `low`:
    `sites.lowered(doc)`, whose slices are the lower case of the text's (or None)."""
    if not names:
        return frozenset()
    kept, at = [], 0
    for a, b in sorted(page.span(i) for i in set(version.segments)):
        kept.append((at, a))
        at = max(at, b)
    kept.append((at, len(doc.text)))
    text = "\n".join([doc.text[a:b] for a, b in kept])
    # line for line `line.lower()` of each of its lines (see below)
    low = text.lower() if low is None else "\n".join([low[a:b] for a, b in kept])
    plain = _alnum("".join(_furniture(text.splitlines(), low.splitlines())))
    return frozenset(n for n in names if n in plain)


def _furniture(lines: list[str], lows: list[str]) -> list[str]:
    """`lows` (`lines` lower-cased) less the lines that name a source (`names_a_source`).

    A source line holds a cue word: the cues are found by one search over the lines
    joined, and only the lines they stand on are read by the patterns. Lower-casing
    neither makes nor takes a line break, so `lows` pairs with `lines` one for one."""
    joined = "\n".join(lows)
    cued, line, at = [], 0, 0
    for start, _ in lines_with(joined, ATTRIBUTION_CUES, joined):  # its line, counted on
        line += joined.count("\n", at, start)
        at = start
        cued.append(line)
    named = {k for k in cued if any(attribution_matches(lines[k]))}
    return [low for k, low in enumerate(lows) if k not in named] if named else lows


def _alnum(text: str) -> str:
    """The ASCII letters and digits of `text`, lower-case `text`'s `[a-z0-9]`, in order: read
    from its UTF-8 bytes, where no other character leaves a byte below 0x80, by a byte
    table (a regex substitution costs 11x more)."""
    kept = text.encode("utf-8", "surrogatepass").translate(None, _NOT_ALNUM)
    return kept.decode("ascii")


_NOT_ALNUM = bytes(sorted(set(range(256)) - set(b"abcdefghijklmnopqrstuvwxyz0123456789")))


def names_a_source(line: str) -> bool:
    """Whether a line attributes the text or names its source ("Source: ...", "via ...",
    "originally published by ..."). The pattern needs a cue word, which one search over the
    line tells: most lines of a page have none, and run no pattern. (`source_matches` of a
    line reads the same pattern on the same line, and finds nothing `attribution_matches`
    does not: the one pattern is enough.)"""
    return bool(_ATTRIBUTION_CUE.search(line.lower())) and any(attribution_matches(line))


_ATTRIBUTION_CUE = re.compile("|".join(map(re.escape, ATTRIBUTION_CUES)))  # any of them


def paragraph_readings(
    doc: Document, page: Page, known: dict[str, str] | None = None
) -> tuple[str, ...]:
    """Each row of `doc`'s page (`page`: its rows) as it reads (`_reading`), in page order: a
    version's readings are its rows' and the page's all of them, so each is read once.

    `known`: the readings of the rows read so far, by their text, kept across a story's
    pages: its pages are copies of one text, and about a third of their rows repeat one
    read on another page. A row's reading depends on its text alone."""
    if known is None:
        known = {}
    text, found = doc.text, []
    for a, b in zip(page.start, page.end, strict=True):
        row = text[a:b]
        reading = known.get(row)
        if reading is None:
            reading = known[row] = _reading(row)
        found.append(reading)
    return tuple(found)


def _reading(text: str) -> str:
    """A paragraph as a reader reads it: its words in order, spacing aside, after the wire
    dateline it may open with. Dropping the dateline is what copies do, each on its own: two
    copies that both dropped it are not thereby one taken from the other, and the wire holds
    the paragraph they kept.

    Most rows already read so (one line, single spaces: `spaced_words`), and are not split
    into words."""
    text = after_dateline(text)
    if spaced_words(text):
        return text
    return " ".join(text.split())


_HEAD_BLOCKS = 3


@dataclass(frozen=True, slots=True)
class Page:
    """A page's rows (its segments, in page order) as Python lists: read a segment at a time,
    numpy's arrays cost more per item than the slicing they serve. Made once a page of a
    story (`trace`), for its readings and each of its versions' features and named sites."""

    first: int  # the page's first row of `fp`
    start: list[int]  # where each segment starts in the page's text
    end: list[int]
    block: list[int]  # the paragraph of each

    @classmethod
    def of(cls, doc_id: str, fp: Fingerprints) -> Page:
        rows = fp.table.rows(doc_id)
        at = slice(rows.start, rows.stop)
        table = fp.table
        return cls(
            rows.start, table.start[at].tolist(), table.end[at].tolist(), table.block[at].tolist()
        )

    def span(self, i: int) -> tuple[int, int]:
        return self.start[i], self.end[i]


def _edges(version: Version, doc: Document, page: Page) -> list[tuple[int, int]]:
    """The spans of text next to a version that can still be its own: credit and source lines.

    A dateline sits in the first paragraph and a sign-off ("(Reporting by
    ...)", "Source: ...") is a short paragraph of its own right after the
    text, often outside the matched segments. So: the rest of the version's
    blocks, and a short block directly before or after it; never a long one,
    which on an aggregator page is the next article.
    """
    block_of = page.block
    first, last = version.segments[0], version.segments[-1]
    blocks = {block_of[i] for i in version.segments}
    # A version that starts near the top of its page owns the page's head, where
    # the dateline is even when that first paragraph was rewritten past matching.
    if min(blocks) <= _HEAD_BLOCKS:
        blocks |= set(range(min(blocks)))
    found = []
    for row, step in ((first, -1), (last, 1)):
        r = row + step
        while 0 <= r < len(block_of):
            block, text = block_of[r], doc.text[page.start[r] : page.end[r]]
            near = block in blocks or (
                abs(block - block_of[r - step]) <= 1 and len(text.split()) <= SHORT_PARAGRAPH_WORDS
            )
            if not near:
                break
            blocks.add(block)
            found.append((page.start[r], page.end[r]))
            r += step
    return found


_FIGURE = re.compile(r"\d[\d,.]*")


def _figures(doc: Document, spans: Iterable[tuple[int, int]]) -> frozenset[str]:
    """The numbers of `doc` inside the `spans` (segments, or the whole page), without
    thousands separators: "75.1%", "$75.1m" and "75.1 percent" all read 75.1. A segment
    ends at whitespace, so none cuts a number: the page is read once for all its versions."""
    starts, readings = _page_numbers(doc)
    found: set[str] = set()
    for start, end in spans:
        found.update(readings[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)])
    return frozenset(found)


@lru_cache(maxsize=256)
def _page_numbers(doc: Document) -> tuple[list[int], list[str]]:
    """Where each number of a page starts, and its reading; cached because every version on
    a page asks for them."""
    found = [
        (m.start(), m.group().rstrip(".,").replace(",", "")) for m in _FIGURE.finditer(doc.text)
    ]
    return [at for at, _ in found], [reading for _, reading in found]


def story_passages(fp: Fingerprints, pages: Iterable[str]) -> dict[int, int]:
    """Row -> passage, for the rows with shingles of `pages`: a story's paragraphs, numbered
    across its copies.

    Copies cut, reorder and reword paragraphs but seldom split one, so the
    unit is a paragraph (a block: its windows are cut at different words on
    different pages). Each is numbered by the first paragraph (in `fp` order)
    that most of its shingles shared with other paragraphs occur in, so the
    paragraphs that carry one passage on different pages share its number,
    even reworded, and a version reads as a sequence of passages. A paragraph
    sharing nothing is a passage of its own.
    """
    spans = [fp.table.rows(d) for d in sorted(pages)]
    rows = np.concatenate([np.arange(r.start, r.stop) for r in spans] or [np.empty(0, np.int64)])
    block = fp.table.block[rows]
    opens = np.ones(len(rows), dtype=bool)
    opens[1:] = block[1:] != block[:-1]
    opens[np.cumsum([0, *(len(r) for r in spans[:-1])])[: len(spans)]] = True
    unit = np.cumsum(opens) - 1  # the paragraph of each row, numbered across the pages
    sizes = fp.offsets[rows + 1] - fp.offsets[rows]
    shingles = np.concatenate(
        [fp.shingles[fp.offsets[r.start] : fp.offsets[r.stop]] for r in spans]
        or [np.empty(0, np.uint32)]
    )
    keyed = distinct((shingles.astype(np.int64) << 32) | np.repeat(unit, sizes))
    owner = keyed & 0xFFFFFFFF
    starts, carriers = runs(keyed >> 32)  # the paragraphs holding each shingle
    shared = np.repeat(carriers > 1, carriers)
    first = np.repeat(owner[starts], carriers)  # each shingle's first paragraph
    votes = np.sort((owner[shared] << 32) | first[shared])
    at, counts = runs(votes)
    voter, pick = votes[at] >> 32, votes[at] & 0xFFFFFFFF
    best = np.lexsort((-counts, voter))  # per paragraph the most voted, the first on a tie
    lead = np.ones(len(best), dtype=bool)
    lead[1:] = voter[best][1:] != voter[best][:-1]
    passage = np.arange(int(unit[-1]) + 1 if len(unit) else 0)
    passage[voter[best][lead]] = pick[best][lead]
    filled = sizes > 0
    return dict(zip(rows[filled].tolist(), passage[unit[filled]].tolist(), strict=True))


def _attributions(
    text: str,
    doc: Document,
    own_credit: str | None,
    matches: list[tuple[str, str]] | None = None,
) -> tuple[str, ...]:
    """Outlets or URLs named as the source of `text` (lower-cased), plus a foreign canonical
    URL; `matches`: `source_matches(text)` where the caller has them."""
    # (what is named, whether it is only mentioned: "according to X", "X reported")
    named = [
        (value, key == "outlet")
        for key, value in (source_matches(text) if matches is None else matches)
    ]
    named += [(m.group("reporter"), True) for m in reported_by(text)]
    found = []
    for value, mention in ((v.strip().rstrip("."), mention) for v, mention in named):
        if mention and own_credit and own_credit.lower() in value.lower():
            continue  # "Reuters reported" inside a Reuters story is not a source
        found.append(value.lower())
    if doc.canonical_url and doc.url and url_host(doc.canonical_url) != url_host(doc.url):
        found.append(doc.canonical_url.lower())
    return tuple(sorted(set(found)))


def _pointers(text: str, matches: list[tuple[str, str]] | None = None) -> frozenset[str]:
    """What a "read the full story at X" line names: the page a copy links to for the rest,
    its source; not a claim that X first published the story (an excerpt of a copy points
    to the copy). `matches`: `source_matches(text)` where the caller has them."""
    return frozenset(
        value.strip().rstrip(".").lower()
        for key, value in (source_matches(text) if matches is None else matches)
        if key == "full"
    )
