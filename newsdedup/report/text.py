"""The terminal report: each story as a derivation tree, and `newsdedup diff`'s table."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import TextIO

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.markup import escape
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from ..diff import Note, Passage, VersionDiff
from ..pipeline import UNTRACED, ScanResult
from ..provenance import StoryReport, VersionReport
from .console import _Console, counted
from .formats import Format
from .json import SCHEMA_VERSION, _archived, diff_json, story_error, summary
from .labels import label, story_order


class TextReporter:
    """Each story as a derivation tree: origin first, every child under its parent; the
    biggest stories first (`labels.story_order`). A version is shown as a reader knows it,
    by headline, site and date; its id follows, for `newsdedup diff`."""

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
        for n, story in enumerate(story_order(result), 1):
            pages = len({r.version.doc_id for r in story.versions})
            tree = Tree(
                f"[bold cyan]Story {n}[/] · {counted(len(story.versions), 'version')} in "
                f"{counted(pages, 'document')} [dim]· {escape(story.id)}[/]"
            )
            if error := story_error(result, story.id):
                tree.add(f"[bold red]incomplete:[/] [red]{escape(error)}[/]")
            nodes: dict[str, Tree] = {}
            for parent, report in _walk(story):
                under = nodes[parent] if parent is not None else tree
                nodes[report.version.key] = self._add(under, report, result, story.id)
            console.print(tree)

    def _add(
        self,
        node: Tree,
        report: VersionReport,
        result: ScanResult,
        story_id: str,
    ) -> Tree:
        """Add `report` under `node`; returns its own node, for its children."""
        v = report.version
        doc = result.read(v.doc_id)  # its text read now, not every text at once
        seen = label(result, v, doc)
        row = result.table.rows(v.doc_id).start + v.segments[0]
        start, end = int(result.table.start[row]), int(result.table.end[row])
        excerpt = " ".join(doc.text[start:end].split())
        if len(excerpt) > self.excerpt_chars:
            excerpt = excerpt[: self.excerpt_chars - 1] + "…"
        facts = [e.detail for e in report.evidence if e.detail[:1] not in "+-"]
        found = result.diffs.get((story_id, v.key))
        head = (
            f"[green]{report.relation}[/]{escape(_figures(report))}"
            + (" [blue]archived[/]" if _archived(result, v.doc_id).get("archived") else "")
            + (f"\n[yellow]{escape('; '.join(facts))}[/]" if facts else "")
            + (f"\n[magenta]{escape(found.summary())}[/]" if found else "")
        )
        parts: list[RenderableType] = [
            _Heading(seen.headline, " · ".join(x for x in (seen.site, seen.date) if x)),
            Text.from_markup(head),
        ]
        # the id, for `newsdedup diff`, and the text's first words to recall it: one dim line,
        # cut to what the tree leaves of the width
        recall = v.key if excerpt == seen.headline else f"{v.key} · {excerpt}"
        parts.append(Text(recall, style="dim", no_wrap=True, overflow="ellipsis"))
        child = node.add(Group(*parts))
        if found and self.details:
            _add_details(child, found)
        return child


def _figures(report: VersionReport) -> str:
    """The figures after a relation. `confidence` is the confidence in the call (this origin,
    this parent), never in the relation: a "paraphrase" at 0.98 is surely derived from this
    parent, and still a paraphrase, so it is labelled with what it is about."""
    if report.relation == UNTRACED:
        return ""
    if report.parent is None:
        return f" (origin confidence {report.confidence:.2f})"
    return (
        f" (sim {report.similarity:.2f}, contained {report.containment:.2f}; "
        f"parent confidence {report.confidence:.2f})"
    )


class _Heading:
    """A version's headline, then its site and date: the headline is cut (with an ellipsis)
    to leave the site and date whole on one line of whatever width the tree leaves."""

    def __init__(self, headline: str, meta: str) -> None:
        self.headline, self.meta = headline, meta

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        meta = f" · {self.meta}" if self.meta else ""
        head = Text(self.headline, style="bold")
        head.truncate(max(options.max_width - cell_len(meta), 1), overflow="ellipsis")
        yield Text.assemble(head, (meta, "dim"), no_wrap=True, overflow="ellipsis")


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


# Notes that only name a passage the details list anyway, as added or removed.
_LISTED = frozenset({"paragraphs-added", "paragraphs-removed", "boilerplate-added"})


def _unlisted_notes(found: VersionDiff) -> list[Note]:
    """The notes a reader needs above the passages: each passage is shown once, so the notes
    that only name an added or removed passage (`_LISTED`, which the summary line counts)
    are not repeated above the passage itself."""
    return [note for note in found.notes if note.kind not in _LISTED]


def _add_details(node: Tree, found: VersionDiff) -> None:
    """The full diff under a version: notes, then red removals, green additions, edits."""
    for note in _unlisted_notes(found):
        node.add(f"[yellow]{note.kind}[/]: {escape(note.detail)}")
    for text, times in _counted(found.removed):
        node.add(f"[red]- {escape(text)}[/]{times}")
    for text, times in _counted(found.added):
        node.add(f"[green]+ {escape(text)}[/]{times}")
    for c in found.changed:
        node.add("~ " + "; ".join(edit_markup(b, a) for b, a in c.edits))
    for p in found.moved:
        node.add(f"[cyan]↕ {escape(_clip(p.text))}[/]")


def _counted(passages: tuple[Passage, ...]) -> list[tuple[str, str]]:
    """Each passage's text once, in order, with " (×N)" when the page has it N times (three
    "Related: …" links under one article are one line to read, not three)."""
    times = Counter(_clip(p.text) for p in passages)
    return [(text, f" (×{n})" if n > 1 else "") for text, n in times.items()]


def edit_markup(before: str, after: str) -> str:
    """One word edit as rich markup: `old → new`, or `+ new` for words inserted and `- old`
    for words deleted (an empty side would read as "  → a")."""
    if not before:
        return f"[green]+ {escape(after)}[/]"
    if not after:
        return f"[red]- {escape(before)}[/]"
    return f"[red]{escape(before)}[/] → [green]{escape(after)}[/]"


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
    for note in _unlisted_notes(found):
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
