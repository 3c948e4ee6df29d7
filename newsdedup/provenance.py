"""Pick each story's origin and measure every version against it.

This is the first, deliberately simple cut of provenance: the origin is the
version that carries a wire credit or dateline, then the earliest known
publication date, then the most text; every other version's parent is the
origin. Copy-of-copy trees and evidence records come with the provenance issue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .cluster import Story, Version
from .fingerprint import Fingerprints
from .records import Document

# Agency datelines and credits, the strongest sign of a wire original:
# "BEIJING, Jan 10 (Reuters) -", "(AP) —", "(AFP) -", "(dpa) -", "By Jane Doe, PA",
# "(Reporting by ...; Editing by ...)", "Bloomberg News".
WIRE_CREDIT = re.compile(
    r"\((?:Reuters|AP|AFP|dpa|Bloomberg|PA)\)\s*[-\u2013\u2014]|"
    r"\(Reporting by [^)]{3,200}\)|\bReporting by [A-Z][^;\n]{2,80}; Editing by|"
    r"\bBy [A-Z][a-z]+(?: [A-Z][a-z]+)+,? (?:PA|Press Association)\b|"
    r"^[A-Z][A-Z .'-]{2,40}, [A-Z][a-z]{2,8}\.? \d{1,2} \((?:Reuters|AP|AFP|dpa|Bloomberg)\)",
    re.MULTILINE,
)


_EDGE = 3


@dataclass(frozen=True, slots=True)
class VersionReport:
    version: Version
    parent: Version | None
    similarity: float
    containment: float


@dataclass(frozen=True, slots=True)
class StoryReport:
    id: str
    origin: Version
    versions: tuple[VersionReport, ...]


def trace(
    story: Story,
    documents: dict[str, Document],
    fp: Fingerprints,
    row_of: dict[tuple[str, int], int],
) -> StoryReport:
    """Origin guess and per-version similarity to it."""
    shingles = {v: _shingles(v, fp, row_of) for v in story.versions}
    origin = min(story.versions, key=lambda v: _origin_rank(v, documents, fp, row_of, shingles[v]))
    reports = []
    for v in story.versions:
        parent = None if v == origin else origin
        similarity, containment = (
            (1.0, 1.0) if parent is None else _compare(shingles[v], shingles[parent])
        )
        reports.append(VersionReport(v, parent, similarity, containment))
    reports.sort(
        key=lambda r: (r.parent is not None, -r.containment, r.version.doc_id, r.version.segments)
    )
    return StoryReport(story.id, origin, tuple(reports))


def _shingles(version: Version, fp: Fingerprints, row_of: dict[tuple[str, int], int]) -> np.ndarray:
    parts = [fp.shingle_set(row_of[(version.doc_id, i)]) for i in version.segments]
    return np.unique(np.concatenate(parts)) if parts else np.empty(0, dtype=np.uint32)


def _compare(child: np.ndarray, parent: np.ndarray) -> tuple[float, float]:
    """(Jaccard, share of the child found in the parent) of two shingle sets."""
    shared = len(np.intersect1d(child, parent, assume_unique=True))
    union = len(child) + len(parent) - shared
    return shared / max(union, 1), shared / max(len(child), 1)


def _origin_rank(
    version: Version,
    documents: dict[str, Document],
    fp: Fingerprints,
    row_of: dict[tuple[str, int], int],
    shingles: np.ndarray,
) -> tuple[bool, str, int, str, tuple[int, ...]]:
    doc = documents[version.doc_id]
    # Credit lines sit at the edges of a copied passage, often just outside the
    # matched segments, so a few neighbouring segments are read too.
    nearby = range(max(version.segments[0] - _EDGE, 0), version.segments[-1] + _EDGE + 1)
    credited = any(
        WIRE_CREDIT.search(fp.segments[row_of[(version.doc_id, i)]].text)
        for i in nearby
        if (version.doc_id, i) in row_of
    )
    return (not credited, doc.published or "9999", -len(shingles), version.doc_id, version.segments)
