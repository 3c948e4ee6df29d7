"""A scan's result reads each document's text back from the scan's text store when a report
writes that document: the texts of a large scan never sit in memory together (they were
1.1 GB of a 100k scan's 3.14 GiB peak when read all at once before the report), and the
store's temporary file lives exactly as long as the result.

Measured with tracemalloc on a real scan and real reporters, on documents large enough
(16 kB each) that holding them all would stand far above everything else the report makes.
"""

from __future__ import annotations

import gc
import io
import os
import random
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

import pytest

from newsdedup import pipeline
from newsdedup.pipeline import ScanOptions, ScanResult, StoredDocuments, scan_documents
from newsdedup.records import Document
from newsdedup.report import Format, make_reporter

_UNIQUE, _COPIES = 12, 4  # the copies (one paragraph changed) make stories, versions, diffs
_PARAGRAPHS, _WORDS = 24, 40


def _documents() -> Iterator[Document]:
    """ASCII articles of random words (a character is a byte), made one at a time so the
    caller's texts go as the scan stores them."""
    rng = random.Random(31)
    letters = "abcdefghijklmnopqrstuvwxyz"
    vocabulary = ["".join(rng.choices(letters, k=rng.randint(12, 20))) for _ in range(4000)]

    def paragraph() -> str:
        return " ".join(rng.choices(vocabulary, k=_WORDS)) + "."

    pages = [[paragraph() for _ in range(_PARAGRAPHS)] for _ in range(_UNIQUE)]
    for k, page in enumerate(pages):
        yield Document(id=f"page-{k:02d}", text="\n\n".join(page), site=f"site{k}.example")
    for k in range(_COPIES):
        copy = [*pages[k][:10], paragraph(), *pages[k][11:]]
        yield Document(id=f"copy-{k:02d}", text="\n\n".join(copy), site=f"copy{k}.example")


_TEXT_CHARS = sum(len(d.text) for d in _documents())  # about 260 kB in all


def _open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


class _Discard(io.StringIO):
    def write(self, text: str) -> int:
        return len(text)


def _peak_while(write: Callable[[ScanResult, TextIO], None], result: ScanResult) -> int:
    """The most memory allocated above what was held when the report began, while it is
    written to a sink that keeps nothing."""
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    write(result, _Discard())
    return tracemalloc.get_traced_memory()[1] - before


@dataclass
class _Traced:
    result: ScanResult | None
    held: int  # bytes allocated by the scan and still alive with its result
    files: int  # files open before the scan


@pytest.fixture(scope="module")
def traced() -> Iterator[_Traced]:
    """A scan of `_documents`, traced, after the same scan untraced: the modules, models and
    caches (bounded, some keyed by equal pages) a scan fills are not counted."""
    scan_documents(_documents(), ScanOptions())
    gc.collect()
    files = _open_files() if _PROC_FD else 0
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        traced = _Traced(scan_documents(_documents(), ScanOptions()), 0, files)
        gc.collect()
        traced.held = tracemalloc.get_traced_memory()[0] - before
        yield traced
    finally:
        tracemalloc.stop()


_PROC_FD = Path("/proc/self/fd").is_dir()


def test_a_scans_result_holds_no_text_and_each_report_reads_one_at_a_time(
    traced: _Traced,
) -> None:
    result = traced.result
    assert result is not None and len(result.stories) == _COPIES and result.diffs
    # every text read back at once (as before) held _TEXT_CHARS bytes and more
    assert traced.held < _TEXT_CHARS / 2, f"{traced.held:,} B held for {_TEXT_CHARS:,} B of text"
    assert isinstance(result.documents, StoredDocuments)
    for fmt, details in [(Format.json, False), (Format.jsonl, False), (Format.text, False)]:
        write = make_reporter(fmt, details).write
        _peak_while(write, result)  # the reporter's own first-use costs
        peak = _peak_while(write, result)
        # a report holding every text (a dict of the documents, as two did) would pass it
        assert peak < _TEXT_CHARS / 2, f"{fmt.value}: {peak:,} B above the result while writing"


def test_the_documents_read_back_whole_in_order_and_by_id(traced: _Traced) -> None:
    result = traced.result
    assert result is not None
    made = sorted(_documents(), key=lambda d: d.id)
    assert list(result.documents) == made
    assert [result.documents[k] for k in range(len(made))] == made
    assert result.documents[3:6] == tuple(made[3:6]) and result.documents[-1] == made[-1]
    assert [result.document(d.id) for d in made] == made
    assert result.document("page-00x") is None and result.document("") is None
    with pytest.raises(KeyError):
        result.read("absent")


@pytest.mark.parametrize("fmt", [Format.json, Format.jsonl])
def test_the_documents_list_reads_no_text_and_gives_each_length_in_characters(
    traced: _Traced, monkeypatch: pytest.MonkeyPatch, fmt: Format
) -> None:
    """The report's documents (a list, or inlined in each story's line) give each text's
    length, not the text: none is read back for them (a text is read only where a version of
    it is written, for its headline)."""
    result = traced.result
    assert result is not None
    made = sorted(_documents(), key=lambda d: d.id)
    assert list(result.described()) == [replace(d, text="") for d in made]
    assert [result.description(d.id) for d in made] == [replace(d, text="") for d in made]
    assert [result.length(d.id) for d in made] == [len(d.text) for d in made]
    reads: list[str] = []
    pack = pipeline._TextStore.pack
    monkeypatch.setattr(
        pipeline._TextStore, "pack", lambda store, i: reads.append(i) or pack(store, i)
    )
    make_reporter(fmt, False).write(result, _Discard())
    versions = sorted(v.version.doc_id for s in result.stories for v in s.versions)
    assert sorted(reads) == versions  # without the documents list: every page once more


def test_a_length_counts_characters_not_the_stored_bytes() -> None:
    texts = {"a": "Café au lait — 10 °C. " * 40, "b": "东京 " * 120, "c": "lone \udc80 " * 50}
    result = scan_documents((Document(id=k, text=t) for k, t in texts.items()), ScanOptions())
    assert {k: result.length(k) for k in texts} == {k: len(t) for k, t in texts.items()}
    assert [d.text for d in result.described()] == ["", "", ""]
    with pytest.raises(KeyError):
        result.length("absent")
    with pytest.raises(KeyError):
        result.description("absent")


@pytest.mark.skipif(not _PROC_FD, reason="needs /proc/self/fd (Linux)")
def test_the_text_store_is_open_while_its_result_lives_and_closed_after(
    traced: _Traced,
) -> None:
    """Last in the file: it lets the module's result go."""
    assert _open_files() == traced.files + 1  # the store, which the reports read
    traced.result = None
    gc.collect()
    assert _open_files() == traced.files
