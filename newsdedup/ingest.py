"""Read files, directories and JSON Lines streams into `Document`s.

This is the only stage that touches the file system. Every input that cannot be
used becomes a `Skipped` record with a short reason instead of an exception, so
one unreadable file never ends a run over a large corpus.
"""

from __future__ import annotations

import errno
import functools
import itertools
import json
import os
import stat
import sys
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import PurePath
from typing import Any, BinaryIO, TextIO, TypeVar, cast

from .containers import container_format, csvfile, split_compression, warc
from .containers.compressed import BrokenStream, decompressed
from .dates import normalize_date
from .extract import (
    Extracted,
    decode_bytes,
    extract_html,
    extract_markdown,
    extract_plain,
    readable_url,
)
from .language import detect_language
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
_EXTRACTORS: dict[str, Callable[[str], Extracted]] = {
    "txt": extract_plain,
    "md": extract_markdown,
    "html": extract_html,
}
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
_T = TypeVar("_T")


def iter_documents(
    paths: Sequence[str],
    *,
    stdin: TextIO | None = None,
    max_bytes: int = 50_000_000,
    fail_fast: bool = False,
    columns: Mapping[str, str] | None = None,
    make: Callable[[Iterable[_Item | Pending]], Iterator[_Item]] | None = None,
) -> Generator[_Item, None, None]:
    """Yield a Document or Skipped for every input, in a deterministic order, with a Notice
    for each field of a document that was ignored (a date or URL it cannot read, a value of
    the wrong type) and a Failure for an input an unexpected error cut short.

    Each path is a file, a directory (walked recursively, sorted) or "-" for
    JSON Lines on `stdin` (default `sys.stdin`). A repeated document id is
    skipped because later stages key everything by id. An unexpected error (a
    bug) is confined to the file, or to the one record of a JSON or JSON Lines
    file, it happened in; with `fail_fast` it is raised instead. `columns` maps record
    fields to the columns of CSV and TSV files (`containers.csvfile`). `make` turns the
    records read into their items, in order: `made` (default) one after another here, a
    scan's worker pool in its processes (`pipeline.read_documents`); the items are the same.
    """
    items = (
        item
        for path in paths
        for item in _iter_path(path, stdin, max_bytes, fail_fast, columns or {})
    )
    yield from unique_ids((make or made)(items))


@dataclass(frozen=True, slots=True)
class Pending:
    """A record (or a small file) read from its input whose items are not made yet: the
    costly part of reading (decoding, HTML text and metadata, dates, language), which a
    scan makes in its worker processes while its main process streams the container on.

    `make(*args)` is a module-level function of picklable arguments, so the record ships to
    a worker as it is, and it confines an unexpected error to the record itself (a
    `Failure`, or raised with `fail_fast`). `finish`, applied in the reading process in
    input order, settles what depends on the records before it (a WARC page's id).
    `size`: the bytes the record carries, to bound how many travel at once."""

    make: Callable[..., object]
    args: tuple[Any, ...]
    size: int
    finish: Callable[[Any], list[_Item]] = lambda made: cast(list[_Item], made)

    def items(self) -> list[_Item]:
        """The record's items, made here."""
        return self.finish(self.make(*self.args))


def made(items: Iterable[_Item | Pending]) -> Iterator[_Item]:
    """`items` with each pending record made, one after another, in this process."""
    for item in items:
        if isinstance(item, Pending):
            yield from item.items()
        else:
            yield item


def unique_ids(items: Iterable[_Item]) -> Iterator[_Item]:
    """`items` with each document id kept once, the first seen: a later document of the
    same id becomes a Skipped, and the notices that follow it go with it. A distributed
    scan reads inputs apart and passes their items (texts left on the workers) through this
    in input order, so it keeps what a local scan keeps."""
    first_seen: dict[str, str] = {}
    dropped = None  # a duplicate's source: its notices (which follow it) go with it
    for item in items:
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


