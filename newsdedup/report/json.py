"""The JSON and JSON Lines contracts of a scan.

The shape is documented in docs/output-schema.md (and docs/scan.schema.json) and versioned by
SCHEMA_VERSION; change one, change both. Output is a function of the result only (no clock, no
paths of the machine), so the same input gives the same bytes.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict
from typing import Any, TextIO

import orjson

from .. import __version__
from ..cluster import Version
from ..diff import Passage, VersionDiff
from ..output import _ESCAPE_SURROGATES
from ..pipeline import ScanResult, _natural
from ..provenance import StoryReport, VersionReport
from ..records import Document, Failure, Notice, Skipped
from .labels import headline

SCHEMA_VERSION = "1.9"
FLOAT_DIGITS = 4


def _ref(version: Version | None) -> dict[str, Any] | None:
    return None if version is None else {"document": version.doc_id, "segment": version.segments[0]}


def _archived(result: ScanResult, doc_id: str) -> dict[str, bool]:
    """In a scan against an archive index (`scan --index`), `{"archived": ...}`: whether the
    archive holds the document; nothing in a scan without one."""
    return {} if result.archived is None else {"archived": doc_id in result.archived}


def _held_ref(result: ScanResult, ref: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if ref is None else {**ref, **_archived(result, ref["document"])}


def _passage_json(p: Passage) -> dict[str, Any]:
    return {"segment": p.segment, "start": p.start, "end": p.end, "text": p.text}


def diff_json(d: VersionDiff) -> dict[str, Any]:
    return {
        "summary": d.summary(),
        "added": [_passage_json(p) for p in d.added],
        "removed": [_passage_json(p) for p in d.removed],
        "changed": [
            {
                "before": _passage_json(c.before),
                "after": _passage_json(c.after),
                "edits": [{"before": b, "after": a} for b, a in c.edits],
            }
            for c in d.changed
        ],
        "moved": [_passage_json(p) for p in d.moved],
        "notes": [{"kind": n.kind, "detail": n.detail} for n in d.notes],
    }


def _version_json(result: ScanResult, story_id: str, report: VersionReport) -> dict[str, Any]:
    v = report.version
    found = result.diffs.get((story_id, v.key))
    first = result.table.rows(v.doc_id).start
    doc = result.document(v.doc_id)
    return {
        "document": v.doc_id,
        "segment": v.segments[0],
        "headline": None if doc is None else headline(result, v, doc),
        **_archived(result, v.doc_id),
        "segments": list(v.segments),
        "span": {
            "start": int(result.table.start[first + v.segments[0]]),
            "end": int(result.table.end[first + v.segments[-1]]),
        },
        "link": v.link,
        "parent": _held_ref(result, _ref(report.parent)),
        "relation": report.relation,
        "similarity": round(report.similarity, FLOAT_DIGITS),
        "containment": round(report.containment, FLOAT_DIGITS),
        "confidence": round(report.confidence, FLOAT_DIGITS),
        "evidence": [{"kind": e.kind, "detail": e.detail} for e in report.evidence],
        "candidates": [
            {**(_held_ref(result, _ref(v)) or {}), "score": round(score, FLOAT_DIGITS)}
            for v, score in report.candidates
        ],
        "diff": None if found is None else diff_json(found),
    }


def story_json(result: ScanResult, story: StoryReport) -> dict[str, Any]:
    return {
        "id": story.id,
        "origin": _held_ref(result, _ref(story.origin)),
        "documents": sorted({r.version.doc_id for r in story.versions}),
        "versions": [_version_json(result, story.id, r) for r in story.versions],
        "error": story_error(result, story.id),
    }


def story_error(result: ScanResult, story_id: str) -> str | None:
    """Why the story is incomplete (its tracing or a diff failed), or None."""
    reasons = [f.reason for f in result.failures if f.where == story_id]
    return "; ".join(reasons) or None


def errors_json(result: ScanResult) -> list[dict[str, str]]:
    return errors_of(result.skipped, result.failures)


def errors_of(skipped: Iterable[Skipped], failures: Iterable[Failure]) -> list[dict[str, str]]:
    """Every input not used (skipped, or of a type not read) and every unexpected error
    confined to an input, a record, a document or a story, by path (numbers in numeric
    order) then kind."""
    entries = [{"path": s.path, "reason": s.reason, "kind": s.kind} for s in skipped]
    entries += [{"path": f.where, "reason": f.reason, "kind": "failed"} for f in failures]
    return sorted(entries, key=lambda e: (_natural(e["path"]), e["kind"], e["reason"]))


def warnings_of(notices: Iterable[Notice]) -> list[dict[str, str]]:
    return [{"path": n.path, "message": n.message} for n in notices]


def document_json(result: ScanResult, doc: Document) -> dict[str, Any]:
    """The DOCUMENT object of `doc` (its text is not read: a scan's own documents come
    without it, `ScanResult.described`; the length is the scan's)."""
    rows = result.table.rows(doc.id)
    return {
        "id": doc.id,
        **_archived(result, doc.id),
        "source": doc.source,
        "format": doc.format,
        "language": doc.language,
        "title": doc.title,
        "url": doc.url,
        "canonical_url": doc.canonical_url,
        "site": doc.site,
        "published": doc.published,
        "length": result.length(doc.id),
        "segments": [
            {"index": i, "start": start, "end": end, "indexed": indexed, "boilerplate": boiler}
            for i, (start, end, indexed, boiler) in enumerate(
                zip(
                    result.table.start[rows.start : rows.stop].tolist(),
                    result.table.end[rows.start : rows.stop].tolist(),
                    result.indexed[rows.start : rows.stop].tolist(),
                    result.boilerplate[rows.start : rows.stop].tolist(),
                    strict=True,
                )
            )
        ],
    }


def _sections(result: ScanResult) -> list[tuple[str, Any]]:
    """The top-level fields in order; the two long lists as iterators, built item by item."""
    return [
        ("schema_version", SCHEMA_VERSION),
        ("tool", {"name": "newsdedup", "version": __version__}),
        ("parameters", asdict(result.options)),
        ("summary", summary(result)),
        ("documents", (document_json(result, d) for d in result.described())),
        ("stories", (story_json(result, s) for s in result.stories)),
        ("errors", errors_json(result)),
        ("warnings", warnings_of(result.notices)),
    ]


def result_json(result: ScanResult) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, Iterator) else v for k, v in _sections(result)}


