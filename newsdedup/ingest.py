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
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import PurePath
from typing import BinaryIO, TextIO

from .dates import normalize_date
from .extract import (
    Extracted,
    decode_bytes,
    extract_html,
    extract_markdown,
    extract_plain,
    readable_url,
)
from .records import Document, Failure, Notice, Skipped

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

_Item = Document | Skipped | Notice | Failure


def iter_documents(
    paths: Sequence[str],
    *,
    stdin: TextIO | None = None,
    max_bytes: int = 50_000_000,
    fail_fast: bool = False,
) -> Iterator[_Item]:
    """Yield a Document or Skipped for every input, in a deterministic order, with a Notice
    for each field of a document that was ignored (a date or URL it cannot read, a value of
    the wrong type) and a Failure for an input an unexpected error cut short.

    Each path is a file, a directory (walked recursively, sorted) or "-" for
    JSON Lines on `stdin` (default `sys.stdin`). A repeated document id is
    skipped because later stages key everything by id. An unexpected error (a
    bug) is confined to the file, or to the one record of a JSON or JSON Lines
    file, it happened in; with `fail_fast` it is raised instead.
    """
    first_seen: dict[str, str] = {}
    dropped = None  # a duplicate's source: its notices (which follow it) go with it
    for path in paths:
        for item in _iter_path(path, stdin, max_bytes, fail_fast):
            if isinstance(item, Notice) and item.path == dropped:
                continue
            dropped = None
            if isinstance(item, Document):
                if item.id in first_seen:
                    reason = f"duplicate id '{item.id}' (first seen in {first_seen[item.id]})"
                    yield Skipped(item.source, reason)
                    dropped = item.source
                    continue
                first_seen[item.id] = item.source
            yield item


def _iter_path(path: str, stdin: TextIO | None, max_bytes: int, fail_fast: bool) -> Iterator[_Item]:
    if path == "-":
        stream = stdin if stdin is not None else sys.stdin
        yield from _guarded(_STDIN, _stdin_records(stream, max_bytes, fail_fast), fail_fast)
    elif os.path.isdir(path):
        for rel, full, problem in _scan_dir(path):
            fmt = _format(rel)
            if problem is not None:
                yield Skipped(rel, problem)
            elif fmt is None:
                yield Skipped(rel, _unsupported(rel), kind="unsupported")
            else:
                read = _read_file(full, rel, fmt, max_bytes, fail_fast, listed=True)
                yield from _guarded(rel, read, fail_fast)
    else:  # named explicitly, so an unknown extension is read as plain text
        rel = PurePath(path).as_posix()
        read = _read_file(path, rel, _format(path) or "txt", max_bytes, fail_fast, listed=False)
        yield from _guarded(rel, read, fail_fast)


def _unsupported(rel: str) -> str:
    extension = os.path.splitext(rel)[1]
    kind = f"file type '{extension.lower()}'" if extension else "file without an extension"
    return f"not read: {kind} is not a format newsdedup reads (name the file to read it as text)"


def _guarded(path: str, items: Iterator[_Item], fail_fast: bool) -> Iterator[_Item]:
    """Confine an unforeseen failure (e.g. a parser bug) to the input that caused it."""
    try:
        yield from items
    except OSError as exc:  # the file or stream failed mid-read (EIO): bad input, no bug
        yield Skipped(path, f"cannot read: {(exc.strerror or str(exc)).lower()}")
    except Exception as exc:
        if fail_fast:
            raise
        yield Failure.of(path, "reading", exc)


def _isolated(where: str, make: Callable[[], list[_Item]], fail_fast: bool) -> list[_Item]:
    """`make()`, or the failure of one record of a container: the records after it still
    count (one bad record once cost every later record of its file)."""
    try:
        return make()
    except Exception as exc:
        if fail_fast:
            raise
        return [Failure.of(where, "reading", exc)]


def _format(path: str) -> str | None:
    return _FORMATS.get(os.path.splitext(path)[1].lower())


