"""The diff's side cache (`_SideCache`, found by the segments' identities) against `_build`
itself: the side it gives is always the one built from the segments and chrome asked for,
whichever sides it holds, evicts or is asked for again."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsdedup.diff import _build, _SideCache
from newsdedup.records import Segment

_LINES = [
    "Shares rose 5% on Monday.",
    "The minister said the plan would go ahead.",
    "Sign up for our newsletter.",
    "(Reporting by Jane Doe; Editing by John Smith)",
    "Prices fell for a third month.",
]


def _page(lines: list[int]) -> list[Segment]:
    """A page of one-line paragraphs, as the segmenter cuts them."""
    segments, start = [], 0
    for n, k in enumerate(lines):
        text = _LINES[k]
        segments.append(Segment("d", n, start, start + len(text), text, n))
        start += len(text) + 2
    return segments


# Each call: which page, which of its segments (a side is a subset of its page's), which chrome,
# and whether the segments come as the page's own objects or as equal copies.
_CALLS = st.lists(
    st.tuples(
        st.integers(0, 2),
        st.lists(st.booleans(), min_size=6, max_size=6),
        st.sets(st.integers(0, 5), max_size=2),
        st.booleans(),
    ),
    min_size=1,
    max_size=30,
)


@given(
    st.lists(st.lists(st.integers(0, 4), min_size=1, max_size=6), min_size=3, max_size=3), _CALLS
)
def test_the_side_cache_gives_the_side_built_from_what_is_asked(
    pages: list[list[int]], calls: list[tuple[int, list[bool], set[int], bool]]
) -> None:
    built = [_page(lines) for lines in pages]
    cache = _SideCache(3)  # small: sides are evicted and built again
    for page, kept, chrome, copied in calls:
        segments = [s for s, keep in zip(built[page], kept, strict=False) if keep]
        if copied:
            segments = [
                Segment(s.doc_id, s.index, s.start, s.end, s.text, s.block) for s in segments
            ]
        side = cache(segments, frozenset(chrome))
        assert side == _build(tuple(segments), frozenset(chrome))
        assert cache(segments, frozenset(chrome)) is side  # asked again: the side kept
    assert len(cache._kept) <= 3
