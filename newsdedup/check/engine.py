"""Run a check: read the checked articles, ask the reference sets for candidates, scan them
together, apply the rules, and place each finding on a line of its file.

The scan is `pipeline.scan_documents` (diffs off: the rules diff only the pairs
they judge; provenance traced only where the rules read it, `_checked_versions`;
an index's candidates come with their stored segments and fingerprints, which the
scan takes instead of making them again).
Reading is `ingest.iter_documents`, so a checked file is read exactly as
`newsdedup scan` reads it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from ..cluster import Story
from ..pipeline import (
    Fingerprinted,
    Limits,
    Progress,
    ScanOptions,
    ScanResult,
    scan_documents,
    silent,
)
from ..records import Document, Skipped
from ..store.archive import REDIS_SCHEMES, fingerprinted, joined, parameters_of
from ..store.base import Stored
from .config import CheckConfig, ReferenceSpec
from .inputs import (
    OptOut,
    changed_since,
    locate,
    read_documents,
    read_opt_out,
    read_text,
    select,
)
from .references import FileReferences, Probe, ReferenceSet, open_references
from .rules import RULES, Finding, Hit, Roles, Severity, Thresholds, evaluate, fingerprint_of


@dataclass(frozen=True, slots=True)
class CheckPlan:
    """What to check against what; paths are display paths (relative to the current
    directory), as `inputs.select` and `inputs.walk` give them."""

    checked: tuple[str, ...]
    own: tuple[str, ...] = ()  # the site's other articles in the repository (not checked)
    archive: tuple[str, ...] = ()  # directories (or indexes) of the site's earlier articles
    sources: tuple[ReferenceSpec, ...] = ()  # others' articles: wire feeds, partners
    thresholds: Thresholds = field(default_factory=Thresholds)
    severities: Mapping[str, Severity | None] = field(default_factory=dict)
    """Each rule's severity; a rule that is missing or None is off."""
    limits: Limits = field(default_factory=Limits)


@dataclass(frozen=True, slots=True)
class CheckOutcome:
    findings: tuple[Finding, ...]  # in files that did not opt out, sorted
    suppressed: tuple[tuple[Finding, OptOut], ...]  # findings in files that opted out
    opt_outs: tuple[OptOut, ...]
    checked: tuple[str, ...]  # checked files that were read
    references: int  # reference articles scanned (candidates)
    skipped: tuple[Skipped, ...]


def run_check(plan: CheckPlan, jobs: int = 1, progress: Progress = silent) -> CheckOutcome:
    """Findings of `plan`. A missing reference path or a bad opt-out is an `InputError`."""
    skipped: list[Skipped] = []
    checked: list[Document] = []
    for item in read_documents(plan.checked, plan.limits.max_bytes):
        if isinstance(item, Skipped):
            skipped.append(item)
        else:
            checked.append(item)
    opt_outs = _opt_outs(d.id for d in checked)
    sets = _reference_sets(plan, {os.path.realpath(d.id) for d in checked})
    if not checked:
        return CheckOutcome((), (), opt_outs, (), 0, tuple(skipped))
    # the checked articles' 5-grams, for the folders' prefilter only (an index has its own)
    folders = any(isinstance(refs, FileReferences) for _, refs in sets)
    probe = Probe.of(d.text for d in checked) if folders else Probe.of(())
    options = ScanOptions(limits=plan.limits, diffs=False)
    docs: dict[str, Document] = {d.id: d for d in checked}
    sources: set[str] = set()
    names: dict[str, tuple[str, ...]] = {}
    stored: list[Stored] = []  # an index's segments and fingerprints of its candidates
    made: list[Fingerprinted] = []  # an index lookup's of the checked articles
    for kind, refs in sets:
        taken: set[str] = set()  # the ids this set gave (one an earlier set gave stays its)
        for found in refs.candidates(checked, probe, options, jobs, progress):
            if isinstance(found, Skipped):
                skipped.append(found)
            elif isinstance(found, Fingerprinted):
                made = made or [found]  # of the checked articles: one lookup's will do
            elif isinstance(found, Stored):
                if found.doc_id in taken:
                    stored.append(found)
            elif found.id not in docs:
                docs[found.id] = found
                taken.add(found.id)
                if kind == "source":
                    sources.add(found.id)
                    names[found.id] = refs.names
    roles = Roles(
        checked=frozenset(d.id for d in checked),
        own=frozenset(docs) - {d.id for d in checked} - sources,
        sources=frozenset(sources),
        names=names,
    )
    parts = [*made, *([fingerprinted(stored, parameters_of(options))] if stored else [])]
    prepared = joined(parts) if parts else None
    result = scan_documents(
        docs.values(),
        options,
        skipped,
        jobs=jobs,
        progress=progress,
        traced=lambda story: _checked_versions(story, roles.checked) >= 2,
        fingerprinted=prepared,
    )
    progress("rules", 0, 1)
    known = prepared.fingerprints if prepared is not None else None
    hits = evaluate(result, roles, plan.thresholds, jobs, known)
    progress("rules", 1, 1)
    findings = list(_place(hits, plan.severities, docs))
    opted = {o.path: o for o in opt_outs}
    return CheckOutcome(
        findings=tuple(f for f in findings if f.path not in opted),
        suppressed=tuple((f, opted[f.path]) for f in findings if f.path in opted),
        opt_outs=opt_outs,
        checked=tuple(d.id for d in checked),
        references=len(docs) - len(checked),
        skipped=(*result.skipped, *_failures(result)),
    )


