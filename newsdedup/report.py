"""Render a ScanResult: JSON and JSON Lines contracts, and a terminal report with rich.

The JSON shape is documented in docs/output-schema.md and versioned by
SCHEMA_VERSION; change one, change both. Output is a function of the result
only (no clock, no paths of the machine), so the same input gives the same bytes.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from dataclasses import asdict
from enum import Enum
from typing import Any, Protocol, TextIO

from rich.console import Console, Group
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn, TimeRemainingColumn
from rich.progress import Progress as RichProgress
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from . import __version__
from .cluster import Version
from .diff import Passage, VersionDiff
from .pipeline import Progress, ScanResult, _natural, silent
from .provenance import StoryReport, VersionReport
from .records import Document

SCHEMA_VERSION = "1.7"
FLOAT_DIGITS = 4


class _Console(Console):
    """A console that prints names as they are and whose reader may leave (`| head`).

    No emoji codes or highlighting: "<stdin>:100:" is a line number, not 💯. A
    reader that left is the caller's to handle, where rich's own console would
    exit with status 1, the status of "stories found".
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(emoji=False, highlight=False, **kwargs)

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError


def diagnostics() -> Console:
    """Where skipped files, warnings and the summary go: stderr, a message a line, never
    wrapped, so `2>&1 | grep` finds a file name whole."""
    return _Console(stderr=True, soft_wrap=True)


class Format(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


class Reporter(Protocol):
    def write(self, result: ScanResult, out: TextIO) -> None: ...


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
    return {
        "document": v.doc_id,
        "segment": v.segments[0],
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
    """Every input not used (skipped, or of a type not read) and every unexpected error
    confined to an input, a record, a document or a story, by path (numbers in numeric
    order) then kind."""
    entries = [{"path": s.path, "reason": s.reason, "kind": s.kind} for s in result.skipped]
    entries += [{"path": f.where, "reason": f.reason, "kind": "failed"} for f in result.failures]
    return sorted(entries, key=lambda e: (_natural(e["path"]), e["kind"], e["reason"]))


def document_json(result: ScanResult, doc: Document) -> dict[str, Any]:
    rows = result.table.rows(doc.id)
    return {
        "id": doc.id,
        **_archived(result, doc.id),
        "source": doc.source,
        "format": doc.format,
        "title": doc.title,
        "url": doc.url,
        "canonical_url": doc.canonical_url,
        "site": doc.site,
        "published": doc.published,
        "length": len(doc.text),
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
        ("documents", (document_json(result, d) for d in result.documents)),
        ("stories", (story_json(result, s) for s in result.stories)),
        ("errors", errors_json(result)),
        ("warnings", [{"path": n.path, "message": n.message} for n in result.notices]),
    ]


def result_json(result: ScanResult) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, Iterator) else v for k, v in _sections(result)}


def summary(result: ScanResult) -> dict[str, int]:
    return {
        "documents": len(result.documents),
        "segments": len(result.table),
        "stories": len(result.stories),
        "skipped": sum(s.kind == "skipped" for s in result.skipped),
        "unsupported": sum(s.kind == "unsupported" for s in result.skipped),
        "failed": len(result.failures),
    }


def counted(n: int, noun: str, nouns: str = "") -> str:
    """'1 story', '2 stories': a count with its noun in the right number."""
    return f"{n} {noun if n == 1 else nouns or noun + 's'}"


def _compact(value: Any) -> str:
    # Compact: the C encoder only runs without indentation, and this output
    # is for machines (`jq .` pretty-prints it for people).
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


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
                    out.write(("," if i else "") + _compact(item))
                out.write("]")
            else:
                out.write(_compact(value))
        out.write("}\n")


class JsonlReporter:
    """One story per line, self-contained (documents inlined), for `jq`-style pipelines."""

    def write(self, result: ScanResult, out: TextIO) -> None:
        by_id = {d.id: d for d in result.documents}
        for story in result.stories:
            line = {"schema_version": SCHEMA_VERSION, "type": "story", **story_json(result, story)}
            line["documents"] = [document_json(result, by_id[d]) for d in line["documents"]]
            out.write(json.dumps(line, ensure_ascii=False) + "\n")


