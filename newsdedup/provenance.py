"""Trace each story to its origin and build the derivation tree, with the evidence for every link.

One documented rule, no per-sample branches. Every version gets features
(wire credit, attribution lines, a trustworthy date, its shingle set); then

* **origin** = the version with the highest *origin score*, a weighted sum of
  evidence items (weights in `ORIGIN_WEIGHTS`);
* versions are ordered by that score (versions on aggregator pages last), and
  the parents are those of the tree rooted at the origin with the highest
  total *parent score* (weights in `PARENT_WEIGHTS`; `_best_tree`): how much of the child
  the candidate explains, how many of the child's own readings (text absent
  from the origin: a changed word, a rewritten sentence) it shares, whether
  the child holds figures of the origin the candidate lacks (then it cannot
  descend from it), whether the child attributes its text to it, and whether
  the dates allow it. The ranking only breaks ties;
* **confidence** is a logistic of the margin between the best tree and the
  best tree in which the version has another parent; when the margin is
  small those other parents are listed;
* **relation** comes from the similarity figures (`_relation`, table in docs/provenance.md).
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from urllib.parse import urlsplit

import numpy as np
import tldextract

from .cluster import Story, Version
from .dates import contradicted, month_day, url_day
from .fingerprint import Fingerprints
from .index import distinct, runs
from .records import Document
from .segment import SHORT_PARAGRAPH_WORDS

# -- evidence patterns --------------------------------------------------------

_AGENCIES = {
    "Reuters": r"Reuters",
    "AP": r"AP|Associated Press",
    "AFP": r"AFP|Agence France-Presse",
    "Bloomberg": r"Bloomberg(?: News)?",
    "PA": r"PA|PA Media|Press Association",
    "dpa": r"dpa|Deutsche Presse-Agentur",
    "EFE": r"EFE|Agencia EFE",
    "Xinhua": r"Xinhua|新华社",
}
_AGENCY_ALTS = "|".join(f"(?P<{n.lower()}>{p})" for n, p in _AGENCIES.items())
# Datelines "BEIJING, Jan 10 (Reuters) -", "(AP) —", sign-offs "(Reporting by ...)",
# "--With assistance from", "By Jane Doe, PA", "©Reuters", "-- Reuters"; other languages'
# "Berlin (dpa/lnw) -", "MADRID, 10 ene (EFE).-", "新华社北京1月10日电".
WIRE_CREDIT = re.compile(
    rf"\((?:{_AGENCY_ALTS})(?:/[a-z]{{2,4}})?\)\.?\s*[-\u2013\u2014]|"
    r"(?P<xinhua_cn>新华社[^\n（(]{0,12}?电)|"
    rf"[-\u2013\u2014]{{1,2}}\s*(?:{_AGENCY_ALTS.replace('?P<', '?P<s_')})\s*$|"
    r"(?P<reuters_signoff>\(?Reporting by [^;)\n]{2,120}(?:;|\)|\n|$))|"
    r"(?P<bloomberg_signoff>[-\u2013\u2014]{1,2}\s*With assistance from )|"
    # a name of at most 7 words: unbounded, a long run of capitalised words cost time
    # quadratic in its length
    r"(?P<pa_byline>\bBy [A-Z][a-z]+(?: [A-Z][a-z'-]+){1,6},? (?:PA|Press Association)\b)",
    re.MULTILINE,
)
# Words every WIRE_CREDIT match contains. No leading \b: a pattern that starts with
# its literals lets the regex engine skip ahead (8x faster); WIRE_CREDIT decides.
_CREDIT_WORDS = re.compile(rf"(?:{'|'.join(_AGENCIES.values())}|Reporting by|With assistance from)")
_GROUP_AGENCY = {
    "reuters_signoff": "Reuters",
    "bloomberg_signoff": "Bloomberg",
    "pa_byline": "PA",
    "xinhua_cn": "Xinhua",
    **{n.lower(): n for n in _AGENCIES},
    **{f"s_{n.lower()}": n for n in _AGENCIES},
}
_OUTLET = r"(?:the )?(?P<outlet>[A-Z][\w.&'-]*(?: [A-Z][\w.&'-]*){0,3}|dpa)"
ATTRIBUTION = re.compile(
    r"^\s*(?:Source|Via|Originally published (?:on|by)|Credit)\s*:\s*(?P<line>[^\n]{2,200})|"
    r"\b(?i:first|originally) (?i:appeared|published) (?i:on|in|at|by) "
    r"(?P<first>[^\s,;]+(?: [A-Z][\w.-]+){0,2})|"
    r"\b(?i:read|see|continue reading|read more of) (?i:the )?(?i:full|whole|original|rest of the) "
    r"(?i:story|article|report) (?i:at|on) (?P<full>[^\s,;]+(?: [A-Z][\w.-]+){0,2})|"
    r"\b(?i:according to|as per|citing|cited by|as reported by|selon|d['’]après|laut|según) "
    r"(?i:an? |la agencia |l['’]agence |l['’]|la |el |der |die )?"
    rf"(?i:report (?:by|from|in) )?{_OUTLET}",
    re.MULTILINE,
)
# "Reuters reported": found from the literal " reported" backwards, since a pattern
# that may start at any capital letter is the slowest thing a regex can be asked.
_REPORTER = re.compile(r"(?:^|[^\w.&'-])(?P<reporter>[A-Z][\w.&'-]*(?: [A-Z][\w.&'-]*){0,3})$")
# A direct quote within one segment: the segments are searched at once, joined by NUL.
_QUOTE = re.compile(r"[\"“]([^\"“”\0]{20,400})[\"”]")
# At most 10 labels of at most 63 characters (DNS allows 63; real names have a few):
# unbounded, a long run of "a.a.a…" or "7-7-7…" took time quadratic in its length.
_DOMAIN = re.compile(
    r"\b(?:[a-z0-9-]{1,63}\.){1,10}(?:com|org|net|news|io|co|uk|de|fr|it|in|au|ca|info)\b", re.I
)
_SELF_MENTION = re.compile(
    r"appeared (?:first )?on|no liability|all rights reserved|©|copyright|disclaimer|published by",
    re.IGNORECASE,
)
_SELF_MENTION_CUES = (  # a line lacking all of these cannot match _SELF_MENTION
    "appeared",
    "no liability",
    "rights reserved",
    "©",
    "copyright",
    "disclaimer",
    "published by",
)

# -- the documented rule ------------------------------------------------------

ORIGIN_WEIGHTS = {
    "credit": 3.0,  # carries a wire dateline, credit or sign-off
    "agency_site": 3.0,  # published by the agency its credit names (reuters.com, apnews.com, ...)
    "attributed_to": 2.0,  # another version names it as its source
    "attributes": -2.0,  # names another version or outlet as its source
    "earliest": 2.0,  # earliest trustworthy date among the versions that have one
    "later": -2.0,  # x share of the other dated versions published before it
    "explains": 4.0,  # x (mean containment of the others in it - its containment in them)
    "paraphrase": -3.0,  # joined by fragments only: a rewrite, not a source
    "quotes": 1.0,  # holds the most direct-quote words: rewrites turn quotes into reported speech
    "aggregator": -4.0,  # on a page of several stories, while a credited version exists elsewhere
}
PARENT_WEIGHTS = {
    "explains": 3.0,  # share of the child's shingles found in the candidate's page
    "resembles": 3.0,  # Jaccard of the two versions: an excerpt's copy resembles the excerpt
    "variants": 4.0,  # share of the child's own readings (absent from the origin) it holds
    "attribution": 4.0,  # the child names the candidate as its source
    "credit_kept": 0.5,  # both carry the same wire credit
    "date_after": -2.0,  # the candidate was published after the child
    "same_page": 5.0,  # the same text, same credit, repeated earlier on the same page
    "aggregator": -1.5,  # the candidate sits on a page that embeds several stories
    "paraphrase": -2.0,  # the candidate is linked by fragments only
    "lacks_figures": -8.0,  # x figures the child took from the origin that the candidate lacks
    "figure_variants": 2.0,  # x figures of the candidate's own (not the origin's) the child holds
    "figures_missing": -2.0,  # x share of the candidate's own figures the child lacks
    "lacks_junctions": -6.0,  # x the candidate's own paragraph junctions the child breaks
    "reads_as": 2.0,  # the candidate's page holds every paragraph of the child word for word
    "names_site": 2.0,  # the child's page furniture names the candidate's site (`_mentions`)
}
_AMBIGUOUS_MARGIN = 0.75
# Site names of the agencies' own outlets, as `_core_name` spells them.
_AGENCY_SITES = {
    "Reuters": {"reuters"},
    "AP": {"ap", "apnews", "associatedpress"},
    "AFP": {"afp"},
    "Bloomberg": {"bloomberg"},
    "PA": {"pa", "pamedia", "pressassociation"},
    "dpa": {"dpa", "dpainternational"},
    "EFE": {"efe"},
    "Xinhua": {"xinhua", "xinhuanet"},
}


@dataclass(frozen=True, slots=True)
class Evidence:
    kind: str
    detail: str


@dataclass(frozen=True, slots=True)
class VersionReport:
    version: Version
    parent: Version | None
    relation: str
    similarity: float
    containment: float
    confidence: float
    evidence: tuple[Evidence, ...]
    candidates: tuple[tuple[Version, float], ...] = ()


@dataclass(frozen=True, slots=True)
class StoryReport:
    id: str
    origin: Version
    versions: tuple[VersionReport, ...]


@dataclass(frozen=True, slots=True)
class _Features:
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
    passages: tuple[int, ...]  # the version's story passages (`_passages`), in its order
    junctions: frozenset[tuple[int, int]]  # the pairs of passages it has in a row
    pointers: frozenset[str]  # what its "read the full story at X" lines name (`_pointers`)
    readings: frozenset[str]  # its paragraphs as they read (`_reading`)
    page_readings: frozenset[str]  # every paragraph of its page as it reads
    mentions: frozenset[str] = frozenset()  # other pages' site names its furniture names


def trace(
    story: Story,
    documents: dict[str, Document],
    fp: Fingerprints,
    aggregators: frozenset[str] = frozenset(),
) -> StoryReport:
    """Origin, parent, relation, confidence and evidence for every version of `story`.

    `fp` holds at least the story's pages; `aggregators` names the documents
    that hold versions of several stories.
    """
    pages = {v.doc_id for v in story.versions}
    passage = _passages(fp, pages)
    readings = {d: _page_readings(documents[d], fp) for d in pages}
    feats = {
        v: _features(
            v, documents[v.doc_id], fp, v.doc_id in aggregators, passage, readings[v.doc_id]
        )
        for v in story.versions
    }
    names = {h for f in feats.values() for h in f.hints if _mentionable(h)}
    for v in story.versions:
        if found := _mentions(v, documents[v.doc_id], fp, names - feats[v].hints):
            feats[v] = replace(feats[v], mentions=found)
    links = _attribution_links(story.versions, feats)
    sources = {c: link for c, link in links.items() if not _text_overrules(c, link[0], feats)}
    columns = _Columns.of(story.versions, fp)
    overlap = _Overlap.of(columns)
    scores = _origin_scores(story.versions, feats, links, overlap)
    order = sorted(story.versions, key=lambda v: (-sum(scores[v].values()), v.doc_id, v.segments))
    origin = order[0]
    # Pages that embed several stories take text, they are rarely copied: their
    # versions come after the single-story versions (the origin's own page excepted).
    later = sorted(order[1:], key=lambda v: feats[v].aggregator and v.doc_id != origin.doc_id)
    order = [origin, *later]
    late = {v for v in later if feats[v].aggregator and v.doc_id != origin.doc_id}
    held = _PageHeld.of(origin, columns)
    terms: dict[tuple[int, int], dict[str, float]] = {}
    for i, child in enumerate(order[1:], 1):
        for j in _candidate_parents(i, order, overlap):
            # An aggregator may only be the parent of another aggregator.
            if order[j] not in late or child in late:
                terms[i, j] = _parent_terms(
                    child, order[j], origin, held, feats, sources, overlap.jaccard(child, order[j])
                )
    # Ties go to the earlier dated candidate (a copy is taken from what was already out),
    # then to the one closer to the origin.
    tie = _tie_order(order, feats)
    weight = {k: sum(t.values()) - _RANK_TIE * tie[k[1]] for k, t in terms.items()}
    parent_of = _best_tree(weight)
    choices = _Choices.of(weight)
    reports = [_origin_report(origin, scores, order)]
    for i, child in enumerate(order[1:], 1):
        others = _other_parents(i, parent_of, choices)
        reports.append(
            _parent_report(
                child, i, order, parent_of, others, terms, feats, links, overlap, columns
            )
        )
    return StoryReport(story.id, origin, tuple(reports))


@dataclass(frozen=True, slots=True)
class _Overlap:
    """The shingles each pair of a story's versions shares, as a matrix in the story's order:
    every pair is compared, so a story of a thousand copies takes a matrix product, not half
    a million set intersections."""

    at: dict[Version, int]
    shared: np.ndarray  # int32 (n, n): 4 bytes a pair, 400 MB for a story of 10,000 copies
    sizes: np.ndarray  # int64 (n,): each version's shingles, at least 1

    @classmethod
    def of(cls, columns: _Columns) -> _Overlap:
        shared = _common(columns.versions, columns.versions, columns.width)
        sizes = np.maximum(np.diagonal(shared), 1).astype(np.int64)
        return cls(columns.at, shared, sizes)

    def count(self, a: Version, b: Version) -> int:
        return int(self.shared[self.at[a], self.at[b]])

    def size(self, a: Version) -> int:
        return int(self.shared[self.at[a], self.at[a]])

    def jaccard(self, a: Version, b: Version) -> float:
        i, j = self.at[a], self.at[b]
        n = int(self.shared[i, j])
        return n / max(int(self.shared[i, i]) + int(self.shared[j, j]) - n, 1)


@dataclass(frozen=True, slots=True)
class _Columns:
    """A story's versions and pages as sets over one numbering of the shingles on its pages."""

    at: dict[Version, int]  # each version's number, in the story's order
    versions: _Ones  # version k holds column c (a column may repeat: windows overlap)
    pages: _Ones  # page k (in id order) holds column c
    page_of: np.ndarray  # the page of each version
    width: int

    @classmethod
    def of(cls, versions: Sequence[Version], fp: Fingerprints) -> _Columns:
        pages = sorted({v.doc_id for v in versions})
        spans = [fp.table.rows(d) for d in pages]
        page_sets = [fp.shingles[fp.offsets[r.start] : fp.offsets[r.stop]] for r in spans]
        distinct_values, page_column = np.unique(
            np.concatenate(page_sets).astype(np.int64), return_inverse=True
        )
        page_row = np.repeat(np.arange(len(pages)), [len(p) for p in page_sets])
        number = {d: k for k, d in enumerate(pages)}
        page_of = np.array([number[v.doc_id] for v in versions], dtype=np.intp)
        # A version's shingles are its segments' part of its page's: gathered from the page's
        # columns by where each segment's shingles sit among the pages' shingles.
        first = np.cumsum([0, *(len(p) for p in page_sets)])[page_of]
        start = np.array([fp.offsets[r.start] for r in spans], dtype=np.int64)[page_of]
        rows = np.concatenate(
            [
                spans[k].start + np.asarray(v.segments)
                for k, v in zip(page_of, versions, strict=True)
            ]
        )
        owner = np.repeat(np.arange(len(versions)), [len(v.segments) for v in versions])
        offset = first[owner] + fp.offsets[rows] - start[owner]
        sizes = fp.offsets[rows + 1] - fp.offsets[rows]
        position = np.repeat(offset - np.cumsum(sizes) + sizes, sizes) + np.arange(int(sizes.sum()))
        return cls(
            {v: k for k, v in enumerate(versions)},
            _Ones(np.repeat(owner, sizes), page_column[position], len(versions)),
            _Ones(page_row, page_column, len(pages)),
            page_of,
            len(distinct_values),
        )

    def share_in_either(self, child: Version, a: Version, b: Version) -> float:
        """Share of the child's shingles that version `a` or version `b` holds."""
        row, column = self.versions.row, self.versions.column
        held = np.unique(column[row == self.at[child]])
        either = column[(row == self.at[a]) | (row == self.at[b])]
        return np.count_nonzero(np.isin(held, either)) / max(len(held), 1)


