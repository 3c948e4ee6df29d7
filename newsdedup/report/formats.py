"""The output formats a scan can be written in (`--format`)."""

from __future__ import annotations

from enum import Enum
from pathlib import PurePath


class Format(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    html = "html"


def format_for(output: PurePath | None) -> Format:
    """The format `scan -o FILE` writes when `--format` is not given: the one its extension
    names (`.json`, `.jsonl`, `.html`, `.htm`; `.txt` and any other: the terminal report),
    so `-o report.json` writes JSON, as it reads. Standard output gets the terminal report."""
    suffix = output.suffix.lower() if output is not None else ""
    return _BY_EXTENSION.get(suffix, Format.text)


_BY_EXTENSION = {
    ".json": Format.json,
    ".jsonl": Format.jsonl,
    ".html": Format.html,
    ".htm": Format.html,
    ".txt": Format.text,
}