def _checked_versions(story: Story, checked: frozenset[str]) -> int:
    """How many checked documents hold versions of `story`. The rules read a derivation
    tree only to tell which of two checked versions came first (`rules._precedes`), so a
    story with fewer than two is not traced: tracing (every candidate's parent among the
    references, with its evidence) was the larger part of a check's scan."""
    return len({v.doc_id for v in story.versions} & checked)


def _failures(result: ScanResult) -> Iterator[Skipped]:
    """Parts of the scan an unexpected error cut short, as skipped inputs."""
    for failure in getattr(result, "failures", ()):
        yield Skipped(str(failure.where), str(failure.reason))


def _opt_outs(paths: Iterator[str]) -> tuple[OptOut, ...]:
    found = []
    for path in paths:
        try:
            raw = read_text(path)
        except (OSError, ValueError):
            continue  # read once already: a file that changed under us has no opt-out
        if (opt_out := read_opt_out(path, raw)) is not None:
            found.append(opt_out)
    return tuple(found)


def _reference_sets(plan: CheckPlan, skip: set[str]) -> list[tuple[str, ReferenceSet]]:
    """The sources first (a file that is both is a source), then the site's own articles.
    Opened before anything is read, so a missing path fails fast."""
    frozen = frozenset(skip)
    sets: list[tuple[str, ReferenceSet]] = [
        ("source", open_references(spec.path, spec.names, frozen)) for spec in plan.sources
    ]
    own = tuple(p for p in plan.own if os.path.realpath(p) not in frozen)
    if own:
        sets.append(("own", FileReferences("repository", own)))
    sets += [("own", open_references(path, (), frozen)) for path in plan.archive]
    return sets


def _place(
    hits: tuple[Hit, ...], severities: Mapping[str, Severity | None], docs: Mapping[str, Document]
) -> Iterator[Finding]:
    """Each hit of a rule that is on, as a finding on a line and column of its file."""
    texts: dict[str, str] = {}
    for hit in hits:
        severity = severities.get(hit.rule)
        if severity is None:
            continue
        if hit.doc_id not in texts:
            try:
                texts[hit.doc_id] = read_text(hit.doc_id)
            except (OSError, ValueError):
                texts[hit.doc_id] = ""
        line, column = locate(texts[hit.doc_id], docs[hit.doc_id].text, hit.offset)
        yield Finding(
            rule=hit.rule,
            severity=severity,
            path=hit.doc_id,
            line=line,
            column=column,
            message=hit.message,
            reference=hit.reference,
            fingerprint=fingerprint_of(hit),
        )


def make_plan(
    config: CheckConfig,
    paths: Sequence[str] | None = None,
    against: Sequence[str] | None = None,
    archive: Sequence[str] | None = None,
    changed: str | None = None,
) -> CheckPlan:
    """The plan for a run: the configuration's settings, overridden by the command line's.

    The repository's articles are the configuration's `paths` (default: the
    current directory), filtered by `include` and `exclude`, never under a
    source directory. The checked ones are those named on the command line
    (else all of them), and with `changed` (a git revision) only those changed
    since; the rest of the repository, and `archive`, are the site's own
    articles for `duplicate-article`.
    """
    root = str(config.root)

    def rooted(path: str) -> str:  # a Redis index's address is no path
        return (
            path
            if os.path.isabs(path) or path.startswith(REDIS_SCHEMES)
            else os.path.join(root, path)
        )

    if against is not None:
        sources = tuple(ReferenceSpec(p) for p in against)
    else:
        sources = tuple(ReferenceSpec(rooted(s.path), s.names) for s in config.against)
    archives = tuple(archive) if archive is not None else tuple(rooted(p) for p in config.archive)
    fences = [s.path for s in sources]
    repository = [rooted(p) for p in config.paths]
    include, exclude = config.include, config.exclude
    chosen = select(list(paths) if paths else repository, include, exclude, fences, root)
    if changed is not None:
        since = changed_since(changed)
        chosen = [p for p in chosen if p in since]
    checked = set(chosen)
    own = [p for p in select(repository, include, exclude, fences, root) if p not in checked]
    return CheckPlan(
        checked=tuple(chosen),
        own=tuple(own),
        archive=archives,
        sources=sources,
        thresholds=config.thresholds,
        severities={r.id: config.severity(r.id) for r in RULES},
    )
