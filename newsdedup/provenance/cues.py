"""The words on a page that say where its text came from: wire credits, datelines and
sign-offs (`WIRE_CREDIT`), source lines and mentions of a source (`ATTRIBUTION`), and the
cheap word checks that let those slow patterns run only where they can match.

Pure readers of text. `check` reads credits with the same patterns (check/credits.py), so
`check` and `scan` read a credit alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

import ahocorasick_rs

AGENCIES = {
    "Reuters": r"Reuters",
    "AP": r"AP|Associated Press",
    "AFP": r"AFP|Agence France-Presse",
    "Bloomberg": r"Bloomberg(?: News)?",
    "PA": r"PA|PA Media|Press Association",
    "dpa": r"dpa|Deutsche Presse-Agentur",
    "EFE": r"EFE|Agencia EFE",
    "Xinhua": r"Xinhua|新华社",
}
_AGENCY_ALTS = "|".join(f"(?P<{n.lower()}>{p})" for n, p in AGENCIES.items())
# Datelines "BEIJING, Jan 10 (Reuters) -", "(AP) —", sign-offs "(Reporting by ...)",
# "--With assistance from", "By Jane Doe, PA", "©Reuters", "-- Reuters"; other languages'
# "Berlin (dpa/lnw) -", "MADRID, 10 ene (EFE).-", "新华社北京1月10日电".
WIRE_CREDIT = re.compile(
    rf"\((?:{_AGENCY_ALTS})(?:/[a-z]{{2,4}})?\)\.?\s*[-\u2013\u2014]|"
    r"(?P<xinhua_cn>新华社[^\n（(]{0,12}?电)|"
    rf"[-\u2013\u2014]{{1,2}}\s*(?:{_AGENCY_ALTS.replace('?P<', '?P<s_')})\s*$|"
    r"(?P<reuters_signoff>\(?Reporting by [^;)\n]{2,120}(?:;|\)|\n|$))|"
    r"(?P<bloomberg_signoff>[-\u2013\u2014]{1,2}\s*With assistance from )|"
    # a name of at most 7 words: unbounded, a long run of capitalised words cost time
    # quadratic in its length
    r"(?P<pa_byline>\bBy [A-Z][a-z]+(?: [A-Z][a-z'-]+){1,6},? (?:PA|Press Association)\b)",
    re.MULTILINE,
)
# What each WIRE_CREDIT match opens with: "(" (a dateline's credit, "(Reporting by"), a dash
# ("-- Reuters", "--With assistance from"), "Reporting by", "By " (a PA byline), 新华社.
_CREDIT_OPENERS = ("(", "-", "\u2013", "\u2014", "Reporting by", "By ", "新华社")


def wire_credits(text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
    """`WIRE_CREDIT.finditer(text, pos, endpos)`, the pattern tried only where one of its
    openers stands (`_tried_at`)."""
    end = len(text) if endpos is None else min(endpos, len(text))
    starts = _offsets(text, _CREDIT_OPENERS, pos, end, _most(pos, end))
    if starts is None:
        return WIRE_CREDIT.finditer(text, pos, end)
    return _tried_at(WIRE_CREDIT, text, sorted(starts), pos, end)


# Words every WIRE_CREDIT match contains. No leading \b: a pattern that starts with
# its literals lets the regex engine skip ahead (8x faster); WIRE_CREDIT decides.
_CREDIT_WORDS = re.compile(rf"(?:{'|'.join(AGENCIES.values())}|Reporting by|With assistance from)")
# _CREDIT_WORDS's alternatives as plain words ("Bloomberg" for "Bloomberg(?: News)?"): each is
# a match and every match holds one, so the lines holding a match are the lines holding one.
_CREDIT_LITERALS = (
    *(w.removesuffix("(?: News)?") for p in AGENCIES.values() for w in p.split("|")),
    *("Reporting by", "With assistance from"),
)
# The agency each WIRE_CREDIT group names.
GROUP_AGENCY = {
    "reuters_signoff": "Reuters",
    "bloomberg_signoff": "Bloomberg",
    "pa_byline": "PA",
    "xinhua_cn": "Xinhua",
    **{n.lower(): n for n in AGENCIES},
    **{f"s_{n.lower()}": n for n in AGENCIES},
}
_OUTLET = r"(?:the )?(?P<outlet>[A-Z][\w.&'-]*(?: [A-Z][\w.&'-]*){0,3}|dpa)"
ATTRIBUTION = re.compile(
    r"^\s*(?:Source|Via|Originally published (?:on|by)|Credit)\s*:\s*(?P<line>[^\n]{2,200})|"
    r"\b(?i:first|originally) (?i:appeared|published) (?i:on|in|at|by) "
    r"(?P<first>[^\s,;]+(?: [A-Z][\w.-]+){0,2})|"
    r"\b(?i:read|see|continue reading|read more of) (?i:the )?(?i:full|whole|original|rest of the) "
    r"(?i:story|article|report) (?i:at|on) (?P<full>[^\s,;]+(?: [A-Z][\w.-]+){0,2})|"
    r"\b(?i:according to|as per|citing|cited by|as reported by|selon|d['’]après|laut|según) "
    r"(?i:an? |la agencia |l['’]agence |l['’]|la |el |der |die )?"
    rf"(?i:report (?:by|from|in) )?{_OUTLET}",
    re.MULTILINE,
)
# What an ATTRIBUTION match opens with, past its word boundary, lower-cased: the words its
# three case-blind forms start with. Its fourth form ("Source: ...") opens a line holding
# one of `_LINE_WORDS`.
_ATTRIBUTION_OPENERS = (
    *("first ", "originally ", "read ", "see ", "continue reading "),
    *("according to ", "as per ", "citing ", "cited by ", "as reported by "),
    *("selon ", "d'après ", "d’après ", "laut ", "según "),
)
_LINE_WORDS = ("Source", "Via", "Originally published ", "Credit")
# The characters IGNORECASE takes for an opener's letter that `str.lower` leaves apart
# (ſ for s, ı and İ for i; İ also lower-cases to two characters), checked over every
# code point by tests/test_cue_scanners.py.
_FOLDS = str.maketrans({"ſ": "s", "ı": "i", "İ": "i"})


def attributions_in(text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
    """`ATTRIBUTION.finditer(text, pos, endpos)`, the pattern tried only where an opener
    stands and, in a span holding a source-line word, at its line starts (`_tried_at`)."""
    end = len(text) if endpos is None else min(endpos, len(text))
    low = _folded(text[pos:end])
    most = _most(pos, end)
    # None: the offsets of the lower-cased text would drift, or the openers are too many
    found = None if low is None else _offsets(low, _ATTRIBUTION_OPENERS, 0, len(low), most)
    if found is not None and any(text.find(w, pos, end) >= 0 for w in _LINE_WORDS):
        found += (at - pos for at in _line_starts(text, pos, end))
    if found is None or len(found) > most:
        return ATTRIBUTION.finditer(text, pos, end)
    return _tried_at(ATTRIBUTION, text, sorted({pos + at for at in found}), pos, end)


def _folded(text: str) -> str | None:
    """`text` lower-cased character for character as IGNORECASE compares the openers'
    letters (`_FOLDS`); None if a character still lower-cases to more than one."""
    if any(map(text.__contains__, "ſıİ")):
        text = text.translate(_FOLDS)
    low = text.lower()
    return low if len(low) == len(text) else None


def _offsets(
    text: str, words: tuple[str, ...], start: int = 0, end: int | None = None, most: int = -1
) -> list[int] | None:
    """Every offset of `text[start:end]` at which one of `words` stands, unsorted; None if
    there are more than `most` (unless it is negative)."""
    found = starts_of(text, words, start, end)
    return None if 0 <= most < len(found) else found


def starts_of(
    text: str, words: tuple[str, ...], start: int = 0, end: int | None = None
) -> list[int]:
    """Every offset of `text[start:end]` at which one of `words` stands (once for each word
    standing there), in no set order: what `text.find` of each word, from each offset past
    the last one found, finds.

    One pass of an Aho-Corasick automaton for all the words (`ahocorasick_rs`, every match,
    overlapping ones too) where a `str.find` a word read the text once per word (the cue
    lists hold 4-22 words): over the versions of 400 stories of the project corpus,
    `source_matches` took 0.38 -> 0.23 s and `lines_with` of the 22 `ATTRIBUTION_CUES`
    0.33 -> 0.15 s (docs/performance.md). A text that UTF-8 cannot hold (a lone surrogate)
    is searched word by word."""
    piece = text if start == 0 and end is None else text[start:end]
    try:
        found = _automaton(words).find_matches_as_indexes(piece, overlapping=True)
    except UnicodeEncodeError:
        return _found_one_by_one(text, words, start, end)
    return [start + at for _, at, _ in found]


def _found_one_by_one(text: str, words: Iterable[str], start: int, end: int | None) -> list[int]:
    """`starts_of` word by word (`str.find`), for a text the automaton cannot read."""
    found: list[int] = []
    for word in words:
        at = text.find(word, start, end)
        while at >= 0:
            found.append(at)
            at = text.find(word, at + 1, end)
    return found


@lru_cache(maxsize=32)
def _automaton(words: tuple[str, ...]) -> ahocorasick_rs.AhoCorasick:
    """The automaton of a tuple of words (none empty, none twice), built once a process."""
    return ahocorasick_rs.AhoCorasick(list(words))


def _most(pos: int, endpos: int) -> int:
    """How many offsets of `text[pos:endpos]` are worth trying one by one: past one in
    `_DENSE` characters (a run of dashes, a page of "(a)(b)(c)"), the regex engine's own
    scan of every offset costs less than a try at each."""
    return (endpos - pos) // _DENSE + _DENSE


_DENSE = 16


def _line_starts(text: str, pos: int, endpos: int) -> list[int]:
    """The offsets of `text[pos:endpos]` where a line starts (MULTILINE's `^`: after a
    line feed, or at the start of the text)."""
    found = [pos] if pos == 0 or text[pos - 1] == "\n" else []
    at = text.find("\n", pos, endpos - 1)
    while at >= 0:
        found.append(at + 1)
        at = text.find("\n", at + 1, endpos - 1)
    return found


# "Reuters reported": found from the literal " reported" backwards, since a pattern
# that may start at any capital letter is the slowest thing a regex can be asked.
_REPORTER = re.compile(r"(?:^|[^\w.&'-])(?P<reporter>[A-Z][\w.&'-]*(?: [A-Z][\w.&'-]*){0,3})$")


def _tried_at(
    pattern: re.Pattern[str], text: str, starts: Iterable[int], pos: int, endpos: int
) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text, pos, endpos)` for a pattern that matches no empty string,
    given `starts`: ascending offsets among which is every offset a match can start at.

    The search would try the pattern at every offset; a match at offset p is the
    pattern's `match(text, p, endpos)` (anchors and word boundaries read the text
    around p as the search does), and the next search starts where it ended. WIRE_CREDIT
    and ATTRIBUTION open with a group or a word boundary, which keeps the regex engine
    from skipping ahead to a likely first character, so each costs about 0.2 us a
    character searched; tried only where a match can start, 10-50x less
    (docs/performance.md, thirteenth session).
    """
    at = pos
    for p in starts:
        if p < at:
            continue
        if p >= endpos:
            break
        if m := pattern.match(text, p, endpos):
            yield m
            at = m.end()