def _scan_dir(root: str) -> list[tuple[str, str, str | None]]:
    """(relative POSIX path, file system path, skip reason or None), sorted by relative path.

    Hidden entries are ignored silently; files of other types are listed (the
    caller reports them as not read); directory symlinks are reported rather
    than followed, which rules out loops. A pipe found in a directory is
    reported, not opened: opening one blocks until a writer comes (named on the
    command line, as `<(cmd)` is, it is read).
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
            if not name.startswith("."):
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


def _read_file(
    full: str, rel: str, fmt: str, max_bytes: int, fail_fast: bool, *, listed: bool
) -> Iterator[_Item]:
    """The items of one file; `listed`: found in a directory, so read only if it is still a
    regular file when opened (it may have been replaced since the directory was listed)."""
    if fmt == "jsonl":
        yield from _jsonl_file(full, rel, max_bytes, fail_fast, listed)
        return
    loaded = _load_text(full, rel, max_bytes, listed)
    if isinstance(loaded, Skipped):
        yield loaded
    elif fmt == "json":
        yield from _json_records(loaded, rel, fail_fast)
    else:
        yield from _article(rel, fmt, loaded)


class _NotRegular(OSError):
    """A listed file that turned into a pipe, socket or device before it was opened."""


def _open(full: str, listed: bool) -> BinaryIO:
    """`full` opened for reading. A file found in a directory is opened without waiting
    (O_NONBLOCK: opening a pipe waits for a writer, forever if none comes) and refused
    unless it is a regular file; a file named on the command line is opened as it is."""
    if not listed:
        return open(full, "rb")
    handle = open(full, "rb", opener=_without_waiting)  # noqa: SIM115 (returned open)
    try:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise _NotRegular(errno.EINVAL, _SPECIAL)
        os.set_blocking(handle.fileno(), True)
    except BaseException:
        handle.close()
        raise
    return handle


def _without_waiting(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))


def _article(rel: str, fmt: str, text: str) -> list[_Item]:
    """One document from a whole text or page (not JSON), with its notices."""
    return _document(rel, rel, rel, fmt, _EXTRACTORS[fmt](text), from_html=fmt == "html")


def _too_large(where: str, max_bytes: int) -> Skipped:
    return Skipped(where, f"larger than {max_bytes} bytes")


def _jsonl_file(
    full: str, rel: str, max_bytes: int, fail_fast: bool, listed: bool
) -> Iterator[_Item]:
    """Stream a JSON Lines file: an archive may hold millions of records, so the size
    limit applies to each record (line), never to the whole file, and a line is read no
    further than the limit. JSON is UTF-8 by definition; undecodable bytes become U+FFFD
    rather than losing the record."""
    try:
        handle = _open(full, listed)
    except OSError as exc:
        yield Skipped(rel, _os_reason(exc, full))
        return
    with handle:
        lines = (
            _too_large(f"{rel}:{n}", max_bytes)
            if len(raw) > max_bytes
            else raw.decode("utf-8", errors="replace").rstrip("\r\n")
            for n, raw in enumerate(_bounded_lines(handle, max_bytes), 1)
        )
        yield from _jsonl_records(lines, rel, fail_fast)


def _bounded_lines(handle: BinaryIO, max_bytes: int) -> Iterator[bytes]:
    """The lines of `handle`; a line longer than `max_bytes` comes as its first
    `max_bytes + 1` bytes (too large to use), the rest of it skipped, not held."""
    while line := handle.readline(max_bytes + 1):
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while (rest := handle.readline(_SKIP_CHUNK)) and not rest.endswith(b"\n"):
                pass
        yield line


_SKIP_CHUNK = 1 << 16  # how much of an over-long line is read at a time, then dropped


def _load_text(full: str, rel: str, max_bytes: int, listed: bool = False) -> str | Skipped:
    """Decoded file content, or why it cannot be used."""
    try:
        with _open(full, listed) as handle:
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
    if isinstance(exc, _NotRegular):
        return _SPECIAL
    if exc.errno == errno.ENOENT and os.path.islink(path):
        return "broken symbolic link"
    known = _OS_REASONS.get(exc.errno) if exc.errno is not None else None
    return known or (exc.strerror or str(exc)).lower()


def _stdin_records(stream: TextIO, max_bytes: int, fail_fast: bool) -> Iterator[_Item]:
    """JSON Lines, or one article piped in (`curl URL | newsdedup scan - archive/`).

    JSON Lines records start with "{"; a stream whose first non-blank character
    is anything else is one document: HTML when it starts with "<", else text.
    """
    try:
        lines = _stream_lines(stream, max_bytes)
        head: list[tuple[str, bool]] = []
        for line in lines:
            head.append(line)
            if line[0].strip():
                break
        opening = "".join(text for text, _ in head).lstrip("\ufeff \t\r\n")[:1]
        if opening in ("{", ""):
            records = (
                line
                if whole and len(line.encode("utf-8", "surrogatepass")) <= max_bytes
                else _too_large(f"{_STDIN}:{n}", max_bytes)
                for n, (line, whole) in enumerate(itertools.chain(head, lines), 1)
            )
            yield from _jsonl_records(records, _STDIN, fail_fast)
            return
        # a character is at least a byte: past `max_bytes` characters, stop reading
        parts: list[str] = []
        chars = 0
        for piece, _ in itertools.chain(head, lines):
            parts.append(piece)
            chars += len(piece)
            if chars > max_bytes:
                break
        text = "".join(parts)
    except (OSError, UnicodeDecodeError) as exc:
        yield Skipped(_STDIN, f"cannot read: {exc}")
        return
    if len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        yield _too_large(_STDIN, max_bytes)
        return
    yield from _article(_STDIN, "html" if opening == "<" else "txt", text)


def _stream_lines(stream: TextIO, max_bytes: int) -> Iterator[tuple[str, bool]]:
    """(line, whether it is whole) for the lines of a text stream, each read no further than
    `max_bytes` characters (a character is at least a byte): of a longer line only that
    much is kept, its rest read and dropped, never held."""
    while line := stream.readline(max_bytes + 1):
        if len(line) <= max_bytes:
            yield line, True
            continue
        if not line.endswith("\n"):
            while (rest := stream.readline(_SKIP_CHUNK)) and not rest.endswith("\n"):
                pass
        yield line, False


def _jsonl_records(lines: Iterable[str | Skipped], rel: str, fail_fast: bool) -> Iterator[_Item]:
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
        yield from _isolated(
            where,
            lambda: _record(record, where, f"{rel}#{lineno}", where, "jsonl"),  # noqa: B023
            fail_fast,
        )


def _json_records(text: str, rel: str, fail_fast: bool) -> Iterator[_Item]:
    """A JSON file holds one record object or a list of them."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        yield Skipped(rel, _json_error(exc, with_line=True))
        return
    if not isinstance(data, list):
        yield from _isolated(rel, lambda: _record(data, rel, rel, rel, "json"), fail_fast)
        return
    for index, record in enumerate(data):
        where = f"{rel}#{index}"
        yield from _isolated(
            where,
            lambda: _record(record, where, where, rel, "json"),  # noqa: B023
            fail_fast,
        )


