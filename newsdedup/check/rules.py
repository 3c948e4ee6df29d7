"""The rules of `newsdedup check`: a scan's stories in, findings out.

Pure functions over a `ScanResult` and the role of each of its documents
(`Roles`): *checked* (the articles under review), *own* (the site's articles
already in the repository or its archive) and *source* (reference articles
others published: wire feeds, partners). Matching is the scan's: two documents
are compared only where the scan put versions of theirs into one story. What a
rule adds is how much was copied (`Thresholds`), whether the checked article
credits the source (`credits.py`), and the scan's own diff of the copy
against the source (credit lines and quotes, `diff.py`).

Each finding is a `Hit` at a character offset of the checked document's text;
`engine.py` places it on a line of the file. Its `key` names the finding by
content (rule, file, reference, and for a quote the source's words), never by
position, so an edit above a finding leaves a baseline entry matching it.
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from enum import Enum

import numpy as np

from ..cluster import Version
from ..diff import VersionDiff, diff_versions, quote_spans
from ..fingerprint import Fingerprints, concat, fingerprint, fold_spelling, tokens
from ..index import distinct
from ..pipeline import ScanResult
from ..provenance import StoryReport, credit_matches
from ..provenance.cues import DATELINE_GROUPS, DATELINE_PREFIX
from ..records import Document, Segment
from ..segment import SHORT_PARAGRAPH_WORDS
from .credits import Credit, Identity, credits_source, identity, read_credits


class Severity(str, Enum):
    note = "note"
    warning = "warning"
    error = "error"

    @property
    def rank(self) -> int:
        return _RANK[self.value]


_RANK = {"note": 0, "warning": 1, "error": 2}


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    name: str  # CamelCase, as SARIF's reportingDescriptor.name wants
    severity: Severity  # the default
    summary: str
    help: str


RULES = (
    Rule(
        "uncredited-copy",
        "UncreditedCopy",
        Severity.error,
        "Text copied from a reference article without credit",
        "At least `min-containment` (default 30%) of the article's text in a story it shares "
        "with a reference article (the passages the scan tied to that story, as word 5-grams) "
        "is found in that reference article, and the article names no wire credit, dateline, "
        "credit line or source naming the reference's publisher. Credit the source (keep its "
        "dateline, or add a 'Source:' line), or opt the article out with a reason if it is a "
        "licensed reprint.",
    ),
    Rule(
        "credit-removed",
        "CreditRemoved",
        Severity.error,
        "The source's dateline or credit line was dropped in the copy",
        "The reference article carries a wire dateline or credit line (e.g. 'BEIJING, Jan 10 "
        "(Reuters) -', '(Reporting by ...)') that the copy dropped, and the copy credits the "
        "source nowhere else. Restore the dateline or credit the source.",
    ),
    Rule(
        "altered-quote",
        "AlteredQuote",
        Severity.warning,
        "A quotation differs from the source's quotation",
        "Words inside quotation marks differ from the words inside the source's quotation "
        "(house style such as curly quotes, US/UK spelling or '%' / 'per cent' does not "
        "count). A quotation is a person's words: restore them, or drop the quotation marks.",
    ),
    Rule(
        "duplicate-article",
        "DuplicateArticle",
        Severity.warning,
        "The article is a version of a story already in the repository",
        "At least `duplicate-containment` (default 50%) of the article's story text, or of "
        "the other's, is shared with an article already in the repository or its archive "
        "(or with another checked article that came first). Update the existing article, or "
        "opt this one out with a reason.",
    ),
)
RULE_IDS = tuple(r.id for r in RULES)


@dataclass(frozen=True, slots=True)
class Thresholds:
    min_containment: float = 0.3
    duplicate_containment: float = 0.5


@dataclass(frozen=True, slots=True)
class Roles:
    """Which documents of a scan are checked, the site's own, or others' (sources)."""

    checked: frozenset[str]
    own: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()
    names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Configured names of a source document's publisher (for feeds without metadata)."""


