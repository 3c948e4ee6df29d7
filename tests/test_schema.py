"""docs/output-schema.md is the contract: every key the JSON carries is documented there."""

from __future__ import annotations

import json
import re

from conftest import ROOT, SAMPLES

from newsdedup.pipeline import ScanOptions, scan
from newsdedup.report import (
    REPORTERS,
    SCHEMA_VERSION,
    Format,
    JsonlReporter,
    JsonReporter,
    result_json,
)

SCHEMA_DOC = (ROOT / "docs" / "output-schema.md").read_text(encoding="utf-8")
DOCUMENTED = set(re.findall(r"`([a-z_]+)`", SCHEMA_DOC))


def _keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_doc_names_the_current_schema_version() -> None:
    assert f'**Current `schema_version`: `"{SCHEMA_VERSION}"`**' in SCHEMA_DOC


def test_every_json_key_is_documented() -> None:
    data = result_json(scan([str(SAMPLES)], ScanOptions()))
    undocumented = _keys({k: v for k, v in data.items() if k != "parameters"}) - DOCUMENTED
    assert not undocumented, f"document these keys in docs/output-schema.md: {sorted(undocumented)}"
    assert data["schema_version"] == SCHEMA_VERSION
    for story in data["stories"]:
        assert story["origin"] in [
            {"document": v["document"], "segment": v["segment"]} for v in story["versions"]
        ]
        assert sum(v["parent"] is None for v in story["versions"]) == 1
        for version in story["versions"]:
            assert 0.0 <= version["similarity"] <= 1.0 and 0.0 <= version["containment"] <= 1.0
            assert version["segment"] == version["segments"][0]


def test_jsonl_lines_carry_the_same_stories_as_json() -> None:
    import io

    result = scan([str(SAMPLES)], ScanOptions())
    out = io.StringIO()
    JsonlReporter().write(result, out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["id"] for line in lines] == [s["id"] for s in result_json(result)["stories"]]
    assert _keys(lines) - DOCUMENTED == set()


def test_every_format_has_a_reporter() -> None:
    assert set(REPORTERS) == set(Format)
    assert all(callable(getattr(r, "write", None)) for r in REPORTERS.values())


def test_streamed_json_is_one_compact_document() -> None:
    import io

    result = scan([str(SAMPLES)], ScanOptions())
    out = io.StringIO()
    JsonReporter().write(result, out)
    whole = json.dumps(result_json(result), ensure_ascii=False, separators=(",", ":"))
    assert out.getvalue() == whole + "\n"
    assert json.loads(out.getvalue())["stories"]