@dataclass(frozen=True, slots=True)
class Entry:
    """One input file to read: its id base (`rel`), where it is, how to read it (None: a
    type not read), why it cannot be read, if known when listed; `remote`: an fsspec URL."""

    rel: str
    full: str
    fmt: str | None
    problem: str | None = None
    listed: bool = False
    remote: bool = False


def entries(path: str) -> list[Entry]:
    """The files a local path names: a directory's files (sorted, as `_scan_dir` lists
    them) or the file itself (named explicitly, so an unknown extension is read as text)."""
    if os.path.isdir(path):
        return [
            Entry(rel, full, _format(rel), problem, listed=True)
            for rel, full, problem in _scan_dir(path)
        ]
    return [Entry(PurePath(path).as_posix(), path, _format(path) or "txt")]


def url_entries(url: str) -> list[Entry]:
    """The files an fsspec URL names (`s3://bucket/crawl/*.jsonl.gz`, `file:///data/*.jsonl`),
    sorted; a compression suffix (.gz, .bz2, .xz, .zst) is read through. Needs fsspec (the
    `dask` extra); a URL that matches nothing is one Skipped entry."""
    import fsspec  # the dask extra: the local engine reads local paths only

    fs, _, found = fsspec.core.get_fs_token_paths(url, mode="rb", expand=True)
    if not found:
        return [Entry(url, url, None, "no such file or directory")]
    listed = []
    for path in sorted(found):
        full = fs.unstrip_protocol(path)
        listed.append(Entry(full, full, _format(full) or "txt", remote=True))
    return listed


def read_entry(
    entry: Entry, max_bytes: int, fail_fast: bool, columns: Mapping[str, str] | None = None
) -> Iterator[_Item]:
    """The items of one input file, as a scan of its directory or of its name reads it."""
    yield from made(_entry_items(entry, max_bytes, fail_fast, columns or {}))


_STREAMED = ("jsonl", "warc", "csv", "tsv")  # containers: read here, their records made apart


def _entry_items(
    entry: Entry, max_bytes: int, fail_fast: bool, columns: Mapping[str, str]
) -> Iterator[_Item | Pending]:
    """The items of one input file; a container's records, and any other file whole, as
    `Pending` (made where the caller makes them)."""
    if entry.problem is not None:
        yield Skipped(entry.rel, entry.problem)
    elif entry.fmt is None:
        yield Skipped(entry.rel, _unsupported(entry.rel), kind="unsupported")
    elif entry.fmt in _STREAMED:
        yield from _guarded(entry.rel, _file_items(entry, max_bytes, fail_fast, columns), fail_fast)
    else:
        size = 0 if entry.remote else _size(entry.full)
        yield Pending(_whole_file, (entry, max_bytes, fail_fast, columns), size)


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _whole_file(
    entry: Entry, max_bytes: int, fail_fast: bool, columns: Mapping[str, str]
) -> list[_Item]:
    """The items of a file read whole (a text, page or JSON file), an unexpected error
    confined to it."""
    return list(
        made(_guarded(entry.rel, _file_items(entry, max_bytes, fail_fast, columns), fail_fast))
    )


def _file_items(
    entry: Entry, max_bytes: int, fail_fast: bool, columns: Mapping[str, str]
) -> Iterator[_Item | Pending]:
    return _read_file(
        entry.full,
        entry.rel,
        entry.fmt or "txt",
        max_bytes,
        fail_fast,
        listed=entry.listed,
        remote=entry.remote,
        columns=columns,
    )


def _iter_path(
    path: str, stdin: TextIO | None, max_bytes: int, fail_fast: bool, columns: Mapping[str, str]
) -> Iterator[_Item | Pending]:
    if path == "-":
        stream = stdin if stdin is not None else sys.stdin
        yield from _guarded(_STDIN, _stdin_records(stream, max_bytes, fail_fast), fail_fast)
    else:
        for entry in entries(path):
            yield from _entry_items(entry, max_bytes, fail_fast, columns)


