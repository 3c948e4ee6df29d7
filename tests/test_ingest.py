from __future__ import annotations

import errno
import io
import json
import os
from pathlib import Path
from typing import TextIO

import pytest

from newsdedup import ingest
from newsdedup.ingest import iter_documents
from newsdedup.records import Document, Failure, Notice, Skipped

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

Item = Document | Skipped | Notice | Failure


def run(*paths: str | Path, stdin: TextIO | None = None, max_bytes: int = 50_000_000) -> list[Item]:
    return list(iter_documents([str(p) for p in paths], stdin=stdin, max_bytes=max_bytes))


def docs(items: list[Item]) -> dict[str, Document]:
    return {item.id: item for item in items if isinstance(item, Document)}


def skips(items: list[Item]) -> dict[str, str]:
    return {item.path: item.reason for item in items if isinstance(item, Skipped)}


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def test_samples_directory() -> None:
    items = run(SAMPLES)
    names = sorted(p.name for p in SAMPLES.glob("*.txt"))
    assert len(names) == 5
    assert [item.id for item in items if isinstance(item, Document)] == names
    assert all(isinstance(item, Document) and item.format == "txt" for item in items)


def test_directory_walk_is_sorted_and_filtered(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", "bee")
    write(tmp_path / "a" / "z.md", "zed")
    write(tmp_path / "a" / "b" / "c.html", "<p>see</p>")
    write(tmp_path / "a" / "notes.xyz", "unknown extension")
    write(tmp_path / ".hidden.txt", "hidden file")
    write(tmp_path / ".git" / "x.txt", "hidden dir")
    items = run(tmp_path)
    assert [(i.id, i.format) for i in items if isinstance(i, Document)] == [
        ("a/b/c.html", "html"),
        ("a/z.md", "md"),
        ("b.txt", "txt"),
    ]
    assert items == run(tmp_path)
    assert docs(items)["a/b/c.html"].source == "a/b/c.html"


def test_explicit_file_keeps_given_path_and_unknown_extension_is_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "sub" / "story.data", "Plain words.\r\nNext line.")
    [item] = run("./sub/story.data")
    assert item == Document(
        id="sub/story.data", text="Plain words.\nNext line.", source="sub/story.data", format="txt"
    )


def test_encodings_are_decoded(tmp_path: Path) -> None:
    write(tmp_path / "legacy.txt", b"caf\xe9 \x93quoted\x94")
    write(tmp_path / "bom.txt", b"\xef\xbb\xbfWith BOM")
    found = docs(run(tmp_path))
    assert found["legacy.txt"].text == "café “quoted”"
    assert found["bom.txt"].text == "With BOM"


def test_html_and_markdown_metadata_reach_document(tmp_path: Path) -> None:
    write(
        tmp_path / "page.htm",
        '<head><meta property="og:title" content="OG"><link rel="canonical" href="https://c.test/">'
        "</head><body><nav>Menu</nav><article><p>Story.</p></article></body>",
    )
    write(tmp_path / "note.markdown", "---\ntitle: FM\ndate: 2026-01-10\n---\nBody.\n")
    found = docs(run(tmp_path))
    page, note = found["page.htm"], found["note.markdown"]
    assert (page.text, page.title, page.canonical_url, page.format) == (
        "Story.",
        "OG",
        "https://c.test/",
        "html",
    )
    assert (note.text, note.title, note.published, note.format) == (
        "Body.\n",
        "FM",
        "2026-01-10",
        "md",
    )


def test_unusable_files_are_skipped_with_reasons(tmp_path: Path) -> None:
    write(tmp_path / "image.html", b"\x89PNG\r\n\x1a\nrest")
    write(tmp_path / "empty.txt", b"")
    write(tmp_path / "blank.md", " \n\t\n")
    write(tmp_path / "front_only.md", "---\ntitle: x\n---\n")
    write(tmp_path / "menu.html", "<nav>Home</nav><script>x()</script>")
    write(tmp_path / "big.txt", "x" * 101)
    write(tmp_path / "ok.txt", "fine")
    items = run(tmp_path, tmp_path / "missing.txt", max_bytes=100)
    assert skips(items) == {
        "big.txt": "larger than 100 bytes",
        "blank.md": "empty document",
        "empty.txt": "empty document",
        "front_only.md": "empty document",
        "image.html": "binary content (PNG image)",
        "menu.html": "no article text found",
        f"{(tmp_path / 'missing.txt').as_posix()}": "no such file or directory",
    }
    assert list(docs(items)) == ["ok.txt"]


