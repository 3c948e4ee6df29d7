"""Story grouping: aggregators never bridge, boilerplate never links, paraphrases can join."""

from __future__ import annotations

import numpy as np
from helpers import doc, run, story_docs

from newsdedup.cluster import _boilerplate_groups, _Carriers, _nested_into_container

WIRE_A = [
    "The central bank raised its benchmark interest rate by a quarter of a percentage point on Tuesday, its third increase this year.",
    "Policymakers said inflation in services remained stubbornly high while the labour market stayed tight and wage growth showed few signs of slowing.",
    "Two members of the nine-person committee voted to keep rates unchanged, arguing that earlier increases had yet to work through the economy.",
    "Markets had largely priced in the move, and the currency was little changed against the dollar in late trading after the announcement.",
]
WIRE_B = [
    "Heavy rain flooded several districts of the coastal city overnight, forcing hundreds of families from their homes before dawn.",
    "Emergency crews used boats to reach stranded residents, and officials opened three schools as temporary shelters for the displaced.",
    "The national weather service warned that more storms were expected before the weekend and urged people to avoid the river banks.",
    "The mayor said damage to roads and bridges would take weeks to assess and asked the regional government for emergency funds.",
]
FOOTER = "Disclaimer: the information on this page is not investment advice and Example Media holds no liability for any decisions."


def _text(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


def test_copies_of_one_story_form_one_story() -> None:
    result = run(
        doc("a", _text(*WIRE_A)),
        doc("b", _text("Site header for a news portal with many links", *WIRE_A[:3])),
        doc("c", _text(*WIRE_A[1:])),
    )
    assert story_docs(result) == [{"a", "b", "c"}]


def test_aggregator_page_joins_both_stories_and_bridges_neither() -> None:
    aggregator = "\n".join(["[1]", " ".join(WIRE_A), "[2]", " ".join(WIRE_B)])
    result = run(
        doc("wire-a", _text(*WIRE_A)),
        doc("copy-a", _text(*WIRE_A[:3])),
        doc("wire-b", _text(*WIRE_B)),
        doc("copy-b", _text(*WIRE_B[1:])),
        doc("agg", aggregator),
    )
    groups = sorted(story_docs(result), key=sorted)
    assert groups == [{"agg", "copy-a", "wire-a"}, {"agg", "copy-b", "wire-b"}]


def test_shared_boilerplate_alone_never_links_articles() -> None:
    result = run(
        doc("x", _text(WIRE_A[0], WIRE_A[1], FOOTER)),
        doc("y", _text(WIRE_B[0], WIRE_B[1], FOOTER)),
    )
    assert result.stories == ()
    assert result.boilerplate[result.table.rows("x").start + 2]


def test_one_sites_template_does_not_link_its_stories() -> None:
    template = "Read the latest headlines from around the world every morning with the Example Daily briefing team."
    result = run(
        doc("x", _text(template, WIRE_A[0], WIRE_A[1]), site="example.com"),
        doc("y", _text(template, WIRE_B[0], WIRE_B[1]), site="example.com"),
        doc("z", _text(WIRE_A[0], WIRE_A[1]), site="other.org"),
    )
    assert story_docs(result) == [{"x", "z"}]


def test_story_ids_are_stable_and_order_independent() -> None:
    docs = [doc("a", _text(*WIRE_A)), doc("b", _text(*WIRE_A[:2])), doc("c", _text(*WIRE_B))]
    first = run(*docs)
    second = run(*reversed(docs))
    assert [s.id for s in first.stories] == [s.id for s in second.stories]
    assert first.stories[0].id.startswith("story-")


def _layout(blocks: dict[int, list[int]]) -> tuple[dict[int, list[int]], np.ndarray, np.ndarray]:
    """Rows of each story on two pages, at the given paragraph numbers on both."""
    rows_of_story: dict[int, list[int]] = {}
    doc_of_row: list[int] = []
    block_of_row: list[int] = []
    for story, story_blocks in blocks.items():
        rows_of_story[story] = []
        for page in (0, 1):
            for block in story_blocks:
                rows_of_story[story].append(len(doc_of_row))
                doc_of_row.append(page)
                block_of_row.append(block)
    return rows_of_story, np.array(doc_of_row), np.array(block_of_row)


def test_a_piece_of_a_story_folds_into_the_story_it_lies_inside_on_every_page() -> None:
    """Three results over the same two pages, none larger: a one-paragraph piece (a quote
    matched on its own) inside story 1's paragraphs on both pages joins story 1; story 2,
    far down both pages, does not. A piece inside two stories is ambiguous and stays."""
    found: list[tuple[list[int], list[int]]] = [([0], []), ([1], []), ([2], [])]
    apart = _layout({0: [7], 1: list(range(5, 13)), 2: list(range(30, 36))})
    assert _nested_into_container(found, *apart) == [([0, 1], []), ([2], [])]
    inside_both = _layout({0: [7], 1: list(range(5, 13)), 2: list(range(6, 10))})
    assert _nested_into_container(found, *inside_both) == found


def test_a_passage_only_one_sites_pages_carry_is_its_template_whatever_lies_between() -> None:
    """Group 0 is on two pages of site a, group 3 on pages of sites a and b; group 2, on one
    page of site b, lies between them in the carriers' order and must not count for either."""
    groups = np.array([0, 0, 2, 3, 3])  # each row's passage group: its smallest row
    doc_of_row = np.array([0, 1, 2, 1, 2])
    carried = _Carriers.of(groups, doc_of_row)
    assert carried.group.tolist() == [0, 3]
    assert [carried.docs(k) for k in range(2)] == [[0, 1], [1, 2]]
    sites: dict[str, str | None] = {"d0": "a", "d1": "a", "d2": "b"}
    chrome = np.zeros(5, dtype=bool)
    page_text = (doc_of_row, np.full(5, 20))  # each row 20 shingles of page text
    ids = ["d0", "d1", "d2"]
    assert _boilerplate_groups(groups, chrome, carried, ids, sites, 4, page_text) == {0}
    sites["d1"] = None  # a page of unknown site could be anyone's
    assert _boilerplate_groups(groups, chrome, carried, ids, sites, 4, page_text) == set()


def test_a_digest_written_as_one_line_bridges_nothing_and_each_version_is_its_section() -> None:
    """A digest page that strings two articles along one line: the window holding the end
    of one and the start of the other contains a paragraph of each, and must join neither
    story to the other; each story's version on the page spans its own section only."""
    digest = " ".join(["Morning Digest - today's stories: [1]", *WIRE_A, "[2]", *WIRE_B])
    result = run(
        doc("wire-a", _text(*WIRE_A)),
        doc("copy-a", _text(*WIRE_A)),
        doc("wire-b", _text(*WIRE_B)),
        doc("copy-b", _text(*WIRE_B)),
        doc("digest", digest),
    )
    groups = sorted(story_docs(result), key=sorted)
    assert groups == [{"copy-a", "digest", "wire-a"}, {"copy-b", "digest", "wire-b"}]
    segments = result.segments_of("digest")
    for story in result.stories:
        (version,) = [v.version for v in story.versions if v.version.doc_id == "digest"]
        text = " ".join(segments[i].text for i in version.segments)
        other = WIRE_B if "wire-a" in {v.version.doc_id for v in story.versions} else WIRE_A
        assert not any(p[:60] in text for p in other[1:]), text
