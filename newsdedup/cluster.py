"""Group verified segment matches into stories; boilerplate and aggregators never bridge them.

Links are made between passages, never between whole documents:

1. verified segment pairs are joined into *passage groups* (near-duplicate
   classes of one passage across the corpus); chrome segments join none;
2. a group is *boilerplate* when its text reads like site chrome (cue
   phrases), when only pages of one site carry it (a site's template), or
   when it recurs in `boilerplate_min_docs` pages that typically share no
   other passage (a footer near-duplicated across sites);
3. two passage groups belong to one story when at least two documents carry
   them close together (at most two paragraphs apart). A page that embeds
   two stories one after the other joins neither to the other, yet appears
   in both. Short passages (headlines, "Related:" links) never make a story;
4. copy stories and unexplained segments are then joined by a second,
   stricter channel of rare shared 5-word fragments (paraphrases), through
   the segments that carry the fragments, never through a whole page;
5. a story whose pages all belong to exactly one larger story folds into it; failing
   that, into the one story with all its pages beside whose text it lies on each."""

from __future__ import annotations

import hashlib
import itertools
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix, csc_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components

from .fingerprint import Fingerprints
from .index import Matches, distinct, firsts, fragment_links, runs


@dataclass(frozen=True, slots=True)
class ClusterOptions:
    """Boilerplate, passage and paraphrase rules; defaults measured on the samples and the
    generated corpus (docs/accuracy.md)."""

    boilerplate_min_docs: int = 4
    min_passage_shingles: int = 15
    paraphrase_min_shared: int = 15
    paraphrase_min_segments: int = 3
    paraphrase_min_fraction: float = 0.25
    paraphrase_min_run: int = 7
    fragment_max_rows: int = 40
    fragment_max_owners: int = 3


@dataclass(frozen=True, slots=True)
class Version:
    """One occurrence of a story in a document: the document's segments that carry it."""

    doc_id: str
    segments: tuple[int, ...]
    link: str  # "copy" (verified passages) or "paraphrase" (shared fragments only)

    @property
    def key(self) -> str:
        """Stable reference `DOC#SEGMENT`, the first segment of the version."""
        return f"{self.doc_id}#{self.segments[0]}"


@dataclass(frozen=True, slots=True)
class Story:
    id: str
    versions: tuple[Version, ...]


@dataclass(frozen=True, eq=False)
class Clustering:
    stories: tuple[Story, ...]
    boilerplate: np.ndarray  # bool per row: site chrome or a template passage


