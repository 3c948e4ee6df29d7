"""Every class of bad input is named on stderr and in errors[], and never changes the stories found.

The bad corpus is generated here, not checked in: each entry says what it is.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from conftest import SAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from newsdedup.cli import app
from newsdedup.ingest import iter_documents
from newsdedup.pipeline import Limits, ScanOptions, _TextStore, scan, scan_documents
from newsdedup.records import Document, Notice, Skipped
from newsdedup.report import result_json

runner = CliRunner()


def _bad_corpus(root: Path) -> dict[str, str]:
    """Write one file per bad-input class; returns relative path -> expected words in the reason."""
    expected: dict[str, str] = {}

    def put(name: str, data: bytes, reason: str) -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        expected[name] = reason

    put("bad/report.pdf.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary")
    put("bad/photo.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary")
    put("bad/archive.txt", gzip.compress(b"hello " * 100), "binary")
    put("bad/empty.txt", b"", "empty")
    put("bad/blank.md", b"  \n\t\n   \n", "empty")
    put(
        "bad/nobody.html",
        b"<html><head><title>t</title></head><body><nav>Home</nav></body></html>",
        "no article text",
    )
    (root / "bad/records.jsonl").write_bytes(
        b'{"id": "r1", "text": "fine"}\n{"id": "r2", "text": \n{"id": "r3"}\n'
    )
    (root / "bad/dup-a.jsonl").write_bytes(b'{"id": "same", "text": "first copy of the record"}\n')
    (root / "bad/dup-b.jsonl").write_bytes(b'{"id": "same", "text": "second copy of the record"}\n')
    expected["bad/dup-b.jsonl:1"] = "duplicate id"
    with open(root / "bad/huge.txt", "wb") as handle:  # sparse: 200 MB on paper, nothing on disk
        handle.truncate(200 * 1024 * 1024)
    expected["bad/huge.txt"] = "larger than"
    os.symlink(root / "bad/nowhere.txt", root / "bad/broken.txt")
    expected["bad/broken.txt"] = "broken symbolic link"
    os.symlink(root / "bad/loop-b.txt", root / "bad/loop-a.txt")
    os.symlink(root / "bad/loop-a.txt", root / "bad/loop-b.txt")
    expected["bad/loop-a.txt"] = "symbolic link loop"
    expected["bad/loop-b.txt"] = "symbolic link loop"
    expected["bad/records.jsonl:2"] = "invalid JSON"
    expected["bad/records.jsonl:3"] = "no 'text' or 'html'"
    nested = b"<html><body>" + b"<div>" * 20000 + b"<p>Deep text survives.</p>" + b"</div>" * 20000
    (root / "bad/deep.html").write_bytes(nested + b"<p>unclosed <b>tags <i>everywhere")
    (root / "bad/mixed.txt").write_bytes(
        "caf\u00e9 na\u00efve ".encode() + b"\x93quoted\x94 \xff\xfe tail"
    )
    return expected


def test_bad_inputs_are_named_and_do_not_change_the_samples_stories(tmp_path: Path) -> None:
    for sample in SAMPLES.glob("*.txt"):
        shutil.copy(sample, tmp_path)
    expected = _bad_corpus(tmp_path)
    clean = runner.invoke(app, ["scan", str(SAMPLES), "-f", "json", "-q"])
    mixed = runner.invoke(app, ["scan", str(tmp_path), "-f", "json"])
    assert mixed.exit_code == 0, mixed.stderr
    data = json.loads(mixed.stdout)
    reasons = {e["path"]: e["reason"] for e in data["errors"]}
    for path, words in expected.items():
        assert path in reasons, f"{path} not reported"
        assert words in reasons[path]
        assert f"newsdedup: skipped {path}:" in mixed.stderr
    assert data["summary"]["skipped"] == len(reasons) == len(expected)
    assert data["stories"] == json.loads(clean.stdout)["stories"]
    ids = {d["id"] for d in data["documents"]}
    assert {"r1", "same", "bad/deep.html", "bad/mixed.txt"} <= ids


def test_strict_turns_any_skip_into_exit_2(tmp_path: Path) -> None:
    shutil.copy(next(SAMPLES.glob("000_*")), tmp_path)
    (tmp_path / "empty.txt").write_bytes(b"")
    assert runner.invoke(app, ["scan", str(tmp_path)]).exit_code == 0
    assert runner.invoke(app, ["scan", str(tmp_path), "--strict"]).exit_code == 2


def test_unreadable_file_is_skipped_with_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "secret.txt").write_text("words " * 20)
    real_open = open

    def deny(path: object, *args: object, **kwargs: object) -> object:
        if str(path).endswith("secret.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", deny)
    items = list(iter_documents([str(tmp_path)]))
    assert items == [Skipped("secret.txt", "permission denied")]


def test_oversized_document_is_truncated_with_a_warning(tmp_path: Path) -> None:
    line = " ".join(
        f"Sentence {i} reports a distinct fact about the market today." for i in range(3000)
    )
    (tmp_path / "one-line.txt").write_text(line)
    result = scan([str(tmp_path)], ScanOptions(limits=Limits(max_segments=50)))
    assert len(result.segments_of("one-line.txt")) == 50
    assert result.notices[0].message.startswith("truncated to its first 50 segments")
    cli = runner.invoke(app, ["scan", str(tmp_path), "-f", "json", "--max-segments", "50"])
    assert "newsdedup: warning one-line.txt: truncated" in cli.stderr
    assert json.loads(cli.stdout)["warnings"][0]["path"] == "one-line.txt"


def test_output_file_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("previous report")
    ok = runner.invoke(app, ["scan", str(SAMPLES), "-f", "json", "-o", str(target)])
    assert ok.exit_code == 0 and ok.stdout == ""
    assert json.loads(target.read_text())["summary"]["stories"] == 2
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temporary left behind
    missing_dir = tmp_path / "no" / "such" / "dir" / "out.json"
    failed = runner.invoke(app, ["scan", str(SAMPLES), "-f", "json", "-o", str(missing_dir)])
    assert failed.exit_code == 2 and "cannot write" in failed.stderr


def test_output_file_gets_the_permissions_a_plain_write_would_give(tmp_path: Path) -> None:
    """The temporary file is private (0600); the report must not stay so: a new file gets
    0666 less the umask, a replaced one keeps its own mode."""
    mask = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.json"
        assert runner.invoke(app, ["scan", str(SAMPLES), "-q", "-o", str(fresh)]).exit_code == 0
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
        kept = tmp_path / "kept.json"
        kept.write_text("old")
        kept.chmod(0o640)
        assert runner.invoke(app, ["scan", str(SAMPLES), "-q", "-o", str(kept)]).exit_code == 0
        assert stat.S_IMODE(kept.stat().st_mode) == 0o640
    finally:
        os.umask(mask)


def test_ctrl_c_exits_130_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("newsdedup.engines.local.scan", interrupted)  # what `--engine local` runs
    result = runner.invoke(app, ["scan", str(SAMPLES)])
    assert result.exit_code == 130
    assert result.stderr.strip() == "newsdedup: interrupted"


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.binary(max_size=4000),
    suffix=st.sampled_from([".txt", ".md", ".html", ".json", ".jsonl"]),
)
def test_any_bytes_in_any_format_never_raise(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    for item in iter_documents([str(path)]):
        assert isinstance(item, Document | Skipped | Notice)  # never a Failure: that is a bug
        if isinstance(item, Document):
            result = scan_documents([item], ScanOptions())
            for seg in result.segments_of(item.id):
                assert item.text[seg.start : seg.end] == seg.text


def _sample_docs() -> list[Document]:
    return [
        Document(id=p.name, text=p.read_text(encoding="utf-8"))
        for p in sorted(SAMPLES.glob("*.txt"))
    ]


@settings(max_examples=5, deadline=None)
@given(st.permutations(_sample_docs()))
def test_document_order_never_changes_the_result(docs: list[Document]) -> None:
    reference = scan_documents(_sample_docs(), ScanOptions())
    shuffled = scan_documents(docs, ScanOptions())
    assert shuffled.stories == reference.stories


def test_jobs_do_not_change_a_single_byte() -> None:
    docs = _sample_docs()
    one = result_json(scan_documents(docs, ScanOptions(), jobs=1, batch_docs=2))
    two = result_json(scan_documents(docs, ScanOptions(), jobs=2, batch_docs=2))
    assert (
        json.dumps(one)
        == json.dumps(two)
        == json.dumps(result_json(scan_documents(docs, ScanOptions())))
    )


def test_unreadable_directory_is_skipped_and_the_rest_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "ok.txt").write_text("words " * 20)
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "hidden.txt").write_text("words " * 20)
    real_walk = os.walk

    def walk(top: str, onerror: object = None, followlinks: bool = False) -> object:
        for dirpath, dirnames, filenames in real_walk(top, followlinks=followlinks):
            if dirpath.endswith("locked"):
                onerror(PermissionError(13, "Permission denied", dirpath))  # type: ignore[operator]
                dirnames[:] = []
                continue
            yield dirpath, dirnames, filenames

    monkeypatch.setattr("newsdedup.ingest.os.walk", walk)
    items = list(iter_documents([str(tmp_path)]))
    assert Skipped("locked", "permission denied") in items
    assert [i.id for i in items if isinstance(i, Document)] == ["ok.txt"]


def test_texts_come_back_from_the_scans_store_exactly_and_leave_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A scan keeps texts in a temporary file: every character must come back, a lone
    surrogate (which JSON can carry) included, and the file must go with the scan."""
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)  # TMPDIR is read once per process
    texts = {"a": "Zürich – “quoted” \ud800 lone surrogate. " * 30, "b": "plain words " * 40}
    result = scan_documents([Document(id=k, text=v) for k, v in texts.items()], ScanOptions())
    assert {d.id: d.text for d in result.documents} == texts
    assert list(tmp_path.iterdir()) == []


def test_the_text_store_reads_back_between_writes() -> None:
    with _TextStore() as store:
        store.put(Document(id="a", text="first – text"))
        assert store.pack("a").unpack().text == "first – text"
        store.put(Document(id="b", text="second"))
        assert [store.pack(d).unpack().text for d in "ba"] == ["second", "first – text"]
