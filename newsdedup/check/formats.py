"""How a check's findings are written: `text` (rich, for people), `json` (versioned, for
scripts), `github` (workflow commands: annotations on the lines of a pull request) and
`sarif` (SARIF 2.1.0, for code scanning). Output depends only on the report: no clock,
no absolute paths."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, TextIO
from urllib.parse import quote

from rich.console import Console
from rich.markup import escape

from .. import __version__
from .engine import CheckOutcome
from .rules import RULES, Finding, Severity

CHECK_SCHEMA_VERSION = "1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "newsdedup/v1"


class CheckFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


@dataclass(frozen=True, slots=True)
class CheckReport:
    """A check's outcome after the baseline: what is new, what was known, and the gate."""

    outcome: CheckOutcome
    new: tuple[Finding, ...]
    baselined: tuple[Finding, ...]
    fail_on: str  # a severity, or "never"

    @property
    def failing(self) -> tuple[Finding, ...]:
        """New findings at or above `fail_on`: the ones that make the run exit 1."""
        if self.fail_on == "never":
            return ()
        floor = Severity(self.fail_on).rank
        return tuple(f for f in self.new if f.severity.rank >= floor)


def counts(findings: Sequence[Finding]) -> str:
    """ "2 errors, 1 warning" (most severe first), or "none"."""
    count = Counter(f.severity for f in findings)
    parts = [
        f"{count[s]} {s.value}{'s' * (count[s] != 1)}"
        for s in sorted(Severity, key=lambda s: -s.rank)
        if count[s]
    ]
    return ", ".join(parts) or "none"


def summary_line(report: CheckReport) -> str:
    """One line for stderr or the end of the text report."""
    outcome = report.outcome
    n = len(report.new)
    line = (
        f"newsdedup check: {n} new finding{'s' * (n != 1)}"
        + (f" ({counts(report.new)})" if n else "")
        + f" in {len(outcome.checked)} checked file{'s' * (len(outcome.checked) != 1)}"
        + f", {outcome.references} reference article{'s' * (outcome.references != 1)} scanned"
    )
    if report.baselined:
        line += f", {len(report.baselined)} baselined"
    if outcome.opt_outs:
        line += f", {len(outcome.opt_outs)} opted out"
    if outcome.skipped:
        line += f", {len(outcome.skipped)} skipped"
    return line


# -- json ------------------------------------------------------------------------


def _finding_json(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "severity": f.severity.value,
        "path": f.path,
        "line": f.line,
        "column": f.column,
        "message": f.message,
        "reference": f.reference,
        "fingerprint": f.fingerprint,
    }


def report_json(report: CheckReport) -> dict[str, Any]:
    """The `--format json` document (docs/ci.md); versioned by `schema_version`."""
    outcome = report.outcome
    suppressed: dict[str, list[Finding]] = {}
    for finding, opt_out in outcome.suppressed:
        suppressed.setdefault(opt_out.path, []).append(finding)
    return {
        "schema_version": CHECK_SCHEMA_VERSION,
        "tool": {"name": "newsdedup", "version": __version__},
        "summary": {
            "checked": len(outcome.checked),
            "references": outcome.references,
            "findings": len(report.new),
            **{s.value + "s": sum(f.severity is s for f in report.new) for s in Severity},
            "baselined": len(report.baselined),
            "opted_out": len(outcome.opt_outs),
            "skipped": len(outcome.skipped),
            "fail_on": report.fail_on,
            "failed": bool(report.failing),
        },
        "findings": [_finding_json(f) for f in _sorted(report.new)],
        "baselined": [_finding_json(f) for f in _sorted(report.baselined)],
        "opt_outs": [
            {
                "path": o.path,
                "line": o.line,
                "reason": o.reason,
                "suppressed": [_finding_json(f) for f in _sorted(suppressed.get(o.path, []))],
            }
            for o in outcome.opt_outs
        ],
        "errors": [{"path": s.path, "reason": s.reason} for s in outcome.skipped],
    }


