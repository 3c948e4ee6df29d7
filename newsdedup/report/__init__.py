"""Render a ScanResult: the JSON and JSON Lines contracts (`json`), the terminal tree
(`text`), the self-contained HTML page built from the JSON (`html`), and the console and
progress bar on stderr (`console`)."""

from __future__ import annotations

from typing import Protocol, TextIO

from ..pipeline import ScanResult
from .console import _Console, counted, diagnostics, progress_bar
from .formats import Format, format_for
from .html import HtmlReporter
from .json import (
    FLOAT_DIGITS,
    SCHEMA_VERSION,
    JsonlReporter,
    JsonReporter,
    diff_json,
    document_json,
    errors_json,
    result_json,
    story_error,
    story_json,
    summary,
)
from .text import TextReporter, _walk, write_diff

__all__ = [
    "FLOAT_DIGITS",
    "REPORTERS",
    "SCHEMA_VERSION",
    "Format",
    "HtmlReporter",
    "JsonReporter",
    "JsonlReporter",
    "Reporter",
    "TextReporter",
    "_Console",
    "_walk",
    "counted",
    "diagnostics",
    "diff_json",
    "document_json",
    "errors_json",
    "format_for",
    "make_reporter",
    "progress_bar",
    "result_json",
    "story_error",
    "story_json",
    "summary",
    "write_diff",
]


class Reporter(Protocol):
    def write(self, result: ScanResult, out: TextIO) -> None: ...


def make_reporter(fmt: Format, details: bool = False) -> Reporter:
    """The reporter for `fmt`; `details` expands the terminal view (JSON always has everything)."""
    return TextReporter(details) if fmt is Format.text else REPORTERS[fmt]()


REPORTERS: dict[Format, type[Reporter]] = {
    Format.text: TextReporter,
    Format.json: JsonReporter,
    Format.jsonl: JsonlReporter,
    Format.html: HtmlReporter,
}