@dataclass(frozen=True, slots=True)
class Hit:
    """A finding at a character offset of a checked document's text, before placement."""

    rule: str
    doc_id: str
    offset: int
    message: str
    reference: str | None
    key: str


@dataclass(frozen=True, slots=True)
class Finding:
    """A finding placed on a file: what CI shows."""

    rule: str
    severity: Severity
    path: str
    line: int
    column: int
    message: str
    reference: str | None
    fingerprint: str

    @property
    def sort_key(self) -> tuple[str, int, int, int, str]:
        return (self.path, self.line, self.column, RULE_IDS.index(self.rule), self.fingerprint)


def fingerprint_of(hit: Hit) -> str:
    """A finding's identity: its rule, file, reference and content key, never its line."""
    raw = "\x1f".join((hit.rule, hit.doc_id, hit.reference or "", hit.key))
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:32]


# -- evaluation ----------------------------------------------------------------

_MIN_SHINGLES = 15  # a version with fewer shingles is no copied passage
_COPIED_ROW = 0.5  # a segment with this share of its shingles in the source is copied text
_HEAD_BLOCKS = 3  # a version starting this near the top of its page owns the page's head
# A line of this many words is a story run together (an aggregator's), not a paragraph: the
# generated corpus's paragraphs cut into windows run 121 words (median) to 213, its
# aggregators' story lines 164 to 2,000+ (1% under 314).
_STORY_LINE_WORDS = 300


def evaluate(
    result: ScanResult,
    roles: Roles,
    thresholds: Thresholds,
    jobs: int = 1,
    known: Fingerprints | None = None,
) -> tuple[Hit, ...]:
    """Every rule's hits on the checked documents of `result`, sorted; the same for any
    `jobs`. With several jobs (where processes can be forked), the checked documents are
    shared among forked processes, which inherit the scan instead of receiving it.
    `known`: the shingles of some of the documents, as the scan had them (an index's,
    `pipeline.Fingerprinted`), not computed again."""
    global _FORKED
    ctx = _Context.of(result, roles, known)
    checked = sorted(roles.checked & ctx.docs.keys())
    hits: list[Hit] = []
    if jobs > 1 and len(checked) >= _PARALLEL_DOCS and "fork" in mp.get_all_start_methods():
        parts = [checked[k :: jobs * 4] for k in range(jobs * 4)]
        _FORKED = ctx, thresholds
        try:
            with ProcessPoolExecutor(jobs, mp_context=mp.get_context("fork")) as pool:
                for found in pool.map(_forked_rules, parts):
                    hits += found
        finally:
            _FORKED = None
    else:
        for c in checked:
            hits += _rules_of(ctx, c, thresholds)
    return tuple(sorted(set(hits), key=lambda h: (h.doc_id, h.offset, h.rule, h.key)))


_PARALLEL_DOCS = 64  # below this, forking costs more than it saves
_FORKED: tuple[_Context, Thresholds] | None = None


def _forked_rules(checked: list[str]) -> list[Hit]:
    assert _FORKED is not None, "set by `evaluate` before it forks"
    ctx, thresholds = _FORKED
    return [hit for c in checked for hit in _rules_of(ctx, c, thresholds)]


def _rules_of(ctx: _Context, c: str, thresholds: Thresholds) -> list[Hit]:
    """Every rule's hits on the checked document `c`."""
    hits: list[Hit] = []
    partners = ctx.partners(c)
    for other in sorted(partners):
        shared = partners[other]
        if other in ctx.roles.sources:
            hits += _source_rules(ctx, c, other, shared, thresholds)
        elif other in ctx.roles.own or other in ctx.roles.checked:
            hits += _duplicate_rule(ctx, c, other, shared, thresholds)
    return hits


@dataclass(frozen=True, slots=True)
class _Shared:
    """Where a checked document and another meet: one story, each side's versions in it."""

    story: StoryReport
    mine: tuple[Version, ...]
    theirs: tuple[Version, ...]


