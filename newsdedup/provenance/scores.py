"""The documented rule: its weights (`ORIGIN_WEIGHTS`, `PARENT_WEIGHTS`), each version's origin
score (`origin_scores`), each candidate's parent score for a version (`parent_terms`), and
the attribution links ("Source: X") resolved to the versions they name.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np

from ..cluster import Version
from ..dates import contradicted, url_day
from .cues import DOMAIN, names_a_source
from .evidence import Features
from .matrices import Overlap, PageHeld
from .sites import AGENCY_SITES, core_name, goes_by
from .when import likely_time

ORIGIN_WEIGHTS = {
    "credit": 3.0,  # carries a wire dateline, credit or sign-off
    "agency_site": 3.0,  # published by the agency its credit names (reuters.com, apnews.com, ...)
    # credits an agency on a page naming another publisher while a credited version naming
    # none (or the agency) exists, which may be the agency's own: the credit says whose text
    # it is, not that this page is the agency's (it cancels `credit`)
    "republished": -3.0,
    "attributed_to": 2.0,  # another version names it as its source (not a republisher's)
    "attributes": -2.0,  # names another version or outlet as its source
    "earliest": 2.0,  # x the chance its trustworthy date is the first one (`_first_chance`)
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
    # the candidate sits on a page that embeds several stories (not the origin), unless the
    # child's page names its site (`names_site`: it carries that page's furniture)
    "aggregator": -1.5,
    "paraphrase": -2.0,  # the candidate is linked by fragments only
    "lacks_figures": -8.0,  # x figures the child took from the origin that the candidate lacks
    "figure_variants": 2.0,  # x figures of the candidate's own (not the origin's) the child holds
    "figures_missing": -2.0,  # x share of the candidate's own figures the child lacks
    "lacks_junctions": -6.0,  # x the candidate's own paragraph junctions the child breaks
    "lacks_edits": -4.0,  # x paragraphs the candidate reworded that the child reads as the origin
    "reads_as": 2.0,  # the candidate's page holds every paragraph of the child word for word
    "names_site": 2.0,  # the child's page furniture names the candidate's site (`named_sites`)
    "credits_child": -2.0,  # the candidate names the child's site as its source or in its furniture
    "from_origin": 0.5,  # the candidate is the origin, for a close copy (`CLOSE_COPY`)
}

# Jaccard similarity from which a copy is a light edit (or verbatim) of its parent, not a
# rewrite: the line `_relation` draws, and the reach of the origin's prior (`from_origin`).
CLOSE_COPY = 0.6


def _broken_junctions(c: Features, f: Features, o: Features) -> int:
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


def _undone_edits(c: Features, f: Features, o: Features) -> int:
    """Paragraphs the candidate reworded (it reads them otherwise than the origin does) that
    the child reads exactly as the origin does.

    A copy keeps its source's wording: had the child been taken from the
    candidate, it would read those paragraphs as the candidate does (or reword
    them again), not as the origin does word for word. Whole paragraphs are
    compared (`Features.wordings`), so a paragraph the child cut or the
    candidate added counts for nothing, as a figure does in `_figure_terms`.
    """
    own = f.wordings - o.wordings  # most candidates reword nothing: no passage to look up
    if not own:
        return 0
    wire: dict[int, set[str]] = {}
    for k, wording in o.wordings:
        wire.setdefault(k, set()).add(wording)
    return sum(
        k in wire and (k, wording) not in c.wordings and any((k, w) in c.wordings for w in wire[k])
        for k, wording in own
    )


_EDIT_CAP = 2


def attribution_links(
    versions: tuple[Version, ...], feats: dict[Version, Features]
) -> dict[Version, tuple[Version, str]]:
    """child -> (named parent, the attribution text), where an attribution resolves to a version."""
    links: dict[Version, tuple[Version, str]] = {}
    for child in versions:
        # A page named (a URL, a site) says more than an agency named: "Source: URL" is the
        # page copied, "originally published by dpa" where the text first ran.
        for pages_only in (True, False):
            for named in sorted(feats[child].attributions, key=_specificity):
                key = core_name(named)
                targets = [
                    v
                    for v in versions
                    if v.doc_id != child.doc_id
                    and (
                        goes_by(key, feats[v].hints)
                        or (not pages_only and (feats[v].credit or "").lower() == key)
                    )
                ]
                if targets and child not in links:
                    best = min(targets, key=lambda v: _source_rank(v, key, named, feats))
                    links[child] = (best, named)
    return links


def text_sources(
    links: dict[Version, tuple[Version, str]], feats: dict[Version, Features]
) -> dict[Version, tuple[Version, str]]:
    """The attribution links that name the page a copy was taken from: less those its text
    overrules. A child's text overrules its link when it reads word for word as a page dated
    before it, and not as the named page. A republisher credits where a story first ran
    ("originally published by dpa") even when it took the text from a copy that reworded it;
    the wording it carries says which page it copied, the credit line then names the origin
    only. The pages are looked up by the child's rarest paragraph, not all compared: a story
    of thousands of credited copies would otherwise cost a comparison per pair."""
    holders: dict[str, list[Version]] | None = None
    kept = {}
    for child, link in links.items():
        c = feats[child]
        if c.readings <= feats[link[0]].page_readings:
            kept[child] = link
            continue
        if holders is None:
            holders = defaultdict(list)
            for v, f in feats.items():
                for reading in f.page_readings:
                    holders[reading].append(v)
        rarest = min(c.readings, key=lambda r: len(holders.get(r, ())))
        overruled = any(
            v is not link[0]
            and v.doc_id != child.doc_id
            and c.readings <= feats[v].page_readings
            and _after(c, feats[v])
            for v in holders.get(rarest, ())
        )
        if not overruled:
            kept[child] = link
    return kept


def _specificity(named: str) -> int:
    """How closely an attribution names a page, most closely first: a URL with a path, a
    domain, a name."""
    return 0 if "/" in named else 1 if DOMAIN.search(named) else 2


def _attribution_weight(
    child: Version,
    p: Version,
    links: dict[Version, tuple[Version, str]],
    feats: dict[Version, Features],
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
    key = core_name(named[1])
    # A line naming the copy's own site as the source was not written by that site about
    # another: the copy carries it from the page it was taken from, one naming the same.
    own = goes_by(key, feats[child].hints)
    if named[0] is not p or own:
        if (own or goes_by(key, feats[named[0]].hints)) and key in map(
            core_name, feats[p].attributions
        ):
            return PARENT_WEIGHTS["attribution"]
        return 0.0
    if goes_by(key, feats[p].hints):
        return PARENT_WEIGHTS["attribution"]
    return _AGENCY_NAMED


_AGENCY_NAMED = 1.5


def _source_rank(
    v: Version, key: str, named: str, feats: dict[Version, Features]
) -> tuple[bool, bool, bool, float, str, tuple[int, ...]]:
    """Which of the versions an attribution could name is the one named, lowest first: the
    version on the named site itself, then the one published on the day the named URL's path
    gives (a site publishes a story once a day), then one that names no source of its own,
    then the earliest dated (a copy that kept the agency's dateline is not the agency's
    story); the document id only when nothing else tells them apart."""
    f = feats[v]
    day = url_day(named)
    return (
        not goes_by(key, f.hints),
        day is not None and (f.when is None or contradicted(f.when, day)),
        bool(f.attributions),
        likely_time(f.when),
        v.doc_id,
        v.segments,
    )


def origin_scores(
    versions: tuple[Version, ...],
    feats: dict[Version, Features],
    links: dict[Version, tuple[Version, str]],
    overlap: Overlap,
) -> dict[Version, dict[str, float]]:
    """Each version's origin score; what the versions have in common is counted once."""
    pages = {d: n for n, d in enumerate(dict.fromkeys(v.doc_id for v in versions))}
    page = np.array([pages[v.doc_id] for v in versions])
    latest = np.array([when[1] for when in (feats[v].when for v in versions) if when])
    # A date known to the day only is some time that day: compared as a whole, by its middle,
    # it does not come before a page timed that morning, and comes before one timed that
    # evening only as likely as its day makes it (`_first_chance`).
    first_middle = min((sum(w) / 2 for w in (feats[v].when for v in versions) if w), default=0.0)
    spans = np.array([feats[v].when or (math.inf, math.inf) for v in versions])
    most_quoted = max(feats[o].quoted_words for o in versions)
    credited_elsewhere = any(feats[o].credit and not feats[o].aggregator for o in versions)
    agency_own = any(
        feats[o].credit and not feats[o].aggregator and not _other_publisher(feats[o])
        for o in versions
    )
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
        republisher = agency_own and _other_publisher(f)
        scores[v] = {
            "credit": ORIGIN_WEIGHTS["credit"] * (f.credit is not None),
            "agency_site": ORIGIN_WEIGHTS["agency_site"] * _on_agency_site(f),
            "republished": ORIGIN_WEIGHTS["republished"] * republisher,
            # pages that name a republisher as their source took the story from it: it is
            # their source, the agency's text the story's
            "attributed_to": ORIGIN_WEIGHTS["attributed_to"]
            * (v in attributed and not republisher),
            "attributes": ORIGIN_WEIGHTS["attributes"]
            * (v in links or any(names_a_source(a) for a in f.attributions)),
            "earliest": ORIGIN_WEIGHTS["earliest"]
            * (
                _first_chance(k, f.when, spans, page)
                if len(latest) >= 2 and f.when and not earlier and sum(f.when) / 2 <= first_middle
                else 0.0
            ),
            "later": ORIGIN_WEIGHTS["later"]
            * (earlier / (len(latest) - 1) if len(latest) >= 2 else 0.0),
            "explains": ORIGIN_WEIGHTS["explains"] * explains,
            "paraphrase": ORIGIN_WEIGHTS["paraphrase"] * (v.link == "paraphrase"),
            "quotes": ORIGIN_WEIGHTS["quotes"]
            * (f.quoted_words > 0 and f.quoted_words == most_quoted),
            "aggregator": ORIGIN_WEIGHTS["aggregator"] * (f.aggregator and credited_elsewhere),
        }
    return scores