def test_symlinks(tmp_path: Path) -> None:
    root = tmp_path / "root"
    write(tmp_path / "outside" / "real.txt", "Linked text.")
    root.mkdir()
    (root / "linked.txt").symlink_to(tmp_path / "outside" / "real.txt")
    (root / "broken.txt").symlink_to(tmp_path / "nowhere.txt")
    (root / "loop").symlink_to(root, target_is_directory=True)
    items = run(root)
    assert docs(items)["linked.txt"].text == "Linked text."
    assert skips(items) == {
        "broken.txt": "broken symbolic link",
        "loop": "symbolic link to a directory (not followed)",
    }


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_in_a_directory_is_reported_not_opened(tmp_path: Path) -> None:
    # opening a pipe with no writer would block the scan forever
    write(tmp_path / "story.txt", "Some story text.")
    os.mkfifo(tmp_path / "feed.txt")
    items = run(tmp_path)
    assert set(docs(items)) == {"story.txt"}
    assert skips(items)["feed.txt"].startswith("not a regular file")


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "secret.txt", "x")

    def deny(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    # Patched in the module, not via chmod: the tests may run as root.
    monkeypatch.setattr(ingest, "open", deny, raising=False)
    assert skips(run(tmp_path)) == {"secret.txt": "permission denied"}


def test_unexpected_error_is_confined_to_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "a.html", "<p>x</p>")
    write(tmp_path / "b.txt", "still read")

    def explode(html: str) -> None:
        raise RuntimeError("parser bug")

    monkeypatch.setitem(ingest._EXTRACTORS, "html", explode)
    items = run(tmp_path)
    failures = [item for item in items if isinstance(item, Failure)]
    assert failures == [Failure("a.html", "reading", "RuntimeError: parser bug")]
    assert failures[0].reason == "unexpected error while reading: RuntimeError: parser bug"
    assert skips(items) == {}
    assert docs(items)["b.txt"].text == "still read"


def test_jsonl_with_malformed_line(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": 7, "text": "First record."}),
        '{"id": "broken", "text": ',
        "",
        json.dumps({"text": "No id here.", "title": "T", "published": "Jan 10, 2026"}),
        json.dumps({"title": "no body"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "h", "html": "<title>Page</title><p>From HTML.</p>", "url": "u"}),
    ]
    write(tmp_path / "feed.jsonl", "\r\n".join(lines) + "\r\n")
    items = run(tmp_path)
    assert skips(items) == {
        "feed.jsonl:2": "invalid JSON: Expecting value (column 26)",
        "feed.jsonl:5": "record has no 'text' or 'html'",
        "feed.jsonl:6": "record is not a JSON object",
    }
    found = docs(items)
    assert list(found) == ["7", "feed.jsonl#4", "h"]
    assert found["7"] == Document(
        id="7", text="First record.", source="feed.jsonl:1", format="jsonl"
    )
    assert (found["feed.jsonl#4"].title, found["feed.jsonl#4"].published) == ("T", "2026-01-10")
    assert (found["h"].text, found["h"].title, found["h"].url) == ("From HTML.", "Page", "u")


def test_json_array_and_object(tmp_path: Path) -> None:
    records = [
        {"text": "Array zero."},
        {"id": "own", "html": "<title>HTML title</title><p>Array one.</p>", "title": "Record"},
        "not a record",
    ]
    write(tmp_path / "list.json", json.dumps(records))
    write(tmp_path / "single.json", json.dumps({"text": "Single.", "site": "S"}))
    write(tmp_path / "bad.json", '{"text": "unterminated')
    items = run(tmp_path)
    found = docs(items)
    assert list(found) == ["list.json#0", "own", "single.json"]
    assert found["own"].title == "Record"  # the record's field beats the HTML <title>
    assert (found["own"].text, found["own"].format, found["own"].source) == (
        "Array one.",
        "json",
        "list.json",
    )
    assert (found["single.json"].site, found["single.json"].text) == ("S", "Single.")
    assert skips(items) == {
        "bad.json": "invalid JSON: Unterminated string starting at (line 1, column 10)",
        "list.json#2": "record is not a JSON object",
    }