# At most 10 labels of at most 63 characters (DNS allows 63; real names have a few):
# unbounded, a long run of "a.a.a…" or "7-7-7…" took time quadratic in its length.
DOMAIN = re.compile(
    r"\b(?:[a-z0-9-]{1,63}\.){1,10}(?:com|org|net|news|io|co|uk|de|fr|it|in|au|ca|info)\b", re.I
)
# What every DOMAIN match ends with: a literal dot the regex engine skips ahead to, where
# DOMAIN may start at any letter or digit (15x faster over lines that have none).
_TOP_LEVEL = re.compile(r"\.(?:com|org|net|news|io|co|uk|de|fr|it|in|au|ca|info)\b", re.I)


def domains(text: str) -> list[str]:
    """`DOMAIN.findall(text)`, the pattern run only where a top-level domain stands."""
    return DOMAIN.findall(text) if _TOP_LEVEL.search(text) else []


def credit_agency(text: str) -> str | None:
    """The agency of the first wire credit in `text`.

    Every WIRE_CREDIT form names an agency or says "Reporting by", so only the
    lines around those words are searched (with the lines before and after, for
    a credit broken over a line end): the pattern itself may start anywhere.
    """
    for m in credits_around(text):
        for name, value in m.groupdict().items():
            if value:
                return GROUP_AGENCY[name]
    return None


