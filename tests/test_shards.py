"""`scan -o DIR/`: the report as JSON Lines shards and a manifest, on the local engine (the
dask engine's shards, written by its workers, are tested in test_dask_engine.py).

The contract: the shards' lines, read in the manifest's order, are the `documents` and
`stories` of `--format json`, object for object and byte for byte; the manifest is written
last and carries the rest of the report; a destination that cannot take the shards is one
line on stderr and exit 2, before any scanning.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES
from typer.testing import CliRunner

from newsdedup.cli import app
from newsdedup.engines.local import LocalEngine
from newsdedup.pipeline import ScanOptions
from newsdedup.report import shards as shards_module
from newsdedup.report.shards import (
    MANIFEST,
    Destination,
    ShardOutputError,
    read_report,
)

runner = CliRunner()


@pytest.fixture(scope="module")
def report_json() -> str:
    """The samples' `--format json`, the answer every shard directory must give."""
    found = runner.invoke(app, ["scan", str(SAMPLES), "-f", "json", "-q"])
    assert found.exit_code == 0, found.stderr
    return found.stdout


def _compact(report: dict[str, object]) -> str:
    return json.dumps(report, ensure_ascii=False, separators=(",", ":")) + "\n"


def test_samples_shards_read_back_are_the_json_report(tmp_path: Path, report_json: str) -> None:
    out = tmp_path / "out"
    found = runner.invoke(app, ["scan", str(SAMPLES), "-o", f"{out}/", "-f", "jsonl"])
    assert found.exit_code == 0, found.stderr
    assert found.stdout == ""
    assert found.stderr.splitlines()[-1] == "newsdedup: 5 documents, 2 stories, 0 skipped"
    assert sorted(p.name for p in out.iterdir()) == [
        "documents-00000.jsonl",
        MANIFEST,
        "stories-00000.jsonl",
    ]
    assert _compact(read_report(Destination.of(f"{out}/"))) == report_json
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["format"] == {"name": "newsdedup-shards", "version": "1.0"}
    assert manifest["documents"] == [{"path": "documents-00000.jsonl", "lines": 5}]
    assert manifest["stories"] == [{"path": "stories-00000.jsonl", "lines": 2}]


def test_many_shards_in_order_same_bytes_run_to_run(
    tmp_path: Path, report_json: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Shards of 2 documents and 1 story: read in the manifest's order they are still the
    report; a second run writes the same files, byte for byte; the manifest and every line
    pass docs/scan.schema.json."""
    import jsonschema

    monkeypatch.setattr(shards_module, "DOCUMENTS_PER_SHARD", 2)
    monkeypatch.setattr(shards_module, "STORIES_PER_SHARD", 1)
    runs = []
    for name in ("one", "two"):
        destination = Destination.of(f"{tmp_path / name}/")
        destination.prepare()
        LocalEngine().scan_to([str(SAMPLES)], ScanOptions(), destination)
        runs.append({p.name: p.read_bytes() for p in sorted((tmp_path / name).iterdir())})
    assert runs[0] == runs[1]
    assert sorted(runs[0]) == [
        "documents-00000.jsonl",
        "documents-00001.jsonl",
        "documents-00002.jsonl",
        MANIFEST,
        "stories-00000.jsonl",
        "stories-00001.jsonl",
    ]
    assert _compact(read_report(Destination.of(f"{tmp_path / 'one'}/"))) == report_json
    schema = json.loads((ROOT / "docs" / "scan.schema.json").read_text(encoding="utf-8"))

    def validator(name: str) -> jsonschema.Draft202012Validator:
        return jsonschema.Draft202012Validator(
            {"$defs": schema["$defs"], "$ref": f"#/$defs/{name}"}
        )

    validator("shards_manifest").validate(json.loads(runs[0][MANIFEST]))
    for name, data in runs[0].items():
        kind = {"documents": "document", "stories": "story"}.get(name.split("-")[0])
        for line in data.decode().splitlines() if kind else ():
            validator(kind).validate(json.loads(line))


def test_a_file_url_is_a_directory_too(tmp_path: Path, report_json: str) -> None:
    """fsspec (the dask extra) writes an fsspec URL: `file://` here, `s3://` alike."""
    pytest.importorskip("fsspec", reason="the dask extra is not installed")
    url = f"file://{tmp_path}/out/"
    found = runner.invoke(app, ["scan", str(SAMPLES), "-q", "-o", url])
    assert found.exit_code == 0, found.stderr
    assert _compact(read_report(Destination.of(url))) == report_json


def _refused(args: list[str]) -> str:
    found = runner.invoke(app, ["scan", str(SAMPLES), "-q", *args])
    assert found.exit_code == 2, found.stderr
    assert found.stdout == ""
    lines = found.stderr.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_a_directory_not_empty_is_refused_and_left_alone(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    assert _refused(["-o", f"{tmp_path}/"]) == (
        f"newsdedup: cannot write {tmp_path}/: not empty "
        "(a scan writes its shards into a new or empty directory)"
    )
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_destinations_that_cannot_be_written_are_one_line(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    assert _refused(["-o", f"{tmp_path}/file/"]) == (
        f"newsdedup: cannot write {tmp_path}/file/: not a directory"
    )
    assert _refused(["-o", f"{tmp_path}/file/under/"]) == (
        f"newsdedup: cannot write {tmp_path}/file/under/: Not a directory"
    )
    assert _refused(["-o", "file:///tmp/no-slash"]) == (
        "newsdedup: --output file:///tmp/no-slash: a URL names a directory of shards, end it with /"
    )
    assert _refused(["-o", f"{tmp_path}/new/", "-f", "json"]) == (
        f"newsdedup: --output {tmp_path}/new/ is a directory of JSON Lines shards, "
        "not --format json"
    )
    assert not (tmp_path / "new").exists()


def test_a_directory_without_its_manifest_is_an_unfinished_scan(tmp_path: Path) -> None:
    destination = Destination.of(f"{tmp_path}/")
    destination.write("documents-00000.jsonl", b"{}\n")
    with pytest.raises(
        ShardOutputError, match=r"has no manifest\.json: a scan that did not finish"
    ):
        read_report(destination)