def _unsupported(rel: str) -> str:
    extension = os.path.splitext(rel)[1]
    kind = f"file type '{extension.lower()}'" if extension else "file without an extension"
    return f"not read: {kind} is not a format newsdedup reads (name the file to read it as text)"


def _guarded(path: str, items: Iterator[_T], fail_fast: bool) -> Iterator[_T | Skipped | Failure]:
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
    """How a file is read, by its name: a compressed file (`.gz`, `.bz2`, `.xz`, `.zst`) as
    what its name says without the suffix (`feed.jsonl.gz` is JSON Lines); containers."""
    stem, _ = split_compression(path)
    return _FORMATS.get(os.path.splitext(stem)[1].lower()) or container_format(path)


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
    full: str,
    rel: str,
    fmt: str,
    max_bytes: int,
    fail_fast: bool,
    *,
    listed: bool,
    remote: bool = False,
    columns: Mapping[str, str] | None = None,
) -> Iterator[_Item | Pending]:
    """The items of one file; `listed`: found in a directory, so read only if it is still a
    regular file when opened (it may have been replaced since the directory was listed);
    `remote`: an fsspec URL."""
    if fmt == "jsonl":
        yield from _jsonl_file(full, rel, max_bytes, fail_fast, listed, remote)
        return
    if fmt == "warc":
        yield from _warc_file(full, rel, max_bytes, fail_fast, listed, remote)
        return
    if fmt in ("csv", "tsv"):
        yield from _table_file(full, rel, fmt, max_bytes, fail_fast, listed, remote, columns or {})
        return
    loaded = _load_text(full, rel, max_bytes, listed, remote, html=fmt == "html")
    if isinstance(loaded, Skipped):
        yield loaded
    elif fmt == "json":
        yield from _json_records(loaded, rel, fail_fast)
    else:
        yield from _article(rel, fmt, loaded)


class _NotRegular(OSError):
    """A listed file that turned into a pipe, socket or device before it was opened."""


def _open(full: str, listed: bool, remote: bool = False, *, raw: bool = False) -> BinaryIO:
    """`full` opened for reading. A file found in a directory is opened without waiting
    (O_NONBLOCK: opening a pipe waits for a writer, forever if none comes) and refused
    unless it is a regular file; a file named on the command line is opened as it is; an
    fsspec URL through fsspec, decompressed by its suffix. A local file is decompressed by
    its suffix too, unless `raw` (a WARC: warcio reads its gzip members one by one)."""
    _, compression = split_compression(full)
    if compression and not raw and not remote:
        return decompressed(_open(full, listed, raw=True), compression)
    if remote:
        import fsspec  # the dask extra

        handle: BinaryIO = fsspec.open(full, "rb", compression="infer").open()
        return handle
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
    full: str, rel: str, max_bytes: int, fail_fast: bool, listed: bool, remote: bool = False
) -> Iterator[_Item | Pending]:
    """Stream a JSON Lines file: an archive may hold millions of records, so the size
    limit applies to each record (line), never to the whole file, and a line is read no
    further than the limit. JSON is UTF-8 by definition; undecodable bytes become U+FFFD
    rather than losing the record."""
    try:
        handle = _open(full, listed, remote)
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
        yield from _jsonl_records(_to_the_break(lines, rel), rel, fail_fast)


def _to_the_break(lines: Iterator[str | Skipped], rel: str) -> Iterator[str | Skipped]:
    """`lines` up to a break in compressed data, which is reported at the line it cut:
    what came before it is kept, nothing after it can be read."""
    n = 0
    try:
        for n, line in enumerate(lines, 1):  # noqa: B007 (n: the line after the last read)
            yield line
    except BrokenStream as exc:
        yield Skipped(f"{rel}:{n + 1}", f"{exc}; the rest of the file cannot be read")


