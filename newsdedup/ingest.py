"""Read files, directories and JSON Lines streams into `Document`s.

This is the only stage that touches the file system. Every input that cannot be
used becomes a `Skipped` record with a short reason instead of an exception, so
one unreadable file never ends a run over a large corpus.
"""

from __future__ import annotations

import errno
import itertools
import json
import os
import stat
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import PurePath
from typing import TextIO

from .dates import normalize_date
from .extract import (
    Extracted,
    decode_bytes,
    extract_html,
    extract_markdown,
    extract_plain,
)
from .records import Document, Skipped

_FORMATS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
_EXTRACTORS = {"txt": extract_plain, "md": extract_markdown, "html": extract_html}
_OS_REASONS = {
    errno.ENOENT: "no such file or directory",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ELOOP: "symbolic link loop",
    errno.EISDIR: "is a directory",
}
_STDIN = "<stdin>"
_DIR_LINK = "symbolic link to a directory (not followed)"
_SPECIAL = "not a regular file (a pipe, socket or device: not read in a directory scan)"

_Item = Document | Skipped


def iter_documents(
    paths: Sequence[str], *, stdin: TextIO | None = None, max_bytes: int = 50_000_000
) -> Iterator[Document | Skipped]:
    """Yield a Document or Skipped for every input, in a deterministic order.

    Each path is a file, a directory (walked recursively, sorted) or "-" for
    JSON Lines on `stdin` (default `sys.stdin`). A repeated document id is
    skipped because later stages key everything by id.
    """
    first_seen: dict[str, str] = {}
    for path in paths:
        for item in _iter_path(path, stdin, max_bytes):
            if isinstance(item, Document):
                if item.id in first_seen:
                    reason = f"duplicate id '{item.id}' (first seen in {first_seen[item.id]})"
                    yield Skipped(item.source, reason)
                    continue
                first_seen[item.id] = item.source
            yield item


def _iter_path(path: str, stdin: TextIO | None, max_bytes: int) -> Iterator[_Item]:
    if path == "-":
        stream = stdin if stdin is not None else sys.stdin
        yield from _guarded(_STDIN, _stdin_records(stream, max_bytes))
    elif os.path.isdir(path):
        for rel, full, problem in _scan_dir(path):
            if problem is not None:
                yield Skipped(rel, problem)
            else:
                yield from _guarded(rel, _read_file(full, rel, _format(rel) or "txt", max_bytes))
    else:  # named explicitly, so an unknown extension is read as plain text
        rel = PurePath(path).as_posix()
        yield from _guarded(rel, _read_file(path, rel, _format(path) or "txt", max_bytes))


def _guarded(path: str, items: Iterator[_Item]) -> Iterator[_Item]:
    """Confine an unforeseen failure (e.g. a parser bug) to the input that caused it."""
    try:
        yield from items
    except Exception as exc:
        yield Skipped(path, f"unexpected error: {type(exc).__name__}: {exc}")


def _format(path: str) -> str | None:
    return _FORMATS.get(os.path.splitext(path)[1].lower())


def _scan_dir(root: str) -> list[tuple[str, str, str | None]]:
    """(relative POSIX path, file system path, skip reason or None), sorted by relative path.

    Hidden entries and unknown extensions are ignored silently; directory
    symlinks are reported rather than followed, which rules out loops. A pipe
    found in a directory is reported, not opened: opening one blocks until a
    writer comes (named on the command line, as `<(cmd)` is, it is read).
    """
    found: list[tuple[str, str, str | None]] = []

    def on_error(exc: OSError) -> None:
        where = str(exc.filename or root)
        found.append((_relative(root, where), where, _os_reason(exc, where)))

    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error, followlinks=False):
        dirnames[:] = [name for name in dirnames if not name.startswith(".")]
        for name in dirnames:
            full = os.path.join(dirpath, name)
            if os.path.islink(full):
                found.append((_relative(root, full), full, _DIR_LINK))
        for name in filenames:
            if not name.startswith(".") and _format(name) is not None:
                full = os.path.join(dirpath, name)
                found.append((_relative(root, full), full, _SPECIAL if _special(full) else None))
    return sorted(found, key=lambda entry: entry[0])