class TextReporter:
    """Each story as a derivation tree: origin first, every child under its parent."""

    excerpt_chars = 140

    def __init__(self, details: bool = False) -> None:
        self.details = details

    def write(self, result: ScanResult, out: TextIO) -> None:
        console = _Console(file=out, soft_wrap=False)
        counts = summary(result)
        console.print(
            f"[bold]{counted(counts['stories'], 'story', 'stories')}[/] in "
            f"{counted(counts['documents'], 'document')} "
            f"({counted(counts['segments'], 'segment')}, {counts['skipped']} skipped)"
        )
        texts = {d.id: d.text for d in result.documents}
        for n, story in enumerate(result.stories, 1):
            tree = Tree(f"[bold cyan]Story {n}[/] {story.id} · {len(story.versions)} versions")
            if error := story_error(result, story.id):
                tree.add(f"[bold red]incomplete:[/] [red]{escape(error)}[/]")
            nodes: dict[str, Tree] = {}
            for parent, report in _walk(story):
                under = nodes[parent] if parent is not None else tree
                nodes[report.version.key] = self._add(under, report, result, texts, story.id)
            console.print(tree)

    def _add(
        self,
        node: Tree,
        report: VersionReport,
        result: ScanResult,
        texts: dict[str, str],
        story_id: str,
    ) -> Tree:
        """Add `report` under `node`; returns its own node, for its children."""
        v = report.version
        row = result.table.rows(v.doc_id).start + v.segments[0]
        start, end = int(result.table.start[row]), int(result.table.end[row])
        excerpt = " ".join(texts[v.doc_id][start:end].split())
        if len(excerpt) > self.excerpt_chars:
            excerpt = excerpt[: self.excerpt_chars - 1] + "…"
        figures = (
            f"confidence {report.confidence:.2f}"
            if report.parent is None
            else f"sim {report.similarity:.2f}, contained {report.containment:.2f}, "
            f"confidence {report.confidence:.2f}"
        )
        facts = [e.detail for e in report.evidence if e.detail[:1] not in "+-"]
        found = result.diffs.get((story_id, v.key))
        head = (
            f"[bold]{escape(v.key)}[/] [green]{report.relation}[/] ({figures})"
            + (" [blue]archived[/]" if _archived(result, v.doc_id).get("archived") else "")
            + (f"\n[yellow]{escape('; '.join(facts))}[/]" if facts else "")
            + (f"\n[magenta]{escape(found.summary())}[/]" if found else "")
        )
        # the excerpt only recalls the text: one line, cut to what the tree leaves of the width
        line = Text(excerpt, style="dim", no_wrap=True, overflow="ellipsis")
        child = node.add(Group(Text.from_markup(head), line))
        if found and self.details:
            _add_details(child, found)
        return child


def _walk(story: StoryReport) -> Iterator[tuple[str | None, VersionReport]]:
    """(the key of the version to show it under, or None for the top; the version) for
    every version of `story`, each after its parent, depth first in report order, walked
    with a stack: a story's tree may be as deep as it has versions. A version whose parent
    is not in the story, or lies on a cycle, is shown at the top rather than lost
    (`pipeline.check_tree` keeps such a tree from being reported)."""
    children: dict[str | None, list[VersionReport]] = {}
    keys = {r.version.key for r in story.versions}
    for report in story.versions:
        parent = report.parent.key if report.parent is not None else None
        children.setdefault(parent if parent in keys else None, []).append(report)
    placed: set[str] = set()
    stack: list[tuple[str | None, VersionReport]] = [
        (None, r) for r in reversed(children.get(None, []))
    ]
    while stack or len(placed) < len(keys):
        if not stack:  # what is left lies on a cycle: start from its first version
            stack.append((None, next(r for r in story.versions if r.version.key not in placed)))
        parent, report = stack.pop()
        key = report.version.key
        if key in placed:
            continue
        placed.add(key)
        yield parent, report
        stack.extend((key, kid) for kid in reversed(children.get(key, [])))


