"""The baseline: findings accepted as they stand, so that later runs report only new ones.

`.newsdedup-baseline.json` lists findings by their fingerprint (`rules.fingerprint_of`:
rule, file, reference and content, never a line number), so an edit above a
finding, or to the copied passage itself, does not bring it back; a copy of
another source, another altered quotation or a renamed file does.

    {"schema_version": "1", "tool": "newsdedup",
     "findings": [{"fingerprint": "…", "rule": "uncredited-copy", "path": "content/a.md",
                   "reference": "wire/b.txt", "message": "…"}, …]}

Writing one after a partial run (`--changed-since`, or files named on the command
line) replaces the entries of the files checked in that run and keeps the others.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..output import atomic_output
from .inputs import InputError
from .rules import Finding

BASELINE_SCHEMA = "1"


@dataclass(frozen=True, slots=True)
class Baseline:
    entries: tuple[dict[str, Any], ...]

    @property
    def fingerprints(self) -> frozenset[str]:
        return frozenset(str(e["fingerprint"]) for e in self.entries)

    def split(self, findings: Iterable[Finding]) -> tuple[list[Finding], list[Finding]]:
        """(new findings, findings the baseline already holds)."""
        known = self.fingerprints
        new: list[Finding] = []
        old: list[Finding] = []
        for finding in findings:
            (old if finding.fingerprint in known else new).append(finding)
        return new, old


EMPTY = Baseline(())


def load_baseline(path: Path) -> Baseline:
    """The baseline at `path`; an empty one if there is no such file. A file that is not a
    baseline of this schema is an `InputError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return EMPTY
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the baseline: {exc}") from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise InputError(f"{path}: not a baseline (invalid JSON: {exc})") from None
    if not isinstance(data, dict) or data.get("schema_version") != BASELINE_SCHEMA:
        raise InputError(f"{path}: not a newsdedup baseline of schema_version {BASELINE_SCHEMA!r}")
    entries = data.get("findings")
    if not isinstance(entries, list) or not all(_entry(e) for e in entries):
        raise InputError(f"{path}: 'findings' must be a list of entries with fingerprint and path")
    return Baseline(tuple(entries))


def _entry(entry: object) -> bool:
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("fingerprint"), str)
        and isinstance(entry.get("path"), str)
    )


def write_baseline(
    path: Path, findings: Sequence[Finding], previous: Baseline, checked: Iterable[str]
) -> int:
    """Write `findings` as the baseline, keeping `previous` entries of files not in `checked`;
    returns the number of entries written. Atomic: a failed write leaves the old file."""
    ran = set(checked)
    kept = [e for e in previous.entries if e["path"] not in ran]
    fresh = [
        {
            "fingerprint": f.fingerprint,
            "rule": f.rule,
            "path": f.path,
            "reference": f.reference,
            "message": f.message,
        }
        for f in findings
    ]
    unique = {e["fingerprint"]: e for e in [*kept, *fresh]}
    entries = sorted(
        unique.values(), key=lambda e: (e["path"], str(e.get("rule")), e["fingerprint"])
    )
    document = {"schema_version": BASELINE_SCHEMA, "tool": "newsdedup", "findings": entries}
    with atomic_output(path) as out:
        json.dump(document, out, ensure_ascii=False, indent=2)
        out.write("\n")
    return len(entries)