def _special(path: str) -> bool:
    """Whether `path` exists but is no regular file (a broken link is left to the reader)."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def _relative(root: str, full: str) -> str:
    rel = os.path.relpath(full, root)
    return PurePath(root if rel == "." else rel).as_posix()


def _read_file(full: str, rel: str, fmt: str, max_bytes: int) -> Iterator[_Item]:
    if fmt == "jsonl":
        yield from _jsonl_file(full, rel, max_bytes)
        return
    loaded = _load_text(full, rel, max_bytes)
    if isinstance(loaded, Skipped):
        yield loaded
    elif fmt == "json":
        yield from _json_records(loaded, rel)
    else:
        yield _article(rel, fmt, loaded)


def _article(rel: str, fmt: str, text: str) -> _Item:
    """One document from a whole text or page (not JSON)."""
    return _document(rel, rel, rel, fmt, _EXTRACTORS[fmt](text), from_html=fmt == "html")


def _too_large(where: str, max_bytes: int) -> Skipped:
    return Skipped(where, f"larger than {max_bytes} bytes")


def _jsonl_file(full: str, rel: str, max_bytes: int) -> Iterator[_Item]:
    """Stream a JSON Lines file: an archive may hold millions of records, so the size
    limit applies to each record (line), never to the whole file. JSON is UTF-8 by
    definition; undecodable bytes become U+FFFD rather than losing the record."""
    try:
        handle = open(full, "rb")  # noqa: SIM115 - the generator below closes it
    except OSError as exc:
        yield Skipped(rel, _os_reason(exc, full))
        return
    with handle:
        lines = (
            _too_large(f"{rel}:{n}", max_bytes)
            if len(raw) > max_bytes
            else raw.decode("utf-8", errors="replace").rstrip("\r\n")
            for n, raw in enumerate(handle, 1)
        )
        yield from _jsonl_records(lines, rel)


def _load_text(full: str, rel: str, max_bytes: int) -> str | Skipped:
    """Decoded file content, or why it cannot be used."""
    try:
        with open(full, "rb") as handle:
            too_big = os.fstat(handle.fileno()).st_size > max_bytes
            data = b"" if too_big else handle.read(max_bytes + 1)  # +1: pipes have no size
    except OSError as exc:
        return Skipped(rel, _os_reason(exc, full))
    if too_big or len(data) > max_bytes:
        return _too_large(rel, max_bytes)
    try:
        text, _encoding = decode_bytes(data)
    except ValueError as exc:
        return Skipped(rel, str(exc))
    return text if text.strip() else Skipped(rel, "empty document")


def _os_reason(exc: OSError, path: str) -> str:
    if exc.errno == errno.ENOENT and os.path.islink(path):
        return "broken symbolic link"
    known = _OS_REASONS.get(exc.errno) if exc.errno is not None else None
    return known or (exc.strerror or str(exc)).lower()


def _stdin_records(stream: TextIO, max_bytes: int) -> Iterator[_Item]:
    """JSON Lines, or one article piped in (`curl URL | newsdedup scan - archive/`).

    JSON Lines records start with "{"; a stream whose first non-blank character
    is anything else is one document: HTML when it starts with "<", else text.
    """
    try:
        lines = iter(stream)
        head: list[str] = []
        for line in lines:
            head.append(line)
            if line.strip():
                break
        opening = "".join(head).lstrip("\ufeff \t\r\n")[:1]
        if opening in ("{", ""):
            yield from _jsonl_records(itertools.chain(head, lines), _STDIN)
            return
        # a character is at least a byte: past `max_bytes` characters, stop reading
        parts: list[str] = []
        chars = 0
        for line in itertools.chain(head, lines):
            parts.append(line)
            chars += len(line)
            if chars > max_bytes:
                break
        text = "".join(parts)
    except (OSError, UnicodeDecodeError) as exc:
        yield Skipped(_STDIN, f"cannot read: {exc}")
        return
    if len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        yield _too_large(_STDIN, max_bytes)
        return
    yield _article(_STDIN, "html" if opening == "<" else "txt", text)


def _jsonl_records(lines: Iterable[str | Skipped], rel: str) -> Iterator[_Item]:
    """One record per line; a bad line is skipped on its own so the rest still count."""
    for lineno, line in enumerate(lines, 1):
        if isinstance(line, Skipped):
            yield line
            continue
        if not line.strip():
            continue
        where = f"{rel}:{lineno}"
        try:
            record = json.loads(line.lstrip("\ufeff"))
        except (ValueError, RecursionError) as exc:
            yield Skipped(where, _json_error(exc, with_line=False))
            continue
        yield _record(record, where, f"{rel}#{lineno}", where, "jsonl")


def _json_records(text: str, rel: str) -> Iterator[_Item]:
    """A JSON file holds one record object or a list of them."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        yield Skipped(rel, _json_error(exc, with_line=True))
        return
    if not isinstance(data, list):
        yield _record(data, rel, rel, rel, "json")
        return
    for index, record in enumerate(data):
        yield _record(record, f"{rel}#{index}", f"{rel}#{index}", rel, "json")