def _add_details(node: Tree, found: VersionDiff) -> None:
    """The full diff under a version: notes, then red removals, green additions, edits."""
    for note in found.notes:
        node.add(f"[yellow]{note.kind}[/]: {escape(note.detail)}")
    for p in found.removed:
        node.add(f"[red]- {escape(_clip(p.text))}[/]")
    for p in found.added:
        node.add(f"[green]+ {escape(_clip(p.text))}[/]")
    for c in found.changed:
        edits = "; ".join(f"[red]{escape(b)}[/] → [green]{escape(a)}[/]" for b, a in c.edits)
        node.add(f"~ {edits}")
    for p in found.moved:
        node.add(f"[cyan]↕ {escape(_clip(p.text))}[/]")


def _clip(text: str, width: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def make_reporter(fmt: Format, details: bool = False) -> Reporter:
    """The reporter for `fmt`; `details` expands the terminal view (JSON always has everything)."""
    return TextReporter(details) if fmt is Format.text else REPORTERS[fmt]()


REPORTERS: dict[Format, type[Reporter]] = {
    Format.text: TextReporter,
    Format.json: JsonReporter,
    Format.jsonl: JsonlReporter,
}


def write_diff(found: VersionDiff, before: str, after: str, fmt: Format, out: TextIO) -> None:
    """`newsdedup diff`: JSON with the scan's diff structure, or a side-by-side terminal table."""
    if fmt is not Format.text:
        data = {"schema_version": SCHEMA_VERSION, "before": before, "after": after}
        out.write(json.dumps({**data, **diff_json(found)}, ensure_ascii=False, indent=2) + "\n")
        return
    console = _Console(file=out)
    console.print(
        f"[bold]{escape(before)}[/] → [bold]{escape(after)}[/]: {escape(found.summary())}"
    )
    for note in found.notes:
        console.print(f"[yellow]{note.kind}[/]: {escape(note.detail)}")
    table = Table(show_header=True, header_style="bold", expand=True, show_lines=True)
    table.add_column(before, ratio=1)
    table.add_column(after, ratio=1)
    for change in found.changed:
        table.add_row(
            _marked(change.before.text, change.edits, 0, "red"),
            _marked(change.after.text, change.edits, 1, "green"),
        )
    for p in found.removed:
        table.add_row(f"[red]{escape(p.text)}[/]", "")
    for p in found.added:
        table.add_row("", f"[green]{escape(p.text)}[/]")
    for p in found.moved:
        table.add_row("", f"[cyan](moved)[/] {escape(p.text)}")
    console.print(table)


def _marked(text: str, edits: tuple[tuple[str, str], ...], side: int, colour: str) -> str:
    """`text` with the words of one side of each edit highlighted."""
    marked = escape(text)
    for edit in edits:
        words = edit[side]
        if words and escape(words) in marked:
            marked = marked.replace(escape(words), f"[bold {colour}]{escape(words)}[/]", 1)
    return marked


@contextlib.contextmanager
def progress_bar(enabled: bool) -> Iterator[Progress]:
    """A rich progress bar on stderr (stages, counts, ETA), shown only once a run has taken a
    second, so quick scans and pipelines stay quiet; never on stdout."""
    if not enabled:
        yield silent
        return
    bar = RichProgress(
        TextColumn("{task.description:>14}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=diagnostics(),
        transient=True,
    )
    started = time.monotonic()
    tasks: dict[str, TaskID] = {}

    def update(stage: str, done: int, total: int) -> None:
        if not tasks and time.monotonic() - started < 1.0:
            return
        if not tasks:
            bar.start()
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage, total=total or None)
        bar.update(tasks[stage], completed=done, total=total or None)

    try:
        yield update
    finally:
        if tasks:
            bar.stop()