@dataclass(frozen=True, slots=True)
class _PageHeld:
    """How much of each version of a story each version's page holds: of all its text, and of
    its own readings (what the origin's page lacks). A copier takes from a page, not only
    from the segments that matched, so a candidate is scored on its whole page. Two more
    (n, n) int32 matrices: with `_Overlap`'s, 1.2 GB for a story of 10,000 copies."""

    at: dict[Version, int]
    all: np.ndarray  # int32 (n, n): shingles of version i found on version j's page
    own: np.ndarray  # int32 (n, n): the same, of version i's shingles the origin's page lacks

    @classmethod
    def of(cls, origin: Version, columns: _Columns) -> _PageHeld:
        held, pages, page_of = columns.versions, columns.pages, columns.page_of
        on_origin_page = pages.column[pages.row == page_of[columns.at[origin]]]
        own = ~np.isin(held.column, on_origin_page)
        return cls(
            columns.at,
            _common(held, pages, columns.width)[:, page_of],
            _common(_Ones(held.row[own], held.column[own], held.n), pages, columns.width)[
                :, page_of
            ],
        )

    def size(self, version: Version) -> int:
        """The version's shingles (all of them lie on its own page)."""
        return int(self.all[self.at[version], self.at[version]])

    def explains(self, child: Version, candidate: Version) -> float:
        """Share of the child's shingles found on the candidate's page."""
        i, j = self.at[child], self.at[candidate]
        return int(self.all[i, j]) / max(int(self.all[i, i]), 1)  # all of it is on its page

    def variants(self, child: Version, candidate: Version) -> float:
        """How much of the child's own readings the candidate's page holds, above chance.

        Independent copies converge a little (the same house style, the same
        obvious synonym); a copy of a copy inherits nearly all of its parent's
        readings. Shares up to `_VARIANT_FLOOR` count for nothing.
        """
        i, j = self.at[child], self.at[candidate]
        size = int(self.own[i, i])  # a version's own readings all lie on its page
        if size < 5:
            return 0.0
        share = int(self.own[i, j]) / size
        return max(0.0, (share - _VARIANT_FLOOR) / (1.0 - _VARIANT_FLOOR))


