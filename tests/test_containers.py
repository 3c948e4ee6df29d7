"""Containers: crawl archives (WARC), compressed JSON Lines and text, CSV and TSV tables.

The samples packed into one `.warc.gz`, one `.jsonl.gz` and one `.csv` give the stories,
origins and diffs of the samples folder; each container with a record broken in the middle
reports it by position and reads on."""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import json
import lzma
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import zstandard
from conftest import SAMPLES
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsdedup.cli import app
from newsdedup.ingest import iter_documents
from newsdedup.pipeline import ScanOptions, ScanResult, scan
from newsdedup.records import Document, Notice, Skipped
from newsdedup.report import result_json

runner = CliRunner()
SAMPLE_FILES = sorted(SAMPLES.glob("*.txt"))
_URL = "https://example.org/"


def _record(
    writer: WARCWriter,
    uri: str,
    body: bytes,
    content_type: str = "text/plain; charset=utf-8",
    kind: str = "response",
    status: str = "200 OK",
) -> None:
    http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(uri, kind, payload=io.BytesIO(body), http_headers=http)
    )


def _warc(path: Path, records: list[tuple[str, bytes]], *, gz: bool = True) -> list[int]:
    """An archive of text pages; the offset each record starts at."""
    offsets = []
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gz)
        for uri, body in records:
            offsets.append(handle.tell())
            _record(writer, uri, body)
    return offsets


def _samples() -> list[tuple[str, str]]:
    return [(p.name, p.read_text(encoding="utf-8")) for p in SAMPLE_FILES]


def _packed(kind: str, folder: Path) -> tuple[Path, Callable[[str], str]]:
    """The samples in one container, and how its document ids name the sample files."""
    if kind == "warc.gz":
        path = folder / "crawl.warc.gz"
        _warc(path, [(_URL + name, text.encode()) for name, text in _samples()])
        return path, lambda doc_id: doc_id.removeprefix(_URL)
    if kind == "jsonl.gz":
        path = folder / "feed.jsonl.gz"
        with gzip.open(path, "wt", encoding="utf-8") as out:
            out.writelines(json.dumps({"id": n, "text": t}) + "\n" for n, t in _samples())
        return path, str
    path = folder / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        table = csv.writer(out)
        table.writerow(["id", "text"])
        table.writerows(_samples())
    return path, str


def _shape(result: ScanResult, name: Callable[[str], str]) -> list[Any]:
    """Stories, origins, parents, relations and diffs, with documents named as sample files."""

    def ref(value: Any) -> Any:
        return None if value is None else {**value, "document": name(value["document"])}

    shape = []
    for story in result_json(result)["stories"]:
        versions = [
            {
                "document": name(v["document"]),
                "segments": v["segments"],
                "parent": ref(v["parent"]),
                "relation": v["relation"],
                "diff": v["diff"],
            }
            for v in story["versions"]
        ]
        shape.append({"origin": ref(story["origin"]), "versions": versions})
    return sorted(shape, key=json.dumps)


@pytest.fixture(scope="module")
def folder_shape() -> list[Any]:
    return _shape(scan([str(SAMPLES)], ScanOptions()), str)


@pytest.mark.parametrize("kind", ["warc.gz", "jsonl.gz", "csv"])
def test_the_samples_packed_in_a_container_give_the_folders_stories(
    kind: str, tmp_path: Path, folder_shape: list[Any]
) -> None:
    path, name = _packed(kind, tmp_path)
    result = scan([str(path)], ScanOptions())
    assert not result.skipped and not result.failures
    assert sorted(name(d.id) for d in result.documents) == [p.name for p in SAMPLE_FILES]
    assert len(result.stories) == 2
    assert _shape(result, name) == folder_shape


def _items(path: Path, **kwargs: Any) -> list[Any]:
    return list(iter_documents([str(path)], **kwargs))


_PAGES = [
    ("one", "The council approved the new budget on Tuesday after a long debate."),
    ("two", "The second page of the crawl, about a harbour and its ferries."),
    ("three", "Rain is expected across the north of the country from Thursday."),
]


@pytest.mark.parametrize("gz", [True, False], ids=["warc.gz", "warc"])
def test_a_broken_warc_record_is_reported_at_its_offset_and_the_rest_is_read(
    tmp_path: Path, gz: bool
) -> None:
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    offsets = _warc(path, [(_URL + n, t.encode()) for n, t in _PAGES], gz=gz)
    data = bytearray(path.read_bytes())
    if gz:  # deflated bytes of the second record overwritten
        data[offsets[1] + 40 : offsets[1] + 80] = b"\x00" * 40
    else:  # the second record's header no WARC header
        data[offsets[1] : offsets[1] + 8] = b"WORC/9.9"
    path.write_bytes(bytes(data))
    items = _items(tmp_path)
    assert [d.id for d in items if isinstance(d, Document)] == [_URL + "one", _URL + "three"]
    [broken] = [s for s in items if isinstance(s, Skipped)]
    assert broken.path == f"{path.name}#{offsets[1]}" and "cannot be read" in broken.reason


