"""docs/output-schema.md is the contract: every key the JSON carries is documented there."""

from __future__ import annotations

import json
import re
from pathlib import Path

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


def test_the_published_json_schema_validates_real_output() -> None:
    """docs/scan.schema.json is what consumers validate against: the samples' JSON, each of
    their JSON Lines, and a scan with every kind of `errors` entry and warning must pass it,
    and the schema must refuse what the contract rules out."""
    import io

    import jsonschema

    schema = json.loads((ROOT / "docs" / "scan.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    result = scan([str(SAMPLES)], ScanOptions())
    out = io.StringIO()
    JsonReporter().write(result, out)
    report = json.loads(out.getvalue())
    validator.validate(report)
    line = jsonschema.Draft202012Validator({"$defs": schema["$defs"], "$ref": "#/$defs/jsonl_line"})
    out = io.StringIO()
    JsonlReporter().write(result, out)
    for text in out.getvalue().split("\n")[:-1]:
        line.validate(json.loads(text))
    broken = json.loads(json.dumps(report))
    broken["stories"][0]["versions"][0]["relation"] = "cousin"
    assert not validator.is_valid(broken)
    del broken["summary"]["failed"]
    assert not validator.is_valid(broken)


def test_the_published_json_schema_validates_errors_and_warnings_of_every_kind(
    tmp_path: Path,
) -> None:
    import jsonschema

    schema = json.loads((ROOT / "docs" / "scan.schema.json").read_text(encoding="utf-8"))
    for sample in SAMPLES.glob("00[01]_*.txt"):
        (tmp_path / sample.name).write_bytes(sample.read_bytes())
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "slides.pdf").write_bytes(b"%PDF-1.7")
    (tmp_path / "feed.jsonl").write_text('{"text": "words", "published": "2026-02-30"}\n{\n')
    data = result_json(scan([str(tmp_path)], ScanOptions()))
    jsonschema.Draft202012Validator(schema).validate(json.loads(json.dumps(data)))
    assert {e["kind"] for e in data["errors"]} == {"skipped", "unsupported"}
    assert data["warnings"] and data["stories"]
