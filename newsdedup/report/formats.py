"""The output formats a scan can be written in (`--format`)."""

from __future__ import annotations

from enum import Enum


class Format(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
