"""`trace`: one story's versions to a `StoryReport`. Evidence for every version, the origin by
score, the best tree, then each version's report: parent, relation (`_relation`),
confidence and close candidates. The records here are what every report format reads.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace

from ..cluster import Story, Version
from ..fingerprint import Fingerprints
from ..records import Document
from .evidence import Features, Page, features, named_sites, paragraph_readings, story_passages
from .matrices import Columns, Overlap, PageHeld
from .scores import (
    CLOSE_COPY,
    EXCERPT_SHARE,
    attribution_links,
    origin_scores,
    parent_terms,
    same_page_duplicate,
    text_sources,
)
from .sites import lowered, mentionable
from .tree import (
    AMBIGUOUS_MARGIN,
    MAX_CANDIDATES,
    Choices,
    best_tree,
    candidate_parents,
    other_parents,
    tie_order,
)


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
    passage = story_passages(fp, pages)
    rows = {d: Page.of(d, fp) for d in pages}
    known: dict[str, str] = {}  # each distinct row of the story read once
    readings = {d: paragraph_readings(documents[d], rows[d], known) for d in pages}
    page_readings = {d: frozenset(r) for d, r in readings.items()}
    lows = {d: lowered(documents[d]) for d in pages}
    feats = {
        v: features(
            v,
            documents[v.doc_id],
            rows[v.doc_id],
            v.doc_id in aggregators,
            passage,
            readings[v.doc_id],
            page_readings[v.doc_id],
            lows[v.doc_id],
        )
        for v in story.versions
    }
    names = {h for f in feats.values() for h in f.hints if mentionable(h)}
    for v in story.versions:
        found = named_sites(
            v, documents[v.doc_id], rows[v.doc_id], names - feats[v].hints, lows[v.doc_id]
        )
        if found:
            feats[v] = replace(feats[v], mentions=found)
    links = attribution_links(story.versions, feats)
    sources = text_sources(links, feats)
    columns = Columns.of(story.versions, fp)
    overlap = Overlap.of(columns)
    scores = origin_scores(story.versions, feats, links, overlap)
    order = sorted(story.versions, key=lambda v: (-sum(scores[v].values()), v.doc_id, v.segments))
    origin = order[0]
    # Pages that embed several stories take text, they are rarely copied: their
    # versions come after the single-story versions (the origin's own page excepted).
    later = sorted(order[1:], key=lambda v: feats[v].aggregator and v.doc_id != origin.doc_id)
    order = [origin, *later]
    late = {v for v in later if feats[v].aggregator and v.doc_id != origin.doc_id}
    held = PageHeld.of(origin, columns)
    terms: dict[tuple[int, int], dict[str, float]] = {}
    for i, child in enumerate(order[1:], 1):
        for j in candidate_parents(i, order, overlap):
            # An aggregator may only be the parent of another aggregator.
            if order[j] not in late or child in late:
                terms[i, j] = parent_terms(
                    child, order[j], origin, held, feats, sources, overlap.jaccard(child, order[j])
                )
    # Ties go to the earlier dated candidate (a copy is taken from what was already out),
    # then to the one closer to the origin.
    tie = tie_order(order, feats)
    weight = {k: sum(t.values()) - _RANK_TIE * tie[k[1]] for k, t in terms.items()}
    parent_of = best_tree(weight)
    choices = Choices.of(weight)
    reports = [_origin_report(origin, scores, order)]
    for i, child in enumerate(order[1:], 1):
        others = other_parents(i, parent_of, choices)
        reports.append(
            _parent_report(
                child, i, order, parent_of, others, terms, feats, links, overlap, columns
            )
        )
    return StoryReport(story.id, origin, tuple(reports))


_RANK_TIE = 1e-9


def _confidence(margin: float) -> float:
    return round(1.0 / (1.0 + math.exp(-2.0 * margin)), 4)


def _origin_report(
    origin: Version, scores: dict[Version, dict[str, float]], order: list[Version]
) -> VersionReport:
    total = {v: sum(s.values()) for v, s in scores.items()}
    top = total[origin]  # looked up once: a version's hash reads all its segments
    runner_up = total[order[1]] if len(order) > 1 else top - 4.0
    evidence = tuple(
        Evidence(kind, f"{value:+.2f}") for kind, value in sorted(scores[origin].items()) if value
    )
    close = tuple(
        itertools.islice(
            ((v, round(total[v], 4)) for v in order[1:] if top - total[v] < AMBIGUOUS_MARGIN),
            MAX_CANDIDATES,
        )
    )
    return VersionReport(
        version=origin,
        parent=None,
        relation="origin",
        similarity=1.0,
        containment=1.0,
        confidence=_confidence(top - runner_up),
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
    feats: dict[Version, Features],
    links: dict[Version, tuple[Version, str]],
    overlap: Overlap,
    columns: Columns,
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
        if behind < AMBIGUOUS_MARGIN
    )
    runner_up = [order[others[0][0]]] if others else []
    return VersionReport(
        version=child,
        parent=parent,
        relation="duplicate"
        if same_page_duplicate(child, c, parent, feats[parent], similarity)
        else _relation(child, [parent, *runner_up], similarity, containment, overlap, columns),
        similarity=similarity,
        containment=containment,
        confidence=_confidence(margin),
        evidence=tuple(evidence),
        candidates=close,
    )


def _relation(
    child: Version,
    parents: list[Version],
    similarity: float,
    containment: float,
    overlap: Overlap,
    columns: Columns,
) -> str:
    """The first relation whose rule holds, in the order of the table in docs/provenance.md;
    `parents`: the parent, then the runner-up if any."""
    if child.link == "paraphrase":
        return "paraphrase"
    if similarity >= 0.9:
        return "verbatim"
    if similarity >= CLOSE_COPY:
        return "light-edit"
    if containment >= 0.8 and overlap.size(child) <= EXCERPT_SHARE * overlap.size(parents[0]):
        return "excerpt"
    if (
        containment < 0.6
        and len(parents) > 1
        and columns.share_in_either(child, parents[0], parents[1]) >= 0.8
    ):
        return "aggregate"
    return "rewrite"
