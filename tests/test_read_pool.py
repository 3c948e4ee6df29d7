"""Reading in the `--jobs` worker pool: the records of a container are made (decoded,
extracted, their language read) by the workers, and the items come out as reading in one
process gives them: the same ids, texts, languages, notices and problems, in the same
order."""

from __future__ import annotations

import io
import json
import resource
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsdedup.pipeline import read_documents
from newsdedup.records import Document, Failure, Notice, Skipped

LANGUAGES = Path(__file__).resolve().parent / "data" / "languages"
_URL = "https://example.org/"


def _response(writer: WARCWriter, uri: str, body: bytes, content_type: str, status: str) -> None:
    http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http)
    )


def _crawl(path: Path) -> None:
    """Pages in three languages, HTML and text, with what an archive also holds: a later
    capture of one URL, a page that is a PNG, a 404 and a record broken in the middle."""
    texts = sorted(LANGUAGES.glob("*.txt"))
    offsets: list[int] = []
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for n in range(36):
            offsets.append(handle.tell())
            text = texts[n % len(texts)].read_text(encoding="utf-8")
            if n % 2:
                page = f"<html><body><article><p>{text}</p><p>Page {n}.</p></article></body></html>"
                _response(writer, f"{_URL}{n}", page.encode(), "text/html; charset=utf-8", "200 OK")
            else:
                body = f"{text}\n\nPage {n}.".encode()
                _response(writer, f"{_URL}{n % 30}", body, "text/plain; charset=utf-8", "200 OK")
        _response(writer, _URL + "logo", b"\x89PNG....", "text/html", "200 OK")
        _response(writer, _URL + "gone", b"<html>gone</html>", "text/html", "404 Not Found")
    data = bytearray(path.read_bytes())
    data[offsets[20] + 40 : offsets[20] + 80] = b"\x00" * 40  # a record broken in the middle
    path.write_bytes(bytes(data))


def test_reading_in_the_worker_pool_gives_what_reading_in_one_process_gives(
    tmp_path: Path,
) -> None:
    _crawl(tmp_path / "crawl.warc.gz")
    with (tmp_path / "feed.jsonl").open("w", encoding="utf-8") as feed:
        for n, path in enumerate(sorted(LANGUAGES.glob("*.txt")) * 3):
            feed.write(json.dumps({"id": f"feed-{n}", "text": path.read_text("utf-8")}) + "\n")
        feed.write('{"id": "cut", "text": "a record bro\n')
    for path in sorted(LANGUAGES.glob("*.txt")):
        (tmp_path / path.name).write_text(path.read_text("utf-8"), encoding="utf-8")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4")

    serial = list(read_documents([str(tmp_path)], jobs=1))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    pooled = list(read_documents([str(tmp_path)], jobs=2, batch=4, parallel_from=2))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)

    assert pooled == serial  # ids, texts, languages, every field, and the order
    docs = [d for d in serial if isinstance(d, Document)]
    assert len(docs) == 35 + 18 + 6
    assert {d.language for d in docs} == {"de", "fr", "zh"}
    assert any(d.id.startswith(f"{_URL}0@") for d in docs)  # the later capture of a URL
    assert sum(isinstance(s, Skipped) for s in serial) == 4  # broken, PNG, cut line, PDF
    assert any(isinstance(n, Notice) for n in serial) and not any(
        isinstance(f, Failure) for f in serial
    )
    # the workers did the making: their time is the children's (the pool reaps them)
    assert (after.ru_utime + after.ru_stime) > (before.ru_utime + before.ru_stime)