@dataclass(frozen=True, slots=True)
class _Ones:
    """Sets as a 0/1 matrix given by its ones: set `row[k]` holds column `column[k]`."""

    row: np.ndarray
    column: np.ndarray
    n: int

    def block(self, lo: int) -> np.ndarray:
        """Columns lo to lo + `_OVERLAP_BLOCK` as a dense float32 matrix."""
        inside = (self.column >= lo) & (self.column < lo + _OVERLAP_BLOCK)
        dense = np.zeros((self.n, _OVERLAP_BLOCK), dtype=np.float32)
        dense[self.row[inside], self.column[inside] - lo] = 1.0
        return dense


def _common(a: _Ones, b: _Ones, width: int) -> np.ndarray:
    """How many of `width` columns each set of `a` shares with each set of `b` (int32): one
    matrix product per block of columns; float32 sums of ones are exact below 2**24."""
    found = np.zeros((a.n, b.n), dtype=np.float32)
    for lo in range(0, width, _OVERLAP_BLOCK):
        left = a.block(lo)
        found += left @ (left if b is a else b.block(lo)).T
    counts: np.ndarray = np.rint(found).astype(np.int32)
    return counts


_OVERLAP_BLOCK = 4096


def _candidate_parents(i: int, order: list[Version], overlap: _Overlap) -> list[int]:
    """Positions in `order` that may be the parent of `order[i]`, ascending.

    In a story of up to `_FREE_ORDER_MAX // 4` (16) versions, any other
    version: the tree decides the direction. Past that, only earlier versions,
    and of those the origin and the `_FREE_ORDER_MAX` sharing the most text
    with the child: a story of a thousand copies then scores a bounded number
    of parents for each, not every pair. Where any direction is allowed, the
    runner-up trees (`_other_parents`) each take a whole Chu-Liu/Edmonds run,
    whose cost grows with the fourth power of the versions (a story of 63
    versions took 22 s); with earlier versions only, each takes a walk up the
    tree. So a story's cost is its versions times a bounded list at any size.
    """
    if len(order) <= _FREE_ORDER_MAX // 4:
        return [j for j in range(len(order)) if j != i]
    if i <= _FREE_ORDER_MAX + 1:
        return list(range(i))
    earlier = np.arange(1, i)
    held = overlap.shared[overlap.at[order[i]], [overlap.at[v] for v in order[1:i]]]
    closest = earlier[np.lexsort((earlier, -held))[:_FREE_ORDER_MAX]]  # most shared, earliest
    return [0, *sorted(closest.tolist())]


_FREE_ORDER_MAX = 64
_RANK_TIE = 1e-9


def _tie_order(order: list[Version], feats: dict[Version, _Features]) -> list[int]:
    """Each position's rank among candidates of equal score: dated versions by date, the
    undated after them, each by its place in `order` (the origin first)."""
    ranked = sorted(
        range(len(order)),
        key=lambda j: (j != 0, feats[order[j]].when is None, _start(feats[order[j]]), j),
    )
    rank = [0] * len(order)
    for r, j in enumerate(ranked):
        rank[j] = r
    return rank


