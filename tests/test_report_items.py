"""The JSON report's documents and stories are written by orjson (`report.json._compact_item`):
the same text `json.dumps` gives them, including where orjson would not write it alone."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdedup.pipeline import ScanOptions, scan
from newsdedup.report import json as report_json

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SCORES = ("similarity", "containment", "confidence")

# Any text (control characters, quotes, backslashes, astral characters, lone surrogates, as
# from a file name that is not UTF-8) and any integer (past 64 bits too).
_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(-(2**70), 2**70),
    st.text(),
    st.text(st.characters(codec=None, max_codepoint=0x7F)),
    st.text(st.sampled_from('"\\\x00\x1f\x7f\u2028\ud800\udfff\U0001f600é')),
)
_value = st.recursive(
    _leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)
# A score as `_version_json` writes it: rounded to FLOAT_DIGITS, or not finite.
_score = st.floats(allow_nan=True, allow_infinity=True, width=64).map(
    lambda x: round(x, report_json.FLOAT_DIGITS) if math.isfinite(x) else x
) | st.floats(-1.0, 2.0).map(lambda x: round(x, report_json.FLOAT_DIGITS))


@st.composite
def _story(draw: st.DrawFn) -> dict[str, Any]:
    versions = [
        {
            "document": draw(st.text()),
            **{k: draw(_score) for k in SCORES},
            "candidates": [
                {"document": draw(st.text()), "score": draw(_score)}
                for _ in range(draw(st.integers(0, 3)))
            ],
            "diff": draw(_value),
        }
        for _ in range(draw(st.integers(0, 3)))
    ]
    return {"id": draw(st.text()), "versions": versions, "error": draw(_value)}


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.text(), _value, max_size=6))
def test_a_document_like_object_reads_as_json_writes_it(value: dict[str, Any]) -> None:
    assert report_json._compact_item(value) == report_json._compact(value)


@settings(max_examples=150, deadline=None)
@given(_story())
def test_a_story_like_object_reads_as_json_writes_it_scores_and_all(value: dict[str, Any]) -> None:
    assert report_json._compact_item(value) == report_json._compact(value)


def _floats(value: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Where the floats of `value` sit: the keys down to each, lists not counted."""
    if isinstance(value, float):
        return [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _floats(v, (*path, k))]
    if isinstance(value, list | tuple):
        return [p for v in value for p in _floats(v, path)]
    return []


def test_the_report_s_only_floats_are_the_scores_that_compact_item_checks() -> None:
    """`_compact_item` trusts orjson with the floats it checks are finite (`_finite_scores`):
    a new float field elsewhere in a document or a story must be checked too."""
    result = scan([str(SAMPLES)], ScanOptions())
    documents = [report_json.document_json(result, d) for d in result.described()]
    stories = [report_json.story_json(result, s) for s in result.stories]
    assert stories and any(v["candidates"] for s in stories for v in s["versions"])
    places = {p for item in [*documents, *stories] for p in _floats(item)}
    assert places <= {*(("versions", k) for k in SCORES), ("versions", "candidates", "score")}
    assert ("versions", "similarity") in places