def _components(n: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Label of each of `n` nodes joined by edges (left[i], right[i]): the smallest node of
    its connected component, so labels do not depend on the order edges arrive in."""
    graph = coo_matrix(
        (np.ones(len(left), dtype=np.int8), (np.asarray(left), np.asarray(right))), shape=(n, n)
    )
    _, component = connected_components(graph, directed=False)
    labels, first = np.unique(component, return_index=True)
    smallest = np.empty(len(labels), dtype=np.int64)
    smallest[labels] = first
    found: np.ndarray = smallest[component]
    return found


def cluster(
    fp: Fingerprints,
    matches: Matches,
    sites: dict[str, str | None],
    opts: ClusterOptions,
    jobs: int = 1,
    languages: dict[str, str | None] | None = None,
) -> Clustering:
    """Stories from verified matches; `sites` maps document id to its site where known;
    `jobs` threads share the paraphrase channel's numpy work. `languages` maps document id
    to its language where known: no match or fragment between two known languages links
    anything, since what two texts in two languages share is names and numbers, never
    their sentences (a translation is another story)."""
    doc_ids = list(fp.table.doc_ids)
    doc_of_row = fp.table.doc_numbers()
    chrome = fp.chrome
    tongue = _row_languages(doc_ids, doc_of_row, languages or {})
    matches = _within_languages(matches, tongue)
    groups = _passage_groups(len(fp), matches, chrome, fp.offsets[1:] - fp.offsets[:-1])
    carried = _Carriers.of(groups, doc_of_row)
    text = (fp.offsets[1:] - fp.offsets[:-1]) * (fp.indexed & ~chrome)  # shingles of page text
    boiler = _boilerplate_groups(
        groups, chrome, carried, doc_ids, sites, opts.boilerplate_min_docs, (doc_of_row, text)
    )
    passage_size = _passage_sizes(fp, groups)
    content = carried.group[
        ~np.isin(carried.group, list(boiler))
        & (passage_size[carried.group] >= opts.min_passage_shingles)
    ]
    story_of_group = _join_groups(fp, groups, content, doc_of_row)

    rows_of_story: dict[int, list[int]] = defaultdict(list)
    in_story = np.flatnonzero(np.isin(groups, list(story_of_group)))
    for row, g in zip(in_story.tolist(), groups[in_story].tolist(), strict=True):
        rows_of_story[story_of_group[g]].append(row)
    boiler_rows = np.isin(groups, list(boiler)) if boiler else np.zeros(len(groups), dtype=bool)
    boiler_rows |= chrome
    merged = _nested_into_container(
        _paraphrase_union(fp, doc_of_row, rows_of_story, boiler_rows, opts, jobs, tongue),
        rows_of_story,
        doc_of_row,
        fp.table.block,
    )

    stories = []
    for copy_stories, loose_rows in merged:
        copy_rows = [r for story in copy_stories for r in rows_of_story[story]]
        versions = _versions(fp, copy_rows, groups, doc_of_row, "copy")
        stories.append(
            tuple(
                sorted(
                    _with_loose_rows(fp, versions, loose_rows), key=lambda v: (v.doc_id, v.segments)
                )
            )
        )
    fill = _block_filler(fp, boiler_rows, _shared_blocks(fp, stories))
    # Filled out to whole blocks, two versions of one page can come to share segments (a
    # page repeating the story on one long line): they are one version, so that no version
    # of a story is another's double, and none can be its own parent.
    disjoint: list[tuple[Version, ...]] = []
    for found in stories:
        kept: dict[str, list[Version]] = {}  # per page: its versions, disjoint
        for v in (fill(v) for v in found):
            on_page = kept.setdefault(v.doc_id, [])
            held = set(v.segments)
            same = [k for k in on_page if not held.isdisjoint(k.segments)]
            if same:
                held |= {i for k in same for i in k.segments}
                link = "copy" if any(k.link == "copy" for k in [v, *same]) else v.link
                on_page[:] = [k for k in on_page if k not in same]
                v = Version(v.doc_id, tuple(sorted(held)), link)
            on_page.append(v)
        every = (v for on_page in kept.values() for v in on_page)
        disjoint.append(tuple(sorted(every, key=lambda v: (v.doc_id, v.segments))))
    stories = disjoint
    return Clustering(
        stories=tuple(sorted((Story(_story_id(v), v) for v in stories), key=lambda s: s.id)),
        boilerplate=boiler_rows,
    )


def _row_languages(
    doc_ids: list[str], doc_of_row: np.ndarray, languages: dict[str, str | None]
) -> np.ndarray:
    """Each row's document's language as a number, -1 where it is not known."""
    numbers: dict[str, int] = {}
    per_doc = np.array(
        [
            numbers.setdefault(lang, len(numbers)) if (lang := languages.get(d)) else -1
            for d in doc_ids
        ]
        or [-1],
        dtype=np.int64,
    )
    found: np.ndarray = per_doc[doc_of_row] if len(doc_of_row) else np.empty(0, dtype=np.int64)
    return found


def _one_language(tongue: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Whether each pair of rows may link: same language, or either one unknown."""
    a, b = tongue[left], tongue[right]
    same: np.ndarray = (a == b) | (a < 0) | (b < 0)
    return same


def _within_languages(matches: Matches, tongue: np.ndarray) -> Matches:
    """`matches` without the pairs whose documents are in two different known languages."""
    keep = _one_language(tongue, matches.left, matches.right)
    if keep.all():
        return matches
    return Matches(
        left=matches.left[keep],
        right=matches.right[keep],
        shared=matches.shared[keep],
        jaccard=matches.jaccard[keep],
        containment=matches.containment[keep],
    )


def _with_loose_rows(fp: Fingerprints, versions: list[Version], rows: list[int]) -> list[Version]:
    """Place rows linked by fragments only: into a document's copy version when it has exactly
    one, else as the document's own paraphrase version.

    On a page holding several versions (an aggregator), a rewritten line can
    not be placed in one of them with any confidence, so it is left out.
    """
    loose: dict[str, set[int]] = defaultdict(set)
    for doc_id, index in fp.table.located(rows):
        loose[doc_id].add(index)
    per_doc = Counter(v.doc_id for v in versions)
    placed = [
        Version(v.doc_id, tuple(sorted(set(v.segments) | loose[v.doc_id])), v.link)
        if per_doc[v.doc_id] == 1 and loose[v.doc_id]
        else v
        for v in versions
    ]
    placed.extend(
        Version(doc, tuple(sorted(indexes)), "paraphrase")
        for doc, indexes in sorted(loose.items())
        if doc not in per_doc
    )
    return placed


def _shared_blocks(fp: Fingerprints, stories: list[tuple[Version, ...]]) -> set[tuple[str, int]]:
    """(page, block) of the blocks that windows of more than one story lie in: a digest page
    that strings several articles along one line."""
    first_rows: list[int] = []  # per version: its page's first row, its story, its size
    owners: list[int] = []
    sizes: list[int] = []
    segments: list[int] = []
    page_of: dict[int, str] = {}  # a page's first row -> its id
    for k, versions in enumerate(stories):
        for v in versions:
            first = fp.table.rows(v.doc_id).start
            page_of[first] = v.doc_id
            first_rows.append(first)
            owners.append(k)
            sizes.append(len(v.segments))
            segments.extend(v.segments)
    count = np.asarray(sizes, dtype=np.int64)
    page = np.repeat(np.asarray(first_rows, dtype=np.int64), count)
    story = np.repeat(np.asarray(owners, dtype=np.int64), count)
    block = fp.table.block[page + np.asarray(segments, dtype=np.int64)].astype(np.int64)
    order = np.lexsort((story, block, page))
    page, block, story = page[order], block[order], story[order]
    # a (page, block) run in which the story changes is held by more than one
    again = (page[1:] == page[:-1]) & (block[1:] == block[:-1]) & (story[1:] != story[:-1])
    at = np.flatnonzero(again) + 1
    return {(page_of[p], b) for p, b in zip(page[at].tolist(), block[at].tolist(), strict=True)}


def _block_filler(
    fp: Fingerprints, boiler_rows: np.ndarray, shared: set[tuple[str, int]]
) -> Callable[[Version], Version]:
    """Extend a version to every segment of a block it already holds at least two windows of.

    An aggregator line is one block cut into windows; the matched windows are
    a sample of it, and the whole line is the version (for provenance and
    diffs). A single shared window is not enough to claim its neighbours. On a
    line that carries windows of several stories (a digest page written as one
    line), a version spans its own section only: the windows from its first
    held one to its last, never its neighbours' articles, whose credits and
    text are not its own.
    """
    table = fp.table
    eligible = fp.indexed & ~boiler_rows

    def fill(version: Version) -> Version:
        # a page's few dozen segments: Python lists beat numpy calls on such short arrays
        rows = table.rows(version.doc_id)
        blocks = table.block[rows.start : rows.stop].tolist()
        mine = [blocks[i] for i in version.segments]
        if len(set(mine)) == len(mine):  # no block held twice: nothing to fill (most)
            return version
        held = Counter(mine)
        full = {block for block, n in held.items() if n >= 2}
        ok = eligible[rows.start : rows.stop].tolist()
        span = {
            block: (
                min(i for i in version.segments if blocks[i] == block),
                max(i for i in version.segments if blocks[i] == block),
            )
            for block in full
            if (version.doc_id, block) in shared
        }
        extra = {
            i
            for i, block in enumerate(blocks)
            if ok[i]
            and block in full
            and (block not in span or span[block][0] <= i <= span[block][1])
        }
        return Version(version.doc_id, tuple(sorted(extra | set(version.segments))), version.link)

    return fill


def _passage_sizes(fp: Fingerprints, groups: np.ndarray) -> np.ndarray:
    """Median shingle count of each group's segments, at the group's label (a row number): a
    shared headline or "Related:" link is too short to make two pages one story on its own.
    An array, not a dict: there are about as many groups as segments."""
    medians = np.zeros(len(groups), dtype=np.float64)
    if len(groups) == 0:
        return medians
    sizes = fp.offsets[1:] - fp.offsets[:-1]
    order = np.lexsort((sizes, groups))
    sorted_groups, sorted_sizes = groups[order], sizes[order]
    lo, count = runs(sorted_groups)
    medians[sorted_groups[lo]] = (
        sorted_sizes[lo + (count - 1) // 2] + sorted_sizes[lo + count // 2]
    ) / 2
    return medians


def _passage_groups(
    n_rows: int, matches: Matches, chrome: np.ndarray, sizes: np.ndarray
) -> np.ndarray:
    """Group label per row: the smallest row number of its connected component.

    Segments that read as chrome (cue phrases) join no group: "The post
    <headline> appeared on <site>" matches the headline of another page.

    A segment never joins two groups that lie side by side inside it: a window
    of a digest line holding the end of one article and the start of the next
    matches a paragraph of each (by containment), and chaining through it
    would make two stories one passage. Where the parts a segment shares with
    two groups cannot overlap (together they are no larger than the segment,
    `sizes` in shingles), it keeps a containment match only with the group it
    shares the most with. An excerpt inside a paragraph overlaps the
    paragraph's copies, so it still joins them.
    """
    joins = ~(chrome[matches.left] | chrome[matches.right])
    left, right, shared = matches.left[joins], matches.right[joins], matches.shared[joins]
    similar = matches.jaccard[joins] >= SIMILAR_JACCARD
    component = _components(n_rows, left[similar], right[similar])
    allowed = _overlapping_partners(
        n_rows,
        np.concatenate([left, right]),
        component[np.concatenate([right, left])],
        np.concatenate([shared, shared]),
        sizes,
    )
    a, b = left[~similar], right[~similar]
    keep = np.isin(a * n_rows + component[b], allowed) & np.isin(b * n_rows + component[a], allowed)
    return _components(
        n_rows, np.concatenate([left[similar], a[keep]]), np.concatenate([right[similar], b[keep]])
    )


# Verified pairs at or above this Jaccard similarity are the same passage (IndexOptions'
# min_jaccard); below it a pair was verified by containment: one holds the other.
SIMILAR_JACCARD = 0.5


def _overlapping_partners(
    n_rows: int, node: np.ndarray, partner: np.ndarray, shared: np.ndarray, sizes: np.ndarray
) -> np.ndarray:
    """`node * n_rows + group` for the groups each row may join: the one it shares the most
    with (the smallest label on a tie), and any other whose shared part, added to the best
    one's, exceeds the row's size (so the two parts overlap inside it)."""
    if len(node) == 0:
        return np.empty(0, dtype=np.int64)
    key = node.astype(np.int64) * n_rows + partner
    order = np.lexsort((-shared, key))
    starts, _ = runs(key[order])
    key, most = key[order][starts], shared[order][starts].astype(np.int64)  # per (row, group)
    owner, group = key // n_rows, key % n_rows
    rank = np.lexsort((group, -most, owner))
    lead = np.ones(len(rank), dtype=bool)
    lead[1:] = owner[rank][1:] != owner[rank][:-1]
    best = np.zeros(n_rows, dtype=np.int64)
    best[owner[rank][lead]] = most[rank][lead]
    is_best = np.zeros(len(key), dtype=bool)
    is_best[rank[lead]] = True
    overlaps = most + best[owner] > sizes[owner]
    allowed: np.ndarray = key[is_best | overlaps]
    return allowed


@dataclass(frozen=True, eq=False)
class _Carriers:
    """The documents carrying each passage group that at least two carry, as arrays: a
    million groups at 100,000 articles, too many for a set each."""

    group: np.ndarray  # int64, ascending
    start: np.ndarray  # first entry of each group in `doc`
    count: np.ndarray  # its documents, at least 2
    doc: np.ndarray  # int64: the documents of each group in turn, ascending within it

    @classmethod
    def of(cls, groups: np.ndarray, doc_of_row: np.ndarray) -> _Carriers:
        n_docs = int(doc_of_row.max()) + 1 if len(doc_of_row) else 1
        pairs = distinct(groups * n_docs + doc_of_row)
        group, doc = pairs // n_docs, pairs % n_docs
        starts, counts = runs(group)
        shared = counts >= 2
        count = counts[shared]
        return cls(
            group[starts[shared]], np.cumsum(count) - count, count, doc[np.repeat(shared, counts)]
        )

    def entries(self, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(group, document) of every carrier of the groups where `keep` (a bool per group)."""
        count = self.count[keep]
        at = np.repeat(self.start[keep] - np.cumsum(count) + count, count) + np.arange(
            int(count.sum())
        )
        return np.repeat(self.group[keep], count), self.doc[at]

    def docs(self, k: int) -> list[int]:
        """The documents of the k-th group."""
        start = int(self.start[k])
        found: list[int] = self.doc[start : start + int(self.count[k])].tolist()
        return found

    def docs_of(self, ks: list[int]) -> list[list[int]]:
        """The documents of each of the `ks`-th groups: one conversion of the arrays to
        lists, then slices (thousands of groups: a numpy call each cost more)."""
        doc, start, count = self.doc.tolist(), self.start.tolist(), self.count.tolist()
        return [doc[start[k] : start[k] + count[k]] for k in ks]


def _boilerplate_groups(
    groups: np.ndarray,
    chrome: np.ndarray,
    carried: _Carriers,
    doc_ids: list[str],
    sites: dict[str, str | None],
    min_docs: int,
    page_text: tuple[np.ndarray, np.ndarray],
) -> set[int]:
    """Groups that must not link documents, by three rules.

    1. wording: most of its segments read like chrome (cue phrases);
    2. one site: every page that carries it is from one site, so it is that
       site's template (masthead, disclaimer), whatever story it wraps;
    3. frequency without company: it recurs in at least `min_docs` pages, and
       a typical pair of those pages shares no other passage. Reporting that
       travels takes its other paragraphs along; a footer, a newsletter plug
       or a disclaimer recurs next to unrelated text, near-duplicated across
       sites with only the site name changed. Checked from the most frequent
       group down and repeated until nothing changes, so boilerplate found
       is never counted as company; pages are sampled evenly across the group.
       Boilerplate recurs beside unrelated text: a passage that is more than half
       the text of the median page carrying it (a one-paragraph wire brief copied
       by several sites) is what those pages are copies of, never boilerplate by
       this rule. `page_text`: each row's document, and its shingles of page text
       (zero for chrome and for rows too short to fingerprint).
    """
    doc_of_row, text = page_text
    n_docs = len(doc_ids)
    pair, pair_of_row = np.unique(groups * n_docs + doc_of_row, return_inverse=True)
    held = np.bincount(pair_of_row, weights=text, minlength=len(pair))  # a group's on a page
    page = np.bincount(doc_of_row, weights=text, minlength=n_docs)
    carrier_group, carrier_doc = carried.entries(np.ones(len(carried.group), dtype=bool))
    at = np.searchsorted(pair, carrier_group * n_docs + carrier_doc)
    share = held[at] / np.maximum(page[carrier_doc], 1)  # per carrier, in `carried`'s order
    by_share = np.lexsort((share, np.repeat(np.arange(len(carried.group)), carried.count)))
    median = share[by_share][carried.start + carried.count // 2] if len(share) else share
    copied = median > 0.5
    rows_in = np.bincount(groups, minlength=len(groups))
    cues_in = np.bincount(groups, weights=chrome, minlength=len(groups))
    # each document's site as a number, -1 where unknown: a group is one site's when the
    # lowest and highest number among its pages are one known site
    known = sorted({site for site in sites.values() if site is not None})
    site_number: dict[str | None, int] = {None: -1, **{site: k for k, site in enumerate(known)}}
    site_of = np.array([site_number[sites.get(d)] for d in doc_ids], dtype=np.int64)
    carrier_sites = site_of[carried.doc]
    label = carried.group
    lowest = highest = label  # no carried group: empty
    if len(label):
        lowest = np.minimum.reduceat(carrier_sites, carried.start)
        highest = np.maximum.reduceat(carrier_sites, carried.start)
    rule = (cues_in[label] * 2 > rows_in[label]) | ((lowest >= 0) & (lowest == highest))
    boiler: set[int] = set(label[rule].tolist())
    candidates = np.flatnonzero((carried.count >= min_docs) & ~rule & ~copied)
    by_frequency = candidates[np.lexsort((label[candidates], -carried.count[candidates]))]
    frequent: list[int] = label[by_frequency].tolist()
    docs_of_group = dict(zip(frequent, carried.docs_of(by_frequency.tolist()), strict=True))
    # The sampled page pairs of each frequent group, each distinct pair numbered once: groups
    # of one story sample the same pages.
    samples = []
    for group in frequent:
        carriers = docs_of_group[group]
        samples.append(carriers[:: max(len(carriers) // _PAIR_SAMPLE_DOCS, 1)][:_PAIR_SAMPLE_DOCS])
    flat = itertools.chain.from_iterable(
        itertools.chain.from_iterable(itertools.combinations(sample, 2)) for sample in samples
    )
    page_pairs = np.fromiter(flat, dtype=np.int64).reshape(-1, 2)
    keys, number = np.unique(
        page_pairs[:, 0] * len(doc_ids) + page_pairs[:, 1], return_inverse=True
    )
    pairs = np.stack([keys // len(doc_ids), keys % len(doc_ids)], axis=1)
    sizes = np.array([len(sample) * (len(sample) - 1) // 2 for sample in samples], dtype=np.intp)
    ends = np.cumsum(sizes)
    pairs_of = {g: number[hi - n : hi] for g, n, hi in zip(frequent, sizes, ends, strict=True)}
    company, holders = _company(pairs, carried, rule, (len(doc_ids), len(groups)))
    # A template's parts keep each other company until one of them is found, so groups are
    # checked again after a change, but only those sharing a page with a group just found.
    pending = frequent
    while pending:
        found = []
        for g in pending:
            if g in boiler:
                continue
            alone = np.count_nonzero(company[pairs_of[g]] == 1)  # g is their only company
            if alone * 2 > len(pairs_of[g]):  # the median pair shares nothing else
                boiler.add(g)
                found.append(g)
                company[holders.indices[holders.indptr[g] : holders.indptr[g + 1]]] -= 1
        touched = set().union(*(docs_of_group[g] for g in found))
        pending = [
            g for g in frequent if g not in boiler and not touched.isdisjoint(docs_of_group[g])
        ]
    return boiler


def _company(
    pairs: np.ndarray, carried: _Carriers, boiler: np.ndarray, shape: tuple[int, int]
) -> tuple[np.ndarray, csc_matrix]:
    """How many groups other than `boiler` (a bool per carried group) both pages of each pair
    (a row of `pairs`) carry; and, a column per group, the pairs whose pages both carry it: a
    group found to be boilerplate leaves the counts of exactly those pairs. `shape` is
    (documents, groups)."""
    group, doc = carried.entries(~boiler)
    carries = csr_matrix((np.ones(len(doc), dtype=np.int8), (doc, group)), shape=shape)
    common = carries[pairs[:, 0]].multiply(carries[pairs[:, 1]]).tocsc()
    return np.bincount(common.indices, minlength=len(pairs)), common


# Enough pages to judge a group's company; bounds the cost of a footer seen 100,000 times.
_PAIR_SAMPLE_DOCS = 16


def _join_groups(
    fp: Fingerprints, groups: np.ndarray, content: np.ndarray, doc_of_row: np.ndarray
) -> dict[int, int]:
    """Story label per content group.

    Two passages belong to one story when at least two documents carry them
    close together (at most `CLOSE_BLOCKS` paragraphs apart); a story's
    paragraphs chain through their neighbours. Co-occurrence anywhere in a
    page is not enough: aggregator pages that embed the same two stories, one
    after the other under their own headings, would join them.
    """
    ordered = content  # ascending
    rows = np.flatnonzero(np.isin(groups, ordered))  # in document order, blocks ascending
    position = np.searchsorted(ordered, groups[rows])
    doc, block = doc_of_row[rows], fp.table.block[rows].astype(np.int64)
    m = len(ordered)
    # per pair of positions close together somewhere: the lowest and highest document doing so
    close: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    first = np.arange(len(rows))  # rows whose next neighbours may still be close to them
    for span in range(1, len(rows)):
        first = first[first + span < len(rows)]
        second = first + span
        near = (doc[second] == doc[first]) & (block[second] - block[first] <= CLOSE_BLOCKS)
        first, second = first[near], second[near]  # blocks only grow: a far row stays far
        if len(first) == 0:
            break
        a, b, carrier = position[first], position[second], doc[first]
        other = a != b
        pair = np.minimum(a, b)[other] * m + np.maximum(a, b)[other]
        close.append(_carrier_range(pair, carrier[other], carrier[other]))
    empty = np.empty(0, dtype=np.int64)
    columns = [np.concatenate(c) for c in zip(*close, strict=True)] if close else [empty] * 3
    pairs, lowest, highest = _carrier_range(*columns)
    joined = pairs[lowest != highest]  # two documents carry them close together
    labels = _components(m, joined // m, joined % m)
    return dict(zip(ordered.tolist(), labels.tolist(), strict=True))


CLOSE_BLOCKS = 2  # paragraphs apart that still make one passage of a page


def _carrier_range(
    pair: np.ndarray, lowest: np.ndarray, highest: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct `pair` values with the lowest and highest document carrying each: whether
    two documents carry a pair needs no sort of every (pair, document)."""
    order = np.argsort(pair)
    pair = pair[order]
    starts, _ = runs(pair)
    return (
        pair[starts],
        np.minimum.reduceat(lowest[order], starts),
        np.maximum.reduceat(highest[order], starts),
    )


def _versions(
    fp: Fingerprints, rows: list[int], groups: np.ndarray, doc_of_row: np.ndarray, link: str
) -> list[Version]:
    """Split each document's story rows into versions where a passage repeats.

    A page that embeds the same article twice (an aggregator quoting a wire
    story and a copy of it) carries two versions; a passage seen again is
    where the second one begins.
    """
    table = fp.table
    ordered = sorted(rows)
    at = np.asarray(ordered, dtype=np.int64)
    by_doc: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for r, doc, g in zip(ordered, doc_of_row[at].tolist(), groups[at].tolist(), strict=True):
        by_doc[doc].append((r, g))
    versions = []
    for doc, doc_rows in sorted(by_doc.items(), key=lambda item: table.doc_ids[item[0]]):
        doc_id, first = table.doc_ids[doc], int(table.bounds[doc])
        current: list[int] = []
        seen: set[int] = set()
        for r, g in doc_rows:
            if g in seen and current and r > current[-1] + 1:
                versions.append(Version(doc_id, tuple(x - first for x in current), link))
                current, seen = [], set()
            current.append(r)
            seen.add(g)
        versions.append(Version(doc_id, tuple(x - first for x in current), link))
    return versions


# Shingles a segment pair must share to count as one fragment of evidence; a
# single shared 5-gram ("in the next three years") is chance, not reuse.
_FRAGMENT_MIN_SHARED = 3


def _nested_into_container(
    found: list[tuple[list[int], list[int]]],
    rows_of_story: dict[int, list[int]],
    doc_of_row: np.ndarray,
    block_of_row: np.ndarray,
) -> list[tuple[list[int], list[int]]]:
    """Fold a story into the one larger story whose documents include all of its own;
    failing exactly one, into the one story with all its documents beside whose
    text it lies on every one of them (within `CLOSE_BLOCKS` paragraphs).

    A heavily rewritten story keeps only its quotes verbatim, and quotes far
    apart in the article form separate small stories over the same pages,
    often several of them over exactly the same pages: there, each piece sits
    inside or next to the others' paragraphs on every page. Two stories that
    merely share aggregator pages each keep pages of their own, so neither
    contains the other; a story made only of aggregator pages is contained in
    several stories and, unless it lies beside exactly one of them on every
    page, stays alone.
    """

    span_of = _block_spans(
        [[r for s in stories for r in rows_of_story[s]] + loose for stories, loose in found],
        doc_of_row,
        block_of_row,
    )
    doc_sets = [frozenset(s) for s in span_of]

    def beside(i: int, j: int) -> bool:
        """On every page of `i`, its rows lie within `CLOSE_BLOCKS` of `j`'s there."""
        return all(
            span_of[j][d][0] - CLOSE_BLOCKS <= lo and hi <= span_of[j][d][1] + CLOSE_BLOCKS
            for d, (lo, hi) in span_of[i].items()
        )

    holding: dict[int, set[int]] = defaultdict(set)  # document -> the results that hold it
    for j, doc_set in enumerate(doc_sets):
        for d in doc_set:
            holding[d].add(j)
    order = sorted(range(len(found)), key=lambda i: (len(doc_sets[i]), i))
    target = list(range(len(found)))
    for i in order:
        holders = sorted((holding[d] for d in doc_sets[i]), key=len)
        hold_all = sorted(j for j in set.intersection(*holders) if j != i and target[j] == j)
        containers = [j for j in hold_all if len(doc_sets[j]) > len(doc_sets[i])]
        if len(containers) == 1:
            target[i] = containers[0]
            continue
        near = [j for j in hold_all if beside(i, j)]
        if len(near) == 1:
            target[i] = near[0]

    def root(i: int) -> int:
        while target[i] != i:
            i = target[i]
        return i

    merged: dict[int, tuple[list[int], list[int]]] = {}
    for i, (stories, loose) in enumerate(found):
        into = merged.setdefault(root(i), ([], []))
        into[0].extend(stories)
        into[1].extend(loose)
    return [(sorted(a), sorted(b)) for _, (a, b) in sorted(merged.items())]


def _block_spans(
    rows_of: list[list[int]], doc_of_row: np.ndarray, block_of_row: np.ndarray
) -> list[dict[int, tuple[int, int]]]:
    """For each list of rows: document -> the first and last block its rows take there. One
    sort for every list (thousands of results: a few numpy calls each cost more)."""
    sizes = np.array([len(rows) for rows in rows_of], dtype=np.int64)
    rows = np.fromiter(itertools.chain.from_iterable(rows_of), dtype=np.int64, count=sizes.sum())
    owner = np.repeat(np.arange(len(rows_of), dtype=np.int64), sizes)
    docs, blocks = doc_of_row[rows], block_of_row[rows]
    order = np.lexsort((docs, owner))
    owner, docs, blocks = owner[order], docs[order], blocks[order]
    starts = np.flatnonzero(firsts(owner) | firsts(docs))  # each (result, document)
    lows = np.minimum.reduceat(blocks, starts).tolist() if len(starts) else []
    highs = np.maximum.reduceat(blocks, starts).tolist() if len(starts) else []
    page = docs[starts].tolist()
    cuts = np.searchsorted(owner[starts], np.arange(len(rows_of) + 1)).tolist()
    return [
        dict(zip(page[a:b], zip(lows[a:b], highs[a:b], strict=True), strict=True))
        for a, b in itertools.pairwise(cuts)
    ]


def _paraphrase_union(
    fp: Fingerprints,
    doc_of_row: np.ndarray,
    rows_of_story: dict[int, list[int]],
    boiler_rows: np.ndarray,
    opts: ClusterOptions,
    jobs: int,
    tongue: np.ndarray,
) -> list[tuple[list[int], list[int]]]:
    """Join copy stories and unexplained rows that share a trail of rare fragments.

    An *owner* is a copy story, or a document for its rows outside any story.
    An owner pair is accepted when one side's segments share at least
    `paraphrase_min_shared` fragment shingles (best partner per segment) in at
    least `paraphrase_min_segments` segments, one of them sharing at least
    `paraphrase_min_run` (a kept quote or clause: same-topic articles share
    names and stock phrases, but rarely eleven words in a row); when the side is a whole story,
    in at least `paraphrase_min_fraction` of its segments too, since a story
    of many copies collects stray fragments: a rewritten story echoes its
    source throughout, two stories on one topic share a phrase here and there. Accepted
    pairs are joined through the rows that carry them, never through a whole
    document, so an aggregator page that paraphrases two stories in two
    places joins neither to the other. Returns, per resulting story, its copy
    stories and its loose (fragment-linked) rows; a result needs two documents.
    """
    story_of_row = np.full(len(fp), -1, dtype=np.int64)
    for story, rows in rows_of_story.items():
        story_of_row[rows] = story
    owner_of_row = np.where(story_of_row >= 0, story_of_row, -1 - doc_of_row)
    long_enough = (fp.offsets[1:] - fp.offsets[:-1]) >= opts.min_passage_shingles
    usable = fp.indexed & ~boiler_rows & long_enough
    links = fragment_links(
        fp,
        doc_of_row,
        owner_of_row,
        usable,
        opts.fragment_max_rows,
        opts.fragment_max_owners,
        jobs,
        _FRAGMENT_MIN_SHARED,
    )
    # Every link in both directions: (row, other row, shingles they share).
    keep = _one_language(tongue, links.left, links.right)
    left = np.concatenate([links.left[keep], links.right[keep]])
    right = np.concatenate([links.right[keep], links.left[keep]])
    shared = np.concatenate([links.shared[keep], links.shared[keep]])
    # Owners as non-negative numbers (documents are negative in owner_of_row).
    base = len(fp.table.doc_ids) + 1
    span = int(owner_of_row.max()) + base + 1 if len(owner_of_row) else 1
    # Between two stories, a row on a page that carries the other story is no evidence: on a
    # digest line, the window at the seam of two articles holds words of both.
    in_story = story_of_row >= 0
    carried = distinct(doc_of_row[in_story] * span + story_of_row[in_story] + base)
    seam = in_story[left] & in_story[right]
    seam &= np.isin(doc_of_row[left] * span + owner_of_row[right] + base, carried) | np.isin(
        doc_of_row[right] * span + owner_of_row[left] + base, carried
    )
    left, right, shared = left[~seam], right[~seam], shared[~seam]
    owner, target = owner_of_row[left] + base, owner_of_row[right] + base

    # A row's best partner in each other owner, then per owner pair: how many left, the sum
    # and the longest of their best counts.
    by_row = np.lexsort((shared, left * span + target))
    starts, counts = runs((left * span + target)[by_row])
    last = by_row[starts + counts - 1]
    pair_of_best = owner[last] * span + target[last]
    by_pair = np.argsort(pair_of_best, kind="stable")
    best = shared[last][by_pair]
    starts, counts = runs(pair_of_best[by_pair])
    pairs = pair_of_best[by_pair][starts]
    total = np.add.reduceat(best, starts) if len(best) else best
    longest = np.maximum.reduceat(best, starts) if len(best) else best
    size = np.bincount(owner_of_row[usable] + base, minlength=span)[pairs // span]
    is_story = pairs // span >= base
    accepted = pairs[
        (total >= opts.paraphrase_min_shared)
        & (counts >= opts.paraphrase_min_segments)
        & (longest >= opts.paraphrase_min_run)
        & ~(is_story & (counts < opts.paraphrase_min_fraction * size))
    ]
    # An accepted owner pair joins every row of its links, on both sides, into one piece.
    direct = owner * span + target
    mirror = target * span + owner
    joined = np.isin(direct, accepted) | np.isin(mirror, accepted)
    group = np.minimum(direct, mirror)[joined]
    ends = np.concatenate([left[joined], right[joined]])
    group = np.concatenate([group, group])

    # Nodes: the copy stories, then the rows outside any story that carry accepted fragments.
    stories = np.array(sorted(rows_of_story), dtype=np.int64)
    loose = distinct(ends[story_of_row[ends] < 0])
    node = np.where(
        story_of_row[ends] >= 0,
        np.searchsorted(stories, story_of_row[ends]),
        len(stories) + np.searchsorted(loose, ends),
    )
    by_group = np.argsort(group, kind="stable")
    starts, counts = runs(group[by_group])
    first = np.repeat(node[by_group][starts], counts)
    labels = _components(len(stories) + len(loose), first, node[by_group]).tolist()
    members: dict[int, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for i, story in enumerate(stories.tolist()):
        members[labels[i]][0].append(story)
    for i, row in enumerate(loose.tolist(), len(stories)):
        members[labels[i]][1].append(row)
    result = []
    for _, (copies, pieces) in sorted(members.items()):
        # a copy story spans two documents by construction; loose rows alone must show it
        if copies or len({int(doc_of_row[r]) for r in pieces}) >= 2:
            result.append((copies, pieces))
    return result


def _story_id(versions: tuple[Version, ...]) -> str:
    """Content-derived id: the same versions give the same id on any machine and run. A file
    name that is not UTF-8 holds lone surrogates: hashed as they are, not refused."""
    keys = "\n".join(v.key for v in versions)
    digest = hashlib.sha1(keys.encode("utf-8", "surrogatepass")).hexdigest()
    return f"story-{digest[:12]}"
