"""A relation a journalist can take at its word: `verbatim` means the copy changed nothing.

`provenance` names a relation from the similarity of the two versions' shingles (docs/
provenance.md), before anything is diffed: a copy at Jaccard 0.91 may still have edited a
sentence or dropped the agency's dateline, and "verbatim" would then tell an editor that
nothing was changed. Once the diff against the parent is known, such a copy is a
`light-edit`. Without a diff (`scan --no-diffs`, or a diff that failed) the relation stays
as the similarity named it.
"""

from __future__ import annotations

from dataclasses import replace

from .diff import VersionDiff
from .provenance import StoryReport, VersionReport

# Diff notes that say the copy dropped its parent's credit: a verbatim copy keeps it.
CREDIT_DROPPED = frozenset({"credit-removed", "dateline-removed"})


def settled(report: VersionReport, found: VersionDiff | None) -> VersionReport:
    """`report`, a `light-edit` rather than `verbatim` when its diff `found` shows an edited
    sentence or a dropped credit or dateline."""
    if report.relation != "verbatim" or found is None:
        return report
    if found.changed or any(note.kind in CREDIT_DROPPED for note in found.notes):
        return replace(report, relation="light-edit")
    return report


def settle(
    stories: tuple[StoryReport, ...], diffs: dict[tuple[str, str], VersionDiff]
) -> tuple[StoryReport, ...]:
    """Every story with its versions `settled` against their diffs (keyed as
    `ScanResult.diffs`: story id, version key)."""
    return tuple(
        replace(
            story,
            versions=tuple(
                settled(r, diffs.get((story.id, r.version.key))) for r in story.versions
            ),
        )
        for story in stories
    )
