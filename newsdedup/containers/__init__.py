"""Containers of many articles: crawl archives (WARC), compressed streams, CSV/TSV tables.

`ingest` decides by a file's name which container it is and reads its records through
these modules; each module only turns bytes into records, positions and reasons, and
never builds a `Document` itself, so there is one place (`ingest`) where a record becomes
a document. Every container is read as a stream, record by record: a 5 GB crawl never
sits in memory, and a record that cannot be read is reported by its position
(`crawl.warc.gz#1234`, a byte offset; `feed.jsonl.gz:17`, a line; `export.csv:9`, a
line) while the rest is read on.
"""

from __future__ import annotations

import os

COMPRESSIONS = {".gz": "gzip", ".bz2": "bz2", ".xz": "xz", ".zst": "zstd"}
_WARC = (".warc", ".arc")  # warcio reads both, plain or gzipped record by record
_TABLES = {".csv": "csv", ".tsv": "tsv"}


def split_compression(name: str) -> tuple[str, str | None]:
    """(`name` without a compression suffix, the compression or None)."""
    stem, extension = os.path.splitext(name)
    compression = COMPRESSIONS.get(extension.lower())
    return (stem, compression) if compression else (name, None)


def container_format(name: str) -> str | None:
    """ "warc" for a crawl archive (`.warc`, `.warc.gz`, `.arc`, `.arc.gz`), "csv" or "tsv"
    for a table; None for anything else."""
    stem, _ = split_compression(name)
    extension = os.path.splitext(stem)[1].lower()
    if extension in _WARC:
        return "warc"
    return _TABLES.get(extension)