def _json_error(exc: ValueError | RecursionError, *, with_line: bool) -> str:
    if not isinstance(exc, json.JSONDecodeError):
        return "invalid JSON: nested too deeply"
    where = f"line {exc.lineno}, column {exc.colno}" if with_line else f"column {exc.colno}"
    return f"invalid JSON: {exc.msg} ({where})"


def _record(record: object, where: str, fallback_id: str, source: str, fmt: str) -> _Item:
    """Document from a JSON record; its own metadata fields beat what extraction found."""
    if not isinstance(record, dict):
        return Skipped(where, "record is not a JSON object")
    body = _record_body(record)
    if body is None:
        return Skipped(where, "record has no 'text' or 'html'")
    extracted, from_html = body
    published = normalize_date(record.get("published"))
    merged = Extracted(
        text=extracted.text,
        title=_field(record, "title") or extracted.title,
        url=_field(record, "url") or extracted.url,
        canonical_url=_field(record, "canonical_url") or extracted.canonical_url,
        site=_field(record, "site") or extracted.site,
        published=published or extracted.published,
        date_source="record" if published else extracted.date_source,
    )
    doc_id = _record_id(record, fallback_id)
    return _document(doc_id, where, source, fmt, merged, from_html=from_html)


def _record_body(record: dict[str, object]) -> tuple[Extracted, bool] | None:
    """(extraction, whether it came from HTML); non-blank `text` wins over `html`."""
    text, html = record.get("text"), record.get("html")
    if isinstance(text, str) and (text.strip() or not isinstance(html, str)):
        return extract_plain(text), False
    if isinstance(html, str):
        return extract_html(html), True
    return None


def _field(record: dict[str, object], key: str) -> str | None:
    value = record.get(key)
    return (value.strip() or None) if isinstance(value, str) else None


def _record_id(record: dict[str, object], fallback: str) -> str:
    """The record's own id, stringified; positional ids only when it has none."""
    value = record.get("id")
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return fallback
    return str(value).strip() or fallback


def _document(
    doc_id: str, where: str, source: str, fmt: str, extracted: Extracted, *, from_html: bool
) -> _Item:
    if not extracted.text.strip():
        return Skipped(where, "no article text found" if from_html else "empty document")
    return Document(
        id=doc_id,
        text=extracted.text,
        title=extracted.title,
        url=extracted.url,
        canonical_url=extracted.canonical_url,
        site=extracted.site,
        published=extracted.published,
        date_source=extracted.date_source,
        source=source,
        format=fmt,
    )