def _start(f: _Features) -> float:
    return f.when[0] if f.when else math.inf


def _preferred(weight: dict[tuple[int, int], float]) -> dict[int, int]:
    """child -> the parent of its heaviest link, the first in `weight`'s order on a tie."""
    best: dict[int, int] = {}
    for (c, p), w in weight.items():
        if c not in best or w > weight[c, best[c]]:
            best[c] = p
    return best


def _best_tree(weight: dict[tuple[int, int], float]) -> dict[int, int]:
    """child -> parent: the tree rooted at 0 with the highest total weight (Chu-Liu/Edmonds).

    `weight[child, parent]` scores an allowed link; every child needs one to 0.
    Each child takes its best parent; a cycle among them is merged into one
    node, whose best way in (the link into the cycle that costs least over the
    cycle's own links) is found the same way, and the cycle is then cut there.
    """
    best = _preferred(weight)
    cycle = _cycle(best)
    if not cycle:
        return best
    node = 1 + max(max(k) for k in weight)
    inner = {c: weight[c, best[c]] for c in cycle}
    merged: dict[tuple[int, int], float] = {}
    source: dict[tuple[int, int], tuple[int, int]] = {}
    for (c, p), w in weight.items():
        if c in cycle and p in cycle:
            continue
        key, value = (
            ((node, p), w - inner[c]) if c in cycle else ((c, node if p in cycle else p), w)
        )
        if key not in merged or value > merged[key]:
            merged[key], source[key] = value, (c, p)
    tree = {}
    for key in _best_tree(merged).items():
        c, p = source[key]
        tree[c] = p
    for c in cycle:
        tree.setdefault(c, best[c])
    return tree


@dataclass(frozen=True, slots=True)
class _Choices:
    """A story's allowed links, `weight[child, parent]`, each child's links in that order,
    and the parent each child prefers: what the runner-up trees start from."""

    weight: dict[tuple[int, int], float]
    of_child: dict[int, list[tuple[int, float]]]
    preferred: dict[int, int]
    preferred_is_tree: bool

    @classmethod
    def of(cls, weight: dict[tuple[int, int], float]) -> _Choices:
        of_child: dict[int, list[tuple[int, float]]] = {}
        for (c, p), w in weight.items():
            of_child.setdefault(c, []).append((p, w))
        preferred = _preferred(weight)
        return cls(weight, of_child, preferred, not _cycle(preferred))


def _first_best(links: list[tuple[int, float]], banned: set[int]) -> int | None:
    """`_preferred` for one child's `links`, leaving out those to `banned`."""
    pick, top = None, 0.0
    for p, w in links:
        if p not in banned and (pick is None or w > top):
            pick, top = p, w
    return pick


def _other_parents(child: int, tree: dict[int, int], choices: _Choices) -> list[tuple[int, float]]:
    """(parent, how much less the best tree with it scores) for the parents `child` could
    have instead of `tree[child]`: the closest first, until one falls `_AMBIGUOUS_MARGIN`
    behind or `_MAX_CANDIDATES` are found.

    A tree, not a lone link, is what is compared: when two versions are the
    same text, one can be the other's parent either way round, and the link
    is then as uncertain as the direction. The cap bounds a story of a thousand
    identical copies, where every copy is as good a parent as the next.
    """
    weight = choices.weight
    total = sum(weight[c, p] for c, p in tree.items())
    banned = {tree[child]}
    found: list[tuple[int, float]] = []
    while len(found) < _MAX_CANDIDATES:
        pick = _first_best(choices.of_child[child], banned)
        if pick is None:
            return found
        if _only_link_changes(child, pick, choices):
            # the best tree is the preferred links, and so is this one but for `child`'s
            behind = weight[child, choices.preferred[child]] - weight[child, pick]
        else:
            rest = {k: w for k, w in weight.items() if k[0] != child or k[1] not in banned}
            alternative = _best_tree(rest)
            pick = alternative[child]
            behind = total - sum(rest[c, p] for c, p in alternative.items())
        found.append((pick, behind))
        if behind >= _AMBIGUOUS_MARGIN:
            return found
        banned.add(pick)
    return found


_MAX_CANDIDATES = 5


def _only_link_changes(child: int, pick: int, choices: _Choices) -> bool:
    """Whether every version taking its preferred parent, `child` taking `pick`, is a tree:
    then that is the best tree without `child`'s banned parents (Chu-Liu/Edmonds' first
    step finds no cycle), found by walking up from `pick` rather than over every link. So it
    is when only earlier versions may be parents, as in a story of many copies."""
    if not choices.preferred_is_tree:
        return False
    node = pick
    while node in choices.preferred and node != child:
        node = choices.preferred[node]
    return node != child


def _cycle(parent: dict[int, int]) -> set[int]:
    """The nodes of one cycle of the `parent` links, or nothing."""
    done: set[int] = set()
    for start in parent:
        path: list[int] = []
        seen: set[int] = set()
        node = start
        while node in parent and node not in done and node not in seen:
            seen.add(node)
            path.append(node)
            node = parent[node]
        if node in seen:
            return set(path[path.index(node) :])
        done |= seen
    return set()


def _features(
    version: Version,
    doc: Document,
    fp: Fingerprints,
    aggregator: bool,
    passage: dict[int, int],
    page_readings: frozenset[str],
) -> _Features:
    """`passage`: the story passage of each row of its pages (`_passages`); `page_readings`:
    its page's paragraphs as they read (`_page_readings`), read once for all its versions."""
    page = fp.table.rows(version.doc_id)
    rows = [page.start + i for i in version.segments]
    texts = [_text(r, doc, fp) for r in rows]
    sequence = [k for k, _ in itertools.groupby(passage[r] for r in rows if r in passage)]
    edge = _edges(version, doc, fp)
    around = "\n".join(texts + edge)  # the version with its dateline and sign-off
    credit = _credit(around)
    named = _source_matches(around)
    # Attribution is read around the version, not over the whole page: an
    # aggregator credits each of its sources next to the text it took.
    date, source = doc.published, (doc.date_source or "metadata") if doc.published else None
    when = _instants(date)
    if when and _self_contradicted(when, doc, around):
        date, source, when = None, None, None
    return _Features(
        credit=credit,
        date=date,
        date_source=source,
        when=when,
        attributions=_attributions(around, doc, credit, named),
        pointers=_pointers(around, named),
        hints=_site_hints(doc),
        quoted_words=sum(len(q.split()) for q in _QUOTE.findall("\0".join(texts))),
        aggregator=aggregator,
        figures=_figures(doc, ((int(fp.table.start[r]), int(fp.table.end[r])) for r in rows)),
        page_figures=_figures(doc, [(0, len(doc.text))]),
        passages=tuple(sequence),
        junctions=frozenset(itertools.pairwise(sequence)),
        readings=frozenset(map(_reading, texts)),
        page_readings=page_readings,
    )


def _mentionable(name: str) -> bool:
    """A site name long enough to be found inside running text, and no wire agency's (an
    agency named is a credit, read as one)."""
    return len(name) >= _MENTION_MIN and not any(name in s for s in _AGENCY_SITES.values())