def _warc_file(
    full: str, rel: str, max_bytes: int, fail_fast: bool, listed: bool, remote: bool
) -> Iterator[_Item | Pending]:
    """The pages of a crawl archive (`containers.warc`), each a document named by its URL;
    a record that cannot be read is skipped at its offset (`crawl.warc.gz#1234`), and what
    the archive held besides pages is counted in one notice."""
    try:
        handle = _open(full, listed, remote, raw=True)
    except OSError as exc:
        yield Skipped(rel, _os_reason(exc, full))
        return
    seen: set[str] = set()
    with handle:
        for item in warc.pages(handle, max_bytes):
            if isinstance(item, warc.Problem):
                yield Skipped(f"{rel}#{item.offset}", item.reason)
            elif isinstance(item, warc.Passed):
                yield Notice(rel, item.describe())
            else:
                named = functools.partial(
                    _warc_named, item.uri or f"{rel}#{item.offset}", item.offset, seen
                )
                yield Pending(_warc_page, (item, rel, fail_fast), len(item.body), named)


def _warc_page(page: warc.Page, rel: str, fail_fast: bool) -> tuple[bool, list[_Item]]:
    """Whether the page could be decoded, and its document: decoded as its HTTP header,
    then the page, declare (`decode_bytes`), named by its URL (`_warc_named` settles a later
    capture's id). The capture date is not its publication date: a page crawled a week
    late would beat its own source, so only the page's own date is read."""
    where = f"{rel}#{page.offset}"
    decoded = False

    def document() -> list[_Item]:
        nonlocal decoded
        try:
            text, _ = decode_bytes(page.body, content_type=page.content_type, html=page.html)
        except ValueError as exc:
            return [Skipped(where, str(exc))]
        decoded = True
        extracted = extract_html(text) if page.html else extract_plain(text)
        if page.uri and not extracted.url and readable_url(page.uri):
            extracted = replace(extracted, url=page.uri)
        return _document(page.uri or where, where, rel, "warc", extracted, from_html=page.html)

    items = _isolated(where, document, fail_fast)
    return decoded, items


def _warc_named(
    doc_id: str, offset: int, seen: set[str], page: tuple[bool, list[_Item]]
) -> list[_Item]:
    """A decoded page's items with its id settled: its URL, or for a later capture of the
    same URL in the archive the URL and its offset; `seen`: the ids of the pages before it."""
    decoded, items = page
    if not decoded:
        return items
    if doc_id in seen:
        doc_id = f"{doc_id}@{offset}"
        items = [replace(i, id=doc_id) if isinstance(i, Document) else i for i in items]
    seen.add(doc_id)
    return items


def _table_file(
    full: str,
    rel: str,
    fmt: str,
    max_bytes: int,
    fail_fast: bool,
    listed: bool,
    remote: bool,
    columns: Mapping[str, str],
) -> Iterator[_Item | Pending]:
    """The rows of a CSV or TSV table (`containers.csvfile`), each read as a JSON Lines
    record is; a row that cannot be read is skipped at its line (`export.csv:9`)."""
    try:
        handle = _open(full, listed, remote)
    except OSError as exc:
        yield Skipped(rel, _os_reason(exc, full))
        return
    delimiter = "\t" if fmt == "tsv" else ","
    with handle:
        try:
            for line, row in csvfile.rows(handle, delimiter, columns, max_bytes):
                where = f"{rel}:{line}"
                if isinstance(row, str):
                    yield Skipped(where, row)
                    continue
                size = sum(len(str(value)) for value in row.values())
                yield Pending(
                    _record_items, (row, where, f"{rel}#{line}", rel, fmt, fail_fast), size
                )
        except BrokenStream as exc:
            yield Skipped(rel, f"{exc}; the rest of the file cannot be read")