def credits_around(text: str) -> Iterator[re.Match[str]]:
    """WIRE_CREDIT's matches in `text`, searched only on the lines holding one of its words,
    with the lines before and after (see `credit_agency`)."""
    for start, end in _lines_around(text, starts_of(text, _CREDIT_LITERALS), neighbours=1):
        yield from wire_credits(text, start, end)


def _lines_around(
    text: str, positions: Iterable[int], neighbours: int = 0
) -> Iterator[tuple[int, int]]:
    """(start, end) of the lines of `text` holding `positions`, each widened by `neighbours`
    lines on either side, merged where they overlap, in text order."""
    start = end = -1
    for at in sorted(positions):
        first = text.rfind("\n", 0, at) + 1
        last = text.find("\n", at)
        last = len(text) if last < 0 else last
        for _ in range(neighbours):
            first = text.rfind("\n", 0, first - 1) + 1 if first > 0 else 0
            after = text.find("\n", last + 1) if last < len(text) else -1
            last = len(text) if after < 0 else after
        if first <= end:
            end = max(end, last)
            continue
        if end >= 0:
            yield start, end
        start, end = first, last
    if end >= 0:
        yield start, end


# Words every ATTRIBUTION match contains; checked first because the regex is slow on long text.
ATTRIBUTION_CUES = (
    "source",
    "via",
    "originally",
    "credit",
    "first appeared",
    "first published",
    "according to",
    "as per",
    "citing",
    "cited by",
    "reported",
    "full story",
    "whole story",
    "original story",
    "full article",
    "whole article",
    "original article",
    "rest of the",
    "selon",
    "après",
    "laut",
    "según",
)


