"""The real captures in samples/: the stories the issue names, plus a golden file of the lineage."""

from __future__ import annotations

import json
from collections.abc import Callable

from conftest import SAMPLES

from newsdedup.pipeline import ScanOptions, ScanResult, scan
from newsdedup.report import result_json


def _scan() -> ScanResult:
    return scan([str(SAMPLES)], ScanOptions())


def _prefixes(result: ScanResult) -> list[set[str]]:
    return [{v.version.doc_id[:3] for v in s.versions} for s in result.stories]


def test_reuters_and_bloomberg_stories_are_found_and_kept_apart() -> None:
    stories = _prefixes(_scan())
    assert {"000", "001", "002", "003"} in stories  # Reuters wire, its copies and the aggregator
    assert any({"003", "004"} <= s for s in stories)  # Bloomberg section and its paraphrase
    for s in stories:
        assert not {"001", "004"} <= s and not {"000", "004"} <= s


def test_aggregator_sections_are_separate_versions_of_the_reuters_story() -> None:
    result = _scan()
    reuters = next(s for s in result.stories if "001" in {v.version.doc_id[:3] for v in s.versions})
    sections = [v.version for v in reuters.versions if v.version.doc_id.startswith("003")]
    assert len(sections) == 3  # [2] Reuters, [4] Economic Times, [5] Reuters again
    assert reuters.origin.doc_id.startswith(
        "003"
    )  # the section carrying the "(Reuters) -" dateline


def test_lineage_matches_golden(golden: Callable[[str, str], None]) -> None:
    data = result_json(_scan())
    lineage = [
        {
            "origin": s["origin"],
            "versions": [
                {k: v[k] for k in ("document", "segment", "segments", "link", "parent")}
                for v in s["versions"]
            ],
        }
        for s in data["stories"]
    ]
    golden("samples_lineage.json", json.dumps(lineage, indent=2, sort_keys=True) + "\n")
