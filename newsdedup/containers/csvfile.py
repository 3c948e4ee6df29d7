"""CSV and TSV tables of articles (newsroom exports): one row, one record.

A header row names the columns; `--columns id=story_id,text=body` says which column holds
each record field, and by default a column holds the field of its own name, the JSON Lines
field names (`id`, `text`, `html`, `url`, `title`, `published`, `site`, `canonical_url`).
A row becomes the same record a JSON Lines line would, so one reader (`ingest._record`)
makes documents of both.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from typing import BinaryIO

FIELDS = ("id", "text", "html", "url", "canonical_url", "title", "published", "site")


def parse_columns(spec: str) -> dict[str, str]:
    """`id=story_id,text=body` as {"id": "story_id", "text": "body"}; ValueError says what is
    wrong (an unknown field, no `=`, a field named twice)."""
    mapping: dict[str, str] = {}
    for part in (p.strip() for p in spec.split(",")):
        field, equals, column = part.partition("=")
        field, column = field.strip(), column.strip()
        if not equals or not field or not column:
            raise ValueError(f"'{part}' is not FIELD=COLUMN")
        if field not in FIELDS:
            raise ValueError(f"unknown field '{field}' (fields: {', '.join(FIELDS)})")
        if field in mapping:
            raise ValueError(f"field '{field}' named twice")
        mapping[field] = column
    return mapping


Row = tuple[int, dict[str, object] | str]
"""(line the row starts on, the record, or why the row cannot be read)."""


def rows(
    handle: BinaryIO, delimiter: str, columns: Mapping[str, str], max_bytes: int
) -> Iterator[Row]:
    """The records of a table, streamed; a row that cannot be read (a field over
    `max_bytes`, a different number of fields than the header, broken quoting) is an error
    at its line, and the rows after it are still read. Text is UTF-8 (with or without a
    BOM); undecodable bytes become U+FFFD rather than losing the row."""
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", errors="replace", newline="")
    csv.field_size_limit(max(max_bytes, 1))
    reader = csv.reader(text, delimiter=delimiter, strict=True)
    header: list[str] | None = None
    wanted = {f: columns.get(f, f) for f in FIELDS}
    found = 0
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            if not found:
                yield start, "no rows" if header is not None else "empty table"
            return
        except csv.Error as exc:
            yield start, f"row cannot be read: {exc}"
            continue
        if header is None:
            header = [name.strip() for name in row]
            missing = [c for f, c in columns.items() if c not in header]
            if missing:
                yield start, f"no column {', '.join(repr(m) for m in missing)} in the header"
                return
            if wanted["text"] not in header and wanted["html"] not in header:
                names = ", ".join(repr(h) for h in header[:8])
                why = f"no 'text' or 'html' column (the header names {names}; "
                yield start, why + "--columns text=COLUMN says which holds the text)"
                return
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield start, f"row has {len(row)} fields, the header {len(header)}"
            continue
        found += 1
        cells = dict(zip(header, row, strict=True))
        yield start, {f: cells[c] for f, c in wanted.items() if cells.get(c, "") != ""}
