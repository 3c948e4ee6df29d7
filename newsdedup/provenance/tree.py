"""The derivation tree: which versions may be a version's parent (`candidate_parents`), the tree
with the highest total parent score (Chu-Liu/Edmonds, `best_tree`), ties broken by date
(`tie_order`), and the parents a version could have instead (`other_parents`), which set
its confidence and candidates.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

import numpy as np

from ..cluster import Version
from .evidence import Features
from .matrices import Overlap
from .when import likely_time

AMBIGUOUS_MARGIN = 0.75


def candidate_parents(i: int, order: list[Version], overlap: Overlap) -> list[int]:
    """Positions in `order` that may be the parent of `order[i]`, ascending.

    In a story of up to `_FREE_ORDER_MAX // 4` (16) versions, any other
    version: the tree decides the direction. Past that, only earlier versions,
    and of those the origin and the `_FREE_ORDER_MAX` sharing the most text
    with the child: a story of a thousand copies then scores a bounded number
    of parents for each, not every pair. Where any direction is allowed, the
    runner-up trees (`other_parents`) each take a whole Chu-Liu/Edmonds run,
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


def tie_order(order: list[Version], feats: dict[Version, Features]) -> list[int]:
    """Each position's rank among candidates of equal score: by when each was most likely
    published, the origin first, then by place in `order`.

    A page without a date is placed at the median of its story's dated pages: nothing says
    it came first or last, and a copy is most likely published when most of its story was.
    Ranking the undated after every dated page took, of two pages of one text, the one
    dated last in its story as the other's source."""
    times = [likely_time(feats[v].when) for v in order]
    dated = [t for t in times if t != math.inf]
    middle = statistics.median(dated) if dated else math.inf
    ranked = sorted(
        range(len(order)),
        key=lambda j: (j != 0, middle if times[j] == math.inf else times[j], times[j], j),
    )
    rank = [0] * len(order)
    for r, j in enumerate(ranked):
        rank[j] = r
    return rank


def _preferred(weight: dict[tuple[int, int], float]) -> dict[int, int]:
    """child -> the parent of its heaviest link, the first in `weight`'s order on a tie."""
    best: dict[int, int] = {}
    top: dict[int, float] = {}  # weight[c, best[c]], kept rather than looked up by its pair
    for (c, p), w in weight.items():
        if c not in top or w > top[c]:
            best[c], top[c] = p, w
    return best


def best_tree(weight: dict[tuple[int, int], float]) -> dict[int, int]:
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
    node = 1 + max(map(max, weight))  # (`max` of each pair in C: the runner-up trees' hot loop)
    inner = {c: weight[c, best[c]] for c in cycle}
    merged: dict[tuple[int, int], float] = {}
    source: dict[tuple[int, int], tuple[int, int]] = {}
    for link, w in weight.items():
        c, p = link
        if c in cycle and p in cycle:
            continue
        key, value = (
            ((node, p), w - inner[c]) if c in cycle else ((c, node if p in cycle else p), w)
        )
        known = merged.get(key)  # one look-up: a weight is never None
        if known is None or value > known:
            merged[key], source[key] = value, link
    tree = {}
    for key in best_tree(merged).items():
        c, p = source[key]
        tree[c] = p
    for c in cycle:
        tree.setdefault(c, best[c])
    return tree


@dataclass(frozen=True, slots=True)
class Choices:
    """A story's allowed links, `weight[child, parent]`, each child's links in that order,
    and the parent each child prefers: what the runner-up trees start from."""

    weight: dict[tuple[int, int], float]
    of_child: dict[int, list[tuple[int, float]]]
    preferred: dict[int, int]
    preferred_is_tree: bool

    @classmethod
    def of(cls, weight: dict[tuple[int, int], float]) -> Choices:
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


def other_parents(child: int, tree: dict[int, int], choices: Choices) -> list[tuple[int, float]]:
    """(parent, how much less the best tree with it scores) for the parents `child` could
    have instead of `tree[child]`: the closest first, until one falls `AMBIGUOUS_MARGIN`
    behind or `MAX_CANDIDATES` are found.

    A tree, not a lone link, is what is compared: when two versions are the
    same text, one can be the other's parent either way round, and the link
    is then as uncertain as the direction. The cap bounds a story of a thousand
    identical copies, where every copy is as good a parent as the next.
    """
    weight = choices.weight
    total = sum(weight[c, p] for c, p in tree.items())
    banned = {tree[child]}
    found: list[tuple[int, float]] = []
    while len(found) < MAX_CANDIDATES:
        pick = _first_best(choices.of_child[child], banned)
        if pick is None:
            return found
        if _only_link_changes(child, pick, choices):
            # the best tree is the preferred links, and so is this one but for `child`'s
            behind = weight[child, choices.preferred[child]] - weight[child, pick]
        else:
            rest = {k: w for k, w in weight.items() if k[0] != child or k[1] not in banned}
            alternative = best_tree(rest)
            pick = alternative[child]
            behind = total - sum(rest[c, p] for c, p in alternative.items())
        found.append((pick, behind))
        if behind >= AMBIGUOUS_MARGIN:
            return found
        banned.add(pick)
    return found


MAX_CANDIDATES = 5


def _only_link_changes(child: int, pick: int, choices: Choices) -> bool:
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
