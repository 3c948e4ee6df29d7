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


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input that could not be used; it travels to stderr, JSON `errors[]` and the summary."""

    path: str
    reason: str


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