def test_duplicate_ids_are_skipped(tmp_path: Path) -> None:
    write(tmp_path / "a.jsonl", json.dumps({"id": "x", "text": "first"}))
    write(tmp_path / "b.json", json.dumps({"id": "x", "text": "second"}))
    items = run(tmp_path)
    assert docs(items)["x"].text == "first"
    assert skips(items) == {"b.json": "duplicate id 'x' (first seen in a.jsonl:1)"}


def test_same_file_twice_is_a_duplicate(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "text")
    items = run(tmp_path, tmp_path)
    assert [type(item) for item in items] == [Document, Skipped]
    assert skips(items) == {"a.txt": "duplicate id 'a.txt' (first seen in a.txt)"}


def test_stdin_jsonl() -> None:
    # A BOM some Windows tools prepend must not break the first record.
    stream = io.StringIO('\ufeff{"id": "s1", "text": "From stdin."}\n{nope}\n{"text": "Pos."}\n')
    items = run("-", stdin=stream)
    assert docs(items)["s1"].source == "<stdin>:1"
    assert docs(items)["<stdin>#3"].text == "Pos."
    assert list(skips(items)) == ["<stdin>:2"]


def test_stdin_jsonl_after_blank_lines_keeps_its_line_numbers() -> None:
    items = run("-", stdin=io.StringIO('\n\n{"text": "Third line."}\n{bad\n'))
    assert docs(items)["<stdin>#3"].text == "Third line."
    assert list(skips(items)) == ["<stdin>:4"]


@pytest.mark.parametrize(
    ("piped", "fmt", "text"),
    [
        (
            "\nA wire story.\n\nIts second paragraph.\n",
            "txt",
            "\nA wire story.\n\nIts second paragraph.\n",  # kept as it came, as a file's text is
        ),
        (
            "<!doctype html><html><body><nav>Home</nav><article><p>A wire story.</p>"
            "<p>Its second paragraph.</p></article></body></html>",
            "html",
            "A wire story.\n\nIts second paragraph.",
        ),
    ],
)
def test_an_article_piped_in_is_one_document(piped: str, fmt: str, text: str) -> None:
    # `curl URL | newsdedup scan - archive/`: not JSON Lines, so one page or text
    (item,) = run("-", stdin=io.StringIO(piped))
    assert isinstance(item, Document)
    assert (item.id, item.format, item.text) == ("<stdin>", fmt, text)


def test_an_article_piped_in_obeys_the_size_limit() -> None:
    (item,) = run("-", stdin=io.StringIO("words " * 100), max_bytes=100)
    assert item == Skipped("<stdin>", "larger than 100 bytes")


def test_stdin_read_error_becomes_skipped() -> None:
    stream = io.TextIOWrapper(io.BytesIO(b'{"text": "ok"}\n\xff\xfe\xfa\n'), encoding="utf-8")
    items = run("-", stdin=stream)
    assert len(items) == 1
    assert isinstance(items[0], Skipped)
    assert items[0].path == "<stdin>"
    assert items[0].reason.startswith("cannot read:")


def test_jsonl_size_limit_applies_per_record_not_per_file(tmp_path: Path) -> None:
    records = [json.dumps({"id": f"r{i}", "text": "word " * 50}) for i in range(20)]
    records.insert(3, json.dumps({"id": "huge", "text": "x" * 5000}))
    write(tmp_path / "feed.jsonl", "\n".join(records) + "\n")
    items = list(iter_documents([str(tmp_path)], max_bytes=1000))
    assert skips(items) == {"feed.jsonl:4": "larger than 1000 bytes"}
    assert len([i for i in items if isinstance(i, Document)]) == 20