def _bounded_lines(handle: BinaryIO, max_bytes: int) -> Iterator[bytes]:
    """The lines of `handle`; a line longer than `max_bytes` comes as its first
    `max_bytes + 1` bytes (too large to use), the rest of it skipped, not held."""
    while line := handle.readline(max_bytes + 1):
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while (rest := handle.readline(_SKIP_CHUNK)) and not rest.endswith(b"\n"):
                pass
        yield line


_SKIP_CHUNK = 1 << 16  # how much of an over-long line is read at a time, then dropped


def _load_text(
    full: str,
    rel: str,
    max_bytes: int,
    listed: bool = False,
    remote: bool = False,
    *,
    html: bool = False,
) -> str | Skipped:
    """Decoded file content, or why it cannot be used."""
    try:
        with _open(full, listed, remote) as handle:
            too_big = not remote and os.fstat(handle.fileno()).st_size > max_bytes
            data = b"" if too_big else handle.read(max_bytes + 1)  # +1: pipes have no size
    except OSError as exc:
        return Skipped(rel, _os_reason(exc, full))
    if too_big or len(data) > max_bytes:
        return _too_large(rel, max_bytes)
    try:
        text, _encoding = decode_bytes(data, html=html)
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


def _stdin_records(stream: TextIO, max_bytes: int, fail_fast: bool) -> Iterator[_Item | Pending]:
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


def _jsonl_records(
    lines: Iterable[str | Skipped], rel: str, fail_fast: bool
) -> Iterator[_Item | Pending]:
    """One record per line; a bad line is skipped on its own so the rest still count."""
    for lineno, line in enumerate(lines, 1):
        if isinstance(line, Skipped):
            yield line
            continue
        if not line.strip():
            continue
        where = f"{rel}:{lineno}"
        yield Pending(_jsonl_record, (line, where, f"{rel}#{lineno}", fail_fast), len(line))


def _jsonl_record(line: str, where: str, fallback_id: str, fail_fast: bool) -> list[_Item]:
    """The items of one JSON Lines record: a document, or why the line gives none."""
    try:
        record = json.loads(line.lstrip("\ufeff"))
    except (ValueError, RecursionError) as exc:
        return [Skipped(where, _json_error(exc, with_line=False))]
    return _record_items(record, where, fallback_id, where, "jsonl", fail_fast)


def _record_items(
    record: object, where: str, fallback_id: str, source: str, fmt: str, fail_fast: bool
) -> list[_Item]:
    """`_record`, an unexpected error confined to the record."""
    return _isolated(where, lambda: _record(record, where, fallback_id, source, fmt), fail_fast)


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
    published = normalize_date(record.get("published"))  # any value: a date or None
    body = _record_body(record, published)
    if body is None:
        return [Skipped(where, "record has no 'text' or 'html'")]
    extracted, from_html, ignored = body
    fields = {key: _field(record, key, ignored) for key in _METADATA}
    for key in ("url", "canonical_url"):
        value = fields[key]
        if value is not None and readable_url(value) is None:
            ignored.append(f"field '{key}' ignored: {_shown(value)} is not a URL that can be read")
            fields[key] = None
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


def _record_body(
    record: dict[str, object], published: str | None
) -> tuple[Extracted, bool, list[str]] | None:
    """(extraction, whether it came from HTML, fields ignored); non-blank `text` wins over
    `html`. `published`: the record's own date, which beats the page's (`_record`), so a
    text or page that comes with one is not searched for a date."""
    text, html = record.get("text"), record.get("html")
    ignored = [
        f"field '{key}' ignored: not a string"
        for key, value in (("text", text), ("html", html))
        if value is not None and not isinstance(value, str)
    ]
    extract: Callable[..., Extracted]
    if isinstance(text, str) and (text.strip() or not isinstance(html, str)):
        extract, body, from_html = extract_plain, text, False
    elif isinstance(html, str):
        extract, body, from_html = extract_html, html, True
    else:
        return None
    # the date only when there is one: else the one-argument call every reader makes
    return (extract(body, published) if published else extract(body)), from_html, ignored


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
        language=detect_language(extracted.text),
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
