"""When a page was published, as a span of POSIX seconds (`instants`), and whether the
page's own wire dateline or URL contradicts that date (`self_contradicted`): a date so
contradicted is no evidence.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator

from ..dates import contradicted, month_day, url_day
from ..records import Document
from .cues import AGENCIES

# "PARIS, Oct 8 (Reuters) -": the day the wire filed the story, in the city's time.
_DATELINE_DAY = re.compile(
    rf"\b(?P<month>[A-Z][a-z]{{2,8}})\.? (?P<day>\d{{1,2}}) \((?:{'|'.join(AGENCIES.values())})\)"
)
# Its credit alone: a literal "(" the regex engine skips ahead to, where `_DATELINE_DAY`,
# which may start at any capital letter, tries every one. Most texts have no dateline.
_DATELINE_CREDIT = re.compile(rf"\((?:{'|'.join(AGENCIES.values())})\)")
# How far before its credit a `_DATELINE_DAY` match may start: "September. 30 " (a month of
# at most 9 letters, a dot, a space, two digits, a space).
_DAY_BEFORE_CREDIT = 9 + 1 + 1 + 2 + 1


def self_contradicted(when: tuple[float, float], doc: Document, around: str) -> bool:
    """A page dated before the day its own wire dateline names, or away from the day in its
    own URL, shows a wrong date (a template's, a feed's, an update's): trusting it would
    make a late copy the first publisher. Such a date is no evidence."""
    own = url_day(doc.url)
    if own is not None and contradicted(when, own):
        return True
    try:
        year = dt.datetime.fromtimestamp(when[0], dt.timezone.utc).year
    except (OverflowError, OSError, ValueError):  # a date past year 9999 in its zone
        return False
    for m in datelines(around[:_DATELINE_REACH]):
        filed = month_day(m.group("month"), m.group("day"), year)
        if filed is not None and contradicted(when, filed, before_only=True):
            return True
    return False


def datelines(head: str) -> Iterator[re.Match[str]]:
    """`_DATELINE_DAY.finditer(head)`, the pattern tried only just before each credit.

    Every match ends with a credit (`_DATELINE_CREDIT`, a literal "(" the regex
    engine skips ahead to) and starts at most `_DAY_BEFORE_CREDIT` characters
    before it; no match holds a ")" before its credit, so none starts before the
    previous credit ends. `_DATELINE_DAY` may start at any capital letter: searched
    over the head it cost 2% of the tracing stage, most of it where no credit stands."""
    at = 0
    for credit in _DATELINE_CREDIT.finditer(head):
        if m := _DATELINE_DAY.search(
            head, max(at, credit.start() - _DAY_BEFORE_CREDIT), credit.end()
        ):
            yield m
        at = credit.end()


_DATELINE_REACH = 2000  # characters: a dateline opens the article


_DAY = 86400.0


def instants(date: str | None) -> tuple[float, float] | None:
    """The span a date string covers, in POSIX seconds: a day for "2026-01-10", an instant
    for a time (UTC when it names no offset). Strings compare wrongly across offsets."""
    if not date:
        return None
    try:
        when = dt.datetime.fromisoformat(date)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    start = when.timestamp()
    return (start, start + _DAY) if len(date) <= 10 else (start, start)


def likely_time(when: tuple[float, float] | None) -> float:
    """Where a span's publication most likely falls, for ranking: its middle (infinite when
    undated). A page dated only "2026-02-14" came before one timed 10:22 that day with a
    chance of 10.4 in 24: ranking it at midnight would make it the earlier of the two, at
    noon it is the later, as it more likely is. Two spans rank by which more likely came first."""
    return (when[0] + when[1]) / 2 if when else math.inf