_MENTION_MIN = 6


def _mentions(version: Version, doc: Document, fp: Fingerprints, names: set[str]) -> frozenset[str]:
    """Which of `names` (other pages' site names) the page names outside the version's text
    and outside attribution lines: "... the position of Market Pulse 24", "The post appeared
    first on Global Newsdesk" on another site's page. A copy carries its source page's
    furniture along with the text; a site does not print another's name as its own."""
    if not names:
        return frozenset()
    page = fp.table.rows(version.doc_id)
    inside = {page.start + i for i in version.segments}
    spans = sorted(
        (int(fp.table.start[r]), int(fp.table.end[r]))
        for r in range(page.start, page.stop)
        if r in inside
    )
    kept, at = [], 0
    for a, b in spans:
        kept.append(doc.text[at:a])
        at = max(at, b)
    kept.append(doc.text[at:])
    lines = "\n".join(kept).splitlines()
    plain = "".join(
        re.sub(r"[^a-z0-9]", "", line.lower())
        for line in lines
        if not any(attribution_matches(line)) and not _source_matches(line)
    )
    return frozenset(n for n in names if n in plain)


def _page_readings(doc: Document, fp: Fingerprints) -> frozenset[str]:
    """Every paragraph of `doc`'s page as it reads (`_reading`)."""
    page = fp.table.rows(doc.id)
    return frozenset(_reading(_text(r, doc, fp)) for r in range(page.start, page.stop))


def _reading(text: str) -> str:
    """A paragraph as a reader reads it: its words in order, spacing aside."""
    return " ".join(text.split())


_HEAD_BLOCKS = 3
# "PARIS, Oct 8 (Reuters) -": the day the wire filed the story, in the city's time.
_DATELINE_DAY = re.compile(
    rf"\b(?P<month>[A-Z][a-z]{{2,8}})\.? (?P<day>\d{{1,2}}) \((?:{'|'.join(_AGENCIES.values())})\)"
)


def _self_contradicted(when: tuple[float, float], doc: Document, around: str) -> bool:
    """A page dated before the day its own wire dateline names, or away from the day in its
    own URL, shows a wrong date (a template's, a feed's, an update's): trusting it would
    make a late copy the first publisher. Such a date is no evidence."""
    own = url_day(doc.url)
    if own is not None and contradicted(when, own):
        return True
    try:
        year = dt.datetime.fromtimestamp(when[0], dt.timezone.utc).year
    except (OverflowError, OSError, ValueError):  # a date past year 9999 in its zone
        return False
    for m in _DATELINE_DAY.finditer(around[:_DATELINE_REACH]):
        filed = month_day(m.group("month"), m.group("day"), year)
        if filed is not None and contradicted(when, filed, before_only=True):
            return True
    return False


_DATELINE_REACH = 2000  # characters: a dateline opens the article


def _text(row: int, doc: Document, fp: Fingerprints) -> str:
    return doc.text[int(fp.table.start[row]) : int(fp.table.end[row])]


def _edges(version: Version, doc: Document, fp: Fingerprints) -> list[str]:
    """Text next to a version that can still be its own: credit and source lines.

    A dateline sits in the first paragraph and a sign-off ("(Reporting by
    ...)", "Source: ...") is a short paragraph of its own right after the
    text, often outside the matched segments. So: the rest of the version's
    blocks, and a short block directly before or after it; never a long one,
    which on an aggregator page is the next article.
    """
    page = fp.table.rows(version.doc_id)
    block_of = fp.table.block
    first, last = page.start + version.segments[0], page.start + version.segments[-1]
    blocks = {int(block_of[page.start + i]) for i in version.segments}
    # A version that starts near the top of its page owns the page's head, where
    # the dateline is even when that first paragraph was rewritten past matching.
    if min(blocks) <= _HEAD_BLOCKS:
        blocks |= set(range(min(blocks)))
    found = []
    for row, step in ((first, -1), (last, 1)):
        r = row + step
        while page.start <= r < page.stop:
            block, text = int(block_of[r]), _text(r, doc, fp)
            near = block in blocks or (
                abs(block - int(block_of[r - step])) <= 1
                and len(text.split()) <= SHORT_PARAGRAPH_WORDS
            )
            if not near:
                break
            blocks.add(block)
            found.append(text)
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


def _passages(fp: Fingerprints, pages: Iterable[str]) -> dict[int, int]:
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


def _broken_junctions(c: _Features, f: _Features, o: _Features) -> int:
    """Junctions of the candidate's own (two passages it has in a row that the origin does
    not: a paragraph it moved, or the two sides of one it cut) whose passages the child holds
    both, but not in a row in that order.

    The order of paragraphs is a reading like a word: a copy that moved or cut a
    paragraph passes the new junction on to its own copies, so a child that
    kept the origin's order was not taken from it. The child's own cuts and
    moves say nothing against its parent (every copy makes some): only the
    candidate's novelties count, as with figures (`_figure_terms`).
    """
    return sum(
        a in c.passages and b in c.passages and (a, b) not in c.junctions
        for a, b in f.junctions - o.junctions
    )


def _credit(text: str) -> str | None:
    """The agency of the first wire credit in `text`.

    Every WIRE_CREDIT form names an agency or says "Reporting by", so only the
    lines around those words are searched (with the lines before and after, for
    a credit broken over a line end): the pattern itself may start anywhere.
    """
    words = (m.start() for m in _CREDIT_WORDS.finditer(text))
    for start, end in _lines_around(text, words, neighbours=1):
        for m in WIRE_CREDIT.finditer(text, start, end):
            for name, value in m.groupdict().items():
                if value:
                    return _GROUP_AGENCY[name]
    return None


def _lines_around(
    text: str, positions: Iterable[int], neighbours: int = 0
) -> Iterator[tuple[int, int]]:
    """(start, end) of the lines of `text` holding `positions`, each widened by `neighbours`
    lines on either side, merged where they overlap, in text order."""
    start = end = -1
    for at in sorted(positions):
        first = text.rfind("\n", 0, at) + 1
        last = text.find("\n", at)
        last = len(text) if last < 0 else last
        for _ in range(neighbours):
            first = text.rfind("\n", 0, first - 1) + 1 if first > 0 else 0
            after = text.find("\n", last + 1) if last < len(text) else -1
            last = len(text) if after < 0 else after
        if first <= end:
            end = max(end, last)
            continue
        if end >= 0:
            yield start, end
        start, end = first, last
    if end >= 0:
        yield start, end


# Words every ATTRIBUTION match contains; checked first because the regex is slow on long text.
_ATTRIBUTION_CUES = (
    "source",
    "via",
    "originally",
    "credit",
    "first appeared",
    "first published",
    "according to",
    "as per",
    "citing",
    "cited by",
    "reported",
    "full story",
    "whole story",
    "original story",
    "full article",
    "whole article",
    "original article",
    "rest of the",
    "selon",
    "après",
    "laut",
    "según",
)