def _on_agency_site(f: Features) -> bool:
    """The page is on the site of the agency its credit names (by domain or by the name its
    pages give themselves, `AGENCY_SITES`)."""
    return bool(f.credit and f.hints & AGENCY_SITES[f.credit])


def _other_publisher(f: Features) -> bool:
    """The page credits an agency and names a publisher of its own (its site, host, copyright
    line) other than that agency: a republisher's page, not the agency's."""
    return bool(f.credit and f.hints and not _on_agency_site(f))


def _first_chance(k: int, when: tuple[float, float], spans: np.ndarray, page: np.ndarray) -> float:
    """How likely version `k` came out before every version on another page whose date span
    overlaps its own (`spans`: each version's, infinite when undated), each time taken as
    equally likely anywhere in its span: 1 when none overlaps; a page dated "27 August"
    against one timed 16:17 that day, 0.68. Two equal instants do not overlap."""
    overlapping = (spans[:, 0] < when[1]) & (spans[:, 1] >= when[0]) & (page != page[k])
    return min((_before(when, (a, b)) for a, b in spans[overlapping]), default=1.0)


def _before(a: tuple[float, float], b: tuple[float, float]) -> float:
    """P(x < y) for x and y uniform over the spans `a` and `b` (an instant is a span of no
    length; two equal instants count half)."""
    (a0, a1), (b0, b1) = a, b
    if b1 == b0:
        if a1 == a0:
            return 1.0 if a0 < b0 else 0.5 if a0 == b0 else 0.0
        return min(max((b0 - a0) / (a1 - a0), 0.0), 1.0)
    if a1 == a0:
        return min(max((b1 - a0) / (b1 - b0), 0.0), 1.0)
    # mean over x in a of P(y > x): 1 below b0, falling linearly to 0 at b1
    surely = max(0.0, min(a1, b0) - a0)
    lo, hi = max(a0, b0), min(a1, b1)
    falling = ((b1 - lo) ** 2 - (b1 - hi) ** 2) / (2 * (b1 - b0)) if hi > lo else 0.0
    return (surely + falling) / (a1 - a0)