def credit_matches(text: str) -> Iterator[re.Match[str]]:
    """WIRE_CREDIT's matches in `text`. Most texts hold no credit word, which a search for
    the words (literals the regex engine skips ahead to) tells far faster than the pattern."""
    return wire_credits(text) if _CREDIT_WORDS.search(text) else iter(())


# WIRE_CREDIT's groups that open a dateline ("LONDON, March 3 (Reuters) -"), and how far
# into its paragraph the credit of a dateline may stand ("NEW YORK/WASHINGTON, Jan. 10 " fits)
DATELINE_GROUPS = frozenset(n for n in WIRE_CREDIT.groupindex if "_" not in n)
DATELINE_PREFIX = 80


def after_dateline(paragraph: str) -> str:
    """`paragraph` without the wire dateline it opens with, if any: what is left once a copy
    drops it, as most copies do (a copy's own reading is in its words, not that cut).
    A dateline's credit opens with "(": a paragraph without one near its start has none."""
    if paragraph.find("(", 0, DATELINE_PREFIX + 1) < 0:
        return paragraph
    for m in credit_matches(paragraph[: DATELINE_PREFIX + 40]):
        group = next(g for g, v in m.groupdict().items() if v)
        if group in DATELINE_GROUPS and m.start() <= DATELINE_PREFIX:
            return paragraph[m.end() :].lstrip("-\u2013\u2014 ")  # "(Bloomberg) --"
        break
    return paragraph


