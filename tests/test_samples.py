"""The real captures in samples/: the stories the issue names, plus a golden file of the lineage."""

from __future__ import annotations

import json
from collections.abc import Callable

from conftest import SAMPLES

from newsdedup.diff import VersionDiff
from newsdedup.pipeline import ScanOptions, ScanResult, scan
from newsdedup.provenance import StoryReport, VersionReport
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


def _story_with(result: ScanResult, prefix: str) -> StoryReport:
    return next(s for s in result.stories if prefix in {v.version.doc_id[:3] for v in s.versions})


def _by_prefix(story: StoryReport) -> dict[str, list[VersionReport]]:
    found: dict[str, list[VersionReport]] = {}
    for report in story.versions:
        found.setdefault(report.version.doc_id[:3], []).append(report)
    return found


def _section(result: ScanResult, report: VersionReport) -> str:
    """The aggregator section marker ("[2]") that precedes a version of 003."""
    text = next(d.text for d in result.documents if d.id == report.version.doc_id)
    start = result.segments_of(report.version.doc_id)[report.version.segments[0]].start
    return text[:start].rsplit("\n[", 1)[1].split("]", 1)[0]


def test_reuters_lineage() -> None:
    result = _scan()
    story = _story_with(result, "001")
    versions = _by_prefix(story)
    origin = next(r for r in story.versions if r.parent is None)
    assert (
        origin.version.doc_id.startswith("003") and _section(result, origin) == "2"
    )  # the dateline
    sections = {_section(result, r): r for r in versions["003"]}
    assert set(sections) == {"2", "4", "5"}
    assert sections["5"].relation == "duplicate" and sections["5"].parent == origin.version
    economic_times = sections["4"]
    assert economic_times.relation == "light-edit"  # Jaccard 0.91, but the credit dropped
    assert any("credit of the parent dropped" in e.detail for e in economic_times.evidence)
    (rewrite,) = versions["001"]
    assert rewrite.parent == origin.version and rewrite.relation == "rewrite"
    (repost,) = versions["000"]
    assert repost.parent == rewrite.version  # copy of the copy, not of the origin
    assert any(e.kind == "attribution" and "cryptopolitan" in e.detail for e in repost.evidence)
    (paraphrase,) = versions["002"]
    assert paraphrase.parent in {rewrite.version, origin.version}


def test_bloomberg_lineage() -> None:
    result = _scan()
    story = _story_with(result, "004")
    origin = next(r for r in story.versions if r.parent is None)
    assert origin.version.doc_id.startswith("003") and _section(result, origin) == "1"
    (paraphrase,) = _by_prefix(story)["004"]
    assert paraphrase.relation == "paraphrase" and paraphrase.parent == origin.version


def test_lineage_matches_golden(golden: Callable[[str, str], None]) -> None:
    data = result_json(_scan())
    lineage = [
        {
            "origin": s["origin"],
            "versions": [
                {k: v[k] for k in ("document", "segment", "segments", "link", "parent", "relation")}
                for v in s["versions"]
            ],
        }
        for s in data["stories"]
    ]
    golden("samples_lineage.json", json.dumps(lineage, indent=2, sort_keys=True) + "\n")


def _diff_of(result: ScanResult, story: StoryReport, report: VersionReport) -> VersionDiff:
    return result.diffs[(story.id, report.version.key)]


def test_what_changed_on_the_samples() -> None:
    result = _scan()
    story = _story_with(result, "001")
    versions = _by_prefix(story)
    (repost,) = versions["000"]
    repost_diff = _diff_of(result, story, repost)
    kinds = {n.kind for n in repost_diff.notes}
    assert "attribution-added" in kinds and "boilerplate-added" in kinds
    assert any("cryptopolitan.com" in p.text for p in repost_diff.added)
    assert not repost_diff.changed and not {"credit-removed", "quote-changed"} & kinds
    economic_times = next(r for r in versions["003"] if r.relation == "light-edit")
    et_diff = _diff_of(result, story, economic_times)
    et_kinds = {n.kind for n in et_diff.notes}
    assert {"credit-removed", "dateline-removed"} <= et_kinds
    assert any(n.kind == "style-only" and "U.S. → US" in n.detail for n in et_diff.notes)
    (rewrite,) = versions["001"]
    rewrite_diff = _diff_of(result, story, rewrite)
    assert len(rewrite_diff.changed) >= 5
    assert "credit-removed" in {n.kind for n in rewrite_diff.notes}


def test_a_parent_on_the_aggregator_page_is_its_section_not_the_page() -> None:
    """003 embeds five articles; 001's parent is its Reuters section and 004's its
    Bloomberg section. The other sections are other articles, not text 001 or 004
    removed (they used to show as "-63 paragraphs" and "-65 paragraphs"), and
    Reuters' dateline in another section is no credit the Bloomberg copy dropped."""
    result = _scan()
    reuters = _story_with(result, "001")
    (rewrite,) = _by_prefix(reuters)["001"]
    removed = _diff_of(result, reuters, rewrite).removed
    assert 0 < len(removed) <= 8
    assert not any("AI reality check" in p.text for p in removed)  # 003's third article
    bloomberg = _story_with(result, "004")
    (paraphrase,) = _by_prefix(bloomberg)["004"]
    diff = _diff_of(result, bloomberg, paraphrase)
    assert len(diff.removed) <= 8
    assert not {"credit-removed", "dateline-removed"} & {n.kind for n in diff.notes}
