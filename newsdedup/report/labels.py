"""What a reader sees of a version: its headline, site and date, rather than `FILE#SEGMENT`.

An editor recognises a story by its headline and a copy by the site that ran it; the id stays
in the reports, but second. Pure functions of a `ScanResult`, for every human-facing report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..cluster import Version
from ..pipeline import ScanResult
from ..provenance import StoryReport, url_host
from ..records import Document
from ..segment import SENTENCE_END


@dataclass(frozen=True, slots=True)
class Label:
    """`headline` is never empty; `site` and `date` (the day, YYYY-MM-DD) only where known."""

    headline: str
    site: str | None
    date: str | None


HEADLINE_CHARS = 160
_ABOVE_BLOCKS = 3  # a headline sits at most this many paragraphs above the text it heads
_HEADLINE_WORDS = (3, 25)
_SHARED = 0.4  # share of a headline's words the opening of its article repeats, at least
_STEM = 4  # words compared by their first letters: "warn" and "warned", "China" and "Chinese"
_OPENING_CHARS = 600
_WORD = re.compile(r"\w+")


def label(result: ScanResult, version: Version, doc: Document) -> Label:
    """`version`'s headline, site and date; `doc` is its document."""
    return Label(headline(result, version, doc), site(doc), day(doc.published))


def headline(result: ScanResult, version: Version, doc: Document) -> str:
    """The line that heads `version` on its page, else the document's title, else the first
    line of the version's own text.

    The heading line comes first because a page may hold several stories (an aggregator's
    sections share one `<title>`) and because a title often carries the site's name: the
    nearest short line of the three paragraphs above the version, not site chrome, with at
    least 40% of its words (compared by their first letters, `_STEM`) in the version's
    opening paragraph (a headline announces its lead; a menu or a "3 weeks ago 71 Views"
    line does not)."""
    table = result.table
    rows = table.rows(version.doc_id)
    first = rows.start + version.segments[0]
    start = int(table.start[first])
    # the opening of the paragraph: a version may begin in a window of a long one
    lead = first
    while lead > rows.start and table.block[lead - 1] == table.block[first]:
        lead -= 1
    lead_start = int(table.start[lead])
    opening: set[str] | None = None  # read once a line could be the heading: most have none
    top = int(table.block[first]) - _ABOVE_BLOCKS
    best, best_share = "", _SHARED
    for row in range(lead - 1, rows.start - 1, -1):
        if int(table.block[row]) < top:
            break
        if result.boilerplate[row]:
            continue
        text = _heading(doc.text[int(table.start[row]) : int(table.end[row])])
        words = _words(text)  # none for "", a row that cannot be the heading
        if not words:
            continue
        if opening is None:
            opening = set(_words(doc.text[lead_start : lead_start + _OPENING_CHARS]))
        share = sum(w in opening for w in words) / len(words)
        if share > best_share:  # nearest first: a farther line must do strictly better
            best, best_share = text, share
    if not best and doc.title and doc.title.strip():
        best = " ".join(doc.title.split())
    if not best:
        end = int(table.end[first])
        best = next((line for line in doc.text[start:end].splitlines() if line.strip()), "")
        best = " ".join(best.split()) or version.key
    return best if len(best) <= HEADLINE_CHARS else best[: HEADLINE_CHARS - 1] + "…"


def _heading(row: str) -> str:
    """A row's text as a heading line (spaces collapsed, breadcrumb trail dropped), or "" where
    it cannot head a story: outside `_HEADLINE_WORDS`, a sentence, or ending in punctuation.

    Most rows above a version are paragraphs of prose; the word count settles them before
    any regex runs (a row with no trail mark keeps its words whole: `without_trail`)."""
    parts = row.split()
    if len(parts) > _HEADLINE_WORDS[1] and "»" not in row and "›" not in row:
        return ""
    text = without_trail(" ".join(parts))
    if (
        not text
        or not _HEADLINE_WORDS[0] <= len(text.split()) <= _HEADLINE_WORDS[1]
        or SENTENCE_END.search(text)
        or text[-1] in ".,;:"
    ):
        return ""
    return text


def without_trail(line: str) -> str:
    """A heading line without the breadcrumb trail a page prints before it ("Home » Markets »
    Margin debt rises" -> "Margin debt rises"): the trail names the page's sections, not the
    story. Each step is a few words before a "»" or "›" (never ">", which a headline may use
    as "more than"); a line that is all trail stays as it is."""
    rest = _TRAIL.sub("", line, count=1)
    return rest if rest.strip() else line


_TRAIL = re.compile(r"^(?:[^»›]{1,40}?\s*[»›]\s*)+")


def site(doc: Document) -> str | None:
    """The site's own name, else the host of the page's URL without "www."."""
    if doc.site and doc.site.strip():
        return " ".join(doc.site.split())
    host = url_host(doc.url)
    return host.removeprefix("www.") if host else None


def day(published: str | None) -> str | None:
    """The day of an ISO date ("2026-01-10T14:48:00+00:00" -> "2026-01-10")."""
    return published[:10] if published else None


def story_order(result: ScanResult) -> list[StoryReport]:
    """Stories as a reader wants them: the most versions first, then the most recent (by the
    earliest day any of its documents was published; undated stories after dated ones),
    then by id. The JSON keeps its own order (by id: a contract)."""
    published = {d.id: d.published for d in result.described()}

    def key(story: StoryReport) -> tuple[int, int, str, str]:
        days = [d for r in story.versions if (d := day(published.get(r.version.doc_id)))]
        first = min(days) if days else ""
        # the most recent first: compare the negated characters of the day
        return (-len(story.versions), -bool(first), _descending(first), story.id)

    return sorted(result.stories, key=key)


def _descending(text: str) -> str:
    """A sort key that orders strings of digits and dashes from the largest down."""
    return "".join(chr(0x10FFFF - ord(c)) for c in text)


def _words(text: str) -> list[str]:
    """The stems of `text`'s words of three letters or more ("of", "in" say nothing)."""
    return [w.lower()[:_STEM] for w in _WORD.findall(text) if len(w) >= 3]