def summary(result: ScanResult) -> dict[str, int]:
    return counts(
        len(result.documents),
        len(result.table),
        len(result.stories),
        result.skipped,
        result.failures,
    )


def counts(
    documents: int,
    segments: int,
    stories: int,
    skipped: Sequence[Skipped],
    failures: Sequence[Failure],
) -> dict[str, int]:
    """The report's `summary`, from what a scan found; an engine that writes shards knows the
    numbers without holding the documents and stories."""
    return {
        "documents": documents,
        "segments": segments,
        "stories": stories,
        "skipped": sum(s.kind == "skipped" for s in skipped),
        "unsupported": sum(s.kind == "unsupported" for s in skipped),
        "failed": len(failures),
    }


def _compact(value: Any) -> str:
    # Compact: the C encoder only runs without indentation, and this output
    # is for machines (`jq .` pretty-prints it for people).
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _compact_item(value: dict[str, Any]) -> str:
    """`_compact(value)` of a DOCUMENT or STORY object, by orjson (compiled, several times
    faster): the report's two long lists are most of its CPU, all of it in the main process
    with a core idle (10k project corpus with diffs: the report 2.1-2.6 s CPU, 1.2-1.4 s so).

    The same text for these objects: keys in order, UTF-8 unescaped, only `"`, `\\` and
    the control characters escaped, the same way; integers in 64 bits; their only floats are
    a version's scores rounded to `FLOAT_DIGITS` (`_version_json`), which both write as the
    shortest repr (they part only below 1e-4, where such a score is 0.0). Where orjson
    would not write what `json` does, `json` writes it: a lone surrogate (a file name not
    UTF-8) or a larger integer (orjson raises), and a score that is not finite (orjson
    writes null, `json` NaN or Infinity).
    """
    if not _finite_scores(value):
        return _compact(value)
    try:
        return orjson.dumps(value).decode()
    except TypeError:  # orjson.JSONEncodeError
        return _compact(value)


def _finite_scores(item: dict[str, Any]) -> bool:
    """Whether every score of a STORY object is finite (True for a DOCUMENT, which has none)."""
    return all(
        math.isfinite(v["similarity"] + v["containment"] + v["confidence"])
        and all(math.isfinite(c["score"]) for c in v["candidates"])
        for v in item.get("versions", ())
    )


def json_lines(values: Iterable[Any], *, items: bool = False) -> bytes:
    """`values` as JSON Lines, UTF-8, each line the bytes `JsonReporter` writes for it (a lone
    surrogate, from a file name that is not UTF-8, as its backslash escape, as there);
    `items`: the values are DOCUMENT or STORY objects, encoded as the report's lists are
    (`_compact_item`)."""
    encode = _compact_item if items else _compact
    text = "".join(encode(value) + "\n" for value in values)
    return text.encode("utf-8", _ESCAPE_SURROGATES)


class JsonReporter:
    """`result_json` as one line, written a document and a story at a time, so the report of
    a large scan never exists whole in memory; the bytes are those of one `json.dumps`."""

    def write(self, result: ScanResult, out: TextIO) -> None:
        out.write("{")
        for n, (key, value) in enumerate(_sections(result)):
            out.write(("," if n else "") + _compact(key) + ":")
            if isinstance(value, Iterator):
                out.write("[")
                for i, item in enumerate(value):
                    out.write(("," if i else "") + _compact_item(item))
                out.write("]")
            else:
                out.write(_compact(value))
        out.write("}\n")


class JsonlReporter:
    """One story per line, self-contained (documents inlined), for `jq`-style pipelines."""

    def write(self, result: ScanResult, out: TextIO) -> None:
        for story in result.stories:
            line = {"schema_version": SCHEMA_VERSION, "type": "story", **story_json(result, story)}
            line["documents"] = [
                document_json(result, result.description(d)) for d in line["documents"]
            ]
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
