"""Typed records that flow between the pipeline stages.

Every stage takes and returns these frozen records; none of them holds a file
handle or a console, so a stage can run in a worker process, be cached, or be
stored by a persistent index later without change.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Document:
    """One article after ingest and extraction.

    `id` is stable across runs and machines: the path relative to the scanned
    root (POSIX separators) or the record's own `id`. All offsets elsewhere in
    the pipeline index into `text`, the extracted article text, not into the
    raw bytes of the file.
    """

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    site: str | None = None
    published: str | None = None
    source: str = ""
    date_source: str | None = None  # "metadata", "markup", "page" (`extract`), "record"
    format: str = "txt"
    language: str | None = None  # ISO 639-1 ("en", "fr", "zh"); None: not told (`language`)


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input that could not be used; it travels to stderr, JSON `errors[]` and the summary.

    `kind` is "skipped" for bad input (binary, undecodable, empty, malformed, too large,
    unreadable) and "unsupported" for a file of a type newsdedup does not read, found in a
    scanned directory (`.pdf`, `.csv`, no extension): not read, but never passed over in
    silence.
    """

    path: str
    reason: str
    kind: str = "skipped"


@dataclass(frozen=True, slots=True)
class Failure:
    """An unexpected error (a bug, not bad input) confined to one part of a run: a file or
    record while reading, a document while segmenting, a story while tracing or diffing.

    The run goes on without that part: a file or record is not used, a document keeps no
    segments, a story is reported with its versions but without its derivation tree or
    diffs. It travels to stderr, JSON `errors[]` (kind "failed") and the exit code (3).
    `where` is the input's path (`path:line` for a record), the document's id, or the
    story's id.
    """

    where: str
    stage: str  # "reading", "segmenting", "fingerprinting", "tracing", "diffing"
    error: str  # the exception's type and message

    @property
    def reason(self) -> str:
        return f"unexpected error while {self.stage}: {self.error}"

    @classmethod
    def of(cls, where: str, stage: str, exc: BaseException) -> Failure:
        message = " ".join(str(exc).split())
        if len(message) > _MESSAGE_CHARS:
            message = message[: _MESSAGE_CHARS - 1] + "…"
        name = type(exc).__name__
        return cls(where, stage, f"{name}: {message}" if message else name)


_MESSAGE_CHARS = 300  # an exception's message may quote a whole input


@dataclass(frozen=True, slots=True)
class Notice:
    """A document that was used, but not whole (truncated at a limit); reported like Skipped."""

    path: str
    message: str


@dataclass(frozen=True, slots=True)
class Segment:
    """A comparable unit of text: a paragraph, or a window of sentences of a long block.

    `block` numbers the paragraph (or line) the segment was cut from, so the
    windows of one long aggregator line can be told from separate paragraphs.
    """

    doc_id: str
    index: int
    start: int
    end: int
    text: str
    block: int = 0