def attribution_matches(text: str) -> Iterator[re.Match[str]]:
    """ATTRIBUTION's matches in `text`. Every match holds one of its cue words and most texts
    hold none, which one pass of the automaton over the lower-cased text tells (`starts_of`)
    far faster than the pattern, which may start at any word; than asking each of the 22
    cues in turn, too (the diff's pieces, 2k captures: 6.3-6.9 -> 3.2-3.4 us a piece,
    docs/performance.md "Seventeenth session, helper C")."""
    found = starts_of(text.lower(), ATTRIBUTION_CUES)
    return attributions_in(text) if found else iter(())


def lines_with(
    text: str, cues: tuple[str, ...], low: str | None = None
) -> Iterator[tuple[int, int]]:
    """(start, end) of each line of `text` holding one of the lower-case `cues`; `low`:
    `text.lower()` where the caller has it.

    No ATTRIBUTION match spans a line and each contains a cue, so scanning
    these lines finds exactly the matches of a scan of the whole text, at a
    fraction of the cost: that regex can start at any character.
    """
    low = text.lower() if low is None else low
    if len(low) != len(text):  # a few characters lower-case to two: go line by line
        start = 0
        for line in text.split("\n"):
            if any(c in line.lower() for c in cues):
                yield start, start + len(line)
            start += len(line) + 1
        return
    yield from _lines_around(text, starts_of(low, cues))  # a cue lies within one line


def source_matches(text: str, folded: str | None = None) -> list[tuple[str, str]]:
    """(ATTRIBUTION group, what it names) for every match on the lines of `text` holding one
    of `ATTRIBUTION_CUES` (`lines_with`), read once for both `_attributions` and `_pointers`;
    `folded`: `_folded(text)` where the caller has it (not None)."""
    return [
        (key, value)
        for start, end in _attribution_lines(text, folded)
        for m in attributions_in(text, start, end)
        for key, value in m.groupdict().items()
        if value
    ]


def _attribution_lines(text: str, folded: str | None = None) -> Iterator[tuple[int, int]]:
    """`lines_with(text, ATTRIBUTION_CUES)` less the lines no ATTRIBUTION match can start on.

    A cue word is common ("source" in "resources", "reported"), an opener of the pattern
    rare: the lines holding an opener or a source-line word are found first, and only
    they are checked for a cue, as `lines_with` checks a line (its lower-cased text).
    `folded`: `_folded(text)` where the caller has it.
    """
    low = _folded(text) if folded is None else folded
    if low is None:
        yield from lines_with(text, ATTRIBUTION_CUES)
        return
    found = [*(_offsets(low, _ATTRIBUTION_OPENERS) or ()), *(_offsets(text, _LINE_WORDS) or ())]
    for start, end in _lines_around(text, found):
        line = text[start:end].lower()
        if any(map(line.__contains__, ATTRIBUTION_CUES)):
            yield start, end


def reported_by(text: str) -> Iterator[re.Match[str]]:
    """The "X reported" of `text`, each a match of its group "reporter" (`_REPORTER`)."""
    at = text.find(" reported")
    while at >= 0:
        if m := _REPORTER.search(text, max(0, at - 60), at):
            yield m
        at = text.find(" reported", at + 1)


AGENCY_NAME = re.compile(rf"\b(?:{'|'.join(AGENCIES.values())})\b", re.IGNORECASE)


def names_a_source(attribution: str) -> bool:
    """A URL, a domain or a wire agency: "according to company estimates" names no source."""
    return bool(DOMAIN.search(attribution) or AGENCY_NAME.search(attribution))