def _sorted(findings: Sequence[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: f.sort_key)


def write_json(report: CheckReport, out: TextIO) -> None:
    json.dump(report_json(report), out, ensure_ascii=False, separators=(",", ":"))
    out.write("\n")


# -- github ------------------------------------------------------------------------

_LEVEL = {Severity.error: "error", Severity.warning: "warning", Severity.note: "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def github_command(level: str, path: str, line: int, col: int, title: str, message: str) -> str:
    """One workflow command: `::error file=…,line=…,col=…,title=…::message`, escaped."""
    return (
        f"::{level} file={_property(path)},line={line},col={col},"
        f"title={_property(title)}::{_data(message)}"
    )


def write_github(report: CheckReport, out: TextIO) -> None:
    for f in _sorted(report.new):
        title = f"newsdedup {f.rule}"
        message = f.message + (f" (reference: {f.reference})" if f.reference else "")
        command = github_command(_LEVEL[f.severity], f.path, f.line, f.column, title, message)
        out.write(command + "\n")
    for o in report.outcome.opt_outs:
        reason = f"opted out: {o.reason}"
        out.write(github_command("notice", o.path, o.line, 1, "newsdedup opt-out", reason) + "\n")
    out.write(summary_line(report) + "\n")


# -- sarif -------------------------------------------------------------------------


def _location(path: str, line: int | None = None, column: int | None = None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": quote(path), "uriBaseId": "%SRCROOT%"}}
    if line is not None:
        physical["region"] = {"startLine": line, "startColumn": column or 1}
    return {"physicalLocation": physical}


def _result(f: Finding, suppression: str | None = None) -> dict[str, Any]:
    index = next(k for k, r in enumerate(RULES) if r.id == f.rule)
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": index,
        "level": f.severity.value,
        "message": {"text": f.message},
        "locations": [_location(f.path, f.line, f.column)],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
    }
    if f.reference:
        related = _location(f.reference)
        related["id"] = 0
        related["message"] = {"text": "reference article"}
        result["relatedLocations"] = [related]
    if suppression is not None:
        result["suppressions"] = [{"kind": "inSource", "justification": suppression}]
    return result


def sarif_log(report: CheckReport) -> dict[str, Any]:
    """The report as a SARIF 2.1.0 log: one run, every rule described, new findings as
    results, findings in opted-out files as results suppressed in source (with the reason);
    baselined findings are left out, as they are from every other format's findings."""
    outcome = report.outcome
    results = [_result(f) for f in _sorted(report.new)]
    results += [_result(f, o.reason) for f, o in outcome.suppressed]
    rules = [
        {
            "id": r.id,
            "name": r.name,
            "shortDescription": {"text": r.summary},
            "fullDescription": {"text": r.help},
            "help": {"text": r.help},
            "defaultConfiguration": {"level": r.severity.value},
        }
        for r in RULES
    ]
    notifications = [
        {
            "level": "warning",
            "message": {"text": f"skipped {s.path}: {s.reason}"},
            "locations": [_location(s.path)],
        }
        for s in outcome.skipped
    ]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "newsdedup",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "invocations": [
                    {"executionSuccessful": True, "toolExecutionNotifications": notifications}
                ],
                "results": results,
            }
        ],
    }


def write_sarif(report: CheckReport, out: TextIO) -> None:
    json.dump(sarif_log(report), out, ensure_ascii=False, indent=2)
    out.write("\n")


# -- text ----------------------------------------------------------------------------

_STYLE = {Severity.error: "bold red", Severity.warning: "yellow", Severity.note: "cyan"}


def write_text(report: CheckReport, out: TextIO, color: bool = False) -> None:
    console = Console(
        file=out,
        emoji=False,
        highlight=False,
        soft_wrap=True,
        force_terminal=color,
        no_color=not color,
    )
    by_file: dict[str, list[Finding]] = {}
    for f in _sorted(report.new):
        by_file.setdefault(f.path, []).append(f)
    for path, found in by_file.items():
        console.print(f"[bold]{escape(path)}[/]")
        for f in found:
            style = _STYLE[f.severity]
            console.print(
                f"  {f.line}:{f.column}  [{style}]{f.severity.value}[/]  "
                f"[bold]{f.rule}[/]  {escape(f.message)}"
            )
        console.print()
    if report.outcome.opt_outs:
        console.print("[bold]Opted out[/] (front matter `newsdedup: ignore`):")
        suppressed = Counter(o.path for _, o in report.outcome.suppressed)
        for o in report.outcome.opt_outs:
            n = suppressed[o.path]
            what = f" ({n} finding{'s' * (n != 1)} not reported)" if n else ""
            console.print(f"  {escape(o.path)}:{o.line}  {escape(o.reason)}{what}")
        console.print()
    for skipped in report.outcome.skipped:
        console.print(f"[dim]skipped {escape(skipped.path)}: {escape(skipped.reason)}[/]")
    verdict = (
        f"[bold red]failed[/] (findings at or above {report.fail_on})"
        if report.failing
        else "[green]passed[/]"
    )
    console.print(f"{escape(summary_line(report))}: {verdict}")


WRITERS: dict[CheckFormat, Callable[[CheckReport, TextIO], None]] = {
    CheckFormat.json: write_json,
    CheckFormat.github: write_github,
    CheckFormat.sarif: write_sarif,
    CheckFormat.text: write_text,
}
