"""Who a reference article is, and whom a checked article credits.

The patterns are provenance's own (`WIRE_CREDIT`, `ATTRIBUTION`, the agencies of
`provenance.cues` and the site names of `provenance.sites`), so `check` and `scan` read a
credit alike.
Three kinds of credit in a checked article:

* `wire`: a dateline, credit or sign-off (`BEIJING, Jan 10 (Reuters) -`, `(Reporting by ...)`);
* `line`: a credit line (`Source: ...`, `Via: ...`, `Originally published by ...`,
  `first appeared on ...`) or a canonical link to another site;
* `mention`: a source named in running text (`according to Bloomberg`, `Reuters reported`).

A mention counts only where it is the checked article's own words: the same
mention in the reference ("..., Reuters reported last month" in a Reuters story)
is the source's sentence, copied or rewritten, and credits nobody.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from ..provenance import (  # provenance's own readings, so check and scan agree
    AGENCIES,
    ATTRIBUTION_CUES,
    GROUP_AGENCY,
    attributions_in,
    core_name,
    credits_around,
    lines_with,
    reported_by,
    site_hints,
    url_host,
)
from ..records import Document

_AGENCY_NAMES = {
    name: re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])") for name, pattern in AGENCIES.items()
}
_LINE_GROUPS = ("line", "first")  # "Source: ...", "first appeared on ..."
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Credit:
    """A credit in a checked article: `kind` is wire, line, canonical or mention."""

    kind: str
    value: str
    start: int  # offset in the document text; -1 for metadata (a canonical link)
    agencies: frozenset[str]
    names: frozenset[str]


@dataclass(frozen=True, slots=True)
class Identity:
    """What a reference article goes by: wire agencies whose credit it carries or that its
    configuration names, and site names (its site, URL hosts, domains its chrome names,
    sources it credits itself, configured names), squashed to lower-case letters and digits."""

    agencies: frozenset[str]
    names: frozenset[str]
    mentions: frozenset[str]  # agencies and names it mentions in its own text ("X reported")

    @property
    def known(self) -> bool:
        return bool(self.agencies or self.names)

    def describe(self) -> str:
        """ "Reuters", "cryptopolitan", or "publisher unknown"."""
        shown = sorted(self.agencies) or sorted(self.names)
        return ", ".join(shown[:3]) if shown else "publisher unknown"


def agencies_named(text: str) -> frozenset[str]:
    """Wire agencies a piece of text names ("Source: Reuters/Jane Doe" names Reuters)."""
    return frozenset(name for name, pattern in _AGENCY_NAMES.items() if pattern.search(text))


def _squash(text: str) -> str:
    return _NOT_ALNUM.sub("", text.lower())


def names_of(value: str) -> frozenset[str]:
    """The names a credited source goes by: the site of a URL or domain, the outlet's words."""
    found = {_squash(value)}
    if core := core_name(value):
        found.add(core)
    return frozenset(n for n in found if n)


def _attribution_matches(text: str) -> Iterator[re.Match[str]]:
    """ATTRIBUTION's matches in `text`, searched only on the lines holding one of its cue
    words: no match spans a line and each holds a cue (as provenance reads them), and the
    pattern, which may start at any word, is slow over a whole page."""
    if len(text.lower()) != len(text):  # a character lower-cases to two: offsets would drift
        yield from attributions_in(text)
        return
    for start, end in lines_with(text, ATTRIBUTION_CUES):
        yield from attributions_in(text, start, end)


def _mentions(text: str, matches: Iterable[re.Match[str]]) -> Iterator[tuple[int, str]]:
    """(offset, outlet) of every "according to X" and "X reported" in `text`, whose
    `_attribution_matches` are `matches` (read once for credit lines and mentions)."""
    for m in matches:
        if m.group("outlet"):
            yield m.start("outlet"), m.group("outlet")
    for found in reported_by(text):
        yield found.start("reporter"), found.group("reporter")


def read_credits(doc: Document) -> tuple[Credit, ...]:
    """Every credit, credit line and source mention of a checked article, in text order."""
    text = doc.text
    found: list[Credit] = []
    for m in credits_around(text):
        group = next(g for g, v in m.groupdict().items() if v)
        agency = GROUP_AGENCY.get(group)
        agencies = frozenset({agency}) if agency else frozenset()
        found.append(Credit("wire", m.group().strip(), m.start(), agencies, frozenset()))
    attributions = list(_attribution_matches(text))
    for m in attributions:
        for group in _LINE_GROUPS:
            if value := m.group(group):
                value = value.strip().rstrip(".")
                found.append(
                    Credit("line", value, m.start(), agencies_named(value), names_of(value))
                )
    for start, outlet in _mentions(text, attributions):
        found.append(Credit("mention", outlet, start, agencies_named(outlet), names_of(outlet)))
    canonical = url_host(doc.canonical_url)
    if canonical and canonical != url_host(doc.url):
        found.append(
            Credit("canonical", doc.canonical_url or "", -1, frozenset(), names_of(canonical))
        )
    return tuple(sorted(found, key=lambda c: (c.start, c.kind, c.value)))


def identity(doc: Document, configured: Sequence[str] = ()) -> Identity:
    """What the reference `doc` goes by (see `Identity`)."""
    agencies: set[str] = set()
    for m in credits_around(doc.text):
        group = next(g for g, v in m.groupdict().items() if v)
        if agency := GROUP_AGENCY.get(group):
            agencies.add(agency)
    names = set(site_hints(doc))
    attributions = list(_attribution_matches(doc.text))
    for m in attributions:
        for group in _LINE_GROUPS:
            if value := m.group(group):
                agencies |= agencies_named(value)
                names |= names_of(value.strip().rstrip("."))
    for name in configured:
        agencies |= agencies_named(name)
        names |= names_of(name)
    mentions: set[str] = set()
    for _, outlet in _mentions(doc.text, attributions):
        mentions |= {a.lower() for a in agencies_named(outlet)} | names_of(outlet)
    return Identity(frozenset(agencies), frozenset(names), frozenset(mentions))


def resolves(credit: Credit, source: Identity) -> bool:
    """Whether `credit` names `source`: one of its agencies, or one of its site names."""
    if credit.agencies & source.agencies:
        return True
    names = credit.names | {a.lower() for a in credit.agencies}
    own = source.names | {a.lower() for a in source.agencies}
    return any(
        n == o or (len(o) >= 5 and o in n) or (len(n) >= 5 and n in o) for n in names for o in own
    )


def copied_mention(credit: Credit, source: Identity) -> bool:
    """A mention the reference itself makes ("Reuters reported" in a Reuters story)."""
    said = credit.names | {a.lower() for a in credit.agencies}
    return bool(said & source.mentions)


def credits_source(
    credits: Iterable[Credit], source: Identity, copied: Callable[[int], bool] = lambda at: False
) -> Credit | None:
    """The first credit that credits `source`, or None.

    Mentions count only where they are the article's own words (not made by
    the reference itself, nor at an offset `copied` calls part of a passage
    taken from the reference). A reference whose publisher cannot be told (no
    site, URL, wire credit or configured name) is credited by any wire credit
    or credit line, never by a mention or canonical link: those cannot be told
    to name it.
    """
    for credit in credits:
        if credit.kind == "mention" and (copied_mention(credit, source) or copied(credit.start)):
            continue
        if not source.known:
            if credit.kind in ("wire", "line"):
                return credit
            continue
        if resolves(credit, source):
            return credit
    return None
