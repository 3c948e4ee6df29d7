"""`diff._quote_units` (the quoted sentences a set per side, sides without quotations
skipped) joins the quotations the definition joins, which asks every sentence of every group
whether it is quoted and scans every quotation (`_touching`), on sides of sentences and
quotations laid out at random and groups pairing them at random."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import given
from hypothesis import strategies as st

from newsdedup.diff import _Group, _quote_units, _Sentence, _Side, _touching, _Words

_LAYOUT = st.tuples(
    st.lists(st.integers(1, 9), min_size=1, max_size=8),  # sentence widths
    st.lists(st.tuples(st.integers(0, 12), st.integers(0, 6)), max_size=4),  # quotations
)


def _side(layout: tuple[list[int], list[tuple[int, int]]]) -> _Side:
    widths, gaps = layout
    quotes, at = [], 0
    for gap, width in gaps:  # in order, none overlapping, as one pass over pieces finds them
        quotes.append((at + gap, at + gap + width, "q"))
        at += gap + width
    words, sentences, at = _Words(("w",), ("w",), (False,)), [], 0
    for width in widths:
        quoted = any(a < at + width and b > at for a, b, _ in quotes)
        sentences.append(_Sentence(0, at, at + width, 0, 0, False, words, quoted))
        at += width
    return _Side([], sentences, quotes=quotes)


def _units_each(groups: list[_Group], c: _Side, p: _Side) -> list[list[tuple[int, int]]]:
    """The definition: every group asked of each of its sentences, every quotation scanned."""
    parent: dict[tuple[int, int], tuple[int, int]] = {}

    def root(node: tuple[int, int]) -> tuple[int, int]:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for g in groups:
        if not any(p.sentences[j].quoted for j in g.ps) and not any(
            c.sentences[i].quoted for i in g.cs
        ):
            continue
        nodes = [(0, q) for q in _touching(p, g.ps)] + [(1, q) for q in _touching(c, g.cs)]
        for node in nodes:
            parent[root(node)] = root(nodes[0])
    units: defaultdict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for node in sorted(parent):
        units[root(node)].append(node)
    return list(units.values())


@given(_LAYOUT, _LAYOUT, st.data())
def test_quotations_join_through_the_groups_as_the_definition_joins_them(
    before: tuple[list[int], list[tuple[int, int]]],
    after: tuple[list[int], list[tuple[int, int]]],
    data: st.DataObject,
) -> None:
    p, c = _side(before), _side(after)
    pairs = data.draw(
        st.lists(
            st.tuples(
                st.lists(st.integers(0, len(c.sentences) - 1), min_size=1, max_size=2),
                st.lists(st.integers(0, len(p.sentences) - 1), min_size=1, max_size=2),
            ),
            max_size=6,
        )
    )
    groups = [_Group(sorted(set(cs)), sorted(set(ps)), 1) for cs, ps in pairs]
    assert _quote_units(groups, c, p) == _units_each(groups, c, p)