def _json_error(exc: ValueError | RecursionError, *, with_line: bool) -> str:
    if not isinstance(exc, json.JSONDecodeError):
        return "invalid JSON: nested too deeply"
    where = f"line {exc.lineno}, column {exc.colno}" if with_line else f"column {exc.colno}"
    return f"invalid JSON: {exc.msg} ({where})"


_METADATA = ("title", "url", "canonical_url", "site")


def _record(record: object, where: str, fallback_id: str, source: str, fmt: str) -> list[_Item]:
    """Document from a JSON record; its own metadata fields beat what extraction found.

    Only a body is required: a metadata field of the wrong type, a date or URL that
    cannot be read, an id that is no string or number is ignored, with a notice."""
    if not isinstance(record, dict):
        return [Skipped(where, "record is not a JSON object")]
    body = _record_body(record)
    if body is None:
        return [Skipped(where, "record has no 'text' or 'html'")]
    extracted, from_html, ignored = body
    fields = {key: _field(record, key, ignored) for key in _METADATA}
    for key in ("url", "canonical_url"):
        value = fields[key]
        if value is not None and readable_url(value) is None:
            ignored.append(f"field '{key}' ignored: {_shown(value)} is not a URL that can be read")
            fields[key] = None
    published = normalize_date(record.get("published"))
    if record.get("published") is not None and published is None:
        ignored.append(f"field 'published' ignored: {_shown(record['published'])} is no date")
    doc_id = _record_id(record, fallback_id, ignored)
    merged = Extracted(
        text=extracted.text,
        title=fields["title"] or extracted.title,
        url=fields["url"] or extracted.url,
        canonical_url=fields["canonical_url"] or extracted.canonical_url,
        site=fields["site"] or extracted.site,
        published=published or extracted.published,
        date_source="record" if published else extracted.date_source,
        ignored=(*ignored, *extracted.ignored),
    )
    return _document(doc_id, where, source, fmt, merged, from_html=from_html)


def _shown(value: object) -> str:
    """A field's value as a notice quotes it: JSON, cut short."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:59] + "…"


def _record_body(record: dict[str, object]) -> tuple[Extracted, bool, list[str]] | None:
    """(extraction, whether it came from HTML, fields ignored); non-blank `text` wins over
    `html`."""
    text, html = record.get("text"), record.get("html")
    ignored = [
        f"field '{key}' ignored: not a string"
        for key, value in (("text", text), ("html", html))
        if value is not None and not isinstance(value, str)
    ]
    if isinstance(text, str) and (text.strip() or not isinstance(html, str)):
        return extract_plain(text), False, ignored
    if isinstance(html, str):
        return extract_html(html), True, ignored
    return None


def _field(record: dict[str, object], key: str, ignored: list[str]) -> str | None:
    value = record.get(key)
    if value is not None and not isinstance(value, str):
        ignored.append(f"field '{key}' ignored: not a string")
    return (value.strip() or None) if isinstance(value, str) else None


def _record_id(record: dict[str, object], fallback: str, ignored: list[str]) -> str:
    """The record's own id, stringified; positional ids only when it has none."""
    value = record.get("id")
    if value is None:
        return fallback
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        ignored.append(f"field 'id' ignored: not a string or number (known as '{fallback}')")
        return fallback
    return str(value).strip() or fallback


def _document(
    doc_id: str, where: str, source: str, fmt: str, extracted: Extracted, *, from_html: bool
) -> list[_Item]:
    """The document, then a notice for each field it ignored; or why there is none."""
    if not extracted.text.strip():
        return [Skipped(where, "no article text found" if from_html else "empty document")]
    document = Document(
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
    return [document, *(Notice(where, message) for message in extracted.ignored)]