def test_a_warc_reads_pages_and_counts_what_it_passes_over(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    page = (
        "<html><head><title>Budget</title></head><body><article><p>Předseda vlády řekl, že "
        "rozpočet projde.</p></article></body></html>"
    ).encode("iso-8859-2")
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        _record(writer, _URL + "cz", page, "text/html; charset=iso-8859-2")  # the header says
        _record(writer, _URL + "logo.png", b"\x89PNG....", "image/png")
        _record(writer, _URL + "gone", b"<html>gone</html>", "text/html", status="404 Not Found")
        _record(writer, _URL + "cz", b"<html>again</html>", "text/html", kind="revisit")
    items = _items(tmp_path)
    [doc] = [d for d in items if isinstance(d, Document)]
    assert doc.id == doc.url == _URL + "cz" and doc.format == "warc"
    assert doc.text == "Předseda vlády řekl, že rozpočet projde."
    [notice] = [n for n in items if isinstance(n, Notice)]
    assert notice.path == "crawl.warc.gz"
    assert all(k in notice.message for k in ("1 image/png", "1 status 404", "1 revisit"))


def test_a_page_declaring_its_charset_is_decoded_as_declared(tmp_path: Path) -> None:
    page = '<html><head><meta charset="iso-8859-2"></head><body><p>Předseda vlády řekl.</p>'
    (tmp_path / "page.html").write_bytes(page.encode("iso-8859-2"))
    (tmp_path / "saved.html").write_bytes(page.encode("utf-8"))  # saved again, meta kept
    docs = [d for d in _items(tmp_path) if isinstance(d, Document)]
    # detection alone read "Pøedseda vlády øekl"; a declaration UTF-8 bytes contradict is not
    assert [d.text for d in docs] == ["Předseda vlády řekl."] * 2


_CODECS: dict[str, Callable[[bytes], bytes]] = {
    "gz": gzip.compress,
    "bz2": bz2.compress,
    "xz": lzma.compress,
    "zst": zstandard.ZstdCompressor().compress,
}


@pytest.mark.parametrize("suffix", sorted(_CODECS))
def test_compressed_json_lines_with_a_broken_record_and_a_broken_end(
    tmp_path: Path, suffix: str
) -> None:
    lines = [json.dumps({"id": n, "text": t}) for n, t in _PAGES]
    lines[1] = lines[1][:25]  # a record broken in the middle
    data = _CODECS[suffix](("\n".join(lines) + "\n").encode())
    whole = tmp_path / "whole" / f"feed.jsonl.{suffix}"
    whole.parent.mkdir()
    whole.write_bytes(data)
    items = _items(whole.parent)
    assert [d.id for d in items if isinstance(d, Document)] == ["one", "three"]
    [bad] = [s for s in items if isinstance(s, Skipped)]
    assert bad.path == f"feed.jsonl.{suffix}:2" and "invalid JSON" in bad.reason
    cut = tmp_path / "cut" / f"feed.jsonl.{suffix}"
    cut.parent.mkdir()
    cut.write_bytes(_CODECS[suffix](("\n".join(lines[:1]) + "\n").encode() * 200)[:-12])
    items = _items(cut.parent)
    assert sum(isinstance(d, Skipped) for d in items) == 1
    [end] = [s for s in items if isinstance(s, Skipped)]
    assert end.path.startswith(f"feed.jsonl.{suffix}:") and "the rest of the file" in end.reason


def test_a_compressed_page_is_read_as_what_its_name_says(tmp_path: Path) -> None:
    (tmp_path / "story.txt.gz").write_bytes(gzip.compress(_PAGES[0][1].encode()))
    [doc] = [d for d in _items(tmp_path) if isinstance(d, Document)]
    assert doc.id == "story.txt.gz" and doc.text == _PAGES[0][1]


def test_a_table_with_a_broken_row_reads_the_others(tmp_path: Path) -> None:
    path = tmp_path / "export.tsv"
    rows = ["story_id\tbody\tlink"]
    rows += [f"{n}\t{t}\t{_URL}{n}" for n, t in _PAGES]
    rows.insert(2, "lost\tonly two fields")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    items = _items(tmp_path, columns={"id": "story_id", "text": "body", "url": "link"})
    docs = [d for d in items if isinstance(d, Document)]
    assert [(d.id, d.url, d.format) for d in docs] == [(n, _URL + n, "tsv") for n, _ in _PAGES]
    [bad] = [s for s in items if isinstance(s, Skipped)]
    assert bad.path == "export.tsv:3" and "2 fields" in bad.reason
    [unmapped] = [s for s in _items(tmp_path) if isinstance(s, Skipped)]  # no 'text' column
    assert "--columns text=COLUMN" in unmapped.reason


def test_scan_columns_option(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        table = csv.writer(out)
        table.writerow(["story_id", "body"])
        table.writerows(_samples())
    result = runner.invoke(
        app, ["scan", str(path), "-f", "json", "-q", "--columns", "id=story_id,text=body"]
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["stories"]) == 2 and {d["format"] for d in data["documents"]} == {"csv"}
    wrong = runner.invoke(app, ["scan", str(path), "--columns", "body=text"])
    assert wrong.exit_code == 2 and "unknown field 'body'" in wrong.stderr