def credit_matches(text: str) -> Iterator[re.Match[str]]:
    """WIRE_CREDIT's matches in `text`. Most texts hold no credit word, which a search for
    the words (literals the regex engine skips ahead to) tells far faster than the pattern."""
    return WIRE_CREDIT.finditer(text) if _CREDIT_WORDS.search(text) else iter(())


def attribution_matches(text: str) -> Iterator[re.Match[str]]:
    """ATTRIBUTION's matches in `text`. Most texts hold none of its cue words, which plain
    substring searches tell far faster than the pattern, which may start at any word."""
    low = text.lower()
    return ATTRIBUTION.finditer(text) if any(c in low for c in _ATTRIBUTION_CUES) else iter(())


def _lines_with(text: str, cues: tuple[str, ...]) -> Iterator[tuple[int, int]]:
    """(start, end) of each line of `text` holding one of the lower-case `cues`.

    No ATTRIBUTION match spans a line and each contains a cue, so scanning
    these lines finds exactly the matches of a scan of the whole text, at a
    fraction of the cost: that regex can start at any character.
    """
    low = text.lower()
    if len(low) != len(text):  # a few characters lower-case to two: go line by line
        start = 0
        for line in text.split("\n"):
            if any(c in line.lower() for c in cues):
                yield start, start + len(line)
            start += len(line) + 1
        return
    found = []
    for cue in cues:
        at = low.find(cue)
        while at >= 0:  # one position a line is enough
            found.append(at)
            end = low.find("\n", at)
            at = low.find(cue, end) if end >= 0 else -1
    yield from _lines_around(text, found)


def _source_matches(text: str) -> list[tuple[str, str]]:
    """(ATTRIBUTION group, what it names) for every match in `text`, read once for both
    `_attributions` and `_pointers`."""
    return [
        (key, value)
        for start, end in _lines_with(text, _ATTRIBUTION_CUES)
        for m in ATTRIBUTION.finditer(text, start, end)
        for key, value in m.groupdict().items()
        if value
    ]


def _attributions(
    text: str,
    doc: Document,
    own_credit: str | None,
    matches: list[tuple[str, str]] | None = None,
) -> tuple[str, ...]:
    """Outlets or URLs named as the source of `text` (lower-cased), plus a foreign canonical
    URL; `matches`: `_source_matches(text)` where the caller has them."""
    # (what is named, whether it is only mentioned: "according to X", "X reported")
    named = [
        (value, key == "outlet")
        for key, value in (_source_matches(text) if matches is None else matches)
    ]
    at = text.find(" reported")
    while at >= 0:
        if m := _REPORTER.search(text, max(0, at - 60), at):
            named.append((m.group("reporter"), True))
        at = text.find(" reported", at + 1)
    found = []
    for value, mention in ((v.strip().rstrip("."), mention) for v, mention in named):
        if mention and own_credit and own_credit.lower() in value.lower():
            continue  # "Reuters reported" inside a Reuters story is not a source
        found.append(value.lower())
    if doc.canonical_url and doc.url and _host(doc.canonical_url) != _host(doc.url):
        found.append(doc.canonical_url.lower())
    return tuple(sorted(set(found)))


def _pointers(text: str, matches: list[tuple[str, str]] | None = None) -> frozenset[str]:
    """What a "read the full story at X" line names: the page a copy links to for the rest,
    its source; not a claim that X first published the story (an excerpt of a copy points
    to the copy). `matches`: `_source_matches(text)` where the caller has them."""
    return frozenset(
        value.strip().rstrip(".").lower()
        for key, value in (_source_matches(text) if matches is None else matches)
        if key == "full"
    )


@lru_cache(maxsize=4096)
def _site_hints(doc: Document) -> frozenset[str]:
    """Names a page goes by: its site, hosts of its URLs, domains its own chrome mentions."""
    hints = {h for h in (doc.site, _host(doc.url), _own_canonical(doc)) if h}
    for start, end in _lines_with(doc.text, _SELF_MENTION_CUES):
        line = doc.text[start:end]
        if _SELF_MENTION.search(line) and not any(attribution_matches(line)):
            hints.update(d.lower() for d in _DOMAIN.findall(line))
            hints.update(_copyright_holders(line))
    return frozenset(_core_name(h) for h in hints if _core_name(h))


def _copyright_holders(line: str) -> Iterator[str]:
    """The site a copyright line names ("© 2005 Market Pulse 24. All rights reserved."), with
    and without a leading "The": the page's publisher, as its masthead is. Never a wire
    agency: a copy carries the agency's copyright for the text it took ("© Reuters")."""
    for m in _COPYRIGHT.finditer(line):
        name = m.group("name").strip()
        if _AGENCY_NAME.search(name):
            continue
        yield name
        if name.lower().startswith("the "):
            yield name[4:]


_COPYRIGHT = re.compile(
    r"(?i:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?,?\s+)?"
    r"(?P<name>[A-Z][\w&'’-]*(?: [A-Z0-9][\w&'’-]*){0,5})"
)


def _own_canonical(doc: Document) -> str | None:
    """The canonical link's host where it is the page's own: a copy's canonical link points to
    the page it took the text from (an attribution, `_attributions`), not to where it is."""
    host = _host(doc.canonical_url)
    if host is None:
        return None
    if doc.url:
        return host if host == _host(doc.url) else None
    return host if doc.site is None or _core_name(doc.site) == _core_name(host) else None


_AGENCY_NAME = re.compile(rf"\b(?:{'|'.join(_AGENCIES.values())})\b", re.IGNORECASE)


def _names_a_source(attribution: str) -> bool:
    """A URL, a domain or a wire agency: "according to company estimates" names no source."""
    return bool(_DOMAIN.search(attribution) or _AGENCY_NAME.search(attribution))