@dataclass
class _Context:
    result: ScanResult
    roles: Roles
    docs: dict[str, Document]
    stories_of: dict[str, list[StoryReport]]
    plain: Fingerprints  # every segment of every document sharing a story with a checked one
    _pages: dict[str, np.ndarray] = field(default_factory=dict)
    _credits: dict[str, tuple[Credit, ...]] = field(default_factory=dict)
    _identities: dict[str, Identity] = field(default_factory=dict)
    _spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    _said: dict[str, str] = field(default_factory=dict)
    _quoted: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)
    _segments: dict[str, tuple[Segment, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, result: ScanResult, roles: Roles, known: Fingerprints | None = None) -> _Context:
        docs = {d.id: d for d in result.documents}
        stories_of: dict[str, list[StoryReport]] = defaultdict(list)
        for story in result.stories:
            for doc_id in dict.fromkeys(v.version.doc_id for v in story.versions):
                stories_of[doc_id].append(story)
        involved = sorted(
            {
                v.version.doc_id
                for c in roles.checked
                for story in stories_of.get(c, ())
                for v in story.versions
            }
        )
        held = set(known.table.doc_ids) if known is not None else set()
        plain = [s for d in involved if d not in held for s in result.segments_of(d)]
        found = fingerprint(plain, result.options.fingerprint).without_signatures()
        if known is not None:
            found = concat([known.documents([d for d in involved if d in held]), found])
        return cls(result, roles, docs, stories_of, found)

    def partners(self, c: str) -> dict[str, list[_Shared]]:
        """Every other document sharing a story with `c`, with where."""
        found: dict[str, list[_Shared]] = defaultdict(list)
        for story in self.stories_of.get(c, ()):
            mine = tuple(v.version for v in story.versions if v.version.doc_id == c)
            others: dict[str, list[Version]] = defaultdict(list)
            for v in story.versions:
                if v.version.doc_id != c:
                    others[v.version.doc_id].append(v.version)
            for other, theirs in others.items():
                found[other].append(_Shared(story, mine, tuple(theirs)))
        return found

    def chrome(self, doc_id: str) -> frozenset[int]:
        rows = self.result.table.rows(doc_id)
        return frozenset(np.flatnonzero(self.result.boilerplate[rows.start : rows.stop]).tolist())

    def shingles(self, fp: Fingerprints, doc_id: str, segments: Iterable[int]) -> np.ndarray:
        """The distinct shingles of some of a document's segments."""
        first = fp.table.rows(doc_id).start
        parts = [fp.shingle_set(first + i) for i in segments]
        if len(parts) == 1:  # a row's shingles are sorted and distinct already
            return parts[0]
        return distinct(np.concatenate(parts)) if parts else np.empty(0, np.uint32)

    def page(self, doc_id: str) -> np.ndarray:
        if doc_id not in self._pages:
            rows = self.plain.table.rows(doc_id)
            self._pages[doc_id] = self.shingles(self.plain, doc_id, range(len(rows)))
        return self._pages[doc_id]

    def segments(self, doc_id: str) -> tuple[Segment, ...]:
        if doc_id not in self._segments:
            self._segments[doc_id] = self.result.segments_of(doc_id)
        return self._segments[doc_id]

    def credits(self, doc_id: str) -> tuple[Credit, ...]:
        if doc_id not in self._credits:
            self._credits[doc_id] = read_credits(self.docs[doc_id])
        return self._credits[doc_id]

    def identity(self, doc_id: str) -> Identity:
        if doc_id not in self._identities:
            configured = self.roles.names.get(doc_id, ())
            self._identities[doc_id] = identity(self.docs[doc_id], configured)
        return self._identities[doc_id]

    def quotes(self, doc_id: str) -> list[tuple[int, int]]:
        """The document's quotations (`diff.quote_spans`: a quotation may span sentences, so
        it is found on the page, not on the sentences a diff aligned)."""
        if doc_id not in self._spans:
            self._spans[doc_id] = quote_spans(self.docs[doc_id].text, marks=False)
        return self._spans[doc_id]

    def quoted(self, doc_id: str) -> list[tuple[int, int, str]]:
        """Each quotation's span and its normalised words, spaced at both ends as `said`
        spaces them ("" for one without words): read once, looked up in every source."""
        if doc_id not in self._quoted:
            text = self.docs[doc_id].text
            found = []
            for a, b in self.quotes(doc_id):
                words = tokens(text[a:b])
                found.append((a, b, f" {' '.join(words)} " if words else ""))
            self._quoted[doc_id] = found
        return self._quoted[doc_id]

    def said(self, doc_id: str) -> str:
        """The document's normalised words as one string, spaced at both ends, to look a
        quotation up in (read only for a source with a quotation to look up)."""
        if doc_id not in self._said:
            self._said[doc_id] = f" {' '.join(tokens(self.docs[doc_id].text))} "
        return self._said[doc_id]

    def segment_at(self, doc_id: str, offset: int) -> int | None:
        rows = self.result.table.rows(doc_id)
        starts = self.result.table.start[rows.start : rows.stop]
        ends = self.result.table.end[rows.start : rows.stop]
        inside = np.flatnonzero((starts <= offset) & (ends > offset))
        return int(inside[0]) if len(inside) else None

    def start_of(self, doc_id: str, index: int) -> int:
        return int(self.result.table.start[self.result.table.rows(doc_id).start + index])


def _share(values: np.ndarray, within: np.ndarray) -> float:
    """The share of `values` found in `within`, both sorted and distinct (`_Context.shingles`):
    a binary search each, where `np.isin` sorts both again."""
    if not len(values) or not len(within):
        return 0.0
    at = np.minimum(np.searchsorted(within, values), len(within) - 1)
    return float((within[at] == values).mean())


def _source_rules(
    ctx: _Context, c: str, r: str, shared: list[_Shared], thresholds: Thresholds
) -> list[Hit]:
    """uncredited-copy, credit-removed and altered-quote of checked `c` against source `r`."""
    hits: list[Hit] = []
    chrome = ctx.chrome(c)
    copied_rows = sorted(
        {i for s in shared for v in s.mine if v.link == "copy" for i in v.segments} - chrome
    )
    mine = ctx.shingles(ctx.plain, c, copied_rows)
    enough = len(mine) >= _MIN_SHINGLES
    page = ctx.page(r) if enough else np.empty(0, np.uint32)  # read only where it counts
    containment = _share(mine, page) if enough else 0.0

    def copied(offset: int) -> bool:
        index = ctx.segment_at(c, offset)
        row = ctx.shingles(ctx.plain, c, [] if index is None else [index])
        return _share(row, page) >= _COPIED_ROW

    sides: list[list[Segment]] = []

    def side() -> list[Segment]:  # the source's text of the shared stories, made once if read
        if not sides:
            sides.append(_source_side(ctx, r, shared))
        return sides[0]

    # Who the source is, and whether `c` credits it, matters only to a copy above the
    # threshold: read only then (a reference's identity reads its whole page).
    if containment >= thresholds.min_containment and (
        credits_source(ctx.credits(c), source := ctx.identity(r), copied) is None
    ):
        at = _first_copied(ctx, c, copied_rows, page)
        who = source.describe()
        hits.append(
            Hit(
                "uncredited-copy",
                c,
                at,
                f"{containment:.0%} of this article's story text is found in {r} ({who}), "
                "and the article names no credit, dateline or source for it",
                r,
                r,
            )
        )
        # The copy credits the source nowhere, so every dateline or credit line of the
        # source's text is one it dropped (one it kept would have credited the source).
        dropped = _wire_credits(side())
        if dropped:
            what = "; ".join(f"{kind} “{text}”" for kind, text in dropped)
            hits.append(Hit("credit-removed", c, at, f"the copy of {r} drops its {what}", r, r))
    # a quotation can only have been altered from one of the source's (`_altered_quotes`
    # reads the source's quoted words): a source quoting no one needs no diff
    altered = _unmatched_quotes(ctx, c, r, shared) if ctx.quotes(r) else set()
    if altered:
        blocks = {segment.block for segment in ctx.segments(c) if segment.index in altered}
        child = [s for s in ctx.segments(c) if s.block in blocks]
        found = diff_versions(child, side(), boilerplate=chrome)
        if any(n.kind == "quote-changed" for n in found.notes):
            hits += _altered_quotes(ctx, c, r, found)
    return hits


def _unmatched_quotes(ctx: _Context, c: str, r: str, shared: list[_Shared]) -> set[int]:
    """`c`'s segments, among its passages of the shared stories, that hold a quotation not
    found word for word (normalised words, `fingerprint.tokens`) in `r`: the only places a
    quotation can have been altered, so the only text the diff needs to align (house
    spelling left to the diff, which folds it)."""
    quoted = ctx.quoted(c)
    segments = ctx.segments(c)
    found = set()
    for i in sorted({i for s in shared for v in s.mine for i in v.segments}):
        start, end = segments[i].start, segments[i].end
        for a, b, words in quoted:
            if a < end and b > start and words and words not in ctx.said(r):
                found.add(i)
    return found


def _wire_credits(side: list[Segment]) -> list[tuple[str, str]]:
    """("dateline" or "credit line", its text) of each wire credit in the source's text, as
    provenance reads them (`WIRE_CREDIT`): "LONDON, March 3 (Reuters) -", "(Reporting by ...)"."""
    found: list[tuple[str, str]] = []
    for segment in side:
        text = segment.text
        for m in credit_matches(text):
            group = next(g for g, v in m.groupdict().items() if v)
            if group in DATELINE_GROUPS:  # "(Reuters) -": the dateline runs from the line's start
                start = max(text.rfind("\n", 0, m.start()) + 1, m.start() - DATELINE_PREFIX)
                item = ("dateline", " ".join(text[start : m.end()].split()))
            else:
                item = ("credit line", " ".join(m.group().split()))
            if item not in found:
                found.append(item)
    return sorted(found, key=lambda item: item[0] != "dateline")


def _words(text: str) -> list[str]:
    return [fold_spelling(w) for w in tokens(text)]


def _first_copied(ctx: _Context, c: str, rows: list[int], page: np.ndarray) -> int:
    """Offset of the first segment of `rows` that is mostly text of the source."""
    for i in rows:
        if _share(ctx.shingles(ctx.plain, c, [i]), page) >= _COPIED_ROW:
            return ctx.start_of(c, i)
    return ctx.start_of(c, rows[0]) if rows else 0


def _source_side(ctx: _Context, r: str, shared: list[_Shared]) -> list[Segment]:
    """The source's text of the shared stories: its page without chrome; on a page that
    also carries other stories (an aggregator), only the blocks of the shared versions and
    a short paragraph on each side (a dateline, a sign-off), plus the page's head when
    they start near the top.

    Which page carries other stories is read from the page itself, not from the other
    stories the scan happened to see on it (those come through other references, which a
    narrower prefilter may not pass): an aggregator runs each story together on one line,
    which `segment` cuts into windows, so a line of `_STORY_LINE_WORDS` or more, longer than
    news paragraphs run, or a long line with a dateline or credit of its own, is a story of
    its own. (A long paragraph of one article, kept or dropped by the copy, carries none:
    its dateline opens the page's head, its sign-off is a short line.)"""
    parent_all = ctx.segments(r)
    chrome_r = ctx.chrome(r)
    blocks = {parent_all[i].block for s in shared for v in s.theirs for i in v.segments}
    lines = defaultdict(list)
    for s in parent_all:
        if s.index not in chrome_r:
            lines[s.block].append(s)
    other = {
        b
        for b, line in lines.items()
        if b not in blocks
        and len(line) > 1
        and (sum(len(s.text.split()) for s in line) >= _STORY_LINE_WORDS or _wire_credits(line))
    }
    keep: Callable[[Segment], bool] = lambda s: True  # noqa: E731
    if other and blocks:
        lo, hi = min(blocks), max(blocks)
        lo = _short_neighbour(parent_all, lo - 1, lo)
        hi = _short_neighbour(parent_all, hi + 1, hi)
        first = 0 if lo <= _HEAD_BLOCKS else lo
        keep = lambda s: first <= s.block <= hi  # noqa: E731
    return [s for s in parent_all if s.index not in chrome_r and keep(s)]


def _short_neighbour(segments: tuple[Segment, ...], block: int, otherwise: int) -> int:
    words = sum(len(s.text.split()) for s in segments if s.block == block)
    return block if 0 < words <= SHORT_PARAGRAPH_WORDS else otherwise


def _quoted_words(text: str, spans: list[tuple[int, int]], start: int, end: int) -> list[str]:
    """Words inside quotations within text[start:end], folded as the diff folds house style."""
    inside = [text[max(a, start) : min(b, end)] for a, b in spans if a < end and b > start]
    return [w for part in inside for w in _words(part)]


def _altered_quotes(ctx: _Context, c: str, r: str, found: VersionDiff) -> list[Hit]:
    child, parent = ctx.docs[c].text, ctx.docs[r].text
    child_spans, parent_spans = ctx.quotes(c), ctx.quotes(r)
    hits = []
    for change in found.changed:
        before = _quoted_words(parent, parent_spans, change.before.start, change.before.end)
        after = _quoted_words(child, child_spans, change.after.start, change.after.end)
        if not before or not after or before == after:
            continue
        was = _quoted_text(parent, parent_spans, change.before.start, change.before.end)
        now = _quoted_text(child, child_spans, change.after.start, change.after.end)
        message = f"quotation differs from {r}: “{_clip(was)}” → “{_clip(now)}”"
        key = f"{r}\x1f{' '.join(before)}"
        hits.append(Hit("altered-quote", c, change.after.start, message, r, key))
    return hits


def _quoted_text(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    inside = [text[max(a, start) : min(b, end)] for a, b in spans if a < end and b > start]
    return " … ".join(" ".join(part.split()) for part in inside)


def _clip(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _duplicate_rule(
    ctx: _Context, c: str, w: str, shared: list[_Shared], thresholds: Thresholds
) -> list[Hit]:
    """duplicate-article: `c` and the site's own (or another checked) article `w` are versions
    of one story sharing at least `duplicate_containment` of either's story text."""
    if w in ctx.roles.checked and not _precedes(w, c, shared):
        return []
    mine = sorted({i for s in shared for v in s.mine for i in v.segments} - ctx.chrome(c))
    theirs = sorted({i for s in shared for v in s.theirs for i in v.segments} - ctx.chrome(w))
    a = ctx.shingles(ctx.plain, c, mine)
    b = ctx.shingles(ctx.plain, w, theirs)
    share = max(_share(a, ctx.page(w)), _share(b, ctx.page(c)))
    if share < thresholds.duplicate_containment or not mine:
        return []
    where = "already in the repository" if w in ctx.roles.own else "also checked, and earlier"
    message = f"a version of the story in {w} ({where}; {share:.0%} of the story text shared)"
    return [Hit("duplicate-article", c, ctx.start_of(c, mine[0]), message, w, w)]


def _precedes(w: str, c: str, shared: list[_Shared]) -> bool:
    """Of two checked versions of one story, `w` came first: it is an ancestor of `c` in the
    derivation tree, or, neither descending from the other, its path sorts first."""
    for s in shared:
        parent = {v.version: v.parent for v in s.story.versions}
        for v in s.mine:
            p = parent.get(v)
            while p is not None:
                if p.doc_id == w:
                    return True
                if p.doc_id == c:
                    break
                p = parent.get(p)
        for v in s.theirs:
            p = parent.get(v)
            while p is not None:
                if p.doc_id == c:
                    return False
                p = parent.get(p)
    return w < c
