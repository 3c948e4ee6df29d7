"""The terminal report: each story as a derivation tree, and `newsdedup diff`'s table."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TextIO

from rich.console import Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from ..diff import VersionDiff
from ..pipeline import ScanResult
from ..provenance import StoryReport, VersionReport
from .console import _Console, counted
from .formats import Format
from .json import SCHEMA_VERSION, _archived, diff_json, story_error, summary


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