def _host(url: str | None) -> str | None:
    """The host of a URL or bare domain, lower-cased; None for what is not one. Text from
    pages ("Source: [2]. China", "http://[x", a port past 65535) is no host, never an error."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:  # an unbalanced or invalid IPv6 bracket, a bad port
        return None
    return host.lower() if host else None


@lru_cache(maxsize=8192)
def _core_name(name: str) -> str:
    """The name a site goes by: 'https://www.cryptopolitan.com/x' and 'Cryptopolitan.com' both
    become 'cryptopolitan', 'news.bbc.co.uk' becomes 'bbc' (the registered domain, by the
    Public Suffix List that tldextract ships; a host under no known suffix keeps its first
    label)."""
    host = _host(name) if ("/" in name or "." in name) else name
    host = (host or name).lower()
    found = _SUFFIXES(host)
    label = found.domain if found.suffix and found.domain else host.removeprefix("www.")
    return re.sub(r"[^a-z0-9]", "", label.split(".")[0])


# The suffix list tldextract ships: never fetched (no network at run time).
_SUFFIXES = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def _attribution_links(
    versions: tuple[Version, ...], feats: dict[Version, _Features]
) -> dict[Version, tuple[Version, str]]:
    """child -> (named parent, the attribution text), where an attribution resolves to a version."""
    links: dict[Version, tuple[Version, str]] = {}
    for child in versions:
        # A page named (a URL, a site) says more than an agency named: "Source: URL" is the
        # page copied, "originally published by dpa" where the text first ran.
        for pages_only in (True, False):
            for named in sorted(feats[child].attributions, key=_specificity):
                key = _core_name(named)
                targets = [
                    v
                    for v in versions
                    if v.doc_id != child.doc_id
                    and (
                        key in feats[v].hints
                        or (not pages_only and (feats[v].credit or "").lower() == key)
                    )
                ]
                if targets and child not in links:
                    best = min(targets, key=lambda v: _source_rank(v, key, named, feats))
                    links[child] = (best, named)
    return links


def _text_overrules(child: Version, named: Version, feats: dict[Version, _Features]) -> bool:
    """Whether the child's text shows it was taken from another page than the one its
    attribution names: it reads word for word as a page dated before it, and not as the
    named page. A republisher credits where a story first ran ("originally published by
    dpa") even when it took the text from a copy that reworded it; the wording it carries
    says which page it copied, the credit line then names the origin only."""
    c = feats[child]
    if c.readings <= feats[named].page_readings:
        return False
    return any(
        v is not named
        and v.doc_id != child.doc_id
        and c.readings <= f.page_readings
        and _after(c, f)
        for v, f in feats.items()
    )


def _specificity(named: str) -> int:
    """How closely an attribution names a page, most closely first: a URL with a path, a
    domain, a name."""
    return 0 if "/" in named else 1 if _DOMAIN.search(named) else 2


def _attribution_weight(
    child: Version,
    p: Version,
    links: dict[Version, tuple[Version, str]],
    feats: dict[Version, _Features],
) -> float:
    """The parent evidence of `child` naming its source, for candidate `p`.

    A page named (its site, host or URL) is the page the copy was taken from:
    `PARENT_WEIGHTS["attribution"]`. An agency named ("originally published by
    AFP", "Reuters reported") resolves to the version carrying its credit, but
    says where the text was first published rather than which page was copied: a
    copy of a copy keeps its parent's line. It weighs `_AGENCY_NAMED`, less than
    one reading the child shares with another page (`variants`). A page that names
    the same site as its source too may be where the copy found the line: it weighs
    as the page named, and the text decides between them.
    """
    named = links.get(child)
    if named is None:
        return 0.0
    key = _core_name(named[1])
    # A line naming the copy's own site as the source was not written by that site about
    # another: the copy carries it from the page it was taken from, one naming the same.
    own = key in feats[child].hints
    if named[0] is not p or own:
        if (own or key in feats[named[0]].hints) and key in map(_core_name, feats[p].attributions):
            return PARENT_WEIGHTS["attribution"]
        return 0.0
    if key in feats[p].hints:
        return PARENT_WEIGHTS["attribution"]
    return _AGENCY_NAMED


_AGENCY_NAMED = 1.5


def _source_rank(
    v: Version, key: str, named: str, feats: dict[Version, _Features]
) -> tuple[bool, bool, bool, float, str, tuple[int, ...]]:
    """Which of the versions an attribution could name is the one named, lowest first: the
    version on the named site itself, then the one published on the day the named URL's path
    gives (a site publishes a story once a day), then one that names no source of its own,
    then the earliest dated (a copy that kept the agency's dateline is not the agency's
    story); the document id only when nothing else tells them apart."""
    f = feats[v]
    day = url_day(named)
    return (
        key not in f.hints,
        day is not None and (f.when is None or contradicted(f.when, day)),
        bool(f.attributions),
        f.when[0] if f.when else math.inf,
        v.doc_id,
        v.segments,
    )


def _origin_scores(
    versions: tuple[Version, ...],
    feats: dict[Version, _Features],
    links: dict[Version, tuple[Version, str]],
    overlap: _Overlap,
) -> dict[Version, dict[str, float]]:
    """Each version's origin score; what the versions have in common is counted once."""
    pages = {d: n for n, d in enumerate(dict.fromkeys(v.doc_id for v in versions))}
    page = np.array([pages[v.doc_id] for v in versions])
    latest = np.array([when[1] for when in (feats[v].when for v in versions) if when])
    most_quoted = max(feats[o].quoted_words for o in versions)
    credited_elsewhere = any(feats[o].credit and not feats[o].aggregator for o in versions)
    attributed = {p for c, (p, named) in links.items() if named not in feats[c].pointers}
    scores = {}
    for k, v in enumerate(versions):
        f = feats[v]
        # the others on other pages (all the others if none is): how much of them it holds,
        # less how much of it they hold
        others = page != page[k]
        if not others.any():
            others = np.arange(len(versions)) != k
        held = overlap.shared[others, k]
        explains = (
            float(np.mean(held / overlap.sizes[others] - held / overlap.sizes[k]))
            if others.any()
            else 0.0
        )
        earlier = int(np.count_nonzero(f.when[0] > latest)) if f.when else 0
        scores[v] = {
            "credit": ORIGIN_WEIGHTS["credit"] * (f.credit is not None),
            "agency_site": ORIGIN_WEIGHTS["agency_site"]
            * bool(f.credit and f.hints & _AGENCY_SITES[f.credit]),
            "attributed_to": ORIGIN_WEIGHTS["attributed_to"] * (v in attributed),
            "attributes": ORIGIN_WEIGHTS["attributes"]
            * (v in links or any(_names_a_source(a) for a in f.attributions)),
            "earliest": ORIGIN_WEIGHTS["earliest"]
            * (len(latest) >= 2 and f.when is not None and not earlier),
            "later": ORIGIN_WEIGHTS["later"]
            * (earlier / (len(latest) - 1) if len(latest) >= 2 else 0.0),
            "explains": ORIGIN_WEIGHTS["explains"] * explains,
            "paraphrase": ORIGIN_WEIGHTS["paraphrase"] * (v.link == "paraphrase"),
            "quotes": ORIGIN_WEIGHTS["quotes"]
            * (f.quoted_words > 0 and f.quoted_words == most_quoted),
            "aggregator": ORIGIN_WEIGHTS["aggregator"] * (f.aggregator and credited_elsewhere),
        }
    return scores


_VARIANT_FLOOR = 0.3


_FIGURE_CAP = 2


def _figure_terms(c: _Features, f: _Features, o: _Features) -> dict[str, float]:
    """Stemmatic evidence on figures, the readings that survive any rewording.

    At the figures where candidate and origin differ, a descendant follows the
    candidate: it cannot hold a figure of the origin the candidate changed or
    dropped, and it keeps the candidate's own figures unless it cut them. An
    independent copy of the origin does the opposite. One or two figures are
    enough to tell (`_FIGURE_CAP`), so a lone coincidence costs half.
    """
    taken = (c.figures & o.page_figures) - f.page_figures
    own = f.figures - o.page_figures
    return {
        "lacks_figures": PARENT_WEIGHTS["lacks_figures"]
        * min(len(taken), _FIGURE_CAP)
        / _FIGURE_CAP,
        "figure_variants": PARENT_WEIGHTS["figure_variants"]
        * min(len(own & c.figures), _FIGURE_CAP)
        / _FIGURE_CAP,
        "figures_missing": PARENT_WEIGHTS["figures_missing"]
        * len(own - c.figures)
        / max(len(own), 1),
    }


_DAY = 86400.0


def _instants(date: str | None) -> tuple[float, float] | None:
    """The span a date string covers, in POSIX seconds: a day for "2026-01-10", an instant
    for a time (UTC when it names no offset). Strings compare wrongly across offsets."""
    if not date:
        return None
    try:
        when = dt.datetime.fromisoformat(date)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    start = when.timestamp()
    return (start, start + _DAY) if len(date) <= 10 else (start, start)


def _after(a: _Features, b: _Features) -> bool:
    """`a` was certainly published after `b` (both dated)."""
    return bool(a.when and b.when and a.when[0] > b.when[1])


def _predates(c: _Features, origin: _Features) -> bool:
    """A child dated before the story's origin shows a wrong date: no evidence against a parent."""
    return _after(origin, c)


def _confidence(margin: float) -> float:
    return round(1.0 / (1.0 + math.exp(-2.0 * margin)), 4)


def _origin_report(
    origin: Version, scores: dict[Version, dict[str, float]], order: list[Version]
) -> VersionReport:
    total = {v: sum(s.values()) for v, s in scores.items()}
    runner_up = total[order[1]] if len(order) > 1 else total[origin] - 4.0
    evidence = tuple(
        Evidence(kind, f"{value:+.2f}") for kind, value in sorted(scores[origin].items()) if value
    )
    close = tuple(
        itertools.islice(
            (
                (v, round(total[v], 4))
                for v in order[1:]
                if total[origin] - total[v] < _AMBIGUOUS_MARGIN
            ),
            _MAX_CANDIDATES,
        )
    )
    return VersionReport(
        version=origin,
        parent=None,
        relation="origin",
        similarity=1.0,
        containment=1.0,
        confidence=_confidence(total[origin] - runner_up),
        evidence=evidence,
        candidates=close,
    )


def _parent_report(
    child: Version,
    i: int,
    order: list[Version],
    parent_of: dict[int, int],
    others: list[tuple[int, float]],
    terms: dict[tuple[int, int], dict[str, float]],
    feats: dict[Version, _Features],
    links: dict[Version, tuple[Version, str]],
    overlap: _Overlap,
    columns: _Columns,
) -> VersionReport:
    """The report of `order[i]`, whose parent is `order[parent_of[i]]`; `others` are the
    next best parents with how far behind the best tree with each of them falls."""
    c = feats[child]
    parent, parts = order[parent_of[i]], terms[i, parent_of[i]]
    margin = others[0][1] if others else 2.0
    similarity = overlap.jaccard(child, parent)
    containment = overlap.count(child, parent) / max(overlap.size(child), 1)
    evidence = [Evidence(kind, f"{value:+.2f}") for kind, value in sorted(parts.items()) if value]
    if child in links:
        evidence.append(Evidence("attribution", f"names '{links[child][1]}' as its source"))
    if c.credit:
        evidence.append(Evidence("credit", f"{c.credit} credit or dateline"))
    elif feats[parent].credit:
        evidence.append(Evidence("credit", f"{feats[parent].credit} credit of the parent dropped"))
    if c.date:
        evidence.append(Evidence("date", f"{c.date} ({c.date_source})"))
    close = tuple(
        (order[j], round(sum(terms[i, j].values()), 4))
        for j, behind in others
        if behind < _AMBIGUOUS_MARGIN
    )
    runner_up = [order[others[0][0]]] if others else []
    return VersionReport(
        version=child,
        parent=parent,
        relation="duplicate"
        if _same_page_duplicate(child, c, parent, feats[parent], similarity)
        else _relation(child, [parent, *runner_up], similarity, containment, overlap, columns),
        similarity=similarity,
        containment=containment,
        confidence=_confidence(margin),
        evidence=tuple(evidence),
        candidates=close,
    )


def _parent_terms(
    child: Version,
    p: Version,
    origin: Version,
    held: _PageHeld,
    feats: dict[Version, _Features],
    links: dict[Version, tuple[Version, str]],
    similarity: float,
) -> dict[str, float]:
    """The terms of candidate `p`'s parent score for `child` (`similarity`: the Jaccard
    similarity of the two versions)."""
    c, f = feats[child], feats[p]
    explains = held.explains(child, p)
    # An excerpt is taken from the full text as often as from another excerpt: a page
    # holding all of it could be its source however much more that version holds.
    whole = explains >= _HOLDS_WHOLE and held.size(child) <= _EXCERPT_SHARE * held.size(p)
    return {
        "explains": PARENT_WEIGHTS["explains"] * explains,
        "resembles": PARENT_WEIGHTS["resembles"] * (1.0 if whole else similarity),
        "variants": PARENT_WEIGHTS["variants"] * held.variants(child, p),
        "attribution": _attribution_weight(child, p, links, feats),
        "credit_kept": PARENT_WEIGHTS["credit_kept"]
        * (c.credit is not None and c.credit == f.credit),
        "date_after": PARENT_WEIGHTS["date_after"]
        * (_after(f, c) and not _predates(c, feats[origin])),
        "same_page": PARENT_WEIGHTS["same_page"] * _same_page_duplicate(child, c, p, f, similarity),
        "aggregator": PARENT_WEIGHTS["aggregator"] * (f.aggregator and p.doc_id != child.doc_id),
        "paraphrase": PARENT_WEIGHTS["paraphrase"] * (p.link == "paraphrase"),
        "reads_as": PARENT_WEIGHTS["reads_as"] * (c.readings <= f.page_readings),
        # the site named, or a page naming it too: the copy may carry the line from there
        "names_site": PARENT_WEIGHTS["names_site"] * bool(c.mentions & (f.hints | f.mentions)),
        **_figure_terms(c, f, feats[origin]),
        # a rewrite reorders as it rewords: its paragraph order tells nothing of its source
        "lacks_junctions": PARENT_WEIGHTS["lacks_junctions"]
        * min(_broken_junctions(c, f, feats[origin]), _JUNCTION_CAP)
        / _JUNCTION_CAP
        * (explains >= _ORDER_KEPT),
    }


_JUNCTION_CAP = 2
_HOLDS_WHOLE = 0.98
_ORDER_KEPT = 0.5  # share of the child on the candidate's page past which order is evidence
_EXCERPT_SHARE = 0.7  # an excerpt keeps at most this share of its source (as in `_relation`)


def _same_page_duplicate(
    child: Version, c: _Features, parent: Version, p: _Features, similarity: float
) -> bool:
    return (
        child.doc_id == parent.doc_id and c.credit == p.credit and similarity >= _DUPLICATE_JACCARD
    )


_DUPLICATE_JACCARD = 0.8


def _relation(
    child: Version,
    parents: list[Version],
    similarity: float,
    containment: float,
    overlap: _Overlap,
    columns: _Columns,
) -> str:
    """The first relation whose rule holds, in the order of the table in docs/provenance.md;
    `parents`: the parent, then the runner-up if any."""
    if child.link == "paraphrase":
        return "paraphrase"
    if similarity >= 0.9:
        return "verbatim"
    if similarity >= 0.6:
        return "light-edit"
    if containment >= 0.8 and overlap.size(child) <= _EXCERPT_SHARE * overlap.size(parents[0]):
        return "excerpt"
    if (
        containment < 0.6
        and len(parents) > 1
        and columns.share_in_either(child, parents[0], parents[1]) >= 0.8
    ):
        return "aggregate"
    return "rewrite"