_FIGURE_CAP = 2


def _figure_terms(c: Features, f: Features, o: Features) -> dict[str, float]:
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


def _after(a: Features, b: Features) -> bool:
    """`a` was certainly published after `b` (both dated)."""
    return bool(a.when and b.when and a.when[0] > b.when[1])


def _predates(c: Features, origin: Features) -> bool:
    """A child dated before the story's origin shows a wrong date: no evidence against a parent."""
    return _after(origin, c)


def parent_terms(
    child: Version,
    p: Version,
    origin: Version,
    held: PageHeld,
    feats: dict[Version, Features],
    links: dict[Version, tuple[Version, str]],
    similarity: float,
) -> dict[str, float]:
    """The terms of candidate `p`'s parent score for `child` (`similarity`: the Jaccard
    similarity of the two versions)."""
    c, f, o = feats[child], feats[p], feats[origin]  # each look-up hashes a version's segments
    explains = held.explains(child, p)
    # An excerpt is taken from the full text as often as from another excerpt: a page
    # holding all of it could be its source however much more that version holds.
    whole = explains >= _HOLDS_WHOLE and held.size(child) <= EXCERPT_SHARE * held.size(p)
    names = bool(c.mentions & (f.hints | f.mentions))
    return {
        "explains": PARENT_WEIGHTS["explains"] * explains,
        "resembles": PARENT_WEIGHTS["resembles"] * (1.0 if whole else similarity),
        "variants": PARENT_WEIGHTS["variants"] * held.variants(child, p),
        "attribution": _attribution_weight(child, p, links, feats),
        "credit_kept": PARENT_WEIGHTS["credit_kept"]
        * (c.credit is not None and c.credit == f.credit),
        "date_after": PARENT_WEIGHTS["date_after"] * (_after(f, c) and not _predates(c, o)),
        "same_page": PARENT_WEIGHTS["same_page"] * same_page_duplicate(child, c, p, f, similarity),
        "aggregator": PARENT_WEIGHTS["aggregator"]
        * (f.aggregator and p.doc_id != child.doc_id and p is not origin and not names),
        "paraphrase": PARENT_WEIGHTS["paraphrase"] * (p.link == "paraphrase"),
        "reads_as": PARENT_WEIGHTS["reads_as"] * (c.readings <= f.page_readings),
        # the site named, or a page naming it too: the copy may carry the line from there
        "names_site": PARENT_WEIGHTS["names_site"] * names,
        "credits_child": PARENT_WEIGHTS["credits_child"] * bool(c.hints & _credited(f)),
        # A close copy was taken from the original unless its text names an intermediary
        # (its readings, figures, junctions, credit); a rewrite's wording hides its source.
        "from_origin": PARENT_WEIGHTS["from_origin"]
        * (p is origin and (whole or similarity >= CLOSE_COPY)),
        **_figure_terms(c, f, o),
        # a rewrite reorders as it rewords: its paragraph order tells nothing of its source
        "lacks_junctions": PARENT_WEIGHTS["lacks_junctions"]
        * min(_broken_junctions(c, f, o), _JUNCTION_CAP)
        / _JUNCTION_CAP
        * (explains >= _ORDER_KEPT),
        "lacks_edits": PARENT_WEIGHTS["lacks_edits"]
        * min(_undone_edits(c, f, o), _EDIT_CAP)
        / _EDIT_CAP,
    }


def _credited(f: Features) -> frozenset[str]:
    """The sites a page says it took the story from, or names in its furniture, other than its
    own: a page that credits a site was not where that site's page came from."""
    return (frozenset(map(core_name, f.attributions)) | f.mentions) - f.hints


_JUNCTION_CAP = 2
_HOLDS_WHOLE = 0.98
_ORDER_KEPT = 0.5  # share of the child on the candidate's page past which order is evidence
EXCERPT_SHARE = 0.7  # an excerpt keeps at most this share of its source (as in `_relation`)


def same_page_duplicate(
    child: Version, c: Features, parent: Version, p: Features, similarity: float
) -> bool:
    return (
        child.doc_id == parent.doc_id and c.credit == p.credit and similarity >= _DUPLICATE_JACCARD
    )


_DUPLICATE_JACCARD = 0.8
