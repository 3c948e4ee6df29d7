"""Crawl archives (WARC and ARC, plain or gzipped record by record) read with warcio.

Each `response` or `resource` record with an HTML or text payload is a page; `revisit`,
`request`, `metadata`, `warcinfo` records, other payload types (images, scripts, PDFs)
and responses other than 200 are counted, not read. A record that cannot be read is an
error at its byte offset; the reader then looks for the next record (the next gzip member
of a `.warc.gz`, the next `WARC/1.` line of a plain one) and goes on. warcio streams: only
one record's payload, at most `max_bytes` of it, is ever held.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

_PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
_RECORD_TYPES = ("response", "resource")
_SEARCH_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Page:
    """A page found in an archive; `content_type` is the payload's (with its charset)."""

    offset: int
    uri: str | None
    date: str | None
    record_id: str | None
    content_type: str
    body: bytes

    @property
    def html(self) -> bool:
        return not self.content_type.lower().startswith("text/plain")


@dataclass(frozen=True, slots=True)
class Problem:
    """A record that cannot be read, at its byte offset."""

    offset: int
    reason: str


@dataclass(frozen=True, slots=True)
class Passed:
    """What the archive held besides pages: counts by kind ("revisit", "image/jpeg",
    "status 404")."""

    counts: tuple[tuple[str, int], ...]

    def describe(self) -> str:
        parts = ", ".join(f"{n} {kind}" for kind, n in self.counts)
        return f"records not read (not an HTML or text page): {parts}"


Item = Page | Problem | Passed


def pages(handle: BinaryIO, max_bytes: int) -> Iterator[Item]:
    """The pages of an archive, its problems in order among them, and at the end what was
    passed over (if anything)."""
    passed: Counter[str] = Counter()
    start = 0
    while start >= 0:
        try:
            handle.seek(start)
        except (OSError, ValueError):
            if start:
                return
        resume = yield from _read_from(handle, max_bytes, passed)
        start = _next_record(handle, resume) if resume is not None else -1
    if passed:
        yield Passed(tuple(sorted(passed.items(), key=lambda kv: (-kv[1], kv[0]))))


def _read_from(
    handle: BinaryIO, max_bytes: int, passed: Counter[str]
) -> Generator[Item, None, int | None]:
    """Pages from the handle's position on. Returns None at the end of the archive, or the
    offset just past a record that broke the reading (a resync point is searched from there)."""
    records = ArchiveIterator(handle, ensure_http_headers=False)
    offset = records.offset
    while True:
        try:
            record = next(records)
            offset = records.offset  # where the record starts (warcio keeps it absolute)
            item = _page(record, offset, max_bytes, passed)
        except StopIteration:
            return None
        except _BROKEN as exc:  # what warcio, zlib and the HTTP parser raise on bad input
            where = _broken_at(records, offset)
            yield Problem(where, f"record cannot be read: {_why(exc)}")
            return where + 1
        if item is not None:
            yield item


_BROKEN = (ArchiveLoadFailed, ValueError, EOFError, OSError, LookupError, zlib.error)


def _broken_at(records: ArchiveIterator, last: int) -> int:
    """The offset of the record that broke: where warcio stood, past the last one read."""
    return max(int(records.offset), last)


def _page(record: object, offset: int, max_bytes: int, passed: Counter[str]) -> Item | None:
    headers = record.rec_headers  # type: ignore[attr-defined]
    kind = record.rec_type  # type: ignore[attr-defined]
    if kind not in _RECORD_TYPES:
        passed[kind] += 1
        return None
    http = record.http_headers  # type: ignore[attr-defined]
    if http is not None and kind == "response":
        status = (http.get_statuscode() or "").strip()
        if status != "200":
            passed[f"status {status or 'unknown'}"] += 1
            return None
        content_type = http.get_header("Content-Type") or ""
    else:
        content_type = headers.get_header("Content-Type") or ""
    media = content_type.split(";", 1)[0].strip().lower()
    if media not in _PAGE_TYPES:
        passed[media or "no content type"] += 1
        return None
    body = record.content_stream().read(max_bytes + 1)  # type: ignore[attr-defined]
    if len(body) > max_bytes:
        return Problem(offset, f"larger than {max_bytes} bytes")
    return Page(
        offset=offset,
        uri=headers.get_header("WARC-Target-URI"),
        date=headers.get_header("WARC-Date"),
        record_id=headers.get_header("WARC-Record-ID"),
        content_type=content_type or media,
        body=body,
    )


def _why(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    text = text if len(text) <= 200 else text[:199] + "…"
    return text or type(exc).__name__


def _next_record(handle: BinaryIO, start: int) -> int:
    """Offset of the next record at or after `start` that warcio can read, or -1: the next
    gzip member for a gzipped archive, the next `WARC/` line for a plain one."""
    if not handle.seekable():
        return -1
    handle.seek(0)
    gzipped = handle.read(2) == b"\x1f\x8b"
    marks = (b"\x1f\x8b\x08",) if gzipped else (b"\nWARC/1.", b"\nWARC/0.")
    position = start
    while True:
        handle.seek(position)
        chunk = handle.read(_SEARCH_CHUNK + 16)
        if not chunk:
            return -1
        found = [at for at in (chunk.find(m) for m in marks) if at >= 0]
        if found:
            candidate = position + min(found) + (0 if gzipped else 1)
            if _readable_at(handle, candidate):
                return candidate
            position = candidate + 1
            continue
        position += _SEARCH_CHUNK


def _readable_at(handle: BinaryIO, offset: int) -> bool:
    """Whether a record header can be read at `offset` (a gzip magic in a payload is not one)."""
    handle.seek(offset)
    try:
        next(ArchiveIterator(handle, ensure_http_headers=False), None)
    except Exception:  # anything warcio raises on a false start: not a record
        return False
    return True
